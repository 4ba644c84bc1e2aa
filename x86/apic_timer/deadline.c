// SPDX-License-Identifier: MIT
/*
 * TSC-deadline mode (SDM vol. 3A 11.5.4.1): the interrupt comes once the
 * TSC reaches IA32_TSC_DEADLINE and never before, the MSR then reads 0, a
 * deadline in the past fires at once, 0 disarms, a new deadline replaces
 * the old one; the initial-count register ignores writes and the current
 * count reads 0; in the other modes the MSR reads 0 and ignores writes,
 * and leaving TSC-deadline mode disarms the timer.
 */
#include "timer.h"

#define DEADLINE_US	1000

const char *needs_tsc_deadline(void)
{
	const char *why = apic_args_mode();

	if (why)
		return why;
	return this_cpu_has(X86_FEATURE_TSC_DEADLINE) ? NULL : "TSC-deadline mode not supported";
}

static void deadline_mode(void)
{
	apic_write(APIC_LVTT, APIC_LVT_TIMER_TSCDEADLINE | VEC_TIMER);
}

/* Arm at @d and check the MSR holds it while the TSC is before it. */
static void arm_at(uint64_t d, const char *what)
{
	uint64_t before, v;

	wrmsr(MSR_IA32_TSC_DEADLINE, d);
	before = rdtsc();
	v = rdmsr(MSR_IA32_TSC_DEADLINE);
	/* Read before the deadline: it cannot have fired, the MSR must hold it. */
	if (before < d)
		report_eq_x(d, v, "IA32_TSC_DEADLINE reads back %s while armed", what);
}

static void not_before(uint64_t d, uint64_t at, const char *what)
{
	char exp[40], got[40];

	snprintf(exp, sizeof(exp), "TSC >= %#lx", d);
	snprintf(got, sizeof(got), "%#lx", at);
	report_decoded(at >= d, exp, got, "%s comes no earlier than its deadline", what);
}

void deadline_fires(void)
{
	int cpu = smp_id();
	uint64_t d;

	irq_install(VEC_TIMER, NULL, IRQ_EOI);
	irq_disable();
	deadline_mode();
	apic_write(APIC_TMICT, 12345);
	report_eq(0, apic_read(APIC_TMICT),
		  "the initial count ignores writes in TSC-deadline mode");
	report_eq(0, apic_read(APIC_TMCCT), "the current count reads 0 in TSC-deadline mode");
	d = rdtsc() + tsc_from_us(DEADLINE_US);
	arm_at(d, "the deadline");
	irq_wait(VEC_TIMER, 1);
	report_irq(cpu, VEC_TIMER, 1, "a deadline 1 ms ahead fires");
	not_before(d, irq_last(cpu, VEC_TIMER).tsc, "the TSC-deadline interrupt");
	report_eq_x(0, rdmsr(MSR_IA32_TSC_DEADLINE), "IA32_TSC_DEADLINE reads 0 once it fired");
	irq_settle(2 * DEADLINE_US);
	report_irq(cpu, VEC_TIMER, 1, "a deadline fires once");
	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() - tsc_from_us(10));
	irq_wait(VEC_TIMER, 2);
	report_irq(cpu, VEC_TIMER, 2, "a deadline in the past fires at once");
	report_eq_x(0, rdmsr(MSR_IA32_TSC_DEADLINE), "IA32_TSC_DEADLINE reads 0 after a past one");
	d = rdtsc() + tsc_from_us(DEADLINE_US);
	arm_at(d, "a later deadline");
	wrmsr(MSR_IA32_TSC_DEADLINE, d + tsc_from_us(DEADLINE_US));
	irq_wait(VEC_TIMER, 3);
	report_irq(cpu, VEC_TIMER, 3, "a deadline rewritten later fires");
	not_before(d + tsc_from_us(DEADLINE_US), irq_last(cpu, VEC_TIMER).tsc,
		   "the rewritten deadline's interrupt");
	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + tsc_from_us(DEADLINE_US));
	wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	irq_settle(2 * DEADLINE_US);
	report_irq(cpu, VEC_TIMER, 3, "writing 0 to IA32_TSC_DEADLINE disarms it");
	timer_done();
}

void deadline_modes(void)
{
	int cpu = smp_id();

	irq_install(VEC_TIMER, NULL, IRQ_EOI);
	irq_disable();
	timer_arm(APIC_LVT_TIMER_ONESHOT | VEC_TIMER, 0);
	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + tsc_from_us(DEADLINE_US));
	report_eq_x(0, rdmsr(MSR_IA32_TSC_DEADLINE), "IA32_TSC_DEADLINE reads 0 in one-shot mode");
	irq_settle(2 * DEADLINE_US);
	report_irq(cpu, VEC_TIMER, 0, "IA32_TSC_DEADLINE writes arm nothing in one-shot mode");
	deadline_mode();
	wrmsr(MSR_IA32_TSC_DEADLINE, rdtsc() + tsc_from_us(DEADLINE_US));
	apic_write(APIC_LVTT, APIC_LVT_TIMER_ONESHOT | VEC_TIMER);
	irq_settle(2 * DEADLINE_US);
	report_irq(cpu, VEC_TIMER, 0, "leaving TSC-deadline mode disarms the timer");
	deadline_mode();
	report_eq_x(0, rdmsr(MSR_IA32_TSC_DEADLINE),
		    "IA32_TSC_DEADLINE reads 0 back in TSC-deadline mode after the disarm");
	timer_done();
}
