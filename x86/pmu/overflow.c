// SPDX-License-Identifier: MIT
/*
 * Overflow and the PMI. A counter preset 16 events short of its width wraps to zero and
 * counts on, sets its GLOBAL_STATUS bit (v2+; PerfMonV2 on AMD), and with INT (fixed: PMI)
 * set raises one interrupt through the LVT performance-counter entry, none while that entry
 * is masked (SDM vol. 3B 20.2.1-20.2.2, vol. 3A 11.5.1; APM vol. 2 13.2.1.1, 16.4.1). The
 * workload runs with interrupts disabled, so the PMI waits in the APIC while the counters
 * count exactly, and is taken after they stopped. Freeze_PerfMon_On_PMI (DEBUGCTL bit 12,
 * SDM 20.2.3, 20.2.4.1) stops counting on the PMI: v2 and v3 clear IA32_PERF_GLOBAL_CTRL,
 * v4 sets GLOBAL_STATUS.CTR_FRZ instead. Counters, status and PMIs are per logical
 * processor.
 *
 * PMI latency: the SDM bounds none. Hardware delivers within microseconds of the overflow
 * and a VMM at its next guest entry; a PMI is waited for up to PMI_WAIT_MS with interrupts
 * enabled, and "no (further) PMI" is watched for PMI_QUIET_MS.
 */
#include "arch.h"
#include "pmutest.h"

#define PMI_WAIT_MS	100
#define PMI_QUIET_MS	10

volatile int pmi_count[MAX_CPUS];

static void pmi_handler(struct ex_regs *regs)
{
	pmi_count[smp_id()]++;
	apic_eoi();
}

void pmi_arm(bool masked)
{
	install_exception_handler(PMI_VECTOR, pmi_handler);
	pmi_count[smp_id()] = 0;
	pmu_lvt_write(PMI_VECTOR | (masked ? APIC_LVT_MASKED : 0));
}

static int pmis_within(int want, unsigned int ms)
{
	volatile int *count = &pmi_count[smp_id()];

	for (unsigned int us = 0; *count < want && us < ms * 1000; us += 10) {
		irq_enable();
		udelay(10);
		irq_disable();
	}
	return *count;
}

int pmi_wait(int want)
{
	pmis_within(want, PMI_WAIT_MS);
	return pmis_within(want + 1, PMI_QUIET_MS);
}

static void pmi_disarm(void)
{
	pmu_lvt_write(PMI_VECTOR | APIC_LVT_MASKED);
}

static const struct pmu_event *instructions(void)
{
	return pmu_caps()->amd ? &amd_events[1] : &pmu_arch_events[PMU_INSTRUCTIONS];
}

/* After an overflow of global bit @bit: one check of the status, @clear it afterwards. */
static void check_status(uint64_t bit, const char *ctr, bool clear)
{
	uint32_t status_msr = pmu_global_status_msr();
	uint64_t status;

	if (!pmu_has_global() || !setup_rdmsr(status_msr, &status))
		return;
	report_eq_x(bit, status & bit, "overflow of %s sets %s bit %u", ctr, msr_name(status_msr),
		    __builtin_ctzll(bit));
	if (clear && setup_wrmsr(pmu_global_clear_msr(), bit) && setup_rdmsr(status_msr, &status))
		report_eq_x(0, status & bit, "%s clears bit %u", msr_name(pmu_global_clear_msr()),
			    __builtin_ctzll(bit));
}

/* One check: @ctr holds @preset, 16 events short of overflowing; @note tells the run. */
static bool check_preset(uint32_t ctr, uint64_t preset, const char *note)
{
	uint64_t val;

	return read_counter(ctr, &val) &&
	       report_eq_x(preset, val, "%s holds a preset 16 events short of overflow%s",
			   msr_name(ctr), note);
}

/*
 * GP counter @n overflows counting instructions; the LVT entry @masked or not. False when
 * the counter could not be programmed (a FAIL said so).
 */
static bool overflow_gp(unsigned int n, bool masked)
{
	uint64_t preset = pmu_gp_mask() - 15, val;
	uint64_t sel = pmu_evtsel(instructions(), PMU_EVTSEL_USR | PMU_EVTSEL_OS | PMU_EVTSEL_INT);
	uint32_t ctr = pmu_ctr_msr(n);
	struct pmu_switch sw;
	struct pmu_work w;
	bool ok = false;

	pmu_reset();
	pmi_arm(masked);
	/* Through IA32_PMCx: EAX sign-extended, so -16 is 16 short of the width. */
	if (!program_gp(n, sel, pmu_caps()->amd ? preset : 0xfffffff0, &sw) ||
	    !check_preset(ctr, preset, masked ? " (LVT masked)" : "") || !run_work(&sw, &w) ||
	    !read_counter(ctr, &val))
		goto out;
	if (!masked)
		report_in_range(w.insns - 16, w.insns - 16 + COUNT_SLACK, val,
				"%s wraps to 0 past its width and counts on", msr_name(ctr));
	check_status(BIT_ULL(n), msr_name(ctr), masked);
	if (masked)
		report_eq(0, pmi_wait(0), "overflow of %s raises no PMI with the LVT entry masked",
			  msr_name(ctr));
	else
		report_eq(1, pmi_wait(1), "overflow of %s raises one PMI on vector %#x",
			  msr_name(ctr), PMI_VECTOR);
	ok = true;
out:
	pmi_disarm();
	pmu_reset();
	return ok;
}

void overflow(void)
{
	const struct pmu_caps *c = pmu_caps();
	bool first_ok = overflow_gp(0, false);

	for (unsigned int n = 1; n < c->nr_gp && n < (c->amd ? 16 : PMU_MAX_GP); n++)
		overflow_gp(n, false);
	/* Masked: only where counter 0 works at all, or the same FAIL would repeat. */
	if (first_ok)
		overflow_gp(0, true);
}

static void overflow_fixed_one(unsigned int n)
{
	unsigned int width = pmu_caps()->fixed_width;
	uint64_t mask = width >= 64 ? ~0ULL : BIT_ULL(width) - 1, preset = mask - 15, val;
	struct pmu_switch sw = { MSR_IA32_PERF_GLOBAL_CTRL, PMU_GLOBAL_FIXED(n), 0 };
	uint32_t ctr = pmu_fixed_msr(n);
	struct pmu_work w;

	pmu_reset();
	pmi_arm(false);
	if (!setup_wrmsr(MSR_IA32_FIXED_CTR_CTRL,
			 PMU_FIXED_CTRL(n, PMU_FIXED_OS | PMU_FIXED_USR | PMU_FIXED_PMI)) ||
	    !setup_wrmsr(ctr, preset) || !check_preset(ctr, preset, "") || !run_work(&sw, &w) ||
	    !read_counter(ctr, &val))
		goto out;
	/* Cycles and slots: many more than 16 over the workload, so far below the preset. */
	if (n == 0)
		report_in_range(w.insns - 16, w.insns - 16 + COUNT_SLACK, val,
				"%s wraps to 0 past its width and counts on", msr_name(ctr));
	else
		report_in_range(0, mask >> 1, val, "%s wraps to 0 past its width", msr_name(ctr));
	check_status(PMU_GLOBAL_FIXED(n), msr_name(ctr), n == 0);
	report_eq(1, pmi_wait(1), "overflow of %s raises one PMI on vector %#x", msr_name(ctr),
		  PMI_VECTOR);
out:
	pmi_disarm();
	pmu_reset();
}

void overflow_fixed(void)
{
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++)
		if (pmu_fixed_supported(n))
			overflow_fixed_one(n);
}

const char *need_freeze(void)
{
	const char *why = need_gp();

	if (why)
		return why;
	return pmu_caps()->version >= 2 ? NULL : "no IA32_PERF_GLOBAL_CTRL (version < 2)";
}

/*
 * Counter 0 overflows 16 instructions after GLOBAL_CTRL enables it with counter 1; the
 * freeze stops both then, give or take the PMI's skid (tens of instructions, never the
 * thousands of the workload that follows, whose WRMSRs rewrite IA32_PERFEVTSEL0 unchanged).
 */
void freeze_on_pmi(void)
{
	bool two = pmu_caps()->nr_gp > 1;
	uint64_t sel = pmu_evtsel(&pmu_arch_events[PMU_INSTRUCTIONS],
				  PMU_EVTSEL_USR | PMU_EVTSEL_OS | PMU_EVTSEL_EN);
	uint64_t on = two ? 3 : 1, dbg = 0, ctrl, status, v1 = 0;
	bool restore = false;
	struct pmu_switch sw = { MSR_IA32_PERFEVTSEL0, sel | PMU_EVTSEL_INT, sel | PMU_EVTSEL_INT };
	struct pmu_work w;

	pmu_reset();
	pmi_arm(false);
	if (!setup_rdmsr(MSR_IA32_DEBUGCTL, &dbg) ||
	    !setup_wrmsr(MSR_IA32_DEBUGCTL, dbg | DEBUGCTL_FREEZE_PERFMON_ON_PMI))
		goto out;
	restore = true;
	if (!setup_wrmsr(MSR_IA32_PERFEVTSEL0, sw.on) || !setup_wrmsr(MSR_IA32_PMC0, 0xfffffff0) ||
	    (two && !setup_wrmsr(MSR_IA32_PERFEVTSEL0 + 1, sel)) ||
	    !setup_wrmsr(MSR_IA32_PERF_GLOBAL_CTRL, on) || !run_work(&sw, &w) ||
	    !setup_rdmsr(MSR_IA32_PERF_GLOBAL_CTRL, &ctrl) ||
	    !setup_rdmsr(MSR_IA32_PERF_GLOBAL_STATUS, &status) ||
	    (two && !read_counter(MSR_IA32_PMC0 + 1, &v1)))
		goto out;
	if (pmu_caps()->version < 4) {
		report_eq_x(0, ctrl, "the PMI clears IA32_PERF_GLOBAL_CTRL (freeze, v2/v3)");
	} else {
		report_eq_x(on, ctrl, "the PMI leaves IA32_PERF_GLOBAL_CTRL as it was (v4)");
		report_eq_x(PMU_STATUS_CTR_FRZ, status & PMU_STATUS_CTR_FRZ,
			    "the PMI sets GLOBAL_STATUS.CTR_FRZ (v4)");
	}
	if (two)
		report_in_range(16, w.insns / 2, v1, "IA32_PMC1 stops counting at the freeze");
	report_eq(1, pmi_wait(1), "the freezing overflow raises one PMI");
out:
	if (restore)
		wrmsr_safe(MSR_IA32_DEBUGCTL, dbg);
	pmi_disarm();
	pmu_reset();
}

static void percpu_preset(void *data)
{
	wrmsr_safe(pmu_ctr_msr(0), 0x100 + smp_id());
}

static void percpu_check(void *data)
{
	uint64_t val;

	report_prefix_pushf("cpu%d", smp_id());
	if (read_counter(pmu_ctr_msr(0), &val))
		report_eq_x(0x100 + smp_id(), val, "%s holds what this CPU wrote",
			    msr_name(pmu_ctr_msr(0)));
	overflow_gp(0, false);
	report_prefix_pop();
}

void percpu(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		on_cpu(cpu, percpu_preset, NULL);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		on_cpu(cpu, percpu_check, NULL);
}
