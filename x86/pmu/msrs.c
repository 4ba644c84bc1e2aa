// SPDX-License-Identifier: MIT
/*
 * The PMU's MSRs as registers: what WRMSR writes RDMSR reads, reserved bits raise #GP(0),
 * read-only registers refuse WRMSR. SDM vol. 3B 20.2 (fig. 20-1 IA32_PERFEVTSELx: bits 63:32
 * reserved but for TSX's 32-33 and v6's 36, 40-47; fig. 20-5 IA32_FIXED_CTR_CTRL; figs.
 * 20-3/20-4 and 20.2.4 the global registers), 20.2.6 (IA32_PMCx takes EAX sign-extended,
 * IA32_A_PMCx the full width); SDM vol. 4 table 2-2 (GLOBAL_STATUS and INUSE are RO); APM
 * vol. 2 13.2.1.1 (PerfEvtSeln bits 63:42 MBZ), 13.2.1 (the legacy MSRs are the first four
 * extended counters when PerfCtrExtCore is set), 13.2.2 (PerfMonV2 global registers).
 */
#include "pmutest.h"

/* Every field an event select defines but EN and INT, with an 8-bit event. */
static uint64_t full_sel(void)
{
	return pmu_evtsel(&pmu_arch_events[PMU_INSTRUCTIONS], PMU_EVTSEL_USR | PMU_EVTSEL_OS |
			  PMU_EVTSEL_EDGE | PMU_EVTSEL_INV | PMU_EVTSEL_CMASK(0x5a));
}

/* What IA32_PMCx holds after WRMSR of @val: EAX sign-extended to the counter's width. */
static uint64_t pmc_written(uint64_t val)
{
	return (uint64_t)(int64_t)(int32_t)val & pmu_gp_mask();
}

void gp_msrs(void)
{
	const struct pmu_caps *c = pmu_caps();
	uint64_t sel = full_sel();

	for (unsigned int n = 0; n < c->nr_gp && n < 16; n++) {
		uint32_t ctr = pmu_ctr_msr(n);

		if (!c->amd && n >= PMU_MAX_GP)
			break;
		check_rw(pmu_sel_msr(n), sel, sel);
		check_wr_gp(pmu_sel_msr(n), sel | BIT_ULL(63), "reserved bit 63");
		if (c->amd) {
			check_rw(ctr, BIT_ULL(47) | (0x1234 + n), BIT_ULL(47) | (0x1234 + n));
		} else {
			check_rw(ctr, 0x80001234 | n, pmc_written(0x80001234 | n));
			check_rw(ctr, BIT_ULL(32) | 0x5678, 0x5678);
		}
		wrmsr_safe(pmu_sel_msr(n), 0);
		wrmsr_safe(ctr, 0);
	}
}

const char *need_full_width(void)
{
	const char *why = need_gp();

	if (why)
		return why;
	return pmu_caps()->perf_caps & PERF_CAP_FW_WRITE ? NULL
							  : "PERF_CAPABILITIES.FW_WRITE clear";
}

void full_width(void)
{
	const struct pmu_caps *c = pmu_caps();
	uint64_t mask = pmu_gp_mask(), val;
	char why[48];

	for (unsigned int n = 0; n < c->nr_gp && n < PMU_MAX_GP; n++) {
		if (check_rw(MSR_IA32_A_PMC0 + n, mask, mask) &&
		    setup_rdmsr(MSR_IA32_PMC0 + n, &val))
			report_eq_x(mask, val, "IA32_PMC%u reads what IA32_A_PMC%u wrote", n, n);
		if (c->gp_width < 64) {
			snprintf(why, sizeof(why), "bit %u is past the counter width", c->gp_width);
			check_wr_gp(MSR_IA32_A_PMC0 + n, BIT_ULL(c->gp_width), why);
		}
		wrmsr_safe(MSR_IA32_A_PMC0 + n, 0);
	}
}

unsigned int first_unsupported_fixed(void)
{
	unsigned int n = 0;

	while (n < 32 && pmu_fixed_supported(n))
		n++;
	return n;
}

void fixed_msrs(void)
{
	const struct pmu_caps *c = pmu_caps();
	uint64_t ctrl = 0, mask = c->fixed_width >= 64 ? ~0ULL : BIT_ULL(c->fixed_width) - 1;
	unsigned int k = first_unsupported_fixed();
	char why[48];

	for (unsigned int n = 0; n < 16; n++)
		if (pmu_fixed_supported(n))
			ctrl |= PMU_FIXED_CTRL(n, PMU_FIXED_OS | PMU_FIXED_USR | PMU_FIXED_PMI);
	check_rw(MSR_IA32_FIXED_CTR_CTRL, ctrl, ctrl);
	if (k < 16) {
		snprintf(why, sizeof(why), "fixed counter %u not enumerated", k);
		check_wr_gp(MSR_IA32_FIXED_CTR_CTRL, PMU_FIXED_CTRL(k, PMU_FIXED_OS), why);
	}
	wrmsr_safe(MSR_IA32_FIXED_CTR_CTRL, 0);
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++) {
		if (!pmu_fixed_supported(n))
			continue;
		check_rw(pmu_fixed_msr(n), 0x123456789aULL & mask, 0x123456789aULL & mask);
		wrmsr_safe(pmu_fixed_msr(n), 0);
	}
}

/* Bits of the global control no counter or feature defines, for the #GP probes. */
static unsigned int reserved_global_bits(unsigned int *bits)
{
	const struct pmu_caps *c = pmu_caps();
	unsigned int k = first_unsupported_fixed(), n = 0;

	if (c->nr_gp < 31)
		bits[n++] = c->nr_gp;
	bits[n++] = 31;
	if (!c->amd) {
		if (k < 15)
			bits[n++] = 32 + k;
		bits[n++] = 47;
		if (!(c->perf_caps & PERF_CAP_PERF_METRICS))
			bits[n++] = 48;
	}
	bits[n++] = 63;
	return n;
}

/* One check each: WRMSR of @bits to @set sets them in the global status, to @clear clears them. */
static void check_set_clear(uint32_t set, uint32_t clear, uint64_t bits)
{
	uint32_t st = pmu_global_status_msr();
	uint64_t status;

	if (setup_wrmsr(set, bits) && setup_rdmsr(st, &status))
		report_eq_x(bits, status & bits, "%s sets every counter's %s bit", msr_name(set),
			    msr_name(st));
	if (setup_wrmsr(clear, bits) && setup_rdmsr(st, &status))
		report_eq_x(0, status & bits, "%s clears every counter's %s bit", msr_name(clear),
			    msr_name(st));
}

void global_regs(void)
{
	uint64_t all = pmu_all_counters();
	uint32_t ctrl = pmu_global_ctrl_msr(), clear = pmu_global_clear_msr();
	unsigned int bits[8], nr = reserved_global_bits(bits);
	char why[32];

	check_rw(ctrl, all, all);
	check_rw(ctrl, 0, 0);
	for (unsigned int i = 0; i < nr; i++) {
		snprintf(why, sizeof(why), "reserved bit %u", bits[i]);
		check_wr_gp(ctrl, BIT_ULL(bits[i]), why);
	}
	check_wr_gp(pmu_global_status_msr(), 0, "read-only");
	report_exc(0, wrmsr_safe(clear, all), "WRMSR of every counter's bit to %s succeeds",
		   msr_name(clear));
	if (!pmu_caps()->amd)
		check_wr_gp(clear, BIT_ULL(56), "reserved bit 56");
	if (pmu_caps()->nr_gp < 31)
		check_wr_gp(clear, BIT_ULL(31), "reserved bit 31");
	if (!pmu_caps()->amd)
		return;
	/* PerfMonV2 (APM vol. 2 13.2.2): PerfCntrGlobalStatusSet sets, ...Clr clears. */
	check_set_clear(MSR_AMD_PERF_CNTR_GLOBAL_STATUS_SET, clear, all);
	if (pmu_caps()->nr_gp < 31)
		check_wr_gp(MSR_AMD_PERF_CNTR_GLOBAL_STATUS_SET, BIT_ULL(31), "reserved bit 31");
}

const char *need_v4(void)
{
	const char *why = need_intel_pmu();

	if (why)
		return why;
	return pmu_caps()->version >= 4 ? NULL : "architectural PMU version < 4";
}

/* One check: IA32_PERF_GLOBAL_INUSE & @bit equals @want after @what. */
static void check_inuse(uint64_t bit, bool want, const char *what)
{
	uint64_t inuse;

	if (setup_rdmsr(MSR_IA32_PERF_GLOBAL_INUSE, &inuse))
		report_eq_x(want ? bit : 0, inuse & bit, "IA32_PERF_GLOBAL_INUSE bit %u is %d %s",
			    __builtin_ctzll(bit), want, what);
}

/*
 * v4 (SDM vol. 3B 20.2.4): STATUS_SET sets and STATUS_RESET clears GLOBAL_STATUS bits;
 * INUSE bit n is set while IA32_PERFEVTSELn's event select (7:0) is non-zero, bit 32 + n
 * while fixed counter n's enable field is, and bit 63 while any PMI is enabled.
 */
void global_v4(void)
{
	const struct pmu_event *ev = &pmu_arch_events[PMU_INSTRUCTIONS];

	pmu_reset();
	check_set_clear(MSR_IA32_PERF_GLOBAL_STATUS_SET, MSR_IA32_PERF_GLOBAL_OVF_CTRL,
			pmu_all_counters());
	check_wr_gp(MSR_IA32_PERF_GLOBAL_STATUS_SET, BIT_ULL(47), "reserved bit 47");
	check_wr_gp(MSR_IA32_PERF_GLOBAL_INUSE, 0, "read-only");
	if (setup_wrmsr(MSR_IA32_PERFEVTSEL0, pmu_evtsel(ev, PMU_EVTSEL_OS)))
		check_inuse(BIT_ULL(0), true, "with event 0xc0 in IA32_PERFEVTSEL0");
	if (setup_wrmsr(MSR_IA32_PERFEVTSEL0, pmu_evtsel(ev, PMU_EVTSEL_INT)))
		check_inuse(BIT_ULL(63), true, "with IA32_PERFEVTSEL0.INT set");
	if (setup_wrmsr(MSR_IA32_PERFEVTSEL0, 0))
		check_inuse(BIT_ULL(0) | BIT_ULL(63), false, "with IA32_PERFEVTSEL0 clear");
	if (!pmu_fixed_supported(0))
		return;
	if (setup_wrmsr(MSR_IA32_FIXED_CTR_CTRL, PMU_FIXED_CTRL(0, PMU_FIXED_OS)))
		check_inuse(PMU_GLOBAL_FIXED(0), true, "with fixed counter 0 enabled");
	pmu_reset();
}

const char *need_amd_legacy(void)
{
	if (!pmu_caps()->amd)
		return "AMD's legacy counters, this CPU follows the SDM";
	return pmu_caps()->perfctr_core ? NULL : "PerfCtrExtCore clear: gp_msrs has checked them";
}

/*
 * The legacy MSRs (C001_0000-7) exist on every AMD64 CPU; with PerfCtrExtCore they are the
 * first four extended counters under other addresses.
 */
void amd_legacy(void)
{
	uint64_t sel = full_sel(), val;

	for (unsigned int n = 0; n < PMU_AMD_LEGACY_COUNTERS; n++) {
		uint32_t lsel = MSR_AMD_PERFEVTSEL0 + n, lctr = MSR_AMD_PERFCTR0 + n;
		uint32_t esel = MSR_AMD_PERF_CTL0 + 2 * n, ectr = MSR_AMD_PERF_CTR0 + 2 * n;
		uint64_t cnt = BIT_ULL(47) | (0x4321 + n);

		if (check_rw(lsel, sel, sel) && setup_rdmsr(esel, &val))
			report_eq_x(sel, val, "%s reads what %s wrote", msr_name(esel),
				    msr_name(lsel));
		if (check_rw(lctr, cnt, cnt) && setup_rdmsr(ectr, &val))
			report_eq_x(cnt, val, "%s reads what %s wrote", msr_name(ectr),
				    msr_name(lctr));
		wrmsr_safe(lsel, 0);
		wrmsr_safe(lctr, 0);
	}
}
