// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf_set.c - one kernel perf counter per online CPU, for the tracepoint
 * and perf providers.  CPUs that come online after START are not covered.
 *
 * Releasing a counter does not wait for its overflow handler: a CPU
 * walking a tracepoint's or software event's list of counters (RCU, with
 * preemption off) can be interrupted by the IPI that removes ours and
 * then still call our handler, and the kernel only waits for such walkers
 * when the last perf user of that tracepoint goes away (perf or another
 * session may hold it).  The handler's context (struct vt_perf_probe, in
 * the provider's struct vt_perf_sets) and the session are therefore
 * freed only after the grace period vt_detach_all (control.c) waits for
 * once all providers are detached: vt_perf_sets_release says it is owed.
 */
#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "session.h"
#include "perf_set.h"

u64 vt_perf_sets_bytes(u32 count)
{
	/* each set: its context, pointers and the kernel's events */
	return sizeof(struct vt_perf_sets) + (u64)count *
	       (sizeof(struct vt_perf_probe) +
		nr_cpu_ids * sizeof(struct perf_event *) +
		(u64)num_possible_cpus() * sizeof(struct perf_event));
}

struct vt_perf_sets *vt_perf_sets_new(u32 count)
{
	struct vt_perf_sets *sets;

	return kvzalloc(struct_size(sets, pp, count), GFP_KERNEL_ACCOUNT);
}

/* Release @pp's counters; note in @sets that one was released. */
static void vt_perf_set_release(struct vt_perf_sets *sets,
				struct vt_perf_probe *pp)
{
	int cpu;

	if (!pp->ev)
		return;
	for_each_possible_cpu(cpu)
		if (pp->ev[cpu]) {
			perf_event_release_kernel(pp->ev[cpu]);
			sets->released = true;
		}
	kfree(pp->ev);
	pp->ev = NULL;
}

int vt_perf_sets_open(struct vt_perf_sets *sets, struct vt_session *s,
		      u32 probe, void *priv, struct perf_event_attr *attr,
		      void (*hit)(struct perf_event *ev,
				  struct perf_sample_data *data,
				  struct pt_regs *regs))
{
	struct vt_perf_probe *pp = &sets->pp[sets->n++];
	int cpu, ret = 0;

	pp->s = s;
	pp->probe = probe;
	pp->priv = priv;
	pp->ev = kcalloc(nr_cpu_ids, sizeof(*pp->ev), GFP_KERNEL_ACCOUNT);
	if (!pp->ev)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct perf_event *ev;

		ev = perf_event_create_kernel_counter(attr, cpu, NULL, hit, pp);
		if (IS_ERR(ev)) {
			ret = PTR_ERR(ev);
			break;
		}
		pp->ev[cpu] = ev;
	}
	cpus_read_unlock();
	if (ret)
		vt_perf_set_release(sets, pp);
	return ret;
}

bool vt_perf_sets_release(struct vt_perf_sets *sets)
{
	u32 i;

	if (!sets)
		return false;
	for (i = 0; i < sets->n; i++)
		vt_perf_set_release(sets, &sets->pp[i]);
	return sets->released;
}
