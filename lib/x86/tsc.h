/* SPDX-License-Identifier: MIT */
/*
 * The TSC as lib's time base for bounded waits: its rate measured once
 * against PIT channel 0 (lib/x86/tsc.c).
 */
#ifndef LIB_X86_TSC_H
#define LIB_X86_TSC_H

#include "libc.h"

/**
 * tsc_hz() - TSC ticks per second, measured against the PIT the first time
 * it is called (about 10 ms), with a precision of about 1%.
 */
uint64_t tsc_hz(void);

/* TSC ticks in @us microseconds. */
uint64_t tsc_from_us(uint64_t us);

/* Microseconds in @ticks TSC ticks. */
uint64_t tsc_to_us(uint64_t ticks);

#endif
