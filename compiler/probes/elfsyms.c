// SPDX-License-Identifier: GPL-2.0-only
/*
 * elfsyms.c - see elfsyms.h.  Functions come from .symtab when the binary
 * has one (static functions too), else from .dynsym (a stripped binary or
 * a shared library: its exported functions).  Offsets go through the
 * PT_LOAD program headers, as the kernel's uprobes want file offsets.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elfsyms.h"
#include "types.h"

static Elf *elf_open(const char *path, int *fd, char *err, size_t errlen)
{
	Elf *e;

	elf_version(EV_CURRENT);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %m", path);
		return NULL;
	}
	e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		snprintf(err, errlen, "'%s' is not an ELF file", path);
		if (e)
			elf_end(e);
		close(*fd);
		return NULL;
	}
	return e;
}

static int vaddr_offset(Elf *e, uint64_t vaddr, uint64_t *off)
{
	size_t n;

	if (elf_getphdrnum(e, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (vaddr >= ph.p_vaddr && vaddr < ph.p_vaddr + ph.p_filesz) {
			*off = vaddr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

int elf_vaddr_offset(const char *path, uint64_t vaddr, uint64_t *off,
		     char *err, size_t errlen)
{
	int fd, ret;
	Elf *e = elf_open(path, &fd, err, errlen);

	if (!e)
		return -1;
	ret = vaddr_offset(e, vaddr, off);
	if (ret)
		snprintf(err, errlen, "address 0x%llx is in no loadable "
			 "segment of '%s'", (unsigned long long)vaddr, path);
	elf_end(e);
	close(fd);
	return ret;
}

static Elf_Scn *find_symtab(Elf *e, Elf64_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(e, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

static int cmp_func(const void *a, const void *b)
{
	const struct elf_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* equal names: keep the first in table order (addr as tiebreak) */
	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

static int add_funcs(Elf *e, Elf_Scn *scn, const GElf_Shdr *sh,
		     struct elf_funcs *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0, cap = 0;

	for (size_t i = 0; data && i < n; i++) {
		GElf_Sym sym;
		const char *name;
		uint64_t off;

		if (!gelf_getsym(data, (int)i, &sym) ||
		    GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_size ||
		    sym.st_shndx == SHN_UNDEF)
			continue;
		name = elf_strptr(e, sh->sh_link, sym.st_name);
		if (!name || !name[0] || vaddr_offset(e, sym.st_value, &off))
			continue;
		if (out->n == cap) {
			struct elf_func *nv;

			cap = cap ? cap * 2 : 256;
			nv = realloc(out->v, cap * sizeof(*nv));
			if (!nv)
				return -1;
			out->v = nv;
		}
		out->v[out->n].name = strdup(name);
		if (!out->v[out->n].name)
			return -1;
		out->v[out->n].addr = sym.st_value;
		out->v[out->n].size = sym.st_size;
		out->v[out->n].offset = off;
		out->n++;
	}
	return 0;
}

/* Sort, drop repeated names, build the name list. */
static int index_funcs(struct elf_funcs *f)
{
	size_t k = 0;

	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), cmp_func);
	for (size_t i = 0; i < f->n; i++) {
		if (k && !strcmp(f->v[i].name, f->v[k - 1].name)) {
			free(f->v[i].name);
			continue;
		}
		f->v[k++] = f->v[i];
	}
	f->n = k;
	f->names = calloc(k + 1, sizeof(*f->names));
	if (!f->names)
		return -1;
	for (size_t i = 0; i < k; i++)
		f->names[i] = f->v[i].name;
	return 0;
}

int elf_funcs_read(const char *path, struct elf_funcs *out, char *err,
		   size_t errlen)
{
	GElf_Shdr sh;
	Elf_Scn *scn;
	int fd, ret = -1;
	Elf *e;

	memset(out, 0, sizeof(*out));
	e = elf_open(path, &fd, err, errlen);
	if (!e)
		return -1;
	scn = find_symtab(e, SHT_SYMTAB, &sh);
	if (!scn) {
		scn = find_symtab(e, SHT_DYNSYM, &sh);
		out->from_dynsym = true;
	}
	if (!scn) {
		snprintf(err, errlen, "'%s' has no symbol table", path);
		goto out;
	}
	if (add_funcs(e, scn, &sh, out) || index_funcs(out)) {
		snprintf(err, errlen, "out of memory reading '%s'", path);
		elf_funcs_free(out);
		goto out;
	}
	ret = 0;
out:
	elf_end(e);
	close(fd);
	return ret;
}

void elf_funcs_free(struct elf_funcs *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i].name);
	free(f->v);
	free(f->names);
	memset(f, 0, sizeof(*f));
}

const struct elf_func *elf_funcs_find(const struct elf_funcs *f,
				      const char *name)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, f->v[mid].name);

		if (!c)
			return &f->v[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* ------------------------------------------------------------ DWARF */

/* Classify type DIE @t (NULL: void) for the SysV integer registers. */
static struct elf_value classify(Dwarf_Die *t)
{
	struct elf_value v = { 0 };
	Dwarf_Die die = *t, next;
	Dwarf_Attribute at;
	Dwarf_Word size, enc;

	for (int depth = 0; depth < 16; depth++) {
		int tag = dwarf_tag(&die);

		if (tag == DW_TAG_typedef || tag == DW_TAG_const_type ||
		    tag == DW_TAG_volatile_type || tag == DW_TAG_restrict_type) {
			if (!dwarf_formref_die(dwarf_attr(&die, DW_AT_type, &at),
					       &next))
				return v;	/* const void */
			die = next;
			continue;
		}
		if (tag == DW_TAG_pointer_type || tag == DW_TAG_reference_type ||
		    tag == DW_TAG_rvalue_reference_type) {
			v.kind = 'p';
			v.size = 8;
			return v;
		}
		if (dwarf_aggregate_size(&die, &size) || size < 1 || size > 8)
			return v;
		v.size = (uint8_t)size;
		if (tag == DW_TAG_enumeration_type) {
			v.kind = 'i';
			return v;
		}
		if (tag != DW_TAG_base_type ||
		    dwarf_formudata(dwarf_attr(&die, DW_AT_encoding, &at), &enc))
			return v;
		if (enc == DW_ATE_signed || enc == DW_ATE_signed_char)
			v.kind = 'i';
		else if (enc == DW_ATE_unsigned || enc == DW_ATE_unsigned_char ||
			 enc == DW_ATE_boolean)
			v.kind = 'u';
		else if (enc == DW_ATE_float)
			v.kind = 'f';	/* in an XMM register */
		return v;
	}
	return v;
}

static struct elf_value type_of(Dwarf_Die *die)
{
	struct elf_value none = { 0 };
	Dwarf_Attribute at;
	Dwarf_Die t;

	if (!dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &at), &t))
		return none;
	return classify(&t);
}

/* Fill @out from subprogram @fn; integer registers are handed out in
 * parameter order, floats take none, an aggregate ends the mapping.  A
 * subprogram without DW_AT_type returns void. */
static int read_params(Dwarf_Die *fn, struct elf_proto *out)
{
	static const struct elf_value void_value = { .kind = 'v' };
	Dwarf_Die child;
	int reg = 0;
	bool lost = false;

	out->ret = dwarf_hasattr_integrate(fn, DW_AT_type) ? type_of(fn) :
		   void_value;
	if (dwarf_child(fn, &child))
		return 0;
	do {
		struct elf_param *np;
		const char *name;
		struct elf_value v;

		if (dwarf_tag(&child) != DW_TAG_formal_parameter)
			continue;
		v = type_of(&child);
		if (!v.kind)
			lost = true;	/* an aggregate: its registers vary */
		if (v.kind && v.kind != 'f' && !lost && reg < 6)
			v.argno = (int8_t)++reg;
		else if (v.kind != 'f')
			v.kind = 0;	/* not in a register we can name */
		name = dwarf_diename(&child);
		np = realloc(out->params, (out->nparams + 1) * sizeof(*np));
		if (!np)
			return -1;
		out->params = np;
		np[out->nparams].name = strdup(name ? name : "");
		np[out->nparams].v = v;
		out->nparams++;
	} while (dwarf_siblingof(&child, &child) == 0);
	return 0;
}

/* The full C types of @out's parameters (by name; by position when
 * unnamed) and return, from @path's type source; NULL where unknown. */
static void add_types(const char *path, const char *func,
		      struct elf_proto *out)
{
	char err[256];
	struct type_source *s = types_open(path, err, sizeof(err));
	struct ctype *fn = s ? types_function(s, func) : NULL;
	const struct ctype_param *p;
	size_t n;

	if (!fn)
		return;
	out->ret.type = fn->ref;
	n = ctype_params(fn, &p);
	for (size_t i = 0; i < out->nparams; i++) {
		const char *name = out->params[i].name;

		for (size_t j = 0; j < n; j++)
			if (name[0] ? !strcmp(p[j].name, name) :
				      j == i && !p[j].name[0])
				out->params[i].v.type = p[j].type;
	}
}

int elf_proto_read(const char *path, const char *func, struct elf_proto *out)
{
	Dwarf_Off off = 0, next;
	size_t hsize;
	int fd, ret = 0;
	Dwarf *dw;

	memset(out, 0, sizeof(*out));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	dw = dwarf_begin(fd, DWARF_C_READ);
	if (!dw) {
		close(fd);
		return 0;
	}
	while (!ret && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL,
				    NULL) == 0) {
		Dwarf_Die cu, die;

		if (dwarf_offdie(dw, off + hsize, &cu) &&
		    dwarf_child(&cu, &die) == 0) {
			do {
				const char *name;

				if (dwarf_tag(&die) != DW_TAG_subprogram ||
				    !dwarf_hasattr(&die, DW_AT_low_pc))
					continue;
				name = dwarf_diename(&die);
				if (!name || strcmp(name, func))
					continue;
				ret = read_params(&die, out) ? -1 : 1;
				break;
			} while (dwarf_siblingof(&die, &die) == 0);
		}
		off = next;
	}
	dwarf_end(dw);
	close(fd);
	if (ret < 0)
		elf_proto_free(out);
	if (ret > 0)
		add_types(path, func, out);
	return ret;
}

void elf_proto_free(struct elf_proto *p)
{
	for (size_t i = 0; i < p->nparams; i++)
		free(p->params[i].name);
	free(p->params);
	memset(p, 0, sizeof(*p));
}
