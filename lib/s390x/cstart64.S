/* SPDX-License-Identifier: MIT */
/*
 * s390x entry. QEMU's -kernel loads the ELF image at its addresses and
 * starts CPU 0 at e_entry (_start, 0x10000) with PSW mask
 * 0x0000000180000000: 64-bit addressing, DAT off, every interruption masked,
 * prefix 0; the other CPUs are stopped. Because the entry is 0x10000, QEMU
 * copies the -append command line to 0x10480 and writes the -initrd start
 * and size to 0x10408 and 0x10410: the image keeps 0x10400-0x107ff as that
 * parameter area (docs/runner.md, "QEMU per arch").
 *
 * Secondaries enter at secondary_entry through their restart-new PSW
 * (SIGP RESTART, smp.c): DAT off, masked, the lowcore's LC_STACK_TOP and
 * LC_CPU_NR set by the boot CPU.
 */
#include "asm/lowcore.h"

	.section .head, "ax"
	.globl	_start
_start:
	jg	primary_entry

	/* QEMU's parameter area; .data so that it is in the loaded file. */
	.section .parmarea, "aw"
	.globl	s390x_parmarea
s390x_parmarea:
	.fill	0x400, 1, 0

	.text
primary_entry:
	larl	%r15, boot_stack_top
	/* Clear .bss: MVCLE with a zero-length source pads with zeros. */
	larl	%r2, __bss_start
	larl	%r3, __bss_end
	sgr	%r3, %r2
	lghi	%r4, 0
	lghi	%r5, 0
1:	mvcle	%r2, %r4, 0
	jo	1b
	aghi	%r15, -160
	xc	0(8, %r15), 0(%r15)
	lghi	%r14, 0
	brasl	%r14, s390x_setup
	j	park

	.globl	secondary_entry
secondary_entry:
	lg	%r15, LC_STACK_TOP
	aghi	%r15, -160
	xc	0(8, %r15), 0(%r15)
	lg	%r2, LC_CPU_NR
	lghi	%r14, 0
	brasl	%r14, s390x_secondary_main
park:
	/* Disabled wait: QEMU reports a guest crash (docs/runner.md). */
	larl	%r1, park_psw
	lpswe	0(%r1)

	.section .rodata
	.balign	8
park_psw:
	.quad	0x0002000180000000, 0x0000000000000bad

	.bss
	.balign	4096
boot_stack:
	.fill	16384, 1, 0
boot_stack_top:
