/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ast.h - the script's syntax tree, symbols and scopes.
 *
 * Invariants:
 *  - Every node, symbol and string of one compilation lives in one arena
 *    and is freed with it; passes never free single nodes.
 *  - Every node carries the location of its first (or operator) token.
 *  - Sequences (statements of a block, call arguments, probe points,
 *    declarations) are singly linked through ->next, in source order.
 *  - Node height is bounded by VTC_MAX_DEPTH (checked by the parser), so
 *    every recursive pass has bounded stack use.
 */
#ifndef VTC_AST_H
#define VTC_AST_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define VTC_MAX_DEPTH 200	/* nesting of statements and expressions */

struct vtc_loc {
	uint32_t line, col;	/* 1-based; col counts bytes */
	uint16_t file;		/* index into the diag's file table */
};

/* --------------------------------------------------------------- arena */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t used, cap;
};

void *arena_alloc(struct arena *a, size_t size);	/* zeroed, 8-aligned */
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/* ---------------------------------------------------------------- types */

/* TY_STAT: a statistic (only `<<<` and @aggregates); TY_HIST: the value
 * of @hist_log/@hist_linear, only printable; TY_STACK: a stack reference
 * (backtrace() and its family, vtrace_uapi.h), a long in the VM that
 * user space prints: it is printed, compared, stored and used as a key,
 * never computed with nor made a string in the probe. */
enum vtype { TY_UNKNOWN, TY_LONG, TY_STRING, TY_VOID, TY_STAT, TY_HIST,
	     TY_STACK };
const char *vtype_name(enum vtype t);

/* ---------------------------------------------------------------- nodes */

enum node_kind {
	/* expressions */
	N_NUM,		/* num */
	N_STR,		/* str (NUL-free) */
	N_IDENT,	/* name -> sym */
	N_POSITIONAL,	/* $N (long) or @N (string): num (-1: $# @#),
			 * op = '$' or '@'; sema turns it into N_NUM/N_STR */
	N_CALL,		/* name(args a, linked) */
	N_UNARY,	/* op a: '-' '!' '~' */
	N_BINARY,	/* a op b: arithmetic, bitwise, shift, compare, '.' */
	N_LOGICAL,	/* a op b: T_ANDAND, T_OROR */
	N_ASSIGN,	/* a op b: '=' or compound T_*_ASSIGN; a: lvalue */
	N_TERNARY,	/* a ? b : c */
	N_INCDEC,	/* op a, op T_INC/T_DEC; post = postfix */
	N_ERROR,	/* placeholder after a syntax error */
	N_INDEX,	/* a[keys]: a N_IDENT (the array), b first key;
			 * num keys.  A slice (a key is N_WILD) only as
			 * delete's operand or a foreach's array */
	N_IN,		/* [keys] in b: a first key, b N_IDENT; num keys;
			 * keys may be N_WILD */
	N_AGG,		/* @op(a): op enum agg_op; a N_IDENT or N_INDEX;
			 * @hist_linear: b, c, d start, stop, interval */
	N_WILD,		/* '*' as a key: any value (array slices) */
	/* target expressions, N_MEMBER to N_VARSET in this order
	 * (texpr_is()): probes/texpr.c rewrites them before binding.  A
	 * target variable is an N_CALL named "$name" without arguments */
	N_MEMBER,	/* a->str: a a target expression; loc: the name */
	N_ELEM,		/* a[b]: a a target expression; loc: the '[' */
	N_ADDR,		/* &a: a a target expression */
	N_CAST,		/* @cast(a, b [, c]): b the type, c the module or
			 * NULL (N_STR) */
	N_VAR,		/* @var(b [, c]): b "name" or "name@file", c the
			 * module or NULL (N_STR) */
	N_DEFINED,	/* @defined(a): 1 if a resolves, else 0 */
	N_CHOOSE,	/* @choose_defined(a, b): a if it resolves, else b */
	N_PRETTY,	/* a$ (num 1) or a$$ (num 2): a a target expression
			 * pretty printed */
	N_VARSET,	/* $$vars $$parms $$locals $$return: str without
			 * "$$"; num 0, or 1 for '$', 2 for '$$' */
	/* statements */
	S_EXPR,		/* a */
	S_BLOCK,	/* a: first statement */
	S_IF,		/* if (a) b else c */
	S_WHILE,	/* while (a) b */
	S_FOR,		/* for (a; b; c) d; each of a b c may be NULL */
	S_BREAK,
	S_CONTINUE,
	S_NEXT,
	S_EMPTY,
	S_RETURN,	/* return [a] */
	S_DELETE,	/* delete a: a variable (N_IDENT: a scalar, an array
			 * or a statistic), an element or a slice (N_INDEX) */
	S_TRY,		/* try a catch [(c)] b; a, b: S_BLOCK, c: N_IDENT */
	S_FOREACH,	/* foreach: a first key variable (N_IDENT), b the
			 * array (N_IDENT) or a slice of it (N_INDEX; sema
			 * sets its sym too), c limit or NULL, d body; ->fe */
};

struct symbol;
struct function;
struct ctype;		/* probes/types.h: a C type, opaque here */

/* @aggregates: enum vt_agg values, then the histograms. */
enum agg_op { AGG_HIST_LOG = 16, AGG_HIST_LINEAR };

/* The parts of a foreach beyond a..d. */
struct foreach_info {
	struct node *value;	/* N_IDENT bound to the value, or NULL */
	int nkeys;
	int sort;		/* 0, 1..nkeys, or VT_SORT_VALUE (255) */
	int dir;		/* +1, -1; 0 when sort is 0 */
	int agg;		/* enum vt_agg for a statistic's value sort */
	bool agg_written;	/* "@sum-" was written */
	bool single;		/* "k in a": no brackets */
	int iter;		/* codegen: ITERS index */
};

struct node {
	enum node_kind kind;
	struct vtc_loc loc;
	enum vtype type;	/* set by sema for expressions */
	int op;			/* token kind of the operator */
	bool post;		/* N_INCDEC: postfix */
	uint16_t height;	/* 1 + max height of children */
	int64_t num;
	const char *str;	/* N_STR text, N_IDENT/N_CALL name */
	struct node *a, *b, *c, *d;
	struct node *next;	/* next statement / argument */
	struct symbol *sym;	/* N_IDENT: resolved by sema */
	int helper;		/* N_CALL: helper id, -1 for printf */
	const char *sig;	/* N_CALL printf: argument kinds */
	struct function *func;	/* N_CALL of a script function */
	int builtin;		/* N_CALL: enum builtin (sema) */
	const char *fmt;	/* N_CALL print family: generated format */
	struct foreach_info *fe;	/* S_FOREACH */
	struct ctype *ctype;	/* a rewritten target variable's C type
				 * (probes/targetvar.c), NULL unknown */
};

/* Calls compiled in place rather than by a helper (sema sets ->builtin). */
enum builtin {
	B_NONE,
	B_PRINTF,	/* printf(FMT, ...) */
	B_SPRINTF,	/* sprintf(FMT, ...): string */
	B_PRINT,	/* print(...), and the ones below: any long/string */
	B_PRINTLN,
	B_PRINTD,	/* printd(DELIM, ...): DELIM a literal */
	B_PRINTDLN,
	B_SPRINT,
	B_SPRINTLN,
	B_SPRINTD,
	B_SPRINTDLN,
};

/* ------------------------------------------------------ declarations */

/* One component of a probe point: name, name("str"), name(123). */
struct point_comp {
	struct vtc_loc loc;
	const char *name;
	enum { ARG_NONE, ARG_NUM, ARG_STR } arg;
	int64_t num;
	const char *str;
	struct point_comp *next;
};

struct probe_point {
	struct vtc_loc loc;
	struct point_comp *comps;
	bool optional;		/* trailing '?' (or '!') */
	bool sufficient;	/* trailing '!': once it resolves, the
				 * probe's later points are dropped */
	/* resolved by sema */
	int type;		/* enum vt_probe_type, -1 if unresolved */
	const char *target;	/* KPROBE: symbol */
	uint64_t period_ns;	/* TIMER */
	uint32_t flags;		/* more VT_PROBE_F_* (wildcard matches) */
	uint32_t event_id;	/* TRACEPOINT: tracefs event ID */
	const void *info;	/* the provider's details (probes/) */
	uint64_t offset;	/* vt_probe_desc.offset (UPROBE: file offset) */
	int32_t pid;		/* UPROBE..PROC_END: process filter, or 0 */
	struct probe_point *next;
};

enum sym_kind { SYM_GLOBAL, SYM_LOCAL };

struct symbol {
	const char *name;
	enum sym_kind kind;
	enum vtype type;
	struct vtc_loc loc;	/* declaration or first assignment */
	struct node *init;	/* global: literal initializer or NULL */
	int index;	/* global: index among its kind (MAPS for an
			 * array or statistic); local: reg/slot */
	bool used;
	/* Globals: arrays and statistics (sema_map.c). */
	int nkeys;		/* 0: a scalar (or not used with keys yet) */
	enum vtype keys[9];	/* key types */
	bool declared_array;	/* global a[N] or a% */
	bool wrap;		/* global a%: VT_MAP_F_WRAP */
	uint32_t max_entries;	/* size hint, 0: MAXMAPENTRIES */
	struct vtc_loc array_loc;	/* first use with keys */
	int hist;		/* enum vt_hist_kind */
	int64_t hstart, hstop, hinterval;
	struct vtc_loc hist_loc;	/* first @hist_* */
	bool read, written;	/* for AUTOPRINT */
	int iterating;		/* enclosing foreach loops over it */
	struct symbol *next;	/* next in its scope, in declaration order */
};

/* A scope: the script's globals, a probe's locals; later functions. */
struct scope {
	struct scope *parent;
	struct symbol *first, *last;
	int count;
};

/* A global that is an array or a statistic (a MAPS entry), not a
 * scalar: meaningful once sema typed it. */
bool symbol_is_map(const struct symbol *y);

struct symbol *scope_find(const struct scope *s, const char *name);
struct symbol *scope_lookup(const struct scope *s, const char *name);
struct symbol *scope_add(struct arena *a, struct scope *s, const char *name,
			 enum sym_kind kind, struct vtc_loc loc);

struct probe {
	struct vtc_loc loc;
	struct probe_point *points;
	struct node *cond;	/* probe POINT if (COND): or NULL */
	struct node *body;	/* S_BLOCK */
	struct scope locals;	/* parent: the script's globals */
	int unit;		/* codegen: unit index */
	struct probe *next;
};

/*
 * probe NAME = POINTS { prologue }  or  probe NAME += POINTS { epilogue }
 * (alias.c).  @name's components carry no arguments.
 */
struct alias {
	struct vtc_loc loc;
	struct probe_point *name;	/* the alias name, as a point */
	struct probe_point *points;	/* what it stands for */
	struct node *body;		/* S_BLOCK */
	bool epilogue;			/* '+=': runs after the user's body */
	bool used;			/* tapset.c: referenced by the script */
	bool expanding;			/* alias.c: recursion guard */
	struct alias *next;
};

/* function NAME[:TYPE] (PARAM[:TYPE], ...) { BODY } */
struct function {
	struct vtc_loc loc;
	const char *name;
	enum vtype ret;		/* declared, else inferred by sema */
	bool ret_declared;
	int nparams;
	struct node *body;	/* S_BLOCK */
	struct scope locals;	/* the parameters first, in order */
	bool reachable;		/* sema: called from a probe */
	bool returns_value;	/* sema: has 'return EXPR' */
	int unit;		/* codegen: unit index */
	int scratch_state;	/* cg_map.c: 0 new, 1 being walked, 2 done */
	unsigned walk;		/* sema_map.c: last walk that visited it */
	uint64_t scratch_need;	/* cg_map.c: foreach scratch bytes */
	struct function *next;
};

struct global_decl {
	struct vtc_loc loc;
	const char *name;
	struct node *init;	/* N_NUM, N_STR, '-' N_NUM, or NULL */
	bool array;		/* global a[N] or a% */
	bool wrap;		/* '%' */
	uint32_t size;		/* [N], 0 if absent */
	struct global_decl *next;
};

/* A whole script; owns its arena. */
struct script {
	struct arena arena;
	struct global_decl *globals;	/* in source order */
	struct probe *probes;		/* in source order */
	struct function *functions;	/* in source order */
	struct alias *aliases;		/* in source order, then tapsets' */
	struct scope gscope;		/* filled by sema */
	uint32_t maxmapentries;		/* default array size (MAXMAPENTRIES,
					 * set by the driver) */
	const char *const *args;	/* command line arguments ($1, @1) */
	int nargs;
};

struct node *node_new(struct arena *a, enum node_kind kind,
		      struct vtc_loc loc);
/* Does the key list @k hold a '*' (N_WILD), making a slice? */
bool keys_have_wild(const struct node *k);
/* A node built by a pass: op, children @x @y @z as a b c, and a height
 * one more than theirs (chains after a child are not counted). */
struct node *node_make(struct arena *a, enum node_kind kind,
		       struct vtc_loc loc, int op, struct node *x,
		       struct node *y, struct node *z);

#endif /* VTC_AST_H */
