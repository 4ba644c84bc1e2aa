// SPDX-License-Identifier: MIT
/*
 * CPUs from SCLP read SCP info (their CPU addresses), started before main()
 * through SIGNAL PROCESSOR (PoP 4.9): SET PREFIX to a lowcore of their own,
 * then RESTART, whose new PSW (lowcore_init()) enters secondary_entry on the
 * stack the lowcore names. lib numbers CPUs from 0, the boot CPU first, the
 * others in SCLP order; STORE CPU ADDRESS tells a CPU its number.
 *
 * lib's wake-up kick is the emergency signal (external-interruption code
 * 0x1201), unmasked in CR0 on every CPU; traps.c takes it as the kick only
 * while the receiving CPU sleeps in lib/smp.c, so a test's own emergency
 * signals to a CPU that runs test code reach the test's handler.
 */
#include "alloc.h"
#include "arch.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "asm/sigp.h"
#include "cpu.h"
#include "report.h"
#include "s390x.h"

static uint16_t addrs[MAX_CPUS];
static void *lowcores[MAX_CPUS], *stacks[MAX_CPUS];

uint16_t cpu_address(int cpu)
{
	return addrs[cpu];
}

int smp_id(void)
{
	uint16_t self = stap();

	for (int i = 0; i < cpu_count(); i++)
		if (addrs[i] == self)
			return i;
	return 0;
}

void smp_discover(void)
{
	uint16_t ids[MAX_CPUS];
	uint16_t self = stap();
	int n = sclp_cpus(ids, MAX_CPUS), next = 1;

	if (n < 1)
		report_abort("SCLP read SCP info lists no CPU");
	addrs[0] = self;
	for (int i = 0; i < n; i++) {
		if (ids[i] == self)
			continue;
		if (next == n)
			report_abort("SCLP does not list the boot CPU (address %u)", self);
		addrs[next++] = ids[i];
	}
	smp_set_cpu_count(n);
	smp_cpu_online(0);
}

/* Retry while the target is busy with an earlier order (condition code 2). */
static int sigp_retry(int cpu, uint8_t order, uint64_t param, uint32_t *status)
{
	int cc;

	while ((cc = sigp(addrs[cpu], order, param, status)) == SIGP_CC_BUSY)
		cpu_relax();
	return cc;
}

uintptr_t cpu_lowcore(int cpu)
{
	return (uintptr_t)lowcores[cpu];
}

/*
 * Start stopped @cpu at lib's entry; a message for what went wrong, or NULL.
 * An initial CPU reset first: the CPU starts as it did at boot, whatever a
 * test left in it, with no interruption pending and no wait-state PSW
 * (QEMU 7.2 TCG does not run a CPU restarted from a stop in the wait state:
 * known-failures.txt, sigp).
 */
static const char *start_cpu(int cpu)
{
	uint32_t status = 0;

	if (sigp_retry(cpu, SIGP_INITIAL_CPU_RESET, 0, &status))
		return "SIGP INITIAL CPU RESET was refused";
	memset(lowcores[cpu], 0, LOWCORE_SIZE);
	lowcore_init((uintptr_t)lowcores[cpu], cpu, (uintptr_t)stacks[cpu] + STACK_SIZE);
	if (sigp_retry(cpu, SIGP_SET_PREFIX, (uintptr_t)lowcores[cpu], &status))
		return "SIGP SET PREFIX was refused";
	if (sigp_retry(cpu, SIGP_RESTART, 0, &status))
		return "SIGP RESTART was refused";
	/*
	 * Generous, 5 s: a TCG vCPU thread may need a while to be scheduled.
	 * Looking every 20 us, so that a CPU costs no more than it takes to start.
	 */
	for (int t = 0; t < 5000000 / 20 && !smp_cpu_is_online(cpu); t++)
		udelay(20);
	return smp_cpu_is_online(cpu) ? NULL : "it did not come online";
}

void smp_boot_secondaries(void)
{
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		const char *why;

		lowcores[cpu] = alloc_pages(1);		/* 8 KiB, aligned to its size */
		stacks[cpu] = alloc_pages(2);
		if (!lowcores[cpu] || !stacks[cpu])
			report_abort("out of memory for CPU %d's lowcore and stack", cpu);
		why = start_cpu(cpu);
		if (why)
			report_abort("CPU %d (address %u): %s", cpu, addrs[cpu], why);
	}
}

static void check_secondary(int cpu, const char *fn)
{
	if (cpu <= 0 || cpu >= cpu_count())
		report_abort("%s: CPU %d is not a secondary", fn, cpu);
}

int cpu_stop(int cpu)
{
	uint32_t status = 0;
	int cc;

	check_secondary(cpu, "cpu_stop");
	smp_cpu_offline(cpu);
	cc = sigp_retry(cpu, SIGP_STOP, 0, &status);
	if (cc)
		return cc;
	for (int t = 0; t < 5000000 / 20; t++) {
		status = 0;
		cc = sigp(addrs[cpu], SIGP_SENSE, 0, &status);
		if (cc == SIGP_CC_STATUS_STORED && (status & SIGP_STATUS_STOPPED))
			return 0;
		udelay(20);
	}
	return -1;
}

int cpu_restart(int cpu)
{
	check_secondary(cpu, "cpu_restart");
	return start_cpu(cpu) ? -1 : 0;
}

void arch_cpu_kick(int cpu)
{
	sigp_retry(cpu, SIGP_EMERGENCY_SIGNAL, 0, NULL);
}
