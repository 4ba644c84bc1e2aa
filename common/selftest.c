// SPDX-License-Identifier: MIT
/*
 * The selftest subtests that read the same on every arch, linked into each
 * arch's selftest image (see common/selftest.h): arguments and environment
 * reach main(), every CPU is online and runs on_cpu/on_cpus work, async work
 * is joined, run_in_user() calls its function and returns its value, and
 * the page and malloc allocators keep their alignment and free counts.
 *
 * Specs: none beyond the arch's own (its selftest.c names them); the
 * expectations are lib's API contract (lib/smp.h, lib/alloc.h, lib/subtest.h,
 * lib/user.h).
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "alloc.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"
#include "selftest.h"

static const char *arg_value(const char *key)
{
	size_t len = strlen(key);

	for (int i = 1; i < __argc; i++)
		if (!strncmp(__argv[i], key, len) && __argv[i][len] == '=')
			return __argv[i] + len + 1;
	return NULL;
}

void args(void)
{
	const char *q = arg_value("quoted");
	const char *test = getenv("HVPROBE_TEST");

	report(q && !strcmp(q, "two words"), "quoted argument keeps its blank (got '%s')",
	       q ? q : "(missing)");
	report(test && !strncmp(test, "selftest", 8),
	       "environment HVPROBE_TEST names this test (got '%s')", test ? test : "(missing)");
	report(getenv("HVPROBE_VMM") != NULL, "environment carries HVPROBE_VMM");
	report(getenv("NO_SUCH_VARIABLE") == NULL, "getenv of an unset variable is NULL");
}

bool selftest_distinct(const uint64_t *v, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (v[j] == v[i])
				return false;
	return true;
}

static int cpu_seen[MAX_CPUS];
static uint64_t cpu_hwid_seen[MAX_CPUS];

static void record_cpu(void *data)
{
	int id = smp_id();

	__atomic_fetch_add(&cpu_seen[id], 1, __ATOMIC_SEQ_CST);
	cpu_hwid_seen[id] = selftest_cpu_hwid();
}

void smp(void)
{
	const char *want = arg_value("smp");
	int n = cpu_count();

	if (want)
		report_eq(strtoul(want, NULL, 0), n, "CPUs online match the smp= argument");
	else
		report_skip("no smp= argument to compare the CPU count with");
	for (int i = 0; i < n; i++)
		on_cpu(i, record_cpu, NULL);
	on_cpus(record_cpu, NULL);
	for (int i = 0; i < n; i++)
		report_eq(2, cpu_seen[i], "CPU %d ran on_cpu and on_cpus work once each", i);
	selftest_check_hwids(cpu_hwid_seen, n);
}

static volatile int ran_on;

static void record_ran_on(void *data)
{
	ran_on = smp_id();
}

int selftest_ran_on(int cpu)
{
	ran_on = -1;
	on_cpu(cpu, record_ran_on, NULL);
	return ran_on;
}

void smp_async(void)
{
	int last = cpu_count() - 1;

	ran_on = -1;
	on_cpu_async(last, record_ran_on, NULL);
	on_cpu_wait(last);
	report_eq(last, ran_on, "on_cpu_async ran on the last CPU and on_cpu_wait joined it");
}

static uint64_t user_stored;

/* At user level: a store to the image's data and a value made of @arg. */
static uint64_t user_fn(uint64_t arg)
{
	user_stored = arg;
	return arg * 2 + 1;
}

void usermode(void)
{
	user_stored = 0;
	report_eq(2 * 21 + 1, run_in_user(user_fn, 21),
		  "run_in_user calls fn with its argument and returns its value");
	report_eq(21, user_stored, "fn's store to the image's data at user level is seen");
	selftest_check_user();
}

void allocator(void)
{
	size_t before = page_alloc_free_count();
	void *p[8];
	char *m[16];
	bool ok = true;

	for (int i = 0; i < 8; i++) {
		p[i] = alloc_pages(i % 4);
		ok &= p[i] && !((uintptr_t)p[i] & ((4096UL << (i % 4)) - 1));
	}
	report(ok, "alloc_pages returns naturally aligned blocks");
	for (int i = 0; i < 8; i++)
		free_pages(p[i], i % 4);
	report_eq(before, page_alloc_free_count(), "free count is restored after freeing");
	ok = true;
	for (int i = 0; i < 16; i++) {
		m[i] = malloc(24 * (i + 1));
		ok &= m[i] && !((uintptr_t)m[i] & 15);
		if (m[i])
			memset(m[i], i, 24 * (i + 1));
	}
	for (int i = 0; i < 16; i++)
		for (int j = 0; m[i] && j < 24 * (i + 1); j++)
			ok &= m[i][j] == i;
	report(ok, "malloc blocks are 16-byte aligned and do not overlap");
	for (int i = 0; i < 16; i++)
		free(m[i]);
}
