/* SPDX-License-Identifier: MIT */
/*
 * The contract every port (lib/<arch>/) implements. Common code in lib/
 * calls only these; a port that misses one fails at link time.
 */
#ifndef LIB_ARCH_H
#define LIB_ARCH_H

#include "libc.h"
#include "exinfo.h"

/*
 * Console: write bytes to the port's console (already serialised by lib),
 * one call per printf; a port writes them with as few VM exits as it can.
 */
void arch_console_write(const char *s, size_t len);

/* Leave the VM with @status after lib printed SUMMARY and EXIT. */
void __noreturn arch_exit(int status);

/* A short pause for spin loops (PAUSE, YIELD, ...). */
void arch_cpu_relax(void);

/*
 * Enable interrupts and wait for one, atomically (x86 STI;HLT): a kick sent
 * after the caller checked its condition with interrupts off still wakes it.
 * Returns with interrupts enabled, any pending one taken. May return early.
 */
void arch_cpu_wait(void);
void arch_irq_disable(void);
void arch_irq_enable(void);
/* Whether this CPU takes interrupts now (x86 RFLAGS.IF, arm64 PSTATE.I clear). */
bool arch_irqs_enabled(void);

/*
 * Wake @cpu from arch_cpu_wait(): an IPI (x86 fixed vector KICK_VECTOR,
 * arm64 SGI GIC_SGI_KICK), whose handler (lib's own, whatever handlers a test
 * installed) calls smp_kick_received() on @cpu when it takes the kick; a
 * port whose kick is no interrupt (arm64 SEV) calls it for @cpu before
 * waking it. lib sends one only to a CPU sleeping in lib/smp.c.
 */
void arch_cpu_kick(int cpu);

/*
 * Decode @ex (see exinfo.h) into @buf: "#GP(0x0)", "ESR.EC=0x18", ...
 * Returns @buf.
 */
char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len);

/*
 * Trap on purpose (x86 UD2, arm64 BRK at this function): the port's
 * exception path recognises it and calls abort_dump() with the registers,
 * so report_abort() and assert() show registers and a backtrace.
 */
void __noreturn arch_abort_trap(void);

/*
 * One step of a backtrace (lib/setup.c): from the frame @fp of a function,
 * return its caller's frame and put in *@ret the address the function
 * returns to, or 0 when there is none to trust. lib has checked that @fp is
 * 8-byte aligned RAM above page 0. x86_64 and arm64: [fp] is the caller's
 * frame, [fp + 8] the return address; riscv64: the same pair 16 bytes below
 * fp; s390x: the back chain, and the caller's frame holds the saved r14.
 */
uintptr_t arch_frame_caller(uintptr_t fp, uintptr_t *ret);

/* Dump the register state of an unexpected exception frame. */
struct ex_regs;
void arch_dump_regs(const struct ex_regs *regs);

/* Busy-wait at least @us microseconds (x86: PIT channel 2; arm64: counter). */
void udelay(unsigned long us);

/* Number of this CPU, 0 .. cpu_count() - 1. */
int smp_id(void);

#endif
