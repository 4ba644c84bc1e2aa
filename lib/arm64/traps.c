// SPDX-License-Identifier: MIT
/*
 * The exception dispatcher behind entry.S: expected-exception fixups from
 * the exception table, installed handlers, lib's GIC IRQ path, then the
 * unexpected-exception report (registers and backtrace) that fails the
 * test. Also the decoding of ESR_ELx for messages (Arm ARM D17.2.37).
 */
#include "arch.h"
#include "arm64.h"
#include "asm/exception.h"
#include "gic.h"
#include "report.h"
#include "setup.h"

static handler_t sync_handlers[ESR_EC_MAX + 1];
static handler_t vector_handlers[EXC_SERROR + 1];

static const char *const ec_names[ESR_EC_MAX + 1] = {
	[ESR_EC_UNKNOWN] = "unknown/UNDEFINED",
	[ESR_EC_WFX] = "WFI/WFE trap",
	[ESR_EC_FP_ASIMD] = "FP/SIMD access trap",
	[ESR_EC_PAC] = "PAuth trap",
	[ESR_EC_BTI] = "branch target",
	[ESR_EC_ILLEGAL] = "illegal execution state",
	[ESR_EC_SVC64] = "SVC",
	[ESR_EC_HVC64] = "HVC",
	[ESR_EC_SMC64] = "SMC",
	[ESR_EC_SYS64] = "MSR/MRS trap",
	[ESR_EC_SVE] = "SVE trap",
	[ESR_EC_IABT_LOW] = "instruction abort from EL0",
	[ESR_EC_IABT_CUR] = "instruction abort",
	[ESR_EC_PC_ALIGN] = "PC alignment",
	[ESR_EC_DABT_LOW] = "data abort from EL0",
	[ESR_EC_DABT_CUR] = "data abort",
	[ESR_EC_SP_ALIGN] = "SP alignment",
	[ESR_EC_FP_EXC64] = "FP exception",
	[ESR_EC_SERROR] = "SError",
	[ESR_EC_BKPT_LOW] = "breakpoint from EL0",
	[ESR_EC_BKPT_CUR] = "breakpoint",
	[ESR_EC_SSTEP_LOW] = "software step from EL0",
	[ESR_EC_SSTEP_CUR] = "software step",
	[ESR_EC_WPT_LOW] = "watchpoint from EL0",
	[ESR_EC_WPT_CUR] = "watchpoint",
	[ESR_EC_BRK64] = "BRK",
};

static const char *const vector_names[] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char *const source_names[] = { "EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32" };

char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len)
{
	unsigned int ec = EXINFO_VEC(ex);

	if (!(ex & EXINFO_VALID))
		snprintf(buf, len, "no exception");
	else
		snprintf(buf, len, "ESR.EC=%#x (%s) ISS=%#x", ec,
			 ec <= ESR_EC_MAX && ec_names[ec] ? ec_names[ec] : "reserved",
			 EXINFO_EC(ex));
	return buf;
}

handler_t install_exception_handler(unsigned int ec, handler_t fn)
{
	if (ec > ESR_EC_MAX)
		report_abort("install_exception_handler: EC %#x out of range", ec);
	return __atomic_exchange_n(&sync_handlers[ec], fn, __ATOMIC_SEQ_CST);
}

handler_t install_vector_handler(unsigned int type, handler_t fn)
{
	if (type < EXC_IRQ || type > EXC_SERROR)
		report_abort("install_vector_handler: %u is not IRQ, FIQ or SError", type);
	return __atomic_exchange_n(&vector_handlers[type], fn, __ATOMIC_SEQ_CST);
}

void arch_dump_regs(const struct ex_regs *r)
{
	const uint64_t *x = r->regs;

	for (int i = 0; i < 28; i += 4)
		printf("x%-2d=%016lx x%-2d=%016lx x%-2d=%016lx x%-2d=%016lx\n", i, x[i], i + 1,
		       x[i + 1], i + 2, x[i + 2], i + 3, x[i + 3]);
	printf("x28=%016lx x29=%016lx x30=%016lx sp =%016lx\n", x[28], x[29], x[30], r->sp);
	printf("pc =%016lx pstate=%08lx esr=%08lx far=%016lx\n", r->pc, r->pstate, r->esr,
	       r->far);
}

/* x29 points at the frame record {x29, x30} (AAPCS64 6.2.3). */
const uintptr_t *arch_frame_record(uintptr_t fp)
{
	return (const uintptr_t *)fp;
}

void arm64_unexpected(struct ex_regs *r, const char *what)
{
	char detail[80];

	snprintf(detail, sizeof(detail), "%s from %s, FAR %#lx", vector_names[r->vector & 3],
		 source_names[(r->vector >> 2) & 3], r->far);
	unexpected_exception(what, "pc", r->pc, r->regs[29], r, detail);
}

/*
 * SVC, HVC and SMC leave ELR at the next instruction (D1.10.1, "preferred
 * return address"): the block's instruction is the one before.
 */
static bool fixup(struct ex_regs *r)
{
	unsigned int ec = esr_ec(r->esr);
	bool after = ec == ESR_EC_SVC64 || ec == ESR_EC_HVC64 || ec == ESR_EC_SMC64;
	uintptr_t to = extable_find(after ? r->pc - 4 : r->pc);

	if (!to)
		return false;
	r->regs[28] = esr_exinfo(r->esr);
	r->pc = to;
	return true;
}

/*
 * run_in_user()'s way home: the SVC at arm64_user_svc, taken from EL0, has
 * ELR_EL1 at arm64_user_return already; resume there at EL1h with the DAIF
 * EL0 ran with (entry.S explains the stack).
 */
static bool user_return(struct ex_regs *r)
{
	if (r->vector != EXC_EL0_64 + EXC_SYNC || esr_ec(r->esr) != ESR_EC_SVC64 ||
	    r->pc != (uintptr_t)arm64_user_return)
		return false;
	r->pstate = (r->pstate & SPSR_DAIF) | SPSR_MODE_EL1H;
	return true;
}

static void sync_exception(struct ex_regs *r)
{
	char what[64];
	size_t n;
	handler_t h;

	if (user_return(r))
		return;
	if (r->vector != EXC_EL1T && fixup(r))
		return;
	if (esr_ec(r->esr) == ESR_EC_BRK64 && r->pc == (uintptr_t)arch_abort_trap)
		abort_dump(r, r->pc, r->regs[29]);
	h = __atomic_load_n(&sync_handlers[esr_ec(r->esr)], __ATOMIC_ACQUIRE);
	if (h && r->vector != EXC_EL1T) {
		h(r);
		return;
	}
	n = snprintf(what, sizeof(what), "exception ");
	arch_exinfo_str(esr_exinfo(r->esr), what + n, sizeof(what) - n);
	arm64_unexpected(r, what);
}

void arm64_exception(struct ex_regs *r)
{
	unsigned int type = r->vector & 3;
	handler_t h;

	if (type == EXC_SYNC) {
		sync_exception(r);
		return;
	}
	h = __atomic_load_n(&vector_handlers[type], __ATOMIC_ACQUIRE);
	if (h && type == EXC_IRQ && gic_irq_preack())
		return;	/* lib's wake-up kick: never the test's */
	if (h)
		h(r);
	else if (type == EXC_IRQ)
		gic_handle_irq(r);
	else
		arm64_unexpected(r, type == EXC_FIQ ? "FIQ" : "SError");
}
