// SPDX-License-Identifier: MIT
/*
 * The x86_64 entry format of 4-level paging (SDM vol. 3, 4.5) for lib/vm.c.
 * The boot tables from cstart64.S are the live ones; mmu_init() only
 * unmaps page 0.
 */
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

/* 4-level paging: 512 entries a table, 9 index bits a level (SDM vol. 3A, 4.5). */
static const struct pt_geometry geometry = {
	.levels = 4,
	.shift = { 0, 12, 21, 30, 39 },
	.entries = { 0, 512, 512, 512, 512 },
};

const struct pt_geometry *arch_pt_geometry(void)
{
	return &geometry;
}

uint64_t arch_pte_none(int level)
{
	return 0;
}

uint64_t *arch_pt_root(void)
{
	return (uint64_t *)(uintptr_t)(read_cr3() & PTE_ADDR);
}

bool arch_pt_leaf_ok(int level)
{
	return level == 2 || (level == 3 && this_cpu_has(X86_FEATURE_GBPAGES));
}

bool arch_pte_present(uint64_t pte, int level)
{
	return pte & PTE_P;
}

bool arch_pte_is_leaf(uint64_t pte, int level)
{
	return level == 1 || (pte & PTE_PS);
}

uint64_t arch_pte_addr(uint64_t pte)
{
	return pte & PTE_ADDR;
}

uint64_t arch_pte_table(uint64_t *table, int level)
{
	return (uintptr_t)table | PTE_P | PTE_W | PTE_U;
}

uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level)
{
	uint64_t pte = phys | PTE_P | (level > 1 ? PTE_PS : 0);

	if (flags & PT_W)
		pte |= PTE_W;
	if (flags & PT_USER)
		pte |= PTE_U;
	if (flags & PT_DEVICE)
		pte |= PTE_PCD | PTE_PWT;
	if (!(flags & PT_X) && (rdmsr(0xc0000080) & BIT(11)))
		pte |= PTE_NX;
	return pte;
}

unsigned int arch_pte_flags(uint64_t pte)
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
