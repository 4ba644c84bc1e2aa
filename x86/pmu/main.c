// SPDX-License-Identifier: MIT
/*
 * pmu: the x86 performance-monitoring counters as CPUID enumerates them.
 *
 * What it verifies, each part only where CPUID enumerates it (else a SKIP saying so):
 *  - every PMU MSR CPUID does not enumerate raises #GP(0) on RDMSR and WRMSR: counters past
 *    the enumerated number, fixed counters not enumerated, the global registers below
 *    version 2 (4 for STATUS_SET and INUSE), IA32_A_PMCx without full-width writes,
 *    PERF_METRICS without PERF_CAPABILITIES[15], AMD's extended and PerfMonV2 MSRs without
 *    their CPUID bits, and the other vendor's PMU MSRs; with no counter at all, RDPMC of
 *    any index raises #GP(0);
 *  - event selects, counters, fixed-counter control and the global registers hold what
 *    WRMSR wrote, reserved bits raise #GP(0), IA32_PMCx takes 32 bits sign-extended and
 *    IA32_A_PMCx the full width when PERF_CAPABILITIES.FW_WRITE says so, the read-only
 *    registers refuse WRMSR, v4's STATUS_SET/STATUS_RESET/INUSE work as defined;
 *  - every available architectural event counts on every GP counter (instructions and
 *    branches retired exactly, over a workload whose count is known; the others non-zero
 *    with the bounds stated where they are counted), an unavailable one counts nothing;
 *    each fixed counter counts its event, TOPDOWN.SLOTS at least one slot per cycle, and
 *    PERF_METRICS resets on write and holds level-1 metrics summing to 0xFF;
 *  - the USR/OS filters, CMASK, INV and EDGE change counts as the SDM/APM define them;
 *  - a counter preset near its width overflows, wraps, sets its global status bit and
 *    raises exactly one PMI on the LVT's vector, none while the LVT entry is masked; the
 *    freeze-on-PMI bit stops counting (v2/v3: clears GLOBAL_CTRL; v4: CTR_FRZ);
 *  - RDPMC reads each counter through its index encoding (GP, fixed with type 4000H),
 *    raises #GP(0) past the last counter and for undefined types (the legacy "fast read"
 *    bit 31 is one on an architectural PMU), and at CPL3 works only with CR4.PCE=1;
 *  - AMD: the four legacy counters at C001_0000-7 (aliases of the first four extended
 *    ones with PerfCtrExtCore), the six extended ones at C001_0200-B, PerfMonV2's global
 *    control/status/clear/set registers, and the same counting, overflow and RDPMC checks;
 *  - counters and PMIs are per logical processor.
 *
 * Specifications: SDM vol. 3B chapter 20 (20.2 architectural performance monitoring
 * versions 1-5, 20.2.6 full-width writes, 20.3.9.3 performance metrics), table 20-1
 * (architectural events), table 20-2 (fixed counters); SDM vol. 2A CPUID leaf 0AH, vol. 2B
 * RDPMC (ECX[31:16] is the counter type on an architectural PMU: 0, 4000H fixed, 2000H
 * metrics; anything else #GP(0)), WRMSR/RDMSR (#GP for reserved bits and unimplemented
 * MSRs); SDM vol. 3A 2.5 (CR4.PCE), 11.5.1 (LVT performance counter register); SDM
 * vol. 4 table 2-2 (each PMU MSR's existence condition, read-only registers). AMD APM
 * vol. 2 13.2 (13.2.1 core performance counters: four legacy ones with no CPUID bit, six
 * extended with PerfCtrExtCore, PerfMonV2's global registers), 16.4.1 (APIC LVT); APM vol. 3
 * RDPMC, CPUID Fn8000_0001_ECX[23:24,28], Fn8000_0022. AMD's event encodings (retired
 * instructions 0C0h, cycles 076h, branches 0C2h, mispredicted 0C3h) are those of every
 * family's BKDG/PPR since family 10h.
 *
 * VMM caveats (known-failures.txt, docs/pmu.md): QEMU 7.2 TCG has no PMU: CPUID.0AH is 0,
 * every MSR reads 0 and drops writes without #GP, and RDPMC always raises #UD. Bochs 2.7's
 * Intel models enumerate an architectural PMU (v2-v5) without implementing any of its MSRs
 * (#GP), and its RDPMC returns 0 for indices below 18; its AMD models enumerate
 * PerfCtrExtCore likewise. KVM without a vPMU reads the legacy P6/K7 counter MSRs as 0.
 */
#include "arch.h"
#include "subtest.h"
#include "pmutest.h"

const char *msr_name(uint32_t msr)
{
	static char bufs[4][40];
	static unsigned int next;
	char *b = bufs[next++ % 4];
	static const struct {
		uint32_t base, count;
		const char *fmt;
		bool addr;
	} ranges[] = {
		{ MSR_IA32_PMC0, 8, "IA32_PMC%u" },
		{ MSR_IA32_PERFEVTSEL0, 8, "IA32_PERFEVTSEL%u" },
		{ MSR_IA32_A_PMC0, 8, "IA32_A_PMC%u" },
		{ MSR_IA32_FIXED_CTR0, 4, "IA32_FIXED_CTR%u" },
		{ MSR_AMD_PERFEVTSEL0, 4, "PerfEvtSel%u", true },
		{ MSR_AMD_PERFCTR0, 4, "PerfCtr%u", true },
	};
	static const struct {
		uint32_t msr;
		const char *name;
	} names[] = {
		{ MSR_IA32_DEBUGCTL, "IA32_DEBUGCTL" },
		{ MSR_IA32_PERF_METRICS, "PERF_METRICS" },
		{ MSR_IA32_PERF_CAPABILITIES, "IA32_PERF_CAPABILITIES" },
		{ MSR_IA32_FIXED_CTR_CTRL, "IA32_FIXED_CTR_CTRL" },
		{ MSR_IA32_PERF_GLOBAL_STATUS, "IA32_PERF_GLOBAL_STATUS" },
		{ MSR_IA32_PERF_GLOBAL_CTRL, "IA32_PERF_GLOBAL_CTRL" },
		{ MSR_IA32_PERF_GLOBAL_OVF_CTRL, "IA32_PERF_GLOBAL_OVF_CTRL" },
		{ MSR_IA32_PERF_GLOBAL_STATUS_SET, "IA32_PERF_GLOBAL_STATUS_SET" },
		{ MSR_IA32_PERF_GLOBAL_INUSE, "IA32_PERF_GLOBAL_INUSE" },
		{ MSR_AMD_PERF_CNTR_GLOBAL_STATUS, "PerfCntrGlobalStatus" },
		{ MSR_AMD_PERF_CNTR_GLOBAL_CTL, "PerfCntrGlobalCtl" },
		{ MSR_AMD_PERF_CNTR_GLOBAL_STATUS_CLR, "PerfCntrGlobalStatusClr" },
		{ MSR_AMD_PERF_CNTR_GLOBAL_STATUS_SET, "PerfCntrGlobalStatusSet" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].msr == msr)
			return names[i].name;
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
		uint32_t n = msr - ranges[i].base;

		if (msr < ranges[i].base || n >= ranges[i].count)
			continue;
		snprintf(b, 40, ranges[i].fmt, n);
		if (ranges[i].addr)
			snprintf(b + strlen(b), 40 - strlen(b), " (%#x)", msr);
		return b;
	}
	if (msr >= MSR_AMD_PERF_CTL0 && msr < MSR_AMD_PERF_CTL0 + 2 * 16)
		snprintf(b, 40, "%s%u (%#x)", msr & 1 ? "PerfCtr" : "PerfEvtSel",
			 (msr - MSR_AMD_PERF_CTL0) / 2, msr);
	else
		snprintf(b, 40, "MSR %#x", msr);
	return b;
}

bool setup_wrmsr(uint32_t msr, uint64_t val)
{
	exinfo_t ex = wrmsr_safe(msr, val);

	if (ex)
		report_exc(0, ex, "WRMSR of %#lx to %s succeeds", val, msr_name(msr));
	return !ex;
}

bool setup_rdmsr(uint32_t msr, uint64_t *val)
{
	exinfo_t ex = rdmsr_safe(msr, val);

	if (ex)
		report_exc(0, ex, "RDMSR of %s succeeds", msr_name(msr));
	return !ex;
}

bool check_rw(uint32_t msr, uint64_t val, uint64_t expect)
{
	exinfo_t ex = wrmsr_safe(msr, val);
	uint64_t got = 0;

	if (!ex)
		ex = rdmsr_safe(msr, &got);
	if (ex)
		return report_exc(0, ex, "WRMSR of %#lx to %s reads back", val, msr_name(msr));
	return report_eq_x(expect, got, "WRMSR of %#lx to %s reads back", val, msr_name(msr));
}

bool check_wr_gp(uint32_t msr, uint64_t val, const char *why)
{
	return report_exc(GP0, wrmsr_safe(msr, val), "WRMSR of %#lx to %s raises #GP(0) (%s)",
			  val, msr_name(msr), why);
}

bool check_absent(uint32_t msr, const char *why)
{
	exinfo_t rd, wr;
	uint64_t val;
	char e[24], r[24], w[24], exp[56], got[56];

	rd = rdmsr_safe(msr, &val);
	wr = wrmsr_safe(msr, 0);
	arch_exinfo_str(GP0, e, sizeof(e));
	snprintf(exp, sizeof(exp), "%s and %s", e, e);
	snprintf(got, sizeof(got), "%s and %s", arch_exinfo_str(rd, r, sizeof(r)),
		 arch_exinfo_str(wr, w, sizeof(w)));
	return report_decoded(rd == GP0 && wr == GP0, exp, got,
			      "RDMSR and WRMSR of %s raise #GP(0) (%s)", msr_name(msr), why);
}

exinfo_t rdpmc_safe(uint32_t ecx, uint64_t *val)
{
	DECLARE_EXINFO(ex);
	uint32_t lo = 0, hi = 0;

	asm volatile(ASM_TRY("rdpmc") : "+r"(ex), "+a"(lo), "+d"(hi) : "c"(ecx) : "memory");
	*val = lo | (uint64_t)hi << 32;
	return ex;
}

struct pmu_switch switch_for(uint64_t mask, unsigned int n, uint64_t sel)
{
	if (pmu_has_global())
		return (struct pmu_switch){ pmu_global_ctrl_msr(), mask, 0 };
	return (struct pmu_switch){ pmu_sel_msr(n), sel | PMU_EVTSEL_EN, sel & ~PMU_EVTSEL_EN };
}

bool program_gp(unsigned int n, uint64_t sel, uint64_t count, struct pmu_switch *sw)
{
	*sw = switch_for(BIT_ULL(n), n, sel);
	return setup_wrmsr(pmu_sel_msr(n), pmu_has_global() ? sel | PMU_EVTSEL_EN : sel) &&
	       setup_wrmsr(pmu_ctr_msr(n), count);
}

bool read_counter(uint32_t msr, uint64_t *val)
{
	return setup_rdmsr(msr, val);
}

bool run_work(const struct pmu_switch *sw, struct pmu_work *w)
{
	*w = pmu_work_run(sw->msr, sw->on, sw->off);
	if (w->ex)
		report_exc(0, w->ex, "WRMSR of %#lx to %s succeeds", sw->on, msr_name(sw->msr));
	return !w->ex;
}

void enumeration(void)
{
	const struct pmu_caps *c = pmu_caps();

	if (c->amd) {
		report_info("AMD: %u GP counters (%s), PerfCtrExtCore %d, PerfMonV2 %d", c->nr_gp,
			    c->perfmon_v2 ? "Fn8000_0022" : "no CPUID bit for the four legacy ones",
			    c->perfctr_core, c->perfmon_v2);
		return;
	}
	report_info("CPUID.0AH: version %u, %u GP counters of %u bits, event vector %#x of %u bits",
		    c->version, c->nr_gp, c->gp_width, c->events_unavail, c->nr_events);
	report_info("fixed: %u of %u bits, bitmap %#x; PDCM %d, PERF_CAPABILITIES %#lx",
		    c->nr_fixed, c->fixed_width, c->fixed_bitmap, c->pdcm, c->perf_caps);
}

const char *need_intel_pmu(void)
{
	if (pmu_caps()->amd)
		return "the SDM's architectural PMU, this CPU follows the APM";
	return pmu_caps()->version ? NULL : "CPUID.0AH:EAX[7:0] is 0: no architectural PMU";
}

const char *need_gp(void)
{
	const char *why = pmu_caps()->amd ? NULL : need_intel_pmu();

	if (why)
		return why;
	return pmu_caps()->nr_gp ? NULL : "no general-purpose counter enumerated";
}

const char *need_fixed(void)
{
	const char *why = need_intel_pmu();

	if (why)
		return why;
	return pmu_all_counters() >> 32 ? NULL : "no fixed counter enumerated (version < 2)";
}

const char *need_global(void)
{
	if (pmu_has_global())
		return NULL;
	return pmu_caps()->amd ? "PerfMonV2 not enumerated (CPUID Fn8000_0022_EAX[0])"
			       : "no IA32_PERF_GLOBAL_CTRL (version < 2)";
}

static const struct subtest tests[] = {
	SUBTEST(enumeration),
	SUBTEST(unenumerated),
	SUBTEST_NEEDS(perf_capabilities, need_pdcm),
	SUBTEST_NEEDS(gp_msrs, need_gp),
	SUBTEST_NEEDS(full_width, need_full_width),
	SUBTEST_NEEDS(fixed_msrs, need_fixed),
	SUBTEST_NEEDS(global_regs, need_global),
	SUBTEST_NEEDS(global_v4, need_v4),
	SUBTEST_NEEDS(amd_legacy, need_amd_legacy),
	SUBTEST_NEEDS(events, need_gp),
	SUBTEST_NEEDS(fixed_events, need_fixed),
	SUBTEST_NEEDS(perf_metrics, need_perf_metrics),
	SUBTEST_NEEDS(filters, need_gp),
	SUBTEST_NEEDS(overflow, need_gp),
	SUBTEST_NEEDS(overflow_fixed, need_fixed),
	SUBTEST_NEEDS(freeze_on_pmi, need_freeze),
	SUBTEST_NEEDS(rdpmc, need_gp),
	SUBTEST_NEEDS(rdpmc_user, need_gp),
	SUBTEST_SMP(percpu, need_gp, 2),
};

SUBTESTS_MAIN(tests)
