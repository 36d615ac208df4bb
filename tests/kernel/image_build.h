/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * image_build.h - the small image builder the guest test programs
 * (ioctl_load.c, ioctl_snapshot.c) share: a string table and a header
 * followed by 8-aligned sections.  Header-only: each test program is
 * one .c file built on its own.
 */
#ifndef VT_TEST_IMAGE_BUILD_H
#define VT_TEST_IMAGE_BUILD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtrace_uapi.h"

static char strtab[8192];
static __u32 strtab_len = 1;

/* @s added to strtab; its offset.  Exits 2 when the table is full. */
static __u32 str(const char *s)
{
	__u32 off = strtab_len;

	if (strlen(s) + 8 >= sizeof(strtab) - strtab_len) {
		fprintf(stderr, "string table full\n");
		exit(2);
	}
	strcpy(strtab + off, s);
	strtab_len += strlen(s) + 1;
	return off;
}

struct sect {
	const void *data;
	__u32 count, entsize;
};

/* Header + sections (s[VT_SECT_COUNT]), each 8-aligned, in a fresh
 * buffer at *out; returns its size.  strsize 64. */
static __u32 build(void **out, const struct sect *s, __u32 budget,
		   __u32 maxerrors)
{
	struct vt_image_hdr h = { 0 };
	__u32 off = (sizeof(h) + 7) & ~7u, i;
	char *img;

	for (i = 0; i < VT_SECT_COUNT; i++) {
		if (!s[i].count)
			continue;
		h.sect[i].offset = off;
		h.sect[i].count = s[i].count;
		h.sect[i].entsize = s[i].entsize;
		off += (s[i].count * s[i].entsize + 7) & ~7u;
	}
	img = calloc(1, off);
	if (!img)
		exit(2);
	h.magic = VT_IMAGE_MAGIC;
	h.version = VT_ABI_VERSION;
	h.hdr_size = sizeof(h);
	h.size = off;
	h.strsize = 64;
	h.budget = budget;
	h.maxerrors = maxerrors;
	memcpy(img, &h, sizeof(h));
	for (i = 0; i < VT_SECT_COUNT; i++)
		if (s[i].count)
			memcpy(img + h.sect[i].offset, s[i].data,
			       s[i].count * s[i].entsize);
	*out = img;
	return off;
}

#endif /* VT_TEST_IMAGE_BUILD_H */
