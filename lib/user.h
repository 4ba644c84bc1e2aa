/* SPDX-License-Identifier: MIT */
/*
 * Code at the least privileged level: x86 CPL3, arm64 EL0, riscv64 U-mode.
 * Every port implements run_in_user() (lib/x86/usermode.c, lib/arm64/user.c,
 * lib/riscv64/user.c).
 */
#ifndef LIB_USER_H
#define LIB_USER_H

#include <stdint.h>

/**
 * run_in_user() - call @fn(@arg) at user level on a private per-CPU stack
 * and return its result
 *
 * The image's code is executable and its data, bss, heap and stacks are
 * readable and writable at user level; the console is not (no printf, no
 * report from @fn: return a value or an exinfo), nor are privileged
 * registers (arm64: no smp_id()).
 * An exception @fn raises inside an asm_safe()/ASM_TRY() block is fixed up
 * as at kernel level, and installed handlers see the others. @fn returns to
 * an instruction at a known address that raises an exception only lib
 * handles (x86: UD2, arm64: SVC), so a test's own handlers never see it.
 */
uint64_t run_in_user(uint64_t (*fn)(uint64_t), uint64_t arg);

#endif
