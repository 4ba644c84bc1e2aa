// SPDX-License-Identifier: MIT
/*
 * The runtime tests itself against the VMM: boot, arguments and environment,
 * every CPU online and the one its MADT entry names, exceptions and their
 * error codes, installed handlers, CPL3 entry, translation through page
 * tables lib builds, x2APIC mode. args, smp, smp_async, handlers and usermode are
 * common/selftest.c; the initial APIC ID smp() prints and usermode()'s CPL3
 * checks come from the hooks here. lib's own bookkeeping (handler table,
 * pt_walk()) is not checked here: nothing of the VMM shows in it.
 *
 * Specs: SDM vol. 3 ch. 6 (exception vectors and error codes, table 6-1;
 * #PF error code, 4.7), 4.5 (4-level paging, 2 MiB pages with PS=1), 11.12
 * (x2APIC mode); vol. 2A CPUID.01H:EBX[31:24] (initial APIC ID).
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "alloc.h"
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "report.h"
#include "subtest.h"
#include "user.h"
#include "vm.h"
#include "../common/selftest.h"

#define PF_P	0x1
#define PF_W	0x2
#define PF_I	0x10

/* What smp_id() looks up in the MADT's APIC IDs. */
uint64_t selftest_cpu_hwid(void)
{
	return cpuid(1).b >> 24;
}

static void exceptions(void)
{
	volatile int zero = 0;
	DECLARE_EXINFO(ex);
	uint64_t v = 0;

	asm volatile(ASM_TRY("divl %1") : "+r"(ex) : "r"(zero), "a"(1), "d"(0));
	report_exc(EXINFO(DE_VECTOR, 0), ex, "DIV by zero raises #DE");
	report_exc(EXINFO(UD_VECTOR, 0), asm_safe("ud2"), "UD2 raises #UD");
	ex = 0;
	v = 1ULL << 63;
	asm volatile(ASM_TRY("movq (%1), %1") : "+r"(ex), "+r"(v) : : "memory");
	report_exc(EXINFO(GP_VECTOR, 0), ex, "read of a non-canonical address raises #GP(0)");
	report_exc(0, rdmsr_safe(MSR_EFER, &v), "RDMSR of EFER raises nothing");
	ex = 0;
	v = 0;
	asm volatile(ASM_TRY("movq (%1), %1") : "+r"(ex), "+r"(v) : : "memory");
	report_exc(EXINFO(PF_VECTOR, 0), ex, "read of unmapped page 0 raises #PF(0)");
	report_eq_x(0, read_cr2(), "CR2 holds the faulting address 0");
}

/* A trap: the fixup is found from the address after INT3. */
static void breakpoint(void)
{
	report_exc(EXINFO(BP_VECTOR, 0), asm_safe("int3"), "INT3 traps with #BP");
}

/* handlers() (common/selftest.c): UD2 raises #UD and is 2 bytes long. */
const char *const selftest_trap_names[2] = { "#UD", "UD2" };

void selftest_trap(void)
{
	asm volatile("ud2");
}

selftest_handler_t selftest_trap_handler(selftest_handler_t fn)
{
	return install_exception_handler(UD_VECTOR, fn);
}

void selftest_trap_skip(struct ex_regs *r)
{
	r->rip += 2;
}

static uint64_t user_cpl(uint64_t arg)
{
	uint16_t cs;

	asm volatile("mov %%cs, %0" : "=r"(cs));
	return cs & 3;
}

static uint64_t user_privileged(uint64_t arg)
{
	return asm_safe("cli; hlt");
}

void selftest_check_user(void)
{
	report_eq(3, run_in_user(user_cpl, 0), "run_in_user runs fn at CPL3");
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_privileged, 0),
		   "CLI at CPL3 with IOPL 0 raises #GP(0), fixed up from CPL3");
}

#define ALIAS	0x40000000000UL		/* 4 TiB: nothing is mapped there */

static exinfo_t fetch_ex;

/* A fetch fault reports the target as RIP: return to the CALL's caller. */
static void fetch_fault(struct ex_regs *r)
{
	fetch_ex = EXINFO(r->vector, r->error_code);
	if (r->rip == ALIAS && read_cr2() == ALIAS) {
		r->rip = *(uint64_t *)r->rsp;
		r->rsp += 8;
	}
}

/* Every access goes through lib's tables: what they say is the VMM's to translate. */
static void paging(void)
{
	volatile uint64_t *page = alloc_zeroed_page();
	volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
	DECLARE_EXINFO(ex);

	selftest_alias_page(ALIAS, page);
	asm volatile(ASM_TRY("movq $1, (%1)") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(PF_VECTOR, PF_P | PF_W), ex, "write to a read-only page raises #PF(P|W)");
	if (this_cpu_has(X86_FEATURE_NX)) {
		handler_t old = install_exception_handler(PF_VECTOR, fetch_fault);

		*page = 0xc3;	/* RET, never reached */
		fetch_ex = 0;
		asm volatile("call *%0" : : "r"(alias) : "memory");
		install_exception_handler(PF_VECTOR, old);
		report_exc(EXINFO(PF_VECTOR, PF_P | PF_I), fetch_ex,
			   "fetch from a non-executable page raises #PF(P|I)");
	} else {
		report_skip("NX not supported: no execute-disable check");
	}
	pt_unmap(ALIAS, 4096);
	ex = 0;
	asm volatile(ASM_TRY("movq (%1), %1") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(PF_VECTOR, 0), ex, "read after pt_unmap raises #PF(0)");
	selftest_large_leaf(ALIAS, page, 0x200000, 2, "a 2 MiB page (PS=1)");
	free_page((void *)page);
}

static const char *need_x2apic(void)
{
	return this_cpu_has(X86_FEATURE_X2APIC) ? NULL : "x2APIC not supported";
}

static void x2apic(void)
{
	uint32_t xid = apic_id();

	report(apic_enable_x2apic() && apic_is_x2apic(), "switch to x2APIC mode");
	report_eq(xid, apic_id(), "x2APIC ID equals the xAPIC ID");
	report_exc(EXINFO(GP_VECTOR, 0), wrmsr_safe(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) &
						    ~APIC_BASE_EXTD),
		   "leaving x2APIC straight for xAPIC raises #GP(0)");
	apic_reset_to_xapic();
	report(!apic_is_x2apic(), "back in xAPIC mode through disabled");
}

static const struct subtest tests[] = {
	SUBTEST(args),
	SUBTEST(smp),
	SUBTEST_SMP(smp_async, NULL, 2),
	SUBTEST(exceptions),
	SUBTEST(breakpoint),
	SUBTEST(handlers),
	SUBTEST(usermode),
	SUBTEST(paging),
	SUBTEST_NEEDS(x2apic, need_x2apic),
};

SUBTESTS_MAIN(tests)
