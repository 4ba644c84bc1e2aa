// SPDX-License-Identifier: MIT
/*
 * The Performance Monitors Extension (PMUv3) as a guest at EL1 sees it:
 * PMCR_EL0 fields against ID_AA64DFR0_EL1.PMUVer, the set/clear register
 * pairs, exact SW_INCR counts, counter reset, indirect access through
 * PMSELR_EL0, 32- and 64-bit overflow, CHAIN, the cycle counter (enable,
 * reset, LC overflow), INST_RETIRED over a loop of known length, filtering
 * by Exception level (PMEVTYPER<n>_EL0.P/U, PMCCFILTR_EL0), EL0 access
 * control (PMUSERENR_EL0, code run at EL0), counters beyond PMCR_EL0.N, the
 * overflow interrupt (PMINTENSET_EL1, PMOVSSET_EL0, the PMU PPI through the
 * GIC) taken exactly once, and per-CPU counters and interrupts.
 *
 * Spec: Arm ARM DDI 0487, chapter "The Performance Monitors Extension";
 * register pages PMCR_EL0, PMCNTENSET_EL0, PMINTENSET_EL1, PMOVSSET_EL0,
 * PMSWINC_EL0, PMSELR_EL0, PMXEVCNTR_EL0, PMEVCNTR<n>_EL0, PMEVTYPER<n>_EL0,
 * PMCCFILTR_EL0, PMUSERENR_EL0, PMCEID0_EL0, ID_AA64DFR0_EL1; pseudocode
 * CountPMUEvents() (enables and EL filters, applied to SW_INCR too, as
 * PMUSwIncrement() only accumulates an event), AArch64.IncrementEventCounter()
 * (overflow at bit 31 or 63 per LP, 64-bit counters from PMUv3p5, CHAIN only
 * with LP == 0), CheckForPMUOverflow()/CheckPMUOverflowCondition() (the
 * interrupt request is PMOVS & PMINTEN & PMCR_EL0.E, re-evaluated before
 * every instruction); ESR_ELx ISS encoding for EC 0x18.
 *
 * VMM caveats: QEMU TCG lists INST_RETIRED in PMCEID0_EL0 only with
 * -icount (stanza pmu_icount) and does not implement CHAIN (skipped);
 * QEMU 7.2 does not re-evaluate the interrupt request on a PMCR_EL0 write
 * (known failure: setting PMCR_EL0.E over a pending overflow).
 */
#include "pmu.h"
#include "subtest.h"

uint64_t pmu_all_counters(void)
{
	return PMU_CYCLE_BIT | (BIT(pmu_nr_counters()) - 1);
}

void pmu_reset(void)
{
	unsigned int n = pmu_nr_counters();

	write_sysreg(PMCR_P | PMCR_C | PMCR_LC, pmcr_el0);
	write_sysreg(0xffffffffUL, pmcntenclr_el0);
	write_sysreg(0xffffffffUL, pmintenclr_el1);
	write_sysreg(0xffffffffUL, pmovsclr_el0);
	write_sysreg(0, pmuserenr_el0);
	write_sysreg(0, pmccfiltr_el0);
	write_sysreg(0, pmselr_el0);
	for (unsigned int i = 0; i < n; i++)
		pmevtyper_write(i, PMU_EVT_SW_INCR);
	isb();
}

void pmu_sw_incr(unsigned int n, unsigned int times)
{
	for (unsigned int i = 0; i < times; i++)
		write_sysreg(BIT(n), pmswinc_el0);
	isb();
}

bool pmu_has_event(unsigned int evt)
{
	return evt < 32 && (read_sysreg(pmceid0_el0) & BIT(evt));
}

bool pmu_has_aarch32(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	/* EL0..EL3 fields (bits 15:0): 0b0010 = AArch64 and AArch32. */
	for (int shift = 0; shift < 16; shift += 4)
		if (id_field(pfr0, shift) == 2)
			return true;
	return false;
}

const char *need_pmu(void)
{
	switch (pmu_version()) {
	case PMUVER_NONE:
		return "ID_AA64DFR0_EL1.PMUVer is 0: no PMU";
	case PMUVER_IMPDEF:
		return "ID_AA64DFR0_EL1.PMUVer is 0xf: IMPLEMENTATION DEFINED PMU, not PMUv3";
	}
	return NULL;
}

const char *need_counter(void)
{
	const char *why = need_pmu();

	if (why)
		return why;
	return pmu_nr_counters() ? NULL : "PMCR_EL0.N is 0: no event counter";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(pmcr, need_pmu),
	SUBTEST_NEEDS(enable_masks, need_pmu),
	SUBTEST_NEEDS(sw_incr, need_counter),
	SUBTEST_NEEDS(counter_reset, need_counter),
	SUBTEST_NEEDS(unimplemented_event, need_counter),
	SUBTEST_NEEDS(indirect_access, need_pmu),
	SUBTEST_NEEDS(counter_overflow, need_counter),
	SUBTEST_NEEDS(chain, need_chain),
	SUBTEST_NEEDS(counter_range, need_fgt),
	SUBTEST_NEEDS(cycle_counter, need_pmu),
	SUBTEST_NEEDS(cycle_overflow, need_pmu),
	SUBTEST_NEEDS(inst_retired, need_inst_retired),
	SUBTEST_NEEDS(el1_filter, need_counter),
	SUBTEST_NEEDS(user_access, need_counter),
	SUBTEST_NEEDS(el0_filter, need_counter),
	SUBTEST_NEEDS(overflow_irq, need_pmu_irq),
	SUBTEST_SMP(smp_counters, need_counter, 2),
	SUBTEST_SMP(smp_irq, need_pmu_irq, 2),
};

SUBTESTS_MAIN(tests)
