/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer (Intel 82C54 datasheet): ports,
 * control words and channel 0, which lib runs as a free-running clock
 * (lib/x86/io.c) and the ioapic test borrows as an interrupt source (IRQ0).
 */
#ifndef X86_ASM_PIT_H
#define X86_ASM_PIT_H

#include "libc.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182UL

/* Control word: channel 0, LSB then MSB, binary; mode in bits 3:1. */
#define PIT_CH0_MODE(m)	(0x30 | (m) << 1)
#define PIT_LATCH_CH0	0x00
/* Read-back command: channel 0's status only; status bit 7 is the OUT pin. */
#define PIT_READBACK_STATUS_CH0	0xe2
#define  PIT_STATUS_OUT		0x80

/*
 * Channel 0 back to lib's clock: mode 2 (rate generator) from 65536, counting
 * down at PIT_HZ and reloading every 55 ms; udelay() reads it.
 */
void pit_init(void);

/* Channel 0's current count (latched). */
uint16_t pit_count(void);

/*
 * Channel 0 in mode 0 (interrupt on terminal count) from @count: OUT, the
 * IRQ0 line, goes low now and high after @count ticks, where it stays until
 * channel 0 is programmed again. The counter keeps counting down (modulo
 * 65536) all along, so udelay() still works.
 */
void pit_mode0(uint16_t count);

/* Channel 0's OUT pin (the IRQ0 line) as the read-back status reports it. */
bool pit_out(void);

#endif
