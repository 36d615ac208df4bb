/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vtc.h - the compiler's public interface: script text in, program image
 * (vm/vtrace_uapi.h) out.  Passes: 1 parse, 2 resolve and type, 3 generate
 * code.  Diagnostics go to opt->err as "FILE:LINE:COL: error: MESSAGE",
 * then the source line and a caret under the column.
 */
#ifndef VTC_H
#define VTC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

struct vtc_options {
	const char *file_name;	/* for messages, "<command line>" for -e */
	const char *source;	/* script text, NUL-terminated */
	int last_pass;		/* 1, 2 or 3: stop after it and print its
				 * listing to out; 0: no listing, build image */
	uint32_t strsize;	/* string slot size (MAXSTRINGLEN + 1) */
	uint32_t budget;	/* per-firing instruction budget */
	uint32_t maxerrors;	/* errors tolerated (MAXERRORS) */
	uint32_t maxnesting;	/* function call depth (MAXNESTING), 0: 10 */
	const char *const *args;	/* script arguments: $1 / @1 ... */
	int nargs;
	/* For %( %) conditions; NULL when unknown. */
	const char *kernel_release;	/* uname -r */
	const char *arch;		/* "x86_64" */
	const char *kconfig;		/* kernel .config text */
	FILE *out;		/* listings */
	FILE *err;		/* diagnostics */
	/*
	 * Kernel functions for kernel.function wildcards and suggestions:
	 * a NULL-terminated list valid until vtc_compile returns, or NULL
	 * when none is known (@kernel_functions NULL: none).
	 */
	const char *const *(*kernel_functions)(void *ctx);
	void *symbols_ctx;
	const char *tracefs;	/* tracefs root; NULL: /sys/kernel/tracing */
	uint32_t maxmapentries;	/* default array size (MAXMAPENTRIES), 0:
				 * VTC_DEFAULT_MAXMAPENTRIES */
	uint32_t maxstacks;	/* stack table entries (MAXSTACKS) when the
				 * script stores stacks, 0:
				 * VTC_DEFAULT_MAXSTACKS */
	int32_t target_pid;	/* -x PID, -c CMD's pid: target(), and the
				 * process of process probes without one */
	/*
	 * Tapset directories (tapset/README.md), searched in order: every
	 * *.stp file in them is parsed and what the script uses (aliases,
	 * functions, globals) is kept.  NULL-terminated; NULL: no tapset.
	 */
	const char *const *tapset_dirs;
};

struct vtc_image {
	void *data;		/* malloc'd image, freed by vtc_image_free */
	size_t size;
};

/*
 * Compile.  Returns 0 with @img filled (when last_pass is 0 or 3), or -1
 * after printing at least one diagnostic.
 */
int vtc_compile(const struct vtc_options *opt, struct vtc_image *img);
void vtc_image_free(struct vtc_image *img);

/*
 * -l / -L: print on opt->out, one a line, the probe points the providers
 * and the tapset (opt->tapset_dirs) offer that match the glob @pattern
 * (points as written: 'kernel.function("vfs_*")', 'syscall.*'), with
 * @vars each point's variables and types ("POINT $a:long $s:string").
 * Reads opt->kernel_functions, ->symbols_ctx and ->tracefs; a pattern
 * 'process("PATH")...' lists that binary's points.  Returns how many
 * were printed, or -1 with a message (possibly empty) in @err.
 */
long vtc_list(const struct vtc_options *opt, const char *pattern, bool vars,
	      char *err, size_t errlen);

#define VTC_DEFAULT_STRSIZE 512u	/* like SystemTap's MAXSTRINGLEN */
#define VTC_DEFAULT_BUDGET 100000u
#define VTC_DEFAULT_MAXERRORS 100u
#define VTC_DEFAULT_MAXNESTING 10u	/* like SystemTap's MAXNESTING */
#define VTC_DEFAULT_MAXMAPENTRIES 2048u	/* like SystemTap's MAXMAPENTRIES */
#define VTC_DEFAULT_MAXSTACKS	4096u	/* stack table entries (vm/stack.h) */

#endif /* VTC_H */
