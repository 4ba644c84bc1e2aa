// SPDX-License-Identifier: MIT
/*
 * VM-entry checks of the host-state area, the guest-state area and the
 * MSR-load area (Intel SDM vol. 3C):
 * - 26.2.2, 26.2.3, 26.2.4 host state: CR0/CR4 bits outside
 *   IA32_VMX_CR0/CR4_FIXED0/1 (CR4.VMXE), CR4.PAE clear for a 64-bit host,
 *   CR3 beyond the physical-address width, selectors with RPL or TI set,
 *   CS or TR null, non-canonical FS/GS/TR/GDTR/IDTR bases, SYSENTER
 *   ESP/EIP and RIP, "host address-space size" clear in IA-32e mode, a
 *   loaded EFER whose LMA/LME differ from it or with reserved bits, a
 *   loaded PAT with a reserved type: VMfailValid(8) before the guest runs.
 * - 26.3.1 guest state: CR0.NE, CR4.VMXE (fixed bits), CR4.PAE clear for an
 *   IA-32e mode guest, CR3 beyond the physical-address width, DR7 and
 *   IA32_DEBUGCTL reserved bits (with "load debug controls"), EFER.LMA/LME
 *   against "IA-32e mode guest" and PAT types (with their load controls),
 *   non-canonical SYSENTER_ESP, FS base, IDTR base and RIP, CS with a data
 *   type or with both L and D, SS.DPL above 0 with CS.DPL 0, TR not a busy
 *   64-bit TSS, TR with TI set, a usable LDTR that is no LDT, GDTR limit
 *   bits 31:16, RFLAGS bit 1 clear, reserved bits or VM set, an activity
 *   state above 3, blocking by STI and MOV SS together or by STI with IF
 *   clear, reserved interruptibility bits, reserved pending-debug bits, BS
 *   without TF under blocking by MOV SS, a VMCS link pointer that is
 *   neither ~0 nor valid: the entry fails as exit reason 33 with bit 31 set
 *   (26.8), exit qualification 0 (4 for the VMCS link pointer, 26.8).
 * - 26.4 MSR loading: an entry for IA32_FS_BASE, an x2APIC MSR, reserved
 *   bits in the entry, or a value WRMSR would refuse fails the entry as
 *   exit reason 34 with bit 31, the exit qualification the entry's index
 *   counting from 1.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

#define NONCANON	0x8000000000000000ULL

/* ---- host state: VMfailValid(8) ---- */

static uint64_t high_pa(void)
{
	return 1ULL << vmx_caps()->maxphyaddr;
}

static void set_host_cr3_beyond(struct nested_ctx *ctx)
{
	vmx_host_override(ctx->vmx, VMCS_HOST_CR3, read_cr3() | high_pa());
}

static void set_host_efer_no_lma(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_EXIT, EXIT_LOAD_EFER);
	vmx_host_override(ctx->vmx, VMCS_HOST_EFER, rdmsr(MSR_EFER) & ~EFER_LMA);
}

static void set_host_efer_reserved(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_EXIT, EXIT_LOAD_EFER);
	vmx_host_override(ctx->vmx, VMCS_HOST_EFER, rdmsr(MSR_EFER) | BIT(2));
}

static void set_host_pat_reserved(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_EXIT, EXIT_LOAD_PAT);
	vmx_host_override(ctx->vmx, VMCS_HOST_PAT, (rdmsr(MSR_IA32_PAT) & ~0xffULL) | 2);
}

#define HOST_ROW(id, text, f, c, s) \
	ENTRY_ROW(id, .what = text, .field = f, .clear = c, .set = s, .expect = FAIL_HOST)

HOST_ROW(host_cr0_ne_clear, "host CR0.NE clear", VMCS_HOST_CR0, X86_CR0_NE, 0)
HOST_ROW(host_cr4_vmxe_clear, "host CR4.VMXE clear", VMCS_HOST_CR4, X86_CR4_VMXE, 0)
HOST_ROW(host_cr4_pae_clear, "host CR4.PAE clear for a 64-bit host", VMCS_HOST_CR4,
	 X86_CR4_PAE, 0)
HOST_ROW(host_cs_null, "a null host CS selector", VMCS_HOST_CS_SEL, 0xffff, 0)
HOST_ROW(host_tr_null, "a null host TR selector", VMCS_HOST_TR_SEL, 0xffff, 0)
HOST_ROW(host_ds_rpl, "host DS selector RPL 3", VMCS_HOST_DS_SEL, 0, 3)
HOST_ROW(host_ss_ti, "host SS selector TI set", VMCS_HOST_SS_SEL, 0, 4)
HOST_ROW(host_fs_base_noncanonical, "a non-canonical host FS base", VMCS_HOST_FS_BASE, 0,
	 NONCANON)
HOST_ROW(host_gs_base_noncanonical, "a non-canonical host GS base", VMCS_HOST_GS_BASE, 0,
	 NONCANON)
HOST_ROW(host_tr_base_noncanonical, "a non-canonical host TR base", VMCS_HOST_TR_BASE, 0,
	 NONCANON)
HOST_ROW(host_gdtr_base_noncanonical, "a non-canonical host GDTR base", VMCS_HOST_GDTR_BASE, 0,
	 NONCANON)
HOST_ROW(host_idtr_base_noncanonical, "a non-canonical host IDTR base", VMCS_HOST_IDTR_BASE, 0,
	 NONCANON)
HOST_ROW(host_rip_noncanonical, "a non-canonical host RIP", VMCS_HOST_RIP, 0, NONCANON)
HOST_ROW(host_sysenter_esp_noncanonical, "a non-canonical host SYSENTER_ESP",
	 VMCS_HOST_SYSENTER_ESP, 0, NONCANON)
HOST_ROW(host_sysenter_eip_noncanonical, "a non-canonical host SYSENTER_EIP",
	 VMCS_HOST_SYSENTER_EIP, 0, NONCANON)
HOST_ROW(host_addr_size_clear, "\"host address-space size\" clear in IA-32e mode",
	 VMCS_EXIT_CTLS, EXIT_HOST_64, 0)
ENTRY_ROW(host_cr3_beyond_maxphyaddr, .what = "host CR3 beyond MAXPHYADDR",
	  .setup = set_host_cr3_beyond, .expect = FAIL_HOST)
ENTRY_ROW(host_efer_lma_clear, .what = "a loaded host EFER with LMA clear",
	  .setup = set_host_efer_no_lma, .expect = FAIL_HOST)
ENTRY_ROW(host_efer_reserved, .what = "a loaded host EFER with reserved bit 2 set",
	  .setup = set_host_efer_reserved, .expect = FAIL_HOST)
ENTRY_ROW(host_pat_reserved, .what = "a loaded host PAT with reserved type 2",
	  .setup = set_host_pat_reserved, .expect = FAIL_HOST)

/* ---- guest state: exit reason 33 with bit 31 ---- */

static void set_guest_cr3_beyond(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_CR3, read_cr3() | high_pa());
}

static void load_debug(uint64_t dr7, uint64_t debugctl)
{
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_DEBUG);
	vmcs_write(VMCS_GUEST_DR7, dr7);
	vmcs_write(VMCS_GUEST_DEBUGCTL, debugctl);
}

static void set_guest_dr7_high(struct nested_ctx *ctx)
{
	load_debug(DR7_FIXED | BIT_ULL(32), 0);
}

static void set_guest_debugctl_reserved(struct nested_ctx *ctx)
{
	load_debug(DR7_FIXED, BIT_ULL(5));	/* bits 5:2 are reserved (vol. 4, 2-2) */
}

static void guest_efer(uint64_t clear, uint64_t set)
{
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_EFER);
	vmcs_write(VMCS_GUEST_EFER, (rdmsr(MSR_EFER) & ~clear) | set);
}

static void set_guest_efer_no_lma(struct nested_ctx *ctx)
{
	guest_efer(EFER_LMA, 0);
}

static void set_guest_efer_no_lme(struct nested_ctx *ctx)
{
	guest_efer(EFER_LME, 0);
}

static void set_guest_pat_reserved(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_PAT);
	vmcs_write(VMCS_GUEST_PAT, (rdmsr(MSR_IA32_PAT) & ~0xff00ULL) | 0x300);
}

static void set_guest_ldtr_not_ldt(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_SEL, 6), 0);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_AR, 6), 0x8b);	/* usable, present, busy TSS */
}

/* The BS check applies with blocking by STI or MOV SS, or in HLT (26.3.1.5). */
static void set_guest_bs_no_tf(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, INTR_BLOCK_MOV_SS);
	vmcs_write(VMCS_GUEST_PENDING_DBG, DBQ_BS);
}

static void set_guest_sti_if0(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY, INTR_BLOCK_STI);
}

#define GUEST_ROW(id, text, f, c, s) \
	ENTRY_ROW(id, .what = text, .field = f, .clear = c, .set = s, .expect = FAIL_GUEST)
#define CS_AR	VMCS_GUEST_CS_AR

GUEST_ROW(guest_cr0_ne_clear, "guest CR0.NE clear", VMCS_GUEST_CR0, X86_CR0_NE, 0)
GUEST_ROW(guest_cr4_vmxe_clear, "guest CR4.VMXE clear", VMCS_GUEST_CR4, X86_CR4_VMXE, 0)
GUEST_ROW(guest_cr4_pae_clear, "guest CR4.PAE clear for an IA-32e mode guest",
	  VMCS_GUEST_CR4, X86_CR4_PAE, 0)
GUEST_ROW(guest_rflags_bit1_clear, "guest RFLAGS bit 1 clear", VMCS_GUEST_RFLAGS,
	  X86_EFLAGS_FIXED, 0)
GUEST_ROW(guest_rflags_reserved, "guest RFLAGS bit 15 (reserved) set", VMCS_GUEST_RFLAGS, 0,
	  BIT(15))
GUEST_ROW(guest_rflags_vm, "guest RFLAGS.VM set in IA-32e mode", VMCS_GUEST_RFLAGS, 0, BIT(17))
GUEST_ROW(guest_rip_noncanonical, "a non-canonical guest RIP in 64-bit mode", VMCS_GUEST_RIP,
	  0, NONCANON)
GUEST_ROW(guest_fs_base_noncanonical, "a non-canonical guest FS base",
	  VMCS_SEG(VMCS_GUEST_ES_BASE, 4), 0, NONCANON)
GUEST_ROW(guest_idtr_base_noncanonical, "a non-canonical guest IDTR base",
	  VMCS_GUEST_IDTR_BASE, 0, NONCANON)
GUEST_ROW(guest_sysenter_esp_noncanonical, "a non-canonical guest SYSENTER_ESP",
	  VMCS_GUEST_SYSENTER_ESP, 0, NONCANON)
GUEST_ROW(guest_cs_data_type, "a guest CS of data type", CS_AR, 0x8, 0)
GUEST_ROW(guest_cs_l_and_d, "guest CS with both L and D set", CS_AR, 0, BIT(14))
GUEST_ROW(guest_ss_dpl3, "guest SS.DPL 3 with CS.DPL 0", VMCS_GUEST_SS_AR, 0, 3 << 5)
GUEST_ROW(guest_tr_available, "a guest TR of type available TSS", VMCS_GUEST_TR_AR, 2, 0)
GUEST_ROW(guest_tr_unusable, "an unusable guest TR", VMCS_GUEST_TR_AR, 0, X86_SEG_AR_UNUSABLE)
GUEST_ROW(guest_tr_ti, "guest TR selector TI set", VMCS_GUEST_TR_SEL, 0, 4)
GUEST_ROW(guest_gdtr_limit_high, "guest GDTR limit bit 16 set", VMCS_GUEST_GDTR_LIMIT, 0,
	  BIT(16))
GUEST_ROW(guest_activity_reserved, "guest activity state 4 (reserved)", VMCS_GUEST_ACTIVITY,
	  ~0ULL, 4)
GUEST_ROW(guest_sti_and_mov_ss, "blocking by STI and by MOV SS together",
	  VMCS_GUEST_INTERRUPTIBILITY, 0, INTR_BLOCK_STI | INTR_BLOCK_MOV_SS)
GUEST_ROW(guest_interruptibility_reserved, "interruptibility-state bit 5 (reserved) set",
	  VMCS_GUEST_INTERRUPTIBILITY, 0, BIT(5))
GUEST_ROW(guest_pending_dbg_reserved, "pending debug exceptions bit 4 (reserved) set",
	  VMCS_GUEST_PENDING_DBG, 0, BIT(4))
ENTRY_ROW(guest_cr3_beyond_maxphyaddr, .what = "guest CR3 beyond MAXPHYADDR",
	  .setup = set_guest_cr3_beyond, .expect = FAIL_GUEST)
ENTRY_ROW(guest_dr7_high, .what = "a loaded guest DR7 with bit 32 set",
	  .setup = set_guest_dr7_high, .expect = FAIL_GUEST)
ENTRY_ROW(guest_debugctl_reserved, .what = "a loaded guest IA32_DEBUGCTL with bit 5 set",
	  .setup = set_guest_debugctl_reserved, .expect = FAIL_GUEST)
ENTRY_ROW(guest_efer_lma_clear, .what = "a loaded guest EFER.LMA clear for an IA-32e guest",
	  .setup = set_guest_efer_no_lma, .expect = FAIL_GUEST)
ENTRY_ROW(guest_efer_lme_clear, .what = "a loaded guest EFER.LME clear with CR0.PG set",
	  .setup = set_guest_efer_no_lme, .expect = FAIL_GUEST)
ENTRY_ROW(guest_pat_reserved, .what = "a loaded guest PAT with reserved type 3",
	  .setup = set_guest_pat_reserved, .expect = FAIL_GUEST)
ENTRY_ROW(guest_ldtr_not_ldt, .what = "a usable guest LDTR of type TSS",
	  .setup = set_guest_ldtr_not_ldt, .expect = FAIL_GUEST)
ENTRY_ROW(guest_sti_blocking_if0, .what = "blocking by STI with RFLAGS.IF clear",
	  .setup = set_guest_sti_if0, .expect = FAIL_GUEST)
ENTRY_ROW(guest_pending_bs_no_tf,
	  .what = "blocking by MOV SS and a pending single-step (BS) with RFLAGS.TF clear",
	  .setup = set_guest_bs_no_tf, .expect = FAIL_GUEST)
ENTRY_ROW(guest_link_pointer_bad, .what = "a VMCS link pointer not 4 KiB aligned",
	  .field = VMCS_LINK_PTR, .clear = ~0ULL, .set = 0x1080, .expect = FAIL_GUEST,
	  .qual = 4)

/* ---- MSR loading: exit reason 34 with bit 31, the entry's index ---- */

struct msr_entry {
	uint32_t index, reserved;
	uint64_t value;
};

static struct msr_entry load_area[2] __aligned(16);

static void msr_load(unsigned int n, uint32_t i0, uint32_t r0, uint64_t v0, uint32_t i1,
		     uint64_t v1)
{
	load_area[0] = (struct msr_entry){ i0, r0, v0 };
	load_area[1] = (struct msr_entry){ i1, 0, v1 };
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, (uintptr_t)load_area);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, n);
}

static void set_msr_fs_base(struct nested_ctx *ctx)
{
	msr_load(1, MSR_FS_BASE, 0, 0, 0, 0);
}

static void set_msr_x2apic(struct nested_ctx *ctx)
{
	msr_load(1, MSR_IA32_X2APIC_BASE + 8, 0, 0, 0, 0);	/* the x2APIC TPR */
}

static void set_msr_reserved(struct nested_ctx *ctx)
{
	msr_load(1, MSR_KERNEL_GS_BASE, 1, 0, 0, 0);
}

static void set_msr_bad_value(struct nested_ctx *ctx)
{
	msr_load(1, MSR_IA32_PAT, 0, 0x0202020202020202ULL, 0, 0);
}

static void set_msr_second(struct nested_ctx *ctx)
{
	msr_load(2, MSR_KERNEL_GS_BASE, 0, rdmsr(MSR_KERNEL_GS_BASE), MSR_GS_BASE, 0);
}

ENTRY_ROW(msr_load_fs_base, .what = "an MSR-load entry for IA32_FS_BASE",
	  .setup = set_msr_fs_base, .expect = FAIL_MSR, .qual = 1)
ENTRY_ROW(msr_load_x2apic, .what = "an MSR-load entry for an x2APIC MSR",
	  .setup = set_msr_x2apic, .expect = FAIL_MSR, .qual = 1)
ENTRY_ROW(msr_load_reserved, .what = "an MSR-load entry with reserved bits set",
	  .setup = set_msr_reserved, .expect = FAIL_MSR, .qual = 1)
ENTRY_ROW(msr_load_bad_value, .what = "an MSR-load entry writing a reserved PAT type",
	  .setup = set_msr_bad_value, .expect = FAIL_MSR, .qual = 1)
ENTRY_ROW(msr_load_second_bad, .what = "a valid MSR-load entry, then one for IA32_GS_BASE",
	  .setup = set_msr_second, .expect = FAIL_MSR, .qual = 2)

/* ---- needs ---- */

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_exit_load_efer, VMX_EXIT, EXIT_LOAD_EFER, "load IA32_EFER (exit)")
NEEDS(needs_exit_load_pat, VMX_EXIT, EXIT_LOAD_PAT, "load IA32_PAT (exit)")
NEEDS(needs_entry_load_debug, VMX_ENTRY, ENTRY_LOAD_DEBUG, "load debug controls")
NEEDS(needs_entry_load_efer, VMX_ENTRY, ENTRY_LOAD_EFER, "load IA32_EFER (entry)")
NEEDS(needs_entry_load_pat, VMX_ENTRY, ENTRY_LOAD_PAT, "load IA32_PAT (entry)")

static const struct subtest tests[] = {
	SUBTEST_NEEDS(host_cr0_ne_clear, vmx_needs),
	SUBTEST_NEEDS(host_cr4_vmxe_clear, vmx_needs),
	SUBTEST_NEEDS(host_cr4_pae_clear, vmx_needs),
	SUBTEST_NEEDS(host_cr3_beyond_maxphyaddr, vmx_needs),
	SUBTEST_NEEDS(host_cs_null, vmx_needs),
	SUBTEST_NEEDS(host_tr_null, vmx_needs),
	SUBTEST_NEEDS(host_ds_rpl, vmx_needs),
	SUBTEST_NEEDS(host_ss_ti, vmx_needs),
	SUBTEST_NEEDS(host_fs_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_gs_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_tr_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_gdtr_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_idtr_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_rip_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_sysenter_esp_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_sysenter_eip_noncanonical, vmx_needs),
	SUBTEST_NEEDS(host_addr_size_clear, vmx_needs),
	SUBTEST_NEEDS(host_efer_lma_clear, needs_exit_load_efer),
	SUBTEST_NEEDS(host_efer_reserved, needs_exit_load_efer),
	SUBTEST_NEEDS(host_pat_reserved, needs_exit_load_pat),
	SUBTEST_NEEDS(guest_cr0_ne_clear, vmx_needs),
	SUBTEST_NEEDS(guest_cr4_vmxe_clear, vmx_needs),
	SUBTEST_NEEDS(guest_cr4_pae_clear, vmx_needs),
	SUBTEST_NEEDS(guest_cr3_beyond_maxphyaddr, vmx_needs),
	SUBTEST_NEEDS(guest_dr7_high, needs_entry_load_debug),
	SUBTEST_NEEDS(guest_debugctl_reserved, needs_entry_load_debug),
	SUBTEST_NEEDS(guest_efer_lma_clear, needs_entry_load_efer),
	SUBTEST_NEEDS(guest_efer_lme_clear, needs_entry_load_efer),
	SUBTEST_NEEDS(guest_pat_reserved, needs_entry_load_pat),
	SUBTEST_NEEDS(guest_rflags_bit1_clear, vmx_needs),
	SUBTEST_NEEDS(guest_rflags_reserved, vmx_needs),
	SUBTEST_NEEDS(guest_rflags_vm, vmx_needs),
	SUBTEST_NEEDS(guest_rip_noncanonical, vmx_needs),
	SUBTEST_NEEDS(guest_fs_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(guest_idtr_base_noncanonical, vmx_needs),
	SUBTEST_NEEDS(guest_sysenter_esp_noncanonical, vmx_needs),
	SUBTEST_NEEDS(guest_cs_data_type, vmx_needs),
	SUBTEST_NEEDS(guest_cs_l_and_d, vmx_needs),
	SUBTEST_NEEDS(guest_ss_dpl3, vmx_needs),
	SUBTEST_NEEDS(guest_tr_available, vmx_needs),
	SUBTEST_NEEDS(guest_tr_unusable, vmx_needs),
	SUBTEST_NEEDS(guest_tr_ti, vmx_needs),
	SUBTEST_NEEDS(guest_ldtr_not_ldt, vmx_needs),
	SUBTEST_NEEDS(guest_gdtr_limit_high, vmx_needs),
	SUBTEST_NEEDS(guest_activity_reserved, vmx_needs),
	SUBTEST_NEEDS(guest_sti_and_mov_ss, vmx_needs),
	SUBTEST_NEEDS(guest_sti_blocking_if0, vmx_needs),
	SUBTEST_NEEDS(guest_interruptibility_reserved, vmx_needs),
	SUBTEST_NEEDS(guest_pending_dbg_reserved, vmx_needs),
	SUBTEST_NEEDS(guest_pending_bs_no_tf, vmx_needs),
	SUBTEST_NEEDS(guest_link_pointer_bad, vmx_needs),
	SUBTEST_NEEDS(msr_load_fs_base, vmx_needs),
	SUBTEST_NEEDS(msr_load_x2apic, vmx_needs),
	SUBTEST_NEEDS(msr_load_reserved, vmx_needs),
	SUBTEST_NEEDS(msr_load_bad_value, vmx_needs),
	SUBTEST_NEEDS(msr_load_second_bad, vmx_needs),
};

NESTED_TABLE(vmx_entry_state_tests, tests);
