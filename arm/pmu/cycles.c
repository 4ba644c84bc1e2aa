// SPDX-License-Identifier: MIT
/*
 * Counting at EL1: the cycle counter (enables, 64-bit value, overflow per
 * PMCR_EL0.LC), INST_RETIRED over a loop of known length, and filtering by
 * Exception level with PMEVTYPER<n>_EL0.P/U and PMCCFILTR_EL0. The spec
 * references are in main.c.
 */
#include "asm/timer.h"
#include "pmu.h"

/* Long enough for any clock to tick; the checks compare values, not rates. */
#define SPIN_US		1000

/* PMCCNTR_EL0 before and after SPIN_US microseconds at EL1. */
static bool cycles_advance(uint64_t *before, uint64_t *after)
{
	*before = read_sysreg(pmccntr_el0);
	udelay(SPIN_US);
	*after = read_sysreg(pmccntr_el0);
	return *after > *before;
}

static void report_stopped(const char *why)
{
	uint64_t a, b;

	report(!cycles_advance(&a, &b) && a == b, "PMCCNTR_EL0 does not count %s (%#lx -> %#lx)",
	       why, a, b);
}

void cycle_counter(void)
{
	uint64_t a, b;

	pmu_reset();
	write_sysreg(0x0123456789abcdefUL, pmccntr_el0);
	isb();
	report_eq_x(0x0123456789abcdefUL, read_sysreg(pmccntr_el0),
		    "PMCCNTR_EL0 holds a 64-bit value while stopped");
	write_sysreg(PMCR_LC | PMCR_C, pmcr_el0);
	isb();
	report_eq_x(0, read_sysreg(pmccntr_el0), "PMCR_EL0.C zeroes the stopped PMCCNTR_EL0");

	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	report_stopped("while PMCNTENSET_EL0 bit 31 is 0");
	write_sysreg(PMU_CYCLE_BIT, pmcntenset_el0);
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	report_stopped("while PMCR_EL0.E is 0");
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	report(cycles_advance(&a, &b), "PMCCNTR_EL0 counts with PMCR_EL0.E and PMCNTENSET_EL0 "
	       "bit 31 set (%#lx -> %#lx)", a, b);
	write_sysreg(PMU_CYCLE_BIT, pmcntenclr_el0);
	isb();
	report_stopped("after PMCNTENCLR_EL0 bit 31 is written");
	pmu_reset();
}

/*
 * Let the cycle counter run from @start until it has counted @distance
 * cycles (wrapping around 2^64 if need be); false if it does not get there
 * within a second.
 */
static bool run_cycles(uint64_t start, uint64_t distance, uint64_t *end)
{
	uint64_t deadline = read_cntvct() + timer_freq();

	write_sysreg(PMU_CYCLE_BIT, pmovsclr_el0);
	write_sysreg(start, pmccntr_el0);
	write_sysreg(PMU_CYCLE_BIT, pmcntenset_el0);
	isb();
	do {
		*end = read_sysreg(pmccntr_el0);
	} while (*end - start < distance && read_cntvct() < deadline);
	write_sysreg(PMU_CYCLE_BIT, pmcntenclr_el0);
	isb();
	*end = read_sysreg(pmccntr_el0);
	return *end - start >= distance;
}

static bool cycle_ovf(void)
{
	return read_sysreg(pmovsset_el0) & PMU_CYCLE_BIT;
}

/*
 * AArch64.IncrementCycleCounter(): PMCCNTR_EL0 always keeps 64 bits; the
 * overflow flag follows the carry out of bit 63, or of bit 31 when
 * PMCR_EL0.LC is 0 and AArch32 is implemented.
 */
void cycle_overflow(void)
{
	uint64_t end;
	bool ran;

	pmu_reset();
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	ran = run_cycles(-4096UL, 8192, &end);
	report(ran && end < BIT_ULL(63) && cycle_ovf(),
	       "with PMCR_EL0.LC 1, PMCCNTR_EL0 wraps at 2^64 and sets PMOVSSET_EL0 bit 31 "
	       "(end %#lx)", end);
	ran = run_cycles(BIT_ULL(32) - 4096, 8192, &end);
	report(ran && end > BIT_ULL(32) && !cycle_ovf(),
	       "with PMCR_EL0.LC 1, PMCCNTR_EL0 passes 2^32 without overflow (end %#lx)", end);
	if (pmu_has_aarch32()) {
		write_sysreg(PMCR_E, pmcr_el0);
		ran = run_cycles(BIT_ULL(32) - 4096, 8192, &end);
		report(ran && end > BIT_ULL(32) && cycle_ovf(),
		       "with PMCR_EL0.LC 0, PMCCNTR_EL0 passes 2^32 and sets PMOVSSET_EL0 bit 31 "
		       "(end %#lx)", end);
	} else {
		report_skip("AArch32 not implemented: PMCR_EL0.LC is RES1");
	}
	pmu_reset();
}

const char *need_inst_retired(void)
{
	const char *why = need_counter();

	if (why)
		return why;
	return pmu_has_event(PMU_EVT_INST_RETIRED) ? NULL :
	       "PMCEID0_EL0 does not list INST_RETIRED (0x08)";
}

/*
 * Counter 0 is enabled, then @iters iterations of a two-instruction loop
 * run, then it is disabled:
 *
 *	msr	pmcntenset_el0	(A)	the write takes effect for the
 *	isb			(B)	  instructions after B
 *   1:	subs			loop	2 * iters instructions, all counted
 *	b.ne	1b
 *	msr	pmcntenclr_el0	(C)	the write takes effect for the
 *	isb			(D)	  instructions after D
 *
 * Every loop instruction executes with the counter enabled, so at least
 * 2 * iters are counted. Whether A, B, C and D are counted depends on when
 * the writes take effect before the ISBs: at most 4 more. Nothing else runs
 * in between (IRQs are masked), so the count lies in [2 * iters,
 * 2 * iters + 4] on any implementation that counts exactly.
 */
static uint64_t count_loop(uint64_t iters)
{
	uint64_t mask = BIT(0);

	pmevcntr_write(0, 0);
	isb();
	asm volatile("msr	pmcntenset_el0, %[m]\n\t"
		     "isb\n"
		     "1:	subs	%[i], %[i], #1\n\t"
		     "b.ne	1b\n\t"
		     "msr	pmcntenclr_el0, %[m]\n\t"
		     "isb"
		     : [i] "+r"(iters) : [m] "r"(mask) : "cc", "memory");
	return pmevcntr_read(0);
}

#define LOOP_OVERHEAD	4

void inst_retired(void)
{
	static const uint64_t iters[] = { 1, 100, 10000 };
	uint64_t n;

	pmu_reset();
	pmevtyper_write(0, PMU_EVT_INST_RETIRED);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	for (size_t i = 0; i < ARRAY_SIZE(iters); i++) {
		n = count_loop(iters[i]);
		report(n >= 2 * iters[i] && n <= 2 * iters[i] + LOOP_OVERHEAD,
		       "INST_RETIRED over %lu loop iterations lies in [%lu, %lu] (got %lu)",
		       iters[i], 2 * iters[i], 2 * iters[i] + LOOP_OVERHEAD, n);
	}
	/* Everything between enable and disable runs at EL1. */
	pmevtyper_write(0, PMU_EVT_INST_RETIRED | PMEVTYPER_P);
	isb();
	report_eq(0, count_loop(100), "INST_RETIRED with PMEVTYPER0_EL0.P 1 counts nothing at EL1");
	pmevtyper_write(0, PMU_EVT_INST_RETIRED | PMEVTYPER_U);
	isb();
	n = count_loop(100);
	report(n >= 200 && n <= 200 + LOOP_OVERHEAD,
	       "INST_RETIRED with PMEVTYPER0_EL0.U 1 still counts at EL1 (got %lu)", n);
	pmu_reset();
}

/* SW_INCR is an event like any other: CountPMUEvents() filters it by the writer's EL. */
void el1_filter(void)
{
	uint64_t a, b;

	pmu_reset();
	write_sysreg(BIT(0) | PMU_CYCLE_BIT, pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	pmevtyper_write(0, PMU_EVT_SW_INCR | PMEVTYPER_P);
	isb();
	pmu_sw_incr(0, 5);
	report_eq(0, pmevcntr_read(0), "SW_INCR written at EL1 is not counted with P 1");
	pmevtyper_write(0, PMU_EVT_SW_INCR | PMEVTYPER_U);
	isb();
	pmu_sw_incr(0, 5);
	report_eq(5, pmevcntr_read(0), "SW_INCR written at EL1 is counted with U 1, P 0");

	write_sysreg(PMEVTYPER_P, pmccfiltr_el0);
	isb();
	report_stopped("at EL1 with PMCCFILTR_EL0.P 1");
	write_sysreg(PMEVTYPER_U, pmccfiltr_el0);
	isb();
	report(cycles_advance(&a, &b), "PMCCNTR_EL0 counts at EL1 with PMCCFILTR_EL0.U 1, P 0 "
	       "(%#lx -> %#lx)", a, b);
	pmu_reset();
}
