// SPDX-License-Identifier: MIT
/*
 * Control- and debug-register accesses in VMX non-root operation (Intel
 * SDM vol. 3C):
 * - 25.6.6 guest/host masks and read shadows: MOV from CR0/CR4 returns the
 *   shadow's value for every bit set in the mask; MOV to CR0/CR4 exits
 *   when it would give such a bit a value other than the shadow's (26.1.3)
 *   and otherwise leaves those bits alone; CLTS exits when CR0.TS is set in
 *   both mask and shadow; LMSW exits when it would change a masked bit of
 *   PE/MP/EM/TS against the shadow.
 * - 25.6.7, 26.1.3: CR3-load exiting (unless the value is one of the first
 *   CR3-target-count CR3-target values), CR3-store exiting, CR8-load and
 *   CR8-store exiting.
 * - 30.1-30.3 (APIC virtualization): with "use TPR shadow", MOV to CR8
 *   writes VTPR (bits 7:4 of the virtual-APIC page's offset 80H) and MOV
 *   from CR8 reads it, without exits; a write that lowers VTPR[7:4] below
 *   the TPR threshold is followed by a TPR-below-threshold exit (43), trap
 *   like (RIP after the instruction).
 * - 26.1.3 MOV-DR exiting; 28.5.1: a VM exit sets DR7 to 400H, and with
 *   "save debug controls" 28.3.1 saves the guest's DR7.
 * - 28.2.1 table 28-3 and 28-4: the exit qualifications (register number,
 *   access type, general-purpose register, LMSW source data and operand
 *   type; DR number and direction).
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* ---- guests: one access each, value in/out through scratch[0] ---- */

#define CR_GUEST(name, insn)							\
	static void name(struct nested_ctx *ctx)				\
	{									\
		uint64_t v = ctx->scratch[0];					\
										\
		asm volatile(insn : "+a"(v) : : "memory");			\
		ctx->scratch[0] = v;						\
		ctx->scratch[1] = 1;	/* got past it */			\
	}

CR_GUEST(g_read_cr0, "mov %%cr0, %0")
CR_GUEST(g_write_cr0, "mov %0, %%cr0")
CR_GUEST(g_read_cr4, "mov %%cr4, %0")
CR_GUEST(g_write_cr4, "mov %0, %%cr4")
CR_GUEST(g_clts, "clts")
CR_GUEST(g_lmsw, "lmsw %w0")
CR_GUEST(g_read_cr3, "mov %%cr3, %0")
CR_GUEST(g_write_cr3, "mov %0, %%cr3")
CR_GUEST(g_read_cr8, "mov %%cr8, %0")
CR_GUEST(g_write_cr8, "mov %0, %%cr8")
CR_GUEST(g_write_dr7, "mov %0, %%dr7")
CR_GUEST(g_read_dr0, "mov %%dr0, %0")

/*
 * The control-register exit: reason 28 and the qualification's register,
 * access type and GPR (RAX, number 0, for every guest above).
 */
static bool report_cr_exit(struct nested_ctx *ctx, unsigned int cr, unsigned int type,
			   const char *what)
{
	uint64_t q = vmx_exit(ctx)->qual;

	if (!vmx_report_exit(ctx->vmx, EXIT_CR_ACCESS, "%s exits", what))
		return false;
	report_eq(cr, CRQ_CR(q), "exit qualification of %s names CR%u", what, cr);
	report_eq(type, CRQ_TYPE(q), "exit qualification of %s gives access type %u", what, type);
	if (type <= CRQ_MOV_FROM_CR)
		report_eq(0, CRQ_GPR(q), "exit qualification of %s names RAX", what);
	report_eq(0, ctx->scratch[1], "%s exits before it completes", what);
	return true;
}

static void report_no_exit(struct nested_ctx *ctx, const char *what)
{
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "%s runs in the guest without an exit", what);
}

/* ---- CR0 and CR4 masks and shadows ---- */

static void cr0_shadow_read_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0);

	vmcs_write(VMCS_CR0_MASK, X86_CR0_TS);
	vmcs_write(VMCS_CR0_SHADOW, cr0 | X86_CR0_TS);
	nested_run(ctx);
	report_no_exit(ctx, "MOV from CR0 with CR0.TS masked");
	report_eq_x(cr0 | X86_CR0_TS, ctx->scratch[0],
		    "MOV from CR0 reads the shadow's TS and the guest's other bits");
}

static void cr0_write_exit_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0) & ~X86_CR0_TS;

	vmcs_write(VMCS_CR0_MASK, X86_CR0_TS);
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	ctx->scratch[0] = cr0 | X86_CR0_TS;
	nested_run(ctx);
	if (report_cr_exit(ctx, 0, CRQ_MOV_TO_CR, "MOV to CR0 changing a masked bit"))
		report_eq_x(cr0 | X86_CR0_TS, ctx->vmx->gprs.rax,
			    "the guest's RAX at the MOV to CR0 exit holds the value written");
}

static void cr0_write_same_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0) & ~X86_CR0_TS;

	vmcs_write(VMCS_CR0_MASK, X86_CR0_TS);
	vmcs_write(VMCS_CR0_SHADOW, cr0 | X86_CR0_TS);
	ctx->scratch[0] = cr0 | X86_CR0_TS;
	nested_run(ctx);
	report_no_exit(ctx, "MOV to CR0 matching the shadow's masked bit");
	report_eq_x(cr0, vmcs_read(VMCS_GUEST_CR0),
		    "MOV to CR0 leaves the masked TS of the guest's CR0 alone");
}

static void cr0_write_unmasked_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0) & ~X86_CR0_TS;

	vmcs_write(VMCS_GUEST_CR0, cr0);
	ctx->scratch[0] = cr0 | X86_CR0_TS;
	nested_run(ctx);
	report_no_exit(ctx, "MOV to CR0 with an empty mask");
	report_eq_x(cr0 | X86_CR0_TS, vmcs_read(VMCS_GUEST_CR0),
		    "MOV to CR0 of an unmasked bit reaches the guest's CR0");
}

static void clts_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0);

	vmcs_write(VMCS_CR0_MASK, X86_CR0_TS);
	vmcs_write(VMCS_CR0_SHADOW, cr0 & ~X86_CR0_TS);
	nested_run(ctx);
	report_no_exit(ctx, "CLTS with CR0.TS masked and clear in the shadow");
	vmcs_write(VMCS_CR0_SHADOW, cr0 | X86_CR0_TS);
	nested_restart(ctx);
	ctx->scratch[1] = 0;
	nested_run(ctx);
	report_cr_exit(ctx, 0, CRQ_CLTS, "CLTS with CR0.TS set in mask and shadow");
}

/* LMSW with the MP bit masked and clear in the shadow, from AX and from memory. */
static void lmsw_run(struct nested_ctx *ctx)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0), q;

	vmcs_write(VMCS_CR0_MASK, X86_CR0_MP);
	vmcs_write(VMCS_CR0_SHADOW, cr0 & ~X86_CR0_MP);
	ctx->scratch[0] = (cr0 & 0xffff) | X86_CR0_MP;
	nested_run(ctx);
	q = vmx_exit(ctx)->qual;
	if (report_cr_exit(ctx, 0, CRQ_LMSW, "LMSW setting a masked bit")) {
		report_eq_x((cr0 & 0xffff) | X86_CR0_MP, CRQ_LMSW_DATA(q),
			    "exit qualification of LMSW holds its source data");
		report_eq(0, q & CRQ_LMSW_MEM, "exit qualification of LMSW from AX says register");
	}
}

static void cr4_shadow_run(struct nested_ctx *ctx)
{
	uint64_t cr4 = vmcs_read(VMCS_GUEST_CR4) & ~X86_CR4_PCE;

	vmcs_write(VMCS_GUEST_CR4, cr4);
	vmcs_write(VMCS_CR4_MASK, X86_CR4_PCE);
	vmcs_write(VMCS_CR4_SHADOW, cr4 | X86_CR4_PCE);
	nested_run(ctx);
	report_no_exit(ctx, "MOV from CR4 with CR4.PCE masked");
	report_eq_x(cr4 | X86_CR4_PCE, ctx->scratch[0],
		    "MOV from CR4 reads the shadow's PCE and the guest's other bits");
}

static void cr4_write_exit_run(struct nested_ctx *ctx)
{
	uint64_t cr4 = vmcs_read(VMCS_GUEST_CR4) & ~X86_CR4_PCE;

	vmcs_write(VMCS_CR4_MASK, X86_CR4_PCE);
	vmcs_write(VMCS_CR4_SHADOW, cr4);
	ctx->scratch[0] = cr4 | X86_CR4_PCE;
	nested_run(ctx);
	report_cr_exit(ctx, 4, CRQ_MOV_TO_CR, "MOV to CR4 changing a masked bit");
}

/* ---- CR3 and CR8 ---- */

static void cr3_load_run(struct nested_ctx *ctx)
{
	uint64_t cr3 = vmcs_read(VMCS_GUEST_CR3);

	vmx_set_ctl(VMX_PROC, PROC_CR3_LOAD);
	ctx->scratch[0] = cr3;
	nested_run(ctx);
	report_cr_exit(ctx, 3, CRQ_MOV_TO_CR, "MOV to CR3 with CR3-load exiting");
}

static void cr3_target_run(struct nested_ctx *ctx)
{
	uint64_t cr3 = vmcs_read(VMCS_GUEST_CR3);

	if (!VMX_MISC_CR3_TARGETS(vmx_caps()->misc)) {
		report_skip("IA32_VMX_MISC reports no CR3-target values");
		return;
	}
	vmx_set_ctl(VMX_PROC, PROC_CR3_LOAD);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 1);
	vmcs_write(VMCS_CR3_TARGET(0), cr3);
	ctx->scratch[0] = cr3;
	nested_run(ctx);
	report_no_exit(ctx, "MOV to CR3 of CR3-target value 0");
	vmcs_write(VMCS_CR3_TARGET(0), cr3 + 0x1000);
	nested_restart(ctx);
	ctx->scratch[0] = cr3;
	ctx->scratch[1] = 0;
	nested_run(ctx);
	report_cr_exit(ctx, 3, CRQ_MOV_TO_CR, "MOV to CR3 of a value no CR3-target value has");
}

static void cr3_store_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_CR3_STORE);
	nested_run(ctx);
	report_cr_exit(ctx, 3, CRQ_MOV_FROM_CR, "MOV from CR3 with CR3-store exiting");
}

static void cr8_load_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_CR8_LOAD);
	ctx->scratch[0] = 0;
	nested_run(ctx);
	report_cr_exit(ctx, 8, CRQ_MOV_TO_CR, "MOV to CR8 with CR8-load exiting");
}

static void cr8_store_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_CR8_STORE);
	nested_run(ctx);
	report_cr_exit(ctx, 8, CRQ_MOV_FROM_CR, "MOV from CR8 with CR8-store exiting");
}

static uint8_t vapic[4096] __aligned(4096);

static void tpr_shadow_on(uint8_t vtpr, uint32_t threshold)
{
	memset(vapic, 0, sizeof(vapic));
	vapic[0x80] = vtpr;
	vmx_set_ctl(VMX_PROC, PROC_TPR_SHADOW);
	vmx_clear_ctl(VMX_PROC, PROC_CR8_LOAD | PROC_CR8_STORE);
	vmcs_write(VMCS_VAPIC_ADDR, (uintptr_t)vapic);
	vmcs_write(VMCS_TPR_THRESHOLD, threshold);
}

static void tpr_shadow_write_run(struct nested_ctx *ctx)
{
	uint64_t tpr = read_cr8();

	tpr_shadow_on(0x30, 0);
	ctx->scratch[0] = 9;
	nested_run(ctx);
	report_no_exit(ctx, "MOV to CR8 with the TPR shadow");
	report_eq_x(0x90, vapic[0x80], "MOV to CR8 with the TPR shadow writes VTPR[7:4]");
	report_eq_x(tpr, read_cr8(), "MOV to CR8 with the TPR shadow leaves the host's TPR");
}

static void tpr_shadow_read_run(struct nested_ctx *ctx)
{
	tpr_shadow_on(0xa0, 0);
	nested_run(ctx);
	report_no_exit(ctx, "MOV from CR8 with the TPR shadow");
	report_eq(0xa, ctx->scratch[0], "MOV from CR8 with the TPR shadow reads VTPR[7:4]");
}

/* The MOV to CR8 of 3 and the address right after it. */
extern char tpr_after_mov[];

static void g_tpr_lower(struct nested_ctx *c)
{
	asm volatile("mov %0, %%cr8\n.globl tpr_after_mov\ntpr_after_mov:" : : "r"(3ULL));
	c->scratch[1] = 1;
}

static void tpr_below_run(struct nested_ctx *ctx)
{
	const struct vmx_exit *e = vmx_exit(ctx);

	tpr_shadow_on(0x60, 5);
	nested_run(ctx);
	if (!vmx_report_exit(ctx->vmx, EXIT_TPR_BELOW,
			     "MOV to CR8 lowering VTPR below the TPR threshold exits"))
		return;
	report_eq_x((uintptr_t)tpr_after_mov, e->rip,
		    "the TPR-below-threshold exit is trap-like (RIP after the MOV to CR8)");
	report_eq_x(0x30, vapic[0x80], "VTPR holds the value written before the exit");
	report_eq(0, e->qual, "exit qualification of TPR below threshold is 0");
}

/* ---- debug registers ---- */

static void dr_exit_run(struct nested_ctx *ctx)
{
	uint64_t q;

	vmx_set_ctl(VMX_PROC, PROC_MOV_DR);
	ctx->scratch[0] = DR7_FIXED;
	nested_run(ctx);
	q = vmx_exit(ctx)->qual;
	if (!vmx_report_exit(ctx->vmx, EXIT_DR_ACCESS, "MOV to DR7 with MOV-DR exiting exits"))
		return;
	report_eq(7, DRQ_DR(q), "exit qualification of MOV to DR7 names DR7");
	report_eq(0, q & DRQ_FROM_DR, "exit qualification of MOV to DR7 gives direction 0");
	report_eq(0, DRQ_GPR(q), "exit qualification of MOV to DR7 names RAX");
	report_eq(0, ctx->scratch[1], "MOV to DR7 exits before it completes");
}

static void dr_read_exit_run(struct nested_ctx *ctx)
{
	uint64_t q;

	vmx_set_ctl(VMX_PROC, PROC_MOV_DR);
	nested_run(ctx);
	q = vmx_exit(ctx)->qual;
	if (!vmx_report_exit(ctx->vmx, EXIT_DR_ACCESS, "MOV from DR0 with MOV-DR exiting exits"))
		return;
	report_eq(0, DRQ_DR(q), "exit qualification of MOV from DR0 names DR0");
	report_eq(DRQ_FROM_DR, q & DRQ_FROM_DR,
		  "exit qualification of MOV from DR0 gives direction 1");
}

/* DR7.GE (bit 9) enables nothing by itself: a harmless value for the guest to write. */
static void dr7_switch_run(struct nested_ctx *ctx)
{
	ctx->scratch[0] = DR7_FIXED | BIT(9);
	if (vmx_ctl_allowed(VMX_EXIT, EXIT_SAVE_DEBUG))
		vmx_set_ctl(VMX_EXIT, EXIT_SAVE_DEBUG);
	nested_run(ctx);
	report_no_exit(ctx, "MOV to DR7 without MOV-DR exiting");
	report_eq_x(DR7_FIXED, read_dr7(), "the VM exit sets DR7 to 400H");
	if (vmx_ctl_allowed(VMX_EXIT, EXIT_SAVE_DEBUG))
		report_eq_x(DR7_FIXED | BIT(9), vmcs_read(VMCS_GUEST_DR7),
			    "\"save debug controls\" saves the guest's DR7");
}

VMX_TEST(cr0_shadow_read, .guest = g_read_cr0, .run = cr0_shadow_read_run)
VMX_TEST(cr0_write_masked_exit, .guest = g_write_cr0, .run = cr0_write_exit_run)
VMX_TEST(cr0_write_matching_shadow, .guest = g_write_cr0, .run = cr0_write_same_run)
VMX_TEST(cr0_write_unmasked, .guest = g_write_cr0, .run = cr0_write_unmasked_run)
VMX_TEST(cr0_clts, .guest = g_clts, .run = clts_run)
VMX_TEST(cr0_lmsw_exit, .guest = g_lmsw, .run = lmsw_run)
VMX_TEST(cr4_shadow_read, .guest = g_read_cr4, .run = cr4_shadow_run)
VMX_TEST(cr4_write_masked_exit, .guest = g_write_cr4, .run = cr4_write_exit_run)
VMX_TEST(cr3_load_exit, .guest = g_write_cr3, .run = cr3_load_run)
VMX_TEST(cr3_target_values, .guest = g_write_cr3, .run = cr3_target_run)
VMX_TEST(cr3_store_exit, .guest = g_read_cr3, .run = cr3_store_run)
VMX_TEST(cr8_load_exit, .guest = g_write_cr8, .run = cr8_load_run)
VMX_TEST(cr8_store_exit, .guest = g_read_cr8, .run = cr8_store_run)
VMX_TEST(tpr_shadow_write, .guest = g_write_cr8, .run = tpr_shadow_write_run)
VMX_TEST(tpr_shadow_read, .guest = g_read_cr8, .run = tpr_shadow_read_run)
VMX_TEST(tpr_below_threshold, .guest = g_tpr_lower, .run = tpr_below_run)
VMX_TEST(dr_write_exit, .guest = g_write_dr7, .run = dr_exit_run)
VMX_TEST(dr_read_exit, .guest = g_read_dr0, .run = dr_read_exit_run)
VMX_TEST(dr7_on_exit, .guest = g_write_dr7, .run = dr7_switch_run)

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_cr3_load, VMX_PROC, PROC_CR3_LOAD, "CR3-load exiting")
NEEDS(needs_cr3_store, VMX_PROC, PROC_CR3_STORE, "CR3-store exiting")
NEEDS(needs_cr8_load, VMX_PROC, PROC_CR8_LOAD, "CR8-load exiting")
NEEDS(needs_cr8_store, VMX_PROC, PROC_CR8_STORE, "CR8-store exiting")
NEEDS(needs_tpr_shadow, VMX_PROC, PROC_TPR_SHADOW, "use TPR shadow")
NEEDS(needs_mov_dr, VMX_PROC, PROC_MOV_DR, "MOV-DR exiting")

static const struct subtest tests[] = {
	SUBTEST_NEEDS(cr0_shadow_read, vmx_needs),
	SUBTEST_NEEDS(cr0_write_masked_exit, vmx_needs),
	SUBTEST_NEEDS(cr0_write_matching_shadow, vmx_needs),
	SUBTEST_NEEDS(cr0_write_unmasked, vmx_needs),
	SUBTEST_NEEDS(cr0_clts, vmx_needs),
	SUBTEST_NEEDS(cr0_lmsw_exit, vmx_needs),
	SUBTEST_NEEDS(cr4_shadow_read, vmx_needs),
	SUBTEST_NEEDS(cr4_write_masked_exit, vmx_needs),
	SUBTEST_NEEDS(cr3_load_exit, needs_cr3_load),
	SUBTEST_NEEDS(cr3_target_values, needs_cr3_load),
	SUBTEST_NEEDS(cr3_store_exit, needs_cr3_store),
	SUBTEST_NEEDS(cr8_load_exit, needs_cr8_load),
	SUBTEST_NEEDS(cr8_store_exit, needs_cr8_store),
	SUBTEST_NEEDS(tpr_shadow_write, needs_tpr_shadow),
	SUBTEST_NEEDS(tpr_shadow_read, needs_tpr_shadow),
	SUBTEST_NEEDS(tpr_below_threshold, needs_tpr_shadow),
	SUBTEST_NEEDS(dr_write_exit, needs_mov_dr),
	SUBTEST_NEEDS(dr_read_exit, needs_mov_dr),
	SUBTEST_NEEDS(dr7_on_exit, vmx_needs),
};

NESTED_TABLE(vmx_crdr_tests, tests);
