// SPDX-License-Identifier: MIT
/*
 * Feature bits against behaviour. An enumerated instruction executes
 * without an exception; an absent one raises #UD, as its SDM (or APM)
 * exception list says ("#UD If CPUID.xxx = 0"). Only instructions with such
 * a line are listed: PREFETCHW, CLDEMOTE and WBNOINVD run as NOPs or as an
 * older instruction where absent, so their absence cannot be observed.
 * LZCNT and TZCNT execute as BSR and BSF where absent (SDM vol. 2A): the
 * results tell which one ran (count_decoding).
 *
 * Unprivileged instructions run at CPL3 (insn_user), the privileged ones
 * at CPL0, one subtest each (insn_kernel_invpcid, _monitor, _xsaves): a VMM
 * that emulates guest kernel code may die on one of them, and a known crash
 * must not hide the others. Caveat: KVM by default runs MONITOR/MWAIT as NOPs
 * even where its guest CPUID lacks MONITOR (KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS).
 *
 * Under KVM guest CPL3 code runs on the physical CPU: an instruction the
 * guest's CPUID hides but the host implements executes. So whether an
 * absent instruction raises #UD at CPL3 (insn_user), which of LZCNT/BSR
 * runs (count_decoding), and whether CR4.PKE can be set without PKU are
 * decided by the host CPU there; those messages end in
 * REPORT_HOST_DECIDES.
 *
 * The image is built with -mno-sse -mno-80387, so no C code keeps live
 * state in vector, mask or x87 registers: the stubs use xmm0/ymm0/k0
 * without declaring them.
 *
 * CR4: writing 1 to a bit whose feature CPUID does not enumerate raises
 * #GP(0) (SDM vol. 3A 2.5 and MOV CR; APM vol. 2 3.1.3); an enumerated bit
 * can be set and cleared. EFER bits are x86/msr's.
 */
#include "report.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "cpuid_test.h"

/* Scratch memory for the stubs (%rdi): aligned for CMPXCHG16B and XSAVE. */
static uint8_t insn_buf[4096] __aligned(4096);

/* One stub per instruction: @setup runs first, then @insn under ASM_TRY. */
#define INSN_STUB(fn, setup, insn)						\
	static exinfo_t fn(void)						\
	{									\
		DECLARE_EXINFO(ex);						\
		asm volatile(setup ASM_TRY(insn)				\
			     : "+r"(ex) : "D"(insn_buf)				\
			     : "rax", "rbx", "rcx", "rdx", "rsi", "memory", "cc");	\
		return ex;							\
	}

#define ZERO_EAX_EDX	"xor %%eax, %%eax\n\txor %%edx, %%edx\n\t"
#define ZERO_ECX	"xor %%ecx, %%ecx\n\t"

INSN_STUB(do_addps, "", "addps %%xmm0, %%xmm0")
INSN_STUB(do_paddq, "", "paddq %%xmm0, %%xmm0")
INSN_STUB(do_haddps, "", "haddps %%xmm0, %%xmm0")
INSN_STUB(do_pshufb, "", "pshufb %%xmm0, %%xmm0")
INSN_STUB(do_pminud, "", "pminud %%xmm0, %%xmm0")
INSN_STUB(do_pcmpgtq, "", "pcmpgtq %%xmm0, %%xmm0")
INSN_STUB(do_crc32, "", "crc32b %%al, %%eax")
INSN_STUB(do_popcnt, "", "popcnt %%eax, %%eax")
INSN_STUB(do_movbe, "", "movbe (%%rdi), %%eax")
INSN_STUB(do_aesenc, "", "aesenc %%xmm0, %%xmm0")
INSN_STUB(do_pclmulqdq, "", "pclmulqdq $0, %%xmm0, %%xmm0")
INSN_STUB(do_sha256msg1, "", "sha256msg1 %%xmm0, %%xmm0")
INSN_STUB(do_gf2p8mulb, "", "gf2p8mulb %%xmm0, %%xmm0")
INSN_STUB(do_extrq, "", "extrq %%xmm0, %%xmm0")
INSN_STUB(do_rdrand, "", "rdrand %%eax")
INSN_STUB(do_rdseed, "", "rdseed %%eax")
INSN_STUB(do_cmpxchg8b, "", "cmpxchg8b (%%rdi)")
INSN_STUB(do_cmpxchg16b, "", "cmpxchg16b (%%rdi)")
INSN_STUB(do_cmov, "", "cmove %%eax, %%eax")
INSN_STUB(do_fxsave, "", "fxsave (%%rdi)")
INSN_STUB(do_lahf, "", "lahf")
INSN_STUB(do_clflush, "", "clflush (%%rdi)")
INSN_STUB(do_clflushopt, "", "clflushopt (%%rdi)")
INSN_STUB(do_clwb, "", "clwb (%%rdi)")
INSN_STUB(do_clzero, "mov %%rdi, %%rax\n\t", "clzero")
INSN_STUB(do_movdiri, "", "movdiri %%eax, (%%rdi)")
INSN_STUB(do_rdtscp, "", "rdtscp")
INSN_STUB(do_rdpid, "", "rdpid %%rax")
INSN_STUB(do_rdpru, ZERO_ECX, "rdpru")
INSN_STUB(do_serialize, "", "serialize")
/* Type 2 (all contexts); the descriptor's bits 63:12 must be zero (else #GP). */
INSN_STUB(do_invpcid, "movq $0, (%%rdi)\n\tmovq $0, 8(%%rdi)\n\tmov $2, %%eax\n\t",
	  "invpcid (%%rdi), %%rax")
INSN_STUB(do_monitor, "mov %%rdi, %%rax\n\t" ZERO_ECX "xor %%edx, %%edx\n\t",
	  "monitor %%rax, %%ecx, %%edx")
INSN_STUB(do_andn, "", "andn %%eax, %%eax, %%eax")
INSN_STUB(do_bzhi, "", "bzhi %%eax, %%eax, %%eax")
INSN_STUB(do_adcx, "", "adcx %%eax, %%eax")
INSN_STUB(do_rdfsbase, "", "rdfsbase %%rax")
INSN_STUB(do_rdpkru, ZERO_ECX, "rdpkru")
INSN_STUB(do_xgetbv, ZERO_ECX, "xgetbv")
INSN_STUB(do_xsaveopt, ZERO_EAX_EDX, "xsaveopt (%%rdi)")
INSN_STUB(do_xsavec, ZERO_EAX_EDX, "xsavec (%%rdi)")
INSN_STUB(do_xsaves, ZERO_EAX_EDX, "xsaves (%%rdi)")
INSN_STUB(do_vxorps, "", "vxorps %%ymm0, %%ymm0, %%ymm0")
INSN_STUB(do_vpaddd, "", "vpaddd %%ymm0, %%ymm0, %%ymm0")
INSN_STUB(do_vfmadd231ps, "", "vfmadd231ps %%ymm0, %%ymm0, %%ymm0")
INSN_STUB(do_vcvtph2ps, "", "vcvtph2ps %%xmm0, %%ymm0")
INSN_STUB(do_vaesenc, "", "vaesenc %%ymm0, %%ymm0, %%ymm0")
INSN_STUB(do_vpclmulqdq, "", "vpclmulqdq $0, %%ymm0, %%ymm0, %%ymm0")
INSN_STUB(do_vfmaddps, "", "vfmaddps %%xmm0, %%xmm0, %%xmm0, %%xmm0")
INSN_STUB(do_kxorw, "", "kxorw %%k0, %%k0, %%k0")

#define XCR0_AVX	(XSTATE_X87 | XSTATE_SSE | XSTATE_AVX)
#define XCR0_AVX512	(XCR0_AVX | XSTATE_AVX512)

struct insn_case {
	const char *insn;
	const char *feature;
	x86_feature_t f;
	exinfo_t (*run)(void);
	unsigned long cr4;	/* CR4 enables the instruction needs */
	uint64_t xcr0;		/* XCR0 components the instruction needs */
	bool cpl0;		/* privileged: run at CPL0, not CPL3 */
};

static const struct insn_case insn_cases[] = {
	{ "ADDPS", "SSE", X86_FEATURE_SSE, do_addps },
	{ "PADDQ", "SSE2", X86_FEATURE_SSE2, do_paddq },
	{ "HADDPS", "SSE3", X86_FEATURE_SSE3, do_haddps },
	{ "PSHUFB", "SSSE3", X86_FEATURE_SSSE3, do_pshufb },
	{ "PMINUD", "SSE4.1", X86_FEATURE_SSE4_1, do_pminud },
	{ "PCMPGTQ", "SSE4.2", X86_FEATURE_SSE4_2, do_pcmpgtq },
	{ "CRC32", "SSE4.2", X86_FEATURE_SSE4_2, do_crc32 },
	{ "POPCNT", "POPCNT", X86_FEATURE_POPCNT, do_popcnt },
	{ "MOVBE", "MOVBE", X86_FEATURE_MOVBE, do_movbe },
	{ "AESENC", "AES", X86_FEATURE_AES, do_aesenc },
	{ "PCLMULQDQ", "PCLMULQDQ", X86_FEATURE_PCLMULQDQ, do_pclmulqdq },
	{ "SHA256MSG1", "SHA", X86_FEATURE_SHA, do_sha256msg1 },
	{ "GF2P8MULB", "GFNI", X86_FEATURE_GFNI, do_gf2p8mulb },
	/* APM vol. 4 EXTRQ; on Intel 66 0F 79 is VMWRITE with a 66 prefix: #UD. */
	{ "EXTRQ", "SSE4A", X86_FEATURE_SSE4A, do_extrq },
	{ "RDRAND", "RDRAND", X86_FEATURE_RDRAND, do_rdrand },
	{ "RDSEED", "RDSEED", X86_FEATURE_RDSEED, do_rdseed },
	{ "CMPXCHG8B", "CX8", X86_FEATURE_CX8, do_cmpxchg8b },
	{ "CMPXCHG16B", "CX16", X86_FEATURE_CX16, do_cmpxchg16b },
	{ "CMOVE", "CMOV", X86_FEATURE_CMOV, do_cmov },
	{ "FXSAVE", "FXSR", X86_FEATURE_FXSR, do_fxsave },
	{ "LAHF in 64-bit mode", "LAHF_LM", X86_FEATURE_LAHF_LM, do_lahf },
	{ "CLFLUSH", "CLFSH", X86_FEATURE_CLFLUSH, do_clflush },
	{ "CLFLUSHOPT", "CLFLUSHOPT", X86_FEATURE_CLFLUSHOPT, do_clflushopt },
	{ "CLWB", "CLWB", X86_FEATURE_CLWB, do_clwb },
	{ "CLZERO", "CLZERO", X86_FEATURE_CLZERO, do_clzero },
	{ "MOVDIRI", "MOVDIRI", X86_FEATURE_MOVDIRI, do_movdiri },
	{ "RDTSCP", "RDTSCP", X86_FEATURE_RDTSCP, do_rdtscp },
	{ "RDPID", "RDPID", X86_FEATURE_RDPID, do_rdpid },
	{ "RDPRU", "RDPRU", X86_FEATURE_RDPRU, do_rdpru },
	{ "SERIALIZE", "SERIALIZE", X86_FEATURE_SERIALIZE, do_serialize },
	{ "INVPCID", "INVPCID", X86_FEATURE_INVPCID, do_invpcid, .cpl0 = true },
	/* Only MONITOR: MWAIT could sleep. MONITOR at CPL0 just arms. */
	{ "MONITOR", "MONITOR", X86_FEATURE_MONITOR, do_monitor, .cpl0 = true },
	{ "ANDN", "BMI1", X86_FEATURE_BMI1, do_andn },
	{ "BZHI", "BMI2", X86_FEATURE_BMI2, do_bzhi },
	{ "ADCX", "ADX", X86_FEATURE_ADX, do_adcx },
	{ "RDFSBASE", "FSGSBASE", X86_FEATURE_FSGSBASE, do_rdfsbase, X86_CR4_FSGSBASE },
	{ "RDPKRU", "PKU", X86_FEATURE_PKU, do_rdpkru, X86_CR4_PKE },
	{ "XGETBV", "XSAVE", X86_FEATURE_XSAVE, do_xgetbv, X86_CR4_OSXSAVE },
	{ "XSAVEOPT", "XSAVEOPT", X86_FEATURE_XSAVEOPT, do_xsaveopt, X86_CR4_OSXSAVE },
	{ "XSAVEC", "XSAVEC", X86_FEATURE_XSAVEC, do_xsavec, X86_CR4_OSXSAVE },
	{ "XSAVES", "XSAVES", X86_FEATURE_XSAVES, do_xsaves, X86_CR4_OSXSAVE, .cpl0 = true },
	{ "VXORPS ymm", "AVX", X86_FEATURE_AVX, do_vxorps, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VPADDD ymm", "AVX2", X86_FEATURE_AVX2, do_vpaddd, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VFMADD231PS", "FMA", X86_FEATURE_FMA, do_vfmadd231ps, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VCVTPH2PS", "F16C", X86_FEATURE_F16C, do_vcvtph2ps, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VAESENC ymm", "VAES", X86_FEATURE_VAES, do_vaesenc, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VPCLMULQDQ ymm", "VPCLMULQDQ", X86_FEATURE_VPCLMULQDQ, do_vpclmulqdq,
	  X86_CR4_OSXSAVE, XCR0_AVX },
	{ "VFMADDPS", "FMA4", X86_FEATURE_FMA4, do_vfmaddps, X86_CR4_OSXSAVE, XCR0_AVX },
	{ "KXORW", "AVX512F", X86_FEATURE_AVX512F, do_kxorw, X86_CR4_OSXSAVE, XCR0_AVX512 },
};

static uint64_t run_case_at_cpl3(uint64_t i)
{
	return insn_cases[i].run();
}

/*
 * The instruction's enables (CR4 bits, XCR0 components) are turned on as
 * far as CPUID allows, so an enumerated instruction has everything it
 * needs and an absent one fails only for lack of the feature.
 */
static void check_case(size_t i)
{
	const struct insn_case *c = &insn_cases[i];
	struct ext_state st;
	exinfo_t ex;

	ext_state_enable(&st, c->cr4, c->xcr0);
	ex = c->cpl0 ? c->run() : run_in_user(run_case_at_cpl3, i);
	ext_state_restore(&st);
	if (this_cpu_has(c->f))
		report_exc(0, ex, "%s executes since CPUID enumerates %s", c->insn, c->feature);
	else
		report_exc(EXINFO(UD_VECTOR, 0), ex, "%s raises #UD since CPUID lacks %s%s",
			   c->insn, c->feature, c->cpl0 ? "" : REPORT_HOST_DECIDES);
}

/*
 * Unprivileged instructions run at CPL3, where applications use them and
 * where a VMM that emulates guest kernel code still runs them natively.
 */
void insn_user(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(insn_cases); i++)
		if (!insn_cases[i].cpl0)
			check_case(i);
}

/* One privileged instruction of the table, at CPL0. */
static void insn_kernel(const char *insn)
{
	for (size_t i = 0; i < ARRAY_SIZE(insn_cases); i++)
		if (insn_cases[i].cpl0 && !strcmp(insn_cases[i].insn, insn))
			check_case(i);
}

void insn_kernel_invpcid(void)
{
	insn_kernel("INVPCID");
}

void insn_kernel_monitor(void)
{
	insn_kernel("MONITOR");
}

void insn_kernel_xsaves(void)
{
	insn_kernel("XSAVES");
}

#define COUNT_TZ	BIT(32)

/* At CPL3: LZCNT (or TZCNT with COUNT_TZ) of arg[31:0]; RFLAGS << 32 | result. */
static uint64_t count_at_cpl3(uint64_t arg)
{
	uint32_t v = arg, r = 0xdead;
	uint64_t fl;

	if (arg & COUNT_TZ)
		asm volatile("tzcnt %2, %0\n\tpushf\n\tpop %1" : "+&r"(r), "=r"(fl) : "r"(v)
			     : "cc");
	else
		asm volatile("lzcnt %2, %0\n\tpushf\n\tpop %1" : "+&r"(r), "=r"(fl) : "r"(v)
			     : "cc");
	return fl << 32 | r;
}

#define ZF	(1UL << 6)

/*
 * LZCNT/TZCNT where enumerated: count of 32 and CF=1 for a zero source.
 * Where absent they run as BSR/BSF: BSR(1) = 0 and a zero source sets ZF
 * (the destination is then undefined and not looked at).
 */
void count_decoding(void)
{
	bool lz = this_cpu_has(X86_FEATURE_ABM), tz = this_cpu_has(X86_FEATURE_BMI1);
	uint64_t v;
	uint32_t r, fl;

	r = run_in_user(count_at_cpl3, 1);
	if (lz)
		report_eq(31, r, "LZCNT of 1 is 31 (LZCNT enumerated)");
	else
		report_eq(0, r, "the LZCNT encoding of 1 gives BSR's 0 (LZCNT absent)"
			  REPORT_HOST_DECIDES);
	v = run_in_user(count_at_cpl3, 0);
	r = v, fl = v >> 32;
	if (lz)
		report(r == 32 && (fl & X86_EFLAGS_CF) && !(fl & ZF),
		       "LZCNT of 0 is 32 with CF=1, ZF=0 (LZCNT enumerated)");
	else
		report(fl & ZF, "the LZCNT encoding of 0 sets ZF like BSR (LZCNT absent)"
		       REPORT_HOST_DECIDES);
	v = run_in_user(count_at_cpl3, COUNT_TZ);
	r = v, fl = v >> 32;
	if (tz)
		report(r == 32 && (fl & X86_EFLAGS_CF) && !(fl & ZF),
		       "TZCNT of 0 is 32 with CF=1, ZF=0 (BMI1 enumerated)");
	else
		report(fl & ZF, "the TZCNT encoding of 0 sets ZF like BSF (BMI1 absent)"
		       REPORT_HOST_DECIDES);
}

struct ctl_bit {
	const char *name;
	unsigned long bit;
	const char *feature;
	x86_feature_t f;
	/*
	 * Set where the absent-feature check is a subtest of its own
	 * (cr4_absent_<name>): QEMU 7.2 TCG hangs on a reserved VMXE or SMXE
	 * write, and a known crash must not hide the other bits' checks.
	 */
	bool alone;
	/* The host's CR4 applies to guest CPL3 code under KVM (PKE: RDPKRU/WRPKRU). */
	bool host_decides;
};

static const struct ctl_bit cr4_bits[] = {
	{ "VME", X86_CR4_VME, "VME", X86_FEATURE_VME },
	{ "PVI", X86_CR4_PVI, "VME", X86_FEATURE_VME },
	{ "DE", X86_CR4_DE, "DE", X86_FEATURE_DE },
	{ "PSE", X86_CR4_PSE, "PSE", X86_FEATURE_PSE },
	{ "MCE", X86_CR4_MCE, "MCE", X86_FEATURE_MCE },
	{ "PGE", X86_CR4_PGE, "PGE", X86_FEATURE_PGE },
	{ "OSFXSR", X86_CR4_OSFXSR, "FXSR", X86_FEATURE_FXSR },
	{ "OSXMMEXCPT", X86_CR4_OSXMMEXCPT, "SSE", X86_FEATURE_SSE },
	{ "UMIP", X86_CR4_UMIP, "UMIP", X86_FEATURE_UMIP },
	{ "VMXE", X86_CR4_VMXE, "VMX", X86_FEATURE_VMX, .alone = true },
	{ "SMXE", X86_CR4_SMXE, "SMX", X86_FEATURE_SMX, .alone = true },
	{ "FSGSBASE", X86_CR4_FSGSBASE, "FSGSBASE", X86_FEATURE_FSGSBASE },
	/* CR3[11:0] is 0 in lib's page tables, as setting PCIDE requires. */
	{ "PCIDE", X86_CR4_PCIDE, "PCID", X86_FEATURE_PCID },
	{ "OSXSAVE", X86_CR4_OSXSAVE, "XSAVE", X86_FEATURE_XSAVE },
	{ "PKE", X86_CR4_PKE, "PKU", X86_FEATURE_PKU, .host_decides = true },
};

/* Flip @b in CR4 and flip it back; returns the first write's result. */
static exinfo_t toggle_cr4(unsigned long b)
{
	unsigned long v = read_cr4();
	exinfo_t ex = write_cr4_safe(v ^ b);

	if (!ex)
		write_cr4(v);
	return ex;
}

/* Bits of enumerated features can be set (or cleared, if set) and restored. */
static void check_cr4_enumerated(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cr4_bits); i++) {
		const struct ctl_bit *c = &cr4_bits[i];
		bool set = read_cr4() & c->bit;

		if (this_cpu_has(c->f))
			report_exc(0, toggle_cr4(c->bit),
				   "CR4.%s can be %s since CPUID enumerates %s", c->name,
				   set ? "cleared" : "set", c->feature);
	}
}

/* Setting a bit of an absent feature raises #GP(0). */
static void check_cr4_absent(const struct ctl_bit *c)
{
	const char *host = c->host_decides ? REPORT_HOST_DECIDES : "";

	if (read_cr4() & c->bit)
		report_fail("CR4.%s is clear since CPUID lacks %s%s", c->name, c->feature, host);
	else
		report_exc(EXINFO(GP_VECTOR, 0), toggle_cr4(c->bit),
			   "setting CR4.%s raises #GP(0) since CPUID lacks %s%s", c->name,
			   c->feature, host);
}

/* The absent-feature bits, except those with a subtest of their own. */
void cr4_absent(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cr4_bits); i++)
		if (!cr4_bits[i].alone && !this_cpu_has(cr4_bits[i].f))
			check_cr4_absent(&cr4_bits[i]);
}

static const struct ctl_bit *cr4_bit(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(cr4_bits); i++)
		if (!strcmp(cr4_bits[i].name, name))
			return &cr4_bits[i];
	return NULL;
}

void cr4_absent_vmxe(void)
{
	check_cr4_absent(cr4_bit("VMXE"));
}

void cr4_absent_smxe(void)
{
	check_cr4_absent(cr4_bit("SMXE"));
}

const char *needs_no_vmx(void)
{
	return this_cpu_has(X86_FEATURE_VMX) ? "CPUID enumerates VMX: CR4.VMXE is not reserved"
					     : NULL;
}

const char *needs_no_smx(void)
{
	return this_cpu_has(X86_FEATURE_SMX) ? "CPUID enumerates SMX: CR4.SMXE is not reserved"
					     : NULL;
}

/* CPUID bits that reflect a CR4 enable (SDM vol. 2A table 3-8). */
static const struct {
	const char *cr4_name;
	unsigned long bit;
	x86_feature_t need;
	x86_feature_t mirror;
	const char *mirror_name;
} os_mirrors[] = {
	{ "OSXSAVE", X86_CR4_OSXSAVE, X86_FEATURE_XSAVE, X86_FEATURE_OSXSAVE,
	  "CPUID.1:ECX[27] (OSXSAVE)" },
	{ "PKE", X86_CR4_PKE, X86_FEATURE_PKU, X86_FEATURE_OSPKE, "CPUID.7:ECX[4] (OSPKE)" },
};

static void check_os_mirrors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(os_mirrors); i++) {
		unsigned long cr4 = read_cr4(), bit = os_mirrors[i].bit;
		bool on, off;

		if (!this_cpu_has(os_mirrors[i].need)) {
			report_skip("%s: CR4.%s cannot be set", os_mirrors[i].mirror_name,
				    os_mirrors[i].cr4_name);
			continue;
		}
		write_cr4(cr4 | bit);
		on = this_cpu_has(os_mirrors[i].mirror);
		write_cr4(cr4 & ~bit);
		off = this_cpu_has(os_mirrors[i].mirror);
		write_cr4(cr4);
		report(on, "%s is 1 while CR4.%s=1", os_mirrors[i].mirror_name,
		       os_mirrors[i].cr4_name);
		report(!off, "%s is 0 while CR4.%s=0", os_mirrors[i].mirror_name,
		       os_mirrors[i].cr4_name);
	}
}

void cr4_enumerated(void)
{
	check_cr4_enumerated();
	check_os_mirrors();
}
