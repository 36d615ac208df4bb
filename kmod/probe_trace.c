// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_trace.c - the tracepoint provider: one perf event per online CPU
 * (PERF_TYPE_TRACEPOINT, config = the tracefs event ID the compiler
 * read from the event's format file, sample_period 1, PERF_SAMPLE_RAW).
 * The overflow handler runs in the tracepoint's context and hands the
 * raw record (the trace entry the format file describes) to the VM,
 * which reads fields through vt_host_event(), bounds-checked.  A probe
 * with VT_PROBE_F_ARGS also reads the tracepoint's arguments: a stash
 * (tp_stash.c) on the same tracepoint gives the handler its call's
 * arguments 1-6 in a pt_regs, for int_arg(N) .. pointer_arg(N).
 *
 * CPUs that come online after START are not covered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "session.h"
#include "perf_set.h"
#include "tp_stash.h"

/* The provider's state. */
struct vt_traces {
	struct vt_perf_sets *sets;
	u32 n;				/* st[] used */
	struct vt_tp_stash st[];	/* one per probe with VT_PROBE_F_ARGS */
};

static void vt_trace_hit(struct perf_event *ev, struct perf_sample_data *data,
			 struct pt_regs *regs)
{
	struct vt_perf_probe *tp = ev->overflow_handler_context;
	struct pt_regs args = { 0 };
	struct vt_firing f = { .probe = tp->probe };

	if (tp->priv)
		f.regs = vt_tp_stash_take(tp->priv, &args);
	if (data->sample_flags & PERF_SAMPLE_RAW && data->raw) {
		f.event = data->raw->frag.data;
		f.event_size = data->raw->frag.size;
	}
	vt_fire_ctx(tp->s, tp->s->prog.probes[tp->probe].unit, false, &f);
}
NOKPROBE_SYMBOL(vt_trace_hit);

/* Ours, the kernel's perf event per CPU (perf_set.c) and the stashes. */
static u64 vt_trace_bytes(const struct vt_session *s, u32 count)
{
	return vt_perf_sets_bytes(count) +
	       struct_size((struct vt_traces *)NULL, st, count) +
	       (u64)count * vt_tp_stash_bytes();
}

static int vt_trace_prepare(struct vt_session *s, u32 count)
{
	struct vt_traces *ts = kvzalloc(struct_size(ts, st, count),
					GFP_KERNEL_ACCOUNT);

	if (!ts)
		return -ENOMEM;
	s->prov[VT_PROV_TRACE] = ts;
	ts->sets = vt_perf_sets_new(count);
	return ts->sets ? 0 : -ENOMEM;
}

static int vt_trace_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_traces *ts = s->prov[VT_PROV_TRACE];
	struct vt_tp_stash *st = NULL;
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = pd->event_id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
	};
	const char *name;
	int ret;

	if (pd->flags & VT_PROBE_F_ARGS) {
		/* "subsys:event" (the loader checked the colon) */
		name = strchr(vt_prog_str(&s->prog, pd->target), ':') + 1;
		st = &ts->st[ts->n++];
		ret = vt_tp_stash_attach(st, name);
		if (ret)
			return vt_attach_outcome(s, pd, ret);
	}
	return vt_attach_outcome(s, pd,
				 vt_perf_sets_open(ts->sets, s, probe, st,
						   &attr, vt_trace_hit));
}

/* Counters first, then stashes: the order tp_stash.c's invariant needs. */
static bool vt_trace_detach(struct vt_session *s)
{
	struct vt_traces *ts = s->prov[VT_PROV_TRACE];
	bool any;
	u32 i;

	if (!ts)
		return false;
	any = vt_perf_sets_release(ts->sets);
	for (i = 0; i < ts->n; i++)
		any |= vt_tp_stash_detach(&ts->st[i]);
	return any;
}

static void vt_trace_free(struct vt_session *s)
{
	struct vt_traces *ts = s->prov[VT_PROV_TRACE];
	u32 i;

	for (i = 0; ts && i < ts->n; i++)
		vt_tp_stash_free(&ts->st[i]);
	if (ts)
		kvfree(ts->sets);
	kvfree(ts);
	s->prov[VT_PROV_TRACE] = NULL;
}

/*
 * State: struct vt_traces, the counter sets (struct vt_perf_sets), one
 * per probe, and the stashes of the probes with VT_PROBE_F_ARGS.  detach
 * releases every counter, then unregisters every stash, but keeps both,
 * which a handler or callback may still read until the teardown's grace
 * period (it asks for one if it released or unregistered anything); free
 * frees them after it.
 */
const struct vt_provider vt_provider_trace = {
	.types = BIT(VT_PROBE_TRACEPOINT),
	.bytes = vt_trace_bytes,
	.prepare = vt_trace_prepare,
	.attach = vt_trace_attach,
	.detach = vt_trace_detach,
	.free = vt_trace_free,
};
