// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_strfuncs.c - strpos, isinstr and str_replace (vm/strfuncs.c)
 * against a naive search, on random strings over small alphabets and on
 * the strings that make a naive search quadratic; and the work each call
 * reports stays linear in its strings.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vt_priv.h"

#define STRSIZE	4096

/* The argument slots of one helper call, and its result. */
struct args {
	char slot[3][STRSIZE];
	char out[STRSIZE];
	s64 ret;
	u32 work;
};

static void set(struct args *a, u32 i, const char *s, size_t n)
{
	ck_assert_uint_lt(n, STRSIZE);
	memcpy(a->slot[i], s, n);
	a->slot[i][n] = '\0';
}

static enum vt_fault call(struct args *a, vt_helper_fn fn)
{
	struct vt_call c = {
		.sargs = a->slot[0],
		.lret = &a->ret,
		.sret = a->out,
		.strsize = STRSIZE,
	};
	enum vt_fault f = fn(&c);

	a->work = c.work;
	return f;
}

static long naive_find(const char *h, size_t n, const char *x, size_t m)
{
	for (size_t j = 0; j + m <= n; j++)
		if (!memcmp(h + j, x, m))
			return (long)j;
	return -1;
}

/* str_replace by the naive search, truncated to STRSIZE - 1. */
static void naive_replace(char *out, const char *s, const char *f,
			  const char *r)
{
	size_t ls = strlen(s), lf = strlen(f), lr = strlen(r), n = 0, i = 0;
	long at;

	while (i < ls && n < STRSIZE - 1) {
		at = lf ? naive_find(s + i, ls - i, f, lf) : -1;
		if (at < 0)
			at = (long)(ls - i);
		for (long j = 0; j < at && n < STRSIZE - 1; j++)
			out[n++] = s[i + j];
		i += (size_t)at;
		if (i >= ls)
			break;
		for (size_t j = 0; j < lr && n < STRSIZE - 1; j++)
			out[n++] = r[j];
		i += lf;
	}
	out[n] = '\0';
}

/*
 * Work bound of one search (vt_priv.h: bytes measured, compared): the
 * lengths, at most 4m splitting the needle and 2n + m comparisons.
 */
static u32 search_bound(size_t n, size_t m)
{
	return (u32)(n + m + 4 * m + 2 * n + m + n + 2);
}

/* Check strpos, isinstr and str_replace on @h (n bytes), @x (m bytes). */
static void check_one(const char *h, size_t n, const char *x, size_t m)
{
	static struct args a;
	static char want[STRSIZE];
	long w = naive_find(h, n, x, m);

	set(&a, 0, h, n);
	set(&a, 1, x, m);
	set(&a, 2, "<>", 2);
	ck_assert_int_eq(call(&a, vt_helper_strpos), VT_FAULT_NONE);
	ck_assert_msg(a.ret == w, "strpos(\"%s\", \"%s\") = %lld, want %ld",
		      h, x, (long long)a.ret, w);
	ck_assert_msg(a.work >= n + m && a.work <= search_bound(n, m),
		      "strpos n=%zu m=%zu: work %u, not in [%zu, %u]", n, m,
		      a.work, n + m, search_bound(n, m));
	ck_assert_int_eq(call(&a, vt_helper_isinstr), VT_FAULT_NONE);
	ck_assert_int_eq(a.ret, w >= 0);
	ck_assert_int_eq(call(&a, vt_helper_str_replace), VT_FAULT_NONE);
	naive_replace(want, a.slot[0], a.slot[1], a.slot[2]);
	ck_assert_msg(!strcmp(a.out, want), "str_replace(\"%s\", \"%s\")",
		      h, x);
	/* one needle split, one pass over the haystack, the output */
	ck_assert_msg(a.work <= search_bound(n, m) + 2 + 2 * STRSIZE,
		      "str_replace n=%zu m=%zu: work %u", n, m, a.work);
}

static void random_str(char *s, size_t n, int alphabet)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + rand() % alphabet);
	s[n] = '\0';
}

/* Random short strings over 1 to 4 letters: every branch, many times. */
START_TEST(test_random)
{
	char h[80], x[20];

	srand(1234);
	for (int round = 0; round < 40000; round++) {
		int alphabet = 1 + round % 4;
		size_t n = (size_t)(rand() % 70), m = (size_t)(rand() % 12);

		random_str(h, n, alphabet);
		random_str(x, m, alphabet);
		/* half the time, plant the needle */
		if (m <= n && rand() % 2)
			memcpy(h + rand() % (n - m + 1), x, m);
		check_one(h, n, x, m);
	}
}
END_TEST

/* Every haystack of up to 8 and needle of up to 5 letters over {a, b}. */
START_TEST(test_exhaustive)
{
	char h[16], x[8];

	for (size_t n = 0; n <= 8; n++)
		for (u32 hb = 0; hb < 1u << n; hb++)
			for (size_t m = 0; m <= 5; m++)
				for (u32 xb = 0; xb < 1u << m; xb++) {
					for (size_t i = 0; i < n; i++)
						h[i] = (char)('a' + (hb >> i & 1));
					h[n] = '\0';
					for (size_t i = 0; i < m; i++)
						x[i] = (char)('a' + (xb >> i & 1));
					x[m] = '\0';
					check_one(h, n, x, m);
				}
}
END_TEST

/* Long random strings: the full slot. */
START_TEST(test_random_long)
{
	static char h[STRSIZE], x[STRSIZE];

	srand(99);
	for (int round = 0; round < 300; round++) {
		size_t n = STRSIZE - 1 - (size_t)(rand() % 64);
		size_t m = 1 + (size_t)(rand() % (round % 2 ? 40 : 2000));

		random_str(h, n, 2);
		random_str(x, m, 2);
		if (m <= n && rand() % 2)
			memcpy(h + n - m, x, m);
		check_one(h, n, x, m);
	}
}
END_TEST

static size_t fill(char *s, size_t n, const char *unit)
{
	size_t u = strlen(unit);

	for (size_t i = 0; i < n; i++)
		s[i] = unit[i % u];
	s[n] = '\0';
	return n;
}

/*
 * A Fibonacci word of @max bytes (a -> ab, b -> a, applied until long
 * enough): periodic structure at every scale.
 */
static size_t fibonacci(char *s, size_t max)
{
	static char tmp[STRSIZE];
	size_t n = 1, k;

	s[0] = 'a';
	while (n < max) {
		k = 0;
		for (size_t i = 0; i < n && k < max; i++) {
			tmp[k++] = s[i];
			if (s[i] == 'a' && k < max)
				tmp[k++] = 'b';
		}
		memcpy(s, tmp, k);
		n = k;
	}
	s[n] = '\0';
	return n;
}

/*
 * The strings that cost a naive search n * m: a^n against a^(m-1)b and
 * ba^(m-1), periodic needles with one defect, Fibonacci words; at the
 * largest sizes (4095 and 2048 bytes).
 */
START_TEST(test_adversarial)
{
	static char h[STRSIZE], x[STRSIZE];
	static const size_t ms[] = { 1, 2, 3, 7, 64, 511, 2047, 2048, 4000,
				     4095 };
	size_t n, m;

	for (size_t k = 0; k < sizeof(ms) / sizeof(ms[0]); k++) {
		m = ms[k];
		n = fill(h, STRSIZE - 1, "a");
		fill(x, m, "a");
		check_one(h, n, x, m);
		x[m - 1] = 'b';
		check_one(h, n, x, m);
		fill(x, m, "a");
		x[0] = 'b';
		check_one(h, n, x, m);
		n = fill(h, STRSIZE - 1, "ab");
		fill(x, m, "ab");
		check_one(h, n, x, m);
		if (m > 2) {
			x[m - 2] = 'b';
			check_one(h, n, x, m);
		}
		n = fill(h, STRSIZE - 1, "aab");
		fill(x, m, "aab");
		x[m / 2] = 'a';
		check_one(h, n, x, m);
		n = fibonacci(h, STRSIZE - 1);
		fibonacci(x, m);
		check_one(h, n, x, m);
		memcpy(x, h + 1000 % (n - m + 1), m);
		x[m] = '\0';
		check_one(h, n, x, m);
	}
}
END_TEST

/* Edge cases: empty strings, needle longer than the haystack, at the ends. */
START_TEST(test_edges)
{
	check_one("", 0, "", 0);
	check_one("abc", 3, "", 0);
	check_one("", 0, "a", 1);
	check_one("ab", 2, "abc", 3);
	check_one("abc", 3, "abc", 3);
	check_one("abcabd", 6, "abd", 3);
	check_one("\xff\x01\xff", 3, "\x01\xff", 2);	/* unsigned order */
	check_one("zzzzab", 6, "ab", 2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_strfuncs");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_exhaustive);
	tcase_add_test(tc, test_random_long);
	tcase_add_test(tc, test_adversarial);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
