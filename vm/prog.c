// SPDX-License-Identifier: GPL-2.0-only
/*
 * prog.c - the image loader: checks the header, every section and every
 * table entry, then has verify.c check the code of each unit.  On
 * success struct vt_prog is a view into the caller's image in which
 * every index and strtab offset is known to be in range.
 *
 * Invariants relied on elsewhere: STRTAB starts and ends with NUL (so
 * every in-range offset names a terminated string); format signatures
 * are only 'l'/'s' and at most VT_FORMAT_ARGS_MAX long; each unit's
 * frame (nregs * 8 + nslots * strsize) fits in prog->frame_size; units
 * are sorted by code and disjoint, and HANDLERS is grouped by unit in
 * unit order, each handler wholly inside its unit (check_units,
 * check_handlers: the interpreter's find_handler relies on both).
 *
 * Cost: linear in the image size.  Every loop below is over one table,
 * or over bytes of DFADATA no other DFA's loop reads (check_dfas), and
 * counts a step per iteration (vt_load_step); no iteration does more
 * than a bounded amount of work (strings it reads are scanned to a fixed
 * bound).  A step covers at least 2 bytes of the image (an instruction
 * 8, a unit 16 for its 2 steps, a DFA table cell 2...), so a load takes
 * at most size / 2 steps, and the host is asked every
 * VT_LOAD_YIELD_STEPS steps whether to go on.
 */
#include "vt_priv.h"

static const char *const vt_sect_name[VT_SECT_COUNT] = {
	[VT_SECT_CODE] = "CODE",
	[VT_SECT_UNITS] = "UNITS",
	[VT_SECT_CONSTS] = "CONSTS",
	[VT_SECT_STRTAB] = "STRTAB",
	[VT_SECT_LGLOBALS] = "LGLOBALS",
	[VT_SECT_SGLOBALS] = "SGLOBALS",
	[VT_SECT_PROBES] = "PROBES",
	[VT_SECT_FORMATS] = "FORMATS",
	[VT_SECT_LINES] = "LINES",
	[VT_SECT_USIGS] = "USIGS",
	[VT_SECT_HANDLERS] = "HANDLERS",
	[VT_SECT_DFAS] = "DFAS",
	[VT_SECT_DFADATA] = "DFADATA",
	[VT_SECT_MAPS] = "MAPS",
	[VT_SECT_ITERS] = "ITERS",
	[VT_SECT_AUTOPRINT] = "AUTOPRINT",
};

void vt_sig_count(const char *sig, struct vt_sig_counts *cnt)
{
	u32 i;

	cnt->nlong = 0;
	cnt->nstr = 0;
	for (i = 0; i < VT_FORMAT_ARGS_MAX && sig[i]; i++) {
		if (sig[i] == 'l')
			cnt->nlong++;
		else if (sig[i] == 's')
			cnt->nstr++;
	}
}

const char *vt_prog_str(const struct vt_prog *prog, u32 off)
{
	return off < prog->strtab_size ? prog->strtab + off : "";
}

const struct vt_line_desc *vt_prog_line(const struct vt_prog *prog, u32 pc)
{
	u32 lo = 0, hi = prog->nlines, mid;

	/* Find the last entry with entry.pc <= pc. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (prog->lines[mid].pc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &prog->lines[lo - 1] : NULL;
}

void vt_globals_init(const struct vt_prog *prog, s64 *lglobals,
		     char *sglobals)
{
	const char *s;
	u32 i, n;

	for (i = 0; i < prog->nlglobals; i++)
		lglobals[i] = prog->lglobals[i].init;
	for (i = 0; i < prog->nsglobals; i++) {
		s = vt_prog_str(prog, (u32)prog->sglobals[i].init);
		n = vt_strnlen(s, prog->strsize - 1);
		memcpy(sglobals + (u64)i * prog->strsize, s, n);
		sglobals[(u64)i * prog->strsize + n] = '\0';
	}
}

static int load_header(const struct vt_image_hdr *h, u32 size,
		       struct vt_log *lg)
{
	if (h->magic != VT_IMAGE_MAGIC) {
		VT_LOG(lg, "header: bad magic %#x", "l", VT_L(h->magic));
	} else if (h->version != VT_ABI_VERSION) {
		VT_LOG(lg, "header: version %d, expected %d", "ll",
		       VT_L(h->version), VT_L(VT_ABI_VERSION));
	} else if (h->hdr_size != sizeof(*h)) {
		VT_LOG(lg, "header: hdr_size %d, expected %d", "ll",
		       VT_L(h->hdr_size), VT_L(sizeof(*h)));
	} else if (h->size != size) {
		VT_LOG(lg, "header: size %d, but the image has %d bytes", "ll",
		       VT_L(h->size), VT_L(size));
	} else if (h->reserved[0] || h->reserved[1]) {
		VT_LOG0(lg, "header: reserved fields not 0");
	} else if (h->strsize < VT_STRSIZE_MIN || h->strsize > VT_STRSIZE_MAX) {
		VT_LOG(lg, "header: strsize %d outside [%d, %d]", "lll",
		       VT_L(h->strsize), VT_L(VT_STRSIZE_MIN),
		       VT_L(VT_STRSIZE_MAX));
	} else if (h->nstacks > VT_STACKS_MAX) {
		/* vt_stacks_size() is 0 above it: no table to allocate. */
		VT_LOG(lg, "header: nstacks %d, more than %d", "ll",
		       VT_L(h->nstacks), VT_L(VT_STACKS_MAX));
	} else if (h->maxnesting > VT_NESTING_MAX) {
		VT_LOG(lg, "header: maxnesting %d, more than %d", "ll",
		       VT_L(h->maxnesting), VT_L(VT_NESTING_MAX));
	} else if (h->budget == 0) {
		VT_LOG0(lg, "header: budget is 0");
	} else if (h->scratch > VT_SCRATCH_MAX || h->scratch % 8) {
		VT_LOG(lg, "header: scratch %d not 8-aligned or more than %d",
		       "ll", VT_L(h->scratch), VT_L(VT_SCRATCH_MAX));
	} else if (h->target_pid < 0) {
		VT_LOG(lg, "header: negative target_pid %d", "l",
		       VT_L(h->target_pid));
	} else {
		return 0;
	}
	return -1;
}

/* Check section slot @i (all 0 means an absent, empty section). */
static int load_section(const struct vt_image_hdr *h, u32 i,
			struct vt_log *lg)
{
	const struct vt_section *s = &h->sect[i];
	const char *name = i < VT_SECT_COUNT ? vt_sect_name[i] : "unused";
	u64 end;

	if (!s->offset && !s->count && !s->entsize && !s->reserved)
		return 0;	/* absent: an empty section */
	if (i >= VT_SECT_COUNT) {
		VT_LOG(lg, "section slot %d: unused slot not 0", "l", VT_L(i));
	} else if (s->reserved) {
		VT_LOG(lg, "section %s: reserved field not 0", "s", VT_S(name));
	} else if (s->entsize != vt_sect_entsize(i)) {
		VT_LOG(lg, "section %s: entsize %d, expected %d", "sll",
		       VT_S(name), VT_L(s->entsize), VT_L(vt_sect_entsize(i)));
	} else if (s->offset % 8) {
		VT_LOG(lg, "section %s: offset %d not 8-aligned", "sl",
		       VT_S(name), VT_L(s->offset));
	} else if (s->offset < sizeof(*h)) {
		VT_LOG(lg, "section %s: offset %d overlaps the header", "sl",
		       VT_S(name), VT_L(s->offset));
	} else {
		end = (u64)s->offset + (u64)s->count * s->entsize;
		if (end <= h->size)
			return 0;
		VT_LOG(lg, "section %s: ends at %d, past the end of the image (%d)",
		       "sll", VT_S(name), VT_L(end), VT_L(h->size));
	}
	return -1;
}

static const void *sect_ptr(const struct vt_image_hdr *h, u32 i, u32 *count)
{
	*count = h->sect[i].count;
	return h->sect[i].count ? (const u8 *)h + h->sect[i].offset : NULL;
}

static void map_sections(struct vt_prog *p, const struct vt_image_hdr *h)
{
	p->hdr = h;
	p->code = sect_ptr(h, VT_SECT_CODE, &p->ncode);
	p->units = sect_ptr(h, VT_SECT_UNITS, &p->nunits);
	p->consts = sect_ptr(h, VT_SECT_CONSTS, &p->nconsts);
	p->strtab = sect_ptr(h, VT_SECT_STRTAB, &p->strtab_size);
	p->lglobals = sect_ptr(h, VT_SECT_LGLOBALS, &p->nlglobals);
	p->sglobals = sect_ptr(h, VT_SECT_SGLOBALS, &p->nsglobals);
	p->probes = sect_ptr(h, VT_SECT_PROBES, &p->nprobes);
	p->formats = sect_ptr(h, VT_SECT_FORMATS, &p->nformats);
	p->lines = sect_ptr(h, VT_SECT_LINES, &p->nlines);
	p->usigs = sect_ptr(h, VT_SECT_USIGS, &p->nusigs);
	p->handlers = sect_ptr(h, VT_SECT_HANDLERS, &p->nhandlers);
	p->dfas = sect_ptr(h, VT_SECT_DFAS, &p->ndfas);
	p->dfadata = sect_ptr(h, VT_SECT_DFADATA, &p->ndfadata);
	p->maps = sect_ptr(h, VT_SECT_MAPS, &p->nmaps);
	p->iters = sect_ptr(h, VT_SECT_ITERS, &p->niters);
	p->autoprint = sect_ptr(h, VT_SECT_AUTOPRINT, &p->nautoprint);
	p->scratch = h->scratch;
	p->strsize = h->strsize;
	p->budget = h->budget;
	p->maxerrors = h->maxerrors;
	p->maxnesting = h->maxnesting;
	p->nstacks = h->nstacks;
}

/* A strtab reference of table entry @what[@i].@field. */
static int check_str(const struct vt_prog *p, u32 off, const char *what,
		     u32 i, const char *field, struct vt_log *lg)
{
	if (off < p->strtab_size)
		return 0;
	VT_LOG(lg, "%s %d: %s offset %d outside STRTAB (%d bytes)", "slsll",
	       VT_S(what), VT_L(i), VT_S(field), VT_L(off),
	       VT_L(p->strtab_size));
	return -1;
}

/* A function signature: return kind, then at most 32 'l'/'s' params. */
static int check_sig(const struct vt_prog *p, u32 i, struct vt_log *lg)
{
	const struct vt_unit_desc *u = &p->units[i];
	const char *sig = vt_unit_sig(p, i);
	struct vt_sig_counts cnt;
	u32 n;

	if (!sig[0])
		return 0;
	/* Scanned to a fixed bound: many units may share one long string. */
	for (n = 1; n <= VT_FORMAT_ARGS_MAX + 1 &&
	     (sig[n] == 'l' || sig[n] == 's'); n++)
		;
	vt_sig_count(sig + 1, &cnt);
	if (sig[0] != 'v' && sig[0] != 'l' && sig[0] != 's') {
		VT_LOG(lg, "unit %d: bad signature", "l", VT_L(i));
	} else if (n - 1 > VT_FORMAT_ARGS_MAX) {
		VT_LOG(lg, "unit %d: more than %d parameters", "ll", VT_L(i),
		       VT_L(VT_FORMAT_ARGS_MAX));
	} else if (sig[n]) {
		VT_LOG(lg, "unit %d: bad signature", "l", VT_L(i));
	} else if (cnt.nlong > u->nregs || cnt.nstr > u->nslots) {
		VT_LOG(lg, "unit %d: parameters do not fit the frame", "l",
		       VT_L(i));
	} else {
		return 0;
	}
	return -1;
}

/*
 * Units lie inside CODE, sorted by code and disjoint (gaps allowed), so
 * a pc belongs to at most one unit: what the verifier checks of a unit's
 * code and handlers is what runs in that unit's frame.
 *
 * Frame memory: vt_frame_layout() (vt_vm.h), the scratch included.
 */
static int check_units(struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_unit_desc *u;
	struct vt_frame_layout fl = { 0 };
	u64 frame;
	u32 i, prev_end = 0;

	if (p->usigs && p->nusigs != p->nunits) {
		VT_LOG(lg, "section USIGS: %d entries for %d units", "ll",
		       VT_L(p->nusigs), VT_L(p->nunits));
		return -1;
	}
	for (i = 0; i < p->nunits; i++) {
		u = &p->units[i];
		frame = vt_unit_frame(u->nregs, u->nslots, p->strsize);
		if (vt_load_step(lg, 1) ||
		    check_str(p, u->name, "unit", i, "name", lg) ||
		    (p->usigs &&
		     check_str(p, p->usigs[i], "unit", i, "sig", lg)))
			return -1;
		if (u->ncode == 0 || (u64)u->code + u->ncode > p->ncode) {
			VT_LOG(lg, "unit %d: code range %d+%d outside CODE (%d)",
			       "llll", VT_L(i), VT_L(u->code), VT_L(u->ncode),
			       VT_L(p->ncode));
		} else if (u->nregs > VT_UNIT_REGS_MAX ||
			   u->nslots > VT_UNIT_SLOTS_MAX) {
			VT_LOG(lg, "unit %d: %d registers, %d slots (max %d)",
			       "llll", VT_L(i), VT_L(u->nregs), VT_L(u->nslots),
			       VT_L(VT_UNIT_REGS_MAX));
		} else if (frame > VT_FRAME_MAX) {
			VT_LOG(lg, "unit %d: frame of %d bytes exceeds %d", "lll",
			       VT_L(i), VT_L(frame), VT_L(VT_FRAME_MAX));
		} else if (u->code < prev_end) {
			VT_LOG(lg, "unit %d: code %d+%d overlaps or precedes unit %d "
			       "(units sorted by code, disjoint)", "llll",
			       VT_L(i), VT_L(u->code), VT_L(u->ncode),
			       VT_L(i - 1));
		} else if (!check_sig(p, i, lg)) {
			prev_end = u->code + u->ncode;
			vt_frame_add_unit(&fl, u->nregs, u->nslots, p->strsize,
					  vt_unit_sig(p, i)[0]);
			continue;
		}
		return -1;
	}
	vt_frame_layout(&fl, p->maxnesting, p->scratch);
	if (fl.functions && fl.frames > VT_FRAME_MAX) {
		VT_LOG(lg, "units: %d nested calls need %d bytes of frames, more than %d",
		       "lll", VT_L(p->maxnesting), VT_L(fl.frames),
		       VT_L(VT_FRAME_MAX));
		return -1;
	}
	p->has_functions = fl.functions;
	p->stack_off = (u32)fl.stack_off;
	p->frame_size = (u32)fl.size;
	return 0;
}

static int check_globals(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_global_desc *g;
	u32 i;

	for (i = 0; i < p->nlglobals + p->nsglobals; i++) {
		bool is_str = i >= p->nlglobals;
		u32 j = is_str ? i - p->nlglobals : i;
		const char *what = is_str ? "string global" : "long global";

		g = is_str ? &p->sglobals[j] : &p->lglobals[j];
		if (vt_load_step(lg, 1) ||
		    check_str(p, g->name, what, j, "name", lg))
			return -1;
		if (g->reserved) {
			VT_LOG(lg, "%s %d: reserved field not 0", "sl",
			       VT_S(what), VT_L(j));
			return -1;
		}
		if (is_str && (g->init < 0 || g->init >= p->strtab_size)) {
			VT_LOG(lg, "%s %d: init offset %d outside STRTAB (%d bytes)",
			       "slll", VT_S(what), VT_L(j), VT_L(g->init),
			       VT_L(p->strtab_size));
			return -1;
		}
	}
	return 0;
}

/* Fields of the user-space probe types: offset, pid, target. */
static int check_probe_user(const struct vt_prog *p,
			    const struct vt_probe_desc *pr, u32 i,
			    struct vt_log *lg)
{
	bool uprobe = pr->type == VT_PROBE_UPROBE ||
		      pr->type == VT_PROBE_URETPROBE;
	bool user = uprobe || pr->type == VT_PROBE_PROC_BEGIN ||
		    pr->type == VT_PROBE_PROC_END;

	/* KPROBE: the function's address, a hint the module checks */
	if (pr->offset && !uprobe && pr->type != VT_PROBE_KPROBE) {
		VT_LOG(lg, "probe %d: offset set on a non-uprobe", "l", VT_L(i));
	} else if (pr->pid && !user) {
		VT_LOG(lg, "probe %d: pid set on a kernel probe", "l", VT_L(i));
	} else if (pr->pid < 0) {
		VT_LOG(lg, "probe %d: negative pid %d", "ll", VT_L(i),
		       VT_L(pr->pid));
	} else if (uprobe && !p->strtab[pr->target]) {
		VT_LOG(lg, "probe %d: uprobe without a binary", "l", VT_L(i));
	} else {
		return 0;
	}
	return -1;
}

/*
 * "subsys:event" with an event name: what a VT_PROBE_F_ARGS probe's
 * provider looks up after the colon (kmod/probe_trace.c).
 */
static bool event_named(const char *t)
{
	while (*t && *t != ':')
		t++;
	return t[0] == ':' && t[1];
}

static int check_probes(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_probe_desc *pr;
	u32 i;

	for (i = 0; i < p->nprobes; i++) {
		pr = &p->probes[i];
		if (vt_load_step(lg, 1) ||
		    check_str(p, pr->target, "probe", i, "target", lg) ||
		    check_str(p, pr->point, "probe", i, "point", lg))
			return -1;
		if (pr->type >= VT_PROBE_TYPE_COUNT) {
			VT_LOG(lg, "probe %d: unknown type %d", "ll", VT_L(i),
			       VT_L(pr->type));
		} else if (pr->unit >= p->nunits) {
			VT_LOG(lg, "probe %d: unit %d out of range (%d)", "lll",
			       VT_L(i), VT_L(pr->unit), VT_L(p->nunits));
		} else if (pr->flags & ~(VT_PROBE_F_OPTIONAL |
					 VT_PROBE_F_WILDCARD |
					 VT_PROBE_F_ARGS)) {
			VT_LOG(lg, "probe %d: unknown flags %#x", "ll", VT_L(i),
			       VT_L(pr->flags));
		} else if (pr->flags & VT_PROBE_F_ARGS &&
			   (pr->type != VT_PROBE_TRACEPOINT ||
			    !event_named(p->strtab + pr->target))) {
			VT_LOG(lg, "probe %d: arguments of a probe that is not a "
			       "tracepoint named \"subsys:event\"", "l", VT_L(i));
		} else if (pr->event_id && pr->type != VT_PROBE_TRACEPOINT &&
			   pr->type != VT_PROBE_PERF) {
			VT_LOG(lg, "probe %d: event_id set on a non-tracepoint",
			       "l", VT_L(i));
		} else if (pr->type == VT_PROBE_TRACEPOINT && !pr->event_id) {
			VT_LOG(lg, "probe %d: tracepoint without an event id",
			       "l", VT_L(i));
		} else if ((pr->type == VT_PROBE_TIMER ||
			    pr->type == VT_PROBE_PERF) && pr->period_ns == 0) {
			VT_LOG(lg, "probe %d: timer period is 0", "l", VT_L(i));
		} else if ((pr->type == VT_PROBE_KPROBE ||
			    pr->type == VT_PROBE_KRETPROBE) &&
			   !p->strtab[pr->target]) {
			VT_LOG(lg, "probe %d: kprobe without a target", "l",
			       VT_L(i));
		} else if (pr->type == VT_PROBE_RAW_TRACEPOINT &&
			   !p->strtab[pr->target]) {
			VT_LOG(lg, "probe %d: raw tracepoint without a name",
			       "l", VT_L(i));
		} else if (pr->reserved) {
			VT_LOG(lg, "probe %d: reserved field not 0", "l",
			       VT_L(i));
		} else if (check_probe_user(p, pr, i, lg)) {
			return -1;
		} else {
			continue;
		}
		return -1;
	}
	return 0;
}

static int check_formats(const struct vt_prog *p, struct vt_log *lg)
{
	const char *sig;
	u32 i, n;

	for (i = 0; i < p->nformats; i++) {
		if (vt_load_step(lg, 1) ||
		    check_str(p, p->formats[i].text, "format", i, "text", lg) ||
		    check_str(p, p->formats[i].sig, "format", i, "sig", lg))
			return -1;
		/* To a fixed bound: many formats may share one long string. */
		sig = p->strtab + p->formats[i].sig;
		for (n = 0; n <= VT_FORMAT_ARGS_MAX &&
		     (sig[n] == 'l' || sig[n] == 's'); n++)
			;
		if (n > VT_FORMAT_ARGS_MAX) {
			VT_LOG(lg, "format %d: more than %d arguments", "ll",
			       VT_L(i), VT_L(VT_FORMAT_ARGS_MAX));
			return -1;
		}
		if (sig[n]) {
			VT_LOG(lg, "format %d: bad signature character %#x", "ll",
			       VT_L(i), VT_L((u8)sig[n]));
			return -1;
		}
	}
	return 0;
}

static int check_lines(const struct vt_prog *p, struct vt_log *lg)
{
	u32 i;

	for (i = 0; i < p->nlines; i++) {
		if (vt_load_step(lg, 1) ||
		    check_str(p, p->lines[i].file, "line", i, "file", lg))
			return -1;
		if (p->lines[i].pc >= p->ncode) {
			VT_LOG(lg, "line %d: pc %d outside CODE (%d)", "lll",
			       VT_L(i), VT_L(p->lines[i].pc), VT_L(p->ncode));
			return -1;
		}
		if (i && p->lines[i].pc < p->lines[i - 1].pc) {
			VT_LOG(lg, "line %d: pc %d not sorted (previous %d)", "lll",
			       VT_L(i), VT_L(p->lines[i].pc),
			       VT_L(p->lines[i - 1].pc));
			return -1;
		}
	}
	return 0;
}

/*
 * HANDLERS is grouped by unit, in unit order (the units are sorted and
 * disjoint: check_units), and each handler lies wholly inside its unit:
 * range [start, end) non-empty, then target, all in the unit of start.
 * So the handlers of a unit are one run of the table, found at run time
 * by binary search on start (interp.c find_handler), and a handler
 * found for the running unit has its target and slot checked against
 * that unit.  One pass: a unit cursor that only moves forward.
 */
static int check_handlers(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_handler_desc *h;
	const struct vt_unit_desc *ud;
	u32 i, u = 0;

	for (i = 0; i < p->nhandlers; i++) {
		h = &p->handlers[i];
		while (u < p->nunits &&
		       h->start >= p->units[u].code + p->units[u].ncode) {
			if (vt_load_step(lg, 1))
				return -1;
			u++;
		}
		ud = &p->units[u];
		if (vt_load_step(lg, 1))
			return -1;
		if (u == p->nunits || h->start < ud->code) {
			VT_LOG(lg, "handler %d: start %d not in unit %d or a later "
			       "one (grouped by unit, in unit order)", "lll",
			       VT_L(i), VT_L(h->start), VT_L(u));
		} else if (h->end <= h->start || h->end > h->target ||
			   h->target - ud->code >= ud->ncode) {
			VT_LOG(lg, "handler %d: range %d..%d and target %d not "
			       "in one unit, in that order", "llll", VT_L(i),
			       VT_L(h->start), VT_L(h->end), VT_L(h->target));
		} else if (h->flags & ~VT_HANDLER_F_MSG) {
			VT_LOG(lg, "handler %d: unknown flags %#x", "ll",
			       VT_L(i), VT_L(h->flags));
		} else if ((h->flags & VT_HANDLER_F_MSG) &&
			   h->slot >= ud->nslots) {
			VT_LOG(lg, "handler %d: slot %d out of range (%d)", "lll",
			       VT_L(i), VT_L(h->slot), VT_L(ud->nslots));
		} else if (!(h->flags & VT_HANDLER_F_MSG) && h->slot) {
			VT_LOG(lg, "handler %d: slot without a message", "l",
			       VT_L(i));
		} else {
			continue;
		}
		return -1;
	}
	return 0;
}

/*
 * Every DFA's tables inside DFADATA, every class and next state valid.
 * Each DFA's classmap, table and accept lie in that order after the
 * previous DFA's accept, so no byte of DFADATA is checked twice (linear
 * load) and no DFA's tables alias another's.
 */
static int check_dfas(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_dfa_desc *d;
	u32 i, j, ntab;
	u64 prev_end = 0;
	u16 next;

	for (i = 0; i < p->ndfas; i++) {
		d = &p->dfas[i];
		ntab = (u32)d->nstates * d->nclasses;
		if (vt_load_step(lg, 1) ||
		    check_str(p, d->pattern, "dfa", i, "pattern", lg))
			return -1;
		if (d->reserved || d->nstates < 1 || d->nclasses < 3 ||
		    d->classmap < prev_end ||
		    d->table < (u64)d->classmap + 256 ||
		    d->accept < (u64)d->table + 2ull * ntab ||
		    (u64)d->accept + d->nstates > p->ndfadata) {
			VT_LOG(lg, "dfa %d: bad header, or tables outside DFADATA "
			       "or out of order (classmap, table, accept, after "
			       "the previous DFA's)", "l", VT_L(i));
			return -1;
		}
		prev_end = (u64)d->accept + d->nstates;
		if (vt_load_step(lg, 256))
			return -1;
		for (j = 0; j < 256; j++) {
			if (p->dfadata[d->classmap + j] < d->nclasses - 2)
				continue;
			VT_LOG(lg, "dfa %d: byte %d in class %d", "lll",
			       VT_L(i), VT_L(j),
			       VT_L(p->dfadata[d->classmap + j]));
			return -1;
		}
		for (j = 0; j < ntab; j++) {
			if (vt_load_step(lg, 1))
				return -1;
			memcpy(&next, p->dfadata + d->table + 2 * j, 2);
			if (next < d->nstates)
				continue;
			VT_LOG(lg, "dfa %d: next state %d out of range (%d)",
			       "lll", VT_L(i), VT_L(next), VT_L(d->nstates));
			return -1;
		}
	}
	return 0;
}

/* A STAT map's histogram parameters. */
static int check_hist(const struct vt_map_desc *d, u32 i, struct vt_log *lg)
{
	u64 nb;

	if (d->hist == VT_HIST_NONE) {
		if (!d->nbuckets && !d->hstart && !d->hstop && !d->hinterval)
			return 0;
	} else if (d->hist == VT_HIST_LOG) {
		if (d->nbuckets == VT_HIST_LOG_BUCKETS && !d->hstart &&
		    !d->hstop && !d->hinterval)
			return 0;
	} else if (d->hinterval > 0 && d->hstart < d->hstop) {
		nb = ((u64)d->hstop - (u64)d->hstart) / (u64)d->hinterval + 3;
		if (nb <= VT_HIST_BUCKETS_MAX && nb == d->nbuckets)
			return 0;
	}
	VT_LOG(lg, "map %d: bad histogram (kind %d, %d buckets, start %d, stop %d, interval %d)",
	       "llllll", VT_L(i), VT_L(d->hist), VT_L(d->nbuckets),
	       VT_L(d->hstart), VT_L(d->hstop), VT_L(d->hinterval));
	return -1;
}

/* stackrefs: bits of 'l' keys, and VT_MAP_STACKREF_VALUE on a LONG map. */
static bool check_stackrefs(const struct vt_map_desc *d, const char *sig,
			    u32 nkeys)
{
	u32 i, bits = d->stackrefs & ~VT_MAP_STACKREF_VALUE;

	if ((d->stackrefs & VT_MAP_STACKREF_VALUE) &&
	    d->vkind != VT_MAPV_LONG)
		return true;
	for (i = 0; i < 31; i++)
		if ((bits >> i & 1) && (i >= nkeys || sig[i] != 'l'))
			return true;
	return false;
}

static int check_maps(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_map_desc *d;
	const char *sig;
	u32 i, n;

	for (i = 0; i < p->nmaps; i++) {
		d = &p->maps[i];
		if (vt_load_step(lg, 1) ||
		    check_str(p, d->name, "map", i, "name", lg) ||
		    check_str(p, d->keysig, "map", i, "keysig", lg))
			return -1;
		sig = p->strtab + d->keysig;
		for (n = 0; n <= VT_MAP_KEYS_MAX &&
		     (sig[n] == 'l' || sig[n] == 's'); n++)
			;
		if (sig[n] || n > VT_MAP_KEYS_MAX) {
			VT_LOG(lg, "map %d: bad keysig (only l/s, at most %d)",
			       "ll", VT_L(i), VT_L(VT_MAP_KEYS_MAX));
		} else if (!d->max_entries ||
			   d->max_entries > VT_MAP_ENTRIES_MAX) {
			VT_LOG(lg, "map %d: max_entries %d outside [1, %d]",
			       "lll", VT_L(i), VT_L(d->max_entries),
			       VT_L(VT_MAP_ENTRIES_MAX));
		} else if (d->vkind > VT_MAPV_STAT) {
			VT_LOG(lg, "map %d: unknown value kind %d", "ll",
			       VT_L(i), VT_L(d->vkind));
		} else if (d->flags & ~VT_MAP_F_WRAP) {
			VT_LOG(lg, "map %d: unknown flags %#x", "ll", VT_L(i),
			       VT_L(d->flags));
		} else if (check_stackrefs(d, sig, n)) {
			/* only user space reads stackrefs: keep it sane */
			VT_LOG(lg, "map %d: stackrefs %#x names a key or value "
			       "that is not a long", "ll", VT_L(i),
			       VT_L(d->stackrefs));
		} else if (d->vkind != VT_MAPV_STAT && d->hist) {
			VT_LOG(lg, "map %d: histogram on a non-statistic", "l",
			       VT_L(i));
		} else if (d->hist > VT_HIST_LINEAR) {
			VT_LOG(lg, "map %d: unknown histogram kind %d", "ll",
			       VT_L(i), VT_L(d->hist));
		} else if (check_hist(d, i, lg)) {
			return -1;
		} else if (d->vkind == VT_MAPV_STAT && !n &&
			   d->max_entries != 1) {
			VT_LOG(lg, "map %d: a scalar statistic has max_entries 1",
			       "l", VT_L(i));
		} else {
			continue;
		}
		return -1;
	}
	return 0;
}

static int check_iters(const struct vt_prog *p, struct vt_log *lg)
{
	const struct vt_iter_desc *it;
	struct vt_sig_counts cnt;
	u32 i, nkeys;

	for (i = 0; i < p->niters; i++) {
		it = &p->iters[i];
		if (vt_load_step(lg, 1))
			return -1;
		if (it->map >= p->nmaps) {
			VT_LOG(lg, "iter %d: map %d out of range (%d)", "lll",
			       VT_L(i), VT_L(it->map), VT_L(p->nmaps));
			return -1;
		}
		vt_sig_count(vt_prog_str(p, p->maps[it->map].keysig), &cnt);
		nkeys = cnt.nlong + cnt.nstr;
		if (it->sort > nkeys && it->sort != VT_SORT_VALUE) {
			VT_LOG(lg, "iter %d: sort %d, the map has %d keys", "lll",
			       VT_L(i), VT_L(it->sort), VT_L(nkeys));
		} else if (it->sort ? it->dir != 1 && it->dir != -1 : it->dir) {
			VT_LOG(lg, "iter %d: direction %d with sort %d", "lll",
			       VT_L(i), VT_L(it->dir), VT_L(it->sort));
		} else if (it->agg >= VT_AGG_COUNT_ ||
			   (it->agg && (it->sort != VT_SORT_VALUE ||
			    p->maps[it->map].vkind != VT_MAPV_STAT))) {
			VT_LOG(lg, "iter %d: bad aggregate %d", "ll", VT_L(i),
			       VT_L(it->agg));
		} else if (it->reserved) {
			VT_LOG(lg, "iter %d: reserved field not 0", "l", VT_L(i));
		} else {
			continue;
		}
		return -1;
	}
	return 0;
}

static int check_autoprint(const struct vt_prog *p, struct vt_log *lg)
{
	u32 i, kind, idx, limit;

	for (i = 0; i < p->nautoprint; i++) {
		if (vt_load_step(lg, 1))
			return -1;
		kind = VT_AUTOPRINT_KIND(p->autoprint[i]);
		idx = VT_AUTOPRINT_INDEX(p->autoprint[i]);
		limit = kind == VT_AUTOPRINT_LGLOBAL ? p->nlglobals :
			kind == VT_AUTOPRINT_SGLOBAL ? p->nsglobals :
			kind == VT_AUTOPRINT_MAP ? p->nmaps : 0;
		if (idx < limit)
			continue;
		VT_LOG(lg, "autoprint %d: kind %d index %d out of range", "lll",
		       VT_L(i), VT_L(kind), VT_L(idx));
		return -1;
	}
	return 0;
}

/*
 * STRTAB starts and ends with NUL, and no string in it is longer than
 * VT_STRING_MAX bytes: so every format text is bounded (formatting one,
 * SPRINTF, is linear in it) however many formats share one string, and
 * this one pass is the whole check.
 */
static int check_strtab(const struct vt_prog *p, struct vt_log *lg)
{
	u32 i, run = 0;

	if (!p->strtab_size) {
		VT_LOG0(lg, "section STRTAB: empty");
		return -1;
	}
	if (p->strtab[0] || p->strtab[p->strtab_size - 1]) {
		VT_LOG0(lg, "section STRTAB: must start and end with NUL");
		return -1;
	}
	for (i = 0; i < p->strtab_size; i++) {
		if (!(i % 64) && vt_load_step(lg, 1))	/* a step per 64 bytes */
			return -1;
		run = p->strtab[i] ? run + 1 : 0;
		if (run > VT_STRING_MAX) {
			VT_LOG(lg, "section STRTAB: the string at %d is longer than %d bytes",
			       "ll", VT_L(i + 1 - run), VT_L(VT_STRING_MAX));
			return -1;
		}
	}
	return 0;
}

int vt_prog_load(struct vt_prog *prog, const void *image, u32 size,
		 char *log, u32 log_size)
{
	const struct vt_image_hdr *h = image;
	struct vt_log lg;
	u32 i;

	memset(prog, 0, sizeof(*prog));
	vt_log_init(&lg, log, log_size);
	if (!image || size < sizeof(*h)) {
		VT_LOG(&lg, "image: %d bytes, shorter than the header (%d)",
		       "ll", VT_L(size), VT_L(sizeof(*h)));
		goto fail;
	}
	if (size > VT_IMAGE_MAX) {
		VT_LOG(&lg, "image: %d bytes, more than %d", "ll", VT_L(size),
		       VT_L(VT_IMAGE_MAX));
		goto fail;
	}
	if ((unsigned long)image & 7) {
		VT_LOG0(&lg, "image: address not 8-aligned");
		goto fail;
	}
	if (load_header(h, size, &lg))
		goto fail;
	for (i = 0; i < VT_SECT_SLOTS; i++)
		if (load_section(h, i, &lg))
			goto fail;
	map_sections(prog, h);
	if (check_strtab(prog, &lg) || check_units(prog, &lg) ||
	    check_globals(prog, &lg) || check_probes(prog, &lg) ||
	    check_formats(prog, &lg) || check_lines(prog, &lg) ||
	    check_handlers(prog, &lg) || check_dfas(prog, &lg) ||
	    check_maps(prog, &lg) || check_iters(prog, &lg) ||
	    check_autoprint(prog, &lg))
		goto fail;
	for (i = 0; i < prog->nunits; i++)
		if (vt_verify_unit(prog, i, &lg))
			goto fail;
	prog->load_steps = lg.steps;
	return 0;
fail:
	memset(prog, 0, sizeof(*prog));
	return lg.stopped ? VT_LOAD_STOPPED : -1;
}
