/* SPDX-License-Identifier: MIT */
/*
 * Shared between the files of the psci test (arm/psci/): the entry point
 * CPU_ON and power-down CPU_SUSPEND resume at, the power_state encodings
 * and the subtests each file implements.
 */
#ifndef ARM_PSCI_TEST_H
#define ARM_PSCI_TEST_H

#include "libc.h"

/*
 * Bound of every wait for another CPU: a TCG vCPU thread on a loaded host
 * may not run for a while. Nothing architectural is timed against it.
 */
#define PSCI_WAIT_MS		5000

/*
 * What psci_entry (cpu.c) records, at the address its context ID points to.
 * It runs with the MMU off, so the record sits alone in its own page and
 * the owner cleans and invalidates it around each use.
 */
struct entry_record {
	uint64_t context;	/* x0 on entry: the context ID */
	uint64_t mpidr;		/* MPIDR_EL1 affinity */
	uint64_t el;		/* CurrentEL */
	uint64_t sctlr;		/* SCTLR_ELx of that EL */
	uint64_t daif;
	uint64_t entries;	/* times the entry point ran */
	uint64_t release;	/* set by the test: the CPU may CPU_OFF itself */
	uint64_t off_ret;	/* CPU_OFF returned this (it must not return) */
};

/* A fresh record, its context ID, and waiting for the entry point to fill it in. */
struct entry_record *entry_record_new(void);
uint64_t entry_context(struct entry_record *rec);
uintptr_t entry_address(void);
bool entry_wait(struct entry_record *rec, uint64_t entries);
void entry_release(struct entry_record *rec);
/* Checks of the state psci_entry found: context ID, MPIDR, EL, MMU, DAIF. */
void entry_check(struct entry_record *rec, int cpu, const char *how);

/* AFFINITY_INFO of @cpu at level 0, polled until it is @state or PSCI_WAIT_MS passed. */
int wait_affinity(int cpu, int state);
/* lib's cpu_power_off() on @cpu, then wait for AFFINITY_INFO to say OFF: a check. */
bool power_off_cpu(int cpu);

/* PSCI_FEATURES is there (PSCI 1.0 and later). */
bool psci_has_features(void);
/* PSCI_FEATURES(CPU_SUSPEND) says the extended power_state format (bit 1). */
bool psci_extended_format(void);

/* The subtests (cpu.c, suspend.c, main.c). */
void affinity_info(void);
void cpu_on_errors(void);
void cpu_off_on(void);
void cpu_on_race(void);
void cpu_on_pending(void);
void suspend_standby_timer(void);
void suspend_standby_sgi(void);
void suspend_powerdown(void);
const char *need_powerdown_state(void);

#endif
