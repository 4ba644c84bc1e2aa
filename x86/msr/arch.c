// SPDX-License-Identifier: MIT
/*
 * The SYSENTER/SYSCALL/segment-base MSRs (round trips and canonical
 * checks), TSC_AUX, DEBUGCTL, CPL3 accesses and the reserved MSR range.
 * Spec references are in main.c's header.
 */
#include "asm/cr.h"
#include "msrtest.h"

struct rw_row {
	uint32_t msr;
	const char *name;
	x86_feature_t feature;
	enum vendor_scope scope;
	uint64_t vals[3];
};

/* Every address value is canonical at 48 bits, hence in every paging mode. */
static const struct rw_row rw_rows[] = {
	{ MSR_IA32_SYSENTER_CS, "SYSENTER_CS", X86_FEATURE_SEP, ANY_VENDOR,
	  { 0x8, 0x10, 0xfff8 } },
	/* 32-bit values: the APM's SYSENTER MSRs serve legacy mode only. */
	{ MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP", X86_FEATURE_SEP, ANY_VENDOR,
	  { 0, 0x12345678, 0xfffff000 } },
	{ MSR_IA32_SYSENTER_EIP, "SYSENTER_EIP", X86_FEATURE_SEP, ANY_VENDOR,
	  { 0x1000, 0x87654321, 0xffffffff } },
	/* SDM 5.8.7.1: in IA-32e mode they hold 64-bit canonical addresses. */
	{ MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP", X86_FEATURE_SEP, INTEL_ONLY,
	  { 0x0000123456789000, 0xffff800000001000, 0x00007ffffffff000 } },
	{ MSR_IA32_SYSENTER_EIP, "SYSENTER_EIP", X86_FEATURE_SEP, INTEL_ONLY,
	  { 0x0000234567891000, 0xffffffff81000000, 0x00007fffffffffff } },
	{ MSR_STAR, "STAR", X86_FEATURE_SYSCALL, ANY_VENDOR,
	  { 0x0023001000000000, 0x001b000800000000, 0 } },
	{ MSR_LSTAR, "LSTAR", X86_FEATURE_LM, ANY_VENDOR,
	  { 0x1000, 0xffffffff81000000, 0x00007ffffffff000 } },
	{ MSR_CSTAR, "CSTAR", X86_FEATURE_LM, AMD_ONLY,
	  { 0x2000, 0xffffffff82000000, 0x00007fffffffe000 } },
	{ MSR_SYSCALL_MASK, "SYSCALL_MASK", X86_FEATURE_SYSCALL, ANY_VENDOR,
	  { 0, 0x47700, 0x3f7fd5 } },
	{ MSR_FS_BASE, "FS_BASE", X86_FEATURE_LM, ANY_VENDOR,
	  { 0, 0x00007f0012345000, 0xffff800000000000 } },
	{ MSR_GS_BASE, "GS_BASE", X86_FEATURE_LM, ANY_VENDOR,
	  { 0x1000, 0x00007fffffffffff, 0xffffc90000000000 } },
	{ MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", X86_FEATURE_LM, ANY_VENDOR,
	  { 0x2000, 0x0000555555554000, 0xffff888000000000 } },
};

static void arch_rw_cpu(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(rw_rows); i++) {
		const struct rw_row *r = &rw_rows[i];
		uint64_t orig;

		if (!vendor_scope_applies(r->scope)) {
			report_skip("%s round trip%s: %s", r->name,
				    r->scope == INTEL_ONLY ? " of 64-bit values" : "",
				    vendor_scope_reason(r->scope));
			continue;
		}
		if (!this_cpu_has(r->feature)) {
			report_skip("%s: not enumerated by CPUID", r->name);
			continue;
		}
		orig = rdmsr(r->msr);
		for (int v = 0; v < 3; v++)
			check_rw(r->msr, r->name, r->vals[v], r->vals[v]);
		wrmsr(r->msr, orig);
	}
}

void arch_rw(void)
{
	for_each_cpu_prefixed(arch_rw_cpu);
}

/*
 * Whether WRMSR checks canonicality at 48 or 57 bits when the CPU has LA57
 * but CR4.LA57 is clear is left open by the manuals, so every value below
 * is non-canonical at the CPU's widest linear-address width (CPUID
 * 0x80000008 EAX[15:8]), hence in every paging mode.
 */
const unsigned int nr_noncanonical = 4;

uint64_t noncanonical_value(unsigned int i)
{
	unsigned int w = cpu_virt_bits();

	switch (i) {
	case 0:
		return BIT_ULL(w - 1);		/* lowest positive one */
	case 1:
		return ~BIT_ULL(w - 1);		/* highest negative one */
	case 2:
		return BIT_ULL(63);
	default:
		return BIT_ULL(62) | 0x1000;
	}
}

struct nc_row {
	uint32_t msr;
	const char *name;
	enum vendor_scope scope;
};

static const struct nc_row nc_rows[] = {
	{ MSR_FS_BASE, "FS_BASE", ANY_VENDOR },
	{ MSR_GS_BASE, "GS_BASE", ANY_VENDOR },
	{ MSR_KERNEL_GS_BASE, "KERNEL_GS_BASE", ANY_VENDOR },
	{ MSR_LSTAR, "LSTAR", ANY_VENDOR },
	/* APM vol. 3 SYSCALL; absent from the SDM's WRMSR list. */
	{ MSR_CSTAR, "CSTAR", AMD_ONLY },
	/* SDM WRMSR list; the APM defines no such check. */
	{ MSR_IA32_SYSENTER_ESP, "SYSENTER_ESP", INTEL_ONLY },
	{ MSR_IA32_SYSENTER_EIP, "SYSENTER_EIP", INTEL_ONLY },
};

static void noncanonical_cpu(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(nc_rows); i++) {
		const struct nc_row *r = &nc_rows[i];
		uint64_t orig;

		if (!vendor_scope_applies(r->scope)) {
			report_skip("%s canonical check: %s", r->name,
				    vendor_scope_reason(r->scope));
			continue;
		}
		orig = rdmsr(r->msr);
		for (unsigned int v = 0; v < nr_noncanonical; v++) {
			uint64_t val = noncanonical_value(v);

			check_wrmsr_gp(r->msr, val,
				       "WRMSR of non-canonical %#lx to %s raises #GP(0)", val,
				       r->name);
		}
		report_eq_x(orig, rdmsr(r->msr), "%s keeps its value after the faulting WRMSRs",
			    r->name);
		wrmsr(r->msr, orig);
	}
}

void noncanonical(void)
{
	report_info("linear-address width %u, CR4.LA57 %d", cpu_virt_bits(),
		    !!(read_cr4() & X86_CR4_LA57));
	for_each_cpu_prefixed(noncanonical_cpu);
}

/* SDM/APM RDMSR, WRMSR: #GP(0) if CPL != 0, whatever the MSR. */
static const struct {
	uint32_t msr;
	const char *name;
} cpl3_rows[] = {
	{ MSR_SYSCALL_MASK, "SYSCALL_MASK" },
	{ MSR_IA32_SYSENTER_CS, "SYSENTER_CS" },
	{ MSR_EFER, "EFER" },
	{ MSR_LSTAR, "LSTAR" },
	{ MSR_IA32_PAT, "PAT" },
};

/* What CPL3 writes: the MSR's own value, harmless should the write land. */
static uint64_t user_value;

static uint64_t user_rdmsr(uint64_t msr)
{
	uint64_t val;

	return rdmsr_safe(msr, &val);
}

static uint64_t user_wrmsr(uint64_t msr)
{
	return wrmsr_safe(msr, user_value);
}

static void cpl3_cpu(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cpl3_rows); i++) {
		uint32_t msr = cpl3_rows[i].msr;

		user_value = rdmsr(msr);
		report_exc(GP0, run_in_user(user_rdmsr, msr), "RDMSR of %s at CPL3 raises #GP(0)",
			   cpl3_rows[i].name);
		report_exc(GP0, run_in_user(user_wrmsr, msr), "WRMSR to %s at CPL3 raises #GP(0)",
			   cpl3_rows[i].name);
		report_eq_x(user_value, rdmsr(msr), "%s is unchanged by the WRMSR at CPL3",
			    cpl3_rows[i].name);
		wrmsr(msr, user_value);
	}
}

void cpl3(void)
{
	for_each_cpu_prefixed(cpl3_cpu);
}

/*
 * SDM vol. 4 table 2-2: "All existing and future processors will not
 * implement MSRs in this range" (0x40000000-0x400000ff). Hypervisor
 * interfaces may define MSRs there: Hyper-V's (TLFS, "Hv#1") and Xen's.
 */
static const uint32_t reserved_msrs[] = { 0x40000000, 0x40000001, 0x40000080, 0x400000ff };

const char *needs_no_hv_msr_range(void)
{
	if (!this_cpu_has(X86_FEATURE_HYPERVISOR))
		return NULL;
	for (uint32_t base = 0x40000000; base < 0x40001000; base += 0x100) {
		struct cpuid r = cpuid(base);
		char sig[13];

		memcpy(sig, &r.b, 4);
		memcpy(sig + 4, &r.c, 4);
		memcpy(sig + 8, &r.d, 4);
		sig[12] = 0;
		if (!strcmp(sig, "Microsoft Hv") || cpuid(base + 1).a == 0x31237648)
			return "the hypervisor's Hyper-V interface defines MSRs 0x4000xxxx";
		if (!strcmp(sig, "XenVMMXenVMM"))
			return "the hypervisor's Xen interface defines MSRs 0x4000xxxx";
	}
	return NULL;
}

void unimplemented(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(reserved_msrs); i++) {
		check_rdmsr_gp(reserved_msrs[i], "RDMSR of reserved MSR %#x raises #GP(0)",
			       reserved_msrs[i]);
		check_wrmsr_gp(reserved_msrs[i], 0, "WRMSR to reserved MSR %#x raises #GP(0)",
			       reserved_msrs[i]);
	}
}

/*
 * DEBUGCTL exists on every x86-64 CPU (SDM 17.4.1, APM 13.1.1.6). BTF (bit
 * 1) is defined by both; bits 63:32 are reserved by both.
 */
#define DEBUGCTL_BTF	BIT(1)

static void debugctl_cpu(void)
{
	static const unsigned int reserved[] = { 32, 48, 63 };
	uint64_t orig = 0;
	exinfo_t ex = rdmsr_safe(MSR_IA32_DEBUGCTL, &orig);

	if (!report_exc(0, ex, "RDMSR of DEBUGCTL succeeds"))
		return;
	check_rw(MSR_IA32_DEBUGCTL, "DEBUGCTL (BTF)", orig | DEBUGCTL_BTF, orig | DEBUGCTL_BTF);
	wrmsr(MSR_IA32_DEBUGCTL, orig);
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		check_wrmsr_gp(MSR_IA32_DEBUGCTL, orig | BIT_ULL(reserved[i]),
			       "WRMSR setting reserved DEBUGCTL bit %u raises #GP(0)", reserved[i]);
		wrmsr(MSR_IA32_DEBUGCTL, orig);
	}
}

void debugctl(void)
{
	for_each_cpu_prefixed(debugctl_cpu);
}

static uint64_t rdpid(void)
{
	uint64_t v;

	asm volatile("rdpid %0" : "=r"(v));
	return v;
}

static void tsc_aux_cpu(void)
{
	static const uint64_t vals[] = { 0, 0x12345678, 0xffffffff };
	static const unsigned int reserved[] = { 32, 63 };
	uint64_t orig = rdmsr(MSR_IA32_TSC_AUX);
	uint32_t aux;

	for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
		check_rw(MSR_IA32_TSC_AUX, "TSC_AUX", vals[i], vals[i]);
		if (this_cpu_has(X86_FEATURE_RDTSCP)) {
			rdtscp(&aux);
			report_eq_x(vals[i], aux, "RDTSCP returns TSC_AUX %#lx in ECX", vals[i]);
		}
		if (this_cpu_has(X86_FEATURE_RDPID))
			report_eq_x(vals[i], rdpid(), "RDPID returns TSC_AUX %#lx", vals[i]);
	}
	/* SDM: bits 63:32 reserved. The APM leaves them undefined. */
	if (cpu_is_amd())
		report_skip("TSC_AUX bits 63:32: %s", vendor_scope_reason(INTEL_ONLY));
	for (size_t i = 0; i < ARRAY_SIZE(reserved) && !cpu_is_amd(); i++)
		check_wrmsr_gp(MSR_IA32_TSC_AUX, BIT_ULL(reserved[i]),
			       "WRMSR setting TSC_AUX bit %u raises #GP(0)", reserved[i]);
	wrmsr(MSR_IA32_TSC_AUX, orig);
}

void tsc_aux(void)
{
	if (!this_cpu_has(X86_FEATURE_RDTSCP) && !this_cpu_has(X86_FEATURE_RDPID)) {
		check_absent(MSR_IA32_TSC_AUX, "TSC_AUX", "neither RDTSCP nor RDPID enumerated");
		return;
	}
	for_each_cpu_prefixed(tsc_aux_cpu);
}
