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
#include <linux/overflow.h>
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

/* The provider's state: s->prov[VT_PROV_KRETPROBE]. */
struct vt_kretprobes {
	struct kretprobe **regs;	/* krp[0..n) registered */
	u32 n;
	struct vt_kretprobe krp[];
};

/*
 * Ours, and the instances register_kretprobe() allocates with maxactive
 * left 0: the kernel's default of max(10, 2 * possible CPUs).
 */
static u64 vt_kretprobe_bytes(const struct vt_session *s, u32 count)
{
	struct vt_kretprobes *ks;
	u64 inst = max(10u, 2 * num_possible_cpus());

	return struct_size(ks, krp, count) +
	       (u64)count * (sizeof(struct kretprobe *) +
			     inst * sizeof(struct kretprobe_instance));
}

static int vt_kretprobe_prepare(struct vt_session *s, u32 count)
{
	struct vt_kretprobes *ks;

	ks = kvzalloc(struct_size(ks, krp, count), GFP_KERNEL_ACCOUNT);
	if (!ks)
		return -ENOMEM;
	s->prov[VT_PROV_KRETPROBE] = ks;
	ks->regs = kvcalloc(count, sizeof(*ks->regs), GFP_KERNEL_ACCOUNT);
	return ks->regs ? 0 : -ENOMEM;
}

static int vt_kretprobe_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_kretprobes *ks = s->prov[VT_PROV_KRETPROBE];
	struct vt_kretprobe *k = &ks->krp[ks->n];
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
	ks->regs[ks->n++] = &k->rp;
	return 0;
}

static bool vt_kretprobe_detach(struct vt_session *s)
{
	struct vt_kretprobes *ks = s->prov[VT_PROV_KRETPROBE];

	if (!ks)
		return false;
	if (ks->n)
		unregister_kretprobes(ks->regs, ks->n);
	kvfree(ks->regs);
	kvfree(ks);
	s->prov[VT_PROV_KRETPROBE] = NULL;
	return false;
}

/*
 * State: a kretprobe per probe, registered at attach (a failed one's
 * slot is cleared and reused); detach unregisters them in one batch,
 * which waits for handlers in flight, then frees them.
 */
const struct vt_provider vt_provider_kretprobe = {
	.types = BIT(VT_PROBE_KRETPROBE),
	.bytes = vt_kretprobe_bytes,
	.prepare = vt_kretprobe_prepare,
	.attach = vt_kretprobe_attach,
	.detach = vt_kretprobe_detach,
};
