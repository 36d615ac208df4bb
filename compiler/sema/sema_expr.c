// SPDX-License-Identifier: GPL-2.0-only
/*
 * sema_expr.c - pass 2 for expressions: binding names and calls (helpers,
 * script functions, printf and the print family, $N and @N, target
 * variables through probes/), and their types, asked for and learnt
 * (sema.c runs the steps).  Arrays, statistics and @aggregates are
 * sema_map.c's: the one mutual recursion of the pass is here, an
 * expression may index an array and a key is an expression.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sema_int.h"
#include "builtins.h"
#include "regex.h"
#include "format.h"
#include "lang/suggest.h"
#include "lang/lexer.h"
#include "probes/targetvar.h"
#include "probes/texpr.h"
#include "vt_isa.h"

/* ------------------------------------------------ binding (step 1) */

static int helper_id(const char *name)
{
	for (int i = 0; i < VT_HELPER_COUNT; i++)
		if (!strcmp(vt_helper_info[i].name, name))
			return i;
	return -1;
}

/*
 * The source location of byte @pos of the string literal at @loc, found
 * by decoding its escapes again; @loc itself if the literal is odd.
 */
static struct vtc_loc literal_loc(const struct diag *d, struct vtc_loc loc,
				  size_t pos)
{
	size_t len, i;
	const char *line = diag_line(d, loc.file, loc.line, &len);
	struct vtc_loc at = loc;

	if (loc.col < 1 || loc.col > len || line[loc.col - 1] != '"')
		return loc;
	for (i = loc.col; i < len && line[i] != '"'; pos--) {
		size_t n = 1;

		if (!pos) {
			at.col = (uint32_t)i + 1;
			return at;
		}
		if (line[i] == '\\' && i + 1 < len) {
			n = 2;
			if (line[i + 1] == 'x')
				while (n < 4 && i + n < len &&
				       strchr("0123456789abcdefABCDEF",
					      line[i + n]))
					n++;
			else if (line[i + 1] >= '0' && line[i + 1] <= '7')
				while (n < 4 && i + n < len &&
				       line[i + n] >= '0' && line[i + n] <= '7')
					n++;
		}
		i += n;
	}
	return loc;
}

/* printf's format: a literal whose conversions give the signature. */
static void bind_printf(struct sema *se, struct node *n)
{
	struct node *fmt = n->a;
	char sig[VT_FORMAT_ARGS_MAX + 1], err[128];
	size_t errpos = 0;

	if (!fmt) {
		diag_error(se->d, n->loc, "printf needs a format string");
		return;
	}
	if (fmt->kind != N_STR) {
		if (fmt->kind != N_ERROR)
			diag_error(se->d, fmt->loc, "printf format must be a "
				   "string literal");
		return;
	}
	if (strlen(fmt->str) > VT_STRING_MAX) {
		diag_error(se->d, fmt->loc, "format of %zu bytes, at most %u",
			   strlen(fmt->str), VT_STRING_MAX);
		return;
	}
	if (format_signature(fmt->str, sig, sizeof(sig), err, sizeof(err),
			     &errpos) < 0) {
		diag_error(se->d, literal_loc(se->d, fmt->loc, errpos), "%s",
			   err);
		return;
	}
	n->sig = arena_strndup(&se->s->arena, sig, strlen(sig));
}

static void unresolved(struct sema *se, struct node *n)
{
	struct suggest sg;
	char h[256];

	suggest_init(&sg, n->str);
	for (const struct symbol *y = se->locals->first; y; y = y->next)
		suggest_consider(&sg, y->name);
	for (const struct symbol *y = se->s->gscope.first; y; y = y->next)
		suggest_consider(&sg, y->name);
	suggest_hint(&sg, h, sizeof(h));
	diag_error(se->d, n->loc, "unresolved symbol '%s'%s", n->str, h);
}

static void unknown_function(struct sema *se, struct node *n)
{
	struct suggest sg;
	char h[256];

	suggest_init(&sg, n->str);
	suggest_consider(&sg, "printf");
	for (struct function *f = se->s->functions; f; f = f->next)
		suggest_consider(&sg, f->name);
	for (int i = 0; i < VT_HELPER_COUNT; i++)
		suggest_consider(&sg, vt_helper_info[i].name);
	suggest_hint(&sg, h, sizeof(h));
	diag_error(se->d, n->loc, "unknown function '%s'%s", n->str, h);
}

static const char *const builtin_names[] = {
	[B_PRINTF] = "printf", [B_SPRINTF] = "sprintf", [B_PRINT] = "print",
	[B_PRINTLN] = "println", [B_PRINTD] = "printd",
	[B_PRINTDLN] = "printdln", [B_SPRINT] = "sprint",
	[B_SPRINTLN] = "sprintln", [B_SPRINTD] = "sprintd",
	[B_SPRINTDLN] = "sprintdln",
};

int sema_builtin_id(const char *name)
{
	for (int i = B_PRINTF; i <= B_SPRINTDLN; i++)
		if (!strcmp(builtin_names[i], name))
			return i;
	return B_NONE;
}

static bool builtin_delimited(int b)
{
	return b == B_PRINTD || b == B_PRINTDLN || b == B_SPRINTD ||
	       b == B_SPRINTDLN;
}

/* print, println, printd ...: at least one value; a literal delimiter. */
static void bind_print(struct sema *se, struct node *n)
{
	int nargs = 0;

	for (struct node *a = n->a; a; a = a->next)
		nargs++;
	if (builtin_delimited(n->builtin)) {
		if (!n->a || n->a->kind != N_STR) {
			diag_error(se->d, n->a ? n->a->loc : n->loc, "%s needs "
				   "a string literal delimiter", n->str);
			return;
		}
		nargs--;
	}
	if (nargs < 1 && n->builtin != B_PRINTLN &&
	    n->builtin != B_SPRINTLN)
		diag_error(se->d, n->loc, "%s needs at least one argument",
			   n->str);
	else if (nargs > (int)VT_FORMAT_ARGS_MAX)
		diag_error(se->d, n->loc, "%s takes at most %u arguments",
			   n->str, VT_FORMAT_ARGS_MAX);
}

/* Append @s to @buf (of @size), doubling every '%'. */
static void fmt_append(char *buf, size_t size, const char *s)
{
	size_t n = strlen(buf);

	for (; *s && n + 2 < size; s++) {
		buf[n++] = *s;
		if (*s == '%')
			buf[n++] = '%';
	}
	buf[n] = 0;
}

static void stack_in_probe_string(struct sema *se, struct node *a)
{
	diag_error(se->d, a->loc, "a stack becomes text in user space, not in "
		   "the probe: print it (print, printf) or use it as an "
		   "array key");
}

/* The format and signature of a print-family call, once types are known:
 * a stack prints with VT_FMT_STACK (%S), a long argument. */
static void print_format(struct sema *se, struct node *n)
{
	char fmt[1024] = "", sig[VT_FORMAT_ARGS_MAX + 1];
	struct node *a = n->a;
	const char *delim = NULL;
	int i = 0;

	if (builtin_delimited(n->builtin)) {
		if (!a || a->kind != N_STR)
			return;
		delim = a->str;
		a->type = TY_STRING;
		a = a->next;
	}
	for (; a && i < (int)VT_FORMAT_ARGS_MAX; a = a->next, i++) {
		if (a->type == TY_STACK && n->builtin >= B_SPRINT)
			stack_in_probe_string(se, a);
		if (a->type != TY_LONG && a->type != TY_STRING &&
		    a->type != TY_STACK)
			return;
		if (i && delim)
			fmt_append(fmt, sizeof(fmt), delim);
		strncat(fmt, a->type == TY_LONG ? "%d" :
			a->type == TY_STACK ? "%S" : "%s",
			sizeof(fmt) - strlen(fmt) - 1);
		sig[i] = a->type == TY_STRING ? 's' : 'l';
	}
	sig[i] = 0;
	if (n->builtin == B_PRINTLN || n->builtin == B_PRINTDLN ||
	    n->builtin == B_SPRINTLN || n->builtin == B_SPRINTDLN)
		strncat(fmt, "\n", sizeof(fmt) - strlen(fmt) - 1);
	n->fmt = arena_strndup(&se->s->arena, fmt, strlen(fmt));
	n->sig = arena_strndup(&se->s->arena, sig, strlen(sig));
}

/* $N: argument N as a number; @N: as a string; $# and @#: their count. */
static void bind_positional(struct sema *se, struct node *n)
{
	const char *arg;
	char *end, buf[24];
	long long v;

	if (n->num < 0) {
		snprintf(buf, sizeof(buf), "%d", se->s->nargs);
		arg = buf;
	} else if (n->num < 1 || n->num > se->s->nargs) {
		diag_error(se->d, n->loc, "command line argument index %lld "
			   "out of range [1-%d]", (long long)n->num,
			   se->s->nargs);
		return;
	} else {
		arg = se->s->args[n->num - 1];
	}
	if (n->op == '@') {
		n->kind = N_STR;
		n->str = arena_strndup(&se->s->arena, arg, strlen(arg));
		return;
	}
	errno = 0;
	v = strtoll(arg, &end, 0);
	if (!*arg || *end || errno) {
		diag_error(se->d, n->loc, "command line argument $%lld is not "
			   "a number: '%s'", (long long)n->num, arg);
		return;
	}
	n->kind = N_NUM;
	n->num = v;
}

static struct function *find_function(struct sema *se, const char *name)
{
	for (struct function *f = se->s->functions; f; f = f->next)
		if (!strcmp(f->name, name))
			return f;
	return NULL;
}

/*
 * backtrace(), print_stack(s) ...: rewritten into helper calls, then
 * bound as those (false: not one of them, bind as usual).
 */
static bool bind_stack_fn(struct sema *se, struct node *n)
{
	const char *name = n->str;
	int r = builtin_stack_rewrite(&se->s->arena, n);

	if (r < 0) {
		diag_error(se->d, n->loc, "%s() takes %d argument%s", name,
			   -r - 1, r == -2 ? "" : "s");
		n->kind = N_ERROR;
		return true;
	}
	return false;
}

void sema_bind_expr(struct sema *se, struct node *n)
{
	if (!n)
		return;
	switch (n->kind) {
	case N_IDENT:
		n->sym = scope_lookup(se->locals, n->str);
		if (!n->sym)
			unresolved(se, n);
		else
			n->sym->used = true;
		return;
	case N_POSITIONAL:
		bind_positional(se, n);
		return;
	case N_INDEX:
	case N_IN:
	case N_AGG:
		map_bind_expr(se, n);
		return;
	case N_MEMBER: case N_ELEM: case N_ADDR: case N_CAST: case N_VAR:
	case N_DEFINED: case N_CHOOSE: case N_PRETTY: case N_VARSET:
		/* typed target expressions: plain calls once rewritten */
		if (texpr_rewrite(se->d, &se->s->arena, se->probe, n))
			sema_bind_expr(se, n);
		return;
	case N_CALL:
		if (se->probe &&
		    targetvar_rewrite(se->d, &se->s->arena, se->probe, n))
			return;	/* reported, or bound already */
		if (!find_function(se, n->str) && bind_stack_fn(se, n))
			return;
		n->builtin = sema_builtin_id(n->str);
		if (n->builtin == B_PRINTF || n->builtin == B_SPRINTF) {
			bind_printf(se, n);
		} else if (n->builtin) {
			bind_print(se, n);
		} else if ((n->func = find_function(se, n->str))) {
			n->helper = -1;
		} else {
			int nargs = 0;

			for (struct node *a = n->a; a; a = a->next)
				nargs++;
			n->helper = helper_id(builtin_overload(n->str, nargs));
			if (n->helper < 0)
				unknown_function(se, n);
		}
		for (struct node *a = n->a; a; a = a->next)
			sema_bind_expr(se, a);
		return;
	default:
		sema_bind_expr(se, n->a);
		sema_bind_expr(se, n->b);
		sema_bind_expr(se, n->c);
	}
}

/* ----------------------------------------- types (steps 2 and 3) */

static void mismatch(struct sema *se, struct node *n, enum vtype have,
		     enum vtype want)
{
	if (have == TY_VOID)
		diag_error(se->d, n->loc, "'%s' returns no value%s%s",
			   n->kind == N_CALL ? n->str : "expression",
			   want == TY_UNKNOWN ? "" : ", used as ",
			   want == TY_UNKNOWN ? "" : vtype_name(want));
	else if (have == TY_STACK && want == TY_STRING)
		stack_in_probe_string(se, n);
	else if (n->kind == N_IDENT)
		diag_error(se->d, n->loc, "type mismatch: '%s' is %s, used "
			   "as %s", n->str, vtype_name(have), vtype_name(want));
	else
		diag_error(se->d, n->loc, "type mismatch: %s expression used "
			   "as %s", vtype_name(have), vtype_name(want));
}

enum vtype sema_expect(struct sema *se, struct node *n,
			      enum vtype want)
{
	enum vtype t = sema_infer(se, n, want);

	if (se->report && t != want && t != TY_UNKNOWN)
		mismatch(se, n, t, want);
	return want;
}

/* a and b must have one type (==, =, ?:); returns it. */
static enum vtype unify(struct sema *se, struct node *a, struct node *b,
			enum vtype want, bool assign)
{
	enum vtype ta = sema_infer(se, a, want), tb = sema_infer(se, b, ta);

	if (ta == TY_UNKNOWN && tb != TY_UNKNOWN && tb != TY_VOID)
		ta = sema_infer(se, a, tb);
	if (se->report && (ta == TY_VOID || tb == TY_VOID)) {
		mismatch(se, tb == TY_VOID ? b : a, TY_VOID,
			 tb == TY_VOID ? ta : tb);
		return TY_UNKNOWN;
	}
	if (!se->report || ta == TY_UNKNOWN || tb == TY_UNKNOWN || ta == tb)
		return ta;
	if (assign) {
		diag_error(se->d, b->loc, "type mismatch: '%s' is %s, "
			   "assigned a %s", a->str, vtype_name(ta),
			   vtype_name(tb));
	} else {
		mismatch(se, b, tb, ta);
	}
	return ta;
}

/*
 * printf's %s of stack @a, argument @i: the conversion becomes
 * VT_FMT_STACK and the argument a long (vtrace_uapi.h); sprintf's is an
 * error (its text is made in the probe).
 */
static void printf_stack_arg(struct sema *se, struct node *n, int i,
			     struct node *a)
{
	char *fmt, *sig;
	int pos;

	if (!se->report)
		return;
	if (n->builtin == B_SPRINTF) {
		stack_in_probe_string(se, a);
		return;
	}
	pos = format_arg_conv(n->a->str, i);
	if (pos < 0 || n->a->str[pos] != 's')
		return;
	fmt = arena_strndup(&se->s->arena, n->a->str, strlen(n->a->str));
	sig = arena_strndup(&se->s->arena, n->sig, strlen(n->sig));
	fmt[pos] = VT_FMT_STACK;
	sig[i] = 'l';
	n->a->str = fmt;
	n->sig = sig;
}

static void infer_printf_arg(struct sema *se, struct node *n, int i,
			     struct node *arg)
{
	int pos = format_arg_conv(n->a->str, i);
	enum vtype t;

	if (pos >= 0 && n->a->str[pos] == VT_FMT_STACK) {
		sema_expect(se, arg, TY_STACK);	/* rewritten already */
	} else if (n->sig[i] == 's') {
		t = sema_infer(se, arg, TY_STRING);
		if (t == TY_STACK)
			printf_stack_arg(se, n, i, arg);
		else if (se->report && t != TY_STRING && t != TY_UNKNOWN)
			mismatch(se, arg, t, TY_STRING);
	} else {
		sema_expect(se, arg, TY_LONG);
	}
}

static void infer_printf(struct sema *se, struct node *n)
{
	struct node *arg = n->a ? n->a->next : NULL;
	int nargs, i;

	if (n->a)
		n->a->type = TY_STRING;
	if (!n->sig) {
		for (; arg; arg = arg->next)
			sema_infer(se, arg, TY_UNKNOWN);
		return;
	}
	nargs = (int)strlen(n->sig);
	for (i = 0; arg; arg = arg->next, i++) {
		if (i == nargs) {
			if (se->report)
				diag_error(se->d, arg->loc, "too many "
					   "arguments for printf: the format "
					   "takes %d", nargs);
			return;
		}
		infer_printf_arg(se, n, i, arg);
	}
	if (i < nargs && se->report)
		diag_error(se->d, n->loc, "too few arguments for printf: the "
			   "format takes %d, got %d", nargs, i);
}

/* Learn @y's type from @t (parameters, return values, keys). */
void sema_learn(struct sema *se, enum vtype *y, enum vtype t)
{
	if (*y == TY_UNKNOWN &&
	    (t == TY_LONG || t == TY_STRING || t == TY_STACK)) {
		*y = t;
		se->changed = true;
	}
}

static enum vtype infer_function_call(struct sema *se, struct node *n)
{
	struct function *f = n->func;
	struct symbol *y = f->locals.first;
	int nargs = 0;

	if (!f->reachable) {
		f->reachable = true;
		se->changed = true;
	}
	for (struct node *a = n->a; a; a = a->next)
		nargs++;
	if (nargs != f->nparams) {
		if (se->report)
			diag_error(se->d, n->loc, "function '%s' takes %d "
				   "argument%s, got %d", f->name, f->nparams,
				   f->nparams == 1 ? "" : "s", nargs);
		for (struct node *a = n->a; a; a = a->next)
			sema_infer(se, a, TY_UNKNOWN);
		return f->ret;
	}
	for (struct node *a = n->a; a; a = a->next, y = y->next) {
		enum vtype t = sema_infer(se, a, y->type);

		sema_learn(se, &y->type, t);
		if (se->report && t != y->type && t != TY_UNKNOWN &&
		    y->type != TY_UNKNOWN) {
			if (t == TY_VOID)
				mismatch(se, a, t, y->type);
			else
				diag_error(se->d, a->loc, "type mismatch: "
					   "parameter '%s' of '%s' is %s, "
					   "passed a %s", y->name, f->name,
					   vtype_name(y->type), vtype_name(t));
		}
	}
	return f->ret;
}

static enum vtype infer_call(struct sema *se, struct node *n)
{
	const struct vt_helper_info *h;
	int nargs = 0, i = 0;
	const char *kinds;

	if (n->builtin == B_PRINTF || n->builtin == B_SPRINTF) {
		infer_printf(se, n);
		return n->builtin == B_SPRINTF ? TY_STRING : TY_VOID;
	}
	if (n->builtin) {
		struct node *a = n->a;

		if (builtin_delimited(n->builtin) && a)
			a = a->next;
		for (; a; a = a->next) {
			enum vtype t;

			se->hist_arg = n->builtin == B_PRINT ||
				       n->builtin == B_PRINTLN ? a : NULL;
			t = sema_infer(se, a, TY_UNKNOWN);
			se->hist_arg = NULL;

			if (se->report && t == TY_VOID)
				mismatch(se, a, t, TY_UNKNOWN);
			else if (se->report && t == TY_UNKNOWN &&
				 a->kind != N_ERROR)	/* reported */
				diag_error(se->d, a->loc, "cannot infer the "
					   "type of this %s argument",
					   n->str);
		}
		if (se->report)
			print_format(se, n);
		return n->builtin >= B_SPRINT ? TY_STRING : TY_VOID;
	}
	if (n->func)
		return infer_function_call(se, n);
	if (n->helper < 0)
		return TY_UNKNOWN;
	h = &vt_helper_info[n->helper];
	for (struct node *a = n->a; a; a = a->next)
		nargs++;
	if (nargs != h->nlong + h->nstr) {
		if (se->report)
			diag_error(se->d, n->loc, "%s() takes %d argument%s, "
				   "got %d", n->str, h->nlong + h->nstr,
				   h->nlong + h->nstr == 1 ? "" : "s", nargs);
		return h->ret == VT_KIND_L ? TY_LONG :
		       h->ret == VT_KIND_S ? TY_STRING : TY_VOID;
	}
	/* Helper arguments, in the order builtin_arg_kinds() gives. */
	kinds = builtin_arg_kinds(n->helper);
	for (struct node *a = n->a; a; a = a->next, i++)
		sema_expect(se, a, kinds[i] == 'l' ? TY_LONG :
			    kinds[i] == 'k' ? TY_STACK : TY_STRING);
	if (builtin_stack_result(n->helper))
		return TY_STACK;
	return h->ret == VT_KIND_L ? TY_LONG :
	       h->ret == VT_KIND_S ? TY_STRING : TY_VOID;
}

/* The right side of =~ must be a literal that compiles. */
static void check_regex(struct sema *se, struct node *re)
{
	struct regex_dfa dfa;
	char err[128];
	size_t pos = 0;

	if (re->kind != N_STR) {
		if (re->kind != N_ERROR)
			diag_error(se->d, re->loc, "a regular expression must "
				   "be a string literal");
		return;
	}
	if (regex_compile(re->str, &dfa, err, sizeof(err), &pos) < 0) {
		diag_error(se->d, literal_loc(se->d, re->loc, pos), "%s",
			   err);
		return;
	}
	regex_free(&dfa);
}

static bool is_comparison(int op)
{
	return op == T_EQ || op == T_NE || op == '<' || op == T_LE ||
	       op == '>' || op == T_GE;
}

enum vtype sema_infer(struct sema *se, struct node *n, enum vtype want)
{
	enum vtype t = TY_UNKNOWN;

	switch (n->kind) {
	case N_NUM:
		t = TY_LONG;
		break;
	case N_STR:
		t = TY_STRING;
		break;
	case N_POSITIONAL:
		t = n->op == '$' ? TY_LONG : TY_STRING;
		break;
	case N_IDENT:
		if (!n->sym)
			break;
		if ((t = map_check_scalar(se, n, want)) != TY_UNKNOWN)
			break;
		if (n->sym->type == TY_UNKNOWN &&
		    (want == TY_LONG || want == TY_STRING ||
		     want == TY_STACK)) {
			n->sym->type = want;
			se->changed = true;
		}
		t = n->sym->type;
		break;
	case N_CALL:
		t = infer_call(se, n);
		break;
	case N_INDEX:
	case N_IN:
	case N_AGG:
		t = map_infer(se, n, want);
		break;
	case N_UNARY:
	case N_INCDEC:
	case N_LOGICAL:
		sema_expect(se, n->a, TY_LONG);
		if (n->b)
			sema_expect(se, n->b, TY_LONG);
		t = TY_LONG;
		break;
	case N_BINARY:
		if (n->op == '.') {
			sema_expect(se, n->a, TY_STRING);
			sema_expect(se, n->b, TY_STRING);
			t = TY_STRING;
		} else if (n->op == T_MATCH || n->op == T_NOMATCH) {
			sema_expect(se, n->a, TY_STRING);
			sema_expect(se, n->b, TY_STRING);
			if (se->report)
				check_regex(se, n->b);
			t = TY_LONG;
		} else if (is_comparison(n->op)) {
			unify(se, n->a, n->b, TY_UNKNOWN, false);
			t = TY_LONG;
		} else {
			sema_expect(se, n->a, TY_LONG);
			sema_expect(se, n->b, TY_LONG);
			t = TY_LONG;
		}
		break;
	case N_ASSIGN:
		if (n->op == T_AGG) {
			t = map_infer(se, n, want);
		} else if (n->op == '=') {
			t = unify(se, n->a, n->b, want, true);
		} else {
			t = n->op == T_CAT_ASSIGN ? TY_STRING : TY_LONG;
			sema_expect(se, n->a, t);
			sema_expect(se, n->b, t);
		}
		break;
	case N_TERNARY:
		sema_expect(se, n->a, TY_LONG);
		t = unify(se, n->b, n->c, want, false);
		break;
	default:
		break;
	}
	n->type = t;
	return t;
}
