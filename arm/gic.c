// SPDX-License-Identifier: MIT
/*
 * The interrupt controller, GICv2 (IHI 0048B) and GICv3 (IHI 0069):
 *
 * - SGIs to each CPU, to the caller, and to every other CPU (GICD_SGIR
 *   TargetListFilter, ICC_SGI1R_EL1 IRM; IHI 0048B 4.3.15, IHI 0069
 *   12.2.23): delivered to the targets only; GICv2 reports the source CPU
 *   in GICC_IAR.CPUID (4.4.4);
 * - priorities (IHI 0048B 3.3, IHI 0069 4.8): the highest priority pending
 *   interrupt is the one acknowledged (HPPIR shows it), a lower priority
 *   one is not acknowledged while a higher one is active (running
 *   priority), a higher one preempts an active lower one, PMR masks
 *   priorities equal or lower than it, priority fields implement at least
 *   4 bits, from the top;
 * - pending and active state of an SPI (IHI 0048B 3.2.4, 4.3.7-4.3.10;
 *   IHI 0069 4.1.2, 12.9): set-pending and clear-pending, a disabled
 *   interrupt stays pending and is not forwarded, acknowledge makes it
 *   active, active and pending at once is not acknowledged again until the
 *   EOI, ISACTIVER and ICACTIVER; routing to each CPU (ITARGETSR, IROUTER);
 * - an IPI storm: every CPU sends N SGIs to every other one, each sender
 *   with its own SGI number and at most one outstanding per target (it
 *   waits for the delivery before sending the next), so no two can merge
 *   into one pending state and every count must be exactly N.
 *
 * The GIC forwards state changes to the CPU interface asynchronously and
 * the architecture gives no bound: checks wait for the expected state with
 * a bound (GIC_WAIT_MS) far above any VMM's latency. A read of IAR may
 * return the spurious INTID 1023 (IHI 0069 4.7): counted, never a failure.
 */
#include "asm/exception.h"
#include "asm/gic-v2.h"
#include "asm/gic-v3.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "asm/timer.h"
#include "gic.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

#define GIC_WAIT_MS		5000
#define SGI_UNICAST		1
#define SGI_OTHERS		2
#define SGI_LOW			3	/* priority PRIO_LOW */
#define SGI_HIGH		4	/* priority PRIO_HIGH */
#define SGI_STORM_BASE		6	/* sender s uses SGI_STORM_BASE + s */
#define STORM_MAX_CPUS		8
#define STORM_ROUNDS		200
#define PRIO_HIGH		0x40
#define PRIO_LOW		0x80

/* Per-CPU record of what the IRQ vector acknowledged. */
static struct {
	int count[GIC_NR_SGIS];
	int spi;
	int spurious;
	int unexpected;
	int bad_source;		/* GICv2: SGI whose IAR.CPUID is not its sender */
	unsigned int source[GIC_NR_SGIS];
} seen[MAX_CPUS];

static unsigned int test_spi;
static int iface[MAX_CPUS];	/* GICv2 CPU interface number of each CPU */
static int expected_source[GIC_NR_SGIS];	/* -1: any */

static void irq_vector(struct ex_regs *regs)
{
	uint32_t iar = gic_ack();
	unsigned int intid = gic_iar_intid(iar);
	int cpu = smp_id();

	if (intid >= 1020) {
		__atomic_add_fetch(&seen[cpu].spurious, 1, __ATOMIC_SEQ_CST);
		return;
	}
	if (intid < GIC_NR_SGIS) {
		if (gic_version() == 2) {
			seen[cpu].source[intid] = GICC_IAR_CPUID(iar);
			if (expected_source[intid] >= 0 &&
			    GICC_IAR_CPUID(iar) != (unsigned int)expected_source[intid])
				seen[cpu].bad_source++;
		}
		__atomic_add_fetch(&seen[cpu].count[intid], 1, __ATOMIC_SEQ_CST);
	} else if (intid == test_spi) {
		__atomic_add_fetch(&seen[cpu].spi, 1, __ATOMIC_SEQ_CST);
	} else {
		__atomic_add_fetch(&seen[cpu].unexpected, 1, __ATOMIC_SEQ_CST);
	}
	gic_eoi(iar);
}

static int load(int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

/* Wait, with this CPU's IRQs enabled, until *@p >= @want. */
static bool wait_for(int *p, int want)
{
	uint64_t end = read_cntvct() + timer_freq() / 1000 * GIC_WAIT_MS;

	while (load(p) < want && read_cntvct() < end) {
		local_irq_enable();
		arch_cpu_relax();
		local_irq_disable();
	}
	return load(p) >= want;
}

static void find_iface(void *data)
{
	uint8_t mask = readb(gic_dist_base() + GICD_ITARGETSR);

	iface[smp_id()] = mask ? __builtin_ctz(mask) : 0;
}

static void reset_seen(void)
{
	memset(seen, 0, sizeof(seen));
	for (int i = 0; i < GIC_NR_SGIS; i++)
		expected_source[i] = -1;
}

/* Each subtest takes the IRQ vector over and gives it back. */
static void vector_take(void)
{
	test_spi = gic_nr_irqs() - 1;
	if (gic_version() == 2)
		on_cpus(find_iface, NULL);
	reset_seen();
	install_vector_handler(EXC_IRQ, irq_vector);
}

static void vector_release(void)
{
	local_irq_disable();
	install_vector_handler(EXC_IRQ, NULL);
}

static const char *need_gic(void)
{
	return gic_version() ? NULL : "no GIC in the devicetree";
}

/* Everything acknowledged by any CPU other than the listed one (-1: none). */
static int others_total(int except, unsigned int sgi)
{
	int n = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu != except)
			n += load(&seen[cpu].count[sgi]);
	return n;
}

static void sgi_targets(void)
{
	int self = smp_id();

	vector_take();
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		reset_seen();
		expected_source[SGI_UNICAST] = iface[self];
		gic_send_sgi(cpu, SGI_UNICAST);
		report(wait_for(&seen[cpu].count[SGI_UNICAST], 1),
		       "SGI %d sent to CPU %d is taken there", SGI_UNICAST, cpu);
		report_eq(1, load(&seen[cpu].count[SGI_UNICAST]), "CPU %d takes it once", cpu);
		report_eq(0, others_total(cpu, SGI_UNICAST),
			  "no CPU but %d takes SGI %d sent to it", cpu, SGI_UNICAST);
		if (gic_version() == 2)
			report_eq(0, seen[cpu].bad_source, "GICC_IAR.CPUID of the SGI taken on CPU "
				  "%d names the sender, interface %d", cpu, iface[self]);
	}
	reset_seen();
	gic_send_sgi_self(SGI_UNICAST);
	report(wait_for(&seen[self].count[SGI_UNICAST], 1),
	       "SGI %d sent to self (TargetListFilter/target list of the caller) is taken",
	       SGI_UNICAST);
	report_eq(0, others_total(self, SGI_UNICAST), "no other CPU takes an SGI sent to self");
	vector_release();
}

static void send_others(void *data)
{
	gic_send_sgi_others(SGI_OTHERS);
}

static void sgi_broadcast(void)
{
	int n = cpu_count();

	vector_take();
	for (int sender = 0; sender < n; sender++) {
		bool all = true;

		reset_seen();
		expected_source[SGI_OTHERS] = iface[sender];
		on_cpu(sender, send_others, NULL);
		for (int cpu = 0; cpu < n; cpu++)
			if (cpu != sender)
				all &= wait_for(&seen[cpu].count[SGI_OTHERS], 1);
		report(all && others_total(sender, SGI_OTHERS) == n - 1,
		       "SGI %d to all but CPU %d reaches each of the %d others once (total %d)",
		       SGI_OTHERS, sender, n - 1, others_total(sender, SGI_OTHERS));
		report_eq(0, load(&seen[sender].count[SGI_OTHERS]),
			  "CPU %d does not take its own SGI to all others", sender);
		if (gic_version() == 2) {
			int bad = 0;

			for (int cpu = 0; cpu < n; cpu++)
				bad += seen[cpu].bad_source;
			report_eq(0, bad, "GICC_IAR.CPUID of every copy names sender CPU %d",
				  sender);
		}
	}
	vector_release();
}

static uint32_t read_pmr(void)
{
	return gic_version() == 3 ? read_sysreg(ICC_PMR_EL1) :
		readl(gic_cpu_base() + GICC_PMR);
}

static uint32_t read_rpr(void)
{
	return gic_version() == 3 ? read_sysreg(ICC_RPR_EL1) :
		readl(gic_cpu_base() + GICC_RPR);
}

static unsigned int hppir(void)
{
	return gic_version() == 3 ? read_sysreg(ICC_HPPIR1_EL1) & ICC_IAR_INTID :
		readl(gic_cpu_base() + GICC_HPPIR) & GICC_IAR_INTID;
}

/* IRQs masked: poll IAR until it is not spurious (GIC_WAIT_MS at most). */
static uint32_t ack_wait(void)
{
	uint64_t end = read_cntvct() + timer_freq() / 1000 * GIC_WAIT_MS;
	uint32_t iar;

	do
		iar = gic_ack();
	while (gic_iar_intid(iar) >= 1020 && read_cntvct() < end);
	return iar;
}

static bool pending_wait(unsigned int intid)
{
	uint64_t end = read_cntvct() + timer_freq() / 1000 * GIC_WAIT_MS;

	while (!gic_irq_is_pending(intid) && read_cntvct() < end)
		;
	return gic_irq_is_pending(intid);
}

/* Bits implemented from the top: 0xff written reads back 1...10...0, at least 4 ones. */
static bool top_bits(uint8_t v, int *n)
{
	*n = __builtin_popcount(v);
	return *n >= 4 && v == (uint8_t)(0xff << (8 - *n));
}

static void priority_bits(void)
{
	uint8_t old = gic_irq_priority(SGI_LOW);
	uint32_t pmr;
	int n, np;

	gic_set_pmr(0xff);
	pmr = read_pmr();
	report(top_bits(pmr, &np), "PMR written 0xff reads back the implemented bits from the "
	       "top, at least 4 (%#x)", pmr);
	if (gic_version() == 3)
		report_eq(ICC_CTLR_PRIBITS(read_sysreg(ICC_CTLR_EL1)) + 1, np,
			  "ICC_PMR_EL1 implements ICC_CTLR_EL1.PRIbits + 1 bits");
	gic_irq_set_priority(SGI_LOW, 0xff);
	report(top_bits(gic_irq_priority(SGI_LOW), &n), "IPRIORITYR written 0xff reads back the "
	       "implemented bits from the top, at least 4 (%#x)", gic_irq_priority(SGI_LOW));
	gic_irq_set_priority(SGI_LOW, old);
	gic_set_pmr(GIC_PMR_DEFAULT);
}

static void priority_order(void)
{
	uint32_t iar, first;

	gic_irq_set_priority(SGI_LOW, PRIO_LOW);
	gic_irq_set_priority(SGI_HIGH, PRIO_HIGH);
	gic_set_pmr(0);
	gic_send_sgi_self(SGI_LOW);
	gic_send_sgi_self(SGI_HIGH);
	report(pending_wait(SGI_LOW) && pending_wait(SGI_HIGH),
	       "SGIs %d and %d sent to self are pending", SGI_LOW, SGI_HIGH);
	report_eq(GIC_SPURIOUS, gic_iar_intid(gic_ack()), "IAR reads spurious while PMR 0 masks "
		  "every priority");
	gic_set_pmr(GIC_PMR_DEFAULT);
	for (int i = 0; i < 1000000 && hppir() != SGI_HIGH; i++)
		;
	report_eq(SGI_HIGH, hppir(), "HPPIR shows the higher priority pending SGI");
	first = ack_wait();
	report_eq(SGI_HIGH, gic_iar_intid(first), "the higher priority (%#x) pending SGI is "
		  "acknowledged before the lower (%#x)", PRIO_HIGH, PRIO_LOW);
	report_eq_x(PRIO_HIGH, read_rpr(), "the running priority is the active SGI's priority");
	iar = gic_ack();
	report_eq(GIC_SPURIOUS, gic_iar_intid(iar), "a pending SGI of lower priority than the "
		  "running one is not acknowledged");
	gic_eoi(first);
	iar = ack_wait();
	report_eq(SGI_LOW, gic_iar_intid(iar), "after the EOI the lower priority SGI is "
		  "acknowledged");
	gic_send_sgi_self(SGI_HIGH);
	pending_wait(SGI_HIGH);
	first = ack_wait();
	report_eq(SGI_HIGH, gic_iar_intid(first), "a higher priority SGI is acknowledged while a "
		  "lower priority one is active (preemption)");
	gic_eoi(first);
	gic_eoi(iar);
	report_eq(GIC_SPURIOUS, gic_iar_intid(gic_ack()), "nothing is pending after both EOIs");
}

static void priority_mask(void)
{
	uint32_t iar;

	gic_irq_set_priority(SGI_LOW, PRIO_LOW);
	gic_irq_set_priority(SGI_HIGH, PRIO_HIGH);
	gic_set_pmr(PRIO_LOW);
	gic_send_sgi_self(SGI_LOW);
	gic_send_sgi_self(SGI_HIGH);
	pending_wait(SGI_LOW);
	pending_wait(SGI_HIGH);
	iar = ack_wait();
	report_eq(SGI_HIGH, gic_iar_intid(iar), "PMR %#x lets priority %#x through", PRIO_LOW,
		  PRIO_HIGH);
	gic_eoi(iar);
	iar = gic_ack();
	report_eq(GIC_SPURIOUS, gic_iar_intid(iar), "PMR %#x masks a pending SGI of equal "
		  "priority", PRIO_LOW);
	report(gic_irq_is_pending(SGI_LOW), "the masked SGI stays pending");
	gic_set_pmr(GIC_PMR_DEFAULT);
	iar = ack_wait();
	report_eq(SGI_LOW, gic_iar_intid(iar), "once PMR is raised the masked SGI is acknowledged");
	gic_eoi(iar);
}

static void priorities(void)
{
	vector_take();
	local_irq_disable();
	priority_bits();
	priority_order();
	priority_mask();
	gic_irq_set_priority(SGI_LOW, GIC_PRIO_DEFAULT);
	gic_irq_set_priority(SGI_HIGH, GIC_PRIO_DEFAULT);
	gic_set_pmr(GIC_PMR_DEFAULT);
	vector_release();
}

static bool spi_state(bool pending, bool active)
{
	return gic_irq_is_pending(test_spi) == pending && gic_irq_is_active(test_spi) == active;
}

static void active_pending(void)
{
	unsigned int spi = test_spi;
	uint32_t iar, first;

	vector_take();
	local_irq_disable();
	gic_spi_set_target(spi, smp_id());
	gic_irq_set_edge(spi, true);
	gic_irq_disable(spi);
	report(spi_state(false, false), "SPI %u starts neither pending nor active", spi);
	gic_irq_set_pending(spi);
	report(spi_state(true, false), "a write to ISPENDR makes it pending");
	gic_irq_clear_pending(spi);
	report(spi_state(false, false), "a write to ICPENDR makes it not pending");
	gic_irq_set_pending(spi);
	report_eq(GIC_SPURIOUS, gic_iar_intid(gic_ack()), "a disabled pending SPI is not "
		  "forwarded (IAR spurious)");
	report(spi_state(true, false), "the disabled SPI stays pending");
	gic_irq_enable(spi);
	first = ack_wait();
	report_eq(spi, gic_iar_intid(first), "once enabled the SPI is acknowledged");
	report(spi_state(false, true), "acknowledge makes it active and not pending");
	gic_irq_set_pending(spi);
	report(spi_state(true, true), "ISPENDR while active makes it active and pending");
	report_eq(GIC_SPURIOUS, gic_iar_intid(gic_ack()), "an active and pending SPI is not "
		  "acknowledged again before its EOI");
	gic_eoi(first);
	iar = ack_wait();
	report_eq(spi, gic_iar_intid(iar), "after the EOI the pending SPI is acknowledged again");
	gic_eoi(iar);
	report(spi_state(false, false), "after the second EOI it is neither pending nor active");
	writel(1U << (spi % 32), gic_dist_base() + GIC_ISACTIVER + 4 * (spi / 32));
	report(spi_state(false, true), "a write to ISACTIVER makes it active");
	gic_irq_clear_active(spi);
	report(spi_state(false, false), "a write to ICACTIVER makes it not active");
	gic_irq_disable(spi);
	vector_release();
}

static void spi_routing(void)
{
	unsigned int spi = test_spi;

	vector_take();
	gic_irq_set_edge(spi, true);
	gic_irq_enable(spi);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		int others = 0;

		reset_seen();
		gic_spi_set_target(spi, cpu);
		gic_irq_set_pending(spi);
		report(wait_for(&seen[cpu].spi, 1), "SPI %u routed to CPU %d is taken there", spi,
		       cpu);
		for (int i = 0; i < cpu_count(); i++)
			others += i != cpu ? load(&seen[i].spi) : 0;
		report_eq(0, others, "no CPU but %d takes SPI %u routed to it", cpu, spi);
	}
	gic_irq_disable(spi);
	gic_spi_set_target(spi, 0);
	vector_release();
}

static struct {
	int n;
	int done;
	int failed;
} storm;

/* Round r goes out only once round r - 1 reached every target: nothing can merge. */
static void storm_sender(void *data)
{
	int s = smp_id();
	unsigned int sgi = SGI_STORM_BASE + s;

	for (int r = 1; r <= STORM_ROUNDS && !load(&storm.failed); r++) {
		for (int t = 0; t < storm.n; t++)
			if (t != s)
				gic_send_sgi(t, sgi);
		for (int t = 0; t < storm.n; t++)
			if (t != s && !wait_for(&seen[t].count[sgi], r))
				__atomic_store_n(&storm.failed, 1, __ATOMIC_SEQ_CST);
	}
	__atomic_add_fetch(&storm.done, 1, __ATOMIC_SEQ_CST);
}

static void ipi_storm(void)
{
	int bad = 0, spurious = 0, unexpected = 0, bad_source = 0;

	vector_take();
	reset_seen();
	storm.n = MIN(cpu_count(), STORM_MAX_CPUS);
	storm.done = storm.failed = 0;
	for (int s = 0; s < storm.n; s++)
		expected_source[SGI_STORM_BASE + s] = iface[s];
	for (int s = 1; s < storm.n; s++)
		on_cpu_async(s, storm_sender, NULL);
	storm_sender(NULL);
	wait_for(&storm.done, storm.n);		/* keeps taking SGIs meanwhile */
	for (int s = 1; s < storm.n; s++)
		on_cpu_wait(s);
	for (int t = 0; t < storm.n; t++) {
		for (int s = 0; s < storm.n; s++) {
			int want = t == s ? 0 : STORM_ROUNDS;

			bad += load(&seen[t].count[SGI_STORM_BASE + s]) != want;
		}
		spurious += seen[t].spurious;
		unexpected += seen[t].unexpected;
		bad_source += seen[t].bad_source;
	}
	report_eq(0, storm.failed, "every storm SGI is delivered within %d ms", GIC_WAIT_MS);
	report_eq(0, bad, "each of %d CPUs takes exactly %d SGIs from each other CPU and none of "
		  "its own (pairs with another count)", storm.n, STORM_ROUNDS);
	report_eq(0, unexpected, "no interrupt but the SGIs is taken during the storm");
	if (gic_version() == 2)
		report_eq(0, bad_source, "GICC_IAR.CPUID of every storm SGI names its sender");
	report_info("%d spurious IAR reads during the storm", spurious);
	vector_release();
}

/*
 * GICD_TYPER.ITLinesNumber N covers INTIDs up to 32(N + 1) - 1 (lib caps that at 1019:
 * 1020-1023 are special; N = 0, no SPIs, is legal: the SPI subtests skip). GICv2 only
 * (IHI 0048B 4.3.2): CPUNumber + 1 CPU interfaces, which must cover every CPU of /cpus.
 */
static void info(void)
{
	uint32_t typer = readl(gic_dist_base() + GICD_TYPER);

	report_info("GICv%d, %u INTIDs, %d CPUs", gic_version(), gic_nr_irqs(), cpu_count());
	if (gic_version() == 2)
		report(((typer >> 5) & 7) + 1 >= (unsigned int)cpu_count(),
		       "GICD_TYPER.CPUNumber + 1 (%u) covers the %d CPUs", ((typer >> 5) & 7) + 1,
		       cpu_count());
}

static const char *need_spi(void)
{
	if (!gic_version())
		return "no GIC in the devicetree";
	return gic_nr_irqs() > GIC_FIRST_SPI ? NULL : "GICD_TYPER.ITLinesNumber 0: no SPIs";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(info, need_gic),
	SUBTEST_NEEDS(sgi_targets, need_gic),
	SUBTEST_SMP(sgi_broadcast, need_gic, 2),
	SUBTEST_NEEDS(priorities, need_gic),
	SUBTEST_NEEDS(active_pending, need_spi),
	SUBTEST_SMP(spi_routing, need_spi, 2),
	SUBTEST_SMP(ipi_storm, need_gic, 2),
};

SUBTESTS_MAIN(tests)
