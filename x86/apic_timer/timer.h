/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the apic_timer image: the measured rate of the APIC
 * timer against the TSC, with its error bounds, and the helpers that arm
 * and disarm the timer.
 */
#ifndef X86_APIC_TIMER_H
#define X86_APIC_TIMER_H

#include "arch.h"
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "irq.h"
#include "report.h"
#include "tsc.h"

#define VEC_TIMER	0x61
#define RATIO_SHIFT	20	/* ratios are fixed point with 20 fraction bits */

/*
 * TSC ticks per timer count, as an interval [lo, hi] (fixed point) that
 * holds the true value whatever the VMM's scheduling did to the samples.
 */
struct ratio {
	uint64_t lo, hi;
	uint64_t counts, ticks;	/* what was measured: counts in TSC ticks */
};

/* The divide configuration values (SDM figure 11-10) and their divisors. */
struct divide {
	uint32_t tdcr;
	unsigned int by;
};

extern const struct divide divides[8];

/*
 * measure() - TSC ticks per count of the timer with divide configuration
 * @d, over about 10 ms. Returns false (after a FAIL) if the count does
 * not move.
 */
bool measure(const struct divide *d, struct ratio *r);

/* The ratio at divide by 1, measured once. */
const struct ratio *base_ratio(void);

/* Whether [lo, hi] and [want_lo, want_hi] overlap. */
bool overlaps(const struct ratio *r, uint64_t want_lo, uint64_t want_hi);

/* A count of about @us microseconds at divide by 1, at least 1000. */
uint32_t counts_for_us(unsigned int us);

/* The least TSC ticks @counts timer counts (divide by 1) can last. */
uint64_t min_ticks(uint64_t counts);

/* Arm: LVT timer @lvt (mode, mask, vector), divide by 1, initial count @count. */
void timer_arm(uint32_t lvt, uint32_t count);
/* Stop the timer and mask it; leave the TSC deadline 0. */
void timer_stop(void);
/* timer_stop(), then what it left pending is taken and VEC_TIMER uninstalled. */
void timer_done(void);

const char *needs_mode(void);
const char *needs_tsc_deadline(void);

/* Subtests. */
void timer_rate(void);
void crystal_15h(void);
const char *needs_leaf_15h(void);
void divide_config(void);
void oneshot(void);
void periodic(void);
void masking(void);
void rearm_disarm(void);
void deadline_fires(void);
void deadline_modes(void);

#endif
