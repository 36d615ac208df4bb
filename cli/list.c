// SPDX-License-Identifier: GPL-2.0-only
/*
 * list.c - see list.h.  Loaded names live until the process exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fnmatch.h>
#include <stdint.h>

#include "list.h"
#include "probes/tpformat.h"
#include "probes/syscalls.h"
#include "expand/tapset.h"
#include "probes/elfsyms.h"
#include "probes/uprobe.h"

#define AVAILABLE "/sys/kernel/tracing/available_filter_functions"

struct names {
	char **v;
	size_t n, cap;
};

static int add(struct names *ns, const char *s, size_t len)
{
	char *copy;

	if (ns->n + 1 >= ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 4096;
		char **v = realloc(ns->v, cap * sizeof(*v));

		if (!v)
			return -1;
		ns->v = v;
		ns->cap = cap;
	}
	copy = strndup(s, len);
	if (!copy)
		return -1;
	ns->v[ns->n++] = copy;
	return 0;
}

/* @name (@len bytes), as "module:name" if @rest holds "[module]". */
static int add_symbol(struct names *ns, const char *name, size_t len,
		      const char *rest)
{
	const char *mod = strchr(rest, '['), *mend;
	char buf[512];

	if (!mod)
		return add(ns, name, len);
	mod++;
	mend = strchr(mod, ']');
	if (!mend || (size_t)(mend - mod) + len + 2 > sizeof(buf))
		return 0;	/* malformed: skipped */
	snprintf(buf, sizeof(buf), "%.*s:%.*s", (int)(mend - mod), mod,
		 (int)len, name);
	return add(ns, buf, strlen(buf));
}

/*
 * One name per line.  @kallsyms: "addr type name [module]", text
 * symbols (t, T) only; otherwise "name" or "name [module]" (ftrace's
 * list).  A module's symbol is kept as "module:name", for module("m").
 */
static int load(struct names *ns, const char *path, int kallsyms)
{
	FILE *f = fopen(path, "r");
	char line[512];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *name = line, *end;

		if (kallsyms) {
			char type;

			if (sscanf(line, "%*s %c", &type) != 1 ||
			    (type != 't' && type != 'T'))
				continue;
			name = strchr(line, ' ');
			name = name ? strchr(name + 1, ' ') : NULL;
			if (!name)
				continue;
			name++;
		}
		end = name + strcspn(name, " \t\n");
		/* not probeable by name: comments, local clones (foo.isra.0,
		 * foo.cold), CFI and padding symbols */
		if (end == name || name[0] == '#' ||
		    memchr(name, '.', (size_t)(end - name)) ||
		    !strncmp(name, "__pfx_", 6) || !strncmp(name, "__cfi_", 6))
			continue;
		if (add_symbol(ns, name, (size_t)(end - name), end)) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return ns->n ? 0 : -1;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

const char *const *list_kernel_functions(void *ctx)
{
	static struct names ns;
	static int loaded;
	const char *env = getenv("VTRACE_KSYMS");
	size_t i, j;

	(void)ctx;
	if (loaded)
		return ns.n ? (const char *const *)ns.v : NULL;
	loaded = 1;
	if (env ? load(&ns, env, 0) :
	    load(&ns, AVAILABLE, 0) && load(&ns, "/proc/kallsyms", 1))
		return NULL;
	qsort(ns.v, ns.n, sizeof(*ns.v), cmp);
	for (i = j = 0; i < ns.n; i++) {
		if (j && !strcmp(ns.v[i], ns.v[j - 1])) {
			free(ns.v[i]);
			continue;
		}
		ns.v[j++] = ns.v[i];
	}
	ns.n = j;
	ns.v[ns.n] = NULL;
	return (const char *const *)ns.v;
}

/* ------------------------------------------------------ -l and -L */

/* Is "@point" or "@point VARS" in @aliases (tapset_list_aliases)? */
static bool has_alias(char **aliases, const char *point)
{
	size_t len = strlen(point);

	for (; aliases && *aliases; aliases++)
		if (!strncmp(*aliases, point, len) &&
		    ((*aliases)[len] == 0 || (*aliases)[len] == ' '))
			return true;
	return false;
}

static unsigned long shown;

static void show(const char *pattern, const char *point, const char *vars)
{
	if (fnmatch(pattern, point, 0))
		return;
	shown++;
	if (vars && vars[0])
		printf("%s %s\n", point, vars);
	else
		printf("%s\n", point);
}

/* "$name:type" for each field of a format file (common_ ones left out). */
static void field_vars(const char *root, const char *event, char *buf,
		       size_t size)
{
	struct arena a = { 0 };
	struct tp_format f;
	char path[4096], err[256];
	const char *colon = strchr(event, ':');
	size_t len = 0;

	buf[0] = 0;
	snprintf(path, sizeof(path), "%s/events/%.*s/%s/format", root,
		 (int)(colon - event), event, colon + 1);
	if (tp_format_read(&a, path, &f, err, sizeof(err)) == 0) {
		for (uint32_t i = 0; i < f.nfields && len + 1 < size; i++) {
			const struct tp_field *fl = &f.fields[i];
			const char *type = fl->kind == TPF_NUM ? "long" :
				fl->kind == TPF_OTHER ? "unreadable" : "string";

			if (!strncmp(fl->name, "common_", 7))
				continue;
			len += (size_t)snprintf(buf + len, size - len,
						"%s$%s:%s", len ? " " : "",
						fl->name, type);
		}
	}
	arena_free(&a);
}

/* "$a:long $p:pointer" from the DWARF of @func in @path, or "". */
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
 * process("PATH")...: the binary's functions (entry and .return), and
 * its .begin and .end, with PATH as the pattern writes it.  0, or -1
 * when @pattern names no readable binary.
 */
static int list_process(const char *pattern, bool vars)
{
	const char *open = pattern + strlen("process(\""), *close;
	char spec[4096], path[4096], point[8192], err[512], buf[4096];
	struct elf_funcs fs;

	close = strstr(open, "\")");
	if (!close || (size_t)(close - open) >= sizeof(spec))
		return -1;
	snprintf(spec, sizeof(spec), "%.*s", (int)(close - open), open);
	if (uprobe_find_binary(spec, path, sizeof(path))) {
		fprintf(stderr, "vtrace: process(\"%s\"): no such binary\n",
			spec);
		return -1;
	}
	if (elf_funcs_read(path, &fs, err, sizeof(err))) {
		fprintf(stderr, "vtrace: %s\n", err);
		return -1;
	}
	snprintf(point, sizeof(point), "process(\"%s\").begin", spec);
	show(pattern, point, NULL);
	snprintf(point, sizeof(point), "process(\"%s\").end", spec);
	show(pattern, point, NULL);
	for (size_t i = 0; i < fs.n; i++) {
		int n = snprintf(point, sizeof(point),
				 "process(\"%s\").function(\"%s\")", spec,
				 fs.v[i].name);

		buf[0] = 0;
		if (vars && !fnmatch(pattern, point, 0))
			param_vars(path, fs.v[i].name, buf, sizeof(buf));
		show(pattern, point, buf);
		if (n > 0 && (size_t)n + 8 < sizeof(point)) {
			strcpy(point + n, ".return");
			show(pattern, point, vars ? "$return:long" : NULL);
		}
	}
	elf_funcs_free(&fs);
	return 0;
}

int list_points(const char *pattern, bool vars,
		const char *const *tapset_dirs)
{
	static const char *const fixed[] = {
		"begin", "end", "timer.profile", "timer.s(N)", "timer.ms(N)",
		"timer.us(N)", "timer.ns(N)", "timer.hz(N)", "timer.jiffies(N)",
		"perf.sw.cpu_clock", "perf.sw.task_clock",
		"perf.sw.page_faults", "perf.sw.context_switches",
		"perf.sw.cpu_migrations", "perf.hw.cpu_cycles",
		"perf.hw.instructions", "perf.hw.cache_references",
		"perf.hw.cache_misses", "perf.hw.branch_instructions",
		"perf.hw.branch_misses", NULL,
	};
	const char *root = getenv("VTRACE_TRACEFS");
	const char *const *fns = list_kernel_functions(NULL);
	char point[512], buf[4096];
	char **events, **aliases;
	int nr;

	if (!root)
		root = "/sys/kernel/tracing";
	if (!strncmp(pattern, "process(\"", 9)) {
		if (list_process(pattern, vars))
			return 1;
		goto done;
	}
	for (const char *const *p = fixed; *p; p++)
		show(pattern, *p, NULL);
	for (; fns && *fns; fns++) {
		const char *colon = strchr(*fns, ':');

		if (colon)
			snprintf(point, sizeof(point), "module(\"%.*s\")."
				 "function(\"%s\")", (int)(colon - *fns), *fns,
				 colon + 1);
		else
			snprintf(point, sizeof(point), "kernel.function(\"%s\")",
				 *fns);
		show(pattern, point, NULL);
	}
	events = tp_list_events(root);
	for (char **e = events; e && *e; e++) {
		snprintf(point, sizeof(point), "kernel.trace(\"%s\")", *e);
		if (vars && !fnmatch(pattern, point, 0))
			field_vars(root, *e, buf, sizeof(buf));
		else
			buf[0] = 0;
		show(pattern, point, buf);
	}
	tp_list_free(events);
	aliases = tapset_list_aliases(tapset_dirs, vars);
	for (nr = 0; nr < 1024; nr++) {
		const char *name = syscall_name(nr);

		if (!name)
			continue;
		/* a tapset alias of that name is listed below instead */
		snprintf(point, sizeof(point), "syscall.%s", name);
		if (!has_alias(aliases, point))
			show(pattern, point, vars ? "name:string $arg1:long "
			     "$arg2:long $arg3:long $arg4:long $arg5:long "
			     "$arg6:long" : NULL);
		snprintf(point, sizeof(point), "kernel.syscall.%s", name);
		show(pattern, point, vars ? "name:string $arg1:long "
		     "$arg2:long $arg3:long $arg4:long $arg5:long $arg6:long" :
		     NULL);
	}
	for (char **a = aliases; a && *a; a++) {
		char *sp = strchr(*a, ' ');

		if (sp)
			*sp = 0;
		show(pattern, *a, sp ? sp + 1 : NULL);
	}
	tapset_list_free(aliases);
done:
	if (!shown) {
		fprintf(stderr, "vtrace: no probe point matches '%s'\n",
			pattern);
		return 1;
	}
	return 0;
}
