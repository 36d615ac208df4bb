// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf_teardown: sessions on a tracepoint and on a software perf event
 * are started and torn down in a loop while this program keeps its own
 * perf counters open on the same two events, so vtrace's counters are
 * never the last perf user (the kernel then does not wait for handlers
 * in flight when one is released: kmod/perf_set.c).
 *
 *   perf_teardown TRACEPOINT_ID ROUNDS
 *
 * A child per CPU makes system calls in a tight loop (the tracepoint is
 * raw_syscalls:sys_enter) and yields (context switches).  Each round
 * opens two sessions, one on each event, whose units burn ~2,000
 * instructions, starts them, lets them fire for 0-20 ms and closes them
 * in a random order.  Prints "rounds N firings N" and exits 0; a kernel
 * that crashes is the failure this looks for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt_isa.h"
#include "image_build.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })
#define PERF_SW_CONTEXT_SWITCHES	VT_PERF_EVENT(PERF_TYPE_SOFTWARE, \
					      PERF_COUNT_SW_CONTEXT_SWITCHES)

/* An image whose one probe (@type, @event_id) runs a 400-round loop. */
static void *image(__u32 type, __u32 event_id, __u64 period, __u32 *size)
{
	struct vt_insn code[] = {
		I(LDI, 0, 0, 0, 0), I(LDI, 1, 0, 0, 400), I(LDI, 2, 0, 0, 1),
		I(LOOP, 0, 0, 0, 0),		/* 3 */
		I(ADD, 0, 0, 2, 0), I(LT, 3, 0, 1, 0), I(JNZ, 3, 0, 0, -4),
		I(GLD, 4, 0, 0, 0), I(ADD, 4, 4, 2, 0), I(GST, 4, 0, 0, 0),
		I(RET, 0, 0, 0, 0),
	};
	struct sect s[VT_SECT_COUNT] = { 0 };
	struct vt_unit_desc units[1];
	struct vt_global_desc globals[1];
	struct vt_probe_desc probes[1];
	void *img;

	strtab_len = 1;
	units[0] = (struct vt_unit_desc){ 0, sizeof(code) / sizeof(code[0]),
					  5, 0, str("probe") };
	globals[0] = (struct vt_global_desc){ str("n"), 0, 0 };
	probes[0] = (struct vt_probe_desc){ type, 0, str("raw_syscalls:sys_enter"),
					    0, period, str("point"), event_id,
					    0, 0, 0 };
	s[VT_SECT_CODE] = (struct sect){ code, sizeof(code) / sizeof(code[0]),
					 sizeof(code[0]) };
	s[VT_SECT_UNITS] = (struct sect){ units, 1, sizeof(units[0]) };
	s[VT_SECT_LGLOBALS] = (struct sect){ globals, 1, sizeof(globals[0]) };
	s[VT_SECT_PROBES] = (struct sect){ probes, 1, sizeof(probes[0]) };
	s[VT_SECT_STRTAB] = (struct sect){ strtab, (strtab_len + 7) & ~7u, 1 };
	*size = build(&img, s, 100000, 1000000);
	return img;
}

/* A started session running @img, or -1. */
static int session(void *img, __u32 size)
{
	static char log[VT_LOG_MAX];
	struct vt_load_req req = { .image = (uintptr_t)img, .image_size = size,
				   .log = (uintptr_t)log,
				   .log_size = sizeof(log) };
	int fd = open(VT_DEVICE_PATH, O_RDWR);

	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		return -1;
	}
	if (ioctl(fd, VT_IOC_LOAD, &req)) {
		printf("LOAD: %s: %s\n", strerror(errno), log);
		close(fd);
		return -1;
	}
	if (ioctl(fd, VT_IOC_START)) {
		printf("START: %s\n", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static unsigned long long fired(int fd)
{
	struct vt_status st = { 0 };

	return ioctl(fd, VT_IOC_STATUS, &st) ? 0 : st.total.fired;
}

/* This program's own counter on @type/@config on every CPU (kept open). */
static void hold(__u32 type, __u64 config, int ncpus)
{
	struct perf_event_attr a = { .type = type, .size = sizeof(a),
				     .config = config, .sample_period = 1,
				     .sample_type = PERF_SAMPLE_RAW };
	int cpu;

	if (type == PERF_TYPE_SOFTWARE)
		a.sample_type = 0;
	for (cpu = 0; cpu < ncpus; cpu++)
		if (syscall(SYS_perf_event_open, &a, -1, cpu, -1, 0) < 0) {
			perror("perf_event_open");
			exit(1);
		}
}

int main(int argc, char **argv)
{
	int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN), rounds, i, cpu;
	pid_t load[64];
	unsigned long long n = 0;
	__u32 tp_id, sz_tp, sz_sw;
	void *img_tp, *img_sw;

	if (argc != 3)
		return 2;
	tp_id = (__u32)strtoul(argv[1], NULL, 10);
	rounds = atoi(argv[2]);
	if (ncpus > 64)
		ncpus = 64;
	img_tp = image(VT_PROBE_TRACEPOINT, tp_id, 0, &sz_tp);
	img_sw = image(VT_PROBE_PERF, PERF_SW_CONTEXT_SWITCHES, 1, &sz_sw);
	hold(PERF_TYPE_TRACEPOINT, tp_id, ncpus);
	hold(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES, ncpus);
	for (cpu = 0; cpu < ncpus; cpu++) {
		load[cpu] = fork();
		if (load[cpu] == 0) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
			for (;;) {
				syscall(SYS_getppid);
				sched_yield();
			}
		}
	}
	srand((unsigned)time(NULL));
	for (i = 0; i < rounds; i++) {
		int a = session(img_tp, sz_tp), b = session(img_sw, sz_sw);
		struct timespec ts = { 0, (rand() % 20000) * 1000L };

		if (a < 0 || b < 0)
			break;
		nanosleep(&ts, NULL);
		n += fired(a) + fired(b);
		if (rand() & 1) {
			close(a);
			close(b);
		} else {
			close(b);
			close(a);
		}
	}
	for (cpu = 0; cpu < ncpus; cpu++) {
		kill(load[cpu], SIGKILL);
		waitpid(load[cpu], NULL, 0);
	}
	printf("rounds %d firings %llu\n", i, n);
	return i == rounds ? 0 : 1;
}
