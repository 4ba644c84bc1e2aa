// SPDX-License-Identifier: MIT
/*
 * Extended processor state: XCR0's rules (which values XSETBV takes), the
 * XSETBV/XGETBV faults, every enumerated component's layout and round
 * trip, XSAVE/XRSTOR round trips of the x87, SSE and AVX state,
 * initialization through XRSTOR, XSAVEOPT's and XSAVEC's formats,
 * XSAVES/XRSTORS and IA32_XSS, XINUSE through XGETBV(1), register state
 * across an interrupt and between two CPUs, CR0.TS/EM/MP and #NM, MXCSR's
 * reserved bits, #XM and #MF.
 *
 * Specs: Intel SDM vol. 1 chapter 13 (XSAVE), 10.2.3 (MXCSR), 8.7 (x87
 * errors), 11.5.1 (SIMD exceptions); vol. 2 XSAVE, XSAVEOPT, XSAVEC,
 * XRSTOR, XSAVES, XRSTORS, XSETBV, XGETBV, LDMXCSR; vol. 3A 2.5, 2.6,
 * 6.15 (#NM, #MF, #XM). AMD APM vol. 2 11.5, vol. 4.
 *
 * Layout: xcr.c (XCR0 and the XCR faults), state.c (save/restore),
 * fpu.c (#NM, MXCSR, #XM, #MF). Known VMM deviations: known-failures.txt
 * and docs/paging.md.
 */
#include "xsave.h"
#include "subtest.h"

const char *need_xsave(void)
{
	return this_cpu_has(X86_FEATURE_XSAVE) ? NULL : "XSAVE (CPUID.1:ECX[26]) not supported";
}

const char *need_avx(void)
{
	if (need_xsave())
		return need_xsave();
	return this_cpu_has(X86_FEATURE_AVX) && (xcr0_supported() & XFEATURE_AVX) ?
		       NULL : "AVX (CPUID.1:ECX[28], XCR0[2]) not supported";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(xcr0_rules, need_xsave),
	SUBTEST_NEEDS(xcr_faults, need_xsave),
	SUBTEST_NEEDS(xsave_roundtrip, need_xsave),
	SUBTEST_NEEDS(xsave_components, need_xsave),
	SUBTEST_NEEDS(xsave_init, need_xsave),
	SUBTEST_NEEDS(xsaveopt, need_xsaveopt),
	SUBTEST_NEEDS(xsavec, need_xsavec),
	SUBTEST_NEEDS(xsaves, need_xsaves),
	SUBTEST_NEEDS(xinuse, need_xinuse),
	SUBTEST(state_interrupt),
	SUBTEST_SMP(state_cpus, NULL, 2),
	SUBTEST(nm_ts),
	SUBTEST(nm_em),
	SUBTEST(mxcsr_reserved),
	SUBTEST(simd_xm),
	SUBTEST(x87_mf),
};

SUBTESTS_MAIN(tests)
