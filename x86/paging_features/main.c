// SPDX-License-Identifier: MIT
/*
 * x86 paging features beyond the access rights (x86/access): 5-level
 * paging and 57-bit canonical addresses, PCIDs and INVPCID, the TLB
 * behaviour the architecture guarantees (INVLPG of global and non-global
 * pages, MOV to CR3, CR4.PGE, paging-structure caches, no caching of
 * not-present entries, flush on #PF, remote CPUs), PAT memory types in
 * PTEs, CR3's reserved bits, and each CR0 and CR4 bit against its CPUID
 * enumeration, one subtest per bit.
 *
 * Specs: Intel SDM vol. 3A 2.5 (control registers), 4.1.1 and 4.5 (paging
 * modes, 5-level paging), 4.10 (TLBs, PCIDs, invalidation), 11.12 (PAT);
 * vol. 2 INVLPG, INVPCID, MOV to CR0/CR3/CR4. AMD APM vol. 2 3.1, 5.3,
 * 5.5, 7.8.
 *
 * Layout: tlb.c (the test page whose PTE moves between two frames, TLB
 * rules, PAT, CR3), la57.c, pcid.c (PCID and INVPCID), crbits.c.
 *
 * Known VMM caveats (known-failures.txt): see docs/paging.md.
 */
#include "pf.h"
#include "subtest.h"

#define CR0_TEST(name, bit)	SUBTEST(cr0_##name),
#define CR4_TEST(name, bit)	SUBTEST(cr4_##name),

static const struct subtest tests[] = {
	SUBTEST(tlb_invlpg),
	SUBTEST(tlb_cr3),
	SUBTEST_NEEDS(tlb_global, need_pge),
	SUBTEST(tlb_structure),
	SUBTEST(tlb_not_present),
	SUBTEST(tlb_after_fault),
	SUBTEST_SMP(tlb_remote, NULL, 2),
	SUBTEST(pat_types),
	SUBTEST(cr3_rsvd),
	SUBTEST(cr3_pwt_pcd),
	SUBTEST_NEEDS(la57_switch, need_la57),
	SUBTEST_SMP(la57_per_cpu, need_la57, 2),
	SUBTEST_NEEDS(pcid_enable, need_pcid),
	SUBTEST_NEEDS(pcid_tlb, need_pcid),
	SUBTEST_NEEDS(invpcid_addr, need_invpcid),
	SUBTEST_NEEDS(invpcid_context, need_invpcid),
	SUBTEST_NEEDS(invpcid_all_global, need_invpcid),
	SUBTEST_NEEDS(invpcid_all, need_invpcid),
	SUBTEST_NEEDS(invpcid_gp, need_invpcid),
	SUBTEST_NEEDS(invpcid_absent, need_no_invpcid),
	CR0_BITS(CR0_TEST)
	SUBTEST(cr0_reserved),
	CR4_BITS(CR4_TEST)
	SUBTEST(cr4_reserved),
};

SUBTESTS_MAIN(tests)
