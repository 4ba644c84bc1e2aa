/* SPDX-License-Identifier: MIT */
/*
 * CPUs of the s390x port: lib numbers them 0 .. cpu_count() - 1, the boot
 * CPU first, the others in SCLP order; each is known by its CPU address.
 * A test may stop a secondary (for SIGP orders that need a stopped CPU,
 * resets, store status) and give it back to lib, which restarts it through
 * its own lowcore and entry point.
 */
#ifndef S390X_CPU_H
#define S390X_CPU_H

#include "libc.h"

/* The CPU address (SIGP, STAP) of CPU @cpu. */
uint16_t cpu_address(int cpu);

/* The absolute address of CPU @cpu's lowcore, its prefix while lib runs it. */
uintptr_t cpu_lowcore(int cpu);

/**
 * cpu_stop() - take secondary @cpu from lib (it must be idle) and stop it
 *
 * lib marks it offline, then SIGP STOP and waits until SIGP SENSE says
 * stopped. Return: 0, the condition code of a refused SIGP STOP, or -1 when
 * the CPU was not stopped within 5 s.
 */
int cpu_stop(int cpu);

/**
 * cpu_restart() - give stopped secondary @cpu back to lib
 *
 * Its lowcore is set up again and made its prefix (SIGP SET PREFIX: a reset
 * may have cleared it), then SIGP RESTART enters lib's secondary entry; on
 * return the CPU is online and idle. Return: 0, or -1 when a SIGP order was
 * refused or the CPU did not come online within 5 s.
 */
int cpu_restart(int cpu);

#endif
