/* SPDX-License-Identifier: MIT */
/*
 * GICv3 registers (GIC architecture spec IHI 0069, chapter 12): the
 * distributor, the redistributor's RD and SGI frames and the CPU interface
 * system registers (by encoding, so any assembler takes them).
 */
#ifndef ARM64_ASM_GIC_V3_H
#define ARM64_ASM_GIC_V3_H

#include "asm/gic.h"

#define GIC_IGRPMODR		0xd00

/* GICD_CTLR with one security state (DS == 1) or as seen from Non-secure. */
#define GICD_CTLR_ARE		(1U << 4)
#define GICD_CTLR_DS		(1U << 6)
#define GICD_CTLR_RWP		(1U << 31)
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8

/* Redistributor: RD_base frame, then SGI_base 64 KiB above (frames of 64 KiB). */
#define GICR_CTLR		0x0000
#define  GICR_CTLR_RWP		(1U << 3)
#define GICR_IIDR		0x0004
#define GICR_TYPER		0x0008
#define  GICR_TYPER_VLPIS	(1ULL << 1)
#define  GICR_TYPER_LAST	(1ULL << 4)
#define  GICR_TYPER_AFF(t)	((t) >> 32)
#define GICR_WAKER		0x0014
#define  GICR_WAKER_PSLEEP	(1U << 1)
#define  GICR_WAKER_CASLEEP	(1U << 2)
#define GICR_PIDR2		0xffe8
#define GICR_SGI_BASE		0x10000
#define GICR_FRAME_V3		0x20000
#define GICR_FRAME_V4		0x40000	/* with VLPI frames */

/* CPU interface system registers. */
#define ICC_PMR_EL1		s3_0_c4_c6_0
#define ICC_IAR0_EL1		s3_0_c12_c8_0
#define ICC_EOIR0_EL1		s3_0_c12_c8_1
#define ICC_DIR_EL1		s3_0_c12_c11_1
#define ICC_RPR_EL1		s3_0_c12_c11_3
#define ICC_SGI1R_EL1		s3_0_c12_c11_5
#define ICC_IAR1_EL1		s3_0_c12_c12_0
#define ICC_EOIR1_EL1		s3_0_c12_c12_1
#define ICC_HPPIR1_EL1		s3_0_c12_c12_2
#define ICC_BPR1_EL1		s3_0_c12_c12_3
#define ICC_CTLR_EL1		s3_0_c12_c12_4
#define ICC_SRE_EL1		s3_0_c12_c12_5
#define  ICC_SRE_SRE		(1U << 0)
#define ICC_IGRPEN0_EL1		s3_0_c12_c12_6
#define ICC_IGRPEN1_EL1		s3_0_c12_c12_7
#define ICC_IAR_INTID		0xffffff
/* ICC_CTLR_EL1.PRIbits (10:8): implemented priority bits minus one. */
#define ICC_CTLR_PRIBITS(c)	(((c) >> 8) & 7)
/* ICC_AP1R<n>_EL1: group 1 active priorities; n < 2^(PRIbits - 4) exist. */
#define ICC_AP1R0_EL1		S3_0_C12_C9_0
#define ICC_AP1R1_EL1		S3_0_C12_C9_1
#define ICC_AP1R2_EL1		S3_0_C12_C9_2
#define ICC_AP1R3_EL1		S3_0_C12_C9_3

/* ICC_SGI1R_EL1 fields. */
#define ICC_SGI1R_AFF3_SHIFT	48
#define ICC_SGI1R_RS_SHIFT	44
#define ICC_SGI1R_IRM		(1ULL << 40)
#define ICC_SGI1R_AFF2_SHIFT	32
#define ICC_SGI1R_INTID_SHIFT	24
#define ICC_SGI1R_AFF1_SHIFT	16

#endif
