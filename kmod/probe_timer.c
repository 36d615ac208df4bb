// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_timer.c - the timer provider: an hrtimer of period_ns on the CPU
 * that started the session; its callback (hard interrupt context) runs
 * the unit and re-arms.  Periods are clamped to VT_TIMER_MIN_NS so no
 * script can keep a CPU busy with timer interrupts.
 */
#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "session.h"

#define VT_TIMER_MIN_NS		(100 * NSEC_PER_USEC)
#define VT_TIMER_MAX_NS		(365ULL * 24 * 3600 * NSEC_PER_SEC)

struct vt_timer {
	struct hrtimer timer;
	struct vt_session *s;
	ktime_t period;
	u32 probe;
};

static enum hrtimer_restart vt_timer_hit(struct hrtimer *t)
{
	struct vt_timer *vt = container_of(t, struct vt_timer, timer);

	vt_fire_probe(vt->s, vt->probe, NULL, false);
	if (READ_ONCE(vt->s->stop_reason))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, vt->period);
	return HRTIMER_RESTART;
}
NOKPROBE_SYMBOL(vt_timer_hit);

int vt_timer_prepare(struct vt_session *s, u32 count)
{
	s->ntm = 0;
	s->tms = kvcalloc(count, sizeof(*s->tms), GFP_KERNEL_ACCOUNT);
	return s->tms ? 0 : -ENOMEM;
}

int vt_timer_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_timer *vt = &s->tms[s->ntm];
	u64 ns = clamp_t(u64, pd->period_ns, VT_TIMER_MIN_NS, VT_TIMER_MAX_NS);

	vt->s = s;
	vt->probe = probe;
	vt->period = ns_to_ktime(ns);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
	hrtimer_setup(&vt->timer, vt_timer_hit, CLOCK_MONOTONIC,
		      HRTIMER_MODE_REL);
#else
	hrtimer_init(&vt->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vt->timer.function = vt_timer_hit;
#endif
	s->ntm++;
	hrtimer_start(&vt->timer, vt->period, HRTIMER_MODE_REL);
	return 0;
}

void vt_timer_detach(struct vt_session *s)
{
	u32 i;

	/* hrtimer_cancel() waits for a callback in flight. */
	for (i = 0; i < s->ntm; i++)
		hrtimer_cancel(&s->tms[i].timer);
	s->ntm = 0;
	kvfree(s->tms);
	s->tms = NULL;
}
