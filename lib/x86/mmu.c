// SPDX-License-Identifier: MIT
/*
 * 4-level page tables (SDM vol. 3, 4.5) behind the vm.h API. The boot
 * tables from cstart64.S are the live ones; changes split large pages as
 * needed with tables from the page allocator. TLB flushes are local: a
 * test that changes mappings other CPUs use flushes there itself.
 */
#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/processor.h"
#include "report.h"
#include "vm.h"
#include "x86.h"

#define PTE_P		BIT_ULL(0)
#define PTE_W		BIT_ULL(1)
#define PTE_U		BIT_ULL(2)
#define PTE_PWT		BIT_ULL(3)
#define PTE_PCD		BIT_ULL(4)
#define PTE_PS		BIT_ULL(7)
#define PTE_NX		BIT_ULL(63)
#define PTE_ADDR	GENMASK_ULL(51, 12)

static int level_shift(int level)
{
	return 12 + 9 * (level - 1);
}

static uint64_t flags_to_pte(unsigned int f)
{
	uint64_t pte = PTE_P;

	if (f & PT_W)
		pte |= PTE_W;
	if (f & PT_USER)
		pte |= PTE_U;
	if (f & PT_DEVICE)
		pte |= PTE_PCD | PTE_PWT;
	if (!(f & PT_X) && (rdmsr(0xc0000080) & BIT(11)))
		pte |= PTE_NX;
	return pte;
}

static unsigned int pte_to_flags(uint64_t pte)
{
	unsigned int f = PT_R;

	if (pte & PTE_W)
		f |= PT_W;
	if (pte & PTE_U)
		f |= PT_USER;
	if (pte & PTE_PCD)
		f |= PT_DEVICE;
	if (!(pte & PTE_NX))
		f |= PT_X;
	return f;
}

static uint64_t *table_of(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(pte & PTE_ADDR);
}

/* Replace a large leaf at @level by a table of 512 smaller leaves. */
static void split(uint64_t *pte, int level)
{
	uint64_t *t = alloc_zeroed_page();
	uint64_t keep = *pte & ~PTE_ADDR & ~PTE_PS;
	uint64_t base = *pte & PTE_ADDR & ~((1ULL << level_shift(level)) - 1);

	if (!t)
		report_abort("page tables: out of memory splitting a level-%d page", level);
	for (int i = 0; i < 512; i++)
		t[i] = (base + ((uint64_t)i << level_shift(level - 1))) | keep |
		       (level - 1 > 1 ? PTE_PS : 0);
	*pte = (uintptr_t)t | PTE_P | PTE_W | PTE_U;
}

/*
 * The entry for @virt at @target level, creating tables and splitting
 * larger leaves on the way down when @create.
 */
static uint64_t *get_pte(uintptr_t virt, int target, bool create)
{
	uint64_t *table = (uint64_t *)(read_cr3() & PTE_ADDR);

	for (int level = 4;; level--) {
		uint64_t *pte = &table[(virt >> level_shift(level)) & 511];

		if (level == target)
			return pte;
		if (!(*pte & PTE_P)) {
			uint64_t *t;

			if (!create)
				return NULL;
			t = alloc_zeroed_page();
			if (!t)
				report_abort("page tables: out of memory");
			*pte = (uintptr_t)t | PTE_P | PTE_W | PTE_U;
		} else if (*pte & PTE_PS) {
			if (!create)
				return pte;
			split(pte, level);
		}
		table = table_of(*pte);
	}
}

static int best_level(uintptr_t virt, uint64_t phys, size_t left, bool only_4k)
{
	for (int level = 3; level > 1 && !only_4k; level--) {
		uint64_t size = 1ULL << level_shift(level);

		if (level == 3 && !this_cpu_has(X86_FEATURE_GBPAGES))
			continue;
		if (!(virt & (size - 1)) && !(phys & (size - 1)) && left >= size)
			return level;
	}
	return 1;
}

static int map(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags, bool only_4k)
{
	if ((virt | phys | size) & 4095)
		return -1;
	while (size) {
		int level = best_level(virt, phys, size, only_4k);
		uint64_t *pte = get_pte(virt, level, true);
		uint64_t step = 1ULL << level_shift(level);

		*pte = phys | flags_to_pte(flags) | (level > 1 ? PTE_PS : 0);
		invlpg(virt);
		virt += step;
		phys += step;
		size -= step;
	}
	return 0;
}

int pt_map(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags)
{
	return map(virt, phys, size, flags, false);
}

int pt_map_4k(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags)
{
	return map(virt, phys, size, flags, true);
}

int pt_walk(uintptr_t virt, struct pt_walk *w)
{
	uint64_t *table = (uint64_t *)(read_cr3() & PTE_ADDR);

	memset(w, 0, sizeof(*w));
	for (int level = 4; level >= 1; level--) {
		uint64_t *pte = &table[(virt >> level_shift(level)) & 511];

		w->pte = pte;
		w->level = level;
		if (!(*pte & PTE_P))
			return -1;
		if (level == 1 || (*pte & PTE_PS)) {
			uint64_t mask = (1ULL << level_shift(level)) - 1;

			w->present = true;
			w->phys = (*pte & PTE_ADDR & ~mask) | (virt & mask);
			w->flags = pte_to_flags(*pte);
			return 0;
		}
		table = table_of(*pte);
	}
	return -1;
}

/* Apply @fn to each 4 KiB leaf of [virt, virt + size), splitting as needed. */
static int for_each_4k(uintptr_t virt, size_t size, void (*fn)(uint64_t *, unsigned int),
		       unsigned int arg)
{
	if ((virt | size) & 4095)
		return -1;
	for (; size; virt += 4096, size -= 4096) {
		struct pt_walk w;

		if (pt_walk(virt, &w))
			return -1;
		if (w.level > 1)
			get_pte(virt, 1, true);
		fn(get_pte(virt, 1, false), arg);
		invlpg(virt);
	}
	return 0;
}

static void clear_pte(uint64_t *pte, unsigned int unused)
{
	*pte = 0;
}

static void protect_pte(uint64_t *pte, unsigned int flags)
{
	*pte = (*pte & PTE_ADDR) | flags_to_pte(flags);
}

int pt_unmap(uintptr_t virt, size_t size)
{
	return for_each_4k(virt, size, clear_pte, 0);
}

int pt_protect(uintptr_t virt, size_t size, unsigned int flags)
{
	return for_each_4k(virt, size, protect_pte, flags);
}

void pt_flush(uintptr_t virt)
{
	invlpg(virt);
}

/* Page 0 unmapped: a NULL dereference faults. */
void mmu_init(void)
{
	if (pt_unmap(0, 4096))
		report_abort("cannot unmap page 0");
}
