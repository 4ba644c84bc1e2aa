/* SPDX-License-Identifier: MIT */
/*
 * CPUs of the arm64 port: lib numbers them 0 .. cpu_count() - 1 in
 * devicetree order with the boot CPU first; each is known by its MPIDR
 * affinity. A test may power a CPU off and back on with lib's entry point.
 */
#ifndef ARM64_CPU_H
#define ARM64_CPU_H

#include "libc.h"

/* MPIDR_EL1 affinity (Aff3 39:32, Aff2..Aff0 23:0) of CPU @cpu. */
uint64_t cpu_mpidr(int cpu);

/* The CPU number of MPIDR affinity @mpidr, or -1. */
int mpidr_to_cpu(uint64_t mpidr);

/**
 * cpu_power_off() - PSCI CPU_OFF of the calling CPU, a secondary
 *
 * lib marks the CPU offline and ends the on_cpu() work that called this,
 * so on_cpu_wait() on it returns. Returns only when CPU_OFF fails, with
 * the PSCI error (and the CPU back online).
 */
int cpu_power_off(void);

/**
 * cpu_power_on() - PSCI CPU_ON of secondary @cpu with lib's entry point
 *
 * The CPU runs lib's secondary setup again and waits for on_cpu() work.
 * Return: the PSCI result; on PSCI_SUCCESS the CPU is online on return,
 * or the call reports -1 after waiting 5 s for it.
 */
int cpu_power_on(int cpu);

#endif
