// SPDX-License-Identifier: MIT
/*
 * Control and debug register intercepts (AMD APM vol. 2):
 * - 15.9, table 15-7: with the read or write intercept of CRn or DRn set
 *   (VMCB 000h: CR reads bits 15:0, writes 31:16; 004h the same for DRs),
 *   MOV from/to the register exits with VMEXIT_CRn_READ (0x00 + n),
 *   CRn_WRITE (0x10 + n), DRn_READ (0x20 + n), DRn_WRITE (0x30 + n)
 *   before the register changes, the VMCB RIP at the instruction and, with
 *   NRIPS (15.7.1), nRIP after it. SMSW checks the CR0 read intercept,
 *   LMSW and CLTS the CR0 write intercept.
 * - 15.8.1 decode assists: EXITINFO1 bits 3:0 hold the GPR operand of a MOV
 *   CRx/DRx and bit 63 is set for MOV CRx; for SMSW, LMSW and CLTS bit 63
 *   is clear.
 * - Table 15-7, selective CR0 write intercept (vector 3 bit 5,
 *   VMEXIT_CR0_SEL_WRITE 0x65): MOV to CR0 exits only when a bit other than
 *   CR0.TS and CR0.MP changes; CLTS never checks it; LMSW always exits; with
 *   the plain CR0 write intercept also set, that one takes priority.
 * - 15.5.1 / 15.21.2: without the intercepts the guest reads and writes its
 *   own CR0/CR2/CR3/CR4/DR6/DR7, which VMRUN loads from the VMCB and
 *   #VMEXIT saves there; with V_INTR_MASKING, CR8 is V_TPR.
 * The host emulates intercepted reads by writing the guest's GPR and
 * writes by updating the VMCB, then resumes after the instruction.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/cr.h"
#include "svm_test.h"

/* GPR numbers as in ModRM/REX (0 RAX ... 15 R15) to struct svm_gprs slots. */
static const int gpr_slot[16] = {
	-1, SVM_RCX, SVM_RDX, SVM_RBX, -1, SVM_RBP, SVM_RSI, SVM_RDI,
	SVM_R8, SVM_R9, SVM_R10, SVM_R11, SVM_R12, SVM_R13, SVM_R14, SVM_R15,
};

/* RAX and RSP live in the VMCB, the others in g->gprs. */
static void gpr_set(struct svm_guest *g, int n, uint64_t val)
{
	if (n == 0)
		g->vmcb.save.rax = val;
	else if (n == 4)
		g->vmcb.save.rsp = val;
	else
		((uint64_t *)&g->gprs)[gpr_slot[n]] = val;
}

static uint64_t gpr_get(struct svm_guest *g, int n)
{
	return n == 0 ? g->vmcb.save.rax : n == 4 ? g->vmcb.save.rsp :
	       ((uint64_t *)&g->gprs)[gpr_slot[n]];
}

static bool rip_at(struct vmcb *v, const uint8_t *bytes, size_t len)
{
	return !memcmp((void *)v->save.rip, bytes, len);
}

/* ---- MOV CRn, SMSW, LMSW, CLTS: one table row per instruction ---- */

struct cr_row {
	const char *name;		/* "MOV from CR3" */
	int cr;
	bool write;
	int gpr;			/* GPR operand of a MOV, -1 for the others */
	uint64_t toggle;		/* what the guest changes (MOV rows) */
	void (*guest)(struct nested_ctx *ctx);
	uint8_t len, bytes[4];
};

#define CR8_VALUE	5		/* what the guests write to CR8 (toggle of 0) */
#define READ_MARKER	0x5eadc0de1234ULL	/* what the host's emulated read returns */

/* scratch[1]: what the guest read, after the instruction. */
#define CR_READ_GUEST(name, cr, reg)						\
	static void name(struct nested_ctx *c)				\
	{									\
		register uint64_t v asm(reg) = 0;				\
										\
		asm volatile("mov %%" cr ", %0" : "+r"(v) : : "memory");	\
		c->scratch[1] = v;						\
	}

/* Writes CRn ^ toggle from @reg, then reads CRn back into scratch[1]. */
#define CR_WRITE_GUEST(name, cr, reg, toggle)					\
	static void name(struct nested_ctx *c)				\
	{									\
		register uint64_t v asm(reg);					\
		uint64_t old;							\
										\
		asm volatile("mov %%" cr ", %0" : "=r"(old));			\
		v = old ^ (toggle);						\
		asm volatile("mov %0, %%" cr : : "r"(v) : "memory");		\
		asm volatile("mov %%" cr ", %0" : "=r"(old) : : "memory");	\
		c->scratch[1] = old;						\
	}

CR_READ_GUEST(g_rd_cr0, "cr0", "rbx")
CR_READ_GUEST(g_rd_cr2, "cr2", "rdi")
CR_READ_GUEST(g_rd_cr3, "cr3", "r9")
CR_READ_GUEST(g_rd_cr4, "cr4", "rsi")
CR_READ_GUEST(g_rd_cr8, "cr8", "r12")
CR_WRITE_GUEST(g_wr_cr0, "cr0", "rdx", X86_CR0_MP)
CR_WRITE_GUEST(g_wr_cr3, "cr3", "r10", 1UL << 3)
CR_WRITE_GUEST(g_wr_cr4, "cr4", "rcx", X86_CR4_TSD)
CR_WRITE_GUEST(g_wr_cr8, "cr8", "r14", CR8_VALUE)

static void g_smsw(struct nested_ctx *c)
{
	uint32_t v;

	asm volatile("smsw %0" : "=a"(v));
	c->scratch[1] = 1;
}

/* LMSW toggling CR0.MP; CLTS with CR0.TS set in the VMCB (cr_run). */
static void g_lmsw(struct nested_ctx *c)
{
	asm volatile("lmsw %0" : : "a"((uint16_t)(read_cr0() ^ X86_CR0_MP)) : "memory");
	c->scratch[1] = 1;
}

static void g_clts(struct nested_ctx *c)
{
	asm volatile("clts" : : : "memory");
	c->scratch[1] = 1;
}

#define CR_ROW(n, c, w, r, t, g, l, ...)					\
	{ .name = n, .cr = c, .write = w, .gpr = r, .toggle = t, .guest = g,	\
	  .len = l, .bytes = { __VA_ARGS__ } }

static const struct cr_row cr_rows[] = {
#define R_RD_CR0	0
	CR_ROW("MOV from CR0", 0, false, 3, X86_CR0_MP, g_rd_cr0, 3, 0x0f, 0x20, 0xc3),
#define R_RD_CR2	1
	CR_ROW("MOV from CR2", 2, false, 7, 0xc2c2c000, g_rd_cr2, 3, 0x0f, 0x20, 0xd7),
#define R_RD_CR3	2
	CR_ROW("MOV from CR3", 3, false, 9, 1UL << 3, g_rd_cr3, 4, 0x41, 0x0f, 0x20, 0xd9),
#define R_RD_CR4	3
	CR_ROW("MOV from CR4", 4, false, 6, X86_CR4_TSD, g_rd_cr4, 3, 0x0f, 0x20, 0xe6),
#define R_RD_CR8	4
	CR_ROW("MOV from CR8", 8, false, 12, CR8_VALUE, g_rd_cr8, 4, 0x45, 0x0f, 0x20, 0xc4),
#define R_WR_CR0	5
	CR_ROW("MOV to CR0", 0, true, 2, X86_CR0_MP, g_wr_cr0, 3, 0x0f, 0x22, 0xc2),
#define R_WR_CR3	6
	CR_ROW("MOV to CR3", 3, true, 10, 1UL << 3, g_wr_cr3, 4, 0x41, 0x0f, 0x22, 0xda),
#define R_WR_CR4	7
	CR_ROW("MOV to CR4", 4, true, 1, X86_CR4_TSD, g_wr_cr4, 3, 0x0f, 0x22, 0xe1),
#define R_WR_CR8	8
	CR_ROW("MOV to CR8", 8, true, 14, CR8_VALUE, g_wr_cr8, 4, 0x45, 0x0f, 0x22, 0xc6),
#define R_SMSW		9
	CR_ROW("SMSW", 0, false, -1, 0, g_smsw, 3, 0x0f, 0x01, 0xe0),
#define R_LMSW		10
	CR_ROW("LMSW", 0, true, -1, 0, g_lmsw, 3, 0x0f, 0x01, 0xf0),
#define R_CLTS		11
	CR_ROW("CLTS", 0, true, -1, 0, g_clts, 2, 0x0f, 0x06),
};

/* The guest's CRn as the VMCB holds it (CR8: V_TPR). */
static uint64_t cr_get(struct vmcb *v, int cr)
{
	switch (cr) {
	case 0: return v->save.cr0;
	case 2: return v->save.cr2;
	case 3: return v->save.cr3;
	case 4: return v->save.cr4;
	default: return v->control.int_ctl & 0xf;
	}
}

static void cr_set(struct vmcb *v, int cr, uint64_t val)
{
	switch (cr) {
	case 0: v->save.cr0 = val; break;
	case 2: v->save.cr2 = val; break;
	case 3: v->save.cr3 = val; break;
	case 4: v->save.cr4 = val; break;
	default:
		v->control.int_ctl = (v->control.int_ctl & ~0xfULL) | SVM_INT_CTL_V_TPR(val);
	}
}

/* Exit code, RIP, nRIP and decode assists of an intercepted CR access. */
static bool cr_check_exit(struct nested_ctx *ctx, const struct cr_row *r, uint64_t before)
{
	struct vmcb *v = ctx->vmcb;
	uint64_t code = r->write ? SVM_EXIT_WRITE_CR(r->cr) : SVM_EXIT_READ_CR(r->cr);
	uint64_t info1 = v->control.exit_info_1;

	if (!svm_report_exit(ctx->guest, code, "%s with its intercept set exits", r->name))
		return false;
	report(rip_at(v, r->bytes, r->len), "VMCB RIP at the %s intercept points at the %s",
	       r->name, r->name);
	report_eq(0, ctx->scratch[1], "%s intercept exits before the instruction completes",
		  r->name);
	if (r->write)
		report_eq_x(before, cr_get(v, r->cr), "%s intercept leaves CR%d unchanged",
			    r->name, r->cr);
	if (svm_caps()->nrips)
		report_eq_x(v->save.rip + r->len, v->control.next_rip,
			    "nRIP at the %s intercept is the next instruction's address", r->name);
	if (svm_caps()->decode_assists && r->gpr >= 0)
		report_eq_x(BIT_ULL(63) | r->gpr, info1,
			    "%s intercept EXITINFO1 is MOV-CR (bit 63) and GPR %d", r->name,
			    r->gpr);
	else if (svm_caps()->decode_assists)
		report_eq(0, info1 >> 63, "%s intercept EXITINFO1 bit 63 (MOV CRx) is clear",
			  r->name);
	return true;
}

/* Emulate the intercepted MOV (read: the host's value; write: apply it) and go on. */
static void cr_emulate(struct nested_ctx *ctx, const struct cr_row *r, uint64_t want)
{
	struct vmcb *v = ctx->vmcb;

	if (r->gpr >= 0 && !r->write)
		gpr_set(ctx->guest, r->gpr, READ_MARKER);
	else if (r->gpr >= 0)
		cr_set(v, r->cr, gpr_get(ctx->guest, r->gpr));
	v->save.rip += r->len;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"guest resumed after the emulated %s reaches VMMCALL", r->name);
	if (r->gpr >= 0)
		report_eq_x(want, ctx->scratch[1], "guest %s the host's emulated %s value",
			    r->write ? "reads back" : "gets", r->name);
}

/* No intercept: the guest sees and changes the VMCB's copy. */
static void cr_native(struct nested_ctx *ctx, const struct cr_row *r, uint64_t base)
{
	struct vmcb *v = ctx->vmcb;

	v->control.intercept_cr = 0;
	nested_restart(ctx);
	ctx->scratch[1] = 0;
	if (!r->write)
		cr_set(v, r->cr, base ^ r->toggle);
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"%s with its intercept clear runs in the guest up to VMMCALL", r->name);
	report_eq_x(base ^ r->toggle, ctx->scratch[1],
		    "guest %s without an intercept %s the guest's CR%d", r->name,
		    r->write ? "changes" : "reads", r->cr);
	if (r->write)
		report_eq_x(base ^ r->toggle, cr_get(v, r->cr),
			    "#VMEXIT saves the CR%d the guest's %s wrote", r->cr, r->name);
}

static void cr_run(struct nested_ctx *ctx)
{
	const struct cr_row *r = ctx->test->arg;
	struct vmcb *v = ctx->vmcb;
	uint64_t base;

	/* CR8 rows: V_INTR_MASKING keeps the host's TPR out of reach. */
	if (r->cr == 8)
		v->control.int_ctl |= SVM_INT_CTL_V_INTR_MASKING;
	if (r->guest == g_clts)
		v->save.cr0 |= X86_CR0_TS;
	base = cr_get(v, r->cr);
	v->control.intercept_cr = BIT(r->cr + (r->write ? 16 : 0));
	nested_run(ctx);
	if (!cr_check_exit(ctx, r, base))
		return;
	cr_emulate(ctx, r, r->write ? base ^ r->toggle : READ_MARKER);
	if (r->gpr >= 0) {
		cr_set(v, r->cr, base);
		cr_native(ctx, r, base);
	}
}

static void cr_row_guest(struct nested_ctx *ctx)
{
	((const struct cr_row *)ctx->test->arg)->guest(ctx);
}

#define CR_TEST(id, row) SVM_TEST(id, .guest = cr_row_guest, .run = cr_run, .arg = &cr_rows[row])

CR_TEST(cr0_read, R_RD_CR0)
CR_TEST(cr2_read, R_RD_CR2)
CR_TEST(cr3_read, R_RD_CR3)
CR_TEST(cr4_read, R_RD_CR4)
CR_TEST(cr8_read, R_RD_CR8)
CR_TEST(cr0_write, R_WR_CR0)
CR_TEST(cr3_write, R_WR_CR3)
CR_TEST(cr4_write, R_WR_CR4)
CR_TEST(cr8_write, R_WR_CR8)
CR_TEST(cr0_smsw, R_SMSW)
CR_TEST(cr0_lmsw, R_LMSW)
CR_TEST(cr0_clts, R_CLTS)

/* ---- selective CR0 write intercept ---- */

enum sel_kind { SEL_MOV, SEL_CLTS, SEL_LMSW };

struct sel_op {
	const char *what;
	enum sel_kind kind;
	uint64_t toggle;		/* SEL_MOV: CR0 bits changed */
	bool exits;
};

static const struct sel_op sel_ops[] = {
	{ "MOV to CR0 changing only CR0.MP", SEL_MOV, X86_CR0_MP, false },
	{ "MOV to CR0 changing only CR0.TS", SEL_MOV, X86_CR0_TS, false },
	{ "MOV to CR0 changing CR0.TS and CR0.MP", SEL_MOV, X86_CR0_TS | X86_CR0_MP, false },
	{ "MOV to CR0 of the current value", SEL_MOV, 0, false },
	{ "MOV to CR0 changing CR0.WP", SEL_MOV, X86_CR0_WP, true },
	{ "MOV to CR0 changing CR0.AM and CR0.TS", SEL_MOV, X86_CR0_AM | X86_CR0_TS, true },
	{ "CLTS", SEL_CLTS, 0, false },
	{ "LMSW of the current value", SEL_LMSW, 0, true },
};

#define SEL_MAX_EXITS	16

struct sel_data {
	unsigned int n;
	struct {
		uint64_t op, code, cr0;
	} exit[SEL_MAX_EXITS];
};

static const uint8_t enc_mov_cr0[] = { 0x0f, 0x22, 0xc0 };	/* mov %rax, %cr0 */
static const uint8_t enc_lmsw[] = { 0x0f, 0x01, 0xf0 };		/* lmsw %ax */
static const uint8_t enc_clts[] = { 0x0f, 0x06 };

static void write_cr0_rax(uint64_t v)
{
	asm volatile("mov %0, %%cr0" : : "a"(v) : "memory");
}

/* scratch[0]: the op being made; CR0 goes back to its value after each. */
static void sel_guest(struct nested_ctx *ctx)
{
	uint64_t cr0 = read_cr0();

	for (size_t i = 0; i < ARRAY_SIZE(sel_ops); i++) {
		const struct sel_op *o = &sel_ops[i];

		ctx->scratch[0] = i;
		if (o->kind == SEL_MOV) {
			write_cr0_rax(cr0 ^ o->toggle);
			write_cr0_rax(cr0);
		} else if (o->kind == SEL_CLTS) {
			asm volatile("clts" : : : "memory");
			write_cr0_rax(cr0);
		} else {
			asm volatile("lmsw %0" : : "a"((uint16_t)cr0) : "memory");
		}
	}
	ctx->scratch[1] = 1;
}

/* Record the exit and skip the instruction (the write is dropped). */
static bool sel_exit(struct nested_ctx *ctx)
{
	struct sel_data *d = ctx->data;
	struct vmcb *v = ctx->vmcb;

	if (v->control.exit_code == SVM_EXIT_VMMCALL || d->n == SEL_MAX_EXITS)
		return false;
	d->exit[d->n].op = ctx->scratch[0];
	d->exit[d->n].code = v->control.exit_code;
	d->exit[d->n].cr0 = v->save.cr0;
	d->n++;
	if (rip_at(v, enc_mov_cr0, sizeof(enc_mov_cr0)) || rip_at(v, enc_lmsw, sizeof(enc_lmsw)))
		v->save.rip += 3;
	else if (rip_at(v, enc_clts, sizeof(enc_clts)))
		v->save.rip += 2;
	else
		return false;
	return true;
}

static void sel_prepare(struct nested_ctx *ctx)
{
	ctx->data = calloc(1, sizeof(struct sel_data));
	ctx->vmcb->save.cr0 &= ~(X86_CR0_TS | X86_CR0_MP);
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_CR0_SEL_WRITE);
}

static void sel_check(struct nested_ctx *ctx)
{
	struct sel_data *d = ctx->data;
	uint64_t cr0 = ctx->vmcb->save.cr0;

	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest gets through every CR0 write");
	for (size_t i = 0; i < ARRAY_SIZE(sel_ops); i++) {
		unsigned int hits = 0, j;

		for (j = 0; j < d->n; j++)
			hits += d->exit[j].op == i;
		report_eq(sel_ops[i].exits, hits, "selective CR0 write intercept: %s %s",
			  sel_ops[i].what, sel_ops[i].exits ? "exits once" : "does not exit");
	}
	for (unsigned int j = 0; j < d->n; j++) {
		const char *what = sel_ops[d->exit[j].op].what;

		report_eq_x(SVM_EXIT_CR0_SEL_WRITE, d->exit[j].code,
			    "%s exits with VMEXIT_CR0_SEL_WRITE", what);
		report_eq_x(cr0, d->exit[j].cr0, "%s exits before CR0 changes", what);
	}
	free(d);
}

SVM_TEST(cr0_sel_write, .guest = sel_guest, .prepare = sel_prepare, .exit = sel_exit,
	 .check = sel_check)

static void sel_prio_guest(struct nested_ctx *ctx)
{
	write_cr0_rax(read_cr0() ^ X86_CR0_WP);
}

static void sel_prio_prepare(struct nested_ctx *ctx)
{
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_CR0_SEL_WRITE);
	ctx->vmcb->control.intercept_cr = BIT(16);
}

static void sel_prio_check(struct nested_ctx *ctx)
{
	svm_report_exit(ctx->guest, SVM_EXIT_WRITE_CR(0),
			"with both CR0 write intercepts set, VMEXIT_CR0_WRITE takes priority");
}

SVM_TEST(cr0_sel_priority, .guest = sel_prio_guest, .prepare = sel_prio_prepare,
	 .check = sel_prio_check)

/* ---- debug registers ---- */

/* MOV from/to DRn with GPR @gpr; @value: what the guest writes. */
struct dr_row {
	int dr, gpr;
	uint8_t len, rd[4], wr[4];
	uint64_t value;
};

static uint8_t dr_target[64] __aligned(64);

static const struct dr_row dr_rows[] = {
	{ 0, 1, 3, { 0x0f, 0x21, 0xc1 }, { 0x0f, 0x23, 0xc1 }, 0 },		/* rcx */
	{ 1, 2, 3, { 0x0f, 0x21, 0xca }, { 0x0f, 0x23, 0xca }, 8 },		/* rdx */
	{ 2, 3, 3, { 0x0f, 0x21, 0xd3 }, { 0x0f, 0x23, 0xd3 }, 16 },		/* rbx */
	{ 3, 6, 3, { 0x0f, 0x21, 0xde }, { 0x0f, 0x23, 0xde }, 24 },		/* rsi */
	{ 6, 7, 3, { 0x0f, 0x21, 0xf7 }, { 0x0f, 0x23, 0xf7 }, 0xffff0ff1 },	/* rdi */
	{ 7, 8, 4, { 0x41, 0x0f, 0x21, 0xf8 }, { 0x41, 0x0f, 0x23, 0xf8 }, 0x401 }, /* r8 */
};

#define N_DR	ARRAY_SIZE(dr_rows)

/* The value row @i writes: DR0-3 point into dr_target (never executed). */
static uint64_t dr_value(size_t i)
{
	return dr_rows[i].dr < 4 ? (uintptr_t)dr_target + dr_rows[i].value : dr_rows[i].value;
}

static uint64_t dr_access(size_t i, bool write, uint64_t val)
{
	register uint64_t r8 asm("r8") = val;
	uint64_t c = val, d = val, b = val, si = val, di = val;

#define DR_RD(n, con, var) asm volatile("mov %%dr" #n ", %0" : "+" con(var))
#define DR_WR(n, con, var) asm volatile("mov %0, %%dr" #n : : con(var) : "memory")
	switch (dr_rows[i].dr * 2 + write) {
	case 0: DR_RD(0, "c", c); return c;
	case 1: DR_WR(0, "c", c); return 0;
	case 2: DR_RD(1, "d", d); return d;
	case 3: DR_WR(1, "d", d); return 0;
	case 4: DR_RD(2, "b", b); return b;
	case 5: DR_WR(2, "b", b); return 0;
	case 6: DR_RD(3, "S", si); return si;
	case 7: DR_WR(3, "S", si); return 0;
	case 12: DR_RD(6, "D", di); return di;
	case 13: DR_WR(6, "D", di); return 0;
	case 14: DR_RD(7, "r", r8); return r8;
	case 15: DR_WR(7, "r", r8); return 0;
	}
#undef DR_RD
#undef DR_WR
	return 0;
}

struct dr_data {
	bool write;
	uint64_t got[N_DR];		/* what the guest read */
	unsigned int exits[N_DR];
	uint64_t dr6, dr7;		/* VMCB values at VMRUN */
};

/* scratch[0]: the row being accessed; scratch[1]: all done. */
static void dr_guest(struct nested_ctx *ctx)
{
	struct dr_data *d = ctx->data;

	for (size_t i = 0; i < N_DR; i++) {
		ctx->scratch[0] = i;
		d->got[i] = dr_access(i, d->write, dr_value(i));
	}
	ctx->scratch[1] = 1;
}

static void dr_check_one(struct nested_ctx *ctx, const struct dr_row *r, bool write)
{
	struct dr_data *d = ctx->data;
	struct vmcb *v = ctx->vmcb;
	const char *op = write ? "MOV to" : "MOV from";

	svm_report_exit(ctx->guest, write ? SVM_EXIT_WRITE_DR(r->dr) : SVM_EXIT_READ_DR(r->dr),
			"%s DR%d with its intercept set exits", op, r->dr);
	report(rip_at(v, write ? r->wr : r->rd, r->len),
	       "VMCB RIP at the %s DR%d intercept points at the MOV", op, r->dr);
	if (svm_caps()->nrips)
		report_eq_x(v->save.rip + r->len, v->control.next_rip,
			    "nRIP at the %s DR%d intercept is the next instruction's address", op,
			    r->dr);
	if (svm_caps()->decode_assists)
		report_eq_x(r->gpr, v->control.exit_info_1,
			    "%s DR%d intercept EXITINFO1 is GPR %d", op, r->dr, r->gpr);
	if (write && r->dr >= 6)
		report_eq_x(r->dr == 6 ? d->dr6 : d->dr7, r->dr == 6 ? v->save.dr6 : v->save.dr7,
			    "%s DR%d intercept leaves DR%d unchanged", op, r->dr, r->dr);
}

static bool dr_exit(struct nested_ctx *ctx)
{
	struct dr_data *d = ctx->data;
	size_t i = ctx->scratch[0];
	const struct dr_row *r = &dr_rows[i];

	if (ctx->vmcb->control.exit_code == SVM_EXIT_VMMCALL || i >= N_DR || d->exits[i]++)
		return false;
	dr_check_one(ctx, r, d->write);
	if (!d->write)
		gpr_set(ctx->guest, r->gpr, READ_MARKER + i);
	ctx->vmcb->save.rip += r->len;
	return true;
}

static void dr_prepare(struct nested_ctx *ctx)
{
	struct dr_data *d = calloc(1, sizeof(*d));

	d->write = ctx->test->arg != NULL;
	d->dr6 = ctx->vmcb->save.dr6;
	d->dr7 = ctx->vmcb->save.dr7;
	for (size_t i = 0; i < N_DR; i++)
		ctx->vmcb->control.intercept_dr |= BIT(dr_rows[i].dr + (d->write ? 16 : 0));
	ctx->data = d;
}

static void dr_check(struct nested_ctx *ctx)
{
	struct dr_data *d = ctx->data;
	const char *op = d->write ? "MOV to" : "MOV from";

	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest gets through every %s DRn", op);
	for (size_t i = 0; i < N_DR; i++) {
		report_eq(1, d->exits[i], "%s DR%d exits once", op, dr_rows[i].dr);
		if (!d->write)
			report_eq_x(READ_MARKER + i, d->got[i],
				    "guest gets the host's emulated DR%d value", dr_rows[i].dr);
	}
	free(d);
}

SVM_TEST(dr_read, .guest = dr_guest, .prepare = dr_prepare, .exit = dr_exit,
	 .check = dr_check)
SVM_TEST(dr_write, .guest = dr_guest, .prepare = dr_prepare, .exit = dr_exit,
	 .check = dr_check, .arg = "write")

/* No DR intercepts: DR6 reads and DR7 writes use the VMCB's copies. */
static void dr_native_guest(struct nested_ctx *ctx)
{
	uint64_t dr6;

	asm volatile("mov %%dr6, %0" : "=r"(dr6));
	ctx->scratch[0] = dr6;
	write_dr0((uintptr_t)dr_target);
	write_dr7(0x401);
}

static void dr_native_prepare(struct nested_ctx *ctx)
{
	ctx->vmcb->save.dr6 = 0xffff0ff1;
	ctx->vmcb->save.dr7 = 0x400;
}

static void dr_native_check(struct nested_ctx *ctx)
{
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest accesses DR6 and DR7 natively");
	report_eq_x(0xffff0ff1, ctx->scratch[0], "guest MOV from DR6 reads the VMCB's DR6");
	report_eq_x(0x401, ctx->vmcb->save.dr7, "#VMEXIT saves the DR7 the guest wrote");
	report_eq_x(0, ctx->scratch[1] & 0xff,
		    "host DR7 has no breakpoint enabled after #VMEXIT (APM 15.6)");
}

/* On the guest's CPU right after the #VMEXIT. */
static bool dr_native_exit(struct nested_ctx *ctx)
{
	ctx->scratch[1] = read_dr7();
	return false;
}

SVM_TEST(dr_native, .guest = dr_native_guest, .prepare = dr_native_prepare,
	 .exit = dr_native_exit, .check = dr_native_check)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(cr0_read, svm_needs),
	SUBTEST_NEEDS(cr2_read, svm_needs),
	SUBTEST_NEEDS(cr3_read, svm_needs),
	SUBTEST_NEEDS(cr4_read, svm_needs),
	SUBTEST_NEEDS(cr8_read, svm_needs),
	SUBTEST_NEEDS(cr0_write, svm_needs),
	SUBTEST_NEEDS(cr3_write, svm_needs),
	SUBTEST_NEEDS(cr4_write, svm_needs),
	SUBTEST_NEEDS(cr8_write, svm_needs),
	SUBTEST_NEEDS(cr0_smsw, svm_needs),
	SUBTEST_NEEDS(cr0_lmsw, svm_needs),
	SUBTEST_NEEDS(cr0_clts, svm_needs),
	SUBTEST_NEEDS(cr0_sel_write, svm_needs),
	SUBTEST_NEEDS(cr0_sel_priority, svm_needs),
	SUBTEST_NEEDS(dr_read, svm_needs),
	SUBTEST_NEEDS(dr_write, svm_needs),
	SUBTEST_NEEDS(dr_native, svm_needs),
};

NESTED_TABLE(svm_crdr_tests, tests);
