/* SPDX-License-Identifier: MIT */
/* GICv2 distributor and CPU interface registers (GIC architecture spec IHI 0048B, 4.1). */
#ifndef ARM64_ASM_GIC_V2_H
#define ARM64_ASM_GIC_V2_H

#include "asm/gic.h"

/* Distributor, beyond asm/gic.h. */
#define  GICD_TYPER_CPUS(t)	((((t) >> 5) & 7) + 1)
#define GICD_ITARGETSR		0x800
#define GICD_SGIR		0xf00
#define  GICD_SGIR_OTHERS	(1U << 24)	/* TargetListFilter: all but self */
#define  GICD_SGIR_SELF		(2U << 24)
#define  GICD_SGIR_TARGETS(m)	((uint32_t)(m) << 16)
#define GICD_CPENDSGIR		0xf10
#define GICD_SPENDSGIR		0xf20

/* CPU interface. */
#define GICC_CTLR		0x00
#define  GICC_CTLR_ENABLE_G0	(1U << 0)
#define GICC_PMR		0x04
#define GICC_BPR		0x08
#define GICC_APR(n)		(0xd0 + 4 * (n))	/* active priorities, 4 registers */
#define GICC_IAR		0x0c
#define  GICC_IAR_INTID		0x3ff
#define  GICC_IAR_CPUID(iar)	(((iar) >> 10) & 7)
#define GICC_EOIR		0x10
#define GICC_RPR		0x14
#define GICC_HPPIR		0x18
#define GICC_IIDR		0xfc
#define GICC_DIR		0x1000

#endif
