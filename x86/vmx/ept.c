// SPDX-License-Identifier: MIT
/*
 * EPT (Intel SDM vol. 3C, chapter 29, with 25.6.11 and 28.2.1):
 * - 29.3.3.2 EPT violations: a guest-physical access the EPT entries do not
 *   allow exits with reason 48; the exit qualification (table 28-7) gives
 *   the access (read 0, write 1, fetch 2), the permissions of the
 *   translation (bits 3-5, the AND over the entries used), whether the
 *   guest-linear address is valid (7) and whether the access was to the
 *   final translation (8 set) or to a guest paging-structure entry (8
 *   clear); the exit saves the guest-physical and guest-linear addresses.
 * - 29.3.3.1 EPT misconfigurations (reason 49): an entry with W but not R,
 *   with X only where IA32_VMX_EPT_VPID_CAP[0] lacks execute-only, a
 *   reserved memory type, or reserved address bits set.
 * - 29.3.5 accessed and dirty flags (EPTP bit 6): a translation sets A in
 *   every entry it uses and D in the leaf on a write; guest paging-
 *   structure accesses count as writes (D on their leaf); without bit 6 the
 *   flags are left alone.
 * - 29.3.2: 2 MiB and 1 GiB leaves (IA32_VMX_EPT_VPID_CAP[16]/[17]) map
 *   guest-physical regions to host-physical ones of that size.
 * - 29.4.3.1 INVEPT single-context and all-context: after INVEPT a changed
 *   entry is used (before it, either may be).
 * Known VMM caveats: see known-failures.txt (vmx*).
 */
#include "vmx_test.h"

/* The page the guests access, and scratch[0] = its address, scratch[3] = data. */
static uint8_t page[4096] __aligned(4096);

#define PAGE	((uintptr_t)page)
#define OFF	0x10

struct ept_data {
	pt_root_t root;
	bool ad;
};

static void g_read(struct nested_ctx *c)
{
	c->scratch[3] = *(volatile uint64_t *)(uintptr_t)(c->scratch[0] + OFF);
	c->scratch[1] = 1;
}

static void g_write(struct nested_ctx *c)
{
	*(volatile uint64_t *)(uintptr_t)(c->scratch[0] + OFF) = 0x77;
	c->scratch[1] = 1;
}

static void g_fetch(struct nested_ctx *c)
{
	((void (*)(void))(uintptr_t)c->scratch[0])();
	c->scratch[1] = 1;
}

/* Write, stop, write again: the host changes the mapping in between. */
static void g_write_twice(struct nested_ctx *c)
{
	*(volatile uint64_t *)(uintptr_t)(c->scratch[0] + OFF) = 1;
	asm volatile("vmcall");
	*(volatile uint64_t *)(uintptr_t)(c->scratch[0] + OFF) = 2;
	c->scratch[1] = 1;
}

/* EPT on: an identity map, the test page in a 4 KiB leaf. */
static pt_root_t ept_begin(struct nested_ctx *ctx, bool ad)
{
	static struct ept_data d;

	d.root = vmx_ept_identity();
	d.ad = ad;
	pt_root_protect(d.root, PAGE, 4096, PT_RWX);
	vmx_ept_enable(d.root, ad);
	ctx->data = &d;
	memset(page, 0, sizeof(page));
	page[0] = 0xc3;		/* RET, for g_fetch */
	ctx->scratch[0] = PAGE;
	return d.root;
}

static void ept_end(struct nested_ctx *ctx)
{
	pt_root_free(((struct ept_data *)ctx->data)->root);
}

static uint64_t *leaf_of(pt_root_t root, uintptr_t gpa)
{
	struct pt_walk w;

	if (pt_root_walk(root, gpa, &w))
		report_abort("EPT: %#lx is not mapped", (unsigned long)gpa);
	return w.pte;
}

static void invept(struct nested_ctx *ctx)
{
	struct ept_data *d = ctx->data;
	vmx_status_t s = invept_safe(INVEPT_ALL, vmx_eptp(d->root, d->ad));

	if (s)
		report_abort("INVEPT all-context failed");
}

/* The violation's exit, qualification, addresses; the guest stopped before the access. */
static bool report_violation(struct nested_ctx *ctx, uint64_t qual, uint64_t gpa,
			     const char *what)
{
	const struct vmx_exit *e = vmx_exit(ctx);
	const uint64_t mask = 0x1bf;	/* bits 0-5, 7, 8 */

	if (!vmx_report_exit(ctx->vmx, EXIT_EPT_VIOLATION, "%s exits with an EPT violation",
			     what))
		return false;
	report_eq_x(qual, e->qual & mask, "EPT-violation qualification of %s", what);
	report_eq_x(gpa, e->gpa, "guest-physical address of %s", what);
	if (qual & EPTQ_FINAL)
		report_eq_x(gpa, e->gla, "guest-linear address of %s (identity mapped)", what);
	report_eq(0, ctx->scratch[1], "%s does not complete before the exit", what);
	return true;
}

static void identity_run(struct nested_ctx *ctx)
{
	ept_begin(ctx, false);
	*(uint64_t *)(page + OFF) = 0x5a5a;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "a guest under an identity EPT runs to VMCALL");
	report_eq_x(0x5a5a, ctx->scratch[3], "the guest reads host memory through the EPT");
	ept_end(ctx);
}

static void violation_read_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);

	pt_root_unmap(root, PAGE, 4096);
	nested_run(ctx);
	if (report_violation(ctx, EPTQ_READ | EPTQ_GLA_VALID | EPTQ_FINAL, PAGE + OFF,
			     "a read of a page the EPT does not map")) {
		pt_root_map(root, PAGE, PAGE, 4096, PT_RWX, true);
		invept(ctx);
		*(uint64_t *)(page + OFF) = 0x1234;
		nested_run(ctx);
		vmx_report_exit(ctx->vmx, EXIT_VMCALL,
				"the read completes once the page is mapped");
		report_eq_x(0x1234, ctx->scratch[3], "the resumed read sees the page");
	}
	ept_end(ctx);
}

static void violation_write_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);

	pt_root_protect(root, PAGE, 4096, PT_R | PT_X);
	nested_run(ctx);
	report_violation(ctx, EPTQ_WRITE | EPTQ_READABLE | EPTQ_EXECUTABLE | EPTQ_GLA_VALID |
			 EPTQ_FINAL, PAGE + OFF, "a write of a page mapped read/execute");
	ept_end(ctx);
}

static void violation_fetch_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);

	pt_root_protect(root, PAGE, 4096, PT_RW);
	nested_run(ctx);
	if (report_violation(ctx, EPTQ_FETCH | EPTQ_READABLE | EPTQ_WRITABLE | EPTQ_GLA_VALID |
			     EPTQ_FINAL, PAGE, "a fetch from a page mapped read/write"))
		report_eq_x(PAGE, vmx_exit(ctx)->rip,
			    "guest RIP at the fetch violation is the page");
	ept_end(ctx);
}

/* The guest's PML4 (its CR3 page) unmapped: the walk of the first fetch faults. */
static void violation_walk_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);
	uint64_t pml4 = read_cr3() & ~0xfffULL, rip = vmcs_read(VMCS_GUEST_RIP);

	pt_root_unmap(root, pml4, 4096);
	nested_run(ctx);
	report_violation(ctx, EPTQ_READ | EPTQ_GLA_VALID, pml4 + ((rip >> 39) & 511) * 8,
			 "the guest's page walk reading an unmapped PML4");
	ept_end(ctx);
}

/* ---- misconfigurations ---- */

static void misconfig_case(struct nested_ctx *ctx, uint64_t clear, uint64_t set,
			   const char *what)
{
	pt_root_t root = ept_begin(ctx, false);
	uint64_t *pte = leaf_of(root, PAGE);

	*pte = (*pte & ~clear) | set;
	nested_run(ctx);
	if (vmx_report_exit(ctx->vmx, EXIT_EPT_MISCONFIG, "an EPT entry %s is a misconfiguration",
			    what))
		report_eq_x(PAGE + OFF, vmx_exit(ctx)->gpa,
			    "guest-physical address of the misconfiguration (entry %s)", what);
	ept_end(ctx);
}

static void misconfig_wo_run(struct nested_ctx *ctx)
{
	misconfig_case(ctx, EPT_R | EPT_X, EPT_W, "writable but not readable");
}

static void misconfig_memtype_run(struct nested_ctx *ctx)
{
	misconfig_case(ctx, EPT_MT_MASK, EPT_MT(2), "with memory type 2");
}

static void misconfig_reserved_run(struct nested_ctx *ctx)
{
	misconfig_case(ctx, 0, 1ULL << vmx_caps()->maxphyaddr,
		       "with an address bit above MAXPHYADDR");
}

/* Execute-only: allowed with IA32_VMX_EPT_VPID_CAP[0], a misconfiguration without. */
static void exec_only_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);

	pt_root_protect(root, PAGE, 4096, PT_X);
	nested_run(ctx);
	if (!(vmx_caps()->ept_vpid & VMX_EPT_EXEC_ONLY))
		vmx_report_exit(ctx->vmx, EXIT_EPT_MISCONFIG,
				"an execute-only EPT entry without support is a misconfiguration");
	else
		report_violation(ctx, EPTQ_READ | EPTQ_EXECUTABLE | EPTQ_GLA_VALID | EPTQ_FINAL,
				 PAGE + OFF, "a read of an execute-only page");
	ept_end(ctx);
}

/* ---- accessed and dirty flags ---- */

static void ad_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, true);
	uint64_t pml4 = read_cr3() & ~0xfffULL, *pte, *pml4e;

	pt_root_protect(root, pml4, 4096, PT_RWX);
	pte = leaf_of(root, PAGE);
	pml4e = leaf_of(root, pml4);
	*pte &= ~(EPT_A | EPT_D);
	*pml4e &= ~(EPT_A | EPT_D);
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest reads its page with EPT A/D enabled");
	report_eq_x(EPT_A, *pte & (EPT_A | EPT_D), "a guest read sets A, not D, in the EPT leaf");
	report_eq_x(EPT_D, *pml4e & EPT_D,
		    "the guest's page walk counts as a write: D set on its PML4's EPT leaf");
	ept_end(ctx);
}

static void g_read_write(struct nested_ctx *c)
{
	g_read(c);
	if (c->scratch[2])
		g_write(c);
}

static void ad_write_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, true);
	uint64_t *pte = leaf_of(root, PAGE);

	*pte &= ~(EPT_A | EPT_D);
	ctx->scratch[2] = 1;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest writes its page with EPT A/D enabled");
	report_eq_x(EPT_A | EPT_D, *pte & (EPT_A | EPT_D),
		    "a guest write sets A and D in the EPT leaf");
	ept_end(ctx);
}

static void ad_off_run(struct nested_ctx *ctx)
{
	pt_root_t root = ept_begin(ctx, false);
	uint64_t *pte = leaf_of(root, PAGE);

	ctx->scratch[2] = 1;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest writes its page with EPT A/D disabled");
	report_eq_x(0, *pte & (EPT_A | EPT_D),
		    "without EPTP bit 6 the EPT leaf keeps A and D clear");
	ept_end(ctx);
}

/* ---- large pages ---- */

#define REMAP_GPA	0x80000000UL	/* 2 GiB: no RAM here, identity mapped by the host */

static void large_case(struct nested_ctx *ctx, int level)
{
	uint64_t size = level == 2 ? 2UL << 20 : 1UL << 30;
	pt_root_t root = ept_begin(ctx, false);
	uint64_t host = level == 2 ? (uintptr_t)alloc_pages(9) : 0;
	uint64_t *marker = (uint64_t *)(uintptr_t)(host + (level == 2 ? 0x1230 : PAGE + OFF));
	struct pt_walk w;

	if (level == 2 && !host)
		report_abort("out of memory for a 2 MiB page");
	*marker = 0xfeedULL << level;
	pt_root_map(root, REMAP_GPA, host, size, PT_RWX, false);
	if (pt_root_walk(root, REMAP_GPA, &w) || w.level != level)
		report_abort("EPT: no leaf at level %d", level);
	ctx->scratch[0] = REMAP_GPA + ((uintptr_t)marker - host) - OFF;
	nested_run(ctx);
	vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest reads through a %s EPT leaf",
			level == 2 ? "2 MiB" : "1 GiB");
	report_eq_x(0xfeedULL << level, ctx->scratch[3],
		    "a %s EPT leaf maps the guest-physical region to its host frame",
		    level == 2 ? "2 MiB" : "1 GiB");
	if (level == 2)
		free_pages((void *)(uintptr_t)host, 9);
	ept_end(ctx);
}

static void large_2m_run(struct nested_ctx *ctx)
{
	large_case(ctx, 2);
}

static void large_1g_run(struct nested_ctx *ctx)
{
	large_case(ctx, 3);
}

/* ---- INVEPT ---- */

static void invept_case(struct nested_ctx *ctx, uint64_t type, const char *what)
{
	struct ept_data *d;
	pt_root_t root = ept_begin(ctx, false);

	d = ctx->data;
	nested_run(ctx);
	if (!vmx_report_exit(ctx->vmx, EXIT_VMCALL, "the guest's first write completes (%s)", what))
		goto out;
	pt_root_protect(root, PAGE, 4096, PT_R | PT_X);
	vmx_report_status(VMX_OK, invept_safe(type, vmx_eptp(d->root, d->ad)),
			  "INVEPT %s after write-protecting the page succeeds", what);
	vmx_skip_insn(ctx->vmx);
	nested_run(ctx);
	report_violation(ctx, EPTQ_WRITE | EPTQ_READABLE | EPTQ_EXECUTABLE | EPTQ_GLA_VALID |
			 EPTQ_FINAL, PAGE + OFF, what);
out:
	ept_end(ctx);
}

static void invept_single_run(struct nested_ctx *ctx)
{
	invept_case(ctx, INVEPT_SINGLE, "the write after INVEPT single-context");
}

static void invept_all_run(struct nested_ctx *ctx)
{
	invept_case(ctx, INVEPT_ALL, "the write after INVEPT all-context");
}

VMX_TEST(ept_identity, .guest = g_read, .run = identity_run)
VMX_TEST(ept_violation_read, .guest = g_read, .run = violation_read_run)
VMX_TEST(ept_violation_write, .guest = g_write, .run = violation_write_run)
VMX_TEST(ept_violation_fetch, .guest = g_fetch, .run = violation_fetch_run)
VMX_TEST(ept_violation_walk, .guest = g_read, .run = violation_walk_run)
VMX_TEST(ept_misconfig_write_only, .guest = g_read, .run = misconfig_wo_run)
VMX_TEST(ept_misconfig_memtype, .guest = g_read, .run = misconfig_memtype_run)
VMX_TEST(ept_misconfig_reserved, .guest = g_read, .run = misconfig_reserved_run)
VMX_TEST(ept_execute_only, .guest = g_read, .run = exec_only_run)
VMX_TEST(ept_ad_read, .guest = g_read_write, .run = ad_run)
VMX_TEST(ept_ad_write, .guest = g_read_write, .run = ad_write_run)
VMX_TEST(ept_ad_disabled, .guest = g_read_write, .run = ad_off_run)
VMX_TEST(ept_large_2m, .guest = g_read, .run = large_2m_run)
VMX_TEST(ept_large_1g, .guest = g_read, .run = large_1g_run)
VMX_TEST(invept_single_context, .guest = g_write_twice, .run = invept_single_run)
VMX_TEST(invept_all_context, .guest = g_write_twice, .run = invept_all_run)

static const char *needs_cap(uint64_t bit, const char *why)
{
	const char *r = vmx_needs_ept();

	return r ?: vmx_caps()->ept_vpid & bit ? NULL : why;
}

static const char *needs_2m(void)
{
	return needs_cap(VMX_EPT_2M, "EPT 2 MiB pages not supported");
}

static const char *needs_1g(void)
{
	return needs_cap(VMX_EPT_1G, "EPT 1 GiB pages not supported");
}

static const char *needs_invept_single(void)
{
	return needs_cap(VMX_EPT_INVEPT_SINGLE, "INVEPT single-context not supported");
}

static const char *needs_invept_all(void)
{
	return needs_cap(VMX_EPT_INVEPT_ALL, "INVEPT all-context not supported");
}

static const struct subtest tests[] = {
	SUBTEST_NEEDS(ept_identity, vmx_needs_ept),
	SUBTEST_NEEDS(ept_violation_read, needs_invept_all),
	SUBTEST_NEEDS(ept_violation_write, vmx_needs_ept),
	SUBTEST_NEEDS(ept_violation_fetch, vmx_needs_ept),
	SUBTEST_NEEDS(ept_violation_walk, vmx_needs_ept),
	SUBTEST_NEEDS(ept_misconfig_write_only, vmx_needs_ept),
	SUBTEST_NEEDS(ept_misconfig_memtype, vmx_needs_ept),
	SUBTEST_NEEDS(ept_misconfig_reserved, vmx_needs_ept),
	SUBTEST_NEEDS(ept_execute_only, vmx_needs_ept),
	SUBTEST_NEEDS(ept_ad_read, vmx_needs_ept_ad),
	SUBTEST_NEEDS(ept_ad_write, vmx_needs_ept_ad),
	SUBTEST_NEEDS(ept_ad_disabled, vmx_needs_ept),
	SUBTEST_NEEDS(ept_large_2m, needs_2m),
	SUBTEST_NEEDS(ept_large_1g, needs_1g),
	SUBTEST_NEEDS(invept_single_context, needs_invept_single),
	SUBTEST_NEEDS(invept_all_context, needs_invept_all),
};

NESTED_TABLE(vmx_ept_tests, tests);
