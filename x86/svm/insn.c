// SPDX-License-Identifier: MIT
/*
 * Instruction intercepts, one table row per instruction (AMD APM vol. 2):
 * - 15.9 Instruction intercepts, 15.13 (INVLPG, INVLPGA), 15.14
 *   (miscellaneous intercepts incl. 15.14.4 PAUSE filter and threshold),
 *   15.15 (VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, VMRUN), appendix C
 *   exit codes: with the intercept bit set, the instruction exits with its
 *   code before it executes, the VMCB RIP holds its address and, with NRIPS
 *   (15.7.1), nRIP the address after it; the host may then resume the
 *   guest after it.
 * - 15.8.1 (decode assists): the INVLPG intercept reports the linear
 *   address in EXITINFO1.
 * - Intercepts are checked after the instruction's simple exception
 *   checks (#UD for an absent feature), so MONITOR/MWAIT and RDTSCP need
 *   their CPUID bits. Without the intercept, the safe ones (CPUID, RDTSC,
 *   RDTSCP, INVLPG, INVLPGA, WBINVD, PAUSE, MONITOR, VMSAVE) run in the
 *   guest, which goes on to its VMMCALL.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "arch.h"
#include "asm/desc.h"
#include "svm_test.h"

struct insn_row {
	const char *name;
	enum svm_intercept intercept;
	uint64_t exit;
	void (*guest)(struct nested_ctx *ctx);
	uint8_t len, bytes[3];		/* how the guest encodes it */
	x86_feature_t feature;		/* CPUID bit the instruction needs, or 0 */
	bool native;			/* safe to run without the intercept */
};

/* A page the memory operands point at (VMLOAD/VMSAVE, MONITOR, INVLPG). */
static uint8_t target[4096] __aligned(4096);

#define TARGET	((uintptr_t)target)

/* Guest side: the instruction inside an exception fixup (nested.h). */
#define GUEST_INSN(name, insn, ...)	NESTED_GUEST_INSN(name, insn, __VA_ARGS__)

GUEST_INSN(cpuid, "cpuid")
GUEST_INSN(hlt, "hlt")
GUEST_INSN(invlpg, "invlpg (%%rax)", a = TARGET)
GUEST_INSN(invlpga, "invlpga %%rax, %%ecx", a = TARGET, cx = 1)
GUEST_INSN(invd, "invd")
GUEST_INSN(wbinvd, "wbinvd")
GUEST_INSN(monitor, "monitor %%rax, %%ecx, %%edx", a = TARGET)
GUEST_INSN(mwait, "mwait %%eax, %%ecx")
GUEST_INSN(rdtsc, "rdtsc")
GUEST_INSN(rdtscp, "rdtscp")
GUEST_INSN(rdpmc, "rdpmc")
GUEST_INSN(pause, "pause")
GUEST_INSN(vmmcall, "vmmcall")
GUEST_INSN(vmload, "vmload %%rax", a = TARGET)
GUEST_INSN(vmsave, "vmsave %%rax", a = TARGET)
GUEST_INSN(vmrun, "vmrun %%rax", a = TARGET)
GUEST_INSN(stgi, "stgi")
GUEST_INSN(clgi, "clgi")
GUEST_INSN(skinit, "skinit %%eax", a = TARGET)
GUEST_INSN(icebp, ".byte 0xf1")

#define F(x)	X86_FEATURE_##x
#define ROW(n, i, e, g, l, b0, b1, b2, f, nat)					\
	{ .name = n, .intercept = SVM_INTERCEPT_##i, .exit = SVM_EXIT_##e, .guest = g,	\
	  .len = l, .bytes = { b0, b1, b2 }, .feature = f, .native = nat }

static const struct insn_row rows[] = {
#define R_CPUID		0
	ROW("CPUID", CPUID, CPUID, g_cpuid, 2, 0x0f, 0xa2, 0, 0, true),
#define R_HLT		1
	ROW("HLT", HLT, HLT, g_hlt, 1, 0xf4, 0, 0, 0, false),
#define R_INVLPG	2
	ROW("INVLPG", INVLPG, INVLPG, g_invlpg, 3, 0x0f, 0x01, 0x38, 0, true),
#define R_INVLPGA	3
	ROW("INVLPGA", INVLPGA, INVLPGA, g_invlpga, 3, 0x0f, 0x01, 0xdf, 0, true),
#define R_INVD		4
	ROW("INVD", INVD, INVD, g_invd, 2, 0x0f, 0x08, 0, 0, false),
#define R_WBINVD	5
	ROW("WBINVD", WBINVD, WBINVD, g_wbinvd, 2, 0x0f, 0x09, 0, 0, true),
#define R_MONITOR	6
	ROW("MONITOR", MONITOR, MONITOR, g_monitor, 3, 0x0f, 0x01, 0xc8, F(MONITOR), true),
#define R_MWAIT		7
	ROW("MWAIT", MWAIT, MWAIT, g_mwait, 3, 0x0f, 0x01, 0xc9, F(MONITOR), false),
#define R_RDTSC		8
	ROW("RDTSC", RDTSC, RDTSC, g_rdtsc, 2, 0x0f, 0x31, 0, 0, true),
#define R_RDTSCP	9
	ROW("RDTSCP", RDTSCP, RDTSCP, g_rdtscp, 3, 0x0f, 0x01, 0xf9, F(RDTSCP), true),
#define R_RDPMC		10
	ROW("RDPMC", RDPMC, RDPMC, g_rdpmc, 2, 0x0f, 0x33, 0, 0, false),
#define R_PAUSE		11
	ROW("PAUSE", PAUSE, PAUSE, g_pause, 2, 0xf3, 0x90, 0, 0, true),
#define R_VMMCALL	12
	ROW("VMMCALL", VMMCALL, VMMCALL, g_vmmcall, 3, 0x0f, 0x01, 0xd9, 0, false),
#define R_VMLOAD	13
	ROW("VMLOAD", VMLOAD, VMLOAD, g_vmload, 3, 0x0f, 0x01, 0xda, 0, false),
#define R_VMSAVE	14
	ROW("VMSAVE", VMSAVE, VMSAVE, g_vmsave, 3, 0x0f, 0x01, 0xdb, 0, true),
#define R_VMRUN		15
	ROW("VMRUN", VMRUN, VMRUN, g_vmrun, 3, 0x0f, 0x01, 0xd8, 0, false),
#define R_STGI		16
	ROW("STGI", STGI, STGI, g_stgi, 3, 0x0f, 0x01, 0xdc, 0, false),
#define R_CLGI		17
	ROW("CLGI", CLGI, CLGI, g_clgi, 3, 0x0f, 0x01, 0xdd, 0, false),
#define R_SKINIT	18
	ROW("SKINIT", SKINIT, SKINIT, g_skinit, 3, 0x0f, 0x01, 0xde, 0, false),
#define R_ICEBP		19
	ROW("ICEBP", ICEBP, ICEBP, g_icebp, 1, 0xf1, 0, 0, 0, false),
};

static void row_guest(struct nested_ctx *ctx)
{
	((const struct insn_row *)ctx->test->arg)->guest(ctx);
	ctx->scratch[0] = 1;	/* got past the instruction */
}

/* Intercepted: exit code, RIP, nRIP, EXITINFO1; then resume past it. */
static void intercepted(struct nested_ctx *ctx, const struct insn_row *r)
{
	struct vmcb *v = ctx->vmcb;
	char got[40] = "";
	uint64_t rip;
	bool pass;

	vmcb_set_intercept(v, r->intercept);
	nested_run(ctx);
	if (!svm_report_exit(ctx->guest, r->exit, "%s with its intercept set exits", r->name)) {
		char ex[32];

		report_info("the guest's %s raised %s", r->name,
			    arch_exinfo_str(ctx->scratch[2], ex, sizeof(ex)));
		return;
	}
	rip = v->save.rip;
	pass = !memcmp((void *)rip, r->bytes, r->len);
	if (!pass)
		snprintf(got, sizeof(got), "other bytes at rip %#lx", (unsigned long)rip);
	report_decoded(pass, "its bytes", got, "VMCB RIP at the %s intercept points at the %s "
		       "instruction", r->name, r->name);
	report_eq(0, ctx->scratch[0], "%s intercept exits before the instruction completes",
		  r->name);
	if (svm_caps()->nrips)
		report_eq_x(rip + r->len, v->control.next_rip,
			    "nRIP at the %s intercept is the next instruction's address", r->name);
	if (r->intercept == SVM_INTERCEPT_INVLPG && svm_caps()->decode_assists)
		report_eq_x(TARGET, v->control.exit_info_1,
			    "INVLPG intercept EXITINFO1 is the linear address (decode assists)");
	v->save.rip = rip + r->len;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"guest resumed after the intercepted %s reaches VMMCALL", r->name);
	report_eq(1, ctx->scratch[0], "guest resumed after the intercepted %s continues there",
		  r->name);
}

/* Not intercepted: the instruction runs in the guest. */
static void not_intercepted(struct nested_ctx *ctx, const struct insn_row *r)
{
	vmcb_clear_intercept(ctx->vmcb, r->intercept);
	ctx->scratch[0] = 0;
	nested_restart(ctx);
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"%s with its intercept clear runs in the guest up to VMMCALL", r->name);
	report_eq(1, ctx->scratch[0], "guest executes %s without an intercept", r->name);
}

static void insn_run(struct nested_ctx *ctx)
{
	const struct insn_row *r = ctx->test->arg;

	if (r->feature && !this_cpu_has(r->feature)) {
		report_skip("%s not supported (CPUID)", r->name);
		return;
	}
	intercepted(ctx, r);
	if (r->native)
		not_intercepted(ctx, r);
}

#define INSN_TEST(id, row) SVM_TEST(id, .guest = row_guest, .run = insn_run, .arg = &rows[row])

INSN_TEST(intercept_cpuid, R_CPUID)
INSN_TEST(intercept_hlt, R_HLT)
INSN_TEST(intercept_invlpg, R_INVLPG)
INSN_TEST(intercept_invlpga, R_INVLPGA)
INSN_TEST(intercept_invd, R_INVD)
INSN_TEST(intercept_wbinvd, R_WBINVD)
INSN_TEST(intercept_monitor, R_MONITOR)
INSN_TEST(intercept_mwait, R_MWAIT)
INSN_TEST(intercept_rdtsc, R_RDTSC)
INSN_TEST(intercept_rdtscp, R_RDTSCP)
INSN_TEST(intercept_rdpmc, R_RDPMC)
INSN_TEST(intercept_pause, R_PAUSE)
INSN_TEST(intercept_vmmcall, R_VMMCALL)
INSN_TEST(intercept_vmload, R_VMLOAD)
INSN_TEST(intercept_vmsave, R_VMSAVE)
INSN_TEST(intercept_vmrun, R_VMRUN)
INSN_TEST(intercept_stgi, R_STGI)
INSN_TEST(intercept_clgi, R_CLGI)
INSN_TEST(intercept_skinit, R_SKINIT)
INSN_TEST(intercept_icebp, R_ICEBP)

/* ---- PAUSE filter (APM 15.14.4) ---- */

#define PAUSE_COUNT	10
#define PAUSE_LIMIT	1000	/* far more PAUSEs than the filter allows */

/* scratch[0]: PAUSEs completed; scratch[1]: spin iterations between them. */
static void pause_loop_guest(struct nested_ctx *ctx)
{
	for (int i = 0; i < PAUSE_LIMIT; i++) {
		for (volatile uint64_t spin = 0; spin < ctx->scratch[1]; spin++)
			;
		asm volatile("pause");
		ctx->scratch[0]++;
	}
}

/*
 * With a filter count of N the counter loaded at VMRUN goes down by one per
 * PAUSE and the PAUSE that finds it at zero exits: at most N PAUSEs complete.
 * (Whether the N-th or the (N+1)-th PAUSE exits is left to the APM's
 * wording; both bounds are checked.)
 */
static void pause_filter_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;

	vmcb_set_intercept(v, SVM_INTERCEPT_PAUSE);
	v->control.pause_filter_count = PAUSE_COUNT;
	if (svm_caps()->pause_threshold)
		v->control.pause_filter_thresh = 0xffff;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_PAUSE, "PAUSE filter count %d ends in a PAUSE exit",
			PAUSE_COUNT);
	report_in_range(PAUSE_COUNT - 1, PAUSE_COUNT, ctx->scratch[0],
			"PAUSE filter count %d lets %d or %d PAUSEs complete", PAUSE_COUNT,
			PAUSE_COUNT - 1, PAUSE_COUNT);
}

/*
 * A threshold of 1 cycle: PAUSEs spaced by a 2,000-iteration loop are each
 * farther apart than that, so the counter is reloaded every time and the
 * guest gets through all its PAUSEs to VMMCALL.
 */
static void pause_threshold_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;

	vmcb_set_intercept(v, SVM_INTERCEPT_PAUSE);
	v->control.pause_filter_count = PAUSE_COUNT;
	v->control.pause_filter_thresh = 1;
	ctx->scratch[1] = 2000;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"PAUSEs spaced beyond the filter threshold never exit");
	report_eq(PAUSE_LIMIT, ctx->scratch[0], "all %d widely spaced PAUSEs complete",
		  PAUSE_LIMIT);
}

SVM_TEST(pause_filter_count, .guest = pause_loop_guest, .run = pause_filter_run)
SVM_TEST(pause_filter_threshold, .guest = pause_loop_guest, .run = pause_threshold_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(intercept_cpuid, svm_needs),
	SUBTEST_NEEDS(intercept_hlt, svm_needs),
	SUBTEST_NEEDS(intercept_invlpg, svm_needs),
	SUBTEST_NEEDS(intercept_invlpga, svm_needs),
	SUBTEST_NEEDS(intercept_invd, svm_needs),
	SUBTEST_NEEDS(intercept_wbinvd, svm_needs),
	SUBTEST_NEEDS(intercept_monitor, svm_needs),
	SUBTEST_NEEDS(intercept_mwait, svm_needs),
	SUBTEST_NEEDS(intercept_rdtsc, svm_needs),
	SUBTEST_NEEDS(intercept_rdtscp, svm_needs),
	SUBTEST_NEEDS(intercept_rdpmc, svm_needs),
	SUBTEST_NEEDS(intercept_pause, svm_needs),
	SUBTEST_NEEDS(intercept_vmmcall, svm_needs),
	SUBTEST_NEEDS(intercept_vmload, svm_needs),
	SUBTEST_NEEDS(intercept_vmsave, svm_needs),
	SUBTEST_NEEDS(intercept_vmrun, svm_needs),
	SUBTEST_NEEDS(intercept_stgi, svm_needs),
	SUBTEST_NEEDS(intercept_clgi, svm_needs),
	SUBTEST_NEEDS(intercept_skinit, svm_needs),
	SUBTEST_NEEDS(intercept_icebp, svm_needs),
	SUBTEST_NEEDS(pause_filter_count, svm_needs_pause_filter),
	SUBTEST_NEEDS(pause_filter_threshold, svm_needs_pause_threshold),
};

NESTED_TABLE(svm_insn_tests, tests);
