// SPDX-License-Identifier: MIT
/*
 * State that VM entries and exits move (Intel SDM vol. 3C):
 * - 26.3.2.3, 28.3, 28.4, 28.5.1 MSR load and store areas: VM entry loads
 *   the MSRs of the VM-entry MSR-load area in order, a VM exit stores the
 *   guest's values into the VM-exit MSR-store area, then loads the
 *   VM-exit MSR-load area.
 * - 26.3.2.1, 28.3.1, 28.5.1 IA32_PAT and IA32_EFER: "load IA32_PAT/EFER"
 *   on entry give the guest the guest-state field's value, "save" on exit
 *   store the guest's value there, "load" on exit give the host the
 *   host-state field's value; "load debug controls" loads DR7 and
 *   IA32_DEBUGCTL.
 * - 25.6.5, 26.1.3 TSC offsetting: RDTSC, RDTSCP and RDMSR of IA32_TSC in
 *   the guest return the TSC plus the TSC offset; RDTSC exiting takes
 *   precedence (26.1.3).
 * - 27, 28.1: every GPR but RSP passes through entry and exit unchanged.
 * - 25.11.1: a VMCS per CPU, each current on its own CPU, run at once.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* ---- GPRs in and out: a guest in asm that adds 1 to every GPR but RSP ---- */

void vmx_gprs_guest(void);
asm(".pushsection .text\n"
	"vmx_gprs_guest:\n\t"
	"add $1, %rax\n\tadd $1, %rbx\n\tadd $1, %rcx\n\tadd $1, %rdx\n\t"
	"add $1, %rbp\n\tadd $1, %rsi\n\tadd $1, %rdi\n\tadd $1, %r8\n\t"
	"add $1, %r9\n\tadd $1, %r10\n\tadd $1, %r11\n\tadd $1, %r12\n\t"
	"add $1, %r13\n\tadd $1, %r14\n\tadd $1, %r15\n\t"
	"vmcall\n\t"
	"ud2\n\t"
	".popsection");

#define GPR_PATTERN(i)	(0x1111111100000000ULL * ((i) + 1) + ((i) << 8))

static void gprs_run(struct nested_ctx *ctx)
{
	static const char *const names[] = {
		"RAX", "RBX", "RCX", "RDX", "RBP", "RSI", "RDI", "R8", "R9", "R10", "R11", "R12",
		"R13", "R14", "R15",
	};
	uint64_t *r = (uint64_t *)&ctx->vmx->gprs;

	for (size_t i = 0; i < VMX_NR_GPRS; i++)
		r[i] = GPR_PATTERN(i);
	vmcs_write(VMCS_GUEST_RIP, (uintptr_t)vmx_gprs_guest);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the GPR guest runs to its VMCALL");
	for (size_t i = 0; i < VMX_NR_GPRS; i++)
		report_eq_x(GPR_PATTERN(i) + 1, r[i],
			    "guest %s reaches the guest and comes back from it", names[i]);
}

VMX_TEST(gprs_in_out, .run = gprs_run)

/* ---- VMRESUME from an exit hook ---- */

static bool resume_exit(struct nested_ctx *ctx)
{
	if (ctx->exits >= 3 || !vmx_exit_matches(vmx_exit(ctx)->reason, EXIT_VMCALL))
		return false;
	vmx_skip_insn(ctx->vmx);
	return true;
}

static void resume_check(struct nested_ctx *ctx)
{
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "every VMRESUME of the guest's VMCALL loop exits");
	report_eq(3, ctx->exits, "three entries make three exits");
	report_eq_x((uintptr_t)vmx_guest_vmcall, vmx_exit(ctx)->rip,
		    "VMRESUME past VMCALL comes back to the loop's VMCALL");
}

VMX_TEST(resume_loop, .exit = resume_exit, .check = resume_check)

/* ---- one guest per CPU at the same time ---- */

struct percpu {
	struct vmx_guest *g[MAX_CPUS];
	volatile uint64_t wrote[MAX_CPUS];
	uint64_t code[MAX_CPUS];
};

static void percpu_guest(void *arg)
{
	*(volatile uint64_t *)arg = 0xc0de;
}

static void percpu_job(void *arg)
{
	struct percpu *p = arg;
	int cpu = smp_id();

	p->g[cpu] = vmx_guest_create(percpu_guest, (void *)&p->wrote[cpu]);
	p->code[cpu] = vmx_run(p->g[cpu]);
	vmx_guest_free(p->g[cpu]);
}

static void every_cpu_run(struct nested_ctx *ctx)
{
	struct percpu *p = calloc(1, sizeof(*p));

	if (!p)
		report_abort("out of memory");
	on_cpus(percpu_job, p);
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		report_eq(EXIT_VMCALL, p->code[cpu], "the guest of CPU %d runs to VMCALL", cpu);
		report_eq_x(0xc0de, p->wrote[cpu], "the guest of CPU %d ran its code", cpu);
	}
	free(p);
}

VMX_TEST(guest_every_cpu, .run = every_cpu_run)

/* ---- TSC offsetting ---- */

static void g_tsc(struct nested_ctx *c)
{
	uint32_t aux;

	c->scratch[3] = rdtsc();
	c->scratch[4] = c->scratch[2] ? rdtscp(&aux) : 0;	/* no CPUID: it exits */
	c->scratch[5] = rdmsr(MSR_IA32_TSC);
}

/* On the guest's CPU: the TSC around the entry. */
static void tsc_enter(struct nested_ctx *ctx)
{
	ctx->scratch[6] = rdtsc();
	nested_enter_here(ctx);
	ctx->scratch[7] = rdtsc();
}

static void tsc_offset_run(struct nested_ctx *ctx)
{
	const uint64_t off = 1ULL << 40;
	bool rdtscp = vmx_ctl_allowed(VMX_PROC2, PROC2_RDTSCP) && this_cpu_has(X86_FEATURE_RDTSCP);
	uint64_t lo, hi;

	vmx_msr_bitmap(ctx->vmx);
	vmx_set_ctl(VMX_PROC, PROC_TSC_OFFSET);
	if (rdtscp)
		vmx_set_ctl(VMX_PROC2, PROC2_RDTSCP);
	ctx->scratch[2] = rdtscp;
	vmcs_write(VMCS_TSC_OFFSET, off);
	nested_on_guest_cpu(ctx, tsc_enter);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the TSC-offset guest runs to VMCALL");
	lo = ctx->scratch[6] + off;
	hi = ctx->scratch[7] + off;
	report_in_range_x(lo, hi, ctx->scratch[3], "guest RDTSC is the TSC plus the TSC offset");
	if (rdtscp)
		report_in_range_x(lo, hi, ctx->scratch[4],
				  "guest RDTSCP is the TSC plus the TSC offset");
	report_in_range_x(lo, hi, ctx->scratch[5],
			  "guest RDMSR of IA32_TSC is the TSC plus the TSC offset");
}

VMX_TEST(tsc_offset, .guest = g_tsc, .run = tsc_offset_run)

/* ---- MSR load and store areas ---- */

struct msr_entry {
	uint32_t index, reserved;
	uint64_t value;
};

#define KGS_GUEST	0x1111000ULL
#define KGS_WRITTEN	0x2222000ULL
#define KGS_HOST	0x3333000ULL

/* The guest reads KERNEL_GS_BASE (scratch[3]), then writes KGS_WRITTEN. */
static void g_kgs(struct nested_ctx *c)
{
	c->scratch[3] = rdmsr(MSR_KERNEL_GS_BASE);
	wrmsr(MSR_KERNEL_GS_BASE, KGS_WRITTEN);
}

/* On the guest's CPU: the host's KERNEL_GS_BASE before and after the entry. */
static void kgs_enter(struct nested_ctx *ctx)
{
	ctx->scratch[6] = rdmsr(MSR_KERNEL_GS_BASE);
	nested_enter_here(ctx);
	ctx->scratch[7] = rdmsr(MSR_KERNEL_GS_BASE);
	wrmsr(MSR_KERNEL_GS_BASE, ctx->scratch[6]);
}

static void msr_areas_run(struct nested_ctx *ctx)
{
	struct msr_entry *a = alloc_zeroed_page();

	a[0] = (struct msr_entry){ MSR_KERNEL_GS_BASE, 0, KGS_GUEST };	/* entry load */
	a[1] = (struct msr_entry){ MSR_KERNEL_GS_BASE, 0, 0 };		/* exit store */
	a[2] = (struct msr_entry){ MSR_KERNEL_GS_BASE, 0, KGS_HOST };	/* exit load */
	vmx_msr_bitmap(ctx->vmx);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, (uintptr_t)&a[0]);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 1);
	vmcs_write(VMCS_EXIT_MSR_STORE_ADDR, (uintptr_t)&a[1]);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 1);
	vmcs_write(VMCS_EXIT_MSR_LOAD_ADDR, (uintptr_t)&a[2]);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 1);
	nested_on_guest_cpu(ctx, kgs_enter);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest with MSR areas runs to VMCALL");
	report_eq_x(KGS_GUEST, ctx->scratch[3], "VM entry loads the VM-entry MSR-load area");
	report_eq_x(KGS_WRITTEN, a[1].value,
		    "VM exit stores the guest's MSR into the VM-exit MSR-store area");
	report_eq_x(KGS_HOST, ctx->scratch[7], "VM exit loads the VM-exit MSR-load area");
	free_page(a);
}

VMX_TEST(msr_areas, .guest = g_kgs, .run = msr_areas_run)

/* ---- PAT, EFER, debug controls ---- */

#define PAT_GUEST	0x0007040600070406ULL	/* the reset value */
#define PAT_WRITTEN	0x0000000000000006ULL

static void g_pat(struct nested_ctx *c)
{
	c->scratch[3] = rdmsr(MSR_IA32_PAT);
	wrmsr(MSR_IA32_PAT, PAT_WRITTEN);
}

static void pat_enter(struct nested_ctx *ctx)
{
	ctx->scratch[6] = rdmsr(MSR_IA32_PAT);
	nested_enter_here(ctx);
	ctx->scratch[7] = rdmsr(MSR_IA32_PAT);
	wrmsr(MSR_IA32_PAT, ctx->scratch[6]);
}

static void pat_run(struct nested_ctx *ctx)
{
	uint64_t host = rdmsr(MSR_IA32_PAT);

	vmx_msr_bitmap(ctx->vmx);
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_PAT);
	vmx_set_ctl(VMX_EXIT, EXIT_SAVE_PAT | EXIT_LOAD_PAT);
	vmcs_write(VMCS_GUEST_PAT, PAT_GUEST ^ 1);
	vmx_host_override(ctx->vmx, VMCS_HOST_PAT, host);
	nested_on_guest_cpu(ctx, pat_enter);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the PAT guest runs to VMCALL");
	report_eq_x(PAT_GUEST ^ 1, ctx->scratch[3], "\"load IA32_PAT\" gives the guest its PAT");
	report_eq_x(PAT_WRITTEN, vmcs_read(VMCS_GUEST_PAT),
		    "\"save IA32_PAT\" stores the guest's PAT");
	report_eq_x(host, ctx->scratch[7], "\"load IA32_PAT\" on exit restores the host's PAT");
}

VMX_TEST(pat_load_save, .guest = g_pat, .run = pat_run)

static void g_efer(struct nested_ctx *c)
{
	c->scratch[3] = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, c->scratch[3] ^ EFER_SCE);
}

static void efer_enter(struct nested_ctx *ctx)
{
	uint64_t host = rdmsr(MSR_EFER);

	nested_enter_here(ctx);
	ctx->scratch[7] = rdmsr(MSR_EFER);
	wrmsr(MSR_EFER, host);
}

static void efer_run(struct nested_ctx *ctx)
{
	uint64_t host = rdmsr(MSR_EFER), guest = host ^ EFER_SCE;

	vmx_msr_bitmap(ctx->vmx);
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_EFER);
	vmx_set_ctl(VMX_EXIT, EXIT_SAVE_EFER | EXIT_LOAD_EFER);
	vmcs_write(VMCS_GUEST_EFER, guest);
	nested_on_guest_cpu(ctx, efer_enter);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the EFER guest runs to VMCALL");
	report_eq_x(guest, ctx->scratch[3], "\"load IA32_EFER\" gives the guest its EFER");
	report_eq_x(host, vmcs_read(VMCS_GUEST_EFER),
		    "\"save IA32_EFER\" stores the guest's EFER (SCE toggled back)");
	report_eq_x(host, ctx->scratch[7], "\"load IA32_EFER\" on exit gives the host its EFER");
}

VMX_TEST(efer_load_save, .guest = g_efer, .run = efer_run)

/* "load debug controls": DR7 and IA32_DEBUGCTL from the guest-state area. */
static void g_debug(struct nested_ctx *c)
{
	uint64_t v = 0;

	c->scratch[3] = read_dr7();
	c->scratch[2] = rdmsr_safe(MSR_IA32_DEBUGCTL, &v);
	c->scratch[4] = v;
}

static void debug_run(struct nested_ctx *ctx)
{
	vmx_msr_bitmap(ctx->vmx);
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_DEBUG);
	vmcs_write(VMCS_GUEST_DR7, DR7_FIXED | BIT(9));
	vmcs_write(VMCS_GUEST_DEBUGCTL, DEBUGCTL_LBR);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the debug-controls guest runs to VMCALL");
	report_eq_x(DR7_FIXED | BIT(9), ctx->scratch[3], "\"load debug controls\" loads DR7");
	report_exc(0, ctx->scratch[2], "guest RDMSR of IA32_DEBUGCTL raises no exception");
	report_eq_x(DEBUGCTL_LBR, ctx->scratch[4], "\"load debug controls\" loads IA32_DEBUGCTL");
}

VMX_TEST(debug_controls_load, .guest = g_debug, .run = debug_run)

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_tsc_offset, VMX_PROC, PROC_TSC_OFFSET, "use TSC offsetting")
NEEDS(needs_msr_bitmaps, VMX_PROC, PROC_MSR_BITMAPS, "use MSR bitmaps")
NEEDS(needs_load_debug, VMX_ENTRY, ENTRY_LOAD_DEBUG, "load debug controls")

static const char *needs_pat(void)
{
	return vmx_needs_ctl(VMX_ENTRY, ENTRY_LOAD_PAT, "load IA32_PAT (entry)") ?:
	       vmx_needs_ctl(VMX_EXIT, EXIT_SAVE_PAT | EXIT_LOAD_PAT, "save/load IA32_PAT (exit)");
}

static const char *needs_efer(void)
{
	return vmx_needs_ctl(VMX_ENTRY, ENTRY_LOAD_EFER, "load IA32_EFER (entry)") ?:
	       vmx_needs_ctl(VMX_EXIT, EXIT_SAVE_EFER | EXIT_LOAD_EFER,
			     "save/load IA32_EFER (exit)");
}

static const char *needs_tsc(void)
{
	return needs_tsc_offset() ?: needs_msr_bitmaps();
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(gprs_in_out, vmx_needs),
	SUBTEST_NEEDS(resume_loop, vmx_needs),
	SUBTEST_SMP(guest_every_cpu, vmx_needs, 2),
	SUBTEST_NEEDS(tsc_offset, needs_tsc),
	SUBTEST_NEEDS(msr_areas, needs_msr_bitmaps),
	SUBTEST_NEEDS(pat_load_save, needs_pat),
	SUBTEST_NEEDS(efer_load_save, needs_efer),
	SUBTEST_NEEDS(debug_controls_load, needs_load_debug),
};

NESTED_TABLE(vmx_misc_tests, tests);
