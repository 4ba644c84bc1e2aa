/* SPDX-License-Identifier: MIT */
/*
 * Performance-monitoring counters as CPUID enumerates them: Intel's architectural PMU (SDM
 * vol. 3B chapter 20, CPUID leaf 0AH, versions 1 to 5) and AMD's core performance counters
 * (APM vol. 2 13.2: the four legacy counters, six with PerfCtrExtCore, the number in
 * Fn8000_0022_EBX with PerfMonV2). Counter MSR addresses, event-select encodings, a
 * workload whose retired instructions and branches are known exactly, and the local APIC's
 * LVT performance-counter entry through which overflows raise a PMI.
 *
 * Nothing here reports: an MSR access that may fault goes through rdmsr_safe()/
 * wrmsr_safe() and its exinfo is returned to the test, which decides what it means.
 */
#ifndef LIB_X86_PMU_H
#define LIB_X86_PMU_H

#include "libc.h"
#include "exinfo.h"
#include "asm/cpuid.h"
#include "asm/msr.h"

/* The LVT performance monitoring counters register (SDM vol. 3A 11.5.1, APM vol. 2 16.4.1). */
#ifndef APIC_LVTPC
#define APIC_LVTPC		0x340
#endif

#define X86_FEATURE_PERFCTR_CORE	X86_FEATURE(0x80000001, 0, CPUID_ECX, 23)
#define X86_FEATURE_PERFMON_V2		X86_FEATURE(0x80000022, 0, CPUID_EAX, 0)

/* Event-select fields shared by IA32_PERFEVTSELx (SDM fig. 20-1) and PerfEvtSeln (APM 13.2.1.1). */
#define PMU_EVTSEL_USR		BIT_ULL(16)
#define PMU_EVTSEL_OS		BIT_ULL(17)
#define PMU_EVTSEL_EDGE		BIT_ULL(18)
#define PMU_EVTSEL_INT		BIT_ULL(20)
#define PMU_EVTSEL_EN		BIT_ULL(22)
#define PMU_EVTSEL_INV		BIT_ULL(23)
#define PMU_EVTSEL_CMASK(n)	((uint64_t)(n) << 24)

/* IA32_FIXED_CTR_CTRL: one 4-bit field per fixed counter (SDM fig. 20-2, 20-5). */
#define PMU_FIXED_OS		0x1
#define PMU_FIXED_USR		0x2
#define PMU_FIXED_PMI		0x8
#define PMU_FIXED_CTRL(i, f)	((uint64_t)(f) << (4 * (i)))

/* IA32_PERF_GLOBAL_CTRL/STATUS/OVF_CTRL: GP counter n is bit n, fixed counter n bit 32 + n. */
#define PMU_GLOBAL_FIXED(n)	BIT_ULL(32 + (n))
#define PMU_GLOBAL_PERF_METRICS	BIT_ULL(48)	/* EN_PERF_METRICS, OVF_PERF_METRICS */
#define PMU_STATUS_CTR_FRZ	BIT_ULL(59)	/* v4 streamlined freeze */

/* IA32_PERF_CAPABILITIES (SDM vol. 3B 20.2.6, 20.3.9.3; vol. 4 table 2-2). */
#define PERF_CAP_FW_WRITE	BIT_ULL(13)
#define PERF_CAP_PERF_METRICS	BIT_ULL(15)

/* AMD's counters are 48 bits wide (APM vol. 2 13.2.1.2). */
#define PMU_AMD_WIDTH		48
/* The most counters an MSR range of the SDM (IA32_PMC0-7) and the APM (PERF_CTR0-5) holds. */
#define PMU_MAX_GP		8
#define PMU_AMD_EXT_COUNTERS	6
#define PMU_AMD_LEGACY_COUNTERS	4
/* Fixed counters with an architectural MSR (IA32_FIXED_CTR0-3). */
#define PMU_MAX_FIXED		4

/*
 * The architectural events, bit n of CPUID.0AH:EBX (SDM vol. 3B table 20-1), up to the
 * topdown ones; LBR Inserts (bit 12) counts only with architectural LBRs enabled.
 */
enum pmu_arch_event {
	PMU_CORE_CYCLES,
	PMU_INSTRUCTIONS,
	PMU_REF_CYCLES,
	PMU_LLC_REFERENCES,
	PMU_LLC_MISSES,
	PMU_BRANCHES,
	PMU_BRANCH_MISSES,
	PMU_TOPDOWN_SLOTS,
	PMU_TOPDOWN_BACKEND,
	PMU_TOPDOWN_BAD_SPEC,
	PMU_TOPDOWN_FRONTEND,
	PMU_TOPDOWN_RETIRING,
	PMU_NR_ARCH_EVENTS
};

struct pmu_event {
	const char *name;
	uint16_t event;		/* AMD: 12 bits, [11:8] go to PerfEvtSel[35:32] */
	uint8_t umask;
};

extern const struct pmu_event pmu_arch_events[PMU_NR_ARCH_EVENTS];
/* The fixed counters' events (SDM vol. 3B table 20-2); TOPDOWN.SLOTS is fixed counter 3. */
extern const char *const pmu_fixed_names[PMU_MAX_FIXED];

/* What CPUID enumerates on the boot CPU, read once by pmu_caps(). */
struct pmu_caps {
	bool amd;			/* AuthenticAMD or HygonGenuine: the APM's counters */
	unsigned int version;		/* CPUID.0AH:EAX[7:0] (Intel) */
	unsigned int nr_gp;		/* GP counters (AMD: 4, 6 or Fn8000_0022_EBX[3:0]) */
	unsigned int gp_width;		/* CPUID.0AH:EAX[23:16]; AMD: 48 */
	unsigned int nr_events;		/* CPUID.0AH:EAX[31:24]: valid bits of events_unavail */
	uint32_t events_unavail;	/* CPUID.0AH:EBX: event n is NOT available */
	uint32_t fixed_bitmap;		/* CPUID.0AH:ECX (v5): fixed counter n supported */
	unsigned int nr_fixed;		/* CPUID.0AH:EDX[4:0] (v2+) */
	unsigned int fixed_width;	/* CPUID.0AH:EDX[12:5] */
	bool anythread_deprecated;	/* CPUID.0AH:EDX[15] */
	bool pdcm;			/* CPUID.1:ECX[15]: IA32_PERF_CAPABILITIES exists */
	exinfo_t perf_caps_ex;		/* how RDMSR of it went (0: read) */
	uint64_t perf_caps;		/* its value, 0 when absent or faulting */
	bool perfctr_core;		/* Fn8000_0001_ECX[23] */
	bool perfmon_v2;		/* Fn8000_0022_EAX[0] */
};

const struct pmu_caps *pmu_caps(void);

/* An architectural event is available: n < EAX[31:24] and EBX[n] clear (Intel only). */
bool pmu_event_available(unsigned int n);
/* Fixed counter @n exists: n < EDX[4:0] (v2+), or ECX[n] on v5 (SDM CPUID leaf 0AH). */
bool pmu_fixed_supported(unsigned int n);
/* IA32_PERF_GLOBAL_CTRL and friends (Intel v2+), or PerfMonV2's global registers (AMD). */
bool pmu_has_global(void);

/* The MSRs of GP counter @n: Intel IA32_PERFEVTSELn/IA32_PMCn, AMD legacy or extended. */
uint32_t pmu_sel_msr(unsigned int n);
uint32_t pmu_ctr_msr(unsigned int n);
static inline uint32_t pmu_fixed_msr(unsigned int n)
{
	return MSR_IA32_FIXED_CTR0 + n;
}

uint32_t pmu_global_ctrl_msr(void);
uint32_t pmu_global_status_msr(void);
/* IA32_PERF_GLOBAL_OVF_CTRL (STATUS_RESET), or PerfCntrGlobalStatusClr. */
uint32_t pmu_global_clear_msr(void);

/* Every enumerated counter in the global registers' layout (fixed counters at 32 + n). */
uint64_t pmu_all_counters(void);
/* The value range of a GP counter: bits gp_width-1:0. */
uint64_t pmu_gp_mask(void);

/* An event select: @event (AMD: 12 bits), @umask and @flags (PMU_EVTSEL_*). */
uint64_t pmu_evtsel(const struct pmu_event *ev, uint64_t flags);

/*
 * pmu_reset() - every enumerated counter of this CPU stopped and zero, its event select and
 * the fixed control cleared, the global overflow status cleared. Faults are ignored: the
 * checks that care have already reported them.
 */
void pmu_reset(void);

/*
 * The measured workload, a loop over a buffer of PMU_WORK_LINES cache lines flushed before
 * it starts. Per line: a load, a pointer step, one Galois LFSR step whose carry decides a
 * conditional branch around a XOR, a decrement and the loop branch: six instructions, seven
 * when the XOR runs, two branches. Before the loop WRMSR writes @start to @msr (the fixup of
 * an exception there skips the rest), after it two MOVs load @stop and WRMSR writes it.
 * struct pmu_work tells what retired between the two WRMSRs, themselves excluded: the loop
 * and the two MOVs. The LFSR's seed changes on each run, so that the branch outcomes never
 * repeat a sequence a predictor has seen.
 */
#define PMU_WORK_LINES	1024

struct pmu_work {
	exinfo_t ex;		/* of the first WRMSR (0: the loop ran) */
	uint64_t insns;		/* instructions retired between the WRMSRs */
	uint64_t branches;	/* branch instructions among them */
};

struct pmu_work pmu_work_run(uint32_t msr, uint64_t start, uint64_t stop);

/* This CPU's LVT performance-counter entry. */
uint32_t pmu_lvt_read(void);
void pmu_lvt_write(uint32_t val);

#endif
