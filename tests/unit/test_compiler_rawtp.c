// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_compiler_rawtp.c - kernel.trace points and their prototype
 * arguments (compiler/probes/trace.c): a hand-made BTF with
 * btf_trace_sched_switch (unnamed parameters, as BTF has them) and
 * __bpf_trace_sched_switch (the names), and btf_trace_sched_process_exec
 * with seven arguments named by __probestub_sched_process_exec; the
 * tracefs fixture's format files.  A probe that reads only arguments is
 * a raw tracepoint reading int_arg(N)..pointer_arg(N); one that reads a
 * format field stays a perf tracepoint; one that reads both is refused;
 * the seventh argument is refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/btf.h>

#include "compile_run.h"
#include "host_mock.h"
#include "vt_vm.h"

static const char strs[] = "\0int\0bool\0task_struct\0unsigned int"
	"\0btf_trace_sched_switch\0__data\0preempt\0prev\0next\0prev_state"
	"\0__bpf_trace_sched_switch\0btf_trace_sched_process_exec"
	"\0__probestub_sched_process_exec\0a1\0a2\0a3\0a4\0a5\0a6\0a7";

static char path[] = "/tmp/vtrace-rawtp-XXXXXX";

/* Offset of @s in strs. */
static uint32_t str(const char *s)
{
	for (uint32_t i = 0; i < sizeof(strs); i += (uint32_t)strlen(strs + i) + 1)
		if (!strcmp(strs + i, s))
			return i;
	fprintf(stderr, "no string %s\n", s);
	exit(1);
}

static uint32_t words[256], nwords;

static void w3(uint32_t a, uint32_t b, uint32_t c)
{
	words[nwords++] = a;
	words[nwords++] = b;
	words[nwords++] = c;
}

static void w1(uint32_t a)
{
	words[nwords++] = a;
}

/*
 * Types: 1 int, 2 bool, 3 struct task_struct (16 bytes, no members),
 * 4 struct task_struct *, 5 unsigned int, 6 void *, 7 proto(void *,
 * bool, task *, task *, unsigned int) unnamed, 8 ptr 7, 9 typedef
 * btf_trace_sched_switch, 10 the same proto named, 11 FUNC
 * __bpf_trace_sched_switch, 12 proto(void *, int x 7) unnamed, 13 ptr 12,
 * 14 typedef btf_trace_sched_process_exec, 15 proto named, 16 FUNC
 * __probestub_sched_process_exec.
 */
static void write_btf(void)
{
	static const char *const sw[] = { "__data", "preempt", "prev", "next",
					   "prev_state" };
	static const uint32_t swt[] = { 6, 2, 4, 4, 5 };
	static const char *const ex[] = { "__data", "a1", "a2", "a3", "a4",
					   "a5", "a6", "a7" };
	struct btf_header h = { .magic = BTF_MAGIC, .version = 1,
				.hdr_len = sizeof(h) };
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;

	if (!f) {
		perror(path);
		exit(1);
	}
	w3(str("int"), BTF_KIND_INT << 24, 4);
	w1(BTF_INT_SIGNED << 24 | 32);
	w3(str("bool"), BTF_KIND_INT << 24, 1);
	w1(BTF_INT_BOOL << 24 | 8);
	w3(str("task_struct"), BTF_KIND_STRUCT << 24, 16);
	w3(0, BTF_KIND_PTR << 24, 3);
	w3(str("unsigned int"), BTF_KIND_INT << 24, 4);
	w1(32);
	w3(0, BTF_KIND_PTR << 24, 0);
	w3(0, BTF_KIND_FUNC_PROTO << 24 | 5, 0);
	for (int i = 0; i < 5; i++) {
		w1(0);
		w1(swt[i]);
	}
	w3(0, BTF_KIND_PTR << 24, 7);
	w3(str("btf_trace_sched_switch"), BTF_KIND_TYPEDEF << 24, 8);
	w3(0, BTF_KIND_FUNC_PROTO << 24 | 5, 0);
	for (int i = 0; i < 5; i++) {
		w1(str(sw[i]));
		w1(swt[i]);
	}
	w3(str("__bpf_trace_sched_switch"), BTF_KIND_FUNC << 24, 10);
	w3(0, BTF_KIND_FUNC_PROTO << 24 | 8, 0);
	for (int i = 0; i < 8; i++) {
		w1(0);
		w1(i ? 1 : 6);
	}
	w3(0, BTF_KIND_PTR << 24, 12);
	w3(str("btf_trace_sched_process_exec"), BTF_KIND_TYPEDEF << 24, 13);
	w3(0, BTF_KIND_FUNC_PROTO << 24 | 8, 0);
	for (int i = 0; i < 8; i++) {
		w1(str(ex[i]));
		w1(i ? 1 : 6);
	}
	w3(str("__probestub_sched_process_exec"), BTF_KIND_FUNC << 24, 15);
	h.type_len = nwords * 4;
	h.str_off = h.type_len;
	h.str_len = sizeof(strs);
	fwrite(&h, sizeof(h), 1, f);
	fwrite(words, 4, nwords, f);
	fwrite(strs, sizeof(strs), 1, f);
	fclose(f);
	setenv("VTRACE_BTF", path, 1);
}

static const struct vtc_options opts = {
	.tracefs = "tests/unit/fixtures/tracefs",
};

#define ck_has(buf, text) \
	ck_assert_msg(strstr(buf, text), "missing '%s' in:\n%s", text, buf)

/* Compile @src (one probe), load it; its first probe in @pd. */
static void load(const char *src, struct vtc_image *img, struct vt_prog *prog)
{
	ck_assert_msg(compile_with(&opts, src, 0, img) == 0, "%s", err_buf);
	ck_assert_int_eq(vt_prog_load(prog, img->data, (u32)img->size, NULL,
				      0), 0);
	ck_assert_uint_eq(prog->nprobes, 1);
}

/* Run probe 0 of @prog with arguments 1-6 = @args; the printed text. */
static const char *fire(const struct vt_prog *prog, const u64 args[6],
			char *out, size_t n)
{
	static const u32 regs[] = { VT_REG_DI, VT_REG_SI, VT_REG_DX,
				    VT_REG_CX, VT_REG_R8, VT_REG_R9 };
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_exec ex;

	ck_assert_ptr_nonnull(m);
	host_mock_init(m);
	m->has_regs = true;
	for (int i = 0; i < 6; i++)
		m->regs[regs[i]] = args[i];
	host_mock_exec_init(&ex, prog, m);
	ck_assert_int_eq(vt_run(&ex, prog->probes[0].unit), VT_FAULT_NONE);
	ck_assert_uint_eq(m->nrecords, 1);
	ck_assert_int_ge(host_mock_format(prog, host_mock_record(m, 0), out,
					  (u32)n), 0);
	host_mock_exec_free(&ex);
	free(m);
	return out;
}

START_TEST(test_raw_args)
{
	static const u64 args[6] = { 1, 0xffff888001234500ull,
				     0xffff888001234600ull, 0x1ffffffffull };
	struct vtc_image img;
	struct vt_prog prog;
	char out[256];

	load("probe kernel.trace(\"sched_switch\") { printf(\"%x %x %d %d\","
	     " $prev, $next, $preempt, $prev_state) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_RAW_TRACEPOINT);
	ck_assert_uint_eq(prog.probes[0].event_id, 0);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target),
			 "sched_switch");
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].point),
			 "kernel.trace(\"sched:sched_switch\")");
	/* unsigned int prev_state: the low 32 bits of its register */
	ck_assert_str_eq(fire(&prog, args, out, sizeof(out)),
			 "ffff888001234500 ffff888001234600 1 4294967295");
	vtc_image_free(&img);

	/* no variable at all: raw too */
	load("probe kernel.trace(\"sched:sched_switch\") { printf(\"x\") }",
	     &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_RAW_TRACEPOINT);
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_perf_fields)
{
	struct vtc_image img;
	struct vt_prog prog;

	/* a format field: perf, as before */
	load("probe kernel.trace(\"sched_switch\") { printf(\"%d\", "
	     "$prev_pid) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_TRACEPOINT);
	ck_assert_uint_eq(prog.probes[0].event_id, 316);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target),
			 "sched:sched_switch");
	vtc_image_free(&img);
	load("probe kernel.trace(\"sched_switch\") { printf(\"%s\", "
	     "$$parms) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_TRACEPOINT);
	vtc_image_free(&img);
	/* a name that is both: the field in a perf probe, the argument
	 * in a raw one */
	load("probe kernel.trace(\"sched_switch\") { printf(\"%d %d\", "
	     "$prev_state, $prev_pid) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_TRACEPOINT);
	vtc_image_free(&img);
	load("probe kernel.trace(\"sched_switch\") { printf(\"%d\", "
	     "$prev_state) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_RAW_TRACEPOINT);
	vtc_image_free(&img);
	/* both kinds in one probe */
	ck_assert_int_ne(compile_with(&opts, "probe kernel.trace("
		"\"sched_switch\") { printf(\"%x %d\", $prev, $next_pid) }",
		2, NULL), 0);
	ck_has(err_buf, "t.stp:1:54: error: '$prev' is an argument of "
	       "tracepoint sched_switch, which this probe reads through its "
	       "format fields: read arguments and format fields in separate "
	       "probes\n");
}
END_TEST

START_TEST(test_seventh_arg)
{
	struct vtc_image img;
	struct vt_prog prog;
	static const u64 args[6] = { 1, 2, 3, 4, 5, -6ll };
	char out[64];

	load("probe kernel.trace(\"sched_process_exec\") { printf(\"%d\", "
	     "$a6) }", &img, &prog);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_RAW_TRACEPOINT);
	ck_assert_str_eq(fire(&prog, args, out, sizeof(out)), "-6");
	vtc_image_free(&img);
	ck_assert_int_ne(compile_with(&opts, "probe kernel.trace("
		"\"sched_process_exec\") { printf(\"%d\", $a7) }", 2, NULL),
		0);
	ck_has(err_buf, "t.stp:1:57: error: '$a7' is argument 7 of "
	       "tracepoint sched_process_exec: only the first 6 can be "
	       "read\n");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("compiler_rawtp");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	write_btf();
	tcase_add_test(tc, test_raw_args);
	tcase_add_test(tc, test_perf_fields);
	tcase_add_test(tc, test_seventh_arg);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	unlink(path);
	return failed ? 1 : 0;
}
