// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_elfsyms.c - user-space probes in the compiler: ELF
 * functions and offsets, DWARF parameters and return types (on a small
 * binary built with cc -g -O0 in the test, and a copy without -g),
 * libc's .dynsym, and the process(...) probe points with their target
 * variables ($return run against the mock host's rax), -x / -c's
 * target_pid and the probe descriptors in the image.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile_run.h"
#include "probes/elfsyms.h"
#include "probes/uprobe.h"
#include "vt_vm.h"

static char dir[] = "/tmp/vt-elfsyms.XXXXXX";
static char bin[PATH_MAX], nodebug[PATH_MAX];

static const char prog_src[] =
	"struct big { long x[4]; };\n"
	"int vt_f1(int a, char *p, double d, unsigned long c)\n"
	"{ return a + (int)c + (p ? 1 : 0) + (int)d; }\n"
	"long vt_f2(struct big b, int after) { return b.x[0] + after; }\n"
	"static int vt_local(void) { return 3; }\n"
	"unsigned char vt_ret_uchar(void) { return 255; }\n"
	"char *vt_ret_ptr(void) { return 0; }\n"
	"void vt_ret_void(void) { }\n"
	"int main(void) { struct big b = { { 1 } };\n"
	"  return vt_f1(1, 0, 2.0, 3) + (int)vt_f2(b, 1) + vt_local(); }\n";

/* The test binary, or exit 1 (outside any test: no ck_assert here). */
static void build_binary(void)
{
	char src[PATH_MAX + 8], cmd[5 * PATH_MAX];
	FILE *f;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(src, sizeof(src), "%s/t.c", dir);
	snprintf(bin, sizeof(bin), "%s/t", dir);
	f = fopen(src, "w");
	if (!f) {
		perror(src);
		exit(1);
	}
	fputs(prog_src, f);
	fclose(f);
	snprintf(nodebug, sizeof(nodebug), "%s/t-nodebug", dir);
	snprintf(cmd, sizeof(cmd), "cc -g -O0 -o %s %s && cc -O0 -o %s %s",
		 bin, src, nodebug, src);
	if (system(cmd)) {
		fprintf(stderr, "cannot build the test binary: %s\n", cmd);
		exit(1);
	}
}

static void remove_binary(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		perror("rm");
}

#define ck_has(buf, text) \
	ck_assert_msg(strstr(buf, text), "missing '%s' in:\n%s", text, buf)

static int compile_src(const char *fmt, int pass, struct vtc_image *img,
		       int target_pid)
{
	static char src[4096];
	struct vtc_options o = { .target_pid = target_pid };

	snprintf(src, sizeof(src), fmt, bin, bin);
	return compile_with(&o, src, pass, img);
}

START_TEST(test_functions)
{
	struct elf_funcs fs;
	const struct elf_func *f;
	char err[256];
	uint64_t off;

	ck_assert_int_eq(elf_funcs_read(bin, &fs, err, sizeof(err)), 0);
	ck_assert(!fs.from_dynsym);
	f = elf_funcs_find(&fs, "vt_f1");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_gt(f->size, 0);
	ck_assert_int_eq(elf_vaddr_offset(bin, f->addr, &off, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(off, f->offset);
	ck_assert_ptr_nonnull(elf_funcs_find(&fs, "vt_local"));	/* static */
	ck_assert_ptr_null(elf_funcs_find(&fs, "vt_nope"));
	for (size_t i = 1; i < fs.n; i++)	/* sorted, unique */
		ck_assert_int_lt(strcmp(fs.names[i - 1], fs.names[i]), 0);
	ck_assert_ptr_null(fs.names[fs.n]);
	elf_funcs_free(&fs);
	ck_assert_int_ne(elf_vaddr_offset(bin, 0x7fff00000000ull, &off, err,
					  sizeof(err)), 0);
	ck_has(err, "no loadable segment");
	ck_assert_int_ne(elf_funcs_read("/nonexistent", &fs, err,
					sizeof(err)), 0);
	ck_has(err, "cannot open");
	ck_assert_int_ne(elf_funcs_read("/etc/passwd", &fs, err,
					sizeof(err)), 0);
	ck_has(err, "not an ELF file");
}
END_TEST

START_TEST(test_libc_dynsym)
{
	char path[PATH_MAX], err[256];
	struct elf_funcs fs;

	ck_assert_int_eq(uprobe_find_binary("libc.so.6", path, sizeof(path)),
			 0);
	ck_assert_int_eq(elf_funcs_read(path, &fs, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(elf_funcs_find(&fs, "getpid"));
	elf_funcs_free(&fs);
	ck_assert_int_eq(uprobe_find_binary("sh", path, sizeof(path)), 0);
	ck_assert(path[0] == '/');
	ck_assert_int_ne(uprobe_find_binary("no-such-binary-here", path,
					    sizeof(path)), 0);
}
END_TEST

START_TEST(test_dwarf_params)
{
	struct elf_proto pr;

	ck_assert_int_eq(elf_proto_read(bin, "vt_f1", &pr), 1);
	ck_assert_uint_eq(pr.nparams, 4);
	ck_assert_str_eq(pr.params[0].name, "a");
	ck_assert_int_eq(pr.params[0].v.kind, 'i');
	ck_assert_int_eq(pr.params[0].v.size, 4);
	ck_assert_int_eq(pr.params[0].v.argno, 1);
	ck_assert_int_eq(pr.params[1].v.kind, 'p');
	ck_assert_int_eq(pr.params[1].v.argno, 2);
	ck_assert_int_eq(pr.params[2].v.kind, 'f');	/* in xmm0 */
	ck_assert_int_eq(pr.params[2].v.argno, 0);
	ck_assert_int_eq(pr.params[3].v.kind, 'u');
	ck_assert_int_eq(pr.params[3].v.argno, 3);	/* floats skip */
	ck_assert_int_eq(pr.ret.kind, 'i');
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(bin, "vt_f2", &pr), 1);
	ck_assert_int_eq(pr.params[1].v.argno, 0);	/* after a struct */
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(bin, "vt_nope", &pr), 0);
}
END_TEST

/* $return in @path's @func.return, run once with rax = @rax. */
static long long run_return(const char *path, const char *func, u64 rax)
{
	static char src[PATH_MAX + 128];

	snprintf(src, sizeof(src), "probe process(\"%s\").function(\"%s\")"
		 ".return { printf(\"%%d\", $return) }", path, func);
	return compile_run_rax(src, rax);
}

START_TEST(test_return)
{
	struct elf_proto pr;

	ck_assert_int_eq(elf_proto_read(bin, "vt_ret_uchar", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'u');
	ck_assert_int_eq(pr.ret.size, 1);
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(bin, "vt_ret_ptr", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'p');
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(bin, "vt_ret_void", &pr), 1);
	ck_assert_int_eq(pr.ret.kind, 'v');
	elf_proto_free(&pr);
	ck_assert_int_eq(elf_proto_read(nodebug, "vt_f1", &pr), 0);

	/* int: rax's low 32 bits, sign-extended, whatever the others are */
	ck_assert_int_eq(run_return(bin, "vt_f1", 0xffffffffull), -1);
	ck_assert_int_eq(run_return(bin, "vt_f1", 0xdead000000000007ull), 7);
	ck_assert_int_eq(run_return(bin, "vt_f2", (u64)-5), -5); /* long */
	ck_assert_int_eq(run_return(bin, "vt_ret_uchar", 0x12345678abcdefffull),
			 255);
	ck_assert_int_eq(run_return(bin, "vt_ret_ptr", 0xffff888012345678ull),
			 (long long)0xffff888012345678ull);
	/* no debug info: all of rax, as before */
	ck_assert_int_eq(run_return(nodebug, "vt_f1", 0xffffffffull),
			 4294967295LL);
	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f1"
				     "\").return { println($return) }", 2,
				     NULL, 0), 0);
	ck_has(out_buf, "println(register(0) << 32 >> 32)");

	/* void: an error at the $return token */
	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\""
				     "vt_ret_void\").return {\n x = $return }",
				     2, NULL, 0), 0);
	ck_has(err_buf, "t.stp:2:6: error: 'vt_ret_void' returns void\n");
	/* int and int agree; int and long read all of rax */
	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f1"
				     "\").return, process(\"%s\").function("
				     "\"vt_local\").return { x = $return }", 2,
				     NULL, 0), 0);
	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f*"
				     "\").return { println($return) }", 2,
				     NULL, 0), 0);
	ck_has(out_buf, "println(register(0))");
}
END_TEST

START_TEST(test_points)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct elf_funcs fs;
	char err[256];

	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     " { println($a + $c + int_arg(1)) } probe "
				     "process(\"%s\").function(\"vt_f*\").return"
				     " { println(1) }", 2, NULL, 0), 0);
	ck_has(out_buf, "println(int_arg(1) + ulong_arg(3) + int_arg(1))");
	ck_has(out_buf, "function(\"vt_f2\").return /* uretprobe ");

	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     ".call, process(\"%s\").statement(0x7fff0000) { }",
				     0, NULL, 0) == 0, 0);
	ck_has(err_buf, "no loadable segment");

	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\"vt_f3\")"
				     " { }", 2, NULL, 0), 0);
	ck_has(err_buf, "did you mean 'vt_f1' or 'vt_f2'?");
	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     " { x = $d }", 2, NULL, 0), 0);
	ck_has(err_buf, "not in an integer register");
	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     " { x = $aa }", 2, NULL, 0), 0);
	ck_has(err_buf, "vt_f1 has no parameter 'aa'; did you mean 'a'");
	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     " { x = $return }", 2, NULL, 0), 0);
	ck_has(err_buf, "only available in .return probes");
	ck_assert_int_ne(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     ".exit { }", 2, NULL, 0), 0);
	ck_has(err_buf, "unknown process.function suffix");
	ck_assert_int_ne(compile_run("probe process.function(\"f\") { }", 2,
				     NULL), 0);
	ck_has(err_buf, "needs a binary");
	/* optional and missing: compiles, never fires */
	ck_assert_int_eq(compile_run("probe process(\"/nonexistent\")"
				     ".function(\"f\")? { }", 2, NULL), 0);

	/* the image: offsets, pids, -x's target_pid */
	ck_assert_int_eq(compile_src("probe process(\"%s\").function(\"vt_f1\")"
				     ", process.begin, process(\"%s\").end, "
				     "process(77).end { print(target()) }", 0,
				     &img, 42), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_int_eq(prog.hdr->target_pid, 42);
	ck_assert_uint_eq(prog.nprobes, 4);
	ck_assert_int_eq(elf_funcs_read(bin, &fs, err, sizeof(err)), 0);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_UPROBE);
	ck_assert_uint_eq(prog.probes[0].offset,
			  elf_funcs_find(&fs, "vt_f1")->offset);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target), bin);
	ck_assert_int_eq(prog.probes[0].pid, 0);
	ck_assert_uint_eq(prog.probes[1].type, VT_PROBE_PROC_BEGIN);
	ck_assert_int_eq(prog.probes[1].pid, 42);	/* -x applies */
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[1].target), "");
	ck_assert_uint_eq(prog.probes[2].type, VT_PROBE_PROC_END);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[2].target), bin);
	ck_assert_int_eq(prog.probes[3].pid, 77);
	elf_funcs_free(&fs);
	vtc_image_free(&img);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("elfsyms");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	build_binary();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_libc_dynsym);
	tcase_add_test(tc, test_dwarf_params);
	tcase_add_test(tc, test_return);
	tcase_add_test(tc, test_points);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_binary();
	return failed ? 1 : 0;
}
