/* SPDX-License-Identifier: MIT */
/*
 * The trap vector (stvec, direct mode: privileged architecture 4.1.2) and
 * run_in_user()'s U-mode round trip.
 *
 * sscratch is 0 while a CPU runs in S-mode and holds the S-mode stack top
 * while it runs in U-mode, so the first instruction tells the two apart
 * (swapping sp with sscratch gives 0 from S-mode) and a trap from U-mode
 * gets lib's stack. Every trap saves struct ex_regs, makes a frame record
 * {s0, sepc} in it for backtraces, sets sstatus.SUM (a test may trap with
 * SUM clear; lib's C code reads pages U-mode may use) and calls riscv_trap();
 * sret then resumes with what the frame holds, sstatus (SUM, SPP, SPIE)
 * included.
 */
#include "asm/exception.h"

/* \op (sd or ld) every register but x0 and sp at its struct ex_regs slot. */
	.macro	all_regs op
	\op	x1, EX_REG(1)(sp)
	.irp	n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
	\op	x\n, EX_REG(\n)(sp)
	.endr
	.irp	n, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	\op	x\n, EX_REG(\n)(sp)
	.endr
	.endm

	.text
	/* report_abort()/assert(): traps.c recognises this EBREAK by its address. */
	.globl	arch_abort_trap
arch_abort_trap:
	ebreak

	.balign	4
	.globl	riscv_trap_vector
riscv_trap_vector:
	csrrw	sp, CSR_SSCRATCH, sp
	bnez	sp, 1f
	csrr	sp, CSR_SSCRATCH
1:	addi	sp, sp, -EX_FRAME_SIZE
	all_regs sd
	csrrw	t0, CSR_SSCRATCH, zero
	sd	t0, EX_REG(2)(sp)
	csrr	t0, CSR_SEPC
	sd	t0, EX_EPC(sp)
	csrr	t1, CSR_SSTATUS
	sd	t1, EX_STATUS(sp)
	csrr	t1, CSR_SCAUSE
	sd	t1, EX_CAUSE(sp)
	csrr	t1, CSR_STVAL
	sd	t1, EX_TVAL(sp)
	sd	s0, EX_RECORD(sp)
	sd	t0, EX_RECORD + 8(sp)
	addi	s0, sp, EX_RECORD + 16
	li	t0, SSTATUS_SUM
	csrs	CSR_SSTATUS, t0
	mv	a0, sp
	call	riscv_trap

	ld	t0, EX_EPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, EX_STATUS(sp)
	csrw	CSR_SSTATUS, t0
	andi	t0, t0, SSTATUS_SPP
	bnez	t0, 2f
	/* Back to U-mode: its next trap builds its frame where this one is. */
	addi	t0, sp, EX_FRAME_SIZE
	csrw	CSR_SSCRATCH, t0
2:	all_regs ld
	ld	sp, EX_REG(2)(sp)
	sret

/*
 * uint64_t riscv_enter_user(fn, arg, sp): a0 = fn (its U-mode alias), a1 =
 * arg, a2 = the U-mode stack top. Saves ra, s0-s11 on the S-mode stack,
 * which sscratch then points at, and srets to fn in U-mode with a0 = arg
 * and ra = the alias of riscv_user_ecall; SPIE keeps the caller's SIE.
 * traps.c turns that ECALL from U-mode into an sret to riscv_user_return
 * in S-mode with sp back at the saved registers and a0 = fn's result.
 * s0 stays this function's frame: a backtrace from fn goes on into
 * run_in_user's caller.
 */
	.globl	riscv_enter_user, riscv_user_ecall, riscv_user_return
riscv_enter_user:
	addi	sp, sp, -112
	sd	ra, 104(sp)
	sd	s0, 96(sp)
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	sd	s\n, (\n - 1) * 8(sp)
	.endr
	addi	s0, sp, 112
	csrr	t1, CSR_SSTATUS
	csrci	CSR_SSTATUS, SSTATUS_SIE
	andi	t2, t1, SSTATUS_SIE
	slli	t2, t2, 4		/* SIE (bit 1) -> SPIE (bit 5) */
	li	t3, SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE
	not	t3, t3
	and	t1, t1, t3
	or	t1, t1, t2
	csrw	CSR_SSTATUS, t1
	csrw	CSR_SEPC, a0
	csrw	CSR_SSCRATCH, sp
	mv	a0, a1
	lla	ra, riscv_user_ecall
	li	t0, USER_ALIAS_OFFSET
	add	ra, ra, t0
	mv	sp, a2
	sret
riscv_user_ecall:
	ecall
riscv_user_return:
	.irp	n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	ld	s\n, (\n - 1) * 8(sp)
	.endr
	ld	s0, 96(sp)
	ld	ra, 104(sp)
	addi	sp, sp, 112
	ret
