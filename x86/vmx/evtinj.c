// SPDX-License-Identifier: MIT
/*
 * Event injection on VM entry and events that exit during delivery (Intel
 * SDM vol. 3C):
 * - 26.6 event injection: the event of the VM-entry interruption-
 *   information field is delivered through the guest's IDT after the guest
 *   state is loaded, as if it happened at the first instruction: an
 *   external interrupt (which needs RFLAGS.IF=1, 26.3.1.5) or NMI with the
 *   entry RIP, a hardware exception with
 *   its error code (an injected #PF leaves CR2 alone), a software interrupt
 *   or exception with RIP + the VM-entry instruction length pushed.
 * - 28.2.3 IDT-vectoring information: an exit during the delivery of an
 *   injected event (here a #GP for a vector beyond the IDT limit, with the
 *   exception bitmap's #GP bit; error code vector * 8 + 2, plus the EXT bit
 *   for an external interrupt, vol. 3A 6.13) reports that event, and for a software
 *   interrupt its length as the VM-exit instruction length (28.2.4).
 * - 26.2 and appendix C: a triple fault in the guest exits with reason 2
 *   instead of shutting down, also when raised while delivering an
 *   injected event; the host goes on.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

#define INJ_VEC		0x61

/* What the guest's handler saw. */
static volatile struct nested_event seen;

static void inj_handler(struct ex_regs *r)
{
	nested_event_record(&seen, r);
	r->rip = (uintptr_t)nested_guest_entry;	/* start over, whatever was skipped */
}

static void g_mark(struct nested_ctx *c)
{
	c->scratch[0]++;
}

/* On the guest's CPU: CR2 set to a marker before the entry. */
static void cr2_enter(struct nested_ctx *ctx)
{
	write_cr2(0xc2c2c000);
	nested_enter_here(ctx);
}

struct inj_row {
	const char *what;
	uint32_t type;
	unsigned int vector;
	bool has_error;
	uint32_t error;
	unsigned int len;
};

static void inject_run(struct nested_ctx *ctx)
{
	const struct inj_row *r = ctx->test->arg;
	handler_t old = install_exception_handler(r->vector, inj_handler);
	uint64_t rip = vmcs_read(VMCS_GUEST_RIP);
	bool soft = r->type >= INTR_TYPE_SW_INTR;

	memset((void *)&seen, 0, sizeof(seen));
	/* An external interrupt needs RFLAGS.IF=1 to be injected (26.3.1.5). */
	if (r->type == INTR_TYPE_EXT_INTR)
		vmcs_set_bits(VMCS_GUEST_RFLAGS, X86_EFLAGS_IF);
	vmx_inject(r->type, r->vector, r->has_error, r->error, r->len);
	nested_on_guest_cpu(ctx, cr2_enter);
	install_exception_handler(r->vector, old);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest runs on after %s", r->what);
	report_eq(1, seen.count, "%s is delivered once through the guest's IDT", r->what);
	report_eq(r->vector, seen.vector, "%s arrives with its vector", r->what);
	if (r->has_error)
		report_eq_x(r->error, seen.error, "%s arrives with its error code", r->what);
	report_eq_x(rip + (soft ? r->len : 0), seen.rip, "%s pushes the entry RIP%s", r->what,
		    soft ? " plus the instruction length" : "");
	if (r->vector == PF_VECTOR)
		report_eq_x(0xc2c2c000, seen.cr2, "%s leaves CR2 alone", r->what);
	report_eq(0, vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID,
		  "the exit clears the valid bit of the injection field (after %s)", r->what);
}

static const struct inj_row inj_rows[] = {
	{ "an injected external interrupt", INTR_TYPE_EXT_INTR, INJ_VEC },
	{ "an injected NMI", INTR_TYPE_NMI, NMI_VECTOR },
	{ "an injected #UD", INTR_TYPE_HW_EXC, UD_VECTOR },
	{ "an injected #GP(0x1234)", INTR_TYPE_HW_EXC, GP_VECTOR, true, 0x1234 },
	{ "an injected #PF(5)", INTR_TYPE_HW_EXC, PF_VECTOR, true, 5 },
	{ "an injected INT 61H of length 2", INTR_TYPE_SW_INTR, INJ_VEC, false, 0, 2 },
	{ "an injected INT3 of length 1", INTR_TYPE_SW_EXC, BP_VECTOR, false, 0, 1 },
	{ "an injected ICEBP (privileged software exception)", INTR_TYPE_PRIV_SW_EXC, DB_VECTOR,
	  false, 0, 1 },
};

VMX_TEST(inject_extint, .guest = g_mark, .run = inject_run, .arg = &inj_rows[0])
VMX_TEST(inject_nmi, .guest = g_mark, .run = inject_run, .arg = &inj_rows[1])
VMX_TEST(inject_ud, .guest = g_mark, .run = inject_run, .arg = &inj_rows[2])
VMX_TEST(inject_gp_error_code, .guest = g_mark, .run = inject_run, .arg = &inj_rows[3])
VMX_TEST(inject_pf_cr2, .guest = g_mark, .run = inject_run, .arg = &inj_rows[4])
VMX_TEST(inject_sw_int, .guest = g_mark, .run = inject_run, .arg = &inj_rows[5])
VMX_TEST(inject_sw_exception, .guest = g_mark, .run = inject_run, .arg = &inj_rows[6])
VMX_TEST(inject_priv_sw_exception, .guest = g_mark, .run = inject_run, .arg = &inj_rows[7])

/* ---- IDT-vectoring information ---- */

/* An IDT limit covering vectors 0-31 only: delivering 61H raises #GP(61H * 8 + 2). */
static void vectoring_case(struct nested_ctx *ctx, uint32_t type, unsigned int len,
			   const char *what)
{
	const struct vmx_exit *e = vmx_exit(ctx);

	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 32 * 16 - 1);
	if (type == INTR_TYPE_EXT_INTR)
		vmcs_set_bits(VMCS_GUEST_RFLAGS, X86_EFLAGS_IF);
	vmcs_write(VMCS_EXC_BITMAP, BIT(GP_VECTOR));
	vmx_inject(type, INJ_VEC, false, 0, len);
	nested_run(ctx);
	if (!vmx_report_exit(ctx->vmx, EXIT_EXCEPTION, "%s beyond the IDT limit exits with #GP",
			     what))
		return;
	/* IDT bit (1), EXT bit (0) for an event from outside the program (6.13). */
	report_eq_x(INJ_VEC * 8 + 2 + (type == INTR_TYPE_EXT_INTR), e->intr_error,
		    "the #GP of %s beyond the IDT limit has error code vector * 8 + 2%s", what,
		    type == INTR_TYPE_EXT_INTR ? " + EXT" : "");
	report_eq_x(INTR_INFO(type, INJ_VEC), e->idt_info,
		    "IDT-vectoring information names %s", what);
	if (len)
		report_eq(len, e->insn_len,
			  "VM-exit instruction length is that of %s being delivered", what);
	report_eq(0, ctx->scratch[0], "the guest does not run after %s fails", what);
}

static void vectoring_extint_run(struct nested_ctx *ctx)
{
	vectoring_case(ctx, INTR_TYPE_EXT_INTR, 0, "an injected external interrupt");
}

static void vectoring_sw_run(struct nested_ctx *ctx)
{
	vectoring_case(ctx, INTR_TYPE_SW_INTR, 2, "an injected INT 61H");
}

VMX_TEST(idt_vectoring_extint, .guest = g_mark, .run = vectoring_extint_run)
VMX_TEST(idt_vectoring_sw_int, .guest = g_mark, .run = vectoring_sw_run)

/* ---- triple faults ---- */

static void g_ud(struct nested_ctx *c)
{
	asm volatile("ud2");
	c->scratch[0]++;
}

/* An IDT of limit 0: every exception escalates to #DF, then to a triple fault. */
static void triple_fault_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_TRIPLE_FAULT, "a triple fault in the guest exits");
	report_eq(0, ctx->scratch[0], "the guest does not go on after its triple fault");
	nested_check_host_state(ctx, "the triple-fault exit");
}

static void triple_fault_inject_run(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0);
	vmx_inject(INTR_TYPE_HW_EXC, GP_VECTOR, true, 0, 0);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_TRIPLE_FAULT,
			"an injected #GP the guest cannot deliver ends in a triple-fault exit");
}

VMX_TEST(triple_fault, .guest = g_ud, .run = triple_fault_run)
VMX_TEST(triple_fault_injected, .guest = g_mark, .run = triple_fault_inject_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(inject_extint, vmx_needs),
	SUBTEST_NEEDS(inject_nmi, vmx_needs),
	SUBTEST_NEEDS(inject_ud, vmx_needs),
	SUBTEST_NEEDS(inject_gp_error_code, vmx_needs),
	SUBTEST_NEEDS(inject_pf_cr2, vmx_needs),
	SUBTEST_NEEDS(inject_sw_int, vmx_needs),
	SUBTEST_NEEDS(inject_sw_exception, vmx_needs),
	SUBTEST_NEEDS(inject_priv_sw_exception, vmx_needs),
	SUBTEST_NEEDS(idt_vectoring_extint, vmx_needs),
	SUBTEST_NEEDS(idt_vectoring_sw_int, vmx_needs),
	SUBTEST_NEEDS(triple_fault, vmx_needs),
	SUBTEST_NEEDS(triple_fault_injected, vmx_needs),
};

NESTED_TABLE(vmx_evtinj_tests, tests);
