// SPDX-License-Identifier: MIT
/*
 * The ID registers as EL1 sees them: every register of the AArch64 ID
 * space (op0 3, op1 0, CRn 0, CRm 0-7) and MIDR, MPIDR, REVIDR, CTR_EL0,
 * DCZID_EL0, CLIDR_EL1, AIDR_EL1 read without trapping; fields that are
 * RES0 in the newest definitions verified (Arm A-profile system register
 * XML 2023-09 and 2024-03) read as zero; the unallocated encodings of
 * CRm 1-7 read as zero; GMID_EL1 and SMIDR_EL1 exist exactly with
 * FEAT_MTE2 and FEAT_SME (else UnimplementedIDRegister(): an EC 0x18 trap
 * with FEAT_IDST, UNDEFINED without); DC ZVA zeroes the block DCZID_EL0 gives; each
 * advertised instruction executes and each unadvertised one is UNDEFINED
 * (insns.c); SVE traps per CPACR_EL1.ZEN; per CPU: distinct MPIDR
 * affinities, MPIDR_EL1.U clear with several CPUs.
 *
 * Spec: Arm ARM DDI 0487, "The AArch64 System register encoding space"
 * (op0 3, op1 0, CRn 0, CRm 1-7: the encodings not allocated to a named
 * register are RAZ at EL1), "Principles of the ID scheme for fields in ID
 * registers"; register pages of MPIDR_EL1, CTR_EL0, DCZID_EL0, CLIDR_EL1,
 * GMID_EL1, SMIDR_EL1, ID_AA64PFR1_EL1, ID_AA64ZFR0_EL1 and the AArch32 ID
 * registers (whose values are UNKNOWN when AArch32 is implemented at no
 * Exception level, so their RES0 fields are checked only otherwise); DC ZVA.
 *
 * VMM caveats: none known under QEMU 7.2 TCG -cpu max.
 */
#include "cpu.h"
#include "id_regs.h"
#include "smp.h"
#include "subtest.h"

uint64_t id_reg_read(enum id_reg reg)
{
	switch (reg) {
	case PFR0:
		return read_sysreg(id_aa64pfr0_el1);
	case PFR1:
		return read_sysreg(id_aa64pfr1_el1);
	case ISAR0:
		return read_sysreg(id_aa64isar0_el1);
	case ISAR1:
		return read_sysreg(id_aa64isar1_el1);
	case ISAR2:
		return read_sysreg(s3_0_c0_c6_2);
	case MMFR1:
		return read_sysreg(id_aa64mmfr1_el1);
	case MMFR2:
		return read_sysreg(id_aa64mmfr2_el1);
	default:
		return 0;
	}
}

static bool has_aarch32(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);

	/* EL0..EL3 fields: 0b0010 means AArch64 and AArch32. */
	for (int shift = 0; shift < 16; shift += 4)
		if (id_field(pfr0, shift) == 2)
			return true;
	return false;
}

/*
 * One ID register: its S3_<op1>_C0_C<crm>_<op2> name for mrs_safe(), the
 * mask of its RES0 bits (0: every field is allocated) and whether it is an
 * AArch32 register (UNKNOWN without AArch32).
 */
struct id_reg_desc {
	const char *name;
	unsigned int op1, crm, op2;
	exinfo_t (*read)(uint64_t *v);
	uint64_t res0;
	bool aarch32;
};

#define ID_READ_FN(op1, crm, op2)						\
	static exinfo_t read_##op1##_##crm##_##op2(uint64_t *v)		\
	{									\
		return mrs_safe(s3_##op1##_c0_c##crm##_##op2, v);		\
	}

/* X(op1, crm, op2) for every encoding of CRm 0-7 with op1 0, and the op1 1/3 ones. */
#define ID_SPACE(X)								\
	X(0, 0, 0) X(0, 0, 5) X(0, 0, 6)					\
	X(0, 1, 0) X(0, 1, 1) X(0, 1, 2) X(0, 1, 3) X(0, 1, 4) X(0, 1, 5) X(0, 1, 6) X(0, 1, 7) \
	X(0, 2, 0) X(0, 2, 1) X(0, 2, 2) X(0, 2, 3) X(0, 2, 4) X(0, 2, 5) X(0, 2, 6) X(0, 2, 7) \
	X(0, 3, 0) X(0, 3, 1) X(0, 3, 2) X(0, 3, 3) X(0, 3, 4) X(0, 3, 5) X(0, 3, 6) X(0, 3, 7) \
	X(0, 4, 0) X(0, 4, 1) X(0, 4, 2) X(0, 4, 3) X(0, 4, 4) X(0, 4, 5) X(0, 4, 6) X(0, 4, 7) \
	X(0, 5, 0) X(0, 5, 1) X(0, 5, 2) X(0, 5, 3) X(0, 5, 4) X(0, 5, 5) X(0, 5, 6) X(0, 5, 7) \
	X(0, 6, 0) X(0, 6, 1) X(0, 6, 2) X(0, 6, 3) X(0, 6, 4) X(0, 6, 5) X(0, 6, 6) X(0, 6, 7) \
	X(0, 7, 0) X(0, 7, 1) X(0, 7, 2) X(0, 7, 3) X(0, 7, 4) X(0, 7, 5) X(0, 7, 6) X(0, 7, 7) \
	X(1, 0, 1) X(1, 0, 7) X(3, 0, 1) X(3, 0, 7)

ID_SPACE(ID_READ_FN)

#define R(n, op1, crm, op2, mask)  { n, op1, crm, op2, read_##op1##_##crm##_##op2, mask, false }
#define R32(n, op1, crm, op2, mask) { n, op1, crm, op2, read_##op1##_##crm##_##op2, mask, true }
/* Allocated in the 2023-09/2024-03 XML; layouts not checked here (no RES0 mask). */
#define NEWER(n, op1, crm, op2)	R(n, op1, crm, op2, 0)

static const struct id_reg_desc id_regs[] = {
	R("MIDR_EL1", 0, 0, 0, 0),
	/* Bits 63:40 and 29:25 RES0 (bit 31 is RES1, checked apart). */
	R("MPIDR_EL1", 0, 0, 5, GENMASK_ULL(63, 40) | GENMASK_ULL(29, 25)),
	R("REVIDR_EL1", 0, 0, 6, 0),
	R32("ID_PFR0_EL1", 0, 1, 0, GENMASK_ULL(63, 32)),
	R32("ID_PFR1_EL1", 0, 1, 1, GENMASK_ULL(63, 32)),
	R32("ID_DFR0_EL1", 0, 1, 2, GENMASK_ULL(63, 32)),
	R32("ID_AFR0_EL1", 0, 1, 3, GENMASK_ULL(63, 16)),
	R32("ID_MMFR0_EL1", 0, 1, 4, GENMASK_ULL(63, 32)),
	R32("ID_MMFR1_EL1", 0, 1, 5, GENMASK_ULL(63, 32)),
	R32("ID_MMFR2_EL1", 0, 1, 6, GENMASK_ULL(63, 32)),
	R32("ID_MMFR3_EL1", 0, 1, 7, GENMASK_ULL(63, 32)),
	R32("ID_ISAR0_EL1", 0, 2, 0, GENMASK_ULL(63, 28)),
	R32("ID_ISAR1_EL1", 0, 2, 1, GENMASK_ULL(63, 32)),
	R32("ID_ISAR2_EL1", 0, 2, 2, GENMASK_ULL(63, 32)),
	R32("ID_ISAR3_EL1", 0, 2, 3, GENMASK_ULL(63, 32)),
	R32("ID_ISAR4_EL1", 0, 2, 4, GENMASK_ULL(63, 32)),
	R32("ID_ISAR5_EL1", 0, 2, 5, GENMASK_ULL(63, 32) | GENMASK_ULL(23, 20)),
	R32("ID_MMFR4_EL1", 0, 2, 6, GENMASK_ULL(63, 32)),
	R32("ID_ISAR6_EL1", 0, 2, 7, GENMASK_ULL(63, 32)),
	R32("MVFR0_EL1", 0, 3, 0, GENMASK_ULL(63, 32)),
	R32("MVFR1_EL1", 0, 3, 1, GENMASK_ULL(63, 32)),
	R32("MVFR2_EL1", 0, 3, 2, GENMASK_ULL(63, 8)),
	R32("ID_PFR2_EL1", 0, 3, 4, GENMASK_ULL(63, 12)),
	R32("ID_DFR1_EL1", 0, 3, 5, GENMASK_ULL(63, 8)),
	R32("ID_MMFR5_EL1", 0, 3, 6, GENMASK_ULL(63, 8)),
	R("ID_AA64PFR0_EL1", 0, 4, 0, 0),
	R("ID_AA64PFR1_EL1", 0, 4, 1, GENMASK_ULL(23, 20)),
	NEWER("ID_AA64PFR2_EL1", 0, 4, 2),
	/* Layout of the 2023-09 XML. */
	R("ID_AA64ZFR0_EL1", 0, 4, 4, GENMASK_ULL(63, 60) | GENMASK_ULL(51, 48) |
	  GENMASK_ULL(39, 36) | GENMASK_ULL(31, 28) | GENMASK_ULL(15, 8)),
	NEWER("ID_AA64SMFR0_EL1", 0, 4, 5),
	NEWER("ID_AA64FPFR0_EL1", 0, 4, 7),
	R("ID_AA64DFR0_EL1", 0, 5, 0, 0),
	NEWER("ID_AA64DFR1_EL1", 0, 5, 1),
	NEWER("ID_AA64DFR2_EL1", 0, 5, 2),
	R("ID_AA64AFR0_EL1", 0, 5, 4, 0),
	R("ID_AA64AFR1_EL1", 0, 5, 5, 0),
	R("ID_AA64ISAR0_EL1", 0, 6, 0, 0),
	R("ID_AA64ISAR1_EL1", 0, 6, 1, 0),
	NEWER("ID_AA64ISAR2_EL1", 0, 6, 2),
	NEWER("ID_AA64ISAR3_EL1", 0, 6, 3),
	R("ID_AA64MMFR0_EL1", 0, 7, 0, 0),
	R("ID_AA64MMFR1_EL1", 0, 7, 1, 0),
	R("ID_AA64MMFR2_EL1", 0, 7, 2, 0),
	NEWER("ID_AA64MMFR3_EL1", 0, 7, 3),
	NEWER("ID_AA64MMFR4_EL1", 0, 7, 4),
	R("CLIDR_EL1", 1, 0, 1, GENMASK_ULL(63, 47)),
	R("AIDR_EL1", 1, 0, 7, 0),
	/* Bits 63:38, 30 and 13:4 RES0 (bit 31 is RES1, checked apart). */
	R("CTR_EL0", 3, 0, 1, GENMASK_ULL(63, 38) | BIT_ULL(30) | GENMASK_ULL(13, 4)),
	R("DCZID_EL0", 3, 0, 7, GENMASK_ULL(63, 5)),
};

static const struct id_reg_desc *find_desc(unsigned int op1, unsigned int crm, unsigned int op2)
{
	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++)
		if (id_regs[i].op1 == op1 && id_regs[i].crm == crm && id_regs[i].op2 == op2)
			return &id_regs[i];
	return NULL;
}

struct space_entry {
	unsigned int op1, crm, op2;
	exinfo_t (*read)(uint64_t *v);
};

#define SPACE_ENTRY(op1, crm, op2)	{ op1, crm, op2, read_##op1##_##crm##_##op2 },

static const struct space_entry id_space[] = { ID_SPACE(SPACE_ENTRY) };

/* Every register of the table reads at EL1 without an exception. */
static void read_all(void)
{
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++) {
		const struct id_reg_desc *d = &id_regs[i];
		exinfo_t ex = d->read(&v);

		report_exc(0, ex, "MRS %s (S3_%u_C0_C%u_%u) at EL1 raises nothing", d->name, d->op1,
			   d->crm, d->op2);
		if (!ex)
			report_info("%s = %#018lx", d->name, v);
	}
}

static void res0_fields(void)
{
	bool aarch32 = has_aarch32();
	uint64_t v;

	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++) {
		const struct id_reg_desc *d = &id_regs[i];

		if (!d->res0 || (d->aarch32 && !aarch32))
			continue;
		d->read(&v);
		report_eq_x(0, v & d->res0, "%s: the RES0 bits %#lx read as zero", d->name,
			    d->res0);
	}
	if (!aarch32)
		report_skip("AArch32 implemented at no Exception level: AArch32 ID registers are "
			    "UNKNOWN");
	report_eq_x(BIT(31), read_sysreg(mpidr_el1) & BIT(31), "MPIDR_EL1 bit 31 is RES1");
	report_eq_x(BIT(31), read_sysreg(ctr_el0) & BIT(31), "CTR_EL0 bit 31 is RES1");
}

/* The encodings of CRm 1-7 that name no register are RAZ. */
static void unallocated_raz(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(id_space); i++) {
		const struct space_entry *e = &id_space[i];
		uint64_t v = ~0UL;
		exinfo_t ex;

		if (e->op1 || !e->crm || find_desc(e->op1, e->crm, e->op2))
			continue;
		ex = e->read(&v);
		report(!ex && !v, "unallocated S3_0_C0_C%u_%u reads as zero at EL1 (%s, %#lx)",
		       e->crm, e->op2, ex ? "exception" : "no exception", v);
	}
}

/* ISS of a trapped MRS (EC 0x18): Op0, Op2, Op1, CRn, Rt, CRm, Direction (1: read). */
#define MRS_ISS(op0, op1, crn, crm, op2, rt)					\
	((op0) << 20 | (op2) << 17 | (op1) << 14 | (crn) << 10 | (rt) << 5 | (crm) << 1 | 1)

/* MRS into x1, so that the syndrome of a trap is known. */
#define MRS_X1_FN(name, reg)							\
	static exinfo_t name(void)						\
	{									\
		register uint64_t x1 asm("x1");					\
		DECLARE_EXINFO(ex);						\
										\
		asm volatile(ASM_TRY("mrs x1, " #reg) : "+r"(ex), "=r"(x1) : : "memory"); \
		return ex;							\
	}

MRS_X1_FN(read_gmid, s3_1_c0_c0_4)
MRS_X1_FN(read_smidr, s3_1_c0_c0_6)

/*
 * GMID_EL1 exists with FEAT_MTE2, SMIDR_EL1 with FEAT_SME. Otherwise the
 * access is UnimplementedIDRegister() (2025-09 XML): with FEAT_IDST
 * (ID_AA64MMFR2_EL1.IDS) a trap to EL1 with EC 0x18, else UNDEFINED.
 */
static void feature_regs(void)
{
	uint64_t pfr1 = read_sysreg(id_aa64pfr1_el1);
	unsigned int mte = id_field(pfr1, 8), sme = id_field(pfr1, 24);
	bool idst = id_field(read_sysreg(id_aa64mmfr2_el1), 36);
	exinfo_t undef = EXINFO(ESR_EC_UNKNOWN, 0);

	report_exc(mte >= 2 ? 0 : idst ? EXINFO(ESR_EC_SYS64, MRS_ISS(3, 1, 0, 0, 4, 1)) : undef,
		   read_gmid(), "MRS GMID_EL1 %s (ID_AA64PFR1_EL1.MTE %u)",
		   mte >= 2 ? "reads (FEAT_MTE2)" : idst ?
		   "traps with EC 0x18 without FEAT_MTE2 (FEAT_IDST)" :
		   "is UNDEFINED without FEAT_MTE2", mte);
	report_exc(sme ? 0 : idst ? EXINFO(ESR_EC_SYS64, MRS_ISS(3, 1, 0, 0, 6, 1)) : undef,
		   read_smidr(), "MRS SMIDR_EL1 %s (ID_AA64PFR1_EL1.SME %u)",
		   sme ? "reads (FEAT_SME)" : idst ?
		   "traps with EC 0x18 without FEAT_SME (FEAT_IDST)" :
		   "is UNDEFINED without FEAT_SME", sme);
}

static uint8_t zva_buf[4096] __aligned(4096);

/* DC ZVA zeroes exactly the 4 << DCZID_EL0.BS bytes of the aligned block. */
static void dc_zva(void)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	size_t block = 4UL << (dczid & 0xf), first = sizeof(zva_buf), last = 0;

	if (dczid & BIT(4)) {
		report_skip("DCZID_EL0.DZP is 1: DC ZVA prohibited");
		return;
	}
	if (block > sizeof(zva_buf) / 2) {
		report_skip("DC ZVA block of %zu bytes exceeds the test buffer", block);
		return;
	}
	memset(zva_buf, 0xff, sizeof(zva_buf));
	asm volatile("dc zva, %0" : : "r"(zva_buf + block + 8) : "memory");
	for (size_t i = 0; i < sizeof(zva_buf); i++) {
		if (zva_buf[i])
			continue;
		first = i < first ? i : first;
		last = i;
	}
	report(first == block && last == 2 * block - 1,
	       "DC ZVA zeroes the aligned %zu-byte block of DCZID_EL0.BS (zeroed %#zx-%#zx)",
	       block, first, last);
}

/* What the CPU that ran the work posted to one CPU number read. */
struct cpu_reads {
	uint64_t mpidr;
	unsigned int bad_regs;
};

static struct cpu_reads cpu_reads[MAX_CPUS];

/* On each CPU: every ID register reads, RES0 bits of the AArch64 ones are zero. */
static void per_cpu_reads(void *data)
{
	struct cpu_reads *r = data;
	uint64_t v;

	r->mpidr = read_sysreg(mpidr_el1);
	r->bad_regs = 0;
	for (size_t i = 0; i < ARRAY_SIZE(id_space); i++)
		r->bad_regs += id_space[i].read(&v) != 0;
	for (size_t i = 0; i < ARRAY_SIZE(id_regs); i++)
		if (!id_regs[i].aarch32 && !id_regs[i].read(&v))
			r->bad_regs += !!(v & id_regs[i].res0);
}

/*
 * The work is posted by CPU number, which lib gives each CPU when it starts
 * it, not from MPIDR_EL1: the affinities compared are the registers of n
 * distinct CPUs, and a VMM that gives two vCPUs the same one fails (Arm ARM
 * MPIDR_EL1: the affinity fields identify the PE; GIC affinity routing and
 * PSCI address PEs by them).
 */
static void per_cpu(void)
{
	int n = cpu_count();
	bool distinct = true, multi = true, reads = true;

	for (int i = 0; i < n; i++)
		on_cpu(i, per_cpu_reads, &cpu_reads[i]);
	for (int i = 0; i < n; i++) {
		reads &= !cpu_reads[i].bad_regs;
		multi &= !(cpu_reads[i].mpidr & BIT(30));
		for (int j = 0; j < i; j++)
			distinct &= (cpu_reads[i].mpidr & MPIDR_AFF_MASK) !=
				    (cpu_reads[j].mpidr & MPIDR_AFF_MASK);
	}
	report(reads, "each of the %d CPUs reads every ID register with its RES0 bits zero", n);
	report(distinct, "the %d CPUs have distinct MPIDR_EL1 affinities", n);
	report(multi, "MPIDR_EL1.U is 0 on each CPU of a multiprocessor system");
}

static void fp_enabled(void)
{
	report_eq_x(3UL << 20, read_sysreg(cpacr_el1) & (3UL << 20),
		    "lib leaves CPACR_EL1.FPEN 0b11 (FP/SIMD does not trap)");
}

static const struct subtest tests[] = {
	SUBTEST(read_all),
	SUBTEST(res0_fields),
	SUBTEST(unallocated_raz),
	SUBTEST(feature_regs),
	SUBTEST(dc_zva),
	SUBTEST(fp_enabled),
	SUBTEST(feature_insns),
	SUBTEST(sve_traps),
	SUBTEST_SMP(per_cpu, NULL, 2),
};

SUBTESTS_MAIN(tests)
