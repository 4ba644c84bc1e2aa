// SPDX-License-Identifier: MIT
/*
 * Flattened devicetree reader (Devicetree Specification v0.4, chapter 5).
 * The structure block is a stream of 4-byte aligned tokens; a node is the
 * offset of its BEGIN_NODE token, its properties come before its children
 * (5.4.2), and depth-first order is simply the order of BEGIN_NODE tokens.
 * Every read is bounded by the header's sizes, so a corrupt blob ends a
 * walk early instead of running off into memory.
 */
#include "devicetree.h"
#include "endian.h"
#include "setup.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

#define MAX_DEPTH	32

/* Header fields, in 32-bit words (5.2). */
enum { H_MAGIC, H_TOTALSIZE, H_OFF_STRUCT, H_OFF_STRINGS, H_OFF_RSVMAP, H_VERSION,
	H_LAST_COMP, H_BOOT_CPU, H_SIZE_STRINGS, H_SIZE_STRUCT };

static const uint8_t *blob;
static uint32_t total_size, struct_off, struct_size, strings_off, strings_size, rsvmap_off;

/* One aligned 32-bit load (the blob may be Device memory), then the byte order. */
static uint32_t be32(const void *p)
{
	return be32_to_cpu(*(const uint32_t *)p);
}

static uint32_t header(int field)
{
	return be32(blob + 4 * field);
}

int dt_init(const void *fdt)
{
	blob = fdt;
	if (!fdt || ((uintptr_t)fdt & 7) || header(H_MAGIC) != FDT_MAGIC ||
	    header(H_LAST_COMP) > 17 || header(H_VERSION) < 16)
		goto bad;
	total_size = header(H_TOTALSIZE);
	struct_off = header(H_OFF_STRUCT);
	struct_size = header(H_SIZE_STRUCT);
	strings_off = header(H_OFF_STRINGS);
	strings_size = header(H_SIZE_STRINGS);
	rsvmap_off = header(H_OFF_RSVMAP);
	if ((struct_off | struct_size | rsvmap_off) & 3 ||
	    (uint64_t)struct_off + struct_size > total_size ||
	    (uint64_t)strings_off + strings_size > total_size || rsvmap_off >= total_size)
		goto bad;
	return 0;
bad:
	blob = NULL;
	return -1;
}

const void *dt_blob(void)
{
	return blob;
}

size_t dt_blob_size(void)
{
	return blob ? total_size : 0;
}

/* The token at structure offset @off, or FDT_END past the block. */
static uint32_t token(int off)
{
	if (!blob || off < 0 || (uint32_t)off + 4 > struct_size)
		return FDT_END;
	return be32(blob + struct_off + off);
}

static const char *struct_str(int off)
{
	return (const char *)blob + struct_off + off;
}

/* Offset of the token after the one at @off, or -1 at the end or on corruption. */
static int next_token(int off)
{
	uint32_t len;

	switch (token(off)) {
	case FDT_BEGIN_NODE:
		len = strnlen(struct_str(off + 4), struct_size - off - 4);
		if (len == struct_size - off - 4)
			return -1;	/* the name runs off the block */
		return off + 4 + ALIGN_UP(len + 1, 4);
	case FDT_PROP:
		if ((uint32_t)off + 12 > struct_size)
			return -1;
		len = be32(blob + struct_off + off + 4);
		if (len > struct_size - off - 12)
			return -1;
		return off + 12 + ALIGN_UP(len, 4);
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

/* First token after @node's name that is not a NOP, skipping properties if @props. */
static int after_header(int node, bool props)
{
	int off = next_token(node);

	while (off >= 0 && (token(off) == FDT_NOP || (props && token(off) == FDT_PROP)))
		off = next_token(off);
	return off;
}

int dt_next_node(int node)
{
	int off = node < 0 ? 0 : next_token(node);

	while (off >= 0 && token(off) != FDT_BEGIN_NODE)
		off = next_token(off);
	return off;
}

int dt_first_child(int node)
{
	int off = after_header(node, true);

	return off >= 0 && token(off) == FDT_BEGIN_NODE ? off : -1;
}

int dt_next_sibling(int node)
{
	int depth = 0, off = node;

	/* Skip the whole subtree: the END_NODE that brings depth back to 0. */
	do {
		if (token(off) == FDT_BEGIN_NODE)
			depth++;
		else if (token(off) == FDT_END_NODE)
			depth--;
		off = next_token(off);
	} while (off >= 0 && depth > 0);
	while (off >= 0 && token(off) == FDT_NOP)
		off = next_token(off);
	return off >= 0 && token(off) == FDT_BEGIN_NODE ? off : -1;
}

int dt_parent(int node)
{
	int stack[MAX_DEPTH], depth = 0;

	for (int off = 0; off >= 0 && off <= node; off = next_token(off)) {
		if (token(off) == FDT_BEGIN_NODE) {
			if (off == node)
				return depth ? stack[depth - 1] : -1;
			if (depth == MAX_DEPTH)
				return -1;
			stack[depth++] = off;
		} else if (token(off) == FDT_END_NODE && depth) {
			depth--;
		}
	}
	return -1;
}

const char *dt_name(int node)
{
	return token(node) == FDT_BEGIN_NODE && next_token(node) >= 0 ? struct_str(node + 4) : "";
}

const void *dt_prop(int node, const char *name, int *len)
{
	if (token(node) != FDT_BEGIN_NODE)
		return NULL;
	for (int off = after_header(node, false); off >= 0 && token(off) != FDT_BEGIN_NODE &&
	     token(off) != FDT_END_NODE; off = next_token(off)) {
		uint32_t nameoff;
		const char *s;

		if (token(off) != FDT_PROP || next_token(off) < 0)
			continue;
		nameoff = be32(blob + struct_off + off + 8);
		s = (const char *)blob + strings_off + nameoff;
		if (nameoff >= strings_size || strncmp(s, name, strings_size - nameoff))
			continue;
		if (len)
			*len = (int)be32(blob + struct_off + off + 4);
		return blob + struct_off + off + 12;
	}
	return NULL;
}

bool dt_prop_cell(int node, const char *name, int i, uint32_t *val)
{
	int len;
	const uint8_t *p = dt_prop(node, name, &len);

	if (!p || len < 4 * (i + 1))
		return false;
	*val = be32(p + 4 * i);
	return true;
}

bool dt_prop_has(int node, const char *name, const char *str)
{
	int len;
	const char *p = dt_prop(node, name, &len);

	while (p && len > 0) {
		size_t n = strnlen(p, len);

		if (n < (size_t)len && !strcmp(p, str))
			return true;
		p += n + 1;
		len -= n + 1;
	}
	return false;
}

bool dt_is_compatible(int node, const char *compat)
{
	return dt_prop_has(node, "compatible", compat);
}

bool dt_is_enabled(int node)
{
	int len;
	const char *s = dt_prop(node, "status", &len);

	return !s || !strncmp(s, "okay", len) || !strncmp(s, "ok", len);
}

int dt_find_compatible(int from, const char *compat)
{
	for (int n = dt_next_node(from); n >= 0; n = dt_next_node(n))
		if (dt_is_compatible(n, compat) && dt_is_enabled(n))
			return n;
	return -1;
}

int dt_find_phandle(uint32_t phandle)
{
	for (int n = dt_next_node(-1); n >= 0; n = dt_next_node(n)) {
		uint32_t v;

		if (!dt_prop_cell(n, "phandle", 0, &v) && !dt_prop_cell(n, "linux,phandle", 0, &v))
			continue;
		if (v == phandle)
			return n;
	}
	return -1;
}

int dt_addr_cells(int node)
{
	uint32_t v;

	return node >= 0 && dt_prop_cell(node, "#address-cells", 0, &v) ? (int)v : 2;
}

int dt_size_cells(int node)
{
	uint32_t v;

	return node >= 0 && dt_prop_cell(node, "#size-cells", 0, &v) ? (int)v : 1;
}

uint64_t dt_read_cells(const void *p, int n)
{
	const uint8_t *b = p;
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | be32(b + 4 * i);
	return v;
}

int dt_reg(int node, int i, uint64_t *addr, uint64_t *size)
{
	int parent = dt_parent(node), len;
	int ac = dt_addr_cells(parent), sc = dt_size_cells(parent);
	const uint8_t *p = dt_prop(node, "reg", &len);
	int entry;

	if (!p || ac < 1 || ac > 2 || sc < 0 || sc > 2 || i < 0)
		return -1;
	entry = 4 * (ac + sc);
	if (len / entry <= i)
		return -1;
	p += entry * i;
	*addr = dt_read_cells(p, ac);
	*size = dt_read_cells(p + 4 * ac, sc);
	return 0;
}

/* Append every reg entry of @node to @r. */
static int add_regs(int node, struct mem_range *r, int n, int max)
{
	uint64_t addr, size;

	for (int i = 0; n < max && !dt_reg(node, i, &addr, &size); i++)
		if (size)
			r[n++] = (struct mem_range){ addr, addr + size };
	return n;
}

int dt_memory(struct mem_range *r, int max)
{
	int n = 0;

	for (int node = dt_next_node(-1); node >= 0; node = dt_next_node(node))
		if (dt_prop_has(node, "device_type", "memory") && dt_is_enabled(node))
			n = add_regs(node, r, n, max);
	return n;
}

int dt_reserved(struct mem_range *r, int max)
{
	const uint8_t *e = blob + rsvmap_off;
	int n = 0, node = dt_path("/reserved-memory");
	uint64_t start, end;

	if (!blob)
		return 0;
	/* (address, size) pairs of 64-bit numbers, ended by a zero size (5.3). */
	for (; e + 16 <= blob + total_size && n < max; e += 16) {
		uint64_t size = dt_read_cells(e + 8, 2);

		if (!size)
			break;
		start = dt_read_cells(e, 2);
		r[n++] = (struct mem_range){ start, start + size };
	}
	for (int c = node >= 0 ? dt_first_child(node) : -1; c >= 0; c = dt_next_sibling(c))
		n = add_regs(c, r, n, max);
	if (n < max)
		r[n++] = (struct mem_range){ (uintptr_t)blob, (uintptr_t)blob + total_size };
	if (n < max && dt_initrd(&start, &end) && end > start)
		r[n++] = (struct mem_range){ start, end };
	return n;
}

/* Child of @node named @name ("cpu@1"), or whose name before '@' is @name. */
static int child_named(int node, const char *name, size_t len)
{
	for (int c = dt_first_child(node); c >= 0; c = dt_next_sibling(c)) {
		const char *cn = dt_name(c);

		if (!strncmp(cn, name, len) && (cn[len] == 0 || (cn[len] == '@' &&
						  !memchr(name, '@', len))))
			return c;
	}
	return -1;
}

int dt_path(const char *path)
{
	int node = dt_next_node(-1);

	if (!blob || path[0] != '/')
		return -1;
	while (node >= 0 && *path) {
		size_t len;

		while (*path == '/')
			path++;
		len = strcspn(path, "/");
		if (len)
			node = child_named(node, path, len);
		path += len;
	}
	return node;
}

const char *dt_bootargs(void)
{
	int len;
	const char *s = dt_prop(dt_path("/chosen"), "bootargs", &len);

	return s && len > 0 && memchr(s, 0, len) ? s : NULL;
}

static bool chosen_number(const char *name, uint64_t *v)
{
	int len;
	const void *p = dt_prop(dt_path("/chosen"), name, &len);

	if (!p || (len != 4 && len != 8))
		return false;
	*v = dt_read_cells(p, len / 4);
	return true;
}

bool dt_initrd(uint64_t *start, uint64_t *end)
{
	return chosen_number("linux,initrd-start", start) &&
	       chosen_number("linux,initrd-end", end);
}

int dt_stdout(void)
{
	char name[128];
	int chosen = dt_path("/chosen"), len;
	const char *s = dt_prop(chosen, "stdout-path", &len);

	if (!s)
		s = dt_prop(chosen, "linux,stdout-path", &len);
	if (!s || len <= 0 || !memchr(s, 0, len))
		return -1;
	strlcpy(name, s, MIN(sizeof(name), strcspn(s, ":") + 1));
	if (name[0] != '/') {
		/* An alias (3.3): its value is the path. */
		s = dt_prop(dt_path("/aliases"), name, &len);
		if (!s || len <= 0 || !memchr(s, 0, len))
			return -1;
		strlcpy(name, s, sizeof(name));
	}
	return dt_path(name);
}

int dt_cpus(uint64_t *ids, int max)
{
	int cpus = dt_path("/cpus"), ac = dt_addr_cells(cpus), n = 0;

	if (cpus < 0 || ac < 1 || ac > 2)
		return 0;
	for (int c = dt_first_child(cpus); c >= 0; c = dt_next_sibling(c)) {
		const void *reg;
		int len;

		if (!dt_prop_has(c, "device_type", "cpu") || !dt_is_enabled(c))
			continue;
		reg = dt_prop(c, "reg", &len);
		if (!reg || len < 4 * ac)
			continue;
		if (n < max)
			ids[n] = dt_read_cells(reg, ac);
		n++;
	}
	return n;
}
