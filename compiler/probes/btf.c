// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf.c - the kernel's BTF as a type source (types_int.h) and, on it,
 * kernel function signatures (btf.h).
 *
 * Layout (linux/btf.h, a stable UAPI): a header, then the type records
 * (each a struct btf_type followed by kind-specific data) and the string
 * section.  vmlinux's ids start at 1; a module's split BTF continues
 * them (its first id is vmlinux's last + 1) and its string offsets start
 * after vmlinux's strings.  The whole file is checked when it is opened:
 * every record fits, every kind is known, every id and name it refers to
 * exists, no chain of pointers, arrays, typedefs and qualifiers loops
 * or is longer than BTF_HOPS, and no struct holds itself by value.  A malformed file is an error at open,
 * never a crash later, so nothing after open checks again.
 *
 * Lazily: the name indexes (hash tables: one of the functions, one of
 * every other named type and DATASEC variable) are built on the first
 * lookup that needs each; a record becomes a
 * struct ctype when first reached, once; members, enumerators and
 * parameters when types.c first asks (load()).  Qualifiers and type tags
 * are skipped; a FWD becomes the struct or union of that name (the
 * module's, else vmlinux's) when there is one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/btf.h>

#include "btf.h"
#include "types_int.h"

#define BTF_HOPS 64		/* longest pointer/array/typedef chain */

enum btf_ns { NS_STRUCT, NS_UNION, NS_ENUM, NS_TYPEDEF, NS_BASE, NS_FUNC,
	      NS_VAR };

struct btf_name {
	const char *name;
	uint32_t id;		/* NS_VAR: the VAR record */
	uint32_t next;		/* next in the bucket + 1; 0 ends it */
	uint32_t offset;	/* NS_VAR: in its DATASEC */
	uint8_t ns;
	bool percpu;		/* NS_VAR: in .data..percpu */
};

/* A hash table of names; functions (four in five names of vmlinux) in
 * one, the rest in the other, each built when first needed. */
enum { IX_TYPES, IX_FUNCS };

struct btf_index {
	struct btf_name *names;
	uint32_t nnames, *bucket, nbucket;
};

/* The tracepoint prototypes made, by their btf_trace_ typedef's id. */
struct btf_tp {
	uint32_t id;
	struct ctype *proto;
	struct btf_tp *next;
};

struct btf_src {
	struct type_source *src;
	struct btf_src *base;		/* a module's vmlinux */
	unsigned char *data;
	size_t size;
	const char *strs;
	uint32_t strs_len;
	uint32_t start_str;		/* offset of strs[0]: 0, or base's */
	uint32_t start_id;		/* id of rec[0]: 1, or base's + n */
	uint32_t n;
	const struct btf_type **rec;
	struct ctype **made;		/* by local index, once converted */
	struct btf_index ix[2];		/* IX_TYPES, IX_FUNCS: once built */
	struct btf_tp *tps;
	uint32_t *bpf_fns, nbpf_fns;	/* __bpf_trace_ FUNCs, local index */
	bool bpf_fns_listed;
};

/* ---------------------------------------------------------- the records */

static const char *str_at(const struct btf_src *b, uint32_t off)
{
	while (off < b->start_str && b->base)
		b = b->base;
	off -= b->start_str;
	/* in range and NUL-terminated: checked at open */
	return off < b->strs_len ? b->strs + off : "";
}

/* The source that holds @id (NULL for void), its record in *@t. */
static struct btf_src *owner(struct btf_src *b, uint32_t id,
			     const struct btf_type **t)
{
	while (id < b->start_id && b->base)
		b = b->base;
	if (id < b->start_id || id - b->start_id >= b->n)
		return NULL;
	*t = b->rec[id - b->start_id];
	return b;
}

static const struct btf_type *rec_at(struct btf_src *b, uint32_t id)
{
	const struct btf_type *t = NULL;

	return owner(b, id, &t) ? t : NULL;
}

/* Bytes of kind-specific data after a btf_type, or -1 if unknown. */
static long extra_size(const struct btf_type *t)
{
	long vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return 4;
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return vlen * (long)sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * (long)sizeof(struct btf_enum);
	case BTF_KIND_ENUM64: return vlen * (long)sizeof(struct btf_enum64);
	case BTF_KIND_FUNC_PROTO: return vlen * (long)sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return vlen * (long)sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case BTF_KIND_FLOAT: case BTF_KIND_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

/* The next record of a pointer/array/typedef/qualifier chain, 0 at its
 * end (the records whose conversion converts another). */
static uint32_t chain_next(const struct btf_type *t)
{
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC_PROTO: case BTF_KIND_FUNC: case BTF_KIND_VAR:
		return t->type;
	case BTF_KIND_ARRAY:
		return ((const struct btf_array *)(t + 1))->type;
	default:
		return 0;
	}
}

/* ------------------------------------------------------- open and check */

/* All of @path (its size as stat says, one byte more to see the end). */
static int read_file(const char *path, unsigned char **data, size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t cap = 0, n;

	*data = NULL;
	*size = 0;
	if (!f)
		return -1;
	for (;;) {
		if (*size == cap) {
			size_t more = !cap && !fstat(fileno(f), &st) &&
				      st.st_size > 0 ? (size_t)st.st_size + 1 :
				      1 << 20;
			unsigned char *nd = realloc(*data, cap + more);

			if (!nd)
				break;
			*data = nd;
			cap += more;
		}
		n = fread(*data + *size, 1, cap - *size, f);
		if (!n)
			break;
		*size += n;
	}
	n = (size_t)ferror(f);
	fclose(f);
	if (n)
		errno = EIO;
	return n ? -1 : 0;
}

static int bad(char *err, size_t errlen, const char *path, const char *why,
	       uint32_t id)
{
	snprintf(err, errlen, "%s: malformed BTF (%s%s%.0u)", path, why,
		 id ? " at type " : "", id);
	return -1;
}

/* The header and the records' extents into @b. */
static int parse(struct btf_src *b, const char *path, char *err,
		 size_t errlen)
{
	const struct btf_header *h = (const struct btf_header *)b->data;
	const unsigned char *types, *end;
	size_t cap = 0;

	if (b->size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > b->size ||
	    h->type_off > b->size - h->hdr_len ||
	    h->type_len > b->size - h->hdr_len - h->type_off ||
	    h->str_off > b->size - h->hdr_len ||
	    h->str_len > b->size - h->hdr_len - h->str_off ||
	    (h->hdr_len + h->type_off) % 4 || h->type_len % 4 ||
	    (!b->base && !h->str_len))
		return bad(err, errlen, path, "bad header", 0);
	b->strs = (const char *)b->data + h->hdr_len + h->str_off;
	b->strs_len = h->str_len;
	if (b->strs_len && b->strs[b->strs_len - 1])
		return bad(err, errlen, path, "strings not terminated", 0);
	if (!b->base && b->strs[0])	/* offset 0 is "" (no name) */
		return bad(err, errlen, path, "strings do not start empty", 0);
	types = b->data + h->hdr_len + h->type_off;
	end = types + h->type_len;
	while (types < end) {
		const struct btf_type *t = (const struct btf_type *)types;
		long extra;

		if ((size_t)(end - types) < sizeof(*t))
			return bad(err, errlen, path, "truncated record", 0);
		extra = extra_size(t);
		if (extra < 0)
			return bad(err, errlen, path, "unknown kind",
				   b->start_id + b->n);
		if ((size_t)(end - types) - sizeof(*t) < (size_t)extra)
			return bad(err, errlen, path, "truncated record",
				   b->start_id + b->n);
		if (b->n == cap) {
			const struct btf_type **nr;

			cap = cap ? cap * 2 : 4096;
			nr = realloc(b->rec, cap * sizeof(*nr));
			if (!nr)
				return bad(err, errlen, path, "out of memory",
					   0);
			b->rec = nr;
		}
		b->rec[b->n++] = t;
		types += sizeof(*t) + (size_t)extra;
	}
	if (b->n > UINT32_MAX / 2 - b->start_id)
		return bad(err, errlen, path, "too many types", 0);
	return 0;
}

static bool name_ok(const struct btf_src *b, uint32_t off)
{
	return off < b->start_str + b->strs_len;
}

/* @id names a type (not a function, variable, section or tag). */
static bool type_ok(struct btf_src *b, uint32_t id, bool void_ok)
{
	const struct btf_type *t = rec_at(b, id);

	if (!id)
		return void_ok;
	switch (t ? (int)BTF_INFO_KIND(t->info) : -1) {
	case -1: case BTF_KIND_FUNC: case BTF_KIND_VAR: case BTF_KIND_DATASEC:
	case BTF_KIND_DECL_TAG:
		return false;
	default:
		return true;
	}
}

static bool kind_is(struct btf_src *b, uint32_t id, unsigned kind)
{
	const struct btf_type *t = rec_at(b, id);

	return t && BTF_INFO_KIND(t->info) == kind;
}

/* The ids and names of @t's members, parameters, enumerators, vars. */
static bool items_ok(struct btf_src *b, const struct btf_type *t)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);

	for (uint32_t i = 0; i < vlen; i++) {
		const uint32_t *w;

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			w = (const uint32_t *)((const struct btf_member *)
					       (t + 1) + i);
			if (!name_ok(b, w[0]) || !type_ok(b, w[1], false))
				return false;
			break;
		case BTF_KIND_FUNC_PROTO:
			w = (const uint32_t *)((const struct btf_param *)
					       (t + 1) + i);
			if (!name_ok(b, w[0]) || !type_ok(b, w[1], true))
				return false;
			break;
		case BTF_KIND_ENUM:
			if (!name_ok(b, ((const struct btf_enum *)(t + 1))[i]
					.name_off))
				return false;
			break;
		case BTF_KIND_ENUM64:
			if (!name_ok(b, ((const struct btf_enum64 *)(t + 1))[i]
					.name_off))
				return false;
			break;
		case BTF_KIND_DATASEC:
			if (!kind_is(b, ((const struct btf_var_secinfo *)
					 (t + 1))[i].type, BTF_KIND_VAR))
				return false;
			break;
		}
	}
	return true;
}

static bool record_ok(struct btf_src *b, const struct btf_type *t)
{
	const struct btf_array *a = (const struct btf_array *)(t + 1);

	if (!name_ok(b, t->name_off) || !items_ok(b, t))
		return false;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return t->size >= 1 && t->size <= 16;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		return t->size >= 1 && t->size <= 8;
	case BTF_KIND_PTR: case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case BTF_KIND_TYPE_TAG:
	case BTF_KIND_FUNC_PROTO:
		return type_ok(b, t->type, true);
	case BTF_KIND_ARRAY:
		return type_ok(b, a->type, false) &&
		       (!a->index_type || rec_at(b, a->index_type));
	case BTF_KIND_FUNC:
		return kind_is(b, t->type, BTF_KIND_FUNC_PROTO);
	case BTF_KIND_VAR:
		return type_ok(b, t->type, false);
	case BTF_KIND_DECL_TAG:
		return rec_at(b, t->type) != NULL;
	default:
		return true;
	}
}

/* No chain (chain_next) loops or is longer than BTF_HOPS: a conversion
 * recurses at most 2 * BTF_HOPS deep (a module's, then vmlinux's). */
static bool chains_ok(struct btf_src *b)
{
	uint8_t *depth = calloc(b->n ? b->n : 1, 1);	/* 255: on stack */
	uint32_t stack[BTF_HOPS];
	bool ok = depth != NULL;

	for (uint32_t i = 0; ok && i < b->n; i++) {
		uint32_t sp = 0, id = b->start_id + i, k;
		unsigned d = 0;

		while (id >= b->start_id) {
			k = id - b->start_id;
			if (depth[k] == 255 || sp == BTF_HOPS) {
				ok = false;
				break;
			}
			if (depth[k]) {
				d = depth[k];
				break;
			}
			stack[sp++] = k;
			depth[k] = 255;
			id = chain_next(b->rec[k]);
		}
		while (ok && sp) {
			ok = ++d <= BTF_HOPS;
			depth[stack[--sp]] = (uint8_t)d;
		}
	}
	free(depth);
	return ok;
}

#define HOLDS_NONE UINT32_MAX
#define HOLDS_FWD (UINT32_MAX - 1)

/*
 * The struct or union of @b a member of type @id holds by value, through
 * typedefs, qualifiers and arrays, as a local index; HOLDS_NONE if none
 * (a base's struct cannot hold a module's); HOLDS_FWD for an incomplete
 * type, which C cannot hold by value.  Chains are finite (chains_ok).
 */
static uint32_t holds(const struct btf_src *b, uint32_t id)
{
	while (id >= b->start_id) {
		const struct btf_type *t = b->rec[id - b->start_id];

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_STRUCT: case BTF_KIND_UNION:
			return id - b->start_id;
		case BTF_KIND_FWD:
			return HOLDS_FWD;
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG: case BTF_KIND_ARRAY:
			id = chain_next(t);
			break;
		default:
			return HOLDS_NONE;
		}
	}
	return HOLDS_NONE;
}

/* No struct or union holds itself by value, however deep, or holds an
 * incomplete type: a walk down members by value ends.  Depth-first,
 * each struct entered once (state 1 while on the stack, 2 after). */
static bool nesting_ok(struct btf_src *b)
{
	struct frame { uint32_t k, m; } *st = malloc((b->n + 1) * sizeof(*st));
	uint8_t *state = calloc(b->n + 1, 1);
	bool ok = st && state;

	for (uint32_t i = 0; ok && i < b->n; i++) {
		uint32_t sp = 0;

		if (holds(b, b->start_id + i) != i || state[i])
			continue;
		st[sp++] = (struct frame){ i, 0 };
		state[i] = 1;
		while (ok && sp) {
			struct frame *f = &st[sp - 1];
			const struct btf_type *t = b->rec[f->k];
			uint32_t h;

			if (f->m == BTF_INFO_VLEN(t->info)) {
				state[f->k] = 2;
				sp--;
				continue;
			}
			h = holds(b, ((const struct btf_member *)(t + 1))
				     [f->m++].type);
			ok = h != HOLDS_FWD && (h == HOLDS_NONE || state[h] != 1);
			if (ok && h != HOLDS_NONE && !state[h]) {
				state[h] = 1;
				st[sp++] = (struct frame){ h, 0 };
			}
		}
	}
	free(st);
	free(state);
	return ok;
}

static int check(struct btf_src *b, const char *path, char *err,
		 size_t errlen)
{
	for (uint32_t i = 0; i < b->n; i++)
		if (!record_ok(b, b->rec[i]))
			return bad(err, errlen, path, "bad record",
				   b->start_id + i);
	if (!chains_ok(b))
		return bad(err, errlen, path, "type chain loops or is longer "
			   "than 64", 0);
	if (!nesting_ok(b))
		return bad(err, errlen, path, "a struct holds itself or an "
			   "incomplete type", 0);
	return 0;
}

static const char *btf_dir(void)
{
	const char *dir = getenv("VTRACE_BTF_DIR");

	return dir && *dir ? dir : "/sys/kernel/btf";
}

/* The file of @s, read; -1 with the reason. */
static int read_source(struct type_source *s, struct btf_src *b,
		       char *path, size_t n, char *err, size_t errlen)
{
	const char *env = getenv("VTRACE_BTF");

	if (!s->base)
		snprintf(path, n, "%s", env && *env ? env :
			 "/sys/kernel/btf/vmlinux");
	else
		snprintf(path, n, "%s/%s", btf_dir(), s->name);
	if (!read_file(path, &b->data, &b->size))
		return 0;
	if (errno != ENOENT)
		snprintf(err, errlen, "cannot read BTF %s: %s", path,
			 strerror(errno));
	else if (!s->base)
		snprintf(err, errlen, "no BTF for the running kernel: %s is "
			 "missing (a kernel built with CONFIG_DEBUG_INFO_BTF "
			 "has it)", path);
	else
		snprintf(err, errlen, "no BTF for module '%s': %s is missing "
			 "(load the module; a kernel built with "
			 "CONFIG_DEBUG_INFO_BTF_MODULES has its BTF)", s->name,
			 path);
	return -1;
}

static void btf_close(struct type_source *s)
{
	struct btf_src *b = s->priv;

	if (!b)
		return;
	free(b->data);
	free(b->rec);
	free(b->made);
	for (int i = 0; i < 2; i++) {
		free(b->ix[i].names);
		free(b->ix[i].bucket);
	}
	free(b->bpf_fns);
	free(b);
	s->priv = NULL;
}

static int btf_open(struct type_source *s, char *err, size_t errlen)
{
	struct btf_src *b = calloc(1, sizeof(*b));
	char path[4096];

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->priv = b;
	b->src = s;
	b->start_id = 1;
	if (s->base) {
		b->base = s->base->priv;
		b->start_id = b->base->start_id + b->base->n;
		b->start_str = b->base->start_str + b->base->strs_len;
	}
	if (read_source(s, b, path, sizeof(path), err, errlen) ||
	    parse(b, path, err, errlen) || check(b, path, err, errlen)) {
		btf_close(s);
		return -1;
	}
	b->made = calloc(b->n ? b->n : 1, sizeof(*b->made));
	if (!b->made) {
		snprintf(err, errlen, "out of memory");
		btf_close(s);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------- the index */

static int ns_of(unsigned kind)
{
	switch (kind) {
	case BTF_KIND_STRUCT: return NS_STRUCT;
	case BTF_KIND_UNION: return NS_UNION;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64: return NS_ENUM;
	case BTF_KIND_TYPEDEF: return NS_TYPEDEF;
	case BTF_KIND_INT: case BTF_KIND_FLOAT: return NS_BASE;
	case BTF_KIND_FUNC: return NS_FUNC;
	default: return -1;
	}
}

static uint32_t hash(int ns, const char *name)
{
	uint32_t h = 2166136261u ^ (uint32_t)ns;

	while (*name)
		h = (h ^ (unsigned char)*name++) * 16777619u;
	return h;
}

static void add_name(struct btf_index *x, int ns, const char *name,
		     uint32_t id)
{
	struct btf_name *e = &x->names[x->nnames];
	uint32_t h = hash(ns, name) & (x->nbucket - 1);

	e->name = name;
	e->ns = (uint8_t)ns;
	e->id = id;
	e->next = x->bucket[h];
	x->bucket[h] = ++x->nnames;
}

/* The variables of DATASEC @t, in the index. */
static void add_vars(struct btf_src *b, struct btf_index *x,
		     const struct btf_type *t)
{
	const struct btf_var_secinfo *v = (const void *)(t + 1);
	bool percpu = !strcmp(str_at(b, t->name_off), ".data..percpu");

	for (uint32_t i = BTF_INFO_VLEN(t->info); i-- > 0;) {
		add_name(x, NS_VAR, str_at(b, rec_at(b, v[i].type)->name_off),
			 v[i].type);
		x->names[x->nnames - 1].offset = v[i].offset;
		x->names[x->nnames - 1].percpu = percpu;
	}
}

/* What index @t's name goes to: IX_FUNCS, IX_TYPES (DATASEC: its
 * variables), -1 none. */
static int index_of(const struct btf_type *t)
{
	unsigned kind = BTF_INFO_KIND(t->info);

	return kind == BTF_KIND_FUNC ? IX_FUNCS :
	       kind == BTF_KIND_DATASEC || ns_of(kind) >= 0 ? IX_TYPES : -1;
}

/* Index @which of @b (not of its base), added from the last id down so
 * that a bucket lists the lowest id first. */
static struct btf_index *build_index(struct btf_src *b, int which)
{
	struct btf_index *x = &b->ix[which];
	uint32_t count = 0, nb = 16;

	for (uint32_t i = 0; i < b->n; i++)	/* at most, not reading names */
		if (index_of(b->rec[i]) == which)
			count += BTF_INFO_KIND(b->rec[i]->info) ==
				 BTF_KIND_DATASEC ?
				 BTF_INFO_VLEN(b->rec[i]->info) : 1;
	while (nb < 2 * count)
		nb *= 2;
	x->names = malloc((count ? count : 1) * sizeof(*x->names));
	x->bucket = calloc(nb, sizeof(*x->bucket));
	if (!x->names || !x->bucket) {
		fputs("vtc: out of memory\n", stderr);
		abort();
	}
	x->nbucket = nb;
	for (uint32_t i = b->n; i-- > 0;) {
		const struct btf_type *t = b->rec[i];

		if (index_of(t) != which)
			continue;
		if (BTF_INFO_KIND(t->info) == BTF_KIND_DATASEC)
			add_vars(b, x, t);
		else if (*str_at(b, t->name_off))
			add_name(x, ns_of(BTF_INFO_KIND(t->info)),
				 str_at(b, t->name_off), b->start_id + i);
	}
	return x;
}

static struct btf_index *index_for(struct btf_src *b, int which)
{
	return b->ix[which].bucket ? &b->ix[which] : build_index(b, which);
}

/* The entry for @name in @ns, the module's before vmlinux's. */
static const struct btf_name *find(struct btf_src *b, int ns,
				   const char *name, struct btf_src **in)
{
	for (; b; b = b->base) {
		struct btf_index *x = index_for(b, ns == NS_FUNC ? IX_FUNCS :
						   IX_TYPES);
		uint32_t e = x->bucket[hash(ns, name) & (x->nbucket - 1)];

		for (; e; e = x->names[e - 1].next)
			if (x->names[e - 1].ns == ns &&
			    !strcmp(x->names[e - 1].name, name)) {
				*in = b;
				return &x->names[e - 1];
			}
	}
	return NULL;
}

/* ----------------------------------------------------- records to ctype */

static struct ctype *conv(struct btf_src *b, uint32_t id);

/* A FWD: the struct or union of its name, else CT_FWD. */
static struct ctype *complete(struct btf_src *b, uint32_t id,
			      const struct btf_type *t)
{
	bool is_union = BTF_INFO_KFLAG(t->info);
	const char *name = str_at(b, t->name_off);
	const struct btf_name *e = NULL;
	struct btf_src *in;
	struct ctype *c;

	if (*name)
		e = find(b, is_union ? NS_UNION : NS_STRUCT, name, &in);
	if (e)
		return conv(in, e->id);
	c = types_new(b->src, id);
	c->kind = CT_FWD;
	c->name = name;
	c->is_union = is_union;
	return c;
}

static bool is_char_name(const char *name)
{
	return !strcmp(name, "char") || !strcmp(name, "signed char") ||
	       !strcmp(name, "unsigned char");
}

/* @c from its record @t (not a qualifier or FWD). */
static void fill(struct btf_src *b, const struct btf_type *t, struct ctype *c)
{
	const struct btf_array *a = (const struct btf_array *)(t + 1);
	uint32_t enc;
	uint64_t esize;

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		memcpy(&enc, t + 1, sizeof(enc));
		c->kind = CT_INT;
		c->size = t->size;
		c->is_signed = BTF_INT_ENCODING(enc) & BTF_INT_SIGNED;
		c->is_char = t->size == 1 && is_char_name(c->name);
		break;
	case BTF_KIND_FLOAT:
		c->kind = CT_FLOAT;
		c->size = t->size;
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		c->kind = CT_ENUM;
		c->size = t->size;
		c->is_signed = BTF_INFO_KFLAG(t->info);
		break;
	case BTF_KIND_PTR:
		c->kind = CT_PTR;
		c->size = 8;
		c->ref = conv(b, t->type);
		break;
	case BTF_KIND_ARRAY:
		c->kind = CT_ARRAY;
		c->nelem = a->nelems;
		c->ref = conv(b, a->type);
		esize = ctype_sizeof(c->ref);
		if (!esize || c->nelem <= UINT64_MAX / esize)
			c->size = esize * c->nelem;
		break;
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		c->kind = BTF_INFO_KIND(t->info) == BTF_KIND_UNION ?
			  CT_UNION : CT_STRUCT;
		c->size = t->size;
		break;
	case BTF_KIND_TYPEDEF:
		c->kind = CT_TYPEDEF;
		c->ref = conv(b, t->type);
		break;
	case BTF_KIND_FUNC:	/* a named function: its prototype's */
		c->kind = CT_FUNC;
		c->ref = conv(b, rec_at(b, t->type)->type);
		break;
	default:		/* FUNC_PROTO */
		c->kind = CT_FUNC;
		c->ref = conv(b, t->type);
		break;
	}
}

/* The ctype of type @id, made once (NULL: void). */
static struct ctype *conv(struct btf_src *b, uint32_t id)
{
	const struct btf_type *t;
	struct ctype **made, *c;

	b = owner(b, id, &t);
	if (!b)
		return NULL;
	made = &b->made[id - b->start_id];
	if (*made)
		return *made;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return *made = conv(b, t->type);
	case BTF_KIND_FWD:
		return *made = complete(b, id, t);
	case BTF_KIND_VAR: case BTF_KIND_DATASEC: case BTF_KIND_DECL_TAG:
		return NULL;	/* not types: check() keeps them out */
	}
	c = types_new(b->src, id);
	*made = c;
	c->name = str_at(b, t->name_off);
	fill(b, t, c);
	return c;
}

/* -------------------------------------------------------- lazy content */

static void load_members(struct btf_src *b, const struct btf_type *t,
			 struct ctype *c)
{
	const struct btf_member *m = (const void *)(t + 1);
	struct ctype_member *v;
	uint32_t n = BTF_INFO_VLEN(t->info);
	bool kflag = BTF_INFO_KFLAG(t->info);

	v = types_alloc((n ? n : 1) * sizeof(*v));
	for (uint32_t i = 0; i < n; i++) {
		v[i].name = str_at(b, m[i].name_off);
		v[i].type = conv(b, m[i].type);
		v[i].bit_offset = kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) :
			m[i].offset;
		v[i].bit_size = kflag ? BTF_MEMBER_BITFIELD_SIZE(m[i].offset) :
			0;
	}
	c->lazy = v;
	c->nlazy = n;
}

static void load_enumerators(struct btf_src *b, const struct btf_type *t,
			     struct ctype *c)
{
	const struct btf_enum *e = (const void *)(t + 1);
	const struct btf_enum64 *e64 = (const void *)(t + 1);
	bool is64 = BTF_INFO_KIND(t->info) == BTF_KIND_ENUM64;
	struct ctype_enumerator *v;
	uint32_t n = BTF_INFO_VLEN(t->info);

	v = types_alloc((n ? n : 1) * sizeof(*v));
	for (uint32_t i = 0; i < n; i++) {
		uint64_t u = is64 ? (uint64_t)e64[i].val_hi32 << 32 |
				    e64[i].val_lo32 : (uint32_t)e[i].val;

		v[i].name = str_at(b, is64 ? e64[i].name_off : e[i].name_off);
		if (is64)
			v[i].value = (int64_t)u;
		else
			v[i].value = c->is_signed ? (int64_t)(int32_t)u :
				     (int64_t)u;
	}
	c->lazy = v;
	c->nlazy = n;
}

/* The parameters of prototype @t from the @skip'th; a trailing
 * "..." (no name, type void) is not one. */
static void load_params(struct btf_src *b, const struct btf_type *t,
			uint32_t skip, struct ctype *c)
{
	const struct btf_param *p = (const void *)(t + 1);
	struct ctype_param *v;
	uint32_t n = BTF_INFO_VLEN(t->info);

	if (n && !p[n - 1].type && !p[n - 1].name_off)
		n--;
	n = n > skip ? n - skip : 0;
	v = types_alloc((n ? n : 1) * sizeof(*v));
	for (uint32_t i = 0; i < n; i++) {
		v[i].name = str_at(b, p[skip + i].name_off);
		v[i].type = conv(b, p[skip + i].type);
	}
	c->lazy = v;
	c->nlazy = n;
}

/* The FUNC_PROTO a btf_trace_ typedef points to, or NULL. */
static const struct btf_type *tp_proto(struct btf_src *b, uint32_t id)
{
	const struct btf_type *t = rec_at(b, id);
	int ptrs = 0;

	for (int hops = 0; t && hops < 2 * BTF_HOPS; hops++) {
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_FUNC_PROTO:
			return ptrs == 1 && BTF_INFO_VLEN(t->info) ? t : NULL;
		case BTF_KIND_PTR:
			ptrs++;
			break;
		case BTF_KIND_TYPEDEF: case BTF_KIND_CONST:
		case BTF_KIND_VOLATILE: case BTF_KIND_RESTRICT:
		case BTF_KIND_TYPE_TAG:
			break;
		default:
			return NULL;
		}
		t = rec_at(b, t->type);
	}
	return NULL;
}

/* The FUNC_PROTO of FUNC @name in @b or its base, or NULL. */
static const struct btf_type *func_proto(struct btf_src *b, const char *name)
{
	struct btf_src *in;
	const struct btf_name *e = find(b, NS_FUNC, name, &in);
	const struct btf_type *t = e ? rec_at(in, rec_at(in, e->id)->type) :
				   NULL;

	return t && BTF_INFO_KIND(t->info) == BTF_KIND_FUNC_PROTO ? t : NULL;
}

/* Do FUNC_PROTOs @t and @f have the same parameter types (by id)? */
static bool same_params(const struct btf_type *t, const struct btf_type *f)
{
	const struct btf_param *p = (const void *)(t + 1);
	const struct btf_param *q = (const void *)(f + 1);

	if (BTF_INFO_VLEN(t->info) != BTF_INFO_VLEN(f->info))
		return false;
	for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++)
		if (p[i].type != q[i].type)
			return false;
	return true;
}

/* Same parameter names (the first, void *__data, aside)? */
static bool same_names(struct btf_src *b, const struct btf_type *f,
		       const struct btf_type *g)
{
	const struct btf_param *p = (const void *)(f + 1);
	const struct btf_param *q = (const void *)(g + 1);

	for (uint32_t i = 1; i < BTF_INFO_VLEN(f->info); i++)
		if (strcmp(str_at(b, p[i].name_off), str_at(b, q[i].name_off)))
			return false;
	return true;
}

/* @b's own FUNCs named __bpf_trace_*, listed once. */
static void list_bpf_fns(struct btf_src *b)
{
	b->bpf_fns_listed = true;
	for (uint32_t i = 0; i < b->n; i++) {
		const struct btf_type *t = b->rec[i];

		if (BTF_INFO_KIND(t->info) != BTF_KIND_FUNC ||
		    strncmp(str_at(b, t->name_off), "__bpf_trace_", 12))
			continue;
		if (!(b->nbpf_fns & (b->nbpf_fns + 1)))	/* 0, 1, 3, 7 ... */
			b->bpf_fns = realloc(b->bpf_fns, 2 * (b->nbpf_fns + 1) *
					     sizeof(*b->bpf_fns));
		if (!b->bpf_fns) {
			fputs("vtc: out of memory\n", stderr);
			abort();
		}
		b->bpf_fns[b->nbpf_fns++] = i;
	}
}

/*
 * A FUNC_PROTO that names the parameters of tracepoint @name's prototype
 * @t (which BTF leaves unnamed), or NULL: a function the kernel builds
 * for the event with the same parameters after void *__data,
 * __probestub_<name> (6.4 on), __traceiter_<name> (every event, where
 * BTF has it: 6.1's sched_wakeup), __bpf_trace_<name> (an event that is
 * its own class), else the __bpf_trace_<class> functions whose parameter
 * types are @t's, if they all name them alike (classes with the same
 * types may name them differently: sched_wakeup_template's p,
 * sched_kthread_stop's t).
 */
static const struct btf_type *tp_names(struct btf_src *b,
				       const struct btf_type *t,
				       const char *name)
{
	static const char *const pre[] = { "__probestub_", "__traceiter_",
					   "__bpf_trace_" };
	const struct btf_type *f = NULL, *g;
	char fn[256];

	for (size_t k = 0; k < 3; k++) {
		snprintf(fn, sizeof(fn), "%s%s", pre[k], name);
		g = func_proto(b, fn);
		if (g && same_params(t, g))
			return g;
	}
	if (!b->bpf_fns_listed)
		list_bpf_fns(b);
	for (uint32_t i = 0; i < b->nbpf_fns; i++) {
		g = rec_at(b, b->start_id + b->bpf_fns[i]);
		g = g ? rec_at(b, g->type) : NULL;
		if (!g || BTF_INFO_KIND(g->info) != BTF_KIND_FUNC_PROTO ||
		    !same_params(t, g))
			continue;
		if (f && !same_names(b, f, g))
			return NULL;
		f = g;
	}
	return f;
}

/* Load tracepoint prototype @c's parameters, named where tp_names can. */
static void load_tp_params(struct btf_src *b, const struct btf_type *t,
			   struct ctype *c)
{
	const struct btf_type *f = tp_names(b, t, c->name);
	struct ctype_param *v;

	load_params(b, t, 1, c);
	v = c->lazy;
	for (size_t i = 0; f && i < c->nlazy; i++)
		v[i].name = str_at(b, ((const struct btf_param *)(f + 1))[i + 1]
				   .name_off);
}

static int btf_load(struct ctype *c)
{
	struct btf_src *b = c->src->priv;
	const struct btf_type *t = rec_at(b, c->id);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_STRUCT: case BTF_KIND_UNION:
		load_members(b, t, c);
		break;
	case BTF_KIND_ENUM: case BTF_KIND_ENUM64:
		load_enumerators(b, t, c);
		break;
	case BTF_KIND_FUNC:
		load_params(b, rec_at(b, t->type), 0, c);
		break;
	case BTF_KIND_FUNC_PROTO:
		load_params(b, t, 0, c);
		break;
	case BTF_KIND_TYPEDEF:	/* a tracepoint's: the data pointer dropped */
		load_tp_params(b, tp_proto(b, t->type), c);
		break;
	}
	c->loaded = true;
	return 0;
}

/* ------------------------------------------------------------- the ops */

static struct ctype *btf_lookup(struct type_source *s, enum ctype_kind kind,
				const char *name)
{
	static const int ns[] = {
		[CT_STRUCT] = NS_STRUCT, [CT_UNION] = NS_UNION,
		[CT_ENUM] = NS_ENUM, [CT_TYPEDEF] = NS_TYPEDEF,
		[CT_INT] = NS_BASE, [CT_VOID] = -1, [CT_FLOAT] = -1,
		[CT_PTR] = -1, [CT_ARRAY] = -1, [CT_FUNC] = -1, [CT_FWD] = -1,
	};
	const struct btf_name *e;
	struct btf_src *in;

	if ((unsigned)kind >= sizeof(ns) / sizeof(ns[0]) || ns[kind] < 0)
		return NULL;
	e = find(s->priv, ns[kind], name, &in);
	return e ? conv(in, e->id) : NULL;
}

static void btf_each_name(struct type_source *s,
			  void (*fn)(const char *name, void *arg), void *arg)
{
	for (struct btf_src *b = s->priv; b; b = b->base) {
		struct btf_index *x = index_for(b, IX_TYPES);

		for (uint32_t i = 0; i < x->nnames; i++)
			if (x->names[i].ns == NS_STRUCT ||
			    x->names[i].ns == NS_UNION ||
			    x->names[i].ns == NS_TYPEDEF)
				fn(x->names[i].name, arg);
	}
}

static struct ctype *btf_function(struct type_source *s, const char *name)
{
	struct btf_src *in;
	const struct btf_name *e = find(s->priv, NS_FUNC, name, &in);

	return e ? conv(in, e->id) : NULL;
}

static struct ctype *btf_tracepoint(struct type_source *s, const char *name)
{
	char tname[256];
	const struct btf_name *e;
	struct btf_src *in;
	struct btf_tp *tp;

	if ((size_t)snprintf(tname, sizeof(tname), "btf_trace_%s", name) >=
	    sizeof(tname))
		return NULL;
	e = find(s->priv, NS_TYPEDEF, tname, &in);
	if (!e || !tp_proto(in, rec_at(in, e->id)->type))
		return NULL;
	for (tp = in->tps; tp; tp = tp->next)
		if (tp->id == e->id)
			return tp->proto;
	/* the typedef's id again: load() tells them apart by their kind */
	tp = types_alloc(sizeof(*tp));
	tp->id = e->id;
	tp->proto = types_new(in->src, e->id);
	tp->proto->kind = CT_FUNC;
	tp->proto->name = types_strdup(name);
	tp->proto->ref = conv(in, tp_proto(in, rec_at(in, e->id)->type)->type);
	tp->next = in->tps;
	in->tps = tp;
	return tp->proto;
}

/*
 * BTF has no addresses, only a variable's offset in its section: for
 * vmlinux's .data..percpu, linked at 0 on x86-64, that offset is the
 * variable's link-time address (its per-CPU offset); elsewhere 0.
 */
static bool btf_variable(struct type_source *s, const char *name,
			 struct ctype **type, uint64_t *addr, bool *percpu)
{
	struct btf_src *in;
	const struct btf_name *e = find(s->priv, NS_VAR, name, &in);

	if (!e)
		return false;
	*type = conv(in, rec_at(in, e->id)->type);
	*percpu = e->percpu;
	*addr = e->percpu && !in->base ? e->offset : 0;
	return true;
}

const struct type_backend types_btf_backend = {
	.open = btf_open,
	.lookup = btf_lookup,
	.each_name = btf_each_name,
	.function = btf_function,
	.tracepoint = btf_tracepoint,
	.variable = btf_variable,
	.load = btf_load,
	.close = btf_close,
};

/* ------------------------------------------------ function signatures */

/* How a value of type @t sits in an integer register. */
static struct elf_value value_of(struct ctype *t)
{
	struct elf_value v = { .type = t };
	struct ctype *s = ctype_strip(t);

	if (s && s->kind == CT_PTR) {
		v.kind = 'p';
		v.size = 8;
	} else if (s && (s->kind == CT_INT || s->kind == CT_ENUM) &&
		   s->size >= 1 && s->size <= 8) {
		v.kind = s->is_signed ? 'i' : 'u';
		v.size = (uint8_t)s->size;
	}			/* struct by value, float, ...: unknown */
	return v;
}

int btf_proto_read(const char *func, struct elf_proto *out)
{
	const struct ctype_param *pa;
	struct type_source *s;
	struct ctype *fn;
	char err[512];
	const char *env = getenv("VTRACE_BTF");
	size_t n;
	int reg = 0;

	const char *colon = strchr(func, ':');
	char mod[128];

	memset(out, 0, sizeof(*out));
	if (colon) {	/* "MODULE:FUNC": the module's split BTF */
		snprintf(mod, sizeof(mod), "%.*s", (int)(colon - func), func);
		s = types_open(mod, err, sizeof(err));
		if (!s)
			return 0;	/* no BTF for that module */
		func = colon + 1;
	} else if (!(s = types_open("kernel", err, sizeof(err)))) {
		/* no file: no BTF; a file we cannot use: an error */
		return access(env && *env ? env : "/sys/kernel/btf/vmlinux",
			      F_OK) ? 0 : -1;
	}
	fn = types_function(s, func);
	if (!fn)
		return 0;
	n = ctype_params(fn, &pa);
	out->params = calloc(n ? n : 1, sizeof(*out->params));
	if (!out->params)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct elf_param *p = &out->params[out->nparams];

		p->name = strdup(pa[i].name);
		if (!p->name) {
			elf_proto_free(out);
			return -1;
		}
		p->v = value_of(pa[i].type);
		/* one integer register each while the types are known */
		if (p->v.kind && reg >= 0 && reg < 6)
			p->v.argno = (int8_t)++reg;
		else {
			p->v.kind = 0;
			reg = -1;
		}
		out->nparams++;
	}
	out->ret = fn->ref ? value_of(fn->ref) :
		   (struct elf_value){ .kind = 'v' };
	return 1;
}
