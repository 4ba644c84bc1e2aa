// SPDX-License-Identifier: MIT
/*
 * Registers with reserved bits and encodings: EFER, PAT, the MTRRs and
 * APIC_BASE. Spec references are in main.c's header.
 */
#include "msrtest.h"

/* EFER bits that exist only when CPUID says so (SDM 2.2.1, APM 3.1.7). */
static const struct efer_opt {
	unsigned int bit;
	const char *name;
	x86_feature_t feature;
	enum vendor_scope scope;
	bool feature_disables;	/* the CPUID bit says "unsupported" */
	const char *note;	/* REPORT_HOST_DECIDES where the host CPU decides under KVM */
} efer_opts[] = {
	{ 0, "SCE", X86_FEATURE_SYSCALL, ANY_VENDOR },
	{ 12, "SVME", X86_FEATURE_SVM, ANY_VENDOR },
	{ 13, "LMSLE", X86_FEATURE_EFER_LMSLE_MBZ, AMD_ONLY, true },
	{ 14, "FFXSR", X86_FEATURE_FFXSR, ANY_VENDOR, .note = REPORT_HOST_DECIDES },
	{ 15, "TCE", X86_FEATURE_TCE, ANY_VENDOR },
	{ 17, "MCOMMIT", X86_FEATURE_MCOMMIT, AMD_ONLY },
	{ 18, "INTWB", X86_FEATURE_INT_WBINVD, AMD_ONLY },
	{ 20, "UAIE", X86_FEATURE_UAI, AMD_ONLY },
	{ 21, "AIBRSE", X86_FEATURE_AUTOIBRS, AMD_ONLY },
};

/* APM 15.30.1: with VM_CR.SVMDIS set (firmware disabled SVM), EFER.SVME is MBZ. */

static bool svm_disabled(void)
{
	uint64_t vm_cr;

	return cpu_is_amd() && !rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS);
}

static bool efer_opt_valid(const struct efer_opt *o)
{
	if (BIT_ULL(o->bit) == EFER_SVME && svm_disabled())
		return false;
	return vendor_scope_applies(o->scope) && this_cpu_has(o->feature) != o->feature_disables;
}

/* Bits never tested as reserved: fixed ones, optional ones, AMD's RAZ 7:1. */
static uint64_t efer_not_reserved(void)
{
	uint64_t mask = EFER_LME | EFER_LMA | EFER_NXE;

	for (size_t i = 0; i < ARRAY_SIZE(efer_opts); i++)
		mask |= BIT_ULL(efer_opts[i].bit);
	if (cpu_is_amd())
		mask |= GENMASK(7, 1);
	return mask;
}

static void efer_optional_bits(uint64_t orig)
{
	char name[32];

	for (size_t i = 0; i < ARRAY_SIZE(efer_opts); i++) {
		const struct efer_opt *o = &efer_opts[i];
		uint64_t bit = BIT_ULL(o->bit);

		if (efer_opt_valid(o)) {
			snprintf(name, sizeof(name), "EFER (%s toggled)", o->name);
			check_rw_note(MSR_EFER, name, orig ^ bit, orig ^ bit,
				      o->note ? o->note : "");
		} else {
			check_wrmsr_gp(MSR_EFER, orig | bit,
				       "WRMSR setting EFER.%s (%s) raises #GP(0)%s", o->name,
				       bit == EFER_SVME && svm_disabled() ? "VM_CR.SVMDIS=1"
									 : "not enumerated",
				       o->note ? o->note : "");
		}
		wrmsr(MSR_EFER, orig);
	}
}

static void efer_cpu(void)
{
	uint64_t orig = rdmsr(MSR_EFER), skip = efer_not_reserved();

	efer_optional_bits(orig);
	for (unsigned int b = 0; b < 64; b++) {
		if (skip & BIT_ULL(b))
			continue;
		check_wrmsr_gp(MSR_EFER, orig | BIT_ULL(b),
			       "WRMSR setting reserved EFER bit %u raises #GP(0)", b);
		wrmsr(MSR_EFER, orig);
	}
	if (cpu_is_amd())
		report_eq_x(0, orig & GENMASK(7, 1), "EFER bits 7:1 read as zero (APM: RAZ)");
	/* SDM 10.8.5; APM 14.6: LME must not change while paging is on. */
	check_wrmsr_gp(MSR_EFER, orig & ~EFER_LME,
		       "WRMSR clearing EFER.LME while CR0.PG=1 raises #GP(0)");
	report_eq_x(orig, rdmsr(MSR_EFER), "EFER is unchanged by the faulting WRMSRs");
	wrmsr(MSR_EFER, orig);
}

void efer(void)
{
	for_each_cpu_prefixed(efer_cpu);
}

/* SDM table 11-10, APM 7.8.1: PAT types 2, 3 and 8-0xff are reserved. */
static const uint8_t pat_valid[] = { 0, 1, 4, 5, 6, 7 };
static const char *const pat_names[8] = { "UC", "WC", "", "", "WT", "WP", "WB", "UC-" };
static const uint8_t pat_reserved[] = { 2, 3, 8, 0xff };

const char *needs_pat(void)
{
	return this_cpu_has(X86_FEATURE_PAT) ? NULL : "CPUID does not enumerate PAT";
}

static uint64_t pat_with(uint64_t val, unsigned int entry, uint8_t type)
{
	return (val & ~(0xffULL << (entry * 8))) | (uint64_t)type << (entry * 8);
}

static void pat_cpu(void)
{
	uint64_t orig = rdmsr(MSR_IA32_PAT);
	char name[40];

	for (unsigned int e = 0; e < 8; e++) {
		for (size_t t = 0; t < ARRAY_SIZE(pat_valid); t++) {
			uint64_t val = pat_with(orig, e, pat_valid[t]);

			snprintf(name, sizeof(name), "PAT (entry %u %s)", e,
				 pat_names[pat_valid[t]]);
			check_rw(MSR_IA32_PAT, name, val, val);
			wrmsr(MSR_IA32_PAT, orig);
		}
		for (size_t t = 0; t < ARRAY_SIZE(pat_reserved); t++) {
			uint8_t type = pat_reserved[t];

			check_wrmsr_gp(MSR_IA32_PAT, pat_with(orig, e, type),
				       "WRMSR to PAT with entry %u = reserved type %#x %s", e,
				       type, "raises #GP(0)");
			wrmsr(MSR_IA32_PAT, orig);
		}
	}
}

void pat(void)
{
	for_each_cpu_prefixed(pat_cpu);
}

/*
 * MTRRs (SDM 11.11, APM 7.7). Variable ranges are written with V=1 only
 * while MTRRs are disabled (DEF_TYPE.E=0), so none takes effect; the
 * DEF_TYPE checks may change the default memory type for a moment, which
 * affects caching only. Every original value is restored at once.
 */
#define MTRRCAP_VCNT(cap)	((cap) & 0xff)
#define MTRRCAP_FIX		BIT(8)
#define MTRRCAP_WC		BIT(10)
#define MTRR_DEF_FE		BIT(10)
#define MTRR_DEF_E		BIT(11)
#define MTRR_MASK_V		BIT(11)
#define MTRR_WB			6

static uint64_t mtrr_cap;

const char *needs_mtrr(void)
{
	return this_cpu_has(X86_FEATURE_MTRR) ? NULL : "CPUID does not enumerate MTRR";
}

/* SDM table 11-8: 0, 1 (if MTRRCAP.WC), 4, 5, 6 are the valid types. */
static bool mtrr_type_valid(unsigned int t)
{
	return t == 0 || (t == 1 && (mtrr_cap & MTRRCAP_WC)) || (t >= 4 && t <= 6);
}

static const uint8_t mtrr_types_to_try[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 0xff };

static void mtrr_def_type(void)
{
	static const unsigned int reserved[] = { 8, 9, 12, 31, 32, 63 };
	uint64_t orig = rdmsr(MSR_IA32_MTRR_DEF_TYPE), flags;
	char name[48];

	for (size_t i = 0; i < ARRAY_SIZE(mtrr_types_to_try); i++) {
		uint8_t t = mtrr_types_to_try[i];
		uint64_t val = (orig & ~0xffULL) | t;

		snprintf(name, sizeof(name), "MTRR_DEF_TYPE (type %#x)", t);
		if (mtrr_type_valid(t))
			check_rw(MSR_IA32_MTRR_DEF_TYPE, name, val, val);
		else
			check_wrmsr_gp(MSR_IA32_MTRR_DEF_TYPE, val,
				       "WRMSR to MTRR_DEF_TYPE with reserved type %#x %s", t,
				       "raises #GP(0)");
		wrmsr(MSR_IA32_MTRR_DEF_TYPE, orig);
	}
	/* E=1 with default type WB: what every access is treated as already. */
	flags = MTRR_DEF_E | ((mtrr_cap & MTRRCAP_FIX) ? MTRR_DEF_FE : 0);
	check_rw(MSR_IA32_MTRR_DEF_TYPE, "MTRR_DEF_TYPE (E set, default WB)",
		 flags | MTRR_WB, flags | MTRR_WB);
	wrmsr(MSR_IA32_MTRR_DEF_TYPE, orig);
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		check_wrmsr_gp(MSR_IA32_MTRR_DEF_TYPE, orig | BIT_ULL(reserved[i]),
			       "WRMSR setting reserved MTRR_DEF_TYPE bit %u raises #GP(0)",
			       reserved[i]);
		wrmsr(MSR_IA32_MTRR_DEF_TYPE, orig);
	}
	if (!(mtrr_cap & MTRRCAP_FIX))
		check_wrmsr_gp(MSR_IA32_MTRR_DEF_TYPE, orig | MTRR_DEF_FE,
			       "WRMSR setting MTRR_DEF_TYPE.FE without MTRRCAP.FIX raises #GP(0)");
	wrmsr(MSR_IA32_MTRR_DEF_TYPE, orig);
}

static void mtrr_var_rw(unsigned int n)
{
	uint32_t base_msr = MSR_IA32_MTRR_PHYSBASE0 + 2 * n;
	uint64_t base = rdmsr(base_msr), mask = rdmsr(base_msr + 1);
	uint64_t frames = phys_frame_mask(), size = BIT_ULL(28);
	uint64_t new_base = ((n + 1) * size) & frames;
	char name[40];

	snprintf(name, sizeof(name), "MTRR_PHYSBASE%u", n);
	check_rw(base_msr, name, new_base | MTRR_WB, new_base | MTRR_WB);
	snprintf(name, sizeof(name), "MTRR_PHYSMASK%u", n);
	check_rw(base_msr + 1, name, frames & ~(size - 1), frames & ~(size - 1));
	/* V=1 only while MTRRs are disabled, so the range has no effect. */
	if (!(rdmsr(MSR_IA32_MTRR_DEF_TYPE) & MTRR_DEF_E)) {
		snprintf(name, sizeof(name), "MTRR_PHYSMASK%u (V)", n);
		check_rw(base_msr + 1, name, (frames & ~(size - 1)) | MTRR_MASK_V,
			 (frames & ~(size - 1)) | MTRR_MASK_V);
	} else {
		report_skip("MTRR_PHYSMASK%u (V): MTRRs are enabled, a valid range would apply", n);
	}
	wrmsr(base_msr + 1, mask);
	wrmsr(base_msr, base);
}

static void mtrr_var_reserved(unsigned int n)
{
	uint32_t base_msr = MSR_IA32_MTRR_PHYSBASE0 + 2 * n;
	uint64_t base = rdmsr(base_msr), mask = rdmsr(base_msr + 1);
	const unsigned int pa = cpu_phys_bits();
	const struct {
		bool is_mask, is_type;
		uint64_t set;
		const char *what;
	} rows[] = {
		{ false, true, 2, "reserved type 2" },
		{ false, true, 3, "reserved type 3" },
		{ false, true, 7, "reserved type 7" },
		{ false, false, BIT(8), "reserved bit 8" },
		{ false, false, BIT(11), "reserved bit 11" },
		{ false, false, BIT_ULL(pa), "bit MAXPHYADDR" },
		{ false, false, BIT_ULL(63), "reserved bit 63" },
		{ true, false, BIT(0), "reserved bit 0" },
		{ true, false, BIT(10), "reserved bit 10" },
		{ true, false, BIT_ULL(pa), "bit MAXPHYADDR" },
		{ true, false, BIT_ULL(63), "reserved bit 63" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		uint32_t msr = base_msr + rows[i].is_mask;
		uint64_t val = rows[i].is_mask ? mask : (base & ~0xffULL) | MTRR_WB;

		val = rows[i].is_type ? (val & ~0xffULL) | rows[i].set : val | rows[i].set;
		check_wrmsr_gp(msr, val, "WRMSR to MTRR_PHYS%s%u with %s raises #GP(0)",
			       rows[i].is_mask ? "MASK" : "BASE", n, rows[i].what);
		wrmsr(base_msr + 1, mask);
		wrmsr(base_msr, base);
	}
}

/* SDM vol. 4: PHYSBASE8/9 exist only if MTRRCAP.VCNT > 8 / > 9. */
static void mtrr_beyond_vcnt(unsigned int vcnt)
{
	char name[32];

	if (vcnt >= 10) {
		report_skip("VCNT %u: the SDM defines no MSR past PHYSMASK9", vcnt);
		return;
	}
	snprintf(name, sizeof(name), "MTRR_PHYSBASE%u", vcnt);
	check_absent(MSR_IA32_MTRR_PHYSBASE0 + 2 * vcnt, name, "past MTRRCAP.VCNT");
	snprintf(name, sizeof(name), "MTRR_PHYSMASK%u", vcnt);
	check_absent(MSR_IA32_MTRR_PHYSMASK0 + 2 * vcnt, name, "past MTRRCAP.VCNT");
}

static const struct {
	uint32_t msr;
	const char *name;
} mtrr_fixed[] = {
	{ MSR_IA32_MTRR_FIX64K_00000, "MTRR_FIX64K_00000" },
	{ MSR_IA32_MTRR_FIX16K_80000, "MTRR_FIX16K_80000" },
	{ MSR_IA32_MTRR_FIX16K_A0000, "MTRR_FIX16K_A0000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 0, "MTRR_FIX4K_C0000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 1, "MTRR_FIX4K_C8000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 2, "MTRR_FIX4K_D0000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 3, "MTRR_FIX4K_D8000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 4, "MTRR_FIX4K_E0000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 5, "MTRR_FIX4K_E8000" },
	{ MSR_IA32_MTRR_FIX4K_C0000 + 6, "MTRR_FIX4K_F0000" },
	{ MSR_IA32_MTRR_FIX4K_F8000, "MTRR_FIX4K_F8000" },
};

/*
 * Each byte a type. Types 2, 3 and 7 are reserved on both vendors (AMD's
 * RdMem/WrMem bits 4:3 are avoided: they depend on SYSCFG).
 */
static void mtrr_fixed_ranges(void)
{
	static const uint8_t bad[] = { 2, 3, 7 };

	for (size_t i = 0; i < ARRAY_SIZE(mtrr_fixed); i++) {
		uint32_t msr = mtrr_fixed[i].msr;
		uint64_t orig = rdmsr(msr), val = 0, bad_val;
		unsigned int byte = i % 8;
		uint8_t t = bad[i % ARRAY_SIZE(bad)];

		for (unsigned int b = 0, type = i; b < 8; b++, type++) {
			while (!mtrr_type_valid(type % 8))
				type++;
			val |= (uint64_t)(type % 8) << (b * 8);
		}
		check_rw(msr, mtrr_fixed[i].name, val, val);
		bad_val = (val & ~(0xffULL << (byte * 8))) | (uint64_t)t << (byte * 8);
		check_wrmsr_gp(msr, bad_val,
			       "WRMSR to %s with reserved type %u in byte %u raises #GP(0)",
			       mtrr_fixed[i].name, t, byte);
		wrmsr(msr, orig);
	}
}

void mtrr(void)
{
	unsigned int vcnt;

	mtrr_cap = rdmsr(MSR_IA32_MTRRCAP);
	vcnt = MTRRCAP_VCNT(mtrr_cap);
	report_info("MTRRCAP %#lx, MAXPHYADDR %u", mtrr_cap, cpu_phys_bits());
	mtrr_def_type();
	for (unsigned int n = 0; n < vcnt; n++)
		mtrr_var_rw(n);
	if (vcnt) {
		mtrr_var_reserved(0);
		if (vcnt > 1)
			mtrr_var_reserved(vcnt - 1);
	}
	mtrr_beyond_vcnt(vcnt);
	if (mtrr_cap & MTRRCAP_FIX)
		mtrr_fixed_ranges();
	else
		report_skip("fixed-range MTRRs: MTRRCAP.FIX is clear");
}

const char *needs_apic(void)
{
	return this_cpu_has(X86_FEATURE_APIC) ? NULL : "CPUID does not enumerate an APIC";
}

/*
 * APIC_BASE (SDM 11.4.4, APM 16.3.1): bits 7:0, 9 and MAXPHYADDR-63 are
 * reserved, bit 10 (EXTD) too without x2APIC. Each bad write is undone at
 * once so a VMM that takes it keeps a working APIC for the next check.
 */
void apic_base(void)
{
	const unsigned int pa = cpu_phys_bits();
	const unsigned int reserved[] = { 0, 7, 9, pa, 63 };
	uint64_t orig = rdmsr(MSR_IA32_APIC_BASE);
	bool x2apic = this_cpu_has(X86_FEATURE_X2APIC);

	check_rw(MSR_IA32_APIC_BASE, "APIC_BASE (its current value)", orig, orig);
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		check_wrmsr_gp(MSR_IA32_APIC_BASE, orig | BIT_ULL(reserved[i]),
			       "WRMSR setting reserved APIC_BASE bit %u raises #GP(0)",
			       reserved[i]);
		wrmsr(MSR_IA32_APIC_BASE, orig);
	}
	if (!x2apic) {
		check_wrmsr_gp(MSR_IA32_APIC_BASE, orig | APIC_BASE_EXTD,
			       "WRMSR setting APIC_BASE.EXTD without x2APIC raises #GP(0)");
		wrmsr(MSR_IA32_APIC_BASE, orig);
	} else if ((orig & (APIC_BASE_EN | APIC_BASE_EXTD)) == APIC_BASE_EN) {
		/* SDM 11.12.5: EN=0 with EXTD=1 is the one invalid state. */
		check_wrmsr_gp(MSR_IA32_APIC_BASE, (orig & ~APIC_BASE_EN) | APIC_BASE_EXTD,
			       "WRMSR to APIC_BASE with EXTD=1 and EN=0 raises #GP(0)");
		wrmsr(MSR_IA32_APIC_BASE, orig);
	}
	report_eq_x(orig, rdmsr(MSR_IA32_APIC_BASE),
		    "APIC_BASE is unchanged by the faulting WRMSRs");
}
