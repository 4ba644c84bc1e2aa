// SPDX-License-Identifier: MIT
/*
 * TSC offset, shutdown, task switches and LBR virtualization (AMD APM
 * vol. 2):
 * - 15.5.1 (control bits): TSC_OFFSET is added to what the guest reads from
 *   the TSC: RDTSC, RDTSCP and RDMSR of TSC (15.30.5 gives the formula);
 *   #VMEXIT clears it (15.6), so the host reads its own TSC again. Reads
 *   on one CPU are monotonic, so host reads T0 before VMRUN and T1 after
 *   #VMEXIT bound every guest read G: T0 + offset <= G <= T1 + offset.
 * - 15.14.3 shutdown intercept: a guest triple fault (here #UD with an
 *   empty IDT: #GP, then #DF, then shutdown) exits with VMEXIT_SHUTDOWN
 *   (0x7f) and the host goes on. 15.12 and 15.7.3: exceptions met on the
 *   way are checked against the intercepts first (#GP, with the #UD in
 *   EXITINTINFO), then #DF.
 * - 15.14.1 task switch intercept: a far JMP or CALL to a TSS, or an IRET
 *   with NT, exits with VMEXIT_TASK_SWITCH (0x7d) before the switch:
 *   EXITINFO1[15:0] is the incoming TSS selector, EXITINFO2 bit 36 IRET,
 *   bit 38 far JMP, bit 44 an error code to push. Task switches exist in
 *   legacy mode only, so this guest runs in 32-bit protected mode without
 *   paging, with its own GDT.
 * - 15.23 LBR virtualization (CPUID Fn8000_000A_EDX[1]): with
 *   LBR_VIRTUALIZATION_ENABLE, VMRUN loads the guest's DebugCtl and LBR
 *   MSRs from the VMCB and #VMEXIT saves them there and restores the
 *   host's.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "svm_test.h"

/* Run g on the test's CPU with @fn around it (host-side reads). */
struct on_guest_cpu {
	struct svm_guest *g;
	void (*before)(void *data), (*after)(void *data);
	void *data;
};

static void run_there(void *arg)
{
	struct on_guest_cpu *o = arg;

	if (o->before)
		o->before(o->data);
	svm_run(o->g);
	if (o->after)
		o->after(o->data);
}

static void run_on(int cpu, struct on_guest_cpu *o)
{
	on_cpu(cpu, run_there, o);
}

/* ---- TSC offset ---- */

struct tsc_data {
	struct vmcb *vmcb;
	bool negative;
	uint64_t t0, t1, offset;
};

static void tsc_guest(struct nested_ctx *ctx)
{
	uint32_t aux;

	ctx->scratch[0] = rdtsc();
	if (this_cpu_has(X86_FEATURE_RDTSCP))
		ctx->scratch[1] = rdtscp(&aux);
	ctx->scratch[2] = rdmsr(MSR_IA32_TSC);
}

/* A negative offset of half the current TSC: no wrap-around on either side. */
static void tsc_before(void *arg)
{
	struct tsc_data *d = arg;

	d->t0 = rdtsc();
	if (d->negative)
		d->offset = -(d->t0 / 2);
	d->vmcb->control.tsc_offset = d->offset;
}

static void tsc_after(void *arg)
{
	struct tsc_data *d = arg;

	d->t1 = rdtsc();
}

static void tsc_run(struct nested_ctx *ctx)
{
	struct tsc_data d = { .vmcb = ctx->vmcb, .negative = ctx->test->arg != NULL,
			      .offset = 1ULL << 40 };
	struct on_guest_cpu o = { ctx->guest, tsc_before, tsc_after, &d };
	static const char *const how[] = { "RDTSC", "RDTSCP", "RDMSR of TSC" };
	const char *sign = d.negative ? "negative" : "positive";

	run_on(ctx->cpu, &o);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest reading the TSC (%s offset) runs "
			"to VMMCALL", sign);
	for (int i = 0; i < 3; i++) {
		uint64_t g = ctx->scratch[i];

		if (i == 1 && !this_cpu_has(X86_FEATURE_RDTSCP))
			continue;
		report_in_range_x(d.t0 + d.offset, d.t1 + d.offset, g,
				  "guest %s with a %s TSC_OFFSET is the host TSC plus the offset",
				  how[i], sign);
	}
	/*
	 * A negative offset left in place would put T1 below T0, a positive one
	 * (2^40) at least 2^40 above it: more than 100 s of TSC at up to 10 GHz,
	 * longer than the whole run is allowed to take (the runner's timeout).
	 */
	report_in_range_x(d.t0, d.negative ? UINT64_MAX : d.t0 + d.offset - 1, d.t1,
			  "the host's TSC after #VMEXIT (%s offset) is not offset", sign);
}

SVM_TEST(tsc_offset_positive, .guest = tsc_guest, .run = tsc_run)
SVM_TEST(tsc_offset_negative, .guest = tsc_guest, .run = tsc_run, .arg = "negative")

/* ---- triple fault: #UD with an empty IDT ---- */

static void ud_guest(struct nested_ctx *ctx)
{
	asm volatile("ud2");
}

static void mark(void *arg)
{
	*(uint64_t *)arg = 0x5a5a;
}

/* After the shutdown the host still works: a new guest runs on that CPU. */
static void check_host_goes_on(struct nested_ctx *ctx)
{
	uint64_t marker = 0;
	struct on_guest_cpu o = { svm_guest_create(mark, &marker) };

	run_on(ctx->cpu, &o);
	svm_report_exit(o.g, SVM_EXIT_VMMCALL, "a new guest runs on the CPU after the shutdown");
	report_eq_x(0x5a5a, marker, "the new guest's code ran");
	svm_guest_free(o.g);
}

static void triple_run(struct nested_ctx *ctx)
{
	struct vmcb_control *c = &ctx->vmcb->control;
	unsigned int intercept = (uintptr_t)ctx->test->arg;

	ctx->vmcb->save.idtr.limit = 0;
	c->intercept_exceptions = intercept;
	nested_run(ctx);
	if (!intercept) {
		svm_report_exit(ctx->guest, SVM_EXIT_SHUTDOWN,
				"guest triple fault exits with VMEXIT_SHUTDOWN");
		nested_check_host_state(ctx, "VMEXIT_SHUTDOWN");
		check_host_goes_on(ctx);
	} else if (intercept == BIT(DF_VECTOR)) {
		svm_report_exit(ctx->guest, SVM_EXIT_EXCP(DF_VECTOR),
				"guest double fault with the #DF intercept exits with it");
	} else if (svm_report_exit(ctx->guest, SVM_EXIT_EXCP(GP_VECTOR), "#GP delivering a #UD "
				   "with the #GP and #DF intercepts exits with #GP")) {
		/* EXT (bit 0) for an exception during an exception: vendors differ. */
		report_eq_x(UD_VECTOR << 3 | 2, c->exit_info_1 & ~1ULL,
			    "EXITINFO1 is #GP(IDT vector 6)");
		report_eq_x(SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXCP | UD_VECTOR, c->exit_int_info,
			    "EXITINTINFO holds the #UD being delivered");
	}
}

SVM_TEST(triple_fault_shutdown, .guest = ud_guest, .run = triple_run)
SVM_TEST(triple_fault_df_intercept, .guest = ud_guest, .run = triple_run,
	 .arg = (void *)BIT(DF_VECTOR))
SVM_TEST(triple_fault_gp_intercept, .guest = ud_guest, .run = triple_run,
	 .arg = (void *)(BIT(GP_VECTOR) | BIT(DF_VECTOR)))

/* ---- task switch intercept: a 32-bit protected-mode guest ---- */

#define TS_CS		0x08
#define TS_DS		0x10
#define TS_TSS_CUR	0x18		/* busy: the guest's TR */
#define TS_TSS_NEW	0x20		/* available: JMP/CALL target */
#define TS_TSS_BACK	0x28		/* busy: the IRET target (back link) */

extern char ts_jmp[], ts_call[], ts_iret[];
asm(".pushsection .text\n"
	".code32\n"
	"ts_jmp: ljmp $0x20, $0\n\tud2\n"
	"ts_call: lcall $0x20, $0\n\tud2\n"
	"ts_iret: iret\n\tud2\n"
	".code64\n"
	".popsection");

struct ts_row {
	const char *how;
	char *insn;
	uint16_t target;
	uint64_t info2;			/* EXITINFO2[63:32] flags expected */
};

static const struct ts_row ts_rows[] = {
	{ "far JMP", ts_jmp, TS_TSS_NEW, BIT_ULL(38) },
	{ "far CALL", ts_call, TS_TSS_NEW, 0 },
	{ "IRET with NT", ts_iret, TS_TSS_BACK, BIT_ULL(36) },
};

static uint64_t tss_desc(uintptr_t base, int type)
{
	return 0x67 | (base & 0xffffff) << 16 | (uint64_t)(0x80 | type) << 40 |
	       (uint64_t)(base >> 24 & 0xff) << 56;
}

/* GDT, three TSSs and a stack in one page below 4 GiB. */
static void ts_legacy_guest(struct vmcb_save *s, uint8_t *page, uintptr_t rip, bool nt)
{
	uint64_t *gdt = (uint64_t *)page;
	uintptr_t tss = (uintptr_t)page + 0x100;

	gdt[TS_CS / 8] = 0x00cf9b000000ffffULL;
	gdt[TS_DS / 8] = 0x00cf93000000ffffULL;
	gdt[TS_TSS_CUR / 8] = tss_desc(tss, 0xb);
	gdt[TS_TSS_NEW / 8] = tss_desc(tss + 0x100, 0x9);
	gdt[TS_TSS_BACK / 8] = tss_desc(tss + 0x200, 0xb);
	*(uint32_t *)tss = TS_TSS_BACK;			/* back link */
	s->efer = EFER_SVME;
	s->cr0 = X86_CR0_PE | X86_CR0_ET;
	s->cr4 = 0;
	s->cs = (struct vmcb_seg){ TS_CS, 0xc9b, 0xffffffff, 0 };
	s->ss = s->ds = s->es = (struct vmcb_seg){ TS_DS, 0xc93, 0xffffffff, 0 };
	s->fs = s->gs = s->ldtr = (struct vmcb_seg){ 0 };
	s->tr = (struct vmcb_seg){ TS_TSS_CUR, 0x08b, 0x67, tss };
	s->gdtr = (struct vmcb_seg){ .limit = 0x2f, .base = (uintptr_t)gdt };
	s->idtr = (struct vmcb_seg){ 0 };		/* any exception: shutdown */
	s->rflags = 0x2 | (nt ? BIT(14) : 0);
	s->rip = rip;
	s->rsp = (uintptr_t)page + PAGE_SIZE;
}

static void task_switch_run(struct nested_ctx *ctx)
{
	const struct ts_row *r = ctx->test->arg;
	uint8_t *page = alloc_zeroed_page();
	struct vmcb *v = ctx->vmcb;

	ts_legacy_guest(&v->save, page, (uintptr_t)r->insn, r->insn == ts_iret);
	vmcb_set_intercept(v, SVM_INTERCEPT_TASK_SWITCH);
	nested_run(ctx);
	if (svm_report_exit(ctx->guest, SVM_EXIT_TASK_SWITCH,
			    "%s to a TSS with the task switch intercept exits", r->how)) {
		report_eq_x(r->target, v->control.exit_info_1 & 0xffff,
			    "EXITINFO1 of the %s task switch is the incoming TSS selector", r->how);
		report_eq_x(r->info2, v->control.exit_info_2 & (BIT_ULL(36) | BIT_ULL(38) |
			    BIT_ULL(44)), "EXITINFO2 of the %s task switch: IRET (36), JMP (38), "
			    "no error code (44)", r->how);
		report_eq_x((uintptr_t)r->insn, v->save.rip,
			    "VMCB RIP at the %s task switch is the instruction", r->how);
		report_eq_x(TS_TSS_CUR, v->save.tr.selector,
			    "the intercepted %s leaves TR at the outgoing task", r->how);
	}
	free_page(page);
}

SVM_TEST(task_switch_jmp, .run = task_switch_run, .arg = &ts_rows[0])
SVM_TEST(task_switch_call, .run = task_switch_run, .arg = &ts_rows[1])
SVM_TEST(task_switch_iret, .run = task_switch_run, .arg = &ts_rows[2])

/* ---- LBR virtualization ---- */

/*
 * scratch[1]: DebugCtl as the guest reads it, scratch[2]: what that RDMSR
 * raised, scratch[3]: what its WRMSR of 0 raised. The JMP is the last
 * branch recorded: DebugCtl.LBR is clear from the WRMSR on.
 */
extern char lbr_branch[], lbr_target[];

static __attribute__((noinline, noclone)) void lbr_guest(struct nested_ctx *ctx)
{
	uint64_t v = 0;

	ctx->scratch[2] = rdmsr_safe(MSR_IA32_DEBUGCTL, &v);
	ctx->scratch[1] = v;
	asm volatile(".globl lbr_branch\nlbr_branch: jmp lbr_target\n\tud2\n"
		     ".globl lbr_target\nlbr_target:" : : : "memory");
	ctx->scratch[3] = wrmsr_safe(MSR_IA32_DEBUGCTL, 0);
}

struct lbr_data {
	uint64_t before, after;
	exinfo_t ex;
};

static void lbr_before(void *arg)
{
	struct lbr_data *d = arg;

	d->ex = rdmsr_safe(MSR_IA32_DEBUGCTL, &d->before);
}

static void lbr_after(void *arg)
{
	struct lbr_data *d = arg;

	if (!d->ex)
		d->ex = rdmsr_safe(MSR_IA32_DEBUGCTL, &d->after);
}

static void lbr_run(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;
	struct lbr_data d = { 0 };
	struct on_guest_cpu o = { ctx->guest, lbr_before, lbr_after, &d };

	v->control.virt_ext |= SVM_VIRT_EXT_LBR;
	v->save.dbgctl = DEBUGCTL_LBR;
	v->save.br_from = v->save.br_to = 0;
	run_on(ctx->cpu, &o);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "LBR-virtualized guest runs to VMMCALL");
	report_exc(0, ctx->scratch[2], "the guest's RDMSR of DebugCtl raises nothing");
	report_eq_x(DEBUGCTL_LBR, ctx->scratch[1],
		    "the guest's RDMSR of DebugCtl returns the VMCB's DBGCTL");
	report_exc(0, ctx->scratch[3], "the guest's WRMSR of 0 to DebugCtl raises nothing");
	report_eq_x(0, v->save.dbgctl, "#VMEXIT saves the guest's DebugCtl (0 from its WRMSR)");
	report_eq_x((uintptr_t)lbr_branch, v->save.br_from,
		    "#VMEXIT saves the guest's LastBranchFromIP (its JMP)");
	report_eq_x((uintptr_t)lbr_target, v->save.br_to,
		    "#VMEXIT saves the guest's LastBranchToIP (the JMP's target)");
	report_exc(0, d.ex, "the host's RDMSR of DebugCtl raises nothing");
	report_eq_x(d.before, d.after, "the host's DebugCtl is back after #VMEXIT");
}

static const char *needs_lbrv(void)
{
	const char *r = svm_needs();

	return r ? r : svm_caps()->lbrv ? NULL : "SVM LBR virtualization not supported";
}

SVM_TEST(lbr_virtualization, .guest = lbr_guest, .run = lbr_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(tsc_offset_positive, svm_needs),
	SUBTEST_NEEDS(tsc_offset_negative, svm_needs),
	SUBTEST_NEEDS(triple_fault_shutdown, svm_needs),
	SUBTEST_NEEDS(triple_fault_df_intercept, svm_needs),
	SUBTEST_NEEDS(triple_fault_gp_intercept, svm_needs),
	SUBTEST_NEEDS(task_switch_jmp, svm_needs),
	SUBTEST_NEEDS(task_switch_call, svm_needs),
	SUBTEST_NEEDS(task_switch_iret, svm_needs),
	SUBTEST_NEEDS(lbr_virtualization, needs_lbrv),
};

NESTED_TABLE(svm_misc_tests, tests);
