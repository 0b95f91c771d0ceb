// SPDX-License-Identifier: GPL-2.0-only
/* Repeated runs of one row (see repeat.h). */
#include <stdlib.h>
#include <string.h>

#include "repeat.h"

int bench_latency_row(const struct bench_row *row)
{
	return row->spec.sc == BENCH_PINGPONG || row->spec.sc == BENCH_OPENLOOP;
}

void bench_row_reset(struct bench_row *row)
{
	memset(&row->res, 0, sizeof(row->res));
	hist_init(&row->res.lat);
	row->runs = 0;
	row->ratio = 0;
}

int bench_row_done(const struct bench_row *row)
{
	return row->res.status != 0 || row->runs >= BENCH_MAX_REPEAT;
}

void bench_row_add(struct bench_row *row, const struct bench_result *r)
{
	struct bench_result *acc = &row->res;
	double w0 = (double)acc->msgs, w1 = (double)r->msgs;

	if (bench_row_done(row))
		return;
	if (r->status) {
		acc->status = r->status;
		memcpy(acc->why, r->why, sizeof(acc->why));
	}
	acc->lost += r->lost;
	acc->dup += r->dup;
	acc->corrupt += r->corrupt;
	if (r->status)
		return;
	hist_merge(&acc->lat, &r->lat);
	if (w0 + w1 > 0) {
		acc->cpu_us_per_msg = (acc->cpu_us_per_msg * w0 +
				       r->cpu_us_per_msg * w1) / (w0 + w1);
		acc->ctxsw_per_msg = (acc->ctxsw_per_msg * w0 +
				      r->ctxsw_per_msg * w1) / (w0 + w1);
		acc->sys_per_msg = (acc->sys_per_msg * w0 +
				    r->sys_per_msg * w1) / (w0 + w1);
	}
	acc->msgs += r->msgs;
	acc->secs += r->secs;
	row->run_rate[row->runs] = r->secs > 0 ? (double)r->msgs / r->secs : 0;
	row->run_p50[row->runs] = (double)hist_quantile(&r->lat, 0.5);
	row->runs++;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double bench_row_rate(const struct bench_row *row)
{
	double v[BENCH_MAX_REPEAT];
	unsigned int n = row->runs;

	if (!n)
		return 0;
	memcpy(v, row->run_rate, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double bench_row_value(const struct bench_row *row)
{
	if (bench_latency_row(row))
		return (double)hist_quantile(&row->res.lat, 0.5);
	return bench_row_rate(row);
}

unsigned int bench_row_spread(const struct bench_row *row, double *lo,
			      double *hi)
{
	const double *v = bench_latency_row(row) ? row->run_p50 : row->run_rate;
	unsigned int i;

	*lo = *hi = 0;
	for (i = 0; i < row->runs; i++) {
		if (!i || v[i] < *lo)
			*lo = v[i];
		if (!i || v[i] > *hi)
			*hi = v[i];
	}
	return row->runs;
}
