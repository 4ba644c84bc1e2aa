/* SPDX-License-Identifier: MIT */
/*
 * Intel VMX (SDM vol. 3C, chapters 24-33): detection, VMXON, the VMX
 * instructions with their outcome as one value, VMCS access, guests built
 * from the running CPU, the VMLAUNCH/VMRESUME round trip, I/O and MSR
 * bitmaps, EPT tables (lib/vm.h) and the decoding of exits and errors.
 *
 * A guest runs in the host's address space (same CR3, GDT, IDT and TR as
 * the CPU that built it, CPL0, long mode) on its own stack: it enters
 * fn(arg) at nested_guest_entry and executes VMCALL when fn returns. Its
 * VMCS is active on at most one CPU at a time (SDM 25.1): vmx_guest_load()
 * makes it current on this CPU, vmx_guest_clear() gives it up (VMCLEAR,
 * which also makes the next entry a VMLAUNCH). vmx_run() writes the host
 * state of the CPU it runs on at each VMLAUNCH.
 */
#ifndef LIB_X86_VMX_H
#define LIB_X86_VMX_H

#include "vmx_defs.h"

/* struct vmx_guest layout for vmx_entry.S. */
#define VMX_GPR(n)		(8 * (n))	/* RAX 0, RBX, RCX, RDX, RBP, RSI, RDI, R8.. R15 */
#define VMX_NR_GPRS		15
#define VMX_HOST_RSP_BEFORE	(8 * VMX_NR_GPRS)
#define VMX_HOST_RSP_AFTER	(8 * VMX_NR_GPRS + 8)

#ifndef __ASSEMBLER__
#include "exinfo.h"
#include "libc.h"
#include "vm.h"

/* ---- capabilities ---- */

/* The five control fields, each with a capability MSR (allowed-0 low, allowed-1 high). */
enum vmx_ctl { VMX_PIN, VMX_PROC, VMX_PROC2, VMX_EXIT, VMX_ENTRY, VMX_NR_CTLS };

/**
 * struct vmx_caps - what this CPU's VMX offers, read once.
 * @vmx: CPUID.1:ECX[5]
 * @feature_control: IA32_FEATURE_CONTROL as found at boot
 * @ctl: allowed settings per control field: the TRUE_* MSRs where
 *	IA32_VMX_BASIC[55] says they exist, else the plain ones;
 *	PROC2 is 0 unless PROC may set "activate secondary controls"
 * @ctl_default1: the plain MSRs (their allowed-0 bits are the default1 class)
 */
struct vmx_caps {
	bool vmx;
	uint64_t feature_control;
	uint64_t basic, misc, vmcs_enum, ept_vpid, vmfunc;
	uint64_t ctl[VMX_NR_CTLS], ctl_default1[VMX_NR_CTLS];
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	unsigned int maxphyaddr;
};

const struct vmx_caps *vmx_caps(void);

/* NULL when VMX can be used here, else why not ("VMX not supported"). */
const char *vmx_needs(void);

/* May @bits of @c be 1 (allowed-1), must they be 1 (allowed-0 clear)? */
bool vmx_ctl_allowed(enum vmx_ctl c, uint32_t bits);
bool vmx_ctl_required(enum vmx_ctl c, uint32_t bits);
/* @val with the bits @c requires set and the bits it forbids cleared. */
uint32_t vmx_ctl_fix(enum vmx_ctl c, uint32_t val);
/* "pin-based", "primary processor-based", ... and the VMCS field of @c. */
const char *vmx_ctl_name(enum vmx_ctl c);
uint32_t vmx_ctl_field(enum vmx_ctl c);

/* ---- instruction outcomes ---- */

/*
 * What a VMX instruction did, as one value: 0 for VMsucceed, an exinfo_t
 * (bit 63) for an exception, VMX_FAIL_INVALID, or VMX_FAIL_VALID(n) with
 * the VM-instruction error number (SDM 31.2, 31.4).
 */
typedef uint64_t vmx_status_t;
#define VMX_OK			0ULL
#define VMX_FAIL_INVALID	BIT_ULL(62)
#define VMX_FAIL_VALID(n)	(BIT_ULL(61) | (uint32_t)(n))
#define VMX_IS_FAIL(s)		((s) & (BIT_ULL(62) | BIT_ULL(61)))

/* "VMsucceed", "VMfailInvalid", "VMfailValid(12: ...)", "#UD". */
char *vmx_status_str(vmx_status_t s, char *buf, size_t len);
/* The typed check: both sides decoded on failure. */
bool vmx_report_status(vmx_status_t expected, vmx_status_t actual, const char *fmt, ...)
	__printf(3, 4);
/* The SDM's text for a VM-instruction error number. */
const char *vmx_insn_error_str(uint32_t n);

/*
 * The instructions themselves, caught by the exception table; VMREAD and
 * VMWRITE with the field encoding as a 64-bit register operand.
 */
vmx_status_t vmxon_safe(uint64_t pa);
vmx_status_t vmxoff_safe(void);
vmx_status_t vmclear_safe(uint64_t pa);
vmx_status_t vmptrld_safe(uint64_t pa);
vmx_status_t vmptrst_safe(uint64_t *pa);
vmx_status_t vmread_safe(uint64_t field, uint64_t *val);
vmx_status_t vmwrite_safe(uint64_t field, uint64_t val);
vmx_status_t invept_safe(uint64_t type, uint64_t eptp);
vmx_status_t invvpid_safe(uint64_t type, uint16_t vpid, uint64_t gla);

/* VMREAD/VMWRITE of the current VMCS; report_abort() naming the field on failure. */
uint64_t vmcs_read(uint32_t field);
void vmcs_write(uint32_t field, uint64_t val);
/* Set or clear bits of a control field (read, modify, write). */
void vmcs_set_bits(uint32_t field, uint64_t bits);
void vmcs_clear_bits(uint32_t field, uint64_t bits);
/* Set control bits of @c, with "activate secondary controls" for PROC2 bits. */
void vmx_set_ctl(enum vmx_ctl c, uint32_t bits);
void vmx_clear_ctl(enum vmx_ctl c, uint32_t bits);

/* ---- VMX operation ---- */

/*
 * Make this CPU enter VMX root operation: CR0/CR4 fixed bits (CR4.VMXE),
 * IA32_FEATURE_CONTROL locked with VMX outside SMX when firmware left it
 * unlocked, VMXON with this CPU's region. Once per CPU; report_abort() when
 * VMXON fails.
 */
void vmx_enable_cpu(void);
/* Leave VMX operation (VMCLEAR of the current guest, VMXOFF, CR4.VMXE clear). */
void vmx_disable_cpu(void);
/* This CPU's VMXON region (valid once vmx_enable_cpu() ran here). */
uint64_t vmx_vmxon_pa(void);
/* A zeroed VMCS region with the revision identifier. */
void *vmx_vmcs_alloc(void);

/* ---- guests ---- */

/* The guest's GPRs (RSP is in the VMCS), in vmx_entry.S's order. */
struct vmx_gprs {
	uint64_t rax, rbx, rcx, rdx, rbp, rsi, rdi, r8, r9, r10, r11, r12, r13, r14, r15;
};

/* The exit's VMCS fields, read by vmx_run() right after each exit. */
struct vmx_exit {
	uint32_t reason, intr_info, intr_error, idt_info, idt_error, insn_len, insn_info;
	uint64_t qual, gla, gpa, rip, rsp, rflags;
};

#define VMX_HOST_OVERRIDES	4

/**
 * struct vmx_guest - a guest: its VMCS and everything vmx_run() needs.
 * @gprs: loaded before each entry, stored after each exit
 * @host_rsp_before, @host_rsp_after: RSP at VMLAUNCH/VMRESUME and after the exit
 * @vmcs: the VMCS region (page aligned; physical = virtual address)
 * @stack: the guest stack (nested_stack_alloc())
 * @cpu: the CPU the VMCS is active on, -1 after VMCLEAR
 * @launched: the launch state as vmx_run() tracks it
 * @status: the last entry: VMX_OK when it reached an exit, else its failure
 * @exit: the last exit
 * @io_bitmap, @msr_bitmap: set up by vmx_io_bitmap() / vmx_msr_bitmap()
 * @override: host-state fields written after vmx_run() writes the host state
 */
struct vmx_guest {
	struct vmx_gprs gprs;
	uint64_t host_rsp_before, host_rsp_after;
	void *vmcs;
	void *stack;
	int cpu;
	bool launched;
	vmx_status_t status;
	struct vmx_exit exit;
	unsigned int runs;
	void *io_bitmap, *msr_bitmap;
	struct {
		uint32_t field;
		uint64_t val;
	} override[VMX_HOST_OVERRIDES];
	unsigned int overrides;
};

/**
 * vmx_guest_create() - a guest that runs fn(arg), current on this CPU.
 * Guest state: this CPU's (segments, GDTR/IDTR, TR, CR0/3/4, DR7, EFER,
 * PAT, SYSENTER MSRs), RFLAGS = 0x2, active, no blocking, VMCS link
 * pointer ~0. Controls: what the capability MSRs require, plus "IA-32e
 * mode guest" and "host address-space size"; exits only where unconditional
 * (CPUID, VMCALL, INVD, XSETBV, the VMX instructions, triple fault, INIT,
 * SIPI, task switches).
 */
struct vmx_guest *vmx_guest_create(void (*fn)(void *), void *arg);
/* Free it: VMCLEAR on this CPU when active here (report_abort() when elsewhere). */
void vmx_guest_free(struct vmx_guest *g);
/* Re-point the guest at fn(arg) with an empty stack (the VMCS must be current). */
void vmx_guest_set_entry(struct vmx_guest *g, void (*fn)(void *), void *arg);
/* VMPTRLD here (report_abort() when it is active on another CPU, or fails). */
void vmx_guest_load(struct vmx_guest *g);
/* VMCLEAR here: not active anywhere, launch state clear. */
void vmx_guest_clear(struct vmx_guest *g);

/*
 * vmx_run() - enter @g on this CPU (its VMCS current here): VMLAUNCH when
 * its launch state is clear (writing this CPU's host state first), else
 * VMRESUME. Return: the exit reason (all 32 bits) after an exit, or the
 * VMX_FAIL_* status of the instruction (g->status).
 */
uint64_t vmx_run(struct vmx_guest *g);
/* The same with the instruction chosen by the caller (@resume: VMRESUME). */
uint64_t vmx_run_insn(struct vmx_guest *g, bool resume);

/*
 * Write this CPU as the host-state area (25.5: what a VM exit loads), then
 * the overrides; vmx_run() does it before each VMLAUNCH.
 */
void vmx_write_host_state(struct vmx_guest *g);
/* Host-state field @field takes @val after vmx_run() writes the host state. */
void vmx_host_override(struct vmx_guest *g, uint32_t field, uint64_t val);
/* Past the instruction that exited: guest RIP += the exit's instruction length. */
void vmx_skip_insn(struct vmx_guest *g);
/* VM-entry interruption information for the next entry (25.8.3). */
void vmx_inject(uint32_t type, unsigned int vector, bool has_error, uint32_t error,
		unsigned int insn_len);

/* The guest's hypercall loop (vmx_entry.S): VMCALL forever. */
extern char vmx_guest_vmcall[];

/* ---- I/O and MSR bitmaps (25.6.4, 25.6.9) ---- */

/* Two zeroed I/O bitmaps in the VMCS, "use I/O bitmaps" set; returns A (B follows). */
uint8_t *vmx_io_bitmap(struct vmx_guest *g);
/* Exit (@on) or not on ports [port, port + n), port < 0x10000. */
void vmx_io_bitmap_set(struct vmx_guest *g, unsigned int port, unsigned int n, bool on);
/* A zeroed MSR bitmap in the VMCS, "use MSR bitmaps" set. */
uint8_t *vmx_msr_bitmap(struct vmx_guest *g);
/* Exit on reads (@rd) / writes (@wr) of @msr; false when it has no bits. */
bool vmx_msr_bitmap_set(struct vmx_guest *g, uint32_t msr, bool rd, bool wr);

/* ---- EPT (chapter 29) ---- */

/*
 * A root of EPT entries (lib/vm.h with the EPT format): PT_R, PT_W, PT_X
 * are the entry's R/W/X bits, PT_DEVICE selects memory type UC (else WB);
 * PT_USER means nothing here. Leaves have "suppress #VE" clear.
 */
pt_root_t vmx_ept_alloc(void);
/* An identity map of the first 4 GiB (the top GiB UC), RWX. */
pt_root_t vmx_ept_identity(void);
/* The EPTP of @root: WB, 4-level walk, A/D flags when @ad. */
uint64_t vmx_eptp(pt_root_t root, bool ad);
/* Turn EPT on in the current VMCS ("enable EPT", EPTP). */
void vmx_ept_enable(pt_root_t root, bool ad);

/* ---- decoding and checks ---- */

/* "CPUID" for 10, or NULL for an unknown basic reason. */
const char *vmx_exit_name(uint32_t basic);
/*
 * An exit code as vmx_run() returns it, decoded: "exit CPUID (10)",
 * "entry failure: invalid guest state (33, bit 31)", "VMfailValid(7: ...)".
 */
char *vmx_exit_str(uint64_t code, char *buf, size_t len);
/* "hardware exception #GP error code" (interruption information). */
char *vmx_intr_info_str(uint32_t info, char *buf, size_t len);

/*
 * vmx_exit_matches() - does exit code @code match @expected? Only the basic
 * reason (bits 15:0) and the entry-failure bit 31 count for exits (27.2.1:
 * bits 27-29 add information to any reason); statuses must be equal.
 */
bool vmx_exit_matches(uint64_t code, uint64_t expected);

/**
 * vmx_report_exit() - check the last vmx_run() of @g against @expected.
 * On failure the line shows both decoded, the qualification, the
 * interruption information and the guest's RIP.
 */
bool vmx_report_exit(struct vmx_guest *g, uint64_t expected, const char *fmt, ...)
	__printf(3, 4);

#endif /* __ASSEMBLER__ */
#endif
