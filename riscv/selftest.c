// SPDX-License-Identifier: MIT
/*
 * The riscv64 runtime tests itself against the VMM and its SBI firmware:
 * boot, arguments and environment from /chosen, every hart online and the
 * one its /cpus reg names, exceptions and their stval, installed handlers,
 * U-mode entry, IPIs, HSM hart_stop/hart_start through lib, and translation
 * through page tables lib builds. args, smp, smp_async, handlers and usermode are
 * common/selftest.c; the hart ID smp() prints and usermode()'s U-mode
 * checks come from the hooks here.
 *
 * Specs: RISC-V privileged architecture v1.12: 3.3.1 (ECALL, EBREAK), 4.1.9
 * (scause, table 4.2), 4.1.10 (stval: the faulting address of a page
 * fault; zero or the instruction bits of an illegal instruction; zero or
 * the address of an EBREAK), 4.3.1 (U bit: U-mode reaches only U pages,
 * S-mode never executes them), 4.4 (Sv39 PTEs, megapages), 2.1 (CSR
 * privilege: an S-mode access to an M-mode CSR is illegal). SBI v2.0: 7
 * (IPI send_ipi), 9 (HSM hart_start: a0 = hart ID, a1 = opaque;
 * hart_stop; hart_get_status).
 * Arguments: the cfg passes "smp=<n>" (checked against the CPUs found) and
 * "quoted=two words" (checks that quoting survives the command line).
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "sbi.h"
#include "smp.h"
#include "subtest.h"
#include "timer.h"
#include "user.h"
#include "vm.h"
#include "../common/selftest.h"

uint64_t selftest_cpu_hwid(void)
{
	return cpu_entry_hartid();
}

/* UNIMP: CSRRW x0, cycle, x0, a write to a read-only CSR (unprivileged ISA, "unimp"). */
#define UNIMP		0xc0001073

static void exceptions(void)
{
	uint64_t v = 0, tval;
	DECLARE_EXINFO(ex);

	report_exc(EXINFO(CAUSE_ILLEGAL_INSN, 0), asm_safe(".word 0xc0001073"),
		   "a write to the read-only cycle CSR is an illegal instruction");
	tval = exinfo_stval();
	report(tval == 0 || tval == UNIMP, "stval of the illegal instruction is 0 or its bits "
	       "(%#lx)", (unsigned long)tval);
	report_exc(EXINFO(CAUSE_ILLEGAL_INSN, 0), csr_read_safe(CSR_MSTATUS, &v),
		   "S-mode read of the M-mode CSR mstatus is an illegal instruction");
	report_exc(EXINFO(CAUSE_BREAKPOINT, 0), asm_safe("ebreak"), "EBREAK raises a breakpoint");
	report_exc(0, csr_read_safe(CSR_SSTATUS, &v), "S-mode read of sstatus raises nothing");

	v = 0;
	asm volatile(ASM_TRY("ld %1, 0(%1)") : "+r"(ex), "+r"(v) : : "memory");
	report_exc(EXINFO(CAUSE_LOAD_PAGE_FAULT, 0), ex,
		   "read of unmapped page 0 is a load page fault");
	report_eq_x(0, exinfo_stval(), "stval holds the faulting address 0");
	ex = 0;
	v = 8;
	asm volatile(ASM_TRY("sd zero, 0(%1)") : "+r"(ex) : "r"(v) : "memory");
	report_exc(EXINFO(CAUSE_STORE_PAGE_FAULT, 0), ex,
		   "write to unmapped page 0 is a store/AMO page fault");
	report_eq_x(8, exinfo_stval(), "stval holds the faulting address 8");
}

/*
 * handlers() (common/selftest.c): EBREAK leaves sepc at itself (3.3.1), 4
 * bytes (the image has no C extension: no C.EBREAK).
 */
const char *const selftest_trap_names[2] = { "breakpoint", "EBREAK" };

void selftest_trap(void)
{
	asm volatile("ebreak");
}

selftest_handler_t selftest_trap_handler(selftest_handler_t fn)
{
	return install_exception_handler(CAUSE_BREAKPOINT, fn);
}

void selftest_trap_skip(struct ex_regs *r)
{
	r->epc += 4;
}

/* Data of the image, which S-mode maps for itself only. */
static int smode_data;

static uint64_t user_csr(uint64_t arg)
{
	unsigned long v;

	return csr_read_safe(CSR_SSTATUS, &v);
}

static uint64_t user_ecall(uint64_t arg)
{
	return asm_safe("ecall");
}

/* @arg: an address of the image as S-mode sees it, mapped for S-mode only. */
static uint64_t user_read_smode(uint64_t arg)
{
	DECLARE_EXINFO(ex);
	uint64_t v = arg;

	asm volatile(ASM_TRY("ld %1, 0(%1)") : "+r"(ex), "+r"(v) : : "memory");
	return ex;
}

void selftest_check_user(void)
{
	report_exc(EXINFO(CAUSE_ILLEGAL_INSN, 0), run_in_user(user_csr, 0),
		   "U-mode read of sstatus is an illegal instruction, fixed up from U-mode");
	report_exc(EXINFO(CAUSE_USER_ECALL, 0), run_in_user(user_ecall, 0),
		   "ECALL in U-mode raises an environment call from U-mode");
	report_exc(EXINFO(CAUSE_LOAD_PAGE_FAULT, 0),
		   run_in_user(user_read_smode, (uintptr_t)&smode_data),
		   "U-mode read of a page without the U bit is a load page fault");
	report_eq_x((uintptr_t)&smode_data, exinfo_stval(),
		    "stval of the U-mode page fault is the address read");
}

static int ipi_count[MAX_CPUS];

static void ipi_handler(struct ex_regs *r)
{
	__atomic_fetch_add(&ipi_count[smp_id()], 1, __ATOMIC_SEQ_CST);
}

static void self_ipi(void *data)
{
	int cpu = smp_id();

	sbi_send_ipi(1, cpu_hartid(cpu));
	if (!selftest_wait_count(&ipi_count[cpu], 1))
		report_fail("CPU %d took its own IPI (count %d)", cpu, ipi_count[cpu]);
}

static void ipi(void)
{
	int n = cpu_count(), last = n - 1;
	bool all = true;

	install_irq_handler(IRQ_S_SOFT, ipi_handler);
	on_cpus(self_ipi, NULL);
	for (int i = 0; i < n; i++)
		all &= ipi_count[i] == 1;
	report(all, "each CPU took one supervisor software interrupt sent to itself");
	if (n > 1) {
		/* The last CPU idles in WFI, interrupts enabled by lib's idle loop. */
		sbi_send_ipi(1, cpu_hartid(last));
		report(selftest_wait_count(&ipi_count[last], 2),
		       "an IPI sent to CPU %d arrives there", last);
	}
	install_irq_handler(IRQ_S_SOFT, NULL);
}

static void power_off(void *data)
{
	*(long *)data = cpu_power_off();
}

static const char *need_hsm(void)
{
	return sbi_probe(SBI_EXT_HSM) ? NULL : "no SBI HSM extension";
}

static void cpu_off_on(void)
{
	int last = cpu_count() - 1;
	long ret = SBI_SUCCESS;
	struct sbiret st = { 0, -1 };

	on_cpu_async(last, power_off, &ret);
	on_cpu_wait(last);
	for (int ms = 0; ms < 5000 && st.value != SBI_HSM_STOPPED; ms++) {
		st = sbi_hart_get_status(cpu_hartid(last));
		mdelay(1);
	}
	report(ret == SBI_SUCCESS && st.value == SBI_HSM_STOPPED && !smp_cpu_is_online(last),
	       "CPU %d is stopped after cpu_power_off (hart_get_status %ld)", last,
	       st.value);
	report_eq(SBI_SUCCESS, cpu_power_on(last), "cpu_power_on brings CPU %d back", last);
	report_eq(last, selftest_ran_on(last), "CPU %d runs on_cpu work again after hart_start",
		  last);
}

/* 128 GiB, inside Sv39's 256 GiB of positive addresses: nothing is mapped there. */
#define ALIAS	0x2000000000UL

static exinfo_t fetch_ex;

/* A fetch fault reports the target as sepc: return to the caller. */
static void fetch_fault(struct ex_regs *r)
{
	fetch_ex = EXINFO(r->cause, 0);
	if (r->epc == ALIAS && r->tval == ALIAS)
		r->epc = r->regs[REG_RA];
}

/* Every access goes through lib's tables: what they say is the VMM's to translate. */
static void paging(void)
{
	volatile uint64_t *page = alloc_zeroed_page();
	volatile uint64_t *alias = (volatile uint64_t *)ALIAS;
	void (*fn)(void) = (void (*)(void))ALIAS;
	handler_t old;
	DECLARE_EXINFO(ex);

	selftest_alias_page(ALIAS, page);
	asm volatile(ASM_TRY("sd zero, 0(%1)") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(CAUSE_STORE_PAGE_FAULT, 0), ex,
		   "write to a read-only page is a store/AMO page fault");

	*page = 0x00008067;	/* RET, never reached */
	fence_i();
	old = install_exception_handler(CAUSE_FETCH_PAGE_FAULT, fetch_fault);
	fn();
	install_exception_handler(CAUSE_FETCH_PAGE_FAULT, old);
	report_exc(EXINFO(CAUSE_FETCH_PAGE_FAULT, 0), fetch_ex,
		   "fetch from a non-executable page is an instruction page fault");

	pt_unmap(ALIAS, 4096);
	ex = 0;
	asm volatile(ASM_TRY("ld zero, 0(%1)") : "+r"(ex) : "r"(alias) : "memory");
	report_exc(EXINFO(CAUSE_LOAD_PAGE_FAULT, 0), ex,
		   "read after pt_unmap is a load page fault");

	selftest_large_leaf(ALIAS, page, 0x200000, 2, "a 2 MiB megapage");
	free_page((void *)page);
}

static const struct subtest tests[] = {
	SUBTEST(args),
	SUBTEST(smp),
	SUBTEST_SMP(smp_async, NULL, 2),
	SUBTEST(exceptions),
	SUBTEST(handlers),
	SUBTEST(usermode),
	SUBTEST(ipi),
	SUBTEST_SMP(cpu_off_on, need_hsm, 2),
	SUBTEST(paging),
};

SUBTESTS_MAIN(tests)
