/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tp_stash.h - a tracepoint's arguments beside its perf record
 * (tp_stash.c): a probe that reads both ($prev and $prev_pid) attaches
 * through perf (probe_trace.c) and keeps a stash of the arguments that
 * its overflow handler takes for the very call that produced the record.
 */
#ifndef VT_TP_STASH_H
#define VT_TP_STASH_H

#include <linux/types.h>

struct pt_regs;
struct tracepoint;
struct vt_tp_cpu;

/* One probe's stash. */
struct vt_tp_stash {
	struct tracepoint *tp;		/* NULL until attached */
	bool open, close;		/* that callback is registered */
	struct vt_tp_cpu __percpu *pc;	/* NULL until attached */
};

/* The vmlinux tracepoint called @name, or NULL (a module's: NULL). */
struct tracepoint *vt_tracepoint_find(const char *name);
/* Bytes a stash costs beside struct vt_tp_stash, for max_session_mb. */
u64 vt_tp_stash_bytes(void);
/*
 * Attach @st to vmlinux tracepoint @name (before the perf counters that
 * read it are opened): 0, -ENOENT, -ENOMEM or the registration's errno.
 * Registered callbacks stay registered on failure, for the detach.
 */
int vt_tp_stash_attach(struct vt_tp_stash *st, const char *name);
/*
 * In the perf overflow handler of @st's tracepoint: its call's arguments
 * 1-6 in @regs (di, si, dx, cx, r8, r9) and @regs, or NULL when the stash
 * cannot tell that call's arguments (then int_arg() faults CONTEXT).
 */
struct pt_regs *vt_tp_stash_take(struct vt_tp_stash *st, struct pt_regs *regs);
/*
 * Unregister (after the perf counters that read @st are released): true
 * if a callback was, and then @st must outlive the teardown's
 * tracepoint_synchronize_unregister() (freed by vt_tp_stash_free).
 */
bool vt_tp_stash_detach(struct vt_tp_stash *st);
void vt_tp_stash_free(struct vt_tp_stash *st);

#endif /* VT_TP_STASH_H */
