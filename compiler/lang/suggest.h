/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * suggest.h - "did you mean": the one policy of every message that
 * suggests a name (unknown symbols and functions, probe aliases, kernel
 * functions, tracepoints and their fields, syscalls, parameters, user
 * functions).
 *
 * The name written is compared without wildcard characters (* ? [ ]),
 * by edit distance (insert, delete, substitute).  A name is close when
 * its distance is at most 1 for a name written with up to 3 characters,
 * 2 up to 8, 3 beyond; the suggestion is the closest names: every name
 * at the smallest distance, in the order offered, each once, at most
 * SUGGEST_MAX.
 */
#ifndef VTC_SUGGEST_H
#define VTC_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX 3

struct suggest {
	char key[64];		/* the name written, without wildcards */
	unsigned limit;		/* farthest distance suggested */
	unsigned dist;		/* of best[]; above limit while n is 0 */
	const char *best[SUGGEST_MAX];
	int n;
};

void suggest_init(struct suggest *sg, const char *want);
/* Offer @name (it must outlive @sg's use). */
void suggest_consider(struct suggest *sg, const char *name);
/* "; did you mean 'a'?", "...'a' or 'b'?", "...'a', 'b' or 'c'?", or "". */
void suggest_hint(const struct suggest *sg, char *buf, size_t size);

/* All at once over @names (NULL-terminated; NULL: none). */
void suggest_names(char *buf, size_t size, const char *want,
		   const char *const *names);

#endif /* VTC_SUGGEST_H */
