// SPDX-License-Identifier: GPL-2.0-only
/*
 * codegen.c - pass 3: one unit per probe (statements, loops, units,
 * globals and probe descriptors).  See cg.h for the register and jump
 * conventions.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "probepoint.h"
#include "sema.h"

static void gen_stmt(struct cg *g, struct node *s);

static void gen_loop_body(struct cg *g, struct loop *lp, struct node *body)
{
	lp->outer = g->loop;
	g->loop = lp;
	gen_stmt(g, body);
	g->loop = lp->outer;
}

static void gen_stmt(struct cg *g, struct node *s)
{
	struct loop lp;
	int f, j;

	for (; s; s = s->next) {
		switch (s->kind) {
		case S_EXPR:
			cg_effect(g, s->a);
			break;
		case S_BLOCK:
			gen_stmt(g, s->a);
			break;
		case S_IF:
			f = cg_cond_jump(g, s->a, false);
			gen_stmt(g, s->b);
			if (s->c) {
				j = cg_jump(g, s->loc, VT_OP_JMP, 0);
				cg_patch_here(g, f);
				gen_stmt(g, s->c);
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
			cg_concat(g, &g->nexts,
				     cg_jump(g, s->loc, VT_OP_JMP, 0));
			break;
		default:
			break;
		}
	}
}

/* ------------------------------------------------------------- units */

/* Fixed registers and slots for the probe's locals. */
static void assign_locals(struct cg *g, struct probe *p)
{
	g->nlocal_regs = g->nlocal_slots = 0;
	for (struct symbol *y = p->locals.first; y; y = y->next)
		y->index = y->type == TY_STRING ? g->nlocal_slots++ :
			   g->nlocal_regs++;
	g->freereg = g->maxreg = g->nlocal_regs;
	g->freeslot = g->maxslot = g->nlocal_slots;
	if (g->nlocal_regs > MAX_FRAME_ITEMS ||
	    g->nlocal_slots > MAX_FRAME_ITEMS)
		g->overflow = true;
}

static const char *unit_name(struct cg *g, struct probe *p)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *r;

	if (!f)
		return "probe";
	fputs("probe ", f);
	for (struct probe_point *pt = p->points; pt; pt = pt->next)
		fprintf(f, "%s%s", point_text(&g->s->arena, pt),
			pt->next ? ", " : "");
	fclose(f);
	r = arena_strndup(&g->s->arena, buf ? buf : "", buf ? len : 0);
	free(buf);
	return r;
}

static void gen_unit(struct cg *g, struct probe *p, uint32_t strsize)
{
	struct vt_unit_desc *u;
	uint32_t start = g->p->ncode;
	uint64_t frame;

	g->probe = p;
	g->nexts = NO_JUMP;
	g->overflow = false;
	assign_locals(g, p);
	gen_stmt(g, p->body->a);
	cg_patch_here(g, g->nexts);
	cg_emit(g, p->loc, VT_OP_RET, 0, 0, 0, 0);
	frame = (uint64_t)g->maxreg * 8 + (uint64_t)g->maxslot * strsize;
	if (g->overflow)
		diag_error(g->d, p->loc, "probe too complex: needs %d "
			   "registers and %d string slots (at most %d each)",
			   g->maxreg, g->maxslot, MAX_FRAME_ITEMS);
	else if (frame > VT_FRAME_MAX)
		diag_error(g->d, p->loc, "probe needs a frame of %llu bytes "
			   "(%d registers, %d string slots of %u bytes), more "
			   "than %u", (unsigned long long)frame, g->maxreg,
			   g->maxslot, strsize, VT_FRAME_MAX);
	p->unit = (int)g->p->nunits;
	u = VEC_ADD(g->p, units);
	u->code = start;
	u->ncode = g->p->ncode - start;
	u->nregs = (uint16_t)g->maxreg;
	u->nslots = (uint16_t)g->maxslot;
	u->name = cprog_str(g->p, unit_name(g, p));
}

static void gen_globals(struct cg *g)
{
	for (struct symbol *y = g->s->gscope.first; y; y = y->next) {
		struct vt_global_desc *gd;
		int64_t v = 0;

		if (y->type == TY_STRING) {
			y->index = (int)g->p->nsglobals;
			gd = VEC_ADD(g->p, sglobals);
			gd->init = y->init ? cprog_str(g->p, y->init->str) : 0;
		} else {
			y->index = (int)g->p->nlglobals;
			gd = VEC_ADD(g->p, lglobals);
			if (y->init && !cg_fold(y->init, &v))
				v = 0;
			gd->init = v;
		}
		gd->name = cprog_str(g->p, y->name);
	}
}

static void gen_probes(struct cg *g, struct probe *p)
{
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		struct vt_probe_desc *pd = VEC_ADD(g->p, probes);

		pd->type = (uint32_t)pt->type;
		pd->unit = (uint32_t)p->unit;
		pd->target = pt->target ? cprog_str(g->p, pt->target) : 0;
		pd->flags = pt->optional ? VT_PROBE_F_OPTIONAL : 0;
		pd->period_ns = pt->period_ns;
		pd->point = cprog_str(g->p, point_text(&g->s->arena, pt));
	}
}

int codegen_script(struct diag *d, struct script *s, uint32_t strsize,
		   struct cprog *p)
{
	struct cg g = { .d = d, .s = s, .p = p };
	int before = d->nerrors;

	memset(p, 0, sizeof(*p));
	p->strsize = strsize;
	cprog_str(p, "");
	g.file_str = cprog_str(p, d->file_name[0]);
	if (!s->probes)
		diag_error(d, (struct vtc_loc){ 0 }, "no probes found");
	gen_globals(&g);
	for (struct probe *pr = s->probes; pr; pr = pr->next) {
		g.have_loc = false;
		gen_unit(&g, pr, strsize);
		gen_probes(&g, pr);
	}
	return d->nerrors == before ? 0 : -1;
}
