// SPDX-License-Identifier: MIT
/*
 * Protection keys (SDM vol. 3A 4.6.2, 4.7; APM vol. 2 5.6.7): with
 * CR4.PKE = 1 the leaf's key (bits 62:59) selects two PKRU bits. AD denies
 * every data access to a user-mode address, WD denies user writes and, with
 * CR0.WP = 1, supervisor writes; a fault for a key sets PK in the error
 * code. Keys never apply to fetches nor to supervisor-mode addresses. With
 * CR4.PKE = 0 the key bits are ignored (neither a key nor reserved).
 *
 * For each leaf size, U/S and R/W of the leaf, CR0.WP, and the four rights
 * of the leaf's key, the six plain accesses are checked; every other key
 * gets the opposite rights (key 0, which lib's user stack and code use,
 * stays open), so a VMM that looks up the wrong key fails. The key moves
 * through 1-15 from one combination to the next.
 */
#include "access.h"

/* PKRU with @rights (bit 0 AD, bit 1 WD) for @key and the opposite for keys 1-15. */
static uint32_t pkru_for(int key, unsigned int rights)
{
	uint32_t v = 0;

	for (int k = 1; k < 16; k++)
		v |= (k == key ? rights : ~rights & 3) << (2 * k);
	return v;
}

static void pku_leaf(struct amap *m, const struct acc_env *e, int key)
{
	unsigned int rights = e->pkru >> (2 * key) & 3;

	for (int i = 0; i < 4; i++) {
		struct arights r = { .present = true, .w = i & 1, .u = i & 2, .pkey = key };
		uint64_t *leaf = m->e[m->leaf];

		amap_reset(m);
		*leaf = (m->base[m->leaf] & ~(PTE_W | PTE_U | PTE_PKEY)) |
			(r.w ? PTE_W : 0) | (r.u ? PTE_U : 0) | (uint64_t)key << PTE_PKEY_SHIFT;
		for (int a = 0; a < NR_ACC_PLAIN; a++) {
			struct aresult want = acc_expect(m, &r, e, a);
			struct aresult got = acc_run(m, a);

			acc_check(&want, &got, "%s key%d US%d RW%d AD%d WD%d, WP%d PKE%d: %s",
				  level_name[m->leaf], key, r.u, r.w, rights & 1, rights >> 1,
				  e->wp, e->pke, acc_name[a]);
		}
	}
	amap_reset(m);
}

void pku(void)
{
	int key = 0;

	access_setup();
	for (int leaf = 1; leaf <= 3; leaf++) {
		struct amap m;

		if (!amap_init(&m, leaf, false)) {
			report_skip("1 GiB leaves: CPUID.80000001H:EDX[26] not supported");
			continue;
		}
		/* rights 4: CR4.PKE = 0 with every right denied, which must not matter. */
		for (int wp = 0; wp < 2; wp++) {
			for (unsigned int rights = 0; rights <= 4; rights++) {
				bool pke = rights < 4;
				struct acc_env e = {
					.wp = wp, .nxe = this_cpu_has(X86_FEATURE_NX), .pke = pke,
				};

				key = key % 15 + 1;
				e.pkru = pkru_for(key, pke ? rights : 3);
				acc_env_apply(&e);
				pku_leaf(&m, &e, key);
			}
		}
	}
	acc_env_restore();
	access_teardown();
}
