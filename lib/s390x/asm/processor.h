/* SPDX-License-Identifier: MIT */
/*
 * CPU instructions the port and tests use by name (PoP chapters 7 and 10):
 * CPU identity (STAP, STIDP), the PSW (EPSW, the system mask), facilities
 * (STFLE), the clocks (STCK, STCKE, STCKF, SCK, SCKC, STCKC, SPT, STPT),
 * and the interruption masks of lib's contract.
 */
#ifndef S390X_ASM_PROCESSOR_H
#define S390X_ASM_PROCESSOR_H

#include "libc.h"
#include "asm/psw.h"

/* STORE CPU ADDRESS. */
static inline uint16_t stap(void)
{
	uint16_t addr;

	asm volatile("stap %0" : "=Q"(addr));
	return addr;
}

/* STORE CPU ID. */
static inline uint64_t stidp(void)
{
	uint64_t id;

	asm volatile("stidp %0" : "=Q"(id));
	return id;
}

/*
 * The current PSW mask through EXTRACT PSW: bits 0-31 into R1, 32-63 into
 * R2, unless R2 is 0 (then left alone): hence "a", never r0.
 */
static inline uint64_t extract_psw_mask(void)
{
	uint64_t hi = 0, lo = 0;

	asm volatile("epsw %0,%1" : "+a"(hi), "+a"(lo));
	hi &= 0xffffffff;
	lo &= 0xffffffff;
	return (uint64_t)hi << 32 | lo;
}

/* STORE THEN AND/OR SYSTEM MASK: returns the system mask before. */
#define stnsm(mask)							\
	({								\
		uint8_t __old;						\
		asm volatile("stnsm %0,%1" : "=Q"(__old) : "i"(mask) : "memory"); \
		__old;							\
	})
#define stosm(mask)							\
	({								\
		uint8_t __old;						\
		asm volatile("stosm %0,%1" : "=Q"(__old) : "i"(mask) : "memory"); \
		__old;							\
	})

static inline void local_irq_disable(void)
{
	stnsm(0xff & ~(SM_IO | SM_EXT));
}

static inline void local_irq_enable(void)
{
	stosm(SM_IO | SM_EXT);
}

/* Load @psw (LPSWE): continues wherever it says. */
static inline void load_psw(const struct psw *psw)
{
	asm volatile("lpswe %0" : : "Q"(*psw) : "memory", "cc");
}

/*
 * STORE FACILITY LIST EXTENDED into @list (@n doublewords). Returns the
 * number of doublewords the CPU has facility bits for.
 */
static inline int stfle(uint64_t *list, int n)
{
	register uint64_t r0 asm("0") = n - 1;

	asm volatile("stfle %0" : "=Q"(*(uint64_t (*)[n])list), "+d"(r0) : : "cc", "memory");
	return r0 + 1;
}

/* Facility bit @nr (PoP figure "Assignment of facility bits"), from lib's STFLE copy. */
bool test_facility(int nr);

/* STORE CLOCK: returns the condition code (0 set, 1 not set, 2 error, 3 stopped). */
static inline int stck(uint64_t *clk)
{
	int cc;

	asm volatile("stck %0\n\tipm %1\n\tsrl %1,28" : "=Q"(*clk), "=d"(cc) : : "cc");
	return cc;
}

/* STORE CLOCK FAST (facility 25). */
static inline int stckf(uint64_t *clk)
{
	int cc;

	asm volatile("stckf %0\n\tipm %1\n\tsrl %1,28" : "=Q"(*clk), "=d"(cc) : : "cc");
	return cc;
}

/* STORE CLOCK EXTENDED: 16 bytes (epoch index, TOD bits 0-103, programmable field). */
static inline int stcke(uint8_t clk[16])
{
	int cc;

	asm volatile("stcke %0\n\tipm %1\n\tsrl %1,28"
		     : "=Q"(*(uint8_t (*)[16])clk), "=d"(cc) : : "cc");
	return cc;
}

static inline uint64_t get_clock(void)
{
	uint64_t clk;

	stckf(&clk);
	return clk;
}

/* TOD clock units: bit 51 is one microsecond. */
#define TOD_PER_US		4096ULL

static inline void set_clock_comparator(uint64_t v)
{
	asm volatile("sckc %0" : : "Q"(v));
}

static inline uint64_t get_clock_comparator(void)
{
	uint64_t v;

	asm volatile("stckc %0" : "=Q"(v));
	return v;
}

static inline void set_cpu_timer(int64_t v)
{
	asm volatile("spt %0" : : "Q"(v));
}

static inline int64_t get_cpu_timer(void)
{
	int64_t v;

	asm volatile("stpt %0" : "=Q"(v));
	return v;
}

static inline void cpu_relax(void)
{
	barrier();
}

#endif
