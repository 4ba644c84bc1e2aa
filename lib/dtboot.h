/* SPDX-License-Identifier: MIT */
/*
 * Boot for ports that learn the machine from a devicetree (arm64,
 * riscv64): arguments and environment from /chosen, free memory from the
 * memory nodes, and the identity map of RAM ranges and of the registers of
 * every device outside RAM, through lib/vm.h on a root that need not be
 * live yet (riscv64's satp turns translation on with the root it names).
 * Any failure is a report_abort(): nothing can run without them.
 */
#ifndef LIB_DTBOOT_H
#define LIB_DTBOOT_H

#include "libc.h"
#include "vm.h"

struct mem_range;

/*
 * setup_args_env() from /chosen: bootargs (QEMU -append) and the initrd
 * (QEMU -initrd, linux,initrd-start/end) as the environment blob.
 */
void dt_setup_args(void);

/* setup_memory() of the memory nodes minus dt_reserved() and [@image_start, @image_end). */
void dt_setup_memory(uintptr_t image_start, uintptr_t image_end);

/**
 * idmap_range() - identity-map [@start, @end) in @root, widened to whole pages
 * @flags: PT_* bits
 */
void idmap_range(pt_root_t root, uint64_t start, uint64_t end, unsigned int flags);

/**
 * idmap_dt_devices() - identity-map in @root the reg ranges of the
 * devicetree's nodes that lie outside RAM, with @flags
 * @ram: the RAM ranges (dt_memory())
 * @nram: how many
 *
 * Walks the root's children and, through buses whose empty "ranges" says
 * child addresses are parent addresses (DT spec 2.3.8), theirs; buses that
 * translate are left out, and so are /cpus (reg is an ID) and memory nodes.
 */
void idmap_dt_devices(pt_root_t root, const struct mem_range *ram, int nram,
		      unsigned int flags);

#endif
