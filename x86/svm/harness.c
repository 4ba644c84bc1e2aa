// SPDX-License-Identifier: MIT
/*
 * The SVM family of the nested harness (lib/x86/nested.h, docs/nested.md):
 * how a test's guest is built, entered and freed, the permission maps a
 * test asks for, and the needs predicates of optional SVM features. AMD APM
 * vol. 2: 15.5 VMRUN, 15.6 #VMEXIT, 15.10-15.11 the permission maps.
 */
#include "alloc.h"
#include "svm_test.h"

static void print_caps(void)
{
	const struct svm_caps *c = svm_caps();

	if (!c->svm) {
		report_info("SVM not supported (CPUID Fn8000_0001_ECX[2] clear)");
		return;
	}
	report_info("SVM revision %u, %u ASIDs, Fn8000_000A_EDX %#x:%s%s%s%s%s%s%s%s%s%s%s%s",
		    c->revision, c->nasid, c->edx, c->npt ? " NPT" : "", c->lbrv ? " LBRV" : "",
		    c->svml ? " SVML" : "", c->nrips ? " NRIPS" : "",
		    c->tsc_rate ? " TSCRate" : "", c->vmcb_clean ? " VMCBClean" : "",
		    c->flush_by_asid ? " FlushByASID" : "",
		    c->decode_assists ? " DecodeAssists" : "",
		    c->pause_filter ? " PauseFilter" : "",
		    c->pause_threshold ? " PauseFilterThreshold" : "", c->vgif ? " vGIF" : "",
		    c->vnmi ? " vNMI" : "");
}

static void create(struct nested_ctx *ctx)
{
	ctx->guest = svm_guest_create(nested_test_guest, ctx);
	ctx->vmcb = &ctx->guest->vmcb;
}

static void destroy(struct nested_ctx *ctx)
{
	if (ctx->iopm)
		free_pages(ctx->iopm, 2);
	if (ctx->msrpm)
		free_pages(ctx->msrpm, 1);
	svm_guest_free(ctx->guest);
}

static void restart(struct nested_ctx *ctx)
{
	svm_guest_set_entry(ctx->guest, nested_test_guest, ctx);
}

static uint64_t enter(struct nested_ctx *ctx)
{
	uint64_t code = svm_run(ctx->guest);

	ctx->host_before.rsp = ctx->guest->host_rsp_before;
	ctx->host_after.rsp = ctx->guest->host_rsp_after;
	return code;
}

/* A VMCB is plain memory: any CPU may VMRUN it, nothing to acquire or release. */
const struct nested_family svm_family = {
	.name = "SVM",
	.needs = svm_needs,
	.print_caps = print_caps,
	.create = create,
	.destroy = destroy,
	.restart = restart,
	.enable_cpu = svm_enable_cpu,
	.enter = enter,
};

void *svm_test_iopm(struct nested_ctx *ctx)
{
	if (!ctx->iopm)
		ctx->iopm = svm_iopm_alloc();
	svm_guest_use_iopm(ctx->guest, ctx->iopm);
	return ctx->iopm;
}

void *svm_test_msrpm(struct nested_ctx *ctx)
{
	if (!ctx->msrpm)
		ctx->msrpm = svm_msrpm_alloc();
	svm_guest_use_msrpm(ctx->guest, ctx->msrpm);
	return ctx->msrpm;
}

/* ---- needs predicates ---- */

#define NEEDS_FEATURE(fn, field, why)				\
	const char *fn(void)					\
	{							\
		const char *r = svm_needs();			\
								\
		return r ? r : svm_caps()->field ? NULL : why;	\
	}

NEEDS_FEATURE(svm_needs_nrips, nrips, "SVM NRIPS (next RIP save) not supported")
NEEDS_FEATURE(svm_needs_npt, npt, "SVM nested paging not supported")
NEEDS_FEATURE(svm_needs_pause_filter, pause_filter, "SVM PAUSE filter not supported")
NEEDS_FEATURE(svm_needs_pause_threshold, pause_threshold,
	      "SVM PAUSE filter threshold not supported")
NEEDS_FEATURE(svm_needs_decode_assists, decode_assists, "SVM decode assists not supported")
