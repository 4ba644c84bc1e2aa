// SPDX-License-Identifier: MIT
/*
 * VM-entry checks of the control fields (Intel SDM vol. 3C, 26.2.1): each
 * illegal setting makes VMLAUNCH fail with VMfailValid(7), "VM entry with
 * invalid control field(s)", before the guest runs:
 * - 26.2.1.1-26.2.1.4 and appendix A.3-A.5: a control bit whose allowed-0
 *   setting is 1 cleared, or whose allowed-1 setting is 0 set (pin-based,
 *   primary and secondary processor-based, VM-exit and VM-entry controls);
 *   the CR3-target count above IA32_VMX_MISC[24:16]; I/O, MSR, VMREAD,
 *   virtual-APIC, EPTP-list and #VE-information addresses not 4 KiB
 *   aligned or beyond the physical-address width; the TPR threshold with
 *   bits 31:4 set or above VTPR[7:4]; NMI-window exiting without virtual
 *   NMIs, virtual NMIs without NMI exiting; unrestricted guest without EPT;
 *   VPID 0 with "enable VPID"; EPTP memory type, walk length and reserved
 *   bits; VM-function controls beyond IA32_VMX_VMFUNC; "save VMX-preemption
 *   timer value" without the timer; MSR-load/store addresses not 16-byte
 *   aligned; "entry to SMM" and "deactivate dual-monitor treatment"
 *   outside SMM.
 * - 26.2.1.3 event injection: a reserved type, an exception vector above
 *   31, an NMI vector other than 2, an error code for an external
 *   interrupt or an exception without one (and none for one that has it),
 *   reserved bits 30:12, error-code bits 31:16, a software event with an
 *   instruction length of 0 (without IA32_VMX_MISC[30]) or above 15.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* ---- control bits against the capability MSRs ---- */

/* The lowest bit of @c the capability MSR requires (allowed-0 = 1), or 0. */
static uint32_t must_be_one(enum vmx_ctl c)
{
	uint32_t m = (uint32_t)vmx_caps()->ctl[c];

	return m & -m;
}

/* The lowest bit of @c the capability MSR forbids (allowed-1 = 0), or 0. */
static uint32_t reserved_one(enum vmx_ctl c)
{
	uint32_t m = ~(uint32_t)(vmx_caps()->ctl[c] >> 32);

	return m & -m;
}

#define CTL_BITS(name, c)							\
	static __maybe_unused void name##_clear(struct nested_ctx *ctx)	\
	{									\
		vmcs_clear_bits(vmx_ctl_field(c), must_be_one(c));		\
	}									\
	static void name##_set(struct nested_ctx *ctx)				\
	{									\
		if (c == VMX_PROC2)						\
			vmcs_set_bits(VMCS_PROC_CTLS, PROC_SECONDARY);		\
		vmcs_set_bits(vmx_ctl_field(c), reserved_one(c));		\
	}									\
	static __maybe_unused const char *name##_needs_clear(void)		\
	{									\
		return vmx_needs() ?: must_be_one(c) ? NULL :			\
			"no " #name " control bit must be 1";			\
	}									\
	static const char *name##_needs_set(void)				\
	{									\
		const char *r = c == VMX_PROC2 ? vmx_needs_secondary() : vmx_needs(); \
										\
		return r ?: reserved_one(c) ? NULL : "every " #name " control bit may be 1"; \
	}

CTL_BITS(pin, VMX_PIN)
CTL_BITS(proc, VMX_PROC)
CTL_BITS(proc2, VMX_PROC2)
CTL_BITS(exit, VMX_EXIT)
CTL_BITS(entry, VMX_ENTRY)

ENTRY_ROW(ctl_pin_must_be_one, .what = "a pin-based control required to be 1 cleared",
	  .setup = pin_clear, .expect = FAIL_CTL)
ENTRY_ROW(ctl_pin_reserved, .what = "a pin-based control not allowed to be 1 set",
	  .setup = pin_set, .expect = FAIL_CTL)
ENTRY_ROW(ctl_proc_must_be_one,
	  .what = "a primary processor-based control required to be 1 cleared",
	  .setup = proc_clear, .expect = FAIL_CTL)
ENTRY_ROW(ctl_proc_reserved, .what = "a primary processor-based control not allowed to be 1 set",
	  .setup = proc_set, .expect = FAIL_CTL)
ENTRY_ROW(ctl_proc2_reserved,
	  .what = "a secondary processor-based control not allowed to be 1 set",
	  .setup = proc2_set, .expect = FAIL_CTL)
ENTRY_ROW(ctl_exit_must_be_one, .what = "a VM-exit control required to be 1 cleared",
	  .setup = exit_clear, .expect = FAIL_CTL)
ENTRY_ROW(ctl_exit_reserved, .what = "a VM-exit control not allowed to be 1 set",
	  .setup = exit_set, .expect = FAIL_CTL)
ENTRY_ROW(ctl_entry_must_be_one, .what = "a VM-entry control required to be 1 cleared",
	  .setup = entry_clear, .expect = FAIL_CTL)
ENTRY_ROW(ctl_entry_reserved, .what = "a VM-entry control not allowed to be 1 set",
	  .setup = entry_set, .expect = FAIL_CTL)

/* ---- addresses and counts ---- */

static uint64_t beyond_maxpa(void)
{
	return 1ULL << vmx_caps()->maxphyaddr;
}

static void cr3_count(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_CR3_TARGET_COUNT, VMX_MISC_CR3_TARGETS(vmx_caps()->misc) + 1);
}

static void io_misaligned(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_IO_BITMAP_A, (uintptr_t)vmx_io_bitmap(ctx->vmx) | 0x800);
}

static void io_beyond(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_IO_BITMAP_B, (uintptr_t)vmx_io_bitmap(ctx->vmx) | beyond_maxpa());
}

static void msr_misaligned(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_MSR_BITMAP, (uintptr_t)vmx_msr_bitmap(ctx->vmx) | 0x400);
}

static uint8_t vapic_page[4096] __aligned(4096);

static void tpr_shadow(uint64_t addr, uint32_t threshold, uint8_t vtpr)
{
	vmx_set_ctl(VMX_PROC, PROC_TPR_SHADOW);
	vapic_page[0x80] = vtpr;
	vmcs_write(VMCS_VAPIC_ADDR, addr);
	vmcs_write(VMCS_TPR_THRESHOLD, threshold);
}

static void vapic_misaligned(struct nested_ctx *ctx)
{
	tpr_shadow((uintptr_t)vapic_page | 0x800, 0, 0);
}

static void tpr_threshold_high(struct nested_ctx *ctx)
{
	tpr_shadow((uintptr_t)vapic_page, 0x10, 0);
}

static void tpr_threshold_above_vtpr(struct nested_ctx *ctx)
{
	tpr_shadow((uintptr_t)vapic_page, 2, 0x10);
}

static void nmi_window_alone(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_NMI_WINDOW);
}

static void vnmi_alone(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PIN, PIN_VIRT_NMI);
}

static void unrestricted_alone(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC2, PROC2_UNRESTRICTED);
}

static void vpid_zero(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC2, PROC2_VPID);
	vmcs_write(VMCS_VPID, 0);
}

static pt_root_t ept_root;

/* EPT with EPTP bits changed (one identity table, built once for these rows). */
static void bad_eptp(uint64_t clear, uint64_t set)
{
	if (!ept_root)
		ept_root = vmx_ept_identity();
	vmx_ept_enable(ept_root, false);
	vmcs_write(VMCS_EPTP, (vmcs_read(VMCS_EPTP) & ~clear) | set);
}

static void eptp_memtype(struct nested_ctx *ctx)
{
	bad_eptp(7, 2);
}

static void eptp_walk(struct nested_ctx *ctx)
{
	bad_eptp(7 << 3, 0);		/* a walk length of 1 */
}

static void eptp_reserved(struct nested_ctx *ctx)
{
	bad_eptp(0, 1 << 8);		/* bits 11:7 are reserved (25.6.11) */
}

static void vmfunc_reserved(struct nested_ctx *ctx)
{
	uint64_t m = ~vmx_caps()->vmfunc;

	vmx_set_ctl(VMX_PROC2, PROC2_VMFUNC);
	vmcs_write(VMCS_VMFUNC_CTLS, m & -m);
}

static void eptp_list_misaligned(struct nested_ctx *ctx)
{
	bad_eptp(0, 0);
	vmx_set_ctl(VMX_PROC2, PROC2_VMFUNC);
	vmcs_write(VMCS_VMFUNC_CTLS, VMFUNC_EPTP_SWITCH);
	vmcs_write(VMCS_EPTP_LIST, (uintptr_t)vapic_page | 0x100);
}

static void shadow_bitmap_misaligned(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC2, PROC2_VMCS_SHADOW);
	vmcs_write(VMCS_VMREAD_BITMAP, (uintptr_t)vapic_page | 0x10);
	vmcs_write(VMCS_VMWRITE_BITMAP, (uintptr_t)vapic_page);
}

static void ve_info_misaligned(struct nested_ctx *ctx)
{
	bad_eptp(0, 0);
	vmx_set_ctl(VMX_PROC2, PROC2_EPT_VE);
	vmcs_write(VMCS_VE_INFO_ADDR, (uintptr_t)vapic_page | 0x20);
}

static void save_timer_alone(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_EXIT, EXIT_SAVE_PREEMPT);
}

static uint64_t msr_area[4] __aligned(16);

static void entry_msr_misaligned(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_ENTRY_MSR_LOAD_ADDR, (uintptr_t)msr_area | 8);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 1);
}

static void exit_msr_misaligned(struct nested_ctx *ctx)
{
	vmcs_write(VMCS_EXIT_MSR_STORE_ADDR, (uintptr_t)msr_area | 4);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 1);
}

ENTRY_ROW(ctl_cr3_target_count, .what = "a CR3-target count above IA32_VMX_MISC[24:16]",
	  .setup = cr3_count, .expect = FAIL_CTL)
ENTRY_ROW(ctl_io_bitmap_misaligned, .what = "I/O bitmap A not 4 KiB aligned",
	  .setup = io_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_io_bitmap_beyond, .what = "I/O bitmap B beyond MAXPHYADDR",
	  .setup = io_beyond, .expect = FAIL_CTL)
ENTRY_ROW(ctl_msr_bitmap_misaligned, .what = "the MSR bitmap not 4 KiB aligned",
	  .setup = msr_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_vapic_misaligned, .what = "the virtual-APIC page not 4 KiB aligned",
	  .setup = vapic_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_tpr_threshold_high, .what = "TPR threshold bits 31:4 set",
	  .setup = tpr_threshold_high, .expect = FAIL_CTL)
ENTRY_ROW(ctl_tpr_threshold_above_vtpr, .what = "a TPR threshold above VTPR[7:4]",
	  .setup = tpr_threshold_above_vtpr, .expect = FAIL_CTL)
ENTRY_ROW(ctl_nmi_window_no_vnmi, .what = "NMI-window exiting without virtual NMIs",
	  .setup = nmi_window_alone, .expect = FAIL_CTL)
ENTRY_ROW(ctl_vnmi_no_nmi_exiting, .what = "virtual NMIs without NMI exiting",
	  .setup = vnmi_alone, .expect = FAIL_CTL)
ENTRY_ROW(ctl_unrestricted_no_ept, .what = "unrestricted guest without EPT",
	  .setup = unrestricted_alone, .expect = FAIL_CTL)
ENTRY_ROW(ctl_vpid_zero, .what = "\"enable VPID\" and VPID 0", .setup = vpid_zero,
	  .expect = FAIL_CTL)
ENTRY_ROW(ctl_eptp_memtype, .what = "EPTP memory type 2", .setup = eptp_memtype,
	  .expect = FAIL_CTL)
ENTRY_ROW(ctl_eptp_walk_length, .what = "an EPT page-walk length of 1", .setup = eptp_walk,
	  .expect = FAIL_CTL)
ENTRY_ROW(ctl_eptp_reserved, .what = "EPTP bit 8 (reserved) set", .setup = eptp_reserved,
	  .expect = FAIL_CTL)
ENTRY_ROW(ctl_vmfunc_reserved, .what = "a VM function IA32_VMX_VMFUNC does not allow",
	  .setup = vmfunc_reserved, .expect = FAIL_CTL)
ENTRY_ROW(ctl_eptp_list_misaligned, .what = "EPTP switching with an EPTP list not 4 KiB aligned",
	  .setup = eptp_list_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_vmread_bitmap_misaligned,
	  .what = "VMCS shadowing with a VMREAD bitmap not 4 KiB aligned",
	  .setup = shadow_bitmap_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_ve_info_misaligned,
	  .what = "EPT-violation #VE with an information area not 4 KiB aligned",
	  .setup = ve_info_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_save_timer_no_timer,
	  .what = "\"save VMX-preemption timer value\" without the timer",
	  .setup = save_timer_alone, .expect = FAIL_CTL)
ENTRY_ROW(ctl_entry_msr_load_misaligned,
	  .what = "a VM-entry MSR-load area not 16-byte aligned",
	  .setup = entry_msr_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_exit_msr_store_misaligned,
	  .what = "a VM-exit MSR-store area not 16-byte aligned",
	  .setup = exit_msr_misaligned, .expect = FAIL_CTL)
ENTRY_ROW(ctl_entry_smm, .what = "\"entry to SMM\" outside SMM", .field = VMCS_ENTRY_CTLS,
	  .set = ENTRY_SMM, .expect = FAIL_CTL)
ENTRY_ROW(ctl_entry_dual_monitor, .what = "\"deactivate dual-monitor treatment\" outside SMM",
	  .field = VMCS_ENTRY_CTLS, .set = ENTRY_DUAL_MONITOR, .expect = FAIL_CTL)

/* ---- event injection (26.2.1.3) ---- */

#define INJECT(type, vec)	((uint64_t)INTR_INFO(type, vec))

static void sw_int_len(unsigned int len)
{
	vmx_inject(INTR_TYPE_SW_INTR, 0x41, false, 0, len);
}

static void sw_len0(struct nested_ctx *ctx)
{
	sw_int_len(0);
}

static void sw_len16(struct nested_ctx *ctx)
{
	sw_int_len(16);
}

static void gp_error_high(struct nested_ctx *ctx)
{
	vmx_inject(INTR_TYPE_HW_EXC, GP_VECTOR, true, BIT(20), 0);
}

ENTRY_ROW(inject_reserved_type, .what = "an injected event of reserved type 1",
	  .field = VMCS_ENTRY_INTR_INFO, .set = INJECT(1, 0x40), .expect = FAIL_CTL)
ENTRY_ROW(inject_exception_vector_32, .what = "an injected hardware exception with vector 32",
	  .field = VMCS_ENTRY_INTR_INFO, .set = INJECT(INTR_TYPE_HW_EXC, 32), .expect = FAIL_CTL)
ENTRY_ROW(inject_nmi_vector_3, .what = "an injected NMI with vector 3",
	  .field = VMCS_ENTRY_INTR_INFO, .set = INJECT(INTR_TYPE_NMI, 3), .expect = FAIL_CTL)
ENTRY_ROW(inject_extint_error_code, .what = "an injected external interrupt with an error code",
	  .field = VMCS_ENTRY_INTR_INFO,
	  .set = INJECT(INTR_TYPE_EXT_INTR, 0x40) | INTR_INFO_ERROR_CODE, .expect = FAIL_CTL)
ENTRY_ROW(inject_ud_error_code, .what = "an injected #UD with an error code",
	  .field = VMCS_ENTRY_INTR_INFO,
	  .set = INJECT(INTR_TYPE_HW_EXC, UD_VECTOR) | INTR_INFO_ERROR_CODE, .expect = FAIL_CTL)
ENTRY_ROW(inject_gp_no_error_code, .what = "an injected #GP without its error code",
	  .field = VMCS_ENTRY_INTR_INFO, .set = INJECT(INTR_TYPE_HW_EXC, GP_VECTOR),
	  .expect = FAIL_CTL)
ENTRY_ROW(inject_reserved_bits, .what = "injection information bit 12 (reserved) set",
	  .field = VMCS_ENTRY_INTR_INFO, .set = INJECT(INTR_TYPE_EXT_INTR, 0x40) | BIT(12),
	  .expect = FAIL_CTL)
ENTRY_ROW(inject_error_code_high, .what = "an injected error code with bit 20 set",
	  .setup = gp_error_high, .expect = FAIL_CTL)
ENTRY_ROW(inject_sw_len_zero, .what = "an injected software interrupt of length 0",
	  .setup = sw_len0, .expect = FAIL_CTL)
ENTRY_ROW(inject_sw_len_16, .what = "an injected software interrupt of length 16",
	  .setup = sw_len16, .expect = FAIL_CTL)

/* ---- needs ---- */

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_io_bitmaps, VMX_PROC, PROC_IO_BITMAPS, "use I/O bitmaps")
NEEDS(needs_msr_bitmaps, VMX_PROC, PROC_MSR_BITMAPS, "use MSR bitmaps")
NEEDS(needs_tpr_shadow, VMX_PROC, PROC_TPR_SHADOW, "use TPR shadow")
NEEDS(needs_nmi_window, VMX_PROC, PROC_NMI_WINDOW, "NMI-window exiting")
NEEDS(needs_vnmi, VMX_PIN, PIN_VIRT_NMI, "virtual NMIs")
NEEDS(needs_vmfunc, VMX_PROC2, PROC2_VMFUNC, "enable VM functions")
NEEDS(needs_shadow, VMX_PROC2, PROC2_VMCS_SHADOW, "VMCS shadowing")
NEEDS(needs_ept_ve, VMX_PROC2, PROC2_EPT_VE | PROC2_EPT, "EPT-violation #VE")
NEEDS(needs_save_timer, VMX_EXIT, EXIT_SAVE_PREEMPT, "save VMX-preemption timer value")

static const char *needs_eptp_switch(void)
{
	const char *r = vmx_needs_ept();

	return r ?: needs_vmfunc() ?: vmx_caps()->vmfunc & VMFUNC_EPTP_SWITCH ? NULL :
	       "VM function EPTP switching not supported";
}

static const char *needs_vmfunc_reserved(void)
{
	return needs_vmfunc() ?: ~vmx_caps()->vmfunc ? NULL : "every VM function allowed";
}

static const char *needs_len0_illegal(void)
{
	return vmx_needs() ?: vmx_caps()->misc & VMX_MISC_INJECT_LEN0 ?
	       "IA32_VMX_MISC[30]: length 0 allowed" : NULL;
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(ctl_pin_must_be_one, pin_needs_clear),
	SUBTEST_NEEDS(ctl_pin_reserved, pin_needs_set),
	SUBTEST_NEEDS(ctl_proc_must_be_one, proc_needs_clear),
	SUBTEST_NEEDS(ctl_proc_reserved, proc_needs_set),
	SUBTEST_NEEDS(ctl_proc2_reserved, proc2_needs_set),
	SUBTEST_NEEDS(ctl_exit_must_be_one, exit_needs_clear),
	SUBTEST_NEEDS(ctl_exit_reserved, exit_needs_set),
	SUBTEST_NEEDS(ctl_entry_must_be_one, entry_needs_clear),
	SUBTEST_NEEDS(ctl_entry_reserved, entry_needs_set),
	SUBTEST_NEEDS(ctl_cr3_target_count, vmx_needs),
	SUBTEST_NEEDS(ctl_io_bitmap_misaligned, needs_io_bitmaps),
	SUBTEST_NEEDS(ctl_io_bitmap_beyond, needs_io_bitmaps),
	SUBTEST_NEEDS(ctl_msr_bitmap_misaligned, needs_msr_bitmaps),
	SUBTEST_NEEDS(ctl_vapic_misaligned, needs_tpr_shadow),
	SUBTEST_NEEDS(ctl_tpr_threshold_high, needs_tpr_shadow),
	SUBTEST_NEEDS(ctl_tpr_threshold_above_vtpr, needs_tpr_shadow),
	SUBTEST_NEEDS(ctl_nmi_window_no_vnmi, needs_nmi_window),
	SUBTEST_NEEDS(ctl_vnmi_no_nmi_exiting, needs_vnmi),
	SUBTEST_NEEDS(ctl_unrestricted_no_ept, vmx_needs_unrestricted),
	SUBTEST_NEEDS(ctl_vpid_zero, vmx_needs_vpid),
	SUBTEST_NEEDS(ctl_eptp_memtype, vmx_needs_ept),
	SUBTEST_NEEDS(ctl_eptp_walk_length, vmx_needs_ept),
	SUBTEST_NEEDS(ctl_eptp_reserved, vmx_needs_ept),
	SUBTEST_NEEDS(ctl_vmfunc_reserved, needs_vmfunc_reserved),
	SUBTEST_NEEDS(ctl_eptp_list_misaligned, needs_eptp_switch),
	SUBTEST_NEEDS(ctl_vmread_bitmap_misaligned, needs_shadow),
	SUBTEST_NEEDS(ctl_ve_info_misaligned, needs_ept_ve),
	SUBTEST_NEEDS(ctl_save_timer_no_timer, needs_save_timer),
	SUBTEST_NEEDS(ctl_entry_msr_load_misaligned, vmx_needs),
	SUBTEST_NEEDS(ctl_exit_msr_store_misaligned, vmx_needs),
	SUBTEST_NEEDS(ctl_entry_smm, vmx_needs),
	SUBTEST_NEEDS(ctl_entry_dual_monitor, vmx_needs),
	SUBTEST_NEEDS(inject_reserved_type, vmx_needs),
	SUBTEST_NEEDS(inject_exception_vector_32, vmx_needs),
	SUBTEST_NEEDS(inject_nmi_vector_3, vmx_needs),
	SUBTEST_NEEDS(inject_extint_error_code, vmx_needs),
	SUBTEST_NEEDS(inject_ud_error_code, vmx_needs),
	SUBTEST_NEEDS(inject_gp_no_error_code, vmx_needs),
	SUBTEST_NEEDS(inject_reserved_bits, vmx_needs),
	SUBTEST_NEEDS(inject_error_code_high, vmx_needs),
	SUBTEST_NEEDS(inject_sw_len_zero, needs_len0_illegal),
	SUBTEST_NEEDS(inject_sw_len_16, vmx_needs),
};

NESTED_TABLE(vmx_entry_ctl_tests, tests);
