// SPDX-License-Identifier: MIT
/*
 * on_cpu() and friends over per-CPU mailboxes. Secondaries sleep in
 * arch_cpu_wait() (HLT, WFI, ...) between jobs; posting a job kicks them.
 */
#include "arch.h"
#include "report.h"
#include "smp.h"

struct mailbox {
	void (*fn)(void *);
	void *data;
	int busy;	/* set by the poster, cleared by the CPU when fn returned */
} __aligned(64);

static struct mailbox mailboxes[MAX_CPUS];
static struct cpumask online;
static int nr_cpus = 1;

int cpu_count(void)
{
	return nr_cpus;
}

void smp_set_cpu_count(int n)
{
	if (n < 1 || n > MAX_CPUS)
		report_abort("%d CPUs: hvprobe supports 1 to %d", n, MAX_CPUS);
	nr_cpus = n;
}

void smp_cpu_online(int cpu)
{
	cpumask_set(&online, cpu);
}

void smp_cpu_offline(int cpu)
{
	cpumask_clear(&online, cpu);
	__atomic_store_n(&mailboxes[cpu].busy, 0, __ATOMIC_RELEASE);
}

bool smp_cpu_is_online(int cpu)
{
	return cpumask_test(&online, cpu);
}

int cpumask_weight(const struct cpumask *m)
{
	int w = 0;

	for (size_t i = 0; i < ARRAY_SIZE(m->bits); i++)
		w += __builtin_popcountl(m->bits[i]);
	return w;
}

void smp_idle_loop(int cpu)
{
	struct mailbox *mb = &mailboxes[cpu];

	smp_cpu_online(cpu);
	for (;;) {
		/* Check with interrupts off so a kick cannot slip in before the wait. */
		arch_irq_disable();
		while (!__atomic_load_n(&mb->busy, __ATOMIC_ACQUIRE)) {
			arch_cpu_wait();
			arch_irq_disable();
		}
		/* Work runs with interrupts disabled, as main() starts on CPU 0. */
		mb->fn(mb->data);
		__atomic_store_n(&mb->busy, 0, __ATOMIC_RELEASE);
	}
}

static void check_target(int cpu)
{
	if (cpu < 0 || cpu >= nr_cpus || !smp_cpu_is_online(cpu))
		report_abort("on_cpu: CPU %d is not online (%d CPUs)", cpu, nr_cpus);
	if (cpu == smp_id())
		report_abort("on_cpu_async: CPU %d cannot post work to itself", cpu);
}

void on_cpu_wait(int cpu)
{
	while (__atomic_load_n(&mailboxes[cpu].busy, __ATOMIC_ACQUIRE))
		arch_cpu_relax();
}

void on_cpu_async(int cpu, void (*fn)(void *), void *data)
{
	struct mailbox *mb = &mailboxes[cpu];

	check_target(cpu);
	on_cpu_wait(cpu);
	mb->fn = fn;
	mb->data = data;
	__atomic_store_n(&mb->busy, 1, __ATOMIC_RELEASE);
	arch_cpu_kick(cpu);
}

void on_cpu(int cpu, void (*fn)(void *), void *data)
{
	if (cpu == smp_id()) {
		fn(data);
		return;
	}
	on_cpu_async(cpu, fn, data);
	on_cpu_wait(cpu);
}

void on_cpus(void (*fn)(void *), void *data)
{
	int self = smp_id();

	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != self)
			on_cpu_async(cpu, fn, data);
	fn(data);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu != self)
			on_cpu_wait(cpu);
}
