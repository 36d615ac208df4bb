// SPDX-License-Identifier: GPL-2.0-only
/*
 * stack.c - the stack table (layout and invariants in stack.h); the
 * helpers that fill it are in helpers.c.  No host calls, so user space
 * links it to read table copies.
 */
#include "vt_priv.h"
#include "stack.h"

static u32 vt_stack_nbuckets(u32 max)
{
	u32 n = 1;

	while (n < 2 * max)
		n <<= 1;
	return n;
}

static u64 vt_stack_bucket_bytes(u32 max)
{
	return ((u64)vt_stack_nbuckets(max) * 4 + 7) & ~(u64)7;
}

u64 vt_stacks_size(u32 max)
{
	if (!max || max > VT_STACKS_MAX)
		return 0;
	return sizeof(struct vt_stack_hdr) + vt_stack_bucket_bytes(max) +
	       (u64)max * sizeof(struct vt_stack_ent);
}

void vt_stacks_init(void *mem, u32 max)
{
	struct vt_stack_hdr *h = mem;

	memset(mem, 0, (size_t)vt_stacks_size(max));
	h->magic = VT_STACK_MAGIC;
	h->max_stacks = max;
	h->nbuckets = vt_stack_nbuckets(max);
}

static u32 *vt_stack_buckets(const struct vt_stack_hdr *h)
{
	return (u32 *)(h + 1);
}

static struct vt_stack_ent *vt_stack_ent(const struct vt_stack_hdr *h,
					 u32 id)
{
	u8 *ents = (u8 *)(h + 1) + vt_stack_bucket_bytes(h->max_stacks);

	return (struct vt_stack_ent *)ents + (id - 1);
}

static u64 vt_stack_hash(const u64 *frames, u32 n, u32 kind, u32 pid)
{
	u64 h = 0x9e3779b97f4a7c15ull ^ kind ^ (u64)n << 32 ^ (u64)pid << 40;
	u32 i;

	for (i = 0; i < n; i++) {
		h = (h ^ frames[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 33;
	}
	return h;
}

static bool vt_stack_same(const struct vt_stack_ent *e, u64 hash,
			  const u64 *frames, u32 n, u32 kind, u32 pid)
{
	return e->hash == hash && e->nframes == n && e->kind == kind &&
	       e->pid == pid &&
	       !memcmp(e->frames, frames, (size_t)n * 8);
}

/* Claim a free entry: its id, or 0 (full, or lost the race too often). */
static u32 vt_stack_claim(struct vt_stack_hdr *h)
{
	u32 tries, u;

	for (tries = 0; tries < VT_STACK_PROBES; tries++) {
		u = READ_ONCE(h->used);
		if (u >= h->max_stacks)
			return 0;
		if (vt_cmpxchg(&h->used, u, u + 1) == u)
			return u + 1;
	}
	return 0;
}

static void vt_stack_drop(struct vt_stack_hdr *h)
{
	u64 d;
	u32 tries;

	for (tries = 0; tries < VT_STACK_PROBES; tries++) {
		d = READ_ONCE(h->drops);
		if (vt_cmpxchg(&h->drops, d, d + 1) == d)
			return;
	}
}

u32 vt_stack_insert(void *mem, const u64 *frames, u32 n, u32 kind, u32 pid,
		    u32 *work)
{
	struct vt_stack_hdr *h = mem;
	u32 *bucket = vt_stack_buckets(h);
	u64 hash = vt_stack_hash(frames, n, kind, pid);
	u32 i, id, mine = 0;
	struct vt_stack_ent *e;

	if (!n)
		return 0;
	*work += n * 8;
	for (i = 0; i < VT_STACK_PROBES; i++) {
		u32 b = (u32)(hash + i) & (h->nbuckets - 1);

		id = vt_load_acquire(&bucket[b]);
		if (!id && !mine) {
			mine = vt_stack_claim(h);
			if (!mine)
				break;
			e = vt_stack_ent(h, mine);
			e->hash = hash;
			e->nframes = n;
			e->kind = kind;
			e->pid = pid;
			memcpy(e->frames, frames, (size_t)n * 8);
			*work += n * 8;
		}
		if (!id) {
			id = vt_cmpxchg(&bucket[b], 0, mine);
			if (!id)
				return mine;
		}
		*work += n * 8;
		if (vt_stack_same(vt_stack_ent(h, id), hash, frames, n, kind,
				  pid))
			return id;
	}
	vt_stack_drop(h);
	return 0;
}

const struct vt_stack_ent *vt_stack_entry(const void *mem, u64 size,
					  u32 id)
{
	const struct vt_stack_hdr *h = mem;
	const struct vt_stack_ent *e;

	if (size < sizeof(*h) || h->magic != VT_STACK_MAGIC ||
	    vt_stacks_size(h->max_stacks) != size ||
	    h->nbuckets != vt_stack_nbuckets(h->max_stacks) ||
	    !id || id > h->used || id > h->max_stacks)
		return NULL;
	e = vt_stack_ent(h, id);
	return e->nframes >= 1 && e->nframes <= VT_STACK_DEPTH ? e : NULL;
}
