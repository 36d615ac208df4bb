// SPDX-License-Identifier: GPL-2.0-only
/*
 * probe_perf.c - the perf provider (timer.profile, perf.sw.*, perf.hw.*):
 * one kernel perf counter per online CPU, type and config from the
 * descriptor's event_id (type << 24 | config), sample_period period_ns
 * (nanoseconds for the clocks, events otherwise).  The overflow handler
 * runs the unit with the interrupted context's registers, so
 * user_mode() and register() work.  Hardware events may not exist (a
 * TCG guest): START then fails with the errno perf gives (-ENOENT,
 * -EOPNOTSUPP), named by the CLI.  CPUs coming online later are not
 * covered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "session.h"

struct vt_perf {
	struct vt_session *s;
	u32 probe;
	struct perf_event **ev;		/* per CPU id, NULL where none */
};

static void vt_perf_hit(struct perf_event *ev, struct perf_sample_data *data,
			struct pt_regs *regs)
{
	struct vt_perf *pf = ev->overflow_handler_context;

	vt_fire_probe(pf->s, pf->probe, regs, false);
}
NOKPROBE_SYMBOL(vt_perf_hit);

int vt_perf_prepare(struct vt_session *s, u32 count)
{
	s->npf = 0;
	s->pfs = kvcalloc(count, sizeof(*s->pfs), GFP_KERNEL_ACCOUNT);
	return s->pfs ? 0 : -ENOMEM;
}

static void vt_perf_release(struct vt_perf *pf)
{
	int cpu;

	if (!pf->ev)
		return;
	for_each_possible_cpu(cpu)
		if (pf->ev[cpu])
			perf_event_release_kernel(pf->ev[cpu]);
	kfree(pf->ev);
	pf->ev = NULL;
}

int vt_perf_attach(struct vt_session *s, u32 probe)
{
	const struct vt_probe_desc *pd = &s->prog.probes[probe];
	struct vt_perf *pf = &s->pfs[s->npf];
	struct perf_event_attr attr = {
		.type = pd->event_id >> 24,
		.size = sizeof(attr),
		.config = pd->event_id & 0xffffff,
		.sample_period = pd->period_ns,
		.pinned = 1,
	};
	int cpu, ret = 0;

	/* clocks: no faster than every 100 us, like timers */
	if (attr.type == PERF_TYPE_SOFTWARE &&
	    (attr.config == PERF_COUNT_SW_CPU_CLOCK ||
	     attr.config == PERF_COUNT_SW_TASK_CLOCK))
		attr.sample_period = max_t(u64, attr.sample_period,
					   100 * NSEC_PER_USEC);
	pf->s = s;
	pf->probe = probe;
	pf->ev = kcalloc(nr_cpu_ids, sizeof(*pf->ev), GFP_KERNEL_ACCOUNT);
	if (!pf->ev)
		return -ENOMEM;
	s->npf++;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(&attr, cpu, NULL,
						      vt_perf_hit, pf);
		if (IS_ERR(ev)) {
			ret = PTR_ERR(ev);
			break;
		}
		pf->ev[cpu] = ev;
	}
	cpus_read_unlock();
	if (ret) {
		vt_perf_release(pf);
		s->npf--;
		if (pd->flags & VT_PROBE_F_OPTIONAL &&
		    ret != -ENOMEM && ret != -EINTR)
			return 0;
		pr_debug("cannot open perf event %u/%u: %d\n", attr.type,
			 (u32)attr.config, ret);
	}
	return ret;
}

/* perf_event_release_kernel() waits for handlers in flight. */
void vt_perf_detach(struct vt_session *s)
{
	u32 i;

	for (i = 0; i < s->npf; i++)
		vt_perf_release(&s->pfs[i]);
	s->npf = 0;
	kvfree(s->pfs);
	s->pfs = NULL;
}
