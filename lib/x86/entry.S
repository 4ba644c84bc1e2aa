/* SPDX-License-Identifier: MIT */
/*
 * Exception and interrupt entry: 256 stubs of 16 bytes each (the IDT is
 * filled as base + 16 * vector), one common path that saves struct ex_regs
 * and calls x86_exception(), and the outer-level round trip of run_in_user()
 * and run_at_cpl().
 */
#include "asm/desc.h"
#include "asm/regs.h"

/* Vectors that push an error code (SDM vol. 3, table 6-1; #VC, #SX). */
#define HAS_EC(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
		   (v) == 29 || (v) == 30)

	.text
	/* report_abort()/assert(): desc.c recognises this UD2 by its address. */
	.globl arch_abort_trap
arch_abort_trap:
	ud2

	.balign 16
	.globl x86_vector_stubs
x86_vector_stubs:
	vec = 0
	.rept 256
	.balign 16
	.if HAS_EC(vec)
	.else
	pushq $0
	.endif
	pushq $vec
	jmp x86_isr_common
	vec = vec + 1
	.endr

x86_isr_common:
	push %r15
	push %r14
	push %r13
	push %r12
	push %r11
	push %r10
	push %r9
	push %r8
	push %rdi
	push %rsi
	push %rbp
	push %rbx
	push %rdx
	push %rcx
	push %rax
	cld
	mov %rsp, %rdi
	call x86_exception
	pop %rax
	pop %rcx
	pop %rdx
	pop %rbx
	pop %rbp
	pop %rsi
	pop %rdi
	pop %r8
	pop %r9
	pop %r10
	pop %r11
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	add $16, %rsp
	iretq

/*
 * uint64_t x86_enter_user(fn, arg, stack_top, &saved_rsp, &tss_rsp0, sels)
 * rdi = fn, rsi = arg, rdx = stack top, rcx = where to keep our rsp,
 * r8 = the TSS's RSP0: events from the outer level push their frames below
 * our saved registers; r9 = the outer level's CS (bits 15:0) and SS (bits
 * 31:16), whose RPL is the CPL fn runs at. Returns fn(arg) once fn's side
 * executes the UD2 at x86_user_ud2: the #UD path (desc.c) resumes us at
 * x86_user_return with rax = the result. An exception, unlike INT n, needs
 * no DPL3 gate. The outer side's code lives in .usertext (usermode.h).
 */
	.globl x86_enter_user, x86_user_return, x86_user_ud2
x86_enter_user:
	PUSH_CALLEE_SAVED
	mov %rsp, (%rcx)
	mov %rsp, %rax
	and $~15, %rax
	mov %rax, (%r8)
	mov %r9, %rax
	shr $16, %rax
	push %rax
	push %rdx
	pushf
	movzwl %r9w, %eax
	push %rax
	pushq $user_trampoline
	xchg %rdi, %rsi
	iretq
x86_user_return:
	POP_CALLEE_SAVED
	ret

	.pushsection .usertext, "ax"
user_trampoline:
	call *%rsi
	mov %rax, %rdi
x86_user_ud2:
	ud2
	.popsection
