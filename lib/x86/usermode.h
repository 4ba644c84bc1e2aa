/* SPDX-License-Identifier: MIT */
/*
 * x86 additions to user.h's run_in_user(): other privilege levels, the
 * outer-level stack, and .usertext, the pages holding code that runs only
 * outside CPL0. Tests that make the rest of memory supervisor-only (SMEP,
 * SMAP) keep these pages and the stack user-accessible.
 */
#ifndef LIB_X86_USERMODE_H
#define LIB_X86_USERMODE_H

#include "libc.h"

/* Bytes of each CPU's outer-level stack (user_stack()). */
#define USER_STACK_SIZE		(4 * 4096)

/* The section of code that runs only at CPL > 0: asm(".pushsection " USER_TEXT ...). */
#define USER_TEXT		".usertext, \"ax\""

/* [__user_text_start, __user_text_end): .usertext, page aligned (lib's return path included). */
extern char __user_text_start[], __user_text_end[];

/**
 * run_at_cpl() - call @fn(@arg) with code segment @cs and stack segment @ss
 * @cs: a 64-bit code selector with RPL 1, 2 or 3 (the CPL @fn runs at)
 * @ss: a writable data selector with the same RPL
 *
 * Like run_in_user() (which is run_at_cpl(USER_CS | 3, USER_DS | 3, ...)):
 * @fn is called from .usertext on this CPU's user_stack() and returns @fn's
 * result; the descriptors must be in the GDT loaded now.
 */
uint64_t run_at_cpl(uint16_t cs, uint16_t ss, uint64_t (*fn)(uint64_t), uint64_t arg);

/* This CPU's outer-level stack, USER_STACK_SIZE bytes (allocated on first use). */
void *user_stack(void);

#endif
