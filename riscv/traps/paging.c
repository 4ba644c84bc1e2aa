// SPDX-License-Identifier: MIT
/*
 * Translation faults under each mode the hart implements (privileged
 * architecture v1.12, 4.3 Sv32's rules as 4.4 Sv39, 4.5 Sv48 and 4.6 Sv57
 * extend them): the translation algorithm of 4.3.2 (V clear, W without R
 * and reserved bits raise a page fault of the access's type; a leaf's R, W,
 * X and U against the access and sstatus.SUM and MXR; a misaligned
 * superpage faults; A and D either updated by the hart or, clear, a page
 * fault: the Svade/Svadu extensions name which when the devicetree lists
 * them), 4.4.1 (virtual addresses whose bits 63 down to the top VA bit are
 * not all equal fault), 4.3.1 (non-leaf entries' D, A, U reserved;
 * 63:54 reserved unless Svpbmt (62:61) or Svnapot (63) define them).
 * stval holds the faulting virtual address, sepc the faulting instruction
 * (4.1.9-4.1.10). Each check builds its mapping at ALIAS on the live root
 * and edits entries in place, flushing this hart's TLB.
 */
#include "alloc.h"
#include "asm/processor.h"
#include "cpu.h"
#include "mmu.h"
#include "report.h"
#include "smp.h"
#include "user.h"
#include "vm.h"
#include "traps.h"

#define PTE_V		BIT(0)
#define PTE_R		BIT(1)
#define PTE_W		BIT(2)
#define PTE_X		BIT(3)
#define PTE_U		BIT(4)
#define PTE_A		BIT(6)
#define PTE_D		BIT(7)
#define PTE_PPN_SHIFT	10
#define PTE_PBMT_NC	(1UL << 61)
#define PTE_N		BIT(63)
#define PTE_RSVD	GENMASK(60, 54)

#define LOAD		EXINFO(CAUSE_LOAD_PAGE_FAULT, 0)
#define STORE		EXINFO(CAUSE_STORE_PAGE_FAULT, 0)
#define FETCH		EXINFO(CAUSE_FETCH_PAGE_FAULT, 0)

/*
 * ALIAS maps it. Its first word is a RET (with a marker above it): a fetch
 * that should fault but runs returns, and the check reports no exception.
 */
static uint64_t *page;

#define PAGE_WORD	0x1234567800008067UL

static exinfo_t load(uintptr_t va, uint64_t *v)
{
	DECLARE_EXINFO(ex);
	uint64_t x = 0;

	asm volatile(ASM_TRY("ld %1, 0(%2)") : "+r"(ex), "=&r"(x) : "r"(va) : "memory");
	*v = x;
	return ex;
}

static exinfo_t store(uintptr_t va)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("sd %1, 0(%1)") : "+r"(ex) : "r"(va) : "memory");
	return ex;
}

/* A load, expected to fault as @want with stval @va, or to read @page's first word. */
static void check_load(uintptr_t va, exinfo_t want, const char *what)
{
	uint64_t v;
	exinfo_t ex = load(va, &v);

	report_exc(want, ex, "%s", what);
	if (want && ex == want)
		report_eq_x(va, exinfo_stval(), "stval: %s", what);
	else if (!want && !ex)
		report_eq_x(page[0], v, "the value read: %s", what);
}

static void map(uintptr_t va, uint64_t pa, size_t size, unsigned int flags)
{
	if (pt_map(va, pa, size, flags))
		report_abort("cannot map %#lx", (unsigned long)va);
}

static uint64_t *leaf_of(uintptr_t va)
{
	struct pt_walk w;

	if (pt_walk(va, &w))
		report_abort("%#lx is not mapped", (unsigned long)va);
	return w.pte;
}

/* Set the leaf for @va to (*leaf & ~@clear) | @set, and flush it. */
static void edit(uintptr_t va, uint64_t clear, uint64_t set)
{
	uint64_t *pte = leaf_of(va);

	*pte = (*pte & ~clear) | set;
	sfence_vma_addr(va);
}

static void unmapped(void)
{
	pt_unmap(ALIAS, PAGE_SIZE);
	check_load(ALIAS, LOAD, "a load from an unmapped page is a load page fault");
	report_exc(STORE, store(ALIAS), "a store to an unmapped page is a store/AMO page fault");
	report_eq_x(ALIAS, exinfo_stval(), "stval of the store page fault is the address");
	trap_catch(CAUSE_FETCH_PAGE_FAULT, false);
	report_exc(FETCH, call_at(ALIAS), "a fetch from an unmapped page is an instruction page "
		   "fault");
	trap_release(CAUSE_FETCH_PAGE_FAULT);
	report(trap_seen.epc == ALIAS && trap_seen.tval == ALIAS,
	       "sepc and stval of the instruction page fault are the target");
}

static void permissions(void)
{
	uint64_t v;

	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_R);
	check_load(ALIAS, 0, "a load from a read-only page reads it");
	report_exc(STORE, store(ALIAS), "a store to a read-only page is a store/AMO page fault");
	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RW);
	trap_catch(CAUSE_FETCH_PAGE_FAULT, false);
	report_exc(FETCH, call_at(ALIAS), "a fetch from a page without X is an instruction page "
		   "fault");
	trap_release(CAUSE_FETCH_PAGE_FAULT);
	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_X);
	check_load(ALIAS, LOAD, "a load from an execute-only page with MXR clear faults");
	csr_set(CSR_SSTATUS, SSTATUS_MXR);
	report_exc(0, load(ALIAS, &v), "a load from an execute-only page with MXR set reads it");
	csr_clear(CSR_SSTATUS, SSTATUS_MXR);
}

static uint64_t user_load(uint64_t va)
{
	uint64_t v;

	return load(va, &v);
}

static uint64_t user_store(uint64_t va)
{
	return store(va);
}

static void user_pages(void)
{
	uint64_t v;
	exinfo_t ex;

	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RWX | PT_USER);
	csr_clear(CSR_SSTATUS, SSTATUS_SUM);
	ex = load(ALIAS, &v);
	csr_set(CSR_SSTATUS, SSTATUS_SUM);
	report_exc(LOAD, ex, "an S-mode load from a U page with SUM clear faults");
	trap_catch(CAUSE_FETCH_PAGE_FAULT, false);
	report_exc(FETCH, call_at(ALIAS), "an S-mode fetch from a U page faults");
	report_exc(0, load(ALIAS, &v), "an S-mode load from a U page with SUM set reads it");
	report_exc(FETCH, call_at(ALIAS),
		   "an S-mode fetch from a U page faults after an S-mode load read it");
	trap_release(CAUSE_FETCH_PAGE_FAULT);
	report_exc(0, run_in_user(user_load, ALIAS), "a U-mode load from a U page reads it");
	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_R | PT_USER);
	report_exc(STORE, run_in_user(user_store, ALIAS),
		   "a U-mode store to a read-only U page faults");
	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RW);
	report_exc(LOAD, run_in_user(user_load, ALIAS), "a U-mode load from an S page faults");
}

/* 4.3.2 step 3: V clear, W without R, reserved bits and encodings. */
static void reserved(void)
{
	int cpu = smp_id();

	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RW);
	edit(ALIAS, PTE_R, 0);
	check_load(ALIAS, LOAD, "a leaf with W but not R is a page fault");
	edit(ALIAS, 0, PTE_X);
	check_load(ALIAS, LOAD, "a leaf with W and X but not R is a page fault");
	edit(ALIAS, PTE_X, PTE_R | BIT(54));
	check_load(ALIAS, LOAD, "a leaf with reserved bit 54 set is a page fault");
	edit(ALIAS, BIT(54), BIT(60));
	check_load(ALIAS, LOAD, "a leaf with reserved bit 60 set is a page fault");
	edit(ALIAS, BIT(60), PTE_PBMT_NC);
	check_load(ALIAS, isa_has(cpu, "svpbmt") ? 0 : LOAD, isa_has(cpu, "svpbmt") ?
		   "with Svpbmt, a leaf of PBMT NC reads the page" :
		   "without Svpbmt, a leaf with PBMT bits set is a page fault");
	edit(ALIAS, PTE_PBMT_NC, 3UL << 61);
	check_load(ALIAS, LOAD, "a leaf with PBMT 3, reserved in Svpbmt too, is a page fault");
	edit(ALIAS, 3UL << 61, 0);
	if (!isa_has(cpu, "svnapot")) {
		edit(ALIAS, 0, PTE_N);
		check_load(ALIAS, LOAD, "without Svnapot, a leaf with N set is a page fault");
		edit(ALIAS, PTE_N, 0);
	}
	check_load(ALIAS, 0, "the leaf with no reserved bit left reads the page");
}

/* The entry at @level on the way to @va: a pointer to a table, for 4 KiB @va. */
static uint64_t *entry_at(uintptr_t va, int level)
{
	uint64_t *t = (uint64_t *)(uintptr_t)pt_root_current();

	for (int l = mmu_mode_levels(mmu_mode());; l--) {
		uint64_t *e = &t[(va >> (12 + 9 * (l - 1))) & 511];

		if (l == level)
			return e;
		t = (uint64_t *)(((*e >> PTE_PPN_SHIFT) & GENMASK(43, 0)) << 12);
	}
}

static void nonleaf(void)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} bits[] = { { PTE_D, "D" }, { PTE_A, "A" }, { PTE_U, "U" } };
	uint64_t *e;

	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RW);
	e = entry_at(ALIAS, 2);
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++) {
		char what[64];

		*e |= bits[i].bit;
		sfence_vma_all();
		snprintf(what, sizeof(what), "a non-leaf entry with %s set is a page fault",
			 bits[i].name);
		check_load(ALIAS, LOAD, what);
		*e &= ~bits[i].bit;
		sfence_vma_all();
	}
}

/* A megapage (and, below a 4-level root, a gigapage) reaches the page at its offset. */
static void superpages(void)
{
	uintptr_t block = ALIGN_DOWN((uintptr_t)page, 0x200000), giga = 0x80000000;
	uint64_t off = (uintptr_t)page - block, v;
	struct pt_walk w;

	map(ALIAS, block, 0x200000, PT_RW);
	if (pt_walk(ALIAS, &w) || w.level != 2)
		report_abort("pt_map of 2 MiB at %#lx gave no megapage", ALIAS);
	report_exc(0, load(ALIAS + off, &v), "a load through a megapage succeeds");
	report_eq_x(PAGE_WORD, v, "a megapage reaches the page at its offset");
	edit(ALIAS, 0, 1UL << PTE_PPN_SHIFT);
	check_load(ALIAS + off, LOAD, "a megapage whose PPN[0] is not 0 is a page fault");
	pt_unmap(ALIAS, 0x200000);
	if (mmu_mode_levels(mmu_mode()) < 4 || (uintptr_t)page - giga >= (1UL << 30))
		return;
	map(ALIAS_1G, giga, 1UL << 30, PT_RW);
	if (pt_walk(ALIAS_1G, &w) || w.level != 3)
		report_abort("pt_map of 1 GiB at %#lx gave no gigapage", ALIAS_1G);
	report_exc(0, load(ALIAS_1G + (uintptr_t)page - giga, &v),
		   "a load through a gigapage succeeds");
	report_eq_x(PAGE_WORD, v, "a gigapage reaches the page at its offset");
	edit(ALIAS_1G, 0, 1UL << (PTE_PPN_SHIFT + 9));
	check_load(ALIAS_1G + (uintptr_t)page - giga, LOAD,
		   "a gigapage whose PPN[1] is not 0 is a page fault");
	pt_unmap(ALIAS_1G, 1UL << 30);
}

/* Bits 63 down to the top VA bit must all equal it (4.4.1, 4.5.1, 4.6.1). */
static void noncanonical(void)
{
	int bits = 12 + 9 * mmu_mode_levels(mmu_mode());
	uintptr_t top = 1UL << (bits - 1);

	check_load(top, LOAD, "a load from the first address past the positive half faults");
	check_load(~(top - 1) - PAGE_SIZE, LOAD,
		   "a load below the negative half's sign-extended addresses faults");
	check_load(~(top - 1), LOAD, "a load from the first sign-extended address, unmapped, "
		   "faults");
}

/*
 * A clear A on a load, a clear D on a store: the hart sets the bit and
 * goes on, or raises the page fault (4.3.1); Svadu names the first, Svade
 * the second. Whichever it does, it does for both.
 */
static void ad_bits(void)
{
	int cpu = smp_id();
	bool svadu = isa_has(cpu, "svadu"), svade = isa_has(cpu, "svade") && !svadu;
	uint64_t v, *pte;
	exinfo_t la, sd;

	map(ALIAS, (uintptr_t)page, PAGE_SIZE, PT_RW);
	pte = leaf_of(ALIAS);
	edit(ALIAS, PTE_A | PTE_D, 0);
	la = load(ALIAS, &v);
	report(la == LOAD ? !(*pte & PTE_A) : !la && (*pte & PTE_A) && !(*pte & PTE_D),
	       "a load with A clear faults with A left clear, or sets A alone");
	edit(ALIAS, PTE_D, PTE_A);
	sd = store(ALIAS);
	report(sd == STORE ? !(*pte & PTE_D) : !sd && (*pte & PTE_D),
	       "a store with D clear faults with D left clear, or sets D");
	report(!la == !sd, "loads and stores follow one scheme: A/D faults or A/D updates");
	report_info("A/D bits: %s", la ? "page faults (Svade)" : "updated by the hart (Svadu)");
	if (svadu)
		report(!la && !sd, "with Svadu advertised, the hart updates A and D");
	if (svade)
		report(la && sd, "with Svade advertised, clear A and D bits fault");
}

static void paging(unsigned long mode)
{
	if (mmu_set_mode(mode))
		report_abort("satp refuses %s", mmu_mode_name(mode));
	page = alloc_zeroed_page();
	if (!page)
		report_abort("out of memory for a page");
	*page = PAGE_WORD;
	fence_i();
	unmapped();
	permissions();
	user_pages();
	reserved();
	nonleaf();
	pt_unmap(ALIAS, PAGE_SIZE);
	superpages();
	noncanonical();
	ad_bits();
	pt_unmap(ALIAS, PAGE_SIZE);
	free_page(page);
	if (mmu_set_mode(SATP_MODE_SV39))
		report_abort("satp refuses Sv39 back");
}

void sv39(void)
{
	paging(SATP_MODE_SV39);
}

void sv48(void)
{
	paging(SATP_MODE_SV48);
}

void sv57(void)
{
	paging(SATP_MODE_SV57);
}

static const char *need_mode(unsigned long mode, const char *why)
{
	if (mmu_set_mode(mode))
		return why;
	mmu_set_mode(SATP_MODE_SV39);
	return NULL;
}

const char *need_sv48(void)
{
	return need_mode(SATP_MODE_SV48, "satp keeps its mode when written Sv48: no Sv48");
}

const char *need_sv57(void)
{
	return need_mode(SATP_MODE_SV57, "satp keeps its mode when written Sv57: no Sv57");
}
