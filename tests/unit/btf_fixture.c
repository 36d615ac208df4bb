// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf_fixture.c - see btf_fixture.h.  A minimal BTF encoder: types are
 * appended in order (ids from 1), names to the string section; members
 * of a struct with bitfields use the kind_flag encoding (bit size << 24 |
 * bit offset).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/btf.h>

#include "btf_fixture.h"

struct enc {
	unsigned char types[4096];
	size_t ntypes;		/* bytes */
	char strs[2048];
	size_t nstrs;
	unsigned next_id;
};

static void words(struct enc *e, const unsigned *w, size_t n)
{
	memcpy(e->types + e->ntypes, w, n * 4);
	e->ntypes += n * 4;
}

static unsigned str(struct enc *e, const char *s)
{
	unsigned off = (unsigned)e->nstrs;

	if (!*s)
		return 0;
	memcpy(e->strs + e->nstrs, s, strlen(s) + 1);
	e->nstrs += strlen(s) + 1;
	return off;
}

/* A type record: name, kind, vlen, kind_flag, size or type; its id. */
static unsigned rec(struct enc *e, const char *name, unsigned kind,
		    unsigned vlen, unsigned kflag, unsigned size_type)
{
	unsigned w[3] = { str(e, name), kflag << 31 | kind << 24 | vlen,
			  size_type };

	words(e, w, 3);
	return e->next_id++;
}

static unsigned int_t(struct enc *e, const char *name, unsigned size,
		      unsigned enc)
{
	unsigned id = rec(e, name, BTF_KIND_INT, 0, 0, size);
	unsigned w = enc << 24 | size * 8;

	words(e, &w, 1);
	return id;
}

struct mem { const char *name; unsigned type, bits, bitsize; };

static unsigned struct_t(struct enc *e, unsigned kind, const char *name,
			 unsigned size, const struct mem *m, unsigned n)
{
	unsigned kflag = 0, id;

	for (unsigned i = 0; i < n; i++)
		kflag |= m[i].bitsize != 0;
	id = rec(e, name, kind, n, kflag, size);
	for (unsigned i = 0; i < n; i++) {
		unsigned w[3] = { str(e, m[i].name), m[i].type,
				  kflag ? m[i].bitsize << 24 | m[i].bits :
				  m[i].bits };

		words(e, w, 3);
	}
	return id;
}

static void fill(struct enc *e)
{
	unsigned u32, i32, uchar, chr, lng, ulng, pid, sizet, loff, ucp, qstr,
		 dentry, dptr, path, file, bits, lh, lhp, state, opq, task,
		 tptr, anon, arr4, comm, vp, fptr, cp, lp, proto, w[3];

	e->next_id = 1;
	e->nstrs = 1;
	u32 = int_t(e, "unsigned int", 4, 0);
	i32 = int_t(e, "int", 4, BTF_INT_SIGNED);
	uchar = int_t(e, "unsigned char", 1, BTF_INT_CHAR);
	chr = int_t(e, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	lng = int_t(e, "long", 8, BTF_INT_SIGNED);
	ulng = int_t(e, "unsigned long", 8, 0);
	pid = rec(e, "pid_t", BTF_KIND_TYPEDEF, 0, 0, i32);
	sizet = rec(e, "size_t", BTF_KIND_TYPEDEF, 0, 0, ulng);
	loff = rec(e, "loff_t", BTF_KIND_TYPEDEF, 0, 0, lng);
	ucp = rec(e, "", BTF_KIND_PTR, 0, 0,
		  rec(e, "", BTF_KIND_CONST, 0, 0, uchar));
	qstr = struct_t(e, BTF_KIND_STRUCT, "qstr", 16, (struct mem[]){
		{ "hash", u32, 0, 0 }, { "len", u32, 32, 0 },
		{ "name", ucp, 64, 0 } }, 3);
	dptr = rec(e, "", BTF_KIND_PTR, 0, 0, e->next_id + 1);
	dentry = struct_t(e, BTF_KIND_STRUCT, "dentry", 32, (struct mem[]){
		{ "d_flags", u32, 0, 0 }, { "d_parent", dptr, 64, 0 },
		{ "d_name", qstr, 128, 0 } }, 3);
	vp = rec(e, "", BTF_KIND_PTR, 0, 0, 0);
	path = struct_t(e, BTF_KIND_STRUCT, "path", 16, (struct mem[]){
		{ "mnt", vp, 0, 0 }, { "dentry", dptr, 64, 0 } }, 2);
	file = struct_t(e, BTF_KIND_STRUCT, "file", 32, (struct mem[]){
		{ "f_mode", u32, 0, 0 }, { "f_flags", u32, 32, 0 },
		{ "f_path", path, 64, 0 }, { "f_pos", loff, 192, 0 } }, 4);
	bits = struct_t(e, BTF_KIND_STRUCT, "bits", 4, (struct mem[]){
		{ "a", u32, 0, 3 }, { "b", i32, 3, 5 },
		{ "c", u32, 8, 24 } }, 3);
	lhp = rec(e, "", BTF_KIND_PTR, 0, 0, e->next_id + 1);
	lh = struct_t(e, BTF_KIND_STRUCT, "list_head", 16, (struct mem[]){
		{ "next", lhp, 0, 0 }, { "prev", lhp, 64, 0 } }, 2);
	state = rec(e, "state", BTF_KIND_ENUM, 2, 0, 4);
	w[0] = str(e, "S_RUN"), w[1] = 0;
	words(e, w, 2);
	w[0] = str(e, "S_SLEEP"), w[1] = 1;
	words(e, w, 2);
	opq = rec(e, "", BTF_KIND_PTR, 0, 0,
		  rec(e, "opaque", BTF_KIND_FWD, 0, 0, 0));
	anon = struct_t(e, BTF_KIND_UNION, "", 8, (struct mem[]){
		{ "u_int", i32, 0, 0 }, { "u_long", ulng, 0, 0 } }, 2);
	arr4 = rec(e, "", BTF_KIND_ARRAY, 0, 0, 0);
	w[0] = i32, w[1] = u32, w[2] = 4;
	words(e, w, 3);
	comm = rec(e, "", BTF_KIND_ARRAY, 0, 0, 0);
	w[0] = chr, w[1] = u32, w[2] = 16;
	words(e, w, 3);
	tptr = rec(e, "", BTF_KIND_PTR, 0, 0, e->next_id + 1);
	task = struct_t(e, BTF_KIND_STRUCT, "task_struct", 120, (struct mem[]){
		{ "__state", lng, 0, 0 }, { "flags", u32, 64, 0 },
		{ "pid", pid, 96, 0 }, { "tgid", pid, 128, 0 },
		{ "comm", comm, 160, 0 }, { "parent", tptr, 320, 0 },
		{ "children", lh, 384, 0 }, { "", anon, 512, 0 },
		{ "bf", bits, 576, 0 }, { "arr", arr4, 608, 0 },
		{ "stack", vp, 768, 0 }, { "st", state, 832, 0 },
		{ "opq", opq, 896, 0 } }, 13);
	(void)task, (void)dentry;
	fptr = rec(e, "", BTF_KIND_PTR, 0, 0, file);
	cp = rec(e, "", BTF_KIND_PTR, 0, 0, chr);
	lp = rec(e, "", BTF_KIND_PTR, 0, 0, loff);
	proto = rec(e, "", BTF_KIND_FUNC_PROTO, 4, 0, lng);
	words(e, (unsigned[]){ str(e, "file"), fptr, str(e, "buf"), cp,
			       str(e, "count"), sizet, str(e, "pos"), lp }, 8);
	rec(e, "vfs_read", BTF_KIND_FUNC, 0, 0, proto);
	proto = rec(e, "", BTF_KIND_FUNC_PROTO, 1, 0, i32);
	words(e, (unsigned[]){ str(e, "file"), dptr }, 2);
	rec(e, "dentry_file", BTF_KIND_FUNC, 0, 0, proto);
	w[0] = rec(e, "runqueues", BTF_KIND_VAR, 0, 0, i32);
	w[1] = 1;	/* global allocation */
	words(e, w + 1, 1);
	rec(e, ".data..percpu", BTF_KIND_DATASEC, 1, 0, 4);
	w[1] = 0, w[2] = 4;
	words(e, w, 3);
}

int btf_fixture_write(const char *path)
{
	static struct enc e;
	struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
				.hdr_len = sizeof(h) };
	FILE *f = fopen(path, "wb");
	int ok;

	if (!f)
		return -1;
	memset(&e, 0, sizeof(e));
	fill(&e);
	h.type_len = (unsigned)e.ntypes;
	h.str_off = h.type_len;
	h.str_len = (unsigned)e.nstrs;
	ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
	     fwrite(e.types, e.ntypes, 1, f) == 1 &&
	     fwrite(e.strs, e.nstrs, 1, f) == 1;
	if (fclose(f) || !ok) {
		errno = errno ? errno : EIO;
		return -1;
	}
	return 0;
}
