// SPDX-License-Identifier: GPL-2.0-only
/*
 * image.c - lay a cprog out as a program image (vm/vtrace_uapi.h): the
 * header, then each non-empty section at an 8-aligned offset in section
 * id order.  Empty sections stay all-zero in the header.
 */
#include <stdlib.h>
#include <string.h>

#include "codegen.h"

struct sect_src {
	const void *data;
	uint32_t count, entsize;
};

int image_build(const struct cprog *p, uint32_t budget, uint32_t maxerrors,
		void **data, size_t *len)
{
	const struct sect_src src[VT_SECT_COUNT] = {
		[VT_SECT_CODE] = { p->code, p->ncode, sizeof(struct vt_insn) },
		[VT_SECT_UNITS] = { p->units, p->nunits,
				    sizeof(struct vt_unit_desc) },
		[VT_SECT_CONSTS] = { p->consts, p->nconsts, sizeof(int64_t) },
		[VT_SECT_STRTAB] = { p->strtab, p->nstrtab, 1 },
		[VT_SECT_LGLOBALS] = { p->lglobals, p->nlglobals,
				       sizeof(struct vt_global_desc) },
		[VT_SECT_SGLOBALS] = { p->sglobals, p->nsglobals,
				       sizeof(struct vt_global_desc) },
		[VT_SECT_PROBES] = { p->probes, p->nprobes,
				     sizeof(struct vt_probe_desc) },
		[VT_SECT_FORMATS] = { p->formats, p->nformats,
				      sizeof(struct vt_format_desc) },
		[VT_SECT_LINES] = { p->lines, p->nlines,
				    sizeof(struct vt_line_desc) },
		[VT_SECT_USIGS] = { p->usigs, p->nusigs, sizeof(uint32_t) },
		[VT_SECT_HANDLERS] = { p->handlers, p->nhandlers,
				       sizeof(struct vt_handler_desc) },
		[VT_SECT_DFAS] = { p->dfas, p->ndfas,
				   sizeof(struct vt_dfa_desc) },
		[VT_SECT_DFADATA] = { p->dfadata, p->ndfadata, 1 },
		[VT_SECT_MAPS] = { p->maps, p->nmaps,
				   sizeof(struct vt_map_desc) },
		[VT_SECT_ITERS] = { p->iters, p->niters,
				    sizeof(struct vt_iter_desc) },
		[VT_SECT_AUTOPRINT] = { p->autoprint, p->nautoprint,
					sizeof(uint32_t) },
	};
	struct vt_image_hdr *h;
	uint64_t size = sizeof(*h);
	uint32_t off[VT_SECT_COUNT] = { 0 };
	char *blob;

	*data = NULL;
	*len = 0;
	for (int i = 0; i < VT_SECT_COUNT; i++) {
		if (!src[i].count)
			continue;
		size = (size + 7) & ~(uint64_t)7;
		off[i] = (uint32_t)size;
		size += (uint64_t)src[i].count * src[i].entsize;
		if (size > VT_IMAGE_MAX)
			return -1;
	}
	size = (size + 7) & ~(uint64_t)7;
	blob = calloc(1, (size_t)size);
	if (!blob)
		return -1;
	h = (struct vt_image_hdr *)blob;
	h->magic = VT_IMAGE_MAGIC;
	h->version = VT_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->size = (uint32_t)size;
	h->strsize = p->strsize;
	h->budget = budget;
	h->maxerrors = maxerrors;
	h->maxnesting = p->maxnesting;
	h->scratch = p->scratch;
	for (int i = 0; i < VT_SECT_COUNT; i++) {
		if (!src[i].count)
			continue;
		h->sect[i].offset = off[i];
		h->sect[i].count = src[i].count;
		h->sect[i].entsize = src[i].entsize;
		memcpy(blob + off[i], src[i].data,
		       (size_t)src[i].count * src[i].entsize);
	}
	*data = blob;
	*len = (size_t)size;
	return 0;
}
