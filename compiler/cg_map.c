// SPDX-License-Identifier: GPL-2.0-only
/*
 * cg_map.c - pass 3 for associative arrays, statistics and foreach: the
 * MAPS, ITERS and AUTOPRINT tables, the map instructions, and the
 * header's scratch size.
 *
 * Invariants:
 *  - Keys of a map instruction: the long keys in consecutive temporary
 *    registers, the string keys in consecutive temporary slots, each in
 *    key order (push_keys), base 0 when there are none.
 *  - A foreach keeps three temporaries (limit, iteration, entry) for its
 *    whole body; every way out of it (end, break, return, next) passes
 *    an ITEND of the iteration, or of an outer one (which frees the
 *    later ones too).
 *  - `+= -= ++ --` on a long array element whose value is not used is
 *    one MADD, atomic across CPUs.
 */
#include "cg.h"
#include "lexer.h"
#include "sema.h"

/* Where push_keys put the keys, and the stack tops to restore. */
struct keys {
	int rb, sb;		/* operand bases (0 when no key of a kind) */
	int freereg, freeslot;
};

static void push_keys(struct cg *g, const struct symbol *y, struct node *k,
		      struct keys *ks)
{
	int nl = 0, ns = 0;

	ks->freereg = ks->rb = g->freereg;
	ks->freeslot = ks->sb = g->freeslot;
	for (int i = 0; k; k = k->next, i++) {
		if (y->keys[i] == TY_STRING) {
			cg_str_into(g, k, cg_slot_push(g));
			ns++;
		} else {
			cg_long_into(g, k, cg_reg_push(g));
			nl++;
		}
	}
	if (!nl)
		ks->rb = 0;
	if (!ns)
		ks->sb = 0;
}

static void pop_keys(struct cg *g, const struct keys *ks)
{
	g->freereg = ks->freereg;
	g->freeslot = ks->freeslot;
}

static uint32_t max_entries(const struct cg *g, const struct symbol *y)
{
	if (!y->nkeys)
		return 1;
	if (y->max_entries)
		return y->max_entries;
	return g->s->maxmapentries ? g->s->maxmapentries :
	       VTC_DEFAULT_MAXMAPENTRIES;
}

void cg_map_global(struct cg *g, struct symbol *y)
{
	struct vt_map_desc *m;
	char sig[VT_MAP_KEYS_MAX + 1];
	int i;

	for (i = 0; i < y->nkeys && i < (int)VT_MAP_KEYS_MAX; i++)
		sig[i] = y->keys[i] == TY_STRING ? 's' : 'l';
	sig[i] = 0;
	y->index = (int)g->p->nmaps;
	m = VEC_ADD(g->p, maps);
	m->name = cprog_str(g->p, y->name);
	m->keysig = cprog_str(g->p, sig);
	m->max_entries = max_entries(g, y);
	m->vkind = y->type == TY_STAT ? VT_MAPV_STAT :
		   y->type == TY_STRING ? VT_MAPV_STRING : VT_MAPV_LONG;
	m->flags = y->wrap && y->nkeys ? VT_MAP_F_WRAP : 0;
	m->hist = (uint8_t)y->hist;
	if (y->hist == VT_HIST_LOG) {
		m->nbuckets = VT_HIST_LOG_BUCKETS;
	} else if (y->hist == VT_HIST_LINEAR) {
		m->hstart = y->hstart;
		m->hstop = y->hstop;
		m->hinterval = y->hinterval;
		m->nbuckets = (uint32_t)((uint64_t)(y->hstop - y->hstart) /
					 (uint64_t)y->hinterval + 3);
	}
}

/* The statistic an @aggregate, `<<<` or @hist_* names; *keys its keys. */
static struct symbol *stat_of(struct node *x, struct node **keys)
{
	*keys = x->kind == N_INDEX ? x->b : NULL;
	return x->kind == N_INDEX ? x->a->sym : x->sym;
}

void cg_map_long(struct cg *g, struct node *n, int dst)
{
	struct symbol *y;
	struct node *k;
	struct keys ks;
	int op = VT_OP_MGET;
	int32_t mk;

	switch (n->kind) {
	case N_INDEX:
		y = n->a->sym;
		k = n->b;
		break;
	case N_IN:
		y = n->b->sym;
		k = n->a;
		op = VT_OP_MHAS;
		break;
	default:	/* N_AGG */
		y = stat_of(n->a, &k);
		op = VT_OP_SGET;
	}
	mk = y->index;
	if (op == VT_OP_SGET)
		mk |= (int32_t)((uint32_t)n->op << 24);
	push_keys(g, y, k, &ks);
	cg_emit(g, n->loc, op, dst, ks.rb, ks.sb, mk);
	pop_keys(g, &ks);
}

void cg_map_str(struct cg *g, struct node *n, int dst)
{
	struct keys ks;

	push_keys(g, n->a->sym, n->b, &ks);
	cg_emit(g, n->loc, VT_OP_MGET, dst, ks.rb, ks.sb, n->a->sym->index);
	pop_keys(g, &ks);
}

/* s <<< v, s[k] <<< v */
static void gen_stat_add(struct cg *g, struct node *n)
{
	struct node *k;
	struct symbol *y = stat_of(n->a, &k);
	struct keys ks;
	int v;

	push_keys(g, y, k, &ks);
	v = cg_reg_push(g);
	cg_long_into(g, n->b, v);
	cg_emit(g, n->loc, VT_OP_SADD, v, ks.rb, ks.sb, y->index);
	pop_keys(g, &ks);
}

/* a[k] = s, a[k] .= s; the new value to slot @dst if >= 0. */
static void gen_str_elem_update(struct cg *g, struct node *n, int dst)
{
	struct node *x = n->a;
	struct keys ks;
	int t, r, u;

	push_keys(g, x->a->sym, x->b, &ks);
	t = cg_slot_push(g);
	if (n->op == '=') {
		cg_str_into(g, n->b, t);
	} else {
		cg_emit(g, n->loc, VT_OP_MGET, t, ks.rb, ks.sb,
			x->a->sym->index);
		r = cg_slot_push(g);
		cg_str_into(g, n->b, r);
		u = cg_slot_push(g);
		cg_emit(g, n->loc, VT_OP_SCAT, u, t, r, 0);
		cg_emit(g, n->loc, VT_OP_SMOV, t, u, 0, 0);
	}
	cg_emit(g, n->loc, VT_OP_MSET, t, ks.rb, ks.sb, x->a->sym->index);
	if (dst >= 0)
		cg_emit(g, n->loc, VT_OP_SMOV, dst, t, 0, 0);
	pop_keys(g, &ks);
}

/* The operand and operator of a compound update: +1 for ++ etc. */
static int update_opcode(const struct node *n)
{
	static const int base[] = { VT_OP_ADD, VT_OP_SUB, VT_OP_MUL,
				    VT_OP_DIV, VT_OP_MOD, VT_OP_SHL,
				    VT_OP_SHR, VT_OP_AND, VT_OP_XOR,
				    VT_OP_OR };

	if (n->kind == N_INCDEC)
		return n->op == T_INC ? VT_OP_ADD : VT_OP_SUB;
	return base[n->op - T_ADD_ASSIGN];
}

/* a[k] = v, a[k] op= v, a[k]++ ...; the result to register @dst. */
static void gen_long_elem_update(struct cg *g, struct node *n, int dst)
{
	struct node *x = n->a;
	int m = x->a->sym->index, op, old, r, v;
	struct keys ks;

	push_keys(g, x->a->sym, x->b, &ks);
	if (n->kind == N_ASSIGN && n->op == '=') {
		v = cg_reg_push(g);
		cg_long_into(g, n->b, v);
		cg_emit(g, n->loc, VT_OP_MSET, v, ks.rb, ks.sb, m);
		if (dst >= 0)
			cg_emit(g, n->loc, VT_OP_MOV, dst, v, 0, 0);
		pop_keys(g, &ks);
		return;
	}
	op = update_opcode(n);
	r = cg_reg_push(g);
	if (n->kind == N_INCDEC)
		cg_emit(g, n->loc, VT_OP_LDI, r, 0, 0, 1);
	else
		cg_long_into(g, n->b, r);
	if (dst < 0 && (op == VT_OP_ADD || op == VT_OP_SUB)) {
		if (op == VT_OP_SUB)
			cg_emit(g, n->loc, VT_OP_NEG, r, r, 0, 0);
		cg_emit(g, n->loc, VT_OP_MADD, r, ks.rb, ks.sb, m);
		pop_keys(g, &ks);
		return;
	}
	old = cg_reg_push(g);
	v = cg_reg_push(g);
	cg_emit(g, n->loc, VT_OP_MGET, old, ks.rb, ks.sb, m);
	cg_emit(g, n->loc, op, v, old, r, 0);
	cg_emit(g, n->loc, VT_OP_MSET, v, ks.rb, ks.sb, m);
	if (dst >= 0)
		cg_emit(g, n->loc, VT_OP_MOV, dst,
			n->kind == N_INCDEC && n->post ? old : v, 0, 0);
	pop_keys(g, &ks);
}

bool cg_map_update(struct cg *g, struct node *n, int dst)
{
	if (n->kind == N_ASSIGN && n->op == T_AGG) {
		gen_stat_add(g, n);
		return true;
	}
	if (n->a->kind != N_INDEX)
		return false;
	if (n->a->a->sym->type == TY_STRING)
		gen_str_elem_update(g, n, dst);
	else
		gen_long_elem_update(g, n, dst);
	return true;
}

bool cg_map_delete(struct cg *g, struct node *v)
{
	struct keys ks;

	if (v->kind == N_INDEX) {
		push_keys(g, v->a->sym, v->b, &ks);
		cg_emit(g, v->loc, VT_OP_MDEL, 0, ks.rb, ks.sb,
			v->a->sym->index);
		pop_keys(g, &ks);
		return true;
	}
	if (!v->sym || !symbol_is_map(v->sym))
		return false;
	cg_emit(g, v->loc, VT_OP_MCLR, 0, 0, 0, v->sym->index);
	return true;
}

/* print/println with @hist_* arguments: one piece per argument. */
void cg_print_pieces(struct cg *g, struct node *n)
{
	int f, t;

	for (struct node *a = n->a; a; a = a->next) {
		if (a->kind == N_AGG && a->type == TY_HIST) {
			struct node *k;
			struct symbol *y = stat_of(a->a, &k);
			struct keys ks;

			push_keys(g, y, k, &ks);
			cg_emit(g, a->loc, VT_OP_SHIST, 0, ks.rb, ks.sb,
				y->index);
			pop_keys(g, &ks);
		} else if (a->type == TY_STRING) {
			f = cprog_format(g->p, "%s", "s");
			t = cg_slot_push(g);
			cg_str_into(g, a, t);
			cg_emit(g, a->loc, VT_OP_PRINTF, 0, t, 0, f);
			cg_slot_pop(g, t);
		} else {
			f = cprog_format(g->p, "%d", "l");
			t = cg_reg_push(g);
			cg_long_into(g, a, t);
			cg_emit(g, a->loc, VT_OP_PRINTF, t, 0, 0, f);
			cg_reg_pop(g, t);
		}
	}
	if (n->builtin == B_PRINTLN)
		cg_emit(g, n->loc, VT_OP_PRINTF, 0, 0, 0,
			cprog_format(g->p, "\n", ""));
}

/* ------------------------------------------------------------- foreach */

/* Store register or slot @src into variable @v (a local or a global). */
static void store_var(struct cg *g, struct node *v, int src)
{
	bool str = v->sym->type == TY_STRING;

	if (cg_is_local(v)) {
		if (src != v->sym->index)
			cg_emit(g, v->loc, str ? VT_OP_SMOV : VT_OP_MOV,
				v->sym->index, src, 0, 0);
	} else {
		cg_emit(g, v->loc, str ? VT_OP_SGST : VT_OP_GST, src, 0, 0,
			v->sym->index);
	}
}

/* The keys (and value) of entry @ent into the loop's variables. */
static void load_entry(struct cg *g, struct node *s, int ent)
{
	struct symbol *y = s->b->sym;
	int rb = g->freereg, sb = g->freeslot, nl = 0, ns = 0, i = 0, t;
	struct node *v = s->fe->value;

	for (int j = 0; j < y->nkeys; j++) {
		if (y->keys[j] == TY_STRING)
			cg_slot_push(g), ns++;
		else
			cg_reg_push(g), nl++;
	}
	cg_emit(g, s->loc, VT_OP_MKEYS, nl ? rb : 0, ns ? sb : 0, ent,
		y->index);
	nl = ns = 0;
	for (struct node *k = s->a; k; k = k->next, i++)
		store_var(g, k, y->keys[i] == TY_STRING ? sb + ns++ :
			  rb + nl++);
	g->freereg = rb;
	g->freeslot = sb;
	if (!v)
		return;
	if (cg_is_local(v)) {
		cg_emit(g, v->loc, VT_OP_MVAL, v->sym->index, ent, 0,
			y->index);
		return;
	}
	t = v->sym->type == TY_STRING ? cg_slot_push(g) : cg_reg_push(g);
	cg_emit(g, v->loc, VT_OP_MVAL, t, ent, 0, y->index);
	store_var(g, v, t);
	if (v->sym->type == TY_STRING)
		cg_slot_pop(g, t);
	else
		cg_reg_pop(g, t);
}

void cg_foreach(struct cg *g, struct node *s)
{
	struct symbol *y = s->b->sym;
	struct foreach_info *fe = s->fe;
	struct vt_iter_desc *it;
	struct loop lp = { .breaks = NO_JUMP, .continues = NO_JUMP,
			   .foreach = true };
	int lim, ent, exit;

	fe->iter = (int)g->p->niters;
	it = VEC_ADD(g->p, iters);
	it->map = (uint32_t)y->index;
	it->sort = (uint8_t)fe->sort;
	it->dir = (int8_t)fe->dir;
	it->agg = (uint8_t)(y->type == TY_STAT && fe->sort == VT_SORT_VALUE ?
			    fe->agg : 0);
	lim = cg_reg_push(g);
	if (s->c)
		cg_long_into(g, s->c, lim);
	else
		cg_load_const(g, s->loc, lim, max_entries(g, y));
	lp.iter = cg_reg_push(g);
	ent = cg_reg_push(g);
	cg_emit(g, s->loc, VT_OP_ITINIT, lp.iter, lim, 0, fe->iter);
	lp.header = cg_emit(g, s->loc, VT_OP_LOOP, 0, 0, 0, 0);
	exit = cg_emit(g, s->loc, VT_OP_ITNEXT, ent, lp.iter, 0, NO_JUMP);
	load_entry(g, s, ent);
	cg_loop_body(g, &lp, s->d);
	cg_jump_back(g, s->loc, lp.header);
	cg_patch_here(g, exit);
	cg_patch_here(g, lp.breaks);
	cg_emit(g, s->loc, VT_OP_ITEND, lp.iter, 0, 0, 0);
	cg_reg_pop(g, ent);
	cg_reg_pop(g, lp.iter);
	cg_reg_pop(g, lim);
}

void cg_end_iterations(struct cg *g, struct vtc_loc loc)
{
	const struct loop *outer = NULL;

	for (const struct loop *lp = g->loop; lp; lp = lp->outer)
		if (lp->foreach)
			outer = lp;
	if (outer)
		cg_emit(g, loc, VT_OP_ITEND, outer->iter, 0, 0, 0);
}

/* ------------------------------------------------ scratch and AUTOPRINT */

/* Scratch bytes of one iteration over map @m (vm: the sorted entries). */
static uint64_t iter_bytes(const struct cprog *p, uint32_t m)
{
	return (16 + 4ull * p->maps[m].max_entries + 7) & ~7ull;
}

static uint64_t fn_need(struct cg *g, struct function *f);

/* Worst scratch of @n and its siblings: nested foreach, through calls. */
static uint64_t need_list(struct cg *g, struct node *n)
{
	uint64_t worst = 0, x;

	for (; n; n = n->next) {
		if (n->kind == S_FOREACH) {
			x = need_list(g, n->c);
			if (n->b->sym) {
				uint64_t in = iter_bytes(g->p,
					(uint32_t)n->b->sym->index) +
					need_list(g, n->d);

				x = x > in ? x : in;
			}
		} else {
			struct node *kids[4] = { n->a, n->b, n->c, n->d };

			x = n->kind == N_CALL && n->func ?
			    fn_need(g, n->func) : 0;
			for (int i = 0; i < 4; i++) {
				uint64_t k = need_list(g, kids[i]);

				x = x > k ? x : k;
			}
		}
		worst = worst > x ? worst : x;
	}
	return worst;
}

/* Recursion counted once: a function being walked needs nothing more. */
static uint64_t fn_need(struct cg *g, struct function *f)
{
	if (f->scratch_state == 1)
		return 0;
	if (f->scratch_state == 0) {
		f->scratch_state = 1;
		f->scratch_need = need_list(g, f->body);
		f->scratch_state = 2;
	}
	return f->scratch_need;
}

void cg_map_finish(struct cg *g)
{
	uint64_t need = 0;

	for (struct probe *pr = g->s->probes; pr; pr = pr->next) {
		uint64_t x = need_list(g, pr->body);

		need = need > x ? need : x;
	}
	g->p->scratch = (uint32_t)(need > VT_SCRATCH_MAX ? VT_SCRATCH_MAX :
				   need);
	for (struct symbol *y = g->s->gscope.first; y; y = y->next) {
		uint32_t kind = symbol_is_map(y) ? VT_AUTOPRINT_MAP :
				y->type == TY_STRING ? VT_AUTOPRINT_SGLOBAL :
				VT_AUTOPRINT_LGLOBAL;

		if (y->written && !y->read)
			*VEC_ADD(g->p, autoprint) = kind << 24 |
						   (uint32_t)y->index;
	}
}
