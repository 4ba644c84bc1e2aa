// SPDX-License-Identifier: MIT
/*
 * The supervisor timer and interrupt CSRs (RISC-V privileged architecture
 * v1.12; Sstc 1.0): the time CSR counts monotonically on every hart, one
 * counter for all of them (3.2.1: time shadows the shared mtime), at the
 * devicetree's /cpus timebase-frequency (measured against the machine's
 * goldfish RTC, a nanosecond clock, over 200 ms: 5% apart at most, the
 * pair of reads bracketing each sample, so a descheduled vCPU cannot skew
 * it); the supervisor timer interrupt through SBI set_timer (SBI v2.0
 * chapter 6) on each hart, never before its time; with Sstc, stimecmp
 * readable and writable by S-mode, sip.STIP following time >= stimecmp and
 * the interrupt taken at that time; without it, stimecmp an illegal
 * instruction; sip and sie (4.1.3): SSIP writable by S-mode, STIP and SEIP
 * read-only, the M-level bits 3, 7, 11 read-only zero in both, and
 * simultaneous supervisor interrupts taken in the order SEI, SSI, STI.
 */
#include "asm/exception.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "cpu.h"
#include "devicetree.h"
#include "report.h"
#include "sbi.h"
#include "smp.h"
#include "subtest.h"
#include "timer.h"

#define SIP_M_BITS	(BIT(3) | BIT(7) | BIT(11))
#define FIRE_MS		5

static void monotonic_one(void *failed)
{
	uint64_t prev = read_time();

	for (int i = 0; i < 1000; i++) {
		uint64_t t = read_time();

		if (t < prev)
			__atomic_store_n((int *)failed, smp_id() + 1, __ATOMIC_SEQ_CST);
		prev = t;
	}
}

static uint64_t remote_time;

static void read_remote(void *unused)
{
	remote_time = read_time();
}

static void time_monotonic(void)
{
	int failed = 0, last = cpu_count() - 1;
	uint64_t before, after;

	on_cpus(monotonic_one, &failed);
	report_eq(0, failed, "the time CSR never goes back on any hart (1 + the first that did)");
	before = read_time();
	on_cpu(last, read_remote, NULL);
	after = read_time();
	report(before <= remote_time && remote_time <= after,
	       "CPU %d's time, read between two reads on CPU 0, lies between them", last);
}

/* goldfish RTC (QEMU hw/rtc/goldfish_rtc.c binding): TIME_LOW latches TIME_HIGH. */
static uint64_t rtc_ns(uintptr_t rtc)
{
	uint64_t lo = readl(rtc);

	return (uint64_t)readl(rtc + 4) << 32 | lo;
}

/* One sample: RTC ns and the time CSR, bracketed by two time reads @width ticks apart. */
static void sample(uintptr_t rtc, uint64_t *ns, uint64_t *ticks, uint64_t *width)
{
	uint64_t t0 = read_time();

	*ns = rtc_ns(rtc);
	*width = read_time() - t0;
	*ticks = t0;
}

static const char *need_rtc(void)
{
	return dt_find_compatible(-1, "google,goldfish-rtc") >= 0 ? NULL :
	       "no goldfish RTC to measure the time CSR against";
}

static void time_frequency(void)
{
	uint64_t addr, size, ns0, ns1, t0, t1, w0, w1, freq = timer_freq(), lo, hi;
	int node = dt_find_compatible(-1, "google,goldfish-rtc");

	if (dt_reg(node, 0, &addr, &size))
		report_abort("the goldfish RTC has no reg");
	sample(addr, &ns0, &t0, &w0);
	mdelay(200);
	sample(addr, &ns1, &t1, &w1);
	/* time at ns1 lies in [t1, t1 + w1], at ns0 in [t0, t0 + w0]. */
	lo = (t1 - t0 - w0) * 1000000000ULL / (ns1 - ns0);
	hi = (t1 + w1 - t0) * 1000000000ULL / (ns1 - ns0);
	report_info("timebase-frequency %lu Hz; measured %lu to %lu Hz", (unsigned long)freq,
		    (unsigned long)lo, (unsigned long)hi);
	report(hi >= freq - freq / 20 && lo <= freq + freq / 20,
	       "the time CSR counts at the devicetree's timebase-frequency, within 5%%");
}

static volatile uint64_t fired_at[MAX_CPUS];

static void timer_irq(struct ex_regs *r)
{
	fired_at[smp_id()] = read_time();
	sbi_set_timer(-1UL);
	if (isa_has(smp_id(), "sstc"))
		csr_write(CSR_STIMECMP, -1UL);
}

/* Arm, wait up to 1 s with interrupts on, disarm; the time it fired at, or 0. */
static uint64_t take_timer(bool sstc, uint64_t target)
{
	uint64_t end = read_time() + timer_freq();

	fired_at[smp_id()] = 0;
	csr_set(CSR_SIE, SIE_STIE);
	if (sstc)
		csr_write(CSR_STIMECMP, target);
	else
		sbi_set_timer(target);
	local_irq_enable();
	while (!fired_at[smp_id()] && read_time() < end)
		cpu_pause();
	local_irq_disable();
	csr_clear(CSR_SIE, SIE_STIE);
	return fired_at[smp_id()];
}

struct fire_result {
	uint64_t target, fired;
};

static void fire_sbi(void *data)
{
	struct fire_result *res = &((struct fire_result *)data)[smp_id()];

	res->target = read_time() + FIRE_MS * timer_freq() / 1000;
	res->fired = take_timer(false, res->target);
}

static void fire_sstc(void *data)
{
	struct fire_result *res = &((struct fire_result *)data)[smp_id()];

	res->target = read_time() + FIRE_MS * timer_freq() / 1000;
	res->fired = take_timer(true, res->target);
}

static void check_fired(struct fire_result *res, const char *how)
{
	int missed = -1, early = -1;

	for (int cpu = cpu_count() - 1; cpu >= 0; cpu--) {
		if (!res[cpu].fired)
			missed = cpu;
		else if (res[cpu].fired < res[cpu].target)
			early = cpu;
	}
	report(missed < 0, "%s: the timer interrupt comes on every hart (first without: %d)",
	       how, missed);
	report(early < 0, "%s: no hart takes it before its time (first early: %d)", how, early);
}

static void sbi_timer(void)
{
	struct fire_result res[MAX_CPUS] = { 0 };
	handler_t old = install_irq_handler(IRQ_S_TIMER, timer_irq);

	on_cpus(fire_sbi, res);
	install_irq_handler(IRQ_S_TIMER, old);
	check_fired(res, "SBI set_timer");
}

static const char *need_sbi_time(void)
{
	return sbi_probe(SBI_EXT_TIME) ? NULL : "no SBI TIME extension";
}

static const char *need_sstc(void)
{
	return isa_has(0, "sstc") ? NULL : "the devicetree does not advertise Sstc";
}

static const char *need_no_sstc(void)
{
	return isa_has(0, "sstc") ? "the devicetree advertises Sstc" : NULL;
}

static bool stip(void)
{
	return csr_read(CSR_SIP) & SIE_STIE;
}

static void sstc(void)
{
	struct fire_result res[MAX_CPUS] = { 0 };
	unsigned long v = 0;
	handler_t old;

	report_exc(0, csr_read_safe(CSR_STIMECMP, &v), "S-mode reads stimecmp");
	sbi_set_timer(-1UL);
	csr_write(CSR_STIMECMP, read_time());
	report(stip(), "stimecmp at or below time makes sip.STIP pending at once");
	csr_write(CSR_STIMECMP, -1UL);
	report(!stip(), "stimecmp far ahead clears sip.STIP at once");
	csr_write(CSR_STIMECMP, 0x123456789abcdefUL);
	report_eq_x(0x123456789abcdefUL, csr_read(CSR_STIMECMP),
		    "stimecmp keeps what S-mode wrote");
	csr_write(CSR_STIMECMP, -1UL);
	old = install_irq_handler(IRQ_S_TIMER, timer_irq);
	on_cpus(fire_sstc, res);
	install_irq_handler(IRQ_S_TIMER, old);
	check_fired(res, "stimecmp");
}

static void no_sstc(void)
{
	unsigned long v;

	report_exc(EXINFO(CAUSE_ILLEGAL_INSN, 0), csr_read_safe(CSR_STIMECMP, &v),
		   "without Sstc, reading stimecmp is an illegal instruction");
}

static unsigned int order[4], norder;

static void record_ssi(struct ex_regs *r)
{
	csr_clear(CSR_SIP, SIE_SSIE);
	order[norder++ & 3] = IRQ_S_SOFT;
}

static void record_sti(struct ex_regs *r)
{
	sbi_set_timer(-1UL);
	order[norder++ & 3] = IRQ_S_TIMER;
}

/* SSIP set by S-mode itself and STIP by the timer, both pending, then unmasked together. */
static void priority(void)
{
	handler_t old_s = install_irq_handler(IRQ_S_SOFT, record_ssi);
	handler_t old_t = install_irq_handler(IRQ_S_TIMER, record_sti);
	uint64_t end;

	norder = 0;
	csr_set(CSR_SIE, SIE_STIE);
	sbi_set_timer(read_time());
	end = read_time() + timer_freq();
	while (!stip() && read_time() < end)
		cpu_pause();
	csr_set(CSR_SIP, SIE_SSIE);
	local_irq_enable();
	local_irq_disable();
	csr_clear(CSR_SIE, SIE_STIE);
	install_irq_handler(IRQ_S_SOFT, old_s);
	install_irq_handler(IRQ_S_TIMER, old_t);
	report(norder == 2 && order[0] == IRQ_S_SOFT && order[1] == IRQ_S_TIMER,
	       "with SSI and STI pending the software interrupt is taken first (%u taken)",
	       norder);
}

static void sip_sie(void)
{
	unsigned long sie = csr_read(CSR_SIE), v;
	int taken;

	csr_write(CSR_SIE, -1UL);
	v = csr_read(CSR_SIE);
	csr_write(CSR_SIE, sie);
	report_eq_x(SIE_SSIE | SIE_STIE, v & (SIE_SSIE | SIE_STIE | SIP_M_BITS),
		    "sie keeps SSIE and STIE set, its M-level bits 3, 7, 11 read 0");
	sbi_set_timer(-1UL);
	csr_set(CSR_SIP, SIE_STIE | SIE_SEIE | SIP_M_BITS);
	report_eq_x(0, csr_read(CSR_SIP) & (SIE_STIE | SIE_SEIE | SIP_M_BITS),
		    "S-mode writes leave sip.STIP, sip.SEIP and the M-level bits 0");
	csr_set(CSR_SIP, SIE_SSIE);
	report(csr_read(CSR_SIP) & SIE_SSIE, "S-mode sets sip.SSIP");
	csr_clear(CSR_SIP, SIE_SSIE);
	report(!(csr_read(CSR_SIP) & SIE_SSIE), "S-mode clears sip.SSIP");
	norder = 0;
	install_irq_handler(IRQ_S_SOFT, record_ssi);
	csr_set(CSR_SIP, SIE_SSIE);
	local_irq_enable();
	local_irq_disable();
	taken = norder;
	install_irq_handler(IRQ_S_SOFT, NULL);
	report_eq(1, taken, "an SSIP S-mode set is taken once interrupts are enabled");
}

static const struct subtest tests[] = {
	SUBTEST(time_monotonic),
	SUBTEST_NEEDS(time_frequency, need_rtc),
	SUBTEST_NEEDS(sbi_timer, need_sbi_time),
	SUBTEST_NEEDS(sstc, need_sstc),
	SUBTEST_NEEDS(no_sstc, need_no_sstc),
	SUBTEST(sip_sie),
	SUBTEST_NEEDS(priority, need_sbi_time),
};

SUBTESTS_MAIN(tests)
