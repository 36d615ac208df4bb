/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_int.h - pass 2 internals shared by sema.c (declarations, the
 * steps), sema_stmt.c (statements), sema_expr.c (expressions, calls) and
 * sema_map.c (arrays, statistics, foreach, AUTOPRINT).  Calls go
 * sema.c -> statements -> expressions <-> maps (a key is an expression)
 * and statements -> maps (foreach, delete); only expressions and maps
 * call each other.
 */
#ifndef VTC_SEMA_INT_H
#define VTC_SEMA_INT_H

#include "sema.h"

struct sema {
	struct diag *d;
	struct script *s;
	struct probe *probe;	/* current probe, or NULL in a function */
	struct scope *locals;	/* current probe's or function's */
	struct function *func;	/* current function, or NULL in a probe */
	int loops;		/* enclosing loops, for break/continue */
	bool report;		/* step 3: report conflicts */
	bool changed;		/* step 2: a symbol got a type */
	struct node *hist_arg;	/* the print argument being typed: the one
				 * place a @hist_* may be */
	unsigned walk;		/* sema_map.c: numbers walks over functions */
};

/* sema_stmt.c: declare the locals a body assigns; bind; infer. */
void sema_collect_stmt(struct sema *se, struct node *s);
void sema_bind_stmt(struct sema *se, struct node *s);
void sema_infer_stmt(struct sema *se, struct node *s);

/* sema_expr.c */
void sema_bind_expr(struct sema *se, struct node *n);
/* The type of @n, given that @want is expected (TY_UNKNOWN: anything). */
enum vtype sema_infer(struct sema *se, struct node *n, enum vtype want);
/* sema_infer, and in the report step a mismatch if not @want. */
enum vtype sema_expect(struct sema *se, struct node *n, enum vtype want);
/* Learn a still unknown type *@y from @t (long or string). */
void sema_learn(struct sema *se, enum vtype *y, enum vtype t);
/* enum builtin of print-family function @name, or B_NONE. */
int sema_builtin_id(const char *name);

/* sema_map.c: the array parts of expressions and statements. */
void map_collect_foreach(struct sema *se, struct node *s);
void map_bind_expr(struct sema *se, struct node *n);
/* A foreach's variables, limit and array (its body: the caller). */
void map_bind_foreach(struct sema *se, struct node *s);
/* A scalar use of @n (N_IDENT): reports arrays and statistics; returns
 * the type to use, or TY_UNKNOWN to go on as usual. */
enum vtype map_check_scalar(struct sema *se, struct node *n,
			    enum vtype want);
enum vtype map_infer(struct sema *se, struct node *n, enum vtype want);
/* A foreach's keys, value, limit and sort (its body: the caller). */
void map_infer_foreach(struct sema *se, struct node *s);
void map_infer_delete(struct sema *se, struct node *s);
/* After typing: defaults, usage for AUTOPRINT, final checks. */
void map_finish(struct sema *se);

#endif /* VTC_SEMA_INT_H */
