// SPDX-License-Identifier: MIT
/*
 * Interprocessor interrupts between 1 to 4 (or more) CPUs: fixed IPIs to
 * each CPU, the destination shorthands (self, all including self, all
 * excluding self), physical destinations and broadcast, logical flat and
 * cluster destinations (xAPIC) and x2APIC logical IDs, lowest-priority
 * delivery, NMIs, illegal vectors as the receiver logs them, INIT and
 * start-up IPIs to a parked CPU, and a storm in which every CPU sends to
 * every other and each interrupt must be taken exactly once. While one CPU
 * sends, the others listen (irq_listen_start(): halted with IF=1), and
 * every CPU's count of the vector is checked. "apic=x2apic" runs it all in
 * x2APIC mode.
 *
 * Specs: Intel SDM vol. 3A 11.6.1 (ICR, table 11-3 valid combinations:
 * NMI, INIT and SIPI never with the "self" shorthand), 11.6.2 (physical
 * and logical destinations, flat and cluster models, 11.6.2.4 lowest
 * priority: model-specific for IPIs), 11.5.3 (ESR), 9.4.4 and 11.4.7.3
 * (INIT and SIPI, the state INIT leaves), 11.12.9-11.12.10 (x2APIC ICR and
 * logical destinations); x2APIC specification 2.3.5 (a lowest-priority IPI
 * may instead set the "Redirectable IPI" ESR bit and not be sent). AMD APM
 * vol. 2 16.5 (IPIs), 16.6 (lowest priority, arbitration).
 *
 * Layout: dest.c (destinations and shorthands), special.c (NMI, illegal
 * vectors, INIT/SIPI, the storm).
 */
#include "subtest.h"
#include "ipi.h"

static uint32_t ids[MAX_CPUS];
static bool have_ids;

static void get_ids(void)
{
	if (have_ids)
		return;
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		ids[cpu] = cpu_apic_id(cpu);
	have_ids = true;
}

uint32_t cpu_id(int cpu)
{
	get_ids();
	return ids[cpu];
}

bool x2mode(void)
{
	return apic_test_mode() == APIC_MODE_X2APIC;
}

uint32_t bcast_dest(void)
{
	return x2mode() ? 0xffffffffU : 0xff;
}

const char *needs_mode(void)
{
	return apic_args_mode();
}

const char *needs_xapic(void)
{
	const char *why = apic_args_mode();

	return why ? why : x2mode() ? "xAPIC mode only (flat and cluster models)" : NULL;
}

const char *needs_x2apic(void)
{
	const char *why = apic_args_mode();

	return why ? why : x2mode() ? NULL : "x2APIC mode only (the apic=x2apic stanzas)";
}

void want_mask(unsigned int *want, uint64_t mask)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		want[cpu] = !!(mask & (1ULL << cpu));
}

static void send_one(void *arg)
{
	const uint32_t *a = arg;

	apic_icr_write(a[0] | APIC_INT_ASSERT, a[1]);
}

struct goal {
	unsigned int vec;
	const unsigned int *want;
};

static bool goal_met(const void *arg)
{
	const struct goal *g = arg;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (irq_count(cpu, g->vec) < g->want[cpu])
			return false;
	return true;
}

/*
 * Wait until every CPU took what it should (bounded), then 1 ms more so a
 * duplicate or a stray delivery shows, then stop the listeners.
 */
void scenario(const char *what, int sender, uint32_t icr, uint32_t dest, unsigned int vec,
	      const unsigned int *want)
{
	uint32_t arg[2] = { icr | vec, dest };
	struct goal g = { vec, want };

	irq_install(vec, NULL, IRQ_EOI);
	irq_disable();
	irq_listen_start(sender);
	if (sender == smp_id())
		send_one(arg);
	else
		on_cpu(sender, send_one, arg);
	irq_wait_until(goal_met, &g);
	irq_settle(1000);
	irq_disable();
	irq_listen_stop();
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		report_irq(cpu, vec, want[cpu], "%s %s CPU %d", what,
			   want[cpu] ? "reaches" : "does not reach", cpu);
	irq_uninstall(vec);
}

static void restore_on(void *unused)
{
	irq_disable();
	if (!x2mode()) {
		apic_write(APIC_LDR, 0);
		apic_write(APIC_DFR, APIC_DFR_FLAT);
	}
	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}

/* Every CPU back to lib's state: TPR 0, no logical ID (xAPIC), ESR cleared. */
void ipi_restore(void)
{
	on_cpus(restore_on, NULL);
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(fixed_each, needs_mode),
	SUBTEST_NEEDS(shorthands, needs_mode),
	SUBTEST_SMP(shorthands_last, needs_mode, 2),
	SUBTEST_NEEDS(physical_broadcast, needs_mode),
	SUBTEST_NEEDS(logical_flat, needs_xapic),
	SUBTEST_NEEDS(logical_cluster, needs_xapic),
	SUBTEST_NEEDS(logical_x2apic, needs_x2apic),
	SUBTEST_NEEDS(lowest_priority, needs_mode),
	SUBTEST_NEEDS(nmi_ipi, needs_mode),
	SUBTEST_SMP(illegal_vector, needs_mode, 2),
	SUBTEST_SMP(storm, needs_mode, 2),
	SUBTEST_SMP(sipi_running, needs_mode, 2),
	/* Last: a VMM that does not restart the CPU leaves it offline. */
	SUBTEST_SMP(init_sipi, needs_mode, 2),
};

SUBTESTS_MAIN(tests)
