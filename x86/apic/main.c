// SPDX-License-Identifier: MIT
/*
 * The local APIC of one CPU at a time: its ID, version and base MSR, the
 * mode transitions through IA32_APIC_BASE, the spurious-vector register and
 * software disable, the local vector table, task and processor priority,
 * IRR/ISR/TMR and EOI, self-IPIs, the error status register, and the
 * x2APIC interface (MSR-only access, read-only and write-only registers,
 * reserved bits, SELF IPI, logical IDs). With "apic=x2apic" every subtest
 * runs in x2APIC mode (QEMU TCG has no x2APIC: all skip there).
 *
 * Specs: Intel SDM vol. 3A chapter 11: 11.4.3-11.4.8 (enable/disable, base
 * MSR, reset and software-disabled state, ID and version registers), 11.5.1
 * and figure 11-8 (LVT), 11.5.3 (ESR), 11.6.1 (ICR), 11.8.3.1 and 11.8.6
 * (TPR, PPR, CR8), 11.8.4-11.8.5 (IRR/ISR/TMR, EOI), 11.9 (spurious vector),
 * 11.12 (x2APIC: 11.12.1.2 table 11-6 MSR map, 11.12.1.3 reserved bits,
 * 11.12.5 state transitions, 11.12.10.2 logical ID, 11.12.11 SELF IPI),
 * 11.8.5 and the x2APIC specification's directed EOI. AMD APM vol. 2
 * chapter 16 (16.3 APIC base, 16.4 LVT, 16.6 TPR/PPR and CR8).
 * IA32_APIC_BASE's reserved bits are the msr image's; the IDs against CPUID
 * the cpuid image's.
 *
 * Layout: regs.c (ID, version, base, modes, LVT, SPIV and software
 * disable), prio.c (priorities, IRR/ISR/EOI, self-IPIs), esr.c (errors),
 * x2apic.c (the x2APIC MSR interface).
 */
#include "subtest.h"
#include "apic_test.h"

static const struct subtest tests[] = {
	SUBTEST_NEEDS(id_version, needs_mode),
	SUBTEST_NEEDS(base_msr, needs_mode),
	SUBTEST_NEEDS(lvt_fields, needs_mode),
	SUBTEST_NEEDS(spiv_vector, needs_mode),
	SUBTEST_NEEDS(sw_disable, needs_mode),
	SUBTEST_NEEDS(tpr_ppr, needs_mode),
	SUBTEST_NEEDS(cr8_tpr, needs_mode),
	SUBTEST_NEEDS(ppr_in_service, needs_mode),
	SUBTEST_NEEDS(tpr_blocks, needs_mode),
	SUBTEST_NEEDS(pending_order, needs_mode),
	SUBTEST_NEEDS(nesting, needs_mode),
	SUBTEST_NEEDS(isr_eoi, needs_mode),
	SUBTEST_NEEDS(coalescing, needs_mode),
	SUBTEST_NEEDS(self_ipi, needs_mode),
	SUBTEST_NEEDS(directed_eoi, needs_directed_eoi),
	SUBTEST_NEEDS(esr_send_illegal, needs_mode),
	SUBTEST_NEEDS(esr_error_lvt, needs_mode),
	SUBTEST_NEEDS(esr_lvt_illegal, needs_mode),
	SUBTEST_NEEDS(x2apic_msrs, needs_x2apic),
	SUBTEST_NEEDS(x2apic_reserved_bits, needs_x2apic),
	SUBTEST_NEEDS(x2apic_ldr_ids, needs_x2apic),
	SUBTEST_NEEDS(x2apic_self_ipi, needs_x2apic),
	SUBTEST_NEEDS(x2apic_icr, needs_x2apic),
	SUBTEST_NEEDS(x2apic_mmio, needs_x2apic),
	SUBTEST_NEEDS(mode_transitions, needs_mode),
};

SUBTESTS_MAIN(tests)
