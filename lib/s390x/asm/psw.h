/* SPDX-License-Identifier: MIT */
/*
 * The z/Architecture program-status word (PoP SA22-7832, 4.3 "Program-Status
 * Word", figure 4-1): a 64-bit mask and a 64-bit instruction address. One
 * header for the entry code and C alike: the mask bits are plain numbers,
 * PSW_BIT(n) naming PoP bit n (bit 0 is the most significant).
 *
 * The short (8-byte) PSW of LOAD PSW (PoP 10, "LOAD PSW") has bit 12 one and
 * a 31-bit instruction address in bits 33-63; LPSW turns it into a PSW with
 * bit 12 zero.
 */
#ifndef S390X_ASM_PSW_H
#define S390X_ASM_PSW_H

/* gas computes in 64 bits: the same expressions serve .quad. */
#ifdef __ASSEMBLER__
#define PSW_BIT(n)		(1 << (63 - (n)))
#define PSW_U64(x)			x
#else
#define PSW_BIT(n)		(1ULL << (63 - (n)))
#define PSW_U64(x)			x##ULL
#endif

#define PSW_MASK_PER		PSW_BIT(1)
#define PSW_MASK_DAT		PSW_BIT(5)
#define PSW_MASK_IO		PSW_BIT(6)
#define PSW_MASK_EXT		PSW_BIT(7)
#define PSW_MASK_KEY_SHIFT	52		/* bits 8-11 */
#define PSW_MASK_KEY		(PSW_U64(0xf) << PSW_MASK_KEY_SHIFT)
#define PSW_MASK_SHORT		PSW_BIT(12)	/* must be 0 in a PSW, 1 in a short PSW */
#define PSW_MASK_MCHECK		PSW_BIT(13)
#define PSW_MASK_WAIT		PSW_BIT(14)
#define PSW_MASK_PSTATE		PSW_BIT(15)	/* problem state */
#define PSW_MASK_AS_SHIFT	46		/* bits 16-17: address-space control */
#define PSW_MASK_AS		(PSW_U64(3) << PSW_MASK_AS_SHIFT)
#define PSW_MASK_CC_SHIFT	44		/* bits 18-19 */
#define PSW_MASK_CC		(PSW_U64(3) << PSW_MASK_CC_SHIFT)
#define PSW_MASK_PM_SHIFT	40		/* bits 20-23: the program mask */
#define PSW_MASK_PM		(PSW_U64(0xf) << PSW_MASK_PM_SHIFT)
#define PSW_MASK_EA		PSW_BIT(31)	/* extended addressing */
#define PSW_MASK_BA		PSW_BIT(32)	/* basic addressing */
#define PSW_MASK_64		(PSW_MASK_EA | PSW_MASK_BA)

/* Program-mask bits (PSW bits 20-23), as in the PSW and as SPM/IPM see them. */
#define PM_FIXED_OVERFLOW	0x8
#define PM_DECIMAL_OVERFLOW	0x4
#define PM_HFP_UNDERFLOW	0x2
#define PM_HFP_SIGNIFICANCE	0x1

/* The bits that must be zero in a PSW (PoP 4.3.1: 0, 2-4, 24-30, 33-63). */
#define PSW_MASK_UNASSIGNED	(PSW_BIT(0) | PSW_BIT(2) | PSW_BIT(3) | PSW_BIT(4) | \
				 (PSW_U64(0x7f) << 33) | PSW_U64(0x7fffffff))

/*
 * The system-mask byte (PSW bits 0-7) as STOSM/STNSM and SSM handle it:
 * PER, DAT, I/O, external.
 */
#define SM_PER			0x40
#define SM_DAT			0x04
#define SM_IO			0x02
#define SM_EXT			0x01

/* The mask of every new PSW of the port: 64-bit addressing, DAT off, all masked. */
#define PSW_KERNEL		PSW_MASK_64

#ifndef __ASSEMBLER__
#include "libc.h"

struct psw {
	uint64_t mask;
	uint64_t addr;
} __aligned(8);

/* The 8-byte ESA/390-format PSW of LPSW. */
struct short_psw {
	uint32_t mask;
	uint32_t addr;		/* bit 32 (BA) and the 31-bit address */
} __aligned(8);

#define PSW(m, a)		((struct psw){ .mask = (m), .addr = (uint64_t)(a) })

/* The condition code of @mask (a PSW mask). */
static inline int psw_cc(uint64_t mask)
{
	return (mask & PSW_MASK_CC) >> PSW_MASK_CC_SHIFT;
}
#endif

#endif
