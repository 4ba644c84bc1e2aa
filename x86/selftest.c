// SPDX-License-Identifier: MIT
/*
 * The runtime tests itself: boot, arguments and environment, every CPU
 * online and running code, per-CPU state, the expected-exception primitive,
 * installed handlers, CPL3 entry, the page-table API and the allocators.
 * args, smp, smp_async, usermode and allocator are common/selftest.c; the
 * APIC IDs smp() records and usermode()'s CPL3 checks come from the hooks
 * here.
 *
 * Specs: SDM vol. 3 ch. 6 (exception vectors and error codes, table 6-1;
 * #PF error code, 4.7), 4.5 (4-level paging), 11.12 (x2APIC mode).
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

uint64_t selftest_cpu_hwid(void)
{
	return apic_id();
}

void selftest_check_hwids(const uint64_t *hwid, int n)
{
	report(selftest_distinct(hwid, n), "the %d CPUs have distinct APIC IDs", n);
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

static int handled;

static void count_ud(struct ex_regs *r)
{
	handled++;
	r->rip += 2;	/* skip UD2 */
}

static void handlers(void)
{
	handler_t old = install_exception_handler(UD_VECTOR, count_ud);

	report(old == NULL, "no #UD handler installed by default");
	asm volatile("ud2");
	asm volatile("ud2");
	report_eq(2, handled, "installed #UD handler ran once per UD2");
	report(install_exception_handler(UD_VECTOR, old) == count_ud,
	       "install_exception_handler returns the previous handler");
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

static void paging(void)
{
	volatile uint64_t *page = alloc_zeroed_page();
	volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
	struct pt_walk w;
	DECLARE_EXINFO(ex);

	report(pt_walk(ALIAS, &w) < 0, "walk of an unmapped address reports not present");
	report_eq(0, pt_map(ALIAS, (uintptr_t)page, 4096, PT_RW), "pt_map of a 4 KiB alias");
	report(!pt_walk(ALIAS, &w) && w.level == 1 && w.phys == (uintptr_t)page,
	       "walk finds the alias as a 4 KiB leaf to the page");
	*page = 0x1234;
	report_eq_x(0x1234, *alias, "a write through the identity map reads through the alias");
	pt_protect(ALIAS, 4096, PT_R);
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
	report_eq(0, pt_map(ALIAS, 0x200000, 0x200000, PT_RW), "pt_map of a 2 MiB page");
	report(!pt_walk(ALIAS + 0x1000, &w) && w.level == 2 && w.phys == 0x201000,
	       "walk inside the 2 MiB page finds a level-2 leaf");
	pt_unmap(ALIAS, 0x200000);
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
	SUBTEST(allocator),
	SUBTEST_NEEDS(x2apic, need_x2apic),
};

SUBTESTS_MAIN(tests)
