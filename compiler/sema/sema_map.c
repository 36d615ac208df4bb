// SPDX-License-Identifier: GPL-2.0-only
/*
 * sema_map.c - pass 2 for associative arrays, statistics and foreach.
 *
 * Invariants:
 *  - An array is a global used with keys (or declared `global a[N]`); its
 *    number of keys is fixed by its first use in source order (functions
 *    first, as sema binds them first), every other use must agree.
 *  - Key types and the value type are inferred like scalar types: they
 *    only go from unknown to known, and conflicts are reported in the
 *    final pass at the offending use.
 *  - A statistic (type TY_STAT) is a global that gets `<<<` or is read by
 *    an @aggregate; it is never a value.  Its histogram kind comes from
 *    the @hist_* uses, which must agree and have literal parameters.
 *  - AUTOPRINT: `read`/`written` are set by one walk over every unit once
 *    types are known; that walk also rejects changing an array inside a
 *    foreach over it.
 */
#include <stdio.h>
#include <string.h>

#include "sema_int.h"
#include "lang/lexer.h"
#include "vtrace_uapi.h"

static const char *const agg_names[] = {
#define AGG_NAME(name, text) text,
	VT_AGGS(AGG_NAME)
#undef AGG_NAME
};

static const char *agg_name(int op)
{
	return op == AGG_HIST_LOG ? "hist_log" : op == AGG_HIST_LINEAR ?
	       "hist_linear" : op >= 0 && op < VT_AGG_COUNT_ ? agg_names[op] :
	       "?";
}

/* A value type to go on with after reporting a misuse. */
static enum vtype fallback(enum vtype want)
{
	return want == TY_STRING ? TY_STRING : TY_LONG;
}

/* ------------------------------------------------------------ binding */

/* The global array @id names, used with @nkeys keys. */
static struct symbol *bind_array(struct sema *se, struct node *id, int nkeys)
{
	struct symbol *y = scope_find(&se->s->gscope, id->str);

	if (!y && scope_find(se->locals, id->str)) {
		diag_error(se->d, id->loc, "'%s' is a local variable, not an "
			   "array (arrays are globals)", id->str);
		return NULL;
	}
	if (!y) {
		diag_error(se->d, id->loc, "unresolved array '%s' (missing "
			   "global declaration?)", id->str);
		return NULL;
	}
	id->sym = y;
	y->used = true;
	if (!y->nkeys) {
		y->nkeys = nkeys;
		y->array_loc = id->loc;
	} else if (y->nkeys != nkeys) {
		diag_error(se->d, id->loc, "array '%s' has %d key%s (line "
			   "%u), used here with %d", id->str, y->nkeys,
			   y->nkeys == 1 ? "" : "s", y->array_loc.line, nkeys);
	}
	return y;
}

static void bind_keys(struct sema *se, struct node *k)
{
	for (; k; k = k->next)
		sema_bind_expr(se, k);
}

/* A histogram parameter: a literal number. */
static bool hist_param(struct sema *se, struct node *n, int64_t *v)
{
	if (n && n->kind == N_NUM) {
		*v = n->num;
		return true;
	}
	if (n && n->kind == N_UNARY && n->op == '-' && n->a->kind == N_NUM) {
		*v = (int64_t)(0 - (uint64_t)n->a->num);
		return true;
	}
	if (n && n->kind != N_ERROR)
		diag_error(se->d, n->loc, "@hist_linear needs literal numbers "
			   "(start, stop, interval)");
	return false;
}

/* Record @hist_*'s kind and parameters on the statistic @y. */
static void bind_hist(struct sema *se, struct node *n, struct symbol *y)
{
	int kind = n->op == AGG_HIST_LOG ? VT_HIST_LOG : VT_HIST_LINEAR;
	int64_t start = 0, stop = 0, step = 0;

	if (kind == VT_HIST_LINEAR) {
		if (!hist_param(se, n->b, &start) ||
		    !hist_param(se, n->c, &stop) ||
		    !hist_param(se, n->d, &step))
			return;
		if (step <= 0) {
			diag_error(se->d, n->d->loc, "@hist_linear interval "
				   "must be positive");
			return;
		}
		if (stop <= start) {
			diag_error(se->d, n->c->loc, "@hist_linear stop must "
				   "be greater than start");
			return;
		}
		if ((uint64_t)(stop - start) / (uint64_t)step + 3 >
		    VT_HIST_BUCKETS_MAX) {
			diag_error(se->d, n->loc, "@hist_linear needs %llu "
				   "buckets, at most %u",
				   (unsigned long long)((uint64_t)(stop - start)
				   / (uint64_t)step + 3), VT_HIST_BUCKETS_MAX);
			return;
		}
	}
	if (!y->hist) {
		y->hist = kind;
		y->hstart = start;
		y->hstop = stop;
		y->hinterval = step;
		y->hist_loc = n->loc;
	} else if (y->hist != kind || y->hstart != start ||
		   y->hstop != stop || y->hinterval != step) {
		diag_error(se->d, n->loc, "conflicting histograms for '%s': "
			   "another one at line %u", y->name, y->hist_loc.line);
	}
}

/* The operand of an @aggregate or of `<<<`: a global, or an element. */
static struct symbol *bind_stat(struct sema *se, struct node *x,
				const char *what)
{
	if (x->kind == N_INDEX) {
		map_bind_expr(se, x);
		return x->a->sym;
	}
	if (x->kind == N_IDENT) {
		sema_bind_expr(se, x);
		if (x->sym && x->sym->kind != SYM_GLOBAL) {
			diag_error(se->d, x->loc, "statistic '%s' must be a "
				   "global", x->str);
			return NULL;
		}
		return x->sym;
	}
	if (x->kind != N_ERROR)
		diag_error(se->d, x->loc, "the operand of %s must be a "
			   "statistic (a global or an array element)", what);
	return NULL;
}

void map_bind_expr(struct sema *se, struct node *n)
{
	struct symbol *y;
	char what[32];

	switch (n->kind) {
	case N_INDEX:
		bind_keys(se, n->b);
		n->sym = bind_array(se, n->a, (int)n->num);
		break;
	case N_IN:
		bind_keys(se, n->a);
		n->sym = bind_array(se, n->b, (int)n->num);
		break;
	case N_AGG:
		sema_bind_expr(se, n->b);
		sema_bind_expr(se, n->c);
		sema_bind_expr(se, n->d);
		snprintf(what, sizeof(what), "@%s", agg_name(n->op));
		y = bind_stat(se, n->a, what);
		if (y && (n->op == AGG_HIST_LOG || n->op == AGG_HIST_LINEAR))
			bind_hist(se, n, y);
		break;
	default:
		break;
	}
}

static void declare_local(struct sema *se, struct node *x)
{
	if (x && !scope_lookup(se->locals, x->str))
		scope_add(&se->s->arena, se->locals, x->str, SYM_LOCAL,
			  x->loc);
}

/* The key and value variables of a foreach are locals (unless global). */
void map_collect_foreach(struct sema *se, struct node *s)
{
	for (struct node *k = s->a; k; k = k->next)
		declare_local(se, k);
	declare_local(se, s->fe->value);
}

/* The array of foreach @s, or of its slice (whose keys must be as many
 * as the loop's variables). */
void map_bind_foreach(struct sema *se, struct node *s)
{
	struct node *slice = s->b->kind == N_INDEX ? s->b : NULL;
	int nkeys = s->fe->nkeys;
	struct symbol *y;

	for (struct node *k = s->a; k; k = k->next)
		sema_bind_expr(se, k);
	if (s->fe->value)
		sema_bind_expr(se, s->fe->value);
	if (slice)
		bind_keys(se, slice->b);
	sema_bind_expr(se, s->c);
	y = bind_array(se, slice ? slice->a : s->b, nkeys);
	if (slice)
		slice->sym = y;
	if (slice && y && y->nkeys == nkeys && slice->num != nkeys)
		diag_error(se->d, slice->loc, "the slice of '%s' has %d "
			   "key%s, the foreach %d variable%s", slice->str,
			   (int)slice->num, slice->num == 1 ? "" : "s", nkeys,
			   nkeys == 1 ? "" : "s");
}

/* ------------------------------------------------------------- typing */

/* Keys of @y (NULL: unresolved); a slice's '*' has no type. */
static void infer_keys(struct sema *se, struct symbol *y, struct node *k)
{
	for (int i = 0; k; k = k->next, i++) {
		enum vtype want = y && i < y->nkeys ? y->keys[i] : TY_UNKNOWN;
		enum vtype t;

		if (k->kind == N_WILD)
			continue;
		t = sema_infer(se, k, want);
		if (!y || i >= y->nkeys)
			continue;
		sema_learn(se, &y->keys[i], t);
		if (!se->report || t == TY_UNKNOWN)
			continue;
		if (t != TY_LONG && t != TY_STRING && t != TY_STACK)
			diag_error(se->d, k->loc, "an array key must be a long, "
				   "a string or a stack, not %s", t == TY_VOID ?
				   "an expression returning nothing" :
				   vtype_name(t));
		else if (y->keys[i] != t)
			diag_error(se->d, k->loc, "type mismatch: key %d of "
				   "'%s' is %s, used with a %s", i + 1,
				   y->name, vtype_name(y->keys[i]),
				   vtype_name(t));
	}
}

/* Make @x (an N_IDENT or N_INDEX operand of <<< or @agg) a statistic. */
static void infer_stat(struct sema *se, struct node *x)
{
	struct symbol *y;

	if (x->kind == N_INDEX) {
		infer_keys(se, x->a->sym, x->b);
		y = x->a->sym;
	} else if (x->kind == N_IDENT) {
		y = x->sym;
		if (y && y->kind != SYM_GLOBAL) {
			if (se->report)
				diag_error(se->d, x->loc, "statistic '%s' must "
					   "be a global", x->str);
			return;
		}
		if (y && (y->nkeys > 0 || y->declared_array)) {
			if (se->report)
				diag_error(se->d, x->loc, "'%s' is an array: "
					   "use it with keys, as %s[...]",
					   x->str, x->str);
			return;
		}
	} else {
		return;
	}
	if (!y)
		return;
	if (y->type == TY_UNKNOWN) {
		y->type = TY_STAT;
		se->changed = true;
	}
	x->type = TY_STAT;
	if (se->report && y->type != TY_STAT)
		diag_error(se->d, x->loc, "type mismatch: '%s' is %s%s, used "
			   "as a statistic", y->name, y->nkeys ?
			   "an array of " : "", vtype_name(y->type));
}

enum vtype map_check_scalar(struct sema *se, struct node *n, enum vtype want)
{
	struct symbol *y = n->sym;

	if (y->kind != SYM_GLOBAL)
		return TY_UNKNOWN;
	if (y->nkeys > 0 || y->declared_array) {
		if (se->report)
			diag_error(se->d, n->loc, "'%s' is an array: use it "
				   "with keys, as %s[...]", n->str, n->str);
		return fallback(want);
	}
	if (y->type == TY_STAT) {
		if (se->report)
			diag_error(se->d, n->loc, "'%s' is a statistic: read "
				   "it with @count, @sum, @min, @max, @avg or "
				   "@variance", n->str);
		return fallback(want);
	}
	return TY_UNKNOWN;
}

enum vtype map_infer(struct sema *se, struct node *n, enum vtype want)
{
	struct symbol *y;

	switch (n->kind) {
	case N_INDEX:
		y = n->a->sym;
		infer_keys(se, y, n->b);
		if (!y)
			return TY_UNKNOWN;
		if (y->type == TY_STAT) {
			if (se->report)
				diag_error(se->d, n->loc, "'%s' is an array of "
					   "statistics: read an element with "
					   "@count, @sum, @min, @max, @avg or "
					   "@variance", y->name);
			return fallback(want);
		}
		sema_learn(se, &y->type, want);
		return y->type;
	case N_IN:
		infer_keys(se, n->b->sym, n->a);
		return TY_LONG;
	case N_AGG:
		infer_stat(se, n->a);
		if (n->b) {
			sema_expect(se, n->b, TY_LONG);
			sema_expect(se, n->c, TY_LONG);
			sema_expect(se, n->d, TY_LONG);
		}
		if (n->op != AGG_HIST_LOG && n->op != AGG_HIST_LINEAR)
			return TY_LONG;
		if (se->hist_arg == n)
			return TY_HIST;
		if (se->report)
			diag_error(se->d, n->loc, "@%s can only be printed: "
				   "use it as an argument of print or println",
				   agg_name(n->op));
		return fallback(want);
	case N_ASSIGN:	/* x <<< v */
		infer_stat(se, n->a);
		sema_expect(se, n->b, TY_LONG);
		return TY_VOID;
	default:
		return TY_UNKNOWN;
	}
}

/* A foreach variable must be a scalar (a local, or a global scalar). */
static bool loop_var(struct sema *se, struct node *v)
{
	if (!v->sym)
		return false;
	if (!symbol_is_map(v->sym))
		return true;
	if (se->report)
		diag_error(se->d, v->loc, "'%s' is an array or a statistic, "
			   "not a variable for the loop", v->str);
	return false;
}

void map_infer_foreach(struct sema *se, struct node *s)
{
	struct foreach_info *fe = s->fe;
	struct symbol *y = s->b->sym;
	int i = 0;

	if (s->b->kind == N_INDEX)
		infer_keys(se, y, s->b->b);
	if (s->c)
		sema_expect(se, s->c, TY_LONG);
	for (struct node *k = s->a; k && y; k = k->next, i++) {
		enum vtype t;

		if (i >= y->nkeys || !loop_var(se, k))
			continue;
		t = sema_infer(se, k, y->keys[i]);
		sema_learn(se, &y->keys[i], t);
		if (se->report && t != TY_UNKNOWN &&
		    y->keys[i] != TY_UNKNOWN && t != y->keys[i])
			diag_error(se->d, k->loc, "type mismatch: key %d of "
				   "'%s' is %s, '%s' is %s", i + 1, y->name,
				   vtype_name(y->keys[i]), k->str,
				   vtype_name(t));
	}
	if (y && fe->value && loop_var(se, fe->value)) {
		if (y->type == TY_STAT) {
			if (se->report)
				diag_error(se->d, fe->value->loc, "'%s' is an "
					   "array of statistics: its values "
					   "cannot be bound to a variable",
					   y->name);
		} else {
			enum vtype t = sema_infer(se, fe->value, y->type);

			sema_learn(se, &y->type, t);
			if (se->report && t != TY_UNKNOWN &&
			    y->type != TY_UNKNOWN && t != y->type)
				diag_error(se->d, fe->value->loc, "type "
					   "mismatch: '%s' holds %s values, "
					   "'%s' is %s", y->name,
					   vtype_name(y->type),
					   fe->value->str, vtype_name(t));
		}
	}
	if (se->report && y && fe->agg_written && y->type != TY_STAT &&
	    y->type != TY_UNKNOWN)
		diag_error(se->d, s->b->loc, "sorting by @%s needs an array of "
			   "statistics; '%s' holds %s values",
			   agg_name(fe->agg), y->name, vtype_name(y->type));
}

void map_infer_delete(struct sema *se, struct node *s)
{
	struct node *x = s->a;

	if (!x)
		return;
	if (x->kind == N_INDEX) {
		infer_keys(se, x->a->sym, x->b);
		return;
	}
	if (x->kind == N_IDENT && x->sym && symbol_is_map(x->sym))
		return;
	sema_infer(se, x, TY_UNKNOWN);
}

/* ------------------------------------------------ usage and final checks */

/*
 * Uses, as SystemTap counts them for its end-of-run display: `=` and
 * `<<<` only write their target; `++`, `--` and `op=` write it, and read
 * it only where their value is used (@in_rhs: anywhere but an expression
 * statement or a for loop's init and step); delete reads and writes.  A
 * global written and never read is printed.
 */
enum use { USE_READ, USE_WRITE, USE_UPDATE };

static void use_expr(struct sema *se, struct node *n, enum use how,
		     bool in_rhs);

static void use_list(struct sema *se, struct node *k, bool in_rhs)
{
	for (; k; k = k->next)
		use_expr(se, k, USE_READ, in_rhs);
}

static void mark(struct sema *se, struct node *id, enum use how, bool in_rhs)
{
	struct symbol *y = id ? id->sym : NULL;

	if (!y || y->kind != SYM_GLOBAL)
		return;
	if (how == USE_READ || (how == USE_UPDATE && in_rhs))
		y->read = true;
	if (how == USE_READ)
		return;
	y->written = true;
	if (y->iterating)
		diag_error(se->d, id->loc, "'%s' cannot be changed inside a "
			   "foreach over it", y->name);
}

static bool writes_in(struct node *n, const struct symbol *y,
		      unsigned walk);

/* Does calling @f change array @y (directly or through its calls)? */
static bool fn_writes(struct function *f, const struct symbol *y,
		      unsigned walk)
{
	if (f->walk == walk)
		return false;
	f->walk = walk;
	return writes_in(f->body, y, walk);
}

/* Is @y changed by @n or its siblings: a[k] =, op=, ++, <<<, delete? */
static bool writes_in(struct node *n, const struct symbol *y, unsigned walk)
{
	for (; n; n = n->next) {
		struct node *t = n->kind == N_ASSIGN || n->kind == N_INCDEC ||
				 n->kind == S_DELETE ? n->a : NULL;

		if (t && t->kind == N_INDEX)
			t = t->a;
		if (t && t->sym == y)
			return true;
		if (n->kind == N_CALL && n->func &&
		    fn_writes(n->func, y, walk))
			return true;
		if (writes_in(n->a, y, walk) || writes_in(n->b, y, walk) ||
		    writes_in(n->c, y, walk) || writes_in(n->d, y, walk))
			return true;
	}
	return false;
}

/* A call inside a foreach must not change the array being iterated. */
static void check_call(struct sema *se, struct node *n)
{
	for (struct symbol *y = se->s->gscope.first; y; y = y->next)
		if (y->iterating && fn_writes(n->func, y, ++se->walk))
			diag_error(se->d, n->loc, "function '%s' changes '%s' "
				   "inside a foreach over it", n->str,
				   y->name);
}

static void use_expr(struct sema *se, struct node *n, enum use how,
		     bool in_rhs)
{
	bool pure;

	if (!n)
		return;
	switch (n->kind) {
	case N_IDENT:
		mark(se, n, how, in_rhs);
		return;
	case N_INDEX:
		mark(se, n->a, how, in_rhs);
		use_list(se, n->b, true);
		return;
	case N_IN:
		mark(se, n->b, USE_READ, in_rhs);
		use_list(se, n->a, true);
		return;
	case N_CALL:
		if (n->func)
			check_call(se, n);
		use_list(se, n->a, true);
		return;
	case N_ASSIGN:
	case N_INCDEC:
		pure = n->kind == N_ASSIGN && (n->op == '=' || n->op == T_AGG);
		use_expr(se, n->a, pure ? USE_WRITE : USE_UPDATE, in_rhs);
		use_expr(se, n->b, USE_READ, in_rhs || pure);
		return;
	default:
		use_expr(se, n->a, USE_READ, in_rhs);
		use_expr(se, n->b, USE_READ, in_rhs);
		use_expr(se, n->c, USE_READ, in_rhs);
		use_expr(se, n->d, USE_READ, in_rhs);
	}
}

static void use_stmt(struct sema *se, struct node *s)
{
	for (; s; s = s->next) {
		switch (s->kind) {
		case S_BLOCK:
			use_stmt(se, s->a);
			break;
		case S_DELETE:
			use_expr(se, s->a, USE_UPDATE, true);
			break;
		case S_FOREACH:
			mark(se, s->b, USE_READ, false);
			for (struct node *k = s->a; k; k = k->next)
				mark(se, k, USE_WRITE, false);
			if (s->fe->value)
				mark(se, s->fe->value, USE_WRITE, false);
			if (s->b->kind == N_INDEX)	/* a slice's keys */
				use_list(se, s->b->b, true);
			use_expr(se, s->c, USE_READ, true);
			if (s->b->sym)
				s->b->sym->iterating++;
			use_stmt(se, s->d);
			if (s->b->sym)
				s->b->sym->iterating--;
			break;
		case S_TRY:
			use_stmt(se, s->a);
			use_expr(se, s->c, USE_WRITE, false);
			use_stmt(se, s->b);
			break;
		case S_IF:
		case S_WHILE:
			use_expr(se, s->a, USE_READ, true);
			use_stmt(se, s->b);
			use_stmt(se, s->c);
			break;
		case S_FOR:
			use_expr(se, s->a, USE_READ, false);
			use_expr(se, s->b, USE_READ, true);
			use_expr(se, s->c, USE_READ, false);
			use_stmt(se, s->d);
			break;
		default:	/* S_EXPR: its value unused; S_RETURN */
			use_expr(se, s->a, USE_READ, s->kind != S_EXPR);
			break;
		}
	}
}

/* Arrays declared but never used with keys, keys never typed. */
static void settle_arrays(struct sema *se)
{
	for (struct symbol *y = se->s->gscope.first; y; y = y->next) {
		if (y->declared_array && !y->nkeys) {
			y->nkeys = 1;
			y->keys[0] = TY_LONG;
		}
		if (y->init && symbol_is_map(y))
			diag_error(se->d, y->loc, "%s '%s' cannot have an "
				   "initializer", y->nkeys ? "array" :
				   "statistic", y->name);
		for (int i = 0; i < y->nkeys; i++) {
			if (y->keys[i] != TY_UNKNOWN)
				continue;
			diag_error(se->d, y->loc, "cannot infer the type of "
				   "key %d of array '%s'", i + 1, y->name);
			y->keys[i] = TY_LONG;
		}
		if (y->hist && y->type != TY_STAT)
			y->hist = VT_HIST_NONE;
	}
}

void map_finish(struct sema *se)
{
	for (struct probe *p = se->s->probes; p; p = p->next) {
		use_expr(se, p->cond, USE_READ, true);
		use_stmt(se, p->body);
	}
	for (struct function *f = se->s->functions; f; f = f->next)
		if (f->reachable)
			use_stmt(se, f->body);
	settle_arrays(se);
}
