/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * map.h - the storage of one associative array or statistic, and the
 * operations on it.  Shared by the VM (probe context) and user space,
 * which parses the raw copy the snapshot ioctl returns with the same
 * functions.  No host calls here: locking is the caller's (interp.c).
 *
 * Layout of one map: one contiguous, 8-aligned region; indices, never
 * pointers, so a copy stays valid anywhere.
 *
 *   struct vt_map_hdr		(72 bytes)
 *   u32 bucket[nbuckets]	entry index + 1 of a chain's head, 0 empty;
 *				nbuckets a power of two >= max_entries;
 *				padded to 8 bytes
 *   entry[max_entries]		each entsize bytes (8-aligned):
 *     struct vt_map_entry	next, live, fnext, seq (24 bytes)
 *     key			keysize bytes: the long keys (8 bytes each,
 *				host order) then the string keys (strsize
 *				bytes each, zero-padded after the NUL), in
 *				keysig order within each kind; so two keys
 *				are equal iff their bytes are (memcmp)
 *     (pad to 8)
 *     value			LONG: s64; STRING: strsize bytes, NUL-
 *				terminated; STAT: nvslots slots, each a
 *				struct vt_stat and nbuckets s64 counters
 *
 * A live entry is in exactly one bucket chain (the one its key hashes
 * to, FNV-1a 64 over the key with each string cut at its NUL).  A free
 * entry (live 0) is in the FIFO free list (free_head .. free_tail,
 * linked through fnext): deleted entries join its tail, so their reuse
 * is delayed as long as possible, and a deleted entry keeps its next,
 * so a lockless reader standing on it still reaches the rest of the
 * chain.
 *
 * Concurrency: insert, delete and clear run under the map's lock (the
 * host's).  A new entry is fully written before a release store links
 * it into its bucket, so a lockless lookup (vt_map_find(), acquire
 * loads, at most max_entries steps) sees it whole.  seq: insertion
 * order, unique, from next_seq.
 */
#ifndef VT_MAP_H
#define VT_MAP_H

#include "vt_vm.h"

#define VT_MAP_MAGIC		0x504d5456u	/* "VTMP" */
#define VT_MAP_VSLOTS_MAX	4096u		/* value slots (CPUs) */

struct vt_map_hdr {
	u32 magic;		/* VT_MAP_MAGIC */
	u32 nbuckets;		/* power of two >= max_entries */
	u32 max_entries;
	u32 live;		/* live entries */
	u32 free_head;		/* entry index + 1, 0 if none free */
	u32 free_tail;		/* entry index + 1, 0 if none free */
	u32 nlong;		/* long keys */
	u32 nstr;		/* string keys */
	u32 strsize;		/* bytes of a string key or value */
	u32 keysize;		/* nlong * 8 + nstr * strsize */
	u32 valsize;		/* value bytes (all slots) */
	u32 entsize;		/* 24 + keysize + valsize, each 8-aligned */
	u32 nvslots;		/* value slots of a STAT (else 1) */
	u32 vslot_size;		/* STAT: 48 + nhist * 8; else valsize */
	u32 entries_off;	/* from the start of the map */
	u8 vkind;		/* enum vt_map_vkind */
	u8 hist;		/* enum vt_hist_kind */
	u16 nhist;		/* histogram counters per slot */
	u64 next_seq;		/* seq of the next insert */
};

struct vt_map_entry {
	u32 next;		/* chain: index + 1 of the next entry, 0 end */
	u32 live;		/* 1 in a chain, 0 free */
	u32 fnext;		/* free list: index + 1 of the next, 0 end */
	u32 reserved;
	u64 seq;		/* insertion order */
	/* key, then value (at vt_map_val()) */
};

/*
 * A key to look up: long keys at @longs (8 bytes each, may be
 * unaligned-safe registers), string keys at @strs, @strsize apart, each
 * NUL-terminated within strsize.  A stored key is such a view too.
 */
struct vt_map_key {
	const s64 *longs;
	const char *strs;
};

/* vt_map_size() and vt_map_init() are declared in vt_vm.h. */

static inline u32 *vt_map_buckets(struct vt_map_hdr *h)
{
	return (u32 *)(h + 1);
}

static inline struct vt_map_entry *vt_map_entry(struct vt_map_hdr *h, u32 i)
{
	return (struct vt_map_entry *)((u8 *)h + h->entries_off +
				       (u64)i * h->entsize);
}

static inline u8 *vt_map_keyp(struct vt_map_entry *e)
{
	return (u8 *)(e + 1);
}

static inline u8 *vt_map_val(struct vt_map_hdr *h, struct vt_map_entry *e)
{
	return (u8 *)(e + 1) + ((h->keysize + 7) & ~7u);
}

/* STAT value slot @s of entry @e. */
static inline struct vt_stat *vt_map_vslot(struct vt_map_hdr *h,
					   struct vt_map_entry *e, u32 s)
{
	return (struct vt_stat *)(vt_map_val(h, e) + (u64)s * h->vslot_size);
}

/* Entry @i (< max_entries) if live, else NULL. */
struct vt_map_entry *vt_map_live(struct vt_map_hdr *h, u32 i);

/* Lookup; lockless-safe (acquire loads, bounded walk).  NULL if absent. */
struct vt_map_entry *vt_map_find(struct vt_map_hdr *h,
				 const struct vt_map_key *k);

/*
 * Insert @k (absent: the caller checked under the lock) with a zero
 * value.  Full: with @wrap the oldest entry is replaced (*@cost gets the
 * entries scanned), else NULL.
 */
struct vt_map_entry *vt_map_insert(struct vt_map_hdr *h,
				   const struct vt_map_key *k, bool wrap,
				   u32 *cost);

/* Unlink a live entry and append it to the free list. */
void vt_map_delete(struct vt_map_hdr *h, struct vt_map_entry *e);

/* Delete every entry; returns the entries visited (budget). */
u32 vt_map_clear(struct vt_map_hdr *h);

/* Copy entry @e's keys out: longs to @longs, strings to @strs. */
void vt_map_keys_out(struct vt_map_hdr *h, struct vt_map_entry *e,
		     s64 *longs, char *strs, u32 strsize);

/*
 * Sort entry indices @idx[@n] (live entries of map it->map, storage @h)
 * in foreach order: iter desc @it's key, value or aggregate, direction
 * applied, ties by insertion seq.  Heapsort: in place, bounded, no
 * recursion; about n log2 n comparisons (each merging nvslots slots
 * when sorting a statistic by value).
 */
void vt_map_sort(const struct vt_prog *prog, const struct vt_iter_desc *it,
		 struct vt_map_hdr *h, u32 *idx, u32 n);

/*
 * Sanity check of a storage copy (user space, snapshot): header
 * consistent with @size bytes and every link in range.  0 or -1.
 */
int vt_map_check(const void *mem, u64 size);

/* stat.c: statistics. */
void vt_stat_add(struct vt_stat *st, s64 *hist, const struct vt_map_desc *d,
		 s64 v);
/* Merge @n slots @slot_size apart into @out (and @hist if non-NULL). */
void vt_stat_merge(struct vt_stat *out, s64 *hist, const u8 *slots, u32 n,
		   u32 slot_size, u32 nhist);
/* Aggregate @agg of a merged stat with count > 0. */
s64 vt_stat_agg(const struct vt_stat *st, u32 agg);
/* Histogram bucket of @v (< d->nbuckets). */
u32 vt_hist_bucket(const struct vt_map_desc *d, s64 v);

#endif /* VT_MAP_H */
