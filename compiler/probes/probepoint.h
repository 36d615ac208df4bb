/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probepoint.h - resolving probe points (part of pass 2).
 */
#ifndef VTC_PROBEPOINT_H
#define VTC_PROBEPOINT_H

#include "lang/ast.h"
#include "lang/diag.h"

/*
 * Set @pt's type and target or period from its components, or report
 * "unknown probe point" (or a more precise error) at its location.
 */
void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt);

/* What the providers read from the machine, for one compilation (the
 * driver fills it from struct vtc_options, whose fields say more). */
struct probe_config {
	/* kernel functions, NULL-terminated, or NULL: none known */
	const char *const *(*kernel_functions)(void *ctx);
	void *symbols_ctx;
	const char *tracefs;	/* NULL: /sys/kernel/tracing */
	int32_t target_pid;	/* -x / -c: process points without one */
};

/* Forget the last compilation's caches and use @cfg (copied). */
void probepoint_configure(const struct probe_config *cfg);
const char *probepoint_tracefs(void);

/* "; did you mean 'x'?" with the @names (NULL-terminated) closest to
 * @want, or "". */
void probepoint_suggest(char *buf, size_t size, const char *want,
			const char *const *names);

/*
 * Target variable @n ("$name") of a probe whose points provide fields
 * (tracepoints): rewritten into a helper call and true, or reported
 * (@n N_ERROR) and true; false when no point of @p provides fields.
 */
bool probepoint_field(struct diag *d, struct arena *a, struct probe *p,
		      struct node *n);

/* After all points of @p are resolved (sema): provider rewrites of the
 * body, such as the syscall-number filter of syscall probes. */
void probepoint_finish(struct diag *d, struct arena *a, struct probe *p);

/*
 * Replace wildcard point @pt by one point per match of @pattern among
 * @names (its target: the name, component @fc showing it), chained where
 * @pt was; returns the number of matches (0 leaves @pt as it is).
 */
size_t probepoint_expand(struct arena *a, struct probe_point *pt,
			 struct point_comp *fc, const char *pattern,
			 const char *const *names, uint32_t flags);

#endif /* VTC_PROBEPOINT_H */
