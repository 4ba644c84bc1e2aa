/* SPDX-License-Identifier: MIT */
/*
 * Interrupt handlers per vector, with what lib records of each delivery
 * (count per CPU, the interrupted RIP and RFLAGS, the ISR/IRR/TMR bits the
 * handler saw, a global order), and a bounded wait: an interrupt that does
 * not come is a FAIL naming the vector, the CPU and what its APIC held
 * pending, never a hang of the image.
 */
#ifndef LIB_X86_IRQ_H
#define LIB_X86_IRQ_H

#include "libc.h"
#include "smp.h"
#include "asm/desc.h"

/* irq_install() flags. */
#define IRQ_EOI		BIT(0)	/* write EOI after the callback returns */

/* What the handler saw at one delivery of a vector on one CPU. */
struct irq_event {
	uint64_t rip, rflags;	/* the interrupted context */
	uint64_t tsc;		/* at entry to the handler */
	uint64_t seq;		/* global delivery order, from 1 */
	bool isr, irr, tmr;	/* the vector's ISR, IRR and TMR bits on entry */
	int ppr;		/* PPR on entry */
};

/* Called on the CPU taking the interrupt, before lib's EOI (IRQ_EOI). */
typedef void (*irq_fn_t)(int vec, struct ex_regs *regs);

/* Most vectors installed at once. */
#define IRQ_SLOTS	24

/**
 * irq_install() - handle vector @vec (32..255) on every CPU: count and record
 * each delivery, call @fn (may be NULL), then EOI if @flags has IRQ_EOI.
 * Resets the vector's counts. Aborts when IRQ_SLOTS vectors are installed.
 */
void irq_install(int vec, irq_fn_t fn, unsigned int flags);
/* Give @vec back: a later delivery is an unexpected exception. */
void irq_uninstall(int vec);
/* Forget the deliveries of @vec on every CPU. */
void irq_reset(int vec);

/* Deliveries of @vec on @cpu since the last install or reset. */
unsigned int irq_count(int cpu, int vec);
/* Deliveries of @vec on every CPU. */
unsigned int irq_count_all(int vec);
/* The last delivery of @vec on @cpu (all zero before the first). */
struct irq_event irq_last(int cpu, int vec);

/*
 * Bound of every wait for an interrupt, in microseconds. An IPI or a due
 * timer interrupt reaches a running CPU at its next instruction boundary
 * (SDM 6.6, 11.6); a VMM needs the target vCPU scheduled to inject it. On
 * a host loaded with other VMs the scheduler leaves a runnable thread
 * waiting tens of milliseconds at worst (Linux CFS: a few latency periods
 * of 24 ms); under Bochs time is counted in instructions and the target
 * runs within a few. 1 s is ten times the worst of those and stays short
 * enough that a VMM losing interrupts costs seconds, not a timeout of the
 * whole image.
 */
#define IRQ_WAIT_US	1000000

/**
 * irq_wait() - on this CPU, with interrupts enabled, wait until it took
 * @vec @n times since its install or reset, at most IRQ_WAIT_US.
 * Return: true when it did. On a timeout this CPU's APIC state (IRR, ISR,
 * PPR) is kept for report_irq(). The interrupt flag is restored.
 */
bool irq_wait(int vec, unsigned int n);

/**
 * irq_wait_until() - like irq_wait() for a condition: until @done(@arg)
 * returns true, at most IRQ_WAIT_US, with interrupts enabled.
 */
bool irq_wait_until(bool (*done)(const void *arg), const void *arg);

/*
 * Spin with interrupts enabled for @us microseconds, so that anything
 * pending is taken: a check that an interrupt is NOT delivered waits this
 * long after its cause (the interrupt is in IRR by then, see each caller).
 */
void irq_settle(unsigned long us);

/**
 * irq_listen_start() - every other CPU but @skip (-1: none) takes
 * interrupts until irq_listen_stop(): each runs a job that halts with IF=1
 * (STI;HLT) in a loop, so an interrupt sent to it is taken (and recorded,
 * irq_install()) and costs nothing while none comes. A CPU waiting in
 * on_cpu() halts with IF=1 too (lib/smp.c), so it takes them as well.
 */
void irq_listen_start(int skip);

/**
 * irq_listen_stop() - end the listen jobs: each CPU is woken with a kick
 * (KICK_VECTOR) and keeps its APIC state (IRR, ISR, PPR) for report_irq().
 * A CPU that does not come back within IRQ_WAIT_US aborts the test.
 */
void irq_listen_stop(void);

/**
 * report_irq() - the check that @cpu took @vec exactly @n times.
 * On failure the detail names the vector, the CPU and, when that CPU's
 * irq_wait() timed out or it listened (irq_listen_stop()), the APIC state
 * it saw: "(expected 1 of vector 0x41 on CPU 2, got 0 in 1000 ms; IRR
 * 0x41, ISR none, PPR 0x00)".
 */
bool report_irq(int cpu, int vec, unsigned int n, const char *fmt, ...) __printf(4, 5);

/* This CPU's pending state as text: "IRR 0x41 0x50, ISR none, PPR 0x00". */
char *irq_state_str(char *buf, size_t len);

#endif
