/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * provider.h - the provider table: one struct vt_provider of ops per
 * provider, each defined once, in its own probe_*.c file (its only
 * export), and listed once in VT_PROVIDERS (as the compiler lists its
 * providers in compiler/probes/provider.h, and the BPF core its program
 * types in bpf_types.h).  control.c drives every provider through this
 * table; a provider's state is its own, behind its slot of the session
 * (vt_session.prov[]), which only its file reads.  Also the helpers the
 * providers share.
 *
 * A provider's life in a session (control.c):
 *
 *   START   prepare, once, if the session has probes of its types
 *           attach, per probe in probe order (the early provider's
 *           first: begin runs before anything else is armed)
 *           arm, right after the attach of its last probe
 *   STOP    detach, every provider in table order (also when START
 *           failed part way); one grace period if a detach asks for it;
 *           free, every provider; then at_stop, per probe in probe
 *           order (STOP only: end, error)
 *
 * The session itself (runtime, output, maps) outlives all of this: it
 * is freed at release.
 */
#ifndef VT_PROVIDER_H
#define VT_PROVIDER_H

#include <linux/bits.h>
#include <linux/init.h>
#include <linux/time64.h>
#include <linux/types.h>

#include "vtrace_uapi.h"

struct vt_session;

struct vt_provider {
	/* The probe types it runs, BIT(VT_PROBE_*): each has one provider. */
	u32 types;
	/*
	 * Bytes prepare and attach will allocate for the session's @count
	 * probes of its types, the kernel's own per-probe state included
	 * where its size is known, for max_session_mb (NULL: none).
	 */
	u64 (*bytes)(const struct vt_session *s, u32 count);
	/*
	 * Timer expirations a second probe @pd asks of one CPU, for
	 * max_timer_hz (NULL: none).
	 */
	u64 (*timer_hz)(const struct vt_probe_desc *pd);
	/*
	 * Allocate its state for @count > 0 probes and put it in its slot of
	 * s->prov[] (NULL: keeps none).  On failure detach frees the part
	 * allocated.
	 */
	int (*prepare)(struct vt_session *s, u32 count);
	/* Its probes attach in a first pass, before any other provider's. */
	bool early;
	/*
	 * Arm probe @probe, or leave it (vt_attach_outcome); 0 or a negative
	 * errno that fails START.
	 */
	int (*attach)(struct vt_session *s, u32 probe);
	/* After its last probe attached: arm what attach queued (or NULL). */
	int (*arm)(struct vt_session *s);
	/*
	 * Disarm every probe it armed and free what no handler can read any
	 * more; called for every provider, prepared or not, at STOP and when
	 * START fails.  True when a handler may still run after it returned
	 * (perf counters: perf_set.h); the teardown then waits one grace
	 * period before any free.  NULL: it arms nothing, and its probes do
	 * not count in max_probes (begin, end, error).
	 */
	bool (*detach)(struct vt_session *s);
	/* After every detach and that grace period: free the rest (or NULL). */
	void (*free)(struct vt_session *s);
	/* At STOP, after every free, for each of its probes (or NULL). */
	void (*at_stop)(struct vt_session *s, u32 probe);
};

/*
 * Every provider, in the order the teardown detaches them.  X(ID, name)
 * defines VT_PROV_ID, its index in vt_providers and s->prov[], and the
 * ops struct vt_provider_name.
 */
#define VT_PROVIDERS(X)							\
	X(BEGIN, begin)		/* probe_begin.c */			\
	X(END, end)		/* probe_end.c */			\
	X(ERROR, error)		/* probe_end.c */			\
	X(KPROBE, kprobe)	/* probe_kprobe.c, probe_fentry_batch.c */ \
	X(TIMER, timer)		/* probe_timer.c */			\
	X(KRETPROBE, kretprobe)	/* probe_kretprobe.c */			\
	X(TRACE, trace)		/* probe_trace.c: tracepoints */	\
	X(RAWTP, rawtp)		/* probe_rawtp.c: raw tracepoints */	\
	X(PERF, perf)		/* probe_perf.c */			\
	X(UPROBE, uprobe)	/* probe_uprobe.c: and uretprobes */	\
	X(PROC, proc)		/* probe_proc.c: process.begin, .end */

enum vt_provider_id {
#define VT_PROVIDER_ID(id, name) VT_PROV_##id,
	VT_PROVIDERS(VT_PROVIDER_ID)
#undef VT_PROVIDER_ID
	VT_PROV_COUNT
};

#define VT_PROVIDER_DECL(id, name)					\
	extern const struct vt_provider vt_provider_##name;
VT_PROVIDERS(VT_PROVIDER_DECL)
#undef VT_PROVIDER_DECL

/* provider.c: the table, indexed by enum vt_provider_id. */
extern const struct vt_provider *const vt_providers[VT_PROV_COUNT];
/* The provider of probe type @type (< VT_PROBE_TYPE_COUNT). */
u32 vt_provider_of(u32 type);
/* At load: every probe type has exactly one provider; else -EINVAL. */
int __init vt_providers_check(void);

/* ------------------------------------------ helpers for the providers */

/* 0 if attached or skippable (optional, wildcard match), else the error. */
int vt_attach_outcome(struct vt_session *s, const struct vt_probe_desc *pd,
		      int ret);
/* @addr is in vtrace.ko: providers refuse such probes with -EINVAL. */
bool vt_addr_is_ours(const void *addr);
/* Shortest period of a timer or perf clock sample, ns. */
#define VT_TIMER_MIN_NS		(100 * NSEC_PER_USEC)
/* Expirations a second of a timer or perf clock of period @ns. */
u64 vt_period_hz(u64 ns);

#endif /* VT_PROVIDER_H */
