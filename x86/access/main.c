// SPDX-License-Identifier: MIT
/*
 * The x86 access-rights matrix: what a read, write or instruction fetch at
 * CPL3 or CPL0 does through a translation, for every combination the
 * generators here produce of the paging-structure entries' P, R/W, U/S and
 * XD bits at each level (PML5E under LA57, PML4E, PDPTE, PDE, PTE) and with
 * 4 KiB, 2 MiB and 1 GiB leaves, of CR0.WP, CR4.SMEP, CR4.SMAP (with and
 * without EFLAGS.AC, and for implicit supervisor-mode accesses), EFER.NXE,
 * CR4.PKE and the protection-key rights, and of the reserved bits of each
 * entry. Each check is one combination: the #PF error code and CR2, or the
 * accessed flags of the translation and the leaf's dirty flag.
 *
 * Specs: Intel SDM vol. 3A 4.5 (4- and 5-level paging, entry formats and
 * reserved bits), 4.6 (access rights, protection keys), 4.7 (page-fault
 * error code), 4.8 (accessed and dirty flags), 4.10.4 (INVLPG); AMD APM
 * vol. 2 5.3-5.6 and 8.4.2. Where the two differ the SDM is followed and
 * the difference named at the check (the I/D bit needs EFER.NXE or SMEP).
 *
 * Layout: env.c (the private address space, the #PF handler, the access
 * stubs), model.c (the expected outcome), perm.c, rsvd.c, pku.c and
 * implicit.c (the generators, one subtest per leaf size or feature).
 *
 * Known VMM caveats (known-failures.txt): QEMU 7.2 TCG leaves P clear in
 * the error code of a reserved-bit fault.
 */
#include "access.h"
#include "paging.h"
#include "subtest.h"

const char *need_la57(void)
{
	return this_cpu_has(X86_FEATURE_LA57) ? NULL : "LA57 (CPUID.7.0:ECX[16]) not supported";
}

const char *need_pku(void)
{
	return this_cpu_has(X86_FEATURE_PKU) ? NULL : "PKU (CPUID.7.0:ECX[3]) not supported";
}

const char *need_1g(void)
{
	return this_cpu_has(X86_FEATURE_GBPAGES) ? NULL :
	       "1 GiB pages (CPUID.80000001H:EDX[26]) not supported";
}

static const struct subtest tests[] = {
	SUBTEST(perm_4k),
	SUBTEST(perm_2m),
	SUBTEST_NEEDS(perm_1g, need_1g),
	SUBTEST(rsvd_4k),
	SUBTEST(rsvd_2m),
	SUBTEST_NEEDS(rsvd_1g, need_1g),
	SUBTEST_NEEDS(pku, need_pku),
	SUBTEST(implicit_ldt),
	SUBTEST_NEEDS(la57_perm, need_la57),
	SUBTEST_NEEDS(la57_rsvd, need_la57),
};

SUBTESTS_MAIN(tests)
