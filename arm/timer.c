// SPDX-License-Identifier: MIT
/*
 * The Generic Timer at EL1 (Arm ARM DDI 0487 chapter D11; registers in
 * D17: CNTFRQ_EL0, CNTVCT_EL0, CNTPCT_EL0, CNTV_* and CNTP_* CTL, CVAL,
 * TVAL): the EL1 virtual timer and the EL1 physical timer (reachable from
 * EL1 when CNTHCTL_EL2.EL1PCEN allows, and always without EL2).
 *
 * - CNTFRQ_EL0 is not zero; each counter never goes backwards, on one CPU
 *   and from one CPU to the next (D11.1.2: one system counter, ISB-ordered
 *   reads);
 * - TVAL reads as (CVAL - count)[31:0], signed; a TVAL write sets CVAL to
 *   count + SignExtend(TVAL) (D11.2.4): checked against counter reads taken
 *   just before and after, the only bound that holds on any implementation;
 * - ISTATUS is set when the count is at or past CVAL, whatever IMASK says,
 *   and a write cannot set it;
 * - IMASK keeps the interrupt deasserted (nothing pending in the GIC);
 *   clearing it asserts the timer's PPI;
 * - delivery on each CPU through the PPI the devicetree names for the timer
 *   (binding "arm,armv8-timer"): the interrupt arrives, not before CVAL,
 *   with ISTATUS set, and once when the handler masks the timer.
 *
 * Timing: an interrupt may arrive at any time after the condition is met;
 * only "not before CVAL" is architectural, so waits have a generous bound
 * (TIMER_WAIT_MS) for slow TCG vCPU threads.
 */
#include "asm/exception.h"
#include "asm/processor.h"
#include "asm/timer.h"
#include "gic.h"
#include "platform.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

#define TIMER_WAIT_MS	5000

struct timer {
	const char *name;
	enum platform_irq_id irq;
	uint64_t (*count)(void);
	uint64_t (*ctl)(void);
	void (*set_ctl)(uint64_t v);
	uint64_t (*cval)(void);
	void (*set_cval)(uint64_t v);
	uint64_t (*tval)(void);
	void (*set_tval)(uint64_t v);
};

#define TIMER_ACCESSORS(t)							\
	static uint64_t t##_ctl(void) { return read_sysreg(cnt##t##_ctl_el0); }	\
	static void t##_set_ctl(uint64_t v)					\
	{									\
		write_sysreg(v, cnt##t##_ctl_el0);				\
		isb();								\
	}									\
	static uint64_t t##_cval(void) { return read_sysreg(cnt##t##_cval_el0); } \
	static void t##_set_cval(uint64_t v)					\
	{									\
		write_sysreg(v, cnt##t##_cval_el0);				\
		isb();								\
	}									\
	static uint64_t t##_tval(void)						\
	{									\
		isb();								\
		return read_sysreg(cnt##t##_tval_el0);				\
	}									\
	static void t##_set_tval(uint64_t v)					\
	{									\
		write_sysreg(v, cnt##t##_tval_el0);				\
		isb();								\
	}

TIMER_ACCESSORS(v)
TIMER_ACCESSORS(p)

static const struct timer timers[] = {
	{ "virtual", PLAT_IRQ_TIMER_VIRT, read_cntvct, v_ctl, v_set_ctl, v_cval, v_set_cval,
	  v_tval, v_set_tval },
	{ "physical", PLAT_IRQ_TIMER_PHYS, read_cntpct, p_ctl, p_set_ctl, p_cval, p_set_cval,
	  p_tval, p_set_tval },
};

#define for_each_timer(t) for (const struct timer *t = timers; t < timers + 2; t++)

static uint64_t ms_ticks(uint64_t ms)
{
	return timer_freq() / 1000 * ms;
}

static void counter(void)
{
	static const char *const names[] = { "CNTVCT_EL0", "CNTPCT_EL0" };
	uint64_t (*const read[])(void) = { read_cntvct, read_cntpct };

	report(timer_freq() != 0, "CNTFRQ_EL0 is not zero (%lu Hz)", timer_freq());
	for (int i = 0; i < 2; i++) {
		uint64_t first = read[i](), prev = first, now = first;
		bool mono = true;

		for (int n = 0; n < 100000; n++) {
			now = read[i]();
			mono &= now >= prev;
			prev = now;
		}
		for (long n = 0; n < 100000000 && now == first; n++)
			now = read[i]();
		report(mono, "%s never decreases over 100000 reads", names[i]);
		report(now > first, "%s advances", names[i]);
	}
}

static uint64_t handed[2];

static void read_counters(void *data)
{
	handed[0] = read_cntvct();
	handed[1] = read_cntpct();
}

/* The on_cpu() hand-over orders the reads: the later CPU may not see an earlier count. */
static void counter_smp(void)
{
	bool ok_v = true, ok_p = true;

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		uint64_t v = read_cntvct(), p = read_cntpct();

		on_cpu(cpu, read_counters, NULL);
		ok_v &= handed[0] >= v;
		ok_p &= handed[1] >= p;
		read_counters(NULL);
		ok_v &= read_cntvct() >= handed[0];
		ok_p &= read_cntpct() >= handed[1];
	}
	report(ok_v, "CNTVCT_EL0 read on another CPU after a hand-over is never smaller");
	report(ok_p, "CNTPCT_EL0 read on another CPU after a hand-over is never smaller");
}

/* TVAL read between counts @c0 and @c1 is (CVAL - count)[31:0] for a count in that range. */
static bool tval_between(uint64_t cval, uint64_t c0, uint64_t c1, uint32_t tval)
{
	return (uint32_t)(cval - c0) - tval <= c1 - c0;
}

static void tval_read(const struct timer *t, uint64_t delta, const char *what)
{
	uint64_t c0, c1, cval;
	uint32_t tval;

	cval = t->count() + delta;
	t->set_cval(cval);
	report_eq_x(cval, t->cval(), "%s CVAL reads back what was written (%s)", t->name, what);
	c0 = t->count();
	tval = t->tval();
	c1 = t->count();
	report(tval_between(cval, c0, c1, tval), "%s TVAL reads (CVAL - count)[31:0] with CVAL %s "
	       "(TVAL %#x, CVAL - count from %#x to %#x)", t->name, what, tval,
	       (uint32_t)(cval - c1), (uint32_t)(cval - c0));
}

/* A TVAL write sets CVAL to the count at the write plus TVAL sign-extended. */
static void tval_write(const struct timer *t, int32_t tval)
{
	uint64_t c0, c1, cval;

	c0 = t->count();
	t->set_tval((uint32_t)tval);
	c1 = t->count();
	cval = t->cval();
	report(cval - (c0 + tval) <= c1 - c0, "%s TVAL write of %d sets CVAL to count %s %d "
	       "(CVAL %#lx, count %#lx to %#lx)", t->name, tval, tval < 0 ? "-" : "+",
	       tval < 0 ? -tval : tval, cval, c0, c1);
}

static void tval_cval(void)
{
	for_each_timer(t) {
		t->set_ctl(0);
		tval_read(t, ms_ticks(100), "100 ms ahead");
		tval_read(t, -ms_ticks(100), "100 ms behind (negative TVAL)");
		tval_read(t, 1ULL << 40, "2^40 ticks ahead (TVAL is the low 32 bits)");
		tval_write(t, 1000000);
		tval_write(t, -1000000);
	}
}

static void istatus(void)
{
	for_each_timer(t) {
		t->set_ctl(CNT_CTL_ENABLE | CNT_CTL_IMASK);
		t->set_cval(0);
		report_eq_x(CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS, t->ctl(),
			    "%s timer with CVAL 0 (past): ISTATUS set, IMASK set", t->name);
		t->set_cval(~0ULL);
		report_eq_x(CNT_CTL_ENABLE | CNT_CTL_IMASK, t->ctl(),
			    "%s timer with CVAL 2^64 - 1 (future): ISTATUS clear", t->name);
		t->set_ctl(CNT_CTL_ENABLE | CNT_CTL_IMASK | CNT_CTL_ISTATUS);
		report_eq_x(CNT_CTL_ENABLE | CNT_CTL_IMASK, t->ctl(),
			    "%s timer: writing ISTATUS 1 does not set it (read-only)", t->name);
		t->set_tval(ms_ticks(10000));
		report_eq(0, t->ctl() & CNT_CTL_ISTATUS,
			  "%s timer with TVAL 10 s ahead: ISTATUS clear", t->name);
		t->set_ctl(0);
	}
}

static struct irq_seen {
	int count;
	unsigned int intid;
	uint64_t at;		/* the counter when the handler ran */
	uint64_t ctl;		/* CTL as the handler found it */
} seen[MAX_CPUS][2];

static const struct timer *timer_of(unsigned int intid, int *idx)
{
	for (int i = 0; i < 2; i++)
		if (platform_irq(timers[i].irq).intid == intid) {
			*idx = i;
			return &timers[i];
		}
	return NULL;
}

/* Masks the timer: its level drops, so the EOI that follows ends it for good. */
static void timer_irq(struct ex_regs *regs, unsigned int intid)
{
	int i;
	const struct timer *t = timer_of(intid, &i);
	struct irq_seen *s = &seen[smp_id()][i];

	s->at = t->count();
	s->ctl = t->ctl();
	s->intid = intid;
	t->set_ctl(CNT_CTL_ENABLE | CNT_CTL_IMASK);
	__atomic_add_fetch(&s->count, 1, __ATOMIC_SEQ_CST);
}

/* IRQs on until @s->count reaches @want, then @extra_ms more: an extra one would show. */
static void wait_irq(struct irq_seen *s, int want, int extra_ms)
{
	uint64_t end = read_cntvct() + ms_ticks(TIMER_WAIT_MS);

	local_irq_enable();
	while (__atomic_load_n(&s->count, __ATOMIC_SEQ_CST) < want && read_cntvct() < end)
		;
	mdelay(extra_ms);
	local_irq_disable();
}

static bool pending_within(unsigned int intid, int ms)
{
	uint64_t end = read_cntvct() + ms_ticks(ms);

	while (!gic_irq_is_pending(intid) && read_cntvct() < end)
		;
	return gic_irq_is_pending(intid);
}

static void imask_one(const struct timer *t, int i)
{
	unsigned int ppi = platform_irq(t->irq).intid;
	struct irq_seen *s = &seen[smp_id()][i];

	memset(s, 0, sizeof(*s));
	local_irq_disable();
	t->set_ctl(CNT_CTL_ENABLE | CNT_CTL_IMASK);
	t->set_cval(0);
	gic_irq_enable(ppi);
	report(!pending_within(ppi, 10), "%s timer met with IMASK set: PPI %u is not pending",
	       t->name, ppi);
	local_irq_enable();
	mdelay(10);
	local_irq_disable();
	report_eq(0, s->count, "%s timer met with IMASK set: no interrupt is taken", t->name);
	t->set_ctl(CNT_CTL_ENABLE);
	report(pending_within(ppi, TIMER_WAIT_MS), "%s timer: clearing IMASK makes PPI %u pending",
	       t->name, ppi);
	wait_irq(s, 1, 10);
	report_eq(1, s->count, "%s timer: its interrupt is taken once, the handler masking it",
		  t->name);
	t->set_ctl(0);
	gic_irq_disable(ppi);
}

static void install_handlers(irq_handler_t fn)
{
	for_each_timer(t)
		install_irq_handler(platform_irq(t->irq).intid, fn);
}

static void imask(void)
{
	install_handlers(timer_irq);
	for (int i = 0; i < 2; i++)
		imask_one(&timers[i], i);
	install_handlers(NULL);
}

static uint64_t armed_cval[MAX_CPUS][2];

/* On each CPU: each timer 1 ms ahead, through its own banked PPI. */
static void irq_run(void *data)
{
	int cpu = smp_id();

	for (int i = 0; i < 2; i++) {
		const struct timer *t = &timers[i];
		unsigned int ppi = platform_irq(t->irq).intid;

		memset(&seen[cpu][i], 0, sizeof(seen[cpu][i]));
		local_irq_disable();
		gic_irq_enable(ppi);
		armed_cval[cpu][i] = t->count() + ms_ticks(1);
		t->set_cval(armed_cval[cpu][i]);
		t->set_ctl(CNT_CTL_ENABLE);
		wait_irq(&seen[cpu][i], 1, 10);
		t->set_ctl(0);
		gic_irq_disable(ppi);
	}
}

static void irq_check(int cpu, int i)
{
	const struct timer *t = &timers[i];
	struct irq_seen *s = &seen[cpu][i];

	report_eq(1, s->count, "CPU %d: the %s timer's interrupt is taken once", cpu, t->name);
	report_eq(platform_irq(t->irq).intid, s->intid,
		  "CPU %d: the %s timer interrupts through the devicetree's PPI", cpu, t->name);
	report(s->at >= armed_cval[cpu][i], "CPU %d: the %s timer does not interrupt before CVAL "
	       "(count %#lx, CVAL %#lx)", cpu, t->name, s->at, armed_cval[cpu][i]);
	report(s->ctl & CNT_CTL_ISTATUS, "CPU %d: the %s timer's handler finds ISTATUS set "
	       "(CTL %#lx)", cpu, t->name, s->ctl);
}

static void irq(void)
{
	install_handlers(timer_irq);
	on_cpus(irq_run, NULL);
	install_handlers(NULL);
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		for (int i = 0; i < 2; i++)
			irq_check(cpu, i);
}

static const char *need_ppis(void)
{
	if (!gic_version())
		return "no GIC in the devicetree";
	for_each_timer(t)
		if (!platform_irq(t->irq).intid)
			return "the devicetree names no PPI for the EL1 timers";
	return NULL;
}

static const struct subtest tests[] = {
	SUBTEST(counter),
	SUBTEST_SMP(counter_smp, NULL, 2),
	SUBTEST(tval_cval),
	SUBTEST(istatus),
	SUBTEST_NEEDS(imask, need_ppis),
	SUBTEST_NEEDS(irq, need_ppis),
};

SUBTESTS_MAIN(tests)
