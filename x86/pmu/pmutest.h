/* SPDX-License-Identifier: MIT */
/*
 * What the files of the x86 pmu test share: MSR names for messages, the checks of MSR
 * accesses, counting a workload, the PMI handler, and the subtests main.c registers.
 */
#ifndef X86_PMU_PMUTEST_H
#define X86_PMU_PMUTEST_H

#include "pmu.h"
#include "report.h"
#include "smp.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/processor.h"

#define GP0		EXINFO(GP_VECTOR, 0)
#define PMI_VECTOR	0x60

/*
 * Slack of an exact count over the workload: the two WRMSRs that start and stop counting.
 * The SDM does not say whether they count, and KVM counts the WRMSR it emulates once
 * counting is on; two more for a VMM that emulates both and the MOVs that load the stop
 * value twice (none known). Never more: a VMM that counts its own exit handling fails.
 */
#define COUNT_SLACK	4

/* A name for a PMU MSR, for messages ("IA32_PMC0", "PerfCtr2 (0xc0010005)"). */
const char *msr_name(uint32_t msr);

/*
 * Setup steps that are not checks of their own: WRMSR of @val to @msr (RDMSR into @val),
 * silent when it works, else one FAIL ("WRMSR of V to M succeeds") and false, after which
 * the caller gives up what depended on it.
 */
bool setup_wrmsr(uint32_t msr, uint64_t val);
bool setup_rdmsr(uint32_t msr, uint64_t *val);

/* One check: WRMSR of @val to @msr succeeds and RDMSR reads @expect. */
bool check_rw(uint32_t msr, uint64_t val, uint64_t expect);
/* One check: WRMSR of @val to @msr raises #GP(0); @why names the reserved bit or rule. */
bool check_wr_gp(uint32_t msr, uint64_t val, const char *why);
/* One check: RDMSR and WRMSR of 0 both raise #GP(0) (an MSR that does not exist). */
bool check_absent(uint32_t msr, const char *why);

/* RDPMC of @ecx at CPL0: its exinfo, the value in *@val. */
exinfo_t rdpmc_safe(uint32_t ecx, uint64_t *val);

/*
 * How the counters of @mask start and stop together: one WRMSR of the global control
 * (Intel v2+, AMD PerfMonV2), else one WRMSR of GP counter @n's event select @sel with and
 * without EN (one counter at a time).
 */
struct pmu_switch {
	uint32_t msr;
	uint64_t on, off;
};

struct pmu_switch switch_for(uint64_t mask, unsigned int n, uint64_t sel);

/*
 * Program GP counter @n, stopped by pmu_reset(), with @sel (EN added when there is a
 * global control, whose bit then starts it) and preset @count through the counter MSR;
 * the switch that runs it. False after a FAIL when a WRMSR faulted.
 */
bool program_gp(unsigned int n, uint64_t sel, uint64_t count, struct pmu_switch *sw);
/* The counter's value, or a FAIL and false. */
bool read_counter(uint32_t msr, uint64_t *val);

/* The workload under @sw, with a FAIL and false when its starting WRMSR faulted. */
bool run_work(const struct pmu_switch *sw, struct pmu_work *w);

/* The event names and codes this vendor defines for the counting checks. */
extern const struct pmu_event amd_events[];
extern const unsigned int nr_amd_events;

/* PMIs taken per CPU since pmi_arm(), and the LVT entry each one saw. */
extern volatile int pmi_count[MAX_CPUS];
/* Install the PMI handler and write the LVT entry: PMI_VECTOR, fixed, masked or not. */
void pmi_arm(bool masked);
/* With IRQs on, wait until this CPU took @want PMIs or PMI_WAIT_MS passed: the count. */
int pmi_wait(int want);

/* Subtests: main.c */
void enumeration(void);
const char *need_intel_pmu(void);
const char *need_gp(void);
const char *need_fixed(void);
const char *need_global(void);
/* absent.c */
void unenumerated(void);
void perf_capabilities(void);
const char *need_pdcm(void);
/* msrs.c */
/* The first fixed counter index CPUID does not enumerate (32 when all are). */
unsigned int first_unsupported_fixed(void);
void gp_msrs(void);
void full_width(void);
const char *need_full_width(void);
void fixed_msrs(void);
void global_regs(void);
void global_v4(void);
const char *need_v4(void);
void amd_legacy(void);
const char *need_amd_legacy(void);
/* events.c */
void events(void);
void fixed_events(void);
void perf_metrics(void);
const char *need_perf_metrics(void);
void filters(void);
/* overflow.c */
void overflow(void);
void overflow_fixed(void);
void freeze_on_pmi(void);
const char *need_freeze(void);
void percpu(void);
/* rdpmc.c */
void rdpmc(void);
void rdpmc_user(void);
const char *need_counters(void);

#endif
