// SPDX-License-Identifier: GPL-2.0-only
/* test_compiler_parser.c - parsing, the pass 1 listing, syntax errors. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"



#define ck_err_has(text) \
	ck_assert_msg(strstr(err_buf, text), "missing '%s' in:\n%s", text, \
		      err_buf)

/* print(parse(x)) must parse back to the same listing. */
static void roundtrip(const char *src)
{
	char first[65536];

	ck_assert_msg(compile_run(src, 1, NULL) == 0, "%s", err_buf);
	snprintf(first, sizeof(first), "%s", out_buf);
	ck_assert_msg(compile_run(first, 1, NULL) == 0, "%s\n%s", first, err_buf);
	ck_assert_str_eq(out_buf, first);
}

START_TEST(test_roundtrip)
{
	static const char *const scripts[] = {
		"probe begin { printf(\"hello %d\\n\", 6*7); exit() }",
		"global a, b = 5, c = \"x\", d = -3\n"
		"probe kernel.function(\"ksys_read\")?, timer.ms(200) "
		"{ a++; --b; c .= \"y\" }",
		"probe end { x = 1 - (2 - 3) - 4 * (5 + 6) / 7 % 8 }",
		"probe end { x = a ? b : c ? d : e; y = (a ? b : c) ? 1 : 2 }",
		"probe end { x = y = z += 3; w = (x = 2) + 1 }",
		"probe end { x = - -a; y = -(-a); z = ! ~-a; v = !!a; w = a++ + ++b }",
		"probe end { if (a) if (b) x = 1; else x = 2 }",
		"probe end { if (a) { if (b) x = 1 } else x = 2 }",
		("probe end { for (;;) break; for (i = 0; i < 3; i++) "
		 "{ continue } while (1) { next } ; ; }"),
		"probe end { s = \"a\\\"b\\\\c\\n\\t\\001\\377\" . \"x\" }",
		"probe end { x = a << 1 >> 2 & 3 | 4 ^ 5 && 6 || !7 }",
		"probe end { x = (a || b) && c; y = a < b == c != d >= e }",
		"probe end { x = 0xffffffffffffffff + 9223372036854775807 }",
		"probe timer.s(1), end { x = a . b . (c . d) }",
		("probe end { foreach ([k, v-] in m[*, \"x\" . y, *] limit 2) "
		 "delete m[k, *, *]; z = [*, 1, *] in m; w = !([*] in n) }"),
		/* target expressions */
		("probe end { x = $f->f_path->dentry[i + 1]->next->in; "
		 "y = $v[2][3]; z = -&$x->a & &@var(\"v@a.c\", \"k\")->b }"),
		("probe end { x = @cast(t(), \"task_struct\")->pid == 1; "
		 "y = @cast(p, \"struct file *\", \"kernel<linux/fs.h>\")[0]; "
		 "z = @defined($a->b) ? @choose_defined($a, $b->c) : 0 }"),
		("probe end { printf(\"%s%s%s%s\", $a$, ($b)->c$$, $$vars, "
		 "$$parms$); print($$locals$$, $$return, &@cast(0, \"t\")) }"),
	};

	for (unsigned i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		roundtrip(scripts[i]);
}
END_TEST

START_TEST(test_canonical_text)
{
	ck_assert_int_eq(compile_run("global n=1;probe begin{n=(1+2)*3 ;printf(\"%d\\n\",n)}",
			     1, NULL), 0);
	ck_assert_str_eq(out_buf, "global n = 1\n"
			 "probe begin {\n"
			 "\tn = (1 + 2) * 3;\n"
			 "\tprintf(\"%d\\n\", n);\n"
			 "}\n");
	ck_assert_int_eq(compile_run("probe end { if (x) y = 1 else { y = 2 } }", 1,
			     NULL), 0);
	ck_assert_str_eq(out_buf, "probe end {\n"
			 "\tif (x)\n"
			 "\t\ty = 1;\n"
			 "\telse {\n"
			 "\t\ty = 2;\n"
			 "\t}\n"
			 "}\n");
}
END_TEST

START_TEST(test_missing_brace)
{
	ck_assert_int_eq(compile_run("probe begin { x = 1", 1, NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:1:20: error: expected '}' but found "
			 "end of input\n"
			 "probe begin { x = 1\n"
			 "                   ^\n");
}
END_TEST

START_TEST(test_error_caret_tabs)
{
	ck_assert_int_eq(compile_run("probe begin {\n\tx = (1 + ;\n}", 1, NULL), -1);
	ck_assert_str_eq(err_buf, "t.stp:2:11: error: expected an expression "
			 "but found ';'\n"
			 "\tx = (1 + ;\n"
			 "\t         ^\n");
}
END_TEST

START_TEST(test_several_errors)
{
	ck_assert_int_eq(compile_run("probe begin { x = ; y = 1 +; z = ) }\n"
			     "probe end { a = 1 }\n"
			     "bogus\n"
			     "probe end { (1 }", 1, NULL), -1);
	ck_err_has("t.stp:1:19: error: expected an expression but found ';'");
	ck_err_has("t.stp:1:28: error: expected an expression but found ';'");
	ck_err_has("t.stp:1:34: error: expected an expression but found ')'");
	ck_err_has("t.stp:3:1: error: expected 'probe', 'global' or "
		   "'function' but found 'bogus'");
	ck_err_has("t.stp:4:16: error: expected ')' but found '}'");
}
END_TEST

START_TEST(test_statement_errors)
{
	ck_assert_int_eq(compile_run("probe begin { 1 = 2 }", 1, NULL), -1);
	ck_err_has("1:17: error: left side of '=' is not assignable");
	ck_assert_int_eq(compile_run("probe begin { (a)++; 3++ }", 1, NULL), -1);
	ck_err_has("1:23: error: operand of '++' is not assignable");
	ck_assert_int_eq(compile_run("probe begin { for (i = 0 i < 3; i++) x = 1 }",
			     1, NULL), -1);
	ck_err_has("1:26: error: expected ';' but found 'i'");
	ck_assert_int_eq(compile_run("probe begin { foreach ([x+, y-] in a) {} }",
			     1, NULL), -1);
	ck_err_has("1:29: error: only one sort marker is allowed in a foreach");
	/* '*' keys: slices in foreach, delete and 'in' only */
	ck_assert_int_eq(compile_run("probe begin { foreach ([x] in a[*] + 1) "
			     "{} }", 1, NULL), -1);
	ck_err_has("1:38: error: expected ')' but found '1'");
	ck_assert_int_eq(compile_run("probe begin { print(a[*]) }", 1, NULL), -1);
	ck_err_has("1:23: error: a '*' key (array slice) is only allowed");
	ck_assert_int_eq(compile_run("probe begin { x = [1, *] in a; delete a[*, *] }",
			     1, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "\tx = [1, *] in a;\n"
				     "\tdelete a[*, *];\n"));
	/* %( %) preprocessing: $# is 0 here, arch and kernel_v unknown */
	ck_assert_int_eq(compile_run("%( $# == 0 && arch == \"\" %? probe begin "
			     "{ } %: 1 2 3 %)", 1, NULL), 0);
	ck_assert_int_eq(compile_run("%( $# > 0 %? x %: probe begin { "
			     "%( @# != \"0\" %? y %: z = 1 %) } %)", 1, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "z = 1;"));
	/* @define macros, with parameters, nested uses and conditionals */
	ck_assert_int_eq(compile_run("@define SQ(x) %( ((@x) * (@x)) %)\n"
			     "@define ONE %( %( $# == 0 %? 1 %: 2 %) %)\n"
			     "probe begin { y = @SQ(@ONE + 2) }", 1, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "y = (1 + 2) * (1 + 2);"));
	ck_assert_int_eq(compile_run("@define F(a) %( @a %)\nprobe begin { @F(1, 2) }",
			     1, NULL), -1);
	ck_err_has("2:15: error: wrong number of macro arguments");
	ck_assert_int_eq(compile_run("@define R %( @R %)\nprobe begin { x = @R }", 1,
			     NULL), -1);
	ck_err_has("error: too many macro expansions");
	ck_assert_int_eq(compile_run("@define %( 1 %)", 1, NULL), -1);
	ck_err_has("1:9: error: expected a macro name after @define");
	ck_assert_int_eq(compile_run("%( $# == 0 %? probe begin { }", 1, NULL), -1);
	ck_err_has("error: missing '%)'");
	ck_assert_int_eq(compile_run("%( $# = 0 %? %)", 1, NULL), -1);
	ck_err_has("1:7: error: expected a comparison operator");
	ck_assert_int_eq(compile_run("function f(a, 3) { }", 1, NULL), -1);
	ck_err_has("1:15: error: expected a parameter name but found '3'");
	ck_assert_int_eq(compile_run("function f:int() { }", 1, NULL), -1);
	ck_err_has("1:12: error: expected 'long' or 'string' but found 'int'");
	ck_assert_int_eq(compile_run("function f(a, a) { }", 1, NULL), -1);
	ck_err_has("1:15: error: duplicate parameter 'a'");
	ck_assert_int_eq(compile_run("function f:long(a:string, b) { return a }\n"
			     "probe begin { return }", 1, NULL), 0);
	ck_assert_int_eq(compile_run("probe kernel.function(x) {}", 1, NULL), -1);
	ck_err_has("1:23: error: expected a string or number but found 'x'");
	ck_assert_int_eq(compile_run("global 5", 1, NULL), -1);
	ck_err_has("1:8: error: expected a variable name but found '5'");
	ck_assert_int_eq(compile_run("probe begin", 1, NULL), -1);
	ck_err_has("1:12: error: expected '{' but found end of input");
}
END_TEST

START_TEST(test_target_syntax)
{
	static const struct { const char *src, *err; } bad[] = {
		{ "x = y->a", "1:20: error: '->' needs a target variable, "
		  "@cast(...) or @var(...) on its left" },
		{ "x = f()->a", "1:22: error: '->' needs a target variable" },
		{ "x = &y", "1:19: error: '&' takes a target expression: "
		  "&$var->member, &@var(\"name\") or &@cast(...)->member" },
		{ "x = & &$y", "1:21: error: expected an expression but found '&'" },
		{ "x = @cast(p)", "1:26: error: expected ',' but found ')'" },
		{ "x = @cast(p, t)", "1:28: error: expected a type name string "
		  "but found 't'" },
		{ "x = @cast(p, \"t\", 1)", "1:33: error: expected a module "
		  "name string but found '1'" },
		{ "x = @var(v)", "1:24: error: expected a variable name string" },
		{ "x = $x->", "1:24: error: expected a member name but found "
		  "'}'" },
		{ "x = $x->1", "1:23: error: expected a member name but found "
		  "'1'" },
		{ "x = $x[1", "1:24: error: expected ']' but found '}'" },
		{ "x = @defined()", "1:28: error: expected an expression" },
		{ "x = @choose_defined($a)", "1:37: error: expected ','" },
		{ "x = @nope(1)", "1:19: error: unknown '@nope' (not a macro "
		  "defined above nor an @ operator vtrace knows)" },
		{ "$x->a = 1", "1:21: error: left side of '=' is not "
		  "assignable" },
	};
	char src[256];

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(src, sizeof(src), "probe begin { %s }", bad[i].src);
		ck_assert_int_eq(compile_run(src, 1, NULL), -1);
		ck_err_has(bad[i].err);
	}
	/* keywords are member names; '$' suffixes end a chain */
	ck_assert_int_eq(compile_run("probe begin { x = $l->next->private$$ }",
				     1, NULL), 0);
	ck_assert_ptr_nonnull(strstr(out_buf, "x = $l->next->private$$;"));
}
END_TEST

START_TEST(test_error_limit)
{
	char src[4096] = "probe begin {";

	for (int i = 0; i < 40; i++)
		strcat(src, " x = ;");
	strcat(src, " }");
	ck_assert_int_eq(compile_run(src, 1, NULL), -1);
	ck_err_has("t.stp: too many errors, stopping");
	int n = 0;

	for (const char *p = err_buf; (p = strstr(p, ": error: ")); p++)
		n++;
	ck_assert_int_eq(n, 20);
}
END_TEST

START_TEST(test_deep_nesting)
{
	static char src[400000];
	size_t n = 0;

	n += (size_t)sprintf(src, "probe begin { x = ");
	for (int i = 0; i < 50000; i++)
		src[n++] = '(';
	src[n] = 0;
	strcat(src, "1 }");
	ck_assert_int_eq(compile_run(src, 1, NULL), -1);
	ck_err_has("nesting too deep");

	n = (size_t)sprintf(src, "probe begin { x = 1");
	for (int i = 0; i < 30000; i++)
		n += (size_t)sprintf(src + n, "+1");
	strcat(src, " }");
	ck_assert_int_eq(compile_run(src, 3, NULL), -1);
	ck_err_has("expression nested too deeply");

	n = (size_t)sprintf(src, "probe begin { x = $x");
	for (int i = 0; i < 30000; i++)
		n += (size_t)sprintf(src + n, i % 2 ? "->a" : "[1]");
	strcat(src, " }");
	ck_assert_int_eq(compile_run(src, 1, NULL), -1);
	ck_err_has("expression nested too deeply");

	n = (size_t)sprintf(src, "probe begin { ");
	for (int i = 0; i < 30000; i++)
		n += (size_t)sprintf(src + n, "if (1) ");
	strcat(src, "x = 1 }");
	ck_assert_int_eq(compile_run(src, 3, NULL), -1);
	ck_err_has("nesting too deep");

	n = (size_t)sprintf(src, "probe begin { x = 1");
	for (int i = 0; i < 30000; i++)
		n += (size_t)sprintf(src + n, "?1:1");
	strcat(src, " }");
	ck_assert_int_eq(compile_run(src, 3, NULL), -1);
	ck_err_has("nesting too deep");
}
END_TEST

START_TEST(test_comments_and_points)
{
	ck_assert_int_eq(compile_run("# c\n// c\n/* c */ probe timer.ms(200), "
			     "kernel.function(\"vfs_read\")? { }", 1, NULL), 0);
	ck_assert_str_eq(out_buf, "probe timer.ms(200), "
			 "kernel.function(\"vfs_read\")? {\n}\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_parser");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_canonical_text);
	tcase_add_test(tc, test_missing_brace);
	tcase_add_test(tc, test_error_caret_tabs);
	tcase_add_test(tc, test_several_errors);
	tcase_add_test(tc, test_statement_errors);
	tcase_add_test(tc, test_target_syntax);
	tcase_add_test(tc, test_error_limit);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_comments_and_points);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
