/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Latency histogram: log-linear buckets (128 per power of two, so a value
 * is kept to within 0.8 %), from 0 to 2^40 ns (18 minutes).  Plain data,
 * so that it can live in memory shared between processes.
 */
#ifndef IPCMBOX_BENCH_HIST_H
#define IPCMBOX_BENCH_HIST_H

#include <stdint.h>

#define HIST_SUB_BITS	7
#define HIST_SUB	(1U << HIST_SUB_BITS)
#define HIST_MAX_BITS	40
#define HIST_BUCKETS	((HIST_MAX_BITS - HIST_SUB_BITS + 1) * HIST_SUB)

struct hist {
	uint64_t count;
	uint64_t min, max;	/* exact */
	uint64_t sum;		/* exact, for the mean */
	uint64_t over;		/* values above 2^40 ns, counted as max */
	uint32_t bucket[HIST_BUCKETS];
};

void hist_init(struct hist *h);
void hist_add(struct hist *h, uint64_t v);
void hist_merge(struct hist *dst, const struct hist *src);
/* The smallest value v with at least q (0 < q <= 1) of all values <= v. */
uint64_t hist_quantile(const struct hist *h, double q);

#endif /* IPCMBOX_BENCH_HIST_H */
