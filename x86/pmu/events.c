// SPDX-License-Identifier: MIT
/*
 * Counting. Every event CPUID.0AH marks available counts on every GP counter over the
 * workload of lib/x86/pmu.c, whose retired instructions and branches are known exactly:
 * those two must land in [known, known + COUNT_SLACK]. The others have no architectural
 * count over any workload, so they must be non-zero: cycles, reference cycles and slots
 * pass while anything runs, the LLC events see the workload's loads from lines flushed just
 * before (a load of a flushed line references the LLC and misses it: SDM vol. 3B table
 * 20-1), branch misses see its LFSR-driven branch (never the same sequence twice: at least
 * one miss, at most one per branch), the topdown events see its retiring, stalled and
 * mispredicted slots. An unavailable event (CPUID.0AH:EBX bit set, or past EAX[31:24])
 * counts nothing. The fixed counters count their events (SDM table 20-2), TOPDOWN.SLOTS at
 * least one slot per unhalted cycle; PERF_METRICS (SDM 20.3.9.3) resets on write and holds
 * level-1 fractions of 0xFF that sum to 0xFF. Filters (SDM fig. 20-1, APM 13.2.1.1): USR
 * counts CPL > 0 only, OS CPL 0 only, neither nothing; CMASK counts cycles in which at least
 * CMASK events occur, INV inverts that, EDGE counts the false-to-true transitions.
 */
#include "user.h"
#include "pmutest.h"

/* AMD's encodings (family 10h BKDG through family 1Ah PPR: the same four). */
const struct pmu_event amd_events[] = {
	{ "CPU Clocks not Halted", 0x76, 0 },
	{ "Retired Instructions", 0xc0, 0 },
	{ "Retired Branch Instructions", 0xc2, 0 },
	{ "Retired Mispredicted Branch Instructions", 0xc3, 0 },
};
const unsigned int nr_amd_events = ARRAY_SIZE(amd_events);

enum kind { NONZERO, INSNS, BRANCHES, MISSES, NOTHING };

static const enum kind amd_kinds[] = { NONZERO, INSNS, BRANCHES, MISSES };

static enum kind intel_kind(unsigned int e)
{
	if (!pmu_event_available(e))
		return NOTHING;
	switch (e) {
	case PMU_INSTRUCTIONS:
		return INSNS;
	case PMU_BRANCHES:
		return BRANCHES;
	case PMU_BRANCH_MISSES:
		return MISSES;
	}
	return NONZERO;
}

static void check_count(enum kind k, const struct pmu_work *w, uint64_t got, const char *ev,
			const char *ctr)
{
	switch (k) {
	case INSNS:
		report_in_range(w->insns, w->insns + COUNT_SLACK, got,
				"%s counts the workload's instructions on %s", ev, ctr);
		break;
	case BRANCHES:
		report_in_range(w->branches, w->branches + COUNT_SLACK, got,
				"%s counts the workload's branches on %s", ev, ctr);
		break;
	case MISSES:
		report_in_range(1, w->branches + COUNT_SLACK, got,
				"%s counts some of the workload's branches on %s", ev, ctr);
		break;
	case NOTHING:
		report_eq(0, got, "%s (not available) counts nothing on %s", ev, ctr);
		break;
	default:
		report_in_range(1, ~0ULL, got, "%s counts on %s", ev, ctr);
	}
}

/* One event on GP counter @n; false when the counter could not be used at all. */
static bool count_event(unsigned int n, const struct pmu_event *ev, enum kind k)
{
	struct pmu_switch sw;
	struct pmu_work w;
	uint64_t got;
	bool ok;

	ok = program_gp(n, pmu_evtsel(ev, PMU_EVTSEL_USR | PMU_EVTSEL_OS), 0, &sw) &&
	     run_work(&sw, &w) && read_counter(pmu_ctr_msr(n), &got);
	if (ok)
		check_count(k, &w, got, ev->name, msr_name(pmu_ctr_msr(n)));
	wrmsr_safe(pmu_sel_msr(n), 0);
	return ok;
}

void events(void)
{
	const struct pmu_caps *c = pmu_caps();

	pmu_reset();
	for (unsigned int n = 0; n < c->nr_gp && n < 16; n++) {
		if (c->amd) {
			for (unsigned int e = 0; e < nr_amd_events; e++)
				if (!count_event(n, &amd_events[e], amd_kinds[e]))
					break;
			continue;
		}
		if (n >= PMU_MAX_GP)
			break;
		for (unsigned int e = 0; e < PMU_NR_ARCH_EVENTS; e++)
			if (!count_event(n, &pmu_arch_events[e], intel_kind(e)))
				break;
	}
	pmu_reset();
}

/* Fixed counters @mask counted together over the workload into @got. */
static bool count_fixed(uint64_t mask, struct pmu_work *w, uint64_t *got)
{
	struct pmu_switch sw = { MSR_IA32_PERF_GLOBAL_CTRL, mask << 32, 0 };
	uint64_t ctrl = 0;

	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++)
		if (mask & BIT(n))
			ctrl |= PMU_FIXED_CTRL(n, PMU_FIXED_OS | PMU_FIXED_USR);
	pmu_reset();
	if (!setup_wrmsr(MSR_IA32_FIXED_CTR_CTRL, ctrl) || !run_work(&sw, w))
		return false;
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++)
		if ((mask & BIT(n)) && !read_counter(pmu_fixed_msr(n), &got[n]))
			return false;
	return true;
}

void fixed_events(void)
{
	static const enum kind kinds[PMU_MAX_FIXED] = { INSNS, NONZERO, NONZERO, NONZERO };
	uint64_t got[PMU_MAX_FIXED];
	struct pmu_work w;

	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++)
		if (pmu_fixed_supported(n) && count_fixed(BIT(n), &w, got))
			check_count(kinds[n], &w, got[n], pmu_fixed_names[n],
				    msr_name(pmu_fixed_msr(n)));
	/* Slots are the pipeline's width times the unhalted cycles (SDM 20.3.9.3). */
	if (pmu_fixed_supported(1) && pmu_fixed_supported(3) &&
	    count_fixed(BIT(1) | BIT(3), &w, got))
		report_in_range(got[1], ~0ULL, got[3],
				"TOPDOWN.SLOTS counts at least one slot per unhalted core cycle");
	pmu_reset();
}

const char *need_perf_metrics(void)
{
	const char *why = need_intel_pmu();

	if (why)
		return why;
	if (!(pmu_caps()->perf_caps & PERF_CAP_PERF_METRICS))
		return "PERF_CAPABILITIES.PERF_METRICS clear";
	return pmu_fixed_supported(3) ? NULL : "fixed counter 3 (TOPDOWN.SLOTS) not enumerated";
}

/*
 * SDM 20.3.9.3: PERF_METRICS derives from fixed counter 3; software writes the counter,
 * then PERF_METRICS, to zero before it starts them; EN_PERF_METRICS is GLOBAL_CTRL bit 48
 * and the metrics' overflow GLOBAL_STATUS bit 48. The level-1 metrics (retiring, bad
 * speculation, frontend bound, backend bound: bytes 0-3) are fractions of 0xFF summing
 * to 0xFF.
 */
void perf_metrics(void)
{
	uint64_t on = PMU_GLOBAL_FIXED(3) | PMU_GLOBAL_PERF_METRICS, m, status;
	struct pmu_switch sw = { MSR_IA32_PERF_GLOBAL_CTRL, on, 0 };
	struct pmu_work w;

	pmu_reset();
	check_rw(MSR_IA32_PERF_GLOBAL_CTRL, on, on);
	if (setup_wrmsr(MSR_IA32_FIXED_CTR_CTRL, PMU_FIXED_CTRL(3, PMU_FIXED_OS | PMU_FIXED_USR)) &&
	    setup_wrmsr(pmu_fixed_msr(3), 0) && setup_wrmsr(MSR_IA32_PERF_METRICS, 0) &&
	    run_work(&sw, &w) && setup_rdmsr(MSR_IA32_PERF_METRICS, &m))
		report_eq_x(0xff, (m & 0xff) + (m >> 8 & 0xff) + (m >> 16 & 0xff) +
				   (m >> 24 & 0xff), "the level-1 PERF_METRICS fields sum to 0xff");
	if (setup_wrmsr(pmu_fixed_msr(3), 0))
		check_rw(MSR_IA32_PERF_METRICS, 0, 0);
	if (pmu_caps()->version >= 4 &&
	    setup_wrmsr(MSR_IA32_PERF_GLOBAL_STATUS_SET, PMU_GLOBAL_PERF_METRICS) &&
	    setup_rdmsr(MSR_IA32_PERF_GLOBAL_STATUS, &status))
		report_eq_x(PMU_GLOBAL_PERF_METRICS, status & PMU_GLOBAL_PERF_METRICS,
			    "STATUS_SET sets GLOBAL_STATUS bit 48 (OVF_PERF_METRICS)");
	if (setup_wrmsr(MSR_IA32_PERF_GLOBAL_OVF_CTRL, PMU_GLOBAL_PERF_METRICS) &&
	    setup_rdmsr(MSR_IA32_PERF_GLOBAL_STATUS, &status))
		report_eq_x(0, status & PMU_GLOBAL_PERF_METRICS,
			    "GLOBAL_OVF_CTRL bit 48 clears GLOBAL_STATUS bit 48");
	pmu_reset();
}

#define USER_LOOPS	10000

static uint64_t user_loop(uint64_t n)
{
	asm volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
	return n;
}

/* Instructions counted on GP counter 0 with @flags while run_in_user() runs the loop. */
static bool count_user(uint64_t flags, uint64_t *got)
{
	uint64_t sel = pmu_evtsel(&pmu_arch_events[PMU_INSTRUCTIONS], flags);
	struct pmu_switch sw;
	bool ok;

	if (pmu_caps()->amd)
		sel = pmu_evtsel(&amd_events[1], flags);
	ok = program_gp(0, sel, 0, &sw) && setup_wrmsr(sw.msr, sw.on);
	if (ok) {
		run_in_user(user_loop, USER_LOOPS);
		ok = setup_wrmsr(sw.msr, sw.off) && read_counter(pmu_ctr_msr(0), got);
	}
	pmu_reset();
	return ok;
}

/* The workload counted on GP counter 0 with instructions, @flags and USR|OS. */
static bool count_work(uint64_t flags, struct pmu_work *w, uint64_t *got)
{
	const struct pmu_event *ev = &pmu_arch_events[PMU_INSTRUCTIONS];
	struct pmu_switch sw;
	bool ok;

	if (pmu_caps()->amd)
		ev = &amd_events[1];
	ok = program_gp(0, pmu_evtsel(ev, flags | PMU_EVTSEL_USR | PMU_EVTSEL_OS), 0, &sw) &&
	     run_work(&sw, w) && read_counter(pmu_ctr_msr(0), got);
	pmu_reset();
	return ok;
}

/*
 * CPL3 runs 2 * USER_LOOPS loop instructions plus at most 16 of the compiled function's own
 * (its UD2 return faults, which retires nothing). CPL0's share is run_in_user()'s entry and
 * the exception that ends it, a few hundred instructions: far below USER_LOOPS.
 */
static void filters_cpl(void)
{
	uint64_t got;

	if (count_user(PMU_EVTSEL_USR, &got))
		report_in_range(2 * USER_LOOPS, 2 * USER_LOOPS + 16, got,
				"with USR alone the CPL3 loop's instructions count, CPL0's do not");
	if (count_user(PMU_EVTSEL_OS, &got))
		report_in_range(1, USER_LOOPS, got,
				"with OS alone CPL0's instructions count, the CPL3 loop's do not");
	if (count_user(PMU_EVTSEL_USR | PMU_EVTSEL_OS, &got))
		report_in_range(2 * USER_LOOPS + 1, 3 * USER_LOOPS, got,
				"with USR and OS the instructions of both levels count");
	if (count_user(0, &got))
		report_eq(0, got, "with neither USR nor OS nothing counts");
}

/*
 * No CPU retires 255 instructions in a cycle; a cycle that retires any retires at least
 * one, so CMASK=1 counts at most one cycle per instruction, and EDGE at most as many starts;
 * the workload's loads of flushed lines stall retirement for cycles (INV).
 */
void filters(void)
{
	struct pmu_work w;
	uint64_t got;

	filters_cpl();
	if (count_work(PMU_EVTSEL_CMASK(0xff), &w, &got))
		report_eq(0, got, "with CMASK=255 no cycle counts");
	if (count_work(PMU_EVTSEL_CMASK(1), &w, &got))
		report_in_range(1, w.insns + COUNT_SLACK, got,
				"with CMASK=1 the cycles retiring instructions count");
	if (count_work(PMU_EVTSEL_CMASK(1) | PMU_EVTSEL_INV, &w, &got))
		report_in_range(1, ~0ULL, got,
				"with CMASK=1 and INV the cycles retiring none count");
	if (count_work(PMU_EVTSEL_CMASK(1) | PMU_EVTSEL_EDGE, &w, &got))
		report_in_range(1, w.insns + COUNT_SLACK, got,
				"with CMASK=1 and EDGE the starts of retiring runs count");
}
