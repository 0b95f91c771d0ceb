// SPDX-License-Identifier: GPL-2.0-only
/*
 * Ownership after creation, as msgctl(IPC_SET) and ipcs -t/-p know it:
 * IPCMBOX_IOC_SET_OWNER (ipcmbox_chmod(), ipcmbox_chown()) changes the
 * node's inode and the module's record together, for the owner or
 * CAP_SYS_ADMIN only, and a bad call changes neither; stat reports the
 * last sender's and receiver's pids and the times of the last send,
 * receive and change; a caller of the first stat size, raw or through the
 * library's older symbol, gets no byte more.
 *
 * Children drop to NOBODY; their exit status is the errno of the call
 * under test (0 for success).
 */
#include <dlfcn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define NOBODY	IPCMBOX_TEST_NOBODY
#define NODE(n)	IPCMBOX_DEV_DIR "/" n

struct change {
	const char *name;
	int chmod;		/* 1: chmod to @mode, 0: chown to @uid:@gid */
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

static int do_change(const void *arg)
{
	const struct change *c = arg;
	int fd = ipcmbox_open(c->name, O_RDONLY), ret, err;

	if (fd < 0)
		fd = ipcmbox_open(c->name, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = c->chmod ? ipcmbox_chmod(fd, c->mode) :
			 ipcmbox_chown(fd, c->uid, c->gid);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static int do_remove(const void *name)
{
	return ipcmbox_remove(name);
}

static int do_create(const void *name)
{
	return ipcmbox_create(name, NULL);
}

static int do_open_rw(const void *name)
{
	int fd = ipcmbox_open(name, O_RDWR);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static void create_mode(struct __test_metadata *_metadata, const char *name,
			uint32_t mode)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_MODE, .mode = mode };

	ASSERT_EQ(0, ipcmbox_create(name, &a));
}

/* The node's and the record's owner, group and mode all match these. */
static void expect_owner(struct __test_metadata *_metadata, const char *name,
			 uid_t uid, gid_t gid, mode_t mode)
{
	char path[sizeof(IPCMBOX_DEV_DIR) + IPCMBOX_NAME_MAX + 1];
	struct ipcmbox_stat ms;
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", IPCMBOX_DEV_DIR, name);
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(mode, st.st_mode & 07777);
	EXPECT_EQ(uid, st.st_uid);
	EXPECT_EQ(gid, st.st_gid);
	ASSERT_EQ(0, ipcmbox_stat_name(name, &ms));
	EXPECT_EQ(mode, ms.mode);
	EXPECT_EQ(uid, ms.uid);
	EXPECT_EQ(gid, ms.gid);
}

static int set_owner(int fd, uint32_t set, uint32_t uid, uint32_t gid,
		     uint32_t mode, uint32_t reserved)
{
	struct ipcmbox_owner o = {
		.size = sizeof(o), .set = set, .uid = uid, .gid = gid,
		.mode = mode, .reserved = reserved,
	};

	return ioctl(fd, IPCMBOX_IOC_SET_OWNER, &o) ? errno : 0;
}

FIXTURE(owner) {
	int unused;
};

FIXTURE_SETUP(owner)
{
	if (getuid() != 0)
		SKIP(return, "needs root to switch to an unprivileged uid");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

FIXTURE_TEARDOWN(owner)
{
}

TEST_F(owner, chmod_changes_the_node_and_the_record)
{
	struct change c = { .name = "m", .chmod = 1, .mode = 0666 };
	time_t before = time(NULL);
	struct ipcmbox_stat st;

	create_mode(_metadata, "m", 0600);
	expect_owner(_metadata, "m", 0, 0, 0600);
	EXPECT_EQ(EACCES, ipcmbox_test_as_nobody(do_open_rw, "m"));
	ASSERT_EQ(0, do_change(&c));
	expect_owner(_metadata, "m", 0, 0, 0666);
	ASSERT_EQ(0, ipcmbox_stat_name("m", &st));
	EXPECT_LE(before, st.change_time);
	EXPECT_GE(time(NULL), st.change_time);
	/* The node's new mode is what open checks. */
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_open_rw, "m"));
	c.mode = 0;
	ASSERT_EQ(0, do_change(&c));
	expect_owner(_metadata, "m", 0, 0, 0);
	EXPECT_EQ(EACCES, ipcmbox_test_as_nobody(do_open_rw, "m"));
}

TEST_F(owner, chown_hands_over_removal_and_configuration)
{
	struct change c = { .name = "g", .uid = NOBODY, .gid = NOBODY };

	create_mode(_metadata, "g", 0600);
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_remove, "g"));
	ASSERT_EQ(0, do_change(&c));
	expect_owner(_metadata, "g", NOBODY, NOBODY, 0600);
	/* Group only, then owner only: the other stays. */
	c.uid = (uid_t)-1;
	c.gid = 0;
	ASSERT_EQ(0, do_change(&c));
	expect_owner(_metadata, "g", NOBODY, 0, 0600);
	/* The new owner opens it by the owner bits and may remove it. */
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_open_rw, "g"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_remove, "g"));
	EXPECT_EQ(-1, IPCMBOX_STAT("g", id));
}

TEST_F(owner, only_the_owner_or_cap_sys_admin)
{
	struct change c = { .name = "s", .chmod = 1, .mode = 0600 };
	struct change away = { .name = "mine", .uid = 0, .gid = (gid_t)-1 };

	/* Anyone may use it; only root owns it. */
	create_mode(_metadata, "s", 0666);
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_change, &c));
	c.chmod = 0;
	c.uid = NOBODY;
	c.gid = NOBODY;
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_change, &c));
	expect_owner(_metadata, "s", 0, 0, 0666);

	/* An unprivileged owner changes its own, and may give it away. */
	ASSERT_EQ(0, ipcmbox_test_as_nobody(do_create, "mine"));
	c.name = "mine";
	c.chmod = 1;
	c.mode = 0660;
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_change, &c));
	expect_owner(_metadata, "mine", NOBODY, NOBODY, 0660);
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_change, &away));
	expect_owner(_metadata, "mine", 0, NOBODY, 0660);
	/* Then it is no longer theirs. */
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_change, &c));
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_remove, "mine"));
	expect_owner(_metadata, "mine", 0, NOBODY, 0660);
}

TEST_F(owner, bad_calls_change_nothing)
{
	struct ipcmbox_owner o = { .size = IPCMBOX_OWNER_SIZE_VER0 - 4 };
	int fd;

	create_mode(_metadata, "b", 0640);
	fd = ipcmbox_open("b", O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, set_owner(fd, 0, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, 1U << 7, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_CAPACITY, 0, 0, 0, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_MODE, 0, 0, 01777, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_MODE, 0, 0, 04600, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_MODE, 5, 0, 0600, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_UID, 5, 0, 0600, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_MODE, 0, 0, 0600, 1));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_UID, (uint32_t)-1, 0, 0, 0));
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_GID, 0, (uint32_t)-1, 0, 0));
	EXPECT_EQ(-1, ioctl(fd, IPCMBOX_IOC_SET_OWNER, &o));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, IPCMBOX_IOC_SET_OWNER, NULL));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ipcmbox_chmod(fd, 01000));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ipcmbox_chown(fd, (uid_t)-1, (gid_t)-1));
	EXPECT_EQ(EINVAL, errno);
	expect_owner(_metadata, "b", 0, 0, 0640);
	/* A good call on the same fd still works. */
	EXPECT_EQ(0, set_owner(fd, IPCMBOX_SET_MODE | IPCMBOX_SET_GID, 0, 7,
			       0620, 0));
	expect_owner(_metadata, "b", 0, 7, 0620);
	close(fd);
}

TEST_F(owner, only_through_the_node_of_a_live_named_mailbox)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_MODE, .mode = 0600 };
	int fds[2], fd;

	/* An anonymous mailbox has no node. */
	ASSERT_EQ(0, ipcmbox_pair(NULL, 0, fds));
	EXPECT_EQ(EINVAL, set_owner(fds[0], IPCMBOX_SET_MODE, 0, 0, 0666, 0));
	EXPECT_EQ(-1, ipcmbox_chmod(fds[1], 0666));
	EXPECT_EQ(EINVAL, errno);
	close(fds[0]);
	close(fds[1]);

	/* A descriptor that came from the create call is not the node's. */
	fd = ipcmbox_open_attr("c", O_RDWR | O_CREAT | O_EXCL, &a);
	ASSERT_LE(0, fd);
	EXPECT_EQ(EINVAL, set_owner(fd, IPCMBOX_SET_MODE, 0, 0, 0666, 0));
	close(fd);
	expect_owner(_metadata, "c", 0, 0, 0600);

	/* Removed: EIDRM. */
	fd = ipcmbox_open("c", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ipcmbox_remove("c"));
	EXPECT_EQ(EIDRM, set_owner(fd, IPCMBOX_SET_MODE, 0, 0, 0666, 0));
	close(fd);
}

/* A child that sends @n messages to @name and exits. */
static pid_t sender(const char *name, int n)
{
	pid_t child = fork();

	if (child == 0) {
		int fd = ipcmbox_open(name, O_WRONLY), i;

		for (i = 0; fd >= 0 && i < n; i++)
			if (ipcmbox_send(fd, "x", 1, NULL, NULL))
				_exit(1);
		_exit(fd < 0 ? 2 : 0);
	}
	return child;
}

TEST_F(owner, stat_names_the_last_sender_and_receiver)
{
	struct ipcmbox_stat st;
	time_t before = time(NULL);
	char buf[4];
	pid_t child;
	int fd;

	ASSERT_EQ(0, ipcmbox_create("p", NULL));
	ASSERT_EQ(0, ipcmbox_stat_name("p", &st));
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER1, st.size);
	EXPECT_EQ(0, st.send_pid);
	EXPECT_EQ(0, st.recv_pid);
	EXPECT_EQ(0, st.send_time);
	EXPECT_EQ(0, st.recv_time);
	EXPECT_LE(before, st.change_time);

	child = sender("p", 2);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, ipcmbox_test_child_status(child));
	ASSERT_EQ(0, ipcmbox_stat_name("p", &st));
	EXPECT_EQ(child, st.send_pid);
	EXPECT_EQ(0, st.recv_pid);
	EXPECT_LE(before, st.send_time);
	EXPECT_GE(time(NULL), st.send_time);
	EXPECT_EQ(0, st.recv_time);

	fd = ipcmbox_open("p", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, ipcmbox_recv(fd, buf, sizeof(buf), NULL, NULL));
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	EXPECT_EQ(child, st.send_pid);
	EXPECT_EQ(getpid(), st.recv_pid);
	EXPECT_LE(before, st.recv_time);
	EXPECT_GE(time(NULL), st.recv_time);
	close(fd);
}

TEST_F(owner, stat_names_a_rendezvous_sender_and_a_batch_sender)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 0 };
	struct ipcmbox_mmsg m[2] = {
		{ .buf = "a", .len = 1 }, { .buf = "b", .len = 1 },
	};
	struct ipcmbox_stat st;
	char buf[4];
	pid_t child;
	int fd;

	/* The sender blocks until this process takes its message. */
	ASSERT_EQ(0, ipcmbox_create("r", &a));
	fd = ipcmbox_open("r", O_RDWR);
	ASSERT_LE(0, fd);
	child = sender("r", 1);
	ASSERT_LT(0, child);
	ASSERT_EQ(1, ipcmbox_recv(fd, buf, sizeof(buf), NULL, NULL));
	ASSERT_EQ(0, ipcmbox_test_child_status(child));
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	EXPECT_EQ(child, st.send_pid);
	EXPECT_EQ(getpid(), st.recv_pid);
	close(fd);

	/* A batch is one send by this process. */
	ASSERT_EQ(0, ipcmbox_create("bt", NULL));
	fd = ipcmbox_open("bt", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(2, ipcmbox_send_batch(fd, m, 2, NULL, NULL));
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	EXPECT_EQ(getpid(), st.send_pid);
	EXPECT_EQ(0, st.recv_pid);
	close(fd);
}

/*
 * Two processes change one mailbox at once, one its mode, the other its
 * owner and group, each through its own fd: whatever order the calls take,
 * the node and the record end up agreeing (each call changes both under
 * the node's lock, the node first).
 */
TEST_F(owner, concurrent_changes_leave_node_and_record_agreeing)
{
	enum { ROUNDS = 200 };
	struct ipcmbox_stat ms;
	pid_t child[2];
	struct stat st;
	int i, k, fd;

	ASSERT_EQ(0, ipcmbox_create("cc", NULL));
	for (k = 0; k < 2; k++) {
		child[k] = fork();
		ASSERT_LE(0, child[k]);
		if (child[k])
			continue;
		fd = ipcmbox_open("cc", O_RDWR);
		for (i = 0; fd >= 0 && i < ROUNDS; i++) {
			int ret = k ? ipcmbox_chmod(fd, i & 1 ? 0640 : 0604) :
				      ipcmbox_chown(fd, i & 1 ? NOBODY : 0,
						    i & 1 ? NOBODY : 0);

			if (ret)
				_exit(1);
		}
		_exit(fd < 0 ? 2 : 0);
	}
	for (k = 0; k < 2; k++)
		EXPECT_EQ(0, ipcmbox_test_child_status(child[k]));
	ASSERT_EQ(0, stat(NODE("cc"), &st));
	ASSERT_EQ(0, ipcmbox_stat_name("cc", &ms));
	EXPECT_EQ(st.st_mode & 07777, ms.mode);
	EXPECT_EQ(st.st_uid, ms.uid);
	EXPECT_EQ(st.st_gid, ms.gid);
	/* Each process's last call stands: both ended on an odd round. */
	EXPECT_EQ(0640, ms.mode);
	EXPECT_EQ(NOBODY, ms.uid);
}

/*
 * A receiver already blocked is handed its message by the sender, which
 * completes the receive for it: stat must still name the receiver, and
 * count the receive once.
 */
TEST_F(owner, a_handed_over_receive_names_the_receiver)
{
	struct ipcmbox_stat st;
	pid_t child;
	int status;
	char buf[4];
	int fd;

	ASSERT_EQ(0, ipcmbox_create("h", NULL));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		ssize_t n;

		fd = ipcmbox_open("h", O_RDONLY);
		n = fd < 0 ? -1 : ipcmbox_recv(fd, buf, sizeof(buf), NULL,
					       NULL);
		_exit(n == 1 && buf[0] == 'x' ? 0 : 1);
	}
	ASSERT_TRUE(IPCMBOX_WAIT_FOR(IPCMBOX_STAT("h", recv_waiting) == 1));
	fd = ipcmbox_open("h", O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ipcmbox_send(fd, "x", 1, NULL, NULL));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, ipcmbox_stat(fd, &st));
	EXPECT_EQ(getpid(), st.send_pid);
	EXPECT_EQ(child, st.recv_pid);
	EXPECT_EQ(1, st.sent);
	EXPECT_EQ(1, st.received);
	EXPECT_EQ(0, st.depth);
	EXPECT_EQ(0, st.recv_waiting);
	close(fd);
}

TEST_F(owner, first_size_callers_get_no_byte_more)
{
	union {
		struct ipcmbox_stat st;
		unsigned char b[sizeof(struct ipcmbox_stat)];
	} u;
	int (*stat_v0)(int, struct ipcmbox_stat *);
	int (*stat_name_v0)(const char *, struct ipcmbox_stat *);
	size_t i;
	int fd;

	ASSERT_EQ(0, ipcmbox_create("o", NULL));
	fd = ipcmbox_open("o", O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ipcmbox_send(fd, "x", 1, NULL, NULL));

	/* Raw: the kernel writes the size it was given, and says so. */
	memset(&u, 0, sizeof(u));
	u.st.size = IPCMBOX_STAT_SIZE_VER0;
	memset(u.b + IPCMBOX_STAT_SIZE_VER0, 0xa5,
	       sizeof(u) - IPCMBOX_STAT_SIZE_VER0);
	ASSERT_EQ(0, ioctl(fd, IPCMBOX_IOC_STAT, &u.st));
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER0, u.st.size);
	EXPECT_EQ(1, u.st.depth);
	for (i = IPCMBOX_STAT_SIZE_VER0; i < sizeof(u); i++)
		ASSERT_EQ(0xa5, u.b[i]);

	/* The library's symbols of before 0.6 do the same. */
	stat_v0 = dlvsym(RTLD_DEFAULT, "ipcmbox_stat", "LIBIPCMBOX_0.2");
	stat_name_v0 = dlvsym(RTLD_DEFAULT, "ipcmbox_stat_name",
			      "LIBIPCMBOX_0.2");
	ASSERT_NE(NULL, stat_v0);
	ASSERT_NE(NULL, stat_name_v0);
	memset(u.b, 0xa5, sizeof(u));
	ASSERT_EQ(0, stat_v0(fd, &u.st));
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER0, u.st.size);
	EXPECT_EQ(1, u.st.depth);
	for (i = IPCMBOX_STAT_SIZE_VER0; i < sizeof(u); i++)
		ASSERT_EQ(0xa5, u.b[i]);
	memset(u.b, 0xa5, sizeof(u));
	ASSERT_EQ(0, stat_name_v0("o", &u.st));
	EXPECT_STREQ("o", u.st.name);
	for (i = IPCMBOX_STAT_SIZE_VER0; i < sizeof(u); i++)
		ASSERT_EQ(0xa5, u.b[i]);
	/* The default version fills the rest. */
	ASSERT_EQ(0, ipcmbox_stat(fd, &u.st));
	EXPECT_EQ(IPCMBOX_STAT_SIZE_VER1, u.st.size);
	EXPECT_EQ(getpid(), u.st.send_pid);
	close(fd);
}

TEST_HARNESS_MAIN
