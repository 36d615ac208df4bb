// SPDX-License-Identifier: GPL-2.0-only
/*
 * list.c - see list.h.  Loaded names live until the process exits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "vtc.h"

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

/* The points come from the compiler's providers and tapset (vtc_list). */
int list_points(const char *pattern, bool vars,
		const char *const *tapset_dirs)
{
	struct vtc_options o = {
		.out = stdout, .kernel_functions = list_kernel_functions,
		.tracefs = getenv("VTRACE_TRACEFS"),
		.tapset_dirs = tapset_dirs,
	};
	char err[512];
	long shown = vtc_list(&o, pattern, vars, err, sizeof(err));

	if (shown < 0) {
		if (err[0])
			fprintf(stderr, "vtrace: %s\n", err);
		return 1;
	}
	if (!shown) {
		fprintf(stderr, "vtrace: no probe point matches '%s'\n",
			pattern);
		return 1;
	}
	return 0;
}
