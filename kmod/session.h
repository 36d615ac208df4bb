/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * session.h - state of one vtrace session (one open file of /dev/vtrace)
 * and the interfaces between the module's files.
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
 *    only while state is RUNNING, and no firing is in flight once STOP
 *    returned.
 *  - A firing uses only its CPU's struct vt_cpu of its context (task,
 *    softirq, hardirq, NMI), guarded by vt_cpu.busy.
 */
#ifndef VT_SESSION_H
#define VT_SESSION_H

#include <linux/irq_work.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/wait.h>

#include "vt_vm.h"

struct trace_buffer;
struct ring_buffer_event;
struct kprobe;
struct pt_regs;
struct file;
struct poll_table_struct;
struct vt_kprobe;
struct vt_ftrace;
struct vt_timer;
struct vt_kretprobe;
struct kretprobe;
struct vt_head;
struct vt_uprobe;
struct vt_proc;
struct tracepoint;
struct task_struct;
struct vt_map_rt;

/* What one firing knows of its probe, for the probe-context helpers. */
struct vt_firing {
	u32 probe;			/* index in prog.probes */
	struct pt_regs *regs;		/* probed context, or NULL */
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

/* Per-CPU, per-context slot of a session; the VM's host pointer. */
struct vt_cpu {
	const struct vt_firing *firing;	/* of the firing running, or NULL */
	struct vt_session *s;
	int busy;			/* a firing runs on this CPU */
	struct ring_buffer_event *ev;	/* reservation not yet committed */
	u8 *frame;			/* prog.frame_size bytes */
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

/* A tracepoint or perf probe: one kernel perf counter per online CPU. */
struct vt_perf_probe {
	struct vt_session *s;
	u32 probe;
	struct perf_event **ev;		/* per CPU id, NULL where none */
};

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

	/* Providers' state. */
	struct vt_kprobe *kps;
	struct kprobe **kp_regs;	/* registered ones, for the batch */
	u32 nkp;
	u32 nkp_todo;			/* KPROBE probes not attached yet */
	struct vt_ftrace *ft;		/* function entries armed by ftrace */
	struct vt_timer *tms;
	u32 ntm;
	struct vt_kretprobe *krps;
	struct kretprobe **krp_regs;	/* registered ones, for the batch */
	u32 nkrp;
	u32 probes_skipped;		/* wildcard matches the kernel refused */
	bool perf_released;		/* a perf counter was released: the
					 * teardown owes a grace period */
	struct vt_perf_probe *tps;	/* tracepoints */
	u32 ntp;
	struct vt_perf_probe *pfs;	/* perf counters */
	u32 npf;
	struct vt_uprobe *ups;		/* uprobes and uretprobes */
	u32 nup;
	struct vt_proc *procs;		/* process.begin and process.end */
	u32 nproc;
	struct tracepoint *proc_tp_exec;	/* registered, or NULL */
	struct tracepoint *proc_tp_exit;

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

/* A provider: how probes of one VT_PROBE_* type are armed and disarmed. */
struct vt_provider {
	/*
	 * Bytes prepare and attach will allocate for the session's probes
	 * (s->ntype[]), the kernel's own per-probe state included where its
	 * size is known, for max_session_mb (may be NULL).  Types sharing
	 * one array (uprobes, process probes) count it in one entry only.
	 */
	u64 (*bytes)(const struct vt_session *s);
	/* Allocate for @count probes of this type (may be NULL). */
	int (*prepare)(struct vt_session *s, u32 count);
	/* At START: begin runs here, before any other provider arms. */
	bool early;
	int (*attach)(struct vt_session *s, u32 probe);
	/*
	 * At STOP or unwind: disarm every attached probe, and free what
	 * prepare allocated unless a handler may still read it (see free).
	 */
	void (*detach)(struct vt_session *s);
	/*
	 * After every provider's detach and one grace period: free what
	 * detach kept because a handler in flight may still use it (may be
	 * NULL: that provider's detach waits for its handlers itself).
	 */
	void (*free)(struct vt_session *s);
	/* At STOP, after every detach: end runs here. */
	void (*at_stop)(struct vt_session *s, u32 probe);
};

extern const struct vt_provider vt_providers[VT_PROBE_TYPE_COUNT];

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

/* provider.c: 0 if attached or skippable (optional, wildcard match). */
int vt_attach_outcome(struct vt_session *s, const struct vt_probe_desc *pd,
		      int ret);

/* perf_set.c: bytes of one set, for max_session_mb. */
u64 vt_perf_set_bytes(void);
/* perf_set.c: open @attr on every online CPU with handler @hit, or undo. */
struct perf_event_attr;
struct perf_sample_data;
int vt_perf_set_open(struct vt_perf_probe *pp, struct perf_event_attr *attr,
		     void (*hit)(struct perf_event *ev,
				 struct perf_sample_data *data,
				 struct pt_regs *regs));
/*
 * Release every counter (pp->s must be set).  Does NOT wait for handlers
 * in flight: the kernel only does when this was the last perf user of a
 * tracepoint.  So @pp, and the session, must outlive one grace period
 * after it: it sets pp->s->perf_released for vt_detach_all (control.c).
 */
void vt_perf_set_release(struct vt_perf_probe *pp);

/* Provider functions (probe_*.c), collected in provider.c. */
int vt_begin_attach(struct vt_session *s, u32 probe);
void vt_end_at_stop(struct vt_session *s, u32 probe);
void vt_error_at_stop(struct vt_session *s, u32 probe);
u64 vt_kprobe_bytes(const struct vt_session *s);
int vt_kprobe_prepare(struct vt_session *s, u32 count);
/* @addr is in vtrace.ko: providers refuse such probes with -EINVAL. */
bool vt_addr_is_ours(const void *addr);
int vt_kprobe_attach(struct vt_session *s, u32 probe);
void vt_kprobe_detach(struct vt_session *s);
/*
 * probe_fentry_batch.c: KPROBE probes on function entries whose address user
 * space passed (vt_probe_desc.offset) share one ftrace_ops.  add: 0 if
 * @probe is queued for it, else the caller falls back to a kprobe; arm:
 * one ftrace update for the queued probes; those it could not arm (all,
 * if ftrace refused the ops) are left in vt_ftrace_queued for kprobes.
 */
u64 vt_ftrace_bytes(u32 count);
int vt_ftrace_prepare(struct vt_session *s, u32 count);
int vt_ftrace_add(struct vt_session *s, u32 probe);
void vt_ftrace_arm(struct vt_session *s);
u32 vt_ftrace_queued(const struct vt_session *s, u32 i);
u32 vt_ftrace_nqueued(const struct vt_session *s);
void vt_ftrace_detach(struct vt_session *s);
u64 vt_timer_bytes(const struct vt_session *s);
int vt_timer_prepare(struct vt_session *s, u32 count);
/* Shortest period of a timer or perf clock sample, ns. */
#define VT_TIMER_MIN_NS		(100 * NSEC_PER_USEC)
/* Expirations a second @p's timers and perf clocks ask of one CPU. */
u64 vt_timer_hz(const struct vt_prog *p);
int vt_timer_attach(struct vt_session *s, u32 probe);
void vt_timer_detach(struct vt_session *s);
u64 vt_kretprobe_bytes(const struct vt_session *s);
int vt_kretprobe_prepare(struct vt_session *s, u32 count);
int vt_kretprobe_attach(struct vt_session *s, u32 probe);
void vt_kretprobe_detach(struct vt_session *s);
u64 vt_trace_bytes(const struct vt_session *s);
int vt_trace_prepare(struct vt_session *s, u32 count);
int vt_trace_attach(struct vt_session *s, u32 probe);
void vt_trace_detach(struct vt_session *s);
void vt_trace_free(struct vt_session *s);
u64 vt_perf_bytes(const struct vt_session *s);
int vt_perf_prepare(struct vt_session *s, u32 count);
bool vt_perf_is_clock(const struct vt_probe_desc *pd);
int vt_perf_attach(struct vt_session *s, u32 probe);
void vt_perf_detach(struct vt_session *s);
void vt_perf_free(struct vt_session *s);
u64 vt_uprobe_bytes(const struct vt_session *s);
int vt_uprobe_prepare(struct vt_session *s, u32 count);
int vt_uprobe_attach(struct vt_session *s, u32 probe);
void vt_uprobe_detach(struct vt_session *s);
u64 vt_proc_bytes(const struct vt_session *s);
int vt_proc_prepare(struct vt_session *s, u32 count);
int vt_proc_attach(struct vt_session *s, u32 probe);
void vt_proc_detach(struct vt_session *s);

#endif /* VT_SESSION_H */
