/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the xsave image: XCR access, the XSAVE area and its
 * header (SDM vol. 1 13.4), register patterns, and the subtests.
 */
#ifndef X86_XSAVE_H
#define X86_XSAVE_H

#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "report.h"

#define XFEATURE_X87		BIT(0)
#define XFEATURE_SSE		BIT(1)
#define XFEATURE_AVX		BIT(2)
#define XSTATE_BV_OFF		512	/* the header: XSTATE_BV, then XCOMP_BV */
#define XCOMP_BV_OFF		520
#define MXCSR_OFF		24
#define MXCSR_MASK_OFF		28
#define XMM_OFF			160
#define XSAVE_AREA_SIZE		16384	/* AMX tile data ends near 11 KiB */

/* Two 64-byte aligned areas the subtests share. */
extern uint8_t area_a[XSAVE_AREA_SIZE], area_b[XSAVE_AREA_SIZE];

exinfo_t xgetbv_safe(uint32_t xcr, uint64_t *v);
uint64_t xgetbv(uint32_t xcr);
/* XCR0 bits CPUID.(EAX=0DH,ECX=0):EDX:EAX enumerates. */
uint64_t xcr0_supported(void);
/* CR4.OSXSAVE = 1 and XCR0 = @xcr0; returns the previous XCR0 (0 if OSXSAVE was clear). */
uint64_t xsave_enable(uint64_t xcr0);

/* XMM0-15 (and YMM0-15's upper halves when @avx) from/to 512 bytes at @p. */
void vec_load(const void *p, bool avx);
void vec_store(void *p, bool avx);

/* @kind: 0 XSAVE, 1 XSAVEOPT, 2 XSAVEC, 3 XSAVES, 4 XRSTORS. */
exinfo_t xsave_safe(void *p, uint64_t rfbm, int kind);
exinfo_t xrstor_safe(const void *p, uint64_t rfbm);

const char *need_xsave(void);
const char *need_xsaveopt(void);
const char *need_xsavec(void);
const char *need_xinuse(void);
const char *need_xsaves(void);
const char *need_avx(void);

void xcr0_rules(void);
void xcr_faults(void);
void xsave_roundtrip(void);
void xsave_components(void);
void xsave_init(void);
void xsaveopt(void);
void xsavec(void);
void xsaves(void);
void xinuse(void);
void state_interrupt(void);
void state_cpus(void);
void nm_ts(void);
void nm_em(void);
void mxcsr_reserved(void);
void simd_xm(void);
void x87_mf(void);

#endif
