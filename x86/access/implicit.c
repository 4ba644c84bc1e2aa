// SPDX-License-Identifier: MIT
/*
 * Implicit supervisor-mode accesses (SDM vol. 3A 4.6.1, 4.7; APM vol. 2
 * 5.6.6): loading DS from the LDT reads the descriptor, and writes its
 * accessed bit when clear, as supervisor-mode accesses even at CPL3. With
 * CR4.SMAP = 1 neither may touch a user-mode page whatever EFLAGS.AC says;
 * the write also obeys R/W when CR0.WP = 1. The #PF error code has U/S
 * clear, W/R set for the accessed-bit write, and CR2 is inside the
 * descriptor.
 *
 * The LDT is the last 16 bytes of the 4 KiB target page; its entry 1 is a
 * DPL3 data segment, accessed or not. For CPL0 and CPL3, U/S and R/W of the
 * PTE, CR0.WP, CR4.SMAP and EFLAGS.AC, one check each of the outcome: the
 * fault, or the accessed flags of the translation and the dirty flag (set
 * exactly when the accessed bit was written) plus, separately, the
 * descriptor's accessed bit.
 */
#include "access.h"
#include "asm/desc.h"
#include "usermode.h"

#define LDT_OFF		(PAGE_SIZE - 16)
#define SEL_LDT		0x50
#define SEL_LDT_DS	(8 | 4 | 3)	/* LDT entry 1, TI = 1, RPL 3 */
#define DESC_DATA3	0x00cff2000000ffffULL	/* read/write data, DPL3, not accessed */
#define DESC_ACCESSED	BIT_ULL(40)

#define NULL_DS		"xor %eax, %eax; mov %eax, %ds"
#define KERNEL_DS_STR	"mov $0x10, %eax; mov %eax, %ds"

ACC_STUB(u_lds, USER_TEXT, "mov %edi, %ds", NULL_DS);
ACC_STUB(u_lds_ac, USER_TEXT, SET_AC "mov %edi, %ds", NULL_DS "; " CLEAR_AC);
ACC_STUB(k_lds, ".text", "mov %edi, %ds", KERNEL_DS_STR);
ACC_STUB(k_lds_ac, ".text", SET_AC "mov %edi, %ds", KERNEL_DS_STR "; " CLEAR_AC);

static uint64_t gdt[16] __aligned(16);

/* A copy of this CPU's GDT with an LDT descriptor for @ldt at SEL_LDT, loaded; LDTR too. */
static void ldt_load(uintptr_t ldt, struct desc_ptr *saved)
{
	struct desc_ptr mine = { sizeof(gdt) - 1, (uintptr_t)gdt };

	asm volatile("sgdt %0" : "=m"(*saved));
	if (saved->limit + 1 > SEL_LDT)
		report_abort("lib's GDT grew into the test's LDT descriptor (limit %#x)",
			     saved->limit);
	memcpy(gdt, (void *)saved->base, saved->limit + 1);
	gdt[SEL_LDT / 8] = 15 | (ldt & 0xffffff) << 16 | 0x82ULL << 40 |
			   (uint64_t)(ldt >> 24 & 0xff) << 56;
	gdt[SEL_LDT / 8 + 1] = ldt >> 32;
	asm volatile("lgdt %0; lldt %w1" : : "m"(mine), "r"(SEL_LDT) : "memory");
}

static void ldt_unload(const struct desc_ptr *saved)
{
	asm volatile("lldt %w0; lgdt %1" : : "r"(0), "m"(*saved) : "memory");
}

struct ldt_case {
	bool user, u, w, wp, smap, ac, accessed;
};

static struct aresult ldt_expect(const struct amap *m, const struct ldt_case *c)
{
	struct aresult res = { .cr2_ok = true, .levels = m->top - m->leaf + 1 };
	bool no_read = c->smap && c->u;

	if (no_read || (!c->accessed && ((c->wp && !c->w) || no_read))) {
		res.fault = true;
		res.ec = PFERR_P | (no_read ? 0 : PFERR_W);
		return res;
	}
	res.a = (1U << res.levels) - 1;
	res.d = !c->accessed;
	return res;
}

static void ldt_check(struct amap *m, const struct ldt_case *c)
{
	uintptr_t desc_va = amap_page(m) + LDT_OFF + 8;
	uint64_t *desc = (uint64_t *)((char *)target_identity() + LDT_OFF + 8);
	struct acc_env e = { .wp = c->wp, .smap = c->smap, .nxe = this_cpu_has(X86_FEATURE_NX) };
	uint64_t (*fn)(uint64_t) = c->user ? (c->ac ? u_lds_ac : u_lds)
					   : (c->ac ? k_lds_ac : k_lds);
	const char *next = c->user ? (c->ac ? u_lds_ac_next : u_lds_next)
				   : (c->ac ? k_lds_ac_next : k_lds_next);
	struct aresult want = ldt_expect(m, c), got;

	amap_reset(m);
	*m->e[1] = (m->base[1] & ~(PTE_U | PTE_W)) | (c->u ? PTE_U : 0) | (c->w ? PTE_W : 0);
	*desc = DESC_DATA3 | (c->accessed ? DESC_ACCESSED : 0);
	acc_env_apply(&e);
	got = acc_run_stub(m, fn, next, SEL_LDT_DS, c->user, desc_va, desc_va + 7);
	acc_check(&want, &got,
		  "US%d RW%d, WP%d SMAP%d AC%d, accessed%d: CPL%d load of DS from the LDT",
		  c->u, c->w, c->wp, c->smap, c->ac, c->accessed, c->user ? 3 : 0);
	if (!want.fault)
		report(*desc & DESC_ACCESSED, "US%d RW%d, WP%d SMAP%d AC%d, accessed%d: CPL%d load "
		       "of DS sets the descriptor's accessed bit", c->u, c->w, c->wp, c->smap,
		       c->ac, c->accessed, c->user ? 3 : 0);
}

void implicit_ldt(void)
{
	bool smap = this_cpu_has(X86_FEATURE_SMAP);
	struct desc_ptr saved;
	struct amap m;

	access_setup();
	amap_init(&m, 1, false);
	ldt_load(amap_page(&m) + LDT_OFF, &saved);
	if (!smap)
		report_skip("CR4.SMAP=1 cases: CPUID.7.0:EBX[20] not supported");
	for (int i = 0; i < 128; i++) {
		struct ldt_case c = {
			.user = i & 1, .u = i & 2, .w = i & 4, .wp = i & 8, .smap = i & 16,
			.ac = i & 32, .accessed = i & 64,
		};

		if (c.smap && !smap)
			continue;
		ldt_check(&m, &c);
	}
	acc_env_restore();
	ldt_unload(&saved);
	amap_reset(&m);
	access_teardown();
}
