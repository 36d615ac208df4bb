// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_safety.c - regressions of issue 9 (findings 1, 3 and 7's
 * _tp_long): units that overlap, handlers looked up across units, the
 * handler lookup's cost, a load's cost on near-16 MiB images and the
 * loader's host hook (vt_host_load_yield, counted by the mock).
 *
 * Each test fails on c679835: there the overlap images load and write
 * past the frame (ASan stops the test), the lookup costs nothing, and
 * the large image takes hours to load (no step count at all).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_mock.h"
#include "imgbuild.h"

#define OP(b, op, x, y, z, k) imgb_insn(b, VT_OP_##op, x, y, z, k)

/* Load @b's image; 0 or the loader's verdict with its message in @log. */
static int load(struct imgb *b, void **img, struct vt_prog *prog, char *log)
{
	u32 size;

	*img = imgb_finish(b, &size);
	return vt_prog_load(prog, *img, size, log, VT_LOG_MAX);
}

/* Run @unit of @prog with @budget; the fault, with *left the budget left. */
static enum vt_fault run(const struct vt_prog *prog, u32 unit, s64 budget,
			 s64 *left, char *slot0, u32 slot_off)
{
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_exec ex;
	enum vt_fault f;

	ck_assert_ptr_nonnull(m);
	host_mock_init(m);
	host_mock_exec_init(&ex, prog, m);
	ex.budget = budget;
	f = vt_run(&ex, unit);
	if (left)
		*left = ex.budget;
	if (slot0)
		strcpy(slot0, (const char *)ex.frame + slot_off);
	ck_assert_ptr_null(m->pending);
	host_mock_exec_free(&ex);
	free(m);
	return f;
}

/*
 * Finding 1 as reported: unit A [0, 20) with 3 registers and 15 slots,
 * unit B [10, 15) with 256 registers; a handler of A (slot 14) covers
 * pc 10, where B divides by zero.  c679835 accepted it and wrote the
 * message 14 slots past B's 256 registers: past the frame memory.
 */
START_TEST(test_overlap_frame)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	u32 i;

	for (i = 0; i < 20; i++)
		OP(b, NOP, 0, 0, 0, 0);
	b->code[10] = (struct vt_insn){ VT_OP_DIV, 0, 1, 2, 0 };
	b->code[14].op = VT_OP_RET;
	b->code[19].op = VT_OP_RET;
	imgb_unit(b, 0, 20, 3, 15, "probe A");
	imgb_unit(b, 10, 5, VT_UNIT_REGS_MAX, 0, "probe B");
	imgb_probe(b, VT_PROBE_BEGIN, 1, "", "begin", 0, 0);
	imgb_handler(b, 10, 12, 16, 14, VT_HANDLER_F_MSG);
	if (load(b, &img, &prog, log) == 0)	/* c679835: ASan stops here */
		run(&prog, 1, 1000, NULL, NULL, 0);
	ck_assert_str_eq(log, "unit 1: code 10+5 overlaps or precedes unit 0 "
			 "(units sorted by code, disjoint)");
	free(img);
	imgb_free(b);
}
END_TEST

/*
 * The recursive form: B, a function inside A's code, calls itself to
 * MAXNESTING; the NESTING fault at its CALL finds A's handler (slot 14,
 * strsize 4096) and c679835 wrote the message ~57 KB past the frame
 * memory.
 */
START_TEST(test_overlap_recursion)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	u32 i;

	b->strsize = 4096;
	b->maxnesting = 50;
	for (i = 0; i < 20; i++)
		OP(b, NOP, 0, 0, 0, 0);
	b->code[10] = (struct vt_insn){ VT_OP_CALL, 0, 0, 0, 1 };
	b->code[11].op = VT_OP_RET;
	b->code[19].op = VT_OP_RET;
	imgb_unit(b, 0, 20, 3, 15, "probe A");
	imgb_unit(b, 10, 2, 1, 0, "f");
	imgb_usig(b, 1, "v");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	imgb_handler(b, 10, 11, 16, 14, VT_HANDLER_F_MSG);
	if (load(b, &img, &prog, log) == 0)
		run(&prog, 0, 100000, NULL, NULL, 0);
	ck_assert_str_eq(log, "unit 1: code 10+2 overlaps or precedes unit 0 "
			 "(units sorted by code, disjoint)");
	free(img);
	imgb_free(b);
}
END_TEST

/*
 * A legal deep recursion: probe P calls f, f calls itself until
 * MAXNESTING.  Caught in P (the fault unwinds every f frame) the
 * message lands in P's slot 1; caught in f's own handler it lands in
 * the deepest f's slot, and each f returns its depth + 1.
 */
static void build_recursion(struct imgb *b, bool catch_in_f)
{
	u32 f_pc;

	b->maxnesting = 40;
	/* P: r0 = f(0) in try { } catch (s1); RET */
	OP(b, LDI, 1, 0, 0, 0);
	OP(b, CALL, 0, 1, 0, 1);		/* pc 1 */
	OP(b, RET, 0, 0, 0, 0);
	OP(b, LDI, 0, 0, 0, -1);		/* pc 3: catch */
	OP(b, RET, 0, 0, 0, 0);
	imgb_unit(b, 0, 5, 2, 2, "probe P");
	imgb_handler(b, 1, 2, 3, 1, VT_HANDLER_F_MSG);
	/* f(n): r1 = n + 1; try { r1 = f(n + 1) } catch (s0) { }; return r1 */
	f_pc = OP(b, LDI, 2, 0, 0, 1);
	OP(b, ADD, 1, 0, 2, 0);
	OP(b, CALL, 1, 1, 0, 1);		/* f_pc + 2 */
	OP(b, RETL, 1, 0, 0, 0);
	OP(b, RETL, 1, 0, 0, 0);		/* f_pc + 4: catch */
	imgb_unit(b, f_pc, 5, 3, 1, "f");
	imgb_usig(b, 1, "ll");
	if (catch_in_f)
		imgb_handler(b, f_pc + 2, f_pc + 3, f_pc + 4, 0,
			     VT_HANDLER_F_MSG);
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
}

START_TEST(test_nesting_caught)
{
	struct vt_prog prog;
	char log[VT_LOG_MAX], msg[64];
	struct imgb *b;
	void *img;
	s64 left;
	int catch_in_f;

	for (catch_in_f = 0; catch_in_f < 2; catch_in_f++) {
		b = imgb_new();
		build_recursion(b, catch_in_f);
		ck_assert_msg(load(b, &img, &prog, log) == 0, "%s", log);
		/* P's frame is at stack_off: 2 registers, then slots */
		ck_assert_int_eq(run(&prog, 0, 100000, &left, msg,
				     prog.stack_off + 16 + prog.strsize),
				 VT_FAULT_NONE);
		ck_assert_str_eq(msg, catch_in_f ? "" : "MAXNESTING exceeded");
		ck_assert_int_lt(left, 100000 - 40 * 3);
		free(img);
		imgb_free(b);
	}
}
END_TEST

/*
 * Finding 1's lookup cost: unit 0 has 1000 handlers, unit 1 has 99 that
 * do not cover its fault and 1 that does.  The lookup costs its binary
 * search steps (about log2(1100)) plus the 100 entries of unit 1 it
 * looks at; a firing that cannot pay faults BUDGET instead (c679835:
 * the lookup was free, a scan of every handler).
 */
static void build_many_handlers(struct imgb *b)
{
	u32 i, pc;

	OP(b, NOP, 0, 0, 0, 0);
	OP(b, NOP, 0, 0, 0, 0);
	OP(b, RET, 0, 0, 0, 0);
	imgb_unit(b, 0, 3, 0, 0, "probe decoy");
	for (i = 0; i < 1000; i++)
		imgb_handler(b, 0, 1, 2, 0, 0);
	pc = OP(b, LDI, 0, 0, 0, 7);
	OP(b, DIV, 0, 0, 1, 0);		/* pc + 1: r1 = 0, DIVZERO */
	OP(b, RET, 0, 0, 0, 0);
	OP(b, RET, 0, 0, 0, 0);		/* pc + 3: catch */
	imgb_unit(b, pc, 4, 2, 0, "probe test");
	for (i = 0; i < 99; i++)
		imgb_handler(b, pc, pc + 1, pc + 3, 0, 0);
	imgb_handler(b, pc + 1, pc + 2, pc + 3, 0, 0);
	imgb_probe(b, VT_PROBE_BEGIN, 1, "", "begin", 0, 0);
}

START_TEST(test_handler_charge)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	s64 left, cost;
	void *img;

	build_many_handlers(b);
	ck_assert_msg(load(b, &img, &prog, log) == 0, "%s", log);
	ck_assert_int_eq(run(&prog, 1, 10000, &left, NULL, 0), VT_FAULT_NONE);
	cost = 10000 - left - 3;	/* LDI, DIV, RET */
	ck_assert_int_ge(cost, 100 + 10);
	ck_assert_int_le(cost, 100 + 12);
	/* One unit short of the lookup: BUDGET at the DIV, not caught. */
	ck_assert_int_eq(run(&prog, 1, 2 + cost - 1, &left, NULL, 0),
			 VT_FAULT_BUDGET);
	ck_assert_int_eq(left, 0);
	ck_assert_int_eq(run(&prog, 1, 2 + cost + 1, &left, NULL, 0),
			 VT_FAULT_NONE);
	free(img);
	imgb_free(b);
}
END_TEST

/*
 * Finding 3: a near-16 MiB image built to be slow on c679835 (hundreds
 * of thousands of units and handlers, the handlers all in the last unit,
 * so each one's unit_of() scanned every unit: hours), plus lines and
 * DFAs.  Its load must count at most size / 2 steps and ask the host
 * every VT_LOAD_YIELD_STEPS of them; the count grows with the size, not
 * faster (the same image at 1/16 of the size).  The last unit's n
 * handlers cover its NOP, not its DIV: a fault there scans them all,
 * charged, so budget 1000 ends it with BUDGET.
 */
static void build_large(struct imgb *b, u32 n, u32 ndfas)
{
	static u8 dfadata[2000 * 276];
	static struct vt_dfa_desc dfas[2000];
	u32 i, pc;

	for (i = 0; i + 1 < n; i++) {
		pc = OP(b, DIV, 0, 0, 0, 0);
		OP(b, RET, 0, 0, 0, 0);
		imgb_unit(b, pc, 2, 1, 1, "probe u");
		imgb_line(b, pc, "big.stp", i + 1, 1);
	}
	pc = OP(b, NOP, 0, 0, 0, 0);
	OP(b, DIV, 0, 0, 0, 0);
	OP(b, RET, 0, 0, 0, 0);
	imgb_unit(b, pc, 3, 1, 1, "probe last");
	for (i = 0; i < n; i++)
		imgb_handler(b, pc, pc + 1, pc + 2, 0, VT_HANDLER_F_MSG);
	imgb_probe(b, VT_PROBE_BEGIN, n - 1, "", "begin", 0, 0);
	/* DFAs for "a" (see test_vm_verify.c), one after the other */
	ck_assert_uint_le(ndfas, 2000);
	memset(dfadata, 0, sizeof(dfadata));
	for (i = 0; i < ndfas; i++) {
		u8 *d = dfadata + 276 * i;
		u16 tab[8] = { 1, 0, 0, 0, 1, 1, 1, 1 };

		memset(d, 1, 256);
		d['a'] = 0;
		memcpy(d + 256, tab, sizeof(tab));
		d[273] = 1;
		dfas[i] = (struct vt_dfa_desc){
			.classmap = 276 * i, .table = 276 * i + 256,
			.accept = 276 * i + 272, .nstates = 2, .nclasses = 4,
		};
	}
	b->dfas = dfas;
	b->ndfas = ndfas;
	b->dfadata = dfadata;
	b->ndfadata = 276 * ndfas;
}

/* Load a build_large(@n, @ndfas) image; its size and steps. */
static void load_large(u32 n, u32 ndfas, u32 *size, u64 *steps)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	s64 left;

	build_large(b, n, ndfas);
	img = imgb_finish(b, size);
	host_mock_load_reset();
	ck_assert_msg(vt_prog_load(&prog, img, *size, log, sizeof(log)) == 0,
		      "%s", log);
	*steps = prog.load_steps;
	ck_assert_uint_le(*steps, *size / 2);
	ck_assert_uint_eq(host_mock_load.calls, *steps / VT_LOAD_YIELD_STEPS);
	ck_assert_uint_le(host_mock_load.last_steps, *steps);
	ck_assert_int_eq(run(&prog, n - 1, 1000, &left, NULL, 0),
			 VT_FAULT_BUDGET);
	ck_assert_int_eq(left, 0);
	free(img);
	imgb_free(b);
}

START_TEST(test_large_image_linear)
{
	u32 small, big;
	u64 small_steps, big_steps;

	load_large(250000, 2000, &big, &big_steps);
	ck_assert_uint_gt(big, 15u << 20);
	ck_assert_uint_le(big, VT_IMAGE_MAX);
	load_large(250000 / 16, 2000 / 16, &small, &small_steps);
	printf("load: %u bytes %llu steps, %u bytes %llu steps\n", small,
	       (unsigned long long)small_steps, big,
	       (unsigned long long)big_steps);
	/* 16 times the image, at most 16.5 times the work */
	ck_assert_uint_le(big_steps * 2 * small, 33ull * small_steps * big / 2);
}
END_TEST

/* The host hook stops a load: VT_LOAD_STOPPED, "load interrupted". */
START_TEST(test_load_stopped)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	u32 size;

	build_large(b, 20000, 10);
	img = imgb_finish(b, &size);
	host_mock_load_reset();
	host_mock_load.stop_at = 3;
	ck_assert_int_eq(vt_prog_load(&prog, img, size, log, sizeof(log)),
			 VT_LOAD_STOPPED);
	ck_assert_str_eq(log, "load interrupted");
	ck_assert_uint_eq(host_mock_load.calls, 3);
	ck_assert_uint_eq(host_mock_load.last_steps, 3 * VT_LOAD_YIELD_STEPS);
	ck_assert_ptr_null(prog.code);
	host_mock_load_reset();
	ck_assert_int_eq(vt_prog_load(&prog, img, size, NULL, 0), 0);
	free(img);
	imgb_free(b);
}
END_TEST

/*
 * Overlapping units as a 16 MiB image (each unit covering all the
 * code: c679835 verified every unit's code, quadratic): rejected at the
 * second unit, in a handful of steps.
 */
START_TEST(test_overlap_large_cheap)
{
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	char log[VT_LOG_MAX];
	void *img;
	u32 i, n = 500000;

	for (i = 0; i + 1 < n; i++)
		OP(b, NOP, 0, 0, 0, 0);
	OP(b, RET, 0, 0, 0, 0);
	for (i = 0; i < n / 2; i++)
		imgb_unit(b, 0, n, 1, 1, "probe all");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	host_mock_load_reset();
	ck_assert_int_eq(load(b, &img, &prog, log), -1);
	ck_assert_str_eq(log, "unit 1: code 0+500000 overlaps or precedes "
			 "unit 0 (units sorted by code, disjoint)");
	ck_assert_uint_eq(host_mock_load.calls, 0);
	free(img);
	imgb_free(b);
}
END_TEST

/* Finding 7: _tp_long(off, INT64_MIN) faults HELPER (was -INT64_MIN, UB). */
START_TEST(test_tp_long_int64_min)
{
	static const u8 event[16] = { 0xff, 0xfe, 0xfd, 0xfc, 1, 2, 3, 4 };
	static const s64 sizes[] = { VT_S64_MIN, VT_S64_MIN + 1, 1ll << 32 | 4,
				     -(1ll << 32) - 2, 0 };
	struct host_mock *m = calloc(1, sizeof(*m));
	struct imgb *b = imgb_new();
	struct vt_prog prog;
	struct vt_exec ex;
	char log[VT_LOG_MAX];
	void *img;
	u32 i, c;

	c = imgb_const(b, 0);
	OP(b, LDI, 0, 0, 0, 0);
	OP(b, LDC, 1, 0, 0, c);
	OP(b, CALLH, 2, 0, 0, VT_HELPER__tp_long);
	OP(b, RET, 0, 0, 0, 0);
	imgb_unit(b, 0, 4, 3, 0, "probe tp");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	for (i = 0; i < VT_ARRAY_SIZE(sizes); i++) {
		b->consts[c] = sizes[i];
		ck_assert_msg(load(b, &img, &prog, log) == 0, "%s", log);
		host_mock_init(m);
		m->event = event;
		m->event_size = sizeof(event);
		host_mock_exec_init(&ex, &prog, m);
		ck_assert_int_eq(vt_run(&ex, 0), VT_FAULT_HELPER);
		host_mock_exec_free(&ex);
		free(img);
	}
	/* and the valid sizes still work: -4 sign-extends 0xfcfdfeff */
	b->consts[c] = -4;
	ck_assert_msg(load(b, &img, &prog, log) == 0, "%s", log);
	host_mock_exec_init(&ex, &prog, m);
	ck_assert_int_eq(vt_run(&ex, 0), VT_FAULT_NONE);
	ck_assert_int_eq(((s64 *)ex.frame)[2], (s64)(s32)0xfcfdfeffu);
	host_mock_exec_free(&ex);
	free(img);
	imgb_free(b);
	free(m);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_safety");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_overlap_frame);
	tcase_add_test(tc, test_overlap_recursion);
	tcase_add_test(tc, test_nesting_caught);
	tcase_add_test(tc, test_handler_charge);
	tcase_add_test(tc, test_large_image_linear);
	tcase_add_test(tc, test_load_stopped);
	tcase_add_test(tc, test_overlap_large_cheap);
	tcase_add_test(tc, test_tp_long_int64_min);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
