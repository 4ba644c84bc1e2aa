/* SPDX-License-Identifier: MIT */
/* Interrupt masking, wait and event instructions, cache maintenance by VA. */
#ifndef ARM64_ASM_PROCESSOR_H
#define ARM64_ASM_PROCESSOR_H

#include "asm/sysreg.h"

static inline void local_irq_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

static inline bool irqs_enabled(void)
{
	return !(read_sysreg(daif) & (1 << 7));
}

static inline void wfi(void)
{
	asm volatile("wfi" : : : "memory");
}

static inline void wfe(void)
{
	asm volatile("wfe" : : : "memory");
}

static inline void sev(void)
{
	asm volatile("sev" : : : "memory");
}

/* Smallest data cache line, from CTR_EL0.DminLine (log2 of words). */
static inline size_t dcache_line_size(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/* DC <op> for each line of [start, start + size), then DSB SY. */
#define dcache_by_va(op, start, size)						\
	do {									\
		size_t __line = dcache_line_size();				\
		uintptr_t __end = (uintptr_t)(start) + (size);			\
										\
		for (uintptr_t __p = ALIGN_DOWN((uintptr_t)(start), __line);	\
		     __p < __end; __p += __line)				\
			asm volatile("dc " op ", %0" : : "r"(__p) : "memory");	\
		dsb(sy);							\
	} while (0)

/* Clean to the point of coherency: another observer with caches off sees it. */
static inline void dcache_clean_poc(const void *start, size_t size)
{
	dcache_by_va("cvac", start, size);
}

/* Invalidate to the point of coherency: drop stale lines, memory stays. */
static inline void dcache_inval_poc(const void *start, size_t size)
{
	dcache_by_va("ivac", start, size);
}

#endif
