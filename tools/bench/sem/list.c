// SPDX-License-Identifier: GPL-2.0-only
/* Every mechanism ipcmbox-bench --semantics probes, in report order. */
#include <stddef.h>

#include "../sem.h"

extern const struct sem_mech sem_pipe, sem_fifo, sem_unix_stream,
	sem_unix_dgram, sem_unix_seqpacket, sem_tcp, sem_posix_mq,
	sem_sysv_msg, sem_shm, sem_rt_signal, sem_mbox_zero, sem_mbox_bounded,
	sem_mbox_unbounded, sem_mbox_pair, sem_mbox_region;

const struct sem_mech *const sem_mechs[] = {
	&sem_pipe, &sem_fifo, &sem_unix_stream, &sem_unix_dgram,
	&sem_unix_seqpacket, &sem_tcp, &sem_posix_mq, &sem_sysv_msg, &sem_shm,
	&sem_rt_signal, &sem_mbox_zero, &sem_mbox_bounded, &sem_mbox_unbounded,
	&sem_mbox_pair, &sem_mbox_region, NULL,
};
