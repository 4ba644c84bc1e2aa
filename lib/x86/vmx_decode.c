// SPDX-License-Identifier: MIT
/*
 * VMX values in words for check messages (vmx.h): exit reasons (Intel SDM
 * vol. 3D, appendix C), VM-instruction errors (vol. 3C, 31.4, table 31-1),
 * instruction outcomes (31.2), interruption information (25.8.3, 25.9.2),
 * and the exit-code check, which dispatches on the basic exit reason only
 * (27.2.1: bits 15:0; bits 27-29 add information, bit 31 marks an entry
 * failure).
 */
#include "arch.h"
#include "nested.h"
#include "report.h"
#include "vmx.h"

static const char *const exit_names[] = {
	[EXIT_EXCEPTION] = "exception or NMI", [EXIT_EXT_INTR] = "external interrupt",
	[EXIT_TRIPLE_FAULT] = "triple fault", [EXIT_INIT] = "INIT signal",
	[EXIT_SIPI] = "SIPI", [5] = "I/O SMI", [6] = "other SMI",
	[EXIT_INTR_WINDOW] = "interrupt window", [EXIT_NMI_WINDOW] = "NMI window",
	[EXIT_TASK_SWITCH] = "task switch", [EXIT_CPUID] = "CPUID", [EXIT_GETSEC] = "GETSEC",
	[EXIT_HLT] = "HLT", [EXIT_INVD] = "INVD", [EXIT_INVLPG] = "INVLPG",
	[EXIT_RDPMC] = "RDPMC", [EXIT_RDTSC] = "RDTSC", [EXIT_RSM] = "RSM",
	[EXIT_VMCALL] = "VMCALL", [EXIT_VMCLEAR] = "VMCLEAR", [EXIT_VMLAUNCH] = "VMLAUNCH",
	[EXIT_VMPTRLD] = "VMPTRLD", [EXIT_VMPTRST] = "VMPTRST", [EXIT_VMREAD] = "VMREAD",
	[EXIT_VMRESUME] = "VMRESUME", [EXIT_VMWRITE] = "VMWRITE", [EXIT_VMXOFF] = "VMXOFF",
	[EXIT_VMXON] = "VMXON", [EXIT_CR_ACCESS] = "control-register access",
	[EXIT_DR_ACCESS] = "MOV DR", [EXIT_IO] = "I/O instruction", [EXIT_RDMSR] = "RDMSR",
	[EXIT_WRMSR] = "WRMSR", [EXIT_INVALID_GUEST] = "invalid guest state",
	[EXIT_MSR_LOAD_FAIL] = "MSR loading", [EXIT_MWAIT] = "MWAIT",
	[EXIT_MTF] = "monitor trap flag", [EXIT_MONITOR] = "MONITOR", [EXIT_PAUSE] = "PAUSE",
	[EXIT_MACHINE_CHECK] = "machine-check event", [EXIT_TPR_BELOW] = "TPR below threshold",
	[EXIT_APIC_ACCESS] = "APIC access", [EXIT_EOI_INDUCED] = "virtualized EOI",
	[EXIT_GDTR_IDTR] = "GDTR or IDTR access", [EXIT_LDTR_TR] = "LDTR or TR access",
	[EXIT_EPT_VIOLATION] = "EPT violation", [EXIT_EPT_MISCONFIG] = "EPT misconfiguration",
	[EXIT_INVEPT] = "INVEPT", [EXIT_RDTSCP] = "RDTSCP",
	[EXIT_PREEMPT_TIMER] = "VMX-preemption timer expired", [EXIT_INVVPID] = "INVVPID",
	[EXIT_WBINVD] = "WBINVD", [EXIT_XSETBV] = "XSETBV", [EXIT_APIC_WRITE] = "APIC write",
	[EXIT_RDRAND] = "RDRAND", [EXIT_INVPCID] = "INVPCID", [EXIT_VMFUNC] = "VMFUNC",
	[EXIT_ENCLS] = "ENCLS", [EXIT_RDSEED] = "RDSEED",
	[EXIT_PML_FULL] = "page-modification log full",
	[EXIT_XSAVES] = "XSAVES", [EXIT_XRSTORS] = "XRSTORS",
};

const char *vmx_exit_name(uint32_t basic)
{
	return basic < ARRAY_SIZE(exit_names) ? exit_names[basic] : NULL;
}

static const char *const insn_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_insn_error_str(uint32_t n)
{
	return n < ARRAY_SIZE(insn_errors) && insn_errors[n] ? insn_errors[n] : "unknown error";
}

char *vmx_status_str(vmx_status_t s, char *buf, size_t len)
{
	if (s & EXINFO_VALID)
		return arch_exinfo_str(s, buf, len);
	if (s == VMX_OK)
		snprintf(buf, len, "VMsucceed");
	else if (s == VMX_FAIL_INVALID)
		snprintf(buf, len, "VMfailInvalid");
	else if (s & BIT_ULL(61))
		snprintf(buf, len, "VMfailValid(%u: %s)", (uint32_t)s,
			 vmx_insn_error_str((uint32_t)s));
	else
		snprintf(buf, len, "unknown outcome %#llx", (unsigned long long)s);
	return buf;
}

bool vmx_report_status(vmx_status_t expected, vmx_status_t actual, const char *fmt, ...)
{
	bool pass = expected == actual;
	char e[96] = "", a[96] = "";
	va_list ap;

	if (!pass) {
		vmx_status_str(expected, e, sizeof(e));
		vmx_status_str(actual, a, sizeof(a));
	}
	va_start(ap, fmt);
	vreport_decoded(pass, e, a, fmt, ap);
	va_end(ap);
	return pass;
}

char *vmx_exit_str(uint64_t code, char *buf, size_t len)
{
	uint32_t basic = EXIT_REASON_BASIC(code);
	const char *name = vmx_exit_name(basic);
	bool fail = code & EXIT_REASON_ENTRY_FAIL;

	if (code > 0xffffffffULL)
		return vmx_status_str(code, buf, len);
	snprintf(buf, len, "%sexit %s (%u%s)", fail ? "entry failure, " : "",
		 name ? name : "unknown", basic, fail ? ", bit 31" : "");
	return buf;
}

char *vmx_intr_info_str(uint32_t info, char *buf, size_t len)
{
	static const char *const types[8] = {
		"external interrupt", "reserved type 1", "NMI", "hardware exception",
		"software interrupt", "privileged software exception", "software exception",
		"other event",
	};

	if (!(info & INTR_INFO_VALID))
		snprintf(buf, len, "none");
	else
		snprintf(buf, len, "%s vector %u%s", types[INTR_INFO_TYPE(info)],
			 INTR_INFO_VECTOR(info), info & INTR_INFO_ERROR_CODE ? " error code" : "");
	return buf;
}

bool vmx_exit_matches(uint64_t code, uint64_t expected)
{
	const uint64_t mask = 0xffff | EXIT_REASON_ENTRY_FAIL;

	if (code > 0xffffffffULL || expected > 0xffffffffULL)
		return code == expected;
	return (code & mask) == (expected & mask);
}

bool vmx_report_exit(struct vmx_guest *g, uint64_t expected, const char *fmt, ...)
{
	uint64_t code = g->status ? g->status : g->exit.reason;
	bool pass = vmx_exit_matches(code, expected);
	char detail[112] = "", intr[48];
	va_list ap;

	if (!pass && !g->status)
		snprintf(detail, sizeof(detail), "qual %#lx intr %s rip %#lx",
			 (unsigned long)g->exit.qual,
			 vmx_intr_info_str(g->exit.intr_info, intr, sizeof(intr)),
			 (unsigned long)g->exit.rip);
	else if (!pass)
		snprintf(detail, sizeof(detail), "no exit");
	va_start(ap, fmt);
	nested_report_exit(pass, expected, code, vmx_exit_str, detail, fmt, ap);
	va_end(ap);
	return pass;
}
