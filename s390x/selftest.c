// SPDX-License-Identifier: MIT
/*
 * The s390x runtime tests itself against the VMM.
 */
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"
#include "../common/selftest.h"

uint64_t selftest_cpu_hwid(void)
{
	return stap();
}

static uint64_t user_stap(uint64_t arg)
{
	uint16_t a;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("stap %1") : "+r"(ex), "=Q"(a) : : "memory");
	return ex;
}

void selftest_check_user(void)
{
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_stap, 0),
		   "STAP in the problem state is a privileged-operation exception, ILC 2");
}

static void exceptions(void)
{
	report_exc(EXINFO(PGM_OPERATION, 1), asm_safe(".short 0x0000"),
		   "opcode 0x00 is an operation exception, ILC 1");
}

static const struct subtest tests[] = {
	SUBTEST(args),
	SUBTEST(smp),
	SUBTEST_SMP(smp_async, NULL, 2),
	SUBTEST(exceptions),
	SUBTEST(usermode),
};

SUBTESTS_MAIN(tests)
