// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_end.c - the end provider: the unit runs once, at STOP, in the
 * ioctl caller's (or the releasing task's) context after every other
 * probe is disarmed.  It runs even after exit(), like SystemTap's end.
 */
#include "session.h"

void vt_end_at_stop(struct vt_session *s, u32 probe)
{
	vt_fire_probe(s, probe, NULL, true);
}
