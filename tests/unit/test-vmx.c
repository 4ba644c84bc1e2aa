// SPDX-License-Identifier: MIT
/*
 * lib/x86/vmx_decode.c on the host: the exit-code match every VMX check
 * uses dispatches on the basic exit reason (Intel SDM vol. 3C 25.9.1
 * table 25-17: bits 15:0) and the VM-entry failure bit 31 only, so an exit
 * with bit 27 (enclave mode), 28 (pending MTF) or 29 (from VMX root
 * operation) set is still the exit it names; instruction outcomes
 * (VMfailInvalid, VMfailValid(n), exceptions) must be equal. The decoding
 * in messages names the exit reason (appendix C) and the VM-instruction
 * error (31.4 table 31-1). Values are written out here from the SDM, not
 * taken from lib's headers, so a wrong definition there fails too.
 */
#include "unit.h"

bool vmx_exit_matches(uint64_t code, uint64_t expected);
char *vmx_exit_str(uint64_t code, char *buf, size_t len);
char *vmx_status_str(uint64_t s, char *buf, size_t len);
char *vmx_intr_info_str(uint32_t info, char *buf, size_t len);

/* What vmx_decode.c calls beyond what is tested here. */
char *arch_exinfo_str(uint64_t ex, char *buf, size_t len)
{
	snprintf(buf, len, "exception %#llx", (unsigned long long)ex);
	return buf;
}

bool nested_report_exit(void)
{
	abort();
}

bool vreport_decoded(void)
{
	abort();
}

#define CPUID		10ULL
#define VMCALL		18ULL
#define INVALID_GUEST	33ULL
#define ENTRY_FAIL	(1ULL << 31)
#define FAIL_INVALID	(1ULL << 62)
#define FAIL_VALID(n)	((1ULL << 61) | (n))

struct match_case {
	uint64_t code, expected;
	bool match;
};

static const struct match_case cases[] = {
	{ CPUID, CPUID, true },
	{ CPUID | 1ULL << 27, CPUID, true },
	{ CPUID | 1ULL << 28, CPUID, true },
	{ CPUID | 1ULL << 29, CPUID, true },
	{ CPUID | 7ULL << 27, CPUID, true },
	{ VMCALL | 1ULL << 29, CPUID, false },
	{ CPUID, VMCALL, false },
	{ INVALID_GUEST | ENTRY_FAIL, INVALID_GUEST | ENTRY_FAIL, true },
	{ INVALID_GUEST | ENTRY_FAIL | 1ULL << 28, INVALID_GUEST | ENTRY_FAIL, true },
	{ INVALID_GUEST, INVALID_GUEST | ENTRY_FAIL, false },
	{ INVALID_GUEST | ENTRY_FAIL, INVALID_GUEST, false },
	{ CPUID | ENTRY_FAIL, CPUID, false },
	{ FAIL_VALID(7), FAIL_VALID(7), true },
	{ FAIL_VALID(7), FAIL_VALID(8), false },
	{ FAIL_VALID(7), 7, false },
	{ 7, FAIL_VALID(7), false },
	{ FAIL_INVALID, FAIL_INVALID, true },
	{ FAIL_INVALID, FAIL_VALID(0), false },
	{ FAIL_INVALID, 0, false },
};

static void test_matches(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct match_case *c = &cases[i];

		CHECK(vmx_exit_matches(c->code, c->expected) == c->match,
		      "vmx_exit_matches(%#llx, %#llx) should be %d",
		      (unsigned long long)c->code, (unsigned long long)c->expected, c->match);
	}
}

struct str_case {
	uint64_t code;
	const char *str;
};

static const struct str_case strs[] = {
	{ CPUID, "exit CPUID (10)" },
	{ CPUID | 1ULL << 28, "exit CPUID (10)" },
	{ INVALID_GUEST | ENTRY_FAIL, "entry failure, exit invalid guest state (33, bit 31)" },
	{ 34 | ENTRY_FAIL, "entry failure, exit MSR loading (34, bit 31)" },
	{ 2, "exit triple fault (2)" },
	{ 48, "exit EPT violation (48)" },
	{ FAIL_INVALID, "VMfailInvalid" },
	{ FAIL_VALID(7), "VMfailValid(7: VM entry with invalid control field(s))" },
	{ FAIL_VALID(12), "VMfailValid(12: VMREAD/VMWRITE from/to unsupported VMCS component)" },
};

static void test_strings(void)
{
	char buf[128];

	for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		vmx_exit_str(strs[i].code, buf, sizeof(buf));
		CHECK(!strcmp(buf, strs[i].str), "vmx_exit_str(%#llx): '%s', want '%s'",
		      (unsigned long long)strs[i].code, buf, strs[i].str);
	}
	vmx_intr_info_str(0x80000b0e, buf, sizeof(buf));
	CHECK(!strcmp(buf, "hardware exception vector 14 error code"),
	      "intr info 0x80000b0e: '%s'", buf);
	vmx_intr_info_str(0x0000030e, buf, sizeof(buf));
	CHECK(!strcmp(buf, "none"), "intr info without the valid bit: '%s'", buf);
}

int main(void)
{
	test_matches();
	test_strings();
	return unit_summary("unit-vmx");
}
