/* SPDX-License-Identifier: MIT */
/* What the files of riscv/traps/ share. */
#ifndef RISCV_TRAPS_H
#define RISCV_TRAPS_H

#include "asm/exception.h"
#include "libc.h"

/* Inside Sv39's 256 GiB of positive addresses, where lib maps nothing. */
#define ALIAS		0x2000000000UL		/* a 4 KiB page, or a 2 MiB megapage */
#define ALIAS_1G	0x2040000000UL		/* a 1 GiB gigapage */

/*
 * An exception a test's handler took at a known place: the cause, sepc and
 * stval it saw. trap_catch(cause) installs the recorder for @cause (a
 * handler that resumes at ra: for calls whose target faults) until
 * trap_release().
 */
struct trap_seen {
	exinfo_t ex;
	uint64_t epc, tval;
};

extern struct trap_seen trap_seen;
void trap_catch(unsigned int cause, bool skip_insn);
void trap_release(unsigned int cause);

/* Call @addr as a function; the exception it raised (trap_catch() first). */
exinfo_t call_at(uintptr_t addr);

/* Subtests. */
void illegal(void);
void misaligned(void);
void fetch_misaligned(void);
void ecall(void);
void breakpoint(void);
void sv39(void);
void sv48(void);
void sv57(void);
const char *need_sv48(void);
const char *need_sv57(void);

#endif
