// SPDX-License-Identifier: GPL-2.0-only
/* test_vm_interp.c - the interpreter, run against the mock host. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "host_mock.h"
#include "imgbuild.h"

#define OP(op, x, y, z, k) imgb_insn(r->b, VT_OP_##op, x, y, z, k)

/* A program under test: build into r->b, then load and run unit r->unit. */
struct rig {
	struct imgb *b;
	void *img;
	struct vt_prog prog;
	struct host_mock m;
	struct vt_exec ex;
	u32 unit;
	u16 nregs, nslots;
};

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->b = imgb_new();
	r->b->strsize = 16;
	host_mock_init(&r->m);
	/* A decoy unit first, so unit code does not start at CODE index 0. */
	imgb_insn(r->b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit(r->b, 0, 1, 0, 0, "probe decoy");
	imgb_unit_begin(r->b);
	return r;
}

/* End the unit begun in rig_new(), load the image, set up the exec. */
static void rig_load(struct rig *r, u16 nregs, u16 nslots)
{
	char log[VT_LOG_MAX];
	u32 size;

	r->nregs = nregs;
	r->nslots = nslots;
	r->unit = imgb_unit_end(r->b, nregs, nslots, "probe test");
	imgb_probe(r->b, VT_PROBE_BEGIN, r->unit, "", "begin", 0, 0);
	r->img = imgb_finish(r->b, &size);
	ck_assert_msg(vt_prog_load(&r->prog, r->img, size, log, sizeof(log)) == 0,
		      "load: %s", log);
	host_mock_exec_init(&r->ex, &r->prog, &r->m);
}

static enum vt_fault rig_run(struct rig *r)
{
	enum vt_fault f = vt_run(&r->ex, r->unit);

	ck_assert_ptr_null(r->m.pending);
	return f;
}

static s64 reg(struct rig *r, u32 i)
{
	return ((s64 *)r->ex.frame)[i];
}

static const char *slot(struct rig *r, u32 i)
{
	return (const char *)r->ex.frame + r->nregs * 8 + i * r->prog.strsize;
}

static void rig_free(struct rig *r)
{
	host_mock_exec_free(&r->ex);
	free(r->img);
	imgb_free(r->b);
	free(r);
}

START_TEST(test_arith)
{
	struct rig *r = rig_new();

	OP(LDI, 0, 0, 0, 7);
	OP(LDI, 1, 0, 0, -3);
	OP(ADD, 2, 0, 1, 0);
	OP(SUB, 3, 0, 1, 0);
	OP(MUL, 4, 0, 1, 0);
	OP(DIV, 5, 0, 1, 0);
	OP(MOD, 6, 0, 1, 0);
	OP(AND, 7, 0, 1, 0);
	OP(OR, 8, 0, 1, 0);
	OP(XOR, 9, 0, 1, 0);
	OP(NEG, 10, 1, 0, 0);
	OP(NOT, 11, 0, 0, 0);
	OP(LNOT, 12, 0, 0, 0);
	OP(LNOT, 13, 14, 0, 0);
	OP(MOV, 14, 1, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 15, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), 4);
	ck_assert_int_eq(reg(r, 3), 10);
	ck_assert_int_eq(reg(r, 4), -21);
	ck_assert_int_eq(reg(r, 5), -2);
	ck_assert_int_eq(reg(r, 6), 1);
	ck_assert_int_eq(reg(r, 7), 7 & -3);
	ck_assert_int_eq(reg(r, 8), 7 | -3);
	ck_assert_int_eq(reg(r, 9), 7 ^ -3);
	ck_assert_int_eq(reg(r, 10), 3);
	ck_assert_int_eq(reg(r, 11), ~7);
	ck_assert_int_eq(reg(r, 12), 0);
	ck_assert_int_eq(reg(r, 13), 1);	/* r14 read before written: 0 */
	ck_assert_int_eq(reg(r, 14), -3);
	ck_assert_int_eq(r->ex.budget, 10000 - 16);
	rig_free(r);
}
END_TEST

START_TEST(test_wrapping)
{
	struct rig *r = rig_new();

	imgb_const(r->b, INT64_MAX);
	imgb_const(r->b, INT64_MIN);
	OP(LDC, 0, 0, 0, 0);
	OP(LDC, 1, 0, 0, 1);
	OP(LDI, 2, 0, 0, 1);
	OP(ADD, 3, 0, 2, 0);	/* MAX + 1 */
	OP(SUB, 4, 1, 2, 0);	/* MIN - 1 */
	OP(MUL, 5, 0, 0, 0);	/* MAX * MAX */
	OP(NEG, 6, 1, 0, 0);	/* -MIN */
	OP(LDI, 7, 0, 0, -1);
	OP(MUL, 8, 1, 7, 0);	/* MIN * -1 */
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 9, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 3), INT64_MIN);
	ck_assert_int_eq(reg(r, 4), INT64_MAX);
	ck_assert_int_eq(reg(r, 5), 1);
	ck_assert_int_eq(reg(r, 6), INT64_MIN);
	ck_assert_int_eq(reg(r, 8), INT64_MIN);
	rig_free(r);
}
END_TEST

/* DIV and MOD faults, with the absolute pc of the faulting instruction. */
static void div_fault(int op, s64 l, s64 rv, enum vt_fault want)
{
	struct rig *r = rig_new();
	u32 pc;

	imgb_const(r->b, l);
	imgb_const(r->b, rv);
	OP(LDC, 0, 0, 0, 0);
	OP(LDC, 1, 0, 0, 1);
	pc = imgb_insn(r->b, (u8)op, 2, 0, 1, 0);
	OP(LDI, 3, 0, 0, 1);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 4, 0);
	ck_assert_int_eq(rig_run(r), want);
	ck_assert_uint_eq(r->ex.fault_pc, pc);
	ck_assert_uint_eq(pc, 3);
	ck_assert_int_eq(reg(r, 3), 0);	/* stopped at the fault */
	rig_free(r);
}

START_TEST(test_div_faults)
{
	div_fault(VT_OP_DIV, 5, 0, VT_FAULT_DIVZERO);
	div_fault(VT_OP_MOD, 5, 0, VT_FAULT_DIVZERO);
	div_fault(VT_OP_DIV, INT64_MIN, -1, VT_FAULT_OVERFLOW);
	div_fault(VT_OP_MOD, INT64_MIN, -1, VT_FAULT_OVERFLOW);
}
END_TEST

START_TEST(test_div_edges)
{
	struct rig *r = rig_new();

	imgb_const(r->b, INT64_MIN);
	OP(LDC, 0, 0, 0, 0);
	OP(LDI, 1, 0, 0, 2);
	OP(DIV, 2, 0, 1, 0);
	OP(MOD, 3, 0, 1, 0);
	OP(LDI, 4, 0, 0, -7);
	OP(MOD, 5, 4, 1, 0);	/* C semantics: -1 */
	OP(DIV, 6, 4, 1, 0);	/* -3 */
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 7, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), INT64_MIN / 2);
	ck_assert_int_eq(reg(r, 3), 0);
	ck_assert_int_eq(reg(r, 5), -1);
	ck_assert_int_eq(reg(r, 6), -3);
	rig_free(r);
}
END_TEST

START_TEST(test_shifts)
{
	struct rig *r = rig_new();

	OP(LDI, 0, 0, 0, 1);
	OP(LDI, 1, 0, 0, 65);
	OP(SHL, 2, 0, 1, 0);	/* 1 << (65 & 63) = 2 */
	OP(LDI, 3, 0, 0, 63);
	OP(SHL, 4, 0, 3, 0);	/* INT64_MIN */
	OP(LDI, 5, 0, 0, -16);
	OP(LDI, 6, 0, 0, 2);
	OP(SHR, 7, 5, 6, 0);	/* -4 */
	OP(SHR, 8, 4, 3, 0);	/* MIN >> 63 = -1 */
	OP(LDI, 9, 0, 0, -1);
	OP(SHR, 10, 1, 9, 0);	/* 65 >> 63 = 0 */
	OP(SHL, 11, 0, 9, 0);	/* 1 << 63 */
	OP(LDI, 12, 0, 0, 0x7f00);
	OP(SHR, 13, 12, 6, 0);	/* 0x1fc0 */
	OP(SHR, 14, 9, 9, 0);	/* -1 >> 63 = -1 */
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 15, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), 2);
	ck_assert_int_eq(reg(r, 4), INT64_MIN);
	ck_assert_int_eq(reg(r, 7), -4);
	ck_assert_int_eq(reg(r, 8), -1);
	ck_assert_int_eq(reg(r, 10), 0);
	ck_assert_int_eq(reg(r, 11), INT64_MIN);
	ck_assert_int_eq(reg(r, 13), 0x1fc0);
	ck_assert_int_eq(reg(r, 14), -1);
	rig_free(r);
}
END_TEST

START_TEST(test_compare)
{
	struct rig *r = rig_new();
	static const int ops[] = {
		VT_OP_EQ, VT_OP_NE, VT_OP_LT, VT_OP_LE, VT_OP_GT, VT_OP_GE,
	};
	/* results for (-1, 1), (1, -1), (5, 5) */
	static const s64 want[6][3] = {
		{ 0, 0, 1 }, { 1, 1, 0 }, { 1, 0, 0 },
		{ 1, 0, 1 }, { 0, 1, 0 }, { 0, 1, 1 },
	};
	u32 i;

	OP(LDI, 0, 0, 0, -1);
	OP(LDI, 1, 0, 0, 1);
	OP(LDI, 2, 0, 0, 5);
	for (i = 0; i < 6; i++) {
		imgb_insn(r->b, (u8)ops[i], 3 + i * 3, 0, 1, 0);
		imgb_insn(r->b, (u8)ops[i], 4 + i * 3, 1, 0, 0);
		imgb_insn(r->b, (u8)ops[i], 5 + i * 3, 2, 2, 0);
	}
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 21, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	for (i = 0; i < 6; i++)
		for (u32 j = 0; j < 3; j++)
			ck_assert_msg(reg(r, 3 + i * 3 + j) == want[i][j],
				      "%s case %u", vt_opcode_info[ops[i]].name, j);
	rig_free(r);
}
END_TEST

/* sum = 0; i = 10; while (i) { sum += i; i-- }  -> 55 */
static struct rig *sum_loop(u32 budget)
{
	struct rig *r = rig_new();
	u32 loop, jz, end;

	r->b->budget = budget;
	OP(LDI, 1, 0, 0, 10);
	OP(LDI, 2, 0, 0, 1);
	loop = OP(LOOP, 0, 0, 0, 0);
	jz = OP(JZ, 1, 0, 0, 0);
	OP(ADD, 0, 0, 1, 0);
	OP(SUB, 1, 1, 2, 0);
	end = OP(JMP, 0, 0, 0, 0);
	r->b->code[end].k = imgb_rel(end, loop);
	r->b->code[jz].k = imgb_rel(jz, OP(RET, 0, 0, 0, 0));
	rig_load(r, 3, 0);
	return r;
}

/* Executed: 2 + 10 * 5 + 2 (LOOP, JZ) + RET = 55 instructions. */
START_TEST(test_loop_fits)
{
	struct rig *r = sum_loop(55);

	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 55);
	ck_assert_int_eq(r->ex.budget, 0);
	rig_free(r);
	r = sum_loop(54);
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUDGET);
	ck_assert_uint_eq(r->ex.fault_pc, 1 + 7);	/* the RET */
	rig_free(r);
}
END_TEST

START_TEST(test_budget_infinite)
{
	struct rig *r = rig_new();

	r->b->budget = 1000;
	OP(LOOP, 0, 0, 0, 0);
	OP(JMP, 0, 0, 0, -2);
	rig_load(r, 0, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUDGET);
	ck_assert_int_eq(r->ex.budget, 0);
	/* 1000 instructions ran: LOOP, JMP alternately; the 1001st is LOOP. */
	ck_assert_uint_eq(r->ex.fault_pc, 1);
	/* A budget already spent faults on the first instruction. */
	r->ex.budget = 0;
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUDGET);
	rig_free(r);
}
END_TEST

START_TEST(test_globals)
{
	struct rig *r = rig_new();

	imgb_lglobal(r->b, "a", 40);
	imgb_lglobal(r->b, "b", 0);
	OP(GLD, 0, 0, 0, 0);
	OP(LDI, 1, 0, 0, 1);
	OP(ADD, 0, 0, 1, 0);
	OP(GST, 0, 0, 0, 0);
	OP(GST, 0, 0, 0, 1);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 2, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(r->ex.lglobals[0], 41);
	r->ex.budget = 100;
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(r->ex.lglobals[0], 42);
	ck_assert_int_eq(r->ex.lglobals[1], 42);
	rig_free(r);
}
END_TEST

START_TEST(test_strings)
{
	struct rig *r = rig_new();

	/* strsize 16: at most 15 characters */
	imgb_sglobal(r->b, "g", "initial value that is too long");
	OP(SLDC, 0, 0, 0, imgb_str(r->b, "0123456789"));
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "abcdefghij"));
	OP(SCAT, 2, 0, 1, 0);		/* truncated */
	OP(SMOV, 3, 0, 0, 0);
	OP(SCAT, 3, 3, 1, 0);		/* a == b */
	OP(SLDC, 4, 0, 0, imgb_str(r->b, "xy"));
	OP(SLDC, 5, 0, 0, imgb_str(r->b, "12"));
	OP(SCAT, 5, 4, 5, 0);		/* a == c: "xy12" */
	OP(SCAT, 4, 4, 4, 0);		/* a == b == c: "xyxy" */
	OP(SCMP, 0, 0, 1, 0);		/* "0.." < "a.." */
	OP(SCMP, 1, 1, 0, 0);
	OP(SCMP, 2, 0, 0, 0);
	OP(SLDC, 6, 0, 0, imgb_str(r->b, "\xff"));
	OP(SCMP, 3, 6, 1, 0);		/* unsigned bytes: 0xff > 'a' */
	OP(SCMP, 4, 4, 5, 0);		/* "xyxy" vs "xy12" */
	OP(SLDC, 7, 0, 0, imgb_str(r->b, "xy"));
	OP(SCMP, 5, 7, 4, 0);		/* prefix is less */
	OP(SGLD, 8, 0, 0, 0);
	OP(SGST, 1, 0, 0, 0);
	OP(SLDC, 9, 0, 0, imgb_str(r->b, "a string longer than 16"));
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 6, 11);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_str_eq(slot(r, 2), "0123456789abcde");
	ck_assert_str_eq(slot(r, 3), "0123456789abcde");
	ck_assert_str_eq(slot(r, 5), "xy12");
	ck_assert_str_eq(slot(r, 4), "xyxy");
	ck_assert_int_eq(reg(r, 0), -1);
	ck_assert_int_eq(reg(r, 1), 1);
	ck_assert_int_eq(reg(r, 2), 0);
	ck_assert_int_eq(reg(r, 3), 1);
	ck_assert_int_eq(reg(r, 4), 1);
	ck_assert_int_eq(reg(r, 5), -1);
	ck_assert_str_eq(slot(r, 8), "initial value t");
	ck_assert_str_eq(r->ex.sglobals, "abcdefghij");
	ck_assert_str_eq(slot(r, 9), "a string longer");
	ck_assert_str_eq(slot(r, 10), "");	/* never written: "" */
	rig_free(r);
}
END_TEST

/* SCAT with the full slot on both sides, a == c (the overlapping move). */
START_TEST(test_scat_alias_full)
{
	struct rig *r = rig_new();

	OP(SLDC, 0, 0, 0, imgb_str(r->b, "abcdefgh"));
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "0123456789ABCDE"));
	OP(SCAT, 1, 0, 1, 0);
	OP(SMOV, 2, 0, 0, 0);
	OP(SCAT, 2, 2, 2, 0);
	OP(SCAT, 2, 2, 2, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 0, 3);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_str_eq(slot(r, 1), "abcdefgh0123456");
	ck_assert_str_eq(slot(r, 2), "abcdefghabcdefg");
	rig_free(r);
}
END_TEST

START_TEST(test_printf_record)
{
	struct rig *r = rig_new();
	const struct vt_rec *rec;
	const u8 *p;
	s64 l;
	u16 n;
	u32 id;

	imgb_format(r->b, "unused\n", "");
	u32 f = imgb_format(r->b, "%d %s %d %s\n", "lsls");
	OP(LDI, 2, 0, 0, -5);
	OP(LDI, 3, 0, 0, 77);
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "hello"));
	OP(PRINTF, 2, 1, 0, f);	/* longs r2, r3; strings s1, s2 ("") */
	OP(PRINTF, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 4, 3);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.nrecords, 2);
	rec = host_mock_record(&r->m, 0);
	ck_assert_uint_eq(rec->type, VT_REC_PRINTF);
	ck_assert_uint_eq(rec->size, sizeof(*rec) + 4 + 8 + 2 + 5 + 8 + 2);
	ck_assert_uint_eq(rec->cpu, 3);
	p = (const u8 *)(rec + 1);
	memcpy(&id, p, 4);
	ck_assert_uint_eq(id, f);
	memcpy(&l, p + 4, 8);
	ck_assert_int_eq(l, -5);
	memcpy(&n, p + 12, 2);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(memcmp(p + 14, "hello", 5), 0);
	memcpy(&l, p + 19, 8);
	ck_assert_int_eq(l, 77);
	memcpy(&n, p + 27, 2);
	ck_assert_uint_eq(n, 0);
	rec = host_mock_record(&r->m, 1);
	ck_assert_uint_eq(rec->size, sizeof(*rec) + 4);
	memcpy(&id, rec + 1, 4);
	ck_assert_uint_eq(id, 0);
	rig_free(r);
}
END_TEST

/* A full buffer drops the record and the unit goes on. */
START_TEST(test_printf_dropped)
{
	struct rig *r = rig_new();

	imgb_format(r->b, "x\n", "");
	OP(PRINTF, 0, 0, 0, 0);
	OP(LDI, 0, 0, 0, 9);
	OP(PRINTF, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 1, 0);
	r->m.full = true;
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 9);
	ck_assert_uint_eq(r->m.drops, 2);
	ck_assert_uint_eq(r->m.nrecords, 0);
	ck_assert_uint_eq(r->m.commits, 0);
	rig_free(r);
}
END_TEST

START_TEST(test_helpers)
{
	struct rig *r = rig_new();

	r->b->strsize = 16;
	OP(CALLH, 0, 0, 0, VT_HELPER_pid);
	OP(CALLH, 1, 0, 0, VT_HELPER_tid);
	OP(CALLH, 2, 0, 0, VT_HELPER_cpu);
	OP(CALLH, 3, 0, 0, VT_HELPER_gettimeofday_ns);
	OP(CALLH, 1, 0, 0, VT_HELPER_execname);
	OP(CALLH, 0, 0, 0, VT_HELPER_exit);
	OP(CALLH, 4, 0, 0, VT_HELPER_task_current);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 5, 2);
	strcpy(r->m.comm, "a-very-long-command-name");
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 4242);
	ck_assert_int_eq(reg(r, 1), 4243);
	ck_assert_int_eq(reg(r, 2), 3);
	ck_assert_int_eq(reg(r, 3), 1000000123);
	ck_assert_uint_eq((u64)reg(r, 4), 0xffff888000104200ull);
	ck_assert_str_eq(slot(r, 1), "a-very-long-com");
	ck_assert(r->m.exited);
	rig_free(r);
}
END_TEST

/* Registers and slots start 0 / "" whatever the frame held. */
START_TEST(test_frame_reset)
{
	struct rig *r = rig_new();
	const struct vt_rec *rec;
	s64 l;
	u16 n;

	imgb_format(r->b, "%d %s\n", "ls");
	OP(PRINTF, 3, 1, 0, 0);
	OP(LDI, 3, 0, 0, 5);
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "dirty"));
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 4, 2);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	r->ex.budget = 100;
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.nrecords, 2);
	rec = host_mock_record(&r->m, 1);
	memcpy(&l, (const u8 *)(rec + 1) + 4, 8);
	memcpy(&n, (const u8 *)(rec + 1) + 12, 2);
	ck_assert_int_eq(l, 0);
	ck_assert_uint_eq(n, 0);
	rig_free(r);
}
END_TEST

/*
 * Unit 1: f:long(n:long) { return n ? 1 + f(n - 1) : 0 }, called from
 * unit 0 with n in r0; maxnesting calls fit, one more faults at the
 * CALL with the callee in fault_detail.  The budget runs across calls.
 */
static enum vt_fault run_recursion(s64 n, u32 maxnesting, s64 budget,
				   s64 *result, struct vt_exec *out_ex)
{
	struct imgb *b = imgb_new();
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_prog prog;
	struct vt_exec ex;
	enum vt_fault f;
	char log[VT_LOG_MAX];
	void *img;
	u32 size;

	imgb_insn(b, VT_OP_LDC, 0, 0, 0, imgb_const(b, n));	/* unit 0 */
	imgb_insn(b, VT_OP_CALL, 1, 0, 0, 1);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit(b, 0, 3, 2, 0, "probe begin");
	imgb_insn(b, VT_OP_JZ, 0, 0, 0, 5);			/* unit 1, pc 3 */
	imgb_insn(b, VT_OP_LDI, 1, 0, 0, 1);
	imgb_insn(b, VT_OP_SUB, 2, 0, 1, 0);
	imgb_insn(b, VT_OP_CALL, 2, 2, 0, 1);
	imgb_insn(b, VT_OP_ADD, 2, 2, 1, 0);
	imgb_insn(b, VT_OP_RETL, 2, 0, 0, 0);
	imgb_insn(b, VT_OP_RETL, 0, 0, 0, 0);			/* pc 9 */
	imgb_unit(b, 3, 7, 3, 0, "f");
	imgb_usig(b, 1, "ll");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	b->maxnesting = maxnesting;
	img = imgb_finish(b, &size);
	ck_assert_msg(vt_prog_load(&prog, img, size, log, sizeof(log)) == 0,
		      "load: %s", log);
	ck_assert_uint_eq(prog.frame_size, 16 * maxnesting + 24 +
			  maxnesting * 24);
	host_mock_init(m);
	host_mock_exec_init(&ex, &prog, m);
	ex.budget = budget;
	f = vt_run(&ex, 0);
	*result = ((s64 *)(ex.frame + prog.stack_off))[1];
	*out_ex = ex;
	out_ex->frame = NULL;
	host_mock_exec_free(&ex);
	free(img);
	imgb_free(b);
	free(m);
	return f;
}

START_TEST(test_call_nesting)
{
	struct vt_exec ex;
	s64 v;

	ck_assert_int_eq(run_recursion(9, 10, 1000, &v, &ex), VT_FAULT_NONE);
	ck_assert_int_eq(v, 9);
	ck_assert_int_eq(run_recursion(0, 1, 1000, &v, &ex), VT_FAULT_NONE);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(run_recursion(10, 10, 1000, &v, &ex),
			 VT_FAULT_NESTING);
	ck_assert_uint_eq(ex.fault_pc, 6);
	ck_assert_int_eq(ex.fault_detail, 1);
	ck_assert_int_eq(run_recursion(3, 0, 1000, &v, &ex), VT_FAULT_NESTING);
	ck_assert_uint_eq(ex.fault_pc, 1);
	/* 3 in the probe, 6 in each of 9 calls, 2 in the last */
	ck_assert_int_eq(run_recursion(9, 10, 59, &v, &ex), VT_FAULT_NONE);
	ck_assert_int_eq(run_recursion(9, 10, 58, &v, &ex), VT_FAULT_BUDGET);
}
END_TEST

/* SPRINTF formats from the frame into a slot, truncated to strsize. */
START_TEST(test_sprintf)
{
	struct rig *r = rig_new();
	u32 f = imgb_format(r->b, "<%d|%s|%x|%s>", "lsls");

	OP(LDI, 0, 0, 0, -5);
	OP(LDI, 1, 0, 0, 255);
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "ab"));
	OP(SLDC, 2, 0, 0, imgb_str(r->b, "cd"));
	OP(SPRINTF, 0, 0, 1, f);
	OP(SPRINTF, 3, 0, 1, imgb_format(r->b, "%20s", "s"));
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 2, 4);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_str_eq(slot(r, 0), "<-5|ab|ff|cd>");
	ck_assert_uint_eq(strlen(slot(r, 3)), 15);
	rig_free(r);
}
END_TEST

/* ------------------------------------------------ faults try cannot catch */

/*
 * while (1) { try { if (g) r2 = 0 / 0; else while (1) ; } catch { r3 = 7 } }:
 * TIME in the try ends the firing, and so does BUDGET; DIVZERO in the
 * same try is caught, round after round, until BUDGET.
 */
START_TEST(test_try_uncatchable)
{
	struct rig *r = rig_new();
	u32 outer, inner, div, handler;

	imgb_lglobal(r->b, "g", 0);
	outer = OP(LOOP, 0, 0, 0, 0);
	OP(GLD, 1, 0, 0, 0);
	OP(JNZ, 1, 0, 0, 2);		/* to div */
	inner = OP(LOOP, 0, 0, 0, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, inner));
	div = OP(DIV, 2, 0, 0, 0);	/* r0 == 0 */
	OP(RET, 0, 0, 0, 0);
	handler = OP(LDI, 3, 0, 0, 7);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, outer));
	imgb_handler(r->b, outer, handler, handler, 0, 0);
	rig_load(r, 4, 0);
	ck_assert_uint_eq(div, inner + 2);

	r->m.time_up = true;
	ck_assert_int_eq(rig_run(r), VT_FAULT_TIME);
	ck_assert_int_eq(reg(r, 3), 0);		/* never in the catch */
	ck_assert_uint_eq(r->m.time_calls, 1);

	r->m.time_up = false;
	r->ex.budget = r->prog.budget;
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUDGET);
	ck_assert_int_eq(reg(r, 3), 0);

	r->ex.lglobals[0] = 1;
	r->ex.budget = r->prog.budget;
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUDGET);
	ck_assert_int_eq(reg(r, 3), 7);
	rig_free(r);
}
END_TEST

/* BUSY (a map lock that stays busy) is not caught either. */
START_TEST(test_try_busy)
{
	struct rig *r = rig_new();
	u32 m, start, handler;

	m = imgb_map(r->b, "a", "l", 4, VT_MAPV_LONG);
	start = OP(MGET, 0, 1, 0, m);
	OP(RET, 0, 0, 0, 0);
	handler = OP(LDI, 2, 0, 0, 7);
	OP(RET, 0, 0, 0, 0);
	imgb_handler(r->b, start, start + 1, handler, 0, 0);
	rig_load(r, 3, 0);
	r->m.map_busy = true;
	ck_assert_int_eq(rig_run(r), VT_FAULT_BUSY);
	ck_assert_int_eq(reg(r, 2), 0);
	ck_assert_uint_eq(r->ex.fault_pc, start);
	rig_free(r);
}
END_TEST

/* ------------------------------------------------ costs */

/* A rig with 4096-byte slots (4095 characters) and a long literal. */
static struct rig *big_rig(u32 *lit)
{
	struct rig *r = rig_new();
	char *s = malloc(4096);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', 4095);
	s[4095] = '\0';
	r->b->strsize = 4096;
	*lit = imgb_str(r->b, s);
	free(s);
	return r;
}

/* Budget units the run took. */
static s64 spent(struct rig *r)
{
	return (s64)r->prog.budget - r->ex.budget;
}

/*
 * Each string instruction costs 1 + bytes / VT_COST_BYTES (vt_isa.h):
 * 4095 bytes copied are 1 + 63 units.
 */
START_TEST(test_cost_strings)
{
	u32 lit;
	struct rig *r = big_rig(&lit);

	OP(SLDC, 0, 0, 0, lit);		/* 4095 copied: 64 */
	OP(SMOV, 1, 0, 0, 0);		/* 64 */
	OP(SCMP, 0, 0, 1, 0);		/* 4095 compared: 64 */
	OP(SCAT, 2, 0, 1, 0);		/* 4095 * 3 measured, copied: 192 */
	OP(SGST, 0, 0, 0, 0);		/* 64 */
	OP(SGLD, 3, 0, 0, 0);		/* 64 */
	OP(RET, 0, 0, 0, 0);		/* 1 */
	imgb_sglobal(r->b, "g", "");
	rig_load(r, 1, 4);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 0);
	ck_assert_int_eq(spent(r), 64 * 5 + 192 + 1);
	rig_free(r);
}
END_TEST

/* PRINTF: the strings measured and the record written, dropped or not. */
START_TEST(test_cost_printf)
{
	u32 lit;
	struct rig *r = big_rig(&lit);
	u32 f = imgb_format(r->b, "%s", "s");

	OP(SLDC, 0, 0, 0, lit);		/* 64 */
	OP(PRINTF, 0, 0, 0, f);		/* record 4 + 2 + 4095, twice: 129 */
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 0, 1);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.nrecords, 1);
	ck_assert_int_eq(spent(r), 64 + 129 + 1);
	r->m.full = true;
	r->ex.budget = r->prog.budget;
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(spent(r), 64 + 65 + 1);	/* measured only */
	rig_free(r);
}
END_TEST

/*
 * SPRINTF: the format text, the arguments and the output; a huge %M
 * precision is clamped to the argument, the slot is never overrun, and
 * the cost stays bounded by what was read and written.
 */
START_TEST(test_cost_sprintf)
{
	u32 lit;
	struct rig *r = big_rig(&lit);
	u32 f1 = imgb_format(r->b, "%4000d", "l");
	u32 f2 = imgb_format(r->b, "%.65536M%.65536M%.65536M", "lss");
	s64 cost;

	OP(SPRINTF, 0, 0, 0, f1);	/* 6 of text + 4000 out: 63 */
	OP(SLDC, 1, 0, 0, lit);		/* 64 */
	OP(SLDC, 2, 0, 0, lit);		/* 64 */
	OP(SLDC, 3, 0, 0, imgb_str(r->b, "canary"));
	OP(SPRINTF, 0, 0, 1, f2);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 1, 4);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	/* 16 hex digits of r0 = 0, then 'a' = 0x61 until the slot is full */
	ck_assert_uint_eq(strlen(slot(r, 0)), 4095);
	ck_assert_int_eq(strncmp(slot(r, 0), "0000000000000000616161", 22), 0);
	ck_assert_str_eq(slot(r, 3), "canary");
	cost = spent(r) - 63 - 64 - 64 - 1 - 1;
	/* text 16 read, 4095 measured (the third never), 4095 written */
	ck_assert_int_ge(cost, 1 + (16 + 4095 + 4095) / 64);
	ck_assert_int_le(cost, 1 + (24 + 2 * 4095 + 4095 + 32) / 64);
	rig_free(r);
}
END_TEST

/* MATCH: VT_COST_STEP bytes of work per byte of the string. */
START_TEST(test_cost_match)
{
	static u8 data[256 + 6 + 1];
	static struct vt_dfa_desc d = {
		.classmap = 0, .table = 256, .accept = 262, .nstates = 1,
		.nclasses = 3,
	};
	u32 lit;
	struct rig *r = big_rig(&lit);

	/* One state that accepts everything. */
	memset(data, 0, sizeof(data));
	data[262] = 1;
	r->b->dfas = &d;
	r->b->ndfas = 1;
	r->b->dfadata = data;
	r->b->ndfadata = sizeof(data);
	OP(SLDC, 0, 0, 0, lit);		/* 64 */
	OP(MATCH, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 1, 1);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 1);
	ck_assert_int_eq(spent(r), 64 + 1 + 4095 * VT_COST_STEP / 64 + 1);
	rig_free(r);
}
END_TEST

/* CALLH: what the helper reports (strlen measures, strpos searches). */
START_TEST(test_cost_callh)
{
	u32 lit;
	struct rig *r = big_rig(&lit);
	char needle[2049];
	s64 cost;

	memset(needle, 'a', 2047);
	needle[2047] = 'b';
	needle[2048] = '\0';
	OP(SLDC, 0, 0, 0, lit);				/* 64 */
	OP(CALLH, 0, 0, 0, VT_HELPER_strlen);		/* 64 */
	OP(SLDC, 1, 0, 0, imgb_str(r->b, needle));	/* 33 */
	OP(CALLH, 1, 0, 0, VT_HELPER_strpos);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 2, 2);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 4095);
	ck_assert_int_eq(reg(r, 1), -1);
	cost = spent(r) - 64 - 64 - 33 - 1;
	/* measured 4095 + 2048, then searched: linear, 3n + 5m at most */
	ck_assert_int_ge(cost, 1 + (4095 + 2048) / 64);
	ck_assert_int_le(cost, 1 + (4 * 4095 + 6 * 2048) / 64);
	rig_free(r);
}
END_TEST

/*
 * A helper that faults is charged the work it did: a kernel_string()
 * that reads 62 chunks and fails on the 63rd (READ), caught, costs 63.
 */
START_TEST(test_cost_callh_fault)
{
	static char mem[4096];
	struct rig *r = rig_new();
	u32 at, handler;

	memset(mem, 'm', sizeof(mem));
	host_mock_set_memory(false, 0x10000, mem, 4000);
	r->b->strsize = 4096;
	OP(LDC, 0, 0, 0, imgb_const(r->b, 0x10000));
	at = OP(CALLH, 0, 0, 0, VT_HELPER_kernel_string);
	handler = OP(RET, 0, 0, 0, 0);
	imgb_handler(r->b, at, at + 1, handler, 0, 0);
	rig_load(r, 1, 1);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	host_mock_set_memory(false, 0, NULL, 0);
	/* LDC CALLH RET, and the handler lookup: one search step, one entry */
	ck_assert_int_eq(spent(r), 1 + 1 + 63 + 1 + 2);
	rig_free(r);
}
END_TEST

/*
 * The clock is polled every VT_TIME_POLL_UNITS units whatever the code:
 * straight-line code with no loop or call, and heavy instructions whose
 * charges cross the poll.
 */
START_TEST(test_time_poll)
{
	struct rig *r = rig_new();
	u32 start = r->b->ncode, i;

	for (i = 0; i < 300; i++)
		OP(NOP, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 0, 0);
	ck_assert_int_eq(rig_run(r), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.time_calls, 1);
	r->m.time_up = true;
	r->ex.budget = r->prog.budget;
	ck_assert_int_eq(rig_run(r), VT_FAULT_TIME);
	ck_assert_uint_eq(r->ex.fault_pc, start + VT_TIME_POLL_UNITS);
	rig_free(r);
}
END_TEST

START_TEST(test_time_poll_heavy)
{
	u32 lit, scat;
	struct rig *r = big_rig(&lit);

	OP(SLDC, 0, 0, 0, lit);		/* 64 */
	OP(SCAT, 1, 0, 0, 0);		/* 192: 256 so far */
	scat = OP(SCAT, 1, 0, 0, 0);	/* polled before it runs */
	OP(SCAT, 1, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	rig_load(r, 0, 2);
	r->m.time_up = true;
	ck_assert_int_eq(rig_run(r), VT_FAULT_TIME);
	ck_assert_uint_eq(r->ex.fault_pc, scat);
	ck_assert_uint_eq(r->m.time_calls, 1);
	rig_free(r);
}
END_TEST

/*
 * f:string(s:string) { if (g) error(s); return s }, called with 4095
 * bytes inside a try whose catch gets the message: CALL costs the
 * callee's frame cleared and the argument copied, RETS the result copied,
 * the catch the message copied.
 */
static s64 call_cost(bool fail)
{
	char log[VT_LOG_MAX], *big = malloc(4096);
	struct imgb *b = imgb_new();
	struct host_mock *m = malloc(sizeof(*m));
	struct vt_prog prog;
	struct vt_exec ex;
	u32 size, call, handler;
	void *img;
	s64 cost;

	ck_assert_ptr_nonnull(big);
	ck_assert_ptr_nonnull(m);
	memset(big, 'a', 4095);
	big[4095] = '\0';
	b->strsize = 4096;
	b->maxnesting = 1;
	imgb_lglobal(b, "g", fail);
	imgb_unit_begin(b);				/* unit 0 */
	imgb_insn(b, VT_OP_SLDC, 0, 0, 0, imgb_str(b, big));	/* 64 */
	call = imgb_insn(b, VT_OP_CALL, 1, 0, 0, 1);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);			/* 1 */
	handler = imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);		/* 1 */
	imgb_unit_end(b, 0, 2, "probe begin");
	imgb_handler(b, call, call + 1, handler, 1, VT_HANDLER_F_MSG);
	imgb_unit_begin(b);				/* unit 1: f */
	imgb_insn(b, VT_OP_GLD, 0, 0, 0, 0);			/* 1 */
	imgb_insn(b, VT_OP_JZ, 0, 0, 0, 1);			/* 1 */
	imgb_insn(b, VT_OP_CALLH, 0, 0, 0, VT_HELPER_error);	/* 1 */
	imgb_insn(b, VT_OP_RETS, 0, 0, 0, 0);			/* 1 */
	imgb_unit_end(b, 8, 1, "function f");
	imgb_usig(b, 1, "ss");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	img = imgb_finish(b, &size);
	ck_assert_msg(vt_prog_load(&prog, img, size, log, sizeof(log)) == 0,
		      "load: %s", log);
	host_mock_init(m);
	host_mock_exec_init(&ex, &prog, m);
	ck_assert_int_eq(vt_run(&ex, 0), VT_FAULT_NONE);
	/* the caller's slot 1: the result, or the message */
	ck_assert_int_eq(memcmp(ex.frame + prog.stack_off + 4096, big, 4096),
			 0);
	cost = (s64)prog.budget - ex.budget;
	host_mock_exec_free(&ex);
	free(img);
	imgb_free(b);
	free(m);
	free(big);
	return cost;
}

START_TEST(test_cost_call_and_catch)
{
	/* SLDC 64, CALL 1 + (8 * 8 + 1 + 4095) / 64 = 66, RET 1 */
	const s64 common = 64 + 66 + 1;

	/* GLD, JZ 2; RETS 1 + 63 */
	ck_assert_int_eq(call_cost(false), common + 2 + 64);
	/*
	 * GLD, JZ, CALLH 3; the message copied 63; the handler lookup 3 (in
	 * f: one search step, no entry; in the caller: one step, one entry)
	 */
	ck_assert_int_eq(call_cost(true), common + 3 + 63 + 3);
}
END_TEST

START_TEST(test_bad_unit)
{
	struct rig *r = rig_new();

	OP(RET, 0, 0, 0, 0);
	rig_load(r, 0, 0);
	ck_assert_int_ne(vt_run(&r->ex, 99), VT_FAULT_NONE);
	ck_assert_int_eq(vt_run(&r->ex, 0), VT_FAULT_NONE);	/* the decoy */
	rig_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_interp");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_arith);
	tcase_add_test(tc, test_wrapping);
	tcase_add_test(tc, test_div_faults);
	tcase_add_test(tc, test_div_edges);
	tcase_add_test(tc, test_shifts);
	tcase_add_test(tc, test_compare);
	tcase_add_test(tc, test_loop_fits);
	tcase_add_test(tc, test_budget_infinite);
	tcase_add_test(tc, test_globals);
	tcase_add_test(tc, test_strings);
	tcase_add_test(tc, test_scat_alias_full);
	tcase_add_test(tc, test_printf_record);
	tcase_add_test(tc, test_printf_dropped);
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_frame_reset);
	tcase_add_test(tc, test_bad_unit);
	tcase_add_test(tc, test_call_nesting);
	tcase_add_test(tc, test_sprintf);
	tcase_add_test(tc, test_try_uncatchable);
	tcase_add_test(tc, test_try_busy);
	tcase_add_test(tc, test_cost_strings);
	tcase_add_test(tc, test_cost_printf);
	tcase_add_test(tc, test_cost_sprintf);
	tcase_add_test(tc, test_cost_match);
	tcase_add_test(tc, test_cost_callh);
	tcase_add_test(tc, test_cost_call_and_catch);
	tcase_add_test(tc, test_cost_callh_fault);
	tcase_add_test(tc, test_time_poll);
	tcase_add_test(tc, test_time_poll_heavy);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
