// SPDX-License-Identifier: MIT
/*
 * Optional VMX features (Intel SDM vol. 3C):
 * - 29.1, 29.4.3.3 VPID: a guest with "enable VPID" runs; after INVVPID of
 *   each type IA32_VMX_EPT_VPID_CAP[43:40] supports, the guest sees a
 *   changed translation (before it, either may be used).
 * - 25.6.2, 26.3.1.1 unrestricted guest: with EPT, a guest may run with
 *   CR0.PE and CR0.PG clear (real mode); VMXON there raises #UD (CR0.PE=0
 *   comes before the VM exit of VMX non-root operation, VMXON operation).
 * - 25.10, 26.3: VMCS shadowing: with "VMCS shadowing" and a shadow VMCS as
 *   the VMCS link pointer, guest VMREAD/VMWRITE of a field whose bit is
 *   clear in the VMREAD/VMWRITE bitmap access the shadow VMCS without an
 *   exit; a set bit exits (reasons 23, 25).
 * - 26.5.6.3 VMFUNC leaf 0 (EPTP switching): loads EPTP from the EPTP list
 *   entry ECX without an exit, and updates the EPTP index; an index of 512
 *   or more, or a function not enabled, exits (59); VMFUNC without "enable
 *   VM functions" raises #UD.
 * - 26.5.7 virtualization exceptions: with "EPT-violation #VE", a violation
 *   of an entry with bit 63 clear becomes a #VE (vector 20) once the word
 *   at offset 4 of the information area is 0, writing exit reason,
 *   0FFFFFFFFH, qualification, guest-linear and guest-physical address and
 *   EPTP index; while that word is not 0 violations exit as usual.
 * - 26.5.2 monitor trap flag: an exit (37) after one guest instruction.
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

static uint8_t page_a[4096] __aligned(4096), page_b[4096] __aligned(4096);

static void g_read_a(struct nested_ctx *c)
{
	c->scratch[3] = *(volatile uint64_t *)page_a;
	asm volatile("vmcall");
	c->scratch[4] = *(volatile uint64_t *)page_a;
}

/* ---- VPID and INVVPID ---- */

static void vpid_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC2, PROC2_VPID);
	vmcs_write(VMCS_VPID, 1);
	*(uint64_t *)page_a = 0xa;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "a guest with VPID 1 runs to VMCALL");
	report_eq(0xa, ctx->scratch[3], "a guest with VPID 1 reads memory");
}

/*
 * The guest reads page_a, the host points that linear page at page_b and
 * invalidates VPID 1's mappings with INVVPID @type; the second read must
 * see page_b.
 */
static void invvpid_case(struct nested_ctx *ctx, uint64_t type, const char *what)
{
	struct pt_walk w;

	if (pt_walk((uintptr_t)page_a, &w))
		report_abort("page_a is not mapped");
	vmx_set_ctl(VMX_PROC2, PROC2_VPID);
	vmcs_write(VMCS_VPID, 1);
	*(uint64_t *)page_a = 0xa;
	*(uint64_t *)page_b = 0xb;
	nested_run(ctx);
	if (vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest's first read completes (%s)",
			    what)) {
		pt_map_4k((uintptr_t)page_a, (uintptr_t)page_b, 4096, w.flags);
		vmx_report_status(VMX_OK, invvpid_safe(type, 1, (uintptr_t)page_a),
				  "INVVPID %s of VPID 1 succeeds", what);
		vmx_skip_insn(ctx->vmx);
		nested_run(ctx);
		report_eq(0xb, ctx->scratch[4], "after INVVPID %s the guest sees the new mapping",
			  what);
		pt_map_4k((uintptr_t)page_a, (uintptr_t)page_a, 4096, w.flags);
	}
	invvpid_safe(INVVPID_ALL, 0, 0);
}

#define INVVPID_TEST(id, type, what)						\
	static void id##_run(struct nested_ctx *ctx)				\
	{									\
		invvpid_case(ctx, type, what);					\
	}									\
	VMX_TEST(id, .guest = g_read_a, .run = id##_run)

INVVPID_TEST(invvpid_addr_effective, INVVPID_ADDR, "individual-address")
INVVPID_TEST(invvpid_single_effective, INVVPID_SINGLE, "single-context")
INVVPID_TEST(invvpid_all_effective, INVVPID_ALL, "all-context")
INVVPID_TEST(invvpid_single_ng_effective, INVVPID_SINGLE_NG, "single-context non-global")
VMX_TEST(vpid_run_guest, .guest = g_read_a, .run = vpid_run)

/* ---- unrestricted guest: real mode ---- */

/* 16-bit code at CS.base = real_code, IP 0: AX = 1234H + 1111H, VMCALL, then VMXON. */
extern char real_code[];
asm(".pushsection .text\n\t.code16\n"
	"real_code:\n\t"
	"mov $0x1234, %ax\n\t"
	"add $0x1111, %ax\n\t"
	"vmcall\n\t"
	"vmxon (%bx)\n\t"
	"hlt\n\t"
	".code64\n\t.popsection");

static void real_mode_state(void)
{
	uint64_t cr0 = vmcs_read(VMCS_GUEST_CR0) & ~(X86_CR0_PE | X86_CR0_PG);

	vmcs_write(VMCS_GUEST_CR0, cr0);
	vmcs_write(VMCS_CR0_SHADOW, cr0);
	vmx_clear_ctl(VMX_ENTRY, ENTRY_GUEST_64);
	if (vmx_ctl_allowed(VMX_ENTRY, ENTRY_LOAD_EFER)) {
		vmx_set_ctl(VMX_ENTRY, ENTRY_LOAD_EFER);
		vmcs_write(VMCS_GUEST_EFER, rdmsr(MSR_EFER) & ~(EFER_LME | EFER_LMA));
	}
	for (int n = 0; n < 6; n++) {
		vmcs_write(VMCS_SEG(VMCS_GUEST_ES_SEL, n), 0);
		vmcs_write(VMCS_SEG(VMCS_GUEST_ES_BASE, n), 0);
		vmcs_write(VMCS_SEG(VMCS_GUEST_ES_LIMIT, n), 0xffff);
		vmcs_write(VMCS_SEG(VMCS_GUEST_ES_AR, n), 0x93);
	}
	vmcs_write(VMCS_GUEST_CS_AR, 0x9b);
	vmcs_write(VMCS_GUEST_CS_BASE, (uintptr_t)real_code);
	vmcs_write(VMCS_SEG(VMCS_GUEST_ES_BASE, 2), (uintptr_t)page_b);	/* SS */
	vmcs_write(VMCS_GUEST_RSP, 0xff0);
	vmcs_write(VMCS_GUEST_RIP, 0);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0x3ff);
	vmcs_write(VMCS_EXC_BITMAP, ~0U);
}

static void real_mode_run(struct nested_ctx *ctx)
{
	pt_root_t root = vmx_ept_identity();

	vmx_ept_enable(root, false);
	vmx_set_ctl(VMX_PROC2, PROC2_UNRESTRICTED);
	real_mode_state();
	nested_run(ctx);
	if (vmx_report_exit(ctx->vmx, EXIT_VMCALL, "a real-mode guest runs to its VMCALL")) {
		report_eq_x(0x2345, ctx->vmx->gprs.rax & 0xffff,
			    "the real-mode guest computed AX = 2345H");
		report_eq_x(6, vmx_exit(ctx)->rip, "guest RIP at the real-mode VMCALL is IP 6");
		report_eq(0, vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE,
			  "the real-mode guest's CR0.PE is clear at the exit");
		vmx_skip_insn(ctx->vmx);
		nested_run(ctx);
		if (vmx_report_exit(ctx->vmx, EXIT_EXCEPTION,
				    "VMXON in the real-mode guest faults"))
			report_eq_x(INTR_INFO(INTR_TYPE_HW_EXC, UD_VECTOR),
				    vmx_exit(ctx)->intr_info & ~INTR_INFO_NMI_UNBLOCK,
				    "VMXON in real mode raises #UD before any VM exit");
	}
	pt_root_free(root);
}

VMX_TEST(unrestricted_real_mode, .run = real_mode_run)

/* ---- VMCS shadowing ---- */

#define SHADOW_FIELD	VMCS_GUEST_RIP
#define SHADOW_FIELD2	VMCS_GUEST_RSP

/* VMREAD of SHADOW_FIELD into scratch[3] (status scratch[2]), VMWRITE of SHADOW_FIELD2. */
static void g_shadow(struct nested_ctx *c)
{
	uint64_t v = 0;

	c->scratch[2] = vmread_safe(SHADOW_FIELD, &v);
	c->scratch[3] = v;
	c->scratch[5] = vmwrite_safe(SHADOW_FIELD2, 0x5678);
	c->scratch[1] = 1;
}

static uint32_t *shadow_setup(struct nested_ctx *ctx, uint8_t *bitmaps)
{
	uint32_t *s = vmx_vmcs_alloc();

	s[0] |= BIT(31);		/* shadow-VMCS indicator */
	memset(bitmaps, 0, 8192);
	vmptrld_safe((uintptr_t)s);
	vmcs_write(SHADOW_FIELD, 0x1234);
	vmclear_safe((uintptr_t)s);
	vmx_guest_load(ctx->vmx);
	vmx_set_ctl(VMX_PROC2, PROC2_VMCS_SHADOW);
	vmcs_write(VMCS_LINK_PTR, (uintptr_t)s);
	vmcs_write(VMCS_VMREAD_BITMAP, (uintptr_t)bitmaps);
	vmcs_write(VMCS_VMWRITE_BITMAP, (uintptr_t)bitmaps + 4096);
	return s;
}

static void shadow_run(struct nested_ctx *ctx)
{
	uint8_t *bitmaps = alloc_pages(1);
	uint32_t *s = shadow_setup(ctx, bitmaps);
	uint64_t v = 0;

	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "guest VMREAD/VMWRITE under VMCS shadowing run");
	vmx_report_status(VMX_OK, ctx->scratch[2], "guest VMREAD of a shadowed field succeeds");
	report_eq_x(0x1234, ctx->scratch[3], "guest VMREAD reads the shadow VMCS");
	vmx_report_status(VMX_OK, ctx->scratch[5], "guest VMWRITE of a shadowed field succeeds");
	vmx_guest_clear(ctx->vmx);
	vmptrld_safe((uintptr_t)s);
	vmread_safe(SHADOW_FIELD2, &v);
	vmclear_safe((uintptr_t)s);
	vmx_guest_load(ctx->vmx);
	report_eq_x(0x5678, v, "guest VMWRITE wrote the shadow VMCS");
	free_page(s);
	free_pages(bitmaps, 1);
}

static void shadow_exit_run(struct nested_ctx *ctx)
{
	uint8_t *bitmaps = alloc_pages(1);
	uint32_t *s = shadow_setup(ctx, bitmaps);

	bitmaps[(SHADOW_FIELD & 0x7fff) / 8] |= 1 << (SHADOW_FIELD % 8);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMREAD,
			"guest VMREAD of a field set in the VMREAD bitmap exits");
	bitmaps[(SHADOW_FIELD & 0x7fff) / 8] = 0;
	bitmaps[4096 + (SHADOW_FIELD2 & 0x7fff) / 8] |= 1 << (SHADOW_FIELD2 % 8);
	vmx_skip_insn(ctx->vmx);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMWRITE,
			"guest VMWRITE of a field set in the VMWRITE bitmap exits");
	free_page(s);
	free_pages(bitmaps, 1);
}

static void shadow_no_link_run(struct nested_ctx *ctx)
{
	uint8_t *bitmaps = alloc_pages(1);
	uint32_t *s = shadow_setup(ctx, bitmaps);

	vmcs_write(VMCS_LINK_PTR, ~0ULL);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest runs without a shadow VMCS");
	vmx_report_status(VMX_FAIL_INVALID, ctx->scratch[2],
			  "guest VMREAD under VMCS shadowing with link pointer ~0 fails invalid");
	free_page(s);
	free_pages(bitmaps, 1);
}

VMX_TEST(vmcs_shadow_access, .guest = g_shadow, .run = shadow_run)
VMX_TEST(vmcs_shadow_bitmap_exit, .guest = g_shadow, .run = shadow_exit_run)
VMX_TEST(vmcs_shadow_no_link, .guest = g_shadow, .run = shadow_no_link_run)

/* ---- VMFUNC: EPTP switching ---- */

/* VMFUNC(EAX=scratch[5], ECX=scratch[6]) between two reads of page_a. */
static void g_vmfunc(struct nested_ctx *c)
{
	DECLARE_EXINFO(ex);

	c->scratch[3] = *(volatile uint64_t *)page_a;
	asm volatile(ASM_TRY("vmfunc") : "+r"(ex) : "a"(c->scratch[5]), "c"(c->scratch[6])
		     : "memory");
	c->scratch[2] = ex;
	c->scratch[4] = *(volatile uint64_t *)page_a;
}

struct vmfunc_setup {
	pt_root_t e0, e1;
	uint64_t *list;
};

/* EPT 0: identity; EPT 1: page_a's guest-physical page backed by page_b. */
static void vmfunc_setup(struct vmfunc_setup *v)
{
	v->e0 = vmx_ept_identity();
	v->e1 = vmx_ept_identity();
	pt_root_map(v->e1, (uintptr_t)page_a, (uintptr_t)page_b, 4096, PT_RWX, true);
	v->list = alloc_zeroed_page();
	v->list[0] = vmx_eptp(v->e0, false);
	v->list[1] = vmx_eptp(v->e1, false);
	vmx_ept_enable(v->e0, false);
	vmx_set_ctl(VMX_PROC2, PROC2_VMFUNC);
	vmcs_write(VMCS_VMFUNC_CTLS, VMFUNC_EPTP_SWITCH);
	vmcs_write(VMCS_EPTP_LIST, (uintptr_t)v->list);
	*(uint64_t *)page_a = 0xa;
	*(uint64_t *)page_b = 0xb;
}

static void vmfunc_free(struct vmfunc_setup *v)
{
	pt_root_free(v->e0);
	pt_root_free(v->e1);
	free_page(v->list);
}

static void vmfunc_run(struct nested_ctx *ctx)
{
	struct vmfunc_setup v;

	vmfunc_setup(&v);
	ctx->scratch[6] = 1;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "VMFUNC EPTP switching to entry 1 causes no exit");
	report_eq(0xa, ctx->scratch[3], "before VMFUNC the guest reads through EPT 0");
	report_eq(0xb, ctx->scratch[4], "after VMFUNC the guest reads through EPT 1");
	report_eq_x(v.list[1], vmcs_read(VMCS_EPTP), "VMFUNC loaded EPTP from list entry 1");
	if (vmx_ctl_allowed(VMX_PROC2, PROC2_EPT_VE))
		report_eq(1, vmcs_read(VMCS_EPTP_INDEX), "VMFUNC set the EPTP index to 1");
	vmfunc_free(&v);
}

static void vmfunc_bad_index_run(struct nested_ctx *ctx)
{
	struct vmfunc_setup v;

	vmfunc_setup(&v);
	ctx->scratch[6] = 512;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMFUNC, "VMFUNC EPTP switching to entry 512 exits");
	report_eq_x(v.list[0], vmcs_read(VMCS_EPTP), "the failed VMFUNC leaves EPTP alone");
	vmfunc_free(&v);
}

static void vmfunc_disabled_run(struct nested_ctx *ctx)
{
	ctx->scratch[6] = 0;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL,
			"the guest goes on after VMFUNC without VM functions");
	report_exc(EXINFO(UD_VECTOR, 0), ctx->scratch[2],
		   "VMFUNC without \"enable VM functions\" raises #UD in the guest");
}

VMX_TEST(vmfunc_eptp_switch, .guest = g_vmfunc, .run = vmfunc_run)
VMX_TEST(vmfunc_bad_index, .guest = g_vmfunc, .run = vmfunc_bad_index_run)
VMX_TEST(vmfunc_disabled_ud, .guest = g_vmfunc, .run = vmfunc_disabled_run)

/* ---- #VE ---- */

static void g_read_b(struct nested_ctx *c)
{
	c->scratch[3] = *(volatile uint64_t *)(page_b + 8);
}

static void ve_run(struct nested_ctx *ctx)
{
	pt_root_t root = vmx_ept_identity();
	uint32_t *info = alloc_zeroed_page();
	const struct vmx_exit *e = vmx_exit(ctx);
	uint64_t gpa = (uintptr_t)page_b + 8;

	vmx_ept_enable(root, false);
	pt_root_unmap(root, (uintptr_t)page_b, 4096);
	vmx_set_ctl(VMX_PROC2, PROC2_EPT_VE);
	vmcs_write(VMCS_VE_INFO_ADDR, (uintptr_t)info);
	vmcs_write(VMCS_EXC_BITMAP, BIT(VE_VECTOR));
	nested_run(ctx);
	if (vmx_report_exit(ctx->vmx, EXIT_EXCEPTION, "an EPT violation eligible for #VE "
			    "raises #VE (its bitmap bit set)")) {
		report_eq_x(INTR_INFO(INTR_TYPE_HW_EXC, VE_VECTOR),
			    e->intr_info & ~INTR_INFO_NMI_UNBLOCK, "the exit is for #VE");
		report_eq(EXIT_EPT_VIOLATION, info[0], "#VE information: exit reason 48");
		report_eq_x(0xffffffff, info[1], "#VE information: word 1 set to FFFFFFFFH");
		report_eq_x(EPTQ_READ | EPTQ_GLA_VALID | EPTQ_FINAL,
			    *(uint64_t *)&info[2] & 0x1bf, "#VE information: qualification");
		report_eq_x(gpa, *(uint64_t *)&info[4], "#VE information: guest-linear address");
		report_eq_x(gpa, *(uint64_t *)&info[6], "#VE information: guest-physical address");
	}
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_EPT_VIOLATION,
			"a violation while the #VE word is not 0 exits as an EPT violation");
	free_page(info);
	pt_root_free(root);
}

VMX_TEST(ept_violation_ve, .guest = g_read_b, .run = ve_run)

/* ---- monitor trap flag ---- */

static void mtf_run(struct nested_ctx *ctx)
{
	vmx_set_ctl(VMX_PROC, PROC_MTF);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_MTF, "the monitor trap flag exits");
	report_eq_x((uintptr_t)nested_guest_entry + 2, vmx_exit(ctx)->rip,
		    "the MTF exit follows the guest's first instruction (2 bytes)");
}

VMX_TEST(monitor_trap_flag, .guest = g_read_a, .run = mtf_run)

#define NEEDS(fn, ctl, bits, name)	static VMX_NEEDS_CTL(fn, ctl, bits, name)

NEEDS(needs_shadow, VMX_PROC2, PROC2_VMCS_SHADOW, "VMCS shadowing")
NEEDS(needs_mtf, VMX_PROC, PROC_MTF, "monitor trap flag")
NEEDS(needs_vmfunc, VMX_PROC2, PROC2_VMFUNC, "enable VM functions")

static const char *needs_invvpid_type(uint64_t cap, const char *why)
{
	const char *r = vmx_needs_vpid();

	return r ?: vmx_caps()->ept_vpid & cap ? NULL : why;
}

#define NEEDS_INVVPID(fn, cap, why)						\
	static const char *fn(void)						\
	{									\
		return needs_invvpid_type(cap, why);				\
	}

NEEDS_INVVPID(needs_inv_addr, VMX_VPID_INVVPID_ADDR, "INVVPID individual-address not supported")
NEEDS_INVVPID(needs_inv_single, VMX_VPID_INVVPID_SINGLE, "INVVPID single-context not supported")
NEEDS_INVVPID(needs_inv_all, VMX_VPID_INVVPID_ALL, "INVVPID all-context not supported")
NEEDS_INVVPID(needs_inv_single_ng, VMX_VPID_INVVPID_SINGLE_NG,
	      "INVVPID single-context-retaining-globals not supported")

static const char *needs_eptp_switch(void)
{
	const char *r = vmx_needs_ept();

	return r ?: needs_vmfunc() ?: vmx_caps()->vmfunc & VMFUNC_EPTP_SWITCH ? NULL :
	       "VM function EPTP switching not supported";
}

static const char *needs_ve(void)
{
	const char *r = vmx_needs_ept();

	return r ?: vmx_needs_ctl(VMX_PROC2, PROC2_EPT_VE, "EPT-violation #VE");
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(vpid_run_guest, vmx_needs_vpid),
	SUBTEST_NEEDS(invvpid_addr_effective, needs_inv_addr),
	SUBTEST_NEEDS(invvpid_single_effective, needs_inv_single),
	SUBTEST_NEEDS(invvpid_all_effective, needs_inv_all),
	SUBTEST_NEEDS(invvpid_single_ng_effective, needs_inv_single_ng),
	SUBTEST_NEEDS(unrestricted_real_mode, vmx_needs_unrestricted),
	SUBTEST_NEEDS(vmcs_shadow_access, needs_shadow),
	SUBTEST_NEEDS(vmcs_shadow_bitmap_exit, needs_shadow),
	SUBTEST_NEEDS(vmcs_shadow_no_link, needs_shadow),
	SUBTEST_NEEDS(vmfunc_eptp_switch, needs_eptp_switch),
	SUBTEST_NEEDS(vmfunc_bad_index, needs_eptp_switch),
	SUBTEST_NEEDS(vmfunc_disabled_ud, vmx_needs),
	SUBTEST_NEEDS(ept_violation_ve, needs_ve),
	SUBTEST_NEEDS(monitor_trap_flag, needs_mtf),
};

NESTED_TABLE(vmx_feature_tests, tests);
