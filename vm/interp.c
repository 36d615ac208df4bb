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
 * that one operation; SADD, SGET and SHIST look up without it (map.h)
 * and SADD takes it only to insert.  cost: budget beyond the
 * instruction's own unit; detail: the fault's detail.
 */
struct vt_mop {
	struct vt_exec *ex;
	s64 budget;		/* in: budget left, for up-front charges */
	s64 cost;		/* out */
	s64 detail;		/* out */
	u32 top;		/* scratch bytes in use (iteration stack) */
	bool jump;		/* out: ITNEXT takes its jump */
};

/* A foreach record in the scratch, followed by n u32 entry indices. */
struct vt_iter_rec {
	u32 tag;		/* VT_ITER_TAG ^ its own offset */
	u32 map;
	u32 n;
	u32 pos;
};

#define VT_ITER_TAG	0x56544900u	/* never a valid entry index */

static inline u32 round8(u32 n)
{
	return (n + 7) & ~7u;
}

static struct vt_map_hdr *map_of(struct vt_exec *ex, u32 m)
{
	return ex->maps ? (struct vt_map_hdr *)ex->maps[m] : NULL;
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

/* Find or insert under the lock (the caller holds it). */
static enum vt_fault find_or_insert(struct vt_mop *o, struct vt_map_hdr *h,
				    u32 m, const struct vt_map_key *k,
				    struct vt_map_entry **ep)
{
	const struct vt_map_desc *d = &o->ex->prog->maps[m];
	u32 cost;

	*ep = vt_map_find(h, k);
	if (*ep)
		return VT_FAULT_NONE;
	*ep = vt_map_insert(h, k, d->flags & VT_MAP_F_WRAP, &cost);
	o->cost += cost;
	if (*ep)
		return VT_FAULT_NONE;
	o->detail = m;
	return VT_FAULT_MAPFULL;
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
	struct vt_map_entry *e = NULL;
	u8 *val;

	if (!h)
		return VT_FAULT_HELPER;	/* the host gave no storage */
	if (vt_host_map_lock(ex->host, m)) {
		o->detail = m;
		return VT_FAULT_BUSY;
	}
	switch (in->op) {
	case VT_OP_MGET:
	case VT_OP_MHAS:
	case VT_OP_MDEL:
		e = vt_map_find(h, &k);
		break;
	case VT_OP_MSET:
	case VT_OP_MADD:
		f = find_or_insert(o, h, m, &k, &e);
		break;
	case VT_OP_MVAL:
		e = regs[in->b] >= 0 && regs[in->b] < h->max_entries ?
		    vt_map_live(h, (u32)regs[in->b]) : NULL;
		if (!e)
			f = VT_FAULT_BADITER;
		break;
	case VT_OP_MCLR:
		o->cost += vt_map_clear(h);
		break;
	}
	val = e ? vt_map_val(h, e) : NULL;
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
		regs[in->a] = e != NULL;
		break;
	case VT_OP_MDEL:
		if (e)
			vt_map_delete(h, e);
		break;
	}
out:
	vt_host_map_unlock(ex->host, m);
	return f;
}

/* SADD SGET SHIST: statistics, looked up without the lock. */
static VT_NOINLINE enum vt_fault op_stat(struct vt_mop *o,
					 const struct vt_insn *in,
					 s64 *regs, const char *slots)
{
	struct vt_exec *ex = o->ex;
	u32 m = in->op == VT_OP_SGET ? (u32)in->k & 0xffffff : (u32)in->k;
	const struct vt_map_desc *d = &ex->prog->maps[m];
	struct vt_map_hdr *h = map_of(ex, m);
	struct vt_map_key k = insn_key(in, regs, slots, ex->prog->strsize);
	enum vt_fault f = VT_FAULT_NONE;
	struct vt_map_entry *e;
	struct vt_rec_hist *rh;
	struct vt_stat *st;
	struct vt_stat sum;
	u32 agg;

	if (!h || ex->vslot >= h->nvslots)
		return VT_FAULT_HELPER;	/* the host broke its promise */
	e = vt_map_find(h, &k);
	if (in->op == VT_OP_SADD) {
		if (!e) {
			if (vt_host_map_lock(ex->host, m)) {
				o->detail = m;
				return VT_FAULT_BUSY;
			}
			f = find_or_insert(o, h, m, &k, &e);
			vt_host_map_unlock(ex->host, m);
			if (f != VT_FAULT_NONE)
				return f;
		}
		/* Plain stores: this firing owns slot vslot. */
		st = vt_map_vslot(h, e, ex->vslot);
		vt_stat_add(st, (s64 *)(st + 1), d, regs[in->a]);
		return VT_FAULT_NONE;
	}
	if (in->op == VT_OP_SGET) {
		agg = (u32)in->k >> 24;
		if (e)
			vt_stat_merge(&sum, NULL, vt_map_val(h, e), h->nvslots,
				      h->vslot_size, 0);
		if (!e || sum.count <= 0) {
			if (agg != VT_AGG_COUNT && agg != VT_AGG_SUM) {
				o->detail = m;
				return VT_FAULT_EMPTYAGG;
			}
			regs[in->a] = 0;
			return VT_FAULT_NONE;
		}
		regs[in->a] = vt_stat_agg(&sum, agg);
		return VT_FAULT_NONE;
	}
	/* SHIST */
	rh = vt_host_reserve(ex->host, VT_REC_HIST,
			     sizeof(*rh) + d->nbuckets * 8);
	if (!rh)
		return VT_FAULT_NONE;	/* dropped; the host counts it */
	memset(rh, 0, sizeof(*rh) + d->nbuckets * 8);
	rh->map = m;
	rh->hist = d->hist;
	rh->nbuckets = d->nbuckets;
	if (e)
		vt_stat_merge(&rh->stat, (s64 *)(rh + 1), vt_map_val(h, e),
			      h->nvslots, h->vslot_size, h->nhist);
	vt_host_commit(ex->host, rh);
	o->cost += h->nvslots;
	return VT_FAULT_NONE;
}

/* log2 rounded up, for the sorting charge. */
static u32 log2_up(u32 n)
{
	u32 r = 0;

	while (r < 32 && (1ull << r) < n)
		r++;
	return r;
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
	struct vt_iter_rec *rec;
	u32 i, n, need, *idx;
	s64 limit = regs[in->b];
	u64 sort_cost;

	if (!h)
		return VT_FAULT_HELPER;
	if (o->budget < (s64)h->max_entries)
		return VT_FAULT_BUDGET;		/* the scan alone */
	if (vt_host_map_lock(ex->host, it->map)) {
		o->detail = it->map;
		return VT_FAULT_BUSY;
	}
	need = round8(sizeof(*rec) + h->live * 4);
	if (h->live > h->max_entries || need > prog->scratch - o->top) {
		vt_host_map_unlock(ex->host, it->map);
		return VT_FAULT_SCRATCH;
	}
	rec = (struct vt_iter_rec *)(scratch + o->top);
	idx = (u32 *)(rec + 1);
	for (i = 0, n = 0; i < h->max_entries && n < h->live; i++)
		if (vt_map_entry(h, i)->live)
			idx[n++] = i;
	vt_host_map_unlock(ex->host, it->map);
	o->cost += h->max_entries;
	sort_cost = (u64)n * (log2_up(n) + 1);
	if (it->sort == VT_SORT_VALUE && h->vkind == VT_MAPV_STAT)
		sort_cost *= h->nvslots;	/* a merge per comparison */
	if (sort_cost > (u64)(o->budget - o->cost))
		return VT_FAULT_BUDGET;
	o->cost += sort_cost;
	vt_map_sort(prog, it, h, idx, n);
	if (limit >= 0 && limit < n)
		n = (u32)limit;
	rec->tag = VT_ITER_TAG ^ o->top;
	rec->map = it->map;
	rec->n = n;
	rec->pos = 0;
	regs[in->a] = o->top;
	o->top += round8(sizeof(*rec) + n * 4);
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

/* ITNEXT ITEND MKEYS. */
static VT_NOINLINE enum vt_fault op_iter(struct vt_mop *o,
					 const struct vt_insn *in,
					 s64 *regs, char *slots)
{
	struct vt_exec *ex = o->ex;
	struct vt_iter_rec *rec;
	struct vt_map_hdr *h;
	struct vt_map_entry *e;
	const u32 *idx;
	s64 i;

	if (in->op == VT_OP_MKEYS) {
		h = map_of(ex, (u32)in->k);
		if (!h)
			return VT_FAULT_HELPER;
		i = regs[in->c];
		e = i >= 0 && i < h->max_entries ? vt_map_live(h, (u32)i) :
		    NULL;
		if (!e)
			return VT_FAULT_BADITER;
		vt_map_keys_out(h, e, regs + in->a,
				slots + in->b * ex->prog->strsize,
				ex->prog->strsize);
		return VT_FAULT_NONE;
	}
	rec = iter_rec(o, in->op == VT_OP_ITEND ? regs[in->a] : regs[in->b]);
	if (!rec)
		return VT_FAULT_BADITER;
	if (in->op == VT_OP_ITEND) {
		o->top = (u32)regs[in->a];
		return VT_FAULT_NONE;
	}
	h = map_of(ex, rec->map);
	if (!h)
		return VT_FAULT_HELPER;
	idx = (const u32 *)(rec + 1);
	while (rec->pos < rec->n) {
		i = idx[rec->pos++];
		if (vt_map_live(h, (u32)i)) {
			regs[in->a] = i;
			return VT_FAULT_NONE;
		}
	}
	o->jump = true;
	return VT_FAULT_NONE;
}

/* A suspended caller, kept at the start of the frame memory. */
struct vt_callrec {
	u32 ret_pc;		/* absolute pc of the CALL */
	u32 unit;		/* caller's unit */
	u32 dest;		/* CALL's a: where the result goes */
	u32 base;		/* caller's frame offset in the stack */
};

static inline u32 frame_bytes(const struct vt_unit_desc *ud, u32 strsize)
{
	return ((u32)ud->nregs * 8 + (u32)ud->nslots * strsize + 7) & ~7u;
}

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
		base += frame_bytes(ud, strsize);
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
		fault = op_map_locked(&mop, ip, regs, slots);
		goto map_done;
	}
	CASE(SADD) CASE(SGET) CASE(SHIST) {
		mop.cost = 0;
		mop.detail = 0;
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
		mop.jump = false;
		fault = op_iter(&mop, ip, regs, slots);
		if (fault == VT_FAULT_NONE && mop.jump) {
			ip += 1 + ip->k;
			DISPATCH();
		}
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
