// SPDX-License-Identifier: MIT
/*
 * PMU control at EL1: PMCR_EL0, the set/clear register pairs, SW_INCR
 * counting, PMCR_EL0.P/C, PMSELR_EL0 indirection, event counter overflow
 * (PMCR_EL0.LP), CHAIN and the counters past PMCR_EL0.N. The spec
 * references are in main.c.
 */
#include "asm/timer.h"
#include "pmu.h"

static bool pmuver_architected(unsigned int ver)
{
	switch (ver) {
	case PMUVER_V3:
	case PMUVER_V3P1:
	case PMUVER_V3P4:
	case PMUVER_V3P5:
	case PMUVER_V3P7:
	case PMUVER_V3P8:
	case PMUVER_V3P9:
		return true;
	}
	return false;
}

/* PMCR_EL0 @bit reads back 1 and then 0 as written (LC kept set otherwise). */
static void pmcr_bit_rw(uint64_t bit, const char *name)
{
	uint64_t base = PMCR_LC & ~bit, one, zero;

	write_sysreg(base | bit, pmcr_el0);
	isb();
	one = read_sysreg(pmcr_el0) & bit;
	write_sysreg(base, pmcr_el0);
	isb();
	zero = read_sysreg(pmcr_el0) & bit;
	report(one == bit && !zero, "PMCR_EL0.%s reads back 1 and 0 as written (got %#lx, %#lx)",
	       name, one, zero);
}

void pmcr(void)
{
	unsigned int ver = pmu_version();
	uint64_t v;

	pmu_reset();
	v = read_sysreg(pmcr_el0);
	report_info("PMUVer %#x, PMCR_EL0 %#lx: IMP %#lx, IDCODE %#lx, N %lu", ver, v,
		    (v >> PMCR_IMP_SHIFT) & 0xff, (v >> PMCR_IDCODE_SHIFT) & 0xff,
		    (v >> PMCR_N_SHIFT) & PMCR_N_MASK);
	report(pmuver_architected(ver),
	       "ID_AA64DFR0_EL1.PMUVer %#x is an architected PMUv3 version", ver);

	write_sysreg((v & ~PMCR_RO_MASK) | (~v & PMCR_RO_MASK), pmcr_el0);
	isb();
	report_eq_x(v & PMCR_RO_MASK, read_sysreg(pmcr_el0) & PMCR_RO_MASK,
		    "PMCR_EL0.IMP, IDCODE and N ignore writes");

	write_sysreg(PMCR_LC | PMCR_E | PMCR_P | PMCR_C, pmcr_el0);
	isb();
	report_eq_x(PMCR_E, read_sysreg(pmcr_el0) & (PMCR_E | PMCR_P | PMCR_C),
		    "PMCR_EL0.E reads back 1, the write-only P and C read as 0");
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	report_eq_x(0, read_sysreg(pmcr_el0) & PMCR_E, "PMCR_EL0.E reads back 0");

	if (pmu_has_aarch32())
		pmcr_bit_rw(PMCR_LC, "LC");
	else
		report_skip("AArch32 not implemented: PMCR_EL0.LC is RES1, not read/write");
	if (ver >= PMUVER_V3P5)
		pmcr_bit_rw(PMCR_LP, "LP");
	else
		report_skip("PMUVer %#x is below PMUv3p5: PMCR_EL0.LP is RES0", ver);
	pmu_reset();
}

struct setclr {
	const char *name;
	uint64_t (*read_set)(void);
	uint64_t (*read_clr)(void);
	void (*write_set)(uint64_t v);
	void (*write_clr)(uint64_t v);
};

#define SETCLR_FNS(set, clr)						\
	static uint64_t set##_rd(void)					\
	{								\
		return read_sysreg(set);				\
	}								\
	static uint64_t clr##_rd(void)					\
	{								\
		return read_sysreg(clr);				\
	}								\
	static void set##_wr(uint64_t v)				\
	{								\
		write_sysreg(v, set);					\
		isb();							\
	}								\
	static void clr##_wr(uint64_t v)				\
	{								\
		write_sysreg(v, clr);					\
		isb();							\
	}
#define SETCLR(set, clr)	{ #set "/" #clr, set##_rd, clr##_rd, set##_wr, clr##_wr }

SETCLR_FNS(pmcntenset_el0, pmcntenclr_el0)
SETCLR_FNS(pmintenset_el1, pmintenclr_el1)
SETCLR_FNS(pmovsset_el0, pmovsclr_el0)

static const struct setclr setclr_regs[] = {
	SETCLR(pmcntenset_el0, pmcntenclr_el0),
	SETCLR(pmintenset_el1, pmintenclr_el1),
	SETCLR(pmovsset_el0, pmovsclr_el0),
};

/*
 * Bits 30:N of each pair are RAZ/WI: writing ones sets exactly the N event
 * counters and the cycle counter, which ties PMCR_EL0.N to the counters.
 * PMCR_EL0.E stays 0, so no overflow interrupt is requested meanwhile.
 */
void enable_masks(void)
{
	uint64_t all = pmu_all_counters(), some = all & ~(PMU_CYCLE_BIT | BIT(0));

	pmu_reset();
	for (size_t i = 0; i < ARRAY_SIZE(setclr_regs); i++) {
		const struct setclr *r = &setclr_regs[i];

		r->write_set(0xffffffffUL);
		report_eq_x(all, r->read_set(), "%s: ones set bit 31 and the N counter bits only",
			    r->name);
		report_eq_x(all, r->read_clr(), "%s: the clear register reads the same bits",
			    r->name);
		r->write_clr(PMU_CYCLE_BIT | BIT(0));
		report_eq_x(some, r->read_set(), "%s: ones to the clear register clear those bits",
			    r->name);
		r->write_clr(0xffffffffUL);
		report_eq_x(0, r->read_set(), "%s: clearing all leaves no bit set", r->name);
	}
	pmu_reset();
}

static void enable_event_counters(void)
{
	write_sysreg(pmu_all_counters() & ~PMU_CYCLE_BIT, pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
}

void sw_incr(void)
{
	unsigned int n = pmu_nr_counters(), bad = n;
	uint64_t before[PMU_MAX_COUNTERS], v;

	pmu_reset();
	enable_event_counters();
	for (unsigned int i = 0; i < n; i++)
		pmu_sw_incr(i, i + 3);
	for (unsigned int i = 0; i < n; i++)
		report_eq(i + 3, pmevcntr_read(i),
			  "PMEVCNTR%u_EL0 counts each of %u writes of PMSWINC_EL0 bit %u",
			  i, i + 3, i);

	/* Bits 30:N of PMSWINC_EL0 are WI: one write increments every counter once. */
	for (unsigned int i = 0; i < n; i++)
		before[i] = pmevcntr_read(i);
	write_sysreg(GENMASK(30, 0), pmswinc_el0);
	isb();
	for (unsigned int i = n; i-- > 0;)
		if (pmevcntr_read(i) != before[i] + 1)
			bad = i;
	report(bad == n, "one PMSWINC_EL0 write of bits 30:0 adds 1 to each of the %u counters%s",
	       n, bad == n ? "" : " (a counter did not)");

	write_sysreg(BIT(0), pmcntenclr_el0);
	isb();
	v = pmevcntr_read(0);
	pmu_sw_incr(0, 4);
	report_eq(v, pmevcntr_read(0), "SW_INCR is not counted while PMCNTENSET_EL0 bit 0 is 0");
	write_sysreg(BIT(0), pmcntenset_el0);
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	pmu_sw_incr(0, 4);
	report_eq(v, pmevcntr_read(0), "SW_INCR is not counted while PMCR_EL0.E is 0");
	pmu_reset();
}

void counter_reset(void)
{
	unsigned int n = pmu_nr_counters();
	bool zero = true;

	pmu_reset();
	for (unsigned int i = 0; i < n; i++)
		pmevcntr_write(i, 0x1000 + i);
	write_sysreg(0x5000, pmccntr_el0);
	write_sysreg(BIT(0), pmovsset_el0);
	write_sysreg(PMCR_LC | PMCR_P, pmcr_el0);
	isb();
	for (unsigned int i = 0; i < n; i++)
		zero &= !pmevcntr_read(i);
	report(zero, "PMCR_EL0.P zeroes all %u event counters", n);
	report_eq_x(0x5000, read_sysreg(pmccntr_el0), "PMCR_EL0.P leaves PMCCNTR_EL0 alone");
	report_eq_x(BIT(0), read_sysreg(pmovsset_el0) & BIT(0),
		    "PMCR_EL0.P does not clear the overflow flags");

	pmevcntr_write(0, 7);
	write_sysreg(PMCR_LC | PMCR_C, pmcr_el0);
	isb();
	report_eq_x(0, read_sysreg(pmccntr_el0), "PMCR_EL0.C zeroes PMCCNTR_EL0");
	report_eq_x(7, pmevcntr_read(0), "PMCR_EL0.C leaves the event counters alone");
	pmu_reset();
}

/* The lowest common event number 0x01-0x3f that PMCEID0/1_EL0 do not list, or 0. */
static unsigned int unlisted_event(void)
{
	uint64_t listed = (read_sysreg(pmceid0_el0) & 0xffffffff) |
			  (read_sysreg(pmceid1_el0) & 0xffffffff) << 32;

	for (unsigned int evt = 1; evt < 64; evt++)
		if (!(listed & BIT_ULL(evt)))
			return evt;
	return 0;
}

/*
 * PMEVTYPER<n>_EL0: an event of 0x0000-0x003f that the PE does not
 * implement counts nothing, and evtCount reads back as written.
 */
void unimplemented_event(void)
{
	unsigned int evt = unlisted_event();

	if (!evt) {
		report_skip("PMCEID0/1_EL0 list every event 0x01-0x3f");
		return;
	}
	pmu_reset();
	pmevtyper_write(0, evt);
	enable_event_counters();
	report_eq_x(evt, pmevtyper_read(0) & 0xffff,
		    "PMEVTYPER0_EL0.evtCount reads back an unimplemented event number");
	pmu_sw_incr(0, 3);
	udelay(1000);
	report_eq(0, pmevcntr_read(0), "a counter set to unimplemented event %#x counts nothing",
		  evt);
	pmu_reset();
}

#define TYPE_FIELDS	(PMEVTYPER_P | PMEVTYPER_U | 0xffff)

void indirect_access(void)
{
	unsigned int n = pmu_nr_counters();
	bool cnt = true, type = true, back = true;

	pmu_reset();
	for (unsigned int i = 0; i < n; i++) {
		write_sysreg(i, pmselr_el0);
		isb();
		write_sysreg(0x2000 + i, pmxevcntr_el0);
		write_sysreg((i & 1 ? PMEVTYPER_P : PMEVTYPER_U) | PMU_EVT_SW_INCR, pmxevtyper_el0);
	}
	isb();
	for (unsigned int i = 0; i < n; i++) {
		cnt &= pmevcntr_read(i) == 0x2000 + i;
		type &= (pmevtyper_read(i) & TYPE_FIELDS) == (i & 1 ? PMEVTYPER_P : PMEVTYPER_U);
		pmevcntr_write(i, 0x3000 + i);
		write_sysreg(i, pmselr_el0);
		isb();
		back &= read_sysreg(pmxevcntr_el0) == 0x3000 + i;
	}
	if (n) {
		report(cnt, "PMXEVCNTR_EL0 writes reach PMEVCNTR<n>_EL0, n = PMSELR_EL0.SEL < N");
		report(type,
		       "PMXEVTYPER_EL0 writes reach PMEVTYPER<n>_EL0, n = PMSELR_EL0.SEL < N");
		report(back, "PMXEVCNTR_EL0 reads PMEVCNTR<n>_EL0, n = PMSELR_EL0.SEL < N");
	} else {
		report_skip("PMCR_EL0.N is 0: no event counter to select");
	}

	write_sysreg(31, pmselr_el0);
	isb();
	report_eq(31, read_sysreg(pmselr_el0) & 0x1f, "PMSELR_EL0.SEL holds 31");
	write_sysreg(PMEVTYPER_P, pmxevtyper_el0);
	isb();
	report_eq_x(PMEVTYPER_P, read_sysreg(pmccfiltr_el0) & (PMEVTYPER_P | PMEVTYPER_U),
		    "PMXEVTYPER_EL0 writes PMCCFILTR_EL0 when PMSELR_EL0.SEL is 31");
	write_sysreg(PMEVTYPER_U, pmccfiltr_el0);
	isb();
	report_eq_x(PMEVTYPER_U, read_sysreg(pmxevtyper_el0) & (PMEVTYPER_P | PMEVTYPER_U),
		    "PMXEVTYPER_EL0 reads PMCCFILTR_EL0 when PMSELR_EL0.SEL is 31");
	pmu_reset();
}

/* One SW_INCR of counter 0 from @start; returns the new value, *ovf the PMOVSSET_EL0 bit. */
static uint64_t step_from(uint64_t start, bool *ovf)
{
	write_sysreg(BIT(0), pmovsclr_el0);
	pmevcntr_write(0, start);
	pmu_sw_incr(0, 1);
	*ovf = read_sysreg(pmovsset_el0) & BIT(0);
	return pmevcntr_read(0);
}

/*
 * AArch64.IncrementEventCounter(): an event counter overflows when bit 31
 * (LP = 0) or bit 63 (LP = 1) carries out; from PMUv3p5 the counter keeps
 * all 64 bits, before it bits 63:32 read as zero.
 */
void counter_overflow(void)
{
	bool v3p5 = pmu_version() >= PMUVER_V3P5, ovf;
	uint64_t v;

	pmu_reset();
	enable_event_counters();
	v = step_from(0xfffffffe, &ovf);
	report(v == 0xffffffff && !ovf, "an SW_INCR to 0xffffffff does not overflow (got %#lx%s)",
	       v, ovf ? ", overflow" : "");
	v = step_from(0xffffffff, &ovf);
	report_eq_x(v3p5 ? BIT_ULL(32) : 0, v, "with PMCR_EL0.LP 0, SW_INCR from 0xffffffff %s",
		    v3p5 ? "carries into bit 32 (PMUv3p5)" : "wraps to 0");
	report(ovf, "with PMCR_EL0.LP 0, the carry out of bit 31 sets PMOVSSET_EL0 bit 0");
	if (!v3p5) {
		report_skip("PMUVer below PMUv3p5: no 64-bit event counters, no PMCR_EL0.LP");
		pmu_reset();
		return;
	}
	write_sysreg(PMCR_LC | PMCR_LP | PMCR_E, pmcr_el0);
	isb();
	v = step_from(0xffffffff, &ovf);
	report(v == BIT_ULL(32) && !ovf,
	       "with PMCR_EL0.LP 1, SW_INCR from 0xffffffff gives 2^32, no overflow (got %#lx%s)",
	       v, ovf ? ", overflow" : "");
	v = step_from(~0UL, &ovf);
	report(v == 0 && ovf, "with PMCR_EL0.LP 1, SW_INCR from 2^64-1 wraps to 0 and overflows "
	       "(got %#lx%s)", v, ovf ? ", overflow" : ", no overflow");
	write_sysreg(BIT(0), pmcntenclr_el0);
	pmevcntr_write(0, 0x123456789abcdef0UL);
	isb();
	report_eq_x(0x123456789abcdef0UL, pmevcntr_read(0), "PMEVCNTR0_EL0 holds 64 bits");
	pmu_reset();
}

const char *need_chain(void)
{
	const char *why = need_pmu();

	if (why)
		return why;
	if (pmu_nr_counters() < 2)
		return "fewer than 2 event counters";
	return pmu_has_event(PMU_EVT_CHAIN) ? NULL : "PMCEID0_EL0 does not list CHAIN (0x1e)";
}

/* Counter 1 counts CHAIN: each overflow of counter 0 adds one (only with LP = 0). */
void chain(void)
{
	bool ovf;

	pmu_reset();
	pmevtyper_write(1, PMU_EVT_CHAIN);
	write_sysreg(BIT(0) | BIT(1), pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	step_from(0xfffffffe, &ovf);
	report_eq(0, pmevcntr_read(1), "CHAIN counts nothing while counter 0 does not overflow");
	step_from(0xffffffff, &ovf);
	report_eq(1, pmevcntr_read(1), "CHAIN on counter 1 counts the overflow of counter 0");
	report_eq_x(BIT(0), read_sysreg(pmovsset_el0) & 3,
		    "the overflow of counter 0 sets PMOVSSET_EL0 bit 0, not bit 1");
	step_from(0xffffffff, &ovf);
	report_eq(2, pmevcntr_read(1), "a second overflow of counter 0 makes counter 1 read 2");
	report_eq_x(0, pmevcntr_read(0) & 0xffffffff, "counter 0 bits 31:0 wrap to 0");

	write_sysreg(BIT(1), pmcntenclr_el0);
	isb();
	step_from(0xffffffff, &ovf);
	report_eq(2, pmevcntr_read(1), "a disabled counter 1 does not count CHAIN");
	if (pmu_version() >= PMUVER_V3P5) {
		write_sysreg(BIT(1), pmcntenset_el0);
		write_sysreg(PMCR_LC | PMCR_LP | PMCR_E, pmcr_el0);
		isb();
		step_from(~0UL, &ovf);
		report(ovf && pmevcntr_read(1) == 2,
		       "with PMCR_EL0.LP 1 an overflow of counter 0 is no CHAIN event");
	}
	pmu_reset();
}

const char *need_fgt(void)
{
	const char *why = need_pmu();

	if (why)
		return why;
	if (pmu_nr_counters() >= PMU_MAX_COUNTERS)
		return "PMCR_EL0.N is 31: every counter number exists";
	if (!id_field(read_sysreg(id_aa64mmfr0_el1), 56))
		return "no FEAT_FGT: accesses past PMCR_EL0.N are CONSTRAINED UNPREDICTABLE";
	return NULL;
}

static exinfo_t pmevcntr_read_safe(unsigned int n, uint64_t *v)
{
	switch (n) {
#define RD_SAFE(i) case i: return mrs_safe(pmevcntr##i##_el0, v);
	PMU_FOR_EACH_COUNTER(RD_SAFE)
#undef RD_SAFE
	}
	return 0;
}

static exinfo_t pmevtyper_read_safe(unsigned int n, uint64_t *v)
{
	switch (n) {
#define RD_SAFE(i) case i: return mrs_safe(pmevtyper##i##_el0, v);
	PMU_FOR_EACH_COUNTER(RD_SAFE)
#undef RD_SAFE
	}
	return 0;
}

/*
 * With FEAT_FGT, an access to counter n >= the counters accessible at EL1
 * is UNDEFINED (the trap to EL2 applies only to n < the implemented
 * counters; lib's EL2 gives EL1 all of them). Without FEAT_FGT it is
 * CONSTRAINED UNPREDICTABLE and not tested.
 */
void counter_range(void)
{
	unsigned int n = pmu_nr_counters();
	uint64_t v;

	pmu_reset();
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), pmevcntr_read_safe(n, &v),
		   "MRS PMEVCNTR<N>_EL0, N = PMCR_EL0.N = %u, is UNDEFINED", n);
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), pmevtyper_read_safe(n, &v),
		   "MRS PMEVTYPER<N>_EL0, N = PMCR_EL0.N, is UNDEFINED");
	write_sysreg(n, pmselr_el0);
	isb();
	report_exc(EXINFO(ESR_EC_UNKNOWN, 0), mrs_safe(pmxevcntr_el0, &v),
		   "MRS PMXEVCNTR_EL0 with PMSELR_EL0.SEL = N is UNDEFINED");
	pmu_reset();
}
