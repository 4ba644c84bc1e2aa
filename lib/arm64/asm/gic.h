/* SPDX-License-Identifier: MIT */
/*
 * GIC registers common to GICv2 (IHI 0048B 4.1) and GICv3 (IHI 0069
 * 12.9): the distributor's control and type registers, and the
 * per-interrupt banks, at the same offsets in either distributor and in
 * the GICv3 redistributor's SGI frame.
 */
#ifndef ARM64_ASM_GIC_H
#define ARM64_ASM_GIC_H

#define GICD_CTLR		0x000
#define  GICD_CTLR_ENABLE_G0	(1U << 0)
#define  GICD_CTLR_ENABLE_G1	(1U << 1)
#define GICD_TYPER		0x004
#define  GICD_TYPER_ITLINES	0x1f
#define GICD_IIDR		0x008

#define GIC_IGROUPR		0x080
#define GIC_ISENABLER		0x100
#define GIC_ICENABLER		0x180
#define GIC_ISPENDR		0x200
#define GIC_ICPENDR		0x280
#define GIC_ISACTIVER		0x300
#define GIC_ICACTIVER		0x380
#define GIC_IPRIORITYR		0x400
#define GIC_ICFGR		0xc00

#endif
