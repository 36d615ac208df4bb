// SPDX-License-Identifier: GPL-2.0-only
/*
 * session.c - one traced session on /dev/vtrace: load, start, stream
 * records until exit()/SIGINT/SIGTERM or until the module stops firing on
 * its own (MAXERRORS, overload, deadman: a VT_REC_STOPPED record, or
 * STATUS polled once a second if that record was lost), stop (which runs
 * the end probes), drain what is left, print the globals written but
 * never read (snapshots of them), report drops and errors.  -v adds
 * a status line a second on stderr.
 *
 * Invariant: once the device is open, every path goes through the single
 * exit at the end, which closes it; closing is what guarantees the module
 * tears the session down, so a crash of this process is also safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "aggfmt.h"
#include "cli.h"
#include "stacks.h"
#include "target.h"

#define READ_BUF_SIZE (256u << 10)
#define POLL_MS 100

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int open_device(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
		fprintf(stderr, "vtrace: %s: %s (is the vtrace module "
			"loaded?)\n", path, strerror(errno));
	else if (errno == EACCES || errno == EPERM)
		fprintf(stderr, "vtrace: %s: %s (tracing needs root or "
			"CAP_SYS_ADMIN)\n", path, strerror(errno));
	else
		fprintf(stderr, "vtrace: %s: %s\n", path, strerror(errno));
	return -1;
}

static int load_image(int fd, const void *img, size_t size)
{
	char log[VT_LOG_MAX] = "";
	struct vt_load_req req = {
		.image = (uintptr_t)img,
		.image_size = (uint32_t)size,
		.log = (uintptr_t)log,
		.log_size = sizeof(log),
	};

	if (ioctl(fd, VT_IOC_LOAD, &req) == 0)
		return 0;
	fprintf(stderr, "vtrace: the module refused the program: %s%s%s\n",
		strerror(errno), log[0] ? ": " : "", log);
	return -1;
}

/* Read and print whatever is buffered.  Returns bytes read, or -1. */
static long drain_once(int fd, char *buf, const struct vt_prog *prog,
		       struct run_result *res, bool *saw_exit)
{
	ssize_t n = read(fd, buf, READ_BUF_SIZE);

	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return 0;
		fprintf(stderr, "vtrace: read: %s\n", strerror(errno));
		return -1;
	}
	if (n > 0 && output_records(prog, buf, (size_t)n, stdout, res,
				    saw_exit) < 0)
		return -1;
	fflush(stdout);
	return n;
}

static int get_status(int fd, struct vt_status *st)
{
	memset(st, 0, sizeof(*st));
	if (ioctl(fd, VT_IOC_STATUS, st) == 0)
		return 0;
	fprintf(stderr, "vtrace: status: %s\n", strerror(errno));
	return -1;
}

/*
 * Timer expirations a second @prog asks of one CPU, as the module counts
 * them for max_timer_hz (kmod/probe_timer.c): every timer, and every perf
 * clock (software cpu_clock or task_clock), periods clamped to 100 us.
 */
static unsigned long long timer_hz(const struct vt_prog *prog)
{
	unsigned long long hz = 0, ns;

	for (uint32_t i = 0; i < prog->nprobes; i++) {
		const struct vt_probe_desc *p = &prog->probes[i];

		if (p->type != VT_PROBE_TIMER &&
		    (p->type != VT_PROBE_PERF ||
		     VT_PERF_EVENT_TYPE(p->event_id) != 1 ||
		     VT_PERF_EVENT_CONFIG(p->event_id) > 1))
			continue;
		ns = p->period_ns < 100000 ? 100000 : p->period_ns;
		hz += (1000000000ull + ns - 1) / ns;
	}
	return hz;
}

/* The module parameter @name, or 0 if it cannot be read. */
static unsigned long long module_param(const char *name)
{
	char path[128];
	unsigned long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/vtrace/parameters/%s", name);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* Name the probe point START could not arm, as the module recorded it. */
static void report_start_failure(int fd, const struct vt_prog *prog, int err)
{
	struct vt_status st;

	if (err == ERANGE) {
		fprintf(stderr, "vtrace: the script's timers would fire %llu "
			"times a second on one CPU, over the module's "
			"max_timer_hz (%llu); use longer periods or fewer "
			"timers\n", timer_hz(prog), module_param("max_timer_hz"));
		return;
	}

	if (get_status(fd, &st) == 0 && st.failed_probe < prog->nprobes) {
		const struct vt_probe_desc *p = &prog->probes[st.failed_probe];

		err = -st.failed_errno;
		fprintf(stderr, "vtrace: cannot attach probe %s: %s%s\n",
			vt_prog_str(prog, p->point), strerror(err),
			p->type == VT_PROBE_PERF || p->type ==
			VT_PROBE_TRACEPOINT || p->type ==
			VT_PROBE_RAW_TRACEPOINT ? (err == ENOENT || err ==
			EOPNOTSUPP ? " (this event is not available on this "
			"machine; virtual machines often have no hardware "
			"counters)" : "") :
			err == ENOENT ? " (no such function in the kernel)" :
			err == EINVAL ? " (the kernel refuses probes there)" : "");
		return;
	}
	fprintf(stderr, "vtrace: cannot start the probes: %s\n",
		strerror(err));
}

static void report(const struct vt_status *st, bool verbose)
{
	const struct vt_cpu_status *t = &st->total;

	if (verbose)
		fprintf(stderr, "vtrace: %llu firings, %llu errors, "
			"%llu dropped records, %llu skipped firings, "
			"longest firing %llu us\n",
			(unsigned long long)t->fired,
			(unsigned long long)t->errors,
			(unsigned long long)t->drops,
			(unsigned long long)t->skipped,
			(unsigned long long)(t->max_firing_ns / 1000));
	if (verbose && st->probes_skipped)
		fprintf(stderr, "vtrace: %u wildcard-matched probes skipped "
			"(the kernel refused them)\n", st->probes_skipped);
	if (t->drops)
		fprintf(stderr, "WARNING: %llu output records dropped "
			"(buffer full)\n", (unsigned long long)t->drops);
	if (t->skipped)
		fprintf(stderr, "WARNING: %llu nested probe firings "
			"skipped\n", (unsigned long long)t->skipped);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

#define STATUS_CPUS_MAX 1024

/* -v: one status line a second on stderr (rewritten in place on a tty). */
static void live_status(const struct vt_status *st,
			const struct vt_cpu_status *pc, double elapsed)
{
	const struct vt_cpu_status *t = &st->total;
	bool tty = isatty(STDERR_FILENO);
	uint32_t i, n = st->ncpus < STATUS_CPUS_MAX ? st->ncpus :
			STATUS_CPUS_MAX;

	fprintf(stderr, "%svtrace: %.0fs: %llu firings, %llu drops, "
		"%llu errors, %llu skipped |", tty ? "\r\033[K" : "", elapsed,
		(unsigned long long)t->fired, (unsigned long long)t->drops,
		(unsigned long long)t->errors, (unsigned long long)t->skipped);
	for (i = 0; i < n; i++)
		if (pc[i].fired || pc[i].drops || pc[i].errors ||
		    pc[i].skipped)
			fprintf(stderr, " cpu%u %llu/%llu/%llu/%llu", i,
				(unsigned long long)pc[i].fired,
				(unsigned long long)pc[i].drops,
				(unsigned long long)pc[i].errors,
				(unsigned long long)pc[i].skipped);
	fputs(tty ? "" : "\n", stderr);
	fflush(stderr);
}

/* The module stopped firing on its own (not exit()): say why. */
static void report_stop(const struct run_result *res)
{
	switch (res->stop_reason) {
	case VT_STOP_MAXERRORS:
		fprintf(stderr, "vtrace: too many errors (MAXERRORS=%llu), "
			"stopping\n", res->stop_detail);
		break;
	case VT_STOP_OVERLOAD:
		fprintf(stderr, "vtrace: probes used %llu%% of a CPU, over the "
			"module's overload_percent (overload), stopping\n",
			res->stop_detail);
		break;
	case VT_STOP_DEADMAN:
		fprintf(stderr, "vtrace: output was not read for %llu s "
			"(deadman), stopping\n", res->stop_detail);
		break;
	default:
		fprintf(stderr, "vtrace: the module stopped the session "
			"(reason %u), stopping\n", res->stop_reason);
	}
}

/* Fetch STATUS; note a stop the module decided (its record may be lost). */
static int poll_status(int fd, struct vt_status *st,
		       struct vt_cpu_status *pc, struct run_result *res)
{
	memset(st, 0, sizeof(*st));
	st->percpu = (uintptr_t)pc;
	st->percpu_cap = pc ? STATUS_CPUS_MAX : 0;
	if (ioctl(fd, VT_IOC_STATUS, st)) {
		fprintf(stderr, "vtrace: status: %s\n", strerror(errno));
		return -1;
	}
	if (!res->stop_reason && st->stop_reason > VT_STOP_EXIT) {
		res->stop_reason = st->stop_reason;
		res->stop_detail = st->stop_detail;
	}
	return 0;
}

/*
 * Copy one snapshot (VT_IOC_SNAPSHOT) into a new buffer: ask its size,
 * then copy, again if it grew meanwhile.  NULL on failure (after a
 * message); *@size gets the bytes.
 */
static void *snapshot(int fd, uint32_t what, uint32_t index, u64 *size)
{
	struct vt_snapshot sn;
	void *buf = NULL, *bigger;
	int tries;

	memset(&sn, 0, sizeof(sn));
	sn.what = what;
	sn.index = index;
	for (tries = 0; tries < 4; tries++) {
		if (ioctl(fd, VT_IOC_SNAPSHOT, &sn) == 0) {
			*size = sn.size;
			return buf ? buf : calloc(1, 8);
		}
		if (errno != ENOSPC)
			break;
		bigger = realloc(buf, sn.size ? sn.size : 8);
		if (!bigger) {
			errno = ENOMEM;
			break;
		}
		buf = bigger;
		sn.buf = (uintptr_t)buf;
	}
	fprintf(stderr, "vtrace: snapshot: %s\n", strerror(errno));
	free(buf);
	return NULL;
}

/* stacks.h's source: the session's stack table. */
static void *fetch_stacks(void *ctx, u64 *size)
{
	return snapshot(*(int *)ctx, VT_SNAP_STACKS, 0, size);
}

/* The stacks the full table dropped (MAXSTACKS), at the end. */
static void report_stack_drops(const struct vt_prog *prog)
{
	u32 max = 0;
	u64 drops = prog->nstacks ? stacks_drops(&max) : 0;

	if (drops)
		fprintf(stderr, "WARNING: %llu stacks dropped (the stack table "
			"of %u was full: -D MAXSTACKS=N keeps more)\n",
			(unsigned long long)drops, max);
}

/*
 * The end of a run (probes stopped, output drained): print the globals
 * the script wrote but never read, SystemTap's end-of-run display.
 * Returns 0, or -1 if something could not be shown.
 */
static int autoprint(int fd, const struct vt_prog *prog)
{
	struct aggfmt_snapshot snap = { 0 };
	u64 gsize = 0, *sizes = NULL;
	void *globals = NULL, **maps = NULL;
	int ret = -1;
	uint32_t i;

	if (!prog->nautoprint)
		return 0;
	maps = calloc(prog->nmaps + 1, sizeof(*maps));
	sizes = calloc(prog->nmaps + 1, sizeof(*sizes));
	if (!maps || !sizes) {
		fprintf(stderr, "vtrace: out of memory\n");
		goto out;
	}
	globals = snapshot(fd, VT_SNAP_GLOBALS, 0, &gsize);
	if (!globals)
		goto out;
	if (gsize < (uint64_t)prog->nlglobals * sizeof(s64) +
		    (uint64_t)prog->nsglobals * prog->strsize) {
		fprintf(stderr, "vtrace: snapshot: the globals are %llu "
			"bytes, too few\n", (unsigned long long)gsize);
		goto out;
	}
	snap.lglobals = globals;
	snap.sglobals = (const char *)globals + prog->nlglobals * sizeof(s64);
	for (i = 0; i < prog->nautoprint; i++) {
		uint32_t m = VT_AUTOPRINT_INDEX(prog->autoprint[i]);

		if (VT_AUTOPRINT_KIND(prog->autoprint[i]) != VT_AUTOPRINT_MAP ||
		    m >= prog->nmaps || maps[m])
			continue;
		maps[m] = snapshot(fd, VT_SNAP_MAP, m, &sizes[m]);
	}
	snap.maps = (const void *const *)maps;
	snap.map_sizes = sizes;
	ret = aggfmt_autoprint(stdout, prog, &snap);
	fflush(stdout);
out:
	for (i = 0; maps && i < prog->nmaps; i++)
		free(maps[i]);
	free(maps);
	free(sizes);
	free(globals);
	return ret;
}

/*
 * --folded FILE: every array keyed by a stack, at the end (aggfmt.h).
 * Returns 0, or -1 after a message.
 */
static int write_folded(int fd, const struct vt_prog *prog, const char *path)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f) {
		fprintf(stderr, "vtrace: --folded %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	for (u32 m = 0; m < prog->nmaps && !ret; m++) {
		void *mem;
		u64 size = 0;

		if (!(prog->maps[m].stackrefs & ~VT_MAP_STACKREF_VALUE))
			continue;
		mem = snapshot(fd, VT_SNAP_MAP, m, &size);
		ret = mem ? aggfmt_folded(f, prog, m, mem, size) : -1;
		free(mem);
	}
	if (fclose(f) && !ret) {
		fprintf(stderr, "vtrace: --folded %s: %s\n", path,
			strerror(errno));
		ret = -1;
	}
	return ret;
}

int session_run(const struct cli_options *opt, const void *img, size_t size,
		const struct vt_prog *prog, struct run_result *res)
{
	struct vt_cpu_status *pc = NULL;
	struct pollfd pfd;
	struct vt_status st;
	bool saw_exit = false;
	double t0, next;
	char *buf = NULL;
	int ret = 1;
	long n;

	pfd.fd = open_device(opt->device);
	if (pfd.fd < 0)
		return 1;
	pfd.events = POLLIN;
	buf = malloc(READ_BUF_SIZE);
	if (opt->verbose)
		pc = calloc(STATUS_CPUS_MAX, sizeof(*pc));
	if (!buf || (opt->verbose && !pc)) {
		fprintf(stderr, "vtrace: out of memory\n");
		goto out;
	}
	if (load_image(pfd.fd, img, size))
		goto out;
	catch_signals();
	if (ioctl(pfd.fd, VT_IOC_START, 0)) {
		report_start_failure(pfd.fd, prog, errno);
		goto out;
	}
	if (prog->nstacks)
		stacks_source(fetch_stacks, &pfd.fd);
	target_release();	/* -c: the command runs from here on */
	t0 = now_s();
	next = t0 + 1;
	while (!saw_exit && !stop_signal && !target_done()) {
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR) {
			fprintf(stderr, "vtrace: poll: %s\n", strerror(errno));
			goto out;
		}
		if (drain_once(pfd.fd, buf, prog, res, &saw_exit) < 0)
			goto out;
		if (now_s() < next)
			continue;
		/* Once a second: a stop whose record was lost, and -v. */
		next = now_s() + 1;
		if (prog->nstacks)
			stacks_prefetch();	/* user stacks' maps */
		if (poll_status(pfd.fd, &st, pc, res))
			goto out;
		if (opt->verbose)
			live_status(&st, pc, now_s() - t0);
		/* exit() ran, but its record may have been dropped. */
		if (st.exit_requested || res->stop_reason != VT_STOP_NONE)
			saw_exit = true;
	}
	if (opt->verbose && isatty(STDERR_FILENO))
		fputc('\n', stderr);
	if (res->stop_reason > VT_STOP_EXIT)
		report_stop(res);
	/*
	 * Firing has stopped (exit() or the module's own stop): empty the
	 * buffer before STOP, so the end probes' output finds room.
	 */
	if (saw_exit) {
		do {
			n = drain_once(pfd.fd, buf, prog, res, &saw_exit);
		} while (n > 0);
		if (n < 0)
			goto out;
	}
	if (ioctl(pfd.fd, VT_IOC_STOP, 0)) {
		fprintf(stderr, "vtrace: cannot stop the probes: %s\n",
			strerror(errno));
		goto out;
	}
	/* Stopped: read returns 0 once every buffered record is out. */
	do {
		n = drain_once(pfd.fd, buf, prog, res, &saw_exit);
	} while (n > 0);
	if (n < 0 || get_status(pfd.fd, &st))
		goto out;
	if (autoprint(pfd.fd, prog))
		res->errors++;	/* a global could not be shown: exit 1 */
	if (opt->folded && write_folded(pfd.fd, prog, opt->folded))
		res->errors++;
	res->drops = st.total.drops;
	res->skipped = st.total.skipped;
	report(&st, opt->verbose);
	report_stack_drops(prog);
	ret = res->errors || res->stop_reason > VT_STOP_EXIT ? 1 : 0;
out:
	stacks_reset();
	free(pc);
	free(buf);
	close(pfd.fd);
	return ret;
}
