// SPDX-License-Identifier: GPL-2.0-only
/* imgbuild.c - see imgbuild.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imgbuild.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "imgbuild: out of memory\n");
		abort();
	}
	return p;
}

/* Append one element to a growable array (capacity = next power of 2). */
#define PUSH(arr, count, val) do {					\
	if (((count) & ((count) - 1)) == 0)				\
		(arr) = xrealloc((arr), sizeof(*(arr)) *		\
				 ((count) ? (count) * 2 : 1));		\
	(arr)[(count)] = (val);						\
	(count)++;							\
} while (0)

struct imgb *imgb_new(void)
{
	struct imgb *b = xrealloc(NULL, sizeof(*b));

	memset(b, 0, sizeof(*b));
	b->strsize = 64;
	b->budget = 10000;
	b->strtab = xrealloc(NULL, 1);
	b->strtab[0] = '\0';
	b->strtab_size = 1;
	return b;
}

void imgb_free(struct imgb *b)
{
	if (!b)
		return;
	free(b->code);
	free(b->units);
	free(b->consts);
	free(b->strtab);
	free(b->lglobals);
	free(b->sglobals);
	free(b->probes);
	free(b->formats);
	free(b->lines);
	free(b->usigs);
	free(b->handlers);
	free(b->maps);
	free(b->iters);
	free(b->autoprint);
	free(b);
}

u32 imgb_raw_str(struct imgb *b, const void *bytes, u32 len)
{
	u32 off = b->strtab_size;

	b->strtab = xrealloc(b->strtab, b->strtab_size + len);
	memcpy(b->strtab + off, bytes, len);
	b->strtab_size += len;
	return off;
}

u32 imgb_str(struct imgb *b, const char *s)
{
	size_t n = strlen(s);
	u32 off;

	if (!n)
		return 0;
	for (off = 0; off + n < b->strtab_size; off++)
		if (!memcmp(b->strtab + off, s, n + 1) &&
		    (off == 0 || !b->strtab[off - 1]))
			return off;
	return imgb_raw_str(b, s, (u32)n + 1);
}

u32 imgb_const(struct imgb *b, s64 value)
{
	PUSH(b->consts, b->nconsts, value);
	return b->nconsts - 1;
}

u32 imgb_lglobal(struct imgb *b, const char *name, s64 init)
{
	struct vt_global_desc g = { .name = imgb_str(b, name), .init = init };

	PUSH(b->lglobals, b->nlglobals, g);
	return b->nlglobals - 1;
}

u32 imgb_sglobal(struct imgb *b, const char *name, const char *init)
{
	struct vt_global_desc g = { .name = imgb_str(b, name) };

	g.init = imgb_str(b, init);
	PUSH(b->sglobals, b->nsglobals, g);
	return b->nsglobals - 1;
}

u32 imgb_format(struct imgb *b, const char *text, const char *sig)
{
	struct vt_format_desc f = { .text = imgb_str(b, text) };

	f.sig = imgb_str(b, sig);
	PUSH(b->formats, b->nformats, f);
	return b->nformats - 1;
}

u32 imgb_insn(struct imgb *b, u8 op, u8 a, u8 b_, u8 c, s32 k)
{
	struct vt_insn in = { .op = op, .a = a, .b = b_, .c = c, .k = k };

	PUSH(b->code, b->ncode, in);
	return b->ncode - 1;
}

u32 imgb_unit(struct imgb *b, u32 code, u32 ncode, u16 nregs, u16 nslots,
	      const char *name)
{
	struct vt_unit_desc u = {
		.code = code, .ncode = ncode, .nregs = nregs, .nslots = nslots,
	};

	u.name = imgb_str(b, name);
	PUSH(b->units, b->nunits, u);
	return b->nunits - 1;
}

void imgb_unit_begin(struct imgb *b)
{
	b->unit_start = b->ncode;
}

u32 imgb_unit_end(struct imgb *b, u16 nregs, u16 nslots, const char *name)
{
	return imgb_unit(b, b->unit_start, b->ncode - b->unit_start, nregs,
			 nslots, name);
}

u32 imgb_probe(struct imgb *b, u32 type, u32 unit, const char *target,
	       const char *point, u32 flags, u64 period_ns)
{
	struct vt_probe_desc p = {
		.type = type, .unit = unit, .flags = flags,
		.period_ns = period_ns,
	};

	p.target = imgb_str(b, target);
	p.point = imgb_str(b, point);
	PUSH(b->probes, b->nprobes, p);
	return b->nprobes - 1;
}

u32 imgb_line(struct imgb *b, u32 pc, const char *file, u32 line, u32 col)
{
	struct vt_line_desc l = { .pc = pc, .line = line, .col = col };

	l.file = imgb_str(b, file);
	PUSH(b->lines, b->nlines, l);
	return b->nlines - 1;
}

u32 imgb_handler(struct imgb *b, u32 start, u32 end, u32 target, u16 slot,
		 u16 flags)
{
	struct vt_handler_desc h = {
		.start = start, .end = end, .target = target, .slot = slot,
		.flags = flags,
	};

	PUSH(b->handlers, b->nhandlers, h);
	return b->nhandlers - 1;
}

u32 imgb_map(struct imgb *b, const char *name, const char *keysig,
	     u32 max_entries, u8 vkind)
{
	struct vt_map_desc d = {
		.max_entries = max_entries, .vkind = vkind,
	};

	d.name = imgb_str(b, name);
	d.keysig = imgb_str(b, keysig);
	PUSH(b->maps, b->nmaps, d);
	return b->nmaps - 1;
}

void imgb_map_hist(struct imgb *b, u32 m, u8 hist, s64 start, s64 stop,
		   s64 interval)
{
	struct vt_map_desc *d = &b->maps[m];

	d->hist = hist;
	if (hist == VT_HIST_LOG) {
		d->nbuckets = VT_HIST_LOG_BUCKETS;
		return;
	}
	d->hstart = start;
	d->hstop = stop;
	d->hinterval = interval;
	d->nbuckets = (u32)((stop - start) / interval + 3);
}

u32 imgb_iter(struct imgb *b, u32 map, u8 sort, s8 dir, u8 agg)
{
	struct vt_iter_desc it = {
		.map = map, .sort = sort, .dir = dir, .agg = agg,
	};

	PUSH(b->iters, b->niters, it);
	return b->niters - 1;
}

u32 imgb_autoprint(struct imgb *b, u32 kind, u32 index)
{
	u32 e = VT_AUTOPRINT(kind, index);

	PUSH(b->autoprint, b->nautoprint, e);
	return b->nautoprint - 1;
}

void imgb_usig(struct imgb *b, u32 unit, const char *sig)
{
	u32 off = imgb_str(b, sig), zero = 0;

	while (b->nusigs <= unit)
		PUSH(b->usigs, b->nusigs, zero);
	b->usigs[unit] = off;
}

void *imgb_finish(const struct imgb *b, u32 *size)
{
	const void *data[VT_SECT_COUNT] = {
		b->code, b->units, b->consts, b->strtab, b->lglobals,
		b->sglobals, b->probes, b->formats, b->lines, b->usigs,
		b->handlers, b->dfas, b->dfadata, b->maps, b->iters,
		b->autoprint,
	};
	const u32 count[VT_SECT_COUNT] = {
		b->ncode, b->nunits, b->nconsts, b->strtab_size, b->nlglobals,
		b->nsglobals, b->nprobes, b->nformats, b->nlines, b->nusigs,
		b->nhandlers, b->ndfas, b->ndfadata, b->nmaps, b->niters,
		b->nautoprint,
	};
	const u32 entsize[VT_SECT_COUNT] = {
		sizeof(struct vt_insn), sizeof(struct vt_unit_desc),
		sizeof(s64), 1, sizeof(struct vt_global_desc),
		sizeof(struct vt_global_desc), sizeof(struct vt_probe_desc),
		sizeof(struct vt_format_desc), sizeof(struct vt_line_desc),
		sizeof(u32), sizeof(struct vt_handler_desc),
		sizeof(struct vt_dfa_desc), 1, sizeof(struct vt_map_desc),
		sizeof(struct vt_iter_desc), sizeof(u32),
	};
	struct vt_image_hdr *h;
	u32 off = (sizeof(*h) + 7) & ~7u, i;
	u8 *img;

	for (i = 0; i < VT_SECT_COUNT; i++)
		off = ((off + count[i] * entsize[i]) + 7) & ~7u;
	img = aligned_alloc(8, off);
	if (!img)
		abort();
	memset(img, 0, off);
	h = (struct vt_image_hdr *)img;
	h->magic = VT_IMAGE_MAGIC;
	h->version = VT_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->size = off;
	h->strsize = b->strsize;
	h->budget = b->budget;
	h->maxnesting = b->maxnesting;
	h->scratch = b->scratch;
	h->target_pid = b->target_pid;
	off = (sizeof(*h) + 7) & ~7u;	/* sections are 8-aligned */
	for (i = 0; i < VT_SECT_COUNT; i++) {
		h->sect[i].offset = off;
		h->sect[i].count = count[i];
		h->sect[i].entsize = entsize[i];
		if (count[i])
			memcpy(img + off, data[i], count[i] * entsize[i]);
		off = ((off + count[i] * entsize[i]) + 7) & ~7u;
	}
	*size = h->size;
	return img;
}
