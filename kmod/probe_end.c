// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_end.c - the end and error providers: the unit runs once, at STOP,
 * in the ioctl caller's (or the releasing task's) context after every
 * other probe is disarmed.  As in SystemTap, a session that MAXERRORS
 * stopped runs its error probes instead of its end probes; otherwise the
 * end probes run (even after exit()).
 */
#include "session.h"

static bool vt_failed(struct vt_session *s)
{
	return READ_ONCE(s->stop_reason) == VT_STOP_MAXERRORS;
}

static void vt_end_at_stop(struct vt_session *s, u32 probe)
{
	if (!vt_failed(s))
		vt_fire_probe(s, probe, NULL, true);
}

static void vt_error_at_stop(struct vt_session *s, u32 probe)
{
	if (vt_failed(s))
		vt_fire_probe(s, probe, NULL, true);
}

/*
 * No state, nothing armed: at_stop runs the unit, after every provider
 * was detached and freed, in PROBES order (sorted by end(N)).
 */
const struct vt_provider vt_provider_end = {
	.types = BIT(VT_PROBE_END),
	.at_stop = vt_end_at_stop,
};

const struct vt_provider vt_provider_error = {
	.types = BIT(VT_PROBE_ERROR),
	.at_stop = vt_error_at_stop,
};
