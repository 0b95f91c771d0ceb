// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress with verification.  P producers and C consumers, as processes or
 * as threads, on each capacity mode.  Every message carries its producer,
 * a per-producer sequence number, a priority, a random length and a
 * checksum.  Each send and receive picks at random: blocking, per-call
 * non-blocking (retried on EAGAIN), or a short timeout (retried on
 * ETIMEDOUT); write/read or the ioctls.  A signaller interrupts everyone
 * with SIGUSR1 (no SA_RESTART) every few ms; EINTR is retried.  Afterwards
 * every message a producer was told was sent must have been received
 * exactly once, untorn, and each consumer must have seen each producer's
 * messages of one priority in sequence order.
 *
 * churn: mailboxes removed and recreated under load.  Senders and
 * receivers reopen on ENOENT/EIDRM; every message carries the serial of
 * the mailbox it was sent to, and must be received from that mailbox
 * only, once, untorn.
 *
 * Profiles ($IPCMBOX_PROFILE): short (default) 4 x 4 processes or threads,
 * 1500 messages per producer; long 8 x 8, up to 1,000,000 messages per run,
 * each run bounded to 20 s (the count reached is logged).
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M		"stress"
#define MAX_WORKERS	8
#define MAX_PER_PRODUCER (1000000 / MAX_WORKERS)
#define MAX_PAYLOAD	512
#define PRIOS		4
#define STOP		0xffffffffu

struct rec {
	uint32_t producer;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	uint32_t prio;
	uint32_t pad;
	uint64_t serial;	/* churn: the mailbox it was sent to */
	uint8_t payload[MAX_PAYLOAD];
};

#define HDR	offsetof(struct rec, payload)

struct shared {
	uint32_t producers, consumers, per_producer;
	int64_t deadline_ns;
	volatile bool stop_signals;
	uint32_t sent[MAX_WORKERS];	/* acknowledged sends per producer */
	uint32_t torn, out_of_order, bad_len, crossed, errors;
	uint64_t retries;		/* EAGAIN, ETIMEDOUT, EINTR */
	uint8_t seen[MAX_WORKERS][MAX_PER_PRODUCER];
};

static struct shared *sh;

static void on_signal(int sig)
{
	(void)sig;
}

static uint32_t rnd(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

static uint32_t checksum(const struct rec *r)
{
	uint32_t h = 2166136261u;
	uint32_t i;

	h = (h ^ r->producer) * 16777619u;
	h = (h ^ r->seq) * 16777619u;
	h = (h ^ r->len) * 16777619u;
	h = (h ^ r->prio) * 16777619u;
	h = (h ^ (uint32_t)r->serial) * 16777619u;
	for (i = 0; i < r->len; i++)
		h = (h ^ r->payload[i]) * 16777619u;
	return h;
}

static bool retryable(int err)
{
	if (err != EAGAIN && err != ETIMEDOUT && err != EINTR)
		return false;
	__atomic_fetch_add(&sh->retries, 1, __ATOMIC_RELAXED);
	if (err == EAGAIN)
		sched_yield();
	return true;
}

/* Options for one call: blocking, non-blocking or a timeout of <= 2 ms. */
static struct ipcmbox_opts chaos_opts(uint32_t *state, uint32_t prio)
{
	struct ipcmbox_opts o = { .priority = prio };

	switch (rnd(state) % 8) {
	case 0:
		o.flags = IPCMBOX_IO_NONBLOCK;
		break;
	case 1:
		o.flags = IPCMBOX_IO_TIMEOUT;
		o.timeout_ns = rnd(state) % 2000000;
		break;
	}
	return o;
}

/* Sends @r (@len bytes) until it is sent; 0, or the errno that stopped it. */
static int send_one(int fd, const struct rec *r, size_t len, uint32_t prio,
		    uint32_t *state)
{
	for (;;) {
		struct ipcmbox_opts o = chaos_opts(state, prio);
		int ret;

		if (!prio && !o.flags && rnd(state) % 2)
			ret = write(fd, r, len) == (ssize_t)len ? 0 : -1;
		else
			ret = ipcmbox_send(fd, r, len, &o, NULL);
		if (!ret)
			return 0;
		if (!retryable(errno))
			return errno;
	}
}

static ssize_t recv_one(int fd, struct rec *r, uint32_t *state)
{
	for (;;) {
		struct ipcmbox_opts o = chaos_opts(state, 0);
		ssize_t n;

		if (!o.flags && rnd(state) % 2)
			n = read(fd, r, sizeof(*r));
		else
			n = ipcmbox_recv(fd, r, sizeof(*r), &o, NULL);
		if (n >= 0 || !retryable(errno))
			return n;
	}
}

static int produce(uint32_t id)
{
	uint32_t state = 0x9e3779b9u * (id + 1), seq, i, prio;
	int fd = ipcmbox_open(M, O_WRONLY);
	struct rec r;

	if (fd < 0)
		return 1;
	for (seq = 0; seq < sh->per_producer; seq++) {
		if (ipcmbox_test_now_ns(CLOCK_MONOTONIC) > sh->deadline_ns)
			break;
		memset(&r, 0, HDR);
		r.producer = id;
		r.seq = seq;
		r.len = rnd(&state) % (MAX_PAYLOAD + 1);
		r.prio = prio = rnd(&state) % PRIOS;
		for (i = 0; i < r.len; i++)
			r.payload[i] = (uint8_t)(state >> (i % 24)) ^ (uint8_t)i;
		r.sum = checksum(&r);
		if (send_one(fd, &r, HDR + r.len, prio, &state))
			return 2;
		__atomic_store_n(&sh->sent[id], seq + 1, __ATOMIC_RELEASE);
	}
	close(fd);
	return 0;
}

static int consume(uint32_t id)
{
	/* Per producer and priority: the last sequence number seen. */
	int64_t last[MAX_WORKERS][PRIOS];
	uint32_t state = 0x85ebca6bu * (id + 1);
	int fd = ipcmbox_open(M, O_RDONLY);
	struct rec r;
	ssize_t n;

	memset(last, 0xff, sizeof(last));
	if (fd < 0)
		return 1;
	for (;;) {
		n = recv_one(fd, &r, &state);
		if (n < 0)
			return 2;
		if (n == sizeof(uint32_t) && r.producer == STOP)
			break;
		if (n < (ssize_t)HDR || r.producer >= sh->producers ||
		    r.seq >= sh->per_producer || r.prio >= PRIOS ||
		    n != (ssize_t)(HDR + r.len)) {
			__atomic_fetch_add(&sh->bad_len, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (checksum(&r) != r.sum)
			__atomic_fetch_add(&sh->torn, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&sh->seen[r.producer][r.seq], 1,
				   __ATOMIC_RELAXED);
		/* FIFO holds per sender within one priority. */
		if (r.seq <= last[r.producer][r.prio])
			__atomic_fetch_add(&sh->out_of_order, 1,
					   __ATOMIC_RELAXED);
		last[r.producer][r.prio] = r.seq;
	}
	close(fd);
	return 0;
}

FIXTURE(stress) {
	int unused;
};

FIXTURE_VARIANT(stress) {
	uint32_t capacity;
	bool threads;
};

FIXTURE_VARIANT_ADD(stress, rendezvous_processes) { .capacity = 0 };
FIXTURE_VARIANT_ADD(stress, bounded_processes) { .capacity = 16 };
FIXTURE_VARIANT_ADD(stress, unbounded_processes) {
	.capacity = IPCMBOX_CAP_UNBOUNDED };
FIXTURE_VARIANT_ADD(stress, rendezvous_threads) { .capacity = 0, .threads = true };
FIXTURE_VARIANT_ADD(stress, bounded_threads) { .capacity = 16, .threads = true };
FIXTURE_VARIANT_ADD(stress, unbounded_threads) {
	.capacity = IPCMBOX_CAP_UNBOUNDED, .threads = true };

static bool long_profile(void)
{
	const char *p = getenv("IPCMBOX_PROFILE");

	return p && !strcmp(p, "long");
}

FIXTURE_SETUP(stress)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG,
		.capacity = variant->capacity,
		.max_msg = sizeof(struct rec),
	};
	struct sigaction sa = { .sa_handler = on_signal };

	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	if (long_profile()) {
		sh->producers = sh->consumers = 8;
		sh->per_producer = MAX_PER_PRODUCER;
		sh->deadline_ns = ipcmbox_test_now_ns(CLOCK_MONOTONIC) +
				  20000000000LL;
	} else {
		sh->producers = sh->consumers = 4;
		sh->per_producer = 1500;
		sh->deadline_ns = INT64_MAX;
	}
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
}

FIXTURE_TEARDOWN(stress)
{
	if (sh && sh != MAP_FAILED)
		munmap(sh, sizeof(*sh));
	sh = NULL;
	ipcmbox_remove(M);
}

struct worker {
	pid_t pid;		/* processes */
	pthread_t thread;	/* threads */
	uint32_t id;
	bool producer;
	bool reaped;		/* under signal_lock: no more signals */
	int status;
};

/* Held while signalling, so no worker is signalled after it is reaped. */
static pthread_mutex_t signal_lock = PTHREAD_MUTEX_INITIALIZER;

static void *thread_main(void *arg)
{
	struct worker *wk = arg;

	wk->status = wk->producer ? produce(wk->id) : consume(wk->id);
	return NULL;
}

static void start(struct worker *wk, bool threads)
{
	if (threads) {
		if (pthread_create(&wk->thread, NULL, thread_main, wk))
			wk->status = -1;
		return;
	}
	wk->pid = fork();
	if (wk->pid == 0)
		_exit(wk->producer ? produce(wk->id) : consume(wk->id));
}

static int finish(struct worker *wk, bool threads)
{
	pthread_mutex_lock(&signal_lock);
	wk->reaped = true;
	pthread_mutex_unlock(&signal_lock);
	if (threads)
		return pthread_join(wk->thread, NULL) ? -1 : wk->status;
	return ipcmbox_test_child_status(wk->pid);
}

/* Interrupts every worker every 5 ms until told to stop. */
struct signaller {
	struct worker *wk;
	int n;
	bool threads;
};

static void *signaller(void *arg)
{
	struct signaller *sg = arg;
	int i;

	while (!sh->stop_signals) {
		usleep(5000);
		pthread_mutex_lock(&signal_lock);
		for (i = 0; i < sg->n; i++) {
			if (sg->wk[i].reaped)
				continue;
			if (sg->threads)
				pthread_kill(sg->wk[i].thread, SIGUSR1);
			else if (sg->wk[i].pid > 0)
				kill(sg->wk[i].pid, SIGUSR1);
		}
		pthread_mutex_unlock(&signal_lock);
	}
	return NULL;
}

TEST_F_TIMEOUT(stress, exactly_once_in_order_under_signals, 900)
{
	struct worker wk[2 * MAX_WORKERS] = { 0 };
	struct signaller sg = { .wk = wk, .threads = variant->threads };
	uint32_t stop = STOP, p, s, lost = 0, dup = 0, total = 0;
	uint32_t np = sh->producers, nc = sh->consumers;
	pthread_t sig;
	uint32_t i;
	int fd;

	for (i = 0; i < nc; i++) {
		wk[i] = (struct worker){ .id = i };
		start(&wk[i], variant->threads);
	}
	for (i = 0; i < np; i++) {
		wk[nc + i] = (struct worker){ .id = i, .producer = true };
		start(&wk[nc + i], variant->threads);
	}
	sg.n = nc + np;
	ASSERT_EQ(0, pthread_create(&sig, NULL, signaller, &sg));
	for (i = 0; i < np; i++)
		EXPECT_EQ(0, finish(&wk[nc + i], variant->threads));
	/* All data is in; one stop message per consumer comes after it. */
	fd = ipcmbox_open(M, O_WRONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < nc; i++)
		ASSERT_EQ(sizeof(stop), write(fd, &stop, sizeof(stop)));
	close(fd);
	for (i = 0; i < nc; i++)
		EXPECT_EQ(0, finish(&wk[i], variant->threads));
	sh->stop_signals = true;
	pthread_join(sig, NULL);

	for (p = 0; p < np; p++) {
		total += sh->sent[p];
		for (s = 0; s < sh->per_producer; s++) {
			lost += s < sh->sent[p] && sh->seen[p][s] == 0;
			dup += sh->seen[p][s] > 1 || (s >= sh->sent[p] && sh->seen[p][s]);
		}
	}
	TH_LOG("%u x %u %s: %u messages, %u lost, %u duplicated, %u torn, %llu retries",
	       np, nc, variant->threads ? "threads" : "processes", total, lost,
	       dup, sh->torn, (unsigned long long)sh->retries);
	EXPECT_LT(0, total);
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, sh->torn);
	EXPECT_EQ(0, sh->out_of_order);
	EXPECT_EQ(0, sh->bad_len);
	EXPECT_EQ(total + nc, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(total + nc, IPCMBOX_STAT(M, received));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
}

/* churn: two senders and two receivers while the mailbox is recreated. */
#define C		"churn"
#define CHURN_SENDERS	2
#define CHURN_SEQ	(1 << 20)

struct churn {
	int64_t deadline_ns;
	volatile bool stop;
	uint32_t sent[CHURN_SENDERS];
	uint32_t received, crossed, torn, generations;
	uint8_t seen[CHURN_SENDERS][CHURN_SEQ];
};

static struct churn *ch;

/* Opens C (retrying while it is being recreated); its serial in *@serial. */
static int churn_open(int flags, uint64_t *serial)
{
	struct ipcmbox_stat st;
	int fd;

	while (!ch->stop) {
		fd = ipcmbox_open(C, flags);
		if (fd >= 0) {
			if (!ipcmbox_stat(fd, &st)) {
				*serial = st.serial;
				return fd;
			}
			close(fd);
		}
		sched_yield();
	}
	return -1;
}

static void *churn_sender(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg, state = id + 7, seq = 0;
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_TIMEOUT };
	uint64_t serial = 0;
	struct rec r;
	int fd = -1;

	while (!ch->stop && seq < CHURN_SEQ) {
		if (fd < 0 && (fd = churn_open(O_WRONLY, &serial)) < 0)
			break;
		memset(&r, 0, HDR);
		r.producer = id;
		r.seq = seq;
		r.serial = serial;
		r.len = rnd(&state) % 64;
		memset(r.payload, (int)seq, r.len);
		r.sum = checksum(&r);
		o.timeout_ns = 2000000;
		if (!ipcmbox_send(fd, &r, HDR + r.len, &o, NULL)) {
			__atomic_store_n(&ch->sent[id], ++seq, __ATOMIC_RELEASE);
		} else if (errno == EIDRM) {
			close(fd);
			fd = -1;
		}
		if (ipcmbox_test_now_ns(CLOCK_MONOTONIC) > ch->deadline_ns)
			ch->stop = true;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *churn_receiver(void *arg)
{
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 2000000 };
	uint64_t serial = 0;
	struct rec r;
	int fd = -1;
	ssize_t n;

	(void)arg;
	while (!ch->stop) {
		if (fd < 0 && (fd = churn_open(O_RDONLY, &serial)) < 0)
			break;
		n = ipcmbox_recv(fd, &r, sizeof(r), &o, NULL);
		if (n < 0) {
			if (errno == EIDRM) {
				close(fd);
				fd = -1;
			}
			continue;
		}
		if (n != (ssize_t)(HDR + r.len) || r.producer >= CHURN_SENDERS ||
		    r.seq >= CHURN_SEQ || checksum(&r) != r.sum) {
			__atomic_fetch_add(&ch->torn, 1, __ATOMIC_RELAXED);
			continue;
		}
		/* Sent to another incarnation of the name: crossed over. */
		if (r.serial != serial)
			__atomic_fetch_add(&ch->crossed, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&ch->seen[r.producer][r.seq], 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&ch->received, 1, __ATOMIC_RELAXED);
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

FIXTURE(churn) {
	int unused;
};

FIXTURE_SETUP(churn)
{
}

FIXTURE_TEARDOWN(churn)
{
	ipcmbox_remove(C);
}

TEST_F_TIMEOUT(churn, remove_and_recreate_under_load, 300)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 8 };
	pthread_t t[2 * CHURN_SENDERS];
	uint32_t i, s, dup = 0, sent = 0;
	uint32_t state = 1;

	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ch = mmap(NULL, sizeof(*ch), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ch);
	ch->deadline_ns = ipcmbox_test_now_ns(CLOCK_MONOTONIC) +
			  (long_profile() ? 15 : 5) * 1000000000LL;
	ASSERT_EQ(0, ipcmbox_create(C, &a));
	for (i = 0; i < CHURN_SENDERS; i++) {
		ASSERT_EQ(0, pthread_create(&t[i], NULL, churn_sender,
					    (void *)(uintptr_t)i));
		ASSERT_EQ(0, pthread_create(&t[CHURN_SENDERS + i], NULL,
					    churn_receiver, NULL));
	}
	/* The churner: a new incarnation every 0-3 ms. */
	while (!ch->stop) {
		usleep(rnd(&state) % 3000);
		ASSERT_EQ(0, ipcmbox_remove(C));
		ASSERT_EQ(0, ipcmbox_create(C, &a));
		ch->generations++;
	}
	for (i = 0; i < 2 * CHURN_SENDERS; i++)
		pthread_join(t[i], NULL);
	ipcmbox_remove(C);

	for (i = 0; i < CHURN_SENDERS; i++) {
		sent += ch->sent[i];
		for (s = 0; s < CHURN_SEQ; s++)
			dup += ch->seen[i][s] > 1 || (s >= ch->sent[i] && ch->seen[i][s]);
	}
	TH_LOG("%u incarnations, %u sent, %u received, %u duplicated, %u crossed, %u torn",
	       ch->generations, sent, ch->received, dup, ch->crossed, ch->torn);
	EXPECT_LT(0, ch->received);
	EXPECT_LE(ch->received, sent);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, ch->crossed);
	EXPECT_EQ(0, ch->torn);
	munmap(ch, sizeof(*ch));
}

TEST_HARNESS_MAIN
