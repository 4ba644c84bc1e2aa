/* SPDX-License-Identifier: MIT */
/*
 * What the files of the pmu test share: the PMU state helpers, the needs
 * predicates and the subtests registered in main.c.
 */
#ifndef ARM_PMU_PMU_H
#define ARM_PMU_PMU_H

#include "asm/exception.h"
#include "asm/pmu.h"
#include "report.h"

/* PMCNTENSET_EL0 and friends: the N event counters and the cycle counter. */
uint64_t pmu_all_counters(void);

/*
 * Every counter disabled and zero, overflow flags, interrupt enables,
 * filters, PMSELR_EL0 and PMUSERENR_EL0 cleared, PMCR_EL0.LC set, LP clear,
 * every event counter counting SW_INCR.
 */
void pmu_reset(void);

/* @times writes of PMSWINC_EL0 bit @n at EL1, then a context synchronization. */
void pmu_sw_incr(unsigned int n, unsigned int times);

/* PMCEID0_EL0 lists common event @evt (0..31) as implemented. */
bool pmu_has_event(unsigned int evt);

/* AArch32 is implemented at some Exception level (PMCR_EL0.LC is RW then). */
bool pmu_has_aarch32(void);

const char *need_pmu(void);
const char *need_counter(void);

/* control.c */
void pmcr(void);
void enable_masks(void);
void sw_incr(void);
void counter_reset(void);
void unimplemented_event(void);
void indirect_access(void);
void counter_overflow(void);
void chain(void);
void counter_range(void);
const char *need_chain(void);
const char *need_fgt(void);

/* cycles.c */
void cycle_counter(void);
void cycle_overflow(void);
void inst_retired(void);
void el1_filter(void);
const char *need_inst_retired(void);

/* user.c */
void user_access(void);
void el0_filter(void);

/* irq.c */
void overflow_irq(void);
void smp_counters(void);
void smp_irq(void);
const char *need_pmu_irq(void);

#endif
