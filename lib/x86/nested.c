// SPDX-License-Identifier: MIT
/*
 * The nested-virtualization harness of both families (nested.h,
 * docs/nested.md): the test argument cpu=N, the combined subtest table,
 * running one struct nested_test, the checks every family's tests share,
 * guest stacks and the running CPU's segments in guest-state form.
 *
 * Host state: VMRUN saves the host state #VMEXIT restores (AMD APM vol. 2,
 * 15.5.1, 15.6); a VMX exit loads the host-state area the host wrote (Intel
 * SDM vol. 3C, 28.5). Either way an entry, whether it reaches the guest or
 * fails its checks, leaves the host's control registers, EFER and RSP as
 * they were.
 */
#include "alloc.h"
#include "arch.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "nested.h"
#include "report.h"
#include "smp.h"

static int run_cpu;

int nested_test_cpu(void)
{
	return run_cpu;
}

/* cpu=N enters every guest on CPU N, cpu=last on the highest-numbered CPU. */
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

int nested_main(const struct nested_family *f, const struct nested_table *const *tables,
		size_t n, int argc, char **argv)
{
	struct subtest *all;
	size_t total = 0, k = 0;

	parse_args(argc, argv);
	f->print_caps();
	if (!f->needs())
		report_info("guests run on CPU %d of %d", run_cpu, cpu_count());
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

void nested_test_guest(void *arg)
{
	struct nested_ctx *ctx = arg;

	if (ctx->test->guest)
		ctx->test->guest(ctx);
}

static void host_state_read(struct nested_host_state *s)
{
	s->cr0 = read_cr0();
	s->cr3 = read_cr3();
	s->cr4 = read_cr4();
	s->efer = rdmsr(MSR_EFER);
}

uint64_t nested_enter_here(struct nested_ctx *ctx)
{
	const struct nested_family *f = ctx->test->family;

	f->enable_cpu();	/* first: then the entry itself must change nothing */
	host_state_read(&ctx->host_before);
	ctx->exit_code = f->enter(ctx);
	host_state_read(&ctx->host_after);
	ctx->exits++;
	return ctx->exit_code;
}

struct on_guest {
	struct nested_ctx *ctx;
	void (*fn)(struct nested_ctx *ctx);
};

static void on_guest_job(void *arg)
{
	struct on_guest *o = arg;
	const struct nested_family *f = o->ctx->test->family;

	if (f->acquire)
		f->acquire(o->ctx);
	o->fn(o->ctx);
	if (f->release)
		f->release(o->ctx);
}

void nested_on_guest_cpu(struct nested_ctx *ctx, void (*fn)(struct nested_ctx *ctx))
{
	const struct nested_family *f = ctx->test->family;
	struct on_guest o = { ctx, fn };

	if (ctx->cpu == smp_id()) {
		fn(ctx);
		return;
	}
	if (f->release)
		f->release(ctx);
	on_cpu(ctx->cpu, on_guest_job, &o);
	if (f->acquire)
		f->acquire(ctx);
}

static void enter_once(struct nested_ctx *ctx)
{
	nested_enter_here(ctx);
}

uint64_t nested_run(struct nested_ctx *ctx)
{
	nested_on_guest_cpu(ctx, enter_once);
	return ctx->exit_code;
}

/* The exit() loop runs on the guest's CPU: no on_cpu round trip per exit. */
static void enter_loop(struct nested_ctx *ctx)
{
	do
		nested_enter_here(ctx);
	while (ctx->test->exit && ctx->test->exit(ctx));
}

void nested_restart(struct nested_ctx *ctx)
{
	ctx->test->family->restart(ctx);
}

void nested_test_run(const struct nested_test *t)
{
	struct nested_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		report_abort("out of memory for a test context");
	ctx->test = t;
	ctx->cpu = run_cpu;
	t->family->create(ctx);
	if (t->run) {
		t->run(ctx);
	} else {
		if (t->prepare)
			t->prepare(ctx);
		nested_on_guest_cpu(ctx, enter_loop);
		if (t->check)
			t->check(ctx);
	}
	t->family->destroy(ctx);
	free(ctx);
}

/* ---- shared checks ---- */

void nested_check_host_state(struct nested_ctx *ctx, const char *what)
{
	const struct nested_host_state *b = &ctx->host_before, *a = &ctx->host_after;

	report_eq_x(b->cr0, a->cr0, "host CR0 intact after %s", what);
	report_eq_x(b->cr3, a->cr3, "host CR3 intact after %s", what);
	report_eq_x(b->cr4, a->cr4, "host CR4 intact after %s", what);
	report_eq_x(b->efer, a->efer, "host EFER intact after %s", what);
	report_eq_x(b->rsp, a->rsp, "host RSP intact after %s", what);
}

void nested_report_not_delivered(struct nested_ctx *ctx, const char *fmt, ...)
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

bool nested_report_exit(bool pass, uint64_t expected, uint64_t got, nested_exit_str_t str,
			const char *detail, const char *fmt, va_list ap)
{
	char e[96] = "", a[96], g[224] = "";

	/* What was got carries the exit's details: enough to debug without a rerun. */
	if (!pass) {
		str(expected, e, sizeof(e));
		snprintf(g, sizeof(g), "%s; %s", str(got, a, sizeof(a)), detail);
	}
	return vreport_decoded(pass, e, g, fmt, ap);
}

void nested_event_record(volatile struct nested_event *e, const struct ex_regs *r)
{
	e->count++;
	e->vector = r->vector;
	e->error = r->error_code;
	e->rip = r->rip;
	e->cr2 = read_cr2();
}

/* ---- the exit round-trip benchmark ---- */

void nested_bench_guest(struct nested_ctx *ctx)
{
	for (;;)
		asm volatile("cpuid" : : "a"(0), "c"(0) : "rbx", "rdx", "memory");
}

struct bench {
	uint64_t cpuid_exit;
	void (*skip)(struct nested_ctx *ctx);
	unsigned int good;
	uint64_t cycles[NESTED_BENCH_TRIPS];
};

/* On the guest's CPU: the first entry enables the CPU and warms up, untimed. */
static void bench_loop(struct nested_ctx *ctx)
{
	struct bench *b = ctx->data;
	const struct nested_family *f = ctx->test->family;

	nested_enter_here(ctx);
	b->skip(ctx);
	for (int i = 0; i < NESTED_BENCH_TRIPS; i++) {
		uint64_t t0 = rdtsc(), code = f->enter(ctx);

		b->cycles[i] = rdtsc() - t0;
		b->good += code == b->cpuid_exit;
		b->skip(ctx);
	}
}

void nested_bench_exits(struct nested_ctx *ctx, uint64_t cpuid_exit,
			void (*skip)(struct nested_ctx *ctx))
{
	struct bench *b = calloc(1, sizeof(*b));
	const int n = NESTED_BENCH_TRIPS;

	if (!b)
		report_abort("out of memory for the benchmark");
	b->cpuid_exit = cpuid_exit;
	b->skip = skip;
	ctx->data = b;
	nested_on_guest_cpu(ctx, bench_loop);
	report_eq(n, b->good, "%d CPUID round trips each exit with CPUID", n);
	/* Insertion sort: few enough samples, and no sort in lib. */
	for (int i = 1; i < n; i++) {
		uint64_t v = b->cycles[i];
		int j = i;

		for (; j > 0 && b->cycles[j - 1] > v; j--)
			b->cycles[j] = b->cycles[j - 1];
		b->cycles[j] = v;
	}
	report_info("exit round trip: median %lu TSC cycles (min %lu, max %lu, %d trips)",
		    (unsigned long)b->cycles[n / 2], (unsigned long)b->cycles[0],
		    (unsigned long)b->cycles[n - 1], n);
	ctx->data = NULL;
	free(b);
}

/* ---- guests ---- */

void *nested_stack_alloc(void)
{
	void *s = alloc_pages(NESTED_STACK_ORDER);

	if (!s)
		report_abort("out of memory for a guest stack");
	return s;
}

void nested_stack_free(void *stack)
{
	free_pages(stack, NESTED_STACK_ORDER);
}

struct x86_seg nested_seg_from_gdt(uint16_t sel)
{
	struct desc_ptr gdtr;
	struct x86_seg s = { .sel = sel, .ar = X86_SEG_AR_UNUSABLE };
	uint64_t d;

	asm volatile("sgdt %0" : "=m"(gdtr));
	if (!(sel & ~7))
		return s;
	d = ((uint64_t *)gdtr.base)[sel >> 3];
	s.ar = ((d >> 40) & 0xff) | ((d >> 52) & 0xf) << 12;
	s.limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	if (d & BIT_ULL(55))
		s.limit = s.limit << 12 | 0xfff;
	s.base = ((d >> 16) & 0xffffff) | ((d >> 56) & 0xff) << 24;
	/* A system descriptor (TSS, LDT) in long mode holds base bits 63:32 next. */
	if (!(d & BIT_ULL(44)))
		s.base |= ((uint64_t *)gdtr.base)[(sel >> 3) + 1] << 32;
	return s;
}
