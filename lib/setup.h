/* SPDX-License-Identifier: MIT */
/*
 * What a port calls on its way to main(): hand over arguments, environment
 * and memory, then lib_run_main() on the boot CPU once every CPU is online.
 */
#ifndef LIB_SETUP_H
#define LIB_SETUP_H

#include "libc.h"

void setup_args_env(const char *cmdline, const char *env, size_t env_len);
void __noreturn lib_run_main(void);

/* Highest RAM address + 1, for sanity checks (backtraces). */
extern uintptr_t phys_mem_end;

/* Print a frame-pointer backtrace starting at @fp, after @ip. */
void backtrace_print(uintptr_t ip, uintptr_t fp);

#endif
