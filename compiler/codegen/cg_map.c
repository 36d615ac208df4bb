// SPDX-License-Identifier: GPL-2.0-only
/*
 * cg_map.c - pass 3 for associative arrays, statistics and foreach: the
 * MAPS, ITERS and AUTOPRINT tables, the map instructions, a foreach's
 * iteration around its body (the body itself is cg_stmt.c's), and the
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
 *  - A slice (a[*, k]) evaluates its fixed keys once, before its loop,
 *    into temporaries that live for the whole loop; an entry whose keys
 *    differ from them goes back to the loop's LOOP before anything else
 *    (key variables, limit count, body) sees it.  `delete a[*, k]` and
 *    `[*, k] in a` are such loops over an unsorted, unlimited iteration
 *    (an entry deleted after ITINIT is skipped, so deleting as we go is
 *    safe); a slice with no fixed key is the whole array.
 */
#include "cg.h"
#include "lang/lexer.h"

/*
 * A slice's '*' keys take no place: only its fixed keys are pushed.
 * Each key is an expression (cg_expr.c), and an expression may read an
 * array (cg_map_long, here): the one mutual recursion of pass 3, bounded
 * by the tree's height (VTC_MAX_DEPTH).
 */
static void push_keys(struct cg *g, const struct symbol *y, struct node *k,
		      struct cg_keys *ks)
{
	int nl = 0, ns = 0;

	ks->freereg = ks->rb = g->freereg;
	ks->freeslot = ks->sb = g->freeslot;
	for (int i = 0; k; k = k->next, i++) {
		if (k->kind == N_WILD)
			continue;
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

static void pop_keys(struct cg *g, const struct cg_keys *ks)
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
	return g->s->maxmapentries;
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
	for (i = 0; i < y->nkeys && i < (int)VT_MAP_KEYS_MAX; i++)
		if (y->keys[i] == TY_STACK)
			m->stackrefs |= 1u << i;
	if (y->type == TY_STACK)
		m->stackrefs |= VT_MAP_STACKREF_VALUE;
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

/* ------------------------------------------------------------- slices */

static bool all_wild(const struct node *k)
{
	for (; k; k = k->next)
		if (k->kind != N_WILD)
			return false;
	return true;
}

/* MKEYS of entry @ent of @y into new temporaries, described by @ek. */
static void entry_keys(struct cg *g, const struct symbol *y,
		       struct vtc_loc loc, int ent, struct cg_keys *ek)
{
	int nl = 0, ns = 0;

	ek->freereg = ek->rb = g->freereg;
	ek->freeslot = ek->sb = g->freeslot;
	for (int i = 0; i < y->nkeys; i++) {
		if (y->keys[i] == TY_STRING)
			cg_slot_push(g), ns++;
		else
			cg_reg_push(g), nl++;
	}
	if (!nl)
		ek->rb = 0;
	if (!ns)
		ek->sb = 0;
	cg_emit(g, loc, VT_OP_MKEYS, ek->rb, ek->sb, ent, y->index);
}

/* Back to the LOOP at @header unless the entry's keys @ek equal the
 * slice @k's fixed keys, pushed at @fx ('*' equals anything). */
static void match_keys(struct cg *g, const struct symbol *y, struct node *k,
		       const struct cg_keys *fx, const struct cg_keys *ek,
		       int header)
{
	int el = 0, es = 0, fl = 0, fs = 0, t = cg_reg_push(g);

	for (int i = 0; k; k = k->next, i++) {
		bool str = y->keys[i] == TY_STRING;

		if (k->kind != N_WILD) {
			if (str)
				cg_emit(g, k->loc, VT_OP_SCMP, t, ek->sb + es,
					fx->sb + fs++, 0);
			else
				cg_emit(g, k->loc, VT_OP_NE, t, ek->rb + el,
					fx->rb + fl++, 0);
			cg_emit(g, k->loc, VT_OP_JNZ, t, 0, 0,
				header - (cg_pc(g) + 1));
		}
		if (str)
			es++;
		else
			el++;
	}
	cg_reg_pop(g, t);
}

/* A compiler-made loop over the entries of a slice (delete, in). */
struct scan {
	struct symbol *y;
	struct node *k;		/* the slice's keys */
	struct cg_keys fx, ek;	/* its fixed keys; the entry's keys */
	int lim, iter, ent;
	int header, exit;	/* pc of LOOP; ITNEXT's jump */
};

/* The fixed keys, then an unsorted iteration of all the entries. */
static void scan_open(struct cg *g, struct vtc_loc loc, struct symbol *y,
		      struct node *k, struct scan *sc)
{
	int ix = (int)g->p->niters;

	sc->y = y;
	sc->k = k;
	VEC_ADD(g->p, iters)->map = (uint32_t)y->index;
	push_keys(g, y, k, &sc->fx);
	sc->lim = cg_reg_push(g);
	cg_load_const(g, loc, sc->lim, max_entries(g, y));
	sc->iter = cg_reg_push(g);
	sc->ent = cg_reg_push(g);
	cg_emit(g, loc, VT_OP_ITINIT, sc->iter, sc->lim, 0, ix);
}

/* LOOP, the next entry (none: to scan_close), and its keys if they
 * match; sc->ek holds them for the caller. */
static void scan_next(struct cg *g, struct vtc_loc loc, struct scan *sc)
{
	sc->header = cg_emit(g, loc, VT_OP_LOOP, 0, 0, 0, 0);
	sc->exit = cg_emit(g, loc, VT_OP_ITNEXT, sc->ent, sc->iter, 0,
			   NO_JUMP);
	entry_keys(g, sc->y, loc, sc->ent, &sc->ek);
	match_keys(g, sc->y, sc->k, &sc->fx, &sc->ek, sc->header);
}

static void scan_close(struct cg *g, struct vtc_loc loc, struct scan *sc)
{
	cg_patch_here(g, sc->exit);
	cg_emit(g, loc, VT_OP_ITEND, sc->iter, 0, 0, 0);
	pop_keys(g, &sc->fx);	/* and everything pushed after them */
}

/* [*, k] in a: 1 at the first matching entry, 0 when there is none. */
static void gen_slice_in(struct cg *g, struct node *n, int dst)
{
	struct scan sc;

	scan_open(g, n->loc, n->sym, n->a, &sc);
	cg_emit(g, n->loc, VT_OP_LDI, dst, 0, 0, 0);
	scan_next(g, n->loc, &sc);
	cg_emit(g, n->loc, VT_OP_LDI, dst, 0, 0, 1);
	scan_close(g, n->loc, &sc);
}

/* delete a[*, k]: every matching entry (a[*, *]: all of them). */
static void gen_slice_delete(struct cg *g, struct node *v)
{
	struct scan sc;

	if (all_wild(v->b)) {
		cg_emit(g, v->loc, VT_OP_MCLR, 0, 0, 0, v->sym->index);
		return;
	}
	scan_open(g, v->loc, v->sym, v->b, &sc);
	scan_next(g, v->loc, &sc);
	cg_emit(g, v->loc, VT_OP_MDEL, 0, sc.ek.rb, sc.ek.sb, v->sym->index);
	cg_jump_back(g, v->loc, sc.header);
	scan_close(g, v->loc, &sc);
}

/* The array a loop of @n scans (a slice's `in` or delete), or NULL. */
static const struct symbol *scanned(const struct node *n)
{
	if (n->kind == N_IN && keys_have_wild(n->a))
		return n->sym;
	if (n->kind == S_DELETE && n->a->kind == N_INDEX &&
	    keys_have_wild(n->a->b) && !all_wild(n->a->b))
		return n->a->sym;
	return NULL;
}

/* ----------------------------------------------------- map instructions */

void cg_map_long(struct cg *g, struct node *n, int dst)
{
	struct symbol *y;
	struct node *k;
	struct cg_keys ks;
	int op = VT_OP_MGET;
	int32_t mk;

	if (n->kind == N_IN && keys_have_wild(n->a)) {
		gen_slice_in(g, n, dst);
		return;
	}
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
		mk = (int32_t)VT_AGG_K((uint32_t)y->index, (uint32_t)n->op);
	push_keys(g, y, k, &ks);
	cg_emit(g, n->loc, op, dst, ks.rb, ks.sb, mk);
	pop_keys(g, &ks);
}

void cg_map_str(struct cg *g, struct node *n, int dst)
{
	struct cg_keys ks;

	push_keys(g, n->a->sym, n->b, &ks);
	cg_emit(g, n->loc, VT_OP_MGET, dst, ks.rb, ks.sb, n->a->sym->index);
	pop_keys(g, &ks);
}

/* s <<< v, s[k] <<< v */
static void gen_stat_add(struct cg *g, struct node *n)
{
	struct node *k;
	struct symbol *y = stat_of(n->a, &k);
	struct cg_keys ks;
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
	struct cg_keys ks;
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
	struct cg_keys ks;

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
	struct cg_keys ks;

	if (v->kind == N_INDEX && keys_have_wild(v->b)) {
		gen_slice_delete(g, v);
		return true;
	}
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
			struct cg_keys ks;

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

/* The loop's key variables from the entry's keys @ek. */
static void store_keys(struct cg *g, struct node *s, const struct cg_keys *ek)
{
	const struct symbol *y = s->b->sym;
	int nl = 0, ns = 0, i = 0;

	for (struct node *k = s->a; k; k = k->next, i++)
		store_var(g, k, y->keys[i] == TY_STRING ? ek->sb + ns++ :
			  ek->rb + nl++);
}

/* The value of entry @ent into the loop's value variable, if any. */
static void load_value(struct cg *g, struct node *s, int ent)
{
	struct symbol *y = s->b->sym;
	struct node *v = s->fe->value;
	int t;

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

/* A slice's limit counts matching entries: @lim left, 0 leaves. */
static void count_match(struct cg *g, struct vtc_loc loc, int lim,
			int *breaks)
{
	int one;

	cg_concat(g, breaks, cg_jump(g, loc, VT_OP_JZ, lim));
	one = cg_reg_push(g);
	cg_emit(g, loc, VT_OP_LDI, one, 0, 0, 1);
	cg_emit(g, loc, VT_OP_SUB, lim, lim, one, 0);
	cg_reg_pop(g, one);
}

/*
 * A foreach's iteration up to its body: the ITERS entry, a slice's fixed
 * keys, the limit, ITINIT, the LOOP (lp->header) and ITNEXT, then per
 * entry its keys (a slice's must match) and value into the loop's
 * variables.  @lp gets the iteration register and the header.
 */
void cg_foreach_open(struct cg *g, struct node *s, struct loop *lp,
		     struct cg_foreach *fl)
{
	struct symbol *y = s->b->sym;
	struct foreach_info *fe = s->fe;
	struct node *slice = s->b->kind == N_INDEX && !all_wild(s->b->b) ?
			     s->b->b : NULL;
	struct vt_iter_desc *it;
	struct cg_keys ek;
	int all;

	fl->slice = slice != NULL;
	fe->iter = (int)g->p->niters;
	it = VEC_ADD(g->p, iters);
	it->map = (uint32_t)y->index;
	it->sort = (uint8_t)fe->sort;
	it->dir = (int8_t)fe->dir;
	it->agg = (uint8_t)(y->type == TY_STAT && fe->sort == VT_SORT_VALUE ?
			    fe->agg : 0);
	if (slice)
		push_keys(g, y, slice, &fl->fx);
	fl->lim = cg_reg_push(g);
	if (s->c)
		cg_long_into(g, s->c, fl->lim);
	else
		cg_load_const(g, s->loc, fl->lim, max_entries(g, y));
	lp->iter = cg_reg_push(g);
	fl->ent = cg_reg_push(g);
	if (slice && s->c) {	/* the iteration takes every entry */
		all = cg_reg_push(g);
		cg_emit(g, s->loc, VT_OP_LDI, all, 0, 0, -1);
		cg_emit(g, s->loc, VT_OP_ITINIT, lp->iter, all, 0, fe->iter);
		cg_reg_pop(g, all);
	} else {
		cg_emit(g, s->loc, VT_OP_ITINIT, lp->iter, fl->lim, 0,
			fe->iter);
	}
	lp->header = cg_emit(g, s->loc, VT_OP_LOOP, 0, 0, 0, 0);
	fl->exit = cg_emit(g, s->loc, VT_OP_ITNEXT, fl->ent, lp->iter, 0,
			   NO_JUMP);
	entry_keys(g, y, s->loc, fl->ent, &ek);
	if (slice)
		match_keys(g, y, slice, &fl->fx, &ek, lp->header);
	if (slice && s->c)
		count_match(g, s->loc, fl->lim, &lp->breaks);
	store_keys(g, s, &ek);
	pop_keys(g, &ek);
	load_value(g, s, fl->ent);
}

/* After the body: the back-edge, the exit (exhausted, or break), ITEND. */
void cg_foreach_close(struct cg *g, struct node *s, struct loop *lp,
		      struct cg_foreach *fl)
{
	cg_jump_back(g, s->loc, lp->header);
	cg_patch_here(g, fl->exit);
	cg_patch_here(g, lp->breaks);
	cg_emit(g, s->loc, VT_OP_ITEND, lp->iter, 0, 0, 0);
	cg_reg_pop(g, fl->ent);
	cg_reg_pop(g, lp->iter);
	cg_reg_pop(g, fl->lim);
	if (fl->slice)
		pop_keys(g, &fl->fx);
}

/* ------------------------------------------------ scratch and AUTOPRINT */

/* Scratch bytes of one iteration over map @m (vm: the sorted entries). */
static uint64_t iter_bytes(const struct cprog *p, uint32_t m)
{
	return (VT_ITER_REC_BYTES + 4ull * p->maps[m].max_entries + 7) & ~7ull;
}

static uint64_t fn_need(struct cg *g, struct function *f);

/* Worst scratch of @n and its siblings: nested foreach, through calls. */
static uint64_t need_list(struct cg *g, struct node *n)
{
	const struct symbol *y;
	uint64_t worst = 0, x, k;

	for (; n; n = n->next) {
		if (n->kind == S_FOREACH) {
			x = need_list(g, n->c);
			k = need_list(g, n->b);	/* a slice's keys */
			x = x > k ? x : k;
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
			if ((y = scanned(n)))	/* after its keys */
				x = iter_bytes(g->p, (uint32_t)y->index);
			for (int i = 0; i < 4; i++) {
				k = need_list(g, kids[i]);
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
		uint64_t x = need_list(g, pr->body),
			 c = need_list(g, pr->cond);	/* [*, k] in a */

		need = need > x ? need : x;
		need = need > c ? need : c;
	}
	g->p->scratch = (uint32_t)(need > VT_SCRATCH_MAX ? VT_SCRATCH_MAX :
				   need);
	for (struct symbol *y = g->s->gscope.first; y; y = y->next) {
		uint32_t kind = symbol_is_map(y) ? VT_AUTOPRINT_MAP :
				y->type == TY_STRING ? VT_AUTOPRINT_SGLOBAL :
				VT_AUTOPRINT_LGLOBAL;

		if (y->written && !y->read)
			*VEC_ADD(g->p, autoprint) =
				VT_AUTOPRINT(kind, (uint32_t)y->index);
	}
}
