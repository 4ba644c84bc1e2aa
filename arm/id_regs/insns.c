// SPDX-License-Identifier: MIT
/*
 * Advertised instructions execute, unadvertised ones are UNDEFINED (ESR
 * EC 0). Each entry names the ID register fields that advertise it and an
 * instruction whose decode pseudocode in the Arm ARM starts "if
 * !IsFeatureImplemented(FEAT_x) then UNDEFINED" (or that sits in an
 * unallocated, hence UNDEFINED, encoding without the feature). Hint-space
 * instructions (BTI, PACIASP, ESB, DGH, CLRBHB...), which are NOPs without
 * their feature, and instructions whose absence is not guaranteed to
 * UNDEF are left out. Encodings were produced by GNU as 2.40 and are given
 * as .inst so that any assembler builds the test.
 *
 * Operands: x0 points to a scratch buffer, x1-x3 hold 0 (sizes for the
 * MOPS SET* sequence, a zero deadline for WFET, a zero CFP RCTX context),
 * v0-v3 are scratch (lib never uses FP/SIMD registers; CPACR_EL1.FPEN is
 * 0b11). SVE also depends on CPACR_EL1.ZEN (sve_traps below).
 */
#include "id_regs.h"

struct field {
	uint8_t reg;		/* enum id_reg */
	uint8_t shift;
	uint8_t min;		/* 0: unused slot */
};

struct insn_check {
	const char *mnemonic;
	struct field f[3];	/* advertised when any of these is >= its min */
	exinfo_t (*run)(void);
};

static uint64_t scratch[8] __aligned(64);

/* Run one instruction word with the operand conventions above. */
#define INSN_FN(name, enc)							\
	static exinfo_t name(void)						\
	{									\
		register uint64_t x0 asm("x0") = (uintptr_t)scratch;		\
		register uint64_t x1 asm("x1") = 0;				\
		register uint64_t x2 asm("x2") = 0;				\
		register uint64_t x3 asm("x3") = 0;				\
		DECLARE_EXINFO(ex);						\
										\
		asm volatile(ASM_TRY(enc)					\
			     : "+r"(ex), "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)	\
			     : : "cc", "memory");				\
		return ex;							\
	}

INSN_FN(aese, ".inst 0x4e284820")		/* aese v0.16b, v1.16b */
INSN_FN(pmull, ".inst 0x0ee2e020")		/* pmull v0.1q, v1.1d, v2.1d */
INSN_FN(sha1h, ".inst 0x5e280820")		/* sha1h s0, s1 */
INSN_FN(sha256h, ".inst 0x5e024020")		/* sha256h q0, q1, v2.4s */
INSN_FN(sha512h, ".inst 0xce628020")		/* sha512h q0, q1, v2.2d */
INSN_FN(crc32b, ".inst 0x1ac34041")		/* crc32b w1, w2, w3 */
INSN_FN(crc32cx, ".inst 0x9ac35c41")		/* crc32cx w1, w2, x3 */
INSN_FN(ldadd, ".inst 0xf8210002")		/* ldadd x1, x2, [x0] */
INSN_FN(cas, ".inst 0xc8a17c02")		/* cas x1, x2, [x0] */
INSN_FN(sqrdmlah, ".inst 0x6e428420")		/* sqrdmlah v0.8h, v1.8h, v2.8h */
INSN_FN(eor3, ".inst 0xce020c20")		/* eor3 v0.16b, v1.16b, v2.16b, v3.16b */
INSN_FN(sm3ss1, ".inst 0xce420c20")		/* sm3ss1 v0.4s, v1.4s, v2.4s, v3.4s */
INSN_FN(sm4e, ".inst 0xcec08420")		/* sm4e v0.4s, v1.4s */
INSN_FN(sdot, ".inst 0x4e829420")		/* sdot v0.4s, v1.16b, v2.16b */
INSN_FN(fmlal, ".inst 0x0e22ec20")		/* fmlal v0.2s, v1.2h, v2.2h */
INSN_FN(cfinv, ".inst 0xd500401f")		/* cfinv */
INSN_FN(axflag, ".inst 0xd500405f")		/* axflag */
INSN_FN(tlbi_os, ".inst 0xd508811f")		/* tlbi vmalle1os */
INSN_FN(tlbi_range, ".inst 0xd5088621")		/* tlbi rvae1, x1 */
INSN_FN(rndr, ".inst 0xd53b2401")		/* mrs x1, rndr */
INSN_FN(dc_cvap, ".inst 0xd50b7c20")		/* dc cvap, x0 */
INSN_FN(dc_cvadp, ".inst 0xd50b7d20")		/* dc cvadp, x0 */
INSN_FN(pacia, ".inst 0xdac10041")		/* pacia x1, x2 */
INSN_FN(autia, ".inst 0xdac11041")		/* autia x1, x2 */
INSN_FN(pacga, ".inst 0x9ac33041")		/* pacga x1, x2, x3 */
INSN_FN(fjcvtzs, ".inst 0x1e7e0001")		/* fjcvtzs w1, d0 */
INSN_FN(fcmla, ".inst 0x6e82c420")		/* fcmla v0.4s, v1.4s, v2.4s, #0 */
INSN_FN(ldapr, ".inst 0xf8bfc001")		/* ldapr x1, [x0] */
INSN_FN(ldapur, ".inst 0xd9400001")		/* ldapur x1, [x0] */
INSN_FN(frint32z, ".inst 0x1e684020")		/* frint32z d0, d1 */
INSN_FN(sb, ".inst 0xd50330ff")			/* sb */
INSN_FN(cfp_rctx, ".inst 0xd50b7381")		/* cfp rctx, x1 */
INSN_FN(bfdot, ".inst 0x6e42fc20")		/* bfdot v0.4s, v1.8h, v2.8h */
INSN_FN(smmla, ".inst 0x4e82a420")		/* smmla v0.4s, v1.16b, v2.16b */
INSN_FN(tlbi_nxs, ".inst 0xd508971f")		/* tlbi vmalle1nxs */
INSN_FN(wfet, ".inst 0xd5031001")		/* wfet x1 */
INSN_FN(abs, ".inst 0xdac02041")		/* abs x1, x2 */
INSN_FN(irg, ".inst 0x9adf1041")		/* irg x1, x2 */
INSN_FN(addg, ".inst 0x91800041")		/* addg x1, x2, #0, #0 */
INSN_FN(mrs_dit, ".inst 0xd53b42a1")		/* mrs x1, dit */
INSN_FN(msr_pan, ".inst 0xd500409f")		/* msr pan, #0 */
INSN_FN(msr_uao, ".inst 0xd500407f")		/* msr uao, #0 */
INSN_FN(ldlar, ".inst 0xc8df7c01")		/* ldlar x1, [x0] */
INSN_FN(msr_allint, ".inst 0xd501401f")		/* msr allint, #0 */
/* setp, setm, sete [x0]!, x1!, x2 with x1 = 0: a complete, empty memset. */
INSN_FN(mops_set, ".inst 0x19c20420\n\t.inst 0x19c24420\n\t.inst 0x19c28420")
INSN_FN(bc_cond, ".inst 0x54000030")		/* bc.eq to the next instruction */
INSN_FN(fadd_h, ".inst 0x1ee22820")		/* fadd h0, h1, h2 */
INSN_FN(fcvtzs_h, ".inst 0x5ef9b820")		/* fcvtzs h0, h1 (AdvSIMD) */

#define F(reg, shift, min)	{ reg, shift, min }
#define CHECK(fn, mnem, ...)	{ mnem, { __VA_ARGS__ }, fn }

static const struct insn_check checks[] = {
	CHECK(aese, "AESE (ISAR0.AES >= 1)", F(ISAR0, 4, 1)),
	CHECK(pmull, "PMULL 64-bit (ISAR0.AES >= 2)", F(ISAR0, 4, 2)),
	CHECK(sha1h, "SHA1H (ISAR0.SHA1 >= 1)", F(ISAR0, 8, 1)),
	CHECK(sha256h, "SHA256H (ISAR0.SHA2 >= 1)", F(ISAR0, 12, 1)),
	CHECK(sha512h, "SHA512H (ISAR0.SHA2 >= 2)", F(ISAR0, 12, 2)),
	CHECK(crc32b, "CRC32B (ISAR0.CRC32 >= 1)", F(ISAR0, 16, 1)),
	CHECK(crc32cx, "CRC32CX (ISAR0.CRC32 >= 1)", F(ISAR0, 16, 1)),
	CHECK(ldadd, "LDADD (ISAR0.Atomic >= 2)", F(ISAR0, 20, 2)),
	CHECK(cas, "CAS (ISAR0.Atomic >= 2)", F(ISAR0, 20, 2)),
	CHECK(sqrdmlah, "SQRDMLAH (ISAR0.RDM >= 1)", F(ISAR0, 28, 1)),
	CHECK(eor3, "EOR3 (ISAR0.SHA3 >= 1)", F(ISAR0, 32, 1)),
	CHECK(sm3ss1, "SM3SS1 (ISAR0.SM3 >= 1)", F(ISAR0, 36, 1)),
	CHECK(sm4e, "SM4E (ISAR0.SM4 >= 1)", F(ISAR0, 40, 1)),
	CHECK(sdot, "SDOT (ISAR0.DP >= 1)", F(ISAR0, 44, 1)),
	CHECK(fmlal, "FMLAL (ISAR0.FHM >= 1)", F(ISAR0, 48, 1)),
	CHECK(cfinv, "CFINV (ISAR0.TS >= 1)", F(ISAR0, 52, 1)),
	CHECK(axflag, "AXFLAG (ISAR0.TS >= 2)", F(ISAR0, 52, 2)),
	CHECK(tlbi_os, "TLBI VMALLE1OS (ISAR0.TLB >= 1)", F(ISAR0, 56, 1)),
	CHECK(tlbi_range, "TLBI RVAE1 (ISAR0.TLB >= 2)", F(ISAR0, 56, 2)),
	CHECK(rndr, "MRS RNDR (ISAR0.RNDR >= 1)", F(ISAR0, 60, 1)),
	CHECK(dc_cvap, "DC CVAP (ISAR1.DPB >= 1)", F(ISAR1, 0, 1)),
	CHECK(dc_cvadp, "DC CVADP (ISAR1.DPB >= 2)", F(ISAR1, 0, 2)),
	CHECK(pacia, "PACIA (ISAR1.APA/API, ISAR2.APA3 >= 1)",
	      F(ISAR1, 4, 1), F(ISAR1, 8, 1), F(ISAR2, 12, 1)),
	CHECK(autia, "AUTIA (ISAR1.APA/API, ISAR2.APA3 >= 1)",
	      F(ISAR1, 4, 1), F(ISAR1, 8, 1), F(ISAR2, 12, 1)),
	CHECK(pacga, "PACGA (ISAR1.GPA/GPI, ISAR2.GPA3 >= 1)",
	      F(ISAR1, 24, 1), F(ISAR1, 28, 1), F(ISAR2, 8, 1)),
	CHECK(fjcvtzs, "FJCVTZS (ISAR1.JSCVT >= 1)", F(ISAR1, 12, 1)),
	CHECK(fcmla, "FCMLA (ISAR1.FCMA >= 1)", F(ISAR1, 16, 1)),
	CHECK(ldapr, "LDAPR (ISAR1.LRCPC >= 1)", F(ISAR1, 20, 1)),
	CHECK(ldapur, "LDAPUR (ISAR1.LRCPC >= 2)", F(ISAR1, 20, 2)),
	CHECK(frint32z, "FRINT32Z (ISAR1.FRINTTS >= 1)", F(ISAR1, 32, 1)),
	CHECK(sb, "SB (ISAR1.SB >= 1)", F(ISAR1, 36, 1)),
	CHECK(cfp_rctx, "CFP RCTX (ISAR1.SPECRES >= 1)", F(ISAR1, 40, 1)),
	CHECK(bfdot, "BFDOT (ISAR1.BF16 >= 1)", F(ISAR1, 44, 1)),
	CHECK(smmla, "SMMLA (ISAR1.I8MM >= 1)", F(ISAR1, 52, 1)),
	CHECK(tlbi_nxs, "TLBI VMALLE1NXS (ISAR1.XS >= 1)", F(ISAR1, 56, 1)),
	CHECK(wfet, "WFET (ISAR2.WFxT >= 2)", F(ISAR2, 0, 2)),
	CHECK(mops_set, "SETP/SETM/SETE (ISAR2.MOPS >= 1)", F(ISAR2, 16, 1)),
	CHECK(bc_cond, "BC.cond (ISAR2.BC >= 1)", F(ISAR2, 20, 1)),
	CHECK(abs, "ABS (ISAR2.CSSC >= 1)", F(ISAR2, 52, 1)),
	CHECK(fadd_h, "FADD (half precision) (PFR0.FP == 1)", F(PFR0, 16, 1)),
	CHECK(fcvtzs_h, "FCVTZS (AdvSIMD half precision) (PFR0.AdvSIMD == 1)", F(PFR0, 20, 1)),
	CHECK(mrs_dit, "MRS DIT (PFR0.DIT >= 1)", F(PFR0, 48, 1)),
	CHECK(irg, "IRG (PFR1.MTE >= 1)", F(PFR1, 8, 1)),
	CHECK(addg, "ADDG (PFR1.MTE >= 1)", F(PFR1, 8, 1)),
	CHECK(msr_allint, "MSR ALLINT (PFR1.NMI >= 1)", F(PFR1, 36, 1)),
	CHECK(ldlar, "LDLAR (MMFR1.LO >= 1)", F(MMFR1, 16, 1)),
	CHECK(msr_pan, "MSR PAN (MMFR1.PAN >= 1)", F(MMFR1, 20, 1)),
	CHECK(msr_uao, "MSR UAO (MMFR2.UAO >= 1)", F(MMFR2, 4, 1)),
};

/*
 * PFR0.FP and AdvSIMD are signed fields where 0xf means "not implemented"
 * and 0 "implemented without half precision": 1 is the only value that
 * adds it, so "== 1" and ">= 1" agree for the values a PE may report
 * with FP16 (values above 1 are reserved); 0xf counts as absent.
 */
static bool field_present(const struct field *f)
{
	unsigned int v = id_field(id_reg_read(f->reg), f->shift);

	if (f->reg == PFR0 && (f->shift == 16 || f->shift == 20))
		return v == 1;
	return v >= f->min;
}

static bool advertised(const struct insn_check *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(c->f) && c->f[i].min; i++)
		if (field_present(&c->f[i]))
			return true;
	return false;
}

void feature_insns(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(checks); i++) {
		const struct insn_check *c = &checks[i];
		bool have = advertised(c);

		report_exc(have ? 0 : EXINFO(ESR_EC_UNKNOWN, 0), c->run(), "%s %s", c->mnemonic,
			   have ? "executes" : "is UNDEFINED when not advertised");
	}
	/* MSR PAN/UAO/ALLINT above wrote 0: nothing to restore. */
}

INSN_FN(rdvl, ".inst 0x04bf5021")		/* rdvl x1, #1 */

static exinfo_t rdvl_with_zen(uint64_t zen)
{
	uint64_t cpacr = read_sysreg(cpacr_el1);
	exinfo_t ex;

	write_sysreg((cpacr & ~(3UL << 16)) | zen << 16, cpacr_el1);
	isb();
	ex = rdvl();
	write_sysreg(cpacr, cpacr_el1);
	isb();
	return ex;
}

/*
 * CPACR_EL1.ZEN (bits 17:16): 0b00 and 0b10 trap SVE instructions at EL1
 * and EL0 with EC 0x19 (ISS 0), 0b01 traps EL0 only, 0b11 traps neither.
 * Without FEAT_SVE (and outside Streaming SVE mode) RDVL is UNDEFINED.
 */
void sve_traps(void)
{
	static const exinfo_t trap = EXINFO(ESR_EC_SVE, 0);

	if (!id_field(read_sysreg(id_aa64pfr0_el1), 32)) {
		report_exc(EXINFO(ESR_EC_UNKNOWN, 0), rdvl_with_zen(3),
			   "RDVL is UNDEFINED without FEAT_SVE");
		return;
	}
	report_exc(trap, rdvl_with_zen(0), "RDVL at EL1 with CPACR_EL1.ZEN 0b00 traps (EC 0x19)");
	report_exc(trap, rdvl_with_zen(2), "RDVL at EL1 with CPACR_EL1.ZEN 0b10 traps (EC 0x19)");
	report_exc(0, rdvl_with_zen(1), "RDVL at EL1 with CPACR_EL1.ZEN 0b01 executes");
	report_exc(0, rdvl_with_zen(3), "RDVL at EL1 with CPACR_EL1.ZEN 0b11 executes");
}
