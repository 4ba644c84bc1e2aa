// SPDX-License-Identifier: MIT
/*
 * The interruption dispatcher behind entry.S. Program interruptions:
 * expected-exception fixups from the exception table, then installed
 * handlers, then the unexpected-exception report. External ones: lib's
 * wake-up kick and the SCLP service signal, then the installed handler.
 * SVC: run_in_user()'s return, fixups, the handler. Also the decoding of
 * program-interruption codes for messages (PoP 6.6, figure "Program-
 * interruption codes") and the register dump.
 */
#include "arch.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "report.h"
#include "s390x.h"
#include "setup.h"

#define PGM_HANDLERS	0x400	/* codes 0-0x3ff: PER (0x80) and transaction (0x200) bits */

static handler_t pgm_handlers[PGM_HANDLERS];
static handler_t class_handlers[INT_IO + 1];
static struct int_info last_pgm[MAX_CPUS];

static const char *const class_names[] = {
	[INT_RESTART] = "restart", [INT_EXT] = "external", [INT_SVC] = "supervisor-call",
	[INT_PGM] = "program", [INT_MCCK] = "machine-check", [INT_IO] = "I/O",
};

static const char *const pgm_names[PGM_CODE_MASK + 1] = {
	[PGM_OPERATION] = "operation",
	[PGM_PRIVILEGED] = "privileged operation",
	[PGM_EXECUTE] = "execute",
	[PGM_PROTECTION] = "protection",
	[PGM_ADDRESSING] = "addressing",
	[PGM_SPECIFICATION] = "specification",
	[PGM_DATA] = "data",
	[PGM_FIXED_OVERFLOW] = "fixed-point overflow",
	[PGM_FIXED_DIVIDE] = "fixed-point divide",
	[PGM_DECIMAL_OVERFLOW] = "decimal overflow",
	[PGM_DECIMAL_DIVIDE] = "decimal divide",
	[0x0c] = "HFP exponent overflow",
	[0x0d] = "HFP exponent underflow",
	[0x0e] = "HFP significance",
	[0x0f] = "HFP divide",
	[PGM_SEGMENT_TRANS] = "segment translation",
	[PGM_PAGE_TRANS] = "page translation",
	[PGM_TRANS_SPEC] = "translation specification",
	[PGM_SPECIAL_OP] = "special operation",
	[PGM_OPERAND] = "operand",
	[0x16] = "trace table",
	[0x1b] = "vector processing",
	[0x1c] = "space-switch event",
	[0x1d] = "HFP square root",
	[PGM_ASCE_TYPE] = "ASCE type",
	[PGM_REGION1_TRANS] = "region-first translation",
	[PGM_REGION2_TRANS] = "region-second translation",
	[PGM_REGION3_TRANS] = "region-third translation",
	[PGM_MONITOR] = "monitor event",
};

static const char *pgm_name(unsigned int code)
{
	if (!(code & PGM_CODE_MASK))
		return code & PGM_PER ? "PER event" : "none";
	return pgm_names[code & PGM_CODE_MASK] ? pgm_names[code & PGM_CODE_MASK] : "reserved";
}

char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len)
{
	unsigned int code = EXINFO_VEC(ex);

	if (!(ex & EXINFO_VALID))
		snprintf(buf, len, "no exception");
	else if (code & EXINFO_SVC)
		snprintf(buf, len, "SVC %u, ILC %u", code & 0xff, EXINFO_EC(ex));
	else
		snprintf(buf, len, "PIC %#06x (%s%s), ILC %u", code, pgm_name(code),
			 (code & PGM_PER) && (code & PGM_CODE_MASK) ? " + PER" : "", EXINFO_EC(ex));
	return buf;
}

handler_t install_exception_handler(unsigned int code, handler_t fn)
{
	if (code >= PGM_HANDLERS)
		report_abort("install_exception_handler: code %#x out of range", code);
	return __atomic_exchange_n(&pgm_handlers[code], fn, __ATOMIC_SEQ_CST);
}

handler_t install_int_handler(unsigned int class, handler_t fn)
{
	if (class > INT_IO || class == INT_PGM)
		report_abort("install_int_handler: class %u is no INT_EXT ... INT_IO", class);
	return __atomic_exchange_n(&class_handlers[class], fn, __ATOMIC_SEQ_CST);
}

const struct int_info *s390x_last_pgm(void)
{
	return &last_pgm[smp_id()];
}

void arch_dump_regs(const struct ex_regs *r)
{
	const uint64_t *g = r->gprs;

	for (int i = 0; i < 16; i += 4)
		printf("r%-2d=%016lx r%-2d=%016lx r%-2d=%016lx r%-2d=%016lx\n", i, g[i], i + 1,
		       g[i + 1], i + 2, g[i + 2], i + 3, g[i + 3]);
	printf("psw=%016lx %016lx teid=%016lx dxc=%02x\n", r->psw.mask, r->psw.addr,
	       r->info.teid, r->info.dxc);
}

uintptr_t arch_frame_caller(uintptr_t fp, uintptr_t *ret)
{
	/*
	 * With -mbackchain a frame starts with the caller's r15, and a function
	 * saves r6-r15 in its caller's frame at 48: the return address (r14) at 112.
	 */
	uintptr_t caller = *(const uintptr_t *)fp;

	*ret = 0;
	if (caller < 0x2000 || caller >= phys_mem_end || caller & 7)
		return 0;
	*ret = *(const uintptr_t *)(caller + 112);
	return caller;
}

static void __noreturn unexpected(struct ex_regs *r, const char *what)
{
	char detail[40];

	snprintf(detail, sizeof(detail), "PSW mask %#lx", r->psw.mask);
	unexpected_exception(what, "psw", r->psw.addr, r->gprs[15], r, detail);
}

/*
 * The old PSW of a nullified instruction points at it, that of a suppressed,
 * completed or terminated one past it (by the ILC): either is an ASM_TRY
 * block's first instruction. Each block ends with a NOP (interrupt.h), so a
 * "past" address is never another block's start. An ILC of 0 (a PSW-format
 * error brought in by LPSW(E) or an interruption) has no instruction to fix.
 */
static bool fixup(struct ex_regs *r, exinfo_t ex, unsigned int ilc)
{
	uintptr_t to;

	if (!ilc)
		return false;
	to = extable_find(r->psw.addr);
	if (!to)
		to = extable_find(r->psw.addr - 2 * ilc);
	if (!to)
		return false;
	r->gprs[12] = ex;
	r->psw.addr = to;
	return true;
}

static void pgm_int(struct ex_regs *r)
{
	unsigned int code = r->info.pgm_code, ilc = ilc_of(r->info.pgm_ilc);
	exinfo_t ex = EXINFO(code, ilc);
	char what[80];
	handler_t h;
	size_t n;

	last_pgm[smp_id()] = r->info;
	if (fixup(r, ex, ilc))
		return;
	if (code == PGM_OPERATION && r->psw.addr - 2 * ilc == (uintptr_t)arch_abort_trap)
		abort_dump(r, (uintptr_t)arch_abort_trap, r->gprs[15]);
	h = code < PGM_HANDLERS ? __atomic_load_n(&pgm_handlers[code], __ATOMIC_ACQUIRE) : NULL;
	if (h) {
		h(r);
		return;
	}
	n = snprintf(what, sizeof(what), "program interruption ");
	arch_exinfo_str(ex, what + n, sizeof(what) - n);
	unexpected(r, what);
}

/* An SVC always completes: the old PSW is past it, by the ILC. */
static bool svc_fixup(struct ex_regs *r)
{
	unsigned int ilc = ilc_of(r->info.svc_ilc);
	uintptr_t to = ilc ? extable_find(r->psw.addr - 2 * ilc) : 0;

	if (!to)
		return false;
	r->gprs[12] = EXINFO(EXINFO_SVC | r->info.svc_code, ilc);
	r->psw.addr = to;
	return true;
}

/* lib's own external interruptions: the SCLP service signal and its wake-up kick. */
static bool lib_ext(struct ex_regs *r)
{
	if (r->info.ext_code == EXT_SERVICE) {
		sclp_service_signal(r->info.ext_param);
		return true;
	}
	/* The kick (smp.c) is sent only to a CPU sleeping in lib/smp.c. */
	return r->info.ext_code == EXT_EMERGENCY && smp_kick_received(smp_id());
}

void s390x_interrupt(struct ex_regs *r)
{
	char what[64];
	handler_t h;

	switch (r->class) {
	case INT_PGM:
		pgm_int(r);
		return;
	case INT_SVC:
		if (user_return(r) || svc_fixup(r))
			return;
		break;
	case INT_EXT:
		if (lib_ext(r))
			goto resume;
		break;
	}
	h = __atomic_load_n(&class_handlers[r->class], __ATOMIC_ACQUIRE);
	if (!h) {
		if (r->class == INT_EXT)
			snprintf(what, sizeof(what), "external interruption code %#06x",
				 r->info.ext_code);
		else if (r->class == INT_SVC)
			snprintf(what, sizeof(what), "SVC %u", r->info.svc_code);
		else
			snprintf(what, sizeof(what), "%s interruption", class_names[r->class]);
		unexpected(r, what);
	}
	h(r);
resume:
	/* An interruption that ended a wait (arch_cpu_wait()) resumes running. */
	if (r->class != INT_SVC)
		r->psw.mask &= ~PSW_MASK_WAIT;
}
