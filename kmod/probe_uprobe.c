// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_uprobe.c - the uprobe and uretprobe providers: one
 * uprobe_consumer per probe on (inode of the target binary, file
 * offset); its handler (uprobe) or ret_handler (uretprobe) runs the
 * unit with the user registers.  A probe with pid > 0 fires only in
 * that process: the pid is the START caller's (its pid namespace's), held
 * as a struct pid and compared with the hitting task's thread group
 * (in the handler: the consumer's filter changed signature between the
 * kernels we build for, and it is only an optimization of where
 * breakpoints are written).  A pid that names no process fails START
 * with -ESRCH.
 *
 * Two kernel APIs:
 *  - before 6.12: uprobe_register(inode, offset, uc) returns an errno and
 *    uprobe_unregister(inode, offset, uc) waits for that consumer's
 *    handlers (they run under the uprobe's register_rwsem);
 *  - 6.12: uprobe_register(inode, offset, ref_ctr_offset, uc) returns a
 *    struct uprobe *; uprobe_unregister_nosync() for each, then one
 *    uprobe_unregister_sync() waits for every handler in flight.
 * Either way no handler runs once detach returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uprobes.h>
#include <linux/version.h>

#include "session.h"

#define VT_UPROBE_NEW_API (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0))

struct vt_uprobe {
	struct uprobe_consumer uc;
	struct vt_session *s;
	u32 probe;
	struct pid *tgid;		/* held: only this process; or NULL */
	struct inode *inode;		/* held (igrab) while registered */
	loff_t offset;
#if VT_UPROBE_NEW_API
	struct uprobe *up;
#endif
};

static bool vt_uprobe_wanted(const struct vt_uprobe *u)
{
	return !u->tgid || task_tgid(current) == u->tgid;
}

static int vt_uprobe_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct vt_uprobe *u = container_of(uc, struct vt_uprobe, uc);

	if (vt_uprobe_wanted(u))
		vt_fire_probe(u->s, u->probe, regs, false);
	return 0;
}
NOKPROBE_SYMBOL(vt_uprobe_hit);

static int vt_uretprobe_hit(struct uprobe_consumer *uc, unsigned long func,
			    struct pt_regs *regs)
{
	struct vt_uprobe *u = container_of(uc, struct vt_uprobe, uc);

	if (vt_uprobe_wanted(u))
		vt_fire_probe(u->s, u->probe, regs, false);
	return 0;
}
NOKPROBE_SYMBOL(vt_uretprobe_hit);

/* Uprobes and uretprobes together (the provider table counts it once). */
static u32 vt_uprobe_count(const struct vt_session *s)
{
	return s->ntype[VT_PROBE_UPROBE] + s->ntype[VT_PROBE_URETPROBE];
}

u64 vt_uprobe_bytes(const struct vt_session *s)
{
	return (u64)vt_uprobe_count(s) * sizeof(struct vt_uprobe);
}

/*
 * Uprobes and uretprobes share one array with a slot for each (prepare
 * runs once per type present; the first allocates).
 */
int vt_uprobe_prepare(struct vt_session *s, u32 count)
{
	if (s->ups)
		return 0;
	s->nup = 0;
	s->ups = kvcalloc(vt_uprobe_count(s), sizeof(*s->ups),
			  GFP_KERNEL_ACCOUNT);
	return s->ups ? 0 : -ENOMEM;
}

/* The inode of regular file @path, referenced; or an ERR_PTR. */
static struct inode *vt_uprobe_inode(const char *path)
{
	struct inode *inode;
	struct path p;
	int ret;

	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ERR_PTR(ret);
	inode = d_inode(p.dentry);
	inode = S_ISREG(inode->i_mode) ? igrab(inode) : NULL;
	path_put(&p);
	return inode ? inode : ERR_PTR(-EINVAL);
}

int vt_uprobe_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_uprobe *u = &s->ups[s->nup];
	struct inode *inode;
	int ret;

	if (pd->offset > (u64)LLONG_MAX)
		return vt_attach_outcome(s, pd, -EINVAL);
	inode = vt_uprobe_inode(vt_prog_str(&s->prog, pd->target));
	if (IS_ERR(inode))
		return vt_attach_outcome(s, pd, PTR_ERR(inode));
	memset(u, 0, sizeof(*u));
	/* As the caller sees it (find_get_pid: current's pid namespace). */
	if (pd->pid > 0) {
		u->tgid = find_get_pid(pd->pid);
		if (!u->tgid) {
			iput(inode);
			return vt_attach_outcome(s, pd, -ESRCH);
		}
	}
	u->s = s;
	u->probe = probe;
	u->inode = inode;
	u->offset = (loff_t)pd->offset;
	if (pd->type == VT_PROBE_URETPROBE)
		u->uc.ret_handler = vt_uretprobe_hit;
	else
		u->uc.handler = vt_uprobe_hit;
#if VT_UPROBE_NEW_API
	u->up = uprobe_register(inode, u->offset, 0, &u->uc);
	ret = IS_ERR(u->up) ? PTR_ERR(u->up) : 0;
#else
	ret = uprobe_register(inode, u->offset, &u->uc);
#endif
	if (ret) {
		iput(inode);
		put_pid(u->tgid);
		memset(u, 0, sizeof(*u));
		return vt_attach_outcome(s, pd, ret);
	}
	s->nup++;
	return 0;
}

void vt_uprobe_detach(struct vt_session *s)
{
	u32 i;

	for (i = 0; i < s->nup; i++) {
		struct vt_uprobe *u = &s->ups[i];

#if VT_UPROBE_NEW_API
		uprobe_unregister_nosync(u->up, &u->uc);
#else
		uprobe_unregister(u->inode, u->offset, &u->uc);
#endif
	}
#if VT_UPROBE_NEW_API
	if (s->nup)
		uprobe_unregister_sync();
#endif
	for (i = 0; i < s->nup; i++) {
		iput(s->ups[i].inode);
		put_pid(s->ups[i].tgid);
	}
	s->nup = 0;
	kvfree(s->ups);
	s->ups = NULL;
}
