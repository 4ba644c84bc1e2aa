// SPDX-License-Identifier: MIT
/*
 * Debug registers and #DB: DR6/DR7 fixed bits, DR4/DR5 aliasing, general
 * detect, single-step traps (with the MOV SS shadow), instruction
 * breakpoints with RF, data breakpoints and their lengths. SDM vol. 3
 * 17.2 (debug registers), 17.3.1 (debug exception conditions, RF), 6.8.3
 * (MOV SS), 2.3 (EFLAGS.TF/RF); APM vol. 2 13.1.
 */
#include "exceptions.h"

#define DR7_RW_EXEC	0
#define DR7_RW_WRITE	1
#define DR7_RW_RDWR	3
/* DR7 LENn encodings: 00 = 1 byte, 01 = 2, 11 = 4, 10 = 8. */
#define LEN_CODE(bytes)	((bytes) == 1 ? 0 : (bytes) == 2 ? 1 : (bytes) == 4 ? 3 : 2)

/* Labels: ss_basic_N is the Nth instruction after the POPF that sets TF. */
asm(".pushsection .text.exc_stubs, \"ax\"\n"
	"ss_basic:\n\t"
	"pushf\n\torq $0x100, (%rsp)\n\tpopf\n"
	"ss_basic_1:\tnop\n"
	"ss_basic_2:\tnop\n"
	"ss_basic_3:\tnop\n"
	"ss_basic_4:\tret\n"
	"ss_movss:\n\t"
	"mov %ss, %eax\n\tpushf\n\torq $0x100, (%rsp)\n\tpopf\n"
	"ss_movss_1:\tmov %eax, %ss\n"
	"ss_movss_2:\tnop\n"
	"ss_movss_3:\tnop\n"
	"ss_movss_4:\tret\n"
	"bp_exec:\n\t"
	"xor %eax, %eax\n\tmov $2, %ecx\n"
	"bp_exec_target:\n\t"
	"inc %eax\n\tdec %ecx\n\tjnz bp_exec_target\n\tret\n"
	".popsection");
extern char ss_basic[], ss_basic_2[], ss_basic_3[], ss_basic_4[];
extern char ss_movss[], ss_movss_3[], ss_movss_4[];
extern char bp_exec[], bp_exec_target[];

STUB(bp_write1, "", "movb $1, (%rdi)", "");
STUB(bp_write4, "", "movl $1, (%rdi)", "");
STUB(bp_read8, "", "mov (%rdi), %rax", "");
STUB(dr_gd, "", "mov %dr0, %rax", "");

static uint64_t bp_var[4] __aligned(32);

static uint64_t dr6_fixed_ones(void)
{
	/* Bits 4-10 and 17-31 read as 1; BLD (11) and RTM (16) too when not supported. */
	uint64_t v = 0xfffe07f0;

	if (!this_cpu_has(X86_FEATURE_BUS_LOCK_DETECT))
		v |= BIT(11);
	if (!this_cpu_has(X86_FEATURE_RTM))
		v |= DR6_RTM;
	return v;
}

static uint64_t read_dr4(void)
{
	uint64_t v;

	asm volatile("mov %%dr4, %0" : "=r"(v));
	return v;
}

static void write_dr5(uint64_t v)
{
	asm volatile("mov %0, %%dr5" : : "r"(v));
}

static void dr_reset(void)
{
	write_dr7(DR7_FIXED);
	write_dr6(DR6_INIT);
}

static void dr_address_regs(void)
{
	static const uint64_t vals[4] = {
		0x0000123456789ab0ULL, 0xffff876543210000ULL, 0x00007ffffffff000ULL, 0x1000ULL,
	};
	uint64_t got[4];

	write_dr0(vals[0]);
	write_dr1(vals[1]);
	write_dr2(vals[2]);
	write_dr3(vals[3]);
	got[0] = read_dr0();
	got[1] = read_dr1();
	got[2] = read_dr2();
	got[3] = read_dr3();
	for (int i = 0; i < 4; i++)
		report_eq_x(vals[i], got[i], "DR%d holds the 64-bit address written to it", i);
	write_dr0(0);
	write_dr1(0);
	write_dr2(0);
	write_dr3(0);
}

void debug_regs(void)
{
	struct env_saved s;
	struct trace *t;
	unsigned long cr4;
	char got[32] = "";
	bool pass;

	write_dr6(0);
	report_eq_x(dr6_fixed_ones(), read_dr6(), "DR6 written with 0 reads back its fixed-1 bits");
	write_dr6(0xffffffff);
	report_eq_x(0xffffefffUL, read_dr6(), "DR6 written with all ones reads bit 12 as 0");
	write_dr7(0);
	report_eq_x(DR7_FIXED, read_dr7(), "DR7 written with 0 reads back bit 10 set");
	dr_reset();
	dr_address_regs();

	/* CR4.DE=0: DR4/DR5 are aliases of DR6/DR7 (SDM 17.2.2). */
	cr4 = read_cr4();
	write_cr4(cr4 & ~X86_CR4_DE);
	write_dr6(DR6_INIT | DR6_BS);
	report_eq_x(DR6_INIT | DR6_BS, read_dr4(), "with CR4.DE=0, DR4 reads DR6");
	/* L3 with DR3 = 0: an instruction breakpoint on the unmapped page 0 never fires. */
	write_dr5(DR7_FIXED | DR7_L(3));
	report_eq_x(DR7_FIXED | DR7_L(3), read_dr7(), "with CR4.DE=0, a write to DR5 sets DR7");
	write_cr4(cr4);
	dr_reset();

	env_apply(ENV_GD, &s);
	t = run_stub(&(struct run){ .stub = dr_gd, .resume = dr_gd_next });
	env_restore(&s);
	report_eq_x(DR6_BD, t->ev[0].dr6 & DR6_BD, "general-detect #DB sets DR6.BD");
	pass = t->n && !(t->ev[0].dr7 & DR7_GD);
	if (!pass && t->n)
		snprintf(got, sizeof(got), "DR7 %#lx", (unsigned long)t->ev[0].dr7);
	report_decoded(pass, "DR7.GD (bit 13) clear in the #DB handler", t->n ? got : "no #DB",
		       "general-detect #DB clears DR7.GD on delivery");
}

static void step_checks(struct trace *t, const char *cpl)
{
	const char *labels[] = { ss_basic_2, ss_basic_3, ss_basic_4 };

	report_eq(3, t->n, "%s: three single-stepped instructions raise three #DB traps", cpl);
	for (int i = 0; i < 3; i++)
		report_eq_x((uintptr_t)labels[i], t->ev[i].rip,
			    "%s: single-step #DB %d reports the RIP after instruction %d",
			    cpl, i + 1, i + 1);
	report_eq_x(DR6_BS, t->ev[0].dr6 & DR6_BS, "%s: single-step #DB sets DR6.BS", cpl);
	report_eq_x(X86_EFLAGS_TF, t->ev[0].rflags & X86_EFLAGS_TF,
		    "%s: the saved RFLAGS has TF set", cpl);
}

void single_step(void)
{
	struct trace *t;

	write_dr6(DR6_INIT);
	t = run_stub(&(struct run){ .stub = ss_basic, .tf_stop = ss_basic_4 });
	step_checks(t, "CPL0");
	report(t->n && !(t->ev[0].handler_rflags & X86_EFLAGS_TF),
	       "#DB delivery clears TF for the handler");

	write_dr6(DR6_INIT);
	t = run_stub(&(struct run){ .stub = ss_basic, .user = true, .tf_stop = ss_basic_4 });
	step_checks(t, "CPL3");
	report_eq_x(USER_CS | 3, t->ev[0].cs, "CPL3: single-step #DB saves the user CS");

	/* SDM 6.8.3: MOV SS holds back the single-step trap until after the next instruction. */
	write_dr6(DR6_INIT);
	t = run_stub(&(struct run){ .stub = ss_movss, .tf_stop = ss_movss_4 });
	report_eq(2, t->n, "single-stepping MOV SS and two NOPs raises two #DB traps");
	report_eq_x((uintptr_t)ss_movss_3, t->ev[0].rip,
		    "the single-step trap after MOV SS is delivered after the next instruction");
	dr_reset();
}

static void arm(int n, uintptr_t addr, int rw, int bytes, bool global)
{
	uint64_t dr7 = DR7_FIXED | (global ? DR7_G(n) : DR7_L(n)) | DR7_RW(n, rw) |
		       DR7_LEN(n, LEN_CODE(bytes));

	switch (n) {
	case 0:
		write_dr0(addr);
		break;
	case 1:
		write_dr1(addr);
		break;
	case 2:
		write_dr2(addr);
		break;
	default:
		write_dr3(addr);
		break;
	}
	write_dr6(DR6_INIT);
	write_dr7(dr7);
}

static void exec_breakpoints(void)
{
	struct trace *t;

	arm(0, (uintptr_t)bp_exec_target, DR7_RW_EXEC, 1, false);
	t = run_stub(&(struct run){ .stub = bp_exec, .set_rf = true });
	dr_reset();
	report_eq(2, t->n, "an L0 instruction breakpoint faults on each of two executions");
	report_eq_x((uintptr_t)bp_exec_target, t->ev[0].rip,
		    "instruction breakpoint #DB is a fault (saved RIP = the instruction)");
	report_eq_x((uintptr_t)bp_exec_target, t->ev[1].rip,
		    "after RF let the instruction run once, the breakpoint fires again");
	report_eq_x(DR6_B(0), t->ev[0].dr6 & DR6_B(0), "instruction breakpoint sets DR6.B0");
	report_eq(2, t->ret, "with RF set the instruction under the breakpoint runs once per #DB");

	arm(0, (uintptr_t)bp_exec_target, DR7_RW_EXEC, 1, true);
	t = run_stub(&(struct run){ .stub = bp_exec, .set_rf = true });
	dr_reset();
	report_eq(2, t->n, "a G0 (global) instruction breakpoint faults too");

	write_dr0((uintptr_t)bp_exec_target);
	t = run_stub(&(struct run){ .stub = bp_exec, .set_rf = true });
	report_eq(0, t->n, "a breakpoint with L0 and G0 clear does not fire");
}

/* One data access against a breakpoint on DR1; returns the trace. */
static struct trace *data_access(const void *stub, const void *next, uintptr_t addr,
				 bool user)
{
	return run_stub(&(struct run){ .stub = stub, .arg = addr, .user = user, .resume = next });
}

static void data_breakpoints(void)
{
	uintptr_t var = (uintptr_t)&bp_var[1];
	struct trace *t;

	arm(1, var, DR7_RW_WRITE, 8, false);
	t = data_access(bp_write1, bp_write1_next, var, false);
	report_eq(1, t->n, "a write hits an 8-byte write breakpoint once");
	report_eq_x((uintptr_t)bp_write1_next, t->ev[0].rip,
		    "data breakpoint #DB is a trap (saved RIP = the next instruction)");
	report_eq_x(DR6_B(1), t->ev[0].dr6 & DR6_B(1), "data breakpoint sets DR6.B1");

	arm(1, var, DR7_RW_WRITE, 8, false);
	t = data_access(bp_read8, bp_read8_next, var, false);
	report_eq(0, t->n, "a read does not hit a write-only breakpoint");

	arm(1, var, DR7_RW_WRITE, 8, false);
	t = data_access(bp_write1, bp_write1_next, var, true);
	report_eq(1, t->n, "a CPL3 write hits a write breakpoint");
	report_eq_x(USER_CS | 3, t->ev[0].cs, "data breakpoint #DB from CPL3 saves the user CS");

	arm(2, var, DR7_RW_RDWR, 8, false);
	t = data_access(bp_read8, bp_read8_next, var, false);
	report_eq(1, t->n, "a read hits a read/write breakpoint");
	report_eq_x(DR6_B(2), t->ev[0].dr6 & DR6_B(2), "read/write breakpoint sets DR6.B2");

	/* SDM 17.2.3: the processor never clears DR6.BS; a later #DB leaves it set. */
	arm(1, var, DR7_RW_WRITE, 8, false);
	write_dr6(DR6_INIT | DR6_BS);
	t = data_access(bp_write1, bp_write1_next, var, false);
	report_eq_x(DR6_BS | DR6_B(1), t->ev[0].dr6 & (DR6_BS | DR6_B(1)),
		    "DR6.BS set by software stays set across a data breakpoint #DB");
	dr_reset();
}

/* Breakpoint length: which byte offsets from the breakpoint address hit. */
static const struct {
	int len, offset, size;
	bool hit;
} len_rows[] = {
	{ 1, 0, 1, true }, { 1, 1, 1, false }, { 1, -1, 1, false }, { 1, -3, 4, true },
	{ 2, 1, 1, true }, { 2, 2, 1, false },
	{ 4, 3, 1, true }, { 4, 4, 1, false },
	{ 8, 7, 1, true }, { 8, 8, 1, false },
};

static void breakpoint_lengths(void)
{
	uintptr_t var = (uintptr_t)&bp_var[2];
	struct trace *t;

	for (size_t i = 0; i < ARRAY_SIZE(len_rows); i++) {
		bool four = len_rows[i].size == 4;
		const void *stub = four ? bp_write4 : bp_write1;
		const void *next = four ? bp_write4_next : bp_write1_next;

		arm(3, var, DR7_RW_WRITE, len_rows[i].len, false);
		t = data_access(stub, next, var + len_rows[i].offset, false);
		report_eq(len_rows[i].hit, t->n,
			  "%d-byte write at offset %d %s a %d-byte write breakpoint",
			  len_rows[i].size, len_rows[i].offset,
			  len_rows[i].hit ? "hits" : "misses", len_rows[i].len);
	}
	dr_reset();
}

void hw_breakpoints(void)
{
	exec_breakpoints();
	data_breakpoints();
	breakpoint_lengths();
}
