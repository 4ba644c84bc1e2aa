// SPDX-License-Identifier: MIT
/*
 * Page-based virtual memory for S-mode (privileged architecture v1.12,
 * 4.3-4.6): Sv39, Sv48 and Sv57 entries for lib/vm.c, and lib's identity
 * map. A leaf's V, R, W, X, U, A and D bits follow PT_*; A is always set
 * and D with W, so that an implementation that faults on clear A/D bits
 * (4.3.1, the Svade scheme) never faults on lib's mappings. PT_DEVICE has
 * no effect on translation (the PMAs decide); it is kept in the first
 * RSW bit so that a split leaf keeps it.
 *
 * The map: RAM read-write for U-mode (S-mode reaches it with sstatus.SUM
 * set, as lib keeps it); the image for S-mode only (text and rodata
 * read-only and executable, the rest read-write), so that lib's code, data
 * and stacks stay usable with SUM clear; the image again at
 * USER_ALIAS_OFFSET for U-mode (run_in_user()); every devicetree reg
 * outside RAM read-write for S-mode. The boot CPU builds it in Sv39 with
 * tables from a static pool, before the page allocator is up.
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "devicetree.h"
#include "dtboot.h"
#include "mmu.h"
#include "report.h"
#include "riscv64.h"
#include "setup.h"
#include "vm.h"

#define PTE_V		BIT_ULL(0)
#define PTE_R		BIT_ULL(1)
#define PTE_W		BIT_ULL(2)
#define PTE_X		BIT_ULL(3)
#define PTE_U		BIT_ULL(4)
#define PTE_A		BIT_ULL(6)
#define PTE_D		BIT_ULL(7)
#define PTE_SW_DEVICE	BIT_ULL(8)	/* RSW: lib's PT_DEVICE */
#define PTE_PPN_SHIFT	10
#define PTE_PPN		GENMASK_ULL(53, 10)

#define BOOT_TABLES	32

static uint64_t boot_tables[BOOT_TABLES][512] __aligned(4096);
static int boot_tables_used;
unsigned long riscv_satp;

/* 9 index bits a level over 4 KiB pages: Sv39 3 levels, Sv48 4, Sv57 5. */
static const struct pt_geometry geometries[] = {
	{ .levels = 3, .shift = { 0, 12, 21, 30 }, .entries = { 0, 512, 512, 512 } },
	{ .levels = 4, .shift = { 0, 12, 21, 30, 39 }, .entries = { 0, 512, 512, 512, 512 } },
	{ .levels = 5, .shift = { 0, 12, 21, 30, 39, 48 },
	  .entries = { 0, 512, 512, 512, 512, 512 } },
};

static const struct pt_geometry *geometry = &geometries[0];
static unsigned long mode = SATP_MODE_SV39;

int mmu_mode_levels(unsigned long m)
{
	return m >= SATP_MODE_SV39 && m <= SATP_MODE_SV57 ? (int)(m - SATP_MODE_SV39) + 3 : 0;
}

const char *mmu_mode_name(unsigned long m)
{
	static const char *const names[] = { "Sv39", "Sv48", "Sv57" };

	return mmu_mode_levels(m) ? names[m - SATP_MODE_SV39] : "bare";
}

unsigned long mmu_mode(void)
{
	return mode;
}

const struct pt_geometry *arch_pt_geometry(void)
{
	return geometry;
}

uint64_t arch_pte_none(int level)
{
	return 0;
}

uint64_t *arch_pt_root(void)
{
	return (uint64_t *)((csr_read(CSR_SATP) & SATP_PPN) << 12);
}

/* Megapages, gigapages and, below the root of Sv48/Sv57, larger ones (4.4.1). */
bool arch_pt_leaf_ok(int level)
{
	return level >= 2;
}

bool arch_pte_present(uint64_t pte, int level)
{
	return pte & PTE_V;
}

/* R, W or X set: a leaf (4.3.2 step 4); all clear: a pointer to the next level. */
bool arch_pte_is_leaf(uint64_t pte, int level)
{
	return pte & (PTE_R | PTE_W | PTE_X);
}

uint64_t arch_pte_addr(uint64_t pte)
{
	return ((pte & PTE_PPN) >> PTE_PPN_SHIFT) << 12;
}

uint64_t arch_pte_table(uint64_t *table, int level)
{
	return ((uintptr_t)table >> 12) << PTE_PPN_SHIFT | PTE_V;
}

/* W without R is reserved (table 4.5): PT_W implies readable. */
uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level)
{
	uint64_t pte = (phys >> 12) << PTE_PPN_SHIFT | PTE_V | PTE_A;

	if (flags & (PT_R | PT_W))
		pte |= PTE_R;
	if (flags & PT_W)
		pte |= PTE_W | PTE_D;
	if (flags & PT_X)
		pte |= PTE_X;
	if (flags & PT_USER)
		pte |= PTE_U;
	if (flags & PT_DEVICE)
		pte |= PTE_SW_DEVICE;
	return pte;
}

unsigned int arch_pte_flags(uint64_t pte)
{
	unsigned int f = 0;

	if (pte & PTE_R)
		f |= PT_R;
	if (pte & PTE_W)
		f |= PT_W;
	if (pte & PTE_X)
		f |= PT_X;
	if (pte & PTE_U)
		f |= PT_USER;
	if (pte & PTE_SW_DEVICE)
		f |= PT_DEVICE;
	return f;
}

/* This CPU only: other harts need an SBI RFENCE remote_sfence_vma. */
void pt_flush(uintptr_t virt)
{
	sfence_vma_addr(virt);
}

static void *boot_table_alloc(void)
{
	return boot_tables_used < BOOT_TABLES ? boot_tables[boot_tables_used++] : NULL;
}

/* lib's identity map in @root, which need not be live. */
static void build_map(pt_root_t root)
{
	struct mem_range ram[16];
	int nram = dt_memory(ram, ARRAY_SIZE(ram));
	uintptr_t start = (uintptr_t)__image_start, text = (uintptr_t)__text_end;
	uintptr_t end = (uintptr_t)__image_end;

	if (!nram)
		report_abort("the devicetree has no memory node");
	for (int i = 0; i < nram; i++)
		idmap_range(root, ram[i].start, ram[i].end, PT_RW | PT_USER);
	idmap_range(root, start, text, PT_R | PT_X);
	idmap_range(root, text, end, PT_RW);
	if (pt_root_map(root, start + USER_ALIAS_OFFSET, start, text - start,
			PT_R | PT_X | PT_USER, false) ||
	    pt_root_map(root, text + USER_ALIAS_OFFSET, text, end - text, PT_RW | PT_USER, false))
		report_abort("cannot map the image's U-mode alias");
	idmap_dt_devices(root, ram, nram, PT_RW | PT_DEVICE);
}

static unsigned long satp_of(unsigned long m, pt_root_t root)
{
	return m << SATP_MODE_SHIFT | root >> 12;
}

/* Load riscv_satp on this CPU: every CPU's map is the same. */
static void load_satp(void *unused)
{
	csr_write(CSR_SATP, riscv_satp);
	sfence_vma_all();
}

/* Boot: the Sv39 map from the static pool, then translation on. */
void mmu_boot(void)
{
	pt_root_t root;

	pt_set_table_alloc(boot_table_alloc);
	root = (uintptr_t)boot_table_alloc();
	build_map(root);
	riscv_satp = satp_of(SATP_MODE_SV39, root);
	load_satp(NULL);
	if (csr_read(CSR_SATP) != riscv_satp)
		report_abort("satp keeps bare mode: this hart has no Sv39");
}

/* With the page allocator up, later tables come from it. */
void mmu_init(void)
{
	pt_set_table_alloc(NULL);
}

void secondary_mmu_on(void)
{
	load_satp(NULL);
}

int mmu_set_mode(unsigned long m)
{
	const struct pt_geometry *old_geo = geometry;
	pt_root_t old = pt_root_current(), root;
	unsigned long old_satp = riscv_satp;
	int levels = mmu_mode_levels(m);

	if (!levels)
		report_abort("mmu_set_mode: satp mode %lu is none of Sv39, Sv48, Sv57", m);
	if (m == mode)
		return 0;
	geometry = &geometries[levels - 3];
	root = pt_root_alloc();
	if (!root)
		report_abort("mmu_set_mode: out of memory for a root table");
	build_map(root);
	riscv_satp = satp_of(m, root);
	load_satp(NULL);
	if (csr_read(CSR_SATP) != riscv_satp) {
		riscv_satp = old_satp;
		load_satp(NULL);
		pt_root_free(root);
		geometry = old_geo;
		return -1;
	}
	on_cpus(load_satp, NULL);
	/* The old tables in their own geometry; boot pool tables stay where they are. */
	geometry = old_geo;
	pt_root_free(old);
	geometry = &geometries[levels - 3];
	mode = m;
	return 0;
}
