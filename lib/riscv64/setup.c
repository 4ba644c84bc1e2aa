// SPDX-License-Identifier: MIT
/*
 * Boot hart setup after cstart.S: the devicetree, SBI probe and console,
 * the identity map and satp, arguments and environment from /chosen,
 * memory, every secondary hart, then main().
 */
#include "asm/csr.h"
#include "devicetree.h"
#include "dtboot.h"
#include "extable.h"
#include "report.h"
#include "riscv64.h"
#include "setup.h"

void riscv_setup(unsigned long hartid, const void *fdt)
{
	if (dt_init(fdt))
		for (;;)
			asm volatile("wfi");	/* no devicetree: no console to say so */
	sbi_init();
	console_init();
	cpu_init_csrs();
	timer_init();
	extable_init();
	smp_discover(hartid);
	mmu_boot();
	dt_setup_args();
	dt_setup_memory((uintptr_t)__image_start, (uintptr_t)__image_end);
	mmu_init();
	smp_boot_secondaries();
	lib_run_main();
}
