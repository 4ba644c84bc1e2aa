/* SPDX-License-Identifier: MIT */
/*
 * The page-table API. Memory is identity mapped at boot (page 0 unmapped,
 * MMIO uncached); these change it. lib/vm.c implements it for every port
 * whose tables are radix trees of 8-byte entries over 4 KiB pages; the port
 * supplies the geometry (levels, index bits, entries per table:
 * arch_pt_geometry()) and the entry format (the arch_pte_* hooks).
 *
 * Levels count up from the leaf, whatever the architecture calls them:
 * 1 = the 4 KiB page table; on x86_64 and arm64 2 = 2 MiB, 3 = 1 GiB and
 * 4 = 512 GiB (the root); on s390x 2 = 1 MiB (segment), 3 = 2 GiB (region
 * third), 4 and 5 the region-second and region-first tables (the root).
 * A table of more than 4 KiB (s390x: 2048 entries) takes naturally aligned
 * pages from the page allocator.
 */
#ifndef LIB_VM_H
#define LIB_VM_H

#include "libc.h"

#define PT_R		BIT(0)	/* readable (always on x86 and arm64) */
#define PT_W		BIT(1)
#define PT_X		BIT(2)
#define PT_USER		BIT(3)	/* reachable from CPL3 / EL0 */
#define PT_DEVICE	BIT(4)	/* uncached MMIO (arm64: Device-nGnRnE) */
#define PT_RW		(PT_R | PT_W)
#define PT_RWX		(PT_R | PT_W | PT_X)

/* The most levels any port's tables have (x86 5-level paging, s390x). */
#define PT_MAX_LEVELS	5

/**
 * struct pt_geometry - the shape of a port's page tables
 * @levels: the root's level (4 for x86_64 4-level paging)
 * @shift: [level] the lowest virtual-address bit the index at that level uses
 *	   (x86_64: 12, 21, 30, 39)
 * @entries: [level] entries in one table of that level (a power of two)
 */
struct pt_geometry {
	int levels;
	uint8_t shift[PT_MAX_LEVELS + 1];
	uint16_t entries[PT_MAX_LEVELS + 1];
};

/**
 * pt_map() - map [@virt, @virt + @size) to @phys with the largest pages that fit
 * @virt: virtual address, 4 KiB aligned
 * @phys: physical address, 4 KiB aligned
 * @size: bytes, a multiple of 4 KiB
 * @flags: PT_* bits
 *
 * Replaces what was mapped there; larger leaves on the way are split.
 * Return: 0, or -1 for a misaligned argument.
 */
int pt_map(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags);

/* Like pt_map() with 4 KiB pages only. */
int pt_map_4k(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags);

/**
 * pt_unmap() - unmap [@virt, @virt + @size), splitting larger leaves
 * Return: 0, or -1 when misaligned or when part of the range was not mapped.
 */
int pt_unmap(uintptr_t virt, size_t size);

/**
 * pt_protect() - give [@virt, @virt + @size) the PT_* @flags, keeping the
 * physical addresses. Return: 0, or -1 as for pt_unmap().
 */
int pt_protect(uintptr_t virt, size_t size, unsigned int flags);

struct pt_walk {
	bool present;
	int level;		/* 1 = 4 KiB leaf, 2 = 2 MiB, 3 = 1 GiB (x86, arm64), ... */
	uint64_t *pte;		/* the leaf (or the non-present entry) */
	/* [l]: the entry the walk used at level l, root to @level; NULL elsewhere */
	uint64_t *entries[PT_MAX_LEVELS + 1];
	uint64_t phys;		/* translated address when present */
	unsigned int flags;	/* PT_* of the leaf */
};

/* Walk the tables for @virt. Returns 0 when mapped, -1 when not. */
int pt_walk(uintptr_t virt, struct pt_walk *w);

/* Flush the TLB entry for @virt (at least on this CPU; arm64 broadcasts). */
void pt_flush(uintptr_t virt);

/*
 * The same on an explicit root: the virtual (= physical) address of the
 * top table, in the format of the CPU's own tables (x86 nested page
 * tables share it, APM vol. 2, 15.25). Only changes to the root this CPU
 * uses (arch_pt_root()) are flushed from its TLB; for any other root the
 * user flushes (e.g. the VMCB's TLB_CONTROL).
 */
typedef uint64_t pt_root_t;

/* The root this CPU translates with (CR3, TTBR0_EL1). */
pt_root_t pt_root_current(void);

/* A new empty root table, or 0 when out of memory. */
pt_root_t pt_root_alloc(void);

/**
 * struct pt_format - an entry format other than the port's own, for tables
 * the CPU walks on a guest's behalf (Intel EPT, lib/x86/vmx_ept.c). Each
 * hook means what the port's arch_pte_* hook of the same name means (see
 * the end of this file); the geometry is the port's.
 */
struct pt_format {
	uint64_t (*none)(int level);
	bool (*leaf_ok)(int level);
	bool (*present)(uint64_t pte, int level);
	bool (*is_leaf)(uint64_t pte, int level);
	uint64_t (*addr)(uint64_t pte);
	uint64_t (*table)(uint64_t *table, int level);
	uint64_t (*leaf)(uint64_t phys, unsigned int flags, int level);
	unsigned int (*flags)(uint64_t pte);
};

/*
 * A new empty root whose entries are in @fmt, or 0 when out of memory: the
 * pt_root_*() calls on it use @fmt until pt_root_free(). At most 32 such
 * roots exist at a time (report_abort() beyond).
 */
pt_root_t pt_root_alloc_format(const struct pt_format *fmt);

/* Free every table under @root and the root itself (not the mapped pages). */
void pt_root_free(pt_root_t root);

/* pt_map() (@only_4k false) or pt_map_4k() (@only_4k true) on @root. */
int pt_root_map(pt_root_t root, uintptr_t virt, uint64_t phys, size_t size,
		unsigned int flags, bool only_4k);
int pt_root_unmap(pt_root_t root, uintptr_t virt, size_t size);
int pt_root_protect(pt_root_t root, uintptr_t virt, size_t size, unsigned int flags);
int pt_root_walk(pt_root_t root, uintptr_t virt, struct pt_walk *w);

/**
 * pt_set_table_alloc() - where lib/vm.c takes new tables from
 * @fn: returns a 4 KiB page, or NULL; NULL selects the page allocator
 *
 * For ports that build their first tables before the page allocator runs;
 * only tables of at most 4 KiB are taken from it.
 */
void pt_set_table_alloc(void *(*fn)(void));

/* The port's side, used only by lib/vm.c. */
const struct pt_geometry *arch_pt_geometry(void);
/*
 * The value of an entry that maps nothing at @level (0 on x86 and arm64;
 * s390x: the invalid bit, with the table type above level 1).
 */
uint64_t arch_pte_none(int level);
uint64_t *arch_pt_root(void);
bool arch_pt_leaf_ok(int level);	/* may a leaf live at @level (above 1)? */
/* Whether the entry at @level maps something (s390x: the invalid bit differs per level). */
bool arch_pte_present(uint64_t pte, int level);
bool arch_pte_is_leaf(uint64_t pte, int level);	/* for a present entry */
uint64_t arch_pte_addr(uint64_t pte);	/* the table or page it points to */
/* An entry at @level pointing at @table, a table of level @level - 1. */
uint64_t arch_pte_table(uint64_t *table, int level);
uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level);
unsigned int arch_pte_flags(uint64_t pte);

#endif
