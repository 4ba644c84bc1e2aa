/* SPDX-License-Identifier: MIT */
/*
 * SMP: every CPU the VMM gave us is online and idling in smp_idle_loop()
 * before main(); on_cpu() hands it work through a per-CPU mailbox. Waiting
 * CPUs, idle ones and those in on_cpu_wait(), halt until kicked (lib/smp.c).
 */
#ifndef LIB_SMP_H
#define LIB_SMP_H

#include "libc.h"
#include "spinlock.h"

#define MAX_CPUS 64

int cpu_count(void);
int smp_id(void);

/* Run fn(data) on @cpu and wait for it to return. */
void on_cpu(int cpu, void (*fn)(void *), void *data);
/* Start fn(data) on @cpu and return at once; on_cpu_wait() joins it. */
void on_cpu_async(int cpu, void (*fn)(void *), void *data);
void on_cpu_wait(int cpu);
/* Run fn(data) on every CPU, this one included, and wait for all. */
void on_cpus(void (*fn)(void *), void *data);

/* Bitmap of CPUs. */
struct cpumask {
	unsigned long bits[(MAX_CPUS + 63) / 64];
};

static inline void cpumask_set(struct cpumask *m, int cpu)
{
	__atomic_fetch_or(&m->bits[cpu / 64], 1UL << (cpu % 64), __ATOMIC_SEQ_CST);
}

static inline bool cpumask_test(const struct cpumask *m, int cpu)
{
	return __atomic_load_n(&m->bits[cpu / 64], __ATOMIC_SEQ_CST) & (1UL << (cpu % 64));
}

static inline void cpumask_clear(struct cpumask *m, int cpu)
{
	__atomic_fetch_and(&m->bits[cpu / 64], ~(1UL << (cpu % 64)), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_all(struct cpumask *m)
{
	memset(m, 0, sizeof(*m));
}

int cpumask_weight(const struct cpumask *m);

/* For ports: register a CPU as online, then park it in the idle loop. */
void smp_set_cpu_count(int n);
void smp_cpu_online(int cpu);
/*
 * @cpu leaves (powers itself off): clear its online bit and end the
 * on_cpu() work it was running, so that on_cpu_wait() returns.
 */
void smp_cpu_offline(int cpu);
bool smp_cpu_is_online(int cpu);
void __noreturn smp_idle_loop(int cpu);
/*
 * For ports: @cpu took a kick of arch_cpu_kick() (from its handler, or for
 * @cpu when the kick is no interrupt). Safe in interrupt context. Returns
 * whether a kick was on its way to @cpu: a port whose kick shares its
 * interruption with tests (s390x: the emergency signal) hands it to the
 * test's handler otherwise.
 */
bool smp_kick_received(int cpu);

#endif
