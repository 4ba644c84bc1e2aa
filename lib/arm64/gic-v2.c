// SPDX-License-Identifier: MIT
/*
 * GICv2 (IHI 0048B): memory-mapped distributor and CPU interface. Every
 * interrupt stays in group 0, which a GIC without the Security Extensions
 * (QEMU virt, KVM) signals as IRQ while GICC_CTLR.FIQEn is 0 (3.3.1).
 * A CPU's target bit is what it reads from its banked GICD_ITARGETSR0
 * (4.3.12: "the value ... corresponds only to the processor reading it").
 */
#include "arm64.h"
#include "asm/gic-v2.h"
#include "asm/io.h"
#include "gic.h"

static void v2_dist_init(void)
{
	unsigned int n = gic.nr_irqs;

	writel(0, gic.dist + GICD_CTLR);
	for (unsigned int i = GIC_FIRST_SPI; i < n; i += 32) {
		writel(0xffffffff, gic.dist + GIC_ICENABLER + i / 8);
		writel(0xffffffff, gic.dist + GIC_ICPENDR + i / 8);
		writel(0xffffffff, gic.dist + GIC_ICACTIVER + i / 8);
	}
	for (unsigned int i = GIC_FIRST_SPI; i < n; i++)
		writeb(GIC_PRIO_DEFAULT, gic.dist + GIC_IPRIORITYR + i);
	/* SPI targets are set once the boot CPU knows its own bit (v2_cpu_init). */
	writel(GICD_CTLR_ENABLE_G0, gic.dist + GICD_CTLR);
}

static void v2_cpu_init(void)
{
	int cpu = smp_id();
	uint8_t mask = readb(gic.dist + GICD_ITARGETSR);

	/* A uniprocessor GIC may read as zero; its one interface is bit 0. */
	gic.cpu_mask[cpu] = mask ? mask : 1;
	if (cpu == 0)
		for (unsigned int i = GIC_FIRST_SPI; i < gic.nr_irqs; i++)
			writeb(gic.cpu_mask[0], gic.dist + GICD_ITARGETSR + i);
	gic_bank_defaults(gic.dist);
	for (int i = 0; i < 4; i++)
		writel(0xffffffff, gic.dist + GICD_CPENDSGIR + 4 * i);
	writel(GIC_PMR_DEFAULT, gic.cpu_if + GICC_PMR);
	writel(0, gic.cpu_if + GICC_BPR);
	/* A CPU powered off with an interrupt active must not keep its priority. */
	for (int i = 0; i < 4; i++)
		writel(0, gic.cpu_if + GICC_APR(i));
	writel(GICC_CTLR_ENABLE_G0, gic.cpu_if + GICC_CTLR);
}

static uint32_t v2_ack(void)
{
	return readl(gic.cpu_if + GICC_IAR);
}

static void v2_eoi(uint32_t iar)
{
	writel(iar, gic.cpu_if + GICC_EOIR);
}

static unsigned int v2_iar_intid(uint32_t iar)
{
	return iar & GICC_IAR_INTID;
}

static void v2_send_sgi(int cpu, unsigned int sgi)
{
	uint32_t v = sgi;

	if (cpu == SGI_OTHERS)
		v |= GICD_SGIR_OTHERS;
	else if (cpu == SGI_SELF)
		v |= GICD_SGIR_SELF;
	else
		v |= GICD_SGIR_TARGETS(gic.cpu_mask[cpu]);
	writel(v, gic.dist + GICD_SGIR);
}

static void v2_spi_target(unsigned int intid, int cpu)
{
	writeb(gic.cpu_mask[cpu], gic.dist + GICD_ITARGETSR + intid);
}

static void v2_set_pmr(uint8_t pmr)
{
	writel(pmr, gic.cpu_if + GICC_PMR);
}

static uintptr_t v2_bank_base(unsigned int intid)
{
	return gic.dist;
}

const struct gic_ops gic_v2_ops = {
	.dist_init = v2_dist_init,
	.cpu_init = v2_cpu_init,
	.ack = v2_ack,
	.eoi = v2_eoi,
	.iar_intid = v2_iar_intid,
	.send_sgi = v2_send_sgi,
	.spi_target = v2_spi_target,
	.set_pmr = v2_set_pmr,
	.bank_base = v2_bank_base,
};
