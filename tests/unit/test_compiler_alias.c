// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_alias.c - probe alias expansion (compiler/expand/alias.c):
 * prologues and epilogues, wildcards, suffixes, aliases of aliases,
 * recursion, '?' and '!', elision of unread prologue variables, the
 * merged syscall probe, begin(N)/end(N) order in PROBES, `never`, the
 * error probe type, and the tapset loader (only what is used is kept).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "vt_vm.h"

static const char *const tapset_dirs[] = { "tapset", NULL };

static const struct vtc_options alias_opts = {
	.tracefs = "tests/unit/fixtures/tracefs",
	.tapset_dirs = tapset_dirs,
};

static int run(const char *src, int pass, struct vtc_image *img)
{
	return compile_with(&alias_opts, src, pass, img);
}

#define ck_has(buf, text) \
	ck_assert_msg(strstr(buf, text), "missing '%s' in:\n%s", text, buf)
#define ck_hasnt(buf, text) \
	ck_assert_msg(!strstr(buf, text), "unexpected '%s' in:\n%s", text, buf)

/* Load @img and return its probe count; fails the test if it does not
 * verify. */
static u32 nprobes(struct vtc_image *img, struct vt_prog *prog)
{
	ck_assert_int_eq(vt_prog_load(prog, img->data, (u32)img->size, NULL,
				      0), 0);
	return prog->nprobes;
}

START_TEST(test_prologue_epilogue)
{
	ck_assert_int_eq(run("probe a = begin { x = 1 }\n"
			     "probe b += end { y = x }\n"
			     "probe a { print(x) }\n"
			     "probe b { x = 2 }", 2, NULL), 0);
	/* the prologue's block comes first, the epilogue's last */
	ck_has(out_buf, "probe begin /* begin */ {\n"
	       "\t/* locals: x:long */\n\t{\n\t\tx = 1;\n\t}\n"
	       "\t{\n\t\tprint(x);\n\t}\n}");
	ck_has(out_buf, "probe end /* end */ {\n"
	       "\t/* locals: x:long */\n\t{\n\t\tx = 2;\n\t}\n"
	       "\t{\n\t\t;\n\t}\n}");	/* y is never read: elided */
}
END_TEST

START_TEST(test_pass1_listing)
{
	/* pass 1 prints aliases back; '!' survives */
	ck_assert_int_eq(run("probe a.b = begin!, end? { x = 1 }\n"
			     "probe c += a.b { }\nprobe c { }", 1, NULL), 0);
	ck_has(out_buf, "probe a.b = begin!, end? {\n\tx = 1;\n}\n");
	ck_has(out_buf, "probe c += a.b {\n}\n");
}
END_TEST

START_TEST(test_wildcard_and_suffix)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe w.one = begin { }\n"
			     "probe w.two = end { }\n"
			     "probe w.three.x = begin { }\n"
			     "probe w.* { }", 0, &img), 0);
	ck_assert_uint_eq(nprobes(&img, &prog), 2);
	vtc_image_free(&img);
	/* a use longer than the alias name appends the rest to its points */
	ck_assert_int_eq(run("probe k = kernel.function(\"f\") { }\n"
			     "probe k.return { }", 2, NULL), 0);
	ck_has(out_buf, "probe kernel.function(\"f\").return");
}
END_TEST

START_TEST(test_nested_and_recursion)
{
	ck_assert_int_eq(run("probe in = begin { t = \"i\" }\n"
			     "probe out = in { t .= \"o\" }\n"
			     "probe out { print(t) }", 2, NULL), 0);
	/* the inner alias's prologue, then the outer's, then the body */
	ck_has(out_buf, "t = \"i\";\n\t}\n\t{\n\t\t{\n\t\t\tt .= "
	       "\"o\";\n\t\t}\n\t\t{\n\t\t\tprint(t);");
	ck_assert_int_ne(run("probe x = y { }\nprobe y = x { }\n"
			     "probe x { }", 2, NULL), 0);
	ck_has(err_buf, "is recursive");
	ck_assert_int_ne(run("probe x = x.y { }\nprobe x { }", 2, NULL), 0);
	ck_has(err_buf, "probe alias 'x' is recursive");
}
END_TEST

START_TEST(test_unknown_and_optional)
{
	ck_assert_int_ne(run("probe my.point = begin { }\n"
			     "probe my.pont { }", 2, NULL), 0);
	ck_has(err_buf, "t.stp:2:7: error: unknown probe point 'my.pont'; "
	       "did you mean 'my.point'?");
	ck_assert_int_eq(run("probe nope ?, begin { }", 2, NULL), 0);
	ck_hasnt(out_buf, "nope");
	/* '!': once an alias use matched, the later points are dropped */
	ck_assert_int_eq(run("probe s = begin { }\nprobe s !, end { }", 2,
			     NULL), 0);
	ck_hasnt(out_buf, "probe end");
}
END_TEST

START_TEST(test_priorities)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe begin(5) { }\nprobe end(-1) { }\n"
			     "probe begin { }\nprobe begin(-3), end(2) { }\n"
			     "probe begin(5) { }", 0, &img), 0);
	ck_assert_uint_eq(nprobes(&img, &prog), 6);
	/* stable by priority: begin(-3) end(-1) begin end(... */
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].point),
			 "begin(-3)");
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[1].point), "end(-1)");
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[2].point), "begin");
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[3].point), "end(2)");
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[4].point),
			 "begin(5)");
	ck_assert_uint_eq(prog.probes[4].unit, 0);	/* script order */
	ck_assert_uint_eq(prog.probes[5].unit, 4);
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_never_and_error)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe never { x = 1 }\nprobe error { }\n"
			     "probe begin { }", 0, &img), 0);
	ck_assert_uint_eq(nprobes(&img, &prog), 2);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_ERROR);
	ck_assert_uint_eq(prog.nunits, 3);	/* never's body is compiled */
	vtc_image_free(&img);
	ck_assert_int_ne(run("probe never { x = y }", 2, NULL), 0);
	ck_has(err_buf, "unresolved symbol 'y'");
}
END_TEST

START_TEST(test_tapset_selection)
{
	/* nothing used: no tapset function in the listing */
	ck_assert_int_eq(run("probe begin { }", 2, NULL), 0);
	ck_hasnt(out_buf, "function");
	/* a function pulls in the functions and globals it uses */
	ck_assert_int_eq(run("probe begin { print(tokenize(\"a b\", \" \")) }",
			     2, NULL), 0);
	ck_has(out_buf, "function tokenize:string");
	ck_has(out_buf, "global __tokenize_rest");
	ck_hasnt(out_buf, "function errno_str");
	/* tapset errors name the tapset file; a script function wins */
	ck_assert_int_eq(run("function errno_str(e) { return \"x\" }\n"
			     "probe begin { print(return_str(1, -1)) }", 2,
			     NULL), 0);
	ck_has(out_buf, "function errno_str:string (e:long) {\n\treturn "
	       "\"x\";");
}
END_TEST

START_TEST(test_syscall_tapset)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe syscall.openat { print(filename, "
			     "argstr) }", 2, NULL), 0);
	ck_has(out_buf, "filename = user_string_quoted(_tp_long(24, 8));");
	ck_hasnt(out_buf, "name = \"openat\"");	/* unread: elided */
	/* syscall.* is one probe, not one per alias */
	ck_assert_int_eq(run("global n\nprobe syscall.* { n++ }", 0, &img),
			 0);
	ck_assert_uint_eq(nprobes(&img, &prog), 1);
	vtc_image_free(&img);
	ck_assert_int_eq(run("probe syscall.*.return { print(retstr) }", 2,
			     NULL), 0);
	ck_has(out_buf, "probe syscall.*.return /* tracepoint "
	       "raw_syscalls:sys_exit */");
	/* no alias: the raw point, still with name and $argN */
	ck_assert_int_eq(run("probe syscall.mseal { print(name, $arg1) }", 2,
			     NULL), 0);
	ck_assert_int_ne(run("probe syscall.opnat { }", 2, NULL), 0);
	ck_has(err_buf, "did you mean 'openat'");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alias");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_prologue_epilogue);
	tcase_add_test(tc, test_pass1_listing);
	tcase_add_test(tc, test_wildcard_and_suffix);
	tcase_add_test(tc, test_nested_and_recursion);
	tcase_add_test(tc, test_unknown_and_optional);
	tcase_add_test(tc, test_priorities);
	tcase_add_test(tc, test_never_and_error);
	tcase_add_test(tc, test_tapset_selection);
	tcase_add_test(tc, test_syscall_tapset);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
