// SPDX-License-Identifier: GPL-2.0-only
/*
 * stat.c - statistics (`<<<`): one value slot's update, the merge of
 * slots, the aggregates and the histogram buckets.  All in 64-bit
 * integers; arithmetic on script values wraps (done in u64), divisions
 * are by positive counts only.
 *
 * Matches SystemTap's runtime for one slot: the running mean avg_s and
 * m2 follow Welford (avg_s += delta / count; m2 += delta * (v - avg_s),
 * truncating division), and @variance is SystemTap's "total variance"
 * read of them: (count * (avg_s - sum / count)^2 + (count - 1) *
 * (m2 / (count - 1))) / (count - 1), 0 below two values.  Slots are
 * merged pairwise with Chan et al.'s formula before that read.
 *
 * Value slots (map.h): each counts for the entry incarnation in its seq;
 * its owner resets it before adding for a new one, and merges skip the
 * slots of other incarnations.
 */
#include "vt_priv.h"
#include "map.h"

static inline s64 mulw(s64 a, s64 b)
{
	return (s64)((u64)a * (u64)b);
}

static inline s64 addw(s64 a, s64 b)
{
	return (s64)((u64)a + (u64)b);
}

static inline s64 subw(s64 a, s64 b)
{
	return (s64)((u64)a - (u64)b);
}

/* Signed division by @n > 0 (never INT64_MIN / -1). */
static inline s64 divp(s64 a, s64 n)
{
	return a / n;
}

u32 vt_hist_bucket(const struct vt_map_desc *d, s64 v)
{
	u64 u, q;
	u32 n;

	if (d->hist == VT_HIST_LOG) {
		if (!v)
			return VT_HIST_LOG_ZERO;
		u = v < 0 ? 0 - (u64)v : (u64)v;
		n = 64 - (u32)__builtin_clzll(u);	/* 1..64 */
		return v < 0 ? VT_HIST_LOG_ZERO - n : VT_HIST_LOG_ZERO + n;
	}
	/* LINEAR, as SystemTap: 0 below hstart, the last at or past it. */
	if (v < d->hstart)
		return 0;
	q = ((u64)v - (u64)d->hstart) / (u64)d->hinterval + 1;
	return q >= d->nbuckets - 1 ? d->nbuckets - 1 : (u32)q;
}

static void vt_stat_add(struct vt_stat *st, s64 *hist,
			const struct vt_map_desc *d, s64 v)
{
	s64 delta;

	if (st->count <= 0) {
		st->count = 1;
		st->sum = v;
		st->min = v;
		st->max = v;
		st->avg_s = v;
		st->m2 = 0;
	} else {
		st->count++;
		st->sum = addw(st->sum, v);
		if (v < st->min)
			st->min = v;
		if (v > st->max)
			st->max = v;
		delta = subw(v, st->avg_s);
		st->avg_s = addw(st->avg_s, divp(delta, st->count));
		st->m2 = addw(st->m2, mulw(delta, subw(v, st->avg_s)));
	}
	if (d->hist != VT_HIST_NONE)
		hist[vt_hist_bucket(d, v)]++;
}

/* Fold @b into @a (Chan et al.); @a->count > 0, @b->count > 0. */
static void stat_fold(struct vt_stat *a, const struct vt_stat *b)
{
	s64 n = addw(a->count, b->count);
	s64 delta = subw(b->avg_s, a->avg_s);

	if (n <= 0)
		return;		/* counts beyond 2^63: leave as is */
	a->avg_s = addw(a->avg_s, divp(mulw(delta, b->count), n));
	a->m2 = addw(addw(a->m2, b->m2),
		     mulw(mulw(divp(mulw(delta, a->count), n), delta),
			  b->count));
	a->count = n;
	a->sum = addw(a->sum, b->sum);
	if (b->min < a->min)
		a->min = b->min;
	if (b->max > a->max)
		a->max = b->max;
}

int vt_stat_slot_add(struct vt_map_hdr *h, struct vt_map_entry *e, u64 seq,
		     u32 vslot, const struct vt_map_desc *d, s64 v, s64 *left)
{
	struct vt_map_vslot *sl = vt_map_vslot(h, e, vslot);
	u64 cost = vt_map_bytes_cost(h->vslot_size);

	if (sl->seq != seq) {
		if (*left < 0 || cost > (u64)*left)
			return VT_MAP_NOBUDGET;
		*left -= (s64)cost;
		/* Counted for an old incarnation: readers ignore it now. */
		memset(&sl->st, 0, h->vslot_size - sizeof(sl->seq));
		vt_store_release(&sl->seq, seq);
	}
	vt_stat_add(&sl->st, (s64 *)(sl + 1), d, v);
	return VT_MAP_OK;
}

void vt_stat_merge(struct vt_stat *out, s64 *hist, struct vt_map_hdr *h,
		   struct vt_map_entry *e, u64 seq)
{
	const struct vt_map_vslot *sl;
	const struct vt_stat *s;
	s64 c;
	u32 i, j;

	memset(out, 0, sizeof(*out));
	if (hist)
		memset(hist, 0, (u64)h->nhist * 8);
	for (i = 0; i < h->nvslots; i++) {
		sl = vt_map_vslot(h, e, i);
		if (vt_load_acquire(&sl->seq) != seq)
			continue;
		s = &sl->st;
		if (s->count <= 0)
			continue;
		if (out->count <= 0)
			*out = *s;
		else
			stat_fold(out, s);
		if (!hist)
			continue;
		for (j = 0; j < h->nhist; j++) {
			memcpy(&c, (const u8 *)(sl + 1) + j * 8, 8);
			hist[j] = addw(hist[j], c);
		}
	}
}

s64 vt_stat_agg(const struct vt_stat *st, u32 agg)
{
	s64 n = st->count, d, s1, s2;

	if (n <= 0)
		return 0;
	switch (agg) {
	case VT_AGG_COUNT:
		return n;
	case VT_AGG_SUM:
		return st->sum;
	case VT_AGG_MIN:
		return st->min;
	case VT_AGG_MAX:
		return st->max;
	case VT_AGG_AVG:
		return divp(st->sum, n);
	case VT_AGG_VARIANCE:
		if (n < 2)
			return 0;
		d = subw(st->avg_s, divp(st->sum, n));
		s1 = mulw(mulw(n, d), d);
		s2 = mulw(n - 1, divp(st->m2, n - 1));
		return divp(addw(s1, s2), n - 1);
	default:
		return 0;
	}
}
