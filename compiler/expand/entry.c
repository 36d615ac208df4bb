// SPDX-License-Identifier: GPL-2.0-only
/*
 * entry.c - see entry.h.  A nested call of the same function by the same
 * thread overwrites the saved value of the outer call: the return probes
 * then see the inner call's values (documented in docs/language.md).
 */
#include <stdio.h>
#include <string.h>

#include "entry.h"

#define ENTRY_MAX 64	/* @entry uses in one probe */

struct entry_walk {
	struct node *uses[ENTRY_MAX];
	int n;
	bool too_many;
};

static void find_uses(struct entry_walk *w, struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == N_CALL && n->str && !strcmp(n->str, "@entry")) {
			if (w->n < ENTRY_MAX)
				w->uses[w->n++] = n;
			else
				w->too_many = true;
			continue;	/* its argument runs at the call */
		}
		find_uses(w, n->a);
		find_uses(w, n->b);
		find_uses(w, n->c);
		find_uses(w, n->d);
		if (n->fe)
			find_uses(w, n->fe->value);
	}
}

static struct node *ident(struct arena *a, struct vtc_loc loc,
			  const char *name)
{
	struct node *n = node_new(a, N_IDENT, loc);

	n->str = name;
	return n;
}

/* NAME[tid()] */
static struct node *slot(struct arena *a, struct vtc_loc loc,
			 const char *name)
{
	struct node *tid = node_new(a, N_CALL, loc);
	struct node *n;

	tid->str = "tid";
	n = node_make(a, N_INDEX, loc, 0, ident(a, loc, name), tid, NULL);
	n->str = name;
	n->num = 1;
	return n;
}

static struct node *expr_stmt(struct arena *a, struct node *e)
{
	return node_make(a, S_EXPR, e->loc, 0, e, NULL, NULL);
}

/* The point's last component is a plain "return" of a function point. */
static bool is_function_return(const struct probe_point *pt)
{
	const struct point_comp *c = pt->comps, *prev = NULL;

	if (!c || (strcmp(c->name, "kernel") && strcmp(c->name, "module") &&
		   strcmp(c->name, "process")))
		return false;
	for (; c->next; c = c->next)
		prev = c;
	return prev && !strcmp(prev->name, "function") &&
	       !strcmp(c->name, "return") && c->arg == ARG_NONE;
}

/* A copy of @pt without its trailing .return. */
static struct probe_point *call_point(struct arena *a,
				      const struct probe_point *pt)
{
	struct probe_point *np = arena_alloc(a, sizeof(*np));
	struct point_comp **tail = &np->comps;

	np->loc = pt->loc;
	np->optional = pt->optional;
	np->type = -1;
	for (const struct point_comp *c = pt->comps; c->next; c = c->next) {
		struct point_comp *nc = arena_alloc(a, sizeof(*nc));

		*nc = *c;
		nc->next = NULL;
		*tail = nc;
		tail = &nc->next;
	}
	return np;
}

static int expand_probe(struct diag *d, struct script *s, struct probe *p,
			int pi, struct probe ***tail)
{
	struct arena *a = &s->arena;
	struct entry_walk w = { .n = 0 };
	struct probe *e;
	struct probe_point **ptail;
	struct node *prefix = NULL, **ptl = &prefix, **etl;
	char name[48];

	find_uses(&w, p->body);
	if (!w.n)
		return 0;
	if (w.too_many) {
		diag_error(d, w.uses[0]->loc, "more than %d @entry uses in "
			   "one probe", ENTRY_MAX);
		return -1;
	}
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		if (!is_function_return(pt)) {
			diag_error(d, w.uses[0]->loc, "@entry needs a "
				   "function's .return probe (kernel."
				   "function(...).return, process(...)."
				   "function(...).return)");
			return -1;
		}
	}
	e = arena_alloc(a, sizeof(*e));
	e->loc = p->loc;
	e->body = node_new(a, S_BLOCK, p->loc);
	etl = &e->body->a;
	ptail = &e->points;
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		*ptail = call_point(a, pt);
		ptail = &(*ptail)->next;
	}
	for (int k = 0; k < w.n; k++) {
		struct node *use = w.uses[k];
		struct global_decl *g = arena_alloc(a, sizeof(*g));
		struct vtc_loc loc = use->loc;
		const char *gname, *lname;

		if (!use->a || use->a->next) {
			diag_error(d, loc, "@entry takes one expression");
			return -1;
		}
		snprintf(name, sizeof(name), "__entry_%d_%d", pi, k);
		gname = arena_strndup(a, name, strlen(name));
		snprintf(name, sizeof(name), "__entry_%d", k);
		lname = arena_strndup(a, name, strlen(name));
		g->loc = loc;
		g->name = gname;
		g->array = true;
		g->next = s->globals;
		s->globals = g;
		/* at the call: __entry_P_K[tid()] = EXPR */
		*etl = expr_stmt(a, node_make(a, N_ASSIGN, loc, '=',
					      slot(a, loc, gname), use->a,
					      NULL));
		etl = &(*etl)->next;
		/* at the return: __entry_K = __entry_P_K[tid()]; delete it */
		*ptl = expr_stmt(a, node_make(a, N_ASSIGN, loc, '=',
					      ident(a, loc, lname),
					      slot(a, loc, gname), NULL));
		ptl = &(*ptl)->next;
		*ptl = node_make(a, S_DELETE, loc, 0, slot(a, loc, gname),
				 NULL, NULL);
		ptl = &(*ptl)->next;
		/* @entry(EXPR) reads the local */
		use->kind = N_IDENT;
		use->str = lname;
		use->a = NULL;
		use->height = 1;
	}
	*ptl = p->body->a;
	p->body->a = prefix;
	**tail = e;
	*tail = &e->next;
	return 0;
}

int entry_expand(struct diag *d, struct script *s)
{
	struct probe **tail = &s->probes, *p, *end = NULL;
	int pi = 0, ret = 0;

	while (*tail) {
		end = *tail;
		tail = &(*tail)->next;
	}
	/* Only the script's own probes: added ones follow @end. */
	for (p = s->probes; p; p = p->next, pi++) {
		if (expand_probe(d, s, p, pi, &tail))
			ret = -1;
		if (p == end)
			break;
	}
	return ret;
}
