// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_bigload: LOAD a near-16 MiB worst-case image (issue 9, finding
 * 3) and time it, or SIGKILL processes in the middle of such LOADs.
 *
 *   ioctl_bigload [-n UNITS]            time LOADs of the big image and
 *                                       of the same image 16 times smaller
 *                                       (the fastest of 5 each)
 *   ioctl_bigload [-n UNITS] -k ROUNDS  ROUNDS times: a child LOADs the
 *                                       image, it is killed in the middle
 *                                       of the LOAD; did the LOAD stop
 *                                       (its session, shared with the
 *                                       parent, stays EMPTY), and how
 *                                       long did the child take to die
 *
 * The image: UNITS units of 2 instructions with a line each, then UNITS
 * handlers all in the last unit and 2000 DFAs (250,000 units: 16.5 MB).
 * Before issue 9 each handler's check scanned every unit: hours under
 * the session mutex, with no rescheduling and no way to kill it.
 * Prints "bigload: ..." lines; exits 1 on any unexpected result.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

#define NDFAS 2000
#define DFA_BYTES 276	/* classmap 256, table 2 x 4 x 2, accept 2, even */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The image for @n units and @ndfas DFAs (see the top). */
static __u32 big_image(void **out, __u32 n, __u32 ndfas)
{
	struct vt_insn *code = calloc(2 * n + 1, sizeof(*code));
	struct vt_unit_desc *units = calloc(n, sizeof(*units));
	struct vt_line_desc *lines = calloc(n, sizeof(*lines));
	struct vt_handler_desc *handlers = calloc(n, sizeof(*handlers));
	struct vt_dfa_desc *dfas = calloc(ndfas, sizeof(*dfas));
	__u8 *dfadata = calloc(ndfas, DFA_BYTES);
	struct vt_probe_desc probe = { 0 };
	struct sect s[VT_SECT_COUNT] = { 0 };
	__u32 i, pc = 0, name = str("probe u"), file = str("big.stp");
	__u16 tab[8] = { 1, 0, 0, 0, 1, 1, 1, 1 };
	__u32 size;

	if (!code || !units || !lines || !handlers || !dfas || !dfadata)
		exit(2);
	for (i = 0; i < n; i++) {
		units[i] = (struct vt_unit_desc){ pc, 2, 1, 1, name };
		lines[i] = (struct vt_line_desc){ pc, file, i + 1, 1 };
		code[pc++] = (struct vt_insn){ VT_OP_DIV, 0, 0, 0, 0 };
		code[pc++] = (struct vt_insn){ VT_OP_RET, 0, 0, 0, 0 };
	}
	/* the last unit: NOP, DIV, RET; its handlers cover the NOP */
	pc -= 2;
	code[pc] = (struct vt_insn){ VT_OP_NOP, 0, 0, 0, 0 };
	code[pc + 1] = (struct vt_insn){ VT_OP_DIV, 0, 0, 0, 0 };
	code[pc + 2] = (struct vt_insn){ VT_OP_RET, 0, 0, 0, 0 };
	units[n - 1].ncode = 3;
	for (i = 0; i < n; i++)
		handlers[i] = (struct vt_handler_desc){
			pc, pc + 1, pc + 2, 0, VT_HANDLER_F_MSG };
	for (i = 0; i < ndfas; i++) {
		__u8 *d = dfadata + DFA_BYTES * i;

		memset(d, 1, 256);
		d['a'] = 0;
		memcpy(d + 256, tab, sizeof(tab));
		d[273] = 1;
		dfas[i] = (struct vt_dfa_desc){
			.classmap = DFA_BYTES * i, .table = DFA_BYTES * i + 256,
			.accept = DFA_BYTES * i + 272, .nstates = 2,
			.nclasses = 4, .pattern = str("a"),
		};
	}
	probe.type = VT_PROBE_BEGIN;
	probe.unit = n - 1;
	probe.point = str("begin");
	s[VT_SECT_CODE] = (struct sect){ code, 2 * n + 1, sizeof(*code) };
	s[VT_SECT_UNITS] = (struct sect){ units, n, sizeof(*units) };
	s[VT_SECT_LINES] = (struct sect){ lines, n, sizeof(*lines) };
	s[VT_SECT_HANDLERS] = (struct sect){ handlers, n, sizeof(*handlers) };
	s[VT_SECT_DFAS] = (struct sect){ dfas, ndfas, sizeof(*dfas) };
	s[VT_SECT_DFADATA] = (struct sect){ dfadata, ndfas * DFA_BYTES, 1 };
	s[VT_SECT_PROBES] = (struct sect){ &probe, 1, sizeof(probe) };
	s[VT_SECT_STRTAB] = (struct sect){ strtab, (strtab_len + 7) & ~7u, 1 };
	size = build(out, s, 1000, 0);
	free(code);
	free(units);
	free(lines);
	free(handlers);
	free(dfas);
	free(dfadata);
	return size;
}

/* LOAD @img in a fresh session; 0 or -errno, the time in *ms. */
static int load_once(void *img, __u32 size, double *ms)
{
	static char log[VT_LOG_MAX];
	struct vt_load_req req = {
		.image = (uintptr_t)img, .image_size = size,
		.log = (uintptr_t)log, .log_size = sizeof(log),
	};
	int fd = open(VT_DEVICE_PATH, O_RDWR), ret = 0;
	double t0;

	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		exit(1);
	}
	t0 = now_ms();
	if (ioctl(fd, VT_IOC_LOAD, &req))
		ret = -errno;
	*ms = now_ms() - t0;
	if (ret)
		printf("bigload: LOAD: %s: %s\n", strerror(-ret), log);
	close(fd);
	return ret;
}

/*
 * One kill round.  The child LOADs the image into a session the parent
 * shares (the descriptor is inherited), after writing 'L' to the pipe
 * (and 'D' once LOAD returned); @delay ms after the 'L' it gets SIGKILL.
 * Then the session says what LOAD did: EMPTY, it stopped (interrupted),
 * LOADED, it ran to the end.  Returns the ms from kill() until the child
 * was reaped; *hit: the kill came during the LOAD (no 'D'); *stopped:
 * the session is EMPTY.
 */
static double kill_round(void *img, __u32 size, double delay, int *hit,
			 int *stopped)
{
	static char log[VT_LOG_MAX];
	struct vt_load_req req = {
		.image = (uintptr_t)img, .image_size = size,
		.log = (uintptr_t)log, .log_size = sizeof(log),
	};
	struct vt_status st = { 0 };
	int p[2], status, fd = open(VT_DEVICE_PATH, O_RDWR);
	char buf[64];
	double t0, ms;
	pid_t pid;

	if (fd < 0 || pipe(p))
		exit(2);
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], "L", 1) != 1 || ioctl(fd, VT_IOC_LOAD, &req) ||
		    write(p[1], "D", 1) != 1)
			_exit(3);
		pause();
	}
	close(p[1]);
	if (read(p[0], buf, 1) != 1)
		exit(2);
	usleep((useconds_t)(delay * 1000));
	t0 = now_ms();
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ms = now_ms() - t0;
	*hit = read(p[0], buf, sizeof(buf)) <= 0;	/* no 'D' */
	close(p[0]);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL) {
		printf("bigload: child ended with status %#x, not SIGKILL\n",
		       status);
		exit(1);
	}
	if (ioctl(fd, VT_IOC_STATUS, &st)) {
		perror("STATUS");
		exit(1);
	}
	*stopped = st.state == VT_STATE_EMPTY;
	close(fd);
	return ms;
}

int main(int argc, char **argv)
{
	__u32 n = 250000, size, small_size;
	double ms, small_ms, worst = 0, lat, delay;
	int opt, rounds = 0, r, hit, hits = 0, stopped, nstopped = 0;
	void *img, *small;

	while ((opt = getopt(argc, argv, "n:k:")) != -1) {
		switch (opt) {
		case 'n': n = (__u32)atol(optarg); break;
		case 'k': rounds = atoi(optarg); break;
		default: return 2;
		}
	}
	if (n < 16)
		return 2;
	small_size = big_image(&small, n / 16, NDFAS / 16);
	size = big_image(&img, n, NDFAS);
	if (size > VT_IMAGE_MAX) {
		printf("bigload: image of %u bytes, more than %u\n", size,
		       VT_IMAGE_MAX);
		return 1;
	}
	/* the fastest of 5 LOADs each: a busy host makes guests stall */
	small_ms = ms = 1e9;
	for (r = 0; r < 5; r++) {
		if (load_once(small, small_size, &lat))
			return 1;
		small_ms = lat < small_ms ? lat : small_ms;
		if (load_once(img, size, &lat))
			return 1;
		ms = lat < ms ? lat : ms;
	}
	printf("bigload: %u bytes loaded in %.1f ms, %u bytes in %.1f ms\n",
	       small_size, small_ms, size, ms);
	for (r = 0; r < rounds; r++) {
		/* over 3/4 of the LOAD: the allocation, copy, verification */
		delay = 0.75 * ms * (r + 1) / (rounds + 1);
		lat = kill_round(img, size, delay, &hit, &stopped);
		printf("bigload: kill %d: after %.1f ms, %s, %s, dead in %.1f "
		       "ms\n", r, delay, hit ? "during the LOAD" : "after it",
		       stopped ? "session EMPTY" : "session LOADED", lat);
		hits += hit;
		nstopped += hit && stopped;
		if (lat > worst)
			worst = lat;
	}
	if (rounds)
		printf("bigload: %d kills, %d during a LOAD, %d stopped it, "
		       "slowest death %.1f ms\n", rounds, hits, nstopped,
		       worst);
	return 0;
}
