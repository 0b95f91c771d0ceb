// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module life cycle: loading creates /dev/ipcmbox/control, unloading is
 * refused while a file is open, a clean unload removes every trace, and
 * bad module parameters fail the load.
 *
 * Tests here unload and reload the module; each leaves it loaded with its
 * default parameters, as the suite found it.
 */
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

FIXTURE(lifecycle) {
	int unused;
};

FIXTURE_SETUP(lifecycle)
{
	if (getuid() != 0)
		SKIP(return, "needs root to load and unload modules");
	if (access(ipcmbox_test_ko(), R_OK))
		SKIP(return, "module file %s not found (set IPCMBOX_KO)",
		     ipcmbox_test_ko());
	if (!ipcmbox_test_loaded())
		ASSERT_EQ(0, ipcmbox_test_load(""));
}

FIXTURE_TEARDOWN(lifecycle)
{
	if (!ipcmbox_test_loaded())
		EXPECT_EQ(0, ipcmbox_test_load(""));
}

TEST_F(lifecycle, unload_refused_while_control_open)
{
	struct ipcmbox_info info = { .size = sizeof(info) };
	int fd = open(IPCMBOX_CONTROL_PATH, O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_LT(0, ipcmbox_test_read_ull(IPCMBOX_SYSFS_MODULE "/refcnt"));
	/* The kernel's "in use" answer to delete_module(O_NONBLOCK). */
	EXPECT_EQ(EWOULDBLOCK, ipcmbox_test_unload());
	EXPECT_TRUE(ipcmbox_test_loaded());
	EXPECT_EQ(0, ioctl(fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(IPCMBOX_ABI_VERSION, info.abi_version);
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(0, ipcmbox_test_read_ull(IPCMBOX_SYSFS_MODULE "/refcnt"));
}

/* An fd inherited by another process pins the module just the same. */
TEST_F(lifecycle, unload_refused_while_child_holds_fd)
{
	int fd = open(IPCMBOX_CONTROL_PATH, O_RDWR);
	int ready[2], done[2], status;
	char c = 0;
	pid_t pid;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(ready[0]);
		close(done[1]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		/* Hold the inherited fd until the parent says so. */
		_exit(read(done[0], &c, 1) == 1 ? 0 : 2);
	}
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(EWOULDBLOCK, ipcmbox_test_unload());
	EXPECT_TRUE(ipcmbox_test_loaded());
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, ipcmbox_test_unload());
}

TEST_F(lifecycle, clean_unload_removes_nodes_and_reload_restores_them)
{
	struct stat st;

	ASSERT_EQ(0, access(IPCMBOX_CONTROL_PATH, F_OK));
	ASSERT_EQ(0, ipcmbox_test_unload());
	EXPECT_FALSE(ipcmbox_test_loaded());
	EXPECT_EQ(-1, stat(IPCMBOX_CONTROL_PATH, &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, access("/sys/class/ipcmbox", F_OK));
	/* A second unload finds nothing. */
	EXPECT_EQ(ENOENT, ipcmbox_test_unload());

	ASSERT_EQ(0, ipcmbox_test_load(""));
	ASSERT_EQ(0, stat(IPCMBOX_CONTROL_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
	/* Loading twice is refused by the kernel. */
	EXPECT_EQ(EEXIST, ipcmbox_test_load(""));
}

TEST_F(lifecycle, repeated_load_unload_cycles)
{
	int i, fd;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, ipcmbox_test_unload()) TH_LOG("cycle %d", i);
		ASSERT_EQ(0, ipcmbox_test_load("")) TH_LOG("cycle %d", i);
		fd = open(IPCMBOX_CONTROL_PATH, O_RDWR);
		ASSERT_LE(0, fd) TH_LOG("cycle %d", i);
		close(fd);
	}
}

TEST_F(lifecycle, bad_parameters_fail_the_load)
{
	struct ipcmbox_info info = { .size = sizeof(info) };
	int fd;

	ASSERT_EQ(0, ipcmbox_test_unload());
	EXPECT_EQ(EINVAL, ipcmbox_test_load("max_mailboxes=0"));
	EXPECT_EQ(EINVAL, ipcmbox_test_load("max_mailboxes=65536"));
	EXPECT_FALSE(ipcmbox_test_loaded());
	EXPECT_EQ(-1, access(IPCMBOX_CONTROL_PATH, F_OK));

	ASSERT_EQ(0, ipcmbox_test_load("max_mailboxes=4096"));
	fd = open(IPCMBOX_CONTROL_PATH, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, ioctl(fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(4096, info.max_mailboxes);
	close(fd);
	ASSERT_EQ(0, ipcmbox_test_unload());
	ASSERT_EQ(0, ipcmbox_test_load(""));
}

/* Contract: names are 1-63 of [A-Za-z0-9._-], not starting with '.';
 * "control" is reserved; a bad name is EINVAL, a duplicate EEXIST.
 */
TEST_F(lifecycle, mailbox_names_are_validated)
{
	static const char *bad[] = {
		"mailboxes=.hidden", "mailboxes=a/b", "mailboxes=\"sp ace\"",
		"mailboxes=plus+sign",
		"mailboxes=control", "mailboxes=ok,", "mailboxes=x:-1",
		"mailboxes=x:4294967295", "mailboxes=x:lots",
		"mailboxes=" /* 64 characters */
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	char path[128];
	size_t i;

	ASSERT_EQ(0, ipcmbox_test_unload());
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(EINVAL, ipcmbox_test_load(bad[i])) TH_LOG("%s", bad[i]);
		EXPECT_FALSE(ipcmbox_test_loaded()) TH_LOG("%s", bad[i]);
	}
	EXPECT_EQ(EEXIST, ipcmbox_test_load("mailboxes=twin,twin"));
	EXPECT_FALSE(ipcmbox_test_loaded());

	/* 63 characters and every allowed character class load. */
	ASSERT_EQ(0, ipcmbox_test_load("mailboxes=Az09._-,"
		"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
	EXPECT_EQ(0, access(IPCMBOX_DEV_DIR "/Az09._-", F_OK));
	snprintf(path, sizeof(path), "%s/%.63s", IPCMBOX_DEV_DIR,
		 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	EXPECT_EQ(0, access(path, F_OK));
	ASSERT_EQ(0, ipcmbox_test_unload());
	/* The nodes go with the module. */
	EXPECT_EQ(-1, access(path, F_OK));
	ASSERT_EQ(0, ipcmbox_test_load(""));
}

TEST_HARNESS_MAIN
