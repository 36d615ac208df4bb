/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tpformat.h - tracepoints as tracefs describes them: the list of events
 * (events/SUBSYS/EVENT/) and an event's format file (its ID and the
 * fields of its record: offset, size, signedness, strings).
 */
#ifndef VTC_TPFORMAT_H
#define VTC_TPFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lang/ast.h"

enum tp_kind {
	TPF_NUM,	/* integer or pointer of 1, 2, 4 or 8 bytes */
	TPF_CHARS,	/* char name[N]: a string of at most N bytes */
	TPF_DATALOC,	/* __data_loc char[] name: u32 offset | len << 16 */
	TPF_OTHER,	/* arrays of non-chars, odd sizes: not readable */
};

struct tp_field {
	const char *name;
	const char *decl;	/* the C declaration, for -L */
	enum tp_kind kind;
	uint32_t off, size;
	bool is_signed;
};

struct tp_format {
	uint32_t id;
	uint32_t nfields;
	struct tp_field *fields;	/* in record order, common_ first */
};

/*
 * Read @path (a format file) into @out, strings in @a.  Returns 0, or -1
 * with a reason in @err.
 */
int tp_format_read(struct arena *a, const char *path, struct tp_format *out,
		   char *err, size_t errsize);

const struct tp_field *tp_format_field(const struct tp_format *f,
				       const char *name);

/*
 * Every event under @root/events as "subsys:event", sorted, as a
 * NULL-terminated malloc'd array of malloc'd strings (tp_list_free), or
 * NULL if the directory cannot be read.
 */
char **tp_list_events(const char *root);
void tp_list_free(char **list);

#endif /* VTC_TPFORMAT_H */
