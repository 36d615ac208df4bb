// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_proc.c - process.begin and process.end: probes on the
 * sched_process_exec and sched_process_exit tracepoints (found with
 * for_each_kernel_tracepoint, one registration of each per session,
 * with the provider's state as data).  Filters: pid > 0 (the thread
 * group, a pid in the START caller's pid namespace, held as its struct
 * pid so that the handlers compare processes, not numbers that mean
 * something else in another namespace) and target, a binary path,
 * compared by inode with the file exec'ed.
 *
 * begin fires in the new process right after its exec; end fires when
 * the last thread of a process exits (its mm is gone by then, so a path
 * filter on end follows the processes seen running the binary: those
 * running it at START and those that exec it later, up to
 * VT_PROC_TRACK at once per probe).
 *
 * A process already running at START gets its begin from a walk in a
 * work item, queued once the exec tracepoint is armed (so after the
 * begin probes, which ran before any other probe was armed).  The walk
 * goes up the tgids (find_ge_pid, resumable) under the RCU read lock,
 * at most VT_PROC_BATCH pids per lock section, and fires outside it
 * with a reference on the task; the firing's context is that task
 * (vt_firing.task: pid(), tid(), execname()), with no registers and no
 * user memory.  Detach stops the walk and waits for it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/timekeeping.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "session.h"

#define VT_PROC_TRACK	256	/* processes a path-filtered end follows */
#define VT_PROC_BATCH	64	/* pids one RCU section of the walk looks at */

struct vt_proc {
	u32 probe;
	bool end;
	struct pid *tgid;		/* held: only this thread group; or NULL */
	struct inode *inode;		/* held; NULL: any binary */
	pid_t *track;			/* end with inode: tgids, 0 = free */
	/* begin: the walk over the processes running at START */
	struct vt_session *s;
	struct work_struct walk;	/* queued once, cancelled at detach */
	u64 armed_ns;			/* later forks get begin at exec */
	pid_t starter;			/* tgid of the START caller */
	bool quit;			/* detach: stop walking */
};

/*
 * The provider's state: s->prov[VT_PROV_PROC], the data of both
 * tracepoint handlers.  p[0..n) are whole: an entry is published (n,
 * with release) only once nothing can fail any more, and handlers read
 * n with acquire.
 */
struct vt_procs {
	struct vt_session *s;
	struct tracepoint *tp_exec;	/* registered, or NULL */
	struct tracepoint *tp_exit;
	u32 n;
	struct vt_proc p[];		/* process.begin and process.end */
};

struct vt_proc_tps {
	struct tracepoint *exec, *exit;
};

static void vt_proc_find_tp(struct tracepoint *tp, void *priv)
{
	struct vt_proc_tps *t = priv;

	if (!strcmp(tp->name, "sched_process_exec"))
		t->exec = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		t->exit = tp;
}

static void vt_proc_track(struct vt_proc *pr, pid_t tgid)
{
	int i;

	for (i = 0; i < VT_PROC_TRACK; i++)
		if (READ_ONCE(pr->track[i]) == tgid)
			return;
	for (i = 0; i < VT_PROC_TRACK; i++)
		if (!READ_ONCE(pr->track[i]) && !cmpxchg(&pr->track[i], 0, tgid))
			return;
}
NOKPROBE_SYMBOL(vt_proc_track);

/* Forget @tgid; true if it was followed. */
static bool vt_proc_untrack(struct vt_proc *pr, pid_t tgid)
{
	int i;

	for (i = 0; i < VT_PROC_TRACK; i++)
		if (READ_ONCE(pr->track[i]) == tgid &&
		    cmpxchg(&pr->track[i], tgid, 0) == tgid)
			return true;
	return false;
}
NOKPROBE_SYMBOL(vt_proc_untrack);

/* Run @pr's unit; the first firing of a handler counts from its entry. */
static void vt_proc_fire(struct vt_session *s, const struct vt_proc *pr,
			 struct vt_firing *f)
{
	f->probe = pr->probe;
	vt_fire_ctx(s, s->prog.probes[pr->probe].unit, false, f);
	f->t_entry = 0;
}
NOKPROBE_SYMBOL(vt_proc_fire);

static void vt_proc_exec(void *data, struct task_struct *p, pid_t old_pid,
			 struct linux_binprm *bprm)
{
	struct vt_firing f = { .regs = task_pt_regs(p),
			       .t_entry = vt_clock() };
	struct vt_procs *ps = data;
	struct inode *ino = bprm->file ? file_inode(bprm->file) : NULL;
	struct pid *group = task_tgid(p);
	pid_t tgid = task_tgid_nr(p);
	u32 i, n = smp_load_acquire(&ps->n);	/* entries [0, n) are whole */

	for (i = 0; i < n; i++) {
		struct vt_proc *pr = &ps->p[i];

		if ((pr->tgid && pr->tgid != group) ||
		    (pr->inode && pr->inode != ino))
			continue;
		if (pr->end) {
			if (pr->track)
				vt_proc_track(pr, tgid);
			continue;
		}
		vt_proc_fire(ps->s, pr, &f);
	}
}
NOKPROBE_SYMBOL(vt_proc_exec);

static void vt_proc_exit(void *data, struct task_struct *p)
{
	struct vt_firing f = { .t_entry = vt_clock() };
	struct vt_procs *ps = data;
	pid_t tgid = task_tgid_nr(p);
	u32 i, n;

	/* only the last thread of the group */
	if (!p->signal || atomic_read(&p->signal->live) > 0)
		return;
	n = smp_load_acquire(&ps->n);	/* entries [0, n) are whole */
	for (i = 0; i < n; i++) {
		struct vt_proc *pr = &ps->p[i];

		if (!pr->end || (pr->tgid && pr->tgid != task_tgid(p)))
			continue;
		if (pr->track && !vt_proc_untrack(pr, tgid))
			continue;
		vt_proc_fire(ps->s, pr, &f);
	}
}
NOKPROBE_SYMBOL(vt_proc_exit);

/* The array, and at most one tracking table per end probe. */
static u64 vt_proc_bytes(const struct vt_session *s, u32 count)
{
	struct vt_procs *ps;

	return struct_size(ps, p, count) +
	       (u64)s->ntype[VT_PROBE_PROC_END] * VT_PROC_TRACK *
	       sizeof(pid_t);
}

static int vt_proc_prepare(struct vt_session *s, u32 count)
{
	struct vt_procs *ps;

	ps = kvzalloc(struct_size(ps, p, count), GFP_KERNEL_ACCOUNT);
	if (!ps)
		return -ENOMEM;
	ps->s = s;
	s->prov[VT_PROV_PROC] = ps;
	return 0;
}

/*
 * Under RCU: @t runs the binary @inode (the inode of its mm's exe file,
 * as the exec handler compares the file exec'ed).  Kernel threads run none.
 */
static bool vt_proc_runs(struct task_struct *t, struct inode *inode)
{
	struct file *f;
	bool ret;

	if (t->flags & PF_KTHREAD)
		return false;
	task_lock(t);
	f = t->mm ? rcu_dereference(t->mm->exe_file) : NULL;
	ret = f && file_inode(f) == inode;
	task_unlock(t);
	return ret;
}

/* Follow the processes running @pr->inode now. */
static void vt_proc_scan(struct vt_proc *pr)
{
	struct task_struct *t;

	rcu_read_lock();
	for_each_process(t)
		if (vt_proc_runs(t, pr->inode))
			vt_proc_track(pr, task_tgid_nr(t));
	rcu_read_unlock();
}

/*
 * Under RCU: @pr's begin is due for the thread group leader @t.  Not
 * for kernel threads, a group whose threads all exited (its end may
 * have fired), a process forked after the exec tracepoint was armed (it
 * gets its begin at exec), nor a child of the START caller that has not
 * exec'ed yet (the -c command: its begin comes at its exec).
 */
static bool vt_proc_due(const struct vt_proc *pr, struct task_struct *t)
{
	if (t->flags & PF_KTHREAD || !atomic_read(&t->signal->live) ||
	    t->start_time > pr->armed_ns)
		return false;
	if (rcu_dereference(t->real_parent)->tgid == pr->starter &&
	    t->self_exec_id == t->parent_exec_id)
		return false;
	return !pr->inode || vt_proc_runs(t, pr->inode);
}

/*
 * Under RCU: the next process with a tgid from *@nr to @last that @pr's
 * begin is due for, referenced; NULL after VT_PROC_BATCH pids or when
 * none is left.  *@nr moves past the pids looked at (@last + 1: done).
 */
static struct task_struct *vt_proc_next(const struct vt_proc *pr, int *nr,
					int last)
{
	struct task_struct *t;
	struct pid *pid;
	int n;

	for (n = 0; n < VT_PROC_BATCH; n++) {
		pid = find_ge_pid(*nr, &init_pid_ns);
		if (!pid || pid_nr(pid) > last) {
			*nr = last + 1;
			return NULL;
		}
		*nr = pid_nr(pid) + 1;
		t = pid_task(pid, PIDTYPE_TGID);
		if (t && vt_proc_due(pr, t)) {
			get_task_struct(t);
			return t;
		}
	}
	return NULL;
}

/* Under RCU: @pr's process (pid filter) if its begin is due, referenced. */
static struct task_struct *vt_proc_one(const struct vt_proc *pr)
{
	struct task_struct *t = pid_task(pr->tgid, PIDTYPE_TGID);

	if (!t || !vt_proc_due(pr, t))
		return NULL;
	get_task_struct(t);
	return t;
}

/* Work item: @pr's begin once for each process running at START. */
static void vt_proc_walk(struct work_struct *w)
{
	struct vt_proc *pr = container_of(w, struct vt_proc, walk);
	struct vt_session *s = pr->s;
	int nr = 1;
	struct task_struct *t;

	while (nr <= PID_MAX_LIMIT && !READ_ONCE(pr->quit) &&
	       !READ_ONCE(s->stop_reason)) {
		rcu_read_lock();
		if (pr->tgid) {
			t = vt_proc_one(pr);
			nr = PID_MAX_LIMIT + 1;
		} else {
			t = vt_proc_next(pr, &nr, PID_MAX_LIMIT);
		}
		rcu_read_unlock();
		if (t) {
			struct vt_firing f = { .probe = pr->probe, .task = t };

			vt_fire_ctx(s, s->prog.probes[pr->probe].unit, false,
				    &f);
			put_task_struct(t);
		}
		cond_resched();
	}
}

static int vt_proc_register(struct vt_procs *ps, bool end)
{
	struct vt_proc_tps tps = { 0 };
	int ret;

	if (end ? ps->tp_exit && ps->tp_exec : !!ps->tp_exec)
		return 0;
	for_each_kernel_tracepoint(vt_proc_find_tp, &tps);
	if (!tps.exec || !tps.exit)
		return -ENOENT;
	if (!ps->tp_exec) {
		ret = tracepoint_probe_register(tps.exec, vt_proc_exec, ps);
		if (ret)
			return ret;
		ps->tp_exec = tps.exec;
	}
	if (end && !ps->tp_exit) {
		ret = tracepoint_probe_register(tps.exit, vt_proc_exit, ps);
		if (ret)
			return ret;
		ps->tp_exit = tps.exit;
	}
	return 0;
}

static int vt_proc_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_procs *ps = s->prov[VT_PROV_PROC];
	struct vt_proc *pr = &ps->p[ps->n];
	const char *path = vt_prog_str(&s->prog, pd->target);
	int ret = 0;

	memset(pr, 0, sizeof(*pr));
	pr->probe = probe;
	pr->end = pd->type == VT_PROBE_PROC_END;
	/* As the caller sees it (find_get_pid: current's pid namespace). */
	if (pd->pid > 0) {
		pr->tgid = find_get_pid(pd->pid);
		if (!pr->tgid)
			return vt_attach_outcome(s, pd, -ESRCH);
	}
	if (path[0]) {
		struct path p;

		ret = kern_path(path, LOOKUP_FOLLOW, &p);
		if (ret)
			goto fail;
		pr->inode = igrab(d_inode(p.dentry));
		path_put(&p);
		ret = -ENOENT;
		if (!pr->inode)
			goto fail;
	}
	if (pr->end && pr->inode && !pr->tgid) {
		pr->track = kcalloc(VT_PROC_TRACK, sizeof(*pr->track),
				    GFP_KERNEL_ACCOUNT);
		if (!pr->track) {
			ret = -ENOMEM;
			goto fail;
		}
		vt_proc_scan(pr);
	}
	if (!pr->end) {
		pr->s = s;
		pr->starter = task_tgid_nr(current);
		INIT_WORK(&pr->walk, vt_proc_walk);
	}
	/*
	 * The tracepoints first: the entry is published (n) only when
	 * nothing can fail any more, so a failed attach frees an entry that
	 * no handler has seen (the exec one may be armed already, by this
	 * call or an earlier probe).  Handlers read n with acquire.
	 */
	ret = vt_proc_register(ps, pr->end);
	if (ret)
		goto fail;
	smp_store_release(&ps->n, ps->n + 1);
	if (!pr->end) {
		/* exec is armed: a process forked later gets its begin there */
		pr->armed_ns = ktime_get_ns();
		queue_work(system_unbound_wq, &pr->walk);
	}
	return 0;
fail:
	kfree(pr->track);
	if (pr->inode)
		iput(pr->inode);
	put_pid(pr->tgid);
	memset(pr, 0, sizeof(*pr));
	return vt_attach_outcome(s, pd, ret);
}

static bool vt_proc_detach(struct vt_session *s)
{
	struct vt_procs *ps = s->prov[VT_PROV_PROC];
	u32 i;

	if (!ps)
		return false;
	for (i = 0; i < ps->n; i++) {
		if (ps->p[i].end)
			continue;
		WRITE_ONCE(ps->p[i].quit, true);
		cancel_work_sync(&ps->p[i].walk);
	}
	if (ps->tp_exec)
		tracepoint_probe_unregister(ps->tp_exec, vt_proc_exec, ps);
	if (ps->tp_exit)
		tracepoint_probe_unregister(ps->tp_exit, vt_proc_exit, ps);
	if (ps->tp_exec || ps->tp_exit)
		tracepoint_synchronize_unregister();
	for (i = 0; i < ps->n; i++) {
		kfree(ps->p[i].track);
		if (ps->p[i].inode)
			iput(ps->p[i].inode);
		put_pid(ps->p[i].tgid);
	}
	kvfree(ps);
	s->prov[VT_PROV_PROC] = NULL;
	return false;
}

/*
 * State: struct vt_procs, the data of one registration of each
 * tracepoint (exec at the first probe, exit at the first end probe), a
 * walk per begin probe, and the references each probe holds.  detach
 * stops and waits for the walks, unregisters the tracepoints and waits
 * for their handlers (tracepoint_synchronize_unregister), then drops
 * the references and frees it all.
 */
const struct vt_provider vt_provider_proc = {
	.types = BIT(VT_PROBE_PROC_BEGIN) | BIT(VT_PROBE_PROC_END),
	.bytes = vt_proc_bytes,
	.prepare = vt_proc_prepare,
	.attach = vt_proc_attach,
	.detach = vt_proc_detach,
};
