// SPDX-License-Identifier: MIT
/*
 * Boot CPU setup after cstart64.S: the lowcore's new PSWs, control
 * registers, the SCLP console, facilities, arguments and environment from
 * QEMU's parameter area, memory from SCLP read SCP info, DAT, every
 * secondary CPU, then main(). Each secondary gets the same lowcore and
 * control registers (lowcore_init(), cpu_cr_init()) before lib's idle loop.
 */
#include "alloc.h"
#include "asm/cr.h"
#include "asm/lowcore.h"
#include "asm/processor.h"
#include "extable.h"
#include "report.h"
#include "s390x.h"
#include "setup.h"

extern char __image_start[], __image_end[];
extern char s390x_parmarea[];

/* QEMU's parameter area (cstart64.S): initrd start and size, then the command line. */
#define PARM_INITRD_START	0x08
#define PARM_INITRD_SIZE	0x10
#define PARM_CMDLINE		0x80

static void set_new_psw(uintptr_t base, unsigned int off, const void *handler)
{
	struct psw *psw = (struct psw *)(base + off);

	psw->mask = PSW_KERNEL;
	psw->addr = (uintptr_t)handler;
}

void lowcore_init(uintptr_t base, int cpu, uintptr_t stack_top)
{
	set_new_psw(base, LC_RESTART_NEW_PSW, cpu ? secondary_entry : s390x_restart_entry);
	set_new_psw(base, LC_EXT_NEW_PSW, s390x_ext_entry);
	set_new_psw(base, LC_SVC_NEW_PSW, s390x_svc_entry);
	set_new_psw(base, LC_PGM_NEW_PSW, s390x_pgm_entry);
	set_new_psw(base, LC_MCCK_NEW_PSW, s390x_mcck_entry);
	set_new_psw(base, LC_IO_NEW_PSW, s390x_io_entry);
	*(uint64_t *)(base + LC_CPU_NR) = cpu;
	*(uint64_t *)(base + LC_STACK_TOP) = stack_top;
	*(uint64_t *)(base + LC_PGM_DEPTH) = 0;
}

/*
 * External interruptions lib takes: the emergency signal (its kick) and,
 * while it waits for the SCLP, the service signal (sclp.c). The rest stays
 * at its reset value (PoP 4.4, "initial CPU reset").
 */
void cpu_cr_init(void)
{
	lctlg(0, CR0_RESET | CR0_EMERGENCY_SIGNAL);
	lctlg(14, CR14_RESET);
}

static void setup_args(void)
{
	uint64_t start = *(uint64_t *)(s390x_parmarea + PARM_INITRD_START);
	uint64_t size = *(uint64_t *)(s390x_parmarea + PARM_INITRD_SIZE);

	setup_args_env(s390x_parmarea + PARM_CMDLINE, size ? (const char *)start : NULL, size);
}

static void setup_mem(void)
{
	uint64_t start = *(uint64_t *)(s390x_parmarea + PARM_INITRD_START);
	uint64_t size = *(uint64_t *)(s390x_parmarea + PARM_INITRD_SIZE);
	struct mem_range ram = { 0, sclp_memory_size() };
	struct mem_range resv[] = {
		{ 0, LOWCORE_SIZE },
		{ (uintptr_t)__image_start, (uintptr_t)__image_end },
		{ start, start + ALIGN_UP(size, PAGE_SIZE) },
	};

	if (!ram.end)
		report_abort("SCLP read SCP info gives no memory size");
	setup_memory(&ram, 1, resv, size ? 3 : 2);
}

void s390x_setup(void)
{
	lowcore_init(0, 0, 0);
	cpu_cr_init();
	sclp_console_init();
	extable_init();
	facilities_init();
	setup_args();
	sclp_read_info();
	setup_mem();
	mmu_init();
	smp_discover();
	smp_boot_secondaries();
	lib_run_main();
}

void s390x_secondary_main(int cpu)
{
	cpu_cr_init();
	mmu_cpu_init();
	smp_idle_loop(cpu);
}
