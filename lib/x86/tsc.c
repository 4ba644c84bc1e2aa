// SPDX-License-Identifier: MIT
/*
 * TSC rate against PIT channel 0, the one clock every x86 VMM here has at
 * a known rate (PIT_HZ, 82C54 datasheet). CPUID leaf 15H would state the
 * rate on Intel models that enumerate it, but not on AMD ones nor under
 * every VMM, and a VMM's statement is itself something tests check: the
 * measurement is what lib trusts.
 */
#include "asm/pit.h"
#include "asm/processor.h"
#include "tsc.h"

/* About 10 ms of PIT ticks: long enough for 1% against the sample widths below. */
#define CAL_PIT_TICKS	11932
#define CAL_SAMPLES	8

struct sample {
	uint64_t tsc, width;	/* TSC at the PIT read, within +/- width / 2 */
	uint64_t pit;		/* PIT ticks gone since the start */
};

struct pit_clock {
	uint16_t last;
	uint64_t gone;
};

/*
 * A PIT read between two RDTSCs: a vCPU descheduled in between shows as a
 * wide bracket, so the narrowest of a few samples is kept.
 */
static void take(struct sample *s, struct pit_clock *c)
{
	uint64_t t0 = rdtsc(), t1;
	uint16_t now = pit_count();

	t1 = rdtsc();
	c->gone += (uint16_t)(c->last - now);
	c->last = now;
	s->pit = c->gone;
	s->tsc = t0 + (t1 - t0) / 2;
	s->width = t1 - t0;
}

static void best_of(struct sample *best, struct pit_clock *c)
{
	struct sample s;

	best->width = ~0ULL;
	for (int i = 0; i < CAL_SAMPLES; i++) {
		take(&s, c);
		if (s.width < best->width)
			*best = s;
	}
}

static uint64_t measure(void)
{
	struct pit_clock c = { pit_count(), 0 };
	struct sample a, b;

	best_of(&a, &c);
	do
		take(&b, &c);
	while (b.pit < a.pit + CAL_PIT_TICKS);
	best_of(&b, &c);
	return (b.tsc - a.tsc) * PIT_HZ / (b.pit - a.pit);
}

static uint64_t hz;

uint64_t tsc_hz(void)
{
	uint64_t h = __atomic_load_n(&hz, __ATOMIC_ACQUIRE);

	if (!h) {
		h = measure();
		if (!h)
			h = 1;
		__atomic_store_n(&hz, h, __ATOMIC_RELEASE);
	}
	return h;
}

uint64_t tsc_from_us(uint64_t us)
{
	return us * (tsc_hz() / 1000) / 1000;
}

uint64_t tsc_to_us(uint64_t ticks)
{
	return ticks * 1000 / (tsc_hz() / 1000);
}
