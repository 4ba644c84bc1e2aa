// SPDX-License-Identifier: MIT
/*
 * The verdict's guest side on the host: lib/report.c's lines (PASS, FAIL,
 * SKIP, INFO, XFAIL, XPASS, KFAIL), prefixes, typed checks and their
 * "(expected X, got Y)" detail, SUMMARY, EXIT and the exit status, and the
 * known failures from the environment (KNOWN_FAIL_/KNOWN_CRASH_/KNOWN_AT_/
 * KNOWN_GOT_ <n>): tags, pins, which of two matching entries decides,
 * malformed variables. Thousands of generated prefixes, messages and globs
 * check that the literal-head filter decides exactly as running every glob
 * would, and a catalogue-sized run bounds the glob_match() calls it makes.
 *
 * report.c keeps its state in statics and ends in exit(): every scenario
 * runs in a child process whose console output (hv_printf) and glob_match()
 * count land in shared memory; the parent checks them and the exit status.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

/* lib/argv.c's getenv and environ, and report.c's exit, would clash with the host's. */
#define getenv	hv_getenv
#define environ	hv_environ
#define exit	hv_exit
#include "unrename.h"
#include "rename.h"
#include "report.h"
#include "unrename.h"
#include "setup.h"
#include "subtest.h"
#undef getenv
#undef environ
#undef exit

bool glob_match(const char *pattern, const char *str);

#define OUT_LEN	(4 << 20)

/* What a child leaves for the parent. */
struct shared {
	size_t len;
	unsigned long globs;	/* glob_match() calls made by report.c */
	char out[OUT_LEN];
};

static struct shared *sh;

/* ---- what lib/report.c needs from a port, console and glob ---- */

int hv_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sh->out + sh->len, OUT_LEN - sh->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		sh->len = MIN(sh->len + n, (size_t)OUT_LEN - 1);
	return n;
}

/* report.c is built with glob_match renamed to this (unit.mk). */
bool unit_glob_match(const char *pattern, const char *str)
{
	sh->globs++;
	return glob_match(pattern, str);
}

char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len)
{
	if (!ex)
		snprintf(buf, len, "no exception");
	else
		snprintf(buf, len, "#V%u(%#x)", EXINFO_VEC(ex), EXINFO_EC(ex));
	return buf;
}

void arch_exit(int status)
{
	_exit(status);
}

/* The port's abort path ends in exit(2) after the registers and backtrace. */
void arch_abort_trap(void)
{
	hv_exit(2);
}

void arch_cpu_wait(void)
{
}

void arch_cpu_relax(void)
{
}

/* ---- scenarios ---- */

struct run {
	int status;		/* the child's exit status, -1 if it did not exit */
	const char *out;	/* its console output */
	unsigned long globs;
};

/*
 * Run @body in a child with the environment blob @env (KEY=VALUE lines),
 * then exit(0) there as lib_run_main() would: SUMMARY and EXIT follow.
 */
static struct run scenario(const char *env, void (*body)(void))
{
	struct run r = { .status = -1, .out = sh->out };
	int wstatus;
	pid_t pid;

	fflush(stdout);
	sh->len = 0;
	sh->globs = 0;
	sh->out[0] = 0;
	pid = fork();
	if (pid < 0) {
		perror("fork");
		abort();
	}
	if (!pid) {
		__argc = 0;
		setup_args_env("", env, env ? strlen(env) : 0);
		report_init_known_failures();
		body();
		hv_exit(0);
	}
	if (waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus))
		r.status = WEXITSTATUS(wstatus);
	r.globs = sh->globs;
	return r;
}

/* @out holds @line as a whole line. */
static bool has_line(const char *out, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = out; (p = strstr(p, line)); p++)
		if ((p == out || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

/* The whole output must be exactly @want. */
static void check_out(const char *what, struct run r, int status, const char *want)
{
	CHECK(r.status == status && !strcmp(r.out, want),
	      "%s: status %d (want %d), output:\n%s--- want:\n%s", what, r.status, status, r.out,
	      want);
}

static void body_lines(void)
{
	report(true, "plain %d", 1);
	report(false, "plain %d", 2);
	report_pass("pass %s", "x");
	report_fail("fail %s", "y");
	report_skip("skip because %s", "z");
	report_info("info %#x", 16);
	report_xfail(true, false, "xfail expected and failed");
	report_xfail(true, true, "xfail expected and passed");
	report_xfail(false, false, "xfail not expected, failed");
	report_xfail(false, true, "xfail not expected, passed");
	report_kfail(true, false, "kfail known and failed");
	report_kfail(true, true, "kfail known and passed");
	report_kfail(false, false, "kfail unknown, failed");
}

static void test_lines(void)
{
	check_out("every kind of line", scenario(NULL, body_lines), 1,
		  "PASS: plain 1\n"
		  "FAIL: plain 2\n"
		  "PASS: pass x\n"
		  "FAIL: fail y\n"
		  "SKIP: skip because z\n"
		  "INFO: info 0x10\n"
		  "XFAIL: xfail expected and failed\n"
		  "XPASS: xfail expected and passed\n"
		  "FAIL: xfail not expected, failed\n"
		  "PASS: xfail not expected, passed\n"
		  "KFAIL: kfail known and failed\n"
		  "PASS: kfail known and passed\n"
		  "FAIL: kfail unknown, failed\n"
		  "SUMMARY: 12 tests, 5 unexpected failures, 1 expected failures, "
		  "1 known failures, 1 skipped\n"
		  "EXIT: STATUS=1\n");
}

static void body_prefixes(void)
{
	report_pass("top");
	report_prefix_push("a");
	report_pass("in a");
	report_prefix_pushf("b%d", 2);
	report(false, "in b2");
	report_skip("why");
	report_info("note");
	report_prefix_pop();
	report_pass("back in a");
	report_prefix_pop();
	report_pass("top again");
	report_prefix_push("");
	report_pass("empty prefix adds nothing");
	report_prefix_pop();
}

static void test_prefixes(void)
{
	check_out("prefixes", scenario(NULL, body_prefixes), 1,
		  "PASS: top\n"
		  "PASS: a: in a\n"
		  "FAIL: a: b2: in b2\n"
		  "SKIP: a: b2: why\n"
		  "INFO: a: b2: note\n"
		  "PASS: a: back in a\n"
		  "PASS: top again\n"
		  "PASS: empty prefix adds nothing\n"
		  "SUMMARY: 7 tests, 1 unexpected failures, 1 skipped\n"
		  "EXIT: STATUS=1\n");
}

static void body_typed(void)
{
	report_eq(3, 3, "eq passes");
	report_eq(3, 4, "eq fails");
	report_eq_x(0x10, 0x10, "eq_x passes");
	report_eq_x(0x10, 0xffffffffffffffffULL, "eq_x fails");
	report_eq(0, 18446744073709551615ULL, "eq prints unsigned");
	report_exc(EXINFO(13, 0), EXINFO(13, 0), "exc passes");
	report_exc(EXINFO(13, 0), 0, "exc fails");
	report_exc(0, EXINFO(6, 0x12), "exc unexpected");
	report_decoded(true, "A", "B", "decoded passes");
	report_decoded(false, "A", "B", "decoded fails");
	report_in_range(3, 5, 3, "range low end");
	report_in_range(3, 5, 5, "range high end");
	report_in_range(3, 5, 6, "range above");
	report_in_range_x(0x10, 0x20, 0xf, "range below");
}

static void test_typed(void)
{
	check_out("typed checks", scenario(NULL, body_typed), 1,
		  "PASS: eq passes\n"
		  "FAIL: eq fails (expected 3, got 4)\n"
		  "PASS: eq_x passes\n"
		  "FAIL: eq_x fails (expected 0x10, got 0xffffffffffffffff)\n"
		  "FAIL: eq prints unsigned (expected 0, got 18446744073709551615)\n"
		  "PASS: exc passes\n"
		  "FAIL: exc fails (expected #V13(0), got no exception)\n"
		  "FAIL: exc unexpected (expected no exception, got #V6(0x12))\n"
		  "PASS: decoded passes\n"
		  "FAIL: decoded fails (expected A, got B)\n"
		  "PASS: range low end\n"
		  "PASS: range high end\n"
		  "FAIL: range above (expected 3..5, got 6)\n"
		  "FAIL: range below (expected 0x10..0x20, got 0xf)\n"
		  "SUMMARY: 14 tests, 8 unexpected failures\n"
		  "EXIT: STATUS=1\n");
}

/* ---- SUMMARY and the exit status ---- */

static void body_nothing(void)
{
}

static void body_all_skipped(void)
{
	report_skip("one");
	report_info("not a check");
	report_skip("two");
}

static void body_pass_and_skip(void)
{
	report_pass("p");
	report_skip("s");
}

static void body_xfail_only(void)
{
	report_xfail(true, false, "x");
	report_kfail(true, false, "k");
	report_pass("p");
}

static void body_exit_code(void)
{
	report_pass("p");
	hv_exit(3);
}

static void body_fail_then_exit_code(void)
{
	report_fail("f");
	hv_exit(5);
}

static void body_abort(void)
{
	report_pass("p");
	report_prefix_push("where");
	report_abort("broken %s", "environment");
}

static void body_assert(void)
{
	assert_fail("x == 1", "file.c", 42);
}

static void body_status_calls(void)
{
	report_info("status %d", report_status());
	report_skip("s");
	report_info("status %d", report_status());
	report_pass("p");
	report_info("status %d", report_status());
	report_xfail(true, false, "x");
	report_info("status %d", report_status());
	report_fail("f");
	report_info("status %d", report_status());
}

static void body_vm_end(void)
{
	report_vm_end_expected("PSCI SYSTEM_OFF");
}

static void test_summary(void)
{
	check_out("no checks", scenario(NULL, body_nothing), 0,
		  "SUMMARY: 0 tests\nEXIT: STATUS=0\n");
	check_out("every check skipped", scenario(NULL, body_all_skipped), 77,
		  "SKIP: one\nINFO: not a check\nSKIP: two\n"
		  "SUMMARY: 2 tests, 2 skipped\nEXIT: STATUS=77\n");
	check_out("a pass and a skip", scenario(NULL, body_pass_and_skip), 0,
		  "PASS: p\nSKIP: s\nSUMMARY: 2 tests, 1 skipped\nEXIT: STATUS=0\n");
	check_out("expected and known failures only", scenario(NULL, body_xfail_only), 0,
		  "XFAIL: x\nKFAIL: k\nPASS: p\n"
		  "SUMMARY: 3 tests, 1 expected failures, 1 known failures\nEXIT: STATUS=0\n");
	check_out("exit(3) after passes", scenario(NULL, body_exit_code), 3,
		  "PASS: p\nSUMMARY: 1 tests\nEXIT: STATUS=3\n");
	check_out("exit(5) after a failure", scenario(NULL, body_fail_then_exit_code), 5,
		  "FAIL: f\nSUMMARY: 1 tests, 1 unexpected failures\nEXIT: STATUS=5\n");
	check_out("report_abort", scenario(NULL, body_abort), 2,
		  "PASS: p\nABORT: where: broken environment\nSUMMARY: 1 tests\n"
		  "EXIT: STATUS=2\n");
	check_out("assert_fail", scenario(NULL, body_assert), 2,
		  "ABORT: assertion 'x == 1' failed at file.c:42\nSUMMARY: 0 tests\n"
		  "EXIT: STATUS=2\n");
	check_out("report_status as checks come", scenario(NULL, body_status_calls), 1,
		  "INFO: status 0\nSKIP: s\nINFO: status 77\nPASS: p\nINFO: status 0\n"
		  "XFAIL: x\nINFO: status 0\nFAIL: f\nINFO: status 1\n"
		  "SUMMARY: 4 tests, 1 unexpected failures, 1 expected failures, 1 skipped\n"
		  "EXIT: STATUS=1\n");
	check_out("vm-end announcement", scenario(NULL, body_vm_end), 0,
		  "INFO: vm-end expected: PSCI SYSTEM_OFF\nSUMMARY: 0 tests\nEXIT: STATUS=0\n");
}

static void body_prefix_overflow(void)
{
	for (int i = 0; i < 17; i++)
		report_prefix_pushf("p%d", i);
}

static void body_prefix_underflow(void)
{
	report_prefix_push("a");
	report_prefix_pop();
	report_prefix_pop();
}

static void body_long_prefix(void)
{
	char part[100];

	memset(part, 'x', sizeof(part) - 1);
	part[sizeof(part) - 1] = 0;
	for (int i = 0; i < 4; i++)
		report_prefix_push(part);
	report_pass("m");
	for (int i = 0; i < 4; i++)
		report_prefix_pop();
	report_pass("after");
}

static void test_prefix_limits(void)
{
	struct run r = scenario(NULL, body_prefix_overflow);

	CHECK(r.status == 2 && has_line(r.out, "ABORT: p0: p1: p2: p3: p4: p5: p6: p7: p8: p9: "
				       "p10: p11: p12: p13: p14: p15: report prefix stack "
				       "overflow"),
	      "a 17th prefix aborts (status %d):\n%s", r.status, r.out);
	r = scenario(NULL, body_prefix_underflow);
	CHECK(r.status == 2 &&
	      has_line(r.out, "ABORT: report_prefix_pop() with an empty prefix stack"),
	      "popping an empty stack aborts (status %d):\n%s", r.status, r.out);
	r = scenario(NULL, body_long_prefix);
	/* 255 bytes of prefix are kept, then the message follows */
	CHECK(r.status == 0 && has_line(r.out, "PASS: after"),
	      "a prefix longer than its buffer is cut, and popping restores it:\n%s", r.out);
	{
		const char *l = strstr(r.out, "PASS: ");
		const char *nl = l ? strchr(l, '\n') : NULL;

		CHECK(nl && nl - l == 6 + 255 + 2 + 1, "the cut prefix keeps 255 bytes (line %.*s)",
		      nl && l ? (int)(nl - l) : 0, l ? l : "");
	}
}

/* ---- known failures ---- */

static void body_known(void)
{
	report_prefix_push("efer");
	report_exc(EXINFO(13, 0), 0, "reserved bit %d raises #GP(0)", 9);
	report_exc(EXINFO(13, 0), EXINFO(13, 0), "reserved bit %d raises #GP(0)", 10);
	report(false, "a check without detail");
	report(true, "an unrelated check");
	report_prefix_pop();
	report_eq(1, 2, "efer: looks like the prefix but is the message");
	report_xfail(true, false, "efer: explicit xfail");
}

static void test_known_tags(void)
{
	static const char env[] =
		"HVPROBE_TEST=t\n"
		"KNOWN_FAIL_0=efer: reserved bit * raises #GP(0)\n"
		"KNOWN_AT_0=known-failures.txt:41\n"
		"KNOWN_FAIL_1=efer: a check without*\n"
		"KNOWN_AT_1=known-failures.txt:7\n"
		"KNOWN_FAIL_2=efer: looks like*\n";

	check_out("tags on XFAIL and XPASS", scenario(env, body_known), 1,
		  "XFAIL: efer: reserved bit 9 raises #GP(0) (expected #V13(0), got no exception)"
		  " [known-failures.txt:41]\n"
		  "XPASS: efer: reserved bit 10 raises #GP(0) [known-failures.txt:41]\n"
		  "XFAIL: efer: a check without detail [known-failures.txt:7]\n"
		  "PASS: efer: an unrelated check\n"
		  "XFAIL: efer: looks like the prefix but is the message (expected 1, got 2)\n"
		  "XFAIL: efer: explicit xfail\n"
		  "SUMMARY: 6 tests, 1 unexpected failures, 4 expected failures\n"
		  "EXIT: STATUS=1\n");
}

static void body_detail_not_matched(void)
{
	report_eq(1, 2, "value");
	report_eq(1, 2, "other");
}

static void test_known_detail(void)
{
	/* the detail is never part of what a check-glob sees */
	static const char env[] = "KNOWN_FAIL_0=value (expected 1, got 2)\n"
				  "KNOWN_FAIL_1=other*got 2*\n";

	check_out("check-globs do not see the detail", scenario(env, body_detail_not_matched), 1,
		  "FAIL: value (expected 1, got 2)\n"
		  "FAIL: other (expected 1, got 2)\n"
		  "SUMMARY: 2 tests, 2 unexpected failures\nEXIT: STATUS=1\n");
}

static void body_pins(void)
{
	report_prefix_push("pat");
	report_exc(EXINFO(13, 0), 0, "type 2 raises #GP(0)");
	report_exc(EXINFO(13, 0), EXINFO(6, 0), "type 3 raises #GP(0)");
	report_exc(EXINFO(13, 0), EXINFO(13, 0), "type 8 raises #GP(0)");
	report(false, "type 9 raises #GP(0)");
	report_prefix_pop();
	report_eq_x(0, 0x1234, "pinned without a tag");
}

static void test_known_pins(void)
{
	static const char env[] =
		"KNOWN_FAIL_3=pat: type * raises #GP(0)\n"
		"KNOWN_GOT_3=no exception\n"
		"KNOWN_AT_3=known-failures.txt:12\n"
		"KNOWN_FAIL_4=pinned without*\n"
		"KNOWN_GOT_4=0x12*\n";

	check_out("pinned entries", scenario(env, body_pins), 1,
		  "XFAIL: pat: type 2 raises #GP(0) (expected #V13(0), got no exception)"
		  " [known-failures.txt:12]\n"
		  "FAIL: pat: type 3 raises #GP(0) (expected #V13(0), got #V6(0); "
		  "known-failures.txt:12 expects got no exception)\n"
		  "XPASS: pat: type 8 raises #GP(0) [known-failures.txt:12]\n"
		  "FAIL: pat: type 9 raises #GP(0) (known-failures.txt:12 expects got no "
		  "exception; the check reports no value)\n"
		  "XFAIL: pinned without a tag (expected 0, got 0x1234)\n"
		  "SUMMARY: 5 tests, 3 unexpected failures, 2 expected failures\n"
		  "EXIT: STATUS=1\n");
}

static void body_two_entries(void)
{
	report_eq(1, 2, "both match");
	report_eq(1, 3, "both match too");
	report_eq(1, 2, "only the third");
}

/*
 * Two entries matching one check: the lower <n> (earlier in
 * known-failures.txt) decides, whatever order the variables come in, even
 * when its pin fails and the later entry's pin would hold.
 */
static void test_known_first_wins(void)
{
	static const char env[] =
		"KNOWN_FAIL_7=*only the third\n"
		"KNOWN_AT_7=known-failures.txt:70\n"
		"KNOWN_FAIL_5=both match*\n"
		"KNOWN_GOT_5=2\n"
		"KNOWN_AT_5=known-failures.txt:50\n"
		"KNOWN_FAIL_6=both*\n"
		"KNOWN_AT_6=known-failures.txt:60\n";

	check_out("the first matching entry decides", scenario(env, body_two_entries), 1,
		  "XFAIL: both match (expected 1, got 2) [known-failures.txt:50]\n"
		  "FAIL: both match too (expected 1, got 3; known-failures.txt:50 expects got 2)\n"
		  "XFAIL: only the third (expected 1, got 2) [known-failures.txt:70]\n"
		  "SUMMARY: 3 tests, 1 unexpected failures, 2 expected failures\n"
		  "EXIT: STATUS=1\n");
}

static void body_crash(void)
{
	report_info("alpha %d", report_known_crash("alpha"));
	report_info("beta %d", report_known_crash("beta"));
	report_info("gamma %d", report_known_crash("gamma"));
	report_fail("alpha");
}

static void test_known_crash(void)
{
	static const char env[] =
		"KNOWN_CRASH_0=al*\n"
		"KNOWN_AT_0=known-failures.txt:3\n"
		"KNOWN_FAIL_1=alpha\n"
		"KNOWN_AT_1=known-failures.txt:4\n"
		"KNOWN_CRASH_2=gam?a\n"
		"KNOWN_FAIL_3=beta\n";

	check_out("crash entries", scenario(env, body_crash), 0,
		  "XFAIL: alpha: not run, known to crash this VMM [known-failures.txt:3]\n"
		  "INFO: alpha 1\n"
		  "INFO: beta 0\n"
		  "XFAIL: gamma: not run, known to crash this VMM\n"
		  "INFO: gamma 1\n"
		  "XFAIL: alpha [known-failures.txt:4]\n"
		  "SUMMARY: 3 tests, 3 expected failures\n"
		  "EXIT: STATUS=0\n");
}

struct bad_env {
	const char *env;
	const char *abort_line;
};

static const struct bad_env bad_envs[] = {
	{ "KNOWN_FAIL_x=a\n", "ABORT: environment: malformed known-failure variable "
	  "'KNOWN_FAIL_x=a'" },
	{ "KNOWN_FAIL_=a\n", "ABORT: environment: malformed known-failure variable "
	  "'KNOWN_FAIL_=a'" },
	{ "KNOWN_FAIL_01=a\n", "ABORT: environment: malformed known-failure variable "
	  "'KNOWN_FAIL_01=a'" },
	{ "KNOWN_CRASH_1x=a\n", "ABORT: environment: malformed known-failure variable "
	  "'KNOWN_CRASH_1x=a'" },
	{ "KNOWN_FAIL_1=a\nKNOWN_CRASH_1=b\n", "ABORT: environment: known-failure entry 1 "
	  "given twice" },
	{ "KNOWN_FAIL_1=\n", "ABORT: environment: known-failure entry 1 has an empty glob" },
	{ "KNOWN_AT_2=known-failures.txt:9\n", "ABORT: environment: "
	  "'KNOWN_AT_2=known-failures.txt:9' names no KNOWN_FAIL_2 or KNOWN_CRASH_2" },
	{ "KNOWN_FAIL_1=a\nKNOWN_GOT_2=b\n", "ABORT: environment: 'KNOWN_GOT_2=b' names no "
	  "KNOWN_FAIL_2 or KNOWN_CRASH_2" },
	{ "KNOWN_CRASH_1=a\nKNOWN_GOT_1=b\n", "ABORT: environment: 'KNOWN_GOT_1=b': a crash "
	  "entry cannot pin a value" },
	{ "KNOWN_AT_x=1\n", "ABORT: environment: malformed known-failure variable "
	  "'KNOWN_AT_x=1'" },
};

static void test_known_malformed(void)
{
	char env[64 * 24 + 32];
	struct run r;
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bad_envs); i++) {
		r = scenario(bad_envs[i].env, body_nothing);
		CHECK(r.status == 2 && has_line(r.out, bad_envs[i].abort_line),
		      "environment [%s] aborts with [%s] (status %d):\n%s", bad_envs[i].env,
		      bad_envs[i].abort_line, r.status, r.out);
	}
	/* names that only look alike are the test's own */
	r = scenario("KNOWN_FAILURE=1\nKNOWN_ATX=2\nXKNOWN_FAIL_1=3\n", body_nothing);
	CHECK(r.status == 0, "other KNOWN* variables are left alone (status %d):\n%s", r.status,
	      r.out);
	for (int i = 0; i < 64; i++)
		n += snprintf(env + n, sizeof(env) - n, "KNOWN_FAIL_%d=g%d\n", i, i);
	r = scenario(env, body_nothing);
	CHECK(r.status == 0, "64 entries fit (status %d):\n%s", r.status, r.out);
	snprintf(env + n, sizeof(env) - n, "KNOWN_FAIL_64=x\n");
	r = scenario(env, body_nothing);
	CHECK(r.status == 2 &&
	      has_line(r.out, "ABORT: environment: more than 64 known-failure entries"),
	      "a 65th entry aborts (status %d)", r.status);
}

/* ---- the literal-head filter against running every glob ---- */

#define GEN_ENTRIES	12
#define GEN_CHECKS	40

static char gen_globs[GEN_ENTRIES][40];
static char gen_msgs[GEN_CHECKS][3][16];	/* two prefix levels and a message */
static int gen_depth[GEN_CHECKS];

/* A short string over a small alphabet, so prefixes, globs and messages meet. */
static void gen_word(char *buf, size_t len, bool glob)
{
	static const char plain[] = "ab: c";
	static const char wild[] = "ab: c*?[]\\!";
	const char *set = glob ? wild : plain;
	size_t n = unit_below(len - 1);

	for (size_t i = 0; i < n; i++)
		buf[i] = set[unit_below(glob ? sizeof(wild) - 1 : sizeof(plain) - 1)];
	buf[n] = 0;
}

static void body_generated(void)
{
	for (int i = 0; i < GEN_CHECKS; i++) {
		for (int d = 0; d < gen_depth[i]; d++)
			report_prefix_push(gen_msgs[i][d]);
		report_eq(1, i & 1 ? 1 : 2, "%s", gen_msgs[i][2]);
		for (int d = 0; d < gen_depth[i]; d++)
			report_prefix_pop();
	}
}

/*
 * The line report.c must print for check @i, found by trying every glob in
 * order. A pushed prefix joins the stack with ": " (even an empty one), and
 * a non-empty prefix precedes the message with ": ".
 */
static void reference_line(int i, char *buf, size_t len)
{
	char pre[64] = "", full[128];
	bool pass = i & 1;
	int k;

	for (int d = 0; d < gen_depth[i]; d++)
		snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre), "%s%s", d ? ": " : "",
			 gen_msgs[i][d]);
	snprintf(full, sizeof(full), "%s%s%s", pre, pre[0] ? ": " : "", gen_msgs[i][2]);
	for (k = 0; k < GEN_ENTRIES; k++)
		if (glob_match(gen_globs[k], full))
			break;
	if (k == GEN_ENTRIES)
		snprintf(buf, len, "%s: %s%s", pass ? "PASS" : "FAIL", full,
			 pass ? "" : " (expected 1, got 2)");
	else
		snprintf(buf, len, "%s: %s%s [g:%d]", pass ? "XPASS" : "XFAIL", full,
			 pass ? "" : " (expected 1, got 2)", k);
}

static void test_generated(void)
{
	unsigned long mismatches = 0, matched = 0;
	char env[GEN_ENTRIES * 64];

	unit_seed(42);
	for (int round = 0; round < 300; round++) {
		size_t n = 0;
		struct run r;
		const char *p;

		for (int k = 0; k < GEN_ENTRIES; k++) {
			do
				gen_word(gen_globs[k], sizeof(gen_globs[k]), true);
			while (!gen_globs[k][0]);
			n += snprintf(env + n, sizeof(env) - n, "KNOWN_FAIL_%d=%s\n", k,
				      gen_globs[k]);
			n += snprintf(env + n, sizeof(env) - n, "KNOWN_AT_%d=g:%d\n", k, k);
		}
		for (int i = 0; i < GEN_CHECKS; i++) {
			gen_depth[i] = unit_below(3);
			for (int w = 0; w < 3; w++)
				gen_word(gen_msgs[i][w], sizeof(gen_msgs[i][w]), false);
		}
		r = scenario(env, body_generated);
		p = r.out;
		for (int i = 0; i < GEN_CHECKS; i++) {
			char want[256];
			const char *nl = strchr(p, '\n');

			reference_line(i, want, sizeof(want));
			matched += !!strstr(want, " [g:");
			if (!nl || strlen(want) != (size_t)(nl - p) || strncmp(p, want, nl - p)) {
				mismatches++;
				CHECK(false, "round %d check %d: got [%.*s], want [%s]", round, i,
				      nl ? (int)(nl - p) : 0, p, want);
			}
			p = nl ? nl + 1 : p;
		}
	}
	CHECK(!mismatches, "%lu generated checks decided otherwise than by every glob", mismatches);
	CHECK(matched > 300, "the generated globs match some checks (%lu of %d)", matched,
	      300 * GEN_CHECKS);
}

/* ---- cost: glob_match() calls in a catalogue-sized run ---- */

static const char *const cost_globs[] = {
	"noncanonical: *WRMSR of non-canonical * raises #GP(0)",
	"noncanonical: *keeps its value after the faulting WRMSRs",
	"efer: cpu*: WRMSR setting reserved EFER bit * raises #GP(0)",
	"efer: cpu*: WRMSR setting EFER.* (not enumerated) raises #GP(0)",
	"pat: cpu*: WRMSR of * to PAT (entry * reserved type *) raises #GP(0)",
	"mtrr: cpu*: WRMSR of * to MTRR_DEF_TYPE (type *) raises #GP(0)",
	"apic_base: cpu*: WRMSR setting reserved APIC_BASE bit * raises #GP(0)",
	"spec_ctrl: WRMSR to SPEC_CTRL raises #GP(0)*",
	"tsc_adjust: RDMSR of TSC_ADJUST raises #GP(0)*",
	"*INT1/ICEBP*",
};

static const char *const cost_subtests[][2] = {
	{ "arch_rw", "STAR" }, { "noncanonical", "LSTAR" }, { "efer", "EFER" },
	{ "pat", "PAT" }, { "mtrr", "MTRR_DEF_TYPE" }, { "apic_base", "APIC_BASE" },
	{ "debugctl", "DEBUGCTL" }, { "tsc_aux", "TSC_AUX" },
};

#define COST_CPUS	4
#define COST_BITS	64

static void cost_line(char *buf, size_t len, size_t s, int cpu, int bit)
{
	snprintf(buf, len, "%s: cpu%d: WRMSR setting reserved %s bit %d raises #GP(0)",
		 cost_subtests[s][0], cpu, cost_subtests[s][1], bit);
}

static void body_cost(void)
{
	for (size_t s = 0; s < ARRAY_SIZE(cost_subtests); s++) {
		report_prefix_push(cost_subtests[s][0]);
		for (int cpu = 0; cpu < COST_CPUS; cpu++) {
			report_prefix_pushf("cpu%d", cpu);
			for (int bit = 0; bit < COST_BITS; bit++)
				report_exc(EXINFO(13, 0), EXINFO(13, bit & 1),
					   "WRMSR setting reserved %s bit %d raises #GP(0)",
					   cost_subtests[s][1], bit);
			report_prefix_pop();
		}
		report_prefix_pop();
	}
}

/*
 * glob_match() may run for an entry only when the line starts with the
 * entry's literal head (its text up to the first wildcard) and ends with its
 * literal tail (after the last one), in entry order until the first match:
 * count exactly that.
 */
static bool ends_with_tail(const char *line, const char *g)
{
	size_t n = strlen(g), t = 0, len = strlen(line);

	while (t < n && !strchr("*?[]\\", g[n - 1 - t]))
		t++;
	return t <= len && !memcmp(g + n - t, line + len - t, t);
}

static unsigned long cost_expected(unsigned long *xfails)
{
	unsigned long calls = 0;
	char line[160];

	*xfails = 0;
	for (size_t s = 0; s < ARRAY_SIZE(cost_subtests); s++)
		for (int cpu = 0; cpu < COST_CPUS; cpu++)
			for (int bit = 0; bit < COST_BITS; bit++) {
				cost_line(line, sizeof(line), s, cpu, bit);
				for (size_t k = 0; k < ARRAY_SIZE(cost_globs); k++) {
					const char *g = cost_globs[k];

					if (strncmp(g, line, strcspn(g, "*?[\\")) ||
					    !ends_with_tail(line, g))
						continue;
					calls++;
					if (glob_match(g, line)) {
						*xfails += !(bit & 1);
						break;
					}
				}
			}
	return calls;
}

static void test_cost(void)
{
	unsigned long checks = ARRAY_SIZE(cost_subtests) * COST_CPUS * COST_BITS;
	unsigned long naive = checks * ARRAY_SIZE(cost_globs), want, xfails;
	char env[4096], summary[64];
	struct run r;
	size_t n = 0;

	for (size_t k = 0; k < ARRAY_SIZE(cost_globs); k++)
		n += snprintf(env + n, sizeof(env) - n, "KNOWN_FAIL_%zu=%s\n", k, cost_globs[k]);
	want = cost_expected(&xfails);
	r = scenario(env, body_cost);
	snprintf(summary, sizeof(summary), ", %lu expected failures", xfails);
	CHECK(xfails && strstr(r.out, summary), "the cost run has its %lu XFAILs:\n%s", xfails,
	      strstr(r.out, "SUMMARY:"));
	CHECK(r.globs == want, "glob_match runs %lu times for %lu checks, want %lu", r.globs,
	      checks, want);
	CHECK(want * 4 < naive, "the literal heads leave few globs to run (%lu of %lu)", want,
	      naive);
	printf("unit-report: %lu checks x %zu known-failure globs: %lu glob_match calls "
	       "(every glob on every line: %lu)\n", checks, ARRAY_SIZE(cost_globs), r.globs,
	       naive);
}

int main(int argc, char **argv)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	test_lines();
	test_prefixes();
	test_typed();
	test_summary();
	test_prefix_limits();
	test_known_tags();
	test_known_detail();
	test_known_pins();
	test_known_first_wins();
	test_known_crash();
	test_known_malformed();
	test_generated();
	test_cost();
	return unit_summary("unit-report");
}
