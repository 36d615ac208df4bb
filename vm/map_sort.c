// SPDX-License-Identifier: GPL-2.0-only
/*
 * map_sort.c - the order of a foreach: heapsort of the entry indices
 * ITINIT collected, by a key, the value or a statistic's aggregate, ties
 * by insertion seq; and what that sort may cost, charged before it runs.
 * Runs without the map's lock: an entry rewritten meanwhile compares
 * inconsistently, which only misplaces entries ITNEXT will skip anyway
 * (their seq is past the iteration's limit).
 */
#include "vt_priv.h"
#include "map.h"

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

	vt_stat_merge(&st, NULL, s->h, e, vt_load_acquire(&e->seq));
	return st.count > 0 ? vt_stat_agg(&st, s->agg) : 0;
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


/*
 * Heapsort makes at most 2 n log2 n + 2 n comparisons; each touches two
 * keys or values (a string: strsize bytes each; a statistic: two merges
 * of nvslots slots of 56 bytes), plus one unit per comparison.
 */
u64 vt_map_sort_cost(const struct vt_prog *prog,
		     const struct vt_iter_desc *it, struct vt_map_hdr *h,
		     u32 n)
{
	struct vt_sorter s = { .h = h };
	u64 per = 1, lg = 0;

	sorter_init(prog, it, &s);
	if (s.how == 's')
		per += vt_map_bytes_cost(2ull * h->strsize);
	else if (s.how == 'v')
		per += 2ull * h->nvslots *
		       (1 + vt_map_bytes_cost(sizeof(struct vt_map_vslot)));
	while (lg < 32 && (1ull << lg) < n)
		lg++;
	return (2 * lg + 2) * n * per;
}
