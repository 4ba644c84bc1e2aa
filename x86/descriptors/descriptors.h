/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the descriptors image: a private GDT (lib's descriptors,
 * then code and stack segments for CPL1 and CPL2 and the test's own), a
 * runner at any CPL, descriptor encoders (SDM vol. 3A 3.4.5, 5.8.3.1).
 */
#ifndef X86_DESCRIPTORS_H
#define X86_DESCRIPTORS_H

#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "report.h"

/* Private GDT layout after lib's (which ends below 0x50). */
#define SEL_CS1		0x50	/* 64-bit code, DPL1 */
#define SEL_SS1		0x58	/* data, DPL1 */
#define SEL_CS2		0x60	/* 64-bit code, DPL2 */
#define SEL_SS2		0x68	/* data, DPL2 */
#define SEL_FREE	0x70	/* first selector the subtests fill */
#define GDT_ENTRIES	128

/* Segment types (S = 1), accessed bit set so that no load writes the GDT. */
#define T_DATA_RO	0x1
#define T_DATA_RW	0x3
#define T_CODE_XO	0x9
#define T_CODE_R	0xb
#define T_CODE_CR	0xf	/* conforming, readable */
/* System types. */
#define T_LDT		0x2
#define T_TSS		0x9
#define T_CALL_GATE	0xc

extern uint64_t gdt[GDT_ENTRIES];

/* Load the private GDT (a copy of lib's plus CPL1/CPL2 segments); gdt_leave() restores. */
void gdt_enter(void);
void gdt_leave(void);

/* A flat code (64-bit when @l) or data descriptor of @type and @dpl. */
uint64_t seg_desc(unsigned int type, int dpl, bool present, bool l);
/* A 16-byte system descriptor (LDT, TSS) or 64-bit call gate at @sel. */
void sys_desc(uint16_t sel, unsigned int type, int dpl, bool present, uint64_t base,
	      uint32_t limit);
void call_gate(uint16_t sel, int dpl, bool present, uint16_t target, uint64_t offset);

/* fn(arg) at @cpl (0: a plain call) with that level's code and stack segments. */
uint64_t run_cpl(int cpl, uint64_t (*fn)(uint64_t), uint64_t arg);
uint16_t cpl_cs(int cpl);
uint16_t cpl_ss(int cpl);

/* This CPU's TSS (from TR and the GDT). */
uint8_t *current_tss(void);

/* The decoded exinfo, for messages: "#GP(0x70)", "no exception". */
const char *exc_str(exinfo_t ex, char *buf, size_t len);

/* Subtests. */
void seg_loads(void);
void seg_loads_ss(void);
void seg_null_ss(void);
void call_gates(void);
void call_gate_faults(void);
void far_conforming(void);
void iret_levels(void);
void iret_faults(void);
void stack_noncanonical(void);
void base_gdtr_idtr(void);
void base_ltr(void);
void base_lldt(void);
void base_fsgs(void);
void base_swapgs(void);
const char *need_fsgsbase(void);

#endif
