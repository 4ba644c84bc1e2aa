/* SPDX-License-Identifier: MIT */
/*
 * The report API: one line per check in the format kvm-unit-tests harnesses
 * parse (PASS/FAIL/SKIP/XFAIL/XPASS/KFAIL/INFO), then SUMMARY and EXIT.
 */
#ifndef LIB_REPORT_H
#define LIB_REPORT_H

#include "libc.h"
#include "exinfo.h"


void report_prefix_push(const char *prefix);
void report_prefix_pushf(const char *fmt, ...) __printf(1, 2);
void report_prefix_pop(void);
int report_prefix_depth(void);

/**
 * report() - record one check.
 * @pass: the check's outcome
 * Return: @pass, so callers can branch on it.
 *
 * A check that matches a known-failure glob from the environment
 * (KNOWN_FAIL_<n>) is reported as XFAIL when it fails and as XPASS (an
 * unexpected pass, counted as a failure) when it passes; either line ends
 * with the entry's tag " [known-failures.txt:<line>]" (KNOWN_AT_<n>). An
 * entry with a pin (KNOWN_GOT_<n>) makes a failure an XFAIL only when the
 * typed check's actual value matches the pin, else a FAIL that says what the
 * entry expected. The first entry (lowest <n>) whose glob matches decides.
 */
bool report(bool pass, const char *fmt, ...) __printf(2, 3);
void report_pass(const char *fmt, ...) __printf(1, 2);
void report_fail(const char *fmt, ...) __printf(1, 2);
void report_skip(const char *fmt, ...) __printf(1, 2);
void report_info(const char *fmt, ...) __printf(1, 2);
bool report_xfail(bool xfail, bool pass, const char *fmt, ...) __printf(3, 4);
bool report_kfail(bool kfail, bool pass, const char *fmt, ...) __printf(3, 4);
/* The environment is broken: ABORT line, registers, backtrace, status 2. */
void __noreturn report_abort(const char *fmt, ...) __printf(1, 2);
void __noreturn assert_fail(const char *expr, const char *file, int line);

/*
 * Ends the message of a check whose outcome, under hardware-assisted
 * virtualization, the physical CPU decides rather than the VMM (guest code
 * running natively: an instruction the guest's CPUID hides but the host
 * implements executes). known-failures.txt keys such entries on host words.
 */
#define REPORT_HOST_DECIDES	" (host CPU decides under KVM)"

/* A broken assumption of the test or lib itself (not a check: use report). */
#define assert(cond) ((cond) ? (void)0 : assert_fail(#cond, __FILE__, __LINE__))

/**
 * report_decoded() - record a check whose values the caller decoded to text.
 * @pass: the check's outcome
 * @expected: what the architecture calls for ("#GP(0x0)", "VMEXIT_VMMCALL")
 * @actual: what happened, decoded the same way
 * Return: @pass.
 *
 * A failed check's line ends in " (expected @expected, got @actual)", the
 * one format of every typed check (report_eq, report_exc, svm_report_exit).
 */
bool report_decoded(bool pass, const char *expected, const char *actual, const char *fmt, ...)
	__printf(4, 5);
bool vreport_decoded(bool pass, const char *expected, const char *actual, const char *fmt,
		     va_list ap) __printf(4, 0);

bool report_eq_u64(uint64_t expected, uint64_t actual, bool hex, const char *fmt, ...)
	__printf(4, 5);
bool report_exc(exinfo_t expected, exinfo_t actual, const char *fmt, ...) __printf(3, 4);
/* @actual within [@lo, @hi]; a failure shows "(expected lo..hi, got actual)". */
bool report_range_u64(uint64_t lo, uint64_t hi, uint64_t actual, bool hex, const char *fmt, ...)
	__printf(5, 6);

/* Typed checks: on failure the line also shows "(expected X, got Y)". */
#define report_eq(exp, act, ...) \
	report_eq_u64((uint64_t)(exp), (uint64_t)(act), false, __VA_ARGS__)
#define report_eq_x(exp, act, ...) \
	report_eq_u64((uint64_t)(exp), (uint64_t)(act), true, __VA_ARGS__)
#define report_in_range(lo, hi, act, ...) \
	report_range_u64((uint64_t)(lo), (uint64_t)(hi), (uint64_t)(act), false, __VA_ARGS__)
#define report_in_range_x(lo, hi, act, ...) \
	report_range_u64((uint64_t)(lo), (uint64_t)(hi), (uint64_t)(act), true, __VA_ARGS__)

/**
 * report_status() - the exit status the checks so far call for: 0 when all
 * passed (or were expected failures), 1 on any unexpected failure, 77 when
 * every check was skipped.
 */
int report_status(void);

/* Prints SUMMARY: and returns report_status(). Called by exit(). */
int report_summary(void);

/**
 * report_vm_end_expected() - announce that the next call ends the VM
 * (PSCI SYSTEM_OFF/RESET, SBI SRST): prints "INFO: vm-end expected: @what",
 * which a stanza with "expect = vm_end" requires as the last line.
 */
void report_vm_end_expected(const char *what);

/*
 * Known failures from the environment (KNOWN_FAIL_, KNOWN_CRASH_, KNOWN_AT_,
 * KNOWN_GOT_ <n>); called once at startup. Malformed variables abort.
 */
void report_init_known_failures(void);

/**
 * report_known_crash() - a subtest known to crash or hang this VMM
 * @subtest: the subtest's name
 *
 * When the first KNOWN_CRASH_<n> glob matching @subtest exists, reports
 * "XFAIL: @subtest: not run, known to crash this VMM [<KNOWN_AT_<n>>]".
 * Return: true when it did (the caller must not run the subtest).
 */
bool report_known_crash(const char *subtest);

/* Leave the VM: prints SUMMARY and EXIT: STATUS=, then the port's exit. */
void __noreturn exit(int code);

#endif
