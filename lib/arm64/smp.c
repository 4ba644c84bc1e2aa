// SPDX-License-Identifier: MIT
/*
 * CPUs from the devicetree's /cpus (reg = MPIDR affinity) and their
 * bring-up through PSCI CPU_ON before main(), every boot, one at a time.
 * A secondary enters at secondary_entry (cstart64.S) with its number as
 * the context ID, turns its MMU on with arm64_mmu_regs, takes its stack
 * from arm64_stack_top and parks in lib's idle loop.
 */
#include "alloc.h"
#include "arm64.h"
#include "asm/processor.h"
#include "asm/sysreg.h"
#include "asm/timer.h"
#include "cpu.h"
#include "devicetree.h"
#include "gic.h"
#include "psci.h"
#include "report.h"

static uint64_t mpidrs[MAX_CPUS];
uintptr_t arm64_stack_top[MAX_CPUS];

uint64_t cpu_mpidr(int cpu)
{
	return mpidrs[cpu];
}

int mpidr_to_cpu(uint64_t mpidr)
{
	for (int i = 0; i < cpu_count(); i++)
		if (mpidrs[i] == (mpidr & MPIDR_AFF_MASK))
			return i;
	return -1;
}

int smp_id(void)
{
	int cpu = mpidr_to_cpu(mpidr_affinity());

	return cpu < 0 ? 0 : cpu;
}

/* The boot CPU becomes CPU 0, the others follow in devicetree order. */
void smp_discover(void)
{
	uint64_t ids[MAX_CPUS];
	uint64_t self = mpidr_affinity();
	int n = dt_cpus(ids, MAX_CPUS), next = 1;

	if (n > MAX_CPUS)
		report_abort("the devicetree lists %d CPUs: hvprobe supports %d", n, MAX_CPUS);
	if (n < 1)
		report_abort("the devicetree lists no CPU under /cpus");
	mpidrs[0] = self;
	for (int i = 0; i < n; i++) {
		if ((ids[i] & MPIDR_AFF_MASK) == self)
			continue;
		if (next == n)
			report_abort("/cpus does not list the boot CPU (MPIDR %#lx)",
				     (unsigned long)self);
		mpidrs[next++] = ids[i] & MPIDR_AFF_MASK;
	}
	smp_set_cpu_count(n);
	smp_cpu_online(0);
}

void arm64_secondary_main(int cpu)
{
	gic_cpu_init();
	smp_idle_loop(cpu);
}

int cpu_power_on(int cpu)
{
	int ret;

	if (cpu <= 0 || cpu >= cpu_count() || smp_cpu_is_online(cpu))
		report_abort("cpu_power_on: CPU %d is not an offline secondary", cpu);
	if (!arm64_stack_top[cpu]) {
		void *stack = alloc_pages(2);

		if (!stack)
			report_abort("out of memory for CPU %d's stack", cpu);
		arm64_stack_top[cpu] = (uintptr_t)stack + STACK_SIZE;
	}
	/* After cpu_power_off() the CPU may still be on its way down. */
	for (int ms = 0; ms < 5000 && psci_affinity_info(mpidrs[cpu], 0) == PSCI_AFFINITY_ON;
	     ms++)
		mdelay(1);
	ret = psci_cpu_on(mpidrs[cpu], (uintptr_t)secondary_entry, cpu);
	if (ret != PSCI_SUCCESS)
		return ret;
	/*
	 * Generous, 5 s: a TCG vCPU thread may need a while to be scheduled.
	 * Looking every 20 us, so that a CPU costs no more than it takes to start.
	 */
	for (int t = 0; t < 5000000 / 20 && !smp_cpu_is_online(cpu); t++)
		udelay(20);
	return smp_cpu_is_online(cpu) ? PSCI_SUCCESS : -1;
}

int cpu_power_off(void)
{
	int cpu = smp_id(), ret;

	if (cpu == 0)
		report_abort("cpu_power_off: the boot CPU runs main() and stays on");
	smp_cpu_offline(cpu);
	ret = psci_cpu_off();
	smp_cpu_online(cpu);
	return ret;
}

void smp_boot_secondaries(void)
{
	if (cpu_count() > 1 && psci_conduit() == PSCI_CONDUIT_NONE)
		report_abort("%d CPUs but no PSCI in the devicetree to start them", cpu_count());
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		int ret = cpu_power_on(cpu);

		if (ret)
			report_abort("CPU %d (MPIDR %#lx) did not come online: PSCI CPU_ON %d", cpu,
				     (unsigned long)mpidrs[cpu], ret);
	}
}

/*
 * The kick is SGI GIC_SGI_KICK, accounted for where it is taken (gic.c).
 * Without a GIC it is SEV, which no handler sees: account for it here,
 * before the event that ends the target's WFE.
 */
void arch_cpu_kick(int cpu)
{
	if (gic_version()) {
		gic_send_sgi(cpu, GIC_SGI_KICK);
	} else {
		smp_kick_received(cpu);
		dsb(ish);
		sev();
	}
}
