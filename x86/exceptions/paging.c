// SPDX-License-Identifier: MIT
/*
 * #PF: error code bits (P, W/R, U/S, RSVD, I/D), CR2 and the saved RIP for
 * reads, writes and instruction fetches at CPL0 and CPL3 on one private page
 * made not present, read-only, supervisor-only, no-execute or given a
 * reserved physical-address bit. SDM vol. 3 4.6 (access rights), 4.7
 * (page-fault exceptions, figure 4-12), 6.15 interrupt 14; APM vol. 2 5.6,
 * 8.4.2.
 */
#include "alloc.h"
#include "exceptions.h"
#include "vm.h"

#define PF_P		BIT(0)
#define PF_W		BIT(1)
#define PF_U		BIT(2)
#define PF_RSVD		BIT(3)
#define PF_I		BIT(4)
#define NO_FAULT	(-1)

STUB(pf_read, "", "movb (%rdi), %al", "");
STUB(pf_write, "", "movb $0x5a, (%rdi)", "");
/* The fetch target holds "jmp *%rcx", back to pf_fetch_next. */
STUB(pf_fetch, "lea pf_fetch_next(%rip), %rcx", "jmp *%rdi", "");

enum page_state { PG_ABSENT, PG_RO, PG_SUPER, PG_NX, PG_RSVD };

struct pf_case {
	const char *msg;
	const void *stub, *insn, *next;
	bool fetch;
	enum page_state state;
	unsigned int env;
	int ec;			/* NO_FAULT or the error code */
};

#define READ	.stub = pf_read, .insn = pf_read_insn, .next = pf_read_next
#define WRITE	.stub = pf_write, .insn = pf_write_insn, .next = pf_write_next
#define FETCH	.stub = pf_fetch, .insn = pf_fetch_insn, .next = pf_fetch_next, .fetch = true
#define U	ENV_USER
#define PF(m, access, st, e, code)	{ .msg = m, access, .state = st, .env = e, .ec = code }

static const struct pf_case pf_cases[] = {
	PF("read of a not-present page: #PF(0)", READ, PG_ABSENT, 0, 0),
	PF("write to a not-present page: #PF(W)", WRITE, PG_ABSENT, 0, PF_W),
	PF("CPL3 read of a not-present page: #PF(U)", READ, PG_ABSENT, U, PF_U),
	PF("CPL3 write to a not-present page: #PF(W|U)", WRITE, PG_ABSENT, U, PF_W | PF_U),
	PF("fetch from a not-present page: #PF(I)", FETCH, PG_ABSENT, 0, PF_I),
	PF("CPL3 fetch from a not-present page: #PF(U|I)", FETCH, PG_ABSENT, U, PF_U | PF_I),
	PF("read of a read-only page does not fault", READ, PG_RO, 0, NO_FAULT),
	PF("CPL0 write to a read-only page with CR0.WP=1: #PF(P|W)", WRITE, PG_RO, 0,
	   PF_P | PF_W),
	PF("CPL0 write to a read-only page with CR0.WP=0 does not fault", WRITE, PG_RO, ENV_WP0,
	   NO_FAULT),
	PF("CPL3 write to a read-only page: #PF(P|W|U)", WRITE, PG_RO, U, PF_P | PF_W | PF_U),
	PF("CPL3 write to a read-only page with CR0.WP=0: #PF(P|W|U)", WRITE, PG_RO, U | ENV_WP0,
	   PF_P | PF_W | PF_U),
	PF("CPL0 read of a supervisor page does not fault", READ, PG_SUPER, 0, NO_FAULT),
	PF("CPL3 read of a supervisor page: #PF(P|U)", READ, PG_SUPER, U, PF_P | PF_U),
	PF("CPL3 write to a supervisor page: #PF(P|W|U)", WRITE, PG_SUPER, U,
	   PF_P | PF_W | PF_U),
	PF("CPL3 fetch from a supervisor page: #PF(P|U|I)", FETCH, PG_SUPER, U,
	   PF_P | PF_U | PF_I),
	PF("read of a no-execute page does not fault", READ, PG_NX, 0, NO_FAULT),
	PF("CPL0 fetch from a no-execute page: #PF(P|I)", FETCH, PG_NX, 0, PF_P | PF_I),
	PF("CPL3 fetch from a no-execute page: #PF(P|U|I)", FETCH, PG_NX, U, PF_P | PF_U | PF_I),
	PF("read through a PTE with a reserved address bit: #PF(P|RSVD)", READ, PG_RSVD, 0,
	   PF_P | PF_RSVD),
	PF("write through a PTE with a reserved address bit: #PF(P|W|RSVD)", WRITE, PG_RSVD, 0,
	   PF_P | PF_W | PF_RSVD),
	PF("read at CPL3 through a PTE with a reserved address bit: #PF(P|U|RSVD)", READ,
	   PG_RSVD, U, PF_P | PF_U | PF_RSVD),
	PF("fetch through a PTE with a reserved address bit: #PF(P|RSVD|I)", FETCH, PG_RSVD, 0,
	   PF_P | PF_RSVD | PF_I),
};

static int maxphyaddr(void)
{
	if (cpuid_max_leaf(0x80000000) < 0x80000008)
		return 36;
	return cpuid(0x80000008).a & 0xff;
}

/* Why the case cannot run here, or NULL. */
static const char *pf_skip_reason(const struct pf_case *c)
{
	/* The I/D bit is reported only with EFER.NXE or CR4.SMEP (SDM 4.7). */
	bool wants_nx = c->state == PG_NX || (c->ec != NO_FAULT && (c->ec & PF_I));

	if (wants_nx && !this_cpu_has(X86_FEATURE_NX))
		return "NX (CPUID.80000001H:EDX[20]) not supported";
	if (c->state == PG_RSVD && maxphyaddr() >= 52)
		return "MAXPHYADDR is 52: no reserved physical-address bit";
	return NULL;
}

static void page_set(uintptr_t page, enum page_state state)
{
	struct pt_walk w;

	switch (state) {
	case PG_ABSENT:
		pt_unmap(page, PAGE_SIZE);
		break;
	case PG_RO:
		pt_protect(page, PAGE_SIZE, PT_R | PT_X | PT_USER);
		break;
	case PG_SUPER:
		pt_protect(page, PAGE_SIZE, PT_RWX);
		break;
	case PG_NX:
		pt_protect(page, PAGE_SIZE, PT_RW | PT_USER);
		break;
	case PG_RSVD:
		pt_protect(page, PAGE_SIZE, PT_RWX | PT_USER);
		if (pt_walk(page, &w) || w.level != 1)
			report_abort("no 4 KiB PTE for the test page");
		*w.pte |= 1ULL << maxphyaddr();
		pt_flush(page);
		break;
	}
}

static void pf_check(const struct pf_case *c, uintptr_t page)
{
	uintptr_t target = page + (c->fetch ? 0x100 : 0x123);
	const char *skip = pf_skip_reason(c);
	struct env_saved s;
	struct trace *t;

	if (skip) {
		report_skip("%s: %s", c->msg, skip);
		return;
	}
	page_set(page, c->state);
	env_apply(c->env, &s);
	t = run_stub(&(struct run){ .stub = c->stub, .arg = target, .user = c->env & ENV_USER,
				    .resume = c->next });
	env_restore(&s);
	pt_map_4k(page, page, PAGE_SIZE, PT_RWX | PT_USER);

	if (c->ec == NO_FAULT) {
		report_exc(0, t->n ? t->ev[0].ex : 0, "%s", c->msg);
		return;
	}
	report_exc(EXINFO(PF_VECTOR, c->ec), t->n ? t->ev[0].ex : 0, "%s", c->msg);
	report_eq_x(target, t->ev[0].cr2, "CR2 = faulting address: %s", c->msg);
	report_eq_x(c->fetch ? target : (uintptr_t)c->insn, t->ev[0].rip, "saved RIP = %s: %s",
		    c->fetch ? "fetched address" : "faulting instruction", c->msg);
}

void page_faults(void)
{
	uint8_t *page = alloc_page();

	if (!page)
		report_abort("out of memory for the page-fault test page");
	/* The fetch target: FF E1 = jmp *%rcx. */
	page[0x100] = 0xff;
	page[0x101] = 0xe1;
	for (size_t i = 0; i < ARRAY_SIZE(pf_cases); i++)
		pf_check(&pf_cases[i], (uintptr_t)page);
	free_page(page);
}
