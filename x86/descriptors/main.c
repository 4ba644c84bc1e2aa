// SPDX-License-Identifier: MIT
/*
 * Descriptors and privilege in 64-bit mode: segment-register loads at CPL
 * 0-3 with every RPL and DPL and every kind of descriptor (null selectors
 * into SS at each CPL, conforming code), far calls and returns through
 * 64-bit call gates and to conforming code, IRET to each privilege level
 * and its faults, non-canonical stack accesses (#SS versus #GP), and
 * canonical bases through LGDT, LIDT, LLDT, LTR, WRFSBASE/WRGSBASE and
 * the base MSRs.
 *
 * Specs: Intel SDM vol. 3A 3.4-3.5 (descriptors), 5.5-5.8 (privilege
 * checks, call gates), 6.14 (64-bit IRET), 3.3.7.1 (canonical addresses);
 * vol. 2 MOV, CALL, RET, IRET, LGDT, LLDT, LTR, WRFSBASE, SWAPGS. AMD APM
 * vol. 2 4.6-4.13, 8.9.
 *
 * Layout: gdt.c (the private GDT with CPL1 and CPL2 segments, run_cpl),
 * seg.c, gates.c, iret.c, stack.c, bases.c.
 *
 * Known VMM caveats (known-failures.txt): see docs/paging.md.
 */
#include "descriptors.h"
#include "subtest.h"

static const struct subtest tests[] = {
	SUBTEST(seg_loads),
	SUBTEST(seg_loads_ss),
	SUBTEST(seg_null_ss),
	SUBTEST(call_gates),
	SUBTEST(call_gate_faults),
	SUBTEST(far_conforming),
	SUBTEST(iret_levels),
	SUBTEST(iret_faults),
	SUBTEST(stack_noncanonical),
	SUBTEST(base_gdtr_idtr),
	SUBTEST(base_ltr),
	SUBTEST(base_lldt),
	SUBTEST_NEEDS(base_fsgs, need_fsgsbase),
	SUBTEST(base_swapgs),
};

SUBTESTS_MAIN(tests)
