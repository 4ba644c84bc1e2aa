// SPDX-License-Identifier: MIT
/*
 * IPIs that are not fixed interrupts to listening CPUs: NMIs, an illegal
 * vector as sender and receiver log it, INIT and start-up IPIs to a parked
 * CPU and to a running one, and the storm of fixed IPIs between all CPUs
 * where every one sent must be taken exactly once.
 */
#include "ipi.h"
#include "tsc.h"

static unsigned int nmis[MAX_CPUS];

static void count_nmi(struct ex_regs *r)
{
	__atomic_add_fetch(&nmis[smp_id()], 1, __ATOMIC_SEQ_CST);
}

static bool nmis_reached(const void *want)
{
	const unsigned int *w = want;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (__atomic_load_n(&nmis[cpu], __ATOMIC_SEQ_CST) < w[cpu])
			return false;
	return true;
}

static void nmi_case(const char *what, uint32_t icr, uint32_t dest, uint64_t mask)
{
	unsigned int want[MAX_CPUS];

	want_mask(want, mask);
	memset(nmis, 0, sizeof(nmis));
	irq_listen_start(-1);
	apic_icr_write(icr | APIC_DM_NMI | APIC_INT_ASSERT, dest);
	irq_wait_until(nmis_reached, want);
	irq_settle(1000);
	irq_disable();
	irq_listen_stop();
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		report_eq(want[cpu], nmis[cpu], "%s %s CPU %d", what,
			  want[cpu] ? "reaches" : "does not reach", cpu);
}

/* SDM 11.6.1: NMI IPIs by physical ID and the all-excluding-self shorthand. */
void nmi_ipi(void)
{
	handler_t old = install_exception_handler(NMI_VECTOR, count_nmi);
	char what[48];

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		snprintf(what, sizeof(what), "an NMI IPI to APIC ID %u", cpu_id(cpu));
		nmi_case(what, 0, cpu_id(cpu), 1ULL << cpu);
	}
	if (cpu_count() > 1)
		nmi_case("an NMI to all excluding self", APIC_DEST_ALLBUT, 0,
			 ((1ULL << cpu_count()) - 1) & ~1ULL);
	install_exception_handler(NMI_VECTOR, old);
	ipi_restore();
}

static unsigned int low[MAX_CPUS];
static uint32_t esr_seen[MAX_CPUS];

static void count_low(struct ex_regs *r)
{
	low[smp_id()]++;
	if (apic_vec_test(APIC_ISR, r->vector))
		apic_eoi();
}

static void esr_on(void *unused)
{
	apic_write(APIC_ESR, 0);
	esr_seen[smp_id()] = apic_read(APIC_ESR);
}

/*
 * SDM 11.5.3, x2APIC specification 2.3.5: an IPI with vector 0-15 sets
 * "Send Illegal Vector" at the sender and "Receive Illegal Vector" at the
 * receiver, which neither takes it nor sets an IRR bit.
 */
void illegal_vector(void)
{
	handler_t old = install_exception_handler(VEC_ILLEGAL, count_low);
	int target = cpu_count() - 1;

	on_cpus(esr_on, NULL);
	memset(low, 0, sizeof(low));
	irq_listen_start(-1);
	apic_icr_write(APIC_DM_FIXED | APIC_INT_ASSERT | VEC_ILLEGAL, cpu_id(target));
	irq_settle(1000);
	irq_disable();
	irq_listen_stop();
	on_cpus(esr_on, NULL);
	report_eq_x(APIC_ESR_SEND_ILLEGAL, esr_seen[0] & APIC_ESR_SEND_ILLEGAL,
		    "an IPI of vector 5 sets Send Illegal Vector in the sender's ESR");
	report_eq_x(APIC_ESR_RECV_ILLEGAL, esr_seen[target] & APIC_ESR_RECV_ILLEGAL,
		    "an IPI of vector 5 sets Receive Illegal Vector in the receiver's ESR");
	report_eq(0, low[target], "the receiver does not take vector 5");
	install_exception_handler(VEC_ILLEGAL, old);
	ipi_restore();
}

/* Rounds of the storm: each CPU sends this many IPIs to each other CPU. */
#define STORM_ROUNDS	64

static int storm_cpus(void)
{
	return MIN(cpu_count(), STORM_CPUS);
}

/* Per sender: the IPI it waited for in vain, if any (target << 16 | round). */
static int storm_stuck[STORM_CPUS];

static bool storm_wait(int target, unsigned int vec, unsigned int n)
{
	uint64_t end = rdtsc() + tsc_from_us(IRQ_WAIT_US);

	while (irq_count(target, vec) < n)
		if (rdtsc() > end)
			return false;
		else
			pause();
	return true;
}

/*
 * Each CPU sends its own vector to every other CPU, round after round, and
 * waits (IF=1, so it takes the others' IPIs meanwhile) for each to be
 * taken before the next to the same CPU: an IPI is then never sent while
 * its vector is still pending at the target, so none may coalesce and
 * every one must count once.
 */
static void storm_job(void *unused)
{
	int self = smp_id();
	unsigned int vec = VEC_STORM + self;

	storm_stuck[self] = -1;
	irq_enable();
	for (unsigned int round = 1; round <= STORM_ROUNDS; round++) {
		for (int t = 0; t < storm_cpus(); t++)
			if (t != self)
				apic_icr_write(APIC_DM_FIXED | APIC_INT_ASSERT | vec, cpu_id(t));
		for (int t = 0; t < storm_cpus(); t++) {
			if (t != self && !storm_wait(t, vec, round)) {
				storm_stuck[self] = t << 16 | round;
				goto out;
			}
		}
	}
out:
	irq_settle(1000);
	irq_disable();
}

void storm(void)
{
	for (int c = 0; c < storm_cpus(); c++)
		irq_install(VEC_STORM + c, NULL, IRQ_EOI);
	on_cpus(storm_job, NULL);
	for (int s = 0; s < storm_cpus(); s++) {
		if (storm_stuck[s] >= 0)
			report_info("CPU %d waited in vain for round %d at CPU %d", s,
				    storm_stuck[s] & 0xffff, storm_stuck[s] >> 16);
		for (int t = 0; t < storm_cpus(); t++)
			if (t != s)
				report_irq(t, VEC_STORM + s, STORM_ROUNDS,
					    "CPU %d takes each of the %d IPIs CPU %d sent it once",
					    t, STORM_ROUNDS, s);
	}
	for (int c = 0; c < storm_cpus(); c++)
		irq_uninstall(VEC_STORM + c);
	ipi_restore();
}

struct init_state {
	uint32_t tpr, ldr, lvterr, esr;
	enum apic_mode mode;
};

static struct init_state st;

static void init_prepare_on(void *unused)
{
	apic_write(APIC_TASKPRI, 0x30);
	if (!x2mode())
		apic_write(APIC_LDR, 0x40000000);
	apic_write(APIC_LVTERR, 0xe1);
}

static void init_state_on(void *unused)
{
	st.tpr = apic_read(APIC_TASKPRI);
	st.ldr = apic_read(APIC_LDR);
	st.lvterr = apic_read(APIC_LVTERR);
	st.mode = apic_mode();
}

static bool online(const void *cpu)
{
	return smp_cpu_is_online(*(const int *)cpu);
}

/*
 * SDM 9.4.4.1, 11.4.7.3, 11.12.5.1: INIT puts a CPU in wait-for-SIPI with
 * its APIC reset but for the ID (and x2APIC mode); a SIPI starts it at
 * vector << 12 in real mode, here lib's trampoline, which brings it back
 * online. The INIT-to-SIPI delay is the MP protocol's 10 ms.
 */
void init_sipi(void)
{
	int target = cpu_count() - 1;
	unsigned int boots = cpu_boot_count(target);
	const char *mode = x2mode() ? "x2APIC" : "xAPIC";

	on_cpu(target, init_prepare_on, NULL);
	cpu_prepare_restart(target);
	apic_icr_write(APIC_DM_INIT | APIC_INT_ASSERT, cpu_id(target));
	udelay(10000);
	report_eq(boots, cpu_boot_count(target), "CPU %d does not start before the SIPI",
		  target);
	apic_icr_write(APIC_DM_STARTUP | APIC_INT_ASSERT | CPU_TRAMPOLINE_SIPI, cpu_id(target));
	if (!report(irq_wait_until(online, &target),
		    "CPU %d runs again after INIT and one SIPI", target)) {
		report_skip("the state INIT left: CPU %d did not come back", target);
		return;
	}
	report_eq(boots + 1, cpu_boot_count(target), "CPU %d started once", target);
	on_cpu(target, init_state_on, NULL);
	report_eq_x(0, st.tpr, "INIT cleared CPU %d's TPR", target);
	if (!x2mode())
		report_eq_x(0, st.ldr, "INIT cleared CPU %d's LDR", target);
	report_eq_x(APIC_LVT_MASKED, st.lvterr, "INIT masked CPU %d's error LVT", target);
	report_eq(apic_test_mode(), st.mode, "CPU %d is in %s mode after INIT", target, mode);
	ipi_restore();
}

/* SDM 9.4.4.1: a CPU that is not waiting for a SIPI ignores it. */
void sipi_running(void)
{
	int target = cpu_count() - 1;
	unsigned int boots = cpu_boot_count(target);

	apic_icr_write(APIC_DM_STARTUP | APIC_INT_ASSERT | CPU_TRAMPOLINE_SIPI, cpu_id(target));
	udelay(10000);
	report_eq(boots, cpu_boot_count(target), "a SIPI to running CPU %d does not restart it",
		  target);
	st.mode = APIC_MODE_DISABLED;
	on_cpu(target, init_state_on, NULL);
	report_eq(apic_test_mode(), st.mode, "CPU %d's APIC mode is kept after the stray SIPI",
		  target);
	ipi_restore();
}
