// SPDX-License-Identifier: MIT
/*
 * The x86/svm harness: the test argument cpu=N, the combined subtest
 * table, running one struct svm_test (svm_test.h, docs/svm.md) and checks
 * shared by the feature files. AMD APM vol. 2: 15.5 VMRUN saves the host
 * state it restores at #VMEXIT (15.6), so a VMRUN, whether it enters the
 * guest or fails its consistency checks, leaves the host's control
 * registers, EFER and RSP as they were.
 */
#include "alloc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "smp.h"
#include "arch.h"
#include "svm_test.h"

static int run_cpu;

int svm_test_cpu(void)
{
	return run_cpu;
}

/* cpu=N runs every guest on CPU N, cpu=last on the highest-numbered CPU. */
static void parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *end;

		if (strncmp(argv[i], "cpu=", 4))
			continue;
		if (!strcmp(argv[i] + 4, "last")) {
			run_cpu = cpu_count() - 1;
			continue;
		}
		run_cpu = strtol(argv[i] + 4, &end, 0);
		if (*end || run_cpu < 0 || run_cpu >= cpu_count())
			report_abort("argument '%s': want cpu=last or a CPU below %d", argv[i],
				     cpu_count());
	}
}

static void print_caps(void)
{
	const struct svm_caps *c = svm_caps();

	if (!c->svm) {
		report_info("SVM not supported (CPUID Fn8000_0001_ECX[2] clear)");
		return;
	}
	report_info("SVM revision %u, %u ASIDs, Fn8000_000A_EDX %#x:%s%s%s%s%s%s%s%s%s%s%s%s",
		    c->revision, c->nasid, c->edx, c->npt ? " NPT" : "", c->lbrv ? " LBRV" : "",
		    c->svml ? " SVML" : "", c->nrips ? " NRIPS" : "",
		    c->tsc_rate ? " TSCRate" : "", c->vmcb_clean ? " VMCBClean" : "",
		    c->flush_by_asid ? " FlushByASID" : "",
		    c->decode_assists ? " DecodeAssists" : "",
		    c->pause_filter ? " PauseFilter" : "",
		    c->pause_threshold ? " PauseFilterThreshold" : "", c->vgif ? " vGIF" : "",
		    c->vnmi ? " vNMI" : "");
	report_info("guests run on CPU %d of %d", run_cpu, cpu_count());
}

int svm_main(const struct svm_table *const *tables, size_t n, int argc, char **argv)
{
	struct subtest *all;
	size_t total = 0, k = 0;

	parse_args(argc, argv);
	print_caps();
	for (size_t i = 0; i < n; i++)
		total += tables[i]->n;
	all = malloc(total * sizeof(*all));
	if (!all)
		report_abort("out of memory for the subtest table");
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < tables[i]->n; j++)
			all[k++] = tables[i]->tests[j];
	return subtests_run(all, total, argc, argv);
}

/* ---- one test ---- */

static void guest_main(void *arg)
{
	struct svm_test_ctx *ctx = arg;

	if (ctx->test->guest)
		ctx->test->guest(ctx);
}

static void host_state_read(struct svm_host_state *s)
{
	s->cr0 = read_cr0();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->efer = rdmsr(MSR_EFER);
}

static void vmrun_here(void *arg)
{
	struct svm_test_ctx *ctx = arg;

	svm_enable_cpu();	/* EFER.SVME first: then VMRUN must not change EFER */
	host_state_read(&ctx->host_before);
	svm_run(ctx->guest);
	host_state_read(&ctx->host_after);
	ctx->exits++;
}

uint64_t svm_test_vmrun(struct svm_test_ctx *ctx)
{
	on_cpu(ctx->cpu, vmrun_here, ctx);
	return ctx->vmcb->control.exit_code;
}

/* The exit() loop runs on the guest's CPU: no on_cpu round trip per exit. */
static void vmrun_loop(void *arg)
{
	struct svm_test_ctx *ctx = arg;

	do
		vmrun_here(ctx);
	while (ctx->test->exit && ctx->test->exit(ctx));
}

void svm_test_restart(struct svm_test_ctx *ctx)
{
	svm_guest_set_entry(ctx->guest, guest_main, ctx);
}

void *svm_test_iopm(struct svm_test_ctx *ctx)
{
	if (!ctx->iopm)
		ctx->iopm = svm_iopm_alloc();
	svm_guest_use_iopm(ctx->guest, ctx->iopm);
	return ctx->iopm;
}

void *svm_test_msrpm(struct svm_test_ctx *ctx)
{
	if (!ctx->msrpm)
		ctx->msrpm = svm_msrpm_alloc();
	svm_guest_use_msrpm(ctx->guest, ctx->msrpm);
	return ctx->msrpm;
}

void svm_test_run(const struct svm_test *t)
{
	struct svm_test_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		report_abort("out of memory for a test context");
	ctx->test = t;
	ctx->cpu = run_cpu;
	ctx->guest = svm_guest_create(guest_main, ctx);
	ctx->vmcb = &ctx->guest->vmcb;
	if (t->run) {
		t->run(ctx);
	} else {
		if (t->prepare)
			t->prepare(ctx);
		on_cpu(ctx->cpu, vmrun_loop, ctx);
		if (t->check)
			t->check(ctx);
	}
	if (ctx->iopm)
		free_pages(ctx->iopm, 2);
	if (ctx->msrpm)
		free_pages(ctx->msrpm, 1);
	svm_guest_free(ctx->guest);
	free(ctx);
}

/* ---- shared checks ---- */

void svm_check_host_state(struct svm_test_ctx *ctx, const char *what)
{
	const struct svm_host_state *b = &ctx->host_before, *a = &ctx->host_after;
	struct svm_guest *g = ctx->guest;

	report_eq_x(b->cr0, a->cr0, "host CR0 intact after %s", what);
	report_eq_x(b->cr3, a->cr3, "host CR3 intact after %s", what);
	report_eq_x(b->cr4, a->cr4, "host CR4 intact after %s", what);
	report_eq_x(b->efer, a->efer, "host EFER intact after %s", what);
	report_eq_x(g->host_rsp_before, g->host_rsp_after, "host RSP intact after %s", what);
}

void svm_report_not_delivered(struct svm_test_ctx *ctx, const char *fmt, ...)
{
	bool pass = !ctx->scratch[1] && !ctx->scratch[2];
	char got[64] = "", ex[32];
	va_list ap;

	if (!pass)
		snprintf(got, sizeof(got), "%s, guest %s",
			 arch_exinfo_str(ctx->scratch[2], ex, sizeof(ex)),
			 ctx->scratch[1] ? "went on" : "stopped");
	va_start(ap, fmt);
	vreport_decoded(pass, "no exception, guest stopped", got, fmt, ap);
	va_end(ap);
}

/* ---- needs predicates ---- */

#define NEEDS_FEATURE(fn, field, why)				\
	const char *fn(void)					\
	{							\
		const char *r = svm_needs();			\
								\
		return r ? r : svm_caps()->field ? NULL : why;	\
	}

NEEDS_FEATURE(svm_needs_nrips, nrips, "SVM NRIPS (next RIP save) not supported")
NEEDS_FEATURE(svm_needs_npt, npt, "SVM nested paging not supported")
NEEDS_FEATURE(svm_needs_pause_filter, pause_filter, "SVM PAUSE filter not supported")
NEEDS_FEATURE(svm_needs_pause_threshold, pause_threshold,
	      "SVM PAUSE filter threshold not supported")
NEEDS_FEATURE(svm_needs_decode_assists, decode_assists, "SVM decode assists not supported")
