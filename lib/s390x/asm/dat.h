/* SPDX-License-Identifier: MIT */
/*
 * Dynamic address translation formats (PoP 3.11.3 "Translation Tables",
 * 3.11.3.1 ASCE; EDAT-1 and EDAT-2 frame entries, 3.11.4): the address-
 * space-control element and the region-, segment- and page-table entries.
 * lib/s390x/mmu.c builds lib's tables with them; tests that build or break
 * entries of their own use them too.
 */
#ifndef S390X_ASM_DAT_H
#define S390X_ASM_DAT_H

#include "libc.h"

/* ASCE (CR1, CR7, CR13): table origin, designation type, table length. */
#define ASCE_ORIGIN		GENMASK_ULL(63, 12)
#define ASCE_PRIVATE		BIT_ULL(8)
#define ASCE_REAL_SPACE		BIT_ULL(5)
#define ASCE_DT_SHIFT		2
#define ASCE_DT_REGION1		(3ULL << ASCE_DT_SHIFT)
#define ASCE_DT_REGION2		(2ULL << ASCE_DT_SHIFT)
#define ASCE_DT_REGION3		(1ULL << ASCE_DT_SHIFT)
#define ASCE_DT_SEGMENT		(0ULL << ASCE_DT_SHIFT)
#define ASCE_TL			3ULL	/* table length: (TL + 1) * 512 entries */

/* Region-table entry (region first, second, third). */
#define REGION_ORIGIN		GENMASK_ULL(63, 12)
#define REGION_TF_SHIFT		6
#define REGION_INVALID		BIT_ULL(5)
#define REGION_TT_SHIFT		2
#define REGION_TT_MASK		(3ULL << REGION_TT_SHIFT)
#define REGION_TT(level)	((uint64_t)((level) - 2) << REGION_TT_SHIFT)	/* lib level 3-5 */
#define REGION_TL		3ULL
/* Region-third entry with FC 1 (EDAT-2): a 2 GiB frame. */
#define REGION3_FC		BIT_ULL(10)
#define REGION3_PROT		BIT_ULL(9)
#define REGION3_FRAME		GENMASK_ULL(63, 31)

/* Segment-table entry: a page table, or with FC 1 (EDAT-1) a 1 MiB frame. */
#define SEGMENT_PT_ORIGIN	GENMASK_ULL(63, 11)
#define SEGMENT_FC		BIT_ULL(10)
#define SEGMENT_PROT		BIT_ULL(9)
#define SEGMENT_INVALID		BIT_ULL(5)
#define SEGMENT_TT		(0ULL << REGION_TT_SHIFT)
#define SEGMENT_FRAME		GENMASK_ULL(63, 20)

/* Page-table entry. Bit 52 (0x800) must be zero. */
#define PAGE_FRAME		GENMASK_ULL(63, 12)
#define PAGE_ZERO_BIT		BIT_ULL(11)
#define PAGE_INVALID		BIT_ULL(10)
#define PAGE_PROT		BIT_ULL(9)

/* Table sizes: page tables of 256 entries (2 KiB), the others of 2048 (16 KiB). */
#define PAGE_TABLE_ENTRIES	256
#define CRST_ENTRIES		2048

/* Translation-exception identification (PoP 6.6, "Translation-Exception Identification"). */
#define TEID_ADDR		GENMASK_ULL(63, 12)
#define TEID_FETCH		BIT_ULL(11)
#define TEID_STORE		BIT_ULL(10)
#define TEID_AS_MASK		3ULL	/* 0: primary space */

#endif
