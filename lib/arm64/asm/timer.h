/* SPDX-License-Identifier: MIT */
/*
 * The Generic Timer (Arm ARM D11): counter frequency, the physical and
 * virtual counters and the EL1 physical and virtual timers' registers.
 * The timers' interrupt lines come from the devicetree (platform.h).
 */
#ifndef ARM64_ASM_TIMER_H
#define ARM64_ASM_TIMER_H

#include "arch.h"
#include "asm/sysreg.h"

/* CNTx_CTL_EL0 bits. */
#define CNT_CTL_ENABLE		(1 << 0)
#define CNT_CTL_IMASK		(1 << 1)
#define CNT_CTL_ISTATUS		(1 << 2)

static inline uint64_t timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* The ISB keeps the read from being taken early (D11.2.2). */
static inline uint64_t read_cntvct(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline uint64_t read_cntpct(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

/* Busy-wait on the virtual counter (lib/arm64/io.c). */
void mdelay(unsigned long ms);

#endif
