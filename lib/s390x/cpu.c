// SPDX-License-Identifier: MIT
/*
 * lib's contract on s390x (lib/arch.h): interruption masks (PSW bits 6 and
 * 7, through STOSM/STNSM), the enabled wait, delays on the TOD clock
 * (PoP 4.6.1: bit 51 ticks every microsecond), the facility list, and the
 * exit: SIGP STOP to every other CPU, then to this one (QEMU ends the VM
 * when its last CPU stops).
 */
#include "arch.h"
#include "asm/processor.h"
#include "asm/sigp.h"
#include "s390x.h"

/* STFLE's facility bits, doublewords 0-3 (bits 0-255). */
static uint64_t facilities[4];

void facilities_init(void)
{
	stfle(facilities, ARRAY_SIZE(facilities));
}

bool test_facility(int nr)
{
	if (nr < 0 || nr >= 64 * (int)ARRAY_SIZE(facilities))
		return false;
	return facilities[nr / 64] & (1ULL << (63 - nr % 64));
}

void arch_cpu_relax(void)
{
	cpu_relax();
}

void arch_irq_disable(void)
{
	local_irq_disable();
}

void arch_irq_enable(void)
{
	local_irq_enable();
}

bool arch_irqs_enabled(void)
{
	return stosm(0) & SM_EXT;
}

/*
 * Load an enabled wait PSW whose address is the next instruction: the
 * interruption that ends the wait stores it as the old PSW, and the port's
 * handlers resume it with the wait bit cleared (traps.c), interruptions
 * enabled, as lib's contract wants.
 */
void arch_cpu_wait(void)
{
	struct psw psw = {
		.mask = extract_psw_mask() | PSW_MASK_EXT | PSW_MASK_IO | PSW_MASK_WAIT,
	};

	asm volatile("larl %%r1,0f\n\t"
		     "stg %%r1,%[addr]\n\t"
		     "lpswe %[psw]\n"
		     "0:"
		     : [addr] "=Q"(psw.addr) : [psw] "Q"(psw) : "r1", "memory", "cc");
}

void udelay(unsigned long us)
{
	uint64_t end = get_clock() + us * TOD_PER_US;

	while (get_clock() < end)
		cpu_relax();
}

void arch_exit(int status)
{
	uint16_t self = stap();

	for (int cpu = 0; cpu < cpu_count(); cpu++)
		if (cpu_address(cpu) != self)
			sigp(cpu_address(cpu), SIGP_STOP, 0, NULL);
	while (sigp(self, SIGP_STOP, 0, NULL) == SIGP_CC_BUSY)
		;
	/* Stopped: nothing runs after SIGP STOP to oneself takes effect. */
	for (;;) {
		struct psw psw = PSW(PSW_KERNEL | PSW_MASK_WAIT, 0xe81);

		load_psw(&psw);
	}
}
