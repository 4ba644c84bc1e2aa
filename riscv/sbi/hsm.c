// SPDX-License-Identifier: MIT
/*
 * HSM (SBI v2.0 chapter 9): hart_get_status of every hart and of harts the
 * platform lacks; hart_start of a started hart (ALREADY_AVAILABLE), of a
 * hart the platform lacks (INVALID_PARAM), at an address S-mode may not
 * execute (the firmware's own memory, which /reserved-memory lists and
 * PMP guards: INVALID_ADDRESS), and of a stopped hart, which must enter in S-mode with
 * satp 0, sstatus.SIE 0, a0 = its hart ID, a1 = the opaque value (9.1,
 * table 8); hart_stop, which does not return (9.2); the states a hart
 * passes through (table 6, "where observable": STOP_PENDING and
 * START_PENDING may be too brief to see); hart_suspend, retentive (returns
 * SUCCESS when an IPI wakes it) and non-retentive (resumes at resume_addr
 * with the start's entry state and a1 = opaque), reserved suspend types
 * (INVALID_PARAM) and a bad resume address (9.4, tables 10 and 11).
 * Waits are bounded at 1 s: a state change the firmware makes at once.
 */
#include "alloc.h"
#include "asm/exception.h"
#include "asm/csr.h"
#include "asm/processor.h"
#include "cpu.h"
#include "devicetree.h"
#include "report.h"
#include "smp.h"
#include "timer.h"
#include "vm.h"
#include "sbi-test.h"

#define OPAQUE		0x0123456789abcdefUL
#define NOT_RETURNED	1	/* no SBI error code: the call has not returned */

/* What riscv_hsm_entry found, then the CPU number it enters lib's entry with. */
struct entry_record {
	unsigned long a0, a1, satp, sstatus, done, cpu;
};

struct entry_record hsm_record;
extern char riscv_hsm_entry[];

/*
 * A hart_start target: records the entry state (satp 0, so the record's
 * address is physical, which is the identity map's too), then continues at
 * lib's secondary entry with a0 = the hart ID and a1 = the CPU number.
 */
asm(".pushsection .text\n"
	"	.balign 4\n"
	"riscv_hsm_entry:\n"
	"	lla	t0, hsm_record\n"
	"	sd	a0, 0(t0)\n"
	"	sd	a1, 8(t0)\n"
	"	csrr	t1, satp\n"
	"	sd	t1, 16(t0)\n"
	"	csrr	t1, sstatus\n"
	"	sd	t1, 24(t0)\n"
	"	fence	w, w\n"
	"	li	t1, 1\n"
	"	sd	t1, 32(t0)\n"
	"	ld	a1, 40(t0)\n"
	"	j	riscv_secondary_entry\n"
	".popsection");

const char *need_hsm(void)
{
	return need_ext(SBI_EXT_HSM, "no SBI HSM extension");
}

/* 128 GiB + 4 MiB: inside Sv39, where lib maps nothing. */
#define FETCH_ALIAS	0x2000400000UL

static exinfo_t fetch_ex;

/* The call to FETCH_ALIAS faults on its target: back to the caller. */
static void fetch_fault(struct ex_regs *r)
{
	fetch_ex = EXINFO(r->cause, 0);
	if (r->epc == FETCH_ALIAS)
		r->epc = r->regs[REG_RA];
}

/*
 * An address S-mode may not execute, as a fetch from it finds: the first
 * /reserved-memory range (the firmware's own) whose fetch, through a
 * mapping that allows it, raises an instruction access fault (privileged
 * architecture 3.7, PMP). 0 when there is none.
 */
static uint64_t firmware_addr(void)
{
	int resv = dt_path("/reserved-memory");
	uint64_t addr, size, found = 0;
	handler_t old = install_exception_handler(CAUSE_FETCH_ACCESS, fetch_fault);

	for (int c = resv < 0 ? -1 : dt_first_child(resv); c >= 0 && !found;
	     c = dt_next_sibling(c)) {
		if (dt_reg(c, 0, &addr, &size) || !size || addr & (PAGE_SIZE - 1))
			continue;
		if (pt_map(FETCH_ALIAS, addr, PAGE_SIZE, PT_R | PT_X))
			report_abort("cannot map %#lx", FETCH_ALIAS);
		fetch_ex = 0;
		((void (*)(void))FETCH_ALIAS)();
		if (fetch_ex == EXINFO(CAUSE_FETCH_ACCESS, 0))
			found = addr;
		pt_unmap(FETCH_ALIAS, PAGE_SIZE);
	}
	install_exception_handler(CAUSE_FETCH_ACCESS, old);
	return found;
}

static long status(int cpu)
{
	struct sbiret r = sbi_hart_get_status(cpu_hartid(cpu));

	return r.error ? r.error : r.value;
}

/*
 * Poll @cpu's state until it is @want, for up to 1 s; add every state seen
 * to the bitmap *@seen. Return whether @want was reached.
 */
static bool wait_state(int cpu, long want, unsigned long *seen)
{
	uint64_t end = read_time() + timer_freq();
	long s;

	do {
		s = status(cpu);
		if (s >= 0 && s < BITS_PER_LONG)
			*seen |= 1UL << s;
	} while (s != want && read_time() < end);
	return s == want;
}

void hsm_status(void)
{
	int n = cpu_count();
	bool started = true;
	unsigned long self = cpu_hartid(smp_id());

	for (int cpu = 0; cpu < n; cpu++)
		started &= status(cpu) == SBI_HSM_STARTED;
	report(started, "hart_get_status of every hart lib started is STARTED");
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_hart_get_status(invalid_hartid()).error,
		       "hart_get_status of a hart the platform lacks is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, sbi_hart_get_status(-1UL).error,
		       "hart_get_status of hart 2^64-1 is INVALID_PARAM");
	sbi_report_err(SBI_ERR_ALREADY_AVAILABLE,
		       sbi_hart_start(self, (uintptr_t)riscv_hsm_entry, 0).error,
		       "hart_start of the calling hart is ALREADY_AVAILABLE");
	if (n > 1)
		sbi_report_err(SBI_ERR_ALREADY_AVAILABLE,
			       sbi_hart_start(cpu_hartid(n - 1), (uintptr_t)riscv_hsm_entry,
					      0).error,
			       "hart_start of another started hart is ALREADY_AVAILABLE");
	sbi_report_err(SBI_ERR_INVALID_PARAM,
		       sbi_hart_start(invalid_hartid(), (uintptr_t)riscv_hsm_entry, 0).error,
		       "hart_start of a hart the platform lacks is INVALID_PARAM");
}

static void power_off(void *ret)
{
	*(volatile long *)ret = cpu_power_off();
}

/* Stop the last CPU through lib: hart_stop does not return, the hart ends STOPPED. */
static bool stop_last(int last)
{
	volatile long ret = NOT_RETURNED;
	unsigned long seen = 0;
	bool stopped;

	on_cpu_async(last, power_off, (void *)&ret);
	on_cpu_wait(last);
	stopped = wait_state(last, SBI_HSM_STOPPED, &seen);
	report(stopped, "hart_stop takes CPU %d to STOPPED", last);
	report_eq(NOT_RETURNED, ret, "hart_stop does not return");
	report(!(seen & ~(1UL << SBI_HSM_STARTED | 1UL << SBI_HSM_STOP_PENDING |
			 1UL << SBI_HSM_STOPPED)),
	       "a stopping hart is STARTED, STOP_PENDING or STOPPED (seen %#lx)", seen);
	return stopped;
}

static void start_checks(int last)
{
	uint64_t fw = firmware_addr();
	unsigned long hart = cpu_hartid(last);

	if (fw)
		sbi_report_err(SBI_ERR_INVALID_ADDRESS, sbi_hart_start(hart, fw, 0).error,
			       "hart_start at the firmware's memory is INVALID_ADDRESS");
	else
		report_skip("no /reserved-memory range S-mode cannot fetch from");
	sbi_report_err(SBI_ERR_INVALID_PARAM,
		       sbi_hart_start(invalid_hartid(), (uintptr_t)riscv_hsm_entry, 0).error,
		       "hart_start of a stopped system's missing hart is INVALID_PARAM");
}

void hsm_start_stop(void)
{
	int last = cpu_count() - 1;
	unsigned long hart = cpu_hartid(last), seen = 0;
	struct sbiret r;

	if (!stop_last(last))
		report_abort("CPU %d did not stop: nothing left to start", last);
	start_checks(last);
	memset(&hsm_record, 0, sizeof(hsm_record));
	hsm_record.cpu = last;
	fence_rw();
	r = sbi_hart_start(hart, (uintptr_t)riscv_hsm_entry, OPAQUE);
	sbi_report_err(SBI_SUCCESS, r.error, "hart_start of stopped CPU %d succeeds", last);
	wait_state(last, SBI_HSM_STARTED, &seen);
	report(!(seen & ~(1UL << SBI_HSM_START_PENDING | 1UL << SBI_HSM_STARTED)),
	       "a starting hart is START_PENDING or STARTED (seen %#lx)", seen);
	for (int t = 0; t < 1000000 && !smp_cpu_is_online(last); t++)
		udelay(1);
	if (!__atomic_load_n(&hsm_record.done, __ATOMIC_SEQ_CST) || !smp_cpu_is_online(last))
		report_abort("CPU %d did not come back through hart_start", last);
	report_eq_x(hart, hsm_record.a0, "a started hart finds its hart ID in a0");
	report_eq_x(OPAQUE, hsm_record.a1, "a started hart finds the opaque value in a1");
	report_eq_x(0, hsm_record.satp, "a started hart finds satp 0");
	report_eq_x(0, hsm_record.sstatus & SSTATUS_SIE, "a started hart finds sstatus.SIE 0");
	sbi_report_err(SBI_ERR_ALREADY_AVAILABLE,
		       sbi_hart_start(hart, (uintptr_t)riscv_hsm_entry, 0).error,
		       "hart_start of the restarted hart is ALREADY_AVAILABLE");
}

struct suspend_job {
	unsigned long type;
	long ret;
	struct resume_state resumed;
};

static void suspend_self(void *data)
{
	struct suspend_job *job = data;

	job->ret = cpu_suspend(job->type, OPAQUE, &job->resumed);
	csr_clear(CSR_SIP, SIE_SSIE);
}

/* Suspend the last CPU with @type, see it SUSPENDED, wake it with an IPI. */
static void suspend_last(int last, unsigned long type, const char *name)
{
	struct suspend_job job = { .type = type, .ret = NOT_RETURNED };
	unsigned long seen = 0;
	bool suspended;

	job.resumed.opaque = ~OPAQUE;
	on_cpu_async(last, suspend_self, &job);
	suspended = wait_state(last, SBI_HSM_SUSPENDED, &seen);
	report(suspended, "a %s suspend makes the hart SUSPENDED", name);
	sbi_send_ipi(1, cpu_hartid(last));
	if (!wait_state(last, SBI_HSM_STARTED, &seen))
		report_abort("CPU %d stays in its %s suspend after an IPI", last, name);
	on_cpu_wait(last);
	sbi_report_err(SBI_SUCCESS, job.ret, "a %s suspend woken by an IPI succeeds", name);
	if (type & SBI_HSM_SUSPEND_NON_RETENTIVE) {
		report_eq_x(OPAQUE, job.resumed.opaque, "a non-retentive resume has a1 = opaque");
		report_eq_x(0, job.resumed.satp, "a non-retentive resume has satp 0");
		report_eq_x(0, job.resumed.sstatus & SSTATUS_SIE,
			    "a non-retentive resume has sstatus.SIE 0");
	}
}

/* Reserved types are refused before any suspend; a wrong one is ended by the timer. */
static void suspend_invalid(void)
{
	struct resume_state unused;
	uint64_t fw = firmware_addr();

	csr_set(CSR_SIE, SIE_STIE);
	sbi_set_timer(read_time() + timer_freq() / 10);
	sbi_report_err(SBI_ERR_INVALID_PARAM, cpu_suspend(1, 0, &unused),
		       "hart_suspend of reserved type 1 is INVALID_PARAM");
	sbi_report_err(SBI_ERR_INVALID_PARAM, cpu_suspend(0x80000001, 0, &unused),
		       "hart_suspend of reserved type 0x80000001 is INVALID_PARAM");
	if (fw)
		sbi_report_err(SBI_ERR_INVALID_ADDRESS,
			       sbi_hart_suspend(SBI_HSM_SUSPEND_NON_RETENTIVE, fw, 0).error,
			       "a non-retentive hart_suspend resuming at the firmware's memory "
			       "is INVALID_ADDRESS");
	sbi_set_timer(-1UL);
	csr_clear(CSR_SIE, SIE_STIE);
}

void hsm_suspend(void)
{
	int last = cpu_count() - 1;

	suspend_last(last, SBI_HSM_SUSPEND_RETENTIVE, "retentive");
	suspend_last(last, SBI_HSM_SUSPEND_NON_RETENTIVE, "non-retentive");
	suspend_invalid();
}
