// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_verify.c - the loader and verifier, table-driven: each case is
 * a program (instructions of unit 0 plus optional setup and a patch of
 * the finished image), the expected verdict and a substring of the
 * expected message.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_mock.h"
#include "imgbuild.h"

#define I(op, a, b, c, k) { VT_OP_##op, a, b, c, k }
#define CODE(...) .code = { __VA_ARGS__ },				\
	.ncode = sizeof((struct vt_insn[]){ __VA_ARGS__ }) / sizeof(struct vt_insn)

struct vcase {
	const char *name;
	struct vt_insn code[12];
	u32 ncode;
	u16 nregs, nslots;
	void (*setup)(struct imgb *b);
	void (*patch)(struct vt_image_hdr *h, u32 *size);
	bool ok;
	const char *msg;
};

/* ---------------------------------------------------------- setups */

static void s_strsize_small(struct imgb *b) { b->strsize = VT_STRSIZE_MIN - 1; }
static void s_strsize_big(struct imgb *b) { b->strsize = VT_STRSIZE_MAX + 1; }
static void s_budget0(struct imgb *b) { b->budget = 0; }
static void s_strsize_4k(struct imgb *b) { b->strsize = 4096; }
static void s_probe_type(struct imgb *b) { imgb_probe(b, VT_PROBE_TYPE_COUNT, 0, "", "bad", 0, 0); }
static void s_probe_unit(struct imgb *b) { imgb_probe(b, VT_PROBE_BEGIN, 5, "", "begin", 0, 0); }
static void s_probe_flags(struct imgb *b) { imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0x80000000u, 0); }
static void s_probe_timer0(struct imgb *b) { imgb_probe(b, VT_PROBE_TIMER, 0, "", "timer.ms(0)", 0, 0); }
static void s_probe_timer(struct imgb *b) { imgb_probe(b, VT_PROBE_TIMER, 0, "", "timer.ms(1)", 0, 1000000); }
static void s_probe_kprobe0(struct imgb *b) { imgb_probe(b, VT_PROBE_KPROBE, 0, "", "kprobe.function(\"\")", 0, 0); }
static void s_probe_kprobe(struct imgb *b) { imgb_probe(b, VT_PROBE_KPROBE, 0, "vfs_read", "kprobe.function(\"vfs_read\")", VT_PROBE_F_OPTIONAL, 0); }
static void s_probe_rawtp0(struct imgb *b) { imgb_probe(b, VT_PROBE_RAW_TRACEPOINT, 0, "", "kernel.trace(\"x\")", 0, 0); }
static void s_probe_rawtp(struct imgb *b) { imgb_probe(b, VT_PROBE_RAW_TRACEPOINT, 0, "sched_switch", "kernel.trace(\"sched_switch\")", 0, 0); }
static void s_probe_tpargs(struct imgb *b) { imgb_probe(b, VT_PROBE_TRACEPOINT, 0, "sched:sched_switch", "kernel.trace(\"sched_switch\")", VT_PROBE_F_ARGS, 0); b->probes[b->nprobes - 1].event_id = 7; }
static void s_probe_tpargs_colon(struct imgb *b) { s_probe_tpargs(b); b->probes[b->nprobes - 1].target = b->probes[b->nprobes - 1].target + 6; }
static void s_probe_tpargs_empty(struct imgb *b) { imgb_probe(b, VT_PROBE_TRACEPOINT, 0, "sched:", "kernel.trace(\"sched:\")", VT_PROBE_F_ARGS, 0); b->probes[b->nprobes - 1].event_id = 7; }
static void s_probe_tpargs_raw(struct imgb *b) { s_probe_rawtp(b); b->probes[b->nprobes - 1].flags = VT_PROBE_F_ARGS; }
static void s_probe_rawtp_id(struct imgb *b) { s_probe_rawtp(b); b->probes[b->nprobes - 1].event_id = 7; }
static void s_probe_rawtp_pid(struct imgb *b) { s_probe_rawtp(b); b->probes[b->nprobes - 1].pid = 7; }
static void s_probe_reserved(struct imgb *b)
{
	imgb_probe(b, VT_PROBE_END, 0, "", "end", 0, 0);
	b->probes[b->nprobes - 1].event_id = 1;
}
static void s_probe_point(struct imgb *b)
{
	imgb_probe(b, VT_PROBE_END, 0, "", "end", 0, 0);
	b->probes[b->nprobes - 1].point = 100000;
}
static void s_sig_char(struct imgb *b) { imgb_format(b, "%d", "lx"); }
static void s_sig_long(struct imgb *b)
{
	imgb_format(b, "many", "lllllllllllllllllllllllllllllllll");	/* 33 */
}
static void s_sig_max(struct imgb *b)
{
	imgb_format(b, "many", "llllllllllllllllssssssssssssssss");	/* 32 */
}
static void s_fmt_text(struct imgb *b)
{
	b->formats[0].text = b->strtab_size;
}
/* A format text of @n bytes. */
static void fmt_of_len(struct imgb *b, u32 n)
{
	char *t = malloc(n + 1);

	ck_assert_ptr_nonnull(t);
	memset(t, 'x', n);
	t[n] = '\0';
	imgb_format(b, t, "");
	free(t);
}
static void s_fmt_text_max(struct imgb *b) { fmt_of_len(b, VT_STRING_MAX); }
static void s_fmt_text_long(struct imgb *b) { fmt_of_len(b, VT_STRING_MAX + 1); }
static void s_glob_reserved(struct imgb *b) { b->lglobals[0].reserved = 1; }
static void s_sglob_init(struct imgb *b) { b->sglobals[0].init = -1; }
static void s_glob_name(struct imgb *b) { b->sglobals[0].name = b->strtab_size + 3; }
static void s_lines_ok(struct imgb *b)
{
	imgb_line(b, 0, "a.stp", 1, 1);
	imgb_line(b, 0, "a.stp", 2, 1);
}
static void s_lines_unsorted(struct imgb *b)
{
	imgb_line(b, 1, "a.stp", 1, 1);
	imgb_line(b, 0, "a.stp", 2, 1);
}
static void s_line_pc(struct imgb *b) { imgb_line(b, 99, "a.stp", 1, 1); }
static void s_unit_name(struct imgb *b) { b->units[0].name = 100000; }
static void s_unit_range(struct imgb *b) { imgb_unit(b, 1, 5, 0, 0, "probe x"); }
static void s_unit_empty(struct imgb *b) { imgb_unit(b, 0, 0, 0, 0, "probe x"); }
static void s_unit_regs(struct imgb *b) { imgb_unit(b, 0, 1, 257, 0, "probe x"); }
static void s_strtab_first(struct imgb *b) { b->strtab[0] = 'x'; }
static void s_strtab_last(struct imgb *b) { imgb_raw_str(b, "abc", 3); }

/* ---------------------------------------------------------- patches */

static void p_magic(struct vt_image_hdr *h, u32 *size) { (void)size; h->magic ^= 1; }
static void p_version(struct vt_image_hdr *h, u32 *size) { (void)size; h->version = VT_ABI_VERSION + 1; }
static void p_hdr_size(struct vt_image_hdr *h, u32 *size) { (void)size; h->hdr_size = 8; }
static void p_size(struct vt_image_hdr *h, u32 *size) { (void)h; *size -= 8; }
static void p_truncated(struct vt_image_hdr *h, u32 *size) { (void)h; *size = 40; }
static void p_reserved(struct vt_image_hdr *h, u32 *size) { (void)size; h->reserved[0] = 1; }
static void p_past_end(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_CONSTS].count += 100;
}
static void p_overflow(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_CODE].count = 0x20000001;	/* * 8 wraps in 32 bits */
}
static void p_overlap(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_LINES].offset = 8;
}
static void p_entsize(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_UNITS].entsize = 12;
}
static void p_align(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_STRTAB].offset += 4;
}
/* Every section slot is used since ABI 2: no "unused slot" case. */
static void p_reserved1(struct vt_image_hdr *h, u32 *size) { (void)size; h->reserved[1] = 1; }
static void p_scratch_align(struct vt_image_hdr *h, u32 *size) { (void)size; h->scratch = 12; }
static void p_scratch_big(struct vt_image_hdr *h, u32 *size) { (void)size; h->scratch = VT_SCRATCH_MAX + 8; }
static void p_target_pid(struct vt_image_hdr *h, u32 *size) { (void)size; h->target_pid = -2; }
static void p_nstacks_big(struct vt_image_hdr *h, u32 *size) { (void)size; h->nstacks = VT_STACKS_MAX + 1; }
static void p_nstacks(struct vt_image_hdr *h, u32 *size) { (void)size; h->nstacks = 16; }
static void p_sect_reserved(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	h->sect[VT_SECT_CODE].reserved = 1;
}
static void p_strtab_empty(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	memset(&h->sect[VT_SECT_STRTAB], 0, sizeof(struct vt_section));
}
static void p_lines_absent(struct vt_image_hdr *h, u32 *size)
{
	(void)size;
	memset(&h->sect[VT_SECT_LINES], 0, sizeof(struct vt_section));
}

/* ---------------------------------------------------------- the table */

/* Unit 1: function f:long(a:long, s:string) { return a }. */
static void s_fn(struct imgb *b)
{
	u32 pc = imgb_insn(b, VT_OP_RETL, 0, 0, 0, 0);

	imgb_unit(b, pc, 1, 1, 1, "f");
	imgb_usig(b, 1, "lls");
	b->maxnesting = 10;
}
static void s_fn_badsig(struct imgb *b) { s_fn(b); imgb_usig(b, 1, "lx"); }
static void s_fn_badret(struct imgb *b) { s_fn(b); imgb_usig(b, 1, "x"); }
static void s_fn_nofit(struct imgb *b) { s_fn(b); imgb_usig(b, 1, "slll"); }
static void s_fn_usigs(struct imgb *b) { s_fn(b); imgb_usig(b, 2, ""); }
static void s_fn_void(struct imgb *b)
{
	u32 pc = imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);

	imgb_unit(b, pc, 1, 1, 1, "g");
	imgb_usig(b, 1, "vls");
	b->maxnesting = 10;
}
static void s_fn_nest(struct imgb *b) { s_fn(b); b->maxnesting = VT_NESTING_MAX + 1; }
static void s_fn_deep(struct imgb *b)
{
	s_fn(b);
	b->strsize = 4096;
	b->maxnesting = VT_NESTING_MAX;	/* 64 x 4 KiB frames > 64 KiB */
}

static void s_handler(struct imgb *b) { imgb_handler(b, 0, 1, 1, 1, VT_HANDLER_F_MSG); }
static void s_handler_back(struct imgb *b) { imgb_handler(b, 1, 2, 0, 0, 0); }
static void s_handler_slot(struct imgb *b) { imgb_handler(b, 0, 1, 1, 2, VT_HANDLER_F_MSG); }
static void s_handler_flags(struct imgb *b) { imgb_handler(b, 0, 1, 1, 0, 4); }
static void s_handler_nomsg(struct imgb *b) { imgb_handler(b, 0, 1, 1, 1, 0); }
static void s_handler_units(struct imgb *b) { s_fn(b); imgb_handler(b, 0, 1, 2, 0, 0); }

/*
 * Units and handlers: code NOP, RET is unit 0 [0, 2); these add units
 * after it (or break the order) and handlers in them.
 */
static u32 add_unit(struct imgb *b, u32 ninsn, u16 nslots)
{
	u32 pc = b->ncode;

	for (u32 i = 1; i < ninsn; i++)
		imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	return imgb_unit(b, pc, ninsn, 0, nslots, "probe more");
}
static void s_unit_overlap(struct imgb *b) { add_unit(b, 1, 0); b->units[1].code = 1; }
static void s_unit_inside(struct imgb *b) { add_unit(b, 1, 0); imgb_unit(b, 2, 1, 0, 0, "probe in"); }
static void s_unit_same(struct imgb *b) { imgb_unit(b, 0, 2, VT_UNIT_REGS_MAX, 0, "probe same"); }
static void s_unit_unsorted(struct imgb *b)
{
	struct vt_unit_desc u0 = b->units[0];

	add_unit(b, 1, 0);
	b->units[0] = b->units[1];
	b->units[1] = u0;
}
static void s_unit_gap(struct imgb *b)
{
	imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0);	/* pc 2: in no unit */
	add_unit(b, 1, 0);
}
/* Two handlers: one in unit 1 [2, 4), one in unit 0, in that order. */
static void s_handler_order(struct imgb *b)
{
	add_unit(b, 2, 1);
	imgb_handler(b, 2, 3, 3, 0, VT_HANDLER_F_MSG);
	imgb_handler(b, 0, 1, 1, 1, VT_HANDLER_F_MSG);
}
static void s_handler_grouped(struct imgb *b)
{
	add_unit(b, 2, 1);
	imgb_handler(b, 0, 1, 1, 1, VT_HANDLER_F_MSG);
	imgb_handler(b, 0, 1, 1, 0, 0);
	imgb_handler(b, 2, 3, 3, 0, VT_HANDLER_F_MSG);
}
static void s_handler_gap(struct imgb *b)
{
	s_unit_gap(b);
	imgb_handler(b, 2, 3, 3, 0, 0);
}
static void s_handler_past(struct imgb *b) { imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0); imgb_handler(b, 2, 3, 3, 0, 0); }
/* Unit 1 has 1 slot, unit 0 has 2: slot 1 is fine in 0, not in 1. */
static void s_handler_slot1(struct imgb *b)
{
	add_unit(b, 2, 1);
	imgb_handler(b, 2, 3, 3, 1, VT_HANDLER_F_MSG);
}
static void s_handler_target_next(struct imgb *b)
{
	add_unit(b, 2, 1);
	imgb_handler(b, 0, 1, 2, 0, 0);	/* target: unit 1's first pc */
}
static void s_handler_end_next(struct imgb *b)
{
	add_unit(b, 2, 1);
	imgb_handler(b, 1, 3, 3, 0, 0);	/* range runs into unit 1 */
}
static void s_fn_params(struct imgb *b)
{
	s_fn(b);
	imgb_usig(b, 1, "llllllllllllllllllllllllllllllllll");	/* 33 */
}

/* DFA 0 for "a": classes {a}, {other}, BOS, EOS; 2 states. */
static void s_dfa(struct imgb *b)
{
	static u8 data[256 + 16 + 2];
	static struct vt_dfa_desc d = {
		.classmap = 0, .table = 256, .accept = 272, .nstates = 2,
		.nclasses = 4,
	};
	u16 tab[8] = { 1, 0, 0, 0, 1, 1, 1, 1 };

	memset(data, 1, 256);
	data['a'] = 0;
	memcpy(data + 256, tab, sizeof(tab));
	data[272] = 0;
	data[273] = 1;
	imgb_raw_str(b, "", 0);
	b->dfas = &d;
	b->ndfas = 1;
	b->dfadata = data;
	b->ndfadata = sizeof(data);
}
static void s_dfa_state(struct imgb *b)
{
	s_dfa(b);
	b->dfadata[256] = 2;
}
static void s_dfa_class(struct imgb *b)
{
	s_dfa(b);
	b->dfadata['z'] = 2;
}
static void s_dfa_range(struct imgb *b)
{
	s_dfa(b);
	b->ndfadata = 270;
}
/* Two DFAs on the same tables: each byte is checked once, so no. */
static void s_dfa_shared(struct imgb *b)
{
	static struct vt_dfa_desc two[2];

	s_dfa(b);
	two[0] = two[1] = b->dfas[0];
	b->dfas = two;
	b->ndfas = 2;
}
static void s_dfa_order(struct imgb *b)
{
	static struct vt_dfa_desc d;

	s_dfa(b);
	d = b->dfas[0];
	d.table = 0;		/* the table before the classmap */
	d.classmap = 8;
	d.accept = 272;
	b->dfas = &d;
}

/*
 * Maps for the map cases: 0 LONG [l, s] x16, 1 STRING [l] x8, 2 STAT [l]
 * with @hist_log, 3 scalar STAT; iter 0 over map 0 by key 1 ascending.
 * The table cases add map 4 or iter 1 and break it.
 */
static void s_maps(struct imgb *b)
{
	imgb_map(b, "a", "ls", 16, VT_MAPV_LONG);
	imgb_map(b, "s", "l", 8, VT_MAPV_STRING);
	imgb_map(b, "h", "l", 8, VT_MAPV_STAT);
	imgb_map_hist(b, 2, VT_HIST_LOG, 0, 0, 0);
	imgb_map(b, "t", "", 1, VT_MAPV_STAT);
	imgb_iter(b, 0, 1, 1, 0);
	b->scratch = 256;
}
#define MAP4(fn, stmt) static void fn(struct imgb *b)			\
	{ s_maps(b); imgb_map(b, "x", "l", 4, VT_MAPV_LONG);		\
	  struct vt_map_desc *d = &b->maps[4]; stmt; }
MAP4(s_map_sig, d->keysig = imgb_str(b, "lx"))
MAP4(s_map_keys, d->keysig = imgb_str(b, "llllllllll"))
MAP4(s_map_keys9, d->keysig = imgb_str(b, "lllllllls"))
MAP4(s_map_max0, d->max_entries = 0)
MAP4(s_map_maxbig, d->max_entries = VT_MAP_ENTRIES_MAX + 1)
MAP4(s_map_vkind, d->vkind = 3)
MAP4(s_map_flags, d->flags = 2)
MAP4(s_map_wrap, d->flags = VT_MAP_F_WRAP)
MAP4(s_map_stackkey, d->stackrefs = 1)
MAP4(s_map_stackkey_past, d->stackrefs = 2)
MAP4(s_map_stackval, d->stackrefs = VT_MAP_STACKREF_VALUE)
MAP4(s_map_stackval_str, d->vkind = VT_MAPV_STRING;
     d->stackrefs = VT_MAP_STACKREF_VALUE)
MAP4(s_map_stackkey_str, d->keysig = imgb_str(b, "sl"); d->stackrefs = 1)
MAP4(s_map_name, d->name = 100000)
MAP4(s_map_hist_long, d->hist = VT_HIST_LOG; d->nbuckets = VT_HIST_LOG_BUCKETS)
MAP4(s_map_hist_kind, d->vkind = VT_MAPV_STAT; d->hist = 3)
MAP4(s_map_log_nb, d->vkind = VT_MAPV_STAT; d->hist = VT_HIST_LOG; d->nbuckets = 128)
MAP4(s_map_none_nb, d->vkind = VT_MAPV_STAT; d->nbuckets = 3)
MAP4(s_map_lin_ok, d->vkind = VT_MAPV_STAT;
     imgb_map_hist(b, 4, VT_HIST_LINEAR, -10, 100, 10))
MAP4(s_map_lin_int0, d->vkind = VT_MAPV_STAT; d->hist = VT_HIST_LINEAR;
     d->hstop = 10; d->nbuckets = 3)
MAP4(s_map_lin_order, d->vkind = VT_MAPV_STAT;
     imgb_map_hist(b, 4, VT_HIST_LINEAR, 10, 20, 1); d->hstop = 10)
MAP4(s_map_lin_many, d->vkind = VT_MAPV_STAT;
     imgb_map_hist(b, 4, VT_HIST_LINEAR, 0, 254, 1))
MAP4(s_map_lin_max, d->vkind = VT_MAPV_STAT;
     imgb_map_hist(b, 4, VT_HIST_LINEAR, 0, 253, 1))
MAP4(s_map_lin_nb, d->vkind = VT_MAPV_STAT;
     imgb_map_hist(b, 4, VT_HIST_LINEAR, 0, 100, 10); d->nbuckets++)
MAP4(s_map_scalar, d->vkind = VT_MAPV_STAT; d->keysig = 0; d->max_entries = 2)
#define ITER1(fn, stmt) static void fn(struct imgb *b)			\
	{ s_maps(b); imgb_iter(b, 0, 0, 0, 0);				\
	  struct vt_iter_desc *it = &b->iters[1]; stmt; }
ITER1(s_iter_map, it->map = 9)
ITER1(s_iter_sort, it->sort = 3; it->dir = 1)
ITER1(s_iter_sort2, it->sort = 2; it->dir = -1)
ITER1(s_iter_dir0, it->sort = 1)
ITER1(s_iter_dir_nosort, it->dir = 1)
ITER1(s_iter_dir2, it->sort = VT_SORT_VALUE; it->dir = 2)
ITER1(s_iter_agg_long, it->sort = VT_SORT_VALUE; it->dir = 1; it->agg = VT_AGG_SUM)
ITER1(s_iter_agg_stat, it->map = 2; it->sort = VT_SORT_VALUE; it->dir = -1;
      it->agg = VT_AGG_VARIANCE)
ITER1(s_iter_agg_big, it->map = 2; it->sort = VT_SORT_VALUE; it->dir = -1;
      it->agg = VT_AGG_COUNT_)
ITER1(s_iter_reserved, it->reserved = 1)
static void s_autoprint_ok(struct imgb *b)
{
	s_maps(b);
	imgb_autoprint(b, VT_AUTOPRINT_LGLOBAL, 0);
	imgb_autoprint(b, VT_AUTOPRINT_SGLOBAL, 0);
	imgb_autoprint(b, VT_AUTOPRINT_MAP, 3);
}
static void s_autoprint_idx(struct imgb *b) { s_maps(b); imgb_autoprint(b, VT_AUTOPRINT_MAP, 4); }
static void s_autoprint_kind(struct imgb *b) { s_maps(b); imgb_autoprint(b, 3, 0); }
static void s_uprobe_ok(struct imgb *b)
{
	imgb_probe(b, VT_PROBE_UPROBE, 0, "/bin/true", "process(\"/bin/true\").function(\"main\")", 0, 0);
	b->probes[1].offset = 0x1040;
	b->probes[1].pid = 77;
	imgb_probe(b, VT_PROBE_PROC_BEGIN, 0, "", "process.begin", 0, 0);
	imgb_probe(b, VT_PROBE_PROC_END, 0, "", "process.end", 0, 0);
	b->probes[3].pid = 12;
}
static void s_uprobe_target(struct imgb *b) { imgb_probe(b, VT_PROBE_URETPROBE, 0, "", "u", 0, 0); }
static void s_uprobe_pid(struct imgb *b)
{
	imgb_probe(b, VT_PROBE_UPROBE, 0, "/bin/sh", "u", 0, 0);
	b->probes[1].pid = -3;
}
static void s_kprobe_pid(struct imgb *b) { s_probe_kprobe(b); b->probes[1].pid = 5; }
static void s_kprobe_offset(struct imgb *b) { s_probe_kprobe(b); b->probes[1].offset = 5; }
/* a kprobe's offset is its function's address (a hint); not a return's */
static void s_kretprobe_offset(struct imgb *b)
{
	s_probe_kprobe(b);
	b->probes[1].type = VT_PROBE_KRETPROBE;
	b->probes[1].offset = 5;
}
static void s_probe_resv(struct imgb *b) { s_probe_kprobe(b); b->probes[1].reserved = 1; }

#define OKC(n, ...) { .name = n, .nregs = 4, .nslots = 2, .ok = true, CODE(__VA_ARGS__) }
#define BAD(n, m, ...) { .name = n, .nregs = 4, .nslots = 2, .msg = m, CODE(__VA_ARGS__) }
#define RET0 I(RET, 0, 0, 0, 0)
#define MOK(n, ...) { .name = n, .nregs = 4, .nslots = 2, .ok = true, .setup = s_maps, \
	CODE(__VA_ARGS__) }
#define MBAD(n, m, ...) { .name = n, .nregs = 4, .nslots = 2, .msg = m, .setup = s_maps, \
	CODE(__VA_ARGS__) }
#define TOK(n, fn) { .name = n, .ok = true, .setup = fn, CODE(RET0) }
#define TBAD(n, fn, m) { .name = n, .setup = fn, .msg = m, CODE(RET0) }
#define AGG(m, a) ((s32)VT_AGG_K(m, VT_AGG_##a))

static const struct vcase cases[] = {
	/* accepted programs */
	OKC("minimal", RET0),
	OKC("arith", I(LDI, 0, 0, 0, -5), I(LDC, 1, 0, 0, 0), I(ADD, 2, 0, 1, 0),
	    I(SHR, 3, 2, 1, 0), I(NEG, 3, 3, 0, 0), I(LNOT, 2, 3, 0, 0), RET0),
	OKC("loop back-edge", I(LDI, 0, 0, 0, 3), I(LOOP, 0, 0, 0, 0),
	    I(JZ, 0, 0, 0, 1), I(JMP, 0, 0, 0, -3), RET0),
	OKC("ends in back JMP", I(LOOP, 0, 0, 0, 0), I(JMP, 0, 0, 0, -2)),
	OKC("strings", I(SLDC, 0, 0, 0, 1), I(SMOV, 1, 0, 0, 0), I(SCAT, 0, 0, 1, 0),
	    I(SCMP, 0, 0, 1, 0), I(SGLD, 1, 0, 0, 0), I(SGST, 1, 0, 0, 0), RET0),
	OKC("globals", I(GLD, 3, 0, 0, 0), I(GST, 3, 0, 0, 0), RET0),
	OKC("printf vector at the top", I(PRINTF, 3, 1, 0, 0), RET0),
	OKC("printf no args", I(PRINTF, 0, 0, 0, 1), RET0),
	OKC("callh execname", I(CALLH, 1, 0, 0, VT_HELPER_execname), RET0),
	OKC("callh pid", I(CALLH, 3, 0, 0, VT_HELPER_pid), RET0),
	OKC("callh exit", I(CALLH, 0, 0, 0, VT_HELPER_exit), RET0),
	OKC("callh _deref", I(CALLH, 0, 2, 0, VT_HELPER__deref), RET0),
	OKC("callh task_current", I(CALLH, 3, 0, 0, VT_HELPER_task_current), RET0),
	OKC("ldi any immediate", I(LDI, 0, 0, 0, -2147483647 - 1), RET0),
	{ .name = "timer probe", .nregs = 1, .ok = true, .setup = s_probe_timer, CODE(RET0) },
	{ .name = "kprobe optional", .nregs = 1, .ok = true, .setup = s_probe_kprobe, CODE(RET0) },
	{ .name = "32 format args", .nregs = 16, .nslots = 16, .ok = true, .setup = s_sig_max,
	  CODE(I(PRINTF, 0, 0, 0, 2), RET0) },
	{ .name = "lines", .ok = true, .setup = s_lines_ok, CODE(RET0) },
	{ .name = "absent section all 0", .ok = true, .patch = p_lines_absent, CODE(RET0) },
	{ .name = "frame at the limit", .nregs = 0, .nslots = 16, .ok = true,
	  .setup = s_strsize_4k, CODE(RET0) },

	/* header */
	{ .name = "bad magic", .patch = p_magic, .msg = "bad magic", CODE(RET0) },
	{ .name = "version", .patch = p_version, .msg = "version 5, expected 4", CODE(RET0) },
	{ .name = "hdr_size", .patch = p_hdr_size, .msg = "hdr_size 8", CODE(RET0) },
	{ .name = "size mismatch", .patch = p_size, .msg = "but the image has", CODE(RET0) },
	{ .name = "truncated", .patch = p_truncated, .msg = "shorter than the header", CODE(RET0) },
	{ .name = "reserved", .patch = p_reserved, .msg = "header: reserved", CODE(RET0) },
	{ .name = "strsize small", .setup = s_strsize_small, .msg = "strsize 15", CODE(RET0) },
	{ .name = "strsize big", .setup = s_strsize_big, .msg = "strsize 4097", CODE(RET0) },
	{ .name = "budget 0", .setup = s_budget0, .msg = "budget is 0", CODE(RET0) },

	/* sections */
	{ .name = "past end", .patch = p_past_end, .msg = "section CONSTS: ends at", CODE(RET0) },
	{ .name = "size overflow", .patch = p_overflow, .msg = "section CODE: ends at", CODE(RET0) },
	{ .name = "overlaps header", .patch = p_overlap, .msg = "LINES: offset 8 overlaps the header", CODE(RET0) },
	{ .name = "entsize", .patch = p_entsize, .msg = "UNITS: entsize 12, expected 16", CODE(RET0) },
	{ .name = "alignment", .patch = p_align, .msg = "not 8-aligned", CODE(RET0) },
	{ .name = "reserved 1", .patch = p_reserved1, .msg = "header: reserved", CODE(RET0) },
	{ .name = "scratch align", .patch = p_scratch_align, .msg = "header: scratch 12 not 8-aligned", CODE(RET0) },
	{ .name = "scratch big", .patch = p_scratch_big, .msg = "header: scratch 1048584", CODE(RET0) },
	{ .name = "target_pid", .patch = p_target_pid, .msg = "header: negative target_pid -2", CODE(RET0) },
	{ .name = "nstacks big", .patch = p_nstacks_big, .msg = "header: nstacks 65537, more than 65536", CODE(RET0) },
	/* the helpers that store stacks need a table (verify.c) */
	{ .name = "kstack with a table", .nregs = 4, .nslots = 2, .ok = true, .patch = p_nstacks,
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__kstack), RET0) },
	{ .name = "addr_ref with a table", .nregs = 4, .nslots = 2, .ok = true, .patch = p_nstacks,
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__addr_ref), RET0) },
	{ .name = "kstack without a table", .nregs = 4, .nslots = 2,
	  .msg = "(CALLH): helper _kstack needs a stack table (header nstacks 0)",
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__kstack), RET0) },
	{ .name = "addr_ref without a table", .nregs = 4, .nslots = 2,
	  .msg = "(CALLH): helper _addr_ref needs a stack table",
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__addr_ref), RET0) },
	{ .name = "ustack without a table", .nregs = 4, .nslots = 2,
	  .msg = "(CALLH): helper _ustack needs a stack table",
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__ustack), RET0) },
	{ .name = "kframe without a table", .nregs = 4, .nslots = 2, .ok = true,
	  CODE(I(CALLH, 1, 0, 0, VT_HELPER__kframe), RET0) },
	{ .name = "section reserved", .patch = p_sect_reserved, .msg = "CODE: reserved", CODE(RET0) },
	{ .name = "strtab empty", .patch = p_strtab_empty, .msg = "STRTAB: empty", CODE(RET0) },
	{ .name = "strtab first", .setup = s_strtab_first, .msg = "start and end with NUL", CODE(RET0) },
	{ .name = "strtab last", .setup = s_strtab_last, .msg = "start and end with NUL", CODE(RET0) },

	/* tables */
	{ .name = "unit range", .setup = s_unit_range, .msg = "unit 1: code range 1+5", CODE(RET0) },
	{ .name = "unit empty", .setup = s_unit_empty, .msg = "unit 1: code range 0+0", CODE(RET0) },
	{ .name = "unit regs", .setup = s_unit_regs, .msg = "257 registers", CODE(RET0) },
	{ .name = "unit name", .setup = s_unit_name, .msg = "unit 0: name offset 100000", CODE(RET0) },
	{ .name = "frame too big", .nregs = 1, .nslots = 16, .setup = s_strsize_4k,
	  .msg = "frame of 65544 bytes exceeds 65536", CODE(RET0) },
	{ .name = "probe type", .setup = s_probe_type, .msg = "probe 1: unknown type", CODE(RET0) },
	{ .name = "probe unit", .setup = s_probe_unit, .msg = "probe 1: unit 5 out of range", CODE(RET0) },
	{ .name = "probe flags", .setup = s_probe_flags, .msg = "unknown flags 0x80000000", CODE(RET0) },
	{ .name = "timer period 0", .setup = s_probe_timer0, .msg = "timer period is 0", CODE(RET0) },
	{ .name = "kprobe target", .setup = s_probe_kprobe0, .msg = "kprobe without a target", CODE(RET0) },
	{ .name = "raw tracepoint", .nregs = 1, .ok = true, .setup = s_probe_rawtp, CODE(RET0) },
	{ .name = "raw tracepoint name", .setup = s_probe_rawtp0, .msg = "probe 1: raw tracepoint without a name", CODE(RET0) },
	{ .name = "tracepoint args", .nregs = 1, .ok = true, .setup = s_probe_tpargs, CODE(RET0) },
	{ .name = "tracepoint args no colon", .setup = s_probe_tpargs_colon, .msg = "probe 1: arguments of a probe that is not a tracepoint named \"subsys:event\"", CODE(RET0) },
	{ .name = "tracepoint args no event", .setup = s_probe_tpargs_empty, .msg = "probe 1: arguments of a probe that is not a tracepoint named \"subsys:event\"", CODE(RET0) },
	{ .name = "tracepoint args raw", .setup = s_probe_tpargs_raw, .msg = "probe 1: arguments of a probe that is not a tracepoint named \"subsys:event\"", CODE(RET0) },
	{ .name = "raw tracepoint event_id", .setup = s_probe_rawtp_id, .msg = "probe 1: event_id set on a non-tracepoint", CODE(RET0) },
	{ .name = "raw tracepoint pid", .setup = s_probe_rawtp_pid, .msg = "probe 1: pid set on a kernel probe", CODE(RET0) },
	{ .name = "probe event_id", .setup = s_probe_reserved, .msg = "probe 1: event_id set on a non-tracepoint", CODE(RET0) },
	{ .name = "probe point", .setup = s_probe_point, .msg = "probe 1: point offset 100000", CODE(RET0) },
	{ .name = "sig char", .setup = s_sig_char, .msg = "format 2: bad signature character 0x78", CODE(RET0) },
	{ .name = "sig too long", .setup = s_sig_long, .msg = "format 2: more than 32 arguments", CODE(RET0) },
	{ .name = "format text", .setup = s_fmt_text, .msg = "format 0: text offset", CODE(RET0) },
	{ .name = "format text max", .setup = s_fmt_text_max, .ok = true, CODE(RET0) },
	{ .name = "format text too long", .setup = s_fmt_text_long, .msg = "section STRTAB: the string at", CODE(RET0) },
	{ .name = "global reserved", .setup = s_glob_reserved, .msg = "long global 0: reserved", CODE(RET0) },
	{ .name = "sglobal init", .setup = s_sglob_init, .msg = "string global 0: init offset -1", CODE(RET0) },
	{ .name = "sglobal name", .setup = s_glob_name, .msg = "string global 0: name offset", CODE(RET0) },
	{ .name = "lines unsorted", .setup = s_lines_unsorted, .msg = "line 1: pc 0 not sorted", CODE(RET0, RET0) },
	{ .name = "line pc", .setup = s_line_pc, .msg = "line 0: pc 99 outside CODE", CODE(RET0) },

	/* instructions: one case per operand format and rule */
	BAD("opcode", "pc 0 (?): unknown opcode 200", { 200, 0, 0, 0, 0 }, RET0),
	BAD("w register", "pc 0 (LDI): operand a: register 4 out of range (4)", I(LDI, 4, 0, 0, 0), RET0),
	BAD("r register", "(ADD): operand c: register 9 out of range", I(ADD, 0, 1, 9, 0), RET0),
	BAD("jz register", "(JZ): operand a: register 4", I(JZ, 4, 0, 0, 0), RET0),
	BAD("t slot", "(SLDC): operand a: slot 2 out of range (2)", I(SLDC, 2, 0, 0, 0), RET0),
	BAD("s slot", "(SCAT): operand c: slot 7", I(SCAT, 0, 1, 7, 0), RET0),
	BAD("const", "(LDC): constant 1 out of range (1)", I(LDC, 0, 0, 0, 1), RET0),
	BAD("const negative", "(LDC): constant -1 out of range", I(LDC, 0, 0, 0, -1), RET0),
	BAD("strtab offset", "(SLDC): strtab offset 99999 out of range", I(SLDC, 0, 0, 0, 99999), RET0),
	BAD("lglobal", "(GST): long global 1 out of range (1)", I(GST, 0, 0, 0, 1), RET0),
	BAD("sglobal", "(SGLD): string global 3 out of range (1)", I(SGLD, 0, 0, 0, 3), RET0),
	BAD("format", "(PRINTF): format 2 out of range (2)", I(PRINTF, 0, 0, 0, 2), RET0),
	BAD("helper", "(CALLH): helper", I(CALLH, 0, 0, 0, VT_HELPER_COUNT), RET0),
	BAD("jump forward out", "unit 0 (probe begin) pc 0 (JMP): jump target 57 outside the unit",
	    I(JMP, 0, 0, 0, 56), RET0),
	BAD("jump backward out", "pc 1 (JNZ): jump target -1 outside the unit",
	    I(LDI, 0, 0, 0, 1), I(JNZ, 0, 0, 0, -3), RET0),
	BAD("back-edge not LOOP", "pc 1 (JMP): back-edge to pc 0, which is not a LOOP",
	    I(NOP, 0, 0, 0, 0), I(JMP, 0, 0, 0, -2)),
	BAD("self loop JMP", "pc 0 (JMP): back-edge to pc 0", I(JMP, 0, 0, 0, -1)),
	BAD("fall through", "pc 0 (NOP): the last instruction falls through", I(NOP, 0, 0, 0, 0)),
	BAD("cond at end", "pc 1 (JZ): the last instruction falls through",
	    I(LOOP, 0, 0, 0, 0), I(JZ, 0, 0, 0, -2)),
	BAD("printf long vector", "(PRINTF): operand a: 1 long arguments from 4 overflow the frame (4)",
	    I(PRINTF, 4, 0, 0, 0), RET0),
	BAD("printf string vector", "(PRINTF): operand b: 1 string arguments from 2 overflow",
	    I(PRINTF, 0, 2, 0, 0), RET0),
	BAD("printf empty base", "(PRINTF): operand a: no long arguments, base must be 0, is 1",
	    I(PRINTF, 1, 0, 0, 1), RET0),
	BAD("callh dest reg", "(CALLH): operand a: register 4 out of range",
	    I(CALLH, 4, 0, 0, VT_HELPER_tid), RET0),
	BAD("callh dest slot", "(CALLH): operand a: slot 2 out of range",
	    I(CALLH, 2, 0, 0, VT_HELPER_execname), RET0),
	BAD("callh void dest", "(CALLH): operand a: the helper returns nothing, must be 0, is 1",
	    I(CALLH, 1, 0, 0, VT_HELPER_exit), RET0),
	BAD("callh long base", "(CALLH): operand b: no long arguments",
	    I(CALLH, 0, 1, 0, VT_HELPER_pid), RET0),
	BAD("callh string base", "(CALLH): operand c: no string arguments",
	    I(CALLH, 0, 0, 1, VT_HELPER_cpu), RET0),
	/* _deref's how is a register: only the vector is checked here, the
	 * value at run time (test_vm_memread.c test_deref_bad_how) */
	BAD("callh _deref vector", "(CALLH): operand b: 2 long arguments from 3 overflow the frame (4)",
	    I(CALLH, 0, 3, 0, VT_HELPER__deref), RET0),
	BAD("callh _deref dest", "(CALLH): operand a: register 4 out of range",
	    I(CALLH, 4, 0, 0, VT_HELPER__deref), RET0),
	BAD("callh task_current args", "(CALLH): operand b: no long arguments",
	    I(CALLH, 0, 1, 0, VT_HELPER_task_current), RET0),
	BAD("unused a", "pc 0 (RET): unused operand a is 1", I(RET, 1, 0, 0, 0)),
	BAD("unused b", "(LDI): unused operand b is 2", I(LDI, 0, 2, 0, 0), RET0),
	BAD("unused c", "(MOV): unused operand c is 3", I(MOV, 0, 1, 3, 0), RET0),
	BAD("unused k", "(ADD): unused operand k is 1, must be 0", I(ADD, 0, 1, 2, 1), RET0),
	BAD("unused k on LOOP", "(LOOP): unused operand k is -1", I(LOOP, 0, 0, 0, -1), RET0),
	/* script functions: CALL, RETL, RETS, USIGS */
	{ .name = "call", .nregs = 4, .nslots = 2, .ok = true, .setup = s_fn,
	  CODE(I(CALL, 3, 1, 1, 1), RET0) },
	{ .name = "call void fn", .nregs = 4, .nslots = 2, .ok = true,
	  .setup = s_fn_void, CODE(I(CALL, 0, 1, 1, 1), RET0) },
	{ .name = "call not a function", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "(CALL): unit 0 is not a function", CODE(I(CALL, 3, 1, 1, 0), RET0) },
	{ .name = "call unit range", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "(CALL): unit 2 out of range (2)", CODE(I(CALL, 3, 1, 1, 2), RET0) },
	{ .name = "call long args", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "operand b: 1 long arguments from 4 overflow the frame",
	  CODE(I(CALL, 3, 4, 1, 1), RET0) },
	{ .name = "call string args", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "operand c: 1 string arguments from 2 overflow the frame",
	  CODE(I(CALL, 3, 1, 2, 1), RET0) },
	{ .name = "call dest", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "operand a: register 4 out of range", CODE(I(CALL, 4, 1, 1, 1), RET0) },
	{ .name = "call void dest", .nregs = 4, .nslots = 2, .setup = s_fn_void,
	  .msg = "the helper returns nothing", CODE(I(CALL, 1, 1, 1, 1), RET0) },
	{ .name = "call without functions", .nregs = 4, .nslots = 2,
	  .msg = "(CALL): unit 0 is not a function", CODE(I(CALL, 3, 1, 1, 0), RET0) },
	{ .name = "retl in a probe", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "(RETL): returns a long, but the unit is not a function",
	  CODE(I(RETL, 0, 0, 0, 0)) },
	{ .name = "rets in a long fn", .nregs = 4, .nslots = 2, .setup = s_fn,
	  .msg = "(RETS): returns a string", CODE(I(RETS, 0, 0, 0, 0)) },
	{ .name = "bad signature", .nregs = 4, .nslots = 2, .setup = s_fn_badsig,
	  .msg = "unit 1: bad signature", CODE(RET0) },
	{ .name = "bad return kind", .nregs = 4, .nslots = 2, .setup = s_fn_badret,
	  .msg = "unit 1: bad signature", CODE(RET0) },
	{ .name = "params do not fit", .nregs = 4, .nslots = 2, .setup = s_fn_nofit,
	  .msg = "unit 1: parameters do not fit the frame", CODE(RET0) },
	{ .name = "usigs count", .nregs = 4, .nslots = 2, .setup = s_fn_usigs,
	  .msg = "section USIGS: 3 entries for 2 units", CODE(RET0) },
	{ .name = "maxnesting", .nregs = 4, .nslots = 2, .setup = s_fn_nest,
	  .msg = "header: maxnesting 65, more than 64", CODE(RET0) },
	/* regular expressions */
	{ .name = "match", .nregs = 4, .nslots = 2, .ok = true, .setup = s_dfa,
	  CODE(I(MATCH, 0, 1, 0, 0), RET0) },
	{ .name = "match dfa range", .nregs = 4, .nslots = 2, .setup = s_dfa,
	  .msg = "(MATCH): dfa 1 out of range (1)", CODE(I(MATCH, 0, 1, 0, 1), RET0) },
	{ .name = "dfa next state", .nregs = 4, .nslots = 2, .setup = s_dfa_state,
	  .msg = "dfa 0: next state 2 out of range (2)", CODE(RET0) },
	{ .name = "dfa class", .nregs = 4, .nslots = 2, .setup = s_dfa_class,
	  .msg = "dfa 0: byte 122 in class 2", CODE(RET0) },
	{ .name = "dfa tables", .nregs = 4, .nslots = 2, .setup = s_dfa_range,
	  .msg = "dfa 0: bad header, or tables outside DFADATA", CODE(RET0) },
	{ .name = "dfa tables shared", .nregs = 4, .nslots = 2, .setup = s_dfa_shared,
	  .msg = "dfa 1: bad header, or tables outside DFADATA or out of order", CODE(RET0) },
	{ .name = "dfa tables order", .nregs = 4, .nslots = 2, .setup = s_dfa_order,
	  .msg = "dfa 0: bad header, or tables outside DFADATA or out of order", CODE(RET0) },
	/* try/catch handlers */
	{ .name = "handler", .nregs = 4, .nslots = 2, .ok = true, .setup = s_handler,
	  CODE(I(NOP, 0, 0, 0, 0), RET0) },
	{ .name = "handler backwards", .nregs = 4, .nslots = 2, .setup = s_handler_back,
	  .msg = "handler 0: range 1..2 and target 0 not in one unit", CODE(I(NOP, 0, 0, 0, 0), RET0, RET0) },
	{ .name = "handler slot", .nregs = 4, .nslots = 2, .setup = s_handler_slot,
	  .msg = "handler 0: slot 2 out of range (2)", CODE(I(NOP, 0, 0, 0, 0), RET0) },
	{ .name = "handler flags", .nregs = 4, .nslots = 2, .setup = s_handler_flags,
	  .msg = "handler 0: unknown flags 0x4", CODE(I(NOP, 0, 0, 0, 0), RET0) },
	{ .name = "handler slot no msg", .nregs = 4, .nslots = 2, .setup = s_handler_nomsg,
	  .msg = "handler 0: slot without a message", CODE(I(NOP, 0, 0, 0, 0), RET0) },
	{ .name = "handler across units", .nregs = 4, .nslots = 2, .setup = s_handler_units,
	  .msg = "not in one unit", CODE(I(NOP, 0, 0, 0, 0), RET0) },
	{ .name = "call stack too big", .nregs = 4, .nslots = 2, .setup = s_fn_deep,
	  .msg = "64 nested calls need", CODE(RET0) },
	{ .name = "too many params", .nregs = 4, .nslots = 2, .setup = s_fn_params,
	  .msg = "unit 1: more than 32 parameters", CODE(RET0) },

	/* units sorted and disjoint; handlers grouped by unit, in order */
#define UOK(n, fn) { .name = n, .nregs = 4, .nslots = 2, .ok = true, .setup = fn, \
	CODE(I(NOP, 0, 0, 0, 0), RET0) }
#define UBAD(n, fn, m) { .name = n, .nregs = 4, .nslots = 2, .setup = fn, .msg = m, \
	CODE(I(NOP, 0, 0, 0, 0), RET0) }
	UBAD("units overlap", s_unit_overlap,
	     "unit 1: code 1+1 overlaps or precedes unit 0 (units sorted by code, disjoint)"),
	UBAD("unit inside another", s_unit_inside, "unit 2: code 2+1 overlaps or precedes unit 1"),
	UBAD("units on the same code", s_unit_same, "unit 1: code 0+2 overlaps or precedes unit 0"),
	UBAD("units unsorted", s_unit_unsorted, "unit 1: code 0+2 overlaps or precedes unit 0"),
	UOK("units with a gap", s_unit_gap),
	UOK("handlers grouped", s_handler_grouped),
	UBAD("handlers out of unit order", s_handler_order,
	     "handler 1: start 0 not in unit 1 or a later one (grouped by unit, in unit order)"),
	UBAD("handler in a gap", s_handler_gap, "handler 0: start 2 not in unit 1 or a later one"),
	UBAD("handler past the units", s_handler_past, "handler 0: start 2 not in unit 1"),
	UBAD("handler slot of its unit", s_handler_slot1, "handler 0: slot 1 out of range (1)"),
	UBAD("handler target in the next unit", s_handler_target_next,
	     "handler 0: range 0..1 and target 2 not in one unit"),
	UBAD("handler range into the next unit", s_handler_end_next,
	     "handler 0: range 1..3 and target 3 not in one unit"),

	/* maps, statistics, foreach: formats m e n p and the value kinds */
	MOK("mget long", I(MGET, 0, 1, 0, 0), RET0),
	MOK("mget string", I(MGET, 1, 3, 0, 1), RET0),
	MOK("mset long", I(MSET, 0, 1, 1, 0), RET0),
	MOK("mset string", I(MSET, 1, 0, 0, 1), RET0),
	MOK("madd", I(MADD, 3, 3, 1, 0), RET0),
	MOK("mhas any kind", I(MHAS, 0, 1, 0, 0), I(MHAS, 0, 1, 0, 1), I(MHAS, 0, 1, 0, 2),
	    I(MHAS, 0, 0, 0, 3), RET0),
	MOK("mdel mclr", I(MDEL, 0, 1, 0, 0), I(MDEL, 0, 0, 0, 3), I(MCLR, 0, 0, 0, 2), RET0),
	MOK("sadd", I(SADD, 0, 1, 0, 2), I(SADD, 3, 0, 0, 3), RET0),
	MOK("sget every agg", I(SGET, 0, 1, 0, AGG(2, COUNT)), I(SGET, 0, 0, 0, AGG(3, VARIANCE)),
	    RET0),
	MOK("shist", I(SHIST, 0, 1, 0, 2), RET0),
	MOK("foreach", I(LDI, 1, 0, 0, -1), I(ITINIT, 0, 1, 0, 0), I(LOOP, 0, 0, 0, 0),
	    I(ITNEXT, 2, 0, 0, 3), I(MKEYS, 3, 0, 2, 0), I(MVAL, 1, 2, 0, 0),
	    I(JMP, 0, 0, 0, -5), I(ITEND, 0, 0, 0, 0), RET0),
	MBAD("map index", "(MGET): map 9 out of range (4)", I(MGET, 0, 1, 0, 9), RET0),
	MBAD("map negative", "(MCLR): map -1 out of range", I(MCLR, 0, 0, 0, -1), RET0),
	MBAD("iter index", "(ITINIT): iter 5 out of range (1)", I(ITINIT, 0, 1, 0, 5), RET0),
	MBAD("sget agg", "(SGET): aggregate 6 out of range", I(SGET, 0, 1, 0, AGG(2, COUNT_)), RET0),
	MBAD("sget map", "(SGET): map 9 out of range", I(SGET, 0, 1, 0, 9), RET0),
	MBAD("sget long map", "(SGET): map 0 (a): needs a statistic", I(SGET, 0, 1, 0, 0), RET0),
	MBAD("sadd long map", "(SADD): map 1 (s): needs a statistic", I(SADD, 0, 1, 0, 1), RET0),
	MBAD("shist no hist", "(SHIST): map 3 (t): needs a statistic with a histogram",
	     I(SHIST, 0, 0, 0, 3), RET0),
	MBAD("mget stat", "(MGET): a statistic has no value to read", I(MGET, 0, 1, 0, 2), RET0),
	MBAD("mset stat", "(MSET): a statistic has no value to store", I(MSET, 0, 1, 0, 2), RET0),
	MBAD("mval stat", "(MVAL): a statistic has no value to read", I(MVAL, 0, 1, 0, 2), RET0),
	MBAD("madd string", "(MADD): map 1 (s): needs a map of longs", I(MADD, 0, 1, 0, 1), RET0),
	MBAD("madd stat", "(MADD): map 2 (h): needs a map of longs", I(MADD, 0, 1, 0, 2), RET0),
	MBAD("long key overflow", "(MGET): operand b: 1 long arguments from 4 overflow",
	     I(MGET, 0, 4, 0, 0), RET0),
	MBAD("string key overflow", "(MHAS): operand c: 1 string arguments from 2 overflow",
	     I(MHAS, 0, 0, 2, 0), RET0),
	MBAD("no string keys", "(MGET): operand c: no string arguments, base must be 0, is 1",
	     I(MGET, 0, 0, 1, 1), RET0),
	MBAD("scalar key base", "(SADD): operand b: no long arguments", I(SADD, 0, 1, 0, 3), RET0),
	MBAD("mset string source", "(MSET): operand a: slot 2 out of range", I(MSET, 2, 0, 0, 1), RET0),
	MBAD("mget long dest", "(MGET): operand a: register 4 out of range", I(MGET, 4, 1, 0, 0), RET0),
	MBAD("mkeys overflow", "(MKEYS): operand a: 1 long arguments from 4", I(MKEYS, 4, 0, 0, 0), RET0),
	MBAD("mkeys entry reg", "(MKEYS): operand c: register 5", I(MKEYS, 0, 0, 5, 0), RET0),
	MBAD("mval entry reg", "(MVAL): operand b: register 7", I(MVAL, 0, 7, 0, 0), RET0),
	MBAD("mdel a", "(MDEL): unused operand a is 1", I(MDEL, 1, 0, 0, 0), RET0),
	MBAD("mclr b", "(MCLR): unused operand b is 1", I(MCLR, 0, 1, 0, 0), RET0),
	MBAD("itinit limit reg", "(ITINIT): operand b: register 4", I(ITINIT, 0, 4, 0, 0), RET0),
	MBAD("itnext jump", "(ITNEXT): jump target 9 outside", I(ITNEXT, 0, 0, 0, 8), RET0),
	MBAD("itnext back-edge", "(ITNEXT): back-edge to pc 0, which is not a LOOP",
	     I(NOP, 0, 0, 0, 0), I(ITNEXT, 0, 0, 0, -2), RET0),
	MBAD("itend reg", "(ITEND): operand a: register 4", I(ITEND, 4, 0, 0, 0), RET0),
	MBAD("itend k", "(ITEND): unused operand k is 1", I(ITEND, 0, 0, 0, 1), RET0),
	{ .name = "map op without maps", .nregs = 4, .nslots = 2,
	  .msg = "(MCLR): map 0 out of range (0)", CODE(I(MCLR, 0, 0, 0, 0), RET0) },

	/* map, iter and autoprint tables, new header and probe fields */
	TOK("nine keys", s_map_keys9),
	TOK("wrap flag", s_map_wrap),
	TOK("linear hist", s_map_lin_ok),
	TOK("linear hist at the limit", s_map_lin_max),
	TOK("iter by string key desc", s_iter_sort2),
	TOK("iter stat by variance", s_iter_agg_stat),
	TOK("autoprint", s_autoprint_ok),
	TOK("uprobe and process", s_uprobe_ok),
	TBAD("map keysig char", s_map_sig, "map 4: bad keysig"),
	TBAD("map ten keys", s_map_keys, "map 4: bad keysig (only l/s, at most 9)"),
	TBAD("map max 0", s_map_max0, "map 4: max_entries 0 outside [1, 1048576]"),
	TBAD("map max big", s_map_maxbig, "map 4: max_entries 1048577"),
	TBAD("map vkind", s_map_vkind, "map 4: unknown value kind 3"),
	TBAD("map flags", s_map_flags, "map 4: unknown flags 0x2"),
	TOK("stack key", s_map_stackkey),
	TOK("stack value", s_map_stackval),
	TBAD("stack key past the keys", s_map_stackkey_past,
	     "map 4: stackrefs 0x2 names a key or value that is not a long"),
	TBAD("stack value of a string map", s_map_stackval_str,
	     "map 4: stackrefs 0x80000000 names a key"),
	TBAD("stack key a string", s_map_stackkey_str,
	     "map 4: stackrefs 0x1 names a key"),
	TBAD("map name", s_map_name, "map 4: name offset 100000"),
	TBAD("hist on long", s_map_hist_long, "map 4: histogram on a non-statistic"),
	TBAD("hist kind", s_map_hist_kind, "map 4: unknown histogram kind 3"),
	TBAD("log buckets", s_map_log_nb, "map 4: bad histogram (kind 1, 128 buckets"),
	TBAD("none buckets", s_map_none_nb, "map 4: bad histogram (kind 0, 3 buckets"),
	TBAD("linear interval 0", s_map_lin_int0, "map 4: bad histogram (kind 2"),
	TBAD("linear start = stop", s_map_lin_order, "map 4: bad histogram"),
	TBAD("linear too many", s_map_lin_many, "map 4: bad histogram (kind 2, 257 buckets"),
	TBAD("linear nbuckets", s_map_lin_nb, "map 4: bad histogram (kind 2, 14 buckets"),
	TBAD("scalar stat entries", s_map_scalar, "map 4: a scalar statistic has max_entries 1"),
	TBAD("iter map", s_iter_map, "iter 1: map 9 out of range (4)"),
	TBAD("iter sort", s_iter_sort, "iter 1: sort 3, the map has 2 keys"),
	TBAD("iter dir 0", s_iter_dir0, "iter 1: direction 0 with sort 1"),
	TBAD("iter dir no sort", s_iter_dir_nosort, "iter 1: direction 1 with sort 0"),
	TBAD("iter dir 2", s_iter_dir2, "iter 1: direction 2 with sort 255"),
	TBAD("iter agg long", s_iter_agg_long, "iter 1: bad aggregate 1"),
	TBAD("iter agg big", s_iter_agg_big, "iter 1: bad aggregate 6"),
	TBAD("iter reserved", s_iter_reserved, "iter 1: reserved field not 0"),
	TBAD("autoprint index", s_autoprint_idx, "autoprint 0: kind 2 index 4 out of range"),
	TBAD("autoprint kind", s_autoprint_kind, "autoprint 0: kind 3 index 0"),
	TBAD("uretprobe binary", s_uprobe_target, "probe 1: uprobe without a binary"),
	TBAD("uprobe pid", s_uprobe_pid, "probe 1: negative pid -3"),
	TBAD("kprobe pid", s_kprobe_pid, "probe 1: pid set on a kernel probe"),
	TOK("kprobe address", s_kprobe_offset),
	TBAD("kretprobe offset", s_kretprobe_offset, "probe 1: offset set on a non-uprobe"),
	TBAD("probe reserved", s_probe_resv, "probe 1: reserved field not 0"),
};

static void build(const struct vcase *c, void **img, u32 *size)
{
	struct imgb *b = imgb_new();

	imgb_const(b, 7);
	imgb_str(b, "some string");
	imgb_lglobal(b, "count", 0);
	imgb_sglobal(b, "name", "init");
	imgb_format(b, "x=%d %s\n", "ls");
	imgb_format(b, "hello\n", "");
	for (u32 i = 0; i < c->ncode; i++)
		imgb_insn(b, c->code[i].op, c->code[i].a, c->code[i].b,
			  c->code[i].c, c->code[i].k);
	imgb_unit(b, 0, c->ncode, c->nregs, c->nslots, "probe begin");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	if (c->setup)
		c->setup(b);
	*img = imgb_finish(b, size);
	if (c->patch)
		c->patch(*img, size);
	imgb_free(b);
}

START_TEST(test_case)
{
	const struct vcase *c = &cases[_i];
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	u32 size;
	int rc;

	build(c, &img, &size);
	memset(log, 'X', sizeof(log));
	rc = vt_prog_load(&prog, img, size, log, sizeof(log));
	ck_assert_msg(memchr(log, '\0', sizeof(log)), "%s: log not terminated", c->name);
	if (getenv("VT_TEST_VERBOSE"))
		printf("%-28s %s\n", c->name, rc ? log : "(accepted)");
	if (c->ok) {
		ck_assert_msg(rc == 0, "%s: rejected: %s", c->name, log);
		ck_assert_str_eq(log, "");
	} else {
		ck_assert_msg(rc == -1, "%s: accepted", c->name);
		ck_assert_msg(strstr(log, c->msg), "%s: message \"%s\" lacks \"%s\"",
			      c->name, log, c->msg);
		ck_assert_ptr_null(prog.code);
	}
	free(img);
}
END_TEST

START_TEST(test_isa_tables)
{
	const struct vt_opcode_info *callh = &vt_opcode_info[VT_OP_CALLH];

	for (int i = 0; i < VT_OP_COUNT; i++)
		ck_assert_ptr_nonnull(vt_opcode_info[i].name);
	ck_assert_str_eq(vt_opcode_info[VT_OP_SCAT].name, "SCAT");
	ck_assert_int_eq(callh->fmt[0], VT_FMT_d);
	ck_assert_int_eq(callh->fmt[1], VT_FMT_v);
	ck_assert_int_eq(callh->fmt[2], VT_FMT_q);
	ck_assert_int_eq(callh->fmt[3], VT_FMT_x);
	ck_assert_int_eq(vt_opcode_info[VT_OP_NOP].fmt[0], VT_FMT__);
	ck_assert_int_eq(vt_opcode_info[VT_OP_JZ].fmt[3], VT_FMT_j);
	ck_assert_str_eq(vt_helper_info[VT_HELPER_gettimeofday_ns].name,
			 "gettimeofday_ns");
	ck_assert_int_eq(vt_helper_info[VT_HELPER_execname].ret, VT_KIND_S);
	ck_assert_int_eq(vt_helper_info[VT_HELPER_exit].ret, VT_KIND_V);
	ck_assert_int_eq(vt_helper_info[VT_HELPER_pid].ret, VT_KIND_L);
}
END_TEST

/* Messages are cut to log_size, always terminated; a NULL log is fine. */
START_TEST(test_log_truncation)
{
	const struct vcase *c = &cases[0];
	struct vcase bad = *c;
	struct vt_prog prog;
	char log[12];
	void *img;
	u32 size;

	bad.patch = p_magic;
	build(&bad, &img, &size);
	memset(log, 'X', sizeof(log));
	ck_assert_int_eq(vt_prog_load(&prog, img, size, log, sizeof(log)), -1);
	ck_assert_str_eq(log, "header: bad");
	ck_assert_int_eq(vt_prog_load(&prog, img, size, NULL, 0), -1);
	ck_assert_int_eq(vt_prog_load(&prog, img, size, log, 0), -1);
	ck_assert_int_eq(log[0], 'h');
	ck_assert_int_eq(vt_prog_load(&prog, NULL, 0, log, sizeof(log)), -1);
	/* Misaligned image. */
	free(img);
	build(c, &img, &size);
	{
		u8 *copy = malloc(size + 8);

		memcpy(copy + 4, img, size);
		ck_assert_int_eq(vt_prog_load(&prog, copy + 4, size, NULL, 0), -1);
		free(copy);
	}
	free(img);
}
END_TEST

/* Truncating a valid image anywhere never crashes and is rejected. */
START_TEST(test_every_truncation)
{
	struct vt_prog prog;
	void *img, *copy;
	u32 size, n;

	build(&cases[1], &img, &size);
	ck_assert_int_eq(vt_prog_load(&prog, img, size, NULL, 0), 0);
	for (n = 0; n < size; n++) {
		copy = malloc(n ? n : 1);
		memcpy(copy, img, n);
		ck_assert_int_eq(vt_prog_load(&prog, copy, n, NULL, 0), -1);
		free(copy);
	}
	free(img);
}
END_TEST

START_TEST(test_prog_accessors)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	const struct vt_line_desc *l;
	s64 lg[2];
	char sg[2 * 16];
	void *img;
	u32 size, i;

	b->strsize = 16;
	for (i = 0; i < 10; i++)
		imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit(b, 0, 11, 3, 2, "probe begin");
	imgb_line(b, 2, "a.stp", 10, 1);
	imgb_line(b, 5, "a.stp", 20, 1);
	imgb_line(b, 5, "b.stp", 30, 1);
	imgb_line(b, 8, "a.stp", 40, 1);
	imgb_lglobal(b, "n", -77);
	imgb_lglobal(b, "m", 5);
	imgb_sglobal(b, "s", "");
	imgb_sglobal(b, "t", "a string longer than sixteen");
	img = imgb_finish(b, &size);
	ck_assert_int_eq(vt_prog_load(&prog, img, size, NULL, 0), 0);
	ck_assert_uint_eq(prog.frame_size, 3 * 8 + 2 * 16);
	ck_assert_ptr_null(vt_prog_line(&prog, 0));
	ck_assert_ptr_null(vt_prog_line(&prog, 1));
	ck_assert_uint_eq(vt_prog_line(&prog, 2)->line, 10);
	ck_assert_uint_eq(vt_prog_line(&prog, 4)->line, 10);
	ck_assert_uint_eq(vt_prog_line(&prog, 5)->line, 30);
	ck_assert_uint_eq(vt_prog_line(&prog, 7)->line, 30);
	l = vt_prog_line(&prog, 1000);
	ck_assert_uint_eq(l->line, 40);
	ck_assert_str_eq(vt_prog_str(&prog, l->file), "a.stp");
	ck_assert_str_eq(vt_prog_str(&prog, 0), "");
	ck_assert_str_eq(vt_prog_str(&prog, 1u << 30), "");
	memset(sg, 'X', sizeof(sg));
	vt_globals_init(&prog, lg, sg);
	ck_assert_int_eq(lg[0], -77);
	ck_assert_int_eq(lg[1], 5);
	ck_assert_str_eq(sg, "");
	ck_assert_str_eq(sg + 16, "a string longer");
	free(img);
	imgb_free(b);
}
END_TEST

/*
 * Random mutations of a valid image: the loader must never read out of
 * bounds (ASan watches), and whatever it accepts must run safely.
 */
static u32 xorshift(u64 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (u32)*s;
}

START_TEST(test_mutations)
{
	struct host_mock *m = malloc(sizeof(*m));
	struct imgb *b = imgb_new();
	struct vt_insn *code;
	struct vt_prog prog;
	struct vt_exec ex;
	u64 seed = 0x9e3779b97f4a7c15ull;
	u32 size, i, it, n, loaded = 0;
	u8 *base, *img;

	b->budget = 300;
	b->strsize = 16;
	imgb_const(b, 5);
	imgb_lglobal(b, "g", 1);
	imgb_sglobal(b, "s", "str");
	imgb_format(b, "%d %s", "ls");
	imgb_format(b, "%s%s%d", "ssl");
	for (i = 0; i < 24; i++)
		imgb_insn(b, i == 11 ? VT_OP_RET : VT_OP_NOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_LOOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_JMP, 0, 0, 0, -2);
	imgb_unit(b, 0, 12, 4, 3, "probe u0");
	imgb_unit(b, 12, 14, 4, 3, "probe u1");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	imgb_line(b, 0, "f.stp", 1, 1);
	base = imgb_finish(b, &size);
	img = aligned_alloc(8, size);
	for (it = 0; it < 8000; it++) {
		memcpy(img, base, size);
		code = (struct vt_insn *)(img + imgb_sect(base, VT_SECT_CODE)->offset);
		for (n = xorshift(&seed) % 12; n; n--) {
			u32 r = xorshift(&seed);
			struct vt_insn *in = &code[r % 26];

			if (r >> 28) {	/* mostly: a random, small-operand insn */
				in->op = (u8)(xorshift(&seed) % VT_OP_COUNT);
				in->a = (u8)(xorshift(&seed) % 5);
				in->b = (u8)(xorshift(&seed) % 5);
				in->c = (u8)(xorshift(&seed) % 4);
				in->k = (s32)(xorshift(&seed) % 9) - 4;
			} else {
				img[xorshift(&seed) % size] = (u8)xorshift(&seed);
			}
		}
		n = xorshift(&seed) % 8 ? size : xorshift(&seed) % size;
		if (vt_prog_load(&prog, img, n, NULL, 0))
			continue;
		loaded++;
		host_mock_init(m);
		host_mock_exec_init(&ex, &prog, m);
		for (i = 0; i < prog.nunits; i++) {
			ex.budget = prog.budget;
			vt_run(&ex, i);
			ck_assert_ptr_null(m->pending);
		}
		host_mock_exec_free(&ex);
	}
	ck_assert_uint_gt(loaded, 50);
	free(img);
	free(base);
	imgb_free(b);
	free(m);
}
END_TEST

/* The frame layout rule (vm/frame.c) the compiler and loader share. */
START_TEST(test_frame_layout)
{
	struct vt_frame_layout fl = { 0 };

	/* No functions: the largest frame, not rounded; scratch 8-aligned. */
	vt_frame_add_unit(&fl, 3, 1, 17, false);	/* 41 bytes */
	vt_frame_add_unit(&fl, 1, 0, 17, false);
	vt_frame_layout(&fl, 4, 0);
	ck_assert_uint_eq(fl.stack_off, 0);
	ck_assert_uint_eq(fl.size, 41);
	vt_frame_layout(&fl, 4, 64);
	ck_assert_uint_eq(fl.size, 48 + 64);
	/* Functions: call records, the largest frame, maxnesting calls. */
	vt_frame_add_unit(&fl, 2, 1, 17, true);		/* 33 -> 40 */
	vt_frame_layout(&fl, 4, 0);
	ck_assert(fl.functions);
	ck_assert_uint_eq(fl.stack_off, 4 * VT_CALLREC_BYTES);
	ck_assert_uint_eq(fl.frames, 4 * VT_CALLREC_BYTES + 48 + 4 * 40);
	ck_assert_uint_eq(fl.size, fl.frames);
	ck_assert_uint_eq(vt_unit_stack_bytes(2, 1, 17), 40);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_verify");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_case, 0, (int)VT_ARRAY_SIZE(cases));
	tcase_add_test(tc, test_isa_tables);
	tcase_add_test(tc, test_log_truncation);
	tcase_add_test(tc, test_every_truncation);
	tcase_add_test(tc, test_prog_accessors);
	tcase_add_test(tc, test_mutations);
	tcase_add_test(tc, test_frame_layout);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
