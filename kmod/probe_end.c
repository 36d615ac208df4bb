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

void vt_end_at_stop(struct vt_session *s, u32 probe)
{
	if (!vt_failed(s))
		vt_fire_probe(s, probe, NULL, true);
}

void vt_error_at_stop(struct vt_session *s, u32 probe)
{
	if (vt_failed(s))
		vt_fire_probe(s, probe, NULL, true);
}
