/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * map.h - the storage of one associative array or statistic, and the
 * operations on it.  Shared by the VM (probe context) and user space,
 * which parses the raw copy the snapshot ioctl returns with the same
 * code.  No host calls here: locking is the caller's (interp.c).
 *
 * Layout of one map: one contiguous, 8-aligned region; indices, never
 * pointers, so a copy stays valid anywhere.
 *
 *   struct vt_map_hdr		(112 bytes)
 *   u32 bucket[nbuckets]	entry index + 1 of a chain's head, 0 empty;
 *				nbuckets a power of two >= max_entries;
 *				padded to 8 bytes
 *   entry[max_entries]		each entsize bytes (8-aligned):
 *     struct vt_map_entry	links and incarnation (40 bytes)
 *     key			keysize bytes: the long keys (8 bytes each,
 *				host order) then the string keys (strsize
 *				bytes each, zero-padded after the NUL), in
 *				keysig order within each kind; so two keys
 *				are equal iff their bytes are (memcmp)
 *     (pad to 8)
 *     value			LONG: s64; STRING: strsize bytes, NUL-
 *				terminated; STAT: nvslots slots, each a
 *				struct vt_map_vslot and nhist s64 counters
 *
 * Hashing: SipHash-2-4 keyed with the header's seed (random per map,
 * from the host at vt_map_init()), over the long keys' bytes then each
 * string's bytes and its NUL; bucket = hash & (nbuckets - 1).  A script
 * cannot choose keys that share a bucket without the seed, and every
 * chain step is charged to the budget anyway (vt_map_find()).
 *
 * Lists (all under the map's lock): a live entry is in exactly one
 * bucket chain (next/prev, its bucket in bucket) and in the age list
 * (older/newer, oldest .. newest, insertion order).  A free entry (live
 * 0) is in the FIFO free list (free_head .. free_tail through fnext):
 * deleted entries join its tail, so their reuse is delayed as long as
 * possible, and a deleted entry keeps its next, so a lockless reader
 * standing on it still reaches the rest of the chain.
 *
 * Incarnations: seq is unique per insertion (next_seq, never 0, never
 * 0 modulo 2^VT_MAP_SEQ_BITS).  Reusing an entry first bumps the header's
 * reuses, then sets the entry's seq to 0, then rewrites key and links,
 * then publishes the new seq and live (release).  So a lockless reader
 * that saw seq s before and after reading a key (vt_smp_rmb() between)
 * read the key of incarnation s, whole; one whose walk saw reuses
 * unchanged was never diverted into another chain.
 *
 * Statistics: value slot v is written only by the firing that owns v
 * (vt_exec.vslot), without the lock.  A slot counts for the incarnation
 * in its own seq; readers merge only the slots whose seq is the
 * entry's, so an insert never clears slots, and an add that raced with
 * the entry's delete and reuse lands in a slot the new incarnation
 * ignores (and its owner resets before its first add to it).  An add
 * racing a delete of its own key may thus be lost; it never counts for
 * another key.
 *
 * Snapshots (VT_MAP_F_COPY): the host copies entries in chunks, each
 * chunk under the lock, so each entry's header, key and array value are
 * those of one moment (statistic slots: each as its owner left it, read
 * without the lock), but chunks are of different moments: the copy's
 * buckets, free list and age list are zeroed, live counts the live
 * entries copied, the seed is zeroed, and a key deleted and re-inserted
 * during the copy may appear twice (keep the higher seq) or not at all.
 * Readers of a copy scan the entries.
 */
#ifndef VT_MAP_H
#define VT_MAP_H

#include "vt_vm.h"

#define VT_MAP_MAGIC		0x504d5456u	/* "VTMP" */
#define VT_MAP_VSLOTS_MAX	4096u		/* value slots (CPUs) */
#define VT_MAP_F_COPY		0x1u		/* hdr flags: a snapshot copy */

/* A foreach entry handle: entry index | (seq mod 2^SEQ_BITS) << IDX_BITS. */
#define VT_MAP_IDX_BITS		20u		/* VT_MAP_ENTRIES_MAX = 2^20 */
#define VT_MAP_SEQ_BITS		43u
#define VT_MAP_SEQ_MASK		((1ull << VT_MAP_SEQ_BITS) - 1)

struct vt_map_hdr {
	u32 magic;		/* VT_MAP_MAGIC */
	u32 nbuckets;		/* power of two >= max_entries */
	u32 max_entries;
	u32 live;		/* live entries */
	u32 free_head;		/* entry index + 1, 0 if none free */
	u32 free_tail;		/* entry index + 1, 0 if none free */
	u32 oldest;		/* age list: entry index + 1, 0 if empty */
	u32 newest;
	u32 nlong;		/* long keys */
	u32 nstr;		/* string keys */
	u32 strsize;		/* bytes of a string key or value */
	u32 keysize;		/* nlong * 8 + nstr * strsize */
	u32 valsize;		/* value bytes (all slots) */
	u32 entsize;		/* 40 + keysize + valsize, each 8-aligned */
	u32 nvslots;		/* value slots of a STAT (else 1) */
	u32 vslot_size;		/* STAT: 56 + nhist * 8; else valsize */
	u32 entries_off;	/* from the start of the map */
	u8 vkind;		/* enum vt_map_vkind */
	u8 hist;		/* enum vt_hist_kind */
	u16 nhist;		/* histogram counters per slot */
	u32 flags;		/* VT_MAP_F_* */
	u32 reserved;
	u64 reuses;		/* bumped before an entry is reused */
	u64 next_seq;		/* seq of the next insert */
	u64 seed[2];		/* SipHash key; 0 in a snapshot copy */
};

struct vt_map_entry {
	u32 next;		/* chain: index + 1 of the next entry, 0 end */
	u32 prev;		/* chain: index + 1 of the previous, 0 head */
	u32 bucket;		/* the chain's bucket (live) */
	u32 live;		/* 1 in a chain, 0 free */
	u32 older;		/* age list: index + 1, 0 none */
	u32 newer;
	u32 fnext;		/* free list: index + 1 of the next, 0 end */
	u32 reserved;
	u64 seq;		/* incarnation; 0: never used, or rewriting */
	/* key, then value (at vt_map_val()) */
};

/* A STAT value slot; nhist s64 histogram counters follow it. */
struct vt_map_vslot {
	u64 seq;		/* the incarnation it counts for */
	struct vt_stat st;
};

/*
 * A key to look up: long keys at @longs (consecutive registers), string
 * keys at @strs, strsize apart, each NUL-terminated within strsize.
 */
struct vt_map_key {
	const s64 *longs;
	const char *strs;
};

/*
 * One operation's view of a key: vt_map_hash() fills bucket, klen and
 * slen; vt_map_find() and vt_map_insert() fill e and seq.
 */
struct vt_map_ref {
	u32 bucket;
	u32 klen;			/* bytes hashed: longs, strings + NULs */
	u32 slen[VT_MAP_KEYS_MAX];	/* each string key's length */
	struct vt_map_entry *e;
	u64 seq;			/* e's incarnation */
};

/* Results of vt_map_find() and vt_map_insert(). */
enum {
	VT_MAP_OK = 0,		/* found / inserted: ref e, seq */
	VT_MAP_ABSENT = 1,	/* not there (find) */
	VT_MAP_NOBUDGET = 2,	/* the work would exceed *left: nothing done */
	VT_MAP_RACED = 3,	/* lockless find met a reuse: ask again locked */
	VT_MAP_FULL = 4,	/* insert: no free entry, no wrap */
};

/*
 * Budget of map work: one unit per entry visited or list step, plus one
 * per 64 bytes hashed, compared, copied or cleared (the instruction's
 * own unit is the interpreter's).  Every operation below that takes
 * @left checks its cost against *left before doing the work and
 * subtracts it; if it does not fit, it does nothing more and returns
 * VT_MAP_NOBUDGET.
 */
static inline u64 vt_map_bytes_cost(u64 bytes)
{
	return bytes / 64;
}

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

static inline u32 vt_map_index(struct vt_map_hdr *h, struct vt_map_entry *e)
{
	return (u32)(((u8 *)e - ((u8 *)h + h->entries_off)) / h->entsize);
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
static inline struct vt_map_vslot *vt_map_vslot(struct vt_map_hdr *h,
						struct vt_map_entry *e, u32 s)
{
	return (struct vt_map_vslot *)(vt_map_val(h, e) +
				       (u64)s * h->vslot_size);
}

/* Entry @i (< max_entries) if live, else NULL. */
struct vt_map_entry *vt_map_live(struct vt_map_hdr *h, u32 i);

/* The key's hash, bucket and lengths into @r (costs klen / 64). */
int vt_map_hash(struct vt_map_hdr *h, const struct vt_map_key *k,
		s64 *left, struct vt_map_ref *r);

/*
 * Look up @k in bucket r->bucket (after vt_map_hash()); lockless-safe.
 * Each entry visited costs 1 + klen / 64.  VT_MAP_OK (r->e, r->seq: the
 * entry held key @k as incarnation seq), ABSENT, NOBUDGET, or RACED
 * when an entry was reused during the walk and the key was not found
 * (only without the lock).
 */
int vt_map_find(struct vt_map_hdr *h, const struct vt_map_key *k,
		s64 *left, struct vt_map_ref *r);

/*
 * Insert @k (absent: the caller looked under the lock) with a zero
 * value, into r->bucket.  Costs 1 + keysize / 64 (+ valsize / 64 for
 * an array).  Full: with @wrap the oldest entry is replaced, else
 * VT_MAP_FULL.  Under the lock.
 */
int vt_map_insert(struct vt_map_hdr *h, const struct vt_map_key *k,
		  bool wrap, s64 *left, struct vt_map_ref *r);

/* Unlink a live entry and append it to the free list; O(1), lock held. */
void vt_map_delete(struct vt_map_hdr *h, struct vt_map_entry *e);

/* Delete every entry: costs live; VT_MAP_OK or NOBUDGET.  Lock held. */
int vt_map_clear(struct vt_map_hdr *h, s64 *left);

/* Copy entry @e's keys out: longs to @longs, strings to @strs. */
void vt_map_keys_out(struct vt_map_hdr *h, struct vt_map_entry *e,
		     s64 *longs, char *strs, u32 strsize);

/* The entry a foreach handle names, or NULL (out of range, seq 0). */
struct vt_map_entry *vt_map_handle_entry(struct vt_map_hdr *h, s64 handle,
					 u64 *hseq);

static inline s64 vt_map_handle(u32 idx, u64 seq)
{
	return (s64)((seq & VT_MAP_SEQ_MASK) << VT_MAP_IDX_BITS | idx);
}

/*
 * Sort entry indices @idx[@n] (live entries of map it->map, storage @h)
 * in foreach order: iter desc @it's key, value or aggregate, direction
 * applied, ties by insertion seq.  Heapsort: in place, bounded, no
 * recursion; at most vt_map_sort_cost() budget units of work.
 */
void vt_map_sort(const struct vt_prog *prog, const struct vt_iter_desc *it,
		 struct vt_map_hdr *h, u32 *idx, u32 n);
u64 vt_map_sort_cost(const struct vt_prog *prog,
		     const struct vt_iter_desc *it, struct vt_map_hdr *h,
		     u32 n);

/*
 * Sanity check of a storage (user space: a snapshot, the fuzzer):
 * header consistent with @size bytes and every link in range; unless
 * it is a VT_MAP_F_COPY, also the lists: every chain and the age list
 * hold exactly the live entries, each chain entry in its own bucket
 * with prev matching, the free list exactly the others.  0 or -1.
 */
int vt_map_check(const void *mem, u64 size);

/* stat.c: statistics. */
/*
 * Add @v to entry @e's slot @vslot (its owner only) for incarnation
 * @seq, resetting the slot first if it counted for another one (costs
 * vslot_size / 64).  VT_MAP_OK or NOBUDGET.
 */
int vt_stat_slot_add(struct vt_map_hdr *h, struct vt_map_entry *e, u64 seq,
		     u32 vslot, const struct vt_map_desc *d, s64 v, s64 *left);
/*
 * Merge entry @e's slots that count for incarnation @seq into @out (and
 * its histogram into @hist, h->nhist counters, if non-NULL).
 */
void vt_stat_merge(struct vt_stat *out, s64 *hist, struct vt_map_hdr *h,
		   struct vt_map_entry *e, u64 seq);
/* Aggregate @agg of a merged stat with count > 0. */
s64 vt_stat_agg(const struct vt_stat *st, u32 agg);
/* Histogram bucket of @v (< d->nbuckets). */
u32 vt_hist_bucket(const struct vt_map_desc *d, s64 v);

#endif /* VT_MAP_H */
