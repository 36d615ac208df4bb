// SPDX-License-Identifier: GPL-2.0-only
/*
 * kfunc.c - kernel.function("PATTERN")[.call|.return] and
 * module("M").function("PATTERN")[...]: kprobes and kretprobes on kernel
 * functions, wildcards over the kernel's function list (the CLI's,
 * vtc_options.kernel_functions), their entry addresses for the module's
 * batch of function entries, and their target variables: `$name` (a
 * parameter, from the kernel's BTF) and `$return` (typed from BTF, else
 * all of rax).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider.h"
#include "lang/suggest.h"
#include "btf.h"
#include "types.h"
#include "kallsyms.h"
#include "targetvar.h"
#include "vtrace_uapi.h"

static const char *const *ksyms;	/* cached for one compilation */
static bool ksyms_loaded;
static const char **ksyms_split[2];	/* vmlinux's, modules' (functions_of) */
static bool ksyms_split_done;

/*
 * Function entries (kernel.function(...) without .return): once a script
 * has KADDR_MIN of them, pass each one's address in vt_probe_desc.offset,
 * so the module arms them all through one ftrace update instead of one
 * kprobe (one ftrace update) each; 0 leaves a probe to a kprobe by name.
 * Fewer are not worth reading /proc/kallsyms (~1 s under QEMU TCG; one
 * kprobe costs ~80 ms there).  The module checks that an address is
 * @target's entry before it uses it.  The addresses: kallsyms.h.
 */
#define KADDR_MIN 10

/* kernel.function entries of this compilation; the first nkdone have
 * their addresses (once there are KADDR_MIN) */
static struct probe_point **kpending;
static size_t nkpending, nkdone;

static void reset(void)
{
	ksyms = NULL;
	ksyms_loaded = false;
	for (int i = 0; i < 2; i++) {
		free(ksyms_split[i]);
		ksyms_split[i] = NULL;
	}
	ksyms_split_done = false;
	free(kpending);
	kpending = NULL;
	nkpending = nkdone = 0;
}

static const char *const *kernel_functions(void)
{
	const struct probe_config *cfg = probe_config();

	if (!ksyms_loaded && cfg->kernel_functions)
		ksyms = cfg->kernel_functions(cfg->symbols_ctx);
	ksyms_loaded = true;
	return ksyms;
}

/*
 * The kernel's functions (@modules false: "name") or the loaded modules'
 * ("module:name"), split once from kernel_functions(); NULL if none.
 */
static const char *const *functions_of(bool modules)
{
	const char *const *all = kernel_functions();
	size_t n = 0, k[2] = { 0, 0 };

	if (!ksyms_split_done && all) {
		while (all[n])
			n++;
		for (int i = 0; i < 2; i++)
			ksyms_split[i] = calloc(n + 1, sizeof(*ksyms_split[i]));
		for (size_t i = 0; ksyms_split[0] && ksyms_split[1] && i < n;
		     i++) {
			int m = strchr(all[i], ':') != NULL;

			ksyms_split[m][k[m]++] = all[i];
		}
	}
	ksyms_split_done = true;
	if (!ksyms_split[modules] || !ksyms_split[modules][0])
		return NULL;
	return (const char *const *)ksyms_split[modules];
}

/*
 * kernel.function("PATTERN") and, with @module, module("M").function(
 * "PATTERN"): the kprobe target is then "M:name", which the kernel's
 * symbol lookup resolves in module M.
 */
static void resolve_kernel_function(struct diag *d, struct arena *a,
				    struct probe_point *pt,
				    struct point_comp *fc,
				    const char *module)
{
	struct point_comp *suffix = fc->next;
	const char *const *names;
	const char *pattern = fc->str;
	char hint[256];
	int type = VT_PROBE_KPROBE;
	size_t n;

	if (suffix && !suffix->next && probe_comp_is(suffix, "return", ARG_NONE))
		type = VT_PROBE_KRETPROBE;
	else if (suffix && !suffix->next && probe_comp_is(suffix, "call", ARG_NONE))
		type = VT_PROBE_KPROBE;
	else if (suffix) {
		diag_error(d, suffix->loc, "unknown kernel.function suffix "
			   "'.%s' (known: .call, .return)", suffix->name);
		return;
	}
	if (!fc->str[0] || strpbrk(fc->str, "@:")) {
		diag_error(d, fc->loc, "kernel function '%s': file:line "
			   "and @file are not supported yet", fc->str);
		return;
	}
	if (module) {
		size_t len = strlen(module) + strlen(fc->str) + 2;
		char *full = arena_alloc(a, len);

		snprintf(full, len, "%s:%s", module, fc->str);
		pattern = full;
	}
	pt->type = type;
	pt->target = pattern;
	if (!probe_has_wildcard(pattern))
		return;		/* the kernel says whether it exists */
	names = functions_of(module != NULL);
	if (!names && module) {
		diag_error(d, pt->loc, "no function of module \"%s\" is "
			   "listed (is the module loaded?)", module);
		pt->type = -1;
		return;
	}
	if (!names) {
		diag_error(d, fc->loc, "cannot expand kernel.function(\"%s\"): "
			   "no list of kernel functions (%s)", fc->str,
			   "/sys/kernel/tracing/available_filter_functions "
			   "or /proc/kallsyms");
		pt->type = -1;
		return;
	}
	n = probe_expand(a, pt, fc, pattern, names, VT_PROBE_F_WILDCARD);
	if (n && module) {
		/* each match shows as module("M").function("name") */
		struct probe_point *q = pt;

		for (size_t i = 0; i < n; i++, q = q->next)
			q->comps->next->str = strchr(q->target, ':') + 1;
	}
	if (n)
		return;
	if (pt->optional)
		return;		/* the kernel refuses the pattern: skipped */
	suggest_names(hint, sizeof(hint), pattern, names);
	if (module)
		diag_error(d, fc->loc, "no match for module(\"%s\").function"
			   "(\"%s\")%s", module, fc->str, hint);
	else
		diag_error(d, fc->loc, "no match for kernel.function(\"%s\")"
			   "%s", fc->str, hint);
	pt->type = -1;
}

static bool claims(const struct probe_point *pt)
{
	const struct point_comp *c = pt->comps, *c2 = c->next;

	return probe_comp_is(c2, "function", ARG_STR) &&
	       (probe_comp_is(c, "kernel", ARG_NONE) ||
		probe_comp_is(c, "module", ARG_STR));
}

static void resolve(struct diag *d, struct arena *a, struct probe_point *pt)
{
	struct point_comp *c = pt->comps;

	if (c->arg == ARG_NONE) {
		resolve_kernel_function(d, a, pt, c->next, NULL);
		return;
	}
	if (!c->str[0] || probe_has_wildcard(c->str) || strchr(c->str, ':')) {
		diag_error(d, c->loc, "module(\"%s\"): name one loaded module "
			   "(no wildcards)", c->str);
		return;
	}
	resolve_kernel_function(d, a, pt, c->next, c->str);
}

/* Collect @p's function entries; look their addresses up in one scan
 * once there are KADDR_MIN. */
static void finish(struct diag *d, struct arena *a, struct probe *p)
{
	struct probe_point **np;

	(void)d, (void)a;
	for (struct probe_point *pt = p->points; pt; pt = pt->next) {
		if (pt->type != VT_PROBE_KPROBE || !pt->target || pt->offset)
			continue;
		np = realloc(kpending, (nkpending + 1) * sizeof(*np));
		if (!np)
			return;
		kpending = np;
		kpending[nkpending++] = pt;
	}
	if (nkpending >= KADDR_MIN && nkdone < nkpending) {
		kallsyms_addrs(kpending + nkdone, nkpending - nkdone);
		nkdone = nkpending;
	}
}

/* ------------------------------------------------- target variables */

static bool all_points(const struct probe *p, int type)
{
	for (const struct probe_point *pt = p->points; pt; pt = pt->next)
		if (pt->type != type)
			return false;
	return p->points != NULL;
}

static bool owns(const struct probe *p)
{
	return all_points(p, VT_PROBE_KPROBE) ||
	       all_points(p, VT_PROBE_KRETPROBE);
}

/* $return of a kernel function: typed from BTF, else all of rax. */
static void kernel_return(struct diag *d, struct arena *a, struct probe *p,
			  struct node *n)
{
	struct elf_value first = { 0 };
	const char *func = NULL;
	size_t i = 0;

	for (const struct probe_point *pt = p->points; pt; pt = pt->next, i++) {
		struct elf_value ret = { 0 };
		struct elf_proto pr;

		if (btf_proto_read(pt->target, &pr) > 0) {
			ret = pr.ret;
			elf_proto_free(&pr);
		}
		targetvar_same_return(i, &ret, &first);
		func = pt->target;
	}
	if (!targetvar_return_call(d, a, n, func, &first))
		targetvar_fail(n);
}

/* $name at a kernel function's entry: the parameter's register, from the
 * kernel's BTF. */
static void kernel_param(struct diag *d, struct arena *a, struct probe *p,
			 struct node *n)
{
	struct elf_value v, first = { 0 };
	size_t i = 0;

	for (const struct probe_point *pt = p->points; pt; pt = pt->next, i++) {
		struct elf_proto pr;

		if (btf_proto_read(pt->target, &pr) <= 0) {
			diag_error(d, n->loc, "unknown target variable '%s': "
				   "no BTF description of %s (use int_arg(N), "
				   "long_arg(N), pointer_arg(N))", n->str,
				   pt->target);
			targetvar_fail(n);
			return;
		}
		if (!targetvar_param(d, n, pt->target, &pr, &v) ||
		    !targetvar_same_param(d, n, i, &v, &first)) {
			targetvar_fail(n);
			return;
		}
	}
	targetvar_param_call(a, n, &first);
}

/* $return in .return probes, parameters at the entry. */
static bool target_var(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	if (!strcmp(n->str, "$return")) {
		if (!all_points(p, VT_PROBE_KRETPROBE))
			return false;
		kernel_return(d, a, p, n);
		return true;
	}
	if (!all_points(p, VT_PROBE_KPROBE))
		return false;
	kernel_param(d, a, p, n);
	return true;
}

/* $$parms: the first point's BTF parameters (none in .return probes,
 * where they are not readable). */
static bool params(struct arena *a, const struct probe *p, const char **out,
		   size_t max, size_t *n)
{
	const struct probe_point *pt = p->points;
	struct elf_proto pr;

	if (all_points(p, VT_PROBE_KRETPROBE))
		return true;
	if (btf_proto_read(pt->target, &pr) <= 0)
		return false;
	targetvar_proto_names(a, &pr, out, max, n);
	return true;
}

/* -L: "$name:C type" for each BTF parameter of kernel function @fn. */
static const char *param_vars(const char *fn, char *buf, size_t size)
{
	struct elf_proto pr;
	size_t len = 0;
	char type[128];

	buf[0] = 0;
	if (btf_proto_read(fn, &pr) <= 0)
		return buf;
	for (size_t i = 0; i < pr.nparams && len + 1 < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s$%s:%s",
					len ? " " : "", pr.params[i].name,
					pr.params[i].v.type ?
					ctype_spell(pr.params[i].v.type, type,
						    sizeof(type)) : "long");
	elf_proto_free(&pr);
	return buf;
}

/* Every function: kernel.function("name"), module("m").function("name");
 * -L adds their parameters (BTF: vmlinux, a module's split BTF). */
static int list(struct probe_list *l)
{
	char point[512], vars[2048];

	for (const char *const *fn = kernel_functions(); fn && *fn; fn++) {
		const char *colon = strchr(*fn, ':');

		if (colon)
			snprintf(point, sizeof(point), "module(\"%.*s\")."
				 "function(\"%s\")", (int)(colon - *fn), *fn,
				 colon + 1);
		else
			snprintf(point, sizeof(point),
				 "kernel.function(\"%s\")", *fn);
		probe_list_show(l, point, l->vars &&
				probe_list_match(l, point) ?
				param_vars(*fn, vars, sizeof(vars)) : NULL);
	}
	return 0;
}

const struct provider provider_kernel_function = {
	.roots = { "kernel", "module" },
	.claims = claims,
	.resolve = resolve,
	.finish = finish,
	.owns = owns,
	.target_var = target_var,
	.params = params,
	.list = list,
	.reset = reset,
};
