// SPDX-License-Identifier: GPL-2.0-only
/* usyms.c - see usyms.h. */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usyms.h"

struct umap {
	uint64_t start, end, off;
	char *path;
};

struct uproc {
	uint32_t pid;
	struct umap *maps;
	size_t n;
};

struct ufunc {
	uint64_t addr, size;
	char *name;
};

struct useg {
	uint64_t off, filesz, vaddr;
};

struct ufile {
	char *path;
	struct ufunc *funcs;	/* by addr */
	size_t n;
	struct useg segs[16];	/* PT_LOAD */
	size_t nsegs;
};

static struct {
	struct uproc *procs;
	size_t nprocs;
	struct ufile *files;
	size_t nfiles;
} us;

static struct uproc *proc_of(uint32_t pid)
{
	char path[64], line[4096], file[4096];
	unsigned long long s, e, off;
	struct uproc *p;
	FILE *f;

	for (size_t i = 0; i < us.nprocs; i++)
		if (us.procs[i].pid == pid)
			return &us.procs[i];
	p = realloc(us.procs, (us.nprocs + 1) * sizeof(*p));
	if (!p)
		return NULL;
	us.procs = p;
	p = &us.procs[us.nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		struct umap *m;

		if (sscanf(line, "%llx-%llx %*s %llx %*s %*s %4095s", &s, &e,
			   &off, file) != 4 || file[0] != '/')
			continue;
		m = realloc(p->maps, (p->n + 1) * sizeof(*m));
		if (!m)
			break;
		p->maps = m;
		m[p->n] = (struct umap){ s, e, off, strdup(file) };
		if (m[p->n].path)
			p->n++;
	}
	if (f)
		fclose(f);
	return p;
}

static int cmp_func(const void *a, const void *b)
{
	const struct ufunc *x = a, *y = b;

	return (x->addr > y->addr) - (x->addr < y->addr);
}

/* The functions of one symbol table section. */
static void read_syms(struct ufile *uf, Elf *elf, Elf_Scn *scn,
		      const GElf_Shdr *sh)
{
	Elf_Data *d = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
	GElf_Sym sym;

	for (size_t i = 0; d && i < n; i++) {
		const char *name;
		struct ufunc *fn;

		if (!gelf_getsym(d, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		fn = realloc(uf->funcs, (uf->n + 1) * sizeof(*fn));
		if (!name || !fn)
			continue;
		uf->funcs = fn;
		fn[uf->n] = (struct ufunc){ sym.st_value, sym.st_size,
					    strdup(name) };
		if (fn[uf->n].name)
			uf->n++;
	}
}

static void read_elf(struct ufile *uf)
{
	int fd = open(uf->path, O_RDONLY | O_CLOEXEC);
	Elf *elf;
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	GElf_Phdr ph;
	size_t nph = 0;

	if (fd < 0)
		return;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !elf_getphdrnum(elf, &nph))
		for (size_t i = 0; i < nph && uf->nsegs < 16; i++)
			if (gelf_getphdr(elf, (int)i, &ph) &&
			    ph.p_type == PT_LOAD)
				uf->segs[uf->nsegs++] = (struct useg){
					ph.p_offset, ph.p_filesz, ph.p_vaddr };
	while (elf && (scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, &sh) && (sh.sh_type == SHT_SYMTAB ||
					       sh.sh_type == SHT_DYNSYM))
			read_syms(uf, elf, scn, &sh);
	if (elf)
		elf_end(elf);
	close(fd);
	if (uf->n)
		qsort(uf->funcs, uf->n, sizeof(*uf->funcs), cmp_func);
}

static struct ufile *file_of(const char *path)
{
	struct ufile *f;

	for (size_t i = 0; i < us.nfiles; i++)
		if (!strcmp(us.files[i].path, path))
			return &us.files[i];
	f = realloc(us.files, (us.nfiles + 1) * sizeof(*f));
	if (!f)
		return NULL;
	us.files = f;
	f = &us.files[us.nfiles];
	memset(f, 0, sizeof(*f));
	f->path = strdup(path);
	if (!f->path)
		return NULL;
	us.nfiles++;
	read_elf(f);
	return f;
}

/* The function of @uf covering ELF address @va, or NULL. */
static const struct ufunc *func_at(const struct ufile *uf, uint64_t va)
{
	size_t lo = 0, hi = uf->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (uf->funcs[mid].addr <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || va - uf->funcs[lo - 1].addr >= uf->funcs[lo - 1].size)
		return NULL;
	return &uf->funcs[lo - 1];
}

int usyms_lookup(uint32_t pid, uint64_t addr, struct usym *out)
{
	struct uproc *p = proc_of(pid);
	const struct umap *m = NULL;
	const struct ufunc *fn = NULL;
	struct ufile *uf;

	for (size_t i = 0; p && i < p->n; i++)
		if (addr >= p->maps[i].start && addr < p->maps[i].end)
			m = &p->maps[i];
	if (!m)
		return -1;
	memset(out, 0, sizeof(*out));
	out->path = m->path;
	out->foff = addr - m->start + m->off;
	uf = file_of(m->path);
	for (size_t i = 0; uf && i < uf->nsegs && !fn; i++) {
		const struct useg *sg = &uf->segs[i];

		if (out->foff >= sg->off && out->foff - sg->off < sg->filesz)
			fn = func_at(uf, out->foff - sg->off + sg->vaddr);
		if (fn) {
			out->name = fn->name;
			out->off = out->foff - sg->off + sg->vaddr - fn->addr;
			out->size = fn->size;
		}
	}
	return 0;
}

void usyms_note(uint32_t pid)
{
	proc_of(pid);
}

void usyms_reset(void)
{
	for (size_t i = 0; i < us.nprocs; i++) {
		for (size_t j = 0; j < us.procs[i].n; j++)
			free(us.procs[i].maps[j].path);
		free(us.procs[i].maps);
	}
	for (size_t i = 0; i < us.nfiles; i++) {
		for (size_t j = 0; j < us.files[i].n; j++)
			free(us.files[i].funcs[j].name);
		free(us.files[i].funcs);
		free(us.files[i].path);
	}
	free(us.procs);
	free(us.files);
	memset(&us, 0, sizeof(us));
}
