/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the paging_features image: a test page whose PTE can be
 * pointed at one of two frames without a TLB flush (to see whether a flush
 * took), guarded reads and writes, and the subtests of each file.
 */
#ifndef X86_PAGING_FEATURES_H
#define X86_PAGING_FEATURES_H

#include "alloc.h"
#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/page.h"
#include "asm/processor.h"
#include "paging.h"
#include "report.h"
#include "vm.h"

#define VAL_A		0xaaaaaaaa11111111ULL
#define VAL_B		0xbbbbbbbb22222222ULL

/* A page at @va mapped to frame A, whose PTE tpage_point() moves to frame B or back. */
struct tpage {
	uintptr_t va;
	uint64_t *a, *b;	/* the frames (identity addresses) */
	uint64_t *pte;		/* the 4 KiB leaf */
};

void tpage_init(struct tpage *t, uintptr_t va);
void tpage_fini(struct tpage *t);
/* Point the PTE at frame B (@b) or A, and nothing else: no flush. */
void tpage_point(const struct tpage *t, bool b);
/* The value read through the mapping now: VAL_A, VAL_B, or something else. */
uint64_t tpage_read(const struct tpage *t);
/* Check that a read through @t gives frame B: "@what makes the new PTE visible". */
bool tpage_expect_b(const struct tpage *t, const char *what);

exinfo_t read_safe(uintptr_t va, uint64_t *val);
exinfo_t write_safe(uintptr_t va, uint64_t val);

/* The value of the name of a test frame: "frame A", "frame B", or the value. */
const char *frame_name(uint64_t v, char *buf, size_t len);

/* Subtests. */
void tlb_invlpg(void);
void tlb_cr3(void);
void tlb_global(void);
void tlb_structure(void);
void tlb_not_present(void);
void tlb_after_fault(void);
void tlb_remote(void);
void pat_types(void);
void cr3_rsvd(void);
void cr3_pwt_pcd(void);
void la57_switch(void);
void la57_per_cpu(void);
void pcid_enable(void);
void pcid_tlb(void);
void invpcid_addr(void);
void invpcid_context(void);
void invpcid_all_global(void);
void invpcid_all(void);
void invpcid_gp(void);
void invpcid_absent(void);
const char *need_pge(void);
const char *need_la57(void);
const char *need_pcid(void);
const char *need_invpcid(void);
const char *need_no_invpcid(void);

/*
 * crbits.c: one subtest per defined CR0 and CR4 bit, X(name, bit), and one
 * for the reserved bits of each.
 */
#define CR0_BITS(X)								\
	X(pe, 0) X(mp, 1) X(em, 2) X(ts, 3) X(et, 4) X(ne, 5) X(wp, 16) X(am, 18)	\
	X(nw, 29) X(cd, 30) X(pg, 31)

#define CR4_BITS(X)								\
	X(vme, 0) X(pvi, 1) X(tsd, 2) X(de, 3) X(pse, 4) X(pae, 5) X(mce, 6)	\
	X(pge, 7) X(pce, 8) X(osfxsr, 9) X(osxmmexcpt, 10) X(umip, 11)		\
	X(la57, 12) X(vmxe, 13) X(smxe, 14) X(fsgsbase, 16) X(pcide, 17)	\
	X(osxsave, 18) X(kl, 19) X(smep, 20) X(smap, 21) X(pke, 22) X(cet, 23)	\
	X(pks, 24) X(uintr, 25) X(lass, 27) X(lam_sup, 28) X(fred, 32)

void cr0_reserved(void);
void cr4_reserved(void);
#define DECLARE_CR0(name, bit)	void cr0_##name(void);
#define DECLARE_CR4(name, bit)	void cr4_##name(void);
CR0_BITS(DECLARE_CR0)
CR4_BITS(DECLARE_CR4)
#undef DECLARE_CR0
#undef DECLARE_CR4

#endif
