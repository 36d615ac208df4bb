// SPDX-License-Identifier: GPL-2.0-only
/*
 * ioctl_snapbig: VT_IOC_SNAPSHOT of a big array of strings, taken again
 * and again while probes on every CPU insert into it and update it.
 *
 *   ioctl_snapbig [-e ENTRIES] [-s SNAPSHOTS]
 *
 * The program (hand-built): a kprobe on ksys_read, filtered to one child
 * pinned to each CPU, does
 *
 *	ctr[cpu()] += 1; n = ctr[cpu()]; lat[cpu()] <<< n; big["hot"] += 1
 *	for (j = 0; j < 32; j++)
 *		big[sprintf("c%d-%d-%d", cpu(), n, j)] = n * 1024 + cpu() * 32 + j
 *
 * The children read until big holds ENTRIES (default 300,000) keys, then
 * go on, slower, while the parent takes SNAPSHOTS (5) snapshots of big, then
 * stop.  Each snapshot must pass vt_map_check(), hold every key inserted
 * before it began (n below the ctr copied just before) exactly once, and
 * each with its own value.  No firing may fault BUSY (a snapshot used to
 * hold the map's lock across the whole copy: firings elsewhere spun to
 * their time cap and faulted BUSY) and the session must still be
 * running.  After STOP the copy must be exact.  A loaded TCG host may
 * stall a vCPU past a firing's time cap: such faults (TIME) are counted
 * and allowed for (a firing they abort leaves keys missing), not failed.
 * Exits 0 if all holds.
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vt_isa.h"
#include "map.h"
#include "image_build.h"
#include "vt_vm.h"

/*
 * The loader's host hook (vm/prog.c comes in with libvtrace.a for
 * vt_map_check()); this program verifies nothing with it: never stop.
 */
bool vt_host_load_yield(u64 steps)
{
	(void)steps;
	return false;
}

#define I(op, a, b, c, k) ((struct vt_insn){ VT_OP_##op, a, b, c, k })
#define NCHILD_MAX 16
#define BIG_ENTRIES (1u << 20)	/* 117 MB with strsize 64 */
#define MAP_BIG 0
#define MAP_CTR 1
#define MAP_LAT 2
#define MAP_DUR 3
#define KEYS 32		/* keys a firing inserts */

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

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Faults seen in the output: BUSY, and any other (a loaded host's TIME). */
static long nbusy, nother;

/* Read the output records buffered; count and print the errors. */
static void drain(int fd)
{
	static char buf[1 << 16];
	struct vt_rec_error er;
	struct vt_rec rec;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (size_t pos = 0; pos + sizeof(rec) <= (size_t)n;
		     pos += (rec.size + 7u) & ~(size_t)7) {
			memcpy(&rec, buf + pos, sizeof(rec));
			if (rec.size < sizeof(rec))
				break;
			if (rec.type != VT_REC_ERROR)
				continue;
			memcpy(&er, buf + pos + sizeof(rec), sizeof(er));
			printf("     error on CPU %u: fault %u at pc %u\n",
			       rec.cpu, er.fault, er.pc);
			if (er.fault == VT_FAULT_BUSY)
				nbusy++;
			else
				nother++;
		}
	}
}

/* Seconds the last snapshot ioctl took. */
static double copy_s;

/* A snapshot of map @index into a buffer kept across calls. */
static struct vt_map_hdr *snap(int fd, __u32 index, void **buf, __u64 *cap)
{
	struct vt_snapshot sn = { .what = VT_SNAP_MAP, .index = index };

	if (ioctl(fd, VT_IOC_SNAPSHOT, &sn) == 0 || errno != ENOSPC) {
		printf("FAIL size query of map %u: %s\n", index,
		       strerror(errno));
		exit(1);
	}
	if (sn.size > *cap) {
		free(*buf);
		*buf = aligned_alloc(8, (sn.size + 7) & ~7ull);
		*cap = sn.size;
	}
	sn.buf = (uintptr_t)*buf;
	copy_s = now();
	if (!*buf || ioctl(fd, VT_IOC_SNAPSHOT, &sn)) {
		printf("FAIL snapshot of map %u: %s\n", index, strerror(errno));
		exit(1);
	}
	copy_s = now() - copy_s;
	if (vt_map_check(*buf, sn.size)) {
		printf("FAIL snapshot of map %u: vt_map_check\n", index);
		exit(1);
	}
	return *buf;
}

/* ctr[cpus[i]] for each child, from a snapshot of ctr. */
static void counters(int fd, int nchild, const int *cpus, long long *ctr)
{
	static void *buf;
	static __u64 cap;
	struct vt_map_hdr *h = snap(fd, MAP_CTR, &buf, &cap);

	for (int i = 0; i < nchild; i++)
		ctr[i] = 0;
	for (__u32 e = 0; e < h->max_entries; e++) {
		struct vt_map_entry *me = vt_map_entry(h, e);
		__s64 key, v;

		if (!me->live)
			continue;
		memcpy(&key, vt_map_keyp(me), 8);
		memcpy(&v, vt_map_val(h, me), 8);
		for (int i = 0; i < nchild; i++)
			if (key == cpus[i])
				ctr[i] = v;
	}
}

/*
 * Check a snapshot of big: every key well formed, with its value, once;
 * every key with n < @before[i] on child i's CPU there.  Returns the
 * live entries; *@hot gets big["hot"].
 */
static long check_big(struct vt_map_hdr *h, int nchild, const int *cpus,
		      const long long *before, long nmax, long long *hot,
		      unsigned char *seen)
{
	long live = 0, missing = 0, bad = 0, dup = 0;
	int cpu, i;
	long n, j;

	memset(seen, 0, (size_t)nchild * (nmax + 1) * KEYS);
	*hot = -1;
	for (__u32 e = 0; e < h->max_entries; e++) {
		struct vt_map_entry *me = vt_map_entry(h, e);
		const char *key = (const char *)vt_map_keyp(me);
		__s64 v;

		if (!me->live)
			continue;
		live++;
		memcpy(&v, vt_map_val(h, me), 8);
		if (!strcmp(key, "hot")) {
			dup += *hot >= 0;
			*hot = v;
			continue;
		}
		if (sscanf(key, "c%d-%ld-%ld", &cpu, &n, &j) != 3 ||
		    n < 1 || n > nmax || j < 0 || j >= KEYS ||
		    v != n * 1024 + cpu * KEYS + j) {
			if (bad++ < 5)
				printf("     bad entry \"%.60s\" = %lld\n", key,
				       (long long)v);
			continue;
		}
		for (i = 0; i < nchild && cpus[i] != cpu; i++)
			;
		if (i == nchild) {
			bad++;
			continue;
		}
		dup += seen[(i * (nmax + 1) + n) * KEYS + j]++ != 0;
	}
	/* A firing aborted by a fault leaves its keys from one on out. */
	for (i = 0; i < nchild; i++)
		for (n = 1; n < before[i] && n <= nmax; n++)
			for (j = 0; j < KEYS; j++)
				if (!seen[(i * (nmax + 1) + n) * KEYS + j]) {
					missing++;
					break;
				}
	check("     malformed or wrong-valued entries", bad, 0);
	check("     keys copied twice", dup, 0);
	printf("     firings before the copy with keys missing: %ld "
	       "(faults so far: %ld)\n", missing, nbusy + nother);
	if (missing > nbusy + nother) {
		printf("FAIL keys inserted before the copy are missing\n");
		failures++;
	}
	return live;
}

/* The children: read until *stop is 2 (slowly from 1), or nmax reads. */
static int fork_children(int *cpus, pid_t *pids, const int *go,
			 volatile int *stop, long nmax)
{
	cpu_set_t set;
	int nchild = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		exit(2);
	for (int i = 0; i < CPU_SETSIZE && nchild < NCHILD_MAX; i++) {
		if (!CPU_ISSET(i, &set))
			continue;
		cpus[nchild] = i;
		pids[nchild] = fork();
		if (pids[nchild] < 0)
			exit(2);
		if (!pids[nchild]) {
			struct pollfd pfd = { go[0], POLLIN, 0 };
			int z = open("/dev/zero", O_RDONLY);
			cpu_set_t one;
			char buf[8];

			CPU_ZERO(&one);
			CPU_SET(i, &one);
			close(go[1]);
			if (z < 0 || sched_setaffinity(0, sizeof(one), &one) ||
			    poll(&pfd, 1, -1) != 1)
				_exit(2);
			for (long r = 0; r < nmax && *stop < 2; r++) {
				double t = now();

				if (read(z, buf, sizeof(buf)) != sizeof(buf))
					_exit(3);
				/* Twice as long in user space: no OVERLOAD. */
				t = now() + 2 * (now() - t);
				while (now() < t)
					;
				if (*stop)	/* filled: keep room */
					usleep(10000);
			}
			_exit(0);
		}
		nchild++;
	}
	return nchild;
}

/* The program of the file comment, for children @pids. */
static __u32 program(void **img, const pid_t *pids, int nchild)
{
	static struct vt_insn code[256];
	__u32 n = 0, body, loop, exit, jumps[NCHILD_MAX];
	struct sect sec[VT_SECT_COUNT] = { 0 };
	int i;

	code[n++] = I(RET, 0, 0, 0, 0);		/* 0: begin */
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
	code[n++] = I(CALLH, 13, 0, 0, VT_HELPER_gettimeofday_ns);
	code[n++] = I(CALLH, 3, 0, 0, VT_HELPER_cpu);
	code[n++] = I(LDI, 6, 0, 0, 1);
	code[n++] = I(MADD, 6, 3, 0, MAP_CTR);	/* ctr[cpu] += 1 */
	code[n++] = I(MGET, 4, 3, 0, MAP_CTR);	/* n */
	code[n++] = I(SADD, 4, 3, 0, MAP_LAT);	/* lat[cpu] <<< n */
	code[n++] = I(SLDC, 1, 0, 0, str("hot"));
	code[n++] = I(MADD, 6, 0, 1, MAP_BIG);	/* big["hot"] += 1 */
	code[n++] = I(LDI, 5, 0, 0, 0);		/* j */
	code[n++] = I(LDI, 10, 0, 0, KEYS);
	code[n++] = I(LDI, 11, 0, 0, 1);
	loop = n;
	code[n++] = I(LOOP, 0, 0, 0, 0);
	code[n++] = I(LT, 12, 5, 10, 0);
	exit = n;
	code[n++] = I(JZ, 12, 0, 0, 0);
	code[n++] = I(SPRINTF, 0, 3, 0, 0);	/* "c%d-%d-%d" */
	code[n++] = I(LDI, 8, 0, 0, 1024);
	code[n++] = I(MUL, 7, 4, 8, 0);
	code[n++] = I(LDI, 8, 0, 0, KEYS);
	code[n++] = I(MUL, 9, 3, 8, 0);
	code[n++] = I(ADD, 7, 7, 9, 0);
	code[n++] = I(ADD, 7, 7, 5, 0);
	code[n++] = I(MSET, 7, 0, 0, MAP_BIG);
	code[n++] = I(ADD, 5, 5, 11, 0);
	code[n] = I(JMP, 0, 0, 0, (__s32)loop - (__s32)n - 1);
	n++;
	code[exit].k = n - exit - 1;
	code[n++] = I(CALLH, 14, 0, 0, VT_HELPER_gettimeofday_ns);
	code[n++] = I(SUB, 14, 14, 13, 0);
	code[n++] = I(SADD, 14, 3, 0, MAP_DUR);	/* dur[cpu] <<< ns */
	code[n++] = I(RET, 0, 0, 0, 0);

	static struct vt_unit_desc units[2];
	static struct vt_probe_desc probes[2];
	static struct vt_format_desc formats[1];
	static struct vt_map_desc maps[4];

	units[0] = (struct vt_unit_desc){ 0, 1, 1, 0, str("probe begin") };
	units[1] = (struct vt_unit_desc){ 1, n - 1, 15, 2,
					  str("probe kprobe") };
	probes[0] = (struct vt_probe_desc){ .type = VT_PROBE_BEGIN, .unit = 0,
					    .point = str("begin") };
	probes[1] = (struct vt_probe_desc){
		.type = VT_PROBE_KPROBE, .unit = 1, .target = str("ksys_read"),
		.point = str("kernel.function(\"ksys_read\")") };
	formats[0] = (struct vt_format_desc){ str("c%d-%d-%d"), str("lll") };
	maps[MAP_BIG] = (struct vt_map_desc){
		.name = str("big"), .keysig = str("s"),
		.max_entries = BIG_ENTRIES, .vkind = VT_MAPV_LONG };
	maps[MAP_CTR] = (struct vt_map_desc){
		.name = str("ctr"), .keysig = str("l"), .max_entries = 64,
		.vkind = VT_MAPV_LONG };
	maps[MAP_LAT] = (struct vt_map_desc){
		.name = str("lat"), .keysig = str("l"), .max_entries = 64,
		.vkind = VT_MAPV_STAT };
	maps[MAP_DUR] = (struct vt_map_desc){
		.name = str("dur"), .keysig = str("l"), .max_entries = 64,
		.vkind = VT_MAPV_STAT, .hist = VT_HIST_LOG,
		.nbuckets = VT_HIST_LOG_BUCKETS };
	sec[VT_SECT_CODE] = (struct sect){ code, n, sizeof(code[0]) };
	sec[VT_SECT_UNITS] = (struct sect){ units, 2, sizeof(units[0]) };
	sec[VT_SECT_PROBES] = (struct sect){ probes, 2, sizeof(probes[0]) };
	sec[VT_SECT_FORMATS] = (struct sect){ formats, 1, sizeof(formats[0]) };
	sec[VT_SECT_MAPS] = (struct sect){ maps, 4, sizeof(maps[0]) };
	sec[VT_SECT_STRTAB] = (struct sect){ strtab, strtab_len, 1 };
	return build(img, sec, 1000, 1000000);
}

/* The slot @s of entry @e counts for it. */
static int slot_counts(struct vt_map_hdr *h, struct vt_map_entry *e, __u32 s)
{
	return vt_map_vslot(h, e, s)->seq == e->seq;
}

/* lat[cpus[i]]'s merged count from a snapshot (slots of its seq). */
static long long lat_count(int fd, int cpu)
{
	static void *buf;
	static __u64 cap;
	struct vt_map_hdr *h = snap(fd, MAP_LAT, &buf, &cap);
	long long total = 0;

	for (__u32 e = 0; e < h->max_entries; e++) {
		struct vt_map_entry *me = vt_map_entry(h, e);
		__s64 key;

		memcpy(&key, vt_map_keyp(me), 8);
		if (!me->live || key != cpu)
			continue;
		for (__u32 s = 0; s < h->nvslots; s++)
			if (slot_counts(h, me, s))
				total += vt_map_vslot(h, me, s)->st.count;
	}
	return total;
}

/* The @hist_log of firing times, all CPUs, into @hist. */
static void durations(int fd, long long *hist)
{
	static void *buf;
	static __u64 cap;
	struct vt_map_hdr *h = snap(fd, MAP_DUR, &buf, &cap);

	memset(hist, 0, VT_HIST_LOG_BUCKETS * sizeof(*hist));
	for (__u32 e = 0; e < h->max_entries; e++) {
		struct vt_map_entry *me = vt_map_entry(h, e);

		if (!me->live)
			continue;
		for (__u32 s = 0; s < h->nvslots; s++) {
			const __s64 *c = (const __s64 *)(vt_map_vslot(h, me, s) + 1);

			if (slot_counts(h, me, s))
				for (__u32 b = 0; b < VT_HIST_LOG_BUCKETS; b++)
					hist[b] += c[b];
		}
	}
}

/*
 * Print the firings counted in @now and not @then by duration, from
 * 2^19 ns (0.5 ms) up; returns the lower bound of the longest one's
 * bucket, in seconds.
 */
static double firing_times(const char *phase, const long long *then,
			   const long long *now)
{
	long long total = 0, d;
	double longest = 0;

	printf("firing times %s:", phase);
	for (int b = VT_HIST_LOG_ZERO + 1; b < VT_HIST_LOG_BUCKETS; b++) {
		d = now[b] - then[b];
		total += d;
		if (d)
			longest = (double)(1ull << (b - VT_HIST_LOG_ZERO - 1)) / 1e9;
		if (b >= VT_HIST_LOG_ZERO + 20 && d)
			printf(" %lld >= 2^%d ns,", d, b - VT_HIST_LOG_ZERO - 1);
	}
	printf(" %lld in all\n", total);
	return longest;
}

int main(int argc, char **argv)
{
	long entries = 300000, nsnap = 10, nmax;
	int opt, fd, i, nchild, go[2], cpus[NCHILD_MAX], done, raced = 0;
	long long before[NCHILD_MAX], ctr[NCHILD_MAX], hot, sum;
	double copy, max_copy = 0, longest;
	static long long hist_none[VT_HIST_LOG_BUCKETS],
		hist_fill[VT_HIST_LOG_BUCKETS], hist_snap[VT_HIST_LOG_BUCKETS];
	pid_t pids[NCHILD_MAX];
	struct vt_status st = { 0 };
	struct vt_map_hdr *h;
	unsigned char *seen;
	volatile int *stop;
	void *img, *buf = NULL;
	__u64 cap = 0;
	double t0, t;
	long live;
	__u32 size;
	char what[128];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "e:s:")) != -1) {
		if (opt == 'e')
			entries = atol(optarg);
		else if (opt == 's')
			nsnap = atol(optarg);
		else
			return 2;
	}
	stop = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (stop == MAP_FAILED || pipe(go))
		return 2;
	*stop = 0;
	/* Children stop before big is full: KEYS a read, and "hot". */
	nmax = (BIG_ENTRIES - 1) / KEYS / NCHILD_MAX;
	{
		cpu_set_t set;

		if (sched_getaffinity(0, sizeof(set), &set))
			return 2;
		if (CPU_COUNT(&set) > 0)
			nmax = (BIG_ENTRIES - 1) / KEYS /
			       (CPU_COUNT(&set) < NCHILD_MAX ?
				CPU_COUNT(&set) : NCHILD_MAX);
	}
	nchild = fork_children(cpus, pids, go, stop, nmax);
	close(go[0]);
	seen = calloc((size_t)nchild * (nmax + 1) * KEYS, 1);
	size = program(&img, pids, nchild);

	static char log[VT_LOG_MAX];
	struct vt_load_req req = { (uintptr_t)img, (uintptr_t)log, size,
				   sizeof(log) };

	fd = open(VT_DEVICE_PATH, O_RDWR | O_NONBLOCK);
	if (fd < 0 || !seen) {
		perror("open " VT_DEVICE_PATH);
		return 1;
	}
	if (ioctl(fd, VT_IOC_LOAD, &req)) {
		printf("FAIL LOAD: %s: %s\n", strerror(errno), log);
		return 1;
	}
	if (ioctl(fd, VT_IOC_START)) {
		printf("FAIL START: %s\n", strerror(errno));
		return 1;
	}
	t0 = now();
	close(go[1]);		/* the children go */
	printf("%d children, up to %ld reads each; filling to %ld keys\n",
	       nchild, nmax, entries);
	do {
		usleep(100000);
		drain(fd);
		counters(fd, nchild, cpus, ctr);
		for (sum = 0, i = 0; i < nchild; i++)
			sum += ctr[i];
	} while (sum * KEYS < entries && now() - t0 < 200);
	printf("%lld keys after %.1f s\n", sum * KEYS, now() - t0);
	durations(fd, hist_fill);
	firing_times("while filling", hist_none, hist_fill);
	*stop = 1;
	for (long s = 0; s < nsnap; s++) {
		counters(fd, nchild, cpus, before);
		t = now();
		h = snap(fd, MAP_BIG, &buf, &cap);
		t = now() - t;
		copy = copy_s;
		if (copy > max_copy)
			max_copy = copy;
		counters(fd, nchild, cpus, ctr);
		for (sum = 0, i = 0; i < nchild; i++)
			sum += ctr[i] - before[i];
		printf("-- snapshot %ld: %u live, %.3f s (copy %.3f s), %lld "
		       "firings during it\n", s + 1, h->live, t, copy, sum);
		live = check_big(h, nchild, cpus, before, nmax, &hot, seen);
		check("     live count of the copy", h->live, live);
		drain(fd);
		/* Each child stops after nmax reads: once all have, the
		 * map is full and no firing can race a copy any more. */
		for (done = 1, i = 0; i < nchild; i++)
			done &= ctr[i] >= nmax;
		if (sum)
			raced++;
		else if (!done) {
			printf("FAIL no firing during snapshot %ld\n", s + 1);
			failures++;
		}
		if (done) {
			printf("-- the children are done: the map is full\n");
			break;
		}
	}
	if (!raced) {
		printf("FAIL no snapshot raced a firing\n");
		failures++;
	}
	durations(fd, hist_snap);
	longest = firing_times("during the snapshots", hist_fill, hist_snap);
	printf("longest firing during the snapshots: %.3f s or more; longest copy %.3f s\n", longest, max_copy);
	*stop = 2;
	for (i = 0; i < nchild; i++) {
		int status;

		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("FAIL child on CPU %d\n", cpus[i]);
			failures++;
		}
	}
	if (ioctl(fd, VT_IOC_STATUS, &st))
		return 1;
	drain(fd);
	printf("faults: %llu, other than BUSY %ld\n",
	       (unsigned long long)st.total.errors, nother);
	/*
	 * A vCPU the host preempts while it holds any map lock (a firing's,
	 * or a snapshot chunk's) stalls firings elsewhere past their cap:
	 * a loaded TCG host makes a few BUSY so.  A snapshot holding the
	 * lock across its whole copy makes about one per snapshot.
	 */
	printf("BUSY faults: %ld in %ld snapshots\n", nbusy, nsnap);
	if (nbusy > nsnap / 5) {
		printf("FAIL more than one BUSY fault per 5 snapshots\n");
		failures++;
	}
	check("faults all seen", nbusy + nother, (long long)st.total.errors);
	check("stop reason (none)", st.stop_reason, VT_STOP_NONE);
	check("session still running", st.state, VT_STATE_RUNNING);
	if (ioctl(fd, VT_IOC_STOP))
		return 1;
	printf("-- after STOP\n");
	counters(fd, nchild, cpus, ctr);
	for (i = 0; i < nchild; i++)
		before[i] = ctr[i] + 1;		/* all of them */
	h = snap(fd, MAP_BIG, &buf, &cap);
	live = check_big(h, nchild, cpus, before, nmax, &hot, seen);
	for (sum = 0, i = 0; i < nchild; i++) {
		sum += ctr[i];
		snprintf(what, sizeof(what), "lat[%d] merged count", cpus[i]);
		if (!nother) {
			check(what, lat_count(fd, cpus[i]), ctr[i]);
		} else if (lat_count(fd, cpus[i]) > ctr[i] ||
			   lat_count(fd, cpus[i]) < ctr[i] - nother) {
			printf("FAIL %s: %lld, ctr %lld\n", what,
			       lat_count(fd, cpus[i]), ctr[i]);
			failures++;
		}
	}
	if (!nother)
		check("entries: KEYS per firing and \"hot\"", live,
		      KEYS * sum + 1);
	if (!nother)
		check("big[\"hot\"]: one per firing", hot, sum);
	close(fd);
	free(img);
	free(buf);
	free(seen);
	if (failures)
		printf("%d check(s) failed\n", failures);
	else
		printf("all snapshots right\n");
	return failures ? 1 : 0;
}
