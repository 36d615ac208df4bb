// SPDX-License-Identifier: GPL-2.0-only
/*
 * provider.c - the provider table, indexed by enum vt_probe_type.  A new
 * probe type adds a row here and a probe_<name>.c file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "session.h"

/*
 * After attaching probe @pd (@ret from its provider): 0 when it is
 * armed, or when it failed but may be skipped (an optional point, or one
 * match of a wildcard, counted in probes_skipped); else the error.
 */
int vt_attach_outcome(struct vt_session *s, const struct vt_probe_desc *pd,
		      int ret)
{
	if (!ret)
		return 0;
	if (pd->flags & (VT_PROBE_F_OPTIONAL | VT_PROBE_F_WILDCARD) &&
	    ret != -ENOMEM && ret != -EINTR) {
		if (pd->flags & VT_PROBE_F_WILDCARD)
			s->probes_skipped++;
		return 0;
	}
	pr_debug("cannot probe %s: %d\n", vt_prog_str(&s->prog, pd->point),
		 ret);
	return ret;
}

const struct vt_provider vt_providers[VT_PROBE_TYPE_COUNT] = {
	[VT_PROBE_BEGIN] = {
		.early = true,
		.attach = vt_begin_attach,
	},
	[VT_PROBE_END] = {
		.at_stop = vt_end_at_stop,
	},
	[VT_PROBE_ERROR] = {
		.at_stop = vt_error_at_stop,
	},
	[VT_PROBE_KPROBE] = {
		.bytes = vt_kprobe_bytes,
		.prepare = vt_kprobe_prepare,
		.attach = vt_kprobe_attach,
		.detach = vt_kprobe_detach,
	},
	[VT_PROBE_TIMER] = {
		.bytes = vt_timer_bytes,
		.prepare = vt_timer_prepare,
		.attach = vt_timer_attach,
		.detach = vt_timer_detach,
	},
	[VT_PROBE_KRETPROBE] = {
		.bytes = vt_kretprobe_bytes,
		.prepare = vt_kretprobe_prepare,
		.attach = vt_kretprobe_attach,
		.detach = vt_kretprobe_detach,
	},
	[VT_PROBE_TRACEPOINT] = {
		.bytes = vt_trace_bytes,
		.prepare = vt_trace_prepare,
		.attach = vt_trace_attach,
		.detach = vt_trace_detach,
		.free = vt_trace_free,
	},
	[VT_PROBE_PERF] = {
		.bytes = vt_perf_bytes,
		.prepare = vt_perf_prepare,
		.attach = vt_perf_attach,
		.detach = vt_perf_detach,
		.free = vt_perf_free,
	},
	[VT_PROBE_UPROBE] = {
		.bytes = vt_uprobe_bytes,
		.prepare = vt_uprobe_prepare,
		.attach = vt_uprobe_attach,
		.detach = vt_uprobe_detach,
	},
	[VT_PROBE_URETPROBE] = {	/* shares the uprobes' array and bytes */
		.prepare = vt_uprobe_prepare,
		.attach = vt_uprobe_attach,
		.detach = vt_uprobe_detach,
	},
	[VT_PROBE_PROC_BEGIN] = {
		.bytes = vt_proc_bytes,
		.prepare = vt_proc_prepare,
		.attach = vt_proc_attach,
		.detach = vt_proc_detach,
	},
	[VT_PROBE_PROC_END] = {	/* shares process.begin's array and bytes */
		.prepare = vt_proc_prepare,
		.attach = vt_proc_attach,
		.detach = vt_proc_detach,
	},
};
