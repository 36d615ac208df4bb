/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compile_run.h - compile a script in a unit test and keep what the
 * compiler printed: the listing in out_buf, the diagnostics in err_buf.
 */
#ifndef VT_TEST_COMPILE_RUN_H
#define VT_TEST_COMPILE_RUN_H

#include "vtc.h"

extern char out_buf[65536], err_buf[16384];

/*
 * Compile @src (file name "t.stp") up to @pass with the other options of
 * @base (may be NULL).  @img receives the image, or NULL to discard it.
 * Returns vtc_compile()'s result.
 */
int compile_with(const struct vtc_options *base, const char *src, int pass,
		 struct vtc_image *img);

/* compile_with() with default options. */
int compile_run(const char *src, int pass, struct vtc_image *img);

/*
 * Compile @src (a probe whose first record is a printf of one long) and
 * run its first probe once on the mock host with rax = @rax; return that
 * long.  Fails the running check test on any error.
 */
long long compile_run_rax(const char *src, unsigned long long rax);

#endif /* VT_TEST_COMPILE_RUN_H */
