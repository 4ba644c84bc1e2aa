/* SPDX-License-Identifier: MIT */
/* What the files of riscv/sbi/ share: hart helpers, IPI counting, the subtests. */
#ifndef RISCV_SBI_TEST_H
#define RISCV_SBI_TEST_H

#include "libc.h"
#include "sbi.h"

/* Unassigned in every version of the spec: a function or extension ID no SBI has. */
#define UNKNOWN_FID		0x4000
#define UNKNOWN_EID		0x4e4f4e45	/* "NONE" */

/* One above the highest hart ID of /cpus: a hart the platform does not have. */
unsigned long invalid_hartid(void);

/*
 * The lowest hart ID of /cpus and the mask, relative to it, of every hart
 * (hart IDs more than 63 above the lowest are left out).
 */
unsigned long hart_base(void);
unsigned long all_harts_mask(void);

/* The reason a subtest cannot run without extension @eid, or NULL. */
const char *need_ext(unsigned long eid, const char *why);

/*
 * Supervisor software interrupts counted per CPU (ipi.c): ipi_count_start()
 * zeroes the counts and installs the handler, ipi_count_stop() removes it.
 * wait_ipis() waits up to @ms with interrupts enabled on the caller for
 * CPU @cpu's count to reach @want and returns the count then.
 */
void ipi_count_start(void);
void ipi_count_stop(void);
int ipi_count(int cpu);
int wait_ipis(int cpu, int want, unsigned int ms);

/* Whether sip.@bit becomes set within @ms (interrupts masked by the caller). */
bool wait_pending(unsigned long bit, unsigned int ms);

/* The subtests, one per file area. */
void base(void);
void probe(void);
void legacy(void);
void time_set_timer(void);
void time_masking(void);
void ipi(void);
void ipi_invalid(void);
void rfence(void);
void rfence_remote(void);
void hsm_status(void);
void hsm_start_stop(void);
void hsm_suspend(void);
void pmu_info(void);
void pmu_config(void);
void pmu_start_stop(void);
void pmu_fw_count(void);
void dbcn(void);
void susp(void);
void srst_reserved(void);
void srst_shutdown(void);
void srst_cold_reboot(void);
void srst_warm_reboot(void);
void legacy_shutdown(void);
const char *need_time(void);
const char *need_ipi(void);
const char *need_rfence(void);
const char *need_hsm(void);
const char *need_pmu(void);
const char *need_dbcn(void);
const char *need_susp(void);
const char *need_srst(void);
const char *need_srst_shutdown(void);
const char *need_srst_cold_reboot(void);
const char *need_srst_warm_reboot(void);
const char *need_legacy_shutdown(void);

#endif
