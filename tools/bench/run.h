/* SPDX-License-Identifier: GPL-2.0-only */
/* One measured run: a scenario, an adapter, a size, a placement. */
#ifndef IPCMBOX_BENCH_RUN_H
#define IPCMBOX_BENCH_RUN_H

#include <stdint.h>

#include "bench.h"
#include "hist.h"

enum bench_scenario {
	BENCH_PINGPONG,		/* closed-loop round trips, 1 <-> 1 */
	BENCH_STREAM,		/* one-way, as fast as possible, 1 -> 1 */
	BENCH_OPENLOOP,		/* one-way at a fixed offered rate, 1 -> 1 */
	BENCH_FANIN,		/* one-way, N -> 1 */
	BENCH_NR_SCENARIOS
};

extern const char *const bench_scenario_names[BENCH_NR_SCENARIOS];

/* Test hooks: make a sender misbehave, to prove the checks catch it. */
enum bench_inject { INJECT_NONE, INJECT_SKIP, INJECT_DUP, INJECT_CORRUPT };

struct bench_spec {
	const struct bench_adapter *ad;
	enum bench_scenario sc;
	size_t size;
	unsigned int depth;	/* queue depth of streaming channels */
	unsigned int senders;	/* fan-in */
	uint64_t count;		/* measured messages (round trips) */
	uint64_t warmup;	/* before them, not measured */
	double rate;		/* open loop: messages per second */
	int cross;		/* 0: every process on one CPU; 1: spread */
	int cpu[2];		/* the CPUs used */
	unsigned int timeout;	/* seconds for the whole run */
	enum bench_inject inject;
};

/* Per process, in memory shared with the parent. */
struct bench_proc {
	struct hist lat;	/* RTT (pingpong) or latency (open loop) */
	uint64_t msgs;		/* messages (round trips) this process did */
	uint64_t lost, dup, corrupt;
	int64_t t_start, t_end;	/* CLOCK_MONOTONIC ns of the measured part */
	int64_t cpu_ns;		/* user + system time of the process */
	int64_t ctxsw;		/* voluntary + involuntary switches */
	uint64_t syscalls;	/* system calls made through the adapter */
	int err;		/* -errno of a failed call, 0 */
	char what[96];		/* which call failed */
};

struct bench_result {
	int status;		/* 0 measured; 1 not applicable; -errno failed */
	char why[128];
	struct hist lat;
	uint64_t msgs;		/* measured messages (round trips) */
	double secs;		/* measured wall time */
	uint64_t lost, dup, corrupt;
	double cpu_us_per_msg;	/* all processes, warm-up included */
	double ctxsw_per_msg;
	double sys_per_msg;	/* all processes' system calls, likewise */
};

/* Runs @s; fills @r.  Returns r->status. */
int bench_run(const struct bench_spec *s, struct bench_result *r);

#endif /* IPCMBOX_BENCH_RUN_H */
