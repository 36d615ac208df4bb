// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_cli_aggfmt.c - cli/aggfmt.c: histograms and the end-of-run display
 * of unread globals, byte for byte as SystemTap prints them.
 *
 * The expected histograms are the outputs SystemTap's own testsuite
 * documents (NAME.exp in testsuite/systemtap.maps, with the default
 * HIST_ELISION 2), fed with the same data as the matching .stp script,
 * bucketed by the VM's vt_hist_bucket(): linear.exp,
 * linear_overunder.exp, linear_large_neg.exp, log_edge.exp and
 * elision.exp (myresults(2)).  The end-of-run lines follow SystemTap's
 * synthetic end probe for unread globals (elaborate.cxx,
 * add_global_var_display): `x=%d`, `s="%#s"` (which prints the string
 * raw: SystemTap's %#s does not escape), keys `"%#s"`/`%#d`, statistics
 * `@count=%#d @min @max @sum @avg`, empty scalar statistic `@count=0x0`,
 * arrays in `foreach (... in a-)` order.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggfmt.h"
#include "cli.h"
#include "imgbuild.h"
#include "map.h"

static struct vt_map_desc log_desc(void)
{
	struct vt_map_desc md = {
		.vkind = VT_MAPV_STAT, .hist = VT_HIST_LOG,
		.nbuckets = VT_HIST_LOG_BUCKETS,
	};

	return md;
}

static struct vt_map_desc linear_desc(s64 start, s64 stop, s64 interval)
{
	struct vt_map_desc md = {
		.vkind = VT_MAPV_STAT, .hist = VT_HIST_LINEAR,
		.nbuckets = (u32)((stop - start) / interval + 3),
		.hstart = start, .hstop = stop, .hinterval = interval,
	};

	return md;
}

/* Text of the histogram of @n values under @md, appended to @f. */
static void hist_of(FILE *f, const struct vt_map_desc *md, const s64 *v,
		    size_t n)
{
	s64 b[VT_HIST_BUCKETS_MAX] = { 0 };

	for (size_t i = 0; i < n; i++)
		b[vt_hist_bucket(md, v[i])]++;
	ck_assert_int_eq(aggfmt_hist(f, md, b, md->nbuckets), 0);
}

struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void mem_open(struct mem *m)
{
	m->f = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->f);
}

/* Close @m, compare with @want, free. */
static void mem_check(struct mem *m, const char *want)
{
	fclose(m->f);
	ck_assert_str_eq(m->buf, want);
	free(m->buf);
}

/* The data of linear.stp and linear_overunder.stp: key * 1..15, 12 twice. */
static size_t overunder_data(s64 *v)
{
	static const int mul[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12,
				   13, 14, 15 };
	size_t n = 0;

	for (int key = 0; key < 100; key++)
		for (size_t j = 0; j < sizeof(mul) / sizeof(mul[0]); j++)
			v[n++] = (s64)key * mul[j];
	return n;
}

START_TEST(test_linear_scaled)
{
	static const char want[] =
	"value |-------------------------------------------------- count\n"
	"    0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@       177\n"
	"   50 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@         170\n"
	"  100 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                      117\n"
	"  150 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                     122\n"
	"  200 |@@@@@@@@@@@@@@@@@@@@@@@                             94\n"
	"  250 |@@@@@@@@@@@@@@@@@@@@@@@                             94\n"
	"  300 |@@@@@@@@@@@@@@@@@@@                                 79\n"
	"  350 |@@@@@@@@@@@@@@@@@@@                                 79\n"
	"  400 |@@@@@@@@@@@@@@@@                                    65\n"
	"  450 |@@@@@@@@@@@@@@@@                                    67\n"
	"  500 |@@@@@@@@@@@@@                                       55\n"
	"  550 |@@@@@@@@@@@@@                                       54\n"
	"  600 |@@@@@@@@@@@@                                        51\n"
	"  650 |@@@@@@@@@@@                                         45\n"
	"  700 |@@@@@@@@@@                                          41\n"
	"  750 |@@@@@@@@@@                                          40\n"
	"  800 |@@@@@@@@                                            34\n"
	"  850 |@@@@@@@@                                            33\n"
	"  900 |@@@@@@@                                             31\n"
	"  950 |@@@@@@                                              27\n"
	" 1000 |@@@@@                                               23\n"
	" 1050 |@@@@@@                                              24\n"
	" 1100 |@@@@                                                19\n"
	" 1150 |@@@@                                                18\n"
	" 1200 |@@@                                                 12\n"
	" 1250 |@@                                                   9\n"
	" 1300 |@                                                    7\n"
	" 1350 |@                                                    7\n"
	" 1400 |                                                     3\n"
	" 1450 |                                                     3\n"
	" 1500 |                                                     0\n"
	"\n";
	struct vt_map_desc md = linear_desc(0, 1500, 50);
	static s64 v[1600];
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, v, overunder_data(v));
	mem_check(&m, want);
}
END_TEST

START_TEST(test_linear_under_over)
{
	static const char want[] =
	"value |-------------------------------------------------- count\n"
	" <250 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@   680\n"
	"  250 |@@@@@@                                              94\n"
	"  300 |@@@@@                                               79\n"
	"  350 |@@@@@                                               79\n"
	"  400 |@@@@                                                65\n"
	"  450 |@@@@                                                67\n"
	"  500 |@@@                                                 55\n"
	"  550 |@@@                                                 54\n"
	"  600 |@@@                                                 51\n"
	"  650 |@@@                                                 45\n"
	"  700 |@@                                                  41\n"
	"  750 |@@                                                  40\n"
	"  800 |@@                                                  34\n"
	"  850 |@@                                                  33\n"
	"  900 |@@                                                  31\n"
	"  950 |@                                                   27\n"
	" 1000 |@                                                   23\n"
	">1000 |@@@@@@@                                            102\n"
	"\n";
	struct vt_map_desc md = linear_desc(250, 1000, 50);
	static s64 v[1600];
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, v, overunder_data(v));
	mem_check(&m, want);
}
END_TEST

START_TEST(test_linear_large_negative)
{
	static const char want[] =
	"       value |-------------------------------------------------- count\n"
	"<-1000000000 |@                                                  1\n"
	" -1000000000 |@@@@                                               4\n"
	"  -900000000 |                                                   0\n"
	"  -800000000 |                                                   0\n"
	"  -700000000 |                                                   0\n"
	"  -600000000 |                                                   0\n"
	"  -500000000 |@@@@@                                              5\n"
	"  -400000000 |                                                   0\n"
	"  -300000000 |                                                   0\n"
	"  -200000000 |                                                   0\n"
	"  -100000000 |@@                                                 2\n"
	"           0 |@                                                  1\n"
	"\n";
	static const s64 v[] = {
		0, -100000000, -100000000, -500000000, -500000000,
		-500000000, -500000000, -500000000, -1000000000, -1000000000,
		-1000000000, -1000000000, -10000000000,
	};
	struct vt_map_desc md = linear_desc(-1000000000, 0, 100000000);
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, v, sizeof(v) / sizeof(v[0]));
	mem_check(&m, want);
}
END_TEST

/* log_edge.exp: the four histograms, without the script's other lines. */
START_TEST(test_log_edges)
{
	static const char want[] =
		"value |-------------------------------------------------- count\n"
		"   -4 |                                                   0\n"
		"   -2 |                                                   0\n"
		"   -1 |@                                                  1\n"
		"    0 |                                                   0\n"
		"    1 |@                                                  1\n"
		"    2 |                                                   0\n"
		"    4 |                                                   0\n"
		"\n"
		"value |-------------------------------------------------- count\n"
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"\n"
		"              value |-------------------------------------------------- count\n"
		"1152921504606846976 |                                                   0\n"
		"2305843009213693952 |                                                   0\n"
		"4611686018427387904 |@                                                  1\n"
		"\n"
		"value |-------------------------------------------------- count\n"
		"    0 |                                                   0\n"
		"    1 |@                                                  1\n"
		"    2 |@@                                                 2\n"
		"    4 |@                                                  1\n"
		"    8 |                                                   0\n"
		"   16 |                                                   0\n"
		"\n";
	static const s64 a[] = { -1, 1 }, b[] = { 0 },
			 c[] = { 0x7fffffffffffffffLL }, d[] = { 1, 2, 3, 4 };
	struct vt_map_desc md = log_desc();
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, a, 2);
	hist_of(m.f, &md, b, 1);
	hist_of(m.f, &md, c, 1);
	hist_of(m.f, &md, d, 4);
	mem_check(&m, want);
}
END_TEST

/* elision.stp's eleven histograms: "~" rows, margins, negatives. */
START_TEST(test_elision)
{
	static const char want[] =
	"value |-------------------------------------------------- count\n"
	"  300 |                                                   0\n"
	"  350 |                                                   0\n"
	"  400 |@                                                  1\n"
	"  450 |                                                   0\n"
	"  500 |                                                   0\n"
	"      ~\n"
	"  850 |                                                   0\n"
	"  900 |                                                   0\n"
	"  950 |@                                                  1\n"
	" 1000 |                                                   0\n"
	" 1050 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"  300 |                                                   0\n"
	"  350 |                                                   0\n"
	"  400 |@                                                  1\n"
	"  450 |                                                   0\n"
	"  500 |@                                                  1\n"
	"  550 |                                                   0\n"
	"  600 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"    0 |@                                                  1\n"
	"   50 |                                                   0\n"
	"  100 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"    0 |                                                   0\n"
	"   50 |@                                                  1\n"
	"  100 |                                                   0\n"
	"  150 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	" 1350 |                                                   0\n"
	" 1400 |                                                   0\n"
	" 1450 |@                                                  1\n"
	" 1500 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	" 1400 |                                                   0\n"
	" 1450 |                                                   0\n"
	" 1500 |@                                                  1\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"  -30 |                                                   0\n"
	"  -20 |                                                   0\n"
	"  -10 |@                                                  1\n"
	"    0 |                                                   0\n"
	"   10 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"  -20 |                                                   0\n"
	"  -10 |                                                   0\n"
	"    0 |@                                                  1\n"
	"   10 |                                                   0\n"
	"   20 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"   32 |                                                   0\n"
	"   64 |                                                   0\n"
	"  128 |@                                                  1\n"
	"  256 |                                                   0\n"
	"  512 |                                                   0\n"
	"\n"
	"value |-------------------------------------------------- count\n"
	"    0 |@                                                  1\n"
	"    1 |                                                   0\n"
	"    2 |                                                   0\n"
	"\n"
	" value |-------------------------------------------------- count\n"
	"-16384 |                                                   0\n"
	" -8192 |                                                   0\n"
	" -4096 |@                                                  1\n"
	" -2048 |                                                   0\n"
	" -1024 |                                                   0\n"
	"       ~\n"
	"    -8 |                                                   0\n"
	"    -4 |                                                   0\n"
	"    -2 |@                                                  1\n"
	"    -1 |                                                   0\n"
	"     0 |                                                   0\n"
	"\n";
	static const s64 a1[] = { 444, 999 }, a2[] = { 444, 500 },
			 a3[] = { 0 }, a4[] = { 50 }, a5[] = { 1450 },
			 a6[] = { 1500 }, b1[] = { -10 }, b2[] = { 0 },
			 c1[] = { 128 }, c2[] = { 0 }, c3[] = { -2, -4096 };
	struct vt_map_desc a = linear_desc(0, 1500, 50);
	struct vt_map_desc b = linear_desc(-100, 100, 10);
	struct vt_map_desc c = log_desc();
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &a, a1, 2);
	hist_of(m.f, &a, a2, 2);
	hist_of(m.f, &a, a3, 1);
	hist_of(m.f, &a, a4, 1);
	hist_of(m.f, &a, a5, 1);
	hist_of(m.f, &a, a6, 1);
	hist_of(m.f, &b, b1, 1);
	hist_of(m.f, &b, b2, 1);
	hist_of(m.f, &c, c1, 1);
	hist_of(m.f, &c, c2, 1);
	hist_of(m.f, &c, c3, 2);
	mem_check(&m, want);
}
END_TEST

/* Only the underflow bucket holds data: "<start" row, no overflow row. */
START_TEST(test_linear_underflow_only)
{
	static const char want[] =
		"value |-------------------------------------------------- count\n"
		"   <0 |@@@                                                3\n"
		"    0 |                                                   0\n"
		"   10 |                                                   0\n"
		"\n";
	static const s64 v[] = { -5, -50, -500 };
	struct vt_map_desc md = linear_desc(0, 100, 10);
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, v, 3);
	mem_check(&m, want);
}
END_TEST

/* INT64_MIN has its own bucket (the lowest); the column fits its label. */
START_TEST(test_log_int64_min)
{
	static const char want[] =
		"               value |-------------------------------------------------- count\n"
		"-9223372036854775808 |@                                                  1\n"
		"-4611686018427387904 |                                                   0\n"
		"-2305843009213693952 |                                                   0\n"
		"\n";
	static const s64 v[] = { INT64_MIN };
	struct vt_map_desc md = log_desc();
	struct mem m;

	mem_open(&m);
	hist_of(m.f, &md, v, 1);
	mem_check(&m, want);
}
END_TEST

/* Nothing for an empty statistic; -1 for counters that do not fit. */
START_TEST(test_empty_and_invalid)
{
	s64 b[VT_HIST_LOG_BUCKETS] = { 0 };
	struct vt_map_desc lg = log_desc(), ln = linear_desc(0, 10, 5);
	struct vt_map_desc none = { .vkind = VT_MAPV_STAT };
	struct mem m;

	mem_open(&m);
	ck_assert_int_eq(aggfmt_hist(m.f, &lg, b, VT_HIST_LOG_BUCKETS), 0);
	ck_assert_int_eq(aggfmt_hist(m.f, &ln, b, ln.nbuckets), 0);
	ck_assert_int_eq(aggfmt_hist(m.f, &lg, b, 12), -1);
	ck_assert_int_eq(aggfmt_hist(m.f, &ln, b, 2), -1);
	ck_assert_int_eq(aggfmt_hist(m.f, &none, b, 5), -1);
	ln.hinterval = 0;
	ck_assert_int_eq(aggfmt_hist(m.f, &ln, b, 5), -1);
	mem_check(&m, "");
}
END_TEST

/* A count over 50 scales every bar by ceil(max / 50): here 3. */
START_TEST(test_bar_scaling)
{
	static const char want[] =
		"value |-------------------------------------------------- count\n"
		"    0 |                                                     0\n"
		"    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@                  101\n"
		"    2 |@@@@@@@@@@@@@@@@                                    50\n"
		"    4 |                                                     2\n"
		"    8 |                                                     0\n"
		"   16 |                                                     0\n"
		"\n";
	s64 b[VT_HIST_LOG_BUCKETS] = { 0 };
	struct vt_map_desc md = log_desc();
	struct mem m;

	b[VT_HIST_LOG_ZERO + 1] = 101;
	b[VT_HIST_LOG_ZERO + 2] = 50;
	b[VT_HIST_LOG_ZERO + 3] = 2;
	mem_open(&m);
	ck_assert_int_eq(aggfmt_hist(m.f, &md, b, VT_HIST_LOG_BUCKETS), 0);
	mem_check(&m, want);
}
END_TEST

START_TEST(test_stat_line)
{
	struct vt_stat st = { .count = 3, .sum = -7, .min = -5, .max = 1 };
	struct mem m;

	mem_open(&m);
	aggfmt_stat(m.f, &st);
	/* @avg truncates toward zero, like SystemTap's _stp_div64. */
	mem_check(&m, " @count=3 @min=-5 @max=1 @sum=-7 @avg=-2");
}
END_TEST

/* Long values, decreasing; ties in insertion order; keys raw. */
START_TEST(test_map_long_values)
{
	struct vt_map_desc md = { .vkind = VT_MAPV_LONG };
	struct aggfmt_entry e[4];
	struct mem m;

	memset(e, 0, sizeof(e));
	e[0].skeys[0] = "a\"b";	e[0].lkeys[0] = 1; e[0].lval = 5; e[0].seq = 0;
	e[1].skeys[0] = "x\ny";	e[1].lkeys[0] = -2; e[1].lval = 9; e[1].seq = 1;
	e[2].skeys[0] = "";	e[2].lkeys[0] = 3; e[2].lval = 5; e[2].seq = 2;
	e[3].skeys[0] = "\\";	e[3].lkeys[0] = 0; e[3].lval = -1; e[3].seq = 3;
	mem_open(&m);
	aggfmt_map(m.f, "arr", "sl", &md, e, 4);
	mem_check(&m,
		  "arr[\"x\ny\",-2]=9\n"
		  "arr[\"a\"b\",1]=5\n"
		  "arr[\"\",3]=5\n"
		  "arr[\"\\\",0]=-1\n");
}
END_TEST

/* String values sort by strcmp, decreasing; long keys first in keysig. */
START_TEST(test_map_string_values)
{
	struct vt_map_desc md = { .vkind = VT_MAPV_STRING };
	struct aggfmt_entry e[3];
	struct mem m;

	memset(e, 0, sizeof(e));
	e[0].lkeys[0] = 1; e[0].lkeys[1] = 10; e[0].sval = "apple";
	e[1].lkeys[0] = 2; e[1].lkeys[1] = 20; e[1].sval = "pear";
	e[2].lkeys[0] = 3; e[2].lkeys[1] = 30; e[2].sval = "fig";
	e[0].seq = 7; e[1].seq = 8; e[2].seq = 9;
	mem_open(&m);
	aggfmt_map(m.f, "s", "ll", &md, e, 3);
	mem_check(&m, "s[2,20]=\"pear\"\ns[3,30]=\"fig\"\ns[1,10]=\"apple\"\n");
}
END_TEST

/* Statistics sort by @count; a histogram follows each line if declared. */
START_TEST(test_map_stats)
{
	struct vt_map_desc md = { .vkind = VT_MAPV_STAT };
	struct vt_map_desc hd = linear_desc(0, 10, 5);
	struct aggfmt_entry e[2];
	s64 h0[5] = { 0, 1, 0, 0, 0 }, h1[5] = { 0, 0, 2, 0, 0 };
	struct mem m;

	memset(e, 0, sizeof(e));
	e[0].skeys[0] = "read";
	e[0].stat = (struct vt_stat){ .count = 1, .sum = 4, .min = 4,
				      .max = 4 };
	e[0].hist = h0;
	e[1].skeys[0] = "write";
	e[1].stat = (struct vt_stat){ .count = 2, .sum = 13, .min = 6,
				      .max = 7 };
	e[1].hist = h1;
	e[1].seq = 1;
	mem_open(&m);
	aggfmt_map(m.f, "t", "s", &md, e, 2);
	mem_check(&m,
		  "t[\"write\"] @count=2 @min=6 @max=7 @sum=13 @avg=6\n"
		  "t[\"read\"] @count=1 @min=4 @max=4 @sum=4 @avg=4\n");

	mem_open(&m);
	aggfmt_map(m.f, "t", "s", &hd, e, 2);
	mem_check(&m,
		  "t[\"write\"] @count=2 @min=6 @max=7 @sum=13 @avg=6\n"
		  "value |-------------------------------------------------- count\n"
		  "    0 |                                                   0\n"
		  "    5 |@@                                                 2\n"
		  "   10 |                                                   0\n"
		  "\n"
		  "t[\"read\"] @count=1 @min=4 @max=4 @sum=4 @avg=4\n"
		  "value |-------------------------------------------------- count\n"
		  "    0 |@                                                  1\n"
		  "    5 |                                                   0\n"
		  "   10 |                                                   0\n"
		  "\n");
}
END_TEST

/* ------------------------------------------- end-of-run, from storage */

enum { MAP_A, MAP_ST, MAP_T, MAP_E, MAP_COUNT };

static struct vt_prog prog;
static void *image;
static void *maps[MAP_COUNT];
static u64 map_sizes[MAP_COUNT];

/*
 * A program whose AUTOPRINT lists, in this order: long x, array a[s,l]
 * of longs, string s, statistic st, array of statistics t[s] with a
 * log histogram, empty statistic e; storage for each map with 2 value
 * slots.
 */
static void setup(void)
{
	struct imgb *b = imgb_new();
	char log[VT_LOG_MAX];
	u32 size, m;

	imgb_lglobal(b, "x", 0);
	imgb_sglobal(b, "s", "");
	imgb_map(b, "a", "sl", 8, VT_MAPV_LONG);
	imgb_map(b, "st", "", 1, VT_MAPV_STAT);
	m = imgb_map(b, "t", "s", 4, VT_MAPV_STAT);
	imgb_map_hist(b, m, VT_HIST_LOG, 0, 0, 0);
	imgb_map(b, "e", "", 1, VT_MAPV_STAT);
	imgb_autoprint(b, VT_AUTOPRINT_LGLOBAL, 0);
	imgb_autoprint(b, VT_AUTOPRINT_MAP, MAP_A);
	imgb_autoprint(b, VT_AUTOPRINT_SGLOBAL, 0);
	imgb_autoprint(b, VT_AUTOPRINT_MAP, MAP_ST);
	imgb_autoprint(b, VT_AUTOPRINT_MAP, MAP_T);
	imgb_autoprint(b, VT_AUTOPRINT_MAP, MAP_E);
	imgb_unit_begin(b);
	imgb_insn(b, VT_OP_NOP, 0, 0, 0, 0);
	imgb_insn(b, VT_OP_RET, 0, 0, 0, 0);
	imgb_unit_end(b, 1, 0, "probe begin");
	imgb_probe(b, VT_PROBE_BEGIN, 0, "", "begin", 0, 0);
	imgb_line(b, 0, "t.stp", 3, 7);
	image = imgb_finish(b, &size);
	imgb_free(b);
	ck_assert_int_eq(vt_prog_load(&prog, image, size, log, sizeof(log)),
			 0);
	for (m = 0; m < MAP_COUNT; m++) {
		map_sizes[m] = vt_map_size(&prog, m, 2);
		ck_assert_uint_gt(map_sizes[m], 0);
		maps[m] = aligned_alloc(8, (map_sizes[m] + 7) & ~7ull);
		ck_assert_ptr_nonnull(maps[m]);
		vt_map_init(&prog, m, maps[m], 2, (const u64[2]){ m, 1 });
	}
}

static void teardown(void)
{
	for (u32 m = 0; m < MAP_COUNT; m++)
		free(maps[m]);
	free(image);
}

/* Insert key (@str, @l) into map @m; returns the entry. */
static struct vt_map_entry *put(u32 m, const char *str, s64 l)
{
	struct vt_map_hdr *h = maps[m];
	char strs[2 * VT_STRSIZE_MAX] = { 0 };
	s64 longs[2] = { l, 0 }, left = 1000;
	struct vt_map_key k = { .longs = longs, .strs = strs };
	struct vt_map_ref r;

	if (str)
		snprintf(strs, h->strsize, "%s", str);
	ck_assert_int_eq(vt_map_hash(h, &k, &left, &r), VT_MAP_OK);
	ck_assert_int_eq(vt_map_insert(h, &k, false, &left, &r), VT_MAP_OK);
	return r.e;
}

/* Set the value of array entry @e of map @m to @v. */
static void set(u32 m, struct vt_map_entry *e, s64 v)
{
	memcpy(vt_map_val(maps[m], e), &v, 8);
}

/* Add @v to statistic entry @e of map @m, in value slot @slot. */
static void add(u32 m, struct vt_map_entry *e, u32 slot, s64 v)
{
	s64 left = 1000;

	ck_assert_int_eq(vt_stat_slot_add(maps[m], e, e->seq, slot,
					  &prog.maps[m], v, &left), VT_MAP_OK);
}

START_TEST(test_autoprint_all_kinds)
{
	static const char want[] =
		"x=-7\n"
		"a[\"b\"q\",2]=9\n"
		"a[\"a\",1]=5\n"
		"a[\"c\",3]=5\n"
		"s=\"two\nlines\"\n"
		"st @count=3 @min=1 @max=30 @sum=41 @avg=13\n"
		"t[\"w\"] @count=2 @min=4 @max=5 @sum=9 @avg=4\n"
		"value |-------------------------------------------------- count\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"    4 |@@                                                 2\n"
		"    8 |                                                   0\n"
		"   16 |                                                   0\n"
		"\n"
		"t[\"r\"] @count=1 @min=0 @max=0 @sum=0 @avg=0\n"
		"value |-------------------------------------------------- count\n"
		"    0 |@                                                  1\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"\n"
		"e @count=0x0\n";
	char sglob[VT_STRSIZE_MAX] = "two\nlines";
	s64 lglob = -7;
	struct aggfmt_snapshot snap = {
		.lglobals = &lglob, .sglobals = sglob,
		.maps = (const void *const *)maps, .map_sizes = map_sizes,
	};
	struct vt_map_entry *st;
	struct mem m;

	set(MAP_A, put(MAP_A, "a", 1), 5);
	set(MAP_A, put(MAP_A, "b\"q", 2), 9);
	set(MAP_A, put(MAP_A, "c", 3), 5);
	st = put(MAP_ST, NULL, 0);
	add(MAP_ST, st, 0, 10);
	add(MAP_ST, st, 1, 1);	/* merged over both slots */
	add(MAP_ST, st, 1, 30);
	put(MAP_T, "x", 0);	/* inserted, never added to: not shown */
	st = put(MAP_T, "r", 0);
	add(MAP_T, st, 0, 0);
	st = put(MAP_T, "w", 0);
	add(MAP_T, st, 0, 4);
	add(MAP_T, st, 1, 5);
	mem_open(&m);
	ck_assert_int_eq(aggfmt_autoprint(m.f, &prog, &snap), 0);
	mem_check(&m, want);
}
END_TEST

/*
 * A snapshot copy (VT_MAP_F_COPY) whose chunks were copied at different
 * moments may hold a key twice: the display keeps the later incarnation.
 * Its live count is the entries', not the lists'.
 */
START_TEST(test_autoprint_copy_duplicates)
{
	s64 lglob = 1;
	char sglob[VT_STRSIZE_MAX] = "";
	struct aggfmt_snapshot snap = {
		.lglobals = &lglob, .sglobals = sglob,
		.maps = (const void *const *)maps, .map_sizes = map_sizes,
	};
	struct vt_map_hdr *h = maps[MAP_A];
	struct vt_map_entry *old, *later;
	struct mem m;

	old = put(MAP_A, "a", 1);
	set(MAP_A, old, 5);
	set(MAP_A, put(MAP_A, "b", 2), 6);
	later = put(MAP_A, "c", 3);
	/* "a" deleted and inserted again while the copy was made. */
	memcpy(vt_map_keyp(later), vt_map_keyp(old), h->keysize);
	set(MAP_A, later, 7);
	h->flags |= VT_MAP_F_COPY;
	memset(vt_map_buckets(h), 0, h->entries_off - sizeof(*h));
	h->free_head = h->free_tail = h->oldest = h->newest = 0;
	mem_open(&m);
	ck_assert_int_eq(aggfmt_autoprint(m.f, &prog, &snap), 0);
	mem_check(&m, "x=1\n"
		  "a[\"a\",1]=7\n"
		  "a[\"b\",2]=6\n"
		  "s=\"\"\n"
		  "st @count=0x0\n"
		  "e @count=0x0\n");
}
END_TEST

/* A storage that fails its check is skipped (message), not read. */
START_TEST(test_autoprint_bad_storage)
{
	s64 lglob = 1;
	char sglob[VT_STRSIZE_MAX] = "";
	struct aggfmt_snapshot snap = {
		.lglobals = &lglob, .sglobals = sglob,
		.maps = (const void *const *)maps, .map_sizes = map_sizes,
	};
	struct mem m;

	((struct vt_map_hdr *)maps[MAP_A])->magic ^= 1;
	map_sizes[MAP_ST] = 16;	/* shorter than its header */
	mem_open(&m);
	ck_assert_int_eq(aggfmt_autoprint(m.f, &prog, &snap), -1);
	mem_check(&m, "x=1\ns=\"\"\ne @count=0x0\n");
}
END_TEST

START_TEST(test_error_lines)
{
	char buf[512];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	ck_assert_ptr_nonnull(f);
	memset(buf, 0, sizeof(buf));
	aggfmt_error(f, &prog, VT_FAULT_MAPFULL, MAP_A, 0, NULL, 0);
	aggfmt_error(f, &prog, VT_FAULT_EMPTYAGG, MAP_ST, 0, NULL, 0);
	aggfmt_error(f, &prog, VT_FAULT_BUSY, MAP_T, 1, NULL, 0);	/* pc 1: line 3 */
	aggfmt_error(f, &prog, VT_FAULT_MAPFULL, 99, 0, NULL, 0);
	aggfmt_error(f, &prog, VT_FAULT_READ, 0x1000, 0, NULL, 0);
	aggfmt_error(f, &prog, 999, 0, 0, NULL, 0);
	fclose(f);
	ck_assert_str_eq(buf,
		"ERROR: array 'a' is full (size limit 8) at t.stp:3:7\n"
		"ERROR: aggregate of the empty statistic 'st' at t.stp:3:7\n"
		"ERROR: array 't' locked too long by another CPU at t.stp:3:7\n"
		"ERROR: array full (MAXMAPENTRIES) at t.stp:3:7\n"
		"ERROR: unreadable address (address 0x1000) at t.stp:3:7\n"
		"ERROR: unknown fault at t.stp:3:7\n");
}
END_TEST

/* Decode one VT_REC_HIST record for map @map through cli/output.c. */
static long decode_hist(u32 map, u16 hist, u32 nbuckets, u32 nsent,
			const s64 *b, char *out, size_t outsz)
{
	static unsigned char buf[8192];
	struct vt_rec_hist h = {
		.map = map, .hist = hist, .nbuckets = nbuckets,
		.stat = { .count = 3 },
	};
	size_t plen = sizeof(h) + (size_t)nsent * 8;
	struct vt_rec r = {
		.size = (u32)(sizeof(r) + plen), .type = VT_REC_HIST,
	};
	struct run_result res = { 0 };
	bool ex = false;
	FILE *f = fmemopen(out, outsz, "w");
	long n;

	ck_assert_ptr_nonnull(f);
	memset(out, 0, outsz);
	memset(buf, 0, sizeof(buf));
	memcpy(buf, &r, sizeof(r));
	memcpy(buf + sizeof(r), &h, sizeof(h));
	memcpy(buf + sizeof(r) + sizeof(h), b, (size_t)nsent * 8);
	n = output_records(&prog, buf, (sizeof(r) + plen + 7) & ~(size_t)7,
			   f, &res, &ex);
	fclose(f);
	return n;
}

/* VT_REC_HIST is printed with the map's parameters; a mismatch refused. */
START_TEST(test_hist_record)
{
	s64 b[VT_HIST_LOG_BUCKETS] = { 0 };
	char out[2048];

	b[VT_HIST_LOG_ZERO + 3] = 3;
	ck_assert_int_gt(decode_hist(MAP_T, VT_HIST_LOG, VT_HIST_LOG_BUCKETS,
				     VT_HIST_LOG_BUCKETS, b, out,
				     sizeof(out)), 0);
	ck_assert_str_eq(out,
		"value |-------------------------------------------------- count\n"
		"    1 |                                                   0\n"
		"    2 |                                                   0\n"
		"    4 |@@@                                                3\n"
		"    8 |                                                   0\n"
		"   16 |                                                   0\n"
		"\n");
	/* Wrong count of buckets, short payload, no such map, no hist. */
	ck_assert_int_eq(decode_hist(MAP_T, VT_HIST_LOG, 12, 12, b, out,
				     sizeof(out)), -1);
	ck_assert_int_eq(decode_hist(MAP_T, VT_HIST_LOG, VT_HIST_LOG_BUCKETS,
				     100, b, out, sizeof(out)), -1);
	ck_assert_int_eq(decode_hist(MAP_COUNT, VT_HIST_LOG,
				     VT_HIST_LOG_BUCKETS, VT_HIST_LOG_BUCKETS,
				     b, out, sizeof(out)), -1);
	ck_assert_int_eq(decode_hist(MAP_ST, VT_HIST_LOG, VT_HIST_LOG_BUCKETS,
				     VT_HIST_LOG_BUCKETS, b, out,
				     sizeof(out)), -1);
	ck_assert_int_eq(decode_hist(MAP_T, VT_HIST_LINEAR,
				     VT_HIST_LOG_BUCKETS, VT_HIST_LOG_BUCKETS,
				     b, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cli_aggfmt");
	TCase *tc = tcase_create("aggfmt");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_linear_scaled);
	tcase_add_test(tc, test_linear_under_over);
	tcase_add_test(tc, test_linear_large_negative);
	tcase_add_test(tc, test_log_edges);
	tcase_add_test(tc, test_elision);
	tcase_add_test(tc, test_linear_underflow_only);
	tcase_add_test(tc, test_log_int64_min);
	tcase_add_test(tc, test_empty_and_invalid);
	tcase_add_test(tc, test_bar_scaling);
	tcase_add_test(tc, test_stat_line);
	tcase_add_test(tc, test_map_long_values);
	tcase_add_test(tc, test_map_string_values);
	tcase_add_test(tc, test_map_stats);
	suite_add_tcase(s, tc);
	tc = tcase_create("autoprint");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_autoprint_all_kinds);
	tcase_add_test(tc, test_autoprint_bad_storage);
	tcase_add_test(tc, test_autoprint_copy_duplicates);
	tcase_add_test(tc, test_error_lines);
	tcase_add_test(tc, test_hist_record);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
