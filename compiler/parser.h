/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parser.h - pass 1: tokens to a struct script.  Recursive descent with
 * precedence climbing for binary operators; recovers from an error at the
 * next statement or declaration so several errors are reported in one run.
 */
#ifndef VTC_PARSER_H
#define VTC_PARSER_H

#include <stdio.h>

#include "ast.h"
#include "diag.h"

/*
 * Parse @src (file index 0 of @d), preprocessed (preproc.h).  Always returns a script (free it with
 * script_free); it is complete only when @d has no errors.
 */
struct pp_config;
/* @cfg: what %( %) conditions test (NULL: nothing known). */
struct script *parse_script(struct diag *d, const char *src,
			    const struct pp_config *cfg);
void script_free(struct script *s);
/* Parse @src (file @file of @d) and append its declarations to @s. */
void parse_more(struct diag *d, struct script *s, const char *src,
		const struct pp_config *cfg, uint16_t file);

/*
 * Print the script as canonical source (pass 1 listing).  With @resolved,
 * also print types, locals and resolved probe points (pass 2 listing).
 */
void print_script(FILE *out, const struct script *s, bool resolved);

/* A string literal that lexes back to @s; a probe point as written. */
void print_string_literal(FILE *out, const char *s);
void print_point(FILE *out, const struct probe_point *pt);

/* Binary operator precedence (1 = '||' ... 10 = '*'); 0 if not binary. */
int binary_prec(int tok);
/* @count..@variance: enum vt_agg; @hist_*: AGG_HIST_*; else -1. */
int agg_op_of(const char *name);

#endif /* VTC_PARSER_H */
