/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * targetvar.h - target variables ($return, tracepoint fields) and the
 * builtins whose argument is resolved at compile time (register("rdi")),
 * rewritten by sema (pass 2) into plain helper calls with constant
 * arguments, so that type inference and code generation need nothing
 * new.
 */
#ifndef VTC_TARGETVAR_H
#define VTC_TARGETVAR_H

#include <stdbool.h>

#include "ast.h"
#include "diag.h"

/*
 * If @n (an N_CALL) names a target variable ("$name", as the parser
 * stores it) or register(), rewrite it in place into a call of the
 * helper that reads it in probe @p.  Returns true after reporting an
 * error (then @n is N_ERROR), false otherwise (@n rewritten or not ours).
 */
bool targetvar_rewrite(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n);

/* The VT_REG_* index of an x86-64 register name ("rdi", "di"), or -1. */
int targetvar_reg(const char *name);

#endif /* VTC_TARGETVAR_H */
