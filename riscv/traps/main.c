// SPDX-License-Identifier: MIT
/*
 * Traps on riscv64 against the RISC-V privileged architecture v1.12
 * (table 4.2 scause codes; 4.1.9 sepc; 4.1.10 stval) and the unprivileged
 * ISA:
 *   insn.c    illegal instructions (stval 0 or the instruction's bits),
 *             misaligned loads, stores and AMOs (handled, or trapped with
 *             stval the address; AMOs and LR/SC always trap), misaligned
 *             fetches (with C, a 2-byte aligned target runs; without C, the
 *             jump traps at itself, stval the target), ECALL from U-mode
 *             and S-mode (the latter the SBI's: SBI v2.0 3), EBREAK and
 *             C.EBREAK from S and U.
 *   paging.c  under Sv39, Sv48 and Sv57 (4.3-4.6) as the hart implements
 *             them: load, store and instruction page faults with stval,
 *             read-only and non-executable pages, U pages and sstatus.SUM,
 *             execute-only pages and sstatus.MXR, S pages from U-mode,
 *             reserved PTE encodings and bits, misaligned superpages,
 *             non-canonical addresses, A/D bits (updated, or page faults
 *             as in Svade, when Svadu is not advertised), Svpbmt's bits,
 *             megapages and gigapages.
 * Known VMM caveats: known-failures.txt (riscv64 section).
 */
#include "report.h"
#include "subtest.h"
#include "traps.h"

struct trap_seen trap_seen;
static bool skip;

/* Back to the caller of a call whose target faulted, or past the instruction. */
static void recorder(struct ex_regs *r)
{
	trap_seen.ex = EXINFO(r->cause, 0);
	trap_seen.epc = r->epc;
	trap_seen.tval = r->tval;
	if (!skip)
		r->epc = r->regs[REG_RA];
	else
		r->epc += (*(uint16_t *)r->epc & 3) == 3 ? 4 : 2;
}

void trap_catch(unsigned int cause, bool skip_insn)
{
	memset(&trap_seen, 0, sizeof(trap_seen));
	skip = skip_insn;
	install_exception_handler(cause, recorder);
}

void trap_release(unsigned int cause)
{
	install_exception_handler(cause, NULL);
}

exinfo_t call_at(uintptr_t addr)
{
	trap_seen.ex = 0;
	((void (*)(void))addr)();
	return trap_seen.ex;
}

static const struct subtest tests[] = {
	SUBTEST(illegal),
	SUBTEST(misaligned),
	SUBTEST(fetch_misaligned),
	SUBTEST(ecall),
	SUBTEST(breakpoint),
	SUBTEST(sv39),
	SUBTEST_NEEDS(sv48, need_sv48),
	SUBTEST_NEEDS(sv57, need_sv57),
};

SUBTESTS_MAIN(tests)
