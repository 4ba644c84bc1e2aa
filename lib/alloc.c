// SPDX-License-Identifier: MIT
/*
 * Page allocator and malloc for test images.
 *
 * Pages come from a binary buddy allocator. Each region handed to
 * page_alloc_init() keeps one state byte per page, carved from the start of
 * the region itself: the head page of every block records whether the block
 * is free or in use and its order, every other page holds 0. That byte is
 * what lets free_pages() tell a double free or a foreign pointer from a
 * legitimate one, and find a buddy's state in O(1). Free blocks are kept on
 * per-order lists threaded through the free memory itself, which is fine
 * because memory is identity mapped.
 *
 * malloc() serves sizes up to SLAB_MAX from single-page slabs of one
 * power-of-two size class, objects naturally aligned to their size, with a
 * bitmap of objects in use (so a double free is caught). Larger or more
 * aligned requests get their own pages, with a header just before the
 * returned pointer. Empty slabs go straight back to the page allocator, so
 * once everything is freed the free page count is back where it started.
 */
#include "alloc.h"
#include "spinlock.h"

#define MAX_REGIONS	16

#define META_FREE	0x80	/* head of a free block; low bits = order */
#define META_USED	0x40	/* head of an allocated block; low bits = order */
#define META_SLAB	0x20	/* with META_USED: a malloc() slab page */
#define META_ORDER	0x1f

#define SLAB_MIN	16UL
#define SLAB_MAX	1024UL
#define SLAB_CLASSES	7	/* 16, 32, ..., 1024 */
#define SLAB_MAGIC	0x51ab51abU
#define BIG_MAGIC	0xb16b10c5U
#define DEAD_MAGIC	0xdeadb10cU

struct region {
	uintptr_t start;	/* first managed page */
	uintptr_t end;		/* one past the last managed byte */
	uint8_t *meta;		/* one byte per managed page */
};

struct free_block {
	struct free_block *next;
	struct free_block *prev;
};

struct slab {
	uint32_t magic;
	uint16_t obj_size;
	uint16_t in_use;
	uint16_t first;		/* offset of object 0 from the page */
	uint16_t count;		/* objects in the page */
	struct slab *next;	/* on its class's list of slabs with room */
	struct slab *prev;
	unsigned long used[(PAGE_SIZE / SLAB_MIN + BITS_PER_LONG - 1) / BITS_PER_LONG];
};

/* Sits right before a pointer malloc() took from whole pages. */
struct big_hdr {
	uint32_t magic;
	uint32_t order;
	uintptr_t base;
} __aligned(16);

static struct spinlock lock;
static struct region regions[MAX_REGIONS];
static unsigned int nr_regions;
static struct free_block *free_lists[MAX_ORDER + 1];
static size_t free_pages_count;
static struct slab *slabs[SLAB_CLASSES];

static struct region *find_region(uintptr_t addr)
{
	unsigned int i;

	for (i = 0; i < nr_regions; i++) {
		if (addr >= regions[i].start && addr < regions[i].end)
			return &regions[i];
	}
	return NULL;
}

static uint8_t *meta_of(struct region *r, uintptr_t addr)
{
	return &r->meta[(addr - r->start) >> PAGE_SHIFT];
}

static void list_add(unsigned int order, uintptr_t addr)
{
	struct free_block *b = (struct free_block *)addr;

	b->prev = NULL;
	b->next = free_lists[order];
	if (b->next)
		b->next->prev = b;
	free_lists[order] = b;
}

static void list_del(unsigned int order, uintptr_t addr)
{
	struct free_block *b = (struct free_block *)addr;

	if (b->prev)
		b->prev->next = b->next;
	else
		free_lists[order] = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* Put a block on the free lists, merging it with free buddies. Lock held. */
static void free_block_locked(struct region *r, uintptr_t addr, unsigned int order)
{
	free_pages_count += 1UL << order;
	*meta_of(r, addr) = 0;
	while (order < MAX_ORDER) {
		uintptr_t size = PAGE_SIZE << order;
		uintptr_t buddy = addr ^ size;

		if (buddy < r->start || buddy >= r->end || r->end - buddy < size ||
		    *meta_of(r, buddy) != (META_FREE | order))
			break;
		list_del(order, buddy);
		*meta_of(r, buddy) = 0;
		addr &= ~size;
		order++;
	}
	*meta_of(r, addr) = META_FREE | order;
	list_add(order, addr);
}

static bool overlaps_region(uintptr_t start, uintptr_t end)
{
	unsigned int i;

	for (i = 0; i < nr_regions; i++) {
		/* Compare with the metadata included: it precedes r->start. */
		uintptr_t rs = (uintptr_t)regions[i].meta;

		if (start < regions[i].end && end > rs)
			return true;
	}
	return false;
}

/* Lock held. Return: an error message, or NULL. */
static const char *add_region_locked(uintptr_t start, uintptr_t end)
{
	struct region *r;
	uintptr_t npages, meta_bytes, addr;

	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	if (start < PAGE_SIZE)
		start = PAGE_SIZE;	/* page 0 would be returned as NULL */
	if (end <= start)
		return NULL;
	if (overlaps_region(start, end))
		return "page_alloc_init: region overlaps one already added";
	if (nr_regions == MAX_REGIONS)
		return "page_alloc_init: too many regions";

	/* n pages need n bytes of metadata, a little less once it is carved. */
	npages = (end - start) >> PAGE_SHIFT;
	meta_bytes = ALIGN_UP(npages, PAGE_SIZE);
	if (end - start <= meta_bytes)
		return NULL;

	r = &regions[nr_regions++];
	r->meta = (uint8_t *)start;
	r->start = start + meta_bytes;
	r->end = end;
	memset(r->meta, 0, meta_bytes);

	/* Largest naturally aligned blocks first, so they start out merged. */
	for (addr = r->start; addr < end;) {
		unsigned int order = 0;

		while (order < MAX_ORDER && IS_ALIGNED(addr, PAGE_SIZE << (order + 1)) &&
		       end - addr >= (PAGE_SIZE << (order + 1)))
			order++;
		free_block_locked(r, addr, order);
		addr += PAGE_SIZE << order;
	}
	return NULL;
}

/**
 * page_alloc_init() - add the memory [@start, @end) to the page allocator
 * @start: first byte of the region
 * @end: one past the last byte
 *
 * The region's own first pages hold its metadata (one byte per page). May
 * be called once per disjoint region; partial pages at the edges are
 * dropped, and an overlap with an earlier region is reported through
 * alloc_panic().
 */
void page_alloc_init(uintptr_t start, uintptr_t end)
{
	const char *err;

	spin_lock(&lock);
	err = add_region_locked(start, end);
	spin_unlock(&lock);
	if (err)
		alloc_panic(err);
}

/* Lock held. Return: a block of 2^@order pages, or 0. */
static uintptr_t alloc_pages_locked(unsigned int order)
{
	unsigned int k = order;
	uintptr_t addr;
	struct region *r;

	while (k <= MAX_ORDER && !free_lists[k])
		k++;
	if (k > MAX_ORDER)
		return 0;

	addr = (uintptr_t)free_lists[k];
	list_del(k, addr);
	r = find_region(addr);
	while (k > order) {
		uintptr_t half;

		k--;
		half = addr + (PAGE_SIZE << k);
		*meta_of(r, half) = META_FREE | k;
		list_add(k, half);
	}
	*meta_of(r, addr) = META_USED | order;
	free_pages_count -= 1UL << order;
	return addr;
}

/* Lock held. Return: an error message for a bad free, or NULL. */
static const char *free_pages_locked(uintptr_t addr, unsigned int order, bool slab)
{
	struct region *r = find_region(addr);
	uint8_t m, want = META_USED | (slab ? META_SLAB : 0) | order;

	if (!r || !IS_ALIGNED(addr, PAGE_SIZE))
		return "free_pages: pointer was not allocated by alloc_pages";
	m = *meta_of(r, addr);
	if (m & META_FREE)
		return "free_pages: double free";
	if (m != want)
		return (m & META_USED) ? "free_pages: wrong order or a malloc slab page" :
					 "free_pages: pointer is not the start of a block";
	free_block_locked(r, addr, order);
	return NULL;
}

/**
 * alloc_pages() - allocate 2^@order contiguous pages
 * @order: 0 .. MAX_ORDER
 *
 * Return: the first page, aligned to its own size; NOT zeroed. NULL when
 * no block that large is free.
 */
void *alloc_pages(unsigned int order)
{
	uintptr_t addr;

	if (order > MAX_ORDER)
		return NULL;
	spin_lock(&lock);
	addr = alloc_pages_locked(order);
	spin_unlock(&lock);
	return (void *)addr;
}

/**
 * alloc_page() - allocate one page, not zeroed
 *
 * Return: the page, or NULL when memory is exhausted.
 */
void *alloc_page(void)
{
	return alloc_pages(0);
}

/**
 * alloc_zeroed_page() - allocate one page filled with zeroes
 *
 * Return: the page, or NULL when memory is exhausted.
 */
void *alloc_zeroed_page(void)
{
	void *p = alloc_pages(0);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

/**
 * free_pages() - give back a block from alloc_pages()
 * @p: the pointer alloc_pages() returned (NULL is ignored)
 * @order: the order it was allocated with
 *
 * A double free, a wrong order or a pointer that is not the start of an
 * allocated block is reported through alloc_panic().
 */
void free_pages(void *p, unsigned int order)
{
	const char *err = "free_pages: order too large";

	if (!p)
		return;
	if (order <= MAX_ORDER) {
		spin_lock(&lock);
		err = free_pages_locked((uintptr_t)p, order, false);
		spin_unlock(&lock);
	}
	if (err)
		alloc_panic(err);
}

/**
 * free_page() - give back a page from alloc_page() or alloc_zeroed_page()
 * @p: the page (NULL is ignored)
 */
void free_page(void *p)
{
	free_pages(p, 0);
}

bool page_alloc_owns(const void *p)
{
	bool owns;

	spin_lock(&lock);
	owns = find_region((uintptr_t)p) != NULL;
	spin_unlock(&lock);
	return owns;
}

/**
 * page_alloc_free_count() - number of free pages
 *
 * Return: pages currently on the free lists (slabs and metadata excluded).
 */
size_t page_alloc_free_count(void)
{
	size_t n;

	spin_lock(&lock);
	n = free_pages_count;
	spin_unlock(&lock);
	return n;
}

static unsigned int slab_class(size_t size)
{
	unsigned int c = 0;

	while ((SLAB_MIN << c) < size)
		c++;
	return c;
}

static void slab_unlink(unsigned int c, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		slabs[c] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void slab_link(unsigned int c, struct slab *s)
{
	s->prev = NULL;
	s->next = slabs[c];
	if (s->next)
		s->next->prev = s;
	slabs[c] = s;
}

/* Lock held. Return: a slab of class @c with a free object, or NULL. */
static struct slab *slab_get(unsigned int c)
{
	uintptr_t page;
	struct slab *s;

	if (slabs[c])
		return slabs[c];
	page = alloc_pages_locked(0);
	if (!page)
		return NULL;
	*meta_of(find_region(page), page) |= META_SLAB;

	s = (struct slab *)page;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->obj_size = (uint16_t)(SLAB_MIN << c);
	s->first = (uint16_t)ALIGN_UP(sizeof(*s), s->obj_size);
	s->count = (uint16_t)((PAGE_SIZE - s->first) / s->obj_size);
	slab_link(c, s);
	return s;
}

/* Lock held. */
static void *slab_alloc(unsigned int c)
{
	struct slab *s = slab_get(c);
	unsigned int i;

	if (!s)
		return NULL;
	for (i = 0; s->used[i / BITS_PER_LONG] & (1UL << (i % BITS_PER_LONG)); i++)
		;
	s->used[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	if (++s->in_use == s->count)
		slab_unlink(c, s);
	return (char *)s + s->first + (size_t)i * s->obj_size;
}

/* Lock held. Return: an error message, or NULL. */
static const char *slab_free(uintptr_t addr)
{
	struct slab *s = (struct slab *)ALIGN_DOWN(addr, PAGE_SIZE);
	uintptr_t off = addr - (uintptr_t)s;
	unsigned int c, i;
	unsigned long bit;

	if (s->magic != SLAB_MAGIC)
		return "free: corrupted slab header";
	if (off < s->first || (off - s->first) % s->obj_size)
		return "free: pointer into the middle of an object";
	i = (unsigned int)((off - s->first) / s->obj_size);
	bit = 1UL << (i % BITS_PER_LONG);
	if (i >= s->count || !(s->used[i / BITS_PER_LONG] & bit))
		return "free: double free";

	c = slab_class(s->obj_size);
	s->used[i / BITS_PER_LONG] &= ~bit;
	if (s->in_use-- == s->count)
		slab_link(c, s);
	if (s->in_use)
		return NULL;
	slab_unlink(c, s);
	s->magic = DEAD_MAGIC;
	return free_pages_locked((uintptr_t)s, 0, true);
}

/* Lock held. Whole pages, @align (a power of two >= 16) honoured. */
static void *big_alloc(size_t size, size_t align)
{
	size_t off = ALIGN_UP(sizeof(struct big_hdr), align);
	unsigned int order = 0;
	uintptr_t base;
	struct big_hdr *h;

	/* At least one byte, or the pointer could land just past the block. */
	if (!size)
		size = 1;
	if (size > ((size_t)PAGE_SIZE << MAX_ORDER) - off)
		return NULL;
	while ((PAGE_SIZE << order) < off + size || (PAGE_SIZE << order) < align)
		order++;
	if (order > MAX_ORDER)
		return NULL;
	base = alloc_pages_locked(order);
	if (!base)
		return NULL;

	h = (struct big_hdr *)(base + off) - 1;
	h->magic = BIG_MAGIC;
	h->order = order;
	h->base = base;
	return (void *)(base + off);
}

/* Lock held. Return: an error message, or NULL. */
static const char *big_free(uintptr_t addr)
{
	struct big_hdr *h = (struct big_hdr *)addr - 1;

	if (!IS_ALIGNED(addr, sizeof(*h)) || !find_region((uintptr_t)h))
		return "free: pointer was not allocated by malloc";
	if (h->magic == DEAD_MAGIC)
		return "free: double free";
	if (h->magic != BIG_MAGIC || h->order > MAX_ORDER || h->base > (uintptr_t)h)
		return "free: pointer was not allocated by malloc";
	h->magic = DEAD_MAGIC;
	return free_pages_locked(h->base, h->order, false);
}

/**
 * memalign() - allocate memory with a given alignment
 * @align: a power of two
 * @size: bytes wanted
 *
 * Return: the memory, aligned to at least @align and 16, or NULL when
 * memory is exhausted or @align is not a power of two.
 */
void *memalign(size_t align, size_t size)
{
	void *p;

	if (!align || (align & (align - 1)))
		return NULL;
	if (align < SLAB_MIN)
		align = SLAB_MIN;

	spin_lock(&lock);
	if (size <= SLAB_MAX && align <= SLAB_MAX)
		p = slab_alloc(slab_class(MAX(size, align)));
	else
		p = big_alloc(size, align);
	spin_unlock(&lock);
	return p;
}

/**
 * malloc() - allocate memory
 * @size: bytes wanted; 0 still returns a unique pointer
 *
 * Return: memory aligned to 16 bytes, not zeroed, or NULL when exhausted.
 */
void *malloc(size_t size)
{
	return memalign(SLAB_MIN, size);
}

/**
 * calloc() - allocate zeroed memory for an array
 * @nmemb: number of elements
 * @size: size of one element
 *
 * Return: the memory, or NULL when exhausted or when the product overflows.
 */
void *calloc(size_t nmemb, size_t size)
{
	void *p;

	if (size && nmemb > (size_t)-1 / size)
		return NULL;
	p = malloc(nmemb * size);
	if (p)
		memset(p, 0, nmemb * size);
	return p;
}

/**
 * free() - give back memory from malloc(), calloc() or memalign()
 * @p: the pointer, or NULL (ignored)
 *
 * A double free or a pointer malloc() never returned is reported through
 * alloc_panic().
 */
void free(void *p)
{
	uintptr_t addr = (uintptr_t)p;
	struct region *r;
	const char *err;
	uint8_t meta;

	if (!p)
		return;
	spin_lock(&lock);
	r = find_region(addr);
	meta = r ? *meta_of(r, ALIGN_DOWN(addr, PAGE_SIZE)) : 0;
	if (!r)
		err = "free: pointer was not allocated by malloc";
	else if (meta & META_FREE)
		err = "free: double free (the page is free)";
	else if (meta & META_SLAB)
		err = slab_free(addr);
	else
		err = big_free(addr);
	spin_unlock(&lock);
	if (err)
		alloc_panic(err);
}
