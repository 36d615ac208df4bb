// SPDX-License-Identifier: GPL-2.0-only
/*
 * probepoint.c - probe points through the provider table (provider.h):
 * from the components the parser read ("kernel", "function"("sym")) to a
 * provider of vm/vtrace_uapi.h (VT_PROBE_*) with its target or period,
 * and the helpers the providers share (wildcard expansion, the listing).
 * Which provider a point belongs to is decided here and nowhere else.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "types.h"
#include "lang/print.h"
#include "vtrace_uapi.h"

#define VT_PROVIDER_PTR(name) &provider_##name,
static const struct provider *const providers[] = {
	VT_PROVIDERS(VT_PROVIDER_PTR)
};
#undef VT_PROVIDER_PTR
#define NPROVIDERS (sizeof(providers) / sizeof(providers[0]))

static struct probe_config cfg;	/* of this compilation */

const struct probe_config *probe_config(void)
{
	return &cfg;
}

const char *probe_tracefs(void)
{
	return cfg.tracefs ? cfg.tracefs : "/sys/kernel/tracing";
}

void probepoint_configure(const struct probe_config *c)
{
	cfg = *c;
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->reset)
			providers[i]->reset();
	types_reset();	/* BTF and DWARF are read again, lazily */
}

/* The provider that claims @pt, or NULL. */
static const struct provider *provider_of(const struct probe_point *pt)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->claims && providers[i]->claims(pt))
			return providers[i];
	return NULL;
}

void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt)
{
	const struct provider *pv;

	if (!pt->comps || pt->type >= 0)
		return;		/* empty, or a wildcard match already done */
	pv = provider_of(pt);
	if (pv)
		pv->resolve(d, a, pt);
	else
		diag_error(d, pt->loc, "unknown probe point '%s'",
			   point_text(a, pt));
}

void probepoint_finish(struct diag *d, struct arena *a, struct probe *p)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->finish)
			providers[i]->finish(d, a, p);
}

bool probepoint_is_root(const char *name)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		for (int k = 0; k < 2; k++)
			if (providers[i]->roots[k] &&
			    !strcmp(providers[i]->roots[k], name))
				return true;
	return false;
}

int probepoint_list(struct probe_list *l)
{
	for (size_t i = 0; i < NPROVIDERS; i++)
		if (providers[i]->list && providers[i]->list(l))
			return -1;
	return 0;
}

/* ------------------------------------------------------------ helpers */

bool probe_comp_is(const struct point_comp *c, const char *name, int arg)
{
	return c && !strcmp(c->name, name) && (int)c->arg == arg;
}

bool probe_has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

void probe_never(struct probe_point *pt)
{
	pt->type = VT_PROBE_TIMER;
	pt->period_ns = 365ull * 24 * 3600 * 1000000000ull;
	pt->target = NULL;
}

bool probe_list_match(const struct probe_list *l, const char *point)
{
	return !fnmatch(l->pattern, point, 0);
}

void probe_list_show(struct probe_list *l, const char *point,
		     const char *vars)
{
	if (!probe_list_match(l, point))
		return;
	l->shown++;
	if (vars && vars[0])
		fprintf(l->out, "%s %s\n", point, vars);
	else
		fprintf(l->out, "%s\n", point);
}

bool probe_list_aliased(const struct probe_list *l, const char *point)
{
	size_t len = strlen(point);

	for (char *const *al = l->aliases; al && *al; al++)
		if (!strncmp(*al, point, len) &&
		    ((*al)[len] == 0 || (*al)[len] == ' '))
			return true;
	return false;
}

/* --------------------------------------------------------- wildcards */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A copy of @pt whose component @fc carries @name instead of the
 * pattern, so point_text() (and pp()) show the function it matched.
 */
static struct probe_point *clone_point(struct arena *a,
				       const struct probe_point *pt,
				       const struct point_comp *fc,
				       const char *name)
{
	struct probe_point *np = arena_alloc(a, sizeof(*np));
	struct point_comp **tail = &np->comps;

	*np = *pt;
	np->comps = NULL;
	for (const struct point_comp *c = pt->comps; c; c = c->next) {
		struct point_comp *nc = arena_alloc(a, sizeof(*nc));

		*nc = *c;
		nc->next = NULL;
		if (c == fc)
			nc->str = name;
		*tail = nc;
		tail = &nc->next;
	}
	np->target = name;
	return np;
}

size_t probe_expand(struct arena *a, struct probe_point *pt,
		    struct point_comp *fc, const char *pattern,
		    const char *const *names, uint32_t flags)
{
	const char **m = NULL;
	size_t n = 0, cap = 0, kept = 0;
	struct probe_point *last = NULL, *next = pt->next, orig = *pt;

	for (; names && *names; names++) {
		if (fnmatch(pattern, *names, 0))
			continue;
		if (n == cap) {
			const char **nm;

			cap = cap ? cap * 2 : 64;
			nm = realloc(m, cap * sizeof(*m));
			if (!nm)
				break;
			m = nm;
		}
		m[n++] = *names;
	}
	if (n)
		qsort(m, n, sizeof(*m), cmp_str);
	for (size_t i = 0; i < n; i++) {
		struct probe_point *np;

		if (i && !strcmp(m[i], m[i - 1]))
			continue;
		if (!last) {
			/* the first match reuses @pt itself */
			np = clone_point(a, &orig, fc,
					 arena_strndup(a, m[i], strlen(m[i])));
			np->next = NULL;
			*pt = *np;
			last = pt;
		} else {
			np = clone_point(a, &orig, fc,
					 arena_strndup(a, m[i], strlen(m[i])));
			last->next = np;
			last = np;
		}
		last->flags |= flags;
		kept++;
	}
	if (last)
		last->next = next;
	free(m);
	return kept;
}
