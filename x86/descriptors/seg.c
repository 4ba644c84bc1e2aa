// SPDX-License-Identifier: MIT
/*
 * Segment-register loads at every CPL, with every RPL, of descriptors of
 * every DPL and kind (SDM vol. 2 MOV "64-bit mode" operation and
 * exceptions, vol. 3A 5.6 and 5.7; APM vol. 2 4.10.1, 4.11):
 * DS, ES, FS and GS take the null selector at any CPL, a data or readable
 * code segment when max(CPL, RPL) <= DPL, a readable conforming code
 * segment whatever the levels, never execute-only code; #GP(selector) comes
 * before #NP(selector) for a segment that is not present. SS takes a
 * writable data segment only with RPL = DPL = CPL (else #GP(selector), then
 * #SS(selector) when not present), and the null selector only at CPL 0-2
 * with RPL = CPL (else #GP(0)).
 *
 * The descriptors: five kinds by four DPLs, then writable data not present
 * at each DPL. Each CPL runs its loads in one pass (run_cpl) and CPL0
 * reports them, one check per register, CPL, RPL and descriptor.
 */
#include "descriptors.h"

enum kind { K_DATA_RW, K_DATA_RO, K_CODE_R, K_CODE_CR, K_CODE_XO, K_DATA_NP, NR_KINDS, K_NULL };

static const struct {
	const char *name;
	unsigned int type;
} kinds[NR_KINDS] = {
	{ "writable data", T_DATA_RW }, { "read-only data", T_DATA_RO },
	{ "readable code", T_CODE_R }, { "conforming code", T_CODE_CR },
	{ "execute-only code", T_CODE_XO }, { "not-present writable data", T_DATA_RW },
};

enum reg { R_DS, R_ES, R_FS, R_GS, R_SS, NR_REGS };
static const char *const reg_name[NR_REGS] = { "DS", "ES", "FS", "GS", "SS" };

#define NR_SEL		(NR_KINDS * 4 * 4 + 4)	/* kinds x DPL x RPL, then null x RPL */

static exinfo_t results[NR_SEL];
static bool pass_null;		/* the null selectors, or all the others */

static uint16_t kind_sel(enum kind k, int dpl)
{
	return SEL_FREE + (k * 4 + dpl) * 8;
}

static void fill_gdt(void)
{
	for (int k = 0; k < NR_KINDS; k++)
		for (int dpl = 0; dpl < 4; dpl++)
			gdt[kind_sel(k, dpl) / 8] = seg_desc(kinds[k].type, dpl, k != K_DATA_NP,
							     kinds[k].type & 8);
}

/* Entry @i of the pass: (kind, DPL, RPL), the last four the null selector. */
static uint16_t sel_of(int i, enum kind *k, int *dpl, int *rpl)
{
	*rpl = i % 4;
	if (i >= NR_KINDS * 16) {
		*k = K_NULL;
		*dpl = 0;
		return *rpl;
	}
	*k = i / 16;
	*dpl = i / 4 % 4;
	return kind_sel(*k, *dpl) | *rpl;
}

#define LOAD_STUB(r)								\
	static exinfo_t load_##r(uint16_t sel)					\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile(ASM_TRY("mov %w1, %%" #r) : "+r"(ex) : "r"(sel));	\
		asm volatile("mov %w0, %%" #r : : "r"(0));			\
		return ex;							\
	}
LOAD_STUB(ds)
LOAD_STUB(es)
LOAD_STUB(fs)
LOAD_STUB(gs)

/*
 * SS comes back through IRETQ to this CS with the old SS: that works at the
 * same level and also if the VMM took a null SS with RPL != CPL and moved
 * the CPL to the RPL (QEMU 7.2 TCG does), which a MOV back would not undo.
 */
static exinfo_t load_ss(uint16_t sel)
{
	DECLARE_EXINFO(ex);
	uint64_t old, tmp;

	asm volatile("mov %%ss, %k1\n\t" ASM_TRY("mov %w3, %%ss")
		     "mov %%rsp, %2\n\tpush %1\n\tpush %2\n\tpushf\n\t"
		     "mov %%cs, %k2\n\tpush %2\n\tlea 3f(%%rip), %2\n\tpush %2\n\tiretq\n3:"
		     : "+r"(ex), "=&r"(old), "=&r"(tmp) : "r"(sel) : "memory");
	return ex;
}

static exinfo_t (*const loaders[NR_REGS])(uint16_t) = {
	load_ds, load_es, load_fs, load_gs, load_ss,
};

/* At the CPL under test: every selector into register @r. */
static uint64_t pass(uint64_t r)
{
	for (int i = 0; i < NR_SEL; i++) {
		enum kind k;
		int dpl, rpl;
		uint16_t sel = sel_of(i, &k, &dpl, &rpl);

		if ((k == K_NULL) == pass_null)
			results[i] = loaders[r](sel);
	}
	return 0;
}

static exinfo_t expect(enum reg r, int cpl, enum kind k, int dpl, int rpl, uint16_t sel)
{
	exinfo_t gp = EXINFO(GP_VECTOR, sel & 0xfffc);

	if (k == K_NULL)
		return r != R_SS || (cpl < 3 && rpl == cpl) ? 0 : EXINFO(GP_VECTOR, 0);
	if (r == R_SS) {
		if (rpl != cpl || (k != K_DATA_RW && k != K_DATA_NP) || dpl != cpl)
			return gp;
		return k == K_DATA_NP ? EXINFO(SS_VECTOR, sel & 0xfffc) : 0;
	}
	if (k == K_CODE_XO || (k != K_CODE_CR && (rpl > dpl || cpl > dpl)))
		return gp;
	return k == K_DATA_NP ? EXINFO(NP_VECTOR, sel & 0xfffc) : 0;
}

static void report_results(enum reg r, int cpl)
{
	for (int i = 0; i < NR_SEL; i++) {
		enum kind k;
		int dpl, rpl;
		uint16_t sel = sel_of(i, &k, &dpl, &rpl);
		exinfo_t want = expect(r, cpl, k, dpl, rpl, sel);
		char e[32];

		if ((k == K_NULL) != pass_null)
			continue;
		exc_str(want, e, sizeof(e));
		if (k == K_NULL)
			report_exc(want, results[i],
				   "CPL%d MOV to %s of the null selector RPL%d: %s", cpl,
				   reg_name[r], rpl, want ? e : "loads");
		else
			report_exc(want, results[i], "CPL%d MOV to %s of %s DPL%d RPL%d: %s", cpl,
				   reg_name[r], kinds[k].name, dpl, rpl, want ? e : "loads");
	}
}

/*
 * Loads of @first..@last at each CPL in @cpls (a bit per CPL), the null
 * selectors alone (@null) or every other selector.
 */
static void loads(enum reg first, enum reg last, unsigned int cpls, bool null)
{
	pass_null = null;
	gdt_enter();
	fill_gdt();
	for (int cpl = 0; cpl < 4; cpl++) {
		if (!(cpls & BIT(cpl)))
			continue;
		for (enum reg r = first; r <= last; r++) {
			memset(results, 0xff, sizeof(results));
			run_cpl(cpl, pass, r);
			report_results(r, cpl);
		}
	}
	asm volatile("mov %w0, %%ds; mov %w0, %%es" : : "r"(KERNEL_DS));
	gdt_leave();
}

void seg_loads(void)
{
	loads(R_DS, R_GS, 0xf, false);
	loads(R_DS, R_GS, 0xf, true);
}

void seg_loads_ss(void)
{
	loads(R_SS, R_SS, 0xf, false);
}

void seg_null_ss(void)
{
	loads(R_SS, R_SS, 0xf, true);
}
