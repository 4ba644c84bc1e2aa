// SPDX-License-Identifier: MIT
/*
 * The TOD clock, the clock comparator and the CPU timer: STCK, STCKE and
 * STCKF read a clock that only moves forward and that every CPU shares,
 * SCK sets it (supervisor state only), and the comparator and the timer
 * raise their external interruptions when, and only when, their condition
 * holds and their subclass is enabled.
 *
 * Specs (PoP SA22-7832): 4.6.1 "Time-of-Day Clock" (bit 51 is one
 * microsecond; one clock for all CPUs of the configuration), chapter 10:
 * STORE CLOCK (condition code 0 when the clock is set; successive values
 * increase: STCK makes each value unique), STORE CLOCK EXTENDED (byte 0
 * the epoch index, bytes 1-13 TOD bits 0-103, bytes 14-15 the TOD
 * programmable field), STORE CLOCK FAST (no uniqueness: values never
 * decrease), SET CLOCK (privileged; a doubleword-aligned operand), SET and
 * STORE CLOCK COMPARATOR, SET and STORE CPU TIMER; 4.6.2 "Clock Comparator"
 * (an interruption request exists while the TOD clock is greater than the
 * comparator: pending at once for a comparator in the past), 4.6.3 "CPU
 * Timer" (decremented like bit 51 of the clock; a request exists while it is
 * negative), 6.4 (external-interruption codes 0x1004 and 0x1005, CR0 bits
 * 52 and 53 the subclass masks).
 *
 * Timing: every bound is one the architecture sets (not before the
 * comparator, not while the timer is positive) or a generous 1 s for a
 * condition that already holds to be taken (a TCG vCPU may be descheduled).
 */
#include "asm/cr.h"
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"

#define MS	(1000 * TOD_PER_US)

static void stck_increases(void)
{
	uint64_t prev, now;
	unsigned int bad = 0, cc = 0;

	cc |= stck(&prev);
	for (int i = 0; i < 1000; i++) {
		cc |= stck(&now);
		bad += now <= prev;
		prev = now;
	}
	report_eq(0, cc, "STCK sets condition code 0 (clock in the set state)");
	report_eq(0, bad, "1000 successive STCKs each store a larger value");
	cc = 0;
	bad = 0;
	stckf(&prev);
	for (int i = 0; i < 1000; i++) {
		cc |= stckf(&now);
		bad += now < prev;
		prev = now;
	}
	report_eq(0, cc, "STCKF sets condition code 0");
	report_eq(0, bad, "1000 successive STCKFs never store a smaller value");
}

static uint64_t stcke_tod(const uint8_t *clk)
{
	uint64_t v = 0;

	for (int i = 1; i <= 8; i++)
		v = v << 8 | clk[i];
	return v;
}

static void stcke_format(void)
{
	uint8_t a[16], b[16];
	uint64_t mid;
	unsigned int bad = 0;

	report_eq(0, stcke(a), "STCKE sets condition code 0");
	stck(&mid);
	stcke(b);
	report(stcke_tod(a) <= mid && mid <= stcke_tod(b),
	       "STCK between two STCKEs lies between their TOD bits 0-63 (%#lx, %#lx, %#lx)",
	       stcke_tod(a), mid, stcke_tod(b));
	report_eq(0, a[0], "STCKE's epoch index is 0 (the clock was never set past 2042)");
	report_eq_x(0, a[14] << 8 | a[15],
		    "STCKE's programmable field is 0 (the TOD programmable register after reset)");
	for (int i = 0; i < 1000; i++) {
		memcpy(a, b, 16);
		stcke(b);
		bad += memcmp(b + 1, a + 1, 13) <= 0;
	}
	report_eq(0, bad, "1000 successive STCKEs each store larger TOD bits 0-103");
}

static uint64_t seen_tod[3];

static void read_tod(void *data)
{
	stck(data);
}

/* One clock for all CPUs: a value read on another CPU in between lies in between. */
static void shared(void)
{
	int last = cpu_count() - 1;

	stck(&seen_tod[0]);
	on_cpu(last, read_tod, &seen_tod[1]);
	stck(&seen_tod[2]);
	report(seen_tod[0] < seen_tod[1] && seen_tod[1] < seen_tod[2],
	       "CPU %d's clock, read between two of CPU 0's, lies between them (%#lx %#lx %#lx)",
	       last, seen_tod[0], seen_tod[1], seen_tod[2]);
}

static uint64_t user_sck(uint64_t arg)
{
	uint64_t v = arg;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("sck %1") : "+r"(ex) : "Q"(v) : "cc");
	return ex;
}

static void sck(void)
{
	uint64_t now, later, buf[2] __aligned(8);
	int cc;
	DECLARE_EXINFO(ex);

	stck(&now);
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_sck, now),
		   "SCK in the problem state is a privileged-operation exception, ILC 2");
	asm volatile(ASM_TRY("sck %1") : "+r"(ex) : "Q"(*(uint64_t *)((char *)buf + 4)) : "cc");
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "SCK of an operand not on a doubleword boundary is a specification exception");
	stck(&now);
	now += 1000 * MS;
	asm volatile("sck %1\n\tipm %0\n\tsrl %0,28" : "=d"(cc) : "Q"(now) : "cc");
	stck(&later);
	report_eq(0, cc, "SCK sets condition code 0");
	report(later >= now && later - now < 1000 * MS,
	       "STCK after SCK of the clock plus 1 s reads from there on (%#lx after %#lx)", later,
	       now);
}

/* External interruptions taken while waiting: the code of each, the TOD clock at the first. */
static volatile int ext_count;
static uint16_t ext_code;
static uint64_t ext_tod;

static void ext_handler(struct ex_regs *r)
{
	if (!ext_count++) {
		ext_code = r->info.ext_code;
		stck(&ext_tod);
	}
	/* Taken: the request stays while its condition holds, so end it. */
	if (r->info.ext_code == EXT_CLOCK_COMP)
		set_clock_comparator(~0ULL);
	else if (r->info.ext_code == EXT_CPU_TIMER)
		set_cpu_timer(INT64_MAX);
}

/* With interruptions enabled, wait until one came or @tod_end passed. */
static void wait_ext(uint64_t tod_end)
{
	local_irq_enable();
	while (!ext_count && get_clock() < tod_end)
		cpu_relax();
	local_irq_disable();
}

static void ckc_setup(uint64_t cr0_bits)
{
	ext_count = 0;
	ext_code = 0;
	install_int_handler(INT_EXT, ext_handler);
	ctl_set_bits(0, cr0_bits);
}

static void ckc_cleanup(uint64_t cr0_bits)
{
	ctl_clear_bits(0, cr0_bits);
	install_int_handler(INT_EXT, NULL);
	set_clock_comparator(~0ULL);
	set_cpu_timer(INT64_MAX);
}

static void clock_comparator(void)
{
	uint64_t ckc;

	ckc_setup(CR0_CLOCK_COMP);
	ckc = get_clock() + 10 * MS;
	set_clock_comparator(ckc);
	report_eq_x(ckc, get_clock_comparator(), "STCKC returns what SCKC set");
	wait_ext(ckc + 1000 * MS);
	report_eq(1, ext_count, "a comparator 10 ms ahead raises one external interruption");
	report_eq_x(EXT_CLOCK_COMP, ext_code, "its code is 0x1004 (clock comparator)");
	report(ext_count && ext_tod > ckc, "it comes after the clock passed the comparator");
	ckc_cleanup(CR0_CLOCK_COMP);
}

static void clock_comparator_masked(void)
{
	ckc_setup(0);
	set_clock_comparator(get_clock() + MS);
	wait_ext(get_clock() + 20 * MS);
	report_eq(0, ext_count, "with CR0 bit 52 zero a passed comparator raises nothing");
	ctl_set_bits(0, CR0_CLOCK_COMP);
	wait_ext(get_clock() + 1000 * MS);
	report_eq(1, ext_count, "enabling CR0 bit 52 then takes the pending comparator request");
	ckc_cleanup(CR0_CLOCK_COMP);
}

/* A comparator already in the past: the request exists at once. */
static void clock_comparator_past(void)
{
	ckc_setup(CR0_CLOCK_COMP);
	set_clock_comparator(0);
	wait_ext(get_clock() + 1000 * MS);
	report_eq(1, ext_count, "a comparator of 0 (in the past) raises an external interruption");
	ckc_cleanup(CR0_CLOCK_COMP);
}

/*
 * The count-down is read from an hour so that no descheduling of the vCPU lets the timer go
 * negative in between; the interruption is timed from a clock read before SPT (the timer
 * reaches zero 10 ms after SPT at the earliest).
 */
static void cpu_timer(void)
{
	const int64_t hour = 3600000 * (int64_t)MS;
	int64_t a, b;
	uint64_t start;

	ckc_setup(CR0_CPU_TIMER);
	set_cpu_timer(hour);
	a = get_cpu_timer();
	b = get_cpu_timer();
	report(a <= hour && b <= a && b > 0, "STPT after SPT of 1 h counts down (%ld, %ld)", a, b);
	start = get_clock();
	set_cpu_timer(10 * MS);
	wait_ext(start + 1000 * MS);
	report_eq(1, ext_count, "the CPU timer going negative raises one external interruption");
	report_eq_x(EXT_CPU_TIMER, ext_code, "its code is 0x1005 (CPU timer)");
	report(ext_count && ext_tod - start >= 10 * MS,
	       "it comes no sooner than 10 ms after SPT (%lu us)",
	       (unsigned long)((ext_tod - start) / TOD_PER_US));
	ckc_cleanup(CR0_CPU_TIMER);
}

static void cpu_timer_masked(void)
{
	int64_t timer;
	char got[24];

	ckc_setup(0);
	set_cpu_timer(MS);
	wait_ext(get_clock() + 20 * MS);
	report_eq(0, ext_count, "with CR0 bit 53 zero a negative CPU timer raises nothing");
	timer = get_cpu_timer();
	snprintf(got, sizeof(got), "%lld", (long long)timer);
	report_decoded(timer < 0, "a negative value", got, "STPT shows the timer went negative");
	ctl_set_bits(0, CR0_CPU_TIMER);
	wait_ext(get_clock() + 1000 * MS);
	report_eq(1, ext_count, "enabling CR0 bit 53 then takes the pending CPU-timer request");
	ckc_cleanup(CR0_CPU_TIMER);
}

static const struct subtest tests[] = {
	SUBTEST(stck_increases),
	SUBTEST(stcke_format),
	SUBTEST_SMP(shared, NULL, 2),
	SUBTEST(sck),
	SUBTEST(clock_comparator),
	SUBTEST(clock_comparator_masked),
	SUBTEST(clock_comparator_past),
	SUBTEST(cpu_timer),
	SUBTEST(cpu_timer_masked),
};

SUBTESTS_MAIN(tests)
