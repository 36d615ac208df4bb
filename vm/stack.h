/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stack.h - the session's stack table: the call stacks backtrace() and
 * its family captured, each stored once, named by a small id (the stack
 * references of vtrace_uapi.h carry it).  Shared by the VM (probe
 * context, any context up to NMI) and user space, which reads the copy
 * VT_SNAP_STACKS returns with vt_stack_entry().  No host calls here.
 *
 * Layout: one contiguous, 8-aligned region the host allocates once
 * (vt_stacks_size(), vt_stacks_init()), before anything fires:
 *
 *   struct vt_stack_hdr	(24 bytes)
 *   u32 bucket[nbuckets]	an entry's id (index + 1), 0 empty; nbuckets
 *				the power of two >= 2 x max_stacks; padded
 *				to 8 bytes
 *   struct vt_stack_ent[max_stacks]
 *
 * Invariants:
 *  - Nothing is ever removed or rewritten once published: an id stored
 *    in a bucket names an entry whose frames were written before (the
 *    bucket is set by a compare-and-swap, a full barrier), so a reader
 *    that loads the bucket with acquire sees the whole entry, and a copy
 *    taken after a record carrying the id holds it.
 *  - Insertion is lock-free (vt_stack_insert): an entry is claimed by a
 *    compare-and-swap on used (< max_stacks), written, then published by
 *    a compare-and-swap of an empty bucket.  Two firings storing one
 *    stack at once may both claim an entry; the loser returns the
 *    winner's id and its entry stays unused (counted in used, never
 *    named).  Lookups probe at most VT_STACK_PROBES buckets.
 *  - A stack that cannot be stored (table full, VT_STACK_PROBES buckets
 *    taken, or the claim lost VT_STACK_PROBES times) gets id 0 and
 *    counts in drops; the table keeps working for stacks already in it.
 *    The consumer reports drops at the end.
 *  - Memory: vt_stacks_size(max) = 24 + 8 max (buckets, rounded) +
 *    max x sizeof(struct vt_stack_ent) (536 bytes): 2.1 MiB for the
 *    default 4096 stacks, 34 MiB at VT_STACKS_MAX.
 */
#ifndef VT_STACK_H
#define VT_STACK_H

#include "vt_compat.h"
#include "vtrace_uapi.h"

#define VT_STACK_MAGIC		0x4b545356u	/* "VSTK" */
#define VT_STACK_PROBES		32u		/* buckets one lookup visits */

enum vt_stack_kind {
	VT_STACK_KIND_KERNEL = 1,
	VT_STACK_KIND_USER,	/* addresses in process pid's memory */
};

struct vt_stack_hdr {
	u32 magic;
	u32 max_stacks;
	u32 nbuckets;
	u32 used;		/* entries claimed, <= max_stacks */
	u64 drops;		/* stacks not stored */
};

struct vt_stack_ent {
	u64 hash;
	u32 nframes;		/* 1..VT_STACK_DEPTH */
	u32 kind;		/* enum vt_stack_kind */
	u32 pid;		/* USER: the process (tgid); KERNEL: 0 */
	u32 reserved;
	u64 frames[VT_STACK_DEPTH];	/* innermost first */
};

/* Bytes of a table of @max stacks; 0 if @max is 0 or > VT_STACKS_MAX. */
u64 vt_stacks_size(u32 max);
void vt_stacks_init(void *mem, u32 max);

/*
 * The id of the stack @frames[0..n) of @kind (and process @pid for a
 * user stack), stored if new; 0 when @n is 0 or it could not be stored
 * (drops counted).  Adds the bytes it hashed and compared to *@work.
 */
u32 vt_stack_insert(void *mem, const u64 *frames, u32 n, u32 kind, u32 pid,
		    u32 *work);

/*
 * User space: the entry of @id in a copy of @size bytes, or NULL when
 * the copy is not a table, @id is 0 or unknown, or its entry is bad.
 */
const struct vt_stack_ent *vt_stack_entry(const void *mem, u64 size,
					  u32 id);

#endif /* VT_STACK_H */
