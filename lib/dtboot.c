// SPDX-License-Identifier: MIT
/* Boot from a devicetree: arguments, memory, the identity map (dtboot.h). */
#include "alloc.h"
#include "devicetree.h"
#include "dtboot.h"
#include "report.h"
#include "setup.h"
#include "vm.h"

void dt_setup_args(void)
{
	uint64_t start, end;
	const char *env = NULL;
	size_t len = 0;

	if (dt_initrd(&start, &end) && end > start) {
		env = (const char *)(uintptr_t)start;
		len = end - start;
	}
	setup_args_env(dt_bootargs(), env, len);
}

void dt_setup_memory(uintptr_t image_start, uintptr_t image_end)
{
	struct mem_range ram[16], resv[32];
	int nram = dt_memory(ram, ARRAY_SIZE(ram));
	int nresv = dt_reserved(resv, ARRAY_SIZE(resv) - 1);

	if (!nram)
		report_abort("the devicetree has no memory node");
	resv[nresv++] = (struct mem_range){ image_start, image_end };
	setup_memory(ram, nram, resv, nresv);
}

void idmap_range(pt_root_t root, uint64_t start, uint64_t end, unsigned int flags)
{
	start = ALIGN_DOWN(start, PAGE_SIZE);
	end = ALIGN_UP(end, PAGE_SIZE);
	if (end > start && pt_root_map(root, start, start, end - start, flags, false))
		report_abort("cannot map %#lx-%#lx", (unsigned long)start, (unsigned long)end);
}

static bool in_ram(const struct mem_range *ram, int n, uint64_t addr)
{
	for (int i = 0; i < n; i++)
		if (addr >= ram[i].start && addr < ram[i].end)
			return true;
	return false;
}

static void map_children(pt_root_t root, int node, const struct mem_range *ram, int nram,
			 unsigned int flags)
{
	if (dt_size_cells(node) == 0)	/* /cpus: reg is an ID, not memory */
		return;
	for (int c = dt_first_child(node); c >= 0; c = dt_next_sibling(c)) {
		uint64_t addr, size;
		int len;

		if (dt_prop_has(c, "device_type", "memory"))
			continue;
		for (int i = 0; !dt_reg(c, i, &addr, &size); i++)
			if (size && !in_ram(ram, nram, addr))
				idmap_range(root, addr, addr + size, flags);
		if (dt_prop(c, "ranges", &len) && len == 0)
			map_children(root, c, ram, nram, flags);
	}
}

void idmap_dt_devices(pt_root_t root, const struct mem_range *ram, int nram,
		      unsigned int flags)
{
	map_children(root, dt_path("/"), ram, nram, flags);
}
