// SPDX-License-Identifier: MIT
/*
 * IN/OUT intercepts through the I/O permission map (AMD APM vol. 2):
 * - 15.10.1 I/O permissions map: one bit per port; an access of N bytes
 *   at port P checks the bits of P..P+N-1 and is intercepted if any is
 *   set; the map is 12 KiB, 64K + 3 bits used, the bits past port 0xFFFF
 *   catching multi-byte accesses that cross it. Only with the IOIO_PROT
 *   intercept bit (vector 3 bit 27) set.
 * - 15.10.2 IN/OUT intercept information: EXITINFO1 bit 0 TYPE (1 = IN),
 *   2 STR, 3 REP, 4-6 SZ8/SZ16/SZ32, 7-9 A16/A32/A64, 12:10 SEG (the
 *   effective segment of OUTS, with decode assists), 31:16 the port;
 *   EXITINFO2 the address of the next instruction. The intercept comes
 *   before the access.
 * Ports: 0x80 (POST) and 0x2a0-0x2af, which no device of QEMU's pc or of
 * Bochs decodes, so an access the VMM fails to intercept is harmless.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "svm_test.h"

#define P	0x2a4

enum io_kind {
	INB, INW, INL, OUTB, OUTW, OUTL, INB_IMM, INSB, REP_INSB, OUTSW, REP_OUTSB, FS_OUTSL,
	A32_INSB,
};

static const struct {
	uint8_t len, bytes[3];
} encodings[] = {
	[INB] = { 1, { 0xec } }, [INW] = { 2, { 0x66, 0xed } }, [INL] = { 1, { 0xed } },
	[OUTB] = { 1, { 0xee } }, [OUTW] = { 2, { 0x66, 0xef } }, [OUTL] = { 1, { 0xef } },
	[INB_IMM] = { 2, { 0xe4, 0x80 } }, [INSB] = { 1, { 0x6c } },
	[REP_INSB] = { 2, { 0xf3, 0x6c } }, [OUTSW] = { 2, { 0x66, 0x6f } },
	[REP_OUTSB] = { 2, { 0xf3, 0x6e } }, [FS_OUTSL] = { 2, { 0x64, 0x6f } },
	[A32_INSB] = { 2, { 0x67, 0x6c } },
};

/* One access of a guest's list; info1 0: must not be intercepted. */
struct io_access {
	enum io_kind kind;
	uint16_t port;
	uint64_t info1;
};

struct io_list {
	const char *what;
	const struct io_access *acc;
	size_t n;
	unsigned int set_first, set_n;	/* IOPM bits set: [first, first + n) */
	unsigned int set_extra;		/* and this port's, when not 0 */
};

static uint8_t buf[16] __aligned(16);

static void io_do(enum io_kind k, uint16_t port)
{
	void *b = buf;
	uint32_t a = 0;

	switch (k) {
	case INB: asm volatile("inb %%dx, %%al" : "+a"(a) : "d"(port)); break;
	case INW: asm volatile("inw %%dx, %%ax" : "+a"(a) : "d"(port)); break;
	case INL: asm volatile("inl %%dx, %%eax" : "+a"(a) : "d"(port)); break;
	case OUTB: asm volatile("outb %%al, %%dx" : : "a"(a), "d"(port)); break;
	case OUTW: asm volatile("outw %%ax, %%dx" : : "a"(a), "d"(port)); break;
	case OUTL: asm volatile("outl %%eax, %%dx" : : "a"(a), "d"(port)); break;
	case INB_IMM: asm volatile("inb $0x80, %%al" : "+a"(a)); break;
	case INSB: asm volatile("insb" : "+D"(b) : "d"(port) : "memory"); break;
	case REP_INSB:
		a = 2;
		asm volatile("rep insb" : "+D"(b), "+c"(a) : "d"(port) : "memory");
		break;
	case OUTSW: asm volatile("outsw" : "+S"(b) : "d"(port) : "memory"); break;
	case REP_OUTSB:
		a = 2;
		asm volatile("rep outsb" : "+S"(b), "+c"(a) : "d"(port) : "memory");
		break;
	case FS_OUTSL: asm volatile("outsl %%fs:(%%rsi), %%dx" : "+S"(b) : "d"(port) : "memory");
		break;
	case A32_INSB: asm volatile("addr32 insb" : "+D"(b) : "d"(port) : "memory"); break;
	}
}

/* scratch[0]: index of the access being made; scratch[1]: all done. */
static void io_guest(struct nested_ctx *ctx)
{
	const struct io_list *l = ctx->test->arg;

	for (size_t i = 0; i < l->n; i++) {
		ctx->scratch[0] = i;
		io_do(l->acc[i].kind, l->acc[i].port);
	}
	ctx->scratch[1] = 1;
}

static void io_prepare(struct nested_ctx *ctx)
{
	const struct io_list *l = ctx->test->arg;

	svm_iopm_set(svm_test_iopm(ctx), l->set_first, l->set_n, true);
	if (l->set_extra)
		svm_iopm_set(ctx->iopm, l->set_extra, 1, true);
}

#define IOIO_ASZ	(SVM_IOIO_A16 | SVM_IOIO_A32 | SVM_IOIO_A64)

/* SEG is defined for OUTS, and only with decode assists. */
static uint64_t info1_mask(const struct io_access *a)
{
	bool outs = (a->info1 & SVM_IOIO_STR) && !(a->info1 & SVM_IOIO_TYPE_IN);

	return outs && svm_caps()->decode_assists ? ~0ULL : ~(7ULL << 10);
}

static bool io_check_exit(struct nested_ctx *ctx, size_t i)
{
	const struct io_list *l = ctx->test->arg;
	const struct io_access *a = &l->acc[i];
	struct vmcb_control *c = &ctx->vmcb->control;
	uint64_t rip = ctx->vmcb->save.rip, mask = info1_mask(a) & ~IOIO_ASZ;
	char e[96], g[96];

	if (!svm_report_exit(ctx->guest, SVM_EXIT_IOIO, "%s: access %zu is intercepted",
			     l->what, i))
		return false;
	report_eq(i, ctx->scratch[0], "%s: the exit is at access %zu (none before it exits)",
		  l->what, i);
	/* The address size apart: a VMM wrong there must not hide the other fields. */
	report((c->exit_info_1 & mask) == (a->info1 & mask),
	       "%s: access %zu EXITINFO1 besides the address size is '%s'%s%s", l->what, i,
	       svm_ioio_str(a->info1 & ~IOIO_ASZ, e, sizeof(e)),
	       (c->exit_info_1 & mask) == (a->info1 & mask) ? "" : ", got ",
	       (c->exit_info_1 & mask) == (a->info1 & mask) ? "" :
	       svm_ioio_str(c->exit_info_1, g, sizeof(g)));
	report_eq_x(a->info1 & IOIO_ASZ, c->exit_info_1 & IOIO_ASZ,
		    "%s: access %zu EXITINFO1 address size (bits 9:7) is A%s", l->what, i,
		    a->info1 & SVM_IOIO_A64 ? "64" : "32");
	report(!memcmp((void *)rip, encodings[a->kind].bytes, encodings[a->kind].len),
	       "%s: access %zu exit RIP points at the I/O instruction", l->what, i);
	report_eq_x(rip + encodings[a->kind].len, c->exit_info_2,
		    "%s: access %zu EXITINFO2 is the next instruction's address", l->what, i);
	ctx->vmcb->save.rip = rip + encodings[a->kind].len;
	return true;
}

static void io_run(struct nested_ctx *ctx)
{
	const struct io_list *l = ctx->test->arg;

	io_prepare(ctx);
	for (size_t i = 0; i < l->n; i++) {
		if (!l->acc[i].info1)
			continue;
		nested_run(ctx);
		if (!io_check_exit(ctx, i))
			return;
	}
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "%s: guest reaches VMMCALL after its I/O",
			l->what);
	report_eq(1, ctx->scratch[1], "%s: guest completed every access", l->what);
}

#define IN		SVM_IOIO_TYPE_IN
#define A64		SVM_IOIO_A64
#define PORT(p)		SVM_IOIO_PORT(p)
#define SEG_ES		SVM_IOIO_SEG(0)
#define SEG_DS		SVM_IOIO_SEG(3)
#define SEG_FS		SVM_IOIO_SEG(4)

static const struct io_access sizes_acc[] = {
	{ INB, P, PORT(P) | IN | SVM_IOIO_SZ8 | A64 },
	{ INW, P, PORT(P) | IN | SVM_IOIO_SZ16 | A64 },
	{ INL, P, PORT(P) | IN | SVM_IOIO_SZ32 | A64 },
	{ OUTB, P, PORT(P) | SVM_IOIO_SZ8 | A64 },
	{ OUTW, P, PORT(P) | SVM_IOIO_SZ16 | A64 },
	{ OUTL, P, PORT(P) | SVM_IOIO_SZ32 | A64 },
	{ INB, P + 4, 0 },
	{ INB_IMM, 0x80, PORT(0x80) | IN | SVM_IOIO_SZ8 | A64 },
};

static const struct io_access string_acc[] = {
	{ INSB, P, PORT(P) | IN | SVM_IOIO_STR | SVM_IOIO_SZ8 | A64 | SEG_ES },
	{ REP_INSB, P, PORT(P) | IN | SVM_IOIO_STR | SVM_IOIO_REP | SVM_IOIO_SZ8 | A64 | SEG_ES },
	{ OUTSW, P, PORT(P) | SVM_IOIO_STR | SVM_IOIO_SZ16 | A64 | SEG_DS },
	{ REP_OUTSB, P, PORT(P) | SVM_IOIO_STR | SVM_IOIO_REP | SVM_IOIO_SZ8 | A64 | SEG_DS },
	{ FS_OUTSL, P, PORT(P) | SVM_IOIO_STR | SVM_IOIO_SZ32 | A64 | SEG_FS },
	{ A32_INSB, P, PORT(P) | IN | SVM_IOIO_STR | SVM_IOIO_SZ8 | SVM_IOIO_A32 | SEG_ES },
};

/* Only port P's bit is set: every access touching P exits, none beside it. */
static const struct io_access multibyte_acc[] = {
	{ INW, P - 1, PORT(P - 1) | IN | SVM_IOIO_SZ16 | A64 },
	{ INL, P - 3, PORT(P - 3) | IN | SVM_IOIO_SZ32 | A64 },
	{ OUTL, P - 2, PORT(P - 2) | SVM_IOIO_SZ32 | A64 },
	{ INL, P - 4, 0 },
	{ INW, P + 1, 0 },
	{ INB, P - 1, 0 },
};

/* Only the bits past 0xffff: accesses crossing 0xffff exit, in range they do not. */
static const struct io_access wrap_acc[] = {
	{ INW, 0xffff, PORT(0xffff) | IN | SVM_IOIO_SZ16 | A64 },
	{ INL, 0xfffe, PORT(0xfffe) | IN | SVM_IOIO_SZ32 | A64 },
	{ OUTL, 0xfffd, PORT(0xfffd) | SVM_IOIO_SZ32 | A64 },
	{ INB, 0xffff, 0 },
	{ INL, 0xfffc, 0 },
};

/* Only port 0xffff's bit, the last one of the map's second page (byte 0x1fff). */
static const struct io_access last_byte_acc[] = {
	{ INB, 0xffff, PORT(0xffff) | IN | SVM_IOIO_SZ8 | A64 },
	{ OUTL, 0xfffc, PORT(0xfffc) | SVM_IOIO_SZ32 | A64 },
	{ INB, 0xfffe, 0 },
	{ INW, 0xfff8, 0 },
};

#define IO_LIST(id, w, list, first, n, extra)					\
	static const struct io_list id##_list = {				\
		w, list, ARRAY_SIZE(list), first, n, extra			\
	};									\
	SVM_TEST(id, .guest = io_guest, .run = io_run, .arg = &id##_list)

IO_LIST(ioio_sizes, "IN/OUT of 1, 2, 4 bytes", sizes_acc, P, 1, 0x80)
IO_LIST(ioio_string, "INS/OUTS", string_acc, P, 1, 0)
IO_LIST(ioio_multibyte, "multi-byte access covering a set bit", multibyte_acc, P, 1, 0)
IO_LIST(ioio_wrap, "access crossing port 0xffff", wrap_acc, 0x10000, 3, 0)
IO_LIST(ioio_last_byte, "port 0xffff (last bit of byte 0x1fff)", last_byte_acc, 0xffff, 1, 0)

/* IOIO_PROT clear: the map is not consulted, even with every bit set. */
static void disabled_guest(struct nested_ctx *ctx)
{
	io_do(INB, P);
	io_do(OUTB, 0x80);
	ctx->scratch[1] = 1;
}

static void disabled_prepare(struct nested_ctx *ctx)
{
	memset(svm_test_iopm(ctx), 0xff, SVM_IOPM_SIZE);
	vmcb_clear_intercept(ctx->vmcb, SVM_INTERCEPT_IOIO_PROT);
}

static void disabled_check(struct nested_ctx *ctx)
{
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"with IOIO_PROT clear, IN/OUT do not exit whatever the IOPM holds");
	report_eq(1, ctx->scratch[1], "with IOIO_PROT clear, the guest completes its I/O");
}

SVM_TEST(ioio_disabled, .guest = disabled_guest, .prepare = disabled_prepare,
	 .check = disabled_check)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(ioio_sizes, svm_needs),
	SUBTEST_NEEDS(ioio_string, svm_needs),
	SUBTEST_NEEDS(ioio_multibyte, svm_needs),
	SUBTEST_NEEDS(ioio_wrap, svm_needs),
	SUBTEST_NEEDS(ioio_last_byte, svm_needs),
	SUBTEST_NEEDS(ioio_disabled, svm_needs),
};

NESTED_TABLE(svm_ioio_tests, tests);
