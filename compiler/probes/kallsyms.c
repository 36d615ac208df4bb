// SPDX-License-Identifier: GPL-2.0-only
/* kallsyms.c - see kallsyms.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kallsyms.h"

static char *kallsyms;			/* the file, NUL-terminated */
static bool kallsyms_loaded;

static void kallsyms_load(void)
{
	const char *path = getenv("VTRACE_KALLSYMS");
	size_t len = 0, cap = 0, n;
	char *nb;
	FILE *f;

	kallsyms_loaded = true;
	f = fopen(path ? path : "/proc/kallsyms", "r");
	if (!f)
		return;
	do {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 1 << 20;
			nb = realloc(kallsyms, cap + 1);
			if (!nb)
				break;
			kallsyms = nb;
		}
		n = fread(kallsyms + len, 1, cap - len, f);
		len += n;
	} while (n);
	fclose(f);
	if (kallsyms)
		kallsyms[len] = '\0';
}

struct kwant {
	const char *name;	/* NULL: empty slot */
	uint64_t addr;
	bool ambiguous;
};

static size_t kwant_hash(const char *s, size_t len)
{
	size_t h = 5381;

	while (len--)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of @name (@len bytes) in @tab (@cap a power of 2). */
static struct kwant *kwant_slot(struct kwant *tab, size_t cap,
				const char *name, size_t len)
{
	size_t i = kwant_hash(name, len) & (cap - 1);

	while (tab[i].name && (strncmp(tab[i].name, name, len) ||
			       tab[i].name[len]))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

void kallsyms_addrs(struct probe_point **pts, size_t n)
{
	const char *env = getenv("VTRACE_KALLSYMS");
	size_t cap = 16, i, len;
	struct kwant *tab, *w;
	const char *l, *name;
	char *end;

	if (env && !env[0])
		return;		/* set but empty: no addresses */
	if (!kallsyms_loaded)
		kallsyms_load();
	while (cap < 2 * n)
		cap *= 2;
	if (!kallsyms || !(tab = calloc(cap, sizeof(*tab))))
		return;
	for (i = 0; i < n; i++) {
		w = kwant_slot(tab, cap, pts[i]->target, strlen(pts[i]->target));
		w->name = pts[i]->target;
	}
	/* "addr type name", and "\t[module]" after a module's */
	for (l = kallsyms; *l; l = *end ? end + 1 : end) {
		uint64_t addr = strtoull(l, &end, 16);

		if (end[0] == ' ' && (end[1] == 't' || end[1] == 'T') &&
		    end[2] == ' ') {
			name = end + 3;
			len = strcspn(name, " \t\n");
			w = kwant_slot(tab, cap, name, len);
			if (w->name && name[len] != '\t' && name[len] != ' ') {
				if (w->addr && w->addr != addr)
					w->ambiguous = true;
				w->addr = addr;
			}
		}
		end = strchr(end, '\n');
		if (!end)
			break;
	}
	for (i = 0; i < n; i++) {
		w = kwant_slot(tab, cap, pts[i]->target, strlen(pts[i]->target));
		pts[i]->offset = w->ambiguous ? 0 : w->addr;
	}
	free(tab);
}
