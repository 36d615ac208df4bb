// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_types.c - the type model (compiler/probes/types.c) over
 * the BTF backend (btf.c): a vmlinux BTF and a module's split BTF made
 * here by a small encoder (no dependency on the host's BTF); names,
 * base-type spellings, pointers, members through anonymous unions and
 * bitfields, arrays, typedef chains, enums, prototypes, a tracepoint's
 * btf_trace_ typedef, a per-CPU variable, a module FWD completed from
 * vmlinux; malformed files (an error at open, never a crash), and every
 * one-word mutation of the fixture walked without a crash.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "probes/btf.h"
#include "probes/types.h"

/* ------------------------------------------------------------ encoder */

struct enc {
	uint32_t w[1024];
	size_t nw;
	char strs[2048];
	uint32_t slen;
	uint32_t str_base;	/* split BTF: the base's string size */
	uint32_t next_id;
};

static void enc_init(struct enc *e, uint32_t first_id, uint32_t str_base)
{
	memset(e, 0, sizeof(*e));
	e->next_id = first_id;
	e->str_base = str_base;
	if (!str_base)
		e->slen = 1;	/* "" at offset 0 */
}

static uint32_t str(struct enc *e, const char *s)
{
	uint32_t off = e->slen;

	if (!*s)
		return 0;
	memcpy(e->strs + off, s, strlen(s) + 1);
	e->slen += (uint32_t)strlen(s) + 1;
	return e->str_base + off;
}

static void word(struct enc *e, uint32_t w)
{
	e->w[e->nw++] = w;
}

/* A record: name, kind, vlen, kflag, size or type.  Returns its id. */
static uint32_t rec(struct enc *e, const char *name, unsigned kind,
		    unsigned vlen, unsigned kflag, uint32_t size_type)
{
	word(e, str(e, name));
	word(e, kind << 24 | kflag << 31 | vlen);
	word(e, size_type);
	return e->next_id++;
}

/* The header, types and strings in one blob (malloc'd), its size. */
static unsigned char *blob(const struct enc *e, size_t *size)
{
	struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
				.hdr_len = sizeof(h) };
	unsigned char *b;

	h.type_len = (uint32_t)(e->nw * 4);
	h.str_off = h.type_len;
	h.str_len = e->slen;
	*size = sizeof(h) + h.type_len + h.str_len;
	b = malloc(*size);
	memcpy(b, &h, sizeof(h));
	memcpy(b + sizeof(h), e->w, h.type_len);
	memcpy(b + sizeof(h) + h.type_len, e->strs, e->slen);
	return b;
}

/* Exits 1 when it cannot (it also runs outside any test). */
static void write_blob(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* ------------------------------------------------------------ fixture */

static char dir[] = "/tmp/vtrace-types-XXXXXX";
static char vmlinux[64], modfile[80];
static struct enc base;

enum { T_INT = 1, T_CHAR, T_UINT, T_ULONG, T_CHARP, T_COMM, T_INNER,
       T_ANON, T_TASK, T_TASKP, T_PID, T_MYPID, T_CMYPID, T_COLOR, T_BIG,
       T_PROTO, T_FUNC, T_VOIDP, T_TPPROTO, T_TPPTR, T_TPDEF, T_VAR,
       T_SEC, T_FWDTASK, T_FWDNONE, T_NONEP, T_COMM2, T_U32, T_LIST,
       T_LISTP, T_VPROTO, T_PRINTK, T_NAMES, T_FWDP, T_FTASK, T_LAST };

static void int_rec(struct enc *e, const char *name, uint32_t size,
		    bool is_signed)
{
	rec(e, name, BTF_KIND_INT, 0, 0, size);
	word(e, (is_signed ? BTF_INT_SIGNED << 24 : 0) | size * 8);
}

static void member(struct enc *e, const char *name, uint32_t type,
		   uint32_t off)
{
	word(e, str(e, name));
	word(e, type);
	word(e, off);
}

static void param(struct enc *e, const char *name, uint32_t type)
{
	word(e, str(e, name));
	word(e, type);
}

static void array(struct enc *e, uint32_t elem, uint32_t nelem)
{
	rec(e, "", BTF_KIND_ARRAY, 0, 0, 0);
	word(e, elem);
	word(e, T_INT);
	word(e, nelem);
}

/* Types 1 .. T_LAST - 1, in the enum's order. */
static void make_base(struct enc *e)
{
	enc_init(e, 1, 0);
	int_rec(e, "int", 4, true);
	int_rec(e, "char", 1, true);
	int_rec(e, "unsigned int", 4, false);
	int_rec(e, "long unsigned int", 8, false);
	rec(e, "", BTF_KIND_PTR, 0, 0, T_CHAR);
	array(e, T_CHAR, 16);
	rec(e, "inner", BTF_KIND_STRUCT, 2, 0, 8);
	member(e, "a", T_INT, 0);
	member(e, "b", T_UINT, 32);
	rec(e, "", BTF_KIND_UNION, 2, 0, 8);
	member(e, "x", T_INT, 0);
	member(e, "y", T_ULONG, 0);
	rec(e, "task", BTF_KIND_STRUCT, 7, 1, 48);
	member(e, "pid", T_PID, 0);
	member(e, "flags", T_UINT, 3u << 24 | 32);
	member(e, "state", T_UINT, 5u << 24 | 35);
	member(e, "", T_ANON, 64);
	member(e, "comm", T_COMM, 128);
	member(e, "in", T_INNER, 256);
	member(e, "parent", T_TASKP, 320);
	rec(e, "", BTF_KIND_PTR, 0, 0, T_TASK);
	rec(e, "pid_t", BTF_KIND_TYPEDEF, 0, 0, T_INT);
	rec(e, "mypid", BTF_KIND_TYPEDEF, 0, 0, T_PID);
	rec(e, "", BTF_KIND_CONST, 0, 0, T_MYPID);
	rec(e, "color", BTF_KIND_ENUM, 2, 1, 4);
	word(e, str(e, "RED"));
	word(e, 0);
	word(e, str(e, "BLUE"));
	word(e, (uint32_t)-1);
	rec(e, "big", BTF_KIND_ENUM64, 1, 0, 8);
	word(e, str(e, "HUGE"));
	word(e, 0);
	word(e, 1);
	rec(e, "", BTF_KIND_FUNC_PROTO, 2, 0, T_INT);
	param(e, "t", T_TASKP);
	param(e, "n", T_CMYPID);
	rec(e, "do_task", BTF_KIND_FUNC, 0, 0, T_PROTO);
	rec(e, "", BTF_KIND_PTR, 0, 0, 0);
	rec(e, "", BTF_KIND_FUNC_PROTO, 3, 0, 0);
	param(e, "", T_VOIDP);
	param(e, "", T_TASKP);
	param(e, "", T_INT);
	rec(e, "", BTF_KIND_PTR, 0, 0, T_TPPROTO);
	rec(e, "btf_trace_sched_x", BTF_KIND_TYPEDEF, 0, 0, T_TPPTR);
	rec(e, "cpu_val", BTF_KIND_VAR, 0, 0, T_INT);
	word(e, 1);
	rec(e, ".data..percpu", BTF_KIND_DATASEC, 1, 0, 4);
	word(e, T_VAR);
	word(e, 0x40);
	word(e, 4);
	rec(e, "task", BTF_KIND_FWD, 0, 0, 0);
	rec(e, "nothere", BTF_KIND_FWD, 0, 0, 0);
	rec(e, "", BTF_KIND_PTR, 0, 0, T_FWDNONE);
	array(e, T_COMM, 2);
	rec(e, "u32", BTF_KIND_TYPEDEF, 0, 0, T_UINT);
	rec(e, "list", BTF_KIND_STRUCT, 1, 0, 8);
	member(e, "next", T_LISTP, 0);
	rec(e, "", BTF_KIND_PTR, 0, 0, T_LIST);
	rec(e, "", BTF_KIND_FUNC_PROTO, 2, 0, T_INT);
	param(e, "fmt", T_CHARP);
	param(e, "", 0);
	rec(e, "printk", BTF_KIND_FUNC, 0, 0, T_VPROTO);
	rec(e, "names_t", BTF_KIND_TYPEDEF, 0, 0, T_COMM2);
	rec(e, "fwdp_t", BTF_KIND_TYPEDEF, 0, 0, T_NONEP);
	rec(e, "ftask_t", BTF_KIND_TYPEDEF, 0, 0, T_FWDTASK);
}

/* The module "mymod": struct modstate { struct task *owner; int cnt; }
 * with struct task a FWD here, and mod_fn(struct modstate *). */
static void make_module(struct enc *e)
{
	uint32_t ms, fwd, ptr, msp, proto;

	enc_init(e, T_LAST, base.slen);
	ms = rec(e, "modstate", BTF_KIND_STRUCT, 2, 0, 16);
	member(e, "owner", T_LAST + 2, 0);
	member(e, "cnt", T_INT, 64);
	fwd = rec(e, "task", BTF_KIND_FWD, 0, 0, 0);
	ptr = rec(e, "", BTF_KIND_PTR, 0, 0, fwd);
	msp = rec(e, "", BTF_KIND_PTR, 0, 0, ms);
	proto = rec(e, "", BTF_KIND_FUNC_PROTO, 1, 0, 0);
	param(e, "s", msp);
	rec(e, "mod_fn", BTF_KIND_FUNC, 0, 0, proto);
	(void)ptr;
}

static void write_fixture(void)
{
	struct enc mod;
	unsigned char *b;
	size_t n;

	if (!mkdtemp(dir)) {
		perror(dir);
		exit(1);
	}
	snprintf(vmlinux, sizeof(vmlinux), "%s/vmlinux", dir);
	snprintf(modfile, sizeof(modfile), "%s/mymod", dir);
	make_base(&base);
	if (base.next_id != T_LAST) {
		fprintf(stderr, "fixture ids out of step\n");
		exit(1);
	}
	b = blob(&base, &n);
	write_blob(vmlinux, b, n);
	free(b);
	make_module(&mod);
	b = blob(&mod, &n);
	write_blob(modfile, b, n);
	free(b);
}

static struct type_source *kernel(void)
{
	char err[512] = "";
	struct type_source *s;

	setenv("VTRACE_BTF", vmlinux, 1);
	setenv("VTRACE_BTF_DIR", dir, 1);
	s = types_open("kernel", err, sizeof(err));
	ck_assert_msg(s != NULL, "%s", err);
	return s;
}

static void setup(void)
{
	types_reset();
}

static const char *spell(const struct ctype *t)
{
	static char buf[256];

	return ctype_spell(t, buf, sizeof(buf));
}

/* -------------------------------------------------------------- tests */

START_TEST(test_lookup)
{
	struct type_source *s = kernel();
	struct ctype *t = types_lookup(s, "struct task");

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->kind, CT_STRUCT);
	ck_assert_str_eq(t->name, "task");
	ck_assert_uint_eq(t->size, 48);
	ck_assert_ptr_eq(types_lookup(s, "task"), t);
	ck_assert_ptr_eq(types_lookup(s, "  struct   task "), t);
	ck_assert_ptr_null(types_lookup(s, "union task"));
	ck_assert_ptr_null(types_lookup(s, "struct nope"));
	ck_assert_ptr_null(types_lookup(s, "nope"));
	ck_assert_str_eq(types_source_name(s), "kernel");
	ck_assert_ptr_eq(types_open("kernel<linux/sched.h>", NULL, 0), s);
	ck_assert_ptr_eq(types_open(NULL, NULL, 0), s);

	t = types_lookup(s, "mypid");
	ck_assert_int_eq(t->kind, CT_TYPEDEF);
	ck_assert_str_eq(spell(t), "mypid");
	ck_assert_str_eq(spell(t->ref), "pid_t");
	ck_assert_ptr_eq(ctype_strip(t), types_lookup(s, "int"));
	ck_assert_uint_eq(ctype_sizeof(t), 4);
	ck_assert_ptr_null(ctype_strip(NULL));

	/* base types in any spelling */
	t = types_lookup(s, "unsigned long");
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->name, "long unsigned int");
	ck_assert_ptr_eq(types_lookup(s, "long unsigned int"), t);
	ck_assert_ptr_eq(types_lookup(s, "unsigned long int"), t);
	ck_assert_ptr_eq(types_lookup(s, "unsigned"),
			 types_lookup(s, "unsigned int"));
	ck_assert_ptr_eq(types_lookup(s, "signed int"),
			 types_lookup(s, "int"));
	ck_assert_ptr_null(types_lookup(s, "unsigned short"));
	ck_assert_ptr_null(types_lookup(s, "unsigned float"));
	t = types_lookup(s, "char");
	ck_assert(t->is_char && t->is_signed);
	ck_assert(!types_lookup(s, "int")->is_char);
	ck_assert(!types_lookup(s, "unsigned int")->is_signed);
}
END_TEST

START_TEST(test_pointers)
{
	struct type_source *s = kernel();
	struct ctype *t = types_lookup(s, "char **");

	ck_assert_int_eq(t->kind, CT_PTR);
	ck_assert_int_eq(t->ref->kind, CT_PTR);
	ck_assert_ptr_eq(t->ref->ref, types_lookup(s, "char"));
	ck_assert_str_eq(spell(t), "char **");
	ck_assert_ptr_eq(types_lookup(s, "char**"), t);
	t = types_lookup(s, "struct task *");
	ck_assert_str_eq(spell(t), "struct task *");
	ck_assert_uint_eq(ctype_sizeof(t), 8);
	t = types_lookup(s, "void *");
	ck_assert_int_eq(t->kind, CT_PTR);
	ck_assert_ptr_null(t->ref);
	ck_assert_str_eq(spell(t), "void *");
	t = types_lookup(s, "void");
	ck_assert_int_eq(t->kind, CT_VOID);
	ck_assert_uint_eq(ctype_sizeof(t), 0);
	ck_assert_ptr_null(types_lookup(s, "struct nope *"));
}
END_TEST

START_TEST(test_members)
{
	struct type_source *s = kernel();
	struct ctype *t = types_lookup(s, "struct task");
	const struct ctype_member *v;
	struct ctype_member m;

	ck_assert_uint_eq(ctype_members(t, &v), 7);
	ck_assert_str_eq(v[3].name, "");
	ck_assert_int_eq(v[3].type->kind, CT_UNION);
	ck_assert(ctype_find_member(t, "pid", &m));
	ck_assert_uint_eq(m.bit_offset, 0);
	ck_assert_str_eq(spell(m.type), "pid_t");
	ck_assert(ctype_find_member(t, "flags", &m));
	ck_assert_uint_eq(m.bit_offset, 32);
	ck_assert_uint_eq(m.bit_size, 3);
	ck_assert(ctype_find_member(t, "state", &m));
	ck_assert_uint_eq(m.bit_offset, 35);
	ck_assert_uint_eq(m.bit_size, 5);
	ck_assert(ctype_find_member(t, "y", &m));	/* anonymous union */
	ck_assert_uint_eq(m.bit_offset, 64);
	ck_assert_uint_eq(m.bit_size, 0);
	ck_assert_str_eq(spell(m.type), "long unsigned int");
	ck_assert(ctype_find_member(t, "comm", &m));
	ck_assert_str_eq(spell(m.type), "char [16]");
	ck_assert(m.type->ref->is_char);
	ck_assert_uint_eq(ctype_sizeof(m.type), 16);
	ck_assert(ctype_find_member(t, "in", &m));
	ck_assert(ctype_find_member(m.type, "b", &m));
	ck_assert_uint_eq(m.bit_offset, 32);
	ck_assert(ctype_find_member(t, "parent", &m));
	ck_assert_ptr_eq(m.type->ref, t);
	ck_assert(!ctype_find_member(t, "nope", &m));
	ck_assert(!ctype_find_member(t, "", &m));
	/* through a typedef; not on a scalar */
	ck_assert(!ctype_find_member(types_lookup(s, "int"), "pid", &m));
	ck_assert_uint_eq(ctype_members(types_lookup(s, "u32"), &v), 0);
	/* a struct that points to itself */
	t = types_lookup(s, "struct list");
	ck_assert(ctype_find_member(t, "next", &m));
	ck_assert_ptr_eq(m.type->ref, t);
}
END_TEST

START_TEST(test_arrays_enums)
{
	struct type_source *s = kernel();
	const struct ctype_enumerator *e;
	const struct ctype_member *v;
	struct ctype *t;

	t = types_lookup(s, "enum color");
	ck_assert_int_eq(t->kind, CT_ENUM);
	ck_assert(t->is_signed);
	ck_assert_uint_eq(ctype_enumerators(t, &e), 2);
	ck_assert_str_eq(e[0].name, "RED");
	ck_assert_int_eq(e[1].value, -1);
	ck_assert_str_eq(spell(t), "enum color");
	t = types_lookup(s, "enum big");
	ck_assert_uint_eq(t->size, 8);
	ck_assert_uint_eq(ctype_enumerators(t, &e), 1);
	ck_assert_str_eq(e[0].name, "HUGE");
	ck_assert_int_eq(e[0].value, 0x100000000ll);
	ck_assert_uint_eq(ctype_enumerators(types_lookup(s, "int"), &e), 0);
	t = types_lookup(s, "names_t");
	ck_assert_str_eq(spell(ctype_strip(t)), "char [2][16]");
	ck_assert_uint_eq(ctype_sizeof(t), 32);
	ck_assert_uint_eq(ctype_strip(t)->nelem, 2);
	ck_assert_uint_eq(ctype_members(t, &v), 0);
}
END_TEST

START_TEST(test_functions)
{
	struct type_source *s = kernel();
	const struct ctype_param *p;
	struct ctype *f = types_function(s, "do_task");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, CT_FUNC);
	ck_assert_str_eq(f->name, "do_task");
	ck_assert_ptr_eq(f->ref, types_lookup(s, "int"));
	ck_assert_uint_eq(ctype_params(f, &p), 2);
	ck_assert_str_eq(p[0].name, "t");
	ck_assert_str_eq(spell(p[0].type), "struct task *");
	ck_assert_str_eq(spell(p[1].type), "mypid");	/* const skipped */
	ck_assert_str_eq(spell(f), "int (struct task *, mypid)");
	ck_assert_ptr_eq(types_function(s, "do_task"), f);
	ck_assert_ptr_null(types_function(s, "nope"));
	/* the variadic "..." is not a parameter */
	f = types_function(s, "printk");
	ck_assert_uint_eq(ctype_params(f, &p), 1);
	ck_assert_str_eq(spell(f), "int (char *)");
	/* a tracepoint: the leading void * dropped */
	f = types_tracepoint(s, "sched_x");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, CT_FUNC);
	ck_assert_ptr_null(f->ref);
	ck_assert_uint_eq(ctype_params(f, &p), 2);
	ck_assert_str_eq(spell(p[0].type), "struct task *");
	ck_assert_str_eq(spell(p[1].type), "int");
	ck_assert_ptr_eq(types_tracepoint(s, "sched_x"), f);
	ck_assert_ptr_null(types_tracepoint(s, "nope"));
	/* the typedef itself is still a typedef */
	f = types_lookup(s, "btf_trace_sched_x");
	ck_assert_int_eq(f->kind, CT_TYPEDEF);
	ck_assert_str_eq(spell(f->ref), "void (*)(void *, struct task *, "
			 "int)");
}
END_TEST

START_TEST(test_variables_fwd)
{
	struct type_source *s = kernel();
	struct ctype *t;
	uint64_t addr;
	bool percpu;

	ck_assert(types_variable(s, "cpu_val", &t, &addr, &percpu));
	ck_assert_ptr_eq(t, types_lookup(s, "int"));
	ck_assert_uint_eq(addr, 0x40);
	ck_assert(percpu);
	ck_assert(!types_variable(s, "nope", &t, &addr, &percpu));
	ck_assert_ptr_null(t);
	/* a FWD with nothing of its name stays one */
	t = types_lookup(s, "fwdp_t")->ref;
	ck_assert_str_eq(spell(t), "struct nothere *");
	ck_assert_int_eq(t->ref->kind, CT_FWD);
	ck_assert(!t->ref->is_union);
	ck_assert_uint_eq(ctype_sizeof(t->ref), 0);
	ck_assert_ptr_null(types_lookup(s, "nothere"));
	/* one with a struct of its name is that struct */
	ck_assert_ptr_eq(ctype_strip(types_lookup(s, "ftask_t")),
			 types_lookup(s, "struct task"));
}
END_TEST

START_TEST(test_similar)
{
	struct type_source *s = kernel();
	const char *out[3];

	ck_assert_uint_eq(types_similar(s, "struct tsak", out, 3), 1);
	ck_assert_str_eq(out[0], "task");
	ck_assert_uint_eq(types_similar(s, "pidt", out, 3), 1);
	ck_assert_str_eq(out[0], "pid_t");
	ck_assert_uint_eq(types_similar(s, "zzzzzzzzzz", out, 3), 0);
	ck_assert_uint_eq(types_similar(s, "tsak", out, 0), 0);
}
END_TEST

START_TEST(test_module)
{
	struct type_source *k = kernel(), *m;
	struct ctype *t, *task = types_lookup(k, "struct task");
	const struct ctype_param *p;
	struct ctype_member mb;
	char err[512];

	m = types_open("mymod", err, sizeof(err));
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_str_eq(types_source_name(m), "mymod");
	ck_assert_ptr_eq(types_open("mymod", err, sizeof(err)), m);
	t = types_lookup(m, "modstate");
	ck_assert_ptr_nonnull(t);
	ck_assert_ptr_null(types_lookup(k, "modstate"));
	ck_assert(ctype_find_member(t, "owner", &mb));
	ck_assert_ptr_eq(mb.type->ref, task);	/* the FWD, completed */
	ck_assert(ctype_find_member(t, "cnt", &mb));
	ck_assert_ptr_eq(mb.type, types_lookup(k, "int"));
	ck_assert_ptr_eq(types_lookup(m, "struct task"), task);
	ck_assert_ptr_eq(types_lookup(m, "unsigned long"),
			 types_lookup(k, "unsigned long"));
	t = types_function(m, "mod_fn");
	ck_assert_uint_eq(ctype_params(t, &p), 1);
	ck_assert_str_eq(spell(p[0].type), "struct modstate *");
	ck_assert_ptr_null(types_function(k, "mod_fn"));
	ck_assert_ptr_nonnull(types_function(m, "do_task"));

	ck_assert_ptr_null(types_open("nomod", err, sizeof(err)));
	ck_assert_msg(strstr(err, "no BTF for module 'nomod': ") &&
		      strstr(err, "/nomod is missing"), "%s", err);
	/* asked again: the same answer (from memory) */
	{
		char again[512];

		ck_assert_ptr_null(types_open("nomod", again, sizeof(again)));
		ck_assert_str_eq(again, err);
	}
	ck_assert_ptr_null(types_open("", err, sizeof(err)));
}
END_TEST

START_TEST(test_proto_read)
{
	struct type_source *s = kernel();
	struct elf_proto pr;

	ck_assert_int_eq(btf_proto_read("do_task", &pr), 1);
	ck_assert_uint_eq(pr.nparams, 2);
	ck_assert_int_eq(pr.params[0].v.kind, 'p');
	ck_assert_int_eq(pr.params[0].v.argno, 1);
	ck_assert_str_eq(spell(pr.params[0].v.type), "struct task *");
	ck_assert_int_eq(pr.params[1].v.kind, 'i');
	ck_assert_int_eq(pr.params[1].v.size, 4);
	ck_assert_str_eq(spell(pr.params[1].v.type), "mypid");
	ck_assert_int_eq(pr.ret.kind, 'i');
	ck_assert_ptr_eq(pr.ret.type, types_lookup(s, "int"));
	elf_proto_free(&pr);
	ck_assert_int_eq(btf_proto_read("nope", &pr), 0);
	/* no file at all: no BTF, not an error */
	types_reset();
	setenv("VTRACE_BTF", "/nonexistent/vmlinux", 1);
	ck_assert_int_eq(btf_proto_read("do_task", &pr), 0);
}
END_TEST

/* --------------------------------------------------------- malformed */

/* Open @b as vmlinux: the error, or "" when it opened. */
static const char *open_blob(const unsigned char *b, size_t n)
{
	static char err[512];
	char path[96];

	types_reset();
	snprintf(path, sizeof(path), "%s/bad", dir);
	write_blob(path, b, n);
	setenv("VTRACE_BTF", path, 1);
	err[0] = 0;
	if (types_open("kernel", err, sizeof(err)))
		err[0] = 0;
	else
		ck_assert_msg(err[0], "no message");
	return err;
}

static void expect_bad(struct enc *e, const char *why)
{
	size_t n;
	unsigned char *b = blob(e, &n);
	const char *err = open_blob(b, n);

	ck_assert_msg(strstr(err, "malformed BTF") && strstr(err, why),
		      "'%s' for %s", err, why);
	free(b);
}

START_TEST(test_malformed)
{
	struct enc e;
	unsigned char *b;
	struct btf_header *h;
	struct elf_proto pr;
	size_t n;

	/* truncated anywhere: never opens */
	b = blob(&base, &n);
	for (size_t cut = 0; cut < n; cut++)
		ck_assert_msg(*open_blob(b, cut), "opened cut at %zu", cut);
	/* a record cut short by type_len */
	h = (struct btf_header *)b;
	h->type_len -= 4;
	h->str_off -= 4;
	memmove(b + sizeof(*h) + h->str_off, b + sizeof(*h) + h->str_off + 4,
		h->str_len);
	ck_assert(strstr(open_blob(b, n - 4), "truncated record"));
	free(b);
	/* strings not NUL-terminated */
	b = blob(&base, &n);
	b[n - 1] = 'x';
	ck_assert(strstr(open_blob(b, n), "strings not terminated"));
	free(b);

	enc_init(&e, 1, 0);
	rec(&e, "x", 25, 0, 0, 0);
	expect_bad(&e, "unknown kind at type 1");
	enc_init(&e, 1, 0);
	rec(&e, "", BTF_KIND_PTR, 0, 0, 99);
	expect_bad(&e, "bad record at type 1");
	enc_init(&e, 1, 0);
	int_rec(&e, "int", 4, true);
	rec(&e, "s", BTF_KIND_STRUCT, 1, 0, 4);
	member(&e, "m", 7, 0);
	expect_bad(&e, "bad record at type 2");
	enc_init(&e, 1, 0);
	word(&e, 5000);		/* name past the strings */
	word(&e, BTF_KIND_FWD << 24);
	word(&e, 0);
	expect_bad(&e, "bad record at type 1");
	enc_init(&e, 1, 0);
	rec(&e, "a", BTF_KIND_TYPEDEF, 0, 0, 2);
	rec(&e, "b", BTF_KIND_TYPEDEF, 0, 0, 1);
	expect_bad(&e, "loops");
	enc_init(&e, 1, 0);
	for (int i = 0; i < 70; i++)
		rec(&e, "", BTF_KIND_PTR, 0, 0, i ? (uint32_t)i : 0);
	expect_bad(&e, "longer than 64");
	enc_init(&e, 1, 0);
	int_rec(&e, "int", 4, true);
	rec(&e, "f", BTF_KIND_FUNC, 0, 0, 1);	/* not a prototype */
	expect_bad(&e, "bad record at type 2");
	enc_init(&e, 1, 0);
	int_rec(&e, "int", 4, true);
	rec(&e, ".data", BTF_KIND_DATASEC, 1, 0, 4);
	word(&e, 1);		/* an int, not a VAR */
	word(&e, 0);
	word(&e, 4);
	expect_bad(&e, "bad record at type 2");
	enc_init(&e, 1, 0);	/* struct a { struct b { a_t x[2]; } y; } */
	rec(&e, "a", BTF_KIND_STRUCT, 1, 0, 8);
	member(&e, "y", 2, 0);
	rec(&e, "b", BTF_KIND_STRUCT, 1, 0, 8);
	member(&e, "x", 4, 0);
	rec(&e, "a_t", BTF_KIND_TYPEDEF, 0, 0, 1);
	array(&e, 3, 2);
	expect_bad(&e, "a struct holds itself");
	enc_init(&e, 1, 0);	/* struct a { struct nothere n; } */
	rec(&e, "a", BTF_KIND_STRUCT, 1, 0, 8);
	member(&e, "n", 2, 0);
	rec(&e, "nothere", BTF_KIND_FWD, 0, 0, 0);
	expect_bad(&e, "incomplete type");
	enc_init(&e, 1, 0);
	int_rec(&e, "int", 0, true);
	expect_bad(&e, "bad record at type 1");
	b = blob(&base, &n);
	b[sizeof(*h) + ((struct btf_header *)b)->str_off] = 'x';
	ck_assert(strstr(open_blob(b, n), "strings do not start empty"));
	free(b);
	/* a malformed kernel BTF fails btf_proto_read */
	ck_assert_int_eq(btf_proto_read("x", &pr), -1);
	/* a bad header */
	b = blob(&base, &n);
	((struct btf_header *)b)->magic = 0x1234;
	ck_assert(strstr(open_blob(b, n), "bad header"));
	free(b);
}
END_TEST

/* Everything reachable from @t, @depth levels deep, spelled and sized. */
static void walk(struct ctype *t, int depth)
{
	const struct ctype_member *v;
	const struct ctype_enumerator *e;
	const struct ctype_param *p;
	struct ctype_member m;
	size_t n;

	spell(t);
	ctype_sizeof(t);
	if (!t || depth > 3)
		return;
	n = ctype_members(t, &v);
	for (size_t i = 0; i < n; i++) {
		ck_assert(ctype_find_member(t, v[i].name, &m) || !*v[i].name);
		walk(v[i].type, depth + 1);
	}
	ctype_find_member(t, "nope", &m);
	n = ctype_enumerators(t, &e);
	n += ctype_params(t, &p);
	walk(t->ref, depth + 1);
	(void)n;
}

/* Opens @s's types by name and walks them. */
static void walk_all(struct type_source *s)
{
	static const char *const names[] = {
		"task", "inner", "list", "pid_t", "mypid", "u32", "enum color",
		"enum big", "btf_trace_sched_x", "int", "char *", "names_t",
		"fwdp_t", "ftask_t", "modstate",
	};
	const char *out[3];
	struct ctype *t;
	uint64_t addr;
	bool percpu;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		walk(types_lookup(s, names[i]), 0);
	walk(types_function(s, "do_task"), 0);
	walk(types_function(s, "printk"), 0);
	walk(types_function(s, "mod_fn"), 0);
	walk(types_tracepoint(s, "sched_x"), 0);
	if (types_variable(s, "cpu_val", &t, &addr, &percpu))
		walk(t, 0);
	types_similar(s, "tsak", out, 3);
}

/*
 * Every word of one fixture file (vmlinux, or the module's with a good
 * vmlinux) set to a few values: it opens or not, never a crash, and
 * what opens can be walked.
 */
static void mutate(const struct enc *e, const char *module)
{
	static const uint32_t values[] = { 0, 1, 7, T_LAST, 0xffffffffu,
					   0x81000003u, 0x04000002u };
	size_t n;
	unsigned char *b = blob(e, &n), *m = malloc(n);
	char err[512];

	for (size_t off = 0; off + 4 <= n; off += 4)
		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]);
		     v++) {
			struct type_source *s;

			memcpy(m, b, n);
			memcpy(m + off, &values[v], 4);
			types_reset();
			setenv("VTRACE_BTF", vmlinux, 1);
			write_blob(module ? modfile : vmlinux, m, n);
			s = types_open(module ? module : "kernel", err,
				       sizeof(err));
			if (s)
				walk_all(s);
		}
	write_blob(module ? modfile : vmlinux, b, n);
	free(m);
	free(b);
}

START_TEST(test_mutations)
{
	struct enc mod;

	setenv("VTRACE_BTF_DIR", dir, 1);
	mutate(&base, NULL);
	make_module(&mod);
	mutate(&mod, "mymod");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("types");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;
	char cmd[128];

	write_fixture();
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_lookup);
	tcase_add_test(tc, test_pointers);
	tcase_add_test(tc, test_members);
	tcase_add_test(tc, test_arrays_enums);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_variables_fwd);
	tcase_add_test(tc, test_similar);
	tcase_add_test(tc, test_module);
	tcase_add_test(tc, test_proto_read);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_mutations);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	types_reset();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		failed++;
	return failed ? 1 : 0;
}
