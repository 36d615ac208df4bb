// SPDX-License-Identifier: GPL-2.0-only
/* compile_run.c - see compile_run.h. */
#include <stdio.h>
#include <stdlib.h>

#include "compile_run.h"

char out_buf[65536], err_buf[16384];

int compile_with(const struct vtc_options *base, const char *src, int pass,
		 struct vtc_image *img)
{
	char *ob = NULL, *eb = NULL;
	size_t ol = 0, el = 0;
	FILE *out = open_memstream(&ob, &ol), *err = open_memstream(&eb, &el);
	struct vtc_options o = { 0 };
	struct vtc_image tmp;
	int r;

	if (base)
		o = *base;
	o.file_name = "t.stp";
	o.source = src;
	o.last_pass = pass;
	o.out = out;
	o.err = err;
	r = vtc_compile(&o, img ? img : &tmp);
	if (!img)
		vtc_image_free(&tmp);
	fclose(out);
	fclose(err);
	snprintf(out_buf, sizeof(out_buf), "%s", ob ? ob : "");
	snprintf(err_buf, sizeof(err_buf), "%s", eb ? eb : "");
	free(ob);
	free(eb);
	return r;
}

int compile_run(const char *src, int pass, struct vtc_image *img)
{
	return compile_with(NULL, src, pass, img);
}
