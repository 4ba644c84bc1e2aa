// SPDX-License-Identifier: MIT
/*
 * The PL011 console (PrimeCell UART PL011 TRM, DDI 0183: UARTDR, UARTFR,
 * UARTCR), the exit of the result protocol (docs/result-protocol.md: PSCI
 * SYSTEM_OFF), counter delays and the small arch hooks lib/ calls.
 */
#include "arch.h"
#include "arm64.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "asm/timer.h"
#include "devicetree.h"
#include "gic.h"
#include "psci.h"

#define UARTDR		0x00
#define UARTFR		0x18
#define  UARTFR_BUSY	(1U << 3)
#define  UARTFR_TXFE	(1U << 7)
#define UARTLCR_H	0x2c
#define  UARTLCR_8N1F	0x70	/* WLEN 8 bits, FIFOs on */
#define  UARTLCR_FEN	(1U << 4)
#define PL011_FIFO	16	/* transmit FIFO depth: 16 bytes up to r1p4, 32 in r1p5 */
#define UARTCR		0x30
#define  UARTCR_EN	(1U << 0)
#define  UARTCR_TXE	(1U << 8)
#define  UARTCR_RXE	(1U << 9)

static uintptr_t uart;
static unsigned int tx_burst = 1;	/* bytes per TXFE check: the FIFO, if on */

/* The console: /chosen stdout-path if it is a PL011, else the first PL011. */
void uart_init(void)
{
	int node = dt_stdout();
	uint64_t base, size;

	if (node < 0 || !dt_is_compatible(node, "arm,pl011"))
		node = dt_find_compatible(-1, "arm,pl011");
	if (node < 0 || dt_reg(node, 0, &base, &size))
		return;
	uart = base;
	arm64_el2_uart = base;
	/* Firmware that left it off gets 8N1; the baud rate is the firmware's. */
	if (!(readl(uart + UARTCR) & UARTCR_EN)) {
		writel(UARTLCR_8N1F, uart + UARTLCR_H);
		writel(UARTCR_EN | UARTCR_TXE | UARTCR_RXE, uart + UARTCR);
	}
	if (readl(uart + UARTLCR_H) & UARTLCR_FEN)
		tx_burst = PL011_FIFO;
}

void arch_console_write(const char *s, size_t len)
{
	if (!uart)
		return;
	while (len) {
		size_t n = MIN(len, (size_t)tx_burst);

		/*
		 * TXFE: the transmit FIFO (or, FIFOs off, the holding register)
		 * is empty, room for tx_burst bytes: one status read per burst
		 * rather than per byte, each an exit under a VMM. Bounded, so a
		 * broken UART cannot hang us.
		 */
		for (int spin = 0; spin < 100000 && !(readl(uart + UARTFR) & UARTFR_TXFE); spin++)
			arch_cpu_relax();
		for (size_t i = 0; i < n; i++)
			writel((unsigned char)s[i], uart + UARTDR);
		s += n;
		len -= n;
	}
}

void arch_exit(int status)
{
	/* Let the EXIT line leave the transmitter before the VM goes away. */
	for (int spin = 0; uart && spin < 1000000 && (readl(uart + UARTFR) & UARTFR_BUSY); spin++)
		arch_cpu_relax();
	psci_system_off();
	psci_system_reset();
	for (;;) {
		local_irq_disable();
		wfi();
	}
}

void arch_cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

/*
 * The kick is an SGI (smp.c). WFI wakes on a pending interrupt even with
 * PSTATE.I set (Arm ARM D1.16.2), so a kick that arrives after the
 * caller's check is not lost: it is taken as soon as IRQs are unmasked
 * below. Without a GIC the kick is SEV, which sets the event register
 * that WFE then consumes, equally race-free.
 */
void arch_cpu_wait(void)
{
	dsb(sy);
	if (gic_version())
		wfi();
	else
		wfe();
	local_irq_enable();
	isb();
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
	return irqs_enabled();
}

void udelay(unsigned long us)
{
	uint64_t start = read_cntvct();
	uint64_t ticks = us * timer_freq() / 1000000;

	while (read_cntvct() - start < ticks)
		arch_cpu_relax();
}

void mdelay(unsigned long ms)
{
	udelay(ms * 1000);
}
