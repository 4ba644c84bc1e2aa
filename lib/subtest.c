// SPDX-License-Identifier: MIT
/*
 * The subtest table runner: name-glob selection from argv, prefixes, skips
 * with reasons, and the prefix-balance check.
 */
#include "report.h"
#include "smp.h"
#include "subtest.h"

static bool is_pattern(const char *arg)
{
	return arg[0] && !strchr(arg, '=');
}

bool subtest_selected(const char *name, int argc, char **argv)
{
	bool have_include = false, included = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!is_pattern(a))
			continue;
		if (a[0] == '-') {
			if (glob_match(a + 1, name))
				return false;
			continue;
		}
		have_include = true;
		if (glob_match(a, name))
			included = true;
	}
	return !have_include || included;
}

bool subtest_named(const char *name)
{
	for (int i = 1; i < __argc; i++)
		if (!strcmp(__argv[i], name))
			return true;
	return false;
}

/* An include pattern that selects nothing is an error, never silence. */
static void check_patterns(const struct subtest *t, size_t n, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		bool hit = false;

		if (!is_pattern(argv[i]) || argv[i][0] == '-')
			continue;
		for (size_t j = 0; j < n && !hit; j++)
			hit = glob_match(argv[i], t[j].name);
		if (!hit)
			report_fail("argument '%s' selects at least one subtest", argv[i]);
	}
}

static void run_one(const struct subtest *t)
{
	const char *why = t->needs ? t->needs() : NULL;
	int d;

	/* Known to crash or hang this VMM (known-failures.txt): not run, an XFAIL. */
	if (report_known_crash(t->name))
		return;
	if (t->min_cpus > cpu_count()) {
		report_skip("%s: needs %d CPUs, the VM has %d", t->name, t->min_cpus,
			    cpu_count());
		return;
	}
	if (why) {
		report_skip("%s: %s", t->name, why);
		return;
	}
	/* ./run_tests.sh --known-crashes tells a crash in the subtest from one before it. */
	if (getenv("HVPROBE_ANNOUNCE"))
		report_info("subtest %s starts", t->name);
	report_prefix_push(t->name);
	d = report_prefix_depth();
	t->fn();
	if (report_prefix_depth() != d) {
		report_fail("report prefix stack balanced after the subtest (depth %d, want %d)",
			    report_prefix_depth(), d);
		while (report_prefix_depth() > d)
			report_prefix_pop();
		while (report_prefix_depth() < d)
			report_prefix_push("?");
	}
	report_prefix_pop();
}

int subtests_run(const struct subtest *tests, size_t n, int argc, char **argv)
{
	check_patterns(tests, n, argc, argv);
	for (size_t i = 0; i < n; i++)
		if (subtest_selected(tests[i].name, argc, argv))
			run_one(&tests[i]);
	return report_status();
}
