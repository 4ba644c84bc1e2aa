// SPDX-License-Identifier: MIT
/*
 * Illegal instructions, misaligned accesses and fetches, ECALL and EBREAK
 * (privileged architecture v1.12 3.3.1, 4.1.9-4.1.10; unprivileged ISA
 * 1.5 (the all-zero and all-one encodings), 2.6 (misaligned loads and
 * stores: handled in hardware or software, invisibly, or an address-
 * misaligned or access-fault exception), 8.2-8.4 (A: a misaligned LR or
 * AMO raises an address-misaligned or access-fault exception, of the load
 * kind for LR and the store/AMO kind for an AMO; SC is left out: one that
 * fails for want of a reservation need not touch memory at all), 2.5 (a
 * jump to an address not 4-byte aligned traps on the jump when IALIGN is
 * 32, i.e. without C), 16 (C: C.EBREAK)). Zicclsm, when the devicetree
 * lists it, promises misaligned loads and stores to main memory that do
 * not trap.
 */
#include "alloc.h"
#include "arch.h"
#include "asm/processor.h"
#include "cpu.h"
#include "report.h"
#include "sbi.h"
#include "smp.h"
#include "user.h"
#include "vm.h"
#include "traps.h"

static bool has_c(void)
{
	return isa_has(smp_id(), "c");
}

/* A value that may be either of two (stval: 0 or the instruction's bits or address). */
static void report_either(uint64_t a, uint64_t b, uint64_t got, const char *what)
{
	char e[48], g[24];

	snprintf(e, sizeof(e), "%#lx or %#lx", (unsigned long)a, (unsigned long)b);
	snprintf(g, sizeof(g), "%#lx", (unsigned long)got);
	report_decoded(got == a || got == b, e, g, "%s", what);
}

static uint64_t user_sret(uint64_t arg)
{
	return asm_safe("sret");
}

static uint64_t user_sfence(uint64_t arg)
{
	return asm_safe("sfence.vma");
}

void illegal(void)
{
	exinfo_t ill = EXINFO(CAUSE_ILLEGAL_INSN, 0);
	unsigned long v;

	report_exc(ill, asm_safe(".word 0"), "the all-zero instruction is illegal");
	report_eq_x(0, exinfo_stval(), "stval of the all-zero instruction is 0");
	report_exc(ill, asm_safe(".word 0xffffffff"), "the all-one instruction is illegal");
	report_either(0, 0xffffffff, exinfo_stval(),
		      "stval of the all-one instruction is 0 or its bits");
	report_exc(ill, asm_safe("mret"), "MRET in S-mode is an illegal instruction");
	report_exc(ill, csr_read_safe(0x1ff, &v),
		   "S-mode read of CSR 0x1ff, which no extension defines, is illegal");
	report_exc(ill, csr_write_safe(CSR_TIME, 0),
		   "a write to the read-only time CSR is illegal");
	report_exc(ill, run_in_user(user_sret, 0), "SRET in U-mode is an illegal instruction");
	report_exc(ill, run_in_user(user_sfence, 0),
		   "SFENCE.VMA in U-mode is an illegal instruction");
}

/* A misaligned load or store: done right, or an address-misaligned exception at it. */
static void access(bool store, uint8_t *buf, size_t off, const char *what, bool must_do)
{
	uint64_t want = 0, got = 0x1122334455667788UL;
	uintptr_t addr = (uintptr_t)buf + off;
	DECLARE_EXINFO(ex);
	bool done;

	for (int i = 7; i >= 0; i--)
		want = want << 8 | buf[off + i];
	if (store)
		asm volatile(ASM_TRY("sd %1, 0(%2)") : "+r"(ex) : "r"(got), "r"(addr) : "memory");
	else
		asm volatile(ASM_TRY("ld %1, 0(%2)") : "+r"(ex), "=&r"(got) : "r"(addr) : "memory");
	if (store) {
		want = 0x1122334455667788UL;
		for (int i = 7; !ex && i >= 0; i--)
			got = (i == 7 ? 0 : got << 8) | buf[off + i];
	}
	done = !ex && got == want;
	if (must_do)
		report(done, "%s (Zicclsm) completes without a trap", what);
	else
		report(done || (ex == EXINFO(store ? CAUSE_MISALIGNED_STORE : CAUSE_MISALIGNED_LOAD,
					     0) && exinfo_stval() == addr),
		       "%s completes, or traps as address-misaligned with stval the address",
		       what);
	report_info("%s: %s", what, done ? "completed" : "trapped");
}

/* @insn on the misaligned address in a0: address-misaligned or access fault. */
#define AMO_TRAP(insn, buf)						\
	({								\
		DECLARE_EXINFO(__ex);					\
		register uintptr_t __a asm("a0") = (uintptr_t)(buf) + 4;	\
		asm volatile(ASM_TRY(insn) : "+r"(__ex), "+r"(__a) : : "a1", "memory"); \
		__ex;							\
	})

static void atomic(uint8_t *buf, const char *what, exinfo_t ex, bool is_load)
{
	exinfo_t mis = EXINFO(is_load ? CAUSE_MISALIGNED_LOAD : CAUSE_MISALIGNED_STORE, 0);
	exinfo_t acc = EXINFO(is_load ? CAUSE_LOAD_ACCESS : CAUSE_STORE_ACCESS, 0);
	char e[48], g[48];

	snprintf(e, sizeof(e), "scause=%u or %u", EXINFO_VEC(mis), EXINFO_VEC(acc));
	report_decoded((ex == mis || ex == acc) && exinfo_stval() == (uintptr_t)buf + 4, e,
		       arch_exinfo_str(ex, g, sizeof(g)),
		       "%s at a misaligned address traps, stval the address", what);
}

void misaligned(void)
{
	uint8_t *buf = alloc_page();
	bool zicclsm = isa_has(smp_id(), "zicclsm");

	if (!buf)
		report_abort("out of memory for a page");
	for (int i = 0; i < 64; i++)
		buf[i] = i * 7 + 1;
	access(false, buf, 1, "LD at an address 1 past 8-byte alignment", zicclsm);
	access(true, buf, 3, "SD at an address 3 past 8-byte alignment", zicclsm);
	atomic(buf, "AMOADD.D", AMO_TRAP("amoadd.d a1, a1, (a0)", buf), false);
	atomic(buf, "LR.D", AMO_TRAP("lr.d a1, (a0)", buf), true);
	free_page(buf);
}

/*
 * JALR to a target 2 bytes past 4-byte alignment, where C.NOP, C.JR ra
 * sit: with C they return past the jump; without, the jump traps.
 */
void fetch_misaligned(void)
{
	uint16_t *code = alloc_zeroed_page();
	uintptr_t target = ALIAS + 2, at;

	if (!code || pt_map(ALIAS, (uintptr_t)code, PAGE_SIZE, PT_RWX))
		report_abort("cannot map a code page at %#lx", ALIAS);
	code[0] = 0x0001;	/* C.NOP */
	code[1] = 0x8082;	/* C.JR ra */
	fence_i();
	trap_catch(CAUSE_MISALIGNED_FETCH, true);
	asm volatile("lla %0, 1f\n1: jalr ra, 0(%1)" : "=&r"(at) : "r"(target) : "ra", "memory");
	trap_release(CAUSE_MISALIGNED_FETCH);
	if (has_c()) {
		report_exc(0, trap_seen.ex, "with C, a jump to a 2-byte aligned target runs there");
	} else {
		report_exc(EXINFO(CAUSE_MISALIGNED_FETCH, 0), trap_seen.ex,
			   "without C, a jump to a 2-byte aligned target is instruction address "
			   "misaligned");
		report_eq_x(at, trap_seen.epc, "sepc of the misaligned fetch is the jump");
		report_eq_x(target, trap_seen.tval, "stval of the misaligned fetch is the target");
	}
	pt_unmap(ALIAS, PAGE_SIZE);
	free_page(code);
}

/* Where the ECALL was, for the handler's sepc to match. */
static uint64_t user_ecall(uint64_t arg)
{
	uintptr_t at;

	asm volatile("lla %0, 1f\n1: ecall" : "=&r"(at) : : "a0", "a1", "memory");
	return at;
}

void ecall(void)
{
	struct sbiret r = sbi_ecall(0x4e4f4e45, 0, 0, 0, 0, 0, 0, 0);
	uintptr_t at;

	sbi_report_err(SBI_ERR_NOT_SUPPORTED, r.error,
		       "an ECALL from S-mode reaches the SBI and returns past itself");
	trap_catch(CAUSE_USER_ECALL, true);
	at = run_in_user(user_ecall, 0);
	trap_release(CAUSE_USER_ECALL);
	report_exc(EXINFO(CAUSE_USER_ECALL, 0), trap_seen.ex,
		   "an ECALL in U-mode is an environment call from U-mode");
	report_eq_x(at, trap_seen.epc, "sepc of the U-mode ECALL is the ECALL");
	report_eq_x(0, trap_seen.tval, "stval of the U-mode ECALL is 0");
}

static uint64_t user_ebreak(uint64_t arg)
{
	uintptr_t at;

	asm volatile("lla %0, 1f\n1: ebreak" : "=&r"(at) : : "memory");
	return at;
}

void breakpoint(void)
{
	uintptr_t at;

	trap_catch(CAUSE_BREAKPOINT, true);
	asm volatile("lla %0, 1f\n1: ebreak" : "=&r"(at) : : "memory");
	report_eq_x(at, trap_seen.epc, "sepc of EBREAK in S-mode is the EBREAK");
	report_either(0, at, trap_seen.tval, "stval of EBREAK is 0 or its address");
	at = run_in_user(user_ebreak, 0);
	report_exc(EXINFO(CAUSE_BREAKPOINT, 0), trap_seen.ex, "EBREAK in U-mode is a breakpoint");
	report_eq_x(at, trap_seen.epc, "sepc of EBREAK in U-mode is the EBREAK");
	trap_release(CAUSE_BREAKPOINT);
	if (has_c())
		report_exc(EXINFO(CAUSE_BREAKPOINT, 0), asm_safe(".2byte 0x9002\n.2byte 0x0001"),
			   "with C, C.EBREAK is a breakpoint");
	else
		report_exc(EXINFO(CAUSE_ILLEGAL_INSN, 0),
			   asm_safe(".2byte 0x9002\n.2byte 0x0001"),
			   "without C, C.EBREAK is an illegal instruction");
}
