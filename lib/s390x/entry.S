/* SPDX-License-Identifier: MIT */
/*
 * Interruption entry (PoP 6.3 "Interruption Action"): each class's new PSW
 * (64-bit, DAT off, every interruption masked: setup.c) points at its stub
 * here. A stub saves the 16 registers in the class's lowcore save area,
 * builds struct ex_regs below the interrupted r15 (registers, old PSW, the
 * interruption information of 0x80-0xc7, the class), calls
 * s390x_interrupt() and resumes with what the frame then holds: the PSW
 * goes to the class's return slot and LPSWE loads it (the old-PSW slots
 * lie in 0-511, which low-address protection may keep a handler from
 * storing to). With DAT off the lowcore is real address 0 (base register 0)
 * whatever the page tables say.
 *
 * A program check while two are being handled on this CPU means the
 * handler itself keeps faulting: the CPU stops in a disabled wait (QEMU
 * reports the crash) instead of looping. Also run_in_user()'s round trip
 * to the problem state and back.
 */
#include "asm/interrupt.h"
#include "asm/lowcore.h"
#include "asm/psw.h"

/* Displacements of the frame's fields from r15. */
#define FR(off)		(STACK_FRAME_OVERHEAD + (off))

	.macro	int_entry name, class, save, old
	.globl	\name
\name:
	stmg	%r0, %r15, \save
	.if	\class == INT_PGM
	lg	%r1, LC_PGM_DEPTH
	aghi	%r1, 1
	stg	%r1, LC_PGM_DEPTH
	cghi	%r1, 2
	jh	pgm_loop
	.endif
	aghi	%r15, -EX_FRAME_SIZE
	mvc	FR(EX_GPRS)(128, %r15), \save
	mvc	FR(EX_PSW)(16, %r15), \old
	mvc	FR(EX_INFO)(LC_INT_INFO_SIZE, %r15), LC_INT_INFO
	mvghi	FR(EX_CLASS)(%r15), \class
	xc	0(8, %r15), 0(%r15)
	la	%r2, FR(0)(%r15)
	brasl	%r14, s390x_interrupt
	.if	\class == INT_PGM
	lg	%r1, LC_PGM_DEPTH
	aghi	%r1, -1
	stg	%r1, LC_PGM_DEPTH
	.endif
	mvc	LC_RETURN_PSW(\class)(16), FR(EX_PSW)(%r15)
	lmg	%r0, %r15, FR(EX_GPRS)(%r15)
	lpswe	LC_RETURN_PSW(\class)
	.endm

	.text
	int_entry s390x_restart_entry, INT_RESTART, LC_SAVE_RESTART, LC_RESTART_OLD_PSW
	int_entry s390x_ext_entry, INT_EXT, LC_SAVE_EXT, LC_EXT_OLD_PSW
	int_entry s390x_svc_entry, INT_SVC, LC_SAVE_SVC, LC_SVC_OLD_PSW
	int_entry s390x_pgm_entry, INT_PGM, LC_SAVE_PGM, LC_PGM_OLD_PSW
	int_entry s390x_mcck_entry, INT_MCCK, LC_SAVE_MCCK, LC_MCCK_OLD_PSW
	int_entry s390x_io_entry, INT_IO, LC_SAVE_IO, LC_IO_OLD_PSW

pgm_loop:
	larl	%r1, pgm_loop_psw
	lpswe	0(%r1)

	/* report_abort()/assert(): traps.c recognises this operation exception by its address. */
	.globl	arch_abort_trap
arch_abort_trap:
	.short	0x0000

/*
 * uint64_t s390x_enter_user(fn r2, arg r3, sp r4, mask r5, ksp r6): saves
 * r6-r15 in the caller's frame and this stack pointer in *ksp, then loads a
 * PSW with @mask (problem state) at fn, with r2 = arg, r15 = a frame at the
 * top of the user stack and r14 = s390x_user_svc. That SVC's handler
 * (user.c) resumes at s390x_user_return in the supervisor state with r15
 * set back to *ksp; r2 still holds fn's result.
 */
	.globl	s390x_enter_user, s390x_user_return
s390x_enter_user:
	stmg	%r6, %r15, 48(%r15)
	stg	%r15, 0(%r6)
	aghi	%r4, -STACK_FRAME_OVERHEAD
	stg	%r5, 16(%r4)
	stg	%r2, 24(%r4)
	lgr	%r15, %r4
	xc	0(8, %r15), 0(%r15)
	lgr	%r2, %r3
	larl	%r14, s390x_user_svc
	lpswe	16(%r15)
s390x_user_svc:
	svc	USER_RETURN_SVC
s390x_user_return:
	lmg	%r6, %r15, 48(%r15)
	br	%r14

	.section .rodata
	.balign	8
pgm_loop_psw:
	.quad	PSW_MASK_WAIT | PSW_KERNEL, 0x0000000000000ee0
