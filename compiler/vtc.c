// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtc.c - the compiler driver: passes 1-3 and their listings (lang/,
 * expand/, probes/ and sema/, codegen/), and the -l / -L listing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vtc.h"
#include "codegen/codegen.h"
#include "lang/parser.h"
#include "lang/print.h"
#include "lang/preproc.h"
#include "sema/sema.h"
#include "probes/probepoint.h"
#include "expand/tapset.h"
#include "expand/alias.h"
#include "expand/entry.h"

/* What the providers read from the machine, from @opt. */
static void configure_probes(const struct vtc_options *opt)
{
	probepoint_configure(&(struct probe_config){
		.kernel_functions = opt->kernel_functions,
		.symbols_ctx = opt->symbols_ctx, .tracefs = opt->tracefs,
		.target_pid = opt->target_pid,
		.strsize = opt->strsize ? opt->strsize : VTC_DEFAULT_STRSIZE,
	});
}

int vtc_compile(const struct vtc_options *opt, struct vtc_image *img)
{
	struct diag d;
	struct script *s;
	struct cprog p = { 0 };
	uint32_t strsize = opt->strsize ? opt->strsize : VTC_DEFAULT_STRSIZE;
	uint32_t budget = opt->budget ? opt->budget : VTC_DEFAULT_BUDGET;
	uint32_t maxnesting = opt->maxnesting ? opt->maxnesting :
			      VTC_DEFAULT_MAXNESTING;
	int ret = -1;
	struct pp_config ppcfg = {
		.kernel_release = opt->kernel_release, .arch = opt->arch,
		.kconfig = opt->kconfig, .nargs = opt->args ? opt->nargs : 0,
	};

	if (img) {
		img->data = NULL;
		img->size = 0;
	}
	diag_init(&d, opt->err, opt->file_name, opt->source);
	if (strsize < VT_STRSIZE_MIN || strsize > VT_STRSIZE_MAX) {
		diag_error(&d, (struct vtc_loc){ 0 }, "string size %u outside "
			   "[%u, %u]", strsize, VT_STRSIZE_MIN,
			   VT_STRSIZE_MAX);
		return -1;
	}
	s = parse_script(&d, opt->source, &ppcfg);
	if (d.nerrors)
		goto out;
	if (opt->last_pass == 1) {
		if (opt->out)
			print_script(opt->out, s, false);
		ret = 0;
		goto out;
	}
	if (tapset_load(&d, s, opt->tapset_dirs, &ppcfg) ||
	    alias_expand(&d, s, probepoint_is_root) || entry_expand(&d, s))
		goto out;
	configure_probes(opt);
	s->args = opt->args;
	s->maxmapentries = opt->maxmapentries ? opt->maxmapentries :
			   VTC_DEFAULT_MAXMAPENTRIES;
	s->nargs = opt->args ? opt->nargs : 0;
	if (sema_script(&d, s))
		goto out;
	if (opt->last_pass == 2) {
		if (opt->out)
			print_script(opt->out, s, true);
		ret = 0;
		goto out;
	}
	if (maxnesting > VT_NESTING_MAX) {
		diag_error(&d, (struct vtc_loc){ 0 }, "MAXNESTING %u is more "
			   "than %u", maxnesting, VT_NESTING_MAX);
		goto out;
	}
	if (codegen_script(&d, s, strsize, maxnesting, &p))
		goto out;
	if (opt->last_pass == 3 && opt->out)
		disasm_cprog(opt->out, &p, &d);
	if (img && image_build(&p, budget, opt->maxerrors, &img->data,
				&img->size)) {
		diag_error(&d, (struct vtc_loc){ 0 }, "program image larger "
			   "than %u bytes", VT_IMAGE_MAX);
		goto out;
	}
	if (img) {
		struct vt_image_hdr *h = (struct vt_image_hdr *)img->data;

		h->target_pid = opt->target_pid;
		h->nstacks = !p.stacks ? 0 : opt->maxstacks ? opt->maxstacks :
			     VTC_DEFAULT_MAXSTACKS;
	}
	ret = 0;
out:
	cprog_free(&p);
	script_free(s);
	return ret;
}

void vtc_image_free(struct vtc_image *img)
{
	if (!img)
		return;
	free(img->data);
	img->data = NULL;
	img->size = 0;
}

long vtc_list(const struct vtc_options *opt, const char *pattern, bool vars,
	      char *err, size_t errlen)
{
	char **aliases = tapset_list_aliases(opt->tapset_dirs, vars);
	struct probe_list l = {
		.pattern = pattern, .vars = vars, .aliases = aliases,
		.out = opt->out,
	};
	long ret = -1;

	configure_probes(opt);
	if (probepoint_list(&l)) {
		snprintf(err, errlen, "%s", l.err);
		goto out;
	}
	for (char **a = aliases; a && *a; a++) {
		char *sp = strchr(*a, ' ');

		if (sp)
			*sp = 0;
		probe_list_show(&l, *a, sp ? sp + 1 : NULL);
	}
	ret = l.shown;
out:
	tapset_list_free(aliases);
	return ret;
}
