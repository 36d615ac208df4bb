// SPDX-License-Identifier: GPL-2.0-only
/* host_mock.c - see host_mock.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "host_mock.h"
#include "stack.h"
#include "vt_record.h"

void host_mock_init(struct host_mock *m)
{
	memset(m, 0, sizeof(*m));
	m->time_ns = 1000000123;
	m->pid = 4242;
	m->tid = 4243;
	m->cpu = 3;
	m->task = 0xffff888000104200ull;
	strcpy(m->comm, "mocktask");
	m->map_seed[0] = 0x0123456789abcdefull;
	m->map_seed[1] = 0xfedcba9876543210ull;
}

u64 vt_host_time_ns(void *host)
{
	return ((struct host_mock *)host)->time_ns;
}

u64 vt_host_pid(void *host)
{
	return ((struct host_mock *)host)->pid;
}

u64 vt_host_tid(void *host)
{
	return ((struct host_mock *)host)->tid;
}

u64 vt_host_cpu(void *host)
{
	return ((struct host_mock *)host)->cpu;
}

u64 vt_host_task(void *host)
{
	return ((struct host_mock *)host)->task;
}

void vt_host_comm(void *host, char *buf, u32 size)
{
	struct host_mock *m = host;

	snprintf(buf, size, "%s", m->comm);
}

void *vt_host_reserve(void *host, u32 type, u32 len)
{
	struct host_mock *m = host;
	struct vt_rec *rec;
	u32 need = (u32)sizeof(*rec) + len;

	m->reserves++;
	if (m->pending) {
		fprintf(stderr, "host_mock: reserve with a reservation pending\n");
		abort();
	}
	if (m->full || need > HOST_MOCK_BUF - m->used) {
		m->drops++;
		return NULL;
	}
	rec = (struct vt_rec *)(m->buf + m->used);
	rec->size = need;
	rec->type = (u16)type;
	rec->cpu = (u16)m->cpu;
	rec->ts = m->time_ns;
	m->pending = rec + 1;
	return m->pending;
}

void vt_host_commit(void *host, void *payload)
{
	struct host_mock *m = host;
	struct vt_rec *rec = (struct vt_rec *)m->pending - 1;

	if (!payload || payload != m->pending) {
		fprintf(stderr, "host_mock: commit of an unreserved payload\n");
		abort();
	}
	m->pending = NULL;
	m->commits++;
	m->nrecords++;
	m->used += (rec->size + 7) & ~7u;
}

void vt_host_exit(void *host)
{
	((struct host_mock *)host)->exited = true;
}

u32 vt_host_probe(void *host)
{
	return ((struct host_mock *)host)->probe;
}

int vt_host_reg(void *host, u32 idx, u64 *val)
{
	struct host_mock *m = host;

	if (!m->has_regs || idx >= VT_REG_COUNT)
		return -1;
	*val = m->regs[idx];
	return 0;
}

u32 vt_host_kstack(void *host, const u64 **frames)
{
	struct host_mock *m = host;

	*frames = m->kstack;
	return m->kstack ? m->nkstack : 0;
}

u32 vt_host_ustack(void *host, const u64 **frames)
{
	struct host_mock *m = host;

	*frames = m->ustack;
	return m->ustack ? m->nustack : 0;
}

int vt_host_event(void *host, void *dst, u32 off, u32 len)
{
	struct host_mock *m = host;

	if (!m->event || off > m->event_size || len > m->event_size - off)
		return -1;
	memcpy(dst, (const char *)m->event + off, len);
	return 0;
}

/* The readable memory vt_host_read() sees: kernel [0], user [1]. */
static struct {
	u64 base;
	const void *mem;
	u32 size;
} mock_memory[2];

void host_mock_set_memory(bool user, u64 base, const void *mem, u32 size)
{
	mock_memory[user].base = base;
	mock_memory[user].mem = mem;
	mock_memory[user].size = mem ? size : 0;
}

int vt_host_read(void *host, void *dst, u64 addr, u32 len, bool user)
{
	u64 base = mock_memory[user].base, size = mock_memory[user].size;

	(void)host;
	if (addr < base || addr - base > size || len > size - (addr - base))
		return -1;
	memcpy(dst, (const char *)mock_memory[user].mem + (addr - base), len);
	return 0;
}

int vt_host_map_lock(void *host, u32 m)
{
	struct host_mock *hm = host;
	u64 bit = m < 64 ? 1ull << m : 0;

	hm->locks++;
	if (hm->locked)
		hm->lock_errors++;	/* never nested, per vt_vm.h */
	if (hm->map_busy)
		return -1;
	if (hm->mutex)
		pthread_mutex_lock(hm->mutex);
	hm->locked |= bit;
	return 0;
}

void vt_host_map_unlock(void *host, u32 m)
{
	struct host_mock *hm = host;
	u64 bit = m < 64 ? 1ull << m : 0;

	if (bit && !(hm->locked & bit))
		hm->lock_errors++;
	hm->locked &= ~bit;
	if (hm->mutex)
		pthread_mutex_unlock(hm->mutex);
	if (hm->on_unlock)
		hm->on_unlock(hm, m);
}

bool vt_host_time_up(void *host)
{
	struct host_mock *hm = host;

	struct timespec ts;

	hm->time_calls++;
	if (!hm->deadline_ns)
		return hm->time_up;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec >=
	       hm->deadline_ns;
}

struct host_mock_load host_mock_load;

void host_mock_load_reset(void)
{
	memset(&host_mock_load, 0, sizeof(host_mock_load));
}

bool vt_host_load_yield(u64 steps)
{
	struct host_mock_load *l = &host_mock_load;

	l->calls++;
	l->last_steps = steps;
	return l->stop_at && l->calls >= l->stop_at;
}

const struct vt_rec *host_mock_record(const struct host_mock *m, u32 i)
{
	u32 off = 0;
	const struct vt_rec *rec;

	if (i >= m->nrecords)
		return NULL;
	for (;;) {
		rec = (const struct vt_rec *)(m->buf + off);
		if (!i--)
			return rec;
		off += (rec->size + 7) & ~7u;
	}
}

void host_mock_exec_init(struct vt_exec *ex, const struct vt_prog *prog,
			 struct host_mock *m)
{
	void **maps;
	u32 i;

	memset(ex, 0, sizeof(*ex));
	ex->prog = prog;
	ex->host = m;
	ex->lglobals = calloc(prog->nlglobals + 1, sizeof(s64));
	ex->sglobals = calloc((size_t)prog->nsglobals + 1, prog->strsize);
	ex->frame = aligned_alloc(8, ((size_t)prog->frame_size + 8) & ~(size_t)7);
	if (!ex->lglobals || !ex->sglobals || !ex->frame)
		abort();
	memset(ex->frame, 0xa5, prog->frame_size);	/* catch missed init */
	vt_globals_init(prog, ex->lglobals, ex->sglobals);
	ex->budget = prog->budget;
	ex->nvslots = m->nvslots ? m->nvslots : 1;
	ex->vslot = m->vslot;
	maps = calloc(prog->nmaps + 1, sizeof(*maps));
	if (!maps)
		abort();
	for (i = 0; i < prog->nmaps; i++) {
		u64 size = vt_map_size(prog, i, ex->nvslots);

		maps[i] = size ? aligned_alloc(8, size) : NULL;
		if (!maps[i])
			abort();
		vt_map_init(prog, i, maps[i], ex->nvslots, (const u64[2]){
			    m->map_seed[0] + i, m->map_seed[1] });
	}
	ex->maps = maps;
	if (prog->nstacks) {
		ex->stacks = aligned_alloc(8, vt_stacks_size(prog->nstacks));
		if (!ex->stacks)
			abort();
		vt_stacks_init(ex->stacks, prog->nstacks);
	}
}

void host_mock_exec_free(struct vt_exec *ex)
{
	free(ex->lglobals);
	free(ex->sglobals);
	free(ex->frame);
	free(ex->stacks);
	for (u32 i = 0; ex->maps && i < ex->prog->nmaps; i++)
		free(ex->maps[i]);
	free((void *)ex->maps);
	memset(ex, 0, sizeof(*ex));
}

long long host_mock_format(const struct vt_prog *prog,
			   const struct vt_rec *rec, char *out, u32 size)
{
	struct vt_rec_printf pf;

	if (rec->type != VT_REC_PRINTF || rec->size < sizeof(*rec) ||
	    vt_rec_printf(prog, rec + 1, rec->size - (u32)sizeof(*rec), &pf))
		return -1;
	return vt_format(out, size, pf.text, pf.sig, pf.args, pf.nargs);
}
