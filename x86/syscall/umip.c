// SPDX-License-Identifier: MIT
/*
 * User-mode instruction prevention (SDM vol. 3A 2.5 CR4.UMIP, vol. 2 SGDT,
 * SIDT, SLDT, STR, SMSW; APM vol. 2 3.1.3): with CR4.UMIP = 1 the five
 * store instructions raise #GP(0) at CPL > 0; at CPL0, and with UMIP = 0
 * at any CPL, they execute. One check per instruction form, CR4.UMIP value
 * and CPL (0 and 3).
 */
#include "syscall.h"
#include "user.h"

uint8_t umip_buf[16] __aligned(16);

#define UMIP_STUB(name, insn)							\
	static uint64_t name(uint64_t unused)					\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile(ASM_TRY(insn) : "+r"(ex) : : "rax", "memory");	\
		return ex;							\
	}
UMIP_STUB(u_sgdt, "sgdt umip_buf(%%rip)")
UMIP_STUB(u_sidt, "sidt umip_buf(%%rip)")
UMIP_STUB(u_sldt, "sldt %%ax")
UMIP_STUB(u_sldt_m, "sldt umip_buf(%%rip)")
UMIP_STUB(u_str, "str %%ax")
UMIP_STUB(u_str_m, "str umip_buf(%%rip)")
UMIP_STUB(u_smsw, "smsw %%rax")
UMIP_STUB(u_smsw_m, "smsw umip_buf(%%rip)")

static const struct {
	const char *name;
	uint64_t (*fn)(uint64_t);
} insns[] = {
	{ "SGDT m", u_sgdt }, { "SIDT m", u_sidt }, { "SLDT r16", u_sldt },
	{ "SLDT m16", u_sldt_m }, { "STR r16", u_str }, { "STR m16", u_str_m },
	{ "SMSW r64", u_smsw }, { "SMSW m16", u_smsw_m },
};

const char *need_umip(void)
{
	return this_cpu_has(X86_FEATURE_UMIP) ? NULL : "UMIP (CPUID.7.0:ECX[2]) not supported";
}

void umip(void)
{
	uint64_t cr4 = read_cr4();

	for (int on = 0; on < 2; on++) {
		write_cr4(on ? cr4 | X86_CR4_UMIP : cr4 & ~X86_CR4_UMIP);
		for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
			report_exc(0, insns[i].fn(0), "CR4.UMIP=%d CPL0 %s", on, insns[i].name);
			report_exc(on ? EXINFO(GP_VECTOR, 0) : 0, run_in_user(insns[i].fn, 0),
				   "CR4.UMIP=%d CPL3 %s%s", on, insns[i].name,
				   on ? " raises #GP(0)" : "");
		}
	}
	write_cr4(cr4);
}
