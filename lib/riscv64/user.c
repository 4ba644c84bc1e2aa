// SPDX-License-Identifier: MIT
/*
 * run_in_user() in U-mode (lib/user.h). An S-mode hart can never execute
 * a page mapped for U-mode, whatever sstatus.SUM says (privileged
 * architecture 4.3.1, U bit), so the function runs from the image's alias
 * at USER_ALIAS_OFFSET (mmu.c): its code and what it reaches PC-relative
 * (globals, other functions) are there, RAM outside the image (heap,
 * stacks) is U-mode's at its own address. Pointers into the image that
 * S-mode made point at S-mode's copy of the mapping, which U-mode cannot
 * touch. The function runs on a per-CPU stack from the page allocator and
 * returns to the ECALL at riscv_user_ecall's alias (entry.S, traps.c).
 */
#include "alloc.h"
#include "asm/exception.h"
#include "report.h"
#include "riscv64.h"
#include "user.h"

#define USER_STACK_ORDER	2	/* 16 KiB */

static void *user_stack[MAX_CPUS];

uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	void **stack = &user_stack[smp_id()];
	uintptr_t f = (uintptr_t)fn;

	if (f < (uintptr_t)__image_start || f >= (uintptr_t)__text_end)
		report_abort("run_in_user: %#lx is not in the image's text", (unsigned long)f);
	if (!*stack) {
		*stack = alloc_pages(USER_STACK_ORDER);
		if (!*stack)
			report_abort("out of memory for the U-mode stack");
	}
	return riscv_enter_user((uint64_t (*)(uint64_t))(f + USER_ALIAS_OFFSET), arg,
				(uintptr_t)*stack + (PAGE_SIZE << USER_STACK_ORDER));
}
