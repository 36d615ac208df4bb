// SPDX-License-Identifier: GPL-2.0-only
/*
 * uprobe.c - user-space probe points: process("PATH"), process(PID) and
 * process (the -x / -c target, or any process), with .function("NAME")
 * [.call|.return] (wildcards) and .statement(ADDR) (provider_process),
 * or .begin and .end (provider_process_life); and their target variables
 * ($name from DWARF, $return).  A function point becomes a UPROBE
 * (URETPROBE for .return) on the binary's absolute path at the function's
 * file offset; the kernel module finds the inode at START.  The process
 * filter (pid) comes from process(PID), or from -x / -c for a point
 * without a binary.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uprobe.h"
#include "provider.h"
#include "lang/suggest.h"
#include "elfsyms.h"
#include "targetvar.h"
#include "lang/print.h"
#include "vtrace_uapi.h"

/* What a function point keeps for its target variables (pt->info). */
struct uprobe_info {
	const char *path;	/* the binary, absolute */
	const char *func;	/* the function, or NULL (.statement) */
};

static bool try_path(const char *dir, size_t dlen, const char *name,
		     char *buf, size_t size)
{
	char cand[PATH_MAX];

	if ((size_t)snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen,
			     dlen ? dir : ".", name) >= sizeof(cand) ||
	    access(cand, F_OK) || !realpath(cand, buf) ||
	    strlen(buf) >= size)
		return false;
	return true;
}

static bool search_dirs(const char *list, const char *name, char *buf,
			size_t size)
{
	while (list && *list) {
		size_t len = strcspn(list, ":");

		if (try_path(list, len, name, buf, size))
			return true;
		list += len + (list[len] == ':');
	}
	return false;
}

int uprobe_find_binary(const char *spec, char *buf, size_t size)
{
	char tmp[PATH_MAX];

	if (!spec[0])
		return -1;
	if (strchr(spec, '/')) {
		if (!realpath(spec, tmp) || strlen(tmp) >= size)
			return -1;
		strcpy(buf, tmp);
		return 0;
	}
	if (search_dirs(getenv("PATH"), spec, tmp, sizeof(tmp)) ||
	    (strstr(spec, ".so") &&
	     (search_dirs(getenv("LD_LIBRARY_PATH"), spec, tmp, sizeof(tmp)) ||
	      search_dirs("/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:"
			  "/lib64:/usr/lib64:/lib:/usr/lib:/usr/local/lib",
			  spec, tmp, sizeof(tmp))))) {
		if (strlen(tmp) >= size)
			return -1;
		strcpy(buf, tmp);
		return 0;
	}
	return -1;
}

/* The last binary read, kept for the points of one compilation. */
static struct elf_funcs cached;
static char cached_path[PATH_MAX];

static void reset(void)
{
	elf_funcs_free(&cached);
	cached_path[0] = 0;
}

static const struct elf_funcs *funcs_of(const char *path, char *err,
					size_t errlen)
{
	if (cached_path[0] && !strcmp(cached_path, path))
		return &cached;
	elf_funcs_free(&cached);
	cached_path[0] = 0;
	if (elf_funcs_read(path, &cached, err, errlen))
		return NULL;
	snprintf(cached_path, sizeof(cached_path), "%s", path);
	return &cached;
}

/* Every point from @pt up to @end: the function it names, on @path. */
static void place_functions(struct diag *d, struct arena *a,
			    struct probe_point *pt, struct probe_point *end,
			    struct point_comp *fc, const char *path,
			    const struct elf_funcs *fs, int type, int pid)
{
	for (struct probe_point *q = pt; q && q != end; q = q->next) {
		const struct elf_func *f = elf_funcs_find(fs, q->target);
		struct uprobe_info *ui = arena_alloc(a, sizeof(*ui));

		if (!f) {
			diag_error(d, fc->loc, "no function '%s' in '%s'",
				   q->target, path);
			q->type = -1;
			continue;
		}
		ui->path = path;
		ui->func = f->name == q->target ? q->target :
			   arena_strndup(a, f->name, strlen(f->name));
		q->info = ui;
		q->type = type;
		q->target = path;
		q->offset = f->offset;
		q->pid = pid;
	}
}

/* .function("NAME")[.call|.return] on @path. */
static void resolve_function(struct diag *d, struct arena *a,
			     struct probe_point *pt, struct point_comp *fc,
			     const char *path, int pid)
{
	struct point_comp *suffix = fc->next;
	struct probe_point *end = pt->next;
	const struct elf_funcs *fs;
	char err[512], hint[256];
	int type = VT_PROBE_UPROBE;
	bool wild = strpbrk(fc->str, "*?[") != NULL;

	if (suffix && !suffix->next && probe_comp_is(suffix, "return", ARG_NONE)) {
		type = VT_PROBE_URETPROBE;
	} else if (suffix && !(probe_comp_is(suffix, "call", ARG_NONE) &&
			       !suffix->next)) {
		diag_error(d, suffix->loc, "unknown process.function suffix "
			   "'.%s' (known: .call, .return)", suffix->name);
		return;
	}
	if (!fc->str[0] || strpbrk(fc->str, "@:")) {
		diag_error(d, fc->loc, "process function '%s': file:line and "
			   "@file are not supported", fc->str);
		return;
	}
	fs = funcs_of(path, err, sizeof(err));
	if (!fs) {
		if (pt->optional) {
			probe_never(pt);
			return;
		}
		diag_error(d, fc->loc, "%s", err);
		return;
	}
	pt->type = type;
	if (probe_expand(a, pt, fc, fc->str, fs->names,
			 wild ? VT_PROBE_F_WILDCARD : 0)) {
		place_functions(d, a, pt, end, fc, path, fs, type, pid);
		return;
	}
	pt->type = -1;
	if (pt->optional) {
		probe_never(pt);
		return;
	}
	suggest_names(hint, sizeof(hint), fc->str, fs->names);
	diag_error(d, fc->loc, "no match for process(\"%s\").function(\"%s\")"
		   "%s%s", path, fc->str, hint, !hint[0] && fs->from_dynsym ?
		   " (the binary has no .symtab: only its exported functions "
		   "can be probed)" : "");
}

/* .statement(ADDR): a virtual address of the binary. */
static void resolve_statement(struct diag *d, struct arena *a,
			      struct probe_point *pt, struct point_comp *sc,
			      const char *path, int pid)
{
	struct uprobe_info *ui = arena_alloc(a, sizeof(*ui));
	char err[512];
	uint64_t off;

	if (sc->next) {
		diag_error(d, sc->next->loc, "process.statement takes no "
			   "suffix");
		return;
	}
	if (elf_vaddr_offset(path, (uint64_t)sc->num, &off, err,
			     sizeof(err))) {
		diag_error(d, sc->loc, "%s", err);
		return;
	}
	ui->path = path;
	pt->info = ui;
	pt->type = VT_PROBE_UPROBE;
	pt->target = path;
	pt->offset = off;
	pt->pid = pid;
}

/*
 * The process filter of a point whose first component @c is process,
 * process(PID) or process("PATH") into *@pid (0: any process); false
 * after reporting a bad PID.
 */
static bool process_pid(struct diag *d, const struct point_comp *c, int *pid)
{
	int target_pid = probe_config()->target_pid;

	*pid = 0;
	if (c->arg == ARG_NUM) {
		if (c->num <= 0 || c->num > INT_MAX) {
			diag_error(d, c->loc, "process(%lld): not a process "
				   "id", (long long)c->num);
			return false;
		}
		*pid = (int)c->num;
	} else if (c->arg == ARG_NONE) {
		*pid = target_pid > 0 ? target_pid : 0;
	}
	return true;
}

static bool claims_life(const struct probe_point *pt)
{
	const struct point_comp *c2 = pt->comps->next;

	return !strcmp(pt->comps->name, "process") && c2 && !c2->next &&
	       (probe_comp_is(c2, "begin", ARG_NONE) ||
		probe_comp_is(c2, "end", ARG_NONE));
}

/* process[(...)].begin / .end: exec and exit of (that binary's) processes. */
static void resolve_life(struct diag *d, struct arena *a,
			 struct probe_point *pt)
{
	struct point_comp *c = pt->comps, *c2 = c->next;
	char buf[PATH_MAX];
	int pid;

	if (!process_pid(d, c, &pid))
		return;
	pt->type = c2->name[0] == 'b' ? VT_PROBE_PROC_BEGIN :
		   VT_PROBE_PROC_END;
	pt->pid = pid;
	if (c->arg != ARG_STR)
		return;
	if (uprobe_find_binary(c->str, buf, sizeof(buf))) {
		diag_error(d, c->loc, "process(\"%s\"): no such binary",
			   c->str);
		pt->type = -1;
		return;
	}
	pt->target = arena_strndup(a, buf, strlen(buf));
}

static bool claims(const struct probe_point *pt)
{
	return !strcmp(pt->comps->name, "process") && !claims_life(pt);
}

/* process[(...)].function(...) / .statement(ADDR) */
static void resolve(struct diag *d, struct arena *a, struct probe_point *pt)
{
	struct point_comp *c = pt->comps, *c2 = c->next;
	char buf[PATH_MAX], link[64];
	const char *path = NULL;
	int pid;

	if (!process_pid(d, c, &pid))
		return;
	if (!c2 || (!probe_comp_is(c2, "function", ARG_STR) &&
		    !probe_comp_is(c2, "statement", ARG_NUM))) {
		diag_error(d, pt->loc, "unknown probe point '%s' (process "
			   "points: .function(\"NAME\")[.return], "
			   ".statement(ADDR), .begin, .end)",
			   point_text(a, pt));
		return;
	}
	if (c->arg == ARG_STR) {
		if (uprobe_find_binary(c->str, buf, sizeof(buf))) {
			if (pt->optional) {
				probe_never(pt);
				return;
			}
			diag_error(d, c->loc, "process(\"%s\"): no such "
				   "binary (a name without '/' is searched "
				   "in $PATH)", c->str);
			return;
		}
	} else if (pid > 0) {
		char self[PATH_MAX];

		snprintf(link, sizeof(link), "/proc/%d/exe", pid);
		if (!realpath(link, buf)) {
			diag_error(d, c->loc, "process %d: cannot read %s",
				   pid, link);
			return;
		}
		/* -c's child is still vtrace until it execs the command */
		if (c->arg == ARG_NONE && realpath("/proc/self/exe", self) &&
		    !strcmp(self, buf)) {
			diag_error(d, c->loc, "process.%s with -c: name the "
				   "binary, process(\"PATH\").%s", c2->name,
				   c2->name);
			return;
		}
	} else {
		diag_error(d, c->loc, "process.%s needs a binary: "
			   "process(\"PATH\"), process(PID), or -x PID",
			   c2->name);
		return;
	}
	path = arena_strndup(a, buf, strlen(buf));
	/* pp() shows the binary as found */
	c->arg = ARG_STR;
	c->str = path;
	if (c2->arg == ARG_STR)
		resolve_function(d, a, pt, c2, path, pid);
	else
		resolve_statement(d, a, pt, c2, path, pid);
}

/* ----------------------------------------------- target variables */

/* $name of point @pt into @v; false after reporting. */
static bool param_of(struct diag *d, const struct probe_point *pt,
		     const struct node *n, struct elf_value *v)
{
	const struct uprobe_info *ui = pt->info;
	struct elf_proto pr;
	int r = ui && ui->func ? elf_proto_read(ui->path, ui->func, &pr) : 0;

	if (r <= 0) {
		diag_error(d, n->loc, "'%s': no debug info for %s in '%s'; "
			   "use int_arg(N), long_arg(N), pointer_arg(N)",
			   n->str, ui && ui->func ? ui->func : "this address",
			   ui ? ui->path : "?");
		return false;
	}
	return targetvar_param(d, n, ui->func, &pr, v);
}

/* $$parms: the first point's DWARF parameters (none in .return probes). */
static bool params(struct arena *a, const struct probe *p, const char **out,
		   size_t max, size_t *n)
{
	const struct uprobe_info *ui = p->points->info;
	struct elf_proto pr;

	if (p->points->type == VT_PROBE_URETPROBE)
		return true;
	if (!ui || !ui->func || elf_proto_read(ui->path, ui->func, &pr) <= 0)
		return false;
	targetvar_proto_names(a, &pr, out, max, n);
	return true;
}

/* The return type of @ui's function from DWARF; kind 0 without. */
static struct elf_value return_of(const struct uprobe_info *ui)
{
	struct elf_value v = { 0 };
	struct elf_proto pr;

	if (elf_proto_read(ui->path, ui->func, &pr) > 0) {
		v = pr.ret;
		elf_proto_free(&pr);
	}
	return v;
}

const char *uprobe_point_binary(const struct probe_point *pt)
{
	const struct uprobe_info *ui = pt->info;

	if (pt->type != VT_PROBE_UPROBE && pt->type != VT_PROBE_URETPROBE)
		return NULL;
	return ui ? ui->path : NULL;
}

/* A probe whose first point is a uprobe or a uretprobe. */
static bool owns(const struct probe *p)
{
	return p->points && (p->points->type == VT_PROBE_UPROBE ||
			     p->points->type == VT_PROBE_URETPROBE);
}

/* $name / $return: every point must be of the first one's kind. */
static bool target_var(struct diag *d, struct arena *a, struct probe *p,
		       struct node *n)
{
	const char *name = n->str + 1;
	struct elf_value v = { 0 }, first = { 0 };
	int type = p->points->type;
	size_t i = 0;

	for (struct probe_point *pt = p->points; pt; pt = pt->next)
		if (pt->type != type) {
			diag_error(d, n->loc, "'%s' needs every point of the "
				   "probe to be of one kind", n->str);
			return targetvar_fail(n);
		}
	if (!strcmp(name, "return")) {
		if (type != VT_PROBE_URETPROBE) {
			diag_error(d, n->loc, "'$return' is only available in "
				   ".return probes");
			return targetvar_fail(n);
		}
		const char *func = NULL;

		/* a URETPROBE point has its function (place_functions) */
		for (struct probe_point *pt = p->points; pt; pt = pt->next,
		     i++) {
			const struct uprobe_info *ui = pt->info;
			struct elf_value ret = return_of(ui);

			targetvar_same_return(i, &ret, &first);
			func = ui->func;
		}
		if (!targetvar_return_call(d, a, n, func, &first))
			return targetvar_fail(n);
		return true;
	}
	if (type != VT_PROBE_UPROBE) {
		diag_error(d, n->loc, "'%s': parameters are read at function "
			   "entry only (not in .return probes)", n->str);
		return targetvar_fail(n);
	}
	for (struct probe_point *pt = p->points; pt; pt = pt->next, i++)
		if (!param_of(d, pt, n, &v) ||
		    !targetvar_same_param(d, n, i, &v, &first))
			return targetvar_fail(n);
	targetvar_param_call(a, n, &first);
	return true;
}

/* ----------------------------------------------------------- listing */

/* "$a:long $p:long" from the DWARF of @func in @path, or "". */
static void param_vars(const char *path, const char *func, char *buf,
		       size_t size)
{
	struct elf_proto pr;
	size_t len = 0;

	buf[0] = 0;
	if (elf_proto_read(path, func, &pr) <= 0)
		return;
	for (size_t i = 0; i < pr.nparams && len + 1 < size; i++)
		if (pr.params[i].v.argno)
			len += (size_t)snprintf(buf + len, size - len,
						"%s$%s:long", len ? " " : "",
						pr.params[i].name);
	elf_proto_free(&pr);
}

/*
 * The binary a listing pattern 'process("SPEC")...' names: 1 with SPEC
 * (as the pattern writes it) in @spec, its path in @path and its
 * functions in *@fs; 0 when the pattern names no binary (no process
 * points listed); -1 with l->err when it names one that cannot be read.
 */
static int list_binary(struct probe_list *l, char *spec, size_t specsize,
		       char *path, size_t pathsize,
		       const struct elf_funcs **fs)
{
	const char *open = l->pattern + strlen("process(\""), *close;

	if (strncmp(l->pattern, "process(\"", strlen("process(\"")))
		return 0;
	close = strstr(open, "\")");
	if (!close || (size_t)(close - open) >= specsize)
		return -1;	/* not a point: nothing to say */
	snprintf(spec, specsize, "%.*s", (int)(close - open), open);
	if (uprobe_find_binary(spec, path, pathsize)) {
		snprintf(l->err, sizeof(l->err), "process(\"%s\"): no such "
			 "binary", spec);
		return -1;
	}
	*fs = funcs_of(path, l->err, sizeof(l->err));
	return *fs ? 1 : -1;
}

static int list_life(struct probe_list *l)
{
	char spec[4096], path[4096], point[8192];
	const struct elf_funcs *fs;
	int r = list_binary(l, spec, sizeof(spec), path, sizeof(path), &fs);

	if (r <= 0)
		return r;
	snprintf(point, sizeof(point), "process(\"%s\").begin", spec);
	probe_list_show(l, point, NULL);
	snprintf(point, sizeof(point), "process(\"%s\").end", spec);
	probe_list_show(l, point, NULL);
	return 0;
}

/* The binary's functions, at entry and .return. */
static int list(struct probe_list *l)
{
	char spec[4096], path[4096], point[8192], buf[4096];
	const struct elf_funcs *fs;
	int r = list_binary(l, spec, sizeof(spec), path, sizeof(path), &fs);

	if (r <= 0)
		return r;
	for (size_t i = 0; i < fs->n; i++) {
		int n = snprintf(point, sizeof(point),
				 "process(\"%s\").function(\"%s\")", spec,
				 fs->v[i].name);

		buf[0] = 0;
		if (l->vars && probe_list_match(l, point))
			param_vars(path, fs->v[i].name, buf, sizeof(buf));
		probe_list_show(l, point, buf);
		if (n > 0 && (size_t)n + 8 < sizeof(point)) {
			strcpy(point + n, ".return");
			probe_list_show(l, point,
					l->vars ? "$return:long" : NULL);
		}
	}
	return 0;
}

const struct provider provider_process_life = {
	.roots = { "process" },
	.claims = claims_life,
	.resolve = resolve_life,
	.list = list_life,
};

const struct provider provider_process = {
	.roots = { "process" },
	.claims = claims,
	.resolve = resolve,
	.owns = owns,
	.target_var = target_var,
	.params = params,
	.list = list,
	.reset = reset,
};
