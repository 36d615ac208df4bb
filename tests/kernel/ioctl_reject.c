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
#include "map.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })

static int failures;

/*
 * An image: one unit of @code, one printf format without arguments, and
 * optionally one probe: a kprobe on @sym, or begin if @sym is "".
 */
struct image {
	struct vt_image_hdr h;
	_Alignas(8) struct vt_insn code[4];	/* sections 8-aligned */
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
		im->probe = (struct vt_probe_desc){ .type = VT_PROBE_BEGIN,
						    .point = 1 };
		im->h.sect[VT_SECT_PROBES] = (struct vt_section){
			offsetof(struct image, probe), 1, sizeof(im->probe), 0 };
	} else if (sym) {
		strcpy(im->strtab + 12, sym);
		im->probe = (struct vt_probe_desc){ .type = VT_PROBE_KPROBE,
						    .target = 12,
						    .flags = flags,
						    .point = 1 };
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

/*
 * An image with maps: begin runs @code; map 0 "a" is a LONG array keyed
 * by (long, string) with 8 entries, map 1 "s" a scalar STAT with a
 * linear histogram 0..100 step 10; one foreach site over map 0 sorted
 * by its first key; both maps autoprinted.
 */
struct mimage {
	struct vt_image_hdr h;
	_Alignas(8) struct vt_insn code[4];	/* sections 8-aligned */
	struct vt_unit_desc unit;
	struct vt_probe_desc probe;
	struct vt_map_desc maps[2];
	struct vt_iter_desc iter;
	__u32 autoprint[2];
	char strtab[64];
};

#define MSECT(id, field, n) (im->h.sect[id] = (struct vt_section){	\
	offsetof(struct mimage, field), n, sizeof(im->field), 0 })

static void make_map_image(struct mimage *im, const struct vt_insn *code,
			   unsigned int ncode)
{
	memset(im, 0, sizeof(*im));
	im->h.magic = VT_IMAGE_MAGIC;
	im->h.version = VT_ABI_VERSION;
	im->h.hdr_size = sizeof(im->h);
	im->h.size = sizeof(*im);
	im->h.strsize = 64;
	im->h.budget = 100;
	im->h.scratch = 64;
	memcpy(im->code, code, ncode * sizeof(*code));
	im->h.sect[VT_SECT_CODE] = (struct vt_section){
		offsetof(struct mimage, code), ncode, sizeof(struct vt_insn),
		0 };
	MSECT(VT_SECT_UNITS, unit, 1);
	MSECT(VT_SECT_PROBES, probe, 1);
	im->h.sect[VT_SECT_MAPS] = (struct vt_section){
		offsetof(struct mimage, maps), 2, sizeof(im->maps[0]), 0 };
	MSECT(VT_SECT_ITERS, iter, 1);
	im->h.sect[VT_SECT_AUTOPRINT] = (struct vt_section){
		offsetof(struct mimage, autoprint), 2, 4, 0 };
	im->h.sect[VT_SECT_STRTAB] = (struct vt_section){
		offsetof(struct mimage, strtab), sizeof(im->strtab), 1, 0 };
	/* strtab: 1 "probe test", 12 "a", 14 "ls", 17 "s" */
	memcpy(im->strtab + 1, "probe test\0a\0ls\0s", 18);
	im->unit = (struct vt_unit_desc){ 0, ncode, 4, 2, 1 };
	im->probe = (struct vt_probe_desc){ .type = VT_PROBE_BEGIN,
					    .point = 1 };
	im->maps[0] = (struct vt_map_desc){ .name = 12, .keysig = 14,
		.max_entries = 8, .vkind = VT_MAPV_LONG };
	im->maps[1] = (struct vt_map_desc){ .name = 17, .keysig = 0,
		.max_entries = 1, .vkind = VT_MAPV_STAT,
		.hist = VT_HIST_LINEAR, .nbuckets = 13, .hstart = 0,
		.hstop = 100, .hinterval = 10 };
	im->iter = (struct vt_iter_desc){ .map = 0, .sort = 1, .dir = 1 };
	im->autoprint[0] = VT_AUTOPRINT(VT_AUTOPRINT_MAP, 0);
	im->autoprint[1] = VT_AUTOPRINT(VT_AUTOPRINT_MAP, 1);
}

/* Break one field of a valid map image (case @i); its name, or NULL. */
static const char *break_map_image(struct mimage *im, unsigned int i)
{
	switch (i) {
	case 0:
		im->maps[0].max_entries = 0;
		return "map max_entries 0";
	case 1:
		im->maps[0].max_entries = VT_MAP_ENTRIES_MAX + 1;
		return "map max_entries over VT_MAP_ENTRIES_MAX";
	case 2:
		im->maps[0].vkind = 3;
		return "map vkind 3";
	case 3:
		im->maps[0].keysig = 12;	/* "a" */
		return "map keysig \"a\"";
	case 4:
		im->maps[0].keysig = 4096;
		return "map keysig past strtab";
	case 5:
		im->maps[0].name = 4096;
		return "map name past strtab";
	case 6:
		im->maps[0].stackrefs = 1u << 5;	/* no key 6 */
		return "map stackrefs past its keys";
	case 7:
		im->maps[0].flags = 0x8000;
		return "map unknown flag";
	case 8:
		im->maps[0].hist = VT_HIST_LOG;
		im->maps[0].nbuckets = VT_HIST_LOG_BUCKETS;
		return "histogram on a LONG map";
	case 9:
		im->maps[1].hist = 3;
		return "hist kind 3";
	case 10:
		im->maps[1].nbuckets = 12;
		return "linear nbuckets wrong";
	case 11:
		im->maps[1].hinterval = 0;
		return "linear interval 0";
	case 12:
		im->maps[1].hstart = 200;
		im->maps[1].nbuckets = 3;
		return "linear stop below start";
	case 13:
		im->maps[1].hist = VT_HIST_LOG;
		im->maps[1].nbuckets = 128;
		im->maps[1].hstop = 0;
		im->maps[1].hinterval = 0;
		return "log nbuckets not VT_HIST_LOG_BUCKETS";
	case 14:
		im->h.sect[VT_SECT_MAPS].entsize = 40;
		return "MAPS entsize";
	case 15:
		im->h.sect[VT_SECT_MAPS].count = 99;
		return "MAPS past the image";
	case 16:
		im->iter.map = 2;
		return "iter map out of range";
	case 17:
		im->iter.sort = 3;
		return "iter sort past the keys";
	case 18:
		im->iter.dir = 2;
		return "iter dir 2";
	case 19:
		im->iter.dir = 0;
		return "iter dir 0 with a sort";
	case 20:
		im->iter.reserved = 1;
		return "iter reserved";
	case 21:
		im->iter.map = 1;
		im->iter.sort = VT_SORT_VALUE;
		im->iter.agg = VT_AGG_COUNT_;
		return "iter by value, bad aggregate";
	case 22:
		im->h.sect[VT_SECT_ITERS].entsize = 4;
		return "ITERS entsize";
	case 23:
		im->autoprint[0] = VT_AUTOPRINT(3, 0);
		return "autoprint kind 3";
	case 24:
		im->autoprint[1] = VT_AUTOPRINT(VT_AUTOPRINT_MAP, 2);
		return "autoprint map out of range";
	case 25:
		im->autoprint[1] = VT_AUTOPRINT(VT_AUTOPRINT_LGLOBAL, 0);
		return "autoprint of a global that does not exist";
	case 26:
		im->h.scratch = 12;
		return "header scratch not 8-aligned";
	case 27:
		im->h.scratch = VT_SCRATCH_MAX + 8;
		return "header scratch over VT_SCRATCH_MAX";
	case 28:
		im->h.reserved[0] = 1;
		return "header reserved";
	default:
		return NULL;
	}
}

/* Malformed MAPS, ITERS, AUTOPRINT sections and map operands: EINVAL. */
static void map_section_cases(void)
{
	const struct vt_insn ret[] = { I(RET, 0, 0, 0, 0) };
	const struct vt_insn mget_bad[] = { I(MGET, 0, 0, 0, 2),
					    I(RET, 0, 0, 0, 0) };
	const struct vt_insn mget_ok[] = { I(MGET, 0, 0, 0, 0),
					   I(RET, 0, 0, 0, 0) };
	static char log[VT_LOG_MAX];
	const char *what;
	struct mimage im;
	unsigned int i;

	make_map_image(&im, ret, 1);
	expect("valid map image", load(&im, sizeof(im), log, sizeof(log)), 0);
	if (log[0])
		printf("     loader said: %s\n", log);
	make_map_image(&im, mget_ok, 2);
	expect("MGET of map 0", load(&im, sizeof(im), log, sizeof(log)), 0);
	make_map_image(&im, mget_bad, 2);
	expect("MGET of map 2 (out of range)",
	       load(&im, sizeof(im), log, sizeof(log)), EINVAL);
	for (i = 0;; i++) {
		make_map_image(&im, ret, 1);
		what = break_map_image(&im, i);
		if (!what)
			break;
		expect(what, load(&im, sizeof(im), log, sizeof(log)), EINVAL);
	}
}

/* VT_IOC_SNAPSHOT: state and argument checks. */
static void snapshot_cases(void)
{
	const struct vt_insn ret[] = { I(RET, 0, 0, 0, 0) };
	struct vt_load_req req = { 0 };
	struct vt_snapshot sn;
	struct vt_status st;
	struct mimage im;
	__u64 need;
	char *buf, *pages;
	int fd = dev();

	make_map_image(&im, ret, 1);
	req.image = (uintptr_t)&im;
	req.image_size = sizeof(im);
	memset(&sn, 0, sizeof(sn));
	expect("SNAPSHOT before LOAD", ioctl(fd, VT_IOC_SNAPSHOT, &sn), EINVAL);
	expect("LOAD map image", ioctl(fd, VT_IOC_LOAD, &req), 0);
	expect("SNAPSHOT before START", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EINVAL);
	expect("START map image", ioctl(fd, VT_IOC_START), 0);
	memset(&st, 0, sizeof(st));
	expect("STATUS", ioctl(fd, VT_IOC_STATUS, &st), 0);
	expect("SNAPSHOT null", ioctl(fd, VT_IOC_SNAPSHOT, NULL), EFAULT);
	sn = (struct vt_snapshot){ .what = VT_SNAP_STACKS + 1 };
	expect("SNAPSHOT what 3", ioctl(fd, VT_IOC_SNAPSHOT, &sn), EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_STACKS };
	expect("SNAPSHOT stacks of a program without a stack table",
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn), EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_STACKS, .index = 1 };
	expect("SNAPSHOT stacks index 1", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .index = 2 };
	expect("SNAPSHOT map index 2 of 2", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .index = ~0u };
	expect("SNAPSHOT map index ~0", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_GLOBALS, .index = 1 };
	expect("SNAPSHOT globals index 1", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EINVAL);
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .reserved = 1 };
	expect("SNAPSHOT reserved", ioctl(fd, VT_IOC_SNAPSHOT, &sn), EINVAL);

	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP };
	expect("SNAPSHOT size 0", ioctl(fd, VT_IOC_SNAPSHOT, &sn), ENOSPC);
	need = sn.size;
	if (!need || sn.nvslots != 2 * st.ncpus) {
		printf("FAIL size query: size %llu nvslots %u (ncpus %u)\n",
		       (unsigned long long)need, sn.nvslots, st.ncpus);
		failures++;
	}
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .size = need - 8,
				   .buf = 4096 };
	expect("SNAPSHOT 8 bytes short", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       ENOSPC);
	if (sn.size != need) {
		printf("FAIL size after ENOSPC: %llu, expected %llu\n",
		       (unsigned long long)sn.size, (unsigned long long)need);
		failures++;
	}
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .size = need };
	expect("SNAPSHOT null buffer", ioctl(fd, VT_IOC_SNAPSHOT, &sn),
	       EFAULT);
	pages = mmap(NULL, 2 * 4096 + need, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED ||
	    mprotect(pages + ((need + 4095) & ~4095ull), 4096, PROT_NONE)) {
		failures++;
		return;
	}
	buf = pages + ((need + 4095) & ~4095ull) - need + 8;
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .size = need,
				   .buf = (uintptr_t)buf };
	expect("SNAPSHOT into a buffer 8 bytes short of its mapping",
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn), EFAULT);
	buf -= 8;
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .size = need + 100,
				   .buf = (uintptr_t)pages };
	expect("SNAPSHOT map 0", ioctl(fd, VT_IOC_SNAPSHOT, &sn), 0);
	if (sn.size != need || *(__u32 *)pages != VT_MAP_MAGIC) {
		printf("FAIL map 0 copy: size %llu, magic %#x\n",
		       (unsigned long long)sn.size, *(__u32 *)pages);
		failures++;
	}
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .size = need,
				   .buf = (uintptr_t)buf };
	expect("SNAPSHOT map 0 up to the end of its mapping",
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn), 0);
	sn = (struct vt_snapshot){ .what = VT_SNAP_GLOBALS };
	expect("SNAPSHOT globals (none: 0 bytes)",
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn), 0);
	expect("STOP", ioctl(fd, VT_IOC_STOP), 0);
	sn = (struct vt_snapshot){ .what = VT_SNAP_MAP, .index = 1,
				   .size = 0 };
	expect("SNAPSHOT map 1 size after STOP",
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn), ENOSPC);
	sn.buf = (uintptr_t)pages;
	expect("SNAPSHOT map 1 after STOP", sn.size <= need + 4096 ?
	       ioctl(fd, VT_IOC_SNAPSHOT, &sn) : -1, 0);
	munmap(pages, 2 * 4096 + need);
	close(fd);
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

	map_section_cases();
	snapshot_cases();

	if (failures)
		printf("%d case(s) failed\n", failures);
	else
		printf("all cases behaved\n");
	return failures ? 1 : 0;
}
