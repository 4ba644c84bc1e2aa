// SPDX-License-Identifier: MIT
/*
 * I/O instructions in VMX non-root operation (Intel SDM vol. 3C):
 * - 26.1.3, 25.6.4: with "unconditional I/O exiting" every IN, INS, OUT and
 *   OUTS exits; with "use I/O bitmaps" (which then overrides it) an access
 *   exits when the bit of any port it touches is set, bitmap A holding
 *   ports 0000H-7FFFH and bitmap B 8000H-FFFFH, and an access that wraps
 *   from FFFFH to 0000H exits whatever the bitmaps hold (26.1.3).
 * - 28.2.1 table 28-5: the exit qualification gives the access size minus
 *   one, the direction (1 = IN), string and REP prefixes, the operand
 *   encoding (1 = immediate port) and the port; 28.2.4/28.2.5 string
 *   instructions also report the guest-linear address and, with
 *   IA32_VMX_BASIC[54], the address size and segment in the instruction
 *   information; the exit leaves RCX and RSI as before the instruction.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/*
 * Ports: 0x80 (the POST port) is the one the guest touches when it runs
 * an access; every other port here only appears in exits.
 */
static uint8_t src[16] = "hvprobe";

static void g_out_imm(struct nested_ctx *c)
{
	asm volatile("outb %%al, $0x80" : : "a"(0));
	c->scratch[1] = 1;
}

static void g_in_dx(struct nested_ctx *c)
{
	uint32_t v;

	asm volatile("inl %%dx, %%eax" : "=a"(v) : "d"((uint16_t)c->scratch[0]));
	c->scratch[1] = 1;
}

static void g_out_dx16(struct nested_ctx *c)
{
	asm volatile("outw %%ax, %%dx" : : "a"(0), "d"((uint16_t)c->scratch[0]));
	c->scratch[1] = 1;
}

static void g_outsb(struct nested_ctx *c)
{
	const uint8_t *s = src;

	asm volatile("outsb" : "+S"(s) : "d"((uint16_t)c->scratch[0]) : "memory");
	c->scratch[1] = 1;
}

static void g_rep_outsb(struct nested_ctx *c)
{
	const uint8_t *s = src;
	uint64_t n = 3;

	asm volatile("rep outsb" : "+S"(s), "+c"(n) : "d"((uint16_t)c->scratch[0]) : "memory");
	c->scratch[1] = 1;
}

/* The exit and its qualification: size, direction, string/REP, encoding, port. */
static bool report_io_exit(struct nested_ctx *ctx, unsigned int size, bool in, uint64_t flags,
			   unsigned int port, const char *what)
{
	uint64_t q = vmx_exit(ctx)->qual;
	const uint64_t mask = IOQ_STRING | IOQ_REP | IOQ_IMM;

	if (!vmx_report_exit(ctx->vmx, EXIT_IO, "%s exits", what))
		return false;
	report_eq(size, IOQ_SIZE(q), "exit qualification of %s: size %u", what, size);
	report_eq(in, !!(q & IOQ_IN), "exit qualification of %s: direction %s", what,
		  in ? "IN" : "OUT");
	report_eq_x(flags, q & mask, "exit qualification of %s: string, REP, immediate bits",
		    what);
	report_eq_x(port, IOQ_PORT(q), "exit qualification of %s: port", what);
	report_eq(0, ctx->scratch[1], "%s exits before it completes", what);
	return true;
}

static void io_uncond_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_IO_UNCOND);
	nested_run(ctx);
	report_io_exit(ctx, 1, false, IOQ_IMM, 0x80, "OUT to an immediate port with "
		       "unconditional I/O exiting");
	report_eq(2, vmx_exit(ctx)->insn_len, "VM-exit instruction length of OUT imm8 is 2");
}

static void io_no_exit_run(struct nested_ctx *ctx)
{
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "OUT without I/O exiting runs in the guest");
	report_eq(1, ctx->scratch[1], "the guest goes on past OUT without I/O exiting");
}

static void bitmap_a_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap_set(ctx->vmx, 0x1234, 1, true);
	ctx->scratch[0] = 0x1234;
	nested_run(ctx);
	report_io_exit(ctx, 4, true, 0, 0x1234, "IN from port 1234H (bitmap A bit set)");
}

static void bitmap_b_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap_set(ctx->vmx, 0x9abc, 1, true);
	ctx->scratch[0] = 0x9abc;
	nested_run(ctx);
	report_io_exit(ctx, 4, true, 0, 0x9abc, "IN from port 9ABCH (bitmap B bit set)");
}

/* Bitmaps override unconditional exiting: port 0x80's bit is clear. */
static void bitmap_clear_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_IO_UNCOND);
	vmx_io_bitmap_set(ctx->vmx, 0x81, 0xff, true);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL,
			"OUT to a port whose bit is clear runs (bitmaps override unconditional)");
}

/* A 4-byte IN at 7FFEH touches 7FFEH-8001H: only 8001H's bit, in bitmap B, is set. */
static void bitmap_span_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap_set(ctx->vmx, 0x8001, 1, true);
	ctx->scratch[0] = 0x7ffe;
	nested_run(ctx);
	report_io_exit(ctx, 4, true, 0, 0x7ffe, "IN of 4 bytes at 7FFEH reaching a set bit");
}

static void bitmap_wrap_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap(ctx->vmx);
	ctx->scratch[0] = 0xffff;
	nested_run(ctx);
	report_io_exit(ctx, 2, false, 0, 0xffff,
		       "OUT of 2 bytes at FFFFH (wraps to 0000H, bitmaps clear)");
}

static void string_run(struct nested_ctx *ctx)
{
	const struct vmx_exit *e = vmx_exit(ctx);

	vmx_io_bitmap_set(ctx->vmx, 0x4321, 1, true);
	ctx->scratch[0] = 0x4321;
	nested_run(ctx);
	if (!report_io_exit(ctx, 1, false, IOQ_STRING, 0x4321, "OUTSB to a port whose bit is set"))
		return;
	report_eq_x((uintptr_t)src, e->gla, "guest-linear address of OUTSB is its source");
	report_eq_x((uintptr_t)src, ctx->vmx->gprs.rsi, "RSI at the OUTSB exit is unchanged");
	if (vmx_caps()->basic & VMX_BASIC_INS_OUTS)
		report_eq_x(2 << 7 | 3 << 15, e->insn_info & (7 << 7 | 7 << 15),
			    "instruction information of OUTSB: 64-bit addresses, DS");
}

static void rep_string_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap_set(ctx->vmx, 0x4322, 1, true);
	ctx->scratch[0] = 0x4322;
	nested_run(ctx);
	if (report_io_exit(ctx, 1, false, IOQ_STRING | IOQ_REP, 0x4322,
			   "REP OUTSB to a port whose bit is set"))
		report_eq(3, ctx->vmx->gprs.rcx, "RCX at the REP OUTSB exit is the full count");
}

static void word_run(struct nested_ctx *ctx)
{
	vmx_io_bitmap_set(ctx->vmx, 0x2345, 1, true);
	ctx->scratch[0] = 0x2344;
	nested_run(ctx);
	report_io_exit(ctx, 2, false, 0, 0x2344, "OUT of 2 bytes at 2344H reaching a set bit");
}

VMX_TEST(io_unconditional, .guest = g_out_imm, .run = io_uncond_run)
VMX_TEST(io_no_exiting, .guest = g_out_imm, .run = io_no_exit_run)
VMX_TEST(io_bitmap_a, .guest = g_in_dx, .run = bitmap_a_run)
VMX_TEST(io_bitmap_b, .guest = g_in_dx, .run = bitmap_b_run)
VMX_TEST(io_bitmap_clear, .guest = g_out_imm, .run = bitmap_clear_run)
VMX_TEST(io_bitmap_span, .guest = g_in_dx, .run = bitmap_span_run)
VMX_TEST(io_port_wrap, .guest = g_out_dx16, .run = bitmap_wrap_run)
VMX_TEST(io_outs, .guest = g_outsb, .run = string_run)
VMX_TEST(io_rep_outs, .guest = g_rep_outsb, .run = rep_string_run)
VMX_TEST(io_word_span, .guest = g_out_dx16, .run = word_run)

static VMX_NEEDS_CTL(needs_uncond, VMX_PROC, PROC_IO_UNCOND, "unconditional I/O exiting")
static VMX_NEEDS_CTL(needs_bitmaps, VMX_PROC, PROC_IO_BITMAPS, "use I/O bitmaps")

static const struct subtest tests[] = {
	SUBTEST_NEEDS(io_unconditional, needs_uncond),
	SUBTEST_NEEDS(io_no_exiting, vmx_needs),
	SUBTEST_NEEDS(io_bitmap_a, needs_bitmaps),
	SUBTEST_NEEDS(io_bitmap_b, needs_bitmaps),
	SUBTEST_NEEDS(io_bitmap_clear, needs_bitmaps),
	SUBTEST_NEEDS(io_bitmap_span, needs_bitmaps),
	SUBTEST_NEEDS(io_port_wrap, needs_bitmaps),
	SUBTEST_NEEDS(io_outs, needs_bitmaps),
	SUBTEST_NEEDS(io_rep_outs, needs_bitmaps),
	SUBTEST_NEEDS(io_word_span, needs_bitmaps),
};

NESTED_TABLE(vmx_io_tests, tests);
