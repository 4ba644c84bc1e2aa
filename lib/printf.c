// SPDX-License-Identifier: MIT
/*
 * vsnprintf() and snprintf(): the formatting half of printf, shared by the
 * console and by every message a test builds. C99 semantics for integers,
 * characters, strings and pointers; no floating point. Where C leaves the
 * output open (%p, NULL strings, '0' with %s) the output is glibc's, so host
 * unit tests can compare against the host's snprintf() byte for byte.
 */
#include "libc.h"

/* Where the characters go: a bounded buffer that still counts past its end. */
struct out {
	char *buf;
	size_t size;
	size_t pos;
};

/* One parsed conversion specification. */
struct spec {
	bool left;		/* '-' */
	bool zero;		/* '0' */
	bool alt;		/* '#' */
	bool plus;		/* '+' */
	bool space;		/* ' ' */
	int width;		/* 0 when absent */
	int prec;		/* -1 when absent */
	char len;		/* 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 0 int */
	char conv;
};

static void out_char(struct out *o, char c)
{
	if (o->pos + 1 < o->size)
		o->buf[o->pos] = c;
	o->pos++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/*
 * Bytes still free before the NUL. Copying up to it in one loop, rather than
 * testing the bound per character, keeps printf cheap where every guest
 * instruction costs (a hypervisor emulating guest kernel code).
 */
static size_t out_room(const struct out *o)
{
	return o->pos + 1 < o->size ? o->size - 1 - o->pos : 0;
}

static void out_mem(struct out *o, const char *s, size_t n)
{
	size_t copy = MIN(n, out_room(o));

	for (size_t i = 0; i < copy; i++)
		o->buf[o->pos + i] = s[i];
	o->pos += n;
}

/* Emit the NUL-terminated @s; return its length. */
static size_t out_str(struct out *o, const char *s)
{
	size_t room = out_room(o), n = 0;

	for (; s[n]; n++)
		if (n < room)
			o->buf[o->pos + n] = s[n];
	o->pos += n;
	return n;
}

/* Emit @n bytes of @s padded to the spec's width (strings and characters). */
static void out_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;

	if (!sp->left)
		out_repeat(o, ' ', pad);
	out_mem(o, s, n);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

/*
 * Emit an integer already split into sign/prefix and magnitude. The digits
 * come in with the precision rules applied here: an explicit precision of 0
 * and a value of 0 print no digits, '#' with 'o' forces a leading zero, and
 * '0' pads to the width only when no precision and no '-' were given.
 */
static void out_number(struct out *o, const struct spec *sp, const char *prefix,
		       unsigned long long v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int ndig = 0, zeros = 0, plen = 0, pad;

	while (v) {
		tmp[ndig++] = digits[v % base];
		v /= base;
	}
	if (ndig == 0 && sp->prec != 0)
		tmp[ndig++] = '0';
	if (sp->alt && base == 8 && (ndig == 0 || tmp[ndig - 1] != '0'))
		zeros = 1;
	if (sp->prec > ndig + zeros)
		zeros = sp->prec - ndig;

	while (prefix[plen])
		plen++;
	if (sp->zero && !sp->left && sp->prec < 0 && sp->width > plen + ndig + zeros)
		zeros = sp->width - plen - ndig;

	pad = sp->width - (plen + zeros + ndig);
	if (!sp->left)
		out_repeat(o, ' ', pad);
	out_mem(o, prefix, plen);
	out_repeat(o, '0', zeros);
	while (ndig)
		out_char(o, tmp[--ndig]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static long long fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H':
		return (signed char)va_arg(*ap, int);
	case 'h':
		return (short)va_arg(*ap, int);
	case 'l':
		return va_arg(*ap, long);
	case 'L':
		return va_arg(*ap, long long);
	case 'z':
	case 't':
		return va_arg(*ap, ptrdiff_t);
	case 'j':
		return va_arg(*ap, intmax_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case 'H':
		return (unsigned char)va_arg(*ap, unsigned int);
	case 'h':
		return (unsigned short)va_arg(*ap, unsigned int);
	case 'l':
		return va_arg(*ap, unsigned long);
	case 'L':
		return va_arg(*ap, unsigned long long);
	case 'z':
	case 't':
		return va_arg(*ap, size_t);
	case 'j':
		return va_arg(*ap, uintmax_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static const char *sign_prefix(const struct spec *sp, bool negative)
{
	if (negative)
		return "-";
	if (sp->plus)
		return "+";
	if (sp->space)
		return " ";
	return "";
}

static void conv_signed(struct out *o, const struct spec *sp, va_list *ap)
{
	long long v = fetch_signed(sp, ap);
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	out_number(o, sp, sign_prefix(sp, v < 0), mag, 10, false);
}

static void conv_unsigned(struct out *o, const struct spec *sp, va_list *ap)
{
	unsigned long long v = fetch_unsigned(sp, ap);
	const char *prefix = "";
	unsigned int base = 10;

	if (sp->conv == 'o') {
		base = 8;
	} else if (sp->conv == 'x' || sp->conv == 'X') {
		base = 16;
		if (sp->alt && v)
			prefix = sp->conv == 'x' ? "0x" : "0X";
	}
	out_number(o, sp, prefix, v, base, sp->conv == 'X');
}

/*
 * glibc prints a pointer as "%#lx" that still honours '+' and ' ', and a
 * NULL pointer as the string "(nil)", which no precision may cut short.
 */
static void conv_pointer(struct out *o, const struct spec *sp, va_list *ap)
{
	uintptr_t v = (uintptr_t)va_arg(*ap, void *);
	const char *prefix = sp->plus ? "+0x" : sp->space ? " 0x" : "0x";

	if (v)
		out_number(o, sp, prefix, v, 16, false);
	else
		out_padded(o, sp, "(nil)", 5);
}

/* glibc prints NULL as "(null)", or as nothing if the precision is too short. */
static void conv_string(struct out *o, const struct spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t n;

	if (!s)
		s = sp->prec < 0 || sp->prec >= 6 ? "(null)" : "";
	if (sp->prec < 0 && !sp->width) {
		out_str(o, s);	/* the common "%s": one pass */
		return;
	}
	n = sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec);
	out_padded(o, sp, s, n);
}

static void conv_char(struct out *o, const struct spec *sp, va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	out_padded(o, sp, &c, 1);
}

/* Read a decimal field; saturate rather than overflow. */
static int parse_int(const char **fmt)
{
	int v = 0;

	while (isdigit(**fmt)) {
		if (v <= (INT_MAX - 9) / 10)
			v = v * 10 + (**fmt - '0');
		(*fmt)++;
	}
	return v;
}

static void parse_flags(struct spec *sp, const char **fmt)
{
	for (;; (*fmt)++) {
		switch (**fmt) {
		case '-':
			sp->left = true;
			break;
		case '0':
			sp->zero = true;
			break;
		case '#':
			sp->alt = true;
			break;
		case '+':
			sp->plus = true;
			break;
		case ' ':
			sp->space = true;
			break;
		default:
			return;
		}
	}
}

static void parse_width_prec(struct spec *sp, const char **fmt, va_list *ap)
{
	if (**fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
		}
		(*fmt)++;
	} else {
		sp->width = parse_int(fmt);
	}
	if (**fmt != '.')
		return;
	(*fmt)++;
	if (**fmt == '*') {
		sp->prec = va_arg(*ap, int);
		if (sp->prec < 0)
			sp->prec = -1;
		(*fmt)++;
	} else {
		sp->prec = parse_int(fmt);
	}
}

static void parse_length(struct spec *sp, const char **fmt)
{
	char c = **fmt;

	if (c != 'h' && c != 'l' && c != 'z' && c != 'j' && c != 't')
		return;
	(*fmt)++;
	sp->len = c;
	if ((c == 'h' || c == 'l') && **fmt == c) {
		sp->len = c == 'h' ? 'H' : 'L';
		(*fmt)++;
	}
}

/* Handle one '%...' specification; @fmt points just past the '%'. */
static void format_one(struct out *o, const char **fmt, va_list *ap)
{
	const char *start = *fmt - 1;
	struct spec sp = { .prec = -1 };

	parse_flags(&sp, fmt);
	parse_width_prec(&sp, fmt, ap);
	parse_length(&sp, fmt);
	sp.conv = **fmt;
	if (sp.conv)
		(*fmt)++;

	switch (sp.conv) {
	case 'd':
	case 'i':
		conv_signed(o, &sp, ap);
		break;
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		conv_unsigned(o, &sp, ap);
		break;
	case 'p':
		conv_pointer(o, &sp, ap);
		break;
	case 's':
		conv_string(o, &sp, ap);
		break;
	case 'c':
		conv_char(o, &sp, ap);
		break;
	case '%':
		out_char(o, '%');
		break;
	default:
		/* Unknown or truncated: show it as written, it is a bug to spot. */
		out_mem(o, start, (size_t)(*fmt - start));
		break;
	}
}

/**
 * vsnprintf() - format into a bounded buffer
 * @buf: destination, may be NULL when @size is 0
 * @size: bytes available at @buf, including the terminating NUL
 * @fmt: format: %d %i %u %o %x %X %p %s %c %%, flags "-0#+ ", width and
 *       precision (also '*'), length modifiers hh h l ll z j t
 * @ap: arguments
 *
 * Return: the length the whole output would have, excluding the NUL, even
 * when it was cut short. @buf is NUL-terminated whenever @size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			size_t n = 1;

			while (fmt[n] && fmt[n] != '%')
				n++;
			out_mem(&o, fmt, n);
			fmt += n;
			continue;
		}
		fmt++;
		format_one(&o, &fmt, &args);
	}
	va_end(args);

	if (size)
		buf[o.pos < size ? o.pos : size - 1] = '\0';
	return o.pos > INT_MAX ? INT_MAX : (int)o.pos;
}

/**
 * snprintf() - format into a bounded buffer
 * @buf: destination, may be NULL when @size is 0
 * @size: bytes available at @buf, including the terminating NUL
 * @fmt: format, as for vsnprintf()
 *
 * Return: the length the whole output would have, excluding the NUL.
 */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
