// SPDX-License-Identifier: MIT
/*
 * The trap dispatcher behind entry.S: run_in_user()'s way home,
 * expected-exception fixups from the exception table, installed exception
 * and interrupt handlers, lib's wake-up kick (a supervisor software
 * interrupt), then the unexpected-trap report (registers and backtrace)
 * that fails the test. Also the decoding of scause for messages
 * (privileged architecture v1.12, table 4.2).
 */
#include "arch.h"
#include "asm/exception.h"
#include "asm/processor.h"
#include "report.h"
#include "riscv64.h"
#include "setup.h"

static handler_t exc_handlers[CAUSE_MAX + 1];
static handler_t irq_handlers[IRQ_LCOF + 1];
static uint64_t fixup_stval[MAX_CPUS];
/* Set by the CPU that kicks, taken by the kicked CPU's SSI (arch_cpu_kick()). */
static int kick_pending[MAX_CPUS];

static const char *const cause_names[CAUSE_MAX + 1] = {
	[CAUSE_MISALIGNED_FETCH] = "instruction address misaligned",
	[CAUSE_FETCH_ACCESS] = "instruction access fault",
	[CAUSE_ILLEGAL_INSN] = "illegal instruction",
	[CAUSE_BREAKPOINT] = "breakpoint",
	[CAUSE_MISALIGNED_LOAD] = "load address misaligned",
	[CAUSE_LOAD_ACCESS] = "load access fault",
	[CAUSE_MISALIGNED_STORE] = "store/AMO address misaligned",
	[CAUSE_STORE_ACCESS] = "store/AMO access fault",
	[CAUSE_USER_ECALL] = "environment call from U-mode",
	[CAUSE_SUPERVISOR_ECALL] = "environment call from S-mode",
	[CAUSE_MACHINE_ECALL] = "environment call from M-mode",
	[CAUSE_FETCH_PAGE_FAULT] = "instruction page fault",
	[CAUSE_LOAD_PAGE_FAULT] = "load page fault",
	[CAUSE_STORE_PAGE_FAULT] = "store/AMO page fault",
	[20] = "instruction guest-page fault",
	[21] = "load guest-page fault",
	[22] = "virtual instruction",
	[23] = "store/AMO guest-page fault",
};

static const char *const irq_names[IRQ_LCOF + 1] = {
	[IRQ_S_SOFT] = "supervisor software",
	[IRQ_S_TIMER] = "supervisor timer",
	[IRQ_S_EXT] = "supervisor external",
	[IRQ_LCOF] = "counter overflow",
};

char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len)
{
	unsigned int cause = EXINFO_VEC(ex);

	if (!(ex & EXINFO_VALID))
		snprintf(buf, len, "no exception");
	else
		snprintf(buf, len, "scause=%u (%s)", cause,
			 cause <= CAUSE_MAX && cause_names[cause] ? cause_names[cause] :
			 "reserved");
	return buf;
}

handler_t install_exception_handler(unsigned int cause, handler_t fn)
{
	if (cause > CAUSE_MAX)
		report_abort("install_exception_handler: cause %u out of range", cause);
	return __atomic_exchange_n(&exc_handlers[cause], fn, __ATOMIC_SEQ_CST);
}

handler_t install_irq_handler(unsigned int irq, handler_t fn)
{
	if (irq > IRQ_LCOF || !irq_names[irq])
		report_abort("install_irq_handler: no supervisor interrupt %u", irq);
	return __atomic_exchange_n(&irq_handlers[irq], fn, __ATOMIC_SEQ_CST);
}

uint64_t exinfo_stval(void)
{
	return fixup_stval[smp_id()];
}

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1", "a2", "a3",
	"a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11",
	"t3", "t4", "t5", "t6",
};

void arch_dump_regs(const struct ex_regs *r)
{
	for (int i = 0; i < 32; i += 4)
		printf("%-4s=%016lx %-4s=%016lx %-4s=%016lx %-4s=%016lx\n", reg_names[i],
		       i ? r->regs[i] : 0UL, reg_names[i + 1], r->regs[i + 1], reg_names[i + 2],
		       r->regs[i + 2], reg_names[i + 3], r->regs[i + 3]);
	printf("sepc=%016lx sstatus=%016lx scause=%016lx stval=%016lx\n", r->epc, r->status,
	       r->cause, r->tval);
}

/* s0 points just above {caller's s0, ra} (gcc's riscv frame layout). */
uintptr_t arch_frame_caller(uintptr_t fp, uintptr_t *ret)
{
	const uintptr_t *frame = (const uintptr_t *)fp - 2;

	*ret = frame[1];
	return frame[0];
}

/*
 * Where the interrupted code's backtrace starts. gcc's riscv frames keep
 * {caller's s0, ra} just below s0, but a leaf function saves only the
 * caller's s0, at s0 - 8, and leaves ra in its register: that slot then
 * holds a stack address above s0, not an address in the image's text, and
 * the trap frame's record is remade as {that s0, ra}.
 */
static uintptr_t backtrace_fp(struct ex_regs *r)
{
	uintptr_t fp = r->regs[REG_S0];
	uint64_t slot;

	if (fp < 16 + 4096 || fp >= phys_mem_end || fp & 7)
		return fp;
	slot = ((uint64_t *)fp)[-1];
	if (slot >= (uintptr_t)__image_start && slot < (uintptr_t)__text_end)
		return fp;
	if (slot <= fp || slot >= phys_mem_end)
		return fp;
	r->record[0] = slot;
	r->record[1] = r->regs[REG_RA];
	return (uintptr_t)&r->record[2];
}

void riscv_unexpected(struct ex_regs *r, const char *what)
{
	char detail[80];

	snprintf(detail, sizeof(detail), "from %s-mode, stval %#lx", ex_from_user(r) ? "U" : "S",
		 r->tval);
	unexpected_exception(what, "sepc", r->epc, backtrace_fp(r), r, detail);
}

/* The image's address of @pc, which U-mode runs at its alias (user.c). */
static uintptr_t image_pc(const struct ex_regs *r)
{
	uintptr_t pc = r->epc;

	if (ex_from_user(r) && pc - USER_ALIAS_OFFSET >= (uintptr_t)__image_start &&
	    pc - USER_ALIAS_OFFSET < (uintptr_t)__text_end)
		pc -= USER_ALIAS_OFFSET;
	return pc;
}

static bool fixup(struct ex_regs *r)
{
	uintptr_t pc = image_pc(r), to = extable_find(pc);

	if (!to)
		return false;
	r->regs[REG_S11] = EXINFO(r->cause, 0);
	fixup_stval[smp_id()] = r->tval;
	r->epc = to + (r->epc - pc);
	return true;
}

/*
 * run_in_user()'s way home: the ECALL at the alias of riscv_user_ecall
 * resumes riscv_user_return in S-mode with the S-mode stack it had before
 * the sret (entry.S explains the stack), a0 = fn's result.
 */
static bool user_return(struct ex_regs *r)
{
	if (r->cause != CAUSE_USER_ECALL || !ex_from_user(r) ||
	    r->epc != (uintptr_t)riscv_user_ecall + USER_ALIAS_OFFSET)
		return false;
	r->epc = (uintptr_t)riscv_user_return;
	r->status |= SSTATUS_SPP;
	r->regs[REG_SP] = (uintptr_t)r + sizeof(*r);
	return true;
}

static void exception(struct ex_regs *r)
{
	char what[64];
	size_t n;
	handler_t h;

	if (user_return(r) || fixup(r))
		return;
	if (r->cause == CAUSE_BREAKPOINT && r->epc == (uintptr_t)arch_abort_trap)
		abort_dump(r, r->regs[REG_RA], r->regs[REG_S0]);
	h = r->cause <= CAUSE_MAX ? __atomic_load_n(&exc_handlers[r->cause], __ATOMIC_ACQUIRE) :
				    NULL;
	if (h) {
		h(r);
		return;
	}
	n = snprintf(what, sizeof(what), "exception ");
	arch_exinfo_str(EXINFO(r->cause, 0), what + n, sizeof(what) - n);
	riscv_unexpected(r, what);
}

void riscv_kick_pending(int cpu)
{
	__atomic_store_n(&kick_pending[cpu], 1, __ATOMIC_SEQ_CST);
}

static void interrupt(struct ex_regs *r)
{
	unsigned int irq = r->cause & ~CAUSE_INTERRUPT;
	handler_t h = NULL;
	char what[64];

	if (irq <= IRQ_LCOF)
		h = __atomic_load_n(&irq_handlers[irq], __ATOMIC_ACQUIRE);
	if (irq == IRQ_S_SOFT) {
		int cpu = smp_id();

		/* Cleared first: an IPI sent after the exchange below raises it again. */
		csr_clear(CSR_SIP, SIE_SSIE);
		if (__atomic_exchange_n(&kick_pending[cpu], 0, __ATOMIC_SEQ_CST)) {
			smp_kick_received(cpu);
			return;
		}
	}
	if (h) {
		h(r);
		return;
	}
	snprintf(what, sizeof(what), "interrupt scause=%#lx (%s)", r->cause,
		 irq <= IRQ_LCOF && irq_names[irq] ? irq_names[irq] : "reserved");
	riscv_unexpected(r, what);
}

void riscv_trap(struct ex_regs *r)
{
	if (r->cause & CAUSE_INTERRUPT)
		interrupt(r);
	else
		exception(r);
}
