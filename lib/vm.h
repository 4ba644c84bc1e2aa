/* SPDX-License-Identifier: MIT */
/*
 * The page-table API every port implements over its own format. Memory is
 * identity mapped at boot (page 0 unmapped, MMIO uncached); these change it.
 */
#ifndef LIB_VM_H
#define LIB_VM_H

#include "libc.h"

#define PT_R		BIT(0)	/* readable (always on x86) */
#define PT_W		BIT(1)
#define PT_X		BIT(2)
#define PT_USER		BIT(3)
#define PT_DEVICE	BIT(4)	/* uncached MMIO */
#define PT_RW		(PT_R | PT_W)
#define PT_RWX		(PT_R | PT_W | PT_X)

/* Map [virt, virt + size) to phys with @flags using the largest pages that fit. */
int pt_map(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags);
/* Map with 4 KiB pages only (splits larger mappings as needed). */
int pt_map_4k(uintptr_t virt, uint64_t phys, size_t size, unsigned int flags);
int pt_unmap(uintptr_t virt, size_t size);
int pt_protect(uintptr_t virt, size_t size, unsigned int flags);

struct pt_walk {
	bool present;
	int level;		/* 1 = 4 KiB leaf, 2 = 2 MiB, 3 = 1 GiB */
	uint64_t *pte;		/* the leaf (or the non-present entry) */
	uint64_t phys;		/* translated address when present */
	unsigned int flags;	/* PT_* of the leaf */
};

/* Walk the tables for @virt. Returns 0 when mapped, -1 when not. */
int pt_walk(uintptr_t virt, struct pt_walk *w);

/* Flush the TLB entry for @virt on this CPU. */
void pt_flush(uintptr_t virt);

#endif
