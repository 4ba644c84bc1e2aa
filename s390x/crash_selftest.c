// SPDX-License-Identifier: MIT
/*
 * Framework self-test that must FAIL: each subtest breaks the guest in one
 * way, and the runner must report a FAIL that says how (tests/runner/
 * crash.sh checks the reasons). Select exactly one subtest by name:
 *   unexpected_exception  a page-translation exception nobody expects (page
 *                         0 is unmapped): FAIL line, dump, EXIT 1
 *   unexpected_irq        a clock-comparator interruption nobody handles
 *   secondary_exception   the same page-translation exception on the last CPU
 *   recursive_fault       a program-check handler that faults again and
 *                         again: lib stops the CPU in a disabled wait, which
 *                         QEMU reports as a guest crash with the PSW
 *   hang                  spins forever with interruptions off: timeout
 *   silent                reports no check at all: "no checks reported"
 */
#include "arch.h"
#include "asm/cr.h"
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

static void unexpected_exception(void)
{
	report_info("reading unmapped page 0 without a fixup");
	(void)*(volatile int *)0;
	report_fail("execution continued after an unexpected page-translation exception");
}

static void unexpected_irq(void)
{
	report_info("clock comparator at the current time, subclass and interruptions on");
	set_clock_comparator(get_clock());
	ctl_set_bits(0, CR0_CLOCK_COMP);
	local_irq_enable();
	/* Generous: the request exists at once, a TCG vCPU may take a while to see it. */
	udelay(1000000);
	report_fail("execution continued after an unexpected external interruption");
}

static void fault(void *data)
{
	(void)*(volatile int *)0;
}

static void secondary_exception(void)
{
	report_info("reading unmapped page 0 on CPU %d", cpu_count() - 1);
	on_cpu(cpu_count() - 1, fault, NULL);
	report_fail("execution continued after an unexpected exception on another CPU");
}

/* Each operation exception's handler raises another one. */
static void fault_again(struct ex_regs *regs)
{
	asm volatile(".short 0x0000");
}

static void recursive_fault(void)
{
	report_info("an operation-exception handler that raises operation exceptions");
	install_exception_handler(PGM_OPERATION, fault_again);
	asm volatile(".short 0x0000");
	report_fail("execution continued after recursive program checks");
}

static void hang(void)
{
	report_info("spinning forever with interruptions disabled");
	local_irq_disable();
	for (;;)
		cpu_relax();
}

static void silent(void)
{
}

static const struct subtest tests[] = {
	SUBTEST(unexpected_exception),
	SUBTEST(unexpected_irq),
	SUBTEST_SMP(secondary_exception, NULL, 2),
	SUBTEST(recursive_fault),
	SUBTEST(hang),
	SUBTEST(silent),
};

SUBTESTS_MAIN(tests)
