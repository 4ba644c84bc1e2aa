// SPDX-License-Identifier: MIT
/*
 * run_in_user() at EL0 (lib/user.h). The identity map (mmu.c) gives EL0
 * the image's text read-only and executable and all other RAM read-write,
 * never executable; the function runs at EL0t on a per-CPU stack from the
 * page allocator and comes back through the SVC at arm64_user_svc
 * (entry.S, traps.c). Arm ARM: AArch64.ExceptionReturn (ERET to EL0t),
 * D1.10.1 (an SVC's preferred return address is the next instruction).
 */
#include "alloc.h"
#include "arm64.h"
#include "asm/sysreg.h"
#include "report.h"
#include "user.h"

#define USER_STACK_ORDER	2	/* 16 KiB */

static void *user_stack[MAX_CPUS];

uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	void **stack = &user_stack[smp_id()];

	if (!*stack) {
		*stack = alloc_pages(USER_STACK_ORDER);
		if (!*stack)
			report_abort("out of memory for the EL0 stack");
	}
	return arm64_enter_user(fn, arg, (uintptr_t)*stack + (PAGE_SIZE << USER_STACK_ORDER),
				(read_sysreg(daif) & SPSR_DAIF) | SPSR_MODE_EL0T);
}
