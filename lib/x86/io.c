// SPDX-License-Identifier: MIT
/*
 * COM1 console, the exit sequence of DESIGN §2, PIT-based delays and the
 * small arch hooks lib/ calls.
 */
#include "arch.h"
#include "asm/apic.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "x86.h"

#define COM1		0x3f8
#define PIT_CH2		0x42
#define PIT_CMD		0x43
#define PIT_GATE	0x61
#define PIT_HZ		1193182UL

void serial_init(void)
{
	/* Firmware may leave another format (Bochs' BIOS: 5 data bits). */
	outb(0x00, COM1 + 1);	/* no interrupts */
	outb(0x80, COM1 + 3);	/* DLAB */
	outb(0x01, COM1 + 0);	/* divisor 1: 115200 baud */
	outb(0x00, COM1 + 1);
	outb(0x03, COM1 + 3);	/* 8N1 */
	outb(0xc7, COM1 + 2);	/* FIFOs on and cleared */
	outb(0x03, COM1 + 4);	/* DTR, RTS */
}

void arch_console_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		/* Bounded wait for THR empty, so a broken UART cannot hang us. */
		for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++)
			pause();
		outb(s[i], COM1);
	}
}

void arch_exit(int status)
{
	static const char shutdown[] = "Shutdown";
	struct {
		uint16_t limit;
		uint64_t base;
	} __packed null_idt = { 0, 0 };

	/*
	 * Drain the UART first (LSR.TEMT): Bochs ends the run with bytes
	 * still in the transmitter lost, EXIT line included.
	 */
	for (int spin = 0; spin < 1000000 && !(inb(COM1 + 5) & 0x40); spin++)
		pause();
	/* QEMU isa-debug-exit: the process exits with (status << 1) | 1. */
	outl(status, 0xf4);
	/* Bochs: the string "Shutdown" on port 0x8900 ends the simulation. */
	for (size_t i = 0; i < sizeof(shutdown) - 1; i++)
		outb(shutdown[i], 0x8900);
	/* i8042 reset line. */
	outb(0xfe, 0x64);
	/* Last resort: a triple fault. */
	asm volatile("lidt %0; int3" : : "m"(null_idt));
	for (;;)
		asm volatile("cli; hlt");
}

void arch_cpu_relax(void)
{
	pause();
}

void arch_cpu_wait(void)
{
	safe_halt();
}

void arch_irq_disable(void)
{
	irq_disable();
}

void arch_irq_enable(void)
{
	irq_enable();
}

bool arch_irqs_enabled(void)
{
	return read_rflags() & X86_EFLAGS_IF;
}

void arch_cpu_kick(int cpu)
{
	apic_icr_write(APIC_DM_FIXED | APIC_INT_ASSERT | KICK_VECTOR, x86_cpus[cpu].apic_id);
}

/*
 * Each CPU loads its own GDT, x86_cpus[cpu].gdt (desc.c): SGDT names the CPU
 * without the VM exit of CPUID. Before that, or while a test runs on a GDT
 * of its own, the initial APIC ID from CPUID leaf 1 does.
 */
int smp_id(void)
{
	struct desc_ptr gdtr;
	uintptr_t off;
	uint32_t id;

	asm volatile("sgdt %0" : "=m"(gdtr));
	off = gdtr.base - (uintptr_t)x86_cpus[0].gdt;
	if (gdtr.base >= (uintptr_t)x86_cpus[0].gdt && off % sizeof(struct x86_cpu) == 0 &&
	    off / sizeof(struct x86_cpu) < (uintptr_t)cpu_count())
		return off / sizeof(struct x86_cpu);
	id = cpuid(1).b >> 24;
	for (int i = 0; i < cpu_count(); i++)
		if (x86_cpus[i].apic_id == id)
			return i;
	return 0;
}

/* Busy-wait on PIT channel 2 in mode 0; OUT2 (port 0x61 bit 5) rises at 0. */
void udelay(unsigned long us)
{
	while (us) {
		unsigned long chunk = MIN(us, 50000UL);
		unsigned long count = chunk * PIT_HZ / 1000000 + 1;

		outb((inb(PIT_GATE) & ~0x02) | 0x01, PIT_GATE);
		outb(0xb0, PIT_CMD);
		outb(count & 0xff, PIT_CH2);
		outb(count >> 8, PIT_CH2);
		while (!(inb(PIT_GATE) & 0x20))
			pause();
		us -= chunk;
	}
}
