// SPDX-License-Identifier: MIT
/*
 * printf and friends on top of the port's console. Each call formats into a
 * local buffer and hands it to arch_console_write() once, under one lock:
 * lines from several CPUs never interleave (lib prints every line with one
 * printf), a port can write the buffer with one VM exit (x86 debug console),
 * and nothing is held back, so a crash loses no output.
 */
#include "arch.h"
#include "spinlock.h"

#define CONSOLE_BUF 1024

static struct spinlock console_lock;

static void console_put(const char *s, size_t len)
{
	spin_lock(&console_lock);
	arch_console_write(s, len);
	spin_unlock(&console_lock);
}

int vprintf(const char *fmt, va_list ap)
{
	char buf[CONSOLE_BUF];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf)) {
		/* Truncated: say so rather than silently losing the tail. */
		memcpy(buf + sizeof(buf) - 5, "...\n", 5);
		n = sizeof(buf) - 1;
	}
	console_put(buf, n);
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	return printf("%s\n", s);
}
