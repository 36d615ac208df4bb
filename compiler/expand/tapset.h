/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tapset.h - the tapset library: script files of aliases, functions and
 * globals (tapset/README.md) that scripts use without including them.
 *
 * Every *.stp file of every directory is parsed (each is a diag file, so
 * messages and the line table name it); then only what the script
 * reaches is appended to it: aliases its probe points (or a reached
 * alias's points) match, functions called and globals named by the
 * script or by what was reached, to a fixed point.  A script's own
 * function hides a tapset function of the same name.  Probes other than
 * aliases in a tapset file are ignored.
 */
#ifndef VTC_TAPSET_H
#define VTC_TAPSET_H

#include "lang/ast.h"
#include "lang/diag.h"

struct pp_config;

/* Load @dirs (NULL-terminated, may be NULL) into @s.  0 or -1. */
int tapset_load(struct diag *d, struct script *s, const char *const *dirs,
		const struct pp_config *cfg);

/*
 * For -l / -L: one "NAME" (with @vars: "NAME VAR VAR...", the variables
 * its body assigns) per alias name of the tapset files in @dirs, sorted,
 * without duplicates; malloc'd, NULL-terminated (free with
 * tapset_list_free).  Files that do not parse are skipped.
 */
char **tapset_list_aliases(const char *const *dirs, bool vars);
void tapset_list_free(char **list);

#endif /* VTC_TAPSET_H */
