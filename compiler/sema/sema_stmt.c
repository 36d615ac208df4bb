// SPDX-License-Identifier: GPL-2.0-only
/*
 * sema_stmt.c - pass 2 for statements: the locals a body declares, then
 * binding and typing blocks, conditions, loops, foreach, try/catch,
 * return, next and delete.  Expressions are sema_expr.c's; what is
 * particular to arrays in a foreach or a delete, sema_map.c's.  Nothing
 * there calls back into statements.
 */
#include "sema_int.h"
#include "lang/lexer.h"

/* Declare, as locals, the non-global names assigned in @n. */
static void collect_expr(struct sema *se, struct node *n)
{
	if (!n)
		return;
	if ((n->kind == N_ASSIGN || n->kind == N_INCDEC) &&
	    n->a->kind == N_IDENT && n->op != T_AGG &&
	    !scope_lookup(se->locals, n->a->str))
		scope_add(&se->s->arena, se->locals, n->a->str,
			  SYM_LOCAL, n->a->loc);
	if (n->kind == N_CALL) {
		for (struct node *a = n->a; a; a = a->next)
			collect_expr(se, a);
		return;
	}
	collect_expr(se, n->a);
	collect_expr(se, n->b);
	collect_expr(se, n->c);
}

/* Statements: a block's are chained by ->next; a body is one statement. */
void sema_collect_stmt(struct sema *se, struct node *s)
{
	for (; s; s = s->next) {
		if (s->kind == S_BLOCK) {
			sema_collect_stmt(se, s->a);
			continue;
		}
		if (s->kind == S_EXPR || s->kind == S_IF ||
		    s->kind == S_WHILE || s->kind == S_FOR ||
		    s->kind == S_RETURN)
			collect_expr(se, s->a);
		if (s->kind == S_TRY) {
			if (s->c && !scope_lookup(se->locals, s->c->str))
				scope_add(&se->s->arena, se->locals, s->c->str,
					  SYM_LOCAL, s->c->loc);
			sema_collect_stmt(se, s->a);
			sema_collect_stmt(se, s->b);
			continue;
		}
		if (s->kind == S_DELETE && s->a && s->a->kind == N_IDENT &&
		    !scope_lookup(se->locals, s->a->str))
			scope_add(&se->s->arena, se->locals, s->a->str,
				  SYM_LOCAL, s->a->loc);
		if (s->kind == S_FOREACH) {
			map_collect_foreach(se, s);
			collect_expr(se, s->c);
			sema_collect_stmt(se, s->d);
		} else if (s->kind == S_FOR) {
			collect_expr(se, s->b);
			collect_expr(se, s->c);
			sema_collect_stmt(se, s->d);
		} else if (s->kind == S_IF || s->kind == S_WHILE) {
			sema_collect_stmt(se, s->b);
			sema_collect_stmt(se, s->c);
		}
	}
}

void sema_bind_stmt(struct sema *se, struct node *s)
{
	for (; s; s = s->next) {
		switch (s->kind) {
		case S_BLOCK:
			sema_bind_stmt(se, s->a);
			break;
		case S_IF:
			sema_bind_expr(se, s->a);
			sema_bind_stmt(se, s->b);
			sema_bind_stmt(se, s->c);
			break;
		case S_WHILE:
			sema_bind_expr(se, s->a);
			se->loops++;
			sema_bind_stmt(se, s->b);
			se->loops--;
			break;
		case S_FOR:
			sema_bind_expr(se, s->a);
			sema_bind_expr(se, s->b);
			sema_bind_expr(se, s->c);
			se->loops++;
			sema_bind_stmt(se, s->d);
			se->loops--;
			break;
		case S_FOREACH:
			map_bind_foreach(se, s);
			se->loops++;
			sema_bind_stmt(se, s->d);
			se->loops--;
			break;
		case S_BREAK:
		case S_CONTINUE:
			if (!se->loops)
				diag_error(se->d, s->loc, "'%s' outside a loop",
					   s->kind == S_BREAK ? "break" :
					   "continue");
			break;
		case S_EXPR:
			sema_bind_expr(se, s->a);
			break;
		case S_DELETE:
			sema_bind_expr(se, s->a);
			break;
		case S_TRY:
			sema_bind_stmt(se, s->a);
			sema_bind_expr(se, s->c);
			sema_bind_stmt(se, s->b);
			break;
		case S_RETURN:
			if (!se->func)
				diag_error(se->d, s->loc, "'return' outside a "
					   "function");
			else if (s->a)
				se->func->returns_value = true;
			sema_bind_expr(se, s->a);
			break;
		case S_NEXT:
			if (se->func)
				diag_error(se->d, s->loc, "'next' inside a "
					   "function is not supported");
			break;
		default:
			break;
		}
	}
}

void sema_infer_stmt(struct sema *se, struct node *s)
{
	for (; s; s = s->next) {
		switch (s->kind) {
		case S_BLOCK:
			sema_infer_stmt(se, s->a);
			break;
		case S_EXPR:
			sema_infer(se, s->a, TY_UNKNOWN);
			break;
		case S_IF:
			sema_expect(se, s->a, TY_LONG);
			sema_infer_stmt(se, s->b);
			sema_infer_stmt(se, s->c);
			break;
		case S_WHILE:
			sema_expect(se, s->a, TY_LONG);
			sema_infer_stmt(se, s->b);
			break;
		case S_DELETE:
			map_infer_delete(se, s);
			break;
		case S_FOREACH:
			map_infer_foreach(se, s);
			sema_infer_stmt(se, s->d);
			break;
		case S_TRY:
			sema_infer_stmt(se, s->a);
			if (s->c)
				sema_expect(se, s->c, TY_STRING);
			sema_infer_stmt(se, s->b);
			break;
		case S_RETURN:
			if (s->a && se->func) {
				struct function *f = se->func;
				enum vtype t = sema_infer(se, s->a, f->ret);

				sema_learn(se, &f->ret, t);
				if (se->report && t != f->ret &&
				    t != TY_UNKNOWN)
					diag_error(se->d, s->a->loc, "type "
						   "mismatch: function '%s' "
						   "returns %s, here a %s",
						   f->name, vtype_name(f->ret),
						   vtype_name(t));
			}
			break;
		case S_FOR:
			if (s->a)
				sema_infer(se, s->a, TY_UNKNOWN);
			if (s->b)
				sema_expect(se, s->b, TY_LONG);
			if (s->c)
				sema_infer(se, s->c, TY_UNKNOWN);
			sema_infer_stmt(se, s->d);
			break;
		default:
			break;
		}
	}
}
