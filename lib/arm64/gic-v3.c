// SPDX-License-Identifier: MIT
/*
 * GICv3 (IHI 0069): distributor with affinity routing, one redistributor
 * per CPU, CPU interface through system registers. Every interrupt is put
 * in group 1 and acknowledged through ICC_IAR1_EL1: with a single security
 * state (GICD_CTLR.DS == 1, QEMU virt without secure=on, KVM) that is the
 * one group EL1 owns.
 */
#include "arm64.h"
#include "asm/gic-v3.h"
#include "asm/io.h"
#include "asm/sysreg.h"
#include "gic.h"
#include "cpu.h"
#include "report.h"

/* Register write pending: wait for the distributor or a redistributor to settle. */
static void wait_rwp(uintptr_t ctlr, uint32_t bit)
{
	for (int i = 0; i < 1000000 && (readl(ctlr) & bit); i++)
		;
	if (readl(ctlr) & bit)
		report_abort("GICv3: RWP stuck at %#lx", (unsigned long)ctlr);
}

/* IROUTER and MPIDR share the layout Aff3 39:32, Aff2 23:16, Aff1 15:8, Aff0 7:0. */
static uint64_t cpu_affinity(int cpu)
{
	return cpu_mpidr(cpu) & MPIDR_AFF_MASK;
}

static void v3_dist_init(void)
{
	unsigned int n = gic.nr_irqs;

	writel(0, gic.dist + GICD_CTLR);
	wait_rwp(gic.dist + GICD_CTLR, GICD_CTLR_RWP);
	writel(GICD_CTLR_ARE, gic.dist + GICD_CTLR);
	wait_rwp(gic.dist + GICD_CTLR, GICD_CTLR_RWP);
	for (unsigned int i = GIC_FIRST_SPI; i < n; i += 32) {
		writel(0xffffffff, gic.dist + GIC_IGROUPR + i / 8);
		writel(0xffffffff, gic.dist + GIC_ICENABLER + i / 8);
		writel(0xffffffff, gic.dist + GIC_ICPENDR + i / 8);
		writel(0xffffffff, gic.dist + GIC_ICACTIVER + i / 8);
	}
	for (unsigned int i = GIC_FIRST_SPI; i < n; i++) {
		writeb(GIC_PRIO_DEFAULT, gic.dist + GIC_IPRIORITYR + i);
		writeq(cpu_affinity(0), gic.dist + GICD_IROUTER + 8 * i);
	}
	wait_rwp(gic.dist + GICD_CTLR, GICD_CTLR_RWP);
	/* DS == 1: EnableGrp0 | EnableGrp1; from Non-secure: EnableGrp1 | EnableGrp1A. */
	writel(GICD_CTLR_ARE | 3, gic.dist + GICD_CTLR);
	wait_rwp(gic.dist + GICD_CTLR, GICD_CTLR_RWP);
}

/* This CPU's RD frame: the one whose GICR_TYPER affinity is our MPIDR's. */
static uintptr_t find_redist(void)
{
	uint64_t mpidr = mpidr_affinity();
	uint32_t aff = (mpidr >> 32 & 0xff) << 24 | (mpidr & 0xffffff);

	for (int r = 0; r < gic.nr_redist_regions; r++) {
		uintptr_t frame = gic.redist_regions[r];

		for (int i = 0; i < 4 * MAX_CPUS; i++) {
			uint64_t typer = readq(frame + GICR_TYPER);

			if (GICR_TYPER_AFF(typer) == aff)
				return frame;
			if (typer & GICR_TYPER_LAST)
				break;
			frame += (typer & GICR_TYPER_VLPIS) ? GICR_FRAME_V4 : GICR_FRAME_V3;
		}
	}
	report_abort("GICv3: no redistributor for MPIDR %#lx", (unsigned long)mpidr);
}

/*
 * A CPU powered off with an interrupt active must not come back with its
 * running priority stuck: clear the implemented AP1R registers (IHI 0069,
 * ICC_AP1R<n>_EL1: 1, 2 or 4 of them for 5, 6 or 7 priority bits).
 */
static void clear_active_priorities(void)
{
	unsigned int bits = ICC_CTLR_PRIBITS(read_sysreg(ICC_CTLR_EL1)) + 1;

	write_sysreg(0, ICC_AP1R0_EL1);
	if (bits >= 6)
		write_sysreg(0, ICC_AP1R1_EL1);
	if (bits == 7) {
		write_sysreg(0, ICC_AP1R2_EL1);
		write_sysreg(0, ICC_AP1R3_EL1);
	}
}

static void v3_cpu_init(void)
{
	uintptr_t rd = find_redist(), sgi = rd + GICR_SGI_BASE;

	gic.redist[smp_id()] = rd;
	writel(readl(rd + GICR_WAKER) & ~GICR_WAKER_PSLEEP, rd + GICR_WAKER);
	for (int i = 0; i < 1000000 && (readl(rd + GICR_WAKER) & GICR_WAKER_CASLEEP); i++)
		;
	if (readl(rd + GICR_WAKER) & GICR_WAKER_CASLEEP)
		report_abort("GICv3: redistributor at %#lx does not wake up", (unsigned long)rd);
	writel(0xffffffff, sgi + GIC_IGROUPR);
	gic_bank_defaults(sgi);
	wait_rwp(rd + GICR_CTLR, GICR_CTLR_RWP);

	write_sysreg(read_sysreg(ICC_SRE_EL1) | ICC_SRE_SRE, ICC_SRE_EL1);
	isb();
	if (!(read_sysreg(ICC_SRE_EL1) & ICC_SRE_SRE))
		report_abort("GICv3: ICC_SRE_EL1.SRE stays 0: no system register interface");
	write_sysreg(GIC_PMR_DEFAULT, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	clear_active_priorities();
	write_sysreg(0, ICC_CTLR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	isb();
}

static uint32_t v3_ack(void)
{
	uint32_t iar = read_sysreg(ICC_IAR1_EL1);

	dsb(sy);
	return iar;
}

static void v3_eoi(uint32_t iar)
{
	write_sysreg(iar, ICC_EOIR1_EL1);
	isb();
}

static unsigned int v3_iar_intid(uint32_t iar)
{
	return iar & ICC_IAR_INTID;
}

/* ICC_SGI1R_EL1 (IHI 0069 12.2.23): Aff3.Aff2.Aff1 and a 16-bit list of Aff0 values. */
static void v3_send_sgi(int cpu, unsigned int sgi)
{
	uint64_t v = (uint64_t)sgi << ICC_SGI1R_INTID_SHIFT;

	if (cpu == SGI_OTHERS) {
		v |= ICC_SGI1R_IRM;
	} else {
		uint64_t aff = cpu_affinity(cpu == SGI_SELF ? smp_id() : cpu);

		v |= (aff >> 32 & 0xff) << ICC_SGI1R_AFF3_SHIFT |
		     (aff >> 16 & 0xff) << ICC_SGI1R_AFF2_SHIFT |
		     (aff >> 8 & 0xff) << ICC_SGI1R_AFF1_SHIFT |
		     (aff >> 4 & 0xf) << ICC_SGI1R_RS_SHIFT | 1U << (aff & 0xf);
	}
	write_sysreg(v, ICC_SGI1R_EL1);
	isb();
}

static void v3_spi_target(unsigned int intid, int cpu)
{
	writeq(cpu_affinity(cpu), gic.dist + GICD_IROUTER + 8 * intid);
}

static void v3_set_pmr(uint8_t pmr)
{
	write_sysreg(pmr, ICC_PMR_EL1);
	isb();
}

static uintptr_t v3_bank_base(unsigned int intid)
{
	return intid < GIC_FIRST_SPI ? gic.redist[smp_id()] + GICR_SGI_BASE : gic.dist;
}

const struct gic_ops gic_v3_ops = {
	.dist_init = v3_dist_init,
	.cpu_init = v3_cpu_init,
	.ack = v3_ack,
	.eoi = v3_eoi,
	.iar_intid = v3_iar_intid,
	.send_sgi = v3_send_sgi,
	.spi_target = v3_spi_target,
	.set_pmr = v3_set_pmr,
	.bank_base = v3_bank_base,
};
