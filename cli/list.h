/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * list.h - what the running kernel offers to probe: kernel functions
 * (for wildcards, suggestions and -l), and the -l / -L command.
 */
#ifndef VT_CLI_LIST_H
#define VT_CLI_LIST_H

#include <stdbool.h>

/*
 * The kernel's probeable functions, sorted, without duplicates: from
 * $VTRACE_KSYMS (a file of names, one a line) if set, else
 * /sys/kernel/tracing/available_filter_functions (functions of vmlinux
 * only), else the text symbols of /proc/kallsyms.  A NULL-terminated
 * array loaded once and kept until exit; NULL if no source is readable.
 * Has the signature of vtc_options.kernel_functions (@ctx unused).
 */
const char *const *list_kernel_functions(void *ctx);

/*
 * -l / -L: print the probe points matching @pattern (a glob over points
 * as written: 'kernel.function("vfs_*")', 'kernel.trace("sched:*")',
 * 'syscall.*'), with -L (@vars) their variables and types; the probe
 * aliases of the tapset files in @tapset_dirs (NULL-terminated) too.  Tracefs from
 * $VTRACE_TRACEFS or /sys/kernel/tracing.  Returns the exit status.
 */
int list_points(const char *pattern, bool vars,
		const char *const *tapset_dirs);

#endif /* VT_CLI_LIST_H */
