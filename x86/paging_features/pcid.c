// SPDX-License-Identifier: MIT
/*
 * Process-context identifiers and INVPCID (SDM vol. 3A 4.10.1, 4.10.4;
 * vol. 2 MOV to CR3/CR4 and INVPCID; APM vol. 2 5.5.1): CR4.PCIDE can be
 * set only with CR3[11:0] = 0; with it set, CR3[11:0] is the current PCID
 * and bit 63 of a MOV to CR3 asks for no flush and is not stored. What must
 * be flushed, is: MOV to CR3 without bit 63 drops the new PCID's non-global
 * translations, INVLPG drops global ones under any PCID, clearing PCIDE
 * drops everything, and INVPCID types 0-3 drop an address of one PCID, one
 * PCID, everything, everything but global translations, whether or not the
 * PCID is the current one. INVPCID's #GP(0) cases and #UD without CPUID
 * support. Each INVPCID type is a subtest of its own: a VMM that cannot
 * emulate the instruction (kvm-pvm stops the VM) loses only that one.
 */
#include "pf.h"
#include "user.h"

#define PCID_VA		0x10000000000ULL	/* PML4 slot 2 */
#define CR3_NOFLUSH	BIT_ULL(63)

const char *need_pcid(void)
{
	return this_cpu_has(X86_FEATURE_PCID) ? NULL : "PCID (CPUID.1:ECX[17]) not supported";
}

const char *need_invpcid(void)
{
	return this_cpu_has(X86_FEATURE_INVPCID) ? NULL :
	       "INVPCID (CPUID.7.0:EBX[10]) not supported";
}

const char *need_no_invpcid(void)
{
	return this_cpu_has(X86_FEATURE_INVPCID) ? "INVPCID supported" : NULL;
}

static uint64_t root(void)
{
	return read_cr3() & PTE_ADDR;
}

/* CR4.PCIDE = 1 with PCID @pcid current (this CPU's root); returns the old CR4. */
static uint64_t pcid_on(uint16_t pcid)
{
	uint64_t cr4 = read_cr4();

	write_cr3(root());
	write_cr4(cr4 | X86_CR4_PCIDE);
	write_cr3(root() | pcid);
	return cr4;
}

static void pcid_off(uint64_t cr4)
{
	write_cr4(cr4 & ~X86_CR4_PCIDE);
	write_cr3(root());
	write_cr4(cr4);
}

static void switch_pcid(uint16_t pcid, bool noflush)
{
	write_cr3(root() | pcid | (noflush ? CR3_NOFLUSH : 0));
}

void pcid_enable(void)
{
	uint64_t cr3 = read_cr3(), cr4 = read_cr4();

	report_exc(EXINFO(GP_VECTOR, 0), (write_cr3(cr3 | 1), write_cr4_safe(cr4 | X86_CR4_PCIDE)),
		   "setting CR4.PCIDE with CR3[11:0] != 0 raises #GP(0)");
	write_cr3(cr3);
	report_exc(0, write_cr4_safe(cr4 | X86_CR4_PCIDE),
		   "setting CR4.PCIDE with CR3[11:0] = 0 raises no exception");
	report(read_cr4() & X86_CR4_PCIDE, "CR4.PCIDE reads 1");
	report_exc(0, write_cr3_safe(cr3 | 0x5a5),
		   "MOV to CR3 with PCID 0x5a5 raises no exception");
	report_eq_x(cr3 | 0x5a5, read_cr3(), "CR3 reads back PCID 0x5a5");
	report_exc(0, write_cr3_safe(cr3 | 0x123 | CR3_NOFLUSH),
		   "MOV to CR3 with bit 63 set (no flush) raises no exception");
	report_eq_x(cr3 | 0x123, read_cr3(), "CR3 bit 63 is not stored");
	report_exc(0, write_cr4_safe(cr4),
		   "clearing CR4.PCIDE with a non-zero PCID raises no exception");
	write_cr3(cr3);
}

void pcid_tlb(void)
{
	struct tpage t;
	uint64_t cr4;

	tpage_init(&t, PCID_VA);
	cr4 = pcid_on(1);
	tpage_read(&t);
	tpage_point(&t, true);
	switch_pcid(1, false);
	tpage_expect_b(&t, "MOV to CR3 without bit 63 (PCID 1)");

	tpage_point(&t, false);
	invlpg(t.va);
	tpage_read(&t);
	tpage_point(&t, true);
	invlpg(t.va);
	tpage_expect_b(&t, "INVLPG under PCID 1");

	/* A global translation made under PCID 1, changed and flushed by INVLPG under PCID 2. */
	write_cr4(read_cr4() | X86_CR4_PGE);
	tpage_point(&t, false);
	*t.pte |= PTE_G;
	invlpg(t.va);
	tpage_read(&t);
	switch_pcid(2, true);
	tpage_point(&t, true);
	invlpg(t.va);
	tpage_expect_b(&t, "INVLPG under PCID 2 of a global page used under PCID 1");
	*t.pte &= ~PTE_G;
	write_cr4(read_cr4() & ~X86_CR4_PGE);

	tpage_point(&t, false);
	switch_pcid(1, false);
	tpage_read(&t);
	tpage_point(&t, true);
	pcid_off(cr4);
	tpage_expect_b(&t, "clearing CR4.PCIDE");
	tpage_fini(&t);
}

/*
 * One INVPCID @type: the translation is made under PCID 1, then either
 * flushed there, or (@other) from PCID 2 before going back to PCID 1
 * with bit 63 set (no flush of its own).
 */
static void invpcid_case(uint64_t type, bool global, bool other, bool pcide, const char *what)
{
	struct invpcid_desc d = { .pcid = pcide ? 1 : 0 };
	uint64_t cr4 = read_cr4();
	struct tpage t;
	exinfo_t ex;

	tpage_init(&t, PCID_VA);
	d.addr = t.va;
	if (global) {
		write_cr4(cr4 | X86_CR4_PGE);
		*t.pte |= PTE_G;
		invlpg(t.va);
	}
	if (pcide)
		pcid_on(1);
	tpage_read(&t);
	tpage_point(&t, true);
	if (other)
		switch_pcid(2, true);
	ex = invpcid_safe(type, &d);
	if (other)
		switch_pcid(1, true);
	if (report_exc(0, ex, "INVPCID type %llu (%s) raises no exception",
		       (unsigned long long)type, what))
		tpage_expect_b(&t, what);
	if (pcide)
		pcid_off(cr4);
	write_cr4(cr4);
	*t.pte &= ~PTE_G;
	invlpg(t.va);
	tpage_fini(&t);
}

void invpcid_addr(void)
{
	invpcid_case(INVPCID_ADDR, false, false, false, "address, PCID 0, PCIDE=0");
	if (!this_cpu_has(X86_FEATURE_PCID))
		return;
	invpcid_case(INVPCID_ADDR, false, false, true, "address, current PCID 1");
	invpcid_case(INVPCID_ADDR, false, true, true, "address, PCID 1 from PCID 2");
}

void invpcid_context(void)
{
	invpcid_case(INVPCID_CONTEXT, false, false, false, "context, PCID 0, PCIDE=0");
	if (!this_cpu_has(X86_FEATURE_PCID))
		return;
	invpcid_case(INVPCID_CONTEXT, false, false, true, "context, current PCID 1");
	invpcid_case(INVPCID_CONTEXT, false, true, true, "context, PCID 1 from PCID 2");
}

void invpcid_all_global(void)
{
	bool pcid = this_cpu_has(X86_FEATURE_PCID);

	invpcid_case(INVPCID_ALL_GLOBAL, false, false, pcid, "all, non-global page");
	if (this_cpu_has(X86_FEATURE_PGE))
		invpcid_case(INVPCID_ALL_GLOBAL, true, false, pcid, "all, global page");
	if (pcid)
		invpcid_case(INVPCID_ALL_GLOBAL, false, true, true, "all, PCID 1 from PCID 2");
}

void invpcid_all(void)
{
	bool pcid = this_cpu_has(X86_FEATURE_PCID);

	invpcid_case(INVPCID_ALL, false, false, pcid, "all but global, current PCID");
	if (pcid)
		invpcid_case(INVPCID_ALL, false, true, true, "all but global, PCID 1 from PCID 2");
}

static uint64_t invpcid_user(uint64_t p)
{
	return invpcid_safe(INVPCID_ALL, (const struct invpcid_desc *)p);
}

void invpcid_gp(void)
{
	static const struct invpcid_desc zero, pcid1 = { .pcid = 1 }, high = { .pcid = 1 << 12 };
	static const struct invpcid_desc noncanon = { .addr = 1ULL << 63 };
	const struct invpcid_desc *nc_mem = (const void *)(1ULL << 63);
	const exinfo_t gp = EXINFO(GP_VECTOR, 0);

	report_exc(gp, invpcid_safe(4, &zero), "INVPCID type 4 raises #GP(0)");
	report_exc(gp, invpcid_safe(1ULL << 32, &zero), "INVPCID type 1 << 32 raises #GP(0)");
	report_exc(gp, invpcid_safe(INVPCID_CONTEXT, &high),
		   "INVPCID with descriptor bits 63:12 set raises #GP(0)");
	report_exc(gp, invpcid_safe(INVPCID_ADDR, &noncanon),
		   "INVPCID type 0 of a non-canonical address raises #GP(0)");
	report_exc(gp, invpcid_safe(INVPCID_ADDR, &pcid1),
		   "INVPCID type 0 with PCID 1 while CR4.PCIDE=0 raises #GP(0)");
	report_exc(gp, invpcid_safe(INVPCID_CONTEXT, &pcid1),
		   "INVPCID type 1 with PCID 1 while CR4.PCIDE=0 raises #GP(0)");
	report_exc(0, invpcid_safe(INVPCID_ALL, &pcid1),
		   "INVPCID type 3 ignores the PCID while CR4.PCIDE=0 (no exception)");
	report_exc(gp, invpcid_safe(INVPCID_ALL, nc_mem),
		   "INVPCID with a non-canonical descriptor address raises #GP(0)");
	report_exc(gp, run_in_user(invpcid_user, (uintptr_t)&zero),
		   "INVPCID at CPL3 raises #GP(0)");
}

void invpcid_absent(void)
{
	static const struct invpcid_desc zero;

	report_exc(EXINFO(UD_VECTOR, 0), invpcid_safe(INVPCID_ALL, &zero),
		   "INVPCID raises #UD when CPUID.7.0:EBX[10] is clear");
}
