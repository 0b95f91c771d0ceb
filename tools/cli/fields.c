// SPDX-License-Identifier: GPL-2.0-only
/*
 * A mailbox's attributes and counters as named fields: the columns of
 * "ls" (a table, --raw or --json, --output picks them) and the keys of
 * "stat --json".  JSON numbers are numbers; strings go through json_str().
 */
#include <ctype.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "json.h"

enum field_kind {
	F_NAME,		/* the mailbox's name */
	F_OWNER,	/* the owner's user name, or the uid */
	F_GROUP,	/* the group's name, or the gid */
	F_NUM,		/* a count */
	F_SIZE,		/* bytes: human-readable in tables unless --bytes */
	F_MODE,		/* octal permission bits, a JSON string */
	F_CAP,		/* capacity: "unbounded" (JSON null) or a number */
	F_BOOL,
	F_PID,		/* a pid; "-" (JSON null) when none */
	F_TIME,		/* seconds since the Epoch; "-" (null) when never */
};

struct field {
	const char *json;	/* JSON key; lower case of the column name */
	const char *col;	/* column heading */
	enum field_kind kind;
	size_t off, size;	/* the value in struct ipcmbox_stat */
};

#define NUM(key, col, member, kind) \
	{ key, col, kind, offsetof(struct ipcmbox_stat, member), \
	  sizeof(((struct ipcmbox_stat *)0)->member) }

static const struct field fields[] = {
	{ "name", "NAME", F_NAME, 0, 0 },
	NUM("id", "ID", id, F_NUM),
	{ "owner", "OWNER", F_OWNER, 0, 0 },
	{ "group", "GROUP", F_GROUP, 0, 0 },
	NUM("uid", "UID", uid, F_NUM),
	NUM("gid", "GID", gid, F_NUM),
	NUM("mode", "MODE", mode, F_MODE),
	NUM("capacity", "CAPACITY", capacity, F_CAP),
	NUM("max_msg", "MAX_MSG", max_msg, F_SIZE),
	NUM("max_bytes", "MAX_BYTES", max_bytes, F_SIZE),
	NUM("depth", "DEPTH", depth, F_NUM),
	NUM("depth_high", "DEPTH_HIGH", depth_high, F_NUM),
	NUM("bytes", "BYTES", bytes, F_SIZE),
	NUM("bytes_high", "BYTES_HIGH", bytes_high, F_SIZE),
	NUM("send_waiting", "SEND_W", send_waiting, F_NUM),
	NUM("recv_waiting", "RECV_W", recv_waiting, F_NUM),
	NUM("sent", "SENT", sent, F_NUM),
	NUM("received", "RECEIVED", received, F_NUM),
	NUM("send_failed", "SEND_FAILED", send_failed, F_NUM),
	NUM("recv_failed", "RECV_FAILED", recv_failed, F_NUM),
	NUM("next_len", "NEXT_LEN", next_len, F_NUM),
	NUM("region_size", "REGION", region_size, F_SIZE),
	NUM("region_used", "REGION_USED", region_used, F_SIZE),
	{ "removed", "REMOVED", F_BOOL, 0, 0 },
	NUM("send_pid", "SEND_PID", send_pid, F_PID),
	NUM("recv_pid", "RECV_PID", recv_pid, F_PID),
	NUM("send_time", "SEND_TIME", send_time, F_TIME),
	NUM("recv_time", "RECV_TIME", recv_time, F_TIME),
	NUM("change_time", "CHANGE_TIME", change_time, F_TIME),
};

#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))
#define DEFAULT_COLS "NAME,OWNER,MODE,CAPACITY,DEPTH,BYTES,SEND_W,RECV_W,REGION"

static uint64_t field_u64(const struct field *f, const struct ipcmbox_stat *st)
{
	const char *p = (const char *)st + f->off;
	uint32_t v32;
	uint64_t v64;

	if (f->size == sizeof(v32)) {
		memcpy(&v32, p, sizeof(v32));
		return v32;
	}
	memcpy(&v64, p, sizeof(v64));
	return v64;
}

/* 1536 -> "1.5K", 65536 -> "64K", 100 -> "100" (powers of 1024). */
static void human(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	int u = -1;
	uint64_t whole = v, tenths = 0;

	while (whole >= 1024 && u < 5) {
		tenths = (whole % 1024) * 10 / 1024;
		whole /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, size, "%" PRIu64, v);
	else if (tenths && whole < 10)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", whole, tenths,
			 units[u]);
	else
		snprintf(buf, size, "%" PRIu64 "%c", whole, units[u]);
}

/* The field as table text; @exact prints sizes in bytes. */
static const char *field_text(const struct field *f,
			      const struct ipcmbox_stat *st, bool exact,
			      char *buf, size_t size)
{
	uint64_t v = f->size ? field_u64(f, st) : 0;

	switch (f->kind) {
	case F_NAME:
		return st->name;
	case F_OWNER:
		return cli_owner_str(st->uid, buf, size);
	case F_GROUP:
		return cli_group_str(st->gid, buf, size);
	case F_PID:
		if (!v)
			return "-";
		break;
	case F_TIME:
		return cli_time_str((int64_t)v, buf, size);
	case F_MODE:
		snprintf(buf, size, "%04" PRIo64, v);
		return buf;
	case F_CAP:
		return cli_capacity_str(v, buf, size);
	case F_SIZE:
		if (!exact) {
			human(v, buf, size);
			return buf;
		}
		break;
	case F_BOOL:
		return st->state & IPCMBOX_STATE_REMOVED ? "yes" : "no";
	case F_NUM:
		break;
	}
	snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

static void field_json(FILE *f, const struct field *fd,
		       const struct ipcmbox_stat *st)
{
	char buf[64];

	json_str(f, fd->json);
	fputc(':', f);
	switch (fd->kind) {
	case F_NAME:
	case F_OWNER:
	case F_GROUP:
	case F_MODE:
		json_str(f, field_text(fd, st, true, buf, sizeof(buf)));
		return;
	case F_PID:
	case F_TIME:
		if (!field_u64(fd, st)) {
			fputs("null", f);
			return;
		}
		break;
	case F_CAP:
		if (st->capacity == IPCMBOX_CAP_UNBOUNDED) {
			fputs("null", f);
			return;
		}
		break;
	case F_BOOL:
		fputs(st->state & IPCMBOX_STATE_REMOVED ? "true" : "false", f);
		return;
	default:
		break;
	}
	fprintf(f, "%" PRIu64, field_u64(fd, st));
}

void cli_stat_json(FILE *f, const struct ipcmbox_stat *st,
		   const struct cli_cols *cols)
{
	unsigned int i;

	fputc('{', f);
	for (i = 0; i < (cols ? cols->n : NR_FIELDS); i++) {
		if (i)
			fputc(',', f);
		field_json(f, &fields[cols ? cols->idx[i] : i], st);
	}
	fputc('}', f);
}

static void cli_cols_help(FILE *f)
{
	unsigned int i;

	fputs("columns:", f);
	for (i = 0; i < NR_FIELDS; i++)
		fprintf(f, " %s", fields[i].col);
	fputs("\ndefault: " DEFAULT_COLS "\n", f);
}

int cli_cols_parse(const char *spec, struct cli_cols *cols)
{
	char *list, *tok, *save = NULL;
	unsigned int i;
	int ret = 0;

	cols->n = 0;
	if (!spec)
		spec = DEFAULT_COLS;
	else if (spec[0] == '+' && !cli_cols_parse(NULL, cols))
		spec++;
	list = strdup(spec);
	if (!list)
		return -1;
	for (tok = strtok_r(list, ",", &save); tok && !ret;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_FIELDS; i++)
			if (!strcasecmp(tok, fields[i].col) ||
			    !strcasecmp(tok, fields[i].json))
				break;
		if (i == NR_FIELDS) {
			fprintf(stderr, "ipcmbox: --output: unknown column '%s'\n",
				tok);
			cli_cols_help(stderr);
			ret = -1;
		} else if (cols->n == NR_FIELDS) {
			fprintf(stderr, "ipcmbox: --output: too many columns\n");
			ret = -1;
		} else {
			cols->idx[cols->n++] = i;
		}
	}
	free(list);
	if (!ret && !cols->n) {
		fprintf(stderr, "ipcmbox: --output: no columns\n");
		ret = -1;
	}
	return ret;
}

/* --raw: spaces, backslashes and control characters as \xHH, as lsblk. */
static void raw_cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c == '\\' || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

/* Every cell's text, rendered once (owner and group names are lookups). */
typedef char cli_cell[IPCMBOX_NAME_MAX + 1];

static cli_cell *render_cells(const struct ipcmbox_stat *rows, size_t nrows,
			      const struct cli_cols *cols, bool exact)
{
	cli_cell *cells = calloc(nrows ? nrows * cols->n : 1, sizeof(*cells));
	char buf[sizeof(cli_cell)];
	unsigned int c;
	size_t r;

	for (r = 0; cells && r < nrows; r++)
		for (c = 0; c < cols->n; c++)
			snprintf(cells[r * cols->n + c], sizeof(cli_cell), "%s",
				 field_text(&fields[cols->idx[c]], &rows[r],
					    exact, buf, sizeof(buf)));
	return cells;
}

int cli_table_print(FILE *f, const struct ipcmbox_stat *rows, size_t nrows,
		    const struct cli_cols *cols, unsigned int flags)
{
	cli_cell *cells;
	size_t *width, r;
	unsigned int c;

	if (flags & CLI_TABLE_JSON) {
		fputc('[', f);
		for (r = 0; r < nrows; r++) {
			if (r)
				fputc(',', f);
			cli_stat_json(f, &rows[r], cols);
		}
		fputs("]\n", f);
		return 0;
	}
	width = calloc(cols->n, sizeof(*width));
	cells = render_cells(rows, nrows, cols, flags & CLI_TABLE_BYTES);
	if (!width || !cells) {
		free(width);
		free(cells);
		return -1;
	}
	for (c = 0; c < cols->n; c++) {
		if (!(flags & CLI_TABLE_NOHEADINGS))
			width[c] = strlen(fields[cols->idx[c]].col);
		for (r = 0; r < nrows; r++) {
			size_t w = strlen(cells[r * cols->n + c]);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (r = 0; r <= nrows; r++) {
		if (!r && (flags & CLI_TABLE_NOHEADINGS))
			continue;
		for (c = 0; c < cols->n; c++) {
			const struct field *fd = &fields[cols->idx[c]];
			bool right = fd->kind == F_NUM || fd->kind == F_SIZE ||
				     fd->kind == F_PID;
			bool last = c + 1 == cols->n;
			const char *s = r ? cells[(r - 1) * cols->n + c] :
					    fd->col;

			if (c)
				fputc(' ', f);
			if (flags & CLI_TABLE_RAW)
				raw_cell(f, s);
			else if (right)
				fprintf(f, "%*s", (int)width[c], s);
			else
				fprintf(f, "%-*s", last ? 0 : (int)width[c], s);
		}
		fputc('\n', f);
	}
	free(cells);
	free(width);
	return 0;
}
