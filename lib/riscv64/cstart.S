/* SPDX-License-Identifier: MIT */
/*
 * riscv64 entry. OpenSBI's fw_dynamic (QEMU virt's default firmware) loads
 * the flat image at 0x80200000 and enters it in S-mode with a0 = the boot
 * hart's ID, a1 = the devicetree, satp = 0. Secondaries come in through SBI
 * HSM hart_start at riscv_secondary_entry (SBI v2.0 9.1: S-mode, satp = 0,
 * sstatus.SIE = 0, a0 = hart ID, a1 = opaque, here the CPU number).
 *
 * Every CPU keeps tp = its CPU number (smp_id()), sscratch = 0 while in
 * S-mode (entry.S), s0 = 0 at the bottom of its stack (backtraces stop).
 */
#include "asm/csr.h"

#define STACK_SHIFT	14	/* STACK_SIZE, riscv64.h */
#define MAX_CPUS	64	/* smp.h */

	.section .head, "ax"
	.globl _start
_start:
	csrw	CSR_SIE, zero
	csrci	CSR_SSTATUS, SSTATUS_SIE
	/* Absolute addresses are linked in: running anywhere else cannot work. */
	lla	t0, _start
	ld	t1, link_address
	bne	t0, t1, park
	mv	s1, a0
	mv	s2, a1
	lla	t0, __bss_start
	lla	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	li	tp, 0
	lla	sp, riscv_stacks
	li	t0, 1 << STACK_SHIFT
	add	sp, sp, t0
	call	cpu_setup
	mv	a0, s1
	mv	a1, s2
	call	riscv_setup
	j	park

/* a0 = hart ID, a1 = this CPU's number (the hart_start opaque value). */
	.text
	.globl riscv_secondary_entry
riscv_secondary_entry:
	csrw	CSR_SIE, zero
	li	t0, MAX_CPUS
	bgeu	a1, t0, park
	mv	tp, a1
	lla	sp, riscv_stacks
	addi	t0, a1, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	mv	s1, a0
	call	cpu_setup
	mv	a0, s1
	mv	a1, tp
	call	riscv_secondary_main
	j	park

park:
	wfi
	j	park

/*
 * long riscv_suspend(ctx, type, opaque): saves ra, sp, s0-s11 in ctx
 * (struct resume_ctx) and asks for HSM hart_suspend(type, riscv_resume_entry,
 * opaque). Returns the SBI error if the call returns.
 */
#define CTX_RA		0
#define CTX_SP		8
#define CTX_S(n)	(16 + 8 * (n))
#define CTX_A1		112
#define CTX_SATP	120
#define CTX_SSTATUS	128
#define CTX_SIZE	136
#define SBI_EXT_HSM	0x48534d

	.globl	riscv_suspend
riscv_suspend:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	sd	s\n, CTX_S(\n)(a0)
	.endr
	mv	a0, a1
	lla	a1, riscv_resume_entry
	li	a6, 3			/* hart_suspend */
	li	a7, SBI_EXT_HSM
	ecall
	ret

/*
 * The non-retentive resume (SBI v2.0 9.4: S-mode, satp = 0, sstatus.SIE =
 * 0, a0 = hart ID, a1 = opaque): find this hart's context by its ID,
 * record a1, satp and sstatus there and return RISCV_RESUMED from
 * riscv_suspend(), the rest of the CPU's state being the caller's to restore.
 */
riscv_resume_entry:
	csrw	CSR_SIE, zero
	lla	t0, riscv_hartids
	li	t1, 0
	li	t2, MAX_CPUS
1:	bgeu	t1, t2, park
	ld	t3, 0(t0)
	beq	t3, a0, 2f
	addi	t0, t0, 8
	addi	t1, t1, 1
	j	1b
2:	mv	tp, t1
	lla	t0, riscv_resume_ctx
	li	t2, CTX_SIZE
	mul	t2, t2, t1
	add	t0, t0, t2
	sd	a1, CTX_A1(t0)
	csrr	t1, CSR_SATP
	sd	t1, CTX_SATP(t0)
	csrr	t1, CSR_SSTATUS
	sd	t1, CTX_SSTATUS(t0)
	ld	ra, CTX_RA(t0)
	ld	sp, CTX_SP(t0)
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	ld	s\n, CTX_S(\n)(t0)
	.endr
	lla	t0, riscv_trap_vector
	csrw	CSR_STVEC, t0
	csrw	CSR_SSCRATCH, zero
	li	a0, 1			/* RISCV_RESUMED */
	ret

/* cpu_setup: the trap vector, sscratch 0, no frame above this one. Clobbers t0. */
cpu_setup:
	lla	t0, riscv_trap_vector
	csrw	CSR_STVEC, t0
	csrw	CSR_SSCRATCH, zero
	li	s0, 0
	ret

	.section .rodata
	.balign	8
link_address:
	.quad	_start

	.bss
	.balign	4096
	.globl	riscv_stacks
riscv_stacks:
	.fill	MAX_CPUS << STACK_SHIFT, 1, 0
