// SPDX-License-Identifier: GPL-2.0-only
/*
 * The adapter registry: the order here is the order of the report.  A new
 * path (shared-region references, batched send/receive, io_uring) is one
 * more adapter file and one more line here.
 */
#include <string.h>

#include "bench.h"

uint64_t bench_syscalls;

extern const struct bench_adapter bench_pipe, bench_fifo, bench_unix_stream,
	bench_unix_dgram, bench_unix_seqpacket, bench_tcp, bench_posix_mq,
	bench_sysv_msg, bench_shm_futex, bench_shm_eventfd, bench_rt_signal,
	bench_mbox_zero, bench_mbox_bounded, bench_mbox_unbounded,
	bench_mbox_zero_ioctl, bench_mbox_bounded_ioctl,
	bench_mbox_unbounded_ioctl, bench_mbox_region,
	bench_mbox_batch1, bench_mbox_batch8, bench_mbox_batch64,
	bench_pipe_writev1, bench_pipe_writev8, bench_pipe_writev64,
	bench_mbox_packed1, bench_mbox_packed8, bench_mbox_packed64;
#ifdef BENCH_HAVE_URING
extern const struct bench_adapter bench_mbox_uring1, bench_mbox_uring8,
	bench_mbox_uring64, bench_mbox_uring_cmd1, bench_mbox_uring_cmd8,
	bench_mbox_uring_cmd64, bench_mbox_uring_packed1,
	bench_mbox_uring_packed8, bench_mbox_uring_packed64, bench_pipe_uring1,
	bench_pipe_uring8, bench_pipe_uring64;
#endif

const struct bench_adapter *const bench_adapters[] = {
	&bench_pipe,
	&bench_fifo,
	&bench_unix_stream,
	&bench_unix_dgram,
	&bench_unix_seqpacket,
	&bench_tcp,
	&bench_posix_mq,
	&bench_sysv_msg,
	&bench_shm_futex,
	&bench_shm_eventfd,
	&bench_rt_signal,
	&bench_mbox_zero,
	&bench_mbox_bounded,
	&bench_mbox_unbounded,
	&bench_mbox_zero_ioctl,
	&bench_mbox_bounded_ioctl,
	&bench_mbox_unbounded_ioctl,
	&bench_mbox_region,
	/* Batching: N messages per system call. */
	&bench_pipe_writev1,
	&bench_pipe_writev8,
	&bench_pipe_writev64,
	&bench_mbox_batch1,
	&bench_mbox_batch8,
	&bench_mbox_batch64,
	&bench_mbox_packed1,
	&bench_mbox_packed8,
	&bench_mbox_packed64,
#ifdef BENCH_HAVE_URING
	&bench_pipe_uring1,
	&bench_pipe_uring8,
	&bench_pipe_uring64,
	&bench_mbox_uring1,
	&bench_mbox_uring8,
	&bench_mbox_uring64,
	&bench_mbox_uring_cmd1,
	&bench_mbox_uring_cmd8,
	&bench_mbox_uring_cmd64,
	&bench_mbox_uring_packed1,
	&bench_mbox_uring_packed8,
	&bench_mbox_uring_packed64,
#endif
	NULL
};

const struct bench_adapter *bench_adapter_find(const char *name)
{
	unsigned int i;

	for (i = 0; bench_adapters[i]; i++)
		if (!strcmp(bench_adapters[i]->name, name))
			return bench_adapters[i];
	return NULL;
}
