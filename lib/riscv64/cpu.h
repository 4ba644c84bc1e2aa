/* SPDX-License-Identifier: MIT */
/*
 * Harts of the riscv64 port: lib numbers them 0 .. cpu_count() - 1 in
 * devicetree order (/cpus reg = hart ID) with the boot hart first, and
 * starts each through SBI HSM hart_start. A test may stop a hart and start
 * it again into lib's idle loop, or suspend the calling hart.
 */
#ifndef RISCV64_CPU_H
#define RISCV64_CPU_H

#include "libc.h"

/* The hart ID of CPU @cpu, from the devicetree. */
unsigned long cpu_hartid(int cpu);

/* The CPU number of hart @hartid, or -1. */
int hartid_to_cpu(unsigned long hartid);

/*
 * The hart ID the firmware passed in a0 when this CPU last entered lib
 * (boot, hart_start, a non-retentive resume): what lib knows the hart by.
 */
unsigned long cpu_entry_hartid(void);

/**
 * cpu_power_off() - SBI HSM hart_stop of the calling CPU, a secondary
 *
 * lib marks the CPU offline and ends the on_cpu() work that called this,
 * so on_cpu_wait() on it returns. Returns only when hart_stop fails, with
 * the SBI error (and the CPU back online).
 */
long cpu_power_off(void);

/**
 * cpu_power_on() - SBI HSM hart_start of secondary @cpu into lib's idle loop
 * Return: the SBI error; on SBI_SUCCESS the CPU is online on return, or
 * this returns SBI_ERR_FAILED after waiting 5 s for it.
 */
long cpu_power_on(int cpu);

/* What a non-retentive resume found: a1 (the opaque value), satp and sstatus. */
struct resume_state {
	unsigned long opaque, satp, sstatus;
};

/**
 * cpu_suspend() - SBI HSM hart_suspend of the calling CPU, back here
 * @type: SBI_HSM_SUSPEND_RETENTIVE or _NON_RETENTIVE (or a platform type)
 * @opaque: passed to the firmware, which hands it back in a1 on a
 *	    non-retentive resume
 * @resumed: where a non-retentive resume's entry state goes
 *
 * A retentive suspend returns from the call; for a non-retentive one lib
 * gives the firmware its resume entry, which finds the CPU by the hart ID
 * in a0, records a1, satp and sstatus in @resumed, restores lib's state
 * and returns from here. Interrupts stay as the caller has them (a wake-up
 * needs one enabled in sie).
 * Return: the SBI error of a call that returned; SBI_SUCCESS after a
 * non-retentive resume.
 */
long cpu_suspend(unsigned long type, unsigned long opaque, struct resume_state *resumed);

/**
 * isa_has() - whether the devicetree's ISA description of CPU @cpu lists
 * extension @ext ("f", "v", "zba", "sstc"): its riscv,isa-extensions
 * strings, else its riscv,isa string (single letters after "rv64", then
 * "_"-separated multi-letter names; case does not matter).
 */
bool isa_has(int cpu, const char *ext);

/* The devicetree's riscv,isa string of CPU @cpu ("" when absent). */
const char *isa_string(int cpu);

/* CPU @cpu's node under /cpus, for its other properties (mmu-type, ...). */
int cpu_dt_node(int cpu);

#endif
