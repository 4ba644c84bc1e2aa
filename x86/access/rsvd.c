// SPDX-License-Identifier: MIT
/*
 * Reserved bits: each one the architecture defines for an entry of the
 * translation, set alone, makes every access fault with #PF(P|RSVD) plus
 * the access's W/R, U/S and I/D bits (SDM vol. 3A 4.5 tables 4-14 to 4-20,
 * 4.7; APM vol. 2 5.3.3 and 5.4): address bits 51:MAXPHYADDR of every
 * entry, PS (bit 7) of a PML5E or PML4E, bits 20:13 of a 2 MiB leaf and
 * 29:13 of a 1 GiB leaf. XD with EFER.NXE = 0 is covered by perm.c.
 */
#include "access.h"

static uint64_t rsvd_mask(int level, int leaf)
{
	int maxphy = cpuid_maxphyaddr();
	uint64_t m = maxphy < 52 ? GENMASK_ULL(51, maxphy) : 0;

	if (level >= 4)
		m |= PTE_PS;
	if (level == leaf && leaf == 2)
		m |= GENMASK_ULL(20, 13);
	if (level == leaf && leaf == 3)
		m |= GENMASK_ULL(29, 13);
	return m;
}

static void rsvd_run(int leaf, bool la57, int only)
{
	struct acc_env e = { .wp = true, .nxe = this_cpu_has(X86_FEATURE_NX) };
	struct arights r = { .present = true, .rsvd = true, .w = true, .u = true };
	struct amap m;

	if (!amap_init(&m, leaf, la57)) {
		report_skip("level-%d leaves: 1 GiB pages (CPUID.80000001H:EDX[26]) not supported",
			    leaf);
		return;
	}
	acc_env_apply(&e);
	for (int l = m.top; l >= leaf; l--) {
		uint64_t mask = rsvd_mask(l, leaf);

		if (only && l != only)
			continue;
		for (int bit = 0; bit < 64; bit++) {
			if (!(mask & BIT_ULL(bit)))
				continue;
			amap_reset(&m);
			*m.e[l] |= BIT_ULL(bit);
			for (int a = 0; a < NR_ACC_PLAIN; a++) {
				struct aresult want = acc_expect(&m, &r, &e, a);
				struct aresult got = acc_run(&m, a);

				acc_check(&want, &got, "%s bit %d: %s", level_name[l], bit,
					  acc_name[a]);
			}
		}
	}
	amap_reset(&m);
	acc_env_restore();
}

void rsvd_4k(void)
{
	access_run(rsvd_run, 1);
}

void rsvd_2m(void)
{
	access_run(rsvd_run, 2);
}

void rsvd_1g(void)
{
	access_run(rsvd_run, 3);
}

void la57_rsvd(void)
{
	access_run_la57(rsvd_run);
}
