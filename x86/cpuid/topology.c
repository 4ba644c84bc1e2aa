// SPDX-License-Identifier: MIT
/*
 * APIC IDs and topology leaves, gathered on every CPU and cross-checked.
 * The checks follow the enumeration rules only: QEMU's -smp N may mean N
 * sockets or N cores depending on the machine version, and both must pass.
 *
 * Leaf 0xB/0x1F (SDM vol. 2A table 3-8): sub-leaf n reports in ECX[7:0]
 * the input n and in ECX[15:8] a level type (0 = invalid, ends the list,
 * with EAX = EBX = 0); EAX[4:0] is the shift that turns the x2APIC ID in
 * EDX into the ID of the next level up, EBX[15:0] the logical processors at
 * this level. Each level encloses the one below, so shifts and counts do
 * not decrease; the last shift yields the package ID.
 * CPUID.1: EBX[31:24] is the initial APIC ID, the low 8 bits of the
 * x2APIC ID (SDM vol. 3A, x2APIC ID); with EDX.HTT = 1, EBX[23:16] is
 * valid and counts the addressable logical processor IDs of the package
 * (rounded up to a power of two: the initial APIC IDs the package reserves).
 * AMD Fn8000_0008_ECX: NC = threads in the package - 1, ApicIdSize = APIC
 * ID bits below the package ID (0: derive it from NC).
 *
 * Where the expected side is an ID, it comes from the local APIC ID
 * register of each CPU, not from CPUID: the x2APIC ID of leaves 0xB/0x1F
 * is compared with it, and package membership is computed from the
 * registers' IDs with the shifts and masks CPUID enumerates. The guest has
 * no statement of the intended topology itself (see above), so the
 * remaining checks are the SDM's and APM's rules relating the fields to each
 * other and to those IDs; each has failed on a VMM: Bochs's leaf 0xB spans
 * all CPUs while CPUID.1 puts each in its own package, QEMU -cpu host copies
 * the host's HTT and leaves CPUID.1:EBX[23:16] 0 (known-failures.txt).
 * Under KVM the HTT bit may come from the host CPU (kvm-pvm ignores the
 * -cpu model for it), so the HTT checks end in "(host CPU decides under
 * KVM)".
 */
#include "report.h"
#include "smp.h"
#include "asm/apic.h"
#include "cpuid_test.h"

#define TOPO_SUBLEAVES	8

struct topo_cpu {
	uint32_t apic_reg;
	bool x2apic_mode;
	struct cpuid l1;
	struct cpuid lvl[2][TOPO_SUBLEAVES];	/* leaf 0xB, leaf 0x1F */
	uint32_t amd_ecx;
};

static const struct {
	uint32_t leaf;
	const char *name;
	unsigned int max_type;
} topo_leaves[2] = {
	{ 0xb, "0xB", 2 },	/* SMT, Core */
	{ 0x1f, "0x1F", 6 },	/* SMT, Core, Module, Tile, Die, DieGrp */
};

static struct topo_cpu topo[MAX_CPUS];

static void collect_topo(void *unused)
{
	struct topo_cpu *t = &topo[smp_id()];

	t->x2apic_mode = apic_is_x2apic();
	t->apic_reg = apic_id();
	t->l1 = cpuid(1);
	for (int l = 0; l < 2; l++)
		for (int n = 0; n < TOPO_SUBLEAVES; n++)
			if (cpuid_max_leaf(0) >= topo_leaves[l].leaf)
				t->lvl[l][n] = cpuid_count(topo_leaves[l].leaf, n);
	if (cpuid_max_leaf(0x80000000) >= 0x80000008)
		t->amd_ecx = cpuid(0x80000008).c;
}

static uint32_t initial_apic_id(int cpu)
{
	return topo[cpu].l1.b >> 24;
}

/* Present per SDM: max leaf high enough and sub-leaf 0 EBX[15:0] non-zero. */
static bool topo_leaf_present(int l)
{
	return topo[0].lvl[l][0].b & 0xffff;
}

static unsigned int level_type(const struct cpuid *r)
{
	return r->c >> 8 & 0xff;
}

static unsigned int valid_levels(const struct cpuid *r)
{
	unsigned int n = 0;

	while (n < TOPO_SUBLEAVES && level_type(&r[n]))
		n++;
	return n;
}

/* CPUs whose @id(cpu) >> @shift equals @cpu's: the members of its package. */
static int count_sharing(int cpu, uint32_t (*id)(int), unsigned int shift)
{
	int n = 0;

	for (int j = 0; j < cpu_count(); j++)
		n += (id(j) >> shift) == (id(cpu) >> shift);
	return n;
}

static uint32_t x2apic_id(int cpu)
{
	return topo[cpu].lvl[0][0].d;
}

/* The local APIC ID register: 8 bits in xAPIC mode, 32 in x2APIC mode. */
static uint32_t apic_reg_id(int cpu)
{
	return topo[cpu].apic_reg;
}

void apic_ids(void)
{
	on_cpus(collect_topo, NULL);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		struct topo_cpu *t = &topo[cpu];

		report_info("CPU %d: APIC ID %#x (%s mode), CPUID.1:EBX %#x", cpu, t->apic_reg,
			    t->x2apic_mode ? "x2APIC" : "xAPIC", t->l1.b);
		report_eq_x(t->apic_reg & 0xff, initial_apic_id(cpu),
			    "CPU %d: CPUID.1:EBX[31:24] equals the local APIC ID", cpu);
		if (cpu_count() > 1)
			report_eq(1, count_sharing(cpu, initial_apic_id, 0),
				  "CPU %d: no other CPU reports its initial APIC ID", cpu);
	}
}

static void check_level_leaf(int cpu, int l)
{
	const struct cpuid *r = topo[cpu].lvl[l];
	const char *name = topo_leaves[l].name;
	unsigned int n = valid_levels(r), types = 0;
	bool echo = true, same_edx = true, tail_zero = true, types_ok = n > 0, mono = true;

	for (unsigned int i = 0; i < TOPO_SUBLEAVES; i++) {
		echo &= (r[i].c & 0xff) == i;
		same_edx &= r[i].d == r[0].d;
		if (i >= n) {
			tail_zero &= !level_type(&r[i]) && !(r[i].a & 0x1f) && !(r[i].b & 0xffff);
			continue;
		}
		types_ok &= level_type(&r[i]) <= topo_leaves[l].max_type &&
			    !(types & BIT(level_type(&r[i])));
		types |= BIT(level_type(&r[i]));
		mono &= (r[i].b & 0xffff) != 0;
		if (i)
			mono &= (r[i].a & 0x1f) >= (r[i - 1].a & 0x1f) &&
				(r[i].b & 0xffff) >= (r[i - 1].b & 0xffff);
	}
	if (!(echo && tail_zero && types_ok && mono))
		for (unsigned int i = 0; i < TOPO_SUBLEAVES; i++)
			report_info("CPU %d: leaf %s.%u: %08x %08x %08x %08x", cpu, name, i,
				    r[i].a, r[i].b, r[i].c, r[i].d);
	report(echo, "CPU %d: leaf %s ECX[7:0] echoes the sub-leaf index", cpu, name);
	report(same_edx, "CPU %d: leaf %s EDX (x2APIC ID) is the same in every sub-leaf", cpu,
	       name);
	if (topo[cpu].x2apic_mode)
		report_eq_x(topo[cpu].apic_reg, r[0].d,
			    "CPU %d: leaf %s EDX equals the x2APIC ID register", cpu, name);
	else
		report_eq_x(topo[cpu].apic_reg, r[0].d & 0xff,
			    "CPU %d: leaf %s EDX[7:0] equals the xAPIC ID register", cpu, name);
	report(tail_zero && n < TOPO_SUBLEAVES,
	       "CPU %d: leaf %s sub-leaves after the first type-0 level have EAX=EBX=0", cpu, name);
	report(types_ok, "CPU %d: leaf %s level types are distinct and in 1..%u", cpu, name,
	       topo_leaves[l].max_type);
	report(mono, "CPU %d: leaf %s shifts and processor counts do not decrease", cpu, name);
}

/*
 * Package membership: the CPUs whose APIC ID register, shifted right by
 * leaf 0xB's last level shift, equals this CPU's; by CPUID.1 alone, shifted
 * by log2 of the reserved ID count with HTT=1, and no sharing with HTT=0.
 */
static void check_package(int cpu, bool have_b)
{
	const struct topo_cpu *t = &topo[cpu];
	unsigned int count = t->l1.b >> 16 & 0xff;
	bool htt = t->l1.d >> 28 & 1;
	int legacy = htt ? count_sharing(cpu, apic_reg_id, ceil_log2(count)) : 1;
	const struct cpuid *top;
	int in_pkg;

	if (!have_b) {
		/* With HTT=0 and no leaf 0xB nothing tells of a package to check. */
		if (htt)
			report(count >= (unsigned int)legacy, "CPU %d: HTT=1 so CPUID.1:EBX[23:16] "
			       "counts at least its package's CPUs" HOST_DECIDES, cpu);
		return;
	}
	top = &t->lvl[0][MAX(valid_levels(t->lvl[0]), 1u) - 1];
	in_pkg = count_sharing(cpu, apic_reg_id, top->a & 0x1f);
	if (cpu_count() > 1)
		report_eq(1, count_sharing(cpu, x2apic_id, 0),
			  "CPU %d: no other CPU reports its x2APIC ID", cpu);
	report(in_pkg <= (int)(top->b & 0xffff),
	       "CPU %d: CPUs sharing its leaf 0xB package ID fit the package's count", cpu);
	report_eq(in_pkg, legacy, "CPU %d: CPUID.1 and leaf 0xB agree on its package", cpu);
	if (htt)
		report(count >= (unsigned int)in_pkg, "CPU %d: HTT=1 so CPUID.1:EBX[23:16] counts "
		       "at least its package's CPUs" HOST_DECIDES, cpu);
	else
		report_eq(1, in_pkg, "CPU %d: HTT=0 so no other CPU shares its package"
			  HOST_DECIDES, cpu);
}

static void check_amd_package(int cpu)
{
	uint32_t ecx = topo[cpu].amd_ecx;
	unsigned int nc = ecx & 0xff, size = ecx >> 12 & 0xf;
	unsigned int width = size ? size : ceil_log2(nc + 1);

	report(count_sharing(cpu, apic_reg_id, width) <= (int)nc + 1,
	       "CPU %d: CPUs sharing its Fn8000_0008 package ID number at most NC+1", cpu);
	if (size)
		report(nc + 1 <= 1u << size, "CPU %d: Fn8000_0008 NC+1 fits in ApicIdSize bits",
		       cpu);
}

void topology(void)
{
	bool amd = vendor_is_amd_like() && cpuid_max_leaf(0x80000000) >= 0x80000008;

	on_cpus(collect_topo, NULL);
	for (int l = 0; l < 2; l++)
		if (!topo_leaf_present(l))
			report_skip("leaf %s: not enumerated", topo_leaves[l].name);
	if (!amd)
		report_skip("Fn8000_0008 package checks: not an AMD-convention vendor");
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		for (int l = 0; l < 2; l++)
			if (topo_leaf_present(l))
				check_level_leaf(cpu, l);
		if (topo_leaf_present(1))
			report_eq_x(x2apic_id(cpu), topo[cpu].lvl[1][0].d,
				    "CPU %d: leaves 0x1F and 0xB report the same x2APIC ID", cpu);
		check_package(cpu, topo_leaf_present(0));
		if (amd)
			check_amd_package(cpu);
	}
}
