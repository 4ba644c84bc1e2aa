/* SPDX-License-Identifier: MIT */
/*
 * x86_64 entry. The multiboot loader (QEMU -kernel) enters start32 in
 * 32-bit protected mode with paging off, EAX = 0x2BADB002, EBX = the
 * multiboot information. Secondary CPUs arrive in real mode at the
 * trampoline copied below 1 MiB and join the same 32-bit path.
 *
 * Boot page tables identity-map 0..4 GiB with 2 MiB pages, user-accessible
 * (the CPL3 helper runs image code), the top GiB uncached (MMIO: APIC,
 * IOAPIC, HPET). C code later splits the first 2 MiB to unmap page 0.
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

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.section .data
	.balign 4096
	.globl boot_pml4
boot_pml4:	.fill 512, 8, 0
boot_pdpt:	.fill 512, 8, 0
boot_pd:	.fill 4 * 512, 8, 0

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

	.section .bss
	.balign 16
bsp_stack:	.fill 16384, 1, 0
bsp_stack_top:

	.text
	.code32
	.globl start32
start32:
	mov %eax, %ebp
	mov %ebx, %esi
	/* Zero .bss: not every loader does (Bochs' boot path will not). */
	cld
	xor %eax, %eax
	mov $__bss_start, %edi
	mov $__bss_end, %ecx
	sub %edi, %ecx
	rep stosb
	mov %ebp, mb_magic
	mov %esi, mb_info
	mov $bsp_stack_top, %esp

	/* PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs, PDs -> 2 MiB pages. */
	movl $boot_pdpt + PTE_P + PTE_W + PTE_U, boot_pml4
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $12, %eax
	add $boot_pd + PTE_P + PTE_W + PTE_U, %eax
	mov %eax, boot_pdpt(, %ecx, 8)
	inc %ecx
	cmp $4, %ecx
	jne 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $PTE_P + PTE_W + PTE_U + PTE_PS, %eax
	cmp $3 * 512, %ecx
	jb 3f
	or $PTE_PCD + PTE_PWT, %eax
3:	mov %eax, boot_pd(, %ecx, 8)
	movl $0, boot_pd + 4(, %ecx, 8)
	inc %ecx
	cmp $4 * 512, %ecx
	jne 2b
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
