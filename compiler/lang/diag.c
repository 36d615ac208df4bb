// SPDX-License-Identifier: GPL-2.0-only
/* diag.c - error messages with source line and caret. */
#include <stdarg.h>
#include <string.h>

#include "diag.h"

void diag_init(struct diag *d, FILE *err, const char *file_name,
	       const char *source)
{
	memset(d, 0, sizeof(*d));
	d->err = err;
	d->file_name[0] = file_name ? file_name : "<input>";
	d->source[0] = source ? source : "";
	d->nfiles = 1;
}

int diag_add_file(struct diag *d, const char *name, const char *source)
{
	if (d->nfiles >= VTC_MAX_FILES)
		return -1;
	d->file_name[d->nfiles] = name;
	d->source[d->nfiles] = source;
	return d->nfiles++;
}

const char *diag_line(const struct diag *d, int file, unsigned line,
		      size_t *len)
{
	const char *p = d->source[file];

	for (unsigned l = 1; l < line && *p; p++)
		if (*p == '\n')
			l++;
	*len = strcspn(p, "\n");
	return p;
}

/* The source line, then spaces (tabs kept for alignment) and a caret. */
static void show_caret(struct diag *d, struct vtc_loc loc)
{
	size_t len;
	const char *s = diag_line(d, loc.file, loc.line, &len);

	if (len && s[len - 1] == '\r')
		len--;
	fprintf(d->err, "%.*s\n", (int)len, s);
	for (size_t i = 0; i + 1 < loc.col && i < len; i++)
		fputc(s[i] == '\t' ? '\t' : ' ', d->err);
	fputs("^\n", d->err);
}

void diag_error(struct diag *d, struct vtc_loc loc, const char *fmt, ...)
{
	va_list ap;

	if (d->stopped)
		return;
	if (loc.file >= VTC_MAX_FILES)
		loc.file = 0;
	if (d->err) {
		if (loc.line)
			fprintf(d->err, "%s:%u:%u: error: ",
				d->file_name[loc.file], loc.line, loc.col);
		else
			fprintf(d->err, "%s: error: ", d->file_name[loc.file]);
		va_start(ap, fmt);
		vfprintf(d->err, fmt, ap);
		va_end(ap);
		fputc('\n', d->err);
		if (loc.line)
			show_caret(d, loc);
	}
	if (++d->nerrors >= VTC_MAX_ERRORS) {
		d->stopped = true;
		if (d->err)
			fprintf(d->err, "%s: too many errors, stopping\n",
				d->file_name[0]);
	}
}
