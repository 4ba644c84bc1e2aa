/* SPDX-License-Identifier: MIT */
/*
 * GPR save and restore for assembly that hands the CPU to other code which
 * returns with every GPR clobbered (run_in_user's CPL3 side, a VMRUN guest),
 * while its own caller expects the SysV callee-saved registers intact.
 */
#ifndef X86_ASM_REGS_H
#define X86_ASM_REGS_H

#ifdef __ASSEMBLER__
/*
 * PUSH_CALLEE_SAVED: the function's first instructions.
 * in:  rsp = the return address (just after the CALL)
 * out: rbp = the frame pointer (return address at 8(%rbp)), then rbx and
 *      r12-r15 pushed below it; rsp = entry rsp - 48
 * clobbers: nothing else
 */
.macro PUSH_CALLEE_SAVED
	push %rbp
	mov %rsp, %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
.endm

/*
 * POP_CALLEE_SAVED: undoes PUSH_CALLEE_SAVED; a RET follows.
 * in:  rsp = where PUSH_CALLEE_SAVED left it
 * out: rbx, rbp and r12-r15 as they were at entry; rsp = the return address
 * clobbers: nothing else
 */
.macro POP_CALLEE_SAVED
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
.endm
#endif /* __ASSEMBLER__ */

#endif
