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

/* The feature files' tables. */
extern const struct nested_table vmx_basic_tests;

#endif
