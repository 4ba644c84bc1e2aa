/* SPDX-License-Identifier: MIT */
/*
 * Read-only access to a flattened devicetree (Devicetree Specification
 * v0.4, chapter 5: header, memory reservation block, structure block of
 * BEGIN_NODE/PROP/END_NODE tokens, strings block). Nodes are named by
 * their offset in the structure block, an int >= 0; -1 means "none".
 *
 * Nothing here takes a lock, allocates or prints, so a port may call it
 * before its MMU and console are up. Every multi-byte value is read with
 * aligned 32-bit loads: the blob may sit in memory mapped as Device.
 */
#ifndef LIB_DEVICETREE_H
#define LIB_DEVICETREE_H

#include "libc.h"

#define FDT_MAGIC	0xd00dfeed

/**
 * dt_init() - use the blob at @fdt for every later call
 * Return: 0, or -1 when the header is not a version 16/17 FDT.
 */
int dt_init(const void *fdt);

/* The blob and its size (totalsize), or NULL/0 before dt_init(). */
const void *dt_blob(void);
size_t dt_blob_size(void);

/* Node by absolute path ("/", "/chosen", "/cpus/cpu@1"); "name" matches "name@unit". */
int dt_path(const char *path);

/* Tree walking. dt_next_node(-1) is the root; then depth-first order. */
int dt_next_node(int node);
int dt_first_child(int node);
int dt_next_sibling(int node);
int dt_parent(int node);
const char *dt_name(int node);

/**
 * dt_prop() - a property's value
 * @node: the node
 * @name: property name
 * @len: if not NULL, receives the value's length in bytes
 * Return: the value (4-byte aligned, big-endian cells), or NULL when absent.
 */
const void *dt_prop(int node, const char *name, int *len);

/* Cell @i of property @name (big-endian converted); false when absent or short. */
bool dt_prop_cell(int node, const char *name, int i, uint32_t *val);

/* Whether a string-list property holds @str (compatible, device_type, ...). */
bool dt_prop_has(int node, const char *name, const char *str);
bool dt_is_compatible(int node, const char *compat);

/* True unless status is present and is neither "okay" nor "ok". */
bool dt_is_enabled(int node);

/* Next enabled node after @from (-1: from the start) that is compatible with @compat. */
int dt_find_compatible(int from, const char *compat);

/* Node whose "phandle" is @phandle, or -1. */
int dt_find_phandle(uint32_t phandle);

/* #address-cells / #size-cells a node gives its children (defaults 2 and 1). */
int dt_addr_cells(int node);
int dt_size_cells(int node);

/* Read @n (1 or 2) big-endian cells at @p as one number. */
uint64_t dt_read_cells(const void *p, int n);

/**
 * dt_reg() - entry @i of a node's reg, with its parent's cell sizes
 * Return: 0, or -1 when there is no such entry. Bus ranges are not applied.
 */
int dt_reg(int node, int i, uint64_t *addr, uint64_t *size);

struct mem_range;

/**
 * dt_memory() - the RAM ranges of the enabled device_type = "memory" nodes
 * Return: how many were stored in @r (at most @max).
 */
int dt_memory(struct mem_range *r, int max);

/**
 * dt_reserved() - ranges the OS must not reuse: the memory reservation
 * block, /reserved-memory children, the blob itself and the initrd.
 * Return: how many were stored in @r (at most @max).
 */
int dt_reserved(struct mem_range *r, int max);

/* /chosen bootargs, or NULL. */
const char *dt_bootargs(void);

/* /chosen linux,initrd-start and -end; false when absent. */
bool dt_initrd(uint64_t *start, uint64_t *end);

/* The node /chosen stdout-path names (a path or an alias, ":options" cut), or -1. */
int dt_stdout(void);

/**
 * dt_cpus() - the reg (hart ID, MPIDR affinity, ...) of each enabled
 * device_type = "cpu" child of /cpus, in tree order
 * Return: how many CPUs the tree lists (entries past @max are not stored).
 */
int dt_cpus(uint64_t *ids, int max);

#endif
