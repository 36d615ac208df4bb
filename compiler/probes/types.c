// SPDX-License-Identifier: GPL-2.0-only
/*
 * types.c - see types.h: the source registry, the registry's memory (one
 * arena, freed by types_reset()), parsing a type's name, and what is the
 * same for every source (members, sizes, spelling).  The backends
 * (types_int.h) read their files and make the struct ctypes.
 */
#include <stdio.h>
#include <string.h>

#include "types_int.h"
#include "lang/ast.h"
#include "lang/suggest.h"

/* Longest typedef or array chain followed; the BTF backend rejects
 * longer ones at open, this bounds what another source might hold. */
#define TYPES_HOPS 64

static struct arena arena;
static struct type_source *sources;

/* Sources that would not open, with why: asked again, the same answer
 * without reading the file again. */
struct failed_source {
	const char *name, *err;
	struct failed_source *next;
};
static struct failed_source *failed;

/* Pointers made by types_lookup() ("struct file *"), one per pointee. */
struct made_ptr {
	struct ctype *ptr;
	struct made_ptr *next;
};
static struct made_ptr *made_ptrs;
static uint32_t next_synthetic = UINT32_MAX;	/* ids no backend uses */

struct ctype *types_new(struct type_source *s, uint32_t id)
{
	struct ctype *t = arena_alloc(&arena, sizeof(*t));

	t->src = s;
	t->id = id;
	return t;
}

const char *types_strdup(const char *str)
{
	return arena_strndup(&arena, str, strlen(str));
}

void *types_alloc(size_t size)
{
	return arena_alloc(&arena, size);
}

/* "kernel<linux/sched.h>" names "kernel". */
static bool is_kernel(const char *name)
{
	size_t n = strlen(name);

	return !strcmp(name, "kernel") ||
	       (!strncmp(name, "kernel<", 7) && name[n - 1] == '>');
}

struct type_source *types_open(const char *module, char *err, size_t errlen)
{
	const char *name = !module || is_kernel(module) ? "kernel" : module;
	struct type_source *s;

	for (s = sources; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	for (struct failed_source *f = failed; f; f = f->next)
		if (!strcmp(f->name, name)) {
			snprintf(err, errlen, "%s", f->err);
			return NULL;
		}
	if (!*name) {
		snprintf(err, errlen, "empty type source name (use \"kernel\","
			 " a module name or a binary's path)");
		return NULL;
	}
	s = arena_alloc(&arena, sizeof(*s));
	s->name = arena_strndup(&arena, name, strlen(name));
	if (strchr(name, '/')) {
		s->ops = &types_dwarf_backend;
	} else {
		s->ops = &types_btf_backend;
		if (strcmp(name, "kernel")) {
			s->base = types_open("kernel", err, errlen);
			if (!s->base)
				return NULL;
		}
	}
	if (s->ops->open(s, err, errlen) < 0) {
		struct failed_source *f = arena_alloc(&arena, sizeof(*f));

		f->name = s->name;
		f->err = errlen ? types_strdup(err) : "";
		f->next = failed;
		failed = f;
		return NULL;
	}
	s->next = sources;
	sources = s;
	return s;
}

const char *types_source_name(const struct type_source *s)
{
	return s->name;
}

void types_reset(void)
{
	for (struct type_source *s = sources; s; s = s->next)
		if (s->ops->close)
			s->ops->close(s);
	sources = NULL;
	failed = NULL;
	made_ptrs = NULL;
	next_synthetic = UINT32_MAX;
	arena_free(&arena);
}

/* ------------------------------------------------------------ by name */

/* @s without leading and trailing blanks, into @buf. */
static void trim(const char *s, char *buf, size_t n)
{
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = 0;
}

/* The words of a C base type, counted. */
struct base_words {
	int is_unsigned, is_signed, is_char, is_short, longs, is_int;
	int is_bool, is_float, is_double, other;
};

static void count_words(const char *name, struct base_words *w)
{
	char word[16];
	const char *p = name;

	memset(w, 0, sizeof(*w));
	while (*p) {
		size_t n = strcspn(p, " \t");

		if (n && n < sizeof(word)) {
			memcpy(word, p, n);
			word[n] = 0;
			w->is_unsigned += !strcmp(word, "unsigned");
			w->is_signed += !strcmp(word, "signed");
			w->is_char += !strcmp(word, "char");
			w->is_short += !strcmp(word, "short");
			w->longs += !strcmp(word, "long");
			w->is_int += !strcmp(word, "int");
			w->is_bool += !strcmp(word, "_Bool");
			w->is_float += !strcmp(word, "float");
			w->is_double += !strcmp(word, "double");
		}
		w->other += n >= sizeof(word);
		p += n;
		p += strspn(p, " \t");
	}
}

/*
 * A base type written in any word order ("unsigned long", "long
 * unsigned int") as GCC's DWARF (hence pahole's BTF) spells it, [0], and
 * as clang's does, [1].  false if @name is not a base type.
 */
static bool base_spellings(const char *name, const char *out[2])
{
	static const char *const ints[][4] = {
		/* gcc signed, gcc unsigned, clang signed, clang unsigned */
		{ "short int", "short unsigned int", "short",
		  "unsigned short" },
		{ "int", "unsigned int", "int", "unsigned int" },
		{ "long int", "long unsigned int", "long", "unsigned long" },
		{ "long long int", "long long unsigned int", "long long",
		  "unsigned long long" },
	};
	struct base_words w;
	int words, row;

	count_words(name, &w);
	words = w.is_unsigned + w.is_signed + w.is_char + w.is_short +
		w.longs + w.is_int + w.is_bool + w.is_float + w.is_double;
	if (!words || w.other || (w.is_unsigned && w.is_signed))
		return false;
	if (w.is_bool || w.is_float || (w.is_double && !w.longs)) {
		out[0] = out[1] = name;
		return words == 1;
	}
	if (w.is_double) {
		out[0] = out[1] = "long double";
		return words == 2 && w.longs == 1;
	}
	if (w.is_char) {
		out[0] = out[1] = w.is_unsigned ? "unsigned char" :
				  w.is_signed ? "signed char" : "char";
		return words == 1 + w.is_unsigned + w.is_signed;
	}
	if (w.longs > 2 || (w.is_short && w.longs) || w.is_int > 1)
		return false;
	row = w.is_short ? 0 : w.longs + 1;
	out[0] = ints[row][w.is_unsigned];
	out[1] = ints[row][2 + w.is_unsigned];
	return true;
}

static struct ctype *lookup_base(struct type_source *s, const char *name)
{
	const char *sp[2];
	struct ctype *t = s->ops->lookup(s, CT_INT, name);

	if (t || !base_spellings(name, sp))
		return t;
	t = s->ops->lookup(s, CT_INT, sp[0]);
	return t ? t : s->ops->lookup(s, CT_INT, sp[1]);
}

/* void itself (as a pointee, void is NULL: "void *"). */
static struct ctype *void_type(struct type_source *s)
{
	struct ctype *t = types_new(s, next_synthetic--);

	t->kind = CT_VOID;
	t->name = "void";
	return t;
}

/* A type's name without pointer suffix; NULL when none (or void). */
static struct ctype *lookup_core(struct type_source *s, const char *name,
				 bool *is_void)
{
	static const struct { const char *kw; enum ctype_kind kind; } tags[] = {
		{ "struct ", CT_STRUCT }, { "union ", CT_UNION },
		{ "enum ", CT_ENUM },
	};
	struct ctype *t;

	*is_void = !strcmp(name, "void");
	if (*is_void)
		return NULL;
	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		size_t n = strlen(tags[i].kw);

		if (!strncmp(name, tags[i].kw, n))
			return s->ops->lookup(s, tags[i].kind,
					      name + n + strspn(name + n, " "));
	}
	t = s->ops->lookup(s, CT_STRUCT, name);
	if (!t)
		t = s->ops->lookup(s, CT_UNION, name);
	if (!t)
		t = s->ops->lookup(s, CT_TYPEDEF, name);
	return t ? t : lookup_base(s, name);
}

/* A pointer to @to (NULL: void), made once per pointee. */
static struct ctype *pointer_to(struct type_source *s, struct ctype *to)
{
	struct made_ptr *m;

	for (m = made_ptrs; m; m = m->next)
		if (m->ptr->ref == to && m->ptr->src == s)
			return m->ptr;
	m = arena_alloc(&arena, sizeof(*m));
	m->ptr = types_new(s, next_synthetic--);
	m->ptr->kind = CT_PTR;
	m->ptr->name = "";
	m->ptr->size = 8;
	m->ptr->ref = to;
	m->next = made_ptrs;
	made_ptrs = m;
	return m->ptr;
}

struct ctype *types_lookup(struct type_source *s, const char *name)
{
	char buf[256];
	size_t len, stars = 0;
	struct ctype *t;
	bool is_void;

	if (!s || !name)
		return NULL;
	trim(name, buf, sizeof(buf));
	len = strlen(buf);
	while (len && (buf[len - 1] == '*' || buf[len - 1] == ' ')) {
		stars += buf[len - 1] == '*';
		buf[--len] = 0;
	}
	t = lookup_core(s, buf, &is_void);
	if (!t && !is_void)
		return NULL;
	if (!stars)
		return t ? t : void_type(s);
	while (stars--)
		t = pointer_to(s, t);
	return t;
}

static void consider(const char *name, void *arg)
{
	suggest_consider(arg, name);
}

size_t types_similar(struct type_source *s, const char *name,
		     const char **out, size_t max)
{
	static const char *const kws[] = { "struct ", "union ", "enum " };
	struct suggest sg;
	size_t n = 0;

	if (!s || !name || !s->ops->each_name)
		return 0;
	for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
		if (!strncmp(name, kws[i], strlen(kws[i])))
			name += strlen(kws[i]);
	suggest_init(&sg, name);
	s->ops->each_name(s, consider, &sg);
	for (int i = 0; i < sg.n && n < max; i++)
		out[n++] = sg.best[i];
	return n;
}

struct ctype *types_function(struct type_source *s, const char *name)
{
	return s && s->ops->function ? s->ops->function(s, name) : NULL;
}

struct ctype *types_tracepoint(struct type_source *s, const char *name)
{
	return s && s->ops->tracepoint ? s->ops->tracepoint(s, name) : NULL;
}

bool types_variable(struct type_source *s, const char *name,
		    struct ctype **type, uint64_t *addr, bool *percpu)
{
	*type = NULL;
	*addr = 0;
	*percpu = false;
	return s && s->ops->variable &&
	       s->ops->variable(s, name, type, addr, percpu);
}

/* ------------------------------------------------------- on one type */

struct ctype *ctype_strip(struct ctype *t)
{
	for (int hops = 0; t && t->kind == CT_TYPEDEF && hops < TYPES_HOPS;
	     hops++)
		t = t->ref;
	return t;
}

/* t->lazy, read once; what it holds depends on @kind. */
static size_t lazy(struct ctype *t, enum ctype_kind kind, const void **out)
{
	*out = NULL;
	if (!t || t->kind != kind)
		return 0;
	if (!t->loaded && t->src && t->src->ops->load)
		t->src->ops->load(t);
	t->loaded = true;
	*out = t->lazy;
	return t->lazy ? t->nlazy : 0;
}

size_t ctype_members(struct ctype *t, const struct ctype_member **out)
{
	const void *p;
	size_t n;

	t = ctype_strip(t);
	n = lazy(t, t && t->kind == CT_UNION ? CT_UNION : CT_STRUCT, &p);
	*out = p;
	return n;
}

size_t ctype_enumerators(struct ctype *t,
			 const struct ctype_enumerator **out)
{
	const void *p;
	size_t n = lazy(ctype_strip(t), CT_ENUM, &p);

	*out = p;
	return n;
}

size_t ctype_params(struct ctype *t, const struct ctype_param **out)
{
	const void *p;
	size_t n = lazy(ctype_strip(t), CT_FUNC, &p);

	*out = p;
	return n;
}

/* @budget bounds the members visited: a malformed source may nest a
 * struct in itself through anonymous members. */
static bool find_member(struct ctype *t, const char *name,
			struct ctype_member *m, unsigned *budget)
{
	const struct ctype_member *v;
	size_t n = ctype_members(t, &v);

	for (size_t i = 0; i < n && *budget; i++, --*budget) {
		if (*v[i].name) {
			if (strcmp(v[i].name, name))
				continue;
			*m = v[i];
			return true;
		}
		/* anonymous struct or union: its members are @t's */
		if (find_member(v[i].type, name, m, budget)) {
			m->bit_offset += v[i].bit_offset;
			return true;
		}
	}
	return false;
}

bool ctype_find_member(struct ctype *t, const char *name,
		       struct ctype_member *m)
{
	unsigned budget = 1u << 16;

	return name && *name && find_member(t, name, m, &budget);
}

uint64_t ctype_sizeof(struct ctype *t)
{
	uint64_t mult = 1;

	for (int hops = 0; hops < TYPES_HOPS; hops++) {
		t = ctype_strip(t);
		if (!t)
			return 0;
		if (t->kind == CT_PTR)
			return 8 * mult;
		if (t->kind != CT_ARRAY || t->size)
			break;
		if (t->nelem && mult > UINT64_MAX / t->nelem)
			return 0;
		mult *= t->nelem;
		t = t->ref;
	}
	if (!t || (t->kind == CT_ARRAY && !t->size) ||
	    (t->size && mult > UINT64_MAX / t->size))
		return 0;
	return t->size * mult;
}

/* ------------------------------------------------------------ spelling */

/* The name of a type that is not a declarator (no *, [], ()). */
static void spell_name(const struct ctype *t, char *buf, size_t n)
{
	const char *tag = "";

	if (!t) {
		snprintf(buf, n, "void");
		return;
	}
	switch (t->kind) {
	case CT_STRUCT: tag = "struct "; break;
	case CT_UNION: tag = "union "; break;
	case CT_ENUM: tag = "enum "; break;
	case CT_FWD: tag = t->is_union ? "union " : "struct "; break;
	default: break;
	}
	snprintf(buf, n, "%s%s", tag, t->name && *t->name ? t->name :
		 *tag ? "<anonymous>" : "void");
}

static void spell_decl(const struct ctype *t, const char *inner, char *buf,
		       size_t n, int depth);

/* "(int, char *)" after @inner. */
static void spell_params(const struct ctype *t, const char *inner,
			 char *out, size_t n, int depth)
{
	const struct ctype_param *p;
	size_t np = ctype_params((struct ctype *)t, &p);
	size_t len = (size_t)snprintf(out, n, "%s(%s", inner,
				      np ? "" : "void");

	for (size_t i = 0; i < np && len < n; i++) {
		char one[256];

		spell_decl(p[i].type, "", one, sizeof(one), depth + 1);
		len += (size_t)snprintf(out + len, n - len, "%s%s",
					i ? ", " : "", one);
	}
	if (len < n)
		snprintf(out + len, n - len, ")");
}

/*
 * @t declaring @inner ("" for an abstract declarator), as C writes it:
 * the pointee of a pointer is spelled around "*inner", an array's element
 * around "inner[N]", with parentheses where C needs them.
 */
static void spell_decl(const struct ctype *t, const char *inner, char *buf,
		       size_t n, int depth)
{
	char next[512], base[256];

	if (depth > 16 || !t || (t->kind != CT_PTR && t->kind != CT_ARRAY &&
				 t->kind != CT_FUNC)) {
		spell_name(depth > 16 ? NULL : t, base, sizeof(base));
		snprintf(buf, n, "%s%s%s", depth > 16 ? "..." : base,
			 *inner ? " " : "", inner);
		return;
	}
	if (t->kind == CT_PTR) {
		bool paren = t->ref && (t->ref->kind == CT_ARRAY ||
					t->ref->kind == CT_FUNC);

		snprintf(next, sizeof(next), paren ? "(*%s)" : "*%s", inner);
	} else if (t->kind == CT_ARRAY) {
		if (t->nelem)
			snprintf(next, sizeof(next), "%s[%llu]", inner,
				 (unsigned long long)t->nelem);
		else
			snprintf(next, sizeof(next), "%s[]", inner);
	} else {
		spell_params(t, inner, next, sizeof(next), depth);
	}
	spell_decl(t->ref, next, buf, n, depth + 1);
}

char *ctype_spell(const struct ctype *t, char *buf, size_t n)
{
	if (n)
		spell_decl(t, "", buf, n, 0);
	return buf;
}
