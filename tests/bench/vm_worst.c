// SPDX-License-Identifier: GPL-2.0-only
/*
 * vm_worst.c - the slowest single instructions of the VM, whatever their
 * operands, in the user-space build (-O2, no sanitizers), against the
 * mock host of the unit tests.
 *
 * Times are this thread's CPU time (preemption by other tasks does not
 * count).  Each case is an image with two units: `base` (the setup: long
 * strings loaded, a DFA, a function) and `full` (the same, then the
 * instruction under test).  Both run REPS times, alternately; the
 * instruction's time
 * is the difference of the medians, its cost the difference of the
 * budgets spent.  A third unit runs the instruction in a loop that only
 * the time cap ends (the mock's clock, CAP_NS): how long past the cap it
 * ran is the overrun.  Prints a table (time, cost in budget units, time
 * per unit, median overrun), the slowest instruction, the slowest unit,
 * the bound they give a firing past its time cap (VT_TIME_POLL_UNITS x
 * the slowest unit + the slowest instruction, see docs/runtime.md) and
 * the largest overrun measured; ends with the line "bench-vm: N passed,
 * N failed" and exits 1 if an instruction took more than LIMIT_NS or an
 * overrun exceeded the bound.
 *
 * Usage: vm_worst [REPS]   (default 31)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_mock.h"
#include "imgbuild.h"
#include "vt_priv.h"

#define LIMIT_NS	200000		/* 0.2 ms */
#define STRSIZE		4096		/* MAXSTRINGLEN 4095 */
#define SLOTS		15		/* 15 * 4096 + regs <= VT_FRAME_MAX */

#define OP(op, x, y, z, k) imgb_insn(b, VT_OP_##op, x, y, z, k)

/* The strtab offset of a string of @n bytes: @unit repeated. */
static u32 lit(struct imgb *b, const char *unit, u32 n)
{
	static char s[STRSIZE];
	u32 u = (u32)strlen(unit);

	for (u32 i = 0; i < n; i++)
		s[i] = unit[i % u];
	s[n] = '\0';
	return imgb_str(b, s);
}

/* Slots 0..n-1 = 4095 bytes of @unit. */
static void fill_slots(struct imgb *b, u32 n, const char *unit)
{
	u32 off = lit(b, unit, STRSIZE - 1);

	for (u32 i = 0; i < n; i++)
		OP(SLDC, i, 0, 0, off);
}

/*
 * Before the instruction under test: @x is 0 in the base unit (leave it
 * out), 1 in the full unit, 2 in the looping unit (a LOOP first, the
 * unit jumps back to it after the instruction).
 */
static u32 loop_pc;

static bool at_x(struct imgb *b, int x)
{
	if (x == 2)
		loop_pc = OP(LOOP, 0, 0, 0, 0);
	return x != 0;
}

/* ------------------------------------------------ the cases */

/* 1000 NOPs: the time of a unit of the cheapest kind. */
static void c_nop(struct imgb *b, int x)
{
	if (!at_x(b, x))
		return;
	for (int i = 0; i < 1000; i++)
		OP(NOP, 0, 0, 0, 0);
}

static void c_sldc(struct imgb *b, int x)
{
	u32 off = lit(b, "a", STRSIZE - 1);

	if (at_x(b, x))
		OP(SLDC, 0, 0, 0, off);
}

static void c_smov(struct imgb *b, int x)
{
	fill_slots(b, 1, "a");
	if (at_x(b, x))
		OP(SMOV, 1, 0, 0, 0);
}

static void c_sgst(struct imgb *b, int x)
{
	imgb_sglobal(b, "g", "");
	fill_slots(b, 1, "a");
	if (at_x(b, x))
		OP(SGST, 0, 0, 0, 0);
}

/* a == c: c moved up backwards, then b copied in front. */
static void c_scat(struct imgb *b, int x)
{
	OP(SLDC, 0, 0, 0, lit(b, "a", 2047));
	OP(SLDC, 1, 0, 0, lit(b, "b", STRSIZE - 1));
	if (at_x(b, x))
		OP(SCAT, 1, 0, 1, 0);
}

static void c_scmp(struct imgb *b, int x)
{
	fill_slots(b, 2, "a");
	if (at_x(b, x))
		OP(SCMP, 0, 0, 1, 0);
}

/* The largest record: 15 strings of 4095 bytes and 17 longs. */
static void c_printf(struct imgb *b, int x)
{
	u32 f = imgb_format(b, "", "sssssssssssssss" "lllllllllllllllll");

	fill_slots(b, SLOTS, "a");
	if (at_x(b, x))
		OP(PRINTF, 0, 0, 0, f);
}

static u32 fmt_repeat(struct imgb *b, const char *conv, u32 n,
		      const char *sig)
{
	static char t[VT_STRING_MAX + 1];
	size_t k = strlen(conv);

	t[0] = '\0';
	for (u32 i = 0; i < n && strlen(t) + k <= VT_STRING_MAX; i++)
		strcat(t, conv);
	return imgb_format(b, t, sig);
}

/* 32 x %.65536M of longs (was 7.6 ms). */
static void c_sprintf_m_longs(struct imgb *b, int x)
{
	u32 f = fmt_repeat(b, "%.65536M", 32,
			   "llllllllllllllllllllllllllllllll");

	if (at_x(b, x))
		OP(SPRINTF, 0, 0, 0, f);
}

/* 14 x %.65536M of 4095-byte strings: the slot fills on the first. */
static void c_sprintf_m_strs(struct imgb *b, int x)
{
	u32 f = fmt_repeat(b, "%.65536M", 14, "ssssssssssssss");

	fill_slots(b, SLOTS, "a");
	if (at_x(b, x))
		OP(SPRINTF, 0, 0, 1, f);
}

/* 14 x %.0s: each argument measured twice, nothing written; then text. */
static void c_sprintf_args(struct imgb *b, int x)
{
	static char t[VT_STRING_MAX + 1];
	u32 f;

	t[0] = '\0';
	for (int i = 0; i < 14; i++)
		strcat(t, "%.0s");
	memset(t + strlen(t), 'x', VT_STRING_MAX - strlen(t));
	t[VT_STRING_MAX] = '\0';
	f = imgb_format(b, t, "ssssssssssssss");
	fill_slots(b, SLOTS, "a");
	if (at_x(b, x))
		OP(SPRINTF, 0, 0, 1, f);
}

/* The longest text of conversions that write one byte each. */
static void c_sprintf_text(struct imgb *b, int x)
{
	u32 f = fmt_repeat(b, "%%", 4096, "");

	if (at_x(b, x))
		OP(SPRINTF, 0, 0, 0, f);
}

/* Widths from arguments: %*d with width 65536, 16 times. */
static void c_sprintf_width(struct imgb *b, int x)
{
	u32 f = fmt_repeat(b, "%*d", 16, "llllllllllllllllllllllllllllllll");

	for (int i = 0; i < 32; i += 2)
		OP(LDI, i, 0, 0, 65536);
	if (at_x(b, x))
		OP(SPRINTF, 0, 0, 0, f);
}

/*
 * MATCH over 4095 bytes with a DFA of @nstates states and 256 byte
 * classes whose every step jumps far away in its table (the worst for
 * the caches); the table is at most what the regex compiler makes
 * (256 states) or what the loader takes (@big).
 */
static void match_case(struct imgb *b, int x, u32 nstates)
{
	static struct vt_dfa_desc d;
	static u8 *data;
	u32 nc = 258, tab = 256, acc;
	u64 size;

	acc = tab + 2 * nstates * nc;
	size = (u64)acc + nstates;
	free(data);
	data = malloc(size);
	if (!data)
		abort();
	for (u32 i = 0; i < 256; i++)
		data[i] = (u8)i;
	for (u32 s = 0; s < nstates; s++)
		for (u32 c = 0; c < nc; c++) {
			u16 next = (u16)((s * 7919u + c * 104729u + 1) % nstates);

			memcpy(data + tab + 2 * (s * nc + c), &next, 2);
		}
	memset(data + acc, 1, nstates);
	d = (struct vt_dfa_desc){ .classmap = 0, .table = tab, .accept = acc,
				  .nstates = (u16)nstates, .nclasses = (u16)nc };
	b->dfas = &d;
	b->ndfas = 1;
	b->dfadata = data;
	b->ndfadata = (u32)size;
	OP(SLDC, 0, 0, 0, lit(b, "\x01\x7f\xfe\x33\xc4\x5a\x99", STRSIZE - 1));
	if (at_x(b, x))
		OP(MATCH, 0, 0, 0, 0);
}

static void c_match(struct imgb *b, int x)
{
	match_case(b, x, 256);
}

static void c_match_big(struct imgb *b, int x)
{
	/* 16 MB image: 30000 states x 258 classes x 2 = 15.5 MB */
	match_case(b, x, 30000);
}

/* CALLH @h on slots 0.. (longs from r0..), the result in r14 / slot 14. */
static void callh(struct imgb *b, int x, u32 h)
{
	if (at_x(b, x))
		OP(CALLH, SLOTS - 1, 0, 0, h);
}

static void c_strlen(struct imgb *b, int x)
{
	fill_slots(b, 1, "a");
	callh(b, x, VT_HELPER_strlen);
}

/* a^4095 against a^2047 b: quadratic for a naive search (was 2.7 ms). */
static void search_adv(struct imgb *b, int x, u32 h)
{
	static char needle[2049];

	memset(needle, 'a', 2047);
	needle[2047] = 'b';
	needle[2048] = '\0';
	fill_slots(b, 1, "a");
	OP(SLDC, 1, 0, 0, imgb_str(b, needle));
	OP(SLDC, 2, 0, 0, imgb_str(b, "x"));
	callh(b, x, h);
}

static void c_strpos(struct imgb *b, int x)
{
	search_adv(b, x, VT_HELPER_strpos);
}

static void c_isinstr(struct imgb *b, int x)
{
	search_adv(b, x, VT_HELPER_isinstr);
}

static void c_str_replace(struct imgb *b, int x)
{
	search_adv(b, x, VT_HELPER_str_replace);
}

/* 4095 one-byte matches, each replaced by two bytes until full. */
static void c_str_replace_many(struct imgb *b, int x)
{
	fill_slots(b, 1, "a");
	OP(SLDC, 1, 0, 0, imgb_str(b, "a"));
	OP(SLDC, 2, 0, 0, imgb_str(b, "bc"));
	callh(b, x, VT_HELPER_str_replace);
}

/* Periodic needle with a defect, periodic haystack. */
static void c_strpos_periodic(struct imgb *b, int x)
{
	static char needle[2049];

	for (int i = 0; i < 2048; i++)
		needle[i] = "ab"[i % 2];
	needle[2046] = 'a';
	needle[2048] = '\0';
	fill_slots(b, 1, "ab");
	OP(SLDC, 1, 0, 0, imgb_str(b, needle));
	callh(b, x, VT_HELPER_strpos);
}

static void c_substr(struct imgb *b, int x)
{
	fill_slots(b, 1, "a");
	OP(LDI, 0, 0, 0, 0);
	OP(LDI, 1, 0, 0, 5000);
	callh(b, x, VT_HELPER_substr);
}

static void c_strtol(struct imgb *b, int x)
{
	fill_slots(b, 1, "7");
	OP(LDI, 0, 0, 0, 10);
	callh(b, x, VT_HELPER_strtol);
}

/* Every byte escaped as \ooo. */
static void c_text_str(struct imgb *b, int x)
{
	fill_slots(b, 1, "\x01");
	callh(b, x, VT_HELPER_text_str);
}

static void c_string_quoted(struct imgb *b, int x)
{
	fill_slots(b, 1, "\x01");
	callh(b, x, VT_HELPER_string_quoted);
}

static void c_text_strn(struct imgb *b, int x)
{
	fill_slots(b, 1, "\"");
	OP(LDI, 0, 0, 0, 0);
	OP(LDI, 1, 0, 0, 1);
	callh(b, x, VT_HELPER_text_strn);
}

static void c_toupper(struct imgb *b, int x)
{
	fill_slots(b, 1, "a");
	callh(b, x, VT_HELPER_toupper);
}

/* Mock memory at MEM_BASE, 4095 bytes: kernel 'm', user \001. */
#define MEM_BASE	0xffff888000001000ull
static char memory[STRSIZE], umemory[STRSIZE];

static void c_kernel_string(struct imgb *b, int x)
{
	OP(LDC, 0, 0, 0, imgb_const(b, (s64)MEM_BASE));
	callh(b, x, VT_HELPER_kernel_string);
}

static void c_kernel_string_quoted(struct imgb *b, int x)
{
	OP(LDC, 0, 0, 0, imgb_const(b, (s64)MEM_BASE));
	callh(b, x, VT_HELPER_kernel_string_quoted);
}

static void c_kernel_string_n(struct imgb *b, int x)
{
	OP(LDC, 0, 0, 0, imgb_const(b, (s64)MEM_BASE));
	OP(LDI, 1, 0, 0, 100000);
	callh(b, x, VT_HELPER_kernel_string_n);
}

/* User memory: 4095 bytes that all need \ooo. */
static void c_user_string_quoted(struct imgb *b, int x)
{
	OP(LDC, 0, 0, 0, imgb_const(b, (s64)MEM_BASE));
	callh(b, x, VT_HELPER_user_string_quoted);
}

/* A read that fails on its last chunk, then err_msg copied. */
static void c_kernel_string2_fail(struct imgb *b, int x)
{
	OP(LDC, 0, 0, 0, imgb_const(b, (s64)MEM_BASE + 64));
	fill_slots(b, 1, "e");
	callh(b, x, VT_HELPER_kernel_string2);
}

/*
 * CALL of a function with 256 registers and 8 slots, 7 string arguments
 * of 4095 bytes (caller and callee fill VT_FRAME_MAX); it returns at once.
 */
#define CALL_ARGS	7

static void c_call(struct imgb *b, int x)
{
	fill_slots(b, CALL_ARGS, "a");
	if (at_x(b, x))
		OP(CALL, 0, 0, 0, 3);
}

/* error() of 4095 bytes caught, the message copied into a slot. */
static void c_catch(struct imgb *b, int x)
{
	u32 at;

	fill_slots(b, 2, "a");
	if (!at_x(b, x))
		return;
	at = OP(CALLH, 0, 0, 0, VT_HELPER_error);
	imgb_handler(b, at, at + 1, at + 1, 1, VT_HANDLER_F_MSG);
}

struct bcase {
	const char *name;
	void (*emit)(struct imgb *b, int x);
	bool function;		/* unit 2: CALL's function, fewer slots */
};

static const struct bcase cases[] = {
	{ "NOP x 1000", c_nop, false },
	{ "SLDC 4095", c_sldc, false },
	{ "SMOV 4095", c_smov, false },
	{ "SGST 4095", c_sgst, false },
	{ "SCAT 2047 . 4095, a == c", c_scat, false },
	{ "SCMP 4095 equal", c_scmp, false },
	{ "PRINTF 15 x 4095 + 17 longs", c_printf, false },
	{ "SPRINTF 32 x %.65536M longs", c_sprintf_m_longs, false },
	{ "SPRINTF 14 x %.65536M strings", c_sprintf_m_strs, false },
	{ "SPRINTF 14 x %.0s + 4040 text", c_sprintf_args, false },
	{ "SPRINTF 2048 x %%", c_sprintf_text, false },
	{ "SPRINTF 16 x %*d (65536)", c_sprintf_width, false },
	{ "MATCH 4095, 256 states", c_match, false },
	{ "MATCH 4095, 30000 states", c_match_big, false },
	{ "strlen 4095", c_strlen, false },
	{ "strpos a^4095 / a^2047b", c_strpos, false },
	{ "isinstr a^4095 / a^2047b", c_isinstr, false },
	{ "str_replace a^4095 / a^2047b", c_str_replace, false },
	{ "str_replace 4095 x a -> bc", c_str_replace_many, false },
	{ "strpos (ab)^n / periodic", c_strpos_periodic, false },
	{ "substr 4095", c_substr, false },
	{ "strtol 4095 digits", c_strtol, false },
	{ "text_str 4095 x \\001", c_text_str, false },
	{ "string_quoted 4095 x \\001", c_string_quoted, false },
	{ "text_strn 4095 x \", quoted", c_text_strn, false },
	{ "toupper 4095", c_toupper, false },
	{ "kernel_string 4095 (mock)", c_kernel_string, false },
	{ "kernel_string_quoted 4095", c_kernel_string_quoted, false },
	{ "kernel_string_n 4095", c_kernel_string_n, false },
	{ "user_string_quoted 4095 x \\001", c_user_string_quoted, false },
	{ "kernel_string2 fails, err_msg", c_kernel_string2_fail, false },
	{ "CALL 256 regs, 7 x 4095 args", c_call, true },
	{ "error(4095) caught, message", c_catch, false },
};

/* ------------------------------------------------ running */

/*
 * This thread's CPU time: the time the VM ran, without the time the host
 * gave other tasks (the mock's time cap uses the same clock).
 */
static u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static u64 median(u64 *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

struct result {
	s64 ns;			/* the instruction's median time */
	s64 cost;		/* its budget units */
	s64 over_ns;		/* in a loop under a CAP_NS cap: median
				 * time past the cap */
};

#define CAP_NS		1000000	/* the loops' time cap: 1 ms */

/*
 * Build @c's image: unit 0 base, unit 1 full, unit 2 the instruction in a
 * loop (which only the time cap ends), unit 3 the CALL's function.
 */
static void *build(const struct bcase *c, u32 *size)
{
	static const char *const names[] = {
		"probe base", "probe full", "probe loop",
	};
	struct imgb *b = imgb_new();
	void *img;

	b->strsize = STRSIZE;
	b->budget = 100000000;
	b->maxnesting = 1;
	for (int x = 0; x <= 2; x++) {
		imgb_unit_begin(b);
		c->emit(b, x);
		if (x == 2)
			OP(JMP, 0, 0, 0, imgb_rel(b->ncode, loop_pc));
		else
			OP(RET, 0, 0, 0, 0);
		imgb_unit_end(b, 40, c->function ? CALL_ARGS : SLOTS, names[x]);
		imgb_probe(b, VT_PROBE_BEGIN, (u32)x, "", "begin", 0, 0);
	}
	if (c->function) {
		imgb_unit_begin(b);
		OP(RET, 0, 0, 0, 0);
		imgb_unit_end(b, VT_UNIT_REGS_MAX, CALL_ARGS, "function f");
		imgb_usig(b, 3, "vsssssss");
	}
	img = imgb_finish(b, size);
	imgb_free(b);
	return img;
}

static int run_case(const struct bcase *c, int reps, struct result *res)
{
	static u64 t[3][1000];
	struct host_mock *m = malloc(sizeof(*m));
	char log[VT_LOG_MAX];
	struct vt_prog prog;
	struct vt_exec ex;
	s64 spent[2] = { 0, 0 };
	enum vt_fault f;
	u32 size;
	void *img;
	u64 t0;

	img = build(c, &size);
	if (!m || vt_prog_load(&prog, img, size, log, sizeof(log))) {
		fprintf(stderr, "vm_worst: %s: load: %s\n", c->name, log);
		return -1;
	}
	host_mock_init(m);
	host_mock_exec_init(&ex, &prog, m);
	for (int i = 0; i < reps; i++) {
		for (int u = 0; u <= 1; u++) {
			m->used = 0;
			m->nrecords = 0;
			ex.budget = prog.budget;
			t0 = now_ns();
			f = vt_run(&ex, (u32)u);
			t[u][i] = now_ns() - t0;
			if (f != VT_FAULT_NONE) {
				fprintf(stderr, "vm_worst: %s: unit %d fault %d\n",
					c->name, u, f);
				return -1;
			}
			spent[u] = (s64)prog.budget - ex.budget;
		}
		/* The loop, until the clock says the cap is passed. */
		m->used = 0;
		ex.budget = prog.budget;
		t0 = now_ns();
		m->deadline_ns = t0 + CAP_NS;
		f = vt_run(&ex, 2);
		t[2][i] = now_ns() - t0;
		m->deadline_ns = 0;
		if (f != VT_FAULT_TIME) {
			fprintf(stderr, "vm_worst: %s: loop fault %d\n", c->name,
				f);
			return -1;
		}
	}
	res->ns = (s64)median(t[1], reps) - (s64)median(t[0], reps);
	res->cost = spent[1] - spent[0];
	res->over_ns = (s64)median(t[2], reps) - CAP_NS;
	host_mock_exec_free(&ex);
	free(img);
	free(m);
	return 0;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? atoi(argv[1]) : 31, failed = 0, passed = 0;
	s64 max_ns = 0, unit_ns = 0, over_ns = 0, bound_ns, per;
	const char *max_name = "", *unit_name = "", *over_name = "";
	struct result r;

	if (reps < 1 || reps > 1000)
		reps = 31;
	memset(memory, 'm', STRSIZE - 1);
	memset(umemory, 1, STRSIZE - 1);
	/* 4095 readable bytes, no NUL: a longer read fails at its end */
	host_mock_set_memory(false, MEM_BASE, memory, STRSIZE - 1);
	host_mock_set_memory(true, MEM_BASE, umemory, STRSIZE - 1);
	printf("%-34s %9s %7s %8s %9s\n", "instruction (worst operands)",
	       "time, us", "units", "ns/unit", "over, us");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bcase *c = &cases[i];

		if (run_case(c, reps, &r)) {
			failed++;
			continue;
		}
		per = r.cost > 0 ? r.ns / r.cost : r.ns;
		/* NOP x 1000 is 1000 instructions: its time is per unit */
		printf("%-34s %9.2f %7lld %8lld %9.2f%s\n", c->name,
		       r.ns / 1000.0, (long long)r.cost, (long long)per,
		       r.over_ns / 1000.0, r.ns > LIMIT_NS ? "  OVER" : "");
		if (r.ns > LIMIT_NS)
			failed++;
		else
			passed++;
		if (c->emit != c_nop && r.ns > max_ns) {
			max_ns = r.ns;
			max_name = c->name;
		}
		if (per > unit_ns) {
			unit_ns = per;
			unit_name = c->name;
		}
		if (r.over_ns > over_ns) {
			over_ns = r.over_ns;
			over_name = c->name;
		}
	}
	bound_ns = VT_TIME_POLL_UNITS * unit_ns + max_ns;
	printf("slowest instruction: %.2f us (%s), limit %.2f us\n",
	       max_ns / 1000.0, max_name, LIMIT_NS / 1000.0);
	printf("slowest unit: %lld ns (%s)\n", (long long)unit_ns, unit_name);
	printf("overrun bound: %d x %lld ns + %.2f us = %.2f us\n",
	       VT_TIME_POLL_UNITS, (long long)unit_ns, max_ns / 1000.0,
	       bound_ns / 1000.0);
	/* Each case in a loop under a 1 ms cap: how far past it it ran. */
	printf("overrun measured: %.2f us (%s)%s\n", over_ns / 1000.0,
	       over_name, over_ns > bound_ns ? "  OVER THE BOUND" : "");
	if (over_ns > bound_ns)
		failed++;
	else
		passed++;
	printf("bench-vm: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
