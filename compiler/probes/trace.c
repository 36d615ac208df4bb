// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace.c - kernel.trace("SUBSYS:EVENT") and kernel.trace("EVENT"),
 * wildcards in either: tracepoints, as tracefs lists them (tpformat.h).
 * Two kinds of target variables:
 *  - the tracepoint's prototype arguments ($prev, $next of sched_switch),
 *    typed from BTF's btf_trace_<event> (types_tracepoint), read as
 *    arguments 1-6 of a raw tracepoint (VT_PROBE_RAW_TRACEPOINT: the
 *    probe function is registered on the tracepoint itself);
 *  - the fields of the event's format file ($prev_pid, $$parms), read
 *    from the record of a perf event (VT_PROBE_TRACEPOINT).
 * finish() decides each probe's attachment before its names are bound:
 * raw when every point has a prototype and every name is an argument,
 * else perf.  A name that is both is the argument in a raw probe, the
 * field in a perf one (whose record has no arguments); a perf probe
 * naming an argument that is not a field is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "elfsyms.h"
#include "lang/suggest.h"
#include "targetvar.h"
#include "tpformat.h"
#include "types.h"
#include "vtrace_uapi.h"

/* An argument of a tracepoint's prototype. */
struct trace_arg {
	const char *name;	/* "" when BTF has none */
	struct ctype *type;
};

/* What a kernel.trace point keeps (probe_point.info). */
struct trace_info {
	struct tp_format fmt;	/* its format file */
	bool raw;		/* BTF has its prototype: it can attach raw */
	size_t nargs;
	struct trace_arg *args;
	const char *event;	/* "subsys:event": the perf target */
	const char *name;	/* "event": the raw tracepoint's name */
};

/* The only arguments a raw tracepoint's probe function can read. */
#define TRACE_ARGS_MAX	6

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

/*
 * The arguments of vmlinux tracepoint @name into @ti (in @a): the types
 * of BTF's btf_trace_<name> (types_tracepoint), whose parameters have no
 * names in BTF; the names from the function the kernel builds for
 * each event with the same parameters after `void *__data`:
 * __probestub_<name> (6.4 on), else __bpf_trace_<name> (an event of its
 * own class).  No prototype (no BTF, a module's tracepoint): ti->raw
 * false, the point attaches through perf.
 */
static void trace_args(struct arena *a, const char *name,
		       struct trace_info *ti)
{
	static const char *const named[] = { "__probestub_", "__bpf_trace_" };
	char err[256], fn[256];
	struct type_source *src = types_open("kernel", err, sizeof(err));
	struct ctype *proto = src ? types_tracepoint(src, name) : NULL;
	const struct ctype_param *pa, *fa = NULL;
	size_t n;

	if (!proto)
		return;
	n = ctype_params(proto, &pa);
	for (size_t k = 0; k < 2 && !fa; k++) {
		struct ctype *f;

		snprintf(fn, sizeof(fn), "%s%s", named[k], name);
		f = types_function(src, fn);
		if (f && ctype_params(f, &fa) != n + 1)
			fa = NULL;
	}
	ti->raw = true;
	ti->nargs = n;
	ti->args = arena_alloc(a, (n + 1) * sizeof(*ti->args));
	for (size_t i = 0; i < n; i++) {
		ti->args[i].name = fa ? fa[i + 1].name : pa[i].name;
		ti->args[i].type = pa[i].type;
	}
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
		struct trace_info *ti = arena_alloc(a, sizeof(*ti));
		const char *colon = strchr(q->target, ':');

		snprintf(path, sizeof(path), "%s/events/%.*s/%s/format",
			 probe_tracefs(), (int)(colon - q->target),
			 q->target, colon + 1);
		if (tp_format_read(a, path, &ti->fmt, err, sizeof(err))) {
			diag_error(d, tc->loc, "kernel.trace(\"%s\"): %s",
				   q->target, err);
			q->type = -1;
			continue;
		}
		ti->event = q->target;
		ti->name = colon + 1;
		trace_args(a, ti->name, ti);
		q->info = ti;
		q->event_id = ti->fmt.id;
	}
}

/* ------------------------------------------------- raw or perf */

/* Argument @name of @ti: its index (0-based), or -1. */
static int arg_index(const struct trace_info *ti, const char *name)
{
	for (size_t i = 0; name[0] && i < ti->nargs; i++)
		if (!strcmp(ti->args[i].name, name))
			return (int)i;
	return -1;
}

/* @name ("$x", "$x$", "$x$$") without its '$'s, into @buf. */
static const char *var_name(const char *s, char *buf, size_t n)
{
	size_t len;

	while (*s == '$')
		s++;
	len = strcspn(s, "$");
	snprintf(buf, n, "%.*s", (int)(len < n ? len : n - 1), s);
	return buf;
}

/* Is @name an argument of every point of @p? */
static bool is_arg(const struct probe *p, const char *name)
{
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct trace_info *ti = pt->info;

		if (!ti || arg_index(ti, name) < 0)
			return false;
	}
	return true;
}

/*
 * The first `$name` under @n that is not an argument of every point
 * ($$parms and $$vars are format fields), or NULL.
 */
static const struct node *field_use(const struct probe *p,
				    const struct node *n)
{
	char buf[128];
	const struct node *u;

	for (; n; n = n->next) {
		if (n->kind == N_CALL && n->str && n->str[0] == '$' &&
		    (n->str[1] == '$' ||
		     !is_arg(p, var_name(n->str, buf, sizeof(buf)))))
			return n;
		if ((u = field_use(p, n->a)) || (u = field_use(p, n->b)) ||
		    (u = field_use(p, n->c)) || (u = field_use(p, n->d)))
			return u;
	}
	return NULL;
}

/* Is @pt a kernel.trace point (not a syscall's tracepoint)? */
static bool trace_point(const struct probe_point *pt)
{
	return pt->info && pt->comps && claims(pt) &&
	       (pt->type == VT_PROBE_TRACEPOINT ||
		pt->type == VT_PROBE_RAW_TRACEPOINT);
}

/*
 * Before @p's names are bound: raw tracepoints if every point has a
 * prototype and @p reads no format field; else every point stays perf.
 */
static void finish(struct diag *d, struct arena *a, struct probe *p)
{
	(void)d;
	(void)a;
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct trace_info *ti = pt->info;

		if (!trace_point(pt) || !ti->raw)
			return;
	}
	if (field_use(p, p->body) || field_use(p, p->cond))
		return;
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct trace_info *ti = pt->info;

		pt->type = VT_PROBE_RAW_TRACEPOINT;
		pt->target = ti->name;
		pt->event_id = 0;
	}
}

/* Argument @i of @ti as a parameter read (elfsyms.h); false if none. */
static bool arg_value(const struct trace_info *ti, int i, struct elf_value *v)
{
	struct ctype *t = ctype_strip(ti->args[i].type);

	v->argno = (int8_t)(i + 1);
	v->size = (uint8_t)ctype_sizeof(t);
	v->type = ti->args[i].type;
	if (t && t->kind == CT_PTR)
		v->kind = 'p';
	else if (t && (t->kind == CT_INT || t->kind == CT_ENUM) &&
		 v->size >= 1 && v->size <= 8)
		v->kind = t->is_signed ? 'i' : 'u';
	else
		return false;
	return true;
}

/*
 * Rewrite @n, argument @name of every (raw) point of @p, into its
 * int_arg(N) .. pointer_arg(N) read.
 */
static bool arg_node(struct diag *d, struct arena *a, struct probe *p,
		     struct node *n, const char *name)
{
	struct elf_value first = { 0 }, v;
	char type[128];
	size_t i = 0;

	for (struct probe_point *pt = p->points; pt; pt = pt->next, i++) {
		const struct trace_info *ti = pt->info;
		int k = arg_index(ti, name);

		if (pt->type != VT_PROBE_RAW_TRACEPOINT) {
			diag_error(d, n->loc, "'$%s' is an argument of "
				   "tracepoint %s, which this probe reads "
				   "through its format fields: read arguments "
				   "and format fields in separate probes",
				   name, ti->name);
			return true;
		}
		if (k >= TRACE_ARGS_MAX) {
			diag_error(d, n->loc, "'$%s' is argument %d of "
				   "tracepoint %s: only the first %d can be "
				   "read", name, k + 1, ti->name,
				   TRACE_ARGS_MAX);
			return true;
		}
		if (!arg_value(ti, k, &v)) {
			diag_error(d, n->loc, "argument '$%s' of tracepoint %s "
				   "(%s) cannot be read: only integers and "
				   "pointers", name, ti->name,
				   ctype_spell(ti->args[k].type, type,
					       sizeof(type)));
			return true;
		}
		if (!targetvar_same_param(d, n, i, &v, &first))
			return true;
	}
	targetvar_param_call(a, n, &first);
	return false;
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
		const struct trace_info *ti = pt->info;
		const struct tp_format *f = ti ? &ti->fmt : NULL;
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
	const struct trace_info *ti = p->points->info;
	const struct tp_format *f = ti ? &ti->fmt : NULL;
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
		if (trace_point(pt))
			return true;
	return false;
}

/* Is @name a field of every point of @p? */
static bool is_field(const struct probe *p, const char *name)
{
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		const struct trace_info *ti = pt->info;

		if (!ti || !tp_format_field(&ti->fmt, name))
			return false;
	}
	return true;
}

/*
 * An argument, unless the probe attaches through perf (it reads a
 * field) and the name is a field too: then the field.
 */
static bool target_var(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	if (is_arg(p, n->str + 1) &&
	    (p->points->type == VT_PROBE_RAW_TRACEPOINT ||
	     !is_field(p, n->str + 1))) {
		if (arg_node(d, a, p, n, n->str + 1)) {
			n->kind = N_ERROR;
			n->a = NULL;
		}
		return true;
	}
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

/* "$name:C type" for each named argument of @ti; the length. */
static size_t arg_vars(const struct trace_info *ti, char *buf, size_t size)
{
	size_t len = 0;
	char type[128];

	for (size_t i = 0; i < ti->nargs && len + 1 < size; i++)
		if (ti->args[i].name[0])
			len += (size_t)snprintf(buf + len, size - len,
						"%s$%s:%s", len ? " " : "",
						ti->args[i].name,
						ctype_spell(ti->args[i].type,
							    type,
							    sizeof(type)));
	return len < size ? len : size - 1;
}

/*
 * "$name:C type" for each argument of the tracepoint (BTF), then
 * "$name:type" for each field of its format file (common_ ones left
 * out); a name that is both is listed once, as the argument.
 */
static void field_vars(const char *root, const char *event, char *buf,
		       size_t size)
{
	struct arena a = { 0 };
	struct trace_info ti = { 0 };
	struct tp_format f;
	char path[4096], err[256];
	const char *colon = strchr(event, ':');
	size_t len;

	buf[0] = 0;
	trace_args(&a, colon + 1, &ti);
	len = arg_vars(&ti, buf, size);
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", root,
		 (int)(colon - event), event, colon + 1);
	if (tp_format_read(&a, path, &f, err, sizeof(err)) == 0) {
		for (uint32_t i = 0; i < f.nfields && len + 1 < size; i++) {
			const struct tp_field *fl = &f.fields[i];
			const char *type = fl->kind == TPF_NUM ? "long" :
				fl->kind == TPF_OTHER ? "unreadable" : "string";

			if (!strncmp(fl->name, "common_", 7) ||
			    arg_index(&ti, fl->name) >= 0)
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
	.finish = finish,
	.owns = owns,
	.target_var = target_var,
	.list = list,
	.reset = reset,
};
