// SPDX-License-Identifier: MIT
/*
 * The x2APIC interface (SDM 11.12.1-11.12.11, table 11-6; x2APIC
 * specification chapter 2): MSRs 0x800-0x8ff with their read-only,
 * write-only and absent registers, reserved bits that fault, the SELF IPI
 * register, the 64-bit ICR, logical IDs derived from the x2APIC ID, and the
 * xAPIC page no longer reaching the APIC. They run in the x2APIC stanzas
 * only: leaving x2APIC mode goes through the disabled state, which the
 * mode_transitions subtest covers (and which QEMU and Bochs cannot leave).
 */
#include "apic_test.h"

#define X2MSR(reg)	(MSR_IA32_X2APIC_BASE + ((reg) >> 4))
#define GP0		EXINFO(GP_VECTOR, 0)

enum access { ABSENT, RO, RW, WO };

struct x2reg {
	uint32_t first, last;	/* MSR range */
	const char *name;
	enum access access;
	unsigned int min_lvts;	/* present when the APIC has this many LVT entries */
};

/* SDM table 11-6; every MSR of 0x800-0x8ff not listed is absent. */
static const struct x2reg x2regs[] = {
	{ 0x802, 0x802, "ID", RO, 0 },
	{ 0x803, 0x803, "version", RO, 0 },
	{ 0x808, 0x808, "TPR", RW, 0 },
	{ 0x809, 0x809, "ARBPRI (xAPIC only)", ABSENT, 0 },
	{ 0x80a, 0x80a, "PPR", RO, 0 },
	{ 0x80b, 0x80b, "EOI", WO, 0 },
	{ 0x80c, 0x80c, "RRD (xAPIC only)", ABSENT, 0 },
	{ 0x80d, 0x80d, "LDR", RO, 0 },
	{ 0x80e, 0x80e, "DFR (xAPIC only)", ABSENT, 0 },
	{ 0x80f, 0x80f, "SPIV", RW, 0 },
	{ 0x810, 0x817, "ISR", RO, 0 },
	{ 0x818, 0x81f, "TMR", RO, 0 },
	{ 0x820, 0x827, "IRR", RO, 0 },
	{ 0x828, 0x828, "ESR", RW, 0 },
	{ 0x82f, 0x82f, "LVT CMCI", RW, 7 },
	{ 0x830, 0x830, "ICR", RW, 0 },
	{ 0x831, 0x831, "ICR2 (xAPIC only)", ABSENT, 0 },
	{ 0x832, 0x832, "LVT timer", RW, 0 },
	{ 0x833, 0x833, "LVT thermal", RW, 6 },
	{ 0x834, 0x834, "LVT PMC", RW, 5 },
	{ 0x835, 0x837, "LVT LINT0/LINT1/error", RW, 0 },
	{ 0x838, 0x838, "initial count", RW, 0 },
	{ 0x839, 0x839, "current count", RO, 0 },
	{ 0x83e, 0x83e, "divide configuration", RW, 0 },
	{ 0x83f, 0x83f, "SELF IPI", WO, 0 },
};

static const struct x2reg *x2reg_of(uint32_t msr)
{
	for (size_t i = 0; i < ARRAY_SIZE(x2regs); i++)
		if (msr >= x2regs[i].first && msr <= x2regs[i].last)
			return &x2regs[i];
	return NULL;
}

/*
 * An LVT the version register does not count (PMC, thermal, CMCI) is left
 * out: table 11-6 lists its MSR without saying whether it faults then.
 */
static void check_msr(uint32_t msr)
{
	const struct x2reg *r = x2reg_of(msr);
	enum access a = r ? r->access : ABSENT;
	const char *name = r ? r->name : "reserved";
	bool rd = a == RO || a == RW;
	uint64_t v = 0;

	if (r && apic_lvt_count() < r->min_lvts)
		return;
	report_exc(rd ? 0 : GP0, rdmsr_safe(msr, &v), "RDMSR of x2APIC MSR %#x (%s) %s", msr,
		   name, rd ? "succeeds" : "raises #GP(0)");
	/* Writable registers are written by the subtests that use them. */
	if (a == RO || a == ABSENT)
		report_exc(GP0, wrmsr_safe(msr, a == RO ? v : 0),
			   "WRMSR to x2APIC MSR %#x (%s) raises #GP(0)", msr, name);
}

/* SDM 11.12.1.2: RDMSR/WRMSR of a register the mode lacks, or one in the wrong direction, #GP. */
void x2apic_msrs(void)
{
	irq_disable();
	for (uint32_t msr = 0x800; msr < 0x840; msr++)
		check_msr(msr);
	check_msr(0x840);
	check_msr(0x8ff);
	apic_restore();
}

struct rsvd {
	unsigned int reg;
	const char *name;
	uint64_t bits;
};

/* Reserved bits per table 11-6 and figures 11-8, 11-10, 11-18, 11-23, 11-30. */
static const struct rsvd rsvd_bits[] = {
	{ APIC_TASKPRI, "TPR", 1ULL << 8 },
	{ APIC_TASKPRI, "TPR", 1ULL << 32 },
	{ APIC_SPIV, "SPIV", 1ULL << 31 },
	{ APIC_SPIV, "SPIV", 1ULL << 32 },
	{ APIC_LVTT, "LVT timer", 1ULL << 31 },
	{ APIC_LVT0, "LVT LINT0", 1ULL << 31 },
	{ APIC_LVT1, "LVT LINT1", 1ULL << 17 },
	{ APIC_LVTERR, "LVT error", 1ULL << 31 },
	{ APIC_TDCR, "divide configuration", 1ULL << 2 },
	{ APIC_TDCR, "divide configuration", 1ULL << 31 },
	{ APIC_TMICT, "initial count", 1ULL << 32 },
	{ APIC_ESR, "ESR", 1ULL << 0 },
	{ APIC_ESR, "ESR", 1ULL << 32 },
	{ APIC_EOI, "EOI", 1ULL << 0 },
	{ APIC_SELF_IPI, "SELF IPI", 1ULL << 8 | VEC_41 },
};

/* SDM 11.12.1.3: a WRMSR setting a reserved bit raises #GP (ESR and EOI take only 0). */
void x2apic_reserved_bits(void)
{
	irq_install(VEC_41, NULL, IRQ_EOI);
	irq_disable();
	for (size_t i = 0; i < ARRAY_SIZE(rsvd_bits); i++) {
		const struct rsvd *r = &rsvd_bits[i];
		uint64_t v = r->reg == APIC_SPIV ? APIC_SPIV_ENABLE | SPURIOUS_VECTOR :
			     r->reg == APIC_TASKPRI || r->reg == APIC_ESR || r->reg == APIC_EOI ||
			     r->reg == APIC_SELF_IPI || r->reg == APIC_TMICT ? 0 : APIC_LVT_MASKED;

		if (r->reg == APIC_TDCR)
			v = APIC_TDCR_BY2;
		report_exc(GP0, wrmsr_safe(X2MSR(r->reg), v | r->bits),
			   "WRMSR to %s with bits %#llx raises #GP(0)", r->name,
			   (unsigned long long)r->bits);
	}
	irq_settle(1000);
	report_irq(smp_id(), VEC_41, 0, "the faulting SELF IPI write sends nothing");
	irq_uninstall(VEC_41);
	apic_restore();
}

struct ldr_seen {
	uint32_t id, ldr;
};

static struct ldr_seen ldr_seen[MAX_CPUS];

static void ldr_on(void *unused)
{
	int cpu = smp_id();

	ldr_seen[cpu].id = apic_read(APIC_ID);
	ldr_seen[cpu].ldr = apic_read(APIC_LDR);
}

/* SDM 11.12.10.2: LDR = cluster (ID[19:4]) << 16 | 1 << ID[3:0], on every CPU. */
void x2apic_ldr_ids(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		on_cpu(cpu, ldr_on, NULL);
		report_eq_x(x2apic_ldr(ldr_seen[cpu].id), ldr_seen[cpu].ldr,
			    "CPU %d: LDR is derived from its x2APIC ID", cpu);
		for (int other = 0; other < cpu; other++)
			report(ldr_seen[other].id != ldr_seen[cpu].id,
			       "CPU %d and CPU %d have distinct x2APIC IDs", other, cpu);
	}
}

/*
 * x2APIC specification 2.4.5: completing the WRMSR to SELF IPI means the
 * interrupt is in IRR; it is then taken like an edge-triggered IPI.
 */
void x2apic_self_ipi(void)
{
	int cpu = smp_id();

	irq_install(VEC_73, NULL, IRQ_EOI);
	irq_disable();
	wrmsr(X2MSR(APIC_SELF_IPI), VEC_73);
	report(apic_vec_test(APIC_IRR, VEC_73),
	       "IRR holds 0x73 as soon as the SELF IPI WRMSR completes");
	irq_wait(VEC_73, 1);
	report_irq(cpu, VEC_73, 1, "SELF IPI of 0x73 is taken once");
	report(!irq_last(cpu, VEC_73).tmr, "SELF IPI is edge-triggered (TMR clear)");
	irq_uninstall(VEC_73);
	apic_restore();
}

/* SDM 11.12.9: one 64-bit ICR, destination in bits 63:32, no delivery status. */
void x2apic_icr(void)
{
	uint32_t icr = APIC_INT_ASSERT | APIC_DM_FIXED | VEC_94;
	int cpu = smp_id();
	uint64_t got;

	irq_install(VEC_94, NULL, IRQ_EOI);
	irq_disable();
	wrmsr(X2MSR(APIC_ICR), (uint64_t)apic_id() << 32 | icr);
	got = rdmsr(X2MSR(APIC_ICR));
	report_eq_x((uint64_t)apic_id() << 32 | icr, got, "the 64-bit ICR reads back as written");
	irq_wait(VEC_94, 1);
	report_irq(cpu, VEC_94, 1, "an ICR IPI to this CPU's x2APIC ID is taken");
	irq_uninstall(VEC_94);
	apic_restore();
}

/*
 * x2APIC specification 2.3.6: in x2APIC mode the xAPIC page behaves as if
 * the APIC were globally disabled: a write to its TPR offset changes nothing.
 */
void x2apic_mmio(void)
{
	volatile uint32_t *tpr = (volatile uint32_t *)(APIC_DEFAULT_BASE + APIC_TASKPRI);

	wrmsr(X2MSR(APIC_TASKPRI), 0x20);
	*tpr = 0x70;
	report_eq_x(0x20, rdmsr(X2MSR(APIC_TASKPRI)), "an MMIO write to the xAPIC TPR offset "
		    "does not reach the APIC in x2APIC mode");
	apic_restore();
}
