/* SPDX-License-Identifier: MIT */
/*
 * The x86/svm harness (docs/svm.md): every test is a struct svm_test that
 * names its guest code, its VMCB setup and its exit checks, registered as
 * a subtest (lib/subtest.h) in its feature file's table.
 *
 * Flow of svm_test_run(): a guest is built on the CPU running main (vCPU 0)
 * from that CPU's state; prepare() edits its VMCB; VMRUN then executes on
 * the CPU chosen with the test argument cpu=N (or cpu=last; default 0),
 * where exit() sees each #VMEXIT and may resume the guest; check() runs
 * back on vCPU 0. A test with run() instead does all of that itself, with
 * svm_test_vmrun() for each VMRUN.
 */
#ifndef X86_SVM_SVM_TEST_H
#define X86_SVM_SVM_TEST_H

#include "alloc.h"
#include "asm/cpuid.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "svm.h"

struct svm_test;

/* Host state VMRUN must leave as it found it (APM 15.5.1, 15.6). */
struct svm_host_state {
	uint64_t cr0, cr3, cr4, efer;
};

/**
 * struct svm_test_ctx - one run of a test, shared by host and guest code.
 * @test: the descriptor
 * @guest: the guest (VMCB, GPRs, stack); @vmcb is &guest->vmcb
 * @cpu: the CPU VMRUN executes on
 * @exits: #VMEXITs so far
 * @scratch: data the guest hands the host (or back), volatile
 * @iopm, @msrpm: maps set up by svm_test_iopm() / svm_test_msrpm()
 * @host_before, @host_after: the running CPU's state around the last VMRUN
 * @data: the test's own
 */
struct svm_test_ctx {
	const struct svm_test *test;
	struct svm_guest *guest;
	struct vmcb *vmcb;
	int cpu;
	unsigned int exits;
	volatile uint64_t scratch[8];
	void *iopm, *msrpm;
	struct svm_host_state host_before, host_after;
	void *data;
};

/**
 * struct svm_test - a test: all hooks optional.
 * @guest: guest code, entered with a stack of its own at CPL0 in the host's
 *	address space; VMMCALL follows when it returns
 * @prepare: VMCB setup on vCPU 0 before the first VMRUN
 * @exit: called on @ctx->cpu after each #VMEXIT; return true to VMRUN again
 *	(fix RIP first, e.g. svm_skip_insn()); absent: one VMRUN
 * @check: exit checks on vCPU 0 after the last #VMEXIT
 * @run: instead of prepare/exit/check: the whole test, VMRUNs through
 *	svm_test_vmrun()
 * @arg: data for table-driven tests (one descriptor per table row)
 */
struct svm_test {
	const char *name;
	void (*guest)(struct svm_test_ctx *ctx);
	void (*prepare)(struct svm_test_ctx *ctx);
	bool (*exit)(struct svm_test_ctx *ctx);
	void (*check)(struct svm_test_ctx *ctx);
	void (*run)(struct svm_test_ctx *ctx);
	const void *arg;
};

/*
 * SVM_TEST(id, hooks...) defines the descriptor and the subtest function
 * id(); list it in the file's table as SUBTEST_NEEDS(id, svm_needs) (or a
 * stricter predicate below).
 */
#define SVM_TEST(id, ...)						\
	static const struct svm_test id##_desc = { .name = #id, __VA_ARGS__ };	\
	static void id(void)						\
	{								\
		svm_test_run(&id##_desc);				\
	}

/* Each feature file exports its table; main.c lists them in run order. */
struct svm_table {
	const struct subtest *tests;
	size_t n;
};

#define SVM_TABLE(name, array) \
	const struct svm_table name = { array, ARRAY_SIZE(array) }

int svm_main(const struct svm_table *const *tables, size_t n, int argc, char **argv);

/* Run @t as described above. */
void svm_test_run(const struct svm_test *t);

/* One VMRUN on ctx->cpu (on_cpu when that is not this CPU); the exit code. */
uint64_t svm_test_vmrun(struct svm_test_ctx *ctx);

/* Put the guest back at the start of test->guest with an empty stack. */
void svm_test_restart(struct svm_test_ctx *ctx);

/* Allocate the maps, point the VMCB at them and set IOIO_PROT / MSR_PROT. */
void *svm_test_iopm(struct svm_test_ctx *ctx);
void *svm_test_msrpm(struct svm_test_ctx *ctx);

/* The CPU tests run their guests on (cpu=N, cpu=last). */
int svm_test_cpu(void);

/* Check the last VMRUN left the host's CR0/CR3/CR4/EFER and RSP intact. */
void svm_check_host_state(struct svm_test_ctx *ctx, const char *what);

/*
 * One check that the guest neither took an exception (scratch[2]) nor got
 * past the intercepted event (scratch[1]); the failure decodes both.
 */
void svm_report_not_delivered(struct svm_test_ctx *ctx, const char *fmt, ...) __printf(2, 3);

/* needs predicates: NULL or why the test cannot run. */
const char *svm_needs_nrips(void);
const char *svm_needs_npt(void);
const char *svm_needs_pause_filter(void);
const char *svm_needs_pause_threshold(void);
const char *svm_needs_decode_assists(void);

/* The feature files' tables. */
extern const struct svm_table svm_insn_tests;
extern const struct svm_table svm_vmrun_tests;
extern const struct svm_table svm_ioio_tests;
extern const struct svm_table svm_msrpm_tests;
extern const struct svm_table svm_crdr_tests;
extern const struct svm_table svm_excp_tests;
extern const struct svm_table svm_intr_tests;
extern const struct svm_table svm_evtinj_tests;
extern const struct svm_table svm_npt_tests;
extern const struct svm_table svm_misc_tests;

#endif
