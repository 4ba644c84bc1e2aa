/* SPDX-License-Identifier: MIT */
/* Local APIC registers and access in xAPIC and x2APIC modes (SDM vol. 3, ch. 11). */
#ifndef X86_ASM_APIC_H
#define X86_ASM_APIC_H

#include "libc.h"

#define APIC_DEFAULT_BASE	0xfee00000UL

#define APIC_ID		0x020
#define APIC_LVR	0x030
#define APIC_TASKPRI	0x080
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SPIV	0x0f0
#define  APIC_SPIV_ENABLE	(1U << 8)
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR2	0x310
#define APIC_LVTT	0x320
#define APIC_LVT0	0x350
#define APIC_LVT1	0x360
#define APIC_LVTERR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0	/* x2APIC only */

#define APIC_DM_FIXED		0x000
#define APIC_DM_SMI		0x200
#define APIC_DM_NMI		0x400
#define APIC_DM_INIT		0x500
#define APIC_DM_STARTUP		0x600
#define APIC_ICR_BUSY		0x1000
#define APIC_INT_ASSERT		0x4000
#define APIC_INT_LEVELTRIG	0x8000
#define APIC_DEST_SELF		0x40000
#define APIC_DEST_ALLINC	0x80000
#define APIC_DEST_ALLBUT	0xc0000
#define APIC_LVT_MASKED		(1U << 16)

bool apic_is_x2apic(void);
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t val);
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

#endif
