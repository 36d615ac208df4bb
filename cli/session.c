// SPDX-License-Identifier: GPL-2.0-only
/*
 * session.c - one traced session on /dev/vtrace: load, start, stream
 * records until exit()/SIGINT/SIGTERM, stop (which runs the end probes),
 * drain what is left, report drops and errors.
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
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"

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

/* Name the probe point START could not arm, as the module recorded it. */
static void report_start_failure(int fd, const struct vt_prog *prog, int err)
{
	struct vt_status st;

	if (get_status(fd, &st) == 0 && st.failed_probe < prog->nprobes) {
		const struct vt_probe_desc *p = &prog->probes[st.failed_probe];

		err = -st.failed_errno;
		fprintf(stderr, "vtrace: cannot attach probe %s: %s%s\n",
			vt_prog_str(prog, p->point), strerror(err),
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
			"%llu dropped records, %llu skipped firings\n",
			(unsigned long long)t->fired,
			(unsigned long long)t->errors,
			(unsigned long long)t->drops,
			(unsigned long long)t->skipped);
	if (t->drops)
		fprintf(stderr, "WARNING: %llu output records dropped "
			"(buffer full)\n", (unsigned long long)t->drops);
	if (t->skipped)
		fprintf(stderr, "WARNING: %llu nested probe firings "
			"skipped\n", (unsigned long long)t->skipped);
}

int session_run(const struct cli_options *opt, const void *img, size_t size,
		const struct vt_prog *prog, struct run_result *res)
{
	struct pollfd pfd;
	struct vt_status st;
	bool saw_exit = false;
	char *buf = NULL;
	int ret = 1;
	long n;

	pfd.fd = open_device(opt->device);
	if (pfd.fd < 0)
		return 1;
	pfd.events = POLLIN;
	buf = malloc(READ_BUF_SIZE);
	if (!buf) {
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
	while (!saw_exit && !stop_signal) {
		if (poll(&pfd, 1, POLL_MS) < 0 && errno != EINTR) {
			fprintf(stderr, "vtrace: poll: %s\n", strerror(errno));
			goto out;
		}
		if (drain_once(pfd.fd, buf, prog, res, &saw_exit) < 0)
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
	res->drops = st.total.drops;
	res->skipped = st.total.skipped;
	report(&st, opt->verbose);
	ret = res->errors ? 1 : 0;
out:
	free(buf);
	close(pfd.fd);
	return ret;
}
