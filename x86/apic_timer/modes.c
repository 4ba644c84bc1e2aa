// SPDX-License-Identifier: MIT
/*
 * One-shot and periodic modes (SDM vol. 3A 11.5.4): the interrupt comes
 * once the count ran out and never before (min_ticks(), rate.c), the
 * current count stays 0 after a one-shot, a periodic timer reloads, a
 * masked timer counts without interrupting, a new initial count restarts
 * the count, 0 stops it, and a write to the LVT that changes the mode
 * disarms it. Waits for what must not happen are twice the time it would
 * take.
 */
#include "timer.h"

#define PERIODS		5

void timer_arm(uint32_t lvt, uint32_t count)
{
	apic_write(APIC_LVTT, lvt);
	apic_write(APIC_TDCR, APIC_TDCR_BY1);
	apic_write(APIC_TMICT, count);
}

void timer_stop(void)
{
	apic_write(APIC_TMICT, 0);
	apic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_TIMER);
	if (this_cpu_has(X86_FEATURE_TSC_DEADLINE))
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	irq_disable();
}

/*
 * Stop the timer, then take (with IF=1) what it may have left pending in
 * IRR before the handler goes: the next subtest must not count it.
 */
void timer_done(void)
{
	timer_stop();
	irq_settle(100);
	irq_disable();
	irq_uninstall(VEC_TIMER);
}

/* The check that an interrupt taken at TSC @at came no earlier than @counts after @t0. */
static void not_early(uint64_t t0, uint64_t at, uint64_t counts, const char *what)
{
	char exp[40], got[40];

	snprintf(exp, sizeof(exp), "at least %lu TSC ticks", min_ticks(counts));
	snprintf(got, sizeof(got), "%lu", at - t0);
	report_decoded(at - t0 >= min_ticks(counts), exp, got,
		       "%s comes no earlier than its count runs out", what);
}

void oneshot(void)
{
	uint32_t n = counts_for_us(1000);
	int cpu = smp_id();
	uint64_t t0;

	irq_install(VEC_TIMER, NULL, IRQ_EOI);
	irq_disable();
	t0 = rdtsc();
	timer_arm(APIC_LVT_TIMER_ONESHOT | VEC_TIMER, n);
	irq_wait(VEC_TIMER, 1);
	report_irq(cpu, VEC_TIMER, 1, "a one-shot timer of about 1 ms fires");
	not_early(t0, irq_last(cpu, VEC_TIMER).tsc, n, "the one-shot interrupt");
	report_eq(0, apic_read(APIC_TMCCT), "the current count stays 0 after a one-shot");
	report(!irq_last(cpu, VEC_TIMER).tmr, "the timer interrupt is edge-triggered (TMR clear)");
	irq_settle(2000);
	report_irq(cpu, VEC_TIMER, 1, "a one-shot timer fires only once");
	t0 = rdtsc();
	apic_write(APIC_TMICT, n);
	irq_wait(VEC_TIMER, 2);
	report_irq(cpu, VEC_TIMER, 2, "a one-shot timer fires again when re-armed");
	not_early(t0, irq_last(cpu, VEC_TIMER).tsc, n, "the re-armed one-shot interrupt");
	timer_done();
}

static uint64_t arrivals[PERIODS];

static void record(int vec, struct ex_regs *r)
{
	unsigned int k = irq_count(smp_id(), vec);

	if (k >= 1 && k <= PERIODS)
		arrivals[k - 1] = rdtsc();
}

/* SDM 11.5.4: in periodic mode the count reloads from the initial count each time it ends. */
void periodic(void)
{
	uint32_t n = counts_for_us(500);
	int cpu = smp_id();
	uint64_t t0, t1, bad = 0;
	unsigned int got, most;

	irq_install(VEC_TIMER, record, IRQ_EOI);
	irq_disable();
	t0 = rdtsc();
	timer_arm(APIC_LVT_TIMER_PERIODIC | VEC_TIMER, n);
	irq_wait(VEC_TIMER, PERIODS);
	apic_write(APIC_TMICT, 0);
	t1 = rdtsc();
	got = irq_count(cpu, VEC_TIMER);
	report(got >= PERIODS, "a periodic timer of about 0.5 ms fires %d times", PERIODS);
	for (unsigned int k = 1; k <= PERIODS && k <= got && !bad; k++)
		if (arrivals[k - 1] - t0 < min_ticks((uint64_t)k * n))
			bad = k;
	report_eq(0, bad, "no periodic interrupt comes before its period (first early one)");
	most = (t1 - t0) / min_ticks(n) + 1;
	report(got <= most, "a periodic timer fires no more often than its period allows");
	irq_settle(1000);
	report_irq(cpu, VEC_TIMER, got, "writing 0 to the initial count stops a periodic timer");
	report_eq(0, apic_read(APIC_TMCCT), "the current count is 0 once stopped");
	timer_done();
}

/* Spin (IF=0) until the current count reads 0, at most IRQ_WAIT_US. */
static bool count_runs_out(void)
{
	uint64_t end = rdtsc() + tsc_from_us(IRQ_WAIT_US);

	while (apic_read(APIC_TMCCT) && rdtsc() < end)
		pause();
	return !apic_read(APIC_TMCCT);
}

/* SDM 11.5.1: the mask inhibits the interrupt, not the count. */
void masking(void)
{
	uint32_t n = counts_for_us(200);
	int cpu = smp_id();

	irq_install(VEC_TIMER, NULL, IRQ_EOI);
	irq_disable();
	timer_arm(APIC_LVT_MASKED | APIC_LVT_TIMER_ONESHOT | VEC_TIMER, n);
	report(count_runs_out(), "a masked one-shot timer still counts down to 0");
	report(!apic_vec_test(APIC_IRR, VEC_TIMER), "a masked timer sets no IRR bit");
	irq_settle(1000);
	report_irq(cpu, VEC_TIMER, 0, "a masked one-shot timer raises no interrupt");
	apic_write(APIC_LVTT, APIC_LVT_TIMER_ONESHOT | VEC_TIMER);
	irq_settle(1000);
	report_irq(cpu, VEC_TIMER, 0, "unmasking after a masked expiry raises nothing");
	timer_arm(APIC_LVT_MASKED | APIC_LVT_TIMER_PERIODIC | VEC_TIMER, n);
	irq_settle(1000);
	report_irq(cpu, VEC_TIMER, 0, "a masked periodic timer raises no interrupt");
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | VEC_TIMER);
	irq_wait(VEC_TIMER, 1);
	report(irq_count(cpu, VEC_TIMER) >= 1,
	       "unmasking a periodic timer lets its next expiry through");
	timer_done();
}

/*
 * Arm a one-shot of @n counts, then do @write while it still counts: the
 * check that follows is about what that write does to a running timer. A
 * vCPU held up so long that the count may have run out before @write (the
 * TSC says so) tries again, at most 5 times.
 */
static bool write_while_counting(uint32_t n, unsigned int reg, uint32_t val)
{
	for (int tries = 0; tries < 5; tries++) {
		uint64_t t0, t1;
		uint32_t left;

		irq_reset(VEC_TIMER);
		timer_arm(APIC_LVT_TIMER_ONESHOT | VEC_TIMER, n);
		t0 = rdtsc();
		left = apic_read(APIC_TMCCT);
		apic_write(reg, val);
		t1 = rdtsc();
		if (left && t1 - t0 < min_ticks(left))
			return true;
		apic_write(APIC_TMICT, 0);
		irq_settle(2 * tsc_to_us(min_ticks(n)) + 10);
		irq_disable();
	}
	return false;
}

/*
 * SDM 11.5.4: a new initial count restarts the count; 0 stops it; 11.5.4.1:
 * a write to the LVT that changes the mode disarms the timer.
 */
void rearm_disarm(void)
{
	uint32_t n = counts_for_us(200);
	int cpu = smp_id();
	uint64_t t0;

	irq_install(VEC_TIMER, NULL, IRQ_EOI);
	irq_disable();
	timer_arm(APIC_LVT_TIMER_ONESHOT | VEC_TIMER, 0xffffffff);
	t0 = rdtsc();
	apic_write(APIC_TMICT, n);
	irq_wait(VEC_TIMER, 1);
	report_irq(cpu, VEC_TIMER, 1, "a new initial count restarts a counting timer");
	not_early(t0, irq_last(cpu, VEC_TIMER).tsc, n, "the restarted timer's interrupt");
	if (write_while_counting(n, APIC_TMICT, 0)) {
		irq_settle(1000);
		report_irq(cpu, VEC_TIMER, 0, "writing 0 to the initial count disarms a one-shot");
		report_eq(0, apic_read(APIC_TMCCT), "the current count is 0 once disarmed");
	} else {
		report_skip("disarm: the vCPU was held up past the count 5 times");
	}
	/* 10 ms: a timer left running at this period fires about 50 times in it. */
	if (write_while_counting(n, APIC_LVTT, APIC_LVT_TIMER_PERIODIC | VEC_TIMER)) {
		irq_settle(10000);
		report_irq(cpu, VEC_TIMER, 0, "changing the LVT from one-shot to periodic disarms");
	} else {
		report_skip("mode change: the vCPU was held up past the count 5 times");
	}
	timer_done();
}
