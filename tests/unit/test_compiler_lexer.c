// SPDX-License-Identifier: GPL-2.0-only
/* test_compiler_lexer.c - tokens, literals, comments, lexical errors. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lexer.h"

struct lexed {
	struct token tok[64];
	int n;
	char err[16384];
	int nerrors;
};

static void lex_all(const char *src, struct lexed *out)
{
	struct arena a = { 0 };
	struct diag d;
	struct lexer lx;
	char *buf = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&buf, &len);

	memset(out, 0, sizeof(*out));
	diag_init(&d, err, "t.stp", src);
	lexer_init(&lx, &d, &a, src, 0);
	do {
		lexer_next(&lx, &out->tok[out->n]);
		/* keep strings: copy into err-free static storage */
	} while (out->tok[out->n++].kind != T_EOF && out->n < 64);
	fclose(err);
	snprintf(out->err, sizeof(out->err), "%s", buf ? buf : "");
	free(buf);
	out->nerrors = d.nerrors;
	/* token strings point into the arena; callers check them first */
	for (int i = 0; i < out->n; i++)
		if (out->tok[i].str)
			out->tok[i].str = strdup(out->tok[i].str);
	arena_free(&a);
}

static void lexed_free(struct lexed *l)
{
	for (int i = 0; i < l->n; i++)
		free((char *)l->tok[i].str);
}

START_TEST(test_operators)
{
	static const int want[] = {
		T_ADD_ASSIGN, T_SUB_ASSIGN, T_MUL_ASSIGN, T_DIV_ASSIGN,
		T_MOD_ASSIGN, T_SHL_ASSIGN, T_SHR_ASSIGN, T_AND_ASSIGN,
		T_XOR_ASSIGN, T_OR_ASSIGN, T_CAT_ASSIGN, T_INC, T_DEC,
		T_ANDAND, T_OROR, T_EQ, T_NE, T_LE, T_GE, T_SHL, T_SHR,
		T_AGG, T_MATCH, T_NOMATCH, T_ARROW, T_SCOPE, '+', '-', '*',
		'/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '.', '?',
		':', ',', ';', '(', ')', '{', '}', '[', ']', T_EOF,
	};
	struct lexed l;

	lex_all("+= -= *= /= %= <<= >>= &= ^= |= .= ++ -- && || == != <= >= "
		"<< >> <<< =~ !~ -> :: + - * / % < > = ! ~ & | ^ . ? : , ; "
		"( ) { } [ ]", &l);
	ck_assert_int_eq(l.nerrors, 0);
	ck_assert_int_eq(l.n, (int)(sizeof(want) / sizeof(want[0])));
	for (int i = 0; i < l.n; i++)
		ck_assert_int_eq(l.tok[i].kind, want[i]);
	lexed_free(&l);
}
END_TEST

START_TEST(test_keywords_and_idents)
{
	struct lexed l;

	lex_all("probe global function if else while for break continue "
		"next return delete in foreach try catch private probes _x9",
		&l);
	ck_assert_int_eq(l.nerrors, 0);
	for (int i = 0; i < 17; i++)
		ck_assert_int_eq(l.tok[i].kind, T_PROBE + i);
	ck_assert_int_eq(l.tok[17].kind, T_IDENT);
	ck_assert_str_eq(l.tok[17].str, "probes");
	ck_assert_str_eq(l.tok[18].str, "_x9");
	lexed_free(&l);
}
END_TEST

START_TEST(test_numbers)
{
	struct lexed l;

	lex_all("0 42 0x2A 0X2a 052 9223372036854775807 0xffffffffffffffff "
		"18446744073709551615", &l);
	ck_assert_int_eq(l.nerrors, 0);
	ck_assert_int_eq(l.tok[0].num, 0);
	ck_assert_int_eq(l.tok[1].num, 42);
	ck_assert_int_eq(l.tok[2].num, 42);
	ck_assert_int_eq(l.tok[3].num, 42);
	ck_assert_int_eq(l.tok[4].num, 42);
	ck_assert_int_eq(l.tok[5].num, INT64_MAX);
	ck_assert_int_eq(l.tok[6].num, -1);
	ck_assert_int_eq(l.tok[7].num, -1);
	lexed_free(&l);

	lex_all("18446744073709551616", &l);
	ck_assert_int_eq(l.nerrors, 1);
	ck_assert_str_eq(l.err, "t.stp:1:1: error: number too large\n"
			 "18446744073709551616\n^\n");
	lexed_free(&l);
	lex_all("09 0x", &l);
	ck_assert_int_eq(l.nerrors, 2);
	ck_assert_ptr_nonnull(strstr(l.err, "invalid digit '9' in octal"));
	ck_assert_ptr_nonnull(strstr(l.err, "hexadecimal number has no"));
	lexed_free(&l);
}
END_TEST

START_TEST(test_strings)
{
	struct lexed l;

	lex_all("\"a\\n\\t\\\\\\\"\\r\\a\\b\\f\\v\\101\\x42\\7z\" \"\"", &l);
	ck_assert_int_eq(l.nerrors, 0);
	ck_assert_int_eq(l.tok[0].kind, T_STRING);
	ck_assert_str_eq(l.tok[0].str, "a\n\t\\\"\r\a\b\f\vAB\az");
	ck_assert_str_eq(l.tok[1].str, "");
	lexed_free(&l);

	lex_all("\"abc", &l);
	ck_assert_int_eq(l.nerrors, 1);
	ck_assert_str_eq(l.err, "t.stp:1:1: error: unterminated string "
			 "literal\n\"abc\n^\n");
	lexed_free(&l);
	lex_all("  \"a\\qb\" \"\\0\" \"\\x\"", &l);
	ck_assert_int_eq(l.nerrors, 3);
	ck_assert_ptr_nonnull(strstr(l.err, "t.stp:1:5: error: unknown "
				     "escape sequence '\\q'"));
	ck_assert_ptr_nonnull(strstr(l.err, "contains a NUL byte"));
	ck_assert_ptr_nonnull(strstr(l.err, "\\x used with no hex digits"));
	lexed_free(&l);
}
END_TEST

START_TEST(test_comments_and_locations)
{
	struct lexed l;

	lex_all("# hash\n// slash\n/* block\n */ x /* */y\n\tz", &l);
	ck_assert_int_eq(l.nerrors, 0);
	ck_assert_int_eq(l.n, 4);
	ck_assert_str_eq(l.tok[0].str, "x");
	ck_assert_int_eq(l.tok[0].loc.line, 4);
	ck_assert_int_eq(l.tok[0].loc.col, 5);
	ck_assert_int_eq(l.tok[1].loc.col, 12);
	ck_assert_int_eq(l.tok[2].loc.line, 5);
	ck_assert_int_eq(l.tok[2].loc.col, 2);
	lexed_free(&l);
	lex_all("x /* open", &l);
	ck_assert_int_eq(l.nerrors, 1);
	ck_assert_ptr_nonnull(strstr(l.err, "1:3: error: unterminated "
				     "comment"));
	lexed_free(&l);
}
END_TEST

START_TEST(test_sigils_and_bad_chars)
{
	struct lexed l;

	lex_all("$1 @2 $var @count $ ` x", &l);
	ck_assert_int_eq(l.tok[0].kind, T_DOLLAR_NUM);
	ck_assert_int_eq(l.tok[0].num, 1);
	ck_assert_int_eq(l.tok[1].kind, T_AT_NUM);
	ck_assert_int_eq(l.tok[1].num, 2);
	ck_assert_int_eq(l.tok[2].kind, T_DOLLAR_IDENT);
	ck_assert_str_eq(l.tok[2].str, "var");
	ck_assert_int_eq(l.tok[3].kind, T_AT_IDENT);
	ck_assert_int_eq(l.tok[4].kind, '$');
	ck_assert_int_eq(l.tok[5].kind, T_IDENT);	/* '`' skipped */
	ck_assert_int_eq(l.nerrors, 1);
	ck_assert_ptr_nonnull(strstr(l.err, "1:21: error: unexpected "
				     "character '`'"));
	lexed_free(&l);
}
END_TEST

START_TEST(test_error_limit)
{
	struct lexed l;

	lex_all("` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` ` x", &l);
	ck_assert_int_eq(l.nerrors, 20);
	ck_assert_int_eq(l.tok[0].kind, T_EOF);	/* stopped */
	ck_assert_ptr_nonnull(strstr(l.err, "too many errors"));
	lexed_free(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_lexer");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_operators);
	tcase_add_test(tc, test_keywords_and_idents);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_comments_and_locations);
	tcase_add_test(tc, test_sigils_and_bad_chars);
	tcase_add_test(tc, test_error_limit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
