/* SPDX-License-Identifier: MIT */
/*
 * The selftest subtests that read the same on every arch (common/selftest.c):
 * each arch's <arch>/selftest.c lists them in its table next to its own
 * subtests, and defines the two hooks below.
 */
#ifndef COMMON_SELFTEST_H
#define COMMON_SELFTEST_H

#include "libc.h"

/*
 * Subtests; in the table as SUBTEST(args), SUBTEST(smp),
 * SUBTEST_SMP(smp_async, NULL, 2) and SUBTEST(usermode).
 */
void args(void);
void smp(void);
void smp_async(void);
void usermode(void);

/*
 * Hook: the arch's checks that run_in_user() runs its function at user
 * level (CPL3, EL0): instructions that fault there only, fixed up there.
 */
void selftest_check_user(void);

/*
 * Hook: the calling CPU's hardware ID as lib's smp_id() looks it up in the
 * firmware table (x86 initial APIC ID, arm64 MPIDR affinity); smp() prints
 * it when a CPU is not the one it was started as.
 */
uint64_t selftest_cpu_hwid(void);

/* Run work on @cpu with on_cpu(); return the smp_id() it ran on (-1: it never ran). */
int selftest_ran_on(int cpu);

/*
 * pt_map() @size bytes RW at unmapped @virt to @phys as leaves of @level (1:
 * 4 KiB, 2: 2 MiB), as pt_walk() confirms, or abort: a check through the
 * mapping means nothing without it, and lib, not the VMM, would be at fault.
 */
void selftest_map(uintptr_t virt, uint64_t phys, size_t size, int level);

#endif
