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
#include <linux/overflow.h>
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

/* The provider's state: s->prov[VT_PROV_UPROBE]. */
struct vt_uprobes {
	u32 n;				/* u[0..n) registered */
	struct vt_uprobe u[];		/* uprobes and uretprobes */
};

static u64 vt_uprobe_bytes(const struct vt_session *s, u32 count)
{
	struct vt_uprobes *us;

	return struct_size(us, u, count);
}

static int vt_uprobe_prepare(struct vt_session *s, u32 count)
{
	struct vt_uprobes *us;

	us = kvzalloc(struct_size(us, u, count), GFP_KERNEL_ACCOUNT);
	s->prov[VT_PROV_UPROBE] = us;
	return us ? 0 : -ENOMEM;
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

static int vt_uprobe_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_uprobes *us = s->prov[VT_PROV_UPROBE];
	struct vt_uprobe *u = &us->u[us->n];
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
	us->n++;
	return 0;
}

static bool vt_uprobe_detach(struct vt_session *s)
{
	struct vt_uprobes *us = s->prov[VT_PROV_UPROBE];
	u32 i;

	if (!us)
		return false;
	for (i = 0; i < us->n; i++) {
		struct vt_uprobe *u = &us->u[i];

#if VT_UPROBE_NEW_API
		uprobe_unregister_nosync(u->up, &u->uc);
#else
		uprobe_unregister(u->inode, u->offset, &u->uc);
#endif
	}
#if VT_UPROBE_NEW_API
	if (us->n)
		uprobe_unregister_sync();
#endif
	for (i = 0; i < us->n; i++) {
		iput(us->u[i].inode);
		put_pid(us->u[i].tgid);
	}
	kvfree(us);
	s->prov[VT_PROV_UPROBE] = NULL;
	return false;
}

/*
 * State: a consumer per probe, uprobe or uretprobe, holding its inode
 * and pid; detach unregisters them all, waits for handlers in flight
 * (above), then drops the references and frees them.
 */
const struct vt_provider vt_provider_uprobe = {
	.types = BIT(VT_PROBE_UPROBE) | BIT(VT_PROBE_URETPROBE),
	.bytes = vt_uprobe_bytes,
	.prepare = vt_uprobe_prepare,
	.attach = vt_uprobe_attach,
	.detach = vt_uprobe_detach,
};
