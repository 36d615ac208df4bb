// SPDX-License-Identifier: GPL-2.0-only
/*
 * syscalls.c - syscall.NAME, syscall.NAME.return and syscall.*: points on
 * the raw_syscalls:sys_enter / sys_exit tracepoints (no per-syscall
 * kprobes).  The syscall-number filter is the first statement of the
 * probe body: `if (!(id == N1 || id == N2 ...)) next`, and `name` is the
 * syscall's name when the body uses it.  Target variables: $arg1..$arg6
 * at entry, $return in .return probes.  x86-64 numbers
 * (syscall_table.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "lang/suggest.h"
#include "tpformat.h"
#include "lang/lexer.h"
#include "vtrace_uapi.h"

/* What a syscall point adds to its tracepoint (probe_point.info). */
struct syscall_info {
	struct tp_format fmt;	/* first: info is also a tp_format */
	int nr;			/* -1: every syscall */
	bool ret;		/* .return: sys_exit */
};

static const struct { const char *name; int nr; } table[] = {
#define SC(name, nr) { #name, nr },
#include "syscall_table.h"
#undef SC
};
#define NSYS (sizeof(table) / sizeof(table[0]))

/* Number of @name, or -1. */
static int syscall_nr(const char *name)
{
	for (size_t i = 0; i < NSYS; i++)
		if (!strcmp(table[i].name, name))
			return table[i].nr;
	return -1;
}

/* The name of @nr, or NULL. */
static const char *syscall_name(int nr)
{
	for (size_t i = 0; i < NSYS; i++)
		if (table[i].nr == nr)
			return table[i].name;
	return NULL;
}

static bool claims(const struct probe_point *pt)
{
	return probe_comp_is(pt->comps, "syscall", ARG_NONE);
}

/* syscall.NAME[.return] / syscall.*[.return] */
static void resolve(struct diag *d, struct arena *a, struct probe_point *pt)
{
	struct point_comp *nc = pt->comps->next, *rc = nc ? nc->next : NULL;
	struct syscall_info *si;
	const char *names[NSYS + 1];
	char path[4096], err[256], hint[256];

	if (!nc || nc->arg != ARG_NONE || (rc && (rc->next ||
	    !(rc->arg == ARG_NONE && !strcmp(rc->name, "return"))))) {
		diag_error(d, pt->loc, "expected syscall.NAME, "
			   "syscall.NAME.return or syscall.*");
		return;
	}
	si = arena_alloc(a, sizeof(*si));
	si->ret = rc != NULL;
	si->nr = strcmp(nc->name, "*") ? syscall_nr(nc->name) : -1;
	if (si->nr < 0 && strcmp(nc->name, "*")) {
		for (size_t i = 0; i < NSYS; i++)
			names[i] = table[i].name;
		names[NSYS] = NULL;
		suggest_names(hint, sizeof(hint), nc->name, names);
		if (pt->optional) {
			probe_never(pt);
			return;
		}
		diag_error(d, nc->loc, "no match for syscall.%s (x86-64)%s",
			   nc->name, hint);
		return;
	}
	snprintf(path, sizeof(path), "%s/events/raw_syscalls/%s/format",
		 probe_tracefs(), si->ret ? "sys_exit" : "sys_enter");
	if (tp_format_read(a, path, &si->fmt, err, sizeof(err))) {
		diag_error(d, pt->loc, "syscall probes: %s", err);
		return;
	}
	if (!tp_format_field(&si->fmt, "id")) {
		diag_error(d, pt->loc, "syscall probes: %s has no 'id'", path);
		return;
	}
	pt->type = VT_PROBE_TRACEPOINT;
	pt->target = si->ret ? "raw_syscalls:sys_exit" :
		     "raw_syscalls:sys_enter";
	pt->event_id = si->fmt.id;
	pt->info = si;
}

/* ------------------------------------------------ body rewriting */

static struct node *num(struct arena *a, struct vtc_loc loc, int64_t v)
{
	struct node *n = node_make(a, N_NUM, loc, 0, NULL, NULL, NULL);

	n->num = v;
	return n;
}

/* _tp_long(off of id, -size): the syscall number of the record. */
static struct node *id_expr(struct arena *a, struct vtc_loc loc,
			    const struct tp_field *id)
{
	struct node *n = node_make(a, N_CALL, loc, 0, NULL, NULL, NULL);

	n->str = "_tp_long";
	n->a = num(a, loc, id->off);
	n->a->next = num(a, loc, -(int64_t)id->size);
	n->height = 2;
	return n;
}

/* nrs[lo..hi) as a balanced || tree of id == nr. */
static struct node *any_of(struct arena *a, struct vtc_loc loc,
			   const struct tp_field *id, const int *nrs, int lo,
			   int hi)
{
	int mid;

	if (hi - lo == 1)
		return node_make(a, N_BINARY, loc, T_EQ, id_expr(a, loc, id),
			  num(a, loc, nrs[lo]), NULL);
	mid = lo + (hi - lo) / 2;
	return node_make(a, N_LOGICAL, loc, T_OROR, any_of(a, loc, id, nrs, lo, mid),
		  any_of(a, loc, id, nrs, mid, hi), NULL);
}

static int cmp_nr(const void *x, const void *y)
{
	return table[*(const int *)x].nr - table[*(const int *)y].nr;
}

/* The name of syscall id as a balanced ?: tree over sorted idx[lo..hi). */
static struct node *name_of(struct arena *a, struct vtc_loc loc,
			    const struct tp_field *id, const int *idx, int lo,
			    int hi)
{
	struct node *s, *none;
	int mid;

	if (hi - lo == 1) {
		none = node_make(a, N_STR, loc, 0, NULL, NULL, NULL);
		none->str = "";
		s = node_make(a, N_STR, loc, 0, NULL, NULL, NULL);
		s->str = table[idx[lo]].name;
		return node_make(a, N_TERNARY, loc, '?',
			  node_make(a, N_BINARY, loc, T_EQ, id_expr(a, loc, id),
			     num(a, loc, table[idx[lo]].nr), NULL),
			  s, none);
	}
	mid = lo + (hi - lo) / 2;
	return node_make(a, N_TERNARY, loc, '?',
		  node_make(a, N_BINARY, loc, '<', id_expr(a, loc, id),
		     num(a, loc, table[idx[mid]].nr), NULL),
		  name_of(a, loc, id, idx, lo, mid),
		  name_of(a, loc, id, idx, mid, hi));
}

static bool uses_name(const struct node *n)
{
	for (; n; n = n->next) {
		if (n->kind == N_IDENT && !strcmp(n->str, "name"))
			return true;
		if (uses_name(n->a) || uses_name(n->b) || uses_name(n->c) ||
		    uses_name(n->d))
			return true;
	}
	return false;
}

/* Prepend @s to the body block of @p. */
static void prepend(struct probe *p, struct node *s)
{
	s->next = p->body->a;
	p->body->a = s;
}

/* After every point of @p is resolved: the filter and `name`. */
static void finish(struct diag *d, struct arena *a, struct probe *p)
{
	const struct tp_field *id = NULL;
	int nrs[64], n = 0;
	bool any = false, all = true, every = false;
	struct vtc_loc loc = p->loc;

	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct syscall_info *si = pt->info;
		bool sc = pt->comps && !strcmp(pt->comps->name, "syscall");

		any |= sc;
		all &= sc;
		if (!sc || !si || pt->type != VT_PROBE_TRACEPOINT)
			continue;
		id = tp_format_field(&si->fmt, "id");
		if (si->nr < 0)
			every = true;
		else if (n < (int)(sizeof(nrs) / sizeof(nrs[0])))
			nrs[n++] = si->nr;
		else
			every = true;	/* many: filtered by nobody */
	}
	if (!any || !id || !p->body || p->body->kind != S_BLOCK)
		return;
	if (!all) {
		diag_error(d, p->loc, "a probe with syscall points can have "
			   "only syscall points");
		return;
	}
	if (uses_name(p->body)) {
		int idx[NSYS], ni = 0;
		struct node *nm = node_make(a, N_IDENT, loc, 0, NULL, NULL, NULL);
		struct node *st;

		/* only the probe's own syscalls, unless it has them all */
		for (size_t i = 0; i < NSYS; i++) {
			bool mine = every;

			for (int j = 0; j < n && !mine; j++)
				mine = table[i].nr == nrs[j];
			if (mine)
				idx[ni++] = (int)i;
		}
		qsort(idx, (size_t)ni, sizeof(idx[0]), cmp_nr);
		nm->str = "name";
		st = node_make(a, S_EXPR, loc, 0,
			node_make(a, N_ASSIGN, loc, '=', nm,
			   name_of(a, loc, id, idx, 0, ni), NULL),
			NULL, NULL);
		prepend(p, st);
	}
	if (!every && n)
		prepend(p, node_make(a, S_IF, loc, 0,
			      node_make(a, N_UNARY, loc, '!',
				 any_of(a, loc, id, nrs, 0, n), NULL, NULL),
			      node_make(a, S_NEXT, loc, 0, NULL, NULL, NULL), NULL));
}

/* ------------------------------------------------- target variables */

/* A probe whose first point is a syscall point (the others must be). */
static bool owns(const struct probe *p)
{
	return p->points && p->points->comps &&
	       !strcmp(p->points->comps->name, "syscall");
}

/* $argN (enter), $return (exit), when every point is a syscall's. */
static bool target_var(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	bool ret = true, enter = true;
	int argn = 0;

	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct syscall_info *si = pt->info;

		if (!pt->comps || strcmp(pt->comps->name, "syscall") || !si ||
		    pt->type != VT_PROBE_TRACEPOINT)
			return false;
		ret &= si->ret;
		enter &= !si->ret;
	}
	if (!strcmp(n->str, "$return") && ret) {
		n->str = "_tp_long";
		n->a = num(a, n->loc, 16);	/* sys_exit: long ret */
		n->a->next = num(a, n->loc, -8);
		return true;
	}
	if (sscanf(n->str, "$arg%d", &argn) == 1 && argn >= 1 && argn <= 6 &&
	    enter) {
		n->str = "_tp_long";	/* sys_enter: unsigned long args[6] */
		n->a = num(a, n->loc, 16 + 8 * (argn - 1));
		n->a->next = num(a, n->loc, 8);
		return true;
	}
	diag_error(d, n->loc, "syscall probes have $arg1..$arg6 (entry) and "
		   "$return (.return), not '%s'", n->str);
	n->kind = N_ERROR;
	n->a = NULL;
	return true;
}

/* ----------------------------------------------------------- listing */

/* syscall.NAME (unless a tapset alias stands for it) and the raw
 * kernel.syscall.NAME, by number. */
static int list(struct probe_list *l)
{
	static const char vars[] = "name:string $arg1:long $arg2:long "
				   "$arg3:long $arg4:long $arg5:long "
				   "$arg6:long";
	char point[512];

	for (int nr = 0; nr < 1024; nr++) {
		const char *name = syscall_name(nr);

		if (!name)
			continue;
		snprintf(point, sizeof(point), "syscall.%s", name);
		if (!probe_list_aliased(l, point))
			probe_list_show(l, point, l->vars ? vars : NULL);
		snprintf(point, sizeof(point), "kernel.syscall.%s", name);
		probe_list_show(l, point, l->vars ? vars : NULL);
	}
	return 0;
}

const struct provider provider_syscall = {
	.roots = { "syscall" },
	.claims = claims,
	.resolve = resolve,
	.finish = finish,
	.owns = owns,
	.target_var = target_var,
	.list = list,
};
