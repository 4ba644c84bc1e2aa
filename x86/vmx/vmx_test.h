/* SPDX-License-Identifier: MIT */
/*
 * The x86/vmx side of the nested harness (lib/x86/nested.h, docs/nested.md):
 * every test is a struct nested_test of the VMX family that names its guest
 * code, its VMCS setup and its exit checks, registered as a subtest
 * (lib/subtest.h) in its feature file's table. ctx->vmx is the guest; its
 * VMCS is current on the CPU running a hook (prepare and check on vCPU 0,
 * exit on the guest's CPU), so hooks read and write it with vmcs_read()
 * and vmcs_write(). Each entry goes through nested_run(); g->exit holds
 * the last exit's fields.
 */
#ifndef X86_VMX_VMX_TEST_H
#define X86_VMX_VMX_TEST_H

#include "alloc.h"
#include "arch.h"
#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "nested.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "vmx.h"

/* The VMX family of the nested harness (harness.c). */
extern const struct nested_family vmx_family;

/* VMX_TEST(id, hooks...): the descriptor and the subtest function id() (nested.h). */
#define VMX_TEST(id, ...)	NESTED_TEST(id, &vmx_family, __VA_ARGS__)

/* The last exit of the test's guest. */
static inline const struct vmx_exit *vmx_exit(struct nested_ctx *ctx)
{
	return &ctx->vmx->exit;
}

/*
 * needs predicates: NULL or why the test cannot run. A control's
 * predicate names it: "VMX control 'enable EPT' not supported".
 */
#define VMX_NEEDS_CTL(fn, ctl, bits, name)					\
	const char *fn(void)							\
	{									\
		return vmx_needs_ctl(ctl, bits, name);				\
	}
const char *vmx_needs_ctl(enum vmx_ctl c, uint32_t bits, const char *name);
const char *vmx_needs_ept(void);
const char *vmx_needs_ept_ad(void);
const char *vmx_needs_vpid(void);
const char *vmx_needs_unrestricted(void);
const char *vmx_needs_preempt(void);
const char *vmx_needs_secondary(void);

/*
 * VM-entry checks (26.2-26.4), one row per illegal setting: the entry must
 * fail with @expect (VMX_FAIL_VALID(n), or an exit reason with bit 31 and
 * exit qualification @qual) and the guest must not run. The setting is
 * field = (field & ~clear) | set, host-state fields through
 * vmx_host_override(), then @setup() when there is one.
 */
struct entry_row {
	const char *what;
	uint32_t field;
	uint64_t clear, set;
	void (*setup)(struct nested_ctx *ctx);
	uint64_t expect;
	uint64_t qual;
};

void vmx_entry_guest(struct nested_ctx *ctx);
void vmx_entry_prepare(struct nested_ctx *ctx);
void vmx_entry_check(struct nested_ctx *ctx);

/* ENTRY_ROW(id, row fields...): the row and its subtest id(). */
#define ENTRY_ROW(id, ...)								\
	static const struct entry_row id##_row = { __VA_ARGS__ };		\
	VMX_TEST(id, .guest = vmx_entry_guest, .prepare = vmx_entry_prepare,	\
		 .check = vmx_entry_check, .arg = &id##_row)

#define FAIL_CTL	VMX_FAIL_VALID(VMXERR_ENTRY_CONTROLS)
#define FAIL_HOST	VMX_FAIL_VALID(VMXERR_ENTRY_HOST_STATE)
#define FAIL_GUEST	(EXIT_REASON_ENTRY_FAIL | EXIT_INVALID_GUEST)
#define FAIL_MSR	(EXIT_REASON_ENTRY_FAIL | EXIT_MSR_LOAD_FAIL)

/* The feature files' tables. */
extern const struct nested_table vmx_first_tests;
extern const struct nested_table vmx_basic_tests;
extern const struct nested_table vmx_insn_tests;
extern const struct nested_table vmx_entry_ctl_tests;
extern const struct nested_table vmx_entry_state_tests;
extern const struct nested_table vmx_exit_tests;
extern const struct nested_table vmx_crdr_tests;
extern const struct nested_table vmx_io_tests;
extern const struct nested_table vmx_msr_tests;
extern const struct nested_table vmx_excp_tests;
extern const struct nested_table vmx_intr_tests;
extern const struct nested_table vmx_evtinj_tests;
extern const struct nested_table vmx_ept_tests;
extern const struct nested_table vmx_feature_tests;
extern const struct nested_table vmx_misc_tests;
extern const struct nested_table vmx_signal_tests;

#endif
