// SPDX-License-Identifier: GPL-2.0-only
/*
 * cg_expr.c - expressions: values into registers (long) or slots
 * (string), conditions as jump lists, expressions whose value is unused.
 * Array elements, `in`, @aggregates and `<<<` are cg_map.c's, whose keys
 * are expressions again: the one mutual recursion of pass 3.
 */
#include <assert.h>

#include "cg.h"
#include "lang/lexer.h"
#include "sema/builtins.h"

int cg_long(struct cg *g, struct node *n)
{
	int r;

	if (cg_is_local(n))
		return n->sym->index;
	r = cg_reg_push(g);
	cg_long_into(g, n, r);
	return r;
}

int cg_str(struct cg *g, struct node *n)
{
	int s;

	if (cg_is_local(n))
		return n->sym->index;
	s = cg_slot_push(g);
	cg_str_into(g, n, s);
	return s;
}

static int binary_opcode(int op)
{
	switch (op) {
	case '+': return VT_OP_ADD;
	case '-': return VT_OP_SUB;
	case '*': return VT_OP_MUL;
	case '/': return VT_OP_DIV;
	case '%': return VT_OP_MOD;
	case '&': return VT_OP_AND;
	case '|': return VT_OP_OR;
	case '^': return VT_OP_XOR;
	case T_SHL: return VT_OP_SHL;
	case T_SHR: return VT_OP_SHR;
	case T_EQ: return VT_OP_EQ;
	case T_NE: return VT_OP_NE;
	case '<': return VT_OP_LT;
	case T_LE: return VT_OP_LE;
	case '>': return VT_OP_GT;
	case T_GE: return VT_OP_GE;
	default: return VT_OP_NOP;
	}
}

static int compound_opcode(int op)
{
	static const int base[] = { '+', '-', '*', '/', '%', T_SHL, T_SHR,
				    '&', '^', '|' };

	return binary_opcode(base[op - T_ADD_ASSIGN]);
}

/* A helper call: long arguments in consecutive registers, then strings
 * in consecutive slots; the result into @dst (register, slot or 0). */
static void gen_helper(struct cg *g, struct node *n, int dst)
{
	const struct vt_helper_info *h = &vt_helper_info[n->helper];
	const char *kinds = builtin_arg_kinds(n->helper);
	int rbase = g->freereg, sbase = g->freeslot, i = 0;

	for (struct node *a = n->a; a; a = a->next, i++) {
		if (kinds[i] != 's')	/* 'l', or 'k' a stack */
			cg_long_into(g, a, cg_reg_push(g));
		else
			cg_str_into(g, a, cg_slot_push(g));
	}
	cg_emit(g, n->loc, VT_OP_CALLH, dst, h->nlong ? rbase : 0,
	     h->nstr ? sbase : 0, n->helper);
	if (builtin_needs_stacks(n->helper))
		g->p->stacks = true;
	g->freereg = rbase;
	g->freeslot = sbase;
}

/* A script function call: long arguments in consecutive registers,
 * string arguments in consecutive slots, in parameter order. */
static void gen_call(struct cg *g, struct node *n, int dst)
{
	const struct function *f = n->func;
	const struct symbol *y = f->locals.first;
	int rbase = g->freereg, sbase = g->freeslot, nl = 0, ns = 0;

	for (struct node *a = n->a; a; a = a->next, y = y->next) {
		if (y->type == TY_STRING) {
			cg_str_into(g, a, cg_slot_push(g));
			ns++;
		} else {
			cg_long_into(g, a, cg_reg_push(g));
			nl++;
		}
	}
	cg_emit(g, n->loc, VT_OP_CALL, dst, nl ? rbase : 0, ns ? sbase : 0,
		f->unit);
	g->freereg = rbase;
	g->freeslot = sbase;
}

/*
 * printf, sprintf and the print family: the arguments (from @first) in
 * consecutive registers and slots, then PRINTF, or SPRINTF into @dst.
 */
static void gen_format(struct cg *g, struct node *n, int dst)
{
	int rbase = g->freereg, sbase = g->freeslot, nl = 0, ns = 0, i = 0;
	bool generated = n->builtin != B_PRINTF && n->builtin != B_SPRINTF;
	struct node *first = n->a ? n->a->next : NULL;
	int f;

	if (generated)
		first = n->builtin == B_PRINTD || n->builtin == B_PRINTDLN ||
			n->builtin == B_SPRINTD || n->builtin == B_SPRINTDLN ?
			n->a->next : n->a;
	f = cprog_format(g->p, generated ? n->fmt : n->a->str, n->sig);
	for (struct node *a = first; a; a = a->next, i++) {
		if (n->sig[i] == 's') {
			cg_str_into(g, a, cg_slot_push(g));
			ns++;
		} else {
			cg_long_into(g, a, cg_reg_push(g));
			nl++;
		}
	}
	if (dst < 0)
		cg_emit(g, n->loc, VT_OP_PRINTF, nl ? rbase : 0,
			ns ? sbase : 0, 0, f);
	else
		cg_emit(g, n->loc, VT_OP_SPRINTF, dst, nl ? rbase : 0,
			ns ? sbase : 0, f);
	g->freereg = rbase;
	g->freeslot = sbase;
}

/* Load variable @v (a long) into a register: its own or a new one. */
static int load_long_var(struct cg *g, struct node *v)
{
	int r;

	if (cg_is_local(v))
		return v->sym->index;
	r = cg_reg_push(g);
	cg_emit(g, v->loc, VT_OP_GLD, r, 0, 0, v->sym->index);
	return r;
}

static void store_long_var(struct cg *g, struct node *v, int r)
{
	if (cg_is_local(v)) {
		if (r != v->sym->index)
			cg_emit(g, v->loc, VT_OP_MOV, v->sym->index, r, 0, 0);
	} else {
		cg_emit(g, v->loc, VT_OP_GST, r, 0, 0, v->sym->index);
	}
}

/*
 * Long assignment, compound assignment, ++ and --.  The new value (or,
 * for postfix, the old one) goes to @dst when dst >= 0.
 */
static void gen_long_update(struct cg *g, struct node *n, int dst)
{
	struct node *v = n->a;
	int op, r, x, one;

	if (cg_map_update(g, n, dst))
		return;
	if (n->kind == N_ASSIGN && n->op == '=') {
		if (cg_is_local(v)) {
			cg_long_into(g, n->b, v->sym->index);
			if (dst >= 0 && dst != v->sym->index)
				cg_emit(g, n->loc, VT_OP_MOV, dst,
					v->sym->index, 0, 0);
		} else {
			r = dst >= 0 ? dst : cg_reg_push(g);
			cg_long_into(g, n->b, r);
			cg_emit(g, n->loc, VT_OP_GST, r, 0, 0, v->sym->index);
			if (dst < 0)
				cg_reg_pop(g, r);
		}
		return;
	}
	if (n->kind == N_ASSIGN) {
		op = compound_opcode(n->op);
		r = cg_long(g, n->b);
	} else {
		op = n->op == T_INC ? VT_OP_ADD : VT_OP_SUB;
		r = cg_reg_push(g);
		cg_emit(g, n->loc, VT_OP_LDI, r, 0, 0, 1);
	}
	x = load_long_var(g, v);
	if (n->kind == N_INCDEC && n->post && dst >= 0) {
		/* old value to dst, then update */
		one = cg_reg_push(g);
		cg_emit(g, n->loc, op, one, x, r, 0);
		if (dst != x)
			cg_emit(g, n->loc, VT_OP_MOV, dst, x, 0, 0);
		store_long_var(g, v, one);
		cg_reg_pop(g, one);
		if (!cg_is_local(v))
			cg_reg_pop(g, x);
		cg_reg_pop(g, r);
		return;
	}
	if (cg_is_local(v)) {
		cg_emit(g, n->loc, op, x, x, r, 0);
	} else {
		cg_emit(g, n->loc, op, x, x, r, 0);
		cg_emit(g, n->loc, VT_OP_GST, x, 0, 0, v->sym->index);
	}
	if (dst >= 0 && dst != x)
		cg_emit(g, n->loc, VT_OP_MOV, dst, x, 0, 0);
	if (!cg_is_local(v))
		cg_reg_pop(g, x);
	cg_reg_pop(g, r);
}

/* String assignment and '.='. */
static void gen_str_update(struct cg *g, struct node *n, int dst)
{
	struct node *v = n->a;
	int t, x, r;

	if (cg_map_update(g, n, dst))
		return;
	if (n->op == '=') {
		if (cg_is_local(v)) {
			cg_str_into(g, n->b, v->sym->index);
			if (dst >= 0 && dst != v->sym->index)
				cg_emit(g, n->loc, VT_OP_SMOV, dst,
				     v->sym->index, 0, 0);
		} else {
			t = dst >= 0 ? dst : cg_slot_push(g);
			cg_str_into(g, n->b, t);
			cg_emit(g, n->loc, VT_OP_SGST, t, 0, 0, v->sym->index);
			if (dst < 0)
				cg_slot_pop(g, t);
		}
		return;
	}
	/* '.=': t = x . r, then store t (a fresh slot: no aliasing) */
	t = cg_slot_push(g);
	if (cg_is_local(v)) {
		x = v->sym->index;
	} else {
		x = cg_slot_push(g);
		cg_emit(g, v->loc, VT_OP_SGLD, x, 0, 0, v->sym->index);
	}
	r = cg_str(g, n->b);
	cg_emit(g, n->loc, VT_OP_SCAT, t, x, r, 0);
	if (cg_is_local(v))
		cg_emit(g, n->loc, VT_OP_SMOV, x, t, 0, 0);
	else
		cg_emit(g, n->loc, VT_OP_SGST, t, 0, 0, v->sym->index);
	if (dst >= 0)
		cg_emit(g, n->loc, VT_OP_SMOV, dst, t, 0, 0);
	cg_slot_pop(g, r);
	if (!cg_is_local(v))
		cg_slot_pop(g, x);
	cg_slot_pop(g, t);
}

/* A long or string comparison into @dst. */
static void gen_compare(struct cg *g, struct node *n, int dst)
{
	int op = binary_opcode(n->op), a, b, c, zero;

	if (n->a->type == TY_STRING) {
		a = cg_str(g, n->a);
		b = cg_str(g, n->b);
		c = cg_reg_push(g);
		zero = cg_reg_push(g);
		cg_emit(g, n->loc, VT_OP_SCMP, c, a, b, 0);
		cg_emit(g, n->loc, VT_OP_LDI, zero, 0, 0, 0);
		cg_emit(g, n->loc, op, dst, c, zero, 0);
		cg_reg_pop(g, zero);
		cg_reg_pop(g, c);
		cg_slot_pop2(g, a, b);
		return;
	}
	a = cg_long(g, n->a);
	b = cg_long(g, n->b);
	cg_emit(g, n->loc, op, dst, a, b, 0);
	cg_reg_pop2(g, a, b);
}

void cg_long_into(struct cg *g, struct node *n, int dst)
{
	int64_t v;
	int a, b, f, j;

	if (cg_fold(n, &v)) {
		cg_load_const(g, n->loc, dst, v);
		return;
	}
	switch (n->kind) {
	case N_IDENT:
		if (cg_is_local(n)) {
			if (dst != n->sym->index)
				cg_emit(g, n->loc, VT_OP_MOV, dst,
					n->sym->index, 0, 0);
		} else {
			cg_emit(g, n->loc, VT_OP_GLD, dst, 0, 0, n->sym->index);
		}
		break;
	case N_CALL:
		if (n->func)
			gen_call(g, n, dst);
		else
			gen_helper(g, n, dst);
		break;
	case N_UNARY:
		a = cg_long(g, n->a);
		cg_emit(g, n->loc, n->op == '-' ? VT_OP_NEG : n->op == '~' ?
		     VT_OP_NOT : VT_OP_LNOT, dst, a, 0, 0);
		cg_reg_pop(g, a);
		break;
	case N_BINARY:
		if (n->op == T_MATCH || n->op == T_NOMATCH) {
			a = cg_str(g, n->a);
			cg_emit(g, n->loc, VT_OP_MATCH, dst, a, 0,
				cprog_dfa(g->p, n->b->str));
			if (n->op == T_NOMATCH)
				cg_emit(g, n->loc, VT_OP_LNOT, dst, dst, 0, 0);
			cg_slot_pop(g, a);
			break;
		}
		if (binary_opcode(n->op) >= VT_OP_EQ) {
			gen_compare(g, n, dst);
			break;
		}
		a = cg_long(g, n->a);
		b = cg_long(g, n->b);
		cg_emit(g, n->loc, binary_opcode(n->op), dst, a, b, 0);
		cg_reg_pop2(g, a, b);
		break;
	case N_LOGICAL:
		f = cg_cond_jump(g, n, false);
		cg_emit(g, n->loc, VT_OP_LDI, dst, 0, 0, 1);
		j = cg_jump(g, n->loc, VT_OP_JMP, 0);
		cg_patch_here(g, f);
		cg_emit(g, n->loc, VT_OP_LDI, dst, 0, 0, 0);
		cg_patch_here(g, j);
		break;
	case N_TERNARY:
		f = cg_cond_jump(g, n->a, false);
		cg_long_into(g, n->b, dst);
		j = cg_jump(g, n->loc, VT_OP_JMP, 0);
		cg_patch_here(g, f);
		cg_long_into(g, n->c, dst);
		cg_patch_here(g, j);
		break;
	case N_ASSIGN:
	case N_INCDEC:
		gen_long_update(g, n, dst);
		break;
	case N_INDEX:
	case N_IN:
	case N_AGG:
		cg_map_long(g, n, dst);
		break;
	default:
		assert(!"unexpected long expression");
	}
}

void cg_str_into(struct cg *g, struct node *n, int dst)
{
	int a, b, t, f, j;

	switch (n->kind) {
	case N_STR:
		cg_emit(g, n->loc, VT_OP_SLDC, dst, 0, 0,
		     (int32_t)cprog_str(g->p, n->str));
		break;
	case N_IDENT:
		if (cg_is_local(n)) {
			if (dst != n->sym->index)
				cg_emit(g, n->loc, VT_OP_SMOV, dst,
					n->sym->index, 0, 0);
		} else {
			cg_emit(g, n->loc, VT_OP_SGLD, dst, 0, 0,
				n->sym->index);
		}
		break;
	case N_CALL:
		if (n->func)
			gen_call(g, n, dst);
		else if (n->builtin)
			gen_format(g, n, dst);
		else
			gen_helper(g, n, dst);
		break;
	case N_BINARY:	/* '.' */
		a = cg_str(g, n->a);
		b = cg_str(g, n->b);
		if (dst == a || dst == b) {
			t = cg_slot_push(g);
			cg_emit(g, n->loc, VT_OP_SCAT, t, a, b, 0);
			cg_emit(g, n->loc, VT_OP_SMOV, dst, t, 0, 0);
			cg_slot_pop(g, t);
		} else {
			cg_emit(g, n->loc, VT_OP_SCAT, dst, a, b, 0);
		}
		cg_slot_pop2(g, a, b);
		break;
	case N_TERNARY:
		f = cg_cond_jump(g, n->a, false);
		cg_str_into(g, n->b, dst);
		j = cg_jump(g, n->loc, VT_OP_JMP, 0);
		cg_patch_here(g, f);
		cg_str_into(g, n->c, dst);
		cg_patch_here(g, j);
		break;
	case N_ASSIGN:
		gen_str_update(g, n, dst);
		break;
	case N_INDEX:
		cg_map_str(g, n, dst);
		break;
	default:
		assert(!"unexpected string expression");
	}
}

/* Jumps taken when n's truth equals @sense; falls through otherwise. */
int cg_cond_jump(struct cg *g, struct node *n, bool sense)
{
	int64_t v;
	int list, other, r;

	if (cg_fold(n, &v))
		return (v != 0) == sense ?
			cg_jump(g, n->loc, VT_OP_JMP, 0) : NO_JUMP;
	if (n->kind == N_UNARY && n->op == '!')
		return cg_cond_jump(g, n->a, !sense);
	if (n->kind == N_LOGICAL) {
		bool is_and = n->op == T_ANDAND;

		if (sense != is_and) {
			/* && false / || true: either side decides */
			list = cg_cond_jump(g, n->a, sense);
			cg_concat(g, &list, cg_cond_jump(g, n->b, sense));
			return list;
		}
		other = cg_cond_jump(g, n->a, !sense);
		list = cg_cond_jump(g, n->b, sense);
		cg_patch_here(g, other);
		return list;
	}
	r = cg_long(g, n);
	list = cg_jump(g, n->loc, sense ? VT_OP_JNZ : VT_OP_JZ, r);
	cg_reg_pop(g, r);
	return list;
}

/* An expression whose value is not used. */
void cg_effect(struct cg *g, struct node *n)
{
	const struct vt_helper_info *h;
	int t;

	switch (n->kind) {
	case N_CALL:
		if (n->func) {
			if (n->type == TY_LONG || n->type == TY_STACK) {
				t = cg_reg_push(g);
				gen_call(g, n, t);
				cg_reg_pop(g, t);
			} else if (n->type == TY_STRING) {
				t = cg_slot_push(g);
				gen_call(g, n, t);
				cg_slot_pop(g, t);
			} else {
				gen_call(g, n, 0);
			}
			return;
		}
		if (n->builtin == B_SPRINTF || n->builtin >= B_SPRINT) {
			t = cg_slot_push(g);
			gen_format(g, n, t);
			cg_slot_pop(g, t);
			return;
		}
		if ((n->builtin == B_PRINT || n->builtin == B_PRINTLN) &&
		    !n->fmt) {	/* print(@hist_*(s)) */
			cg_print_pieces(g, n);
			return;
		}
		if (n->builtin) {
			gen_format(g, n, -1);
			return;
		}
		h = &vt_helper_info[n->helper];
		if (h->ret == VT_KIND_V) {
			gen_helper(g, n, 0);
		} else if (h->ret == VT_KIND_L) {
			t = cg_reg_push(g);
			gen_helper(g, n, t);
			cg_reg_pop(g, t);
		} else {
			t = cg_slot_push(g);
			gen_helper(g, n, t);
			cg_slot_pop(g, t);
		}
		return;
	case N_ASSIGN:
	case N_INCDEC:
		if (n->type == TY_STRING)
			gen_str_update(g, n, -1);
		else
			gen_long_update(g, n, -1);
		return;
	default:
		if (n->type == TY_STRING) {
			t = cg_str(g, n);
			cg_slot_pop(g, t);
		} else {
			t = cg_long(g, n);
			cg_reg_pop(g, t);
		}
	}
}
