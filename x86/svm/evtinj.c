// SPDX-License-Identifier: MIT
/*
 * Event injection (AMD APM vol. 2, 15.20), one table row per event:
 * - EVENTINJ (VMCB 0A8h): VECTOR 7:0, TYPE 10:8 (0 INTR, 2 NMI, 3
 *   exception, 4 software interrupt; 1, 5-7 reserved), EV 11, V 31, the
 *   error code in 63:32. VMRUN delivers the event through the guest's IDT
 *   before the first guest instruction, whatever the guest's IF; the
 *   handler sees the VMCB's RIP (an exception does not write CR2: the
 *   guest's CR2 is the VMCB's), and an error code exactly when EV is set.
 *   For TYPE 2 the vector is ignored (NMI is vector 2).
 * - Software interrupts push nRIP (the VMCB's NEXT_RIP) as the return
 *   address, which needs NRIPS (CPUID Fn8000_000A_EDX[3]).
 * - Injected events are not subject to intercept checks, but an exception
 *   raised while delivering one is, and then EXITINTINFO (15.7.2) holds the
 *   injected event.
 * - VMRUN exits with VMEXIT_INVALID, no guest instruction run, for a
 *   reserved TYPE, TYPE 3 with a vector that is no exception (vector 2,
 *   vectors 32-255), or an event impossible in the guest's mode (#BR in
 *   64-bit mode); 15.5.1 lists illegal event injection among the
 *   consistency checks.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/desc.h"
#include "svm_test.h"

#define EVT_INTR_VEC	0x60
#define EVT_SOFT_VEC	0x61
#define EVT_LATE_VEC	0x62		/* beyond the shortened IDT */
#define EVT_CR2		0xdead0000ULL

/* What the guest's handler saw. */
static volatile struct nested_event got;

static void evt_handler(struct ex_regs *r)
{
	nested_event_record(&got, r);
}

static void evt_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = 1;
}

struct evt_row {
	const char *name;
	uint64_t type;
	int vec;		/* EVENTINJ.VECTOR */
	int seen;		/* the vector the guest's handler runs for */
	bool ev;
	uint32_t ec;
};

static const struct evt_row rows[] = {
#define R_INTR		0
	{ "INTR vector 0x60", SVM_EVTINJ_TYPE_INTR, EVT_INTR_VEC, EVT_INTR_VEC },
#define R_NMI		1
	{ "NMI (vector field 0x33)", SVM_EVTINJ_TYPE_NMI, 0x33, NMI_VECTOR },
#define R_UD		2
	{ "#UD exception", SVM_EVTINJ_TYPE_EXCP, UD_VECTOR, UD_VECTOR },
#define R_GP		3
	{ "#GP exception with error code 0x1234", SVM_EVTINJ_TYPE_EXCP, GP_VECTOR, GP_VECTOR,
	  true, 0x1234 },
#define R_PF		4
	{ "#PF exception with error code 5", SVM_EVTINJ_TYPE_EXCP, PF_VECTOR, PF_VECTOR, true, 5 },
#define R_SOFT		5
	{ "software interrupt 0x61", SVM_EVTINJ_TYPE_SOFT, EVT_SOFT_VEC, EVT_SOFT_VEC },
};

static handler_t evt_begin(int vec)
{
	memset((void *)&got, 0, sizeof(got));
	return install_exception_handler(vec, evt_handler);
}

static void evt_inject(struct nested_ctx *ctx, const struct evt_row *r)
{
	svm_inject_event(ctx->guest, r->type, r->vec, r->ev, r->ec);
}

/*
 * The handler's return address against @want (nRIP for a software interrupt,
 * else the VMCB's RIP), named after what it is, so a failure (and a
 * known-failure pin) reads the same whatever the image's layout.
 */
static void report_return_rip(const struct evt_row *r, uint64_t want, uint64_t vmcb_rip,
			      uint64_t got)
{
	bool soft = r->type == SVM_EVTINJ_TYPE_SOFT;
	char e[48] = "", a[48] = "";

	if (got != want) {
		snprintf(e, sizeof(e), "%s (%#lx)", soft ? "nRIP" : "the VMCB's RIP",
			 (unsigned long)want);
		if (got == vmcb_rip)
			snprintf(a, sizeof(a), "the VMCB's RIP (%#lx)", (unsigned long)got);
		else
			snprintf(a, sizeof(a), "%#lx", (unsigned long)got);
	}
	report_decoded(got == want, e, a, "the handler of the injected %s returns to %s",
		       r->name, soft ? "nRIP" : "the VMCB's RIP");
}

static void evt_run(struct nested_ctx *ctx)
{
	const struct evt_row *r = ctx->test->arg;
	struct vmcb *v = ctx->vmcb;
	handler_t old = evt_begin(r->seen);
	uint64_t rip = v->save.rip;

	evt_inject(ctx, r);
	v->save.cr2 = EVT_CR2;
	if (r->type == SVM_EVTINJ_TYPE_SOFT) {
		/* INTn returns to nRIP; the VMCB RIP would be VMMCALL at once. */
		v->save.rip = (uintptr_t)svm_guest_vmmcall;
		v->control.next_rip = rip;
	}
	nested_run(ctx);
	install_exception_handler(r->seen, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest with an injected %s runs to VMMCALL",
			r->name);
	report_eq(1, got.count, "injected %s is delivered once with the guest's IF=0", r->name);
	report_eq_x(r->seen, got.vector, "injected %s goes through IDT vector %#x", r->name,
		    r->seen);
	report_return_rip(r, rip, v->save.rip, got.rip);
	if (r->ev)
		report_eq_x(r->ec, got.error, "injected %s pushes its error code (EV=1)", r->name);
	if (r->vec == PF_VECTOR)
		report_eq_x(EVT_CR2, got.cr2, "injected %s leaves CR2 as the VMCB has it", r->name);
	report_eq(1, ctx->scratch[0], "guest runs its code after the injected %s", r->name);
	report_eq_x(0, v->control.exit_int_info & SVM_EVTINJ_VALID,
		    "EXITINTINFO is not valid after the injected %s was delivered", r->name);
}

#define EVT_TEST(id, row) SVM_TEST(id, .guest = evt_guest, .run = evt_run, .arg = &rows[row])

EVT_TEST(inject_intr, R_INTR)
EVT_TEST(inject_nmi, R_NMI)
EVT_TEST(inject_ud, R_UD)
EVT_TEST(inject_gp_error_code, R_GP)
EVT_TEST(inject_pf_cr2, R_PF)
EVT_TEST(inject_soft_int_nrip, R_SOFT)

/* Injected #UD with the #UD intercept set: delivered, no exit. */
static void not_intercepted_run(struct nested_ctx *ctx)
{
	handler_t old = evt_begin(UD_VECTOR);

	ctx->vmcb->control.intercept_exceptions = BIT(UD_VECTOR);
	evt_inject(ctx, &rows[R_UD]);
	nested_run(ctx);
	install_exception_handler(UD_VECTOR, old);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"injected #UD is not subject to the #UD intercept");
	report_eq(1, got.count, "injected #UD with its intercept set reaches the guest's handler");
}

SVM_TEST(inject_not_intercepted, .guest = evt_guest, .run = not_intercepted_run)

/*
 * An injected INTR whose IDT gate lies beyond the guest's IDT limit: the
 * delivery raises #GP(vector * 8 + IDT + EXT), which the #GP intercept
 * catches with the INTR in EXITINTINFO.
 */
static void secondary_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	handler_t old = evt_begin(EVT_LATE_VEC);

	v->control.intercept_exceptions = BIT(GP_VECTOR);
	v->save.idtr.limit = EVT_LATE_VEC * 16 - 1;
	svm_inject_event(ctx->guest, SVM_EVTINJ_TYPE_INTR, EVT_LATE_VEC, false, 0);
	nested_run(ctx);
	install_exception_handler(EVT_LATE_VEC, old);
	if (!svm_report_exit(ctx->guest, SVM_EXIT_EXCP(GP_VECTOR),
			     "#GP while delivering an injected INTR is intercepted"))
		return;
	report_eq_x(EVT_LATE_VEC << 3 | 3, v->control.exit_info_1,
		    "EXITINFO1 is the #GP error code: vector 0x62, IDT, EXT");
	report_eq_x(SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_INTR | EVT_LATE_VEC,
		    v->control.exit_int_info, "EXITINTINFO holds the injected INTR 0x62");
	report_eq(0, ctx->scratch[0], "the guest did not run");
}

SVM_TEST(inject_secondary_exception, .guest = evt_guest, .run = secondary_run)

/* ---- illegal injections: VMEXIT_INVALID ---- */

struct bad_evt {
	const char *what;
	uint64_t type;
	int vec;
};

/* A VMM that delivers the event anyway must not end the run: record it. */
static void bad_prepare(struct nested_ctx *ctx)
{
	const struct bad_evt *b = ctx->test->arg;

	ctx->data = evt_begin(b->vec);
	svm_inject_event(ctx->guest, b->type, b->vec, false, 0);
}

static void bad_check(struct nested_ctx *ctx)
{
	const struct bad_evt *b = ctx->test->arg;

	install_exception_handler(b->vec, ctx->data);
	/* Two checks, as in vmrun.c: EXITCODE[31:0], then all 64 bits. */
	report_eq_x(0xffffffff, (uint32_t)ctx->vmcb->control.exit_code,
		    "VMRUN injecting %s fails (EXITCODE[31:0] = -1)", b->what);
	svm_report_exit(ctx->guest, SVM_EXIT_INVALID, "VMRUN injecting %s exits with "
			"VMEXIT_INVALID (-1 in all 64 bits)", b->what);
	report_eq(0, got.count, "%s is not delivered to the guest", b->what);
	report_eq(0, ctx->scratch[0], "guest with an injected %s does not run", b->what);
	nested_check_host_state(ctx, "an illegal injection");
}

#define BAD_EVT(id, w, t, v)								\
	static const struct bad_evt id##_evt = { w, (uint64_t)(t) << 8, v };		\
	SVM_TEST(id, .guest = evt_guest, .prepare = bad_prepare, .check = bad_check,	\
		 .arg = &id##_evt)

BAD_EVT(inject_bad_type1, "reserved TYPE 1", 1, 0x40)
BAD_EVT(inject_bad_type5, "reserved TYPE 5", 5, 0x40)
BAD_EVT(inject_bad_type7, "reserved TYPE 7", 7, 0x40)
BAD_EVT(inject_bad_excp_nmi, "an exception with vector 2 (NMI)", 3, NMI_VECTOR)
BAD_EVT(inject_bad_excp_vec32, "an exception with vector 32", 3, 32)
BAD_EVT(inject_bad_excp_vec255, "an exception with vector 255", 3, 255)
BAD_EVT(inject_bad_br_64bit, "#BR into a 64-bit guest", 3, BR_VECTOR)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(inject_intr, svm_needs),
	SUBTEST_NEEDS(inject_nmi, svm_needs),
	SUBTEST_NEEDS(inject_ud, svm_needs),
	SUBTEST_NEEDS(inject_gp_error_code, svm_needs),
	SUBTEST_NEEDS(inject_pf_cr2, svm_needs),
	SUBTEST_NEEDS(inject_soft_int_nrip, svm_needs_nrips),
	SUBTEST_NEEDS(inject_not_intercepted, svm_needs),
	SUBTEST_NEEDS(inject_secondary_exception, svm_needs),
	SUBTEST_NEEDS(inject_bad_type1, svm_needs),
	SUBTEST_NEEDS(inject_bad_type5, svm_needs),
	SUBTEST_NEEDS(inject_bad_type7, svm_needs),
	SUBTEST_NEEDS(inject_bad_excp_nmi, svm_needs),
	SUBTEST_NEEDS(inject_bad_excp_vec32, svm_needs),
	SUBTEST_NEEDS(inject_bad_excp_vec255, svm_needs),
	SUBTEST_NEEDS(inject_bad_br_64bit, svm_needs),
};

NESTED_TABLE(svm_evtinj_tests, tests);
