// SPDX-License-Identifier: GPL-2.0-only
/* The readable table, CSV and JSON of a benchmark (see report.h). */
#include <string.h>

#include "repeat.h"
#include "report.h"
#include "json.h"

static int same_case(const struct bench_spec *a, const struct bench_spec *b)
{
	return a->sc == b->sc && a->size == b->size && a->cross == b->cross &&
	       a->rate == b->rate && a->senders == b->senders;
}

/* The headline's spread over the runs, in % of the row's value; < 0: none. */
static double spread_pct(const struct bench_row *r)
{
	double lo, hi, v;

	if (bench_row_spread(r, &lo, &hi) < 2)
		return -1;
	v = bench_row_value(r);
	return v > 0 ? (hi - lo) / v * 100 : -1;
}

void bench_ratios(struct bench_row *rows, unsigned int n)
{
	const struct bench_row *pipe;
	unsigned int i, j;

	for (i = 0; i < n; i++) {
		rows[i].ratio = 0;
		if (rows[i].res.status)
			continue;
		pipe = NULL;
		for (j = 0; j < n; j++)
			if (!strcmp(rows[j].spec.ad->name, "pipe") &&
			    !rows[j].res.status &&
			    same_case(&rows[i].spec, &rows[j].spec))
				pipe = &rows[j];
		if (pipe && bench_row_value(pipe) > 0)
			rows[i].ratio = bench_row_value(&rows[i]) /
					bench_row_value(pipe);
	}
}

static const char *placement(const struct bench_spec *s)
{
	return s->cross ? "cross" : "same";
}

static void size_str(char *buf, size_t len, size_t v)
{
	if (v >= (1U << 20) && !(v % (1U << 20)))
		snprintf(buf, len, "%zuM", v >> 20);
	else if (v >= 1024 && !(v % 1024))
		snprintf(buf, len, "%zuK", v >> 10);
	else
		snprintf(buf, len, "%zu", v);
}

static void us(FILE *f, uint64_t ns)
{
	fprintf(f, " %9.2f", (double)ns / 1e3);
}

void bench_table(FILE *f, const struct bench_env *env,
		 const struct bench_row *rows, unsigned int n)
{
	static const double q[] = { 0.5, 0.9, 0.99, 0.999 };
	enum bench_scenario last = BENCH_NR_SCENARIOS;
	const struct bench_row *r;
	double rate, spread;
	unsigned int i, k;
	char sz[24];

	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (r->spec.sc != last) {
			last = r->spec.sc;
			fprintf(f, "\n%s: %s\n", bench_scenario_names[last],
				last == BENCH_PINGPONG ? "round-trip time (us), round trips/s; x pipe = RTT / pipe's RTT" :
				last == BENCH_OPENLOOP ? "latency from the intended send time (us); x pipe = p50 / pipe's p50" :
				"messages/s; x pipe = msg/s / pipe's msg/s");
			/* Which clock made these times, on every table. */
			bench_env_timing(f, env);
			fprintf(f, "%-23s %5s %5s %8s %9s %9s %9s %9s %9s %11s %9s %8s %7s %7s %6s %6s  %s\n",
				"mechanism", "size", "place", "rate", "p50", "p90",
				"p99", "p99.9", "max", "msg/s", "MB/s",
				"cpu us/m", "csw/m", "sys/m", "x pipe", "spread",
				"note");
		}
		size_str(sz, sizeof(sz), r->spec.size);
		fprintf(f, "%-23s %5s %5s ", r->spec.ad->name, sz,
			placement(&r->spec));
		if (r->spec.sc == BENCH_OPENLOOP)
			fprintf(f, "%8.0f", r->spec.rate);
		else if (r->spec.sc == BENCH_FANIN)
			fprintf(f, "%7ux", r->spec.senders);
		else
			fprintf(f, "%8s", "-");
		if (r->res.status) {
			fprintf(f, "  %s: %s\n",
				r->res.status > 0 ? "n/a" : "FAILED", r->res.why);
			continue;
		}
		if (bench_latency_row(r)) {
			for (k = 0; k < 4; k++)
				us(f, hist_quantile(&r->res.lat, q[k]));
			us(f, r->res.lat.max);
		} else {
			fprintf(f, " %9s %9s %9s %9s %9s", "-", "-", "-", "-", "-");
		}
		rate = bench_row_rate(r);
		fprintf(f, " %11.0f %9.2f %8.2f %7.2f %7.2f", rate,
			rate * (double)r->spec.size / 1e6,
			r->res.cpu_us_per_msg, r->res.ctxsw_per_msg,
			r->res.sys_per_msg);
		if (r->ratio > 0)
			fprintf(f, " %6.2f", r->ratio);
		else
			fprintf(f, " %6s", "-");
		spread = spread_pct(r);
		if (spread >= 0)
			fprintf(f, " %5.1f%%\n", spread);
		else
			fprintf(f, " %6s\n", "-");
	}
}

static const char *status_word(const struct bench_result *r)
{
	return !r->status ? "ok" : r->status > 0 ? "n/a" : "failed";
}

void bench_csv(FILE *f, const struct bench_row *rows, unsigned int n)
{
	const struct bench_row *r;
	unsigned int i;

	fputs("scenario,mechanism,size,placement,rate,senders,depth,count,status,"
	      "p50_ns,p90_ns,p99_ns,p999_ns,max_ns,mean_ns,msgs_per_s,bytes_per_s,"
	      "cpu_us_per_msg,ctxsw_per_msg,ratio_to_pipe,lost,duplicated,corrupted,"
	      "runs,run_min,run_max,note,syscalls_per_msg\n",
	      f);
	for (i = 0; i < n; i++) {
		const struct hist *h;
		double lo, hi, rate;

		r = &rows[i];
		h = &r->res.lat;
		rate = bench_row_rate(r);
		fprintf(f, "%s,%s,%zu,%s,%.0f,%u,%u,%llu,%s,",
			bench_scenario_names[r->spec.sc], r->spec.ad->name,
			r->spec.size, placement(&r->spec), r->spec.rate,
			r->spec.sc == BENCH_FANIN ? r->spec.senders : 1,
			r->spec.depth, (unsigned long long)r->res.msgs,
			status_word(&r->res));
		if (!r->res.status && h->count)
			fprintf(f, "%llu,%llu,%llu,%llu,%llu,%.0f,",
				(unsigned long long)hist_quantile(h, 0.5),
				(unsigned long long)hist_quantile(h, 0.9),
				(unsigned long long)hist_quantile(h, 0.99),
				(unsigned long long)hist_quantile(h, 0.999),
				(unsigned long long)h->max,
				(double)h->sum / (double)h->count);
		else
			fputs(",,,,,,", f);
		if (!r->res.status)
			fprintf(f, "%.1f,%.1f,%.3f,%.3f,", rate,
				rate * (double)r->spec.size,
				r->res.cpu_us_per_msg, r->res.ctxsw_per_msg);
		else
			fputs(",,,,", f);
		if (r->ratio > 0)
			fprintf(f, "%.4f", r->ratio);
		fprintf(f, ",%llu,%llu,%llu,%u,",
			(unsigned long long)r->res.lost,
			(unsigned long long)r->res.dup,
			(unsigned long long)r->res.corrupt,
			bench_row_spread(r, &lo, &hi));
		if (r->runs && !r->res.status)
			fprintf(f, "%.1f,%.1f,", lo, hi);
		else
			fputs(",,", f);
		fprintf(f, "\"%s\",", r->res.why);
		if (!r->res.status)
			fprintf(f, "%.3f", r->res.sys_per_msg);
		fputc('\n', f);
	}
}

void bench_json(FILE *f, const struct bench_env *env,
		const struct bench_row *rows, unsigned int n)
{
	const struct bench_row *r;
	const struct hist *h;
	unsigned int i;
	double lo, hi, rate;

	fputs("{\n  \"env\": ", f);
	bench_env_json(f, env);
	fputs(",\n  \"results\": [\n", f);
	for (i = 0; i < n; i++) {
		r = &rows[i];
		h = &r->res.lat;
		fprintf(f, "    {\"scenario\": \"%s\", \"mechanism\": \"%s\", \"size\": %zu, "
			"\"placement\": \"%s\", \"rate\": %.0f, \"senders\": %u, \"depth\": %u, "
			"\"count\": %llu, \"copies\": %u, \"status\": \"%s\", \"note\": ",
			bench_scenario_names[r->spec.sc], r->spec.ad->name,
			r->spec.size, placement(&r->spec), r->spec.rate,
			r->spec.sc == BENCH_FANIN ? r->spec.senders : 1,
			r->spec.depth, (unsigned long long)r->res.msgs,
			r->spec.ad->copies, status_word(&r->res));
		json_str(f, r->res.why);
		if (!r->res.status) {
			rate = bench_row_rate(r);
			if (h->count)
				fprintf(f, ", \"latency_ns\": {\"p50\": %llu, \"p90\": %llu, "
					"\"p99\": %llu, \"p999\": %llu, \"max\": %llu, \"min\": %llu}",
					(unsigned long long)hist_quantile(h, 0.5),
					(unsigned long long)hist_quantile(h, 0.9),
					(unsigned long long)hist_quantile(h, 0.99),
					(unsigned long long)hist_quantile(h, 0.999),
					(unsigned long long)h->max,
					(unsigned long long)h->min);
			fprintf(f, ", \"msgs_per_s\": %.1f, \"bytes_per_s\": %.1f, "
				"\"cpu_us_per_msg\": %.3f, \"ctxsw_per_msg\": %.3f, "
				"\"syscalls_per_msg\": %.3f",
				rate, rate * (double)r->spec.size,
				r->res.cpu_us_per_msg, r->res.ctxsw_per_msg,
				r->res.sys_per_msg);
			if (r->ratio > 0)
				fprintf(f, ", \"ratio_to_pipe\": %.4f", r->ratio);
			if (bench_row_spread(r, &lo, &hi))
				fprintf(f, ", \"run_min\": %.1f, \"run_max\": %.1f",
					lo, hi);
		}
		fprintf(f, ", \"runs\": %u", r->runs);
		fprintf(f, "}%s\n", i + 1 < n ? "," : "");
	}
	fputs("  ]\n}\n", f);
}
