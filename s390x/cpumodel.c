// SPDX-License-Identifier: MIT
/*
 * The CPU model as the guest sees it: the facility bits STFLE stores against
 * what the CPU executes (an instruction of an installed facility runs, one
 * of a facility not installed is an operation exception), STIDP, and STSI's
 * system-information blocks 1.1.1, 2.2.2 and 3.2.2 with the current-level
 * query, invalid function codes and selectors, reserved bits and a
 * misaligned block.
 *
 * Specs (PoP SA22-7832): chapter 4 "Facility Indications" (figure "Assignment of
 * facility bits": 18 long displacement, 21 extended immediate, 25 STCKF,
 * 34 general-instructions extension, 35 execute extensions, 45 distinct
 * operands (ARK), 49 execution hint (NIAI), 53 load/store on condition 2
 * (LZRG), 58 miscellaneous-instruction extensions 2 (MGRK), 61
 * miscellaneous-instruction extensions 3 (NCRK)), chapter 10: STORE
 * FACILITY LIST EXTENDED (R0 + 1 doublewords stored, R0 bits 56-63 set to
 * the number needed minus 1, condition code 3 when that is more than
 * given), STORE CPU ID (bits 32-47 the machine type), STORE SYSTEM
 * INFORMATION (function code 0 puts the current configuration level in R0
 * bits 32-35; levels 1 basic machine, 2 LPAR, 3 virtual machine; a level
 * above the current one, an undefined function code or selector:
 * condition code 3; nonzero R0 bits 36-55 or R1 bits 32-47: specification
 * exception; the block must be on a 4 KiB boundary; privileged), SYSIB
 * layouts 1.1.1 (EBCDIC manufacturer and type), 2.2.2 and 3.2.2 (CPU
 * counts, EBCDIC names).
 * Arguments: "smp=<n>" (from the cfg): the CPUs 3.2.2 must say are there.
 */
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"

/* One probe per facility: its first instruction belongs to that facility only. */
static exinfo_t probe(int facility)
{
	uint64_t buf = 0;
	DECLARE_EXINFO(ex);

	switch (facility) {
	case 18:	/* LY */
		asm volatile(ASM_TRY("ly %%r0,%1") : "+r"(ex) : "T"(buf) : "r0");
		break;
	case 21:	/* LGFI %r0,1 */
		asm volatile(ASM_TRY(".short 0xc001\n\t.long 1") : "+r"(ex) : : "r0");
		break;
	case 25:	/* STCKF */
		asm volatile(ASM_TRY("stckf %1") : "+r"(ex), "=Q"(buf) : : "cc");
		break;
	case 34:	/* MVGHI */
		asm volatile(ASM_TRY("mvghi %1,0") : "+r"(ex), "=Q"(buf));
		break;
	case 35:	/* EXRL of a NOPR */
		asm volatile(ASM_TRY("exrl 0,3f") "\n\tj 4f\n3:\tnopr %%r7\n4:" : "+r"(ex));
		break;
	case 45:	/* ARK %r0,%r0,%r0 */
		asm volatile(ASM_TRY(".long 0xb9f80000") : "+r"(ex) : : "r0", "cc");
		break;
	case 49:	/* NIAI 0,0 */
		asm volatile(ASM_TRY(".long 0xb2fa0000") : "+r"(ex));
		break;
	case 53:	/* LZRG %r0,0(%r1) */
		asm volatile("la %%r1,%1\n\t" ASM_TRY(".long 0xe3001000\n\t.short 0x002a")
			     : "+r"(ex) : "Q"(buf) : "r0", "r1");
		break;
	case 58:	/* MGRK %r0,%r1,%r1 */
		asm volatile(ASM_TRY(".long 0xb9ec1001") : "+r"(ex) : : "r0", "r1", "cc");
		break;
	default:	/* 61: NCRK %r0,%r0,%r0 */
		asm volatile(ASM_TRY(".long 0xb9f50000") : "+r"(ex) : : "r0", "cc");
		break;
	}
	return ex;
}

static void facilities(void)
{
	static const struct {
		int nr;
		const char *insn;
		unsigned int ilc;
	} probes[] = {
		{ 18, "LY", 3 }, { 21, "LGFI", 3 }, { 25, "STCKF", 2 }, { 34, "MVGHI", 3 },
		{ 35, "EXRL", 3 }, { 45, "ARK", 2 }, { 49, "NIAI", 2 }, { 53, "LZRG", 3 },
		{ 58, "MGRK", 2 }, { 61, "NCRK", 2 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
		int nr = probes[i].nr;

		if (test_facility(nr))
			report_exc(0, probe(nr), "%s of installed facility %d executes",
				   probes[i].insn, nr);
		else
			report_exc(EXINFO(PGM_OPERATION, probes[i].ilc), probe(nr),
				   "%s of facility %d, not installed, is an operation exception",
				   probes[i].insn, nr);
	}
}

/* STFLE with too few doublewords: condition code 3, R0 says how many it needs. */
static void stfle_short(void)
{
	uint64_t list[4] = { 0 }, one = 0, needed;
	int cc, need = stfle(list, 4);

	/* R0 bits 56-63: the doublewords given minus 1, here 0. */
	asm volatile("lghi %%r0,0\n\t"
		     "stfle %1\n\t"
		     "ipm %2\n\t"
		     "srl %2,28\n\t"
		     "lgr %0,%%r0"
		     : "=d"(needed), "=Q"(one), "=d"(cc) : : "r0", "cc", "memory");
	report(need <= 4, "STFLE needs at most 4 doublewords here (%d)", need);
	report_eq(need > 1 ? 3 : 0, cc,
		  "STFLE with 1 doubleword: condition code 3 when more exist");
	report_eq(need - 1, needed & 0xff,
		  "STFLE puts the doublewords needed minus 1 in R0 bits 56-63");
	report_eq_x(list[0], one, "STFLE with 1 doubleword stores the first one");
	report(test_facility(7), "STFLE says the STFLE facility (7) is installed");
	report(test_facility(1) && test_facility(2),
	       "facilities 1 and 2 say z/Architecture is installed and active");
}

/* STSI @fc.@sel1.@sel2 into @sysib: the condition code, or -1 with the exception in *@ex. */
static int stsi(void *sysib, uint64_t fc, uint64_t sel1, uint64_t sel2, uint64_t *r0out,
		exinfo_t *ex)
{
	register uint64_t r0 asm("0") = fc << 28 | sel1;
	register uint64_t r1 asm("1") = sel2;
	int cc = -1;
	DECLARE_EXINFO(e);

	asm volatile(ASM_TRY("stsi 0(%[sysib])") "\n\t"
		     "ipm %[cc]\n\t"
		     "srl %[cc],28"
		     : "+r"(e), [cc] "+d"(cc), "+d"(r0)
		     : "d"(r1), [sysib] "a"(sysib) : "cc", "memory");
	if (e)
		cc = -1;
	if (r0out)
		*r0out = r0;
	if (ex)
		*ex = e;
	return cc;
}

static uint8_t sysib[4096] __aligned(4096);

static int current_level(void)
{
	uint64_t r0;

	if (stsi(sysib, 0, 0, 0, &r0, NULL))
		return -1;
	return (r0 >> 28) & 0xf;
}

/* EBCDIC: digits 0xf0-0xf9, letters 0x81-0xa9 and 0xc1-0xe9 (with gaps), blank 0x40. */
static bool ebcdic_printable(const uint8_t *s, size_t n, bool need_nonblank)
{
	bool nonblank = false;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = s[i];

		if (c == 0x40)
			continue;
		c |= 0x40;	/* lower case letters are upper case minus 0x40 */
		if (!(c >= 0xf0 && c <= 0xf9) && !(c >= 0xc1 && c <= 0xc9) &&
		    !(c >= 0xd1 && c <= 0xd9) && !(c >= 0xe2 && c <= 0xe9))
			return false;
		nonblank = true;
	}
	return nonblank || !need_nonblank;
}

static void level(void)
{
	int lvl = current_level();

	report_in_range(1, 3, lvl, "STSI 0 gives the current configuration level 1, 2 or 3");
	report_eq(3, stsi(sysib, lvl + 1 <= 3 ? lvl + 1 : 4, 1, 1, NULL, NULL),
		  "STSI of a level above the current one: condition code 3");
	for (unsigned int fc = 4; fc <= 14; fc += 5)
		report_eq(3, stsi(sysib, fc, 1, 1, NULL, NULL),
			  "STSI of undefined function code %u: condition code 3", fc);
	report_eq(3, stsi(sysib, 1, 1, 2, NULL, NULL),
		  "STSI 1.1.2 (no such selector): condition code 3");
	report_eq(3, stsi(sysib, 1, 3, 1, NULL, NULL),
		  "STSI 1.3.1 (no such selector): condition code 3");
}

static void reserved_bits(void)
{
	exinfo_t ex;

	stsi(sysib, 1, 1 | 1 << 8, 1, NULL, &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "STSI with R0 bit 55 one is a specification exception, ILC 2");
	stsi(sysib, 1, 1, 1 | 1ULL << 16, NULL, &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "STSI with R1 bit 47 one is a specification exception, ILC 2");
	stsi(sysib + 8, 1, 1, 1, NULL, &ex);
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "STSI 1.1.1 into a block not on a 4 KiB boundary is a specification exception");
}

static uint64_t user_stsi(uint64_t arg)
{
	exinfo_t ex;

	stsi(sysib, 0, 0, 0, NULL, &ex);
	return ex;
}

static void sysib_111(void)
{
	uint16_t type = stidp() >> 16;
	uint8_t want[4];

	report_eq(0, stsi(sysib, 1, 1, 1, NULL, NULL), "STSI 1.1.1: condition code 0");
	report(ebcdic_printable(sysib + 32, 16, true),
	       "1.1.1's manufacturer is EBCDIC letters, digits and blanks");
	for (int i = 0; i < 4; i++)
		want[i] = 0xf0 + ((type >> (12 - 4 * i)) & 0xf);
	report(!memcmp(sysib + 48, want, 4),
	       "1.1.1's type is STIDP's machine type %04x in EBCDIC digits", type);
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_stsi, 0),
		   "STSI in the problem state is a privileged-operation exception, ILC 2");
}

static const char *need_level2(void)
{
	return current_level() >= 2 ? NULL : "configuration level below 2: no 2.2.2";
}

static void sysib_222(void)
{
	uint16_t total, configured;

	report_eq(0, stsi(sysib, 2, 2, 2, NULL, NULL), "STSI 2.2.2: condition code 0");
	total = sysib[36] << 8 | sysib[37];
	configured = sysib[38] << 8 | sysib[39];
	report(configured >= 1 && total >= configured,
	       "2.2.2's partition has CPUs, total >= configured (%u, %u)", total, configured);
	report(ebcdic_printable(sysib + 44, 8, false), "2.2.2's partition name is EBCDIC");
}

static const char *need_level3(void)
{
	return current_level() >= 3 ? NULL : "configuration level below 3: no 3.2.2";
}

static void sysib_322(void)
{
	const char *smp = arg_value("smp");
	uint16_t total, configured;

	report_eq(0, stsi(sysib, 3, 2, 2, NULL, NULL), "STSI 3.2.2: condition code 0");
	report_in_range(1, 8, sysib[31] & 0xf, "3.2.2 describes 1 to 8 virtual-machine levels");
	total = sysib[36] << 8 | sysib[37];
	configured = sysib[38] << 8 | sysib[39];
	report_eq(cpu_count(), configured, "3.2.2's configured CPUs are the CPUs SCLP lists");
	if (smp)
		report_eq(strtoul(smp, NULL, 0), configured,
			  "3.2.2's configured CPUs match the smp= argument");
	report(total >= configured, "3.2.2's total CPUs are at least the configured (%u, %u)",
	       total, configured);
	report(ebcdic_printable(sysib + 44, 8, true), "3.2.2's virtual-machine name is EBCDIC");
}

static uint64_t cpu_ids[MAX_CPUS];

static void read_stidp(void *data)
{
	cpu_ids[smp_id()] = stidp();
}

static void stidp_all(void)
{
	unsigned int bad = 0;

	on_cpus(read_stidp, NULL);
	for (int i = 1; i < cpu_count(); i++)
		bad += (cpu_ids[i] >> 16 & 0xffff) != (cpu_ids[0] >> 16 & 0xffff);
	report_eq(0, bad, "STIDP gives every CPU the same machine type");
}

static const struct subtest tests[] = {
	SUBTEST(facilities),
	SUBTEST(stfle_short),
	SUBTEST(level),
	SUBTEST(reserved_bits),
	SUBTEST(sysib_111),
	SUBTEST_NEEDS(sysib_222, need_level2),
	SUBTEST_NEEDS(sysib_322, need_level3),
	SUBTEST_SMP(stidp_all, NULL, 2),
};

SUBTESTS_MAIN(tests)
