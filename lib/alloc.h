/* SPDX-License-Identifier: MIT */
/*
 * Physical memory for tests: a buddy allocator of 4 KiB pages and a malloc
 * on top of it. Memory is identity mapped, so a returned pointer is also the
 * physical address. Both are safe to call from any CPU (one spinlock).
 *
 * Misuse (double free, a pointer the allocator never handed out, a wrong
 * order) is not silently ignored: it calls alloc_panic(), which the runtime
 * implements (print and abort) and host unit tests replace.
 */
#ifndef LIB_ALLOC_H
#define LIB_ALLOC_H

#include "libc.h"

#ifndef PAGE_SHIFT
#define PAGE_SHIFT		12
#endif
#ifndef PAGE_SIZE
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#endif

/* Largest block alloc_pages() hands out: 2^MAX_ORDER pages (1 GiB). */
#define MAX_ORDER		18

/**
 * alloc_panic() - report allocator misuse; provided by the runtime
 * @msg: what went wrong
 *
 * Called with the allocator lock released. The runtime's version does not
 * return; a host test's version may longjmp out.
 */
void alloc_panic(const char *msg);

/**
 * page_alloc_init() - hand the range [@start, @end) to the page allocator
 * @start: first byte
 * @end: one past the last byte
 *
 * May be called several times with disjoint ranges. Partial pages at either
 * edge are dropped.
 */
void page_alloc_init(uintptr_t start, uintptr_t end);

void *alloc_pages(unsigned int order);
void *alloc_page(void);
void *alloc_zeroed_page(void);
void free_pages(void *p, unsigned int order);
void free_page(void *p);
size_t page_alloc_free_count(void);
/* Is @p in memory the page allocator manages (not a port's static boot pool)? */
bool page_alloc_owns(const void *p);

void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *memalign(size_t align, size_t size);
void free(void *p);

#endif
