// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_stack.c - the stack table (vm/stack.h): one id per distinct
 * stack, the empty stack, a full table's drops, the checks on a copy
 * (vt_stack_entry); the stack helpers run from a compiled script on the
 * mock host (references, modes, faults); the CLI's text of references
 * (cli/stacks.c, hex form: the symbolized forms need /proc/kallsyms).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "host_mock.h"
#include "stack.h"
#include "stacks.h"
#include "vt_record.h"

static const u64 fa[] = { 0x10, 0x20, 0x30 }, fb[] = { 0x10, 0x20, 0x31 };

static void *new_table(u32 max)
{
	void *t = aligned_alloc(8, vt_stacks_size(max));

	ck_assert_ptr_nonnull(t);
	vt_stacks_init(t, max);
	return t;
}

START_TEST(test_dedup)
{
	void *t = new_table(8);
	u32 work = 0, a, b;
	const struct vt_stack_ent *e;

	a = vt_stack_insert(t, fa, 3, VT_STACK_KIND_KERNEL, 0, &work);
	b = vt_stack_insert(t, fb, 3, VT_STACK_KIND_KERNEL, 0, &work);
	ck_assert_uint_eq(a, 1);
	ck_assert_uint_eq(b, 2);
	ck_assert_uint_eq(vt_stack_insert(t, fa, 3, VT_STACK_KIND_KERNEL, 0,
					  &work), a);
	ck_assert_uint_eq(vt_stack_insert(t, fa, 2, VT_STACK_KIND_KERNEL, 0,
					  &work), 3);	/* a prefix differs */
	ck_assert_uint_eq(vt_stack_insert(t, fa, 0, VT_STACK_KIND_KERNEL, 0,
					  &work), 0);	/* empty */
	ck_assert_uint_gt(work, 0);
	e = vt_stack_entry(t, vt_stacks_size(8), b);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->nframes, 3);
	ck_assert(e->frames[2] == 0x31);
	free(t);
}
END_TEST

START_TEST(test_full)
{
	void *t = new_table(2);
	const struct vt_stack_hdr *h = t;
	u64 f[1];
	u32 work = 0, i;

	for (i = 0; i < 5; i++) {
		f[0] = 0x100 + i;
		ck_assert_uint_eq(vt_stack_insert(t, f, 1, 1, 0, &work),
				  i < 2 ? i + 1 : 0);
	}
	ck_assert(h->drops == 3);
	f[0] = 0x101;	/* stored before: still found */
	ck_assert_uint_eq(vt_stack_insert(t, f, 1, 1, 0, &work), 2);
	ck_assert(h->drops == 3);
	free(t);
}
END_TEST

START_TEST(test_entry_checks)
{
	void *t = new_table(4);
	u64 size = vt_stacks_size(4);
	u32 work = 0;

	vt_stack_insert(t, fa, 3, 1, 0, &work);
	ck_assert_ptr_nonnull(vt_stack_entry(t, size, 1));
	ck_assert_ptr_null(vt_stack_entry(t, size, 0));
	ck_assert_ptr_null(vt_stack_entry(t, size, 2));	/* not used */
	ck_assert_ptr_null(vt_stack_entry(t, size - 8, 1));
	ck_assert_ptr_null(vt_stack_entry(t, 4, 1));
	((struct vt_stack_hdr *)t)->used = 9;		/* > max_stacks */
	ck_assert_ptr_null(vt_stack_entry(t, size, 5));
	((struct vt_stack_hdr *)t)->magic ^= 1;
	ck_assert_ptr_null(vt_stack_entry(t, size, 1));
	ck_assert(vt_stacks_size(0) == 0);
	ck_assert(vt_stacks_size(VT_STACKS_MAX + 1) == 0);
	free(t);
}
END_TEST

/* Run @src's first probe with the mock's kernel stack @frames[0..n). */
static struct host_mock *m;
static struct vtc_image img;
static struct vt_prog prog;
static struct vt_exec ex;

static enum vt_fault run(const char *src, const u64 *frames, u32 n)
{
	m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(compile_run(src, 0, &img) == 0, "%s", err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_init(m);
	m->kstack = frames;
	m->nkstack = n;
	host_mock_exec_init(&ex, &prog, m);
	return vt_run(&ex, prog.probes[0].unit);
}

static void done(void)
{
	host_mock_exec_free(&ex);
	free(m);
	vtc_image_free(&img);
	stacks_reset();
}

static void *copy_table(void *ctx, u64 *size)
{
	void *c;

	(void)ctx;
	*size = vt_stacks_size(prog.nstacks);
	c = malloc(*size);
	if (c)
		memcpy(c, ex.stacks, *size);
	return c;
}

/* The printf records' text, references rendered as the CLI does. */
static void text_of(char *out, size_t size)
{
	struct vt_rec_printf pf;
	char ftext[VT_STRING_MAX + 1], fsig[VT_FORMAT_ARGS_MAX + 1];
	char *owned[VT_FORMAT_ARGS_MAX] = { 0 };
	size_t len = 0;

	stacks_source(copy_table, NULL);
	for (u32 r = 0; r < m->nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(m, r);

		ck_assert_int_eq(vt_rec_printf(&prog, rec + 1, rec->size -
					       sizeof(*rec), &pf), 0);
		ck_assert_int_eq(stacks_printf_args(pf.text, pf.sig, pf.args,
						    pf.nargs, ftext, fsig,
						    owned), 0);
		len += vt_format(out + len, (u32)(size - len), ftext, fsig,
				 pf.args, pf.nargs);
		stacks_free_texts(owned);
		ck_assert_uint_lt(len, size);
	}
}

START_TEST(test_helpers)
{
	static const u64 k[] = { 0xa0, 0xb0, 0xc0, 0xd0 };
	char out[1024], *folded;

	ck_assert_int_eq(run("global s\nprobe begin { s[backtrace()] <<< 1;"
			     " s[backtrace()] <<< 1; bt = backtrace();"
			     " printf(\"%s|%s|%s|%x|%x|%d\\n\", bt, callers(2),"
			     " backtrace(), stack(1), caller_addr(), stack(9))"
			     " }", k, 4), VT_FAULT_NONE);
	ck_assert_uint_eq(prog.nstacks, VTC_DEFAULT_MAXSTACKS);
	ck_assert_uint_eq(((struct vt_stack_hdr *)ex.stacks)->used, 2);
	text_of(out, sizeof(out));
	ck_assert_str_eq(out, "0xa0 0xb0 0xc0 0xd0|0xb0 0xc0|"
			 "0xa0 0xb0 0xc0 0xd0|b0|b0|0\n");
	/* folded: outermost first (no symbol covers these addresses) */
	folded = stacks_folded(VT_STACKREF(1, VT_STACK_HEX));
	ck_assert_str_eq(folded, "0xd0;0xc0;0xb0;0xa0");
	free(folded);
	folded = stacks_folded(VT_STACKREF(0, VT_STACK_HEX));
	ck_assert_str_eq(folded, "");
	free(folded);
	done();
}
END_TEST

START_TEST(test_user)
{
	static const u64 k[] = { 0xa0, 0xb0 }, u[] = { 0x4010, 0x4020 };
	const struct vt_stack_ent *e;
	char out[256];

	m = calloc(1, sizeof(*m));
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(compile_run("probe begin { printf(\"%s|%s|%s\\n\","
				  " ubacktrace(), backtrace(), ucallers(1)) }",
				  0, &img) == 0, "%s", err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_init(m);
	m->pid = 77;
	m->kstack = k;
	m->nkstack = 2;
	m->ustack = u;
	m->nustack = 2;
	host_mock_exec_init(&ex, &prog, m);
	ck_assert_int_eq(vt_run(&ex, prog.probes[0].unit), VT_FAULT_NONE);
	text_of(out, sizeof(out));
	ck_assert_str_eq(out, "0x4010 0x4020|0xa0 0xb0|0x4020\n");
	e = vt_stack_entry(ex.stacks, vt_stacks_size(prog.nstacks), 1);
	ck_assert(e && e->kind == VT_STACK_KIND_USER && e->pid == 77);
	e = vt_stack_entry(ex.stacks, vt_stacks_size(prog.nstacks), 2);
	ck_assert(e && e->kind == VT_STACK_KIND_KERNEL && e->pid == 0);
	done();
}
END_TEST

START_TEST(test_empty_and_faults)
{
	char out[256];

	ck_assert_int_eq(run("probe begin { printf(\"[%s]\\n\", backtrace())"
			     " }", NULL, 0), VT_FAULT_NONE);
	text_of(out, sizeof(out));
	ck_assert_str_eq(out, "[]\n");
	done();
	ck_assert_int_eq(run("probe begin { print(callers(0)) }", NULL, 0),
			 VT_FAULT_HELPER);
	done();
	ck_assert_int_eq(run("probe begin { print(callers(65)) }", NULL, 0),
			 VT_FAULT_HELPER);
	done();
	ck_assert_int_eq(run("probe begin { print(stack(-1)) }", NULL, 0),
			 VT_FAULT_HELPER);
	done();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_stack");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_dedup);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_entry_checks);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_user);
	tcase_add_test(tc, test_empty_and_faults);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
