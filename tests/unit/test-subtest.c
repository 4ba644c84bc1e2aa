// SPDX-License-Identifier: MIT
/*
 * Argument handling on the host: subtest_selected() and subtests_run() from
 * lib/subtest.c (include and exclude globs, key=value arguments left alone,
 * skips for CPU count and predicates, unmatched include patterns reported,
 * a subtest report_known_crash() claims left unrun),
 * and lib/argv.c's splitting of the command line and environment blob
 * (blanks, "double quotes", backslash escapes, lines without '=' dropped,
 * overflow reaching report_abort()).
 *
 * The report and SMP functions lib/subtest.c calls are stubs here that
 * record what they were asked to print; report_abort() longjmps back.
 */
#include "unit.h"

/* lib/argv.c's getenv and environ would clash with the host's: see unit.mk. */
#define getenv	hv_getenv
#define environ	hv_environ
#include "setup.h"
#include "subtest.h"
#undef getenv
#undef environ

/* ---- stubs for what lib/subtest.c and lib/argv.c call ---- */

static int stub_cpus = 1;
static int stub_depth;
static unsigned int stub_fails, stub_skips, stub_xfails;
static char stub_last[256];
static jmp_buf abort_jmp;
static bool abort_armed;

int cpu_count(void)
{
	return stub_cpus;
}

int report_prefix_depth(void)
{
	return stub_depth;
}

void report_prefix_push(const char *prefix)
{
	stub_depth++;
}

void report_prefix_pop(void)
{
	stub_depth--;
}

void report_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_last, sizeof(stub_last), fmt, ap);
	va_end(ap);
	stub_fails++;
}

/* INFO lines: only "subtest X starts" under HVPROBE_ANNOUNCE; counted, the last one kept. */
static unsigned int stub_infos;
static char stub_info[256];

void report_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_info, sizeof(stub_info), fmt, ap);
	va_end(ap);
	stub_infos++;
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_last, sizeof(stub_last), fmt, ap);
	va_end(ap);
	stub_skips++;
}

bool report_xfail(bool xfail, bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_last, sizeof(stub_last), fmt, ap);
	va_end(ap);
	if (xfail && !pass)
		stub_xfails++;
	else if (!pass || xfail)
		stub_fails++;
	return pass;
}

/* lib/report.c decides known crashes (test-report.c); here a glob stands in. */
static const char *stub_crash_glob;
static unsigned int stub_crash_asked;

bool report_known_crash(const char *subtest)
{
	stub_crash_asked++;
	if (!stub_crash_glob || !glob_match(stub_crash_glob, subtest))
		return false;
	snprintf(stub_last, sizeof(stub_last), "%s: not run", subtest);
	stub_xfails++;
	return true;
}

int report_status(void)
{
	return stub_fails ? 1 : 0;
}

void report_abort(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_last, sizeof(stub_last), fmt, ap);
	va_end(ap);
	if (!abort_armed) {
		fprintf(stderr, "unexpected report_abort: %s\n", stub_last);
		abort();
	}
	longjmp(abort_jmp, 1);
}

/* ---- subtest_selected() ---- */

struct select_case {
	const char *args;	/* blank-separated, after argv[0] */
	const char *name;
	bool selected;
};

static const struct select_case select_cases[] = {
	{ "", "anything", true },
	{ "foo", "foo", true },
	{ "foo", "bar", false },
	{ "foo bar", "bar", true },
	{ "foo bar", "baz", false },
	{ "-foo", "foo", false },
	{ "-foo", "bar", true },
	{ "-foo -bar", "bar", false },
	{ "-foo -bar", "baz", true },
	{ "svm_*", "svm_npt", true },
	{ "svm_*", "vmx_ept", false },
	{ "svm_* -svm_npt", "svm_npt", false },
	{ "svm_* -svm_npt", "svm_vmrun", true },
	{ "-svm_npt svm_*", "svm_npt", false },
	{ "* -*_slow", "pmu_slow", false },
	{ "* -*_slow", "pmu_fast", true },
	{ "-*", "x", false },
	{ "pmu_[0-3]", "pmu_2", true },
	{ "pmu_[0-3]", "pmu_7", false },
	{ "msr_?", "msr_a", true },
	{ "msr_?", "msr_ab", false },
	{ "*intercept*", "svm_cr_intercept_read", true },
	/* key=value arguments are the test's own and never patterns */
	{ "iterations=10", "foo", true },
	{ "foo=bar", "foo", true },
	{ "foo=bar", "foo=bar", true },
	{ "-foo=bar", "foo", true },
	{ "mode=fast bar", "foo", false },
	{ "mode=fast bar", "bar", true },
	{ "mode=fast -bar", "bar", false },
	{ "mode=fast -bar", "foo", true },
	/* an empty argument is not a pattern either */
	{ "\"\"", "foo", true },
	/* a glob is matched against the whole name */
	{ "foo", "foobar", false },
	{ "-foo", "foobar", true },
};

/* Split @args on blanks into @argv after a fixed argv[0]; "" is an empty arg. */
static int make_argv(const char *args, char *buf, size_t len, char **argv, int max)
{
	int argc = 1;
	char *tok, *save;

	argv[0] = "prog-name-ignored";
	snprintf(buf, len, "%s", args);
	for (tok = strtok_r(buf, " ", &save); tok && argc < max - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = strcmp(tok, "\"\"") ? tok : tok + 2;
	argv[argc] = NULL;
	return argc;
}

static void test_selected(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(select_cases); i++) {
		const struct select_case *c = &select_cases[i];
		char buf[256], *argv[16];
		int argc = make_argv(c->args, buf, sizeof(buf), argv, 16);

		CHECK(subtest_selected(c->name, argc, argv) == c->selected,
		      "subtest_selected(\"%s\") with args \"%s\" should be %s", c->name, c->args,
		      c->selected ? "true" : "false");
	}
}

/* argv[0] is never a pattern, whatever it holds. */
static void test_argv0_ignored(void)
{
	char *argv[] = { "foo", NULL };
	char *argv_ex[] = { "-foo", NULL };

	CHECK(subtest_selected("bar", 1, argv), "argv[0] \"foo\" does not select only foo");
	CHECK(subtest_selected("foo", 1, argv_ex), "argv[0] \"-foo\" does not exclude foo");
	CHECK(subtest_selected("foo", 0, NULL), "argc 0 selects everything");
}

/* ---- subtests_run() ---- */

static unsigned int ran_a, ran_b, ran_c;
static const char *c_reason;

static void sub_alpha(void)
{
	ran_a++;
}

static void sub_beta(void)
{
	ran_b++;
	/* leave the prefix stack unbalanced: the runner must notice and repair */
	report_prefix_push("leak");
}

static void sub_gamma(void)
{
	ran_c++;
}

static const char *needs_gamma(void)
{
	return c_reason;
}

static const struct subtest table[] = {
	SUBTEST(sub_alpha),
	SUBTEST_SMP(sub_beta, NULL, 2),
	SUBTEST_NEEDS(sub_gamma, needs_gamma),
};

static int run_table(const char *args)
{
	char buf[256], *argv[16];
	int argc = make_argv(args, buf, sizeof(buf), argv, 16);

	ran_a = ran_b = ran_c = 0;
	stub_fails = stub_skips = stub_xfails = 0;
	stub_depth = 0;
	stub_last[0] = '\0';
	return subtests_run(table, ARRAY_SIZE(table), argc, argv);
}

static void test_run(void)
{
	int st;

	stub_cpus = 1;
	c_reason = "no gamma here";
	st = run_table("");
	CHECK(st == 0 && ran_a == 1 && !ran_b && !ran_c && stub_skips == 2,
	      "1 CPU, gamma unmet: alpha runs, beta and gamma skip (st %d a%u b%u c%u skips %u)",
	      st, ran_a, ran_b, ran_c, stub_skips);
	CHECK(strstr(stub_last, "sub_gamma") && strstr(stub_last, "no gamma here"),
	      "the skip names the subtest and its reason (got \"%s\")", stub_last);

	run_table("sub_beta");
	CHECK(strstr(stub_last, "2 CPUs") && strstr(stub_last, "has 1"),
	      "the CPU-count skip says how many are needed and present (got \"%s\")", stub_last);

	stub_cpus = 2;
	c_reason = NULL;
	st = run_table("sub_* -sub_beta");
	CHECK(st == 0 && ran_a == 1 && !ran_b && ran_c == 1 && !stub_skips,
	      "\"sub_* -sub_beta\" runs alpha and gamma only (st %d a%u b%u c%u skips %u)",
	      st, ran_a, ran_b, ran_c, stub_skips);

	st = run_table("sub_beta");
	CHECK(ran_b == 1 && stub_fails == 1 && st == 1 && stub_depth == 0,
	      "an unbalanced prefix fails and is repaired (fails %u depth %d st %d)", stub_fails,
	      stub_depth, st);

	st = run_table("sub_alpha nosuch count=3");
	CHECK(st == 1 && stub_fails == 1 && ran_a == 1 && strstr(stub_last, "nosuch"),
	      "an include pattern selecting nothing fails (fails %u, \"%s\")", stub_fails,
	      stub_last);

	st = run_table("-nosuch -sub_beta count=3");
	CHECK(st == 0 && !stub_fails && ran_a == 1 && !ran_b && ran_c == 1,
	      "exclude patterns and key=value selecting nothing are fine (fails %u)", stub_fails);
}

/* A subtest report_known_crash() claims is neither run nor skipped. */
static void test_known_crash(void)
{
	int st;

	stub_cpus = 2;
	c_reason = NULL;
	stub_crash_glob = "sub_g*";
	stub_crash_asked = 0;
	st = run_table("-sub_beta");
	CHECK(st == 0 && ran_a == 1 && !ran_c && stub_xfails == 1 && !stub_fails &&
	      !stub_skips && stub_crash_asked == 2 && strstr(stub_last, "sub_gamma"),
	      "a known crash of gamma leaves it unrun (st %d c%u xfails %u asked %u, \"%s\")",
	      st, ran_c, stub_xfails, stub_crash_asked, stub_last);
	/* known to crash: not even its predicate's skip is reported */
	c_reason = "no gamma here";
	st = run_table("sub_gamma");
	CHECK(!ran_c && stub_xfails == 1 && !stub_skips,
	      "a known crash wins over the predicate's skip (xfails %u skips %u)", stub_xfails,
	      stub_skips);
	stub_crash_glob = NULL;
	c_reason = NULL;
	run_table("-sub_beta");
	CHECK(ran_c == 1 && !stub_xfails, "without a known crash gamma runs again");
}

/* HVPROBE_ANNOUNCE (a known-crash run): each subtest that runs says so before it starts. */
static void test_announce(void)
{
	static const char on[] = "HVPROBE_ANNOUNCE=1";

	stub_cpus = 1;
	c_reason = NULL;
	stub_infos = 0;
	run_table("");
	CHECK(stub_infos == 0, "no INFO line without HVPROBE_ANNOUNCE (%u)", stub_infos);
	__argc = 0;
	setup_args_env("", on, sizeof(on) - 1);
	run_table("");
	CHECK(stub_infos == 2 && !strcmp(stub_info, "subtest sub_gamma starts"),
	      "announced: alpha and gamma, not beta that needs 2 CPUs (%u, \"%s\")", stub_infos,
	      stub_info);
	__argc = 0;
	setup_args_env("", "", 0);
}

/* ---- lib/argv.c ---- */

struct split_case {
	const char *cmdline;
	const char *argv[8];	/* expected argv[1..], NULL-terminated */
};

static const struct split_case split_cases[] = {
	{ NULL, { NULL } },
	{ "", { NULL } },
	{ "   \t ", { NULL } },
	{ "a", { "a", NULL } },
	{ " a  b\tc ", { "a", "b", "c", NULL } },
	{ "\"a b\" c", { "a b", "c", NULL } },
	{ "x\"a b\"y", { "xa by", NULL } },
	{ "\"\"", { "", NULL } },
	{ "a\\ b c", { "a b", "c", NULL } },
	{ "\\\"a", { "\"a", NULL } },
	{ "a\\\\b", { "a\\b", NULL } },
	{ "\"a \\\" b\"", { "a \" b", NULL } },
	{ "end\\", { "end\\", NULL } },
	{ "\"open quote", { "open quote", NULL } },
	{ "-svm_* key=\"v w\"", { "-svm_*", "key=v w", NULL } },
};

static void check_argv(const struct split_case *c)
{
	int n = 0;

	while (c->argv[n])
		n++;
	CHECK(__argc == n + 1, "cmdline [%s]: argc %d, want %d", c->cmdline ? c->cmdline : "(null)",
	      __argc, n + 1);
	CHECK(__argv && __argv[__argc] == NULL, "cmdline [%s]: argv is NULL-terminated",
	      c->cmdline ? c->cmdline : "(null)");
	for (int i = 0; i < n && i + 1 < __argc; i++)
		CHECK(!strcmp(__argv[i + 1], c->argv[i]), "cmdline [%s]: argv[%d] [%s], want [%s]",
		      c->cmdline, i + 1, __argv[i + 1], c->argv[i]);
}

static void test_split_args(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(split_cases); i++) {
		/* __argc accumulates: every boot runs setup_args_env() once */
		__argc = 0;
		setup_args_env(split_cases[i].cmdline, NULL, 0);
		check_argv(&split_cases[i]);
	}
}

static void test_env(void)
{
	static const char blob[] = "A=1\nnoequals\nB=two words\n\nC=\nAB=x\nD=a=b\nlast=nonl";

	__argc = 0;
	setup_args_env("x y", blob, sizeof(blob) - 1);
	CHECK(hv_getenv("A") && !strcmp(hv_getenv("A"), "1"), "A=1");
	CHECK(hv_getenv("B") && !strcmp(hv_getenv("B"), "two words"), "B keeps blanks");
	CHECK(hv_getenv("C") && !strcmp(hv_getenv("C"), ""), "C= is set and empty");
	CHECK(hv_getenv("AB") && !strcmp(hv_getenv("AB"), "x"), "AB is not A's prefix match");
	CHECK(hv_getenv("D") && !strcmp(hv_getenv("D"), "a=b"), "D's value keeps its '='");
	CHECK(hv_getenv("last") && !strcmp(hv_getenv("last"), "nonl"),
	      "a last line without newline counts");
	CHECK(!hv_getenv("noequals"), "a line without '=' is ignored");
	CHECK(!hv_getenv("") && !hv_getenv("Z") && !hv_getenv("A=1"), "absent names are NULL");
	{
		int n = 0;

		for (char **e = hv_environ; e && *e; e++)
			n++;
		CHECK(n == 6, "environ holds the 6 KEY=VALUE lines, has %d", n);
	}
	CHECK(__argc == 3 && !strcmp(__argv[0], "hvprobe"), "argv[0] defaults to \"hvprobe\"");
	__argc = 0;
	setup_args_env("prog x=1 y key=two=2 x=3", blob, sizeof(blob) - 1);
	CHECK(arg_value("x") && !strcmp(arg_value("x"), "1"), "arg_value: the first x= wins");
	CHECK(arg_value("key") && !strcmp(arg_value("key"), "two=2"),
	      "arg_value: the value keeps its '='");
	CHECK(!arg_value("y") && !arg_value("prog") && !arg_value("z"),
	      "arg_value: words without '=' and absent keys are NULL");

	/* HVPROBE_TEST names the test in argv[0] */
	__argc = 0;
	setup_args_env("", "HVPROBE_TEST=msr\n", 17);
	CHECK(__argc == 1 && !strcmp(__argv[0], "msr"), "argv[0] from HVPROBE_TEST, got [%s]",
	      __argv[0]);

	/* an empty or absent blob leaves an empty environment */
	__argc = 0;
	setup_args_env("", NULL, 0);
	CHECK(hv_environ && !hv_environ[0] && !hv_getenv("A"), "no blob, empty environment");
}

/* Run setup_args_env() and say whether it reached report_abort(). */
static bool aborts(const char *cmdline, const char *env, size_t len)
{
	bool hit;

	abort_armed = true;
	__argc = 0;
	if (!setjmp(abort_jmp)) {
		setup_args_env(cmdline, env, len);
		hit = false;
	} else {
		hit = true;
	}
	abort_armed = false;
	return hit;
}

static void test_limits(void)
{
	static char line[8192], blob[16384 + 64];
	size_t n = 0;

	/* 63 arguments after argv[0] fit, 64 do not */
	for (int i = 0; i < 63; i++)
		n += snprintf(line + n, sizeof(line) - n, "a%d ", i);
	CHECK(!aborts(line, NULL, 0) && __argc == 64, "63 arguments fit (argc %d)", __argc);
	snprintf(line + n, sizeof(line) - n, "last");
	CHECK(aborts(line, NULL, 0), "64 arguments reach report_abort");

	memset(line, 'x', 6000);
	line[6000] = '\0';
	CHECK(!aborts(line, NULL, 0) && __argc == 2, "one long argument is truncated, not fatal");
	/* ten arguments of 500 bytes: few enough, but 5010 bytes overflow 4 KiB */
	memset(line, 0, sizeof(line));
	for (n = 0; n < 10; n++) {
		memset(line + n * 501, 'y', 500);
		line[n * 501 + 500] = ' ';
	}
	CHECK(aborts(line, NULL, 0), "too many bytes of arguments reach report_abort");

	memset(blob, '\n', sizeof(blob));
	CHECK(!aborts("", blob, 16383), "an environment blob of 16 KiB - 1 fits");
	CHECK(aborts("", blob, 16384), "an environment blob of 16 KiB reaches report_abort");
	for (n = 0; n < 257; n++)
		snprintf(blob + n * 8, 9, "V%04zu=1\n", n);
	CHECK(!aborts("", blob, 256 * 8) && hv_getenv("V0255"), "256 variables fit");
	CHECK(aborts("", blob, 257 * 8), "257 variables reach report_abort");
}

int main(int argc, char **argv)
{
	test_selected();
	test_argv0_ignored();
	test_run();
	test_known_crash();
	test_announce();
	test_split_args();
	test_env();
	test_limits();
	return unit_summary("unit-subtest");
}
