// SPDX-License-Identifier: MIT
/*
 * The console: SBI DBCN debug_console_write (SBI v2.0 chapter 12) when the
 * firmware has it, one call per printf, else the devicetree's ns16550
 * (/chosen stdout-path; "ns16550a" binding: reg-shift, reg-io-width). The
 * exit of the result protocol (docs/result-protocol.md): SBI SRST shutdown,
 * else the sifive,test0 finisher, else the legacy SBI shutdown. And the
 * small arch hooks lib/ calls.
 */
#include "arch.h"
#include "asm/io.h"
#include "asm/processor.h"
#include "devicetree.h"
#include "riscv64.h"
#include "sbi.h"
#include "timer.h"

#define UART_THR	0
#define UART_FCR	2
#define UART_LSR	5
#define  UART_LSR_THRE	(1U << 5)
#define  UART_LSR_TEMT	(1U << 6)
#define UART_FIFO	16	/* 16550A transmit FIFO */

#define FINISHER_PASS	0x5555	/* sifive,test0: power off, QEMU exits 0 */

static uintptr_t uart;
static unsigned int uart_shift, uart_width = 1;
static bool use_dbcn;

static unsigned int uart_read(unsigned int reg)
{
	uintptr_t a = uart + (reg << uart_shift);

	return uart_width == 4 ? readl(a) : readb(a);
}

static void uart_write(unsigned int reg, unsigned int v)
{
	uintptr_t a = uart + (reg << uart_shift);

	if (uart_width == 4)
		writel(v, a);
	else
		writeb(v, a);
}

void console_init(void)
{
	int node = dt_stdout();
	uint64_t base, size;
	uint32_t v;

	use_dbcn = sbi_has(SBI_EXT_DBCN);
	if (node < 0 || !(dt_is_compatible(node, "ns16550a") || dt_is_compatible(node, "ns16550")))
		node = dt_find_compatible(-1, "ns16550a");
	if (node < 0)
		node = dt_find_compatible(-1, "ns16550");
	if (node < 0 || dt_reg(node, 0, &base, &size))
		return;
	if (dt_prop_cell(node, "reg-shift", 0, &v))
		uart_shift = v;
	if (dt_prop_cell(node, "reg-io-width", 0, &v))
		uart_width = v;
	uart = base;
	/* FIFOs on: the firmware set the line up (its banner went out this way). */
	uart_write(UART_FCR, 1);
}

/* DBCN takes a physical address: identity-mapped memory (SBI v2.0 12.1). */
static void dbcn_write(const char *s, size_t len)
{
	while (len) {
		struct sbiret r = sbi_ecall(SBI_EXT_DBCN, SBI_DBCN_WRITE, len, (uintptr_t)s, 0, 0,
					    0, 0);

		if (r.error || !r.value || (size_t)r.value > len)
			return;
		s += r.value;
		len -= r.value;
	}
}

void arch_console_write(const char *s, size_t len)
{
	if (use_dbcn) {
		dbcn_write(s, len);
		return;
	}
	if (!uart)
		return;
	while (len) {
		size_t n = MIN(len, (size_t)UART_FIFO);

		/*
		 * THRE: the FIFO is empty, room for 16 bytes: one status read
		 * per burst, each an exit under a VMM. Bounded, so a broken
		 * UART cannot hang us.
		 */
		for (int spin = 0; spin < 100000 && !(uart_read(UART_LSR) & UART_LSR_THRE); spin++)
			arch_cpu_relax();
		for (size_t i = 0; i < n; i++)
			uart_write(UART_THR, (unsigned char)s[i]);
		s += n;
		len -= n;
	}
}

static void finisher_exit(void)
{
	static const char *const compat[] = { "sifive,test1", "sifive,test0" };
	uint64_t base, size;

	for (size_t i = 0; i < ARRAY_SIZE(compat); i++) {
		int node = dt_find_compatible(-1, compat[i]);

		if (node >= 0 && !dt_reg(node, 0, &base, &size))
			writel(FINISHER_PASS, base);
	}
}

/* The status travels in the EXIT: line; the VM just ends (QEMU exits 0 either way). */
void arch_exit(int status)
{
	/* Let the EXIT line leave the transmitter before the VM goes away. */
	for (int spin = 0; uart && spin < 1000000 && !(uart_read(UART_LSR) & UART_LSR_TEMT);
	     spin++)
		arch_cpu_relax();
	if (sbi_has(SBI_EXT_SRST))
		sbi_system_reset(SBI_SRST_SHUTDOWN, SBI_SRST_NO_REASON);
	finisher_exit();
	sbi_legacy_ecall(SBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0);
	for (;;) {
		local_irq_disable();
		wfi();
	}
}

void arch_cpu_relax(void)
{
	cpu_pause();
}

/*
 * The kick is a supervisor software interrupt (smp.c). WFI resumes when an
 * interrupt enabled in sie is pending, whatever sstatus.SIE says
 * (privileged architecture 3.3.3, 4.1.3), so a kick that arrives after the
 * caller's check is not lost: it is taken once SIE is set below.
 */
void arch_cpu_wait(void)
{
	wfi();
	local_irq_enable();
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
