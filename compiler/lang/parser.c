// SPDX-License-Identifier: GPL-2.0-only
/* parser.c - pass 1: recursive descent over the token stream. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lexer.h"
#include "preproc.h"
#include "vtrace_uapi.h"

/* Recursion limit of the parser itself (each paren costs about two). */
#define PARSE_MAX_RECURSION (2 * VTC_MAX_DEPTH)

struct parser {
	struct lexer lx;
	struct preproc *pp;
	struct diag *diag;
	struct arena *arena;
	struct token tok;	/* current */
	struct token ahead;	/* one token of lookahead when has_ahead */
	bool has_ahead;
	bool panic;		/* an error was reported; skip until a sync */
	int depth;		/* recursion depth */
	int ntokens;		/* tokens consumed, to detect no progress */
	struct alias **atail;	/* where the next alias definition goes */
};

static void next(struct parser *p)
{
	p->ntokens++;
	if (p->has_ahead) {
		p->tok = p->ahead;
		p->has_ahead = false;
	} else {
		pp_next(p->pp, &p->tok);
	}
}

static const struct token *peek(struct parser *p)
{
	if (!p->has_ahead) {
		pp_next(p->pp, &p->ahead);
		p->has_ahead = true;
	}
	return &p->ahead;
}

static void error_at(struct parser *p, struct vtc_loc loc, const char *fmt,
		     ...) __attribute__((format(printf, 3, 4)));

static void error_at(struct parser *p, struct vtc_loc loc, const char *fmt,
		     ...)
{
	char msg[256];
	va_list ap;

	if (p->panic || p->pp->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(p->diag, loc, "%s", msg);
	p->panic = true;
}

/* "end of input", "'foo'": the current token, for messages. */
static const char *found(struct parser *p, char *buf, size_t size)
{
	if (p->tok.kind == T_EOF)
		return "end of input";
	if (p->tok.kind == T_STRING)
		return "string literal";
	snprintf(buf, size, "'%.*s'", (int)(p->tok.len > 32 ? 32 : p->tok.len),
		 p->tok.start);
	return buf;
}

static void expected(struct parser *p, const char *what)
{
	char buf[64];

	error_at(p, p->tok.loc, "expected %s but found %s", what,
		 found(p, buf, sizeof(buf)));
}

static bool accept(struct parser *p, int kind)
{
	if (p->tok.kind != kind)
		return false;
	next(p);
	return true;
}

static bool expect(struct parser *p, int kind)
{
	char name[32];

	if (accept(p, kind))
		return true;
	expected(p, token_name(kind, name, sizeof(name)));
	return false;
}

static bool enter(struct parser *p)
{
	if (++p->depth <= PARSE_MAX_RECURSION)
		return true;
	error_at(p, p->tok.loc, "nesting too deep (more than %d levels)",
		 VTC_MAX_DEPTH);
	return false;
}

static void leave(struct parser *p)
{
	p->depth--;
}

static struct node *error_node(struct parser *p, struct vtc_loc loc)
{
	return node_new(p->arena, N_ERROR, loc);
}

/* Set n's height from its children; too tall a tree becomes an error. */
static struct node *sized(struct parser *p, struct node *n)
{
	unsigned h = 0;
	struct node *kids[4] = { n->a, n->b, n->c, n->d };

	for (int i = 0; i < 4; i++)
		if (kids[i] && kids[i]->height > h)
			h = kids[i]->height;
	for (struct node *arg = n->kind == N_CALL || n->kind == N_IN ? n->a :
	     n->kind == N_INDEX ? n->b : NULL; arg; arg = arg->next)
		if (arg->height > h)
			h = arg->height;
	if (h + 1 > VTC_MAX_DEPTH) {
		error_at(p, n->loc, "expression nested too deeply "
			 "(more than %d levels)", VTC_MAX_DEPTH);
		return error_node(p, n->loc);
	}
	n->height = (uint16_t)(h + 1);
	return n;
}

static struct node *mk(struct parser *p, enum node_kind kind,
		       struct vtc_loc loc, int op, struct node *a,
		       struct node *b, struct node *c)
{
	struct node *n = node_new(p->arena, kind, loc);

	n->op = op;
	n->a = a;
	n->b = b;
	n->c = c;
	return sized(p, n);
}

/* ---------------------------------------------------------- expressions */

static struct node *parse_expr(struct parser *p);
static struct node *parse_ternary(struct parser *p);
static struct node *parse_unary(struct parser *p);
static struct node *parse_primary(struct parser *p);

int binary_prec(int tok)
{
	switch (tok) {
	case T_OROR: return 1;
	case T_ANDAND: return 2;
	case '|': return 3;
	case '^': return 4;
	case '&': return 5;
	case T_IN: return 6;	/* k in a */
	case T_EQ: case T_NE: case '<': case T_LE: case '>': case T_GE:
	case T_MATCH: case T_NOMATCH:
		return 7;
	case T_SHL: case T_SHR: return 8;
	case '.': return 9;
	case '+': case '-': return 10;
	case '*': case '/': case '%': return 11;
	default: return 0;
	}
}

static bool is_assign_op(int tok)
{
	return tok == '=' || (tok >= T_ADD_ASSIGN && tok <= T_CAT_ASSIGN) ||
	       tok == T_AGG;
}

/* An identifier or a keyword: probe point components, member names. */
static bool is_name_token(int kind)
{
	return kind == T_IDENT || (kind >= T_PROBE && kind <= T_PRIVATE);
}

/* A variable or an array element: what assignments, ++ and -- take. */
static bool is_lvalue(const struct node *n)
{
	return n->kind == N_IDENT || n->kind == N_INDEX || n->kind == N_ERROR;
}

/* ------------------------------------------------ arrays, statistics */

/*
 * '[' current: keys up to ']'; returns the first, linked by ->next.  A
 * '*' key (N_WILD) makes a slice, allowed only where @slice says so.
 */
static struct node *parse_keys(struct parser *p, int *nkeys, bool slice)
{
	struct node *first = NULL, **tail = &first;
	struct vtc_loc loc = p->tok.loc;
	int n = 0;

	next(p);	/* '[' */
	do {
		struct node *k;

		if (p->tok.kind == '*') {
			k = node_new(p->arena, N_WILD, p->tok.loc);
			if (!slice)
				error_at(p, k->loc, "a '*' key (array slice) "
					 "is only allowed in foreach, delete "
					 "and 'in'");
			next(p);
		} else {
			k = parse_expr(p);
		}
		*tail = k;
		tail = &k->next;
		n++;
	} while (!p->panic && accept(p, ','));
	expect(p, ']');
	if (n > (int)VT_MAP_KEYS_MAX)
		error_at(p, loc, "%d keys, at most %u", n, VT_MAP_KEYS_MAX);
	*nkeys = n;
	return first;
}

static struct node *array_name(struct parser *p, struct token t)
{
	struct node *n = node_new(p->arena, N_IDENT, t.loc);

	n->str = t.str;
	return n;
}

/* NAME '[' keys ']'; NAME (@t) already consumed; @slice: '*' allowed. */
static struct node *parse_index(struct parser *p, struct token t, bool slice)
{
	struct node *n = node_new(p->arena, N_INDEX, t.loc);
	int nkeys = 0;

	n->str = t.str;
	n->a = array_name(p, t);
	n->b = parse_keys(p, &nkeys, slice);
	n->num = nkeys;
	return sized(p, n);
}

/* 'in' current: KEYS in NAME. */
static struct node *parse_in(struct parser *p, struct node *keys, int nkeys,
			     struct vtc_loc loc)
{
	struct node *n = node_new(p->arena, N_IN, loc);

	next(p);	/* 'in' */
	if (p->tok.kind != T_IDENT) {
		expected(p, "an array name");
		return error_node(p, loc);
	}
	n->a = keys;
	n->b = array_name(p, p->tok);
	n->str = n->b->str;
	n->num = nkeys;
	next(p);
	return sized(p, n);
}

/* @count ... @variance: enum vt_agg; @hist_*: AGG_HIST_*; else -1. */
static int agg_op_of(const char *name)
{
	static const char *const names[] = {
#define AGG_NAME(name, text) text,
		VT_AGGS(AGG_NAME)
#undef AGG_NAME
	};

	for (int i = 0; i < VT_AGG_COUNT_; i++)
		if (!strcmp(names[i], name))
			return i;
	if (!strcmp(name, "hist_log"))
		return AGG_HIST_LOG;
	if (!strcmp(name, "hist_linear"))
		return AGG_HIST_LINEAR;
	return -1;
}

/* @op(STAT) or @hist_linear(STAT, START, STOP, INTERVAL). */
static struct node *parse_agg(struct parser *p, struct token t, int op)
{
	struct node *n = node_new(p->arena, N_AGG, t.loc);

	n->op = op;
	n->str = t.str;
	next(p);
	if (!expect(p, '('))
		return error_node(p, t.loc);
	if (p->tok.kind != T_IDENT) {
		expected(p, "a statistic");
		return error_node(p, t.loc);
	}
	n->a = parse_primary(p);
	if (op == AGG_HIST_LINEAR) {
		struct node **arg[3] = { &n->b, &n->c, &n->d };

		for (int i = 0; i < 3 && !p->panic; i++) {
			if (!expect(p, ','))
				break;
			*arg[i] = parse_expr(p);
		}
	}
	if (p->panic || !expect(p, ')'))
		return error_node(p, t.loc);
	return sized(p, n);
}

static struct node *parse_call_args(struct parser *p, struct node *call)
{
	struct node **tail = &call->a;

	next(p);	/* '(' */
	if (!accept(p, ')')) {
		do {
			struct node *arg = parse_expr(p);

			*tail = arg;
			tail = &arg->next;
		} while (accept(p, ','));
		expect(p, ')');
	}
	return sized(p, call);
}

/* ------------------------------------------------ target expressions */

/* $$vars, $$parms, $$locals, $$return (@name without the "$$"). */
static bool is_varset(const char *name)
{
	return !strcmp(name, "vars") || !strcmp(name, "parms") ||
	       !strcmp(name, "locals") || !strcmp(name, "return");
}

/* What '->', '[' and '&' apply to: $name, @cast, @var and their chains. */
static bool is_target(const struct node *n)
{
	return (n->kind == N_CALL && n->str[0] == '$' && !n->a) ||
	       n->kind == N_CAST || n->kind == N_VAR ||
	       n->kind == N_MEMBER || n->kind == N_ELEM;
}

/* A string literal argument of an @ operator, as an N_STR. */
static struct node *string_arg(struct parser *p, const char *what)
{
	struct node *n;

	if (p->tok.kind != T_STRING) {
		expected(p, what);
		return NULL;
	}
	n = node_new(p->arena, N_STR, p->tok.loc);
	n->str = p->tok.str;
	next(p);
	return n;
}

/*
 * After '(' of @cast or @var: [',']"first" [, "module"] ')' into n->b and
 * n->c; @cast's ',' after its pointer is current.  NULL after an error.
 */
static struct node *at_strings(struct parser *p, struct node *n,
			       const char *what)
{
	if (n->kind == N_CAST && !expect(p, ','))
		return NULL;
	if (!(n->b = string_arg(p, what)))
		return NULL;
	if (accept(p, ',') && !(n->c = string_arg(p, "a module name string")))
		return NULL;
	if (!expect(p, ')'))
		return NULL;
	return sized(p, n);
}

/*
 * @cast(PTR, "TYPE" [, "MODULE"]), @var("NAME" [, "MODULE"]),
 * @defined(EXPR), @choose_defined(A, B): @t current; NULL when @t is
 * none of them.
 */
static struct node *parse_at_target(struct parser *p, struct token t)
{
	static const struct { const char *name; enum node_kind kind; } ops[] = {
		{ "cast", N_CAST }, { "var", N_VAR },
		{ "defined", N_DEFINED }, { "choose_defined", N_CHOOSE },
	};
	struct node *n = NULL, *r;

	for (size_t i = 0; !n && i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(t.str, ops[i].name))
			n = node_new(p->arena, ops[i].kind, t.loc);
	if (!n)
		return NULL;
	next(p);
	if (!expect(p, '('))
		return error_node(p, t.loc);
	if (n->kind == N_VAR)
		r = at_strings(p, n, "a variable name string");
	else if (n->kind == N_CAST && (n->a = parse_expr(p), !p->panic))
		r = at_strings(p, n, "a type name string");
	else if (n->kind == N_DEFINED && (n->a = parse_expr(p), !p->panic))
		r = expect(p, ')') ? sized(p, n) : NULL;
	else if (n->kind == N_CHOOSE && (n->a = parse_expr(p), !p->panic) &&
		 expect(p, ',') && (n->b = parse_expr(p), !p->panic))
		r = expect(p, ')') ? sized(p, n) : NULL;
	else
		r = NULL;
	return r ? r : error_node(p, t.loc);
}

/* '->' NAME and '[' EXPR ']' after target expression @n, then '$'/'$$'. */
static struct node *parse_chain(struct parser *p, struct node *n)
{
	while (!p->panic && (p->tok.kind == T_ARROW || p->tok.kind == '[')) {
		struct vtc_loc loc = p->tok.loc;

		if (accept(p, T_ARROW)) {
			if (!is_name_token(p->tok.kind)) {
				expected(p, "a member name");
				return error_node(p, loc);
			}
			n = mk(p, N_MEMBER, p->tok.loc, T_ARROW, n, NULL, NULL);
			n->str = arena_strndup(p->arena, p->tok.start,
					       p->tok.len);
			next(p);
		} else {
			struct node *idx;

			next(p);	/* '[' */
			idx = parse_expr(p);
			if (!expect(p, ']'))
				return error_node(p, loc);
			n = mk(p, N_ELEM, loc, '[', n, idx, NULL);
		}
	}
	if (p->tok.kind != '$' || p->panic)
		return n;
	next(p);
	n = n->kind == N_VARSET ? n :
	    mk(p, N_PRETTY, n->loc, '$', n, NULL, NULL);
	n->num = 1 + accept(p, '$');
	return n;
}

static struct node *parse_primary(struct parser *p)
{
	struct token t = p->tok;
	struct node *n;

	switch (t.kind) {
	case T_NUMBER:
		next(p);
		n = node_new(p->arena, N_NUM, t.loc);
		n->num = t.num;
		return n;
	case T_STRING:
		next(p);
		n = node_new(p->arena, N_STR, t.loc);
		n->str = t.str;
		return n;
	case T_IDENT:
		next(p);
		if (p->tok.kind == '(') {
			n = node_new(p->arena, N_CALL, t.loc);
			n->str = t.str;
			return parse_call_args(p, n);
		}
		if (p->tok.kind == '[')
			return parse_index(p, t, false);
		n = node_new(p->arena, N_IDENT, t.loc);
		n->str = t.str;
		return n;
	case T_DOLLAR_NUM:
	case T_AT_NUM:
		next(p);
		n = node_new(p->arena, N_POSITIONAL, t.loc);
		n->num = t.num;
		n->op = t.kind == T_DOLLAR_NUM ? '$' : '@';
		return n;
	case T_DOLLAR_IDENT:
		/* A target variable: sema (targetvar.c) turns it into a
		 * helper call, or reports it. */
		next(p);
		if (t.str[0] == '$' && is_varset(t.str + 1)) {
			n = node_new(p->arena, N_VARSET, t.loc);
			n->str = t.str + 1;
			return n;
		}
		n = node_new(p->arena, N_CALL, t.loc);
		n->str = arena_strndup(p->arena, t.start, t.len); /* "$x" */
		return n;
	case '[': {
		int nkeys = 0;
		struct node *keys = parse_keys(p, &nkeys, true);

		if (p->panic)
			return error_node(p, t.loc);
		if (p->tok.kind != T_IN) {
			expected(p, "'in'");
			return error_node(p, t.loc);
		}
		return parse_in(p, keys, nkeys, t.loc);
	}
	case T_AT_IDENT:
		if (agg_op_of(t.str) >= 0)
			return parse_agg(p, t, agg_op_of(t.str));
		if ((n = parse_at_target(p, t)))
			return n;
		if (!strcmp(t.str, "entry")) {
			/* @entry(EXPR): entry.c rewrites it before sema */
			next(p);
			n = node_new(p->arena, N_CALL, t.loc);
			n->str = "@entry";
			if (p->tok.kind != '(') {
				expected(p, "'(' after @entry");
				return error_node(p, t.loc);
			}
			return parse_call_args(p, n);
		}
		error_at(p, t.loc, "unknown '@%s' (not a macro defined above "
			 "nor an @ operator vtrace knows)", t.str);
		next(p);
		return error_node(p, t.loc);
	case '(':
		next(p);
		n = parse_expr(p);
		expect(p, ')');
		return n;
	default:
		expected(p, "an expression");
		return error_node(p, t.loc);
	}
}

/* @slice: a NAME[...] operand may be a slice (delete's operand). */
static struct node *parse_postfix(struct parser *p, bool slice)
{
	struct token t = p->tok;
	struct node *n;

	if (slice && t.kind == T_IDENT && peek(p)->kind == '[') {
		next(p);
		n = parse_index(p, t, true);
	} else {
		n = parse_primary(p);
	}
	if (is_target(n) || n->kind == N_VARSET) {
		n = parse_chain(p, n);
	} else if (p->tok.kind == T_ARROW && n->kind != N_ERROR) {
		error_at(p, p->tok.loc, "'->' needs a target variable, "
			 "@cast(...) or @var(...) on its left");
		return error_node(p, p->tok.loc);
	}

	while (p->tok.kind == T_INC || p->tok.kind == T_DEC) {
		struct vtc_loc loc = p->tok.loc;
		int op = p->tok.kind;

		if (!is_lvalue(n)) {
			error_at(p, loc, "operand of '%s' is not assignable",
				 token_text(op));
			return error_node(p, loc);
		}
		next(p);
		n = mk(p, N_INCDEC, loc, op, n, NULL, NULL);
		n->post = true;
	}
	return n;
}

static struct node *parse_unary(struct parser *p)
{
	struct token t = p->tok;
	struct node *n;

	if (!enter(p))
		return error_node(p, t.loc);
	switch (t.kind) {
	case '-': case '!': case '~':
		next(p);
		n = mk(p, N_UNARY, t.loc, t.kind, parse_unary(p), NULL, NULL);
		break;
	case '+':
		next(p);
		n = parse_unary(p);
		break;
	case '&':
		next(p);
		n = parse_postfix(p, false);
		if (!is_target(n) && n->kind != N_ERROR) {
			error_at(p, t.loc, "'&' takes a target expression: "
				 "&$var->member, &@var(\"name\") or "
				 "&@cast(...)->member");
			n = error_node(p, t.loc);
			break;
		}
		n = mk(p, N_ADDR, t.loc, '&', n, NULL, NULL);
		break;
	case T_INC: case T_DEC:
		next(p);
		n = parse_unary(p);
		if (!is_lvalue(n)) {
			error_at(p, t.loc, "operand of '%s' is not assignable",
				 token_text(t.kind));
			n = error_node(p, t.loc);
			break;
		}
		n = mk(p, N_INCDEC, t.loc, t.kind, n, NULL, NULL);
		break;
	default:
		n = parse_postfix(p, false);
	}
	leave(p);
	return n;
}

/* Precedence climbing: operators of precedence >= min, left-assoc. */
static struct node *parse_binary(struct parser *p, int min)
{
	struct node *lhs = parse_unary(p);

	for (;;) {
		int op = p->tok.kind, prec = binary_prec(op);
		struct vtc_loc loc = p->tok.loc;
		struct node *rhs;

		if (!prec || prec < min)
			return lhs;
		if (op == T_IN) {	/* KEY in NAME */
			lhs = parse_in(p, lhs, 1, lhs->loc);
			continue;
		}
		next(p);
		rhs = parse_binary(p, prec + 1);
		lhs = mk(p, op == T_ANDAND || op == T_OROR ? N_LOGICAL :
			 N_BINARY, loc, op, lhs, rhs, NULL);
	}
}

static struct node *parse_ternary(struct parser *p)
{
	struct node *cond = parse_binary(p, 1), *a, *b;
	struct vtc_loc loc = p->tok.loc;

	if (p->tok.kind != '?')
		return cond;
	if (!enter(p))
		return error_node(p, loc);
	next(p);
	a = parse_expr(p);
	expect(p, ':');
	b = parse_ternary(p);
	leave(p);
	return mk(p, N_TERNARY, loc, '?', cond, a, b);
}

/* Assignment is right-associative; its left side must be a variable. */
static struct node *parse_expr(struct parser *p)
{
	struct node *lhs, *rhs;
	struct vtc_loc loc;
	int op;

	if (!enter(p))
		return error_node(p, p->tok.loc);
	lhs = parse_ternary(p);
	op = p->tok.kind;
	loc = p->tok.loc;
	if (is_assign_op(op)) {
		next(p);
		rhs = parse_expr(p);
		if (!is_lvalue(lhs)) {
			error_at(p, loc, "left side of '%s' is not assignable",
				 token_text(op));
			lhs = error_node(p, loc);
		} else {
			lhs = mk(p, N_ASSIGN, loc, op, lhs, rhs, NULL);
		}
	}
	leave(p);
	return lhs;
}

/* ----------------------------------------------------------- statements */

static bool at_toplevel_keyword(struct parser *p)
{
	return p->tok.kind == T_PROBE || p->tok.kind == T_GLOBAL ||
	       p->tok.kind == T_FUNCTION;
}

/*
 * After an error inside a block: skip to just after a ';', or to a '}'
 * closing the current block, or to a declaration keyword.
 */
static void sync_stmt(struct parser *p)
{
	int depth = 0;

	if (!p->panic)
		return;
	while (p->tok.kind != T_EOF) {
		if (p->tok.kind == ';' && depth == 0) {
			next(p);
			break;
		}
		if (p->tok.kind == '}') {
			if (depth == 0)
				break;
			depth--;
		} else if (p->tok.kind == '{') {
			depth++;
		} else if (at_toplevel_keyword(p) && depth == 0) {
			break;
		}
		next(p);
	}
	p->panic = false;
}

static struct node *parse_stmt(struct parser *p);

/* '{' already current. */
static struct node *parse_block(struct parser *p)
{
	struct node *blk = node_new(p->arena, S_BLOCK, p->tok.loc);
	struct node **tail = &blk->a;

	next(p);
	while (p->tok.kind != '}' && p->tok.kind != T_EOF &&
	       !at_toplevel_keyword(p)) {
		int before = p->ntokens;
		struct node *s = parse_stmt(p);

		*tail = s;
		tail = &s->next;
		sync_stmt(p);
		if (p->ntokens == before && p->tok.kind != '}')
			next(p);	/* always make progress */
	}
	expect(p, '}');
	return blk;
}

static struct node *stmt(struct parser *p, enum node_kind kind,
			 struct vtc_loc loc)
{
	return node_new(p->arena, kind, loc);
}

static struct node *parse_for(struct parser *p, struct vtc_loc loc)
{
	struct node *s = stmt(p, S_FOR, loc);

	next(p);
	if (!expect(p, '('))
		return s;
	if (p->tok.kind != ';')
		s->a = parse_expr(p);
	if (!expect(p, ';'))
		return s;
	if (p->tok.kind != ';')
		s->b = parse_expr(p);
	if (!expect(p, ';'))
		return s;
	if (p->tok.kind != ')')
		s->c = parse_expr(p);
	if (!expect(p, ')'))
		return s;
	s->d = parse_stmt(p);
	return s;
}

/* An optional sort marker: +1, -1 or 0. */
static int parse_sort(struct parser *p)
{
	if (accept(p, '+'))
		return 1;
	if (accept(p, '-'))
		return -1;
	return 0;
}

/* Record a sort marker @dir (0: none) on key @sort or the value. */
static void set_sort(struct parser *p, struct foreach_info *fe, int sort,
		     int dir, struct vtc_loc loc)
{
	if (!dir)
		return;
	if (fe->dir) {
		error_at(p, loc, "only one sort marker is allowed in a "
			 "foreach");
		return;
	}
	fe->sort = sort;
	fe->dir = dir;
}

/* A foreach key or value variable. */
static struct node *foreach_var(struct parser *p)
{
	struct node *v;

	if (p->tok.kind != T_IDENT) {
		expected(p, "a variable name");
		return NULL;
	}
	v = array_name(p, p->tok);
	next(p);
	return v;
}

/*
 * foreach ([V[+-] =] (K[+-] | [K1[+-], ...]) in NAME[[KEYS]] [@agg][+-]
 *	    [limit EXPR]) STMT; KEYS may hold '*' (a slice)
 */
static struct node *parse_foreach(struct parser *p, struct vtc_loc loc)
{
	struct node *s = stmt(p, S_FOREACH, loc), **tail = &s->a, *v;
	struct foreach_info *fe = arena_alloc(p->arena, sizeof(*fe));
	struct token arr;
	struct vtc_loc at;
	int dir, op;

	s->fe = fe;
	next(p);
	if (!expect(p, '('))
		return s;
	if (p->tok.kind != '[') {
		at = p->tok.loc;
		if (!(v = foreach_var(p)))
			return s;
		dir = parse_sort(p);
		if (accept(p, '=')) {
			fe->value = v;
			set_sort(p, fe, VT_SORT_VALUE, dir, at);
		} else {
			*tail = v;
			fe->nkeys = 1;
			fe->single = true;
			set_sort(p, fe, 1, dir, at);
		}
	}
	if (!fe->single && p->tok.kind != '[') {	/* V = K in A */
		at = p->tok.loc;
		if (!(*tail = foreach_var(p)))
			return s;
		fe->nkeys = 1;
		fe->single = true;
		set_sort(p, fe, 1, parse_sort(p), at);
	}
	if (!fe->single) {
		next(p);
		do {
			at = p->tok.loc;
			if (!(v = foreach_var(p)))
				return s;
			*tail = v;
			tail = &v->next;
			set_sort(p, fe, ++fe->nkeys, parse_sort(p), at);
		} while (!p->panic && accept(p, ','));
		if (p->panic || !expect(p, ']'))
			return s;
		if (fe->nkeys > (int)VT_MAP_KEYS_MAX) {
			error_at(p, s->a->loc, "%d keys, at most %u",
				 fe->nkeys, VT_MAP_KEYS_MAX);
			return s;
		}
	}
	if (p->panic || !expect(p, T_IN))
		return s;
	arr = p->tok;
	if (!(s->b = foreach_var(p)))
		return s;
	if (p->tok.kind == '[')		/* a slice: NAME[K1, *, ...] */
		s->b = parse_index(p, arr, true);
	at = p->tok.loc;
	if (p->tok.kind == T_AT_IDENT) {
		op = agg_op_of(p->tok.str);
		if (op < 0 || op >= VT_AGG_COUNT_) {
			expected(p, "@count, @sum, @min, @max, @avg or "
				 "@variance");
			return s;
		}
		next(p);
		fe->agg = op;
		fe->agg_written = true;
		if (p->tok.kind != '+' && p->tok.kind != '-') {
			expected(p, "'+' or '-' after the aggregate");
			return s;
		}
	}
	set_sort(p, fe, VT_SORT_VALUE, parse_sort(p), at);
	if (!p->panic && p->tok.kind == T_IDENT &&
	    !strcmp(p->tok.str, "limit")) {
		next(p);
		s->c = parse_expr(p);
	}
	if (p->panic || !expect(p, ')'))
		return s;
	s->d = parse_stmt(p);
	return s;
}

static struct node *parse_stmt_inner(struct parser *p)
{
	struct token t = p->tok;
	struct node *s;

	switch (t.kind) {
	case '{':
		return parse_block(p);
	case ';':
		next(p);
		return stmt(p, S_EMPTY, t.loc);
	case T_IF:
		s = stmt(p, S_IF, t.loc);
		next(p);
		if (!expect(p, '('))
			return s;
		s->a = parse_expr(p);
		if (!expect(p, ')'))
			return s;
		s->b = parse_stmt(p);
		if (accept(p, T_ELSE))
			s->c = parse_stmt(p);
		return s;
	case T_WHILE:
		s = stmt(p, S_WHILE, t.loc);
		next(p);
		if (!expect(p, '('))
			return s;
		s->a = parse_expr(p);
		if (!expect(p, ')'))
			return s;
		s->b = parse_stmt(p);
		return s;
	case T_FOR:
		return parse_for(p, t.loc);
	case T_BREAK:
	case T_CONTINUE:
	case T_NEXT:
		next(p);
		s = stmt(p, t.kind == T_BREAK ? S_BREAK :
			 t.kind == T_CONTINUE ? S_CONTINUE : S_NEXT, t.loc);
		accept(p, ';');
		return s;
	case T_RETURN:
		next(p);
		s = stmt(p, S_RETURN, t.loc);
		if (p->tok.kind != ';' && p->tok.kind != '}' &&
		    p->tok.kind != T_EOF)
			s->a = parse_expr(p);
		if (!p->panic)
			accept(p, ';');
		return s;
	case T_DELETE:
		next(p);
		s = stmt(p, S_DELETE, t.loc);
		if (p->tok.kind != T_IDENT) {
			expected(p, "a variable");
			return s;
		}
		s->a = parse_postfix(p, true);
		if (s->a->kind != N_IDENT && s->a->kind != N_INDEX &&
		    !p->panic)
			error_at(p, s->a->loc, "only variables, arrays and "
				 "array elements can be deleted");
		if (!p->panic)
			accept(p, ';');
		return s;
	case T_TRY:
		next(p);
		s = stmt(p, S_TRY, t.loc);
		if (p->tok.kind != '{') {
			expected(p, "'{'");
			return s;
		}
		s->a = parse_block(p);
		if (p->panic || !expect(p, T_CATCH))
			return s;
		if (accept(p, '(')) {
			if (p->tok.kind != T_IDENT) {
				expected(p, "a variable name");
				return s;
			}
			s->c = parse_primary(p);
			if (!expect(p, ')'))
				return s;
		}
		if (p->tok.kind != '{') {
			expected(p, "'{'");
			return s;
		}
		s->b = parse_block(p);
		return s;
	case T_FOREACH:
		return parse_foreach(p, t.loc);
	case T_CATCH: case T_ELSE: case T_IN: case T_PRIVATE:
		error_at(p, t.loc, "'%s' statements are not supported yet",
			 token_text(t.kind));
		next(p);
		return stmt(p, S_EMPTY, t.loc);
	default:
		s = stmt(p, S_EXPR, t.loc);
		s->a = parse_expr(p);
		if (!p->panic)
			accept(p, ';');
		return s;
	}
}

static struct node *parse_stmt(struct parser *p)
{
	struct node *s;

	if (!enter(p))
		return stmt(p, S_EMPTY, p->tok.loc);
	s = parse_stmt_inner(p);
	leave(p);
	return s;
}

/* --------------------------------------------------------- declarations */

/*
 * A component name: an identifier, a keyword ("function") or '*', glued
 * to the tokens that follow it without a space ("open*", "*at").
 */
static const char *comp_name(struct parser *p)
{
	const char *start = p->tok.start;
	size_t len = p->tok.len;

	next(p);
	while ((is_name_token(p->tok.kind) || p->tok.kind == '*' ||
		p->tok.kind == T_NUMBER) && p->tok.start == start + len) {
		len += p->tok.len;
		next(p);
	}
	return arena_strndup(p->arena, start, len);
}

static struct probe_point *parse_point(struct parser *p)
{
	struct probe_point *pt = arena_alloc(p->arena, sizeof(*pt));
	struct point_comp **tail = &pt->comps;

	pt->loc = p->tok.loc;
	pt->type = -1;
	do {
		struct point_comp *c;

		if (!is_name_token(p->tok.kind) && p->tok.kind != '*') {
			expected(p, "a probe point");
			return pt;
		}
		c = arena_alloc(p->arena, sizeof(*c));
		c->loc = p->tok.loc;
		c->name = comp_name(p);
		*tail = c;
		tail = &c->next;
		if (accept(p, '(')) {
			bool neg = accept(p, '-');

			if (p->tok.kind == T_NUMBER) {
				c->arg = ARG_NUM;
				c->num = neg ?
					 (int64_t)(0 - (uint64_t)p->tok.num) :
					 p->tok.num;
				next(p);
			} else if (p->tok.kind == T_STRING && !neg) {
				c->arg = ARG_STR;
				c->str = p->tok.str;
				next(p);
			} else {
				expected(p, "a string or number");
				return pt;
			}
			if (!expect(p, ')'))
				return pt;
		}
	} while (accept(p, '.'));
	pt->optional = accept(p, '?');
	if (!pt->optional && accept(p, '!'))
		pt->optional = pt->sufficient = true;
	return pt;
}

/* probe NAME = POINTS { ... } / NAME += ...; NAME already parsed. */
static void parse_alias(struct parser *p, struct probe_point *name,
			struct vtc_loc loc)
{
	struct alias *al = arena_alloc(p->arena, sizeof(*al));
	struct probe_point **ptail = &al->points;

	al->loc = loc;
	al->name = name;
	al->epilogue = p->tok.kind == T_ADD_ASSIGN;
	for (struct point_comp *c = name->comps; c; c = c->next)
		if (c->arg != ARG_NONE || strchr(c->name, '*')) {
			error_at(p, c->loc, "an alias name has no arguments "
				 "or wildcards");
			return;
		}
	if (name->optional) {
		error_at(p, name->loc, "an alias name cannot be optional");
		return;
	}
	next(p);	/* '=' or '+=' */
	do {
		struct probe_point *pt = parse_point(p);

		*ptail = pt;
		ptail = &pt->next;
	} while (!p->panic && accept(p, ','));
	if (!p->panic && p->tok.kind != '{')
		expected(p, "'{'");
	if (p->panic)
		return;
	al->body = parse_block(p);
	if (p->panic)
		return;
	*p->atail = al;
	p->atail = &al->next;
}

static void parse_probe(struct parser *p, struct probe ***tail)
{
	struct probe *pr = arena_alloc(p->arena, sizeof(*pr));
	struct probe_point **ptail = &pr->points;

	pr->loc = p->tok.loc;
	next(p);	/* 'probe' */
	if (is_name_token(p->tok.kind)) {
		struct probe_point *first = parse_point(p);

		if (!p->panic && (p->tok.kind == '=' ||
				  p->tok.kind == T_ADD_ASSIGN)) {
			parse_alias(p, first, pr->loc);
			return;
		}
		*ptail = first;
		ptail = &first->next;
		if (p->panic || !accept(p, ','))
			goto points_done;
	}
	do {
		struct probe_point *pt = parse_point(p);

		*ptail = pt;
		ptail = &pt->next;
	} while (!p->panic && accept(p, ','));
points_done:
	if (!p->panic && accept(p, T_IF)) {
		if (expect(p, '(')) {
			pr->cond = parse_expr(p);
			expect(p, ')');
		}
	}
	if (!p->panic && p->tok.kind != '{')
		expected(p, "'{'");
	if (p->panic)
		return;
	pr->body = parse_block(p);
	if (p->panic)
		return;
	**tail = pr;
	*tail = &pr->next;
}

/* A global's initializer: a number, -number or a string. */
static struct node *parse_global_init(struct parser *p)
{
	struct token t = p->tok;

	if (t.kind == T_STRING || t.kind == T_NUMBER)
		return parse_primary(p);
	if (t.kind == '-' && peek(p)->kind == T_NUMBER) {
		next(p);
		return mk(p, N_UNARY, t.loc, '-', parse_primary(p), NULL,
			  NULL);
	}
	expected(p, "a number or string literal");
	return NULL;
}

static void parse_global(struct parser *p, struct global_decl ***tail)
{
	next(p);	/* 'global' */
	do {
		struct global_decl *g;

		if (p->tok.kind != T_IDENT) {
			expected(p, "a variable name");
			return;
		}
		g = arena_alloc(p->arena, sizeof(*g));
		g->loc = p->tok.loc;
		g->name = p->tok.str;
		next(p);
		if (accept(p, '[')) {
			g->array = true;
			if (p->tok.kind == T_NUMBER) {
				if (p->tok.num < 1 ||
				    p->tok.num > (int64_t)VT_MAP_ENTRIES_MAX) {
					error_at(p, p->tok.loc, "array size "
						 "must be in [1, %u]",
						 VT_MAP_ENTRIES_MAX);
					return;
				}
				g->size = (uint32_t)p->tok.num;
				next(p);
			}
			if (!expect(p, ']'))
				return;
		}
		if (accept(p, '%'))
			g->wrap = true;
		if ((g->array || g->wrap) && p->tok.kind == '=') {
			error_at(p, p->tok.loc, "an array cannot have an "
				 "initializer");
			return;
		}
		if (accept(p, '='))
			g->init = parse_global_init(p);
		if (p->panic)
			return;
		**tail = g;
		*tail = &g->next;
	} while (accept(p, ','));
	accept(p, ';');
}

/* An optional ':long' / ':string'; TY_UNKNOWN when absent. */
static enum vtype parse_type_suffix(struct parser *p)
{
	if (!accept(p, ':'))
		return TY_UNKNOWN;
	if (p->tok.kind == T_IDENT && !strcmp(p->tok.str, "long")) {
		next(p);
		return TY_LONG;
	}
	if (p->tok.kind == T_IDENT && !strcmp(p->tok.str, "string")) {
		next(p);
		return TY_STRING;
	}
	expected(p, "'long' or 'string'");
	return TY_UNKNOWN;
}

static void parse_function(struct parser *p, struct function ***tail)
{
	struct function *f = arena_alloc(p->arena, sizeof(*f));

	next(p);	/* 'function' */
	if (p->tok.kind != T_IDENT) {
		expected(p, "a function name");
		return;
	}
	f->loc = p->tok.loc;
	f->name = p->tok.str;
	next(p);
	f->ret = parse_type_suffix(p);
	f->ret_declared = f->ret != TY_UNKNOWN;
	if (p->panic || !expect(p, '('))
		return;
	if (!accept(p, ')')) {
		do {
			struct symbol *y;

			if (p->tok.kind != T_IDENT) {
				expected(p, "a parameter name");
				return;
			}
			if (scope_find(&f->locals, p->tok.str)) {
				error_at(p, p->tok.loc, "duplicate parameter "
					 "'%s'", p->tok.str);
				return;
			}
			y = scope_add(p->arena, &f->locals, p->tok.str,
				      SYM_LOCAL, p->tok.loc);
			next(p);
			y->type = parse_type_suffix(p);
			f->nparams++;
			if (p->panic)
				return;
		} while (accept(p, ','));
		if (!expect(p, ')'))
			return;
	}
	if (p->tok.kind != '{') {
		expected(p, "'{'");
		return;
	}
	f->body = parse_block(p);
	if (p->panic)
		return;
	**tail = f;
	*tail = &f->next;
}

/* Skip to the next declaration keyword outside braces. */
static void sync_toplevel(struct parser *p)
{
	int depth = 0;

	while (p->tok.kind != T_EOF) {
		if (p->tok.kind == '{')
			depth++;
		else if (p->tok.kind == '}' && depth > 0)
			depth--;
		else if (at_toplevel_keyword(p) && depth == 0)
			break;
		next(p);
	}
	p->panic = false;
}

struct script *parse_script(struct diag *d, const char *src,
			    const struct pp_config *cfg)
{
	struct script *s = calloc(1, sizeof(*s));

	if (!s) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	parse_more(d, s, src, cfg, 0);
	return s;
}

void parse_more(struct diag *d, struct script *s, const char *src,
		const struct pp_config *cfg, uint16_t file)
{
	static const struct pp_config none;
	struct probe **ptail = &s->probes;
	struct global_decl **gtail = &s->globals;
	struct function **ftail = &s->functions;
	struct alias **atail = &s->aliases;
	struct parser p = { .diag = d, .arena = &s->arena };

	while (*ptail)
		ptail = &(*ptail)->next;
	while (*gtail)
		gtail = &(*gtail)->next;
	while (*ftail)
		ftail = &(*ftail)->next;
	while (*atail)
		atail = &(*atail)->next;
	p.atail = atail;
	lexer_init(&p.lx, d, &s->arena, src ? src : "", file);
	p.pp = calloc(1, sizeof(*p.pp));
	if (!p.pp) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	*p.pp = (struct preproc){ .lx = &p.lx, .diag = d, .arena = &s->arena,
				  .cfg = cfg ? cfg : &none };
	next(&p);
	while (p.tok.kind != T_EOF) {
		int before = p.ntokens;

		switch (p.tok.kind) {
		case T_PROBE:
			parse_probe(&p, &ptail);
			break;
		case T_GLOBAL:
			parse_global(&p, &gtail);
			break;
		case ';':
			next(&p);
			break;
		case T_FUNCTION:
			parse_function(&p, &ftail);
			break;
		case T_PRIVATE:
			error_at(&p, p.tok.loc, "'%s' declarations are not "
				 "supported yet", token_text(p.tok.kind));
			next(&p);
			break;
		default:
			expected(&p, "'probe', 'global' or 'function'");
			break;
		}
		if (p.panic || p.ntokens == before) {
			if (p.ntokens == before)
				next(&p);
			sync_toplevel(&p);
		}
	}
	free(p.pp);
}

void script_free(struct script *s)
{
	if (!s)
		return;
	arena_free(&s->arena);
	free(s);
}
