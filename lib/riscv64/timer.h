/* SPDX-License-Identifier: MIT */
/*
 * Time on riscv64: the time CSR (Zicntr) counts at the devicetree's
 * /cpus timebase-frequency; the supervisor timer interrupt fires when time
 * reaches the value set through SBI TIME set_timer or, with Sstc, written
 * to stimecmp (privileged architecture 3.2.1; Sstc 1.0).
 */
#ifndef RISCV64_TIMER_H
#define RISCV64_TIMER_H

#include "libc.h"

/* Ticks per second of the time CSR (/cpus timebase-frequency). */
uint64_t timer_freq(void);

/* Busy-wait at least @us microseconds / @ms milliseconds on the time CSR. */
void udelay(unsigned long us);
void mdelay(unsigned long ms);

/* Microseconds in @ticks of the time CSR, rounded up. */
uint64_t ticks_to_us(uint64_t ticks);

#endif
