/* SPDX-License-Identifier: MIT */
/*
 * Interrupt lines the devicetree gives the generic timers, the PMU and the
 * GIC's virtualization maintenance interrupt (bindings "arm,armv8-timer",
 * "arm,armv8-pmuv3", "arm,gic-v3"/"arm,cortex-a15-gic" interrupts), read
 * once at boot and turned into GIC INTIDs (PPI n = 16 + n, SPI n = 32 + n).
 */
#ifndef ARM64_PLATFORM_H
#define ARM64_PLATFORM_H

#include "libc.h"

enum platform_irq_id {
	PLAT_IRQ_TIMER_SEC_PHYS,	/* the timer's interrupts, in binding order */
	PLAT_IRQ_TIMER_PHYS,		/* EL1 physical timer (CNTP) */
	PLAT_IRQ_TIMER_VIRT,		/* EL1 virtual timer (CNTV) */
	PLAT_IRQ_TIMER_HYP_PHYS,	/* EL2 physical timer (CNTHP) */
	PLAT_IRQ_TIMER_HYP_VIRT,	/* EL2 virtual timer (CNTHV), if listed */
	PLAT_IRQ_PMU,			/* PMU overflow (the first, if per-CPU SPIs) */
	PLAT_IRQ_GIC_MAINT,		/* GIC maintenance, when virtualization is on */
	PLAT_NR_IRQS,
};

struct platform_irq {
	unsigned int intid;	/* 0 when the devicetree does not list it */
	bool level;		/* level-sensitive (else edge) */
};

struct platform_irq platform_irq(enum platform_irq_id id);

#endif
