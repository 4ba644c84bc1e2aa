// SPDX-License-Identifier: MIT
/*
 * Local APIC access in both modes. The mode is read from IA32_APIC_BASE
 * each time, so tests may switch modes behind lib's back.
 */
#include "asm/apic.h"
#include "asm/cpuid.h"
#include "asm/desc.h"
#include "asm/msr.h"

static volatile uint32_t *xapic_reg(unsigned int reg)
{
	return (volatile uint32_t *)(APIC_DEFAULT_BASE + reg);
}

bool apic_is_x2apic(void)
{
	return (rdmsr(MSR_IA32_APIC_BASE) & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
	       (APIC_BASE_EN | APIC_BASE_EXTD);
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

void apic_icr_write(uint32_t icr_lo, uint32_t dest)
{
	if (apic_is_x2apic()) {
		wrmsr(MSR_IA32_X2APIC_BASE + (APIC_ICR >> 4), (uint64_t)dest << 32 | icr_lo);
		return;
	}
	while (*xapic_reg(APIC_ICR) & APIC_ICR_BUSY)
		pause();
	*xapic_reg(APIC_ICR2) = dest << 24;
	*xapic_reg(APIC_ICR) = icr_lo;
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
