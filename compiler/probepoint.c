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

#include "probepoint.h"
#include "parser.h"
#include "../vm/vtrace_uapi.h"

const char *point_text(struct arena *a, const struct probe_point *pt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *r;

	if (!f)
		return "?";
	print_point(f, pt);
	fclose(f);
	r = arena_strndup(a, buf ? buf : "", buf ? len : 0);
	free(buf);
	return r;
}

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

void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt)
{
	struct point_comp *c = pt->comps, *c2 = c ? c->next : NULL;

	if (!c)
		return;
	if (!c2 && comp_is(c, "begin", ARG_NONE)) {
		pt->type = VT_PROBE_BEGIN;
		return;
	}
	if (!c2 && comp_is(c, "end", ARG_NONE)) {
		pt->type = VT_PROBE_END;
		return;
	}
	if (comp_is(c, "kernel", ARG_NONE) && c2 && !c2->next &&
	    comp_is(c2, "function", ARG_STR)) {
		if (!c2->str[0] || strpbrk(c2->str, "*?[]@:")) {
			diag_error(d, c2->loc, "kernel function '%s': "
				   "wildcards and file:line are not supported "
				   "yet", c2->str);
			return;
		}
		pt->type = VT_PROBE_KPROBE;
		pt->target = c2->str;
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
