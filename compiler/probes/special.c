// SPDX-License-Identifier: GPL-2.0-only
/*
 * special.c - the points of the session itself: begin, begin(N), end,
 * end(N) (N orders them: codegen sorts PROBES), error (after a firing
 * faults), never; and the reserved root kprobe.
 */
#include "provider.h"
#include "vtrace_uapi.h"

/* NAME or NAME(N), alone. */
static bool alone(const struct probe_point *pt, const char *name, bool num)
{
	const struct point_comp *c = pt->comps;

	return !c->next && (probe_comp_is(c, name, ARG_NONE) ||
			    (num && probe_comp_is(c, name, ARG_NUM)));
}

static bool claims_begin(const struct probe_point *pt)
{
	return alone(pt, "begin", true);
}

static bool claims_end(const struct probe_point *pt)
{
	return alone(pt, "end", true);
}

static bool claims_error(const struct probe_point *pt)
{
	return alone(pt, "error", false);
}

static void resolve_begin(struct diag *d, struct arena *a,
			  struct probe_point *pt)
{
	(void)d, (void)a;
	pt->type = VT_PROBE_BEGIN;
}

static void resolve_end(struct diag *d, struct arena *a,
			struct probe_point *pt)
{
	(void)d, (void)a;
	pt->type = VT_PROBE_END;
}

static void resolve_error(struct diag *d, struct arena *a,
			  struct probe_point *pt)
{
	(void)d, (void)a;
	pt->type = VT_PROBE_ERROR;
}

static int list_begin(struct probe_list *l)
{
	probe_list_show(l, "begin", NULL);
	return 0;
}

static int list_end(struct probe_list *l)
{
	probe_list_show(l, "end", NULL);
	return 0;
}

const struct provider provider_begin = {
	.roots = { "begin" },
	.claims = claims_begin,
	.resolve = resolve_begin,
	.list = list_begin,
};

const struct provider provider_end = {
	.roots = { "end" },
	.claims = claims_end,
	.resolve = resolve_end,
	.list = list_end,
};

const struct provider provider_error = {
	.roots = { "error" },
	.claims = claims_error,
	.resolve = resolve_error,
};

/* `never` alone is dropped by alias expansion (expand/alias.c), so no
 * never point reaches a provider; `never.x` is an unknown point. */
const struct provider provider_never = {
	.roots = { "never" },
};

/* SystemTap's DWARF-less kprobe.function(...): the root is reserved (no
 * tapset alias takes it) and has no points yet. */
const struct provider provider_kprobe = {
	.roots = { "kprobe" },
};
