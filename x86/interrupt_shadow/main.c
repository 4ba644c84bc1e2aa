// SPDX-License-Identifier: MIT
/*
 * Interrupt shadows and NMI blocking: STI and MOV SS / POP SS blocking of
 * interrupts, NMIs and debug exceptions, POPF without a shadow, interrupts
 * pending across CLI/STI, HLT woken by an interrupt, NMI blocked until
 * IRET and unblocked by a faulting IRET (group exceptions). "apic=x2apic"
 * sends the IPIs through the x2APIC ICR MSR instead of the MMIO ICR.
 *
 * Specs: Intel SDM vol. 3A 6.7.1 (NMI handling: blocking until IRET,
 * even a faulting one), 6.8.1 (IF), 6.8.3 (MOV SS/POP SS inhibit
 * interrupts, NMIs and debug exceptions for one instruction), 6.9
 * (priorities), 17.3.1.4 (single-step), 17.2.4 (data breakpoints); vol. 2B
 * STI (shadow of one instruction when IF was 0), POPF, MOV, POP, vol. 2A
 * HLT. AMD APM vol. 2 8.5 (interrupt shadow after MOV SS/POP SS), 8.1.1.
 * QEMU TCG takes NMIs without regard to the interrupt shadow
 * (known-failures.txt).
 *
 * Layout: stubs.c (the labelled instruction sequences), irqs.c (shadows),
 * nmi.c (HLT, NMI blocking).
 */
#include "subtest.h"
#include "shadow.h"

const char *needs_mode(void)
{
	return apic_args_mode();
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(sti_shadow, needs_mode),
	SUBTEST_NEEDS(popf_no_shadow, needs_mode),
	SUBTEST_NEEDS(pending_cli_sti, needs_mode),
	SUBTEST_NEEDS(mov_ss_irq, needs_mode),
	SUBTEST_NEEDS(pop_ss_irq, needs_mode),
	SUBTEST_NEEDS(mov_ss_nmi, needs_mode),
	SUBTEST_NEEDS(pop_ss_nmi, needs_mode),
	SUBTEST_NEEDS(sti_single_step, needs_mode),
	SUBTEST_NEEDS(mov_ss_single_step, needs_mode),
	SUBTEST_NEEDS(pop_ss_single_step, needs_mode),
	SUBTEST_NEEDS(mov_ss_data_bp, needs_mode),
	SUBTEST_NEEDS(hlt_wake_self, needs_mode),
	SUBTEST_SMP(hlt_wake_ipi, needs_mode, 2),
	SUBTEST_NEEDS(nmi_blocked_until_iret, needs_mode),
	SUBTEST_NEEDS(nmi_faulting_iret, needs_intel),
};

SUBTESTS_MAIN(tests)
