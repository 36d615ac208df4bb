// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_perf.c - the perf provider (timer.profile, perf.sw.*, perf.hw.*):
 * one kernel perf counter per online CPU, type and config from the
 * descriptor's event_id (type << 24 | config), sample_period period_ns
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

static void vt_perf_hit(struct perf_event *ev, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct vt_perf_probe *pf = ev->overflow_handler_context;

	vt_fire_probe(pf->s, pf->probe, regs, false);
}
NOKPROBE_SYMBOL(vt_perf_hit);

/* Ours, and the kernel's perf event per CPU (perf_set.c). */
u64 vt_perf_bytes(const struct vt_session *s)
{
	return (u64)s->ntype[VT_PROBE_PERF] * vt_perf_set_bytes();
}

int vt_perf_prepare(struct vt_session *s, u32 count)
{
	s->npf = 0;
	s->pfs = kvcalloc(count, sizeof(*s->pfs), GFP_KERNEL_ACCOUNT);
	return s->pfs ? 0 : -ENOMEM;
}

/* @pd counts time (cpu_clock, task_clock): a timer, for max_timer_hz. */
bool vt_perf_is_clock(const struct vt_probe_desc *pd)
{
	u32 type = pd->event_id >> 24, config = pd->event_id & 0xffffff;

	return type == PERF_TYPE_SOFTWARE &&
	       (config == PERF_COUNT_SW_CPU_CLOCK ||
		config == PERF_COUNT_SW_TASK_CLOCK);
}

int vt_perf_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_perf_probe *pf = &s->pfs[s->npf];
	struct perf_event_attr attr = {
		.type = pd->event_id >> 24,
		.size = sizeof(attr),
		.config = pd->event_id & 0xffffff,
		.sample_period = pd->period_ns,
		.pinned = 1,
	};
	int ret;

	/* clocks: no faster than timers (and counted in vt_timer_hz) */
	if (vt_perf_is_clock(pd))
		attr.sample_period = max_t(u64, attr.sample_period,
					   VT_TIMER_MIN_NS);
	pf->s = s;
	pf->probe = probe;
	ret = vt_perf_set_open(pf, &attr, vt_perf_hit);
	/*
	 * The slot is used even if the open failed: a handler of a counter
	 * it opened and released may still read it until the teardown's
	 * grace period, so a later probe must not rewrite it.
	 */
	s->npf++;
	return vt_attach_outcome(s, pd, ret);
}

/* Handlers may still run on the counters' contexts: see vt_perf_free. */
void vt_perf_detach(struct vt_session *s)
{
	u32 i;

	for (i = 0; i < s->npf; i++)
		vt_perf_set_release(&s->pfs[i]);
	s->npf = 0;
}

/* After the teardown's grace period (perf_set.c): no handler uses them. */
void vt_perf_free(struct vt_session *s)
{
	kvfree(s->pfs);
	s->pfs = NULL;
}
