// SPDX-License-Identifier: GPL-2.0-only
/*
 * provider.c - the provider table, indexed by enum vt_probe_type.  A new
 * probe type adds a row here and a probe_<name>.c file.
 */
#include "session.h"

const struct vt_provider vt_providers[VT_PROBE_TYPE_COUNT] = {
	[VT_PROBE_BEGIN] = {
		.early = true,
		.attach = vt_begin_attach,
	},
	[VT_PROBE_END] = {
		.at_stop = vt_end_at_stop,
	},
	[VT_PROBE_KPROBE] = {
		.prepare = vt_kprobe_prepare,
		.attach = vt_kprobe_attach,
		.detach = vt_kprobe_detach,
	},
	[VT_PROBE_TIMER] = {
		.prepare = vt_timer_prepare,
		.attach = vt_timer_attach,
		.detach = vt_timer_detach,
	},
	[VT_PROBE_KRETPROBE] = {
		.prepare = vt_kretprobe_prepare,
		.attach = vt_kretprobe_attach,
		.detach = vt_kretprobe_detach,
	},
	[VT_PROBE_TRACEPOINT] = {
		.prepare = vt_trace_prepare,
		.attach = vt_trace_attach,
		.detach = vt_trace_detach,
	},
	[VT_PROBE_PERF] = {
		.prepare = vt_perf_prepare,
		.attach = vt_perf_attach,
		.detach = vt_perf_detach,
	},
};
