// SPDX-License-Identifier: MIT
/*
 * Where an I/O APIC interrupt goes (82093AA datasheet 3.2.4, destination
 * mode and field; SDM vol. 3A 11.6.2): a physical APIC ID, a flat logical
 * set, and lowest priority within a set (exactly one CPU of it). The other
 * CPUs listen (irq_listen_start()) while the PIT edges.
 */
#include "ioapic_test.h"

static bool total_reached(const void *total)
{
	return irq_count_all(VEC_DEST) >= *(const unsigned int *)total;
}

/* One rising edge with the pin programmed as @flags/@dest; CPUs must count want[]. */
static void edge_to(const char *what, uint64_t flags, uint32_t dest, const unsigned int *want)
{
	unsigned int total = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		total += want[cpu];
	irq_install(VEC_DEST, NULL, IRQ_EOI);
	irq_disable();
	pin_set(flags, VEC_DEST, dest);
	irq_listen_start(-1);
	line_rise();
	irq_wait_until(total_reached, &total);
	irq_settle(2 * RISE_US);
	irq_disable();
	irq_listen_stop();
	for (int cpu = 0; cpu < cpu_count(); cpu++)
		report_irq(cpu, VEC_DEST, want[cpu], "%s %s CPU %d", what,
			   want[cpu] ? "reaches" : "does not reach", cpu);
	src_restore();
	irq_uninstall(VEC_DEST);
}

void physical_dest(void)
{
	unsigned int want[MAX_CPUS];
	char what[64];

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		for (int c = 0; c < cpu_count(); c++)
			want[c] = c == cpu;
		snprintf(what, sizeof(what), "an edge for physical APIC ID %u", cpu_apic_id(cpu));
		edge_to(what, 0, cpu_apic_id(cpu), want);
	}
}

static void flat_id(void *unused)
{
	apic_write(APIC_DFR, APIC_DFR_FLAT);
	apic_write(APIC_LDR, (1U << smp_id()) << 24);
}

static void no_logical_id(void *unused)
{
	apic_write(APIC_LDR, 0);
}

/* SDM 11.6.2.2: flat model, the destination's bits select CPUs by LDR bit. */
void logical_dest(void)
{
	static const uint8_t dests[] = { 0x01, 0x02, 0x08, 0x06, 0x0f };
	unsigned int want[MAX_CPUS];
	char what[64];

	if (cpu_count() > 8) {
		report_skip("flat logical destinations: more than 8 CPUs");
		return;
	}
	on_cpus(flat_id, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(dests); i++) {
		for (int c = 0; c < cpu_count(); c++)
			want[c] = !!(dests[i] & (1U << c));
		snprintf(what, sizeof(what), "an edge for logical destination %#04x", dests[i]);
		edge_to(what, IOAPIC_DEST_LOGICAL, dests[i], want);
	}
	on_cpus(no_logical_id, NULL);
}

/*
 * SDM 11.6.2.4: lowest priority delivers to one CPU of the logical set
 * (which one is the chipset's choice: only "exactly one" is checked).
 */
void lowest_dest(void)
{
	uint8_t set = cpu_count() > 2 ? ((1U << cpu_count()) - 1) & ~1U : (1U << cpu_count()) - 1;
	unsigned int in = 0, out = 0;
	char got[48];

	if (cpu_count() > 8) {
		report_skip("lowest priority: more than 8 CPUs");
		return;
	}
	on_cpus(flat_id, NULL);
	irq_install(VEC_DEST, NULL, IRQ_EOI);
	irq_disable();
	pin_set(IOAPIC_DEST_LOGICAL | APIC_DM_LOWEST, VEC_DEST, set);
	irq_listen_start(-1);
	line_rise();
	irq_wait_until(total_reached, &(unsigned int){ 1 });
	irq_settle(2 * RISE_US);
	irq_disable();
	irq_listen_stop();
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (set & (1U << cpu))
			in += irq_count(cpu, VEC_DEST);
		else
			out += irq_count(cpu, VEC_DEST);
	}
	snprintf(got, sizeof(got), "%u in the set, %u outside", in, out);
	report_decoded(in == 1 && out == 0, "1 in the set, 0 outside", got,
		       "a lowest-priority edge reaches exactly one CPU of its logical set");
	src_restore();
	irq_uninstall(VEC_DEST);
	on_cpus(no_logical_id, NULL);
}
