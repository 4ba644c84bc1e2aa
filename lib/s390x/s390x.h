/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of the s390x port. */
#ifndef LIB_S390X_S390X_H
#define LIB_S390X_S390X_H

#include "libc.h"
#include "cpu.h"
#include "smp.h"
#include "asm/interrupt.h"

#define STACK_SIZE		16384

/* cstart64.S, entry.S */
extern char secondary_entry[];
extern char s390x_restart_entry[], s390x_ext_entry[], s390x_svc_entry[], s390x_pgm_entry[],
	s390x_mcck_entry[], s390x_io_entry[];
uint64_t s390x_enter_user(uint64_t (*fn)(uint64_t), uint64_t arg, uintptr_t sp, uint64_t mask,
			  uintptr_t *ksp);
extern char s390x_user_return[];

/* setup.c: the new PSWs and port words of a lowcore at absolute @base. */
void lowcore_init(uintptr_t base, int cpu, uintptr_t stack_top);
/* CR0 and CR14 as the port runs every CPU (external-interruption subclasses). */
void cpu_cr_init(void);

/* traps.c */
void s390x_interrupt(struct ex_regs *regs);
/* run_in_user()'s way back (user.c): whether @regs is its SVC, then the supervisor state. */
bool user_return(struct ex_regs *regs);

/* sclp.c: the console and the machine's configuration. */
void sclp_console_init(void);
void sclp_service_signal(uint32_t param);
/* Read SCP info once: memory size and the CPUs' addresses. */
void sclp_read_info(void);
uint64_t sclp_memory_size(void);
int sclp_cpus(uint16_t *addrs, int max);

/* mmu.c: the identity map, DAT on; every CPU loads the same ASCE. */
void mmu_init(void);
void mmu_cpu_init(void);

/* smp.c (and cpu.h) */
void smp_discover(void);
void smp_boot_secondaries(void);

/* cpu.c: STFLE once at boot. */
void facilities_init(void);

#endif
