// SPDX-License-Identifier: MIT
/*
 * Framework self-test that must FAIL: each subtest breaks the guest in one
 * way, and the runner must report a FAIL that says how. Select exactly one
 * subtest by name:
 *   unexpected_exception  a data abort nobody expects: FAIL line, dump, EXIT 1
 *   unexpected_irq        an SGI without a handler: FAIL line, dump, EXIT 1
 *   secondary_exception   the same data abort on the last CPU
 *   hang                  spins forever with interrupts off: timeout
 *   silent                reports no check at all: "no checks reported"
 * All but unexpected_irq are common/crash_selftest.c.
 */
#include "asm/processor.h"
#include "gic.h"
#include "report.h"
#include "subtest.h"
#include "../common/crash_selftest.h"

static void unexpected_irq(void)
{
	report_info("sending SGI 5 to this CPU with no handler installed");
	gic_send_sgi_self(5);
	local_irq_enable();
	for (int i = 0; i < 1000; i++)
		isb();
	report_fail("execution continued after an unexpected interrupt");
}

static const struct subtest tests[] = {
	CRASH_SUBTESTS_SHARED,
	SUBTEST(unexpected_irq),
};

SUBTESTS_MAIN(tests)
