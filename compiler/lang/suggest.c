// SPDX-License-Identifier: GPL-2.0-only
/* suggest.c - "did you mean"; see suggest.h. */
#include <stdio.h>
#include <string.h>

#include "suggest.h"

/*
 * Levenshtein distance between @a and @b.  Bounded work: names of 63
 * bytes or more are "far" (99).
 */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[64];

	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned diag = row[0];

		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned up = row[j];
			unsigned best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

void suggest_init(struct suggest *sg, const char *want)
{
	size_t k = 0;

	for (const char *w = want; *w && k + 1 < sizeof(sg->key); w++)
		if (!strchr("*?[]", *w))
			sg->key[k++] = *w;
	sg->key[k] = 0;
	sg->limit = k <= 3 ? 1 : k <= 8 ? 2 : 3;
	sg->dist = sg->limit + 1;
	sg->n = 0;
}

void suggest_consider(struct suggest *sg, const char *name)
{
	unsigned d = edit_distance(sg->key, name);

	if (d > sg->dist)
		return;
	if (d < sg->dist) {
		sg->dist = d;
		sg->n = 0;
	}
	for (int i = 0; i < sg->n; i++)
		if (!strcmp(sg->best[i], name))
			return;
	if (sg->n < SUGGEST_MAX && d <= sg->limit)
		sg->best[sg->n++] = name;
}

void suggest_hint(const struct suggest *sg, char *buf, size_t size)
{
	if (!sg->n)
		snprintf(buf, size, "%s", "");
	else if (sg->n == 1)
		snprintf(buf, size, "; did you mean '%s'?", sg->best[0]);
	else if (sg->n == 2)
		snprintf(buf, size, "; did you mean '%s' or '%s'?",
			 sg->best[0], sg->best[1]);
	else
		snprintf(buf, size, "; did you mean '%s', '%s' or '%s'?",
			 sg->best[0], sg->best[1], sg->best[2]);
}

void suggest_names(char *buf, size_t size, const char *want,
		   const char *const *names)
{
	struct suggest sg;

	suggest_init(&sg, want);
	for (; names && *names; names++)
		suggest_consider(&sg, *names);
	suggest_hint(&sg, buf, size);
}
