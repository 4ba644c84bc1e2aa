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
 * SUBTEST_SMP(smp_async, NULL, 2), SUBTEST(handlers) and SUBTEST(usermode).
 */
void args(void);
void smp(void);
void smp_async(void);
void handlers(void);
void usermode(void);

/*
 * Hooks of handlers(): an instruction that always traps and that no fixup
 * covers (x86 UD2, arm64 BRK, riscv64 EBREAK). selftest_trap() executes it;
 * selftest_trap_handler() routes its exception to @fn (NULL: lib's own
 * handling) and returns the handler it replaced; selftest_trap_skip() makes
 * @regs return past it. selftest_trap_names: the exception and the
 * instruction, for the message ("#UD", "UD2").
 */
struct ex_regs;
typedef void (*selftest_handler_t)(struct ex_regs *regs);
void selftest_trap(void);
selftest_handler_t selftest_trap_handler(selftest_handler_t fn);
void selftest_trap_skip(struct ex_regs *regs);
extern const char *const selftest_trap_names[2];

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

/*
 * Wait up to 100 ms, interrupts enabled, for *@count (incremented by an
 * interrupt handler) to reach @want; return with interrupts disabled,
 * whether it is exactly @want.
 */
bool selftest_wait_count(int *count, int want);

/* Run work on @cpu with on_cpu(); return the smp_id() it ran on (-1: it never ran). */
int selftest_ran_on(int cpu);

/*
 * pt_map() @size bytes RW at unmapped @virt to @phys as leaves of @level (1:
 * 4 KiB, 2: 2 MiB), as pt_walk() confirms, or abort: a check through the
 * mapping means nothing without it, and lib, not the VMM, would be at fault.
 */
void selftest_map(uintptr_t virt, uint64_t phys, size_t size, int level);

/*
 * The first step of each arch's paging subtest: map @virt to @page (4 KiB),
 * check that a write to @page reads through @virt, then make @virt
 * read-only for the arch's store-fault check.
 */
void selftest_alias_page(uintptr_t virt, volatile uint64_t *page);

/*
 * Map @size bytes at @virt to the @size-aligned block holding @page as one
 * leaf of @level, check that a write to @page reads through @virt at its
 * offset ("a read through @what ..."), then unmap it.
 */
void selftest_large_leaf(uintptr_t virt, volatile uint64_t *page, size_t size, int level,
			 const char *what);

#endif
