// SPDX-License-Identifier: MIT
/*
 * The PMU overflow interrupt and per-CPU PMU state. The request is
 * PMOVSSET_EL0 & PMINTENSET_EL1 & PMCR_EL0.E (CheckPMUOverflowCondition()),
 * re-evaluated before every instruction (CheckForPMUOverflow()), and
 * reaches the GIC as the PPI the devicetree names; every PE has its own
 * PMU registers and its own copy of the PPI.
 *
 * Interrupt latency: the architecture bounds none. A check that an
 * interrupt arrives waits with IRQs unmasked and stops as soon as it does:
 * up to IRQ_WAIT_MS when a register write raised the request (QEMU
 * delivers within microseconds), up to WRAP_WAIT_MS for the cycle
 * counter's wrap (QEMU raises it from a host timer thread, which a loaded
 * host may delay). A check that none arrives, or no second one, watches
 * IRQ_QUIET_MS with IRQs unmasked and also requires the GIC to show the
 * PPI not pending once the request is down.
 */
#include "asm/processor.h"
#include "asm/timer.h"
#include "gic.h"
#include "platform.h"
#include "pmu.h"
#include "smp.h"

#define IRQ_WAIT_MS	100
#define WRAP_WAIT_MS	1000
#define IRQ_QUIET_MS	10

static int irq_count[MAX_CPUS];
static uint64_t irq_ovs[MAX_CPUS];

static unsigned int pmu_intid(void)
{
	return platform_irq(PLAT_IRQ_PMU).intid;
}

/* Clears what overflowed before the EOI lib writes after this returns. */
static void pmu_irq(struct ex_regs *regs, unsigned int intid)
{
	int cpu = smp_id();
	uint64_t ovs = read_sysreg(pmovsclr_el0);

	irq_ovs[cpu] |= ovs;
	write_sysreg(ovs, pmovsclr_el0);
	isb();
	__atomic_fetch_add(&irq_count[cpu], 1, __ATOMIC_SEQ_CST);
}

const char *need_pmu_irq(void)
{
	const char *why = need_counter();

	if (why)
		return why;
	if (!gic_version())
		return "no GIC in the devicetree";
	return pmu_intid() ? NULL : "the devicetree names no PMU interrupt";
}

/* IRQs unmasked until this CPU has taken @want PMU interrupts or @ms passed; the count. */
static int irqs_within(int want, unsigned int ms)
{
	int *count = &irq_count[smp_id()];
	uint64_t end = read_cntvct() + timer_freq() * ms / 1000;

	do {
		local_irq_enable();
		udelay(10);
		local_irq_disable();
	} while (__atomic_load_n(count, __ATOMIC_SEQ_CST) < want && read_cntvct() < end);
	return __atomic_load_n(count, __ATOMIC_SEQ_CST);
}

static bool pending_within(unsigned int ms)
{
	uint64_t end = read_cntvct() + timer_freq() * ms / 1000;

	while (!gic_irq_is_pending(pmu_intid()) && read_cntvct() < end)
		udelay(10);
	return gic_irq_is_pending(pmu_intid());
}

/* The calling CPU: counts cleared, PMU reset, counter 0 counting SW_INCR, PPI enabled. */
static void irq_setup(void)
{
	irq_count[smp_id()] = 0;
	irq_ovs[smp_id()] = 0;
	pmu_reset();
	write_sysreg(BIT(0), pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	gic_irq_enable(pmu_intid());
}

static void overflow_counter0(void)
{
	pmevcntr_write(0, 0xffffffff);
	pmu_sw_incr(0, 1);
}

/* Counter 0 overflows with its interrupt enabled: the interrupt is taken once. */
static void irq_once(void)
{
	int cpu = smp_id();

	irq_setup();
	write_sysreg(BIT(0), pmintenset_el1);
	overflow_counter0();
	report_eq_x(BIT(0), read_sysreg(pmovsset_el0),
		    "the overflow of counter 0 sets PMOVSSET_EL0 bit 0 (IRQs masked)");
	report(pending_within(IRQ_WAIT_MS), "the GIC shows the PMU interrupt (INTID %u) pending",
	       pmu_intid());
	report_eq(1, irqs_within(1, IRQ_WAIT_MS), "unmasking IRQs takes the PMU interrupt");
	report_eq(1, irqs_within(2, IRQ_QUIET_MS),
		  "the PMU interrupt is taken once: PMOVSCLR_EL0 in the handler drops the request");
	report_eq_x(BIT(0), irq_ovs[cpu], "the handler finds PMOVSSET_EL0 bit 0 set");
	report(!gic_irq_is_pending(pmu_intid()), "the PMU interrupt is no longer pending");
}

void overflow_irq(void)
{
	irq_handler_t old = install_irq_handler(pmu_intid(), pmu_irq);

	report_info("PMU interrupt: INTID %u, %s-triggered", pmu_intid(),
		    platform_irq(PLAT_IRQ_PMU).level ? "level" : "edge");
	irq_once();

	irq_setup();
	overflow_counter0();
	report(irqs_within(1, IRQ_QUIET_MS) == 0 && !gic_irq_is_pending(pmu_intid()),
	       "an overflow with PMINTENSET_EL1 bit 0 clear requests no interrupt");
	write_sysreg(BIT(0), pmintenset_el1);
	isb();
	report_eq(1, irqs_within(1, IRQ_WAIT_MS),
		  "setting PMINTENSET_EL1 bit 0 while PMOVSSET_EL0 bit 0 is set requests it");
	write_sysreg(BIT(0), pmovsset_el0);
	isb();
	report_eq(2, irqs_within(2, IRQ_WAIT_MS),
		  "a PMOVSSET_EL0 write of bit 0 by software requests the interrupt");

	write_sysreg(PMCR_LC, pmcr_el0);
	write_sysreg(BIT(0), pmovsset_el0);
	isb();
	report(irqs_within(3, IRQ_QUIET_MS) == 2 && !gic_irq_is_pending(pmu_intid()),
	       "with PMCR_EL0.E 0, a set PMOVSSET_EL0 and PMINTENSET_EL1 bit requests nothing");
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	report_eq(3, irqs_within(3, IRQ_WAIT_MS), "setting PMCR_EL0.E then requests the interrupt");

	irq_setup();
	write_sysreg(PMU_CYCLE_BIT, pmintenset_el1);
	write_sysreg(-4096UL, pmccntr_el0);
	write_sysreg(PMU_CYCLE_BIT, pmcntenset_el0);
	isb();
	report_eq(1, irqs_within(1, WRAP_WAIT_MS), "the cycle counter's wrap at 2^64 interrupts");
	report_eq_x(PMU_CYCLE_BIT, irq_ovs[smp_id()], "the handler finds PMOVSSET_EL0 bit 31 set");

	pmu_reset();
	gic_irq_disable(pmu_intid());
	install_irq_handler(pmu_intid(), old);
}

static uint64_t smp_value[MAX_CPUS];
static uint64_t smp_pmcr[MAX_CPUS];

static void smp_start(void *data)
{
	pmu_reset();
	write_sysreg(BIT(0), pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	pmu_sw_incr(0, 10 + smp_id());
}

static void smp_stop(void *data)
{
	smp_value[smp_id()] = pmevcntr_read(0);
	write_sysreg(PMCR_LC, pmcr_el0);
	isb();
	smp_pmcr[smp_id()] = read_sysreg(pmcr_el0);
}

static void smp_read_cycles(void *data)
{
	smp_value[smp_id()] = read_sysreg(pmccntr_el0);
	smp_pmcr[smp_id()] = read_sysreg(pmcr_el0);
}

static void smp_reset(void *data)
{
	pmu_reset();
}

void smp_counters(void)
{
	int n = cpu_count(), bad = -1;

	on_cpus(smp_start, NULL);
	pmu_sw_incr(0, 5);
	on_cpus(smp_stop, NULL);
	for (int i = n; i-- > 0;)
		if (smp_value[i] != 10 + (unsigned int)i + (i ? 0 : 5))
			bad = i;
	report(bad < 0, "each CPU's PMEVCNTR0_EL0 counts only its own SW_INCR writes%s",
	       bad < 0 ? "" : " (a CPU's count differs)");

	/* CPU 0 runs its cycle counter; the others' PMCR_EL0.E and PMCCNTR_EL0 stay 0. */
	on_cpus(smp_reset, NULL);
	write_sysreg(PMU_CYCLE_BIT, pmcntenset_el0);
	write_sysreg(PMCR_LC | PMCR_E, pmcr_el0);
	isb();
	udelay(1000);
	on_cpus(smp_read_cycles, NULL);
	bad = -1;
	for (int i = n; i-- > 1;)
		if (smp_value[i] || (smp_pmcr[i] & PMCR_E))
			bad = i;
	report(smp_value[0] && (smp_pmcr[0] & PMCR_E) && bad < 0,
	       "PMCR_EL0.E and the cycle counter of CPU 0 leave the other CPUs' stopped");
	on_cpus(smp_reset, NULL);
}

struct smp_irq_result {
	int taken, others;
	uint64_t ovs;
};

static void smp_ppi_on(void *data)
{
	irq_count[smp_id()] = 0;
	gic_irq_enable(pmu_intid());
}

static void smp_ppi_off(void *data)
{
	pmu_reset();
	gic_irq_disable(pmu_intid());
}

/* On the CPU under test: overflow its counter 0 and take the interrupt. */
static void smp_overflow(void *data)
{
	struct smp_irq_result *r = data;
	bool irqs = irqs_enabled();

	local_irq_disable();
	irq_setup();
	write_sysreg(BIT(0), pmintenset_el1);
	overflow_counter0();
	irqs_within(1, IRQ_WAIT_MS);
	r->taken = irqs_within(2, IRQ_QUIET_MS);
	r->ovs = irq_ovs[smp_id()];
	pmu_reset();
	if (irqs)
		local_irq_enable();
}

/* Each CPU's overflow interrupts that CPU only: the PPI is banked per PE. */
void smp_irq(void)
{
	irq_handler_t old = install_irq_handler(pmu_intid(), pmu_irq);
	int n = cpu_count();

	on_cpus(smp_ppi_on, NULL);
	for (int cpu = 0; cpu < n; cpu++) {
		struct smp_irq_result r = { 0 };

		for (int i = 0; i < n; i++)
			irq_count[i] = 0;
		on_cpu(cpu, smp_overflow, &r);
		udelay(IRQ_QUIET_MS * 1000);
		for (int i = 0; i < n; i++)
			r.others += i == cpu ? 0 : __atomic_load_n(&irq_count[i], __ATOMIC_SEQ_CST);
		report(r.taken == 1 && r.ovs == BIT(0) && !r.others,
		       "CPU %d takes its own counter-0 overflow interrupt once, no other CPU does "
		       "(taken %d, others %d)", cpu, r.taken, r.others);
	}
	on_cpus(smp_ppi_off, NULL);
	install_irq_handler(pmu_intid(), old);
}
