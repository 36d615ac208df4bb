/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * session.h - state of one vtrace session (one open file of /dev/vtrace)
 * and the interfaces between the module's files; the providers' are in
 * provider.h.
 *
 * Invariants:
 *  - s->lock serializes ioctls, state changes and release; probe context
 *    never takes it, and nothing holds it across a user-space access that
 *    may fault slowly (a read() into a userfaultfd page must not stall
 *    STOP): ioctls copy in and out around it.
 *  - s->read_lock serializes readers (the ring buffer's consumer side,
 *    heads, bounce); read() copies to user space under it only.
 *  - The runtime (globals, maps, per-CPU contexts, frames, ring buffer)
 *    exists from a successful START until release; probes are armed
 *    only during START and while state is RUNNING, and no firing is in
 *    flight once STOP (or a START that failed) returned.
 *  - s->prov[id] is provider id's state, read only by its probe_*.c
 *    file: allocated by its prepare at START, freed by its detach or
 *    free at STOP (provider.h).
 *  - A firing uses only its CPU's struct vt_cpu of its context (task,
 *    softirq, hardirq, NMI), guarded by vt_cpu.busy.
 */
#ifndef VT_SESSION_H
#define VT_SESSION_H

#include <linux/irq_work.h>
#include <linux/preempt.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/wait.h>

#include "vt_vm.h"
#include "provider.h"

struct trace_buffer;
struct ring_buffer_event;
struct pt_regs;
struct file;
struct poll_table_struct;
struct vt_head;
struct task_struct;
struct vt_map_rt;

/* What one firing knows of its probe, for the probe-context helpers. */
struct vt_firing {
	u32 probe;			/* index in prog.probes */
	struct pt_regs *regs;		/* probed context, or NULL */
	unsigned long pc;		/* the probed address when regs->ip
					 * is not it (kprobes: past the
					 * breakpoint), else 0 */
	const void *event;		/* raw event record, or NULL */
	u32 event_size;
	struct task_struct *task;	/* task it describes; NULL: current */
	u64 t_entry;			/* vt_clock() at the provider's
					 * handler entry, or 0: the firing's
					 * time counts from there */
};

/*
 * Execution contexts a probe can fire in.  Each CPU has one struct vt_cpu
 * per context (s->cpu points to VT_CTX_COUNT of them per CPU), so a firing
 * in an interrupt that arrives in the middle of a task-context firing has
 * its own frame and reservation; only a firing nested in the *same*
 * context on the same CPU is skipped.
 */
enum vt_ctx {
	VT_CTX_TASK,
	VT_CTX_SOFTIRQ,
	VT_CTX_HARDIRQ,
	VT_CTX_NMI,
	VT_CTX_COUNT
};

/*
 * The context the caller runs in (enum vt_ctx); kprobes hit through int3
 * count as NMI.  Firings and the tracepoint argument stash
 * (tp_stash.c) both key their per-CPU state by it.
 */
static __always_inline int vt_context(void)
{
	if (in_nmi())
		return VT_CTX_NMI;
	if (in_hardirq())
		return VT_CTX_HARDIRQ;
	if (in_serving_softirq())
		return VT_CTX_SOFTIRQ;
	return VT_CTX_TASK;
}

/* Per-CPU, per-context slot of a session; the VM's host pointer. */
struct vt_cpu {
	const struct vt_firing *firing;	/* of the firing running, or NULL */
	struct vt_session *s;
	int busy;			/* a firing runs on this CPU */
	struct ring_buffer_event *ev;	/* reservation not yet committed */
	u8 *frame;			/* prog.frame_size bytes */
	u64 *kstack;			/* VT_STACK_DEPTH frames: the last
					 * kernel or user stack captured
					 * (stacks.c) */
	u64 fired;
	u64 drops;
	u64 errors;
	u64 skipped;
	u64 max_firing_ns;		/* longest t1 - t0 of a firing here */
	u32 vslot;			/* statistic value slot: 2 * cpu, +1 in NMI */
	u64 t0;				/* vt_clock() the firing began */
	unsigned long kread_page;	/* kernel page this firing may read
					 * (kread.c), or ULONG_MAX */
	/* Overload governor; used in the VT_CTX_TASK slot by all contexts. */
	u64 ovl_start;			/* vt_clock() the window began */
	u64 ovl_ns;			/* spent in firings since then */
};

/*
 * The clock of a firing, read on its own CPU with interrupts off: its
 * start (t0), the time cap, map lock waits, the overload governor and
 * max_firing_ns.  sched_clock() reads this CPU's TSC.  Not local_clock():
 * when the kernel marks the TSC unstable (as in virtual machines), that
 * one never runs more than a tick past this CPU's last tick, which does
 * not come while interrupts are off, so the time cap did not fire (seen
 * in the TCG guest, t_66: firings of seconds).
 */
static __always_inline u64 vt_clock(void)
{
	return sched_clock();
}

/* The slot of @ctx on @cpu. */
#define vt_cpu_slot(s, cpu, ctx)	(per_cpu_ptr((s)->cpu, (cpu)) + (ctx))

struct vt_session {
	struct mutex lock;
	struct mutex read_lock;		/* one reader at a time (output.c) */
	enum vt_state state;
	void *image;			/* private copy, kvmalloc'ed */
	struct vt_prog prog;		/* points into image */

	/* Runtime: from START to release. */
	u32 ntype[VT_PROBE_TYPE_COUNT];	/* probes of each type */
	u32 bufsize_kb;			/* ring buffer per CPU, read once */
	s64 *lglobals;
	char *sglobals;
	struct vt_cpu __percpu *cpu;
	struct trace_buffer *rb;
	char *bounce;			/* records on their way to the reader */
	struct vt_head *heads;		/* per CPU id: oldest unread event */
	s64 budget;			/* per firing, after the module's cap */
	u64 max_firing_ns;		/* time cap of one firing, 0 = none */
	/* Maps (maps.c): from START to release. */
	void **map_mem;			/* prog.nmaps storages (vt_exec.maps) */
	struct vt_map_rt *map_rt;	/* their sizes and locks */
	u32 nvslots;			/* statistic value slots per entry */
	void *stacks;			/* stack table (vm/stack.h), or NULL
					 * when prog.nstacks is 0; START to
					 * release */

	/* Providers: each one's state (provider.h), NULL when it has none. */
	void *prov[VT_PROV_COUNT];
	u32 probes_skipped;		/* wildcard matches the kernel refused */

	u32 failed_probe;		/* probe START could not arm, or ~0 */
	int failed_errno;		/* and its negative errno */
	int exit_requested;		/* exit() ran; firings stop */
	int stop_reason;		/* VT_STOP_*: firings stop when not 0 */
	u64 stop_detail;		/* reported with it */
	atomic_t nerrors;		/* faults, session-wide (MAXERRORS) */
	u64 ovl_window_ns;		/* overload: window and share, at START */
	u32 ovl_percent;
	unsigned long deadman_j;	/* deadman: jiffies unread, 0 = off */
	unsigned long pending_since;	/* jiffies pending went 0 -> 1 */
	int pending;			/* records committed since the last read */
	wait_queue_head_t wq;		/* readers and pollers */
	struct irq_work wake_work;	/* wakes wq from any context */
};

/*
 * Module parameters (main.c).  Read-only ones are clamped at load; the
 * writable bufsize_kb and reorder_us are clamped where read, to these.
 */
extern unsigned int vt_bufsize_kb;
#define VT_BUFSIZE_KB_MIN	16u
#define VT_BUFSIZE_KB_MAX	65536u
extern unsigned int vt_reorder_us;
#define VT_REORDER_US_MAX	1000000u
extern unsigned int vt_max_budget;
extern unsigned int vt_max_probes;
extern unsigned int vt_max_timer_hz;
extern unsigned int vt_overload_interval_ms;
extern unsigned int vt_overload_percent;
extern unsigned int vt_deadman_s;
extern unsigned int vt_max_session_mb;
extern unsigned int vt_max_firing_us;

/* fire.c */
void vt_fire_ctx(struct vt_session *s, u32 unit, bool after_exit,
		 const struct vt_firing *f);
/* Run probe @probe's unit with its context (begin, end, timer...). */
static inline void vt_fire_probe(struct vt_session *s, u32 probe,
				 struct pt_regs *regs, bool after_exit)
{
	struct vt_firing f = { .probe = probe, .regs = regs };

	vt_fire_ctx(s, s->prog.probes[probe].unit, after_exit, &f);
}

/*
 * kread.c: [@addr, @addr + @len) lies in kernel RAM mapped write-back, no
 * MMIO; safe in NMI.  Pages that passed are kept in c->kread_page.
 */
bool vt_kernel_readable(struct vt_cpu *c, u64 addr, u32 len);

/* output.c */
u64 vt_output_bytes(u32 bufsize_kb);
int vt_output_alloc(struct vt_session *s);
void vt_output_free(struct vt_session *s);
void vt_output_kick(struct vt_session *s);
void vt_output_wake(struct vt_session *s);
ssize_t vt_output_read(struct vt_session *s, char __user *buf, size_t len,
		       bool nonblock);
__poll_t vt_output_poll(struct vt_session *s, struct file *f,
			struct poll_table_struct *pt);

/* control.c */
long vt_ioctl_load(struct vt_session *s, void __user *arg);
long vt_ioctl_start(struct vt_session *s);
long vt_ioctl_stop(struct vt_session *s);
long vt_ioctl_status(struct vt_session *s, void __user *arg);
void vt_session_free(struct vt_session *s);

/* maps.c */
u64 vt_maps_bytes(const struct vt_session *s, u32 nvslots);
int vt_maps_alloc(struct vt_session *s, u32 nvslots);
void vt_maps_free(struct vt_session *s);
long vt_ioctl_snapshot(struct vt_session *s, void __user *arg);

/* stacks.c */
u64 vt_stacks_bytes(const struct vt_session *s);
int vt_stacks_alloc(struct vt_session *s);
void vt_stacks_free(struct vt_session *s);

#endif /* VT_SESSION_H */
