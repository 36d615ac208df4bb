/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uprobe.h - user-space probe points: process("PATH"), process(PID) and
 * process (the -x / -c target, or any process), with .function("NAME")
 * [.call|.return] (wildcards), .statement(ADDR), .begin and .end; and
 * their target variables ($name from DWARF, $return).
 */
#ifndef VTC_UPROBE_H
#define VTC_UPROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "lang/ast.h"
#include "lang/diag.h"

/* What a function point keeps for its target variables (pt->info). */
struct uprobe_info {
	const char *path;	/* the binary, absolute */
	const char *func;	/* the function, or NULL (.statement) */
};

/* Forget the binary read by the last compilation (probepoint_configure). */
void uprobe_configure(void);

/* Resolve a point whose first component @c is "process". */
void uprobe_resolve(struct diag *d, struct arena *a, struct probe_point *pt,
		    struct point_comp *c, int target_pid);

/* $name / $return of a uprobe probe; as probepoint_field. */
bool uprobe_field(struct diag *d, struct arena *a, struct probe *p,
		  struct node *n);

/*
 * The binary @spec names, as SystemTap finds it: with a '/', relative to
 * the working directory; else searched in $PATH (and the library
 * directories for a shared library).  Absolute, symlinks resolved, in
 * @buf; 0, or -1 when not found.
 */
int uprobe_find_binary(const char *spec, char *buf, size_t size);

#endif /* VTC_UPROBE_H */
