/* SPDX-License-Identifier: MIT */
/*
 * The selftest subtests that read the same on every arch (common/selftest.c):
 * each arch's <arch>/selftest.c lists them in its table next to its own
 * subtests, and defines the two hooks below that smp() calls.
 */
#ifndef COMMON_SELFTEST_H
#define COMMON_SELFTEST_H

#include "libc.h"

/*
 * Subtests; in the table as SUBTEST(args), SUBTEST(smp),
 * SUBTEST_SMP(smp_async, NULL, 2), SUBTEST(usermode) and SUBTEST(allocator).
 */
void args(void);
void smp(void);
void smp_async(void);
void usermode(void);
void allocator(void);

/*
 * Hook: the arch's checks that run_in_user() runs its function at user
 * level (CPL3, EL0): instructions that fault there only, fixed up there.
 */
void selftest_check_user(void);

/* Hook: the calling CPU's hardware ID (x86 APIC ID, arm64 MPIDR affinity). */
uint64_t selftest_cpu_hwid(void);

/**
 * selftest_check_hwids() - hook: the arch's checks of the hardware IDs.
 * @hwid: hwid[i] is what selftest_cpu_hwid() returned on CPU i
 * @n: the number of CPUs, cpu_count()
 */
void selftest_check_hwids(const uint64_t *hwid, int n);

/* True when the @n values of @v are pairwise different. */
bool selftest_distinct(const uint64_t *v, int n);

/* Run work on @cpu with on_cpu(); return the smp_id() it ran on (-1: it never ran). */
int selftest_ran_on(int cpu);

#endif
