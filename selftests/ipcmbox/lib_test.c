// SPDX-License-Identifier: GPL-2.0-only
/*
 * libipcmbox control-node calls.
 */
#include "kselftest_harness.h"
#include "ipcmbox_test.h"

TEST(lib_version_matches_tree)
{
	EXPECT_STREQ(IPCMBOX_VERSION, ipcmbox_lib_version());
}

TEST(control_open_is_cloexec_and_rw)
{
	int fd = ipcmbox_control_open();

	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_RDWR, fcntl(fd, F_GETFL) & O_ACCMODE);
	close(fd);
}

TEST(get_info_fills_struct)
{
	struct ipcmbox_info info;
	int fd = ipcmbox_control_open();

	ASSERT_LE(0, fd);
	memset(&info, 0xff, sizeof(info));
	ASSERT_EQ(0, ipcmbox_get_info(fd, &info));
	EXPECT_EQ(sizeof(info), info.size);
	EXPECT_EQ(IPCMBOX_ABI_VERSION, info.abi_version);
	EXPECT_EQ(IPCMBOX_NAME_MAX, info.name_max);
	close(fd);
}

TEST(get_info_errors)
{
	struct ipcmbox_info info;
	int fd = ipcmbox_control_open();

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ipcmbox_get_info(fd, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ipcmbox_get_info(-1, &info));
	EXPECT_EQ(EBADF, errno);
	/* Not an ipcmbox descriptor. */
	EXPECT_EQ(-1, ipcmbox_get_info(STDIN_FILENO == fd ? 1 : 0, &info));
	EXPECT_TRUE(errno == ENOTTY || errno == EBADF);
	close(fd);
}

TEST_HARNESS_MAIN
