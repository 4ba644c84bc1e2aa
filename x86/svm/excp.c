// SPDX-License-Identifier: MIT
/*
 * Exception intercepts (AMD APM vol. 2), one table row per exception:
 * - 15.12: with bit v of the exception intercept vector (VMCB 008h) set, a
 *   guest exception v exits with VMEXIT_EXCP_v (0x40 + v) before it is
 *   delivered: no frame is pushed, the guest's handler does not run. The
 *   saved CS:RIP is what the exception would have pushed (the instruction
 *   for faults, the next one for traps), except for INT3 (15.12.4), whose
 *   own RIP is saved. EXITINFO1 holds the error code of #GP, #PF and #AC
 *   (15.12.14, .15, .17); for #PF, EXITINFO2 holds the faulting address
 *   and the intercept comes before CR2 is written (15.12.15). #DB writes
 *   DR6 before the intercept (15.12.2).
 * - 15.7.1: nRIP is saved for the INT3 exception (with NRIPS).
 * - 15.7.2 and 15.7.3: EXITINTINFO is valid only when the intercept hit
 *   during the delivery of another event, and then describes that event.
 * - Without the intercept the exception is delivered in the guest (its
 *   handler: lib's exception table, through the guest's IDT).
 * The #AC row runs the guest at CPL3 (VMCB CPL and CS/SS from the user
 * GDT entries) with CR0.AM and RFLAGS.AC set.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/cr.h"
#include "asm/desc.h"
#include "svm_test.h"

#define CR2_MARKER	0xc2c2c2c2000ULL	/* the guest CR2 loaded by VMRUN */
#define PF_READ_ADDR	0x18UL			/* in page 0, which is not mapped */
#define PF_WRITE_ADDR	0x20UL

static uint8_t ac_buf[16] __aligned(16);
static uint8_t *ro_page;			/* read-only for the #PF protection row */

/*
 * The guest side of a row: @insn inside ASM_TRY between the global labels
 * x_<id> and x_<id>_end; scratch[2] gets the exception the guest took,
 * scratch[1] is set once the guest got past it.
 */
#define EXCP_GUEST(id, insn, ...)						\
	extern char x_##id[], x_##id##_end[];					\
	static __attribute__((noinline, noclone)) void g_##id(struct nested_ctx *c)	\
	{									\
		DECLARE_EXINFO(ex);						\
		uint64_t a = 0, cx = 0, d = 0, di = 0;				\
										\
		__VA_ARGS__;							\
		asm volatile(ASM_TRY(".globl x_" #id "\nx_" #id ":\n\t" insn	\
				     "\n.globl x_" #id "_end\nx_" #id "_end:")	\
			     : "+r"(ex), "+a"(a), "+c"(cx), "+d"(d), "+D"(di)	\
			     : : "memory");					\
		c->scratch[2] = ex;						\
		c->scratch[1] = 1;						\
	}

EXCP_GUEST(de, "divq %%rcx", a = 1)
EXCP_GUEST(db_tf, "pushf\n\torq $0x100, (%%rsp)\n\tpopf\n\tnop")
EXCP_GUEST(db_bkpt, "nop")
EXCP_GUEST(bp, "int3")
EXCP_GUEST(ud, "ud2")
EXCP_GUEST(pf_read, "mov (%%rdi), %%rax", di = PF_READ_ADDR)
EXCP_GUEST(pf_write, "mov %%rax, (%%rdi)", di = PF_WRITE_ADDR)
EXCP_GUEST(pf_prot, "mov %%rax, (%%rdi)", di = (uintptr_t)ro_page + 8)
EXCP_GUEST(ac, "movl (%%rdi), %%eax", di = (uintptr_t)ac_buf + 1)
EXCP_GUEST(gp, "lldt %%cx", cx = 0xfff8)

struct excp_row {
	const char *name;		/* "#UD from UD2" */
	int vec;
	void (*guest)(struct nested_ctx *ctx);
	char *insn, *end;		/* x_<id>, x_<id>_end */
	bool trap;			/* saved RIP: @end instead of @insn */
	bool has_ec;
	uint32_t ec;
	uint64_t pf_addr;		/* #PF: EXITINFO2 */
	uint64_t dr6;			/* #DB: DR6 bits set before the intercept */
	bool native;			/* also run without the intercept */
	void (*setup)(struct nested_ctx *ctx, bool on);
};

/* The instruction breakpoint: DR0 on the guest's CPU, DR7 in the VMCB. */
static void set_dr0(void *addr)
{
	write_dr0((uintptr_t)addr);
}

static void db_bkpt_setup(struct nested_ctx *ctx, bool on)
{
	on_cpu(ctx->cpu, set_dr0, on ? x_db_bkpt : NULL);
	ctx->vmcb->save.dr7 = on ? 0x401 : 0x400;	/* L0, execute, 1 byte */
}

static void pf_prot_setup(struct nested_ctx *ctx, bool on)
{
	if (on) {
		ro_page = alloc_zeroed_page();
		pt_protect((uintptr_t)ro_page, PAGE_SIZE, PT_R | PT_USER);
		ctx->vmcb->save.cr0 |= X86_CR0_WP;
	} else {
		pt_protect((uintptr_t)ro_page, PAGE_SIZE, PT_RWX | PT_USER);
		free_page(ro_page);
	}
}

/* CPL3 with CR0.AM and RFLAGS.AC: the 64-bit user code and data segments. */
static void ac_setup(struct nested_ctx *ctx, bool on)
{
	struct vmcb_save *s = &ctx->vmcb->save;

	if (!on)
		return;
	s->cpl = 3;
	s->cs = (struct vmcb_seg){ USER_CS | 3, 0x2fb, 0xffffffff, 0 };	/* P DPL3 code, L */
	s->ss = (struct vmcb_seg){ USER_DS | 3, 0xcf3, 0xffffffff, 0 };	/* P DPL3 data, D G */
	s->cr0 |= X86_CR0_AM;
	s->rflags |= X86_EFLAGS_AC;
}

#define ROW(n, v, id, ...)							\
	{ .name = n, .vec = v, .guest = g_##id, .insn = x_##id, .end = x_##id##_end,	\
	  __VA_ARGS__ }

static const struct excp_row rows[] = {
#define R_DE		0
	ROW("#DE from DIV by zero", DE_VECTOR, de, .native = true),
#define R_DB_TF		1
	ROW("#DB trap from RFLAGS.TF", DB_VECTOR, db_tf, .trap = true, .dr6 = DR6_BS),
#define R_DB_BKPT	2
	ROW("#DB fault from an instruction breakpoint", DB_VECTOR, db_bkpt, .dr6 = DR6_B(0),
	    .native = true, .setup = db_bkpt_setup),
#define R_BP		3
	ROW("#BP from INT3", BP_VECTOR, bp, .native = true),
#define R_UD		4
	ROW("#UD from UD2", UD_VECTOR, ud, .native = true),
#define R_PF_READ	5
	ROW("#PF from a read of a not-present page", PF_VECTOR, pf_read, .has_ec = true,
	    .ec = 0, .pf_addr = PF_READ_ADDR, .native = true),
#define R_PF_WRITE	6
	ROW("#PF from a write to a not-present page", PF_VECTOR, pf_write, .has_ec = true,
	    .ec = 2, .pf_addr = PF_WRITE_ADDR, .native = true),
#define R_PF_PROT	7
	ROW("#PF from a write to a read-only page", PF_VECTOR, pf_prot, .has_ec = true,
	    .ec = 3, .native = true, .setup = pf_prot_setup),
#define R_AC		8
	ROW("#AC from a misaligned load at CPL3", AC_VECTOR, ac, .has_ec = true, .ec = 0,
	    .setup = ac_setup),
#define R_GP		9
	ROW("#GP from LLDT beyond the GDT limit", GP_VECTOR, gp, .has_ec = true,
	    .ec = 0xfff8, .native = true),
};

static uint64_t pf_addr(const struct excp_row *r)
{
	return r == &rows[R_PF_PROT] ? (uintptr_t)ro_page + 8 : r->pf_addr;
}

static void check_intercepted(struct nested_ctx *ctx, const struct excp_row *r)
{
	struct vmcb *v = ctx->vmcb;
	struct vmcb_control *c = &v->control;

	if (r->vec == AC_VECTOR)
		report_eq(3, v->save.cpl, "the guest of the %s ran at CPL3", r->name);
	if (!svm_report_exit(ctx->guest, SVM_EXIT_EXCP(r->vec), "%s with its intercept set exits",
			     r->name))
		return;
	report_eq_x((uintptr_t)(r->trap ? r->end : r->insn), v->save.rip,
		    "VMCB RIP at the intercepted %s is the one the exception would push", r->name);
	nested_report_not_delivered(ctx, "intercepted %s is not delivered to the guest", r->name);
	report_eq_x(0, c->exit_int_info & SVM_EVTINJ_VALID,
		    "EXITINTINFO is not valid for the intercepted %s", r->name);
	if (r->has_ec)
		report_eq_x(r->ec, c->exit_info_1,
			    "EXITINFO1 of the intercepted %s is its error code", r->name);
	if (r->vec == PF_VECTOR) {
		report_eq_x(pf_addr(r), c->exit_info_2,
			    "EXITINFO2 of the intercepted %s is the faulting address", r->name);
		report_eq_x(CR2_MARKER, v->save.cr2, "intercepted %s leaves the guest's CR2 alone",
			    r->name);
	}
	if (r->dr6)
		report_eq_x(r->dr6, v->save.dr6 & r->dr6,
			    "intercepted %s has written the guest's DR6 first", r->name);
	if (r->vec == BP_VECTOR && svm_caps()->nrips)
		report_eq_x((uintptr_t)r->end, c->next_rip,
			    "nRIP at the intercepted %s is the next instruction's address",
			    r->name);
}

static void check_native(struct nested_ctx *ctx, const struct excp_row *r)
{
	struct vmcb *v = ctx->vmcb;

	v->control.intercept_exceptions = 0;
	ctx->scratch[1] = ctx->scratch[2] = 0;
	nested_restart(ctx);
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"%s with its intercept clear is handled in the guest up to VMMCALL",
			r->name);
	report_exc(EXINFO(r->vec, r->ec), ctx->scratch[2], "%s without an intercept is delivered "
		   "to the guest", r->name);
	if (r->vec == PF_VECTOR)
		report_eq_x(pf_addr(r), v->save.cr2, "%s delivered in the guest writes its CR2",
			    r->name);
}

static void excp_run(struct nested_ctx *ctx)
{
	const struct excp_row *r = ctx->test->arg;
	struct vmcb *v = ctx->vmcb;

	if (r->setup)
		r->setup(ctx, true);
	v->control.intercept_exceptions = BIT(r->vec);
	v->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	v->save.cr2 = CR2_MARKER;
	v->save.dr6 = DR6_INIT;		/* no status bit yet: the #DB rows must set theirs */
	nested_run(ctx);
	check_intercepted(ctx, r);
	if (r->native)
		check_native(ctx, r);
	if (r->setup)
		r->setup(ctx, false);
}

static void excp_row_guest(struct nested_ctx *ctx)
{
	((const struct excp_row *)ctx->test->arg)->guest(ctx);
}

#define EXCP_TEST(id, row)	\
	SVM_TEST(id, .guest = excp_row_guest, .run = excp_run, .arg = &rows[row])

EXCP_TEST(excp_de, R_DE)
EXCP_TEST(excp_db_trap, R_DB_TF)
EXCP_TEST(excp_db_fault, R_DB_BKPT)
EXCP_TEST(excp_bp, R_BP)
EXCP_TEST(excp_ud, R_UD)
EXCP_TEST(excp_pf_read, R_PF_READ)
EXCP_TEST(excp_pf_write, R_PF_WRITE)
EXCP_TEST(excp_pf_prot, R_PF_PROT)
EXCP_TEST(excp_ac, R_AC)
EXCP_TEST(excp_gp, R_GP)

/*
 * An intercepted #PF while the guest delivers a #UD: its stack is at the
 * top of page 0 (not mapped), so pushing the #UD frame faults. The #PF
 * exits with EXITINTINFO describing the #UD (15.7.2).
 */
void nostack_guest(void);
extern char nostack_ud2[];
asm(".pushsection .text\n"
	"nostack_guest:\n\t"
	"mov $0x1000, %rsp\n"
	"nostack_ud2:\n\t"
	"ud2\n\t"
	".popsection");

static void delivery_prepare(struct nested_ctx *ctx)
{
	ctx->vmcb->control.intercept_exceptions = BIT(PF_VECTOR);
	ctx->vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	ctx->vmcb->save.rip = (uintptr_t)nostack_guest;
}

static void delivery_check(struct nested_ctx *ctx)
{
	struct vmcb_control *c = &ctx->vmcb->control;
	uint64_t info2 = c->exit_info_2;

	if (!svm_report_exit(ctx->guest, SVM_EXIT_EXCP(PF_VECTOR),
			     "#PF pushing a #UD frame exits with the #PF intercept"))
		return;
	report_eq_x(SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXCP | UD_VECTOR, c->exit_int_info,
		    "EXITINTINFO holds the #UD being delivered (valid, exception, 6, no EV)");
	report_eq_x(2, c->exit_info_1, "EXITINFO1 is #PF(W) for the frame push");
	/* A 64-bit frame is five quadwords below the 16-byte aligned RSP 0x1000. */
	report_in_range_x(0x1000 - 40, 0xfff, info2,
			  "EXITINFO2 is in the #UD frame below RSP 0x1000");
	report_eq_x((uintptr_t)nostack_ud2, ctx->vmcb->save.rip,
		    "VMCB RIP is the UD2 whose #UD was being delivered");
}

SVM_TEST(excp_during_delivery, .prepare = delivery_prepare, .check = delivery_check)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(excp_de, svm_needs),
	SUBTEST_NEEDS(excp_db_trap, svm_needs),
	SUBTEST_NEEDS(excp_db_fault, svm_needs),
	SUBTEST_NEEDS(excp_bp, svm_needs),
	SUBTEST_NEEDS(excp_ud, svm_needs),
	SUBTEST_NEEDS(excp_pf_read, svm_needs),
	SUBTEST_NEEDS(excp_pf_write, svm_needs),
	SUBTEST_NEEDS(excp_pf_prot, svm_needs),
	SUBTEST_NEEDS(excp_ac, svm_needs),
	SUBTEST_NEEDS(excp_gp, svm_needs),
	SUBTEST_NEEDS(excp_during_delivery, svm_needs),
};

NESTED_TABLE(svm_excp_tests, tests);
