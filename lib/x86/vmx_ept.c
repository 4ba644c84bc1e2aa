// SPDX-License-Identifier: MIT
/*
 * EPT paging structures (Intel SDM vol. 3C, 29.3) through lib/vm.h: the
 * entry format as a struct pt_format, an identity map, the EPTP (25.6.11).
 * EPT has the geometry of 4-level paging (29.3.2): 512 entries per table,
 * 9 index bits per level; entries are present when any of R, W and X is
 * set, leaves carry a memory type (bits 5:3) and a page-size bit above
 * level 1.
 */
#include "report.h"
#include "vmx.h"

static uint64_t ept_none(int level)
{
	return 0;
}

static bool ept_leaf_ok(int level)
{
	uint64_t cap = vmx_caps()->ept_vpid;

	return (level == 2 && (cap & VMX_EPT_2M)) || (level == 3 && (cap & VMX_EPT_1G));
}

static bool ept_present(uint64_t pte, int level)
{
	return pte & (EPT_R | EPT_W | EPT_X);
}

static bool ept_is_leaf(uint64_t pte, int level)
{
	return level == 1 || (pte & EPT_LEAF);
}

static uint64_t ept_addr(uint64_t pte)
{
	return pte & EPT_ADDR;
}

/* Tables grant everything: the leaves decide. */
static uint64_t ept_table(uint64_t *table, int level)
{
	return (uintptr_t)table | EPT_R | EPT_W | EPT_X;
}

static uint64_t ept_leaf(uint64_t phys, unsigned int flags, int level)
{
	uint64_t pte = phys | EPT_MT(flags & PT_DEVICE ? MT_UC : MT_WB);

	if (flags & PT_R)
		pte |= EPT_R;
	if (flags & PT_W)
		pte |= EPT_W;
	if (flags & PT_X)
		pte |= EPT_X;
	if (level > 1)
		pte |= EPT_LEAF;
	return pte;
}

static unsigned int ept_flags(uint64_t pte)
{
	unsigned int f = 0;

	if (pte & EPT_R)
		f |= PT_R;
	if (pte & EPT_W)
		f |= PT_W;
	if (pte & EPT_X)
		f |= PT_X;
	if ((pte & EPT_MT_MASK) == EPT_MT(MT_UC))
		f |= PT_DEVICE;
	return f;
}

static const struct pt_format ept_format = {
	.none = ept_none,
	.leaf_ok = ept_leaf_ok,
	.present = ept_present,
	.is_leaf = ept_is_leaf,
	.addr = ept_addr,
	.table = ept_table,
	.leaf = ept_leaf,
	.flags = ept_flags,
};

pt_root_t vmx_ept_alloc(void)
{
	pt_root_t root = pt_root_alloc_format(&ept_format);

	if (!root)
		report_abort("VMX: out of memory for an EPT root");
	return root;
}

pt_root_t vmx_ept_identity(void)
{
	pt_root_t root = vmx_ept_alloc();
	const uint64_t gib = 1ULL << 30;

	if (pt_root_map(root, 0, 0, 3 * gib, PT_RWX, false) ||
	    pt_root_map(root, 3 * gib, 3 * gib, gib, PT_RWX | PT_DEVICE, false))
		report_abort("VMX: cannot build the EPT identity map");
	return root;
}

uint64_t vmx_eptp(pt_root_t root, bool ad)
{
	return root | EPTP_MT_WB | EPTP_WALK4 | (ad ? EPTP_AD : 0);
}

void vmx_ept_enable(pt_root_t root, bool ad)
{
	vmx_set_ctl(VMX_PROC2, PROC2_EPT);
	vmcs_write(VMCS_EPTP, vmx_eptp(root, ad));
}
