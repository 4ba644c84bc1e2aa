/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of the arm64 port. */
#ifndef LIB_ARM64_ARM64_H
#define LIB_ARM64_ARM64_H

#include "libc.h"
#include "smp.h"

struct ex_regs;

#define STACK_SIZE	16384

/* cstart64.S */
void arm64_mmu_on(uint64_t mair, uint64_t tcr, uint64_t ttbr0, uint64_t sctlr);
extern char secondary_entry[];
extern uint64_t arm64_el2_uart;

/* The MMU registers secondaries load before their MMU is on (mmu.c). */
extern uint64_t arm64_mmu_regs[4];
/* Each secondary's initial SP (smp.c). */
extern uintptr_t arm64_stack_top[MAX_CPUS];

/* io.c */
void uart_init(void);

/* mmu.c: the identity map from the devicetree, then the MMU on; page 0 off later. */
void mmu_boot(void);
void mmu_init(void);

/* psci.c: the conduit from the devicetree. */
void psci_init(void);

/* smp.c */
void smp_discover(void);
void smp_boot_secondaries(void);

/* entry.S: run_in_user()'s EL0 round trip (user.c, traps.c). */
uint64_t arm64_enter_user(uint64_t (*fn)(uint64_t), uint64_t arg, uintptr_t sp_el0,
			  uint64_t spsr);
extern char arm64_user_return[];

/* traps.c */
void __noreturn arm64_unexpected(struct ex_regs *regs, const char *what);

/* platform.c */
void platform_init(void);

/* gic.c and the per-version drivers. */
struct gic_ops {
	void (*dist_init)(void);
	void (*cpu_init)(void);
	uint32_t (*ack)(void);
	void (*eoi)(uint32_t iar);
	unsigned int (*iar_intid)(uint32_t iar);
	/* @cpu: a CPU number, SGI_OTHERS or SGI_SELF */
	void (*send_sgi)(int cpu, unsigned int sgi);
	void (*spi_target)(unsigned int intid, int cpu);
	void (*set_pmr)(uint8_t pmr);
	uintptr_t (*bank_base)(unsigned int intid);
};

#define SGI_OTHERS	(-1)
#define SGI_SELF	(-2)

struct gic_info {
	uintptr_t dist;
	uintptr_t cpu_if;			/* GICv2 GICC */
	uintptr_t redist_regions[8];		/* GICv3 */
	int nr_redist_regions;
	unsigned int nr_irqs;
	uintptr_t redist[MAX_CPUS];		/* GICv3: each CPU's RD frame */
	uint8_t cpu_mask[MAX_CPUS];		/* GICv2: each CPU's target bit */
};

extern struct gic_info gic;
extern const struct gic_ops gic_v2_ops, gic_v3_ops;
void gic_init(void);
void gic_handle_irq(struct ex_regs *regs);
void gic_bank_defaults(uintptr_t bank);

#endif
