/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * parser.h - pass 1: tokens to a struct script.  Recursive descent with
 * precedence climbing for binary operators; recovers from an error at the
 * next statement or declaration so several errors are reported in one run.
 */
#ifndef VTC_PARSER_H
#define VTC_PARSER_H

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

/* Binary operator precedence (1 = '||' ... 10 = '*'); 0 if not binary. */
int binary_prec(int tok);

#endif /* VTC_PARSER_H */
