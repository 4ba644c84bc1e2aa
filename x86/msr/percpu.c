// SPDX-License-Identifier: MIT
/*
 * MSRs are per logical processor (SDM vol. 4 ch. 2 "Scope: Thread"): a
 * value one CPU writes is not seen by another. Each CPU writes its own
 * value, then every CPU reads back; TSC_ADJUST gets the same treatment
 * one writer at a time (SDM 18.17.3: "IA32_TSC_ADJUST ... per logical
 * processor").
 */
#include "msrtest.h"

static const struct percpu_row {
	uint32_t msr;
	const char *name;
	x86_feature_t feature, alt_feature;
	uint64_t base;	/* CPU n writes base + n * 0x1000 + 0x10 */
} percpu_rows[] = {
	{ MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", X86_FEATURE_LM, 0, 0xffff888000000000 },
	{ MSR_LSTAR, "LSTAR", X86_FEATURE_LM, 0, 0xffffffff80000000 },
	/* 32-bit values: valid for both vendors (see main.c). */
	{ MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP", X86_FEATURE_SEP, 0, 0x00100000 },
	{ MSR_IA32_TSC_AUX, "TSC_AUX", X86_FEATURE_RDTSCP, X86_FEATURE_RDPID, 0 },
};

#define NR_ROWS ARRAY_SIZE(percpu_rows)

static uint64_t saved[MAX_CPUS][NR_ROWS], seen[MAX_CPUS][NR_ROWS];

static bool row_present(const struct percpu_row *r)
{
	return this_cpu_has(r->feature) || (r->alt_feature && this_cpu_has(r->alt_feature));
}

static uint64_t row_value(const struct percpu_row *r, int cpu)
{
	return r->base + (uint64_t)cpu * 0x1000 + 0x10;
}

static void percpu_write(void *unused)
{
	int cpu = smp_id();

	for (size_t i = 0; i < NR_ROWS; i++) {
		if (!row_present(&percpu_rows[i]))
			continue;
		saved[cpu][i] = rdmsr(percpu_rows[i].msr);
		wrmsr(percpu_rows[i].msr, row_value(&percpu_rows[i], cpu));
	}
}

static void percpu_read(void *unused)
{
	int cpu = smp_id();

	for (size_t i = 0; i < NR_ROWS; i++)
		if (row_present(&percpu_rows[i]))
			seen[cpu][i] = rdmsr(percpu_rows[i].msr);
}

static void percpu_restore(void *unused)
{
	int cpu = smp_id();

	for (size_t i = 0; i < NR_ROWS; i++)
		if (row_present(&percpu_rows[i]))
			wrmsr(percpu_rows[i].msr, saved[cpu][i]);
}

void percpu(void)
{
	on_cpus(percpu_write, NULL);
	on_cpus(percpu_read, NULL);
	for (size_t i = 0; i < NR_ROWS; i++) {
		if (!row_present(&percpu_rows[i])) {
			report_skip("%s: not enumerated by CPUID", percpu_rows[i].name);
			continue;
		}
		for (int cpu = 0; cpu < cpu_count(); cpu++)
			report_eq_x(row_value(&percpu_rows[i], cpu), seen[cpu][i],
				    "%s of CPU %d keeps the value that CPU wrote",
				    percpu_rows[i].name, cpu);
	}
	on_cpus(percpu_restore, NULL);
}

#define ADJ_STEP	BIT_ULL(36)

static uint64_t adj_orig[MAX_CPUS], adj_now[MAX_CPUS];

static void adj_save(void *unused)
{
	adj_orig[smp_id()] = rdmsr(MSR_IA32_TSC_ADJUST);
}

static void adj_read(void *unused)
{
	adj_now[smp_id()] = rdmsr(MSR_IA32_TSC_ADJUST);
}

static void adj_bump(void *unused)
{
	wrmsr(MSR_IA32_TSC_ADJUST, adj_orig[smp_id()] + ADJ_STEP);
}

static void adj_restore(void *unused)
{
	wrmsr(MSR_IA32_TSC_ADJUST, adj_orig[smp_id()]);
}

void tsc_adjust_percpu(void)
{
	on_cpus(adj_save, NULL);
	for (int writer = 0; writer < cpu_count(); writer++) {
		on_cpu(writer, adj_bump, NULL);
		on_cpus(adj_read, NULL);
		on_cpu(writer, adj_restore, NULL);
		for (int cpu = 0; cpu < cpu_count(); cpu++)
			report_eq_x(adj_orig[cpu] + (cpu == writer ? ADJ_STEP : 0), adj_now[cpu],
				    "TSC_ADJUST of CPU %d after CPU %d added 2^36 to its own",
				    cpu, writer);
	}
}
