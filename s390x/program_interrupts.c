// SPDX-License-Identifier: MIT
/*
 * Program interruptions: for each exception the program-interruption code,
 * the instruction-length code and what the CPU stores with it (the
 * translation-exception identification, the data-exception code, the PER
 * code and address), and whether the instruction was suppressed,
 * nullified or completed.
 *
 * Specs (PoP SA22-7832): chapter 6 "Program Interruption" (figure
 * "Interruption action": operation, privileged-operation and execute
 * exceptions suppress; a specification exception suppresses; addressing
 * and protection suppress or terminate; segment-, page- and region-
 * translation and ASCE-type exceptions nullify; translation-specification
 * suppresses; fixed-point divide suppresses; "Translation-Exception
 * Identification": bits 0-51 of the failing address, bits 52-53 fetch (10)
 * or store (01) with the access-exception-fetch/store-indication facility
 * (75), bits 62-63 the address space, 00 primary; "Data-Exception Code":
 * 0xff for COMPARE AND TRAP, stored at real location 147), 3.4.4 "Low-
 * Address Protection" (stores to 0-511 and 4096-4607 with CR0 bit 35 one),
 * 3.4.1 key-controlled protection, 3.11.3 (an invalid region-first, -second,
 * -third, segment or page entry is a translation exception of that level,
 * an address beyond what the ASCE's designation type reaches an ASCE-type
 * exception, page-table-entry bit 52 one a translation-specification
 * exception), chapter 10 EXECUTE (the target may not be EXECUTE: execute
 * exception, ILC 2), 4.7 "Program-Event Recording" (successful-branching
 * and instruction-fetching events: program-interruption code bit 0x80, the
 * PER code at real location 150, the PER address at 152 naming the
 * instruction; CR9 event masks, CR10 and CR11 the address range).
 */
#include "alloc.h"
#include "asm/cr.h"
#include "asm/dat.h"
#include "asm/interrupt.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "asm/skey.h"
#include "report.h"
#include "setup.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"

static void operation(void)
{
	report_exc(EXINFO(PGM_OPERATION, 1), asm_safe(".short 0x0000"),
		   "opcode 0x00 (2 bytes) is an operation exception, ILC 1");
	report_exc(EXINFO(PGM_OPERATION, 2), asm_safe(".long 0xb2ff0000"),
		   "unassigned opcode 0xb2ff (4 bytes) is an operation exception, ILC 2");
	report_exc(EXINFO(PGM_OPERATION, 3), asm_safe(".long 0xe3000000\n\t.short 0x00ff"),
		   "unassigned opcode 0xe3..ff (6 bytes) is an operation exception, ILC 3");
}

static uint64_t user_lctlg(uint64_t arg)
{
	uint64_t v = 0;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("lctlg 0,0,%1") : "+r"(ex) : "Q"(v) : "memory");
	return ex;
}

static uint64_t user_ssm(uint64_t arg)
{
	uint8_t sm = 0;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("ssm %1") : "+r"(ex) : "Q"(sm) : "memory");
	return ex;
}

static uint64_t user_iske(uint64_t arg)
{
	uint64_t key = 0;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("iske %1,%2") : "+r"(ex), "+d"(key) : "a"(0x10000UL) : "memory");
	return ex;
}

static void privileged(void)
{
	report_exc(EXINFO(PGM_PRIVILEGED, 3), run_in_user(user_lctlg, 0),
		   "LCTLG in the problem state is a privileged-operation exception, ILC 3");
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_ssm, 0),
		   "SSM in the problem state is a privileged-operation exception, ILC 2");
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_iske, 0),
		   "ISKE in the problem state is a privileged-operation exception, ILC 2");
}

/* EX of an EX: the target of EXECUTE may not be EXECUTE (or EXRL). */
static void execute(void)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("ex 0,%1") : "+r"(ex) : "Q"(*(const uint32_t[]){ 0x44000000 })
		     : "memory");
	report_exc(EXINFO(PGM_EXECUTE, 2), ex, "EX of EX is an execute exception, ILC 2");
	if (!test_facility(35)) {
		report_skip("no execute-extensions facility (35): no EXRL");
		return;
	}
	ex = 0;
	asm volatile(ASM_TRY("exrl 0,3f") "\n\t"
		     "j 4f\n"
		     "3:\tex 0,0\n"
		     "4:"
		     : "+r"(ex) : : "memory");
	report_exc(EXINFO(PGM_EXECUTE, 3), ex, "EXRL of EX is an execute exception, ILC 3");
}

static void specification(void)
{
	uint64_t quad[3] __aligned(16) = { 0 };
	DECLARE_EXINFO(ex);

	/* DR needs an even-odd pair: R1 odd. */
	asm volatile(ASM_TRY(".short 0x1d12") : "+r"(ex) : : "r1", "r2", "memory");
	report_exc(EXINFO(PGM_SPECIFICATION, 1), ex,
		   "DR with an odd R1 is a specification exception, ILC 1");
	ex = 0;
	asm volatile(ASM_TRY("lpq %%r2,%1") : "+r"(ex) : "T"(quad[1]) : "r2", "r3", "memory");
	report_exc(EXINFO(PGM_SPECIFICATION, 3), ex,
		   "LPQ of an operand off a quadword boundary is a specification exception, ILC 3");
}

static void fixed_point(void)
{
	int32_t div[2] = { 0, 7 };
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("d %%r2,%1")
		     : "+r"(ex) : "R"(div[0]) : "r2", "r3", "memory");
	report_exc(EXINFO(PGM_FIXED_DIVIDE, 2), ex,
		   "D by zero is a fixed-point-divide exception, ILC 2");
	ex = 0;
	asm volatile("lghi %%r3,7\n\t"
		     "lghi %%r4,0\n\t"
		     ASM_TRY("dsgr %%r2,%%r4")
		     : "+r"(ex) : : "r2", "r3", "r4", "memory");
	report_exc(EXINFO(PGM_FIXED_DIVIDE, 2), ex,
		   "DSGR by zero is a fixed-point-divide exception, ILC 2");
}

/* The fixed-point-overflow mask is on: AGR overflowing completes, then interrupts. */
static void fixed_overflow(void)
{
	int64_t a = INT64_MAX, b = 1;
	DECLARE_EXINFO(ex);

	asm volatile("lgfi %%r0,0x08000000\n\t"
		     "spm %%r0\n\t"
		     ASM_TRY("agr %[a],%[b]") "\n\t"
		     "lghi %%r0,0\n\t"
		     "spm %%r0"
		     : "+r"(ex), [a] "+d"(a) : [b] "d"(b) : "r0", "cc");
	report_exc(EXINFO(PGM_FIXED_OVERFLOW, 2), ex,
		   "AGR overflowing with the program mask's bit one is a fixed-point-overflow "
		   "exception, ILC 2");
	report_eq_x(0x8000000000000000ULL, a, "the overflowing AGR completed");
}

/* COMPARE AND TRAP of 5 and @v: trap on equal (CGRTE) or on not equal (CGRTNE). */
static exinfo_t compare_trap(uint64_t v, bool on_equal)
{
	uint64_t five = 5;
	DECLARE_EXINFO(ex);

	if (on_equal)
		asm volatile(ASM_TRY("cgrte %1,%2") : "+r"(ex) : "d"(five), "d"(v));
	else
		asm volatile(ASM_TRY("cgrtne %1,%2") : "+r"(ex) : "d"(five), "d"(v));
	return ex;
}

/* COMPARE AND TRAP: a data exception with DXC 0xff when the compare is true. */
static void data(void)
{
	if (!test_facility(34)) {
		report_skip("no general-instructions-extension facility (34): no CGRT");
		return;
	}
	report_exc(EXINFO(PGM_DATA, 2), compare_trap(5, true),
		   "CGRTE of equal registers is a data exception, ILC 2");
	report_eq_x(0xff, s390x_last_pgm()->dxc,
		    "the data-exception code of compare-and-trap is 0xff");
	report_exc(0, compare_trap(6, true), "CGRTE of different registers raises nothing");
	report_exc(0, compare_trap(5, false), "CGRTNE of equal registers raises nothing");
}

#define ALIAS	0x40000000000UL		/* 4 TiB: nothing is mapped there */

static const char *pgm_names_of(unsigned int code)
{
	switch (code) {
	case PGM_PAGE_TRANS:
		return "page-translation";
	case PGM_SEGMENT_TRANS:
		return "segment-translation";
	case PGM_REGION3_TRANS:
		return "region-third-translation";
	case PGM_REGION2_TRANS:
		return "region-second-translation";
	default:
		return "region-first-translation";
	}
}

static exinfo_t load_at(uintptr_t addr)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("lg %%r0,0(%1)") : "+r"(ex) : "a"(addr) : "r0", "memory");
	return ex;
}

static exinfo_t store_at(uintptr_t addr)
{
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("mvghi 0(%1),0") : "+r"(ex) : "a"(addr) : "memory");
	return ex;
}

static const char *need_fsi(void)
{
	return test_facility(75) ? NULL : "no access-exception fetch/store indication (75)";
}

/* The TEID of the last program interruption: the page of @addr, fetch or store, primary. */
static void check_teid(uintptr_t addr, bool store, const char *what)
{
	uint64_t teid = s390x_last_pgm()->teid;
	uint64_t want = (addr & TEID_ADDR) |
			(need_fsi() ? 0 : store ? TEID_STORE : TEID_FETCH);
	uint64_t mask = TEID_ADDR | TEID_AS_MASK | (need_fsi() ? 0 : TEID_FETCH | TEID_STORE);

	report_eq_x(want, teid & mask, "the TEID for %s names the page, %s, primary space", what,
		    store ? "store" : "fetch");
}

static void *alias_page;

static void map_alias(void)
{
	struct pt_walk w;

	alias_page = alloc_zeroed_page();
	if (pt_map(ALIAS, (uintptr_t)alias_page, PAGE_SIZE, PT_RW) || pt_walk(ALIAS, &w))
		report_abort("cannot map a page at %#lx", ALIAS);
}

static void unmap_alias(void)
{
	pt_unmap(ALIAS, PAGE_SIZE);
	free_page(alias_page);
}

/* Each level's translation exception: an address under an invalid entry of that level. */
static void translation(void)
{
	static const struct {
		uintptr_t addr;
		unsigned int code;
		const char *entry;
	} cases[] = {
		{ ALIAS + PAGE_SIZE, PGM_PAGE_TRANS, "page-table" },
		{ ALIAS + (1UL << 20), PGM_SEGMENT_TRANS, "segment-table" },
		{ ALIAS + (1UL << 31), PGM_REGION3_TRANS, "region-third-table" },
		{ ALIAS + (1UL << 42), PGM_REGION2_TRANS, "region-second-table" },
		{ 1UL << 53, PGM_REGION1_TRANS, "region-first-table" },
	};
	char what[48];

	map_alias();
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		report_exc(EXINFO(cases[i].code, 3), load_at(cases[i].addr),
			   "LG under an invalid %s entry is a %s exception, ILC 3", cases[i].entry,
			   pgm_names_of(cases[i].code));
		snprintf(what, sizeof(what), "the invalid %s entry", cases[i].entry);
		check_teid(cases[i].addr, false, what);
	}
	report_exc(EXINFO(PGM_PAGE_TRANS, 3), store_at(ALIAS + PAGE_SIZE),
		   "MVGHI to an invalid page is a page-translation exception, ILC 3");
	check_teid(ALIAS + PAGE_SIZE, true, "the MVGHI to an invalid page");
	unmap_alias();
}

/*
 * The identity map under a region-third ASCE (the table that R1[0] -> R2[0]
 * leads to, covering 0-4 TiB): everything below 4 TiB translates as before,
 * ALIAS (4 TiB) is beyond what the ASCE reaches.
 */
static void asce_type(void)
{
	uint64_t cr1 = stctg(1);
	uint64_t *r1 = (uint64_t *)(uintptr_t)(cr1 & ASCE_ORIGIN);
	uint64_t *r2 = (uint64_t *)(uintptr_t)(r1[0] & REGION_ORIGIN);
	uint64_t r3 = r2[0] & REGION_ORIGIN;
	exinfo_t ex;

	lctlg(1, r3 | ASCE_DT_REGION3 | ASCE_TL);
	ex = load_at(ALIAS);
	lctlg(1, cr1);
	report_exc(EXINFO(PGM_ASCE_TYPE, 3), ex,
		   "LG beyond a region-third ASCE's reach is an ASCE-type exception, ILC 3");
	check_teid(ALIAS, false, "the address beyond the ASCE");
}

/* Page-table-entry bit 52 one: translation specification. */
static void translation_spec(void)
{
	struct pt_walk w;
	exinfo_t ex;

	map_alias();
	pt_walk(ALIAS, &w);
	*w.pte |= PAGE_ZERO_BIT;
	pt_flush(ALIAS);
	ex = load_at(ALIAS);
	*w.pte &= ~PAGE_ZERO_BIT;
	pt_flush(ALIAS);
	report_exc(EXINFO(PGM_TRANS_SPEC, 3), ex,
		   "LG through a page-table entry with bit 52 one is a translation-specification "
		   "exception, ILC 3");
	report_exc(0, load_at(ALIAS), "LG through the entry with bit 52 zero again raises nothing");
	unmap_alias();
}

/*
 * Low-address protection, DAT off: real addresses 0-511 and 4096-4607 are
 * store protected, 512 and 4608 are not (the lowcore's own save areas and
 * store-status area: what is stored there is put back).
 */
static exinfo_t store_real(uintptr_t addr)
{
	uint64_t saved = 0;
	DECLARE_EXINFO(ex);

	asm volatile("stnsm 0(%[sm]),0xfb\n\t"
		     "lg %[saved],0(%[addr])\n\t"
		     ASM_TRY("stg %[saved],0(%[addr])") "\n\t"
		     "ssm 0(%[sm])"
		     : "+r"(ex), [saved] "+d"(saved)
		     : [addr] "a"(addr), [sm] "a"(&(uint8_t){ 0 }) : "memory");
	return ex;
}

static void low_address(void)
{
	static const uintptr_t addrs[] = { 0x100, 0x1f8, 0x1000, 0x11f8 };

	low_address_protection(true);
	for (size_t i = 0; i < ARRAY_SIZE(addrs); i++)
		report_exc(EXINFO(PGM_PROTECTION, 3), store_real(addrs[i]),
			   "STG to real %#lx with low-address protection is a protection "
			   "exception, ILC 3", addrs[i]);
	report_exc(0, store_real(0x200), "STG to real 0x200 (past 511) raises nothing");
	report_exc(0, store_real(0x1200), "STG to real 0x1200 (past 4607) raises nothing");
	low_address_protection(false);
	report_exc(0, store_real(0x100),
		   "STG to real 0x100 without low-address protection raises nothing");
}

/* Key-controlled protection: PSW key 9 against a page whose key is 3 (fetch-protected or not). */
static exinfo_t access_with_key9(void *page, bool store)
{
	uint64_t v = 0;
	DECLARE_EXINFO(ex);

	/* No other storage access while the PSW key is 9. */
	if (store)
		asm volatile("spka 0x90\n\t"
			     ASM_TRY("stg %[v],0(%[p])") "\n\t"
			     "spka 0"
			     : "+r"(ex) : [v] "d"(v), [p] "a"(page) : "memory");
	else
		asm volatile("spka 0x90\n\t"
			     ASM_TRY("lg %[v],0(%[p])") "\n\t"
			     "spka 0"
			     : "+r"(ex), [v] "+d"(v) : [p] "a"(page) : "memory");
	return ex;
}

static void key(void)
{
	void *page = alloc_zeroed_page();

	sske((uintptr_t)page, 0x30);
	report_exc(EXINFO(PGM_PROTECTION, 3), access_with_key9(page, true),
		   "STG with PSW key 9 to storage key 3 is a protection exception, ILC 3");
	report_exc(0, access_with_key9(page, false),
		   "LG with PSW key 9 from storage key 3 without fetch protection raises nothing");
	sske((uintptr_t)page, 0x30 | SKEY_FETCH);
	report_exc(EXINFO(PGM_PROTECTION, 3), access_with_key9(page, false),
		   "LG with PSW key 9 from fetch-protected storage key 3 is a protection "
		   "exception");
	sske((uintptr_t)page, 0x90);
	report_exc(0, access_with_key9(page, true),
		   "STG with PSW key 9 to storage key 9 raises nothing");
	sske((uintptr_t)page, 0);
	free_page(page);
}

/* An address beyond the configuration: real, and through DAT. */
static void addressing(void)
{
	uintptr_t beyond = ALIGN_UP(phys_mem_end, 1UL << 20) + (16UL << 20);
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("iske %%r0,%1") : "+r"(ex) : "a"(beyond) : "r0", "memory");
	report_exc(EXINFO(PGM_ADDRESSING, 2), ex,
		   "ISKE of an absolute address beyond memory is an addressing exception, ILC 2");
	if (pt_map(ALIAS, beyond, PAGE_SIZE, PT_RW))
		report_abort("cannot map %#lx", ALIAS);
	report_exc(EXINFO(PGM_ADDRESSING, 3), load_at(ALIAS),
		   "LG of a page mapped beyond memory is an addressing exception, ILC 3");
	pt_unmap(ALIAS, PAGE_SIZE);
}

/* PER: the target's first instruction, and what the PER interruption stored. */
extern char per_target[];
asm(".pushsection .text\n"
	"per_target:\n\t"
	"lghi %r2,42\n\t"
	"br %r14\n"
	".popsection");

static struct int_info per_info;
static int per_events;

static void per_handler(struct ex_regs *r)
{
	per_info = r->info;
	per_events++;
	r->psw.mask &= ~PSW_MASK_PER;
}

#define PER_CODE_BRANCH		0x80
#define PER_CODE_IFETCH		0x40

/* Call per_target, PER on for @events in [per_target, per_target]; returns the BASR's address. */
static uintptr_t per_call(uint64_t events)
{
	handler_t old = install_exception_handler(PGM_PER, per_handler);
	uintptr_t basr;
	uint8_t sm;

	per_events = 0;
	memset(&per_info, 0, sizeof(per_info));
	lctlg(9, events);
	lctlg(10, (uintptr_t)per_target);
	lctlg(11, (uintptr_t)per_target);
	asm volatile("larl %%r1,per_target\n\t"
		     "larl %[basr],0f\n\t"
		     "stosm %[sm],0x40\n"
		     "0:\tbasr %%r14,%%r1\n\t"
		     "stnsm %[sm],0xbf"
		     : [basr] "=&a"(basr), [sm] "=Q"(sm) : : "r1", "r2", "r14", "memory", "cc");
	lctlg(9, 0);
	install_exception_handler(PGM_PER, old);
	return basr;
}

static void per(void)
{
	uintptr_t basr;

	per_call(CR9_PER_IFETCH);
	report_eq(1, per_events, "an instruction fetch in the PER range is one PER event");
	report_eq_x(PGM_PER, per_info.pgm_code, "its program-interruption code is 0x80 alone");
	report_eq_x(PER_CODE_IFETCH, per_info.per_code & (PER_CODE_IFETCH | PER_CODE_BRANCH),
		    "its PER code says instruction fetching");
	report_eq_x((uintptr_t)per_target, per_info.per_addr,
		    "its PER address is the fetched instruction's");
	basr = per_call(CR9_PER_BRANCH);
	report_eq(1, per_events, "a branch into the PER range is one PER event");
	report_eq_x(PER_CODE_BRANCH, per_info.per_code & (PER_CODE_IFETCH | PER_CODE_BRANCH),
		    "its PER code says successful branching");
	report_eq_x(basr, per_info.per_addr, "its PER address is the branch instruction's");
	per_call(0);
	report_eq(0, per_events, "with no PER event mask on, the same call raises no PER event");
}

static const struct subtest tests[] = {
	SUBTEST(operation),
	SUBTEST(privileged),
	SUBTEST(execute),
	SUBTEST(specification),
	SUBTEST(fixed_point),
	SUBTEST(fixed_overflow),
	SUBTEST(data),
	SUBTEST(translation),
	SUBTEST(asce_type),
	SUBTEST(translation_spec),
	SUBTEST(low_address),
	SUBTEST(key),
	SUBTEST(addressing),
	SUBTEST(per),
};

SUBTESTS_MAIN(tests)
