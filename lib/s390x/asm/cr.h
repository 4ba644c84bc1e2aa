/* SPDX-License-Identifier: MIT */
/*
 * Control registers (PoP 4.5 "Control Registers", figure "Assignment of
 * control-register fields"): the bits the port and the tests use, and
 * STCTG/LCTLG on one register. Bit n of the PoP is CR_BIT(n), bit 0 the
 * most significant.
 */
#ifndef S390X_ASM_CR_H
#define S390X_ASM_CR_H

#ifdef __ASSEMBLER__
#define CR_BIT(n)		(1 << (63 - (n)))
#else
#define CR_BIT(n)		(1ULL << (63 - (n)))
#endif

/* CR0 */
#define CR0_LOW_ADDR_PROT	CR_BIT(35)
#define CR0_FETCH_PROT_OVERRIDE	CR_BIT(38)
#define CR0_STORAGE_PROT_OVERRIDE CR_BIT(39)
#define CR0_EDAT		CR_BIT(40)
#define CR0_AFP			CR_BIT(45)
#define CR0_VECTOR		CR_BIT(46)
#define CR0_MALFUNCTION_ALERT	CR_BIT(48)
#define CR0_EMERGENCY_SIGNAL	CR_BIT(49)
#define CR0_EXTERNAL_CALL	CR_BIT(50)
#define CR0_CLOCK_COMP		CR_BIT(52)
#define CR0_CPU_TIMER		CR_BIT(53)
#define CR0_SERVICE_SIGNAL	CR_BIT(54)
/* The value after an initial CPU reset (PoP 4.4.2, figure "Initial values"). */
#define CR0_RESET		0xe0
#define CR14_RESET		0xc2000000

/* CR9: PER event masks (PoP 4.7.2). */
#define CR9_PER_BRANCH		CR_BIT(32)
#define CR9_PER_IFETCH		CR_BIT(33)
#define CR9_PER_STORE		CR_BIT(34)
#define CR9_PER_STORE_REAL	CR_BIT(36)

#ifndef __ASSEMBLER__
#include "libc.h"

#define stctg(cr)							\
	({								\
		uint64_t __v;						\
		asm volatile("stctg %1,%1,%0" : "=Q"(__v) : "i"(cr));	\
		__v;							\
	})

#define lctlg(cr, val)							\
	do {								\
		uint64_t __v = (val);					\
		asm volatile("lctlg %1,%1,%0" : : "Q"(__v), "i"(cr) : "memory"); \
	} while (0)

#define ctl_set_bits(cr, bits)		lctlg(cr, stctg(cr) | (bits))
#define ctl_clear_bits(cr, bits)	lctlg(cr, stctg(cr) & ~(uint64_t)(bits))

/*
 * Low-address protection (PoP 3.4.4) on or off for this CPU: stores to
 * effective addresses 0-511 and 4096-4607 are protection exceptions while
 * it is on. lib leaves it off; the interruption stubs work either way.
 */
static inline void low_address_protection(bool on)
{
	if (on)
		ctl_set_bits(0, CR0_LOW_ADDR_PROT);
	else
		ctl_clear_bits(0, CR0_LOW_ADDR_PROT);
}
#endif

#endif
