// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_vm_map.c - associative arrays, statistics and foreach in the
 * interpreter (MGET..MVAL), against the mock host, plus the storage
 * layout of vm/map.h.
 */
#include <check.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host_mock.h"
#include "imgbuild.h"
#include "map.h"
#include "vt_record.h"

#define OP(op, x, y, z, k) imgb_insn(r->b, VT_OP_##op, x, y, z, k)
#define AGG(m, a) ((s32)VT_AGG_K(m, VT_AGG_##a))

/* A program under test: units built into r->b, then loaded and run. */
struct rig {
	struct imgb *b;
	void *img;
	struct vt_prog prog;
	struct host_mock m;
	struct vt_exec ex;
	u16 nregs, nslots;
};

static struct rig *rig_new(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->b = imgb_new();
	r->b->strsize = 16;
	r->b->scratch = 512;
	host_mock_init(&r->m);
	imgb_unit_begin(r->b);
	return r;
}

/* End the current unit (frame nregs x nslots); begin the next one. */
static u32 rig_unit(struct rig *r)
{
	u32 u = imgb_unit_end(r->b, r->nregs, r->nslots, "probe test");

	imgb_probe(r->b, VT_PROBE_BEGIN, u, "", "begin", 0, 0);
	imgb_unit_begin(r->b);
	return u;
}

static void rig_load(struct rig *r)
{
	char log[VT_LOG_MAX];
	u32 size;

	r->img = imgb_finish(r->b, &size);
	ck_assert_msg(vt_prog_load(&r->prog, r->img, size, log, sizeof(log)) == 0,
		      "load: %s", log);
	host_mock_exec_init(&r->ex, &r->prog, &r->m);
}

static enum vt_fault rig_run(struct rig *r, u32 unit)
{
	enum vt_fault f;

	r->ex.budget = r->prog.budget;
	f = vt_run(&r->ex, unit);
	ck_assert_ptr_null(r->m.pending);
	ck_assert_uint_eq(r->m.locked, 0);
	ck_assert_uint_eq(r->m.lock_errors, 0);
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

static struct vt_map_hdr *storage(struct rig *r, u32 m)
{
	return (struct vt_map_hdr *)r->ex.maps[m];
}

static void rig_free(struct rig *r)
{
	host_mock_exec_free(&r->ex);
	free(r->img);
	imgb_free(r->b);
	free(r);
}

/* Entry of key @k in @h (a lookup with budget to spare), or NULL. */
static struct vt_map_entry *lookup(struct vt_map_hdr *h,
				   const struct vt_map_key *k)
{
	struct vt_map_ref ref;
	s64 left = 1 << 30;

	ck_assert_int_eq(vt_map_hash(h, k, &left, &ref), VT_MAP_OK);
	return vt_map_find(h, k, &left, &ref) == VT_MAP_OK ? ref.e : NULL;
}

/* The leading longs of every PRINTF record, in order; how many. */
static u32 printed(struct rig *r, s64 *out, u32 max)
{
	static struct vt_rec_printf pf;
	const struct vt_rec *rec;
	u32 i, j, n = 0;

	for (i = 0; (rec = host_mock_record(&r->m, i)); i++) {
		if (rec->type != VT_REC_PRINTF)
			continue;
		ck_assert_int_eq(vt_rec_printf(&r->prog, rec + 1,
					       rec->size - sizeof(*rec), &pf),
				 0);
		for (j = 0; pf.sig[j] == 'l' && n < max; j++)
			out[n++] = pf.args[j].l;
	}
	return n;
}

START_TEST(test_long_ops)
{
	struct rig *r = rig_new();
	u32 u, m, ninsn;

	m = imgb_map(r->b, "a", "l", 8, VT_MAPV_LONG);
	OP(LDI, 0, 0, 0, 5);
	OP(LDI, 1, 0, 0, 7);
	OP(MSET, 1, 0, 0, m);		/* a[5] = 7 */
	OP(MGET, 2, 0, 0, m);
	OP(LDI, 1, 0, 0, 3);
	OP(MADD, 1, 0, 0, m);		/* a[5] += 3 */
	OP(MGET, 3, 0, 0, m);
	OP(MHAS, 4, 0, 0, m);
	OP(LDI, 5, 0, 0, 6);
	OP(MHAS, 6, 5, 0, m);		/* [6] in a: 0 */
	OP(MGET, 7, 5, 0, m);		/* absent: 0 */
	OP(MADD, 1, 5, 0, m);		/* inserts a[6] = 3 */
	OP(MGET, 8, 5, 0, m);
	OP(MDEL, 0, 0, 0, m);
	OP(MHAS, 9, 0, 0, m);
	OP(MGET, 11, 5, 0, m);		/* a[6] survives */
	OP(MCLR, 0, 0, 0, m);
	OP(MHAS, 10, 5, 0, m);
	OP(RET, 0, 0, 0, 0);
	ninsn = r->b->ncode;
	r->nregs = 12;
	u = rig_unit(r);
	rig_load(r);
	for (int i = 0; i < 12; i++)
		((s64 *)r->ex.frame)[i] = 99;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), 7);
	ck_assert_int_eq(reg(r, 3), 10);
	ck_assert_int_eq(reg(r, 4), 1);
	ck_assert_int_eq(reg(r, 6), 0);
	ck_assert_int_eq(reg(r, 7), 0);
	ck_assert_int_eq(reg(r, 8), 3);
	ck_assert_int_eq(reg(r, 9), 0);
	ck_assert_int_eq(reg(r, 11), 3);
	ck_assert_int_eq(reg(r, 10), 0);
	ck_assert_uint_eq(r->m.locks, 14);
	ck_assert_uint_eq(storage(r, m)->live, 0);
	/*
	 * Beyond the instructions: 1 per entry visited (7: keys 5 and 6
	 * are in different buckets with the mock's seed), 1 per insert
	 * (2), MCLR 1 per live entry (1).
	 */
	ck_assert_int_eq(r->ex.budget, 10000 - (s64)ninsn - 10);
	rig_free(r);
}
END_TEST

START_TEST(test_madd_wraps)
{
	struct rig *r = rig_new();
	u32 u, m;

	m = imgb_map(r->b, "a", "", 1, VT_MAPV_LONG);
	imgb_const(r->b, INT64_MAX);
	OP(LDC, 0, 0, 0, 0);
	OP(MSET, 0, 0, 0, m);
	OP(LDI, 0, 0, 0, 1);
	OP(MADD, 0, 0, 0, m);
	OP(MGET, 1, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	r->nregs = 2;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 1), INT64_MIN);
	rig_free(r);
}
END_TEST

/* String keys compare up to the NUL, whatever follows it in the slot. */
START_TEST(test_string_keys)
{
	struct rig *r = rig_new();
	u32 u, m;

	m = imgb_map(r->b, "a", "sl", 4, VT_MAPV_STRING);
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "abcdefghij"));
	OP(SLDC, 1, 0, 0, imgb_str(r->b, "abc"));	/* "abc\0efghij" */
	OP(LDI, 0, 0, 0, 42);
	OP(SLDC, 0, 0, 0, imgb_str(r->b, "val1"));
	OP(MSET, 0, 0, 1, m);
	OP(SLDC, 2, 0, 0, imgb_str(r->b, "abc"));	/* garbage after */
	OP(MGET, 3, 0, 2, m);
	OP(SLDC, 2, 0, 0, imgb_str(r->b, "abd"));
	OP(MGET, 4, 0, 2, m);
	OP(LDI, 0, 0, 0, 43);
	OP(SLDC, 2, 0, 0, imgb_str(r->b, "abc"));
	OP(MHAS, 1, 0, 2, m);
	OP(SLDC, 2, 0, 0, imgb_str(r->b, "abcdefghijklmno"));	/* 15: full */
	OP(SLDC, 0, 0, 0, imgb_str(r->b, "long value 1234"));
	OP(MSET, 0, 0, 2, m);
	OP(MGET, 4, 0, 2, m);
	OP(RET, 0, 0, 0, 0);
	r->nregs = 2;
	r->nslots = 5;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_str_eq(slot(r, 3), "val1");
	ck_assert_int_eq(reg(r, 1), 0);
	ck_assert_str_eq(slot(r, 4), "long value 1234");
	ck_assert_uint_eq(storage(r, m)->live, 2);
	ck_assert_int_eq(vt_map_check(storage(r, m), vt_map_size(&r->prog, m, 1)), 0);
	rig_free(r);
}
END_TEST

/* A shorter string value replaces a longer one whole. */
START_TEST(test_string_values)
{
	struct rig *r = rig_new();
	u32 u, m;

	m = imgb_map(r->b, "a", "", 1, VT_MAPV_STRING);
	OP(SLDC, 0, 0, 0, imgb_str(r->b, "a longer value"));
	OP(MSET, 0, 0, 0, m);
	OP(SLDC, 0, 0, 0, imgb_str(r->b, "ab"));
	OP(MSET, 0, 0, 0, m);
	OP(MGET, 1, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	r->nslots = 2;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_str_eq(slot(r, 1), "ab");
	rig_free(r);
}
END_TEST

/* Nine keys, longs and strings interleaved in keysig; MKEYS gives them back. */
START_TEST(test_nine_keys)
{
	struct rig *r = rig_new();
	u32 u, m, it, pc;
	const char *sv[4] = { "k0", "k1", "k2", "k3" };

	m = imgb_map(r->b, "a", "lslslslsl", 4, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 0, 0, 0);
	for (int i = 0; i < 5; i++)
		OP(LDI, i, 0, 0, 100 + i);
	for (int i = 0; i < 4; i++)
		OP(SLDC, i, 0, 0, imgb_str(r->b, sv[i]));
	OP(LDI, 5, 0, 0, 77);
	OP(MSET, 5, 0, 0, m);
	OP(SLDC, 3, 0, 0, imgb_str(r->b, "k4"));
	OP(MHAS, 6, 0, 0, m);		/* one string differs: 0 */
	OP(SLDC, 3, 0, 0, imgb_str(r->b, "k3"));
	OP(MGET, 7, 0, 0, m);		/* 77 */
	OP(LDI, 8, 0, 0, -1);
	OP(ITINIT, 9, 8, 0, it);
	OP(ITNEXT, 10, 9, 0, 0);
	pc = OP(JMP, 0, 0, 0, 0);	/* not taken: one entry */
	r->b->code[pc - 1].k = imgb_rel(pc - 1, pc + 4);
	r->b->code[pc].k = imgb_rel(pc, pc + 1);
	OP(MKEYS, 11, 4, 10, m);	/* registers 11..15, slots 4..7 */
	OP(MVAL, 16, 10, 0, m);
	OP(ITEND, 9, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);		/* the ITNEXT exit */
	r->nregs = 17;
	r->nslots = 8;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 6), 0);
	ck_assert_int_eq(reg(r, 7), 77);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(reg(r, 11 + i), 100 + i);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(slot(r, 4 + i), sv[i]);
	ck_assert_int_eq(reg(r, 16), 77);
	rig_free(r);
}
END_TEST

START_TEST(test_full)
{
	struct rig *r = rig_new();
	u32 u, m, pc = 0;

	imgb_map(r->b, "decoy", "l", 2, VT_MAPV_LONG);
	m = imgb_map(r->b, "a", "l", 3, VT_MAPV_LONG);
	for (int i = 0; i < 4; i++) {
		OP(LDI, 0, 0, 0, i);
		pc = OP(MSET, 0, 0, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	r->nregs = 1;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_MAPFULL);
	ck_assert_uint_eq(r->ex.fault_pc, pc);
	ck_assert_int_eq(r->ex.fault_detail, 1);
	ck_assert_uint_eq(storage(r, m)->live, 3);
	/* Updating an existing key of a full map is fine. */
	ck_assert_int_eq(vt_run(&r->ex, u), VT_FAULT_MAPFULL);
	ck_assert_uint_eq(storage(r, m)->live, 3);
	rig_free(r);
}
END_TEST

START_TEST(test_wrap)
{
	struct rig *r = rig_new();
	u32 u, m, ninsn;

	m = imgb_map(r->b, "a", "l", 3, VT_MAPV_LONG);
	r->b->maps[m].flags = VT_MAP_F_WRAP;
	for (int k = 1; k <= 4; k++) {
		OP(LDI, 0, 0, 0, k);
		OP(LDI, 1, 0, 0, 10 * k);
		OP(MSET, 1, 0, 0, m);	/* 4 replaces 1, the oldest */
	}
	OP(LDI, 0, 0, 0, 2);
	OP(MSET, 1, 0, 0, m);		/* update: 2 stays the oldest */
	OP(LDI, 0, 0, 0, 5);
	OP(MSET, 1, 0, 0, m);		/* replaces 2 */
	for (int k = 1; k <= 5; k++) {
		OP(LDI, 0, 0, 0, k);
		OP(MHAS, 1 + k, 0, 0, m);
	}
	OP(LDI, 0, 0, 0, 4);
	OP(MGET, 7, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	ninsn = r->b->ncode;
	r->nregs = 8;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), 0);
	ck_assert_int_eq(reg(r, 3), 0);
	ck_assert_int_eq(reg(r, 4), 1);
	ck_assert_int_eq(reg(r, 5), 1);
	ck_assert_int_eq(reg(r, 6), 1);
	ck_assert_int_eq(reg(r, 7), 40);
	/* 6 inserts and 15 entries visited: wrapping costs no scan. */
	ck_assert_int_eq(r->ex.budget, 10000 - (s64)ninsn - 21);
	rig_free(r);
}
END_TEST

/* Deleted entries are reused last (FIFO free list). */
START_TEST(test_delete_reuse)
{
	struct rig *r = rig_new();
	struct vt_map_hdr *h;
	struct vt_map_entry *e;
	u32 u, m;
	s64 key;
	struct vt_map_key k = { .longs = &key, .strs = "" };

	m = imgb_map(r->b, "a", "l", 4, VT_MAPV_LONG);
	for (int i = 1; i <= 2; i++) {
		OP(LDI, 0, 0, 0, i);
		OP(MSET, 0, 0, 0, m);
	}
	OP(LDI, 0, 0, 0, 1);
	OP(MDEL, 0, 0, 0, m);		/* entry 0 to the tail */
	for (int i = 3; i <= 5; i++) {
		OP(LDI, 0, 0, 0, i);
		OP(MSET, 0, 0, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	r->nregs = 1;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	h = storage(r, m);
	ck_assert_uint_eq(h->live, 4);
	ck_assert_uint_eq(h->free_head, 0);
	for (key = 2; key <= 5; key++) {
		e = lookup(h, &k);
		ck_assert_ptr_nonnull(e);
		ck_assert_ptr_eq(e, vt_map_entry(h, key == 5 ? 0 : (u32)key - 1));
	}
	key = 1;
	ck_assert_ptr_null(lookup(h, &k));
	ck_assert_int_eq(vt_map_check(h, vt_map_size(&r->prog, m, 1)), 0);
	rig_free(r);
}
END_TEST

/* <<< into a full statistic; MCLR empties it and is charged. */
START_TEST(test_stat_full_and_clear)
{
	struct rig *r = rig_new();
	u32 u, m, pc = 0;

	m = imgb_map(r->b, "s", "l", 2, VT_MAPV_STAT);
	r->nregs = 2;
	for (int k = 0; k < 3; k++) {
		OP(LDI, 0, 0, 0, k);
		pc = OP(SADD, 0, 0, 0, m);
		if (k == 1)
			OP(MCLR, 0, 0, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_uint_eq(storage(r, m)->live, 1);
	/*
	 * 8 instructions; 3 inserts, MCLR 2 (its live entries), key 1
	 * found 0 in its bucket twice (unlocked, then locked).
	 */
	ck_assert_int_eq(r->ex.budget, 10000 - 8 - 7);
	/* Again: 0 joins the 2 left over, 1 finds the map full. */
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_MAPFULL);
	ck_assert_uint_eq(r->ex.fault_pc, 3);
	rig_free(r);

	r = rig_new();
	m = imgb_map(r->b, "s", "l", 2, VT_MAPV_STAT);
	r->nregs = 1;
	for (int k = 0; k < 3; k++) {
		OP(LDI, 0, 0, 0, k);
		pc = OP(SADD, 0, 0, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_MAPFULL);
	ck_assert_uint_eq(r->ex.fault_pc, pc);
	ck_assert_int_eq(r->ex.fault_detail, m);
	rig_free(r);
}
END_TEST

/*
 * The clock is polled every VT_TIME_POLL_UNITS units whatever the
 * instructions: here recursion without loops, the poll lands in f.
 */
START_TEST(test_time_cap_call)
{
	struct rig *r = rig_new();
	u32 u, f;

	r->b->maxnesting = 64;
	OP(CALL, 0, 0, 0, 1);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	for (int i = 0; i < 300; i++)
		OP(NOP, 0, 0, 0, 0);
	OP(CALL, 0, 0, 0, 1);
	OP(RET, 0, 0, 0, 0);
	f = imgb_unit_end(r->b, 0, 0, "function f");
	imgb_usig(r->b, f, "v");
	rig_load(r);
	r->m.time_up = true;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_TIME);
	ck_assert_uint_ge(r->ex.fault_pc, r->prog.units[f].code);
	ck_assert_uint_eq(r->m.time_calls, 1);
	ck_assert_int_eq(r->ex.budget, 10000 - VT_TIME_POLL_UNITS - 1);
	rig_free(r);
}
END_TEST

START_TEST(test_busy)
{
	struct rig *r = rig_new();
	u32 u1, u2, m, s;

	m = imgb_map(r->b, "a", "l", 4, VT_MAPV_LONG);
	s = imgb_map(r->b, "s", "l", 4, VT_MAPV_STAT);
	r->nregs = 2;
	OP(LDI, 0, 0, 0, 1);
	OP(SADD, 0, 0, 0, s);
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(MGET, 1, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u2 = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	r->m.map_busy = true;
	r->m.locks = 0;
	/* The key exists: <<< takes no lock. */
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.locks, 0);
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_BUSY);
	ck_assert_int_eq(r->ex.fault_detail, m);
	rig_free(r);
}
END_TEST

/* SystemTap's single-slot integer results (stat-common.c, stat.c). */
struct stap_ref {
	s64 count, sum, min, max, avg_s, m2;
};

static void ref_add(struct stap_ref *s, s64 v)
{
	s64 delta;

	if (!s->count) {
		s->count = 1;
		s->sum = s->min = s->max = s->avg_s = v;
		s->m2 = 0;
		return;
	}
	s->count++;
	s->sum += v;
	s->max = v > s->max ? v : s->max;
	s->min = v < s->min ? v : s->min;
	delta = v - s->avg_s;
	s->avg_s += delta / s->count;
	s->m2 += delta * (v - s->avg_s);
}

static s64 ref_variance(const struct stap_ref *s)
{
	s64 avg = s->sum / s->count, var_s, s1, s2;

	if (s->count < 2)
		return 0;
	var_s = s->m2 / (s->count - 1);
	s1 = s->count * (s->avg_s - avg) * (s->avg_s - avg);
	s2 = (s->count - 1) * var_s;
	return (s1 + s2) / (s->count - 1);
}

/* Feed @n values (lglobal 0) to a scalar stat, one firing each. */
static struct rig *stat_rig(const s64 *v, u32 n, u32 nvslots, const u32 *vslots)
{
	struct rig *r = rig_new();
	u32 u1, u2, m;

	m = imgb_map(r->b, "s", "", 1, VT_MAPV_STAT);
	imgb_lglobal(r->b, "v", 0);
	r->nregs = 8;
	OP(GLD, 0, 0, 0, 0);
	OP(SADD, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(SGET, 0, 0, 0, AGG(m, COUNT));
	OP(SGET, 1, 0, 0, AGG(m, SUM));
	OP(SGET, 2, 0, 0, AGG(m, MIN));
	OP(SGET, 3, 0, 0, AGG(m, MAX));
	OP(SGET, 4, 0, 0, AGG(m, AVG));
	OP(SGET, 5, 0, 0, AGG(m, VARIANCE));
	OP(RET, 0, 0, 0, 0);
	u2 = rig_unit(r);
	ck_assert_uint_eq(u2, u1 + 1);
	r->m.nvslots = nvslots;
	rig_load(r);
	for (u32 i = 0; i < n; i++) {
		r->ex.lglobals[0] = v[i];
		r->ex.vslot = vslots ? vslots[i] : 0;
		ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	}
	return r;
}

START_TEST(test_stat_single_slot)
{
	static const s64 seqs[][7] = {
		{ 4, 1, 2, 3, 4 },
		{ 1, 7 },
		{ 5, -5, 3, 100, -7, 8 },
		{ 6, 1000, 1, 1, 1, 1, 999 },
		{ 3, -1, -1, -2 },
	};

	for (u32 i = 0; i < VT_ARRAY_SIZE(seqs); i++) {
		struct stap_ref ref = { 0 };
		u32 n = (u32)seqs[i][0];
		struct rig *r = stat_rig(&seqs[i][1], n, 1, NULL);

		for (u32 j = 0; j < n; j++)
			ref_add(&ref, seqs[i][1 + j]);
		ck_assert_int_eq(rig_run(r, 1), VT_FAULT_NONE);
		ck_assert_int_eq(reg(r, 0), ref.count);
		ck_assert_int_eq(reg(r, 1), ref.sum);
		ck_assert_int_eq(reg(r, 2), ref.min);
		ck_assert_int_eq(reg(r, 3), ref.max);
		ck_assert_int_eq(reg(r, 4), ref.sum / ref.count);
		ck_assert_int_eq(reg(r, 5), ref_variance(&ref));
		rig_free(r);
	}
}
END_TEST

START_TEST(test_stat_known)
{
	static const s64 v[] = { 1, 2, 3, 4 };
	struct rig *r = stat_rig(v, 4, 1, NULL);

	ck_assert_int_eq(rig_run(r, 1), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 4), 2);
	ck_assert_int_eq(reg(r, 5), 5);	/* SystemTap prints 5 too */
	rig_free(r);
}
END_TEST

START_TEST(test_stat_merge)
{
	static const s64 v[] = { 1, 2, 3, 4 };
	static const u32 slots[] = { 0, 0, 2, 2 };
	struct rig *r = stat_rig(v, 4, 4, slots);
	struct vt_map_hdr *h = storage(r, 0);

	ck_assert_uint_eq(h->nvslots, 4);
	ck_assert_int_eq(rig_run(r, 1), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 4);
	ck_assert_int_eq(reg(r, 1), 10);
	ck_assert_int_eq(reg(r, 2), 1);
	ck_assert_int_eq(reg(r, 3), 4);
	ck_assert_int_eq(reg(r, 4), 2);
	ck_assert_int_eq(reg(r, 5), 2);	/* Chan: m2 6 over 3 */
	ck_assert_int_eq(vt_map_size(&r->prog, 0, 4),
			 sizeof(struct vt_map_hdr) + 8 + 40 + 4 * 56);
	/* A host handing out a slot it does not have. */
	r->ex.vslot = 4;
	ck_assert_int_eq(rig_run(r, 0), VT_FAULT_HELPER);
	rig_free(r);
}
END_TEST

START_TEST(test_stat_spread_slots)
{
	static const s64 v[] = { 10, -3, 7, 7, 100, 0, -50, 12 };
	static const u32 slots[] = { 0, 1, 2, 3, 0, 1, 2, 3 };
	struct rig *r = stat_rig(v, 8, 4, slots);

	ck_assert_int_eq(rig_run(r, 1), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 0), 8);
	ck_assert_int_eq(reg(r, 1), 83);
	ck_assert_int_eq(reg(r, 2), -50);
	ck_assert_int_eq(reg(r, 3), 100);
	ck_assert_int_eq(reg(r, 4), 10);
	/* Sample variance 1712.8; integer rounding stays close. */
	ck_assert_int_ge(reg(r, 5), 1700);
	ck_assert_int_le(reg(r, 5), 1730);
	rig_free(r);
}
END_TEST

START_TEST(test_stat_empty)
{
	struct rig *r = rig_new();
	u32 u, m;

	imgb_map(r->b, "decoy", "", 1, VT_MAPV_STAT);
	m = imgb_map(r->b, "s", "l", 4, VT_MAPV_STAT);
	r->nregs = 4;
	OP(LDI, 0, 0, 0, 1);
	OP(LDI, 1, 0, 0, 9);
	OP(SGET, 1, 0, 0, AGG(m, COUNT));
	OP(LDI, 2, 0, 0, 9);
	OP(SGET, 2, 0, 0, AGG(m, SUM));
	OP(MHAS, 3, 0, 0, m);
	OP(SGET, 2, 0, 0, AGG(m, AVG));
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_EMPTYAGG);
	ck_assert_int_eq(r->ex.fault_detail, 1);
	ck_assert_uint_eq(r->ex.fault_pc, 6);
	ck_assert_int_eq(reg(r, 1), 0);
	ck_assert_int_eq(reg(r, 2), 0);
	ck_assert_int_eq(reg(r, 3), 0);
	rig_free(r);
}
END_TEST

/* SHIST of a scalar stat fed @v; returns the record's payload. */
static const struct vt_rec_hist *hist_of(struct rig *r, const s64 *v, u32 n)
{
	const struct vt_rec *rec;

	for (u32 i = 0; i < n; i++) {
		r->ex.lglobals[0] = v[i];
		ck_assert_int_eq(rig_run(r, 0), VT_FAULT_NONE);
	}
	ck_assert_int_eq(rig_run(r, 1), VT_FAULT_NONE);
	rec = host_mock_record(&r->m, r->m.nrecords - 1);
	ck_assert_ptr_nonnull(rec);
	ck_assert_uint_eq(rec->type, VT_REC_HIST);
	return (const struct vt_rec_hist *)(rec + 1);
}

static struct rig *hist_rig(u8 kind, s64 start, s64 stop, s64 interval)
{
	struct rig *r = rig_new();
	u32 m;

	m = imgb_map(r->b, "s", "", 1, VT_MAPV_STAT);
	imgb_map_hist(r->b, m, kind, start, stop, interval);
	imgb_lglobal(r->b, "v", 0);
	r->nregs = 1;
	OP(GLD, 0, 0, 0, 0);
	OP(SADD, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	rig_unit(r);
	OP(SHIST, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	rig_unit(r);
	rig_load(r);
	return r;
}

static s64 bucket(const struct vt_rec_hist *h, u32 i)
{
	s64 c;

	ck_assert_uint_lt(i, h->nbuckets);
	memcpy(&c, (const u8 *)(h + 1) + i * 8, 8);
	return c;
}

START_TEST(test_hist_log)
{
	static const s64 v[] = { 0, 1, -1, INT64_MIN, INT64_MAX, 2, 3, 4, 1023, 1024 };
	struct rig *r = hist_rig(VT_HIST_LOG, 0, 0, 0);
	const struct vt_rec_hist *h = hist_of(r, v, VT_ARRAY_SIZE(v));
	s64 total = 0;

	ck_assert_uint_eq(h->map, 0);
	ck_assert_uint_eq(h->hist, VT_HIST_LOG);
	ck_assert_uint_eq(h->nbuckets, VT_HIST_LOG_BUCKETS);
	ck_assert_int_eq(h->stat.count, 10);
	ck_assert_int_eq(bucket(h, 64), 1);	/* 0 */
	ck_assert_int_eq(bucket(h, 65), 1);	/* 1 */
	ck_assert_int_eq(bucket(h, 63), 1);	/* -1 */
	ck_assert_int_eq(bucket(h, 0), 1);	/* INT64_MIN */
	ck_assert_int_eq(bucket(h, 127), 1);	/* INT64_MAX */
	ck_assert_int_eq(bucket(h, 66), 2);	/* 2, 3 */
	ck_assert_int_eq(bucket(h, 67), 1);	/* 4 */
	ck_assert_int_eq(bucket(h, 74), 1);	/* 1023 */
	ck_assert_int_eq(bucket(h, 75), 1);	/* 1024 */
	for (u32 i = 0; i < h->nbuckets; i++)
		total += bucket(h, i);
	ck_assert_int_eq(total, 10);
	rig_free(r);
}
END_TEST

/* As SystemTap: the overflow bucket starts at start + (nb - 2) * interval. */
START_TEST(test_hist_linear)
{
	static const s64 v[] = { -1, 0, 9, 99, 100, 109, 110, INT64_MAX, INT64_MIN, 50 };
	struct rig *r = hist_rig(VT_HIST_LINEAR, 0, 100, 10);
	const struct vt_rec_hist *h = hist_of(r, v, VT_ARRAY_SIZE(v));

	ck_assert_uint_eq(h->nbuckets, 13);
	ck_assert_int_eq(bucket(h, 0), 2);	/* -1, INT64_MIN */
	ck_assert_int_eq(bucket(h, 1), 2);	/* 0, 9 */
	ck_assert_int_eq(bucket(h, 6), 1);	/* 50 */
	ck_assert_int_eq(bucket(h, 10), 1);	/* 99 */
	ck_assert_int_eq(bucket(h, 11), 2);	/* 100, 109 */
	ck_assert_int_eq(bucket(h, 12), 2);	/* 110, INT64_MAX */
	rig_free(r);
}
END_TEST

START_TEST(test_hist_negative_start)
{
	static const s64 v[] = { -100, -5, -4, 0, 4, 5, INT64_MAX };
	struct rig *r = hist_rig(VT_HIST_LINEAR, -5, 5, 5);
	const struct vt_rec_hist *h = hist_of(r, v, VT_ARRAY_SIZE(v));

	ck_assert_uint_eq(h->nbuckets, 5);
	ck_assert_int_eq(bucket(h, 0), 1);	/* -100 */
	ck_assert_int_eq(bucket(h, 1), 2);	/* -5, -4 */
	ck_assert_int_eq(bucket(h, 2), 2);	/* 0, 4 */
	ck_assert_int_eq(bucket(h, 3), 1);	/* 5 */
	ck_assert_int_eq(bucket(h, 4), 1);	/* INT64_MAX */
	rig_free(r);
}
END_TEST

START_TEST(test_hist_absent_and_dropped)
{
	struct rig *r = rig_new();
	const struct vt_rec_hist *h;
	u32 u, m;

	m = imgb_map(r->b, "s", "l", 4, VT_MAPV_STAT);
	imgb_map_hist(r->b, m, VT_HIST_LINEAR, 0, 10, 5);
	r->nregs = 1;
	OP(LDI, 0, 0, 0, 3);
	OP(SHIST, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.nrecords, 1);
	h = (const struct vt_rec_hist *)(host_mock_record(&r->m, 0) + 1);
	ck_assert_int_eq(h->stat.count, 0);
	ck_assert_uint_eq(h->nbuckets, 5);
	for (u32 i = 0; i < 5; i++)
		ck_assert_int_eq(bucket(h, i), 0);
	r->m.full = true;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_uint_eq(r->m.drops, 1);
	rig_free(r);
}
END_TEST

/*
 * A foreach over map @m with iter @it and limit @limit that prints
 * each entry: its first long key (MKEYS to r3..) and, for a non-STAT
 * map, its value (MVAL to r2... printed as "ll": key, value).
 */
static void emit_foreach(struct rig *r, u32 m, u32 it, s32 limit, bool val)
{
	u32 loop, next, fmt;

	fmt = val ? imgb_format(r->b, "%d %d\n", "ll") :
		    imgb_format(r->b, "%d\n", "l");
	OP(LDI, 1, 0, 0, limit);
	OP(ITINIT, 0, 1, 0, it);
	loop = OP(LOOP, 0, 0, 0, 0);
	next = OP(ITNEXT, 2, 0, 0, 0);
	OP(MKEYS, 3, 0, 2, m);
	if (val)
		OP(MVAL, 4, 2, 0, m);
	OP(PRINTF, 3, 0, 0, fmt);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	r->b->code[next].k = imgb_rel(next, r->b->ncode);
	OP(ITEND, 0, 0, 0, 0);
}

/* Map "a" [l] of longs: keys 5, 1, 4, 2 inserted in that order. */
static u32 fill_keys(struct rig *r, u32 m)
{
	static const s64 kv[][2] = { { 5, 50 }, { 1, 10 }, { 4, 50 }, { 2, 20 } };

	for (u32 i = 0; i < 4; i++) {
		OP(LDI, 3, 0, 0, kv[i][0]);
		OP(LDI, 4, 0, 0, kv[i][1]);
		OP(MSET, 4, 3, 0, m);
	}
	return 4;
}

static void foreach_case(u8 sort, s8 dir, s32 limit, const s64 *want, u32 nwant)
{
	struct rig *r = rig_new();
	s64 got[16];
	u32 u, m, it, n;

	m = imgb_map(r->b, "a", "l", 8, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, sort, dir, 0);
	r->nregs = 5;
	fill_keys(r, m);
	emit_foreach(r, m, it, limit, true);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	n = printed(r, got, 16);
	ck_assert_uint_eq(n, nwant * 2);
	for (u32 i = 0; i < nwant; i++) {
		ck_assert_int_eq(got[2 * i], want[i]);
		ck_assert_int_eq(got[2 * i + 1], want[i] == 1 ? 10 : want[i] == 2 ? 20 : 50);
	}
	rig_free(r);
}

START_TEST(test_foreach_orders)
{
	static const s64 ins[] = { 5, 1, 4, 2 };
	static const s64 asc[] = { 1, 2, 4, 5 };
	static const s64 desc[] = { 5, 4, 2, 1 };
	static const s64 vasc[] = { 1, 2, 5, 4 };	/* 50 tie: insertion order */
	static const s64 vdesc[] = { 5, 4, 2, 1 };

	foreach_case(0, 0, -1, ins, 4);
	foreach_case(1, 1, -1, asc, 4);
	foreach_case(1, -1, -1, desc, 4);
	foreach_case(VT_SORT_VALUE, 1, -1, vasc, 4);
	foreach_case(VT_SORT_VALUE, -1, -1, vdesc, 4);
	foreach_case(1, 1, 2, asc, 2);
	foreach_case(VT_SORT_VALUE, -1, 1, vdesc, 1);
	foreach_case(0, 0, 0, ins, 0);
	foreach_case(0, 0, 100, ins, 4);
}
END_TEST

/* Sorting by a string key, then by a string value. */
START_TEST(test_foreach_strings)
{
	static const char *const keys[] = { "pear", "apple", "fig", "apricot" };
	static const char *const vals[] = { "z", "b", "a", "c" };
	struct rig *r = rig_new();
	u32 u1, u2, m, it1, it2, fmt, loop, next;
	s64 got[8];

	m = imgb_map(r->b, "a", "ls", 8, VT_MAPV_STRING);
	it1 = imgb_iter(r->b, m, 2, 1, 0);
	it2 = imgb_iter(r->b, m, VT_SORT_VALUE, -1, 0);
	fmt = imgb_format(r->b, "%d\n", "l");
	r->nregs = 4;
	r->nslots = 3;
	for (int i = 0; i < 4; i++) {
		OP(LDI, 3, 0, 0, i);
		OP(SLDC, 0, 0, 0, imgb_str(r->b, keys[i]));
		OP(SLDC, 1, 0, 0, imgb_str(r->b, vals[i]));
		OP(MSET, 1, 3, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	for (u32 it = it1; it <= it2; it++) {
		OP(LDI, 1, 0, 0, -1);
		OP(ITINIT, 0, 1, 0, it);
		loop = OP(LOOP, 0, 0, 0, 0);
		next = OP(ITNEXT, 2, 0, 0, 0);
		OP(MKEYS, 3, 2, 2, m);
		OP(PRINTF, 3, 0, 0, fmt);
		OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
		r->b->code[next].k = imgb_rel(next, r->b->ncode);
		OP(ITEND, 0, 0, 0, 0);
	}
	OP(RET, 0, 0, 0, 0);
	u2 = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_NONE);
	ck_assert_uint_eq(printed(r, got, 8), 8);
	/* apple apricot fig pear */
	ck_assert_int_eq(got[0], 1);
	ck_assert_int_eq(got[1], 3);
	ck_assert_int_eq(got[2], 2);
	ck_assert_int_eq(got[3], 0);
	/* values descending: z c b a */
	ck_assert_int_eq(got[4], 0);
	ck_assert_int_eq(got[5], 3);
	ck_assert_int_eq(got[6], 1);
	ck_assert_int_eq(got[7], 2);
	rig_free(r);
}
END_TEST

/* A statistic sorted by an aggregate. */
static void stat_sort(u8 agg, s8 dir, const s64 *want)
{
	static const s64 feed[][2] = {
		{ 1, 5 }, { 1, 5 }, { 2, 100 }, { 3, 1 }, { 3, 1 }, { 3, 1 },
	};
	struct rig *r = rig_new();
	u32 u, m, it;
	s64 got[4];

	m = imgb_map(r->b, "s", "l", 8, VT_MAPV_STAT);
	it = imgb_iter(r->b, m, VT_SORT_VALUE, dir, agg);
	r->nregs = 5;
	for (u32 i = 0; i < VT_ARRAY_SIZE(feed); i++) {
		OP(LDI, 3, 0, 0, feed[i][0]);
		OP(LDI, 4, 0, 0, feed[i][1]);
		OP(SADD, 4, 3, 0, m);
	}
	emit_foreach(r, m, it, -1, false);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	r->m.nvslots = 2;
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_uint_eq(printed(r, got, 4), 3);
	for (u32 i = 0; i < 3; i++)
		ck_assert_int_eq(got[i], want[i]);
	rig_free(r);
}

START_TEST(test_foreach_stat)
{
	static const s64 count_desc[] = { 3, 1, 2 };
	static const s64 sum_asc[] = { 3, 1, 2 };
	static const s64 max_desc[] = { 2, 1, 3 };
	static const s64 avg_asc[] = { 3, 1, 2 };

	stat_sort(VT_AGG_COUNT, -1, count_desc);
	stat_sort(VT_AGG_SUM, 1, sum_asc);
	stat_sort(VT_AGG_MAX, -1, max_desc);
	stat_sort(VT_AGG_AVG, 1, avg_asc);
}
END_TEST

/* Nested foreach over one map; the inner one ends each outer round. */
static struct rig *nested_rig(u32 scratch)
{
	struct rig *r = rig_new();
	u32 u, m, it, fmt, oloop, onext, iloop, inext;

	r->b->scratch = scratch;
	m = imgb_map(r->b, "a", "l", 2, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 1, 1, 0);
	fmt = imgb_format(r->b, "%d %d\n", "ll");
	r->nregs = 8;
	for (int k = 2; k >= 1; k--) {
		OP(LDI, 6, 0, 0, k);
		OP(MSET, 6, 6, 0, m);
	}
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 0, 1, 0, it);
	oloop = OP(LOOP, 0, 0, 0, 0);
	onext = OP(ITNEXT, 2, 0, 0, 0);
	OP(MKEYS, 6, 0, 2, m);
	OP(ITINIT, 3, 1, 0, it);
	iloop = OP(LOOP, 0, 0, 0, 0);
	inext = OP(ITNEXT, 4, 3, 0, 0);
	OP(MKEYS, 7, 0, 4, m);
	OP(PRINTF, 6, 0, 0, fmt);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, iloop));
	r->b->code[inext].k = imgb_rel(inext, r->b->ncode);
	OP(ITEND, 3, 0, 0, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, oloop));
	r->b->code[onext].k = imgb_rel(onext, r->b->ncode);
	OP(ITEND, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	ck_assert_uint_eq(u, 0);
	rig_load(r);
	return r;
}

START_TEST(test_foreach_nested)
{
	static const s64 want[] = { 1, 1, 1, 2, 2, 1, 2, 2 };
	struct rig *r = nested_rig(64);	/* two records of 24 + 2 * 4 */
	s64 got[8];

	ck_assert_int_eq(rig_run(r, 0), VT_FAULT_NONE);
	ck_assert_uint_eq(printed(r, got, 8), 8);
	for (u32 i = 0; i < 8; i++)
		ck_assert_int_eq(got[i], want[i]);
	/* The scratch is the last part of the frame memory. */
	ck_assert_uint_ge(r->prog.frame_size, 64 + 8 * 8);
	rig_free(r);

	r = nested_rig(56);
	ck_assert_int_eq(rig_run(r, 0), VT_FAULT_SCRATCH);
	ck_assert_uint_eq(r->prog.code[r->ex.fault_pc].op, VT_OP_ITINIT);
	ck_assert_uint_eq(r->ex.fault_pc, 9);	/* the inner one */
	rig_free(r);
}
END_TEST

/* Entries deleted after ITINIT are skipped. */
START_TEST(test_foreach_delete)
{
	struct rig *r = rig_new();
	u32 u, m, it, fmt, loop, next;
	s64 got[4];

	m = imgb_map(r->b, "a", "l", 4, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 0, 0, 0);
	fmt = imgb_format(r->b, "%d\n", "l");
	r->nregs = 6;
	for (int k = 1; k <= 3; k++) {
		OP(LDI, 5, 0, 0, k);
		OP(MSET, 5, 5, 0, m);
	}
	OP(LDI, 5, 0, 0, 2);
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 0, 1, 0, it);
	loop = OP(LOOP, 0, 0, 0, 0);
	next = OP(ITNEXT, 2, 0, 0, 0);
	OP(MKEYS, 3, 0, 2, m);
	OP(PRINTF, 3, 0, 0, fmt);
	OP(MDEL, 0, 5, 0, m);		/* delete key 2 during the walk */
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	r->b->code[next].k = imgb_rel(next, r->b->ncode);
	OP(ITEND, 0, 0, 0, 0);
	OP(MVAL, 4, 2, 0, m);		/* entry of key 3: still live */
	OP(LDI, 2, 0, 0, 1);
	OP(MVAL, 4, 2, 0, m);		/* entry 1 (key 2): deleted */
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BADITER);
	ck_assert_uint_eq(printed(r, got, 4), 2);
	ck_assert_int_eq(got[0], 1);
	ck_assert_int_eq(got[1], 3);
	ck_assert_int_eq(reg(r, 4), 3);
	ck_assert_uint_eq(r->prog.code[r->ex.fault_pc].op, VT_OP_MVAL);
	rig_free(r);
}
END_TEST

/* Forged or stale iterators and entries fault BADITER. */
static void forged(s32 fake, u8 op, bool end_first)
{
	struct rig *r = rig_new();
	u32 u, m, it, pc;

	m = imgb_map(r->b, "a", "l", 4, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 0, 0, 0);
	r->nregs = 4;
	OP(LDI, 2, 0, 0, 7);
	OP(MSET, 2, 2, 0, m);
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 0, 1, 0, it);
	if (end_first)
		OP(ITEND, 0, 0, 0, 0);
	else
		OP(LDI, 0, 0, 0, fake);
	if (op == VT_OP_ITNEXT) {
		pc = OP(ITNEXT, 3, 0, 0, 0);
	} else if (op == VT_OP_ITEND) {
		pc = OP(ITEND, 0, 0, 0, 0);
	} else if (op == VT_OP_MKEYS) {
		OP(LDI, 3, 0, 0, fake);
		pc = OP(MKEYS, 2, 0, 3, m);
	} else {
		OP(LDI, 3, 0, 0, fake);
		pc = OP(MVAL, 2, 3, 0, m);
	}
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BADITER);
	ck_assert_uint_eq(r->ex.fault_pc, pc);
	rig_free(r);
}

START_TEST(test_foreach_forged)
{
	forged(8, VT_OP_ITNEXT, false);		/* inside the record */
	forged(4, VT_OP_ITNEXT, false);		/* unaligned */
	forged(-8, VT_OP_ITNEXT, false);
	forged(1 << 20, VT_OP_ITNEXT, false);	/* past the scratch */
	forged(24, VT_OP_ITEND, false);		/* past the top */
	forged(0, VT_OP_ITNEXT, true);		/* ended */
	forged(0, VT_OP_ITEND, true);		/* ended twice */
	forged(4, VT_OP_MKEYS, false);		/* past max_entries */
	forged(-1, VT_OP_MKEYS, false);
	forged(1, VT_OP_MVAL, false);		/* never inserted */
}
END_TEST

/* ITINIT charges the scan (max_entries) and (2 log2 n + 2) n. */
START_TEST(test_foreach_budget)
{
	struct rig *r = rig_new();
	u32 u, m, it, ninsn;

	m = imgb_map(r->b, "a", "l", 8, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 1, 1, 0);
	r->nregs = 5;
	fill_keys(r, m);
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 0, 1, 0, it);
	OP(ITEND, 0, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	ninsn = r->b->ncode;
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	/* Filling: 4 inserts, 1 entry visited; sorting 4: 6 * 4. */
	ck_assert_int_eq(r->ex.budget, 10000 - (s64)ninsn - 5 - 8 - 6 * 4);
	rig_free(r);

	/* A budget for the scan but not the sort faults before sorting. */
	r = rig_new();
	r->b->budget = 40;
	m = imgb_map(r->b, "a", "l", 8, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 1, 1, 0);
	r->nregs = 5;
	fill_keys(r, m);
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 0, 1, 0, it);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BUDGET);
	ck_assert_int_eq(r->ex.budget, 0);
	rig_free(r);
}
END_TEST

START_TEST(test_time_cap)
{
	struct rig *r = rig_new();
	u32 u, loop;

	loop = OP(LOOP, 0, 0, 0, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	u = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BUDGET);
	ck_assert_uint_ge(r->m.time_calls, 10000 / VT_TIME_POLL_UNITS - 1);
	ck_assert_uint_le(r->m.time_calls, 10000 / VT_TIME_POLL_UNITS + 1);
	r->m.time_up = true;
	r->m.time_calls = 0;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_TIME);
	ck_assert_uint_eq(r->m.time_calls, 1);
	ck_assert_uint_eq(r->ex.fault_pc, loop);
	ck_assert_int_ge(r->ex.budget, 10000 - 260);
	rig_free(r);
}
END_TEST

/*
 * Four threads <<< into one map at once, each in its own value slot,
 * map locks a real mutex: the lockless lookup and the re-checked insert
 * under the lock lose no value and never insert a key twice.
 */
#define CT_THREADS 4
#define CT_LOOPS 20000
#define CT_KEYS 50

struct ct_arg {
	struct rig *r;
	pthread_mutex_t *mutex;
	u32 vslot;
	enum vt_fault fault;
};

static void *ct_thread(void *p)
{
	struct ct_arg *a = p;
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_exec ex;
	void *const *own;

	host_mock_init(m);
	m->mutex = a->mutex;
	m->nvslots = CT_THREADS;
	m->vslot = a->vslot;
	host_mock_exec_init(&ex, &a->r->prog, m);
	own = ex.maps;
	ex.maps = a->r->ex.maps;	/* the shared storage */
	a->fault = vt_run(&ex, 0);
	ex.maps = own;
	host_mock_exec_free(&ex);
	free(m);
	return NULL;
}

START_TEST(test_concurrent_sadd)
{
	pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
	struct ct_arg args[CT_THREADS];
	pthread_t th[CT_THREADS];
	struct rig *r = rig_new();
	struct vt_map_hdr *h;
	struct vt_map_entry *e;
	struct vt_stat st;
	u32 m, loop, jz, i, seen = 0;
	s64 key;

	r->b->budget = CT_LOOPS * 12 + 100;
	m = imgb_map(r->b, "s", "l", 64, VT_MAPV_STAT);
	r->nregs = 6;
	OP(LDI, 3, 0, 0, CT_LOOPS);
	OP(LDI, 4, 0, 0, CT_KEYS);
	OP(LDI, 2, 0, 0, 1);
	loop = OP(LOOP, 0, 0, 0, 0);
	OP(LT, 5, 0, 3, 0);
	jz = OP(JZ, 5, 0, 0, 0);
	OP(MOD, 1, 0, 4, 0);
	OP(SADD, 2, 1, 0, m);
	OP(ADD, 0, 0, 2, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	r->b->code[jz].k = imgb_rel(jz, r->b->ncode);
	OP(RET, 0, 0, 0, 0);
	rig_unit(r);
	r->m.nvslots = CT_THREADS;
	rig_load(r);
	for (i = 0; i < CT_THREADS; i++) {
		args[i] = (struct ct_arg){ .r = r, .mutex = &mutex, .vslot = i };
		ck_assert_int_eq(pthread_create(&th[i], NULL, ct_thread,
						&args[i]), 0);
	}
	for (i = 0; i < CT_THREADS; i++) {
		pthread_join(th[i], NULL);
		ck_assert_int_eq(args[i].fault, VT_FAULT_NONE);
	}
	h = storage(r, m);
	ck_assert_uint_eq(h->live, CT_KEYS);
	for (key = 0; key < CT_KEYS; key++) {
		struct vt_map_key k = { .longs = &key, .strs = "" };

		e = lookup(h, &k);
		ck_assert_ptr_nonnull(e);
		vt_stat_merge(&st, NULL, h, e, e->seq);
		ck_assert_int_eq(st.count, CT_THREADS * CT_LOOPS / CT_KEYS);
	}
	for (i = 0; i < h->max_entries; i++)
		seen += vt_map_live(h, i) != NULL;
	ck_assert_uint_eq(seen, CT_KEYS);
	rig_free(r);
}
END_TEST

/* ------------------------------------------------ safety (issue 9) */

/*
 * Link every entry of LONG map @m (keys 100 + i) into one chain that
 * every bucket points to: whatever the hash, a lookup walks all @n.
 */
static void one_chain(struct vt_map_hdr *h, u32 n)
{
	for (u32 i = 0; i < n; i++) {
		struct vt_map_entry *e = vt_map_entry(h, i);
		s64 key = 100 + i;

		memcpy(vt_map_keyp(e), &key, 8);
		e->next = i + 1 < n ? i + 2 : 0;
		e->live = 1;
		e->seq = i + 1;
	}
	for (u32 b = 0; b < h->nbuckets; b++)
		vt_map_buckets(h)[b] = 1;
}

/* A lookup pays for every entry it visits and stops when out of budget. */
START_TEST(test_long_chain_budget)
{
	struct rig *r = rig_new();
	struct vt_map_ref ref;
	u32 u, m, ninsn;
	s64 key = 5, left;
	struct vt_map_key k = { .longs = &key, .strs = "" };

	m = imgb_map(r->b, "a", "l", 1024, VT_MAPV_LONG);
	OP(LDI, 0, 0, 0, 5);
	OP(MGET, 1, 0, 0, m);		/* absent: walks the whole chain */
	OP(RET, 0, 0, 0, 0);
	ninsn = r->b->ncode;
	r->nregs = 2;
	u = rig_unit(r);
	rig_load(r);
	one_chain(storage(r, m), 1000);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(r->ex.budget, 10000 - (s64)ninsn - 1000);
	r->prog.budget = 500;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BUDGET);
	ck_assert_uint_eq(r->ex.fault_pc, 1);
	/* The walk itself stops when the next step would not fit. */
	left = 1 << 20;
	ck_assert_int_eq(vt_map_hash(storage(r, m), &k, &left, &ref),
			 VT_MAP_OK);
	left = 37;
	ck_assert_int_eq(vt_map_find(storage(r, m), &k, &left, &ref),
			 VT_MAP_NOBUDGET);
	ck_assert_int_eq(left, 0);
	rig_free(r);
}
END_TEST

/* Keys of @h's bucket 0 found by trying 1, 2, ...: @n of them. */
static void colliding_keys(struct vt_map_hdr *h, s64 *keys, u32 n)
{
	struct vt_map_ref ref;
	s64 key, left;
	struct vt_map_key k = { .longs = &key, .strs = "" };
	u32 i = 0;

	for (key = 1; i < n; key++) {
		left = 1000;
		ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
		if (ref.bucket == 0)
			keys[i++] = key;
	}
}

/*
 * Real collisions (found knowing the mock's seed, which a script in the
 * module cannot): inserting and looking up in a long chain is charged,
 * and MSET into it faults BUDGET rather than walking on.
 */
START_TEST(test_colliding_keys_budget)
{
	struct rig *r = rig_new();
	struct vt_map_hdr *h;
	struct vt_map_ref ref;
	s64 keys[202], left;
	struct vt_map_key k = { .longs = keys, .strs = "" };
	u32 u, m, i;

	m = imgb_map(r->b, "a", "l", 256, VT_MAPV_LONG);
	imgb_lglobal(r->b, "key", 0);
	r->nregs = 2;
	OP(GLD, 0, 0, 0, 0);
	OP(MSET, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	rig_load(r);
	h = storage(r, m);
	colliding_keys(h, keys, 202);
	for (i = 0; i < 200; i++) {
		k.longs = &keys[i];
		left = 1000;
		ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
		ck_assert_int_eq(vt_map_find(h, &k, &left, &ref),
				 VT_MAP_ABSENT);
		ck_assert_int_eq(vt_map_insert(h, &k, false, &left, &ref),
				 VT_MAP_OK);
		/* i entries visited, 1 for the insert */
		ck_assert_int_eq(left, 1000 - (s64)i - 1);
	}
	ck_assert_int_eq(vt_map_check(h, vt_map_size(&r->prog, m, 1)), 0);
	/* The 201st key: MSET walks 200 entries, then inserts. */
	r->ex.lglobals[0] = keys[200];
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	ck_assert_int_eq(r->ex.budget, 10000 - 3 - 200 - 1);
	ck_assert_uint_eq(h->live, 201);
	r->ex.lglobals[0] = keys[201];
	r->prog.budget = 150;
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_BUDGET);
	ck_assert_uint_eq(h->live, 201);
	rig_free(r);
}
END_TEST

/*
 * The hash is SipHash-2-4 of the key's encoding (longs, then strings
 * with their NUL), keyed with the seed: the paper's test vectors (key
 * 00..0f, messages 00..0n), and another seed puts keys elsewhere.
 */
START_TEST(test_hash_keyed)
{
	static const u64 want_l1 = 0x93f5f5799a932462ull;	/* 00..07 */
	static const u64 want_l2 = 0x3f2acc7f57c29bdbull;	/* 00..0f */
	static const u64 want_s = 0x74f839c593dc67fdull;	/* 00 */
	s64 longs[2] = { 0x0706050403020100ll, 0x0f0e0d0c0b0a0908ll }, left;
	struct vt_map_key k = { .longs = longs, .strs = "" };
	struct rig *r = rig_new();
	struct vt_map_ref ref;
	u32 m1, m2, m3, i, moved = 0;

	m1 = imgb_map(r->b, "a", "l", 1 << 16, VT_MAPV_LONG);
	m2 = imgb_map(r->b, "b", "ll", 1 << 16, VT_MAPV_LONG);
	m3 = imgb_map(r->b, "c", "s", 1 << 16, VT_MAPV_LONG);
	OP(RET, 0, 0, 0, 0);
	rig_unit(r);
	rig_load(r);
	for (i = m1; i <= m3; i++) {
		storage(r, i)->seed[0] = 0x0706050403020100ull;
		storage(r, i)->seed[1] = 0x0f0e0d0c0b0a0908ull;
	}
	left = 100;
	if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__) {
		vt_map_hash(storage(r, m1), &k, &left, &ref);
		ck_assert_uint_eq(ref.bucket, want_l1 & 0xffff);
		vt_map_hash(storage(r, m2), &k, &left, &ref);
		ck_assert_uint_eq(ref.bucket, want_l2 & 0xffff);
		vt_map_hash(storage(r, m3), &k, &left, &ref);
		ck_assert_uint_eq(ref.bucket, want_s & 0xffff);
		ck_assert_int_eq(left, 100);	/* keys under 64 bytes */
	}
	for (i = 0; i < 64; i++) {
		u32 b;

		longs[0] = i;
		storage(r, m1)->seed[1] = 1;
		vt_map_hash(storage(r, m1), &k, &left, &ref);
		b = ref.bucket;
		storage(r, m1)->seed[1] = 2;
		vt_map_hash(storage(r, m1), &k, &left, &ref);
		moved += ref.bucket != b;
	}
	ck_assert_uint_ge(moved, 60);
	rig_free(r);
}
END_TEST

/*
 * SGET merges every value slot: 1 unit each; SHIST also pays for the
 * counters, and checks before it reserves a record.
 */
START_TEST(test_stat_read_charge)
{
	struct rig *r = rig_new();
	u32 u1, u2, m, ninsn;

	m = imgb_map(r->b, "s", "l", 4, VT_MAPV_STAT);
	imgb_map_hist(r->b, m, VT_HIST_LOG, 0, 0, 0);
	r->nregs = 2;
	OP(LDI, 0, 0, 0, 3);
	OP(SADD, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(LDI, 0, 0, 0, 3);
	OP(SGET, 1, 0, 0, AGG(m, COUNT));
	OP(SHIST, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	ninsn = 4;
	u2 = rig_unit(r);
	r->m.nvslots = 64;
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 1), 1);
	/*
	 * Lookups: 1 entry each.  SGET: 64 slots.  SHIST: 64 slots and
	 * 65 x 129 counters of 8 bytes (merged from 64, written once).
	 */
	ck_assert_int_eq(r->ex.budget, 10000 - (s64)ninsn - 1 - 64 - 1 - 64 -
			 65 * 129 * 8 / 64);
	ck_assert_uint_eq(r->m.nrecords, 1);
	r->prog.budget = 1000;		/* enough for SGET, not SHIST */
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_BUDGET);
	ck_assert_uint_eq(r->prog.code[r->ex.fault_pc].op, VT_OP_SHIST);
	ck_assert_uint_eq(r->m.nrecords, 1);	/* none reserved */
	rig_free(r);
}
END_TEST

/* A wrapping insert into a full map replaces the oldest in O(1). */
START_TEST(test_wrap_cost)
{
	struct rig *r = rig_new();
	u32 u1, u2, m, loop, jz;

	r->b->budget = 100000;
	m = imgb_map(r->b, "a", "l", 1024, VT_MAPV_LONG);
	r->b->maps[m].flags = VT_MAP_F_WRAP;
	r->nregs = 4;
	OP(LDI, 1, 0, 0, 1024);
	OP(LDI, 2, 0, 0, 1);
	loop = OP(LOOP, 0, 0, 0, 0);
	OP(LT, 3, 0, 1, 0);
	jz = OP(JZ, 3, 0, 0, 0);
	OP(MSET, 0, 0, 0, m);
	OP(ADD, 0, 0, 2, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	r->b->code[jz].k = imgb_rel(jz, r->b->ncode);
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(LDI, 0, 0, 0, 5000);
	OP(MSET, 0, 0, 0, m);		/* full: replaces key 0 */
	OP(RET, 0, 0, 0, 0);
	u2 = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	ck_assert_uint_eq(storage(r, m)->live, 1024);
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_NONE);
	ck_assert_int_ge(r->ex.budget, 100000 - 3 - 10);
	ck_assert_uint_eq(storage(r, m)->live, 1024);
	ck_assert_int_eq(vt_map_check(storage(r, m),
				      vt_map_size(&r->prog, m, 1)), 0);
	rig_free(r);
}
END_TEST

/*
 * MCLR pays for its live entries before clearing; ITNEXT pays for the
 * deleted entries it passes over.
 */
START_TEST(test_clear_and_skip_charge)
{
	struct rig *r = rig_new();
	u32 u1, u2, m, it, loop, jz, next;

	r->b->budget = 100000;
	m = imgb_map(r->b, "a", "l", 128, VT_MAPV_LONG);
	it = imgb_iter(r->b, m, 0, 0, 0);
	r->nregs = 6;
	OP(LDI, 1, 0, 0, 100);
	OP(LDI, 2, 0, 0, 1);
	loop = OP(LOOP, 0, 0, 0, 0);
	OP(LT, 3, 0, 1, 0);
	jz = OP(JZ, 3, 0, 0, 0);
	OP(MSET, 0, 0, 0, m);
	OP(ADD, 0, 0, 2, 0);
	OP(JMP, 0, 0, 0, imgb_rel(r->b->ncode, loop));
	r->b->code[jz].k = imgb_rel(jz, r->b->ncode);
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 4, 1, 0, it);
	OP(MCLR, 0, 0, 0, m);
	next = OP(ITNEXT, 5, 4, 0, 0);	/* passes over 100 deleted */
	OP(RET, 0, 0, 0, 0);
	r->b->code[next].k = imgb_rel(next, r->b->ncode - 1);
	u2 = rig_unit(r);
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	r->prog.budget = 1800;	/* the scan and sort, not all of MCLR */
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_BUDGET);
	ck_assert_uint_eq(r->prog.code[r->ex.fault_pc].op, VT_OP_MCLR);
	ck_assert_uint_eq(storage(r, m)->live, 100);	/* not cleared */
	r->prog.budget = 100000;
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_NONE);
	/* ITINIT 128 + (2 * 7 + 2) * 100; MCLR 100; ITNEXT 99. */
	ck_assert_int_eq(r->ex.budget, 100000 - 5 - 128 - 1600 - 100 - 99);
	rig_free(r);
}
END_TEST

/* "Another CPU": delete key 1 of map 0 and insert key 2 (reusing it). */
static void reuse_for_key2(struct host_mock *hm, u32 map)
{
	struct vt_map_hdr *h = hm->hook_arg;
	struct vt_map_ref ref;
	s64 key = 1, left = 1000;
	struct vt_map_key k = { .longs = &key, .strs = "" };

	(void)map;
	hm->on_unlock = NULL;		/* once */
	ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
	ck_assert_int_eq(vt_map_find(h, &k, &left, &ref), VT_MAP_OK);
	vt_map_delete(h, ref.e);
	key = 2;
	ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
	ck_assert_int_eq(vt_map_insert(h, &k, false, &left, &ref), VT_MAP_OK);
	ck_assert_ptr_eq(ref.e, vt_map_entry(h, 0));
}

/*
 * <<< inserts key 1 and, between its unlock and its add, another CPU
 * deletes key 1 and reuses the entry for key 2: the add is lost (it
 * raced with the delete of its key), never counted for key 2.
 */
START_TEST(test_sadd_delete_reuse_race)
{
	struct rig *r = rig_new();
	u32 u1, u2, m;

	m = imgb_map(r->b, "s", "l", 1, VT_MAPV_STAT);
	r->nregs = 4;
	OP(LDI, 0, 0, 0, 1);
	OP(LDI, 1, 0, 0, 10);
	OP(SADD, 1, 0, 0, m);		/* s[1] <<< 10 */
	OP(RET, 0, 0, 0, 0);
	u1 = rig_unit(r);
	OP(LDI, 0, 0, 0, 2);
	OP(SGET, 2, 0, 0, AGG(m, COUNT));
	OP(LDI, 1, 0, 0, 7);
	OP(SADD, 1, 0, 0, m);		/* s[2] <<< 7 */
	OP(SGET, 3, 0, 0, AGG(m, SUM));
	OP(RET, 0, 0, 0, 0);
	u2 = rig_unit(r);
	rig_load(r);
	r->m.on_unlock = reuse_for_key2;
	r->m.hook_arg = storage(r, m);
	ck_assert_int_eq(rig_run(r, u1), VT_FAULT_NONE);
	ck_assert_ptr_null(r->m.on_unlock);	/* the race happened */
	ck_assert_int_eq(rig_run(r, u2), VT_FAULT_NONE);
	ck_assert_int_eq(reg(r, 2), 0);		/* not 1 */
	ck_assert_int_eq(reg(r, 3), 7);		/* not 17 */
	rig_free(r);
}
END_TEST

/* "Another CPU": delete key 1 of map hook_arg, insert key 7 there. */
static void reuse_for_key7(struct host_mock *hm, u32 map)
{
	struct vt_map_hdr *h = hm->hook_arg;
	struct vt_map_ref ref;
	s64 key = 1, left = 1000;
	struct vt_map_key k = { .longs = &key, .strs = "" };

	if (map == 0)
		return;			/* not the MGET of map b */
	hm->on_unlock = NULL;
	ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
	ck_assert_int_eq(vt_map_find(h, &k, &left, &ref), VT_MAP_OK);
	vt_map_delete(h, ref.e);
	key = 7;
	ck_assert_int_eq(vt_map_hash(h, &k, &left, &ref), VT_MAP_OK);
	ck_assert_int_eq(vt_map_insert(h, &k, false, &left, &ref), VT_MAP_OK);
	memcpy(vt_map_val(h, ref.e), &(s64){ 70 }, 8);
}

/*
 * foreach yields key 1's entry; before MKEYS and MVAL read it, another
 * CPU deletes key 1 and reuses the entry for key 7: MKEYS faults
 * BADITER rather than give key 7, MVAL reads the deleted key as 0.
 */
static void reuse_after_itnext(u8 op)
{
	struct rig *r = rig_new();
	u32 u, a, b, it, pc;

	a = imgb_map(r->b, "a", "l", 1, VT_MAPV_LONG);
	b = imgb_map(r->b, "b", "l", 1, VT_MAPV_LONG);
	it = imgb_iter(r->b, a, 0, 0, 0);
	r->nregs = 6;
	OP(LDI, 0, 0, 0, 1);
	OP(LDI, 1, 0, 0, 10);
	OP(MSET, 1, 0, 0, a);		/* a[1] = 10 */
	OP(LDI, 1, 0, 0, -1);
	OP(ITINIT, 2, 1, 0, it);
	OP(ITNEXT, 3, 2, 0, 0);		/* key 1's entry */
	OP(MGET, 4, 0, 0, b);		/* meanwhile: the reuse */
	if (op == VT_OP_MKEYS)
		pc = OP(MKEYS, 5, 0, 3, a);
	else
		pc = OP(MVAL, 5, 3, 0, a);
	OP(ITEND, 2, 0, 0, 0);
	OP(RET, 0, 0, 0, 0);
	r->b->code[5].k = imgb_rel(5, r->b->ncode - 2);
	u = rig_unit(r);
	rig_load(r);
	r->m.on_unlock = reuse_for_key7;
	r->m.hook_arg = storage(r, a);
	if (op == VT_OP_MKEYS) {
		ck_assert_int_eq(rig_run(r, u), VT_FAULT_BADITER);
		ck_assert_uint_eq(r->ex.fault_pc, pc);
	} else {
		ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
		ck_assert_int_eq(reg(r, 5), 0);		/* not 70 */
	}
	ck_assert_ptr_null(r->m.on_unlock);
	rig_free(r);
}

START_TEST(test_foreach_entry_reused)
{
	reuse_after_itnext(VT_OP_MKEYS);
	reuse_after_itnext(VT_OP_MVAL);
}
END_TEST

/* vt_map_check() accepts real storage and rejects corrupt copies. */
START_TEST(test_map_check)
{
	struct rig *r = rig_new();
	struct vt_map_hdr *h;
	u32 u, m;
	u64 size;

	m = imgb_map(r->b, "a", "ls", 4, VT_MAPV_STAT);
	imgb_map_hist(r->b, m, VT_HIST_LOG, 0, 0, 0);
	r->nregs = 1;
	r->nslots = 1;
	OP(SADD, 0, 0, 0, m);
	OP(RET, 0, 0, 0, 0);
	u = rig_unit(r);
	r->m.nvslots = 3;
	rig_load(r);
	ck_assert_int_eq(rig_run(r, u), VT_FAULT_NONE);
	h = storage(r, m);
	size = vt_map_size(&r->prog, m, 3);
	ck_assert_int_eq(vt_map_check(h, size), 0);
	ck_assert_int_eq(vt_map_check(h, size - 8), -1);
	vt_map_buckets(h)[1] = 5;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	vt_map_buckets(h)[1] = 0;
	vt_map_entry(h, 2)->next = 9;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	vt_map_entry(h, 2)->next = 0;
	/* The lists must hold exactly the live entries. */
	h->oldest = 0;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	h->oldest = 1;
	vt_map_entry(h, 0)->prev = 2;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	vt_map_entry(h, 0)->prev = 0;
	h->free_tail = 2;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	h->free_tail = 4;
	ck_assert_int_eq(vt_map_check(h, size), 0);
	/* A snapshot copy has no lists; its live count must hold. */
	h->flags = VT_MAP_F_COPY;
	h->oldest = h->newest = h->free_head = h->free_tail = 0;
	ck_assert_int_eq(vt_map_check(h, size), 0);
	h->live = 2;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	h->live = 1;
	h->nhist = 7;
	ck_assert_int_eq(vt_map_check(h, size), -1);
	ck_assert_int_eq(vt_map_size(&r->prog, m, 0), 0);
	ck_assert_int_eq(vt_map_size(&r->prog, m + 1, 1), 0);
	rig_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vm_map");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_long_ops);
	tcase_add_test(tc, test_madd_wraps);
	tcase_add_test(tc, test_string_keys);
	tcase_add_test(tc, test_string_values);
	tcase_add_test(tc, test_nine_keys);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_delete_reuse);
	tcase_add_test(tc, test_busy);
	tcase_add_test(tc, test_stat_full_and_clear);
	tcase_add_test(tc, test_time_cap_call);
	tcase_add_test(tc, test_stat_single_slot);
	tcase_add_test(tc, test_stat_known);
	tcase_add_test(tc, test_stat_merge);
	tcase_add_test(tc, test_stat_spread_slots);
	tcase_add_test(tc, test_stat_empty);
	tcase_add_test(tc, test_hist_log);
	tcase_add_test(tc, test_hist_linear);
	tcase_add_test(tc, test_hist_negative_start);
	tcase_add_test(tc, test_hist_absent_and_dropped);
	tcase_add_test(tc, test_foreach_orders);
	tcase_add_test(tc, test_foreach_strings);
	tcase_add_test(tc, test_foreach_stat);
	tcase_add_test(tc, test_foreach_nested);
	tcase_add_test(tc, test_foreach_delete);
	tcase_add_test(tc, test_foreach_forged);
	tcase_add_test(tc, test_foreach_budget);
	tcase_add_test(tc, test_time_cap);
	tcase_add_test(tc, test_map_check);
	tcase_add_test(tc, test_concurrent_sadd);
	tcase_add_test(tc, test_long_chain_budget);
	tcase_add_test(tc, test_colliding_keys_budget);
	tcase_add_test(tc, test_hash_keyed);
	tcase_add_test(tc, test_stat_read_charge);
	tcase_add_test(tc, test_wrap_cost);
	tcase_add_test(tc, test_clear_and_skip_charge);
	tcase_add_test(tc, test_sadd_delete_reuse_race);
	tcase_add_test(tc, test_foreach_entry_reused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
