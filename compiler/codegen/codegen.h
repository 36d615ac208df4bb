/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * codegen.h - pass 3: a typed script to a program (struct cprog), the
 * image writer and the bytecode listing.
 *
 * A cprog holds every table of the image in host form; image_build()
 * only lays them out.  Its string table is deduplicated and starts with
 * the empty string at offset 0.
 */
#ifndef VTC_CODEGEN_H
#define VTC_CODEGEN_H

#include <stdio.h>

#include "lang/ast.h"
#include "lang/diag.h"
#include "vt_isa.h"

#define CPROG_VEC(type, name) type *name; uint32_t n##name, cap_##name

struct cprog {
	CPROG_VEC(struct vt_insn, code);
	CPROG_VEC(struct vt_unit_desc, units);
	CPROG_VEC(int64_t, consts);
	CPROG_VEC(char, strtab);
	CPROG_VEC(struct vt_global_desc, lglobals);
	CPROG_VEC(struct vt_global_desc, sglobals);
	CPROG_VEC(struct vt_probe_desc, probes);
	CPROG_VEC(struct vt_format_desc, formats);
	CPROG_VEC(struct vt_line_desc, lines);
	CPROG_VEC(uint32_t, usigs);	/* empty when there are no functions */
	CPROG_VEC(struct vt_handler_desc, handlers);	/* try/catch */
	CPROG_VEC(struct vt_dfa_desc, dfas);		/* =~ */
	CPROG_VEC(uint8_t, dfadata);
	CPROG_VEC(struct vt_map_desc, maps);		/* arrays, statistics */
	CPROG_VEC(struct vt_iter_desc, iters);		/* foreach sites */
	CPROG_VEC(uint32_t, autoprint);
	uint32_t scratch;	/* header: foreach scratch bytes */
	bool stacks;		/* a helper stores stacks: the header's
				 * nstacks must be > 0 (vtc.c sets it) */
	uint32_t strsize;
	uint32_t maxnesting;
};

/* Generate code for a script that passed sema.  Returns 0 or -1. */
int codegen_script(struct diag *d, struct script *s, uint32_t strsize,
		   uint32_t maxnesting, struct cprog *p);
void cprog_free(struct cprog *p);
/* Offset of @s in the strtab, adding it if absent. */
uint32_t cprog_str(struct cprog *p, const char *s);

/* Lay @p out as an image per vtrace_uapi.h, malloc'd, in *@data (*@len
 * bytes).  Returns 0 or -1 (too big). */
int image_build(const struct cprog *p, uint32_t budget, uint32_t maxerrors,
		void **data, size_t *len);

/* The pass 3 listing: units, instructions, and the source lines. */
void disasm_cprog(FILE *out, const struct cprog *p, const struct diag *d);

#endif /* VTC_CODEGEN_H */
