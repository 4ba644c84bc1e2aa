/* SPDX-License-Identifier: MIT */
/* Internal interfaces between the files of the x86 port. */
#ifndef LIB_X86_X86_H
#define LIB_X86_X86_H

#include "libc.h"
#include "smp.h"

struct acpi_rsdp;

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

struct x86_cpu {
	uint32_t apic_id;
	uint64_t gdt[10];
	struct tss64 tss;
	uint64_t user_ret_rsp;
	void *user_stack;
	void *stack;		/* main stack (secondaries) */
	void *ist_stacks;	/* IST1..3, 4 KiB each */
	unsigned int boots;	/* times it entered x86_ap_main() */
	uint64_t *pml5;		/* the PML5 table of paging_la57_enter() */
};

#define STACK_SIZE	16384
#define IST_SIZE	4096

extern struct x86_cpu x86_cpus[MAX_CPUS];
extern uint64_t boot_pml4[];

void x86_cpu_init(int cpu);
void x86_idt_init(void);
void serial_init(void);
void console_from_env(void);
void mmu_init(void);
void x86_ap_setup(void);
void smp_discover(void);
void smp_boot_secondaries(void);
int x86_acpi_cpus(uint32_t *apic_ids, int max);
/* The RSDP x86_acpi_cpus() found (the search needs page 0, unmapped later). */
const struct acpi_rsdp *x86_acpi_rsdp(void);

#endif
