/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the exceptions image: asm stubs with labelled faulting
 * instructions, a recording exception handler, the environment a probe
 * runs in (CPL, CR0/CR4 bits, IDT gate changes) and table-driven checks.
 */
#ifndef X86_EXCEPTIONS_H
#define X86_EXCEPTIONS_H

#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "report.h"
#include "user.h"

/*
 * STUB() defines an asm function name() that runs @setup, then the probed
 * instruction at name_insn, then @cleanup from name_next, and returns.
 * The recording handler resumes a faulting probe at name_next, so @cleanup
 * always runs. Stubs may clobber rax, rcx, rdx, rsi, rdi, r8-r11, x87 and
 * XMM state; they get one argument in rdi and return rax.
 */
#define STUB(name, setup, insn, cleanup)					\
	asm(".pushsection .text.exc_stubs, \"ax\"\n"				\
	    #name ":\n\t" setup "\n"						\
	    #name "_insn:\n\t" insn "\n"					\
	    #name "_next:\n\t" cleanup "\n\tret\n"				\
	    ".popsection");							\
	extern char name[], name##_insn[], name##_next[]

#define NONCANONICAL	"0x8000000000000000"

/* The environment a probe runs in; restored afterwards. */
enum {
	ENV_USER	= BIT(0),	/* run at CPL3 through run_in_user() */
	ENV_TS		= BIT(1),	/* CR0.TS = 1 */
	ENV_NO_MP	= BIT(2),	/* CR0.MP = 0 */
	ENV_EM		= BIT(3),	/* CR0.EM = 1 */
	ENV_AM		= BIT(4),	/* CR0.AM = 1 */
	ENV_WP0		= BIT(5),	/* CR0.WP = 0 */
	ENV_NO_OSFXSR	= BIT(6),	/* CR4.OSFXSR = 0 */
	ENV_NO_XMMEXCPT	= BIT(7),	/* CR4.OSXMMEXCPT = 0 */
	ENV_DE		= BIT(8),	/* CR4.DE = 1 */
	ENV_UMIP	= BIT(9),	/* CR4.UMIP = 1 */
	ENV_TSD		= BIT(10),	/* CR4.TSD = 1 */
	ENV_NO_OSXSAVE	= BIT(11),	/* CR4.OSXSAVE = 0 */
	ENV_BP_DPL0	= BIT(12),	/* IDT gate 3 with DPL 0 */
	ENV_INT80_DPL3	= BIT(13),	/* IDT gate 0x80 with DPL 3 */
	ENV_INT81_NP	= BIT(14),	/* IDT gate 0x81 not present */
	ENV_GP_NP	= BIT(15),	/* IDT gate 13 (#GP) not present */
	ENV_GD		= BIT(16),	/* DR7.GD = 1 */
	ENV_DRS		= BIT(17),	/* the probe writes DR6/DR7: reset them after */
};

/* Run-time arguments a table row asks for (passed in rdi). */
enum probe_arg {
	ARG_NONE,
	ARG_CR0,
	ARG_CR3,
	ARG_CR4,
	ARG_GDTR,		/* pointer to this CPU's GDTR image */
	ARG_IDTR,
	ARG_BUF,		/* pointer to a 16-byte aligned 512-byte buffer */
	ARG_SYSENTER_CS,	/* the MSR's current value */
	ARG_VALUE,		/* struct probe.value */
};

#define MAX_EVENTS	8

struct event {
	exinfo_t ex;
	uint64_t rip, cs, rflags, rsp, ss;
	uint64_t cr2, dr6, dr7;
	uintptr_t frame_top;	/* address just above the hardware frame */
	uint64_t handler_rflags;
	uint16_t handler_ss;
};

struct trace {
	int n;				/* exceptions seen (may exceed MAX_EVENTS) */
	struct event ev[MAX_EVENTS];
	uint64_t ret;			/* the stub's rax */
	uint64_t call_rsp;		/* RSP right before the CALL to the stub */
	uintptr_t resume;		/* nonzero: continue there after an exception */
	uintptr_t tf_stop;		/* clear TF once the saved RIP reaches this */
	bool set_rf;			/* set RFLAGS.RF on return from #DB */
};

/* How run_stub() calls a stub. */
struct run {
	const void *stub;
	uint64_t arg;
	bool user;
	const void *resume;
	const void *tf_stop;
	bool set_rf;
};

/* One row of a probe table. */
struct probe {
	const char *msg;	/* the architectural expectation */
	const void *stub, *insn, *next;
	exinfo_t expect;	/* 0: no exception */
	bool trap;		/* saved RIP is the next instruction */
	unsigned int env;
	enum probe_arg arg;
	uint64_t value;
	x86_feature_t needs;
};

#define FAULT	false
#define TRAP	true
#define NONE	0

/* A row for stub s: expectation, class, environment, message. */
#define PROBE(s, exp, kind, e, m)	{ .msg = m, .stub = s, .insn = s##_insn,	\
	.next = s##_next, .expect = exp, .trap = kind, .env = e }
#define PROBE_ARG(s, exp, kind, e, a, m)	{ .msg = m, .stub = s, .insn = s##_insn, \
	.next = s##_next, .expect = exp, .trap = kind, .env = e, .arg = a }
#define PROBE_NEEDS(s, exp, kind, e, f, m)	{ .msg = m, .stub = s, .insn = s##_insn, \
	.next = s##_next, .expect = exp, .trap = kind, .env = e, .needs = f }

struct env_saved {
	uint64_t cr0, cr4;
	unsigned int env;
};

/* probe.c */
struct trace *run_stub(const struct run *r);
void env_apply(unsigned int env, struct env_saved *s);
void env_restore(const struct env_saved *s);
bool probe_skip(const struct probe *p);
struct trace *probe_run(const struct probe *p, unsigned int env);
void probe_check(const struct probe *p, unsigned int env);
void probe_table(const struct probe *rows, size_t n, unsigned int env);
uintptr_t tss_rsp0(void);
uintptr_t tss_ist(int n);
const char *feature_name(x86_feature_t f);

/* Subtests, one file per area. */
void divide_errors(void);
void invalid_opcodes(void);
void bcd_daa(void);
void bcd_das(void);
void bcd_aaa(void);
void bcd_aas(void);
void reserved_ud1(void);
void reserved_ud0(void);
void reserved_evex(void);
void reserved_vex(void);
void noncanonical(void);
void debug_reg_faults(void);
void privileged_cpl3(void);
void soft_int_cpl0_int3(void);
void soft_int_cpl0_int_n(void);
void soft_int_cpl0_int1(void);
void gates(void);
void fpu_simd_state(void);
void fpu_simd_wait(void);
void fpu_simd_x87_exc(void);
void fpu_simd_sse(void);
void fpu_simd_mmx(void);
void fpu_simd_xm(void);
void fpu_simd_user(void);
void alignment_check(void);
void umip(void);
const char *needs_umip(void);
void page_faults(void);
void segments(void);
void stack_frames(void);
void percpu_vectors(void);
void debug_regs(void);
void single_step(void);
void hw_breakpoints(void);

#endif
