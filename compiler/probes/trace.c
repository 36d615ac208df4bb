// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.c - kernel.trace("SUBSYS:EVENT") and kernel.trace("EVENT"),
 * wildcards in either: tracepoints, as tracefs lists them (tpformat.h),
 * and their fields as target variables ($name, $$parms, $$vars).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "lang/suggest.h"
#include "tpformat.h"
#include "vtrace_uapi.h"

static char **events;			/* "subsys:event", cached */
static bool events_loaded;

static void reset(void)
{
	tp_list_free(events);
	events = NULL;
	events_loaded = false;
}

static const char *const *trace_events(void)
{
	if (!events_loaded)
		events = tp_list_events(probe_tracefs());
	events_loaded = true;
	return (const char *const *)events;
}

static bool claims(const struct probe_point *pt)
{
	return probe_comp_is(pt->comps, "kernel", ARG_NONE) &&
	       probe_comp_is(pt->comps->next, "trace", ARG_STR);
}

/* kernel.trace("SUBSYS:EVENT") or ("EVENT"), wildcards in either. */
static void resolve(struct diag *d, struct arena *a, struct probe_point *pt)
{
	struct point_comp *tc = pt->comps->next;
	const char *const *names = trace_events();
	struct probe_point *end = pt->next;
	const char *pattern = tc->str;
	char hint[256], err[256], path[4096];
	const char *const *ev_names = names;
	char **short_names = NULL;

	if (tc->next) {
		diag_error(d, tc->next->loc, "kernel.trace takes no suffix");
		return;
	}
	if (!names) {
		diag_error(d, tc->loc, "cannot list tracepoints: %s/events is "
			   "not readable", probe_tracefs());
		return;
	}
	if (!strchr(pattern, ':')) {
		char *p = arena_alloc(a, strlen(pattern) + 3);

		sprintf(p, "*:%s", pattern);
		pattern = p;
	}
	pt->type = VT_PROBE_TRACEPOINT;
	if (!probe_expand(a, pt, tc, pattern, names,
			  probe_has_wildcard(tc->str) ?
			  VT_PROBE_F_WILDCARD : 0)) {
		pt->type = -1;
		if (pt->optional) {
			probe_never(pt);	/* nothing to attach */
			return;
		}
		if (!strchr(tc->str, ':')) {
			size_t n = 0;

			for (const char *const *e = names; *e; e++)
				n++;
			short_names = calloc(n + 1, sizeof(*short_names));
			for (size_t i = 0; short_names && i < n; i++)
				short_names[i] = strchr(names[i], ':') + 1;
			ev_names = (const char *const *)short_names;
		}
		suggest_names(hint, sizeof(hint), tc->str, ev_names);
		free(short_names);
		diag_error(d, tc->loc, "no match for kernel.trace(\"%s\")%s",
			   tc->str, hint);
		return;
	}
	for (struct probe_point *q = pt; q && q != end; q = q->next) {
		struct tp_format *f = arena_alloc(a, sizeof(*f));
		const char *colon = strchr(q->target, ':');

		snprintf(path, sizeof(path), "%s/events/%.*s/%s/format",
			 probe_tracefs(), (int)(colon - q->target),
			 q->target, colon + 1);
		if (tp_format_read(a, path, f, err, sizeof(err))) {
			diag_error(d, tc->loc, "kernel.trace(\"%s\"): %s",
				   q->target, err);
			q->type = -1;
			continue;
		}
		q->info = f;
		q->event_id = f->id;
	}
}

/* ------------------------------------------------- target variables */

static struct node *num_arg(struct arena *a, struct vtc_loc loc, int64_t v)
{
	struct node *num = node_new(a, N_NUM, loc);

	num->num = v;
	num->type = TY_LONG;
	return num;
}

/* Rewrite @n into the read of field @name of every point of @p. */
static bool field_node(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n, const char *name)
{
	const struct tp_field *first = NULL;
	char hint[256];

	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct tp_format *f = pt->info;
		const struct tp_field *fl;

		if (pt->type != VT_PROBE_TRACEPOINT || !f) {
			diag_error(d, n->loc, "'$%s' needs every point of the "
				   "probe to be a tracepoint", name);
			goto fail;
		}
		fl = tp_format_field(f, name);
		if (!fl) {
			const char **names = calloc(f->nfields + 1,
						    sizeof(*names));

			for (uint32_t i = 0; names && i < f->nfields; i++)
				names[i] = f->fields[i].name;
			suggest_names(hint, sizeof(hint), name, names);
			free(names);
			diag_error(d, n->loc, "tracepoint %s has no field "
				   "'%s'%s", pt->target, name, hint);
			goto fail;
		}
		if (fl->kind == TPF_OTHER) {
			diag_error(d, n->loc, "field '%s' of %s (%s) cannot be "
				   "read yet", name, pt->target, fl->decl);
			goto fail;
		}
		if (first && (first->kind != fl->kind || first->off != fl->off ||
			      first->size != fl->size ||
			      first->is_signed != fl->is_signed)) {
			diag_error(d, n->loc, "field '%s' differs between the "
				   "events of this probe", name);
			goto fail;
		}
		first = fl;
	}
	n->a = num_arg(a, n->loc, first->off);
	if (first->kind == TPF_NUM) {
		n->str = "_tp_long";
		n->a->next = num_arg(a, n->loc, first->is_signed ?
				     -(int64_t)first->size : first->size);
	} else if (first->kind == TPF_CHARS) {
		n->str = "_tp_chars";
		n->a->next = num_arg(a, n->loc, first->size);
	} else {
		n->str = "_tp_dataloc";
	}
	return false;
fail:
	return true;
}

/* $$parms, $$vars: sprintf("a=%d b=\"%s\" ...", $a, $b, ...) */
static bool all_fields(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	const struct tp_format *f = p->points->info;
	struct node *fmt = node_new(a, N_STR, n->loc), **tail = &fmt->next;
	char *text = arena_alloc(a, 64 * (VT_FORMAT_ARGS_MAX + 1));
	size_t len = 0;
	uint32_t nargs = 0;

	text[0] = 0;
	for (uint32_t i = 0; f && i < f->nfields; i++) {
		const struct tp_field *fl = &f->fields[i];
		struct node *arg;

		if (!strncmp(fl->name, "common_", 7) || fl->kind == TPF_OTHER ||
		    nargs == VT_FORMAT_ARGS_MAX || strlen(fl->name) > 48)
			continue;
		arg = node_new(a, N_CALL, n->loc);
		if (field_node(d, a, p, arg, fl->name))
			return true;	/* reported */
		len += (size_t)sprintf(text + len, fl->kind == TPF_NUM ?
				       "%s%s=%%d" : "%s%s=\"%%s\"",
				       nargs ? " " : "", fl->name);
		*tail = arg;
		tail = &arg->next;
		nargs++;
	}
	fmt->str = text;
	n->str = "sprintf";
	n->a = fmt;
	return false;
}

/*
 * A probe with a tracepoint among its points, unless its first point is
 * a syscall's: syscall points are tracepoints too (raw_syscalls), with
 * the syscall provider's variables.
 */
static bool owns(const struct probe *p)
{
	if (!p->points || (p->points->comps &&
			   !strcmp(p->points->comps->name, "syscall")))
		return false;
	for (struct probe_point *pt = p->points; pt; pt = pt->next)
		if (pt->type == VT_PROBE_TRACEPOINT && pt->info)
			return true;
	return false;
}

static bool target_var(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	if (!strcmp(n->str, "$$parms") || !strcmp(n->str, "$$vars")) {
		if (all_fields(d, a, p, n)) {
			n->kind = N_ERROR;
			n->a = NULL;
		}
		return true;
	}
	if (field_node(d, a, p, n, n->str + 1)) {
		n->kind = N_ERROR;
		n->a = NULL;
	}
	return true;
}

/* ----------------------------------------------------------- listing */

/* "$name:type" for each field of a format file (common_ ones left out). */
static void field_vars(const char *root, const char *event, char *buf,
		       size_t size)
{
	struct arena a = { 0 };
	struct tp_format f;
	char path[4096], err[256];
	const char *colon = strchr(event, ':');
	size_t len = 0;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", root,
		 (int)(colon - event), event, colon + 1);
	if (tp_format_read(&a, path, &f, err, sizeof(err)) == 0) {
		for (uint32_t i = 0; i < f.nfields && len + 1 < size; i++) {
			const struct tp_field *fl = &f.fields[i];
			const char *type = fl->kind == TPF_NUM ? "long" :
				fl->kind == TPF_OTHER ? "unreadable" : "string";

			if (!strncmp(fl->name, "common_", 7))
				continue;
			len += (size_t)snprintf(buf + len, size - len,
						"%s$%s:%s", len ? " " : "",
						fl->name, type);
		}
	}
	arena_free(&a);
}

static int list(struct probe_list *l)
{
	char point[512], buf[4096];

	for (const char *const *e = trace_events(); e && *e; e++) {
		snprintf(point, sizeof(point), "kernel.trace(\"%s\")", *e);
		if (l->vars && probe_list_match(l, point))
			field_vars(probe_tracefs(), *e, buf, sizeof(buf));
		else
			buf[0] = 0;
		probe_list_show(l, point, buf);
	}
	return 0;
}

const struct provider provider_trace = {
	.roots = { "kernel" },
	.claims = claims,
	.resolve = resolve,
	.owns = owns,
	.target_var = target_var,
	.list = list,
	.reset = reset,
};
