// SPDX-License-Identifier: MIT
/*
 * RDMSR/WRMSR intercepts through the MSR permission map (AMD APM vol. 2):
 * - 15.11 MSR intercepts: with MSR_PROT (vector 3 bit 28) set, the 8 KiB
 *   MSRPM holds two bits per MSR, read (even) then write (odd), for three
 *   ranges: 0000_0000-0000_1FFF at byte 0x000, C000_0000-C000_1FFF at
 *   byte 0x800, C001_0000-C001_1FFF at byte 0x1000; an access to an MSR
 *   outside them always exits. EXITINFO1 is 0 for RDMSR, 1 for WRMSR;
 *   the guest's ECX names the MSR and EDX:EAX (RAX in the VMCB) hold the
 *   value written. With MSR_PROT clear the map is ignored.
 * - 15.7.1 nRIP with NRIPS.
 * MSRs left to run natively are ones whose value is per guest (VMLOAD/
 * VMSAVE state: SYSENTER_CS, KernelGSBase) or harmless (PERF_CTL0 = 0).
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/desc.h"
#include "asm/msr.h"
#include "svm_test.h"

enum { RD, WR };

struct msr_access {
	int op;
	uint32_t msr;
	bool exits;
};

struct msr_list {
	const char *what;
	const struct msr_access *acc;
	size_t n;
	uint8_t map_fill;		/* every byte of the map */
	uint32_t msr;			/* and this MSR's bits: */
	bool rd, wr;
	bool prot_off;			/* MSR_PROT intercept clear */
};

/* Written by WRMSRs that exit (never reaches an MSR). */
#define WR_PATTERN	0x8765432112345678ULL
/* What the host returns for RDMSRs that exit. */
#define RD_PATTERN(i)	(0xa5a5a5a500000000ULL | (i))

#define MAX_ACC		16

struct msr_results {
	uint64_t val[MAX_ACC];
};

static uint64_t native_value(uint32_t msr)
{
	return msr == MSR_IA32_SYSENTER_CS ? 0x10 : msr == MSR_KERNEL_GS_BASE ? 0x1000 : 0;
}

/* scratch[0]: index of the access being made; scratch[1]: all done. */
static void msr_guest(struct nested_ctx *ctx)
{
	const struct msr_list *l = ctx->test->arg;
	struct msr_results *res = ctx->data;

	for (size_t i = 0; i < l->n; i++) {
		const struct msr_access *a = &l->acc[i];

		ctx->scratch[0] = i;
		if (a->op == RD)
			rdmsr_safe(a->msr, &res->val[i]);
		else
			wrmsr_safe(a->msr, a->exits ? WR_PATTERN : native_value(a->msr));
	}
	ctx->scratch[1] = 1;
}

static bool msr_check_exit(struct nested_ctx *ctx, size_t i)
{
	const struct msr_list *l = ctx->test->arg;
	const struct msr_access *a = &l->acc[i];
	struct vmcb *v = ctx->vmcb;
	struct svm_gprs *r = &ctx->guest->gprs;
	const char *op = a->op == RD ? "RDMSR" : "WRMSR";
	static const uint8_t enc[2][2] = { { 0x0f, 0x32 }, { 0x0f, 0x30 } };

	if (!svm_report_exit(ctx->guest, SVM_EXIT_MSR, "%s: %s of %#x exits", l->what, op, a->msr))
		return false;
	report_eq(i, ctx->scratch[0], "%s: the exit is at access %zu (none before it exits)",
		  l->what, i);
	report_eq(a->op, v->control.exit_info_1, "%s: %s of %#x exit has EXITINFO1 %d", l->what,
		  op, a->msr, a->op);
	report_eq_x(a->msr, (uint32_t)r->rcx, "%s: %s of %#x exit has the MSR in guest ECX",
		    l->what, op, a->msr);
	report(!memcmp((void *)v->save.rip, enc[a->op], 2),
	       "%s: %s of %#x exit RIP points at the %s", l->what, op, a->msr, op);
	if (svm_caps()->nrips)
		report_eq_x(v->save.rip + 2, v->control.next_rip,
			    "%s: %s of %#x exit nRIP is the next instruction's address", l->what,
			    op, a->msr);
	if (a->op == WR)
		report_eq_x(WR_PATTERN, (uint32_t)v->save.rax | (uint64_t)(uint32_t)r->rdx << 32,
			    "%s: WRMSR of %#x exit has the value in guest EDX:EAX", l->what,
			    a->msr);
	/* Emulate the RDMSR: the guest must see what the host put in RAX/RDX. */
	v->save.rax = (uint32_t)RD_PATTERN(i);
	r->rdx = RD_PATTERN(i) >> 32;
	v->save.rip += 2;
	return true;
}

static void msr_run(struct nested_ctx *ctx)
{
	const struct msr_list *l = ctx->test->arg;
	struct msr_results *res = calloc(1, sizeof(*res));
	uint8_t *map = svm_test_msrpm(ctx);

	ctx->data = res;
	memset(map, l->map_fill, SVM_MSRPM_SIZE);
	if (l->rd || l->wr)
		svm_msrpm_set(map, l->msr, l->rd, l->wr);
	if (l->prot_off)
		vmcb_clear_intercept(ctx->vmcb, SVM_INTERCEPT_MSR_PROT);
	for (size_t i = 0; i < l->n; i++) {
		if (!l->acc[i].exits)
			continue;
		nested_run(ctx);
		if (!msr_check_exit(ctx, i))
			goto out;
	}
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "%s: guest reaches VMMCALL", l->what);
	report_eq(1, ctx->scratch[1], "%s: guest completed every access", l->what);
	for (size_t i = 0; i < l->n; i++)
		if (l->acc[i].op == RD && l->acc[i].exits)
			report_eq_x(RD_PATTERN(i), res->val[i],
				    "%s: intercepted RDMSR of %#x returns the host's EDX:EAX",
				    l->what, l->acc[i].msr);
out:
	free(res);
}

#define SYSENTER_CS	MSR_IA32_SYSENTER_CS
#define KGS		MSR_KERNEL_GS_BASE
#define PERF_CTL0	0xc0010000

static const struct msr_access r0_rd[] = { { RD, SYSENTER_CS, 1 }, { WR, SYSENTER_CS, 0 } };
static const struct msr_access r0_wr[] = { { RD, SYSENTER_CS, 0 }, { WR, SYSENTER_CS, 1 } };
static const struct msr_access r1_rd[] = { { RD, KGS, 1 }, { WR, KGS, 0 } };
static const struct msr_access r1_wr[] = { { RD, KGS, 0 }, { WR, KGS, 1 } };
static const struct msr_access r2_rd[] = { { RD, PERF_CTL0, 1 }, { WR, PERF_CTL0, 0 } };
static const struct msr_access r2_wr[] = { { RD, PERF_CTL0, 0 }, { WR, PERF_CTL0, 1 } };

/* Every bit set: the first and last MSR of each range exit both ways. */
static const struct msr_access edges[] = {
	{ RD, 0x00000000, 1 }, { WR, 0x00000000, 1 }, { RD, 0x00001fff, 1 },
	{ WR, 0x00001fff, 1 }, { RD, 0xc0000000, 1 }, { WR, 0xc0000000, 1 },
	{ RD, 0xc0001fff, 1 }, { WR, 0xc0001fff, 1 }, { RD, 0xc0010000, 1 },
	{ WR, 0xc0010000, 1 }, { RD, 0xc0011fff, 1 }, { WR, 0xc0011fff, 1 },
};

/* Map empty: MSRs outside the three ranges still exit. */
static const struct msr_access outside[] = {
	{ RD, 0x00002000, 1 }, { WR, 0x00002000, 1 }, { RD, 0x40000000, 1 },
	{ RD, 0xbfffffff, 1 }, { RD, 0xc0002000, 1 }, { WR, 0xc000ffff, 1 },
	{ RD, 0xc0012000, 1 }, { WR, 0xc0012000, 1 }, { RD, 0xffffffff, 1 },
	{ RD, SYSENTER_CS, 0 },
};

/* MSR_PROT clear: nothing exits although every bit is set. */
static const struct msr_access disabled[] = {
	{ RD, SYSENTER_CS, 0 }, { WR, SYSENTER_CS, 0 }, { RD, KGS, 0 }, { WR, KGS, 0 },
};

#define MSR_LIST(id, w, list, fill, m, r, wr, off)				\
	static const struct msr_list id##_list = {				\
		w, list, ARRAY_SIZE(list), fill, m, r, wr, off			\
	};									\
	SVM_TEST(id, .guest = msr_guest, .run = msr_run, .arg = &id##_list)

MSR_LIST(msrpm_read_range0, "range 0 read bit", r0_rd, 0, SYSENTER_CS, 1, 0, 0)
MSR_LIST(msrpm_write_range0, "range 0 write bit", r0_wr, 0, SYSENTER_CS, 0, 1, 0)
MSR_LIST(msrpm_read_range1, "range 1 read bit", r1_rd, 0, KGS, 1, 0, 0)
MSR_LIST(msrpm_write_range1, "range 1 write bit", r1_wr, 0, KGS, 0, 1, 0)
MSR_LIST(msrpm_read_range2, "range 2 read bit", r2_rd, 0, PERF_CTL0, 1, 0, 0)
MSR_LIST(msrpm_write_range2, "range 2 write bit", r2_wr, 0, PERF_CTL0, 0, 1, 0)
MSR_LIST(msrpm_range_edges, "first and last MSR of each range", edges, 0xff, 0, 0, 0, 0)
MSR_LIST(msrpm_outside, "MSRs outside the ranges", outside, 0, 0, 0, 0, 0)
MSR_LIST(msrpm_disabled, "MSR_PROT clear", disabled, 0xff, 0, 0, 0, 1)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(msrpm_read_range0, svm_needs),
	SUBTEST_NEEDS(msrpm_write_range0, svm_needs),
	SUBTEST_NEEDS(msrpm_read_range1, svm_needs),
	SUBTEST_NEEDS(msrpm_write_range1, svm_needs),
	SUBTEST_NEEDS(msrpm_read_range2, svm_needs),
	SUBTEST_NEEDS(msrpm_write_range2, svm_needs),
	SUBTEST_NEEDS(msrpm_range_edges, svm_needs),
	SUBTEST_NEEDS(msrpm_outside, svm_needs),
	SUBTEST_NEEDS(msrpm_disabled, svm_needs),
};

NESTED_TABLE(svm_msrpm_tests, tests);
