// SPDX-License-Identifier: MIT
/*
 * Instruction exits, one table row per instruction (Intel SDM vol. 3C):
 * - 26.1.2 instructions that exit unconditionally in VMX non-root
 *   operation (CPUID, INVD, XSETBV, VMCALL and the other VMX instructions,
 *   INVEPT/INVVPID where supported), 26.1.3 those that exit with their
 *   control (HLT, INVLPG, RDPMC, RDTSC, RDTSCP, MONITOR, MWAIT, PAUSE,
 *   WBINVD, RDRAND, RDSEED, INVPCID with INVLPG exiting, the descriptor-
 *   table instructions), appendix C exit reasons.
 * - 28.2.1, 28.2.4, 28.2.5: the exit saves the instruction's address as the
 *   guest RIP (it has not executed), its length, the INVLPG linear address
 *   as the exit qualification and, for the VMX, descriptor-table, RDRAND/
 *   RDSEED and INVEPT/INVVPID/INVPCID exits, the instruction-information
 *   field (register or memory operand, registers, address size, identity).
 * - 26.3 (instructions without their control run in the guest), 25.6.2
 *   (RDTSCP and INVPCID raise #UD without their enable controls).
 * - 26.1.3, 25.6.13: with PAUSE-loop exiting, a loop of PAUSEs longer than
 *   PLE_Window exits with reason 40.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

struct exit_row {
	const char *name;
	void (*guest)(struct nested_ctx *ctx);
	enum vmx_ctl ctl;		/* the exiting control, if any */
	uint32_t bits;			/* 0: exits unconditionally */
	uint32_t enable;		/* secondary controls the instruction needs to run */
	uint32_t reason;
	uint8_t len, bytes[5];
	x86_feature_t feature;		/* CPUID bit the instruction needs, or 0 */
	bool native;			/* safe to run without the exit */
	uint32_t info_mask, info;	/* instruction information to check */
};

/* A page the memory operands point at; holds a valid descriptor-table image. */
static uint8_t target[4096] __aligned(4096);

#define TARGET	((uintptr_t)target)

/* Guest side (nested.h); memory operands point at the target page. */
#define GUEST_INSN(name, insn, ...)	NESTED_GUEST_INSN(name, insn, a = TARGET; __VA_ARGS__)

GUEST_INSN(cpuid, "cpuid", a = 0)
GUEST_INSN(hlt, "hlt")
GUEST_INSN(invd, "invd")
GUEST_INSN(invlpg, "invlpg (%%rax)")
GUEST_INSN(rdpmc, "rdpmc")
GUEST_INSN(rdtsc, "rdtsc")
GUEST_INSN(rdtscp, "rdtscp")
GUEST_INSN(monitor, "monitor %%rax, %%ecx, %%edx")
GUEST_INSN(mwait, "mwait %%eax, %%ecx", a = 0)
GUEST_INSN(pause, "pause")
GUEST_INSN(wbinvd, "wbinvd")
GUEST_INSN(xsetbv, "xsetbv", a = 1)
GUEST_INSN(rdrand, "rdrand %%rax")
GUEST_INSN(rdseed, "rdseed %%rax")
GUEST_INSN(vmcall, "vmcall")
GUEST_INSN(vmclear, "vmclear (%%rax)")
GUEST_INSN(vmlaunch, "vmlaunch")
GUEST_INSN(vmptrld, "vmptrld (%%rax)")
GUEST_INSN(vmptrst, "vmptrst (%%rax)")
GUEST_INSN(vmread, "vmread %%rax, %%rcx", a = VMCS_GUEST_RIP)
GUEST_INSN(vmresume, "vmresume")
GUEST_INSN(vmwrite, "vmwrite %%rcx, %%rax", a = VMCS_GUEST_RIP)
GUEST_INSN(vmxoff, "vmxoff")
GUEST_INSN(vmxon, "vmxon (%%rax)")
GUEST_INSN(invept, "invept (%%rax), %%rcx", cx = INVEPT_ALL)
GUEST_INSN(invvpid, "invvpid (%%rax), %%rcx", cx = INVVPID_ALL)
GUEST_INSN(invpcid, "invpcid (%%rax), %%rcx", cx = 2)
GUEST_INSN(sgdt, "sgdt (%%rax)")
GUEST_INSN(sidt, "sidt (%%rax)")
GUEST_INSN(lgdt, "lgdt (%%rax)")
GUEST_INSN(lidt, "lidt (%%rax)")
GUEST_INSN(sldt, "sldt (%%rax)")
GUEST_INSN(str, "str (%%rax)")
GUEST_INSN(lldt, "lldt (%%rax)")
GUEST_INSN(ltr, "ltr (%%rax)")

#define F(x)		X86_FEATURE_##x
/* Instruction information (28.2.5): a memory operand through (%rax), 64-bit addresses. */
#define MEM_RAX		(2 << 7 | 3 << 15 | BIT(22))
#define MEM_MASK	(7 << 7 | BIT(10) | 0xf << 15 | BIT(22) | 0xf << 23 | BIT(27))
#define ID(n)		((n) << 28)
#define ID_MASK		(MEM_MASK | 3 << 28)
#define REG2(n)		((uint32_t)(n) << 28)

#define ROW(n, g, c, b, r, l, ...)						\
	{ .name = n, .guest = g_##g, .ctl = VMX_##c, .bits = b, .reason = EXIT_##r,	\
	  .len = l, .bytes = { __VA_ARGS__ }

static const struct exit_row rows[] = {
#define R_CPUID		0
	ROW("CPUID", cpuid, PROC, 0, CPUID, 2, 0x0f, 0xa2), .native = false },
#define R_HLT		1
	ROW("HLT", hlt, PROC, PROC_HLT, HLT, 1, 0xf4) },
#define R_INVD		2
	ROW("INVD", invd, PROC, 0, INVD, 2, 0x0f, 0x08) },
#define R_INVLPG	3
	ROW("INVLPG", invlpg, PROC, PROC_INVLPG, INVLPG, 3, 0x0f, 0x01, 0x38), .native = true },
#define R_RDPMC		4
	ROW("RDPMC", rdpmc, PROC, PROC_RDPMC, RDPMC, 2, 0x0f, 0x33) },
#define R_RDTSC		5
	ROW("RDTSC", rdtsc, PROC, PROC_RDTSC, RDTSC, 2, 0x0f, 0x31), .native = true },
#define R_RDTSCP	6
	ROW("RDTSCP", rdtscp, PROC, PROC_RDTSC, RDTSCP, 3, 0x0f, 0x01, 0xf9),
	  .enable = PROC2_RDTSCP, .feature = F(RDTSCP), .native = true },
#define R_MONITOR	7
	ROW("MONITOR", monitor, PROC, PROC_MONITOR, MONITOR, 3, 0x0f, 0x01, 0xc8),
	  .feature = F(MONITOR), .native = true },
#define R_MWAIT		8
	ROW("MWAIT", mwait, PROC, PROC_MWAIT, MWAIT, 3, 0x0f, 0x01, 0xc9), .feature = F(MONITOR) },
#define R_PAUSE		9
	ROW("PAUSE", pause, PROC, PROC_PAUSE, PAUSE, 2, 0xf3, 0x90), .native = true },
#define R_WBINVD	10
	ROW("WBINVD", wbinvd, PROC2, PROC2_WBINVD, WBINVD, 2, 0x0f, 0x09), .native = true },
#define R_XSETBV	11
	ROW("XSETBV", xsetbv, PROC, 0, XSETBV, 3, 0x0f, 0x01, 0xd1), .feature = F(XSAVE) },
#define R_RDRAND	12
	ROW("RDRAND", rdrand, PROC2, PROC2_RDRAND, RDRAND, 4, 0x48, 0x0f, 0xc7, 0xf0),
	  .feature = F(RDRAND), .native = true, .info_mask = 0xf << 3 | 3 << 11,
	  .info = 2 << 11 },
#define R_RDSEED	13
	ROW("RDSEED", rdseed, PROC2, PROC2_RDSEED, RDSEED, 4, 0x48, 0x0f, 0xc7, 0xf8),
	  .feature = F(RDSEED), .native = true, .info_mask = 0xf << 3 | 3 << 11,
	  .info = 2 << 11 },
#define R_VMCALL	14
	ROW("VMCALL", vmcall, PROC, 0, VMCALL, 3, 0x0f, 0x01, 0xc1) },
#define R_VMCLEAR	15
	ROW("VMCLEAR", vmclear, PROC, 0, VMCLEAR, 4, 0x66, 0x0f, 0xc7, 0x30),
	  .info_mask = MEM_MASK, .info = MEM_RAX },
#define R_VMLAUNCH	16
	ROW("VMLAUNCH", vmlaunch, PROC, 0, VMLAUNCH, 3, 0x0f, 0x01, 0xc2) },
#define R_VMPTRLD	17
	ROW("VMPTRLD", vmptrld, PROC, 0, VMPTRLD, 3, 0x0f, 0xc7, 0x30),
	  .info_mask = MEM_MASK, .info = MEM_RAX },
#define R_VMPTRST	18
	ROW("VMPTRST", vmptrst, PROC, 0, VMPTRST, 3, 0x0f, 0xc7, 0x38),
	  .info_mask = MEM_MASK, .info = MEM_RAX },
#define R_VMREAD	19
	ROW("VMREAD", vmread, PROC, 0, VMREAD, 3, 0x0f, 0x78, 0xc1),
	  .info_mask = 0xf << 3 | BIT(10) | REG2(0xf), .info = 1 << 3 | BIT(10) | REG2(0) },
#define R_VMRESUME	20
	ROW("VMRESUME", vmresume, PROC, 0, VMRESUME, 3, 0x0f, 0x01, 0xc3) },
#define R_VMWRITE	21
	ROW("VMWRITE", vmwrite, PROC, 0, VMWRITE, 3, 0x0f, 0x79, 0xc1),
	  .info_mask = 0xf << 3 | BIT(10) | REG2(0xf), .info = 1 << 3 | BIT(10) | REG2(0) },
#define R_VMXOFF	22
	ROW("VMXOFF", vmxoff, PROC, 0, VMXOFF, 3, 0x0f, 0x01, 0xc4) },
#define R_VMXON		23
	ROW("VMXON", vmxon, PROC, 0, VMXON, 4, 0xf3, 0x0f, 0xc7, 0x30),
	  .info_mask = MEM_MASK, .info = MEM_RAX },
#define R_INVEPT	24
	ROW("INVEPT", invept, PROC, 0, INVEPT, 5, 0x66, 0x0f, 0x38, 0x80, 0x08),
	  .info_mask = MEM_MASK | REG2(0xf), .info = MEM_RAX | REG2(1) },
#define R_INVVPID	25
	ROW("INVVPID", invvpid, PROC, 0, INVVPID, 5, 0x66, 0x0f, 0x38, 0x81, 0x08),
	  .info_mask = MEM_MASK | REG2(0xf), .info = MEM_RAX | REG2(1) },
#define R_INVPCID	26
	ROW("INVPCID", invpcid, PROC, PROC_INVLPG, INVPCID, 5, 0x66, 0x0f, 0x38, 0x82, 0x08),
	  .enable = PROC2_INVPCID, .feature = F(INVPCID),
	  .info_mask = MEM_MASK | REG2(0xf), .info = MEM_RAX | REG2(1) },
#define R_SGDT		27
	ROW("SGDT", sgdt, PROC2, PROC2_DESC_TABLE, GDTR_IDTR, 3, 0x0f, 0x01, 0x00),
	  .native = true, .info_mask = ID_MASK, .info = MEM_RAX | ID(0) },
#define R_SIDT		28
	ROW("SIDT", sidt, PROC2, PROC2_DESC_TABLE, GDTR_IDTR, 3, 0x0f, 0x01, 0x08),
	  .native = true, .info_mask = ID_MASK, .info = MEM_RAX | ID(1) },
#define R_LGDT		29
	ROW("LGDT", lgdt, PROC2, PROC2_DESC_TABLE, GDTR_IDTR, 3, 0x0f, 0x01, 0x10),
	  .info_mask = ID_MASK, .info = MEM_RAX | ID(2) },
#define R_LIDT		30
	ROW("LIDT", lidt, PROC2, PROC2_DESC_TABLE, GDTR_IDTR, 3, 0x0f, 0x01, 0x18),
	  .info_mask = ID_MASK, .info = MEM_RAX | ID(3) },
#define R_SLDT		31
	ROW("SLDT", sldt, PROC2, PROC2_DESC_TABLE, LDTR_TR, 3, 0x0f, 0x00, 0x00),
	  .native = true, .info_mask = ID_MASK, .info = MEM_RAX | ID(0) },
#define R_STR		32
	ROW("STR", str, PROC2, PROC2_DESC_TABLE, LDTR_TR, 3, 0x0f, 0x00, 0x08),
	  .native = true, .info_mask = ID_MASK, .info = MEM_RAX | ID(1) },
#define R_LLDT		33
	ROW("LLDT", lldt, PROC2, PROC2_DESC_TABLE, LDTR_TR, 3, 0x0f, 0x00, 0x10),
	  .info_mask = ID_MASK, .info = MEM_RAX | ID(2) },
#define R_LTR		34
	ROW("LTR", ltr, PROC2, PROC2_DESC_TABLE, LDTR_TR, 3, 0x0f, 0x00, 0x18),
	  .info_mask = ID_MASK, .info = MEM_RAX | ID(3) },
};

static void row_guest(struct nested_ctx *ctx)
{
	((const struct exit_row *)ctx->test->arg)->guest(ctx);
	ctx->scratch[0] = 1;	/* got past the instruction */
}

/* The exit: reason, RIP, length, qualification and information; then resume past it. */
static void exiting(struct nested_ctx *ctx, const struct exit_row *r)
{
	const struct vmx_exit *e = vmx_exit(ctx);
	char got[40] = "", ex[32];
	bool pass;

	if (r->bits)
		vmx_set_ctl(r->ctl, r->bits);
	nested_run(ctx);
	if (!vmx_report_exit(ctx->vmx, r->reason, "%s %s", r->name,
			     r->bits ? "with its exiting control set exits" : "exits")) {
		report_info("the guest's %s raised %s", r->name,
			    arch_exinfo_str(ctx->scratch[2], ex, sizeof(ex)));
		return;
	}
	pass = !memcmp((void *)(uintptr_t)e->rip, r->bytes, r->len);
	if (!pass)
		snprintf(got, sizeof(got), "other bytes at rip %#lx", (unsigned long)e->rip);
	report_decoded(pass, "its bytes", got, "guest RIP at the %s exit points at the %s",
		       r->name, r->name);
	report_eq(0, ctx->scratch[0], "%s exits before the instruction completes", r->name);
	report_eq(r->len, e->insn_len, "VM-exit instruction length of %s", r->name);
	if (r->reason == EXIT_INVLPG)
		report_eq_x(TARGET, e->qual, "INVLPG exit qualification is the linear address");
	if (r->info_mask)
		report_eq_x(r->info, e->insn_info & r->info_mask,
			    "VM-exit instruction information of %s (mask %#x)", r->name,
			    r->info_mask);
	vmx_skip_insn(ctx->vmx);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "guest resumed after the %s exit reaches VMCALL",
			r->name);
	report_eq(1, ctx->scratch[0], "guest resumed after the %s exit continues there", r->name);
}

/* Without the exiting control: the instruction runs in the guest. */
static void not_exiting(struct nested_ctx *ctx, const struct exit_row *r)
{
	vmx_clear_ctl(r->ctl, r->bits);
	ctx->scratch[0] = 0;
	nested_restart(ctx);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL,
			"%s with its exiting control clear runs in the guest to VMCALL",
			r->name);
	report_eq(1, ctx->scratch[0], "guest executes %s without its exiting control", r->name);
}

static void exit_run(struct nested_ctx *ctx)
{
	const struct exit_row *r = ctx->test->arg;

	if (r->feature && !this_cpu_has(r->feature)) {
		report_skip("%s not supported (CPUID)", r->name);
		return;
	}
	if (r->enable)
		vmx_set_ctl(VMX_PROC2, r->enable);
	if (r->reason == EXIT_XSETBV)
		vmcs_set_bits(VMCS_GUEST_CR4, X86_CR4_OSXSAVE);
	if (r->reason == EXIT_GDTR_IDTR || r->reason == EXIT_LDTR_TR)
		memset(target, 0, sizeof(target));
	exiting(ctx, r);
	if (r->native)
		not_exiting(ctx, r);
}

/* Without its enable control, RDTSCP raises #UD in the guest (25.6.2). */
static void rdtscp_ud_run(struct nested_ctx *ctx)
{
	if (!this_cpu_has(X86_FEATURE_RDTSCP)) {
		report_skip("RDTSCP not supported (CPUID)");
		return;
	}
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "guest RDTSCP without \"enable RDTSCP\" returns");
	report_exc(EXINFO(UD_VECTOR, 0), ctx->scratch[2],
		   "RDTSCP without \"enable RDTSCP\" raises #UD in the guest");
}

#define EXIT_TEST(id, row) VMX_TEST(id, .guest = row_guest, .run = exit_run, .arg = &rows[row])

EXIT_TEST(exit_cpuid, R_CPUID)
EXIT_TEST(exit_hlt, R_HLT)
EXIT_TEST(exit_invd, R_INVD)
EXIT_TEST(exit_invlpg, R_INVLPG)
EXIT_TEST(exit_rdpmc, R_RDPMC)
EXIT_TEST(exit_rdtsc, R_RDTSC)
EXIT_TEST(exit_rdtscp, R_RDTSCP)
EXIT_TEST(exit_monitor, R_MONITOR)
EXIT_TEST(exit_mwait, R_MWAIT)
EXIT_TEST(exit_pause, R_PAUSE)
EXIT_TEST(exit_wbinvd, R_WBINVD)
EXIT_TEST(exit_xsetbv, R_XSETBV)
EXIT_TEST(exit_rdrand, R_RDRAND)
EXIT_TEST(exit_rdseed, R_RDSEED)
EXIT_TEST(exit_vmcall, R_VMCALL)
EXIT_TEST(exit_vmclear, R_VMCLEAR)
EXIT_TEST(exit_vmlaunch, R_VMLAUNCH)
EXIT_TEST(exit_vmptrld, R_VMPTRLD)
EXIT_TEST(exit_vmptrst, R_VMPTRST)
EXIT_TEST(exit_vmread, R_VMREAD)
EXIT_TEST(exit_vmresume, R_VMRESUME)
EXIT_TEST(exit_vmwrite, R_VMWRITE)
EXIT_TEST(exit_vmxoff, R_VMXOFF)
EXIT_TEST(exit_vmxon, R_VMXON)
EXIT_TEST(exit_invept, R_INVEPT)
EXIT_TEST(exit_invvpid, R_INVVPID)
EXIT_TEST(exit_invpcid, R_INVPCID)
EXIT_TEST(exit_sgdt, R_SGDT)
EXIT_TEST(exit_sidt, R_SIDT)
EXIT_TEST(exit_lgdt, R_LGDT)
EXIT_TEST(exit_lidt, R_LIDT)
EXIT_TEST(exit_sldt, R_SLDT)
EXIT_TEST(exit_str, R_STR)
EXIT_TEST(exit_lldt, R_LLDT)
EXIT_TEST(exit_ltr, R_LTR)
VMX_TEST(rdtscp_disabled_ud, .guest = g_rdtscp, .run = rdtscp_ud_run)

/* ---- PAUSE-loop exiting (26.1.3, 25.6.13) ---- */

#define PLE_PAUSES	100000	/* far more than a window of 128 TSC ticks holds */

static void ple_guest(struct nested_ctx *ctx)
{
	for (int i = 0; i < PLE_PAUSES; i++) {
		asm volatile("pause");
		ctx->scratch[0]++;
	}
}

/*
 * PLE_Gap 128 and PLE_Window 4096 TSC ticks: back-to-back PAUSEs are each
 * within the gap of the one before, so the loop counts as one spin; it
 * lasts far longer than the window, so it must end in a PAUSE exit.
 */
static void ple_prepare(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC2, PROC2_PAUSE_LOOP);
	vmcs_write(VMCS_PLE_GAP, 128);
	vmcs_write(VMCS_PLE_WINDOW, 4096);
}

static void ple_check(struct nested_ctx *ctx)
{
	vmx_report_exit(ctx->vmx, EXIT_PAUSE, "a PAUSE loop longer than PLE_Window exits");
	report_in_range(1, PLE_PAUSES - 1, ctx->scratch[0],
			"PAUSE-loop exiting lets some PAUSEs complete first");
}

VMX_TEST(pause_loop_exiting, .guest = ple_guest, .prepare = ple_prepare, .check = ple_check)

/* ---- needs ---- */

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_hlt, VMX_PROC, PROC_HLT, "HLT exiting")
NEEDS(needs_invlpg, VMX_PROC, PROC_INVLPG, "INVLPG exiting")
NEEDS(needs_rdpmc, VMX_PROC, PROC_RDPMC, "RDPMC exiting")
NEEDS(needs_rdtsc, VMX_PROC, PROC_RDTSC, "RDTSC exiting")
NEEDS(needs_rdtscp, VMX_PROC2, PROC2_RDTSCP, "enable RDTSCP")
NEEDS(needs_monitor, VMX_PROC, PROC_MONITOR, "MONITOR exiting")
NEEDS(needs_mwait, VMX_PROC, PROC_MWAIT, "MWAIT exiting")
NEEDS(needs_pause, VMX_PROC, PROC_PAUSE, "PAUSE exiting")
NEEDS(needs_wbinvd, VMX_PROC2, PROC2_WBINVD, "WBINVD exiting")
NEEDS(needs_rdrand, VMX_PROC2, PROC2_RDRAND, "RDRAND exiting")
NEEDS(needs_rdseed, VMX_PROC2, PROC2_RDSEED, "RDSEED exiting")
NEEDS(needs_invpcid, VMX_PROC2, PROC2_INVPCID, "enable INVPCID")
NEEDS(needs_desc, VMX_PROC2, PROC2_DESC_TABLE, "descriptor-table exiting")
NEEDS(needs_ple, VMX_PROC2, PROC2_PAUSE_LOOP, "PAUSE-loop exiting")

static const char *needs_invept_insn(void)
{
	const char *r = vmx_needs_ept();

	return r ?: vmx_caps()->ept_vpid & VMX_EPT_INVEPT ? NULL : "INVEPT not supported";
}

static const char *needs_invvpid_insn(void)
{
	const char *r = vmx_needs_vpid();

	return r ?: vmx_caps()->ept_vpid & VMX_VPID_INVVPID ? NULL : "INVVPID not supported";
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(exit_cpuid, vmx_needs),
	SUBTEST_NEEDS(exit_hlt, needs_hlt),
	SUBTEST_NEEDS(exit_invd, vmx_needs),
	SUBTEST_NEEDS(exit_invlpg, needs_invlpg),
	SUBTEST_NEEDS(exit_rdpmc, needs_rdpmc),
	SUBTEST_NEEDS(exit_rdtsc, needs_rdtsc),
	SUBTEST_NEEDS(exit_rdtscp, needs_rdtscp),
	SUBTEST_NEEDS(rdtscp_disabled_ud, vmx_needs),
	SUBTEST_NEEDS(exit_monitor, needs_monitor),
	SUBTEST_NEEDS(exit_mwait, needs_mwait),
	SUBTEST_NEEDS(exit_pause, needs_pause),
	SUBTEST_NEEDS(pause_loop_exiting, needs_ple),
	SUBTEST_NEEDS(exit_wbinvd, needs_wbinvd),
	SUBTEST_NEEDS(exit_xsetbv, vmx_needs),
	SUBTEST_NEEDS(exit_rdrand, needs_rdrand),
	SUBTEST_NEEDS(exit_rdseed, needs_rdseed),
	SUBTEST_NEEDS(exit_vmcall, vmx_needs),
	SUBTEST_NEEDS(exit_vmclear, vmx_needs),
	SUBTEST_NEEDS(exit_vmlaunch, vmx_needs),
	SUBTEST_NEEDS(exit_vmptrld, vmx_needs),
	SUBTEST_NEEDS(exit_vmptrst, vmx_needs),
	SUBTEST_NEEDS(exit_vmread, vmx_needs),
	SUBTEST_NEEDS(exit_vmresume, vmx_needs),
	SUBTEST_NEEDS(exit_vmwrite, vmx_needs),
	SUBTEST_NEEDS(exit_vmxoff, vmx_needs),
	SUBTEST_NEEDS(exit_vmxon, vmx_needs),
	SUBTEST_NEEDS(exit_invept, needs_invept_insn),
	SUBTEST_NEEDS(exit_invvpid, needs_invvpid_insn),
	SUBTEST_NEEDS(exit_invpcid, needs_invpcid),
	SUBTEST_NEEDS(exit_sgdt, needs_desc),
	SUBTEST_NEEDS(exit_sidt, needs_desc),
	SUBTEST_NEEDS(exit_lgdt, needs_desc),
	SUBTEST_NEEDS(exit_lidt, needs_desc),
	SUBTEST_NEEDS(exit_sldt, needs_desc),
	SUBTEST_NEEDS(exit_str, needs_desc),
	SUBTEST_NEEDS(exit_lldt, needs_desc),
	SUBTEST_NEEDS(exit_ltr, needs_desc),
};

NESTED_TABLE(vmx_exit_tests, tests);
