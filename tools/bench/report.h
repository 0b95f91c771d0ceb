/* SPDX-License-Identifier: GPL-2.0-only */
/* Results: the readable table, CSV and JSON. */
#ifndef IPCMBOX_BENCH_REPORT_H
#define IPCMBOX_BENCH_REPORT_H

#include <stdio.h>

#include "env.h"
#include "run.h"

struct bench_row {
	struct bench_spec spec;
	struct bench_result res;
	double ratio;		/* to pipe in the same run; 0: none */
};

/*
 * Fills each row's ratio to the pipe row of the same scenario, size,
 * placement and rate: time per round trip (pingpong) or p50 latency
 * (open loop) divided by pipe's, so below 1 is faster; messages per
 * second divided by pipe's (stream, fan-in), so above 1 is faster.
 */
void bench_ratios(struct bench_row *rows, unsigned int n);

void bench_table(FILE *f, const struct bench_row *rows, unsigned int n);
void bench_csv(FILE *f, const struct bench_row *rows, unsigned int n);
void bench_json(FILE *f, const struct bench_env *env,
		const struct bench_row *rows, unsigned int n);

#endif /* IPCMBOX_BENCH_REPORT_H */
