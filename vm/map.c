// SPDX-License-Identifier: GPL-2.0-only
/*
 * map.c - the hash table of one associative array: layout, keyed hash,
 * lookup, insert, delete, clear, check (map.h describes the storage and
 * its invariants).  No host calls: the interpreter takes the map's lock
 * around the operations that need it, and user space uses the same code
 * on a snapshot copy.
 *
 * Every walk is bounded (max_entries steps, and the budget it is given)
 * and every link is checked against max_entries, so even a corrupt
 * region cannot loop or reach outside itself.
 */
#include "vt_priv.h"
#include "map.h"

static inline u32 round8(u32 n)
{
	return (n + 7) & ~7u;
}

/* The header of map @m with @nvslots slots (entries not placed); -1. */
static int map_layout(const struct vt_prog *prog, u32 m, u32 nvslots,
		      struct vt_map_hdr *h)
{
	const struct vt_map_desc *d;
	struct vt_sig_counts cnt;
	u32 nb = 1;

	if (m >= prog->nmaps || !nvslots || nvslots > VT_MAP_VSLOTS_MAX)
		return -1;
	d = &prog->maps[m];
	vt_sig_count(vt_prog_str(prog, d->keysig), &cnt);
	while (nb < d->max_entries)
		nb <<= 1;
	memset(h, 0, sizeof(*h));
	h->magic = VT_MAP_MAGIC;
	h->nbuckets = nb;
	h->max_entries = d->max_entries;
	h->nlong = cnt.nlong;
	h->nstr = cnt.nstr;
	h->strsize = prog->strsize;
	h->keysize = cnt.nlong * 8 + cnt.nstr * prog->strsize;
	h->vkind = d->vkind;
	h->hist = d->hist;
	h->nhist = (u16)d->nbuckets;
	h->nvslots = d->vkind == VT_MAPV_STAT ? nvslots : 1;
	if (d->vkind == VT_MAPV_STAT)
		h->vslot_size = sizeof(struct vt_map_vslot) + d->nbuckets * 8;
	else if (d->vkind == VT_MAPV_STRING)
		h->vslot_size = prog->strsize;
	else
		h->vslot_size = 8;
	h->valsize = h->nvslots * h->vslot_size;
	h->entsize = sizeof(struct vt_map_entry) + round8(h->keysize) +
		     round8(h->valsize);
	h->entries_off = sizeof(*h) + round8(nb * 4);
	return 0;
}

u64 vt_map_size(const struct vt_prog *prog, u32 m, u32 nvslots)
{
	struct vt_map_hdr h;

	if (map_layout(prog, m, nvslots, &h))
		return 0;
	return h.entries_off + (u64)h.max_entries * h.entsize;
}

void vt_map_init(const struct vt_prog *prog, u32 m, void *mem, u32 nvslots,
		 const u64 seed[2])
{
	struct vt_map_hdr *h = mem;
	u32 i;

	if (map_layout(prog, m, nvslots, h))
		return;
	/* All 0: no entry has a seq, so no value slot counts for one. */
	memset(h + 1, 0, h->entries_off - sizeof(*h) +
	       (u64)h->max_entries * h->entsize);
	for (i = 0; i < h->max_entries; i++)
		vt_map_entry(h, i)->fnext = i + 1 < h->max_entries ? i + 2 : 0;
	h->free_head = 1;
	h->free_tail = h->max_entries;
	h->next_seq = 1;
	h->seed[0] = seed[0];
	h->seed[1] = seed[1];
}

/* ------------------------------------------------ SipHash-2-4 */

/* The state of one hash, fed in pieces (written from the paper). */
struct sip {
	u64 v0, v1, v2, v3;
	u64 tail;		/* bytes not yet in a word, low first */
	u32 ntail;
	u32 len;
};

static inline u64 rotl(u64 x, u32 b)
{
	return x << b | x >> (64 - b);
}

static inline void sip_round(struct sip *s)
{
	s->v0 += s->v1;
	s->v1 = rotl(s->v1, 13) ^ s->v0;
	s->v0 = rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = rotl(s->v3, 16) ^ s->v2;
	s->v0 += s->v3;
	s->v3 = rotl(s->v3, 21) ^ s->v0;
	s->v2 += s->v1;
	s->v1 = rotl(s->v1, 17) ^ s->v2;
	s->v2 = rotl(s->v2, 32);
}

static inline void sip_word(struct sip *s, u64 m)
{
	s->v3 ^= m;
	sip_round(s);
	sip_round(s);
	s->v0 ^= m;
}

static void sip_init(struct sip *s, const u64 key[2])
{
	s->v0 = key[0] ^ 0x736f6d6570736575ull;
	s->v1 = key[1] ^ 0x646f72616e646f6dull;
	s->v2 = key[0] ^ 0x6c7967656e657261ull;
	s->v3 = key[1] ^ 0x7465646279746573ull;
	s->tail = 0;
	s->ntail = 0;
	s->len = 0;
}

/* Feed @n bytes; whole words are read in host order (little endian). */
static void sip_bytes(struct sip *s, const u8 *p, u32 n)
{
	u64 w;

	s->len += n;
	for (; n && s->ntail; n--, p++) {
		s->tail |= (u64)*p << (8 * s->ntail);
		if (++s->ntail == 8) {
			sip_word(s, s->tail);
			s->tail = 0;
			s->ntail = 0;
		}
	}
	for (; n >= 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		sip_word(s, w);
	}
	for (; n; n--, p++)
		s->tail |= (u64)*p << (8 * s->ntail++);
}

static u64 sip_final(struct sip *s)
{
	sip_word(s, s->tail | (u64)(s->len & 0xff) << 56);
	s->v2 ^= 0xff;
	sip_round(s);
	sip_round(s);
	sip_round(s);
	sip_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/* ------------------------------------------------ lookup and update */

static const u8 nul;

/* Take @cost from *@left if it fits (map.h: checked before the work). */
static inline bool take(s64 *left, u64 cost)
{
	if (*left < 0 || cost > (u64)*left)
		return false;
	*left -= (s64)cost;
	return true;
}

int vt_map_hash(struct vt_map_hdr *h, const struct vt_map_key *k,
		s64 *left, struct vt_map_ref *r)
{
	const char *q;
	struct sip s;
	u32 j;

	r->e = NULL;
	r->seq = 0;
	r->klen = h->nlong * 8;
	for (j = 0; j < h->nstr; j++) {
		r->slen[j] = vt_strnlen(k->strs + j * h->strsize,
					h->strsize - 1);
		r->klen += r->slen[j] + 1;
	}
	if (!take(left, vt_map_bytes_cost(r->klen)))
		return VT_MAP_NOBUDGET;
	sip_init(&s, h->seed);
	sip_bytes(&s, (const u8 *)k->longs, h->nlong * 8);
	for (j = 0; j < h->nstr; j++) {
		q = k->strs + j * h->strsize;
		sip_bytes(&s, (const u8 *)q, r->slen[j]);
		sip_bytes(&s, &nul, 1);
	}
	r->bucket = (u32)sip_final(&s) & (h->nbuckets - 1);
	return VT_MAP_OK;
}

static bool key_eq(const struct vt_map_hdr *h, const u8 *stored,
		   const struct vt_map_key *k, const struct vt_map_ref *r)
{
	const u8 *s = stored + h->nlong * 8;
	u32 j, n;

	if (h->nlong && memcmp(stored, k->longs, h->nlong * 8))
		return false;
	for (j = 0; j < h->nstr; j++, s += h->strsize) {
		n = r->slen[j];
		if (memcmp(s, k->strs + j * h->strsize, n) || s[n])
			return false;
	}
	return true;
}

/* Entry index + 1 @i, or NULL if 0 or out of range. */
static inline struct vt_map_entry *link_entry(struct vt_map_hdr *h, u32 i)
{
	return i && i <= h->max_entries ? vt_map_entry(h, i - 1) : NULL;
}

struct vt_map_entry *vt_map_live(struct vt_map_hdr *h, u32 i)
{
	struct vt_map_entry *e;

	if (i >= h->max_entries)
		return NULL;
	e = vt_map_entry(h, i);
	return vt_load_acquire(&e->live) ? e : NULL;
}

int vt_map_find(struct vt_map_hdr *h, const struct vt_map_key *k,
		s64 *left, struct vt_map_ref *r)
{
	u64 reuses = vt_load_acquire(&h->reuses), seq;
	u64 step = 1 + vt_map_bytes_cost(r->klen);
	struct vt_map_entry *e;
	u32 i, steps;

	i = vt_load_acquire(&vt_map_buckets(h)[r->bucket]);
	for (steps = 0; (e = link_entry(h, i)) && steps < h->max_entries;
	     steps++) {
		if (!take(left, step))
			return VT_MAP_NOBUDGET;
		seq = vt_load_acquire(&e->seq);
		if (seq && vt_load_acquire(&e->live) &&
		    key_eq(h, vt_map_keyp(e), k, r)) {
			/* The key read was incarnation seq's, whole? */
			vt_smp_rmb();
			if (vt_load_acquire(&e->seq) != seq)
				return VT_MAP_RACED;
			r->e = e;
			r->seq = seq;
			return VT_MAP_OK;
		}
		i = vt_load_acquire(&e->next);
	}
	vt_smp_rmb();
	return vt_load_acquire(&h->reuses) == reuses ? VT_MAP_ABSENT :
						       VT_MAP_RACED;
}

/* Append entry index + 1 @idx (free) to the tail of the free list. */
static void free_append(struct vt_map_hdr *h, struct vt_map_entry *e, u32 idx)
{
	struct vt_map_entry *t = link_entry(h, h->free_tail);

	e->fnext = 0;
	if (t)
		t->fnext = idx;
	else
		h->free_head = idx;
	h->free_tail = idx;
}

void vt_map_delete(struct vt_map_hdr *h, struct vt_map_entry *e)
{
	u32 idx = vt_map_index(h, e) + 1;
	struct vt_map_entry *p = link_entry(h, e->prev);
	struct vt_map_entry *n = link_entry(h, e->next);
	u32 *head = &vt_map_buckets(h)[e->bucket & (h->nbuckets - 1)];

	if (!e->live || (p ? p->next : *head) != idx)
		return;		/* not linked: a corrupt region */
	/* Unlink; e->next stays, for lockless readers standing on e. */
	vt_store_release(p ? &p->next : head, e->next);
	if (n)
		n->prev = e->prev;
	p = link_entry(h, e->older);
	n = link_entry(h, e->newer);
	if (p)
		p->newer = e->newer;
	else
		h->oldest = e->newer;
	if (n)
		n->older = e->older;
	else
		h->newest = e->older;
	vt_store_release(&e->live, 0u);
	h->live--;
	free_append(h, e, idx);
}

/* The next seq: never 0, nor 0 modulo 2^VT_MAP_SEQ_BITS (handles). */
static u64 take_seq(struct vt_map_hdr *h)
{
	u64 seq = h->next_seq;

	if (!(seq & VT_MAP_SEQ_MASK))
		seq++;
	vt_store_release(&h->next_seq, seq + 1);
	return seq;
}

/* Write key @k into entry @e (string keys zero-padded). */
static void key_in(struct vt_map_hdr *h, struct vt_map_entry *e,
		   const struct vt_map_key *k, const struct vt_map_ref *r)
{
	u8 *key = vt_map_keyp(e), *s;
	u32 j, n;

	if (h->nlong)
		memcpy(key, k->longs, h->nlong * 8);
	for (j = 0; j < h->nstr; j++) {
		s = key + h->nlong * 8 + j * h->strsize;
		n = r->slen[j];
		memcpy(s, k->strs + j * h->strsize, n);
		memset(s + n, 0, h->strsize - n);
	}
}

int vt_map_insert(struct vt_map_hdr *h, const struct vt_map_key *k,
		  bool wrap, s64 *left, struct vt_map_ref *r)
{
	u64 cost = 1 + vt_map_bytes_cost(h->keysize);
	u32 *head = &vt_map_buckets(h)[r->bucket & (h->nbuckets - 1)];
	struct vt_map_entry *e, *old;
	u32 i;

	if (h->vkind != VT_MAPV_STAT)
		cost += vt_map_bytes_cost(h->valsize);
	if (*left < 0 || cost > (u64)*left)
		return VT_MAP_NOBUDGET;
	if (!link_entry(h, h->free_head)) {
		old = link_entry(h, h->oldest);
		if (!wrap || !old)
			return VT_MAP_FULL;
		vt_map_delete(h, old);
		if (!link_entry(h, h->free_head))
			return VT_MAP_FULL;	/* a corrupt region */
	}
	*left -= cost;
	i = h->free_head;
	e = vt_map_entry(h, i - 1);
	h->free_head = e->fnext;
	if (!h->free_head)
		h->free_tail = 0;
	if (e->seq) {
		/* Reuse: lockless readers may stand on e (map.h). */
		vt_store_release(&h->reuses, h->reuses + 1);
		vt_store_release(&e->seq, 0ull);
		vt_smp_wmb();
	}
	key_in(h, e, k, r);
	if (h->vkind != VT_MAPV_STAT)
		memset(vt_map_val(h, e), 0, h->valsize);
	/* STAT slots are not cleared: none counts for the new seq. */
	e->bucket = r->bucket & (h->nbuckets - 1);
	e->prev = 0;
	e->next = *head;
	e->fnext = 0;
	e->newer = 0;
	e->older = h->newest;
	old = link_entry(h, h->newest);
	if (old)
		old->newer = i;
	else
		h->oldest = i;
	h->newest = i;
	old = link_entry(h, *head);
	if (old)
		old->prev = i;
	r->e = e;
	r->seq = take_seq(h);
	vt_store_release(&e->seq, r->seq);
	vt_store_release(&e->live, 1u);
	h->live++;
	/* Publish: everything above is visible before the link is. */
	vt_store_release(head, i);
	return VT_MAP_OK;
}

int vt_map_clear(struct vt_map_hdr *h, s64 *left)
{
	struct vt_map_entry *e;
	u32 i, steps;

	if (!take(left, h->live))
		return VT_MAP_NOBUDGET;
	/* Oldest first: the free list keeps the FIFO order. */
	for (steps = 0; (e = link_entry(h, h->oldest)) &&
	     steps < h->max_entries; steps++) {
		i = h->oldest;
		h->oldest = e->newer;
		vt_store_release(&vt_map_buckets(h)[e->bucket &
						     (h->nbuckets - 1)], 0u);
		vt_store_release(&e->live, 0u);
		free_append(h, e, i);
	}
	h->oldest = 0;
	h->newest = 0;
	h->live = 0;
	return VT_MAP_OK;
}

void vt_map_keys_out(struct vt_map_hdr *h, struct vt_map_entry *e,
		     s64 *longs, char *strs, u32 strsize)
{
	const u8 *key = vt_map_keyp(e);
	u32 j;

	if (h->nlong)
		memcpy(longs, key, h->nlong * 8);
	for (j = 0; j < h->nstr; j++) {
		memcpy(strs + j * strsize, key + h->nlong * 8 + j * h->strsize,
		       h->strsize);
		strs[j * strsize + strsize - 1] = '\0';
	}
}

struct vt_map_entry *vt_map_handle_entry(struct vt_map_hdr *h, s64 handle,
					 u64 *hseq)
{
	u64 idx = (u64)handle & ((1u << VT_MAP_IDX_BITS) - 1);

	*hseq = (u64)handle >> VT_MAP_IDX_BITS;
	if (handle < 0 || idx >= h->max_entries || !*hseq ||
	    *hseq > VT_MAP_SEQ_MASK)
		return NULL;
	return vt_map_entry(h, (u32)idx);
}

/* ------------------------------------------------ check */

/* The header alone, against @size. */
static int check_header(const struct vt_map_hdr *h, u64 size)
{
	if (size < sizeof(*h) || h->magic != VT_MAP_MAGIC ||
	    !h->max_entries || h->max_entries > VT_MAP_ENTRIES_MAX ||
	    !h->nbuckets || (h->nbuckets & (h->nbuckets - 1)) ||
	    h->nbuckets < h->max_entries ||
	    h->nbuckets > 2 * VT_MAP_ENTRIES_MAX ||
	    h->strsize < VT_STRSIZE_MIN || h->strsize > VT_STRSIZE_MAX ||
	    h->nlong > VT_MAP_KEYS_MAX || h->nstr > VT_MAP_KEYS_MAX ||
	    h->nlong + h->nstr > VT_MAP_KEYS_MAX ||
	    h->nhist > VT_HIST_BUCKETS_MAX ||
	    h->keysize != h->nlong * 8 + h->nstr * h->strsize ||
	    !h->nvslots || h->nvslots > VT_MAP_VSLOTS_MAX ||
	    (u64)h->valsize != (u64)h->nvslots * h->vslot_size ||
	    h->entsize != sizeof(struct vt_map_entry) + round8(h->keysize) +
			  round8(h->valsize) ||
	    h->entries_off != sizeof(*h) + round8(h->nbuckets * 4) ||
	    (h->vkind == VT_MAPV_STAT && h->vslot_size !=
	     sizeof(struct vt_map_vslot) + (u32)h->nhist * 8) ||
	    (h->flags & ~VT_MAP_F_COPY) || h->live > h->max_entries)
		return -1;
	if (h->entries_off + (u64)h->max_entries * h->entsize > size ||
	    h->free_head > h->max_entries || h->free_tail > h->max_entries ||
	    h->oldest > h->max_entries || h->newest > h->max_entries)
		return -1;
	return 0;
}

/* Every chain: live entries in their own bucket, prev matching. */
static u32 check_chains(struct vt_map_hdr *h)
{
	struct vt_map_entry *e;
	u32 b, i, prev, n = 0;

	for (b = 0; b < h->nbuckets; b++) {
		prev = 0;
		for (i = vt_map_buckets(h)[b]; (e = link_entry(h, i));
		     i = e->next) {
			if (!e->live || e->bucket != b || e->prev != prev ||
			    ++n > h->live)
				return ~0u;
			prev = i;
		}
	}
	return n;
}

/* The age list: live entries, seq increasing, older/newer matching. */
static u32 check_ages(struct vt_map_hdr *h)
{
	struct vt_map_entry *e;
	u32 i, prev = 0, n = 0;
	u64 seq = 0;

	for (i = h->oldest; (e = link_entry(h, i)); i = e->newer) {
		if (!e->live || e->older != prev || e->seq <= seq ||
		    e->seq >= h->next_seq || ++n > h->live)
			return ~0u;
		seq = e->seq;
		prev = i;
	}
	return prev == h->newest ? n : ~0u;
}

/* The free list: entries not live, max_entries - live of them. */
static u32 check_free(struct vt_map_hdr *h)
{
	struct vt_map_entry *e;
	u32 i, prev = 0, n = 0;

	for (i = h->free_head; (e = link_entry(h, i)); i = e->fnext) {
		if (e->live || ++n > h->max_entries - h->live)
			return ~0u;
		prev = i;
	}
	return prev == h->free_tail ? n : ~0u;
}

int vt_map_check(const void *mem, u64 size)
{
	struct vt_map_hdr *h = (struct vt_map_hdr *)mem;
	const struct vt_map_entry *e;
	u32 i, live = 0;

	if (!mem || ((unsigned long)mem & 7) || check_header(h, size))
		return -1;
	for (i = 0; i < h->nbuckets; i++)
		if (vt_map_buckets(h)[i] > h->max_entries)
			return -1;
	for (i = 0; i < h->max_entries; i++) {
		e = vt_map_entry(h, i);
		if (e->next > h->max_entries || e->prev > h->max_entries ||
		    e->older > h->max_entries || e->newer > h->max_entries ||
		    e->fnext > h->max_entries || e->live > 1 ||
		    e->bucket >= h->nbuckets)
			return -1;
		live += e->live;
	}
	if (live != h->live)
		return -1;
	if (h->flags & VT_MAP_F_COPY)
		return 0;
	if (check_chains(h) != h->live || check_ages(h) != h->live ||
	    check_free(h) != h->max_entries - h->live)
		return -1;
	return 0;
}
