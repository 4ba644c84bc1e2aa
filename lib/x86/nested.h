/* SPDX-License-Identifier: MIT */
/*
 * The harness of the nested-virtualization tests, shared by both families
 * (x86/svm: AMD SVM, x86/vmx: Intel VMX; docs/nested.md). The image is the
 * L1 hypervisor; each test runs a small guest (L2) and checks its exits.
 *
 * A test is a struct nested_test: guest code, a prepare step, an exit hook
 * and the checks, or one run() function doing it all. nested_test_run()
 * builds the guest on the CPU running main (vCPU 0) from that CPU's state,
 * calls prepare() there, enters the guest on the CPU chosen with the test
 * argument cpu=N (or cpu=last; default 0), where exit() sees each exit and
 * may resume the guest, and calls check() back on vCPU 0. The family (struct
 * nested_family) supplies what differs: how a guest is built, entered and
 * moved between CPUs.
 *
 * A guest starts at nested_guest_entry with RDI = arg, RSI = fn, RDX = the
 * family's hypercall loop: fn(arg) runs on the guest's own stack and
 * returns into that loop (VMMCALL or VMCALL, again on every resume).
 */
#ifndef LIB_X86_NESTED_H
#define LIB_X86_NESTED_H

#include "extable.h"
#include "libc.h"
#include "subtest.h"

struct ex_regs;
struct nested_ctx;
struct svm_guest;
struct vmcb;
struct vmx_guest;

/**
 * struct nested_family - what one family of hardware virtualization does.
 * @name: "SVM", "VMX"
 * @needs: the subtest predicate: NULL when usable here, else why not
 * @print_caps: INFO lines about the capabilities found
 * @create: build ctx's guest on this CPU, entering nested_test_guest(ctx)
 * @destroy: free it (on the CPU that built it)
 * @restart: put the guest back at its entry with an empty stack
 * @enable_cpu: make this CPU ready to enter guests (before host state is read)
 * @enter: one guest entry and exit on this CPU; the exit code (family's
 *	encoding); fills ctx->host_before.rsp and ctx->host_after.rsp
 * @release: give up the guest on this CPU so another may take it (VMCLEAR)
 * @acquire: take the guest on this CPU (VMPTRLD)
 */
struct nested_family {
	const char *name;
	const char *(*needs)(void);
	void (*print_caps)(void);
	void (*create)(struct nested_ctx *ctx);
	void (*destroy)(struct nested_ctx *ctx);
	void (*restart)(struct nested_ctx *ctx);
	void (*enable_cpu)(void);
	uint64_t (*enter)(struct nested_ctx *ctx);
	void (*release)(struct nested_ctx *ctx);
	void (*acquire)(struct nested_ctx *ctx);
};

/* Host state a guest entry and exit must leave as they found it. */
struct nested_host_state {
	uint64_t cr0, cr3, cr4, efer, rsp;
};

/**
 * struct nested_ctx - one run of a test, shared by host and guest code.
 * @test: the descriptor (@test->arg for table rows)
 * @cpu: the CPU guests are entered on
 * @exits: exits so far
 * @exit_code: the last entry's result, as @test->family->enter returned it
 * @scratch: volatile words the guest and the host hand each other
 * @host_before, @host_after: the entering CPU's state around the last entry
 * @data: the test's own
 * SVM: @guest, @vmcb (== &guest->vmcb), @iopm, @msrpm (x86/svm/svm_test.h).
 * VMX: @vmx (x86/vmx/vmx_test.h).
 */
struct nested_ctx {
	const struct nested_test *test;
	int cpu;
	unsigned int exits;
	uint64_t exit_code;
	volatile uint64_t scratch[8];
	struct nested_host_state host_before, host_after;
	void *data;
	union {
		struct {
			struct svm_guest *guest;
			struct vmcb *vmcb;
			void *iopm, *msrpm;
		};
		struct vmx_guest *vmx;
	};
};

/**
 * struct nested_test - a test; every hook is optional.
 * @guest: guest code, at CPL0 in the host's address space on a stack of its
 *	own; the family's hypercall follows when it returns
 * @prepare: guest setup on vCPU 0 before the first entry
 * @exit: on @ctx->cpu after each exit; return true to enter again (move the
 *	guest's RIP first); absent: one entry
 * @check: exit checks on vCPU 0 after the last exit
 * @run: instead of prepare/exit/check: the whole test, each entry through
 *	nested_run()
 * @arg: data for table-driven tests (one descriptor per table row)
 */
struct nested_test {
	const char *name;
	const struct nested_family *family;
	void (*guest)(struct nested_ctx *ctx);
	void (*prepare)(struct nested_ctx *ctx);
	bool (*exit)(struct nested_ctx *ctx);
	void (*check)(struct nested_ctx *ctx);
	void (*run)(struct nested_ctx *ctx);
	const void *arg;
};

/* Defines the descriptor id##_desc and the subtest function id(). */
#define NESTED_TEST(id, fam, ...)							\
	static const struct nested_test id##_desc = { .name = #id, .family = fam, __VA_ARGS__ }; \
	static void id(void)								\
	{										\
		nested_test_run(&id##_desc);						\
	}

/* Each feature file exports its subtest table; main.c lists them in run order. */
struct nested_table {
	const struct subtest *tests;
	size_t n;
};

#define NESTED_TABLE(name, array) \
	const struct nested_table name = { array, ARRAY_SIZE(array) }

/* Parses cpu=N / cpu=last, prints @f's capabilities, runs every table's subtests. */
int nested_main(const struct nested_family *f, const struct nested_table *const *tables,
		size_t n, int argc, char **argv);

/* Run @t as described at the top. */
void nested_test_run(const struct nested_test *t);

/* One entry on ctx->cpu; the exit code (also in ctx->exit_code). */
uint64_t nested_run(struct nested_ctx *ctx);

/*
 * fn(ctx) on ctx->cpu with the guest taken there (acquire/release around it
 * when that is not this CPU), for host code that must run beside the guest.
 */
void nested_on_guest_cpu(struct nested_ctx *ctx, void (*fn)(struct nested_ctx *ctx));

/* One entry on this CPU, host state recorded around it (for nested_on_guest_cpu). */
uint64_t nested_enter_here(struct nested_ctx *ctx);

/* Put the guest back at the start of test->guest with an empty stack. */
void nested_restart(struct nested_ctx *ctx);

/* The CPU tests enter their guests on (cpu=N, cpu=last). */
int nested_test_cpu(void);

/* The guest code every guest starts in: calls test->guest(ctx). */
void nested_test_guest(void *ctx);

/* Check the last entry left the host's CR0/CR3/CR4/EFER and RSP intact. */
void nested_check_host_state(struct nested_ctx *ctx, const char *what);

/*
 * One check that the guest neither took an exception (scratch[2]) nor got
 * past the intercepted event (scratch[1]); the failure decodes both.
 */
void nested_report_not_delivered(struct nested_ctx *ctx, const char *fmt, ...) __printf(2, 3);

/*
 * NESTED_GUEST_INSN(name, insn, setup...): guest code g_name() executing
 * @insn inside an exception fixup, so that a VMM raising an exception
 * instead of the exit fails the checks without ending the run; scratch[2]
 * keeps the exception (0 for none). RAX (a), RCX (cx) and RDX (d) start at
 * 0 and are the instruction's operands; @setup (statements) may set them.
 */
#define NESTED_GUEST_INSN(name, insn, ...)					\
	static void g_##name(struct nested_ctx *c)				\
	{									\
		DECLARE_EXINFO(ex);						\
		uint64_t a = 0, cx = 0, d = 0;					\
										\
		__VA_ARGS__;							\
		asm volatile(ASM_TRY(insn) : "+r"(ex), "+a"(a), "+c"(cx), "+d"(d)	\
			     : : "rbx", "memory");				\
		c->scratch[2] = ex;						\
	}

/*
 * What a guest's exception handler saw (the event-injection tests of both
 * families): deliveries counted, vector, error code, return RIP, CR2.
 */
struct nested_event {
	unsigned int count;
	uint64_t vector, error, rip, cr2;
};

/* Record the exception @r in @e (from a guest's handler). */
void nested_event_record(volatile struct nested_event *e, const struct ex_regs *r);

/* Decodes an exit code into @buf ("VMEXIT_CPUID (0x72)") and returns @buf. */
typedef char *(*nested_exit_str_t)(uint64_t code, char *buf, size_t len);

/**
 * nested_report_exit() - the exit-code check of both families
 * @pass: the outcome (the family decides which bits of the code count)
 * @expected, @got: the codes, decoded with @str on failure
 * @detail: the exit's details, appended to what was got on failure
 */
bool nested_report_exit(bool pass, uint64_t expected, uint64_t got, nested_exit_str_t str,
			const char *detail, const char *fmt, va_list ap) __printf(6, 0);

/* ---- the exit round-trip benchmark ---- */

#define NESTED_BENCH_TRIPS	1000

/* Guest code for nested_bench_exits(): CPUID (2 bytes: 0F A2) forever. */
void nested_bench_guest(struct nested_ctx *ctx);

/**
 * nested_bench_exits() - time CPUID exit round trips (a @run hook's body)
 * @cpuid_exit: the family's exit code of a CPUID exit
 * @skip: move the guest's RIP past the CPUID
 *
 * After one untimed entry, times NESTED_BENCH_TRIPS entries with RDTSC on
 * the guest's CPU, each moving past the CPUID it exits on; checks that each
 * exit was a CPUID exit and prints the median, minimum and maximum in TSC
 * cycles in an INFO line "exit round trip: median N TSC cycles ..." that
 * scripts/bench.sh reads. Prepare the guest (CPUID intercept) first.
 */
void nested_bench_exits(struct nested_ctx *ctx, uint64_t cpuid_exit,
			void (*skip)(struct nested_ctx *ctx));

/* ---- guests ---- */

#define NESTED_STACK_ORDER	2	/* 16 KiB per guest */

/* The guest entry point (nested_entry.S); see the top of this file. */
extern char nested_guest_entry[];

/* A guest stack; report_abort() when out of memory. */
void *nested_stack_alloc(void);
void nested_stack_free(void *stack);

/* The guest's RSP at entry: the top of @stack (16-byte aligned). */
static inline uint64_t nested_stack_top(void *stack)
{
	return (uintptr_t)stack + (4096UL << NESTED_STACK_ORDER);
}

/**
 * struct x86_seg - a segment of the running CPU in the form guest state
 * areas take: access rights as the VMCS holds them (descriptor bits 47:40
 * in 7:0, bits 55:52 in 15:12, bit 16 "unusable" for a null selector).
 */
struct x86_seg {
	uint16_t sel;
	uint32_t ar;
	uint32_t limit;
	uint64_t base;
};

#define X86_SEG_AR_UNUSABLE	BIT(16)

/* The segment @sel selects in the running CPU's GDT (system descriptors: 16 bytes). */
struct x86_seg nested_seg_from_gdt(uint16_t sel);

#endif
