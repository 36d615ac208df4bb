/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probe_fentry_batch.h - the batch backend of kernel function entries
 * (probe_fentry_batch.c), used by the kprobe provider only: KPROBE probes
 * whose function address user space passed (vt_probe_desc.offset) share
 * one ftrace_ops, armed by one ftrace update.
 */
#ifndef VT_PROBE_FENTRY_BATCH_H
#define VT_PROBE_FENTRY_BATCH_H

#include <linux/types.h>

struct vt_fentry_batch;
struct vt_session;

/* Bytes of a batch of @count entries, for max_session_mb. */
u64 vt_fentry_batch_bytes(u32 count);
/* An empty batch with room for @count probes of @s, or NULL. */
struct vt_fentry_batch *vt_fentry_batch_new(struct vt_session *s, u32 count);
/*
 * Queue @probe: 0, or -ENOENT when its address is unknown or does not
 * check out (not its symbol at +0, or in a module); the caller then makes
 * it a kprobe.  Not after arm.
 */
int vt_fentry_batch_add(struct vt_fentry_batch *b, u32 probe);
/*
 * One ftrace update for every queued probe; those ftrace refused (all of
 * them if it refused the ops) are left for kprobes: _refused(b, i) for
 * i < _nrefused(b) is the probe index.
 */
void vt_fentry_batch_arm(struct vt_fentry_batch *b);
u32 vt_fentry_batch_nrefused(const struct vt_fentry_batch *b);
u32 vt_fentry_batch_refused(const struct vt_fentry_batch *b, u32 i);
/* Disarm (waits for callbacks in flight) and free; @b may be NULL. */
void vt_fentry_batch_free(struct vt_fentry_batch *b);

#endif /* VT_PROBE_FENTRY_BATCH_H */
