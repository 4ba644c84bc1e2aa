// SPDX-License-Identifier: MIT
/*
 * Framework self-tests that must FAIL, written once for every arch
 * (common/crash_selftest.h): an unexpected exception on the boot CPU and on
 * another, a hang, a test that reports nothing. Each breaks the guest in
 * one way; the runner must report a FAIL that says how.
 */
#include "arch.h"
#include "report.h"
#include "smp.h"
#include "crash_selftest.h"

void crash_unexpected_exception(void)
{
	report_info("reading unmapped page 0 without a fixup");
	(void)*(volatile int *)0;
	report_fail("execution continued after an unexpected exception");
}

static void fault(void *data)
{
	(void)*(volatile int *)0;
}

void secondary_exception(void)
{
	report_info("reading unmapped page 0 on CPU %d", cpu_count() - 1);
	on_cpu(cpu_count() - 1, fault, NULL);
	report_fail("execution continued after an unexpected exception on another CPU");
}

void hang(void)
{
	report_info("spinning forever with interrupts disabled");
	arch_irq_disable();
	for (;;)
		arch_cpu_relax();
}

void silent(void)
{
}
