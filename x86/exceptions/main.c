// SPDX-License-Identifier: MIT
/*
 * Exception and interrupt delivery on x86_64: for every exception a test can
 * raise deterministically, the vector, the error code and the saved RIP
 * (the faulting instruction for a fault, the next one for a trap), CR2 for
 * page faults, DR6/DR7 for debug exceptions, the stack the frame lands on.
 *
 * Specs: Intel SDM vol. 3 ch. 6 (6.4.2 software interrupts, 6.5 fault/trap,
 * 6.8.3 MOV SS shadow, 6.12.1.1 gate DPL, 6.13 error code, 6.14.4-5 64-bit
 * stack frame and IST, 6.15 exception reference, table 6-5 double faults),
 * 2.5 control registers, 4.7 page-fault error code, 17.2-17.3 debug
 * registers and debug exceptions; vol. 2 instruction pages (INT n/INTO/INT3/
 * INT1, MOV DR, MOV SS, UMIP-covered instructions). AMD APM vol. 2 ch. 8
 * (8.2 vectors, 8.4 error codes, 8.9 long-mode frames), 13.1 debug registers.
 *
 * Layout: probe.c runs asm stubs (STUB() in exceptions.h) under a recording
 * handler; vectors.c holds the tables of vector/error code/RIP checks,
 * paging.c #PF, segments.c selector faults and frame placement (IST, RSP0),
 * debug.c DR6/DR7, single-step and breakpoints.
 *
 * Known VMM caveats (known-failures.txt): QEMU 7.2 TCG has no #AC, no SIMD
 * FP exceptions, no ICEBP, no DR7.GD, reports #GP for non-canonical stack
 * accesses and 16-byte IDT offsets in gate error codes. kvm-pvm runs the
 * guest kernel deprivileged and emulates its instructions: INT3/INT n/INT1,
 * WAIT, x87 arithmetic, MMX/SSE, DAA/AAA/AAS, UD0/UD1 and VEX/EVEX at CPL0
 * stop the VM (each opcode class is a subtest of its own, so a known crash
 * covers nothing else), data breakpoints never fire, and guest CR0.TS/EM,
 * CR4.TSD/OSFXSR are ignored at CPL3.
 */
#include "exceptions.h"
#include "subtest.h"

static const struct subtest tests[] = {
	SUBTEST(divide_errors),
	SUBTEST(invalid_opcodes),
	SUBTEST(bcd_daa),
	SUBTEST(bcd_das),
	SUBTEST(bcd_aaa),
	SUBTEST(bcd_aas),
	SUBTEST(reserved_ud1),
	SUBTEST(reserved_ud0),
	SUBTEST(reserved_evex),
	SUBTEST(reserved_vex),
	SUBTEST(noncanonical),
	SUBTEST(debug_reg_faults),
	SUBTEST(debug_regs),
	SUBTEST(single_step),
	SUBTEST(hw_breakpoints),
	SUBTEST(privileged_cpl3),
	SUBTEST(soft_int_cpl0_int3),
	SUBTEST(soft_int_cpl0_int_n),
	SUBTEST(soft_int_cpl0_int1),
	SUBTEST(gates),
	SUBTEST(fpu_simd_state),
	SUBTEST(fpu_simd_wait),
	SUBTEST(fpu_simd_x87_exc),
	SUBTEST(fpu_simd_sse),
	SUBTEST(fpu_simd_mmx),
	SUBTEST(fpu_simd_xm),
	SUBTEST(fpu_simd_user),
	SUBTEST(alignment_check),
	SUBTEST_NEEDS(umip, needs_umip),
	SUBTEST(page_faults),
	SUBTEST(segments),
	SUBTEST(stack_frames),
	SUBTEST_SMP(percpu_vectors, NULL, 2),
};

SUBTESTS_MAIN(tests)
