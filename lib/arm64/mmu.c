// SPDX-License-Identifier: MIT
/*
 * Stage 1 translation for EL1&0 (Arm ARM D8): 4 KiB granule, 48-bit VAs in
 * TTBR0_EL1, four levels (lib's levels 4..1 are the Arm ARM's 0..3), in
 * the entry format of D8.3 for lib/vm.c.
 *
 * The boot CPU builds the identity map with its MMU still off: RAM as
 * Normal Write-Back memory, every devicetree reg outside RAM as
 * Device-nGnRnE, tables from a static pool because the page allocator
 * (which takes a lock, i.e. exclusives, which Device memory need not
 * support) is not up yet. RAM is EL0-accessible for run_in_user(): the
 * image's text and rodata read-only and executable at EL1 and EL0, all
 * else read-write and executable nowhere (lib never writes its text at run
 * time). EL1 keeps PSTATE.PAN 0 (cstart64.S), so its own accesses to that
 * memory do not fault. Then the MMU goes on; secondaries load the same
 * registers.
 */
#include "alloc.h"
#include "arm64.h"
#include "asm/processor.h"
#include "asm/sysreg.h"
#include "devicetree.h"
#include "dtboot.h"
#include "report.h"
#include "setup.h"
#include "vm.h"

#define PTE_VALID	BIT_ULL(0)
#define PTE_TABLE	BIT_ULL(1)	/* table at levels 4-2, page at level 1 */
#define PTE_ATTR(i)	((uint64_t)(i) << 2)
#define PTE_ATTR_MASK	PTE_ATTR(7)
#define PTE_AP_EL0	BIT_ULL(6)	/* AP[1]: EL0 access */
#define PTE_AP_RO	BIT_ULL(7)	/* AP[2]: read-only */
#define PTE_SH_INNER	(3ULL << 8)
#define PTE_AF		BIT_ULL(10)
#define PTE_PXN		BIT_ULL(53)
#define PTE_UXN		BIT_ULL(54)
#define PTE_ADDR	GENMASK_ULL(47, 12)

#define BOOT_TABLES	32

extern char __image_start[], __text_end[], __image_end[];

static uint64_t boot_tables[BOOT_TABLES][512] __aligned(4096);
static int boot_tables_used;
/* MAIR, TCR, TTBR0, SCTLR for secondaries; a cache line of its own. */
uint64_t arm64_mmu_regs[4] __aligned(64);

/* 4 KiB granule, 48-bit VAs: four levels of 512 entries (Arm ARM D8.2). */
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
	return (uint64_t *)(uintptr_t)(read_sysreg(ttbr0_el1) & PTE_ADDR);
}

bool arch_pt_leaf_ok(int level)
{
	return level == 2 || level == 3;	/* 2 MiB and 1 GiB blocks (D8.3.1) */
}

bool arch_pte_present(uint64_t pte, int level)
{
	return pte & PTE_VALID;
}

bool arch_pte_is_leaf(uint64_t pte, int level)
{
	return level == 1 || !(pte & PTE_TABLE);
}

uint64_t arch_pte_addr(uint64_t pte)
{
	return pte & PTE_ADDR;
}

uint64_t arch_pte_table(uint64_t *table, int level)
{
	return (uintptr_t)table | PTE_TABLE | PTE_VALID;
}

/*
 * PT_USER gives EL0 EL1's access (AP[1]); PT_X makes the page executable
 * at EL1 and, with PT_USER, at EL0. Memory EL0 may write is never
 * executable at EL1 in the EL1&0 regime, whatever PXN says (D8.4.1.3):
 * PXN is set for it too, so the descriptor reads as what the MMU does.
 */
uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level)
{
	uint64_t pte = phys | PTE_VALID | PTE_AF | (level == 1 ? PTE_TABLE : 0);

	if (flags & PT_DEVICE)
		pte |= PTE_ATTR(MAIR_IDX_DEVICE);
	else
		pte |= PTE_ATTR(MAIR_IDX_NORMAL) | PTE_SH_INNER;
	if (!(flags & PT_W))
		pte |= PTE_AP_RO;
	if (flags & PT_USER)
		pte |= PTE_AP_EL0;
	if (!(flags & PT_X))
		pte |= PTE_UXN | PTE_PXN;
	else if (!(flags & PT_USER))
		pte |= PTE_UXN;
	else if (flags & PT_W)
		pte |= PTE_PXN;
	return pte;
}

unsigned int arch_pte_flags(uint64_t pte)
{
	unsigned int f = PT_R;

	if (!(pte & PTE_AP_RO))
		f |= PT_W;
	if (pte & PTE_AP_EL0)
		f |= PT_USER;
	if ((pte & PTE_ATTR_MASK) == PTE_ATTR(MAIR_IDX_DEVICE))
		f |= PT_DEVICE;
	if (!(pte & ((pte & PTE_AP_EL0) ? PTE_UXN : PTE_PXN)))
		f |= PT_X;
	return f;
}

/* Inner Shareable: every CPU drops the entry (D8.13). */
void pt_flush(uintptr_t virt)
{
	dsb(ishst);
	asm volatile("tlbi vaae1is, %0" : : "r"(virt >> 12) : "memory");
	dsb(ish);
	isb();
}

static void *boot_table_alloc(void)
{
	return boot_tables_used < BOOT_TABLES ? boot_tables[boot_tables_used++] : NULL;
}

static uint64_t tcr_value(void)
{
	uint64_t pa = read_sysreg(id_aa64mmfr0_el1) & ID_AA64MMFR0_PARANGE_MASK;

	/* IPS has PARange's encoding; 48 bits (5) is all these tables can address. */
	return TCR_T0SZ_48 | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
	       TCR_T1SZ_48 | TCR_EPD1 | TCR_TG1_4K | MIN(pa, 5UL) << TCR_IPS_SHIFT;
}

void mmu_boot(void)
{
	struct mem_range ram[16];
	int nram = dt_memory(ram, ARRAY_SIZE(ram));
	uint64_t *root;
	pt_root_t r;

	pt_set_table_alloc(boot_table_alloc);
	root = boot_table_alloc();
	r = (uintptr_t)root;
	write_sysreg(r, ttbr0_el1);
	for (int i = 0; i < nram; i++)
		idmap_range(r, ram[i].start, ram[i].end, PT_RW | PT_USER);
	/* No memory node: at least the image itself. */
	if (!nram)
		idmap_range(r, (uintptr_t)__image_start, (uintptr_t)__image_end, PT_RW | PT_USER);
	idmap_range(r, (uintptr_t)__image_start, (uintptr_t)__text_end, PT_R | PT_X | PT_USER);
	idmap_dt_devices(r, ram, nram, PT_RW | PT_DEVICE);

	arm64_mmu_regs[0] = MAIR_EL1_VALUE;
	arm64_mmu_regs[1] = tcr_value();
	arm64_mmu_regs[2] = (uintptr_t)root;
	arm64_mmu_regs[3] = SCTLR_EL1_MMU;
	/*
	 * Everything so far was written with the data cache off: drop any
	 * stale lines a loader left for the image before reading it cached.
	 */
	dcache_inval_poc(__image_start, __image_end - __image_start);
	arm64_mmu_on(arm64_mmu_regs[0], arm64_mmu_regs[1], arm64_mmu_regs[2],
		     arm64_mmu_regs[3]);
}

/* With the page allocator up: later tables come from it, page 0 goes. */
void mmu_init(void)
{
	struct pt_walk w;

	pt_set_table_alloc(NULL);
	dcache_clean_poc(arm64_mmu_regs, sizeof(arm64_mmu_regs));
	if (!pt_walk(0, &w) && pt_unmap(0, PAGE_SIZE))
		report_abort("cannot unmap page 0");
}
