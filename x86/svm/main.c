// SPDX-License-Identifier: MIT
/*
 * Nested SVM: a guest per subtest, run with VMRUN under the VMM being
 * tested, checked through what #VMEXIT reports. AMD APM vol. 2, chapter
 * 15 (Secure Virtual Machine), appendix B (VMCB layout) and appendix C
 * (exit codes). Each feature file cites the sections it covers.
 *
 * Test arguments: subtest globs as everywhere; cpu=N or cpu=last runs
 * every guest on that CPU (its VMCB still built on vCPU 0). See docs/svm.md
 * for the harness.
 *
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "svm_test.h"

/* Run order: every feature file's table. */
static const struct nested_table *const tables[] = {
	&svm_vmrun_tests,
	&svm_insn_tests,
	&svm_ioio_tests,
	&svm_msrpm_tests,
	&svm_crdr_tests,
	&svm_excp_tests,
	&svm_intr_tests,
	&svm_evtinj_tests,
	&svm_npt_tests,
	&svm_misc_tests,
};

int main(int argc, char **argv)
{
	return nested_main(&svm_family, tables, ARRAY_SIZE(tables), argc, argv);
}
