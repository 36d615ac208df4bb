// SPDX-License-Identifier: GPL-2.0-only
/* compile_run.c - see compile_run.h. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "host_mock.h"
#include "vt_record.h"

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

long long compile_run_rax(const char *src, unsigned long long rax)
{
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vtc_image img;
	struct vt_prog prog;
	struct vt_exec ex;
	const struct vt_rec *rec;
	static struct vt_rec_printf pf;
	long long v;

	ck_assert_ptr_nonnull(m);
	ck_assert_msg(compile_run(src, 0, &img) == 0, "%s", err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_init(m);
	m->has_regs = true;
	m->regs[VT_REG_AX] = rax;
	host_mock_exec_init(&ex, &prog, m);
	ck_assert_int_eq(vt_run(&ex, prog.probes[0].unit), VT_FAULT_NONE);
	rec = host_mock_record(m, 0);
	ck_assert(rec && rec->type == VT_REC_PRINTF);
	ck_assert_int_eq(vt_rec_printf(&prog, rec + 1,
				       rec->size - sizeof(*rec), &pf), 0);
	ck_assert(pf.nargs >= 1 && pf.sig[0] == 'l');
	v = pf.args[0].l;
	host_mock_exec_free(&ex);
	free(m);
	vtc_image_free(&img);
	return v;
}
