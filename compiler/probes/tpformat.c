// SPDX-License-Identifier: GPL-2.0-only
/* tpformat.c - see tpformat.h. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tpformat.h"

/* "\tfield:DECL;\toffset:O;\tsize:S;\tsigned:G;" */
static int parse_field(struct arena *a, const char *line, struct tp_field *f)
{
	const char *decl = strstr(line, "field:"), *end, *p, *name;
	unsigned off, size;
	int sgn = 0;

	if (!decl)
		return -1;
	decl += 6;
	end = strchr(decl, ';');
	if (!end)
		return -1;
	p = strstr(end, "offset:");
	if (!p || sscanf(p, "offset:%u;", &off) != 1)
		return -1;
	p = strstr(end, "size:");
	if (!p || sscanf(p, "size:%u;", &size) != 1)
		return -1;
	p = strstr(end, "signed:");
	if (p)
		sscanf(p, "signed:%d;", &sgn);
	/* the name: the last identifier before any [N] */
	p = end;
	while (p > decl && (p[-1] == ']' || isdigit((unsigned char)p[-1]) ||
			    p[-1] == '[' || p[-1] == ' '))
		p--;
	name = p;
	while (name > decl && (isalnum((unsigned char)name[-1]) ||
			       name[-1] == '_'))
		name--;
	if (name == p)
		return -1;
	f->name = arena_strndup(a, name, (size_t)(p - name));
	f->decl = arena_strndup(a, decl, (size_t)(end - decl));
	f->off = off;
	f->size = size;
	f->is_signed = sgn != 0;
	if (strstr(f->decl, "__data_loc") && strstr(f->decl, "char"))
		f->kind = TPF_DATALOC;
	else if (strchr(f->decl, '['))
		f->kind = strstr(f->decl, "char") && !strchr(f->decl, '*') ?
			  TPF_CHARS : TPF_OTHER;
	else
		f->kind = size == 1 || size == 2 || size == 4 || size == 8 ?
			  TPF_NUM : TPF_OTHER;
	return 0;
}

int tp_format_read(struct arena *a, const char *path, struct tp_format *out,
		   char *err, size_t errsize)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	uint32_t cap = 0;
	bool have_id = false;

	memset(out, 0, sizeof(*out));
	if (!fp) {
		snprintf(err, errsize, "cannot read %s", path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp)) {
		struct tp_field f = { 0 };

		if (!strncmp(line, "ID:", 3)) {
			out->id = (uint32_t)strtoul(line + 3, NULL, 10);
			have_id = true;
			continue;
		}
		if (!strstr(line, "field:") || parse_field(a, line, &f))
			continue;
		if (out->nfields == cap) {
			struct tp_field *nf;

			cap = cap ? cap * 2 : 16;
			nf = arena_alloc(a, cap * sizeof(*nf));
			if (out->nfields)
				memcpy(nf, out->fields,
				       out->nfields * sizeof(*nf));
			out->fields = nf;
		}
		out->fields[out->nfields++] = f;
	}
	fclose(fp);
	if (!have_id || !out->id) {
		snprintf(err, errsize, "%s has no event ID", path);
		return -1;
	}
	return 0;
}

const struct tp_field *tp_format_field(const struct tp_format *f,
				       const char *name)
{
	for (uint32_t i = 0; i < f->nfields; i++)
		if (!strcmp(f->fields[i].name, name))
			return &f->fields[i];
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

char **tp_list_events(const char *root)
{
	char path[4096];
	DIR *top, *sub;
	struct dirent *s, *e;
	char **v = NULL;
	size_t n = 0, cap = 0;

	snprintf(path, sizeof(path), "%s/events", root);
	top = opendir(path);
	if (!top)
		return NULL;
	while ((s = readdir(top))) {
		if (s->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/events/%s", root, s->d_name);
		if (!is_dir(path) || !(sub = opendir(path)))
			continue;
		while ((e = readdir(sub))) {
			char *name;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/events/%s/%s/format",
				 root, s->d_name, e->d_name);
			if (access(path, R_OK))
				continue;
			if (n + 1 >= cap) {
				char **nv;

				cap = cap ? cap * 2 : 256;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv)
					break;
				v = nv;
			}
			if (asprintf(&name, "%s:%s", s->d_name, e->d_name) < 0)
				break;
			v[n++] = name;
		}
		closedir(sub);
	}
	closedir(top);
	if (!v)
		v = calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	qsort(v, n, sizeof(*v), cmp);
	v[n] = NULL;
	return v;
}

void tp_list_free(char **list)
{
	if (!list)
		return;
	for (char **p = list; *p; p++)
		free(*p);
	free(list);
}
