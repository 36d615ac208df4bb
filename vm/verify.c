// SPDX-License-Identifier: GPL-2.0-only
/*
 * verify.c - the per-instruction verifier.
 *
 * Driven by vt_opcode_info: each operand is checked according to its
 * format (vt_isa.h), never by opcode.  The only opcode-specific rules
 * are the ones the format table cannot express: a back-edge must land on
 * LOOP, a unit must end in RET, RETL, RETS or JMP, RETL / RETS only
 * appear in a function returning a long / a string, and the map opcodes
 * accept only some value kinds (verify_map_kind).
 *
 * After a unit passes, the interpreter may rely on: op < VT_OP_COUNT;
 * every register, slot, global, constant, strtab offset, format and
 * helper index is in range; argument vectors fit the frame; every jump
 * stays inside the unit; execution cannot run off the unit's end.
 * Termination is left to the budget (every instruction costs 1).
 */
#include "vt_priv.h"

/* Argument vector of the format, helper, unit or map named by k. */
struct vt_vec {
	u32 nlong;
	u32 nstr;
	u8 ret;			/* enum vt_kind; a map's value kind */
	bool valid;
	const struct vt_map_desc *map;	/* k names a map (m, n) */
};

struct vt_vctx {
	const struct vt_prog *prog;
	const struct vt_unit_desc *ud;
	struct vt_log *lg;
	u32 unit;
	u32 pc;			/* absolute CODE index */
	const struct vt_insn *in;
};

static const char vt_operand_name[4] = { 'a', 'b', 'c', 'k' };

static int vt_reject(struct vt_vctx *v)
{
	vt_log_where(v->lg, v->prog, v->unit, v->pc);
	return -1;
}

static int verify_jump(struct vt_vctx *v)
{
	s64 target = (s64)v->pc + 1 + v->in->k;
	u32 first = v->ud->code, end = v->ud->code + v->ud->ncode;

	if (target < first || target >= end) {
		vt_reject(v);
		VT_LOG(v->lg, "jump target %d outside the unit (pcs %d..%d)",
		       "lll", VT_L(target), VT_L(first), VT_L(end - 1));
		return -1;
	}
	if (target <= v->pc && v->prog->code[target].op != VT_OP_LOOP) {
		vt_reject(v);
		VT_LOG(v->lg, "back-edge to pc %d, which is not a LOOP", "l",
		       VT_L(target));
		return -1;
	}
	return 0;
}

/* A map's keys as an argument vector; its value kind as ret. */
static void map_vec(const struct vt_prog *prog, u32 m, struct vt_vec *vec)
{
	const struct vt_map_desc *d = &prog->maps[m];
	struct vt_sig_counts cnt;

	vt_sig_count(vt_prog_str(prog, d->keysig), &cnt);
	vec->nlong = cnt.nlong;
	vec->nstr = cnt.nstr;
	vec->ret = d->vkind == VT_MAPV_LONG ? VT_KIND_L :
		   d->vkind == VT_MAPV_STRING ? VT_KIND_S : VT_KIND_V;
	vec->valid = true;
	vec->map = d;
}

/* k of format n: a STAT map's index and an aggregate. */
static int verify_agg(struct vt_vctx *v, struct vt_vec *vec)
{
	u32 m = VT_AGG_K_MAP(v->in->k), agg = VT_AGG_K_AGG(v->in->k);

	if (m >= v->prog->nmaps) {
		vt_reject(v);
		VT_LOG(v->lg, "map %d out of range (%d)", "ll", VT_L(m),
		       VT_L(v->prog->nmaps));
		return -1;
	}
	if (agg >= VT_AGG_COUNT_) {
		vt_reject(v);
		VT_LOG(v->lg, "aggregate %d out of range (%d)", "ll", VT_L(agg),
		       VT_L(VT_AGG_COUNT_));
		return -1;
	}
	map_vec(v->prog, m, vec);
	return 0;
}

/* Check operand k; fill @vec when k names a format or a helper. */
static int verify_k(struct vt_vctx *v, u8 fmt, struct vt_vec *vec)
{
	const struct vt_prog *prog = v->prog;
	struct vt_sig_counts cnt;
	s64 k = v->in->k;
	const char *what;
	u32 limit;

	switch (fmt) {
	case VT_FMT__:
		if (!k)
			return 0;
		vt_reject(v);
		VT_LOG(v->lg, "unused operand k is %d, must be 0", "l", VT_L(k));
		return -1;
	case VT_FMT_i:
		return 0;
	case VT_FMT_j:
		return verify_jump(v);
	case VT_FMT_c:
		what = "constant";
		limit = prog->nconsts;
		break;
	case VT_FMT_z:
		what = "strtab offset";
		limit = prog->strtab_size;
		break;
	case VT_FMT_g:
		what = "long global";
		limit = prog->nlglobals;
		break;
	case VT_FMT_h:
		what = "string global";
		limit = prog->nsglobals;
		break;
	case VT_FMT_f:
		what = "format";
		limit = prog->nformats;
		break;
	case VT_FMT_x:
		what = "helper";
		limit = VT_HELPER_COUNT;
		break;
	case VT_FMT_u:
		what = "unit";
		limit = prog->nunits;
		break;
	case VT_FMT_y:
		what = "dfa";
		limit = prog->ndfas;
		break;
	case VT_FMT_m:
		what = "map";
		limit = prog->nmaps;
		break;
	case VT_FMT_e:
		what = "iter";
		limit = prog->niters;
		break;
	case VT_FMT_n:
		return verify_agg(v, vec);
	default:
		vt_reject(v);
		VT_LOG(v->lg, "operand format %d not valid for k", "l",
		       VT_L(fmt));
		return -1;
	}
	if (k < 0 || k >= limit) {
		vt_reject(v);
		VT_LOG(v->lg, "%s %d out of range (%d)", "sll", VT_S(what),
		       VT_L(k), VT_L(limit));
		return -1;
	}
	if (fmt == VT_FMT_f) {
		vt_sig_count(vt_prog_str(prog, prog->formats[k].sig), &cnt);
		vec->nlong = cnt.nlong;
		vec->nstr = cnt.nstr;
		vec->ret = VT_KIND_V;
		vec->valid = true;
	} else if (fmt == VT_FMT_x) {
		/*
		 * The helpers that store stacks run only with a table, so
		 * they find ex->stacks set (the host allocates it from
		 * header nstacks).
		 */
		if (!prog->nstacks && (k == VT_HELPER__kstack ||
				       k == VT_HELPER__ustack ||
				       k == VT_HELPER__addr_ref)) {
			vt_reject(v);
			VT_LOG(v->lg, "helper %s needs a stack table (header "
			       "nstacks 0)", "s", VT_S(vt_helper_info[k].name));
			return -1;
		}
		vec->nlong = vt_helper_info[k].nlong;
		vec->nstr = vt_helper_info[k].nstr;
		vec->ret = vt_helper_info[k].ret;
		vec->valid = true;
	} else if (fmt == VT_FMT_m) {
		map_vec(prog, (u32)k, vec);
	} else if (fmt == VT_FMT_u) {
		const char *sig = vt_unit_sig(prog, (u32)k);

		if (!sig[0]) {
			vt_reject(v);
			VT_LOG(v->lg, "unit %d is not a function", "l", VT_L(k));
			return -1;
		}
		vt_sig_count(sig + 1, &cnt);
		vec->nlong = cnt.nlong;
		vec->nstr = cnt.nstr;
		vec->ret = sig[0] == 'l' ? VT_KIND_L :
			   sig[0] == 's' ? VT_KIND_S : VT_KIND_V;
		vec->valid = true;
	}
	return 0;
}

/* RETL / RETS only in a function returning that kind. */
static int verify_return(struct vt_vctx *v)
{
	char want = v->in->op == VT_OP_RETL ? 'l' : 's';

	if (vt_unit_sig(v->prog, v->unit)[0] == want)
		return 0;
	vt_reject(v);
	VT_LOG(v->lg, "returns a %s, but the unit is not a function returning one",
	       "s", VT_S(want == 'l' ? "long" : "string"));
	return -1;
}

/* A vector of @count registers or slots starting at @base, in [0, limit). */
static int verify_vector(struct vt_vctx *v, int idx, const char *what,
			 u32 base, u32 count, u32 limit)
{
	if (count == 0 && base == 0)
		return 0;
	if (count == 0) {
		vt_reject(v);
		VT_LOG(v->lg, "operand %c: no %s arguments, base must be 0, is %d",
		       "lsl", VT_L(vt_operand_name[idx]), VT_S(what), VT_L(base));
		return -1;
	}
	if ((u64)base + count > limit) {
		vt_reject(v);
		VT_LOG(v->lg,
		       "operand %c: %d %s arguments from %d overflow the frame (%d)",
		       "llsll", VT_L(vt_operand_name[idx]), VT_L(count),
		       VT_S(what), VT_L(base), VT_L(limit));
		return -1;
	}
	return 0;
}

static int verify_index(struct vt_vctx *v, int idx, const char *what,
			u32 val, u32 limit)
{
	if (val < limit)
		return 0;
	vt_reject(v);
	VT_LOG(v->lg, "operand %c: %s %d out of range (%d)", "lsll",
	       VT_L(vt_operand_name[idx]), VT_S(what), VT_L(val), VT_L(limit));
	return -1;
}

/* Check operand a, b or c (@idx 0..2) holding @val, of format @fmt. */
static int verify_abc(struct vt_vctx *v, int idx, u8 fmt, u32 val,
		      const struct vt_vec *vec)
{
	u32 nregs = v->ud->nregs, nslots = v->ud->nslots;

	if ((fmt == VT_FMT_v || fmt == VT_FMT_q || fmt == VT_FMT_d ||
	     fmt == VT_FMT_p) && !vec->valid) {
		vt_reject(v);
		VT_LOG(v->lg, "operand %c: vector operand without a format or helper",
		       "l", VT_L(vt_operand_name[idx]));
		return -1;
	}
	switch (fmt) {
	case VT_FMT__:
		if (!val)
			return 0;
		vt_reject(v);
		VT_LOG(v->lg, "unused operand %c is %d, must be 0", "ll",
		       VT_L(vt_operand_name[idx]), VT_L(val));
		return -1;
	case VT_FMT_r:
	case VT_FMT_w:
		return verify_index(v, idx, "register", val, nregs);
	case VT_FMT_s:
	case VT_FMT_t:
		return verify_index(v, idx, "slot", val, nslots);
	case VT_FMT_v:
		return verify_vector(v, idx, "long", val, vec->nlong, nregs);
	case VT_FMT_q:
		return verify_vector(v, idx, "string", val, vec->nstr, nslots);
	case VT_FMT_p:
		if (vec->ret == VT_KIND_L)
			return verify_index(v, idx, "register", val, nregs);
		if (vec->ret == VT_KIND_S)
			return verify_index(v, idx, "slot", val, nslots);
		vt_reject(v);
		VT_LOG0(v->lg, "a statistic has no value to store");
		return -1;
	case VT_FMT_d:
		if (vec->map && vec->ret == VT_KIND_V) {
			vt_reject(v);
			VT_LOG0(v->lg, "a statistic has no value to read");
			return -1;
		}
		if (vec->ret == VT_KIND_L)
			return verify_index(v, idx, "register", val, nregs);
		if (vec->ret == VT_KIND_S)
			return verify_index(v, idx, "slot", val, nslots);
		if (!val)
			return 0;
		vt_reject(v);
		VT_LOG(v->lg, "operand %c: the helper returns nothing, must be 0, is %d",
		       "ll", VT_L(vt_operand_name[idx]), VT_L(val));
		return -1;
	default:
		vt_reject(v);
		VT_LOG(v->lg, "operand format %d not valid for %c", "ll",
		       VT_L(fmt), VT_L(vt_operand_name[idx]));
		return -1;
	}
}

/* The value kinds each map opcode accepts (beyond the formats). */
static int verify_map_kind(struct vt_vctx *v, const struct vt_map_desc *d)
{
	u8 op = v->in->op;
	bool stat = d->vkind == VT_MAPV_STAT;
	const char *why = NULL;

	if ((op == VT_OP_SADD || op == VT_OP_SGET || op == VT_OP_SHIST) &&
	    !stat)
		why = "needs a statistic";
	else if ((op == VT_OP_MGET || op == VT_OP_MSET || op == VT_OP_MVAL) &&
		 stat)
		why = "does not apply to a statistic";
	else if (op == VT_OP_MADD && d->vkind != VT_MAPV_LONG)
		why = "needs a map of longs";
	else if (op == VT_OP_SHIST && d->hist == VT_HIST_NONE)
		why = "needs a statistic with a histogram";
	if (!why)
		return 0;
	vt_reject(v);
	VT_LOG(v->lg, "map %d (%s): %s", "lss",
	       VT_L(d - v->prog->maps), VT_S(vt_prog_str(v->prog, d->name)),
	       VT_S(why));
	return -1;
}

static int verify_insn(struct vt_vctx *v)
{
	const struct vt_opcode_info *info;
	struct vt_vec vec = { 0 };
	const u8 *fmt;

	if (v->in->op >= VT_OP_COUNT) {
		vt_reject(v);
		VT_LOG(v->lg, "unknown opcode %d", "l", VT_L(v->in->op));
		return -1;
	}
	info = &vt_opcode_info[v->in->op];
	fmt = info->fmt;
	if (verify_k(v, fmt[3], &vec) ||
	    verify_abc(v, 0, fmt[0], v->in->a, &vec) ||
	    verify_abc(v, 1, fmt[1], v->in->b, &vec) ||
	    verify_abc(v, 2, fmt[2], v->in->c, &vec))
		return -1;
	if (v->in->op == VT_OP_RETL || v->in->op == VT_OP_RETS)
		return verify_return(v);
	if (vec.map)
		return verify_map_kind(v, vec.map);
	return 0;
}

int vt_verify_unit(const struct vt_prog *prog, u32 u, struct vt_log *lg)
{
	struct vt_vctx v = {
		.prog = prog, .ud = &prog->units[u], .lg = lg, .unit = u,
	};
	u32 last = v.ud->code + v.ud->ncode - 1;

	/* Units are disjoint (check_units): each pc is verified once. */
	for (v.pc = v.ud->code; v.pc <= last; v.pc++) {
		v.in = &prog->code[v.pc];
		if (vt_load_step(lg, 1) || verify_insn(&v))
			return -1;
	}
	v.pc = last;
	if (v.in->op != VT_OP_RET && v.in->op != VT_OP_JMP &&
	    v.in->op != VT_OP_RETL && v.in->op != VT_OP_RETS) {
		vt_reject(&v);
		VT_LOG0(lg, "the last instruction falls through the end of the unit");
		return -1;
	}
	return 0;
}
