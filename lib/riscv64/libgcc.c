// SPDX-License-Identifier: MIT
/*
 * The libgcc bit helpers gcc calls for __builtin_popcount/ctz/clz/bswap
 * on a hart without Zbb. Debian's riscv64 cross gcc ships libgcc for the
 * lp64d ABI only, which the linker refuses to mix with lib's lp64 objects
 * (arch.mk), so the port has its own. Branch-free SWAR forms: a loop could
 * be recognised by gcc as the very builtin and compiled into a call to
 * itself.
 */
#include "libc.h"

int __popcountdi2(uint64_t x);
int __popcountsi2(uint32_t x);
int __ctzdi2(uint64_t x);
int __ctzsi2(uint32_t x);
int __clzdi2(uint64_t x);
int __clzsi2(uint32_t x);
uint32_t __bswapsi2(uint32_t x);
uint64_t __bswapdi2(uint64_t x);

int __popcountdi2(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (x * 0x0101010101010101ULL) >> 56;
}

int __popcountsi2(uint32_t x)
{
	return __popcountdi2(x);
}

/* Undefined for 0, as the builtins are; the isolated lowest bit minus one is all ones below it. */
int __ctzdi2(uint64_t x)
{
	return __popcountdi2((x & -x) - 1);
}

int __ctzsi2(uint32_t x)
{
	return __ctzdi2(x);
}

/* Smear the highest set bit downwards; the zeros above it are what remains. */
int __clzdi2(uint64_t x)
{
	x |= x >> 1;
	x |= x >> 2;
	x |= x >> 4;
	x |= x >> 8;
	x |= x >> 16;
	x |= x >> 32;
	return 64 - __popcountdi2(x);
}

int __clzsi2(uint32_t x)
{
	return __clzdi2(x) - 32;
}

uint32_t __bswapsi2(uint32_t x)
{
	return x >> 24 | (x >> 8 & 0xff00) | (x << 8 & 0xff0000) | x << 24;
}

uint64_t __bswapdi2(uint64_t x)
{
	return (uint64_t)__bswapsi2(x) << 32 | __bswapsi2(x >> 32);
}
