/* SPDX-License-Identifier: MIT */
/* Control, debug and flags register bits (SDM vol. 3, 2.5 and 17.2). */
#ifndef X86_ASM_CR_H
#define X86_ASM_CR_H

#define X86_CR0_PE	(1UL << 0)
#define X86_CR0_MP	(1UL << 1)
#define X86_CR0_EM	(1UL << 2)
#define X86_CR0_TS	(1UL << 3)
#define X86_CR0_ET	(1UL << 4)
#define X86_CR0_NE	(1UL << 5)
#define X86_CR0_WP	(1UL << 16)
#define X86_CR0_AM	(1UL << 18)
#define X86_CR0_NW	(1UL << 29)
#define X86_CR0_CD	(1UL << 30)
#define X86_CR0_PG	(1UL << 31)

#define X86_CR4_VME		(1UL << 0)
#define X86_CR4_PVI		(1UL << 1)
#define X86_CR4_TSD		(1UL << 2)
#define X86_CR4_DE		(1UL << 3)
#define X86_CR4_PSE		(1UL << 4)
#define X86_CR4_PAE		(1UL << 5)
#define X86_CR4_MCE		(1UL << 6)
#define X86_CR4_PGE		(1UL << 7)
#define X86_CR4_PCE		(1UL << 8)
#define X86_CR4_OSFXSR		(1UL << 9)
#define X86_CR4_OSXMMEXCPT	(1UL << 10)
#define X86_CR4_UMIP		(1UL << 11)
#define X86_CR4_LA57		(1UL << 12)
#define X86_CR4_VMXE		(1UL << 13)
#define X86_CR4_SMXE		(1UL << 14)
#define X86_CR4_FSGSBASE	(1UL << 16)
#define X86_CR4_PCIDE		(1UL << 17)
#define X86_CR4_OSXSAVE		(1UL << 18)
#define X86_CR4_SMEP		(1UL << 20)
#define X86_CR4_SMAP		(1UL << 21)
#define X86_CR4_PKE		(1UL << 22)

#define X86_EFLAGS_CF	(1UL << 0)
#define X86_EFLAGS_FIXED (1UL << 1)
#define X86_EFLAGS_TF	(1UL << 8)
#define X86_EFLAGS_IF	(1UL << 9)
#define X86_EFLAGS_DF	(1UL << 10)
#define X86_EFLAGS_OF	(1UL << 11)
#define X86_EFLAGS_IOPL	(3UL << 12)
#define X86_EFLAGS_RF	(1UL << 16)
#define X86_EFLAGS_AC	(1UL << 18)

#define DR6_B(n)	(1UL << (n))
#define DR6_BD		(1UL << 13)
#define DR6_BS		(1UL << 14)
#define DR6_RTM		(1UL << 16)
#define DR6_INIT	0xffff0ff0UL	/* value after reset, SDM 17.2.3 */
#define DR7_FIXED	0x00000400UL
#define DR7_L(n)	(1UL << ((n) * 2))
#define DR7_G(n)	(1UL << ((n) * 2 + 1))
#define DR7_GD		(1UL << 13)
/* R/W and LEN for breakpoint n: rw 0 = exec, 1 = write, 3 = read/write. */
#define DR7_RW(n, rw)	((unsigned long)(rw) << (16 + (n) * 4))
#define DR7_LEN(n, l)	((unsigned long)(l) << (18 + (n) * 4))

#endif
