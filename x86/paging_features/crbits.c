// SPDX-License-Identifier: MIT
/*
 * Every CR0 and CR4 bit set and cleared alone, one subtest per bit, against
 * its CPUID enumeration (SDM vol. 3A 2.5, vol. 2 MOV to CR0/CR4; APM vol. 2
 * 3.1.1, 3.1.3): a bit the CPU enumerates (or that needs no enumeration)
 * toggles without a fault and reads back; an unenumerated bit raises #GP(0)
 * and leaves the register unchanged, and so does each reserved bit (CR4 15,
 * 26, 29-31, 33-63; CR0 32-63), all of them in one subtest per register
 * (one operation class: a reserved bit). In 64-bit mode clearing CR0.PG, CR0.PE or CR4.PAE and
 * changing CR4.LA57 raise #GP(0); CR0.NW without CR0.CD raises #GP(0);
 * CR0.ET is fixed at 1. CR4.SMEP and CR4.SMAP are toggled under a root that
 * maps this image supervisor-only (lib's maps everything user-accessible).
 * CR0 bits 6-15, 17 and 19-28 are reserved without a defined effect of
 * writing them, so they are not tested.
 */
#include "pf.h"

enum rule {
	ANY,		/* always allowed */
	FEAT,		/* allowed iff CPUID enumerates .feat or .feat2 */
	RSVD,		/* #GP(0) */
	NOCLEAR,	/* clearing it in 64-bit mode raises #GP(0) */
	CHANGE_GP,	/* changing it in IA-32e mode raises #GP(0) (LA57) */
	SUPERVISOR,	/* FEAT, toggled under a supervisor-only root (SMEP, SMAP) */
	FIXED1,		/* writes ignored, reads 1 (ET) */
	CACHE,		/* CD and NW: NW without CD raises #GP(0) */
	LOWER_HALF,	/* FEAT, but this image cannot run with it set (LASS) */
};

struct crbit {
	const char *name;
	enum rule rule;
	x86_feature_t feat, feat2;
};

#define R(n, r)		{ .name = n, .rule = r }
#define F(n, f)		{ .name = n, .rule = FEAT, .feat = f }

static const struct crbit cr0_bits[64] = {
	[0] = R("PE", NOCLEAR), [1] = R("MP", ANY), [2] = R("EM", ANY), [3] = R("TS", ANY),
	[4] = R("ET", FIXED1), [5] = R("NE", ANY), [16] = R("WP", ANY), [18] = R("AM", ANY),
	[29] = R("NW", CACHE), [30] = R("CD", CACHE), [31] = R("PG", NOCLEAR),
};

static const struct crbit cr4_bits[64] = {
	[0] = F("VME", X86_FEATURE_VME), [1] = F("PVI", X86_FEATURE_VME),
	[2] = F("TSD", X86_FEATURE_TSC), [3] = F("DE", X86_FEATURE_DE),
	[4] = F("PSE", X86_FEATURE_PSE), [5] = R("PAE", NOCLEAR),
	[6] = F("MCE", X86_FEATURE_MCE), [7] = F("PGE", X86_FEATURE_PGE),
	[8] = R("PCE", ANY), [9] = F("OSFXSR", X86_FEATURE_FXSR),
	[10] = F("OSXMMEXCPT", X86_FEATURE_SSE), [11] = F("UMIP", X86_FEATURE_UMIP),
	[12] = R("LA57", CHANGE_GP), [13] = F("VMXE", X86_FEATURE_VMX),
	[14] = F("SMXE", X86_FEATURE_SMX), [16] = F("FSGSBASE", X86_FEATURE_FSGSBASE),
	[17] = F("PCIDE", X86_FEATURE_PCID), [18] = F("OSXSAVE", X86_FEATURE_XSAVE),
	[19] = F("KL", X86_FEATURE_KL),
	[20] = { .name = "SMEP", .rule = SUPERVISOR, .feat = X86_FEATURE_SMEP },
	[21] = { .name = "SMAP", .rule = SUPERVISOR, .feat = X86_FEATURE_SMAP },
	[22] = F("PKE", X86_FEATURE_PKU),
	[23] = { .name = "CET", .rule = FEAT, .feat = X86_FEATURE_CET_SS,
		 .feat2 = X86_FEATURE_CET_IBT },
	[24] = F("PKS", X86_FEATURE_PKS), [25] = F("UINTR", X86_FEATURE_UINTR),
	[27] = { .name = "LASS", .rule = LOWER_HALF, .feat = X86_FEATURE_LASS },
	[28] = F("LAM_SUP", X86_FEATURE_LAM), [32] = F("FRED", X86_FEATURE_FRED),
};

static uint64_t read_cr(int cr)
{
	return cr ? read_cr4() : read_cr0();
}

static exinfo_t write_cr_safe(int cr, uint64_t v)
{
	return cr ? write_cr4_safe(v) : write_cr0_safe(v);
}

static void name_of(const struct crbit *b, int cr, int bit, char *buf, size_t len)
{
	if (b->name)
		snprintf(buf, len, "CR%d.%s", cr, b->name);
	else
		snprintf(buf, len, "CR%d bit %d", cr, bit);
}

/* A write of @v, named @what, that must raise #GP(0) and leave the register as it was. */
static void cr_gp(int cr, uint64_t v, const char *what, const char *why)
{
	uint64_t old = read_cr(cr);
	exinfo_t ex = write_cr_safe(cr, v);

	if (!ex)
		write_cr_safe(cr, old);
	report_exc(EXINFO(GP_VECTOR, 0), ex, "%s raises #GP(0)%s", what, why);
	report_eq_x(old, read_cr(cr), "CR%d is unchanged by it", cr);
}

/* Flip @bit, check, flip it back, check. */
static void cr_toggle(int cr, int bit, const char *name)
{
	uint64_t old = read_cr(cr), flipped = old ^ BIT_ULL(bit);
	bool was = old & BIT_ULL(bit);
	exinfo_t ex = write_cr_safe(cr, flipped);

	if (!report_exc(0, ex, "%s %s raises no exception", was ? "clearing" : "setting", name))
		return;
	report_eq_x(flipped, read_cr(cr), "CR%d reads back with %s %s", cr, name,
		    was ? "clear" : "set");
	report_exc(0, write_cr_safe(cr, old), "%s %s again raises no exception",
		   was ? "setting" : "clearing", name);
	report_eq_x(old, read_cr(cr), "CR%d reads back its old value", cr);
}

/*
 * CD and NW from CD = NW = 0 (firmware may leave both set: Bochs' BIOS
 * does): CD toggles alone, NW only with CD set.
 */
static void cache_bits(int bit)
{
	uint64_t old = read_cr0(), base = old & ~(X86_CR0_CD | X86_CR0_NW);

	write_cr0(base);
	if (bit == 30) {
		cr_toggle(0, 30, "CR0.CD");
	} else {
		cr_gp(0, base | X86_CR0_NW, "CR0.NW", " without CR0.CD");
		write_cr0(base | X86_CR0_CD);
		cr_toggle(0, 29, "CR0.NW with CR0.CD set");
	}
	write_cr0(old);
}

static bool enumerated(const struct crbit *b)
{
	return this_cpu_has(b->feat) || (b->feat2 && this_cpu_has(b->feat2));
}

static void supervisor_toggle(int cr, int bit, const char *name)
{
	uint64_t cr3 = read_cr3(), r = paging_supervisor_root();

	write_cr3(r);
	cr_toggle(cr, bit, name);
	write_cr3(cr3);
	pt_root_free(r);
}

static void crbit_check(int cr, int bit)
{
	const struct crbit *b = cr ? &cr4_bits[bit] : &cr0_bits[bit];
	uint64_t old = read_cr(cr), mask = BIT_ULL(bit);
	char name[32];

	name_of(b, cr, bit, name, sizeof(name));
	switch (b->rule) {
	case ANY:
		cr_toggle(cr, bit, name);
		break;
	case FEAT:
	case SUPERVISOR:
	case LOWER_HALF:
		if (!enumerated(b))
			cr_gp(cr, old | mask, name, " when CPUID does not enumerate it");
		else if (b->rule == LOWER_HALF)
			report_skip("%s: enumerated, and this image runs in the lower half", name);
		else if (b->rule == SUPERVISOR)
			supervisor_toggle(cr, bit, name);
		else
			cr_toggle(cr, bit, name);
		break;
	case RSVD:
		break;
	case NOCLEAR:
		cr_gp(cr, old & ~mask, name, " when cleared in 64-bit mode");
		break;
	case CHANGE_GP:
		cr_gp(cr, old ^ mask, name, " when changed in IA-32e mode");
		break;
	case FIXED1:
		report_exc(0, write_cr_safe(cr, old & ~mask), "clearing %s raises no exception",
			   name);
		report(read_cr(cr) & mask, "%s still reads 1", name);
		write_cr_safe(cr, old);
		break;
	case CACHE:
		cache_bits(bit);
		break;
	}
}

static void reserved_bits(int cr, const struct crbit *bits)
{
	for (int bit = 0; bit < 64; bit++) {
		char name[32];

		if (bits[bit].name || (cr == 0 && bit < 32))
			continue;
		name_of(&bits[bit], cr, bit, name, sizeof(name));
		cr_gp(cr, read_cr(cr) | BIT_ULL(bit), name, ", a reserved bit");
	}
}

void cr0_reserved(void)
{
	reserved_bits(0, cr0_bits);
}

void cr4_reserved(void)
{
	reserved_bits(4, cr4_bits);
}

#define DEFINE_CR0(name, bit)	void cr0_##name(void) { crbit_check(0, bit); }
#define DEFINE_CR4(name, bit)	void cr4_##name(void) { crbit_check(4, bit); }
CR0_BITS(DEFINE_CR0)
CR4_BITS(DEFINE_CR4)
