// SPDX-License-Identifier: MIT
/*
 * argv from the boot command line and the environment from a blob of
 * KEY=VALUE lines (an initrd, a multiboot module or an appended blob).
 * Both are copied into static storage so the loader's memory can be reused.
 */
#include "report.h"
#include "subtest.h"
#include "setup.h"

#define MAX_ARGS	64
#define MAX_ENV		256
#define ARGS_LEN	4096
#define ENV_LEN		16384

int __argc;
char **__argv;
char **environ;

static char args_buf[ARGS_LEN];
static char env_buf[ENV_LEN];
static char *argv_store[MAX_ARGS + 1];
static char *env_store[MAX_ENV + 1];

/* Split on blanks; "double quotes" group words; backslash escapes a char. */
static void split_args(const char *cmdline)
{
	char *out = args_buf, *end = args_buf + ARGS_LEN - 1;
	const char *p = cmdline ? cmdline : "";

	argv_store[__argc++] = (char *)"hvprobe";
	while (*p) {
		bool quoted = false;

		while (isspace(*p))
			p++;
		if (!*p)
			break;
		if (__argc == MAX_ARGS || out >= end)
			report_abort("command line too long (max %d args, %d bytes)", MAX_ARGS,
				     ARGS_LEN);
		argv_store[__argc++] = out;
		for (; *p && (quoted || !isspace(*p)); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (*p == '\\' && p[1])
				p++;
			if (out < end)
				*out++ = *p;
		}
		*out++ = 0;
	}
	argv_store[__argc] = NULL;
	__argv = argv_store;
}

static void split_env(const char *blob, size_t len)
{
	size_t n = 0, i = 0;

	if (len >= ENV_LEN)
		report_abort("environment blob of %zu bytes exceeds %d", len, ENV_LEN - 1);
	if (blob)
		memcpy(env_buf, blob, len);
	env_buf[len] = 0;
	while (i < len) {
		char *line = env_buf + i;
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = 0;
		i += strlen(line) + 1;
		if (!strchr(line, '='))
			continue;
		if (n == MAX_ENV)
			report_abort("more than %d environment variables", MAX_ENV);
		env_store[n++] = line;
	}
	env_store[n] = NULL;
	environ = env_store;
}

void setup_args_env(const char *cmdline, const char *env, size_t env_len)
{
	split_args(cmdline);
	split_env(env, env_len);
	if (getenv("HVPROBE_TEST"))
		argv_store[0] = (char *)getenv("HVPROBE_TEST");
}

/* The value of the first "@name=value" among the @n words of @list (n < 0: NULL-ended). */
static const char *lookup(char *const *list, int n, const char *name)
{
	size_t len = strlen(name);

	for (int i = 0; list && (n < 0 ? list[i] != NULL : i < n); i++)
		if (!strncmp(list[i], name, len) && list[i][len] == '=')
			return list[i] + len + 1;
	return NULL;
}

const char *getenv(const char *name)
{
	return lookup(environ, -1, name);
}

const char *arg_value(const char *key)
{
	return __argc > 1 ? lookup(__argv + 1, __argc - 1, key) : NULL;
}
