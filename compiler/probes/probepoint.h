/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * probepoint.h - probe points (part of pass 2), through the provider
 * table (provider.h): resolving them, the per-probe work after that, the
 * first components the providers own, and the -l / -L listing.
 */
#ifndef VTC_PROBEPOINT_H
#define VTC_PROBEPOINT_H

#include <stdio.h>

#include "lang/ast.h"
#include "lang/diag.h"

/* What the providers read from the machine, for one compilation (the
 * driver fills it from struct vtc_options, whose fields say more). */
struct probe_config {
	/* kernel functions, NULL-terminated, or NULL: none known */
	const char *const *(*kernel_functions)(void *ctx);
	void *symbols_ctx;
	const char *tracefs;	/* NULL: /sys/kernel/tracing */
	int32_t target_pid;	/* -x / -c: process points without one */
	uint32_t strsize;	/* MAXSTRINGLEN + 1: bounds pretty printing */
};

/* Forget the last compilation's caches and use @cfg (copied). */
void probepoint_configure(const struct probe_config *cfg);

/*
 * Set @pt's type and target or period from its components, or report
 * "unknown probe point" (or a more precise error) at its location.
 */
void probepoint_resolve(struct diag *d, struct arena *a,
			struct probe_point *pt);

/* After all points of @p are resolved (sema): every provider's finish,
 * such as the syscall-number filter of syscall probes. */
void probepoint_finish(struct diag *d, struct arena *a, struct probe *p);

/* Is @name the first component of a provider's points (not an alias)? */
bool probepoint_is_root(const char *name);

/* A -l / -L listing in progress. */
struct probe_list {
	const char *pattern;	/* a glob over points as written */
	bool vars;		/* -L: each point's variables too */
	/* tapset aliases ("NAME" or "NAME VARS"), listed after the
	 * providers; a provider leaves out a point an alias stands for */
	char *const *aliases;
	FILE *out;
	long shown;		/* points printed */
	char err[512];		/* why listing failed; may be "" */
};

/* Is @point what l->pattern matches?  Show it (with @vars, may be NULL
 * or "") if so. */
bool probe_list_match(const struct probe_list *l, const char *point);
void probe_list_show(struct probe_list *l, const char *point,
		     const char *vars);

/*
 * Every provider's points that match l->pattern (configured first), in
 * table order.  0, or -1 with l->err set.
 */
int probepoint_list(struct probe_list *l);

#endif /* VTC_PROBEPOINT_H */
