// SPDX-License-Identifier: MIT
/*
 * The GIC API of gic.h over the version found in the devicetree, and lib's
 * IRQ path. The per-interrupt register banks (enable, pending, active,
 * priority, configuration) sit at the same offsets in the GICv2
 * distributor, the GICv3 distributor and the GICv3 redistributor's SGI
 * frame (IHI 0069 12.9, 12.11), so only their base differs: SGIs and PPIs
 * live in the caller's banked copy (GICv2 GICD) or redistributor (GICv3).
 */
#include "arm64.h"
#include "asm/exception.h"
#include "asm/gic.h"
#include "asm/io.h"
#include "devicetree.h"
#include "gic.h"
#include "report.h"

struct gic_info gic;
static const struct gic_ops *ops;
static int version;
static irq_handler_t irq_handlers[GIC_MAX_INTID + 1];

static const char *const v2_compatible[] = {
	"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a9-gic", "arm,cortex-a7-gic",
};

static int probe(void)
{
	uint64_t addr, size;
	uint32_t nr = 1;
	int node = dt_find_compatible(-1, "arm,gic-v3");

	if (node >= 0) {
		dt_prop_cell(node, "#redistributor-regions", 0, &nr);
		if (dt_reg(node, 0, &addr, &size))
			return 0;
		gic.dist = addr;
		for (uint32_t i = 0; i < nr && i < ARRAY_SIZE(gic.redist_regions); i++) {
			if (dt_reg(node, 1 + i, &addr, &size))
				break;
			gic.redist_regions[gic.nr_redist_regions++] = addr;
		}
		return gic.nr_redist_regions ? 3 : 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(v2_compatible) && node < 0; i++)
		node = dt_find_compatible(-1, v2_compatible[i]);
	if (node < 0 || dt_reg(node, 0, &addr, &size))
		return 0;
	gic.dist = addr;
	if (dt_reg(node, 1, &addr, &size))
		return 0;
	gic.cpu_if = addr;
	return 2;
}

/* The distributor, once, on the boot CPU; gic_cpu_init() follows on every CPU. */
void gic_init(void)
{
	version = probe();
	if (!version)
		return;
	ops = version == 3 ? &gic_v3_ops : &gic_v2_ops;
	gic.nr_irqs = 32 * ((readl(gic.dist + GICD_TYPER) & GICD_TYPER_ITLINES) + 1);
	gic.nr_irqs = MIN(gic.nr_irqs, GIC_MAX_INTID + 1);
	ops->dist_init();
}

int gic_version(void)
{
	return version;
}

unsigned int gic_nr_irqs(void)
{
	return gic.nr_irqs;
}

uintptr_t gic_dist_base(void)
{
	return gic.dist;
}

uintptr_t gic_cpu_base(void)
{
	return gic.cpu_if;
}

uintptr_t gic_redist_base(void)
{
	return gic.redist[smp_id()];
}

/* SGI and PPI defaults in a bank of 32: SGIs on, PPIs off, nothing pending or active. */
void gic_bank_defaults(uintptr_t bank)
{
	writel(0xffff0000, bank + GIC_ICENABLER);
	writel(0x0000ffff, bank + GIC_ISENABLER);
	writel(0xffffffff, bank + GIC_ICPENDR);
	writel(0xffffffff, bank + GIC_ICACTIVER);
	for (int i = 0; i < 32; i++)
		writeb(GIC_PRIO_DEFAULT, bank + GIC_IPRIORITYR + i);
}

void gic_cpu_init(void)
{
	if (ops)
		ops->cpu_init();
}

/* Distributor, or the caller's banked copy (GICv2) or redistributor (GICv3) below 32. */
static uintptr_t base(unsigned int intid)
{
	if (!ops || intid > GIC_MAX_INTID)
		report_abort("GIC: INTID %u out of range or no GIC", intid);
	return ops->bank_base(intid);
}

/* The one-bit-per-INTID registers. */
static void set_bit(unsigned int reg, unsigned int intid)
{
	writel(1U << (intid % 32), base(intid) + reg + 4 * (intid / 32));
}

static bool test_bit(unsigned int reg, unsigned int intid)
{
	return readl(base(intid) + reg + 4 * (intid / 32)) & (1U << (intid % 32));
}

void gic_irq_enable(unsigned int intid)
{
	set_bit(GIC_ISENABLER, intid);
}

void gic_irq_disable(unsigned int intid)
{
	set_bit(GIC_ICENABLER, intid);
}

bool gic_irq_is_enabled(unsigned int intid)
{
	return test_bit(GIC_ISENABLER, intid);
}

void gic_irq_set_pending(unsigned int intid)
{
	set_bit(GIC_ISPENDR, intid);
}

void gic_irq_clear_pending(unsigned int intid)
{
	set_bit(GIC_ICPENDR, intid);
}

bool gic_irq_is_pending(unsigned int intid)
{
	return test_bit(GIC_ISPENDR, intid);
}

bool gic_irq_is_active(unsigned int intid)
{
	return test_bit(GIC_ISACTIVER, intid);
}

void gic_irq_clear_active(unsigned int intid)
{
	set_bit(GIC_ICACTIVER, intid);
}

/* IPRIORITYR is byte-accessible: one byte per INTID (IHI 0069 12.9.19). */
void gic_irq_set_priority(unsigned int intid, uint8_t prio)
{
	writeb(prio, base(intid) + GIC_IPRIORITYR + intid);
}

uint8_t gic_irq_priority(unsigned int intid)
{
	return readb(base(intid) + GIC_IPRIORITYR + intid);
}

/* ICFGR: two bits per INTID, the upper one set for edge-triggered. */
void gic_irq_set_edge(unsigned int intid, bool edge)
{
	uintptr_t reg = base(intid) + GIC_ICFGR + 4 * (intid / 16);
	uint32_t bit = 2U << (2 * (intid % 16));
	uint32_t v = readl(reg);

	writel(edge ? v | bit : v & ~bit, reg);
}

void gic_spi_set_target(unsigned int intid, int cpu)
{
	if (intid < GIC_FIRST_SPI || intid >= gic.nr_irqs || cpu < 0 || cpu >= cpu_count())
		report_abort("GIC: cannot route INTID %u to CPU %d", intid, cpu);
	ops->spi_target(intid, cpu);
}

/* The SGI must not overtake the memory writes it announces (mailboxes). */
static void send_sgi(int cpu, unsigned int sgi)
{
	if (!ops || sgi >= GIC_NR_SGIS)
		report_abort("GIC: cannot send SGI %u", sgi);
	dsb(ish);
	ops->send_sgi(cpu, sgi);
}

void gic_send_sgi(int cpu, unsigned int sgi)
{
	if (cpu < 0 || cpu >= cpu_count())
		report_abort("GIC: SGI to CPU %d of %d", cpu, cpu_count());
	send_sgi(cpu, sgi);
}

void gic_send_sgi_others(unsigned int sgi)
{
	send_sgi(SGI_OTHERS, sgi);
}

void gic_send_sgi_self(unsigned int sgi)
{
	send_sgi(SGI_SELF, sgi);
}

/*
 * An IAR value lib read before a test's IRQ vector handler (gic_irq_preack()),
 * handed to that handler's gic_ack(), per CPU.
 */
static struct {
	uint32_t iar;
	bool valid;
} preacked[MAX_CPUS];

uint32_t gic_ack(void)
{
	int cpu = smp_id();

	if (preacked[cpu].valid) {
		preacked[cpu].valid = false;
		return preacked[cpu].iar;
	}
	return ops ? ops->ack() : GIC_SPURIOUS;
}

bool gic_irq_preack(void)
{
	int cpu = smp_id();
	uint32_t iar;

	if (!ops || preacked[cpu].valid)
		return false;
	iar = ops->ack();
	if (ops->iar_intid(iar) == GIC_SGI_KICK) {
		smp_kick_received(cpu);
		ops->eoi(iar);
		return true;
	}
	preacked[cpu].iar = iar;
	preacked[cpu].valid = true;
	return false;
}

unsigned int gic_iar_intid(uint32_t iar)
{
	return ops ? ops->iar_intid(iar) : GIC_SPURIOUS;
}

void gic_eoi(uint32_t iar)
{
	if (ops)
		ops->eoi(iar);
}

void gic_set_pmr(uint8_t pmr)
{
	if (ops)
		ops->set_pmr(pmr);
}

irq_handler_t install_irq_handler(unsigned int intid, irq_handler_t fn)
{
	if (intid > GIC_MAX_INTID)
		report_abort("install_irq_handler: INTID %u out of range", intid);
	return __atomic_exchange_n(&irq_handlers[intid], fn, __ATOMIC_SEQ_CST);
}

/* lib's IRQ vector: acknowledge, dispatch, end. */
void gic_handle_irq(struct ex_regs *regs)
{
	uint32_t iar = gic_ack();
	unsigned int intid = gic_iar_intid(iar);
	irq_handler_t h;
	char what[40];

	if (intid > GIC_MAX_INTID) {
		if (!ops)
			arm64_unexpected(regs, "IRQ without a GIC");
		return;		/* spurious: nothing to end */
	}
	h = __atomic_load_n(&irq_handlers[intid], __ATOMIC_ACQUIRE);
	if (intid == GIC_SGI_KICK)
		smp_kick_received(smp_id());
	else if (h)
		h(regs, intid);
	gic_eoi(iar);
	if (!h && intid != GIC_SGI_KICK) {
		snprintf(what, sizeof(what), "interrupt INTID %u", intid);
		arm64_unexpected(regs, what);
	}
}
