// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_reject: malformed requests to /dev/vtrace must fail with the
 * documented errno (and, for a rejected image, a loader message), and
 * valid-but-wrong-state requests too.  Exits 0 only if every case behaves.
 * The kernel log is checked for warnings by the caller.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vt_isa.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })

static int failures;

/*
 * An image: one unit of @code, one printf format without arguments, and
 * optionally one probe: a kprobe on @sym, or begin if @sym is "".
 */
struct image {
	struct vt_image_hdr h;
	struct vt_insn code[4];
	struct vt_unit_desc unit;
	struct vt_probe_desc probe;
	struct vt_format_desc fmt;
	char strtab[64];
};

static void make_image(struct image *im, const struct vt_insn *code,
		       unsigned int ncode, const char *sym, __u32 flags)
{
	memset(im, 0, sizeof(*im));
	im->h.magic = VT_IMAGE_MAGIC;
	im->h.version = VT_ABI_VERSION;
	im->h.hdr_size = sizeof(im->h);
	im->h.size = sizeof(*im);
	im->h.strsize = 64;
	im->h.budget = 100;
	memcpy(im->code, code, ncode * sizeof(*code));
	im->h.sect[VT_SECT_CODE] = (struct vt_section){
		offsetof(struct image, code), ncode, sizeof(struct vt_insn), 0 };
	im->h.sect[VT_SECT_UNITS] = (struct vt_section){
		offsetof(struct image, unit), 1, sizeof(im->unit), 0 };
	im->h.sect[VT_SECT_STRTAB] = (struct vt_section){
		offsetof(struct image, strtab), sizeof(im->strtab), 1, 0 };
	im->unit = (struct vt_unit_desc){ 0, ncode, 1, 0, 1 };
	strcpy(im->strtab + 1, "probe test");
	im->fmt = (struct vt_format_desc){ 1, 0 };
	im->h.sect[VT_SECT_FORMATS] = (struct vt_section){
		offsetof(struct image, fmt), 1, sizeof(im->fmt), 0 };
	if (sym && !*sym) {
		im->probe = (struct vt_probe_desc){ VT_PROBE_BEGIN, 0, 0, 0,
						    0, 1, 0 };
		im->h.sect[VT_SECT_PROBES] = (struct vt_section){
			offsetof(struct image, probe), 1, sizeof(im->probe), 0 };
	} else if (sym) {
		strcpy(im->strtab + 12, sym);
		im->probe = (struct vt_probe_desc){ VT_PROBE_KPROBE, 0, 12,
						    flags, 0, 1, 0 };
		im->h.sect[VT_SECT_PROBES] = (struct vt_section){
			offsetof(struct image, probe), 1, sizeof(im->probe), 0 };
	}
}

static int dev(void)
{
	int fd = open(VT_DEVICE_PATH, O_RDWR);

	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		exit(1);
	}
	return fd;
}

/* Expect ioctl to fail with @err (0: succeed). */
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
}

static void expect_log(const char *what, const char *log, const char *word)
{
	if (!log[0] || (word && !strstr(log, word))) {
		printf("FAIL %s: message \"%s\" lacks \"%s\"\n", what, log,
		       word ? word : "anything");
		failures++;
	} else {
		printf("ok   %s: \"%s\"\n", what, log);
	}
}

/* LOAD @size bytes of @img on a fresh session; returns errno or 0. */
static int load(const void *img, __u32 size, char *log, __u32 log_size)
{
	struct vt_load_req req = {
		.image = (uintptr_t)img, .log = (uintptr_t)log,
		.image_size = size, .log_size = log_size,
	};
	int fd = dev(), ret;

	if ((uintptr_t)log >= 4096 && log_size)
		memset(log, 0, log_size);
	ret = ioctl(fd, VT_IOC_LOAD, &req) ? errno : 0;
	close(fd);
	errno = ret;
	return ret ? -1 : 0;
}

int main(void)
{
	const struct vt_insn ok_code[] = { I(RET, 0, 0, 0, 0) };
	const struct vt_insn print_code[] = { I(PRINTF, 0, 0, 0, 0),
					      I(RET, 0, 0, 0, 0) };
	const struct vt_insn bad_jump[] = { I(JMP, 0, 0, 0, 5),
					    I(RET, 0, 0, 0, 0) };
	static char log[VT_LOG_MAX], big[VT_IMAGE_MAX + 8];
	struct vt_status st;
	struct image im;
	int fd;
	char rbuf[64], *pages;

	make_image(&im, bad_jump, 2, NULL, 0);
	expect("out-of-range jump", load(&im, sizeof(im), log, sizeof(log)),
	       EINVAL);
	expect_log("out-of-range jump message", log, "jump");

	make_image(&im, ok_code, 1, NULL, 0);
	expect("truncated header", load(&im, 16, log, sizeof(log)), EINVAL);
	expect_log("truncated header message", log, NULL);

	im.h.magic ^= 1;
	expect("bad magic", load(&im, sizeof(im), log, sizeof(log)), EINVAL);
	expect_log("bad magic message", log, "magic");

	make_image(&im, ok_code, 1, NULL, 0);
	expect("size mismatch", load(&im, sizeof(im) - 8, log, sizeof(log)),
	       EINVAL);
	expect_log("size mismatch message", log, "size");

	expect("image_size over VT_IMAGE_MAX",
	       load(big, VT_IMAGE_MAX + 8, log, sizeof(log)), E2BIG);
	expect("image_size 0xffffffff", load(&im, 0xffffffffu, log, 16), E2BIG);
	expect("image_size 0", load(&im, 0, log, sizeof(log)), EINVAL);
	expect("log_size over VT_LOG_MAX",
	       load(&im, sizeof(im), log, VT_LOG_MAX + 1), EINVAL);
	expect("null image", load(NULL, sizeof(im), log, sizeof(log)), EFAULT);
	pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED || munmap(pages + 4096, 4096))
		return 2;
	expect("image past the mapping",
	       load(pages + 4096 - 64, 4096, log, sizeof(log)), EFAULT);
	im.h.magic ^= 1;
	expect("bad log pointer", load(&im, sizeof(im), (char *)8, 64), EFAULT);
	im.h.magic ^= 1;
	expect("valid image, null log", load(&im, sizeof(im), NULL, 100), 0);
	expect("valid image, 1-byte log", load(&im, sizeof(im), log, 1), 0);

	fd = dev();
	expect("null request", ioctl(fd, VT_IOC_LOAD, NULL), EFAULT);
	expect("START before LOAD", ioctl(fd, VT_IOC_START), EINVAL);
	expect("STOP before LOAD", ioctl(fd, VT_IOC_STOP), 0);
	expect("unknown ioctl", ioctl(fd, _IO(VT_IOC_MAGIC, 99)), ENOTTY);
	expect("STATUS null", ioctl(fd, VT_IOC_STATUS, NULL), EFAULT);
	memset(&st, 0, sizeof(st));
	st.probes_skipped = 1;	/* out only: must be 0 on input */
	expect("STATUS reserved", ioctl(fd, VT_IOC_STATUS, &st), EINVAL);
	memset(&st, 0, sizeof(st));
	st.percpu = 8;
	st.percpu_cap = 4;
	expect("STATUS bad percpu", ioctl(fd, VT_IOC_STATUS, &st), EFAULT);
	make_image(&im, ok_code, 1, "vtrace_no_such_symbol_xyz", 0);
	{
		struct vt_load_req req = { (uintptr_t)&im, 0, sizeof(im), 0 };

		expect("LOAD", ioctl(fd, VT_IOC_LOAD, &req), 0);
		expect("LOAD twice", ioctl(fd, VT_IOC_LOAD, &req), EBUSY);
	}
	if (fcntl(fd, F_SETFL, O_NONBLOCK))
		return 2;
	expect("read before START (O_NONBLOCK)",
	       read(fd, rbuf, sizeof(rbuf)) < 0 ? -1 : 0, EAGAIN);
	expect("START, missing symbol", ioctl(fd, VT_IOC_START), ENOENT);
	memset(&st, 0, sizeof(st));
	expect("STATUS after failed START", ioctl(fd, VT_IOC_STATUS, &st), 0);
	if (st.state != VT_STATE_LOADED) {
		printf("FAIL state %u after failed START, expected LOADED\n",
		       st.state);
		failures++;
	}
	close(fd);

	fd = dev();
	make_image(&im, ok_code, 1, "vtrace_no_such_symbol_xyz",
		   VT_PROBE_F_OPTIONAL);
	{
		struct vt_load_req req = { (uintptr_t)&im, 0, sizeof(im), 0 };

		expect("LOAD optional", ioctl(fd, VT_IOC_LOAD, &req), 0);
	}
	expect("START, missing optional symbol", ioctl(fd, VT_IOC_START), 0);
	expect("START twice", ioctl(fd, VT_IOC_START), EBUSY);
	expect("STOP", ioctl(fd, VT_IOC_STOP), 0);
	expect("STOP again", ioctl(fd, VT_IOC_STOP), 0);
	expect("START after STOP", ioctl(fd, VT_IOC_START), EBUSY);
	expect("read after STOP is EOF", read(fd, rbuf, sizeof(rbuf)) != 0, 0);
	close(fd);

	/* begin prints one record of 20 bytes (24 with padding). */
	fd = dev();
	make_image(&im, print_code, 2, "", 0);
	{
		struct vt_load_req req = { (uintptr_t)&im, 0, sizeof(im), 0 };

		expect("LOAD printing begin", ioctl(fd, VT_IOC_LOAD, &req), 0);
		expect("START", ioctl(fd, VT_IOC_START), 0);
		expect("read into 16 bytes", read(fd, rbuf, 16) < 0 ? -1 : 0,
		       EINVAL);
		expect("read into a bad pointer",
		       read(fd, pages + 4096, 64) < 0 ? -1 : 0, EFAULT);
		expect("STOP", ioctl(fd, VT_IOC_STOP), 0);
		/* The record was consumed by the faulting read: EOF now. */
		expect("read after a faulting read",
		       read(fd, rbuf, sizeof(rbuf)) != 0, 0);
	}
	close(fd);
	fd = dev();
	{
		struct vt_load_req req = { (uintptr_t)&im, 0, sizeof(im), 0 };
		struct vt_rec *r = (struct vt_rec *)rbuf;
		ssize_t n;

		expect("LOAD printing begin", ioctl(fd, VT_IOC_LOAD, &req), 0);
		expect("START", ioctl(fd, VT_IOC_START), 0);
		n = read(fd, rbuf, 24);
		if (n != 24 || r->size != 20 || r->type != VT_REC_PRINTF) {
			printf("FAIL read into 24 bytes: %zd, size %u type %u\n",
			       n, r->size, r->type);
			failures++;
		} else {
			printf("ok   read into 24 bytes: one record\n");
		}
		expect("STOP", ioctl(fd, VT_IOC_STOP), 0);
		expect("read at EOF", read(fd, rbuf, sizeof(rbuf)) != 0, 0);
	}
	close(fd);

	if (failures)
		printf("%d case(s) failed\n", failures);
	else
		printf("all cases behaved\n");
	return failures ? 1 : 0;
}
