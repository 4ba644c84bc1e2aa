/* SPDX-License-Identifier: MIT */
/*
 * x86_paging_switch(cr3, cr4) (paging.h): reload CR3 and CR4 with paging
 * off, through compatibility mode. The upper halves of the GPRs are
 * undefined after a 32-bit stretch (SDM vol. 1 3.4.1.1), so everything the
 * caller keeps is pushed first and RSP is rebuilt from ESP (the stack is
 * below 4 GiB).
 */
#include "asm/desc.h"
#include "asm/regs.h"

#define CR0_PG	0x80000000

	.text
	.globl x86_paging_switch
x86_paging_switch:
	PUSH_CALLEE_SAVED
	pushq $KERNEL_CS32
	lea 1f(%rip), %rax
	push %rax
	lretq
	.code32
1:	mov %cr0, %eax
	and $~CR0_PG, %eax
	mov %eax, %cr0
	mov %esi, %cr4
	mov %edi, %cr3
	or $CR0_PG, %eax
	mov %eax, %cr0
	ljmp $KERNEL_CS, $2f
	.code64
2:	mov %esp, %esp
	POP_CALLEE_SAVED
	ret
