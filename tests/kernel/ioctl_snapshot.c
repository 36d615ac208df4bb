// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_snapshot: VT_IOC_SNAPSHOT on a hand-built program with maps.
 *
 *   ioctl_snapshot [-n READS]
 *
 * The program: begin sets counts[7] = 42 and counts[8] = 43; a kprobe on
 * ksys_read, filtered to the pids of one child pinned to each CPU, does
 * counts[100 + cpu()] += 1, lat <<< 3 (a scalar statistic with a log
 * histogram) and percpu[cpu()] <<< 1.  Each child makes READS (1000)
 * read(2) calls.  Then, while running and after STOP, the maps and the
 * globals are snapshot and parsed with vm/map.h, and every count must be
 * exact: per key, per CPU value slot and merged.  Exits 0 if so.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vt_isa.h"
#include "map.h"
#include "image_build.h"

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })
#define NCHILD_MAX 16

static int failures;

static void check(const char *what, long long got, long long want)
{
	if (got != want) {
		printf("FAIL %s: got %lld, expected %lld\n", what, got, want);
		failures++;
	} else {
		printf("ok   %s = %lld\n", what, got);
	}
}

/* Snapshot @what/@index into a fresh buffer; returns it, *size its bytes. */
static void *snap(int fd, __u32 what, __u32 index, __u64 *size,
		  __u32 *nvslots)
{
	struct vt_snapshot sn = { .what = what, .index = index };
	void *buf;

	if (ioctl(fd, VT_IOC_SNAPSHOT, &sn) == 0 || errno != ENOSPC) {
		printf("FAIL size query of %u/%u: %s\n", what, index,
		       strerror(errno));
		exit(1);
	}
	buf = malloc(sn.size + 1);
	sn.buf = (uintptr_t)buf;
	if (!buf || ioctl(fd, VT_IOC_SNAPSHOT, &sn)) {
		printf("FAIL snapshot of %u/%u: %s\n", what, index,
		       strerror(errno));
		exit(1);
	}
	*size = sn.size;
	if (nvslots)
		*nvslots = sn.nvslots;
	return buf;
}

/* Slot @s of entry @e's statistic, if it counts for @e (vm/map.h). */
static const struct vt_stat *slot(struct vt_map_hdr *h, struct vt_map_entry *e,
				  __u32 s)
{
	static const struct vt_stat none;
	struct vt_map_vslot *sl = vt_map_vslot(h, e, s);

	return sl->seq == e->seq ? &sl->st : &none;
}

/* Entry of a map copy whose first long key is @key, or NULL. */
static struct vt_map_entry *find(struct vt_map_hdr *h, __s64 key)
{
	__u32 i;

	for (i = 0; i < h->max_entries; i++) {
		struct vt_map_entry *e = vt_map_entry(h, i);
		__s64 k;

		memcpy(&k, vt_map_keyp(e), sizeof(k));
		if (e->live && k == key)
			return e;
	}
	return NULL;
}

static void check_maps(int fd, const char *when, int nchild, long reads,
		       __u32 ncpus, const int *cpus)
{
	struct vt_map_hdr *h;
	struct vt_map_entry *e;
	__u64 size, total = 0;
	__u32 nvslots, s;
	char what[128];
	__s64 v;
	int i;

	printf("-- %s\n", when);
	h = snap(fd, VT_SNAP_MAP, 0, &size, &nvslots);
	check("counts: magic ok", h->magic == VT_MAP_MAGIC, 1);
	check("counts: nvslots = 2 * ncpus", nvslots, 2 * ncpus);
	check("counts: live entries", h->live, 2 + nchild);
	e = find(h, 7);
	memcpy(&v, e ? vt_map_val(h, e) : (__u8 *)&total, 8);
	check("counts[7]", v, 42);
	e = find(h, 8);
	memcpy(&v, e ? vt_map_val(h, e) : (__u8 *)&total, 8);
	check("counts[8]", v, 43);
	for (i = 0; i < nchild; i++) {
		e = find(h, 100 + cpus[i]);
		v = 0;
		if (e)
			memcpy(&v, vt_map_val(h, e), 8);
		snprintf(what, sizeof(what), "counts[100 + %d]", cpus[i]);
		check(what, v, reads);
	}
	free(h);

	h = snap(fd, VT_SNAP_MAP, 1, &size, &nvslots);
	check("lat: nvslots", h->nvslots, 2 * ncpus);
	e = NULL;
	for (s = 0; s < h->max_entries; s++)
		if (vt_map_entry(h, s)->live)
			e = vt_map_entry(h, s);
	check("lat: one live entry", e != NULL, 1);
	if (e) {
		__s64 sum = 0, bucket = 0;

		for (i = 0; i < nchild; i++) {
			__u32 c = cpus[i];
			__s64 n = slot(h, e, 2 * c)->count +
				  slot(h, e, 2 * c + 1)->count;

			snprintf(what, sizeof(what),
				 "lat: count in CPU %u's slots", c);
			check(what, n, reads);
		}
		for (s = 0; s < h->nvslots; s++) {
			const struct vt_stat *st = slot(h, e, s);
			const __s64 *hist = (const __s64 *)
				(vt_map_vslot(h, e, s) + 1);

			total += st->count;
			sum += st->sum;
			bucket += st->count ? hist[VT_HIST_LOG_ZERO + 2] : 0;
		}
		check("lat: merged count", total, (long long)reads * nchild);
		check("lat: merged sum", sum, 3LL * reads * nchild);
		check("lat: hist bucket [2,4)", bucket,
		      (long long)reads * nchild);
	}
	free(h);

	h = snap(fd, VT_SNAP_MAP, 2, &size, &nvslots);
	for (i = 0; i < nchild; i++) {
		e = find(h, cpus[i]);
		total = 0;
		for (s = 0; e && s < h->nvslots; s++)
			total += slot(h, e, s)->count;
		snprintf(what, sizeof(what), "percpu[%d] merged count",
			 cpus[i]);
		check(what, total, reads);
	}
	free(h);
}

int main(int argc, char **argv)
{
	long reads = 1000, r;
	int opt, fd, i, nchild = 0, go[2], cpus[NCHILD_MAX];
	pid_t pids[NCHILD_MAX];
	struct vt_insn code[256];
	__u32 n = 0, body, jumps[NCHILD_MAX];
	struct sect sec[VT_SECT_COUNT] = { 0 };
	struct vt_status st = { 0 };
	struct vt_snapshot sn = { 0 };
	cpu_set_t set;
	void *img;
	__u32 size, nvs;
	__u64 gsize;
	char *g;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n')
			return 2;
		reads = atol(optarg);
	}
	if (sched_getaffinity(0, sizeof(set), &set) || pipe(go))
		return 2;
	for (i = 0; i < CPU_SETSIZE && nchild < NCHILD_MAX; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		cpus[nchild] = i;
		pids[nchild] = fork();
		if (pids[nchild] < 0)
			return 2;
		if (!pids[nchild]) {
			/* Waits in poll(2), not read(2): no read before go. */
			struct pollfd pfd = { go[0], POLLIN, 0 };
			cpu_set_t one;
			char buf[8];
			int z = open("/dev/zero", O_RDONLY);

			CPU_ZERO(&one);
			CPU_SET(i, &one);
			close(go[1]);
			if (z < 0 || sched_setaffinity(0, sizeof(one), &one) ||
			    poll(&pfd, 1, -1) != 1)
				_exit(2);
			for (r = 0; r < reads; r++)
				if (read(z, buf, sizeof(buf)) != sizeof(buf))
					_exit(3);
			_exit(0);
		}
		nchild++;
	}
	close(go[0]);

	/* 0: begin */
	code[n++] = I(LDI, 0, 0, 0, 7);
	code[n++] = I(LDI, 1, 0, 0, 42);
	code[n++] = I(MSET, 1, 0, 0, 0);
	code[n++] = I(LDI, 0, 0, 0, 8);
	code[n++] = I(LDI, 1, 0, 0, 43);
	code[n++] = I(MSET, 1, 0, 0, 0);
	code[n++] = I(RET, 0, 0, 0, 0);
	/* 7: kprobe: only the children */
	code[n++] = I(CALLH, 0, 0, 0, VT_HELPER_pid);
	for (i = 0; i < nchild; i++) {
		code[n++] = I(LDI, 1, 0, 0, pids[i]);
		code[n++] = I(EQ, 2, 0, 1, 0);
		jumps[i] = n;
		code[n++] = I(JNZ, 2, 0, 0, 0);
	}
	code[n++] = I(RET, 0, 0, 0, 0);
	body = n;
	for (i = 0; i < nchild; i++)
		code[jumps[i]].k = body - jumps[i] - 1;
	code[n++] = I(CALLH, 3, 0, 0, VT_HELPER_cpu);
	code[n++] = I(LDI, 4, 0, 0, 1);
	code[n++] = I(LDI, 5, 0, 0, 100);
	code[n++] = I(ADD, 5, 5, 3, 0);
	code[n++] = I(MADD, 4, 5, 0, 0);	/* counts[100 + cpu] += 1 */
	code[n++] = I(LDI, 6, 0, 0, 3);
	code[n++] = I(SADD, 6, 0, 0, 1);	/* lat <<< 3 */
	code[n++] = I(SADD, 4, 3, 0, 2);	/* percpu[cpu] <<< 1 */
	code[n++] = I(RET, 0, 0, 0, 0);

	struct vt_unit_desc units[] = {
		{ 0, 7, 2, 0, str("probe begin") },
		{ 7, n - 7, 8, 0, str("probe kprobe") },
	};
	struct vt_probe_desc probes[] = {
		{ .type = VT_PROBE_BEGIN, .unit = 0, .point = str("begin") },
		{ .type = VT_PROBE_KPROBE, .unit = 1,
		  .target = str("ksys_read"),
		  .point = str("kernel.function(\"ksys_read\")") },
	};
	struct vt_global_desc lg[] = {
		{ str("g"), 0, 5 }, { str("h"), 0, -3 },
	};
	struct vt_global_desc sg[] = { { str("s"), 0, str("hi") } };
	struct vt_map_desc maps[] = {
		{ .name = str("counts"), .keysig = str("l"),
		  .max_entries = 16, .vkind = VT_MAPV_LONG },
		{ .name = str("lat"), .keysig = 0, .max_entries = 1,
		  .vkind = VT_MAPV_STAT, .hist = VT_HIST_LOG,
		  .nbuckets = VT_HIST_LOG_BUCKETS },
		{ .name = str("percpu"), .keysig = str("l"),
		  .max_entries = 64, .vkind = VT_MAPV_STAT },
	};
	sec[VT_SECT_CODE] = (struct sect){ code, n, sizeof(code[0]) };
	sec[VT_SECT_UNITS] = (struct sect){ units, 2, sizeof(units[0]) };
	sec[VT_SECT_PROBES] = (struct sect){ probes, 2, sizeof(probes[0]) };
	sec[VT_SECT_LGLOBALS] = (struct sect){ lg, 2, sizeof(lg[0]) };
	sec[VT_SECT_SGLOBALS] = (struct sect){ sg, 1, sizeof(sg[0]) };
	sec[VT_SECT_MAPS] = (struct sect){ maps, 3, sizeof(maps[0]) };
	sec[VT_SECT_STRTAB] = (struct sect){ strtab, strtab_len, 1 };
	size = build(&img, sec, 1000, 100);

	static char log[VT_LOG_MAX];
	struct vt_load_req req = { (uintptr_t)img, (uintptr_t)log, size,
				   sizeof(log) };

	fd = open(VT_DEVICE_PATH, O_RDWR);
	if (fd < 0) {
		perror("open " VT_DEVICE_PATH);
		return 1;
	}
	sn.what = VT_SNAP_GLOBALS;
	if (ioctl(fd, VT_IOC_LOAD, &req)) {
		printf("FAIL LOAD: %s: %s\n", strerror(errno), log);
		return 1;
	}
	check("SNAPSHOT before START fails with EINVAL",
	      ioctl(fd, VT_IOC_SNAPSHOT, &sn) ? errno : 0, EINVAL);
	if (ioctl(fd, VT_IOC_START)) {
		printf("FAIL START: %s\n", strerror(errno));
		return 1;
	}
	close(go[1]);		/* the children go */
	for (i = 0; i < nchild; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL child on CPU %d\n", cpus[i]);
			failures++;
		}
	}
	st.percpu = 0;
	if (ioctl(fd, VT_IOC_STATUS, &st))
		return 1;
	printf("%d children on %u CPUs, %ld reads each\n", nchild, st.ncpus,
	       reads);
	check("errors", st.total.errors, 0);
	check_maps(fd, "running", nchild, reads, st.ncpus, cpus);

	g = snap(fd, VT_SNAP_GLOBALS, 0, &gsize, &nvs);
	check("globals: size", gsize, 2 * 8 + 64);
	check("globals: g", ((__s64 *)g)[0], 5);
	check("globals: h", ((__s64 *)g)[1], -3);
	check("globals: s is \"hi\"", strcmp(g + 16, "hi"), 0);
	free(g);

	if (ioctl(fd, VT_IOC_STOP))
		return 1;
	check_maps(fd, "stopped", nchild, reads, st.ncpus, cpus);
	close(fd);
	free(img);
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all snapshots exact\n");
	return failures ? 1 : 0;
}
