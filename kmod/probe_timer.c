// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_timer.c - the timer provider: an hrtimer of period_ns on the CPU
 * that started the session; its callback (hard interrupt context) runs
 * the unit and re-arms.  Periods are clamped to VT_TIMER_MIN_NS, and
 * START refuses (-ERANGE) a session whose timers and perf clocks would
 * expire more than max_timer_hz times a second on one CPU (vt_timer_hz):
 * each expiration costs an interrupt that the overload governor, which
 * measures the firing path, cannot see.
 */
#include <linux/hrtimer.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/sched/clock.h>
#include <linux/mm.h>
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

u64 vt_timer_bytes(const struct vt_session *s)
{
	return (u64)s->ntype[VT_PROBE_TIMER] * sizeof(struct vt_timer);
}

/* Expirations a second of a timer or perf clock of period @ns. */
static u64 vt_hz(u64 ns)
{
	return DIV64_U64_ROUND_UP(NSEC_PER_SEC, max_t(u64, ns, VT_TIMER_MIN_NS));
}

/*
 * Timer expirations a second @p asks of one CPU: its timers all run on
 * the CPU that started it, and each perf clock (timer.profile,
 * perf.sw.cpu_clock, perf.sw.task_clock; periods clamped the same way,
 * probe_perf.c) on every CPU.
 */
u64 vt_timer_hz(const struct vt_prog *p)
{
	u64 hz = 0;
	u32 i;

	for (i = 0; i < p->nprobes; i++) {
		const struct vt_probe_desc *pd = &p->probes[i];

		if (pd->type == VT_PROBE_TIMER ||
		    (pd->type == VT_PROBE_PERF && vt_perf_is_clock(pd)))
			hz += vt_hz(pd->period_ns);
	}
	return hz;
}

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
