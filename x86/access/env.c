// SPDX-License-Identifier: MIT
/*
 * The address space and machinery of the access matrix.
 *
 * A private root maps 0..4 GiB supervisor-only (the top GiB uncached), so
 * that CR4.SMEP and CR4.SMAP can be set while CPL0 code runs; only
 * .usertext (lib's way back from CPL3 and the user stubs below) and the
 * CPL3 stack are user pages. No entry of it has XD set, so EFER.NXE can be
 * cleared. The test mappings live in PML4 slots 1-3 (4 KiB, 2 MiB and
 * 1 GiB leaves), or in PML5 slot 1 under LA57, and all reach one physical
 * page: data accesses go to its byte 0x200, fetches to 0x100, which holds
 * "jmp *%rcx" back to the stub. A #PF handler records the error code and
 * CR2 and resumes the stub after its access.
 */
#include "access.h"
#include "alloc.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"
#include "paging.h"
#include "user.h"
#include "usermode.h"

#define SLOT(leaf)	((uintptr_t)(leaf) << 39)
#define LA57_BASE	(1ULL << 48)
#define DATA_OFF	0x200
#define FETCH_OFF	0x100
#define SZ_1G		(1ULL << 30)

const char *const acc_name[NR_ACC] = {
	"user read", "user write", "user fetch", "sup read", "sup write", "sup fetch",
	"sup read AC1", "sup write AC1",
};

const char *const level_name[PT_MAX_LEVELS + 1] = {
	"", "PTE", "PDE", "PDPTE", "PML4E", "PML5E",
};

ACC_STUB(u_read, USER_TEXT, "movb (%rdi), %al", "");
ACC_STUB(u_write, USER_TEXT, "movb $0x5a, (%rdi)", "");
ACC_STUB(u_fetch, USER_TEXT, "lea u_fetch_next(%rip), %rcx; jmp *%rdi", "");
ACC_STUB(k_read, ".text", "movb (%rdi), %al", "");
ACC_STUB(k_write, ".text", "movb $0x5a, (%rdi)", "");
ACC_STUB(k_fetch, ".text", "lea k_fetch_next(%rip), %rcx; jmp *%rdi", "");
ACC_STUB(k_read_ac, ".text", SET_AC "movb (%rdi), %al", CLEAR_AC);
ACC_STUB(k_write_ac, ".text", SET_AC "movb $0x5a, (%rdi)", CLEAR_AC);

static const struct {
	uint64_t (*fn)(uint64_t);
	const char *next;
} stubs[NR_ACC] = {
	{ u_read, u_read_next }, { u_write, u_write_next }, { u_fetch, u_fetch_next },
	{ k_read, k_read_next }, { k_write, k_write_next }, { k_fetch, k_fetch_next },
	{ k_read_ac, k_read_ac_next }, { k_write_ac, k_write_ac_next },
};

static struct {
	uintptr_t resume;	/* armed: where the next #PF resumes; 0: none expected */
	int n;
	uint32_t ec;
	uint64_t cr2;
} pf;

static uint8_t *target_page;
static pt_root_t saved_root, root;
static handler_t saved_pf;
static uint64_t saved_cr0, saved_cr4, saved_efer;
static struct acc_env cur;

static void pf_handler(struct ex_regs *r)
{
	if (!pf.resume)
		report_abort("unexpected #PF(%#lx) at %#lx, CR2 %#lx", r->error_code, r->rip,
			     read_cr2());
	pf.n++;
	pf.ec = r->error_code;
	pf.cr2 = read_cr2();
	r->rip = pf.resume;
	pf.resume = 0;
}

void access_setup(void)
{
	if (!target_page) {
		target_page = alloc_page();
		if (!target_page)
			report_abort("out of memory for the target page");
		/* FF E1: jmp *%rcx, back to the fetch stub. */
		target_page[FETCH_OFF] = 0xff;
		target_page[FETCH_OFF + 1] = 0xe1;
	}
	saved_cr0 = read_cr0();
	saved_cr4 = read_cr4();
	saved_efer = rdmsr(MSR_EFER);
	cur = (struct acc_env){ .wp = saved_cr0 & X86_CR0_WP, .nxe = saved_efer & EFER_NXE };
	root = paging_supervisor_root();
	saved_root = read_cr3();
	write_cr3(root);
	saved_pf = install_exception_handler(PF_VECTOR, pf_handler);
}

void access_teardown(void)
{
	acc_env_restore();
	paging_la57_leave();
	install_exception_handler(PF_VECTOR, saved_pf);
	write_cr3(saved_root);
	pt_root_free(root);
}

/* @gen for @leaf in a fresh address space (4-level paging). */
void access_run(acc_gen_t gen, int leaf)
{
	access_setup();
	gen(leaf, false, 0);
	access_teardown();
}

/* @gen for the PML5E of each leaf size under 5-level paging. */
void access_run_la57(acc_gen_t gen)
{
	access_setup();
	paging_la57_enter();
	if (report(paging_la57_active(), "CR4.LA57 reads 1 after the switch to 5-level paging")) {
		for (int leaf = 1; leaf <= 3; leaf++) {
			report_prefix_pushf("%s", leaf == 1 ? "4K" : leaf == 2 ? "2M" : "1G");
			gen(leaf, true, 5);
			report_prefix_pop();
		}
	}
	access_teardown();
}

static uint64_t set_if(uint64_t v, uint64_t bit, bool on)
{
	return on ? v | bit : v & ~bit;
}

static void wrpkru(uint32_t v)
{
	asm volatile("wrpkru" : : "a"(v), "c"(0), "d"(0) : "memory");
}

/* Load @e's control bits, writing only the registers that change. */
void acc_env_apply(const struct acc_env *e)
{
	if (e->wp != cur.wp)
		write_cr0(set_if(read_cr0(), X86_CR0_WP, e->wp));
	if (e->smep != cur.smep || e->smap != cur.smap || e->pke != cur.pke) {
		uint64_t cr4 = read_cr4();

		cr4 = set_if(cr4, X86_CR4_SMEP, e->smep);
		cr4 = set_if(cr4, X86_CR4_SMAP, e->smap);
		write_cr4(set_if(cr4, X86_CR4_PKE, e->pke));
	}
	if (e->nxe != cur.nxe)
		wrmsr(MSR_EFER, set_if(rdmsr(MSR_EFER), EFER_NXE, e->nxe));
	if (e->pke && (!cur.pke || e->pkru != cur.pkru))
		wrpkru(e->pkru);
	cur = *e;
}

void acc_env_restore(void)
{
	if (cur.pke)
		wrpkru(0);
	/* The paging mode stays: CR4.LA57 cannot change here. */
	write_cr4((saved_cr4 & ~X86_CR4_LA57) | (read_cr4() & X86_CR4_LA57));
	write_cr0(saved_cr0);
	wrmsr(MSR_EFER, saved_efer);
	cur = (struct acc_env){ .wp = saved_cr0 & X86_CR0_WP, .nxe = saved_efer & EFER_NXE };
}

/* Why @e cannot be set up here, or NULL. */
const char *env_support(const struct acc_env *e)
{
	if (e->smep && !this_cpu_has(X86_FEATURE_SMEP))
		return "CR4.SMEP (CPUID.7.0:EBX[7]) not supported";
	if (e->smap && !this_cpu_has(X86_FEATURE_SMAP))
		return "CR4.SMAP (CPUID.7.0:EBX[20]) not supported";
	if (e->nxe && !this_cpu_has(X86_FEATURE_NX))
		return "EFER.NXE (CPUID.80000001H:EDX[20]) not supported";
	if (e->pke && !this_cpu_has(X86_FEATURE_PKU))
		return "CR4.PKE (CPUID.7.0:ECX[3]) not supported";
	return NULL;
}

/*
 * Map the target page with a @leaf-level leaf (user, writable, executable)
 * in the current paging mode and record the entries of its translation.
 * Returns false when the CPU has no leaf of that size.
 */
bool amap_init(struct amap *m, int leaf, bool la57)
{
	static const uint64_t size[] = { 0, PAGE_SIZE, 1ULL << 21, SZ_1G };
	uintptr_t tp = (uintptr_t)target_page, phys = tp & ~(size[leaf] - 1);
	uintptr_t va = (la57 ? LA57_BASE : 0) + SLOT(leaf);
	struct pt_walk w;

	if (leaf == 3 && !this_cpu_has(X86_FEATURE_GBPAGES))
		return false;
	memset(m, 0, sizeof(*m));
	m->leaf = leaf;
	m->top = la57 ? 5 : 4;
	va += tp - phys;
	if (pt_map(va & ~(size[leaf] - 1), phys, size[leaf], PT_RWX | PT_USER) ||
	    pt_walk(va, &w) || w.level != leaf)
		report_abort("cannot map the target with a level-%d leaf", leaf);
	for (int l = m->top; l >= leaf; l--) {
		m->e[l] = w.entries[l];
		m->base[l] = (*m->e[l] | PTE_P | PTE_W | PTE_U) & ~(PTE_A | PTE_D | PTE_NX);
	}
	m->target = (va & ~(PAGE_SIZE - 1)) + DATA_OFF;
	amap_reset(m);
	return true;
}

/* Every entry back to present, writable, user, executable. */
void amap_reset(struct amap *m)
{
	for (int l = m->top; l >= m->leaf; l--)
		*m->e[l] = m->base[l];
	invlpg(m->target);
}

/* The target page through lib's identity map (a supervisor page). */
void *target_identity(void)
{
	return target_page;
}

/* The virtual address of the target page. */
uintptr_t amap_page(const struct amap *m)
{
	return m->target - DATA_OFF;
}

/*
 * Call @fn(@arg) (at CPL3 when @user) with the #PF handler resuming at
 * @next, after clearing the accessed and dirty flags of @m's translation;
 * CR2 must land in [@cr2_lo, @cr2_hi].
 */
struct aresult acc_run_stub(const struct amap *m, uint64_t (*fn)(uint64_t), const char *next,
			    uint64_t arg, bool user, uintptr_t cr2_lo, uintptr_t cr2_hi)
{
	struct aresult res = { .levels = m->top - m->leaf + 1 };

	for (int l = m->top; l >= m->leaf; l--)
		*m->e[l] &= ~(PTE_A | PTE_D);
	/* INVLPG drops the page's TLB entries and all paging-structure caches (SDM 4.10.4.1). */
	invlpg(amap_page(m));
	pf.n = 0;
	pf.resume = (uintptr_t)next;
	if (user)
		run_in_user(fn, arg);
	else
		fn(arg);
	pf.resume = 0;
	res.fault = pf.n;
	res.ec = pf.ec;
	res.cr2_ok = pf.cr2 >= cr2_lo && pf.cr2 <= cr2_hi;
	for (int l = m->top; l >= m->leaf; l--)
		if (*m->e[l] & PTE_A)
			res.a |= 1U << (l - m->leaf);
	res.d = *m->e[m->leaf] & PTE_D;
	return res;
}

/* Run access @a on @m's target with the entries as they are now. */
struct aresult acc_run(const struct amap *m, enum acc a)
{
	uintptr_t addr = acc_fetch(a) ? amap_page(m) + FETCH_OFF : m->target;

	return acc_run_stub(m, stubs[a].fn, stubs[a].next, addr, acc_user(a), addr, addr);
}
