// SPDX-License-Identifier: MIT
/*
 * Nested page faults and nested A/D bits (AMD APM vol. 2, 15.25), one table
 * row per kind of fault:
 * - 15.25.6: a guest access that the nested page table refuses exits with
 *   VMEXIT_NPF (0x400), EXITINFO2 = the faulting guest-physical address and
 *   EXITINFO1 a #PF-like error code: bit 0 P (the nested entry was present),
 *   1 RW (write), 2 US (nested accesses count as user accesses), 3 RSV
 *   (reserved bit in the nested entry), 4 ID (code fetch), bit 32 set for
 *   the final translation of the guest-physical address, bit 33 for the
 *   translation of a guest page-table entry.
 * - 15.25.5: walks of the guest's page tables are user writes at the nested
 *   level (so they set A and D in the nested entries they touch, and a
 *   fault there has RW=1, ID=0); the final access is a user read, write or
 *   code fetch. 15.25.7: a page is executable only if the nested entry
 *   allows it (NX, with the host's EFER.NXE), writable only if both levels
 *   allow it, and the nested entry must be user for any guest access.
 * - The NPF is a fault: once the host fixes the nested entry and flushes
 *   the guest's TLB (15.16.1, TLB_CONTROL), the guest resumes at the same
 *   instruction and completes it.
 * Known VMM caveats: see known-failures.txt (svm*).
 */
#include "asm/desc.h"
#include "asm/msr.h"
#include "svm_test.h"

#define NPF_US		BIT_ULL(2)
#define NPF_P		BIT_ULL(0)
#define NPF_RW		BIT_ULL(1)
#define NPF_RSV		BIT_ULL(3)
#define NPF_ID		BIT_ULL(4)
#define NPF_FINAL	BIT_ULL(32)
#define NPF_WALK	BIT_ULL(33)

#define PTE_A		BIT_ULL(5)
#define PTE_D		BIT_ULL(6)

#define DATA_OFF	0x128		/* where the guest's data access lands in the page */
#define DATA_VALUE	0x1122334455667788ULL

enum npf_acc { ACC_READ, ACC_WRITE, ACC_EXEC };

struct npt_data {
	pt_root_t root;
	uint8_t *page;			/* the target page */
	uint64_t got;			/* what the guest's read returned */
};

/* The guest's access, at the global labels npt_rd / npt_wr / npt_call. */
extern char npt_rd[], npt_wr[], npt_call[];

static __attribute__((noinline, noclone))
exinfo_t npt_access(enum npf_acc acc, uint8_t *page, uint64_t *got)
{
	DECLARE_EXINFO(ex);
	uint64_t a = DATA_VALUE;
	void *p = page + DATA_OFF;

	switch (acc) {
	case ACC_READ:
		asm volatile(ASM_TRY(".globl npt_rd\nnpt_rd: mov (%2), %1")
			     : "+r"(ex), "+a"(a) : "D"(p) : "memory");
		*got = a;
		break;
	case ACC_WRITE:
		asm volatile(ASM_TRY(".globl npt_wr\nnpt_wr: mov %1, (%2)")
			     : "+r"(ex) : "a"(a), "D"(p) : "memory");
		break;
	case ACC_EXEC:
		asm volatile(ASM_TRY(".globl npt_call\nnpt_call: call *%1")
			     : "+r"(ex) : "D"(page) : "rax", "rcx", "rdx", "rsi", "r8", "r9", "r10",
			       "r11", "memory");
		break;
	}
	return ex;
}

struct npf_row {
	const char *name;
	enum npf_acc acc;
	bool unmapped;			/* no nested entry at all */
	unsigned int flags;		/* else the nested entry's PT_* */
	bool rsvd;			/* and a reserved address bit set in it */
	uint64_t info1;
};

static const struct npf_row rows[] = {
#define R_READ_NP	0
	{ "read of a page not present in the NPT", ACC_READ, true, 0, false,
	  NPF_FINAL | NPF_US },
#define R_WRITE_NP	1
	{ "write to a page not present in the NPT", ACC_WRITE, true, 0, false,
	  NPF_FINAL | NPF_US | NPF_RW },
#define R_WRITE_RO	2
	{ "write to a page read-only in the NPT", ACC_WRITE, false, PT_R | PT_X | PT_USER, false,
	  NPF_FINAL | NPF_US | NPF_RW | NPF_P },
#define R_READ_SUPER	3
	{ "read of a supervisor page in the NPT", ACC_READ, false, PT_RWX, false,
	  NPF_FINAL | NPF_US | NPF_P },
#define R_EXEC_NX	4
	{ "code fetch from a page NX in the NPT", ACC_EXEC, false, PT_RW | PT_USER, false,
	  NPF_FINAL | NPF_US | NPF_ID | NPF_P },
#define R_READ_RSVD	5
	{ "read through an NPT entry with a reserved bit", ACC_READ, false, PT_RWX | PT_USER, true,
	  NPF_FINAL | NPF_US | NPF_RSV | NPF_P },
};

static void npf_guest(struct nested_ctx *ctx)
{
	const struct npf_row *r = ctx->test->arg;
	struct npt_data *d = ctx->data;

	ctx->scratch[2] = npt_access(r->acc, d->page, &d->got);
	ctx->scratch[1] = 1;
}

static unsigned int maxphyaddr(void)
{
	return cpuid_max_leaf(0x80000000) < 0x80000008 ? 36 : cpuid(0x80000008).a & 0xff;
}

static struct npt_data *npt_begin(struct nested_ctx *ctx)
{
	struct npt_data *d = calloc(1, sizeof(*d));

	d->root = svm_npt_identity();
	d->page = alloc_zeroed_page();
	d->page[0] = 0xc3;		/* RET */
	*(uint64_t *)(d->page + DATA_OFF) = ~DATA_VALUE;
	svm_npt_enable(ctx->guest, d->root);
	ctx->vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	ctx->data = d;
	return d;
}

static void npt_end(struct nested_ctx *ctx)
{
	struct npt_data *d = ctx->data;

	pt_root_free(d->root);
	free_page(d->page);
	free(d);
}

/* The nested entry of the row: absent, restricted, or with a reserved bit. */
static void npf_break(struct npt_data *d, const struct npf_row *r)
{
	uintptr_t pa = (uintptr_t)d->page;
	struct pt_walk w;

	if (r->unmapped) {
		pt_root_unmap(d->root, pa, PAGE_SIZE);
		return;
	}
	pt_root_map(d->root, pa, pa, PAGE_SIZE, r->flags, true);
	if (r->rsvd && !pt_root_walk(d->root, pa, &w))
		*w.pte |= BIT_ULL(51);
}

static uintptr_t npf_rip(const struct npf_row *r, struct npt_data *d)
{
	return r->acc == ACC_READ ? (uintptr_t)npt_rd : r->acc == ACC_WRITE ?
	       (uintptr_t)npt_wr : (uintptr_t)d->page;
}

static void npf_check(struct nested_ctx *ctx, const struct npf_row *r)
{
	struct npt_data *d = ctx->data;
	struct vmcb *v = ctx->vmcb;
	uint64_t gpa = (uintptr_t)d->page + (r->acc == ACC_EXEC ? 0 : DATA_OFF);

	if (!svm_report_exit(ctx->guest, SVM_EXIT_NPF, "%s exits with VMEXIT_NPF", r->name))
		return;
	report_eq_x(r->info1, v->control.exit_info_1,
		    "EXITINFO1 of the NPF for a %s", r->name);
	report_eq_x(gpa, v->control.exit_info_2,
		    "EXITINFO2 of the NPF for a %s is the guest-physical address", r->name);
	report_eq_x(npf_rip(r, d), v->save.rip, "VMCB RIP at the NPF for a %s is the faulting "
		    "instruction", r->name);
	nested_report_not_delivered(ctx, "the NPF for a %s is not delivered to the guest", r->name);
}

static void npf_run(struct nested_ctx *ctx)
{
	const struct npf_row *r = ctx->test->arg;
	struct npt_data *d = npt_begin(ctx);
	uintptr_t pa = (uintptr_t)d->page;

	if (r->rsvd && maxphyaddr() >= 52) {
		report_skip("no reserved address bit below 52 (MAXPHYADDR %u)", maxphyaddr());
		npt_end(ctx);
		return;
	}
	npf_break(d, r);
	nested_run(ctx);
	npf_check(ctx, r);

	/* Fix the entry, flush, resume at the faulting instruction. */
	pt_root_map(d->root, pa, pa, PAGE_SIZE, PT_RWX | PT_USER, true);
	ctx->vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"guest resumed after fixing the NPT completes its %s", r->name);
	report_eq_x(0, ctx->scratch[2], "the retried %s raises nothing in the guest", r->name);
	if (r->acc == ACC_READ)
		report_eq_x(~DATA_VALUE, d->got, "the retried %s reads the page", r->name);
	if (r->acc == ACC_WRITE)
		report_eq_x(DATA_VALUE, *(uint64_t *)(d->page + DATA_OFF),
			    "the retried %s writes the page", r->name);
	npt_end(ctx);
}

#define NPF_TEST(id, row) SVM_TEST(id, .guest = npf_guest, .run = npf_run, .arg = &rows[row])

NPF_TEST(npf_read_not_present, R_READ_NP)
NPF_TEST(npf_write_not_present, R_WRITE_NP)
NPF_TEST(npf_write_read_only, R_WRITE_RO)
NPF_TEST(npf_supervisor_page, R_READ_SUPER)
NPF_TEST(npf_exec_nx, R_EXEC_NX)
NPF_TEST(npf_reserved_bit, R_READ_RSVD)

static const char *needs_npt_nx(void)
{
	const char *r = svm_needs_npt();

	if (r)
		return r;
	return rdmsr(MSR_EFER) & EFER_NXE ? NULL : "no NX (EFER.NXE clear in the host)";
}

/* ---- a guest page-table walk faulting in the NPT ---- */

/* The guest's first access, the fetch at its RIP, walks its PML4 first. */
static uint64_t pml4e_gpa(uintptr_t va)
{
	return (read_cr3() & ~0xfffULL) + ((va >> 39) & 511) * 8;
}

static void walk_run(struct nested_ctx *ctx)
{
	struct npt_data *d = npt_begin(ctx);
	uintptr_t pml4 = read_cr3() & ~0xfffULL;
	struct vmcb *v = ctx->vmcb;

	pt_root_unmap(d->root, pml4, PAGE_SIZE);
	nested_run(ctx);
	if (svm_report_exit(ctx->guest, SVM_EXIT_NPF,
			    "guest CR3 pointing at a page not present in the NPT exits with NPF")) {
		report_eq_x(NPF_WALK | NPF_US | NPF_RW, v->control.exit_info_1,
			    "EXITINFO1 of the NPF in the guest's walk: guest table, user, write");
		report_eq_x(pml4e_gpa(v->save.rip), v->control.exit_info_2,
			    "EXITINFO2 of the NPF in the guest's walk is its PML4 entry");
		report_eq_x((uintptr_t)nested_guest_entry, v->save.rip,
			    "VMCB RIP at the NPF in the guest's walk is its first instruction");
	}
	pt_root_map(d->root, pml4, pml4, PAGE_SIZE, PT_RWX | PT_USER, true);
	v->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL,
			"guest resumed after mapping its PML4 in the NPT runs to VMMCALL");
	npt_end(ctx);
}

SVM_TEST(npf_guest_walk, .run = walk_run)

/* ---- A and D bits in the nested entries ---- */

static void ad_guest(struct nested_ctx *ctx)
{
	struct npt_data *d = ctx->data;

	d->got = READ_ONCE(*(uint64_t *)(d->page + DATA_OFF));
	asm volatile("vmmcall" : : : "memory");
	WRITE_ONCE(*(uint64_t *)(d->page + DATA_OFF), DATA_VALUE);
}

/* A 4 KiB nested leaf with A and D clear; returns it. */
static uint64_t *ad_leaf(struct npt_data *d, uintptr_t pa)
{
	struct pt_walk w;

	pt_root_map(d->root, pa, pa, PAGE_SIZE, PT_RWX | PT_USER, true);
	if (pt_root_walk(d->root, pa, &w))
		report_abort("nested leaf of %#lx missing", (unsigned long)pa);
	*w.pte &= ~(PTE_A | PTE_D);
	return w.pte;
}

static void ad_run(struct nested_ctx *ctx)
{
	struct npt_data *d = npt_begin(ctx);
	uint64_t *data = ad_leaf(d, (uintptr_t)d->page);
	uint64_t *table = ad_leaf(d, read_cr3() & ~0xfffULL);

	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest reading a page exits at its VMMCALL");
	report(*data & PTE_A, "a guest read sets A in the page's nested entry");
	report(!(*data & PTE_D), "a guest read leaves D clear in the page's nested entry");
	report_eq_x(PTE_A | PTE_D, *table & (PTE_A | PTE_D),
		    "the guest's walk sets A and D in its PML4 page's nested entry");
	ctx->vmcb->save.rip += 3;
	nested_run(ctx);
	svm_report_exit(ctx->guest, SVM_EXIT_VMMCALL, "guest writing the page runs to VMMCALL");
	report(*data & PTE_D, "a guest write sets D in the page's nested entry");
	npt_end(ctx);
}

SVM_TEST(npt_ad_bits, .guest = ad_guest, .run = ad_run)

static const struct subtest tests[] = {
	SUBTEST_NEEDS(npf_read_not_present, svm_needs_npt),
	SUBTEST_NEEDS(npf_write_not_present, svm_needs_npt),
	SUBTEST_NEEDS(npf_write_read_only, svm_needs_npt),
	SUBTEST_NEEDS(npf_supervisor_page, svm_needs_npt),
	SUBTEST_NEEDS(npf_exec_nx, needs_npt_nx),
	SUBTEST_NEEDS(npf_reserved_bit, svm_needs_npt),
	SUBTEST_NEEDS(npf_guest_walk, svm_needs_npt),
	SUBTEST_NEEDS(npt_ad_bits, svm_needs_npt),
};

NESTED_TABLE(svm_npt_tests, tests);
