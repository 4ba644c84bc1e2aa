/* SPDX-License-Identifier: MIT */
/*
 * The VMRUN round trip and the guest's entry point (AMD APM vol. 2: 15.5
 * VMRUN, 15.6 #VMEXIT, 15.5.2 VMLOAD/VMSAVE, 15.17 GIF).
 *
 * VMRUN saves and restores only RAX, RSP and RIP of the host's registers
 * (plus segment, control and flag state in VM_HSAVE_PA's page); every
 * other GPR holds the guest's value after #VMEXIT. FS, GS, TR, LDTR,
 * KernelGsBase, STAR/LSTAR/CSTAR/SFMASK and SYSENTER_* are neither saved
 * nor loaded by VMRUN: VMSAVE/VMLOAD move them, around VMRUN, with GIF
 * clear so that no interrupt sees the guest's copy.
 */
#include "svm.h"
#include "asm/regs.h"

	.text
/*
 * void svm_vmrun_asm(struct svm_guest *g, void *host_save, uint64_t host_if)
 * in:  rdi = g (its VMCB is its first page), rsi = a page for the host's
 *      VMSAVE state, rdx = non-zero to run with host RFLAGS.IF set
 * out: g->gprs = the guest's GPRs, g->host_rsp_before/after = RSP around
 *      VMRUN; the VMCB holds the exit and the guest's VMSAVE state
 * clobbers: rax, rcx, rdx, rsi, rdi, r8-r11 (the C ABI's scratch set)
 */
	.globl svm_vmrun_asm
svm_vmrun_asm:
	PUSH_CALLEE_SAVED
	push %rdx			/* 16(%rsp): host_if */
	push %rsi			/*  8(%rsp): host save page */
	push %rdi			/*  0(%rsp): g */
	clgi
	mov %rsi, %rax
	vmsave %rax
	mov %rdi, %rax
	vmload %rax
	/* The same host IF on every CPU (on_cpu runs work with IF=1). */
	test %rdx, %rdx
	jz 1f
	sti				/* GIF=0 holds interrupts until VMRUN */
	jmp 2f
1:	cli
2:	mov %rsp, SVM_GPR(SVM_HOST_RSP_BEFORE)(%rax)
	mov SVM_GPR(SVM_RBX)(%rax), %rbx
	mov SVM_GPR(SVM_RCX)(%rax), %rcx
	mov SVM_GPR(SVM_RDX)(%rax), %rdx
	mov SVM_GPR(SVM_RBP)(%rax), %rbp
	mov SVM_GPR(SVM_RSI)(%rax), %rsi
	mov SVM_GPR(SVM_RDI)(%rax), %rdi
	mov SVM_GPR(SVM_R8)(%rax), %r8
	mov SVM_GPR(SVM_R9)(%rax), %r9
	mov SVM_GPR(SVM_R10)(%rax), %r10
	mov SVM_GPR(SVM_R11)(%rax), %r11
	mov SVM_GPR(SVM_R12)(%rax), %r12
	mov SVM_GPR(SVM_R13)(%rax), %r13
	mov SVM_GPR(SVM_R14)(%rax), %r14
	mov SVM_GPR(SVM_R15)(%rax), %r15
	vmrun %rax
	/* #VMEXIT: RAX = g again (host RAX), RSP restored, GIF = 0. */
	mov %rsp, SVM_GPR(SVM_HOST_RSP_AFTER)(%rax)
	mov %rbx, SVM_GPR(SVM_RBX)(%rax)
	mov %rcx, SVM_GPR(SVM_RCX)(%rax)
	mov %rdx, SVM_GPR(SVM_RDX)(%rax)
	mov %rbp, SVM_GPR(SVM_RBP)(%rax)
	mov %rsi, SVM_GPR(SVM_RSI)(%rax)
	mov %rdi, SVM_GPR(SVM_RDI)(%rax)
	mov %r8, SVM_GPR(SVM_R8)(%rax)
	mov %r9, SVM_GPR(SVM_R9)(%rax)
	mov %r10, SVM_GPR(SVM_R10)(%rax)
	mov %r11, SVM_GPR(SVM_R11)(%rax)
	mov %r12, SVM_GPR(SVM_R12)(%rax)
	mov %r13, SVM_GPR(SVM_R13)(%rax)
	mov %r14, SVM_GPR(SVM_R14)(%rax)
	mov %r15, SVM_GPR(SVM_R15)(%rax)
	cli
	vmsave %rax
	mov 8(%rsp), %rax
	vmload %rax
	stgi
	add $24, %rsp
	POP_CALLEE_SAVED
	ret

/* The guest's hypercall loop: nested_guest_entry makes fn return here. */
	.globl svm_guest_vmmcall
svm_guest_vmmcall:
	vmmcall
	jmp svm_guest_vmmcall
