// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the vtrace module: the /dev/vtrace misc device and its file
 * operations.  Each open file is one session (file->private_data); the
 * work is done in control.c (ioctls) and output.c (read, poll).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "session.h"

unsigned int vt_bufsize_kb = 256;
module_param_named(bufsize_kb, vt_bufsize_kb, uint, 0644);
MODULE_PARM_DESC(bufsize_kb,
		 "output ring buffer per CPU in KiB (16..65536, default 256)");

unsigned int vt_max_budget = 100000;
module_param_named(max_budget, vt_max_budget, uint, 0644);
MODULE_PARM_DESC(max_budget,
		 "cap on instructions per firing (default 100000)");

unsigned int vt_max_probes = 4096;
module_param_named(max_probes, vt_max_probes, uint, 0644);
MODULE_PARM_DESC(max_probes,
		 "most probes one session may arm (default 4096)");

unsigned int vt_reorder_us;
module_param_named(reorder_us, vt_reorder_us, uint, 0644);
MODULE_PARM_DESC(reorder_us,
		 "hold records this young back to order CPUs exactly (default 0)");

unsigned int vt_overload_interval_ms = 1000;
module_param_named(overload_interval_ms, vt_overload_interval_ms, uint, 0644);
MODULE_PARM_DESC(overload_interval_ms,
		 "overload governor: window in ms (default 1000), read at START");

unsigned int vt_overload_percent = 50;
module_param_named(overload_percent, vt_overload_percent, uint, 0644);
MODULE_PARM_DESC(overload_percent,
		 "stop a session whose firings take more than this % of a CPU over a window (default 50, 0 = off)");

unsigned int vt_deadman_s = 30;
module_param_named(deadman_s, vt_deadman_s, uint, 0644);
MODULE_PARM_DESC(deadman_s,
		 "stop firing when output waited this long unread (default 30, 0 = off)");

static unsigned int vt_max_sessions = 16;
module_param_named(max_sessions, vt_max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions,
		 "most open sessions; open() beyond fails with EBUSY (default 16)");

unsigned int vt_max_session_mb = 128;
module_param_named(max_session_mb, vt_max_session_mb, uint, 0644);
MODULE_PARM_DESC(max_session_mb,
		 "most memory one session may use, MiB; START beyond fails with E2BIG (default 128)");

unsigned int vt_max_firing_us = 20000;
module_param_named(max_firing_us, vt_max_firing_us, uint, 0644);
MODULE_PARM_DESC(max_firing_us,
		 "stop a firing (fault TIME) that ran longer than this, in us (default 20000, 0 = off), read at START");

static atomic_t vt_nsessions = ATOMIC_INIT(0);

static int vt_open(struct inode *inode, struct file *f)
{
	struct vt_session *s;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (atomic_inc_return(&vt_nsessions) > READ_ONCE(vt_max_sessions)) {
		atomic_dec(&vt_nsessions);
		return -EBUSY;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		atomic_dec(&vt_nsessions);
		return -ENOMEM;
	}
	mutex_init(&s->lock);
	s->failed_probe = U32_MAX;
	s->state = VT_STATE_EMPTY;
	init_waitqueue_head(&s->wq);
	f->private_data = s;
	return nonseekable_open(inode, f);
}

static int vt_release(struct inode *inode, struct file *f)
{
	struct vt_session *s = f->private_data;

	vt_ioctl_stop(s);
	vt_session_free(s);
	atomic_dec(&vt_nsessions);
	return 0;
}

static long vt_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct vt_session *s = f->private_data;
	void __user *uarg = (void __user *)arg;

	/*
	 * Loading and arming need the caller's own CAP_SYS_ADMIN, not only
	 * the opener's: a descriptor handed to (or inherited by) an
	 * unprivileged process may read, STATUS and STOP, not trace.
	 */
	switch (cmd) {
	case VT_IOC_LOAD:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return vt_ioctl_load(s, uarg);
	case VT_IOC_START:
		if (!capable(CAP_SYS_ADMIN))
			return -EPERM;
		return vt_ioctl_start(s);
	case VT_IOC_STOP:
		return vt_ioctl_stop(s);
	case VT_IOC_STATUS:
		return vt_ioctl_status(s, uarg);
	case VT_IOC_SNAPSHOT:
		return vt_ioctl_snapshot(s, uarg);
	default:
		return -ENOTTY;
	}
}

static ssize_t vt_read(struct file *f, char __user *buf, size_t len,
		       loff_t *ppos)
{
	return vt_output_read(f->private_data, buf, len,
			      f->f_flags & O_NONBLOCK);
}

static __poll_t vt_poll(struct file *f, struct poll_table_struct *pt)
{
	return vt_output_poll(f->private_data, f, pt);
}

static const struct file_operations vt_fops = {
	.owner = THIS_MODULE,
	.open = vt_open,
	.release = vt_release,
	.unlocked_ioctl = vt_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.read = vt_read,
	.poll = vt_poll,
};

static struct miscdevice vt_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "vtrace",
	.fops = &vt_fops,
	.mode = 0600,
};

static int __init vt_init(void)
{
	int ret = misc_register(&vt_misc);

	if (ret)
		pr_err("cannot register /dev/vtrace: %d\n", ret);
	return ret;
}

static void __exit vt_exit(void)
{
	misc_deregister(&vt_misc);
}

module_init(vt_init);
module_exit(vt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vtrace: dynamic tracing with an in-kernel bytecode VM");
