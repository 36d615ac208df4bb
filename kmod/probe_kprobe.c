// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_kprobe.c - the kprobe provider (kernel.function entries).  A
 * probe whose function address user space knows is queued for the
 * session's batch of function entries (one ftrace_ops,
 * probe_fentry_batch.c), armed for all of them at once by the arm op,
 * after the last KPROBE probe attached; the others, and the queued ones
 * if ftrace refuses the set, become kprobes by symbol name, whose
 * pre-handler runs the unit.  Kprobes are registered one by one so a
 * missing symbol is reported by name, and unregistered in one batch (one
 * RCU grace period; no handler runs once it returns).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "session.h"
#include "probe_fentry_batch.h"

struct vt_kprobe {
	struct kprobe kp;
	struct vt_session *s;
	u32 probe;
};

static int vt_kprobe_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct vt_kprobe *k = container_of(kp, struct vt_kprobe, kp);
	/* regs->ip is past the breakpoint here; the stack starts at it */
	struct vt_firing f = { .probe = k->probe, .regs = regs,
			       .pc = (unsigned long)kp->addr };

	vt_fire_ctx(k->s, k->s->prog.probes[k->probe].unit, false, &f);
	return 0;
}
NOKPROBE_SYMBOL(vt_kprobe_hit);

/* The provider's state: s->prov[VT_PROV_KPROBE]. */
struct vt_kprobes {
	struct vt_fentry_batch *batch;	/* probes with a known address */
	struct kprobe **regs;		/* kp[0..n) registered */
	u32 n;
	struct vt_kprobe kp[];
};

static u64 vt_kprobe_bytes(const struct vt_session *s, u32 count)
{
	struct vt_kprobes *ks;

	return struct_size(ks, kp, count) +
	       (u64)count * sizeof(struct kprobe *) +
	       vt_fentry_batch_bytes(count);
}

static int vt_kprobe_prepare(struct vt_session *s, u32 count)
{
	struct vt_kprobes *ks;

	ks = kvzalloc(struct_size(ks, kp, count), GFP_KERNEL_ACCOUNT);
	if (!ks)
		return -ENOMEM;
	s->prov[VT_PROV_KPROBE] = ks;
	ks->regs = kvcalloc(count, sizeof(*ks->regs), GFP_KERNEL_ACCOUNT);
	ks->batch = vt_fentry_batch_new(s, count);
	return ks->regs && ks->batch ? 0 : -ENOMEM;
}

/* @probe armed as a kprobe by name (no ftrace); 0 or the outcome's error. */
static int vt_kprobe_register(struct vt_session *s, struct vt_kprobes *ks,
			      u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_kprobe *k = &ks->kp[ks->n];
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
	ks->regs[ks->n++] = &k->kp;
	return 0;
}

/* Queued for the batch if its address checks out, else a kprobe now. */
static int vt_kprobe_attach(struct vt_session *s, u32 probe)
{
	struct vt_kprobes *ks = s->prov[VT_PROV_KPROBE];

	if (!vt_fentry_batch_add(ks->batch, probe))
		return 0;
	return vt_kprobe_register(s, ks, probe);
}

/* After the last attach: arm the batch; a kprobe for each it refused. */
static int vt_kprobe_arm(struct vt_session *s)
{
	struct vt_kprobes *ks = s->prov[VT_PROV_KPROBE];
	u32 i, n;
	int ret;

	vt_fentry_batch_arm(ks->batch);
	n = vt_fentry_batch_nrefused(ks->batch);
	for (i = 0; i < n; i++) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = vt_kprobe_register(s, ks,
					 vt_fentry_batch_refused(ks->batch, i));
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static bool vt_kprobe_detach(struct vt_session *s)
{
	struct vt_kprobes *ks = s->prov[VT_PROV_KPROBE];

	if (!ks)
		return false;
	vt_fentry_batch_free(ks->batch);
	if (ks->n)
		unregister_kprobes(ks->regs, ks->n);
	kvfree(ks->regs);
	kvfree(ks);
	s->prov[VT_PROV_KPROBE] = NULL;
	return false;
}

/*
 * State: the batch, and a kprobe per probe it does not take (a failed
 * one's slot is cleared and reused).  detach disarms the batch first
 * (unregister_ftrace_function), then unregisters the kprobes in one
 * batch (one RCU grace period); both wait for handlers in flight, so
 * everything is freed there.
 */
const struct vt_provider vt_provider_kprobe = {
	.types = BIT(VT_PROBE_KPROBE),
	.bytes = vt_kprobe_bytes,
	.prepare = vt_kprobe_prepare,
	.attach = vt_kprobe_attach,
	.arm = vt_kprobe_arm,
	.detach = vt_kprobe_detach,
};
