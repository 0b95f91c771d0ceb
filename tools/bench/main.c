// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-bench - ipcmbox side by side with pipes, FIFOs, sockets, message
 * queues, shared memory and signals.  See Documentation/benchmarks.rst.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "ipcmbox.h"
#include "repeat.h"
#include "report.h"
#include "run.h"
#include "sem.h"

#define MAX_LIST	32

struct opts {
	const struct bench_adapter *ads[64];
	unsigned int nads;
	int scen[BENCH_NR_SCENARIOS];
	size_t sizes[MAX_LIST];
	unsigned int nsizes;
	int place[2];		/* same, cross */
	double rates[MAX_LIST];
	unsigned int nrates;
	uint64_t count, warmup, budget;
	unsigned int depth, senders, timeout, repeat;
	const char *out;
	int quiet, verify;
	enum bench_inject inject;
};

static void usage(FILE *f)
{
	fputs("usage: ipcmbox-bench [OPTIONS]\n"
	      "       ipcmbox-bench --list\n"
	      "       ipcmbox-bench --semantics [-m LIST] [-o DIR]\n"
	      "  -m, --mech LIST       mechanisms (default: all; see --list)\n"
	      "  -s, --scenario LIST   pingpong,stream,openloop,fanin (default: all)\n"
	      "  -z, --sizes LIST      message sizes, K and M suffixes\n"
	      "                        (default: 0,64,1K,4K,64K,1M)\n"
	      "  -p, --placement LIST  same (one CPU), cross (two CPUs) (default: both)\n"
	      "  -n, --count N         measured messages per run (default 10000)\n"
	      "  -w, --warmup N        messages before them (default: count / 10)\n"
	      "  -b, --budget BYTES    at most this many measured bytes per run,\n"
	      "                        fewer messages for large sizes (default 64M)\n"
	      "  -d, --depth N         queue depth of stream channels (default 64)\n"
	      "  -S, --senders N       fan-in senders (default 4)\n"
	      "  -r, --rates LIST      open-loop offered rates, msg/s (default 1000,10000)\n"
	      "  -t, --timeout S       seconds per run before it fails (default 120)\n"
	      "  -R, --repeat N        run every row N times (1..25, default 1), each\n"
	      "                        round in a new mechanism order; report the\n"
	      "                        median rate, pooled latencies and the spread\n"
	      "  -o, --out DIR         also write results.csv, results.json, env.txt\n"
	      "  -q, --quiet           no progress line\n"
	      "      --verify          exit 1 when a run failed (default: report it)\n"
	      "      --inject KIND     test hook: senders skip, dup or corrupt a message\n"
	      "  -l, --list            list the mechanisms\n"
	      "      --semantics       measure what each mechanism does (boundaries,\n"
	      "                        capacity, peer death, persistence, ...) and\n"
	      "                        print the lecture's table; -m takes pipe, fifo,\n"
	      "                        unix-stream, unix-dgram, unix-seqpacket, tcp,\n"
	      "                        posix-mq, sysv-msg, shm, rt-signal, ipcmbox-zero,\n"
	      "                        ipcmbox-bounded, ipcmbox-unbounded, ipcmbox-pair,\n"
	      "                        ipcmbox-region\n"
	      "  -h, --help\n"
	      "      --version\n"
	      "Exit status: 0, or 1 when a run failed with --verify, 2 for bad usage.\n",
	      f);
}

static int parse_size(const char *s, size_t *v)
{
	char *end;
	unsigned long long x;

	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	if (*end == 'K' || *end == 'k')
		x <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		x <<= 20, end++;
	if (*end || x > (1ULL << 30))
		return -1;
	*v = (size_t)x;
	return 0;
}

/* Calls @fn for each comma-separated item of @list. */
static int each(char *list, int (*fn)(struct opts *, const char *),
		struct opts *o)
{
	char *save = NULL, *t;

	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (fn(o, t))
			return -1;
	return 0;
}

static int add_mech(struct opts *o, const char *t)
{
	const struct bench_adapter *a = bench_adapter_find(t);
	unsigned int i;

	if (!strcmp(t, "ipcmbox")) {	/* every ipcmbox variant */
		for (i = 0; bench_adapters[i]; i++)
			if (!strncmp(bench_adapters[i]->name, "ipcmbox-", 8) &&
			    o->nads < 64)
				o->ads[o->nads++] = bench_adapters[i];
		return 0;
	}
	if (!a || o->nads >= 64) {
		fprintf(stderr, "ipcmbox-bench: unknown mechanism '%s' (see --list)\n", t);
		return -1;
	}
	o->ads[o->nads++] = a;
	return 0;
}

static int add_scen(struct opts *o, const char *t)
{
	int i;

	for (i = 0; i < BENCH_NR_SCENARIOS; i++) {
		if (!strcmp(t, bench_scenario_names[i])) {
			o->scen[i] = 1;
			return 0;
		}
	}
	fprintf(stderr, "ipcmbox-bench: unknown scenario '%s'\n", t);
	return -1;
}

static int add_size(struct opts *o, const char *t)
{
	if (o->nsizes >= MAX_LIST || parse_size(t, &o->sizes[o->nsizes])) {
		fprintf(stderr, "ipcmbox-bench: bad size '%s'\n", t);
		return -1;
	}
	o->nsizes++;
	return 0;
}

static int add_place(struct opts *o, const char *t)
{
	if (!strcmp(t, "same") || !strcmp(t, "cross")) {
		o->place[t[0] == 'c'] = 1;
		return 0;
	}
	fprintf(stderr, "ipcmbox-bench: placement is same or cross, not '%s'\n", t);
	return -1;
}

static int add_rate(struct opts *o, const char *t)
{
	char *end;
	double r = strtod(t, &end);

	if (end == t || *end || r <= 0 || r > 1e8 || o->nrates >= MAX_LIST) {
		fprintf(stderr, "ipcmbox-bench: bad rate '%s'\n", t);
		return -1;
	}
	o->rates[o->nrates++] = r;
	return 0;
}

static int num(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	size_t x;

	if (parse_size(s, &x) || x < min || x > max) {
		fprintf(stderr, "ipcmbox-bench: '%s' is not a number in %llu..%llu\n",
			s, (unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*v = x;
	return 0;
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "mech", 1, NULL, 'm' }, { "scenario", 1, NULL, 's' },
		{ "sizes", 1, NULL, 'z' }, { "placement", 1, NULL, 'p' },
		{ "count", 1, NULL, 'n' }, { "warmup", 1, NULL, 'w' },
		{ "budget", 1, NULL, 'b' }, { "depth", 1, NULL, 'd' },
		{ "senders", 1, NULL, 'S' }, { "rates", 1, NULL, 'r' },
		{ "timeout", 1, NULL, 't' }, { "out", 1, NULL, 'o' },
		{ "quiet", 0, NULL, 'q' }, { "verify", 0, NULL, 'V' },
		{ "inject", 1, NULL, 'I' }, { "list", 0, NULL, 'l' },
		{ "repeat", 1, NULL, 'R' }, { "help", 0, NULL, 'h' },
		{ "version", 0, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c, warm_set = 0;

	while ((c = getopt_long(argc, argv, "m:s:z:p:n:w:b:d:S:r:t:R:o:qlh", lo,
				NULL)) != -1) {
		switch (c) {
		case 'm': if (each(optarg, add_mech, o)) return 2; break;
		case 's': if (each(optarg, add_scen, o)) return 2; break;
		case 'z': if (each(optarg, add_size, o)) return 2; break;
		case 'p': if (each(optarg, add_place, o)) return 2; break;
		case 'r': if (each(optarg, add_rate, o)) return 2; break;
		case 'n': if (num(optarg, 1, 1ULL << 40, &o->count)) return 2; break;
		case 'w':
			if (num(optarg, 0, 1ULL << 40, &o->warmup))
				return 2;
			warm_set = 1;
			break;
		case 'b': if (num(optarg, 1, 1ULL << 40, &o->budget)) return 2; break;
		case 'd':
			if (num(optarg, 1, 65536, &v))
				return 2;
			o->depth = (unsigned int)v;
			break;
		case 'S':
			if (num(optarg, 1, BENCH_MAX_PROCS, &v))
				return 2;
			o->senders = (unsigned int)v;
			break;
		case 't':
			if (num(optarg, 1, 86400, &v))
				return 2;
			o->timeout = (unsigned int)v;
			break;
		case 'R':
			if (num(optarg, 1, BENCH_MAX_REPEAT, &v))
				return 2;
			o->repeat = (unsigned int)v;
			break;
		case 'o': o->out = optarg; break;
		case 'q': o->quiet = 1; break;
		case 'V': o->verify = 1; break;
		case 'I':
			if (!strcmp(optarg, "skip"))
				o->inject = INJECT_SKIP;
			else if (!strcmp(optarg, "dup"))
				o->inject = INJECT_DUP;
			else if (!strcmp(optarg, "corrupt"))
				o->inject = INJECT_CORRUPT;
			else
				return 2;
			break;
		case 'l': return 3;
		case 'h': return 4;
		case 'v': return 5;
		default: return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ipcmbox-bench: unexpected '%s'\n", argv[optind]);
		return 2;
	}
	if (!warm_set)
		o->warmup = o->count / 10;
	return 0;
}

static void defaults(struct opts *o)
{
	static const size_t sizes[] = { 0, 64, 1024, 4096, 65536, 1 << 20 };
	unsigned int i;

	if (!o->nads)
		for (i = 0; bench_adapters[i]; i++)
			o->ads[o->nads++] = bench_adapters[i];
	for (i = 0; i < BENCH_NR_SCENARIOS && !o->scen[i]; i++)
		;
	if (i == BENCH_NR_SCENARIOS)
		for (i = 0; i < BENCH_NR_SCENARIOS; i++)
			o->scen[i] = 1;
	if (!o->nsizes)
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			o->sizes[o->nsizes++] = sizes[i];
	if (!o->place[0] && !o->place[1])
		o->place[0] = o->place[1] = 1;
	if (!o->nrates) {
		o->rates[o->nrates++] = 1000;
		o->rates[o->nrates++] = 10000;
	}
}

static void list(void)
{
	unsigned int i;

	for (i = 0; bench_adapters[i]; i++)
		printf("%-24s %s; waits: %s; copies: %u (%s)\n",
		       bench_adapters[i]->name, bench_adapters[i]->desc,
		       bench_adapters[i]->wait, bench_adapters[i]->copies,
		       bench_adapters[i]->copies_how);
}

/* The CPUs the runs are pinned to: the first two this process may use. */
static int pick_cpus(int cpu[2])
{
	cpu_set_t set;
	int i, n = 0;

	cpu[0] = cpu[1] = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	for (i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, &set))
			cpu[n++] = i;
	if (n == 1)
		cpu[1] = cpu[0];
	return n;
}

static FILE *out_file(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "ipcmbox-bench: %s: %s\n", path, strerror(errno));
	return f;
}

static int write_out(const struct opts *o, const struct bench_env *env,
		     const struct bench_row *rows, unsigned int n)
{
	FILE *f;

	if (mkdir(o->out, 0755) && errno != EEXIST) {
		fprintf(stderr, "ipcmbox-bench: %s: %s\n", o->out, strerror(errno));
		return -1;
	}
	f = out_file(o->out, "results.csv");
	if (!f)
		return -1;
	bench_csv(f, rows, n);
	fclose(f);
	f = out_file(o->out, "results.json");
	if (!f)
		return -1;
	bench_json(f, env, rows, n);
	fclose(f);
	f = out_file(o->out, "env.txt");
	if (!f)
		return -1;
	bench_env_print(f, env);
	fclose(f);
	f = out_file(o->out, "table.txt");
	if (!f)
		return -1;
	bench_table(f, env, rows, n);
	fclose(f);
	return 0;
}

/*
 * Lays out every row: for each scenario, size, placement and rate (a
 * case), one row per mechanism, next to each other.  Returns the rows.
 */
static unsigned int fill_rows(const struct opts *o, const int cpu[2],
			      struct bench_row *rows)
{
	unsigned int n = 0, a, z, pl, sc, rt, nr;

	for (sc = 0; sc < BENCH_NR_SCENARIOS; sc++) {
		if (!o->scen[sc])
			continue;
		nr = sc == BENCH_OPENLOOP ? o->nrates : 1;
		for (z = 0; z < o->nsizes; z++)
		for (pl = 0; pl < 2; pl++) {
			if (!o->place[pl])
				continue;
			for (rt = 0; rt < nr; rt++)
			for (a = 0; a < o->nads; a++) {
				struct bench_row *r = &rows[n++];
				struct bench_spec *s = &r->spec;
				uint64_t cnt = o->count;

				if (o->sizes[z] && cnt > o->budget / o->sizes[z])
					cnt = o->budget / o->sizes[z];
				if (cnt < 1)
					cnt = 1;
				s->ad = o->ads[a];
				s->sc = (enum bench_scenario)sc;
				s->size = o->sizes[z];
				s->depth = o->depth;
				s->senders = o->senders;
				s->count = cnt;
				s->warmup = o->warmup * cnt / o->count;
				s->rate = sc == BENCH_OPENLOOP ? o->rates[rt] : 0;
				s->cross = (int)pl;
				s->cpu[0] = cpu[0];
				s->cpu[1] = cpu[1];
				s->timeout = o->timeout;
				s->inject = o->inject;
				bench_row_reset(r);
			}
		}
	}
	return n;
}

/*
 * The order of @n mechanisms in round @round: as given in the first, then
 * a permutation drawn from a generator seeded with the round, so a rerun
 * repeats it.
 */
static void shuffle(unsigned int *order, unsigned int n, unsigned int round)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL * (round + 1);
	unsigned int i, j, t;

	for (i = 0; i < n; i++)
		order[i] = i;
	if (!round)
		return;
	for (i = n; i > 1; i--) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (unsigned int)(x % i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
}

/* " (run 2/5)" on the progress line, nothing for a single run. */
static const char *round_str(unsigned int round, unsigned int repeat)
{
	static char buf[32];

	if (repeat < 2)
		return "";
	snprintf(buf, sizeof(buf), " (run %u/%u)", round + 1, repeat);
	return buf;
}

/* ipcmbox-bench --semantics [-m LIST] [-o DIR] */
static int semantics(int argc, char **argv)
{
	const char *mechs = NULL, *out = NULL;
	int i;

	for (i = 2; i < argc; i++) {
		if (i + 1 < argc && (!strcmp(argv[i], "-m") || !strcmp(argv[i], "--mech")))
			mechs = argv[++i];
		else if (i + 1 < argc && (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--out")))
			out = argv[++i];
		else {
			usage(stderr);
			return 2;
		}
	}
	if (out && mkdir(out, 0755) && errno != EEXIST) {
		fprintf(stderr, "ipcmbox-bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	return sem_main(mechs, out);
}

int main(int argc, char **argv)
{
	struct opts o = {
		.count = 10000, .budget = 64ULL << 20, .depth = 64,
		.senders = 4, .timeout = 120, .repeat = 1,
	};
	struct bench_row *rows;
	struct bench_result *res;
	struct bench_env env;
	unsigned int n, total, done = 0, a, g, i, sc, round, failed = 0;
	unsigned int order[64];
	int cpu[2], ncpu, tty = isatty(2), rc;

	if (argc > 1 && !strcmp(argv[1], "--semantics-peer"))
		return sem_peer_main(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "--semantics"))
		return semantics(argc, argv);
	rc = parse(argc, argv, &o);
	if (rc == 3) {
		list();
		return 0;
	}
	if (rc == 5) {
		printf("ipcmbox-bench %s (libipcmbox %s)\n", BENCH_VERSION,
		       ipcmbox_lib_version());
		return 0;
	}
	if (rc == 4 || rc == 2) {
		usage(rc == 4 ? stdout : stderr);
		return rc == 4 ? 0 : 2;
	}
	defaults(&o);
	ncpu = pick_cpus(cpu);
	if (ncpu < 2 && o.place[1]) {
		fprintf(stderr, "ipcmbox-bench: one CPU only: no cross placement\n");
		o.place[1] = 0;
		if (!o.place[0])
			return 2;
	}
	bench_env_read(&env);
	bench_env_print(stdout, &env);
	fflush(stdout);

	total = 0;
	for (sc = 0; sc < BENCH_NR_SCENARIOS; sc++)
		if (o.scen[sc])
			total += o.nads * o.nsizes * (o.place[0] + o.place[1]) *
				 (sc == BENCH_OPENLOOP ? o.nrates : 1);
	rows = calloc(total ? total : 1, sizeof(*rows));
	res = malloc(sizeof(*res));
	if (!rows || !res)
		return 1;
	n = fill_rows(&o, cpu, rows);

	/*
	 * Round by round: each runs every row once, the mechanisms of each
	 * case in a new order, so that a drift of the machine does not
	 * always favour the same one.
	 */
	for (round = 0; round < o.repeat; round++) {
		for (g = 0; g < n; g += o.nads) {
			shuffle(order, o.nads, round);
			for (a = 0; a < o.nads; a++) {
				struct bench_row *r = &rows[g + order[a]];
				const struct bench_spec *s = &r->spec;

				if (bench_row_done(r))
					continue;
				if (!o.quiet)
					fprintf(stderr, "%s[%u/%u] %s %s %zu B %s%s%s",
						tty ? "\r\033[K" : "",
						++done, n * o.repeat,
						bench_scenario_names[s->sc], s->ad->name,
						s->size, s->cross ? "cross" : "same",
						round_str(round, o.repeat),
						tty ? "" : "\n");
				bench_run(s, res);
				bench_row_add(r, res);
			}
		}
	}
	for (i = 0; i < n; i++)
		if (rows[i].res.status < 0)
			failed++;
	free(res);
	if (!o.quiet && tty)
		fputs("\r\033[K", stderr);
	bench_ratios(rows, n);
	bench_table(stdout, &env, rows, n);
	if (o.repeat > 1)
		printf("\n%u rows of %u runs each, %u failed\n", n, o.repeat,
		       failed);
	else
		printf("\n%u runs, %u failed\n", n, failed);
	if (o.out && write_out(&o, &env, rows, n))
		failed++;
	free(rows);
	return o.verify && failed ? 1 : 0;
}
