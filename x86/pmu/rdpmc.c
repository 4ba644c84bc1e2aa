// SPDX-License-Identifier: MIT
/*
 * RDPMC. SDM vol. 2B RDPMC: on an architectural PMU ECX[31:16] is the counter type, 0 for
 * GP counters (index below CPUID.0AH:EAX[15:8]), 4000H for fixed ones (index below
 * EDX[4:0] or set in ECX), 2000H for the performance metrics (only with
 * PERF_CAPABILITIES.PERF_METRICS); any other encoding raises #GP(0), the legacy "fast
 * read" bit 31 (type 8000H) included. APM vol. 3 RDPMC: ECX 0-3 reads the legacy
 * counters, 0-5 the extended ones with PerfCtrExtCore (Fn8000_0022_EBX's number with
 * PerfMonV2), 6-9 the northbridge counters with PerfCtrExtNB, 10-15 the L3 ones with
 * PerfCtrExtLLC; anything else raises #GP(0). With CR4.PCE clear RDPMC works at CPL0 only
 * (SDM vol. 3A 2.5, APM vol. 2 3.1.3): #GP(0) at CPL3.
 */
#include "user.h"
#include "asm/cr.h"
#include "pmutest.h"

#define X86_FEATURE_PERFCTR_NB	X86_FEATURE(0x80000001, 0, CPUID_ECX, 24)
#define X86_FEATURE_PERFCTR_LLC	X86_FEATURE(0x80000001, 0, CPUID_ECX, 28)

static void check_rdpmc(uint32_t ecx, uint64_t expect, const char *what)
{
	uint64_t val;
	exinfo_t ex = rdpmc_safe(ecx, &val);

	if (ex)
		report_exc(0, ex, "RDPMC of %#x reads %s", ecx, what);
	else
		report_eq_x(expect, val, "RDPMC of %#x reads %s", ecx, what);
}

static void check_rdpmc_gp(uint32_t ecx, const char *why)
{
	uint64_t val;

	report_exc(GP0, rdpmc_safe(ecx, &val), "RDPMC of %#x raises #GP(0) (%s)", ecx, why);
}

/* The first RDPMC index past every counter AMD's CPUID enumerates. */
static uint32_t amd_first_invalid(void)
{
	uint32_t n = pmu_caps()->nr_gp;

	if (this_cpu_has(X86_FEATURE_PERFCTR_NB) && n < 10)
		n = 10;
	if (this_cpu_has(X86_FEATURE_PERFCTR_LLC) && n < 16)
		n = 16;
	return n;
}

static void rdpmc_intel_invalid(void)
{
	const struct pmu_caps *c = pmu_caps();
	unsigned int k = first_unsupported_fixed();
	char why[48];

	snprintf(why, sizeof(why), "GP counter %u not enumerated", c->nr_gp);
	check_rdpmc_gp(c->nr_gp, why);
	if (k < 32) {
		snprintf(why, sizeof(why), "fixed counter %u not enumerated", k);
		check_rdpmc_gp(BIT(30) | k, why);
	}
	check_rdpmc_gp(BIT(31), "type 8000H, the legacy fast-read bit");
	check_rdpmc_gp(BIT(16), "type 0001H");
	if (!(c->perf_caps & PERF_CAP_PERF_METRICS))
		check_rdpmc_gp(BIT(29), "type 2000H without PERF_METRICS");
}

void rdpmc(void)
{
	const struct pmu_caps *c = pmu_caps();
	char why[48];

	pmu_reset();
	for (unsigned int n = 0; n < c->nr_gp && n < (c->amd ? 16 : PMU_MAX_GP); n++) {
		uint64_t v = c->amd ? BIT_ULL(40) | (0x1230 + n) : 0x12345670 + n;

		if (setup_wrmsr(pmu_ctr_msr(n), v))
			check_rdpmc(n, v, msr_name(pmu_ctr_msr(n)));
	}
	if (c->amd) {
		snprintf(why, sizeof(why), "past the %u counters enumerated", amd_first_invalid());
		check_rdpmc_gp(amd_first_invalid(), why);
		check_rdpmc_gp(BIT(30), "the APM defines no fixed counters");
		pmu_reset();
		return;
	}
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++) {
		uint64_t v = 0x9876540 + n;

		if (pmu_fixed_supported(n) && setup_wrmsr(pmu_fixed_msr(n), v))
			check_rdpmc(BIT(30) | n, v, msr_name(pmu_fixed_msr(n)));
	}
	rdpmc_intel_invalid();
	pmu_reset();
}

static uint64_t user_val;

static uint64_t user_rdpmc(uint64_t ecx)
{
	return rdpmc_safe(ecx, &user_val);
}

void rdpmc_user(void)
{
	uint64_t cr4 = read_cr4(), v = 0x7770;
	exinfo_t ex;

	pmu_reset();
	if (!setup_wrmsr(pmu_ctr_msr(0), v))
		return;
	write_cr4(cr4 | X86_CR4_PCE);
	ex = run_in_user(user_rdpmc, 0);
	if (ex)
		report_exc(0, ex, "RDPMC of 0 at CPL3 with CR4.PCE=1 reads %s",
			   msr_name(pmu_ctr_msr(0)));
	else
		report_eq_x(v, user_val, "RDPMC of 0 at CPL3 with CR4.PCE=1 reads %s",
			    msr_name(pmu_ctr_msr(0)));
	write_cr4(cr4 & ~X86_CR4_PCE);
	report_exc(GP0, run_in_user(user_rdpmc, 0),
		   "RDPMC of 0 at CPL3 with CR4.PCE=0 raises #GP(0)");
	write_cr4(cr4);
	pmu_reset();
}
