// SPDX-License-Identifier: GPL-2.0-only
/*
 * 4 producers x 4 consumers, separate processes, on each capacity mode.
 * Every message carries its producer, a per-producer sequence number, a
 * random length and a checksum.  Consumers record each (producer, seq)
 * they get in shared memory and check checksums and per-producer order.
 * Afterwards every message must have been received exactly once: zero
 * lost, zero duplicated, zero torn, FIFO per producer.  Half the
 * producers and consumers use write/read, half the ioctls.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define M		"stress"
#define PRODUCERS	4
#define CONSUMERS	4
#define PER_PRODUCER	1500
#define MAX_PAYLOAD	512
#define STOP		0xffffffffu

struct rec {
	uint32_t producer;
	uint32_t seq;
	uint32_t len;
	uint32_t sum;
	uint8_t payload[MAX_PAYLOAD];
};

struct shared {
	uint8_t seen[PRODUCERS][PER_PRODUCER];
	uint32_t torn;
	uint32_t out_of_order;
	uint32_t bad_len;
};

static uint32_t checksum(const struct rec *r)
{
	uint32_t h = 2166136261u;
	uint32_t i;

	h = (h ^ r->producer) * 16777619u;
	h = (h ^ r->seq) * 16777619u;
	h = (h ^ r->len) * 16777619u;
	for (i = 0; i < r->len; i++)
		h = (h ^ r->payload[i]) * 16777619u;
	return h;
}

static int produce(uint32_t id)
{
	uint32_t state = 0x9e3779b9u * (id + 1), seq, i;
	int fd = ipcmbox_open(M, O_WRONLY);
	struct rec r;
	size_t len;

	if (fd < 0)
		return 1;
	for (seq = 0; seq < PER_PRODUCER; seq++) {
		state = state * 1103515245u + 12345u;
		r.producer = id;
		r.seq = seq;
		r.len = (state >> 8) % (MAX_PAYLOAD + 1);
		for (i = 0; i < r.len; i++)
			r.payload[i] = (uint8_t)(state >> (i % 24)) ^ (uint8_t)i;
		r.sum = checksum(&r);
		len = offsetof(struct rec, payload) + r.len;
		if (id & 1) {
			if (ipcmbox_send(fd, &r, len, NULL, NULL))
				return 2;
		} else if (write(fd, &r, len) != (ssize_t)len) {
			return 3;
		}
	}
	close(fd);
	return 0;
}

static int consume(uint32_t id, struct shared *sh)
{
	int32_t last[PRODUCERS] = { -1, -1, -1, -1 };
	int fd = ipcmbox_open(M, O_RDONLY);
	struct rec r;
	ssize_t n;

	if (fd < 0)
		return 1;
	for (;;) {
		if (id & 1)
			n = ipcmbox_recv(fd, &r, sizeof(r), NULL, NULL);
		else
			n = read(fd, &r, sizeof(r));
		if (n < 0)
			return 2;
		if (n == sizeof(uint32_t) && r.producer == STOP)
			break;
		if (n < (ssize_t)offsetof(struct rec, payload) ||
		    r.producer >= PRODUCERS || r.seq >= PER_PRODUCER ||
		    n != (ssize_t)(offsetof(struct rec, payload) + r.len)) {
			__atomic_fetch_add(&sh->bad_len, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (checksum(&r) != r.sum)
			__atomic_fetch_add(&sh->torn, 1, __ATOMIC_RELAXED);
		if ((int32_t)r.seq <= last[r.producer])
			__atomic_fetch_add(&sh->out_of_order, 1,
					   __ATOMIC_RELAXED);
		last[r.producer] = r.seq;
		__atomic_fetch_add(&sh->seen[r.producer][r.seq], 1,
				   __ATOMIC_RELAXED);
	}
	close(fd);
	return 0;
}

FIXTURE(stress) {
	struct shared *sh;
};

FIXTURE_VARIANT(stress) {
	uint32_t capacity;
};

FIXTURE_VARIANT_ADD(stress, rendezvous) { .capacity = 0 };
FIXTURE_VARIANT_ADD(stress, bounded) { .capacity = 16 };
FIXTURE_VARIANT_ADD(stress, unbounded) { .capacity = IPCMBOX_CAP_UNBOUNDED };

FIXTURE_SETUP(stress)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG,
		.capacity = variant->capacity,
		.max_msg = sizeof(struct rec),
	};

	self->sh = MAP_FAILED;
	if (getuid() != 0)
		SKIP(return, "needs root to reload the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	ASSERT_EQ(0, ipcmbox_create(M, &a));
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
}

FIXTURE_TEARDOWN(stress)
{
	if (self->sh != MAP_FAILED)
		munmap(self->sh, sizeof(*self->sh));
	ipcmbox_remove(M);
}

TEST_F_TIMEOUT(stress, four_by_four_exactly_once_in_order, 600)
{
	pid_t prod[PRODUCERS], cons[CONSUMERS];
	uint32_t stop = STOP, p, s, lost = 0, dup = 0;
	int i, fd;

	for (i = 0; i < CONSUMERS; i++) {
		cons[i] = fork();
		ASSERT_LE(0, cons[i]);
		if (cons[i] == 0)
			_exit(consume(i, self->sh));
	}
	for (i = 0; i < PRODUCERS; i++) {
		prod[i] = fork();
		ASSERT_LE(0, prod[i]);
		if (prod[i] == 0)
			_exit(produce(i));
	}
	for (i = 0; i < PRODUCERS; i++)
		EXPECT_EQ(0, ipcmbox_test_child_status(prod[i]));
	/* All data is in; one stop message per consumer comes after it. */
	fd = ipcmbox_open(M, O_WRONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < CONSUMERS; i++)
		ASSERT_EQ(sizeof(stop), write(fd, &stop, sizeof(stop)));
	close(fd);
	for (i = 0; i < CONSUMERS; i++)
		EXPECT_EQ(0, ipcmbox_test_child_status(cons[i]));

	for (p = 0; p < PRODUCERS; p++)
		for (s = 0; s < PER_PRODUCER; s++) {
			lost += self->sh->seen[p][s] == 0;
			dup += self->sh->seen[p][s] > 1;
		}
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, dup);
	EXPECT_EQ(0, self->sh->torn);
	EXPECT_EQ(0, self->sh->out_of_order);
	EXPECT_EQ(0, self->sh->bad_len);
	EXPECT_EQ(PRODUCERS * PER_PRODUCER + CONSUMERS, IPCMBOX_STAT(M, sent));
	EXPECT_EQ(PRODUCERS * PER_PRODUCER + CONSUMERS,
		  IPCMBOX_STAT(M, received));
	EXPECT_EQ(0, IPCMBOX_STAT(M, depth));
	TH_LOG("%u messages, %u lost, %u duplicated, %u torn",
	       PRODUCERS * PER_PRODUCER, lost, dup, self->sh->torn);
}

TEST_HARNESS_MAIN
