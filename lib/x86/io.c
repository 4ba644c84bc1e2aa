// SPDX-License-Identifier: MIT
/*
 * The console (COM1, or QEMU's isa-debugcon when the runner announces one),
 * the exit sequence of the result protocol
 * (docs/result-protocol.md), PIT-based delays and the small arch hooks
 * lib/ calls.
 *
 * Under a hypervisor every port access is a VM exit: the console writes a
 * whole buffer (a printf) with one REP OUTSB to the debug console, or 16
 * bytes per LSR check to COM1, where a byte used to cost a status read and
 * a data write.
 */
#include "arch.h"
#include "asm/apic.h"
#include "asm/cr.h"
#include "asm/desc.h"
#include "asm/pit.h"
#include "asm/processor.h"
#include "subtest.h"
#include "x86.h"

#define COM1		0x3f8
#define COM1_LSR	(COM1 + 5)
#define  LSR_THRE	0x20	/* transmit holding register (FIFO) empty */
#define  LSR_TEMT	0x40	/* transmitter empty */
#define UART_FIFO	16	/* 16550A transmit FIFO depth */
#define DEBUGCON	0xe9	/* QEMU isa-debugcon (and Bochs' port_e9_hack) */

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

static bool debugcon;

static void outsb(uint16_t port, const char *s, size_t len)
{
	asm volatile("rep outsb" : "+S"(s), "+c"(len) : "d"(port) : "memory");
}

/*
 * HVPROBE_CONSOLE=debugcon in the environment: the runner gave the guest an
 * isa-debugcon at port 0xe9 on the same output as COM1. A read of that port
 * returns 0xe9 (the device's readback value), which confirms it; anything
 * else keeps COM1.
 */
void console_from_env(void)
{
	const char *c = getenv("HVPROBE_CONSOLE");

	debugcon = c && !strcmp(c, "debugcon") && inb(DEBUGCON) == DEBUGCON;
}

void arch_console_write(const char *s, size_t len)
{
	if (debugcon) {
		outsb(DEBUGCON, s, len);
		return;
	}
	while (len) {
		size_t n = MIN(len, (size_t)UART_FIFO);

		/*
		 * THRE with the FIFOs on (serial_init()): the transmit FIFO is
		 * empty, room for 16 bytes. Bounded, so a broken UART cannot
		 * hang us.
		 */
		for (int spin = 0; spin < 100000 && !(inb(COM1_LSR) & LSR_THRE); spin++)
			pause();
		outsb(COM1, s, n);
		s += n;
		len -= n;
	}
	/*
	 * LSR.TEMT: all of it left the UART before we return, so a crash
	 * that ends the VMM right after (a triple fault under Bochs) loses none.
	 */
	for (int spin = 0; spin < 100000 && !(inb(COM1_LSR) & LSR_TEMT); spin++)
		pause();
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
	for (int spin = 0; spin < 1000000 && !(inb(COM1_LSR) & LSR_TEMT); spin++)
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

/*
 * PIT channel 0 as a free-running clock. Its interrupt goes nowhere (both
 * 8259s masked, LINT0 masked, IOAPIC pins masked) unless a test routes it.
 * Channel 2 and its gate at port 0x61 would need the PC speaker port, which
 * QEMU's microvm machine does not have.
 */
void pit_init(void)
{
	outb(PIT_CH0_MODE(2), PIT_CMD);
	outb(0, PIT_CH0);
	outb(0, PIT_CH0);
}

void pit_mode0(uint16_t count)
{
	outb(PIT_CH0_MODE(0), PIT_CMD);
	outb(count & 0xff, PIT_CH0);
	outb(count >> 8, PIT_CH0);
}

bool pit_out(void)
{
	outb(PIT_READBACK_STATUS_CH0, PIT_CMD);
	return inb(PIT_CH0) & PIT_STATUS_OUT;
}

uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(PIT_LATCH_CH0, PIT_CMD);
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return lo | hi << 8;
}

/* Busy-wait: sum the channel 0 counts gone by; a poll is far shorter than its period. */
void udelay(unsigned long us)
{
	uint64_t want = (uint64_t)us * PIT_HZ / 1000000 + 1, gone = 0;
	uint16_t last = pit_count();

	while (gone < want) {
		uint16_t now = pit_count();

		gone += (uint16_t)(last - now);
		last = now;
	}
}
