// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_timer.c - the timer provider: an hrtimer of period_ns on the CPU
 * that started the session; its callback (hard interrupt context) runs
 * the unit and re-arms.  Periods are clamped to VT_TIMER_MIN_NS, and
 * START refuses (-ERANGE) a session whose timers and perf clocks would
 * expire more than max_timer_hz times a second on one CPU (the timer_hz
 * ops, summed in control.c): each expiration costs an interrupt that the
 * overload governor, which measures the firing path, cannot see.
 */
#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include <linux/sched/clock.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/version.h>

#include "session.h"

#define VT_TIMER_MAX_NS		(365ULL * 24 * 3600 * NSEC_PER_SEC)

struct vt_timer {
	struct hrtimer timer;
	struct vt_session *s;
	ktime_t period;
	u32 probe;
};

/* The whole callback counts as the firing's time (overload governor). */
static enum hrtimer_restart vt_timer_hit(struct hrtimer *t)
{
	struct vt_timer *vt = container_of(t, struct vt_timer, timer);
	struct vt_session *s = vt->s;
	struct vt_firing f = { .probe = vt->probe, .t_entry = vt_clock() };

	hrtimer_forward_now(t, vt->period);
	vt_fire_ctx(s, s->prog.probes[vt->probe].unit, false, &f);
	return READ_ONCE(s->stop_reason) ? HRTIMER_NORESTART : HRTIMER_RESTART;
}
NOKPROBE_SYMBOL(vt_timer_hit);

/* The provider's state: s->prov[VT_PROV_TIMER]. */
struct vt_timers {
	u32 n;				/* t[0..n) started */
	struct vt_timer t[];
};

static u64 vt_timer_bytes(const struct vt_session *s, u32 count)
{
	struct vt_timers *tm;

	return struct_size(tm, t, count);
}

/* Each timer runs on the CPU that started the session. */
static u64 vt_timer_timer_hz(const struct vt_probe_desc *pd)
{
	return vt_period_hz(pd->period_ns);
}

static int vt_timer_prepare(struct vt_session *s, u32 count)
{
	struct vt_timers *tm;

	tm = kvzalloc(struct_size(tm, t, count), GFP_KERNEL_ACCOUNT);
	s->prov[VT_PROV_TIMER] = tm;
	return tm ? 0 : -ENOMEM;
}

static int vt_timer_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_timers *tm = s->prov[VT_PROV_TIMER];
	struct vt_timer *vt = &tm->t[tm->n];
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
	tm->n++;
	hrtimer_start(&vt->timer, vt->period, HRTIMER_MODE_REL);
	return 0;
}

static bool vt_timer_detach(struct vt_session *s)
{
	struct vt_timers *tm = s->prov[VT_PROV_TIMER];
	u32 i;

	if (!tm)
		return false;
	/* hrtimer_cancel() waits for a callback in flight. */
	for (i = 0; i < tm->n; i++)
		hrtimer_cancel(&tm->t[i].timer);
	kvfree(tm);
	s->prov[VT_PROV_TIMER] = NULL;
	return false;
}

/*
 * State: one hrtimer per probe, started at attach; detach cancels each
 * (waiting for a callback in flight), then frees them all.
 */
const struct vt_provider vt_provider_timer = {
	.types = BIT(VT_PROBE_TIMER),
	.bytes = vt_timer_bytes,
	.timer_hz = vt_timer_timer_hz,
	.prepare = vt_timer_prepare,
	.attach = vt_timer_attach,
	.detach = vt_timer_detach,
};
