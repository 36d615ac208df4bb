// SPDX-License-Identifier: GPL-2.0-only
/*
 * codegen.c - pass 3: the units (one per probe, one per reachable
 * function; their statements are cg_stmt.c's), globals and the PROBES
 * descriptors in begin(N)/end(N) order.  See cg.h for the register and
 * jump conventions.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "lang/print.h"
#include "vt_vm.h"

/* ------------------------------------------------------------- units */

/* Fixed registers and slots for the locals (a function's parameters
 * first, so they are registers 0.. and slots 0.. in order). */
static void assign_locals(struct cg *g, struct scope *locals)
{
	g->nlocal_regs = g->nlocal_slots = 0;
	for (struct symbol *y = locals->first; y; y = y->next)
		y->index = y->type == TY_STRING ? g->nlocal_slots++ :
			   g->nlocal_regs++;
	g->freereg = g->maxreg = g->nlocal_regs;
	g->freeslot = g->maxslot = g->nlocal_slots;
	if (g->nlocal_regs > VT_UNIT_REGS_MAX ||
	    g->nlocal_slots > VT_UNIT_SLOTS_MAX)
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

/* One unit: a probe body (@p) or a function (@f). */
static void gen_unit(struct cg *g, struct probe *p, struct function *f,
		     uint32_t strsize)
{
	struct vt_unit_desc *u;
	uint32_t start = g->p->ncode;
	struct vtc_loc loc = p ? p->loc : f->loc;
	const char *what = p ? "probe" : "function";
	uint64_t frame;

	g->probe = p;
	g->func = f;
	g->nexts = NO_JUMP;
	g->overflow = false;
	assign_locals(g, p ? &p->locals : &f->locals);
	if (p && p->cond)	/* probe POINT if (COND): skip the body */
		cg_concat(g, &g->nexts, cg_cond_jump(g, p->cond, false));
	cg_stmt(g, p ? p->body->a : f->body->a);
	cg_patch_here(g, g->nexts);
	cg_emit(g, loc, VT_OP_RET, 0, 0, 0, 0);
	frame = vt_unit_frame((uint32_t)g->maxreg, (uint32_t)g->maxslot,
			      strsize);
	if (g->overflow)
		diag_error(g->d, loc, "%s too complex: needs %d "
			   "registers and %d string slots (at most %d each)",
			   what, g->maxreg, g->maxslot, VT_UNIT_REGS_MAX);
	else if (frame > VT_FRAME_MAX)
		diag_error(g->d, loc, "%s needs a frame of %llu bytes "
			   "(%d registers, %d string slots of %u bytes), more "
			   "than %u", what, (unsigned long long)frame,
			   g->maxreg, g->maxslot, strsize, VT_FRAME_MAX);
	if (p)
		p->unit = (int)g->p->nunits;
	u = VEC_ADD(g->p, units);
	u->code = start;
	u->ncode = g->p->ncode - start;
	u->nregs = (uint16_t)g->maxreg;
	u->nslots = (uint16_t)g->maxslot;
	u->name = cprog_str(g->p, p ? unit_name(g, p) : f->name);
}

/* "lls": return kind, then the parameters' kinds. */
static uint32_t function_sig(struct cg *g, struct function *f)
{
	char sig[2 + 64];
	int n = 0;

	sig[n++] = f->ret == TY_STRING ? 's' : f->ret == TY_VOID ? 'v' : 'l';
	for (struct symbol *y = f->locals.first; y && n <= f->nparams &&
	     n < (int)sizeof(sig) - 1; y = y->next)
		sig[n++] = y->type == TY_STRING ? 's' : 'l';
	sig[n] = 0;
	return cprog_str(g->p, sig);
}

/* Function units follow the probes' units: number them before any
 * call is generated. */
static void number_functions(struct cg *g)
{
	int unit = 0;

	for (struct probe *pr = g->s->probes; pr; pr = pr->next)
		unit++;
	for (struct function *f = g->s->functions; f; f = f->next) {
		if (!f->reachable)
			continue;
		if (f->nparams > (int)VT_FORMAT_ARGS_MAX)
			diag_error(g->d, f->loc, "function '%s' has %d "
				   "parameters, at most %u", f->name,
				   f->nparams, VT_FORMAT_ARGS_MAX);
		f->unit = unit++;
	}
}

/* Probes first, then the functions a probe can reach, each a unit. */
static void gen_functions(struct cg *g, uint32_t strsize)
{
	struct vt_frame_layout fl = { 0 };
	uint32_t nfn = 0;

	for (struct function *f = g->s->functions; f; f = f->next)
		nfn += f->reachable;
	if (!nfn)
		return;
	for (uint32_t i = 0; i < g->p->nunits; i++)
		*VEC_ADD(g->p, usigs) = 0;
	for (struct function *f = g->s->functions; f; f = f->next) {
		if (!f->reachable)
			continue;
		g->have_loc = false;
		gen_unit(g, NULL, f, strsize);
		*VEC_ADD(g->p, usigs) = function_sig(g, f);
	}
	for (uint32_t i = 0; i < g->p->nunits; i++) {
		const struct vt_unit_desc *u = &g->p->units[i];

		vt_frame_add_unit(&fl, u->nregs, u->nslots, strsize,
				  g->p->usigs[i] != 0);
	}
	vt_frame_layout(&fl, g->p->maxnesting, 0);
	if (fl.frames > VT_FRAME_MAX)
		diag_error(g->d, g->s->functions->loc, "functions need %llu "
			   "bytes of frames for MAXNESTING %u nested calls, "
			   "more than %u", (unsigned long long)fl.frames,
			   g->p->maxnesting, VT_FRAME_MAX);
}

static void gen_globals(struct cg *g)
{
	for (struct symbol *y = g->s->gscope.first; y; y = y->next) {
		struct vt_global_desc *gd;
		int64_t v = 0;

		if (symbol_is_map(y)) {
			cg_map_global(g, y);
			continue;
		}
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
		pd->flags = (pt->optional ? VT_PROBE_F_OPTIONAL : 0) |
			    pt->flags;
		pd->period_ns = pt->period_ns;
		pd->event_id = pt->event_id;
		pd->offset = pt->offset;
		pd->pid = pt->pid;
		pd->point = cprog_str(g->p, point_text(&g->s->arena, pt));
	}
}

/* begin(N), end(N): N; every other point 0. */
static int64_t point_priority(const struct probe_point *pt)
{
	if ((pt->type == VT_PROBE_BEGIN || pt->type == VT_PROBE_END) &&
	    pt->comps && pt->comps->arg == ARG_NUM)
		return pt->comps->num;
	return 0;
}

/*
 * Order the PROBES entries so begin(N) and end(N) run with lower N
 * first, equal N in script order (a stable sort; other entries keep
 * their relative order): the module runs them in PROBES order.
 */
static void order_probes(struct cprog *p, const struct script *s)
{
	int64_t *prio = calloc(p->nprobes + 1, sizeof(*prio));
	uint32_t n = 0;

	if (!prio)
		return;
	for (const struct probe *pr = s->probes; pr; pr = pr->next)
		for (const struct probe_point *pt = pr->points; pt;
		     pt = pt->next)
			if (n < p->nprobes)
				prio[n++] = point_priority(pt);
	/* insertion sort: stable, linear when (as usual) already sorted */
	for (uint32_t i = 1; n == p->nprobes && i < n; i++) {
		struct vt_probe_desc pd = p->probes[i];
		int64_t key = prio[i];
		uint32_t j = i;

		for (; j > 0 && prio[j - 1] > key; j--) {
			prio[j] = prio[j - 1];
			p->probes[j] = p->probes[j - 1];
		}
		prio[j] = key;
		p->probes[j] = pd;
	}
	free(prio);
}

int codegen_script(struct diag *d, struct script *s, uint32_t strsize,
		   uint32_t maxnesting, struct cprog *p)
{
	struct cg g = { .d = d, .s = s, .p = p };
	int before = d->nerrors;

	memset(p, 0, sizeof(*p));
	p->strsize = strsize;
	p->maxnesting = maxnesting;
	cprog_str(p, "");
	g.file_str = cprog_str(p, d->file_name[0]);
	if (!s->probes)
		diag_error(d, (struct vtc_loc){ 0 }, "no probes found");
	gen_globals(&g);
	number_functions(&g);
	for (struct probe *pr = s->probes; pr; pr = pr->next) {
		g.have_loc = false;
		gen_unit(&g, pr, NULL, strsize);
		gen_probes(&g, pr);
	}
	order_probes(p, s);	/* begin(N), end(N) */
	gen_functions(&g, strsize);
	cg_map_finish(&g);
	return d->nerrors == before ? 0 : -1;
}
