/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The semantics table: one row of measured cells per mechanism, printed
 * as the lecture table, then in full; CSV and JSON with -o.
 */
#ifndef IPCMBOX_BENCH_SEM_REPORT_H
#define IPCMBOX_BENCH_SEM_REPORT_H

#include "sem.h"

#define SEM_CELL	96

enum sem_col {
	SEM_COL_BOUNDARIES,
	SEM_COL_CAPACITY,
	SEM_COL_FULL_NB,
	SEM_COL_FULL_BLOCK,
	SEM_COL_WRITER_GONE,
	SEM_COL_READER_GONE,
	SEM_COL_PERSIST,
	SEM_COL_UNRELATED,
	SEM_COL_POLL,
	SEM_COL_SENDER,
	SEM_COL_DIRECTION,
	SEM_NR_COLS
};

struct sem_row {
	const struct sem_mech *m;
	char cell[SEM_NR_COLS][SEM_CELL];
};

/* "EAGAIN" for EAGAIN; the number for an errno without a name here. */
const char *sem_errno_name(int err);

/* Prints @rows; with @out, writes semantics.{txt,csv,json} there. */
int sem_report(const struct sem_row *rows, unsigned int n, const char *out);

#endif /* IPCMBOX_BENCH_SEM_REPORT_H */
