// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_kprobe.c - the kprobe provider (kernel.function entries).  A
 * probe whose function address user space knows is queued for the
 * session's one ftrace_ops (probe_fentry_batch.c), armed for all of them at
 * once when the last KPROBE probe attached; the others, and the queued
 * ones if ftrace refuses the set, become kprobes by symbol name, whose
 * pre-handler runs the unit.  Kprobes are registered one by one so a
 * missing symbol is reported by name, and unregistered in one batch (one
 * RCU grace period; no handler runs once it returns).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "session.h"

struct vt_kprobe {
	struct kprobe kp;
	struct vt_session *s;
	u32 probe;
};

static int vt_kprobe_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct vt_kprobe *k = container_of(kp, struct vt_kprobe, kp);

	vt_fire_probe(k->s, k->probe, regs, false);
	return 0;
}
NOKPROBE_SYMBOL(vt_kprobe_hit);

/* @addr lies in this module (core or init text/data). */
bool vt_addr_is_ours(const void *addr)
{
	return addr && within_module((unsigned long)addr, THIS_MODULE);
}

u64 vt_kprobe_bytes(const struct vt_session *s)
{
	u64 n = s->ntype[VT_PROBE_KPROBE];

	return n * (sizeof(struct vt_kprobe) + sizeof(struct kprobe *)) +
	       vt_ftrace_bytes(n);
}

int vt_kprobe_prepare(struct vt_session *s, u32 count)
{
	s->nkp = 0;
	s->nkp_todo = count;
	s->probes_skipped = 0;
	s->kps = kvcalloc(count, sizeof(*s->kps), GFP_KERNEL_ACCOUNT);
	s->kp_regs = kvcalloc(count, sizeof(*s->kp_regs), GFP_KERNEL_ACCOUNT);
	if (!s->kps || !s->kp_regs)
		return -ENOMEM;
	return vt_ftrace_prepare(s, count);
}

/* @probe armed as a kprobe by name (no ftrace); 0 or the outcome's error. */
static int vt_kprobe_register(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_kprobe *k = &s->kps[s->nkp];
	const char *sym = vt_prog_str(&s->prog, pd->target);
	int ret;

	k->kp.symbol_name = sym;
	k->kp.pre_handler = vt_kprobe_hit;
	k->s = s;
	k->probe = probe;
	/*
	 * Registered disabled, so a probe that resolves into this module
	 * never fires: the module's own code (firing path, VM, output) must
	 * not be probed, NOKPROBE_SYMBOL or not.
	 */
	k->kp.flags = KPROBE_FLAG_DISABLED;
	ret = register_kprobe(&k->kp);
	if (!ret && vt_addr_is_ours(k->kp.addr)) {
		unregister_kprobe(&k->kp);
		ret = -EINVAL;
	} else if (!ret) {
		ret = enable_kprobe(&k->kp);
		if (ret)
			unregister_kprobe(&k->kp);
	}
	if (ret) {
		memset(k, 0, sizeof(*k));
		return vt_attach_outcome(s, pd, ret);
	}
	s->kp_regs[s->nkp++] = &k->kp;
	return 0;
}

/* Arm the ftrace set; a kprobe for each entry ftrace refused. */
static int vt_kprobe_arm_queued(struct vt_session *s)
{
	u32 i, n;
	int ret;

	vt_ftrace_arm(s);
	n = vt_ftrace_nqueued(s);
	for (i = 0; i < n; i++) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = vt_kprobe_register(s, vt_ftrace_queued(s, i));
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

/*
 * Called once per KPROBE probe, in probe order (control.c); the last call
 * arms the queued function entries.
 */
int vt_kprobe_attach(struct vt_session *s, u32 probe)
{
	int ret = 0;

	if (vt_ftrace_add(s, probe))
		ret = vt_kprobe_register(s, probe);
	if (!ret && s->nkp_todo && !--s->nkp_todo)
		ret = vt_kprobe_arm_queued(s);
	return ret;
}

void vt_kprobe_detach(struct vt_session *s)
{
	vt_ftrace_detach(s);
	if (s->nkp)
		unregister_kprobes(s->kp_regs, s->nkp);
	s->nkp = 0;
	kvfree(s->kp_regs);
	kvfree(s->kps);
	s->kp_regs = NULL;
	s->kps = NULL;
}
