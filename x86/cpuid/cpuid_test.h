/* SPDX-License-Identifier: MIT */
/* Shared pieces of the cpuid image: vendor, extended-state helpers, subtests. */
#ifndef X86_CPUID_CPUID_TEST_H
#define X86_CPUID_CPUID_TEST_H

#include "libc.h"
#include "asm/cpuid.h"
#include "user.h"

/* XSAVE state components (SDM vol. 1, 13.1). */
#define XSTATE_X87		BIT_ULL(0)
#define XSTATE_SSE		BIT_ULL(1)
#define XSTATE_AVX		BIT_ULL(2)
#define XSTATE_BNDREGS		BIT_ULL(3)
#define XSTATE_BNDCSR		BIT_ULL(4)
#define XSTATE_OPMASK		BIT_ULL(5)
#define XSTATE_ZMM_HI256	BIT_ULL(6)
#define XSTATE_HI16_ZMM		BIT_ULL(7)
#define XSTATE_PKRU		BIT_ULL(9)
#define XSTATE_TILECFG		BIT_ULL(17)
#define XSTATE_TILEDATA		BIT_ULL(18)
#define XSTATE_AVX512		(XSTATE_OPMASK | XSTATE_ZMM_HI256 | XSTATE_HI16_ZMM)
/* Size of the legacy region plus the XSAVE header (SDM vol. 1, 13.4). */
#define XSAVE_LEGACY_SIZE	576

/*
 * Ends the message of a check whose outcome, under KVM, the host CPU
 * decides rather than the VMM (guest code running on it natively, or a
 * CPUID bit passed through from it); known-failures.txt keys such entries
 * on host conditions.
 */
#define HOST_DECIDES	" (host CPU decides under KVM)"

enum cpu_vendor { VENDOR_UNKNOWN, VENDOR_INTEL, VENDOR_AMD, VENDOR_HYGON, VENDOR_CENTAUR };

/* The 12-character vendor string of @leaf (0 or 0x80000000): EBX, EDX, ECX. */
void cpuid_vendor_string(uint32_t leaf, char out[13]);
enum cpu_vendor cpu_vendor(void);
/* AMD and Hygon follow the AMD APM's CPUID conventions. */
bool vendor_is_amd_like(void);

/* Smallest n with (1 << n) >= v. */
unsigned int ceil_log2(uint32_t v);

static inline uint64_t xgetbv(uint32_t idx)
{
	uint32_t lo, hi;

	asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(idx));
	return lo | (uint64_t)hi << 32;
}

static inline void xsetbv(uint32_t idx, uint64_t v)
{
	asm volatile("xsetbv" : : "c"(idx), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
		     : "memory");
}

/* XCR0 through XGETBV at CPL3 (needs CR4.OSXSAVE). */
uint64_t xcr0_read(void);

/* XCR0 bits CPUID.(0xD,0):EDX:EAX says XSETBV accepts. */
uint64_t xcr0_supported(void);

/*
 * A CR4/XCR0 change undone by ext_state_restore(). ext_state_enable() sets
 * the @cr4 bits the CPU enumerates and, when CR4.OSXSAVE ends up set and
 * every bit of @xcr0 is supported, ORs @xcr0 into XCR0.
 */
struct ext_state {
	unsigned long cr4;
	uint64_t xcr0;
	bool xcr0_saved;
};
void ext_state_enable(struct ext_state *s, unsigned long cr4, uint64_t xcr0);
void ext_state_restore(const struct ext_state *s);

/* Subtests, one group per file. */
void leaf_ranges(void);
void vendor_id(void);
void leaves_beyond_max(void);
void leaf7_subleaves(void);
void cache_leaves(void);
void baseline_features(void);
void address_sizes(void);
void amd_ext_mirrors(void);
void cpl3_cpuid(void);
void cpus_agree(void);
void apic_ids(void);
void topology(void);
void insn_user(void);
void insn_kernel_invpcid(void);
void insn_kernel_monitor(void);
void insn_kernel_xsaves(void);
void count_decoding(void);
void cr4_enumerated(void);
void cr4_absent(void);
void cr4_absent_vmxe(void);
void cr4_absent_smxe(void);
const char *needs_no_vmx(void);
const char *needs_no_smx(void);
void xsave_leaf(void);
void xcr0_sizes(void);
void xcr0_faults(void);

#endif
