// SPDX-License-Identifier: GPL-2.0-only
/*
 * btf.c - see btf.h.  The BTF file is read once per process, on first
 * use, and walked with bounds checks on every record: a malformed file is an
 * error, never a crash.  Layout (linux/btf.h, a stable UAPI): a header,
 * then the type records (ids from 1, each a struct btf_type followed by
 * kind-specific data) and the string section.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "btf.h"

#define BTF_PARAMS_MAX 32

struct btf_file {
	unsigned char *data;
	size_t size;
	const unsigned char *types, *strs;
	uint32_t types_len, strs_len;
	const struct btf_type **byid;	/* [0] unused: id 0 is void */
	uint32_t ntypes;
	int state;			/* 0 unread, 1 ok, -1 absent or bad */
};

static struct btf_file btf;

static const char *str_at(uint32_t off)
{
	if (off >= btf.strs_len)
		return "";
	/* the section ends with a NUL: checked at load */
	return (const char *)btf.strs + off;
}

/* Bytes of kind-specific data after a btf_type, or -1 if unknown. */
static long extra_size(const struct btf_type *t)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return 4;
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: return (long)vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return (long)vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return (long)vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return (long)vlen * sizeof(struct btf_var_secinfo);
	case 17: return 4;		/* DECL_TAG: component_idx */
	case 19: return (long)vlen * 12;	/* ENUM64 */
	case BTF_KIND_PTR: case BTF_KIND_FWD: case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE: case BTF_KIND_CONST: case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC: case 16: case 18:	/* FLOAT, TYPE_TAG */
		return 0;
	default:
		return -1;
	}
}

static int index_types(void)
{
	size_t off = 0, cap = 0;

	while (off < btf.types_len) {
		const struct btf_type *t;
		long extra;

		if (btf.types_len - off < sizeof(*t))
			return -1;
		t = (const struct btf_type *)(btf.types + off);
		extra = extra_size(t);
		if (extra < 0 || btf.types_len - off - sizeof(*t) <
		    (size_t)extra)
			return -1;
		if (btf.ntypes + 2 > cap) {
			const struct btf_type **n;

			cap = cap ? cap * 2 : 65536;
			n = realloc(btf.byid, cap * sizeof(*n));
			if (!n)
				return -1;
			btf.byid = n;
		}
		btf.byid[++btf.ntypes] = t;
		off += sizeof(*t) + (size_t)extra;
	}
	return 0;
}

static void load(void)
{
	const char *path = getenv("VTRACE_BTF");
	const struct btf_header *h;
	FILE *f;
	size_t cap = 0, n;

	btf.state = -1;
	f = fopen(path ? path : "/sys/kernel/btf/vmlinux", "rb");
	if (!f)
		return;
	for (;;) {
		if (btf.size == cap) {
			unsigned char *nd = realloc(btf.data, cap + (1 << 20));

			if (!nd)
				break;
			btf.data = nd;
			cap += 1 << 20;
		}
		n = fread(btf.data + btf.size, 1, cap - btf.size, f);
		if (!n)
			break;
		btf.size += n;
	}
	fclose(f);
	h = (const struct btf_header *)btf.data;
	if (!btf.data || btf.size < sizeof(*h) || h->magic != BTF_MAGIC ||
	    h->hdr_len < sizeof(*h) || h->hdr_len > btf.size ||
	    h->type_off > btf.size - h->hdr_len ||
	    h->type_len > btf.size - h->hdr_len - h->type_off ||
	    h->str_off > btf.size - h->hdr_len ||
	    h->str_len > btf.size - h->hdr_len - h->str_off || !h->str_len ||
	    h->type_off % 4)
		return;
	btf.types = btf.data + h->hdr_len + h->type_off;
	btf.types_len = h->type_len;
	btf.strs = btf.data + h->hdr_len + h->str_off;
	btf.strs_len = h->str_len;
	if (btf.strs[btf.strs_len - 1] || index_types())
		return;
	btf.state = 1;
}

static const struct btf_type *type_of(uint32_t id)
{
	return id && id <= btf.ntypes ? btf.byid[id] : NULL;
}

/* How a value of type @id sits in an integer register (elf_value). */
static struct elf_value value_of(uint32_t id)
{
	struct elf_value v = { 0 };
	const struct btf_type *t = type_of(id);

	for (int hops = 0; t && hops < 32; hops++) {
		uint32_t enc;

		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_TYPEDEF: case BTF_KIND_VOLATILE:
		case BTF_KIND_CONST: case BTF_KIND_RESTRICT: case 18:
			t = type_of(t->type);
			continue;
		case BTF_KIND_PTR:
			v.kind = 'p';
			v.size = 8;
			return v;
		case BTF_KIND_INT:
			memcpy(&enc, t + 1, sizeof(enc));
			if (t->size < 1 || t->size > 8)
				return v;
			v.kind = BTF_INT_ENCODING(enc) & BTF_INT_SIGNED ?
				 'i' : 'u';
			v.size = (uint8_t)t->size;
			return v;
		case BTF_KIND_ENUM: case 19:
			if (t->size < 1 || t->size > 8)
				return v;
			v.kind = BTF_INFO_KFLAG(t->info) ? 'i' : 'u';
			v.size = (uint8_t)t->size;
			return v;
		default:
			return v;	/* struct by value, float, ...: unknown */
		}
	}
	return v;
}

int btf_proto_read(const char *func, struct elf_proto *out)
{
	const struct btf_type *fn = NULL, *proto;
	const struct btf_param *pa;
	uint32_t n;
	int reg = 0;

	memset(out, 0, sizeof(*out));
	if (!btf.state)
		load();
	if (btf.state < 0)
		return btf.data ? -1 : 0;
	for (uint32_t id = 1; id <= btf.ntypes && !fn; id++)
		if (BTF_INFO_KIND(btf.byid[id]->info) == BTF_KIND_FUNC &&
		    !strcmp(str_at(btf.byid[id]->name_off), func))
			fn = btf.byid[id];
	proto = fn ? type_of(fn->type) : NULL;
	if (!proto || BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
		return 0;
	n = BTF_INFO_VLEN(proto->info);
	if (n > BTF_PARAMS_MAX)
		n = BTF_PARAMS_MAX;
	out->params = calloc(n ? n : 1, sizeof(*out->params));
	if (!out->params)
		return -1;
	pa = (const struct btf_param *)(proto + 1);
	for (uint32_t i = 0; i < n; i++) {
		struct elf_param *p = &out->params[out->nparams];

		p->name = strdup(str_at(pa[i].name_off));
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
	/* type 0 is void (value_of() would say unknown) */
	out->ret = proto->type ? value_of(proto->type) :
		   (struct elf_value){ .kind = 'v' };
	return 1;
}
