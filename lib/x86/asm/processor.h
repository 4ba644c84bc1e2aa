/* SPDX-License-Identifier: MIT */
/*
 * Basic x86_64 instructions as inline functions: CPUID, MSRs, control
 * registers, port I/O, TSC, interrupt flag.
 */
#ifndef X86_ASM_PROCESSOR_H
#define X86_ASM_PROCESSOR_H

#include "libc.h"

struct cpuid {
	uint32_t a, b, c, d;
};

static inline struct cpuid cpuid_count(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;

	asm volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d) : "a"(leaf), "c"(sub));
	return r;
}

static inline struct cpuid cpuid(uint32_t leaf)
{
	return cpuid_count(leaf, 0);
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return lo | (uint64_t)hi << 32;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

#define DEFINE_CR(n)								\
	static inline uint64_t read_cr##n(void)					\
	{									\
		uint64_t v;							\
		asm volatile("mov %%cr" #n ", %0" : "=r"(v) : : "memory");	\
		return v;							\
	}									\
	static inline void write_cr##n(uint64_t v)				\
	{									\
		asm volatile("mov %0, %%cr" #n : : "r"(v) : "memory");		\
	}
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
DEFINE_CR(8)
#undef DEFINE_CR

#define DEFINE_DR(n)								\
	static inline uint64_t read_dr##n(void)					\
	{									\
		uint64_t v;							\
		asm volatile("mov %%dr" #n ", %0" : "=r"(v));			\
		return v;							\
	}									\
	static inline void write_dr##n(uint64_t v)				\
	{									\
		asm volatile("mov %0, %%dr" #n : : "r"(v));			\
	}
DEFINE_DR(0)
DEFINE_DR(1)
DEFINE_DR(2)
DEFINE_DR(3)
DEFINE_DR(6)
DEFINE_DR(7)
#undef DEFINE_DR

static inline uint64_t read_rflags(void)
{
	uint64_t f;

	asm volatile("pushf; pop %0" : "=r"(f));
	return f;
}

static inline void write_rflags(uint64_t f)
{
	asm volatile("push %0; popf" : : "r"(f) : "memory", "cc");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return lo | (uint64_t)hi << 32;
}

static inline uint64_t rdtscp(uint32_t *aux)
{
	uint32_t lo, hi, c;

	asm volatile("rdtscp" : "=a"(lo), "=d"(hi), "=c"(c));
	if (aux)
		*aux = c;
	return lo | (uint64_t)hi << 32;
}

static inline void outb(uint8_t v, uint16_t port)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t v, uint16_t port)
{
	asm volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint32_t v, uint16_t port)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	asm volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void irq_enable(void)
{
	asm volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" : : : "memory");
}

static inline void pause(void)
{
	asm volatile("pause");
}

static inline void invlpg(uintptr_t va)
{
	asm volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline void safe_halt(void)
{
	/* STI's interrupt shadow covers HLT: no wake-up is lost in between. */
	asm volatile("sti; hlt" : : : "memory");
}

#endif
