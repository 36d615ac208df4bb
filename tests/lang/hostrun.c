// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostrun.c - run a script's begin and end probes in user space, with the
 * unit tests' host (tests/unit/host_mock.c), for tests/lang/run: compile
 * like `vtrace FILE`, run every begin probe in probe order, then every end
 * probe, and print what the CLI would: printf output and histograms on
 * stdout, runtime errors as "ERROR: WHAT at FILE:LINE:COL" on stderr,
 * then the globals written but never read (cli/aggfmt.c for all three).
 * Exit status: 1 after a compile error or a runtime error, else 0.  Only
 * meaningful for scripts whose probes are all begin/end.
 *
 * Usage: hostrun [-D NAME=VALUE]... FILE [ARG...]
 * (-D: MAXACTION, MAXSTRINGLEN, MAXNESTING, MAXERRORS, MAXMAPENTRIES, as
 * vtrace takes.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "vtc.h"
#include "vt_vm.h"
#include "map.h"
#include "host_mock.h"
#include "vt_record.h"
#include "aggfmt.h"	/* the CLI's histogram, end-of-run, error text */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/*
 * Print and forget the records of @m, decoded by vm/record.c as the CLI
 * decodes them: printf text and histograms on stdout.  The VM wrote
 * them, so a record the codec rejects is a bug: say so and exit 2.
 */
static void flush(const struct vt_prog *prog, struct host_mock *m)
{
	static char out[1 << 16];
	static s64 b[VT_HIST_BUCKETS_MAX];
	struct vt_rec_hist h;
	long long n;

	for (u32 r = 0; r < m->nrecords; r++) {
		const struct vt_rec *rec = host_mock_record(m, r);

		if (rec->type == VT_REC_HIST) {
			if (vt_rec_hist(prog, rec + 1, rec->size - sizeof(*rec),
					&h, b))
				goto bad;
			aggfmt_hist(stdout, &prog->maps[h.map], b, h.nbuckets);
			continue;
		}
		if (rec->type != VT_REC_PRINTF)
			continue;
		n = host_mock_format(prog, rec, out, sizeof(out));
		if (n < 0)
			goto bad;
		fwrite(out, 1, n < (long long)sizeof(out) ? (size_t)n :
		       sizeof(out) - 1, stdout);
	}
	fflush(stdout);
	m->nrecords = 0;
	m->used = 0;
	return;
bad:
	fprintf(stderr, "hostrun: malformed record from the VM\n");
	exit(2);
}

static int run_kind(const struct vt_prog *prog, struct vt_exec *ex,
		    struct host_mock *m, u32 type)
{
	int errors = 0;

	for (u32 i = 0; i < prog->nprobes; i++) {
		enum vt_fault f;

		if (prog->probes[i].type != type)
			continue;
		m->probe = i;
		ex->budget = prog->budget;
		f = vt_run(ex, prog->probes[i].unit);
		flush(prog, m);
		if (f == VT_FAULT_NONE)
			continue;
		errors++;
		aggfmt_error(stderr, prog, f, ex->fault_detail, ex->fault_pc,
			     ex->fault_msg, ex->fault_msg ?
			     strlen(ex->fault_msg) : 0);
	}
	return errors;
}

/* The end-of-run display, from the host's own storage, as the CLI's. */
static int autoprint(const struct vt_prog *prog, const struct vt_exec *ex)
{
	u64 *sizes = calloc(prog->nmaps + 1, sizeof(*sizes));
	struct aggfmt_snapshot snap = {
		.lglobals = ex->lglobals,
		.sglobals = ex->sglobals,
		.maps = (const void *const *)ex->maps,
		.map_sizes = sizes,
	};
	int ret;

	if (!sizes)
		return -1;
	for (u32 i = 0; i < prog->nmaps; i++)
		sizes[i] = vt_map_size(prog, i, ex->nvslots);
	ret = aggfmt_autoprint(stdout, prog, &snap);
	fflush(stdout);
	free(sizes);
	return ret;
}

/*
 * The kernel memory scripts can read here: the mock task (vt_host_task()),
 * laid out as the fixture BTF's struct task_struct (tests/unit/
 * btf_fixture.c), so target expressions over task_current() have values.
 */
static void mock_task_memory(u64 task)
{
	static unsigned char t[120];
	u64 state = 1, children = task + 48, u_long = 7, stack = 0;
	u32 flags = 0x400100, bits = 5 | (0x1du << 3) | (1000u << 8);
	int32_t pid = 4242, arr[4] = { 1, 2, 3, 4 }, st = 1;

	memcpy(t + 0, &state, 8);
	memcpy(t + 8, &flags, 4);
	memcpy(t + 12, &pid, 4);
	memcpy(t + 16, &pid, 4);
	memcpy(t + 20, "mocktask", 9);
	memcpy(t + 48, &children, 8);	/* an empty list: next = prev = self */
	memcpy(t + 56, &children, 8);
	memcpy(t + 64, &u_long, 8);
	memcpy(t + 72, &bits, 4);
	memcpy(t + 76, arr, sizeof(arr));
	memcpy(t + 96, &stack, 8);
	memcpy(t + 104, &st, 4);
	host_mock_set_memory(false, task, t, sizeof(t));
}

int main(int argc, char **argv)
{
	static const char *const tapset_dirs[] = { "../../tapset", NULL };
	struct vtc_options opt = {
		.strsize = VTC_DEFAULT_STRSIZE,
		.budget = VTC_DEFAULT_BUDGET,
		.maxerrors = VTC_DEFAULT_MAXERRORS,
		.out = stdout,
		.err = stderr,
	};
	struct vtc_image img = { 0 };
	struct host_mock *m = calloc(1, sizeof(*m));
	struct vt_prog prog;
	struct vt_exec ex;
	char log[VT_LOG_MAX];
	struct utsname uts;
	int errors;

	int i = 1;

	for (; i + 1 < argc && !strcmp(argv[i], "-D"); i += 2) {
		const char *d = argv[i + 1], *eq = strchr(d, '=');
		unsigned long v = eq ? strtoul(eq + 1, NULL, 0) : 0;

		if (!strncmp(d, "MAXACTION=", 10))
			opt.budget = (u32)v;
		else if (!strncmp(d, "MAXSTRINGLEN=", 13))
			opt.strsize = (u32)v + 1;
		else if (!strncmp(d, "MAXNESTING=", 11))
			opt.maxnesting = (u32)v;
		else if (!strncmp(d, "MAXERRORS=", 10))
			opt.maxerrors = (u32)v;
		else if (!strncmp(d, "MAXMAPENTRIES=", 14))
			opt.maxmapentries = (u32)v;
	}
	if (i >= argc || !m) {
		fprintf(stderr, "usage: hostrun [-D NAME=VALUE]... FILE [ARG...]\n");
		return 2;
	}
	opt.tapset_dirs = tapset_dirs;	/* run from tests/lang */
	opt.file_name = argv[i];
	opt.source = slurp(argv[i]);
	if (!opt.source) {
		perror(argv[i]);
		return 2;
	}
	opt.args = (const char *const *)argv + i + 1;
	opt.nargs = argc - i - 1;
	if (uname(&uts) == 0) {
		opt.kernel_release = uts.release;
		opt.arch = uts.machine;
	}
	if (vtc_compile(&opt, &img)) {
		free((void *)opt.source);
		free(m);
		return 1;
	}
	if (vt_prog_load(&prog, img.data, (u32)img.size, log, sizeof(log))) {
		fprintf(stderr, "hostrun: does not verify: %s\n", log);
		return 1;
	}
	host_mock_init(m);
	mock_task_memory(vt_host_task(m));
	host_mock_exec_init(&ex, &prog, m);
	errors = run_kind(&prog, &ex, m, VT_PROBE_BEGIN);
	/* Past MAXERRORS the module stops firing and runs the error probes
	 * instead of the end probes (kmod/probe_end.c). */
	if ((u32)errors > prog.maxerrors) {
		fprintf(stderr, "vtrace: too many errors (MAXERRORS=%u), "
			"stopping\n", prog.maxerrors);
		errors += run_kind(&prog, &ex, m, VT_PROBE_ERROR);
	} else {
		errors += run_kind(&prog, &ex, m, VT_PROBE_END);
	}
	if (autoprint(&prog, &ex))
		errors++;
	host_mock_exec_free(&ex);
	vtc_image_free(&img);
	free((void *)opt.source);
	free(m);
	return errors ? 1 : 0;
}
