/* SPDX-License-Identifier: MIT */
/*
 * PSCI client (Arm DEN0022, "Power State Coordination Interface"): the
 * function IDs and return codes of chapter 5, and calls through the
 * conduit the devicetree's /psci "method" names (SMC Calling Convention,
 * DEN0028: x0 = function ID, x1-x3 arguments, result in x0).
 */
#ifndef ARM64_PSCI_H
#define ARM64_PSCI_H

#include "libc.h"

/* Function IDs (5.1): 32-bit calling convention 0x84.., 64-bit 0xc4... */
#define PSCI_VERSION			0x84000000
#define PSCI_CPU_SUSPEND_64		0xc4000001
#define PSCI_CPU_OFF			0x84000002
#define PSCI_CPU_ON_64			0xc4000003
#define PSCI_AFFINITY_INFO_64		0xc4000004
#define PSCI_MIGRATE_64			0xc4000005
#define PSCI_MIGRATE_INFO_TYPE		0x84000006
#define PSCI_MIGRATE_INFO_UP_CPU_64	0xc4000007
#define PSCI_SYSTEM_OFF			0x84000008
#define PSCI_SYSTEM_RESET		0x84000009
#define PSCI_FEATURES			0x8400000a
#define PSCI_CPU_FREEZE			0x8400000b
#define PSCI_CPU_DEFAULT_SUSPEND_64	0xc400000c
#define PSCI_NODE_HW_STATE_64		0xc400000d
#define PSCI_SYSTEM_SUSPEND_64		0xc400000e
#define PSCI_SET_SUSPEND_MODE		0x8400000f
#define PSCI_STAT_RESIDENCY_64		0xc4000010
#define PSCI_STAT_COUNT_64		0xc4000011
#define PSCI_SYSTEM_RESET2_64		0xc4000012
#define PSCI_MEM_PROTECT		0x84000013
#define PSCI_MEM_PROTECT_CHECK_64	0xc4000014

/* Return codes (5.2.2). */
#define PSCI_SUCCESS			0
#define PSCI_NOT_SUPPORTED		(-1)
#define PSCI_INVALID_PARAMETERS		(-2)
#define PSCI_DENIED			(-3)
#define PSCI_ALREADY_ON			(-4)
#define PSCI_ON_PENDING			(-5)
#define PSCI_INTERNAL_FAILURE		(-6)
#define PSCI_NOT_PRESENT		(-7)
#define PSCI_DISABLED			(-8)
#define PSCI_INVALID_ADDRESS		(-9)

/* AFFINITY_INFO results (5.9.2). */
#define PSCI_AFFINITY_ON		0
#define PSCI_AFFINITY_OFF		1
#define PSCI_AFFINITY_ON_PENDING	2

enum psci_conduit {
	PSCI_CONDUIT_NONE,
	PSCI_CONDUIT_HVC,
	PSCI_CONDUIT_SMC,
};

/* The conduit the devicetree names; NONE without a /psci node. */
enum psci_conduit psci_conduit(void);

/**
 * psci_call() - one PSCI function through the conduit
 * @fn: PSCI_* function ID
 * @a1: x1
 * @a2: x2
 * @a3: x3
 * Return: x0 as the firmware left it; PSCI_NOT_SUPPORTED without a conduit.
 */
long psci_call(uint32_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

/* PSCI_VERSION: major in bits 31:16, minor in 15:0. */
uint32_t psci_version(void);
int psci_features(uint32_t fn);
/* CPU_ON of the CPU with MPIDR affinity @mpidr at physical @entry, x0 = @context. */
int psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context);
/* CPU_OFF of the caller: returns only on failure (DENIED). */
int psci_cpu_off(void);
int psci_affinity_info(uint64_t mpidr, unsigned int lowest_level);
/* SYSTEM_OFF and SYSTEM_RESET return only on failure. */
int psci_system_off(void);
int psci_system_reset(void);

#endif
