// SPDX-License-Identifier: MIT
/*
 * The permission matrix: for each leaf size and each entry of the
 * translation (PML5E under LA57, PML4E, PDPTE, PDE, PTE), that entry takes
 * each of nine states (not present, or present with every R/W, U/S, XD)
 * while the others allow everything, under every combination of CR0.WP,
 * CR4.SMEP, CR4.SMAP and EFER.NXE the CPU supports, and each of the eight
 * accesses (user and supervisor read, write, fetch; supervisor read and
 * write with EFLAGS.AC = 1) is checked against the model (model.c). With
 * NXE = 0 a set XD bit is a reserved bit (SDM vol. 3A 4.5, table 4-20).
 *
 * A check's message is the combination: "PDE P1 RW0 US1 XD0, WP1 SMEP0
 * SMAP1 NXE1: sup write AC1" under the subtest of its leaf size.
 */
#include "access.h"

#define NR_STATES	9
#define NR_ENVS		16

static uint64_t state_bits(int s)
{
	if (!s)
		return 0;
	s--;
	return PTE_P | (s & 1 ? PTE_W : 0) | (s & 2 ? PTE_U : 0) | (s & 4 ? PTE_NX : 0);
}

static struct acc_env env_of(int i)
{
	return (struct acc_env){ .wp = i & 1, .smep = i & 2, .smap = i & 4, .nxe = i & 8 };
}

/* All states of the entry at @level, all accesses, in the environment now loaded. */
static void perm_level(struct amap *m, int level, const struct acc_env *e)
{
	for (int s = 0; s < NR_STATES; s++) {
		uint64_t bits = state_bits(s);
		struct arights r = {
			.present = bits & PTE_P, .rsvd = (bits & PTE_NX) && !e->nxe,
			.w = bits & PTE_W, .u = bits & PTE_U, .nx = bits & PTE_NX,
		};

		amap_reset(m);
		*m->e[level] = (m->base[level] & ~(PTE_P | PTE_W | PTE_U | PTE_NX)) | bits;
		for (int a = 0; a < NR_ACC; a++) {
			struct aresult want = acc_expect(m, &r, e, a);
			struct aresult got = acc_run(m, a);

			acc_check(&want, &got,
				  "%s P%d RW%d US%d XD%d, WP%d SMEP%d SMAP%d NXE%d: %s",
				  level_name[level], r.present, r.w, r.u, r.nx, e->wp, e->smep,
				  e->smap, e->nxe, acc_name[a]);
		}
	}
	amap_reset(m);
}

/* The matrix for a @leaf-level leaf; @only: one entry level, 0 for all of them. */
static void perm_run(int leaf, bool la57, int only)
{
	struct amap m;

	if (!amap_init(&m, leaf, la57)) {
		report_skip("level-%d leaves: 1 GiB pages (CPUID.80000001H:EDX[26]) not supported",
			    leaf);
		return;
	}
	for (int i = 0; i < NR_ENVS; i++) {
		struct acc_env e = env_of(i);
		const char *why = env_support(&e);

		if (why) {
			report_skip("WP%d SMEP%d SMAP%d NXE%d: %s", e.wp, e.smep, e.smap, e.nxe,
				    why);
			continue;
		}
		acc_env_apply(&e);
		for (int l = m.top; l >= leaf; l--)
			if (!only || l == only)
				perm_level(&m, l, &e);
	}
	acc_env_restore();
}

void perm_4k(void)
{
	access_run(perm_run, 1);
}

void perm_2m(void)
{
	access_run(perm_run, 2);
}

void perm_1g(void)
{
	access_run(perm_run, 3);
}

/* Under 5-level paging the PML5E, for each leaf size (the rest is as under 4 levels). */
void la57_perm(void)
{
	access_run_la57(perm_run);
}
