// SPDX-License-Identifier: MIT
/*
 * RDMSR and WRMSR in VMX non-root operation (Intel SDM vol. 3C):
 * - 26.1.3, 25.6.9: without "use MSR bitmaps" every RDMSR and WRMSR exits
 *   (reasons 31 and 32); with them, the read bitmap for low MSRs
 *   (00000000H-00001FFFH) at offset 0, for high MSRs (C0000000H-C0001FFFH)
 *   at 1024, the write bitmaps at 2048 and 3072 decide, and an MSR outside
 *   both ranges always exits.
 * - 28.2: the exit leaves ECX (and EDX:EAX for WRMSR) as the guest had
 *   them, RIP at the instruction, length 2; an MSR access that does not
 *   exit reaches the MSR (IA32_KERNEL_GS_BASE is not switched by VM
 *   entries and exits, 27.3 and 28.5, so the host sees what the guest
 *   wrote).
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* scratch[0] = MSR, scratch[3] = value in/out, scratch[2] = exception, scratch[1] = went on. */
static void g_rdmsr(struct nested_ctx *c)
{
	uint64_t v = 0;

	c->scratch[2] = rdmsr_safe(c->scratch[0], &v);
	c->scratch[3] = v;
	c->scratch[1] = 1;
}

static void g_wrmsr(struct nested_ctx *c)
{
	c->scratch[2] = wrmsr_safe(c->scratch[0], c->scratch[3]);
	c->scratch[1] = 1;
}

static bool report_msr_exit(struct nested_ctx *ctx, bool write, uint32_t msr, const char *what)
{
	struct vmx_guest *g = ctx->vmx;

	if (!vmx_report_exit(g, write ? EXIT_WRMSR : EXIT_RDMSR, "%s exits", what))
		return false;
	report_eq_x(msr, (uint32_t)g->gprs.rcx, "ECX at the %s exit is the MSR", what);
	report_eq(2, vmx_exit(ctx)->insn_len, "VM-exit instruction length of %s is 2", what);
	report_eq(0, ctx->scratch[1], "%s exits before it completes", what);
	return true;
}

static void report_msr_runs(struct nested_ctx *ctx, const char *what)
{
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "%s runs in the guest", what);
	report_exc(0, ctx->scratch[2], "%s in the guest raises no exception", what);
}

static void no_bitmap_read_run(struct nested_ctx *ctx)
{
	ctx->scratch[0] = MSR_IA32_TSC;
	nested_run(ctx);
	report_msr_exit(ctx, false, MSR_IA32_TSC, "RDMSR of TSC without MSR bitmaps");
}

static void no_bitmap_write_run(struct nested_ctx *ctx)
{
	ctx->scratch[0] = MSR_KERNEL_GS_BASE;
	ctx->scratch[3] = 0x1234567800ULL;
	nested_run(ctx);
	if (report_msr_exit(ctx, true, MSR_KERNEL_GS_BASE,
			    "WRMSR of KERNEL_GS_BASE without MSR bitmaps"))
		report_eq_x(0x1234567800ULL, ctx->vmx->gprs.rdx << 32 |
			    (uint32_t)ctx->vmx->gprs.rax,
			     "EDX:EAX at the WRMSR exit hold the value");
}

/* On the guest's CPU: KERNEL_GS_BASE after the entry (scratch[6]), then restored. */
static void kgs_enter(struct nested_ctx *ctx)
{
	uint64_t saved = rdmsr(MSR_KERNEL_GS_BASE);

	nested_enter_here(ctx);
	ctx->scratch[6] = rdmsr(MSR_KERNEL_GS_BASE);
	wrmsr(MSR_KERNEL_GS_BASE, saved);
}

/* One bitmap bit: @msr intercepted for reads (@rd) or writes, the guest doing @write. */
static void bitmap_case(struct nested_ctx *ctx, uint32_t msr, bool rd, bool write,
			const char *what)
{
	vmx_msr_bitmap_set(ctx->vmx, msr, rd, !rd);
	ctx->scratch[0] = msr;
	ctx->scratch[3] = 0xabcd000ULL;
	nested_on_guest_cpu(ctx, kgs_enter);
	if (rd == !write) {
		report_msr_exit(ctx, write, msr, what);
	} else {
		report_msr_runs(ctx, what);
		if (write && msr == MSR_KERNEL_GS_BASE)
			report_eq_x(0xabcd000, ctx->scratch[6],
				    "the guest's WRMSR without an exit reached the MSR");
	}
}

#define BITMAP_TEST(id, fn, msr, rd, write, what)					\
	static void id##_run(struct nested_ctx *ctx)				\
	{									\
		bitmap_case(ctx, msr, rd, write, what);				\
	}									\
	VMX_TEST(id, .guest = fn, .run = id##_run)

BITMAP_TEST(msr_read_low_exit, g_rdmsr, MSR_IA32_SYSENTER_CS, true, false,
	    "RDMSR of SYSENTER_CS with its read bit set")
BITMAP_TEST(msr_write_low_no_exit, g_rdmsr, MSR_IA32_SYSENTER_CS, false, false,
	    "RDMSR of SYSENTER_CS with only its write bit set")
BITMAP_TEST(msr_write_high_exit, g_wrmsr, MSR_KERNEL_GS_BASE, false, true,
	    "WRMSR of KERNEL_GS_BASE with its write bit set")
BITMAP_TEST(msr_read_high_no_exit, g_wrmsr, MSR_KERNEL_GS_BASE, true, true,
	    "WRMSR of KERNEL_GS_BASE with only its read bit set")
BITMAP_TEST(msr_read_high_exit, g_rdmsr, MSR_KERNEL_GS_BASE, true, false,
	    "RDMSR of KERNEL_GS_BASE with its read bit set")
BITMAP_TEST(msr_last_low_exit, g_rdmsr, 0x1fff, true, false,
	    "RDMSR of MSR 1FFFH with its read bit set")

/* MSRs outside the bitmaps' ranges exit whatever the bitmaps hold. */
static void outside_run(struct nested_ctx *ctx)
{
	static const uint32_t msrs[] = { 0x2000, 0x40000000, 0xc0002000, 0xc0010000 };

	vmx_msr_bitmap(ctx->vmx);
	for (size_t i = 0; i < ARRAY_SIZE(msrs); i++) {
		char what[48];

		snprintf(what, sizeof(what), "RDMSR of %#x (outside the bitmaps)", msrs[i]);
		nested_restart(ctx);
		ctx->scratch[0] = msrs[i];
		ctx->scratch[1] = 0;
		nested_run(ctx);
		report_msr_exit(ctx, false, msrs[i], what);
	}
}

static void clear_run(struct nested_ctx *ctx)
{
	vmx_msr_bitmap(ctx->vmx);
	ctx->scratch[0] = MSR_IA32_TSC;
	nested_run(ctx);
	report_msr_runs(ctx, "RDMSR of TSC with a zero MSR bitmap");
}

VMX_TEST(msr_no_bitmap_read, .guest = g_rdmsr, .run = no_bitmap_read_run)
VMX_TEST(msr_no_bitmap_write, .guest = g_wrmsr, .run = no_bitmap_write_run)
VMX_TEST(msr_outside_ranges, .guest = g_rdmsr, .run = outside_run)
VMX_TEST(msr_bitmap_clear, .guest = g_rdmsr, .run = clear_run)

static VMX_NEEDS_CTL(needs_bitmaps, VMX_PROC, PROC_MSR_BITMAPS, "use MSR bitmaps")

static const struct subtest tests[] = {
	SUBTEST_NEEDS(msr_no_bitmap_read, vmx_needs),
	SUBTEST_NEEDS(msr_no_bitmap_write, vmx_needs),
	SUBTEST_NEEDS(msr_read_low_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_write_low_no_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_read_high_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_read_high_no_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_write_high_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_last_low_exit, needs_bitmaps),
	SUBTEST_NEEDS(msr_outside_ranges, needs_bitmaps),
	SUBTEST_NEEDS(msr_bitmap_clear, needs_bitmaps),
};

NESTED_TABLE(vmx_msr_tests, tests);
