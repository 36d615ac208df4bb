/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * preproc.h - SystemTap's conditional preprocessing, between the lexer
 * and the parser:
 *
 *   %( CONDITION %? TOKENS [ %: TOKENS ] %)
 *
 * CONDITION is comparisons joined by && and ||: kernel_v, kernel_vr
 * (compared as versions: "6.1.0" < "6.12"), arch, CONFIG_NAME (its
 * value in the kernel configuration: "y", "m", a string or a number; ""
 * when unset), $# and @# (the number of script arguments), against a
 * number or a string literal, with == != < <= > >=.  Conditionals nest.
 *
 * And macros: @define NAME %( TOKENS %) or @define NAME(A, B) %( TOKENS
 * %), used as @NAME or @NAME(ARG, ARG): the body's tokens, with each
 * parameter replaced by its argument's tokens, are read again (so they
 * may use macros and conditionals; expansion depth is bounded).
 */
#ifndef VTC_PREPROC_H
#define VTC_PREPROC_H

#include "lexer.h"

#define PP_MAX_NESTING 32
#define PP_MAX_QUEUE 4096	/* tokens of pending macro expansions */
#define PP_MAX_EXPANSIONS 10000	/* macro uses in one script */
#define PP_MAX_PARAMS 16

struct pp_macro {
	const char *name;
	const char *params[PP_MAX_PARAMS];
	int nparams;
	struct token *body;
	int nbody;
	struct pp_macro *next;
};

struct pp_config {
	const char *kernel_release;	/* uname -r, or NULL */
	const char *arch;		/* "x86_64", or NULL */
	const char *kconfig;		/* kernel .config text, or NULL */
	int nargs;			/* script arguments */
};

struct preproc {
	struct lexer *lx;
	struct diag *diag;
	struct arena *arena;
	struct pp_macro *macros;
	struct token queue[PP_MAX_QUEUE];	/* read back to front */
	int nqueue;
	int expansions;
	bool failed;		/* an error was reported: the rest is EOF */
	const struct pp_config *cfg;
	int depth;
	bool in_else[PP_MAX_NESTING];	/* taking a %: branch */
};

/* The next token after preprocessing (T_EOF at the end). */
void pp_next(struct preproc *pp, struct token *t);

#endif /* VTC_PREPROC_H */
