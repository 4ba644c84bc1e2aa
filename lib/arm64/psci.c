// SPDX-License-Identifier: MIT
/*
 * PSCI calls through the conduit of the devicetree's /psci node
 * (DEN0022 and the devicetree binding "arm,psci": method = "hvc" | "smc").
 * SMCCC 1.0 (DEN0028 2.x) lets the callee clobber x0-x17.
 */
#include "arm64.h"
#include "devicetree.h"
#include "psci.h"

static enum psci_conduit conduit;

void psci_init(void)
{
	int node = dt_path("/psci");
	int len;
	const char *method = dt_prop(node, "method", &len);

	conduit = PSCI_CONDUIT_NONE;
	if (method && !strncmp(method, "hvc", len))
		conduit = PSCI_CONDUIT_HVC;
	else if (method && !strncmp(method, "smc", len))
		conduit = PSCI_CONDUIT_SMC;
}

enum psci_conduit psci_conduit(void)
{
	return conduit;
}

#define SMCCC_CALL(insn, x0, x1, x2, x3)					\
	asm volatile(insn " #0"							\
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)			\
		     :								\
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",	\
		       "x13", "x14", "x15", "x16", "x17", "memory")

long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 asm("x0") = fn;
	register uint64_t x1 asm("x1") = a1;
	register uint64_t x2 asm("x2") = a2;
	register uint64_t x3 asm("x3") = a3;

	if (conduit == PSCI_CONDUIT_HVC)
		SMCCC_CALL("hvc", x0, x1, x2, x3);
	else if (conduit == PSCI_CONDUIT_SMC)
		SMCCC_CALL("smc", x0, x1, x2, x3);
	else
		return PSCI_NOT_SUPPORTED;
	return (long)x0;
}

uint32_t psci_version(void)
{
	return psci_call(PSCI_VERSION, 0, 0, 0);
}

int psci_features(uint32_t fn)
{
	return psci_call(PSCI_FEATURES, fn, 0, 0);
}

int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

int psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int psci_affinity_info(uint64_t mpidr, unsigned int lowest_level)
{
	return psci_call(PSCI_AFFINITY_INFO_64, mpidr, lowest_level, 0);
}

int psci_system_off(void)
{
	return psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

int psci_system_reset(void)
{
	return psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
}
