// SPDX-License-Identifier: GPL-2.0-only
/*
 * print.c - canonical source listing (pass 1) and the resolved listing
 * (pass 2).  Parentheses are printed only where precedence needs them,
 * so printing a reparsed listing gives the same text.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "print.h"
#include "parser.h"
#include "lexer.h"
#include "vtrace_uapi.h"

enum {	/* expression levels, lowest binding first */
	L_ASSIGN = 1, L_TERNARY = 2, L_BINARY0 = 2,	/* + binary_prec */
	L_UNARY = 14, L_POSTFIX = 15, L_PRIMARY = 16
};

static int level(const struct node *n)
{
	switch (n->kind) {
	case N_ASSIGN: return L_ASSIGN;
	case N_TERNARY: return L_TERNARY;
	case N_BINARY: case N_LOGICAL: return L_BINARY0 + binary_prec(n->op);
	case N_IN: return L_BINARY0 + binary_prec(T_IN);
	case N_UNARY: case N_ADDR: return L_UNARY;
	case N_INCDEC: return n->post ? L_POSTFIX : L_UNARY;
	default: return L_PRIMARY;
	}
}

/* A C-like string literal that the lexer reads back to the same bytes. */
void print_string_literal(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '\n': fputs("\\n", out); break;
		case '\t': fputs("\\t", out); break;
		case '\r': fputs("\\r", out); break;
		case '\a': fputs("\\a", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\v': fputs("\\v", out); break;
		case '\\': fputs("\\\\", out); break;
		case '"': fputs("\\\"", out); break;
		default:
			if (c < 32 || c >= 127)
				fprintf(out, "\\%03o", c);
			else
				fputc(c, out);
		}
	}
	fputc('"', out);
}

static void print_expr(FILE *out, const struct node *n, int need);

/* Negative values print as their unsigned bits: no '-' to misparse. */
static void print_num(FILE *out, int64_t v)
{
	if (v < 0)
		fprintf(out, "%" PRIu64, (uint64_t)v);
	else
		fprintf(out, "%" PRId64, v);
}

/* Keys (or arguments) from @k, comma separated. */
static void print_list(FILE *out, const struct node *k)
{
	for (; k; k = k->next) {
		print_expr(out, k, L_ASSIGN);
		if (k->next)
			fputs(", ", out);
	}
}

static const char *const agg_text[] = {
#define AGG_TEXT(name, text) text,
	VT_AGGS(AGG_TEXT)
#undef AGG_TEXT
};

static void print_agg(FILE *out, const struct node *n)
{
	if (n->op == AGG_HIST_LOG || n->op == AGG_HIST_LINEAR)
		fprintf(out, "@%s(", n->op == AGG_HIST_LOG ? "hist_log" :
			"hist_linear");
	else
		fprintf(out, "@%s(", agg_text[n->op]);
	print_expr(out, n->a, L_ASSIGN);
	if (n->op == AGG_HIST_LINEAR) {	/* start, stop, interval */
		const struct node *args[3] = { n->b, n->c, n->d };

		for (int i = 0; i < 3; i++) {
			fputs(", ", out);
			print_expr(out, args[i], L_ASSIGN);
		}
	}
	fputc(')', out);
}

/* ", \"x\"" for an optional string argument @n. */
static void print_string_arg(FILE *out, const struct node *n)
{
	if (!n)
		return;
	fputs(", ", out);
	print_string_literal(out, n->str);
}

/* Target expressions: chains, &, the @ operators, '$' suffixes. */
static void print_target(FILE *out, const struct node *n)
{
	switch (n->kind) {
	case N_MEMBER:
		print_expr(out, n->a, L_PRIMARY);
		fprintf(out, "->%s", n->str);
		break;
	case N_ELEM:
		print_expr(out, n->a, L_PRIMARY);
		fputc('[', out);
		print_expr(out, n->b, L_ASSIGN);
		fputc(']', out);
		break;
	case N_ADDR:
		fputc('&', out);
		print_expr(out, n->a, L_PRIMARY);
		break;
	case N_CAST: case N_VAR:
		fputs(n->kind == N_CAST ? "@cast(" : "@var(", out);
		if (n->a) {
			print_expr(out, n->a, L_ASSIGN);
			fputs(", ", out);
		}
		print_string_literal(out, n->b->str);
		print_string_arg(out, n->c);
		fputc(')', out);
		break;
	case N_DEFINED: case N_CHOOSE:
		fputs(n->kind == N_DEFINED ? "@defined(" : "@choose_defined(",
		      out);
		print_expr(out, n->a, L_ASSIGN);
		if (n->b) {
			fputs(", ", out);
			print_expr(out, n->b, L_ASSIGN);
		}
		fputc(')', out);
		break;
	case N_PRETTY:
		print_expr(out, n->a, L_PRIMARY);
		fputs(n->num == 2 ? "$$" : "$", out);
		break;
	default:	/* N_VARSET */
		fprintf(out, "$$%s%s", n->str,
			n->num == 2 ? "$$" : n->num ? "$" : "");
	}
}

static void print_expr_inner(FILE *out, const struct node *n)
{
	switch (n->kind) {
	case N_NUM:
		print_num(out, n->num);
		break;
	case N_STR:
		print_string_literal(out, n->str);
		break;
	case N_IDENT:
		fputs(n->str, out);
		break;
	case N_POSITIONAL:
		if (n->num < 0)
			fprintf(out, "%c#", n->op);
		else
			fprintf(out, "%c%" PRId64, n->op, n->num);
		break;
	case N_CALL:
		if (n->str[0] == '$' && !n->a) {	/* target variable */
			fputs(n->str, out);
			break;
		}
		fprintf(out, "%s(", n->str);
		for (const struct node *a = n->a; a; a = a->next) {
			print_expr(out, a, L_ASSIGN);
			if (a->next)
				fputs(", ", out);
		}
		fputc(')', out);
		break;
	case N_UNARY:
		/* "- -x", "! ~x": never "--x" or the "!~" operator */
		fputs(token_text(n->op), out);
		if (n->a->kind == N_UNARY ||
		    (n->a->kind == N_INCDEC && !n->a->post))
			fputc(' ', out);
		print_expr(out, n->a, L_UNARY);
		break;
	case N_INCDEC:
		if (!n->post)
			fputs(token_text(n->op), out);
		print_expr(out, n->a, L_POSTFIX);
		if (n->post)
			fputs(token_text(n->op), out);
		break;
	case N_BINARY:
	case N_LOGICAL: {
		int l = level(n);

		print_expr(out, n->a, l);
		fprintf(out, " %s ", token_text(n->op));
		print_expr(out, n->b, l + 1);
		break;
	}
	case N_ASSIGN:
		print_expr(out, n->a, L_POSTFIX);
		fprintf(out, " %s ", token_text(n->op));
		print_expr(out, n->b, L_ASSIGN);
		break;
	case N_INDEX:
		fprintf(out, "%s[", n->str);
		print_list(out, n->b);
		fputc(']', out);
		break;
	case N_IN:
		fputc('[', out);
		print_list(out, n->a);
		fprintf(out, "] in %s", n->str);
		break;
	case N_AGG:
		print_agg(out, n);
		break;
	case N_WILD:
		fputc('*', out);
		break;
	case N_MEMBER: case N_ELEM: case N_ADDR: case N_CAST: case N_VAR:
	case N_DEFINED: case N_CHOOSE: case N_PRETTY: case N_VARSET:
		print_target(out, n);
		break;
	case N_TERNARY:
		print_expr(out, n->a, L_TERNARY + 1);
		fputs(" ? ", out);
		print_expr(out, n->b, L_ASSIGN);
		fputs(" : ", out);
		print_expr(out, n->c, L_TERNARY);
		break;
	default:
		fputs("<error>", out);
	}
}

static void print_expr(FILE *out, const struct node *n, int need)
{
	bool paren = level(n) < need;

	if (paren)
		fputc('(', out);
	print_expr_inner(out, n);
	if (paren)
		fputc(')', out);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputc('\t', out);
}

static void print_stmt(FILE *out, const struct node *s, int depth);

static void print_block_body(FILE *out, const struct node *blk, int depth)
{
	fputs("{\n", out);
	for (const struct node *s = blk->a; s; s = s->next)
		print_stmt(out, s, depth + 1);
	indent(out, depth);
	fputc('}', out);
}

/* A controlled statement: a block on the same line, else indented. */
static void print_body(FILE *out, const struct node *s, int depth)
{
	if (s && s->kind == S_BLOCK) {
		fputc(' ', out);
		print_block_body(out, s, depth);
		fputc('\n', out);
	} else {
		fputc('\n', out);
		if (s)
			print_stmt(out, s, depth + 1);
		else
			indent(out, depth + 1), fputs(";\n", out);
	}
}

static const char *sort_mark(const struct foreach_info *fe, int sort)
{
	return fe->sort != sort ? "" : fe->dir > 0 ? "+" : "-";
}

static void print_foreach(FILE *out, const struct node *s, int depth)
{
	const struct foreach_info *fe = s->fe;
	int i = 1;

	fputs("foreach (", out);
	if (fe->value)
		fprintf(out, "%s = ", fe->value->str);
	if (!fe->single)
		fputc('[', out);
	for (const struct node *k = s->a; k; k = k->next, i++)
		fprintf(out, "%s%s%s", k->str, sort_mark(fe, i),
			k->next ? ", " : "");
	fprintf(out, "%s in ", fe->single ? "" : "]");
	print_expr(out, s->b, L_PRIMARY);	/* NAME or NAME[KEYS] */
	if (fe->agg_written)
		fprintf(out, " @%s", agg_text[fe->agg]);
	fputs(sort_mark(fe, VT_SORT_VALUE), out);
	if (s->c) {
		fputs(" limit ", out);
		print_expr(out, s->c, L_ASSIGN);
	}
	fputc(')', out);
	print_body(out, s->d, depth);
}

static void print_stmt(FILE *out, const struct node *s, int depth)
{
	indent(out, depth);
	switch (s->kind) {
	case S_EXPR:
		print_expr(out, s->a, L_ASSIGN);
		fputs(";\n", out);
		break;
	case S_BLOCK:
		print_block_body(out, s, depth);
		fputc('\n', out);
		break;
	case S_IF:
		fputs("if (", out);
		print_expr(out, s->a, L_ASSIGN);
		fputc(')', out);
		print_body(out, s->b, depth);
		if (s->c) {
			indent(out, depth);
			fputs("else", out);
			print_body(out, s->c, depth);
		}
		break;
	case S_WHILE:
		fputs("while (", out);
		print_expr(out, s->a, L_ASSIGN);
		fputc(')', out);
		print_body(out, s->b, depth);
		break;
	case S_FOR:
		fputs("for (", out);
		if (s->a)
			print_expr(out, s->a, L_ASSIGN);
		fputs("; ", out);
		if (s->b)
			print_expr(out, s->b, L_ASSIGN);
		fputs("; ", out);
		if (s->c)
			print_expr(out, s->c, L_ASSIGN);
		fputc(')', out);
		print_body(out, s->d, depth);
		break;
	case S_FOREACH:
		print_foreach(out, s, depth);
		break;
	case S_BREAK: fputs("break;\n", out); break;
	case S_CONTINUE: fputs("continue;\n", out); break;
	case S_NEXT: fputs("next;\n", out); break;
	case S_TRY:
		fputs("try", out);
		print_body(out, s->a, depth);
		indent(out, depth);
		fputs("catch", out);
		if (s->c)
			fprintf(out, " (%s)", s->c->str);
		print_body(out, s->b, depth);
		break;
	case S_DELETE:
		fputs("delete ", out);
		print_expr(out, s->a, L_ASSIGN);
		fputs(";\n", out);
		break;
	case S_RETURN:
		fputs("return", out);
		if (s->a) {
			fputc(' ', out);
			print_expr(out, s->a, L_ASSIGN);
		}
		fputs(";\n", out);
		break;
	default: fputs(";\n", out); break;
	}
}

static const char *const probe_type_name[] = {
#define VT_PROBE_NAME(name, text) text,
	VT_PROBE_TYPES(VT_PROBE_NAME)
#undef VT_PROBE_NAME
};

static void print_point(FILE *out, const struct probe_point *pt)
{
	for (const struct point_comp *c = pt->comps; c; c = c->next) {
		fputs(c->name, out);
		if (c->arg == ARG_NUM) {
			fprintf(out, "(%" PRId64 ")", c->num);
		} else if (c->arg == ARG_STR) {
			fputc('(', out);
			print_string_literal(out, c->str);
			fputc(')', out);
		}
		if (c->next)
			fputc('.', out);
	}
}

const char *point_text(struct arena *a, const struct probe_point *pt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *r;

	if (!f)
		return "?";
	print_point(f, pt);
	fclose(f);
	r = arena_strndup(a, buf ? buf : "", buf ? len : 0);
	free(buf);
	return r;
}

const char *expr_text(struct arena *a, const struct node *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *r;

	if (!f)
		return "?";
	print_expr(f, n, L_ASSIGN);
	fclose(f);
	r = arena_strndup(a, buf ? buf : "", buf ? len : 0);
	free(buf);
	return r;
}

static void print_resolved_point(FILE *out, const struct probe_point *pt)
{
	if (pt->type < 0 || pt->type >= VT_PROBE_TYPE_COUNT)
		return;
	fprintf(out, " /* %s", probe_type_name[pt->type]);
	if (pt->target)
		fprintf(out, " %s", pt->target);
	if (pt->type == VT_PROBE_TIMER)
		fprintf(out, " every %" PRIu64 " ns", pt->period_ns);
	if (pt->optional)
		fputs(" optional", out);
	fputs(" */", out);
}

/* -p2: a scalar's type, an array's keys and value, a histogram. */
static void print_global_type(FILE *out, const struct symbol *y)
{
	if (!y->nkeys && y->type != TY_STAT) {
		fprintf(out, ":%s", vtype_name(y->type));
		return;
	}
	fputs(" /* ", out);
	if (y->nkeys) {
		fputc('[', out);
		for (int i = 0; i < y->nkeys; i++)
			fprintf(out, "%s%s", i ? ", " : "",
				vtype_name(y->keys[i]));
		fputs("] -> ", out);
	}
	fputs(vtype_name(y->type), out);
	if (y->hist == VT_HIST_LOG)
		fputs(", @hist_log", out);
	else if (y->hist == VT_HIST_LINEAR)
		fprintf(out, ", @hist_linear(%" PRId64 ", %" PRId64 ", %"
			PRId64 ")", y->hstart, y->hstop, y->hinterval);
	fputs(" */", out);
}

static const struct symbol *find_global(const struct script *s,
					const char *name)
{
	return scope_find(&s->gscope, name);
}

void print_script(FILE *out, const struct script *s, bool resolved)
{
	for (const struct global_decl *g = s->globals; g; g = g->next) {
		const struct symbol *y = resolved ? find_global(s, g->name)
						  : NULL;

		fprintf(out, "global %s", g->name);
		if (g->array) {
			fputc('[', out);
			if (g->size)
				fprintf(out, "%u", g->size);
			fputc(']', out);
		}
		if (g->wrap)
			fputc('%', out);
		if (y)
			print_global_type(out, y);
		if (g->init) {
			fputs(" = ", out);
			print_expr(out, g->init, L_ASSIGN);
		}
		fputs("\n", out);
	}
	for (const struct function *f = s->functions; f; f = f->next) {
		const struct symbol *y = f->locals.first;
		bool typed = resolved || f->ret_declared;

		fprintf(out, "function %s", f->name);
		if (typed && f->ret != TY_UNKNOWN && f->ret != TY_VOID)
			fprintf(out, ":%s", vtype_name(f->ret));
		fputs(" (", out);
		for (int i = 0; i < f->nparams; i++, y = y->next) {
			fprintf(out, "%s%s", i ? ", " : "", y->name);
			if (y->type == TY_LONG || y->type == TY_STRING)
				fprintf(out, ":%s", vtype_name(y->type));
		}
		fputs(") {\n", out);
		if (resolved && y) {
			fputs("\t/* locals:", out);
			for (; y; y = y->next)
				fprintf(out, " %s:%s", y->name,
					vtype_name(y->type));
			fputs(" */\n", out);
		}
		for (const struct node *st = f->body->a; st; st = st->next)
			print_stmt(out, st, 1);
		fputs("}\n", out);
	}
	for (const struct alias *al = resolved ? NULL : s->aliases; al;
	     al = al->next) {
		if (al->loc.file)
			continue;	/* a tapset's */
		fputs("probe ", out);
		print_point(out, al->name);
		fputs(al->epilogue ? " += " : " = ", out);
		for (const struct probe_point *pt = al->points; pt;
		     pt = pt->next) {
			print_point(out, pt);
			if (pt->optional)
				fputc(pt->sufficient ? '!' : '?', out);
			if (pt->next)
				fputs(", ", out);
		}
		fputs(" {\n", out);
		for (const struct node *st = al->body->a; st; st = st->next)
			print_stmt(out, st, 1);
		fputs("}\n", out);
	}
	for (const struct probe *p = s->probes; p; p = p->next) {
		fputs("probe ", out);
		for (const struct probe_point *pt = p->points; pt;
		     pt = pt->next) {
			print_point(out, pt);
			if (pt->optional)
				fputc(pt->sufficient ? '!' : '?', out);
			if (resolved)
				print_resolved_point(out, pt);
			if (pt->next)
				fputs(", ", out);
		}
		if (p->cond) {
			fputs(" if (", out);
			print_expr(out, p->cond, L_ASSIGN);
			fputc(')', out);
		}
		fputs(" {\n", out);
		if (resolved && p->locals.first) {
			fputs("\t/* locals:", out);
			for (const struct symbol *y = p->locals.first; y;
			     y = y->next)
				fprintf(out, " %s:%s", y->name,
					vtype_name(y->type));
			fputs(" */\n", out);
		}
		for (const struct node *st = p->body->a; st; st = st->next)
			print_stmt(out, st, 1);
		fputs("}\n", out);
	}
}
