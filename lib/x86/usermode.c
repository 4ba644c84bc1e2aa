// SPDX-License-Identifier: MIT
/*
 * run_in_user() and run_at_cpl(): call a function at CPL3 (or 1 or 2) on a
 * private per-CPU stack. The boot tables map all memory user-accessible,
 * so image code and the stack are reachable; the function returns through
 * a UD2 at a known address in .usertext (entry.S, desc.c).
 */
#include "alloc.h"
#include "asm/desc.h"
#include "report.h"
#include "user.h"
#include "usermode.h"
#include "x86.h"

uint64_t x86_enter_user(uint64_t (*fn)(uint64_t), uint64_t arg, uintptr_t stack_top,
			uint64_t *saved_rsp, void *tss_rsp0, uint64_t sels);

void *user_stack(void)
{
	struct x86_cpu *c = &x86_cpus[smp_id()];

	if (!c->user_stack) {
		c->user_stack = alloc_pages(2);
		if (!c->user_stack)
			report_abort("out of memory for the CPL3 stack");
	}
	return c->user_stack;
}

uint64_t run_at_cpl(uint16_t cs, uint16_t ss, uint64_t (*fn)(uint64_t), uint64_t arg)
{
	struct x86_cpu *c = &x86_cpus[smp_id()];
	uintptr_t top = (uintptr_t)user_stack() + USER_STACK_SIZE;

	assert((cs & 3) && (cs & 3) == (ss & 3));
	void *rsp0 = (char *)&c->tss + offsetof(struct tss64, rsp);

	return x86_enter_user(fn, arg, top, &c->user_ret_rsp, rsp0, cs | (uint32_t)ss << 16);
}

uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	return run_at_cpl(USER_CS | 3, USER_DS | 3, fn, arg);
}
