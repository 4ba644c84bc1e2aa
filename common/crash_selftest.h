/* SPDX-License-Identifier: MIT */
/*
 * The framework self-tests that must FAIL and read the same on every arch
 * (common/crash_selftest.c): each arch's <arch>/crash_selftest.c lists
 * them in its table next to its own (x86 triple_fault, arm64 and riscv64
 * unexpected_irq). tests/runner/crash.sh checks the reason of each.
 */
#ifndef COMMON_CRASH_SELFTEST_H
#define COMMON_CRASH_SELFTEST_H

/*
 * A read of unmapped page 0 without a fixup: FAIL line, dump, EXIT 1. The
 * subtest is "unexpected_exception"; lib's function of that name is why
 * its C name differs: list it as CRASH_SUBTEST_UNEXPECTED_EXCEPTION.
 */
void crash_unexpected_exception(void);
#define CRASH_SUBTEST_UNEXPECTED_EXCEPTION \
	{ .name = "unexpected_exception", .fn = crash_unexpected_exception }
/* The same on the last CPU (SUBTEST_SMP(secondary_exception, NULL, 2)). */
void secondary_exception(void);
/* Spins forever with interrupts disabled: the runner's timeout. */
void hang(void);
/* Reports no check at all: "no checks reported". */
void silent(void);

/* All four as table entries (arm64, riscv64; x86 has no secondary_exception). */
#define CRASH_SUBTESTS_SHARED							\
	CRASH_SUBTEST_UNEXPECTED_EXCEPTION, SUBTEST_SMP(secondary_exception, NULL, 2),	\
	SUBTEST(hang), SUBTEST(silent)

#endif
