// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_record.c - the output record codec (vm/record.c): records the
 * VM encodes decode back to the same values, and malformed input (every
 * truncation, a byte too many, bad ids, bad sizes) is refused without a
 * read outside the bytes given (ASan checks that: every buffer below is
 * a heap copy of exactly the bytes under test).
 */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "host_mock.h"
#include "imgbuild.h"
#include "vt_record.h"

static struct vt_prog prog;
static void *image;
static struct host_mock *mock;
static u32 fmt_ls, fmt_sl, map_log;

/* Format 1 "%d %s\n" (ls), a LOG histogram map 0, a unit that prints. */
static void setup(void)
{
	struct imgb *b = imgb_new();
	char log[VT_LOG_MAX];
	struct vt_exec ex;
	u32 size;

	imgb_format(b, "plain\n", "");
	fmt_ls = imgb_format(b, "%d %s\n", "ls");
	fmt_sl = imgb_format(b, "%s %d\n", "sl");
	map_log = imgb_map(b, "h", "", 1, VT_MAPV_STAT);
	imgb_map_hist(b, map_log, VT_HIST_LOG, 0, 0, 0);
	imgb_unit_begin(b);
	imgb_insn(b, VT_OP_LDI, 0, 0, 0, -42);
	imgb_insn(b, VT_OP_SLDC, 0, 0, 0, (s32)imgb_str(b, "hello"));
	imgb_insn(b, VT_OP_PRINTF, 0, 0, 0, (s32)fmt_ls);
	imgb_insn(b, VT_OP_SADD, 0, 0, 0, (s32)map_log);
	imgb_insn(b, VT_OP_SHIST, 0, 0, 0, (s32)map_log);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit_end(b, 1, 1, "probe begin");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	image = imgb_finish(b, &size);
	imgb_free(b);
	ck_assert_msg(vt_prog_load(&prog, image, size, log, sizeof(log)) == 0,
		      "%s", log);
	mock = calloc(1, sizeof(*mock));
	ck_assert_ptr_nonnull(mock);
	host_mock_init(mock);
	mock->nvslots = 1;
	host_mock_exec_init(&ex, &prog, mock);
	ck_assert_int_eq(vt_run(&ex, 0), VT_FAULT_NONE);
	host_mock_exec_free(&ex);
	ck_assert_uint_eq(mock->nrecords, 2);
}

static void teardown(void)
{
	free(mock);
	free(image);
}

/* A heap copy of @n bytes, so ASan sees any read past them. */
static u8 *dup_bytes(const void *p, u32 n)
{
	u8 *d = malloc(n ? n : 1);

	ck_assert_ptr_nonnull(d);
	memcpy(d, p, n);
	return d;
}

static const struct vt_rec *rec_at(u32 i, const u8 **payload, u32 *len)
{
	const struct vt_rec *r = host_mock_record(mock, i);

	*payload = (const u8 *)(r + 1);
	*len = r->size - (u32)sizeof(*r);
	return r;
}

START_TEST(test_stream_walk)
{
	struct vt_rec_view rv;
	u64 pos = 0;

	ck_assert_int_eq(vt_rec_next(mock->buf, mock->used, &pos, &rv), 1);
	ck_assert_uint_eq(rv.type, VT_REC_PRINTF);
	ck_assert_uint_eq(pos % 8, 0);
	ck_assert_int_eq(vt_rec_next(mock->buf, mock->used, &pos, &rv), 1);
	ck_assert_uint_eq(rv.type, VT_REC_HIST);
	ck_assert_uint_eq(pos, mock->used);
	ck_assert_int_eq(vt_rec_next(mock->buf, mock->used, &pos, &rv), 0);
	ck_assert_uint_eq(pos, mock->used);
}
END_TEST

START_TEST(test_printf_roundtrip)
{
	struct vt_rec_printf pf;
	const u8 *p;
	char out[64];
	u32 len;

	rec_at(0, &p, &len);
	ck_assert_int_eq(vt_rec_printf(&prog, p, len, &pf), 0);
	ck_assert_uint_eq(pf.format, fmt_ls);
	ck_assert_uint_eq(pf.nargs, 2);
	ck_assert_int_eq(pf.args[0].l, -42);
	ck_assert_uint_eq(pf.args[1].slen, 5);
	ck_assert_int_eq(memcmp(pf.args[1].s, "hello", 5), 0);
	vt_format(out, sizeof(out), pf.text, pf.sig, pf.args, pf.nargs);
	ck_assert_str_eq(out, "-42 hello\n");
}
END_TEST

/* Every prefix of the payload, and one byte more, is refused. */
START_TEST(test_printf_truncated)
{
	struct vt_rec_printf pf;
	const u8 *p;
	u32 len, n;
	u8 *d;

	rec_at(0, &p, &len);
	for (n = 0; n < len; n++) {
		d = dup_bytes(p, n);
		ck_assert_msg(vt_rec_printf(&prog, d, n, &pf) == VT_REC_BAD,
			      "prefix %u of %u accepted", n, len);
		free(d);
	}
	d = malloc(len + 1);
	memcpy(d, p, len);
	d[len] = 0;
	ck_assert_int_eq(vt_rec_printf(&prog, d, len + 1, &pf), VT_REC_BAD);
	free(d);
}
END_TEST

START_TEST(test_printf_bad_fields)
{
	struct vt_rec_printf pf;
	const u8 *p;
	u32 len, id;
	u16 slen;
	u8 *d;

	rec_at(0, &p, &len);
	d = dup_bytes(p, len);
	id = prog.nformats;		/* format id out of range */
	memcpy(d, &id, 4);
	ck_assert_int_eq(vt_rec_printf(&prog, d, len, &pf), VT_REC_BAD);
	id = 0;				/* "plain": no arguments, bytes left */
	memcpy(d, &id, 4);
	ck_assert_int_eq(vt_rec_printf(&prog, d, len, &pf), VT_REC_BAD);
	memcpy(d, &fmt_ls, 4);
	slen = 6;			/* the string runs past the payload */
	memcpy(d + 12, &slen, 2);
	ck_assert_int_eq(vt_rec_printf(&prog, d, len, &pf), VT_REC_BAD);
	slen = 0xffff;
	memcpy(d + 12, &slen, 2);
	ck_assert_int_eq(vt_rec_printf(&prog, d, len, &pf), VT_REC_BAD);
	free(d);
	/* A string running past the end, then a long: nothing read past. */
	u8 sl[4 + 2 + 8];
	memcpy(sl, &fmt_sl, 4);
	slen = 9;
	memcpy(sl + 4, &slen, 2);
	memset(sl + 6, 'x', 8);
	d = dup_bytes(sl, sizeof(sl));
	ck_assert_int_eq(vt_rec_printf(&prog, d, sizeof(sl), &pf), VT_REC_BAD);
	slen = 0;
	memcpy(d + 4, &slen, 2);
	ck_assert_int_eq(vt_rec_printf(&prog, d, sizeof(sl), &pf), 0);
	free(d);
}
END_TEST

START_TEST(test_hist)
{
	s64 buckets[VT_HIST_BUCKETS_MAX];
	struct vt_rec_hist h;
	const u8 *p;
	u32 len, n;
	u8 *d;

	rec_at(1, &p, &len);
	ck_assert_int_eq(vt_rec_hist(&prog, p, len, &h, buckets), 0);
	ck_assert_uint_eq(h.map, map_log);
	ck_assert_uint_eq(h.nbuckets, VT_HIST_LOG_BUCKETS);
	ck_assert_int_eq(h.stat.count, 1);
	ck_assert_int_eq(h.stat.sum, -42);
	/* -42: 32 <= 42 < 64, bucket ZERO - 6 */
	ck_assert_int_eq(buckets[VT_HIST_LOG_ZERO - 6], 1);
	for (n = 0; n < len; n += 7) {
		d = dup_bytes(p, n);
		ck_assert_int_eq(vt_rec_hist(&prog, d, n, &h, buckets),
				 VT_REC_BAD);
		free(d);
	}
	d = dup_bytes(p, len);
	h.map = 1;			/* no such map */
	memcpy(d, &h.map, 4);
	ck_assert_int_eq(vt_rec_hist(&prog, d, len, &h, buckets), VT_REC_BAD);
	memcpy(d, p, len);
	n = VT_HIST_BUCKETS_MAX + 1;	/* more buckets than the map has */
	memcpy(d + offsetof(struct vt_rec_hist, nbuckets), &n, 4);
	ck_assert_int_eq(vt_rec_hist(&prog, d, len, &h, buckets), VT_REC_BAD);
	memcpy(d, p, len);
	d[offsetof(struct vt_rec_hist, hist)] = VT_HIST_LINEAR;
	ck_assert_int_eq(vt_rec_hist(&prog, d, len, &h, buckets), VT_REC_BAD);
	free(d);
}
END_TEST

START_TEST(test_error_and_stopped)
{
	struct vt_rec_error e = { .pc = 3, .fault = VT_FAULT_USER, .detail = 9 };
	struct vt_rec_stopped st = { .reason = VT_STOP_DEADMAN, .detail = 5 };
	struct vt_rec_stopped st2;
	struct vt_rec_error e2;
	u8 buf[sizeof(e) + 4];
	const char *msg;
	u32 msglen;
	u8 *d;

	memcpy(buf, &e, sizeof(e));
	memcpy(buf + sizeof(e), "oops", 4);
	d = dup_bytes(buf, sizeof(buf));
	ck_assert_int_eq(vt_rec_error(d, sizeof(buf), &e2, &msg, &msglen), 0);
	ck_assert_uint_eq(e2.pc, 3);
	ck_assert_uint_eq(msglen, 4);
	ck_assert_int_eq(memcmp(msg, "oops", 4), 0);
	/* A message on any other fault, and a short struct, are refused. */
	e.fault = VT_FAULT_DIVZERO;
	memcpy(d, &e, sizeof(e));
	ck_assert_int_eq(vt_rec_error(d, sizeof(buf), &e2, &msg, &msglen),
			 VT_REC_BAD);
	ck_assert_int_eq(vt_rec_error(d, sizeof(e), &e2, &msg, &msglen), 0);
	ck_assert_uint_eq(msglen, 0);
	ck_assert_int_eq(vt_rec_error(d, sizeof(e) - 1, &e2, &msg, &msglen),
			 VT_REC_BAD);
	free(d);
	d = dup_bytes(&st, sizeof(st));
	ck_assert_int_eq(vt_rec_stopped(d, sizeof(st), &st2), 0);
	ck_assert_uint_eq(st2.reason, VT_STOP_DEADMAN);
	ck_assert_int_eq(vt_rec_stopped(d, sizeof(st) - 1, &st2), VT_REC_BAD);
	free(d);
}
END_TEST

/* Headers: too short, a size below the header, past the end, padding. */
START_TEST(test_stream_malformed)
{
	struct vt_rec r = { .size = sizeof(r) + 3, .type = VT_REC_EXIT };
	struct vt_rec_view rv;
	u8 buf[sizeof(r) + 3];
	u64 pos, n;
	u8 *d;

	memcpy(buf, &r, sizeof(r));
	memset(buf + sizeof(r), 0, 3);
	for (n = 0; n < sizeof(buf); n++) {
		d = dup_bytes(buf, (u32)n);
		pos = 0;
		ck_assert_int_eq(vt_rec_next(d, n, &pos, &rv), 0);
		ck_assert_uint_eq(pos, 0);
		free(d);
	}
	/* The last record's padding may be cut: pos stops at the end. */
	d = dup_bytes(buf, sizeof(buf));
	pos = 0;
	ck_assert_int_eq(vt_rec_next(d, sizeof(buf), &pos, &rv), 1);
	ck_assert_uint_eq(rv.len, 3);
	ck_assert_uint_eq(pos, sizeof(buf));
	/* A position past the end reads nothing. */
	pos = sizeof(buf) + 8;
	ck_assert_int_eq(vt_rec_next(d, sizeof(buf), &pos, &rv), 0);
	free(d);
	r.size = sizeof(r) - 1;
	memcpy(buf, &r, sizeof(r));
	d = dup_bytes(buf, sizeof(buf));
	pos = 0;
	ck_assert_int_eq(vt_rec_next(d, sizeof(buf), &pos, &rv), VT_REC_BAD);
	ck_assert_uint_eq(pos, 0);
	free(d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_record");
	TCase *tc = tcase_create("codec");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_stream_walk);
	tcase_add_test(tc, test_printf_roundtrip);
	tcase_add_test(tc, test_printf_truncated);
	tcase_add_test(tc, test_printf_bad_fields);
	tcase_add_test(tc, test_hist);
	tcase_add_test(tc, test_error_and_stopped);
	tcase_add_test(tc, test_stream_malformed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
