// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_proc.c - process.begin and process.end: probes on the
 * sched_process_exec and sched_process_exit tracepoints (found with
 * for_each_kernel_tracepoint, one registration of each per session,
 * with the session as data).  Filters: pid > 0 (the thread group) and
 * target, a binary path, compared by inode with the file exec'ed.
 *
 * begin fires in the new process right after its exec; end fires when
 * the last thread of a process exits (its mm is gone by then, so a path
 * filter on end follows the processes seen running the binary: those
 * running it at START and those that exec it later, up to
 * VT_PROC_TRACK at once per probe).  A process already running at START
 * does not get a begin.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/binfmts.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "session.h"

#define VT_PROC_TRACK	256	/* processes a path-filtered end follows */

struct vt_proc {
	u32 probe;
	bool end;
	pid_t pid;			/* > 0: only this thread group */
	struct inode *inode;		/* held; NULL: any binary */
	pid_t *track;			/* end with inode: tgids, 0 = free */
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

static void vt_proc_exec(void *data, struct task_struct *p, pid_t old_pid,
			 struct linux_binprm *bprm)
{
	struct vt_session *s = data;
	struct inode *ino = bprm->file ? file_inode(bprm->file) : NULL;
	pid_t tgid = task_tgid_nr(p);
	u32 i;

	for (i = 0; i < s->nproc; i++) {
		struct vt_proc *pr = &s->procs[i];

		if ((pr->pid > 0 && pr->pid != tgid) ||
		    (pr->inode && pr->inode != ino))
			continue;
		if (pr->end) {
			if (pr->track)
				vt_proc_track(pr, tgid);
			continue;
		}
		vt_fire_probe(s, pr->probe, task_pt_regs(p), false);
	}
}
NOKPROBE_SYMBOL(vt_proc_exec);

static void vt_proc_exit(void *data, struct task_struct *p)
{
	struct vt_session *s = data;
	pid_t tgid = task_tgid_nr(p);
	u32 i;

	/* only the last thread of the group */
	if (!p->signal || atomic_read(&p->signal->live) > 0)
		return;
	for (i = 0; i < s->nproc; i++) {
		struct vt_proc *pr = &s->procs[i];

		if (!pr->end || (pr->pid > 0 && pr->pid != tgid))
			continue;
		if (pr->track && !vt_proc_untrack(pr, tgid))
			continue;
		vt_fire_probe(s, pr->probe, NULL, false);
	}
}
NOKPROBE_SYMBOL(vt_proc_exit);

int vt_proc_prepare(struct vt_session *s, u32 count)
{
	if (s->procs)
		return 0;	/* begin and end share the array */
	s->nproc = 0;
	s->proc_tp_exec = NULL;
	s->proc_tp_exit = NULL;
	s->procs = kvcalloc(s->prog.nprobes, sizeof(*s->procs),
			    GFP_KERNEL_ACCOUNT);
	return s->procs ? 0 : -ENOMEM;
}

/* Follow the processes running @pr->inode now. */
static void vt_proc_scan(struct vt_proc *pr)
{
	struct task_struct *t;

	rcu_read_lock();
	for_each_process(t) {
		struct file *f;

		if (t->flags & PF_KTHREAD)
			continue;
		task_lock(t);
		f = t->mm ? rcu_dereference(t->mm->exe_file) : NULL;
		if (f && file_inode(f) == pr->inode)
			vt_proc_track(pr, task_tgid_nr(t));
		task_unlock(t);
	}
	rcu_read_unlock();
}

static int vt_proc_register(struct vt_session *s, bool end)
{
	struct vt_proc_tps tps = { 0 };
	int ret;

	if (end ? s->proc_tp_exit && s->proc_tp_exec : !!s->proc_tp_exec)
		return 0;
	for_each_kernel_tracepoint(vt_proc_find_tp, &tps);
	if (!tps.exec || !tps.exit)
		return -ENOENT;
	if (!s->proc_tp_exec) {
		ret = tracepoint_probe_register(tps.exec, vt_proc_exec, s);
		if (ret)
			return ret;
		s->proc_tp_exec = tps.exec;
	}
	if (end && !s->proc_tp_exit) {
		ret = tracepoint_probe_register(tps.exit, vt_proc_exit, s);
		if (ret)
			return ret;
		s->proc_tp_exit = tps.exit;
	}
	return 0;
}

int vt_proc_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_proc *pr = &s->procs[s->nproc];
	const char *path = vt_prog_str(&s->prog, pd->target);
	int ret = 0;

	memset(pr, 0, sizeof(*pr));
	pr->probe = probe;
	pr->end = pd->type == VT_PROBE_PROC_END;
	pr->pid = pd->pid;
	if (path[0]) {
		struct path p;

		ret = kern_path(path, LOOKUP_FOLLOW, &p);
		if (ret)
			return vt_attach_outcome(s, pd, ret);
		pr->inode = igrab(d_inode(p.dentry));
		path_put(&p);
		if (!pr->inode)
			return vt_attach_outcome(s, pd, -ENOENT);
	}
	if (pr->end && pr->inode && pr->pid <= 0) {
		pr->track = kcalloc(VT_PROC_TRACK, sizeof(*pr->track),
				    GFP_KERNEL_ACCOUNT);
		if (!pr->track) {
			ret = -ENOMEM;
			goto fail;
		}
		vt_proc_scan(pr);
	}
	/* visible to the handlers before they can run */
	smp_store_release(&s->nproc, s->nproc + 1);
	ret = vt_proc_register(s, pr->end);
	if (ret) {
		s->nproc--;
		goto fail;
	}
	return 0;
fail:
	kfree(pr->track);
	if (pr->inode)
		iput(pr->inode);
	memset(pr, 0, sizeof(*pr));
	return vt_attach_outcome(s, pd, ret);
}

void vt_proc_detach(struct vt_session *s)
{
	u32 i;

	if (s->proc_tp_exec)
		tracepoint_probe_unregister(s->proc_tp_exec, vt_proc_exec, s);
	if (s->proc_tp_exit)
		tracepoint_probe_unregister(s->proc_tp_exit, vt_proc_exit, s);
	if (s->proc_tp_exec || s->proc_tp_exit)
		tracepoint_synchronize_unregister();
	s->proc_tp_exec = NULL;
	s->proc_tp_exit = NULL;
	for (i = 0; i < s->nproc; i++) {
		kfree(s->procs[i].track);
		if (s->procs[i].inode)
			iput(s->procs[i].inode);
	}
	s->nproc = 0;
	kvfree(s->procs);
	s->procs = NULL;
}
