// SPDX-License-Identifier: MIT
/*
 * Dynamic address translation (PoP 3.11) for lib/vm.c: five levels, the
 * region-first table as root (every 64-bit address translates through it),
 * region and segment tables of 2048 entries (16 KiB), page tables of 256
 * (2 KiB, each in a page of its own). Leaves: 4 KiB pages, 1 MiB segments
 * with EDAT-1 (facility 8, CR0 bit 40) and 2 GiB regions with EDAT-2
 * (facility 78). An empty entry is the invalid bit with, above the page
 * table, the table type the entry's level requires.
 *
 * Only the protection bit has a PT_* meaning: every page is executable
 * (instruction-execution protection is not used) and reachable in the
 * problem state (storage keys decide that, not DAT), and there is no
 * memory-mapped I/O. The identity map covers RAM but page 0, and
 * LOWCORE_VIRT maps real 0-8 KiB (each CPU's lowcore); CR1 holds the
 * primary ASCE on every CPU, and interruption handlers run with DAT off
 * (entry.S), which keeps the lowcore reachable. TLB flushes purge every
 * CPU's TLB (COMPARE AND SWAP AND PURGE).
 */
#include "alloc.h"
#include "asm/cr.h"
#include "asm/dat.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "report.h"
#include "s390x.h"
#include "setup.h"
#include "vm.h"

static const struct pt_geometry geometry = {
	.levels = 5,
	.shift = { 0, 12, 20, 31, 42, 53 },
	.entries = { 0, PAGE_TABLE_ENTRIES, CRST_ENTRIES, CRST_ENTRIES, CRST_ENTRIES,
		     CRST_ENTRIES },
};

static uint64_t asce;

const struct pt_geometry *arch_pt_geometry(void)
{
	return &geometry;
}

uint64_t arch_pte_none(int level)
{
	if (level == 1)
		return PAGE_INVALID;
	if (level == 2)
		return SEGMENT_INVALID | SEGMENT_TT;
	return REGION_INVALID | REGION_TT(level);
}

uint64_t *arch_pt_root(void)
{
	return (uint64_t *)(uintptr_t)(stctg(1) & ASCE_ORIGIN);
}

bool arch_pt_leaf_ok(int level)
{
	return (level == 2 && test_facility(8)) || (level == 3 && test_facility(78));
}

bool arch_pte_present(uint64_t pte, int level)
{
	return !(pte & (level == 1 ? PAGE_INVALID : REGION_INVALID));
}

bool arch_pte_is_leaf(uint64_t pte, int level)
{
	return level == 1 || ((level == 2 || level == 3) && (pte & SEGMENT_FC));
}

uint64_t arch_pte_addr(uint64_t pte)
{
	return pte & PAGE_FRAME;
}

/* An entry at @level pointing at @table, a table of level - 1. */
uint64_t arch_pte_table(uint64_t *table, int level)
{
	if (level == 2)
		return (uintptr_t)table | SEGMENT_TT;
	return (uintptr_t)table | REGION_TT(level) | REGION_TL;
}

uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level)
{
	uint64_t prot = flags & PT_W ? 0 : PAGE_PROT;

	if (level == 1)
		return phys | prot;
	if (level == 2)
		return phys | SEGMENT_FC | prot | SEGMENT_TT;
	return phys | REGION3_FC | prot | REGION_TT(3);
}

unsigned int arch_pte_flags(uint64_t pte)
{
	return PT_R | PT_X | PT_USER | (pte & PAGE_PROT ? 0 : PT_W);
}

/* A word for COMPARE AND SWAP AND PURGE to swap with itself. */
static uint32_t purge_word;

void pt_flush(uintptr_t virt)
{
	register uint64_t old asm("0") = 0;
	register uint64_t new asm("1") = 0;

	asm volatile("csp %[old],%[addr]"
		     : [old] "+d"(old) : "d"(new), [addr] "d"((uintptr_t)&purge_word | 1)
		     : "cc", "memory");
}

void mmu_cpu_init(void)
{
	if (test_facility(8))
		ctl_set_bits(0, CR0_EDAT);
	lctlg(1, asce);
	stosm(SM_DAT);
}

void mmu_init(void)
{
	pt_root_t root = pt_root_alloc();
	uint64_t ram = ALIGN_DOWN(phys_mem_end, PAGE_SIZE);

	if (!root)
		report_abort("out of memory for the region-first table");
	asce = root | ASCE_DT_REGION1 | ASCE_TL;
	if (pt_root_map(root, 0, 0, ram, PT_RW, false) || pt_root_unmap(root, 0, PAGE_SIZE) ||
	    pt_root_map(root, LOWCORE_VIRT, 0, LOWCORE_SIZE, PT_RW, true))
		report_abort("cannot build the identity map of %#lx bytes", (unsigned long)ram);
	mmu_cpu_init();
}
