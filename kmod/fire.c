// SPDX-License-Identifier: GPL-2.0-only
/*
 * fire.c - running a probe's unit, and the VM's host functions.
 *
 * A firing runs with preemption disabled on its CPU's struct vt_cpu.  A
 * firing that interrupts another one of the same session on the same CPU
 * (an interrupt or NMI in the middle of a unit) is not run: it is counted
 * in `skipped`.  Nothing here sleeps, allocates or takes a lock, so it is
 * safe in any context a probe fires in, up to NMI.  Once exit() ran,
 * only end probes still run.
 */
#include <linux/kprobes.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/timekeeping.h>

#include "session.h"

static void vt_emit_error(struct vt_cpu *c, const struct vt_exec *ex,
			  enum vt_fault fault)
{
	struct vt_rec_error *e;

	e = vt_host_reserve(c, VT_REC_ERROR, sizeof(*e));
	if (!e)
		return;
	e->pc = ex->fault_pc;
	e->fault = fault;
	e->reserved = 0;
	e->detail = ex->fault_detail;
	vt_host_commit(c, e);
}
NOKPROBE_SYMBOL(vt_emit_error);

void vt_fire(struct vt_session *s, u32 unit, bool after_exit)
{
	struct vt_exec ex;
	struct vt_cpu *c;
	enum vt_fault fault;

	preempt_disable_notrace();
	if (READ_ONCE(s->exit_requested) && !after_exit)
		goto out;
	if (this_cpu_inc_return(s->cpu->busy) != 1) {
		this_cpu_inc(s->cpu->skipped);
		goto out_busy;
	}
	c = this_cpu_ptr(s->cpu);
	ex.prog = &s->prog;
	ex.host = c;
	ex.lglobals = s->lglobals;
	ex.sglobals = s->sglobals;
	ex.frame = c->frame;
	ex.budget = s->budget;
	ex.fault_pc = 0;
	ex.fault_detail = 0;
	fault = vt_run(&ex, unit);
	if (unlikely(c->ev))		/* a reservation the VM left open */
		vt_host_commit(c, NULL);
	c->fired++;
	if (fault != VT_FAULT_NONE) {
		c->errors++;
		vt_emit_error(c, &ex, fault);
	}
out_busy:
	this_cpu_dec(s->cpu->busy);
out:
	preempt_enable_notrace();
}
NOKPROBE_SYMBOL(vt_fire);
NOKPROBE_SYMBOL(vt_run);

u64 vt_host_time_ns(void *host)
{
	return ktime_get_real_fast_ns();
}
NOKPROBE_SYMBOL(vt_host_time_ns);

u64 vt_host_pid(void *host)
{
	return current->tgid;
}
NOKPROBE_SYMBOL(vt_host_pid);

u64 vt_host_tid(void *host)
{
	return current->pid;
}
NOKPROBE_SYMBOL(vt_host_tid);

u64 vt_host_cpu(void *host)
{
	return smp_processor_id();
}
NOKPROBE_SYMBOL(vt_host_cpu);

/* current->comm may change under us: copy bytewise, always terminate. */
void vt_host_comm(void *host, char *buf, u32 size)
{
	const char *comm = current->comm;
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
	struct vt_session *s = c->s;
	void *p;

	if (xchg(&s->exit_requested, 1))
		return;
	p = vt_host_reserve(c, VT_REC_EXIT, 0);
	if (p)
		vt_host_commit(c, p);
	else
		vt_output_kick(s);
}
NOKPROBE_SYMBOL(vt_host_exit);
