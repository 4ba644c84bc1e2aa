// SPDX-License-Identifier: MIT
/*
 * Local APIC access in both modes (SDM vol. 3A, chapter 11). The mode is
 * read from IA32_APIC_BASE each time, so tests may switch modes behind
 * lib's back. This is the one APIC driver: SMP bring-up, the idle kick and
 * the tests of the APIC itself all go through it.
 */
#include "arch.h"
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"
#include "report.h"
#include "smp.h"
#include "subtest.h"

static volatile uint32_t *xapic_reg(unsigned int reg)
{
	return (volatile uint32_t *)(APIC_DEFAULT_BASE + reg);
}

enum apic_mode apic_mode(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	return (base & APIC_BASE_EN ? 2 : 0) + (base & APIC_BASE_EXTD ? 1 : 0);
}

bool apic_is_x2apic(void)
{
	return apic_mode() == APIC_MODE_X2APIC;
}

exinfo_t apic_set_mode(enum apic_mode mode)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE) & ~(APIC_BASE_EN | APIC_BASE_EXTD);

	if (mode == APIC_MODE_XAPIC || mode == APIC_MODE_X2APIC)
		base |= APIC_BASE_EN;
	if (mode == APIC_MODE_INVALID || mode == APIC_MODE_X2APIC)
		base |= APIC_BASE_EXTD;
	return wrmsr_safe(MSR_IA32_APIC_BASE, base);
}

uint32_t apic_read(unsigned int reg)
{
	if (apic_is_x2apic())
		return rdmsr(MSR_IA32_X2APIC_BASE + (reg >> 4));
	return *xapic_reg(reg);
}

void apic_write(unsigned int reg, uint32_t val)
{
	if (apic_is_x2apic())
		wrmsr(MSR_IA32_X2APIC_BASE + (reg >> 4), val);
	else
		*xapic_reg(reg) = val;
}

exinfo_t apic_write_safe(unsigned int reg, uint32_t val)
{
	if (apic_is_x2apic())
		return wrmsr_safe(MSR_IA32_X2APIC_BASE + (reg >> 4), val);
	*xapic_reg(reg) = val;
	return 0;
}

/*
 * xAPIC delivery status (ICR bit 12) reads "send pending" until the IPI
 * left; SDM 11.6.1 has no bound on how long. A VMM that never clears it
 * would hang every later IPI: after 1000 quick polls, poll every 10 us for
 * 1 s, then give up.
 */
bool apic_icr_idle(void)
{
	if (apic_is_x2apic())
		return true;
	for (int i = 0; i < 1000; i++)
		if (!(*xapic_reg(APIC_ICR) & APIC_ICR_BUSY))
			return true;
	for (int i = 0; i < 100000; i++) {
		if (!(*xapic_reg(APIC_ICR) & APIC_ICR_BUSY))
			return true;
		udelay(10);
	}
	return false;
}

void apic_icr_write(uint32_t icr_lo, uint32_t dest)
{
	if (apic_is_x2apic()) {
		wrmsr(MSR_IA32_X2APIC_BASE + (APIC_ICR >> 4), (uint64_t)dest << 32 | icr_lo);
		return;
	}
	if (!apic_icr_idle())
		report_abort("xAPIC ICR delivery status still busy after 1 s (ICR %#x)",
			     *xapic_reg(APIC_ICR));
	*xapic_reg(APIC_ICR2) = dest << 24;
	*xapic_reg(APIC_ICR) = icr_lo;
}

uint64_t apic_icr_read(void)
{
	if (apic_is_x2apic())
		return rdmsr(MSR_IA32_X2APIC_BASE + (APIC_ICR >> 4));
	return (uint64_t)(*xapic_reg(APIC_ICR2) >> 24) << 32 | *xapic_reg(APIC_ICR);
}

void apic_self_ipi(unsigned int vec)
{
	if (apic_is_x2apic())
		wrmsr(MSR_IA32_X2APIC_BASE + (APIC_SELF_IPI >> 4), vec);
	else
		apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED | APIC_INT_ASSERT | vec, 0);
}

bool apic_vec_test(unsigned int reg, unsigned int vec)
{
	return apic_read(reg + (vec / 32) * 0x10) & (1U << (vec % 32));
}

int apic_vec_highest(unsigned int reg)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t v = apic_read(reg + i * 0x10);

		if (v)
			return i * 32 + 31 - __builtin_clz(v);
	}
	return -1;
}

unsigned int apic_lvt_count(void)
{
	return APIC_LVR_MAXLVT(apic_read(APIC_LVR)) + 1;
}

uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return apic_is_x2apic() ? id : id >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void apic_enable(void)
{
	wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN);
	apic_write(APIC_SPIV, APIC_SPIV_ENABLE | SPURIOUS_VECTOR);
	/* LINT0 carries the 8259's ExtINT on the BSP: nothing lib expects. */
	apic_write(APIC_LVT0, APIC_LVT_MASKED);
}

bool apic_enable_x2apic(void)
{
	if (!this_cpu_has(X86_FEATURE_X2APIC))
		return false;
	wrmsr(MSR_IA32_APIC_BASE, rdmsr(MSR_IA32_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	apic_enable();
	return true;
}

void apic_reset_to_xapic(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE) & ~(APIC_BASE_EN | APIC_BASE_EXTD);

	wrmsr(MSR_IA32_APIC_BASE, base);
	wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_EN);
	apic_enable();
}

static enum apic_mode wanted = APIC_MODE_XAPIC;
static bool switched;

static void switch_x2apic(void *unused)
{
	apic_enable_x2apic();
}

static bool args_want_x2apic(void)
{
	for (int i = 1; i < __argc; i++)
		if (!strcmp(__argv[i], "apic=x2apic"))
			return true;
	return false;
}

const char *apic_args_mode(void)
{
	if (!args_want_x2apic())
		return NULL;
	if (!this_cpu_has(X86_FEATURE_X2APIC))
		return "x2APIC not supported (apic=x2apic)";
	if (!switched) {
		on_cpus(switch_x2apic, NULL);
		wanted = APIC_MODE_X2APIC;
		switched = true;
	}
	return NULL;
}

enum apic_mode apic_test_mode(void)
{
	return wanted;
}
