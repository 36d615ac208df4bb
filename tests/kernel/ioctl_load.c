// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_load: load a hand-built program into /dev/vtrace, run it, read its
 * records back and print counters.  A stand-in for the CLI in kernel tests.
 *
 *   ioctl_load [-t SECS] [-p] [-m MS] [-x N] [-k SYMBOL] [-o] [-w N] [-b]
 *
 * The program: begin prints "hello %d" (42); a kprobe on SYMBOL
 * (ksys_read) adds 1 to global `hits` (and prints it with -p); a timer of
 * MS (10) ms adds 1 to `ticks` (and calls exit() once ticks reaches N with
 * -x); end prints "hits=%d ticks=%d".  -o marks the kprobe optional.
 * -w N: a child makes N read(2) calls of /dev/zero while tracing, and
 * the kprobe count is checked against N (lower bound).
 * -b: plain blocking read(2) instead of poll(2) (use with -x).
 * With -t 0 it traces until killed.  Prints "begin: ...", "end: ...",
 * counts of records by type and the VT_IOC_STATUS totals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt_isa.h"
#include "image_build.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long nrec[4];
static int saw_exit;
static long long hits;
static unsigned long long last_ts;
static long unordered;

static void show(const char *buf, ssize_t n)
{
	ssize_t off = 0;

	while (off < n) {
		const struct vt_rec *r = (const void *)(buf + off);
		const char *p = (const char *)(r + 1);
		__u32 fmt;
		__s64 a, b;

		if (r->size < sizeof(*r) || off + r->size > n) {
			printf("bad record at %zd: size %u\n", off, r->size);
			exit(1);
		}
		if (r->type < 4)
			nrec[r->type]++;
		if (r->ts < last_ts)
			unordered++;
		last_ts = r->ts;
		if (r->type == VT_REC_PRINTF) {
			memcpy(&fmt, p, 4);
			memcpy(&a, p + 4, 8);
			if (fmt == 0)
				printf("begin: hello %lld (cpu %u)\n",
				       (long long)a, r->cpu);
			if (fmt == 2) {
				memcpy(&b, p + 12, 8);
				printf("end: hits=%lld ticks=%lld\n",
				       (long long)a, (long long)b);
				hits = a;
			}
		} else if (r->type == VT_REC_ERROR) {
			const struct vt_rec_error *e = (const void *)p;

			printf("error: pc %u fault %u\n", e->pc, e->fault);
		} else if (r->type == VT_REC_EXIT) {
			saw_exit = 1;
		}
		off += (r->size + 7) & ~7u;
	}
}

int main(int argc, char **argv)
{
	double secs = 2, t0, t1;
	int printing = 0, optional = 0, blocking = 0, opt, fd;
	long period_ms = 10, exit_at = 0, work = 0, i;
	pid_t child = 0;
	const char *sym = "ksys_read";
	static char buf[1 << 16], log[VT_LOG_MAX];
	struct vt_cpu_status pc[64];
	struct vt_status st = { 0 };
	struct vt_load_req req = { 0 };
	struct sect s[VT_SECT_COUNT] = { 0 };
	void *img;
	ssize_t n;

	while ((opt = getopt(argc, argv, "t:pm:x:k:ow:b")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'p': printing = 1; break;
		case 'm': period_ms = atol(optarg); break;
		case 'x': exit_at = atol(optarg); break;
		case 'k': sym = optarg; break;
		case 'o': optional = 1; break;
		case 'w': work = atol(optarg); break;
		case 'b': blocking = 1; break;
		default: return 2;
		}
	}

	struct vt_insn code[] = {
		/* 0: begin */
		I(LDI, 0, 0, 0, 42), I(PRINTF, 0, 0, 0, 0), I(RET, 0, 0, 0, 0),
		/* 3: kprobe */
		I(GLD, 0, 0, 0, 0), I(LDI, 1, 0, 0, 1), I(ADD, 0, 0, 1, 0),
		I(GST, 0, 0, 0, 0),
		printing ? I(PRINTF, 0, 0, 0, 1) : I(NOP, 0, 0, 0, 0),
		I(RET, 0, 0, 0, 0),
		/* 9: timer */
		I(GLD, 0, 0, 0, 1), I(LDI, 1, 0, 0, 1), I(ADD, 0, 0, 1, 0),
		I(GST, 0, 0, 0, 1), I(LDI, 1, 0, 0, (__s32)exit_at),
		I(LT, 1, 0, 1, 0), I(JNZ, 1, 0, 0, 1),
		exit_at ? I(CALLH, 0, 0, 0, VT_HELPER_exit) :
			  I(NOP, 0, 0, 0, 0),
		I(RET, 0, 0, 0, 0),
		/* 18: end */
		I(GLD, 0, 0, 0, 0), I(GLD, 1, 0, 0, 1), I(PRINTF, 0, 0, 0, 2),
		I(RET, 0, 0, 0, 0),
	};
	struct vt_unit_desc units[] = {
		{ 0, 3, 1, 0, str("probe begin") },
		{ 3, 6, 2, 0, str("probe kprobe") },
		{ 9, 9, 2, 0, str("probe timer") },
		{ 18, 4, 2, 0, str("probe end") },
	};
	struct vt_global_desc globals[] = {
		{ str("hits"), 0, 0 }, { str("ticks"), 0, 0 },
	};
	__u32 sig_l = str("l");
	struct vt_format_desc formats[] = {
		{ str("hello %d\\n"), sig_l },
		{ str("%d\\n"), sig_l },
		{ str("hits=%d ticks=%d\\n"), str("ll") },
	};
	struct vt_probe_desc probes[] = {
		{ VT_PROBE_BEGIN, 0, 0, 0, 0, str("begin"), 0, 0, 0, 0 },
		{ VT_PROBE_KPROBE, 1, str(sym), optional ? VT_PROBE_F_OPTIONAL : 0,
		  0, str("kernel.function(...)"), 0, 0, 0, 0 },
		{ VT_PROBE_TIMER, 2, 0, 0, period_ms * 1000000ull,
		  str("timer.ms(...)"), 0, 0, 0, 0 },
		{ VT_PROBE_END, 3, 0, 0, 0, str("end"), 0, 0, 0, 0 },
	};
	s[VT_SECT_CODE] = (struct sect){ code, sizeof(code) / sizeof(code[0]),
					 sizeof(code[0]) };
	s[VT_SECT_UNITS] = (struct sect){ units, 4, sizeof(units[0]) };
	s[VT_SECT_LGLOBALS] = (struct sect){ globals, 2, sizeof(globals[0]) };
	s[VT_SECT_FORMATS] = (struct sect){ formats, 3, sizeof(formats[0]) };
	s[VT_SECT_PROBES] = (struct sect){ probes, 4, sizeof(probes[0]) };
	s[VT_SECT_STRTAB] = (struct sect){ strtab, (strtab_len + 7) & ~7u, 1 };

	req.image_size = build(&img, s, 1000, 0);
	req.image = (uintptr_t)img;
	req.log = (uintptr_t)log;
	req.log_size = sizeof(log);

	fd = open(VT_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		return 1;
	}
	if (ioctl(fd, VT_IOC_LOAD, &req)) {
		printf("LOAD: %s: %s\n", strerror(errno), log);
		return 1;
	}
	if (ioctl(fd, VT_IOC_START)) {
		printf("START: %s\n", strerror(errno));
		return 1;
	}
	printf("started\n");
	fflush(stdout);
	if (work) {
		child = fork();
		if (child == 0) {
			int z = open("/dev/zero", O_RDONLY);
			char c;

			for (i = 0; i < work; i++)
				if (read(z, &c, 1) != 1)
					_exit(1);
			_exit(0);
		}
	}
	t0 = now();
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		double left = secs - (now() - t0);

		if (secs > 0 && left <= 0)
			break;
		if (saw_exit)
			break;
		if (blocking) {
			n = read(fd, buf, sizeof(buf));
			if (n <= 0) {
				perror("blocking read");
				return 1;
			}
			show(buf, n);
			continue;
		}
		if (poll(&p, 1, secs > 0 ? (int)(left * 1000) + 1 : -1) > 0) {
			n = read(fd, buf, sizeof(buf));
			if (n < 0) {
				perror("read");
				return 1;
			}
			show(buf, n);
		}
	}
	if (child > 0)
		waitpid(child, NULL, 0);
	t1 = now();
	if (ioctl(fd, VT_IOC_STOP) || ioctl(fd, VT_IOC_STOP)) {
		perror("STOP");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		show(buf, n);
	if (n < 0) {
		perror("read after stop");
		return 1;
	}
	st.percpu = (uintptr_t)pc;
	st.percpu_cap = 64;
	if (ioctl(fd, VT_IOC_STATUS, &st)) {
		perror("STATUS");
		return 1;
	}
	printf("state=%u ncpus=%u exit=%u fired=%llu drops=%llu errors=%llu skipped=%llu\n",
	       st.state, st.ncpus, st.exit_requested,
	       (unsigned long long)st.total.fired,
	       (unsigned long long)st.total.drops,
	       (unsigned long long)st.total.errors,
	       (unsigned long long)st.total.skipped);
	printf("records: printf=%ld error=%ld exit=%ld out-of-order=%ld in %.2fs (%.0f rec/s)\n",
	       nrec[1], nrec[2], nrec[3], unordered, t1 - t0,
	       (nrec[1] + nrec[2] + nrec[3]) / (t1 - t0));
	close(fd);
	free(img);
	/*
	 * Records committed while a read merges the CPUs may arrive a
	 * little out of order (see kmod/README.md); more than 0.1% is a bug.
	 */
	if (unordered * 1000 > nrec[1] + nrec[2] + nrec[3]) {
		printf("FAIL: %ld records out of timestamp order\n", unordered);
		return 1;
	}
	if (work && hits < work) {
		printf("FAIL: %lld kprobe hits, expected at least %ld\n",
		       hits, work);
		return 1;
	}
	return 0;
}
