// SPDX-License-Identifier: GPL-2.0-only
/* test_compiler_sema.c - name resolution, type inference, probe points, printf checks. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "vtrace_uapi.h"



#define ck_err_has(text) \
	ck_assert_msg(strstr(err_buf, text), "missing '%s' in:\n%s", text, \
		      err_buf)

START_TEST(test_inference)
{
	ck_assert_msg(compile_run("global n, s, t = \"x\", u = -4\n"
			  "probe begin { a = b; b = c; c = s . \"\"; n = 1; "
			  "d = e = 2; f = n > 0 ? t : s }", 2, NULL) == 0,
		      "%s", err_buf);
	ck_assert_ptr_nonnull(strstr(out_buf, "global n:long\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global s:string\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global t:string = \"x\"\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global u:long = -4\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "/* locals: a:string "
				     "b:string c:string d:long e:long "
				     "f:string */"));
}
END_TEST

START_TEST(test_functions)
{
	/* parameter and return types flow both ways across calls */
	ck_assert_msg(compile_run("function f(a, b) { return a . b }\n"
			  "function g(n) { return n < 2 ? n : g(n - 1) }\n"
			  "function h(x) { printf(\"%d\", x) }\n"
			  "function unused(z) { }\n"
			  "probe begin { s = f(\"x\", t); t = \"y\"; h(g(3)) }",
			  2, NULL) == 0, "%s", err_buf);
	ck_assert_ptr_nonnull(strstr(out_buf, "function f:string (a:string, "
				     "b:string) {"));
	ck_assert_ptr_nonnull(strstr(out_buf, "function g:long (n:long) {"));
	ck_assert_ptr_nonnull(strstr(out_buf, "function h (x:long) {"));
	ck_assert_ptr_nonnull(strstr(out_buf, "function unused (z) {"));
	ck_assert_int_eq(compile_run("function f(a) { return a }\n"
			     "probe begin { x = f(1); y = f(\"s\") }", 2,
			     NULL), -1);
	ck_err_has("2:31: error: type mismatch: parameter 'a' of 'f' is "
		   "long, passed a string");
	ck_assert_int_eq(compile_run("function f(a) { return a }\n"
			     "probe begin { x = f(1, 2) }", 2, NULL), -1);
	ck_err_has("2:19: error: function 'f' takes 1 argument, got 2");
	ck_assert_int_eq(compile_run("function f(a) { a = 1 }\n"
			     "probe begin { x = f(1) }", 2, NULL), -1);
	ck_err_has("2:19: error: 'f' returns no value");
	ck_assert_int_eq(compile_run("function f:string(a) { return 1 }\n"
			     "probe begin { f(1) }", 2, NULL), -1);
	ck_err_has("1:31: error: type mismatch: function 'f' returns string, "
		   "here a long");
	ck_assert_int_eq(compile_run("function f(a) { return f(a) }\n"
			     "probe begin { f(1) }", 2, NULL), -1);
	ck_err_has("1:10: error: cannot infer the return type of function 'f'");
	ck_assert_int_eq(compile_run("probe begin { return 1 }", 2, NULL), -1);
	ck_err_has("1:15: error: 'return' outside a function");
	ck_assert_int_eq(compile_run("function f() { next }\nprobe begin { f() }", 2,
			     NULL), -1);
	ck_err_has("1:16: error: 'next' inside a function is not supported");
	ck_assert_int_eq(compile_run("function f() {}\nfunction f() {}\n"
			     "probe begin { f() }", 2, NULL), -1);
	ck_err_has("2:10: error: duplicate function 'f' (first defined at "
		   "line 1)");
	ck_assert_int_eq(compile_run("function println() {}\nprobe begin { }", 2,
			     NULL), -1);
	ck_err_has("is builtin and cannot be redefined");
	ck_assert_int_eq(compile_run("function fo() {}\nprobe begin { foo() }", 2,
			     NULL), -1);
	ck_err_has("unknown function 'foo'; did you mean 'fo'?");
	ck_assert_int_eq(compile_run("probe begin { printd(x, 1) }", 2, NULL), -1);
	ck_err_has("1:22: error: printd needs a string literal delimiter");
	ck_assert_int_eq(compile_run("probe begin { print() }", 2, NULL), -1);
	ck_err_has("1:15: error: print needs at least one argument");
	ck_assert_int_eq(compile_run("probe begin { x = \"a\" =~ \"(b\" }", 2, NULL),
			 -1);
	ck_err_has("1:26: error: missing ')'");
	ck_assert_int_eq(compile_run("probe begin { r = \"a\"; x = \"a\" =~ r }", 2,
			     NULL), -1);
	ck_err_has("1:35: error: a regular expression must be a string "
		   "literal");
	ck_assert_int_eq(compile_run("probe begin { x = \"a\" =~ \"a{99}\" }", 2,
			     NULL), -1);
	ck_err_has("error: repetition count too large");
	ck_assert_int_eq(compile_run("probe begin { substr(1, 2, 3) }", 2, NULL), -1);
	ck_err_has("1:22: error: type mismatch: long expression used as "
		   "string");
}
END_TEST

START_TEST(test_inference_across_probes)
{
	/* g's type comes from a later probe; x from printf's format */
	ck_assert_msg(compile_run("global g, x\nprobe begin { printf(\"%s\", g) }\n"
			  "probe end { h = g; printf(\"%d\\n\", x) }", 2,
			  NULL) == 0, "%s", err_buf);
	ck_assert_ptr_nonnull(strstr(out_buf, "global g:string\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "global x:long\n"));
	ck_assert_ptr_nonnull(strstr(out_buf, "h:string"));
}
END_TEST

START_TEST(test_resolved_points)
{
	ck_assert_int_eq(compile_run("probe begin, end, kernel.function(\"ksys_read\")?,"
			     " timer.ms(200), timer.s(2), timer.us(5) {}", 2,
			     NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "begin /* begin */, end /* end */"));
	ck_assert_ptr_nonnull(strstr(out_buf, "kernel.function(\"ksys_read\")? "
				     "/* kprobe ksys_read optional */"));
	ck_assert_ptr_nonnull(strstr(out_buf, "timer.ms(200) /* timer every "
				     "200000000 ns */"));
	ck_assert_ptr_nonnull(strstr(out_buf, "every 2000000000 ns"));
	ck_assert_ptr_nonnull(strstr(out_buf, "every 5000 ns"));
}
END_TEST

START_TEST(test_type_conflicts)
{
	ck_assert_int_eq(compile_run("global x = \"s\"\nprobe begin { y = x + 1 }", 2,
			     NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:2:19: error: type mismatch: 'x' is "
			 "string, used as long\n"
			 "probe begin { y = x + 1 }\n"
			 "                  ^\n");
	ck_assert_int_eq(compile_run("probe begin { a = 1; a = \"s\" }", 2, NULL), -1);
	ck_err_has("1:26: error: type mismatch: 'a' is long, assigned a string");
	ck_assert_int_eq(compile_run("probe begin { a = \"x\" == 1 }", 2, NULL), -1);
	ck_err_has("1:26: error: type mismatch: long expression used as string");
	ck_assert_int_eq(compile_run("probe begin { if (\"x\") exit() }", 2, NULL), -1);
	ck_err_has("1:19: error: type mismatch: string expression used as long");
	ck_assert_int_eq(compile_run("probe begin { x = exit() }", 2, NULL), -1);
	ck_err_has("'exit' returns no value");
	ck_assert_int_eq(compile_run("probe begin { s = \"a\"; s++ }", 2, NULL), -1);
	ck_err_has("'s' is string, used as long");
	ck_assert_int_eq(compile_run("probe begin { a = b; b = a }", 2, NULL), -1);
	ck_err_has("cannot infer the type of 'a'");
}
END_TEST

START_TEST(test_unresolved_and_unknown)
{
	ck_assert_int_eq(compile_run("global count\nprobe begin { x = cuont + 1 }", 2,
			     NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:2:19: error: unresolved symbol "
			 "'cuont'; did you mean 'count'?\n"
			 "probe begin { x = cuont + 1 }\n"
			 "                  ^\n");
	ck_assert_int_eq(compile_run("probe begin { x = pidd() }", 2, NULL), -1);
	ck_err_has("1:19: error: unknown function 'pidd'; did you mean 'pid'?");
	ck_assert_int_eq(compile_run("probe begin { x = frob() }", 2, NULL), -1);
	ck_err_has("unknown function 'frob'\n");
	ck_assert_int_eq(compile_run("probe begin { x = pid(1) }", 2, NULL), -1);
	ck_err_has("1:19: error: pid() takes 0 arguments, got 1");
	ck_assert_int_eq(compile_run("probe kprobe.function(\"x\") {}", 2, NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:1:7: error: unknown probe point "
			 "'kprobe.function(\"x\")'\n"
			 "probe kprobe.function(\"x\") {}\n"
			 "      ^\n");
	ck_assert_int_eq(compile_run("probe timer.ms(0) {} probe timer.s(-1) {}", 2,
			     NULL), -1);
	ck_err_has("1:13: error: timer period must be positive");
	ck_err_has("1:34: error: timer period must be positive");
	ck_assert_int_eq(compile_run("probe kernel.function(\"sys_*\") {}", 2, NULL),
			 -1);
	ck_err_has("1:14: error: cannot expand kernel.function(\"sys_*\")");
	ck_assert_int_eq(compile_run("global a, a\nprobe begin { a = 1 }", 2, NULL),
			 -1);
	ck_err_has("1:11: error: duplicate global 'a'");
	ck_assert_int_eq(compile_run("probe begin { break; continue }", 2, NULL), -1);
	ck_err_has("1:15: error: 'break' outside a loop");
	ck_err_has("1:22: error: 'continue' outside a loop");
	ck_assert_int_eq(compile_run("probe begin { x = $1 }", 2, NULL), -1);
	ck_err_has("1:19: error: command line argument index 1 out of range [1-0]");
}
END_TEST

/* One "did you mean" policy (lang/suggest.h): every name at the smallest
 * distance, at most three, each once; the distance allowed grows with
 * the name's length. */
START_TEST(test_suggestions)
{
	ck_assert_int_eq(compile_run("global ab, ac\nprobe begin { x = aa }",
				     2, NULL), -1);
	ck_err_has("unresolved symbol 'aa'; did you mean 'ab' or 'ac'?\n");
	ck_assert_int_eq(compile_run("global ab, ac, ad, ae\n"
				     "probe begin { x = aa }", 2, NULL), -1);
	ck_err_has("did you mean 'ab', 'ac' or 'ad'?\n");
	/* 4 characters: 2 edits (a transposition) */
	ck_assert_int_eq(compile_run("probe begin { exti() }", 2, NULL), -1);
	ck_err_has("unknown function 'exti'; did you mean 'exit'?\n");
	/* more than 8 characters: 3 edits */
	ck_assert_int_eq(compile_run("function compute_total() { return 1 }\n"
				     "probe begin { x = compute_tt() }", 2,
				     NULL), -1);
	ck_err_has("unknown function 'compute_tt'; did you mean "
		   "'compute_total'?\n");
	/* aliases: the closest only */
	ck_assert_int_eq(compile_run("probe my.point = begin { }\n"
				     "probe my.points = begin { }\n"
				     "probe my.pint { }", 2, NULL), -1);
	ck_err_has("unknown probe point 'my.pint'; did you mean "
		   "'my.point'?\n");
}
END_TEST

START_TEST(test_printf_checks)
{
	ck_assert_int_eq(compile_run("probe begin { printf(\"%d %s %*.*x %% %c %-5b "
			     "%+i %#o %u %X %p %m %M\\n\", 1, \"s\", 2, 3, 4, "
			     "5, 6, 7, 8, 9, 10, 11, 12, 13) }", 2, NULL), 0);
	ck_assert_int_eq(compile_run("probe begin { printf(\"%d %s\\n\", 1) }", 2,
			     NULL), -1);
	ck_err_has("1:15: error: too few arguments for printf: the format "
		   "takes 2, got 1");
	ck_assert_int_eq(compile_run("probe begin { printf(\"%d\\n\", 1, 2) }", 2,
			     NULL), -1);
	ck_err_has("1:33: error: too many arguments for printf: the format "
		   "takes 1");
	ck_assert_int_eq(compile_run("probe begin { printf(\"%d\\n\", \"s\") }", 2,
			     NULL), -1);
	ck_err_has("1:30: error: type mismatch: string expression used as "
		   "long");
	ck_assert_int_eq(compile_run("probe begin { printf(\"%s\", 1) }", 2, NULL), -1);
	ck_err_has("1:28: error: type mismatch: long expression used as "
		   "string");
	ck_assert_int_eq(compile_run("probe begin { f = \"%d\"; printf(f, 1) }", 2,
			     NULL), -1);
	ck_err_has("1:32: error: printf format must be a string literal");
	ck_assert_int_eq(compile_run("probe begin { printf(\"%q\", 1) }", 2, NULL), -1);
	ck_err_has("1:23: error: invalid conversion '%q' in format");
	ck_assert_int_eq(compile_run("probe begin { printf(\"a\\tb\\x41\\101 %d %-3.2y\", "
			     "1) }", 2, NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:1:39: error: invalid conversion '%y' "
			 "in format\n"
			 "probe begin { printf(\"a\\tb\\x41\\101 %d %-3.2y\", 1) }\n"
			 "                                      ^\n");
	ck_assert_int_eq(compile_run("probe begin { printf(\"abc %\") }", 2, NULL), -1);
	ck_err_has("incomplete conversion at the end of the format");
	ck_assert_int_eq(compile_run("probe begin { printf() }", 2, NULL), -1);
	ck_err_has("printf needs a format string");
}
END_TEST

/* A format text longer than the loader takes is an error at the literal. */
START_TEST(test_printf_too_long)
{
	char src[VT_STRING_MAX + 128];
	int n;

	for (int len = (int)VT_STRING_MAX; len <= (int)VT_STRING_MAX + 1;
	     len++) {
		n = snprintf(src, sizeof(src), "probe begin {\n  s = sprintf(\"");
		memset(src + n, 'x', (size_t)len);
		snprintf(src + n + len, sizeof(src) - (size_t)(n + len),
			 "\") }");
		if (len == (int)VT_STRING_MAX) {
			ck_assert_msg(compile_run(src, 4, NULL) == 0, "%s",
				      err_buf);
			continue;
		}
		ck_assert_int_eq(compile_run(src, 4, NULL), -1);
		ck_err_has("t.stp:2:15: error: format of 4097 bytes, at most "
			   "4096");
	}
}
END_TEST

START_TEST(test_no_probes)
{
	ck_assert_int_eq(compile_run("global x", 3, NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp: error: no probes found\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_sema");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_inference);
	tcase_add_test(tc, test_inference_across_probes);
	tcase_add_test(tc, test_resolved_points);
	tcase_add_test(tc, test_type_conflicts);
	tcase_add_test(tc, test_unresolved_and_unknown);
	tcase_add_test(tc, test_suggestions);
	tcase_add_test(tc, test_printf_checks);
	tcase_add_test(tc, test_printf_too_long);
	tcase_add_test(tc, test_no_probes);
	tcase_add_test(tc, test_functions);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
