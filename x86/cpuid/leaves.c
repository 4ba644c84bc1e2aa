// SPDX-License-Identifier: MIT
/*
 * Leaf ranges, vendor, out-of-range and sub-leaf conventions, the features
 * a running long-mode guest proves present, and CPUID at CPL3.
 * Spec references are in main.c.
 */
#include "report.h"
#include "smp.h"
#include "asm/desc.h"
#include "cpuid_test.h"

#define EXT_BASE	0x80000000u

static bool cpuid_eq(const struct cpuid *a, const struct cpuid *b)
{
	return a->a == b->a && a->b == b->b && a->c == b->c && a->d == b->d;
}

static void info_regs(const char *what, const struct cpuid *r)
{
	report_info("%s: eax=%#x ebx=%#x ecx=%#x edx=%#x", what, r->a, r->b, r->c, r->d);
}

void leaf_ranges(void)
{
	uint32_t max_b = cpuid_max_leaf(0), max_e = cpuid_max_leaf(EXT_BASE);

	report_info("max basic leaf %#x, max extended leaf %#x", max_b, max_e);
	report(max_b >= 1, "CPUID.0:EAX (max basic leaf) is at least 1");
	if (this_cpu_has(X86_FEATURE_XSAVE))
		report(max_b >= 0xd, "max basic leaf reaches 0xD since XSAVE is enumerated");
	else
		report_skip("max basic leaf reaches 0xD: XSAVE not enumerated");
	/* Long mode itself is enumerated in 0x80000001; the image runs in it. */
	report(max_e >= 0x80000001, "max extended leaf reaches 0x80000001 (LM enumeration)");
	report(max_e >= 0x80000008, "max extended leaf reaches 0x80000008 (address sizes)");
	report(max_b < EXT_BASE, "max basic leaf lies below the extended range");
}

static void hypervisor_info(void)
{
	struct cpuid r;
	char id[13];

	if (!this_cpu_has(X86_FEATURE_HYPERVISOR)) {
		report_info("CPUID.1:ECX[31] (hypervisor present) is clear");
		return;
	}
	/* The hypervisor leaf's signature runs EBX, ECX, EDX (unlike leaf 0). */
	r = cpuid(0x40000000);
	memcpy(id, &r.b, 4);
	memcpy(id + 4, &r.c, 4);
	memcpy(id + 8, &r.d, 4);
	id[12] = 0;
	report_info("hypervisor leaf 0x40000000: max %#x, signature \"%s\"", r.a, id);
}

void vendor_id(void)
{
	char id[13], ext[13];

	cpuid_vendor_string(0, id);
	report_info("vendor \"%s\", leaf 1 EAX %#x", id, cpuid(1).a);
	hypervisor_info();
	report(cpu_vendor() != VENDOR_UNKNOWN,
	       "leaf 0 vendor is GenuineIntel, AuthenticAMD, HygonGenuine or CentaurHauls");
	if (!vendor_is_amd_like()) {
		report_skip("Fn8000_0000 vendor string: reserved outside the AMD APM");
		return;
	}
	cpuid_vendor_string(EXT_BASE, ext);
	report(!strcmp(id, ext), "Fn8000_0000 EBX/EDX/ECX repeat the leaf 0 vendor string");
	if (strcmp(id, ext))
		report_info("Fn8000_0000 vendor \"%s\"", ext);
}

/*
 * Intel (and Centaur): data of the highest basic leaf. AMD (and Hygon):
 * all zeros. The hypervisor range 0x40000000-0x4fffffff is left alone.
 */
void leaves_beyond_max(void)
{
	uint32_t max_b = cpuid_max_leaf(0), max_e = cpuid_max_leaf(EXT_BASE);
	const struct {
		const char *what;
		uint32_t leaf;
	} rows[] = {
		{ "the first leaf past the basic maximum", max_b + 1 },
		{ "leaf 0x3fffffff (past the basic maximum)", 0x3fffffff },
		{ "the first leaf past the extended maximum", max_e + 1 },
		{ "leaf 0x8fffffff (past the extended maximum)", 0x8fffffff },
	};
	enum cpu_vendor v = cpu_vendor();
	bool amd = vendor_is_amd_like();
	struct cpuid want = { 0 }, got;

	if (v == VENDOR_UNKNOWN) {
		report_skip("out-of-range leaves: unknown vendor, no documented convention");
		return;
	}
	if (!amd)
		want = cpuid(max_b);
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		/* Only inputs really past their range's maximum (max_e may be tiny). */
		if (rows[i].leaf <= cpuid_max_leaf(rows[i].leaf & EXT_BASE))
			continue;
		got = cpuid(rows[i].leaf);
		if (!report(cpuid_eq(&want, &got), "%s returns %s", rows[i].what,
			    amd ? "all zeros" : "the highest basic leaf's data")) {
			report_info("leaf %#x", rows[i].leaf);
			info_regs("expected", &want);
			info_regs("got", &got);
		}
	}
}

void leaf7_subleaves(void)
{
	const struct cpuid zero = { 0 };
	uint32_t max_sub, subs[2];
	struct cpuid r;

	if (cpuid_max_leaf(0) < 7) {
		report_skip("leaf 7 sub-leaves: max basic leaf below 7");
		return;
	}
	max_sub = cpuid_count(7, 0).a;
	subs[0] = max_sub + 1;
	subs[1] = 0xff;
	report_info("leaf 7 max sub-leaf %u", max_sub);
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		if (subs[i] <= max_sub)
			continue;
		r = cpuid_count(7, subs[i]);
		if (!report(cpuid_eq(&zero, &r),
			    "leaf 7 sub-leaf %s above EAX of sub-leaf 0 is zero",
			    i ? "0xff" : "max+1"))
			info_regs("got", &r);
	}
}

/*
 * Leaf 4 (Intel) and Fn8000_001D (AMD, with TopologyExtensions) list caches
 * until an entry of type 0 (null); each entry has type 1-3, level 1-3.
 */
static void cache_walk(uint32_t leaf)
{
	uint32_t bad = ~0u, type, level, n;

	for (n = 0; n < 64; n++) {
		type = cpuid_count(leaf, n).a & 0x1f;
		level = cpuid_count(leaf, n).a >> 5 & 7;
		if (!type)
			break;
		if ((type > 3 || level < 1 || level > 3) && bad == ~0u)
			bad = n;
	}
	report_info("leaf %#x: %u cache entries", leaf, n);
	report(n < 64, "leaf %#x ends its cache list with a null entry", leaf);
	if (!report(bad == ~0u, "leaf %#x entries have cache type 1-3 and level 1-3", leaf))
		report_info("first bad sub-leaf %u, eax %#x", bad, cpuid_count(leaf, bad).a);
	report_eq(0, cpuid_count(leaf, n + 1).a & 0x1f,
		  "leaf %#x entry after the null entry is null too", leaf);
}

void cache_leaves(void)
{
	if (vendor_is_amd_like()) {
		if (!this_cpu_has(X86_FEATURE_TOPOEXT) || cpuid_max_leaf(EXT_BASE) < 0x8000001d)
			report_skip("Fn8000_001D: TopologyExtensions not enumerated");
		else
			cache_walk(0x8000001d);
		return;
	}
	if (cpuid_max_leaf(0) < 4)
		report_skip("leaf 4: max basic leaf below 4");
	else
		cache_walk(4);
}

/*
 * Features the running image proves present, which CPUID must therefore
 * enumerate: it executes in 64-bit mode (LM, with CR4.PAE), set EFER with
 * WRMSR (MSR), runs on the local APIC (APIC); the rest is the x86-64
 * baseline both vendors' 64-bit processors implement (FPU, TSC, CX8, CMOV,
 * MMX, FXSR, SSE, SSE2) and SYSCALL, which Intel enumerates exactly when
 * CPUID runs in 64-bit mode. What the running image shows by itself (CR4.PAE
 * set in long mode, the APIC lib enabled) is no check: it cannot fail.
 */
void baseline_features(void)
{
	static const struct {
		const char *name;
		x86_feature_t f;
	} rows[] = {
		{ "LM", X86_FEATURE_LM }, { "PAE", X86_FEATURE_PAE },
		{ "MSR", X86_FEATURE_MSR }, { "APIC", X86_FEATURE_APIC },
		{ "FPU", X86_FEATURE_FPU }, { "TSC", X86_FEATURE_TSC },
		{ "CX8", X86_FEATURE_CX8 }, { "CMOV", X86_FEATURE_CMOV },
		{ "MMX", X86_FEATURE_MMX }, { "FXSR", X86_FEATURE_FXSR },
		{ "SSE", X86_FEATURE_SSE }, { "SSE2", X86_FEATURE_SSE2 },
		{ "SYSCALL", X86_FEATURE_SYSCALL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		report(this_cpu_has(rows[i].f), "%s is enumerated (required by 64-bit mode)",
		       rows[i].name);
	report_info("NX %s", this_cpu_has(X86_FEATURE_NX) ? "enumerated" : "absent");
	if (this_cpu_has(X86_FEATURE_CLFLUSH))
		report((cpuid(1).b >> 8 & 0xff) != 0,
		       "CPUID.1:EBX[15:8] (CLFLUSH line size) is non-zero since CLFSH is set");
	else
		report_skip("CLFLUSH line size: CLFSH not enumerated");
}

/* SDM vol. 3A 4.1.4; 5-level paging widens linear addresses to 57 bits. */
void address_sizes(void)
{
	uint32_t eax, pa, la;

	if (cpuid_max_leaf(EXT_BASE) < 0x80000008) {
		report_skip("address sizes: leaf 0x80000008 absent");
		return;
	}
	eax = cpuid(0x80000008).a;
	pa = eax & 0xff;
	la = eax >> 8 & 0xff;
	report_info("physical address bits %u, linear address bits %u", pa, la);
	report(pa >= 36 && pa <= 52, "CPUID.80000008H:EAX[7:0] (MAXPHYADDR) is in 36..52");
	report_eq(this_cpu_has(X86_FEATURE_LA57) ? 57 : 48, la,
		  "CPUID.80000008H:EAX[15:8] is 57 with LA57, else 48");
}

/* APM appendix E: Fn8000_0001 repeats the signature and these EDX bits. */
void amd_ext_mirrors(void)
{
	static const struct {
		const char *name;
		unsigned int bit;
	} bits[] = {
		{ "FPU", 0 }, { "VME", 1 }, { "DE", 2 }, { "PSE", 3 }, { "TSC", 4 },
		{ "MSR", 5 }, { "PAE", 6 }, { "MCE", 7 }, { "CX8", 8 }, { "APIC", 9 },
		{ "MTRR", 12 }, { "PGE", 13 }, { "MCA", 14 }, { "CMOV", 15 }, { "PAT", 16 },
		{ "PSE36", 17 }, { "MMX", 23 }, { "FXSR", 24 },
	};
	struct cpuid std = cpuid(1), ext = cpuid(0x80000001);

	report_eq_x(std.a, ext.a, "Fn8000_0001_EAX repeats the Fn0000_0001_EAX signature");
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		report_eq(std.d >> bits[i].bit & 1, ext.d >> bits[i].bit & 1,
			  "Fn8000_0001_EDX[%u] (%s) equals Fn0000_0001_EDX[%u]", bits[i].bit,
			  bits[i].name, bits[i].bit);
}

static struct cpuid user_regs;

static uint64_t cpuid_at_cpl3(uint64_t arg)
{
	DECLARE_EXINFO(ex);
	uint32_t a = arg, b = 0, c = arg >> 32, d = 0;

	asm volatile(ASM_TRY("cpuid") : "+r"(ex), "+a"(a), "+b"(b), "+c"(c), "+d"(d));
	user_regs = (struct cpuid){ a, b, c, d };
	return ex;
}

/*
 * CPUID is not privileged (SDM vol. 2A CPUID; no faulting unless enabled):
 * it returns the same at CPL3 as at CPL0. No constant of the spec can stand
 * in for the CPL0 reading, as the values are the VMM's to choose; the CPL0
 * reading is another observation, not the one under test, and a VMM that
 * intercepts CPUID only at CPL0 (kvm-pvm: CPL3 gets the host's raw leaves)
 * fails the comparison. Leaves 0xB/0x1F are left out: per CPU, and a CPL3
 * CPUID a VMM fails to intercept would return whichever host CPU's x2APIC ID.
 */
void cpl3_cpuid(void)
{
	static const struct {
		uint32_t leaf, sub;
	} q[] = {
		{ 0, 0 }, { 1, 0 }, { 7, 0 }, { 0xd, 0 }, { 0xd, 1 },
		{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000008, 0 },
	};
	exinfo_t ex, first = 0;
	struct cpuid k;

	for (size_t i = 0; i < ARRAY_SIZE(q); i++) {
		if (q[i].leaf > cpuid_max_leaf(q[i].leaf & EXT_BASE))
			continue;
		k = cpuid_count(q[i].leaf, q[i].sub);
		ex = run_in_user(cpuid_at_cpl3, q[i].leaf | (uint64_t)q[i].sub << 32);
		if (ex && !first)
			first = ex;
		if (!report(!ex && cpuid_eq(&k, &user_regs),
			    "CPUID %#x.%u at CPL3 returns the CPL0 values", q[i].leaf, q[i].sub)) {
			info_regs("CPL0", &k);
			info_regs("CPL3", &user_regs);
		}
	}
	report_exc(0, first, "CPUID at CPL3 raises no exception (no CPUID faulting)");
}

/*
 * Every CPU of one VM reports the same features (fields that are per-CPU
 * by definition, APIC IDs and topology counts, are masked out). The
 * reference is CPU 0's reading, an observation of another CPU: a VMM that
 * configures its vCPUs differently (per-vCPU CPUID tables out of step, a
 * CPUID it answers from whichever host CPU the vCPU runs on) fails it. The
 * SDM names no value for these fields, only their meaning: one processor
 * model per VM, as software that reads them on one CPU and uses them on all
 * (every OS) requires.
 */
struct leaf_mask {
	uint32_t leaf, sub;
	struct cpuid mask;
};

static const struct leaf_mask same_leaves[] = {
	{ 0, 0, { ~0u, ~0u, ~0u, ~0u } },
	{ 1, 0, { ~0u, 0xffff, ~0u, ~0u } },
	{ 7, 0, { ~0u, ~0u, ~0u, ~0u } },
	{ 0xd, 0, { ~0u, 0, ~0u, ~0u } },
	{ 0x80000001, 0, { ~0u, ~0u, ~0u, ~0u } },
	{ 0x80000008, 0, { ~0u, ~0u, 0, 0 } },
};

static struct cpuid cpu_leaves[MAX_CPUS][ARRAY_SIZE(same_leaves)];

static void collect_leaves(void *unused)
{
	for (size_t i = 0; i < ARRAY_SIZE(same_leaves); i++) {
		const struct leaf_mask *l = &same_leaves[i];
		struct cpuid r = { 0 };

		if (l->leaf <= cpuid_max_leaf(l->leaf & EXT_BASE))
			r = cpuid_count(l->leaf, l->sub);
		r.a &= l->mask.a, r.b &= l->mask.b, r.c &= l->mask.c, r.d &= l->mask.d;
		cpu_leaves[smp_id()][i] = r;
	}
}

void cpus_agree(void)
{
	on_cpus(collect_leaves, NULL);
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		for (size_t i = 0; i < ARRAY_SIZE(same_leaves); i++) {
			if (report(cpuid_eq(&cpu_leaves[0][i], &cpu_leaves[cpu][i]),
				   "CPU %d: CPUID %#x.%u features equal CPU 0's", cpu,
				   same_leaves[i].leaf, same_leaves[i].sub))
				continue;
			info_regs("CPU 0", &cpu_leaves[0][i]);
			info_regs("this CPU", &cpu_leaves[cpu][i]);
		}
	}
}
