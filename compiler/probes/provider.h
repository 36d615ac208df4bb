/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * provider.h - the provider table: one struct provider per probe family,
 * each defined once, in its own file, and listed once in VT_PROVIDERS
 * (as the BPF core lists each program type in bpf_types.h).  Everything
 * probepoint.c and targetvar.c do for a point or a target variable, they
 * do by asking this table; nothing outside a provider's file knows its
 * points.  Also the helpers the providers share.
 */
#ifndef VTC_PROVIDER_H
#define VTC_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probepoint.h"

struct provider {
	/*
	 * The first components of its points ("kernel", "module"): a point
	 * starting with one is never a tapset alias (probes_is_root).
	 */
	const char *roots[2];
	/*
	 * Is @pt, as written, one of its points?  At most one provider
	 * claims a point.  NULL: no points of its own (the root is
	 * reserved).
	 */
	bool (*claims)(const struct probe_point *pt);
	/* Resolve @pt (claimed): type and target, period or offset, or
	 * report why not (then pt->type stays -1). */
	void (*resolve)(struct diag *d, struct arena *a,
			struct probe_point *pt);
	/* After every point of @p is resolved: rewrite its body, collect
	 * what its points need (NULL: nothing).  Called for every probe. */
	void (*finish)(struct diag *d, struct arena *a, struct probe *p);
	/*
	 * Are @p's target variables this provider's?  The first provider
	 * of the table that owns a probe answers for all its `$name`s.
	 */
	bool (*owns)(const struct probe *p);
	/*
	 * `$name` @n (an N_CALL named "$name") in probe @p, which it owns:
	 * rewritten into a helper call (or an expression of one), or
	 * reported (then @n is N_ERROR); false when @p has no such
	 * variable here, left to the generic message.
	 */
	bool (*target_var)(struct diag *d, struct arena *a, struct probe *p,
			   struct node *n);
	/*
	 * $$parms, $$vars: the names of @p's parameters (no '$'), in
	 * order, at most @max into @out (copies in @a), their count in
	 * *@n; false when it cannot name them (then "$$parms" goes to
	 * target_var as a name).  NULL: false.
	 */
	bool (*params)(struct arena *a, const struct probe *p,
		       const char **out, size_t max, size_t *n);
	/* -l / -L: show its points that match; 0, or -1 with l->err set. */
	int (*list)(struct probe_list *l);
	/* Forget what the last compilation read from the machine. */
	void (*reset)(void);
};

/*
 * Every probe family, in the order `vtrace -l` lists them (and the order
 * in which `owns` is asked).  X(name) defines provider_##name.
 */
#define VT_PROVIDERS(X)							\
	X(begin)		/* begin, begin(N)		special.c */	\
	X(end)			/* end, end(N)			special.c */	\
	X(error)		/* error			special.c */	\
	X(never)		/* never (dropped by expand/)	special.c */	\
	X(timer)		/* timer.s(N) ... timer.profile	timer.c */	\
	X(perf)			/* perf.sw.*, perf.hw.*		timer.c */	\
	X(kernel_function)	/* kernel.function, module().function kfunc.c */ \
	X(process_life)		/* process.begin, process.end	uprobe.c */	\
	X(process)		/* process.function, .statement	uprobe.c */	\
	X(trace)		/* kernel.trace			trace.c */	\
	X(syscall)		/* syscall.NAME[.return]	syscalls.c */	\
	X(kprobe)		/* kprobe.*: reserved		special.c */

#define VT_PROVIDER_DECL(name) extern const struct provider provider_##name;
VT_PROVIDERS(VT_PROVIDER_DECL)
#undef VT_PROVIDER_DECL

/* ------------------------------------------ helpers for the providers */

/* This compilation's configuration (probepoint_configure). */
const struct probe_config *probe_config(void);
/* The tracefs root: probe_config()->tracefs or /sys/kernel/tracing. */
const char *probe_tracefs(void);

/* Component @c is NAME with an argument of kind @arg (ARG_*). */
bool probe_comp_is(const struct point_comp *c, const char *name, int arg);
bool probe_has_wildcard(const char *s);

/*
 * Replace wildcard point @pt by one point per match of @pattern among
 * @names (sorted, duplicates once; its target: the name, component @fc
 * showing it), chained where @pt was, each with @flags; returns the
 * number of matches (0 leaves @pt as it is).
 */
size_t probe_expand(struct arena *a, struct probe_point *pt,
		    struct point_comp *fc, const char *pattern,
		    const char *const *names, uint32_t flags);

/* An optional point that matched nothing: a timer that never fires
 * (an event id 0 or a missing binary would be refused at START). */
void probe_never(struct probe_point *pt);

/* Does a tapset alias (l->aliases) stand for @point? */
bool probe_list_aliased(const struct probe_list *l, const char *point);

#endif /* VTC_PROVIDER_H */
