// SPDX-License-Identifier: GPL-2.0-only
/* ast.c - arena, nodes and scopes. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include "ast.h"

struct arena_chunk {
	struct arena_chunk *prev;
	size_t size;
	max_align_t data[];
};

#define ARENA_CHUNK (32u << 10)

void *arena_alloc(struct arena *a, size_t size)
{
	size = (size + 7) & ~(size_t)7;
	if (!a->head || a->used + size > a->cap) {
		size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		struct arena_chunk *c = malloc(sizeof(*c) + cap);

		if (!c) {
			fputs("vtc: out of memory\n", stderr);
			abort();
		}
		c->prev = a->head;
		c->size = cap;
		a->head = c;
		a->used = 0;
		a->cap = cap;
	}
	void *p = (char *)a->head->data + a->used;

	a->used += size;
	memset(p, 0, size);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *prev = c->prev;

		free(c);
		c = prev;
	}
	a->head = NULL;
	a->used = a->cap = 0;
}

const char *vtype_name(enum vtype t)
{
	switch (t) {
	case TY_LONG: return "long";
	case TY_STRING: return "string";
	case TY_VOID: return "void";
	case TY_STAT: return "statistic";
	case TY_HIST: return "histogram";
	case TY_STACK: return "stack";
	default: return "unknown";
	}
}

struct node *node_new(struct arena *a, enum node_kind kind, struct vtc_loc loc)
{
	struct node *n = arena_alloc(a, sizeof(*n));

	n->kind = kind;
	n->loc = loc;
	n->height = 1;
	n->helper = -1;
	return n;
}

bool keys_have_wild(const struct node *k)
{
	for (; k; k = k->next)
		if (k->kind == N_WILD)
			return true;
	return false;
}

struct node *node_make(struct arena *a, enum node_kind kind,
		       struct vtc_loc loc, int op, struct node *x,
		       struct node *y, struct node *z)
{
	struct node *n = node_new(a, kind, loc);
	struct node *kids[3] = { x, y, z };
	uint16_t h = 0;

	n->op = op;
	n->a = x;
	n->b = y;
	n->c = z;
	for (int i = 0; i < 3; i++)
		if (kids[i] && kids[i]->height > h)
			h = kids[i]->height;
	n->height = (uint16_t)(h + 1);
	return n;
}

struct symbol *scope_find(const struct scope *s, const char *name)
{
	for (struct symbol *y = s->first; y; y = y->next)
		if (!strcmp(y->name, name))
			return y;
	return NULL;
}

struct symbol *scope_lookup(const struct scope *s, const char *name)
{
	for (; s; s = s->parent) {
		struct symbol *y = scope_find(s, name);

		if (y)
			return y;
	}
	return NULL;
}

struct symbol *scope_add(struct arena *a, struct scope *s, const char *name,
			 enum sym_kind kind, struct vtc_loc loc)
{
	struct symbol *y = arena_alloc(a, sizeof(*y));

	y->name = name;
	y->kind = kind;
	y->loc = loc;
	y->index = -1;
	if (s->last)
		s->last->next = y;
	else
		s->first = y;
	s->last = y;
	s->count++;
	return y;
}

bool symbol_is_map(const struct symbol *y)
{
	return y->kind == SYM_GLOBAL &&
	       (y->nkeys > 0 || y->declared_array || y->type == TY_STAT);
}
