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
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>

#include "session.h"

/*
 * Module parameters.  The limits that guard the kernel are read-only in
 * sysfs (0444): set at insmod, clamped once at load to the range in
 * vt_limits[] (a warning names a value that was changed), so they cannot
 * be raised (or switched off) under running sessions, and every session
 * sees the values the module was loaded with.  The two tuning knobs,
 * bufsize_kb (bounded by max_session_mb) and reorder_us, stay writable
 * and are clamped where they are read, once per START or read().
 */
unsigned int vt_bufsize_kb = 256;
module_param_named(bufsize_kb, vt_bufsize_kb, uint, 0644);
MODULE_PARM_DESC(bufsize_kb,
		 "output ring buffer per CPU in KiB (16..65536, default 256), read at START");

unsigned int vt_reorder_us;
module_param_named(reorder_us, vt_reorder_us, uint, 0644);
MODULE_PARM_DESC(reorder_us,
		 "hold records this young back to order CPUs exactly (0..1000000, default 0)");

unsigned int vt_max_budget = 100000;
module_param_named(max_budget, vt_max_budget, uint, 0444);
MODULE_PARM_DESC(max_budget,
		 "cap on instructions per firing (1..1000000, default 100000)");

unsigned int vt_max_probes = 4096;
module_param_named(max_probes, vt_max_probes, uint, 0444);
MODULE_PARM_DESC(max_probes,
		 "most probes one session may arm (1..65536, default 4096)");

unsigned int vt_max_timer_hz = 20000;
module_param_named(max_timer_hz, vt_max_timer_hz, uint, 0444);
MODULE_PARM_DESC(max_timer_hz,
		 "most timer expirations a session may ask for per second on one CPU (1..100000, default 20000)");

unsigned int vt_overload_interval_ms = 1000;
module_param_named(overload_interval_ms, vt_overload_interval_ms, uint, 0444);
MODULE_PARM_DESC(overload_interval_ms,
		 "overload governor: window in ms (10..60000, default 1000)");

unsigned int vt_overload_percent = 50;
module_param_named(overload_percent, vt_overload_percent, uint, 0444);
MODULE_PARM_DESC(overload_percent,
		 "stop a session whose firings take more than this % of a CPU over a window (0..100, default 50, 0 = off)");

unsigned int vt_deadman_s = 30;
module_param_named(deadman_s, vt_deadman_s, uint, 0444);
MODULE_PARM_DESC(deadman_s,
		 "stop firing when output waited this long unread (0..86400, default 30, 0 = off)");

static unsigned int vt_max_sessions = 16;
module_param_named(max_sessions, vt_max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions,
		 "most open sessions; open() beyond fails with EBUSY (1..1024, default 16)");

unsigned int vt_max_session_mb = 128;
module_param_named(max_session_mb, vt_max_session_mb, uint, 0444);
MODULE_PARM_DESC(max_session_mb,
		 "most memory one session may use, MiB; START beyond fails with E2BIG (1..half the RAM, default 128)");

unsigned int vt_max_firing_us = 20000;
module_param_named(max_firing_us, vt_max_firing_us, uint, 0444);
MODULE_PARM_DESC(max_firing_us,
		 "stop a firing (fault TIME) that ran longer than this, in us (100..100000, default 20000)");

/* The read-only limits and their safe ranges, enforced at load. */
static struct {
	unsigned int *val;
	const char *name;
	unsigned int min, max;	/* max 0: half the RAM in MiB */
} vt_limits[] __initdata = {
	{ &vt_max_budget, "max_budget", 1, 1000000 },
	{ &vt_max_probes, "max_probes", 1, 65536 },
	{ &vt_max_timer_hz, "max_timer_hz", 1, 100000 },
	{ &vt_overload_interval_ms, "overload_interval_ms", 10, 60000 },
	{ &vt_overload_percent, "overload_percent", 0, 100 },
	{ &vt_deadman_s, "deadman_s", 0, 86400 },
	{ &vt_max_sessions, "max_sessions", 1, 1024 },
	{ &vt_max_session_mb, "max_session_mb", 1, 0 },
	{ &vt_max_firing_us, "max_firing_us", 100, 100000 },
};

static void __init vt_limits_clamp(void)
{
	unsigned int half_ram_mb = max_t(unsigned long, 1,
			totalram_pages() >> (20 - PAGE_SHIFT) >> 1);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vt_limits); i++) {
		unsigned int max = vt_limits[i].max ?: half_ram_mb;
		unsigned int v = *vt_limits[i].val;
		unsigned int c = clamp(v, vt_limits[i].min, max);

		if (c != v)
			pr_warn("%s=%u is out of range %u..%u: using %u\n",
				vt_limits[i].name, v, vt_limits[i].min, max, c);
		*vt_limits[i].val = c;
	}
}

static atomic_t vt_nsessions = ATOMIC_INIT(0);

static int vt_open(struct inode *inode, struct file *f)
{
	struct vt_session *s;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (atomic_inc_return(&vt_nsessions) > vt_max_sessions) {
		atomic_dec(&vt_nsessions);
		return -EBUSY;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s) {
		atomic_dec(&vt_nsessions);
		return -ENOMEM;
	}
	mutex_init(&s->lock);
	mutex_init(&s->read_lock);
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
	int ret;

	vt_limits_clamp();
	ret = vt_providers_check();
	if (ret) {
		pr_err("a probe type has no provider, or two\n");
		return ret;
	}
	ret = misc_register(&vt_misc);
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
