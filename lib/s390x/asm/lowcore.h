/* SPDX-License-Identifier: MIT */
/*
 * The lowcore: the 8 KiB at real address 0 of each CPU, which prefixing
 * moves to the CPU's prefix area in absolute storage (PoP chapter 3,
 * "Prefixing" and "Assigned Storage Locations"). Offsets for the entry code
 * and C alike.
 *
 * Real locations 0x200-0x11af are not assigned by the architecture; the
 * port keeps there, per CPU, each interruption class's register save area,
 * the CPU number, the stack a restart starts on and the program-check
 * nesting depth (LC_* marked "port").
 *
 * The port's interruption handlers run with DAT off, so they reach the
 * lowcore at real address 0 whatever the page tables say; C code running
 * with DAT on sees page 0 unmapped and reads what it needs from the saved
 * interruption (struct ex_regs) instead.
 */
#ifndef S390X_ASM_LOWCORE_H
#define S390X_ASM_LOWCORE_H

#define LC_EXT_PARAM		0x080	/* external-interruption parameter (4) */
#define LC_EXT_CPU_ADDR		0x084	/* the signalling CPU's address (2) */
#define LC_EXT_CODE		0x086	/* external-interruption code (2) */
#define LC_SVC_ILC		0x089
#define LC_SVC_CODE		0x08a
#define LC_PGM_ILC		0x08d	/* ILC in bits 5-6 */
#define LC_PGM_CODE		0x08e	/* program-interruption code (2) */
#define LC_DXC			0x093	/* data-exception code */
#define LC_PER_CODE		0x096
#define LC_PER_ADDR		0x098
#define LC_EXC_ACCESS_ID	0x0a0
#define LC_TEID			0x0a8	/* translation-exception identification (8) */
#define LC_IO_INT_PARM		0x0bc
#define LC_STFL			0x0c8	/* STFL's facility bits 0-31 */

/* The interruption information copied into struct ex_regs: 0x80-0xc7. */
#define LC_INT_INFO		0x080
#define LC_INT_INFO_SIZE	0x48

#define LC_RESTART_OLD_PSW	0x120
#define LC_EXT_OLD_PSW		0x130
#define LC_SVC_OLD_PSW		0x140
#define LC_PGM_OLD_PSW		0x150
#define LC_MCCK_OLD_PSW		0x160
#define LC_IO_OLD_PSW		0x170
#define LC_RESTART_NEW_PSW	0x1a0
#define LC_EXT_NEW_PSW		0x1b0
#define LC_SVC_NEW_PSW		0x1c0
#define LC_PGM_NEW_PSW		0x1d0
#define LC_MCCK_NEW_PSW		0x1e0
#define LC_IO_NEW_PSW		0x1f0

/* Port: a 16-register save area per interruption class, then per-CPU words. */
#define LC_SAVE_RESTART		0x200
#define LC_SAVE_EXT		0x280
#define LC_SAVE_SVC		0x300
#define LC_SAVE_PGM		0x380
#define LC_SAVE_MCCK		0x400
#define LC_SAVE_IO		0x480
#define LC_CPU_NR		0x500	/* port: lib's number of this CPU */
#define LC_STACK_TOP		0x508	/* port: where a restart starts its stack */
#define LC_PGM_DEPTH		0x510	/* port: program checks being handled */
/* port: the PSW each class's handler returns with, past low-address protection's 0-511 */
#define LC_RETURN_PSW(class)	(0x520 + 16 * (class))

/* The store-status area (PoP 4.9.1 "Store Status"), relative to its start. */
#define SS_FPRS			0x000
#define SS_GPRS			0x080
#define SS_PSW			0x100
#define SS_PREFIX		0x118
#define SS_FPC			0x11c
#define SS_TOD_PROG		0x124
#define SS_CPU_TIMER		0x128
#define SS_CLOCK_COMP		0x130
#define SS_ACRS			0x140
#define SS_CRS			0x180
#define SS_SIZE			0x200
#define LC_STORE_STATUS		0x1200	/* where STOP AND STORE STATUS puts it */

#define LOWCORE_SIZE		0x2000

/*
 * Where DAT maps real address 0 (mmu.c): this CPU's lowcore, prefixing
 * applied, for code running with DAT on (page 0 itself is unmapped).
 */
#define LOWCORE_VIRT		0x7ff000000000UL

#ifndef __ASSEMBLER__
#include "libc.h"
#include "asm/psw.h"

/* The store-status area, at LC_STORE_STATUS or where SIGP STORE STATUS AT ADDRESS puts it. */
struct store_status {
	uint64_t fprs[16];
	uint64_t gprs[16];
	struct psw psw;
	uint8_t pad_0x110[8];
	uint32_t prefix;
	uint32_t fpc;
	uint8_t pad_0x120[4];
	uint32_t tod_prog;
	uint64_t cpu_timer;
	uint64_t clock_comp;
	uint8_t pad_0x138[8];
	uint32_t acrs[16];
	uint64_t crs[16];
};

_Static_assert(sizeof(struct store_status) == SS_SIZE, "store-status layout");

/*
 * This CPU's lowcore: real address 0 with DAT off (interruption handlers),
 * LOWCORE_VIRT with DAT on.
 */
static inline uint8_t *lowcore(void)
{
	uint8_t sm;

	asm volatile("stosm %0,0" : "=Q"(sm));
	return (uint8_t *)(sm & 0x04 ? LOWCORE_VIRT : 0);
}
#endif

#endif
