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
#include "parser.h"

static const char *str_at(const struct cprog *p, int64_t off)
{
	return off >= 0 && off < p->nstrtab ? p->strtab + off : "?";
}

static const char *global_name(const struct vt_global_desc *g, uint32_t n,
			       const struct cprog *p, int64_t k)
{
	return k >= 0 && k < n ? str_at(p, g[k].name) : "?";
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
	case VT_FMT_d: {
		int ret = in->k >= 0 && in->k < VT_HELPER_COUNT ?
			  vt_helper_info[in->k].ret : VT_KIND_V;

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
}
