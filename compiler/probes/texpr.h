/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * texpr.h - typed target expressions: member chains and subscripts
 * ($file->f_path->dentry, $v->arr[i], $p[i]), '&', @cast, @var,
 * @defined and @choose_defined, rewritten by sema (pass 2) before binding,
 * as targetvar_rewrite() is for `$name`, into plain expressions over
 * helper calls: each read of memory is one `_deref(addr, how)` (how from
 * VT_DEREF_HOW: size, sign, kernel or user memory), members and constant
 * subscripts are folded into byte offsets, a bitfield is a shift and a
 * mask of its storage unit.  Type inference and code generation need
 * nothing new.  The C types come from types.h: a target variable's from
 * its provider (node->ctype), a @cast's from the type source its module
 * names.
 */
#ifndef VTC_TEXPR_H
#define VTC_TEXPR_H

#include <stdbool.h>

#include "lang/ast.h"
#include "lang/diag.h"

/* Is @n one of the nodes texpr_rewrite() takes (N_MEMBER ... N_VARSET)? */
bool texpr_is(const struct node *n);

/*
 * Rewrite target expression @n (texpr_is) of probe @p (NULL in a
 * function) in place.  True when @n is now a plain expression for sema
 * to bind; false after reporting an error (then @n is N_ERROR).
 */
bool texpr_rewrite(struct diag *d, struct arena *a, struct probe *p,
		   struct node *n);

/* What texpr_typeof() finds out about a target expression. */
struct texpr_type {
	struct ctype *type;	/* as declared (typedefs kept); NULL void */
	bool object;		/* in memory (a member, a @cast), not a value */
	bool user;		/* that memory is the current task's */
	bool untyped;		/* a target variable without a C type */
};

/*
 * The type of target expression @n (a chain, @cast, @var or `$name`)
 * without reading it, for pretty printing (tpretty.c); @n is left as it
 * is.  false after reporting an error.
 */
bool texpr_typeof(struct diag *d, struct arena *a, struct probe *p,
		  struct node *n, struct texpr_type *out);

#endif /* VTC_TEXPR_H */
