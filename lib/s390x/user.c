// SPDX-License-Identifier: MIT
/*
 * run_in_user() in the problem state (lib/user.h; PoP 4.3, PSW bit 15):
 * the function runs with this CPU's PSW but bit 15 set, on a per-CPU stack
 * from the page allocator, and returns to the SVC at s390x_user_svc
 * (entry.S), whose handler here puts the supervisor state and stack back.
 * Storage keys, not DAT, decide what the problem state may touch: with PSW
 * key 0 it reaches all storage, like the supervisor.
 */
#include "alloc.h"
#include "asm/processor.h"
#include "report.h"
#include "s390x.h"
#include "user.h"

#define USER_STACK_ORDER	2	/* 16 KiB */

static void *user_stack[MAX_CPUS];
/* Per CPU: the supervisor's stack pointer and PSW mask while its function runs. */
static uintptr_t user_ksp[MAX_CPUS];
static uint64_t user_kmask[MAX_CPUS];

uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	int cpu = smp_id();
	void **stack = &user_stack[cpu];

	if (!*stack) {
		*stack = alloc_pages(USER_STACK_ORDER);
		if (!*stack)
			report_abort("out of memory for the problem-state stack");
	}
	user_kmask[cpu] = extract_psw_mask();
	return s390x_enter_user(fn, arg, (uintptr_t)*stack + (PAGE_SIZE << USER_STACK_ORDER),
				user_kmask[cpu] | PSW_MASK_PSTATE, &user_ksp[cpu]);
}

bool user_return(struct ex_regs *r)
{
	int cpu = smp_id();

	if (r->info.svc_code != USER_RETURN_SVC || !(r->psw.mask & PSW_MASK_PSTATE) ||
	    r->psw.addr != (uintptr_t)s390x_user_return)
		return false;
	r->psw.mask = user_kmask[cpu];
	r->gprs[15] = user_ksp[cpu];
	return true;
}
