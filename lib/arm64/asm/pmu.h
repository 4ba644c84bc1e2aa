/* SPDX-License-Identifier: MIT */
/*
 * The Performance Monitors Extension, PMUv3 (Arm ARM DDI 0487, chapter "The
 * Performance Monitors Extension" and the PMCR_EL0, PMUSERENR_EL0,
 * PMEVTYPER<n>_EL0 register pages): register fields, common event numbers
 * and accessors of the numbered counters, whose MRS/MSR encodings name the
 * counter statically.
 */
#ifndef ARM64_ASM_PMU_H
#define ARM64_ASM_PMU_H

#include "asm/sysreg.h"

/* ID_AA64DFR0_EL1.PMUVer (bits 11:8). */
#define PMUVER_NONE		0x0
#define PMUVER_V3		0x1
#define PMUVER_V3P1		0x4
#define PMUVER_V3P4		0x5
#define PMUVER_V3P5		0x6	/* 64-bit event counters, PMCR_EL0.LP */
#define PMUVER_V3P7		0x7
#define PMUVER_V3P8		0x8
#define PMUVER_V3P9		0x9
#define PMUVER_IMPDEF		0xf

/* PMCR_EL0. */
#define PMCR_E			__BIT64(0)	/* enable every counter of the first range */
#define PMCR_P			__BIT64(1)	/* write 1: zero the event counters (RAZ) */
#define PMCR_C			__BIT64(2)	/* write 1: zero PMCCNTR_EL0 (RAZ) */
#define PMCR_D			__BIT64(3)
#define PMCR_X			__BIT64(4)
#define PMCR_DP			__BIT64(5)
#define PMCR_LC			__BIT64(6)	/* cycle counter overflows at bit 63 */
#define PMCR_LP			__BIT64(7)	/* event counters overflow at bit 63 */
#define PMCR_N_SHIFT		11
#define PMCR_N_MASK		0x1f
#define PMCR_IDCODE_SHIFT	16
#define PMCR_IMP_SHIFT		24
#define PMCR_RO_MASK		0xfffff800UL	/* IMP, IDCODE, N */

/* Bit 31 of PMCNTEN*, PMINTEN*, PMOVS*: the cycle counter. */
#define PMU_CYCLE_IDX		31
#define PMU_CYCLE_BIT		__BIT64(PMU_CYCLE_IDX)
#define PMU_MAX_COUNTERS	31

/* PMUSERENR_EL0: what EL0 may access. */
#define PMUSERENR_EN		__BIT64(0)	/* everything but PMUSERENR writes */
#define PMUSERENR_SW		__BIT64(1)	/* PMSWINC_EL0 writes */
#define PMUSERENR_CR		__BIT64(2)	/* PMCCNTR_EL0 reads */
#define PMUSERENR_ER		__BIT64(3)	/* event counter reads, PMSELR_EL0 */

/* PMEVTYPER<n>_EL0 and PMCCFILTR_EL0 filters. */
#define PMEVTYPER_P		__BIT64(31)	/* do not count at EL1 */
#define PMEVTYPER_U		__BIT64(30)	/* do not count at EL0 */
#define PMEVTYPER_NSK		__BIT64(29)
#define PMEVTYPER_NSU		__BIT64(28)
#define PMEVTYPER_NSH		__BIT64(27)	/* count at EL2 */
#define PMEVTYPER_M		__BIT64(26)

/* Common events ("Common event numbers"); PMCEID0_EL0 bit n lists event n (n < 32). */
#define PMU_EVT_SW_INCR		0x00
#define PMU_EVT_INST_RETIRED	0x08
#define PMU_EVT_CPU_CYCLES	0x11
#define PMU_EVT_CHAIN		0x1e

#ifndef __ASSEMBLER__

/* X(n) for each event counter n: PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0 exist for n < 31. */
#define PMU_FOR_EACH_COUNTER(X)						\
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)	\
	X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21)	\
	X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30)

static inline unsigned int pmu_version(void)
{
	return id_field(read_sysreg(id_aa64dfr0_el1), ID_AA64DFR0_PMUVER_SHIFT);
}

/* PMCR_EL0.N: the event counters EL1 can use (MDCR_EL2.HPMN under an EL2). */
static inline unsigned int pmu_nr_counters(void)
{
	return (read_sysreg(pmcr_el0) >> PMCR_N_SHIFT) & PMCR_N_MASK;
}

/* PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0, n < 31 (others read 0, writes dropped). */
static inline uint64_t pmevcntr_read(unsigned int n)
{
	switch (n) {
#define __PMU_RD(i) case i: return read_sysreg(pmevcntr##i##_el0);
	PMU_FOR_EACH_COUNTER(__PMU_RD)
#undef __PMU_RD
	}
	return 0;
}

static inline void pmevcntr_write(unsigned int n, uint64_t v)
{
	switch (n) {
#define __PMU_WR(i) case i: write_sysreg(v, pmevcntr##i##_el0); break;
	PMU_FOR_EACH_COUNTER(__PMU_WR)
#undef __PMU_WR
	}
}

static inline uint64_t pmevtyper_read(unsigned int n)
{
	switch (n) {
#define __PMU_RD(i) case i: return read_sysreg(pmevtyper##i##_el0);
	PMU_FOR_EACH_COUNTER(__PMU_RD)
#undef __PMU_RD
	}
	return 0;
}

static inline void pmevtyper_write(unsigned int n, uint64_t v)
{
	switch (n) {
#define __PMU_WR(i) case i: write_sysreg(v, pmevtyper##i##_el0); break;
	PMU_FOR_EACH_COUNTER(__PMU_WR)
#undef __PMU_WR
	}
}

#endif /* __ASSEMBLER__ */
#endif
