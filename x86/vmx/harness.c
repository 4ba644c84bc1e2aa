// SPDX-License-Identifier: MIT
/*
 * The VMX family of the nested harness (lib/x86/nested.h, docs/nested.md):
 * how a test's guest is built, entered, moved between CPUs and freed, and
 * the needs predicates of optional VMX features. Intel SDM vol. 3C: 25.1
 * (a VMCS is active on one logical processor at a time; VMCLEAR before it
 * moves), 25.11.3 (VMCLEAR makes its launch state clear), appendix A (the
 * capability MSRs).
 */
#include "vmx_test.h"

static void print_caps(void)
{
	const struct vmx_caps *c = vmx_caps();

	if (!c->vmx) {
		report_info("VMX not supported (CPUID.1:ECX[5] clear)");
		return;
	}
	report_info("VMX revision %#x, FEATURE_CONTROL %#lx, BASIC %#lx, MISC %#lx",
		    VMX_BASIC_REVISION(c->basic), (unsigned long)c->feature_control,
		    (unsigned long)c->basic, (unsigned long)c->misc);
	report_info("controls pin %#lx proc %#lx proc2 %#lx exit %#lx entry %#lx",
		    (unsigned long)c->ctl[VMX_PIN], (unsigned long)c->ctl[VMX_PROC],
		    (unsigned long)c->ctl[VMX_PROC2], (unsigned long)c->ctl[VMX_EXIT],
		    (unsigned long)c->ctl[VMX_ENTRY]);
	report_info("EPT/VPID %#lx, VMFUNC %#lx", (unsigned long)c->ept_vpid,
		    (unsigned long)c->vmfunc);
}

static void create(struct nested_ctx *ctx)
{
	ctx->vmx = vmx_guest_create(nested_test_guest, ctx);
}

static void destroy(struct nested_ctx *ctx)
{
	vmx_guest_free(ctx->vmx);
}

static void restart(struct nested_ctx *ctx)
{
	vmx_guest_set_entry(ctx->vmx, nested_test_guest, ctx);
}

static uint64_t enter(struct nested_ctx *ctx)
{
	uint64_t code = vmx_run(ctx->vmx);

	ctx->host_before.rsp = ctx->vmx->host_rsp_before;
	ctx->host_after.rsp = ctx->vmx->host_rsp_after;
	return code;
}

static void release(struct nested_ctx *ctx)
{
	if (ctx->vmx->cpu == smp_id())
		vmx_guest_clear(ctx->vmx);
}

static void acquire(struct nested_ctx *ctx)
{
	vmx_guest_load(ctx->vmx);
}

const struct nested_family vmx_family = {
	.name = "VMX",
	.needs = vmx_needs,
	.print_caps = print_caps,
	.create = create,
	.destroy = destroy,
	.restart = restart,
	.enable_cpu = vmx_enable_cpu,
	.enter = enter,
	.release = release,
	.acquire = acquire,
};

/* ---- VM-entry checks (struct entry_row) ---- */

#define ENTRY_GUEST_RAN	0x600d

void vmx_entry_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = ENTRY_GUEST_RAN;
}

void vmx_entry_prepare(struct nested_ctx *ctx)
{
	const struct entry_row *r = ctx->test->arg;

	/* A VMM that enters anyway: the guest's first fault exits instead of crashing it. */
	vmcs_write(VMCS_EXC_BITMAP, ~0U);
	if (r->field && (r->field >> 10 & 3) == 3) {
		vmx_write_host_state(ctx->vmx);
		vmx_host_override(ctx->vmx, r->field,
				  (vmcs_read(r->field) & ~r->clear) | r->set);
	} else if (r->field) {
		vmcs_write(r->field, (vmcs_read(r->field) & ~r->clear) | r->set);
	}
	if (r->setup)
		r->setup(ctx);
}

void vmx_entry_check(struct nested_ctx *ctx)
{
	const struct entry_row *r = ctx->test->arg;
	char e[96];

	vmx_report_exit(ctx->vmx, r->expect, "VM entry with %s: %s", r->what,
			vmx_exit_str(r->expect, e, sizeof(e)));
	report_eq_x(0, ctx->scratch[0], "the guest does not run after VM entry with %s", r->what);
	if (r->expect <= 0xffffffffULL && !ctx->vmx->status)
		report_eq_x(r->qual, vmx_exit(ctx)->qual,
			    "exit qualification of the failed VM entry with %s", r->what);
}

/* ---- needs predicates ---- */

const char *vmx_needs_ctl(enum vmx_ctl c, uint32_t bits, const char *name)
{
	static char why[MAX_CPUS][80];
	const char *r = vmx_needs();

	if (r || vmx_ctl_allowed(c, bits))
		return r;
	snprintf(why[smp_id()], sizeof(why[0]), "VMX control '%s' not supported", name);
	return why[smp_id()];
}

VMX_NEEDS_CTL(vmx_needs_secondary, VMX_PROC, PROC_SECONDARY, "activate secondary controls")
VMX_NEEDS_CTL(vmx_needs_vpid, VMX_PROC2, PROC2_VPID, "enable VPID")
VMX_NEEDS_CTL(vmx_needs_unrestricted, VMX_PROC2, PROC2_UNRESTRICTED | PROC2_EPT,
	      "unrestricted guest")
VMX_NEEDS_CTL(vmx_needs_preempt, VMX_PIN, PIN_PREEMPT_TIMER, "activate VMX-preemption timer")

/* EPT as lib uses it: 4-level walks of write-back tables (A.10). */
const char *vmx_needs_ept(void)
{
	const char *r = vmx_needs_ctl(VMX_PROC2, PROC2_EPT, "enable EPT");
	uint64_t cap = vmx_caps()->ept_vpid;

	if (r)
		return r;
	if (!(cap & VMX_EPT_WALK4) || !(cap & VMX_EPT_WB))
		return "EPT without 4-level walks of write-back tables";
	return NULL;
}

const char *vmx_needs_ept_ad(void)
{
	const char *r = vmx_needs_ept();

	if (r || vmx_caps()->ept_vpid & VMX_EPT_AD)
		return r;
	return "EPT accessed and dirty flags not supported";
}
