// SPDX-License-Identifier: MIT
/*
 * lib/vm.c on the host, over a made-up port whose entries look like no
 * real one (present bit level - 1, "table" bit 8 above level 1 and "page"
 * bit 8 at level 1, flags in bits 56-60), so lib/vm.c can only work through
 * the arch_pte_* hooks and must hand them the right level; in two shapes,
 * x86_64's (four levels of 512 entries) and s390x's (five levels, tables of
 * 2048 entries in four naturally aligned pages, page tables of 256).
 * Tables are host memory; leaves map made-up physical addresses that are
 * never touched.
 *
 * Thousands of random map/unmap/protect operations on several roots are
 * replayed against a model (the last operation covering an address decides
 * what it maps), and walks of boundary and random addresses must agree
 * with it: presence, physical address, flags. Also: the largest pages that
 * fit (and none larger than the port allows), 4 KiB only when asked,
 * splitting keeps the neighbours, misaligned arguments and holes give -1,
 * TLB flushes only for the live root, pt_root_free() returns every table,
 * a table allocator that runs dry reaches report_abort().
 */
#include "unit.h"
#include "unrename.h"
#include "rename.h"
#include "vm.h"
#include "unrename.h"

/* ---- the made-up port, in two shapes ---- */

/*
 * An entry at level L is present when its bit L - 1 is set, so that a level
 * lib/vm.c gets wrong in arch_pte_present() or arch_pte_table() shows up;
 * "table" bit 8 above level 1 and "page" bit 8 at level 1.
 */
#define F_PRESENT(level)	(1ULL << ((level) - 1))
#define F_TABLE_PAGE		(1ULL << 8)
#define F_SHIFT			56
#define ADDR_MASK		0x00fffffffffff000ULL

static bool leaf_1g = true;	/* a leaf at level 3 allowed (1 GiB, or 2 GiB in SHAPE_S390X) */
static uint64_t *live_root;
static unsigned long flushes, flushes_outside;
static uintptr_t flush_lo, flush_hi;

/* x86_64's shape: four levels of 512 entries. */
static const struct pt_geometry shape_x86 = {
	.levels = 4,
	.shift = { 0, 12, 21, 30, 39 },
	.entries = { 0, 512, 512, 512, 512 },
};

/*
 * s390x's: five levels, page tables of 256 entries (2 KiB: one page each),
 * the others of 2048 (16 KiB: four pages, naturally aligned); leaves of
 * 1 MiB (level 2) and 2 GiB (level 3).
 */
static const struct pt_geometry shape_s390x = {
	.levels = 5,
	.shift = { 0, 12, 20, 31, 42, 53 },
	.entries = { 0, 256, 2048, 2048, 2048, 2048 },
};

static const struct pt_geometry *shape = &shape_x86;

const struct pt_geometry *arch_pt_geometry(void)
{
	return shape;
}

/* Not 0, so that a table lib/vm.c forgot to fill shows up as garbage entries. */
#define F_NONE		(0x5aULL << 48)

uint64_t arch_pte_none(int level)
{
	return F_NONE | (uint64_t)level << 40;
}

uint64_t *arch_pt_root(void)
{
	return live_root;
}

bool arch_pt_leaf_ok(int level)
{
	return level == 2 || (level == 3 && leaf_1g);
}

bool arch_pte_present(uint64_t pte, int level)
{
	return pte & F_PRESENT(level);
}

bool arch_pte_is_leaf(uint64_t pte, int level)
{
	return level == 1 || !(pte & F_TABLE_PAGE);
}

uint64_t arch_pte_addr(uint64_t pte)
{
	return pte & ADDR_MASK;
}

static unsigned int table_order_of(const void *p);
static unsigned long bad_table_sizes;

/* @table must be as large as a table of level - 1 needs (at least a page). */
uint64_t arch_pte_table(uint64_t *table, int level)
{
	size_t bytes = shape->entries[level - 1] * sizeof(uint64_t);

	if ((4096UL << table_order_of(table)) < (bytes < 4096 ? 4096 : bytes))
		bad_table_sizes++;
	return (uintptr_t)table | F_PRESENT(level) | F_TABLE_PAGE;
}

uint64_t arch_pte_leaf(uint64_t phys, unsigned int flags, int level)
{
	return phys | F_PRESENT(level) | (level == 1 ? F_TABLE_PAGE : 0) |
	       (uint64_t)flags << F_SHIFT;
}

unsigned int arch_pte_flags(uint64_t pte)
{
	return (pte >> F_SHIFT) & 0x1f;
}

void pt_flush(uintptr_t virt)
{
	flushes++;
	if (virt < flush_lo || virt >= flush_hi)
		flushes_outside++;
}

/* The leaf sizes at levels 2 and 3 (x86: 2 MiB, 1 GiB; s390x: 1 MiB, 2 GiB). */
#define L2	(1ULL << shape->shift[2])
#define L3	(1ULL << shape->shift[3])

/* ---- pages for tables, counted: a set of live blocks (open addressing) ---- */

#define SET_SLOTS	(1 << 17)
#define MAX_TABLES	(SET_SLOTS / 2)
#define TOMBSTONE	((void *)1)

static void *live[SET_SLOTS];
static unsigned char live_order[SET_SLOTS];
static unsigned int nr_tables;
static unsigned long bad_frees;

static size_t slot_of(const void *p)
{
	return ((uintptr_t)p >> 12) * 0x9e3779b1u % SET_SLOTS;
}

static size_t find_slot(const void *p)
{
	for (size_t i = slot_of(p); live[i]; i = (i + 1) % SET_SLOTS)
		if (live[i] == p)
			return i;
	return SET_SLOTS;
}

static unsigned int table_order_of(const void *p)
{
	size_t i = find_slot(p);

	return i < SET_SLOTS ? live_order[i] : 0;
}

/* Blocks of 2^order pages aligned to their size, as lib's allocator gives; they come dirty. */
void *alloc_pages(unsigned int order)
{
	size_t size = 4096UL << order, i;
	void *p;

	if (order > 4 || nr_tables == MAX_TABLES || posix_memalign(&p, size, size))
		return NULL;
	memset(p, 0xa5, size);
	for (i = slot_of(p); live[i] && live[i] != TOMBSTONE; i = (i + 1) % SET_SLOTS)
		;
	live[i] = p;
	live_order[i] = order;
	nr_tables++;
	return p;
}

/* Only a block this file handed out, once, with the order it was allocated with. */
void free_pages(void *p, unsigned int order)
{
	size_t i = find_slot(p);

	if (i == SET_SLOTS || live_order[i] != order) {
		bad_frees++;
		return;
	}
	live[i] = TOMBSTONE;
	free(p);
	/* Empty again: drop the tombstones so lookups keep ending. */
	if (!--nr_tables)
		memset(live, 0, sizeof(live));
}

bool page_alloc_owns(const void *p)
{
	return find_slot(p) < SET_SLOTS;
}

static jmp_buf abort_jmp;
static bool abort_armed;
static char abort_msg[128];

void report_abort(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(abort_msg, sizeof(abort_msg), fmt, ap);
	va_end(ap);
	if (!abort_armed) {
		fprintf(stderr, "unexpected report_abort: %s\n", abort_msg);
		abort();
	}
	longjmp(abort_jmp, 1);
}

/* ---- the model: the operations so far, replayed per address ---- */

enum op_kind { OP_MAP, OP_UNMAP, OP_PROTECT };

struct op {
	enum op_kind kind;
	uintptr_t virt;
	uint64_t phys, size;
	unsigned int flags;
};

#define MAX_OPS		400

static struct op ops[MAX_OPS];
static int nr_ops;

struct state {
	bool present;
	uint64_t phys;
	unsigned int flags;
};

static struct state model(uintptr_t a)
{
	struct state s = { false, 0, 0 };

	for (int i = 0; i < nr_ops; i++) {
		const struct op *o = &ops[i];

		if (a < o->virt || a - o->virt >= o->size)
			continue;
		if (o->kind == OP_MAP)
			s = (struct state){ true, o->phys + (a - o->virt), o->flags };
		else if (o->kind == OP_UNMAP)
			s.present = false;
		else
			s.flags = o->flags;
	}
	return s;
}

static bool model_all_present(uintptr_t virt, uint64_t size)
{
	for (uint64_t off = 0; off < size; off += 4096)
		if (!model(virt + off).present)
			return false;
	return true;
}

/* ---- checks ---- */

#define SPACE		(16ULL << 30)	/* the window the operations fall in */
#define SPACE_BASE	(0x7f0000000000ULL - SPACE)

static unsigned long walk_errors;

/*
 * Whether w.entries[] is the chain of entries from the root's down to the
 * walk's level, each in the table the one above points at, and NULL below.
 */
static bool entries_chain(pt_root_t root, uintptr_t a, const struct pt_walk *w)
{
	uint64_t *table = (uint64_t *)(uintptr_t)root;

	for (int level = shape->levels; level >= 1; level--) {
		uint64_t *want = &table[(a >> shape->shift[level]) & (shape->entries[level] - 1)];

		if (level < w->level) {
			if (w->entries[level])
				return false;
			continue;
		}
		if (w->entries[level] != want)
			return false;
		if (level > w->level)
			table = (uint64_t *)(uintptr_t)arch_pte_addr(*want);
	}
	return w->entries[w->level] == w->pte && !w->entries[0];
}

static void check_addr(pt_root_t root, uintptr_t a)
{
	struct state s = model(a & ~4095ULL);
	struct pt_walk w;
	int rc = pt_root_walk(root, a, &w);

	if (rc != (s.present ? 0 : -1) || w.present != s.present || !entries_chain(root, a, &w) ||
	    (s.present && (w.phys != s.phys + (a & 4095) || w.flags != s.flags))) {
		walk_errors++;
		if (walk_errors <= 5)
			printf("walk %#lx: rc %d present %d phys %#lx flags %#x level %d; model "
			       "present %d phys %#lx flags %#x\n", (unsigned long)a, rc, w.present,
			       (unsigned long)w.phys, w.flags, w.level, s.present,
			       (unsigned long)s.phys, s.flags);
	}
}

/* Walk both edges of every operation and some random addresses. */
static void check_root(pt_root_t root)
{
	for (int i = 0; i < nr_ops; i++) {
		uintptr_t lo = ops[i].virt, hi = ops[i].virt + ops[i].size;

		check_addr(root, lo);
		check_addr(root, lo + 123);
		check_addr(root, hi - 1);
		check_addr(root, hi);
		if (lo >= 4096)
			check_addr(root, lo - 1);
	}
	for (int i = 0; i < 200; i++)
		check_addr(root, SPACE_BASE + unit_rand() % SPACE);
}

static uint64_t random_size(void)
{
	switch (unit_below(4)) {
	case 0:
		return 4096ULL * (1 + unit_below(16));
	case 1:
		return L2 * (1 + unit_below(4));
	case 2:
		return L3 * (1 + unit_below(2));
	default:
		return 4096ULL * (1 + unit_below(2048));
	}
}

/*
 * Aligned like @size most of the time, so large pages get used; one step
 * less aligned otherwise (4 KiB only up to 64 MiB, to keep tables few).
 */
static uint64_t random_aligned(uint64_t size, uint64_t space)
{
	uint64_t align = 4096;

	if (size >= L3)
		align = L3;
	else if (size >= L2)
		align = L2;
	if (unit_below(4) == 0)
		align = align > L2 || size > (64ULL << 20) ? L2 : 4096;
	return (unit_rand() % (space / align)) * align;
}

static unsigned int random_flags(void)
{
	return PT_R | (unit_below(2) ? PT_W : 0) | (unit_below(2) ? PT_X : 0) |
	       (unit_below(2) ? PT_USER : 0) | (unit_below(8) ? 0 : PT_DEVICE);
}

/*
 * One random operation on @root: a map of 4 KiB to 2 GiB (4 KiB pages only
 * up to 64 MiB), or an unmap/protect of up to 64 pages inside an earlier
 * map that the model says are all mapped (else it becomes a map).
 */
static void random_op(pt_root_t root, bool live_root_op)
{
	struct op o;
	bool only_4k;
	int rc;

	o.kind = nr_ops < 3 ? OP_MAP : (enum op_kind)unit_below(3);
	o.flags = random_flags();
	if (o.kind != OP_MAP) {
		const struct op *m = &ops[unit_below(nr_ops)];
		uint64_t pages = m->size / 4096;

		o.size = 4096ULL * (1 + unit_below(MIN(pages, 64)));
		o.virt = m->virt + 4096ULL * unit_below(pages - o.size / 4096 + 1);
		if (m->kind != OP_MAP || !model_all_present(o.virt, o.size))
			o.kind = OP_MAP;
	}
	if (o.kind == OP_MAP) {
		o.size = random_size();
		o.virt = SPACE_BASE + random_aligned(o.size, SPACE - o.size);
	}
	o.phys = random_aligned(o.size, 1ULL << 45);
	only_4k = o.size <= (64ULL << 20) && unit_below(4) == 0;
	flush_lo = o.virt;
	flush_hi = o.virt + o.size;
	flushes = flushes_outside = 0;
	switch (o.kind) {
	case OP_MAP:
		rc = pt_root_map(root, o.virt, o.phys, o.size, o.flags, only_4k);
		break;
	case OP_UNMAP:
		rc = pt_root_unmap(root, o.virt, o.size);
		break;
	default:
		rc = pt_root_protect(root, o.virt, o.size, o.flags);
		break;
	}
	CHECK(rc == 0, "operation %d (kind %d, %#lx + %#lx) returns 0, got %d", nr_ops, o.kind,
	      (unsigned long)o.virt, (unsigned long)o.size, rc);
	CHECK(live_root_op ? flushes && !flushes_outside : !flushes,
	      "operation %d on the %s root: %lu flushes, %lu outside the range", nr_ops,
	      live_root_op ? "live" : "other", flushes, flushes_outside);
	ops[nr_ops++] = o;
}

static void test_random(void)
{
	unit_seed(12345);
	for (int round = 0; round < 12; round++) {
		pt_root_t root = pt_root_alloc();
		bool is_live = round & 1;
		unsigned int before = 0;

		leaf_1g = round % 3 != 0;
		live_root = is_live ? (uint64_t *)(uintptr_t)root : NULL;
		nr_ops = 0;
		walk_errors = 0;
		for (int i = 0; i < MAX_OPS; i++) {
			random_op(root, is_live);
			if (i % 40 == 39)
				check_root(root);
		}
		check_root(root);
		CHECK(!walk_errors, "round %d (1 GiB leaves %s): %lu walks disagree with the model",
		      round, leaf_1g ? "allowed" : "not allowed", walk_errors);
		before = nr_tables;
		pt_root_free(root);
		CHECK(nr_tables == 0 && !bad_frees,
		      "round %d: pt_root_free() returns all %u tables (%u left, %lu bad frees)",
		      round, before, nr_tables, bad_frees);
	}
	live_root = NULL;
}

/* pt_map picks the largest leaf that alignment, size and the port allow. */
static void test_levels(void)
{
	const struct {
		uint64_t virt, phys, size;
		bool only_4k, leaf_1g;
		int level;
	} cases[] = {
		{ L3, 3 * L3, L3, false, true, 3 },
		{ L3, 3 * L3, L3, false, false, 2 },
		{ L3, 3 * L3, L3, true, true, 1 },
		{ L3, 3 * L3 + L2, L3, false, true, 2 },
		{ L3 + 4096, 4096, L2, false, true, 1 },
		{ L2, 2 * L2, L2, false, true, 2 },
		{ L2, 2 * L2, L2 - 4096, false, true, 1 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		pt_root_t root = pt_root_alloc();
		struct pt_walk w;

		leaf_1g = cases[i].leaf_1g;
		pt_root_map(root, cases[i].virt, cases[i].phys, cases[i].size, PT_RW,
			    cases[i].only_4k);
		CHECK(!pt_root_walk(root, cases[i].virt, &w) && w.level == cases[i].level &&
		      w.phys == cases[i].phys && w.flags == PT_RW,
		      "case %zu: a leaf at level %d mapping %#lx, got level %d phys %#lx", i,
		      cases[i].level, (unsigned long)cases[i].phys, w.level, (unsigned long)w.phys);
		pt_root_free(root);
	}
	leaf_1g = true;
}

/* Changing one 4 KiB page of a 1 GiB leaf splits it down; the rest keeps its mapping. */
/* Changing one 4 KiB page of a level-3 leaf splits it down; the rest keeps its mapping. */
static void test_split(void)
{
	pt_root_t root = pt_root_alloc();
	uint64_t g = L3, phys = 5 * L3, page = g + 3 * L2 + 8192;
	struct pt_walk w;
	bool same = true;

	pt_root_map(root, g, phys, g, PT_RWX, false);
	CHECK(!pt_root_protect(root, page, 4096, PT_R), "protect one page");
	for (uint64_t off = 0; off < g; off += 4096 * 97) {
		pt_root_walk(root, g + off, &w);
		same &= w.phys == phys + off && w.flags == PT_RWX;
	}
	CHECK(same, "every other page keeps its address and flags after the split");
	pt_root_walk(root, page, &w);
	CHECK(w.level == 1 && w.flags == PT_R && w.phys == phys + (page - g),
	      "the protected page is a 4 KiB leaf with the new flags");
	pt_root_walk(root, g + 5 * L2, &w);
	CHECK(w.level == 2, "a level-2 piece away from the change stays a level-2 leaf (level %d)",
	      w.level);
	CHECK(!pt_root_unmap(root, page, 4096) &&
	      pt_root_walk(root, page, &w) == -1 && !w.present,
	      "unmapping the page leaves it not present");
	pt_root_free(root);
	CHECK(!nr_tables, "split tables are freed with the root");
}

static void test_errors(void)
{
	pt_root_t root = pt_root_alloc();
	struct pt_walk w;

	CHECK(pt_root_map(root, 0x1000 + 1, 0, 4096, PT_RW, false) == -1, "misaligned virt");
	CHECK(pt_root_map(root, 0x1000, 0x10, 4096, PT_RW, false) == -1, "misaligned phys");
	CHECK(pt_root_map(root, 0x1000, 0, 100, PT_RW, false) == -1, "misaligned size");
	CHECK(pt_root_walk(root, 0x1000, &w) == -1, "nothing mapped by the rejected calls");
	CHECK(pt_root_unmap(root, 0x1000, 4096) == -1, "unmapping an unmapped page is -1");
	CHECK(pt_root_protect(root, 0x1000, 4096, PT_R) == -1, "protecting it too");
	CHECK(pt_root_unmap(root, 0x1000, 17) == -1, "misaligned unmap");

	/* A hole in the middle: the pages before it change, then -1. */
	pt_root_map(root, 0x10000, 0x80000, 0x4000, PT_RW, true);
	pt_root_unmap(root, 0x12000, 0x1000);
	CHECK(pt_root_protect(root, 0x10000, 0x4000, PT_R) == -1, "protecting across a hole");
	CHECK(!pt_root_walk(root, 0x11000, &w) && w.flags == PT_R,
	      "the page before the hole was changed");
	CHECK(!pt_root_walk(root, 0x13000, &w) && w.flags == PT_RW,
	      "the page after the hole was not");
	pt_root_free(root);
}

/* Every entry of a new table, and an unmapped leaf, is the port's empty value for its level. */
static void test_empty_entries(void)
{
	pt_root_t root = pt_root_alloc();
	uint64_t *t = (uint64_t *)(uintptr_t)root;
	int top = shape->levels;
	unsigned int bad = 0;
	struct pt_walk w;

	for (int i = 0; i < shape->entries[top]; i++)
		bad += t[i] != arch_pte_none(top);
	CHECK(!bad, "a new root holds arch_pte_none(%d) in every entry (%u differ)", top, bad);
	pt_root_map(root, L2, L2, 4096, PT_RW, false);
	CHECK(!pt_root_walk(root, L2, &w) && w.level == 1, "the page is mapped at level 1");
	bad = 0;
	for (int i = 1; i < shape->entries[1]; i++)
		bad += w.pte[i] != arch_pte_none(1);
	CHECK(!bad, "the new page table's other entries are arch_pte_none(1) (%u differ)", bad);
	pt_root_unmap(root, L2, 4096);
	CHECK(*w.pte == arch_pte_none(1), "an unmapped leaf is arch_pte_none(1), not %#llx",
	      (unsigned long long)*w.pte);
	pt_root_free(root);
}

static void *no_memory(void)
{
	return NULL;
}

static unsigned int custom_calls;

static void *custom_alloc(void)
{
	custom_calls++;
	return alloc_pages(0);
}

/*
 * Tables of at most 4 KiB come from the set allocator, larger ones from the
 * page allocator: x86 takes 3 from it for a page in an empty root, s390x 1
 * (its page table; the region and segment tables are 16 KiB).
 */
static void test_table_alloc(void)
{
	pt_root_t root = pt_root_alloc();
	uint64_t top = 1ULL << shape->shift[shape->levels];
	unsigned int small = 0;
	bool aborted;

	for (int level = 1; level < shape->levels; level++)
		small += shape->entries[level] * sizeof(uint64_t) <= 4096;
	custom_calls = 0;
	pt_set_table_alloc(custom_alloc);
	pt_root_map(root, top, 0, 4096, PT_RW, false);
	CHECK(custom_calls == small, "a 4 KiB page in an empty root takes %u tables from the set "
	      "allocator, took %u", small, custom_calls);
	pt_set_table_alloc(no_memory);
	abort_armed = true;
	aborted = setjmp(abort_jmp);
	if (!aborted)
		pt_root_map(root, 2 * top, 0, 4096, PT_RW, false);
	abort_armed = false;
	CHECK(aborted && strstr(abort_msg, "out of memory"),
	      "a table allocator returning NULL reaches report_abort (\"%s\")", abort_msg);
	pt_set_table_alloc(NULL);
	pt_root_free(root);
}

/* ---- a second entry format (pt_root_alloc_format) ---- */

#define G_PRESENT	4ULL
#define G_TABLE		8ULL
#define G_SHIFT		48
#define G_NONE		(0x77ULL << 56)

static uint64_t g_none(int level)
{
	return G_NONE;
}

/* No 1 GiB leaves, unlike the port: the format's own leaf_ok must decide. */
static bool g_leaf_ok(int level)
{
	return level == 2;
}

static bool g_present(uint64_t pte, int level)
{
	return pte & G_PRESENT;
}

static bool g_is_leaf(uint64_t pte, int level)
{
	return !(pte & G_TABLE);
}

static uint64_t g_addr(uint64_t pte)
{
	return pte & 0x0000fffffffff000ULL;
}

static uint64_t g_table(uint64_t *table, int level)
{
	return (uintptr_t)table | G_PRESENT | G_TABLE;
}

static uint64_t g_leaf(uint64_t phys, unsigned int flags, int level)
{
	return phys | G_PRESENT | (uint64_t)flags << G_SHIFT;
}

static unsigned int g_flags(uint64_t pte)
{
	return (pte >> G_SHIFT) & 0x1f;
}

static const struct pt_format other = {
	.none = g_none, .leaf_ok = g_leaf_ok, .present = g_present, .is_leaf = g_is_leaf,
	.addr = g_addr, .table = g_table, .leaf = g_leaf, .flags = g_flags,
};

static void test_format(void)
{
	pt_root_t root = pt_root_alloc_format(&other), port = pt_root_alloc();
	uint64_t g = 1ULL << 30, *t = (uint64_t *)(uintptr_t)root;
	pt_root_t roots[33];
	volatile unsigned int n;
	unsigned int bad = 0;
	struct pt_walk w;
	volatile bool aborted;

	for (int i = 0; i < 512; i++)
		bad += t[i] != G_NONE;
	CHECK(!bad, "a new root of another format holds its empty value (%u differ)", bad);
	pt_root_map(root, g, 3 * g, g, PT_RW, false);
	pt_root_map(port, g, 3 * g, g, PT_RW, false);
	CHECK(!pt_root_walk(root, g + 8192, &w) && w.level == 2 && w.phys == 3 * g + 8192 &&
	      w.flags == PT_RW, "the other format's leaf_ok decides the page size (level %d)",
	      w.level);
	CHECK(*w.pte == (3 * g | G_PRESENT | (uint64_t)PT_RW << G_SHIFT),
	      "its leaves are in its format (%#llx)", (unsigned long long)*w.pte);
	CHECK(!pt_root_walk(port, g + 8192, &w) && w.level == 3,
	      "a port root beside it keeps the port's format (level %d)", w.level);
	CHECK(!pt_root_protect(root, g + 8192, 4096, PT_R) && !pt_root_walk(root, g + 8192, &w) &&
	      w.level == 1 && *w.pte == ((3 * g + 8192) | G_PRESENT | (uint64_t)PT_R << G_SHIFT),
	      "protect splits into leaves of the other format");
	CHECK(!pt_root_unmap(root, g + 8192, 4096) && *w.pte == G_NONE,
	      "an unmapped leaf holds the other format's empty value");
	pt_root_free(root);
	pt_root_free(port);
	CHECK(!nr_tables, "both roots' tables are freed");
	n = 0;
	abort_armed = true;
	aborted = setjmp(abort_jmp);
	if (!aborted)
		for (; n < 33; n++)
			roots[n] = pt_root_alloc_format(&other);
	abort_armed = false;
	CHECK(aborted && n == 32, "the 33rd root of another format reaches report_abort (%u)", n);
	while (n)
		pt_root_free(roots[--n]);
	root = pt_root_alloc();
	pt_root_map(root, g, 3 * g, g, PT_RW, false);
	CHECK(!pt_root_walk(root, g, &w) && w.level == 3,
	      "freed roots of another format leave no trace on a new port root");
	pt_root_free(root);
}

void arch_cpu_relax(void)
{
}

int main(int argc, char **argv)
{
	static const struct pt_geometry *const shapes[] = { &shape_x86, &shape_s390x };

	for (size_t i = 0; i < ARRAY_SIZE(shapes); i++) {
		shape = shapes[i];
		bad_table_sizes = 0;
		test_random();
		test_levels();
		test_empty_entries();
		test_split();
		test_errors();
		test_table_alloc();
		CHECK(!bad_table_sizes, "%s shape: %lu tables smaller than their level needs",
		      i ? "s390x" : "x86", bad_table_sizes);
	}
	/* a second entry format, in x86's shape (EPT's) */
	shape = &shape_x86;
	test_format();
	return unit_summary("unit-vm");
}
