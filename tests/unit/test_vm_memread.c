// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_memread.c - kernel_* and user_* memory reads (vm/memread.c)
 * against the mock's readable regions: values, signs, faults and their
 * address, the error-message forms, strings at chunk and region edges,
 * quoting compared with string_quoted(user_string()); _deref, the
 * compiler's typed read, with every valid and many invalid `how` words.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "host_mock.h"
#include "vt_vm.h"

#define KBASE	0x10000ull	/* kernel region: kmem */
#define UBASE	0x400000ull	/* user region: umem */
#define RSIZE	512u		/* both regions; a multiple of 64 */

static _Alignas(8) unsigned char kmem[RSIZE], umem[RSIZE];

static char run_out[16384];
static enum vt_fault run_fault;
static s64 run_detail;

static void setup(void)
{
	memset(kmem, 0, sizeof(kmem));
	memset(umem, 0, sizeof(umem));
	host_mock_set_memory(false, KBASE, kmem, RSIZE);
	host_mock_set_memory(true, UBASE, umem, RSIZE);
}

/* Append the text of printf record @rec of @prog to run_out. */
static void format_record(const struct vt_prog *prog, const struct vt_rec *rec)
{
	size_t n = strlen(run_out);
	long long len = host_mock_format(prog, rec, run_out + n,
					 (u32)(sizeof(run_out) - n));

	ck_assert_int_ge(len, 0);
	ck_assert_uint_lt(n + (size_t)len, sizeof(run_out));
}

/* Compile @src (one begin probe), run it; its output in run_out. */
static const char *execute(const char *src)
{
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vtc_image img;
	struct vt_prog prog;
	struct vt_exec ex;

	ck_assert_ptr_nonnull(m);
	run_out[0] = 0;
	ck_assert_msg(compile_run(src, 0, &img) == 0, "%s\n%s", src, err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_int_eq(prog.nprobes, 1);
	host_mock_init(m);
	host_mock_exec_init(&ex, &prog, m);
	run_fault = vt_run(&ex, prog.probes[0].unit);
	run_detail = ex.fault_detail;
	for (u32 r = 0; r < m->nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(m, r);

		if (rec->type == VT_REC_PRINTF)
			format_record(&prog, rec);
	}
	host_mock_exec_free(&ex);
	free(m);
	vtc_image_free(&img);
	return run_out;
}

/* execute() of a begin probe printing @fmt of @expr. */
static const char *eval(const char *fmt, const char *expr)
{
	char src[1024];

	snprintf(src, sizeof(src), "probe begin { printf(\"%s\", %s) }", fmt,
		 expr);
	return execute(src);
}

#define ck_eval(fmt, expr, want) do {					\
	ck_assert_str_eq(eval(fmt, expr), want);			\
	ck_assert_int_eq(run_fault, VT_FAULT_NONE);			\
} while (0)

/* @expr faults READ at @addr, and the firing stops there. */
#define ck_read_fault(expr, addr) do {					\
	char src_[256];							\
									\
	snprintf(src_, sizeof(src_), "probe begin { x = %s; "		\
		 "printf(\"after\") }", expr);				\
	execute(src_);							\
	ck_assert_int_eq(run_fault, VT_FAULT_READ);			\
	ck_assert_int_eq(run_detail, (s64)(addr));			\
	ck_assert_str_eq(run_out, "");					\
} while (0)

static void put(unsigned char *mem, u32 off, const void *v, u32 n)
{
	memcpy(mem + off, v, n);
}

START_TEST(test_kernel_numbers)
{
	s64 l = -2, big = 0x1122334455667788;
	s32 i = -3;
	s16 h = -4;
	s8 c = -5;

	put(kmem, 0, &l, 8);
	put(kmem, 8, &i, 4);
	put(kmem, 12, &h, 2);
	put(kmem, 14, &c, 1);
	put(kmem, 16, &big, 8);
	ck_eval("%d", "kernel_long(65536)", "-2");
	ck_eval("%d", "kernel_int(65536 + 8)", "-3");
	ck_eval("%d", "kernel_short(65536 + 12)", "-4");
	ck_eval("%d", "kernel_char(65536 + 14)", "-5");
	ck_eval("%x", "kernel_pointer(65536 + 16)", "1122334455667788");
	ck_eval("%x", "kernel_int(65536 + 16)", "55667788");
	ck_eval("%x", "kernel_short(65536 + 18)", "5566");
	ck_eval("%d", "kernel_char(65536 + 23)", "17");
	/* unaligned is fine */
	ck_eval("%x", "kernel_long(65536 + 17)", "11223344556677");
}
END_TEST

START_TEST(test_kernel_faults)
{
	ck_read_fault("kernel_long(0)", 0);
	ck_read_fault("kernel_int(12345)", 12345);
	ck_read_fault("kernel_pointer(-8)", -8);
	/* partly readable: the last 4 bytes of the region, then nothing */
	ck_read_fault("kernel_long(65536 + 508)", KBASE + 508);
	ck_eval("%d", "kernel_int(65536 + 508)", "0");
	ck_read_fault("kernel_char(65536 + 512)", KBASE + RSIZE);
	/* kernel memory is not user memory, and the reverse */
	ck_read_fault("kernel_long(4194304)", UBASE);
	ck_eval("%d", "user_long(65536)", "0");
	/* the firing stops at the fault: nothing after it runs */
	execute("probe begin { printf(\"a\"); x = kernel_long(8); "
		"printf(\"b%d\", x) }");
	ck_assert_str_eq(run_out, "a");
	ck_assert_int_eq(run_fault, VT_FAULT_READ);
	ck_assert_int_eq(run_detail, 8);
}
END_TEST

/* "_deref(ADDR, HOW)" for a begin probe. */
static const char *deref_expr(char *buf, size_t n, u64 addr, s64 how)
{
	snprintf(buf, n, "_deref(%lld, %lld)", (long long)addr,
		 (long long)how);
	return buf;
}

START_TEST(test_deref_values)
{
	static const u32 sizes[] = { 1, 2, 4, 8 };
	u64 pattern = 0xf1e2d3c4b5a69788ull;	/* every byte's top bit set */
	char e[128], want[64];

	put(kmem, 64, &pattern, 8);
	put(umem, 128, &pattern, 8);
	for (u32 i = 0; i < 4; i++) {
		u32 sz = sizes[i];
		u64 mask = sz == 8 ? ~0ull : (1ull << (8 * sz)) - 1;
		u64 zext = pattern & mask;
		s64 sext = sz == 8 ? (s64)pattern :
			   (s64)(zext | ~mask);	/* top bit set: all ones */

		for (int user = 0; user < 2; user++) {
			u64 at = user ? UBASE + 128 : KBASE + 64;

			snprintf(want, sizeof(want), "%llu",
				 (unsigned long long)zext);
			ck_eval("%u", deref_expr(e, sizeof(e), at,
				VT_DEREF_HOW(sz, 0, user)), want);
			snprintf(want, sizeof(want), "%lld", (long long)sext);
			ck_eval("%d", deref_expr(e, sizeof(e), at,
				VT_DEREF_HOW(sz, 1, user)), want);
		}
	}
	/* a positive value stays positive signed */
	kmem[72] = 0x75;
	ck_eval("%d", deref_expr(e, sizeof(e), KBASE + 72,
				 VT_DEREF_HOW(1, 1, 0)), "117");
	/* the last bytes of a region */
	ck_eval("%d", deref_expr(e, sizeof(e), KBASE + RSIZE - 2,
				 VT_DEREF_HOW(2, 0, 0)), "0");
}
END_TEST

START_TEST(test_deref_faults)
{
	char e[128];

	ck_read_fault(deref_expr(e, sizeof(e), 0, VT_DEREF_HOW(8, 0, 0)), 0);
	/* straddles the end of the region */
	ck_read_fault(deref_expr(e, sizeof(e), KBASE + RSIZE - 4,
				 VT_DEREF_HOW(8, 1, 0)), KBASE + RSIZE - 4);
	/* kernel is not user memory, and the reverse; unlike user_long,
	 * an unreadable user address faults too */
	ck_read_fault(deref_expr(e, sizeof(e), UBASE, VT_DEREF_HOW(4, 0, 0)),
		      UBASE);
	ck_read_fault(deref_expr(e, sizeof(e), KBASE, VT_DEREF_HOW(4, 0, 1)),
		      KBASE);
	ck_read_fault(deref_expr(e, sizeof(e), -8, VT_DEREF_HOW(8, 0, 1)), -8);
}
END_TEST

/* Every how that is not VT_DEREF_VALID faults HELPER, readable or not. */
START_TEST(test_deref_bad_how)
{
	static const s64 bad[] = {
		0, 3, 5, 6, 7, 9, 15, VT_DEREF_F_SIGNED, VT_DEREF_F_USER,
		VT_DEREF_HOW(0, 1, 1), 8 | 0x40, 4 | 0x100, 1 | (1ll << 32),
		2 | (1ll << 62), -1, -8, INT64_MIN | 8,
	};
	char e[128], src[256];

	for (u32 i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert(!VT_DEREF_VALID(bad[i]));
		for (int readable = 0; readable < 2; readable++) {
			snprintf(src, sizeof(src), "probe begin { x = %s; "
				 "printf(\"after\") }",
				 deref_expr(e, sizeof(e),
					    readable ? KBASE : 0, bad[i]));
			execute(src);
			ck_assert_msg(run_fault == VT_FAULT_HELPER,
				      "how %lld: fault %d", (long long)bad[i],
				      run_fault);
			ck_assert_str_eq(run_out, "");
		}
	}
	/* and every valid one is accepted by the macro */
	for (u32 sz = 1; sz <= 8; sz *= 2)
		for (u32 f = 0; f < 4; f++)
			ck_assert(VT_DEREF_VALID(VT_DEREF_HOW(sz, f & 1, f & 2)));
	ck_assert_uint_eq(VT_DEREF_SIZE(VT_DEREF_HOW(4, 1, 1)), 4);
	ck_assert(VT_DEREF_SIGNED(VT_DEREF_HOW(4, 1, 0)));
	ck_assert(!VT_DEREF_USER(VT_DEREF_HOW(4, 1, 0)));
	ck_assert(VT_DEREF_USER(VT_DEREF_HOW(2, 0, 1)));
}
END_TEST

START_TEST(test_user_numbers)
{
	s64 l = -6;
	s32 i = 70000;
	s16 h = -7;
	s8 c = 'A';

	put(umem, 0, &l, 8);
	put(umem, 8, &i, 4);
	put(umem, 12, &h, 2);
	put(umem, 14, &c, 1);
	ck_eval("%d", "user_long(4194304)", "-6");
	ck_eval("%d", "user_int(4194304 + 8)", "70000");
	ck_eval("%d", "user_short(4194304 + 12)", "-7");
	ck_eval("%d", "user_char(4194304 + 14)", "65");
	ck_eval("%d", "user_short(4194304 + 8)", "4464");
	/* unreadable: 0, and no error (SystemTap's user_* catch it) */
	ck_eval("%d", "user_long(0)", "0");
	ck_eval("%d", "user_int(4194304 + 510)", "0");
	ck_eval("%d", "user_char(-1)", "0");
}
END_TEST

START_TEST(test_strings)
{
	strcpy((char *)kmem, "hello kernel");
	strcpy((char *)umem + 100, "hello user");
	ck_eval("%s", "kernel_string(65536)", "hello kernel");
	ck_eval("%s", "kernel_string(65536 + 6)", "kernel");
	ck_eval("%s", "kernel_string(65536 + 20)", "");
	ck_eval("%s", "user_string(4194304 + 100)", "hello user");
	ck_eval("[%s]", "kernel_string_n(65536, 5)", "[hello]");
	ck_eval("[%s]", "kernel_string_n(65536, 100)", "[hello kernel]");
	ck_eval("[%s]", "kernel_string_n(65536, 0)", "[]");
	ck_eval("[%s]", "kernel_string_n(65536, -3)", "[]");
	ck_eval("[%s]", "user_string_n(4194304 + 100, 1)", "[h]");
	ck_read_fault("kernel_string(0)", 0);
	ck_read_fault("kernel_string_n(77, 4)", 77);
	ck_read_fault("user_string(65536)", KBASE);
	ck_read_fault("user_string_n(-100, 10)", -100);
	/* n <= 0 reads nothing, so nothing can fail */
	ck_eval("[%s]", "kernel_string_n(0, 0)", "[]");
}
END_TEST

START_TEST(test_error_message_forms)
{
	strcpy((char *)kmem, "k");
	strcpy((char *)umem, "u");
	ck_eval("%s", "kernel_string(0, \"bad k\")", "bad k");
	ck_eval("%s", "kernel_string2(0, \"bad k2\")", "bad k2");
	ck_eval("%s", "kernel_string(65536, \"bad\")", "k");
	ck_eval("%s", "user_string(1, \"bad u\")", "bad u");
	ck_eval("%s", "user_string2(1, \"bad u2\")", "bad u2");
	ck_eval("%s", "user_string2(4194304, \"bad\")", "u");
	ck_eval("%s", "user_string_n(1, 3, \"bad n\")", "bad n");
	ck_eval("%s", "user_string_n2(1, 3, \"bad n2\")", "bad n2");
	ck_eval("%s", "user_string_n(4194304, 3, \"bad\")", "u");
	/* the message comes from a variable as well */
	ck_eval("%s", "kernel_string(8, sprintf(\"<%d>\", 8))", "<8>");
	/* the other counts still are errors */
	ck_assert_int_eq(compile_run("probe begin { print(kernel_string(1, 2, "
				     "3)) }", 0, NULL), -1);
	ck_assert_msg(strstr(err_buf, "kernel_string() takes 1 argument, "
			     "got 3"), "%s", err_buf);
	ck_assert_int_eq(compile_run("probe begin { print(kernel_string(1, "
				     "2)) }", 0, NULL), -1);
	ck_assert_msg(strstr(err_buf, "type mismatch"), "%s", err_buf);
}
END_TEST

/* Strings up to and across chunk (64) and region edges. */
START_TEST(test_string_edges)
{
	char src[256], want[600];

	/* a string ending on the region's last byte: the chunk holding it
	 * is readable (regions end on a multiple of 64, like pages) */
	memset(kmem + 400, 'x', 111);
	kmem[511] = 0;
	memset(want, 'x', 111);
	want[111] = 0;
	ck_eval("%s", "kernel_string(65536 + 400)", want);
	/* no NUL before the region ends: unreadable */
	kmem[511] = 'y';
	ck_read_fault("kernel_string(65536 + 400)", KBASE + 400);
	ck_eval("%s", "kernel_string_n(65536 + 509, 3)", "xxy");
	ck_read_fault("kernel_string_n(65536 + 509, 4)", KBASE + 509);
	/* every start offset within a chunk, every length across one */
	for (u32 off = 0; off < 70; off += 3) {
		for (u32 len = 0; len < 140; len += 7) {
			memset(kmem, 0, RSIZE);
			for (u32 i = 0; i < len; i++)
				kmem[off + i] = (unsigned char)('a' + i % 26);
			memcpy(want, kmem + off, len + 1);
			snprintf(src, sizeof(src), "kernel_string(65536 + %u)",
				 off);
			ck_eval("%s", src, want);
		}
	}
	/* cut at strsize - 1 (MAXSTRINGLEN 512): 511 bytes, no fault even
	 * though byte 511 has no NUL after it */
	memset(kmem, 'z', RSIZE);
	ck_assert_uint_eq(strlen(eval("%s", "kernel_string(65536)")), 511);
	ck_assert_int_eq(run_fault, VT_FAULT_NONE);
	ck_eval("%d", "strlen(kernel_string(65536 + 1))", "511");
	ck_read_fault("kernel_string(65536 + 2)", KBASE + 2);
}
END_TEST

/* Reading the last bytes of the address space does not wrap to 0. */
START_TEST(test_address_wrap)
{
	static unsigned char top[64];

	memset(top, 'w', sizeof(top));
	host_mock_set_memory(false, (u64)-64, top, sizeof(top));
	ck_read_fault("kernel_string(-64)", -64);
	ck_read_fault("kernel_string(-10)", -10);
	ck_eval("%s", "kernel_string_n(-4, 4)", "wwww");
	ck_read_fault("kernel_int(-2)", -2);
	ck_eval("%d", "kernel_short(-2)", "30583");
	top[63] = 0;
	ck_eval("%s", "kernel_string(-5)", "wwww");
}
END_TEST

START_TEST(test_quoted)
{
	strcpy((char *)umem, "a\"b\\c\n\x01z");
	strcpy((char *)kmem, "tab\there");
	ck_eval("%s", "user_string_quoted(4194304)",
		"\"a\\\"b\\\\c\\n\\001z\"");
	ck_eval("%s", "user_string_quoted(4194304 + 100)", "\"\"");
	ck_eval("%s", "user_string_quoted(0)", "0x0");
	ck_eval("%s", "user_string_quoted(65536)", "0x10000");
	ck_eval("%s", "user_string_quoted(-16)", "0xfffffffffffffff0");
	ck_eval("%s", "kernel_string_quoted(65536)", "\"tab\\there\"");
	ck_eval("%s", "kernel_string_quoted(0)", "0x0");
	ck_eval("%s", "kernel_string_quoted(12)", "0xc");
}
END_TEST

/*
 * user_string_quoted(a) is string_quoted(user_string(a)): compare the
 * two over strings of every length around the cut, with escapes of each
 * width placed at and around it.
 */
START_TEST(test_quoted_matches_string_quoted)
{
	static const unsigned char fill[] = { 'q', '\n', 0x7f, '"', 0xff };
	char src[160];
	u32 runs = 0;

	for (u32 len = 490; len < RSIZE; len += 3) {
		for (u32 f = 0; f < sizeof(fill); f++) {
			for (u32 every = 1; every < 6; every += 2) {
				memset(umem, 'p', RSIZE);
				for (u32 i = 0; i < len; i += every)
					umem[i] = fill[(f + i) % sizeof(fill)];
				umem[len] = 0;
				snprintf(src, sizeof(src), "probe begin { printf("
					 "\"%%d\", user_string_quoted(%llu) == "
					 "string_quoted(user_string(%llu))) }",
					 UBASE, UBASE);
				ck_assert_msg(!strcmp(execute(src), "1"),
					      "len %u fill %u every %u", len,
					      f, every);
				runs++;
			}
		}
	}
	ck_assert_uint_gt(runs, 100);
	/* and short ones */
	strcpy((char *)umem, "\x01\x02 \"\\\t");
	ck_eval("%d", "user_string_quoted(4194304) == "
		"string_quoted(user_string(4194304))", "1");
}
END_TEST

/* With no memory set up nothing is readable (the lang suite's host). */
START_TEST(test_nothing_readable)
{
	host_mock_set_memory(false, 0, NULL, 0);
	host_mock_set_memory(true, 0, NULL, 0);
	ck_read_fault("kernel_long(0)", 0);
	ck_eval("%d", "user_long(0)", "0");
	ck_eval("%s", "user_string(0, \"none\")", "none");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_memread");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_kernel_numbers);
	tcase_add_test(tc, test_kernel_faults);
	tcase_add_test(tc, test_user_numbers);
	tcase_add_test(tc, test_deref_values);
	tcase_add_test(tc, test_deref_faults);
	tcase_add_test(tc, test_deref_bad_how);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_error_message_forms);
	tcase_add_test(tc, test_string_edges);
	tcase_add_test(tc, test_address_wrap);
	tcase_add_test(tc, test_quoted);
	tcase_add_test(tc, test_quoted_matches_string_quoted);
	tcase_add_test(tc, test_nothing_readable);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
