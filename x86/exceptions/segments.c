// SPDX-License-Identifier: MIT
/*
 * Selector faults through a private GDT (#NP, #SS, #GP with the selector
 * as error code), and where exception frames land: the current stack
 * aligned to 16 bytes at CPL0, TSS.RSP0 with a null SS from CPL3, IST1 for
 * a double fault. SDM vol. 3 3.4-3.5 (descriptors), 5.5-5.8 (privilege
 * checks), 6.13 (error code), 6.14.2-6.14.5 (64-bit frames, IST), table
 * 6-5 (double faults), 6.15 interrupts 8, 11, 12, 13; MOV/JMP/CALL/LTR/LLDT
 * pages of vol. 2. APM vol. 2 4.7-4.11, 8.4.1, 8.9.
 */
#include "exceptions.h"
#include "smp.h"

/* Extra descriptors after lib's ten. Base 0, limit 4 GiB, accessed bit set. */
#define SEL_DATA_NP	0x50	/* data, read/write, not present */
#define SEL_CODE_NP	0x58	/* 64-bit code, not present */
#define SEL_DATA_RO	0x60	/* data, read-only */
#define SEL_CODE_XO	0x68	/* 64-bit code, execute-only */
#define SEL_DATA_OK	0x70	/* data, read/write, DPL0 */
#define SEL_BEYOND	0xfff8	/* past the GDT limit */

static const uint64_t extra_desc[] = {
	0x00cf13000000ffffULL, 0x00af1b000000ffffULL, 0x00cf91000000ffffULL,
	0x00af99000000ffffULL, 0x00cf93000000ffffULL,
};

struct dt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static uint64_t gdt_copy[16] __aligned(16);

#define SEG_RESTORE	"mov $0x10, %eax; mov %eax, %ds; mov %eax, %es; mov %eax, %ss; " \
			"xor %eax, %eax; mov %eax, %fs; mov %eax, %gs"
#define FAR_PTR		"sub $16, %rsp; mov %edi, 4(%rsp); movl $0, (%rsp)"

STUB(seg_ds, "", "mov %edi, %ds", SEG_RESTORE);
STUB(seg_es, "", "mov %edi, %es", SEG_RESTORE);
STUB(seg_fs, "", "mov %edi, %fs", SEG_RESTORE);
STUB(seg_gs, "", "mov %edi, %gs", SEG_RESTORE);
STUB(seg_ss, "", "mov %edi, %ss", SEG_RESTORE);
STUB(seg_ljmp, FAR_PTR "; lea seg_ljmp_next(%rip), %rax; mov %eax, (%rsp)",
	"ljmpl *(%rsp)", "add $16, %rsp");
STUB(seg_lcall, FAR_PTR "; lea seg_lcall_next(%rip), %rax; mov %eax, (%rsp)",
	"lcall *(%rsp)", "add $16, %rsp");
STUB(seg_ltr, "", "ltr %di", "");
STUB(seg_lldt, "", "lldt %di", "");

STUB(frame_a, "", "ud2", "");
STUB(frame_b, "sub $8, %rsp", "ud2", "add $8, %rsp");
STUB(frame_df, "movabs $" NONCANONICAL ", %rax", "mov (%rax), %rcx", "");

#define SEG(s, sel, exp, m)	{ .msg = m, .stub = s, .insn = s##_insn, .next = s##_next, \
	.expect = exp, .trap = FAULT, .arg = ARG_VALUE, .value = sel }
#define NP(sel)		EXINFO(NP_VECTOR, sel)
#define GP(sel)		EXINFO(GP_VECTOR, sel)

static const struct probe seg_rows[] = {
	SEG(seg_ds, SEL_DATA_NP, NP(SEL_DATA_NP), "MOV to DS of a not-present segment: #NP(sel)"),
	SEG(seg_es, SEL_DATA_NP, NP(SEL_DATA_NP), "MOV to ES of a not-present segment: #NP(sel)"),
	SEG(seg_fs, SEL_DATA_NP, NP(SEL_DATA_NP), "MOV to FS of a not-present segment: #NP(sel)"),
	SEG(seg_gs, SEL_DATA_NP, NP(SEL_DATA_NP), "MOV to GS of a not-present segment: #NP(sel)"),
	SEG(seg_ss, SEL_DATA_NP, EXINFO(SS_VECTOR, SEL_DATA_NP),
	    "MOV to SS of a not-present segment: #SS(sel)"),
	SEG(seg_ss, SEL_DATA_RO, GP(SEL_DATA_RO), "MOV to SS of a read-only segment: #GP(sel)"),
	SEG(seg_ss, USER_DS, GP(USER_DS), "MOV to SS of a DPL3 segment at CPL0: #GP(sel)"),
	SEG(seg_ss, KERNEL_CS, GP(KERNEL_CS), "MOV to SS of a code segment: #GP(sel)"),
	SEG(seg_ds, SEL_CODE_XO, GP(SEL_CODE_XO),
	    "MOV to DS of an execute-only code segment: #GP(sel)"),
	SEG(seg_ds, TSS_SEL, GP(TSS_SEL), "MOV to DS of a TSS descriptor: #GP(sel)"),
	SEG(seg_ds, SEL_BEYOND, GP(SEL_BEYOND),
	    "MOV to DS of a selector past the GDT limit: #GP(sel)"),
	SEG(seg_fs, SEL_DATA_OK | 3, GP(SEL_DATA_OK),
	    "MOV to FS with RPL3 of a DPL0 segment: #GP with the RPL bits clear"),
	SEG(seg_ds, SEL_DATA_OK, NONE, "MOV to DS of a present writable data segment works"),
	SEG(seg_ds, KERNEL_CS, NONE, "MOV to DS of a readable code segment works"),
	SEG(seg_ds, 0, NONE, "MOV to DS of the null selector works"),
	SEG(seg_ljmp, 0, GP(0), "far JMP through a null selector: #GP(0)"),
	SEG(seg_ljmp, SEL_CODE_NP, NP(SEL_CODE_NP),
	    "far JMP to a not-present code segment: #NP(sel)"),
	SEG(seg_lcall, SEL_CODE_NP, NP(SEL_CODE_NP),
	    "far CALL to a not-present code segment: #NP(sel)"),
	SEG(seg_ltr, TSS_SEL, GP(TSS_SEL), "LTR of a busy TSS: #GP(sel)"),
	SEG(seg_ltr, KERNEL_DS, GP(KERNEL_DS), "LTR of a data segment: #GP(sel)"),
	SEG(seg_lldt, KERNEL_DS, GP(KERNEL_DS), "LLDT of a data segment: #GP(sel)"),
};

/* Load a copy of this CPU's GDT with the extra descriptors; restore with @saved. */
static void gdt_private(struct dt_ptr *saved)
{
	struct dt_ptr mine = { sizeof(gdt_copy) - 1, (uintptr_t)gdt_copy };

	asm volatile("sgdt %0" : "=m"(*saved));
	if (saved->limit + 1 > SEL_DATA_NP)
		report_abort("lib's GDT grew into the test's descriptors (limit %#x)",
			     saved->limit);
	memset(gdt_copy, 0, sizeof(gdt_copy));
	memcpy(gdt_copy, (void *)saved->base, saved->limit + 1);
	memcpy(&gdt_copy[SEL_DATA_NP / 8], extra_desc, sizeof(extra_desc));
	asm volatile("lgdt %0" : : "m"(mine) : "memory");
}

void segments(void)
{
	struct dt_ptr saved;

	gdt_private(&saved);
	probe_table(seg_rows, ARRAY_SIZE(seg_rows), 0);
	asm volatile("lgdt %0" : : "m"(saved) : "memory");
}

/* A #UD at CPL0 on a stack 8 or 0 mod 16: the frame starts at RSP rounded down to 16. */
static void frame_cpl0(const void *stub, const void *next, int pushed, const char *how)
{
	struct trace *t = run_stub(&(struct run){ .stub = stub, .resume = next });
	uint64_t rsp = t->call_rsp - 8 - pushed;

	report_eq_x(rsp & ~15UL, t->ev[0].frame_top,
		    "#UD at CPL0 with RSP %s: frame pushed below RSP aligned down to 16", how);
	report_eq_x(rsp, t->ev[0].rsp, "#UD at CPL0 with RSP %s: saved RSP is the old RSP", how);
	if (pushed)
		return;
	report_eq_x(KERNEL_CS, t->ev[0].cs, "#UD at CPL0: saved CS is the kernel code selector");
	report_eq_x(KERNEL_DS, t->ev[0].ss, "#UD at CPL0: saved SS is the kernel stack selector");
}

static void frame_cpl3(void)
{
	struct trace *t = run_stub(&(struct run){ .stub = frame_a, .user = true,
						   .resume = frame_a_next });

	report_eq_x(tss_rsp0(), t->ev[0].frame_top, "#UD at CPL3: frame pushed at TSS.RSP0");
	report_eq_x(t->call_rsp - 8, t->ev[0].rsp, "#UD at CPL3: saved RSP is the user RSP");
	report_eq_x(USER_CS | 3, t->ev[0].cs, "#UD at CPL3: saved CS is the user code selector");
	report_eq_x(USER_DS | 3, t->ev[0].ss, "#UD at CPL3: saved SS is the user stack selector");
	report_eq_x(0, t->ev[0].handler_ss, "#UD at CPL3: the handler runs with a null SS");
}

/* #GP through a not-present #GP gate: #NP while delivering #GP, a double fault. */
static void frame_double_fault(void)
{
	struct env_saved s;
	struct trace *t;

	env_apply(ENV_GP_NP, &s);
	t = run_stub(&(struct run){ .stub = frame_df, .resume = frame_df_next });
	env_restore(&s);
	report_exc(EXINFO(DF_VECTOR, 0), t->n ? t->ev[0].ex : 0,
		   "#GP with a not-present #GP gate escalates to #DF(0)");
	report_eq_x(tss_ist(IST_DF), t->ev[0].frame_top, "#DF frame is pushed at TSS.IST1");
	report_eq(1, t->n, "exactly one exception (#DF) reaches a handler");
}

static void frames_on_cpu(void *unused)
{
	frame_cpl0(frame_a, frame_a_next, 0, "as called");
	frame_cpl0(frame_b, frame_b_next, 8, "8 bytes lower");
	frame_cpl3();
	frame_double_fault();
}

void stack_frames(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		if (cpu_count() > 1)
			report_prefix_pushf("cpu%d", cpu);
		on_cpu(cpu, frames_on_cpu, NULL);
		if (cpu_count() > 1)
			report_prefix_pop();
	}
}
