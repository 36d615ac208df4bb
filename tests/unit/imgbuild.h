/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * imgbuild.h - a small program image builder for tests (and fuzzers).
 *
 * Add strings, constants, globals, formats, instructions, units, probes
 * and lines in any order, then imgb_finish() lays them out as a valid
 * image (header, then each section 8-aligned in enum vt_section_id order)
 * in one malloc'd, 8-aligned block.  The builder never validates: tests
 * build bad programs on purpose.  Allocation failure aborts.
 */
#ifndef IMGBUILD_H
#define IMGBUILD_H

#include "vt_vm.h"

struct imgb {
	struct vt_insn *code;
	u32 ncode;
	struct vt_unit_desc *units;
	u32 nunits;
	s64 *consts;
	u32 nconsts;
	char *strtab;
	u32 strtab_size;
	struct vt_global_desc *lglobals;
	u32 nlglobals;
	struct vt_global_desc *sglobals;
	u32 nsglobals;
	struct vt_probe_desc *probes;
	u32 nprobes;
	struct vt_format_desc *formats;
	u32 nformats;
	struct vt_line_desc *lines;
	u32 nlines;
	u32 strsize;		/* default 64 */
	u32 budget;		/* default 10000 */
	u32 unit_start;		/* set by imgb_unit_begin() */
	u32 *usigs;		/* USIGS: absent unless imgb_usig() ran */
	u32 nusigs;
	u32 maxnesting;		/* header maxnesting, default 0 */
	struct vt_handler_desc *handlers;
	u32 nhandlers;
	struct vt_dfa_desc *dfas;	/* not owned: set by the test */
	u32 ndfas;
	u8 *dfadata;			/* not owned */
	u32 ndfadata;
	struct vt_map_desc *maps;
	u32 nmaps;
	struct vt_iter_desc *iters;
	u32 niters;
	u32 *autoprint;
	u32 nautoprint;
	u32 scratch;		/* header scratch, default 0 */
	s32 target_pid;		/* header target_pid, default 0 */
};

struct imgb *imgb_new(void);
void imgb_free(struct imgb *b);

/* Strtab offset of @s, added if new ("" is offset 0). */
u32 imgb_str(struct imgb *b, const char *s);
/* Append raw bytes to STRTAB (no NUL added); returns their offset. */
u32 imgb_raw_str(struct imgb *b, const void *bytes, u32 len);
u32 imgb_const(struct imgb *b, s64 value);
u32 imgb_lglobal(struct imgb *b, const char *name, s64 init);
u32 imgb_sglobal(struct imgb *b, const char *name, const char *init);
u32 imgb_format(struct imgb *b, const char *text, const char *sig);

/* Append one instruction; returns its CODE index. */
u32 imgb_insn(struct imgb *b, u8 op, u8 a, u8 b_, u8 c, s32 k);
/* k for a jump at @from (CODE index) to @to: to - from - 1. */
static inline s32 imgb_rel(u32 from, u32 to)
{
	return (s32)((s64)to - (s64)from - 1);
}

/* A unit over explicit code [code, code + ncode). */
u32 imgb_unit(struct imgb *b, u32 code, u32 ncode, u16 nregs, u16 nslots,
	      const char *name);
/* Or: begin, emit instructions, end (the unit covers what was emitted). */
void imgb_unit_begin(struct imgb *b);
u32 imgb_unit_end(struct imgb *b, u16 nregs, u16 nslots, const char *name);

u32 imgb_probe(struct imgb *b, u32 type, u32 unit, const char *target,
	       const char *point, u32 flags, u64 period_ns);
/* Make unit @unit a function of signature @sig (USIGS grows to cover it). */
void imgb_usig(struct imgb *b, u32 unit, const char *sig);
/* A try/catch handler (see vtrace_uapi.h). */
u32 imgb_handler(struct imgb *b, u32 start, u32 end, u32 target, u16 slot,
		 u16 flags);
u32 imgb_line(struct imgb *b, u32 pc, const char *file, u32 line, u32 col);
/* A map of @vkind (hist NONE); set ->maps[i] fields for more. */
u32 imgb_map(struct imgb *b, const char *name, const char *keysig,
	     u32 max_entries, u8 vkind);
/* Give STAT map @m a histogram: LOG, or LINEAR over [start, stop]. */
void imgb_map_hist(struct imgb *b, u32 m, u8 hist, s64 start, s64 stop,
		   s64 interval);
u32 imgb_iter(struct imgb *b, u32 map, u8 sort, s8 dir, u8 agg);
u32 imgb_autoprint(struct imgb *b, u32 kind, u32 index);

/* Lay out the image; *size gets its byte count.  free() the result. */
void *imgb_finish(const struct imgb *b, u32 *size);

/* Section descriptor of a finished image, for corrupting it in tests. */
static inline struct vt_section *imgb_sect(void *image, u32 id)
{
	return &((struct vt_image_hdr *)image)->sect[id];
}

#endif /* IMGBUILD_H */
