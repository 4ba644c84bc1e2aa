// SPDX-License-Identifier: MIT
/*
 * Framework self-test that must FAIL: each subtest breaks the guest in one
 * way, and the runner must report a FAIL that says how (tests/runner/
 * crash.sh checks the reasons). Select exactly one subtest by name:
 *   unexpected_exception  a #PF nobody expects: FAIL line, dump, EXIT 1
 *   triple_fault          no IDT, then an exception: the VM resets or stops
 *   hang                  spins forever with interrupts off: timeout
 *   silent                reports no check at all: "no checks reported"
 * All but triple_fault are common/crash_selftest.c.
 */
#include "report.h"
#include "subtest.h"
#include "../common/crash_selftest.h"

static void triple_fault(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed null_idt = { 0, 0 };

	/* UD2, not INT3: kvm-pvm dies emulating INT3 before any triple fault. */
	report_info("loading an empty IDT, then UD2");
	asm volatile("lidt %0; ud2" : : "m"(null_idt));
	report_fail("execution continued after a triple fault");
}

static const struct subtest tests[] = {
	CRASH_SUBTEST_UNEXPECTED_EXCEPTION,
	SUBTEST(triple_fault),
	SUBTEST(hang),
	SUBTEST(silent),
};

SUBTESTS_MAIN(tests)
