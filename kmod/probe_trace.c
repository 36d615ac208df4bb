// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_trace.c - the tracepoint provider: one perf event per online CPU
 * (PERF_TYPE_TRACEPOINT, config = the tracefs event ID the compiler
 * read from the event's format file, sample_period 1, PERF_SAMPLE_RAW).
 * The overflow handler runs in the tracepoint's context and hands the
 * raw record (the trace entry the format file describes) to the VM,
 * which reads fields through vt_host_event(), bounds-checked.
 *
 * CPUs that come online after START are not covered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "session.h"

static void vt_trace_hit(struct perf_event *ev, struct perf_sample_data *data,
			 struct pt_regs *regs)
{
	struct vt_perf_probe *tp = ev->overflow_handler_context;
	struct vt_firing f = { .probe = tp->probe };

	if (data->sample_flags & PERF_SAMPLE_RAW && data->raw) {
		f.event = data->raw->frag.data;
		f.event_size = data->raw->frag.size;
	}
	vt_fire_ctx(tp->s, tp->s->prog.probes[tp->probe].unit, false, &f);
}
NOKPROBE_SYMBOL(vt_trace_hit);

/* Ours, and the kernel's perf event per CPU (perf_set.c). */
u64 vt_trace_bytes(const struct vt_session *s)
{
	return (u64)s->ntype[VT_PROBE_TRACEPOINT] * vt_perf_set_bytes();
}

int vt_trace_prepare(struct vt_session *s, u32 count)
{
	s->ntp = 0;
	s->probes_skipped = 0;	/* every prepare runs before any attach */
	s->tps = kvcalloc(count, sizeof(*s->tps), GFP_KERNEL_ACCOUNT);
	return s->tps ? 0 : -ENOMEM;
}

int vt_trace_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_perf_probe *tp = &s->tps[s->ntp];
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = pd->event_id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
	};
	int ret;

	tp->s = s;
	tp->probe = probe;
	ret = vt_perf_set_open(tp, &attr, vt_trace_hit);
	/*
	 * The slot is used even if the open failed: a handler of a counter
	 * it opened and released may still read it until the teardown's
	 * grace period, so a later probe must not rewrite it.
	 */
	s->ntp++;
	return vt_attach_outcome(s, pd, ret);
}

/* Handlers may still run on the counters' contexts: see vt_trace_free. */
void vt_trace_detach(struct vt_session *s)
{
	u32 i;

	for (i = 0; i < s->ntp; i++)
		vt_perf_set_release(&s->tps[i]);
	s->ntp = 0;
}

/* After the teardown's grace period (perf_set.c): no handler uses them. */
void vt_trace_free(struct vt_session *s)
{
	kvfree(s->tps);
	s->tps = NULL;
}
