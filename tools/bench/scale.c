// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-scale: how ipcmbox behaves as it grows.
 *
 * Pairs: 1, 4, 16 and 64 sender/receiver pairs move 64-byte messages at
 * once, each pair through a mailbox of its own ("distinct": no lock is
 * shared) or all of them through one mailbox ("shared": what its one lock
 * costs under contention), with POSIX mq beside it laid out the same way.
 * Each row is the total messages per second from the start signal to the
 * last receiver's end.
 *
 * Many mailboxes: 10, 100, 1,000 and 10,000 named mailboxes are created,
 * opened, sent one message each, received from and removed; each row is
 * the time per mailbox of each step, which a registry that scales keeps
 * flat.  The kernel memory of an empty mailbox is the growth of the slab
 * (/proc/meminfo Slab) and of vmalloc (VmallocUsed) over 10,000 created
 * mailboxes, per mailbox: the mailbox, its device, its sysfs directory
 * and its /dev node.
 *
 *   ipcmbox-scale [-p PAIRS,...] [-n MESSAGES] [-k COUNTS,...]
 *
 * Wall-clock times: a benchmark, not a test; run it on a quiet machine
 * (make scale runs it in a guest).
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ipcmbox.h>

#define MSG_SIZE	64
#define DEPTH		64
#define MAX_PAIRS	64
#define MAX_BOXES	10000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int parse_list(const char *s, unsigned int *v, unsigned int max_n,
		      unsigned int max_v)
{
	unsigned int n = 0;
	char *end;

	while (*s && n < max_n) {
		unsigned long x = strtoul(s, &end, 10);

		if (end == s || !x || x > max_v || (*end && *end != ','))
			return -1;
		v[n++] = x;
		s = *end ? end + 1 : end;
	}
	return *s ? -1 : (int)n;
}

/* One channel end: an ipcmbox fd or a POSIX mq descriptor. */
struct end {
	int fd;
	mqd_t mq;
};

struct layout {
	const char *mech;	/* "ipcmbox" or "posix-mq" */
	int shared;
};

static int chan_open(const struct layout *l, unsigned int i, struct end *e)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG,
		.capacity = DEPTH, .max_msg = MSG_SIZE,
	};
	struct mq_attr ma = { .mq_maxmsg = 10, .mq_msgsize = MSG_SIZE };
	char name[32];

	snprintf(name, sizeof(name), "%sscale%u", l->shared ? "s" : "d", i);
	if (!strcmp(l->mech, "ipcmbox")) {
		e->fd = ipcmbox_open_attr(name, O_RDWR | O_CREAT, &a);
		return e->fd < 0 ? -1 : 0;
	}
	/* The default limit, fs.mqueue.msg_max, is 10 messages. */
	snprintf(name, sizeof(name), "/%sscale%u", l->shared ? "s" : "d", i);
	e->mq = mq_open(name, O_RDWR | O_CREAT, 0600, &ma);
	return e->mq == (mqd_t)-1 ? -1 : 0;
}

static void chan_remove(const struct layout *l, unsigned int i)
{
	char name[32];

	if (!strcmp(l->mech, "ipcmbox")) {
		snprintf(name, sizeof(name), "%sscale%u", l->shared ? "s" : "d", i);
		ipcmbox_remove(name);
	} else {
		snprintf(name, sizeof(name), "/%sscale%u", l->shared ? "s" : "d", i);
		mq_unlink(name);
	}
}

static int end_send(const struct layout *l, struct end *e, const char *buf)
{
	if (!strcmp(l->mech, "ipcmbox"))
		return write(e->fd, buf, MSG_SIZE) == MSG_SIZE ? 0 : -1;
	return mq_send(e->mq, buf, MSG_SIZE, 0);
}

static int end_recv(const struct layout *l, struct end *e, char *buf)
{
	if (!strcmp(l->mech, "ipcmbox"))
		return read(e->fd, buf, MSG_SIZE) == MSG_SIZE ? 0 : -1;
	return mq_receive(e->mq, buf, MSG_SIZE, NULL) == MSG_SIZE ? 0 : -1;
}

/*
 * A child: waits for the start signal (the end of @go), then sends or
 * receives @count messages; exits 0 when every call succeeded.
 */
static void child(const struct layout *l, unsigned int chan, int go,
		  int sender, unsigned long count)
{
	char buf[MSG_SIZE], c;
	struct end e;
	unsigned long i;

	if (chan_open(l, chan, &e))
		_exit(2);
	if (read(go, &c, 1) != 0)
		_exit(3);
	memset(buf, 'm', sizeof(buf));
	for (i = 0; i < count; i++)
		if (sender ? end_send(l, &e, buf) : end_recv(l, &e, buf))
			_exit(4);
	_exit(0);
}

/* One row: @pairs pairs, @total messages in all.  Msg/s, or < 0. */
static double run_pairs(const struct layout *l, unsigned int pairs,
			unsigned long total)
{
	unsigned long each = total / pairs;
	unsigned int i, chans = l->shared ? 1 : pairs;
	pid_t pids[2 * MAX_PAIRS];
	int go[2], st, ok = 1;
	struct end e;
	double t0;

	for (i = 0; i < chans; i++) {
		chan_remove(l, i);
		if (chan_open(l, i, &e))
			return -1;
		if (!strcmp(l->mech, "ipcmbox"))
			close(e.fd);
		else
			mq_close(e.mq);
	}
	if (pipe(go))
		return -1;
	for (i = 0; i < 2 * pairs; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(go[1]);
			child(l, l->shared ? 0 : i / 2, go[0], i % 2, each);
		}
		if (pids[i] < 0)
			ok = 0;
	}
	close(go[0]);
	t0 = now();
	close(go[1]);
	for (i = 0; i < 2 * pairs; i++)
		if (pids[i] > 0 &&
		    (waitpid(pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		     WEXITSTATUS(st)))
			ok = 0;
	t0 = now() - t0;
	for (i = 0; i < chans; i++)
		chan_remove(l, i);
	return ok ? each * pairs / t0 : -1;
}

/* /proc/meminfo's @key in kB, or -1. */
static long meminfo_kb(const char *key)
{
	char line[128];
	size_t n = strlen(key);
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/*
 * Create, open, send, receive, remove @k mailboxes; times per mailbox.
 * On a failure, what it made is removed and errno tells why.
 */
static int run_many(unsigned int k, double us[5], double *bytes)
{
	static int fds[MAX_BOXES];
	long slab0, vm0, slab1, vm1;
	char name[32], buf[MSG_SIZE];
	int ret = -1, err;
	unsigned int i;
	double t;

	memset(buf, 'k', sizeof(buf));
	for (i = 0; i < k; i++)
		fds[i] = -1;
	slab0 = meminfo_kb("Slab");
	vm0 = meminfo_kb("VmallocUsed");
	t = now();
	for (i = 0; i < k; i++) {
		snprintf(name, sizeof(name), "many%u", i);
		if (ipcmbox_create(name, NULL))
			goto out;
	}
	us[0] = (now() - t) * 1e6 / k;
	slab1 = meminfo_kb("Slab");
	vm1 = meminfo_kb("VmallocUsed");
	*bytes = slab0 < 0 || slab1 < 0 ? -1 :
		 (double)((slab1 - slab0) + (vm1 - vm0)) * 1024 / k;
	t = now();
	for (i = 0; i < k; i++) {
		snprintf(name, sizeof(name), "many%u", i);
		fds[i] = ipcmbox_open(name, O_RDWR);
		if (fds[i] < 0)
			goto out;
	}
	us[1] = (now() - t) * 1e6 / k;
	t = now();
	for (i = 0; i < k; i++)
		if (write(fds[i], buf, sizeof(buf)) != sizeof(buf))
			goto out;
	us[2] = (now() - t) * 1e6 / k;
	t = now();
	for (i = 0; i < k; i++)
		if (read(fds[i], buf, sizeof(buf)) != sizeof(buf))
			goto out;
	us[3] = (now() - t) * 1e6 / k;
	for (i = 0; i < k; i++) {
		close(fds[i]);
		fds[i] = -1;
	}
	t = now();
	for (i = 0; i < k; i++) {
		snprintf(name, sizeof(name), "many%u", i);
		if (ipcmbox_remove(name))
			goto out;
	}
	us[4] = (now() - t) * 1e6 / k;
	return 0;
out:
	err = errno;
	for (i = 0; i < k; i++) {
		if (fds[i] >= 0)
			close(fds[i]);
		snprintf(name, sizeof(name), "many%u", i);
		ipcmbox_remove(name);
	}
	errno = err;
	return ret;
}

int main(int argc, char **argv)
{
	static const struct layout layouts[] = {
		{ "ipcmbox", 0 }, { "ipcmbox", 1 },
		{ "posix-mq", 0 }, { "posix-mq", 1 },
	};
	unsigned int pairs[8] = { 1, 4, 16, 64 }, counts[8] = { 10, 100, 1000, 10000 };
	int np = 4, nk = 4, c, i, j, ret = 0;
	struct rlimit rl = { 4 * MAX_BOXES, 4 * MAX_BOXES };
	unsigned long total = 64000;
	double rate, us[5], bytes;

	while ((c = getopt(argc, argv, "p:n:k:h")) != -1) {
		switch (c) {
		case 'p':
			np = parse_list(optarg, pairs, 8, MAX_PAIRS);
			break;
		case 'n':
			total = strtoul(optarg, NULL, 10);
			break;
		case 'k':
			nk = parse_list(optarg, counts, 8, MAX_BOXES);
			break;
		default:
			np = -1;
		}
		if (np < 0 || nk < 0 || !total) {
			fprintf(stderr, "usage: ipcmbox-scale [-p PAIRS,...] [-n MESSAGES] [-k COUNTS,...]\n");
			return 2;
		}
	}
	/* 10,000 open mailboxes need more than the usual 1,024 fds. */
	if (setrlimit(RLIMIT_NOFILE, &rl))
		fprintf(stderr, "ipcmbox-scale: RLIMIT_NOFILE: %s\n", strerror(errno));

	printf("# pairs: %lu messages of %d bytes in all, msg/s\n", total, MSG_SIZE);
	printf("%-10s %-9s", "mechanism", "layout");
	for (i = 0; i < np; i++)
		printf(" %9u", pairs[i]);
	printf("\n");
	for (j = 0; j < 4; j++) {
		printf("%-10s %-9s", layouts[j].mech,
		       layouts[j].shared ? "shared" : "distinct");
		for (i = 0; i < np; i++) {
			rate = run_pairs(&layouts[j], pairs[i], total);
			if (rate < 0) {
				printf(" %9s", "FAILED");
				ret = 1;
			} else {
				printf(" %9.0f", rate);
			}
			fflush(stdout);
		}
		printf("\n");
	}

	printf("\n# many mailboxes: microseconds per mailbox, kernel bytes per empty one\n");
	printf("%8s %8s %8s %8s %8s %8s %10s\n", "count", "create", "open",
	       "send", "recv", "remove", "bytes");
	for (i = 0; i < nk; i++) {
		if (run_many(counts[i], us, &bytes)) {
			printf("%8u FAILED: %s\n", counts[i], strerror(errno));
			ret = 1;
			continue;
		}
		/* Below 1,000 mailboxes the slab's own noise dominates. */
		if (counts[i] >= 1000 && bytes >= 0)
			printf("%8u %8.2f %8.2f %8.2f %8.2f %8.2f %10.0f\n",
			       counts[i], us[0], us[1], us[2], us[3], us[4],
			       bytes);
		else
			printf("%8u %8.2f %8.2f %8.2f %8.2f %8.2f %10s\n",
			       counts[i], us[0], us[1], us[2], us[3], us[4],
			       "-");
	}
	return ret;
}
