// SPDX-License-Identifier: MIT
/*
 * Framework self-test that must FAIL: each subtest breaks the guest in one
 * way, and the runner must report a FAIL that says how (tests/runner/
 * crash.sh checks the reasons). Select exactly one subtest by name:
 *   unexpected_exception  a load page fault nobody expects: FAIL line, dump, EXIT 1
 *   unexpected_irq        an IPI to itself, no handler: FAIL line, dump, EXIT 1
 *   secondary_exception   the same page fault on the last CPU
 *   hang                  spins forever with interrupts off: timeout
 *   silent                reports no check at all: "no checks reported"
 * All but unexpected_irq are common/crash_selftest.c.
 */
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "sbi.h"
#include "smp.h"
#include "subtest.h"
#include "timer.h"
#include "../common/crash_selftest.h"

static void unexpected_irq(void)
{
	report_info("sending an IPI to this hart with no handler installed");
	sbi_send_ipi(1, cpu_hartid(smp_id()));
	local_irq_enable();
	mdelay(10);
	report_fail("execution continued after an unexpected interrupt");
}

static const struct subtest tests[] = {
	CRASH_SUBTESTS_SHARED,
	SUBTEST(unexpected_irq),
};

SUBTESTS_MAIN(tests)
