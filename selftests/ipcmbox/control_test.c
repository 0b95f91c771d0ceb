// SPDX-License-Identifier: GPL-2.0-only
/*
 * The control node /dev/ipcmbox/control: the node itself and the
 * IPCMBOX_IOC_INFO ABI (size versioning, reserved fields, bad pointers).
 */
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "ipcmbox_test.h"

FIXTURE(control) {
	int fd;
};

FIXTURE_SETUP(control)
{
	self->fd = open(IPCMBOX_CONTROL_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", IPCMBOX_CONTROL_PATH,
				       strerror(errno));
}

FIXTURE_TEARDOWN(control)
{
	close(self->fd);
}

TEST(node_is_world_rw_char_device_owned_by_root)
{
	struct stat st;

	ASSERT_EQ(0, stat(IPCMBOX_CONTROL_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0666, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(0, st.st_gid);
	EXPECT_EQ(0, minor(st.st_rdev));
}

TEST_F(control, info_reports_module)
{
	struct ipcmbox_info info = { .size = sizeof(info) };
	long long max;

	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(IPCMBOX_INFO_SIZE_VER0, info.size);
	EXPECT_EQ(IPCMBOX_ABI_VERSION, info.abi_version);
	EXPECT_EQ(IPCMBOX_NAME_MAX, info.name_max);
	EXPECT_EQ(0, info.reserved0);
	EXPECT_EQ(0, info.reserved[0] | info.reserved[1] |
		     info.reserved[2] | info.reserved[3]);
	max = ipcmbox_test_read_ull(IPCMBOX_SYSFS_MODULE
				    "/parameters/max_mailboxes");
	ASSERT_LT(0, max);
	EXPECT_EQ(max, info.max_mailboxes);
	EXPECT_GE(info.max_mailboxes, 4096);
}

TEST_F(control, info_rejects_short_sizes)
{
	struct ipcmbox_info info;
	__u32 sizes[] = { 0, 4, IPCMBOX_INFO_SIZE_VER0 - 1 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&info, 0, sizeof(info));
		info.size = sizes[i];
		EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, &info));
		EXPECT_EQ(EINVAL, errno) TH_LOG("size %u", sizes[i]);
		EXPECT_EQ(0, info.abi_version);
	}
}

/* A newer caller's larger struct: accepted when the unknown tail is zero. */
TEST_F(control, info_accepts_larger_struct_with_zero_tail)
{
	union {
		struct ipcmbox_info info;
		unsigned char bytes[256];
	} u;
	size_t i;

	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	ASSERT_EQ(0, ioctl(self->fd, IPCMBOX_IOC_INFO, &u));
	EXPECT_EQ(IPCMBOX_INFO_SIZE_VER0, u.info.size);
	EXPECT_EQ(IPCMBOX_ABI_VERSION, u.info.abi_version);
	for (i = sizeof(u.info); i < sizeof(u); i++)
		ASSERT_EQ(0, u.bytes[i]) TH_LOG("byte %zu written", i);
}

TEST_F(control, info_rejects_unknown_nonzero_tail)
{
	union {
		struct ipcmbox_info info;
		unsigned char bytes[256];
	} u;

	memset(&u, 0, sizeof(u));
	u.info.size = sizeof(u);
	u.bytes[200] = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, &u));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(0, u.info.abi_version);
}

TEST_F(control, info_rejects_nonzero_output_and_reserved_fields)
{
	struct ipcmbox_info info;

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.abi_version = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved0 = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);

	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	info.reserved[3] = 1ULL << 63;
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, &info));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(control, info_rejects_bad_pointers)
{
	void *page;

	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, NULL));
	EXPECT_EQ(EFAULT, errno);

	page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, page));
	EXPECT_EQ(EFAULT, errno);
	munmap(page, 4096);

	/* A struct that runs off the end of readable memory. */
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, mprotect((char *)page + 4096, 4096, PROT_NONE));
	{
		struct ipcmbox_info *info = (void *)((char *)page + 4096 - 8);

		info->size = sizeof(*info);
		EXPECT_EQ(-1, ioctl(self->fd, IPCMBOX_IOC_INFO, info));
		EXPECT_EQ(EFAULT, errno);
	}
	munmap(page, 8192);
}

TEST_F(control, unknown_ioctls_are_enotty)
{
	struct ipcmbox_info info = { .size = sizeof(info) };

	EXPECT_EQ(-1, ioctl(self->fd, _IO(IPCMBOX_IOC_MAGIC, 0x0f)));
	EXPECT_EQ(ENOTTY, errno);
	/* Right number, wrong direction or size encoding. */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(IPCMBOX_IOC_MAGIC, 0x00,
					   struct ipcmbox_info), &info));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR('T', 0x00, struct ipcmbox_info),
			    &info));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(control, no_read_write_or_seek)
{
	char buf[8] = { 0 };

	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
}

/* Mode 0666: any user may open the control node and query it. */
TEST(unprivileged_user_may_query)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct ipcmbox_info info = { .size = sizeof(info) };
		int fd;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		fd = open(IPCMBOX_CONTROL_PATH, O_RDWR);
		if (fd < 0)
			_exit(11);
		if (ioctl(fd, IPCMBOX_IOC_INFO, &info))
			_exit(12);
		_exit(info.abi_version == IPCMBOX_ABI_VERSION ? 0 : 13);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
