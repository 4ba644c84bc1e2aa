/* SPDX-License-Identifier: MIT */
/*
 * What tests of INIT and start-up IPIs need from the x86 port's SMP code
 * (lib/x86/smp.c): the APIC ID lib addresses each CPU by, and lib's AP
 * trampoline to start a CPU again after an INIT.
 */
#ifndef LIB_X86_CPU_H
#define LIB_X86_CPU_H

#include "libc.h"

/* The start-up vector of lib's AP trampoline (it starts at 0x8000). */
#define CPU_TRAMPOLINE_SIPI	0x08

/* The APIC ID of @cpu, from its MADT entry. */
uint32_t cpu_apic_id(int cpu);

/* How often secondary @cpu entered lib's AP entry (1 after bring-up). */
unsigned int cpu_boot_count(int cpu);

/**
 * cpu_prepare_restart() - before a test sends INIT and SIPI to secondary
 * @cpu, idle in lib: lib forgets it is online and points the trampoline at
 * its stack. A SIPI of CPU_TRAMPOLINE_SIPI then brings it back to lib's
 * idle loop (smp_cpu_is_online() turns true), as at bring-up.
 */
void cpu_prepare_restart(int cpu);

#endif
