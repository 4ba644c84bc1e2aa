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
#include "report.h"
#include "s390x.h"

static uint16_t addrs[MAX_CPUS];

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

static void start_cpu(int cpu)
{
	void *lowcore = alloc_pages(1);		/* 8 KiB, aligned to its size */
	void *stack = alloc_pages(2);
	uint32_t status = 0;
	int cc;

	if (!lowcore || !stack)
		report_abort("out of memory for CPU %d's lowcore and stack", cpu);
	memset(lowcore, 0, LOWCORE_SIZE);
	lowcore_init((uintptr_t)lowcore, cpu, (uintptr_t)stack + STACK_SIZE);
	cc = sigp_retry(cpu, SIGP_SET_PREFIX, (uintptr_t)lowcore, &status);
	if (cc)
		report_abort("SIGP SET PREFIX to CPU %d (address %u): cc %d, status %#x", cpu,
			     addrs[cpu], cc, status);
	cc = sigp_retry(cpu, SIGP_RESTART, 0, &status);
	if (cc)
		report_abort("SIGP RESTART of CPU %d (address %u): cc %d, status %#x", cpu,
			     addrs[cpu], cc, status);
	/*
	 * Generous, 5 s: a TCG vCPU thread may need a while to be scheduled.
	 * Looking every 20 us, so that a CPU costs no more than it takes to start.
	 */
	for (int t = 0; t < 5000000 / 20 && !smp_cpu_is_online(cpu); t++)
		udelay(20);
	if (!smp_cpu_is_online(cpu))
		report_abort("CPU %d (address %u) did not come online", cpu, addrs[cpu]);
}

void smp_boot_secondaries(void)
{
	for (int cpu = 1; cpu < cpu_count(); cpu++)
		start_cpu(cpu);
}

void arch_cpu_kick(int cpu)
{
	sigp_retry(cpu, SIGP_EMERGENCY_SIGNAL, 0, NULL);
}
