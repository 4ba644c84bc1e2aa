// SPDX-License-Identifier: MIT
/*
 * CPUID: what the VMM enumerates must be self-consistent, follow the
 * vendor's documented conventions and agree with what the CPU then does.
 * One image, a file per area: leaves.c (ranges, vendor, out-of-range and
 * sub-leaf conventions, baseline features, CPL3), topology.c (APIC IDs,
 * leaves 1/0xB/0x1F/Fn8000_0008 on every CPU), features.c (instructions
 * and CR4 bits against feature bits), xsave.c (leaf 0xD against XCR0).
 *
 * - Out-of-range leaves: SDM vol. 2A CPUID ("If a value entered for
 *   CPUID.EAX is higher than the maximum input value for basic or extended
 *   function ... the data for the highest basic information leaf is
 *   returned"); AMD APM vol. 3 (CPUID, appendix E): a function the
 *   processor does not implement returns zero in all four registers.
 *   Centaur follows Intel, Hygon follows AMD.
 * - Vendor: SDM vol. 2A table 3-8 (leaf 0); APM appendix E, Fn8000_0000
 *   (repeats the vendor string) and Fn8000_0001 (EAX and the EDX bits
 *   documented as "same as Fn0000_0001_EDX" mirror leaf 1).
 * - Sub-leaves: SDM vol. 2A table 3-8 for leaves 4, 7, 0xB, 0xD and 0x1F
 *   (an invalid sub-leaf returns zeros, ECX[7:0] of 0xB/0x1F echoes the
 *   input, level type 0 ends the list); APM Fn8000_001D.
 * - Topology: SDM vol. 3A "Local APIC ID" and "Identifying Logical
 *   Processors in an MP System", SDM vol. 2A leaf 1 EBX[31:16] and EDX.HTT,
 *   leaves 0xB/0x1F; APM appendix E, Fn8000_0008_ECX (NC, ApicIdSize).
 * - Features vs behaviour: the "#UD if CPUID...= 0" line of each
 *   instruction in SDM vol. 2 (APM vol. 3/4 for AMD-only instructions);
 *   SDM vol. 3A 2.5 and APM vol. 2 3.1.3 (a CR4 bit of an absent feature
 *   is reserved: setting it raises #GP(0)); SDM vol. 3A 4.1.4 (address
 *   widths).
 * - XSAVE: SDM vol. 1 chapter 13 (leaf 0xD, XCR0 rules, area layouts),
 *   XSETBV and XGETBV in SDM vol. 2.
 *
 * Vendors accepted: GenuineIntel, AuthenticAMD, HygonGenuine and
 * CentaurHauls, the x86-64 vendors whose conventions KVM, QEMU and Bochs
 * model. Anything else is a FAIL: guests pick errata and CPUID conventions
 * from the vendor string, so a made-up one breaks them.
 *
 * Known VMM caveats (see known-failures.txt): QEMU 7.2 TCG answers
 * out-of-range leaves the Intel way whatever the vendor, runs RDSEED under
 * the RDRAND bit, and hangs (SVM #VMEXIT outside guest mode) on a reserved
 * CR4.VMXE or SMXE, hence cr4_absent_vmxe and cr4_absent_smxe are subtests
 * of their own; it also accepts CR4.VME/PVI/PCIDE without VME/PCID. QEMU -cpu host copies the
 * host's HTT bit but leaves CPUID.1:EBX[23:16] at 0 for a 1-CPU package.
 * A VMM cannot make an instruction the host implements raise #UD unless it
 * intercepts it, so hidden features may still execute (kvm-pvm: RDTSCP,
 * RDPID, LZCNT, ...). kvm-pvm also emulates guest CPL0 code (its emulator
 * dies on INVPCID, XGETBV, POPCNT, ...), so unprivileged instructions and
 * XGETBV run at CPL3 here, and leaves CPL3 CPUID unintercepted.
 * Bochs 2.7 returns leaf 0xB sub-leaf 0 with level type 0 but non-zero
 * EAX/EBX spanning every CPU (each is its own package per CPUID.1), and
 * CPUID.(0xD,1):EBX as 0 for XCR0=x87[|SSE] and as the standard-format
 * size otherwise (corei7_skylake_x: 2688 instead of the compacted 2432).
 */
#include "report.h"
#include "subtest.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "cpuid_test.h"

static const struct {
	const char *id;
	enum cpu_vendor vendor;
} vendors[] = {
	{ "GenuineIntel", VENDOR_INTEL },
	{ "AuthenticAMD", VENDOR_AMD },
	{ "HygonGenuine", VENDOR_HYGON },
	{ "CentaurHauls", VENDOR_CENTAUR },
};

void cpuid_vendor_string(uint32_t leaf, char out[13])
{
	struct cpuid r = cpuid(leaf);

	memcpy(out, &r.b, 4);
	memcpy(out + 4, &r.d, 4);
	memcpy(out + 8, &r.c, 4);
	out[12] = 0;
}

enum cpu_vendor cpu_vendor(void)
{
	char id[13];

	cpuid_vendor_string(0, id);
	for (size_t i = 0; i < ARRAY_SIZE(vendors); i++)
		if (!strcmp(id, vendors[i].id))
			return vendors[i].vendor;
	return VENDOR_UNKNOWN;
}

bool vendor_is_amd_like(void)
{
	enum cpu_vendor v = cpu_vendor();

	return v == VENDOR_AMD || v == VENDOR_HYGON;
}

unsigned int ceil_log2(uint32_t v)
{
	unsigned int n = 0;

	while ((1ULL << n) < v)
		n++;
	return n;
}

uint64_t xcr0_supported(void)
{
	struct cpuid r;

	if (!this_cpu_has(X86_FEATURE_XSAVE))
		return 0;
	r = cpuid_count(0xd, 0);
	return r.a | (uint64_t)r.d << 32;
}

static uint64_t xgetbv0_at_cpl3(uint64_t unused)
{
	return xgetbv(0);
}

/*
 * XGETBV is unprivileged: XCR0 is read at CPL3, where it runs natively
 * even on a VMM that emulates guest kernel code (kvm-pvm's emulator has
 * no XGETBV).
 */
uint64_t xcr0_read(void)
{
	return run_in_user(xgetbv0_at_cpl3, 0);
}

void ext_state_enable(struct ext_state *s, unsigned long cr4, uint64_t xcr0)
{
	unsigned long allowed = 0;

	if (this_cpu_has(X86_FEATURE_XSAVE))
		allowed |= X86_CR4_OSXSAVE;
	if (this_cpu_has(X86_FEATURE_FSGSBASE))
		allowed |= X86_CR4_FSGSBASE;
	if (this_cpu_has(X86_FEATURE_PKU))
		allowed |= X86_CR4_PKE;

	s->cr4 = read_cr4();
	s->xcr0_saved = false;
	write_cr4(s->cr4 | (cr4 & allowed));
	if (!(read_cr4() & X86_CR4_OSXSAVE))
		return;
	s->xcr0 = xcr0_read();
	s->xcr0_saved = true;
	if (xcr0 && (xcr0 & xcr0_supported()) == xcr0)
		xsetbv(0, s->xcr0 | xcr0);
}

void ext_state_restore(const struct ext_state *s)
{
	/* XSETBV needs CR4.OSXSAVE: put XCR0 back before CR4. */
	if (s->xcr0_saved)
		xsetbv(0, s->xcr0);
	write_cr4(s->cr4);
}

static const char *needs_xsave(void)
{
	return this_cpu_has(X86_FEATURE_XSAVE) ? NULL : "XSAVE not enumerated (CPUID.1:ECX[26])";
}

static const char *needs_amd_like(void)
{
	if (!vendor_is_amd_like())
		return "vendor does not follow the AMD APM (Fn8000_0001 mirrors are AMD-only)";
	return NULL;
}

static const struct subtest tests[] = {
	SUBTEST(leaf_ranges),
	SUBTEST(vendor_id),
	SUBTEST(leaves_beyond_max),
	SUBTEST(leaf7_subleaves),
	SUBTEST(cache_leaves),
	SUBTEST(baseline_features),
	SUBTEST(address_sizes),
	SUBTEST_NEEDS(amd_ext_mirrors, needs_amd_like),
	SUBTEST(cpl3_cpuid),
	SUBTEST_SMP(cpus_agree, NULL, 2),
	SUBTEST(apic_ids),
	SUBTEST(topology),
	SUBTEST(insn_user),
	SUBTEST(insn_kernel_invpcid),
	SUBTEST(insn_kernel_monitor),
	SUBTEST(insn_kernel_xsaves),
	SUBTEST(count_decoding),
	SUBTEST(cr4_enumerated),
	SUBTEST(cr4_absent),
	SUBTEST_NEEDS(cr4_absent_vmxe, needs_no_vmx),
	SUBTEST_NEEDS(cr4_absent_smxe, needs_no_smx),
	SUBTEST_NEEDS(xsave_leaf, needs_xsave),
	SUBTEST_NEEDS(xcr0_sizes, needs_xsave),
	SUBTEST_NEEDS(xcr0_faults, needs_xsave),
};

SUBTESTS_MAIN(tests)
