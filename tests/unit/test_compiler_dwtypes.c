// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_dwtypes.c - the DWARF type source (compiler/probes/
 * dwtypes.c) on a two-CU binary built with cc -g -O0 in the test (one CU
 * DWARF 4, the other DWARF 5): struct members with offsets and sizes,
 * anonymous members, bitfields in both DWARF forms, char[N], char *,
 * arrays of structs and of arrays, enums and their signedness, a typedef
 * chain, a struct declared in one CU and defined in the other, function
 * prototypes with parameter names, globals with their addresses; the same
 * through a .gnu_debuglink debug file and through a dwz alternate file; a
 * file without DWARF and one that is not ELF, with their messages; 600
 * one-byte mutations of the DWARF opened and walked under ASan; and
 * elf_proto_read's parameter types (the same ctypes).
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probes/elfsyms.h"
#include "probes/types_int.h"

static char dir[] = "/tmp/vt-dwtypes.XXXXXX";
static char bin[PATH_MAX], nodebug[PATH_MAX], split[PATH_MAX], dwz[PATH_MAX];

static const char hdr_src[] =
	"typedef unsigned int u32;\n"
	"typedef u32 my_u32;\n"
	"enum color { RED, GREEN = 5, BLUE };\n"
	"enum sign { NEG = -2, POS = 3 };\n"
	"struct item { int id; char tag[4]; };\n"
	"struct args {\n"
	"	int kind;\n"
	"	union { long l; struct { short lo; short hi; }; };\n"
	"	char name[16];\n"
	"	char *label;\n"
	"	struct item items[3];\n"
	"	int grid[2][3];\n"
	"	enum color col;\n"
	"	my_u32 count;\n"
	"	struct args *next;\n"
	"	void (*cb)(int, char *);\n"
	"	const volatile unsigned long cv;\n"
	"};\n";

/* DWARF 4 (cc -gdwarf-4): DW_AT_bit_offset bitfields */
static const char a_src[] =
	"#include \"t.h\"\n"
	"struct opaque;\n"
	"struct never;\n"
	"struct bits4 { unsigned int a:3; unsigned int b:5; int c:4;\n"
	"	unsigned long long d:40; };\n"
	"struct bits4 g_bits4;\n"
	"int g_counter = 7;\n"
	"struct args g_args;\n"
	"int vt_walk(struct args *a, struct opaque *o, struct never *nv,\n"
	"	    enum sign s)\n"
	"{ return a->kind + (int)s + (nv != 0) + (o != 0); }\n"
	"extern int vt_b(struct args *a);\n"
	"int main(void) { return vt_walk(&g_args, 0, 0, NEG) + "
	"vt_b(&g_args); }\n";

/* DWARF 5 (cc -gdwarf-5): DW_AT_data_bit_offset bitfields */
static const char b_src[] =
	"#include \"t.h\"\n"
	"struct opaque { int secret; long more; };\n"
	"struct bits5 { unsigned int a:3; unsigned int b:5; int c:4;\n"
	"	unsigned long long d:40; };\n"
	"struct bits5 g_bits5;\n"
	"struct opaque g_opaque;\n"
	"extern int g_counter;\n"
	"int vt_b(struct args *a) { return a->kind + g_opaque.secret +"
	" g_counter + g_bits5.c; }\n";

static void put(const char *name, const char *text)
{
	char path[PATH_MAX + 8];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* The fixtures, or exit 1 (outside any test: no ck_assert here):
 * t (with DWARF), t-nodebug, t-split (stripped, debuglink t.debug),
 * t-dwz1 (what it shares with t-dwz2 moved by dwz -m into t.dwz). */
static void build_binaries(void)
{
	char cmd[8 * PATH_MAX];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	put("t.h", hdr_src);
	put("a.c", a_src);
	put("b.c", b_src);
	put("c.c", "int vt_extra(void) { return 1; }\n");
	snprintf(bin, sizeof(bin), "%s/t", dir);
	snprintf(dwz, sizeof(dwz), "%s/t-dwz1", dir);
	snprintf(nodebug, sizeof(nodebug), "%s/t-nodebug", dir);
	snprintf(split, sizeof(split), "%s/t-split", dir);
	snprintf(cmd, sizeof(cmd), "cd %s && cc -gdwarf-4 -O0 -c a.c && "
		 "cc -gdwarf-5 -O0 -c b.c && cc -o t a.o b.o && "
		 "cc -O0 -o t-nodebug a.c b.c && "
		 "objcopy --only-keep-debug t t.debug && "
		 "objcopy --strip-debug --add-gnu-debuglink=t.debug t t-split && "
		 "cc -g -c c.c && cc -o t-dwz1 a.o b.o && "
		 "cc -o t-dwz2 a.o b.o c.o && "
		 "dwz -m t.dwz -M %s/t.dwz t-dwz1 t-dwz2", dir, dir);
	if (system(cmd)) {
		fprintf(stderr, "cannot build the test binaries: %s\n", cmd);
		exit(1);
	}
}

static void remove_binaries(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		perror("rm");
}

static struct type_source *src;

static void open_bin(void)
{
	char err[256];

	src = types_open(bin, err, sizeof(err));
	ck_assert_msg(src, "%s", err);
}

static void teardown(void)
{
	types_reset();
	src = NULL;
}

static struct ctype *lk(enum ctype_kind kind, const char *name)
{
	return src->ops->lookup(src, kind, name);
}

/* Members, enumerators or parameters of @t (the backend's load()). */
static size_t lazy(struct ctype *t, const void **out)
{
	if (!t->loaded)
		ck_assert_int_eq(src->ops->load(t), 0);
	*out = t->lazy;
	return t->nlazy;
}

static const struct ctype_member *member(struct ctype *t, const char *name)
{
	const struct ctype_member *m;
	size_t n = lazy(t, (const void **)&m);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(m[i].name, name))
			return &m[i];
	ck_abort_msg("no member '%s' in '%s'", name, t->name);
	return NULL;
}

#define ck_member(t, mname, kind_, bits, size_bytes) do {		\
	const struct ctype_member *m_ = member(t, mname);		\
	ck_assert_int_eq(m_->type ? (int)m_->type->kind : -1, kind_);	\
	ck_assert_uint_eq(m_->bit_offset, bits);			\
	ck_assert_uint_eq(m_->type->size, size_bytes);			\
	ck_assert_uint_eq(m_->bit_size, 0);				\
} while (0)

START_TEST(test_struct)
{
	struct ctype *args, *item, *t;
	const struct ctype_member *m, *anon;
	size_t n;

	open_bin();
	args = lk(CT_STRUCT, "args");
	ck_assert_ptr_nonnull(args);
	ck_assert_int_eq(args->kind, CT_STRUCT);
	ck_assert_str_eq(args->name, "args");
	ck_assert_uint_eq(args->size, 120);
	ck_assert_ptr_eq(lk(CT_STRUCT, "args"), args);	/* each DIE once */
	ck_assert_ptr_null(lk(CT_UNION, "args"));
	ck_assert_ptr_null(lk(CT_STRUCT, "nope"));

	n = lazy(args, (const void **)&m);
	ck_assert_uint_eq(n, 11);
	ck_assert_str_eq(m[0].name, "kind");
	ck_assert_str_eq(m[1].name, "");		/* the anonymous union */
	ck_member(args, "kind", CT_INT, 0, 4);
	ck_member(args, "name", CT_ARRAY, 16 * 8, 16);
	ck_member(args, "label", CT_PTR, 32 * 8, 8);
	ck_member(args, "items", CT_ARRAY, 40 * 8, 24);
	ck_member(args, "grid", CT_ARRAY, 64 * 8, 24);
	ck_member(args, "col", CT_ENUM, 88 * 8, 4);
	ck_member(args, "count", CT_TYPEDEF, 92 * 8, 4);
	ck_member(args, "next", CT_PTR, 96 * 8, 8);
	ck_member(args, "cb", CT_PTR, 104 * 8, 8);
	ck_member(args, "cv", CT_INT, 112 * 8, 8);	/* qualifiers gone */

	/* union { long l; struct { short lo; short hi; }; } at 8 */
	anon = &m[1];
	ck_assert_int_eq(anon->type->kind, CT_UNION);
	ck_assert_str_eq(anon->type->name, "");
	ck_assert_uint_eq(anon->bit_offset, 64);
	ck_member(anon->type, "l", CT_INT, 0, 8);
	t = member(anon->type, "")->type;
	ck_assert_int_eq(t->kind, CT_STRUCT);
	ck_member(t, "lo", CT_INT, 0, 2);
	ck_member(t, "hi", CT_INT, 16, 2);

	/* char[16], char *: strings */
	t = member(args, "name")->type;
	ck_assert_uint_eq(t->nelem, 16);
	ck_assert(t->ref->is_char && t->ref->is_signed);
	ck_assert_str_eq(t->ref->name, "char");
	t = member(args, "label")->type;
	ck_assert(t->ref->is_char);
	/* an array of structs, an array of arrays */
	t = member(args, "items")->type;
	item = lk(CT_STRUCT, "item");
	ck_assert_uint_eq(t->nelem, 3);
	ck_assert_ptr_eq(t->ref, item);
	ck_member(item, "tag", CT_ARRAY, 32, 4);
	t = member(args, "grid")->type;
	ck_assert_uint_eq(t->nelem, 2);
	ck_assert_int_eq(t->ref->kind, CT_ARRAY);
	ck_assert_uint_eq(t->ref->nelem, 3);
	ck_assert_uint_eq(t->ref->size, 12);
	ck_assert_str_eq(t->ref->ref->name, "int");
	/* a pointer to the struct itself, a function pointer */
	ck_assert_ptr_eq(member(args, "next")->type->ref, args);
	t = member(args, "cb")->type->ref;
	ck_assert_int_eq(t->kind, CT_FUNC);
	ck_assert_ptr_null(t->ref);			/* returns void */
	{
		const struct ctype_param *p;

		ck_assert_uint_eq(lazy(t, (const void **)&p), 2);
		ck_assert_str_eq(p[0].name, "");
		ck_assert_str_eq(p[0].type->name, "int");
		ck_assert_int_eq(p[1].type->kind, CT_PTR);
	}
	t = member(args, "cv")->type;
	ck_assert_str_eq(t->name, "long unsigned int");
	ck_assert(!t->is_signed && !t->is_char);
	teardown();
}
END_TEST

/* struct bitsN { unsigned a:3; unsigned b:5; int c:4; u64 d:40; } */
static void check_bits(const char *tag)
{
	struct ctype *t = lk(CT_STRUCT, tag);
	static const struct { const char *name; unsigned off, size; } want[] = {
		{ "a", 0, 3 }, { "b", 3, 5 }, { "c", 8, 4 }, { "d", 12, 40 },
	};

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->size, 8);
	for (size_t i = 0; i < 4; i++) {
		const struct ctype_member *m = member(t, want[i].name);

		ck_assert_msg(m->bit_offset == want[i].off &&
			      m->bit_size == want[i].size,
			      "%s.%s: bit %llu size %u", tag, want[i].name,
			      (unsigned long long)m->bit_offset, m->bit_size);
	}
	ck_assert(member(t, "c")->type->is_signed);
	ck_assert(!member(t, "d")->type->is_signed);
}

START_TEST(test_bitfields)
{
	open_bin();
	check_bits("bits4");	/* DW_AT_bit_offset (DWARF 4) */
	check_bits("bits5");	/* DW_AT_data_bit_offset (DWARF 5) */
	teardown();
}
END_TEST

START_TEST(test_enum_typedef)
{
	const struct ctype_enumerator *e;
	struct ctype *t;

	open_bin();
	t = lk(CT_ENUM, "color");
	ck_assert_int_eq(t->kind, CT_ENUM);
	ck_assert_uint_eq(t->size, 4);
	ck_assert(!t->is_signed);
	ck_assert_uint_eq(lazy(t, (const void **)&e), 3);
	ck_assert_str_eq(e[1].name, "GREEN");
	ck_assert_int_eq(e[1].value, 5);
	ck_assert_int_eq(e[2].value, 6);
	t = lk(CT_ENUM, "sign");
	ck_assert(t->is_signed);
	ck_assert_uint_eq(lazy(t, (const void **)&e), 2);
	ck_assert_str_eq(e[0].name, "NEG");
	ck_assert_int_eq(e[0].value, -2);

	/* my_u32 -> u32 -> unsigned int, names kept */
	t = lk(CT_TYPEDEF, "my_u32");
	ck_assert_int_eq(t->kind, CT_TYPEDEF);
	ck_assert_str_eq(t->name, "my_u32");
	ck_assert_uint_eq(t->size, 4);
	ck_assert_int_eq(t->ref->kind, CT_TYPEDEF);
	ck_assert_str_eq(t->ref->name, "u32");
	ck_assert_int_eq(t->ref->ref->kind, CT_INT);
	ck_assert_str_eq(t->ref->ref->name, "unsigned int");
	ck_assert_ptr_eq(t->ref->ref, lk(CT_INT, "unsigned int"));
	ck_assert_ptr_null(lk(CT_TYPEDEF, "args"));

	/* base types however they are spelled */
	ck_assert_ptr_eq(lk(CT_INT, "unsigned long"),
			 lk(CT_INT, "long unsigned int"));
	ck_assert_ptr_nonnull(lk(CT_INT, "unsigned long"));
	ck_assert_ptr_eq(lk(CT_INT, "signed int"), lk(CT_INT, "int"));
	ck_assert_ptr_null(lk(CT_INT, "unsigned char"));	/* not used */
	ck_assert(lk(CT_INT, "char")->is_char);
	teardown();
}
END_TEST

START_TEST(test_function)
{
	const struct ctype_param *p;
	struct ctype *f, *t;

	open_bin();
	f = types_function(src, "vt_walk");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, CT_FUNC);
	ck_assert_str_eq(f->ref->name, "int");
	ck_assert_uint_eq(ctype_params(f, &p), 4);
	ck_assert_str_eq(p[0].name, "a");
	ck_assert_str_eq(p[1].name, "o");
	ck_assert_str_eq(p[2].name, "nv");
	ck_assert_str_eq(p[3].name, "s");
	ck_assert_ptr_eq(p[0].type->ref, lk(CT_STRUCT, "args"));
	ck_assert_ptr_eq(p[3].type, lk(CT_ENUM, "sign"));

	/* declared only in vt_walk's CU, defined in vt_b's */
	t = p[1].type->ref;
	ck_assert_int_eq(t->kind, CT_STRUCT);
	ck_assert_str_eq(t->name, "opaque");
	ck_assert_uint_eq(t->size, 16);
	ck_assert_ptr_eq(t, lk(CT_STRUCT, "opaque"));
	ck_member(t, "more", CT_INT, 64, 8);
	/* declared and defined nowhere */
	t = p[2].type->ref;
	ck_assert_int_eq(t->kind, CT_FWD);
	ck_assert_str_eq(t->name, "never");
	ck_assert(!t->is_union);
	ck_assert_uint_eq(t->size, 0);

	f = types_function(src, "vt_b");	/* in the DWARF 5 CU */
	ck_assert_uint_eq(ctype_params(f, &p), 1);
	ck_assert_str_eq(p[0].name, "a");
	ck_assert_ptr_null(types_function(src, "vt_nope"));
	ck_assert_ptr_null(src->ops->tracepoint);
	teardown();
}
END_TEST

/* @name's address from nm, 0 if none. */
static uint64_t nm_addr(const char *path, const char *name)
{
	char cmd[PATH_MAX + 64], line[256], sym[128], type;
	unsigned long long addr;
	uint64_t found = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "nm %s", path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %127s", &addr, &type, sym) == 3 &&
		    !strcmp(sym, name))
			found = addr;
	pclose(f);
	return found;
}

START_TEST(test_variable)
{
	struct ctype *t;
	uint64_t addr;
	bool percpu = true;

	open_bin();
	ck_assert(src->ops->variable(src, "g_counter", &t, &addr, &percpu));
	ck_assert_str_eq(t->name, "int");
	ck_assert_uint_ne(addr, 0);
	ck_assert_uint_eq(addr, nm_addr(bin, "g_counter"));
	ck_assert(!percpu);
	ck_assert(src->ops->variable(src, "g_opaque", &t, &addr, &percpu));
	ck_assert_ptr_eq(t, lk(CT_STRUCT, "opaque"));
	ck_assert_uint_eq(addr, nm_addr(bin, "g_opaque"));
	ck_assert(!src->ops->variable(src, "g_nope", &t, &addr, &percpu));
	teardown();
}
END_TEST

static void each_fn(const char *name, void *arg)
{
	int *counts = arg;

	counts[0] += !strcmp(name, "args");
	counts[1] += !strcmp(name, "my_u32");
	counts[2] += !strcmp(name, "color") || !strcmp(name, "int") ||
		     !strcmp(name, "vt_walk");
}

START_TEST(test_each_name)
{
	int counts[3] = { 0 };

	open_bin();
	src->ops->each_name(src, each_fn, counts);
	ck_assert_int_eq(counts[0], 1);		/* in both CUs: once */
	ck_assert_int_eq(counts[1], 1);
	ck_assert_int_eq(counts[2], 0);		/* enums, bases, functions */
	teardown();
}
END_TEST

START_TEST(test_debuglink)
{
	const struct ctype_param *p;
	char err[256];

	src = types_open(split, err, sizeof(err));
	ck_assert_msg(src, "%s", err);
	ck_assert_uint_eq(lk(CT_STRUCT, "args")->size, 120);
	ck_assert_uint_eq(ctype_params(types_function(src, "vt_walk"), &p), 4);
	teardown();
}
END_TEST

/* dwz: the types are in the alternate file's partial units, whose DIE
 * offsets overlap t-dwz1's own. */
START_TEST(test_dwz)
{
	const struct ctype_param *p;
	struct ctype *args, *t;
	char err[256];

	src = types_open(dwz, err, sizeof(err));
	ck_assert_msg(src, "%s", err);
	args = lk(CT_STRUCT, "args");
	ck_assert_ptr_nonnull(args);
	ck_assert_uint_eq(args->size, 120);
	ck_member(args, "col", CT_ENUM, 88 * 8, 4);
	ck_assert_ptr_eq(member(args, "col")->type, lk(CT_ENUM, "color"));
	ck_assert_ptr_eq(member(args, "next")->type->ref, args);
	t = member(args, "count")->type;
	ck_assert_ptr_eq(t, lk(CT_TYPEDEF, "my_u32"));
	ck_assert_str_eq(t->ref->name, "u32");
	ck_assert_str_eq(t->ref->ref->name, "unsigned int");
	ck_assert_str_eq(member(lk(CT_STRUCT, "item"), "tag")->type->ref->name,
			 "char");
	ck_assert_uint_eq(ctype_params(types_function(src, "vt_walk"), &p), 4);
	ck_assert_ptr_eq(p[0].type->ref, args);
	ck_assert_uint_eq(lk(CT_STRUCT, "opaque")->size, 16);
	teardown();
}
END_TEST

/* Everything reachable from @t, a few levels down, whatever it holds. */
static void walk(struct ctype *t, int depth)
{
	if (!t || depth > 6)
		return;
	if (!t->loaded)
		src->ops->load(t);
	for (size_t i = 0; i < t->nlazy; i++) {
		if (t->kind == CT_STRUCT || t->kind == CT_UNION)
			walk(((const struct ctype_member *)t->lazy)[i].type,
			     depth + 1);
		else if (t->kind == CT_FUNC)
			walk(((const struct ctype_param *)t->lazy)[i].type,
			     depth + 1);
	}
	walk(t->ref, depth + 1);
}

static void walk_name(const char *name, void *arg)
{
	(void)arg;
	walk(lk(CT_STRUCT, name), 0);
	walk(lk(CT_UNION, name), 0);
	walk(lk(CT_TYPEDEF, name), 0);
}

/* File offset and size of section @name of @path. */
static void section_of(const char *path, const char *name, size_t *off,
		       size_t *size)
{
	char cmd[PATH_MAX + 64];
	unsigned long o = 0, sz = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "objdump -h %s | awk '$2 == \"%s\" "
		 "{ print $6, $3 }'", path, name);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lx %lx", &o, &sz), 2);
	pclose(f);
	*off = o;
	*size = sz;
}

/* Bytes of .debug_info and .debug_abbrev changed one at a time: each
 * copy opens and is walked, or fails to open, without a fault (ASan). */
START_TEST(test_mutations)
{
	static const char *const sects[] = { ".debug_info", ".debug_abbrev" };
	char path[PATH_MAX + 8], err[256];
	unsigned char *img;
	size_t len, off[2], size[2];
	unsigned opened = 0;
	FILE *f = fopen(bin, "rb");

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	img = malloc(len);
	ck_assert_uint_eq(fread(img, 1, len, f), len);
	fclose(f);
	snprintf(path, sizeof(path), "%s/t-mut", dir);
	section_of(bin, sects[0], &off[0], &size[0]);
	section_of(bin, sects[1], &off[1], &size[1]);
	for (unsigned i = 0; i < 600; i++) {
		size_t at = off[i % 2] + (i * 7919u) % size[i % 2];
		unsigned char old = img[at];

		img[at] = i % 3 ? old ^ (1u << (i % 8)) : 0xff;
		f = fopen(path, "wb");
		ck_assert_uint_eq(fwrite(img, 1, len, f), len);
		fclose(f);
		img[at] = old;
		src = types_open(path, err, sizeof(err));
		if (src) {
			opened++;
			src->ops->each_name(src, walk_name, NULL);
			walk(types_function(src, "vt_walk"), 0);
			walk(lk(CT_INT, "unsigned long"), 0);
		}
		teardown();
	}
	free(img);
	ck_assert_uint_gt(opened, 300);		/* most still open */
}
END_TEST

START_TEST(test_errors)
{
	char err[256], want[PATH_MAX + 128];

	ck_assert_ptr_null(types_open(nodebug, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s has no DWARF (build it with -g, or "
		 "install its debug symbols)", nodebug);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(types_open("/etc/passwd", err, sizeof(err)));
	ck_assert_str_eq(err, "'/etc/passwd' is not an ELF file");
	ck_assert_ptr_null(types_open("/nonexistent/x", err, sizeof(err)));
	ck_assert_str_eq(err, "cannot open '/nonexistent/x': No such file "
			 "or directory");
	teardown();
}
END_TEST

/* process(...).function's $params: their full types beside the
 * register each is in; the same ctypes as the type source's. */
START_TEST(test_proto_types)
{
	struct elf_proto pr;
	struct ctype *t;

	ck_assert_int_eq(elf_proto_read(bin, "vt_walk", &pr), 1);
	ck_assert_uint_eq(pr.nparams, 4);
	ck_assert_int_eq(pr.params[0].v.kind, 'p');
	ck_assert_int_eq(pr.params[0].v.argno, 1);
	open_bin();
	t = pr.params[0].v.type;
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->kind, CT_PTR);
	ck_assert_ptr_eq(t->ref, lk(CT_STRUCT, "args"));
	ck_member(t->ref, "next", CT_PTR, 96 * 8, 8);
	ck_assert_ptr_eq(pr.params[1].v.type->ref, lk(CT_STRUCT, "opaque"));
	ck_assert_ptr_eq(pr.params[3].v.type, lk(CT_ENUM, "sign"));
	ck_assert_ptr_eq(pr.ret.type, lk(CT_INT, "int"));
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(nodebug, "vt_walk", &pr), 0);
	teardown();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("dwtypes");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	build_binaries();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_struct);
	tcase_add_test(tc, test_bitfields);
	tcase_add_test(tc, test_enum_typedef);
	tcase_add_test(tc, test_function);
	tcase_add_test(tc, test_variable);
	tcase_add_test(tc, test_each_name);
	tcase_add_test(tc, test_debuglink);
	tcase_add_test(tc, test_dwz);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_proto_types);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_binaries();
	return failed ? 1 : 0;
}
