// SPDX-License-Identifier: MIT
/*
 * Storage keys: what ISKE, SSKE (with the conditional-SSKE masks), RRBE,
 * IVSK and TPROT read and write, how the CPU maintains the reference and
 * change bits, which fetches and stores the PSW key may make against each
 * storage key, and that a CPU reset leaves the keys alone.
 *
 * Specs (PoP SA22-7832): 3.4.1 "Key-Controlled Protection" (a store is
 * permitted when the PSW key is 0 or equals the storage key's access-
 * control bits; a fetch too, or when the fetch-protection bit is 0),
 * 3.4 "Storage Key" (ACC bits 0-3, F 4, R 5, C 6: R is set by any fetch
 * or store, C by a store), chapter 10: INSERT STORAGE KEY EXTENDED (bits
 * 56-62 of R1 get the key, bit 63 zero, 0-55 unchanged), SET STORAGE KEY
 * EXTENDED (bits 56-62 of R1 set the whole key; with the conditional-SSKE
 * facility (10) and MR or MC one, the key is left alone, condition code 0,
 * when ACC, F and the R and C bits whose mask bit is zero already match,
 * else set, condition code 1; the old key in bits 48-55), RESET REFERENCE
 * BIT EXTENDED (condition code = R * 2 + C before, R cleared), INSERT
 * VIRTUAL STORAGE KEY (ACC and F of the page a virtual address translates
 * to, in bits 56-60, bits 61-63 zero), TEST PROTECTION (condition code 0
 * fetch and store permitted, 1 fetch only, 2 neither, 3 translation not
 * available; DAT protection forbids the store), 4.4 "Resets" (the storage
 * keys are part of storage: a CPU reset or initial CPU reset leaves them).
 */
#include "alloc.h"
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "asm/sigp.h"
#include "asm/skey.h"
#include "cpu.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "vm.h"

/* The page whose key the subtests set; nothing else lives in it. */
static uint8_t page_buf[PAGE_SIZE] __aligned(PAGE_SIZE);
#define page	((uintptr_t)page_buf)

/* Every key value (bit 7 is not part of the key) reads back through ISKE. */
static void iske_sske(void)
{
	unsigned int bad = 0, first = 0, got = 0;
	uint64_t r = 0xdeadbeefcafe00ffULL;

	for (unsigned int key = 0; key < 0x100; key += 2) {
		sske(page, key);
		if (iske(page) != key && !bad++) {
			first = key;
			got = iske(page);
		}
	}
	report(!bad, "ISKE returns each of the 128 keys SSKE set (%u differ, first %#x read %#x)",
	       bad, first, got);
	sske(page, 0x36);
	asm volatile("iske %0,%1" : "+d"(r) : "a"(page));
	report_eq_x(0xdeadbeefcafe0036ULL, r,
		    "ISKE replaces bits 56-63 of R1 (bit 63 zero) and keeps bits 0-55");
	sske(page, 0);
}

/* R and C as the CPU keeps them: a fetch sets R, a store R and C. */
static void ref_change(void)
{
	volatile uint64_t *p = (volatile uint64_t *)page;

	sske(page, 0);
	report_eq_x(0, iske(page) & (SKEY_REF | SKEY_CHANGE), "SSKE 0 clears R and C");
	(void)*p;
	report_eq_x(SKEY_REF, iske(page) & (SKEY_REF | SKEY_CHANGE),
		    "a fetch sets the reference bit only");
	*p = 1;
	report_eq_x(SKEY_REF | SKEY_CHANGE, iske(page) & (SKEY_REF | SKEY_CHANGE),
		    "a store sets the change bit");
}

static void rrbe_bits(void)
{
	static const uint8_t keys[] = { 0x00, 0x02, 0x04, 0x06 };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		sske(page, 0x30 | keys[i]);
		report_eq((keys[i] & SKEY_REF ? 2 : 0) + (keys[i] & SKEY_CHANGE ? 1 : 0),
			  rrbe(page), "RRBE of key %#x sets condition code R * 2 + C",
			  0x30 | keys[i]);
		report_eq_x(0x30 | (keys[i] & SKEY_CHANGE), iske(page),
			    "RRBE of key %#x clears R, leaves ACC, F and C", 0x30 | keys[i]);
	}
	sske(page, 0);
}

static const char *need_csske(void)
{
	return test_facility(10) ? NULL : "no conditional-SSKE facility (10)";
}

/* SSKE with M3 @m3 and R1 = @key: the condition code, the key after, R1 bits 48-55 after. */
static int sske_m3(uint8_t m3, uint8_t key, uint8_t *after, uint8_t *old)
{
	uint64_t r1 = 0xff00 | key;
	int cc;

	/* SSKE R1,R2,M3: the mask is an operand of its own encoding (RRF-c). */
	switch (m3) {
	case SSKE_MR | SSKE_MC:
		asm volatile("sske %0,%2,6\n\tipm %1\n\tsrl %1,28"
			     : "+d"(r1), "=d"(cc) : "a"(page) : "cc", "memory");
		break;
	case SSKE_MR:
		asm volatile("sske %0,%2,4\n\tipm %1\n\tsrl %1,28"
			     : "+d"(r1), "=d"(cc) : "a"(page) : "cc", "memory");
		break;
	default:
		asm volatile("sske %0,%2,2\n\tipm %1\n\tsrl %1,28"
			     : "+d"(r1), "=d"(cc) : "a"(page) : "cc", "memory");
		break;
	}
	*after = iske(page);
	*old = (uint8_t)(r1 >> 8);
	return cc;
}

static void conditional_sske(void)
{
	uint8_t after, old;

	sske(page, 0x30);
	report_eq(0, sske_m3(SSKE_MR | SSKE_MC, 0x36, &after, &old),
		  "SSKE MR MC of a key with the same ACC and F leaves it: condition code 0");
	report_eq_x(0x30, after, "the key is still 0x30");
	report_eq_x(0x30, old, "R1 bits 48-55 hold the old key 0x30");
	report_eq(1, sske_m3(SSKE_MR | SSKE_MC, 0x50, &after, &old),
		  "SSKE MR MC of a key with another ACC sets it: condition code 1");
	report_eq_x(0x50, after & (SKEY_ACC | SKEY_FETCH), "ACC and F are now 5 and 0");
	sske(page, 0x30);
	report_eq(1, sske_m3(SSKE_MR, 0x32, &after, &old),
		  "SSKE MR of a key whose C differs (MC zero) sets it: condition code 1");
	report_eq_x(0x32, after & ~SKEY_REF, "the key is now 0x32 (C set)");
	sske(page, 0x32);
	report_eq(0, sske_m3(SSKE_MC, 0x30, &after, &old),
		  "SSKE MC of a key equal but for C (MC one) leaves it: condition code 0");
	report_eq_x(0x32, after, "the key is still 0x32");
	sske(page, 0);
}

/* IVSK through DAT: the key of the page the alias translates to. */
#define ALIAS	0x40000000000UL

static void ivsk(void)
{
	uint64_t r = 0xffffffffffffffffULL;
	DECLARE_EXINFO(ex);

	if (pt_map(ALIAS, page, PAGE_SIZE, PT_RW))
		report_abort("cannot map %#lx", ALIAS);
	sske(page, 0x9e);
	asm volatile(ASM_TRY("ivsk %1,%2") : "+r"(ex), "+d"(r) : "a"(ALIAS));
	if (report_exc(0, ex, "IVSK in the supervisor state raises nothing"))
		report_eq_x(0xffffffffffffff98ULL, r, "IVSK of a virtual address gives ACC and F "
			    "of its page in bits 56-60, 61-63 zero");
	pt_unmap(ALIAS, PAGE_SIZE);
	sske(page, 0);
}

/* The condition codes TPROT should give for access keys 0-15 against @skey. */
static void tprot_expected(uint8_t skey, char *out)
{
	for (int k = 0; k < 16; k++)
		out[k] = '0' + (k == 0 || k == skey >> 4 ? 0 : skey & SKEY_FETCH ? 2 : 1);
	out[16] = 0;
}

static void tprot_keys(void)
{
	for (unsigned int skey = 0; skey < 0x100; skey += SKEY_FETCH) {
		char exp[17], got[17];

		sske(page, skey);
		tprot_expected(skey, exp);
		for (int k = 0; k < 16; k++)
			got[k] = '0' + tprot(page, k);
		got[16] = 0;
		report_decoded(!strcmp(exp, got), exp, got,
			       "TPROT with access keys 0-15 against ACC %u F %u", skey >> 4,
			       !!(skey & SKEY_FETCH));
	}
	sske(page, 0);
}

static void tprot_dat(void)
{
	if (pt_map(ALIAS, page, PAGE_SIZE, PT_R))
		report_abort("cannot map %#lx", ALIAS);
	report_eq(1, tprot(ALIAS, 0), "TPROT of a DAT-protected page: fetch only (cc 1)");
	pt_unmap(ALIAS, PAGE_SIZE);
	report_eq(3, tprot(ALIAS, 0),
		  "TPROT of an unmapped page: translation not available (cc 3)");
}

/* A fetch and a store with PSW key @key against the page: 'F' fetch only, 'S' both, '-' neither. */
static char access(uint8_t key)
{
	uint64_t v = 0;
	DECLARE_EXINFO(fe);
	DECLARE_EXINFO(st);

	/* No other storage access while the PSW key is not 0. */
	asm volatile("spka 0(%[k])\n\t"
		     ASM_TRY("lg %[v],0(%[p])") "\n\t"
		     "spka 0"
		     : "+r"(fe), [v] "+d"(v) : [k] "a"((uintptr_t)key << 4), [p] "a"(page)
		     : "memory");
	asm volatile("spka 0(%[k])\n\t"
		     ASM_TRY("stg %[v],0(%[p])") "\n\t"
		     "spka 0"
		     : "+r"(st) : [v] "d"(v), [k] "a"((uintptr_t)key << 4), [p] "a"(page)
		     : "memory");
	if (fe && fe != EXINFO(PGM_PROTECTION, 3))
		return '?';
	if (st && st != EXINFO(PGM_PROTECTION, 3))
		return '?';
	return !fe && !st ? 'S' : !fe ? 'F' : st ? '-' : '?';
}

static void psw_key(void)
{
	static const uint8_t skeys[] = { 0x00, 0x30, 0x38, 0x90, 0x98, 0xf8 };

	for (size_t i = 0; i < ARRAY_SIZE(skeys); i++) {
		char exp[17], got[17];

		sske(page, skeys[i]);
		for (int k = 0; k < 16; k++) {
			exp[k] = k == 0 || k == skeys[i] >> 4 ? 'S' :
				 skeys[i] & SKEY_FETCH ? '-' : 'F';
			got[k] = access(k);
		}
		exp[16] = got[16] = 0;
		report_decoded(!strcmp(exp, got), exp, got,
			       "fetch and store with PSW keys 0-15 against ACC %u F %u (S both, "
			       "F fetch only, - neither)", skeys[i] >> 4,
			       !!(skeys[i] & SKEY_FETCH));
	}
	sske(page, 0);
}

static uint8_t key_seen;

static void read_key(void *data)
{
	key_seen = iske(page);
}

/* An initial CPU reset of CPU 1 leaves the keys; CPU 1 reads the same key after. */
static void cpu_reset_keys(void)
{
	int cpu = cpu_count() - 1;

	sske(page, 0x58);
	if (cpu_stop(cpu))
		report_abort("cannot stop CPU %d", cpu);
	report_eq(0, sigp(cpu_address(cpu), SIGP_INITIAL_CPU_RESET, 0, NULL),
		  "SIGP INITIAL CPU RESET of the stopped CPU %d is accepted", cpu);
	report_eq_x(0x58, iske(page), "the storage key is unchanged by the CPU reset");
	if (cpu_restart(cpu))
		report_abort("cannot restart CPU %d", cpu);
	on_cpu(cpu, read_key, NULL);
	report_eq_x(0x58, key_seen, "the reset CPU %d reads the same key", cpu);
	sske(page, 0);
}

static const struct subtest tests[] = {
	SUBTEST(iske_sske),
	SUBTEST(ref_change),
	SUBTEST(rrbe_bits),
	SUBTEST_NEEDS(conditional_sske, need_csske),
	SUBTEST(ivsk),
	SUBTEST(tprot_keys),
	SUBTEST(tprot_dat),
	SUBTEST(psw_key),
	SUBTEST_SMP(cpu_reset_keys, NULL, 2),
};

SUBTESTS_MAIN(tests)
