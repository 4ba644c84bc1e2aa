// SPDX-License-Identifier: MIT
/*
 * run_in_user(): call a function at CPL3. The boot tables map all memory
 * user-accessible, so image code and a private stack are reachable; the
 * function returns through a UD2 at a known address (entry.S, desc.c).
 */
#include "alloc.h"
#include "asm/desc.h"
#include "report.h"
#include "user.h"
#include "x86.h"

uint64_t x86_enter_user(uint64_t (*fn)(uint64_t), uint64_t arg, uintptr_t stack_top,
			uint64_t *saved_rsp, void *tss_rsp0);

uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg)
{
	struct x86_cpu *c = &x86_cpus[smp_id()];

	if (!c->user_stack) {
		c->user_stack = alloc_pages(2);
		if (!c->user_stack)
			report_abort("out of memory for the CPL3 stack");
	}
	return x86_enter_user(fn, arg, (uintptr_t)c->user_stack + 4 * 4096, &c->user_ret_rsp,
			      (char *)&c->tss + offsetof(struct tss64, rsp));
}
