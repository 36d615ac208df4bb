// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_vm_mutate.c - fuzz_vm's structure-aware mutator
 * (LLVMFuzzerCustomMutator).  Most of the time it parses the input as an
 * image and rewrites fields of its tables the way a hostile image would:
 *
 *   units     overlap another unit, or cover a handler's range with
 *             other registers and slots; shift, shrink, grow, swap,
 *             duplicate; registers and slots to extremes (0, 1, 255, 256)
 *   handlers  range, target and slot moved into or across units; swap,
 *             duplicate
 *   formats   text replaced by generated formats with long widths and
 *             precisions, `*`, flags and %m/%M/%b/%s/%c (appended to
 *             STRTAB); signature replaced
 *   header    strsize, maxnesting and nstacks (the stack table) to
 *             extremes
 *   _deref    three instructions of a unit become "LDI r = address near
 *             the mock's memory edges; LDI r+1 = a how word (every valid
 *             VT_DEREF_HOW, sizes 0/3/16, unknown bits, negative);
 *             CALLH _deref"
 *
 * Tables that grow are copied to the end of the image with room for one
 * more entry (the old copy stays, unreferenced).  Otherwise, or when the
 * input has no usable header or tables, it falls back to libFuzzer's
 * byte-level LLVMFuzzerMutate().  Built into fuzz_vm only (not the seed
 * writer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_vm.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#define FZ_MAX (1u << 20)	/* fuzz_vm ignores larger inputs */

/* The image being mutated, 8-aligned (libFuzzer's buffer may not be). */
static u64 fz_buf[FZ_MAX / 8];

struct fz {
	u8 *img;
	u32 size, max;
	struct vt_image_hdr *h;
	u32 rng;
};

static u32 fz_rand(struct fz *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 17;
	f->rng ^= f->rng << 5;
	return f->rng;
}

/* A random value below @n (0 when @n is 0). */
static u32 fz_below(struct fz *f, u32 n)
{
	return n ? fz_rand(f) % n : 0;
}

/* Section @id as an array of @entsize entries, or NULL if unusable. */
static void *fz_sect(struct fz *f, u32 id, u32 entsize, u32 *count)
{
	const struct vt_section *s = &f->h->sect[id];

	*count = 0;
	if (s->entsize != entsize || s->offset % 8 || !s->count ||
	    s->offset < sizeof(*f->h) ||
	    (u64)s->offset + (u64)s->count * entsize > f->size)
		return NULL;
	*count = s->count;
	return f->img + s->offset;
}

/*
 * Copy section @id (@entsize bytes an entry) to the end of the image with
 * room for @extra more bytes; the new copy, or NULL if it does not fit.
 */
static void *fz_grow(struct fz *f, u32 id, u32 entsize, u32 extra)
{
	struct vt_section *s = &f->h->sect[id];
	u32 count, bytes, off = (f->size + 7) & ~7u;
	void *old = fz_sect(f, id, entsize, &count);

	bytes = count * entsize;
	if (!old || (u64)off + bytes + extra + 8 > f->max)
		return NULL;
	memmove(f->img + off, old, bytes);
	memset(f->img + off + bytes, 0, extra);
	s->offset = off;
	s->count = count + extra / entsize;
	f->size = (off + bytes + extra + 7) & ~7u;
	memset(f->img + off + bytes + extra, 0, f->size - off - bytes - extra);
	return f->img + off;
}

/* Where unit @u ends: its last pc ending the unit from @from on, or -1. */
static s64 fz_unit_end(struct fz *f, const struct vt_unit_desc *u, u32 from)
{
	u32 ncode, pc;
	const struct vt_insn *code = fz_sect(f, VT_SECT_CODE,
					     sizeof(*code), &ncode);

	for (pc = from; code && pc < ncode && pc - u->code < u->ncode; pc++)
		if (code[pc].op == VT_OP_RET || code[pc].op == VT_OP_JMP ||
		    code[pc].op == VT_OP_RETL || code[pc].op == VT_OP_RETS)
			return pc;
	return -1;
}

static u16 fz_extreme(struct fz *f)
{
	static const u16 v[] = { 0, 1, 2, 15, 255, 256 };

	return fz_below(f, 3) ? v[fz_below(f, VT_ARRAY_SIZE(v))] :
	       (u16)fz_below(f, 257);
}

/* Unit @j covers a handler's range (from its start to a unit end). */
static bool fz_unit_over_handler(struct fz *f, struct vt_unit_desc *units,
				 u32 nunits, u32 j)
{
	u32 nh, i;
	const struct vt_handler_desc *hs = fz_sect(f, VT_SECT_HANDLERS,
						   sizeof(*hs), &nh);
	const struct vt_handler_desc *h;
	s64 end;

	if (!hs)
		return false;
	h = &hs[fz_below(f, nh)];
	for (i = 0; i < nunits; i++) {
		if (i == j || h->start - units[i].code >= units[i].ncode)
			continue;
		end = fz_unit_end(f, &units[i], h->start);
		if (end < 0)
			return false;
		units[j].code = h->start;
		units[j].ncode = (u32)end - h->start + 1;
		units[j].nregs = fz_extreme(f);
		units[j].nslots = fz_below(f, 2) ? 0 : fz_extreme(f);
		return true;
	}
	return false;
}

static bool fz_units(struct fz *f)
{
	u32 n, i, j;
	struct vt_unit_desc *u = fz_sect(f, VT_SECT_UNITS, sizeof(*u), &n), t;
	s64 end;

	if (!u)
		return false;
	i = fz_below(f, n);
	j = fz_below(f, n);
	switch (fz_below(f, 8)) {
	case 0:		/* unit j starts inside unit i, ends where i may */
		if (i == j)
			return false;
		u[j].code = u[i].code + fz_below(f, u[i].ncode);
		end = fz_unit_end(f, &u[i], u[j].code);
		u[j].ncode = end < 0 ? 1 + fz_below(f, 4) :
			     (u32)end - u[j].code + 1;
		return true;
	case 1:
		return fz_unit_over_handler(f, u, n, j);
	case 2:		/* shift */
		u[i].code += fz_below(f, 7) - 3;
		return true;
	case 3:		/* shrink or grow */
		u[i].ncode += fz_below(f, 7) - 3;
		return true;
	case 4:
		u[i].nregs = fz_extreme(f);
		u[i].nslots = fz_extreme(f);
		return true;
	case 5:		/* out of order */
		t = u[i];
		u[i] = u[j];
		u[j] = t;
		return true;
	case 6:		/* one more unit, a copy of unit i */
		t = u[i];
		u = fz_grow(f, VT_SECT_UNITS, sizeof(*u), sizeof(*u));
		if (!u)
			return false;
		u[n] = t;
		/* USIGS has one entry per unit: grow it too, if present */
		if (fz_sect(f, VT_SECT_USIGS, 4, &i))
			fz_grow(f, VT_SECT_USIGS, 4, 4);
		return true;
	default:
		u[j] = u[i];
		return true;
	}
}

static bool fz_handlers(struct fz *f)
{
	u32 n, nu, i, j;
	struct vt_handler_desc *h = fz_sect(f, VT_SECT_HANDLERS, sizeof(*h),
					    &n), t;
	const struct vt_unit_desc *u = fz_sect(f, VT_SECT_UNITS, sizeof(*u),
					       &nu), *a, *b;

	if (!h || !u)
		return false;
	i = fz_below(f, n);
	j = fz_below(f, n);
	a = &u[fz_below(f, nu)];
	b = fz_below(f, 2) ? a : &u[fz_below(f, nu)];
	switch (fz_below(f, 6)) {
	case 0:		/* range in unit a, target in unit b */
		h[i].start = a->code + fz_below(f, a->ncode);
		h[i].end = h[i].start + 1 + fz_below(f, 3);
		h[i].target = b->code + fz_below(f, b->ncode);
		return true;
	case 1:		/* target elsewhere */
		h[i].target = b->code + fz_below(f, b->ncode);
		return true;
	case 2:		/* message slot */
		h[i].flags = VT_HANDLER_F_MSG;
		h[i].slot = fz_extreme(f);
		return true;
	case 3:		/* out of order */
		t = h[i];
		h[i] = h[j];
		h[j] = t;
		return true;
	case 4:		/* one more handler, a copy of handler i */
		t = h[i];
		h = fz_grow(f, VT_SECT_HANDLERS, sizeof(*h), sizeof(*h));
		if (!h)
			return false;
		h[n] = t;
		return true;
	default:	/* range moved by a little */
		h[i].start += fz_below(f, 5) - 2;
		h[i].end += fz_below(f, 5) - 2;
		return true;
	}
}

/* A format text: conversions with long widths and precisions. */
static u32 fz_format_text(struct fz *f, char *out, u32 cap)
{
	static const char conv[] = "dixXuocspbmM%";
	static const char *const flags[] = { "", "-", "0", "#", "+", " ",
					     "-0#+ " };
	static const char *const nums[] = { "", "1", "64", "4095", "4096",
					    "65535", "65536", "65537",
					    "2147483647", "99999999999",
					    "*" };
	u32 len = 0, k, nconv = 1 + fz_below(f, 40);
	int n;

	for (k = 0; k < nconv && len + 64 < cap; k++) {
		if (fz_below(f, 4) == 0)
			out[len++] = 'x';
		n = snprintf(out + len, cap - len, "%%%s%s%s%s%c",
			     flags[fz_below(f, VT_ARRAY_SIZE(flags))],
			     nums[fz_below(f, VT_ARRAY_SIZE(nums))],
			     fz_below(f, 2) ? "." : "",
			     nums[fz_below(f, VT_ARRAY_SIZE(nums))],
			     conv[fz_below(f, sizeof(conv) - 1)]);
		if (n < 0 || (u32)n >= cap - len)
			break;
		len += (u32)n;
	}
	out[len] = '\0';
	return len + 1;
}

/* Format i's text or signature: a new string at the end of STRTAB. */
static bool fz_formats(struct fz *f)
{
	static const char *const sigs[] = { "", "l", "s", "ls", "sl", "ss",
		"lllllllllllllllllllllllllllllll", "ssssssssssssssss",
		"lslslslslslslslslslslslslslslsls" };
	char text[2048];
	u32 n, ns, i, len, off;
	struct vt_format_desc *fmt = fz_sect(f, VT_SECT_FORMATS, sizeof(*fmt),
					     &n);
	bool sig = fz_below(f, 4) == 0;
	char *st;

	if (!fmt || !fz_sect(f, VT_SECT_STRTAB, 1, &ns))
		return false;
	i = fz_below(f, n);
	if (sig) {
		const char *s = sigs[fz_below(f, VT_ARRAY_SIZE(sigs))];

		len = (u32)strlen(s) + 1;
		memcpy(text, s, len);
	} else {
		len = fz_format_text(f, text, sizeof(text));
	}
	st = fz_grow(f, VT_SECT_STRTAB, 1, len);
	if (!st)
		return false;
	off = ns;
	memcpy(st + off, text, len);	/* only STRTAB moved: fmt is valid */
	if (sig)
		fmt[i].sig = off;
	else
		fmt[i].text = off;
	return true;
}

/* A how word for _deref: valid (VT_DEREF_HOW) or just not. */
static s32 fz_deref_how(struct fz *f)
{
	static const u32 sizes[] = { 1, 2, 4, 8, 0, 3, 16 };
	static const s32 odd[] = { 0x40, 0x80, 0x100, (s32)0x80000000, -1 };
	s32 how = (s32)VT_DEREF_HOW(sizes[fz_below(f, VT_ARRAY_SIZE(sizes))],
				    fz_below(f, 2), fz_below(f, 2));

	if (fz_below(f, 4) == 0)
		how |= odd[fz_below(f, VT_ARRAY_SIZE(odd))];
	return how;
}

/* Three instructions of a unit: an address, a how, CALLH _deref. */
static bool fz_deref(struct fz *f)
{
	static const s32 addrs[] = { 0x1000, 0x1001, 0x1ffc, 0x2ff8, 0x2ffc,
				     0x2fff, 0x3000, 0, -8 };
	u32 nu, ncode, pc;
	const struct vt_unit_desc *u = fz_sect(f, VT_SECT_UNITS, sizeof(*u),
					       &nu);
	struct vt_insn *code = fz_sect(f, VT_SECT_CODE, sizeof(*code), &ncode);
	u8 r;

	if (!u || !code)
		return false;
	u = &u[fz_below(f, nu)];
	if (u->ncode < 4 || u->nregs < 2 || u->code >= ncode ||
	    u->ncode > ncode - u->code)
		return false;
	pc = u->code + fz_below(f, u->ncode - 3);	/* keeps the last */
	r = (u8)fz_below(f, u->nregs - 1);
	code[pc] = (struct vt_insn){ .op = VT_OP_LDI, .a = r,
		.k = addrs[fz_below(f, VT_ARRAY_SIZE(addrs))] };
	code[pc + 1] = (struct vt_insn){ .op = VT_OP_LDI, .a = (u8)(r + 1),
		.k = fz_deref_how(f) };
	code[pc + 2] = (struct vt_insn){ .op = VT_OP_CALLH, .a = r, .b = r,
		.k = VT_HELPER__deref };
	return true;
}

static bool fz_header(struct fz *f)
{
	static const u32 strsizes[] = { 16, 17, 64, 256, 4096 };
	static const u32 nstacks[] = { 0, 1, 2, 16, VT_STACKS_MAX + 1 };

	if (!fz_below(f, 3))
		f->h->nstacks = nstacks[fz_below(f, VT_ARRAY_SIZE(nstacks))];
	else if (fz_below(f, 2))
		f->h->strsize = strsizes[fz_below(f, VT_ARRAY_SIZE(strsizes))];
	else
		f->h->maxnesting = fz_below(f, 2) ? VT_NESTING_MAX :
				   fz_below(f, 12);
	return true;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	struct fz f = { .img = (u8 *)fz_buf, .h = (void *)fz_buf,
			.rng = seed | 1 };
	bool done = false;
	u32 k, nops;

	if (max_size > FZ_MAX)
		max_size = FZ_MAX;
	if (size < sizeof(*f.h) || size > max_size || fz_below(&f, 4) == 0)
		return LLVMFuzzerMutate(data, size, max_size);
	memcpy(fz_buf, data, size);
	f.size = (u32)size;
	f.max = (u32)max_size;
	nops = 1 + fz_below(&f, 3);
	for (k = 0; k < nops; k++) {
		switch (fz_below(&f, 8)) {
		case 0: case 1: case 2:
			done |= fz_units(&f);
			break;
		case 3: case 4: case 5:
			done |= fz_handlers(&f);
			break;
		case 6:
			done |= fz_below(&f, 2) ? fz_formats(&f) : fz_deref(&f);
			break;
		default:
			done |= fz_header(&f);
			break;
		}
	}
	if (!done)
		return LLVMFuzzerMutate(data, size, max_size);
	f.h->size = f.size;
	memcpy(data, fz_buf, f.size);
	return f.size;
}
