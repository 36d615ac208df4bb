// SPDX-License-Identifier: GPL-2.0-only
/*
 * read_uffd: a read(2) of /dev/vtrace into a buffer whose page faults
 * are held by a userfaultfd (a user buffer that faults slowly) must not
 * stall the session's other operations: STOP and STATUS from another
 * thread return at once while the reader is blocked in copy_to_user.
 *
 * The program's begin probe prints one record, so the read has
 * something to copy.  A thread reads into the registered page; once the
 * userfaultfd reports its fault, another thread calls STATUS and STOP.
 * If they do not return within 3 s, they are reported blocked and the
 * fault is resolved (which lets everything finish).  Prints
 * "stop_ms N status_ms N read N" and exits 0, or 1 if blocked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "vt_isa.h"
#include "image_build.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })

static int fd;
static char *page;
static long page_size;
static volatile ssize_t nread = -2;
static volatile double stop_ms = -1, status_ms = -1;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void *reader(void *arg)
{
	(void)arg;
	nread = read(fd, page, page_size);
	return NULL;
}

static void *stopper(void *arg)
{
	struct vt_status st = { 0 };
	double t0 = now_ms();

	(void)arg;
	if (ioctl(fd, VT_IOC_STATUS, &st))
		perror("STATUS");
	status_ms = now_ms() - t0;
	t0 = now_ms();
	if (ioctl(fd, VT_IOC_STOP))
		perror("STOP");
	stop_ms = now_ms() - t0;
	return NULL;
}

/* A loaded and started session whose begin probe prints one record. */
static void start_session(void)
{
	static char log[VT_LOG_MAX];
	struct vt_insn code[] = {
		I(LDI, 0, 0, 0, 42), I(PRINTF, 0, 0, 0, 0), I(RET, 0, 0, 0, 0),
	};
	struct vt_unit_desc units[1];
	struct vt_format_desc formats[1];
	struct vt_probe_desc probes[1];
	struct sect s[VT_SECT_COUNT] = { 0 };
	struct vt_load_req req = { .log = (uintptr_t)log,
				   .log_size = sizeof(log) };
	void *img;

	units[0] = (struct vt_unit_desc){ 0, 3, 1, 0, str("probe begin") };
	formats[0] = (struct vt_format_desc){ str("hello %d\\n"), str("l") };
	probes[0] = (struct vt_probe_desc){ VT_PROBE_BEGIN, 0, 0, 0, 0,
					    str("begin"), 0, 0, 0, 0 };
	s[VT_SECT_CODE] = (struct sect){ code, 3, sizeof(code[0]) };
	s[VT_SECT_UNITS] = (struct sect){ units, 1, sizeof(units[0]) };
	s[VT_SECT_FORMATS] = (struct sect){ formats, 1, sizeof(formats[0]) };
	s[VT_SECT_PROBES] = (struct sect){ probes, 1, sizeof(probes[0]) };
	s[VT_SECT_STRTAB] = (struct sect){ strtab, (strtab_len + 7) & ~7u, 1 };
	req.image_size = build(&img, s, 1000, 10);
	req.image = (uintptr_t)img;
	fd = open(VT_DEVICE_PATH, O_RDWR);
	if (fd < 0 || ioctl(fd, VT_IOC_LOAD, &req) ||
	    ioctl(fd, VT_IOC_START)) {
		fprintf(stderr, "session: %s: %s\n", strerror(errno), log);
		exit(2);
	}
}

/* A page whose first touch waits for @uffd; returns the uffd. */
static int held_page(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	page_size = sysconf(_SC_PAGESIZE);
	page = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uffd < 0 || page == MAP_FAILED || ioctl(uffd, UFFDIO_API, &api)) {
		perror("userfaultfd");
		exit(2);
	}
	reg.range.start = (uintptr_t)page;
	reg.range.len = page_size;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg)) {
		perror("UFFDIO_REGISTER");
		exit(2);
	}
	return uffd;
}

int main(void)
{
	struct uffd_msg msg;
	struct uffdio_zeropage zp;
	struct pollfd p;
	pthread_t rt, st;
	int uffd, blocked = 0, i;

	start_session();
	uffd = held_page();
	pthread_create(&rt, NULL, reader, NULL);
	p = (struct pollfd){ uffd, POLLIN, 0 };
	if (poll(&p, 1, 10000) != 1 || read(uffd, &msg, sizeof(msg)) !=
	    sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT) {
		fprintf(stderr, "the read did not fault on the held page\n");
		return 2;
	}
	pthread_create(&st, NULL, stopper, NULL);
	for (i = 0; i < 300 && stop_ms < 0; i++)
		usleep(10000);
	if (stop_ms < 0) {
		blocked = 1;
		printf("STOP blocked for 3 s behind the reader\n");
	}
	zp.range.start = (uintptr_t)page;
	zp.range.len = page_size;
	zp.mode = 0;
	if (ioctl(uffd, UFFDIO_ZEROPAGE, &zp))
		perror("UFFDIO_ZEROPAGE");
	pthread_join(rt, NULL);
	pthread_join(st, NULL);
	printf("stop_ms %.0f status_ms %.0f read %zd\n", stop_ms, status_ms,
	       nread);
	close(fd);
	return blocked || nread <= 0 ? 1 : 0;
}
