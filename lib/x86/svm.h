/* SPDX-License-Identifier: MIT */
/*
 * AMD SVM (AMD APM vol. 2, chapter 15): feature detection, the VMCB
 * (appendix B), VMRUN round trips, ASIDs, event injection, nested page
 * tables and exit-code decoding.
 *
 * A guest runs in the host's address space (same CR3, same GDT/IDT, CPL0,
 * long mode) on its own stack: svm_guest_create() builds a VMCB from the
 * current CPU's state whose RIP enters fn(arg); when fn returns, the guest
 * executes VMMCALL (again and again if resumed). svm_run() does one VMRUN
 * and returns the exit code; the VMCB and struct svm_gprs hold the guest
 * state afterwards.
 */
#ifndef LIB_X86_SVM_H
#define LIB_X86_SVM_H

/* struct svm_guest layout for svm_entry.S: the GPRs follow the VMCB page. */
#define SVM_GPRS_OFFSET		4096
#define SVM_GPR(n)		(SVM_GPRS_OFFSET + 8 * (n))
/* Order of struct svm_gprs. */
#define SVM_RBX		0
#define SVM_RCX		1
#define SVM_RDX		2
#define SVM_RBP		3
#define SVM_RSI		4
#define SVM_RDI		5
#define SVM_R8		6
#define SVM_R9		7
#define SVM_R10		8
#define SVM_R11		9
#define SVM_R12		10
#define SVM_R13		11
#define SVM_R14		12
#define SVM_R15		13
#define SVM_HOST_RSP_BEFORE	14	/* RSP right before VMRUN */
#define SVM_HOST_RSP_AFTER	15	/* RSP right after #VMEXIT */

#ifndef __ASSEMBLER__
#include "libc.h"
#include "asm/msr.h"
#include "vm.h"

/* CPUID Fn8000_000A (APM vol. 3, E.4.9), read once by svm_caps(). */
struct svm_caps {
	bool svm;		/* Fn8000_0001_ECX[2] */
	bool disabled;		/* VM_CR.SVMDIS: present but locked off by firmware */
	uint32_t revision;	/* EAX[7:0] */
	uint32_t nasid;		/* EBX: number of ASIDs */
	uint32_t edx;		/* the raw feature bits below */
	bool npt, lbrv, svml, nrips, tsc_rate, vmcb_clean, flush_by_asid, decode_assists;
	bool pause_filter, pause_threshold, avic, vmsave_virt, vgif, vnmi;
};

const struct svm_caps *svm_caps(void);

/* NULL when SVM can be used here, else why not ("SVM not supported"). */
const char *svm_needs(void);

/* ---- VMCB, APM vol. 2 appendix B ---- */

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;	/* descriptor bits 47:40 in 7:0, bits 55:52 in 11:8 */
	uint32_t limit;
	uint64_t base;
} __packed;

/* Table B-1: control area, offsets 0x000-0x3ff. */
struct vmcb_control {
	uint32_t intercept_cr;		/* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;		/* 0x004: reads 15:0, writes 31:16 */
	uint32_t intercept_exceptions;	/* 0x008 */
	uint32_t intercept[3];		/* 0x00c-0x017: SVM_INTERCEPT_* */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_thresh;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved_05d[3];
	uint64_t int_ctl;		/* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	uint64_t int_state;		/* 0x068: interrupt shadow, guest IF */
	uint64_t exit_code;		/* 0x070 */
	uint64_t exit_info_1;		/* 0x078 */
	uint64_t exit_info_2;		/* 0x080 */
	uint64_t exit_int_info;		/* 0x088 */
	uint64_t nested_ctl;		/* 0x090: NP_ENABLE bit 0 */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_gpa;		/* 0x0a0 */
	uint64_t event_inj;		/* 0x0a8 */
	uint64_t nested_cr3;		/* 0x0b0 */
	uint64_t virt_ext;		/* 0x0b8: LBR virtualization bit 0 */
	uint32_t clean;			/* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;		/* 0x0c8 */
	uint8_t insn_len;		/* 0x0d0 */
	uint8_t insn_bytes[15];		/* 0x0d1 */
	uint64_t avic_backing_page;	/* 0x0e0 */
	uint8_t reserved_0e8[8];
	uint64_t avic_logical_id;	/* 0x0f0 */
	uint64_t avic_physical_id;	/* 0x0f8 */
	uint8_t reserved_100[8];
	uint64_t vmsa_pa;		/* 0x108 */
	uint8_t reserved_110[0x400 - 0x110];
} __packed;

/* Table B-2: state save area, offsets from 0x400. */
struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs;	/* 0x400-0x45f */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460-0x49f */
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;			/* 0x4cb */
	uint32_t reserved_4cc;
	uint64_t efer;			/* 0x4d0 */
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;			/* 0x548 */
	uint64_t cr3;			/* 0x550 */
	uint64_t cr0;			/* 0x558 */
	uint64_t dr7;			/* 0x560 */
	uint64_t dr6;			/* 0x568 */
	uint64_t rflags;		/* 0x570 */
	uint64_t rip;			/* 0x578 */
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;			/* 0x5d8 */
	uint64_t s_cet, ssp, isst_addr;	/* 0x5e0 */
	uint64_t rax;			/* 0x5f8 */
	uint64_t star;			/* 0x600 */
	uint64_t lstar;			/* 0x608 */
	uint64_t cstar;			/* 0x610 */
	uint64_t sfmask;		/* 0x618 */
	uint64_t kernel_gs_base;	/* 0x620 */
	uint64_t sysenter_cs;		/* 0x628 */
	uint64_t sysenter_esp;		/* 0x630 */
	uint64_t sysenter_eip;		/* 0x638 */
	uint64_t cr2;			/* 0x640 */
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;			/* 0x668 */
	uint64_t dbgctl;		/* 0x670 */
	uint64_t br_from;		/* 0x678 */
	uint64_t br_to;			/* 0x680 */
	uint64_t last_excp_from;	/* 0x688 */
	uint64_t last_excp_to;		/* 0x690 */
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
	uint8_t reserved_698[4096 - 0x698];
} __packed;

/* Intercept vectors 3-5 (VMCB 0x00c-0x017) as one bit number each. */
enum svm_intercept {
	SVM_INTERCEPT_INTR, SVM_INTERCEPT_NMI, SVM_INTERCEPT_SMI, SVM_INTERCEPT_INIT,
	SVM_INTERCEPT_VINTR, SVM_INTERCEPT_CR0_SEL_WRITE, SVM_INTERCEPT_IDTR_READ,
	SVM_INTERCEPT_GDTR_READ, SVM_INTERCEPT_LDTR_READ, SVM_INTERCEPT_TR_READ,
	SVM_INTERCEPT_IDTR_WRITE, SVM_INTERCEPT_GDTR_WRITE, SVM_INTERCEPT_LDTR_WRITE,
	SVM_INTERCEPT_TR_WRITE, SVM_INTERCEPT_RDTSC, SVM_INTERCEPT_RDPMC,
	SVM_INTERCEPT_PUSHF, SVM_INTERCEPT_POPF, SVM_INTERCEPT_CPUID, SVM_INTERCEPT_RSM,
	SVM_INTERCEPT_IRET, SVM_INTERCEPT_INTN, SVM_INTERCEPT_INVD, SVM_INTERCEPT_PAUSE,
	SVM_INTERCEPT_HLT, SVM_INTERCEPT_INVLPG, SVM_INTERCEPT_INVLPGA,
	SVM_INTERCEPT_IOIO_PROT, SVM_INTERCEPT_MSR_PROT, SVM_INTERCEPT_TASK_SWITCH,
	SVM_INTERCEPT_FERR_FREEZE, SVM_INTERCEPT_SHUTDOWN,
	/* vector 4 (0x010) */
	SVM_INTERCEPT_VMRUN, SVM_INTERCEPT_VMMCALL, SVM_INTERCEPT_VMLOAD,
	SVM_INTERCEPT_VMSAVE, SVM_INTERCEPT_STGI, SVM_INTERCEPT_CLGI, SVM_INTERCEPT_SKINIT,
	SVM_INTERCEPT_RDTSCP, SVM_INTERCEPT_ICEBP, SVM_INTERCEPT_WBINVD,
	SVM_INTERCEPT_MONITOR, SVM_INTERCEPT_MWAIT, SVM_INTERCEPT_MWAIT_ARMED,
	SVM_INTERCEPT_XSETBV, SVM_INTERCEPT_RDPRU, SVM_INTERCEPT_EFER_WRITE_TRAP,
	/* vector 5 (0x014) */
	SVM_INTERCEPT_INVLPGB = 64, SVM_INTERCEPT_INVLPGB_ILLEGAL, SVM_INTERCEPT_INVPCID,
	SVM_INTERCEPT_MCOMMIT, SVM_INTERCEPT_TLBSYNC,
};

static inline void vmcb_set_intercept(struct vmcb *v, enum svm_intercept i)
{
	v->control.intercept[i / 32] |= 1U << (i % 32);
}

static inline void vmcb_clear_intercept(struct vmcb *v, enum svm_intercept i)
{
	v->control.intercept[i / 32] &= ~(1U << (i % 32));
}

/* Exit codes, APM vol. 2 appendix C (table C-1). */
#define SVM_EXIT_READ_CR(n)	(0x000 + (n))
#define SVM_EXIT_WRITE_CR(n)	(0x010 + (n))
#define SVM_EXIT_READ_DR(n)	(0x020 + (n))
#define SVM_EXIT_WRITE_DR(n)	(0x030 + (n))
#define SVM_EXIT_EXCP(v)	(0x040 + (v))
#define SVM_EXIT_INTR		0x060
#define SVM_EXIT_NMI		0x061
#define SVM_EXIT_SMI		0x062
#define SVM_EXIT_INIT		0x063
#define SVM_EXIT_VINTR		0x064
#define SVM_EXIT_CR0_SEL_WRITE	0x065
#define SVM_EXIT_IDTR_READ	0x066
#define SVM_EXIT_GDTR_READ	0x067
#define SVM_EXIT_LDTR_READ	0x068
#define SVM_EXIT_TR_READ	0x069
#define SVM_EXIT_IDTR_WRITE	0x06a
#define SVM_EXIT_GDTR_WRITE	0x06b
#define SVM_EXIT_LDTR_WRITE	0x06c
#define SVM_EXIT_TR_WRITE	0x06d
#define SVM_EXIT_RDTSC		0x06e
#define SVM_EXIT_RDPMC		0x06f
#define SVM_EXIT_PUSHF		0x070
#define SVM_EXIT_POPF		0x071
#define SVM_EXIT_CPUID		0x072
#define SVM_EXIT_RSM		0x073
#define SVM_EXIT_IRET		0x074
#define SVM_EXIT_SWINT		0x075
#define SVM_EXIT_INVD		0x076
#define SVM_EXIT_PAUSE		0x077
#define SVM_EXIT_HLT		0x078
#define SVM_EXIT_INVLPG		0x079
#define SVM_EXIT_INVLPGA	0x07a
#define SVM_EXIT_IOIO		0x07b
#define SVM_EXIT_MSR		0x07c
#define SVM_EXIT_TASK_SWITCH	0x07d
#define SVM_EXIT_FERR_FREEZE	0x07e
#define SVM_EXIT_SHUTDOWN	0x07f
#define SVM_EXIT_VMRUN		0x080
#define SVM_EXIT_VMMCALL	0x081
#define SVM_EXIT_VMLOAD		0x082
#define SVM_EXIT_VMSAVE		0x083
#define SVM_EXIT_STGI		0x084
#define SVM_EXIT_CLGI		0x085
#define SVM_EXIT_SKINIT		0x086
#define SVM_EXIT_RDTSCP		0x087
#define SVM_EXIT_ICEBP		0x088
#define SVM_EXIT_WBINVD		0x089
#define SVM_EXIT_MONITOR	0x08a
#define SVM_EXIT_MWAIT		0x08b
#define SVM_EXIT_MWAIT_COND	0x08c
#define SVM_EXIT_XSETBV		0x08d
#define SVM_EXIT_RDPRU		0x08e
#define SVM_EXIT_EFER_WRITE_TRAP 0x08f
#define SVM_EXIT_CR_WRITE_TRAP(n) (0x090 + (n))
#define SVM_EXIT_INVLPGB	0x0a0
#define SVM_EXIT_INVLPGB_ILLEGAL 0x0a1
#define SVM_EXIT_INVPCID	0x0a2
#define SVM_EXIT_MCOMMIT	0x0a3
#define SVM_EXIT_TLBSYNC	0x0a4
#define SVM_EXIT_NPF		0x400
#define SVM_EXIT_AVIC_INCOMPLETE_IPI 0x401
#define SVM_EXIT_AVIC_NOACCEL	0x402
#define SVM_EXIT_VMGEXIT	0x403
#define SVM_EXIT_INVALID	((uint64_t)-1)
#define SVM_EXIT_BUSY		((uint64_t)-2)

/* IOIO EXITINFO1 (APM 15.10.2, figure 15-2). */
#define SVM_IOIO_TYPE_IN	BIT(0)
#define SVM_IOIO_STR		BIT(2)
#define SVM_IOIO_REP		BIT(3)
#define SVM_IOIO_SZ8		BIT(4)
#define SVM_IOIO_SZ16		BIT(5)
#define SVM_IOIO_SZ32		BIT(6)
#define SVM_IOIO_A16		BIT(7)
#define SVM_IOIO_A32		BIT(8)
#define SVM_IOIO_A64		BIT(9)
#define SVM_IOIO_SEG(s)		((uint64_t)(s) << 10)	/* 0 ES, 1 CS, 2 SS, 3 DS, 4 FS, 5 GS */
#define SVM_IOIO_PORT(p)	((uint64_t)(p) << 16)

/* EVENTINJ and EXITINTINFO (APM 15.20). */
#define SVM_EVTINJ_VEC(v)	((uint64_t)(v) & 0xff)
#define SVM_EVTINJ_TYPE_INTR	(0ULL << 8)
#define SVM_EVTINJ_TYPE_NMI	(2ULL << 8)
#define SVM_EVTINJ_TYPE_EXCP	(3ULL << 8)
#define SVM_EVTINJ_TYPE_SOFT	(4ULL << 8)
#define SVM_EVTINJ_EV		BIT_ULL(11)	/* error code valid */
#define SVM_EVTINJ_VALID	BIT_ULL(31)
#define SVM_EVTINJ_ERR(ec)	((uint64_t)(uint32_t)(ec) << 32)

/* VMCB bits outside the intercept vectors. */
#define SVM_NESTED_CTL_NP_ENABLE	BIT_ULL(0)
#define SVM_TLB_CONTROL_NONE		0
#define SVM_TLB_CONTROL_FLUSH_ALL	1
#define SVM_TLB_CONTROL_FLUSH_ASID	3
#define SVM_TLB_CONTROL_FLUSH_ASID_LOCAL 7
#define SVM_INT_CTL_V_TPR(t)		((uint64_t)(t) & 0xf)
#define SVM_INT_CTL_V_IRQ		BIT_ULL(8)
#define SVM_INT_CTL_V_GIF		BIT_ULL(9)
#define SVM_INT_CTL_V_INTR_PRIO(p)	(((uint64_t)(p) & 0xf) << 16)
#define SVM_INT_CTL_V_IGN_TPR		BIT_ULL(20)
#define SVM_INT_CTL_V_INTR_MASKING	BIT_ULL(24)
#define SVM_INT_CTL_V_GIF_ENABLE	BIT_ULL(25)
#define SVM_INT_CTL_V_INTR_VECTOR(v)	((uint64_t)(v) << 32)
#define SVM_INT_STATE_SHADOW		BIT_ULL(0)
#define SVM_VIRT_EXT_LBR		BIT_ULL(0)

/* VM_CR bits of chapter 15 (APM 15.30.1); the MSR numbers are in asm/msr.h. */
#define  VM_CR_R_INIT		BIT(1)	/* non-intercepted INIT becomes #SX */

/* ---- guests ---- */

/* Guest GPRs VMRUN leaves alone: all but RAX (save.rax) and RSP (save.rsp). */
struct svm_gprs {
	uint64_t rbx, rcx, rdx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15;
};

/**
 * struct svm_guest - a guest: its VMCB and everything svm_run() needs.
 * @vmcb: page aligned; what VMRUN gets (its physical = virtual address)
 * @gprs: guest GPRs, loaded before VMRUN and stored after #VMEXIT
 * @host_rsp_before, @host_rsp_after: RSP around VMRUN (VMRUN saves the
 *	host's RSP and #VMEXIT restores it, APM 15.5.1 and 15.6)
 * @host_if: run the guest with host RFLAGS.IF=1 (physical interrupts then
 *	exit when intercepted, APM 15.21.1); IF is 0 again when svm_run() returns
 * @stack: the guest stack (nested_stack_alloc())
 */
struct svm_guest {
	struct vmcb vmcb;
	struct svm_gprs gprs;
	uint64_t host_rsp_before, host_rsp_after;
	bool host_if;
	void *stack;
	unsigned int runs;
};

/* Make SVM usable on this CPU: EFER.SVME and a VM_HSAVE_PA page, once per CPU. */
void svm_enable_cpu(void);

/* A fresh ASID in 1..nasid-1 (wraps around; ASID 0 belongs to the host). */
uint32_t svm_asid_alloc(void);

/**
 * svm_guest_create() - a guest that runs fn(arg) on a stack of its own.
 * The VMCB mirrors this CPU's state (segments, descriptor tables, CR0/3/4,
 * EFER, PAT, DR6/7, the MSRs VMSAVE covers) with a fresh ASID, RFLAGS =
 * 0x2 and only VMRUN, VMMCALL and SHUTDOWN intercepted.
 */
struct svm_guest *svm_guest_create(void (*fn)(void *), void *arg);
void svm_guest_free(struct svm_guest *g);

/* Re-point the guest at fn(arg) with an empty stack (RIP, RSP, RDI). */
void svm_guest_set_entry(struct svm_guest *g, void (*fn)(void *), void *arg);

/**
 * svm_run() - one VMRUN on this CPU (enabling SVM on it first).
 * CLGI, VMSAVE of the host's extra state, VMLOAD of the guest's, VMRUN,
 * VMSAVE of the guest's, VMLOAD of the host's, STGI.
 * Return: the exit code (also in g->vmcb.control.exit_code).
 */
uint64_t svm_run(struct svm_guest *g);

/* Resume after an intercepted instruction: RIP = next_rip (NRIPS needed). */
void svm_skip_insn(struct svm_guest *g);

/* EVENTINJ: @type one of SVM_EVTINJ_TYPE_*; @ec used when @has_ec. */
void svm_inject_event(struct svm_guest *g, uint64_t type, int vector, bool has_ec, uint32_t ec);

/*
 * The guest's hypercall loop (svm_entry.S): a guest enters fn at
 * nested_guest_entry (nested.h), which returns here: VMMCALL forever.
 */
extern char svm_guest_vmmcall[];

/* ---- I/O and MSR permission maps (APM 15.10.1, 15.11) ---- */

#define SVM_IOPM_SIZE	0x3000	/* one bit per port, 64K + 3 bits used */
#define SVM_MSRPM_SIZE	0x2000	/* two bits per MSR: read (even), write (odd) */

/* A zeroed IOPM (nothing intercepted), 12 KiB contiguous and page aligned. */
void *svm_iopm_alloc(void);
/* Set or clear the bits of ports [port, port + n), bits past 0xffff included. */
void svm_iopm_set(void *iopm, unsigned int port, unsigned int n, bool intercept);
/* A zeroed MSRPM (nothing intercepted inside the three ranges). */
void *svm_msrpm_alloc(void);
/*
 * Bit number of @msr's read bit in the MSRPM (its write bit follows), or
 * -1 outside 0-0x1fff, 0xc0000000-0xc0001fff and 0xc0010000-0xc0011fff.
 */
long svm_msrpm_bit(uint32_t msr);
/* Intercept reads (@rd) and writes (@wr) of @msr; false when it has no bits. */
bool svm_msrpm_set(void *msrpm, uint32_t msr, bool rd, bool wr);
/* Point the VMCB at a map and set the IOIO_PROT / MSR_PROT intercept. */
void svm_guest_use_iopm(struct svm_guest *g, void *iopm);
void svm_guest_use_msrpm(struct svm_guest *g, void *msrpm);

/* ---- nested paging ---- */

/*
 * An identity nested page table of the first 4 GiB (the top GiB uncached
 * like the host's), built by lib/vm.c: change it with pt_root_map()
 * and friends (with PT_USER). svm_npt_enable() turns NP on in a VMCB.
 */
pt_root_t svm_npt_identity(void);
void svm_npt_enable(struct svm_guest *g, pt_root_t ncr3);

/* ---- decoding and checks ---- */

/* "CPUID" for 0x72, or NULL for codes named by range (CR, DR, exceptions). */
const char *svm_exit_name(uint64_t code);
/* "VMEXIT_CPUID (0x72)" into @buf. */
char *svm_exit_str(uint64_t code, char *buf, size_t len);
/* IOIO EXITINFO1 decoded: "out port 0x80 size 1 a64 seg DS rep str". */
char *svm_ioio_str(uint64_t info1, char *buf, size_t len);

/**
 * svm_report_exit() - check the exit code of the last run.
 * On failure the line shows both codes decoded, EXITINFO1/2 and RIP.
 * Return: whether it matched.
 */
bool svm_report_exit(struct svm_guest *g, uint64_t expected, const char *fmt, ...)
	__printf(3, 4);

/* Raw instructions (APM vol. 3). RAX holds the VMCB address where needed. */
static inline void vmload(uint64_t pa)
{
	asm volatile("vmload %%rax" : : "a"(pa) : "memory");
}

static inline void vmsave(uint64_t pa)
{
	asm volatile("vmsave %%rax" : : "a"(pa) : "memory");
}

static inline void stgi(void)
{
	asm volatile("stgi" : : : "memory");
}

static inline void clgi(void)
{
	asm volatile("clgi" : : : "memory");
}

_Static_assert(sizeof(struct vmcb_control) == 0x400, "VMCB control area is 1 KiB");
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");
_Static_assert(offsetof(struct vmcb, control.intercept) == 0x00c, "intercept vector 3");
_Static_assert(offsetof(struct vmcb, control.pause_filter_thresh) == 0x03c, "pause thresh");
_Static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040, "IOPM_BASE_PA");
_Static_assert(offsetof(struct vmcb, control.asid) == 0x058, "ASID");
_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "EXITCODE");
_Static_assert(offsetof(struct vmcb, control.event_inj) == 0x0a8, "EVENTINJ");
_Static_assert(offsetof(struct vmcb, control.nested_cr3) == 0x0b0, "N_CR3");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0c8, "nRIP");
_Static_assert(offsetof(struct vmcb, control.insn_len) == 0x0d0, "guest insn bytes");
_Static_assert(offsetof(struct vmcb, control.vmsa_pa) == 0x108, "VMSA pointer");
_Static_assert(offsetof(struct vmcb, save.es) == 0x400, "ES");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "TR");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4cb, "CPL");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4d0, "EFER");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "CR4");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "RIP");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5d8, "RSP");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5f8, "RAX");
_Static_assert(offsetof(struct vmcb, save.star) == 0x600, "STAR");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "CR2");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "G_PAT");
_Static_assert(offsetof(struct vmcb, save.last_excp_to) == 0x690, "LASTEXCPTO");
_Static_assert(offsetof(struct svm_guest, gprs) == SVM_GPRS_OFFSET, "svm_entry.S layout");
_Static_assert(offsetof(struct svm_guest, host_rsp_before) ==
	       SVM_GPRS_OFFSET + 8 * SVM_HOST_RSP_BEFORE, "svm_entry.S layout");
_Static_assert(offsetof(struct svm_guest, host_rsp_after) ==
	       SVM_GPRS_OFFSET + 8 * SVM_HOST_RSP_AFTER, "svm_entry.S layout");

#endif /* __ASSEMBLER__ */
#endif
