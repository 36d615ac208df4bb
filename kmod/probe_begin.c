// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_begin.c - the begin provider: the unit runs once, at START, in
 * the ioctl caller's context (preemption disabled by vt_fire_ctx), before
 * any other probe is armed.
 */
#include "session.h"

static int vt_begin_attach(struct vt_session *s, u32 probe)
{
	vt_fire_probe(s, probe, NULL, false);
	return 0;
}

/*
 * No state, nothing armed: attach runs the unit, in the early pass (in
 * PROBES order, which the compiler sorts by begin(N)); no detach.
 */
const struct vt_provider vt_provider_begin = {
	.types = BIT(VT_PROBE_BEGIN),
	.early = true,
	.attach = vt_begin_attach,
};
