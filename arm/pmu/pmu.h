/* SPDX-License-Identifier: MIT */
/*
 * What the files of the pmu test share: the PMU state helpers, the needs
 * predicates, the EL0 runner (el0.c) and the subtests registered in main.c.
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

/*
 * EL0 code: EL0_CODE(name, "insns") assembles a sequence into .rodata;
 * el0_run() copies it to a page mapped for EL0 only, appends SVC #0 and
 * runs it at EL0t with x0-x7 from @x (and returns them in @x). It returns
 * 0 when the SVC was reached, else the exinfo of the first exception the
 * sequence took to EL1 (the run ends there).
 */
#define EL0_CODE(name, insns)						\
	extern const uint32_t name[], name##_end[];			\
	asm(".pushsection .rodata." #name ", \"a\"\n\t.balign 4\n"	\
	    #name ":\n\t" insns "\n" #name "_end:\n\t.popsection")

exinfo_t el0_run(const uint32_t *code, const uint32_t *end, uint64_t x[8]);

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
