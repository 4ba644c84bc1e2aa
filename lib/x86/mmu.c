// SPDX-License-Identifier: MIT
/*
 * The x86_64 entry format of 4- and 5-level paging (SDM vol. 3, 4.5) for
 * lib/vm.c, and the switch between the two (paging.h). The boot tables from
 * cstart64.S are the live ones; mmu_init() only unmaps page 0.
 */
#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/msr.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "paging.h"
#include "report.h"
#include "usermode.h"
#include "vm.h"
#include "x86.h"

/* 512 entries a table, 9 index bits a level (SDM vol. 3A, 4.5); LA57 adds a fifth level. */
static const struct pt_geometry geometry[2] = {
	{
		.levels = 4,
		.shift = { 0, 12, 21, 30, 39 },
		.entries = { 0, 512, 512, 512, 512 },
	}, {
		.levels = 5,
		.shift = { 0, 12, 21, 30, 39, 48 },
		.entries = { 0, 512, 512, 512, 512, 512 },
	},
};

/* The geometry of the tables this CPU walks: CR4.LA57 decides. */
const struct pt_geometry *arch_pt_geometry(void)
{
	return &geometry[paging_la57_active()];
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
	if (!(flags & PT_X) && (rdmsr(MSR_EFER) & EFER_NXE))
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

uint64_t paging_supervisor_root(void)
{
	const uint64_t gib = 1ULL << 30;
	pt_root_t r = pt_root_alloc();
	uintptr_t ut = (uintptr_t)__user_text_start;

	if (!r || pt_root_map(r, 0, 0, 3 * gib, PT_RWX, false) ||
	    pt_root_map(r, 3 * gib, 3 * gib, gib, PT_RWX | PT_DEVICE, false) ||
	    pt_root_unmap(r, 0, PAGE_SIZE) ||
	    pt_root_protect(r, ut, (uintptr_t)__user_text_end - ut, PT_R | PT_X | PT_USER) ||
	    pt_root_protect(r, (uintptr_t)user_stack(), USER_STACK_SIZE, PT_RWX | PT_USER))
		report_abort("out of memory for a supervisor-only root");
	return r;
}

bool paging_la57_active(void)
{
	return read_cr4() & X86_CR4_LA57;
}

void paging_la57_enter(void)
{
	struct x86_cpu *c = &x86_cpus[smp_id()];
	uint64_t cr3 = read_cr3();

	if (paging_la57_active())
		return;
	if (!c->pml5) {
		c->pml5 = alloc_page();
		if (!c->pml5)
			report_abort("out of memory for a PML5 table");
		memset(c->pml5, 0, PAGE_SIZE);
	}
	if ((uintptr_t)c->pml5 >> 32 || cr3 >> 32)
		report_abort("page-table roots above 4 GiB cannot be loaded from 32-bit code");
	c->pml5[0] = (cr3 & PTE_ADDR) | PTE_P | PTE_W | PTE_U;
	x86_paging_switch((uintptr_t)c->pml5 | (cr3 & (PTE_PWT | PTE_PCD)),
			  read_cr4() | X86_CR4_LA57);
}

void paging_la57_leave(void)
{
	uint64_t cr3 = read_cr3();
	uint64_t *pml5 = (uint64_t *)(uintptr_t)(cr3 & PTE_ADDR);

	if (!paging_la57_active())
		return;
	x86_paging_switch((pml5[0] & PTE_ADDR) | (cr3 & (PTE_PWT | PTE_PCD)),
			  read_cr4() & ~X86_CR4_LA57);
}
