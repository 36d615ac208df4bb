// SPDX-License-Identifier: GPL-2.0-only
/*
 * map.c - the hash table of one associative array: layout, lookup,
 * insert, delete, clear (map.h describes the storage).  No host calls:
 * the interpreter takes the map's lock around the operations that need
 * it, and user space uses the same code on a snapshot copy.
 *
 * Every walk is bounded (max_entries steps) and every link is checked
 * against max_entries, so even a corrupt region cannot loop or reach
 * outside itself.
 */
#include "vt_priv.h"
#include "map.h"

#define VT_FNV_OFFSET	0xcbf29ce484222325ull
#define VT_FNV_PRIME	0x100000001b3ull

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
		h->vslot_size = sizeof(struct vt_stat) + d->nbuckets * 8;
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

void vt_map_init(const struct vt_prog *prog, u32 m, void *mem, u32 nvslots)
{
	struct vt_map_hdr *h = mem;
	u32 i;

	if (map_layout(prog, m, nvslots, h))
		return;
	memset(h + 1, 0, h->entries_off - sizeof(*h) +
	       (u64)h->max_entries * h->entsize);
	for (i = 0; i < h->max_entries; i++)
		vt_map_entry(h, i)->fnext = i + 1 < h->max_entries ? i + 2 : 0;
	h->free_head = 1;
	h->free_tail = h->max_entries;
}

/* FNV-1a over the key, each string cut at its NUL, then a 0xff. */
static u64 key_hash(const struct vt_map_hdr *h, const struct vt_map_key *k)
{
	const u8 *p = (const u8 *)k->longs;
	u64 x = VT_FNV_OFFSET;
	u32 i, j;

	for (i = 0; i < h->nlong * 8; i++)
		x = (x ^ p[i]) * VT_FNV_PRIME;
	for (j = 0; j < h->nstr; j++) {
		p = (const u8 *)k->strs + j * h->strsize;
		for (i = 0; i < h->strsize - 1 && p[i]; i++)
			x = (x ^ p[i]) * VT_FNV_PRIME;
		x = (x ^ 0xff) * VT_FNV_PRIME;
	}
	return x;
}

static bool key_eq(const struct vt_map_hdr *h, const u8 *stored,
		   const struct vt_map_key *k)
{
	const u8 *s = stored + h->nlong * 8;
	const char *q;
	u32 j, n;

	if (h->nlong && memcmp(stored, k->longs, h->nlong * 8))
		return false;
	for (j = 0; j < h->nstr; j++, s += h->strsize) {
		q = k->strs + j * h->strsize;
		n = vt_strnlen(q, h->strsize - 1);
		if (memcmp(s, q, n) || s[n])
			return false;
	}
	return true;
}

struct vt_map_entry *vt_map_live(struct vt_map_hdr *h, u32 i)
{
	struct vt_map_entry *e;

	if (i >= h->max_entries)
		return NULL;
	e = vt_map_entry(h, i);
	return vt_load_acquire(&e->live) ? e : NULL;
}

struct vt_map_entry *vt_map_find(struct vt_map_hdr *h,
				 const struct vt_map_key *k)
{
	u32 *bucket = &vt_map_buckets(h)[key_hash(h, k) & (h->nbuckets - 1)];
	u32 i = vt_load_acquire(bucket), steps;
	struct vt_map_entry *e;

	for (steps = 0; i && i <= h->max_entries && steps < h->max_entries;
	     steps++) {
		e = vt_map_entry(h, i - 1);
		if (vt_load_acquire(&e->live) && key_eq(h, vt_map_keyp(e), k))
			return e;
		i = vt_load_acquire(&e->next);
	}
	return NULL;
}

void vt_map_delete(struct vt_map_hdr *h, struct vt_map_entry *e)
{
	u8 *first = (u8 *)h + h->entries_off;
	u32 idx = (u32)(((u8 *)e - first) / h->entsize) + 1;
	struct vt_map_key k = {
		.longs = (const s64 *)vt_map_keyp(e),
		.strs = (const char *)vt_map_keyp(e) + h->nlong * 8,
	};
	u32 *link = &vt_map_buckets(h)[key_hash(h, &k) & (h->nbuckets - 1)];
	u32 steps;

	for (steps = 0; *link && *link != idx && *link <= h->max_entries &&
	     steps < h->max_entries; steps++)
		link = &vt_map_entry(h, *link - 1)->next;
	if (*link != idx)
		return;		/* not linked: a corrupt region */
	/* Unlink; e->next stays, for lockless readers standing on e. */
	vt_store_release(link, e->next);
	vt_store_release(&e->live, 0u);
	h->live--;
	e->fnext = 0;
	if (h->free_tail)
		vt_map_entry(h, h->free_tail - 1)->fnext = idx;
	else
		h->free_head = idx;
	h->free_tail = idx;
}

/* The live entry inserted first, or NULL. */
static struct vt_map_entry *oldest(struct vt_map_hdr *h)
{
	struct vt_map_entry *e, *best = NULL;
	u32 i;

	for (i = 0; i < h->max_entries; i++) {
		e = vt_map_entry(h, i);
		if (e->live && (!best || e->seq < best->seq))
			best = e;
	}
	return best;
}

struct vt_map_entry *vt_map_insert(struct vt_map_hdr *h,
				   const struct vt_map_key *k, bool wrap,
				   u32 *cost)
{
	struct vt_map_entry *e, *old;
	u32 i, j, n, b;
	u8 *key;

	*cost = 0;
	if (!h->free_head || h->free_head > h->max_entries) {
		if (!wrap)
			return NULL;
		*cost = h->max_entries;
		old = oldest(h);
		if (!old)
			return NULL;
		vt_map_delete(h, old);
		if (!h->free_head || h->free_head > h->max_entries)
			return NULL;
	}
	i = h->free_head;
	e = vt_map_entry(h, i - 1);
	h->free_head = e->fnext;
	if (!h->free_head)
		h->free_tail = 0;
	key = vt_map_keyp(e);
	if (h->nlong)
		memcpy(key, k->longs, h->nlong * 8);
	for (j = 0; j < h->nstr; j++) {
		u8 *s = key + h->nlong * 8 + j * h->strsize;

		n = vt_strnlen(k->strs + j * h->strsize, h->strsize - 1);
		memcpy(s, k->strs + j * h->strsize, n);
		memset(s + n, 0, h->strsize - n);
	}
	memset(vt_map_val(h, e), 0, h->valsize);
	e->seq = h->next_seq++;
	b = key_hash(h, k) & (h->nbuckets - 1);
	e->next = vt_map_buckets(h)[b];
	e->live = 1;
	e->fnext = 0;
	h->live++;
	/* Publish: everything above is visible before the link is. */
	vt_store_release(&vt_map_buckets(h)[b], i);
	return e;
}

u32 vt_map_clear(struct vt_map_hdr *h)
{
	struct vt_map_entry *e;
	u32 i;

	for (i = 0; i < h->nbuckets; i++)
		vt_store_release(&vt_map_buckets(h)[i], 0u);
	for (i = 0; i < h->max_entries; i++) {
		e = vt_map_entry(h, i);
		vt_store_release(&e->live, 0u);
		e->fnext = i + 1 < h->max_entries ? i + 2 : 0;
	}
	h->free_head = 1;
	h->free_tail = h->max_entries;
	h->live = 0;
	return h->max_entries + h->nbuckets;
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

/* strcmp() sign, bytes unsigned, bounded by @max. */
static int str_order(const char *a, const char *b, u32 max)
{
	u32 i;

	for (i = 0; i < max; i++) {
		if (a[i] != b[i])
			return (u8)a[i] < (u8)b[i] ? -1 : 1;
		if (!a[i])
			break;
	}
	return 0;
}

/* How foreach orders entries: an iter desc, resolved. */
struct vt_sorter {
	struct vt_map_hdr *h;
	u32 keyoff;		/* sorting by a key: its offset in the key */
	u8 how;			/* 0: seq; 'l', 's', 'v' (STAT) */
	s8 dir;
	u8 agg;
};

static s64 sort_stat(const struct vt_sorter *s, struct vt_map_entry *e)
{
	struct vt_stat st;

	vt_stat_merge(&st, NULL, vt_map_val(s->h, e), s->h->nvslots,
		      s->h->vslot_size, 0);
	return vt_stat_agg(&st, s->agg);
}

/* < 0, 0, > 0: entry @a before, with, after entry @b. */
static int sort_cmp(const struct vt_sorter *s, u32 a, u32 b)
{
	struct vt_map_entry *ea = vt_map_entry(s->h, a);
	struct vt_map_entry *eb = vt_map_entry(s->h, b);
	const u8 *pa, *pb;
	s64 la, lb;
	int r = 0;

	if (s->how) {
		pa = s->keyoff == ~0u ? vt_map_val(s->h, ea) :
		     vt_map_keyp(ea) + s->keyoff;
		pb = s->keyoff == ~0u ? vt_map_val(s->h, eb) :
		     vt_map_keyp(eb) + s->keyoff;
		if (s->how == 's') {
			r = str_order((const char *)pa, (const char *)pb,
				      s->h->strsize);
		} else {
			if (s->how == 'v') {
				la = sort_stat(s, ea);
				lb = sort_stat(s, eb);
			} else {
				memcpy(&la, pa, 8);
				memcpy(&lb, pb, 8);
			}
			r = la < lb ? -1 : la > lb;
		}
		r *= s->dir;
	}
	if (!r)
		r = ea->seq < eb->seq ? -1 : ea->seq > eb->seq;
	return r;
}

static void sift_down(const struct vt_sorter *s, u32 *v, u32 root, u32 n)
{
	u32 child, t;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && sort_cmp(s, v[child], v[child + 1]) < 0)
			child++;
		if (sort_cmp(s, v[root], v[child]) >= 0)
			return;
		t = v[root];
		v[root] = v[child];
		v[child] = t;
		root = child;
	}
}

/* Heapsort: in place, bounded, not recursive. */
static void sort_entries(const struct vt_sorter *s, u32 *v, u32 n)
{
	u32 i, t;

	for (i = n / 2; i > 0; i--)
		sift_down(s, v, i - 1, n);
	for (i = n; i > 1; i--) {
		t = v[0];
		v[0] = v[i - 1];
		v[i - 1] = t;
		sift_down(s, v, 0, i - 1);
	}
}

/* Resolve iter desc @it into @s (s->h set). */
static void sorter_init(const struct vt_prog *prog,
			const struct vt_iter_desc *it, struct vt_sorter *s)
{
	const struct vt_map_desc *d = &prog->maps[it->map];
	const char *sig = vt_prog_str(prog, d->keysig);
	u32 i, nl = 0, ns = 0;

	s->dir = it->dir;
	s->agg = it->agg;
	s->how = 0;
	s->keyoff = 0;
	if (it->sort == VT_SORT_VALUE) {
		s->keyoff = ~0u;
		s->how = d->vkind == VT_MAPV_LONG ? 'l' :
			 d->vkind == VT_MAPV_STRING ? 's' : 'v';
		return;
	}
	if (!it->sort)
		return;
	for (i = 0; i < it->sort - 1u; i++) {
		if (sig[i] == 'l')
			nl++;
		else
			ns++;
	}
	s->how = sig[it->sort - 1] == 's' ? 's' : 'l';
	s->keyoff = s->how == 'l' ? nl * 8 :
		    s->h->nlong * 8 + ns * s->h->strsize;
}

void vt_map_sort(const struct vt_prog *prog, const struct vt_iter_desc *it,
		 struct vt_map_hdr *h, u32 *idx, u32 n)
{
	struct vt_sorter s = { .h = h };

	sorter_init(prog, it, &s);
	sort_entries(&s, idx, n);
}

int vt_map_check(const void *mem, u64 size)
{
	const struct vt_map_hdr *h = mem;
	struct vt_map_hdr *w = (struct vt_map_hdr *)mem;
	const struct vt_map_entry *e;
	u64 need;
	u32 i;

	if (!mem || ((unsigned long)mem & 7) || size < sizeof(*h) ||
	    h->magic != VT_MAP_MAGIC || !h->max_entries ||
	    h->max_entries > VT_MAP_ENTRIES_MAX || !h->nbuckets ||
	    (h->nbuckets & (h->nbuckets - 1)) ||
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
	     sizeof(struct vt_stat) + (u32)h->nhist * 8))
		return -1;
	need = h->entries_off + (u64)h->max_entries * h->entsize;
	if (need > size || h->free_head > h->max_entries ||
	    h->free_tail > h->max_entries)
		return -1;
	for (i = 0; i < h->nbuckets; i++)
		if (vt_map_buckets(w)[i] > h->max_entries)
			return -1;
	for (i = 0; i < h->max_entries; i++) {
		e = vt_map_entry(w, i);
		if (e->next > h->max_entries || e->fnext > h->max_entries ||
		    e->live > 1)
			return -1;
	}
	return 0;
}
