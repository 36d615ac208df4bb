// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpretty.c - see tpretty.h.  The output is built as a list of pieces,
 * each one sprintf() of at most PIECE_ARGS values (or a literal), joined
 * by a balanced tree of '.' so the expression's height stays
 * logarithmic in the number of members.  Every value is a target
 * expression made here (N_MEMBER, N_ELEM over the expression being
 * printed) and rewritten by texpr_rewrite(), so the reads are exactly
 * the ones `->` and `[]` would do.  `room` counts the characters the
 * text can still take before MAXSTRINGLEN (each value at least one):
 * once it is spent nothing more is generated, so a large struct costs
 * at most MAXSTRINGLEN / 3 reads.
 */
#include <stdio.h>
#include <string.h>

#include "tpretty.h"
#include "texpr.h"
#include "types.h"
#include "targetvar.h"
#include "provider.h"
#include "lang/lexer.h"
#include "lang/print.h"

#define PIECE_ARGS 8		/* values per sprintf() */
#define PIECE_TEXT 256		/* format characters per sprintf() */
#define NEST_MAX 8		/* struct levels expanded by $$ */
#define PARAMS_MAX 32

struct pp {
	struct diag *d;
	struct arena *a;
	struct probe *p;
	struct vtc_loc loc;
	char fmt[PIECE_TEXT + 64];	/* the piece being built */
	size_t flen;
	struct node *args, **tail;
	int nargs;
	struct node *pieces;		/* done, linked through ->next */
	struct node **ptail;
	size_t npieces;
	size_t room;			/* output characters left */
	bool failed;
};

/* ------------------------------------------------------------ pieces */

static struct node *str_node(struct pp *pp, const char *s)
{
	struct node *n = node_new(pp->a, N_STR, pp->loc);

	n->str = arena_strndup(pp->a, s, strlen(s));
	n->height = 1;
	return n;
}

/* The piece being built, as an expression, appended to the pieces. */
static void flush(struct pp *pp)
{
	struct node *n;

	if (!pp->flen)
		return;
	pp->fmt[pp->flen] = 0;
	if (!pp->nargs) {
		/* a literal: "%%" back to "%" */
		char lit[sizeof(pp->fmt)];
		size_t j = 0;

		for (size_t i = 0; i < pp->flen; i++, j++) {
			lit[j] = pp->fmt[i];
			if (pp->fmt[i] == '%')
				i++;
		}
		lit[j] = 0;
		n = str_node(pp, lit);
	} else {
		struct node *f = str_node(pp, pp->fmt);

		f->next = pp->args;
		n = node_new(pp->a, N_CALL, pp->loc);
		n->str = "sprintf";
		n->a = f;
		n->height = 2;
		for (struct node *x = pp->args; x; x = x->next)
			if (x->height + 1 > n->height)
				n->height = (uint16_t)(x->height + 1);
	}
	*pp->ptail = n;
	pp->ptail = &n->next;
	pp->npieces++;
	pp->flen = 0;
	pp->nargs = 0;
	pp->args = NULL;
	pp->tail = &pp->args;
}

static void text(struct pp *pp, const char *s)
{
	for (; *s && pp->room; s++, pp->room--) {
		if (pp->flen >= PIECE_TEXT)
			flush(pp);
		if (*s == '%')
			pp->fmt[pp->flen++] = '%';
		pp->fmt[pp->flen++] = *s;
	}
}

/* Conversion @conv ("%d", "0x%x", "%s") of expression @x. */
static void arg(struct pp *pp, const char *conv, struct node *x)
{
	if (!pp->room)
		return;
	if (pp->nargs == PIECE_ARGS || pp->flen >= PIECE_TEXT)
		flush(pp);
	pp->flen += (size_t)sprintf(pp->fmt + pp->flen, "%s", conv);
	x->next = NULL;
	*pp->tail = x;
	pp->tail = &x->next;
	pp->nargs++;
	pp->room--;
}

/* Pieces [0, n) of the list at @first joined by '.', balanced. */
static struct node *join(struct pp *pp, struct node **first, size_t n)
{
	struct node *l, *r;

	if (n == 1) {
		l = *first;
		*first = l->next;
		l->next = NULL;
		return l;
	}
	l = join(pp, first, n / 2);
	r = join(pp, first, n - n / 2);
	return node_make(pp->a, N_BINARY, pp->loc, '.', l, r, NULL);
}

static struct node *result(struct pp *pp)
{
	flush(pp);
	if (pp->failed)
		return NULL;
	if (!pp->npieces)
		return str_node(pp, "");
	return join(pp, &pp->pieces, pp->npieces);
}

/* ------------------------------------------------------------ values */

/* A rewritten copy of target expression @chain (left as it is). */
static struct node *read(struct pp *pp, const struct node *chain)
{
	struct node *c = node_new(pp->a, N_CALL, chain->loc);

	*c = *chain;
	c->next = NULL;
	if (!texpr_rewrite(pp->d, pp->a, pp->p, c))
		pp->failed = true;
	return c;
}

static struct node *call1(struct pp *pp, const char *fn, struct node *x,
			  struct node *y)
{
	struct node *c = node_new(pp->a, N_CALL, pp->loc);

	c->str = fn;
	c->a = x;
	x->next = y;
	c->height = (uint16_t)(x->height + 1);
	if (y && y->height + 1 > c->height)
		c->height = (uint16_t)(y->height + 1);
	return c;
}

static struct node *number(struct pp *pp, int64_t v)
{
	struct node *n = node_new(pp->a, N_NUM, pp->loc);

	n->num = v;
	n->height = 1;
	return n;
}

static struct node *member_of(struct pp *pp, struct node *chain,
			      const char *name)
{
	struct node *m = node_make(pp->a, N_MEMBER, chain->loc, T_ARROW,
				   chain, NULL, NULL);

	m->str = name;
	return m;
}

static void value(struct pp *pp, struct node *chain, int depth, int level,
		  bool top);

/* The members of the struct or union @chain is (or points to). */
static void members(struct pp *pp, struct node *chain, struct ctype *s,
		    int depth, int level, bool *first)
{
	const struct ctype_member *m;
	size_t n = ctype_members(s, &m);

	for (size_t i = 0; i < n && pp->room && !pp->failed; i++) {
		struct ctype *ms = ctype_strip(m[i].type);

		if (!*m[i].name) {	/* anonymous: its members are ours */
			if (ms && (ms->kind == CT_STRUCT ||
				   ms->kind == CT_UNION))
				members(pp, chain, ms, depth, level, first);
			continue;
		}
		text(pp, *first ? "." : ", .");
		*first = false;
		text(pp, m[i].name);
		text(pp, "=");
		value(pp, member_of(pp, chain, m[i].name), depth + 1, level,
		      false);
	}
}

/* A char array or char * at @addr, quoted; NULL pointers print 0x0. */
static void string_at(struct pp *pp, struct node *addr, int64_t n, bool user)
{
	struct node *s;

	if (n > 0)
		s = call1(pp, "string_quoted",
			  call1(pp, user ? "user_string_n" : "kernel_string_n",
				addr, number(pp, n)), NULL);
	else
		s = call1(pp, user ? "user_string_quoted" :
			  "kernel_string_quoted", addr, NULL);
	arg(pp, "%s", s);
}

static void array(struct pp *pp, struct node *chain, struct ctype *s,
		  int depth, int level, bool top)
{
	if (!top && level < 2) {
		text(pp, "[...]");
		return;
	}
	text(pp, "[");
	for (uint64_t i = 0; i < s->nelem && pp->room && !pp->failed; i++) {
		struct node *e = node_make(pp->a, N_ELEM, chain->loc, '[',
					   chain, number(pp, (int64_t)i),
					   NULL);

		if (i)
			text(pp, ", ");
		value(pp, e, depth + 1, level, false);
	}
	text(pp, "]");
}

static void value(struct pp *pp, struct node *chain, int depth, int level,
		  bool top)
{
	struct texpr_type t;
	struct ctype *s, *to;

	if (!texpr_typeof(pp->d, pp->a, pp->p, chain, &t)) {
		pp->failed = true;
		return;
	}
	s = ctype_strip(t.type);
	if (t.untyped) {
		arg(pp, "0x%x", read(pp, chain));
		return;
	}
	switch (s ? s->kind : CT_VOID) {
	case CT_INT: case CT_ENUM:
		if (s->size == 1 || s->size == 2 || s->size == 4 ||
		    s->size == 8)
			arg(pp, s->is_signed ? "%d" : "%u", read(pp, chain));
		else
			text(pp, "?");
		return;
	case CT_PTR:
		to = ctype_strip(s->ref);
		if (top && to && (to->kind == CT_STRUCT ||
				  to->kind == CT_UNION))
			break;
		if (top && to && to->kind == CT_INT && to->is_char)
			string_at(pp, read(pp, chain), 0, t.user);
		else
			arg(pp, "0x%x", read(pp, chain));
		return;
	case CT_ARRAY:
		to = ctype_strip(s->ref);
		if (to && to->kind == CT_INT && to->is_char && t.object)
			string_at(pp, read(pp, chain), (int64_t)s->nelem,
				  t.user);
		else if (t.object)
			array(pp, chain, s, depth, level, top);
		else
			text(pp, "?");
		return;
	case CT_STRUCT: case CT_UNION:
		if (t.object)
			break;
		text(pp, "?");
		return;
	default:		/* void, float, function, incomplete */
		text(pp, s && s->kind == CT_FWD ? "{...}" : "?");
		return;
	}
	/* a struct or union, or a pointer to one at the top */
	if (!top && (level < 2 || depth >= NEST_MAX)) {
		text(pp, "{...}");
		return;
	}
	bool first = true;

	text(pp, "{");
	members(pp, chain, s->kind == CT_PTR ? ctype_strip(s->ref) : s, depth,
		level, &first);
	text(pp, "}");
}

/* ---------------------------------------------------- variable sets */

static struct node *target_var(struct pp *pp, const char *name)
{
	struct node *n = node_new(pp->a, N_CALL, pp->loc);
	char buf[256];

	snprintf(buf, sizeof(buf), "$%s", name);
	n->str = arena_strndup(pp->a, buf, strlen(buf));
	n->height = 1;
	return n;
}

/* name=VALUE: hex in the plain form, pretty printed in $ and $$. */
static void named(struct pp *pp, const char *name, int level, bool *first)
{
	struct node *v = target_var(pp, name);

	text(pp, *first ? "" : " ");
	*first = false;
	text(pp, name);
	text(pp, "=");
	if (level)
		value(pp, v, 0, level, true);
	else
		arg(pp, "0x%x", read(pp, v));
}

/* Does `$return` resolve in this probe?  Reports nothing. */
static bool has_return(struct pp *pp)
{
	struct diag quiet = *pp->d;
	struct texpr_type t;

	quiet.err = NULL;
	return texpr_typeof(&quiet, pp->a, pp->p, target_var(pp, "return"),
			    &t) && quiet.nerrors == pp->d->nerrors;
}

static struct node *varset(struct pp *pp, struct node *n)
{
	const char *names[PARAMS_MAX];
	bool first = true, parms = !strcmp(n->str, "parms") ||
				   !strcmp(n->str, "vars");
	int level = (int)n->num;
	size_t nnames;

	if (!pp->p) {
		diag_error(pp->d, n->loc, "'%s' outside a probe (pass the "
			   "values to the function as arguments)",
			   expr_text(pp->a, n));
		return NULL;
	}
	if (!targetvar_params(pp->a, pp->p, names, PARAMS_MAX, &nnames)) {
		struct node *c;

		if (level || !parms) {
			diag_error(pp->d, n->loc, "'%s' is not available in "
				   "this probe (its variables have no C "
				   "types)", expr_text(pp->a, n));
			return NULL;
		}
		/* the provider's own text ($$parms of a tracepoint) */
		c = node_new(pp->a, N_CALL, n->loc);
		c->str = expr_text(pp->a, n);
		c->height = 1;
		return c;
	}
	if (parms)
		for (size_t i = 0; i < nnames && pp->room; i++)
			named(pp, names[i], level, &first);
	/* no locals: BTF has none, and DWARF's are not located here */
	if (!strcmp(n->str, "return") && has_return(pp))
		named(pp, "return", level, &first);
	return result(pp);
}

struct node *tpretty_rewrite(struct diag *d, struct arena *a,
			     struct probe *p, struct node *n)
{
	struct pp pp = {
		.d = d, .a = a, .p = p, .loc = n->loc,
		.room = probe_config()->strsize ?
			probe_config()->strsize - 1 : 511,
	};

	pp.tail = &pp.args;
	pp.ptail = &pp.pieces;
	if (n->kind == N_VARSET)
		return varset(&pp, n);
	value(&pp, n->a, 0, (int)n->num, true);
	return result(&pp);
}
