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
#include "perf_set.h"

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
static u64 vt_trace_bytes(const struct vt_session *s, u32 count)
{
	return vt_perf_sets_bytes(count);
}

static int vt_trace_prepare(struct vt_session *s, u32 count)
{
	s->prov[VT_PROV_TRACE] = vt_perf_sets_new(count);
	return s->prov[VT_PROV_TRACE] ? 0 : -ENOMEM;
}

static int vt_trace_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = pd->event_id,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
	};

	return vt_attach_outcome(s, pd,
				 vt_perf_sets_open(s->prov[VT_PROV_TRACE], s,
						   probe, &attr, vt_trace_hit));
}

static bool vt_trace_detach(struct vt_session *s)
{
	return vt_perf_sets_release(s->prov[VT_PROV_TRACE]);
}

static void vt_trace_free(struct vt_session *s)
{
	kvfree(s->prov[VT_PROV_TRACE]);
	s->prov[VT_PROV_TRACE] = NULL;
}

/*
 * State: the counter sets (struct vt_perf_sets), one per probe.  detach
 * releases every counter but keeps the sets, which a handler may still
 * read until the teardown's grace period (it asks for one if it released
 * a counter); free frees them after it.
 */
const struct vt_provider vt_provider_trace = {
	.types = BIT(VT_PROBE_TRACEPOINT),
	.bytes = vt_trace_bytes,
	.prepare = vt_trace_prepare,
	.attach = vt_trace_attach,
	.detach = vt_trace_detach,
	.free = vt_trace_free,
};
