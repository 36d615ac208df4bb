/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * aggfmt.h - text of statistics and of the end-of-run display, in
 * SystemTap's formats: print(@hist_log(s)) / print(@hist_linear(...))
 * histograms, and the globals a script wrote but never read (the image's
 * AUTOPRINT section).  Pure formatting: the data comes from a record
 * (VT_REC_HIST), a snapshot (VT_IOC_SNAPSHOT) or, in tests/lang/hostrun.c,
 * the host's own map storage; both the CLI and hostrun call this.
 */
#ifndef VT_CLI_AGGFMT_H
#define VT_CLI_AGGFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "vt_vm.h"

/* Bar width of a histogram row, as SystemTap's default HIST_WIDTH. */
#define AGGFMT_HIST_WIDTH	50

/*
 * The histogram of kind @md->hist (LOG or LINEAR, with @md's linear
 * parameters) over @nbuckets counters, then an empty line.  Nothing is
 * printed when every counter is 0 (an empty statistic, which SystemTap
 * refuses with "empty aggregate").  Returns -1 without printing if
 * @nbuckets does not fit @md.
 */
int aggfmt_hist(FILE *out, const struct vt_map_desc *md,
		const s64 *buckets, u32 nbuckets);

/* " @count=N @min=N @max=N @sum=N @avg=N" of a statistic with count > 0. */
void aggfmt_stat(FILE *out, const struct vt_stat *st);

/* One entry of an array, for aggfmt_map(). */
struct aggfmt_entry {
	s64 lkeys[VT_MAP_KEYS_MAX];	/* the long keys, keysig order */
	const char *skeys[VT_MAP_KEYS_MAX]; /* the string keys, NUL-ended */
	u64 seq;			/* insertion order (ties) */
	s64 lval;			/* LONG map */
	const char *sval;		/* STRING map, NUL-ended */
	struct vt_stat stat;		/* STAT map: merged over the slots */
	const s64 *hist;		/* STAT map with a histogram, or NULL */
};

/*
 * The display of array @md named @name (SystemTap's end probe for an
 * unread global): its @n entries sorted by value, decreasing (a
 * statistic by @count), ties in insertion order, one line each:
 * `name["key",3]=value` or `name["key"] @count=...`, followed by the
 * entry's histogram if @md has one.  Reorders @e.
 */
void aggfmt_map(FILE *out, const char *name, const char *keysig,
		const struct vt_map_desc *md, struct aggfmt_entry *e,
		size_t n);

/*
 * What the end-of-run display reads, copied out by the snapshot ioctl
 * (layouts in vtrace_uapi.h and vm/map.h) or the host's own storage.
 */
struct aggfmt_snapshot {
	const s64 *lglobals;	/* prog->nlglobals values */
	const char *sglobals;		/* prog->nsglobals * strsize bytes */
	const void *const *maps;	/* prog->nmaps storages, or NULL each */
	const u64 *map_sizes;	/* their bytes */
};

/*
 * Print every AUTOPRINT global of @prog in its order: `x=5`, `s="text"`,
 * scalar statistics `s @count=...` (`s @count=0x0` when empty), arrays
 * through aggfmt_map().  A map storage that is missing or fails
 * vt_map_check() is reported on stderr and skipped.  Returns 0, or -1
 * if something was skipped or memory ran out.
 */
int aggfmt_autoprint(FILE *out, const struct vt_prog *prog,
		     const struct aggfmt_snapshot *snap);

/* @prog has an array with a key that is a stack (vt_map_desc.stackrefs). */
bool aggfmt_has_stack_keys(const struct vt_prog *prog);

/*
 * Array @m of @prog (storage @mem of @size bytes, a snapshot) in the
 * folded format of flame graphs (flamegraph.pl, inferno, speedscope):
 * a line per entry, "root;...;leaf COUNT", COUNT the value (a
 * statistic's @count).  The frames: the keys that are not stacks, in key
 * order, then the stack keys from the last to the first (user stacks
 * come after the kernel's in a key list, and are nearer the root), each
 * stack outermost frame first, by name (stacks_folded()).  Returns 0, or
 * -1 when the storage cannot be read or memory ran out.
 */
int aggfmt_folded(FILE *out, const struct vt_prog *prog, u32 m,
		  const void *mem, u64 size);

/*
 * The line of a runtime error, "ERROR: WHAT at FILE:LINE:COL\n" (no
 * location if @pc has none).  Faults on an array name it (detail: MAPS
 * index): "array 'a' is full (size limit 2048)", "aggregate of the
 * empty statistic 's'", "array 'a' locked too long by another CPU"; a
 * READ fault gives its address; USER (error()) prints @msg, @msglen
 * bytes (else @msg is unused).  Shared by the CLI and tests/lang.
 */
void aggfmt_error(FILE *err, const struct vt_prog *prog, u32 fault,
		  s64 detail, u32 pc, const char *msg, size_t msglen);

#endif /* VT_CLI_AGGFMT_H */
