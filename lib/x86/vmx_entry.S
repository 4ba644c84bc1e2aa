/* SPDX-License-Identifier: MIT */
/*
 * The VMLAUNCH/VMRESUME round trip (Intel SDM vol. 3C: 27 VM entries, 28.5
 * loading host state, 31.2 VMX instruction conventions) and the guest's
 * hypercall loop.
 *
 * A VM exit loads RSP and RIP from the host-state area and leaves every
 * other GPR holding the guest's value; RFLAGS is 0x2. So HOST_RSP is the
 * stack right here (written before each entry), HOST_RIP is vmx_exit_host
 * (written with the rest of the host state), and the guest's GPRs come
 * from and go back to struct vmx_guest.
 */
#include "vmx.h"
#include "asm/regs.h"

	.text
/*
 * uint64_t vmx_enter_asm(struct vmx_guest *g, uint64_t resume)
 * in:  rdi = g, its VMCS current; rsi = non-zero for VMRESUME, else VMLAUNCH
 * out: rax = 0 after a VM exit (g->gprs hold the guest's GPRs), 1 for
 *      VMfailInvalid, 2 for VMfailValid (of the entry instruction or of
 *      the VMWRITE of HOST_RSP); g->host_rsp_before/after = RSP at the
 *      entry instruction and after the exit
 * clobbers: rcx, rdx, rsi, rdi, r8-r11 (the C ABI's scratch set)
 */
	.globl vmx_enter_asm
vmx_enter_asm:
	PUSH_CALLEE_SAVED
	push %rdi			/* 0(%rsp): g, found again after the exit */
	mov %rsp, VMX_HOST_RSP_BEFORE(%rdi)
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe 2f
	/* MOV leaves the flags alone: ZF from this TEST chooses the instruction. */
	test %rsi, %rsi
	mov VMX_GPR(0)(%rdi), %rax
	mov VMX_GPR(1)(%rdi), %rbx
	mov VMX_GPR(2)(%rdi), %rcx
	mov VMX_GPR(3)(%rdi), %rdx
	mov VMX_GPR(4)(%rdi), %rbp
	mov VMX_GPR(5)(%rdi), %rsi
	mov VMX_GPR(7)(%rdi), %r8
	mov VMX_GPR(8)(%rdi), %r9
	mov VMX_GPR(9)(%rdi), %r10
	mov VMX_GPR(10)(%rdi), %r11
	mov VMX_GPR(11)(%rdi), %r12
	mov VMX_GPR(12)(%rdi), %r13
	mov VMX_GPR(13)(%rdi), %r14
	mov VMX_GPR(14)(%rdi), %r15
	mov VMX_GPR(6)(%rdi), %rdi
	jnz 1f
	vmlaunch
	jmp 2f
1:	vmresume
	/* VMfail: no entry, RSP as it was; CF=1 VMfailInvalid, ZF=1 VMfailValid. */
2:	mov $1, %eax
	jc 3f
	mov $2, %eax
3:	add $8, %rsp
	POP_CALLEE_SAVED
	ret

/* The host resumes here after every VM exit: RSP = HOST_RSP, RFLAGS = 0x2. */
	.globl vmx_exit_host
vmx_exit_host:
	push %rdi
	mov 8(%rsp), %rdi
	mov %rax, VMX_GPR(0)(%rdi)
	mov %rbx, VMX_GPR(1)(%rdi)
	mov %rcx, VMX_GPR(2)(%rdi)
	mov %rdx, VMX_GPR(3)(%rdi)
	mov %rbp, VMX_GPR(4)(%rdi)
	mov %rsi, VMX_GPR(5)(%rdi)
	mov %r8, VMX_GPR(7)(%rdi)
	mov %r9, VMX_GPR(8)(%rdi)
	mov %r10, VMX_GPR(9)(%rdi)
	mov %r11, VMX_GPR(10)(%rdi)
	mov %r12, VMX_GPR(11)(%rdi)
	mov %r13, VMX_GPR(12)(%rdi)
	mov %r14, VMX_GPR(13)(%rdi)
	mov %r15, VMX_GPR(14)(%rdi)
	pop %rax
	mov %rax, VMX_GPR(6)(%rdi)
	mov %rsp, VMX_HOST_RSP_AFTER(%rdi)
	xor %eax, %eax
	add $8, %rsp
	POP_CALLEE_SAVED
	ret

/* The guest's hypercall loop: nested_guest_entry makes fn return here. */
	.globl vmx_guest_vmcall
vmx_guest_vmcall:
	vmcall
	jmp vmx_guest_vmcall
