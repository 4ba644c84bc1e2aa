// SPDX-License-Identifier: MIT
/*
 * Non-canonical addresses through the stack segment (SDM vol. 3A 3.3.7.1,
 * 6.15 interrupts 12 and 13; vol. 2 "64-bit mode exceptions" of PUSH, POP,
 * MOV; APM vol. 2 8.2.13): an access whose segment is SS (RSP or RBP as
 * base) raises #SS(0), any other #GP(0). In 64-bit mode the DS, ES and SS
 * override prefixes are ignored (SDM vol. 1 3.3.7.1, vol. 2A 2.2.1;
 * APM vol. 3 1.2.4), so DS:(RBP) is still a stack
 * access and SS:(RAX) is not. At CPL3 (the fault frame goes to TSS.RSP0,
 * so RSP itself may be non-canonical) and, for RBP, at CPL0.
 */
#include "descriptors.h"

#define NC	"$0x8000000000000000"

/* Each stub: the faulting access in ASM_TRY, with its registers restored after. */
#define RSP_STUB(name, insn)							\
	static uint64_t name(uint64_t unused)					\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile("mov %%rsp, %%r11\n\tmovabs " NC ", %%rsp\n\t"	\
			     ASM_TRY(insn) "3:\n\tmov %%r11, %%rsp"		\
			     : "+r"(ex) : : "rax", "r11", "memory");		\
		return ex;							\
	}
#define RBP_STUB(name, insn)							\
	static uint64_t name(uint64_t unused)					\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile("mov %%rbp, %%r11\n\tmovabs " NC ", %%rbp\n\t"	\
			     "movabs " NC ", %%rax\n\txor %%ecx, %%ecx\n\t"	\
			     ASM_TRY(insn) "mov %%r11, %%rbp"			\
			     : "+r"(ex) : : "rax", "rcx", "r11", "memory");	\
		return ex;							\
	}

RSP_STUB(push_rsp, "push %%rax")
RSP_STUB(pop_rsp, "pop %%rax")
RSP_STUB(call_rsp, "call 3f")
RSP_STUB(mov_rsp, "mov (%%rsp), %%rax")
RBP_STUB(mov_rbp, "mov (%%rbp), %%rcx")
RBP_STUB(mov_rbp_ds, "mov %%ds:(%%rbp), %%rcx")
RBP_STUB(mov_rax, "mov (%%rax), %%rcx")
RBP_STUB(mov_rax_ss, "mov %%ss:(%%rax), %%rcx")
RBP_STUB(mov_rbp_idx, "mov (%%rbp,%%rcx,1), %%rcx")
RBP_STUB(mov_rax_rbp_idx, "mov (%%rax,%%rcx,1), %%rcx")

static const struct {
	const char *what;
	uint64_t (*fn)(uint64_t);
	bool ss, rsp;
} rows[] = {
	{ "PUSH with a non-canonical RSP", push_rsp, true, true },
	{ "POP with a non-canonical RSP", pop_rsp, true, true },
	{ "CALL with a non-canonical RSP", call_rsp, true, true },
	{ "a read at (RSP), RSP non-canonical", mov_rsp, true, true },
	{ "a read at (RBP), RBP non-canonical", mov_rbp, true, false },
	{ "a read at DS:(RBP) (override ignored), RBP non-canonical", mov_rbp_ds, true, false },
	{ "a read at (RAX), RAX non-canonical", mov_rax, false, false },
	{ "a read at SS:(RAX) (override ignored), RAX non-canonical", mov_rax_ss, false, false },
	{ "a read at (RBP+RCX), base RBP non-canonical", mov_rbp_idx, true, false },
	{ "a read at (RAX+RCX), base RAX non-canonical", mov_rax_rbp_idx, false, false },
};

void stack_noncanonical(void)
{
	for (int cpl = 0; cpl < 4; cpl += 3) {
		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			exinfo_t want = EXINFO(rows[i].ss ? SS_VECTOR : GP_VECTOR, 0);

			/* At CPL0 the fault frame would go to the non-canonical RSP. */
			if (!cpl && rows[i].rsp)
				continue;
			report_exc(want, run_cpl(cpl, rows[i].fn, 0), "CPL%d %s raises %s", cpl,
				   rows[i].what, rows[i].ss ? "#SS(0)" : "#GP(0)");
		}
	}
}
