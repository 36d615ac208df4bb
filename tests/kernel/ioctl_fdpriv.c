// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_fdpriv: a /dev/vtrace descriptor in the hands of a process
 * without CAP_SYS_ADMIN must not LOAD or START (EPERM), whoever opened
 * it; STATUS, read and STOP stay allowed.
 *
 *   ioctl_fdpriv            as root: open, then fork children that drop
 *                           to uid/gid 65534 (losing every capability)
 *                           and try each ioctl at each state
 *   ioctl_fdpriv --fd N     already unprivileged, N inherited open
 *
 * Exits 0 only if every case behaved.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt_isa.h"

static int failures;

/* begin { printf("x\n") } */
struct image {
	struct vt_image_hdr h;
	_Alignas(8) struct vt_insn code[2];	/* sections 8-aligned */
	struct vt_unit_desc unit;
	struct vt_probe_desc probe;
	struct vt_format_desc fmt;
	char strtab[16];
};

static void make_image(struct image *im)
{
	memset(im, 0, sizeof(*im));
	im->h.magic = VT_IMAGE_MAGIC;
	im->h.version = VT_ABI_VERSION;
	im->h.hdr_size = sizeof(im->h);
	im->h.size = sizeof(*im);
	im->h.strsize = 64;
	im->h.budget = 100;
	im->code[0] = (struct vt_insn){ VT_OP_PRINTF, 0, 0, 0, 0 };
	im->code[1] = (struct vt_insn){ VT_OP_RET, 0, 0, 0, 0 };
	im->unit = (struct vt_unit_desc){ 0, 2, 1, 0, 1 };
	im->probe = (struct vt_probe_desc){ .type = VT_PROBE_BEGIN, .point = 1 };
	im->fmt = (struct vt_format_desc){ 1, 0 };
	strcpy(im->strtab + 1, "x\\n");
	im->h.sect[VT_SECT_CODE] = (struct vt_section){
		offsetof(struct image, code), 2, sizeof(struct vt_insn), 0 };
	im->h.sect[VT_SECT_UNITS] = (struct vt_section){
		offsetof(struct image, unit), 1, sizeof(im->unit), 0 };
	im->h.sect[VT_SECT_PROBES] = (struct vt_section){
		offsetof(struct image, probe), 1, sizeof(im->probe), 0 };
	im->h.sect[VT_SECT_FORMATS] = (struct vt_section){
		offsetof(struct image, fmt), 1, sizeof(im->fmt), 0 };
	im->h.sect[VT_SECT_STRTAB] = (struct vt_section){
		offsetof(struct image, strtab), sizeof(im->strtab), 1, 0 };
}

static void expect(const char *what, int ret, int err)
{
	int got = ret ? errno : 0;

	if (got != err) {
		printf("FAIL %s: got %s, expected %s\n", what,
		       got ? strerror(got) : "success",
		       err ? strerror(err) : "success");
		failures++;
	} else {
		printf("ok   %s (%s)\n", what, err ? strerror(err) : "success");
	}
	fflush(stdout);
}

static int load(int fd)
{
	static struct image im;
	struct vt_load_req req = { 0 };

	make_image(&im);
	req.image = (uintptr_t)&im;
	req.image_size = sizeof(im);
	return ioctl(fd, VT_IOC_LOAD, &req);
}

static int status_state(int fd)
{
	struct vt_status st;

	memset(&st, 0, sizeof(st));
	if (ioctl(fd, VT_IOC_STATUS, &st))
		return -1;
	return (int)st.state;
}

/* The unprivileged side: LOAD and START refused, STATUS works. */
static void unprivileged(int fd, const char *when)
{
	char what[128];
	int state = status_state(fd);

	snprintf(what, sizeof(what), "%s: STATUS", when);
	expect(what, state < 0 ? -1 : 0, 0);
	snprintf(what, sizeof(what), "%s: LOAD", when);
	expect(what, load(fd), EPERM);
	snprintf(what, sizeof(what), "%s: START", when);
	expect(what, ioctl(fd, VT_IOC_START), EPERM);
	snprintf(what, sizeof(what), "%s: state unchanged", when);
	expect(what, status_state(fd) == state ? 0 : -1, 0);
}

static void drop(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534)) {
		perror("dropping privileges");
		exit(2);
	}
}

/* Run unprivileged() in a child that dropped its privileges. */
static void in_child(int fd, const char *when)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		drop();
		failures = 0;
		unprivileged(fd, when);
		if (strstr(when, "RUNNING")) {
			char buf[256];

			expect("RUNNING: read", read(fd, buf, sizeof(buf)) < 0 &&
			       errno != EAGAIN ? -1 : 0, 0);
			expect("RUNNING: STOP", ioctl(fd, VT_IOC_STOP), 0);
		}
		_exit(failures ? 1 : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status)) {
		printf("FAIL %s: child failed\n", when);
		failures++;
	}
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 3 && !strcmp(argv[1], "--fd")) {
		fd = atoi(argv[2]);
		if (geteuid() == 0) {
			printf("FAIL --fd: still root\n");
			return 1;
		}
		unprivileged(fd, "inherited fd");
		return failures ? 1 : 0;
	}
	fd = open(VT_DEVICE_PATH, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		return 1;
	}
	in_child(fd, "EMPTY");
	expect("root: LOAD", load(fd), 0);
	in_child(fd, "LOADED");
	expect("root: START", ioctl(fd, VT_IOC_START), 0);
	in_child(fd, "RUNNING");
	expect("root: state STOPPED after the child's STOP",
	       status_state(fd) == VT_STATE_STOPPED ? 0 : -1, 0);
	close(fd);
	printf(failures ? "%d case(s) failed\n" : "all cases behaved\n",
	       failures);
	return failures ? 1 : 0;
}
