/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sema_int.h - pass 2 internals shared by sema.c (scalars, calls,
 * functions) and sema_map.c (arrays, statistics, foreach, AUTOPRINT).
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

/* sema.c, for sema_map.c. */
enum vtype sema_infer(struct sema *se, struct node *n, enum vtype want);
enum vtype sema_expect(struct sema *se, struct node *n, enum vtype want);
void sema_bind_expr(struct sema *se, struct node *n);
void sema_bind_stmt(struct sema *se, struct node *s);
void sema_infer_stmt(struct sema *se, struct node *s);
void sema_collect_stmt(struct sema *se, struct node *s);

/* sema_map.c, called by sema.c. */
void map_collect_foreach(struct sema *se, struct node *s);
void map_bind_expr(struct sema *se, struct node *n);
void map_bind_foreach(struct sema *se, struct node *s);
/* A scalar use of @n (N_IDENT): reports arrays and statistics; returns
 * the type to use, or TY_UNKNOWN to go on as usual. */
enum vtype map_check_scalar(struct sema *se, struct node *n,
			    enum vtype want);
enum vtype map_infer(struct sema *se, struct node *n, enum vtype want);
void map_infer_foreach(struct sema *se, struct node *s);
void map_infer_delete(struct sema *se, struct node *s);
/* After typing: defaults, usage for AUTOPRINT, final checks. */
void map_finish(struct sema *se);

#endif /* VTC_SEMA_INT_H */
