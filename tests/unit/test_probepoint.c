// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_probepoint.c - probe points (kernel.function .call/.return,
 * wildcards over a fixed symbol list, "did you mean"), $return and
 * register() rewriting, and the probe-context helpers run against the
 * mock host (registers, probe index).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile_run.h"
#include "vt_vm.h"
#include "host_mock.h"


static const char *const syms[] = {
	"ksys_read", "vfs_write", "vfs_read", "vfs_readv", "vfs_read",
	"do_sys_open", "__x64_sys_read", NULL,
};

static const char *const *fixed_syms(void *ctx)
{
	return ctx ? (const char *const *)ctx : syms;
}

static const struct vtc_options probe_opts = {
	.kernel_functions = fixed_syms,
	.tracefs = "tests/unit/fixtures/tracefs",
};

static int run(const char *src, int pass, struct vtc_image *img)
{
	return compile_with(&probe_opts, src, pass, img);
}

#define ck_has(buf, text) \
	ck_assert_msg(strstr(buf, text), "missing '%s' in:\n%s", text, buf)

START_TEST(test_call_return)
{
	ck_assert_int_eq(run("probe kernel.function(\"vfs_read\").return, "
			     "kernel.function(\"vfs_read\").call { }", 2,
			     NULL), 0);
	ck_has(out_buf, "/* kretprobe vfs_read */");
	ck_has(out_buf, "/* kprobe vfs_read */");
	ck_assert_int_ne(run("probe kernel.function(\"vfs_read\").exit { }",
			     2, NULL), 0);
	ck_has(err_buf, "unknown kernel.function suffix '.exit'");
	ck_assert_int_ne(run("probe kernel.function(\"f@x.c:3\") { }", 2,
			     NULL), 0);
	ck_has(err_buf, "file:line");
}
END_TEST

START_TEST(test_wildcards)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe kernel.function(\"vfs_*\").return "
			     "{ printf(\"%s\", pp()) }", 2, NULL), 0);
	/* sorted, duplicates once, each point names its match */
	ck_has(out_buf, "kernel.function(\"vfs_read\").return /* kretprobe "
	       "vfs_read */, kernel.function(\"vfs_readv\").return /* "
	       "kretprobe vfs_readv */, kernel.function(\"vfs_write\")"
	       ".return /* kretprobe vfs_write */ {");
	ck_assert_int_eq(run("probe kernel.function(\"*sys_read*\"), "
			     "kernel.function(\"ksys_read\") { }", 0, &img), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_uint_eq(prog.nprobes, 3);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target),
			 "__x64_sys_read");
	ck_assert_uint_eq(prog.probes[0].flags, VT_PROBE_F_WILDCARD);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[1].target),
			 "ksys_read");
	ck_assert_uint_eq(prog.probes[1].unit, prog.probes[0].unit);
	ck_assert_uint_eq(prog.probes[2].flags, 0);	/* named: not wild */
	vtc_image_free(&img);
}
END_TEST

START_TEST(test_no_match)
{
	ck_assert_int_ne(run("probe kernel.function(\"vfs_raed*\") { }", 2,
			     NULL), 0);
	ck_has(err_buf, "t.stp:1:14: error: no match for "
	       "kernel.function(\"vfs_raed*\"); did you mean 'vfs_read'");
	/* the closest names only (vfs_readv is farther), each once (the
	 * list has vfs_read twice) */
	ck_assert_int_ne(run("probe kernel.function(\"vfs_reaz*\") { }", 2,
			     NULL), 0);
	ck_has(err_buf, "no match for kernel.function(\"vfs_reaz*\"); did "
	       "you mean 'vfs_read'?\n");
	ck_assert_int_ne(run("probe kernel.function(\"zzzzzzzz*\") { }", 2,
			     NULL), 0);
	ck_has(err_buf, "no match for kernel.function(\"zzzzzzzz*\")\n");
	/* optional: compiles; the kernel then skips it */
	ck_assert_int_eq(run("probe kernel.function(\"vfs_raed*\")? { }", 0,
			     NULL), 0);
}
END_TEST

START_TEST(test_target_vars)
{
	ck_assert_int_ne(run("probe kernel.function(\"f\") { x = $return }",
			     2, NULL), 0);
	ck_has(err_buf, "'$return' is only available in");
	ck_assert_int_ne(run("probe kernel.function(\"f\").return, begin "
			     "{ x = $return }", 2, NULL), 0);
	ck_assert_int_ne(run("probe kernel.function(\"f\") { x = $count }",
			     2, NULL), 0);
	ck_has(err_buf, "unknown target variable '$count'");
	ck_assert_int_ne(run("probe begin { x = register(\"xmm0\") }", 2,
			     NULL), 0);
	ck_has(err_buf, "unknown register 'xmm0'");
	ck_assert_int_ne(run("probe begin { r = \"rdi\"; x = register(r) }",
			     2, NULL), 0);
	ck_has(err_buf, "register name literal");
	ck_assert_int_eq(run("probe kernel.function(\"f\").return "
			     "{ x = $return + register(\"rdi\") + "
			     "register(\"r15\") + register(\"flags\") }", 0,
			     NULL), 0);
}
END_TEST

/* Run the first unit of @src with @m; the fault, and its output. */
static enum vt_fault exec_one(const char *src, struct host_mock *m,
			      char *out, size_t size)
{
	struct vtc_image img;
	struct vt_prog prog;
	struct vt_exec ex;
	enum vt_fault f;

	ck_assert_msg(run(src, 0, &img) == 0, "%s\n%s", src, err_buf);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	host_mock_exec_init(&ex, &prog, m);
	f = vt_run(&ex, prog.probes[m->probe].unit);
	out[0] = 0;
	for (u32 r = 0; r < m->nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(m, r);
		size_t len = strlen(out);

		if (rec->type == VT_REC_PRINTF)
			ck_assert_int_ge(host_mock_format(&prog, rec, out + len,
							  (u32)(size - len)), 0);
	}
	host_mock_exec_free(&ex);
	vtc_image_free(&img);
	return f;
}

START_TEST(test_context_helpers)
{
	static struct host_mock m;
	char out[512];
	const char *src = "probe begin { } probe kernel.function(\"vfs_*\")"
		".return { printf(\"%s|%s|%s|%d|%d|%d|%d|%d|%d\", pp(), "
		"probefunc(), ppfunc(), $return, int_arg(1), uint_arg(1), "
		"long_arg(2), pointer_arg(6), register(\"orig_rax\")) }";

	host_mock_init(&m);
	m.has_regs = true;
	m.probe = 2;		/* vfs_readv */
	m.regs[VT_REG_AX] = 42;
	m.regs[VT_REG_DI] = 0xffffffffull;
	m.regs[VT_REG_SI] = (u64)-5;
	m.regs[VT_REG_R9] = 0x1234;
	m.regs[VT_REG_ORIG_AX] = 7;
	ck_assert_int_eq(exec_one(src, &m, out, sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "kernel.function(\"vfs_readv\").return|"
			 "vfs_readv|vfs_readv|42|-1|4294967295|-5|4660|7");

	/* no registers (begin, timer): a fault at the helper's line */
	host_mock_init(&m);
	ck_assert_int_eq(exec_one("probe begin {\n x = int_arg(1) }", &m, out,
				  sizeof(out)), VT_FAULT_CONTEXT);
	host_mock_init(&m);
	ck_assert_int_eq(exec_one("probe begin { printf(\"%s|%s\", pp(), "
				  "probefunc()) }", &m, out, sizeof(out)),
			 VT_FAULT_NONE);
	ck_assert_str_eq(out, "begin|");
	host_mock_init(&m);
	m.has_regs = true;
	ck_assert_int_eq(exec_one("probe begin { x = int_arg(7) }", &m, out,
				  sizeof(out)), VT_FAULT_HELPER);
}
END_TEST

START_TEST(test_tracepoints)
{
	struct vtc_image img;
	struct vt_prog prog;

	/* no BTF: every point through perf (raw ones: test_compiler_rawtp) */
	setenv("VTRACE_BTF", "/nonexistent", 1);

	ck_assert_int_eq(run("probe kernel.trace(\"sched:sched_sw*\"), "
			     "kernel.trace(\"sched_process_exec\") { }", 0,
			     &img), 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_uint_eq(prog.nprobes, 2);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_TRACEPOINT);
	ck_assert_uint_eq(prog.probes[0].event_id, 316);
	ck_assert_uint_eq(prog.probes[0].flags, VT_PROBE_F_WILDCARD);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[0].target),
			 "sched:sched_switch");
	ck_assert_uint_eq(prog.probes[1].event_id, 311);
	ck_assert_uint_eq(prog.probes[1].flags, 0);
	ck_assert_str_eq(vt_prog_str(&prog, prog.probes[1].point),
			 "kernel.trace(\"sched:sched_process_exec\")");
	vtc_image_free(&img);

	ck_assert_int_ne(run("probe kernel.trace(\"sched_process_exce\") "
			     "{ }", 2, NULL), 0);
	ck_has(err_buf, "no match for kernel.trace(\"sched_process_exce\"); "
	       "did you mean 'sched_process_exec'?");
	ck_assert_int_ne(run("probe kernel.trace(\"sched_switch\") "
			     "{ x = $prev_pdi }", 2, NULL), 0);
	ck_has(err_buf, "no field 'prev_pdi'; did you mean 'prev_pid'");
	ck_assert_int_ne(run("probe kernel.trace(\"sched:*\") "
			     "{ x = $pid }", 2, NULL), 0);
	ck_has(err_buf, "sched:sched_switch has no field 'pid'");
	ck_assert_int_ne(run("probe kernel.trace(\"sched_switch\"), begin "
			     "{ x = $prev_pid }", 2, NULL), 0);
	ck_has(err_buf, "every point of the probe to be a tracepoint");
	ck_assert_int_eq(run("probe kernel.trace(\"nothing*\")? { }", 0,
			     NULL), 0);
}
END_TEST

START_TEST(test_event_fields)
{
	static struct host_mock m;
	unsigned char rec[64] = { 0 };
	char out[512];
	u32 loc = (6u << 16) | 20;	/* "/bin/x" at 20, 6 bytes, no NUL */
	s32 pid = -7;

	memcpy(rec + 8, &loc, 4);
	memcpy(rec + 12, &pid, 4);
	memcpy(rec + 20, "/bin/xJUNK", 10);
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 26;
	ck_assert_int_eq(exec_one("probe kernel.trace(\"sched_process_exec\")"
				  " { printf(\"%s|%d|%d\", $filename, $pid, "
				  "$common_type) }", &m, out, sizeof(out)),
			 VT_FAULT_NONE);
	ck_assert_str_eq(out, "/bin/x|-7|0");
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 18;	/* old_pid at 16..20 is outside */
	ck_assert_int_eq(exec_one("probe kernel.trace(\"sched_process_exec\")"
				  " { printf(\"%s\", $$parms) }", &m, out,
				  sizeof(out)), VT_FAULT_CONTEXT);
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 64;
	ck_assert_int_eq(exec_one("probe kernel.trace(\"sched_process_exec\")"
				  " { printf(\"%s\", $$parms) }", &m, out,
				  sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "filename=\"/bin/x\" pid=-7 old_pid=0");
	/* a field past the end of the record: fault, not a read */
	m.event_size = 14;
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 14;
	ck_assert_int_eq(exec_one("probe kernel.trace(\"sched_process_exec\")"
				  " { x = $old_pid }", &m, out, sizeof(out)),
			 VT_FAULT_CONTEXT);
	/* char[16] field, unsigned 1-byte field */
	memset(rec, 0, sizeof(rec));
	memcpy(rec + 8, "abcdefghijklmnop", 16);	/* no NUL in 16 */
	rec[2] = 0xff;
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 64;
	ck_assert_int_eq(exec_one("probe kernel.trace(\"sched_switch\") "
				  "{ printf(\"%s|%d\", $prev_comm, "
				  "$common_flags) }", &m, out, sizeof(out)),
			 VT_FAULT_NONE);
	ck_assert_str_eq(out, "abcdefghijklmnop|255");
}
END_TEST

START_TEST(test_syscalls)
{
	static struct host_mock m;
	unsigned char rec[64] = { 0 };
	char out[512];
	s64 id = 1, arg3 = 7, ret = -11;
	const char *src = "probe syscall.read, syscall.write { printf(\"%s "
		"%d\", name, $arg3) }";

	memcpy(rec + 8, &id, 8);
	memcpy(rec + 32, &arg3, 8);
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 64;
	ck_assert_int_eq(exec_one(src, &m, out, sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "write 7");
	id = 2;		/* open: filtered out */
	memcpy(rec + 8, &id, 8);
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 64;
	ck_assert_int_eq(exec_one(src, &m, out, sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "");
	/* syscall.*: every number, name from the whole table */
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 64;
	ck_assert_int_eq(exec_one("probe syscall.* { printf(\"%s\", name) }",
				  &m, out, sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "open");
	/* .return: $return is sys_exit's ret */
	memcpy(rec + 16, &ret, 8);
	host_mock_init(&m);
	m.event = rec;
	m.event_size = 24;
	ck_assert_int_eq(exec_one("probe syscall.open.return { printf(\"%s "
				  "%d\", name, $return) }", &m, out,
				  sizeof(out)), VT_FAULT_NONE);
	ck_assert_str_eq(out, "open -11");

	ck_assert_int_ne(run("probe syscall.raed { }", 2, NULL), 0);
	ck_has(err_buf, "no match for syscall.raed (x86-64); did you mean "
	       "'read'");
	ck_assert_int_ne(run("probe syscall.read { x = $return }", 2, NULL),
			 0);
	ck_has(err_buf, "syscall probes have $arg1..$arg6");
	ck_assert_int_ne(run("probe syscall.read, begin { }", 2, NULL), 0);
	ck_has(err_buf, "only syscall points");
	ck_assert_int_eq(run("probe syscall.nosuch? { }", 0, NULL), 0);
}
END_TEST

START_TEST(test_timers_perf)
{
	struct vtc_image img;
	struct vt_prog prog;

	ck_assert_int_eq(run("probe timer.hz(100), timer.jiffies(1), "
			     "timer.profile, perf.sw.page_faults.sample(3), "
			     "perf.hw.cpu_cycles { x = user_mode() }", 0, &img),
			 0);
	ck_assert_int_eq(vt_prog_load(&prog, img.data, (u32)img.size, NULL,
				      0), 0);
	ck_assert_uint_eq(prog.probes[0].type, VT_PROBE_TIMER);
	ck_assert_uint_eq(prog.probes[0].period_ns, 10000000);
	ck_assert_uint_eq(prog.probes[1].type, VT_PROBE_TIMER);
	ck_assert_uint_eq(prog.probes[2].type, VT_PROBE_PERF);
	ck_assert_uint_eq(prog.probes[2].event_id, VT_PERF_EVENT(1, 0));
	ck_assert_uint_eq(prog.probes[3].event_id, VT_PERF_EVENT(1, 2));
	ck_assert_uint_eq(prog.probes[3].period_ns, 3);
	ck_assert_uint_eq(prog.probes[4].event_id, 0);
	ck_assert_uint_eq(prog.probes[4].period_ns, 1000000);
	vtc_image_free(&img);
	ck_assert_int_ne(run("probe perf.sw.nope { }", 2, NULL), 0);
	ck_has(err_buf, "unknown perf.sw event 'nope'");
	ck_assert_int_ne(run("probe timer.hz(0) { }", 2, NULL), 0);
	ck_has(err_buf, "timer.hz takes 1 to");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("probepoint");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_call_return);
	tcase_add_test(tc, test_wildcards);
	tcase_add_test(tc, test_no_match);
	tcase_add_test(tc, test_target_vars);
	tcase_add_test(tc, test_context_helpers);
	tcase_add_test(tc, test_tracepoints);
	tcase_add_test(tc, test_event_fields);
	tcase_add_test(tc, test_syscalls);
	tcase_add_test(tc, test_timers_perf);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
