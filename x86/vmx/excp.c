// SPDX-License-Identifier: MIT
/*
 * Exceptions in VMX non-root operation (Intel SDM vol. 3C):
 * - 25.6.3, 26.2: an exception whose bit is set in the exception bitmap
 *   exits with reason 0 instead of being delivered; without the bit it is
 *   delivered through the guest's IDT.
 * - 25.6.3: a #PF exits when bit 14 is set and PFEC & mask == match, or
 *   when bit 14 is clear and PFEC & mask != match.
 * - 28.2.2: the VM-exit interruption information gives vector, type
 *   (hardware exception 3, software exception 6 for INT3) and whether an
 *   error code was pushed (then in the error-code field); 28.2.4: INT3's
 *   length; 28.2.1 table 28-1: the #PF exit qualification is the linear
 *   address and CR2 is not written (27.1), the #DB exit qualification
 *   holds B0-B3/BD/BS and DR6 is not written.
 * - 26.6: an exception reflected with event injection is delivered in the
 *   guest as if it had happened there.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "user.h"
#include "vmx_test.h"

#define HW_EXC(v)	(INTR_INFO(INTR_TYPE_HW_EXC, v))

/* ---- one exception in the guest, caught by its fixup (scratch[2]) ---- */

static void g_ud2(struct nested_ctx *c)
{
	c->scratch[2] = asm_safe("ud2");
	c->scratch[1] = 1;
}

static void g_gp(struct nested_ctx *c)
{
	DECLARE_EXINFO(ex);
	uint64_t v;

	asm volatile(ASM_TRY("mov (%2), %1") : "+r"(ex), "=r"(v) : "r"(1ULL << 63));
	c->scratch[2] = ex;
	c->scratch[1] = 1;
}

static void g_de(struct nested_ctx *c)
{
	DECLARE_EXINFO(ex);
	uint64_t a = 1, d = 0;

	asm volatile(ASM_TRY("divq %3") : "+r"(ex), "+a"(a), "+d"(d) : "r"(0ULL));
	c->scratch[2] = ex;
	c->scratch[1] = 1;
}

static void g_int3(struct nested_ctx *c)
{
	c->scratch[2] = asm_safe("int3");
	c->scratch[1] = 1;
}

/* The exit of exception @vec (type @type, error code @ec when @has_ec). */
static bool report_exc_exit(struct nested_ctx *ctx, unsigned int vec, unsigned int type,
			    bool has_ec, uint32_t ec, const char *what)
{
	const struct vmx_exit *e = vmx_exit(ctx);
	uint32_t want = INTR_INFO(type, vec) | (has_ec ? INTR_INFO_ERROR_CODE : 0);
	char w[48], g[48];

	if (!vmx_report_exit(ctx->vmx, EXIT_EXCEPTION, "%s exits", what))
		return false;
	report_decoded((e->intr_info & ~INTR_INFO_NMI_UNBLOCK) == want,
		       vmx_intr_info_str(want, w, sizeof(w)),
		       vmx_intr_info_str(e->intr_info, g, sizeof(g)),
		       "VM-exit interruption information of %s", what);
	if (has_ec)
		report_eq_x(ec, e->intr_error, "VM-exit error code of %s", what);
	report_eq(0, ctx->scratch[1], "%s exits before the guest goes on", what);
	return true;
}

static void ud_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(UD_VECTOR));
	nested_run(ctx);
	if (report_exc_exit(ctx, UD_VECTOR, INTR_TYPE_HW_EXC, false, 0,
			    "#UD with its exception-bitmap bit set"))
		report_eq_x(0x0b0f, *(uint16_t *)(uintptr_t)vmx_exit(ctx)->rip,
			    "guest RIP at the #UD exit points at the UD2");
}

static void ud_delivered_run(struct nested_ctx *ctx)
{
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "#UD with its bitmap bit clear causes no exit");
	report_exc(EXINFO(UD_VECTOR, 0), ctx->scratch[2],
		   "#UD with its bitmap bit clear is delivered in the guest");
}

static void gp_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(GP_VECTOR));
	nested_run(ctx);
	report_exc_exit(ctx, GP_VECTOR, INTR_TYPE_HW_EXC, true, 0,
			"#GP(0) of a non-canonical access with its bitmap bit set");
}

static void de_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(DE_VECTOR));
	nested_run(ctx);
	report_exc_exit(ctx, DE_VECTOR, INTR_TYPE_HW_EXC, false, 0,
			"#DE of a division by zero with its bitmap bit set");
}

static void bp_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(BP_VECTOR));
	nested_run(ctx);
	if (report_exc_exit(ctx, BP_VECTOR, INTR_TYPE_SW_EXC, false, 0,
			    "INT3 with the #BP bitmap bit set"))
		report_eq(1, vmx_exit(ctx)->insn_len, "VM-exit instruction length of INT3 is 1");
}

/* Reflecting the exit's exception back: the guest's own handler sees it. */
static void reflect_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(GP_VECTOR));
	nested_run(ctx);
	if (!report_exc_exit(ctx, GP_VECTOR, INTR_TYPE_HW_EXC, true, 0, "#GP(0) to reflect"))
		return;
	vmx_inject(INTR_TYPE_HW_EXC, GP_VECTOR, true, 0, 0);
	vmcs_write(VMCS_EXC_BITMAP, 0);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest goes on after the reflected #GP");
	report_exc(EXINFO(GP_VECTOR, 0), ctx->scratch[2],
		   "the reflected #GP(0) reaches the guest's handler with its error code");
}

/* ---- #DB ---- */

static volatile uint64_t watched;

static void g_single_step(struct nested_ctx *c)
{
	asm volatile("pushf; orq $0x100, (%%rsp); popf; nop; pushf; andq $~0x100, (%%rsp); popf"
		     : : : "memory", "cc");
	c->scratch[1] = 1;
}

static void g_data_bp(struct nested_ctx *c)
{
	write_dr0((uintptr_t)&watched);
	write_dr7(DR7_FIXED | DR7_L(0) | DR7_RW(0, 1) | DR7_LEN(0, 3));
	watched = 1;
	write_dr7(DR7_FIXED);
	c->scratch[1] = 1;
}

/* On the guest's CPU: DR6 as it was before entry, to show the exit leaves it alone. */
static void db_enter(struct nested_ctx *ctx)
{
	write_dr6(DR6_INIT);
	nested_enter_here(ctx);
	ctx->scratch[4] = read_dr6();
}

static void db_case(struct nested_ctx *ctx, uint64_t qual, const char *what)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(DB_VECTOR));
	nested_on_guest_cpu(ctx, db_enter);
	if (!vmx_report_exit(ctx->vmx, EXIT_EXCEPTION, "%s exits", what))
		return;
	report_eq_x(HW_EXC(DB_VECTOR), vmx_exit(ctx)->intr_info & ~INTR_INFO_NMI_UNBLOCK,
		    "VM-exit interruption information of %s", what);
	report_eq_x(qual, vmx_exit(ctx)->qual & (DBQ_B(0) | DBQ_BD | DBQ_BS),
		    "exit qualification of %s", what);
	report_eq_x(DR6_INIT, ctx->scratch[4], "the #DB exit of %s leaves DR6 alone", what);
}

static void single_step_run(struct nested_ctx *ctx)
{
	db_case(ctx, DBQ_BS, "a single-step #DB with its bitmap bit set");
}

static void data_bp_run(struct nested_ctx *ctx)
{
	db_case(ctx, DBQ_B(0), "a data-breakpoint #DB with its bitmap bit set");
}

/* ---- #AC at CPL3 ---- */

static uint64_t user_misaligned(uint64_t p)
{
	uint64_t v;

	asm volatile("pushf; orq $0x40000, (%%rsp); popf; movl (%1), %k0" : "=r"(v) : "r"(p)
		     : "memory", "cc");
	return v;
}

static void g_ac(struct nested_ctx *c)
{
	static uint8_t buf[16] __aligned(8);

	run_in_user(user_misaligned, (uintptr_t)buf + 1);
	c->scratch[1] = 1;
}

static void ac_run(struct nested_ctx *ctx)
{
	vmcs_set_bits(VMCS_GUEST_CR0, X86_CR0_AM);
	vmcs_write(VMCS_EXC_BITMAP, BIT(AC_VECTOR));
	nested_run(ctx);
	report_exc_exit(ctx, AC_VECTOR, INTR_TYPE_HW_EXC, true, 0,
			"#AC of a misaligned CPL3 load with CR0.AM and RFLAGS.AC");
}

/* ---- #PF and the error-code mask and match ---- */

/* A read and then a write of the unmapped page 0: PFEC 0, then 2. */
static void g_pf(struct nested_ctx *c)
{
	DECLARE_EXINFO(r);
	DECLARE_EXINFO(w);
	uint64_t v;

	asm volatile(ASM_TRY("mov (%2), %1") : "+r"(r), "=r"(v) : "r"(0ULL) : "memory");
	c->scratch[2] = r;
	asm volatile(ASM_TRY("movq $1, (%1)") : "+r"(w) : "r"(0ULL) : "memory");
	c->scratch[3] = w;
	c->scratch[1] = 1;
}

struct pf_row {
	bool bit14;
	uint32_t mask, match;
	bool read_exits, write_exits;
	const char *what;
};

/*
 * Each #PF that exits is reflected back with event injection, so that the
 * guest's fixups see both faults either way; scratch[5] collects the
 * exits: bit 0 for the read, bit 1 for the write.
 */
static void pf_run(struct nested_ctx *ctx)
{
	const struct pf_row *r = ctx->test->arg;
	const struct vmx_exit *e = vmx_exit(ctx);
	unsigned int exits = 0;

	vmcs_write(VMCS_EXC_BITMAP, r->bit14 ? BIT(PF_VECTOR) : 0);
	vmcs_write(VMCS_PF_ERR_MASK, r->mask);
	vmcs_write(VMCS_PF_ERR_MATCH, r->match);
	for (int i = 0; i < 3 && nested_run(ctx) == EXIT_EXCEPTION; i++) {
		if (INTR_INFO_VECTOR(e->intr_info) != PF_VECTOR)
			break;
		exits |= e->intr_error & 2 ? 2 : 1;
		report_eq_x(0, e->qual, "#PF exit qualification is the address (%s, %s)",
			    r->what, e->intr_error & 2 ? "write" : "read");
		vmx_inject(INTR_TYPE_HW_EXC, PF_VECTOR, true, e->intr_error, 0);
	}
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest runs to VMCALL (%s)", r->what);
	report_eq(r->read_exits, exits & 1, "a read #PF (PFEC 0) %s (%s)",
		  r->read_exits ? "exits" : "does not exit", r->what);
	report_eq(r->write_exits, !!(exits & 2), "a write #PF (PFEC 2) %s (%s)",
		  r->write_exits ? "exits" : "does not exit", r->what);
	report_exc(EXINFO(PF_VECTOR, 2), ctx->scratch[3],
		   "the write #PF reaches the guest with PFEC 2 (%s)", r->what);
}

static const struct pf_row pf_rows[] = {
	{ true, 0, 0, true, true, "bit 14 set, mask 0, match 0" },
	{ true, 2, 2, false, true, "bit 14 set, mask 2, match 2" },
	{ false, 2, 2, true, false, "bit 14 clear, mask 2, match 2" },
	{ false, 0, 0, false, false, "bit 14 clear, mask 0, match 0" },
	{ true, 0, 1, false, false, "bit 14 set, mask 0, match 1" },
};

/* CR2 after a #PF exit: not written (27.1); read on the guest's CPU. */
static void cr2_enter(struct nested_ctx *ctx)
{
	write_cr2(0xc2c2c000);
	nested_enter_here(ctx);
	ctx->scratch[4] = read_cr2();
}

static void pf_cr2_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXC_BITMAP, BIT(PF_VECTOR));
	nested_on_guest_cpu(ctx, cr2_enter);
	if (report_exc_exit(ctx, PF_VECTOR, INTR_TYPE_HW_EXC, true, 0, "a read #PF of page 0"))
		report_eq_x(0xc2c2c000, ctx->scratch[4], "a #PF exit leaves CR2 as it was");
}

VMX_TEST(exc_ud_exit, .guest = g_ud2, .run = ud_run)
VMX_TEST(exc_ud_delivered, .guest = g_ud2, .run = ud_delivered_run)
VMX_TEST(exc_gp_exit, .guest = g_gp, .run = gp_run)
VMX_TEST(exc_gp_reflected, .guest = g_gp, .run = reflect_run)
VMX_TEST(exc_de_exit, .guest = g_de, .run = de_run)
VMX_TEST(exc_bp_exit, .guest = g_int3, .run = bp_run)
VMX_TEST(exc_db_single_step, .guest = g_single_step, .run = single_step_run)
VMX_TEST(exc_db_data_breakpoint, .guest = g_data_bp, .run = data_bp_run)
VMX_TEST(exc_ac_exit, .guest = g_ac, .run = ac_run)
VMX_TEST(exc_pf_cr2, .guest = g_pf, .run = pf_cr2_run)
VMX_TEST(pf_mask_match_all, .guest = g_pf, .run = pf_run, .arg = &pf_rows[0])
VMX_TEST(pf_mask_match_write, .guest = g_pf, .run = pf_run, .arg = &pf_rows[1])
VMX_TEST(pf_mask_mismatch_write, .guest = g_pf, .run = pf_run, .arg = &pf_rows[2])
VMX_TEST(pf_mask_mismatch_none, .guest = g_pf, .run = pf_run, .arg = &pf_rows[3])
VMX_TEST(pf_mask_match_never, .guest = g_pf, .run = pf_run, .arg = &pf_rows[4])

static const struct subtest tests[] = {
	SUBTEST_NEEDS(exc_ud_exit, vmx_needs),
	SUBTEST_NEEDS(exc_ud_delivered, vmx_needs),
	SUBTEST_NEEDS(exc_gp_exit, vmx_needs),
	SUBTEST_NEEDS(exc_gp_reflected, vmx_needs),
	SUBTEST_NEEDS(exc_de_exit, vmx_needs),
	SUBTEST_NEEDS(exc_bp_exit, vmx_needs),
	SUBTEST_NEEDS(exc_db_single_step, vmx_needs),
	SUBTEST_NEEDS(exc_db_data_breakpoint, vmx_needs),
	SUBTEST_NEEDS(exc_ac_exit, vmx_needs),
	SUBTEST_NEEDS(exc_pf_cr2, vmx_needs),
	SUBTEST_NEEDS(pf_mask_match_all, vmx_needs),
	SUBTEST_NEEDS(pf_mask_match_write, vmx_needs),
	SUBTEST_NEEDS(pf_mask_mismatch_write, vmx_needs),
	SUBTEST_NEEDS(pf_mask_mismatch_none, vmx_needs),
	SUBTEST_NEEDS(pf_mask_match_never, vmx_needs),
};

NESTED_TABLE(vmx_excp_tests, tests);
