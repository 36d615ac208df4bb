// SPDX-License-Identifier: GPL-2.0-only
/*
 * control.c - the session state machine behind the ioctls.
 *
 *   EMPTY --LOAD--> LOADED --START--> RUNNING --STOP--> STOPPED
 *
 * LOAD verifies a private copy of the image; START allocates the whole
 * runtime, runs begin probes and arms the others, or unwinds to LOADED;
 * STOP disarms, waits for firings in flight, runs end probes.  The
 * runtime stays until release so the reader can drain the output and
 * VT_IOC_STATUS can report the counters.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include <linux/uaccess.h>

#include "session.h"

/* Most bytes of global variables one session may have. */
#define VT_GLOBALS_MAX	(64u << 20)

/*
 * The loader's host hook (vm/vt_vm.h): LOAD runs in the caller's process
 * context with s->lock (a mutex) held, so it may reschedule; the loader
 * calls this every VT_LOAD_YIELD_STEPS bounded steps, so a LOAD of any
 * image yields the CPU often and a killed caller stops it at once.
 */
bool vt_host_load_yield(u64 steps)
{
	cond_resched();
	return fatal_signal_pending(current);
}

/*
 * Copy the image in pieces, so that a LOAD of any size can be killed
 * (and yields) during the copy as during the verification.
 */
#define VT_LOAD_COPY_CHUNK	(1u << 20)

static int vt_copy_image(void *image, const void __user *src, u32 size)
{
	u32 off, n;

	for (off = 0; off < size; off += n) {
		n = min_t(u32, size - off, VT_LOAD_COPY_CHUNK);
		if (copy_from_user(image + off, src + off, n))
			return -EFAULT;
		if (vt_host_load_yield(0))
			return -EINTR;
	}
	return 0;
}

long vt_ioctl_load(struct vt_session *s, void __user *arg)
{
	struct vt_load_req req;
	char *log = NULL;
	void *image = NULL;
	long ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.image_size > VT_IMAGE_MAX)
		return -E2BIG;
	if (!req.image_size || req.log_size > VT_LOG_MAX)
		return -EINVAL;

	mutex_lock(&s->lock);
	ret = -EBUSY;
	if (s->state != VT_STATE_EMPTY)
		goto out;
	ret = -ENOMEM;
	if (req.log && req.log_size) {
		log = kzalloc(req.log_size, GFP_KERNEL);
		if (!log)
			goto out;
	}
	image = kvmalloc(req.image_size, GFP_KERNEL_ACCOUNT);
	if (!image)
		goto out;
	ret = vt_copy_image(image, u64_to_user_ptr(req.image), req.image_size);
	if (ret)
		goto out;

	/* Verify the private copy only: user space cannot change it now. */
	ret = vt_prog_load(&s->prog, image, req.image_size, log,
			   log ? req.log_size : 0);
	if (ret)
		ret = ret == VT_LOAD_STOPPED ? -EINTR : -EINVAL;
	if (log) {
		log[req.log_size - 1] = '\0';
		if (copy_to_user(u64_to_user_ptr(req.log), log,
				 strlen(log) + 1))
			ret = -EFAULT;
	}
	if (ret)
		goto out;
	s->image = image;
	image = NULL;
	s->state = VT_STATE_LOADED;
out:
	if (ret && s->state == VT_STATE_EMPTY)
		memset(&s->prog, 0, sizeof(s->prog));
	mutex_unlock(&s->lock);
	kvfree(image);
	kfree(log);
	return ret;
}

/* Free the runtime START allocated; probes must be disarmed. */
static void vt_runtime_free(struct vt_session *s)
{
	int cpu, ctx;

	vt_output_free(s);
	vt_maps_free(s);
	vt_stacks_free(s);
	if (s->cpu) {
		for_each_possible_cpu(cpu)
			for (ctx = 0; ctx < VT_CTX_COUNT; ctx++) {
				kvfree(vt_cpu_slot(s, cpu, ctx)->frame);
				kvfree(vt_cpu_slot(s, cpu, ctx)->kstack);
			}
		free_percpu(s->cpu);
		s->cpu = NULL;
	}
	kvfree(s->lglobals);
	s->lglobals = NULL;
	s->sglobals = NULL;
}

/* The session's probes of @pv's types (counted at START, s->ntype). */
static u32 vt_provider_count(const struct vt_session *s,
			     const struct vt_provider *pv)
{
	u32 t, n = 0;

	for (t = 0; t < VT_PROBE_TYPE_COUNT; t++)
		if (pv->types & BIT(t))
			n += s->ntype[t];
	return n;
}

/*
 * Memory START would allocate for the session (image included), for the
 * max_session_mb limit: globals, one frame and one stack capture buffer
 * per CPU and context, the stack table (stacks.c), the ring buffer and
 * the reader's bookkeeping (output.c), and each provider's
 * arrays with the kernel's perf events and kretprobe instances
 * (provider .bytes).  The maps come on top (maps.c).
 */
static u64 vt_runtime_bytes(const struct vt_session *s, size_t globals,
			    size_t frame)
{
	u64 ncpus = num_possible_cpus(), bytes;
	u32 id;

	bytes = (u64)s->prog.hdr->size + sizeof(*s) + globals +
		ncpus * VT_CTX_COUNT * (frame + sizeof(struct vt_cpu) +
					 VT_STACK_DEPTH * sizeof(u64)) +
		vt_output_bytes(s->bufsize_kb) + vt_stacks_bytes(s);
	for (id = 0; id < VT_PROV_COUNT; id++) {
		const struct vt_provider *pv = vt_providers[id];
		u32 n = vt_provider_count(s, pv);

		if (n && pv->bytes)
			bytes += pv->bytes(s, n);
	}
	return bytes;
}

static int vt_runtime_alloc(struct vt_session *s)
{
	const struct vt_prog *p = &s->prog;
	size_t lsize, ssize, fsize;
	u32 nvslots = 2 * nr_cpu_ids;	/* per CPU: one for NMI, one else */
	u64 bytes;
	int cpu, ctx, ret;

	if (check_mul_overflow((size_t)p->nlglobals, sizeof(s64), &lsize) ||
	    check_mul_overflow((size_t)p->nsglobals, (size_t)p->strsize,
			       &ssize) ||
	    lsize + ssize > VT_GLOBALS_MAX ||
	    p->frame_size > VT_FRAME_MAX + VT_SCRATCH_MAX)
		return -E2BIG;
	fsize = max_t(size_t, p->frame_size, 8);
	bytes = vt_maps_bytes(s, nvslots);
	if (bytes == U64_MAX ||
	    vt_runtime_bytes(s, lsize + ssize, fsize) + bytes >
	    (u64)vt_max_session_mb << 20)
		return -E2BIG;
	s->lglobals = kvzalloc(max_t(size_t, lsize + ssize, 8),
			       GFP_KERNEL_ACCOUNT);
	if (!s->lglobals)
		return -ENOMEM;
	s->sglobals = (char *)s->lglobals + lsize;
	vt_globals_init(p, s->lglobals, s->sglobals);

	/* VT_CTX_COUNT slots per CPU, zeroed. */
	s->cpu = (struct vt_cpu __percpu *)__alloc_percpu_gfp(
			sizeof(struct vt_cpu) * VT_CTX_COUNT,
			__alignof__(struct vt_cpu), GFP_KERNEL_ACCOUNT);
	if (!s->cpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		for (ctx = 0; ctx < VT_CTX_COUNT; ctx++) {
			struct vt_cpu *c = vt_cpu_slot(s, cpu, ctx);

			c->s = s;
			c->vslot = cpu * 2 + (ctx == VT_CTX_NMI);
			c->frame = kvmalloc_node(fsize, GFP_KERNEL_ACCOUNT,
						 cpu_to_node(cpu));
			c->kstack = kvmalloc_node(VT_STACK_DEPTH * sizeof(u64),
						  GFP_KERNEL_ACCOUNT,
						  cpu_to_node(cpu));
			if (!c->frame || !c->kstack)
				return -ENOMEM;
		}
		cond_resched();
	}
	s->budget = min_t(s64, p->budget, vt_max_budget);
	s->max_firing_ns = (u64)vt_max_firing_us * NSEC_PER_USEC;
	ret = vt_maps_alloc(s, nvslots);
	if (!ret)
		ret = vt_stacks_alloc(s);
	return ret ? ret : vt_output_alloc(s);
}

/*
 * Disarm every probe.  Each provider's detach waits for its handlers in
 * flight where the kernel's unregistration does (kprobes, kretprobes and
 * ftrace: an RCU grace period; uprobes: their rwsem or SRCU; hrtimers:
 * hrtimer_cancel; the process tracepoints: their own synchronize).  Perf
 * counters (perf_set.c) and raw tracepoints (probe_rawtp.c) do not, so
 * once every provider is detached, if a detach released or unregistered
 * one, one grace period of every flavour a tracepoint
 * or perf handler runs under (RCU, and the tracepoint SRCU of rcuidle
 * tracepoints on 6.1), and only then do the providers free what their
 * handlers read.  The rest of the session is freed later still (STOP,
 * then release).
 */
static void vt_detach_all(struct vt_session *s)
{
	bool in_flight = false;
	u32 id;

	for (id = 0; id < VT_PROV_COUNT; id++)
		if (vt_providers[id]->detach && vt_providers[id]->detach(s))
			in_flight = true;
	if (in_flight)
		tracepoint_synchronize_unregister();
	for (id = 0; id < VT_PROV_COUNT; id++)
		if (vt_providers[id]->free)
			vt_providers[id]->free(s);
}

/*
 * Attach the probes whose provider is (or is not) early, in probe order;
 * a provider's arm runs right after its last probe attached.
 */
static int vt_attach_pass(struct vt_session *s, bool early)
{
	const struct vt_prog *p = &s->prog;
	u32 left[VT_PROV_COUNT], i, id;
	int ret;

	for (id = 0; id < VT_PROV_COUNT; id++)
		left[id] = vt_provider_count(s, vt_providers[id]);
	for (i = 0; i < p->nprobes; i++) {
		const struct vt_provider *pv;

		id = vt_provider_of(p->probes[i].type);
		pv = vt_providers[id];
		if (pv->early != early || !pv->attach)
			continue;
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = pv->attach(s, i);
		if (!ret && !--left[id] && pv->arm)
			ret = pv->arm(s);
		if (ret) {
			/* Kept for VT_IOC_STATUS, so user space can name it. */
			s->failed_probe = i;
			s->failed_errno = ret;
			return ret;
		}
		cond_resched();
	}
	return 0;
}

/*
 * The limits a START checks before it allocates anything: probes armed
 * (max_probes: -E2BIG) and the timer expirations asked of one CPU
 * (max_timer_hz: -ERANGE).  Counts the probes of each type in s->ntype.
 */
static long vt_start_limits(struct vt_session *s)
{
	const struct vt_prog *p = &s->prog;
	u32 i, t, armed = 0;
	u64 hz = 0;

	memset(s->ntype, 0, sizeof(s->ntype));
	for (i = 0; i < p->nprobes; i++) {
		const struct vt_provider *pv;

		t = p->probes[i].type;
		if (t >= VT_PROBE_TYPE_COUNT || p->probes[i].unit >= p->nunits)
			return -EINVAL;
		s->ntype[t]++;
		pv = vt_providers[vt_provider_of(t)];
		if (pv->detach)
			armed++;
		if (pv->timer_hz)
			hz += pv->timer_hz(&p->probes[i]);
	}
	if (armed > vt_max_probes)
		return -E2BIG;
	if (hz > vt_max_timer_hz)
		return -ERANGE;
	return 0;
}

long vt_ioctl_start(struct vt_session *s)
{
	long ret;
	u32 id;

	mutex_lock(&s->lock);
	ret = -EINVAL;
	if (s->state == VT_STATE_EMPTY)
		goto out;
	ret = -EBUSY;
	if (s->state != VT_STATE_LOADED)
		goto out;

	s->failed_probe = U32_MAX;
	s->failed_errno = 0;
	s->probes_skipped = 0;
	ret = vt_start_limits(s);
	if (ret)
		goto out;

	s->exit_requested = 0;
	s->stop_reason = VT_STOP_NONE;
	s->stop_detail = 0;
	atomic_set(&s->nerrors, 0);
	/* Read-only limits were clamped at load (main.c). */
	s->ovl_window_ns = (u64)vt_overload_interval_ms * NSEC_PER_MSEC;
	s->ovl_percent = vt_overload_percent;
	s->deadman_j = (unsigned long)vt_deadman_s * HZ;
	/* Writable: read once, so what is counted is what is allocated. */
	s->bufsize_kb = clamp(READ_ONCE(vt_bufsize_kb), VT_BUFSIZE_KB_MIN,
			      VT_BUFSIZE_KB_MAX);
	s->pending = 0;
	ret = vt_runtime_alloc(s);
	for (id = 0; !ret && id < VT_PROV_COUNT; id++) {
		const struct vt_provider *pv = vt_providers[id];
		u32 n = vt_provider_count(s, pv);

		if (n && pv->prepare)
			ret = pv->prepare(s, n);
	}
	if (!ret)
		ret = vt_attach_pass(s, true);
	if (!ret)
		ret = vt_attach_pass(s, false);
	if (ret) {
		vt_detach_all(s);
		vt_runtime_free(s);
		goto out;
	}
	s->state = VT_STATE_RUNNING;
out:
	mutex_unlock(&s->lock);
	return ret;
}

long vt_ioctl_stop(struct vt_session *s)
{
	const struct vt_prog *p = &s->prog;
	u32 i;

	mutex_lock(&s->lock);
	if (s->state == VT_STATE_RUNNING) {
		/* Each detach waits for its firings in flight. */
		vt_detach_all(s);
		for (i = 0; i < p->nprobes; i++) {
			const struct vt_provider *pv =
				vt_providers[vt_provider_of(p->probes[i].type)];

			if (pv->at_stop) {
				pv->at_stop(s, i);
				cond_resched();
			}
		}
		WRITE_ONCE(s->state, VT_STATE_STOPPED);
		vt_output_wake(s);
	}
	mutex_unlock(&s->lock);
	return 0;
}

/* Add CPU @cpu's slots (all contexts) to @sum and the skips to @ctx. */
static void vt_sum(struct vt_cpu_status *sum, u64 *ctx_skipped,
		   const struct vt_session *s, int cpu)
{
	const struct vt_cpu *c;
	int ctx;

	for (ctx = 0; ctx < VT_CTX_COUNT; ctx++) {
		c = vt_cpu_slot(s, cpu, ctx);
		sum->fired += READ_ONCE(c->fired);
		sum->drops += READ_ONCE(c->drops);
		sum->errors += READ_ONCE(c->errors);
		sum->skipped += READ_ONCE(c->skipped);
		sum->max_firing_ns = max(sum->max_firing_ns,
					 READ_ONCE(c->max_firing_ns));
		if (ctx_skipped)
			ctx_skipped[ctx] += READ_ONCE(c->skipped);
	}
}

long vt_ioctl_status(struct vt_session *s, void __user *arg)
{
	struct vt_cpu_status __user *ucpu;
	u64 ctx_skipped[VT_STATUS_NCTX] = { 0 };
	struct vt_status st;
	u32 i, n = 0;
	long ret = 0;
	int cpu;

	BUILD_BUG_ON(VT_STATUS_NCTX != VT_CTX_COUNT);
	if (copy_from_user(&st, arg, sizeof(st)))
		return -EFAULT;
	if (st.probes_skipped)
		return -EINVAL;
	ucpu = u64_to_user_ptr(st.percpu);
	if (ucpu)
		n = min_t(u32, st.percpu_cap, nr_cpu_ids);

	mutex_lock(&s->lock);
	memset(&st.total, 0, sizeof(st.total));
	st.state = s->state;
	st.ncpus = nr_cpu_ids;
	st.exit_requested = READ_ONCE(s->exit_requested);
	st.failed_probe = s->failed_probe;
	st.failed_errno = s->failed_errno;
	st.probes_skipped = s->probes_skipped;
	st.stop_reason = READ_ONCE(s->stop_reason);
	st.stop_detail = READ_ONCE(s->stop_detail);
	for (i = 0; i < n && !ret; i++) {
		struct vt_cpu_status cs = { 0 };

		if (s->cpu && cpu_possible(i))
			vt_sum(&cs, NULL, s, i);
		if (copy_to_user(&ucpu[i], &cs, sizeof(cs)))
			ret = -EFAULT;
	}
	if (s->cpu)
		for_each_possible_cpu(cpu)
			vt_sum(&st.total, ctx_skipped, s, cpu);
	mutex_unlock(&s->lock);

	if (!ret && st.ctx_skipped &&
	    copy_to_user(u64_to_user_ptr(st.ctx_skipped), ctx_skipped,
			 sizeof(ctx_skipped)))
		ret = -EFAULT;

	if (!ret && copy_to_user(arg, &st, sizeof(st)))
		ret = -EFAULT;
	return ret;
}

/* Release: the session is stopped (or never ran); free everything. */
void vt_session_free(struct vt_session *s)
{
	vt_runtime_free(s);
	kvfree(s->image);
	mutex_destroy(&s->read_lock);
	mutex_destroy(&s->lock);
	kfree(s);
}
