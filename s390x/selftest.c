// SPDX-License-Identifier: MIT
/*
 * The s390x runtime tests itself against the VMM: boot, arguments and
 * environment from QEMU's parameter area and initrd, every CPU SCLP lists
 * online and the one its CPU address names, program interruptions with
 * their codes, instruction-length codes and old PSWs through lib's
 * exception table, installed handlers, the problem state, and translation
 * through the region, segment and page tables lib builds. args, smp,
 * smp_async and usermode are common/selftest.c; the CPU address smp()
 * prints and usermode()'s problem-state checks come from the hooks here.
 *
 * Specs: PoP SA22-7832 chapter 6 (program-interruption codes, ILC,
 * suppression vs nullification: an operation exception suppresses, a page-
 * translation exception nullifies), 3.11 (DAT: page, segment and region
 * entries, EDAT-1 segment frames, DAT protection), chapter 10 (STAP, SVC,
 * LPSWE: a doubleword-aligned operand), 4.3 (PSW bit 15, the problem
 * state; privileged instructions there are privileged-operation exceptions).
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "alloc.h"
#include "asm/dat.h"
#include "asm/interrupt.h"
#include "asm/processor.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"
#include "../common/selftest.h"

uint64_t selftest_cpu_hwid(void)
{
	return stap();
}

static uint64_t user_stap(uint64_t arg)
{
	uint16_t a;
	DECLARE_EXINFO(ex);

	asm volatile(ASM_TRY("stap %1") : "+r"(ex), "=Q"(a) : : "memory");
	return ex;
}

static uint64_t user_svc(uint64_t arg)
{
	return asm_safe("svc 7");
}

void selftest_check_user(void)
{
	report_exc(EXINFO(PGM_PRIVILEGED, 2), run_in_user(user_stap, 0),
		   "STAP in the problem state is a privileged-operation exception, ILC 2");
	report_exc(EXINFO(EXINFO_SVC | 7, 1), run_in_user(user_svc, 0),
		   "SVC 7 in the problem state is an SVC interruption with code 7, ILC 1");
}

static void exceptions(void)
{
	uint64_t psw[3] __aligned(8) = { 0 };
	DECLARE_EXINFO(ex);

	report_exc(EXINFO(PGM_OPERATION, 1), asm_safe(".short 0x0000"),
		   "opcode 0x00 is an operation exception, ILC 1");
	report_exc(EXINFO(EXINFO_SVC | 0x42, 1), asm_safe("svc 0x42"),
		   "SVC 0x42 is an SVC interruption with code 0x42, ILC 1");
	asm volatile(ASM_TRY("lpswe %1") : "+r"(ex) : "Q"(*(char *)((uintptr_t)psw + 4))
		     : "memory");
	report_exc(EXINFO(PGM_SPECIFICATION, 2), ex,
		   "LPSWE of a word-aligned operand is a specification exception, ILC 2");
	ex = 0;
	asm volatile(ASM_TRY("lg %%r0,0") : "+r"(ex) : : "r0", "memory");
	report_exc(EXINFO(PGM_PAGE_TRANS, 3), ex,
		   "LG from unmapped page 0 is a page-translation exception, ILC 3");
}

static int op_count;
static uintptr_t op_addr[2];

static void count_op(struct ex_regs *r)
{
	op_addr[op_count++ & 1] = r->psw.addr;
}

/*
 * handlers() (common/selftest.c) traps with opcode 0x00, an operation
 * exception, which suppresses (PoP chapter 6, "Operation Exception"): the
 * old PSW already points past the instruction, so skipping it takes nothing
 * (a VMM that nullified it would loop until the timeout).
 */
const char *const selftest_trap_names[2] = { "operation-exception", "opcode 0x00" };

void selftest_trap(void)
{
	asm volatile(".short 0x0000" : : : "memory");
}

selftest_handler_t selftest_trap_handler(selftest_handler_t fn)
{
	return install_exception_handler(PGM_OPERATION, fn);
}

void selftest_trap_skip(struct ex_regs *r)
{
}

/* The old PSW of each of two operation exceptions points past its instruction. */
static void handlers_psw(void)
{
	handler_t old = install_exception_handler(PGM_OPERATION, count_op);
	uintptr_t first, second;

	asm volatile("larl %0,1f\n\t"
		     "larl %1,2f\n\t"
		     ".short 0x0000\n1:\t"
		     ".short 0x0000\n2:"
		     : "=&a"(first), "=&a"(second) : : "memory");
	report_eq(2, op_count, "installed operation-exception handler ran once per exception");
	report_eq_x(first, op_addr[0], "the first old PSW points past the first instruction");
	report_eq_x(second, op_addr[1], "the second old PSW points past the second instruction");
	if (install_exception_handler(PGM_OPERATION, old) != count_op)
		report_abort("install_exception_handler did not return the handler it replaced");
}

#define ALIAS	0x40000000000UL		/* 4 TiB: nothing is mapped there */

static const char *need_edat(void)
{
	return test_facility(8) ? NULL : "no EDAT-1 (facility 8): no 1 MiB segments";
}

/* Every access goes through lib's tables: what they say is the VMM's to translate. */
static void paging(void)
{
	volatile uint64_t *page = alloc_zeroed_page();
	volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
	DECLARE_EXINFO(ex);

	selftest_alias_page(ALIAS, page);
	asm volatile(ASM_TRY("mvghi 0(%1),1") : "+r"(ex) : "a"(alias) : "memory");
	report_exc(EXINFO(PGM_PROTECTION, 3), ex,
		   "a store to a DAT-protected page is a protection exception, ILC 3");
	report_eq_x(0x1234, *page, "the protected page kept its contents");
	pt_unmap(ALIAS, 4096);
	ex = 0;
	asm volatile(ASM_TRY("lg %%r0,0(%1)") : "+r"(ex) : "a"(alias) : "r0", "memory");
	report_exc(EXINFO(PGM_PAGE_TRANS, 3), ex,
		   "a read after pt_unmap is a page-translation exception");
	report_eq_x(ALIAS, s390x_last_pgm()->teid & TEID_ADDR,
		    "the translation-exception identification names the unmapped page");
	free_page((void *)page);
}

static void segment(void)
{
	volatile uint64_t *page = alloc_zeroed_page();

	selftest_large_leaf(ALIAS, page, 0x100000, 2, "a 1 MiB segment frame");
	free_page((void *)page);
}

static const struct subtest tests[] = {
	SUBTEST(args),
	SUBTEST(smp),
	SUBTEST_SMP(smp_async, NULL, 2),
	SUBTEST(exceptions),
	SUBTEST(handlers),
	SUBTEST(handlers_psw),
	SUBTEST(usermode),
	SUBTEST(paging),
	SUBTEST_NEEDS(segment, need_edat),
};

SUBTESTS_MAIN(tests)
