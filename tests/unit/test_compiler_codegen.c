// SPDX-License-Identifier: GPL-2.0-only
/* test_compiler_codegen.c - code generation, images the VM accepts, listings. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "vt_vm.h"
#include "host_mock.h"



#define ck_err_has(text) \
	ck_assert_msg(strstr(err_buf, text), "missing '%s' in:\n%s", text, \
		      err_buf)

/* Compile @src to an image and check that the VM's loader accepts it. */
static void compile_and_load(const char *src, int pass)
{
	struct vtc_image img;
	struct vt_prog prog;
	char log[VT_LOG_MAX];

	ck_assert_msg(compile_run(src, pass, &img) == 0, "%s\n%s", src, err_buf);
	ck_assert_ptr_nonnull(img.data);
	ck_assert_msg(vt_prog_load(&prog, img.data, (u32)img.size, log,
				   sizeof(log)) == 0, "%s\n%s", src, log);
	vtc_image_free(&img);
}

START_TEST(test_acceptance)
{
	struct vtc_image img;
	struct vt_prog prog;
	char log[VT_LOG_MAX];

	compile_and_load("probe begin { printf(\"hello %d\\n\", 6*7); exit() }",
			 0);
	ck_assert_int_eq(compile_run("global n; probe kernel.function(\"ksys_read\") "
			     "{ n++ } probe timer.ms(200) { printf(\"%d\\n\", "
			     "n > 0); exit() }", 0, &img), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, log,
				      sizeof(log)), 0);
	ck_assert_int_eq(prog.nunits, 2);
	ck_assert_int_eq(prog.nprobes, 2);
	ck_assert_int_eq(prog.probes[0].type, VT_PROBE_KPROBE);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target), "ksys_read");
	ck_assert_int_eq(prog.probes[1].type, VT_PROBE_TIMER);
	ck_assert_int_eq(prog.probes[1].period_ns, 200000000);
	ck_assert_int_eq(prog.nlglobals, 1);
	ck_assert_str_eq(vt_prog_str(&prog, prog.lglobals[0].name), "n");
	ck_assert_int_eq(prog.nformats, 1);
	ck_assert_str_eq(vt_prog_str(&prog, prog.formats[0].sig), "l");
	ck_assert_int_eq(prog.hdr->strsize, VTC_DEFAULT_STRSIZE);
	ck_assert_int_eq(prog.hdr->budget, VTC_DEFAULT_BUDGET);
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_listing_hello)
{
	ck_assert_int_eq(compile_run("probe begin {\n"
			     "\tprintf(\"hello %d\\n\", 6*7)\n"
			     "\texit()\n}", 3, NULL), 0);
	ck_assert_str_eq(out_buf,
		"unit 0: probe begin (1 registers, 0 slots)\n"
		"  # point begin\n"
		"  # t.stp:2: printf(\"hello %d\\n\", 6*7)\n"
		"     0  LDI     r0, 42\n"
		"     1  PRINTF  r0, s0, \"hello %d\\n\"\n"
		"  # t.stp:3: exit()\n"
		"     2  CALLH   -, r0, s0, exit\n"
		"  # t.stp:1: probe begin {\n"
		"     3  RET\n");
}
END_TEST

START_TEST(test_listing_globals_and_loops)
{
	ck_assert_int_eq(compile_run("global n, s = \"x\"\nprobe end {\n"
			     "\twhile (n < 3) { n++; if (n == 2) continue }\n"
			     "\ts .= \"y\"; x = 5000000000; n = x / 0\n}", 3,
			     NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "LOOP"));
	ck_assert_ptr_nonnull(strstr(out_buf, "GLD     r2, n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "GST     r2, n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "SGLD    s1, s"));
	ck_assert_ptr_nonnull(strstr(out_buf, "SGST    s0, s"));
	ck_assert_ptr_nonnull(strstr(out_buf, "LDC     r0, 5000000000"));
	ck_assert_ptr_nonnull(strstr(out_buf, "DIV"));	/* not folded */
	ck_assert_ptr_nonnull(strstr(out_buf, "JMP     ->0"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global n:long = 0\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global s:string = \"x\"\n"));
}
END_TEST

START_TEST(test_everything_verifies)
{
	static const char *const scripts[] = {
		"global s = \"x\", c, n = -5\n"
		"probe begin, end {\n"
		"  a = 1; b = \"q\" . s\n"
		"  for (i = 0; i < 10; i++) { if (i == 3) continue; "
		"if (i > 7) break; a += i }\n"
		"  for (;;) { break }\n"
		"  while (a > 0) { a--; if (a == 2) next }\n"
		"  c = a ? \"yes\" : \"no\"; s .= b; b .= s; b = b . b\n"
		"  printf(\"%s %d %5.*d %c\\n\", c, a, 3, -a, 65)\n"
		"  x = pid() + tid() * cpu() - -(1 << 40) / 0 % 3\n"
		"  printf(\"%s%d\\n\", execname(), !(a && x || b == \"z\"))\n"
		"  y = x++ + ++x - x-- - --x; n += y; n <<= 2; n >>= 1\n"
		"  n &= 7; n |= 8; n ^= 3; n *= 2; n /= 3; n %= 5; n -= 1\n"
		"  z = n++; z = --n; z = (n = 4); w = (a = 3) ? a : n\n"
		"  t = b < s; t = s >= b; t = \"a\" != b; t = ~a ^ !a\n"
		"  k = gettimeofday_ns() > 0 && a || 0\n"
		"  if (1) a = 1; else a = 2; if (0) a = 3; while (0) a = 4\n"
		"  printf(\"%s\", c = b); printf(\"%d\", 9223372036854775807)\n"
		"}\n"
		"probe timer.s(1) { exit() }\n"
		"probe kernel.function(\"vfs_read\")? { next; n = 1 }\n",
		"probe begin { }",
		("probe begin { printf(\"%s%s%s%s\", \"a\", \"b\" . \"c\", "
		 "execname(), execname() . \"x\") }"),
	};

	for (unsigned i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		compile_and_load(scripts[i], 0);
		compile_and_load(scripts[i], 3);
	}
}
END_TEST

START_TEST(test_line_table)
{
	struct vtc_image img;
	struct vt_prog prog;
	const struct vt_line_desc *l;

	ck_assert_int_eq(compile_run("probe begin {\n  x = 1\n  y = 10 / x\n}", 0,
			     &img), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	for (u32 pc = 0; pc < prog.ncode; pc++) {
		if (prog.code[pc].op != VT_OP_DIV)
			continue;
		l = vt_prog_line(&prog, pc);
		ck_assert_ptr_nonnull(l);
		ck_assert_str_eq(vt_prog_str(&prog, l->file), "t.stp");
		ck_assert_int_eq(l->line, 3);
		ck_assert_int_eq(l->col, 10);
	}
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_strtab_dedup_and_options)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct vtc_options o = {
		.file_name = "t.stp", .strsize = 64, .budget = 77,
		.source = "global a = \"ab\", b = \"ab\", c = \"b\"\n"
			  "probe begin { printf(\"ab\"); printf(\"ab\") }",
	};

	ck_assert_int_eq(vtc_compile(&o, &img), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_int_eq(prog.hdr->strsize, 64);
	ck_assert_int_eq(prog.hdr->budget, 77);
	ck_assert_int_eq(prog.strtab[0], 0);
	ck_assert_int_eq(prog.sglobals[0].init, prog.sglobals[1].init);
	ck_assert_int_eq(prog.sglobals[2].init, prog.sglobals[0].init + 1);
	ck_assert_int_eq(prog.nformats, 1);
	for (int i = 0; i < VT_SECT_SLOTS; i++)
		ck_assert_int_eq(prog.hdr->sect[i].offset % 8, 0);
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_frame_limits)
{
	static char src[8192];
	struct vtc_options o = { .file_name = "t.stp", .strsize = 4096 };
	struct vtc_image img;
	size_t n = (size_t)sprintf(src, "probe begin { ");
	char *eb = NULL;
	size_t el = 0;

	for (int i = 0; i < 20; i++)
		n += (size_t)sprintf(src + n, "s%d = \"x\"; ", i);
	strcat(src, "}");
	o.source = src;
	o.err = open_memstream(&eb, &el);
	ck_assert_int_eq(vtc_compile(&o, &img), -1);
	fclose(o.err);
	ck_assert_ptr_nonnull(strstr(eb, "probe needs a frame of 81920 bytes"));
	free(eb);

	n = (size_t)sprintf(src, "probe begin { ");
	for (int i = 0; i < 300; i++)
		n += (size_t)sprintf(src + n, "v%d = 1; ", i);
	strcat(src, "}");
	ck_assert_int_eq(compile_run(src, 0, NULL), -1);
	ck_err_has("probe too complex");
}
END_TEST

/* Compile @src, run every begin probe, return the printf output. */
static char run_out[8192];

static const char *execute(const char *src)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_exec ex;
	size_t n = 0;

	run_out[0] = 0;
	ck_assert_msg(compile_run(src, 0, &img) == 0, "%s\n%s", src, err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_init(m);
	host_mock_exec_init(&ex, &prog, m);
	for (u32 i = 0; i < prog.nprobes; i++) {
		if (prog.probes[i].type != VT_PROBE_BEGIN)
			continue;
		ex.budget = prog.budget;
		ck_assert_int_eq(vt_run(&ex, prog.probes[i].unit),
				 VT_FAULT_NONE);
	}
	for (u32 r = 0; r < m->nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(m, r);
		long long len;

		if (rec->type != VT_REC_PRINTF)
			continue;
		len = host_mock_format(&prog, rec, run_out + n,
				       (u32)(sizeof(run_out) - n));
		ck_assert_int_ge(len, 0);
		n += (size_t)len;
		ck_assert_uint_lt(n, sizeof(run_out));
	}
	host_mock_exec_free(&ex);
	free(m);
	vtc_image_free(&img);
	return run_out;
}

START_TEST(test_execution)
{
	ck_assert_str_eq(execute("probe begin { printf(\"hello %d\\n\", "
				 "6*7); exit() }"), "hello 42\n");
	ck_assert_str_eq(execute("global g = 5\nprobe begin { x = 1; "
				 "y = x++; z = ++x; a = g++; b = --g; "
				 "printf(\"%d %d %d %d %d %d\", x, y, z, a, b, "
				 "g) }"), "3 1 3 5 5 5");
	ck_assert_str_eq(execute("probe begin { s = 0; for (i = 0; i < 10; "
				 "i++) { if (i == 3) continue; if (i == 8) "
				 "break; s += i } j = 0; while (j < 5) j++; "
				 "printf(\"%d %d %d\", s, i, j) }"),
			 "25 8 5");
	ck_assert_str_eq(execute("global t = \"a\"\nprobe begin { s = \"x\"; "
				 "s .= s; t .= s . \"!\"; u = s < t ? \"lt\" : "
				 "\"ge\"; printf(\"%s %s %s %d %d\", s, t, u, "
				 "s == \"xx\", t != \"axx!\") }"),
			 "xx axx! ge 1 0");
	ck_assert_str_eq(execute("probe begin { a = 0; b = 2; "
				 "printf(\"%d%d%d%d%d\", a && b, a || b, !a, "
				 "!(a || !b), (a = 7) && b) }"), "01111");
	ck_assert_str_eq(execute("probe begin { x = 1 << 40; y = -x >> 3; "
				 "z = 17 % 5 - 9 / 2 ^ 6 | 8 & ~1; a = 17; "
				 "w = a % 5 - 9 / 2 ^ 6 | 8 & ~1; "
				 "printf(\"%d %d %d %d\", x, y, z, w) }"),
			 "1099511627776 -137438953472 -8 -8");
	ck_assert_str_eq(execute("probe begin { printf(\"a\"); next; "
				 "printf(\"b\") } probe begin { printf(\"c\") }"),
			 "ac");
	ck_assert_str_eq(execute("probe begin { x = 3; x *= x + 1; x -= 2; "
				 "x /= 3; x <<= 4; x %= 50; x |= 1; "
				 "printf(\"%d\", x) }"), "49");
}
END_TEST

START_TEST(test_functions)
{
	ck_assert_str_eq(execute("function fib(n) { if (n < 2) return n; "
				 "return fib(n-1) + fib(n-2) }\n"
				 "probe begin { printf(\"%d\", fib(9)) }"),
			 "34");
	ck_assert_str_eq(execute("function f:string (s:string, n) { r = \"\"; "
				 "while (n-- > 0) r .= s; return r }\n"
				 "function g(x) { printf(\"<%s>\", x) }\n"
				 "probe begin { g(f(\"ab\", 3)); g(f(\"x\", 0)) }"),
			 "<ababab><>");
	/* parameters are locals; globals are shared; void functions */
	ck_assert_str_eq(execute("global n = 1\n"
				 "function bump(k) { n += k; k = 0 }\n"
				 "probe begin { k = 5; bump(k); bump(k); "
				 "printf(\"%d %d\", n, k) }"), "11 5");
	/* a long function falling off its end returns 0 */
	ck_assert_str_eq(execute("function z(a) { if (a) return 7 }\n"
				 "function e:string (a) { if (a) return \"y\" }\n"
				 "probe begin { printf(\"%d%d[%s][%s]\", z(1), "
				 "z(0), e(1), e(0)) }"), "70[y][]");
	/* 10 nested calls are fine; types inferred through calls */
	ck_assert_str_eq(execute("function d(n) { return n ? 1 + d(n - 1) "
				 ": 0 }\nfunction id(x) { return x }\n"
				 "probe begin { printf(\"%d %s\", d(9), "
				 "id(\"s\")) }"), "9 s");
	/* callee frames do not clobber the caller's temporaries */
	ck_assert_str_eq(execute("function sq(x) { y = x * x; return y }\n"
				 "probe begin { a = 3; printf(\"%d\", a + "
				 "sq(a + 1) * 2 + sq(sq(2))) }"), "51");
}
END_TEST

START_TEST(test_statements)
{
	ck_assert_str_eq(execute("function f(x) { return 10 / x }\n"
				 "probe begin { try { printf(\"a\"); y = f(0); "
				 "printf(\"b\") } catch (m) { printf(\"[%s]\", m) } "
				 "try { try { z = 1 % 0 } catch { printf(\"i\"); "
				 "z = f(0) } } catch (o) { printf(\"o\") } "
				 "try { printf(\"%d\", f(5)) } catch { printf(\"n\") } }"),
			 "a[division by zero]io2");
	ck_assert_str_eq(execute("global g = 3, s = \"x\"\n"
				 "probe begin { delete g; delete s; t = \"y\"; "
				 "delete t; printf(\"%d[%s][%s]\", g, s, t) }"),
			 "0[][]");
	ck_assert_str_eq(execute("probe begin { s = \"hello world\"; "
				 "printf(\"%d%d%d%d%d%d%d%d\", s =~ \"wor\", "
				 "s =~ \"^world\", s =~ \"d$\", s !~ \"z\", "
				 "\"ab12\" =~ \"^[a-z]+[0-9]{2}$\", "
				 "\"dog\" =~ \"^(cat|dog)$\", \"\" =~ \"^$\", "
				 "\"a.c\" =~ \"a\\\\.c\") }"), "10111111");
	ck_assert_str_eq(execute("global on\nprobe begin if (on) { "
				 "printf(\"no\") } probe begin if (!on) { "
				 "printf(\"yes\") }"), "yes");
}
END_TEST

START_TEST(test_strings_and_print)
{
	ck_assert_str_eq(execute("probe begin { s = sprintf(\"%d-%s|%3s\", 4, "
				 "\"ab\", \"c\"); print(s); println(); "
				 "println(\"a\", 1); printd(\"%\", 1, \"x\"); "
				 "printdln(\", \", 2, 3); print(sprint(5, \"y\") . "
				 "sprintln(6) . sprintd(\"-\", 7, 8) . "
				 "sprintdln(\"+\", \"z\")) }"),
			 "4-ab|  c\na1\n1%x2, 3\n5y6\n7-8z\n");
	ck_assert_str_eq(execute("probe begin { printf(\"%d %s %d %d %d %d\", "
				 "strlen(\"hello\"), substr(\"hello\", 1, 3), "
				 "stringat(\"abc\", 2), isinstr(\"abc\", \"bc\"), "
				 "strpos(\"abc\", \"x\"), strtol(\"-0x1f\", 16)) }"),
			 "5 ell 99 1 -1 -31");
	ck_assert_str_eq(execute("probe begin { printf(\"%s %s %s %s\", "
				 "str_replace(\"aXbXc\", \"X\", \"--\"), "
				 "text_str(\"a\\n\\001\"), string_quoted(\"q\\\"\"), "
				 "text_strn(\"abcdefgh\", 6, 1)) }"),
			 "a--b--c a\\n\\001 \"q\\\"\" \"a\"...");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_codegen");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_acceptance);
	tcase_add_test(tc, test_listing_hello);
	tcase_add_test(tc, test_listing_globals_and_loops);
	tcase_add_test(tc, test_everything_verifies);
	tcase_add_test(tc, test_line_table);
	tcase_add_test(tc, test_strtab_dedup_and_options);
	tcase_add_test(tc, test_frame_limits);
	tcase_add_test(tc, test_execution);
	tcase_add_test(tc, test_functions);
	tcase_add_test(tc, test_strings_and_print);
	tcase_add_test(tc, test_statements);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
