// SPDX-License-Identifier: GPL-2.0-only
/*
 * maps.c - storage and locks of a session's associative arrays and
 * statistics, the per-firing time cap, and VT_IOC_SNAPSHOT.
 *
 * Invariants:
 *  - Every map's storage is allocated and initialised at START, before
 *    anything fires, and freed at release: firings never allocate.
 *  - A statistic entry has nvslots = 2 * nr_cpu_ids value slots; a firing
 *    on CPU n updates slot 2n (task, softirq, hardirq) or 2n + 1 (NMI)
 *    only, with interrupts off (fire.c), so no two firings share a slot.
 *  - Each map's hash key is random (get_random_bytes at START), never
 *    leaves the module: snapshots zero it.
 *  - A map lock is held for one VM operation, or by a snapshot for the
 *    header or for one chunk of at most VT_SNAP_CHUNK bytes (or one
 *    entry's header, key and array value, ~41 KB at most), with
 *    interrupts off; its owner field names the holder's CPU meanwhile.
 *    A firing never waits for a holder on its own CPU (one it
 *    interrupted, which cannot go on until it returns) and waits for one
 *    on another CPU no longer than its own time cap allows, so it cannot
 *    deadlock.
 *  - Every write to a map's storage but a statistic slot's is made under
 *    its lock, and the holder bumps the map's gen after taking the lock
 *    and before releasing it (odd while held).  A snapshot chunk copied
 *    without the lock while gen stayed even and unchanged is the storage
 *    of one moment.
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/seqlock.h>
#include <linux/sched/signal.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>

#include "session.h"
#include "map.h"
#include "stack.h"

/* How long a firing waits for a map lock when max_firing_us is 0. */
#define VT_MAP_SPIN_NOCAP_NS	(20 * NSEC_PER_MSEC)

struct vt_map_rt {
	raw_spinlock_t lock;
	seqcount_t gen;			/* odd while lock is held */
	int owner;			/* CPU holding lock, or -1 */
	u64 size;			/* bytes of the storage */
};

/*
 * Bytes the maps of @s need with @nvslots value slots, or U64_MAX if one
 * is out of range (or too big for kvmalloc): START then fails with E2BIG.
 */
u64 vt_maps_bytes(const struct vt_session *s, u32 nvslots)
{
	const struct vt_prog *p = &s->prog;
	u64 total = 0, size;
	u32 m;

	for (m = 0; m < p->nmaps; m++) {
		size = vt_map_size(p, m, nvslots);
		if (!size || size > INT_MAX)
			return U64_MAX;
		total += size;
	}
	return total + p->nmaps * (sizeof(void *) + sizeof(struct vt_map_rt));
}

/* Allocate and initialise every map; vt_maps_free() undoes a failure. */
int vt_maps_alloc(struct vt_session *s, u32 nvslots)
{
	const struct vt_prog *p = &s->prog;
	u64 seed[2];
	u32 m;

	s->nvslots = nvslots;
	if (!p->nmaps)
		return 0;
	s->map_mem = kvcalloc(p->nmaps, sizeof(*s->map_mem),
			      GFP_KERNEL_ACCOUNT);
	s->map_rt = kvcalloc(p->nmaps, sizeof(*s->map_rt),
			     GFP_KERNEL_ACCOUNT);
	if (!s->map_mem || !s->map_rt)
		return -ENOMEM;
	for (m = 0; m < p->nmaps; m++) {
		struct vt_map_rt *rt = &s->map_rt[m];

		raw_spin_lock_init(&rt->lock);
		seqcount_init(&rt->gen);
		rt->owner = -1;
		rt->size = vt_map_size(p, m, nvslots);
		if (!rt->size || rt->size > INT_MAX)
			return -E2BIG;
		s->map_mem[m] = kvzalloc(rt->size, GFP_KERNEL_ACCOUNT);
		if (!s->map_mem[m])
			return -ENOMEM;
		get_random_bytes(seed, sizeof(seed));
		vt_map_init(p, m, s->map_mem[m], nvslots, seed);
		cond_resched();
	}
	return 0;
}

void vt_maps_free(struct vt_session *s)
{
	u32 m;

	if (s->map_mem)
		for (m = 0; m < s->prog.nmaps; m++)
			kvfree(s->map_mem[m]);
	kvfree(s->map_mem);
	kvfree(s->map_rt);
	s->map_mem = NULL;
	s->map_rt = NULL;
}

/*
 * Busy on this CPU: the holder is a firing or a snapshot we interrupted,
 * so BUSY at once.  Busy elsewhere: the holder runs with interrupts off
 * and will be done soon, but its vCPU may be preempted by a hypervisor
 * for milliseconds (seen under TCG: a 10 us bound made 2 of 40,000
 * contended increments fault), so wait while this firing is within its
 * time cap, then BUSY.  (An NMI landing in the two instructions between
 * the holder's trylock and its owner store, or its owner store and its
 * unlock, also waits until the cap: rare, and still bounded.)
 */
int vt_host_map_lock(void *host, u32 m)
{
	struct vt_cpu *c = host;
	struct vt_session *s = c->s;
	struct vt_map_rt *rt;
	int cpu = smp_processor_id();
	u64 limit;

	if (unlikely(m >= s->prog.nmaps))
		return -1;
	rt = &s->map_rt[m];
	if (raw_spin_trylock(&rt->lock))
		goto locked;
	limit = s->max_firing_ns ? s->max_firing_ns : VT_MAP_SPIN_NOCAP_NS;
	while (READ_ONCE(rt->owner) != cpu) {
		cpu_relax();
		if (raw_spin_trylock(&rt->lock))
			goto locked;
		if (vt_clock() - c->t0 > limit)
			break;
	}
	return -1;
locked:
	WRITE_ONCE(rt->owner, cpu);
	raw_write_seqcount_begin(&rt->gen);
	return 0;
}
NOKPROBE_SYMBOL(vt_host_map_lock);

void vt_host_map_unlock(void *host, u32 m)
{
	struct vt_map_rt *rt = &((struct vt_cpu *)host)->s->map_rt[m];

	raw_write_seqcount_end(&rt->gen);
	WRITE_ONCE(rt->owner, -1);
	raw_spin_unlock(&rt->lock);
}
NOKPROBE_SYMBOL(vt_host_map_unlock);

/* The firing has run longer than max_firing_us (0: no cap). */
bool vt_host_time_up(void *host)
{
	struct vt_cpu *c = host;
	u64 cap = c->s->max_firing_ns;

	return cap && vt_clock() - c->t0 > cap;
}
NOKPROBE_SYMBOL(vt_host_time_up);

/* Bytes of entries a snapshot copies at a time (at least one entry). */
#define VT_SNAP_CHUNK	(16u << 10)
/* Copies of a chunk without the lock before one under it. */
#define VT_SNAP_TRIES	4

static void snap_lock(struct vt_map_rt *rt, unsigned long *flags)
{
	raw_spin_lock_irqsave(&rt->lock, *flags);
	WRITE_ONCE(rt->owner, smp_processor_id());
}

static void snap_unlock(struct vt_map_rt *rt, unsigned long flags)
{
	WRITE_ONCE(rt->owner, -1);
	raw_spin_unlock_irqrestore(&rt->lock, flags);
}

/*
 * Entries [@i, @end) of @h into @c: all of each if @part is entsize,
 * else (a statistic) each one's header and key, @part bytes.
 */
static void copy_entries(struct vt_map_hdr *h, struct vt_map_hdr *c,
			 u32 i, u32 end, u32 part)
{
	if (part == h->entsize) {
		memcpy(vt_map_entry(c, i), vt_map_entry(h, i),
		       (size_t)(end - i) * h->entsize);
		return;
	}
	for (; i < end; i++)
		memcpy(vt_map_entry(c, i), vt_map_entry(h, i), part);
}

/*
 * Entries [@i, @end) as of one moment: copied without the lock, kept if
 * no holder of the lock ran meanwhile (gen even and unchanged), at most
 * VT_SNAP_TRIES times, then under the lock.  So a firing waits for a
 * snapshot only when the map is written faster than a chunk is copied,
 * and then for one chunk's copy.
 */
static void snap_chunk(struct vt_map_rt *rt, struct vt_map_hdr *h,
		       struct vt_map_hdr *c, u32 i, u32 end, u32 part)
{
	unsigned long flags;
	unsigned int seq;
	int tries;

	for (tries = 0; tries < VT_SNAP_TRIES; tries++) {
		seq = raw_seqcount_begin(&rt->gen);	/* odd: fails below */
		copy_entries(h, c, i, end, part);
		if (!read_seqcount_retry(&rt->gen, seq))
			return;
		cpu_relax();
	}
	snap_lock(rt, &flags);
	copy_entries(h, c, i, end, part);
	snap_unlock(rt, flags);
}

/*
 * Copy map @m into @dst (vm/map.h, "Snapshots"): the header under the
 * lock, then the entries in chunks (snap_chunk(): each chunk's headers,
 * keys and array values of one moment, a firing waiting for one chunk
 * at most), statistic slots after each chunk without the lock, as their
 * writers take none.  Then the copy is marked: no chains or lists, live
 * counted, seed zeroed.  0, or -EINTR on a fatal signal.
 */
static int snapshot_map(struct vt_session *s, u32 m, void *dst)
{
	struct vt_map_rt *rt = &s->map_rt[m];
	struct vt_map_hdr *h = s->map_mem[m], *c = dst;
	u32 i, j, end, per, part, live = 0;
	unsigned long flags;

	snap_lock(rt, &flags);
	memcpy(c, h, sizeof(*h));
	snap_unlock(rt, flags);
	memset(vt_map_buckets(c), 0, h->entries_off - sizeof(*h));
	/* An entry: header, key, pad to 8, value (h->entsize in all). */
	part = h->vkind == VT_MAPV_STAT ? sizeof(struct vt_map_entry) +
	       round_up(h->keysize, 8) : h->entsize;
	per = max_t(u32, 1, VT_SNAP_CHUNK / part);
	for (i = 0; i < h->max_entries; i = end) {
		end = min_t(u32, h->max_entries, i + per);
		snap_chunk(rt, h, c, i, end, part);
		for (j = i; j < end; j++) {
			if (part != h->entsize)
				memcpy(vt_map_val(c, vt_map_entry(c, j)),
				       vt_map_val(h, vt_map_entry(h, j)),
				       h->valsize);
			live += vt_map_entry(c, j)->live;
		}
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	c->flags |= VT_MAP_F_COPY;
	c->live = live;
	c->free_head = c->free_tail = 0;
	c->oldest = c->newest = 0;
	memset(c->seed, 0, sizeof(c->seed));
	return 0;
}

/*
 * VT_IOC_SNAPSHOT.  The request is copied in once and checked whole;
 * a map is copied into a bounce buffer by snapshot_map() and then out
 * to user space with no lock held.  Globals are copied without a lock:
 * they have none.
 */
long vt_ioctl_snapshot(struct vt_session *s, void __user *arg)
{
	struct vt_snapshot sn;
	void *bounce = NULL;
	u64 need = 0;
	long ret;

	if (copy_from_user(&sn, arg, sizeof(sn)))
		return -EFAULT;
	if (sn.reserved || sn.what > VT_SNAP_STACKS ||
	    (sn.what != VT_SNAP_MAP && sn.index))
		return -EINVAL;

	mutex_lock(&s->lock);
	ret = -EINVAL;
	if (s->state != VT_STATE_RUNNING && s->state != VT_STATE_STOPPED)
		goto out;
	if (sn.what == VT_SNAP_MAP && sn.index >= s->prog.nmaps)
		goto out;
	if (sn.what == VT_SNAP_STACKS && !s->stacks)
		goto out;
	if (sn.what == VT_SNAP_MAP) {
		need = s->map_rt[sn.index].size;
		sn.nvslots = s->nvslots;
	} else if (sn.what == VT_SNAP_STACKS) {
		need = vt_stacks_size(s->prog.nstacks);
		sn.nvslots = 0;
	} else {
		need = (u64)s->prog.nlglobals * sizeof(s64) +
		       (u64)s->prog.nsglobals * s->prog.strsize;
		sn.nvslots = 0;
	}
	ret = -ENOSPC;
	if (sn.size < need)
		goto out;
	ret = -ENOMEM;
	bounce = kvmalloc(max_t(u64, need, 1), GFP_KERNEL_ACCOUNT);
	if (!bounce)
		goto out;
	ret = 0;
	if (sn.what == VT_SNAP_MAP)
		ret = snapshot_map(s, sn.index, bounce);
	else if (sn.what == VT_SNAP_STACKS)	/* stack.h: published
						 * entries never change */
		memcpy(bounce, s->stacks, need);
	else	/* lglobals and sglobals are one block (control.c). */
		memcpy(bounce, s->lglobals, need);
out:
	mutex_unlock(&s->lock);
	if (!ret && copy_to_user(u64_to_user_ptr(sn.buf), bounce, need))
		ret = -EFAULT;
	if (!ret || ret == -ENOSPC) {
		sn.size = need;
		if (copy_to_user(arg, &sn, sizeof(sn)))
			ret = -EFAULT;
	}
	kvfree(bounce);
	return ret;
}
