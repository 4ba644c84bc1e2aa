/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX numbers (SDM vol. 3C, chapters 25-28 and appendices A-C): the
 * capability MSRs, VMCS field encodings, control bits, exit reasons,
 * exit-qualification and interruption-information formats, EPT entries.
 * Only definitions; lib/x86/vmx.h holds the code's interface.
 */
#ifndef LIB_X86_VMX_DEFS_H
#define LIB_X86_VMX_DEFS_H

#ifndef __ASSEMBLER__
#include "libc.h"
#endif

/* ---- capability MSRs (SDM vol. 3D, appendix A) ---- */
#define MSR_IA32_VMX_BASIC		0x480
#define MSR_IA32_VMX_PINBASED_CTLS	0x481
#define MSR_IA32_VMX_PROCBASED_CTLS	0x482
#define MSR_IA32_VMX_EXIT_CTLS		0x483
#define MSR_IA32_VMX_ENTRY_CTLS		0x484
#define MSR_IA32_VMX_MISC		0x485
#define MSR_IA32_VMX_CR0_FIXED0		0x486
#define MSR_IA32_VMX_CR0_FIXED1		0x487
#define MSR_IA32_VMX_CR4_FIXED0		0x488
#define MSR_IA32_VMX_CR4_FIXED1		0x489
#define MSR_IA32_VMX_VMCS_ENUM		0x48a
#define MSR_IA32_VMX_PROCBASED_CTLS2	0x48b
#define MSR_IA32_VMX_EPT_VPID_CAP	0x48c
#define MSR_IA32_VMX_TRUE_PINBASED_CTLS	0x48d
#define MSR_IA32_VMX_TRUE_PROCBASED_CTLS 0x48e
#define MSR_IA32_VMX_TRUE_EXIT_CTLS	0x48f
#define MSR_IA32_VMX_TRUE_ENTRY_CTLS	0x490
#define MSR_IA32_VMX_VMFUNC		0x491

#define VMX_BASIC_REVISION(b)		((uint32_t)(b) & 0x7fffffff)
#define VMX_BASIC_VMCS_SIZE(b)		((uint32_t)((b) >> 32) & 0x1fff)
#define VMX_BASIC_PHYS32		BIT_ULL(48)
#define VMX_BASIC_MEMTYPE(b)		((uint32_t)((b) >> 50) & 0xf)
#define VMX_BASIC_INS_OUTS		BIT_ULL(54)
#define VMX_BASIC_TRUE_CTLS		BIT_ULL(55)

#define VMX_MISC_TIMER_RATE(m)		((unsigned int)(m) & 0x1f)
#define VMX_MISC_STORE_LMA		BIT_ULL(5)
#define VMX_MISC_ACT_HLT		BIT_ULL(6)
#define VMX_MISC_ACT_SHUTDOWN		BIT_ULL(7)
#define VMX_MISC_ACT_WAIT_SIPI		BIT_ULL(8)
#define VMX_MISC_CR3_TARGETS(m)		((unsigned int)((m) >> 16) & 0x1ff)
#define VMX_MISC_MSR_LIST_MAX(m)	(512 * (1 + ((unsigned int)((m) >> 25) & 7)))
#define VMX_MISC_VMWRITE_ANY		BIT_ULL(29)
#define VMX_MISC_INJECT_LEN0		BIT_ULL(30)

/* IA32_VMX_EPT_VPID_CAP */
#define VMX_EPT_EXEC_ONLY		BIT_ULL(0)
#define VMX_EPT_WALK4			BIT_ULL(6)
#define VMX_EPT_UC			BIT_ULL(8)
#define VMX_EPT_WB			BIT_ULL(14)
#define VMX_EPT_2M			BIT_ULL(16)
#define VMX_EPT_1G			BIT_ULL(17)
#define VMX_EPT_INVEPT			BIT_ULL(20)
#define VMX_EPT_AD			BIT_ULL(21)
#define VMX_EPT_INVEPT_SINGLE		BIT_ULL(25)
#define VMX_EPT_INVEPT_ALL		BIT_ULL(26)
#define VMX_VPID_INVVPID		BIT_ULL(32)
#define VMX_VPID_INVVPID_ADDR		BIT_ULL(40)
#define VMX_VPID_INVVPID_SINGLE		BIT_ULL(41)
#define VMX_VPID_INVVPID_ALL		BIT_ULL(42)
#define VMX_VPID_INVVPID_SINGLE_NG	BIT_ULL(43)

/* INVEPT and INVVPID types (vol. 2B/3C INVEPT, INVVPID). */
#define INVEPT_SINGLE			1
#define INVEPT_ALL			2
#define INVVPID_ADDR			0
#define INVVPID_SINGLE			1
#define INVVPID_ALL			2
#define INVVPID_SINGLE_NG		3

/* ---- VMCS fields (appendix B): width in bits 14:13, type in 11:10 ---- */
/* 16-bit */
#define VMCS_VPID			0x0000
#define VMCS_EPTP_INDEX			0x0004
#define VMCS_GUEST_ES_SEL		0x0800	/* ES CS SS DS FS GS LDTR TR, +2 each */
#define VMCS_GUEST_CS_SEL		0x0802
#define VMCS_GUEST_SS_SEL		0x0804
#define VMCS_GUEST_DS_SEL		0x0806
#define VMCS_GUEST_FS_SEL		0x0808
#define VMCS_GUEST_GS_SEL		0x080a
#define VMCS_GUEST_LDTR_SEL		0x080c
#define VMCS_GUEST_TR_SEL		0x080e
#define VMCS_HOST_ES_SEL		0x0c00	/* ES CS SS DS FS GS TR, +2 each */
#define VMCS_HOST_CS_SEL		0x0c02
#define VMCS_HOST_SS_SEL		0x0c04
#define VMCS_HOST_DS_SEL		0x0c06
#define VMCS_HOST_FS_SEL		0x0c08
#define VMCS_HOST_GS_SEL		0x0c0a
#define VMCS_HOST_TR_SEL		0x0c0c
/* 64-bit (the "high" half of each at encoding + 1) */
#define VMCS_IO_BITMAP_A		0x2000
#define VMCS_IO_BITMAP_B		0x2002
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_EXIT_MSR_LOAD_ADDR		0x2008
#define VMCS_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_VAPIC_ADDR			0x2012
#define VMCS_APIC_ACCESS_ADDR		0x2014
#define VMCS_VMFUNC_CTLS		0x2018
#define VMCS_EPTP			0x201a
#define VMCS_EPTP_LIST			0x2024
#define VMCS_VMREAD_BITMAP		0x2026
#define VMCS_VMWRITE_BITMAP		0x2028
#define VMCS_VE_INFO_ADDR		0x202a
#define VMCS_GUEST_PHYS_ADDR		0x2400
#define VMCS_LINK_PTR			0x2800
#define VMCS_GUEST_DEBUGCTL		0x2802
#define VMCS_GUEST_PAT			0x2804
#define VMCS_GUEST_EFER			0x2806
#define VMCS_GUEST_PDPTE0		0x280a
#define VMCS_HOST_PAT			0x2c00
#define VMCS_HOST_EFER			0x2c02
/* 32-bit */
#define VMCS_PIN_CTLS			0x4000
#define VMCS_PROC_CTLS			0x4002
#define VMCS_EXC_BITMAP			0x4004
#define VMCS_PF_ERR_MASK		0x4006
#define VMCS_PF_ERR_MATCH		0x4008
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_EXIT_CTLS			0x400c
#define VMCS_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_ENTRY_CTLS			0x4012
#define VMCS_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_ENTRY_INTR_INFO		0x4016
#define VMCS_ENTRY_EXC_ERROR		0x4018
#define VMCS_ENTRY_INSN_LEN		0x401a
#define VMCS_TPR_THRESHOLD		0x401c
#define VMCS_PROC_CTLS2			0x401e
#define VMCS_PLE_GAP			0x4020
#define VMCS_PLE_WINDOW			0x4022
#define VMCS_INSN_ERROR			0x4400
#define VMCS_EXIT_REASON		0x4402
#define VMCS_EXIT_INTR_INFO		0x4404
#define VMCS_EXIT_INTR_ERROR		0x4406
#define VMCS_IDT_VECTORING_INFO		0x4408
#define VMCS_IDT_VECTORING_ERROR	0x440a
#define VMCS_EXIT_INSN_LEN		0x440c
#define VMCS_EXIT_INSN_INFO		0x440e
#define VMCS_GUEST_ES_LIMIT		0x4800	/* ES CS SS DS FS GS LDTR TR, +2 each */
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR		0x4814	/* ES CS SS DS FS GS LDTR TR, +2 each */
#define VMCS_GUEST_CS_AR		0x4816
#define VMCS_GUEST_SS_AR		0x4818
#define VMCS_GUEST_TR_AR		0x4822
#define VMCS_GUEST_INTERRUPTIBILITY	0x4824
#define VMCS_GUEST_ACTIVITY		0x4826
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_PREEMPT_TIMER		0x482e
#define VMCS_HOST_SYSENTER_CS		0x4c00
/* natural width */
#define VMCS_CR0_MASK			0x6000
#define VMCS_CR4_MASK			0x6002
#define VMCS_CR0_SHADOW			0x6004
#define VMCS_CR4_SHADOW			0x6006
#define VMCS_CR3_TARGET(n)		(0x6008 + 2 * (n))
#define VMCS_EXIT_QUAL			0x6400
#define VMCS_GUEST_LINEAR_ADDR		0x640a
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806	/* ES CS SS DS FS GS LDTR TR, +2 each */
#define VMCS_GUEST_CS_BASE		0x6808
#define VMCS_GUEST_TR_BASE		0x6814
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG		0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_SYSENTER_ESP		0x6c10
#define VMCS_HOST_SYSENTER_EIP		0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16

/* Guest segment n (0 ES .. 7 TR) of a field group (selector, limit, AR, base). */
#define VMCS_SEG(group, n)		((group) + 2 * (n))

/* ---- execution controls (SDM 25.6) ---- */
/* pin-based */
#define PIN_EXT_INTR			BIT(0)
#define PIN_NMI				BIT(3)
#define PIN_VIRT_NMI			BIT(5)
#define PIN_PREEMPT_TIMER		BIT(6)
#define PIN_POSTED_INTR			BIT(7)
/* primary processor-based */
#define PROC_INTR_WINDOW		BIT(2)
#define PROC_TSC_OFFSET			BIT(3)
#define PROC_HLT			BIT(7)
#define PROC_INVLPG			BIT(9)
#define PROC_MWAIT			BIT(10)
#define PROC_RDPMC			BIT(11)
#define PROC_RDTSC			BIT(12)
#define PROC_CR3_LOAD			BIT(15)
#define PROC_CR3_STORE			BIT(16)
#define PROC_CR8_LOAD			BIT(19)
#define PROC_CR8_STORE			BIT(20)
#define PROC_TPR_SHADOW			BIT(21)
#define PROC_NMI_WINDOW			BIT(22)
#define PROC_MOV_DR			BIT(23)
#define PROC_IO_UNCOND			BIT(24)
#define PROC_IO_BITMAPS			BIT(25)
#define PROC_MTF			BIT(27)
#define PROC_MSR_BITMAPS		BIT(28)
#define PROC_MONITOR			BIT(29)
#define PROC_PAUSE			BIT(30)
#define PROC_SECONDARY			BIT(31)
/* secondary processor-based */
#define PROC2_VIRT_APIC_ACCESS		BIT(0)
#define PROC2_EPT			BIT(1)
#define PROC2_DESC_TABLE		BIT(2)
#define PROC2_RDTSCP			BIT(3)
#define PROC2_VIRT_X2APIC		BIT(4)
#define PROC2_VPID			BIT(5)
#define PROC2_WBINVD			BIT(6)
#define PROC2_UNRESTRICTED		BIT(7)
#define PROC2_APIC_REG_VIRT		BIT(8)
#define PROC2_VINTR_DELIVERY		BIT(9)
#define PROC2_PAUSE_LOOP		BIT(10)
#define PROC2_RDRAND			BIT(11)
#define PROC2_INVPCID			BIT(12)
#define PROC2_VMFUNC			BIT(13)
#define PROC2_VMCS_SHADOW		BIT(14)
#define PROC2_RDSEED			BIT(16)
#define PROC2_EPT_VE			BIT(18)
#define PROC2_XSAVES			BIT(20)
/* VM-exit controls (25.7.1) */
#define EXIT_SAVE_DEBUG			BIT(2)
#define EXIT_HOST_64			BIT(9)
#define EXIT_ACK_INTR			BIT(15)
#define EXIT_SAVE_PAT			BIT(18)
#define EXIT_LOAD_PAT			BIT(19)
#define EXIT_SAVE_EFER			BIT(20)
#define EXIT_LOAD_EFER			BIT(21)
#define EXIT_SAVE_PREEMPT		BIT(22)
/* VM-entry controls (25.8.1) */
#define ENTRY_LOAD_DEBUG		BIT(2)
#define ENTRY_GUEST_64			BIT(9)
#define ENTRY_SMM			BIT(10)
#define ENTRY_DUAL_MONITOR		BIT(11)
#define ENTRY_LOAD_PAT			BIT(14)
#define ENTRY_LOAD_EFER			BIT(15)

/* VM-function controls */
#define VMFUNC_EPTP_SWITCH		BIT_ULL(0)

/* ---- guest non-register state (25.4.2) ---- */
#define ACTIVITY_ACTIVE			0
#define ACTIVITY_HLT			1
#define ACTIVITY_SHUTDOWN		2
#define ACTIVITY_WAIT_SIPI		3
#define INTR_BLOCK_STI			BIT(0)
#define INTR_BLOCK_MOV_SS		BIT(1)
#define INTR_BLOCK_SMI			BIT(2)
#define INTR_BLOCK_NMI			BIT(3)

/* ---- exit reasons (appendix C) ---- */
#define EXIT_EXCEPTION			0
#define EXIT_EXT_INTR			1
#define EXIT_TRIPLE_FAULT		2
#define EXIT_INIT			3
#define EXIT_SIPI			4
#define EXIT_INTR_WINDOW		7
#define EXIT_NMI_WINDOW			8
#define EXIT_TASK_SWITCH		9
#define EXIT_CPUID			10
#define EXIT_GETSEC			11
#define EXIT_HLT			12
#define EXIT_INVD			13
#define EXIT_INVLPG			14
#define EXIT_RDPMC			15
#define EXIT_RDTSC			16
#define EXIT_RSM			17
#define EXIT_VMCALL			18
#define EXIT_VMCLEAR			19
#define EXIT_VMLAUNCH			20
#define EXIT_VMPTRLD			21
#define EXIT_VMPTRST			22
#define EXIT_VMREAD			23
#define EXIT_VMRESUME			24
#define EXIT_VMWRITE			25
#define EXIT_VMXOFF			26
#define EXIT_VMXON			27
#define EXIT_CR_ACCESS			28
#define EXIT_DR_ACCESS			29
#define EXIT_IO				30
#define EXIT_RDMSR			31
#define EXIT_WRMSR			32
#define EXIT_INVALID_GUEST		33
#define EXIT_MSR_LOAD_FAIL		34
#define EXIT_MWAIT			36
#define EXIT_MTF			37
#define EXIT_MONITOR			39
#define EXIT_PAUSE			40
#define EXIT_MACHINE_CHECK		41
#define EXIT_TPR_BELOW			43
#define EXIT_APIC_ACCESS		44
#define EXIT_EOI_INDUCED		45
#define EXIT_GDTR_IDTR			46
#define EXIT_LDTR_TR			47
#define EXIT_EPT_VIOLATION		48
#define EXIT_EPT_MISCONFIG		49
#define EXIT_INVEPT			50
#define EXIT_RDTSCP			51
#define EXIT_PREEMPT_TIMER		52
#define EXIT_INVVPID			53
#define EXIT_WBINVD			54
#define EXIT_XSETBV			55
#define EXIT_APIC_WRITE			56
#define EXIT_RDRAND			57
#define EXIT_INVPCID			58
#define EXIT_VMFUNC			59
#define EXIT_ENCLS			60
#define EXIT_RDSEED			61
#define EXIT_PML_FULL			62
#define EXIT_XSAVES			63
#define EXIT_XRSTORS			64

#define EXIT_REASON_BASIC(r)		((uint32_t)(r) & 0xffff)
#define EXIT_REASON_ENCLAVE		BIT(27)
#define EXIT_REASON_PENDING_MTF		BIT(28)
#define EXIT_REASON_FROM_ROOT		BIT(29)
#define EXIT_REASON_ENTRY_FAIL		BIT(31)

/* ---- VM-instruction error numbers (31.4, table 31-1) ---- */
#define VMXERR_VMCALL_ROOT		1
#define VMXERR_VMCLEAR_ADDR		2
#define VMXERR_VMCLEAR_VMXON		3
#define VMXERR_VMLAUNCH_NOT_CLEAR	4
#define VMXERR_VMRESUME_NOT_LAUNCHED	5
#define VMXERR_VMRESUME_AFTER_VMXOFF	6
#define VMXERR_ENTRY_CONTROLS		7
#define VMXERR_ENTRY_HOST_STATE		8
#define VMXERR_VMPTRLD_ADDR		9
#define VMXERR_VMPTRLD_VMXON		10
#define VMXERR_VMPTRLD_REVISION		11
#define VMXERR_UNSUPPORTED_FIELD	12
#define VMXERR_VMWRITE_READ_ONLY	13
#define VMXERR_VMXON_ROOT		15
#define VMXERR_ENTRY_MOV_SS		26
#define VMXERR_INVEPT_INVVPID_OPERAND	28

/* ---- interruption information (VM-entry 25.8.3, VM-exit 25.9.2, IDT vectoring) ---- */
#define INTR_INFO_VECTOR(i)		((i) & 0xff)
#define INTR_INFO_TYPE(i)		(((i) >> 8) & 7)
#define INTR_TYPE_EXT_INTR		0
#define INTR_TYPE_NMI			2
#define INTR_TYPE_HW_EXC		3
#define INTR_TYPE_SW_INTR		4
#define INTR_TYPE_PRIV_SW_EXC		5
#define INTR_TYPE_SW_EXC		6
#define INTR_TYPE_OTHER			7
#define INTR_INFO_ERROR_CODE		BIT(11)
#define INTR_INFO_NMI_UNBLOCK		BIT(12)
#define INTR_INFO_VALID			BIT(31)
#define INTR_INFO(type, vector)		(INTR_INFO_VALID | (type) << 8 | (vector))

/* ---- exit qualifications (27.2.1) ---- */
/* control-register accesses (table 28-3) */
#define CRQ_CR(q)			((q) & 0xf)
#define CRQ_TYPE(q)			(((q) >> 4) & 3)
#define CRQ_MOV_TO_CR			0
#define CRQ_MOV_FROM_CR			1
#define CRQ_CLTS			2
#define CRQ_LMSW			3
#define CRQ_LMSW_MEM			BIT(6)
#define CRQ_GPR(q)			(((q) >> 8) & 0xf)
#define CRQ_LMSW_DATA(q)		(((q) >> 16) & 0xffff)
/* MOV DR (table 28-4) */
#define DRQ_DR(q)			((q) & 7)
#define DRQ_FROM_DR			BIT(4)
#define DRQ_GPR(q)			(((q) >> 8) & 0xf)
/* I/O instructions (table 28-5) */
#define IOQ_SIZE(q)			(((q) & 7) + 1)
#define IOQ_IN				BIT(3)
#define IOQ_STRING			BIT(4)
#define IOQ_REP				BIT(5)
#define IOQ_IMM				BIT(6)
#define IOQ_PORT(q)			(((q) >> 16) & 0xffff)
/* EPT violations (table 28-7) */
#define EPTQ_READ			BIT(0)
#define EPTQ_WRITE			BIT(1)
#define EPTQ_FETCH			BIT(2)
#define EPTQ_READABLE			BIT(3)
#define EPTQ_WRITABLE			BIT(4)
#define EPTQ_EXECUTABLE			BIT(5)
#define EPTQ_GLA_VALID			BIT(7)
#define EPTQ_FINAL			BIT(8)
#define EPTQ_NMI_UNBLOCK		BIT(12)
/* #DB (table 28-1): the DR6 bits of the debug exception */
#define DBQ_B(n)			BIT(n)
#define DBQ_BD				BIT(13)
#define DBQ_BS				BIT(14)

/* ---- EPT entries (29.3.2) ---- */
#define EPT_R				BIT_ULL(0)
#define EPT_W				BIT_ULL(1)
#define EPT_X				BIT_ULL(2)
#define EPT_MT(t)			((uint64_t)(t) << 3)
#define EPT_MT_MASK			EPT_MT(7)
#define EPT_IGNORE_PAT			BIT_ULL(6)
#define EPT_LEAF			BIT_ULL(7)
#define EPT_A				BIT_ULL(8)
#define EPT_D				BIT_ULL(9)
#define EPT_SUPPRESS_VE			BIT_ULL(63)
#define EPT_ADDR			0x000ffffffffff000ULL
#define MT_UC				0
#define MT_WB				6
/* EPTP (25.6.11) */
#define EPTP_MT_WB			6ULL
#define EPTP_WALK4			(3ULL << 3)
#define EPTP_AD				BIT_ULL(6)

#endif
