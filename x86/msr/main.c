// SPDX-License-Identifier: MIT
/*
 * msr: architectural model-specific registers as RDMSR/WRMSR see them.
 *
 * What it verifies, per the CPU's CPUID enumeration:
 *  - round trips of architectural MSRs (SYSENTER_*, STAR, LSTAR, CSTAR,
 *    SYSCALL_MASK, FS/GS/KERNEL_GS_BASE, TSC_AUX, PAT, MTRRs, DEBUGCTL,
 *    SPEC_CTRL bits, EFER's optional bits), every original restored;
 *  - #GP(0) for reserved bits (EFER, PAT, MTRRs, APIC_BASE, SPEC_CTRL,
 *    PRED_CMD, FLUSH_CMD, TSC_AUX, DEBUGCTL, FEATURE_CONTROL), for
 *    non-canonical addresses, for RDMSR of the write-only command MSRs, for
 *    MSRs the CPU does not enumerate, for the reserved MSR range
 *    0x40000000-0x400000ff and for RDMSR/WRMSR at CPL3;
 *  - the IA32_FEATURE_CONTROL lock, TSC/TSC_ADJUST coupling, APERF/MPERF
 *    counting, and that per-CPU MSRs keep per-CPU values.
 *
 * Specifications:
 *  SDM vol. 2B RDMSR, WRMSR (#GP conditions, the non-canonical MSR list);
 *  SDM vol. 3A 2.2.1 (IA32_EFER), 5.8.7/5.8.8 (SYSENTER/SYSCALL MSRs),
 *  10.8.5 (LME cannot change while CR0.PG=1), 11.4.4 and 11.12.5 (APIC base,
 *  x2APIC state transitions), 11.11.1-11.11.2 and table 11-8 (MTRRs),
 *  11.12.2 and table 11-10 (PAT); SDM vol. 3B 17.4.1 (IA32_DEBUGCTL),
 *  18.17.3 (IA32_TSC_ADJUST); SDM vol. 4 table 2-2 (every MSR's existence
 *  condition, the 0x40000000-0x400000ff range "will not be implemented");
 *  Intel "Speculative Execution Side Channel Mitigations" (SPEC_CTRL,
 *  PRED_CMD, FLUSH_CMD).
 *  AMD APM vol. 2 3.1.7 (EFER: bits 7:1 RAZ, other reserved bits MBZ),
 *  6.1.1 (SYSCALL: LSTAR/CSTAR must be canonical), 7.7 (MTRRs), 7.8 (PAT),
 *  13.1.1.6 (DebugCtl), 14.6 (LME is fixed while paging is on), 16.3.1
 *  (APIC base); APM vol. 3 SYSENTER (legacy mode only), WRMSR, and
 *  appendix E (CPUID Fn8000_0008_EBX, Fn8000_0021_EAX enumerations).
 *
 * Where the two manuals differ the check follows the CPU's vendor:
 *  - CSTAR: only the APM defines it and its canonical check; the SDM's
 *    WRMSR list omits it, so on Intel CSTAR is left alone;
 *  - SYSENTER_ESP/EIP: the SDM makes them 64-bit canonical addresses, the
 *    APM has SYSENTER in legacy mode only with no such check: on AMD only
 *    32-bit values are written and the canonical check is skipped;
 *  - EFER bits 7:1 are reserved (#GP) per the SDM but RAZ per the APM;
 *  - TSC_AUX bits 63:32 are reserved (#GP) per the SDM; the APM is silent.
 *
 * Known VMM caveats: QEMU TCG reads unknown MSRs as 0 and drops writes
 * without #GP, and checks almost no reserved bits; the host's kvm-pvm
 * accepts several MSRs its CPUID does not enumerate and leaves the TSC
 * unchanged on WRMSR to TSC or TSC_ADJUST. Bochs 2.7 has no DEBUGCTL,
 * MPERF or APERF (yet enumerates CPUID.06H:ECX[0]), accepts TSC_AUX bits
 * 63:32, and as ryzen rejects the enumerated EFER.LMSLE/TCE and implements
 * FEATURE_CONTROL without VMX. All are listed in known-failures.txt; the
 * checks stay strict.
 *
 * Under KVM the host CPU decides some outcomes (their messages end in
 * REPORT_HOST_DECIDES): CPUID passes the host's SPEC_CTRL enumeration
 * through, which picks the spec_ctrl branch, and EFER.FFXSR follows the
 * host's FFXSR (kvm-pvm runs guest CPL3 code with the host's EFER).
 */
#include "subtest.h"
#include "msrtest.h"

bool cpu_is_amd(void)
{
	struct cpuid r = cpuid(0);
	char v[13];

	memcpy(v, &r.b, 4);
	memcpy(v + 4, &r.d, 4);
	memcpy(v + 8, &r.c, 4);
	v[12] = 0;
	return !strcmp(v, "AuthenticAMD") || !strcmp(v, "HygonGenuine");
}

bool vendor_scope_applies(enum vendor_scope scope)
{
	return scope == ANY_VENDOR || (scope == AMD_ONLY) == cpu_is_amd();
}

const char *vendor_scope_reason(enum vendor_scope scope)
{
	return scope == AMD_ONLY ? "defined by the AMD APM only, this CPU follows the SDM"
				 : "defined by the Intel SDM only, this CPU follows the APM";
}

unsigned int cpu_phys_bits(void)
{
	if (cpuid_max_leaf(0x80000000) < 0x80000008)
		return 36;
	return cpuid(0x80000008).a & 0xff;
}

unsigned int cpu_virt_bits(void)
{
	if (cpuid_max_leaf(0x80000000) < 0x80000008)
		return 48;
	return (cpuid(0x80000008).a >> 8) & 0xff;
}

uint64_t phys_frame_mask(void)
{
	return GENMASK(cpu_phys_bits() - 1, 12);
}

void check_rw_note(uint32_t msr, const char *name, uint64_t val, uint64_t expect,
		   const char *note)
{
	exinfo_t ex = wrmsr_safe(msr, val);
	uint64_t got = 0;

	if (!ex)
		ex = rdmsr_safe(msr, &got);
	if (ex) {
		report_exc(0, ex, "WRMSR of %#lx to %s succeeds and reads back%s", val, name, note);
		return;
	}
	report_eq_x(expect, got, "WRMSR of %#lx to %s succeeds and reads back%s", val, name,
		    note);
}

void check_rw(uint32_t msr, const char *name, uint64_t val, uint64_t expect)
{
	check_rw_note(msr, name, val, expect, "");
}

void check_wrmsr_gp(uint32_t msr, uint64_t val, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_exc(GP0, wrmsr_safe(msr, val), "%s", msg);
}

void check_rdmsr_gp(uint32_t msr, const char *fmt, ...)
{
	char msg[200];
	uint64_t val;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report_exc(GP0, rdmsr_safe(msr, &val), "%s", msg);
}

void check_absent_note(uint32_t msr, const char *name, const char *why, const char *note)
{
	check_rdmsr_gp(msr, "RDMSR of %s raises #GP(0) (%s)%s", name, why, note);
	check_wrmsr_gp(msr, 0, "WRMSR to %s raises #GP(0) (%s)%s", name, why, note);
}

void check_absent(uint32_t msr, const char *name, const char *why)
{
	check_absent_note(msr, name, why, "");
}

static void call_void_fn(void *fn)
{
	((void (*)(void))fn)();
}

void for_each_cpu_prefixed(void (*fn)(void))
{
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		report_prefix_pushf("cpu%d", cpu);
		on_cpu(cpu, call_void_fn, (void *)fn);
		report_prefix_pop();
	}
}

static const struct subtest tests[] = {
	SUBTEST(arch_rw),
	SUBTEST(noncanonical),
	SUBTEST(cpl3),
	SUBTEST_NEEDS(unimplemented, needs_no_hv_msr_range),
	SUBTEST(debugctl),
	SUBTEST(tsc_aux),
	SUBTEST(efer),
	SUBTEST_NEEDS(pat, needs_pat),
	SUBTEST_NEEDS(mtrr, needs_mtrr),
	SUBTEST(spec_ctrl),
	SUBTEST(pred_cmd),
	SUBTEST(flush_cmd),
	SUBTEST(aperf_mperf),
	SUBTEST(feature_control),
	SUBTEST(tsc_adjust),
	SUBTEST_SMP(percpu, NULL, 2),
	SUBTEST_SMP(tsc_adjust_percpu, needs_tsc_adjust, 2),
	/* Last: a VMM that wrongly accepts a bad APIC_BASE may break IPIs. */
	SUBTEST_NEEDS(apic_base, needs_apic),
};

SUBTESTS_MAIN(tests)
