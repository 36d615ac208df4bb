// SPDX-License-Identifier: GPL-2.0-only
/*
 * fire.c - running a probe's unit, and the VM's host functions.
 *
 * A firing runs with preemption disabled on its CPU's struct vt_cpu of
 * its context (task, softirq, hardirq, NMI: each has its own frame and
 * output reservation), and with interrupts disabled while the VM runs.
 * A firing nested in the same context on the same CPU (a probe hit from
 * inside a firing) is not run: it is counted in that slot's `skipped`.
 * Nothing here sleeps or allocates, and map locks are only tried for a
 * bounded time (maps.c), so it is safe in any context a probe fires in,
 * up to NMI.
 *
 * Once the session halted (exit(), MAXERRORS, overload, deadman: see
 * vt_halt) only end probes still run.  Probes stay registered until STOP
 * or close: they cannot be unregistered from probe context.
 */
#include <linux/jiffies.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "session.h"

static void vt_emit_error(struct vt_cpu *c, const struct vt_exec *ex,
			  enum vt_fault fault)
{
	struct vt_rec_error *e;
	u32 mlen = 0;

	/* error()'s message lives in the frame, at most strsize - 1 bytes. */
	if (fault == VT_FAULT_USER && ex->fault_msg)
		mlen = strnlen(ex->fault_msg, c->s->prog.strsize - 1);
	e = vt_host_reserve(c, VT_REC_ERROR, sizeof(*e) + mlen);
	if (!e)
		return;
	e->pc = ex->fault_pc;
	e->fault = fault;
	e->reserved = 0;
	e->detail = ex->fault_detail;
	if (mlen)
		memcpy(e + 1, ex->fault_msg, mlen);
	vt_host_commit(c, e);
}
NOKPROBE_SYMBOL(vt_emit_error);

/* Stop firing for @reason (VT_STOP_*), tell the reader; first wins. */
static bool vt_halt(struct vt_session *s, struct vt_cpu *c, u32 reason,
		    u64 detail)
{
	struct vt_rec_stopped *r;
	void *p;

	if (cmpxchg(&s->stop_reason, 0, (int)reason) != 0)
		return false;
	WRITE_ONCE(s->stop_detail, detail);
	if (reason == VT_STOP_EXIT) {
		WRITE_ONCE(s->exit_requested, 1);
		p = vt_host_reserve(c, VT_REC_EXIT, 0);
	} else {
		p = r = vt_host_reserve(c, VT_REC_STOPPED, sizeof(*r));
		if (r) {
			r->reason = reason;
			r->reserved = 0;
			r->detail = detail;
		}
	}
	if (p)
		vt_host_commit(c, p);
	else
		vt_output_kick(s);	/* the reader learns it from STATUS */
	return true;
}
NOKPROBE_SYMBOL(vt_halt);

/*
 * Overload governor: time in firings per CPU over a window of
 * ovl_window_ns, each firing counted from the entry of vt_fire_ctx (or of
 * the provider's handler, vt_firing.t_entry) to its exit, so the setup,
 * the error record and the provider's own work count, not only vt_run.
 * All contexts of a CPU account into its task slot; an interrupt between
 * the read and the write of ovl_ns loses one update, which only makes the
 * estimate a little low.
 */
static void vt_overload_account(struct vt_session *s, struct vt_cpu *c,
				u64 t0, u64 t1)
{
	struct vt_cpu *w = this_cpu_ptr(s->cpu);	/* the task slot */
	u64 span, used;

	used = w->ovl_ns + (t1 - t0);
	span = t1 - w->ovl_start;
	if (span < s->ovl_window_ns) {
		w->ovl_ns = used;
		return;
	}
	w->ovl_start = t1;
	w->ovl_ns = 0;
	if (s->ovl_percent && used * 100 > span * s->ovl_percent)
		vt_halt(s, c, VT_STOP_OVERLOAD, div64_u64(used * 100, span));
}
NOKPROBE_SYMBOL(vt_overload_account);

void vt_fire_ctx(struct vt_session *s, u32 unit, bool after_exit,
		 const struct vt_firing *f)
{
	struct vt_exec ex;
	struct vt_cpu *c;
	enum vt_fault fault;
	unsigned long flags;
	u64 t0, t1;

	preempt_disable_notrace();
	if (READ_ONCE(s->stop_reason) && !after_exit)
		goto out;
	c = this_cpu_ptr(s->cpu) + vt_context();
	if (c->busy) {
		c->skipped++;
		goto out;
	}
	c->busy = 1;
	barrier();	/* busy is set before anything a nested firing sees */
	/* The time cap and the governor measure the firing from here. */
	t0 = f && f->t_entry ? f->t_entry : vt_clock();
	c->t0 = t0;
	/* Deadman: output has waited unread too long (consumer stuck). */
	if (unlikely(s->deadman_j && READ_ONCE(s->pending)) && !after_exit) {
		smp_rmb();	/* pending_since was written before pending */
		if (time_after(jiffies, READ_ONCE(s->pending_since) +
			       s->deadman_j)) {
			vt_halt(s, c, VT_STOP_DEADMAN, s->deadman_j / HZ);
			goto out_busy;
		}
	}
	c->firing = f;
	c->kread_page = ULONG_MAX;	/* no kernel page checked yet */
	ex.prog = &s->prog;
	ex.host = c;
	ex.lglobals = s->lglobals;
	ex.sglobals = s->sglobals;
	ex.frame = c->frame;
	ex.budget = s->budget;
	ex.maps = s->map_mem;
	ex.stacks = s->stacks;
	ex.nvslots = s->nvslots;
	ex.vslot = c->vslot;
	ex.fault_pc = 0;
	ex.fault_detail = 0;
	/*
	 * Interrupts off while the VM runs: then
	 * only an NMI can come in between, and it has its own vslot, so a
	 * statistic's value slot is updated by one firing at a time.
	 */
	raw_local_irq_save(flags);
	fault = vt_run(&ex, unit);
	if (unlikely(c->ev))		/* a reservation the VM left open */
		vt_host_commit(c, NULL);
	c->fired++;
	if (fault != VT_FAULT_NONE) {
		c->errors++;
		vt_emit_error(c, &ex, fault);
		if ((u32)atomic_inc_return(&s->nerrors) > s->prog.maxerrors)
			vt_halt(s, c, VT_STOP_MAXERRORS, s->prog.maxerrors);
	}
	t1 = vt_clock();
	raw_local_irq_restore(flags);
	/* The longest firing, entry to end of the VM run, for STATUS. */
	if (t1 - t0 > c->max_firing_ns)
		WRITE_ONCE(c->max_firing_ns, t1 - t0);
	c->firing = NULL;
	vt_overload_account(s, c, t0, vt_clock());
out_busy:
	barrier();
	c->busy = 0;
out:
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(vt_fire_ctx);
NOKPROBE_SYMBOL(vt_run);

u64 vt_host_time_ns(void *host)
{
	return ktime_get_real_fast_ns();
}
NOKPROBE_SYMBOL(vt_host_time_ns);

/* The task the firing describes: vt_firing.task, else current. */
static __always_inline struct task_struct *vt_task(void *host)
{
	const struct vt_firing *f = ((struct vt_cpu *)host)->firing;

	return f && f->task ? f->task : current;
}

u64 vt_host_pid(void *host)
{
	return vt_task(host)->tgid;
}
NOKPROBE_SYMBOL(vt_host_pid);

u64 vt_host_tid(void *host)
{
	return vt_task(host)->pid;
}
NOKPROBE_SYMBOL(vt_host_tid);

u64 vt_host_cpu(void *host)
{
	return smp_processor_id();
}
NOKPROBE_SYMBOL(vt_host_cpu);

u64 vt_host_task(void *host)
{
	return (u64)(unsigned long)vt_task(host);
}
NOKPROBE_SYMBOL(vt_host_task);

/* The task's comm may change under us: copy bytewise, always terminate. */
void vt_host_comm(void *host, char *buf, u32 size)
{
	const char *comm = vt_task(host)->comm;
	u32 i, n;

	if (!size)
		return;
	n = min_t(u32, size - 1, sizeof(current->comm) - 1);
	for (i = 0; i < n; i++) {
		char ch = READ_ONCE(comm[i]);

		if (!ch)
			break;
		buf[i] = ch;
	}
	buf[i] = '\0';
}
NOKPROBE_SYMBOL(vt_host_comm);

void vt_host_exit(void *host)
{
	struct vt_cpu *c = host;

	vt_halt(c->s, c, VT_STOP_EXIT, 0);
}
NOKPROBE_SYMBOL(vt_host_exit);

/* ------------------------------------------------ probe context */

u32 vt_host_probe(void *host)
{
	const struct vt_firing *f = ((struct vt_cpu *)host)->firing;

	return f ? f->probe : U32_MAX;
}
NOKPROBE_SYMBOL(vt_host_probe);

int vt_host_reg(void *host, u32 idx, u64 *val)
{
	const struct vt_firing *f = ((struct vt_cpu *)host)->firing;
	const struct pt_regs *r = f ? f->regs : NULL;

	if (!r)
		return -1;
	switch (idx) {
	case VT_REG_AX:
		*val = r->ax;
		break;
	case VT_REG_BX:
		*val = r->bx;
		break;
	case VT_REG_CX:
		*val = r->cx;
		break;
	case VT_REG_DX:
		*val = r->dx;
		break;
	case VT_REG_SI:
		*val = r->si;
		break;
	case VT_REG_DI:
		*val = r->di;
		break;
	case VT_REG_BP:
		*val = r->bp;
		break;
	case VT_REG_SP:
		*val = r->sp;
		break;
	case VT_REG_R8:
		*val = r->r8;
		break;
	case VT_REG_R9:
		*val = r->r9;
		break;
	case VT_REG_R10:
		*val = r->r10;
		break;
	case VT_REG_R11:
		*val = r->r11;
		break;
	case VT_REG_R12:
		*val = r->r12;
		break;
	case VT_REG_R13:
		*val = r->r13;
		break;
	case VT_REG_R14:
		*val = r->r14;
		break;
	case VT_REG_R15:
		*val = r->r15;
		break;
	case VT_REG_IP:
		*val = r->ip;
		break;
	case VT_REG_FLAGS:
		*val = r->flags;
		break;
	case VT_REG_ORIG_AX:
		*val = r->orig_ax;
		break;
	case VT_REG_CS:
		*val = r->cs;
		break;
	default:
		return -1;
	}
	return 0;
}
NOKPROBE_SYMBOL(vt_host_reg);

/* Bounds-checked against the record; the record is the firing's own. */
int vt_host_event(void *host, void *dst, u32 off, u32 len)
{
	const struct vt_firing *f = ((struct vt_cpu *)host)->firing;

	if (!f || !f->event || off > f->event_size ||
	    len > f->event_size - off)
		return -1;
	memcpy(dst, (const u8 *)f->event + off, len);
	return 0;
}
NOKPROBE_SYMBOL(vt_host_event);

/*
 * Reads that neither fault nor sleep, nor touch a device: a kernel read
 * must lie in RAM mapped write-back (vt_kernel_readable, kread.c: no
 * MMIO).  copy_from_kernel_nofault() refuses
 * user and non-canonical addresses; copy_from_user_nofault() refuses
 * kernel addresses and, in NMI, a loaded mm that is not current's
 * (nmi_uaccess_okay).  User memory is the interrupted task's, and only if
 * it has an mm: a kernel thread (or a task past exit_mm) has none, and
 * the user half of the address space it runs on belongs to whichever mm
 * it borrowed last; a firing that describes another task
 * (vt_firing.task) reads no user memory.  (strncpy_*_nofault is not
 * exported on 6.1: the VM reads strings in small chunks instead.)
 */
int vt_host_read(void *host, void *dst, u64 addr, u32 len, bool user)
{
	long ret;

	if (!user) {
		ret = vt_kernel_readable(host, addr, len) ?
		      copy_from_kernel_nofault(dst, (const void *)(uintptr_t)addr,
					       len) : -EFAULT;
	} else if (vt_task(host) != current || !current->mm) {
		ret = -EFAULT;
	} else {
		ret = copy_from_user_nofault(dst,
					     (const void __user *)(uintptr_t)addr,
					     len);
	}
	return ret ? -1 : 0;
}
NOKPROBE_SYMBOL(vt_host_read);
