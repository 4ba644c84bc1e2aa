// SPDX-License-Identifier: MIT
/*
 * Host CPU probe of the runner (scripts/hostcpu.sh builds it with the host's
 * cc and runs it; it is never linked into a guest). Under a hypervisor that
 * runs guest CPL3 code on the physical CPU (kvm-pvm), whether an instruction
 * the guest's CPUID hides still executes is decided by the host CPU, with
 * the host's CR4 and XCR0. This program tries each such instruction in user
 * mode, as the guest's CPL3 code would run it, and prints one word a line:
 *   exec:<insn>   the instruction ran without a signal (SIGILL for #UD)
 *   xcr0:0x<hex>  XCR0 as XGETBV returns it in user mode (CR4.OSXSAVE=1)
 * Each try runs in its own child process, so a fault only loses that word.
 * The instructions are emitted as bytes so any assembler builds this file:
 *   EXTRQ xmm0, xmm0 (SSE4A)     66 0F 79 C0       APM vol. 4 EXTRQ
 *   RDTSCP                       0F 01 F9          SDM vol. 2B RDTSCP
 *   RDPID rax                    F3 0F C7 F8       SDM vol. 2B RDPID
 *   SERIALIZE                    0F 01 E8          SDM vol. 2B SERIALIZE
 *   RDPRU (ECX=0, MPERF)         0F 01 FD          APM vol. 3 RDPRU
 *   VFMADDPS xmm0 x4 (FMA4)      C4 E3 79 68 C0 00 APM vol. 4 VFMADDPS
 *   RDPKRU (ECX=0)               0F 01 EE          SDM vol. 2B RDPKRU
 *   MOVDIRI [rdi], eax           0F 38 F9 07       SDM vol. 2B MOVDIRI
 *   LZCNT eax, ecx               F3 0F BD C1       SDM vol. 2A LZCNT; where LZCNT is
 *                                                  absent the encoding runs as BSR, so
 *                                                  exec:lzcnt needs LZCNT(1) = 31
 *   XGETBV (ECX=0)               0F 01 D0          SDM vol. 2B XGETBV
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static uint32_t scratch[16] __attribute__((aligned(64)));

/* Each try prints its word itself, once the instruction has run. */
static void try_extrq(void)
{
	asm volatile(".byte 0x66, 0x0f, 0x79, 0xc0" ::: "xmm0");
	puts("exec:sse4a");
}

static void try_rdtscp(void)
{
	asm volatile(".byte 0x0f, 0x01, 0xf9" ::: "rax", "rcx", "rdx");
	puts("exec:rdtscp");
}

static void try_rdpid(void)
{
	asm volatile(".byte 0xf3, 0x0f, 0xc7, 0xf8" ::: "rax");
	puts("exec:rdpid");
}

static void try_serialize(void)
{
	asm volatile(".byte 0x0f, 0x01, 0xe8" ::: "memory");
	puts("exec:serialize");
}

static void try_rdpru(void)
{
	asm volatile(".byte 0x0f, 0x01, 0xfd" :: "c"(0) : "rax", "rdx", "cc");
	puts("exec:rdpru");
}

static void try_fma4(void)
{
	asm volatile(".byte 0xc4, 0xe3, 0x79, 0x68, 0xc0, 0x00" ::: "xmm0");
	puts("exec:fma4");
}

static void try_rdpkru(void)
{
	asm volatile(".byte 0x0f, 0x01, 0xee" :: "c"(0) : "rax", "rdx");
	puts("exec:rdpkru");
}

static void try_movdiri(void)
{
	asm volatile(".byte 0x0f, 0x38, 0xf9, 0x07" :: "D"(scratch), "a"(1) : "memory");
	puts("exec:movdiri");
}

static void try_lzcnt(void)
{
	uint32_t r = 0;

	asm volatile(".byte 0xf3, 0x0f, 0xbd, 0xc1" : "+a"(r) : "c"(1) : "cc");
	if (r == 31)
		puts("exec:lzcnt");
}

static void try_xgetbv(void)
{
	uint32_t lo, hi;

	asm volatile(".byte 0x0f, 0x01, 0xd0" : "=a"(lo), "=d"(hi) : "c"(0));
	printf("xcr0:0x%llx\n", (unsigned long long)hi << 32 | lo);
}

static void (*const tries[])(void) = {
	try_extrq, try_rdtscp, try_rdpid, try_serialize, try_rdpru, try_fma4, try_rdpkru,
	try_movdiri, try_lzcnt, try_xgetbv,
};

int main(void)
{
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		pid_t pid;
		int status;

		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("hostcpu-probe: fork");
			return 1;
		}
		if (pid == 0) {
			tries[i]();
			fflush(stdout);
			_exit(0);
		}
		if (waitpid(pid, &status, 0) != pid) {
			perror("hostcpu-probe: waitpid");
			return 1;
		}
	}
	return 0;
}
