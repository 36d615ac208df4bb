// SPDX-License-Identifier: GPL-2.0-only
/*
 * disasm.c - the pass 3 listing.  Operands are formatted by their operand
 * format in vt_opcode_info[], never by opcode, so a new opcode lists
 * without changes here.  Source lines from the line table are shown
 * before the first instruction generated for them.
 */
#include <inttypes.h>
#include <string.h>

#include "codegen.h"
#include "lang/print.h"

static const char *str_at(const struct cprog *p, int64_t off)
{
	return off >= 0 && off < p->nstrtab ? p->strtab + off : "?";
}

static const char *global_name(const struct vt_global_desc *g, uint32_t n,
			       const struct cprog *p, int64_t k)
{
	return k >= 0 && k < n ? str_at(p, g[k].name) : "?";
}

static const char *map_name(const struct cprog *p, int64_t k)
{
	return k >= 0 && k < p->nmaps ? str_at(p, p->maps[k].name) : "?";
}

static const char *const agg_names[] = {
#define AGG_NAME(name, text) text,
	VT_AGGS(AGG_NAME)
#undef AGG_NAME
};

/* A foreach site: "a", "a by key 2 -", "a by @sum +". */
static void iter_operand(FILE *out, const struct cprog *p, int64_t k)
{
	const struct vt_iter_desc *it;

	if (k < 0 || k >= p->niters) {
		fputs("?", out);
		return;
	}
	it = &p->iters[k];
	fputs(map_name(p, it->map), out);
	if (it->sort == VT_SORT_VALUE && it->map < p->nmaps &&
	    p->maps[it->map].vkind == VT_MAPV_STAT)
		fprintf(out, " by @%s", it->agg < VT_AGG_COUNT_ ?
			agg_names[it->agg] : "?");
	else if (it->sort == VT_SORT_VALUE)
		fputs(" by value", out);
	else if (it->sort)
		fprintf(out, " by key %u", it->sort);
	if (it->sort)
		fputs(it->dir > 0 ? " +" : " -", out);
}

static void operand(FILE *out, const struct cprog *p, int fmt, int64_t v,
		    uint32_t pc, const struct vt_insn *in)
{
	switch (fmt) {
	case VT_FMT_r: case VT_FMT_w: case VT_FMT_v:
		fprintf(out, "r%" PRId64, v);
		break;
	case VT_FMT_s: case VT_FMT_t: case VT_FMT_q:
		fprintf(out, "s%" PRId64, v);
		break;
	case VT_FMT_p:
	case VT_FMT_d: {
		int ret = in->k >= 0 && in->k < VT_HELPER_COUNT ?
			  vt_helper_info[in->k].ret : VT_KIND_V;

		if (vt_opcode_info[in->op].fmt[3] == VT_FMT_m)
			ret = in->k >= 0 && (uint32_t)in->k < p->nmaps &&
			      p->maps[in->k].vkind == VT_MAPV_STRING ?
			      VT_KIND_S : VT_KIND_L;

		if (in->op == VT_OP_CALL) {
			const char *sig = in->k >= 0 && (uint32_t)in->k <
					  p->nusigs ?
					  str_at(p, p->usigs[in->k]) : "v";

			ret = sig[0] == 'l' ? VT_KIND_L : sig[0] == 's' ?
			      VT_KIND_S : VT_KIND_V;
		}

		if (ret == VT_KIND_L)
			fprintf(out, "r%" PRId64, v);
		else if (ret == VT_KIND_S)
			fprintf(out, "s%" PRId64, v);
		else
			fputs("-", out);
		break;
	}
	case VT_FMT_i:
		fprintf(out, "%" PRId64, v);
		break;
	case VT_FMT_j:
		fprintf(out, "->%" PRId64, (int64_t)pc + 1 + v);
		break;
	case VT_FMT_c:
		if (v >= 0 && v < p->nconsts)
			fprintf(out, "%" PRId64, p->consts[v]);
		else
			fputs("?", out);
		break;
	case VT_FMT_z:
		print_string_literal(out, str_at(p, v));
		break;
	case VT_FMT_g:
		fputs(global_name(p->lglobals, p->nlglobals, p, v), out);
		break;
	case VT_FMT_h:
		fputs(global_name(p->sglobals, p->nsglobals, p, v), out);
		break;
	case VT_FMT_f:
		if (v >= 0 && v < p->nformats)
			print_string_literal(out,
					     str_at(p, p->formats[v].text));
		else
			fputs("?", out);
		break;
	case VT_FMT_x:
		fputs(v >= 0 && v < VT_HELPER_COUNT ?
		      vt_helper_info[v].name : "?", out);
		break;
	case VT_FMT_y:
		if (v >= 0 && v < p->ndfas)
			print_string_literal(out, str_at(p, p->dfas[v].pattern));
		else
			fputs("?", out);
		break;
	case VT_FMT_u:
		fputs(v >= 0 && v < p->nunits ?
		      str_at(p, p->units[v].name) : "?", out);
		break;
	case VT_FMT_m:
		fputs(map_name(p, v), out);
		break;
	case VT_FMT_e:
		iter_operand(out, p, v);
		break;
	case VT_FMT_n:
		fprintf(out, "@%s(%s)", VT_AGG_K_AGG(v) < VT_AGG_COUNT_ ?
			agg_names[VT_AGG_K_AGG(v)] : "?",
			map_name(p, VT_AGG_K_MAP(v)));
		break;
	default:
		fputs("?", out);
	}
}

static void insn(FILE *out, const struct cprog *p, uint32_t pc)
{
	const struct vt_insn *in = &p->code[pc];
	const struct vt_opcode_info *info;
	const int64_t val[4] = { in->a, in->b, in->c, in->k };
	bool first = true;

	if (in->op >= VT_OP_COUNT) {
		fprintf(out, "%6u  .byte %u\n", pc, in->op);
		return;
	}
	info = &vt_opcode_info[in->op];
	fprintf(out, "%6u  %s", pc, info->name);
	for (int i = 0; i < 4; i++) {
		if (info->fmt[i] == VT_FMT__)
			continue;
		if (first)
			fprintf(out, "%*s", 8 - (int)strlen(info->name), "");
		else
			fputs(", ", out);
		first = false;
		operand(out, p, info->fmt[i], val[i], pc, in);
	}
	fputc('\n', out);
}

/* Arrays and statistics, the foreach scratch, AUTOPRINT. */
static void disasm_maps(FILE *out, const struct cprog *p)
{
	static const char *const vkind[] = { "long", "string", "statistic" };

	for (uint32_t i = 0; i < p->nmaps; i++) {
		const struct vt_map_desc *m = &p->maps[i];

		fprintf(out, "%smap %s[%s]:%s, %u entr%s%s",
			i || p->nlglobals || p->nsglobals ? "" : "\n",
			str_at(p, m->name), str_at(p, m->keysig),
			m->vkind < 3 ? vkind[m->vkind] : "?", m->max_entries,
			m->max_entries == 1 ? "y" : "ies",
			m->flags & VT_MAP_F_WRAP ? ", wrapping" : "");
		if (m->hist == VT_HIST_LOG)
			fputs(", @hist_log", out);
		else if (m->hist == VT_HIST_LINEAR)
			fprintf(out, ", @hist_linear(%" PRId64 ", %" PRId64
				", %" PRId64 ")", (int64_t)m->hstart,
				(int64_t)m->hstop, (int64_t)m->hinterval);
		fputc('\n', out);
	}
	if (p->scratch)
		fprintf(out, "foreach scratch: %u bytes\n", p->scratch);
	for (uint32_t i = 0; i < p->nautoprint; i++) {
		uint32_t e = p->autoprint[i], k = VT_AUTOPRINT_INDEX(e);
		const char *name = VT_AUTOPRINT_KIND(e) == VT_AUTOPRINT_MAP ?
			map_name(p, k) :
			VT_AUTOPRINT_KIND(e) == VT_AUTOPRINT_SGLOBAL ?
			global_name(p->sglobals, p->nsglobals, p, k) :
			global_name(p->lglobals, p->nlglobals, p, k);

		fprintf(out, "%s%s", i ? " " : "autoprint: ", name);
		if (i + 1 == p->nautoprint)
			fputc('\n', out);
	}
}

void disasm_cprog(FILE *out, const struct cprog *p, const struct diag *d)
{
	uint32_t li = 0, last_line = 0;

	for (uint32_t u = 0; u < p->nunits; u++) {
		const struct vt_unit_desc *ud = &p->units[u];

		fprintf(out, "%sunit %u: %s (%u registers, %u slots)\n",
			u ? "\n" : "", u, str_at(p, ud->name), ud->nregs,
			ud->nslots);
		for (uint32_t i = 0; i < p->nprobes; i++)
			if (p->probes[i].unit == u)
				fprintf(out, "  # point %s\n",
					str_at(p, p->probes[i].point));
		last_line = 0;
		for (uint32_t pc = ud->code; pc < ud->code + ud->ncode; pc++) {
			for (; li < p->nlines && p->lines[li].pc <= pc; li++) {
				const struct vt_line_desc *l = &p->lines[li];
				size_t len;
				const char *text;

				if (l->line == last_line)
					continue;
				last_line = l->line;
				text = diag_line(d, 0, l->line, &len);
				while (len && (*text == ' ' || *text == '\t')) {
					text++;
					len--;
				}
				fprintf(out, "  # %s:%u: %.*s\n",
					str_at(p, l->file), l->line, (int)len,
					text);
			}
			insn(out, p, pc);
		}
	}
	for (uint32_t i = 0; i < p->nlglobals; i++)
		fprintf(out, "%sglobal %s:long = %" PRId64 "\n",
			i ? "" : "\n", str_at(p, p->lglobals[i].name),
			(int64_t)p->lglobals[i].init);
	for (uint32_t i = 0; i < p->nsglobals; i++) {
		fprintf(out, "%sglobal %s:string = ",
			i || p->nlglobals ? "" : "\n",
			str_at(p, p->sglobals[i].name));
		print_string_literal(out, str_at(p, p->sglobals[i].init));
		fputc('\n', out);
	}
	disasm_maps(out, p);
}
