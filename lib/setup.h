/* SPDX-License-Identifier: MIT */
/*
 * What a port calls on its way to main(): hand over arguments, environment
 * and memory, then lib_run_main() on the boot CPU once every CPU is online.
 */
#ifndef LIB_SETUP_H
#define LIB_SETUP_H

#include "libc.h"

void setup_args_env(const char *cmdline, const char *env, size_t env_len);

/* A physical address range [start, end). */
struct mem_range {
	uint64_t start, end;
};

/**
 * setup_memory() - give RAM to the page allocator, holes excepted
 * @ram: the RAM ranges
 * @nram: how many
 * @resv: ranges inside RAM that must stay untouched (image, firmware tables, ...)
 * @nresv: how many
 *
 * Also sets phys_mem_end.
 */
void setup_memory(const struct mem_range *ram, int nram, const struct mem_range *resv,
		  int nresv);
void __noreturn lib_run_main(void);

/* Highest RAM address + 1, for sanity checks (backtraces). */
extern uintptr_t phys_mem_end;

/* Print a frame-pointer backtrace starting at @fp, after @ip. */
void backtrace_print(uintptr_t ip, uintptr_t fp);

struct ex_regs;

/**
 * unexpected_exception() - fail the test on an exception nothing expected
 * @what: decoded, e.g. "exception #GP(0x0)", "interrupt INTID 27"
 * @ip_name: what the port calls its instruction pointer ("rip", "pc")
 * @ip: where it happened
 * @fp: the frame pointer there, for the backtrace
 * @regs: the saved frame, for arch_dump_regs()
 * @detail: the port's extra state ("cr2 0x0", "FAR 0x0")
 *
 * Prints the FAIL line, the registers and the backtrace, then exit(1). An
 * exception while doing so ends the run at once; another CPU's unexpected
 * exception meanwhile parks that CPU, so the first report stays whole.
 */
/* From the port's exception path on arch_abort_trap(): registers, backtrace, exit(2). */
void __noreturn abort_dump(const struct ex_regs *regs, uintptr_t ip, uintptr_t fp);

void __noreturn unexpected_exception(const char *what, const char *ip_name, uintptr_t ip,
				     uintptr_t fp, const struct ex_regs *regs,
				     const char *detail);

#endif
