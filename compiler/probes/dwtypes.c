// SPDX-License-Identifier: GPL-2.0-only
/*
 * dwtypes.c - the DWARF type source (types_int.h): a user binary or
 * library read through libdw, its DWARF in the file itself or in a
 * separate debug file (build-id under /usr/lib/debug/.build-id, else
 * .gnu_debuglink beside the file, in its .debug/, or under
 * /usr/lib/debug), and in the dwz alternate file libdw finds for it.
 *
 * The name index (types, functions and variables at the top level of
 * every unit) is built on the first lookup and sorted by namespace and
 * name, definitions before declarations, so a declaration-only struct in
 * one CU is completed from another CU by name.  A DIE becomes a struct
 * ctype on first use and only once (a hash of DIE offsets); members,
 * enumerators and parameters are read by load().  Qualifiers are
 * skipped; void is NULL.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "types_int.h"

enum dw_ns { NS_STRUCT, NS_UNION, NS_ENUM, NS_TYPEDEF, NS_BASE, NS_FUNC,
	     NS_VAR };

struct dw_name {
	const char *name;	/* in libdw's string section */
	Dwarf_Off off;		/* die_key() */
	uint8_t ns;		/* enum dw_ns */
	uint8_t decl;		/* a declaration: sorts after definitions */
};

struct dw_memo {		/* die_key() -> its ctype */
	Dwarf_Off off;
	struct ctype *t;
};

struct dw_src {
	int fd, dbg_fd;		/* the file; its separate debug file or -1 */
	Elf *elf, *dbg_elf;
	Dwarf *dw;
	bool indexed;
	struct dw_name *names;
	size_t nnames;
	struct dw_memo *memo;	/* open addressing, size a power of two */
	size_t memo_cap, memo_n;
	Dwarf_Off *dies;	/* by ctype id: its die_key() (0: no DIE) */
	uint32_t next_id, dies_cap;
	unsigned depth;		/* of conv() calls, up to MAX_DEPTH */
};

#define MAX_DEPTH 256

static const char debug_root[] = "/usr/lib/debug";

/* ------------------------------------------------------------- open */

static Dwarf *dwarf_of(Elf *e)
{
	Dwarf *dw = dwarf_begin_elf(e, DWARF_C_READ, NULL);
	Dwarf_Off next;
	size_t hsize;

	if (dw && dwarf_nextcu(dw, 0, &next, &hsize, NULL, NULL, NULL)) {
		dwarf_end(dw);	/* debug sections, but no unit */
		dw = NULL;
	}
	return dw;
}

/* Open @path as the separate debug file of @p; true if it has DWARF
 * and no build-id other than @id's. */
static bool try_debug(struct dw_src *p, const char *path, const void *id,
		      ssize_t idlen)
{
	const void *did;
	ssize_t dlen;

	p->dbg_fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->dbg_fd < 0)
		return false;
	p->dbg_elf = elf_begin(p->dbg_fd, ELF_C_READ_MMAP, NULL);
	if (p->dbg_elf && elf_kind(p->dbg_elf) == ELF_K_ELF) {
		dlen = dwelf_elf_gnu_build_id(p->dbg_elf, &did);
		if (idlen <= 0 || dlen <= 0 ||
		    (dlen == idlen && !memcmp(did, id, (size_t)idlen)))
			p->dw = dwarf_of(p->dbg_elf);
		if (p->dw)
			return true;
	}
	if (p->dbg_elf)
		elf_end(p->dbg_elf);
	close(p->dbg_fd);
	p->dbg_elf = NULL;
	p->dbg_fd = -1;
	return false;
}

/* The separate debug file of @path: by build-id, then by debuglink. */
static bool find_debug(struct dw_src *p, const char *path)
{
	char buf[PATH_MAX * 2], dir[PATH_MAX], real[PATH_MAX];
	const unsigned char *id = NULL;
	const char *link, *slash;
	GElf_Word crc;
	ssize_t n = dwelf_elf_gnu_build_id(p->elf, (const void **)&id);
	int k;

	if (n > 1 && n <= 64) {
		k = snprintf(buf, sizeof(buf), "%s/.build-id/%02x/", debug_root,
			     id[0]);
		for (ssize_t i = 1; i < n; i++)
			k += snprintf(buf + k, sizeof(buf) - (size_t)k, "%02x",
				      id[i]);
		snprintf(buf + k, sizeof(buf) - (size_t)k, ".debug");
		if (try_debug(p, buf, id, n))
			return true;
	}
	link = dwelf_elf_gnu_debuglink(p->elf, &crc);
	if (!link || strchr(link, '/') || !realpath(path, real))
		return false;
	slash = strrchr(real, '/');
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - real), real);
	if (strcmp(slash + 1, link)) {	/* never the binary itself */
		snprintf(buf, sizeof(buf), "%s/%s", dir, link);
		if (try_debug(p, buf, id, n))
			return true;
	}
	snprintf(buf, sizeof(buf), "%s/.debug/%s", dir, link);
	if (try_debug(p, buf, id, n))
		return true;
	snprintf(buf, sizeof(buf), "%s%s/%s", debug_root, dir, link);
	return try_debug(p, buf, id, n);
}

static void dw_close(struct type_source *s)
{
	struct dw_src *p = s->priv;

	if (!p)
		return;
	if (p->dw)
		dwarf_end(p->dw);
	if (p->dbg_elf)
		elf_end(p->dbg_elf);
	if (p->dbg_fd >= 0)
		close(p->dbg_fd);
	if (p->elf)
		elf_end(p->elf);
	if (p->fd >= 0)
		close(p->fd);
	free(p->names);
	free(p->memo);
	free(p->dies);
	free(p);
	s->priv = NULL;
}

static int dw_open(struct type_source *s, char *err, size_t errlen)
{
	struct dw_src *p = calloc(1, sizeof(*p));

	if (!p) {
		snprintf(err, errlen, "out of memory opening '%s'", s->name);
		return -1;
	}
	s->priv = p;
	p->dbg_fd = -1;
	elf_version(EV_CURRENT);
	p->fd = open(s->name, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0) {
		snprintf(err, errlen, "cannot open '%s': %m", s->name);
		goto fail;
	}
	p->elf = elf_begin(p->fd, ELF_C_READ_MMAP, NULL);
	if (!p->elf || elf_kind(p->elf) != ELF_K_ELF) {
		snprintf(err, errlen, "'%s' is not an ELF file", s->name);
		goto fail;
	}
	p->dw = dwarf_of(p->elf);
	if (!p->dw && !find_debug(p, s->name)) {
		snprintf(err, errlen, "%s has no DWARF (build it with -g, or "
			 "install its debug symbols)", s->name);
		goto fail;
	}
	return 0;
fail:
	dw_close(s);
	return -1;
}

/* ------------------------------------------------------------ index */

/*
 * A DIE's key: its offset, with ALT_DIE set for a DIE of the dwz
 * alternate file (.gnu_debugaltlink, whose partial units hold what
 * several binaries share): offsets of the two files overlap.
 */
#define ALT_DIE (1ull << 63)

static Dwarf_Off die_key(const struct dw_src *p, Dwarf_Die *d)
{
	Dwarf_Off off = dwarf_dieoffset(d);

	return dwarf_cu_getdwarf(d->cu) == p->dw ? off : off | ALT_DIE;
}

static bool key_die(const struct dw_src *p, Dwarf_Off key, Dwarf_Die *d)
{
	Dwarf *dw = key & ALT_DIE ? dwarf_getalt(p->dw) : p->dw;

	return dw && dwarf_offdie(dw, key & ~ALT_DIE, d);
}

static const char *name_of(Dwarf_Die *die)
{
	Dwarf_Attribute at;

	return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &at));
}

/* The namespace of a top-level DIE, -1 if it is not indexed. */
static int ns_of(Dwarf_Die *die)
{
	switch (dwarf_tag(die)) {
	case DW_TAG_structure_type:
	case DW_TAG_class_type:		return NS_STRUCT;
	case DW_TAG_union_type:		return NS_UNION;
	case DW_TAG_enumeration_type:	return NS_ENUM;
	case DW_TAG_typedef:		return NS_TYPEDEF;
	case DW_TAG_base_type:		return NS_BASE;
	case DW_TAG_subprogram:		return NS_FUNC;
	case DW_TAG_variable:		return NS_VAR;
	default:			return -1;
	}
}

/* A declaration only: no definition (struct), no body or abstract
 * instance (function), no storage (variable). */
static bool is_decl(Dwarf_Die *die, int ns)
{
	if (dwarf_hasattr(die, DW_AT_declaration))
		return true;
	return ns == NS_VAR && !dwarf_hasattr(die, DW_AT_location);
}

static int add_cu(struct dw_src *p, Dwarf_Die *cu, size_t *cap)
{
	Dwarf_Die die;

	if (dwarf_child(cu, &die))
		return 0;
	do {
		int ns = ns_of(&die);
		const char *name = ns < 0 ? NULL : name_of(&die);

		if (!name || !name[0])
			continue;
		if (p->nnames == *cap) {
			size_t nc = *cap ? *cap * 2 : 1024;
			struct dw_name *nv = realloc(p->names,
						     nc * sizeof(*nv));

			if (!nv)
				return -1;
			p->names = nv;
			*cap = nc;
		}
		p->names[p->nnames++] = (struct dw_name){
			name, die_key(p, &die), (uint8_t)ns,
			is_decl(&die, ns) };
	} while (dwarf_siblingof(&die, &die) == 0);
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	const struct dw_name *x = a, *y = b;
	int c;

	if (x->ns != y->ns)
		return x->ns - y->ns;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->decl != y->decl)
		return x->decl - y->decl;
	return (x->off > y->off) - (x->off < y->off);
}

static int add_units(struct dw_src *p, Dwarf *dw, size_t *cap)
{
	Dwarf_Off off = 0, next;
	size_t hsize;

	while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;

		if (dwarf_offdie(dw, off + hsize, &cu) && add_cu(p, &cu, cap))
			return -1;
		off = next;
	}
	return 0;
}

/* Every unit's top-level names (the alternate file's too), once; -1 out
 * of memory. */
static int build_index(struct dw_src *p)
{
	Dwarf *alt = dwarf_getalt(p->dw);
	size_t cap = 0;

	if (p->indexed)
		return 0;
	if (add_units(p, p->dw, &cap) || (alt && add_units(p, alt, &cap)))
		return -1;
	if (p->nnames)
		qsort(p->names, p->nnames, sizeof(*p->names), cmp_name);
	p->indexed = true;
	return 0;
}

/* The index of the first entry not before (@ns, @name). */
static size_t lower_bound(const struct dw_src *p, int ns, const char *name)
{
	size_t lo = 0, hi = p->nnames;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct dw_name *e = &p->names[mid];
		int c = e->ns != ns ? e->ns - ns : strcmp(e->name, name);

		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first entry for (@ns, @name), a definition if there is one. */
static const struct dw_name *find_name(struct dw_src *p, int ns,
				       const char *name)
{
	size_t i;

	if (build_index(p))
		return NULL;
	i = lower_bound(p, ns, name);
	if (i < p->nnames && p->names[i].ns == ns &&
	    !strcmp(p->names[i].name, name))
		return &p->names[i];
	return NULL;
}

static bool die_at(struct dw_src *p, const struct dw_name *e, Dwarf_Die *d)
{
	return e && key_die(p, e->off, d);
}

/* ------------------------------------------------------------- memo */

static size_t memo_slot(const struct dw_src *p, Dwarf_Off off)
{
	size_t h = (size_t)(off * 0x9e3779b97f4a7c15ull);

	for (h &= p->memo_cap - 1; p->memo[h].t && p->memo[h].off != off;
	     h = (h + 1) & (p->memo_cap - 1))
		;
	return h;
}

static struct ctype *memo_get(const struct dw_src *p, Dwarf_Off off)
{
	return p->memo_cap ? p->memo[memo_slot(p, off)].t : NULL;
}

static int memo_put(struct dw_src *p, Dwarf_Off off, struct ctype *t)
{
	if (2 * (p->memo_n + 1) > p->memo_cap) {
		struct dw_memo *old = p->memo;
		size_t oldcap = p->memo_cap;

		p->memo_cap = oldcap ? oldcap * 2 : 256;
		p->memo = calloc(p->memo_cap, sizeof(*p->memo));
		if (!p->memo) {
			p->memo = old;
			p->memo_cap = oldcap;
			return -1;
		}
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].t)
				p->memo[memo_slot(p, old[i].off)] = old[i];
		free(old);
	}
	p->memo[memo_slot(p, off)] = (struct dw_memo){ off, t };
	p->memo_n++;
	return 0;
}

/* ------------------------------------------------------- conversion */

static struct ctype *conv(struct type_source *s, Dwarf_Die *die);

/* A new ctype of @kind for DIE @off (0: none, e.g. an inner dimension),
 * remembered so the DIE is converted once. */
static struct ctype *new_type(struct type_source *s, Dwarf_Off off,
			      enum ctype_kind kind)
{
	struct dw_src *p = s->priv;
	struct ctype *t;

	if (p->next_id == p->dies_cap) {
		uint32_t nc = p->dies_cap ? p->dies_cap * 2 : 256;
		Dwarf_Off *nv = realloc(p->dies, nc * sizeof(*nv));

		if (!nv)
			return NULL;
		p->dies = nv;
		p->dies_cap = nc;
	}
	t = types_new(s, p->next_id);
	if (!t || (off && memo_put(p, off, t)))
		return NULL;
	p->dies[p->next_id++] = off;
	t->kind = kind;
	t->name = "";
	return t;
}

/* The type @die's DW_AT_type names (NULL: void or none). */
static struct ctype *conv_ref(struct type_source *s, Dwarf_Die *die)
{
	Dwarf_Attribute at;
	Dwarf_Die t;

	if (!dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &at), &t))
		return NULL;
	return conv(s, &t);
}

static uint64_t attr_u(Dwarf_Die *die, unsigned name, uint64_t dflt)
{
	Dwarf_Attribute at;
	Dwarf_Word v;

	if (dwarf_formudata(dwarf_attr_integrate(die, name, &at), &v))
		return dflt;
	return v;
}

static const char *dup_name(Dwarf_Die *die)
{
	const char *n = name_of(die);

	return n ? types_strdup(n) : "";
}

static struct ctype *conv_base(struct type_source *s, Dwarf_Die *die)
{
	uint64_t enc = attr_u(die, DW_AT_encoding, 0);
	bool flt = enc == DW_ATE_float || enc == DW_ATE_complex_float ||
		   enc == DW_ATE_decimal_float;
	struct ctype *t = new_type(s, die_key(s->priv, die),
				   flt ? CT_FLOAT : CT_INT);

	if (!t)
		return NULL;
	t->name = dup_name(die);
	t->size = attr_u(die, DW_AT_byte_size, 0);
	t->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char ||
		       (flt && enc != DW_ATE_complex_float);
	t->is_char = t->size == 1 && (enc == DW_ATE_signed_char ||
				      enc == DW_ATE_unsigned_char);
	return t;
}

/* A struct, union or enum declared here and defined in another CU (or
 * later in this one): that definition, converted.  NULL if none. */
static struct ctype *complete(struct type_source *s, Dwarf_Die *die,
			      int ns)
{
	const char *name = name_of(die);
	const struct dw_name *e = name ? find_name(s->priv, ns, name) : NULL;
	Dwarf_Die def;
	struct ctype *t;

	if (!e || e->decl || !die_at(s->priv, e, &def))
		return NULL;
	t = conv(s, &def);
	if (t && memo_put(s->priv, die_key(s->priv, die), t))
		return NULL;
	return t;
}

static struct ctype *conv_struct(struct type_source *s, Dwarf_Die *die)
{
	bool u = dwarf_tag(die) == DW_TAG_union_type;
	struct ctype *t;

	if (dwarf_hasattr(die, DW_AT_declaration)) {
		t = complete(s, die, u ? NS_UNION : NS_STRUCT);
		if (t)
			return t;
		t = new_type(s, die_key(s->priv, die), CT_FWD);
		if (t) {
			t->is_union = u;
			t->name = dup_name(die);
		}
		return t;
	}
	t = new_type(s, die_key(s->priv, die), u ? CT_UNION : CT_STRUCT);
	if (t) {
		t->name = dup_name(die);
		t->size = attr_u(die, DW_AT_byte_size, 0);
	}
	return t;
}

/* An enum's signedness: its underlying type's, else whether an
 * enumerator is negative (only DW_FORM_sdata can say so). */
static bool enum_signed(Dwarf_Die *die)
{
	Dwarf_Attribute at;
	Dwarf_Die base, c;
	Dwarf_Sword v;

	if (dwarf_formref_die(dwarf_attr_integrate(die, DW_AT_type, &at),
			      &base) && dwarf_peel_type(&base, &base) == 0) {
		uint64_t enc = attr_u(&base, DW_AT_encoding, 0);

		return enc == DW_ATE_signed || enc == DW_ATE_signed_char;
	}
	if (dwarf_child(die, &c))
		return false;
	do {
		if (dwarf_attr(&c, DW_AT_const_value, &at) &&
		    dwarf_whatform(&at) == DW_FORM_sdata &&
		    dwarf_formsdata(&at, &v) == 0 && v < 0)
			return true;
	} while (dwarf_siblingof(&c, &c) == 0);
	return false;
}

static struct ctype *conv_enum(struct type_source *s, Dwarf_Die *die)
{
	struct ctype *t;

	if (dwarf_hasattr(die, DW_AT_declaration)) {
		t = complete(s, die, NS_ENUM);
		if (t)
			return t;
	}
	t = new_type(s, die_key(s->priv, die), CT_ENUM);
	if (t) {
		t->name = dup_name(die);
		t->size = attr_u(die, DW_AT_byte_size, 4);
		t->is_signed = enum_signed(die);
	}
	return t;
}

/* Elements of one dimension: DW_AT_count, else upper - lower + 1; 0
 * when unknown (a flexible array, a VLA). */
static uint64_t dim_count(Dwarf_Die *sub)
{
	Dwarf_Attribute at;
	Dwarf_Word hi;
	uint64_t lo = attr_u(sub, DW_AT_lower_bound, 0);

	if (dwarf_hasattr(sub, DW_AT_count))
		return attr_u(sub, DW_AT_count, 0);
	if (dwarf_formudata(dwarf_attr(sub, DW_AT_upper_bound, &at), &hi) ||
	    hi == (Dwarf_Word)-1 || hi < lo)
		return 0;
	return hi - lo + 1;
}

/* T x[2][3] is an array of 2 arrays of 3 T; the outer one is the DIE's. */
static struct ctype *conv_array(struct type_source *s, Dwarf_Die *die)
{
	struct ctype *cur = conv_ref(s, die), *t;
	uint64_t n[16];
	size_t nd = 0;
	Dwarf_Die c;

	t = memo_get(s->priv, die_key(s->priv, die));
	if (t)		/* reached again through the element type */
		return t;
	if (dwarf_child(die, &c) == 0) {
		do {
			int tag = dwarf_tag(&c);

			if ((tag == DW_TAG_subrange_type ||
			     tag == DW_TAG_enumeration_type) && nd < 16)
				n[nd++] = tag == DW_TAG_subrange_type ?
					  dim_count(&c) : 0;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	if (!nd)
		n[nd++] = 0;
	while (nd--) {
		t = new_type(s, nd ? 0 : die_key(s->priv, die), CT_ARRAY);
		if (!t)
			return NULL;
		t->ref = cur;
		t->nelem = n[nd];
		t->size = cur ? n[nd] * cur->size : 0;
		cur = t;
	}
	return cur;
}

/* Pointers, typedefs and functions: made before their target, so a
 * cycle through them ends at the ctype being made. */
static struct ctype *conv_ref_kind(struct type_source *s, Dwarf_Die *die,
				   enum ctype_kind kind)
{
	struct ctype *t = new_type(s, die_key(s->priv, die), kind);

	if (!t)
		return NULL;
	if (kind == CT_PTR)
		t->size = attr_u(die, DW_AT_byte_size, 8);
	if (kind == CT_TYPEDEF)
		t->name = dup_name(die);
	t->ref = conv_ref(s, die);
	if (kind == CT_TYPEDEF)
		t->size = t->ref ? t->ref->size : 0;
	return t;
}

static struct ctype *conv_tag(struct type_source *s, Dwarf_Die *die)
{
	switch (dwarf_tag(die)) {
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		return conv_ref(s, die);
	case DW_TAG_base_type:
		return conv_base(s, die);
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type:
		return conv_ref_kind(s, die, CT_PTR);
	case DW_TAG_typedef:
		return conv_ref_kind(s, die, CT_TYPEDEF);
	case DW_TAG_subroutine_type:
	case DW_TAG_subprogram:
		return conv_ref_kind(s, die, CT_FUNC);
	case DW_TAG_structure_type:
	case DW_TAG_class_type:
	case DW_TAG_union_type:
		return conv_struct(s, die);
	case DW_TAG_enumeration_type:
		return conv_enum(s, die);
	case DW_TAG_array_type:
		return conv_array(s, die);
	default:
		return NULL;
	}
}

/* @die as a ctype, made once; NULL for void (and for what C has no
 * type for, or when out of memory).  Qualifiers and arrays are not
 * remembered before their target is converted, so malformed DWARF could
 * loop through them: MAX_DEPTH ends the walk. */
static struct ctype *conv(struct type_source *s, Dwarf_Die *die)
{
	struct dw_src *p = s->priv;
	struct ctype *t = memo_get(p, die_key(p, die));

	if (t || p->depth >= MAX_DEPTH)
		return t;
	p->depth++;
	t = conv_tag(s, die);
	p->depth--;
	return t;
}

/* ------------------------------------------------------------- load */

/* How many children of @die have @tag (declarations not counted). */
static size_t count_children(Dwarf_Die *die, int tag)
{
	Dwarf_Die c;
	size_t n = 0;

	if (dwarf_child(die, &c))
		return 0;
	do
		n += dwarf_tag(&c) == tag && !dwarf_hasattr(&c, DW_AT_declaration);
	while (dwarf_siblingof(&c, &c) == 0);
	return n;
}

/* DW_AT_data_member_location: a constant, or DWARF 2's
 * DW_OP_plus_uconst expression; 0 if absent (a union's members). */
static uint64_t member_byte_offset(Dwarf_Die *m)
{
	Dwarf_Attribute at;
	Dwarf_Word v;
	Dwarf_Op *ops;
	size_t n;

	if (!dwarf_attr(m, DW_AT_data_member_location, &at))
		return 0;
	if (dwarf_formudata(&at, &v) == 0)
		return v;
	if (dwarf_getlocation(&at, &ops, &n) == 0 && n == 1 &&
	    ops[0].atom == DW_OP_plus_uconst)
		return ops[0].number;
	return 0;
}

/* Bit offset and size of member @m.  DWARF 4+ gives DW_AT_data_bit_offset
 * from the start of the struct; before, DW_AT_bit_offset counts from the
 * most significant bit of a storage unit of DW_AT_byte_size bytes at
 * DW_AT_data_member_location (x86-64 is little-endian, so the bit's
 * offset from the unit's start is unit_bits - bit_offset - bit_size). */
static void member_bits(Dwarf_Die *m, struct ctype_member *out)
{
	Dwarf_Attribute at;
	Dwarf_Sword bo;
	uint64_t unit;

	out->bit_size = (uint32_t)attr_u(m, DW_AT_bit_size, 0);
	if (dwarf_hasattr(m, DW_AT_data_bit_offset)) {
		out->bit_offset = attr_u(m, DW_AT_data_bit_offset, 0);
		return;
	}
	out->bit_offset = 8 * member_byte_offset(m);
	if (dwarf_formsdata(dwarf_attr(m, DW_AT_bit_offset, &at), &bo))
		return;
	unit = attr_u(m, DW_AT_byte_size,
		      out->type ? out->type->size : 0);
	out->bit_offset += 8 * unit - (uint64_t)bo - out->bit_size;
}

static int load_members(struct ctype *t, Dwarf_Die *die)
{
	size_t n = count_children(die, DW_TAG_member), i = 0;
	struct ctype_member *v = n ? types_alloc(n * sizeof(*v)) : NULL;
	Dwarf_Die c;

	if (n && !v)
		return -1;
	if (n && dwarf_child(die, &c) == 0) {
		do {
			if (dwarf_tag(&c) != DW_TAG_member ||
			    dwarf_hasattr(&c, DW_AT_declaration) || i == n)
				continue;
			v[i].name = dup_name(&c);
			v[i].type = conv_ref(t->src, &c);
			member_bits(&c, &v[i]);
			i++;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	t->lazy = v;
	t->nlazy = i;
	return 0;
}

static int load_enumerators(struct ctype *t, Dwarf_Die *die)
{
	size_t n = count_children(die, DW_TAG_enumerator), i = 0;
	struct ctype_enumerator *v = n ? types_alloc(n * sizeof(*v)) : NULL;
	unsigned bits = t->size && t->size < 8 ? 8 * (unsigned)t->size : 64;
	Dwarf_Die c;

	if (n && !v)
		return -1;
	if (n && dwarf_child(die, &c) == 0) {
		do {
			uint64_t u = attr_u(&c, DW_AT_const_value, 0);

			if (dwarf_tag(&c) != DW_TAG_enumerator || i == n)
				continue;
			if (t->is_signed && bits < 64 && (u >> (bits - 1)) & 1)
				u |= ~0ull << bits;	/* sign-extend */
			v[i].name = dup_name(&c);
			v[i++].value = (int64_t)u;
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	t->lazy = v;
	t->nlazy = i;
	return 0;
}

/* Parameters of a subprogram (names through DW_AT_abstract_origin for an
 * out-of-line copy) or of a subroutine type (usually unnamed). */
static int load_params(struct ctype *t, Dwarf_Die *die)
{
	size_t n = count_children(die, DW_TAG_formal_parameter), i = 0;
	struct ctype_param *v = n ? types_alloc(n * sizeof(*v)) : NULL;
	Dwarf_Die c;

	if (n && !v)
		return -1;
	if (n && dwarf_child(die, &c) == 0) {
		do {
			if (dwarf_tag(&c) != DW_TAG_formal_parameter || i == n)
				continue;
			v[i].name = dup_name(&c);
			v[i++].type = conv_ref(t->src, &c);
		} while (dwarf_siblingof(&c, &c) == 0);
	}
	t->lazy = v;
	t->nlazy = i;
	return 0;
}

static int dw_load(struct ctype *t)
{
	struct dw_src *p = t->src->priv;
	Dwarf_Die die;
	int ret = 0;

	if (t->loaded)
		return 0;
	t->loaded = true;
	if (t->id >= p->next_id || !p->dies[t->id] ||
	    !key_die(p, p->dies[t->id], &die))
		return 0;	/* an inner dimension, a pointer... */
	if (t->kind == CT_STRUCT || t->kind == CT_UNION)
		ret = load_members(t, &die);
	else if (t->kind == CT_ENUM)
		ret = load_enumerators(t, &die);
	else if (t->kind == CT_FUNC)
		ret = load_params(t, &die);
	if (ret) {
		t->lazy = NULL;
		t->nlazy = 0;
	}
	return ret;
}

/* -------------------------------------------------------------- ops */

/* A base type name as a key where word order and an implied "int" do not
 * matter: "unsigned long" and "long unsigned int" agree; "char",
 * "signed char" and "unsigned char" stay three. */
static void base_key(const char *name, char *key, size_t n)
{
	int sign = '-', shorts = 0, longs = 0, chr = 0;
	char other[64] = "", word[32];
	int len;

	while (sscanf(name, " %31s%n", word, &len) == 1) {
		name += len;
		if (!strcmp(word, "unsigned") || !strcmp(word, "signed"))
			sign = word[0];
		else if (!strcmp(word, "short"))
			shorts++;
		else if (!strcmp(word, "long"))
			longs++;
		else if (!strcmp(word, "char"))
			chr = 1;
		else if (strcmp(word, "int"))
			snprintf(other + strlen(other),
				 sizeof(other) - strlen(other), " %s", word);
	}
	if (!chr && sign == 's')
		sign = '-';
	snprintf(key, n, "%c%d%d%d%s", sign, shorts, longs, chr, other);
}

/* Base type @name however it is spelled ("unsigned long"). */
static const struct dw_name *find_base(struct dw_src *p, const char *name)
{
	const struct dw_name *e = find_name(p, NS_BASE, name);
	char want[128], have[128];

	if (e || !p->indexed)
		return e;
	base_key(name, want, sizeof(want));
	for (size_t i = lower_bound(p, NS_BASE, "");
	     i < p->nnames && p->names[i].ns == NS_BASE; i++) {
		base_key(p->names[i].name, have, sizeof(have));
		if (!strcmp(want, have))
			return &p->names[i];
	}
	return NULL;
}

static struct ctype *dw_lookup(struct type_source *s, enum ctype_kind kind,
			       const char *name)
{
	struct dw_src *p = s->priv;
	const struct dw_name *e;
	Dwarf_Die die;

	switch (kind) {
	case CT_STRUCT:	 e = find_name(p, NS_STRUCT, name); break;
	case CT_UNION:	 e = find_name(p, NS_UNION, name); break;
	case CT_ENUM:	 e = find_name(p, NS_ENUM, name); break;
	case CT_TYPEDEF: e = find_name(p, NS_TYPEDEF, name); break;
	case CT_INT:	 e = find_base(p, name); break;
	default:	 return NULL;
	}
	return die_at(p, e, &die) ? conv(s, &die) : NULL;
}

static void dw_each_name(struct type_source *s,
			 void (*fn)(const char *name, void *arg), void *arg)
{
	struct dw_src *p = s->priv;

	if (build_index(p))
		return;
	for (size_t i = 0; i < p->nnames; i++) {
		const struct dw_name *e = &p->names[i];

		if ((e->ns == NS_STRUCT || e->ns == NS_UNION ||
		     e->ns == NS_TYPEDEF) &&
		    (!i || e->ns != e[-1].ns || strcmp(e->name, e[-1].name)))
			fn(e->name, arg);
	}
}

static struct ctype *dw_function(struct type_source *s, const char *name)
{
	struct dw_src *p = s->priv;
	Dwarf_Die die;

	if (!die_at(p, find_name(p, NS_FUNC, name), &die))
		return NULL;
	return conv(s, &die);
}

/* A global's link-time address: its location is one DW_OP_addr. */
static uint64_t var_addr(Dwarf_Die *die)
{
	Dwarf_Attribute at;
	Dwarf_Op *ops;
	size_t n;

	if (!dwarf_attr(die, DW_AT_location, &at) ||
	    dwarf_getlocation(&at, &ops, &n) || n != 1 ||
	    ops[0].atom != DW_OP_addr)
		return 0;
	return ops[0].number;
}

static bool dw_variable(struct type_source *s, const char *name,
			struct ctype **type, uint64_t *addr, bool *percpu)
{
	struct dw_src *p = s->priv;
	Dwarf_Die die;

	if (!die_at(p, find_name(p, NS_VAR, name), &die))
		return false;
	*type = conv_ref(s, &die);
	*addr = var_addr(&die);
	*percpu = false;
	return true;
}

const struct type_backend types_dwarf_backend = {
	.open = dw_open,
	.lookup = dw_lookup,
	.each_name = dw_each_name,
	.function = dw_function,
	.tracepoint = NULL,	/* tracepoints are the kernel's (BTF) */
	.variable = dw_variable,
	.load = dw_load,
	.close = dw_close,
};
