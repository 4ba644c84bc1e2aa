// SPDX-License-Identifier: MIT
/*
 * Shell-style pattern matching, used to pick subtests and tests by name.
 * '*' matches any run of characters (including none), '?' any single one,
 * '[...]' one of a set ('a-z' ranges, '!' or '^' first to negate, ']' first
 * to include it), and '\' takes the next character literally. A '[' with no
 * closing ']' is an ordinary character. The whole string must match.
 */
#include "libc.h"

/* Take one possibly escaped character of a class; @p is not at the end. */
static unsigned char class_char(const char **p)
{
	if (**p == '\\' && (*p)[1])
		(*p)++;
	return (unsigned char)*(*p)++;
}

/*
 * Match @c against the class whose body starts at @p (just past '[').
 * Return: the pattern just past the closing ']', or NULL if there is none.
 */
static const char *match_class(const char *p, unsigned char c, bool *matched)
{
	const char *first;
	bool negate = false, hit = false;

	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	first = p;
	while (*p && (*p != ']' || p == first)) {
		unsigned char lo = class_char(&p), hi = lo;

		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			hi = class_char(&p);
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	if (*p != ']')
		return NULL;
	*matched = hit != negate;
	return p + 1;
}

/* Does the one-character element at *@pp (not '*', not end) match @c? Steps past it. */
static bool match_one(const char **pp, char c)
{
	const char *p = *pp;
	bool matched = false;

	switch (*p) {
	case '?':
		*pp = p + 1;
		return true;
	case '[': {
		const char *next = match_class(p + 1, (unsigned char)c, &matched);

		if (next) {
			*pp = next;
			return matched;
		}
		break;
	}
	case '\\':
		if (p[1])
			p++;
		break;
	}
	*pp = p + 1;
	return *p == c;
}

/**
 * glob_match() - match a whole string against a shell-style pattern
 * @pattern: pattern with '*', '?', '[...]' and '\' escapes
 * @str: string to test
 *
 * On a mismatch only the most recent '*' is retried one character further:
 * an earlier '*' could only absorb what the later one can, so this never
 * misses a match and runs in O(strlen(pattern) * strlen(str)).
 *
 * Return: true if all of @str matches all of @pattern.
 */
bool glob_match(const char *pattern, const char *str)
{
	const char *p = pattern, *star_p = NULL, *star_s = NULL;

	while (*str) {
		if (*p == '*') {
			star_p = ++p;
			star_s = str;
			continue;
		}
		if (*p && match_one(&p, *str)) {
			str++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		str = ++star_s;
	}
	while (*p == '*')
		p++;
	return !*p;
}
