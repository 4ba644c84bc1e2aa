/* SPDX-License-Identifier: MIT */
/*
 * The x86/svm side of the nested harness (lib/x86/nested.h, docs/nested.md):
 * every test is a struct nested_test of the SVM family that names its guest
 * code, its VMCB setup and its exit checks, registered as a subtest
 * (lib/subtest.h) in its feature file's table. ctx->guest is the guest,
 * ctx->vmcb its VMCB; each VMRUN goes through nested_run().
 */
#ifndef X86_SVM_SVM_TEST_H
#define X86_SVM_SVM_TEST_H

#include "alloc.h"
#include "asm/cpuid.h"
#include "nested.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "svm.h"

/* The SVM family of the nested harness (harness.c). */
extern const struct nested_family svm_family;

/*
 * SVM_TEST(id, hooks...) defines the descriptor and the subtest function
 * id() (nested.h); list it in the file's table as SUBTEST_NEEDS(id,
 * svm_needs) (or a stricter predicate below).
 */
#define SVM_TEST(id, ...)	NESTED_TEST(id, &svm_family, __VA_ARGS__)

/* Allocate the maps, point the VMCB at them and set IOIO_PROT / MSR_PROT. */
void *svm_test_iopm(struct nested_ctx *ctx);
void *svm_test_msrpm(struct nested_ctx *ctx);

/* needs predicates: NULL or why the test cannot run. */
const char *svm_needs_nrips(void);
const char *svm_needs_npt(void);
const char *svm_needs_pause_filter(void);
const char *svm_needs_pause_threshold(void);
const char *svm_needs_decode_assists(void);

/* The feature files' tables. */
extern const struct nested_table svm_insn_tests;
extern const struct nested_table svm_vmrun_tests;
extern const struct nested_table svm_ioio_tests;
extern const struct nested_table svm_msrpm_tests;
extern const struct nested_table svm_crdr_tests;
extern const struct nested_table svm_excp_tests;
extern const struct nested_table svm_intr_tests;
extern const struct nested_table svm_evtinj_tests;
extern const struct nested_table svm_npt_tests;
extern const struct nested_table svm_misc_tests;

#endif
