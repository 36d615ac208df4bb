// SPDX-License-Identifier: GPL-2.0-only
/* tapset.c - loading the tapset library; see tapset.h. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tapset.h"
#include "alias.h"
#include "lang/parser.h"
#include "lang/print.h"

#define TAPSET_FILE_MAX (4u << 20)	/* bytes of one tapset file */

/* Names and probe points that the reached code uses. */
struct reach {
	const char **names;		/* called functions, identifiers */
	size_t nnames, cap;
	const struct probe_point **points;
	size_t npoints, pcap;
};

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 64;
	v = realloc(v, *cap * size);
	if (!v) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	return v;
}

static bool has_name(const struct reach *r, const char *name)
{
	for (size_t i = 0; i < r->nnames; i++)
		if (!strcmp(r->names[i], name))
			return true;
	return false;
}

static void add_name(struct reach *r, const char *name)
{
	if (!name || has_name(r, name))
		return;
	r->names = grow(r->names, &r->cap, r->nnames, sizeof(*r->names));
	r->names[r->nnames++] = name;
}

static void walk(struct reach *r, const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == N_CALL || n->kind == N_IDENT)
			add_name(r, n->str);
		walk(r, n->a);
		walk(r, n->b);
		walk(r, n->c);
		walk(r, n->d);
	}
}

static void walk_points(struct reach *r, const struct probe_point *pt)
{
	for (; pt; pt = pt->next) {
		r->points = grow(r->points, &r->pcap, r->npoints,
				 sizeof(*r->points));
		r->points[r->npoints++] = pt;
	}
}

static bool alias_reached(const struct reach *r, const struct alias *al)
{
	for (size_t i = 0; i < r->npoints; i++)
		if (alias_matches(al, r->points[i], true) ||
		    alias_matches(al, r->points[i], false))
			return true;
	return false;
}

static bool script_defines(const struct script *s, const char *name)
{
	for (const struct function *f = s->functions; f; f = f->next)
		if (!strcmp(f->name, name))
			return true;
	return false;
}

static char *read_file(struct arena *a, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf, *text = NULL;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(TAPSET_FILE_MAX + 1);
	if (buf) {
		n = fread(buf, 1, TAPSET_FILE_MAX + 1, f);
		if (n <= TAPSET_FILE_MAX && !ferror(f))
			text = arena_strndup(a, buf, n);
	}
	free(buf);
	fclose(f);
	return text;
}

/* Parse every file of @dirs into @s's (empty) lists. */
static int parse_dirs(struct diag *d, struct script *s,
		      const char *const *dirs, const struct pp_config *cfg)
{
	for (; dirs && *dirs; dirs++) {
		char pattern[4096];
		glob_t g;

		snprintf(pattern, sizeof(pattern), "%s/*.stp", *dirs);
		if (glob(pattern, 0, NULL, &g))
			continue;	/* no such directory, or empty */
		for (size_t i = 0; i < g.gl_pathc; i++) {
			const char *path = g.gl_pathv[i];
			char *text = read_file(&s->arena, path);
			int file;

			if (!text) {
				diag_error(d, (struct vtc_loc){ 0 }, "cannot "
					   "read tapset file %s", path);
				continue;
			}
			file = diag_add_file(d, arena_strndup(&s->arena, path,
							      strlen(path)),
					     text);
			if (file < 0) {
				diag_error(d, (struct vtc_loc){ 0 }, "more "
					   "than %d tapset files",
					   VTC_MAX_FILES - 1);
				break;
			}
			parse_more(d, s, text, cfg, (uint16_t)file);
		}
		globfree(&g);
	}
	return d->nerrors ? -1 : 0;
}

/* Move what @r reaches from the @pool lists into @s; true if any. */
static bool take(struct script *s, struct script *pool, struct reach *r)
{
	bool changed = false;

	for (struct alias **l = &pool->aliases; *l;) {
		struct alias *al = *l, **t = &s->aliases;

		if (!alias_reached(r, al)) {
			l = &al->next;
			continue;
		}
		*l = al->next;
		while (*t)
			t = &(*t)->next;
		*t = al;
		al->next = NULL;
		walk_points(r, al->points);
		walk(r, al->body);
		changed = true;
	}
	for (struct function **l = &pool->functions; *l;) {
		struct function *f = *l, **t = &s->functions;

		if (!has_name(r, f->name) || script_defines(s, f->name)) {
			l = &f->next;
			continue;
		}
		*l = f->next;
		while (*t)
			t = &(*t)->next;
		*t = f;
		f->next = NULL;
		walk(r, f->body);
		changed = true;
	}
	for (struct global_decl **l = &pool->globals; *l;) {
		struct global_decl *g = *l, **t = &s->globals;

		if (!has_name(r, g->name)) {
			l = &g->next;
			continue;
		}
		*l = g->next;
		while (*t)
			t = &(*t)->next;
		*t = g;
		g->next = NULL;
		changed = true;
	}
	return changed;
}

/* Append the names @n assigns, " a b", to @buf. */
static void assigned(const struct node *n, char *buf, size_t size)
{
	for (; n; n = n->next) {
		if (n->kind == N_ASSIGN && n->a && n->a->kind == N_IDENT &&
		    n->a->str[0] != '_') {
			char word[80];

			/* @buf is " a b ... ": each name between spaces */
			snprintf(word, sizeof(word), " %s ", n->a->str);
			if (!strstr(buf, word) && strlen(buf) + strlen(word) <
			    size)
				strcat(buf, word + 1);
		}
		assigned(n->a, buf, size);
		assigned(n->b, buf, size);
		assigned(n->c, buf, size);
		assigned(n->d, buf, size);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **tapset_list_aliases(const char *const *dirs, bool vars)
{
	struct script *s = calloc(1, sizeof(*s));
	struct diag d;
	size_t n = 0, j = 0;
	char **list;

	if (!s)
		return NULL;
	diag_init(&d, NULL, "<tapset>", "");
	parse_dirs(&d, s, dirs, NULL);
	for (const struct alias *al = s->aliases; al; al = al->next)
		n++;
	list = calloc(n + 1, sizeof(*list));
	for (const struct alias *al = s->aliases; list && al; al = al->next) {
		char buf[1024] = " ";
		const char *name = point_text(&s->arena, al->name);
		size_t len;

		if (vars)
			assigned(al->body, buf, sizeof(buf));
		len = strlen(buf);
		while (len && buf[len - 1] == ' ')
			buf[--len] = 0;
		if (asprintf(&list[j], "%s%s", name, buf[1] ? buf : "") < 0)
			break;
		j++;
	}
	if (list) {
		size_t k = 0;

		qsort(list, j, sizeof(*list), cmp_str);
		for (size_t i = 0; i < j; i++) {
			if (k && !strcmp(list[k - 1], list[i]))
				free(list[i]);
			else
				list[k++] = list[i];
		}
		list[k] = NULL;
	}
	script_free(s);
	return list;
}

void tapset_list_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

int tapset_load(struct diag *d, struct script *s, const char *const *dirs,
		const struct pp_config *cfg)
{
	struct script pool = { 0 };
	struct probe *probes = s->probes;
	struct global_decl *globals = s->globals;
	struct function *functions = s->functions;
	struct alias *aliases = s->aliases;
	struct reach r = { 0 };
	int ret;

	if (!dirs || !*dirs)
		return 0;
	s->probes = NULL;
	s->globals = NULL;
	s->functions = NULL;
	s->aliases = NULL;
	ret = parse_dirs(d, s, dirs, cfg);
	pool.globals = s->globals;
	pool.functions = s->functions;
	pool.aliases = s->aliases;
	s->probes = probes;	/* a tapset's own probes are dropped */
	s->globals = globals;
	s->functions = functions;
	s->aliases = aliases;
	if (ret)
		return ret;
	for (const struct probe *p = s->probes; p; p = p->next) {
		walk_points(&r, p->points);
		walk(&r, p->cond);
		walk(&r, p->body);
	}
	for (const struct function *f = s->functions; f; f = f->next)
		walk(&r, f->body);
	for (const struct alias *al = s->aliases; al; al = al->next) {
		walk_points(&r, al->points);
		walk(&r, al->body);
	}
	while (take(s, &pool, &r))
		;
	free(r.names);
	free(r.points);
	return 0;
}
