// SPDX-License-Identifier: MIT
/*
 * PMU enumeration, counter MSRs and the measured workload (see pmu.h). CPUID leaf 0AH is
 * Intel's (SDM vol. 2A CPUID, vol. 3B 20.2); AMD enumerates the extended core counters in
 * Fn8000_0001_ECX[23] and PerfMonV2 in Fn8000_0022 (APM vol. 3 E.4.2, E.4.21), while its
 * four legacy counters have no CPUID bit (APM vol. 2 13.2.1).
 */
#include "alloc.h"
#include "report.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "pmu.h"

const struct pmu_event pmu_arch_events[PMU_NR_ARCH_EVENTS] = {
	[PMU_CORE_CYCLES] = { "UnHalted Core Cycles", 0x3c, 0x00 },
	[PMU_INSTRUCTIONS] = { "Instructions Retired", 0xc0, 0x00 },
	[PMU_REF_CYCLES] = { "UnHalted Reference Cycles", 0x3c, 0x01 },
	[PMU_LLC_REFERENCES] = { "LLC Reference", 0x2e, 0x4f },
	[PMU_LLC_MISSES] = { "LLC Misses", 0x2e, 0x41 },
	[PMU_BRANCHES] = { "Branch Instructions Retired", 0xc4, 0x00 },
	[PMU_BRANCH_MISSES] = { "Branch Misses Retired", 0xc5, 0x00 },
	[PMU_TOPDOWN_SLOTS] = { "Topdown Slots", 0xa4, 0x01 },
	[PMU_TOPDOWN_BACKEND] = { "Topdown Backend Bound", 0xa4, 0x02 },
	[PMU_TOPDOWN_BAD_SPEC] = { "Topdown Bad Speculation", 0x73, 0x00 },
	[PMU_TOPDOWN_FRONTEND] = { "Topdown Frontend Bound", 0x9c, 0x01 },
	[PMU_TOPDOWN_RETIRING] = { "Topdown Retiring", 0xc2, 0x02 },
};

const char *const pmu_fixed_names[PMU_MAX_FIXED] = {
	"INST_RETIRED.ANY", "CPU_CLK_UNHALTED.CORE", "CPU_CLK_UNHALTED.REF_TSC", "TOPDOWN.SLOTS",
};

static struct pmu_caps caps;
static bool caps_read;

static bool vendor_is_amd(void)
{
	struct cpuid r = cpuid(0);

	/* "AuthenticAMD" and "HygonGenuine" in EBX, EDX, ECX order. */
	return (r.b == 0x68747541 && r.d == 0x69746e65 && r.c == 0x444d4163) ||
	       (r.b == 0x6f677948 && r.d == 0x6e65476e && r.c == 0x656e6975);
}

static void read_amd_caps(void)
{
	caps.amd = true;
	caps.gp_width = PMU_AMD_WIDTH;
	caps.perfctr_core = this_cpu_has(X86_FEATURE_PERFCTR_CORE);
	caps.perfmon_v2 = this_cpu_has(X86_FEATURE_PERFMON_V2);
	caps.nr_gp = caps.perfctr_core ? PMU_AMD_EXT_COUNTERS : PMU_AMD_LEGACY_COUNTERS;
	if (caps.perfmon_v2)
		caps.nr_gp = cpuid(0x80000022).b & 0xf;
}

static void read_intel_caps(void)
{
	struct cpuid r = { 0 };

	if (cpuid_max_leaf(0) >= 0xa)
		r = cpuid(0xa);
	caps.version = r.a & 0xff;
	if (!caps.version)
		return;
	caps.nr_gp = (r.a >> 8) & 0xff;
	caps.gp_width = (r.a >> 16) & 0xff;
	caps.nr_events = r.a >> 24;
	caps.events_unavail = r.b;
	if (caps.version >= 5)
		caps.fixed_bitmap = r.c;
	if (caps.version >= 2) {
		caps.nr_fixed = r.d & 0x1f;
		caps.fixed_width = (r.d >> 5) & 0xff;
		caps.anythread_deprecated = r.d & BIT(15);
	}
}

const struct pmu_caps *pmu_caps(void)
{
	if (caps_read)
		return &caps;
	if (vendor_is_amd())
		read_amd_caps();
	else
		read_intel_caps();
	caps.pdcm = this_cpu_has(X86_FEATURE_PDCM);
	if (caps.pdcm) {
		caps.perf_caps_ex = rdmsr_safe(MSR_IA32_PERF_CAPABILITIES, &caps.perf_caps);
		if (caps.perf_caps_ex)
			caps.perf_caps = 0;
	}
	caps_read = true;
	return &caps;
}

bool pmu_event_available(unsigned int n)
{
	const struct pmu_caps *c = pmu_caps();

	return !c->amd && c->version && n < c->nr_events && !(c->events_unavail & BIT(n));
}

bool pmu_fixed_supported(unsigned int n)
{
	const struct pmu_caps *c = pmu_caps();

	if (c->amd || c->version < 2 || n >= 32)
		return false;
	return n < c->nr_fixed || (c->fixed_bitmap & BIT(n));
}

bool pmu_has_global(void)
{
	const struct pmu_caps *c = pmu_caps();

	return c->amd ? c->perfmon_v2 : c->version >= 2;
}

uint32_t pmu_sel_msr(unsigned int n)
{
	const struct pmu_caps *c = pmu_caps();

	if (!c->amd)
		return MSR_IA32_PERFEVTSEL0 + n;
	return c->perfctr_core ? MSR_AMD_PERF_CTL0 + 2 * n : MSR_AMD_PERFEVTSEL0 + n;
}

uint32_t pmu_ctr_msr(unsigned int n)
{
	const struct pmu_caps *c = pmu_caps();

	if (!c->amd)
		return MSR_IA32_PMC0 + n;
	return c->perfctr_core ? MSR_AMD_PERF_CTR0 + 2 * n : MSR_AMD_PERFCTR0 + n;
}

uint32_t pmu_global_ctrl_msr(void)
{
	return pmu_caps()->amd ? MSR_AMD_PERF_CNTR_GLOBAL_CTL : MSR_IA32_PERF_GLOBAL_CTRL;
}

uint32_t pmu_global_status_msr(void)
{
	return pmu_caps()->amd ? MSR_AMD_PERF_CNTR_GLOBAL_STATUS : MSR_IA32_PERF_GLOBAL_STATUS;
}

uint32_t pmu_global_clear_msr(void)
{
	return pmu_caps()->amd ? MSR_AMD_PERF_CNTR_GLOBAL_STATUS_CLR
			       : MSR_IA32_PERF_GLOBAL_OVF_CTRL;
}

uint64_t pmu_all_counters(void)
{
	uint64_t mask = BIT_ULL(pmu_caps()->nr_gp) - 1;

	for (unsigned int n = 0; n < 32; n++)
		if (pmu_fixed_supported(n))
			mask |= PMU_GLOBAL_FIXED(n);
	return mask;
}

uint64_t pmu_gp_mask(void)
{
	unsigned int w = pmu_caps()->gp_width;

	return w >= 64 ? ~0ULL : BIT_ULL(w) - 1;
}

uint64_t pmu_evtsel(const struct pmu_event *ev, uint64_t flags)
{
	return (ev->event & 0xff) | (uint64_t)ev->umask << 8 | (uint64_t)(ev->event >> 8) << 32 |
	       flags;
}

void pmu_reset(void)
{
	const struct pmu_caps *c = pmu_caps();
	uint64_t status;

	if (pmu_has_global())
		wrmsr_safe(pmu_global_ctrl_msr(), 0);
	if (!c->amd && c->version >= 2)
		wrmsr_safe(MSR_IA32_FIXED_CTR_CTRL, 0);
	for (unsigned int n = 0; n < c->nr_gp && n < PMU_MAX_GP; n++) {
		wrmsr_safe(pmu_sel_msr(n), 0);
		wrmsr_safe(pmu_ctr_msr(n), 0);
	}
	for (unsigned int n = 0; n < PMU_MAX_FIXED; n++)
		if (pmu_fixed_supported(n))
			wrmsr_safe(pmu_fixed_msr(n), 0);
	/* Bits the clear MSR does not define (a VMM's, a later version's) keep the rest. */
	if (pmu_has_global() && !rdmsr_safe(pmu_global_status_msr(), &status) && status &&
	    wrmsr_safe(pmu_global_clear_msr(), status))
		wrmsr_safe(pmu_global_clear_msr(), status & pmu_all_counters());
}

static uint8_t *work_buf;
static uint16_t work_seed = 1;

/* x^16 + x^14 + x^13 + x^11 + 1, a maximal-length 16-bit Galois LFSR. */
#define LFSR_TAPS	0xb400

struct pmu_work pmu_work_run(uint32_t msr, uint64_t start, uint64_t stop)
{
	DECLARE_EXINFO(ex);
	struct pmu_work w = { 0 };
	uint32_t lo = start, hi = start >> 32, lfsr, seed;
	unsigned long n = PMU_WORK_LINES, tmp;
	uint8_t *p;

	if (!work_buf) {
		work_buf = alloc_pages(4);
		if (!work_buf)
			report_abort("out of memory for the PMU workload's 64 KiB buffer");
	}
	seed = __atomic_add_fetch(&work_seed, 0x3d, __ATOMIC_RELAXED) | 1;
	for (p = work_buf; p < work_buf + PMU_WORK_LINES * 64; p += 64)
		asm volatile("clflush (%0)" : : "r"(p) : "memory");
	asm volatile("mfence" : : : "memory");
	p = work_buf;
	lfsr = seed;
	asm volatile(ASM_TRY("wrmsr\n\t"
			     "3: mov (%[p]), %[tmp]\n\t"
			     "add $64, %[p]\n\t"
			     "shr $1, %[lfsr]\n\t"
			     "jnc 4f\n\t"
			     "xor %[taps], %[lfsr]\n\t"
			     "4: dec %[n]\n\t"
			     "jnz 3b\n\t"
			     "mov %[slo], %%eax\n\t"
			     "mov %[shi], %%edx\n\t"
			     "wrmsr")
		     : "+r"(ex), "+a"(lo), "+d"(hi), [p] "+r"(p), [lfsr] "+r"(lfsr), [n] "+r"(n),
		       [tmp] "=&r"(tmp)
		     : "c"(msr), [taps] "r"(LFSR_TAPS), [slo] "r"((uint32_t)stop),
		       [shi] "r"((uint32_t)(stop >> 32))
		     : "memory", "cc");
	w.ex = ex;
	if (ex)
		return w;
	/* The same LFSR in C: one XOR per set carry. */
	w.insns = 6 * PMU_WORK_LINES + 2;
	for (lfsr = seed, n = 0; n < PMU_WORK_LINES; n++) {
		bool carry = lfsr & 1;

		lfsr >>= 1;
		if (carry) {
			lfsr ^= LFSR_TAPS;
			w.insns++;
		}
	}
	w.branches = 2 * PMU_WORK_LINES;
	return w;
}

uint32_t pmu_lvt_read(void)
{
	return apic_read(APIC_LVTPC);
}

void pmu_lvt_write(uint32_t val)
{
	apic_write(APIC_LVTPC, val);
}
