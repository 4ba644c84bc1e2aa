// SPDX-License-Identifier: MIT
/*
 * Fast system calls and user-mode instruction prevention in IA-32e mode:
 * SYSCALL/SYSRET from 64-bit and compatibility mode (STAR, LSTAR, CSTAR,
 * SFMASK, RFLAGS masking including TF, the RFLAGS SYSRET loads, SYSRET at
 * CPL3 and to a non-canonical RCX, EFER.SCE = 0), SYSENTER/SYSEXIT in
 * 64-bit and compatibility mode with the vendors' differences, and CR4.UMIP
 * against SGDT, SIDT, SLDT, STR and SMSW at CPL0 and CPL3.
 *
 * Specs: Intel SDM vol. 2B SYSCALL, SYSRET, SYSENTER, SYSEXIT, vol. 3A
 * 2.5, 5.8.7, 5.8.8, vol. 3B 17.3.1.4; AMD APM vol. 2 3.1.3, 6.1, vol. 3.
 *
 * Layout: syscall.c (SYSCALL/SYSRET, the compatibility-mode harness),
 * sysenter.c, umip.c. Known VMM deviations: known-failures.txt and
 * docs/paging.md.
 */
#include "syscall.h"
#include "subtest.h"

const char *need_intel(void)
{
	return cpu_vendor_amd() ? "AMD: the SDM's behaviour here is Intel's (see sysenter_amd)" :
				  NULL;
}

const char *need_amd(void)
{
	return cpu_vendor_amd() ? NULL : "Intel: SYSENTER is valid in 64-bit mode (sysenter64)";
}

static const struct subtest tests[] = {
	SUBTEST(sce_off),
	SUBTEST(syscall64),
	SUBTEST(sfmask),
	SUBTEST(syscall_tf),
	SUBTEST(sysret_rflags),
	SUBTEST(sysret_vm),
	SUBTEST(sysret_cpl3),
	SUBTEST_NEEDS(sysret_noncanonical, need_intel),
	SUBTEST(sysret_sce_off),
	SUBTEST(syscall_compat),
	SUBTEST_NEEDS(sysenter64, need_intel),
	SUBTEST(sysenter_compat),
	SUBTEST_NEEDS(sysenter_faults, need_intel),
	SUBTEST_NEEDS(sysenter_amd, need_amd),
	SUBTEST_NEEDS(umip, need_umip),
};

SUBTESTS_MAIN(tests)
