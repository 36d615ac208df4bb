/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * suggest.h - "did you mean": the distance between a name the user wrote
 * and the names that exist, shared by every diagnostic that suggests one.
 */
#ifndef VTC_SUGGEST_H
#define VTC_SUGGEST_H

/*
 * Levenshtein distance between @a and @b (insert, delete, substitute).
 * Bounded work: names of 63 bytes or more are "far" (99).
 */
unsigned edit_distance(const char *a, const char *b);

#endif /* VTC_SUGGEST_H */
