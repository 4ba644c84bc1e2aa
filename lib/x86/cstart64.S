/* SPDX-License-Identifier: MIT */
/*
 * x86_64 entry. The multiboot loader (QEMU -kernel) enters start32 in
 * 32-bit protected mode with paging off, EAX = 0x2BADB002, EBX = the
 * multiboot information. Secondary CPUs arrive in real mode at the
 * trampoline copied below 1 MiB and join the same 32-bit path.
 *
 * The boot page tables are data in the image, not built at run time (under
 * a hypervisor that emulates guest kernel code, every instruction counts):
 * 0..4 GiB identity-mapped, user-accessible (the CPL3 helper runs image
 * code), the first 2 MiB with 4 KiB pages (mmu_init() unmaps page 0), the
 * rest with 2 MiB pages, the top GiB uncached (MMIO: APIC, IOAPIC, HPET).
 */
#include "asm/desc.h"

#define MB_MAGIC	0x1badb002
#define MB_FLAGS	0x00000003	/* page-align modules, give memory info */
#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_U		0x004
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080
#define PTE_TABLE	(PTE_P + PTE_W + PTE_U)

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .data
	.balign 4096
	.globl boot_pml4
boot_pml4:
	.quad boot_pdpt + PTE_TABLE
	.fill 511, 8, 0
boot_pdpt:
	i = 0
	.rept 4
	.quad boot_pd + i * 4096 + PTE_TABLE
	i = i + 1
	.endr
	.fill 508, 8, 0
boot_pd:
	.quad boot_pt + PTE_TABLE
	i = 1
	.rept 3 * 512 - 1
	.quad (i << 21) + PTE_TABLE + PTE_PS
	i = i + 1
	.endr
	.rept 512
	.quad (i << 21) + PTE_TABLE + PTE_PS + PTE_PCD + PTE_PWT
	i = i + 1
	.endr
boot_pt:
	i = 0
	.rept 512
	.quad (i << 12) + PTE_TABLE
	i = i + 1
	.endr

	.balign 16
boot_gdt:
	.quad 0
	.quad 0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf93000000ffff	/* 0x10: flat data */
	.quad 0x00cf9b000000ffff	/* 0x18: 32-bit code, for the AP path */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.globl mb_info
mb_info:	.long 0
mb_magic:	.long 0
	.globl ap_stack_top
ap_stack_top:	.quad 0

	/* Stacks need no zeroing: outside .bss (flat.lds). */
	.section .stack, "aw", @nobits
	.balign 4096
	.globl bsp_ist
bsp_ist:	.fill 3 * 4096, 1, 0
bsp_stack:	.fill 16384, 1, 0
bsp_stack_top:

	.text
	.code32
	.globl start32
start32:
	mov %eax, %ebp
	mov %ebx, %esi
	mov %ebp, mb_magic
	mov %esi, mb_info
	mov $bsp_stack_top, %esp
	xor %edi, %edi			/* 0: boot CPU */
	jmp enter_long

	/* Secondary CPUs, from the trampoline: flat segments, paging off. */
	.globl ap_start32
ap_start32:
	mov $KERNEL_DS, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov $1, %edi

enter_long:
	lgdt boot_gdt_desc
	mov %cr4, %eax
	or $0x20, %eax			/* PAE */
	mov %eax, %cr4
	mov $boot_pml4, %eax
	mov %eax, %cr3
	/* EFER.NXE only where CPUID says NX exists, or WRMSR faults. */
	mov $0x80000001, %eax
	cpuid
	xor %ebx, %ebx
	bt $20, %edx
	jnc 4f
	mov $0x800, %ebx		/* NXE */
4:	mov $0xc0000080, %ecx
	rdmsr
	or $0x100, %eax			/* LME */
	or %ebx, %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax		/* PG, WP, PE */
	mov %eax, %cr0
	ljmp $KERNEL_CS, $start64

	.code64
start64:
	mov $KERNEL_DS, %ax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	xor %eax, %eax
	mov %ax, %fs
	mov %ax, %gs
	xor %ebp, %ebp
	test %edi, %edi
	jnz 5f
	mov $bsp_stack_top, %rsp
	/*
	 * Zero .bss: not every loader does (Bochs' boot path does not).
	 * flat.lds aligns both ends to 16 bytes; the stacks are outside.
	 */
	cld
	xor %eax, %eax
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %rdi, %rcx
	shr $3, %rcx
	rep stosq
	mov mb_info(%rip), %edi
	call x86_setup
	ud2
5:	mov ap_stack_top(%rip), %rsp
	call x86_ap_main
	ud2

/*
 * Real-mode trampoline for SIPI: copied to a page below 1 MiB whose number
 * is the SIPI vector, so CS:0 is its first byte.
 */
	.code16
	.globl trampoline_start, trampoline_end
trampoline_start:
	cli
	mov %cs, %ax
	mov %ax, %ds
	lgdtl tramp_gdt_desc - trampoline_start
	mov %cr0, %eax
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x18, $ap_start32
	/* The boot GDT is below 4 GiB: a 32-bit LGDT reaches it from here. */
tramp_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long boot_gdt
trampoline_end:
	.code64
