/* SPDX-License-Identifier: GPL-2.0-only */
/* Where a benchmark ran: printed and saved with its results. */
#ifndef IPCMBOX_BENCH_ENV_H
#define IPCMBOX_BENCH_ENV_H

#include <stdio.h>

struct bench_env {
	char date[32];		/* UTC, ISO 8601 */
	char kernel[160];	/* uname -r and -v */
	char machine[72];
	char cpu[128];		/* model name */
	int ncpus;		/* CPUs this process may run on */
	char hypervisor[16];	/* CPUID 0x40000000 signature, "" on metal */
	char virt[64];		/* "none", "KVM", "TCG (emulated)", ... */
	int emulated;		/* times are not those of real hardware */
	char host[160];		/* $IPCMBOX_BENCH_HOST: the runner's view */
	char timing[128];	/* $IPCMBOX_BENCH_TIMING, else "wall clock" */
	int icount;		/* guest time counts instructions */
	char cmdline[256];
	char mitigations[160];	/* summary of cpu/vulnerabilities */
	long clock_res_ns;
	long clock_cost_ns;	/* median back-to-back clock_gettime */
};

void bench_env_read(struct bench_env *e);
void bench_env_print(FILE *f, const struct bench_env *e);
void bench_env_json(FILE *f, const struct bench_env *e);
/* One line naming the mode that produced a table's times. */
void bench_env_timing(FILE *f, const struct bench_env *e);


#endif /* IPCMBOX_BENCH_ENV_H */
