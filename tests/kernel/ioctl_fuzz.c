// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_fuzz: throw mutated program images and random ioctl sequences at
 * /dev/vtrace.  The kernel must neither crash nor warn (the caller checks
 * dmesg); this program only counts what happened.
 *
 *   ioctl_fuzz [-n IMAGES] [-s SEED] [-S START_PERCENT] [-f FIRST] [-P]
 *              [-R ROUND -o FILE] [IMAGE_FILE...]
 *
 * Seeds: four hand-built valid images (begin printf, an optional kprobe
 * on an absent symbol plus a timer, string work with an end probe, an
 * array and a statistic updated by begin, a timer and end) and any
 * IMAGE_FILEs given: images the compiler wrote (VTRACE_IMAGE_OUT, see
 * tests/kernel/fuzz_seeds/ and fuzz-seeds.sh), which cover every probe
 * type, maps, statistics, foreach, functions, try/catch, regex, sprintf.
 *
 * Round r (FIRST <= r < FIRST + IMAGES) takes a seed and, with a random
 * state made from (SEED, r) alone, mutates it: mostly structurally
 * (fuzz_mutate.h: header, units, handlers, code, formats, maps...; 1-4
 * mutations, then sometimes a raw one), sometimes with raw bytes only
 * (bit flips, random bytes, interesting 32-bit values, header and section
 * fields, truncation), 2% not at all.  It LOADs the image on a fresh
 * session.  START_PERCENT of the rounds (default 30) are run rounds: their
 * event probes become timers or begin/end first (fz_make_safe), and if the
 * image is accepted and its probes are safe (begin, end, error, at most 8
 * timers of >= 100 us) it is STARTed and runs briefly (up to ~2 ms between
 * random STATUS, SNAPSHOT, read, poll, STOP and START calls).  Other
 * sessions get random ioctls but no START.  Every 16th round also sends a
 * random ioctl (type VT_IOC_MAGIC only: other types reach the VFS's
 * generic ioctls, some of which act on the file system) with a random
 * argument.  Then the descriptor is closed (which stops a running
 * session).
 *
 * -P appends a line "ioctl_fuzz ROUND 120" to $VTRACE_PROGRESS every
 * 1,000 rounds (tests/vm/run's stuck-guest watch; 10,000 rounds took up
 * to 180 s in a starved TCG guest, 1,000 take a few seconds).  -R ROUND -o FILE
 * writes the image round ROUND would load to FILE and exits (the same
 * SEED and IMAGE_FILEs reproduce it).
 * Output: counts of images generated (structural, raw, as seeded),
 * accepted, rejected, run, and images/s.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_mutate.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })
#define MAX_SEEDS 64
#define MAX_IMAGE (256u << 10)

struct seed {
	unsigned char *data;
	uint32_t size;
};

static struct seed seeds[MAX_SEEDS];
static unsigned int nseeds;
/* Followed by a PROT_NONE page: the kernel may write to it. */
static unsigned char *scratch;
#define SCRATCH_SIZE 4096
static unsigned long n_images, n_accepted, n_rejected, n_started,
	n_start_failed, n_random_ioctls, n_ops, n_seed_rejected,
	n_structural, n_raw, n_run_rounds;

#define rnd fz_rnd
#define below fz_below

/* ---------------------------------------------------- hand-built seeds */

struct builder {
	unsigned char buf[8192];
	struct vt_image_hdr *h;
	uint32_t off;
};

static void b_init(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	b->h = (struct vt_image_hdr *)b->buf;
	b->off = (sizeof(*b->h) + 7) & ~7u;	/* sections 8-aligned */
}

static void b_sect(struct builder *b, int id, const void *data, uint32_t count,
		   uint32_t entsize)
{
	b->h->sect[id] = (struct vt_section){ b->off, count, entsize, 0 };
	memcpy(b->buf + b->off, data, (size_t)count * entsize);
	b->off += (count * entsize + 7) & ~7u;
}

static void b_finish(struct builder *b, uint32_t strsize, uint32_t budget)
{
	struct vt_image_hdr *h = b->h;

	h->magic = VT_IMAGE_MAGIC;
	h->version = VT_ABI_VERSION;
	h->hdr_size = sizeof(*h);
	h->size = b->off;
	h->strsize = strsize;
	h->budget = budget;
	h->maxerrors = 10;
	if (nseeds < MAX_SEEDS) {
		seeds[nseeds].data = malloc(b->off);
		memcpy(seeds[nseeds].data, b->buf, b->off);
		seeds[nseeds++].size = b->off;
	}
}

static void build_seeds(void)
{
	static struct builder b;
	/* strtab: 1 "probe", 7 "%d\n", 12 "l", 14 "x", 16 "vt_no_such_sym_q", 33 "ls", 36 "%s %d\n" */
	static const char strtab[48] =
		"\0probe\0%d\\n\0l\0x\0vt_no_such_sym_q\0ls\0%s %d\\n";
	struct vt_format_desc fmts[] = { { 7, 12 }, { 36, 33 } };
	struct vt_global_desc g[] = { { 14, 0, 5 } };
	struct vt_global_desc sg[] = { { 14, 0, 1 } };
	struct vt_line_desc lines[] = { { 0, 1, 1, 1 }, { 2, 1, 2, 3 } };

	{	/* begin: printf("%d\n", 42); a loop; exit() */
		struct vt_insn code[] = {
			I(LDI, 0, 0, 0, 42), I(PRINTF, 0, 0, 0, 0),
			I(LDI, 1, 0, 0, 0), I(LOOP, 0, 0, 0, 0),
			I(LDI, 2, 0, 0, 1), I(ADD, 1, 1, 2, 0),
			I(LDI, 2, 0, 0, 50), I(LT, 2, 1, 2, 0),
			I(JNZ, 2, 0, 0, -6),
			I(CALLH, 0, 0, 0, VT_HELPER_exit), I(RET, 0, 0, 0, 0),
		};
		struct vt_unit_desc u[] = { { 0, 11, 3, 0, 1 } };
		struct vt_probe_desc p[] = { { VT_PROBE_BEGIN, 0, 0, 0, 0, 1, 0, 0, 0, 0 } };

		b_init(&b);
		b_sect(&b, VT_SECT_CODE, code, 11, sizeof(code[0]));
		b_sect(&b, VT_SECT_UNITS, u, 1, sizeof(u[0]));
		b_sect(&b, VT_SECT_STRTAB, strtab, sizeof(strtab), 1);
		b_sect(&b, VT_SECT_PROBES, p, 1, sizeof(p[0]));
		b_sect(&b, VT_SECT_FORMATS, fmts, 2, sizeof(fmts[0]));
		b_sect(&b, VT_SECT_LINES, lines, 2, sizeof(lines[0]));
		b_finish(&b, 64, 1000);
	}
	{	/* optional kprobe on an absent symbol; a timer; end */
		struct vt_insn code[] = {
			I(GLD, 0, 0, 0, 0), I(LDI, 1, 0, 0, 1),
			I(ADD, 0, 0, 1, 0), I(GST, 0, 0, 0, 0),
			I(RET, 0, 0, 0, 0),
			I(GLD, 0, 0, 0, 0), I(PRINTF, 0, 0, 0, 0),
			I(DIV, 1, 0, 1, 0), I(RET, 0, 0, 0, 0),
		};
		struct vt_unit_desc u[] = { { 0, 5, 2, 0, 1 },
					    { 5, 4, 2, 0, 1 } };
		struct vt_probe_desc p[] = {
			{ VT_PROBE_KPROBE, 0, 16, VT_PROBE_F_OPTIONAL, 0, 1, 0,
			  0, 0, 0 },
			{ VT_PROBE_TIMER, 0, 0, 0, 5000000, 1, 0, 0, 0, 0 },
			{ VT_PROBE_END, 1, 0, 0, 0, 1, 0, 0, 0, 0 },
		};

		b_init(&b);
		b_sect(&b, VT_SECT_CODE, code, 9, sizeof(code[0]));
		b_sect(&b, VT_SECT_UNITS, u, 2, sizeof(u[0]));
		b_sect(&b, VT_SECT_STRTAB, strtab, sizeof(strtab), 1);
		b_sect(&b, VT_SECT_LGLOBALS, g, 1, sizeof(g[0]));
		b_sect(&b, VT_SECT_PROBES, p, 3, sizeof(p[0]));
		b_sect(&b, VT_SECT_FORMATS, fmts, 2, sizeof(fmts[0]));
		b_finish(&b, 32, 500);
	}
	{	/* strings: slot work, a string global, printf("%s %d") */
		static const __s64 consts[] = { 1ll << 40, -1 };
		struct vt_insn code[] = {
			I(SLDC, 0, 0, 0, 14), I(SGLD, 1, 0, 0, 0),
			I(SCAT, 0, 0, 1, 0), I(SGST, 0, 0, 0, 0),
			I(SCMP, 0, 0, 1, 0), I(LDC, 1, 0, 0, 0),
			I(CALLH, 0, 0, 0, VT_HELPER_execname),
			I(CALLH, 0, 0, 0, VT_HELPER_pid),
			I(PRINTF, 0, 0, 0, 1), I(RET, 0, 0, 0, 0),
		};
		struct vt_unit_desc u[] = { { 0, 10, 2, 2, 1 } };
		struct vt_probe_desc p[] = {
			{ VT_PROBE_BEGIN, 0, 0, 0, 0, 1, 0, 0, 0, 0 },
			{ VT_PROBE_END, 0, 0, 0, 0, 1, 0, 0, 0, 0 },
		};

		b_init(&b);
		b_sect(&b, VT_SECT_CODE, code, 10, sizeof(code[0]));
		b_sect(&b, VT_SECT_UNITS, u, 1, sizeof(u[0]));
		b_sect(&b, VT_SECT_CONSTS, consts, 2, sizeof(consts[0]));
		b_sect(&b, VT_SECT_STRTAB, strtab, sizeof(strtab), 1);
		b_sect(&b, VT_SECT_SGLOBALS, sg, 1, sizeof(sg[0]));
		b_sect(&b, VT_SECT_PROBES, p, 2, sizeof(p[0]));
		b_sect(&b, VT_SECT_FORMATS, fmts, 2, sizeof(fmts[0]));
		b_finish(&b, 16, 200);
	}
	{	/* maps: x[long] (LONG), x (STAT, log histogram), autoprinted */
		struct vt_insn code[] = {
			I(LDI, 0, 0, 0, 3), I(LDI, 1, 0, 0, 7),
			I(MSET, 1, 0, 0, 0), I(MADD, 1, 0, 0, 0),
			I(MGET, 2, 0, 0, 0), I(SADD, 2, 0, 0, 1),
			I(SGET, 3, 0, 0, VT_AGG_K(1, VT_AGG_SUM)),
			I(PRINTF, 3, 0, 0, 0), I(RET, 0, 0, 0, 0),
			I(LDI, 0, 0, 0, 5), I(SADD, 0, 0, 0, 1),
			I(MDEL, 0, 0, 0, 0), I(MHAS, 1, 0, 0, 0),
			I(RET, 0, 0, 0, 0),
		};
		struct vt_unit_desc u[] = { { 0, 9, 4, 0, 1 },
					    { 9, 5, 2, 0, 1 } };
		struct vt_probe_desc p[] = {
			{ VT_PROBE_BEGIN, 0, 0, 0, 0, 1, 0, 0, 0, 0 },
			{ VT_PROBE_TIMER, 1, 0, 0, 2000000, 1, 0, 0, 0, 0 },
			{ VT_PROBE_END, 0, 0, 0, 0, 1, 0, 0, 0, 0 },
		};
		struct vt_map_desc maps[] = {
			{ .name = 14, .keysig = 12, .max_entries = 8,
			  .vkind = VT_MAPV_LONG },
			{ .name = 14, .keysig = 0, .max_entries = 1,
			  .vkind = VT_MAPV_STAT, .hist = VT_HIST_LOG,
			  .nbuckets = VT_HIST_LOG_BUCKETS },
		};
		__u32 autoprint[] = { VT_AUTOPRINT(VT_AUTOPRINT_MAP, 0),
				      VT_AUTOPRINT(VT_AUTOPRINT_MAP, 1) };

		b_init(&b);
		b_sect(&b, VT_SECT_CODE, code, 14, sizeof(code[0]));
		b_sect(&b, VT_SECT_UNITS, u, 2, sizeof(u[0]));
		b_sect(&b, VT_SECT_STRTAB, strtab, sizeof(strtab), 1);
		b_sect(&b, VT_SECT_PROBES, p, 3, sizeof(p[0]));
		b_sect(&b, VT_SECT_FORMATS, fmts, 2, sizeof(fmts[0]));
		b_sect(&b, VT_SECT_MAPS, maps, 2, sizeof(maps[0]));
		b_sect(&b, VT_SECT_AUTOPRINT, autoprint, 2, 4);
		b_finish(&b, 16, 200);
	}
}

static void load_seed_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	size_t n;

	if (!f || nseeds >= MAX_SEEDS) {
		if (f)
			fclose(f);
		return;
	}
	buf = malloc(MAX_IMAGE);
	n = fread(buf, 1, MAX_IMAGE, f);
	fclose(f);
	if (n < sizeof(struct vt_image_hdr)) {
		free(buf);
		return;
	}
	seeds[nseeds].data = buf;
	seeds[nseeds++].size = (uint32_t)n;
}

/* ----------------------------------------------------------- mutation */

static const uint32_t interesting[] = {
	0, 1, 2, 7, 8, 15, 16, 255, 256, 4095, 4096, 65535, 65536,
	0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, VT_IMAGE_MAX,
	VT_FRAME_MAX, VT_STRSIZE_MAX + 1,
};

/* An offset to mutate: the body (after the header) three times in four. */
static uint32_t pick(uint32_t size)
{
	uint32_t hs = sizeof(struct vt_image_hdr);

	return size > hs && below(4) ? hs + below(size - hs) : below(size);
}

static void put32(unsigned char *img, uint32_t size, uint32_t off,
		  uint32_t v)
{
	if (off + 4 <= size)
		memcpy(img + off, &v, 4);
}

static uint32_t mutate(unsigned char *img, uint32_t size)
{
	struct vt_image_hdr *h = (struct vt_image_hdr *)img;
	unsigned int n = below(4) ? 1 + below(2) : 1 + below(8), i;
	uint32_t off, sect;

	for (i = 0; i < n; i++) {
		switch (below(9)) {
		case 0:
			img[pick(size)] ^= (unsigned char)(1u << below(8));
			break;
		case 1:
			img[pick(size)] = (unsigned char)rnd();
			break;
		case 2:
			put32(img, size, pick(size) & ~3u,
			      interesting[below(sizeof(interesting) / 4)]);
			break;
		case 3:
			put32(img, size, pick(size) & ~3u,
			      below(2) ? (uint32_t)rnd() : below(64));
			break;
		case 4: /* a section field */
			sect = below(VT_SECT_SLOTS);
			off = offsetof(struct vt_image_hdr, sect) +
			      sect * sizeof(struct vt_section) + 4 * below(4);
			put32(img, size, off, below(2) ?
			      interesting[below(sizeof(interesting) / 4)] :
			      below(size + 64));
			break;
		case 5: /* a header field */
			off = 4 * below(offsetof(struct vt_image_hdr, sect) / 4);
			put32(img, size, off,
			      interesting[below(sizeof(interesting) / 4)]);
			break;
		case 6: /* an instruction's operands, in CODE */
			if (h->sect[VT_SECT_CODE].count &&
			    h->sect[VT_SECT_CODE].offset < size) {
				off = h->sect[VT_SECT_CODE].offset + 8 *
				      below(h->sect[VT_SECT_CODE].count);
				if (off + 8 <= size)
					img[off + below(8)] = (unsigned char)
						(below(2) ? below(VT_OP_COUNT + 2) :
						 rnd());
			}
			break;
		case 7: /* truncate (the header keeps its size) */
			if (size > 16)
				size -= 1 + below(size / 4);
			break;
		default: /* keep header.size in step with the size sent */
			if (size >= sizeof(*h))
				h->size = size;
			break;
		}
	}
	return size;
}

/* ------------------------------------------------------------- driving */

static int dev(void)
{
	int fd = open(VT_DEVICE_PATH, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		exit(1);
	}
	return fd;
}

static uint64_t random_ptr(void)
{
	switch (below(6)) {
	case 0: return 0;
	case 1: return 8;
	case 2: return rnd();
	case 3: return (uintptr_t)scratch;
	case 4: return (uintptr_t)(scratch + SCRATCH_SIZE - 8);
	default: return 0xffffffff81000000ull;	/* kernel text */
	}
}

static void random_status(int fd)
{
	struct vt_status st;

	memset(&st, 0, sizeof(st));
	if (below(4) == 0) {
		st.percpu = random_ptr();
		st.percpu_cap = below(2) ? below(8) : (uint32_t)rnd();
		st.ctx_skipped = random_ptr();
	} else {
		st.percpu = (uintptr_t)scratch;
		st.percpu_cap = SCRATCH_SIZE / sizeof(struct vt_cpu_status);
		st.ctx_skipped = (uintptr_t)(scratch + 2048);
	}
	if (below(16) == 0)
		st.probes_skipped = 1;
	ioctl(fd, VT_IOC_STATUS, &st);
}

static void random_ioctl(int fd)
{
	unsigned int dir = below(4), nr = below(16);
	unsigned int size = below(2) ? below(128) : sizeof(struct vt_status);
	unsigned long cmd = _IOC(dir, VT_IOC_MAGIC, nr, size);

	n_random_ioctls++;
	memset(scratch, 0, SCRATCH_SIZE);
	if (below(2))
		for (size = 0; size < 256; size++)
			scratch[size] = (unsigned char)rnd();
	/* LOAD, START, STOP, STATUS numbers with odd args are fine too. */
	ioctl(fd, cmd, (unsigned long)random_ptr());
}

/* SNAPSHOT with random fields: what, index, size, buffer. */
static void random_snapshot(int fd)
{
	struct vt_snapshot sn = {
		.what = below(4) ? below(2) : (unsigned int)rnd(),
		.index = below(4) ? below(4) : (unsigned int)rnd(),
		.buf = random_ptr(),
		.size = below(2) ? below(SCRATCH_SIZE) : rnd(),
		.reserved = below(16) == 0,
	};

	ioctl(fd, VT_IOC_SNAPSHOT,
	      below(32) ? (unsigned long)&sn : (unsigned long)random_ptr());
}

/* Random STATUS, SNAPSHOT, STOP, read, poll and random ioctls; START
 * only if @may_start; with @pause, up to ~2 ms between them (timers fire). */
static void random_ops(int fd, bool may_start, bool pause)
{
	unsigned int n = below(6) + (pause ? 2 : 0), i;
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t r;

	for (i = 0; i < n; i++) {
		n_ops++;
		if (pause && below(2))
			usleep(below(2000));
		switch (below(8)) {
		case 0: case 6: random_status(fd); break;
		case 5: random_snapshot(fd); break;
		case 1: ioctl(fd, VT_IOC_STOP); break;
		case 2:
			if (may_start)
				ioctl(fd, VT_IOC_START);
			break;
		case 3:
			r = read(fd, scratch, below(2) ? SCRATCH_SIZE :
				 below(64));
			(void)r;
			break;
		case 4: poll(&p, 1, 0); break;
		default: random_ioctl(fd); break;
		}
	}
}

/*
 * Round @r's image into @img; its size.  The random state is made from
 * (@seed, @r), so the image does not depend on earlier rounds.  *run: a
 * run round (event probes made safe).  *pristine: the seed unchanged.
 */
static uint32_t make_image(unsigned char *img, uint64_t seed, uint64_t r,
			   unsigned int start_pct, bool *run, bool *pristine)
{
	const struct seed *sd;
	struct fz_img f;
	uint32_t size;
	unsigned int n;

	fz_reseed(seed, r);
	sd = &seeds[below(nseeds)];
	*run = below(100) < start_pct;
	*pristine = below(50) == 0;	/* 2%: the seed as it is */
	memcpy(img, sd->data, sd->size);
	size = sd->size;
	if (*pristine)
		return size;
	if (below(8) == 0) {		/* raw bytes only */
		n_raw++;
		return mutate(img, size);
	}
	n_structural++;
	fz_decode(&f, img, size);
	for (n = 1 + (below(4) ? below(2) : below(4)); n; n--)
		fz_mutate(&f);
	if (*run)
		fz_make_safe(&f);
	size = fz_encode(&f, img, MAX_IMAGE);
	fz_free(&f);
	if (below(6) == 0)
		size = mutate(img, size);
	return size;
}

static double since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(bool to_file, unsigned long r)
{
	const char *path = getenv("VTRACE_PROGRESS");
	FILE *f;

	if (!to_file || !path)
		return;
	f = fopen(path, "a");
	if (f) {
		fprintf(f, "ioctl_fuzz %lu 120\n", r);
		fclose(f);
	}
}

/* -R: write round @r's image to @path. */
static int write_round(uint64_t seed, uint64_t r, unsigned int start_pct,
		       const char *path)
{
	static _Alignas(8) unsigned char img[MAX_IMAGE];
	bool run, pristine;
	uint32_t size = make_image(img, seed, r, start_pct, &run, &pristine);
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(img, 1, size, f) != size || fclose(f)) {
		perror(path);
		return 1;
	}
	printf("round %llu: %u bytes%s%s -> %s\n", (unsigned long long)r,
	       size, run ? ", run round" : "", pristine ? ", the seed" : "",
	       path);
	return 0;
}

int main(int argc, char **argv)
{
	static _Alignas(8) unsigned char img[MAX_IMAGE];
	unsigned long rounds = 100000, first = 0, r, replay = ~0ul;
	uint64_t seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull | 1;
	unsigned int start_pct = 30;
	const char *out = NULL;
	bool to_file = false;
	struct timespec t0;
	int opt, fd, i;
	double secs;

	scratch = mmap(NULL, 2 * SCRATCH_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED ||
	    mprotect(scratch + SCRATCH_SIZE, SCRATCH_SIZE, PROT_NONE))
		return 2;
	while ((opt = getopt(argc, argv, "n:s:S:f:PR:o:")) != -1) {
		switch (opt) {
		case 'n': rounds = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'S': start_pct = (unsigned int)atoi(optarg); break;
		case 'f': first = strtoul(optarg, NULL, 0); break;
		case 'P': to_file = true; break;
		case 'R': replay = strtoul(optarg, NULL, 0); break;
		case 'o': out = optarg; break;
		default: return 2;
		}
	}
	build_seeds();
	for (i = optind; i < argc; i++)
		load_seed_file(argv[i]);
	if (replay != ~0ul)
		return out ? write_round(seed, replay, start_pct, out) : 2;
	printf("seed=0x%llx rounds %lu..%lu, %u seed images\n",
	       (unsigned long long)seed, first, first + rounds - 1, nseeds);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (r = first; r < first + rounds; r++) {
		struct vt_load_req req = { 0 };
		static char log[256];
		bool run, pristine, safe;
		uint32_t size;

		size = make_image(img, seed, r, start_pct, &run, &pristine);
		n_images++;
		n_run_rounds += run;
		fd = dev();
		req.image = (uintptr_t)img;
		req.image_size = size;
		if (pristine || below(2)) {
			req.log = (uintptr_t)log;
			req.log_size = sizeof(log);
		}
		if (ioctl(fd, VT_IOC_LOAD, &req)) {
			n_rejected++;
			if (pristine && !n_seed_rejected++)
				printf("a seed image was rejected: %s: %s\n",
				       strerror(errno), log);
			if (below(8) == 0)
				random_ops(fd, false, false);
		} else {
			n_accepted++;
			safe = fz_safe_to_start(img, size);
			if (run && safe) {
				if (ioctl(fd, VT_IOC_START) == 0)
					n_started++;
				else
					n_start_failed++;
				random_ops(fd, true, true);
			} else if (below(4) == 0) {
				random_ops(fd, false, false);
			}
		}
		if (r % 16 == 0)
			random_ioctl(fd);
		close(fd);
		if ((r + 1) % 1000 == 0)
			progress(to_file, r + 1);
		if ((r + 1) % 10000 == 0) {
			printf("... %lu rounds, %lu accepted, %lu run, %.1f s\n",
			       r + 1 - first, n_accepted, n_started, since(&t0));
			fflush(stdout);
		}
	}
	secs = since(&t0);
	printf("images=%lu structural=%lu raw=%lu accepted=%lu rejected=%lu "
	       "run=%lu start_failed=%lu run_rounds=%lu random_ioctls=%lu "
	       "ops=%lu in %.1f s, %.0f images/s\n",
	       n_images, n_structural, n_raw, n_accepted, n_rejected,
	       n_started, n_start_failed, n_run_rounds, n_random_ioctls,
	       n_ops, secs, secs > 0 ? n_images / secs : 0.0);
	return n_seed_rejected ? 1 : 0;
}
