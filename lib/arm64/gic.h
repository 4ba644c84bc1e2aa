/* SPDX-License-Identifier: MIT */
/*
 * The interrupt controller: GICv2 (IHI 0048B) or GICv3 (IHI 0069), found in
 * the devicetree, behind one API. INTIDs: 0-15 SGIs, 16-31 PPIs (both
 * banked per CPU: the calls act on the calling CPU's copy), 32-1019 SPIs.
 *
 * What lib sets up before main(), on every CPU: distributor and CPU
 * interface enabled, every interrupt in the group signalled as IRQ
 * (GICv2: group 0; GICv3: group 1 through ICC_IGRPEN1_EL1), priority
 * GIC_PRIO_DEFAULT, priority mask GIC_PMR_DEFAULT, EOImode 0 (an EOI both
 * drops the priority and deactivates), SGIs enabled, PPIs and SPIs
 * disabled, SPIs routed to CPU 0. PSTATE.I stays masked: a test enables
 * IRQs itself (local_irq_enable()) once it has installed its handlers.
 *
 * lib's IRQ path acknowledges, calls the handler installed for the INTID
 * and writes the EOI. SGI GIC_SGI_KICK is lib's wake-up of sleeping CPUs
 * (lib/smp.c), never seen by tests, not even by a handler that took the
 * IRQ vector over (gic_irq_preack()); tests may use SGIs 0-14 freely.
 */
#ifndef ARM64_GIC_H
#define ARM64_GIC_H

#include "libc.h"

struct ex_regs;

#define GIC_NR_SGIS		16
#define GIC_FIRST_PPI		16
#define GIC_FIRST_SPI		32
#define GIC_MAX_INTID		1019
#define GIC_SPURIOUS		1023	/* IAR when nothing is pending */
#define GIC_SGI_KICK		15
#define GIC_PRIO_DEFAULT	0xa0
#define GIC_PMR_DEFAULT		0xf0

/* 2 or 3; 0 when the devicetree describes no GIC (then nothing below works). */
int gic_version(void);

/* INTIDs the distributor implements: 32 * (GICD_TYPER.ITLinesNumber + 1), at most 1020. */
unsigned int gic_nr_irqs(void);

/* MMIO bases: distributor; GICv2 CPU interface; GICv3 this CPU's redistributor (RD frame). */
uintptr_t gic_dist_base(void);
uintptr_t gic_cpu_base(void);
uintptr_t gic_redist_base(void);

/**
 * gic_cpu_init() - give the calling CPU's interface (and GICv3
 * redistributor) lib's defaults, as at boot. Tests that reconfigure the
 * CPU interface call it to leave a clean state.
 */
void gic_cpu_init(void);

void gic_irq_enable(unsigned int intid);
void gic_irq_disable(unsigned int intid);
bool gic_irq_is_enabled(unsigned int intid);
void gic_irq_set_priority(unsigned int intid, uint8_t prio);
uint8_t gic_irq_priority(unsigned int intid);
/* Edge (true) or level (false) triggered; SGIs are always edge. */
void gic_irq_set_edge(unsigned int intid, bool edge);
void gic_irq_set_pending(unsigned int intid);
void gic_irq_clear_pending(unsigned int intid);
bool gic_irq_is_pending(unsigned int intid);
bool gic_irq_is_active(unsigned int intid);
void gic_irq_clear_active(unsigned int intid);

/* Route SPI @intid to @cpu (a smp_id() number). */
void gic_spi_set_target(unsigned int intid, int cpu);

/* Send SGI @sgi (0-15) to @cpu, to every CPU but the caller, or to the caller. */
void gic_send_sgi(int cpu, unsigned int sgi);
void gic_send_sgi_others(unsigned int sgi);
void gic_send_sgi_self(unsigned int sgi);

/*
 * Acknowledge the highest priority pending interrupt: the raw IAR
 * (GICv2 keeps the source CPU of an SGI in bits 12:10; pass the whole value
 * to gic_eoi()). gic_iar_intid() extracts the INTID (GIC_SPURIOUS: none).
 */
uint32_t gic_ack(void);
/*
 * For the exception path, before a test's IRQ vector handler: acknowledge
 * the interrupt; if it is GIC_SGI_KICK, end it and return true (the handler
 * is not called); else keep the IAR for the handler's gic_ack().
 */
bool gic_irq_preack(void);
unsigned int gic_iar_intid(uint32_t iar);
void gic_eoi(uint32_t iar);

/* Set the calling CPU's priority mask (GICC_PMR, ICC_PMR_EL1). */
void gic_set_pmr(uint8_t pmr);

typedef void (*irq_handler_t)(struct ex_regs *regs, unsigned int intid);

/**
 * install_irq_handler() - call @fn for every IRQ with INTID @intid, on any CPU
 * @intid: 0 .. GIC_MAX_INTID
 * @fn: the handler; NULL makes the interrupt unexpected again
 *
 * lib acknowledged the interrupt before calling @fn and writes the EOI
 * when @fn returns. An interrupt without a handler fails the test.
 * Return: the previous handler.
 */
irq_handler_t install_irq_handler(unsigned int intid, irq_handler_t fn);

#endif
