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
 */
#include "asm/processor.h"
#include "gic.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

static void unexpected_exception(void)
{
	report_info("reading unmapped page 0 without a fixup");
	(void)*(volatile int *)0;
	report_fail("execution continued after an unexpected data abort");
}

static void unexpected_irq(void)
{
	report_info("sending SGI 5 to this CPU with no handler installed");
	gic_send_sgi_self(5);
	local_irq_enable();
	for (int i = 0; i < 1000; i++)
		isb();
	report_fail("execution continued after an unexpected interrupt");
}

static void fault(void *data)
{
	(void)*(volatile int *)0;
}

static void secondary_exception(void)
{
	report_info("reading unmapped page 0 on CPU %d", cpu_count() - 1);
	on_cpu(cpu_count() - 1, fault, NULL);
	report_fail("execution continued after an unexpected data abort on another CPU");
}

static void hang(void)
{
	report_info("spinning forever with interrupts disabled");
	local_irq_disable();
	for (;;)
		asm volatile("yield");
}

static void silent(void)
{
}

static const struct subtest tests[] = {
	SUBTEST(unexpected_exception),
	SUBTEST(unexpected_irq),
	SUBTEST_SMP(secondary_exception, NULL, 2),
	SUBTEST(hang),
	SUBTEST(silent),
};

SUBTESTS_MAIN(tests)
