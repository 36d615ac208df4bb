// SPDX-License-Identifier: GPL-2.0-only
/*
 * probepoint.c - probe points: from the components the parser read
 * ("kernel", "function"("sym")) to a provider of vm/vtrace_uapi.h
 * (VT_PROBE_*) with its target or period.  Every point the language knows
 * is resolved here and nowhere else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>
#include <sys/utsname.h>

#include "probepoint.h"
#include "lang/suggest.h"
#include "lang/print.h"
#include "tpformat.h"
#include "syscalls.h"
#include "uprobe.h"
#include "vtrace_uapi.h"

static const struct { const char *name; uint64_t ns; } timer_units[] = {
	{ "s", 1000000000ull }, { "sec", 1000000000ull },
	{ "ms", 1000000ull }, { "msec", 1000000ull },
	{ "us", 1000ull }, { "usec", 1000ull },
	{ "ns", 1ull }, { "nsec", 1ull },
};

static bool comp_is(const struct point_comp *c, const char *name, int arg)
{
	return c && !strcmp(c->name, name) && (int)c->arg == arg;
}

/* ------------------------------------------------ symbol sources */

static struct probe_config cfg;	/* of this compilation */
static const char *const *ksyms;	/* cached for one compilation */
static bool ksyms_loaded;
static const char **ksyms_split[2];	/* vmlinux's, modules' (functions_of) */
static bool ksyms_split_done;

static char **events;			/* "subsys:event", cached */
static bool events_loaded;

/* kernel.function entries of this compilation; the first nkdone have
 * their addresses (once there are KADDR_MIN) */
static struct probe_point **kpending;
static size_t nkpending, nkdone;

const char *probepoint_tracefs(void)
{
	return cfg.tracefs ? cfg.tracefs :
	       "/sys/kernel/tracing";
}

void probepoint_configure(const struct probe_config *c)
{
	cfg = *c;
	uprobe_configure();
	ksyms = NULL;
	ksyms_loaded = false;
	for (int i = 0; i < 2; i++) {
		free(ksyms_split[i]);
		ksyms_split[i] = NULL;
	}
	ksyms_split_done = false;
	tp_list_free(events);
	events = NULL;
	events_loaded = false;
	free(kpending);
	kpending = NULL;
	nkpending = nkdone = 0;
}

static const char *const *trace_events(void)
{
	if (!events_loaded)
		events = tp_list_events(probepoint_tracefs());
	events_loaded = true;
	return (const char *const *)events;
}

static const char *const *kernel_functions(void)
{
	if (!ksyms_loaded && cfg.kernel_functions)
		ksyms = cfg.kernel_functions(cfg.symbols_ctx);
	ksyms_loaded = true;
	return ksyms;
}

/*
 * The kernel's functions (@modules false: "name") or the loaded modules'
 * ("module:name"), split once from kernel_functions(); NULL if none.
 */
static const char *const *functions_of(bool modules)
{
	const char *const *all = kernel_functions();
	size_t n = 0, k[2] = { 0, 0 };

	if (!ksyms_split_done && all) {
		while (all[n])
			n++;
		for (int i = 0; i < 2; i++)
			ksyms_split[i] = calloc(n + 1, sizeof(*ksyms_split[i]));
		for (size_t i = 0; ksyms_split[0] && ksyms_split[1] && i < n;
		     i++) {
			int m = strchr(all[i], ':') != NULL;

			ksyms_split[m][k[m]++] = all[i];
		}
	}
	ksyms_split_done = true;
	if (!ksyms_split[modules] || !ksyms_split[modules][0])
		return NULL;
	return (const char *const *)ksyms_split[modules];
}

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/*
 * "; did you mean 'a', 'b' or 'c'?" from the @names closest to @want
 * (wildcard characters ignored), or "" when nothing is close.
 */
void probepoint_suggest(char *buf, size_t size, const char *want,
			const char *const *names)
{
	enum { N = 3 };
	const char *best[N] = { 0 };
	unsigned bestd[N] = { 99, 99, 99 };
	char key[64];
	size_t k = 0, len;
	unsigned limit;

	buf[0] = 0;
	for (const char *w = want; *w && k + 1 < sizeof(key); w++)
		if (!strchr("*?[]", *w))
			key[k++] = *w;
	key[k] = 0;
	len = strlen(key);
	limit = len <= 3 ? 1 : len <= 8 ? 2 : 3;
	for (; names && *names; names++) {
		unsigned d = edit_distance(key, *names);
		int i;

		if (d > limit || d >= bestd[N - 1])
			continue;
		for (i = N - 1; i > 0 && bestd[i - 1] > d; i--) {
			best[i] = best[i - 1];
			bestd[i] = bestd[i - 1];
		}
		best[i] = *names;
		bestd[i] = d;
	}
	if (!best[0])
		return;
	if (best[2])
		snprintf(buf, size, "; did you mean '%s', '%s' or '%s'?",
			 best[0], best[1], best[2]);
	else if (best[1])
		snprintf(buf, size, "; did you mean '%s' or '%s'?", best[0],
			 best[1]);
	else
		snprintf(buf, size, "; did you mean '%s'?", best[0]);
}

/* --------------------------------------------------- expansion */

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

/*
 * Replace wildcard point @pt by one point per match of @fc->str among
 * @names (sorted, duplicates once), chained where @pt was.  Returns the
 * number of matches; none leaves @pt as it is.
 */
static size_t expand(struct arena *a, struct probe_point *pt,
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

size_t probepoint_expand(struct arena *a, struct probe_point *pt,
			 struct point_comp *fc, const char *pattern,
			 const char *const *names, uint32_t flags)
{
	return expand(a, pt, fc, pattern, names, flags);
}

/* kernel.function("SYM")[.call|.return] */
/*
 * kernel.function("PATTERN") and, with @module, module("M").function(
 * "PATTERN"): the kprobe target is then "M:name", which the kernel's
 * symbol lookup resolves in module M.
 */
static void resolve_kernel_function(struct diag *d, struct arena *a,
				    struct probe_point *pt,
				    struct point_comp *fc,
				    const char *module)
{
	struct point_comp *suffix = fc->next;
	const char *const *names;
	const char *pattern = fc->str;
	char hint[256];
	int type = VT_PROBE_KPROBE;
	size_t n;

	if (suffix && !suffix->next && comp_is(suffix, "return", ARG_NONE))
		type = VT_PROBE_KRETPROBE;
	else if (suffix && !suffix->next && comp_is(suffix, "call", ARG_NONE))
		type = VT_PROBE_KPROBE;
	else if (suffix) {
		diag_error(d, suffix->loc, "unknown kernel.function suffix "
			   "'.%s' (known: .call, .return)", suffix->name);
		return;
	}
	if (!fc->str[0] || strpbrk(fc->str, "@:")) {
		diag_error(d, fc->loc, "kernel function '%s': file:line "
			   "and @file are not supported yet", fc->str);
		return;
	}
	if (module) {
		size_t len = strlen(module) + strlen(fc->str) + 2;
		char *full = arena_alloc(a, len);

		snprintf(full, len, "%s:%s", module, fc->str);
		pattern = full;
	}
	pt->type = type;
	pt->target = pattern;
	if (!has_wildcard(pattern))
		return;		/* the kernel says whether it exists */
	names = functions_of(module != NULL);
	if (!names && module) {
		diag_error(d, pt->loc, "no function of module \"%s\" is "
			   "listed (is the module loaded?)", module);
		pt->type = -1;
		return;
	}
	if (!names) {
		diag_error(d, fc->loc, "cannot expand kernel.function(\"%s\"): "
			   "no list of kernel functions (%s)", fc->str,
			   "/sys/kernel/tracing/available_filter_functions "
			   "or /proc/kallsyms");
		pt->type = -1;
		return;
	}
	n = expand(a, pt, fc, pattern, names, VT_PROBE_F_WILDCARD);
	if (n && module) {
		/* each match shows as module("M").function("name") */
		struct probe_point *q = pt;

		for (size_t i = 0; i < n; i++, q = q->next)
			q->comps->next->str = strchr(q->target, ':') + 1;
	}
	if (n)
		return;
	if (pt->optional)
		return;		/* the kernel refuses the pattern: skipped */
	probepoint_suggest(hint, sizeof(hint), pattern, names);
	if (module)
		diag_error(d, fc->loc, "no match for module(\"%s\").function"
			   "(\"%s\")%s", module, fc->str, hint);
	else
		diag_error(d, fc->loc, "no match for kernel.function(\"%s\")"
			   "%s", fc->str, hint);
	pt->type = -1;
}

/* ------------------------------------------------ timers, perf */

/* The kernel's HZ: from /boot/config-$(uname -r), else Debian's 250. */
static uint64_t kernel_hz(void)
{
	struct utsname u;
	char path[512], line[256];
	uint64_t hz = 250;
	FILE *f;

	if (uname(&u))
		return hz;
	snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	f = fopen(path, "r");
	if (!f)
		return hz;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "CONFIG_HZ=", 10))
			hz = strtoull(line + 10, NULL, 10);
	fclose(f);
	return hz ? hz : 250;
}

#define PERF_SW 1u	/* PERF_TYPE_SOFTWARE */
#define PERF_HW 0u	/* PERF_TYPE_HARDWARE */

/* timer.hz(N), timer.jiffies(N), timer.profile; false: not one of them. */
static bool resolve_timer_more(struct diag *d, struct probe_point *pt,
			       struct point_comp *c2)
{
	uint64_t ns = 0;

	if (comp_is(c2, "profile", ARG_NONE) && !c2->next) {
		/* every CPU, every tick, with the interrupted registers */
		pt->type = VT_PROBE_PERF;
		pt->event_id = PERF_SW << 24 | 0;	/* CPU_CLOCK */
		pt->period_ns = 1000000000ull / kernel_hz();
		return true;
	}
	if (!c2 || c2->next || c2->arg != ARG_NUM ||
	    (strcmp(c2->name, "hz") && strcmp(c2->name, "jiffies")))
		return false;
	if (c2->num <= 0 || c2->num > 1000000000) {
		diag_error(d, c2->loc, "timer.%s takes 1 to 1000000000",
			   c2->name);
		return true;
	}
	if (!strcmp(c2->name, "hz"))
		ns = 1000000000ull / (uint64_t)c2->num;
	else
		ns = (uint64_t)c2->num * (1000000000ull / kernel_hz());
	pt->type = VT_PROBE_TIMER;
	pt->period_ns = ns ? ns : 1;
	return true;
}

static const struct { const char *name; unsigned type, config; } perf_events[] = {
	{ "cpu_clock", PERF_SW, 0 }, { "task_clock", PERF_SW, 1 },
	{ "page_faults", PERF_SW, 2 }, { "context_switches", PERF_SW, 3 },
	{ "cpu_migrations", PERF_SW, 4 }, { "page_faults_min", PERF_SW, 5 },
	{ "page_faults_maj", PERF_SW, 6 },
	{ "cpu_cycles", PERF_HW, 0 }, { "instructions", PERF_HW, 1 },
	{ "cache_references", PERF_HW, 2 }, { "cache_misses", PERF_HW, 3 },
	{ "branch_instructions", PERF_HW, 4 }, { "branch_misses", PERF_HW, 5 },
	{ "bus_cycles", PERF_HW, 6 },
};

/* perf.sw.NAME[.sample(N)], perf.hw.NAME[.sample(N)] */
static void resolve_perf(struct diag *d, struct probe_point *pt,
			 struct point_comp *c2)
{
	struct point_comp *ev = c2 ? c2->next : NULL;
	struct point_comp *sm = ev ? ev->next : NULL;
	unsigned type;

	if (!c2 || (!comp_is(c2, "sw", ARG_NONE) &&
		    !comp_is(c2, "hw", ARG_NONE)) || !ev ||
	    ev->arg != ARG_NONE || (sm && (sm->next || sm->arg != ARG_NUM ||
					   strcmp(sm->name, "sample")))) {
		diag_error(d, pt->loc, "expected perf.sw.EVENT or "
			   "perf.hw.EVENT, optionally .sample(N)");
		return;
	}
	type = c2->name[0] == 's' ? PERF_SW : PERF_HW;
	for (size_t i = 0; i < sizeof(perf_events) / sizeof(perf_events[0]);
	     i++) {
		if (perf_events[i].type != type ||
		    strcmp(perf_events[i].name, ev->name))
			continue;
		if (sm && sm->num <= 0) {
			diag_error(d, sm->loc, "sample period must be "
				   "positive");
			return;
		}
		pt->type = VT_PROBE_PERF;
		pt->event_id = type << 24 | perf_events[i].config;
		pt->period_ns = sm ? (uint64_t)sm->num : 1000000;
		return;
	}
	diag_error(d, ev->loc, "unknown perf.%s event '%s'", c2->name,
		   ev->name);
}

/* kernel.trace("SUBSYS:EVENT") or ("EVENT"), wildcards in either. */
static void resolve_trace(struct diag *d, struct arena *a,
			  struct probe_point *pt, struct point_comp *tc)
{
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
			   "not readable", probepoint_tracefs());
		return;
	}
	if (!strchr(pattern, ':')) {
		char *p = arena_alloc(a, strlen(pattern) + 3);

		sprintf(p, "*:%s", pattern);
		pattern = p;
	}
	pt->type = VT_PROBE_TRACEPOINT;
	if (!expand(a, pt, tc, pattern, names,
		    has_wildcard(tc->str) ? VT_PROBE_F_WILDCARD : 0)) {
		pt->type = -1;
		if (pt->optional) {
			/* nothing to attach: an event id 0 is refused, so
			 * keep the point as a never-firing timer instead */
			pt->type = VT_PROBE_TIMER;
			pt->period_ns = 365ull * 24 * 3600 * 1000000000ull;
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
		probepoint_suggest(hint, sizeof(hint), tc->str, ev_names);
		free(short_names);
		diag_error(d, tc->loc, "no match for kernel.trace(\"%s\")%s",
			   tc->str, hint);
		return;
	}
	for (struct probe_point *q = pt; q && q != end; q = q->next) {
		struct tp_format *f = arena_alloc(a, sizeof(*f));
		const char *colon = strchr(q->target, ':');

		snprintf(path, sizeof(path), "%s/events/%.*s/%s/format",
			 probepoint_tracefs(), (int)(colon - q->target),
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

void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt)
{
	struct point_comp *c = pt->comps, *c2 = c ? c->next : NULL;

	if (!c || pt->type >= 0)
		return;		/* empty, or a wildcard match already done */
	/* begin(N), end(N): N orders them (alias_order_probes) */
	if (!c2 && (comp_is(c, "begin", ARG_NONE) ||
		    comp_is(c, "begin", ARG_NUM))) {
		pt->type = VT_PROBE_BEGIN;
		return;
	}
	if (!c2 && (comp_is(c, "end", ARG_NONE) ||
		    comp_is(c, "end", ARG_NUM))) {
		pt->type = VT_PROBE_END;
		return;
	}
	if (!c2 && comp_is(c, "error", ARG_NONE)) {
		pt->type = VT_PROBE_ERROR;
		return;
	}
	if (comp_is(c, "kernel", ARG_NONE) && comp_is(c2, "function",
						      ARG_STR)) {
		resolve_kernel_function(d, a, pt, c2, NULL);
		return;
	}
	if (comp_is(c, "module", ARG_STR) && comp_is(c2, "function", ARG_STR)) {
		if (!c->str[0] || has_wildcard(c->str) || strchr(c->str, ':')) {
			diag_error(d, c->loc, "module(\"%s\"): name one loaded "
				   "module (no wildcards)", c->str);
			return;
		}
		resolve_kernel_function(d, a, pt, c2, c->str);
		return;
	}
	if (comp_is(c, "syscall", ARG_NONE)) {
		syscall_resolve(d, a, pt, c);
		return;
	}
	if (!strcmp(c->name, "process")) {
		uprobe_resolve(d, a, pt, c, cfg.target_pid);
		return;
	}
	if (comp_is(c, "kernel", ARG_NONE) && comp_is(c2, "trace", ARG_STR)) {
		resolve_trace(d, a, pt, c2);
		return;
	}
	if (comp_is(c, "timer", ARG_NONE) && resolve_timer_more(d, pt, c2))
		return;
	if (comp_is(c, "perf", ARG_NONE)) {
		resolve_perf(d, pt, c2);
		return;
	}
	if (comp_is(c, "timer", ARG_NONE) && c2 && !c2->next &&
	    c2->arg == ARG_NUM) {
		for (size_t i = 0; i < sizeof(timer_units) /
		     sizeof(timer_units[0]); i++) {
			uint64_t mult = timer_units[i].ns;

			if (strcmp(c2->name, timer_units[i].name))
				continue;
			if (c2->num <= 0) {
				diag_error(d, c2->loc, "timer period must "
					   "be positive");
				return;
			}
			if ((uint64_t)c2->num > UINT64_MAX / mult) {
				diag_error(d, c2->loc, "timer period is "
					   "too large");
				return;
			}
			pt->type = VT_PROBE_TIMER;
			pt->period_ns = (uint64_t)c2->num * mult;
			return;
		}
	}
	diag_error(d, pt->loc, "unknown probe point '%s'",
		   point_text(a, pt));
}

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
			probepoint_suggest(hint, sizeof(hint), name, names);
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

bool probepoint_field(struct diag *d, struct arena *a, struct probe *p,
		      struct node *n)
{
	bool any = false;

	if (p->points && p->points->comps &&
	    !strcmp(p->points->comps->name, "syscall"))
		return syscall_field(d, a, p, n);
	if (p->points && (p->points->type == VT_PROBE_UPROBE ||
			  p->points->type == VT_PROBE_URETPROBE))
		return uprobe_field(d, a, p, n);
	for (struct probe_point *pt = p->points; pt; pt = pt->next)
		if (pt->type == VT_PROBE_TRACEPOINT && pt->info)
			any = true;
	if (!any)
		return false;
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

/* ------------------------------------------------ function addresses */

/*
 * Function entries (kernel.function(...) without .return): once a script
 * has KADDR_MIN of them, pass each one's address in vt_probe_desc.offset,
 * so the module arms them all through one ftrace update instead of one
 * kprobe (one ftrace update) each; 0 leaves a probe to a kprobe by name.
 * Fewer are not worth reading /proc/kallsyms (~1 s under QEMU TCG; one
 * kprobe costs ~80 ms there).  The module checks that an address is
 * @target's entry before it uses it.
 *
 * The addresses come from /proc/kallsyms (VTRACE_KALLSYMS names another
 * file; set but empty: none), read once per process and scanned for the
 * wanted names only.  Text symbols of vmlinux only; a name defined at two
 * addresses, or hidden addresses (kptr_restrict), give 0.
 */
#define KADDR_MIN 10

static char *kallsyms;			/* the file, NUL-terminated */
static bool kallsyms_loaded;

static void kallsyms_load(void)
{
	const char *path = getenv("VTRACE_KALLSYMS");
	size_t len = 0, cap = 0, n;
	char *nb;
	FILE *f;

	kallsyms_loaded = true;
	f = fopen(path ? path : "/proc/kallsyms", "r");
	if (!f)
		return;
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			nb = realloc(kallsyms, cap + 1);
			if (!nb)
				break;
			kallsyms = nb;
		}
		n = fread(kallsyms + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	if (kallsyms)
		kallsyms[len] = '\0';
}

struct kwant {
	const char *name;	/* NULL: empty slot */
	uint64_t addr;
	bool ambiguous;
};

static size_t kwant_hash(const char *s, size_t len)
{
	size_t h = 5381;

	while (len--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of @name (@len bytes) in @tab (@cap a power of 2). */
static struct kwant *kwant_slot(struct kwant *tab, size_t cap,
				const char *name, size_t len)
{
	size_t i = kwant_hash(name, len) & (cap - 1);

	while (tab[i].name && (strncmp(tab[i].name, name, len) ||
			       tab[i].name[len]))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

/* Set the offset of each of @pts[0..n) from one scan of kallsyms. */
static void resolve_addrs(struct probe_point **pts, size_t n)
{
	size_t cap = 16, i, len;
	struct kwant *tab, *w;
	const char *l, *name;
	char *end;

	if (!kallsyms_loaded)
		kallsyms_load();
	while (cap < 2 * n)
		cap *= 2;
	if (!kallsyms || !(tab = calloc(cap, sizeof(*tab))))
		return;
	for (i = 0; i < n; i++) {
		w = kwant_slot(tab, cap, pts[i]->target, strlen(pts[i]->target));
		w->name = pts[i]->target;
	}
	/* "addr type name", and "\t[module]" after a module's */
	for (l = kallsyms; *l; l = *end ? end + 1 : end) {
		uint64_t addr = strtoull(l, &end, 16);

		if (end[0] == ' ' && (end[1] == 't' || end[1] == 'T') &&
		    end[2] == ' ') {
			name = end + 3;
			len = strcspn(name, " \t\n");
			w = kwant_slot(tab, cap, name, len);
			if (w->name && name[len] != '\t' && name[len] != ' ') {
				if (w->addr && w->addr != addr)
					w->ambiguous = true;
				w->addr = addr;
			}
		}
		end = strchr(end, '\n');
		if (!end)
			break;
	}
	for (i = 0; i < n; i++) {
		w = kwant_slot(tab, cap, pts[i]->target, strlen(pts[i]->target));
		pts[i]->offset = w->ambiguous ? 0 : w->addr;
	}
	free(tab);
}

static void kernel_function_addrs(struct probe *p)
{
	const char *env = getenv("VTRACE_KALLSYMS");
	struct probe_point **np;

	if (env && !env[0])
		return;
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		if (pt->type != VT_PROBE_KPROBE || !pt->target || pt->offset)
			continue;
		np = realloc(kpending, (nkpending + 1) * sizeof(*np));
		if (!np)
			return;
		kpending = np;
		kpending[nkpending++] = pt;
	}
	if (nkpending >= KADDR_MIN && nkdone < nkpending) {
		resolve_addrs(kpending + nkdone, nkpending - nkdone);
		nkdone = nkpending;
	}
}

void probepoint_finish(struct diag *d, struct arena *a, struct probe *p)
{
	kernel_function_addrs(p);
	syscall_finish(d, a, p);
}
