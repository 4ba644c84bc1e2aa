// SPDX-License-Identifier: MIT
/*
 * on_cpu() and friends over per-CPU mailboxes, and the sleep/wake protocol
 * behind every wait in here: a CPU waiting for work, or for another CPU to
 * finish its work, halts in arch_cpu_wait() (x86 STI;HLT, arm64 WFI) until
 * the CPU that makes its condition true kicks it (an IPI). Under a VMM a
 * halted vCPU costs nothing, where a spinning one executes instructions and
 * takes host CPU time from the vCPU doing the work.
 *
 * The protocol, per CPU, on the word sleepers[cpu].state:
 *   AWAKE   not waiting; nobody kicks it.
 *   ASLEEP  in sleep_until(), about to check its condition or halted.
 *   KICKED  a waker moved it from ASLEEP and sends (or sent) one kick; only
 *           smp_kick_received(), when the kick is taken, moves it to AWAKE.
 * Waiter, interrupts disabled except inside arch_cpu_wait():
 *   W1 state = ASLEEP; W2 if ready(): CAS ASLEEP -> AWAKE, or, if a kick
 *   was committed meanwhile, wait until it is taken; return. W3 halt, then
 *   wait for a committed kick to be taken; go to W1.
 * Waker: K1 make the condition true; K2 CAS ASLEEP -> KICKED, and kick on
 * success.
 *
 * No lost wake-up: W1 and K1 are stores, W2 and K2 loads of the other's
 * location, all sequentially consistent, so either W2 sees the condition or
 * K2 sees ASLEEP and kicks. The kick is an interrupt held pending while the
 * waiter has interrupts disabled, and arch_cpu_wait() cannot miss it: on x86
 * HLT sits in STI's interrupt shadow, on arm64 WFI wakes on a pending
 * interrupt even with PSTATE.I set.
 * No stray kick: one is sent only after ASLEEP -> KICKED, and the waiter
 * returns only in AWAKE, reached by its own CAS (no kick committed) or by
 * the kick being taken. So no kick is ever left pending for test code to
 * find (an SVM INTR intercept, an interrupt count, an IAR read).
 */
#include "arch.h"
#include "report.h"
#include "smp.h"

enum { MB_FREE, MB_CLAIMED, MB_POSTED };
enum { AWAKE, ASLEEP, KICKED };

struct mailbox {
	void (*fn)(void *);
	void *data;
	int state;		/* MB_*: FREE again once fn returned */
	struct cpumask waiters;	/* CPUs sleeping until the state is FREE */
} __aligned(64);

struct sleep_state {
	int state;	/* AWAKE, ASLEEP, KICKED */
} __aligned(64);

static struct mailbox mailboxes[MAX_CPUS];
static struct sleep_state sleepers[MAX_CPUS];
static struct cpumask online;
static int nr_cpus = 1;

static int load(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_SEQ_CST);
}

static void store(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_SEQ_CST);
}

static bool cas(int *p, int old, int new)
{
	return __atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

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

bool smp_kick_received(int cpu)
{
	return cas(&sleepers[cpu].state, KICKED, AWAKE);
}

/* K2: wake @cpu if it sleeps; the caller made its condition true first. */
static void wake(int cpu)
{
	if (cas(&sleepers[cpu].state, ASLEEP, KICKED))
		arch_cpu_kick(cpu);
}

/* A kick committed to this CPU is on its way: halt until it is taken. */
static void take_kick(int *state)
{
	while (load(state) == KICKED) {
		arch_cpu_wait();
		arch_irq_disable();
	}
}

/* W1-W3 for @self, interrupts disabled, until ready(arg). */
static void sleep_until(int self, bool (*ready)(const void *), const void *arg)
{
	int *state = &sleepers[self].state;

	for (;;) {
		store(state, ASLEEP);
		if (ready(arg))
			break;
		arch_cpu_wait();
		arch_irq_disable();
		take_kick(state);
	}
	if (!cas(state, ASLEEP, AWAKE))
		take_kick(state);
}

/* The waits below run with interrupts disabled and give the caller's state back. */
static bool irq_save(void)
{
	bool on = arch_irqs_enabled();

	arch_irq_disable();
	return on;
}

static void irq_restore(bool on)
{
	if (on)
		arch_irq_enable();
}

void smp_cpu_online(int cpu)
{
	cpumask_set(&online, cpu);
}

/* fn returned (or its CPU left): free the mailbox, wake whoever waits for it. */
static void mailbox_done(int cpu)
{
	struct mailbox *mb = &mailboxes[cpu];

	store(&mb->state, MB_FREE);
	for (int w = 0; w < nr_cpus; w++)
		if (cpumask_test(&mb->waiters, w))
			wake(w);
}

void smp_cpu_offline(int cpu)
{
	cpumask_clear(&online, cpu);
	mailbox_done(cpu);
}

static bool work_posted(const void *mb)
{
	return load(&((const struct mailbox *)mb)->state) == MB_POSTED;
}

void smp_idle_loop(int cpu)
{
	struct mailbox *mb = &mailboxes[cpu];

	/* A fresh start (bring-up, CPU_ON again): no kick can be on its way. */
	store(&sleepers[cpu].state, AWAKE);
	arch_irq_disable();
	smp_cpu_online(cpu);
	for (;;) {
		sleep_until(cpu, work_posted, mb);
		/* Work runs with interrupts disabled, as main() starts on CPU 0. */
		mb->fn(mb->data);
		arch_irq_disable();
		mailbox_done(cpu);
	}
}

static void check_target(int cpu, int self)
{
	if (cpu < 0 || cpu >= nr_cpus || !smp_cpu_is_online(cpu))
		report_abort("on_cpu: CPU %d is not online (%d CPUs)", cpu, nr_cpus);
	if (cpu == self)
		report_abort("on_cpu_async: CPU %d cannot post work to itself", cpu);
}

/* The mailboxes of a wait: every CPU of @cpus, and whether all are free. */
struct wait {
	const struct cpumask *cpus;
};

static bool all_free(const void *arg)
{
	const struct wait *w = arg;

	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpumask_test(w->cpus, cpu) && load(&mailboxes[cpu].state) != MB_FREE)
			return false;
	return true;
}

/* Sleep until the mailbox of every CPU in @cpus is free. Interrupts disabled. */
static void wait_free(int self, const struct cpumask *cpus)
{
	struct wait w = { cpus };

	if (all_free(&w))
		return;
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpumask_test(cpus, cpu))
			cpumask_set(&mailboxes[cpu].waiters, self);
	sleep_until(self, all_free, &w);
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		if (cpumask_test(cpus, cpu))
			cpumask_clear(&mailboxes[cpu].waiters, self);
}

static void wait_one(int self, int cpu)
{
	struct cpumask m = { 0 };

	cpumask_set(&m, cpu);
	wait_free(self, &m);
}

void on_cpu_wait(int cpu)
{
	bool irq = irq_save();

	wait_one(smp_id(), cpu);
	irq_restore(irq);
}

/* Claim @cpu's mailbox (waiting while it is in use), fill it and kick @cpu. */
static void post(int self, int cpu, void (*fn)(void *), void *data)
{
	struct mailbox *mb = &mailboxes[cpu];

	check_target(cpu, self);
	while (!cas(&mb->state, MB_FREE, MB_CLAIMED))
		wait_one(self, cpu);
	mb->fn = fn;
	mb->data = data;
	store(&mb->state, MB_POSTED);
	wake(cpu);
}

void on_cpu_async(int cpu, void (*fn)(void *), void *data)
{
	bool irq = irq_save();

	post(smp_id(), cpu, fn, data);
	irq_restore(irq);
}

void on_cpu(int cpu, void (*fn)(void *), void *data)
{
	int self = smp_id();
	bool irq;

	if (cpu == self) {
		fn(data);
		return;
	}
	irq = irq_save();
	post(self, cpu, fn, data);
	wait_one(self, cpu);
	irq_restore(irq);
}

void on_cpus(void (*fn)(void *), void *data)
{
	int self = smp_id();
	struct cpumask others = { 0 };
	bool irq = irq_save();

	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		if (cpu == self)
			continue;
		post(self, cpu, fn, data);
		cpumask_set(&others, cpu);
	}
	irq_restore(irq);
	fn(data);
	irq = irq_save();
	wait_free(self, &others);
	irq_restore(irq);
}
