/* SPDX-License-Identifier: MIT */
/*
 * The EL1 vector table (Arm ARM D1.10.2: 16 entries of 0x80 bytes, by
 * source (EL1 with SP_EL0, EL1 with SP_EL1, EL0 AArch64, EL0 AArch32) and
 * type (synchronous, IRQ, FIQ, SError)). Every entry saves struct ex_regs
 * on the SP_EL1 stack, calls arm64_exception() and returns with what the
 * frame then holds (pc, pstate, x0-x30, SP_EL0 for EL0). Also the EL0
 * round trip of run_in_user().
 */
#include "asm/exception.h"

	.macro	ventry vector
	.balign	0x80
	sub	sp, sp, #EX_FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x0, #\vector
	b	exception_entry
	.endm

/* \op (stp or ldp) x2-x29 at their struct ex_regs offsets. */
	.macro	x2_to_x29 op
	\op	x2, x3, [sp, #16 * 1]
	\op	x4, x5, [sp, #16 * 2]
	\op	x6, x7, [sp, #16 * 3]
	\op	x8, x9, [sp, #16 * 4]
	\op	x10, x11, [sp, #16 * 5]
	\op	x12, x13, [sp, #16 * 6]
	\op	x14, x15, [sp, #16 * 7]
	\op	x16, x17, [sp, #16 * 8]
	\op	x18, x19, [sp, #16 * 9]
	\op	x20, x21, [sp, #16 * 10]
	\op	x22, x23, [sp, #16 * 11]
	\op	x24, x25, [sp, #16 * 12]
	\op	x26, x27, [sp, #16 * 13]
	\op	x28, x29, [sp, #16 * 14]
	.endm

	.text
	/* report_abort()/assert(): traps.c recognises this BRK by its address. */
	.globl	arch_abort_trap
arch_abort_trap:
	brk	#0xab0

	.balign	0x800
	.globl	arm64_vectors
arm64_vectors:
	.irp	source, EXC_EL1T, EXC_EL1H, EXC_EL0_64, EXC_EL0_32
	.irp	type, EXC_SYNC, EXC_IRQ, EXC_FIQ, EXC_SERROR
	ventry	(\source + \type)
	.endr
	.endr

/* x0 = vector; the interrupted x0 and x1 are saved already. */
exception_entry:
	x2_to_x29 stp
	str	x30, [sp, #16 * 15]
	str	x0, [sp, #EX_VECTOR]
	add	x1, sp, #EX_FRAME_SIZE
	cmp	x0, #EXC_EL0_64
	b.lo	1f
	mrs	x1, sp_el0
1:	mrs	x2, elr_el1
	stp	x1, x2, [sp, #EX_SP]
	mrs	x1, spsr_el1
	mrs	x2, esr_el1
	stp	x1, x2, [sp, #EX_PSTATE]
	mrs	x1, far_el1
	str	x1, [sp, #EX_FAR]
	/* A frame record of the saved x29, x30: backtraces walk through. */
	add	x29, sp, #8 * 29
	mov	x0, sp
	bl	arm64_exception

	ldr	x0, [sp, #EX_VECTOR]
	cmp	x0, #EXC_EL0_64
	b.lo	2f
	ldr	x1, [sp, #EX_SP]
	msr	sp_el0, x1
2:	ldp	x1, x2, [sp, #EX_PC]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp]
	x2_to_x29 ldp
	ldr	x30, [sp, #16 * 15]
	add	sp, sp, #EX_FRAME_SIZE
	eret

/*
 * uint64_t arm64_enter_user(fn, arg, sp_el0, spsr): x0 = fn, x1 = arg,
 * x2 = the EL0 stack top, x3 = SPSR_EL1 (EL0t and the caller's DAIF).
 * Saves x19-x30 on the SP_EL1 stack and ERETs straight to fn with x0 = arg
 * and x30 = arm64_user_svc, so at EL0 only fn and that SVC run. Exceptions
 * from EL0 build their frames below the saved registers and, returning
 * there, leave SP_EL1 as the ERET found it; so when traps.c turns the SVC
 * at arm64_user_svc into a return to EL1h at arm64_user_return (the SVC's
 * preferred return address, ELR_EL1 already), SP_EL1 points at the saved
 * registers again, and x0 holds fn's result. x29 stays the frame record
 * of this function: a backtrace from fn goes on into run_in_user's caller.
 */
	.globl	arm64_enter_user, arm64_user_svc, arm64_user_return
arm64_enter_user:
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	sp_el0, x2
	msr	elr_el1, x0
	msr	spsr_el1, x3
	mov	x0, x1
	adr	x30, arm64_user_svc
	eret
arm64_user_svc:
	svc	#USER_RETURN_SVC
arm64_user_return:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
