// SPDX-License-Identifier: GPL-2.0-only
/*
 * types_shim.c - TEST-ONLY STAND-IN for compiler/probes/types.c (issue 11),
 * written on the t11-dwarf branch before types.c existed; delete it when
 * types.c is merged.  Just what dwtypes.c (types_new, types_strdup,
 * types_alloc) and elfsyms.c (types_open, types_function, ctype_params)
 * call, over the DWARF backend only; types_reset() frees it all.
 */
#include <stdlib.h>
#include <string.h>

#include "probes/types_int.h"

struct shim_block {
	struct shim_block *next;
	max_align_t data[];
};

static struct shim_block *blocks;
static struct type_source *sources;

void *types_alloc(size_t size)
{
	struct shim_block *b = calloc(1, sizeof(*b) + size);

	if (!b)
		return NULL;
	b->next = blocks;
	blocks = b;
	return b->data;
}

struct ctype *types_new(struct type_source *s, uint32_t id)
{
	struct ctype *t = types_alloc(sizeof(*t));

	if (t) {
		t->src = s;
		t->id = id;
	}
	return t;
}

const char *types_strdup(const char *str)
{
	char *c = types_alloc(strlen(str) + 1);

	return c ? strcpy(c, str) : NULL;
}

struct type_source *types_open(const char *module, char *err, size_t errlen)
{
	struct type_source *s;

	for (s = sources; s; s = s->next)
		if (!strcmp(s->name, module))
			return s;
	s = calloc(1, sizeof(*s));
	if (!s || !(s->name = strdup(module)))
		abort();
	s->ops = &types_dwarf_backend;
	if (s->ops->open(s, err, errlen)) {
		free(s->name);
		free(s);
		return NULL;
	}
	s->next = sources;
	sources = s;
	return s;
}

struct ctype *types_function(struct type_source *s, const char *name)
{
	return s->ops->function(s, name);
}

size_t ctype_params(struct ctype *t, const struct ctype_param **out)
{
	if (!t->loaded)
		t->src->ops->load(t);
	*out = t->lazy;
	return t->nlazy;
}

void types_reset(void)
{
	while (sources) {
		struct type_source *s = sources;

		sources = s->next;
		s->ops->close(s);
		free(s->name);
		free(s);
	}
	while (blocks) {
		struct shim_block *b = blocks;

		blocks = b->next;
		free(b);
	}
}
