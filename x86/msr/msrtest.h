/* SPDX-License-Identifier: MIT */
/*
 * Shared pieces of the msr image: CPU facts derived from CPUID, the check
 * helpers every file uses, and the subtests main.c registers.
 */
#ifndef X86_MSR_MSRTEST_H
#define X86_MSR_MSRTEST_H

#include "report.h"
#include "smp.h"
#include "user.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "asm/processor.h"

#define GP0	EXINFO(GP_VECTOR, 0)

/* Where the SDM and the APM disagree, a table row says whose rule it follows. */
enum vendor_scope { ANY_VENDOR, INTEL_ONLY, AMD_ONLY };

/* AuthenticAMD or HygonGenuine: the APM applies; otherwise the SDM. */
bool cpu_is_amd(void);
bool vendor_scope_applies(enum vendor_scope scope);
const char *vendor_scope_reason(enum vendor_scope scope);

/* CPUID 0x80000008 EAX: physical and linear address widths. */
unsigned int cpu_phys_bits(void);
unsigned int cpu_virt_bits(void);
/* Bits MAXPHYADDR-1:12, the page-frame bits of a physical address. */
uint64_t phys_frame_mask(void);

/* Non-canonical addresses whatever the paging mode (see arch.c). */
extern const unsigned int nr_noncanonical;
uint64_t noncanonical_value(unsigned int i);

/*
 * check_rw() - WRMSR @val to @msr must succeed and RDMSR must return @expect.
 * One check; @name and @val make the message unique.
 */
void check_rw(uint32_t msr, const char *name, uint64_t val, uint64_t expect);
/* The same with @note appended to the message (REPORT_HOST_DECIDES or ""). */
void check_rw_note(uint32_t msr, const char *name, uint64_t val, uint64_t expect,
		   const char *note);

/* WRMSR (RDMSR) must raise #GP(0); @fmt names the expectation. */
void check_wrmsr_gp(uint32_t msr, uint64_t val, const char *fmt, ...) __printf(3, 4);
void check_rdmsr_gp(uint32_t msr, const char *fmt, ...) __printf(2, 3);


/* An MSR this CPU does not implement: RDMSR and WRMSR of 0 raise #GP(0). */
void check_absent(uint32_t msr, const char *name, const char *why);
void check_absent_note(uint32_t msr, const char *name, const char *why, const char *note);

/* Run @fn on every CPU in turn, under the report prefix "cpu<n>". */
void for_each_cpu_prefixed(void (*fn)(void));

/* Subtests, named as main.c registers them. */
void arch_rw(void);
void noncanonical(void);
void cpl3(void);
void unimplemented(void);
const char *needs_no_hv_msr_range(void);
void debugctl(void);
void tsc_aux(void);
void efer(void);
void pat(void);
const char *needs_pat(void);
void mtrr(void);
const char *needs_mtrr(void);
void apic_base(void);
const char *needs_apic(void);
void spec_ctrl(void);
void pred_cmd(void);
void flush_cmd(void);
void aperf_mperf(void);
void feature_control(void);
void tsc_adjust(void);
const char *needs_tsc_adjust(void);
void percpu(void);
void tsc_adjust_percpu(void);

#endif
