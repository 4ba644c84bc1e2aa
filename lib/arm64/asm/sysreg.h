/* SPDX-License-Identifier: MIT */
/*
 * System register access and the register fields the port uses (Arm ARM
 * DDI 0487, chapter D17 "AArch64 System Register Descriptions"). Usable
 * from assembly for the constants.
 */
#ifndef ARM64_ASM_SYSREG_H
#define ARM64_ASM_SYSREG_H

#ifdef __ASSEMBLER__
#define _UL(x)			x
#else
#define _UL(x)			x##UL
#endif
#define __BIT(n)		(1 << (n))
#define __BIT64(n)		(_UL(1) << (n))

/*
 * SCTLR_EL1 (D17.2.118): the bits RES1 in Armv8.0 are 29, 28, 23, 22, 20, 11;
 * with FEAT_PAN bit 23 is SPAN, 1: taking an exception to EL1 leaves PSTATE.PAN.
 */
#define SCTLR_M			__BIT(0)
#define SCTLR_A			__BIT(1)
#define SCTLR_C			__BIT(2)
#define SCTLR_SA		__BIT(3)
#define SCTLR_SA0		__BIT(4)
#define SCTLR_I			__BIT(12)
#define SCTLR_nTWI		__BIT(16)
#define SCTLR_nTWE		__BIT(18)
#define SCTLR_WXN		__BIT(19)
#define SCTLR_EL1_RES1		0x30d00800
/* MMU and data cache off, as the PE runs before arm64_mmu_on(). */
#define SCTLR_EL1_BOOT		(SCTLR_EL1_RES1 | SCTLR_nTWI | SCTLR_nTWE | SCTLR_SA | \
				 SCTLR_SA0 | SCTLR_I)
#define SCTLR_EL1_MMU		(SCTLR_EL1_BOOT | SCTLR_M | SCTLR_C)
/* SCTLR_EL2 with HCR_EL2.E2H == 0: RES1 bits 29, 28, 23, 22, 18, 16, 11, 5, 4; MMU off. */
#define SCTLR_EL2_RES1		0x30c50830

/* CPACR_EL1.FPEN: FP/SIMD instructions do not trap (the port itself never uses them). */
#define CPACR_FPEN		(3 << 20)

/* HCR_EL2 (D17.2.48). */
#define HCR_RW			__BIT64(31)
#define HCR_APK			__BIT64(40)
#define HCR_API			__BIT64(41)
/* CPTR_EL2 with E2H == 0: RES1 bits 13, 12, 9, 7:0; TFP (10) and TZ (8) clear. */
#define CPTR_EL2_NOTRAP		0x32ff
/* CNTHCTL_EL2 with E2H == 0: EL1PCTEN, EL1PCEN: EL1 reaches the physical timer. */
#define CNTHCTL_EL1PCTEN_PCEN	3
/* SPSR: EL1h (SP_EL1), D, A, I, F masked. */
#define SPSR_EL1H_MASKED	0x3c5
#define SPSR_DAIF		0x3c0
#define SPSR_MODE_MASK		0xf
#define SPSR_MODE_EL0T		0x0
#define SPSR_MODE_EL1H		0x5

/* CurrentEL[3:2]. */
#define CURRENTEL_EL1		(1 << 2)
#define CURRENTEL_EL2		(2 << 2)

/* TCR_EL1 (D17.2.131) for 48-bit VAs in TTBR0 with 4 KiB pages, TTBR1 off. */
#define TCR_T0SZ_48		16
#define TCR_IRGN0_WBWA		(1 << 8)
#define TCR_ORGN0_WBWA		(1 << 10)
#define TCR_SH0_INNER		(3 << 12)
#define TCR_TG0_4K		(0 << 14)
#define TCR_T1SZ_48		(16 << 16)
#define TCR_EPD1		__BIT64(23)
#define TCR_TG1_4K		(_UL(2) << 30)
#define TCR_IPS_SHIFT		32

/* MAIR_EL1 attribute indexes the port's descriptors use. */
#define MAIR_IDX_NORMAL		0	/* Inner/Outer Write-Back, RW-Allocate */
#define MAIR_IDX_DEVICE		1	/* Device-nGnRnE */
#define MAIR_IDX_DEVICE_nGnRE	2
#define MAIR_IDX_NORMAL_NC	3	/* Non-cacheable */
#define MAIR_EL1_VALUE		(_UL(0xff) | _UL(0x00) << 8 | _UL(0x04) << 16 | _UL(0x44) << 24)

/* ID register fields (D17.2.6x). */
#define ID_AA64PFR0_EL2_SHIFT	8
#define ID_AA64PFR0_GIC_SHIFT	24
#define ID_AA64DFR0_PMUVER_SHIFT 8
#define ID_AA64MMFR0_PARANGE_MASK 0xf
#define ID_AA64MMFR1_PAN_SHIFT	20

/* ESR_ELx (D17.2.37). */
#define ESR_EC_SHIFT		26
#define ESR_IL			__BIT(25)
#define ESR_ISS_MASK		0x1ffffff

#ifndef __ASSEMBLER__
#include "libc.h"

#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

/* read_sysreg(ttbr0_el1), write_sysreg(v, s3_0_c12_c12_5): names or encodings. */
#define read_sysreg(r)							\
	({								\
		uint64_t __v;						\
		asm volatile("mrs %0, " __stringify(r) : "=r"(__v));	\
		__v;							\
	})
#define write_sysreg(v, r)						\
	asm volatile("msr " __stringify(r) ", %x0" : : "rZ"((uint64_t)(v)) : "memory")

#define isb()			asm volatile("isb" : : : "memory")
#define dsb(opt)		asm volatile("dsb " #opt : : : "memory")
#define dmb(opt)		asm volatile("dmb " #opt : : : "memory")

static inline unsigned int id_field(uint64_t reg, int shift)
{
	return (reg >> shift) & 0xf;
}

static inline unsigned int current_el(void)
{
	return (read_sysreg(CurrentEL) >> 2) & 3;
}

/* MPIDR_EL1 affinity fields Aff3..Aff0 (bits 39:32, 23:0). */
#define MPIDR_AFF_MASK		_UL(0xff00ffffff)

static inline uint64_t mpidr_affinity(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

#endif /* __ASSEMBLER__ */
#endif
