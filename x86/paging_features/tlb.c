// SPDX-License-Identifier: MIT
/*
 * What the architecture guarantees about the TLBs and paging-structure
 * caches (SDM vol. 3A 4.10.2-4.10.4, APM vol. 2 5.5): INVLPG and MOV to CR3
 * drop a changed translation (INVLPG also a global one, and every
 * paging-structure-cache entry), clearing CR4.PGE drops global ones, an
 * entry with P = 0 is never cached, and a page fault drops the faulting
 * address's translations, so a permission raised after the fault needs no
 * flush. Each check changes the PTE (or PDE) of a page already used, does
 * the operation, and reads: the new frame must show; before the operation
 * either may (nothing is asserted about retention). Also: PAT memory types
 * in PTEs (11.12.3), CR3's reserved bits (2.5, 4.5).
 */
#include "pf.h"
#include "smp.h"

#define TLB_VA		0x8000000000ULL		/* PML4 slot 1, private tables */
#define TLB_VA2		(TLB_VA + (1ULL << 21))

void tpage_init(struct tpage *t, uintptr_t va)
{
	struct pt_walk w;

	t->va = va;
	t->a = alloc_page();
	t->b = alloc_page();
	if (!t->a || !t->b)
		report_abort("out of memory for the test frames");
	*t->a = VAL_A;
	*t->b = VAL_B;
	if (pt_map_4k(va, (uintptr_t)t->a, PAGE_SIZE, PT_RW) || pt_walk(va, &w) || w.level != 1)
		report_abort("cannot map the test page");
	t->pte = w.pte;
}

void tpage_fini(struct tpage *t)
{
	pt_unmap(t->va, PAGE_SIZE);
	free_page(t->a);
	free_page(t->b);
}

void tpage_point(const struct tpage *t, bool b)
{
	*t->pte = (*t->pte & ~PTE_ADDR) | (uintptr_t)(b ? t->b : t->a);
}

uint64_t tpage_read(const struct tpage *t)
{
	return *(volatile uint64_t *)t->va;
}

const char *frame_name(uint64_t v, char *buf, size_t len)
{
	if (v == VAL_A)
		return "frame A";
	if (v == VAL_B)
		return "frame B";
	snprintf(buf, len, "%#llx", (unsigned long long)v);
	return buf;
}

bool tpage_expect_b(const struct tpage *t, const char *what)
{
	uint64_t v = tpage_read(t);
	char buf[24];

	return report_decoded(v == VAL_B, v == VAL_B ? "" : "frame B",
			      v == VAL_B ? "" : frame_name(v, buf, sizeof(buf)),
			      "%s makes the changed PTE visible", what);
}

exinfo_t read_safe(uintptr_t va, uint64_t *val)
{
	DECLARE_EXINFO(ex);
	uint64_t v = 0;

	asm volatile(ASM_TRY("mov (%2), %1") : "+r"(ex), "+r"(v) : "r"(va) : "memory");
	*val = v;
	return ex;
}

exinfo_t write_safe(uintptr_t va, uint64_t val)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("mov %1, (%2)") : "+r"(ex) : "r"(val), "r"(va) : "memory");
	return ex;
}

const char *need_pge(void)
{
	return this_cpu_has(X86_FEATURE_PGE) ? NULL : "PGE (CPUID.1:EDX[13]) not supported";
}

void tlb_invlpg(void)
{
	struct tpage t;

	tpage_init(&t, TLB_VA);
	tpage_read(&t);
	tpage_point(&t, true);
	invlpg(t.va);
	tpage_expect_b(&t, "INVLPG of the page");
	report_exc(0, invlpg_safe(1ULL << 63),
		   "INVLPG of a non-canonical address is a NOP (no #GP)");
	tpage_fini(&t);
}

void tlb_cr3(void)
{
	struct tpage t;

	tpage_init(&t, TLB_VA);
	tpage_read(&t);
	tpage_point(&t, true);
	write_cr3(read_cr3());
	tpage_expect_b(&t, "MOV to CR3 (non-global page)");
	tpage_fini(&t);
}

void tlb_global(void)
{
	uint64_t cr4 = read_cr4();
	struct tpage t;

	tpage_init(&t, TLB_VA);
	write_cr4(cr4 | X86_CR4_PGE);
	*t.pte |= PTE_G;
	invlpg(t.va);
	tpage_read(&t);
	tpage_point(&t, true);
	invlpg(t.va);
	tpage_expect_b(&t, "INVLPG of a global page");
	tpage_point(&t, false);
	invlpg(t.va);
	tpage_read(&t);
	tpage_point(&t, true);
	write_cr4(cr4 & ~X86_CR4_PGE);
	tpage_expect_b(&t, "clearing CR4.PGE (global page)");
	write_cr4(cr4);
	*t.pte &= ~PTE_G;
	invlpg(t.va);
	tpage_fini(&t);
}

/* A PDE pointed at another page table: INVLPG drops the paging-structure caches too. */
void tlb_structure(void)
{
	struct tpage t, t2;
	struct pt_walk w;
	uint64_t *pde, old;

	tpage_init(&t, TLB_VA);
	tpage_init(&t2, TLB_VA2);
	tpage_point(&t2, true);
	invlpg(t2.va);
	if (pt_walk(t.va, &w) || !w.entries[2])
		report_abort("no PDE for the test page");
	pde = w.entries[2];
	old = *pde;
	tpage_read(&t);
	/* t's PDE now points at t2's page table, whose entry 0 maps frame B of t2. */
	*pde = *(w.entries[2] + 1);
	invlpg(t.va);
	report_eq_x(VAL_B, tpage_read(&t),
		    "INVLPG makes a changed PDE (another page table) visible");
	*pde = old;
	invlpg(t.va);
	tpage_fini(&t2);
	tpage_fini(&t);
}

/* SDM 4.10.4.3: no TLB entry is made from an entry with P = 0. */
void tlb_not_present(void)
{
	struct tpage t;
	uint64_t v = 0;

	tpage_init(&t, TLB_VA);
	*t.pte &= ~PTE_P;
	invlpg(t.va);
	report_exc(EXINFO(PF_VECTOR, 0), read_safe(t.va, &v),
		   "a read of a not-present page raises #PF(0)");
	*t.pte |= PTE_P;
	report_exc(0, read_safe(t.va, &v),
		   "setting P needs no flush: the next read raises no #PF");
	report_eq_x(VAL_A, v, "the read after setting P returns the page's data");
	tpage_fini(&t);
}

/* SDM 4.10.4.1: a #PF invalidates the TLB entries for the faulting address. */
void tlb_after_fault(void)
{
	struct tpage t;

	tpage_init(&t, TLB_VA);
	*t.pte &= ~PTE_W;
	invlpg(t.va);
	tpage_read(&t);
	report_exc(EXINFO(PF_VECTOR, PFERR_P | PFERR_W), write_safe(t.va, VAL_B),
		   "a write to a read-only page raises #PF(P|W)");
	*t.pte |= PTE_W;
	report_exc(0, write_safe(t.va, VAL_B),
		   "after the #PF, setting R/W needs no flush: the write raises no #PF");
	report_eq_x(VAL_B, *t.a, "the write after the #PF reached the page");
	tpage_fini(&t);
}

struct remote {
	const struct tpage *t;
	uint64_t v;
};

static void remote_read(void *p)
{
	struct remote *r = p;

	r->v = tpage_read(r->t);
}

static void remote_invlpg_read(void *p)
{
	struct remote *r = p;

	invlpg(r->t->va);
	r->v = tpage_read(r->t);
}

/* A PTE changed on CPU 0 and flushed by INVLPG on the CPU that used it. */
void tlb_remote(void)
{
	struct tpage t;
	char buf[24];

	tpage_init(&t, TLB_VA);
	for (int cpu = 1; cpu < cpu_count(); cpu++) {
		struct remote r = { &t, 0 };

		tpage_point(&t, false);
		invlpg(t.va);
		on_cpu(cpu, remote_read, &r);
		tpage_point(&t, true);
		on_cpu(cpu, remote_invlpg_read, &r);
		report_decoded(r.v == VAL_B, r.v == VAL_B ? "" : "frame B",
			       r.v == VAL_B ? "" : frame_name(r.v, buf, sizeof(buf)),
			       "cpu%d: INVLPG there makes a PTE changed on CPU 0 visible", cpu);
	}
	tpage_fini(&t);
}

/* PAT index 0-7 through PWT, PCD and PAT (bit 7 in a PTE, 12 in a 2 MiB leaf). */
void pat_types(void)
{
	uint64_t pat = rdmsr(MSR_IA32_PAT);
	uint64_t *frame = alloc_pages(9);	/* 2 MiB, naturally aligned */

	if (!frame)
		report_abort("out of memory for a 2 MiB frame");
	for (int big = 0; big < 2; big++) {
		uint64_t size = big ? 1ULL << 21 : PAGE_SIZE;
		uint64_t pat_bit = big ? PTE_PAT_LARGE : PTE_PAT;

		for (int i = 0; i < 8; i++) {
			uint64_t v = 0, want = VAL_A + i + 8 * big;
			exinfo_t ex;
			struct pt_walk w;

			pt_map(TLB_VA, (uintptr_t)frame, size, PT_RW);
			if (pt_walk(TLB_VA, &w) || w.level != big + 1)
				report_abort("cannot map the PAT test page");
			*w.pte |= (i & 1 ? PTE_PWT : 0) | (i & 2 ? PTE_PCD : 0) |
				  (i & 4 ? pat_bit : 0);
			invlpg(TLB_VA);
			ex = write_safe(TLB_VA, want);
			if (!ex)
				ex = read_safe(TLB_VA, &v);
			report(!ex && v == want && *frame == want,
			       "%s leaf with PAT entry %d (type %llu) is written and read back",
			       big ? "2 MiB" : "4 KiB", i,
			       (unsigned long long)(pat >> (8 * i)) & 7);
		}
	}
	pt_unmap(TLB_VA, 1ULL << 21);
	free_pages(frame, 9);
}

/*
 * CR3 bits above the physical-address width (SDM vol. 3A 4.5 table 4-12;
 * APM 3.1.2: 63:52 MBZ). A VMM that loads such a CR3 has its walks lead
 * nowhere: this subtest holds nothing else.
 */
void cr3_rsvd(void)
{
	uint64_t cr3 = read_cr3();
	int lo = cpu_vendor_amd() ? 52 : cpuid_maxphyaddr();
	bool lam = this_cpu_has(X86_FEATURE_LAM);
	int bad = -1;
	exinfo_t worst = EXINFO(GP_VECTOR, 0);

	for (int bit = lo; bit < 64; bit++) {
		exinfo_t ex;

		if (lam && (bit == 61 || bit == 62))
			continue;	/* LAM_U57, LAM_U48 */
		ex = write_cr3_safe(cr3 | BIT_ULL(bit));
		if (!ex)
			write_cr3(cr3);
		if (ex != EXINFO(GP_VECTOR, 0) && bad < 0) {
			bad = bit;
			worst = ex;
		}
	}
	if (!report_exc(EXINFO(GP_VECTOR, 0), worst,
			"MOV to CR3 with any bit %d-63 set raises #GP(0) (CR4.PCIDE=0)", lo))
		report_info("first offending bit %d", bad);
	report_eq_x(cr3, read_cr3(), "CR3 is unchanged by the faulting writes");
}

/* CR3's PWT and PCD (SDM vol. 3A 4.5 table 4-12, APM 3.1.2) are stored. */
void cr3_pwt_pcd(void)
{
	uint64_t cr3 = read_cr3();

	report_exc(0, write_cr3_safe(cr3 | PTE_PWT | PTE_PCD),
		   "MOV to CR3 with PWT and PCD set raises no exception");
	report_eq_x(cr3 | PTE_PWT | PTE_PCD, read_cr3(), "CR3 reads back PWT and PCD");
	write_cr3(cr3);
}
