// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipcmbox-bench --semantics output: the lecture's comparison table with
 * measured cells, then every measured fact per mechanism.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sem_report.h"
#include "json.h"

static const char *const col_names[SEM_NR_COLS] = {
	[SEM_COL_BOUNDARIES] = "message boundaries",
	[SEM_COL_CAPACITY] = "capacity (filled until a send fails)",
	[SEM_COL_FULL_NB] = "full, non-blocking sender gets",
	[SEM_COL_FULL_BLOCK] = "full, blocking sender",
	[SEM_COL_WRITER_GONE] = "reader, after the writer exited",
	[SEM_COL_READER_GONE] = "writer, after the reader exited",
	[SEM_COL_PERSIST] = "after every process exited",
	[SEM_COL_UNRELATED] = "unrelated process (exec'd, no fds)",
	[SEM_COL_POLL] = "poll(2) on the receiving end",
	[SEM_COL_SENDER] = "receiver told the sender's pid",
	[SEM_COL_DIRECTION] = "direction on one object",
};

static const char *const col_keys[SEM_NR_COLS] = {
	"boundaries", "capacity", "full_nonblocking", "full_blocking",
	"writer_gone", "reader_gone", "persistence", "unrelated", "poll",
	"sender_pid", "direction",
};

const char *sem_errno_name(int err)
{
	static const struct { int e; const char *n; } t[] = {
		{ EAGAIN, "EAGAIN" }, { EPIPE, "EPIPE" }, { EBADF, "EBADF" },
		{ ENOENT, "ENOENT" }, { ENXIO, "ENXIO" }, { ESRCH, "ESRCH" },
		{ EMSGSIZE, "EMSGSIZE" }, { ENOBUFS, "ENOBUFS" },
		{ ENOSPC, "ENOSPC" }, { ECONNREFUSED, "ECONNREFUSED" },
		{ ECONNRESET, "ECONNRESET" }, { ENOTCONN, "ENOTCONN" },
		{ EDESTADDRREQ, "EDESTADDRREQ" }, { EINVAL, "EINVAL" },
		{ EIDRM, "EIDRM" }, { ENOMSG, "ENOMSG" }, { EBUSY, "EBUSY" },
		{ EADDRINUSE, "EADDRINUSE" }, { EACCES, "EACCES" },
		{ EPERM, "EPERM" }, { ENOTSUP, "ENOTSUP" }, { EINTR, "EINTR" },
		{ ETIMEDOUT, "ETIMEDOUT" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ENOSYS, "ENOSYS" }, { ENOMEM, "ENOMEM" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == err)
			return t[i].n;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

/* The lecture table's words for the measured cells. */
static void related(const struct sem_row *r, char *buf, size_t len)
{
	if (strncmp(r->cell[SEM_COL_UNRELATED], "yes", 3))
		snprintf(buf, len, "inherited only");
	else
		snprintf(buf, len, "any, by %s", r->m->naming);
}

static const char *persistence(const struct sem_row *r)
{
	const char *c = r->cell[SEM_COL_PERSIST];

	if (!strncmp(c, "message kept", 12))
		return "until removed";
	if (!strncmp(c, "name kept, message lost", 23))
		return "name only, data lost";
	if (!strncmp(c, "name kept", 9))
		return "name kept";
	if (!strncmp(c, "gone", 4))
		return "process lifetime";
	return c;
}

static void direction(const struct sem_row *r, char *buf, size_t len)
{
	const char *c = r->cell[SEM_COL_DIRECTION];

	snprintf(buf, len, "%.*s", (int)strcspn(c, ":"), c);
}

static void lecture_table(FILE *f, const struct sem_row *rows, unsigned int n)
{
	unsigned int i;

	fprintf(f, "The lecture's comparison table, measured (use case: as the notes say)\n\n");
	fprintf(f, "%-17s %-14s %-9s %-27s %-20s %s\n", "mechanism", "lecture row",
		"direction", "related processes", "persistence", "use case");
	for (i = 0; i < n; i++) {
		const struct sem_row *r = &rows[i];
		char dir[SEM_CELL], rel[SEM_CELL];

		direction(r, dir, sizeof(dir));
		related(r, rel, sizeof(rel));
		fprintf(f, "%-17s %-14s %-9s %-27s %-20s %s\n", r->m->name,
			r->m->row, dir, rel, persistence(r), r->m->use);
	}
}

static void full_table(FILE *f, const struct sem_row *rows, unsigned int n)
{
	unsigned int i, c;

	fprintf(f, "\nEvery measured fact\n");
	for (i = 0; i < n; i++) {
		fprintf(f, "\n%s (%s)\n", rows[i].m->name, rows[i].m->row);
		for (c = 0; c < SEM_NR_COLS; c++)
			fprintf(f, "  %-37s %s\n", col_names[c],
				rows[i].cell[c][0] ? rows[i].cell[c] : "-");
	}
}

static void print(FILE *f, const struct sem_row *rows, unsigned int n)
{
	lecture_table(f, rows, n);
	full_table(f, rows, n);
}

static void csv_field(FILE *f, const char *s, int last)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\n" : "\",", f);
}

static int write_files(const struct sem_row *rows, unsigned int n,
		       const char *out)
{
	char path[4096];
	unsigned int i, c;
	FILE *f;

	snprintf(path, sizeof(path), "%s/semantics.txt", out);
	f = fopen(path, "w");
	if (!f)
		return -1;
	print(f, rows, n);
	if (fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/semantics.csv", out);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("mechanism,row,", f);
	for (c = 0; c < SEM_NR_COLS; c++)
		fprintf(f, "%s%s", col_keys[c], c + 1 < SEM_NR_COLS ? "," : "\n");
	for (i = 0; i < n; i++) {
		csv_field(f, rows[i].m->name, 0);
		csv_field(f, rows[i].m->row, 0);
		for (c = 0; c < SEM_NR_COLS; c++)
			csv_field(f, rows[i].cell[c], c + 1 == SEM_NR_COLS);
	}
	if (fclose(f))
		return -1;
	snprintf(path, sizeof(path), "%s/semantics.json", out);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("[\n", f);
	for (i = 0; i < n; i++) {
		fputs("  {\"mechanism\": ", f);
		json_str(f, rows[i].m->name);
		fputs(", \"row\": ", f);
		json_str(f, rows[i].m->row);
		for (c = 0; c < SEM_NR_COLS; c++) {
			fprintf(f, ", \"%s\": ", col_keys[c]);
			json_str(f, rows[i].cell[c]);
		}
		fprintf(f, "}%s\n", i + 1 < n ? "," : "");
	}
	fputs("]\n", f);
	return fclose(f) ? -1 : 0;
}

int sem_report(const struct sem_row *rows, unsigned int n, const char *out)
{
	print(stdout, rows, n);
	if (out && write_files(rows, n, out)) {
		fprintf(stderr, "ipcmbox-bench: writing to %s: %s\n", out,
			strerror(errno));
		return 1;
	}
	return 0;
}
