/* SPDX-License-Identifier: MIT */
/*
 * arm64 entry. The image starts with the Linux arm64 Image header
 * (Documentation/arch/arm64/booting.rst), so QEMU's -kernel loads it at RAM
 * base + text_offset and enters it at EL1 (EL2 with virtualization=on),
 * MMU off, x0 = the devicetree blob. Secondaries come in through PSCI
 * CPU_ON at secondary_entry (PSCI DEN0022 5.6: MMU off, x0 = context ID,
 * at the highest non-secure EL: EL2 when there is one).
 *
 * At EL2 the port keeps a minimal hypervisor: EL1 is AArch64, nothing
 * traps (timers, FP, PMU counters, GICv3 system registers), stage 2 is
 * off, and an HVC from EL1 returns SMCCC NOT_SUPPORTED (-1). Anything else
 * taken to EL2 prints ESR_EL2 and ELR_EL2 on the UART and powers off.
 */
#include "asm/sysreg.h"

	.section .head, "ax"
	.globl _start
_start:
	b	primary_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0x80000			/* text_offset: the image links at RAM + 512 KiB */
	.quad	__image_size		/* image_size, .bss included */
	.quad	0x2			/* flags: little endian, 4 KiB pages, fixed place */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic */
	.long	0

	.text
primary_entry:
	mov	x19, x0
	bl	cpu_setup
	/* Absolute addresses are linked in: running anywhere else cannot work. */
	adr	x0, _start
	ldr	x1, =_start
	cmp	x0, x1
	b.ne	park
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0], #16
	b	1b
2:	adrp	x0, boot_stack_top
	add	sp, x0, :lo12:boot_stack_top
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_setup
	b	park

/* x0 = this CPU's number (the CPU_ON context ID). */
	.globl secondary_entry
secondary_entry:
	mov	x19, x0
	bl	cpu_setup
	/* Written by the boot CPU and cleaned to the point of coherency. */
	adrp	x9, arm64_mmu_regs
	add	x9, x9, :lo12:arm64_mmu_regs
	ldp	x0, x1, [x9]
	ldp	x2, x3, [x9, #16]
	bl	arm64_mmu_on
	adrp	x9, arm64_stack_top
	add	x9, x9, :lo12:arm64_stack_top
	ldr	x9, [x9, x19, lsl #3]
	mov	sp, x9
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	bl	arm64_secondary_main
	b	park

park:
	wfe
	b	park

/*
 * cpu_setup: EL2 (if entered there), then EL1 system registers with the MMU
 * off; returns at EL1. No stack. Clobbers x9-x11.
 */
cpu_setup:
	mrs	x9, CurrentEL
	cmp	x9, #CURRENTEL_EL1
	b.eq	el1_setup
	cmp	x9, #CURRENTEL_EL2
	b.ne	park			/* EL3 would need firmware of its own */
	mov	x9, #0
	orr	x9, x9, #HCR_RW
	/* Without HCR_EL2.API/APK, EL1 pointer authentication traps to EL2. */
	mrs	x10, id_aa64isar1_el1
	mov	x11, #0x0ff0		/* APA, API */
	movk	x11, #0xff00, lsl #16	/* GPA, GPI */
	mrs	x12, id_aa64isar2_el1
	and	x12, x12, #0xff00	/* GPA3, APA3 */
	and	x10, x10, x11
	orr	x10, x10, x12
	cbz	x10, 1f
	orr	x9, x9, #(HCR_API | HCR_APK)
1:	msr	hcr_el2, x9
	msr	cntvoff_el2, xzr
	mov	x9, #CNTHCTL_EL1PCTEN_PCEN
	msr	cnthctl_el2, x9
	/* EL1 reads MIDR and MPIDR from these once EL2 exists. */
	mrs	x9, midr_el1
	msr	vpidr_el2, x9
	mrs	x9, mpidr_el1
	msr	vmpidr_el2, x9
	mov	x9, #CPTR_EL2_NOTRAP
	msr	cptr_el2, x9
	msr	hstr_el2, xzr
	msr	vttbr_el2, xzr
	/* Every PMU counter to EL1 (MDCR_EL2.HPMN = PMCR_EL0.N), no PMU traps. */
	mov	x9, #0
	mrs	x10, id_aa64dfr0_el1
	ubfx	x10, x10, #ID_AA64DFR0_PMUVER_SHIFT, #4
	cbz	x10, 2f
	cmp	x10, #0xf		/* IMPLEMENTATION DEFINED PMU: leave it */
	b.eq	2f
	mrs	x9, pmcr_el0
	ubfx	x9, x9, #11, #5
2:	msr	mdcr_el2, x9
	/* GICv3 CPU interface: system registers for EL1, no virtual interface. */
	mrs	x10, id_aa64pfr0_el1
	ubfx	x10, x10, #ID_AA64PFR0_GIC_SHIFT, #4
	cbz	x10, 3f
	mov	x9, #0xf		/* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
	msr	s3_4_c12_c9_5, x9
	isb
	msr	s3_4_c12_c11_0, xzr	/* ICH_HCR_EL2 */
3:	ldr	x9, =SCTLR_EL2_RES1
	msr	sctlr_el2, x9
	adr	x9, el2_vectors
	msr	vbar_el2, x9
	adr	x9, el1_setup
	msr	elr_el2, x9
	mov	x9, #SPSR_EL1H_MASKED
	msr	spsr_el2, x9
	isb
	eret

el1_setup:
	ldr	x9, =SCTLR_EL1_BOOT
	msr	sctlr_el1, x9
	/*
	 * PSTATE.PAN 0: EL1 accesses EL0-accessible memory, i.e. all RAM
	 * (mmu.c); SCTLR_EL1.SPAN (RES1 here) keeps it on exception entry.
	 */
	mrs	x9, id_aa64mmfr1_el1
	ubfx	x9, x9, #ID_AA64MMFR1_PAN_SHIFT, #4
	cbz	x9, 1f
	msr	s3_0_c4_c2_3, xzr	/* PAN (FEAT_PAN) */
1:
	mov	x9, #CPACR_FPEN
	msr	cpacr_el1, x9
	adr	x9, arm64_vectors
	msr	vbar_el1, x9
	isb
	ret

/*
 * void arm64_mmu_on(mair, tcr, ttbr0, sctlr): load the translation
 * registers, drop stale TLB entries, then turn on the MMU and caches.
 * Runs from the identity map, so the next instruction is still there.
 */
	.globl arm64_mmu_on
arm64_mmu_on:
	msr	mair_el1, x0
	msr	tcr_el1, x1
	msr	ttbr0_el1, x2
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	msr	sctlr_el1, x3
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

/* EL2 vectors: an HVC from EL1 (AArch64) is answered, everything else is fatal. */
	.macro	el2_vector label
	.balign	0x80
	b	\label
	.endm

	.balign	0x800
el2_vectors:
	.rept	8
	el2_vector el2_panic
	.endr
	el2_vector el2_sync_lower
	.rept	7
	el2_vector el2_panic
	.endr

el2_sync_lower:
	mrs	x9, esr_el2
	lsr	x9, x9, #ESR_EC_SHIFT
	cmp	x9, #0x16		/* HVC64 */
	b.ne	el2_panic
	mov	x0, #-1			/* SMCCC NOT_SUPPORTED */
	eret

/* The MMU is off at EL2: arm64_el2_uart was written with the EL1 MMU off too. */
el2_panic:
	adr	x0, el2_msg
	bl	el2_puts
	mrs	x0, esr_el2
	bl	el2_puthex
	adr	x0, el2_msg_elr
	bl	el2_puts
	mrs	x0, elr_el2
	bl	el2_puthex
	adr	x0, el2_msg_end
	bl	el2_puts
	ldr	x0, =0x84000008		/* PSCI SYSTEM_OFF */
	smc	#0
	b	park

/* el2_putc: w1 = character. Clobbers x2, x3. */
el2_putc:
	adrp	x2, arm64_el2_uart
	ldr	x2, [x2, :lo12:arm64_el2_uart]
	cbz	x2, 2f
1:	ldr	w3, [x2, #0x18]		/* UARTFR */
	tbnz	w3, #5, 1b		/* TXFF */
	str	w1, [x2]		/* UARTDR */
2:	ret

/* el2_puts: x0 = string. Clobbers x0-x4, x10. */
el2_puts:
	mov	x10, x30
1:	ldrb	w1, [x0], #1
	cbz	w1, 2f
	bl	el2_putc
	b	1b
2:	ret	x10

/* el2_puthex: x0 = value, 16 hex digits. Clobbers x0-x5, x10. */
el2_puthex:
	mov	x10, x30
	mov	x4, x0
	mov	x5, #60
1:	lsr	x1, x4, x5
	and	x1, x1, #0xf
	cmp	x1, #10
	add	x3, x1, #'0'
	add	x1, x1, #('a' - 10)
	csel	x1, x3, x1, lo
	bl	el2_putc
	subs	x5, x5, #4
	b.pl	1b
	ret	x10

	.section .rodata
el2_msg:	.asciz	"\nEL2: unexpected exception ESR_EL2=0x"
el2_msg_elr:	.asciz	" ELR_EL2=0x"
el2_msg_end:	.asciz	"\n"

	.data
	.balign	64
	.globl	arm64_el2_uart
arm64_el2_uart:	.quad	0
	.balign	64

	.bss
	.balign	16
boot_stack:	.fill	16384, 1, 0
boot_stack_top:
