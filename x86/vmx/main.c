// SPDX-License-Identifier: MIT
/*
 * Nested VMX: a guest per subtest, entered with VMLAUNCH/VMRESUME under the
 * VMM being tested, checked through what the VM exit reports. Intel SDM
 * vol. 3C, chapters 24-33 (VMX overview, the VMCS, VM entries, VM exits,
 * VMX non-root operation, EPT and VPID, APIC virtualization, the VMX
 * instruction reference). Each feature file cites the sections it covers.
 *
 * Test arguments: subtest globs as everywhere; cpu=N or cpu=last enters
 * every guest on that CPU (its VMCS still built on vCPU 0). See
 * docs/nested.md for the harness and docs/vmx.md for the tests.
 *
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* Run order: every feature file's table. */
static const struct nested_table *const tables[] = {
	&vmx_first_tests,	/* before any VMXON on vCPU 0 */
	&vmx_basic_tests,
	&vmx_insn_tests,
	&vmx_entry_ctl_tests,
	&vmx_entry_state_tests,
	&vmx_exit_tests,
	&vmx_crdr_tests,
	&vmx_io_tests,
	&vmx_msr_tests,
	&vmx_excp_tests,
	&vmx_intr_tests,
	&vmx_evtinj_tests,
	&vmx_ept_tests,
	&vmx_feature_tests,
	&vmx_misc_tests,
	&vmx_signal_tests,
};

int main(int argc, char **argv)
{
	return nested_main(&vmx_family, tables, ARRAY_SIZE(tables), argc, argv);
}
