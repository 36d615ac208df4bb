// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_perf.c - the perf provider (timer.profile, perf.sw.*, perf.hw.*):
 * one kernel perf counter per online CPU, type and config from the
 * descriptor's event_id (VT_PERF_EVENT), sample_period period_ns
 * (nanoseconds for the clocks, events otherwise).  The overflow handler
 * runs the unit with the interrupted context's registers, so
 * user_mode() and register() work.  Hardware events may not exist (a
 * TCG guest): START then fails with the errno perf gives (-ENOENT,
 * -EOPNOTSUPP), named by the CLI.  CPUs coming online later are not
 * covered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "session.h"
#include "perf_set.h"

static void vt_perf_hit(struct perf_event *ev, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct vt_perf_probe *pf = ev->overflow_handler_context;

	vt_fire_probe(pf->s, pf->probe, regs, false);
}
NOKPROBE_SYMBOL(vt_perf_hit);

/* Ours, and the kernel's perf event per CPU (perf_set.c). */
static u64 vt_perf_bytes(const struct vt_session *s, u32 count)
{
	return vt_perf_sets_bytes(count);
}

/* @pd counts time (cpu_clock, task_clock): a timer, for max_timer_hz. */
static bool vt_perf_is_clock(const struct vt_probe_desc *pd)
{
	u32 type = VT_PERF_EVENT_TYPE(pd->event_id);
	u32 config = VT_PERF_EVENT_CONFIG(pd->event_id);

	return type == PERF_TYPE_SOFTWARE &&
	       (config == PERF_COUNT_SW_CPU_CLOCK ||
		config == PERF_COUNT_SW_TASK_CLOCK);
}

/* A clock's samples are timer interrupts, on every CPU. */
static u64 vt_perf_timer_hz(const struct vt_probe_desc *pd)
{
	return vt_perf_is_clock(pd) ? vt_period_hz(pd->period_ns) : 0;
}

static int vt_perf_prepare(struct vt_session *s, u32 count)
{
	s->prov[VT_PROV_PERF] = vt_perf_sets_new(count);
	return s->prov[VT_PROV_PERF] ? 0 : -ENOMEM;
}

static int vt_perf_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct perf_event_attr attr = {
		.type = VT_PERF_EVENT_TYPE(pd->event_id),
		.size = sizeof(attr),
		.config = VT_PERF_EVENT_CONFIG(pd->event_id),
		.sample_period = pd->period_ns,
		.pinned = 1,
	};

	/* clocks: no faster than timers (and counted in timer_hz) */
	if (vt_perf_is_clock(pd))
		attr.sample_period = max_t(u64, attr.sample_period,
					   VT_TIMER_MIN_NS);
	return vt_attach_outcome(s, pd,
				 vt_perf_sets_open(s->prov[VT_PROV_PERF], s,
						   probe, NULL, &attr, vt_perf_hit));
}

static bool vt_perf_detach(struct vt_session *s)
{
	return vt_perf_sets_release(s->prov[VT_PROV_PERF]);
}

static void vt_perf_free(struct vt_session *s)
{
	kvfree(s->prov[VT_PROV_PERF]);
	s->prov[VT_PROV_PERF] = NULL;
}

/*
 * State: the counter sets (struct vt_perf_sets), one per probe; as for
 * tracepoints, detach releases the counters, asks for the grace period
 * if it released one, and free frees the sets after it.
 */
const struct vt_provider vt_provider_perf = {
	.types = BIT(VT_PROBE_PERF),
	.bytes = vt_perf_bytes,
	.timer_hz = vt_perf_timer_hz,
	.prepare = vt_perf_prepare,
	.attach = vt_perf_attach,
	.detach = vt_perf_detach,
	.free = vt_perf_free,
};
