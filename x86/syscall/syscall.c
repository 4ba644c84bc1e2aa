// SPDX-License-Identifier: MIT
/*
 * SYSCALL and SYSRET (SDM vol. 2B SYSCALL, SYSRET; vol. 3A 5.8.8; APM
 * vol. 2 6.1.1, vol. 3 SYSCALL, SYSRET): with EFER.SCE = 1 SYSCALL saves
 * the next RIP in RCX and RFLAGS in R11, loads CS from STAR[47:32] and SS
 * from STAR[47:32] + 8, RIP from LSTAR (CSTAR from compatibility mode, AMD
 * only: Intel raises #UD there) and RFLAGS &= ~SFMASK, RF cleared; RSP is
 * kept. SYSRET (CPL0 only, else #GP(0)) loads RIP from RCX (64-bit form:
 * #GP(0) at CPL0 when RCX is not canonical, Intel only), RFLAGS from R11
 * masked with 3C7FD7H, CS from STAR[63:48] + 16 (32-bit form: + 0) and SS
 * from STAR[63:48] + 8, both with RPL 3. With EFER.SCE = 0 both raise #UD.
 * A single-step trap follows a SYSCALL entered with TF = 1 unless SFMASK
 * clears TF: the trap follows the instruction (SDM vol. 3B 17.3.1.4) and,
 * for SYSCALL, depends on the RFLAGS it produces, which the SDM leaves
 * unsaid and processors do (Xen advisory XSA-204 describes it), else a
 * CPL3 program could single-step the kernel's entry.
 */
#include "syscall.h"
#include "user.h"
#include "usermode.h"

#define NONCANON	0x8000000000000000ULL
#define STAR_VALUE	((uint64_t)USER_CS32 << 48 | (uint64_t)KERNEL_CS << 32)
/* RFLAGS bits SYSRET takes from R11 (SDM vol. 2B SYSRET). */
#define SYSRET_MASK	0x3c7fd7ULL
/* Flags CPL3 can change with POPF: CF PF AF ZF SF DF OF AC. */
#define USER_FLAGS	0x40cd5ULL

struct entry_rec rec;
struct user_rec urec;
/* R11 for SYSRET when not 0 (else the entry's R11 minus TF). */
uint64_t r11_out;
uint64_t db_count, db_rip, db_cs;
static handler_t old_db;

/*
 * The entry points at LSTAR and CSTAR record what they found (struct
 * entry_rec offsets) and return with SYSRETQ or SYSRETL. r10 is scratch.
 */
#define ENTRY_BODY								\
	"mov %rsp, rec+40(%rip)\n\tmov %rcx, rec(%rip)\n\tmov %r11, rec+8(%rip)\n\t"	\
	"pushfq\n\tpopq rec+16(%rip)\n\t"					\
	"mov %cs, %r10d\n\tmov %r10, rec+24(%rip)\n\t"				\
	"mov %ss, %r10d\n\tmov %r10, rec+32(%rip)\n\tincq rec+48(%rip)\n\t"	\
	"btr $8, %r11\n\tmov r11_out(%rip), %r10\n\ttest %r10, %r10\n\t"	\
	"cmovnz %r10, %r11\n\t"
asm(".pushsection .text\n"
	"sc_entry64:\n\t" ENTRY_BODY "sysretq\n"
	"sc_entry32:\n\t" ENTRY_BODY "sysretl\n"
	".popsection");
extern char sc_entry64[], sc_entry32[];

/*
 * Compatibility-mode stubs (entered by compat_run() at CPL3): record
 * EFLAGS and ESP (struct user_rec offsets), run the instruction, record
 * what came back, far-jump to 64-bit code. sysenter.c uses compat_run()
 * with its own stub.
 */
asm(".pushsection " USER_TEXT "\n"
	".globl compat_back\ncompat_back:\n\tjmp *compat_ret(%rip)\n"
	".code32\n"
	"c32_syscall:\n\t"
	"pushfl\n\tpopl urec\n\tmovl %esp, urec+40\n\tmovl $2f, urec+32\n\t"
	ASM_TRY("syscall")
	"pushfl\n\tpopl urec+8\n\tmovl %esp, urec+48\n\t"
	"movw %cs, urec+16\n\tmovw %ss, urec+24\n\t"
	"ljmp $0x2b, $compat_back\n"
	".code64\n"
	".popsection");
extern char c32_syscall[];
_Static_assert((USER_CS | 3) == 0x2b, "the far jumps back to 64-bit code use USER_CS | 3");
uint64_t compat_ret, compat_rsp;

/* At CPL3: far-return to the 32-bit code at @target; it jumps back to compat_back. */
uint64_t compat_run(uint64_t target)
{
	DECLARE_EXINFO(ex);

	/*
	 * The upper halves of RBX, RSI, RDI, RBP do not survive compatibility
	 * mode; DS, null in 64-bit mode, must be a data segment there.
	 */
	asm volatile("push %%rbx\n\tpush %%rbp\n\tpush %%rsi\n\tpush %%rdi\n\t"
		     "mov %%ds, %%eax\n\tpush %%rax\n\tmov %[ds], %%eax\n\tmov %%eax, %%ds\n\t"
		     "lea 5f(%%rip), %%rax\n\tmov %%rax, compat_ret(%%rip)\n\t"
		     "mov %%rsp, compat_rsp(%%rip)\n\t"
		     "pushq %[cs]\n\tpush %[t]\n\tlretq\n"
		     "5:\tmov compat_rsp(%%rip), %%rsp\n\tpop %%rax\n\tmov %%eax, %%ds\n\t"
		     "pop %%rdi\n\tpop %%rsi\n\tpop %%rbp\n\tpop %%rbx"
		     : "+r"(ex) : [cs] "i"(USER_CS32 | 3), [ds] "i"(USER_DS | 3), [t] "r"(target)
		     : "rax", "rcx", "rdx", "r10", "r11", "memory", "cc");
	return ex;
}

uint64_t read_flags(void)
{
	uint64_t f;

	asm volatile("pushfq\n\tpop %0" : "=r"(f));
	return f;
}

static void fast_setup(uint64_t sfmask)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	wrmsr(MSR_STAR, STAR_VALUE);
	wrmsr(MSR_LSTAR, (uintptr_t)sc_entry64);
	wrmsr(MSR_CSTAR, (uintptr_t)sc_entry32);
	wrmsr(MSR_SYSCALL_MASK, sfmask);
	memset(&rec, 0, sizeof(rec));
	memset(&urec, 0, sizeof(urec));
	r11_out = 0;
}

/* At CPL3: RFLAGS = @flags (POPF), then SYSCALL; records into urec. */
static uint64_t user_syscall(uint64_t flags)
{
	DECLARE_EXINFO(ex);

	asm volatile("pushfq\n\tpush %[f]\n\tpopfq\n\t"
		     "pushfq\n\tpopq urec(%%rip)\n\tmov %%rsp, urec+40(%%rip)\n\t"
		     "lea 2f(%%rip), %%rax\n\tmov %%rax, urec+32(%%rip)\n\t"
		     ASM_TRY("syscall")
		     "pushfq\n\tpopq urec+8(%%rip)\n\tmov %%rsp, urec+48(%%rip)\n\t"
		     "mov %%cs, %%eax\n\tmov %%rax, urec+16(%%rip)\n\t"
		     "mov %%ss, %%eax\n\tmov %%rax, urec+24(%%rip)\n\tpopfq"
		     : "+r"(ex) : [f] "r"(flags) : "rax", "rcx", "r10", "r11", "memory", "cc");
	return ex;
}

/* At CPL3: RFLAGS = @flags with TF, SYSCALL at once (the trap follows the SYSCALL). */
static uint64_t user_syscall_tf(uint64_t flags)
{
	DECLARE_EXINFO(ex);

	asm volatile("pushfq\n\tpush %[f]\n\tpopfq\n\t" ASM_TRY("syscall") "popfq"
		     : "+r"(ex) : [f] "r"(flags | X86_EFLAGS_TF)
		     : "rax", "rcx", "r10", "r11", "memory", "cc");
	return ex;
}

void sce_off(void)
{
	fast_setup(0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
	report_exc(EXINFO(UD_VECTOR, 0), run_in_user(user_syscall, X86_EFLAGS_FIXED),
		   "SYSCALL at CPL3 with EFER.SCE = 0 raises #UD");
	report_eq(0, rec.count, "SYSCALL with EFER.SCE = 0 does not reach LSTAR");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	report_exc(0, run_in_user(user_syscall, X86_EFLAGS_FIXED),
		   "SYSCALL at CPL3 with EFER.SCE = 1");
}

void syscall64(void)
{
	uint64_t flags = X86_EFLAGS_FIXED | X86_EFLAGS_CF | X86_EFLAGS_DF | X86_EFLAGS_OF;

	fast_setup(0);
	report_exc(0, run_in_user(user_syscall, flags), "SYSCALL at CPL3");
	report_eq(1, rec.count, "LSTAR's entry point ran once");
	report_eq_x(urec.ret_rip, rec.rcx, "RCX holds the RIP after SYSCALL");
	report_eq_x(urec.before, rec.r11, "R11 holds RFLAGS");
	report_eq_x(urec.before, rec.rflags, "RFLAGS kept with SFMASK = 0");
	report_eq_x(KERNEL_CS, rec.cs, "CS = STAR[47:32]");
	report_eq_x(KERNEL_CS + 8, rec.ss, "SS = STAR[47:32] + 8");
	report_eq_x(urec.rsp_before, rec.rsp, "RSP unchanged by SYSCALL");
	report_eq_x(USER_CS | 3, urec.cs, "SYSRETQ: CS = STAR[63:48] + 16, RPL 3");
	report_eq_x(USER_DS | 3, urec.ss, "SYSRETQ: SS = STAR[63:48] + 8, RPL 3");
	report_eq_x(urec.before, urec.after, "SYSRETQ: RFLAGS from R11");
	report_eq_x(urec.rsp_before, urec.rsp_after, "SYSRETQ: RSP unchanged");
}

void sfmask(void)
{
	uint64_t all = X86_EFLAGS_FIXED | USER_FLAGS;
	uint64_t ifl = read_flags() & X86_EFLAGS_IF;

	for (int b = 0; b < 19; b++) {
		if (!((USER_FLAGS | X86_EFLAGS_IF) & BIT(b)))
			continue;
		fast_setup(BIT(b));
		run_in_user(user_syscall, all);
		report_eq_x((all | ifl) & ~BIT(b), rec.rflags,
			    "SFMASK bit %d clears RFLAGS bit %d only", b, b);
	}
	fast_setup(0xffffffff);
	run_in_user(user_syscall, all);
	report_eq_x(X86_EFLAGS_FIXED, rec.rflags, "SFMASK 0xffffffff leaves only RFLAGS bit 1");
	report_eq_x(all | ifl, rec.r11, "R11 holds RFLAGS before the masking");
}

static void db_handler(struct ex_regs *r)
{
	db_count++;
	db_rip = r->rip;
	db_cs = r->cs;
	r->rflags &= ~X86_EFLAGS_TF;
}

void db_catch_begin(void)
{
	db_count = 0;
	db_rip = 0;
	db_cs = 0;
	old_db = install_exception_handler(DB_VECTOR, db_handler);
}

void db_catch_end(void)
{
	install_exception_handler(DB_VECTOR, old_db);
}

void syscall_tf(void)
{
	fast_setup(X86_EFLAGS_TF);
	db_catch_begin();
	report_exc(0, run_in_user(user_syscall_tf, X86_EFLAGS_FIXED), "SYSCALL with TF = 1");
	report_eq(0, db_count, "SFMASK.TF: no single-step trap after SYSCALL");
	report_eq_x(X86_EFLAGS_TF, rec.r11 & X86_EFLAGS_TF, "R11 holds TF = 1");
	report_eq_x(0, rec.rflags & X86_EFLAGS_TF, "SFMASK.TF: TF clear at the entry point");

	fast_setup(0);
	db_catch_begin();
	run_in_user(user_syscall_tf, X86_EFLAGS_FIXED);
	report_eq(1, db_count, "SFMASK = 0: one single-step trap after SYSCALL");
	report_eq_x((uintptr_t)sc_entry64, db_rip, "the trap's RIP is LSTAR");
	report_eq_x(KERNEL_CS, db_cs, "the trap's CS is STAR[47:32]");
	db_catch_end();
}

static void sysret_with(uint64_t r11, const char *what)
{
	fast_setup(0);
	r11_out = r11;
	report_exc(0, run_in_user(user_syscall, X86_EFLAGS_FIXED), "SYSCALL, then SYSRETQ");
	report_eq_x((r11 & SYSRET_MASK) | X86_EFLAGS_FIXED, urec.after,
		    "SYSRETQ: RFLAGS = (R11 & 3C7FD7H) | 2, %s", what);
}

void sysret_rflags(void)
{
	uint64_t ifl = read_flags() & X86_EFLAGS_IF;

	/* CF PF ZF SF DF OF kept; reserved bits 3, 5, 15 and RF dropped. */
	sysret_with(0xcc5 | ifl, "CF PF ZF SF DF OF");
	sysret_with(0xcc5 | BIT(3) | BIT(5) | BIT(15) | ifl, "reserved bits 3 5 15 cleared");
	sysret_with(0xcc5 | X86_EFLAGS_RF | ifl, "RF cleared");
}

/* At CPL3: SYSCALL, then PUSHF (which #GP(0)s in virtual-8086 mode with IOPL 0). */
static uint64_t user_syscall_pushf(uint64_t unused)
{
	DECLARE_EXINFO(ex);

	/* Two blocks, the second right after the first so that RFLAGS is SYSRET's. */
	asm volatile(ASM_TRY("syscall") ASM_TRY("pushfq\n\tpopq urec+8(%%rip)")
		     : "+r"(ex) : : "rax", "rcx", "r10", "r11", "memory", "cc");
	return ex;
}

/* R11.VM = 1: a VMM that keeps it runs the CPL3 code after SYSRET in virtual-8086 mode. */
void sysret_vm(void)
{
	uint64_t r11 = X86_EFLAGS_FIXED | X86_EFLAGS_CF | BIT(17) | (read_flags() & X86_EFLAGS_IF);

	fast_setup(0);
	r11_out = r11;
	report_exc(0, run_in_user(user_syscall_pushf, 0),
		   "SYSCALL, SYSRETQ with R11.VM = 1, PUSHF at CPL3");
	report_eq_x(r11 & SYSRET_MASK, urec.after, "SYSRETQ: RFLAGS = R11 without VM");
}

/* At CPL3: SYSRETQ back to the next instruction, were it allowed. */
static uint64_t user_sysret(uint64_t unused)
{
	DECLARE_EXINFO(ex);

	asm volatile("lea 2f(%%rip), %%rcx\n\tpushfq\n\tpop %%r11\n\t" ASM_TRY("sysretq")
		     : "+r"(ex) : : "rcx", "r11", "memory");
	return ex;
}

void sysret_cpl3(void)
{
	fast_setup(0);
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_sysret, 0),
		   "SYSRETQ at CPL3 raises #GP(0)");
}

/*
 * SYSRETQ to a non-canonical RCX from a SYSCALL entry point: the #GP(0)
 * comes at CPL0 on the user stack (nc_sysret's fixup counts it in nc_cpl0
 * and returns properly); a VMM that takes the SYSRET faults at CPL3 on the
 * fetch at the non-canonical RIP, whose fixup resumes the user side.
 */
uint64_t nc_cpl0;
asm(".pushsection .text\n"
	"sc_entry_nc:\n\t" ENTRY_BODY
	"movabs $0x8000000000000000, %rcx\n\t"
	"nc_sysret:\tsysretq\n"
	"nc_fixup:\tincq nc_cpl0(%rip)\n\tmov rec(%rip), %rcx\n\tsysretq\n\t"
	ASM_EXTABLE(nc_sysret, nc_fixup)
	ASM_EXTABLE(0x8000000000000000, nc_landing)
	".popsection\n"
	".pushsection " USER_TEXT "\n"
	"nc_user:\n\tpush %r15\n\txor %r15d, %r15d\n\tsyscall\n"
	"nc_landing:\tmov %r15, %rax\n\tpop %r15\n\tret\n"
	".popsection");
extern char sc_entry_nc[];
uint64_t nc_user(uint64_t unused);

void sysret_noncanonical(void)
{
	fast_setup(0);
	nc_cpl0 = 0;
	wrmsr(MSR_LSTAR, (uintptr_t)sc_entry_nc);
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(nc_user, 0),
		   "SYSRETQ to a non-canonical RCX raises #GP(0)");
	report_eq(1, nc_cpl0, "the #GP(0) comes at CPL0, from SYSRETQ");
}

/* SYSRET with EFER.SCE = 0 at CPL0: a VMM that takes it runs CPL3 here (a crash). */
void sysret_sce_off(void)
{
	DECLARE_EXINFO(ex);

	fast_setup(0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
	asm volatile("lea 2f(%%rip), %%rcx\n\tpushfq\n\tpop %%r11\n\t" ASM_TRY("sysretq")
		     : "+r"(ex) : : "rcx", "r11", "memory");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	report_exc(EXINFO(UD_VECTOR, 0), ex, "SYSRETQ with EFER.SCE = 0 raises #UD");
}

void syscall_compat(void)
{
	exinfo_t ex;

	fast_setup(0);
	ex = run_in_user(compat_run, (uintptr_t)c32_syscall);
	if (!cpu_vendor_amd()) {
		report_exc(EXINFO(UD_VECTOR, 0), ex, "SYSCALL in compatibility mode raises #UD");
		report_eq(0, rec.count, "no entry point ran");
		return;
	}
	report_exc(0, ex, "SYSCALL in compatibility mode");
	report_eq(1, rec.count, "CSTAR's entry point ran once");
	report_eq_x(urec.ret_rip, rec.rcx, "RCX holds the EIP after SYSCALL");
	report_eq_x(urec.before, rec.r11, "R11 holds EFLAGS");
	report_eq_x(KERNEL_CS, rec.cs, "CS = STAR[47:32]");
	report_eq_x(USER_CS32 | 3, urec.cs, "SYSRETL: CS = STAR[63:48], RPL 3");
	report_eq_x(USER_DS | 3, urec.ss, "SYSRETL: SS = STAR[63:48] + 8, RPL 3");
	report_eq_x(urec.before, urec.after, "SYSRETL: EFLAGS from R11");
	report_eq_x(urec.rsp_before, urec.rsp_after, "SYSRETL: ESP unchanged");
}
