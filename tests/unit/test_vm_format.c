// SPDX-License-Identifier: GPL-2.0-only
/* test_vm_format.c - vt_format(): SystemTap printf semantics. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "vt_vm.h"

#define L(x) { .l = (s64)(x) }
#define S(x) { .s = (x), .slen = sizeof(x) - 1 }

struct fcase {
	const char *fmt;
	const char *sig;
	struct vt_fmt_arg args[4];
	u32 nargs;
	const char *want;
};

#define F(f, sg, w, ...) { .fmt = f, .sig = sg, .want = w,		\
	.args = { __VA_ARGS__ },					\
	.nargs = sizeof((struct vt_fmt_arg[]){ __VA_ARGS__ }) /	\
		 sizeof(struct vt_fmt_arg) }
#define F0(f, w) { .fmt = f, .sig = "", .want = w }

static const struct fcase cases[] = {
	F0("plain text", "plain text"),
	F0("", ""),
	F("%d", "l", "42", L(42)),
	F("%d", "l", "-42", L(-42)),
	F("%i", "l", "7", L(7)),
	F("%d", "l", "-9223372036854775808", L(INT64_MIN)),
	F("%d", "l", "9223372036854775807", L(INT64_MAX)),
	F("%u", "l", "18446744073709551615", L(-1)),
	F("%x", "l", "ff", L(255)),
	F("%X", "l", "DEADBEEF", L(0xdeadbeef)),
	F("%x", "l", "ffffffffffffffff", L(-1)),
	F("%o", "l", "10", L(8)),
	F("%#o", "l", "010", L(8)),
	F("%#x", "l", "0xff", L(255)),
	F("%#X", "l", "0XFF", L(255)),
	F("%#x", "l", "0x0", L(0)),
	F("%p", "l", "0x1234", L(0x1234)),
	F("%p", "l", "0xffffffff81000000", L(0xffffffff81000000ull)),
	F("%20p|", "l", "              0x1234|", L(0x1234)),
	F("%c", "l", "A", L('A')),
	F("%3c|%-3c|", "ll", "  A|B  |", L('A'), L('B')),
	F("%#c", "l", "\\n", L('\n')),
	F("%#c", "l", "\\001", L(1)),
	F("%#c%#c", "ll", "\\\\\\'", L('\\'), L('\'')),
	F("%s", "s", "abc", S("abc")),
	F("[%s]", "s", "[]", S("")),
	F("%5d|", "l", "   42|", L(42)),
	F("%-5d|", "l", "42   |", L(42)),
	F("%05d", "l", "00042", L(42)),
	F("%05d", "l", "-0042", L(-42)),
	F("%-05d|", "l", "-42  |", L(-42)),
	F("%+d %+d", "ll", "+5 -5", L(5), L(-5)),
	F("% d|% d", "ll", " 5|-5", L(5), L(-5)),
	F("%+u", "l", "5", L(5)),
	F("%.3d", "l", "005", L(5)),
	F("%.3d", "l", "-005", L(-5)),
	F("%8.3d|", "l", "     005|", L(5)),
	F("%-8.3x|", "l", "00a     |", L(10)),
	F("%#10x|", "l", "      0xff|", L(255)),
	F("%#010x|", "l", "0x000000ff|", L(255)),
	F("%.0d", "l", "0", L(0)),
	F("%.2s", "s", "ab", S("abcdef")),
	F("%.10s", "s", "abc", S("abc")),
	F("%5s|", "s", "   ab|", S("ab")),
	F("%-5s|", "s", "ab   |", S("ab")),
	F("%05s|", "s", "   ab|", S("ab")),
	F("%*d|", "ll", "   42|", L(5), L(42)),
	F("%-*d|", "ll", "42   |", L(5), L(42)),
	F("%*d|", "ll", "42   |", L(-5), L(42)),
	F("%.*s|", "ls", "ab|", L(2), S("abcdef")),
	F("%*.*s|", "lls", "   ab|", L(5), L(2), S("abcdef")),
	F("%.*d", "ll", "0042", L(4), L(42)),
	F("%.*s|", "ls", "|", L(-3), S("abc")),
	F0("100%%", "100%"),
	F0("%q", "%q"),
	F0("a%-5.2qb", "a%-5.2qb"),
	F0("abc%", "abc%"),
	F0("abc%-3", "abc%-3"),
	F("%ld %lld %hd", "lll", "1 2 3", L(1), L(2), L(3)),
	/* %m / %M: the bytes of the argument, precision many (default 1),
	 * at most the argument's (a long's 8, a string's length) */
	F("%.3m", "s", "abc", S("abcdef")),
	F("%m", "s", "a", S("abcdef")),
	F("%M", "s", "41", S("AB")),
	F("%.2M", "s", "4142", S("AB")),
	F("%6.2M|", "s", "  4142|", S("AB")),
	F("%-6.2M|", "s", "4142  |", S("AB")),
	F("%.4M", "s", "4142", S("AB")),
	F("%.65536M|", "s", "4142|", S("AB")),
	F("%.9m|", "l", "ABCDEFGH|", L(0x4847464544434241ll)),
	F("%.2M", "l", "0102", L(0x0807060504030201ll)),
	F("%12.9M|", "l", "0102030405060708|", L(0x0807060504030201ll)),
	F0("%M|%M", "00|00"),
	/* missing or mismatched arguments are safe */
	F("%d %d", "l", "1 0", L(1)),
	F("%s|%d", "ls", "|0", L(5), S("x")),
	F("%s", "l", "", L(0x41)),
	F("%d %s", "lx", "3 ", L(3), S("zz")),
};

START_TEST(test_case)
{
	const struct fcase *c = &cases[_i];
	char buf[256];
	u32 n;

	memset(buf, 'X', sizeof(buf));
	n = vt_format(buf, sizeof(buf), c->fmt, c->sig, c->args, c->nargs);
	ck_assert_msg(!strcmp(buf, c->want),
		      "fmt \"%s\": got \"%s\", want \"%s\"", c->fmt, buf, c->want);
	ck_assert_msg(n == strlen(c->want),
		      "fmt \"%s\": length %u, want %zu", c->fmt, n, strlen(c->want));
}
END_TEST

/* %b writes the raw value: precision 1, 2, 4, 8 bytes; NUL padding. */
START_TEST(test_binary)
{
	const struct vt_fmt_arg a[] = { L(0x0102030405060708ll) };
	u64 v8 = 0x0102030405060708ull;
	u32 v4 = 0x05060708u;
	u16 v2 = 0x0708;
	u8 v1 = 0x08;
	char buf[64], want[64];
	u32 n;

	n = vt_format(buf, sizeof(buf), "%b", "l", a, 1);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(memcmp(buf, &v8, 8), 0);
	n = vt_format(buf, sizeof(buf), "%.2b", "l", a, 1);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(memcmp(buf, &v2, 2), 0);
	n = vt_format(buf, sizeof(buf), "%4b", "l", a, 1);	/* width picks 4 */
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(memcmp(buf, &v4, 4), 0);
	n = vt_format(buf, sizeof(buf), "%3b", "l", a, 1);	/* 3: default 8 */
	ck_assert_uint_eq(n, 8);
	n = vt_format(buf, sizeof(buf), "%.3b", "l", a, 1);	/* bad prec: 8 */
	ck_assert_uint_eq(n, 8);
	n = vt_format(buf, sizeof(buf), "<%4.1b>", "l", a, 1);
	ck_assert_uint_eq(n, 6);
	memcpy(want, "<\0\0\0", 4);
	want[4] = (char)v1;
	want[5] = '>';
	ck_assert_int_eq(memcmp(buf, want, 6), 0);
	n = vt_format(buf, sizeof(buf), "<%-4.1b>", "l", a, 1);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(memcmp(buf, "<\x08\0\0\0>", 6), 0);
}
END_TEST

/* No arguments at all: every conversion reads 0 or "". */
START_TEST(test_no_args)
{
	static const char want[14] = "0\0" "0x0" "\0\0\0\0\0\0\0\0" "\0";
	char buf[32];

	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(vt_format(buf, sizeof(buf), "%s%d%c%p%b%m", NULL,
				    NULL, 5), 14);
	ck_assert_int_eq(memcmp(buf, want, 14), 0);
	ck_assert_int_eq(buf[14], '\0');
	ck_assert_uint_eq(vt_format(buf, sizeof(buf), NULL, NULL, NULL, 0), 0);
}
END_TEST

/* Output is cut to @size (NUL included); the return is the full length. */
START_TEST(test_truncation)
{
	const struct vt_fmt_arg a[] = { L(123456), S("a long string") };
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(vt_format(buf, 5, "hello world", "", NULL, 0), 11);
	ck_assert_str_eq(buf, "hell");
	ck_assert_int_eq(buf[5], 'X');
	ck_assert_uint_eq(vt_format(buf, 1, "hello", "", NULL, 0), 5);
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(vt_format(NULL, 0, "%d %s", "ls", a, 2), 20);
	memset(buf, 'X', sizeof(buf));
	ck_assert_uint_eq(vt_format(buf, 8, "%d %s", "ls", a, 2), 20);
	ck_assert_str_eq(buf, "123456 ");
	ck_assert_uint_eq(vt_format(buf, 4, "%10d", "l", a, 1), 10);
	ck_assert_str_eq(buf, "   ");
	ck_assert_uint_eq(vt_format(buf, 4, "%-10s|", "ls", a, 2), 11);
	ck_assert_uint_eq(vt_format(buf, 3, "%M", "s", a + 1, 1), 2);
	ck_assert_str_eq(buf, "61");
	ck_assert_uint_eq(vt_format(buf, 2, "%M", "s", a + 1, 1), 2);
	ck_assert_str_eq(buf, "6");
}
END_TEST

/* Huge widths and precisions are clamped, not looped over. */
START_TEST(test_clamp)
{
	const struct vt_fmt_arg a[] = { L(INT64_MAX), L(INT64_MIN), L(1) };
	char buf[8];

	ck_assert_uint_eq(vt_format(buf, sizeof(buf), "%*d", "ll", a, 3 - 1),
			  65536);
	ck_assert_uint_eq(vt_format(buf, sizeof(buf), "%*d", "ll", a + 1, 2),
			  65536);
	ck_assert_uint_eq(vt_format(buf, sizeof(buf), "%99999999999d", "l",
				    a + 2, 1), 65536);
	/* precision INT64_MAX -> 65536 digits, and the sign of INT64_MIN */
	ck_assert_uint_eq(vt_format(buf, sizeof(buf), "%.*d", "ll", a, 2),
			  65537);
	ck_assert_str_eq(buf, "-000000");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_format");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_binary);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_no_args);
	tcase_add_test(tc, test_clamp);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
