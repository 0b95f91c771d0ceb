// SPDX-License-Identifier: GPL-2.0-only
/*
 * Option parsing and mailbox printing shared by the subcommands.
 */
#include <errno.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* A decimal number with an optional K, M or G (powers of 1024) suffix. */
int cli_parse_u64(const char *opt, const char *s, uint64_t max,
		  uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	errno = 0;
	if (!s || *s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno)
		goto bad;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	}
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		goto bad;
	v <<= shift;
	if (v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "ipcmbox: %s: invalid value '%s' (0..%" PRIu64 ")\n",
		opt, s ? s : "", max);
	return -1;
}

int cli_parse_capacity(const char *s, uint32_t *out)
{
	uint64_t v;

	if (s && !strcmp(s, "unbounded")) {
		*out = IPCMBOX_CAP_UNBOUNDED;
		return 0;
	}
	if (cli_parse_u64("--capacity", s, IPCMBOX_CAP_UNBOUNDED - 1, &v))
		return -1;
	*out = v;
	return 0;
}

int cli_parse_mode(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = s && *s ? strtoul(s, &end, 8) : 0;
	if (!s || !*s || *end || errno || v > 0777) {
		fprintf(stderr, "ipcmbox: invalid mode '%s' (octal, at most 0777)\n",
			s ? s : "");
		return -1;
	}
	*out = v;
	return 0;
}

int cli_parse_timeout(const char *s, struct ipcmbox_opts *o)
{
	uint64_t ms;

	if (cli_parse_u64("--timeout", s, INT64_MAX / 1000000, &ms))
		return -1;
	o->flags |= IPCMBOX_IO_TIMEOUT;
	o->clock = IPCMBOX_CLOCK_MONOTONIC;
	o->timeout_ns = (int64_t)ms * 1000000;
	cli_timeout_ms = ms;
	return 0;
}

const char *cli_capacity_str(uint32_t capacity, char *buf, size_t size)
{
	if (capacity == IPCMBOX_CAP_UNBOUNDED)
		snprintf(buf, size, "unbounded");
	else
		snprintf(buf, size, "%u", capacity);
	return buf;
}

const char *cli_owner_str(uint32_t uid, char *buf, size_t size)
{
	struct passwd pwd, *pw = NULL;
	char tmp[1024];

	if (!getpwuid_r(uid, &pwd, tmp, sizeof(tmp), &pw) && pw)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%u", uid);
	return buf;
}

const char *cli_group_str(uint32_t gid, char *buf, size_t size)
{
	struct group grp, *gr = NULL;
	char tmp[4096];

	if (!getgrgid_r(gid, &grp, tmp, sizeof(tmp), &gr) && gr)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%u", gid);
	return buf;
}

const char *cli_time_str(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !localtime_r(&tt, &tm) ||
	    !strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm))
		return "-";
	return buf;
}

/* A user or group name, or a number; -1 if it is neither. */
static int cli_parse_id(const char *s, bool group, unsigned int *id)
{
	char tmp[4096], *end;
	unsigned long v;

	if (group) {
		struct group grp, *gr = NULL;

		if (!getgrnam_r(s, &grp, tmp, sizeof(tmp), &gr) && gr) {
			*id = gr->gr_gid;
			return 0;
		}
	} else {
		struct passwd pwd, *pw = NULL;

		if (!getpwnam_r(s, &pwd, tmp, sizeof(tmp), &pw) && pw) {
			*id = pw->pw_uid;
			return 0;
		}
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (!*s || *end || errno || v >= UINT32_MAX || s[0] == '-') {
		fprintf(stderr, "ipcmbox: no such %s: '%s'\n",
			group ? "group" : "user", s);
		return -1;
	}
	*id = v;
	return 0;
}

int cli_parse_owner(const char *s, uid_t *uid, gid_t *gid)
{
	const char *colon = strchr(s, ':');
	char user[256];
	unsigned int id;

	*uid = (uid_t)-1;
	*gid = (gid_t)-1;
	if (colon && !colon[1] && colon == s) {
		fprintf(stderr, "ipcmbox: owner ':' names nobody\n");
		return -1;
	}
	if (colon != s) {
		size_t len = colon ? (size_t)(colon - s) : strlen(s);

		if (len >= sizeof(user)) {
			fprintf(stderr, "ipcmbox: user name too long\n");
			return -1;
		}
		memcpy(user, s, len);
		user[len] = '\0';
		if (cli_parse_id(user, false, &id))
			return -1;
		*uid = id;
	}
	if (colon && colon[1]) {
		if (cli_parse_id(colon + 1, true, &id))
			return -1;
		*gid = id;
	} else if (colon) {
		/* "USER:": the user's login group, as chown(1). */
		struct passwd pwd, *pw = NULL;
		char tmp[4096];

		if (getpwuid_r(*uid, &pwd, tmp, sizeof(tmp), &pw) || !pw) {
			fprintf(stderr, "ipcmbox: '%s': user %u has no login group\n",
				s, (unsigned int)*uid);
			return -1;
		}
		*gid = pw->pw_gid;
	}
	return 0;
}

/* "pid 1234 at 2026-12-02 18:00:00", or "-" when nobody yet. */
static void cli_print_last(const char *key, uint32_t pid, int64_t t)
{
	char tbuf[32];

	if (!pid && !t)
		printf("%s -\n", key);
	else
		printf("%s pid %u at %s\n", key, pid,
		       cli_time_str(t, tbuf, sizeof(tbuf)));
}

void cli_print_stat(const struct ipcmbox_stat *st)
{
	char cap[16], owner[64], tbuf[32];

	cli_capacity_str(st->capacity, cap, sizeof(cap));
	cli_owner_str(st->uid, owner, sizeof(owner));
	printf("name:         %s\nid:           %u\nowner:        %s (uid %u, gid %u)\n"
	       "mode:         %04o\ncapacity:     %s%s\nmax_msg:      %u\n"
	       "max_bytes:    %" PRIu64 "\ndepth:        %u (high %u)\n"
	       "bytes:        %" PRIu64 " (high %" PRIu64 ")\n"
	       "send_waiting: %u\nrecv_waiting: %u\nsent:         %" PRIu64 "\n"
	       "received:     %" PRIu64 "\nsend_failed:  %" PRIu64 "\n"
	       "recv_failed:  %" PRIu64 "\nnext_len:     %u\n"
	       "region_size:  %" PRIu64 "\nregion_used:  %" PRIu64 "\n",
	       st->name, st->id, owner, st->uid, st->gid, st->mode, cap,
	       st->capacity == 0 ? " (rendezvous)" : "", st->max_msg,
	       (uint64_t)st->max_bytes, st->depth, st->depth_high,
	       (uint64_t)st->bytes, (uint64_t)st->bytes_high,
	       st->send_waiting, st->recv_waiting, (uint64_t)st->sent,
	       (uint64_t)st->received, (uint64_t)st->send_failed,
	       (uint64_t)st->recv_failed, st->next_len,
	       (uint64_t)st->region_size, (uint64_t)st->region_used);
	cli_group_str(st->gid, owner, sizeof(owner));
	printf("group:        %s\n", owner);
	cli_print_last("last_send:   ", st->send_pid, st->send_time);
	cli_print_last("last_recv:   ", st->recv_pid, st->recv_time);
	printf("changed:      %s\n", cli_time_str(st->change_time, tbuf, sizeof(tbuf)));
}
