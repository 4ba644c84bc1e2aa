/* SPDX-License-Identifier: MIT */
/*
 * Local APIC registers and access in xAPIC and x2APIC modes (SDM vol. 3A,
 * chapter 11; AMD APM vol. 2, chapter 16). Register offsets are the xAPIC
 * MMIO offsets; in x2APIC mode register @reg is MSR 0x800 + (@reg >> 4).
 */
#ifndef X86_ASM_APIC_H
#define X86_ASM_APIC_H

#include "libc.h"
#include "exinfo.h"

#define APIC_DEFAULT_BASE	0xfee00000UL

#define APIC_ID		0x020
#define APIC_LVR	0x030
#define  APIC_LVR_VERSION(v)	((v) & 0xff)
#define  APIC_LVR_MAXLVT(v)	(((v) >> 16) & 0xff)
#define  APIC_LVR_DIRECTED_EOI	(1U << 24)	/* EOI-broadcast suppression */
#define APIC_TASKPRI	0x080
#define APIC_ARBPRI	0x090	/* xAPIC only */
#define APIC_PROCPRI	0x0a0
#define APIC_EOI	0x0b0
#define APIC_RRR	0x0c0	/* remote read, xAPIC only */
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0	/* xAPIC only */
#define  APIC_DFR_FLAT		0xffffffffU
#define  APIC_DFR_CLUSTER	0x0fffffffU
#define APIC_SPIV	0x0f0
#define  APIC_SPIV_ENABLE	(1U << 8)
#define  APIC_SPIV_FOCUS_DISABLED (1U << 9)
#define  APIC_SPIV_DIRECTED_EOI	(1U << 12)	/* suppress EOI broadcasts */
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define  APIC_ESR_SEND_CS	(1U << 0)
#define  APIC_ESR_RECV_CS	(1U << 1)
#define  APIC_ESR_SEND_ACCEPT	(1U << 2)
#define  APIC_ESR_RECV_ACCEPT	(1U << 3)
#define  APIC_ESR_REDIR_IPI	(1U << 4)
#define  APIC_ESR_SEND_ILLEGAL	(1U << 5)
#define  APIC_ESR_RECV_ILLEGAL	(1U << 6)
#define  APIC_ESR_ILLEGAL_REG	(1U << 7)
#define APIC_LVTCMCI	0x2f0
#define APIC_ICR	0x300
#define APIC_ICR2	0x310	/* xAPIC only */
#define APIC_LVTT	0x320
#define APIC_LVTTHMR	0x330
#define APIC_LVTPC	0x340
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0	/* x2APIC only */

/* ICR and LVT delivery modes, bits 10:8. */
#define APIC_DM_FIXED		0x000
#define APIC_DM_LOWEST		0x100
#define APIC_DM_SMI		0x200
#define APIC_DM_NMI		0x400
#define APIC_DM_INIT		0x500
#define APIC_DM_STARTUP		0x600
#define APIC_DM_EXTINT		0x700
#define APIC_DM_MASK		0x700
#define APIC_DEST_LOGICAL	0x800
#define APIC_ICR_BUSY		0x1000
#define APIC_INT_ASSERT		0x4000
#define APIC_INT_LEVELTRIG	0x8000
#define APIC_DEST_SELF		0x40000
#define APIC_DEST_ALLINC	0x80000
#define APIC_DEST_ALLBUT	0xc0000
#define APIC_DEST_SHORTHAND	0xc0000

/* Local vector table entries. */
#define APIC_VECTOR_MASK	0xffU
#define APIC_LVT_PENDING	(1U << 12)	/* delivery status */
#define APIC_LVT_ACTIVE_LOW	(1U << 13)	/* LINT0/LINT1 input polarity */
#define APIC_LVT_REMOTE_IRR	(1U << 14)
#define APIC_LVT_LEVEL		(1U << 15)
#define APIC_LVT_MASKED		(1U << 16)
#define APIC_LVT_TIMER_ONESHOT	(0U << 17)
#define APIC_LVT_TIMER_PERIODIC	(1U << 17)
#define APIC_LVT_TIMER_TSCDEADLINE (2U << 17)
#define APIC_LVT_TIMER_MODE	(3U << 17)

/* Divide configuration register: divide by 2^(n+1), 7 = by 1 (SDM figure 11-10). */
#define APIC_TDCR_BY1		0xb
#define APIC_TDCR_BY2		0x0

enum apic_mode {
	APIC_MODE_DISABLED,	/* EN=0, EXTD=0 */
	APIC_MODE_INVALID,	/* EN=0, EXTD=1: never reached legally */
	APIC_MODE_XAPIC,	/* EN=1, EXTD=0 */
	APIC_MODE_X2APIC,	/* EN=1, EXTD=1 */
};

bool apic_is_x2apic(void);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t val);
/* apic_write() returning the exception an x2APIC-mode WRMSR raised (xAPIC: always 0). */
exinfo_t apic_write_safe(unsigned int reg, uint32_t val);
/* Send an IPI: @icr_lo holds vector, mode and shorthand; @dest an APIC ID. */
void apic_icr_write(uint32_t icr_lo, uint32_t dest);
uint32_t apic_id(void);
void apic_eoi(void);
/* Software-enable this CPU's APIC in its current mode. */
void apic_enable(void);
/* Switch this CPU to x2APIC mode; false when CPUID lacks x2APIC. */
bool apic_enable_x2apic(void);
/* Back to xAPIC mode (through disabled, SDM 11.12.5). */
void apic_reset_to_xapic(void);

/* The mode IA32_APIC_BASE.EN and EXTD select (SDM 11.12.5, figure 11-27). */
enum apic_mode apic_mode(void);

/**
 * apic_set_mode() - write IA32_APIC_BASE.EN and EXTD for @mode, keeping the
 * other bits.
 * Return: the exception the WRMSR raised (0 for none): an illegal
 * transition raises #GP(0).
 */
exinfo_t apic_set_mode(enum apic_mode mode);

/**
 * apic_icr_idle() - wait until the xAPIC ICR's delivery status is idle.
 * Return: false when it still reads "send pending" after about 1 s (x2APIC
 * mode has no delivery status: always true).
 */
bool apic_icr_idle(void);

/* The ICR as one value: destination in bits 63:32 (xAPIC: ICR2 bits 31:24 >> 24). */
uint64_t apic_icr_read(void);

/* Bit @vec of the 256-bit register at @reg (APIC_ISR, APIC_TMR or APIC_IRR). */
bool apic_vec_test(unsigned int reg, unsigned int vec);

/* The highest vector set in the 256-bit register at @reg, or -1 when none is. */
int apic_vec_highest(unsigned int reg);

/* Number of LVT entries, from the version register (max LVT entry + 1). */
unsigned int apic_lvt_count(void);

/* A self-IPI of fixed vector @vec (ICR shorthand "self", or SELF_IPI in x2APIC mode). */
void apic_self_ipi(unsigned int vec);

/**
 * apic_args_mode() - the APIC mode the test's arguments ask for:
 * "apic=x2apic" runs every CPU in x2APIC mode (switched at the first call,
 * on all CPUs), "apic=xapic" or nothing in xAPIC mode. For a subtest's
 * needs predicate.
 * Return: NULL when every CPU is in that mode, else why not ("x2APIC not
 * supported").
 */
const char *apic_args_mode(void);

/* The mode apic_args_mode() put every CPU in: APIC_MODE_XAPIC or APIC_MODE_X2APIC. */
enum apic_mode apic_test_mode(void);

/* The logical ID an x2APIC derives from x2APIC ID @id (SDM 11.12.10.2). */
static inline uint32_t x2apic_ldr(uint32_t id)
{
	return (id >> 4) << 16 | 1U << (id & 0xf);
}

#endif
