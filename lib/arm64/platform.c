// SPDX-License-Identifier: MIT
/*
 * Interrupt specifiers of the devicetree in the GIC binding's three cells:
 * type (0 SPI, 1 PPI), number, flags (bits 3:0: 1 rising edge, 2 falling
 * edge, 4 active high level, 8 active low level).
 */
#include "arm64.h"
#include "devicetree.h"
#include "platform.h"

static struct platform_irq irqs[PLAT_NR_IRQS];

/* Interrupt @i of @node, or intid 0. */
static struct platform_irq node_irq(int node, int i)
{
	struct platform_irq irq = { 0, false };
	uint32_t type, num, flags;

	if (node < 0 || !dt_prop_cell(node, "interrupts", 3 * i, &type) ||
	    !dt_prop_cell(node, "interrupts", 3 * i + 1, &num) ||
	    !dt_prop_cell(node, "interrupts", 3 * i + 2, &flags) || type > 1)
		return irq;
	irq.intid = (type == 1 ? 16 : 32) + num;
	irq.level = flags & 0xc;
	return irq;
}

static int find_any(const char *const *compat, int n)
{
	int node = -1;

	for (int i = 0; i < n && node < 0; i++)
		node = dt_find_compatible(-1, compat[i]);
	return node;
}

void platform_init(void)
{
	static const char *const timer[] = { "arm,armv8-timer", "arm,armv7-timer" };
	static const char *const pmu[] = { "arm,armv8-pmuv3", "arm,cortex-a57-pmu",
					   "arm,cortex-a53-pmu" };
	static const char *const gic[] = { "arm,gic-v3", "arm,gic-400", "arm,cortex-a15-gic" };
	int node = find_any(timer, ARRAY_SIZE(timer));

	for (int i = 0; i <= PLAT_IRQ_TIMER_HYP_VIRT; i++)
		irqs[i] = node_irq(node, i);
	irqs[PLAT_IRQ_PMU] = node_irq(find_any(pmu, ARRAY_SIZE(pmu)), 0);
	irqs[PLAT_IRQ_GIC_MAINT] = node_irq(find_any(gic, ARRAY_SIZE(gic)), 0);
}

struct platform_irq platform_irq(enum platform_irq_id id)
{
	return id < PLAT_NR_IRQS ? irqs[id] : (struct platform_irq){ 0, false };
}
