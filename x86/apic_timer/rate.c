// SPDX-License-Identifier: MIT
/*
 * The APIC timer's rate against the TSC, and against what CPUID leaf 15H
 * states (SDM vol. 3A 11.5.4: the timer counts the bus clock, or the core
 * crystal clock where leaf 15H enumerates the TSC/crystal ratio; vol. 2A
 * CPUID 15H: TSC = crystal * EBX / EAX, ECX the crystal in Hz if not 0).
 *
 * How the bounds are derived: a sample is a read of the current count (or
 * of the PIT) between two RDTSCs; the true TSC at the read lies within
 * that bracket. Over an interval of about 10 ms between two samples the
 * TSC ticks elapsed are known to within the two half-widths, the counts to
 * within one (the count is read once per sample). The narrowest of 8
 * samples is taken at each end, so a vCPU descheduled in one bracket only
 * widens that one. On top, 1000 ppm for the VMM deriving the two clocks
 * from different host clocks (QEMU TCG: the host TSC and CLOCK_MONOTONIC,
 * which NTP may slew by up to 500 ppm). Nothing else is allowed for: a
 * timer within those bounds is right, one outside is wrong.
 */
#include "timer.h"
#include "asm/pit.h"

#define SAMPLES		8
#define INTERVAL_US	10000
#define SLEW_PPM	1000

const struct divide divides[8] = {
	{ 0xb, 1 }, { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 },
	{ 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 },
};

struct sample {
	uint64_t tsc, width;
	uint64_t value;
};

/* The narrowest of SAMPLES brackets of a @read. */
static struct sample sample(uint64_t (*read)(void))
{
	struct sample best = { .width = ~0ULL };

	for (int i = 0; i < SAMPLES; i++) {
		uint64_t t0 = rdtsc(), v = read(), t1 = rdtsc();

		if (t1 - t0 < best.width)
			best = (struct sample){ t0 + (t1 - t0) / 2, t1 - t0, v };
	}
	return best;
}

static uint64_t read_tmcct(void)
{
	return apic_read(APIC_TMCCT);
}

/*
 * [lo, hi] of @ticks per @counts, fixed point, with @err ticks of bracket
 * error and one count of quantization, widened by SLEW_PPM.
 */
static void bounds(struct ratio *r, uint64_t ticks, uint64_t err, uint64_t counts)
{
	unsigned __int128 lo = (unsigned __int128)(ticks > err ? ticks - err : 0) << RATIO_SHIFT;
	unsigned __int128 hi = (unsigned __int128)(ticks + err) << RATIO_SHIFT;

	r->counts = counts;
	r->ticks = ticks;
	r->lo = lo / (counts + 1) * (1000000 - SLEW_PPM) / 1000000;
	r->hi = counts > 1 ? hi / (counts - 1) * (1000000 + SLEW_PPM) / 1000000 : ~0ULL;
}

bool measure(const struct divide *d, struct ratio *r)
{
	struct sample a, b;
	uint64_t end;

	apic_write(APIC_LVTT, APIC_LVT_MASKED | VEC_TIMER);
	apic_write(APIC_TDCR, d->tdcr);
	apic_write(APIC_TMICT, 0xffffffff);
	a = sample(read_tmcct);
	end = a.tsc + tsc_from_us(INTERVAL_US);
	while (rdtsc() < end)
		pause();
	b = sample(read_tmcct);
	apic_write(APIC_TMICT, 0);
	if (!report(a.value > b.value, "the current count falls at divide by %u", d->by))
		return false;
	bounds(r, b.tsc - a.tsc, (a.width + b.width) / 2, a.value - b.value);
	return true;
}

static struct ratio base;
static bool have_base;

const struct ratio *base_ratio(void)
{
	if (!have_base) {
		irq_disable();
		if (!measure(&divides[0], &base))
			report_abort("the APIC timer does not count: no rate to test against");
		have_base = true;
	}
	return &base;
}

bool overlaps(const struct ratio *r, uint64_t want_lo, uint64_t want_hi)
{
	return r->lo <= want_hi && want_lo <= r->hi;
}

uint32_t counts_for_us(unsigned int us)
{
	const struct ratio *r = base_ratio();
	uint64_t n = r->counts * us / tsc_to_us(r->ticks);

	return MAX(n, 1000);
}

uint64_t min_ticks(uint64_t counts)
{
	return (unsigned __int128)counts * base_ratio()->lo >> RATIO_SHIFT;
}

/*
 * The rate found (information: the SDM leaves the bus clock to the
 * platform), and SDM 11.5.4: a write of the initial count starts the count
 * there, which then falls.
 */
void timer_rate(void)
{
	const struct ratio *r = base_ratio();
	uint32_t cur;

	report_info("APIC timer at divide 1: %lu counts in %lu TSC ticks (%lu Hz at %lu TSC Hz)",
		    r->counts, r->ticks, r->counts * tsc_hz() / r->ticks, tsc_hz());
	irq_disable();
	timer_arm(APIC_LVT_MASKED | VEC_TIMER, 0xfffffff0);
	cur = apic_read(APIC_TMCCT);
	report_eq_x(0xfffffff0, apic_read(APIC_TMICT), "the initial count reads back as written");
	report(cur <= 0xfffffff0 && cur > 0x80000000,
	       "the current count starts at the initial count and falls");
	timer_stop();
}

/*
 * SDM figure 11-10: the divide configuration register reads back its
 * bits 3, 1, 0; the count falls at the divided rate.
 */
void divide_config(void)
{
	const struct ratio *one = base_ratio();

	for (size_t i = 0; i < ARRAY_SIZE(divides); i++) {
		const struct divide *d = &divides[i];
		struct ratio r;
		char exp[48], got[48];

		apic_write(APIC_TDCR, d->tdcr);
		report_eq_x(d->tdcr, apic_read(APIC_TDCR) & 0xb, "TDCR reads back %#x", d->tdcr);
		if (i == 0 || !measure(d, &r))
			continue;
		snprintf(exp, sizeof(exp), "%lu..%lu", one->lo * d->by, one->hi * d->by);
		snprintf(got, sizeof(got), "%lu..%lu", r.lo, r.hi);
		report_decoded(overlaps(&r, one->lo * d->by, one->hi * d->by), exp, got,
			       "TDCR %#x counts %u times slower than divide by 1 (TSC ticks per "
			       "count, fixed point)", d->tdcr, d->by);
	}
	timer_stop();
}

static uint64_t read_pit(void)
{
	return pit_count();
}

const char *needs_leaf_15h(void)
{
	const char *why = apic_args_mode();
	struct cpuid c;

	if (why)
		return why;
	if (cpuid(0).a < 0x15)
		return "CPUID leaf 15H not enumerated";
	c = cpuid(0x15);
	return c.a && c.b ? NULL : "CPUID leaf 15H gives no TSC/crystal ratio";
}

/* The TSC against the PIT (82C54: PIT_HZ), for the crystal rate of leaf 15H. */
static void tsc_against_pit(const struct cpuid *c)
{
	uint64_t want = (uint64_t)c->c * c->b / c->a, hz;
	struct sample a = sample(read_pit), b;
	char exp[32], got[48];
	uint64_t gone = 0, last = a.value, end = a.tsc + tsc_from_us(INTERVAL_US);
	struct ratio r;

	do {
		b = sample(read_pit);
		gone += (uint16_t)(last - b.value);
		last = b.value;
	} while (b.tsc < end);
	bounds(&r, b.tsc - a.tsc, (a.width + b.width) / 2, gone);
	hz = (want << RATIO_SHIFT) / PIT_HZ;
	snprintf(exp, sizeof(exp), "%lu", hz);
	snprintf(got, sizeof(got), "%lu..%lu", r.lo, r.hi);
	report_decoded(overlaps(&r, hz, hz), exp, got,
		       "the TSC runs at CPUID 15H's crystal * EBX / EAX (TSC ticks per PIT tick)");
}

/*
 * SDM 11.5.4: with leaf 15H's ratio enumerated the timer counts the core
 * crystal clock, so TSC ticks per count at divide by 1 are EBX / EAX.
 */
void crystal_15h(void)
{
	struct cpuid c = cpuid(0x15);
	const struct ratio *one = base_ratio();
	uint64_t want = ((uint64_t)c.b << RATIO_SHIFT) / c.a;
	char exp[32], got[48];

	snprintf(exp, sizeof(exp), "%lu", want);
	snprintf(got, sizeof(got), "%lu..%lu", one->lo, one->hi);
	report_decoded(overlaps(one, want, want), exp, got,
		       "the timer counts the crystal: %u TSC ticks per %u counts (CPUID 15H)",
		       c.b, c.a);
	if (c.c)
		tsc_against_pit(&c);
	else
		report_skip("TSC against the crystal: CPUID 15H gives no crystal frequency");
}
