/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tpretty.h - pretty printing of typed target expressions, in
 * SystemTap's format: `$x$` (one level: `{.a=1, .b=0x0, .s={...},
 * .name="bash"}`), `$x$$` (nested structs, unions and arrays expanded),
 * and the variable sets `$$parms`, `$$vars`, `$$locals`, `$$return` with
 * their `$` and `$$` forms (`file=0xffff... count=0x2000`).  Part of
 * pass 2: texpr.c hands it N_PRETTY and N_VARSET nodes; it expands them
 * at the source level into sprintf() calls over member chains, each of
 * which texpr.c rewrites as usual, so every read is one `_deref` and
 * faults like any other.  The text is bounded by MAXSTRINGLEN: members
 * past it are not read at all.
 */
#ifndef VTC_TPRETTY_H
#define VTC_TPRETTY_H

#include "lang/ast.h"
#include "lang/diag.h"

/*
 * The string expression that prints N_PRETTY or N_VARSET @n of probe @p
 * (NULL in a function), or NULL after reporting an error.
 */
struct node *tpretty_rewrite(struct diag *d, struct arena *a,
			     struct probe *p, struct node *n);

#endif /* VTC_TPRETTY_H */
