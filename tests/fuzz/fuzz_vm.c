// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_vm.c - libFuzzer target: arbitrary bytes as a program image, loaded
 * with vt_prog_load() and, if accepted, every unit run under the host mock.
 *
 *   mkdir -p build/fuzz
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Ivm -Itests/unit -o build/fuzz/fuzz_vm tests/fuzz/fuzz_vm.c \
 *     $(ls vm/[a-z]*.c) tests/unit/host_mock.c
 *   build/fuzz/fuzz_vm -max_total_time=600 build/fuzz/corpus_vm \
 *     build/fuzz/seeds_vm
 *
 * (`make fuzz` builds it with fuzz_vm_mutate.c, the structure-aware
 * mutator; `make fuzz-short` runs it 30 s, `make fuzz-long` 30 minutes
 * with coverage.)  Seeds: built
 * with -DFUZZ_VM_SEEDS (and the compiler's sources) this file is instead
 * a program that compiles a few scripts and writes their images to the
 * directory named on its command line: `make fuzz` does that too.
 *
 * The header's magic, version, hdr_size and size are forced to valid
 * values so the fuzzer spends its time on sections and code; the loader's
 * checks of those four fields are covered by the unit tests.
 *
 * Checks beyond "no crash, no sanitizer report": every run returns with
 * 0 <= budget left <= budget given, never leaves an output reservation
 * open (the mock aborts), never leaves a map locked or locks one twice,
 * keeps every map's storage consistent (vt_map_check), and a fault names
 * a pc inside CODE; the records decode with the CLI's codec
 * (vm/record.c) and every printf record is formatted with vt_format()
 * as the CLI would (format texts are mutated too); the codec also gets
 * a corrupted and a truncated copy of them, and the input's own bytes,
 * and must stay inside each.  Maps get storage from the mock (two value slots,
 * the firing using slot 1); images whose maps would need more than
 * FUZZ_MAP_BYTES are loaded but not run.  Each unit runs twice on the
 * same storage, so the second run sees the first one's entries.  8 KiB
 * at 0x1000 are readable kernel and user memory (set_memory).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vt_vm.h"
#include "vt_record.h"

#ifndef FUZZ_VM_SEEDS
#include "host_mock.h"
#include "stack.h"
#include "map.h"

/* Small, so a run of every unit stays fast; still exercises BUDGET. */
#define FUZZ_BUDGET 2000
#define FUZZ_MAP_BYTES (16u << 20)
#define FUZZ_NVSLOTS 2

/* True if the maps' storage stays within FUZZ_MAP_BYTES. */
static bool maps_fit(const struct vt_prog *prog)
{
	u64 total = 0, size;
	u32 m;

	for (m = 0; m < prog->nmaps; m++) {
		size = vt_map_size(prog, m, FUZZ_NVSLOTS);
		if (!size)
			return false;
		total += size;
	}
	total += vt_stacks_size(prog->nstacks);	/* the stack table */
	return total <= FUZZ_MAP_BYTES;
}

/*
 * Decode the record stream @buf as the CLI does (vm/record.c) and format
 * each printf record with vt_format() (format texts are mutated too).
 * @strict: the VM wrote the stream, so every record must decode and the
 * stream end on a record boundary; else (a corrupted or truncated copy,
 * or raw fuzz bytes) the codec only has to stay inside the buffer.
 */
static void decode_stream(const struct vt_prog *prog, const u8 *buf,
			  u64 len, bool strict)
{
	static char out[8192];
	static struct vt_rec_printf pf;
	static s64 buckets[VT_HIST_BUCKETS_MAX];
	struct vt_rec_stopped st;
	struct vt_rec_error e;
	struct vt_rec_view rv;
	struct vt_rec_hist h;
	const char *msg;
	u32 msglen;
	u64 pos = 0;
	int r, bad;

	while ((r = vt_rec_next(buf, len, &pos, &rv)) == 1) {
		switch (rv.type) {
		case VT_REC_PRINTF:
			bad = vt_rec_printf(prog, rv.payload, rv.len, &pf);
			if (!bad)
				vt_format(out, sizeof(out), pf.text, pf.sig,
					  pf.args, pf.nargs);
			break;
		case VT_REC_ERROR:
			bad = vt_rec_error(rv.payload, rv.len, &e, &msg,
					   &msglen);
			if (!bad && msg + msglen > (const char *)buf + len)
				abort();
			break;
		case VT_REC_HIST:
			bad = vt_rec_hist(prog, rv.payload, rv.len, &h,
					  buckets);
			break;
		case VT_REC_STOPPED:
			bad = vt_rec_stopped(rv.payload, rv.len, &st);
			break;
		default:
			bad = rv.type != VT_REC_EXIT;
		}
		if (strict && bad) {
			fprintf(stderr, "record type %u of %u bytes does not "
				"decode\n", rv.type, rv.len);
			abort();
		}
	}
	if (pos > len || (strict && (r != 0 || pos != len))) {
		fprintf(stderr, "record stream ends at %llu of %llu\n",
			(unsigned long long)pos, (unsigned long long)len);
		abort();
	}
}

/* The VM's records, then a copy with one byte flipped, then a prefix. */
static void check_records(const struct vt_prog *prog,
			  const struct host_mock *m, u32 unit)
{
	static u8 copy[HOST_MOCK_BUF];
	u32 at;

	decode_stream(prog, m->buf, m->used, true);
	if (!m->used)
		return;
	at = (unit * 2654435761u + m->used) % m->used;
	memcpy(copy, m->buf, m->used);
	copy[at] ^= (u8)(1u << (unit % 8));
	decode_stream(prog, copy, m->used, false);
	decode_stream(prog, m->buf, at, false);
}

static void run_unit(const struct vt_prog *prog, u32 unit, bool full)
{
	static struct host_mock m;
	struct vt_exec ex;
	enum vt_fault fault;

	int round;
	u32 i;

	static u64 kstack[VT_STACK_DEPTH];

	for (i = 0; i < VT_STACK_DEPTH; i++)	/* a few distinct stacks */
		kstack[i] = 0xffffffff81000000ull + 16 * i + unit % 4;
	host_mock_init(&m);
	m.kstack = kstack;
	m.nkstack = unit % 3 ? VT_STACK_DEPTH : unit % 7;
	m.ustack = kstack + 1;		/* user stacks: the same, shifted */
	m.nustack = unit % 5 ? VT_STACK_DEPTH - 1 : 0;
	m.full = full;
	m.nvslots = FUZZ_NVSLOTS;
	m.vslot = 1;
	host_mock_exec_init(&ex, prog, &m);
	for (round = 0; round < 2; round++) {
		ex.budget = prog->budget < FUZZ_BUDGET ? prog->budget :
			    FUZZ_BUDGET;
		fault = vt_run(&ex, unit);
		if (ex.budget < 0 || ex.budget > FUZZ_BUDGET) {
			fprintf(stderr, "unit %u: budget left %lld out of range\n",
				unit, (long long)ex.budget);
			abort();
		}
		if (m.pending) {
			fprintf(stderr, "unit %u: reservation left open\n", unit);
			abort();
		}
		if (m.locked || m.lock_errors) {
			fprintf(stderr, "unit %u: map lock misuse\n", unit);
			abort();
		}
		if (fault >= VT_FAULT_COUNT ||
		    (fault != VT_FAULT_NONE && ex.fault_pc >= prog->ncode)) {
			fprintf(stderr, "unit %u: fault %u at pc %u\n", unit,
				fault, ex.fault_pc);
			abort();
		}
		for (i = 0; i < prog->nmaps; i++) {
			if (vt_map_check(ex.maps[i],
					 vt_map_size(prog, i, FUZZ_NVSLOTS))) {
				fprintf(stderr, "unit %u: map %u corrupt\n",
					unit, i);
				abort();
			}
		}
	}
	check_records(prog, &m, unit);
	host_mock_exec_free(&ex);
}

/* Readable memory for the memory-read helpers: 8 KiB at 0x1000, kernel
 * and user, bytes 1..255 with a NUL every 100 (strings of all lengths). */
static void set_memory(void)
{
	static u8 mem[8192];
	static bool done;
	u32 i;

	if (done)
		return;
	for (i = 0; i < sizeof(mem); i++)
		mem[i] = i % 100 == 99 ? 0 : (u8)(1 + i % 255);
	host_mock_set_memory(false, 0x1000, mem, sizeof(mem));
	host_mock_set_memory(true, 0x1000, mem, sizeof(mem));
	done = true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vt_image_hdr *h;
	struct vt_prog prog;
	char log[256];
	void *img;
	u32 u;

	set_memory();
	if (size < sizeof(*h) || size > (1u << 20))
		return 0;
	img = aligned_alloc(8, (size + 7) & ~(size_t)7);
	if (!img)
		abort();
	memcpy(img, data, size);
	h = img;
	h->magic = VT_IMAGE_MAGIC;
	h->version = VT_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->size = (u32)size;
	if (vt_prog_load(&prog, img, (u32)size, log, sizeof(log)) == 0 &&
	    maps_fit(&prog)) {
		for (u = 0; u < prog.nunits; u++) {
			run_unit(&prog, u, false);
			run_unit(&prog, u, true);
		}
	}
	/* The input's bytes as a record stream (prog is empty if rejected). */
	decode_stream(&prog, img, size, false);
	free(img);
	return 0;
}

#else /* FUZZ_VM_SEEDS: write seed images */
#include "vtc.h"

/* The loader's host hook (vm/vt_vm.h): never stop. */
bool vt_host_load_yield(u64 steps)
{
	(void)steps;
	return false;
}

static const char *const seeds[] = {
	"probe begin { printf(\"hello %d\\n\", 42); exit() }",
	"global n; probe kernel.function(\"ksys_read\") { n++ }\n"
	"probe timer.ms(100) { printf(\"%d %s\\n\", n, execname()) }\n"
	"probe end { printf(\"n=%d\\n\", n) }",
	"global s; probe begin { s = \"ab\" . \"cd\"; if (s == \"abcd\") "
	"printf(\"%s %d %d\\n\", s, pid(), tid()) }",
	"probe begin { i = 0; while (i < 10) { i++; x = i * 3 / (i - 5) } }",
	"global a, b; probe begin { a = 7; b = a % 3 << 2; "
	"printf(\"%d %d %d\\n\", a, b, -a ^ ~b) }",
	"probe begin { for (i = 0; i < 100; i++) { printf(\"%d %s\\n\", i, "
	"execname()) } }",
	"probe timer.ms(1) { if (cpu() == 0) exit() else "
	"printf(\"%d\\n\", gettimeofday_ns()) }",
	"global a[16], s; probe begin { for (i = 0; i < 12; i++) { a[i % 5, "
	"\"k\" . sprint(i)] += i; s[i % 3] <<< i * i } "
	"foreach ([x, y] in a- limit 3) printf(\"%d %s %d\\n\", x, y, a[x, y]) "
	"foreach (k in s) printf(\"%d %d %d\\n\", k, @count(s[k]), "
	"@variance(s[k])) delete a[1, \"k1\"] }",
	"global h, g, w[4]%; probe begin { for (i = -5; i < 40; i++) { h <<< i; "
	"g <<< i; w[i] = sprint(i) } print(@hist_log(h)) "
	"print(@hist_linear(g, 0, 30, 10)) "
	"foreach (k+ in w) foreach (j in w) if (k < j) next; "
	"printf(\"%d %d\\n\", @min(h), @avg(h)) }",
	/* try/catch in probes and functions, recursion, formats */
	"global n; probe begin { try { x = 1 / n } catch (m) { n++ } "
	"try { error(\"e\") } catch (m2) { printf(\"%s %.3m %M %-8.2m\\n\", "
	"m2, n, n, n) } }",
	"function f(n) { try { return f(n + 1) } catch (m) { return n } } "
	"probe begin { printf(\"%d\\n\", f(0)) }",
	"function g:string(s:string) { return sprintf(\"%-20s|%.3s|%5d|%.4m\", "
	"s, s, strlen(s), 7) } probe begin { try { try { x = 1/0 } catch "
	"{ error(g(\"in\")) } } catch (e) { printf(\"%s %10.4M\\n\", e, 5) } }",
	"function h(d) { if (d > 0) return h(d - 1) + 1 return 1 / d } "
	"probe begin { try { printf(\"%d\\n\", h(5)) } catch (m) "
	"{ printf(\"%s\\n\", m) } try { h(3) } catch { } }",
	/* the string and memory-read helpers */
	"probe begin { s = substr(\"hello world\", 1, 7); "
	"t = str_replace(s, \"l\", \"LL\"); "
	"printf(\"%d %d %d %s %s %s %s %d %d\\n\", strlen(s), strpos(s, \"o\"), "
	"isinstr(t, \"LL\"), t, text_strn(s, 3, 1), string_quoted(t), "
	"toupper(s) . tolower(\"AB\"), strtol(\"-42\", 10), stringat(s, 2)); "
	"if (isdigit(\"12\")) printf(\"%s\\n\", sprintf(\"%-10s|%5.2s|\", s, t)) }",
	"probe begin { try { x = kernel_long(0) } catch (m) { printf(\"%s\\n\", m) } "
	"printf(\"%s %s %d %d\\n\", kernel_string2(8, \"bad\"), "
	"user_string2(16, \"u?\"), kernel_int(4096), user_char(1)); "
	"try { printf(\"%s\\n\", user_string_quoted(0)) } catch {} }",
};

int main(int argc, char **argv)
{
	struct vtc_image img;
	char path[4096];
	unsigned int i;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		struct vtc_options o = {
			.file_name = "seed.stp", .source = seeds[i],
			.strsize = 64, .budget = 1000, .maxerrors = 100,
			.out = stdout, .err = stderr,
		};

		if (vtc_compile(&o, &img)) {
			fprintf(stderr, "seed %u does not compile\n", i);
			continue;
		}
		snprintf(path, sizeof(path), "%s/seed%02u.img", argv[1], i);
		f = fopen(path, "wb");
		if (!f || fwrite(img.data, 1, img.size, f) != img.size) {
			perror(path);
			return 1;
		}
		fclose(f);
		vtc_image_free(&img);
	}
	return 0;
}
#endif
