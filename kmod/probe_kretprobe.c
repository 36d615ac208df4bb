// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_kretprobe.c - the kretprobe provider: the unit runs when the
 * kernel function returns, with the registers at the return (regs->ax is
 * the return value; the argument registers are no longer the
 * arguments).  Registered one by one like kprobes, unregistered in one
 * batch.  maxactive is the kernel's default (instances in flight beyond
 * it are missed, counted by the kernel in nmissed).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "session.h"

struct vt_kretprobe {
	struct kretprobe rp;
	struct vt_session *s;
	u32 probe;
};

static int vt_kretprobe_hit(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct vt_kretprobe *k;

	if (unlikely(!rp))
		return 0;
	k = container_of(rp, struct vt_kretprobe, rp);
	vt_fire_probe(k->s, k->probe, regs, false);
	return 0;
}
NOKPROBE_SYMBOL(vt_kretprobe_hit);

/*
 * Ours, and the instances register_kretprobe() allocates with maxactive
 * left 0: the kernel's default of max(10, 2 * possible CPUs).
 */
u64 vt_kretprobe_bytes(const struct vt_session *s)
{
	u64 inst = max(10u, 2 * num_possible_cpus());

	return (u64)s->ntype[VT_PROBE_KRETPROBE] *
	       (sizeof(struct vt_kretprobe) + sizeof(struct kretprobe *) +
		inst * sizeof(struct kretprobe_instance));
}

int vt_kretprobe_prepare(struct vt_session *s, u32 count)
{
	s->nkrp = 0;
	s->probes_skipped = 0;
	s->krps = kvcalloc(count, sizeof(*s->krps), GFP_KERNEL_ACCOUNT);
	s->krp_regs = kvcalloc(count, sizeof(*s->krp_regs),
			       GFP_KERNEL_ACCOUNT);
	return s->krps && s->krp_regs ? 0 : -ENOMEM;
}

int vt_kretprobe_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_kretprobe *k = &s->krps[s->nkrp];
	const char *sym = vt_prog_str(&s->prog, pd->target);
	int ret;

	k->rp.kp.symbol_name = sym;
	k->rp.handler = vt_kretprobe_hit;
	k->s = s;
	k->probe = probe;
	/* Disabled until known not to be in this module (see kprobes). */
	k->rp.kp.flags = KPROBE_FLAG_DISABLED;
	ret = register_kretprobe(&k->rp);
	if (!ret && vt_addr_is_ours(k->rp.kp.addr)) {
		unregister_kretprobe(&k->rp);
		ret = -EINVAL;
	} else if (!ret) {
		ret = enable_kretprobe(&k->rp);
		if (ret)
			unregister_kretprobe(&k->rp);
	}
	if (ret) {
		memset(k, 0, sizeof(*k));
		return vt_attach_outcome(s, pd, ret);
	}
	s->krp_regs[s->nkrp++] = &k->rp;
	return 0;
}

void vt_kretprobe_detach(struct vt_session *s)
{
	if (s->nkrp)
		unregister_kretprobes(s->krp_regs, s->nkrp);
	s->nkrp = 0;
	kvfree(s->krp_regs);
	kvfree(s->krps);
	s->krp_regs = NULL;
	s->krps = NULL;
}
