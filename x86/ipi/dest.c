// SPDX-License-Identifier: MIT
/*
 * Who an IPI reaches (SDM 11.6.1-11.6.2, 11.12.10): fixed IPIs to each
 * physical ID, the shorthands, physical broadcast, logical destinations in
 * the flat and cluster models and in x2APIC mode, lowest priority.
 */
#include "ipi.h"

#define ALL_CPUS	((1ULL << cpu_count()) - 1)

/* SDM 11.6.2.1: a physical destination reaches the CPU with that APIC ID only. */
void fixed_each(void)
{
	unsigned int want[MAX_CPUS];
	char what[64];

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		want_mask(want, 1ULL << cpu);
		snprintf(what, sizeof(what), "a fixed IPI to APIC ID %u", cpu_id(cpu));
		scenario(what, 0, APIC_DM_FIXED, cpu_id(cpu), VEC_FIXED, want);
	}
	ipi_restore();
}

static void shorthands_from(int sender)
{
	unsigned int want[MAX_CPUS];
	char what[64];

	want_mask(want, 1ULL << sender);
	snprintf(what, sizeof(what), "CPU %d's self shorthand", sender);
	scenario(what, sender, APIC_DM_FIXED | APIC_DEST_SELF, 0xff, VEC_SHORT, want);
	want_mask(want, ALL_CPUS);
	snprintf(what, sizeof(what), "CPU %d's all-including-self shorthand", sender);
	scenario(what, sender, APIC_DM_FIXED | APIC_DEST_ALLINC, 0, VEC_SHORT, want);
	want_mask(want, ALL_CPUS & ~(1ULL << sender));
	snprintf(what, sizeof(what), "CPU %d's all-excluding-self shorthand", sender);
	scenario(what, sender, APIC_DM_FIXED | APIC_DEST_ALLBUT, 0, VEC_SHORT, want);
}

/* SDM 11.6.1: the shorthands ignore the destination field. */
void shorthands(void)
{
	shorthands_from(0);
	ipi_restore();
}

void shorthands_last(void)
{
	shorthands_from(cpu_count() - 1);
	ipi_restore();
}

/* SDM 11.6.2.1, 11.12.9: physical ID 0xFF (x2APIC: 0xFFFFFFFF) is a broadcast. */
void physical_broadcast(void)
{
	unsigned int want[MAX_CPUS];

	want_mask(want, ALL_CPUS);
	scenario("a fixed IPI to the physical broadcast ID", 0, APIC_DM_FIXED, bcast_dest(),
		 VEC_FIXED, want);
	ipi_restore();
}

static uint32_t ldr_value;

static void set_logical(void *dfr)
{
	int cpu = smp_id();
	uint32_t ldr = (uintptr_t)dfr == APIC_DFR_FLAT ? 1U << cpu :
		       (cpu / 4) << 4 | 1U << (cpu % 4);

	apic_write(APIC_DFR, (uintptr_t)dfr);
	apic_write(APIC_LDR, ldr << 24);
	if (cpu == 0)
		ldr_value = apic_read(APIC_LDR);
}

/* The CPUs a logical destination (its 8 bits) selects in the flat or cluster model. */
static uint64_t logical_cpus(uint32_t dest, bool flat)
{
	uint64_t m = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		bool hit = flat ? dest & (1U << cpu) :
			   dest == 0xff || ((dest >> 4) == (uint32_t)cpu / 4 &&
					    (dest & (1U << (cpu % 4))));

		if (hit)
			m |= 1ULL << cpu;
	}
	return m;
}

static void logical_scenarios(const uint32_t *dests, size_t n, bool flat)
{
	unsigned int want[MAX_CPUS];
	char what[80];

	for (size_t i = 0; i < n; i++) {
		want_mask(want, logical_cpus(dests[i], flat));
		snprintf(what, sizeof(what), "a %s logical IPI to %#04x", flat ? "flat" : "cluster",
			 dests[i]);
		scenario(what, 0, APIC_DM_FIXED | APIC_DEST_LOGICAL, dests[i], VEC_LOGICAL, want);
	}
}

/* SDM 11.6.2.2: flat model, LDR[31:24] a bit per CPU; a destination bit selects it. */
void logical_flat(void)
{
	static const uint32_t dests[] = { 0x01, 0x02, 0x04, 0x08, 0x05, 0x0a, 0xff, 0x00 };

	if (cpu_count() > 8) {
		report_skip("flat model: more than 8 CPUs");
		return;
	}
	on_cpus(set_logical, (void *)(uintptr_t)APIC_DFR_FLAT);
	report_eq_x(1U << 24, ldr_value, "LDR holds the logical ID written (xAPIC)");
	logical_scenarios(dests, ARRAY_SIZE(dests), true);
	ipi_restore();
}

/*
 * SDM 11.6.2.2: flat cluster model, LDR[31:28] the cluster, LDR[27:24] a bit
 * per CPU in it; 0xFF reaches all clusters.
 */
void logical_cluster(void)
{
	static const uint32_t dests[] = { 0x01, 0x02, 0x03, 0x0c, 0x0f, 0x11, 0x1f, 0x21, 0xff };

	if (cpu_count() > 60) {
		report_skip("cluster model: more than 60 CPUs");
		return;
	}
	on_cpus(set_logical, (void *)(uintptr_t)APIC_DFR_CLUSTER);
	logical_scenarios(dests, ARRAY_SIZE(dests), false);
	ipi_restore();
}

/*
 * SDM 11.12.10.2: x2APIC logical destination = cluster (bits 31:16) and a
 * bit mask (15:0) matched against each LDR, derived from the x2APIC ID.
 */
void logical_x2apic(void)
{
	unsigned int want[MAX_CPUS];
	uint32_t ldr[MAX_CPUS];
	char what[80];

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		ldr[cpu] = x2apic_ldr(cpu_id(cpu));
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		want_mask(want, 0);
		for (int c = 0; c < cpu_count(); c++)
			want[c] = (ldr[c] >> 16) == (ldr[cpu] >> 16) &&
				  (ldr[c] & ldr[cpu] & 0xffff);
		snprintf(what, sizeof(what), "an x2APIC logical IPI to %#x", ldr[cpu]);
		scenario(what, 0, APIC_DM_FIXED | APIC_DEST_LOGICAL, ldr[cpu], VEC_LOGICAL, want);
	}
	want_mask(want, 0);
	for (int c = 0; c < cpu_count(); c++)
		want[c] = (ldr[c] >> 16) == 0;
	scenario("an x2APIC logical IPI to all of cluster 0", 0, APIC_DM_FIXED | APIC_DEST_LOGICAL,
		 0xffff, VEC_LOGICAL, want);
	want_mask(want, ALL_CPUS);
	scenario("an x2APIC logical broadcast", 0, APIC_DM_FIXED | APIC_DEST_LOGICAL, 0xffffffff,
		 VEC_LOGICAL, want);
	ipi_restore();
}

struct lowest {
	uint32_t esr;
};

static void esr_latch_on(void *arg)
{
	struct lowest *l = arg;

	apic_write(APIC_ESR, 0);
	l->esr = apic_read(APIC_ESR);
}

static bool any_lowest(const void *unused)
{
	return irq_count_all(VEC_LOWEST) > 0;
}

/* The CPUs of @set (bit i: CPU i) as a logical destination of the mode. */
static uint32_t logical_dest(uint64_t set)
{
	uint32_t d = 0;

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (set & (1ULL << cpu))
			d |= x2mode() ? x2apic_ldr(cpu_id(cpu)) : 1U << cpu;
	return d;
}

/*
 * SDM 11.6.2.4: a lowest-priority IPI reaches one CPU of its destination
 * set; the ability to send one is model-specific, and x2APIC specification
 * 2.3.5 has the sender log "Redirectable IPI" (ESR bit 4) instead. Either
 * is right; two deliveries, or one outside the set, are not.
 */
void lowest_priority(void)
{
	uint64_t set = cpu_count() > 2 ? ALL_CPUS & ~1ULL : ALL_CPUS;
	struct lowest l;
	char got[64];

	if (cpu_count() > 8 || (x2mode() && cpu_count() > 16)) {
		report_skip("lowest priority: more CPUs than one logical destination holds");
		return;
	}
	if (!x2mode())
		on_cpus(set_logical, (void *)(uintptr_t)APIC_DFR_FLAT);
	for (int round = 0; round < 4; round++) {
		unsigned int in = 0, out = 0;

		irq_install(VEC_LOWEST, NULL, IRQ_EOI);
		esr_latch_on(&l);
		irq_listen_start(-1);
		apic_icr_write(APIC_DM_LOWEST | APIC_DEST_LOGICAL | APIC_INT_ASSERT | VEC_LOWEST,
			       logical_dest(set));
		/* Delivered (bounded wait), or refused: then ESR.4 is read below. */
		irq_wait_until(any_lowest, NULL);
		irq_settle(1000);
		irq_disable();
		irq_listen_stop();
		esr_latch_on(&l);
		for (int cpu = 0; cpu < cpu_count(); cpu++) {
			if (set & (1ULL << cpu))
				in += irq_count(cpu, VEC_LOWEST);
			else
				out += irq_count(cpu, VEC_LOWEST);
		}
		snprintf(got, sizeof(got), "%u in the set, %u outside, ESR %#x", in, out, l.esr);
		report_decoded(out == 0 && (in == 1 || (in == 0 && (l.esr & APIC_ESR_REDIR_IPI))),
			       "1 in the set and 0 outside, or none and ESR.4", got,
			       "lowest-priority IPI %d reaches one CPU of its set or sets ESR.4",
			       round);
		irq_uninstall(VEC_LOWEST);
	}
	ipi_restore();
}
