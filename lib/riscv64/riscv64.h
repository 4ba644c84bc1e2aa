/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of the riscv64 port. */
#ifndef LIB_RISCV64_RISCV64_H
#define LIB_RISCV64_RISCV64_H

#include "libc.h"
#include "smp.h"

struct ex_regs;

#define STACK_SIZE	16384

/* cstart.S: entry points and each CPU's stack (smp.c, hsm.c). */
extern char riscv_secondary_entry[];
extern char riscv_stacks[MAX_CPUS][STACK_SIZE];

/* entry.S */
extern char riscv_trap_vector[];
uint64_t riscv_enter_user(uint64_t (*fn)(uint64_t), uint64_t arg, uintptr_t sp);
extern char riscv_user_ecall[], riscv_user_return[];

/* io.c: the console from the devicetree (DBCN when the firmware has it). */
void console_init(void);

/* sbi.c: what the firmware implements, probed once. */
void sbi_init(void);
bool sbi_has(unsigned long ext);

/* mmu.c: the identity map from the devicetree and satp on; the boot pool's end. */
void mmu_boot(void);
void mmu_init(void);
/* A secondary's satp (riscv_satp) and a flushed TLB. */
void secondary_mmu_on(void);
/* The satp value every CPU loads (the current root and mode). */
extern unsigned long riscv_satp;

/* smp.c */
void smp_discover(unsigned long boot_hartid);
void smp_boot_secondaries(void);
/* This CPU's control registers as lib keeps them, after entry or resume. */
void cpu_init_csrs(void);
/* Each CPU's hart ID (-1 past the last), read by cstart.S's resume entry. */
extern unsigned long riscv_hartids[MAX_CPUS];
/* Each CPU's /cpus node. */
extern int riscv_cpu_node[MAX_CPUS];

/*
 * cstart.S: a non-retentive HSM suspend; riscv_resume_entry finds the
 * context by the hart ID in a0. Returns the SBI error when the call
 * returns, RISCV_RESUMED after the resume.
 */
struct resume_ctx {
	uint64_t ra, sp, s[12];		/* callee-saved registers, for the return */
	uint64_t a1, satp, sstatus;	/* at the resume: the opaque value, the CSRs */
};

#define RISCV_RESUMED	1
extern struct resume_ctx riscv_resume_ctx[MAX_CPUS];
long riscv_suspend(struct resume_ctx *ctx, unsigned long type, unsigned long opaque);

/* traps.c */
void __noreturn riscv_unexpected(struct ex_regs *regs, const char *what);
void riscv_kick_pending(int cpu);

/* timer.c */
void timer_init(void);

/* The image: linker symbols (flat.lds). */
extern char __image_start[], __text_end[], __image_end[];

#endif
