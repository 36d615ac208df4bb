// SPDX-License-Identifier: GPL-2.0-only
/* preproc.c - see preproc.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "preproc.h"

/* The next token before conditionals: from a macro expansion, or lexed. */
static void raw_next(struct preproc *pp, struct token *t)
{
	if (pp->nqueue)
		*t = pp->queue[--pp->nqueue];
	else
		lexer_next(pp->lx, t);
}

/* A condition operand: a string, or a number. */
struct pp_val {
	bool is_num;
	bool is_version;	/* kernel_v / kernel_vr: compare as versions */
	int64_t num;
	char str[128];
};

static void pp_error(struct preproc *pp, struct vtc_loc loc, const char *msg)
{
	if (!pp->failed)
		diag_error(pp->diag, loc, "%s", msg);
	pp->failed = true;
}

/* Compare dotted versions part by part, numerically where both are. */
static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			long long x = strtoll(a, (char **)&a, 10);
			long long y = strtoll(b, (char **)&b, 10);

			if (x != y)
				return x < y ? -1 : 1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return 0;
}

/* CONFIG_NAME's value in the kernel configuration, "" if unset. */
static void kconfig_value(const char *cfg, const char *name, char *out,
			  size_t size)
{
	size_t n = strlen(name);
	const char *line;

	out[0] = 0;
	for (line = cfg; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		const char *v, *end;

		if (strncmp(line, name, n) || line[n] != '=')
			continue;
		v = line + n + 1;
		end = strchr(v, '\n');
		if (!end)
			end = v + strlen(v);
		if (*v == '"' && end > v + 1 && end[-1] == '"') {
			v++;
			end--;
		}
		snprintf(out, size, "%.*s", (int)(end - v), v);
		return;
	}
}

static bool operand(struct preproc *pp, const struct token *t,
		    struct pp_val *v)
{
	const struct pp_config *c = pp->cfg;

	memset(v, 0, sizeof(*v));
	switch (t->kind) {
	case T_NUMBER:
		v->is_num = true;
		v->num = t->num;
		return true;
	case T_STRING:
		snprintf(v->str, sizeof(v->str), "%s", t->str);
		return true;
	case T_DOLLAR_NUM:
	case T_AT_NUM:
		if (t->num != -1)
			break;
		v->is_num = t->kind == T_DOLLAR_NUM;
		v->num = c->nargs;
		snprintf(v->str, sizeof(v->str), "%d", c->nargs);
		return true;
	case T_IDENT:
		if (!strcmp(t->str, "kernel_v") || !strcmp(t->str, "kernel_vr")) {
			const char *r = c->kernel_release ? c->kernel_release : "";
			size_t n = strcspn(r, "-");

			if (!strcmp(t->str, "kernel_vr"))
				n = strlen(r);
			snprintf(v->str, sizeof(v->str), "%.*s", (int)n, r);
			v->is_version = true;
			return true;
		}
		if (!strcmp(t->str, "arch")) {
			snprintf(v->str, sizeof(v->str), "%s",
				 c->arch ? c->arch : "");
			return true;
		}
		if (!strncmp(t->str, "CONFIG_", 7)) {
			kconfig_value(c->kconfig ? c->kconfig : "", t->str,
				      v->str, sizeof(v->str));
			return true;
		}
		break;
	default:
		break;
	}
	pp_error(pp, t->loc, "expected kernel_v, kernel_vr, arch, CONFIG_*, "
		 "$#, @#, a number or a string in a preprocessor condition");
	return false;
}

/* One comparison: OPERAND OP OPERAND; false after an error. */
static bool comparison(struct preproc *pp, bool *result)
{
	struct token a, op, b;
	struct pp_val x, y;
	int c;

	raw_next(pp, &a);
	if (!operand(pp, &a, &x))
		return false;
	raw_next(pp, &op);
	if (op.kind != T_EQ && op.kind != T_NE && op.kind != '<' &&
	    op.kind != T_LE && op.kind != '>' && op.kind != T_GE) {
		pp_error(pp, op.loc, "expected a comparison operator in a "
			 "preprocessor condition");
		return false;
	}
	raw_next(pp, &b);
	if (!operand(pp, &b, &y))
		return false;
	if (x.is_num && y.is_num)
		c = x.num < y.num ? -1 : x.num > y.num;
	else if (x.is_num || y.is_num) {
		pp_error(pp, b.loc, "preprocessor condition compares a number "
			 "with a string");
		return false;
	} else if (x.is_version || y.is_version)
		c = version_cmp(x.str, y.str);
	else
		c = strcmp(x.str, y.str);
	switch (op.kind) {
	case T_EQ: *result = c == 0; break;
	case T_NE: *result = c != 0; break;
	case '<': *result = c < 0; break;
	case T_LE: *result = c <= 0; break;
	case '>': *result = c > 0; break;
	default: *result = c >= 0; break;
	}
	return true;
}

/*
 * CONDITION %?: comparisons joined by && (binding tighter) and ||.
 * Returns 1 true, 0 false, -1 after an error.
 */
static int condition(struct preproc *pp)
{
	bool any = false, all = true, r;
	struct token t;

	for (;;) {
		if (!comparison(pp, &r))
			return -1;
		all = all && r;
		raw_next(pp, &t);
		if (t.kind == T_ANDAND)
			continue;
		any = any || all;
		all = true;
		if (t.kind == T_OROR)
			continue;
		if (t.kind == T_PP_THEN)
			return any;
		pp_error(pp, t.loc, "expected '%?' after the preprocessor "
			 "condition");
		return -1;
	}
}

/* Skip tokens to the %: (if @to_else) or %) that closes this level. */
static int skip(struct preproc *pp, bool to_else)
{
	struct token t;
	int nest = 0;

	for (;;) {
		raw_next(pp, &t);
		if (t.kind == T_EOF) {
			pp_error(pp, t.loc, "missing '%)'");
			return T_EOF;
		}
		if (t.kind == T_PP_OPEN)
			nest++;
		else if (t.kind == T_PP_CLOSE && nest)
			nest--;
		else if (t.kind == T_PP_CLOSE ||
			 (t.kind == T_PP_ELSE && !nest && to_else))
			return t.kind;
	}
}

static struct pp_macro *find_macro(struct preproc *pp, const char *name)
{
	for (struct pp_macro *m = pp->macros; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

/* Tokens up to the %) closing a %( already read; NULL after an error. */
static struct token *collect(struct preproc *pp, int *n)
{
	struct token t, *v = NULL;
	int nest = 0, cap = 0;

	*n = 0;
	for (;;) {
		raw_next(pp, &t);
		if (t.kind == T_EOF) {
			pp_error(pp, t.loc, "missing '%)' after the macro body");
			return NULL;
		}
		if (t.kind == T_PP_OPEN)
			nest++;
		if (t.kind == T_PP_CLOSE && !nest--)
			return v ? v : arena_alloc(pp->arena, sizeof(t));
		if (*n == cap) {
			struct token *w;

			cap = cap ? 2 * cap : 16;
			if (cap > PP_MAX_QUEUE) {
				pp_error(pp, t.loc, "macro body too long");
				return NULL;
			}
			w = arena_alloc(pp->arena, (size_t)cap * sizeof(t));
			if (*n)
				memcpy(w, v, (size_t)*n * sizeof(t));
			v = w;
		}
		v[(*n)++] = t;
	}
}

/* @define NAME [(PARAMS)] %( BODY %) */
static int define(struct preproc *pp, const struct token *at)
{
	struct pp_macro *m = arena_alloc(pp->arena, sizeof(*m));
	struct token t;

	raw_next(pp, &t);
	if (t.kind != T_IDENT) {
		pp_error(pp, t.loc, "expected a macro name after @define");
		return -1;
	}
	if (find_macro(pp, t.str)) {
		pp_error(pp, t.loc, "macro redefined");
		return -1;
	}
	m->name = t.str;
	raw_next(pp, &t);
	if (t.kind == '(') {
		do {
			raw_next(pp, &t);
			if (t.kind == ')' && !m->nparams)
				break;
			if (t.kind != T_IDENT ||
			    m->nparams == PP_MAX_PARAMS) {
				pp_error(pp, t.loc, "expected a macro "
					 "parameter name");
				return -1;
			}
			m->params[m->nparams++] = t.str;
			raw_next(pp, &t);
		} while (t.kind == ',');
		if (t.kind != ')') {
			pp_error(pp, t.loc, "expected ')' after the macro "
				 "parameters");
			return -1;
		}
		raw_next(pp, &t);
	}
	if (t.kind != T_PP_OPEN) {
		pp_error(pp, t.loc, "expected '%(' before the macro body");
		return -1;
	}
	(void)at;
	m->body = collect(pp, &m->nbody);
	if (!m->body)
		return -1;
	m->next = pp->macros;
	pp->macros = m;
	return 0;
}

/* Push @n tokens so that they are read first to last. */
static int push(struct preproc *pp, const struct token *v, int n,
		struct vtc_loc loc)
{
	if (pp->nqueue + n > PP_MAX_QUEUE) {
		pp_error(pp, loc, "macro expansion too long");
		return -1;
	}
	for (int i = n - 1; i >= 0; i--)
		pp->queue[pp->nqueue++] = v[i];
	return 0;
}

/* @NAME [(ARGS)]: its body, parameters replaced, read next. */
static int expand(struct preproc *pp, const struct token *use)
{
	const struct pp_macro *m = find_macro(pp, use->str);
	struct token t, *args[PP_MAX_PARAMS] = { 0 }, *out;
	int nargs[PP_MAX_PARAMS] = { 0 }, cap[PP_MAX_PARAMS] = { 0 };
	int na = 0, depth = 0, nout = 0, k;

	if (++pp->expansions > PP_MAX_EXPANSIONS) {
		pp_error(pp, use->loc, "too many macro expansions");
		return -1;
	}
	if (m->nparams) {
		raw_next(pp, &t);
		if (t.kind != '(') {
			pp_error(pp, t.loc, "expected '(' and the macro's "
				 "arguments");
			return -1;
		}
		for (;;) {
			raw_next(pp, &t);
			if (t.kind == T_EOF) {
				pp_error(pp, t.loc, "missing ')' after the "
					 "macro arguments");
				return -1;
			}
			if (!depth && (t.kind == ',' || t.kind == ')')) {
				na++;
				if (t.kind == ')')
					break;
				if (na == m->nparams)
					break;
				continue;
			}
			if (t.kind == '(')
				depth++;
			else if (t.kind == ')')
				depth--;
			if (nargs[na] == cap[na]) {
				struct token *w;

				cap[na] = cap[na] ? 2 * cap[na] : 8;
				if (cap[na] > PP_MAX_QUEUE) {
					pp_error(pp, t.loc, "macro argument "
						 "too long");
					return -1;
				}
				w = arena_alloc(pp->arena, (size_t)cap[na] *
						sizeof(t));
				if (nargs[na])
					memcpy(w, args[na], (size_t)nargs[na] *
					       sizeof(t));
				args[na] = w;
			}
			args[na][nargs[na]++] = t;
		}
		if (na != m->nparams || t.kind != ')') {
			pp_error(pp, use->loc, "wrong number of macro "
				 "arguments");
			return -1;
		}
	}
	out = malloc(PP_MAX_QUEUE * sizeof(t));
	if (!out)
		abort();
	for (int i = 0; i < m->nbody; i++) {
		const struct token *b = &m->body[i];

		k = -1;
		if (b->kind == T_AT_IDENT)
			for (k = m->nparams - 1; k >= 0; k--)
				if (!strcmp(m->params[k], b->str))
					break;
		if (k < 0) {
			if (nout == PP_MAX_QUEUE)
				goto too_long;
			out[nout++] = *b;
			continue;
		}
		if (nout + nargs[k] > PP_MAX_QUEUE)
			goto too_long;
		if (nargs[k])
			memcpy(out + nout, args[k],
			       (size_t)nargs[k] * sizeof(t));
		nout += nargs[k];
	}
	k = push(pp, out, nout, use->loc);
	free(out);
	return k;
too_long:
	free(out);
	pp_error(pp, use->loc, "macro expansion too long");
	return -1;
}

void pp_next(struct preproc *pp, struct token *t)
{
	int c, k;

	if (pp->failed) {	/* no error cascade after ours */
		lexer_next(pp->lx, t);
		t->kind = T_EOF;
		return;
	}
	for (;;) {
		raw_next(pp, t);
		switch (t->kind) {
		case T_AT_IDENT:
			if (!strcmp(t->str, "define")) {
				if (define(pp, t) < 0) {
					t->kind = T_EOF;
					return;
				}
				continue;
			}
			if (find_macro(pp, t->str)) {
				if (expand(pp, t) < 0) {
					t->kind = T_EOF;
					return;
				}
				continue;
			}
			return;
		case T_PP_OPEN:
			if (pp->depth == PP_MAX_NESTING) {
				pp_error(pp, t->loc, "preprocessor "
					 "conditionals nested too deeply");
				t->kind = T_EOF;
				return;
			}
			c = condition(pp);
			if (c < 0) {
				t->kind = T_EOF;
				return;
			}
			if (c) {
				pp->in_else[pp->depth++] = false;
				continue;
			}
			k = skip(pp, true);
			if (k == T_PP_ELSE)
				pp->in_else[pp->depth++] = true;
			else if (k == T_EOF)
				t->kind = T_EOF;
			if (k == T_EOF)
				return;
			continue;
		case T_PP_ELSE:
			if (!pp->depth || pp->in_else[pp->depth - 1]) {
				pp_error(pp, t->loc, "'%:' without '%('");
				t->kind = T_EOF;
				return;
			}
			pp->depth--;
			if (skip(pp, false) == T_EOF) {
				t->kind = T_EOF;
				return;
			}
			continue;
		case T_PP_CLOSE:
			if (!pp->depth) {
				pp_error(pp, t->loc, "'%)' without '%('");
				t->kind = T_EOF;
				return;
			}
			pp->depth--;
			continue;
		case T_PP_THEN:
			pp_error(pp, t->loc, "'%?' without '%('");
			t->kind = T_EOF;
			return;
		case T_EOF:
			if (pp->depth)
				pp_error(pp, t->loc, "missing '%)'");
			pp->depth = 0;
			return;
		default:
			return;
		}
	}
}
