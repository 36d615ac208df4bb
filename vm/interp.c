// SPDX-License-Identifier: GPL-2.0-only
/*
 * interp.c - the bytecode interpreter.
 *
 * Runs one unit of a verified program in a caller-provided frame: nregs
 * 64-bit registers, then nslots string slots of strsize bytes.  The
 * dispatch table comes from VT_OPCODES: with GCC/clang each handler is
 * a label and dispatch is threaded (goto *table[op]); otherwise (or with
 * VT_VM_SWITCH defined) the same handlers are cases of a switch.
 *
 * Relies on the verifier for: op < VT_OP_COUNT, operands in range, jumps
 * inside the unit, no fall-through off the end.  Guarantees: every
 * instruction costs ex->budget by the cost rule of vt_isa.h (one unit,
 * plus one per VT_COST_BYTES bytes of work); the clock is asked every
 * VT_TIME_POLL_UNITS units; BUDGET, TIME and BUSY end the firing
 * (fault_catchable()); arithmetic wraps without undefined behaviour;
 * strings stay NUL-terminated within strsize; no allocation, no
 * recursion, no floating point.
 */
#include "vt_priv.h"
#include "map.h"

#define VT_NOINLINE __attribute__((__noinline__))

#if defined(__GNUC__) && !defined(VT_VM_SWITCH)
#define VT_THREADED 1
#ifndef __annotate_jump_table
#define __annotate_jump_table
#endif
#else
#define VT_THREADED 0
#endif

/* Copy a string of at most @max bytes and terminate it; its length. */
static u32 str_copy(char *dst, const char *src, u32 max)
{
	u32 n = 0;

	while (n < max && src[n]) {
		dst[n] = src[n];
		n++;
	}
	dst[n] = '\0';
	return n;
}

/*
 * dst = b . c truncated to strsize - 1 bytes; any of them may alias.
 * Returns the bytes measured and copied.
 */
static u32 str_cat(char *dst, const char *b, const char *c, u32 strsize)
{
	u32 cap = strsize - 1;
	u32 lb = vt_strnlen(b, cap);
	u32 lc = vt_strnlen(c, cap);
	u32 nc = lc < cap - lb ? lc : cap - lb;
	u32 i;

	if (dst == c) {
		/* Move c up first (backwards: the ranges may overlap). */
		for (i = nc; i > 0; i--)
			dst[lb + i - 1] = c[i - 1];
		if (dst != b)
			for (i = 0; i < lb; i++)
				dst[i] = b[i];
	} else {
		if (dst != b)
			for (i = 0; i < lb; i++)
				dst[i] = b[i];
		for (i = 0; i < nc; i++)
			dst[lb + i] = c[i];
	}
	dst[lb + nc] = '\0';
	return lb + lc + lb + nc;
}

/*
 * strcmp() sign, bytes compared as unsigned, bounded by @strsize;
 * *@work = the bytes compared.
 */
static s64 str_cmp(const char *b, const char *c, u32 strsize, u32 *work)
{
	u32 i;

	for (i = 0; i < strsize; i++) {
		if (b[i] != c[i])
			break;
		if (!b[i]) {
			*work = i;
			return 0;
		}
	}
	*work = i;
	if (i == strsize)
		return 0;
	return (u8)b[i] < (u8)c[i] ? -1 : 1;
}

/*
 * PRINTF: a VT_REC_PRINTF record of the format id and the arguments its
 * signature names ('l': 8 bytes, 's': u16 length + bytes).  When the host
 * has no room the output is dropped (the host counts it) and we go on.
 * Returns the work: the strings measured, and the record written.
 */
static VT_NOINLINE u32 op_printf(struct vt_exec *ex, const struct vt_insn *in,
				  const s64 *regs, const char *slots)
{
	const struct vt_prog *prog = ex->prog;
	const char *sig = prog->strtab + prog->formats[in->k].sig;
	u32 strsize = prog->strsize, len = 4, i, ns = 0, nl = 0;
	u32 id = (u32)in->k;
	const char *s;
	u8 *payload, *p;
	u16 slen;

	for (i = 0; sig[i]; i++) {
		if (sig[i] == 'l')
			len += 8;
		else
			len += 2 + vt_strnlen(slots + (in->b + ns++) * strsize,
					      strsize - 1);
	}
	payload = vt_host_reserve(ex->host, VT_REC_PRINTF, len);
	if (!payload)
		return len;
	p = payload;
	memcpy(p, &id, 4);
	p += 4;
	for (i = 0, ns = 0; sig[i]; i++) {
		if (sig[i] == 'l') {
			memcpy(p, &regs[in->a + nl++], 8);
			p += 8;
			continue;
		}
		s = slots + (in->b + ns++) * strsize;
		slen = (u16)vt_strnlen(s, strsize - 1);
		memcpy(p, &slen, 2);
		memcpy(p + 2, s, slen);
		p += 2 + slen;
	}
	vt_host_commit(ex->host, payload);
	return 2 * len;
}

/* SPRINTF: slot a = format k of the registers at b and slots at c. */
static VT_NOINLINE u32 op_sprintf(struct vt_exec *ex,
				  const struct vt_insn *in,
				  const s64 *regs, char *slots)
{
	const struct vt_prog *prog = ex->prog;
	const struct vt_format_desc *f = &prog->formats[in->k];
	u32 strsize = prog->strsize;

	return vt_format_frame(slots + in->a * strsize, strsize,
			       prog->strtab + f->text, prog->strtab + f->sig,
			       regs + in->b, slots + in->c * strsize, strsize);
}

/*
 * MATCH: run DFA k over BOS, the string in slot b, EOS: one pass;
 * *@work = VT_COST_STEP per byte.
 */
static VT_NOINLINE s64 op_match(const struct vt_prog *prog,
				const struct vt_insn *in, const char *s,
				u32 *work)
{
	const struct vt_dfa_desc *d = &prog->dfas[in->k];
	const u8 *map = prog->dfadata + d->classmap;
	const u8 *tab = prog->dfadata + d->table;
	u32 nc = d->nclasses, i, n = vt_strnlen(s, prog->strsize - 1);
	u16 st = 0;

	memcpy(&st, tab + 2 * (st * nc + nc - 2), 2);
	for (i = 0; i < n; i++)
		memcpy(&st, tab + 2 * (st * nc + map[(u8)s[i]]), 2);
	memcpy(&st, tab + 2 * (st * nc + nc - 1), 2);
	*work = n * VT_COST_STEP;
	return prog->dfadata[d->accept + st] != 0;
}

/* CALLH: operand formats d, v, q (see vt_isa.h); *@work: the helper's. */
static VT_NOINLINE enum vt_fault op_callh(struct vt_exec *ex,
					  const struct vt_insn *in,
					  s64 *regs, char *slots, u32 *work)
{
	const struct vt_helper_info *hi = &vt_helper_info[in->k];
	u32 strsize = ex->prog->strsize;
	struct vt_call call = {
		.ex = ex,
		.largs = regs + in->b,
		.sargs = slots + in->c * strsize,
		.strsize = strsize,
	};
	enum vt_fault fault;

	if (hi->ret == VT_KIND_L)
		call.lret = regs + in->a;
	else if (hi->ret == VT_KIND_S)
		call.sret = slots + in->a * strsize;
	fault = vt_helper_impl[in->k](&call);
	if (fault != VT_FAULT_NONE)
		ex->fault_detail = call.detail;	/* picked up at fail */
	*work = call.work;
	return fault;
}

/*
 * Map and foreach instructions (MGET..MVAL).  Locking: every insert,
 * delete, clear and every LONG/STRING access holds the map's lock for
 * that one operation; SADD, SGET, SHIST, ITINIT, ITNEXT and MKEYS look
 * up without it (map.h) and SADD takes it only to insert.  Keys are
 * hashed before the lock is taken.  Work is charged as map.h says,
 * checked before it is done: cost is the budget spent beyond the
 * instruction's own unit (never more than budget, the budget left);
 * detail: the fault's detail.
 */
struct vt_mop {
	struct vt_exec *ex;
	s64 budget;		/* in: budget left */
	s64 cost;		/* out */
	s64 detail;		/* out */
	u32 top;		/* scratch bytes in use (iteration stack) */
	bool jump;		/* out: ITNEXT takes its jump */
	bool fused;		/* out: ITNEXT also did the MKEYS after it */
};

/*
 * A foreach record in the scratch, followed by n u32 entry indices.
 * Entries whose seq is at or past limit were inserted (or reused) after
 * ITINIT: ITNEXT skips them.
 */
struct vt_iter_rec {
	u32 tag;		/* VT_ITER_TAG ^ its own offset */
	u32 map;
	u32 n;
	u32 pos;
	u64 limit;		/* the map's next_seq at ITINIT */
};

typedef char vt_iter_rec_size_ok[sizeof(struct vt_iter_rec) ==
				 VT_ITER_REC_BYTES ? 1 : -1];

#define VT_ITER_TAG	0x56544900u	/* never a valid entry index */

static inline u32 round8(u32 n)
{
	return (n + 7) & ~7u;
}

static struct vt_map_hdr *map_of(struct vt_exec *ex, u32 m)
{
	return ex->maps ? (struct vt_map_hdr *)ex->maps[m] : NULL;
}

/* Take @cost from *@left if it fits. */
static inline bool take(s64 *left, u64 cost)
{
	if (*left < 0 || cost > (u64)*left)
		return false;
	*left -= (s64)cost;
	return true;
}

/* The key operands of a v, q instruction (b, c). */
static inline struct vt_map_key insn_key(const struct vt_insn *in,
					 const s64 *regs, const char *slots,
					 u32 strsize)
{
	struct vt_map_key k = {
		.longs = regs + in->b,
		.strs = slots + in->c * strsize,
	};

	return k;
}

/* The fault of a map.c result that is neither OK nor ABSENT. */
static enum vt_fault map_fault(struct vt_mop *o, int res, u32 m)
{
	if (res == VT_MAP_NOBUDGET)
		return VT_FAULT_BUDGET;
	o->detail = m;
	return res == VT_MAP_FULL ? VT_FAULT_MAPFULL : VT_FAULT_HELPER;
}

/* Find, or (@insert) insert, under the lock (the caller holds it). */
static int find_locked(struct vt_mop *o, struct vt_map_hdr *h, u32 m,
		       const struct vt_map_key *k, bool insert, s64 *left,
		       struct vt_map_ref *r)
{
	int res = vt_map_find(h, k, left, r);

	if (res == VT_MAP_ABSENT && insert)
		res = vt_map_insert(h, k, o->ex->prog->maps[m].flags &
				    VT_MAP_F_WRAP, left, r);
	return res;
}

/* MVAL's entry: NULL if deleted since ITNEXT (reads as 0 / ""). */
static enum vt_fault handle_locked(struct vt_map_hdr *h, s64 handle,
				   struct vt_map_entry **ep)
{
	u64 hseq;

	*ep = vt_map_handle_entry(h, handle, &hseq);
	if (!*ep)
		return VT_FAULT_BADITER;
	if (!(*ep)->live || ((*ep)->seq & VT_MAP_SEQ_MASK) != hseq)
		*ep = NULL;
	return VT_FAULT_NONE;
}

/* MGET MSET MADD MHAS MDEL MCLR MVAL: the locked operations. */
static VT_NOINLINE enum vt_fault op_map_locked(struct vt_mop *o,
					       const struct vt_insn *in,
					       s64 *regs, char *slots)
{
	struct vt_exec *ex = o->ex;
	u32 strsize = ex->prog->strsize, m = (u32)in->k;
	struct vt_map_hdr *h = map_of(ex, m);
	struct vt_map_key k = insn_key(in, regs, slots, strsize);
	enum vt_fault f = VT_FAULT_NONE;
	struct vt_map_ref r = { 0 };
	s64 left = o->budget;
	int res = VT_MAP_OK;
	u8 *val;

	if (!h)
		return VT_FAULT_HELPER;	/* the host gave no storage */
	if (in->op != VT_OP_MCLR && in->op != VT_OP_MVAL &&
	    (res = vt_map_hash(h, &k, &left, &r)) != VT_MAP_OK)
		return map_fault(o, res, m);
	if (h->vkind == VT_MAPV_STRING && (in->op == VT_OP_MGET ||
	    in->op == VT_OP_MSET || in->op == VT_OP_MVAL) &&
	    !take(&left, vt_map_bytes_cost(strsize)))
		return VT_FAULT_BUDGET;		/* the value's copy */
	if (vt_host_map_lock(ex->host, m)) {
		o->detail = m;
		return VT_FAULT_BUSY;
	}
	switch (in->op) {
	case VT_OP_MGET:
	case VT_OP_MHAS:
	case VT_OP_MDEL:
		res = find_locked(o, h, m, &k, false, &left, &r);
		break;
	case VT_OP_MSET:
	case VT_OP_MADD:
		res = find_locked(o, h, m, &k, true, &left, &r);
		break;
	case VT_OP_MVAL:
		f = handle_locked(h, regs[in->b], &r.e);
		break;
	case VT_OP_MCLR:
		res = vt_map_clear(h, &left);
		break;
	}
	if (res != VT_MAP_OK && res != VT_MAP_ABSENT)
		f = map_fault(o, res, m);
	val = r.e ? vt_map_val(h, r.e) : NULL;
	if (f != VT_FAULT_NONE)
		goto out;
	switch (in->op) {
	case VT_OP_MGET:
	case VT_OP_MVAL:
		if (h->vkind == VT_MAPV_LONG) {
			if (val)
				memcpy(&regs[in->a], val, 8);
			else
				regs[in->a] = 0;
		} else {
			str_copy(slots + in->a * strsize,
				 val ? (const char *)val : "", strsize - 1);
		}
		break;
	case VT_OP_MSET:
		if (h->vkind == VT_MAPV_LONG)
			memcpy(val, &regs[in->a], 8);
		else
			str_copy((char *)val, slots + in->a * strsize,
				 strsize - 1);
		break;
	case VT_OP_MADD: {
		s64 x;

		memcpy(&x, val, 8);
		x = (s64)((u64)x + (u64)regs[in->a]);
		memcpy(val, &x, 8);
		break;
	}
	case VT_OP_MHAS:
		regs[in->a] = r.e != NULL;
		break;
	case VT_OP_MDEL:
		if (r.e)
			vt_map_delete(h, r.e);
		break;
	}
out:
	vt_host_map_unlock(ex->host, m);
	o->cost = o->budget - left;
	return f;
}

/*
 * A statistic's entry for @k: a lockless lookup, then, if it met a
 * reuse or (@insert) missed, again under the lock, inserting if asked.
 * r->e NULL: absent.
 */
static enum vt_fault stat_entry(struct vt_mop *o, struct vt_map_hdr *h,
				u32 m, const struct vt_map_key *k,
				bool insert, s64 *left, struct vt_map_ref *r)
{
	int res = vt_map_hash(h, k, left, r);

	if (res == VT_MAP_OK)
		res = vt_map_find(h, k, left, r);
	if (res == VT_MAP_RACED || (res == VT_MAP_ABSENT && insert)) {
		if (vt_host_map_lock(o->ex->host, m)) {
			o->detail = m;
			return VT_FAULT_BUSY;
		}
		res = find_locked(o, h, m, k, insert, left, r);
		vt_host_map_unlock(o->ex->host, m);
	}
	if (res == VT_MAP_ABSENT)
		r->e = NULL;
	else if (res != VT_MAP_OK)
		return map_fault(o, res, m);
	return VT_FAULT_NONE;
}

/*
 * Merge @r's entry (or nothing) into @st and @hist; then, if the entry
 * was reused meanwhile, read it as absent (the read follows its delete).
 */
static void stat_read(struct vt_map_hdr *h, struct vt_map_ref *r,
		      struct vt_stat *st, s64 *hist)
{
	if (r->e) {
		vt_stat_merge(st, hist, h, r->e, r->seq);
		vt_smp_rmb();
		if (vt_load_acquire(&r->e->seq) == r->seq)
			return;
	}
	memset(st, 0, sizeof(*st));
	if (hist)
		memset(hist, 0, (u64)h->nhist * 8);
}

/* SADD SGET SHIST: statistics, looked up without the lock. */
static VT_NOINLINE enum vt_fault op_stat(struct vt_mop *o,
					 const struct vt_insn *in,
					 s64 *regs, const char *slots)
{
	struct vt_exec *ex = o->ex;
	u32 m = in->op == VT_OP_SGET ? VT_AGG_K_MAP(in->k) : (u32)in->k;
	const struct vt_map_desc *d = &ex->prog->maps[m];
	struct vt_map_hdr *h = map_of(ex, m);
	struct vt_map_key k = insn_key(in, regs, slots, ex->prog->strsize);
	struct vt_map_ref r = { 0 };
	enum vt_fault f;
	struct vt_rec_hist *rh;
	struct vt_stat sum;
	s64 left = o->budget;
	u32 agg;

	if (!h || ex->vslot >= h->nvslots)
		return VT_FAULT_HELPER;	/* the host broke its promise */
	f = stat_entry(o, h, m, &k, in->op == VT_OP_SADD, &left, &r);
	if (f != VT_FAULT_NONE)
		return f;
	if (in->op == VT_OP_SADD) {
		/* Plain stores into slot vslot, which this firing owns. */
		if (vt_stat_slot_add(h, r.e, r.seq, ex->vslot, d, regs[in->a],
				     &left) != VT_MAP_OK)
			return VT_FAULT_BUDGET;
		goto out;
	}
	/* A merge reads every slot: 1 each; SHIST also the counters. */
	if (!take(&left, r.e ? h->nvslots : 0))
		return VT_FAULT_BUDGET;
	if (in->op == VT_OP_SGET) {
		agg = VT_AGG_K_AGG(in->k);
		stat_read(h, &r, &sum, NULL);
		if (sum.count <= 0) {
			if (agg != VT_AGG_COUNT && agg != VT_AGG_SUM) {
				o->detail = m;
				return VT_FAULT_EMPTYAGG;
			}
			regs[in->a] = 0;
			goto out;
		}
		regs[in->a] = vt_stat_agg(&sum, agg);
		goto out;
	}
	/* SHIST */
	if (!take(&left, vt_map_bytes_cost((u64)d->nbuckets * 8 *
					   (r.e ? h->nvslots + 1 : 1))))
		return VT_FAULT_BUDGET;
	rh = vt_host_reserve(ex->host, VT_REC_HIST,
			     sizeof(*rh) + d->nbuckets * 8);
	if (!rh)
		goto out;	/* dropped; the host counts it */
	memset(rh, 0, sizeof(*rh));
	rh->map = m;
	rh->hist = d->hist;
	rh->nbuckets = d->nbuckets;
	stat_read(h, &r, &rh->stat, (s64 *)(rh + 1));
	vt_host_commit(ex->host, rh);
out:
	o->cost = o->budget - left;
	return VT_FAULT_NONE;
}

/* ITINIT: collect, sort, truncate; a = the record's scratch offset. */
static VT_NOINLINE enum vt_fault op_itinit(struct vt_mop *o,
					   const struct vt_insn *in,
					   s64 *regs)
{
	struct vt_exec *ex = o->ex;
	const struct vt_prog *prog = ex->prog;
	const struct vt_iter_desc *it = &prog->iters[in->k];
	struct vt_map_hdr *h = map_of(ex, it->map);
	u8 *scratch = ex->frame + prog->frame_size - prog->scratch;
	struct vt_map_entry *e;
	struct vt_iter_rec *rec;
	u32 i, n = 0, room, *idx;
	s64 limit = regs[in->b], left = o->budget;
	u64 seq;

	if (!h)
		return VT_FAULT_HELPER;
	if (prog->scratch - o->top < sizeof(*rec))
		return VT_FAULT_SCRATCH;
	if (!take(&left, h->max_entries))
		return VT_FAULT_BUDGET;		/* the scan */
	room = (prog->scratch - o->top - sizeof(*rec)) / 4;
	rec = (struct vt_iter_rec *)(scratch + o->top);
	idx = (u32 *)(rec + 1);
	/* Lockless: the entries live at the start and inserted before. */
	rec->limit = vt_load_acquire(&h->next_seq);
	for (i = 0; i < h->max_entries; i++) {
		e = vt_map_entry(h, i);
		seq = vt_load_acquire(&e->seq);
		if (!seq || seq >= rec->limit || !vt_load_acquire(&e->live))
			continue;
		if (n == room)
			return VT_FAULT_SCRATCH;
		idx[n++] = i;
	}
	if (!take(&left, vt_map_sort_cost(prog, it, h, n)))
		return VT_FAULT_BUDGET;
	vt_map_sort(prog, it, h, idx, n);
	if (limit >= 0 && limit < n)
		n = (u32)limit;
	rec->tag = VT_ITER_TAG ^ o->top;
	rec->map = it->map;
	rec->n = n;
	rec->pos = 0;
	regs[in->a] = o->top;
	o->top += round8(sizeof(*rec) + n * 4);
	o->cost = o->budget - left;
	return VT_FAULT_NONE;
}

/* The live record at scratch offset @off, or NULL (forged, ended). */
static struct vt_iter_rec *iter_rec(struct vt_mop *o, s64 off)
{
	const struct vt_prog *prog = o->ex->prog;
	u8 *scratch = o->ex->frame + prog->frame_size - prog->scratch;
	struct vt_iter_rec *rec;

	if (off < 0 || off % 8 || off + sizeof(*rec) > o->top)
		return NULL;
	rec = (struct vt_iter_rec *)(scratch + off);
	if (rec->tag != (VT_ITER_TAG ^ (u32)off) || rec->map >= prog->nmaps ||
	    rec->pos > rec->n ||
	    (u64)off + sizeof(*rec) + (u64)rec->n * 4 > o->top)
		return NULL;
	return rec;
}

/*
 * MKEYS's copy of entry @e's keys, if @e is incarnation @hseq (mod
 * 2^VT_MAP_SEQ_BITS) before and after the copy; false if it was
 * reused (a deleted entry keeps its keys).
 */
static bool keys_of(struct vt_exec *ex, const struct vt_insn *mk,
		    struct vt_map_hdr *h, struct vt_map_entry *e, u64 hseq,
		    s64 *regs, char *slots)
{
	u32 strsize = ex->prog->strsize;
	u64 seq = vt_load_acquire(&e->seq);

	if (!seq || (seq & VT_MAP_SEQ_MASK) != (hseq & VT_MAP_SEQ_MASK))
		return false;
	vt_map_keys_out(h, e, regs + mk->a, slots + mk->b * strsize, strsize);
	vt_smp_rmb();
	return vt_load_acquire(&e->seq) == seq;
}

/*
 * ITNEXT: the next entry still there, and not reused since ITINIT.
 * Entries passed over cost 1 each.  When the next instruction is the
 * MKEYS of that entry (as the compiler emits it), do it here too, so
 * no reuse can come between: an entry reused meanwhile is passed over.
 */
static enum vt_fault op_itnext(struct vt_mop *o, const struct vt_insn *in,
			       struct vt_iter_rec *rec, s64 *regs,
			       char *slots)
{
	struct vt_map_hdr *h = map_of(o->ex, rec->map);
	const struct vt_insn *mk = in + 1;
	const u32 *idx = (const u32 *)(rec + 1);
	bool fuse = mk->op == VT_OP_MKEYS && (u32)mk->k == rec->map &&
		    mk->c == in->a;
	u64 keys = fuse ? 1 + vt_map_bytes_cost(h ? h->keysize : 0) : 0;
	struct vt_map_entry *e;
	s64 left = o->budget;
	u64 seq, step = 0;
	u32 i;

	if (!h)
		return VT_FAULT_HELPER;
	/* The first entry is the instruction's unit; each one after, 1. */
	for (; rec->pos < rec->n; step = 1) {
		if (!take(&left, step))
			return VT_FAULT_BUDGET;
		i = idx[rec->pos++];
		if (i >= h->max_entries)
			continue;
		e = vt_map_entry(h, i);
		seq = vt_load_acquire(&e->seq);
		if (!seq || seq >= rec->limit || !vt_load_acquire(&e->live))
			continue;
		regs[in->a] = vt_map_handle(i, seq);
		if (fuse && !take(&left, keys))
			return VT_FAULT_BUDGET;
		if (fuse && !keys_of(o->ex, mk, h, e, seq, regs, slots))
			continue;
		o->fused = fuse;
		o->cost = o->budget - left;
		return VT_FAULT_NONE;
	}
	o->jump = true;
	o->cost = o->budget - left;
	return VT_FAULT_NONE;
}

/* ITNEXT ITEND MKEYS. */
static VT_NOINLINE enum vt_fault op_iter(struct vt_mop *o,
					 const struct vt_insn *in,
					 s64 *regs, char *slots)
{
	struct vt_exec *ex = o->ex;
	struct vt_iter_rec *rec;
	struct vt_map_hdr *h;
	struct vt_map_entry *e;
	u64 hseq;

	if (in->op == VT_OP_MKEYS) {
		h = map_of(ex, (u32)in->k);
		if (!h)
			return VT_FAULT_HELPER;
		e = vt_map_handle_entry(h, regs[in->c], &hseq);
		if (!e)
			return VT_FAULT_BADITER;
		o->cost = (s64)vt_map_bytes_cost(h->keysize);
		if (o->cost > o->budget)
			return VT_FAULT_BUDGET;
		/* Reused since ITNEXT: its keys are gone. */
		return keys_of(ex, in, h, e, hseq, regs, slots) ?
		       VT_FAULT_NONE : VT_FAULT_BADITER;
	}
	rec = iter_rec(o, in->op == VT_OP_ITEND ? regs[in->a] : regs[in->b]);
	if (!rec)
		return VT_FAULT_BADITER;
	if (in->op == VT_OP_ITEND) {
		o->top = (u32)regs[in->a];
		return VT_FAULT_NONE;
	}
	return op_itnext(o, in, rec, regs, slots);
}

/* A suspended caller, kept at the start of the frame memory. */
struct vt_callrec {
	u32 ret_pc;		/* absolute pc of the CALL */
	u32 unit;		/* caller's unit */
	u32 dest;		/* CALL's a: where the result goes */
	u32 base;		/* caller's frame offset in the stack */
};
typedef char vt_callrec_size_ok[sizeof(struct vt_callrec) ==
				VT_CALLREC_BYTES ? 1 : -1];

/*
 * CALL: set up the callee's frame at @nregs: zeroed, then its long
 * parameters (registers 0..) from the caller's registers at b and its
 * string parameters (slots 0..) from the caller's slots at c.  The
 * frames do not overlap.  Returns the work: the frame cleared (8 bytes a
 * register, 1 a slot) and the strings copied.
 */
static VT_NOINLINE u32 op_call_args(const struct vt_prog *prog,
				     const struct vt_insn *in,
				     const s64 *regs, const char *slots,
				     s64 *nregs, char *nslots)
{
	const struct vt_unit_desc *cu = &prog->units[in->k];
	const char *sig = vt_unit_sig(prog, in->k) + 1;
	u32 strsize = prog->strsize, i, nl = 0, ns = 0;
	u32 work = cu->nregs * 8 + cu->nslots;

	memset(nregs, 0, cu->nregs * 8);
	for (i = 0; i < cu->nslots; i++)
		nslots[i * strsize] = '\0';
	for (i = 0; sig[i]; i++) {
		if (sig[i] == 'l') {
			nregs[nl] = regs[in->b + nl];
			nl++;
		} else {
			work += str_copy(nslots + ns * strsize,
					 slots + (in->c + ns) * strsize,
					 strsize - 1);
			ns++;
		}
	}
	return work;
}

static const char *const vt_fault_text[VT_FAULT_COUNT] = {
#define VT_FAULT_TEXT(name, text) [VT_FAULT_##name] = text,
	VT_FAULTS(VT_FAULT_TEXT)
#undef VT_FAULT_TEXT
};

/*
 * Which faults a try/catch handles.  BUDGET and TIME mean the firing has
 * spent what it may spend (instructions, time), and BUSY comes after a
 * map lock stayed busy (waiting up to the time cap); catching one would
 * let a script go on past its limits, so these end the firing.  Every
 * other fault is a script error a handler may catch.
 */
static inline bool fault_catchable(enum vt_fault f)
{
	return f != VT_FAULT_BUDGET && f != VT_FAULT_TIME &&
	       f != VT_FAULT_BUSY;
}

/*
 * The first handler of unit @u covering @pc, or NULL.  The loader made
 * units sorted and disjoint and HANDLERS grouped by unit in unit order,
 * each handler inside its unit (prog.c check_handlers): so @u's handlers
 * are the run of entries whose start lies in @u, found by binary search
 * on start, and only they are looked at; their target and slot were
 * checked against @u, whose frame is the one in use.
 * Cost: 1 from *@budget per search step and per entry of the run looked
 * at; when that runs out, NULL with *@budget < 0 (the caller faults
 * BUDGET), so a lookup never does more work than the firing can pay.
 */
static VT_NOINLINE const struct vt_handler_desc *
find_handler(const struct vt_prog *prog, u32 u, u32 pc, s64 *budget)
{
	const struct vt_unit_desc *ud = &prog->units[u];
	const struct vt_handler_desc *h;
	u32 lo = 0, hi = prog->nhandlers, mid;

	while (lo < hi) {	/* the first entry with start >= ud->code */
		if (--*budget < 0)
			return NULL;
		mid = lo + (hi - lo) / 2;
		if (prog->handlers[mid].start < ud->code)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (h = prog->handlers + lo; h < prog->handlers + prog->nhandlers &&
	     h->start - ud->code < ud->ncode; h++) {
		if (--*budget < 0)
			return NULL;
		if (pc >= h->start && pc < h->end)
			return h;
	}
	return NULL;
}

/* Shift right, arithmetic, without relying on signed >>. */
static inline s64 sar64(s64 v, u32 n)
{
	return v < 0 ? (s64)~(~(u64)v >> n) : (s64)((u64)v >> n);
}

enum vt_fault vt_run(struct vt_exec *ex, u32 unit)
{
	const struct vt_prog *prog = ex->prog;
	const struct vt_unit_desc *ud;
	const struct vt_insn *ip;
	enum vt_fault fault = VT_FAULT_NONE;
	s64 budget = ex->budget, *regs, l, r;
	u32 strsize = prog->strsize, i, depth = 0, base = 0, cur = unit;
	struct vt_callrec *calls = (struct vt_callrec *)ex->frame;
	u8 *stack = ex->frame + prog->stack_off;
	const char *rets = "";
	char *slots, retkind = 0;
	s64 detail = 0, limit;
	struct vt_mop mop = { .ex = ex };
	u32 work;

#if VT_THREADED
#define VT_JUMP_ENTRY(name, fa, fb, fc, fk) [VT_OP_##name] = &&do_##name,
	static const void *const jump[VT_OP_COUNT] __annotate_jump_table = {
		VT_OPCODES(VT_JUMP_ENTRY)
	};
#undef VT_JUMP_ENTRY
#define CASE(name)	do_##name:
/*
 * The one check per instruction: budget below limit means the budget ran
 * out or VT_TIME_POLL_UNITS units went by since the clock was last read
 * (slow path at poll).
 */
#define DISPATCH()	do {						\
		if (unlikely(--budget < limit))				\
			goto poll;					\
		goto *jump[ip->op];					\
	} while (0)
#define RESUME()	goto *jump[ip->op]
#else
#define CASE(name)	case VT_OP_##name:
#define DISPATCH()	goto dispatch
#define RESUME()	goto resume
#endif
#define NEXT()		do { ip++; DISPATCH(); } while (0)
#define RA		regs[ip->a]
#define RB		regs[ip->b]
#define RC		regs[ip->c]
#define SLOT(x)		(slots + (u32)(x) * strsize)
#define BINOP(name, expr) CASE(name) { l = RB; r = RC; RA = (expr); NEXT(); }
/*
 * Charge @w bytes of work (vt_isa.h's cost rule) to the instruction at
 * ip, after doing it.  Running out faults BUDGET here; a time poll that
 * falls due waits for the next DISPATCH.
 */
#define CHARGE(w) do {							\
		budget -= (s64)((w) / VT_COST_BYTES);			\
		if (unlikely(budget < 0))				\
			goto budget_out;				\
	} while (0)

	ex->fault_msg = NULL;
	if (unlikely(unit >= prog->nunits)) {
		ex->fault_pc = 0;
		return VT_FAULT_HELPER;
	}
	ud = &prog->units[unit];
	regs = (s64 *)stack;
	slots = (char *)stack + ud->nregs * 8;
	memset(regs, 0, ud->nregs * 8);
	for (i = 0; i < ud->nslots; i++)
		slots[i * strsize] = '\0';
	ip = prog->code + ud->code;
	limit = budget > VT_TIME_POLL_UNITS ? budget - VT_TIME_POLL_UNITS : 0;

#if VT_THREADED
	DISPATCH();
#else
dispatch:
	if (unlikely(--budget < limit))
		goto poll;
resume:
	switch (ip->op) {
#endif
	CASE(NOP) NEXT();
	CASE(MOV) { RA = RB; NEXT(); }
	CASE(LDI) { RA = ip->k; NEXT(); }
	CASE(LDC) { RA = prog->consts[ip->k]; NEXT(); }
	BINOP(ADD, (s64)((u64)l + (u64)r))
	BINOP(SUB, (s64)((u64)l - (u64)r))
	BINOP(MUL, (s64)((u64)l * (u64)r))
	CASE(DIV) CASE(MOD) {
		l = RB;
		r = RC;
		if (unlikely(r == 0)) {
			fault = VT_FAULT_DIVZERO;
			goto fail;
		}
		if (unlikely(r == -1 && l == VT_S64_MIN)) {
			fault = VT_FAULT_OVERFLOW;
			goto fail;
		}
		RA = ip->op == VT_OP_DIV ? l / r : l % r;
		NEXT();
	}
	BINOP(AND, l & r)
	BINOP(OR, l | r)
	BINOP(XOR, l ^ r)
	BINOP(SHL, (s64)((u64)l << (r & 63)))
	BINOP(SHR, sar64(l, (u32)(r & 63)))
	CASE(NEG) { RA = (s64)(0 - (u64)RB); NEXT(); }
	CASE(NOT) { RA = ~RB; NEXT(); }
	CASE(LNOT) { RA = !RB; NEXT(); }
	BINOP(EQ, l == r)
	BINOP(NE, l != r)
	BINOP(LT, l < r)
	BINOP(LE, l <= r)
	BINOP(GT, l > r)
	BINOP(GE, l >= r)
	CASE(JMP) { ip += 1 + ip->k; DISPATCH(); }
	CASE(JZ) {
		if (!RA) {
			ip += 1 + ip->k;
			DISPATCH();
		}
		NEXT();
	}
	CASE(JNZ) {
		if (RA) {
			ip += 1 + ip->k;
			DISPATCH();
		}
		NEXT();
	}
	CASE(LOOP) NEXT();	/* a marker: the clock is polled by DISPATCH */
	CASE(RET) {
		if (!depth)
			goto out;
		retkind = 0;
		goto ret;
	}
	CASE(RETL) {
		if (!depth)
			goto out;
		l = RA;
		retkind = 'l';
		goto ret;
	}
	CASE(RETS) {
		if (!depth)
			goto out;
		rets = SLOT(ip->a);
		retkind = 's';
		goto ret;
	}
	CASE(CALL) {
		if (unlikely(depth >= prog->maxnesting)) {
			fault = VT_FAULT_NESTING;
			detail = ip->k;	/* the function not entered */
			goto fail;
		}
		calls[depth].ret_pc = (u32)(ip - prog->code);
		calls[depth].unit = cur;
		calls[depth].dest = ip->a;
		calls[depth].base = base;
		depth++;
		/* The loader sized the stack for maxnesting such frames. */
		base += (u32)vt_unit_stack_bytes(ud->nregs, ud->nslots,
						 strsize);
		cur = (u32)ip->k;
		ud = &prog->units[cur];
		work = op_call_args(prog, ip, regs, slots,
				    (s64 *)(stack + base),
				    (char *)stack + base + ud->nregs * 8);
		regs = (s64 *)(stack + base);
		slots = (char *)stack + base + ud->nregs * 8;
		CHARGE(work);	/* a BUDGET fault names the CALL */
		ip = prog->code + ud->code;
		DISPATCH();
	}
	CASE(GLD) { RA = ex->lglobals[ip->k]; NEXT(); }
	CASE(GST) { ex->lglobals[ip->k] = RA; NEXT(); }
	CASE(SLDC) {
		CHARGE(str_copy(SLOT(ip->a), prog->strtab + ip->k,
				strsize - 1));
		NEXT();
	}
	CASE(SMOV) {
		CHARGE(str_copy(SLOT(ip->a), SLOT(ip->b), strsize - 1));
		NEXT();
	}
	CASE(SGLD) {
		CHARGE(str_copy(SLOT(ip->a),
				ex->sglobals + (u32)ip->k * strsize,
				strsize - 1));
		NEXT();
	}
	CASE(SGST) {
		CHARGE(str_copy(ex->sglobals + (u32)ip->k * strsize,
				SLOT(ip->a), strsize - 1));
		NEXT();
	}
	CASE(SCAT) {
		CHARGE(str_cat(SLOT(ip->a), SLOT(ip->b), SLOT(ip->c),
			       strsize));
		NEXT();
	}
	CASE(SCMP) {
		RA = str_cmp(SLOT(ip->b), SLOT(ip->c), strsize, &work);
		CHARGE(work);
		NEXT();
	}
	CASE(PRINTF) { CHARGE(op_printf(ex, ip, regs, slots)); NEXT(); }
	CASE(SPRINTF) { CHARGE(op_sprintf(ex, ip, regs, slots)); NEXT(); }
	CASE(MATCH) {
		RA = op_match(prog, ip, SLOT(ip->b), &work);
		CHARGE(work);
		NEXT();
	}
	CASE(CALLH) {
		fault = op_callh(ex, ip, regs, slots, &work);
		CHARGE(work);	/* the work done, fault or not */
		if (unlikely(fault != VT_FAULT_NONE)) {
			detail = ex->fault_detail;
			goto fail;
		}
		NEXT();
	}
	CASE(MGET) CASE(MSET) CASE(MADD) CASE(MHAS) CASE(MDEL) CASE(MCLR)
	CASE(MVAL) {
		mop.cost = 0;
		mop.detail = 0;
		mop.budget = budget;
		fault = op_map_locked(&mop, ip, regs, slots);
		goto map_done;
	}
	CASE(SADD) CASE(SGET) CASE(SHIST) {
		mop.cost = 0;
		mop.detail = 0;
		mop.budget = budget;
		fault = op_stat(&mop, ip, regs, slots);
		goto map_done;
	}
	CASE(ITINIT) {
		mop.cost = 0;
		mop.detail = 0;
		mop.budget = budget;
		fault = op_itinit(&mop, ip, regs);
		goto map_done;
	}
	CASE(ITNEXT) CASE(ITEND) CASE(MKEYS) {
		mop.cost = 0;
		mop.detail = 0;
		mop.budget = budget;
		mop.jump = false;
		mop.fused = false;
		fault = op_iter(&mop, ip, regs, slots);
		if (fault == VT_FAULT_NONE && mop.jump) {
			budget -= mop.cost;	/* <= budget */
			ip += 1 + ip->k;
			DISPATCH();
		}
		if (mop.fused)
			ip++;	/* its MKEYS, done and charged by ITNEXT */
		goto map_done;
	}
#if !VT_THREADED
	default:
		fault = VT_FAULT_HELPER;	/* unreachable once verified */
		goto fail;
	}
#endif

ret:
	/*
	 * Back to the caller.  The result (RETL: l, RETS: rets, RET: none,
	 * which gives 0 or "") goes where the CALL asked, if the callee
	 * returns a value at all.
	 */
	depth--;
	cur = calls[depth].unit;
	base = calls[depth].base;
	ud = &prog->units[cur];
	regs = (s64 *)(stack + base);
	slots = (char *)stack + base + ud->nregs * 8;
	ip = prog->code + calls[depth].ret_pc;
	switch (vt_unit_sig(prog, (u32)ip->k)[0]) {
	case 'l':
		regs[calls[depth].dest] = retkind == 'l' ? l : 0;
		break;
	case 's':
		CHARGE(str_copy(SLOT(calls[depth].dest),
				retkind == 's' ? rets : "", strsize - 1));
		break;
	}
	NEXT();

map_done:
	/* After a map instruction: its fault, or its extra cost, then on. */
	if (unlikely(fault == VT_FAULT_BUDGET))
		goto budget_out;
	if (unlikely(fault != VT_FAULT_NONE)) {
		detail = mop.detail;
		goto fail;
	}
	budget -= mop.cost;
	if (unlikely(budget < 0))
		goto budget_out;
	NEXT();

poll:
	/* budget < limit: the budget ran out, or the clock is due. */
	if (budget < 0)
		goto budget_out;
	if (vt_host_time_up(ex->host)) {
		fault = VT_FAULT_TIME;
		goto fail;
	}
	limit = budget > VT_TIME_POLL_UNITS ? budget - VT_TIME_POLL_UNITS : 0;
	RESUME();

budget_out:
	fault = VT_FAULT_BUDGET;
	budget = 0;
fail:
	ex->fault_pc = (u32)(ip - prog->code);
	ex->fault_detail = detail;
	/*
	 * try/catch: unwind to the innermost handler, if any.  Each frame's
	 * lookup is charged to the budget (find_handler); faults that end
	 * the firing (fault_catchable) are never caught.
	 */
	if (fault_catchable(fault) && prog->nhandlers) {
		const struct vt_handler_desc *h;
		u32 pc = ex->fault_pc;

		for (;;) {
			h = find_handler(prog, cur, pc, &budget);
			if (h || !depth || budget < 0)
				break;
			depth--;
			cur = calls[depth].unit;
			base = calls[depth].base;
			pc = calls[depth].ret_pc;
		}
		if (unlikely(budget < 0)) {
			detail = 0;
			goto budget_out;
		}
		if (h) {
			ud = &prog->units[cur];
			regs = (s64 *)(stack + base);
			slots = (char *)stack + base + ud->nregs * 8;
			work = 0;
			if (h->flags & VT_HANDLER_F_MSG)
				work = str_copy(SLOT(h->slot),
						fault == VT_FAULT_USER &&
						ex->fault_msg ? ex->fault_msg :
						vt_fault_text[fault],
						strsize - 1);
			CHARGE(work);	/* BUDGET: at the faulting pc */
			ip = prog->code + h->target;
			fault = VT_FAULT_NONE;
			detail = 0;
			DISPATCH();
		}
	}
out:
	ex->budget = budget;
	return fault;
#undef CASE
#undef DISPATCH
#undef NEXT
#undef RA
#undef RB
#undef RC
#undef SLOT
#undef BINOP
#undef CHARGE
#undef RESUME
}
