/* SPDX-License-Identifier: MIT */
/*
 * Shared by the host unit tests: host headers, the hv_-prefixed
 * declarations of the lib/ code under test, a seeded pseudo-random
 * generator, and pass/fail bookkeeping that ends with one summary line.
 */
#ifndef TESTS_UNIT_UNIT_H
#define TESTS_UNIT_UNIT_H

#include <ctype.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Declare the lib/ functions under their hv_ names: lift any host macro of
 * the same name, rename while the lib headers are read, then lift the
 * renaming so the plain names are the host's again.
 */
#include "unrename.h"
#include "rename.h"
#include "libc.h"
#include "alloc.h"
#include "unrename.h"

/* splitmix64: small, fast, and the same sequence on every host. */
static uint64_t unit_rng_state = 0x9e3779b97f4a7c15ULL;

static inline void unit_seed(uint64_t seed)
{
	unit_rng_state = seed;
}

static inline uint64_t unit_rand(void)
{
	uint64_t z = (unit_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. */
static inline unsigned int unit_below(unsigned int n)
{
	return (unsigned int)(unit_rand() % n);
}

static unsigned long unit_passed, unit_failed;

/* Only the first few failures are printed in full; the count says the rest. */
#define UNIT_MAX_REPORTS	25

static inline bool unit_should_report(void)
{
	return unit_failed <= UNIT_MAX_REPORTS;
}

/* Record one check; on failure print the location and a formatted message. */
#define CHECK(cond, ...)							\
	do {									\
		if (cond) {							\
			unit_passed++;						\
		} else {							\
			unit_failed++;						\
			if (unit_should_report()) {				\
				printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
				printf(__VA_ARGS__);				\
				printf("\n");					\
			}							\
		}								\
	} while (0)

/* Print "<name>: N passed, M failed" and give main() its exit status. */
static inline int unit_summary(const char *name)
{
	if (unit_failed > UNIT_MAX_REPORTS)
		printf("(%lu more failures not shown)\n", unit_failed - UNIT_MAX_REPORTS);
	printf("%s: %lu passed, %lu failed\n", name, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
