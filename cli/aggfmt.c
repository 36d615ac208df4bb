// SPDX-License-Identifier: GPL-2.0-only
/*
 * aggfmt.c - histograms, the end-of-run display of unread globals and
 * runtime error lines, in SystemTap's exact formats (rules learned from
 * its runtime's histogram printer and its translator's synthetic end
 * probe for unread globals; the code is our own).
 *
 * Histogram rules:
 * - rows span the buckets holding data plus up to two empty buckets on
 *   each side; a @hist_log margin never reaches below the 0 row unless
 *   there is negative data; a @hist_linear margin drops the underflow
 *   and overflow rows when they are empty;
 * - a row is elided when it and every bucket within two of it (inside
 *   the span) are empty; a run of elided rows prints one "~" row;
 * - bars: one '@' per count, or per ceil(max / 50) when the largest
 *   count is over 50; counts right-aligned after the 50-column bar;
 * - the value column is as wide as "value" or the widest label, where a
 *   linear label is start + interval * (last row's bucket index) plus
 *   one for '>' / '<' (a generous width, kept for identical output);
 * - an empty line ends the histogram.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aggfmt.h"
#include "stacks.h"
#include "map.h"

/* Characters of @v in decimal. */
static int dec_width(s64 v)
{
	u64 u = v < 0 ? 0 - (u64)v : (u64)v;
	int n = v < 0 ? 1 : 0;

	do {
		n++;
		u /= 10;
	} while (u);
	return n;
}

/* @a + @b * @c, saturated to the s64 range. */
static s64 sat_madd(s64 a, s64 b, s64 c)
{
	s64 p, r;

	if (__builtin_mul_overflow(b, c, &p))
		return (b < 0) != (c < 0) ? INT64_MIN : INT64_MAX;
	if (__builtin_add_overflow(a, p, &r))
		return p < 0 ? INT64_MIN : INT64_MAX;
	return r;
}

/* The lowest value of @hist_log bucket @i (< VT_HIST_LOG_ZERO + 64). */
static s64 log_label(int i)
{
	int n = i - VT_HIST_LOG_ZERO;

	if (n == 0)
		return 0;
	if (n > 0)
		return (s64)1 << (n - 1);
	if (n == -64)
		return INT64_MIN;
	return -((s64)1 << (-n - 1));
}

struct hist_view {
	const struct vt_map_desc *md;
	const s64 *b;
	int nb;			/* buckets that can hold data */
	int lo, hi;		/* rows printed span lo..hi */
	int val_w, cnt_w;
	s64 scale;
};

/* Row @i's label and its prefix ("<", ">" or ""). */
static s64 row_label(const struct hist_view *h, int i, const char **pre)
{
	const struct vt_map_desc *md = h->md;

	*pre = "";
	if (md->hist == VT_HIST_LOG)
		return log_label(i);
	if (i == 0) {
		*pre = "<";
		return md->hstart;
	}
	if (i == h->nb - 1) {
		*pre = ">";
		return sat_madd(md->hstart, i - 2, md->hinterval);
	}
	return sat_madd(md->hstart, i - 1, md->hinterval);
}

/* Find the span of rows, the scale and the column widths; -1 if empty. */
static int hist_layout(struct hist_view *h)
{
	const struct vt_map_desc *md = h->md;
	s64 max = 0;
	int i, under = 0, over = 0, w;

	h->lo = -1;
	h->hi = 0;
	for (i = 0; i < h->nb; i++) {
		if (h->b[i] <= 0)
			continue;
		if (h->lo < 0)
			h->lo = i;
		h->hi = i;
		if (h->b[i] > max)
			max = h->b[i];
	}
	if (h->lo < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (h->lo > 0 && (md->hist != VT_HIST_LOG ||
				  h->lo != VT_HIST_LOG_ZERO))
			h->lo--;
		if (h->hi < h->nb - 1)
			h->hi++;
	}
	if (md->hist == VT_HIST_LINEAR) {
		if (h->lo == 0 && h->b[0] == 0)
			h->lo++;
		if (h->hi == h->nb - 1 && h->b[h->hi] == 0)
			h->hi--;
		under = h->lo == 0;
		over = h->hi == h->nb - 1;
	}
	h->scale = max <= AGGFMT_HIST_WIDTH ? 1 :
		   (max + AGGFMT_HIST_WIDTH - 1) / AGGFMT_HIST_WIDTH;
	h->cnt_w = dec_width(max);
	if (md->hist == VT_HIST_LINEAR) {
		h->val_w = dec_width(md->hstart) + under;
		w = dec_width(sat_madd(md->hstart, h->hi, md->hinterval)) +
		    over;
	} else {
		h->val_w = dec_width(log_label(h->lo));
		w = dec_width(log_label(h->hi));
	}
	if (w > h->val_w)
		h->val_w = w;
	if (h->val_w < 5)
		h->val_w = 5;
	return 0;
}

/* Row @i is empty and so is every bucket within two of it in the span. */
static int row_elided(const struct hist_view *h, int i)
{
	int k = i - 2 > h->lo ? i - 2 : h->lo;
	int end = i + 2 < h->hi ? i + 2 : h->hi;

	for (; k <= end; k++)
		if (h->b[k])
			return 0;
	return 1;
}

int aggfmt_hist(FILE *out, const struct vt_map_desc *md,
		const s64 *buckets, u32 nbuckets)
{
	struct hist_view h = { .md = md, .b = buckets };
	int i, eliding = 0;

	if (md->hist == VT_HIST_LOG) {
		if (nbuckets != VT_HIST_LOG_BUCKETS)
			return -1;
		/* The last bucket (values >= 2^63) never holds data. */
		h.nb = VT_HIST_LOG_ZERO + 64;
	} else if (md->hist == VT_HIST_LINEAR) {
		if (nbuckets < 3 || nbuckets > VT_HIST_BUCKETS_MAX ||
		    md->hinterval <= 0)
			return -1;
		h.nb = (int)nbuckets;
	} else {
		return -1;
	}
	if (hist_layout(&h))
		return 0;
	fprintf(out, "%*s |", h.val_w, "value");
	for (i = 0; i < AGGFMT_HIST_WIDTH; i++)
		fputc('-', out);
	fputs(" count\n", out);
	for (i = h.lo; i <= h.hi; i++) {
		const char *pre;
		s64 label, bar;

		if (row_elided(&h, i)) {
			eliding = 1;
			continue;
		}
		if (eliding)
			fprintf(out, "%*s ~\n", h.val_w, "");
		eliding = 0;
		label = row_label(&h, i, &pre);
		bar = h.b[i] / h.scale;
		fprintf(out, "%*s%lld |", h.val_w - dec_width(label),
			pre, label);
		for (s64 j = 0; j < bar; j++)
			fputc('@', out);
		fprintf(out, "%*lld\n",
			(int)(AGGFMT_HIST_WIDTH - bar + 1 + h.cnt_w), h.b[i]);
	}
	fputc('\n', out);
	return 0;
}

void aggfmt_stat(FILE *out, const struct vt_stat *st)
{
	s64 avg = st->count > 0 ? st->sum / st->count : 0;

	fprintf(out, " @count=%lld @min=%lld @max=%lld @sum=%lld @avg=%lld",
		st->count, st->min, st->max, st->sum, avg);
}

/* ------------------------------------------------------------- arrays */

/* Decreasing value (a statistic: @count), then insertion order. */
static int cmp_entries(const void *pa, const void *pb, void *ctx)
{
	const struct aggfmt_entry *a = pa, *b = pb;
	u8 vkind = *(const u8 *)ctx;
	int c;

	if (vkind == VT_MAPV_LONG)
		c = (a->lval > b->lval) - (a->lval < b->lval);
	else if (vkind == VT_MAPV_STRING)
		c = strcmp(a->sval, b->sval);
	else
		c = (a->stat.count > b->stat.count) -
		    (a->stat.count < b->stat.count);
	if (c)
		return -c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* A long that is a stack reference (vtrace_uapi.h): its text, quoted. */
static void print_stackref(FILE *out, s64 ref)
{
	char *t = stacks_text(ref);

	fprintf(out, "\"%s\"", t ? t : "");
	free(t);
}

static void print_keys(FILE *out, const char *keysig, u32 stackrefs,
		       const struct aggfmt_entry *e)
{
	unsigned int nl = 0, ns = 0, i;

	fputc('[', out);
	for (i = 0; keysig[i] && i < VT_MAP_KEYS_MAX; i++) {
		if (i)
			fputc(',', out);
		if (keysig[i] == 'l' && (stackrefs >> i & 1))
			print_stackref(out, e->lkeys[nl++]);
		else if (keysig[i] == 'l')
			fprintf(out, "%lld", e->lkeys[nl++]);
		else
			fprintf(out, "\"%s\"", e->skeys[ns++]);
	}
	fputc(']', out);
}

void aggfmt_map(FILE *out, const char *name, const char *keysig,
		const struct vt_map_desc *md, struct aggfmt_entry *e,
		size_t n)
{
	u8 vkind = md->vkind;

	/* seq is unique within a map, so the order is total. */
	qsort_r(e, n, sizeof(*e), cmp_entries, &vkind);
	for (size_t i = 0; i < n; i++) {
		fputs(name, out);
		if (keysig[0])
			print_keys(out, keysig, md->stackrefs, &e[i]);
		if (md->vkind == VT_MAPV_LONG &&
		    (md->stackrefs & VT_MAP_STACKREF_VALUE)) {
			fputc('=', out);
			print_stackref(out, e[i].lval);
			fputc('\n', out);
		} else if (md->vkind == VT_MAPV_LONG) {
			fprintf(out, "=%lld\n", e[i].lval);
		} else if (md->vkind == VT_MAPV_STRING) {
			fprintf(out, "=\"%s\"\n", e[i].sval);
		} else {
			aggfmt_stat(out, &e[i].stat);
			fputc('\n', out);
			if (md->hist != VT_HIST_NONE && e[i].hist)
				aggfmt_hist(out, md, e[i].hist, md->nbuckets);
		}
	}
}

/* ------------------------------------------------ end-of-run display */

/* The storage of map @m matches its descriptor in every field we read. */
static int storage_fits(const struct vt_prog *prog, u32 m,
			struct vt_map_hdr *h)
{
	const struct vt_map_desc *md = &prog->maps[m];
	const char *sig = vt_prog_str(prog, md->keysig);
	u32 nlong = 0, nstr = 0;

	for (; *sig; sig++) {
		if (*sig == 'l')
			nlong++;
		else
			nstr++;
	}
	if (h->vkind != md->vkind || h->nlong != nlong || h->nstr != nstr ||
	    h->max_entries != md->max_entries || h->nvslots == 0)
		return 0;
	if (h->nstr && h->strsize != prog->strsize)
		return 0;
	if (md->vkind == VT_MAPV_STRING && h->strsize != prog->strsize)
		return 0;
	if (md->vkind == VT_MAPV_STAT &&
	    (h->nhist != md->nbuckets || h->hist != md->hist))
		return 0;
	return 1;
}

/*
 * Collect at most @cap live entries of storage @h into @e, keys and
 * values copied into @strs and @hists, NUL-terminated.  A statistic
 * merges the slots that count for the entry's seq (map.h).  Returns the
 * number collected.
 */
static size_t collect(struct vt_map_hdr *h, struct aggfmt_entry *e,
		      size_t cap, char *strs, s64 *hists)
{
	u32 ss = h->strsize, per = h->nstr + 1, k;
	size_t n = 0;

	for (u32 i = 0; i < h->max_entries && n < cap; i++) {
		struct vt_map_entry *me = vt_map_live(h, i);
		struct aggfmt_entry *x = &e[n];
		char *s = strs + (size_t)n * per * ss;
		s64 *hist = hists + (size_t)n * h->nhist;

		if (!me)
			continue;
		memset(x, 0, sizeof(*x));
		x->seq = me->seq;
		vt_map_keys_out(h, me, x->lkeys, s, ss);
		for (k = 0; k < h->nstr; k++) {
			s[(size_t)k * ss + ss - 1] = '\0';
			x->skeys[k] = s + (size_t)k * ss;
		}
		if (h->vkind == VT_MAPV_LONG) {
			memcpy(&x->lval, vt_map_val(h, me), sizeof(x->lval));
		} else if (h->vkind == VT_MAPV_STRING) {
			char *v = s + (size_t)h->nstr * ss;

			memcpy(v, vt_map_val(h, me), ss);
			v[ss - 1] = '\0';
			x->sval = v;
		} else {
			vt_stat_merge(&x->stat, h->nhist ? hist : NULL, h, me,
				      me->seq);
			x->hist = h->nhist ? hist : NULL;
			if (x->stat.count <= 0)
				continue;	/* inserted, not yet added to */
		}
		n++;
	}
	return n;
}

/* strcmp()-like order of the keys of @a and @b (storage @h's shape). */
static int key_order(const struct aggfmt_entry *a,
		     const struct aggfmt_entry *b, const struct vt_map_hdr *h)
{
	int c;

	for (u32 k = 0; k < h->nlong; k++)
		if (a->lkeys[k] != b->lkeys[k])
			return a->lkeys[k] < b->lkeys[k] ? -1 : 1;
	for (u32 k = 0; k < h->nstr; k++)
		if ((c = strcmp(a->skeys[k], b->skeys[k])))
			return c;
	return 0;
}

/* By key, then by seq. */
static int cmp_keys(const void *pa, const void *pb, void *ctx)
{
	const struct aggfmt_entry *a = pa, *b = pb;
	int c = key_order(a, b, ctx);

	return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/*
 * A snapshot copy may hold a key twice, deleted and inserted again
 * while it was copied (map.h): keep the later one.  Returns the count.
 */
static size_t drop_duplicates(struct vt_map_hdr *h, struct aggfmt_entry *e,
			      size_t n)
{
	size_t i, out = 0;

	qsort_r(e, n, sizeof(*e), cmp_keys, h);
	for (i = 0; i < n; i++)
		if (i + 1 == n || key_order(&e[i], &e[i + 1], h))
			e[out++] = e[i];
	return out;
}

/* The live entries of a map's storage, and the memory behind them. */
struct entries {
	struct aggfmt_entry *e;
	size_t n;
	char *strs;
	s64 *hists;
};

static void entries_free(struct entries *es)
{
	free(es->hists);
	free(es->strs);
	free(es->e);
}

/* The entries of map @m's storage @mem; 0, or -1 after a message. */
static int entries_read(const struct vt_prog *prog, u32 m, const void *mem,
			u64 size, struct entries *es)
{
	const char *name = vt_prog_str(prog, prog->maps[m].name);
	struct vt_map_hdr *h;
	size_t cap;

	memset(es, 0, sizeof(*es));
	if (!mem || vt_map_check(mem, size) ||
	    !storage_fits(prog, m, (struct vt_map_hdr *)mem)) {
		fprintf(stderr, "vtrace: cannot display '%s': its storage "
			"could not be read\n", name);
		return -1;
	}
	/* vt_map_check() and the accessors take a writable view. */
	h = (struct vt_map_hdr *)mem;
	cap = h->live;		/* vt_map_check(): the live entries */
	es->e = calloc(cap + 1, sizeof(*es->e));
	es->strs = calloc((cap + 1) * (h->nstr + 1), h->strsize);
	es->hists = calloc(cap * h->nhist + 1, sizeof(*es->hists));
	if (!es->e || !es->strs || !es->hists) {
		fprintf(stderr, "vtrace: out of memory\n");
		entries_free(es);
		return -1;
	}
	es->n = collect(h, es->e, cap, es->strs, es->hists);
	if (h->flags & VT_MAP_F_COPY)
		es->n = drop_duplicates(h, es->e, es->n);
	return 0;
}

static int print_map(FILE *out, const struct vt_prog *prog, u32 m,
		     const void *mem, u64 size)
{
	const struct vt_map_desc *md = &prog->maps[m];
	const char *name = vt_prog_str(prog, md->name);
	struct entries es;

	if (entries_read(prog, m, mem, size, &es))
		return -1;
	if (md->vkind == VT_MAPV_STAT && !vt_prog_str(prog, md->keysig)[0] &&
	    es.n == 0)
		fprintf(out, "%s @count=0x0\n", name);	/* SystemTap's text */
	else
		aggfmt_map(out, name, vt_prog_str(prog, md->keysig), md,
			   es.e, es.n);
	entries_free(&es);
	return 0;
}

/* ------------------------------------------------ folded stacks */

bool aggfmt_has_stack_keys(const struct vt_prog *prog)
{
	for (u32 m = 0; m < prog->nmaps; m++)
		if (prog->maps[m].stackrefs & ~VT_MAP_STACKREF_VALUE)
			return true;
	return false;
}

/* Key @i of @e as a frame: a stack's frames, a number, a string. */
static int folded_key(FILE *out, const char *keysig, u32 stackrefs,
		      const struct aggfmt_entry *e, unsigned int i,
		      bool *first)
{
	unsigned int nl = 0, ns = 0, k;
	char *t = NULL;

	for (k = 0; k < i; k++) {
		if (keysig[k] == 'l')
			nl++;
		else
			ns++;
	}
	if (keysig[i] == 'l' && (stackrefs >> i & 1)) {
		t = stacks_folded(e->lkeys[nl]);
		if (!t)
			return -1;
		if (!*t) {
			free(t);
			return 0;	/* the empty stack: no frame */
		}
	}
	fputs(*first ? "" : ";", out);
	*first = false;
	if (t)
		fputs(t, out);
	else if (keysig[i] == 'l')
		fprintf(out, "%lld", e->lkeys[nl]);
	else
		fputs(e->skeys[ns], out);
	free(t);
	return 0;
}

int aggfmt_folded(FILE *out, const struct vt_prog *prog, u32 m,
		  const void *mem, u64 size)
{
	const struct vt_map_desc *md = &prog->maps[m];
	const char *keysig = vt_prog_str(prog, md->keysig);
	unsigned int nk = (unsigned int)strlen(keysig), i;
	struct entries es;
	int ret = 0;

	if (entries_read(prog, m, mem, size, &es))
		return -1;
	for (size_t x = 0; x < es.n && !ret; x++) {
		const struct aggfmt_entry *e = &es.e[x];
		bool first = true;

		for (i = 0; i < nk && !ret; i++)	/* roots: not stacks */
			if (!(md->stackrefs >> i & 1))
				ret = folded_key(out, keysig, md->stackrefs,
						 e, i, &first);
		for (i = nk; i-- > 0 && !ret;)		/* stacks, last first */
			if (md->stackrefs >> i & 1)
				ret = folded_key(out, keysig, md->stackrefs,
						 e, i, &first);
		fprintf(out, "%s %lld\n", first ? "[empty]" : "",
			md->vkind == VT_MAPV_STAT ? e->stat.count : e->lval);
	}
	entries_free(&es);
	return ret;
}

int aggfmt_autoprint(FILE *out, const struct vt_prog *prog,
		     const struct aggfmt_snapshot *snap)
{
	int ret = 0;

	for (u32 i = 0; i < prog->nautoprint; i++) {
		u32 kind = VT_AUTOPRINT_KIND(prog->autoprint[i]);
		u32 idx = VT_AUTOPRINT_INDEX(prog->autoprint[i]);

		if (kind == VT_AUTOPRINT_LGLOBAL && idx < prog->nlglobals &&
		    snap->lglobals) {
			fprintf(out, "%s=%lld\n",
				vt_prog_str(prog, prog->lglobals[idx].name),
				snap->lglobals[idx]);
		} else if (kind == VT_AUTOPRINT_SGLOBAL &&
			   idx < prog->nsglobals && snap->sglobals) {
			const char *s = snap->sglobals +
					(size_t)idx * prog->strsize;

			fprintf(out, "%s=\"%.*s\"\n",
				vt_prog_str(prog, prog->sglobals[idx].name),
				(int)strnlen(s, prog->strsize), s);
		} else if (kind == VT_AUTOPRINT_MAP && idx < prog->nmaps &&
			   snap->maps) {
			if (print_map(out, prog, idx, snap->maps[idx],
				      snap->map_sizes[idx]))
				ret = -1;
		} else {
			ret = -1;
		}
	}
	return ret;
}

/* ------------------------------------------------------ runtime errors */

static const char *const fault_text[VT_FAULT_COUNT] = {
#define FAULT_TEXT(name, text) [VT_FAULT_##name] = text,
	VT_FAULTS(FAULT_TEXT)
#undef FAULT_TEXT
};

void aggfmt_error(FILE *err, const struct vt_prog *prog, u32 fault,
		  s64 detail, u32 pc, const char *msg, size_t msglen)
{
	const struct vt_line_desc *line = vt_prog_line(prog, pc);
	const struct vt_map_desc *md = NULL;
	const char *name = "";

	if ((fault == VT_FAULT_MAPFULL || fault == VT_FAULT_EMPTYAGG ||
	     fault == VT_FAULT_BUSY) && detail >= 0 &&
	    (u64)detail < prog->nmaps) {
		md = &prog->maps[detail];
		name = vt_prog_str(prog, md->name);
	}
	fputs("ERROR: ", err);
	if (md && fault == VT_FAULT_MAPFULL)
		fprintf(err, "array '%s' is full (size limit %u)", name,
			md->max_entries);
	else if (md && fault == VT_FAULT_EMPTYAGG)
		fprintf(err, "aggregate of the empty statistic '%s'", name);
	else if (md && fault == VT_FAULT_BUSY)
		fprintf(err, "array '%s' locked too long by another CPU",
			name);
	else if (fault == VT_FAULT_USER && msg)
		fwrite(msg, 1, msglen, err);
	else
		fputs(fault < VT_FAULT_COUNT && fault_text[fault] ?
		      fault_text[fault] : "unknown fault", err);
	if (fault == VT_FAULT_READ)
		fprintf(err, " (address 0x%llx)", (unsigned long long)detail);
	if (line)
		fprintf(err, " at %s:%u:%u", vt_prog_str(prog, line->file),
			line->line, line->col);
	fputc('\n', err);
}
