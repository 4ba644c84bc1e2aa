// SPDX-License-Identifier: MIT
/*
 * The PMU from EL0 (code run by run_in_user()): PMUSERENR_EL0 access control,
 * with the syndrome of each trapped access, and counting at EL0 under the
 * PMEVTYPER<n>_EL0.U/P and PMCCFILTR_EL0 filters. Spec: the "Accessing"
 * pseudocode of each register page (EL0 accesses trap to EL1 with EC 0x18
 * unless PMUSERENR_EL0 enables them; MSR PMUSERENR_EL0 at EL0 is
 * UNDEFINED), ESR_ELx ISS for EC 0x18 (Op0 21:20, Op2 19:17, Op1 16:14,
 * CRn 13:10, Rt 9:5, CRm 4:1, Direction 0: 1 = read); CountPMUEvents().
 */
#include "pmu.h"
#include "user.h"

/* ISS of a trapped MRS (read) or MSR of S<op0>_<op1>_C<crn>_C<crm>_<op2> with Rt. */
#define SYS_ISS(op0, op1, crn, crm, op2, rt, read)				\
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (rt) << 5 |	\
	 (crm) << 1 | (read))

/* What the last EL0 read returned: EL0 writes the image's data as EL1 does. */
static uint64_t el0_value;

/*
 * Functions for run_in_user() that return the exinfo of one MRS into x0
 * (the value, 0 when it traps, lands in el0_value) or one MSR of @src (x1 =
 * the argument, or xzr): fixed registers, as the ISS names them (Rt).
 */
#define EL0_MRS(name, reg)							\
	static uint64_t name(uint64_t unused)					\
	{									\
		register uint64_t x0 asm("x0") = 0;				\
		DECLARE_EXINFO(ex);						\
										\
		asm volatile(ASM_TRY("mrs x0, " #reg) : "+r"(ex), "+r"(x0) : : "memory"); \
		el0_value = x0;							\
		return ex;							\
	}
#define EL0_MSR(name, reg, src)							\
	static uint64_t name(uint64_t val)					\
	{									\
		register uint64_t x1 asm("x1") = val;				\
		DECLARE_EXINFO(ex);						\
										\
		asm volatile(ASM_TRY("msr " #reg ", " src) : "+r"(ex) : "r"(x1) : "memory"); \
		return ex;							\
	}

EL0_MRS(rd_pmcr, pmcr_el0)
EL0_MSR(wr_pmcnten, pmcntenset_el0, "xzr")
EL0_MRS(rd_pmccntr, pmccntr_el0)
EL0_MSR(wr_pmccntr, pmccntr_el0, "x1")
EL0_MSR(wr_pmswinc, pmswinc_el0, "xzr")
EL0_MRS(rd_pmevcntr0, pmevcntr0_el0)
EL0_MSR(wr_pmevcntr0, pmevcntr0_el0, "x1")
EL0_MRS(rd_pmselr, pmselr_el0)
EL0_MSR(wr_pmselr, pmselr_el0, "xzr")
EL0_MRS(rd_pmxevcntr, pmxevcntr_el0)
EL0_MRS(rd_pmuserenr, pmuserenr_el0)
EL0_MSR(wr_pmuserenr, pmuserenr_el0, "xzr")

#define ALWAYS		(~0UL)
#define UNDEF		0UL

struct el0_access {
	const char *insn;
	uint64_t (*fn)(uint64_t);	/* run at EL0 */
	uint32_t iss;		/* the syndrome when it traps */
	uint64_t allow;		/* PMUSERENR_EL0 bits of which any one permits it */
};

#define ACCESS(name, insn, iss, allow)	{ insn, name, iss, allow }

static const struct el0_access accesses[] = {
	ACCESS(rd_pmcr, "MRS PMCR_EL0", SYS_ISS(3, 3, 9, 12, 0, 0, 1), PMUSERENR_EN),
	ACCESS(wr_pmcnten, "MSR PMCNTENSET_EL0", SYS_ISS(3, 3, 9, 12, 1, 31, 0), PMUSERENR_EN),
	ACCESS(rd_pmccntr, "MRS PMCCNTR_EL0", SYS_ISS(3, 3, 9, 13, 0, 0, 1),
	       PMUSERENR_EN | PMUSERENR_CR),
	ACCESS(wr_pmccntr, "MSR PMCCNTR_EL0", SYS_ISS(3, 3, 9, 13, 0, 1, 0), PMUSERENR_EN),
	ACCESS(wr_pmswinc, "MSR PMSWINC_EL0", SYS_ISS(3, 3, 9, 12, 4, 31, 0),
	       PMUSERENR_EN | PMUSERENR_SW),
	ACCESS(rd_pmevcntr0, "MRS PMEVCNTR0_EL0", SYS_ISS(3, 3, 14, 8, 0, 0, 1),
	       PMUSERENR_EN | PMUSERENR_ER),
	ACCESS(wr_pmevcntr0, "MSR PMEVCNTR0_EL0", SYS_ISS(3, 3, 14, 8, 0, 1, 0), PMUSERENR_EN),
	ACCESS(rd_pmselr, "MRS PMSELR_EL0", SYS_ISS(3, 3, 9, 12, 5, 0, 1),
	       PMUSERENR_EN | PMUSERENR_ER),
	ACCESS(wr_pmselr, "MSR PMSELR_EL0", SYS_ISS(3, 3, 9, 12, 5, 31, 0),
	       PMUSERENR_EN | PMUSERENR_ER),
	ACCESS(rd_pmxevcntr, "MRS PMXEVCNTR_EL0", SYS_ISS(3, 3, 9, 13, 2, 0, 1),
	       PMUSERENR_EN | PMUSERENR_ER),
	ACCESS(rd_pmuserenr, "MRS PMUSERENR_EL0", 0, ALWAYS),
	ACCESS(wr_pmuserenr, "MSR PMUSERENR_EL0", 0, UNDEF),
};

static const uint64_t userenr_values[] = {
	0, PMUSERENR_EN, PMUSERENR_SW, PMUSERENR_CR, PMUSERENR_ER,
};

static exinfo_t expected(const struct el0_access *a, uint64_t userenr)
{
	if (a->allow == UNDEF)
		return EXINFO(ESR_EC_UNKNOWN, 0);
	if (a->allow == ALWAYS)
		return 0;
	return (a->allow & userenr) ? 0 : EXINFO(ESR_EC_SYS64, a->iss);
}

/*
 * Each access under each PMUSERENR_EL0 setting. Permitted writes store 0
 * (counters stopped, PMSELR_EL0 selects counter 0), so the runs leave the
 * PMU as pmu_reset() did.
 */
void user_access(void)
{
	exinfo_t ex;

	pmu_reset();
	for (size_t u = 0; u < ARRAY_SIZE(userenr_values); u++) {
		uint64_t userenr = userenr_values[u];

		write_sysreg(userenr, pmuserenr_el0);
		isb();
		for (size_t i = 0; i < ARRAY_SIZE(accesses); i++) {
			const struct el0_access *a = &accesses[i];
			exinfo_t want = expected(a, userenr);

			ex = run_in_user(a->fn, 0);
			report_exc(want, ex, "%s at EL0 with PMUSERENR_EL0 %#lx %s", a->insn,
				   userenr, !want ? "is permitted" : a->allow == UNDEF ?
				   "is UNDEFINED" : "traps to EL1 with EC 0x18 and its syndrome");
		}
	}
	write_sysreg(PMUSERENR_EN | PMUSERENR_ER, pmuserenr_el0);
	isb();
	run_in_user(rd_pmuserenr, 0);
	report_eq_x(PMUSERENR_EN | PMUSERENR_ER, el0_value & 0xf,
		    "EL0 reads PMUSERENR_EL0 as EL1 wrote it");
	run_in_user(rd_pmcr, 0);
	report_eq_x(read_sysreg(pmcr_el0), el0_value, "EL0 reads the PMCR_EL0 value EL1 reads");
	pmevcntr_write(0, 0x4242);
	isb();
	run_in_user(rd_pmevcntr0, 0);
	report_eq_x(0x4242, el0_value, "EL0 reads the value of PMEVCNTR0_EL0 EL1 wrote");
	pmu_reset();
}

/* At EL0: @times writes of PMSWINC_EL0 bit 0, up to the first exception. */
static uint64_t swinc_loop(uint64_t times)
{
	exinfo_t ex = 0;

	while (times-- && !ex)
		ex = msr_safe(pmswinc_el0, BIT(0));
	return ex;
}

static uint64_t el0_before, el0_after;

/* At EL0: PMCCNTR_EL0 before and after @n iterations of an empty loop (0 if it traps). */
static uint64_t cycles_loop(uint64_t n)
{
	exinfo_t ex = mrs_safe(pmccntr_el0, &el0_before);

	if (ex)
		return ex;
	isb();
	asm volatile("1: subs %0, %0, #1\n\tb.ne 1b" : "+r"(n));
	isb();
	return mrs_safe(pmccntr_el0, &el0_after);
}

/*
 * At EL0: @n iterations of a two-instruction loop, then RET, in assembly
 * for an exact count: 2 * @n + 1 instructions, then lib's SVC (run_in_user()
 * ERETs straight to the function, which returns to that SVC).
 */
uint64_t pmu_el0_insn_loop(uint64_t n);
asm(".pushsection .text\n\t.balign 4\n\t.globl pmu_el0_insn_loop\n\t"
	".type pmu_el0_insn_loop, %function\n"
	"pmu_el0_insn_loop:\n"
	"1:\tsubs x0, x0, #1\n\t"
	"b.ne 1b\n\t"
	"ret\n\t"
	".popsection");

static uint64_t swinc_at_el0(unsigned int times)
{
	pmevcntr_write(0, 0);
	isb();
	run_in_user(swinc_loop, times);
	isb();
	return pmevcntr_read(0);
}

/* PMCCNTR_EL0 read at EL0 around a loop there: the exinfo of the reads (0: no trap). */
static exinfo_t el0_cycles(uint64_t *before, uint64_t *after)
{
	exinfo_t ex;

	el0_before = el0_after = 0;
	ex = run_in_user(cycles_loop, 100000);
	*before = el0_before;
	*after = el0_after;
	return ex;
}

void el0_filter(void)
{
	uint64_t a, b;
	exinfo_t ex;

	pmu_reset();
	write_sysreg(PMUSERENR_SW | PMUSERENR_CR, pmuserenr_el0);
	write_sysreg(BIT(0) | PMU_CYCLE_BIT, pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	pmevtyper_write(0, PMU_EVT_SW_INCR | PMEVTYPER_U);
	isb();
	report_eq(0, swinc_at_el0(7), "SW_INCR written at EL0 is not counted with U 1");
	pmevtyper_write(0, PMU_EVT_SW_INCR | PMEVTYPER_P);
	isb();
	report_eq(7, swinc_at_el0(7), "SW_INCR written at EL0 is counted with P 1, U 0");

	/*
	 * PMUSERENR_EL0.CR 1 permits the EL0 reads: a VMM that traps them fails
	 * here, as does one that counts EL0 cycles despite U 1 (or none with U 0).
	 */
	write_sysreg(PMEVTYPER_U, pmccfiltr_el0);
	isb();
	ex = el0_cycles(&a, &b);
	report(!ex && a == b, "PMCCNTR_EL0, readable at EL0 with PMUSERENR_EL0.CR 1, does not "
	       "count at EL0 with PMCCFILTR_EL0.U 1 (%#lx -> %#lx%s)", a, b,
	       ex ? ", the read traps" : "");
	write_sysreg(PMEVTYPER_P, pmccfiltr_el0);
	isb();
	ex = el0_cycles(&a, &b);
	report(!ex && b > a, "PMCCNTR_EL0, readable at EL0 with PMUSERENR_EL0.CR 1, counts at "
	       "EL0 with PMCCFILTR_EL0.P 1, U 0 (%#lx -> %#lx%s)", a, b,
	       ex ? ", the read traps" : "");

	if (!pmu_has_event(PMU_EVT_INST_RETIRED)) {
		report_skip("PMCEID0_EL0 does not list INST_RETIRED (0x08)");
		pmu_reset();
		return;
	}
	/*
	 * With P 1 only EL0 instructions count: the loop's 2 * 1000, its RET
	 * (taken off below) and the SVC that ends the run, which is counted if
	 * the implementation treats the exception-generating instruction as
	 * architecturally executed.
	 */
	pmevtyper_write(0, PMU_EVT_INST_RETIRED | PMEVTYPER_P);
	pmevcntr_write(0, 0);
	isb();
	run_in_user(pmu_el0_insn_loop, 1000);
	isb();
	a = pmevcntr_read(0) - 1;
	report(a >= 2000 && a <= 2001,
	       "INST_RETIRED with P 1 counts the 2000 loop instructions at EL0 and at most the SVC "
	       "(got %lu)", a);
	pmu_reset();
}
