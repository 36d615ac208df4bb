/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * print.h - the script as text: the pass 1 and pass 2 listings, string
 * literals and probe points as written.
 */
#ifndef VTC_PRINT_H
#define VTC_PRINT_H

#include <stdio.h>

#include "ast.h"

/*
 * Print the script as canonical source (pass 1 listing).  With @resolved,
 * also print types, locals and resolved probe points (pass 2 listing).
 */
void print_script(FILE *out, const struct script *s, bool resolved);

/* A string literal that lexes back to @s. */
void print_string_literal(FILE *out, const char *s);

/* The probe point as written ("timer.ms(200)"), in @a. */
const char *point_text(struct arena *a, const struct probe_point *pt);

/* Expression @n as the -p1 listing writes it ("$f->f_path"), in @a. */
const char *expr_text(struct arena *a, const struct node *n);

#endif /* VTC_PRINT_H */
