/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the ioapic image: the interrupt source (PIT channel 0,
 * ISA IRQ0) and the pin it reaches, and the helpers that program that pin
 * and drive the line.
 */
#ifndef X86_IOAPIC_TEST_H
#define X86_IOAPIC_TEST_H

#include "arch.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/pit.h"
#include "asm/processor.h"
#include "cpu.h"
#include "ioapic.h"
#include "irq.h"
#include "report.h"
#include "smp.h"

#define VEC_EDGE	0x81
#define VEC_LEVEL	0x82
#define VEC_PROBE	0x83
#define VEC_DEST	0x84

/* 1 ms of PIT ticks: how long the line stays low after pit_mode0() before it rises. */
#define RISE_TICKS	1193
#define RISE_US		1000

/* The GSI the PIT's IRQ0 reaches (the MADT's, or the pin found when that one is wrong). */
uint32_t src_gsi(void);

/* Line low now, high after RISE_TICKS (a rising edge), then high until the next call. */
void line_rise(void);
/* Wait until the interrupt controllers saw the rise (the 8259's IRR); false if never. */
bool line_seen(void);
/* Line low for 55 ms (count 65536), long enough for any check that needs it low. */
void line_low(void);

/* Program the source's pin: @flags (trigger, polarity, mask, logical), @vec, @dest. */
void pin_set(uint64_t flags, unsigned int vec, uint32_t dest);
uint64_t pin_get(void);
/* Mask the source's pin and give PIT channel 0 back to lib's clock. */
void src_restore(void);

const char *needs_ioapic(void);
const char *needs_xapic(void);

/* Subtests. */
void versions(void);
void ids(void);
void redir_fields(void);
void isa_irq0(void);
void edge(void);
void edge_masked(void);
void level(void);
void level_mask(void);
void polarity_level(void);
void polarity_edge(void);
void physical_dest(void);
void logical_dest(void);
void lowest_dest(void);
void directed_eoi(void);
const char *needs_directed_eoi(void);

#endif
