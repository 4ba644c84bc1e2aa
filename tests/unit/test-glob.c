// SPDX-License-Identifier: MIT
/*
 * glob_match() on a table of patterns, then against the host's fnmatch()
 * (flags 0, which has the same rules) on random patterns and strings.
 */
#include <fnmatch.h>

#include "unit.h"

struct glob_case {
	const char *pattern;
	const char *str;
	bool match;
};

static const struct glob_case cases[] = {
	{ "", "", true },
	{ "", "a", false },
	{ "a", "", false },
	{ "abc", "abc", true },
	{ "abc", "abcd", false },
	{ "abcd", "abc", false },
	{ "*", "", true },
	{ "*", "anything at all", true },
	{ "**", "x", true },
	{ "a*", "a", true },
	{ "a*", "abc", true },
	{ "a*", "ba", false },
	{ "*c", "abc", true },
	{ "*c", "abcd", false },
	{ "a*c", "ac", true },
	{ "a*c", "abbbc", true },
	{ "a*c", "abcbd", false },
	{ "a*b*c", "aXbYc", true },
	{ "a*b*c", "abcbc", true },
	{ "*a*a*a*a*", "banana", false },
	{ "*a*a*a*", "banana", true },
	{ "*a*a*", "banana", true },
	{ "*ana", "banana", true },
	{ "?", "", false },
	{ "?", "x", true },
	{ "?", "xy", false },
	{ "??", "xy", true },
	{ "a?c", "abc", true },
	{ "a?c", "ac", false },
	{ "*?", "", false },
	{ "*?", "a", true },
	{ "[abc]", "b", true },
	{ "[abc]", "d", false },
	{ "[abc]", "", false },
	{ "[a-z]", "m", true },
	{ "[a-z]", "M", false },
	{ "[a-cx-z]", "y", true },
	{ "[a-cx-z]", "m", false },
	{ "[!a-z]", "M", true },
	{ "[!a-z]", "m", false },
	{ "[^a]", "b", true },
	{ "[^a]", "a", false },
	{ "[]]", "]", true },
	{ "[]a]", "a", true },
	{ "[!]]", "]", false },
	{ "[!]]", "x", true },
	{ "[a-]", "-", true },
	{ "[-a]", "-", true },
	{ "[\\]]", "]", true },
	{ "[\\!]", "!", true },
	{ "[", "[", true },
	{ "[abc", "[abc", true },
	{ "[abc", "a", false },
	{ "a[", "a[", true },
	{ "\\*", "*", true },
	{ "\\*", "x", false },
	{ "\\?", "?", true },
	{ "\\?", "a", false },
	{ "\\[a]", "[a]", true },
	{ "\\a", "a", true },
	{ "\\", "\\", true },
	{ "a\\", "a\\", true },
	{ "*\\*", "abc*", true },
	{ "*\\*", "abc", false },
	{ "svm_*", "svm_npt", true },
	{ "svm_*", "vmx_ept", false },
	{ "*_intercept_*", "svm_cr_intercept_read", true },
	{ "pmu_[0-9]", "pmu_7", true },
	{ "pmu_[0-9]", "pmu_x", false },
	{ "/a/*", "/a/b/c", true },
	{ "*.c", ".c", true },
};

static void test_table(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct glob_case *c = &cases[i];

		CHECK(glob_match(c->pattern, c->str) == c->match,
		      "glob_match(\"%s\", \"%s\") should be %s", c->pattern, c->str,
		      c->match ? "true" : "false");
	}
}

static void random_text(char *s, size_t max, const char *alpha)
{
	size_t n = unit_below((unsigned int)max + 1), len = strlen(alpha);

	for (size_t i = 0; i < n; i++)
		s[i] = alpha[unit_below((unsigned int)len)];
	s[n] = '\0';
}

/*
 * fnmatch() with no flags follows the same rules, except that it treats
 * a pattern ending in a lone '\' as not matching; such patterns are skipped.
 */
static void test_random(void)
{
	char pat[16], str[16];

	for (int r = 0; r < 20000; r++) {
		size_t n;

		random_text(pat, 10, "ab*?*[]!-\\");
		random_text(str, 10, "ab[]!-\\");
		n = strlen(pat);
		if (n && pat[n - 1] == '\\')
			continue;
		CHECK(glob_match(pat, str) == !fnmatch(pat, str, 0),
		      "glob_match(\"%s\", \"%s\") = %d, fnmatch says %d", pat, str,
		      glob_match(pat, str), !fnmatch(pat, str, 0));
	}
}

int main(void)
{
	unit_seed(11);
	test_table();
	test_random();
	return unit_summary("unit-glob");
}
