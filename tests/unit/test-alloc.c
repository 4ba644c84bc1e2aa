// SPDX-License-Identifier: MIT
/*
 * Invariants of lib/alloc.c on two host arenas standing in for physical
 * memory: blocks are naturally aligned, inside a region and never overlap;
 * all memory comes back and coalesces fully; exhaustion returns NULL; misuse
 * (double free, foreign or interior pointer, wrong order) reaches
 * alloc_panic(), which here longjmps back into the test. Then the same for
 * malloc, calloc and memalign with every block filled and checked.
 */
#include "unit.h"

#define ARENA_A_SIZE	(16UL << 20)
#define ARENA_B_SIZE	(3UL << 20)
#define MAX_LIVE	2048

static jmp_buf panic_jmp;
static bool panic_armed;
static const char *panic_msg;

void alloc_panic(const char *msg)
{
	panic_msg = msg;
	if (panic_armed)
		longjmp(panic_jmp, 1);
	fprintf(stderr, "unexpected alloc_panic: %s\n", msg);
	abort();
}

void arch_cpu_relax(void)
{
}

/* Run @stmt and check that it ends in alloc_panic(). */
#define EXPECT_PANIC(what, stmt)						\
	do {									\
		panic_msg = NULL;						\
		panic_armed = true;						\
		if (!setjmp(panic_jmp)) {					\
			stmt;							\
		}								\
		panic_armed = false;						\
		CHECK(panic_msg, "%s is reported through alloc_panic()", what);	\
		if (panic_msg)							\
			printf("  %s -> \"%s\"\n", what, panic_msg);		\
	} while (0)

static uintptr_t a_base, b_base, b_start, b_end;
static size_t initial_free;
static unsigned char *page_used;	/* one byte per page of both arenas */

/* Index of @addr's page in page_used[], or -1 outside the arenas. */
static long page_index(uintptr_t addr)
{
	if (addr >= a_base && addr < a_base + ARENA_A_SIZE)
		return (long)((addr - a_base) / PAGE_SIZE);
	if (addr >= b_start && addr < b_end)
		return (long)(ARENA_A_SIZE / PAGE_SIZE + (addr - b_start) / PAGE_SIZE);
	return -1;
}

static size_t expected_free(uintptr_t start, uintptr_t end)
{
	size_t pages = (ALIGN_DOWN(end, PAGE_SIZE) - ALIGN_UP(start, PAGE_SIZE)) / PAGE_SIZE;

	return pages - DIV_ROUND_UP(pages, PAGE_SIZE);
}

static void setup(void)
{
	void *a = NULL, *b;

	if (posix_memalign(&a, ARENA_A_SIZE, ARENA_A_SIZE) || !(b = malloc(ARENA_B_SIZE))) {
		fprintf(stderr, "cannot allocate the test arenas\n");
		exit(2);
	}
	a_base = (uintptr_t)a;
	b_base = (uintptr_t)b;
	/* Deliberately unaligned edges: the allocator must trim them. */
	b_start = ALIGN_UP(b_base + 123, PAGE_SIZE);
	b_end = ALIGN_DOWN(b_base + ARENA_B_SIZE - 77, PAGE_SIZE);
	page_used = calloc(ARENA_A_SIZE / PAGE_SIZE + ARENA_B_SIZE / PAGE_SIZE, 1);

	CHECK(page_alloc_free_count() == 0, "no free pages before init");
	CHECK(alloc_page() == NULL, "alloc_page() before init returns NULL");
	page_alloc_init(a_base, a_base + ARENA_A_SIZE);
	page_alloc_init(b_base + 123, b_base + ARENA_B_SIZE - 77);
	initial_free = page_alloc_free_count();
	CHECK(initial_free == expected_free(a_base, a_base + ARENA_A_SIZE) +
			      expected_free(b_base + 123, b_base + ARENA_B_SIZE - 77),
	      "free count after init is the pages minus one metadata byte each: %zu",
	      initial_free);
	EXPECT_PANIC("adding an overlapping region",
		     page_alloc_init(a_base + PAGE_SIZE, a_base + 4 * PAGE_SIZE));
	page_alloc_init(a_base, a_base + 100);
	CHECK(page_alloc_free_count() == initial_free, "a region smaller than a page adds nothing");
	CHECK(page_alloc_owns((void *)(a_base + ARENA_A_SIZE - PAGE_SIZE)) &&
	      page_alloc_owns((void *)(b_end - 1)),
	      "page_alloc_owns() is true inside the regions");
	CHECK(!page_alloc_owns((void *)(b_start - 1)) && !page_alloc_owns((void *)b_end) &&
	      !page_alloc_owns(page_used), "page_alloc_owns() is false outside them");
}

/*
 * Allocate greedily, largest blocks first, and give it all back: the
 * counts per order are the same as right after init only if every free
 * coalesced completely.
 */
static void order_profile(unsigned int counts[MAX_ORDER + 1])
{
	static void *blocks[MAX_ORDER + 1][64];
	int k;

	for (k = MAX_ORDER; k >= 0; k--) {
		void *p;

		counts[k] = 0;
		while (counts[k] < 64 && (p = alloc_pages(k)))
			blocks[k][counts[k]++] = p;
	}
	CHECK(page_alloc_free_count() == 0, "greedy allocation takes every page");
	for (k = 0; k <= MAX_ORDER; k++)
		for (unsigned int i = 0; i < counts[k]; i++)
			free_pages(blocks[k][i], k);
}

struct live {
	void *p;
	unsigned int order;	/* pages */
	size_t size;		/* malloc */
	size_t align;
	unsigned char tag;
};

static struct live live[MAX_LIVE];
static unsigned int nr_live;

/* Check a new block and claim its pages; false if it overlaps or strays. */
static bool claim_pages(void *p, unsigned int order)
{
	uintptr_t a = (uintptr_t)p, size = PAGE_SIZE << order;
	bool ok = IS_ALIGNED(a, size);

	for (uintptr_t off = 0; off < size; off += PAGE_SIZE) {
		long i = page_index(a + off);

		if (i < 0 || page_used[i]) {
			ok = false;
			continue;
		}
		page_used[i] = 1;
		*(uintptr_t *)(a + off) = a + off;
	}
	return ok;
}

/* Release a block's pages after checking the tags claim_pages() wrote. */
static bool release_pages(void *p, unsigned int order)
{
	uintptr_t a = (uintptr_t)p, size = PAGE_SIZE << order;
	bool ok = true;

	for (uintptr_t off = 0; off < size; off += PAGE_SIZE) {
		long i = page_index(a + off);

		if (i >= 0)
			page_used[i] = 0;
		if (*(uintptr_t *)(a + off) != a + off)
			ok = false;
	}
	free_pages(p, order);
	return ok;
}

static void test_pages_random(void)
{
	size_t in_use = 0;

	for (int op = 0; op < 60000; op++) {
		if (nr_live < MAX_LIVE && (!nr_live || unit_below(100) < 55)) {
			unsigned int order = unit_below(10) < 7 ? unit_below(3) : unit_below(10);
			void *p = alloc_pages(order);

			if (!p)
				continue;
			CHECK(claim_pages(p, order), "alloc_pages(%u) = %p: aligned, in a region, "
			      "not overlapping", order, p);
			live[nr_live].p = p;
			live[nr_live++].order = order;
			in_use += 1UL << order;
		} else {
			unsigned int i = unit_below(nr_live);

			CHECK(release_pages(live[i].p, live[i].order),
			      "block %p order %u kept its contents", live[i].p, live[i].order);
			in_use -= 1UL << live[i].order;
			live[i] = live[--nr_live];
		}
		if (op % 97 == 0)
			CHECK(page_alloc_free_count() == initial_free - in_use,
			      "free count %zu, expected %zu", page_alloc_free_count(),
			      initial_free - in_use);
	}
	while (nr_live) {
		nr_live--;
		CHECK(release_pages(live[nr_live].p, live[nr_live].order),
		      "block kept its contents");
	}
	CHECK(page_alloc_free_count() == initial_free, "every page is free again");
}

static void test_pages(void)
{
	unsigned int before[MAX_ORDER + 1], after[MAX_ORDER + 1];
	void *p, *q;

	CHECK(alloc_pages(MAX_ORDER + 1) == NULL, "an order above MAX_ORDER returns NULL");
	CHECK(alloc_pages(12) == NULL, "no 16 MiB block exists (the metadata took a page)");
	p = alloc_pages(11);
	CHECK(p && IS_ALIGNED((uintptr_t)p, 8UL << 20), "the 8 MiB block is there and aligned");
	free_pages(p, 11);

	order_profile(before);
	test_pages_random();
	order_profile(after);
	CHECK(!memcmp(before, after, sizeof(before)), "free blocks coalesced back to the start");

	p = alloc_page();
	memset(p, 0xff, PAGE_SIZE);
	free_page(p);
	q = alloc_zeroed_page();
	CHECK(q && !((char *)q)[0] && !memcmp(q, (char *)q + 1, PAGE_SIZE - 1),
	      "alloc_zeroed_page() is zeroed");
	free_page(q);
	free_pages(NULL, 3);
}

static void test_exhaustion(void)
{
	void **all = calloc(initial_free + 1, sizeof(void *));
	size_t n = 0;

	while (n <= initial_free && (all[n] = alloc_page()))
		n++;
	CHECK(n == initial_free, "%zu single pages allocated, expected %zu", n, initial_free);
	CHECK(alloc_page() == NULL && alloc_zeroed_page() == NULL,
	      "alloc_page() returns NULL once memory is exhausted");
	CHECK(hv_malloc(8) == NULL, "malloc() returns NULL once memory is exhausted");
	CHECK(page_alloc_free_count() == 0, "free count is 0 when exhausted");
	while (n)
		free_page(all[--n]);
	CHECK(page_alloc_free_count() == initial_free, "all pages free after exhaustion");
	free(all);
}

static void test_page_misuse(void)
{
	char local[PAGE_SIZE];
	char *p = alloc_page(), *q = alloc_pages(2);

	free_page(p);
	EXPECT_PANIC("double free_page()", free_page(p));
	EXPECT_PANIC("free_pages() with the wrong order", free_pages(q, 1));
	EXPECT_PANIC("free_pages() of a block's interior page", free_page(q + PAGE_SIZE));
	EXPECT_PANIC("free_page() of an unaligned pointer", free_page(q + 8));
	EXPECT_PANIC("free_page() of memory outside every region", free_page(local));
	EXPECT_PANIC("free_pages() with an order above MAX_ORDER", free_pages(q, 40));
	free_pages(q, 2);
	CHECK(page_alloc_free_count() == initial_free, "misuse did not leak or corrupt pages");
}

static size_t pick_size(void)
{
	switch (unit_below(10)) {
	case 0:
		return unit_below(17);
	case 1:
	case 2:
	case 3:
		return unit_below(129);
	case 4:
	case 5:
		return unit_below(1100);
	case 6:
	case 7:
		return unit_below(9000);
	case 8:
		return 1000 + unit_below(64);	/* around the largest slab class */
	default:
		return unit_below(50) ? unit_below(40000) : 300000 + unit_below(300000);
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* Allocate one block the way @kind says, check it, fill it with its tag. */
static bool malloc_one(struct live *l, unsigned int kind)
{
	unsigned char *p;

	l->size = pick_size();
	l->align = 16;
	l->tag = (unsigned char)unit_rand();
	if (kind == 0) {
		p = hv_malloc(l->size);
	} else if (kind == 1) {
		size_t nmemb = 1 + unit_below(4);

		l->size /= 4;
		p = hv_calloc(nmemb, l->size);
		l->size *= nmemb;
		CHECK(!p || all_zero(p, l->size), "calloc() of %zu bytes is zeroed", l->size);
	} else {
		l->align = 1UL << unit_below(17);
		p = hv_memalign(l->align, l->size);
	}
	l->p = p;
	if (!p)
		return false;
	CHECK(IS_ALIGNED((uintptr_t)p, MAX(l->align, 16)) && page_index((uintptr_t)p) >= 0,
	      "block %p of %zu bytes (align %zu) is aligned and inside a region", p,
	      l->size, l->align);
	for (size_t i = 0; i < l->size; i++)
		p[i] = (unsigned char)(l->tag + i);
	return true;
}

static bool malloc_check(const struct live *l)
{
	const unsigned char *p = l->p;

	for (size_t i = 0; i < l->size; i++)
		if (p[i] != (unsigned char)(l->tag + i))
			return false;
	return true;
}

static void test_malloc_random(void)
{
	for (int op = 0; op < 60000; op++) {
		if (nr_live < MAX_LIVE && (!nr_live || unit_below(100) < 52)) {
			if (malloc_one(&live[nr_live], unit_below(3)))
				nr_live++;
		} else {
			unsigned int i = unit_below(nr_live);

			CHECK(malloc_check(&live[i]), "block %p of %zu bytes kept its contents "
			      "(an overlap would break it)", live[i].p, live[i].size);
			hv_free(live[i].p);
			live[i] = live[--nr_live];
		}
	}
	while (nr_live) {
		nr_live--;
		CHECK(malloc_check(&live[nr_live]), "block kept its contents");
		hv_free(live[nr_live].p);
	}
	CHECK(page_alloc_free_count() == initial_free,
	      "all slab and large pages are back after free(): %zu of %zu",
	      page_alloc_free_count(), initial_free);
}

static void test_malloc_misuse(void)
{
	char local[64];
	char *p, *q;

	hv_free(NULL);
	CHECK(page_alloc_free_count() == initial_free, "free(NULL) does nothing");
	CHECK(hv_calloc(SIZE_MAX / 2, 3) == NULL, "calloc() whose size overflows returns NULL");
	CHECK(hv_memalign(48, 16) == NULL, "memalign() with a non-power-of-two returns NULL");
	CHECK(hv_memalign(0, 16) == NULL, "memalign() with alignment 0 returns NULL");
	CHECK(hv_malloc(SIZE_MAX) == NULL, "malloc(SIZE_MAX) returns NULL");
	CHECK(hv_malloc(64UL << 20) == NULL, "malloc() larger than memory returns NULL");

	p = hv_malloc(40);
	q = hv_malloc(40);
	hv_free(p);
	EXPECT_PANIC("double free() of a slab object", hv_free(p));
	EXPECT_PANIC("free() of a pointer inside a slab object", hv_free(q + 16));
	hv_free(q);
	EXPECT_PANIC("double free() of a slab object whose page went back", hv_free(q));

	p = hv_malloc(100000);
	EXPECT_PANIC("free() of a pointer inside a large block", hv_free(p + 4096));
	hv_free(p);
	EXPECT_PANIC("double free() of a large block", hv_free(p));
	EXPECT_PANIC("free() of memory outside every region", hv_free(local));

	p = hv_memalign(1UL << 20, 10);
	CHECK(p && IS_ALIGNED((uintptr_t)p, 1UL << 20), "memalign(1 MiB) is aligned: %p", p);
	EXPECT_PANIC("free_pages() of a malloc() block", free_pages(p, 0));
	hv_free(p);
	CHECK(page_alloc_free_count() == initial_free, "misuse did not leak or corrupt pages");
}

int main(void)
{
	unit_seed(42);
	setup();
	test_pages();
	test_exhaustion();
	test_page_misuse();
	test_malloc_random();
	test_malloc_misuse();
	return unit_summary("unit-alloc");
}
