// SPDX-License-Identifier: MIT
/*
 * What CPUID does not enumerate does not exist: RDMSR and WRMSR of a PMU MSR whose
 * existence condition (SDM vol. 4 table 2-2; APM vol. 2 13.2.1) does not hold raise #GP(0)
 * (SDM vol. 2B RDMSR/WRMSR, APM vol. 3 RDMSR/WRMSR: "reserved or unimplemented MSR"), and so
 * do the other vendor's PMU MSRs, which its manual does not define. Ranges are probed at
 * their first index past the enumerated ones and at their last. With no counter at all,
 * every RDPMC index is unsupported (SDM vol. 2B RDPMC: #GP(0)). IA32_PERF_CAPABILITIES,
 * when PDCM enumerates it, is read-only.
 */
#include "pmutest.h"

/* The MSRs of a range worth probing: the first index past @nr and the last one. */
static void absent_range(uint32_t base, unsigned int stride, unsigned int nr, unsigned int max,
			 const char *why)
{
	if (nr >= max)
		return;
	check_absent(base + stride * nr, why);
	if (nr != max - 1)
		check_absent(base + stride * (max - 1), why);
}

static const uint32_t intel_only[] = {
	MSR_IA32_PMC0, MSR_IA32_PMC0 + 7, MSR_IA32_PERFEVTSEL0, MSR_IA32_PERFEVTSEL0 + 7,
	MSR_IA32_A_PMC0, MSR_IA32_FIXED_CTR0, MSR_IA32_FIXED_CTR0 + 3, MSR_IA32_FIXED_CTR_CTRL,
	MSR_IA32_PERF_GLOBAL_STATUS, MSR_IA32_PERF_GLOBAL_CTRL, MSR_IA32_PERF_GLOBAL_OVF_CTRL,
	MSR_IA32_PERF_GLOBAL_STATUS_SET, MSR_IA32_PERF_GLOBAL_INUSE, MSR_IA32_PERF_METRICS,
};

static const uint32_t amd_only[] = {
	MSR_AMD_PERFEVTSEL0, MSR_AMD_PERFCTR0 + 3, MSR_AMD_PERF_CTL0, MSR_AMD_PERF_CTR0 + 10,
	MSR_AMD_PERF_CNTR_GLOBAL_STATUS, MSR_AMD_PERF_CNTR_GLOBAL_CTL,
};

static const uint32_t intel_global[] = {
	MSR_IA32_FIXED_CTR_CTRL, MSR_IA32_PERF_GLOBAL_STATUS, MSR_IA32_PERF_GLOBAL_CTRL,
	MSR_IA32_PERF_GLOBAL_OVF_CTRL,
};

static const uint32_t amd_global[] = {
	MSR_AMD_PERF_CNTR_GLOBAL_STATUS, MSR_AMD_PERF_CNTR_GLOBAL_CTL,
	MSR_AMD_PERF_CNTR_GLOBAL_STATUS_CLR, MSR_AMD_PERF_CNTR_GLOBAL_STATUS_SET,
};

static void absent_list(const uint32_t *msrs, size_t n, const char *why)
{
	for (size_t i = 0; i < n; i++)
		check_absent(msrs[i], why);
}

static void intel_unenumerated(void)
{
	const struct pmu_caps *c = pmu_caps();
	char why[64];

	snprintf(why, sizeof(why), "CPUID.0AH:EAX[15:8] = %u", c->nr_gp);
	absent_range(MSR_IA32_PMC0, 1, c->nr_gp, PMU_MAX_GP, why);
	absent_range(MSR_IA32_PERFEVTSEL0, 1, c->nr_gp, PMU_MAX_GP, why);
	if (c->perf_caps & PERF_CAP_FW_WRITE)
		absent_range(MSR_IA32_A_PMC0, 1, c->nr_gp, PMU_MAX_GP, why);
	else
		absent_range(MSR_IA32_A_PMC0, 1, 0, PMU_MAX_GP, "PERF_CAPABILITIES.FW_WRITE clear");
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++) {
		if (pmu_fixed_supported(n))
			continue;
		snprintf(why, sizeof(why), "fixed counter %u not enumerated", n);
		check_absent(pmu_fixed_msr(n), why);
	}
	snprintf(why, sizeof(why), "version %u < 2", c->version);
	if (c->version < 2)
		absent_list(intel_global, ARRAY_SIZE(intel_global), why);
	snprintf(why, sizeof(why), "version %u < 4", c->version);
	if (c->version < 4) {
		check_absent(MSR_IA32_PERF_GLOBAL_STATUS_SET, why);
		check_absent(MSR_IA32_PERF_GLOBAL_INUSE, why);
	}
	if (!(c->perf_caps & PERF_CAP_PERF_METRICS))
		check_absent(MSR_IA32_PERF_METRICS, "PERF_CAPABILITIES.PERF_METRICS clear");
	if (!c->pdcm)
		check_absent(MSR_IA32_PERF_CAPABILITIES, "CPUID.1:ECX.PDCM clear");
	absent_list(amd_only, ARRAY_SIZE(amd_only), "the SDM defines no such MSR");
}

static void amd_unenumerated(void)
{
	const struct pmu_caps *c = pmu_caps();
	char why[64];

	absent_list(intel_only, ARRAY_SIZE(intel_only), "the APM defines no such MSR");
	check_absent(MSR_IA32_PERF_CAPABILITIES, "CPUID.1:ECX[15] reserved");
	if (!c->perfctr_core) {
		absent_range(MSR_AMD_PERF_CTL0, 2, 0, PMU_AMD_EXT_COUNTERS, "PerfCtrExtCore clear");
		absent_range(MSR_AMD_PERF_CTR0, 2, 0, PMU_AMD_EXT_COUNTERS, "PerfCtrExtCore clear");
	} else if (c->perfmon_v2) {
		snprintf(why, sizeof(why), "Fn8000_0022_EBX[3:0] = %u", c->nr_gp);
		absent_range(MSR_AMD_PERF_CTL0, 2, c->nr_gp, 16, why);
		absent_range(MSR_AMD_PERF_CTR0, 2, c->nr_gp, 16, why);
	}
	if (!c->perfmon_v2)
		absent_list(amd_global, ARRAY_SIZE(amd_global), "PerfMonV2 clear");
}

void unenumerated(void)
{
	const struct pmu_caps *c = pmu_caps();
	uint64_t val;

	if (c->amd) {
		amd_unenumerated();
		return;
	}
	intel_unenumerated();
	if (c->nr_gp || pmu_all_counters())
		return;
	report_exc(GP0, rdpmc_safe(0, &val), "RDPMC of GP counter 0 raises #GP(0) (no counter)");
	report_exc(GP0, rdpmc_safe(BIT(30), &val),
		   "RDPMC of fixed counter 0 raises #GP(0) (no counter)");
}

const char *need_pdcm(void)
{
	return pmu_caps()->pdcm ? NULL : "CPUID.1:ECX.PDCM clear: no IA32_PERF_CAPABILITIES";
}

void perf_capabilities(void)
{
	const struct pmu_caps *c = pmu_caps();

	if (!report_exc(0, c->perf_caps_ex, "RDMSR of IA32_PERF_CAPABILITIES succeeds (PDCM set)"))
		return;
	check_wr_gp(MSR_IA32_PERF_CAPABILITIES, c->perf_caps, "read-only");
}
