/* SPDX-License-Identifier: MIT */
/*
 * The one way a test image registers its checks: a table of subtests and a
 * one-line main. lib filters them by name globs from argv (an argument
 * "-glob" excludes), pushes the name as report prefix, skips with the
 * reason when a predicate or the CPU count is not met, and checks that
 * every subtest leaves the prefix stack balanced.
 */
#ifndef LIB_SUBTEST_H
#define LIB_SUBTEST_H

#include "libc.h"

struct subtest {
	const char *name;
	void (*fn)(void);
	/* NULL when the test can run, else why not ("SVM not supported"). */
	const char *(*needs)(void);
	int min_cpus;
};

#define SUBTEST(f)			{ .name = #f, .fn = f }
#define SUBTEST_NEEDS(f, n)		{ .name = #f, .fn = f, .needs = n }
#define SUBTEST_SMP(f, n, cpus)		{ .name = #f, .fn = f, .needs = n, .min_cpus = cpus }

/**
 * subtests_run() - run the subtests of @tests selected by @argv.
 * Arguments holding '=' are left to the test (key=value parameters).
 * Return: report_status().
 */
int subtests_run(const struct subtest *tests, size_t n, int argc, char **argv);

/* True when @name is selected by the argv patterns (exported for host tests). */
bool subtest_selected(const char *name, int argc, char **argv);

/*
 * True when an argument is exactly @name: for subtests that run only when
 * their stanza names them (those that end the VM: PSCI SYSTEM_OFF, SBI SRST).
 */
bool subtest_named(const char *name);

#define SUBTESTS_MAIN(table)						\
	int main(int argc, char **argv)					\
	{								\
		return subtests_run(table, ARRAY_SIZE(table), argc, argv); \
	}

/* Arguments and environment, filled by lib before main(). */
extern int __argc;
extern char **__argv;
extern char **environ;
const char *getenv(const char *name);
/* The value of the test argument "@key=value" (argv[1] on), or NULL. */
const char *arg_value(const char *key);

int main(int argc, char **argv);

#endif
