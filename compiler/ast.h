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

enum vtype { TY_UNKNOWN, TY_LONG, TY_STRING, TY_VOID };
const char *vtype_name(enum vtype t);

/* ---------------------------------------------------------------- nodes */

enum node_kind {
	/* expressions */
	N_NUM,		/* num */
	N_STR,		/* str (NUL-free) */
	N_IDENT,	/* name -> sym */
	N_POSITIONAL,	/* $N (long) or @N (string): num, op = '$' or '@' */
	N_CALL,		/* name(args a, linked) */
	N_UNARY,	/* op a: '-' '!' '~' */
	N_BINARY,	/* a op b: arithmetic, bitwise, shift, compare, '.' */
	N_LOGICAL,	/* a op b: T_ANDAND, T_OROR */
	N_ASSIGN,	/* a op b: '=' or compound T_*_ASSIGN; a: lvalue */
	N_TERNARY,	/* a ? b : c */
	N_INCDEC,	/* op a, op T_INC/T_DEC; post = postfix */
	N_ERROR,	/* placeholder after a syntax error */
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
};

struct symbol;

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
	int format;		/* N_CALL printf: format index (codegen) */
	const char *sig;	/* N_CALL printf: argument kinds */
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
	bool optional;		/* trailing '?' */
	/* resolved by sema */
	int type;		/* enum vt_probe_type, -1 if unresolved */
	const char *target;	/* KPROBE: symbol */
	uint64_t period_ns;	/* TIMER */
	struct probe_point *next;
};

enum sym_kind { SYM_GLOBAL, SYM_LOCAL };

struct symbol {
	const char *name;
	enum sym_kind kind;
	enum vtype type;
	struct vtc_loc loc;	/* declaration or first assignment */
	struct node *init;	/* global: literal initializer or NULL */
	int index;	/* global: index among its kind; local: reg/slot */
	bool used;
	struct symbol *next;	/* next in its scope, in declaration order */
};

/* A scope: the script's globals, a probe's locals; later functions. */
struct scope {
	struct scope *parent;
	struct symbol *first, *last;
	int count;
};

struct symbol *scope_find(const struct scope *s, const char *name);
struct symbol *scope_lookup(const struct scope *s, const char *name);
struct symbol *scope_add(struct arena *a, struct scope *s, const char *name,
			 enum sym_kind kind, struct vtc_loc loc);

struct probe {
	struct vtc_loc loc;
	struct probe_point *points;
	struct node *body;	/* S_BLOCK */
	struct scope locals;	/* parent: the script's globals */
	int unit;		/* codegen: unit index */
	struct probe *next;
};

struct global_decl {
	struct vtc_loc loc;
	const char *name;
	struct node *init;	/* N_NUM, N_STR, '-' N_NUM, or NULL */
	struct global_decl *next;
};

/* A whole script; owns its arena. */
struct script {
	struct arena arena;
	struct global_decl *globals;	/* in source order */
	struct probe *probes;		/* in source order */
	struct scope gscope;		/* filled by sema */
};

struct node *node_new(struct arena *a, enum node_kind kind,
		      struct vtc_loc loc);

#endif /* VTC_AST_H */
