/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Repeated runs of one row (ipcmbox-bench -R N): what is kept of each run,
 * and the row's value and spread over them.
 */
#ifndef IPCMBOX_BENCH_REPEAT_H
#define IPCMBOX_BENCH_REPEAT_H

#include "report.h"

/*
 * Adds run @r to @row, which bench_row_reset() prepared.  A failed run
 * fails the row; a row that failed or is not applicable takes no more
 * runs (bench_row_done() tells).  Latency histograms, message counts and
 * loss counters add up over the runs; CPU time and context switches per
 * message are averaged over them, weighted by messages.
 */
void bench_row_reset(struct bench_row *row);
void bench_row_add(struct bench_row *row, const struct bench_result *r);
int bench_row_done(const struct bench_row *row);

/* Messages per second: the median of the runs' rates. */
double bench_row_rate(const struct bench_row *row);

/* Whether the row's headline is a latency (ping-pong, open loop). */
int bench_latency_row(const struct bench_row *row);

/*
 * The row's headline, which ratios and the spread compare: the p50 of its
 * pooled latencies in ns (ping-pong, open loop), else bench_row_rate().
 */
double bench_row_value(const struct bench_row *row);

/*
 * The smallest and largest run of the row's headline: p50 in ns (ping-pong,
 * open loop) or messages per second (stream, fan-in).  Returns the number
 * of runs.
 */
unsigned int bench_row_spread(const struct bench_row *row, double *lo,
			      double *hi);

#endif /* IPCMBOX_BENCH_REPEAT_H */
