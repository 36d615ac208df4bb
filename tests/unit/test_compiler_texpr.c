// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_texpr.c - typed target expressions (compiler/probes/
 * texpr.c) over the BTF fixture of btf_fixture.h: the rewritten listing
 * of a chain (one _deref per pointer, offsets folded), @cast(0, ...)
 * compiling to a loadable image, and values read from a fake task_struct
 * in the mock host's kernel memory (signed and unsigned members,
 * bitfields, arrays by constant and variable index, a pointer followed,
 * an anonymous union, a char array as a string), plus the faults.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btf_fixture.h"
#include "compile_run.h"
#include "host_mock.h"
#include "vt_vm.h"

static char btf_path[] = "/tmp/vtrace-texpr-XXXXXX";
static char btf_dir[] = "/tmp/vtrace-texpr-dir-XXXXXX";

#define ck_out_has(text) \
	ck_assert_msg(strstr(out_buf, text), "missing '%s' in:\n%s", text, \
		      out_buf)

/* Exits 1 when it cannot (outside any test: no ck_assert). */
static void setup_btf(void)
{
	int fd = mkstemp(btf_path);

	if (fd < 0 || close(fd) || btf_fixture_write(btf_path) ||
	    !mkdtemp(btf_dir)) {
		perror("btf fixture");
		exit(1);
	}
	setenv("VTRACE_BTF", btf_path, 1);
	setenv("VTRACE_BTF_DIR", btf_dir, 1);
}

#define KF "probe kernel.function(\"vfs_read\") "

START_TEST(test_listing)
{
	ck_assert_int_eq(compile_run(KF "{ println(kernel_string($file->"
				     "f_path->dentry->d_name->name)) }", 2,
				     NULL), 0);
	/* f_path.dentry at 8 + 8, a pointer read; d_name.name at 16 + 8 */
	ck_out_has("println(kernel_string(_deref(_deref(pointer_arg(1) + 16, "
		   "8) + 24, 8)));");
	ck_assert_int_eq(compile_run(KF "{ x = $file->f_path->dentry->"
				     "d_parent->d_flags }", 3, NULL), 0);
	/* three reads: dentry, d_parent (pointers, how 8), d_flags (u32,
	 * how 4) */
	ck_out_has("CALLH   r5, r6, s0, pointer_arg\n"
		   "     2  LDI     r6, 16\n"
		   "     3  ADD     r4, r5, r6\n"
		   "     4  LDI     r5, 8\n"
		   "     5  CALLH   r3, r4, s0, _deref\n"
		   "     6  LDI     r4, 8\n"
		   "     7  ADD     r2, r3, r4\n"
		   "     8  LDI     r3, 8\n"
		   "     9  CALLH   r1, r2, s0, _deref\n"
		   "    10  LDI     r2, 4\n"
		   "    11  CALLH   r0, r1, s0, _deref\n"
		   "    12  RET\n");
	ck_assert_int_eq(compile_run(KF "{ x = &$file->f_pos; y = $pos[0]; "
				     "z = $count; w = $pos[z] }", 2, NULL), 0);
	ck_out_has("x = pointer_arg(1) + 24;");
	ck_out_has("y = _deref(pointer_arg(4), 24);");	/* loff_t: signed 8 */
	ck_out_has("z = ulong_arg(3);");
	ck_out_has("w = _deref(pointer_arg(4) + z * 8, 24);");
}
END_TEST

START_TEST(test_cast_compiles)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_msg(compile_run("probe begin { x = @cast(0, \"task_struct\")"
				  "->pid; y = @cast(task_current(), \"struct "
				  "task_struct\")->tgid == pid() }", 0, &img)
		      == 0, "%s", err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	vtc_image_free(&img);
	ck_assert_int_eq(compile_run("probe begin { x = @cast(0, \"task_struct\")"
				     "->pid }", 2, NULL), 0);
	ck_out_has("x = _deref(12, 20);");	/* pid_t: signed 4 */
	/* bitfields: shift and mask of their unsigned int unit */
	ck_assert_int_eq(compile_run("probe begin { a = @cast(0, \"task_struct\")"
				     "->bf->a; b = @cast(0, \"task_struct\")"
				     "->bf->b; c = @cast(0, \"task_struct\")"
				     "->bf->c }", 2, NULL), 0);
	ck_out_has("a = _deref(72, 4) & 7;");
	ck_out_has("b = _deref(72, 4) << 56 >> 59;");
	ck_out_has("c = _deref(72, 4) >> 8 & 16777215;");
}
END_TEST

#define BASE 0x1000ull

struct fake { unsigned char b[256]; };

static void put(struct fake *f, unsigned off, const void *v, size_t n)
{
	memcpy(f->b + off, v, n);
}

/* A task_struct at BASE whose parent is another at BASE + 128. */
static void fake_tasks(struct fake *f)
{
	long state = -3;
	unsigned flags = 0xfffffffe, bits = 5 | 25u << 3 | 0xabcdefu << 8;
	int pid = -5, tgid = 77, ptgid = 99, arr[4] = { 10, 20, -30, 40 };
	unsigned long long parent = BASE + 128, ul = 0x1122334455667788ull;
	unsigned st = 1;

	memset(f, 0, sizeof(*f));
	put(f, 0, &state, 8);
	put(f, 8, &flags, 4);
	put(f, 12, &pid, 4);
	put(f, 16, &tgid, 4);
	put(f, 20, "mocktask", 9);
	put(f, 40, &parent, 8);
	put(f, 64, &ul, 8);
	put(f, 72, &bits, 4);
	put(f, 76, arr, 16);
	put(f, 104, &st, 4);
	put(f, 128 + 16, &ptgid, 4);
}

/* Run the begin probe of @src; its printed output into @out. */
static enum vt_fault run_begin(const char *src, char *out, size_t size)
{
	static struct host_mock m;
	struct vtc_image img;
	struct vt_prog prog;
	struct vt_exec ex;
	enum vt_fault f;

	ck_assert_msg(compile_run(src, 0, &img) == 0, "%s\n%s", src, err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_init(&m);
	host_mock_exec_init(&ex, &prog, &m);
	f = vt_run(&ex, prog.probes[0].unit);
	out[0] = 0;
	for (u32 r = 0; r < m.nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(&m, r);
		size_t len = strlen(out);

		if (rec->type == VT_REC_PRINTF)
			ck_assert_int_ge(host_mock_format(&prog, rec, out + len,
							  (u32)(size - len)), 0);
	}
	host_mock_exec_free(&ex);
	vtc_image_free(&img);
	return f;
}

#define T "@cast(4096, \"task_struct\")"

START_TEST(test_values)
{
	static struct fake f;
	char out[512];

	fake_tasks(&f);
	host_mock_set_memory(false, BASE, f.b, sizeof(f.b));
	ck_assert_int_eq(run_begin("probe begin { i = 3; printf(\"%d %d %d "
				   "%d %d|%d %d %d|%d %d|%d %d %d|%s\", "
				   T "->__state, " T "->flags, " T "->pid, "
				   T "->tgid, " T "->st, "
				   T "->bf->a, " T "->bf->b, " T "->bf->c, "
				   T "->arr[2], " T "->arr[i], "
				   T "->parent->tgid, " T "->u_int, "
				   T "->u_long, kernel_string(" T "->comm)) }",
				   out, sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "-3 4294967294 -5 77 1|5 -7 11259375|-30 40|"
			 "99 1432778632 1234605616436508552|mocktask");
	host_mock_set_memory(false, 0, NULL, 0);
}
END_TEST

START_TEST(test_faults)
{
	char out[512];

	/* nothing readable: the first read faults, at the script's line */
	ck_assert_int_eq(run_begin("probe begin { println(" T "->parent->"
				   "pid) }", out, sizeof(out)),
			 VT_FAULT_READ);
	ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_texpr");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	setup_btf();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_listing);
	tcase_add_test(tc, test_cast_compiles);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_faults);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(btf_path);
	rmdir(btf_dir);
	return failed ? 1 : 0;
}
