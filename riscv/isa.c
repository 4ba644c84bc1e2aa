// SPDX-License-Identifier: MIT
/*
 * The devicetree's description of each hart against what the hart does
 * (devicetree bindings riscv/cpus.yaml: riscv,isa, riscv,isa-extensions,
 * mmu-type; riscv/extensions.yaml): every extension the description lists
 * executes, every one it leaves out is an illegal instruction
 * (unprivileged ISA: F, D, Zfh need sstatus.FS on, V needs sstatus.VS on
 * (privileged architecture v1.12 3.1.6.6), C, V 1.0, Zba/Zbb/Zbc/Zbs
 * (bitmanip 1.0), Zicbom/Zicboz (CMO 1.0), the H extension's HFENCE.VVMA in
 * HS-mode, Svinval); PAUSE (Zihintpause) is a HINT that every hart
 * executes, listed or not; the string names RV64 with the M and A lib's own
 * code runs on; FP and vector instructions are illegal with FS or VS off,
 * and an FP write makes FS Dirty and sets SD; vlenb is a power of two of at
 * least 16 (V requires Zvl128b); satp accepts the modes up to mmu-type and
 * refuses the next (4.1.11: an unsupported mode leaves satp unchanged).
 * Harts other than CPU 0 run the same table; each must agree with its own
 * description.
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "cpu.h"
#include "devicetree.h"
#include "mmu.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

#define ILL	EXINFO(CAUSE_ILLEGAL_INSN, 0)

/* One instruction of extension @arch (".option arch" lets the assembler take it). */
#define TRY_EXT(arch, insn, ...)						\
	({									\
		DECLARE_EXINFO(__ex);						\
		asm volatile(".option push\n.option arch, +" arch "\n"		\
			     ASM_TRY(insn) "\n.option pop"			\
			     : "+r"(__ex) : __VA_ARGS__);			\
		__ex;								\
	})

static uint8_t block[4096] __aligned(4096);

static exinfo_t run_f(void)
{
	return TRY_EXT("f", "fadd.s f0, f0, f0", "i"(0) : "memory");
}

static exinfo_t run_d(void)
{
	return TRY_EXT("d", "fadd.d f0, f0, f0", "i"(0) : "memory");
}

static exinfo_t run_zfh(void)
{
	return TRY_EXT("zfh", "fadd.h f0, f0, f0", "i"(0) : "memory");
}

static exinfo_t run_c(void)
{
	return TRY_EXT("c", "c.nop\n\tc.nop", "i"(0) : "memory");
}

static exinfo_t run_v(void)
{
	return TRY_EXT("v", "vsetvli t0, zero, e8, m1, ta, ma", "i"(0) : "t0", "memory");
}

static exinfo_t run_zba(void)
{
	return TRY_EXT("zba", "sh1add t0, t0, t0", "i"(0) : "t0", "memory");
}

static exinfo_t run_zbb(void)
{
	return TRY_EXT("zbb", "andn t0, t0, t0", "i"(0) : "t0", "memory");
}

static exinfo_t run_zbc(void)
{
	return TRY_EXT("zbc", "clmul t0, t0, t0", "i"(0) : "t0", "memory");
}

static exinfo_t run_zbs(void)
{
	return TRY_EXT("zbs", "bset t0, t0, t0", "i"(0) : "t0", "memory");
}

static exinfo_t run_zicbom(void)
{
	return TRY_EXT("zicbom", "cbo.clean (%1)", "r"(block) : "memory");
}

static exinfo_t run_zicboz(void)
{
	return TRY_EXT("zicboz", "cbo.zero (%1)", "r"(block) : "memory");
}

static exinfo_t run_h(void)
{
	return TRY_EXT("h", "hfence.vvma zero, zero", "i"(0) : "memory");
}

static exinfo_t run_svinval(void)
{
	return TRY_EXT("svinval", "sinval.vma zero, zero", "i"(0) : "memory");
}

static exinfo_t run_pause(void)
{
	return asm_safe(".insn i 0x0f, 0, x0, x0, 0x010");
}

/* The extensions a probe runs for; FS and VS are on around those that need them. */
static const struct ext {
	const char *name, *insn;
	exinfo_t (*run)(void);
	unsigned long state;	/* sstatus FS or VS to turn on */
} exts[] = {
	{ "f", "FADD.S", run_f, SSTATUS_FS },
	{ "d", "FADD.D", run_d, SSTATUS_FS },
	{ "zfh", "FADD.H", run_zfh, SSTATUS_FS },
	{ "c", "C.NOP", run_c, 0 },
	{ "v", "VSETVLI", run_v, SSTATUS_VS },
	{ "zba", "SH1ADD", run_zba, 0 },
	{ "zbb", "ANDN", run_zbb, 0 },
	{ "zbc", "CLMUL", run_zbc, 0 },
	{ "zbs", "BSET", run_zbs, 0 },
	{ "zicbom", "CBO.CLEAN", run_zicbom, 0 },
	{ "zicboz", "CBO.ZERO", run_zicboz, 0 },
	{ "h", "HFENCE.VVMA", run_h, 0 },
	{ "svinval", "SINVAL.VMA", run_svinval, 0 },
};

static exinfo_t run_ext(const struct ext *e)
{
	exinfo_t ex;

	/* Initial (01) in FS or VS: the low bit of the two-bit field. */
	csr_set(CSR_SSTATUS, e->state & (e->state >> 1));
	ex = e->run();
	csr_clear(CSR_SSTATUS, e->state);
	return ex;
}

/* The extensions on which this hart and its description disagree, a bit each. */
static unsigned long disagreements(void)
{
	int cpu = smp_id();
	unsigned long bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(exts); i++)
		if (run_ext(&exts[i]) != (isa_has(cpu, exts[i].name) ? 0 : ILL))
			bad |= BIT(i);
	return bad;
}

static void isa_str(void)
{
	const char *s = isa_string(0);

	report_info("riscv,isa \"%s\"", s);
	report(!strncmp(s, "rv64", 4) && (s[4] == 'i' || s[4] == 'g'),
	       "the ISA string of CPU 0 names RV64I (or G)");
	report(isa_has(0, "m") && isa_has(0, "a"),
	       "the ISA string lists M and A, which lib uses");
	report_exc(0, run_pause(), "PAUSE, a HINT, executes whether Zihintpause is listed or not");
}

static void extensions(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
		const struct ext *e = &exts[i];

		if (isa_has(0, e->name))
			report_exc(0, run_ext(e), "%s, listed, executes (%s)", e->name, e->insn);
		else
			report_exc(ILL, run_ext(e),
				   "%s, not listed, is an illegal instruction (%s)", e->name,
				   e->insn);
	}
}

static unsigned long cpu_bad[MAX_CPUS];

static void record_disagreements(void *unused)
{
	cpu_bad[smp_id()] = disagreements();
}

static void other_harts(void)
{
	int bad = -1;

	on_cpus(record_disagreements, NULL);
	for (int cpu = cpu_count() - 1; cpu > 0; cpu--)
		if (cpu_bad[cpu])
			bad = cpu;
	report(bad < 0, "every other hart executes exactly the extensions its ISA string lists "
	       "(first that does not: %d, extensions %#lx)", bad, bad < 0 ? 0 : cpu_bad[bad]);
}

static const char *need_f(void)
{
	return isa_has(0, "f") ? NULL : "F not listed";
}

static const char *need_v(void)
{
	return isa_has(0, "v") ? NULL : "V not listed";
}

static void fp_state(void)
{
	unsigned long s;

	csr_clear(CSR_SSTATUS, SSTATUS_FS);
	report_exc(ILL, run_f(), "with sstatus.FS off, FADD.S is an illegal instruction");
	csr_set(CSR_SSTATUS, SSTATUS_FS_INITIAL);
	run_f();
	s = csr_read(CSR_SSTATUS);
	csr_clear(CSR_SSTATUS, SSTATUS_FS);
	report_eq_x(SSTATUS_FS | SSTATUS_SD, s & (SSTATUS_FS | SSTATUS_SD),
		    "an FP register write makes sstatus.FS Dirty and sets SD");
}

static void vector_state(void)
{
	unsigned long vlenb = 0;
	char got[24];
	exinfo_t ex;

	csr_clear(CSR_SSTATUS, SSTATUS_VS);
	report_exc(ILL, run_v(), "with sstatus.VS off, VSETVLI is an illegal instruction");
	csr_set(CSR_SSTATUS, SSTATUS_VS & (SSTATUS_VS >> 1));
	ex = csr_read_safe(CSR_VLENB, &vlenb);
	csr_clear(CSR_SSTATUS, SSTATUS_VS);
	report_exc(0, ex, "with sstatus.VS on, vlenb reads");
	snprintf(got, sizeof(got), "%lu", vlenb);
	report_decoded(vlenb >= 16 && !(vlenb & (vlenb - 1)), "a power of two >= 16", got,
		       "vlenb is a power of two of at least 16");
}

/* The deepest mode mmu-type names, SATP_MODE_BARE for "riscv,none" or none at all. */
static unsigned long dt_mmu_mode(void)
{
	static const char *const names[] = { "riscv,sv39", "riscv,sv48", "riscv,sv57" };
	int node = cpu_dt_node(0);

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (dt_prop_has(node, "mmu-type", names[i]))
			return SATP_MODE_SV39 + i;
	return SATP_MODE_BARE;
}

static void mmu_type(void)
{
	unsigned long max = dt_mmu_mode();

	report_info("mmu-type names %s", mmu_mode_name(max));
	for (unsigned long m = SATP_MODE_SV39; m <= SATP_MODE_SV57; m++) {
		bool want = m <= max && max != SATP_MODE_BARE, got = !mmu_set_mode(m);

		report(want == got, "satp %s %s, as mmu-type says", want ? "takes" : "refuses",
		       mmu_mode_name(m));
	}
	if (mmu_set_mode(SATP_MODE_SV39))
		report_abort("satp refuses Sv39 back");
}

static const struct subtest tests[] = {
	SUBTEST(isa_str),
	SUBTEST(extensions),
	SUBTEST_SMP(other_harts, NULL, 2),
	SUBTEST_NEEDS(fp_state, need_f),
	SUBTEST_NEEDS(vector_state, need_v),
	SUBTEST(mmu_type),
};

SUBTESTS_MAIN(tests)
