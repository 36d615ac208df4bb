/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perf_set.h - kernel perf counters for the tracepoint and perf
 * providers (perf_set.c): a set of one counter per online CPU per probe,
 * and the array of sets one provider keeps as its state.
 */
#ifndef VT_PERF_SET_H
#define VT_PERF_SET_H

#include <linux/types.h>

struct perf_event;
struct perf_event_attr;
struct perf_sample_data;
struct pt_regs;
struct vt_session;

/* One probe's counters; the handlers' context. */
struct vt_perf_probe {
	struct vt_session *s;
	u32 probe;
	void *priv;			/* the provider's, for its handler */
	struct perf_event **ev;		/* per CPU id, NULL where none */
};

/*
 * A provider's sets.  pp[0..n) were handed out: a set whose open failed
 * stays used, because a handler of a counter it opened and released may
 * still read it until the teardown's grace period.
 */
struct vt_perf_sets {
	u32 n;
	bool released;			/* a counter was released */
	struct vt_perf_probe pp[];
};

/* Bytes of @count sets with their counters, for max_session_mb. */
u64 vt_perf_sets_bytes(u32 count);
/* Room for @count sets (a provider's prepare), or NULL. */
struct vt_perf_sets *vt_perf_sets_new(u32 count);
/*
 * The next set, open for @probe of @s: @attr on every online CPU with
 * handler @hit, which finds @priv in the set; 0 or the errno of the counter that failed (none is left
 * open then).
 */
int vt_perf_sets_open(struct vt_perf_sets *sets, struct vt_session *s,
		      u32 probe, void *priv, struct perf_event_attr *attr,
		      void (*hit)(struct perf_event *ev,
				  struct perf_sample_data *data,
				  struct pt_regs *regs));
/*
 * Release every counter of every set (a provider's detach; @sets may be
 * NULL).  Does NOT wait for handlers in flight: true if a counter was
 * released, and then @sets must outlive one grace period (the provider
 * frees it in its free op).
 */
bool vt_perf_sets_release(struct vt_perf_sets *sets);

#endif /* VT_PERF_SET_H */
