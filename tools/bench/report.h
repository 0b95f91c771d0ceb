/* SPDX-License-Identifier: GPL-2.0-only */
/* Results: the readable table, CSV and JSON. */
#ifndef IPCMBOX_BENCH_REPORT_H
#define IPCMBOX_BENCH_REPORT_H

#include <stdio.h>

#include "env.h"
#include "run.h"

/* Most runs of one row (ipcmbox-bench -R). */
#define BENCH_MAX_REPEAT	25

/* One row of the results: a spec, run once or more (repeat.h). */
struct bench_row {
	struct bench_spec spec;
	struct bench_result res;	/* the runs added up */
	unsigned int runs;		/* measured runs */
	double run_rate[BENCH_MAX_REPEAT];	/* each run's messages/s */
	double run_p50[BENCH_MAX_REPEAT];	/* each run's p50, ns */
	double ratio;		/* to pipe in the same run; 0: none */
};

/*
 * Fills each row's ratio to the pipe row of the same scenario, size,
 * placement and rate: time per round trip (pingpong) or p50 latency
 * (open loop) divided by pipe's, so below 1 is faster; messages per
 * second divided by pipe's (stream, fan-in), so above 1 is faster.
 * Over repeated runs: the p50 of all their samples, the median of their
 * rates.
 */
void bench_ratios(struct bench_row *rows, unsigned int n);

void bench_table(FILE *f, const struct bench_env *env,
		 const struct bench_row *rows, unsigned int n);
void bench_csv(FILE *f, const struct bench_row *rows, unsigned int n);
void bench_json(FILE *f, const struct bench_env *env,
		const struct bench_row *rows, unsigned int n);

#endif /* IPCMBOX_BENCH_REPORT_H */
