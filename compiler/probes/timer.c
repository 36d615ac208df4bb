// SPDX-License-Identifier: GPL-2.0-only
/*
 * timer.c - timer.s(N) ... timer.ns(N), timer.hz(N), timer.jiffies(N)
 * (hrtimers, VT_PROBE_TIMER) and timer.profile, perf.sw.NAME and
 * perf.hw.NAME[.sample(N)] (per-CPU perf events, VT_PROBE_PERF).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "provider.h"
#include "lang/print.h"
#include "vtrace_uapi.h"

static const struct { const char *name; uint64_t ns; } timer_units[] = {
	{ "s", 1000000000ull }, { "sec", 1000000000ull },
	{ "ms", 1000000ull }, { "msec", 1000000ull },
	{ "us", 1000ull }, { "usec", 1000ull },
	{ "ns", 1ull }, { "nsec", 1ull },
};

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

	if (probe_comp_is(c2, "profile", ARG_NONE) && !c2->next) {
		/* every CPU, every tick, with the interrupted registers */
		pt->type = VT_PROBE_PERF;
		pt->event_id = VT_PERF_EVENT(PERF_SW, 0);	/* CPU_CLOCK */
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

/* timer.UNIT(N); false: not one of them. */
static bool resolve_timer_units(struct diag *d, struct probe_point *pt,
				struct point_comp *c2)
{
	if (!c2 || c2->next || c2->arg != ARG_NUM)
		return false;
	for (size_t i = 0; i < sizeof(timer_units) / sizeof(timer_units[0]);
	     i++) {
		uint64_t mult = timer_units[i].ns;

		if (strcmp(c2->name, timer_units[i].name))
			continue;
		if (c2->num <= 0) {
			diag_error(d, c2->loc, "timer period must be "
				   "positive");
			return true;
		}
		if ((uint64_t)c2->num > UINT64_MAX / mult) {
			diag_error(d, c2->loc, "timer period is too large");
			return true;
		}
		pt->type = VT_PROBE_TIMER;
		pt->period_ns = (uint64_t)c2->num * mult;
		return true;
	}
	return false;
}

static bool claims_timer(const struct probe_point *pt)
{
	return probe_comp_is(pt->comps, "timer", ARG_NONE);
}

static void resolve_timer(struct diag *d, struct arena *a,
			  struct probe_point *pt)
{
	struct point_comp *c2 = pt->comps->next;

	if (!resolve_timer_more(d, pt, c2) &&
	    !resolve_timer_units(d, pt, c2))
		diag_error(d, pt->loc, "unknown probe point '%s'",
			   point_text(a, pt));
}

static int list_timer(struct probe_list *l)
{
	static const char *const points[] = {
		"timer.profile", "timer.s(N)", "timer.ms(N)", "timer.us(N)",
		"timer.ns(N)", "timer.hz(N)", "timer.jiffies(N)",
	};

	for (size_t i = 0; i < sizeof(points) / sizeof(points[0]); i++)
		probe_list_show(l, points[i], NULL);
	return 0;
}

const struct provider provider_timer = {
	.roots = { "timer" },
	.claims = claims_timer,
	.resolve = resolve_timer,
	.list = list_timer,
};

/* ------------------------------------------------------------- perf */

static const struct {
	const char *name;
	unsigned type, config;
	bool listed;	/* by -l (three are not, as before; they resolve) */
} perf_events[] = {
	{ "cpu_clock", PERF_SW, 0, true }, { "task_clock", PERF_SW, 1, true },
	{ "page_faults", PERF_SW, 2, true },
	{ "context_switches", PERF_SW, 3, true },
	{ "cpu_migrations", PERF_SW, 4, true },
	{ "page_faults_min", PERF_SW, 5, false },
	{ "page_faults_maj", PERF_SW, 6, false },
	{ "cpu_cycles", PERF_HW, 0, true }, { "instructions", PERF_HW, 1, true },
	{ "cache_references", PERF_HW, 2, true },
	{ "cache_misses", PERF_HW, 3, true },
	{ "branch_instructions", PERF_HW, 4, true },
	{ "branch_misses", PERF_HW, 5, true },
	{ "bus_cycles", PERF_HW, 6, false },
};
#define NPERF (sizeof(perf_events) / sizeof(perf_events[0]))

static bool claims_perf(const struct probe_point *pt)
{
	return probe_comp_is(pt->comps, "perf", ARG_NONE);
}

/* perf.sw.NAME[.sample(N)], perf.hw.NAME[.sample(N)] */
static void resolve_perf(struct diag *d, struct arena *a,
			 struct probe_point *pt)
{
	struct point_comp *c2 = pt->comps->next;
	struct point_comp *ev = c2 ? c2->next : NULL;
	struct point_comp *sm = ev ? ev->next : NULL;
	unsigned type;

	(void)a;
	if (!c2 || (!probe_comp_is(c2, "sw", ARG_NONE) &&
		    !probe_comp_is(c2, "hw", ARG_NONE)) || !ev ||
	    ev->arg != ARG_NONE || (sm && (sm->next || sm->arg != ARG_NUM ||
					   strcmp(sm->name, "sample")))) {
		diag_error(d, pt->loc, "expected perf.sw.EVENT or "
			   "perf.hw.EVENT, optionally .sample(N)");
		return;
	}
	type = c2->name[0] == 's' ? PERF_SW : PERF_HW;
	for (size_t i = 0; i < NPERF; i++) {
		if (perf_events[i].type != type ||
		    strcmp(perf_events[i].name, ev->name))
			continue;
		if (sm && sm->num <= 0) {
			diag_error(d, sm->loc, "sample period must be "
				   "positive");
			return;
		}
		pt->type = VT_PROBE_PERF;
		pt->event_id = VT_PERF_EVENT(type, perf_events[i].config);
		pt->period_ns = sm ? (uint64_t)sm->num : 1000000;
		return;
	}
	diag_error(d, ev->loc, "unknown perf.%s event '%s'", c2->name,
		   ev->name);
}

static int list_perf(struct probe_list *l)
{
	char point[64];

	for (size_t i = 0; i < NPERF; i++) {
		if (!perf_events[i].listed)
			continue;
		snprintf(point, sizeof(point), "perf.%s.%s",
			 perf_events[i].type == PERF_SW ? "sw" : "hw",
			 perf_events[i].name);
		probe_list_show(l, point, NULL);
	}
	return 0;
}

const struct provider provider_perf = {
	.roots = { "perf" },
	.claims = claims_perf,
	.resolve = resolve_perf,
	.list = list_perf,
};
