// SPDX-License-Identifier: GPL-2.0-only
/* alias.c - probe alias expansion; see alias.h. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alias.h"
#include "lang/print.h"
#include "lang/suggest.h"
#include "lang/lexer.h"

#define ALIAS_MAX_DEPTH 16	/* aliases of aliases */
#define ALIAS_BLOCK 'A'		/* S_BLOCK op: the copy of an alias body */
#define USER_BLOCK 'U'		/* S_BLOCK op: the user's body (or a copy) */
#define MERGE_MAX 1024		/* syscall aliases merged into one probe */
#define DERIVED_MAX 10000	/* probes all alias uses may expand to */

struct expander {
	struct diag *d;
	struct script *s;
	bool (*provider_root)(const char *name);
	struct probe **tail;	/* where the next derived probe goes */
	int nderived;		/* bounded by DERIVED_MAX: `a = b, b` chains
				 * would otherwise grow exponentially */
};

/* ---------------------------------------------------------- copies */

static struct node *clone_chain(struct arena *a, const struct node *n);

static struct node *clone_one(struct arena *a, const struct node *n)
{
	struct node *c = arena_alloc(a, sizeof(*c));

	*c = *n;
	c->a = clone_chain(a, n->a);
	c->b = clone_chain(a, n->b);
	c->c = clone_chain(a, n->c);
	c->d = clone_chain(a, n->d);
	c->next = NULL;
	if (n->fe) {	/* S_FOREACH: its value variable too */
		c->fe = arena_alloc(a, sizeof(*c->fe));
		*c->fe = *n->fe;
		if (n->fe->value)
			c->fe->value = clone_one(a, n->fe->value);
	}
	return c;
}

/* Deep copy of @n and the nodes chained after it (height-bounded). */
static struct node *clone_chain(struct arena *a, const struct node *n)
{
	struct node *head = NULL, **tail = &head;

	for (; n; n = n->next) {
		*tail = clone_one(a, n);
		tail = &(*tail)->next;
	}
	return head;
}

static struct point_comp *clone_comps(struct arena *a,
				      const struct point_comp *c,
				      const struct point_comp *suffix)
{
	struct point_comp *head = NULL, **tail = &head;

	for (int part = 0; part < 2; part++, c = suffix)
		for (; c; c = c->next) {
			*tail = arena_alloc(a, sizeof(**tail));
			**tail = *c;
			(*tail)->next = NULL;
			tail = &(*tail)->next;
		}
	return head;
}

static struct probe_point *clone_point(struct arena *a,
				       const struct probe_point *pt,
				       const struct point_comp *suffix)
{
	struct probe_point *c = arena_alloc(a, sizeof(*c));

	*c = *pt;
	c->comps = clone_comps(a, pt->comps, suffix);
	c->next = NULL;
	return c;
}

/* A block of @first then @second (statement chains of one each). */
static struct node *block2(struct arena *a, struct vtc_loc loc,
			   struct node *first, struct node *second)
{
	struct node *b = node_new(a, S_BLOCK, loc);

	b->a = first;
	first->next = second;
	b->height = 1;
	return b;
}

/* ---------------------------------------------------------- matching */

bool alias_matches(const struct alias *al, const struct probe_point *use,
		   bool whole)
{
	const struct point_comp *n = al->name->comps, *u = use->comps;

	for (; n && u; n = n->next, u = u->next)
		if (u->arg != ARG_NONE || fnmatch(u->name, n->name, 0))
			return false;
	if (n)
		return false;
	return whole ? !u : u != NULL;
}

/* The components of @use after @al's name (a suffix match). */
static const struct point_comp *suffix_of(const struct alias *al,
					  const struct probe_point *use)
{
	const struct point_comp *n = al->name->comps, *u = use->comps;

	for (; n; n = n->next)
		u = u->next;
	return u;
}

enum point_class { PT_USE, PT_NEVER, PT_RAW };

/*
 * `never` is dropped; `kernel.syscall.X` is the provider's `syscall.X`
 * (PT_RAW: not an alias use, so `syscall.X = kernel.syscall.X` is not
 * recursive); anything else may name aliases.
 */
static enum point_class normalize(struct probe_point *pt)
{
	struct point_comp *c = pt->comps;

	if (c && !c->next && c->arg == ARG_NONE && !strcmp(c->name, "never"))
		return PT_NEVER;
	if (c && c->arg == ARG_NONE && !strcmp(c->name, "kernel") &&
	    c->next && c->next->arg == ARG_NONE &&
	    !strcmp(c->next->name, "syscall")) {
		pt->comps = c->next;
		return PT_RAW;
	}
	return PT_USE;
}

/* A point that matches no alias and no provider: report it, with the
 * closest alias name. */
static void unknown_point(struct expander *e, const struct probe_point *pt)
{
	const char *want = point_text(&e->s->arena, pt);
	struct suggest sg;
	char hint[256];

	suggest_init(&sg, want);
	for (const struct alias *al = e->s->aliases; al; al = al->next)
		suggest_consider(&sg, point_text(&e->s->arena, al->name));
	suggest_hint(&sg, hint, sizeof(hint));
	diag_error(e->d, pt->loc, "unknown probe point '%s'%s", want, hint);
}

/* ---------------------------------------------------------- elision */

/* Does anything in @n read variable @name (not just assign it)? */
static bool reads_name(const struct node *n, const char *name)
{
	for (; n; n = n->next) {
		if (n->kind == N_ASSIGN && n->op == '=' && n->a &&
		    n->a->kind == N_IDENT) {
			if (reads_name(n->b, name))
				return true;
			continue;
		}
		if (n->kind == N_IDENT && !strcmp(n->str, name))
			return true;
		if (reads_name(n->a, name) || reads_name(n->b, name) ||
		    reads_name(n->c, name) || reads_name(n->d, name))
			return true;
	}
	return false;
}

static bool impure_call(const struct script *s, const char *name)
{
	static const char *const out[] = {
		"printf", "print", "println", "printd", "printdln", "exit",
		NULL,
	};

	for (int i = 0; out[i]; i++)
		if (!strcmp(out[i], name))
			return true;
	/* the script's own functions may print; the tapset's do not */
	for (const struct function *f = s->functions; f; f = f->next)
		if (!f->loc.file && !strcmp(f->name, name))
			return true;
	return false;
}

static bool pure(const struct script *s, const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == N_ASSIGN || n->kind == N_INCDEC)
			return false;
		if (n->kind == N_CALL && impure_call(s, n->str))
			return false;
		if (!pure(s, n->a) || !pure(s, n->b) || !pure(s, n->c) ||
		    !pure(s, n->d))
			return false;
	}
	return true;
}

static bool is_global(const struct script *s, const char *name)
{
	for (const struct global_decl *g = s->globals; g; g = g->next)
		if (!strcmp(g->name, name))
			return true;
	return false;
}

/* One round over the alias blocks nested (as blocks) in @blk. */
static bool elide_round(const struct script *s, struct node *root,
			struct node *blk)
{
	bool changed = false;

	for (struct node *st = blk->a; st; st = st->next) {
		const struct node *x = st->a;

		if (st->kind == S_BLOCK) {
			changed |= elide_round(s, root, st);
			continue;
		}
		if (blk->op != ALIAS_BLOCK || st->kind != S_EXPR || !x ||
		    x->kind != N_ASSIGN || x->op != '=' ||
		    x->a->kind != N_IDENT || is_global(s, x->a->str) ||
		    !pure(s, x->b) || reads_name(root, x->a->str))
			continue;
		st->kind = S_EMPTY;
		st->a = NULL;
		changed = true;
	}
	return changed;
}

/* ---------------------------------------------------------- expansion */

static int expand_use(struct expander *e, const struct probe *tmpl,
		      struct probe_point *use, const struct node *body,
		      int depth);

/* A new probe on @points with a copy of @body, after the current one. */
static void derive(struct expander *e, const struct probe *tmpl,
		   struct probe_point *points, const struct node *body)
{
	struct arena *a = &e->s->arena;
	struct probe *p = arena_alloc(a, sizeof(*p));

	p->loc = tmpl->loc;
	p->points = points;
	p->cond = clone_chain(a, tmpl->cond);
	p->body = clone_one(a, body);
	p->unit = -1;
	while (elide_round(e->s, p->body, p->body))
		;
	p->next = *e->tail;
	*e->tail = p;
	e->tail = &p->next;
}

/* Expand one alias @al used as @use (@sfx: trailing components). */
static void expand_alias(struct expander *e, const struct probe *tmpl,
			 struct alias *al, const struct probe_point *use,
			 const struct point_comp *sfx, const struct node *body,
			 int depth)
{
	struct arena *a = &e->s->arena;
	struct node *copy = clone_one(a, al->body), *inner;
	struct probe_point *raw = NULL, **rtail = &raw;

	if (++e->nderived > DERIVED_MAX) {
		diag_error(e->d, use->loc, "probe aliases expand to more than "
			   "%d probes", DERIVED_MAX);
		return;
	}
	if (al->expanding) {
		diag_error(e->d, use->loc, "probe alias '%s' is recursive "
			   "(it is used in its own definition)",
			   point_text(a, al->name));
		return;
	}
	copy->op = ALIAS_BLOCK;
	inner = clone_one(a, body);
	body = al->epilogue ? block2(a, al->loc, inner, copy) :
			      block2(a, al->loc, copy, inner);
	al->expanding = true;
	for (const struct probe_point *pt = al->points; pt; pt = pt->next) {
		struct probe_point *c = clone_point(a, pt, sfx);
		enum point_class k = normalize(c);
		int n = 0;

		c->optional |= use->optional;
		if (k == PT_NEVER)
			continue;
		if (k == PT_USE)
			n = expand_use(e, tmpl, c, body, depth + 1);
		if (n < 0)
			break;
		if (!n) {
			*rtail = c;
			rtail = &c->next;
		} else if (c->sufficient) {
			break;
		}
	}
	al->expanding = false;
	if (raw)
		derive(e, tmpl, raw, body);
}

/*
 * Expand @use if it names aliases: the number of aliases it matched
 * (derived probes added), 0 if none (a provider's point), -1 after an
 * error.
 */
static int expand_use(struct expander *e, const struct probe *tmpl,
		      struct probe_point *use, const struct node *body,
		      int depth)
{
	int n = 0;

	if (depth > ALIAS_MAX_DEPTH) {
		diag_error(e->d, use->loc, "probe aliases nested more than "
			   "%d deep", ALIAS_MAX_DEPTH);
		return -1;
	}
	for (int whole = 1; whole >= 0 && !n; whole--)
		for (struct alias *al = e->s->aliases; al; al = al->next) {
			if (!alias_matches(al, use, whole))
				continue;
			expand_alias(e, tmpl, al, use,
				     whole ? NULL : suffix_of(al, use), body,
				     depth);
			n++;
			if (e->d->nerrors)
				return -1;
		}
	if (!n && use->comps && !e->provider_root(use->comps->name)) {
		if (use->optional)
			return 1;	/* an optional unknown alias: nothing */
		unknown_point(e, use);
		return -1;
	}
	return n;
}

/* ------------------------------------------ merging syscall aliases */

/*
 * A probe derived from `syscall.*` would otherwise be one probe per
 * alias, each its own tracepoint event firing on every system call.
 * Derived probes of one user probe whose only point is a raw
 * `syscall.NAME` (or all `.return`) become one probe on `syscall.*`:
 *   { if NAME tree: prologues of NAME, else next; user body;
 *     if NAME tree: epilogues of NAME }
 * where the NAME tree is a balanced search on the raw provider's `name`.
 */

/* 1: raw syscall.NAME, 2: syscall.NAME.return, 0: anything else. */
static int raw_syscall_kind(const struct probe *p)
{
	const struct probe_point *pt = p->points;
	const struct point_comp *c = pt ? pt->comps : NULL;
	const struct point_comp *n = c ? c->next : NULL;
	const struct point_comp *r = n ? n->next : NULL;

	if (!pt || pt->next || pt->optional || strcmp(c->name, "syscall") ||
	    !n || n->arg != ARG_NONE || strpbrk(n->name, "*?[") ||
	    c->arg != ARG_NONE)
		return 0;
	if (!r)
		return 1;
	return !r->next && r->arg == ARG_NONE && !strcmp(r->name, "return") ?
	       2 : 0;
}

static bool has_user(const struct node *st)
{
	for (; st; st = st->next)
		if (st->kind == S_BLOCK &&
		    (st->op == USER_BLOCK || has_user(st->a)))
			return true;
	return false;
}

/* Move @blk's statements before the user block to *pre, after it to
 * *post, opening the blocks that lead to it. */
static void split(struct node *blk, struct node ***pre, struct node ***post)
{
	bool after = false;

	for (struct node *st = blk->a, *next; st; st = next) {
		next = st->next;
		st->next = NULL;
		if (!after && st->kind == S_BLOCK && st->op == USER_BLOCK) {
			after = true;
			continue;
		}
		if (!after && st->kind == S_BLOCK && has_user(st->a)) {
			split(st, pre, post);
			after = true;
			continue;
		}
		**(after ? post : pre) = st;
		*(after ? post : pre) = &st->next;
	}
}

struct merged {
	const char *name;	/* the syscall */
	struct node *pre, *post;	/* statement chains, may be NULL */
};

static struct node *mk_block(struct arena *a, struct vtc_loc loc,
			     struct node *first)
{
	struct node *b = node_new(a, S_BLOCK, loc);

	b->a = first;
	return b;
}

/* `name OP "str"` */
static struct node *name_cmp(struct arena *a, struct vtc_loc loc, int op,
			     const char *str)
{
	struct node *n = node_new(a, N_BINARY, loc);

	n->op = op;
	n->a = node_new(a, N_IDENT, loc);
	n->a->str = "name";
	n->a->height = 1;
	n->b = node_new(a, N_STR, loc);
	n->b->str = str;
	n->b->height = 1;
	n->height = 2;
	return n;
}

/* The search over m[lo..hi) (sorted): the pre or post chain of the one
 * whose name matches; none: `next` if @miss_next. */
static struct node *name_tree(struct arena *a, struct vtc_loc loc,
			      struct merged *m, int lo, int hi, bool post,
			      bool miss_next)
{
	struct node *st = node_new(a, S_IF, loc);

	if (hi - lo == 1) {
		st->a = name_cmp(a, loc, T_EQ, m[lo].name);
		st->b = mk_block(a, loc, post ? m[lo].post : m[lo].pre);
		if (miss_next)
			st->c = node_new(a, S_NEXT, loc);
		return st;
	}
	st->a = name_cmp(a, loc, '<', m[lo + (hi - lo) / 2].name);
	st->b = name_tree(a, loc, m, lo, lo + (hi - lo) / 2, post, miss_next);
	st->c = name_tree(a, loc, m, lo + (hi - lo) / 2, hi, post, miss_next);
	return st;
}

static int cmp_merged(const void *x, const void *y)
{
	return strcmp(((const struct merged *)x)->name,
		      ((const struct merged *)y)->name);
}

/* One probe for the derived probes @ps[0..n), all entries or all returns. */
static struct probe *merge(struct expander *e, const struct probe *user,
			   struct probe **ps, int n)
{
	struct arena *a = &e->s->arena;
	struct probe *p = arena_alloc(a, sizeof(*p));
	struct merged *m = calloc((size_t)n, sizeof(*m));
	struct node *ubody = clone_one(a, user->body), *post_tree = NULL;
	struct point_comp *c;
	bool any_post = false;

	if (!m) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	for (int i = 0; i < n; i++) {
		struct node **pre = &m[i].pre, **post = &m[i].post;

		m[i].name = ps[i]->points->comps->next->name;
		split(ps[i]->body, &pre, &post);
		any_post |= m[i].post != NULL;
	}
	qsort(m, (size_t)n, sizeof(*m), cmp_merged);
	p->loc = user->loc;
	p->cond = clone_chain(a, user->cond);
	p->unit = -1;
	p->points = clone_point(a, ps[0]->points, NULL);
	c = p->points->comps->next;
	c->name = "*";
	if (any_post)
		post_tree = name_tree(a, user->loc, m, 0, n, true, false);
	ubody->next = post_tree;
	p->body = mk_block(a, user->loc,
			   name_tree(a, user->loc, m, 0, n, false, true));
	p->body->a->next = ubody;
	free(m);
	while (elide_round(e->s, p->body, p->body))
		;
	return p;
}

/* Different syscalls each (one syscall twice must fire twice: no merge). */
static bool distinct(struct probe **ps, int n)
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < i; j++)
			if (!strcmp(ps[i]->points->comps->next->name,
				    ps[j]->points->comps->next->name))
				return false;
	return true;
}

/* Merge the derived probes between @from and @to (exclusive). */
static void merge_syscalls(struct expander *e, const struct probe *user,
			   struct probe **from, struct probe *to)
{
	struct probe *ps[MERGE_MAX];

	for (int kind = 1; kind <= 2; kind++) {
		struct probe **l = from, **first = NULL;
		int n = 0;

		for (struct probe *p = *l; p && p != to; p = *l) {
			if (raw_syscall_kind(p) == kind && n < MERGE_MAX) {
				ps[n++] = p;
				if (!first)
					first = l;
			}
			l = &p->next;
		}
		if (n < 2 || !distinct(ps, n))
			continue;
		/* unlink them all, put the merged probe where the first was */
		for (struct probe **l2 = from; *l2 && *l2 != to;) {
			bool taken = false;

			for (int i = 0; i < n && !taken; i++)
				taken = *l2 == ps[i];
			if (taken)
				*l2 = (*l2)->next;
			else
				l2 = &(*l2)->next;
		}
		for (l = from; *l != to && l != first; l = &(*l)->next)
			;
		{
			struct probe *mp = merge(e, user, ps, n);

			mp->next = *l;
			*l = mp;
		}
	}
	/* the tail: the next field of the last probe before @to */
	for (e->tail = from; *e->tail != to; e->tail = &(*e->tail)->next)
		;
}

int alias_expand(struct diag *d, struct script *s,
		 bool (*provider_root)(const char *name))
{
	struct expander e = { .d = d, .s = s, .provider_root = provider_root };
	struct probe **link = &s->probes;
	int before = d->nerrors;

	while (*link) {
		struct probe *p = *link;
		struct probe_point *raw = NULL, **rtail = &raw, *next;
		bool derived = false;

		struct probe *after = p->next;

		e.tail = &p->next;
		p->body->op = USER_BLOCK;
		for (struct probe_point *pt = p->points; pt; pt = next) {
			enum point_class k = normalize(pt);
			int n = 0;

			next = pt->next;
			pt->next = NULL;
			if (k == PT_NEVER)
				continue;
			if (k == PT_USE)
				n = expand_use(&e, p, pt, p->body, 0);
			if (n < 0)
				return -1;
			if (!n) {
				*rtail = pt;
				rtail = &pt->next;
				continue;
			}
			derived = true;
			if (pt->sufficient)
				break;
		}
		p->points = raw;
		merge_syscalls(&e, p, &p->next, after);
		if (!raw && derived) {
			*link = p->next;	/* only aliases: replaced */
			if (e.tail != &p->next)
				link = e.tail;
		} else {
			link = e.tail;		/* after what it derived */
		}
	}
	return d->nerrors == before ? 0 : -1;
}
