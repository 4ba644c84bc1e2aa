/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks on the compiler's __atomic builtins: arch-neutral, and usable
 * in host unit tests too.
 */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

struct spinlock {
	int v;
};

void arch_cpu_relax(void);

static inline void spin_lock(struct spinlock *l)
{
	while (__atomic_exchange_n(&l->v, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->v, __ATOMIC_RELAXED))
			arch_cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->v, 0, __ATOMIC_RELEASE);
}

#endif
