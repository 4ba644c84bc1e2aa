// SPDX-License-Identifier: MIT
/*
 * Page-table changes and walks over the port's entry format (vm.h), on the
 * live root or on any other one. New tables come from the page allocator
 * (or the port's boot pool); larger leaves are split into a table of
 * smaller ones with the same attributes when a change needs it. TLB flushes are the
 * port's pt_flush(), for the live root only: a test that changes mappings
 * other CPUs use flushes there itself where the port's flush is local.
 * Entries are in the port's format (the arch_pte_* hooks), or in the format
 * a root was allocated with (pt_root_alloc_format()).
 */
#include "alloc.h"
#include "report.h"
#include "spinlock.h"
#include "vm.h"

static void *(*table_alloc)(void);

void pt_set_table_alloc(void *(*fn)(void))
{
	table_alloc = fn;
}

static const struct pt_geometry *geo(void)
{
	return arch_pt_geometry();
}

static int level_shift(int level)
{
	return geo()->shift[level];
}

static uint64_t level_size(int level)
{
	return 1ULL << level_shift(level);
}

static unsigned int table_entries(int level)
{
	return geo()->entries[level];
}

/* The page order of a table at @level (tables below 4 KiB take a page). */
static unsigned int table_order(int level)
{
	size_t bytes = table_entries(level) * sizeof(uint64_t);
	unsigned int order = 0;

	while ((4096UL << order) < bytes)
		order++;
	return order;
}

/* The port's own entry format. */
static const struct pt_format port_format = {
	.none = arch_pte_none,
	.leaf_ok = arch_pt_leaf_ok,
	.present = arch_pte_present,
	.is_leaf = arch_pte_is_leaf,
	.addr = arch_pte_addr,
	.table = arch_pte_table,
	.leaf = arch_pte_leaf,
	.flags = arch_pte_flags,
};

/* Roots of another format (pt_root_alloc_format()); any other root is the port's. */
#define FORMAT_ROOTS	32
static struct {
	pt_root_t root;
	const struct pt_format *fmt;
} format_roots[FORMAT_ROOTS];
static struct spinlock format_lock;

static const struct pt_format *fmt_of(pt_root_t root)
{
	for (int i = 0; i < FORMAT_ROOTS; i++)
		if (__atomic_load_n(&format_roots[i].root, __ATOMIC_ACQUIRE) == root)
			return format_roots[i].fmt;
	return &port_format;
}

/* A table for @level with every entry empty, or NULL when out of memory. */
static uint64_t *table_new(const struct pt_format *f, int level)
{
	unsigned int order = table_order(level);
	uint64_t *t;

	t = order == 0 && table_alloc ? table_alloc() : alloc_pages(order);
	if (t)
		for (unsigned int i = 0; i < table_entries(level); i++)
			t[i] = f->none(level);
	return t;
}

static uint64_t *new_table(const struct pt_format *f, int level)
{
	uint64_t *t = table_new(f, level);

	if (!t)
		report_abort("page tables: out of memory for a table");
	return t;
}

static uint64_t *table_of(const struct pt_format *f, uint64_t pte)
{
	return (uint64_t *)(uintptr_t)f->addr(pte);
}

static uint64_t *entry(uint64_t *table, uintptr_t virt, int level)
{
	return &table[(virt >> level_shift(level)) & (table_entries(level) - 1)];
}

static void flush(pt_root_t root, uintptr_t virt)
{
	if (root == pt_root_current())
		pt_flush(virt);
}

/* Replace a large leaf at @level by a table of smaller leaves one level down. */
static void split(const struct pt_format *f, uint64_t *pte, int level)
{
	uint64_t *t = new_table(f, level - 1);
	uint64_t base = f->addr(*pte) & ~(level_size(level) - 1);
	unsigned int flags = f->flags(*pte);

	for (unsigned int i = 0; i < table_entries(level - 1); i++)
		t[i] = f->leaf(base + i * level_size(level - 1), flags, level - 1);
	*pte = f->table(t, level);
}

/* The entry for @virt at @target level, creating tables and splitting leaves. */
static uint64_t *get_pte(pt_root_t root, uintptr_t virt, int target)
{
	const struct pt_format *f = fmt_of(root);
	uint64_t *table = (uint64_t *)(uintptr_t)root;

	for (int level = geo()->levels;; level--) {
		uint64_t *pte = entry(table, virt, level);

		if (level == target)
			return pte;
		if (!f->present(*pte, level))
			*pte = f->table(new_table(f, level - 1), level);
		else if (f->is_leaf(*pte, level))
			split(f, pte, level);
		table = table_of(f, *pte);
	}
}

static int best_level(const struct pt_format *f, uintptr_t virt, uint64_t phys, size_t left,
		      bool only_4k)
{
	for (int level = geo()->levels - 1; level > 1 && !only_4k; level--) {
		uint64_t size = level_size(level);

		if (f->leaf_ok(level) && !(virt & (size - 1)) && !(phys & (size - 1)) &&
		    left >= size)
			return level;
	}
	return 1;
}

static void free_tables(const struct pt_format *f, uint64_t *table, int level);

/*
 * Point @pte (at @level, for @virt) at a leaf. A table it pointed at is
 * freed after every page it mapped was flushed: it cannot be reached from
 * the root any more.
 */
static void set_leaf(pt_root_t root, uint64_t *pte, uint64_t leaf, uintptr_t virt, int level)
{
	const struct pt_format *f = fmt_of(root);
	uint64_t old = *pte;

	*pte = leaf;
	if (level == 1 || !f->present(old, level) || f->is_leaf(old, level)) {
		flush(root, virt);
		return;
	}
	for (uint64_t off = 0; off < level_size(level); off += 4096)
		flush(root, virt + off);
	free_tables(f, table_of(f, old), level - 1);
}

int pt_root_map(pt_root_t root, uintptr_t virt, uint64_t phys, size_t size,
		unsigned int flags, bool only_4k)
{
	const struct pt_format *f = fmt_of(root);

	if ((virt | phys | size) & 4095)
		return -1;
	while (size) {
		int level = best_level(f, virt, phys, size, only_4k);

		set_leaf(root, get_pte(root, virt, level), f->leaf(phys, flags, level), virt,
			 level);
		virt += level_size(level);
		phys += level_size(level);
		size -= level_size(level);
	}
	return 0;
}

int pt_root_walk(pt_root_t root, uintptr_t virt, struct pt_walk *w)
{
	const struct pt_format *f = fmt_of(root);
	uint64_t *table = (uint64_t *)(uintptr_t)root;

	memset(w, 0, sizeof(*w));
	for (int level = geo()->levels; level >= 1; level--) {
		uint64_t *pte = entry(table, virt, level);

		w->pte = pte;
		w->entries[level] = pte;
		w->level = level;
		if (!f->present(*pte, level))
			return -1;
		if (f->is_leaf(*pte, level)) {
			uint64_t mask = level_size(level) - 1;

			w->present = true;
			w->phys = (f->addr(*pte) & ~mask) | (virt & mask);
			w->flags = f->flags(*pte);
			return 0;
		}
		table = table_of(f, *pte);
	}
	return -1;
}

/*
 * Set each 4 KiB leaf of [virt, virt + size) to @fn(old), splitting as needed.
 * One walk per table of 4 KiB leaves: within it the next page's entry is the
 * next entry (a 2 MiB unmap costs one walk, not 512).
 */
static int for_each_4k(pt_root_t root, uintptr_t virt, size_t size,
		       uint64_t (*fn)(const struct pt_format *, uint64_t, unsigned int),
		       unsigned int arg)
{
	const struct pt_format *f = fmt_of(root);
	uint64_t *pte = NULL;

	if ((virt | size) & 4095)
		return -1;
	for (; size; virt += 4096, size -= 4096) {
		struct pt_walk w;

		if (pte && virt % level_size(2)) {
			if (!f->present(*++pte, 1))
				return -1;
		} else {
			if (pt_root_walk(root, virt, &w))
				return -1;
			pte = w.level > 1 ? get_pte(root, virt, 1) : w.pte;
		}
		*pte = fn(f, *pte, arg);
		flush(root, virt);
	}
	return 0;
}

static uint64_t cleared(const struct pt_format *f, uint64_t pte, unsigned int unused)
{
	return f->none(1);
}

static uint64_t protected(const struct pt_format *f, uint64_t pte, unsigned int flags)
{
	return f->leaf(f->addr(pte), flags, 1);
}

int pt_root_unmap(pt_root_t root, uintptr_t virt, size_t size)
{
	return for_each_4k(root, virt, size, cleared, 0);
}

int pt_root_protect(pt_root_t root, uintptr_t virt, size_t size, unsigned int flags)
{
	return for_each_4k(root, virt, size, protected, flags);
}

pt_root_t pt_root_current(void)
{
	return (uintptr_t)arch_pt_root();
}

pt_root_t pt_root_alloc(void)
{
	return (uintptr_t)table_new(&port_format, geo()->levels);
}

pt_root_t pt_root_alloc_format(const struct pt_format *fmt)
{
	pt_root_t root = (uintptr_t)table_new(fmt, geo()->levels);
	int i;

	if (!root)
		return 0;
	spin_lock(&format_lock);
	for (i = 0; i < FORMAT_ROOTS && format_roots[i].root; i++)
		;
	if (i < FORMAT_ROOTS) {
		format_roots[i].fmt = fmt;
		__atomic_store_n(&format_roots[i].root, root, __ATOMIC_RELEASE);
	}
	spin_unlock(&format_lock);
	if (i == FORMAT_ROOTS)
		report_abort("page tables: more than %d roots of other formats", FORMAT_ROOTS);
	return root;
}

static void free_tables(const struct pt_format *f, uint64_t *table, int level)
{
	for (unsigned int i = 0; i < table_entries(level) && level > 1; i++)
		if (f->present(table[i], level) && !f->is_leaf(table[i], level))
			free_tables(f, table_of(f, table[i]), level - 1);
	/* Tables from a port's static boot pool are not the allocator's to take back. */
	if (page_alloc_owns(table))
		free_pages(table, table_order(level));
}

void pt_root_free(pt_root_t root)
{
	if (!root)
		return;
	free_tables(fmt_of(root), (uint64_t *)(uintptr_t)root, geo()->levels);
	spin_lock(&format_lock);
	for (int i = 0; i < FORMAT_ROOTS; i++)
		if (format_roots[i].root == root)
			__atomic_store_n(&format_roots[i].root, 0, __ATOMIC_RELEASE);
	spin_unlock(&format_lock);
}

int pt_map(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags)
{
	return pt_root_map(pt_root_current(), virt, phys, size, flags, false);
}

int pt_map_4k(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags)
{
	return pt_root_map(pt_root_current(), virt, phys, size, flags, true);
}

int pt_unmap(uintptr_t virt, size_t size)
{
	return pt_root_unmap(pt_root_current(), virt, size);
}

int pt_protect(uintptr_t virt, size_t size, unsigned int flags)
{
	return pt_root_protect(pt_root_current(), virt, size, flags);
}

int pt_walk(uintptr_t virt, struct pt_walk *w)
{
	return pt_root_walk(pt_root_current(), virt, w);
}
