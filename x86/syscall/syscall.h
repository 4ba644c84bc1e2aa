/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the syscall image: what the entry points saw, the
 * MSR setup and restore, and the subtests.
 */
#ifndef X86_SYSCALL_H
#define X86_SYSCALL_H

#include "asm/cpuid.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "report.h"

/*
 * Filled by the SYSCALL and SYSENTER entry points (syscall.c, sysenter.c):
 * RCX and R11 at entry, RFLAGS, CS, SS and RSP in the handler, and how many
 * times an entry ran.
 */
struct entry_rec {
	uint64_t rcx, r11, rflags, cs, ss, rsp, count;
};
extern struct entry_rec rec;

/*
 * What the user side saw: RFLAGS before the instruction and after the
 * return, CS and SS after it, the address after the instruction, RSP
 * before and after.
 */
struct user_rec {
	uint64_t before, after, cs, ss, ret_rip, rsp_before, rsp_after;
};
extern struct user_rec urec;

/* The #DB handler's count and the RIP and CS of the last #DB. */
extern uint64_t db_count, db_rip, db_cs;
void db_catch_begin(void);
void db_catch_end(void);

/* Fast system calls are a vendor matter in places (SDM vol. 2B, APM vol. 3). */
const char *need_intel(void);
const char *need_amd(void);
const char *need_umip(void);

/* At CPL3: run the compatibility-mode stub at @target (a 32-bit address). */
uint64_t compat_run(uint64_t target);
uint64_t read_flags(void);

/* Subtests. */
void sce_off(void);
void syscall64(void);
void sfmask(void);
void syscall_tf(void);
void sysret_rflags(void);
void sysret_vm(void);
void sysret_cpl3(void);
void sysret_noncanonical(void);
void sysret_sce_off(void);
void syscall_compat(void);
void sysenter64(void);
void sysenter_compat(void);
void sysenter_faults(void);
void sysenter_amd(void);
void umip(void);

#endif
