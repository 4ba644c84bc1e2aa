/* SPDX-License-Identifier: MIT */
/*
 * Storage keys (PoP 3.4 "Protection", "Storage Key"; chapter 10: INSERT
 * STORAGE KEY EXTENDED, SET STORAGE KEY EXTENDED, RESET REFERENCE BIT
 * EXTENDED, INSERT VIRTUAL STORAGE KEY, TEST PROTECTION): one 7-bit key per
 * 4 KiB block of absolute storage, access-control bits (ACC), fetch-
 * protection (F), reference (R) and change (C), as ISKE returns it in bits
 * 56-62 of a register.
 */
#ifndef S390X_ASM_SKEY_H
#define S390X_ASM_SKEY_H

#include "libc.h"

#define SKEY_ACC_SHIFT		4
#define SKEY_ACC		0xf0
#define SKEY_FETCH		0x08
#define SKEY_REF		0x04
#define SKEY_CHANGE		0x02

/* SSKE's M3 field (conditional-SSKE facility 10; MB: EDAT-1 facility 8). */
#define SSKE_NQ			0x8
#define SSKE_MR			0x4
#define SSKE_MC			0x2
#define SSKE_MB			0x1

static inline uint8_t iske(uintptr_t addr)
{
	uint64_t key = 0;

	asm volatile("iske %0,%1" : "+d"(key) : "a"(addr));
	return key;
}

/* SSKE with M3 0: sets the whole key, R and C included. */
static inline void sske(uintptr_t addr, uint8_t key)
{
	asm volatile("sske %0,%1" : : "d"((uint64_t)key), "a"(addr) : "memory");
}

/* RRBE: the condition code holds the R and C bits before (R * 2 + C). */
static inline int rrbe(uintptr_t addr)
{
	int cc;

	asm volatile("rrbe 0,%1\n\tipm %0\n\tsrl %0,28" : "=d"(cc) : "a"(addr) : "cc");
	return cc;
}

/* TPROT: 0 fetch and store allowed, 1 fetch only, 2 neither, 3 translation not available. */
static inline int tprot(uintptr_t addr, uint8_t key)
{
	int cc;

	asm volatile("tprot 0(%1),0(%2)\n\tipm %0\n\tsrl %0,28"
		     : "=d"(cc) : "a"(addr), "a"((uintptr_t)key << SKEY_ACC_SHIFT) : "cc");
	return cc;
}

/* Set the PSW key (SET PSW KEY FROM ADDRESS). */
static inline void spka(uint8_t key)
{
	asm volatile("spka 0(%0)" : : "a"((uintptr_t)key << SKEY_ACC_SHIFT) : "memory");
}

#endif
