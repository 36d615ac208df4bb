// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cli_output.c - the CLI's decoding of records read from the device:
 * printf records formatted, error records mapped to file:line:col, exit
 * seen, and every malformed record refused without reading past it.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "imgbuild.h"

static struct vt_prog prog;
static void *image;

/* A program with two formats and a line table, for decoding only. */
static void setup(void)
{
	struct imgb *b = imgb_new();
	char log[VT_LOG_MAX];
	u32 size;

	imgb_format(b, "n=%d s=%s\n", "ls");
	imgb_format(b, "plain\n", "");
	imgb_unit_begin(b);
	imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit_end(b, 1, 0, "probe begin");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	imgb_line(b, 0, "t.stp", 3, 7);
	imgb_line(b, 1, "t.stp", 4, 2);
	image = imgb_finish(b, &size);
	imgb_free(b);
	ck_assert_int_eq(vt_prog_load(&prog, image, size, log, sizeof(log)), 0);
}

static void teardown(void)
{
	free(image);
}

/* Append one record of @type with @payload to @buf at *@len (8-aligned). */
static void put_rec(unsigned char *buf, size_t *len, unsigned type,
		    const void *payload, size_t plen)
{
	struct vt_rec r = {
		.size = (unsigned)(sizeof(r) + plen), .type = (unsigned short)type,
	};

	memcpy(buf + *len, &r, sizeof(r));
	if (plen)
		memcpy(buf + *len + sizeof(r), payload, plen);
	*len += (sizeof(r) + plen + 7) & ~(size_t)7;
}

/* Decode @buf; stdout text into @out. */
static long decode(const unsigned char *buf, size_t len, char *out,
		   size_t outsz, struct run_result *res, bool *exit_seen)
{
	FILE *f = fmemopen(out, outsz, "w");
	long n;

	ck_assert_ptr_nonnull(f);
	memset(out, 0, outsz);
	n = output_records(&prog, buf, len, f, res, exit_seen);
	fclose(f);
	return n;
}

START_TEST(test_printf_record)
{
	unsigned char buf[256], p[64];
	struct run_result res = { 0 };
	bool ex = false;
	char out[128];
	size_t len = 0, pl = 0;
	u32 fmt = 0;
	s64 v = -42;
	u16 sl = 3;

	memcpy(p + pl, &fmt, 4), pl += 4;
	memcpy(p + pl, &v, 8), pl += 8;
	memcpy(p + pl, &sl, 2), pl += 2;
	memcpy(p + pl, "abc", 3), pl += 3;
	put_rec(buf, &len, VT_REC_PRINTF, p, pl);
	fmt = 1;
	put_rec(buf, &len, VT_REC_PRINTF, &fmt, 4);
	put_rec(buf, &len, VT_REC_EXIT, NULL, 0);
	ck_assert_int_eq(decode(buf, len, out, sizeof(out), &res, &ex),
			 (long)len);
	ck_assert_str_eq(out, "n=-42 s=abc\nplain\n");
	ck_assert(ex);
	ck_assert_int_eq(res.records, 3);
	ck_assert_int_eq(res.errors, 0);
}
END_TEST

START_TEST(test_error_record_counts)
{
	struct vt_rec_error e = { .pc = 1, .fault = VT_FAULT_DIVZERO };
	struct run_result res = { 0 };
	unsigned char buf[64];
	bool ex = false;
	char out[16];
	size_t len = 0;

	put_rec(buf, &len, VT_REC_ERROR, &e, sizeof(e));
	ck_assert_int_eq(decode(buf, len, out, sizeof(out), &res, &ex),
			 (long)len);
	ck_assert_int_eq(res.errors, 1);
	ck_assert(!ex);
}
END_TEST

/* Each malformed printf payload is refused (-1), never over-read. */
START_TEST(test_malformed_records)
{
	static const struct {
		const char *name;
		unsigned char payload[24];
		size_t len;
	} cases[] = {
		{ "no format id", { 0 }, 2 },
		{ "format id out of range", { 9, 0, 0, 0 }, 4 },
		{ "long argument cut short", { 0, 0, 0, 0, 1, 2 }, 6 },
		{ "string length past the end",
		  { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 200, 0, 'x' }, 15 },
		{ "trailing bytes",
		  { 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 'x', 'y' }, 16 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run_result res = { 0 };
		unsigned char buf[64];
		bool ex = false;
		char out[64];
		size_t len = 0;

		put_rec(buf, &len, VT_REC_PRINTF, cases[i].payload,
			cases[i].len);
		ck_assert_msg(decode(buf, len, out, sizeof(out), &res, &ex) < 0,
			      "accepted: %s", cases[i].name);
	}
}
END_TEST

START_TEST(test_unknown_type_and_partial)
{
	struct run_result res = { 0 };
	unsigned char buf[64];
	struct vt_rec r;
	bool ex = false;
	char out[16];
	size_t len = 0;

	put_rec(buf, &len, 77, NULL, 0);
	ck_assert_int_lt(decode(buf, len, out, sizeof(out), &res, &ex), 0);

	/* A record claiming more bytes than were read is left unconsumed. */
	memset(&r, 0, sizeof(r));
	r.size = 40;
	r.type = VT_REC_EXIT;
	memcpy(buf, &r, sizeof(r));
	ck_assert_int_eq(decode(buf, sizeof(r), out, sizeof(out), &res, &ex),
			 0);
	ck_assert(!ex);
	/* A size smaller than the header is not a record either. */
	r.size = 4;
	memcpy(buf, &r, sizeof(r));
	ck_assert_int_eq(decode(buf, sizeof(r), out, sizeof(out), &res, &ex),
			 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_output");
	TCase *tc = tcase_create("records");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_printf_record);
	tcase_add_test(tc, test_error_record_counts);
	tcase_add_test(tc, test_malformed_records);
	tcase_add_test(tc, test_unknown_type_and_partial);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
