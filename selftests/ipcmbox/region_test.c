// SPDX-License-Identifier: GPL-2.0-only
/*
 * Shared regions: size and reporting, mmap (shared pages, zeroed pages,
 * every refused mmap/mprotect/mremap, lifetime across close, removal and
 * fork), and messages by reference (chunks, bad references, holders that
 * close or die, capacity, blocking allocation, copies for receivers that
 * do not take references).
 */
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define PG		4096UL
#define REGION		(16 * PG)	/* the fixture's region */
#define MAX_MSG		REGION
#define PARAM(p)	IPCMBOX_SYSFS_MODULE "/parameters/" p

/* In a test: skips unless root, and loads the module if needed. */
#define NEED_MODULE() do {						\
	if (getuid() != 0)						\
		SKIP(return, "needs root to load the module");		\
	if (!ipcmbox_test_loaded())					\
		ASSERT_EQ(0, ipcmbox_test_load(""));			\
} while (0)

/* Creates @name with @capacity and a region of @region bytes (0: none). */
static int make_box(const char *name, uint32_t capacity, uint64_t region)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_CAPACITY | IPCMBOX_SET_MAX_MSG |
		       (region ? IPCMBOX_SET_REGION : 0),
		.capacity = capacity, .max_msg = MAX_MSG,
		.region_size = region,
	};

	return ipcmbox_create(name, &a);
}

static long long region_used(int fd)
{
	struct ipcmbox_stat st;

	return ipcmbox_stat(fd, &st) ? -1 : (long long)st.region_used;
}

static long long depth(int fd)
{
	struct ipcmbox_stat st;

	return ipcmbox_stat(fd, &st) ? -1 : (long long)st.depth;
}

static const struct ipcmbox_opts nonblock = { .flags = IPCMBOX_IO_NONBLOCK };

/* One chunk of @len bytes, without blocking; 0 or errno. */
static int alloc1(int fd, size_t len, struct ipcmbox_chunk *c)
{
	return ipcmbox_alloc(fd, len, c, 1, &nonblock) == 1 ? 0 : errno;
}

/* The raw IPCMBOX_IOC_SEND by reference; 0 or errno. */
static int send_ref(int fd, uint64_t offset, size_t len, uint32_t flags)
{
	struct ipcmbox_io io = {
		.size = sizeof(io), .flags = IPCMBOX_IO_REF | flags,
		.len = len, .ref_offset = offset,
	};

	return ioctl(fd, IPCMBOX_IOC_SEND, &io) ? errno : 0;
}

/* Releases one chunk at @offset of @len bytes; 0 or errno. */
static int release1(int fd, uint64_t offset, uint64_t len)
{
	struct ipcmbox_chunk c = { .offset = offset, .len = len };

	return ipcmbox_release(fd, &c, 1) ? errno : 0;
}

/* IPCMBOX_IOC_REGION_FD: the new fd, or -errno. */
static int region_fd(int fd)
{
	struct ipcmbox_region_fd rf = {
		.size = sizeof(rf), .flags = IPCMBOX_REGION_CLOEXEC,
	};

	return ioctl(fd, IPCMBOX_IOC_REGION_FD, &rf) ? -errno : rf.fd;
}

/* mmap()'s errno, or 0 (and the mapping is undone). */
static int map_errno(int fd, size_t len, int prot, int flags, off_t off)
{
	void *p = mmap(NULL, len, prot, flags, fd, off);

	if (p == MAP_FAILED)
		return errno;
	munmap(p, len);
	return 0;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed + i * 7 + (i >> 12));
}

static int check(const unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != (unsigned char)(seed + i * 7 + (i >> 12)))
			return 0;
	return 1;
}

static int write_param(const char *path, const char *value)
{
	FILE *f = fopen(path, "we");
	int ok;

	if (!f)
		return -1;
	ok = fputs(value, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

/* The mailbox "r" (bounded, 4 messages) with a REGION-byte region. */
FIXTURE(region) {
	int fd;			/* O_RDWR */
	struct ipcmbox_map map;	/* of fd */
};

FIXTURE_SETUP(region)
{
	self->fd = -1;
	memset(&self->map, 0, sizeof(self->map));
	NEED_MODULE();
	ipcmbox_remove("r");
	/* Asks for a byte more than 15 pages: rounded up to 16. */
	ASSERT_EQ(0, make_box("r", 4, REGION - PG + 1));
	self->fd = ipcmbox_open("r", O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ipcmbox_region_map(self->fd, &self->map));
}

FIXTURE_TEARDOWN(region)
{
	if (getuid() != 0)
		return;
	if (self->map.base)
		ipcmbox_region_unmap(&self->map);
	if (self->fd >= 0)
		close(self->fd);
	ipcmbox_remove("r");
}

TEST_F(region, size_is_rounded_up_to_pages_and_reported)
{
	char path[128], text[4096];
	struct ipcmbox_stat st;

	ASSERT_EQ(0, ipcmbox_stat(self->fd, &st));
	EXPECT_EQ(REGION, st.region_size);
	EXPECT_EQ(0, st.region_used);
	EXPECT_EQ(REGION, self->map.size);
	EXPECT_TRUE(self->map.writable);
	EXPECT_EQ((long long)REGION,
		  ipcmbox_test_read_ull("/sys/class/ipcmbox/r/region_size"));
	EXPECT_EQ(0, ipcmbox_test_read_ull("/sys/class/ipcmbox/r/region_used"));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", self->fd);
	ASSERT_EQ(0, read_text(path, text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, "ipcmbox-region_size:\t65536\n"));
	EXPECT_NE(NULL, strstr(text, "ipcmbox-region_used:\t0\n"));
}

TEST_F(region, a_mailbox_without_a_region_refuses_region_calls)
{
	struct ipcmbox_chunk c;
	struct ipcmbox_map m;
	int fd;

	ipcmbox_remove("plain");
	ASSERT_EQ(0, make_box("plain", 4, 0));
	fd = ipcmbox_open("plain", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, IPCMBOX_STAT("plain", region_size));
	EXPECT_EQ(ENODEV, map_errno(fd, PG, PROT_READ, MAP_SHARED, 0));
	EXPECT_EQ(-1, ipcmbox_region_map(fd, &m));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(ENODEV, alloc1(fd, PG, &c));
	EXPECT_EQ(ENODEV, release1(fd, 0, PG));
	EXPECT_EQ(-ENODEV, region_fd(fd));
	EXPECT_EQ(ENODEV, send_ref(fd, 0, 1, 0));
	EXPECT_EQ(0, depth(fd));
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove("plain"));
}

TEST_F(region, two_processes_see_each_others_writes)
{
	/* Each side sends and receives its own type: no one takes its own. */
	const struct ipcmbox_opts child_says = { .type = 1 };
	const struct ipcmbox_opts parent_says = { .type = 2 };
	unsigned char *p = self->map.base;
	char token;
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct ipcmbox_map m;
		int fd = ipcmbox_open("r", O_RDWR);

		if (fd < 0 || ipcmbox_region_map(fd, &m))
			_exit(1);
		fill(m.base, REGION / 2, 1);
		if (ipcmbox_send(fd, "w", 1, &child_says, NULL))
			_exit(2);
		/* Wait for the parent's half, then check it. */
		if (ipcmbox_recv(fd, &token, 1, &parent_says, NULL) != 1 ||
		    token != 'p')
			_exit(3);
		_exit(check((unsigned char *)m.base + REGION / 2, REGION / 2,
			    2) ? 0 : 4);
	}
	/* The child's send is the handshake: its writes are done. */
	ASSERT_EQ(1, ipcmbox_recv(self->fd, &token, 1, &child_says, NULL));
	EXPECT_EQ('w', token);
	EXPECT_TRUE(check(p, REGION / 2, 1));
	fill(p + REGION / 2, REGION / 2, 2);
	ASSERT_EQ(0, ipcmbox_send(self->fd, "p", 1, &parent_says, NULL));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(region, a_new_region_reads_as_zeros_after_a_dirty_one_is_freed)
{
	static const size_t size = 64 * PG;
	unsigned char *p;
	struct ipcmbox_map m;
	int round, fd;
	size_t i;

	for (round = 0; round < 4; round++) {
		ipcmbox_remove("z");
		ASSERT_EQ(0, make_box("z", 4, size));
		fd = ipcmbox_open("z", O_RDWR);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, ipcmbox_region_map(fd, &m));
		p = m.base;
		for (i = 0; i < size; i++)
			if (p[i])
				break;
		EXPECT_EQ(size, i) TH_LOG("round %d: byte %zu is 0x%02x",
					  round, i, p[i]);
		/* Dirty every page, then free the whole region. */
		memset(p, 0xa5, size);
		ASSERT_EQ(0, ipcmbox_region_unmap(&m));
		close(fd);
		ASSERT_EQ(0, ipcmbox_remove("z"));
	}
}

TEST_F(region, refused_mmaps)
{
	int ro = ipcmbox_open("r", O_RDONLY), wo = ipcmbox_open("r", O_WRONLY);

	ASSERT_LE(0, ro);
	ASSERT_LE(0, wo);
	EXPECT_EQ(EINVAL, map_errno(self->fd, PG, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE, 0));
	EXPECT_EQ(EINVAL, map_errno(ro, PG, PROT_READ, MAP_PRIVATE, 0));
	EXPECT_EQ(EINVAL, map_errno(self->fd, REGION + PG, PROT_READ,
				    MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, map_errno(self->fd, PG, PROT_READ, MAP_SHARED,
				    REGION));
	EXPECT_EQ(EINVAL, map_errno(self->fd, 2 * PG, PROT_READ, MAP_SHARED,
				    REGION - PG));
	/* The VFS: write needs a writable fd, any mapping a readable one. */
	EXPECT_EQ(EACCES, map_errno(ro, PG, PROT_READ | PROT_WRITE,
				    MAP_SHARED, 0));
	EXPECT_EQ(EACCES, map_errno(wo, PG, PROT_READ, MAP_SHARED, 0));
	/* What is allowed: a part, at an offset, read-only on O_RDONLY. */
	EXPECT_EQ(0, map_errno(self->fd, PG, PROT_READ | PROT_WRITE,
			       MAP_SHARED, REGION - PG));
	EXPECT_EQ(0, map_errno(ro, REGION, PROT_READ, MAP_SHARED, 0));
	close(ro);
	close(wo);
}

TEST_F(region, mprotect_cannot_add_write_to_a_read_only_mapping)
{
	int ro = ipcmbox_open("r", O_RDONLY);
	void *p;

	ASSERT_LE(0, ro);
	p = mmap(NULL, REGION, PROT_READ, MAP_SHARED, ro, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, REGION, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, mprotect(p, REGION, PROT_NONE));
	EXPECT_EQ(0, mprotect(p, REGION, PROT_READ));
	munmap(p, REGION);
	close(ro);
}

TEST_F(region, mremap_cannot_grow_but_can_move_and_shrink)
{
	unsigned char *p = self->map.base, *q, *hole;

	fill(p, REGION, 3);
	/* Grown in place or moved to grow: VM_DONTEXPAND refuses both. */
	q = mremap(p, REGION / 2, REGION, 0);
	EXPECT_EQ(MAP_FAILED, q);
	EXPECT_EQ(EFAULT, errno);
	q = mremap(p, REGION / 2, REGION, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, q);
	EXPECT_EQ(EFAULT, errno);
	/* Moved whole, to a place of our choosing. */
	hole = mmap(NULL, REGION, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, hole);
	q = mremap(p, REGION, REGION, MREMAP_MAYMOVE | MREMAP_FIXED, hole);
	ASSERT_EQ(hole, q);
	EXPECT_TRUE(check(q, REGION, 3));
	/* Shrunk. */
	EXPECT_EQ(q, mremap(q, REGION, PG, 0));
	EXPECT_TRUE(check(q, PG, 3));
	self->map.base = q;
	self->map.size = PG;
}

TEST_F(region, contents_persist_across_closes_until_removal)
{
	struct ipcmbox_map m;
	int fd;

	fill(self->map.base, REGION, 4);
	ASSERT_EQ(0, ipcmbox_region_unmap(&self->map));
	close(self->fd);
	self->fd = -1;
	fd = ipcmbox_open("r", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ipcmbox_region_map(fd, &m));
	EXPECT_FALSE(m.writable);
	EXPECT_TRUE(check(m.base, REGION, 4));
	ipcmbox_region_unmap(&m);
	close(fd);
}

TEST_F(region, a_mapping_outlives_close_and_removal_and_pins_the_module)
{
	unsigned char *p = self->map.base;

	fill(p, REGION, 5);
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, ipcmbox_remove("r"));
	EXPECT_EQ(-1, IPCMBOX_STAT("r", region_size));
	/* The pages are still there, readable and writable. */
	EXPECT_TRUE(check(p, REGION, 5));
	fill(p, REGION, 6);
	EXPECT_TRUE(check(p, REGION, 6));
	EXPECT_EQ(EWOULDBLOCK, ipcmbox_test_unload());
	ASSERT_EQ(0, ipcmbox_region_unmap(&self->map));
	EXPECT_EQ(0, ipcmbox_test_unload());
	ASSERT_EQ(0, ipcmbox_test_load(""));
}

TEST_F(region, a_region_fd_pins_the_mailbox_after_removal)
{
	int rfd = region_fd(self->fd);
	unsigned char *p;

	ASSERT_LE(0, rfd);
	fill(self->map.base, PG, 7);
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(0, ipcmbox_remove("r"));
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_TRUE(check(p, PG, 7));
	munmap(p, PG);
	close(rfd);
}

TEST_F(region, fork_shares_the_pages_and_madv_dontneed_refaults_them)
{
	unsigned char *p = self->map.base;
	pid_t child;

	fill(p, REGION, 8);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		if (!check(p, REGION, 8))
			_exit(1);
		/* Dropped and faulted back: the same shared pages. */
		if (madvise(p, REGION, MADV_DONTNEED) || !check(p, REGION, 8))
			_exit(2);
		fill(p, REGION, 9);
		_exit(0);
	}
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_TRUE(check(p, REGION, 9));
	/* And the parent's own zap faults the child's writes back in. */
	ASSERT_EQ(0, madvise(p, REGION, MADV_DONTNEED));
	EXPECT_TRUE(check(p, REGION, 9));
}

TEST_F(region, a_message_by_reference_moves_no_bytes)
{
	struct ipcmbox_envelope env;
	struct ipcmbox_chunk c, got;
	struct ipcmbox_map rm;
	uint64_t seq = 0;
	char buf[8];
	int ro;

	ASSERT_EQ(0, alloc1(self->fd, 5000, &c));
	EXPECT_EQ(0, c.offset % PG);
	EXPECT_EQ(2 * PG, c.len);
	EXPECT_EQ(2 * PG, region_used(self->fd));
	fill(ipcmbox_chunk_ptr(&self->map, &c), 5000, 10);
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &c, 5000, NULL, &seq));
	EXPECT_EQ(1, depth(self->fd));
	EXPECT_EQ(2 * PG, region_used(self->fd));

	ro = ipcmbox_open("r", O_RDONLY);
	ASSERT_LE(0, ro);
	ASSERT_EQ(0, ipcmbox_region_map(ro, &rm));
	/* A tiny buffer does not matter: nothing is copied into it. */
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ(5000, ipcmbox_recv_ref(ro, buf, sizeof(buf), NULL, &env,
					 &got));
	EXPECT_EQ(0, memcmp(buf, "xxxxxxxx", sizeof(buf)));
	EXPECT_EQ(c.offset, got.offset);
	EXPECT_EQ(5000, got.len);
	EXPECT_EQ(seq, env.seq);
	EXPECT_EQ(5000, env.msg_len);
	EXPECT_EQ(getpid(), env.pid);
	EXPECT_TRUE(check(ipcmbox_chunk_ptr(&rm, &got), 5000, 10));
	EXPECT_EQ(0, depth(ro));
	/* Held by the receiver now, until it releases it. */
	EXPECT_EQ(2 * PG, region_used(ro));
	EXPECT_EQ(ENOENT, release1(self->fd, got.offset, got.len));
	EXPECT_EQ(0, ipcmbox_release(ro, &got, 1));
	EXPECT_EQ(0, region_used(ro));
	ipcmbox_region_unmap(&rm);
	close(ro);
}

TEST_F(region, bad_references_are_refused_and_change_nothing)
{
	struct ipcmbox_chunk c, other;
	int fd2 = ipcmbox_open("r", O_RDWR);

	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, alloc1(self->fd, 2 * PG, &c));
	ASSERT_EQ(0, alloc1(fd2, PG, &other));
	ASSERT_EQ(0, ipcmbox_send(self->fd, "copy", 4, NULL, NULL));

	EXPECT_EQ(EINVAL, send_ref(self->fd, c.offset + 1, 1, 0));
	EXPECT_EQ(EINVAL, send_ref(self->fd, REGION, 1, 0));
	EXPECT_EQ(EINVAL, send_ref(self->fd, UINT64_MAX & ~(PG - 1), 1, 0));
	EXPECT_EQ(EINVAL, send_ref(self->fd, UINT64_MAX, 1, 0));
	EXPECT_EQ(EINVAL, send_ref(self->fd, c.offset, 2 * PG + 1, 0));
	/* Any length past max_msg fails first, as for a copied message. */
	EXPECT_EQ(EMSGSIZE, send_ref(self->fd, c.offset, UINT64_MAX, 0));
	/* Not the first page of a chunk, a free page, another fd's chunk. */
	EXPECT_EQ(ENOENT, send_ref(self->fd, c.offset + PG, 1, 0));
	EXPECT_EQ(ENOENT, send_ref(self->fd, REGION - PG, 1, 0));
	EXPECT_EQ(ENOENT, send_ref(self->fd, other.offset, 1, 0));
	/* A buffer beside a reference; a peek by reference. */
	{
		struct ipcmbox_io io = {
			.size = sizeof(io), .flags = IPCMBOX_IO_REF,
			.buf = (uintptr_t)"x", .len = 1,
			.ref_offset = c.offset,
		};

		EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_SEND, &io));
		EXPECT_EQ(EINVAL, errno);
		io = (struct ipcmbox_io) {
			.size = sizeof(io),
			.flags = IPCMBOX_IO_REF | IPCMBOX_IO_PEEK,
		};
		EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_RECV, &io));
		EXPECT_EQ(EINVAL, errno);
	}
	/* Releases: not held, named twice, too long, misaligned. */
	EXPECT_EQ(ENOENT, release1(self->fd, other.offset, PG));
	EXPECT_EQ(ENOENT, release1(self->fd, REGION - PG, PG));
	EXPECT_EQ(EINVAL, release1(self->fd, c.offset, 2 * PG + 1));
	EXPECT_EQ(EINVAL, release1(self->fd, c.offset + 8, 1));
	{
		struct ipcmbox_chunk twice[2] = { c, c };

		EXPECT_EQ(-1, ipcmbox_release(self->fd, twice, 2));
		EXPECT_EQ(ENOENT, errno);
	}
	/* Nothing changed: the message, both chunks, the counters. */
	EXPECT_EQ(1, depth(self->fd));
	EXPECT_EQ(3 * PG, region_used(self->fd));
	EXPECT_EQ(0, ipcmbox_send_ref(self->fd, &c, 2 * PG, &nonblock, NULL));
	/* Sent: it is not the sender's any more. */
	EXPECT_EQ(ENOENT, send_ref(self->fd, c.offset, 1, 0));
	EXPECT_EQ(ENOENT, release1(self->fd, c.offset, 1));
	EXPECT_EQ(2, depth(self->fd));
	EXPECT_EQ(0, release1(fd2, other.offset, other.len));
	close(fd2);
}

/* A valid ALLOC of one page into @cs, for a test to spoil. */
static struct ipcmbox_chunks chunks_of(struct ipcmbox_chunk *cs)
{
	return (struct ipcmbox_chunks) {
		.size = sizeof(struct ipcmbox_chunks),
		.chunks = (uintptr_t)cs, .count = 1, .len = PG,
	};
}

/* @req with @c; its errno, or 0. */
static int chunks_call(int fd, unsigned long req, struct ipcmbox_chunks c)
{
	return ioctl(fd, req, &c) ? errno : 0;
}

TEST_F(region, bad_chunk_calls_are_refused)
{
	struct ipcmbox_chunk cs[2];
	struct ipcmbox_chunks c;
	int ro;

	c = chunks_of(cs);
	c.count = 0;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c.count = IPCMBOX_CHUNKS_MAX + 1;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c = chunks_of(cs);
	c.len = 0;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c.len = REGION + 1;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c.len = UINT64_MAX;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c = chunks_of(cs);
	c.flags = IPCMBOX_IO_PEEK;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c = chunks_of(cs);
	c.reserved[2] = 1;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c = chunks_of(cs);
	c.size = IPCMBOX_CHUNKS_SIZE_VER0 - 8;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c = chunks_of(cs);
	c.flags = IPCMBOX_IO_TIMEOUT;
	c.clock = 99;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	/* An array the kernel cannot write: nothing stays allocated. */
	c = chunks_of(cs);
	c.chunks = 8;
	EXPECT_EQ(EFAULT, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	c.chunks = (uintptr_t)"read-only string";
	EXPECT_EQ(EFAULT, chunks_call(self->fd, IPCMBOX_IOC_ALLOC, c));
	EXPECT_EQ(0, region_used(self->fd));
	/* Release takes neither a length nor flags. */
	c = chunks_of(cs);
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_RELEASE, c));
	c.len = 0;
	c.flags = IPCMBOX_IO_NONBLOCK;
	EXPECT_EQ(EINVAL, chunks_call(self->fd, IPCMBOX_IOC_RELEASE, c));
	c.flags = 0;
	c.chunks = 8;
	EXPECT_EQ(EFAULT, chunks_call(self->fd, IPCMBOX_IOC_RELEASE, c));
	/* Only a fd that may send allocates. */
	ro = ipcmbox_open("r", O_RDONLY);
	ASSERT_LE(0, ro);
	EXPECT_EQ(EBADF, chunks_call(ro, IPCMBOX_IOC_ALLOC, chunks_of(cs)));
	close(ro);
	EXPECT_EQ(0, region_used(self->fd));
}

TEST_F(region, a_reference_longer_than_max_msg_stays_with_the_sender)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_MAX_MSG, .max_msg = PG,
	};
	struct ipcmbox_chunk c;

	ASSERT_EQ(0, ipcmbox_configure(self->fd, &a));
	ASSERT_EQ(0, alloc1(self->fd, 2 * PG, &c));
	EXPECT_EQ(EMSGSIZE, send_ref(self->fd, c.offset, PG + 1, 0));
	EXPECT_EQ(0, depth(self->fd));
	EXPECT_EQ(2 * PG, region_used(self->fd));
	EXPECT_EQ(0, send_ref(self->fd, c.offset, PG, 0));
	EXPECT_EQ(1, depth(self->fd));
}

TEST_F(region, closing_a_holder_returns_its_chunks)
{
	struct ipcmbox_chunk cs[3], got;
	int fd2 = ipcmbox_open("r", O_RDWR), fd3;

	ASSERT_LE(0, fd2);
	ASSERT_EQ(3, ipcmbox_alloc(fd2, PG, cs, 3, &nonblock));
	EXPECT_EQ(3 * PG, region_used(self->fd));
	close(fd2);
	EXPECT_EQ(0, region_used(self->fd));

	/* A receiver by reference that closes without releasing. */
	ASSERT_EQ(0, alloc1(self->fd, PG, &cs[0]));
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[0], 10, NULL, NULL));
	fd3 = ipcmbox_open("r", O_RDONLY);
	ASSERT_LE(0, fd3);
	ASSERT_EQ(10, ipcmbox_recv_ref(fd3, NULL, 0, NULL, NULL, &got));
	EXPECT_EQ(PG, region_used(self->fd));
	close(fd3);
	EXPECT_EQ(0, region_used(self->fd));
}

/* A child that opens "r", runs @fn, reports on @pipefd, then waits. */
static pid_t holder(int pipefd[2], int (*fn)(int fd))
{
	pid_t child = fork();

	if (child == 0) {
		int fd = ipcmbox_open("r", O_RDWR);
		char ok = fd >= 0 && !fn(fd) ? 'y' : 'n';

		if (write(pipefd[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	return child;
}

static int hold_chunks(int fd)
{
	struct ipcmbox_chunk cs[4];

	return ipcmbox_alloc(fd, PG, cs, 4, &nonblock) == 4 ? 0 : -1;
}

static int hold_received(int fd)
{
	struct ipcmbox_chunk got;

	return ipcmbox_recv_ref(fd, NULL, 0, NULL, NULL, &got) == 100 &&
	       got.offset != IPCMBOX_NO_CHUNK ? 0 : -1;
}

TEST_F(region, killed_holders_return_their_chunks)
{
	struct ipcmbox_chunk c;
	int pipefd[2];
	pid_t child;
	char ok;

	ASSERT_EQ(0, pipe(pipefd));
	/* A sender killed before it sends. */
	child = holder(pipefd, hold_chunks);
	ASSERT_LE(0, child);
	ASSERT_EQ(1, read(pipefd[0], &ok, 1));
	EXPECT_EQ('y', ok);
	EXPECT_EQ(4 * PG, region_used(self->fd));
	kill(child, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, region_used(self->fd));

	/* A receiver killed before it releases. */
	ASSERT_EQ(0, alloc1(self->fd, 3 * PG, &c));
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &c, 100, NULL, NULL));
	child = holder(pipefd, hold_received);
	ASSERT_LE(0, child);
	ASSERT_EQ(1, read(pipefd[0], &ok, 1));
	EXPECT_EQ('y', ok);
	EXPECT_EQ(0, depth(self->fd));
	EXPECT_EQ(3 * PG, region_used(self->fd));
	kill(child, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, region_used(self->fd));
	close(pipefd[0]);
	close(pipefd[1]);
}

TEST_F(region, messages_queued_at_removal_return_their_chunks)
{
	struct ipcmbox_chunk cs[2];

	ASSERT_EQ(2, ipcmbox_alloc(self->fd, PG, cs, 2, &nonblock));
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[0], 1, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[1], 1, NULL, NULL));
	EXPECT_EQ(2, depth(self->fd));
	EXPECT_EQ(2 * PG, region_used(self->fd));
	ASSERT_EQ(0, ipcmbox_remove("r"));
	EXPECT_EQ(0, region_used(self->fd));
	/* No new chunks once removed. */
	EXPECT_EQ(EIDRM, alloc1(self->fd, PG, &cs[0]));
}

TEST_F(region, receivers_that_do_not_take_references_get_copies)
{
	unsigned char buf[3 * PG];
	struct ipcmbox_envelope env;
	struct ipcmbox_chunk c, got;
	struct ipcmbox_io io;

	ASSERT_EQ(0, alloc1(self->fd, 3 * PG, &c));
	fill(ipcmbox_chunk_ptr(&self->map, &c), 3 * PG, 11);
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &c, 3 * PG - 5, NULL, NULL));

	/* A peek copies and leaves it. */
	memset(buf, 0, sizeof(buf));
	memset(&io, 0, sizeof(io));
	io.size = sizeof(io);
	io.flags = IPCMBOX_IO_PEEK;
	io.buf = (uintptr_t)buf;
	io.len = sizeof(buf);
	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_RECV, &io));
	EXPECT_EQ(3 * PG - 5, io.len);
	EXPECT_EQ(IPCMBOX_MSG_REF, io.msg_flags);
	EXPECT_TRUE(check(buf, 3 * PG - 5, 11));
	EXPECT_EQ(3 * PG - 5, ipcmbox_next_size(self->fd));
	/* Too small a buffer: EMSGSIZE, kept, as for a copied message. */
	EXPECT_EQ(-1, ipcmbox_recv(self->fd, buf, PG, &nonblock, &env));
	EXPECT_EQ(EMSGSIZE, errno);
	EXPECT_EQ(3 * PG - 5, env.msg_len);
	EXPECT_EQ(1, depth(self->fd));
	/* read(2) gets the bytes, and the chunk goes back to the region. */
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ((ssize_t)(3 * PG - 5), read(self->fd, buf, sizeof(buf)));
	EXPECT_TRUE(check(buf, 3 * PG - 5, 11));
	EXPECT_EQ(0, region_used(self->fd));

	/* A receive by reference of a copied message gets a copy. */
	ASSERT_EQ(0, ipcmbox_send(self->fd, "plain", 5, NULL, NULL));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ(5, ipcmbox_recv_ref(self->fd, buf, sizeof(buf), NULL, NULL,
				      &got));
	EXPECT_EQ(IPCMBOX_NO_CHUNK, got.offset);
	EXPECT_EQ(0, memcmp(buf, "plain", 5));
}

TEST_F(region, a_full_bounded_mailbox_refuses_a_reference_and_keeps_it)
{
	struct ipcmbox_chunk cs[5], got;
	int i;

	ASSERT_EQ(5, ipcmbox_alloc(self->fd, PG, cs, 5, &nonblock));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[i], 1, &nonblock,
					      NULL));
	EXPECT_EQ(EAGAIN, send_ref(self->fd, cs[4].offset, 1,
				   IPCMBOX_IO_NONBLOCK));
	EXPECT_EQ(4, depth(self->fd));
	EXPECT_EQ(5 * PG, region_used(self->fd));
	/* Still the sender's: sent once there is room. */
	ASSERT_EQ(1, ipcmbox_recv_ref(self->fd, NULL, 0, NULL, NULL, &got));
	EXPECT_EQ(cs[0].offset, got.offset);
	EXPECT_EQ(0, send_ref(self->fd, cs[4].offset, 1, IPCMBOX_IO_NONBLOCK));
	EXPECT_EQ(0, ipcmbox_release(self->fd, &got, 1));
	EXPECT_EQ(4 * PG, region_used(self->fd));
}

TEST_F(region, references_keep_priority_and_type_order)
{
	struct ipcmbox_opts o = { .flags = IPCMBOX_IO_NONBLOCK };
	struct ipcmbox_envelope env;
	struct ipcmbox_chunk cs[3], got;

	ASSERT_EQ(3, ipcmbox_alloc(self->fd, PG, cs, 3, &nonblock));
	o.priority = 1;
	o.type = 7;
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[0], 1, &o, NULL));
	o.priority = 5;
	o.type = 8;
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[1], 2, &o, NULL));
	o.priority = 3;
	o.type = 7;
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &cs[2], 3, &o, NULL));
	/* Type 7 only: the higher priority of the two first. */
	o = (struct ipcmbox_opts) { .flags = IPCMBOX_IO_NONBLOCK, .type = 7 };
	ASSERT_EQ(3, ipcmbox_recv_ref(self->fd, NULL, 0, &o, &env, &got));
	EXPECT_EQ(cs[2].offset, got.offset);
	EXPECT_EQ(3, env.priority);
	ASSERT_EQ(2, ipcmbox_recv_ref(self->fd, NULL, 0, &nonblock, &env,
				      &got));
	EXPECT_EQ(cs[1].offset, got.offset);
	EXPECT_EQ(8, env.type);
	ASSERT_EQ(1, ipcmbox_recv_ref(self->fd, NULL, 0, &nonblock, &env,
				      &got));
	EXPECT_EQ(cs[0].offset, got.offset);
	EXPECT_EQ(-1, ipcmbox_recv_ref(self->fd, NULL, 0, &nonblock, &env,
				       &got));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(region, poll_and_timeouts_work_for_references)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 1000000,
	};
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct ipcmbox_chunk c, got;

	EXPECT_EQ(-1, ipcmbox_recv_ref(self->fd, NULL, 0, &o, NULL, &got));
	EXPECT_EQ(ETIMEDOUT, errno);
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, alloc1(self->fd, PG, &c));
	ASSERT_EQ(0, ipcmbox_send_ref(self->fd, &c, 1, NULL, NULL));
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLIN, pfd.revents & POLLIN);
}

TEST_F(region, alloc_blocks_until_a_chunk_fits)
{
	struct ipcmbox_opts o = {
		.flags = IPCMBOX_IO_TIMEOUT, .timeout_ns = 1000000,
	};
	struct ipcmbox_chunk c, all;
	pid_t child;

	ASSERT_EQ(0, alloc1(self->fd, REGION, &all));
	EXPECT_EQ(REGION, region_used(self->fd));
	EXPECT_EQ(EAGAIN, alloc1(self->fd, PG, &c));
	EXPECT_EQ(-1, ipcmbox_alloc(self->fd, PG, &c, 1, &o));
	EXPECT_EQ(ETIMEDOUT, errno);

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int fd = ipcmbox_open("r", O_WRONLY);

		_exit(fd >= 0 && ipcmbox_alloc(fd, 2 * PG, &c, 1, NULL) == 1 &&
		      c.offset == 0 ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_sleeps_in(child,
							    "ipcmbox_sleep")));
	EXPECT_EQ(0, ipcmbox_release(self->fd, &all, 1));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	/* The child's chunk went back when it exited. */
	EXPECT_EQ(0, region_used(self->fd));
}

TEST_F(region, removal_wakes_a_blocked_allocator)
{
	struct ipcmbox_chunk c, all;
	pid_t child;

	ASSERT_EQ(0, alloc1(self->fd, REGION, &all));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(ipcmbox_alloc(self->fd, PG, &c, 1, NULL) == -1 &&
		      errno == EIDRM ? 0 : 1);
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(ipcmbox_test_sleeps_in(child,
							    "ipcmbox_sleep")));
	ASSERT_EQ(0, ipcmbox_remove("r"));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
}

TEST_F(region, one_alloc_takes_as_many_chunks_as_fit)
{
	struct ipcmbox_chunk cs[8];
	int i, j;

	/* 5 of 3 pages fit in 16 pages; then 1 of the 3 asked for. */
	ASSERT_EQ(5, ipcmbox_alloc(self->fd, 3 * PG - 100, cs, 5, &nonblock));
	ASSERT_EQ(1, ipcmbox_alloc(self->fd, 1, cs + 5, 3, &nonblock));
	EXPECT_EQ(REGION, region_used(self->fd));
	for (i = 0; i < 6; i++) {
		EXPECT_EQ(i < 5 ? 3 * PG : PG, cs[i].len);
		EXPECT_LE(cs[i].offset + cs[i].len, REGION);
		for (j = 0; j < i; j++)
			EXPECT_TRUE(cs[i].offset >= cs[j].offset + cs[j].len ||
				    cs[j].offset >= cs[i].offset + cs[i].len);
	}
	EXPECT_EQ(0, ipcmbox_release(self->fd, cs, 6));
	EXPECT_EQ(0, region_used(self->fd));
}

TEST_F(region, send_auto_picks_copy_or_reference_by_size)
{
	static unsigned char big[IPCMBOX_REF_THRESHOLD], out[16];
	struct ipcmbox_map ro_map = self->map;
	struct ipcmbox_chunk got;

	fill(big, sizeof(big), 12);
	ASSERT_EQ(0, ipcmbox_send_auto(self->fd, &self->map, "small", 5,
				       NULL, NULL));
	ASSERT_EQ(0, ipcmbox_send_auto(self->fd, &self->map, big, sizeof(big),
				       NULL, NULL));
	ro_map.writable = 0;
	ASSERT_EQ(0, ipcmbox_send_auto(self->fd, &ro_map, "copy", 4, NULL,
				       NULL));
	ASSERT_EQ(5, ipcmbox_recv_ref(self->fd, out, sizeof(out), NULL, NULL,
				      &got));
	EXPECT_EQ(IPCMBOX_NO_CHUNK, got.offset);
	ASSERT_EQ((ssize_t)sizeof(big),
		  ipcmbox_recv_ref(self->fd, out, sizeof(out), NULL, NULL,
				   &got));
	ASSERT_NE(IPCMBOX_NO_CHUNK, got.offset);
	EXPECT_TRUE(check(ipcmbox_chunk_ptr(&self->map, &got), sizeof(big),
			  12));
	EXPECT_EQ(0, ipcmbox_release(self->fd, &got, 1));
	ASSERT_EQ(4, ipcmbox_recv_ref(self->fd, out, sizeof(out), NULL, NULL,
				      &got));
	EXPECT_EQ(IPCMBOX_NO_CHUNK, got.offset);
}

/* A rendezvous mailbox with a region: a reference waits for a receiver. */
TEST(rendezvous_references_wait_for_a_receiver)
{
	struct ipcmbox_chunk c, got;
	struct ipcmbox_map m;
	pid_t child;
	int fd;

	NEED_MODULE();
	ipcmbox_remove("rv");
	ASSERT_EQ(0, make_box("rv", IPCMBOX_CAP_RENDEZVOUS, 4 * PG));
	fd = ipcmbox_open("rv", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ipcmbox_region_map(fd, &m));
	ASSERT_EQ(0, alloc1(fd, PG, &c));
	fill(ipcmbox_chunk_ptr(&m, &c), PG, 13);
	EXPECT_EQ(EAGAIN, send_ref(fd, c.offset, PG, IPCMBOX_IO_NONBLOCK));
	EXPECT_EQ(PG, region_used(fd));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		int rfd = ipcmbox_open("rv", O_RDONLY);
		struct ipcmbox_map rm;

		if (rfd < 0 || ipcmbox_region_map(rfd, &rm) ||
		    ipcmbox_recv_ref(rfd, NULL, 0, NULL, NULL, &got) != PG ||
		    !check(ipcmbox_chunk_ptr(&rm, &got), PG, 13) ||
		    ipcmbox_release(rfd, &got, 1))
			_exit(1);
		_exit(0);
	}
	/* Blocks until the child has taken it. */
	EXPECT_EQ(0, send_ref(fd, c.offset, PG, 0));
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	EXPECT_EQ(0, region_used(fd));
	ipcmbox_region_unmap(&m);
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove("rv"));
}

/* An unbounded mailbox charges a reference its envelope, not its bytes. */
TEST(unbounded_references)
{
	struct ipcmbox_chunk cs[4], got;
	struct ipcmbox_stat st;
	int fd, i;

	NEED_MODULE();
	ipcmbox_remove("ub");
	ASSERT_EQ(0, make_box("ub", IPCMBOX_CAP_UNBOUNDED, 4 * REGION));
	fd = ipcmbox_open("ub", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, ipcmbox_alloc(fd, REGION, cs, 4, &nonblock));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, ipcmbox_send_ref(fd, &cs[i], REGION, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	EXPECT_EQ(4, st.depth);
	EXPECT_EQ(4 * REGION, st.bytes);
	EXPECT_EQ(4 * REGION, st.region_used);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ((ssize_t)REGION,
			  ipcmbox_recv_ref(fd, NULL, 0, NULL, NULL, &got));
		EXPECT_EQ(cs[i].offset, got.offset);
		EXPECT_EQ(0, ipcmbox_release(fd, &got, 1));
	}
	EXPECT_EQ(0, region_used(fd));
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove("ub"));
}

/* The two ends of a pair: what each may map, and through what. */
TEST(pair_ends_and_region_fds)
{
	struct ipcmbox_attr a = {
		.set = IPCMBOX_SET_REGION, .region_size = 2 * PG,
	};
	struct ipcmbox_map sm, rm;
	struct ipcmbox_chunk c, got;
	int fds[2], rfd, wfd;
	char b;

	NEED_MODULE();
	ASSERT_EQ(0, ipcmbox_pair(&a, IPCMBOX_PAIR_CLOEXEC, fds));
	/* The receive end maps read-only; the send end not at all. */
	EXPECT_EQ(0, map_errno(fds[0], 2 * PG, PROT_READ, MAP_SHARED, 0));
	EXPECT_EQ(EACCES, map_errno(fds[0], 2 * PG, PROT_READ | PROT_WRITE,
				    MAP_SHARED, 0));
	EXPECT_EQ(EACCES, map_errno(fds[1], 2 * PG, PROT_READ, MAP_SHARED, 0));
	/* Region fds: read-write for the send end, read-only for the other. */
	wfd = region_fd(fds[1]);
	ASSERT_LE(0, wfd);
	EXPECT_EQ(O_RDWR, fcntl(wfd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(FD_CLOEXEC, fcntl(wfd, F_GETFD));
	EXPECT_EQ(0, map_errno(wfd, 2 * PG, PROT_READ | PROT_WRITE,
			       MAP_SHARED, 0));
	EXPECT_EQ(EINVAL, map_errno(wfd, PG, PROT_READ, MAP_PRIVATE, 0));
	EXPECT_EQ(EINVAL, map_errno(wfd, 3 * PG, PROT_READ, MAP_SHARED, 0));
	rfd = region_fd(fds[0]);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(O_RDONLY, fcntl(rfd, F_GETFL) & O_ACCMODE);
	EXPECT_EQ(EACCES, map_errno(rfd, PG, PROT_READ | PROT_WRITE,
				    MAP_SHARED, 0));
	/* A region fd does nothing but map. */
	EXPECT_EQ(-1, read(wfd, &b, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(wfd, &b, 1));
	EXPECT_EQ(EINVAL, errno);
	close(wfd);
	close(rfd);
	/* The library maps either end, and a message goes through. */
	ASSERT_EQ(0, ipcmbox_region_map(fds[1], &sm));
	EXPECT_TRUE(sm.writable);
	ASSERT_EQ(0, ipcmbox_region_map(fds[0], &rm));
	EXPECT_FALSE(rm.writable);
	ASSERT_EQ(0, alloc1(fds[1], PG, &c));
	EXPECT_EQ(EBADF, alloc1(fds[0], PG, &got));
	memcpy(ipcmbox_chunk_ptr(&sm, &c), "by reference", 12);
	ASSERT_EQ(0, ipcmbox_send_ref(fds[1], &c, 12, NULL, NULL));
	ASSERT_EQ(12, ipcmbox_recv_ref(fds[0], NULL, 0, NULL, NULL, &got));
	EXPECT_EQ(0, memcmp(ipcmbox_chunk_ptr(&rm, &got), "by reference", 12));
	EXPECT_EQ(0, ipcmbox_release(fds[0], &got, 1));
	ipcmbox_region_unmap(&sm);
	ipcmbox_region_unmap(&rm);
	close(fds[0]);
	close(fds[1]);
}

static int create_64k(const void *name)
{
	return make_box(name, 4, 16 * PG);
}

TEST(region_limits)
{
	if (getuid() != 0)
		SKIP(return, "needs root to load the module");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	EXPECT_EQ(64LL << 20, ipcmbox_test_read_ull(PARAM("region_size_max")));
	EXPECT_EQ(256LL << 20,
		  ipcmbox_test_read_ull(PARAM("user_region_bytes_max")));
	/* The per-mailbox maximum, for everyone. */
	ASSERT_EQ(0, write_param(PARAM("region_size_max"), "65536"));
	EXPECT_EQ(-1, make_box("big", 4, 16 * PG + 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, make_box("big", 4, 16 * PG));
	EXPECT_EQ(0, ipcmbox_remove("big"));
	/* The per-user total, unless CAP_SYS_RESOURCE. */
	ASSERT_EQ(0, write_param(PARAM("user_region_bytes_max"), "100000"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(create_64k, "n1"));
	EXPECT_EQ(ENOBUFS, ipcmbox_test_as_nobody(create_64k, "n2"));
	EXPECT_EQ(-1, IPCMBOX_STAT("n2", region_size));
	EXPECT_EQ(0, make_box("root1", 4, 16 * PG));
	EXPECT_EQ(0, make_box("root2", 4, 16 * PG));
	/* Freed regions are uncharged. */
	EXPECT_EQ(0, ipcmbox_remove("n1"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(create_64k, "n2"));
	EXPECT_EQ(0, ipcmbox_remove("n2"));
	EXPECT_EQ(0, ipcmbox_remove("root1"));
	EXPECT_EQ(0, ipcmbox_remove("root2"));
	EXPECT_EQ(0, ipcmbox_test_reload(""));
}

TEST(mailboxes_parameter_gives_regions)
{
	if (getuid() != 0)
		SKIP(return, "needs root to load the module");
	ASSERT_EQ(0, ipcmbox_test_reload("mailboxes=a:4:64K,b:0:5000,c"));
	EXPECT_EQ(64 * 1024, IPCMBOX_STAT("a", region_size));
	EXPECT_EQ(4, IPCMBOX_STAT("a", capacity));
	EXPECT_EQ(2 * PG, IPCMBOX_STAT("b", region_size));
	EXPECT_EQ(0, IPCMBOX_STAT("c", region_size));
	ASSERT_EQ(0, ipcmbox_test_unload());
	EXPECT_EQ(EINVAL, ipcmbox_test_load("mailboxes=a:4:0"));
	EXPECT_EQ(EINVAL, ipcmbox_test_load("mailboxes=a:4:12Q"));
	EXPECT_EQ(EINVAL, ipcmbox_test_load("mailboxes=a:4:1G"));
	EXPECT_EQ(0, ipcmbox_test_load(""));
}

TEST_HARNESS_MAIN
