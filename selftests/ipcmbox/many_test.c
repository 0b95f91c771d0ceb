// SPDX-License-Identifier: GPL-2.0-only
/*
 * Many mailboxes: 4096 named mailboxes created, each used (a message in,
 * the same message out), listed, and removed; and the max_mailboxes
 * limit (ENOSPC).
 */
#include "kselftest_harness.h"
#include "ipcmbox_test.h"

#define MANY	4096

static void name_of(char *buf, size_t size, int i)
{
	snprintf(buf, size, "many.%04d", i);
}

FIXTURE(many) {
	int unused;
};

FIXTURE_SETUP(many)
{
}

FIXTURE_TEARDOWN(many)
{
}

TEST_F_TIMEOUT(many, four_thousand_ninety_six_mailboxes, 600)
{
	struct ipcmbox_attr a = { .set = IPCMBOX_SET_CAPACITY, .capacity = 1 };
	struct ipcmbox_stat st = { 0 };
	struct ipcmbox_info info;
	char name[32], buf[32];
	int i, fd, ctl, listed = 0, bad = 0;

	ASSERT_EQ(0, getuid());
	ASSERT_EQ(0, ipcmbox_test_reload(""));
	for (i = 0; i < MANY; i++) {
		name_of(name, sizeof(name), i);
		ASSERT_EQ(0, ipcmbox_create(name, &a))
			TH_LOG("mailbox %d: %s", i, strerror(errno));
	}
	ctl = ipcmbox_control_open();
	ASSERT_LE(0, ctl);
	ASSERT_EQ(0, ipcmbox_get_info(ctl, &info));
	EXPECT_EQ(MANY, info.nr_mailboxes);

	/* Each holds its own name; nothing crosses between mailboxes. */
	for (i = 0; i < MANY; i++) {
		name_of(name, sizeof(name), i);
		fd = ipcmbox_open(name, O_WRONLY);
		ASSERT_LE(0, fd);
		ASSERT_EQ((ssize_t)strlen(name), write(fd, name, strlen(name)));
		close(fd);
	}
	while (!ipcmbox_list_next(ctl, &st)) {
		listed++;
		bad += st.depth != 1 || strncmp(st.name, "many.", 5);
	}
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(MANY, listed);
	EXPECT_EQ(0, bad);
	for (i = 0; i < MANY; i++) {
		name_of(name, sizeof(name), i);
		fd = ipcmbox_open(name, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, fd);
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ((ssize_t)strlen(name), read(fd, buf, sizeof(buf)));
		EXPECT_STREQ(name, buf);
		close(fd);
		ASSERT_EQ(0, ipcmbox_remove(name));
	}
	ASSERT_EQ(0, ipcmbox_get_info(ctl, &info));
	EXPECT_EQ(0, info.nr_mailboxes);
	EXPECT_EQ(-1, access(IPCMBOX_DEV_DIR "/many.0000", F_OK));
	close(ctl);
}

TEST(max_mailboxes_limit_is_enospc)
{
	ASSERT_EQ(0, getuid());
	ASSERT_EQ(0, ipcmbox_test_reload("max_mailboxes=3 mailboxes=p1"));
	EXPECT_EQ(0, ipcmbox_create("c1", NULL));
	EXPECT_EQ(0, ipcmbox_create("c2", NULL));
	EXPECT_EQ(-1, ipcmbox_create("c3", NULL));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0, ipcmbox_remove("c2"));
	EXPECT_EQ(0, ipcmbox_create("c3", NULL));
	ASSERT_EQ(0, ipcmbox_test_reload(""));
}

TEST_HARNESS_MAIN
