// SPDX-License-Identifier: GPL-2.0-only
/*
 * output.c - records from probe context to the reader.
 *
 * Each session has a kernel trace ring buffer (one per CPU, not in
 * overwrite mode: a full buffer fails the reservation and the firing's
 * CPU counts a drop).  An event is a struct vt_kev followed by the
 * record's payload.  read(2) merges the CPUs in timestamp order and turns
 * events into struct vt_rec records.
 *
 * Wake-up protocol (no lock in probe context): a writer commits, sets
 * s->pending, and if a reader sleeps on s->wq queues s->wake_work, an
 * irq_work (safe up to NMI) that does the wake_up.  A reader clears
 * s->pending under s->read_lock before draining, and sleeps until pending
 * is set again or the session stopped.
 *
 * Locking: readers hold s->read_lock, not s->lock, while they drain and
 * copy to user space, which may fault slowly (userfaultfd, FUSE): a
 * stalled reader then stalls other readers, never STOP, STATUS or close.
 * s->lock is taken only to look at the state: the ring buffer exists
 * from a successful START until release, which cannot run while read()
 * holds the file, so once the state is RUNNING or STOPPED the reader may
 * use it without s->lock.
 *
 * Ordering: a record reserved on one CPU but committed a moment later
 * can be overtaken by a younger record of another CPU that a concurrent
 * read already returned.  With reorder_us > 0, records younger than that
 * are held back while the session runs (costs throughput: the reader's
 * clock is one CPU's, and held records fill the buffer).
 */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/poll.h>
#include <linux/ring_buffer.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "session.h"

/* The module's header of a ring buffer event. */
struct vt_kev {
	u32 type;		/* enum vt_rec_type */
	u32 len;		/* payload bytes */
};

/* The oldest unread event of a CPU, as the merge last saw it. */
struct vt_head {
	struct ring_buffer_event *ev;	/* NULL: that CPU has none */
	u64 ts;
};

/* Largest payload: an event must fit in one ring buffer page. */
#define VT_KEV_PAYLOAD_MAX	3968u
/* Records are gathered here and copied to the reader in batches. */
#define VT_BOUNCE_SIZE		(16u << 10)

static void vt_wake_work(struct irq_work *w)
{
	struct vt_session *s = container_of(w, struct vt_session, wake_work);

	wake_up_interruptible(&s->wq);
}

/*
 * The ring buffer is allocated by a kworker: in a user task with a fatal
 * signal pending (a consumer killed during START) the ring buffer gives
 * up allocating, and for CPUs other than the current one it then WARNs
 * (trace_rb_cpu_prepare).  A kernel thread has no such shortcut.
 */
struct vt_rb_alloc {
	struct work_struct work;
	unsigned long size;
	struct trace_buffer *rb;
};

static void vt_rb_alloc_work(struct work_struct *w)
{
	struct vt_rb_alloc *a = container_of(w, struct vt_rb_alloc, work);

	a->rb = ring_buffer_alloc(a->size, 0);
}

/*
 * Bytes the output of a session takes with @bufsize_kb per CPU, for
 * max_session_mb: the ring buffer rounds each CPU's size up to data pages
 * of PAGE_SIZE less their 16-byte header (at least 2), adds a reader
 * page, and keeps a struct (under VT_RB_PAGE_META bytes) per page and
 * one per CPU; a CPU that comes online later gets its pages too, so
 * every possible CPU counts.  Then the reader's bounce buffer and heads.
 */
#define VT_RB_PAGE_DATA		(PAGE_SIZE - 16)
#define VT_RB_PAGE_META		128u
#define VT_RB_CPU_META		1024u

u64 vt_output_bytes(u32 bufsize_kb)
{
	u64 pages = max_t(u64, DIV_ROUND_UP(bufsize_kb * 1024ULL,
					    VT_RB_PAGE_DATA), 2) + 1;

	return num_possible_cpus() *
	       (pages * (PAGE_SIZE + VT_RB_PAGE_META) + VT_RB_CPU_META) +
	       VT_BOUNCE_SIZE + nr_cpu_ids * sizeof(struct vt_head);
}

/* s->bufsize_kb was read (and clamped) once at START. */
int vt_output_alloc(struct vt_session *s)
{
	struct vt_rb_alloc a = {
		.size = s->bufsize_kb * 1024UL,
	};

	init_irq_work(&s->wake_work, vt_wake_work);
	s->bounce = kmalloc(VT_BOUNCE_SIZE, GFP_KERNEL);
	s->heads = kcalloc(nr_cpu_ids, sizeof(*s->heads), GFP_KERNEL);
	if (!s->bounce || !s->heads)
		return -ENOMEM;
	INIT_WORK_ONSTACK(&a.work, vt_rb_alloc_work);
	queue_work(system_unbound_wq, &a.work);
	flush_work(&a.work);
	destroy_work_on_stack(&a.work);
	s->rb = a.rb;
	return s->rb ? 0 : -ENOMEM;
}

/* Probes are disarmed: only a queued wake-up may still refer to s. */
void vt_output_free(struct vt_session *s)
{
	if (s->rb) {
		irq_work_sync(&s->wake_work);
		ring_buffer_free(s->rb);
		s->rb = NULL;
	}
	kfree(s->bounce);
	s->bounce = NULL;
	kfree(s->heads);
	s->heads = NULL;
}

/* A record was committed (any context). */
void vt_output_kick(struct vt_session *s)
{
	if (!READ_ONCE(s->pending)) {
		/* The deadman measures from here (see vt_fire_ctx). */
		WRITE_ONCE(s->pending_since, jiffies);
		smp_wmb(); /* a firing that sees pending sees its age */
		WRITE_ONCE(s->pending, 1);
	}
	/* wq_has_sleeper() orders the store above before its check. */
	if (wq_has_sleeper(&s->wq))
		irq_work_queue(&s->wake_work);
}
NOKPROBE_SYMBOL(vt_output_kick);

/* State changed (process context). */
void vt_output_wake(struct vt_session *s)
{
	wake_up_interruptible(&s->wq);
}

void *vt_host_reserve(void *host, u32 type, u32 len)
{
	struct vt_cpu *c = host;
	struct ring_buffer_event *ev;
	struct vt_kev *k;

	if (len > VT_KEV_PAYLOAD_MAX || c->ev)
		goto drop;
	ev = ring_buffer_lock_reserve(c->s->rb, sizeof(*k) + len);
	if (!ev)
		goto drop;
	k = ring_buffer_event_data(ev);
	k->type = type;
	k->len = len;
	c->ev = ev;
	return k + 1;
drop:
	c->drops++;
	return NULL;
}
NOKPROBE_SYMBOL(vt_host_reserve);

void vt_host_commit(void *host, void *payload)
{
	struct vt_cpu *c = host;
	struct ring_buffer_event *ev = c->ev;

	/* Commit the open reservation even if @payload is wrong. */
	if (!ev)
		return;
	c->ev = NULL;
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	ring_buffer_unlock_commit(c->s->rb, ev);
#else
	ring_buffer_unlock_commit(c->s->rb);
#endif
	vt_output_kick(c->s);
}
NOKPROBE_SYMBOL(vt_host_commit);

static void vt_peek(struct vt_session *s, int cpu)
{
	struct vt_head *h = &s->heads[cpu];

	h->ev = ring_buffer_peek(s->rb, cpu, &h->ts, NULL);
}

/*
 * Copy whole records to @ubuf, oldest first across CPUs, up to those
 * stamped at @horizon.  Returns bytes copied, or -EINVAL if the first
 * record does not fit, or -EFAULT; sets *@held if a younger record waits.
 * Called with s->read_lock held, so no other reader consumes meanwhile and
 * a peeked event stays in place until we consume it (writers only
 * append).
 */
static ssize_t vt_drain(struct vt_session *s, char __user *ubuf, size_t len,
			u64 horizon, bool *held)
{
	size_t done = 0, fill = 0, size, total;
	struct vt_head *best;
	struct vt_rec *rec;
	struct vt_kev *k;
	int cpu, bcpu;
	u32 n;

	for (n = 0;; n++) {
		/* A CPU that was empty may have a record older than ours. */
		if (n % 16 == 0)
			for_each_possible_cpu(cpu)
				if (!n || !s->heads[cpu].ev)
					vt_peek(s, cpu);
		best = NULL;
		bcpu = -1;
		for_each_possible_cpu(cpu) {
			struct vt_head *h = &s->heads[cpu];

			if (h->ev && (!best || h->ts < best->ts)) {
				best = h;
				bcpu = cpu;
			}
		}
		if (!best)
			break;
		if (best->ts > horizon) {
			*held = true;
			break;
		}
		k = ring_buffer_event_data(best->ev);
		if (k->len > VT_KEV_PAYLOAD_MAX) {
			/* Cannot happen; do not trust it. */
			ring_buffer_consume(s->rb, bcpu, NULL, NULL);
			vt_peek(s, bcpu);
			continue;
		}
		size = sizeof(*rec) + k->len;
		total = ALIGN(size, 8);
		if (total > len - done - fill) {
			if (!done && !fill)
				return -EINVAL;
			break;
		}
		if (total > VT_BOUNCE_SIZE - fill) {
			if (copy_to_user(ubuf + done, s->bounce, fill))
				return done ? done : -EFAULT;
			done += fill;
			fill = 0;
			cond_resched();
		}
		rec = (struct vt_rec *)(s->bounce + fill);
		rec->size = size;
		rec->type = k->type;
		rec->cpu = bcpu;
		rec->ts = best->ts;
		memcpy(rec + 1, k + 1, k->len);
		memset((char *)rec + size, 0, total - size);
		fill += total;
		ring_buffer_consume(s->rb, bcpu, NULL, NULL);
		vt_peek(s, bcpu);
	}
	if (fill && copy_to_user(ubuf + done, s->bounce, fill))
		return done ? done : -EFAULT;
	return done + fill;
}

static bool vt_stopped(struct vt_session *s)
{
	return READ_ONCE(s->state) == VT_STATE_STOPPED;
}

static bool vt_readable(struct vt_session *s)
{
	return READ_ONCE(s->pending) || vt_stopped(s);
}

ssize_t vt_output_read(struct vt_session *s, char __user *buf, size_t len,
		       bool nonblock)
{
	u64 horizon, hold = (u64)min(READ_ONCE(vt_reorder_us),
				     VT_REORDER_US_MAX) * NSEC_PER_USEC;
	enum vt_state state;
	bool stopped, held;
	ssize_t ret;

	if (!len)
		return 0;
	for (;;) {
		if (mutex_lock_interruptible(&s->read_lock))
			return -ERESTARTSYS;
		WRITE_ONCE(s->pending, 0);
		smp_mb(); /* clear pending before looking at the buffers */
		/* s->lock only for the state: STOP must not wait for us. */
		if (mutex_lock_interruptible(&s->lock)) {
			mutex_unlock(&s->read_lock);
			return -ERESTARTSYS;
		}
		state = s->state;
		mutex_unlock(&s->lock);
		stopped = state == VT_STATE_STOPPED;
		held = false;
		ret = 0;
		/* The ring buffer stays until release once START succeeded. */
		if (state == VT_STATE_RUNNING || stopped) {
			horizon = U64_MAX;
			if (!stopped && hold) {
				horizon = ring_buffer_time_stamp(s->rb);
				horizon -= min_t(u64, horizon, hold);
			}
			ret = vt_drain(s, buf, len, horizon, &held);
		}
		mutex_unlock(&s->read_lock);
		if (ret || stopped)
			return ret;
		if (nonblock)
			return -EAGAIN;
		if (held) {
			/* Come back when the held records are old enough. */
			ret = wait_event_interruptible_hrtimeout(s->wq,
					vt_stopped(s), ns_to_ktime(hold / 2));
			if (ret == -ERESTARTSYS)
				return ret;
			continue;
		}
		if (wait_event_interruptible(s->wq, vt_readable(s)))
			return -ERESTARTSYS;
	}
}

__poll_t vt_output_poll(struct vt_session *s, struct file *f,
			struct poll_table_struct *pt)
{
	__poll_t mask = 0;
	int cpu;

	poll_wait(f, &s->wq, pt);
	mutex_lock(&s->lock);
	if (s->state == VT_STATE_STOPPED)
		mask = EPOLLIN | EPOLLRDNORM;
	else if (s->rb)
		for_each_possible_cpu(cpu)
			if (!ring_buffer_empty_cpu(s->rb, cpu))
				mask = EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&s->lock);
	return mask;
}
