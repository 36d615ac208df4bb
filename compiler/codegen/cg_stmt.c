// SPDX-License-Identifier: GPL-2.0-only
/*
 * cg_stmt.c - pass 3 for statements: blocks, if, loops (while, for,
 * foreach), break, continue, next, return, delete and try/catch.  Values
 * and conditions are cg_expr.c's; a foreach's iteration and a delete of
 * an array are cg_map.c's.  Nothing there calls back into statements.
 * See cg.h for the register and jump conventions.
 */
#include "cg.h"

/* ITEND of the outermost foreach of the unit, before return or next:
 * it frees the iterations nested in it too. */
static void end_iterations(struct cg *g, struct vtc_loc loc)
{
	const struct loop *outer = NULL;

	for (const struct loop *lp = g->loop; lp; lp = lp->outer)
		if (lp->foreach)
			outer = lp;
	if (outer)
		cg_emit(g, loc, VT_OP_ITEND, outer->iter, 0, 0, 0);
}

static void gen_loop_body(struct cg *g, struct loop *lp, struct node *body)
{
	lp->outer = g->loop;
	g->loop = lp;
	cg_stmt(g, body);
	g->loop = lp->outer;
}

/* delete: an array, an element or a slice (cg_map.c); a scalar back to
 * 0 or "". */
static void gen_delete(struct cg *g, struct node *v)
{
	int t;

	if (cg_map_delete(g, v))
		return;
	if (v->type == TY_STRING) {
		t = cg_is_local(v) ? v->sym->index : cg_slot_push(g);
		cg_emit(g, v->loc, VT_OP_SLDC, t, 0, 0, 0);
		if (!cg_is_local(v)) {
			cg_emit(g, v->loc, VT_OP_SGST, t, 0, 0, v->sym->index);
			cg_slot_pop(g, t);
		}
		return;
	}
	t = cg_is_local(v) ? v->sym->index : cg_reg_push(g);
	cg_emit(g, v->loc, VT_OP_LDI, t, 0, 0, 0);
	if (!cg_is_local(v)) {
		cg_emit(g, v->loc, VT_OP_GST, t, 0, 0, v->sym->index);
		cg_reg_pop(g, t);
	}
}

/* return [EXPR]: from a function, after ending its iterations. */
static void gen_return(struct cg *g, struct node *s)
{
	int r;

	if (!s->a) {
		end_iterations(g, s->loc);
		cg_emit(g, s->loc, VT_OP_RET, 0, 0, 0, 0);
		return;
	}
	if (s->a->type == TY_STRING) {
		r = cg_str(g, s->a);
		end_iterations(g, s->loc);
		cg_emit(g, s->loc, VT_OP_RETS, r, 0, 0, 0);
		cg_slot_pop(g, r);
	} else {
		r = cg_long(g, s->a);
		end_iterations(g, s->loc);
		cg_emit(g, s->loc, VT_OP_RETL, r, 0, 0, 0);
		cg_reg_pop(g, r);
	}
}

/*
 * try A catch (M) B: a handler covers A's code and continues at B with
 * the message in M's slot.  It is added after A's own (inner) handlers.
 * Units are generated one after the other, so HANDLERS comes out grouped
 * by unit in unit order, each inside its unit, as the loader requires.
 */
static void gen_try(struct cg *g, struct node *s)
{
	int start = cg_pc(g), end, j;
	struct vt_handler_desc *h;

	cg_stmt(g, s->a);
	end = cg_pc(g);
	if (end == start) {	/* nothing can fault */
		return;
	}
	j = cg_jump(g, s->loc, VT_OP_JMP, 0);
	h = VEC_ADD(g->p, handlers);
	h->start = (uint32_t)start;
	h->end = (uint32_t)end;
	h->target = (uint32_t)cg_pc(g);
	if (s->c) {
		h->flags = VT_HANDLER_F_MSG;
		h->slot = (uint16_t)s->c->sym->index;
	}
	cg_stmt(g, s->b);
	cg_patch_here(g, j);
}

/* foreach: its iteration around the body, which is a loop's. */
static void gen_foreach(struct cg *g, struct node *s)
{
	struct loop lp = { .breaks = NO_JUMP, .continues = NO_JUMP,
			   .foreach = true };
	struct cg_foreach fl;

	cg_foreach_open(g, s, &lp, &fl);
	gen_loop_body(g, &lp, s->d);
	cg_foreach_close(g, s, &lp, &fl);
}

void cg_stmt(struct cg *g, struct node *s)
{
	struct loop lp;
	int f, j;

	for (; s; s = s->next) {
		switch (s->kind) {
		case S_EXPR:
			cg_effect(g, s->a);
			break;
		case S_BLOCK:
			cg_stmt(g, s->a);
			break;
		case S_IF:
			f = cg_cond_jump(g, s->a, false);
			cg_stmt(g, s->b);
			if (s->c) {
				j = cg_jump(g, s->loc, VT_OP_JMP, 0);
				cg_patch_here(g, f);
				cg_stmt(g, s->c);
				cg_patch_here(g, j);
			} else {
				cg_patch_here(g, f);
			}
			break;
		case S_WHILE:
		case S_FOR:
			lp = (struct loop){ .breaks = NO_JUMP,
					    .continues = NO_JUMP };
			if (s->kind == S_FOR && s->a)
				cg_effect(g, s->a);
			lp.header = cg_emit(g, s->loc, VT_OP_LOOP, 0, 0, 0, 0);
			lp.has_step = s->kind == S_FOR && s->c;
			f = NO_JUMP;
			if (s->kind == S_WHILE || s->b)
				f = cg_cond_jump(g, s->kind == S_WHILE ? s->a :
					      s->b, false);
			gen_loop_body(g, &lp, s->kind == S_WHILE ? s->b :
				      s->d);
			cg_patch_here(g, lp.continues);
			if (lp.has_step)
				cg_effect(g, s->c);
			cg_jump_back(g, s->loc, lp.header);
			cg_patch_here(g, f);
			cg_patch_here(g, lp.breaks);
			break;
		case S_BREAK:
			cg_concat(g, &g->loop->breaks,
				     cg_jump(g, s->loc, VT_OP_JMP, 0));
			break;
		case S_CONTINUE:
			if (g->loop->has_step)
				cg_concat(g, &g->loop->continues,
					     cg_jump(g, s->loc, VT_OP_JMP, 0));
			else
				cg_jump_back(g, s->loc, g->loop->header);
			break;
		case S_NEXT:
			end_iterations(g, s->loc);
			cg_concat(g, &g->nexts,
				     cg_jump(g, s->loc, VT_OP_JMP, 0));
			break;
		case S_RETURN:
			gen_return(g, s);
			break;
		case S_DELETE:
			gen_delete(g, s->a);
			break;
		case S_TRY:
			gen_try(g, s);
			break;
		case S_FOREACH:
			gen_foreach(g, s);
			break;
		default:
			break;
		}
	}
}
