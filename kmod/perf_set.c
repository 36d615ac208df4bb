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
 * session may hold it).  The handler's context (struct vt_perf_probe)
 * and the session are therefore freed only after the grace period
 * vt_detach_all (control.c) waits for once all providers are detached.
 */
#include <linux/cpu.h>
#include <linux/perf_event.h>
#include <linux/slab.h>

#include "session.h"

/* Memory one set takes: its context, pointers and the kernel's events. */
u64 vt_perf_set_bytes(void)
{
	return sizeof(struct vt_perf_probe) +
	       nr_cpu_ids * sizeof(struct perf_event *) +
	       (u64)num_possible_cpus() * sizeof(struct perf_event);
}

void vt_perf_set_release(struct vt_perf_probe *pp)
{
	int cpu;

	if (!pp->ev)
		return;
	for_each_possible_cpu(cpu)
		if (pp->ev[cpu]) {
			perf_event_release_kernel(pp->ev[cpu]);
			pp->s->perf_released = true;
		}
	kfree(pp->ev);
	pp->ev = NULL;
}

int vt_perf_set_open(struct vt_perf_probe *pp, struct perf_event_attr *attr,
		     void (*hit)(struct perf_event *ev,
				 struct perf_sample_data *data,
				 struct pt_regs *regs))
{
	int cpu, ret = 0;

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
		vt_perf_set_release(pp);
	return ret;
}
