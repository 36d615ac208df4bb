/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fuzz_mutate.h - structure-aware mutation of program images for
 * ioctl_fuzz.c.  An image is decoded into its header and one byte array
 * per section (struct fz_img), mutated field by field with values near
 * the loader's limits, and encoded again with its sections 8-aligned
 * after the header, so that most mutants get past the layout checks and
 * reach the verifier's checks of units, handlers, code, formats and maps.
 *
 * The mutators aim at what the verifier must get right:
 *  - units that overlap, nest, are shifted, split, duplicated, unsorted,
 *    or have frames near VT_FRAME_MAX;
 *  - try/catch handlers whose range or target crosses units, whose slot
 *    is at or past the unit's nslots;
 *  - instructions with operands at and past nregs / nslots / table sizes,
 *    jumps to unit edges, other opcodes, a unit's last RET removed;
 *  - formats with long widths and precisions, %m/%M with precisions up
 *    to 65536, many conversions, long text, signatures that disagree;
 *  - map descriptors near VT_MAP_ENTRIES_MAX, odd key signatures,
 *    histogram parameters at the s64 limits; foreach sites, DFAs, line
 *    tables, signatures, globals, autoprint entries, header fields;
 *  - _deref calls with how words valid and not (sizes 0/3/16, unknown
 *    bits, negative) at kernel addresses of every kind: text, the direct
 *    map, vmalloc, the fixmap (MMIO), user space, 0, the top.
 * Header-only, like image_build.h: each test program is one .c file.
 */
#ifndef VT_TEST_FUZZ_MUTATE_H
#define VT_TEST_FUZZ_MUTATE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_isa.h"

/* ------------------------------------------------------------ randomness */

static uint64_t fz_state = 1;

static uint64_t fz_rnd(void)
{
	/* xorshift64* */
	fz_state ^= fz_state >> 12;
	fz_state ^= fz_state << 25;
	fz_state ^= fz_state >> 27;
	return fz_state * 2685821657736338717ull;
}

static uint32_t fz_below(uint32_t n)
{
	return n ? (uint32_t)(fz_rnd() % n) : 0;
}

/* A state from (seed, round) alone: round R's image can be regenerated
 * without replaying the rounds before it (ioctl_fuzz -R). */
static void fz_reseed(uint64_t seed, uint64_t round)
{
	uint64_t z = seed + round * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	fz_state = (z ^ (z >> 31)) | 1;
}

#define FZ_PICK(arr) ((arr)[fz_below(sizeof(arr) / sizeof((arr)[0]))])

/* -------------------------------------------------------------- the image */

#define FZ_SECT_MAX (128u << 10)	/* bytes one section may grow to */

struct fz_img {
	struct vt_image_hdr h;
	unsigned char *sec[VT_SECT_SLOTS];	/* malloc'd, or NULL */
	uint32_t bytes[VT_SECT_SLOTS];
};

static void fz_free(struct fz_img *f)
{
	unsigned int i;

	for (i = 0; i < VT_SECT_SLOTS; i++)
		free(f->sec[i]);
	memset(f, 0, sizeof(*f));
}

/* Decode a (valid) image; sections that do not fit are dropped. */
static void fz_decode(struct fz_img *f, const unsigned char *img,
		      uint32_t size)
{
	const struct vt_section *s;
	uint64_t n;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	memcpy(&f->h, img, size < sizeof(f->h) ? size : sizeof(f->h));
	for (i = 0; i < VT_SECT_SLOTS; i++) {
		s = &f->h.sect[i];
		n = (uint64_t)s->count * s->entsize;
		if (!n || s->offset + n > size || n > FZ_SECT_MAX)
			continue;
		f->sec[i] = malloc(n);
		memcpy(f->sec[i], img + s->offset, n);
		f->bytes[i] = (uint32_t)n;
	}
}

static uint32_t fz_es(const struct fz_img *f, int id)
{
	if (f->h.sect[id].entsize)
		return f->h.sect[id].entsize;
	return id < VT_SECT_COUNT ? vt_sect_entsize(id) : 1;
}

static uint32_t fz_n(const struct fz_img *f, int id)
{
	return f->bytes[id] / fz_es(f, id);
}

/* Element @i of section @id (NULL if there is none). */
static void *fz_at(struct fz_img *f, int id, uint32_t i)
{
	return i < fz_n(f, id) ? f->sec[id] + (size_t)i * fz_es(f, id) : NULL;
}

/* Append @n zeroed elements to section @id; the first new one, or NULL
 * if the section would grow past FZ_SECT_MAX. */
static void *fz_grow(struct fz_img *f, int id, uint32_t n)
{
	uint32_t es = fz_es(f, id), old = f->bytes[id];
	unsigned char *p;

	if (!f->h.sect[id].entsize)
		f->h.sect[id].entsize = es;
	if (old + (uint64_t)n * es > FZ_SECT_MAX)
		return NULL;
	p = realloc(f->sec[id], old + n * es);
	if (!p)
		return NULL;
	memset(p + old, 0, n * es);
	f->sec[id] = p;
	f->bytes[id] = old + n * es;
	return p + old;
}

/* Add @s to STRTAB (which gets its leading "" if new); its offset. */
static uint32_t fz_str(struct fz_img *f, const char *s)
{
	uint32_t len = (uint32_t)strlen(s) + 1, off;
	char *p;

	if (!f->bytes[VT_SECT_STRTAB] && !fz_grow(f, VT_SECT_STRTAB, 1))
		return 0;
	off = f->bytes[VT_SECT_STRTAB];
	p = fz_grow(f, VT_SECT_STRTAB, len);
	if (!p)
		return 0;
	memcpy(p, s, len);
	return off;
}

/* The image: header, then each section 8-aligned, in slot order. */
static uint32_t fz_encode(struct fz_img *f, unsigned char *out, uint32_t cap)
{
	uint32_t off = (sizeof(f->h) + 7) & ~7u, i, es;

	for (i = 0; i < VT_SECT_SLOTS; i++) {
		es = fz_es(f, i);
		if (!f->bytes[i]) {
			f->h.sect[i].offset = f->h.sect[i].count = 0;
			continue;
		}
		if (off + f->bytes[i] > cap)
			break;
		f->h.sect[i].offset = off;
		f->h.sect[i].count = f->bytes[i] / es;
		memcpy(out + off, f->sec[i], f->bytes[i]);
		off += (f->bytes[i] + 7) & ~7u;
	}
	f->h.size = off;
	memcpy(out, &f->h, sizeof(f->h));
	return off;
}

/* ---------------------------------------------------------- the mutators */

static const uint32_t fz_u32s[] = {
	0, 1, 2, 7, 8, 15, 16, 63, 64, 255, 256, 257, 4095, 4096, 4097,
	65535, 65536, 65537, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	VT_IMAGE_MAX, VT_FRAME_MAX, VT_STRSIZE_MAX + 1, VT_MAP_ENTRIES_MAX,
	VT_MAP_ENTRIES_MAX + 1, VT_SCRATCH_MAX, VT_SCRATCH_MAX + 8,
};

static const int64_t fz_s64s[] = {
	0, 1, -1, 2, 63, 64, 100, 1000, INT32_MAX, INT32_MIN, INT64_MAX,
	INT64_MIN, INT64_MAX / 2, INT64_MIN / 2, INT64_MIN + 1,
};

/* A value near @n: n - 2 .. n + 2, or an interesting one. */
static uint32_t fz_near(uint32_t n)
{
	return fz_below(4) ? n + fz_below(5) - 2 : FZ_PICK(fz_u32s);
}

static void mut_header(struct fz_img *f)
{
	static const uint32_t strsizes[] = { VT_STRSIZE_MIN - 1, VT_STRSIZE_MIN,
		17, 64, 512, 2048, VT_STRSIZE_MAX - 1, VT_STRSIZE_MAX,
		VT_STRSIZE_MAX + 1 };
	static const uint32_t budgets[] = { 0, 1, 2, 10, 1000, 100000,
		10000000, 0x7fffffff, 0xffffffff };
	struct vt_image_hdr *h = &f->h;

	switch (fz_below(8)) {
	case 0: h->strsize = FZ_PICK(strsizes); break;
	case 1: h->budget = FZ_PICK(budgets); break;
	case 2: h->maxerrors = fz_below(2) ? fz_below(3) : FZ_PICK(fz_u32s); break;
	case 3: h->maxnesting = fz_near(VT_NESTING_MAX * fz_below(2)); break;
	case 4: h->scratch = fz_below(2) ? fz_near(VT_SCRATCH_MAX) :
			     8 * fz_below(512); break;
	case 5: h->target_pid = (int32_t)FZ_PICK(fz_u32s); break;
	case 6: h->nstacks = fz_below(2) ? fz_near(VT_STACKS_MAX) :
			     fz_below(64); break;
	default: h->reserved[fz_below(2)] = 1u << fz_below(32); break;
	}
}

static void mut_units(struct fz_img *f)
{
	uint32_t n = fz_n(f, VT_SECT_UNITS), i = fz_below(n), j = fz_below(n);
	struct vt_unit_desc *u = fz_at(f, VT_SECT_UNITS, i), *v, tmp;
	__u32 *sig;

	if (!u)
		return;
	v = fz_at(f, VT_SECT_UNITS, j);
	switch (fz_below(9)) {
	case 0:	/* j starts inside i */
		if (i != j) {
			v->code = u->code + fz_below(u->ncode);
			v->ncode = 1 + fz_below(u->ncode + 4);
		}
		break;
	case 1:	/* a new unit inside i (and its signature) */
		v = fz_grow(f, VT_SECT_UNITS, 1);
		if (!v)
			break;
		u = fz_at(f, VT_SECT_UNITS, i);
		*v = *u;
		v->code = u->code + fz_below(u->ncode);
		v->ncode = 1 + fz_below(u->code + u->ncode - v->code);
		v->nregs = fz_below(2) ? 256 : fz_below(8);
		v->nslots = fz_below(2) ? 256 : fz_below(8);
		if (f->bytes[VT_SECT_USIGS] && (sig = fz_grow(f, VT_SECT_USIGS, 1)))
			*sig = fz_below(2) ? 0 : fz_str(f, "l");
		break;
	case 2:	/* shift */
		u->code += fz_below(7) - 3;
		u->ncode += fz_below(7) - 3;
		break;
	case 3:	/* frame near the limits */
		u->nregs = (uint16_t)fz_near(fz_below(2) ? 256 : u->nregs);
		u->nslots = (uint16_t)fz_near(fz_below(2) ? 256 : u->nslots);
		break;
	case 4:	/* unsorted */
		tmp = *u;
		*u = *v;
		*v = tmp;
		break;
	case 5:	/* i covers j too */
		if (v->code + v->ncode > u->code)
			u->ncode = v->code + v->ncode - u->code;
		break;
	case 6:	/* a split: i's tail becomes a unit of its own */
		if (u->ncode > 1 && (v = fz_grow(f, VT_SECT_UNITS, 1))) {
			u = fz_at(f, VT_SECT_UNITS, i);
			*v = *u;
			u->ncode = 1 + fz_below(u->ncode - 1);
			v->code = u->code + u->ncode;
			v->ncode -= u->ncode;
			if (f->bytes[VT_SECT_USIGS] &&
			    (sig = fz_grow(f, VT_SECT_USIGS, 1)))
				*sig = 0;
		}
		break;
	case 7:	/* one unit over all of CODE */
		u->code = 0;
		u->ncode = fz_n(f, VT_SECT_CODE);
		break;
	default:
		u->name = fz_below(2) ? FZ_PICK(fz_u32s) : f->bytes[VT_SECT_STRTAB];
		break;
	}
}

/* A pc at or near a unit's edges, or anywhere in CODE. */
static uint32_t unit_pc(struct fz_img *f)
{
	struct vt_unit_desc *u = fz_at(f, VT_SECT_UNITS,
				       fz_below(fz_n(f, VT_SECT_UNITS)));
	uint32_t ncode = fz_n(f, VT_SECT_CODE);

	if (!u || !fz_below(8))
		return fz_below(ncode + 2);
	switch (fz_below(4)) {
	case 0: return u->code;
	case 1: return u->code + u->ncode - fz_below(2);
	case 2: return u->code + u->ncode + 1 - fz_below(3);
	default: return u->code + fz_below(u->ncode + 1);
	}
}

/* A new unit inside [start, end) with a frame unlike its host's (256
 * registers, few slots, or the reverse), run by a probe (begin, end or a
 * timer, so a run round starts it) or called from somewhere. */
static void nested_unit(struct fz_img *f, uint32_t start, uint32_t end)
{
	struct vt_unit_desc *u = fz_grow(f, VT_SECT_UNITS, 1), *host;
	uint32_t idx = fz_n(f, VT_SECT_UNITS) - 1, i;
	struct vt_probe_desc *p;
	struct vt_insn *in;
	__u32 *sig;

	if (!u)
		return;
	u->code = start + (end > start ? fz_below(end - start) : 0);
	u->ncode = 1 + fz_below(end > u->code ? end - u->code + 2 : 4);
	/* half the time up to its host's end, so it ends with a RET */
	for (i = 0; fz_below(2) && (host = fz_at(f, VT_SECT_UNITS, i)) &&
		    i < idx; i++) {
		if (u->code >= host->code && u->code < host->code + host->ncode) {
			u->ncode = host->code + host->ncode - u->code;
			break;
		}
	}
	/* 256 registers and the fewest slots its operands allow (a, b, c
	 * as slot numbers: an over-estimate), so a handler slot of the host
	 * can lie past its frame */
	u->nregs = 256;
	u->nslots = 0;
	for (i = u->code; (in = fz_at(f, VT_SECT_CODE, i)) &&
			  i < u->code + u->ncode; i++) {
		if (in->a >= u->nslots) u->nslots = in->a + 1;
		if (in->b >= u->nslots) u->nslots = in->b + 1;
		if (in->c >= u->nslots) u->nslots = in->c + 1;
	}
	if (fz_below(4) == 0)
		u->nslots = (uint16_t)fz_below(3);
	if (f->bytes[VT_SECT_USIGS] && (sig = fz_grow(f, VT_SECT_USIGS, 1)))
		*sig = 0;
	p = fz_below(4) ? fz_at(f, VT_SECT_PROBES,
				fz_below(fz_n(f, VT_SECT_PROBES))) : NULL;
	if (p) {
		p->unit = idx;
		return;
	}
	in = fz_at(f, VT_SECT_CODE, fz_below(fz_n(f, VT_SECT_CODE)));
	if (in) {
		in->op = VT_OP_CALL;
		in->k = (int32_t)idx;
	}
}

static void mut_handlers(struct fz_img *f)
{
	struct vt_handler_desc *h;
	uint32_t n = fz_n(f, VT_SECT_HANDLERS), t;

	if (!n || fz_below(3) == 0) {
		h = fz_grow(f, VT_SECT_HANDLERS, 1);
		if (!h)
			return;
		/* try range in one unit (or across two), catch in a third */
		h->start = unit_pc(f);
		h->end = fz_below(3) ? h->start + 1 + fz_below(6) : unit_pc(f);
		h->target = unit_pc(f);
		h->slot = (uint16_t)(fz_below(2) ? fz_below(4) : fz_near(256));
		h->flags = fz_below(4) ? VT_HANDLER_F_MSG * fz_below(2) :
			   (uint16_t)fz_rnd();
		return;
	}
	h = fz_at(f, VT_SECT_HANDLERS, fz_below(n));
	switch (fz_below(7)) {
	case 6:	/* a big-frame unit inside the try range, run by a probe */
		nested_unit(f, h->start, h->end);
		break;
	case 0: h->start = unit_pc(f); break;
	case 1: h->end = unit_pc(f); break;
	case 2: h->target = unit_pc(f); break;
	case 3: h->slot = (uint16_t)fz_near(fz_below(2) ? h->slot : 256); break;
	case 4: /* target inside the range it covers */
		h->target = h->start + fz_below(h->end - h->start + 1);
		break;
	default: /* the first one wins: put this one first */
		t = fz_below(n);
		if (t != 0) {
			struct vt_handler_desc tmp = *h;

			*h = *(struct vt_handler_desc *)fz_at(f, VT_SECT_HANDLERS, 0);
			*(struct vt_handler_desc *)fz_at(f, VT_SECT_HANDLERS, 0) = tmp;
		}
		break;
	}
}

/* Format text: conversions with long widths and precisions, %m/%M, many
 * arguments, long plain text; @sig receives a signature that matches. */
static void gen_format(char *text, size_t cap, char *sig, size_t sigcap)
{
	static const char convs[] = "dixXuoscpmMb%";
	static const char *const flags[] = { "", "-", "0", "+", " ", "#", "-0+ #" };
	static const char *const widths[] = { "", "1", "20", "255", "4095",
		"4096", "65535", "65536", "99999999", "*" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4095",
		".4096", ".65535", ".65536", ".99999999", ".*" };
	size_t t = 0, s = 0, k;
	unsigned int nconv = fz_below(4) ? 1 + fz_below(4) :
			     fz_below(VT_FORMAT_ARGS_MAX + 4), i;
	const char *w, *p;
	char c;

	for (i = 0; i < nconv && t + 48 < cap && s + 3 < sigcap; i++) {
		if (fz_below(3) == 0)
			for (k = fz_below(4) ? fz_below(8) : fz_below(cap / 2);
			     k && t + 48 < cap; k--)
				text[t++] = (char)('a' + fz_below(26));
		c = convs[fz_below(sizeof(convs) - 1)];
		if (fz_below(16) == 0)
			c = (char)(' ' + fz_below(95));	/* unknown */
		w = FZ_PICK(widths);
		p = FZ_PICK(precs);
		t += (size_t)snprintf(text + t, cap - t, "%%%s%s%s%s%c",
				      FZ_PICK(flags), w, p,
				      fz_below(8) ? "" : (fz_below(2) ? "l" : "ll"),
				      c);
		if (*w == '*')
			sig[s++] = 'l';
		if (*p && p[1] == '*')
			sig[s++] = 'l';
		if (c == 's')
			sig[s++] = 's';
		else if (c != '%' && strchr(convs, c))
			sig[s++] = 'l';
	}
	if (fz_below(8) == 0 && t + 1 < cap)
		text[t++] = '%';	/* a trailing % */
	text[t] = 0;
	sig[s] = 0;
}

static void mut_formats(struct fz_img *f)
{
	static char text[8192], sig[64];
	struct vt_format_desc *d;
	struct vt_insn *in;
	uint32_t n, i;

	gen_format(text, fz_below(4) ? 256 : sizeof(text), sig, sizeof(sig));
	if (fz_below(8) == 0 && sig[0])
		sig[fz_below((uint32_t)strlen(sig))] ^= 'l' ^ 's';
	n = fz_n(f, VT_SECT_FORMATS);
	if (n && fz_below(2)) {
		d = fz_at(f, VT_SECT_FORMATS, fz_below(n));
		d->text = fz_str(f, text);
		if (fz_below(4))
			d->sig = fz_str(f, sig);
		return;
	}
	d = fz_grow(f, VT_SECT_FORMATS, 1);
	if (!d)
		return;
	d->text = fz_str(f, text);
	d->sig = fz_str(f, sig);
	/* point a PRINTF or SPRINTF at it */
	for (i = 0; i < 8; i++) {
		in = fz_at(f, VT_SECT_CODE, fz_below(fz_n(f, VT_SECT_CODE)));
		if (in && (in->op == VT_OP_PRINTF || in->op == VT_OP_SPRINTF)) {
			in->k = (int32_t)fz_n(f, VT_SECT_FORMATS) - 1;
			break;
		}
	}
}

/* The size of the table k indexes for opcode @op, for k near its end. */
static uint32_t k_limit(struct fz_img *f, uint8_t op)
{
	switch (op) {
	case VT_OP_LDC: return fz_n(f, VT_SECT_CONSTS);
	case VT_OP_GLD: case VT_OP_GST: return fz_n(f, VT_SECT_LGLOBALS);
	case VT_OP_SGLD: case VT_OP_SGST: return fz_n(f, VT_SECT_SGLOBALS);
	case VT_OP_SLDC: return f->bytes[VT_SECT_STRTAB];
	case VT_OP_PRINTF: case VT_OP_SPRINTF: return fz_n(f, VT_SECT_FORMATS);
	case VT_OP_CALLH: return VT_HELPER_COUNT;
	case VT_OP_CALL: return fz_n(f, VT_SECT_UNITS);
	case VT_OP_MATCH: return fz_n(f, VT_SECT_DFAS);
	case VT_OP_ITINIT: return fz_n(f, VT_SECT_ITERS);
	default: return fz_n(f, VT_SECT_MAPS);
	}
}

static void mut_code(struct fz_img *f)
{
	uint32_t n = fz_n(f, VT_SECT_CODE), pc = fz_below(n), lim;
	struct vt_insn *in = fz_at(f, VT_SECT_CODE, pc), *src;
	uint8_t *reg;

	if (!in)
		return;
	switch (fz_below(8)) {
	case 0: case 1:	/* a register or slot operand near a limit */
		reg = fz_below(3) == 0 ? &in->a : fz_below(2) ? &in->b : &in->c;
		*reg = (uint8_t)(fz_below(2) ? fz_near(*reg) : 255 - fz_below(3));
		break;
	case 2:	/* k near the end of its table */
		lim = k_limit(f, in->op);
		in->k = (int32_t)(fz_below(4) ? lim - 1 + fz_below(3) :
				  FZ_PICK(fz_u32s));
		if (in->op == VT_OP_SGET && fz_below(2))
			in->k = (int32_t)VT_AGG_K(fz_below(lim + 1),
					fz_below(VT_AGG_COUNT_ + 2));
		break;
	case 3:	/* a jump to a unit's edge */
		in->op = (uint8_t)FZ_PICK(((const int[]){ VT_OP_JMP, VT_OP_JZ,
			VT_OP_JNZ, VT_OP_ITNEXT }));
		in->k = (int32_t)unit_pc(f) - (int32_t)pc - 1;
		break;
	case 4:	/* another opcode, same operands */
		in->op = (uint8_t)fz_below(VT_OP_COUNT + 1);
		break;
	case 5:	/* a unit's last instruction falls through */
		if (in->op == VT_OP_RET || in->op == VT_OP_RETL ||
		    in->op == VT_OP_RETS)
			in->op = VT_OP_NOP;
		else
			in->k = (int32_t)fz_rnd();
		break;
	case 6:	/* copy an instruction from elsewhere */
		src = fz_at(f, VT_SECT_CODE, fz_below(n));
		*in = *src;
		break;
	default: /* a call to a unit near the end of UNITS, or a helper */
		if (fz_below(2)) {
			in->op = VT_OP_CALL;
			in->k = (int32_t)fz_near(fz_n(f, VT_SECT_UNITS) - 1);
		} else {
			in->op = VT_OP_CALLH;
			in->k = (int32_t)fz_below(VT_HELPER_COUNT + 2);
		}
		break;
	}
}

/* A how word for _deref: valid (VT_DEREF_HOW) or just not. */
static int32_t fz_deref_how(void)
{
	static const uint32_t sizes[] = { 1, 2, 4, 8, 0, 3, 16 };
	static const int32_t odd[] = { 0x40, 0x100, INT32_MIN, -1 };
	int32_t how = (int32_t)VT_DEREF_HOW(FZ_PICK(sizes), fz_below(2),
					    fz_below(2));

	return fz_below(4) ? how : how | FZ_PICK(odd);
}

/*
 * Three instructions of a unit: r = an address (a new constant), r+1 =
 * a how word, CALLH _deref.  The unit's last instruction stays.
 */
static void mut_deref(struct fz_img *f)
{
	static const int64_t addrs[] = {
		(int64_t)0xffffffff81000000ull,	/* kernel text */
		(int64_t)0xffff888000000000ull,	/* direct map, page 0 */
		(int64_t)0xffff888000100000ull,
		(int64_t)0xffffc90000000000ull,	/* vmalloc */
		(int64_t)0xffffffffff5fc000ull,	/* fixmap: APIC, MMIO */
		(int64_t)0xffffffffff600000ull,	/* vsyscall page */
		0x400000, 0x7ffffffff000, 0, -8, -1, 4096,
	};
	struct vt_unit_desc *u = fz_at(f, VT_SECT_UNITS,
				       fz_below(fz_n(f, VT_SECT_UNITS)));
	uint32_t nc = fz_n(f, VT_SECT_CONSTS), pc;
	struct vt_insn *in;
	int64_t *c;
	uint8_t r;

	if (!u || u->ncode < 4 || u->nregs < 2 ||
	    u->code > fz_n(f, VT_SECT_CODE) ||
	    u->ncode > fz_n(f, VT_SECT_CODE) - u->code)
		return;	/* a mutated unit past CODE */
	pc = u->code + fz_below(u->ncode - 3);
	in = fz_at(f, VT_SECT_CODE, pc);
	if (!in || !fz_at(f, VT_SECT_CODE, pc + 2) ||
	    !(c = fz_grow(f, VT_SECT_CONSTS, 1)))
		return;
	*c = FZ_PICK(addrs) + (int64_t)fz_below(2) * 4094;
	r = (uint8_t)fz_below(u->nregs - 1);
	in[0] = (struct vt_insn){ .op = VT_OP_LDC, .a = r, .k = (int32_t)nc };
	in[1] = (struct vt_insn){ .op = VT_OP_LDI, .a = (uint8_t)(r + 1),
				  .k = fz_deref_how() };
	in[2] = (struct vt_insn){ .op = VT_OP_CALLH, .a = r, .b = r,
				  .k = VT_HELPER__deref };
}

static void mut_maps(struct fz_img *f)
{
	static const char *const sigs[] = { "", "l", "s", "ls", "sl",
		"lllllllll", "ssssssssss", "sssssssss", "x", "lx" };
	uint32_t n = fz_n(f, VT_SECT_MAPS);
	struct vt_map_desc *m;

	if (n && fz_below(4)) {
		m = fz_at(f, VT_SECT_MAPS, fz_below(n));
	} else {	/* a new, valid map: long values, one long key */
		uint32_t name = fz_str(f, "fz"), keysig = fz_str(f, "l");

		m = fz_grow(f, VT_SECT_MAPS, 1);
		if (!m)
			return;
		m->name = name;
		m->keysig = keysig;
		m->max_entries = 16;
		if (fz_below(2))
			return;
	}
	switch (fz_below(7)) {
	case 0: m->keysig = fz_str(f, FZ_PICK(sigs)); break;
	case 1: m->max_entries = fz_below(2) ? fz_near(VT_MAP_ENTRIES_MAX) :
				 FZ_PICK(fz_u32s); break;
	case 2: m->vkind = (uint8_t)fz_below(VT_MAPV_STAT + 2); break;
	case 3:
		m->hist = (uint8_t)fz_below(VT_HIST_LINEAR + 2);
		m->nbuckets = fz_below(2) ? fz_near(VT_HIST_LOG_BUCKETS) :
			      fz_near(VT_HIST_BUCKETS_MAX);
		break;
	case 4:
		m->hstart = FZ_PICK(fz_s64s);
		m->hstop = FZ_PICK(fz_s64s);
		m->hinterval = FZ_PICK(fz_s64s);
		break;
	case 5: m->flags = (uint16_t)(fz_below(2) ? VT_MAP_F_WRAP : fz_rnd()); break;
	default: m->stackrefs = fz_below(2) ? VT_MAP_STACKREF_VALUE :
				1u << fz_below(32); break;
	}
}

/* The rest: foreach sites, DFAs, lines, signatures, globals, autoprint,
 * constants, probes, the string table. */
static void mut_misc(struct fz_img *f)
{
	static const char *const usigs[] = { "", "v", "l", "s", "lls", "vs",
		"x", "lllllllllllllllllllllllllllllllllllllllllllllllllll" };
	struct vt_iter_desc *it;
	struct vt_dfa_desc *d;
	struct vt_line_desc *l;
	struct vt_global_desc *g;
	struct vt_probe_desc *p;
	__u32 *w;
	__s64 *c;
	unsigned char *b;

	switch (fz_below(10)) {
	case 0:
		if ((it = fz_at(f, VT_SECT_ITERS, fz_below(fz_n(f, VT_SECT_ITERS))))) {
			it->map = fz_near(fz_n(f, VT_SECT_MAPS));
			it->sort = (uint8_t)(fz_below(2) ? fz_below(11) : 0xff);
			it->dir = (int8_t)(fz_below(4) - 1);
			it->agg = (uint8_t)fz_below(VT_AGG_COUNT_ + 2);
		}
		break;
	case 1:
		if ((d = fz_at(f, VT_SECT_DFAS, fz_below(fz_n(f, VT_SECT_DFAS))))) {
			uint32_t dd = f->bytes[VT_SECT_DFADATA];

			switch (fz_below(4)) {
			case 0: d->nstates = (uint16_t)fz_near(d->nstates); break;
			case 1: d->nclasses = (uint16_t)fz_near(d->nclasses); break;
			case 2: d->table = fz_near(dd); break;
			default: d->accept = dd - fz_below(4); break;
			}
		} else if ((b = fz_at(f, VT_SECT_DFADATA,
				      fz_below(f->bytes[VT_SECT_DFADATA])))) {
			*b = (unsigned char)fz_rnd();	/* a state or class */
		}
		break;
	case 2:
		if ((l = fz_at(f, VT_SECT_LINES, fz_below(fz_n(f, VT_SECT_LINES))))) {
			l->pc = fz_near(fz_n(f, VT_SECT_CODE));
			if (fz_below(2))
				l->file = fz_near(f->bytes[VT_SECT_STRTAB]);
		}
		break;
	case 3:
		if (!f->bytes[VT_SECT_USIGS] && fz_n(f, VT_SECT_UNITS))
			fz_grow(f, VT_SECT_USIGS, fz_n(f, VT_SECT_UNITS));
		if ((w = fz_at(f, VT_SECT_USIGS, fz_below(fz_n(f, VT_SECT_USIGS)))))
			*w = fz_str(f, FZ_PICK(usigs));
		break;
	case 4:
		g = fz_at(f, fz_below(2) ? VT_SECT_LGLOBALS : VT_SECT_SGLOBALS, 0);
		if (g)
			g->init = fz_below(2) ? FZ_PICK(fz_s64s) :
				  fz_near(f->bytes[VT_SECT_STRTAB]);
		break;
	case 5:
		if (!(w = fz_at(f, VT_SECT_AUTOPRINT, 0)))
			w = fz_grow(f, VT_SECT_AUTOPRINT, 1);
		if (w)
			*w = VT_AUTOPRINT(fz_below(4), fz_below(8));
		break;
	case 6:
		if ((c = fz_at(f, VT_SECT_CONSTS, fz_below(fz_n(f, VT_SECT_CONSTS)))))
			*c = FZ_PICK(fz_s64s);
		break;
	case 7:	/* a probe: another unit, a short or odd period, flags */
		if ((p = fz_at(f, VT_SECT_PROBES, fz_below(fz_n(f, VT_SECT_PROBES))))) {
			if (fz_below(8) == 0)
				p->flags ^= FZ_PICK(((const uint32_t[]){
					VT_PROBE_F_OPTIONAL, VT_PROBE_F_WILDCARD,
					VT_PROBE_F_ARGS, 0x8 }));
			else if (fz_below(2))
				p->unit = fz_near(fz_n(f, VT_SECT_UNITS) - 1);
			else if (p->type == VT_PROBE_TIMER)
				p->period_ns = FZ_PICK(((const uint64_t[]){ 0,
					1, 99999, 100000, 1000000, ~0ull }));
			else
				p->type = fz_below(VT_PROBE_TYPE_COUNT + 1);
		}
		break;
	case 8:	/* the string table loses its last NUL */
		if ((b = fz_at(f, VT_SECT_STRTAB, f->bytes[VT_SECT_STRTAB] - 1)))
			*b = 'x';
		break;
	default: /* a string global or a map name far into STRTAB */
		if ((g = fz_at(f, VT_SECT_SGLOBALS, 0)))
			g->name = fz_near(f->bytes[VT_SECT_STRTAB]);
		break;
	}
}

/* One structural mutation. */
static void fz_mutate(struct fz_img *f)
{
	switch (fz_below(16)) {
	case 0: mut_header(f); break;
	case 1: case 2: case 3: mut_units(f); break;
	case 4: case 5: case 6: mut_handlers(f); break;
	case 7: case 8: mut_code(f); break;
	case 9: fz_below(2) ? mut_code(f) : mut_deref(f); break;
	case 10: case 11: mut_formats(f); break;
	case 12: case 13: mut_maps(f); break;
	default: mut_misc(f); break;
	}
}

/*
 * Before a run: probes that need events (kprobes, tracepoints, perf,
 * uprobes, process probes) become timers (1, 10 or 100 ms) or begin/end,
 * at most 8 timers, so an accepted image can be started safely and the
 * units written for those events run in timer context.
 */
static void fz_make_safe(struct fz_img *f)
{
	struct vt_probe_desc *p;
	uint32_t i, timers = 0;

	for (i = 0; (p = fz_at(f, VT_SECT_PROBES, i)); i++) {
		if (p->type == VT_PROBE_BEGIN || p->type == VT_PROBE_END ||
		    p->type == VT_PROBE_ERROR)
			continue;
		if (p->type != VT_PROBE_TIMER || timers >= 8) {
			p->type = timers >= 8 ? VT_PROBE_BEGIN + fz_below(2) :
				  VT_PROBE_TIMER;
			p->target = p->flags = p->event_id = 0;
			p->offset = 0;
			p->pid = 0;
			p->period_ns = 1000000ull * FZ_PICK(((const uint32_t[]){
				1, 10, 100 }));
		}
		if (p->type == VT_PROBE_TIMER)
			timers++;
	}
}

/* True if every probe of the image is begin, end, error or a timer of
 * at least 100 us, at most 8 of them: safe to START in the fuzz loop. */
static int fz_safe_to_start(const unsigned char *img, uint32_t size)
{
	const struct vt_image_hdr *h = (const void *)img;
	const struct vt_section *s;
	const struct vt_probe_desc *p;
	uint32_t i, timers = 0;

	if (size < sizeof(*h))
		return 0;
	s = &h->sect[VT_SECT_PROBES];
	if (s->entsize != sizeof(*p) ||
	    s->offset + (uint64_t)s->count * sizeof(*p) > size)
		return 0;
	for (i = 0; i < s->count; i++) {
		p = (const void *)(img + s->offset + i * sizeof(*p));
		if (p->type == VT_PROBE_TIMER && p->period_ns >= 100000 &&
		    ++timers <= 8)
			continue;
		if (p->type != VT_PROBE_BEGIN && p->type != VT_PROBE_END &&
		    p->type != VT_PROBE_ERROR)
			return 0;
	}
	return 1;
}

#endif /* VT_TEST_FUZZ_MUTATE_H */
