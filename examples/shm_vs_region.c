// SPDX-License-Identifier: MIT
/*
 * shm_vs_region - the lecture's producer/consumer bounded buffer, twice.
 *
 * First as the notes write it: a System V shared memory segment holding
 * buffer[], in, out and count; the producer spins while count is
 * BUFFER_SIZE, the consumer while it is 0, and each does count++ or
 * count-- on the shared int.  That is a load, an add and a store, so when
 * both run at once on two CPUs an update can be lost: count then lies,
 * the consumer takes slots that were never filled or the producer
 * overwrites full ones, and either side may wait forever.  Both sides
 * burn a CPU while they wait.
 *
 * Then with a mailbox that owns a shared region: the items live in the
 * region (one chunk per item), the kernel's chunk allocator is the "not
 * full" wait, the mailbox queue is the "not empty" wait, and there is no
 * count to race on.  Both sides sleep while they wait, and a side that
 * dies gives its chunks back.
 *
 * Each scene reports what its consumer saw and the CPU time both sides
 * used.  Build: cc -o shm_vs_region shm_vs_region.c -lipcmbox
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ipcmbox.h>

#define BUFFER_SIZE	10
#define ITEMS		20000
#define STUCK_NS	2000000000LL	/* a side that waits this long gives up */
#define WORK_EVERY	500		/* the consumer works (sleeps) 20 ms */
#define WORK_US		20000		/* every WORK_EVERY items */

/* The lecture's shared buffer; volatile so that the spins re-read it. */
typedef struct {
	int buffer[BUFFER_SIZE];
	int in;		/* next free position */
	int out;	/* first full position */
	int count;	/* number of items */
} SharedBuffer;

struct classic {
	volatile SharedBuffer sb;
	volatile int produced;	/* not part of the algorithm: the report */
};

/* What a consumer saw, sent back to the parent through a pipe. */
struct report {
	int taken;		/* items taken */
	int wrong;		/* not the item expected next */
	int stuck;		/* gave up waiting */
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The consumer's own work: both scenes' producers wait meanwhile. */
static void work(int taken)
{
	if (taken % WORK_EVERY == 0)
		usleep(WORK_US);
}

/* Spins like the notes' while loops, but gives up after STUCK_NS. */
#define SPIN_WHILE(cond, stuck) do {					\
	long long __t = now_ns();					\
	unsigned int __n = 0;						\
	while (cond)							\
		if (!(++__n & 0xffff) && now_ns() - __t > STUCK_NS) {	\
			stuck;						\
		}							\
} while (0)

static void classic_produce(struct classic *c)
{
	volatile SharedBuffer *sb = &c->sb;
	int item;

	for (item = 1; item <= ITEMS; item++) {
		SPIN_WHILE(sb->count == BUFFER_SIZE, _exit(3));
		sb->buffer[sb->in] = item;
		sb->in = (sb->in + 1) % BUFFER_SIZE;
		sb->count++;
		c->produced = item;
	}
	_exit(0);
}

static void classic_consume(struct classic *c, int out_fd)
{
	volatile SharedBuffer *sb = &c->sb;
	struct report r = { 0 };
	int item, expect = 1;

	while (r.taken < ITEMS) {
		SPIN_WHILE(sb->count == 0, r.stuck = 1; goto done);
		item = sb->buffer[sb->out];
		sb->out = (sb->out + 1) % BUFFER_SIZE;
		sb->count--;
		if (item != expect)
			r.wrong++;
		expect = item + 1;
		work(++r.taken);
	}
done:
	_exit(write(out_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

static double cpu_s(const struct rusage *ru)
{
	return ru->ru_utime.tv_sec + ru->ru_stime.tv_sec +
	       (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) / 1e6;
}

/*
 * Runs @produce and @consume in two children, then @forked (if any) in
 * the parent; fills @r from the consumer and returns the CPU seconds both
 * used, or -1.
 */
static double run_pair(void (*produce)(void *), void (*consume)(void *, int),
		       void (*forked)(void *), void *arg, struct report *r,
		       double *wall_s)
{
	struct rusage before, after;
	int p[2], status, ok = 1;
	pid_t prod, cons;
	long long t0;

	if (pipe(p))
		return -1;
	getrusage(RUSAGE_CHILDREN, &before);
	t0 = now_ns();
	cons = fork();
	if (cons == 0) {
		close(p[0]);
		consume(arg, p[1]);
	}
	prod = fork();
	if (prod == 0)
		produce(arg);
	if (forked)
		forked(arg);
	close(p[1]);
	if (cons < 0 || prod < 0 || read(p[0], r, sizeof(*r)) != sizeof(*r))
		ok = 0;
	close(p[0]);
	/* A side stuck on a count that lies gives up after STUCK_NS. */
	if (prod > 0)
		waitpid(prod, &status, 0);
	if (cons > 0)
		waitpid(cons, &status, 0);
	*wall_s = (now_ns() - t0) / 1e9;
	getrusage(RUSAGE_CHILDREN, &after);
	return ok ? cpu_s(&after) - cpu_s(&before) : -1;
}

static void classic_produce_v(void *c)
{
	classic_produce(c);
}

static void classic_consume_v(void *c, int fd)
{
	classic_consume(c, fd);
}

static int classic_scene(void)
{
	struct classic *c;
	struct report r;
	double cpu, wall;
	int id = shmget(IPC_PRIVATE, sizeof(*c), IPC_CREAT | 0600);

	if (id < 0)
		return -1;
	c = shmat(id, NULL, 0);
	shmctl(id, IPC_RMID, NULL);
	if (c == (void *)-1)
		return -1;
	memset((void *)c, 0, sizeof(*c));
	puts("classic: shmget bounded buffer, busy wait, shared count (the notes' code)");
	cpu = run_pair(classic_produce_v, classic_consume_v, NULL, c, &r,
		       &wall);
	if (cpu < 0)
		return -1;
	printf("  producer put %d items; consumer took %d, %d of them not the item expected next%s\n",
	       c->produced, r.taken, r.wrong,
	       r.stuck ? "; then it waited on count == 0 until it gave up" : "");
	printf("  count is %d after the run (should be 0)%s\n", c->sb.count,
	       c->sb.count || r.wrong || r.stuck ?
	       ": count++ and count-- raced and an update was lost" :
	       ": no update was lost this time, but count++ is a load, add and store");
	printf("  CPU time %.2f s for %.2f s of wall time: both sides spin while they wait\n",
	       cpu, wall);
	shmdt(c);
	return 0;
}

/* The mailbox version: fds[0] receives, fds[1] sends. */
static int fds[2];

static void region_produce(void *unused)
{
	struct ipcmbox_chunk chunk;
	struct ipcmbox_map map;
	int item;

	(void)unused;
	close(fds[0]);
	if (ipcmbox_region_map(fds[1], &map))
		_exit(1);
	for (item = 1; item <= ITEMS; item++) {
		/* Blocks while all BUFFER_SIZE chunks are in use: "full". */
		if (ipcmbox_alloc(fds[1], sizeof(int), &chunk, 1, NULL) != 1)
			_exit(2);
		memcpy(ipcmbox_chunk_ptr(&map, &chunk), &item, sizeof(item));
		if (ipcmbox_send_ref(fds[1], &chunk, sizeof(item), NULL, NULL))
			_exit(3);
	}
	/* Closing the send end is the end of the stream. */
	_exit(0);
}

static void region_consume(void *unused, int out_fd)
{
	struct ipcmbox_chunk chunk;
	struct ipcmbox_map map;
	struct report r = { 0 };
	int item;

	(void)unused;
	close(fds[1]);
	if (ipcmbox_region_map(fds[0], &map))
		_exit(1);
	/* Blocks while nothing is queued: "empty"; EPIPE at the end. */
	while (ipcmbox_recv_ref(fds[0], NULL, 0, NULL, NULL, &chunk) ==
	       sizeof(item)) {
		memcpy(&item, ipcmbox_chunk_ptr(&map, &chunk), sizeof(item));
		if (ipcmbox_release(fds[0], &chunk, 1))
			_exit(2);
		if (item != r.taken + 1)
			r.wrong++;
		work(++r.taken);
	}
	r.stuck = errno != EPIPE;
	_exit(write(out_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/* The parent keeps no end: the consumer's end of file needs it. */
static void region_forked(void *unused)
{
	(void)unused;
	close(fds[0]);
	close(fds[1]);
}

static int region_scene(void)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_REGION,
		.capacity = BUFFER_SIZE,
		/* BUFFER_SIZE chunks of one page: the buffer is the region. */
		.region_size = BUFFER_SIZE * (uint64_t)sysconf(_SC_PAGESIZE),
	};
	struct report r;
	double cpu, wall;

	if (ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, fds))
		return -1;
	puts("region: a mailbox with a shared region, one chunk per item");
	cpu = run_pair(region_produce, region_consume, region_forked, NULL, &r,
		       &wall);
	if (cpu < 0)
		return -1;
	printf("  consumer took %d of %d items, %d not the item expected next%s\n",
	       r.taken, ITEMS, r.wrong, r.stuck ? ", then failed" : "");
	printf("  no shared count: the kernel's allocator waits for a free slot, the queue for a full one\n");
	printf("  CPU time %.2f s for %.2f s of wall time: both sides sleep while they wait\n",
	       cpu, wall);
	return r.taken == ITEMS && !r.wrong && !r.stuck ? 0 : -1;
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("%d items through a %d-slot buffer; the consumer works %d ms every %d items, and the producer must wait then\n",
	       ITEMS, BUFFER_SIZE, WORK_US / 1000, WORK_EVERY);
	if (classic_scene()) {
		perror("classic scene");
		return 1;
	}
	if (region_scene()) {
		perror("region scene");
		return 1;
	}
	return 0;
}
