// SPDX-License-Identifier: GPL-2.0-only
/*
 * sema.c - pass 2.  Three steps per script:
 *   1. declare globals, resolve probe points, collect each probe's locals
 *      (SystemTap's rule: a name assigned in a probe body that is not a
 *      global is a local of that probe) and bind every identifier;
 *   2. infer types by iterating over the whole script until no symbol's
 *      type changes (types only go from unknown to known, so it ends);
 *   3. one more pass that reports every conflict at the offending use.
 */
#include <string.h>

#include "sema_int.h"
#include "probes/probepoint.h"

static void declare_functions(struct sema *se)
{
	for (struct function *f = se->s->functions; f; f = f->next) {
		for (struct function *o = se->s->functions; o != f;
		     o = o->next)
			if (!strcmp(o->name, f->name)) {
				diag_error(se->d, f->loc, "duplicate function "
					   "'%s' (first defined at line %u)",
					   f->name, o->loc.line);
				break;
			}
		if (sema_builtin_id(f->name))
			diag_error(se->d, f->loc, "function '%s' is "
				   "builtin and cannot be redefined", f->name);
	}
}

static void declare_globals(struct sema *se)
{
	for (struct global_decl *g = se->s->globals; g; g = g->next) {
		struct symbol *y = scope_find(&se->s->gscope, g->name);

		if (y) {
			diag_error(se->d, g->loc, "duplicate global '%s' "
				   "(first declared at line %u)", g->name,
				   y->loc.line);
			continue;
		}
		y = scope_add(&se->s->arena, &se->s->gscope, g->name,
			      SYM_GLOBAL, g->loc);
		y->init = g->init;
		y->declared_array = g->array;
		y->wrap = g->wrap;
		y->max_entries = g->size;
		if (g->init)
			y->type = g->init->kind == N_STR ? TY_STRING : TY_LONG;
		if (g->init)
			g->init->type = y->type;
		if (g->init && g->init->a)
			g->init->a->type = TY_LONG;
	}
}

static void infer_all(struct sema *se)
{
	for (struct probe *p = se->s->probes; p; p = p->next) {
		se->locals = &p->locals;
		se->probe = p;
		se->func = NULL;
		if (p->cond)
			sema_expect(se, p->cond, TY_LONG);
		sema_infer_stmt(se, p->body);
	}
	for (struct function *f = se->s->functions; f; f = f->next) {
		if (!f->reachable)
			continue;
		se->locals = &f->locals;
		se->probe = NULL;
		se->func = f;
		sema_infer_stmt(se, f->body);
	}
	se->func = NULL;
}

static void check_types_known(struct sema *se)
{
	for (struct symbol *y = se->s->gscope.first; y; y = y->next) {
		if (y->type != TY_UNKNOWN)
			continue;
		if (y->used)
			diag_error(se->d, y->loc, "cannot infer the type of "
				   "global '%s'", y->name);
		y->type = TY_LONG;	/* unused: any type will do */
	}
	for (struct probe *p = se->s->probes; p; p = p->next)
		for (struct symbol *y = p->locals.first; y; y = y->next)
			if (y->type == TY_UNKNOWN)
				diag_error(se->d, y->loc, "cannot infer the "
					   "type of '%s'", y->name);
	for (struct function *f = se->s->functions; f; f = f->next) {
		if (!f->reachable)
			continue;
		if (f->ret == TY_UNKNOWN)
			diag_error(se->d, f->loc, "cannot infer the return "
				   "type of function '%s'", f->name);
		for (struct symbol *y = f->locals.first; y; y = y->next)
			if (y->type == TY_UNKNOWN)
				diag_error(se->d, y->loc, "cannot infer the "
					   "type of '%s'", y->name);
	}
}

/* A function without 'return EXPR' and no declared type returns nothing. */
static void settle_void_functions(struct sema *se)
{
	for (struct function *f = se->s->functions; f; f = f->next)
		if (f->ret == TY_UNKNOWN && !f->returns_value)
			f->ret = TY_VOID;
}

int sema_script(struct diag *d, struct script *s)
{
	struct sema se = { .d = d, .s = s };
	int before = d->nerrors;

	declare_globals(&se);
	declare_functions(&se);
	for (struct function *f = s->functions; f; f = f->next) {
		se.locals = &f->locals;
		se.func = f;
		f->locals.parent = &s->gscope;
		sema_collect_stmt(&se, f->body);
		sema_bind_stmt(&se, f->body);
	}
	se.func = NULL;
	for (struct probe *p = s->probes; p; p = p->next) {
		se.probe = p;
		se.locals = &p->locals;
		p->locals.parent = &s->gscope;
		for (struct probe_point *pt = p->points; pt; pt = pt->next) {
			probepoint_resolve(se.d, &se.s->arena, pt);
			if (pt->sufficient && pt->type >= 0)
				pt->next = NULL;	/* '!': enough */
		}
		probepoint_finish(se.d, &se.s->arena, p);
		sema_collect_stmt(&se, p->body);
		sema_bind_expr(&se, p->cond);
		sema_bind_stmt(&se, p->body);
	}
	do {
		se.changed = false;
		infer_all(&se);
	} while (se.changed);	/* each round types a symbol: ends */
	settle_void_functions(&se);
	se.report = true;
	infer_all(&se);
	map_finish(&se);
	if (d->nerrors == before)
		check_types_known(&se);
	return d->nerrors == before ? 0 : -1;
}
