/* SPDX-License-Identifier: MIT */
/*
 * Paging-structure entry bits of 4- and 5-level paging and the page-fault
 * error code (SDM vol. 3A 4.5 tables 4-14 to 4-20, 4.6.2, 4.7; APM vol. 2
 * 5.3.3, 5.4.1, 8.4.2), and the TLB instructions (INVLPG is in processor.h).
 */
#ifndef X86_ASM_PAGE_H
#define X86_ASM_PAGE_H

#include "libc.h"

#define PTE_P		BIT_ULL(0)
#define PTE_W		BIT_ULL(1)	/* R/W */
#define PTE_U		BIT_ULL(2)	/* U/S */
#define PTE_PWT		BIT_ULL(3)
#define PTE_PCD		BIT_ULL(4)
#define PTE_A		BIT_ULL(5)
#define PTE_D		BIT_ULL(6)	/* leaves only */
#define PTE_PS		BIT_ULL(7)	/* PDPTE and PDE: a 1 GiB or 2 MiB leaf */
#define PTE_PAT		BIT_ULL(7)	/* 4 KiB leaves */
#define PTE_G		BIT_ULL(8)	/* leaves only */
#define PTE_PAT_LARGE	BIT_ULL(12)	/* 2 MiB and 1 GiB leaves */
#define PTE_PKEY_SHIFT	59		/* leaves: protection key, bits 62:59 */
#define PTE_PKEY	GENMASK_ULL(62, 59)
#define PTE_NX		BIT_ULL(63)	/* XD */
#define PTE_ADDR	GENMASK_ULL(51, 12)

/* Page-fault error code (SDM vol. 3A 4.7, figure 4-12). */
#define PFERR_P		BIT(0)	/* a protection violation (0: not present) */
#define PFERR_W		BIT(1)	/* a write */
#define PFERR_U		BIT(2)	/* a user-mode access */
#define PFERR_RSVD	BIT(3)	/* a reserved bit set in some paging-structure entry */
#define PFERR_I		BIT(4)	/* an instruction fetch (with NXE or SMEP) */
#define PFERR_PK	BIT(5)	/* a protection-key violation */

/* INVPCID types (SDM vol. 2A INVPCID). */
#define INVPCID_ADDR		0	/* one address of one PCID */
#define INVPCID_CONTEXT		1	/* one PCID, global translations kept */
#define INVPCID_ALL_GLOBAL	2	/* every PCID, global translations too */
#define INVPCID_ALL		3	/* every PCID, global translations kept */

#ifndef __ASSEMBLER__
#include "asm/desc.h"

/* The INVPCID descriptor: PCID in bits 11:0 of the first quadword (63:12 reserved). */
struct invpcid_desc {
	uint64_t pcid;
	uint64_t addr;
};

/* INVPCID @type with descriptor @d; the exinfo of the fault (0 for none). */
static inline exinfo_t invpcid_safe(uint64_t type, const struct invpcid_desc *d)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("invpcid %1, %2") : "+r"(ex) : "m"(*d), "r"(type) : "memory");
	return ex;
}

static inline exinfo_t invlpg_safe(uintptr_t va)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("invlpg (%1)") : "+r"(ex) : "r"(va) : "memory");
	return ex;
}
#endif /* __ASSEMBLER__ */

#endif
