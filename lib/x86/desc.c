// SPDX-License-Identifier: MIT
/*
 * GDT, TSS (with IST stacks for #DF, NMI and #MC) and IDT; the exception
 * dispatcher: asm_safe fixups, installed handlers, then the unexpected
 * exception report (registers and backtrace) that fails the test.
 */
#include "arch.h"
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/processor.h"
#include "extable.h"
#include "report.h"
#include "setup.h"
#include "x86.h"

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, reserved;
} __packed;

extern char x86_vector_stubs[];
extern char x86_user_return[], x86_user_ud2[];

struct x86_cpu x86_cpus[MAX_CPUS];
static struct idt_gate idt[256] __aligned(16);
static handler_t handlers[256];

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "#CSO", "#TS", "#NP",
	"#SS", "#GP", "#PF", "#15", "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "#22", "#23",
	"#24", "#25", "#26", "#27", "#HV", "#VC", "#SX", "#31",
};

bool x86_vector_has_error_code(int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30;
}

char *arch_exinfo_str(exinfo_t ex, char *buf, size_t len)
{
	unsigned int v = EXINFO_VEC(ex);

	if (!(ex & EXINFO_VALID))
		snprintf(buf, len, "no exception");
	else if (v >= 32)
		snprintf(buf, len, "vector %#x", v);
	else if (x86_vector_has_error_code(v))
		snprintf(buf, len, "%s(%#x)", vector_names[v], EXINFO_EC(ex));
	else
		snprintf(buf, len, "%s", vector_names[v]);
	return buf;
}

static void set_gate(int vec, int dpl, int ist)
{
	uintptr_t a = (uintptr_t)x86_vector_stubs + 16 * vec;

	idt[vec] = (struct idt_gate){
		.off0 = a, .sel = KERNEL_CS, .ist = ist, .type = 0x8e | dpl << 5,
		.off1 = a >> 16, .off2 = a >> 32,
	};
}

void idt_set_gate_dpl(int vec, int dpl)
{
	idt[vec].type = (idt[vec].type & ~0x60) | dpl << 5;
}

int idt_set_gate_ist(int vec, int ist)
{
	int old = idt[vec].ist & 7;

	idt[vec].ist = ist;
	return old;
}

/* run_at_cpl()'s way home: the UD2 at x86_user_ud2, executed at CPL 1 to 3. */
static bool user_return(struct ex_regs *r)
{
	struct x86_cpu *c;

	if (r->vector != UD_VECTOR || r->rip != (uintptr_t)x86_user_ud2 || !(r->cs & 3))
		return false;
	c = &x86_cpus[smp_id()];
	r->rax = r->rdi;
	r->rip = (uintptr_t)x86_user_return;
	r->cs = KERNEL_CS;
	r->ss = KERNEL_DS;
	r->rsp = c->user_ret_rsp;
	return true;
}

static void kick_handler(struct ex_regs *r)
{
	smp_kick_received(smp_id());
	apic_eoi();
}

static void spurious_handler(struct ex_regs *r)
{
}

void x86_idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	set_gate(DF_VECTOR, 0, IST_DF);
	set_gate(NMI_VECTOR, 0, IST_NMI);
	set_gate(MC_VECTOR, 0, IST_MC);
	/* INT3 and INTO are meant to be usable from CPL3, as in common OSes. */
	set_gate(BP_VECTOR, 3, 0);
	set_gate(OF_VECTOR, 3, 0);
	handlers[KICK_VECTOR] = kick_handler;
	handlers[SPURIOUS_VECTOR] = spurious_handler;
}

handler_t install_exception_handler(int vec, handler_t fn)
{
	return __atomic_exchange_n(&handlers[vec], fn, __ATOMIC_SEQ_CST);
}

/* A flat 4 GiB descriptor: @access_flags holds the access byte (DPL included) and flags. */
static uint64_t flat_seg(uint64_t access_flags)
{
	return 0x000000000000ffffULL | 0xfULL << 48 | access_flags;
}

/* Per-CPU GDT with its own TSS (the busy bit is per descriptor). */
void x86_cpu_init(int cpu)
{
	struct x86_cpu *c = &x86_cpus[cpu];
	uintptr_t tss = (uintptr_t)&c->tss;
	struct desc_ptr gdtr = { sizeof(c->gdt) - 1, (uintptr_t)c->gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	c->gdt[0] = 0;
	c->gdt[KERNEL_CS / 8] = flat_seg(0x00a09a0000000000ULL);
	c->gdt[KERNEL_DS / 8] = flat_seg(0x00c0920000000000ULL);
	c->gdt[USER_CS32 / 8] = flat_seg(0x00c0fa0000000000ULL);
	c->gdt[USER_DS / 8] = flat_seg(0x00c0f20000000000ULL);
	c->gdt[USER_CS / 8] = flat_seg(0x00a0fa0000000000ULL);
	c->gdt[TSS_SEL / 8] = (sizeof(c->tss) - 1) | (tss & 0xffffff) << 16 |
			      0x89ULL << 40 | (uint64_t)(tss >> 24 & 0xff) << 56;
	c->gdt[TSS_SEL / 8 + 1] = tss >> 32;
	c->gdt[KERNEL_CS32 / 8] = flat_seg(0x00c09a0000000000ULL);
	for (int i = 0; i < 3; i++)
		c->tss.ist[i] = (uintptr_t)c->ist_stacks + (i + 1) * IST_SIZE;
	c->tss.iomap_base = sizeof(c->tss);
	asm volatile("lgdt %0" : : "m"(gdtr));
	asm volatile("lidt %0" : : "m"(idtr));
	asm volatile("pushq %0; lea 1f(%%rip), %%rax; push %%rax; lretq; 1:"
		     : : "i"(KERNEL_CS) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(KERNEL_DS));
	asm volatile("ltr %w0" : : "r"(TSS_SEL));
}

/* Frame records: [fp] the caller's frame, [fp + 8] the return address. */
uintptr_t arch_frame_caller(uintptr_t fp, uintptr_t *ret)
{
	const uintptr_t *frame = (const uintptr_t *)fp;

	*ret = frame[1];
	return frame[0];
}

void arch_dump_regs(const struct ex_regs *r)
{
	printf("rax=%016lx rbx=%016lx rcx=%016lx rdx=%016lx\n"
	       "rsi=%016lx rdi=%016lx rbp=%016lx rsp=%016lx\n"
	       "r8 =%016lx r9 =%016lx r10=%016lx r11=%016lx\n"
	       "r12=%016lx r13=%016lx r14=%016lx r15=%016lx\n"
	       "rip=%016lx cs=%04lx rflags=%08lx ss=%04lx\n"
	       "cr0=%016lx cr2=%016lx cr3=%016lx cr4=%016lx\n",
	       r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp, r->rsp, r->r8, r->r9,
	       r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip, r->cs, r->rflags, r->ss,
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void unexpected(struct ex_regs *r)
{
	char what[48], cr2[32];
	size_t n = snprintf(what, sizeof(what), "exception ");

	arch_exinfo_str(EXINFO(r->vector, r->error_code), what + n, sizeof(what) - n);
	snprintf(cr2, sizeof(cr2), "cr2 %#lx", read_cr2());
	unexpected_exception(what, "rip", r->rip, r->rbp, r, cr2);
}

/* A trap reports the address after the instruction: the asm_safe fixup. */
static bool is_trap_at_fixup(struct ex_regs *r)
{
	extern struct extable_entry __extable_start[], __extable_end[];

	if (r->vector != DB_VECTOR && r->vector != BP_VECTOR && r->vector != OF_VECTOR)
		return false;
	for (struct extable_entry *e = __extable_start; e < __extable_end; e++)
		if (e->fixup == r->rip)
			return true;
	return false;
}

void x86_exception(struct ex_regs *r)
{
	handler_t h;

	if (user_return(r))
		return;
	if (r->vector == UD_VECTOR && r->rip == (uintptr_t)arch_abort_trap)
		abort_dump(r, r->rip, r->rbp);
	if (r->vector < 32) {
		uintptr_t fixup = extable_find(r->rip);

		if (fixup || is_trap_at_fixup(r)) {
			r->r15 = EXINFO(r->vector, r->error_code);
			if (fixup)
				r->rip = fixup;
			return;
		}
	}
	h = handlers[r->vector];
	if (h)
		h(r);
	else
		unexpected(r);
}
