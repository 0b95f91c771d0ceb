// SPDX-License-Identifier: GPL-2.0-only
/*
 * Permissions, as root and as an unprivileged uid: node owner and mode
 * from creation, or from mailbox_mode and mailbox_group for the mailboxes=
 * ones, opening checked against them, removal and
 * reconfiguration by the owner or CAP_SYS_ADMIN only, the per-user
 * mailbox limit, and decisions taken from the file's credentials (the
 * opener's), not from the calling task.
 *
 * Children drop to NOBODY; their exit status is the errno of the call
 * under test (0 for success).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define NOBODY	IPCMBOX_TEST_NOBODY
#define LIMIT	IPCMBOX_SYSFS_MODULE "/parameters/user_mailboxes_max"

static int do_open_rw(const void *name)
{
	int fd = ipcmbox_open(name, O_RDWR);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? -1 : 0;
}

static int do_remove(const void *name)
{
	return ipcmbox_remove(name);
}

static int do_create(const void *name)
{
	return ipcmbox_create(name, NULL);
}

static int do_configure(const void *name)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 2 };
	int fd = ipcmbox_open(name, O_RDWR), ret, err;

	if (fd < 0)
		return -1;
	ret = ipcmbox_configure(fd, &a);
	err = errno;
	close(fd);
	errno = err;
	return ret;
}

static int do_pair(const void *unused)
{
	int fds[2];

	(void)unused;
	if (ipcmbox_pair(NULL, 0, fds))
		return -1;
	close(fds[0]);
	close(fds[1]);
	return 0;
}

static int do_send(const void *name)
{
	int fd = ipcmbox_open(name, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = ipcmbox_send(fd, "n", 1, NULL, NULL);
	close(fd);
	return ret;
}

static int write_limit(const char *v)
{
	int fd = open(LIMIT, O_WRONLY | O_CLOEXEC);
	int ok = fd >= 0 && write(fd, v, strlen(v)) == (ssize_t)strlen(v);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

static void create_mode(struct __test_metadata *_metadata, const char *name,
			uint32_t mode)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_MODE, .mode = mode };

	ASSERT_EQ(0, ipcmbox_create(name, &a));
}

FIXTURE(perm) {
	int unused;
};

FIXTURE_SETUP(perm)
{
	if (getuid() != 0)
		SKIP(return, "needs root to switch to an unprivileged uid");
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

FIXTURE_TEARDOWN(perm)
{
}

TEST_F(perm, node_owner_and_mode_come_from_creation)
{
	struct stat st;

	create_mode(_metadata, "r640", 0640);
	ASSERT_EQ(0, stat(IPCMBOX_DEV_DIR "/r640", &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0640, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "mine"));
	ASSERT_EQ(0, stat(IPCMBOX_DEV_DIR "/mine", &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(NOBODY, st.st_uid);
	EXPECT_EQ(NOBODY, st.st_gid);
	EXPECT_EQ(NOBODY, IPCMBOX_STAT("mine", uid));
}

TEST_F(perm, mailbox_group_opens_the_parameter_mailboxes_to_a_group)
{
	struct stat st;

	/* NOBODY's group may use them; the owner stays root. */
	ASSERT_EQ(0, ipcmbox_test_reload("mailboxes=grp,grp2:0 mailbox_mode=0660 "
					 "mailbox_group=65534"));
	ASSERT_EQ(0, stat(IPCMBOX_DEV_DIR "/grp2", &st));
	EXPECT_EQ(0660, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(NOBODY, st.st_gid);
	EXPECT_EQ(NOBODY, IPCMBOX_STAT("grp", gid));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_send, "grp"));
	EXPECT_EQ(1, IPCMBOX_STAT("grp", depth));
	/* Nor may the group remove or reconfigure them. */
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_remove, "grp"));
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_configure, "grp"));

	/* Another group: NOBODY is out. */
	ASSERT_EQ(0, ipcmbox_test_reload("mailboxes=grp mailbox_mode=0660 "
					 "mailbox_group=4321"));
	EXPECT_EQ(4321, IPCMBOX_STAT("grp", gid));
	EXPECT_EQ(EACCES, ipcmbox_test_as_nobody(do_open_rw, "grp"));

	/* (gid_t)-1 is no group: the load fails and creates nothing. */
	EXPECT_NE(0, ipcmbox_test_reload("mailboxes=grp mailbox_group=4294967295"));
	EXPECT_FALSE(ipcmbox_test_loaded());
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

TEST_F(perm, mode_0600_keeps_others_out)
{
	create_mode(_metadata, "private", 0600);
	EXPECT_EQ(EACCES, ipcmbox_test_as_nobody(do_open_rw, "private"));
	EXPECT_EQ(0, do_open_rw("private"));
}

TEST_F(perm, shared_mailbox_io_but_no_remove_or_configure)
{
	struct ipcmbox_envelope env = { 0 };
	char buf[4];
	int fd;

	create_mode(_metadata, "shared", 0666);
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_send, "shared"));
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_remove, "shared"));
	EXPECT_EQ(EPERM, ipcmbox_test_as_nobody(do_configure, "shared"));
	EXPECT_EQ(64, IPCMBOX_STAT("shared", capacity));
	fd = ipcmbox_open("shared", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, ipcmbox_recv(fd, buf, sizeof(buf), NULL, &env));
	EXPECT_EQ(NOBODY, env.uid);
	EXPECT_EQ(NOBODY, env.gid);
	close(fd);
	EXPECT_EQ(0, ipcmbox_remove("shared"));
}

TEST_F(perm, owner_and_cap_sys_admin_may_remove_and_configure)
{
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "a"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_configure, "a"));
	EXPECT_EQ(2, IPCMBOX_STAT("a", capacity));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_remove, "a"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "b"));
	EXPECT_EQ(0, ipcmbox_remove("b"));	/* root: CAP_SYS_ADMIN */
	EXPECT_EQ(ENOENT, ipcmbox_test_as_nobody(do_remove, "b"));
}

TEST_F(perm, per_user_mailbox_limit)
{
	ASSERT_EQ(0, write_limit("2"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "n1"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "n2"));
	EXPECT_EQ(EDQUOT, ipcmbox_test_as_nobody(do_create, "n3"));
	EXPECT_EQ(EDQUOT, ipcmbox_test_as_nobody(do_pair, NULL));
	EXPECT_EQ(-1, IPCMBOX_STAT("n3", id));
	/* Removal gives the slot back. */
	EXPECT_EQ(0, ipcmbox_remove("n1"));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_pair, NULL));
	EXPECT_EQ(0, ipcmbox_test_as_nobody(do_create, "n3"));
	/* CAP_SYS_RESOURCE is exempt. */
	EXPECT_EQ(0, ipcmbox_create("r1", NULL));
	EXPECT_EQ(0, ipcmbox_create("r2", NULL));
	EXPECT_EQ(0, ipcmbox_create("r3", NULL));
	EXPECT_EQ(0, write_limit("256"));
}

TEST_F(perm, decisions_use_the_openers_credentials)
{
	pid_t child;
	int ctl;

	create_mode(_metadata, "rootbox", 0600);
	create_mode(_metadata, "rootbox2", 0600);
	/* A control fd opened by root removes, whoever calls. */
	ctl = ipcmbox_control_open();
	ASSERT_LE(0, ctl);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct ipcmbox_name n = { .size = sizeof(n) };

		strcpy(n.name, "rootbox");
		if (ipcmbox_test_drop_privileges())
			_exit(200);
		_exit(ioctl(ctl, IPCMBOX_IOC_REMOVE, &n) ? errno : 0);
	}
	EXPECT_EQ(0, ipcmbox_test_child_status(child));
	close(ctl);

	/* One opened by nobody does not, even when root calls. */
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct ipcmbox_name n = { .size = sizeof(n) };

		strcpy(n.name, "rootbox2");
		if (setresuid(0, NOBODY, 0))
			_exit(200);
		ctl = ipcmbox_control_open();
		if (ctl < 0 || setresuid(0, 0, 0))
			_exit(201);
		_exit(ioctl(ctl, IPCMBOX_IOC_REMOVE, &n) ? errno : 0);
	}
	EXPECT_EQ(EPERM, ipcmbox_test_child_status(child));
	EXPECT_LE(0, IPCMBOX_STAT("rootbox2", id));
}

TEST_HARNESS_MAIN
