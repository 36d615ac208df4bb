/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cg.h - pass 3 internals, shared by codegen.c (units, globals, probes),
 * cg_stmt.c (statements), cg_expr.c (expressions), cg_map.c (arrays,
 * statistics, foreach iterations, scratch, AUTOPRINT), cg_emit.c
 * (emitting, registers, folding) and cprog.c (the tables).  Calls go
 * codegen.c -> statements -> expressions <-> maps (a key is an
 * expression, an expression may read an array) and statements -> maps;
 * only expressions and maps call each other.
 *
 * Register allocation (per unit, like Lua's): long locals own registers
 * 0..nlocal_regs-1 and string locals slots 0..nlocal_slots-1 for the
 * whole unit; temporaries are pushed above them in stack order and popped
 * in reverse (cg_reg_push/cg_reg_pop, cg_slot_push/cg_slot_pop).  A
 * value-producing generator either returns a local's own register/slot
 * (read-only for the caller) or the temporary on top of the stack.
 *
 * gen_long_into/gen_str_into(n, dst) write dst only after reading every
 * variable n reads, so dst may be a local that n itself uses.
 *
 * Jump lists: pending forward jumps are chained through their k field
 * (absolute pc of the next pending jump, NO_JUMP at the end) until
 * patched; back-edges always target a LOOP instruction.
 */
#ifndef VTC_CG_H
#define VTC_CG_H

#include "codegen.h"

#define NO_JUMP (-1)

struct loop {
	struct loop *outer;
	int breaks;		/* jump list to the loop exit */
	int continues;		/* jump list to the step (for) */
	int header;		/* pc of LOOP; continue target when no step */
	bool has_step;
	bool foreach;		/* a foreach: iter holds its iteration */
	int iter;
};

struct cg {
	struct diag *d;
	struct script *s;
	struct cprog *p;
	struct probe *probe;
	struct function *func;	/* the function being generated, or NULL */
	int nlocal_regs, nlocal_slots;
	int freereg, freeslot;	/* first free temporary */
	int maxreg, maxslot;
	struct loop *loop;
	int nexts;		/* jump list to the final RET */
	struct vtc_loc last_loc;
	bool have_loc;
	bool overflow;		/* too many registers or slots */
	uint32_t file_str;	/* strtab offset of the file name */
};

/* cprog.c: growable tables.  VEC_ADD appends a zeroed element. */
void *cprog_grow(void *v, uint32_t *cap, uint32_t need, size_t elem);
#define VEC_ADD(p, name)						\
	((p)->name = cprog_grow((p)->name, &(p)->cap_##name,		\
				(p)->n##name + 1, sizeof(*(p)->name)),	\
	 &(p)->name[(p)->n##name++])
int cprog_const(struct cprog *p, int64_t v);		/* CONSTS index */
int cprog_format(struct cprog *p, const char *text, const char *sig);
int cprog_dfa(struct cprog *p, const char *pattern);	/* DFAS index */

/* cg_emit.c: instructions (with the line table), jumps, registers. */
int cg_pc(struct cg *g);
int cg_emit(struct cg *g, struct vtc_loc loc, int op, int a, int b, int c,
	    int32_t k);
int cg_jump(struct cg *g, struct vtc_loc loc, int op, int r);
void cg_jump_back(struct cg *g, struct vtc_loc loc, int target);
void cg_concat(struct cg *g, int *list, int more);
void cg_patch_here(struct cg *g, int list);
int cg_reg_push(struct cg *g);
void cg_reg_pop(struct cg *g, int r);
void cg_reg_pop2(struct cg *g, int a, int b);
int cg_slot_push(struct cg *g);
void cg_slot_pop(struct cg *g, int s);
void cg_slot_pop2(struct cg *g, int a, int b);
bool cg_is_local(const struct node *n);
bool cg_fold(const struct node *n, int64_t *v);
void cg_load_const(struct cg *g, struct vtc_loc loc, int dst, int64_t v);

/* cg_stmt.c: statement @s and the ones chained after it. */
void cg_stmt(struct cg *g, struct node *s);

/* cg_expr.c: expressions. */
int cg_cond_jump(struct cg *g, struct node *n, bool sense);
void cg_effect(struct cg *g, struct node *n);
/* @n's value: a local's own register/slot (read-only) or a new temporary. */
int cg_long(struct cg *g, struct node *n);
int cg_str(struct cg *g, struct node *n);
void cg_long_into(struct cg *g, struct node *n, int dst);
void cg_str_into(struct cg *g, struct node *n, int dst);

/* Where a map instruction's keys were pushed (cg_map.c), and the stack
 * tops to restore. */
struct cg_keys {
	int rb, sb;		/* operand bases (0 when no key of a kind) */
	int freereg, freeslot;
};

/* A foreach's iteration, from cg_foreach_open to cg_foreach_close. */
struct cg_foreach {
	struct cg_keys fx;	/* a slice's fixed keys */
	bool slice;
	int lim, ent;		/* limit and entry registers */
	int exit;		/* ITNEXT's jump when exhausted */
};

/* cg_map.c: arrays, statistics, foreach (see there). */
void cg_map_global(struct cg *g, struct symbol *y);
void cg_map_long(struct cg *g, struct node *n, int dst);	/* a[k], in, @agg */
void cg_map_str(struct cg *g, struct node *n, int dst);	/* a[k] */
bool cg_map_update(struct cg *g, struct node *n, int dst);	/* false: not ours */
bool cg_map_delete(struct cg *g, struct node *v);		/* false: a scalar */
void cg_print_pieces(struct cg *g, struct node *n);	/* print(@hist_*) */
void cg_foreach_open(struct cg *g, struct node *s, struct loop *lp,
		     struct cg_foreach *fl);
void cg_foreach_close(struct cg *g, struct node *s, struct loop *lp,
		      struct cg_foreach *fl);
/* The header's scratch size and AUTOPRINT, once every unit is done. */
void cg_map_finish(struct cg *g);

#endif /* VTC_CG_H */
