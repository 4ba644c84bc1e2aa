/* SPDX-License-Identifier: MIT */
/*
 * The entry point of every nested guest (nested.h): both families' guests
 * start here, at CPL0 in long mode on a stack of their own.
 */

	.text
/*
 * nested_guest_entry
 * in:  rdi = arg, rsi = fn, rdx = the family's hypercall loop, RSP 16-byte
 *      aligned (the top of the guest's stack)
 * out: calls fn(arg) as if from the hypercall loop, so that fn returns
 *      there: the guest then stops with VMMCALL or VMCALL, again and again
 *      if resumed
 * clobbers: rbp (zero: the end of a backtrace)
 */
	.globl nested_guest_entry
nested_guest_entry:
	xor %ebp, %ebp
	push %rdx
	jmp *%rsi
