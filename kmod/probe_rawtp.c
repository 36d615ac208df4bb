// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_rawtp.c - raw tracepoints: kernel.trace points whose script reads
 * no format-file field.  The probe function is registered on the
 * vmlinux tracepoint itself (tracepoint_probe_register, found by name
 * with vt_tracepoint_find), as BPF raw tracepoints are: no perf
 * event, no trace record.  The tracepoint calls it with (data, its
 * arguments), which on x86-64 arrive in rsi, rdx, rcx, r8, r9 and the
 * stack; vt_rawtp_hit takes the first six as u64 and puts them where a
 * function's arguments 1-6 are in a struct pt_regs (di, si, dx, cx, r8,
 * r9), so int_arg(N) .. pointer_arg(N) read argument N.  An argument
 * past the sixth is on the stack and not readable (the compiler refuses
 * it); an argument narrower than 64 bits has undefined upper bits (the
 * compiler reads it with int_arg/uint_arg or masks it).  Every other
 * register of that pt_regs is 0.
 *
 * Tracepoints of modules are not found (-ENOENT): the compiler attaches
 * those through perf (probe_trace.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/ptrace.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "session.h"
#include "tp_stash.h"

struct vt_rawtp {
	struct vt_session *s;
	u32 probe;
	struct tracepoint *tp;		/* registered, or NULL */
};

struct vt_rawtps {
	u32 n;				/* probes of this provider */
	struct vt_rawtp p[];
};

static void vt_rawtp_hit(void *data, u64 a1, u64 a2, u64 a3, u64 a4,
			 u64 a5, u64 a6)
{
	struct vt_rawtp *rp = data;
	struct pt_regs regs = {
		.di = a1, .si = a2, .dx = a3, .cx = a4, .r8 = a5, .r9 = a6,
	};
	struct vt_firing f = { .probe = rp->probe, .regs = &regs };

	vt_fire_ctx(rp->s, rp->s->prog.probes[rp->probe].unit, false, &f);
}
NOKPROBE_SYMBOL(vt_rawtp_hit);

/* Ours, and the kernel's: a probe function entry per tracepoint. */
static u64 vt_rawtp_bytes(const struct vt_session *s, u32 count)
{
	return struct_size((struct vt_rawtps *)NULL, p, count) +
	       (u64)count * sizeof(struct tracepoint_func) * 2;
}

static int vt_rawtp_prepare(struct vt_session *s, u32 count)
{
	struct vt_rawtps *rs = kvzalloc(struct_size(rs, p, count),
					GFP_KERNEL_ACCOUNT);

	if (!rs)
		return -ENOMEM;
	rs->n = count;
	s->prov[VT_PROV_RAWTP] = rs;
	return 0;
}

static int vt_rawtp_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_rawtps *rs = s->prov[VT_PROV_RAWTP];
	struct tracepoint *tp;
	struct vt_rawtp *rp;
	u32 i;
	int ret;

	/* the first free entry: probes attach once each, in order */
	for (i = 0; i < rs->n && rs->p[i].s; i++)
		;
	if (i == rs->n)
		return -EINVAL;
	rp = &rs->p[i];
	tp = vt_tracepoint_find(vt_prog_str(&s->prog, pd->target));
	if (!tp)
		return vt_attach_outcome(s, pd, -ENOENT);
	rp->s = s;
	rp->probe = probe;
	ret = tracepoint_probe_register(tp, vt_rawtp_hit, rp);
	if (!ret)
		rp->tp = tp;
	return vt_attach_outcome(s, pd, ret);
}

/*
 * Unregister every probe function.  A call that began before may still
 * be running: true asks the teardown (vt_detach_all) for
 * tracepoint_synchronize_unregister() before free.
 */
static bool vt_rawtp_detach(struct vt_session *s)
{
	struct vt_rawtps *rs = s->prov[VT_PROV_RAWTP];
	bool any = false;
	u32 i;

	for (i = 0; rs && i < rs->n; i++) {
		struct vt_rawtp *rp = &rs->p[i];

		if (!rp->tp)
			continue;
		if (tracepoint_probe_unregister(rp->tp, vt_rawtp_hit, rp))
			pr_warn("cannot unregister from tracepoint %s\n",
				rp->tp->name);
		rp->tp = NULL;
		any = true;
	}
	return any;
}

static void vt_rawtp_free(struct vt_session *s)
{
	kvfree(s->prov[VT_PROV_RAWTP]);
	s->prov[VT_PROV_RAWTP] = NULL;
}

/*
 * State: struct vt_rawtps, one entry per probe, the data its tracepoint
 * passes to vt_rawtp_hit.  detach unregisters; the entries are freed in
 * free, after the teardown's grace period.
 */
const struct vt_provider vt_provider_rawtp = {
	.types = BIT(VT_PROBE_RAW_TRACEPOINT),
	.bytes = vt_rawtp_bytes,
	.prepare = vt_rawtp_prepare,
	.attach = vt_rawtp_attach,
	.detach = vt_rawtp_detach,
	.free = vt_rawtp_free,
};
