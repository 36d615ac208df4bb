/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * diag.h - diagnostics: "FILE:LINE:COL: error: MESSAGE", then the source
 * line and a caret under the column.  Counts errors and stops accepting
 * them after VTC_MAX_ERRORS (then ->stopped is set and passes wind down).
 */
#ifndef VTC_DIAG_H
#define VTC_DIAG_H

#include <stdio.h>
#include <stdbool.h>

#include "ast.h"

#define VTC_MAX_ERRORS 20
#define VTC_MAX_FILES 64	/* the script, then tapset files */

struct diag {
	FILE *err;
	const char *file_name[VTC_MAX_FILES];
	const char *source[VTC_MAX_FILES];
	int nfiles;		/* file_name/source entries in use */
	int nerrors;
	bool stopped;
};

void diag_init(struct diag *d, FILE *err, const char *file_name,
	       const char *source);
void diag_error(struct diag *d, struct vtc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Add a file (a tapset): its index, or -1 when the table is full.
 * @name and @source must live as long as @d. */
int diag_add_file(struct diag *d, const char *name, const char *source);
/* The text of source line @line of @file, and its length (no newline). */
const char *diag_line(const struct diag *d, int file, unsigned line,
		      size_t *len);

#endif /* VTC_DIAG_H */
