// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_maps.c - associative arrays, statistics, foreach and
 * AUTOPRINT in every pass: parsing and the pass 1 listing, types and
 * errors (pass 2), the code and tables of pass 3, and images the VM's
 * loader accepts.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "vt_vm.h"

#define ck_err_has(text) \
	ck_assert_msg(strstr(err_buf, text), "missing '%s' in:\n%s", text, \
		      err_buf)
#define ck_out_has(text) \
	ck_assert_msg(strstr(out_buf, text), "missing '%s' in:\n%s", text, \
		      out_buf)

static void roundtrip(const char *src)
{
	char first[65536];

	ck_assert_msg(compile_run(src, 1, NULL) == 0, "%s", err_buf);
	snprintf(first, sizeof(first), "%s", out_buf);
	ck_assert_msg(compile_run(first, 1, NULL) == 0, "%s\n%s", first,
		      err_buf);
	ck_assert_str_eq(out_buf, first);
}

START_TEST(test_parse_roundtrip)
{
	static const char *const scripts[] = {
		"global a, b[100], c[10]%, d%\n"
		"probe begin { a[1, \"x\"] = 2; b[3]++; --b[4]; c[5] += 1; "
		"d[1] .= \"s\" }",
		"probe end { x = [1, 2] in a; y = 3 in b; z = !(4 in b); "
		"w = k + 1 in b == 0; v = (1 in b) + 1 }",
		"probe end { s <<< 1; t[1, 2] <<< x * 2; delete a; "
		"delete a[1, 2]; delete x }",
		"probe end { x = @count(s) + @sum(s) + @min(t[1, 2]) + "
		"@max(s) + @avg(s) + @variance(s); print(@hist_log(s)); "
		"println(@hist_linear(t[1, 2], -10, 100, 5)) }",
		"probe end { foreach (k in a) x = 1; foreach (k- in a) {} "
		"foreach ([k, j+] in a limit 5) {} foreach (v = [k] in a-) {} "
		"foreach (v+ = k in a limit n * 2) {} "
		"foreach ([k] in s @sum-) {} foreach (v = [i, j] in a+) {} }",
		"probe end { foreach ([k, j] in a[*, \"x\"]) {} "
		"foreach ([k+, j] in a[f(1) + 2, *] limit 3) {} "
		"foreach (v = [i, j] in a[*, *]-) {} "
		"foreach ([k, j] in s[*, k] @sum+) {} "
		"delete a[*, 1]; x = [*, 2] in a && !([*, *] in b) }",
	};

	for (unsigned i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++)
		roundtrip(scripts[i]);
}
END_TEST

START_TEST(test_parse_canonical)
{
	ck_assert_int_eq(compile_run("global a[8]%\nprobe begin{foreach(v- =[x,y]"
				     "in a limit 2)print(v);s<<<1;"
				     "q=[1]in a}", 1, NULL), 0);
	ck_assert_str_eq(out_buf, "global a[8]%\n"
			 "probe begin {\n"
			 "\tforeach (v = [x, y] in a- limit 2)\n"
			 "\t\tprint(v);\n"
			 "\ts <<< 1;\n"
			 "\tq = [1] in a;\n"
			 "}\n");
}
END_TEST

START_TEST(test_parse_errors)
{
	ck_assert_int_eq(compile_run("probe begin { foreach (k in a @sum) {} }",
				     1, NULL), -1);
	ck_err_has("1:35: error: expected '+' or '-' after the aggregate");
	ck_assert_int_eq(compile_run("probe begin { x = [1, 2] }", 1, NULL), -1);
	ck_err_has("1:26: error: expected 'in' but found '}'");
	ck_assert_int_eq(compile_run("global a[0]\n", 1, NULL), -1);
	ck_err_has("1:10: error: array size must be in [1, 1048576]");
	ck_assert_int_eq(compile_run("global a[2] = 1\n", 1, NULL), -1);
	ck_err_has("1:13: error: an array cannot have an initializer");
	ck_assert_int_eq(compile_run("probe begin { x = a[1,2,3,4,5,6,7,8,9,0] "
				     "}", 1, NULL), -1);
	ck_err_has("1:20: error: 10 keys, at most 9");
	ck_assert_int_eq(compile_run("probe begin { delete 1 }", 1, NULL), -1);
	ck_assert_int_eq(compile_run("probe begin { x = @count(1) }", 1, NULL),
			 -1);
	ck_err_has("error: expected a statistic but found '1'");
	ck_assert_int_eq(compile_run("probe begin { x = a[1, *] + b[*] }", 1,
				     NULL), -1);
	ck_err_has("1:24: error: a '*' key (array slice) is only allowed in "
		   "foreach, delete and 'in'");
	ck_assert_int_eq(compile_run("probe begin { a[*]++ }", 1, NULL), -1);
	ck_err_has("1:17: error: a '*' key (array slice)");
	ck_assert_int_eq(compile_run("probe begin { delete a[*]-- }", 1, NULL),
			 -1);
	ck_err_has("1:26: error: only variables, arrays and array elements can "
		   "be deleted");
	ck_assert_int_eq(compile_run("probe begin { delete a[b[*]] }", 1,
				     NULL), -1);
	ck_err_has("1:26: error: a '*' key (array slice)");
}
END_TEST

/* Pass 2 listing: the types of arrays and statistics. */
START_TEST(test_sema_types)
{
	ck_assert_int_eq(compile_run("global a, b[4], s, h\n"
				     "function f(k) { return a[k, \"x\"] }\n"
				     "probe begin { a[1, \"y\"] = 2; b[\"k\"] = "
				     "\"v\"; s <<< f(1); h[1] <<< 2; "
				     "print(@hist_linear(h[1], 0, 10, 2)); "
				     "foreach (v = [x] in b) println(v, x) }",
				     2, NULL), 0);
	ck_out_has("global a /* [long, string] -> long */\n");
	ck_out_has("global b[4] /* [string] -> string */\n");
	ck_out_has("global s /* statistic */\n");
	ck_out_has("global h /* [long] -> statistic, @hist_linear(0, 10, 2) "
		   "*/\n");
	ck_out_has("/* locals: x:string v:string */");
	ck_out_has("function f:long (k:long)");
}
END_TEST

START_TEST(test_sema_errors)
{
	static const struct {
		const char *src, *err;
	} cases[] = {
		{ "global a\nprobe begin { a[1] = 1; a[1, 2] = 2 }",
		  "2:25: error: array 'a' has 1 key (line 2), used here with 2" },
		{ "global a\nprobe begin { a[1] = 1; a[\"x\"] = 2 }",
		  "2:27: error: type mismatch: key 1 of 'a' is long, used with "
		  "a string" },
		{ "global a\nprobe begin { a[1] = 1; x = a }",
		  "2:29: error: 'a' is an array: use it with keys, as a[...]" },
		{ "probe begin { a[1] = 1 }",
		  "1:15: error: unresolved array 'a' (missing global "
		  "declaration?)" },
		{ "global s\nprobe begin { s <<< 1; x = s + 1 }",
		  "2:28: error: 's' is a statistic: read it with @count" },
		{ "global a\nprobe begin { a[1] = 1; a[2] <<< 3 }",
		  "2:25: error: type mismatch: 'a' is an array of long, used as "
		  "a statistic" },
		{ "global s\nprobe begin { s <<< 1; x = @hist_log(s) }",
		  "2:28: error: @hist_log can only be printed" },
		{ "global s\nprobe begin { print(@hist_log(s)); "
		  "print(@hist_linear(s, 0, 9, 3)) }",
		  "2:42: error: conflicting histograms for 's': another one at "
		  "line 2" },
		{ "global s\nprobe begin { s <<< 1; "
		  "print(@hist_linear(s, 0, 9, -3)) }",
		  "error: @hist_linear interval must be positive" },
		{ "global a\nprobe begin { a[1] = 1; foreach (k in a) "
		  "a[k]++ }",
		  "2:42: error: 'a' cannot be changed inside a foreach over it" },
		{ "global a\nfunction f() { delete a }\nprobe begin { a[1] = 1; "
		  "foreach (k in a) f() }",
		  "3:42: error: function 'f' changes 'a' inside a foreach over "
		  "it" },
		{ "global s\nprobe begin { s[1] <<< 1; foreach (v = [k] in s) "
		  "x = k }",
		  "error: 's' is an array of statistics: its values cannot be "
		  "bound" },
		{ "global a\nprobe begin { a[1] = 1; foreach ([k] in a @max+) "
		  "x = k }",
		  "error: sorting by @max needs an array of statistics" },
		{ "global a\nprobe begin { a[1] = 1; foreach (k in a) "
		  "k = \"s\" }",
		  "error: type mismatch" },
		{ "global a\nprobe begin { a[1, 2] = 1; delete a[*] }",
		  "2:35: error: array 'a' has 2 keys (line 2), used here with 1" },
		{ "global a\nprobe begin { a[1, 2] = 1; "
		  "foreach ([i, j] in a[*, *, 3]) x = i + j }",
		  "2:47: error: the slice of 'a' has 3 keys, the foreach 2 "
		  "variables" },
		{ "probe begin { n = 1; x = [*] in n }",
		  "1:33: error: 'n' is a local variable, not an array" },
		{ "global a\nprobe begin { a[1, \"s\"] = 1; x = [*, 2] in a }",
		  "2:38: error: type mismatch: key 2 of 'a' is string, used with "
		  "a long" },
		{ "global a\nprobe begin { a[1, 2] = 1; foreach ([i, j] in a) "
		  "delete a[i, *] }",
		  "2:57: error: 'a' cannot be changed inside a foreach over it" },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_msg(compile_run(cases[i].src, 2, NULL) == -1, "%s",
			      cases[i].src);
		ck_err_has(cases[i].err);
	}
}
END_TEST

/* Compile to an image the loader accepts; @prog describes it. */
/* Compile @src with @opt (NULL: defaults) and load it: both must pass. */
static void load_with(const struct vtc_options *opt, const char *src,
		      struct vtc_image *img, struct vt_prog *prog)
{
	char log[VT_LOG_MAX];

	ck_assert_msg(compile_with(opt, src, 0, img) == 0, "%s\n%s", src,
		      err_buf);
	ck_assert_msg(vt_prog_load(prog, img->data, (u32)img->size, log,
				   sizeof(log)) == 0, "%s\n%s", src, log);
}

static void load(const char *src, struct vtc_image *img, struct vt_prog *prog)
{
	load_with(NULL, src, img, prog);
}

START_TEST(test_tables)
{
	struct vtc_image img;
	struct vt_prog prog;

	load("global n, s, a[10]%, st, names\n"
	     "probe begin { a[1, \"x\"] = 1; st[2] <<< 3; s <<< 4; n++; "
	     "names[1] = \"x\"; print(@hist_log(st[2])); "
	     "foreach ([k, j] in a- limit 3) foreach (q in names) n += k; "
	     "foreach (x in st @avg+) println(x); exit() }",
	     &img, &prog);
	ck_assert_int_eq(prog.nmaps, 4);
	ck_assert_str_eq(vt_prog_str(&prog, prog.maps[0].name), "s");
	ck_assert_str_eq(vt_prog_str(&prog, prog.maps[0].keysig), "");
	ck_assert_int_eq(prog.maps[0].max_entries, 1);
	ck_assert_int_eq(prog.maps[0].vkind, VT_MAPV_STAT);
	ck_assert_str_eq(vt_prog_str(&prog, prog.maps[1].keysig), "ls");
	ck_assert_int_eq(prog.maps[1].max_entries, 10);
	ck_assert_int_eq(prog.maps[1].flags, VT_MAP_F_WRAP);
	ck_assert_int_eq(prog.maps[2].hist, VT_HIST_LOG);
	ck_assert_int_eq(prog.maps[2].nbuckets, VT_HIST_LOG_BUCKETS);
	ck_assert_int_eq(prog.maps[3].vkind, VT_MAPV_STRING);
	ck_assert_int_eq(prog.maps[3].max_entries, VTC_DEFAULT_MAXMAPENTRIES);
	ck_assert_int_eq(prog.niters, 3);
	ck_assert_int_eq(prog.iters[0].map, 1);
	ck_assert_int_eq(prog.iters[0].sort, VT_SORT_VALUE);
	ck_assert_int_eq(prog.iters[0].dir, -1);
	ck_assert_int_eq(prog.iters[1].sort, 0);
	ck_assert_int_eq(prog.iters[2].agg, VT_AGG_AVG);
	ck_assert_int_eq(prog.iters[2].dir, 1);
	/* a[10] then names[2048] nested: (24 + 40) + (24 + 8192) bytes */
	ck_assert_int_eq(prog.scratch, 64 + 8216);
	/* written only: n (++ and op= do not count as reads) and s */
	ck_assert_int_eq(prog.nautoprint, 2);
	ck_assert_int_eq(prog.autoprint[0], VT_AUTOPRINT(VT_AUTOPRINT_LGLOBAL, 0));
	ck_assert_int_eq(prog.autoprint[1], VT_AUTOPRINT(VT_AUTOPRINT_MAP, 0));
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_scratch_through_calls)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct vtc_options opt = { .maxmapentries = 4 };

	/* f recurses: counted once; g nests f's foreach inside its own */
	load_with(&opt, "global a\n"
		  "function f(n) { foreach (k in a) "
		  "if (n) f(n - 1); return 0 }\n"
		  "function g() { foreach (k in a) f(1) }\n"
		  "probe begin { a[1] = 1; g(); f(2) }",
		  &img, &prog);
	ck_assert_int_eq(prog.maps[0].max_entries, 4);
	ck_assert_int_eq(prog.scratch, 2 * 40);
	vtc_image_free(&img);
	load("global a\nprobe begin { a[1] = 1 }", &img, &prog);
	ck_assert_int_eq(prog.scratch, 0);
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_listing)
{
	ck_assert_int_eq(compile_run("global a\nprobe begin {\n"
				     "\ta[1]++\n\tx = a[2]++\n\ta[3] -= 4\n"
				     "}", 3, NULL), 0);
	ck_out_has("     0  LDI     r1, 1\n"
		   "     1  LDI     r2, 1\n"
		   "     2  MADD    r2, r1, s0, a\n");
	ck_out_has("  # t.stp:4: x = a[2]++\n"
		   "     3  LDI     r1, 2\n"
		   "     4  LDI     r2, 1\n"
		   "     5  MGET    r3, r1, s0, a\n"
		   "     6  ADD     r4, r3, r2\n"
		   "     7  MSET    r4, r1, s0, a\n"
		   "     8  MOV     r0, r3\n");
	ck_out_has("    11  NEG     r2, r2\n"
		   "    12  MADD    r2, r1, s0, a\n");
	ck_out_has("map a[l]:long, 2048 entries\n");
	ck_assert_ptr_null(strstr(out_buf, "autoprint"));	/* x = a[2]++ reads */
	ck_assert_int_eq(compile_run("global s\nprobe begin {\n"
				     "\ts <<< 1\n"
				     "\tforeach (k in t @sum-) break\n"
				     "\tprintln(@count(s), @hist_log(s))\n"
				     "}\nglobal t\nprobe end { t[1] <<< 2 }",
				     3, NULL), 0);
	ck_out_has("SADD    r1, r0, s0, s\n");
	ck_out_has("ITINIT  r2, r1, t by @sum -\n");
	ck_out_has("ITNEXT  r3, r2, ->10\n");
	ck_out_has("     8  JMP     ->10\n     9  JMP     ->4\n"
		   "    10  ITEND   r2\n");
	ck_out_has("SGET    r1, r0, s0, @count(s)\n");
	ck_out_has("SHIST   r0, s0, s\n");
}
END_TEST

/* A slice: fixed keys once before the loop, the match before anything
 * else, the limit counting matches; delete and in as generated loops. */
START_TEST(test_slice_code)
{
	ck_assert_int_eq(compile_run("global a\nprobe begin {\n"
				     "\ta[1, \"x\"] = 1\n"
				     "\tforeach ([k, s] in a[*, \"x\"] limit 2) "
				     "x = k\n"
				     "}", 3, NULL), 0);
	ck_out_has("     4  SLDC    s1, \"x\"\n"
		   "     5  LDI     r2, 2\n"
		   "     6  LDI     r5, -1\n"
		   "     7  ITINIT  r3, r5, a\n"
		   "     8  LOOP\n"
		   "     9  ITNEXT  r4, r3, ->20\n"
		   "    10  MKEYS   r5, s2, r4, a\n"
		   "    11  SCMP    r6, s2, s1\n"
		   "    12  JNZ     r6, ->8\n"
		   "    13  JZ      r2, ->20\n"
		   "    14  LDI     r6, 1\n"
		   "    15  SUB     r2, r2, r6\n"
		   "    16  MOV     r0, r5\n"
		   "    17  SMOV    s0, s2\n");
	ck_out_has("    19  JMP     ->8\n    20  ITEND   r3\n");
	ck_assert_int_eq(compile_run("global a\nprobe begin {\n"
				     "\ta[1, \"x\"] = 1\n"
				     "\tdelete a[*, \"x\"]\n"
				     "\ty = [2, *] in a\n"
				     "\tdelete a[*, *]\n"
				     "}", 3, NULL), 0);
	ck_out_has("     6  ITINIT  r2, r1, a\n"
		   "     7  LOOP\n"
		   "     8  ITNEXT  r3, r2, ->14\n"
		   "     9  MKEYS   r4, s1, r3, a\n"
		   "    10  SCMP    r5, s1, s0\n"
		   "    11  JNZ     r5, ->7\n"
		   "    12  MDEL    r4, s1, a\n"
		   "    13  JMP     ->7\n"
		   "    14  ITEND   r2\n");
	ck_out_has("    18  LDI     r0, 0\n"
		   "    19  LOOP\n"
		   "    20  ITNEXT  r4, r3, ->25\n"
		   "    21  MKEYS   r5, s0, r4, a\n"
		   "    22  NE      r6, r5, r1\n"
		   "    23  JNZ     r6, ->19\n"
		   "    24  LDI     r0, 1\n"
		   "    25  ITEND   r3\n");
	ck_out_has("    26  MCLR    a\n");
}
END_TEST

/* Generated loops need scratch too: in a probe's condition, and nested
 * in a foreach (after their keys, not inside them). */
START_TEST(test_slice_tables)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct vtc_options opt = { .maxmapentries = 4 };

	load_with(&opt, "global a, b\n"
		  "probe begin if ([*, 1] in a) { a[1, 1] = 1 }\n"
		  "probe end { foreach ([i] in b) "
		  "delete a[[*] in b, *]; b[1] = 1 }",
		  &img, &prog);
	ck_assert_int_eq(prog.niters, 4);
	ck_assert_int_eq(prog.iters[0].map, 0);
	ck_assert_int_eq(prog.iters[0].sort, 0);
	ck_assert_int_eq(prog.iters[1].map, 1);
	/* foreach over b, then delete's scan of a: 2 x (24 + 4 x 4) */
	ck_assert_int_eq(prog.scratch, 2 * 40);
	vtc_image_free(&img);
	load_with(&opt, "global a\nprobe begin "
		  "if ([*, 1] in a) { a[1, 1] = 1 }",
		  &img, &prog);
	ck_assert_int_eq(prog.scratch, 40);
	vtc_image_free(&img);
}
END_TEST

/* Every way out of a foreach ends its iteration. */
START_TEST(test_iteration_ends)
{
	const char *p;
	int n = 0;

	ck_assert_int_eq(compile_run("global a\nfunction f() {\n"
				     "\tforeach (k in a)\n"
				     "\t\tforeach (j in a)\n"
				     "\t\t\tif (j) return k\n"
				     "\treturn 0\n}\n"
				     "probe begin { a[1] = 1; x = f()\n"
				     "\tforeach (k in a) if (k) next\n}", 3,
				     NULL), 0);
	/* return: ITEND of the outer one (r3), then RETL; next: ITEND, JMP */
	ck_out_has("ITEND   r3\n    30  RETL    r0\n");
	for (p = out_buf; (p = strstr(p, "ITEND")); p++)
		n++;
	ck_assert_int_eq(n, 5);	/* 2 loop ends + return + loop end + next */
}
END_TEST

START_TEST(test_everything_loads)
{
	static const char *const scripts[] = {
		"global a, b, c\nprobe begin { a[\"x\", 1] = 5; a[\"y\", 2] += 3; "
		"b[1] = \"s\"; b[2] .= \"t\"; c[execname(), pid()]++; "
		"if ([\"x\", 1] in a) delete a[\"x\", 1]; delete b; "
		"foreach ([s-, n] in a limit 2) printf(\"%s%d\", s, n); "
		"foreach (v = [k] in b+) println(v, k); exit() }",
		"global s, t\nprobe begin { s <<< 1; t[\"a\", 2] <<< 3; "
		"printf(\"%d %d %d %d %d %d\\n\", @count(s), @sum(s), @min(s), "
		"@max(s), @avg(s), @variance(t[\"a\", 2])); "
		"print(@hist_linear(s, 0, 100, 10)); "
		"foreach ([x, y] in t @count+) println(@hist_log(t[x, y])) }",
		"global a\nfunction f:long (k) { foreach (j in a) "
		"{ if (j == k) return a[j]; continue } return -1 }\n"
		"probe begin { for (i = 0; i < 5; i++) a[i] = i * i; "
		"while (1) { foreach (k in a) { if (k > 2) break } break } "
		"printf(\"%d\\n\", f(3)) }",
		"global a, s\nfunction f(k) { return [k, *, *] in a }\n"
		"probe begin { a[1, \"x\", 2] = 3; s[\"y\", 1] <<< 2; "
		"foreach (v = [i, j, k] in a[*, \"x\", f(1)] limit 3) "
		"{ if (v) continue; foreach ([n, m] in s[j, *] @sum-) break } "
		"foreach ([i, j, k] in a[*, *, *]) next; "
		"delete a[1, *, 2]; delete s[*, 1]; exit() }",
	};
	struct vtc_image img;
	struct vt_prog prog;

	for (unsigned i = 0; i < sizeof(scripts) / sizeof(scripts[0]); i++) {
		load(scripts[i], &img, &prog);
		vtc_image_free(&img);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_maps");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_parse_roundtrip);
	tcase_add_test(tc, test_parse_canonical);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_sema_types);
	tcase_add_test(tc, test_sema_errors);
	tcase_add_test(tc, test_tables);
	tcase_add_test(tc, test_scratch_through_calls);
	tcase_add_test(tc, test_listing);
	tcase_add_test(tc, test_slice_code);
	tcase_add_test(tc, test_slice_tables);
	tcase_add_test(tc, test_iteration_ends);
	tcase_add_test(tc, test_everything_loads);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
