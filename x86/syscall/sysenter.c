// SPDX-License-Identifier: MIT
/*
 * SYSENTER and SYSEXIT (SDM vol. 2B SYSENTER, SYSEXIT; vol. 3A 5.8.7; APM
 * vol. 3 SYSENTER, SYSEXIT): Intel runs them in IA-32e mode, from 64-bit
 * and compatibility mode alike: SYSENTER loads CS = SYSENTER_CS (64-bit
 * code), SS = SYSENTER_CS + 8, RIP = SYSENTER_EIP, RSP = SYSENTER_ESP and
 * clears RFLAGS.VM, IF and RF; it raises #GP(0) when SYSENTER_CS[15:2] is
 * 0. SYSEXIT (CPL0 only, else #GP(0)) returns to CPL3 with RIP = RDX, RSP
 * = RCX: with REX.W to 64-bit code, CS = SYSENTER_CS + 32 and SS =
 * SYSENTER_CS + 40, without to compatibility mode, CS = SYSENTER_CS + 16
 * and SS = SYSENTER_CS + 24, RPL 3 each; RFLAGS is not changed. AMD raises
 * #UD for both in long mode. lib's GDT puts USER_CS32, USER_DS and USER_CS
 * at KERNEL_CS + 16, 24 and 32; KERNEL_CS + 40 is the TSS's selector, which
 * SYSEXITQ loads into SS with a fixed flat descriptor (the stub reloads SS).
 */
#include "syscall.h"
#include "user.h"
#include "usermode.h"

static uint8_t se_stack[4096] __aligned(16);
/* The exit of se_entry: 0 SYSEXITQ, 1 SYSEXITL; IF set again in STI's shadow when se_sti. */
uint64_t se_mode, se_sti;

asm(".pushsection .text\n"
	"se_entry:\n\t"
	"mov %rsp, rec+40(%rip)\n\tpushfq\n\tpopq rec+16(%rip)\n\t"
	"mov %cs, %r10d\n\tmov %r10, rec+24(%rip)\n\t"
	"mov %ss, %r10d\n\tmov %r10, rec+32(%rip)\n\tincq rec+48(%rip)\n\t"
	"cmpq $0, se_mode(%rip)\n\tjne 3f\n\t"
	"cmpq $0, se_sti(%rip)\n\tje 1f\n\tsti\n"
	"se_exq1:\tsysexitq\n"
	"1:\nse_exq2:\tsysexitq\n"
	"3:\tcmpq $0, se_sti(%rip)\n\tje 4f\n\tsti\n"
	"se_exl1:\tsysexitl\n"
	"4:\nse_exl2:\tsysexitl\n"
	/* A SYSEXIT that faults returns by IRETQ to RDX and RCX with the fault in r15. */
	"se_fixq:\tpushq $0x23\n\tpush %rcx\n\tpushfq\n\tpushq $0x2b\n\tpush %rdx\n\tiretq\n"
	"se_fixl:\tpushq $0x23\n\tpush %rcx\n\tpushfq\n\tpushq $0x1b\n\tpush %rdx\n\tiretq\n\t"
	ASM_EXTABLE(se_exq1, se_fixq) ASM_EXTABLE(se_exq2, se_fixq)
	ASM_EXTABLE(se_exl1, se_fixl) ASM_EXTABLE(se_exl2, se_fixl)
	".popsection");
_Static_assert((USER_DS | 3) == 0x23 && (USER_CS32 | 3) == 0x1b, "se_fixq and se_fixl");
extern char se_entry[];

asm(".pushsection " USER_TEXT "\n"
	".code32\n"
	"c32_sysenter:\n\t"
	"pushfl\n\tpopl urec\n\tmovl $2f, %edx\n\tmovl %esp, %ecx\n\t"
	"movl %esp, urec+40\n\tmovl $2f, urec+32\n\t"
	ASM_TRY("sysenter")
	"pushfl\n\tpopl urec+8\n\tmovl %esp, urec+48\n\t"
	"movw %cs, urec+16\n\tmovw %ss, urec+24\n\t"
	"ljmp $0x2b, $compat_back\n"
	".code64\n"
	".popsection");
extern char c32_sysenter[];

static void se_setup(uint16_t cs, int mode)
{
	wrmsr(MSR_IA32_SYSENTER_CS, cs);
	wrmsr(MSR_IA32_SYSENTER_ESP, (uintptr_t)se_stack + sizeof(se_stack));
	wrmsr(MSR_IA32_SYSENTER_EIP, (uintptr_t)se_entry);
	memset(&rec, 0, sizeof(rec));
	memset(&urec, 0, sizeof(urec));
	se_mode = mode;
	se_sti = !!(read_flags() & X86_EFLAGS_IF);
}

/* At CPL3: SYSENTER to come back at the next instruction; SS reloaded after. */
static uint64_t user_sysenter(uint64_t unused)
{
	DECLARE_EXINFO(ex);

	asm volatile("pushfq\n\tpushfq\n\tpopq urec(%%rip)\n\t"
		     "lea 2f(%%rip), %%rdx\n\tmov %%rdx, urec+32(%%rip)\n\t"
		     "mov %%rsp, %%rcx\n\tmov %%rsp, urec+40(%%rip)\n\t"
		     ASM_TRY("sysenter")
		     "pushfq\n\tpopq urec+8(%%rip)\n\tmov %%rsp, urec+48(%%rip)\n\t"
		     "mov %%cs, %%eax\n\tmov %%rax, urec+16(%%rip)\n\t"
		     "mov %%ss, %%eax\n\tmov %%rax, urec+24(%%rip)\n\t"
		     "mov %[ds], %%eax\n\tmov %%eax, %%ss\n\tpopfq"
		     : "+r"(ex) : [ds] "i"(USER_DS | 3)
		     : "rax", "rcx", "rdx", "r10", "memory", "cc");
	return ex;
}

/* At CPL3: SYSEXITQ to the next instruction, were it allowed. */
static uint64_t user_sysexit(uint64_t unused)
{
	DECLARE_EXINFO(ex);

	asm volatile("lea 2f(%%rip), %%rdx\n\tmov %%rsp, %%rcx\n\t" ASM_TRY("sysexitq")
		     "mov %[ds], %%eax\n\tmov %%eax, %%ss"
		     : "+r"(ex) : [ds] "i"(USER_DS | 3) : "rax", "rcx", "rdx", "memory");
	return ex;
}

static void check_entry(void)
{
	uint64_t cleared = X86_EFLAGS_IF | X86_EFLAGS_RF | BIT(17);

	report_eq(1, rec.count, "SYSENTER_EIP's entry point ran once");
	report_eq_x(KERNEL_CS, rec.cs, "CS = SYSENTER_CS");
	report_eq_x(KERNEL_CS + 8, rec.ss, "SS = SYSENTER_CS + 8");
	report_eq_x((uintptr_t)se_stack + sizeof(se_stack), rec.rsp, "RSP = SYSENTER_ESP");
	report_eq_x(urec.before & ~cleared, rec.rflags, "RFLAGS with IF, RF and VM cleared");
	report_eq_x(urec.rsp_before, urec.rsp_after, "SYSEXIT: RSP = RCX");
	report_eq_x(urec.before, urec.after, "SYSEXIT leaves RFLAGS (IF set again by STI)");
}

void sysenter64(void)
{
	se_setup(KERNEL_CS, 0);
	report_exc(0, run_in_user(user_sysenter, 0), "SYSENTER in 64-bit mode at CPL3");
	check_entry();
	report_eq_x(KERNEL_CS + 32 + 3, urec.cs, "SYSEXITQ: CS = SYSENTER_CS + 32, RPL 3");
	report_eq_x(KERNEL_CS + 40 + 3, urec.ss, "SYSEXITQ: SS = SYSENTER_CS + 40, RPL 3");
}

void sysenter_compat(void)
{
	exinfo_t ex;

	se_setup(KERNEL_CS, 1);
	ex = run_in_user(compat_run, (uintptr_t)c32_sysenter);
	if (cpu_vendor_amd()) {
		report_exc(EXINFO(UD_VECTOR, 0), ex, "SYSENTER in compatibility mode raises #UD");
		report_eq(0, rec.count, "no entry point ran");
		return;
	}
	report_exc(0, ex, "SYSENTER in compatibility mode");
	check_entry();
	report_eq_x(USER_CS32 | 3, urec.cs, "SYSEXITL: CS = SYSENTER_CS + 16, RPL 3");
	report_eq_x(USER_DS | 3, urec.ss, "SYSEXITL: SS = SYSENTER_CS + 24, RPL 3");
}

void sysenter_faults(void)
{
	se_setup(0, 0);
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_sysenter, 0),
		   "SYSENTER with SYSENTER_CS = 0 raises #GP(0)");
	report_eq(0, rec.count, "no entry point ran");
	se_setup(KERNEL_CS, 0);
	report_exc(EXINFO(GP_VECTOR, 0), run_in_user(user_sysexit, 0),
		   "SYSEXITQ at CPL3 raises #GP(0)");
}

void sysenter_amd(void)
{
	se_setup(KERNEL_CS, 0);
	report_exc(EXINFO(UD_VECTOR, 0), run_in_user(user_sysenter, 0),
		   "SYSENTER in 64-bit mode raises #UD (AMD)");
	report_eq(0, rec.count, "no entry point ran");
}
