// SPDX-License-Identifier: MIT
/*
 * Boot CPU setup after cstart64.S: console, arguments and environment from
 * the multiboot information, memory, descriptors, page tables, APIC, every
 * secondary CPU, then main().
 */
#include "alloc.h"
#include "asm/apic.h"
#include "asm/cr.h"
#include "asm/pit.h"
#include "asm/processor.h"
#include "extable.h"
#include "report.h"
#include "setup.h"
#include "x86.h"

/* Multiboot 1 information (only the fields used). */
struct mbi {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
} __packed;

struct mb_module {
	uint32_t start, end, string, reserved;
} __packed;

#define MBI_MEM		BIT(0)
#define MBI_CMDLINE	BIT(2)
#define MBI_MODS	BIT(3)

extern char __image_end[];
extern char bsp_ist[];	/* 3 * IST_SIZE, cstart64.S */

static void setup_from_mbi(const struct mbi *mbi)
{
	const char *cmdline = (mbi->flags & MBI_CMDLINE) ? (const char *)(uintptr_t)mbi->cmdline
							 : NULL;
	const char *env = NULL;
	size_t env_len = 0;

	/* Multiboot loaders put the image's own path first: skip it. */
	while (cmdline && *cmdline && *cmdline != ' ')
		cmdline++;

	if ((mbi->flags & MBI_MODS) && mbi->mods_count) {
		const struct mb_module *m = (const void *)(uintptr_t)mbi->mods_addr;

		env = (const char *)(uintptr_t)m->start;
		env_len = m->end - m->start;
	}
	setup_args_env(cmdline, env, env_len);
	if (!(mbi->flags & MBI_MEM))
		report_abort("multiboot information without memory size");
	phys_mem_end = 0x100000 + (uintptr_t)mbi->mem_upper * 1024;
}

/* SSE on (the ABI and tests expect it), x87 exceptions native. */
static void setup_cr(void)
{
	write_cr0((read_cr0() & ~X86_CR0_EM) | X86_CR0_MP | X86_CR0_NE);
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}

/*
 * Mask both 8259s: firmware may leave the PIT's IRQ0 enabled at vector 8,
 * which the first STI would deliver as a bogus #DF.
 */
static void pic_mask_all(void)
{
	outb(0xff, 0x21);
	outb(0xff, 0xa1);
}

void x86_setup(const struct mbi *mbi)
{
	serial_init();
	pic_mask_all();
	pit_init();
	extable_init();
	x86_cpus[0].ist_stacks = bsp_ist;
	x86_idt_init();
	x86_cpu_init(0);
	setup_cr();
	/* Arguments first: the loader put them in memory the allocator gets. */
	setup_from_mbi(mbi);
	console_from_env();
	page_alloc_init((uintptr_t)__image_end, phys_mem_end);
	smp_discover();
	mmu_init();
	apic_enable();
	smp_boot_secondaries();
	lib_run_main();
}

void x86_ap_setup(void)
{
	setup_cr();
}
