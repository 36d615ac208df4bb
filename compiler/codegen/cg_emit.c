// SPDX-License-Identifier: GPL-2.0-only
/* cg_emit.c - emitting instructions and the line table, jump lists,
 * the register and slot stacks, constant folding. */
#include <assert.h>

#include "cg.h"
#include "lang/lexer.h"

int cg_pc(struct cg *g)
{
	return (int)g->p->ncode;
}

int cg_emit(struct cg *g, struct vtc_loc loc, int op, int a, int b,
		int c, int32_t k)
{
	struct vt_insn *in;

	if (!g->have_loc || loc.line != g->last_loc.line ||
	    loc.col != g->last_loc.col || loc.file != g->last_loc.file) {
		struct vt_line_desc *l = VEC_ADD(g->p, lines);

		l->pc = g->p->ncode;
		l->file = loc.file ? cprog_str(g->p, g->d->file_name[loc.file])
				   : g->file_str;
		l->line = loc.line;
		l->col = loc.col;
		g->last_loc = loc;
		g->have_loc = true;
	}
	in = VEC_ADD(g->p, code);
	in->op = (uint8_t)op;
	in->a = (uint8_t)a;
	in->b = (uint8_t)b;
	in->c = (uint8_t)c;
	in->k = k;
	return (int)g->p->ncode - 1;
}

int cg_jump(struct cg *g, struct vtc_loc loc, int op, int r)
{
	return cg_emit(g, loc, op, r, 0, 0, NO_JUMP);
}

void cg_jump_back(struct cg *g, struct vtc_loc loc, int target)
{
	cg_emit(g, loc, VT_OP_JMP, 0, 0, 0, target - (cg_pc(g) + 1));
}

void cg_concat(struct cg *g, int *list, int more)
{
	int j = *list;

	if (more == NO_JUMP)
		return;
	if (j == NO_JUMP) {
		*list = more;
		return;
	}
	while (g->p->code[j].k != NO_JUMP)
		j = g->p->code[j].k;
	g->p->code[j].k = more;
}

static void cg_patch(struct cg *g, int list, int target)
{
	while (list != NO_JUMP) {
		int next = g->p->code[list].k;

		g->p->code[list].k = target - (list + 1);
		list = next;
	}
}

void cg_patch_here(struct cg *g, int list)
{
	cg_patch(g, list, cg_pc(g));
}

/* --------------------------------------------------- register stacks */

int cg_reg_push(struct cg *g)
{
	int r = g->freereg++;

	if (g->freereg > g->maxreg)
		g->maxreg = g->freereg;
	if (g->freereg > VT_UNIT_REGS_MAX)
		g->overflow = true;
	return r;
}

/* Pop @r if it is the top temporary; a local's register stays. */
void cg_reg_pop(struct cg *g, int r)
{
	if (r >= g->nlocal_regs) {
		assert(r == g->freereg - 1);
		g->freereg--;
	}
}

int cg_slot_push(struct cg *g)
{
	int s = g->freeslot++;

	if (g->freeslot > g->maxslot)
		g->maxslot = g->freeslot;
	if (g->freeslot > VT_UNIT_SLOTS_MAX)
		g->overflow = true;
	return s;
}

void cg_slot_pop(struct cg *g, int s)
{
	if (s >= g->nlocal_slots) {
		assert(s == g->freeslot - 1);
		g->freeslot--;
	}
}

/* Pop two temporaries in stack order. */
void cg_reg_pop2(struct cg *g, int a, int b)
{
	if (a > b) {
		cg_reg_pop(g, a);
		cg_reg_pop(g, b);
	} else {
		cg_reg_pop(g, b);
		cg_reg_pop(g, a);
	}
}

void cg_slot_pop2(struct cg *g, int a, int b)
{
	if (a > b) {
		cg_slot_pop(g, a);
		cg_slot_pop(g, b);
	} else {
		cg_slot_pop(g, b);
		cg_slot_pop(g, a);
	}
}

/* ------------------------------------------------------ constant folding */

bool cg_is_local(const struct node *n)
{
	return n->kind == N_IDENT && n->sym && n->sym->kind == SYM_LOCAL;
}

/* Fold literal long arithmetic; never a faulting division. */
bool cg_fold(const struct node *n, int64_t *v)
{
	int64_t a, b;
	uint64_t ua, ub;

	switch (n->kind) {
	case N_NUM:
		*v = n->num;
		return true;
	case N_UNARY:
		if (!cg_fold(n->a, &a))
			return false;
		*v = n->op == '-' ? (int64_t)(0 - (uint64_t)a) :
		     n->op == '~' ? ~a : !a;
		return true;
	case N_BINARY:
		if (n->op == '.' || n->a->type != TY_LONG ||
		    !cg_fold(n->a, &a) || !cg_fold(n->b, &b))
			return false;
		ua = (uint64_t)a;
		ub = (uint64_t)b;
		switch (n->op) {
		case '+': *v = (int64_t)(ua + ub); return true;
		case '-': *v = (int64_t)(ua - ub); return true;
		case '*': *v = (int64_t)(ua * ub); return true;
		case '/': case '%':
			if (b == 0 || (a == INT64_MIN && b == -1))
				return false;
			*v = n->op == '/' ? a / b : a % b;
			return true;
		case '&': *v = a & b; return true;
		case '|': *v = a | b; return true;
		case '^': *v = a ^ b; return true;
		case T_SHL: *v = (int64_t)(ua << (ub & 63)); return true;
		case T_SHR:
			*v = (int64_t)(ua >> (ub & 63));
			if (a < 0 && (ub & 63))
				*v |= (int64_t)(~(uint64_t)0 <<
						(64 - (ub & 63)));
			return true;
		case T_EQ: *v = a == b; return true;
		case T_NE: *v = a != b; return true;
		case '<': *v = a < b; return true;
		case T_LE: *v = a <= b; return true;
		case '>': *v = a > b; return true;
		case T_GE: *v = a >= b; return true;
		default: return false;
		}
	case N_LOGICAL:
		if (!cg_fold(n->a, &a) || !cg_fold(n->b, &b))
			return false;
		*v = n->op == T_ANDAND ? (a && b) : (a || b);
		return true;
	default:
		return false;
	}
}

void cg_load_const(struct cg *g, struct vtc_loc loc, int dst,
		   int64_t v)
{
	if (v >= INT32_MIN && v <= INT32_MAX)
		cg_emit(g, loc, VT_OP_LDI, dst, 0, 0, (int32_t)v);
	else
		cg_emit(g, loc, VT_OP_LDC, dst, 0, 0, cprog_const(g->p, v));
}

