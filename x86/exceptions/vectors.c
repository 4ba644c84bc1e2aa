// SPDX-License-Identifier: MIT
/*
 * Table-driven vector, error code and saved-RIP checks: faults and traps at
 * CPL0, privileged instructions at CPL3, IDT gate DPL and presence, x87 and
 * SSE exceptions, alignment checks and UMIP.
 */
#include "exceptions.h"
#include "smp.h"

/* Constants the x87/SSE stubs load. */
asm(".pushsection .rodata\n"
	".balign 8\n"
	"exc_fcw_zm:	.word 0x037b\n"		/* FCW reset value with ZM clear */
	".balign 4\n"
	"exc_zero32:	.long 0\n"		/* single-precision 0.0 */
	"exc_mxcsr_zm:	.long 0x1d80\n"		/* MXCSR reset value with ZM clear */
	"exc_mxcsr_default: .long 0x1f80\n"
	".popsection");

#define AC_ON	"pushf; orl $0x40000, (%rsp); popf; "
#define AC_OFF	"pushf; andl $0xfffbffff, (%rsp); popf"

STUB(de_div0, "xor %ecx, %ecx; mov $1, %eax; xor %edx, %edx", "div %ecx", "");
STUB(de_idiv_ovf, "movabs $0x8000000000000000, %rax; cqo; mov $-1, %rcx", "idiv %rcx", "");
STUB(de_div8_ovf, "mov $0x1000, %eax; mov $1, %cl", "div %cl", "");
STUB(bp_int3, "", "int3", "");
STUB(bp_int_3, "", ".byte 0xcd, 0x03", "");
STUB(db_icebp, "", ".byte 0xf1", "");
STUB(int_1, "", ".byte 0xcd, 0x01", "");
STUB(int_80, "", "int $0x80", "");
STUB(int_81, "", "int $0x81", "");
STUB(ud_ud2, "", "ud2", "");
STUB(ud_ud1, "", ".byte 0x0f, 0xb9, 0xc0", "");
STUB(ud_ud0, "", ".byte 0x0f, 0xff, 0xc0", "");
STUB(ud_into, "", ".byte 0xce", "");
STUB(ud_bound, "", ".byte 0x62, 0x00, 0x00, 0x00, 0x00", "");
STUB(ud_push_es, "", ".byte 0x06", "");
STUB(ud_pop_es, "", ".byte 0x07", "");
STUB(ud_push_cs, "", ".byte 0x0e", "");
STUB(ud_push_ss, "", ".byte 0x16", "");
STUB(ud_pop_ds, "", ".byte 0x1f", "");
STUB(ud_daa, "", ".byte 0x27", "");
STUB(ud_das, "", ".byte 0x2f", "");
STUB(ud_aaa, "", ".byte 0x37", "");
STUB(ud_aas, "", ".byte 0x3f", "");
STUB(ud_pusha, "", ".byte 0x60", "");
STUB(ud_popa, "", ".byte 0x61", "");
STUB(ud_aam, "", ".byte 0xd4, 0x0a", "");
STUB(ud_ljmp_direct, "", ".byte 0xea, 0, 0, 0, 0, 0x08, 0", "");
STUB(ud_lcall_direct, "", ".byte 0x9a, 0, 0, 0, 0, 0x08, 0", "");
STUB(ud_lock_nop, "", ".byte 0xf0, 0x90", "");
STUB(ud_lock_reg, "", ".byte 0xf0, 0x01, 0xc0", "");
STUB(ud_vex, "", ".byte 0xc5, 0xf8, 0x58, 0xc0", "");
STUB(ud_rd_dr4, "", "mov %dr4, %rax", "");
STUB(ud_wr_dr5, "mov $0x400, %eax", "mov %rax, %dr5", "");
STUB(gp_nc_read, "movabs $" NONCANONICAL ", %rax", "mov (%rax), %rcx", "");
STUB(gp_nc_write, "movabs $" NONCANONICAL ", %rax", "mov %rcx, (%rax)", "");
STUB(gp_nc_jmp, "movabs $" NONCANONICAL ", %rax", "jmp *%rax", "");
STUB(ss_nc_rsp, "movabs $" NONCANONICAL ", %rax", "mov (%rsp, %rax), %rcx", "");
STUB(ss_nc_rbp, "push %rbp; mov %rsp, %rbp; movabs $" NONCANONICAL ", %rax",
	"mov (%rbp, %rax), %rcx", "pop %rbp");
STUB(gp_dr6_high, "movabs $0x1ffff0ff0, %rax", "mov %rax, %dr6", "");
STUB(gp_dr7_high, "movabs $0x100000400, %rax", "mov %rax, %dr7", "");
STUB(db_gd, "", "mov %dr0, %rax", "");

/* Privileged and sensitive instructions, also run at CPL3. */
STUB(p_hlt, "", "hlt", "");
STUB(p_cli, "", "cli", "");
STUB(p_sti, "", "sti", "");
STUB(p_lgdt, "", "lgdt (%rdi)", "");
STUB(p_lidt, "", "lidt (%rdi)", "");
STUB(p_lldt, "xor %eax, %eax", "lldt %ax", "");
STUB(p_ltr, "mov $0x30, %eax", "ltr %ax", "");
STUB(p_rd_cr0, "", "mov %cr0, %rax", "");
STUB(p_wr_cr0, "", "mov %rdi, %cr0", "");
STUB(p_wr_cr3, "", "mov %rdi, %cr3", "");
STUB(p_rd_cr4, "", "mov %cr4, %rax", "");
STUB(p_wr_cr4, "", "mov %rdi, %cr4", "");
STUB(p_rd_cr8, "", "mov %cr8, %rax", "");
STUB(p_rd_dr7, "", "mov %dr7, %rax", "");
STUB(p_wr_dr0, "xor %eax, %eax", "mov %rax, %dr0", "");
STUB(p_wbinvd, "", "wbinvd", "");
STUB(p_invd, "", "invd", "");
STUB(p_invlpg, "", "invlpg (%rdi)", "");
STUB(p_rdmsr, "mov $0x10, %ecx", "rdmsr", "");
STUB(p_wrmsr, "mov $0x174, %ecx; mov %rdi, %rax; mov %rdi, %rdx; shr $32, %rdx", "wrmsr", "");
STUB(p_in_dx, "mov $0x80, %edx", "in (%dx), %al", "");
STUB(p_in_imm, "", "in $0x80, %al", "");
STUB(p_out_dx, "mov $0x80, %edx; xor %eax, %eax", "out %al, (%dx)", "");
STUB(p_clts, "", "clts", "");
STUB(p_lmsw, "mov %rdi, %rax", "lmsw %ax", "");
STUB(p_rdpmc, "xor %ecx, %ecx", "rdpmc", "");
STUB(p_rdtsc, "", "rdtsc", "");
STUB(p_rdtscp, "", "rdtscp", "");
STUB(p_swapgs, "", "swapgs", "");
STUB(p_ss_null, "xor %eax, %eax", "mov %eax, %ss", "");
STUB(p_smsw, "", "smsw %eax", "");
STUB(p_sgdt, "sub $16, %rsp", "sgdt (%rsp)", "add $16, %rsp");
STUB(p_sidt, "sub $16, %rsp", "sidt (%rsp)", "add $16, %rsp");
STUB(p_sldt, "", "sldt %eax", "");
STUB(p_str, "", "str %eax", "");

/* x87, MMX and SSE. */
STUB(fp_fwait, "", "fwait", "");
STUB(fp_fninit, "", "fninit", "");
STUB(fp_fxsave, "", "fxsave (%rdi)", "");
STUB(mmx_emms, "", "emms", "");
STUB(sse_addps, "", "addps %xmm0, %xmm0", "");
STUB(fp_mf, "fninit; fldcw exc_fcw_zm(%rip); fld1; fdivs exc_zero32(%rip)", "fwait",
	"fnclex; fninit");
STUB(fp_mf_nowait, "fninit; fldcw exc_fcw_zm(%rip); fld1; fdivs exc_zero32(%rip)",
	"fnstsw %ax", "fnclex; fninit");
STUB(sse_xm, "ldmxcsr exc_mxcsr_zm(%rip); xorps %xmm1, %xmm1; mov $1, %eax; "
	"cvtsi2ss %eax, %xmm0", "divss %xmm1, %xmm0", "ldmxcsr exc_mxcsr_default(%rip)");
STUB(sse_xm_masked, "ldmxcsr exc_mxcsr_default(%rip); xorps %xmm1, %xmm1; mov $1, %eax; "
	"cvtsi2ss %eax, %xmm0", "divss %xmm1, %xmm0", "ldmxcsr exc_mxcsr_default(%rip)");

/* Alignment checks: the stub sets RFLAGS.AC itself, RSP is 8-byte aligned. */
STUB(ac_read4, AC_ON "lea -13(%rsp), %rax", "mov (%rax), %ecx", AC_OFF);
STUB(ac_write2, AC_ON "lea -13(%rsp), %rax", "mov %cx, (%rax)", AC_OFF);
STUB(ac_read8, AC_ON "lea -12(%rsp), %rax", "mov (%rax), %rcx", AC_OFF);
STUB(ac_read1, AC_ON "lea -13(%rsp), %rax", "mov (%rax), %cl", AC_OFF);
STUB(ac_aligned8, AC_ON "lea -16(%rsp), %rax", "mov (%rax), %rcx", AC_OFF);
STUB(ac_push, AC_ON "mov %rsp, %rdx; sub $4, %rsp", "push %rax", "mov %rdx, %rsp; " AC_OFF);
STUB(ac_noflag, "lea -13(%rsp), %rax", "mov (%rax), %ecx", "");

#define GP0	EXINFO(GP_VECTOR, 0)
#define UD	EXINFO(UD_VECTOR, 0)
#define NM	EXINFO(NM_VECTOR, 0)
#define AC0	EXINFO(AC_VECTOR, 0)
#define U	ENV_USER

/* SDM vol. 3 6.15 interrupt 0; DIV/IDIV pages. */
static const struct probe divide_rows[] = {
	PROBE(de_div0, EXINFO(DE_VECTOR, 0), FAULT, 0, "DIV by zero raises #DE"),
	PROBE(de_idiv_ovf, EXINFO(DE_VECTOR, 0), FAULT, 0, "IDIV of INT64_MIN by -1 raises #DE"),
	PROBE(de_div8_ovf, EXINFO(DE_VECTOR, 0), FAULT, 0,
	      "8-bit DIV with a quotient above 0xff raises #DE"),
};

/* SDM vol. 2 appendix A (opcodes marked i64), INTO, BOUND, LOCK; vol. 3 6.15 int. 6. */
static const struct probe invalid_rows[] = {
	PROBE(ud_ud2, UD, FAULT, 0, "UD2 raises #UD"),
	PROBE(ud_into, UD, FAULT, 0, "INTO (0xCE) is invalid in 64-bit mode: #UD, not #OF"),
	PROBE(ud_push_es, UD, FAULT, 0, "PUSH ES (0x06) is invalid in 64-bit mode"),
	PROBE(ud_pop_es, UD, FAULT, 0, "POP ES (0x07) is invalid in 64-bit mode"),
	PROBE(ud_push_cs, UD, FAULT, 0, "PUSH CS (0x0E) is invalid in 64-bit mode"),
	PROBE(ud_push_ss, UD, FAULT, 0, "PUSH SS (0x16) is invalid in 64-bit mode"),
	PROBE(ud_pop_ds, UD, FAULT, 0, "POP DS (0x1F) is invalid in 64-bit mode"),
	PROBE(ud_pusha, UD, FAULT, 0, "PUSHA (0x60) is invalid in 64-bit mode"),
	PROBE(ud_popa, UD, FAULT, 0, "POPA (0x61) is invalid in 64-bit mode"),
	PROBE(ud_aam, UD, FAULT, 0, "AAM (0xD4) is invalid in 64-bit mode"),
	PROBE(ud_ljmp_direct, UD, FAULT, 0, "direct far JMP (0xEA) is invalid in 64-bit mode"),
	PROBE(ud_lcall_direct, UD, FAULT, 0, "direct far CALL (0x9A) is invalid in 64-bit mode"),
	PROBE(ud_lock_nop, UD, FAULT, 0, "LOCK NOP raises #UD"),
	PROBE(ud_lock_reg, UD, FAULT, 0, "LOCK ADD with a register destination raises #UD"),
};

/*
 * The decimal-arithmetic opcodes, one subtest each: kvm-pvm's emulator of
 * guest CPL0 code dies on DAA, AAA and AAS (a known crash), not on DAS.
 */
static const struct probe daa_rows[] = {
	PROBE(ud_daa, UD, FAULT, 0, "DAA (0x27) is invalid in 64-bit mode"),
};

static const struct probe das_rows[] = {
	PROBE(ud_das, UD, FAULT, 0, "DAS (0x2F) is invalid in 64-bit mode"),
};

static const struct probe aaa_rows[] = {
	PROBE(ud_aaa, UD, FAULT, 0, "AAA (0x37) is invalid in 64-bit mode"),
};

static const struct probe aas_rows[] = {
	PROBE(ud_aas, UD, FAULT, 0, "AAS (0x3F) is invalid in 64-bit mode"),
};

/*
 * UD0/UD1 (vol. 2 UD page); VEX/EVEX exception classes in vol. 2 ch. 2 (#UD
 * if CR4.OSXSAVE=0). One subtest per encoding: kvm-pvm dies on them.
 */
static const struct probe ud1_rows[] = {
	PROBE(ud_ud1, UD, FAULT, 0, "UD1 (0F B9) raises #UD"),
};

static const struct probe ud0_rows[] = {
	PROBE(ud_ud0, UD, FAULT, 0, "UD0 (0F FF) raises #UD"),
};

static const struct probe evex_rows[] = {
	PROBE(ud_bound, UD, FAULT, ENV_NO_OSXSAVE,
	      "BOUND's opcode 0x62 (EVEX, map 0) raises #UD in 64-bit mode, not #BR"),
};

static const struct probe vex_rows[] = {
	PROBE(ud_vex, UD, FAULT, ENV_NO_OSXSAVE, "a VEX instruction with CR4.OSXSAVE=0 raises #UD"),
};

/* SDM vol. 3 3.3.7.1 canonical addressing, 6.15 #SS and #GP; APM vol. 2 8.2.13-14. */
static const struct probe noncanonical_rows[] = {
	PROBE(gp_nc_read, GP0, FAULT, 0, "a non-canonical data read raises #GP(0)"),
	PROBE(gp_nc_write, GP0, FAULT, 0, "a non-canonical data write raises #GP(0)"),
	PROBE(gp_nc_jmp, GP0, FAULT, 0, "JMP to a non-canonical address raises #GP(0) on the JMP"),
	PROBE(ss_nc_rsp, EXINFO(SS_VECTOR, 0), FAULT, 0,
	      "a non-canonical RSP-based access raises #SS(0)"),
	PROBE(ss_nc_rbp, EXINFO(SS_VECTOR, 0), FAULT, 0,
	      "a non-canonical RBP-based access raises #SS(0)"),
};

/* SDM vol. 3 17.2.2 (DR4/DR5), 17.2.4 (GD), MOV DR page (bits 63:32 of DR6/DR7). */
static const struct probe dr_fault_rows[] = {
	PROBE(ud_rd_dr4, UD, FAULT, ENV_DE, "MOV from DR4 with CR4.DE=1 raises #UD"),
	PROBE(ud_wr_dr5, UD, FAULT, ENV_DE | ENV_DRS, "MOV to DR5 with CR4.DE=1 raises #UD"),
	PROBE(gp_dr6_high, GP0, FAULT, ENV_DRS, "MOV to DR6 with bit 32 set raises #GP(0)"),
	PROBE(gp_dr7_high, GP0, FAULT, ENV_DRS, "MOV to DR7 with bit 32 set raises #GP(0)"),
	PROBE(db_gd, EXINFO(DB_VECTOR, 0), FAULT, ENV_GD,
	      "MOV from DR0 with DR7.GD=1 raises #DB as a fault"),
};

/* SDM vol. 3 5.9 privileged instructions, 2.5 (CR4.TSD/PCE), 18.3 (I/O permission). */
static const struct probe cpl3_rows[] = {
	PROBE(p_hlt, GP0, FAULT, U, "HLT at CPL3 raises #GP(0)"),
	PROBE(p_cli, GP0, FAULT, U, "CLI at CPL3 with IOPL 0 raises #GP(0)"),
	PROBE(p_sti, GP0, FAULT, U, "STI at CPL3 with IOPL 0 raises #GP(0)"),
	PROBE_ARG(p_lgdt, GP0, FAULT, U, ARG_GDTR, "LGDT at CPL3 raises #GP(0)"),
	PROBE_ARG(p_lidt, GP0, FAULT, U, ARG_IDTR, "LIDT at CPL3 raises #GP(0)"),
	PROBE(p_lldt, GP0, FAULT, U, "LLDT at CPL3 raises #GP(0)"),
	PROBE(p_ltr, GP0, FAULT, U, "LTR at CPL3 raises #GP(0)"),
	PROBE(p_rd_cr0, GP0, FAULT, U, "MOV from CR0 at CPL3 raises #GP(0)"),
	PROBE_ARG(p_wr_cr0, GP0, FAULT, U, ARG_CR0, "MOV to CR0 at CPL3 raises #GP(0)"),
	PROBE_ARG(p_wr_cr3, GP0, FAULT, U, ARG_CR3, "MOV to CR3 at CPL3 raises #GP(0)"),
	PROBE(p_rd_cr4, GP0, FAULT, U, "MOV from CR4 at CPL3 raises #GP(0)"),
	PROBE_ARG(p_wr_cr4, GP0, FAULT, U, ARG_CR4, "MOV to CR4 at CPL3 raises #GP(0)"),
	PROBE(p_rd_cr8, GP0, FAULT, U, "MOV from CR8 at CPL3 raises #GP(0)"),
	PROBE(p_rd_dr7, GP0, FAULT, U, "MOV from DR7 at CPL3 raises #GP(0)"),
	PROBE(p_wr_dr0, GP0, FAULT, U, "MOV to DR0 at CPL3 raises #GP(0)"),
	PROBE(p_wbinvd, GP0, FAULT, U, "WBINVD at CPL3 raises #GP(0)"),
	PROBE(p_invd, GP0, FAULT, U, "INVD at CPL3 raises #GP(0)"),
	PROBE_ARG(p_invlpg, GP0, FAULT, U, ARG_BUF, "INVLPG at CPL3 raises #GP(0)"),
	PROBE(p_rdmsr, GP0, FAULT, U, "RDMSR at CPL3 raises #GP(0)"),
	PROBE_ARG(p_wrmsr, GP0, FAULT, U, ARG_SYSENTER_CS, "WRMSR at CPL3 raises #GP(0)"),
	PROBE(p_in_dx, GP0, FAULT, U, "IN from DX at CPL3 without I/O bitmap raises #GP(0)"),
	PROBE(p_in_imm, GP0, FAULT, U, "IN from imm8 at CPL3 without I/O bitmap raises #GP(0)"),
	PROBE(p_out_dx, GP0, FAULT, U, "OUT to DX at CPL3 without I/O bitmap raises #GP(0)"),
	PROBE(p_clts, GP0, FAULT, U, "CLTS at CPL3 raises #GP(0)"),
	PROBE_ARG(p_lmsw, GP0, FAULT, U, ARG_CR0, "LMSW at CPL3 raises #GP(0)"),
	PROBE(p_rdpmc, GP0, FAULT, U, "RDPMC at CPL3 with CR4.PCE=0 raises #GP(0)"),
	PROBE(p_rdtsc, GP0, FAULT, U | ENV_TSD, "RDTSC at CPL3 with CR4.TSD=1 raises #GP(0)"),
	PROBE_NEEDS(p_rdtscp, GP0, FAULT, U | ENV_TSD, X86_FEATURE_RDTSCP,
		    "RDTSCP at CPL3 with CR4.TSD=1 raises #GP(0)"),
	PROBE(p_swapgs, GP0, FAULT, U, "SWAPGS at CPL3 raises #GP(0)"),
	PROBE(p_ss_null, GP0, FAULT, U, "MOV of a null selector to SS at CPL3 raises #GP(0)"),
	PROBE(p_rdtsc, NONE, FAULT, U, "RDTSC at CPL3 with CR4.TSD=0 does not fault"),
	PROBE(p_rdtsc, NONE, FAULT, ENV_TSD, "RDTSC at CPL0 with CR4.TSD=1 does not fault"),
	PROBE(p_smsw, NONE, FAULT, U, "SMSW at CPL3 with CR4.UMIP=0 does not fault"),
	PROBE(p_sgdt, NONE, FAULT, U, "SGDT at CPL3 with CR4.UMIP=0 does not fault"),
	PROBE(p_sidt, NONE, FAULT, U, "SIDT at CPL3 with CR4.UMIP=0 does not fault"),
	PROBE(p_sldt, NONE, FAULT, U, "SLDT at CPL3 with CR4.UMIP=0 does not fault"),
	PROBE(p_str, NONE, FAULT, U, "STR at CPL3 with CR4.UMIP=0 does not fault"),
};

/*
 * Software interrupts and INT1 at CPL0 (no stack switch), one subtest per
 * opcode (CC, CD ib, F1): kvm-pvm's emulator of guest CPL0 code dies on
 * each (known-failures.txt).
 */
static const struct probe int3_cpl0_rows[] = {
	PROBE(bp_int3, EXINFO(BP_VECTOR, 0), TRAP, 0, "INT3 (0xCC) raises #BP as a trap"),
	PROBE(bp_int3, EXINFO(BP_VECTOR, 0), TRAP, ENV_BP_DPL0,
	      "INT3 at CPL0 through a DPL0 gate raises #BP"),
};

static const struct probe int_n_cpl0_rows[] = {
	PROBE(bp_int_3, EXINFO(BP_VECTOR, 0), TRAP, 0, "INT 3 (0xCD 0x03) delivers vector 3"),
	PROBE(int_1, EXINFO(DB_VECTOR, 0), TRAP, 0, "INT 1 (0xCD 0x01) at CPL0 delivers vector 1"),
	PROBE(int_80, EXINFO(0x80, 0), TRAP, 0, "INT 0x80 at CPL0 delivers vector 0x80"),
	PROBE(int_81, EXINFO(NP_VECTOR, 0x81 * 8 + 2), FAULT, ENV_INT81_NP,
	      "INT 0x81 through a not-present gate raises #NP(0x81*8+2)"),
};

static const struct probe int1_cpl0_rows[] = {
	PROBE(db_icebp, EXINFO(DB_VECTOR, 0), TRAP, 0, "INT1/ICEBP (0xF1) raises #DB as a trap"),
};

/* SDM vol. 3 6.12.1.1 and INT n/INTO/INT3/INT1: software interrupts check the gate DPL. */
static const struct probe gate_rows[] = {
	PROBE(bp_int3, EXINFO(BP_VECTOR, 0), TRAP, U,
	      "INT3 at CPL3 through a DPL3 gate raises #BP"),
	PROBE(bp_int_3, EXINFO(BP_VECTOR, 0), TRAP, U,
	      "INT 3 at CPL3 through a DPL3 gate delivers vector 3"),
	PROBE(bp_int3, EXINFO(GP_VECTOR, 3 * 8 + 2), FAULT, U | ENV_BP_DPL0,
	      "INT3 at CPL3 through a DPL0 gate raises #GP(3*8+2)"),
	PROBE(bp_int_3, EXINFO(GP_VECTOR, 3 * 8 + 2), FAULT, U | ENV_BP_DPL0,
	      "INT 3 at CPL3 through a DPL0 gate raises #GP(3*8+2)"),
	PROBE(int_1, EXINFO(GP_VECTOR, 1 * 8 + 2), FAULT, U,
	      "INT 1 (0xCD 0x01) at CPL3 through a DPL0 gate raises #GP(1*8+2)"),
	PROBE(db_icebp, EXINFO(DB_VECTOR, 0), TRAP, U,
	      "INT1/ICEBP at CPL3 ignores the DPL0 gate and raises #DB"),
	PROBE(int_80, EXINFO(GP_VECTOR, 0x80 * 8 + 2), FAULT, U,
	      "INT 0x80 at CPL3 through a DPL0 gate raises #GP(0x80*8+2)"),
	PROBE(int_80, EXINFO(0x80, 0), TRAP, U | ENV_INT80_DPL3,
	      "INT 0x80 at CPL3 through a DPL3 gate delivers vector 0x80"),
	PROBE(int_81, EXINFO(GP_VECTOR, 0x81 * 8 + 2), FAULT, U | ENV_INT81_NP,
	      "INT 0x81 at CPL3 through a not-present DPL0 gate raises #GP before #NP"),
};

/*
 * SDM vol. 3 2.5 and table 2-2 (CR0.EM/MP/TS), 6.15 #NM, #MF and #XM; vol. 1
 * 8.7. At CPL0 each instruction class is a subtest of its own: kvm-pvm's
 * emulator of guest CPL0 code handles FNINIT and FXSAVE but dies on WAIT,
 * the x87 arithmetic, SSE, MMX and the MXCSR instructions. At CPL3 (run
 * natively there) fpu_simd_user runs every table.
 */
static const struct probe fpu_state_rows[] = {
	PROBE(fp_fninit, NM, FAULT, ENV_TS, "x87 FNINIT with CR0.TS=1 raises #NM"),
	PROBE_ARG(fp_fxsave, NM, FAULT, ENV_TS, ARG_BUF, "FXSAVE with CR0.TS=1 raises #NM"),
	PROBE(fp_fninit, NM, FAULT, ENV_EM, "x87 FNINIT with CR0.EM=1 raises #NM"),
};

static const struct probe fpu_wait_rows[] = {
	PROBE(fp_fwait, NM, FAULT, ENV_TS, "WAIT with CR0.TS=1 and CR0.MP=1 raises #NM"),
	PROBE(fp_fwait, NONE, FAULT, ENV_TS | ENV_NO_MP,
	      "WAIT with CR0.TS=1 and CR0.MP=0 does not fault"),
	PROBE(fp_fwait, NONE, FAULT, ENV_EM, "WAIT with CR0.EM=1 and CR0.TS=0 does not fault"),
};

static const struct probe fpu_x87_exc_rows[] = {
	PROBE(fp_mf, EXINFO(MF_VECTOR, 0), FAULT, 0,
	      "WAIT after an unmasked x87 zero divide raises #MF with CR0.NE=1"),
	PROBE(fp_mf_nowait, NONE, FAULT, 0,
	      "FNSTSW with a pending unmasked x87 exception does not raise #MF"),
};

static const struct probe fpu_sse_rows[] = {
	PROBE(sse_addps, NM, FAULT, ENV_TS, "SSE ADDPS with CR0.TS=1 raises #NM"),
	PROBE(sse_addps, UD, FAULT, ENV_EM, "SSE ADDPS with CR0.EM=1 raises #UD"),
	PROBE(sse_addps, UD, FAULT, ENV_NO_OSFXSR, "SSE ADDPS with CR4.OSFXSR=0 raises #UD"),
};

static const struct probe fpu_mmx_rows[] = {
	PROBE(mmx_emms, NM, FAULT, ENV_TS, "MMX EMMS with CR0.TS=1 raises #NM"),
	PROBE(mmx_emms, UD, FAULT, ENV_EM, "MMX EMMS with CR0.EM=1 raises #UD"),
};

static const struct probe fpu_xm_rows[] = {
	PROBE(sse_xm, EXINFO(XM_VECTOR, 0), FAULT, 0,
	      "DIVSS by zero with ZM clear raises #XM when CR4.OSXMMEXCPT=1"),
	PROBE(sse_xm, UD, FAULT, ENV_NO_XMMEXCPT,
	      "DIVSS by zero with ZM clear raises #UD when CR4.OSXMMEXCPT=0"),
	PROBE(sse_xm_masked, NONE, FAULT, 0, "DIVSS by zero with ZM set does not fault"),
};

/* SDM vol. 3 6.15 interrupt 17 and 2.5 (CR0.AM), vol. 1 3.4.3.3 (EFLAGS.AC). */
static const struct probe ac_rows[] = {
	PROBE(ac_read4, AC0, FAULT, U | ENV_AM,
	      "misaligned 4-byte read at CPL3 with CR0.AM=1 and AC=1 raises #AC(0)"),
	PROBE(ac_write2, AC0, FAULT, U | ENV_AM,
	      "misaligned 2-byte write at CPL3 with CR0.AM=1 and AC=1 raises #AC(0)"),
	PROBE(ac_read8, AC0, FAULT, U | ENV_AM,
	      "4-aligned 8-byte read at CPL3 with CR0.AM=1 and AC=1 raises #AC(0)"),
	PROBE(ac_push, AC0, FAULT, U | ENV_AM,
	      "PUSH with a misaligned RSP at CPL3 with CR0.AM=1 and AC=1 raises #AC(0)"),
	PROBE(ac_aligned8, NONE, FAULT, U | ENV_AM,
	      "aligned 8-byte read at CPL3 with CR0.AM=1 and AC=1 does not fault"),
	PROBE(ac_read1, NONE, FAULT, U | ENV_AM,
	      "1-byte read at an odd address with alignment checking does not fault"),
	PROBE(ac_noflag, NONE, FAULT, U | ENV_AM,
	      "misaligned read at CPL3 with CR0.AM=1 and AC=0 does not fault"),
	PROBE(ac_read4, NONE, FAULT, U,
	      "misaligned read at CPL3 with CR0.AM=0 and AC=1 does not fault"),
	PROBE(ac_read4, NONE, FAULT, ENV_AM,
	      "misaligned read at CPL0 with CR0.AM=1 and AC=1 does not fault"),
};

/* SDM vol. 3 2.5 (CR4.UMIP) and the SGDT/SIDT/SLDT/STR/SMSW pages. */
static const struct probe umip_rows[] = {
	PROBE(p_sgdt, GP0, FAULT, U | ENV_UMIP, "SGDT at CPL3 with CR4.UMIP=1 raises #GP(0)"),
	PROBE(p_sidt, GP0, FAULT, U | ENV_UMIP, "SIDT at CPL3 with CR4.UMIP=1 raises #GP(0)"),
	PROBE(p_sldt, GP0, FAULT, U | ENV_UMIP, "SLDT at CPL3 with CR4.UMIP=1 raises #GP(0)"),
	PROBE(p_str, GP0, FAULT, U | ENV_UMIP, "STR at CPL3 with CR4.UMIP=1 raises #GP(0)"),
	PROBE(p_smsw, GP0, FAULT, U | ENV_UMIP, "SMSW at CPL3 with CR4.UMIP=1 raises #GP(0)"),
	PROBE(p_sgdt, NONE, FAULT, ENV_UMIP, "SGDT at CPL0 with CR4.UMIP=1 does not fault"),
};

/* A short core set every CPU runs: each has its own GDT, TSS and stacks. */
static const struct probe core_rows[] = {
	PROBE(de_div0, EXINFO(DE_VECTOR, 0), FAULT, 0, "DIV by zero raises #DE"),
	PROBE(ud_ud2, UD, FAULT, 0, "UD2 raises #UD"),
	PROBE(gp_nc_read, GP0, FAULT, 0, "a non-canonical data read raises #GP(0)"),
	PROBE(ss_nc_rsp, EXINFO(SS_VECTOR, 0), FAULT, 0,
	      "a non-canonical RSP-based access raises #SS(0)"),
	PROBE(fp_fninit, NM, FAULT, ENV_TS, "x87 FNINIT with CR0.TS=1 raises #NM"),
	PROBE(p_hlt, GP0, FAULT, U, "HLT at CPL3 raises #GP(0)"),
	PROBE(int_80, EXINFO(GP_VECTOR, 0x80 * 8 + 2), FAULT, U,
	      "INT 0x80 at CPL3 through a DPL0 gate raises #GP(0x80*8+2)"),
};

#define TABLE_SUBTEST(fn, rows, env)			\
	void fn(void)					\
	{						\
		probe_table(rows, ARRAY_SIZE(rows), env);	\
	}

TABLE_SUBTEST(divide_errors, divide_rows, 0)
TABLE_SUBTEST(invalid_opcodes, invalid_rows, 0)
TABLE_SUBTEST(bcd_daa, daa_rows, 0)
TABLE_SUBTEST(bcd_das, das_rows, 0)
TABLE_SUBTEST(bcd_aaa, aaa_rows, 0)
TABLE_SUBTEST(bcd_aas, aas_rows, 0)
TABLE_SUBTEST(reserved_ud1, ud1_rows, 0)
TABLE_SUBTEST(reserved_ud0, ud0_rows, 0)
TABLE_SUBTEST(reserved_evex, evex_rows, 0)
TABLE_SUBTEST(reserved_vex, vex_rows, 0)
TABLE_SUBTEST(noncanonical, noncanonical_rows, 0)
TABLE_SUBTEST(debug_reg_faults, dr_fault_rows, 0)
TABLE_SUBTEST(privileged_cpl3, cpl3_rows, 0)
TABLE_SUBTEST(soft_int_cpl0_int3, int3_cpl0_rows, 0)
TABLE_SUBTEST(soft_int_cpl0_int_n, int_n_cpl0_rows, 0)
TABLE_SUBTEST(soft_int_cpl0_int1, int1_cpl0_rows, 0)
TABLE_SUBTEST(gates, gate_rows, 0)
TABLE_SUBTEST(fpu_simd_state, fpu_state_rows, 0)
TABLE_SUBTEST(fpu_simd_wait, fpu_wait_rows, 0)
TABLE_SUBTEST(fpu_simd_x87_exc, fpu_x87_exc_rows, 0)
TABLE_SUBTEST(fpu_simd_sse, fpu_sse_rows, 0)
TABLE_SUBTEST(fpu_simd_mmx, fpu_mmx_rows, 0)
TABLE_SUBTEST(fpu_simd_xm, fpu_xm_rows, 0)
TABLE_SUBTEST(alignment_check, ac_rows, 0)
TABLE_SUBTEST(umip, umip_rows, 0)

/* Every x87/MMX/SSE table at CPL3, where kvm-pvm runs them natively. */
void fpu_simd_user(void)
{
	probe_table(fpu_state_rows, ARRAY_SIZE(fpu_state_rows), ENV_USER);
	probe_table(fpu_wait_rows, ARRAY_SIZE(fpu_wait_rows), ENV_USER);
	probe_table(fpu_x87_exc_rows, ARRAY_SIZE(fpu_x87_exc_rows), ENV_USER);
	probe_table(fpu_sse_rows, ARRAY_SIZE(fpu_sse_rows), ENV_USER);
	probe_table(fpu_mmx_rows, ARRAY_SIZE(fpu_mmx_rows), ENV_USER);
	probe_table(fpu_xm_rows, ARRAY_SIZE(fpu_xm_rows), ENV_USER);
}

const char *needs_umip(void)
{
	return this_cpu_has(X86_FEATURE_UMIP) ? NULL : "UMIP not supported (CPUID.7.0:ECX[2])";
}

static void core_on_cpu(void *unused)
{
	probe_table(core_rows, ARRAY_SIZE(core_rows), 0);
}

void percpu_vectors(void)
{
	for (int cpu = 0; cpu < cpu_count(); cpu++) {
		report_prefix_pushf("cpu%d", cpu);
		on_cpu(cpu, core_on_cpu, NULL);
		report_prefix_pop();
	}
}
