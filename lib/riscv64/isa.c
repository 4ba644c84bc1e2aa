// SPDX-License-Identifier: MIT
/*
 * A hart's extensions as its devicetree node describes them (devicetree
 * binding riscv/cpus.yaml and riscv/extensions.yaml: the riscv,isa string,
 * "rv64" + single-letter extensions + "_"-separated multi-letter ones, or
 * the newer riscv,isa-extensions string list).
 */
#include "cpu.h"
#include "devicetree.h"
#include "riscv64.h"

int cpu_dt_node(int cpu)
{
	return riscv_cpu_node[cpu];
}

const char *isa_string(int cpu)
{
	const char *s = dt_prop(riscv_cpu_node[cpu], "riscv,isa", NULL);

	return s ? s : "";
}

static bool same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return false;
	return !b[n];
}

/* A multi-letter name in the "_"-separated tail, or a letter of the base. */
static bool in_isa_string(const char *s, const char *ext)
{
	size_t len = strlen(ext);
	const char *p;

	if (tolower(s[0]) != 'r' || tolower(s[1]) != 'v')
		return false;
	for (p = s + 2; isdigit(*p); p++)
		;
	if (len == 1) {
		for (; *p && *p != '_'; p++)
			if (tolower(*p) == tolower(ext[0]) ||
			    (tolower(*p) == 'g' && strchr("imafd", tolower(ext[0]))))
				return true;	/* "g" stands for imafd_zicsr_zifencei */
		return false;
	}
	while ((p = strchr(p, '_'))) {
		size_t n = strcspn(++p, "_");

		if (n == len && same(p, ext, n))
			return true;
	}
	return false;
}

bool isa_has(int cpu, const char *ext)
{
	int len, node = riscv_cpu_node[cpu];
	const char *list = dt_prop(node, "riscv,isa-extensions", &len);

	if (list) {
		for (const char *p = list; p < list + len; p += strlen(p) + 1)
			if (same(p, ext, strlen(p)))
				return true;
		return false;
	}
	return in_isa_string(isa_string(cpu), ext);
}
