// SPDX-License-Identifier: MIT
/*
 * VMRUN and #VMEXIT themselves (AMD APM vol. 2):
 * - 15.5 VMRUN: the guest gets RAX, RSP and RIP from the VMCB and every
 *   other GPR unchanged from the host; 15.6 #VMEXIT hands back the guest's
 *   registers the same way and restores the host's RAX, RSP, control
 *   registers and EFER from the VM_HSAVE_PA area (15.30.4).
 * - 15.5.1 Canonicalization and consistency checks: each illegal guest
 *   state below makes VMRUN exit with VMEXIT_INVALID (-1) before the guest
 *   runs, the host state intact: EFER.SVME clear, CR0.CD=0 with CR0.NW=1,
 *   CR0[63:32], MBZ bits of CR3, CR4 and EFER, DR6[63:32], DR7[63:32],
 *   EFER.LME+CR0.PG without CR4.PAE or without CR0.PE, LME+PG+PAE with
 *   both CS.L and CS.D, the VMRUN intercept clear, permission maps reaching
 *   the maximum physical address; 15.16 (ASID 0 belongs to the host).
 * - 15.25 nested paging: guest-physical addresses go through the nested
 *   table (built here by lib/vm.c, the host's page-table code).
 * - 15.7.1 and 15.6: with NRIPS (CPUID Fn8000_000A_EDX[3]) the VMCB's nRIP
 *   holds the address after the intercepted instruction.
 * - 15.9: with its intercept bit set CPUID exits with VMEXIT_CPUID;
 *   bench_exit times such round trips for scripts/bench.sh (its one check:
 *   every exit is VMEXIT_CPUID).
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/cr.h"
#include "asm/msr.h"
#include "svm_test.h"

#define GUEST_RAN	0x5a5a5a5aUL

static void mark_guest(struct nested_ctx *ctx)
{
	ctx->scratch[0] = GUEST_RAN;
}

static void basic_check(struct nested_ctx *ctx)
{
	struct vmcb *v = ctx->vmcb;

	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest runs to its VMMCALL");
	report_eq_x(GUEST_RAN, ctx->scratch[0], "guest code ran and wrote host memory");
	report_eq_x((uintptr_t)svm_guest_vmmcall, v->save.rip,
		    "VMCB RIP at the VMMCALL intercept is the VMMCALL's address");
	if (svm_caps()->nrips)
		report_eq_x((uintptr_t)svm_guest_vmmcall + 3, v->control.next_rip,
			    "nRIP at the VMMCALL intercept is the next instruction's address");
	nested_check_host_state(ctx, "a VMRUN that entered the guest");
}

SVM_TEST(vmrun_basic, .guest = mark_guest, .check = basic_check)

/* ---- GPRs in and out: a guest in asm that adds 1 to every GPR ---- */

void gprs_guest(void);
asm(".pushsection .text\n"
	"gprs_guest:\n\t"
	"add $1, %rax\n\tadd $1, %rbx\n\tadd $1, %rcx\n\tadd $1, %rdx\n\t"
	"add $1, %rbp\n\tadd $1, %rsi\n\tadd $1, %rdi\n\tadd $1, %r8\n\t"
	"add $1, %r9\n\tadd $1, %r10\n\tadd $1, %r11\n\tadd $1, %r12\n\t"
	"add $1, %r13\n\tadd $1, %r14\n\tadd $1, %r15\n\t"
	"vmmcall\n\t"
	"ud2\n\t"
	".popsection");

#define GPR_PATTERN(i)	(0x1111111100000000ULL * ((i) + 1) + ((i) << 8))

static void gprs_prepare(struct nested_ctx *ctx)
{
	uint64_t *r = (uint64_t *)&ctx->guest->gprs;

	for (size_t i = 0; i < sizeof(struct svm_gprs) / 8; i++)
		r[i] = GPR_PATTERN(i);
	ctx->vmcb->save.rax = GPR_PATTERN(99);
	ctx->vmcb->save.rip = (uintptr_t)gprs_guest;
}

static void gprs_check(struct nested_ctx *ctx)
{
	static const char *const names[] = {
		"RBX", "RCX", "RDX", "RBP", "RSI", "RDI", "R8", "R9", "R10", "R11", "R12",
		"R13", "R14", "R15",
	};
	uint64_t *r = (uint64_t *)&ctx->guest->gprs;

	_Static_assert(ARRAY_SIZE(names) == sizeof(struct svm_gprs) / 8, "one name per GPR");
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "GPR guest reaches VMMCALL");
	report_eq_x(GPR_PATTERN(99) + 1, ctx->vmcb->save.rax,
		    "guest RAX comes from the VMCB and goes back to it");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		report_eq_x(GPR_PATTERN(i) + 1, r[i],
			    "guest %s is the host's at VMRUN and the guest's at #VMEXIT", names[i]);
}

SVM_TEST(vmrun_gprs, .prepare = gprs_prepare, .check = gprs_check)

/* ---- resuming: the guest counts VMMCALLs, the host resumes it ---- */

#define RESUMES	5

static void resume_guest(struct nested_ctx *ctx)
{
	for (int i = 0; i < RESUMES; i++) {
		ctx->scratch[0]++;
		asm volatile("vmmcall" : : : "memory");
	}
	ctx->scratch[1] = GUEST_RAN;
}

static bool resume_exit(struct nested_ctx *ctx)
{
	if (ctx->vmcb->control.exit_code != SVM_EXIT_VMMCALL || ctx->exits > RESUMES)
		return false;
	ctx->vmcb->save.rip += 3;	/* VMMCALL is 0f 01 d9 */
	return true;
}

static void resume_check(struct nested_ctx *ctx)
{
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "resumed guest ends with VMMCALL");
	report_eq(RESUMES + 1, ctx->exits, "guest resumed after each VMMCALL exits %d times",
		  RESUMES + 1);
	report_eq(RESUMES, ctx->scratch[0], "guest state survives %d #VMEXIT/VMRUN round trips",
		  RESUMES);
	report_eq_x(GUEST_RAN, ctx->scratch[1], "resumed guest returns from its function");
}

SVM_TEST(vmrun_resume, .guest = resume_guest, .exit = resume_exit, .check = resume_check)

/* ---- one guest per CPU, all at once ---- */

struct percpu_run {
	struct nested_ctx *ctx;
	struct svm_guest *guests[MAX_CPUS];
	uint64_t written[MAX_CPUS];
};

static void percpu_guest(void *arg)
{
	uint64_t *slot = arg;

	*slot = (uintptr_t)slot;
}

static void percpu_vmrun(void *arg)
{
	struct percpu_run *p = arg;

	svm_run(p->guests[smp_id()]);
}

static void every_cpu_run(struct nested_ctx *ctx)
{
	struct percpu_run *p = calloc(1, sizeof(*p));
	int n = cpu_count();

	for (int cpu = 0; cpu < n; cpu++)
		p->guests[cpu] = svm_guest_create(percpu_guest, &p->written[cpu]);
	on_cpus(percpu_vmrun, p);
	for (int cpu = 0; cpu < n; cpu++) {
		svm_report_exit(p->guests[cpu], SVM_EXIT_VMMCALL,
				"guest on CPU %d, run alongside the others, reaches VMMCALL", cpu);
		report_eq_x((uintptr_t)&p->written[cpu], p->written[cpu],
			    "guest on CPU %d ran its own code and data", cpu);
		svm_guest_free(p->guests[cpu]);
	}
	free(p);
}

SVM_TEST(vmrun_every_cpu, .run = every_cpu_run)

/* ---- nested paging with lib's page tables (APM 15.25) ---- */

struct npt_data {
	pt_root_t root;
	uint64_t *a, *b;
};

static void npt_prepare(struct nested_ctx *ctx)
{
	struct npt_data *d = calloc(1, sizeof(*d));

	d->root = svm_npt_identity();
	svm_npt_enable(ctx->guest, d->root);
	ctx->data = d;
}

static void npt_identity_check(struct nested_ctx *ctx)
{
	struct npt_data *d = ctx->data;

	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"guest with an identity nested page table runs to VMMCALL");
	report_eq_x(GUEST_RAN, ctx->scratch[0],
		    "guest writes through an identity nested page table reach host memory");
	pt_root_free(d->root);
	free(d);
}

SVM_TEST(vmrun_npt_identity, .guest = mark_guest, .prepare = npt_prepare,
	 .check = npt_identity_check)

/* Guest-physical page A mapped to host page B: the guest sees B at A. */
static void npt_remap_guest(struct nested_ctx *ctx)
{
	struct npt_data *d = ctx->data;

	ctx->scratch[0] = READ_ONCE(*d->a);
	WRITE_ONCE(*d->a, 0x3333);
}

static void npt_remap_prepare(struct nested_ctx *ctx)
{
	struct npt_data *d;

	npt_prepare(ctx);
	d = ctx->data;
	d->a = alloc_zeroed_page();
	d->b = alloc_zeroed_page();
	*d->a = 0x1111;
	*d->b = 0x2222;
	pt_root_map(d->root, (uintptr_t)d->a, (uintptr_t)d->b, PAGE_SIZE, PT_RWX | PT_USER, true);
}

static void npt_remap_check(struct nested_ctx *ctx)
{
	struct npt_data *d = ctx->data;
	struct pt_walk w;

	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest with a remapped page runs to VMMCALL");
	report(!pt_root_walk(d->root, (uintptr_t)d->a, &w) && w.level == 1 &&
	       w.phys == (uintptr_t)d->b, "nested table walk of page A gives host page B");
	report_eq_x(0x2222, ctx->scratch[0], "guest read of page A returns host page B's data");
	report_eq_x(0x3333, *d->b, "guest write to page A lands in host page B");
	report_eq_x(0x1111, *d->a, "host page A is untouched by the guest");
	free_page(d->a);
	free_page(d->b);
	pt_root_free(d->root);
	free(d);
}

SVM_TEST(vmrun_npt_remap, .guest = npt_remap_guest, .prepare = npt_remap_prepare,
	 .check = npt_remap_check)

/* ---- illegal guest state: VMEXIT_INVALID, guest not run, host intact ---- */

static unsigned int maxphyaddr(void)
{
	if (cpuid_max_leaf(0x80000000) < 0x80000008)
		return 36;
	return cpuid(0x80000008).a & 0xff;
}

static void invalid_check(struct nested_ctx *ctx)
{
	const char *what = ctx->test->arg;

	/* Two checks: the consistency check itself, then EXITCODE's full width. */
	report_eq_x(0xffffffff, (uint32_t)ctx->vmcb->control.exit_code,
		    "VMRUN with %s fails its consistency checks (EXITCODE[31:0] = -1)", what);
	svm_report_exit(ctx->guest, SVM_EXIT_INVALID,
			"VMRUN with %s exits with VMEXIT_INVALID (-1 in all 64 bits)", what);
	report_eq_x(0, ctx->scratch[0], "guest with %s does not run", what);
	nested_check_host_state(ctx, "VMEXIT_INVALID");
}

#define INVALID_STATE(id, what, stmt)						\
	static void id##_prepare(struct nested_ctx *ctx)			\
	{									\
		struct vmcb *v = ctx->vmcb;					\
		stmt;								\
	}									\
	SVM_TEST(id, .guest = mark_guest, .prepare = id##_prepare,		\
		 .check = invalid_check, .arg = what)

#define CS_ATTR_L	BIT(9)	/* descriptor bit 53 */
#define CS_ATTR_D	BIT(10)	/* descriptor bit 54 */

INVALID_STATE(invalid_vmrun_intercept, "the VMRUN intercept clear",
	      vmcb_clear_intercept(v, SVM_INTERCEPT_VMRUN))
INVALID_STATE(invalid_asid_zero, "ASID 0", v->control.asid = 0)
INVALID_STATE(invalid_efer_svme, "guest EFER.SVME clear", v->save.efer &= ~EFER_SVME)
INVALID_STATE(invalid_cr0_cd_nw, "CR0.CD=0 and CR0.NW=1",
	      v->save.cr0 = (v->save.cr0 & ~X86_CR0_CD) | X86_CR0_NW)
INVALID_STATE(invalid_cr0_high, "CR0 bit 32 set", v->save.cr0 |= BIT_ULL(32))
INVALID_STATE(invalid_cr3_bit52, "CR3 bit 52 (MBZ) set", v->save.cr3 |= BIT_ULL(52))
INVALID_STATE(invalid_cr3_maxphyaddr, "a CR3 bit at MAXPHYADDR set",
	      v->save.cr3 |= BIT_ULL(maxphyaddr()))
INVALID_STATE(invalid_cr4_high, "CR4 bit 32 set", v->save.cr4 |= BIT_ULL(32))
INVALID_STATE(invalid_cr4_reserved, "CR4 bit 15 (reserved) set", v->save.cr4 |= BIT_ULL(15))
INVALID_STATE(invalid_dr6_high, "DR6 bit 32 set", v->save.dr6 |= BIT_ULL(32))
INVALID_STATE(invalid_dr7_high, "DR7 bit 32 set", v->save.dr7 |= BIT_ULL(32))
INVALID_STATE(invalid_efer_mbz, "EFER bit 63 (MBZ) set", v->save.efer |= BIT_ULL(63))
INVALID_STATE(invalid_lme_pg_no_pae, "EFER.LME=1, CR0.PG=1 and CR4.PAE=0",
	      v->save.cr4 &= ~X86_CR4_PAE)
INVALID_STATE(invalid_lme_pg_no_pe, "EFER.LME=1, CR0.PG=1 and CR0.PE=0",
	      v->save.cr0 &= ~X86_CR0_PE)
INVALID_STATE(invalid_cs_l_and_d, "long mode with CS.L=1 and CS.D=1",
	      v->save.cs.attrib |= CS_ATTR_L | CS_ATTR_D)
INVALID_STATE(invalid_iopm_beyond_maxpa, "an IOPM reaching past MAXPHYADDR",
	      vmcb_set_intercept(v, SVM_INTERCEPT_IOIO_PROT);
	      v->control.iopm_base_pa = BIT_ULL(maxphyaddr()) - 0x1000)
INVALID_STATE(invalid_msrpm_beyond_maxpa, "an MSRPM reaching past MAXPHYADDR",
	      vmcb_set_intercept(v, SVM_INTERCEPT_MSR_PROT);
	      v->control.msrpm_base_pa = BIT_ULL(maxphyaddr()) - 0x1000)

/* CPUID is 2 bytes (0F A2): no need for NRIPS. */
static void skip_cpuid(struct nested_ctx *ctx)
{
	ctx->vmcb->save.rip += 2;
}

static void bench_run(struct nested_ctx *ctx)
{
	vmcb_set_intercept(ctx->vmcb, SVM_INTERCEPT_CPUID);
	nested_bench_exits(ctx, SVM_EXIT_CPUID, skip_cpuid);
}

SVM_TEST(bench_exit, .guest = nested_bench_guest, .run = bench_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(vmrun_basic, svm_needs),
	SUBTEST_NEEDS(bench_exit, svm_needs),
	SUBTEST_NEEDS(vmrun_gprs, svm_needs),
	SUBTEST_NEEDS(vmrun_resume, svm_needs),
	SUBTEST_SMP(vmrun_every_cpu, svm_needs, 2),
	SUBTEST_NEEDS(vmrun_npt_identity, svm_needs_npt),
	SUBTEST_NEEDS(vmrun_npt_remap, svm_needs_npt),
	SUBTEST_NEEDS(invalid_vmrun_intercept, svm_needs),
	SUBTEST_NEEDS(invalid_asid_zero, svm_needs),
	SUBTEST_NEEDS(invalid_efer_svme, svm_needs),
	SUBTEST_NEEDS(invalid_cr0_cd_nw, svm_needs),
	SUBTEST_NEEDS(invalid_cr0_high, svm_needs),
	SUBTEST_NEEDS(invalid_cr3_bit52, svm_needs),
	SUBTEST_NEEDS(invalid_cr3_maxphyaddr, svm_needs),
	SUBTEST_NEEDS(invalid_cr4_high, svm_needs),
	SUBTEST_NEEDS(invalid_cr4_reserved, svm_needs),
	SUBTEST_NEEDS(invalid_dr6_high, svm_needs),
	SUBTEST_NEEDS(invalid_dr7_high, svm_needs),
	SUBTEST_NEEDS(invalid_efer_mbz, svm_needs),
	SUBTEST_NEEDS(invalid_lme_pg_no_pae, svm_needs),
	SUBTEST_NEEDS(invalid_lme_pg_no_pe, svm_needs),
	SUBTEST_NEEDS(invalid_cs_l_and_d, svm_needs),
	SUBTEST_NEEDS(invalid_iopm_beyond_maxpa, svm_needs),
	SUBTEST_NEEDS(invalid_msrpm_beyond_maxpa, svm_needs),
};

NESTED_TABLE(svm_vmrun_tests, tests);
