/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * host_mock.h - a user-space implementation of the vt_host_* interface
 * for unit tests: fixed time/pid/tid/cpu/comm, output records kept in a
 * buffer the test can walk, a switch to simulate a full buffer, and an
 * exit flag.  The host pointer passed to vt_run() is a struct host_mock.
 */
#ifndef HOST_MOCK_H
#define HOST_MOCK_H

#include "vt_vm.h"

#define HOST_MOCK_BUF	65536

struct host_mock {
	u64 time_ns, pid, tid, cpu;
	u64 task;		/* vt_host_task() */
	char comm[32];
	bool full;		/* reserve fails (as with a full buffer) */
	u32 drops;		/* failed reservations */
	bool exited;		/* vt_host_exit() was called */
	u32 nrecords;		/* committed records */
	u32 used;		/* bytes of buf used, records 8-aligned */
	void *pending;		/* reserved, not yet committed payload */
	u32 reserves, commits;
	u32 probe;		/* vt_host_probe() */
	bool has_regs;		/* vt_host_reg() succeeds, reading regs[] */
	u64 regs[VT_REG_COUNT];
	const void *event;	/* vt_host_event() reads event_size bytes */
	u32 event_size;
	const u64 *kstack;	/* vt_host_kstack() returns these nkstack */
	u32 nkstack;
	const u64 *ustack;	/* vt_host_ustack() returns these nustack */
	u32 nustack;
	/* Maps: storage made by host_mock_exec_init() with nvslots slots. */
	u32 nvslots;		/* 0 means 1 */
	u32 vslot;		/* copied to ex->vslot */
	bool map_busy;		/* vt_host_map_lock() fails */
	u64 locked;		/* bit m: map m locked (maps 0..63) */
	u32 locks, lock_errors;	/* lock calls; nested or unpaired ones */
	void *mutex;		/* a pthread_mutex_t shared by several
				 * mocks: map locks take it (threads) */
	bool time_up;		/* vt_host_time_up() returns it, */
	u64 deadline_ns;	/* or, if set, whether the calling thread's
				 * CPU time (CLOCK_THREAD_CPUTIME_ID) has
				 * reached it: preemption does not count */
	u32 time_calls;
	/*
	 * Map m's hash key is { map_seed[0] + m, map_seed[1] } (fixed by
	 * host_mock_init(), so runs and fuzzing are deterministic).
	 */
	u64 map_seed[2];
	/*
	 * If set, called after each vt_host_map_unlock(): "another CPU"
	 * acting between two steps of the firing (races made deterministic).
	 */
	void (*on_unlock)(struct host_mock *m, u32 map);
	void *hook_arg;
	_Alignas(8) unsigned char buf[HOST_MOCK_BUF];
};

/* Fixed values: time 1000000123, pid 4242, tid 4243, cpu 3, "mocktask",
 * task 0xffff888000104200. */
void host_mock_init(struct host_mock *m);

/*
 * vt_host_read() of kernel (@user false) or user memory reads @size
 * bytes at @mem as addresses [base, base + size); anything else is
 * unreadable.  @mem NULL: nothing is readable (the start).  Global to
 * every mock; the memory must outlive the reads.
 */
void host_mock_set_memory(bool user, u64 base, const void *mem, u32 size);

/*
 * vt_host_load_yield(): every call is counted here (global: the loader
 * has no host pointer); it says stop once stop_at calls were made
 * (0: never).  Reset with host_mock_load_reset().
 */
struct host_mock_load {
	u32 calls;		/* vt_host_load_yield() calls */
	u64 last_steps;		/* the steps it was given last */
	u32 stop_at;		/* stop on this call (0: never) */
};
extern struct host_mock_load host_mock_load;
void host_mock_load_reset(void);

/* The @i-th committed record (header + payload), or NULL. */
const struct vt_rec *host_mock_record(const struct host_mock *m, u32 i);

/*
 * Format PRINTF record @rec of @prog into @out (@size bytes, NUL
 * included) as the CLI does, decoded by vm/record.c.  Returns the full
 * length (vt_format's), or -1 when @rec is not a well-formed PRINTF
 * record of @prog.
 */
long long host_mock_format(const struct vt_prog *prog,
			   const struct vt_rec *rec, char *out, u32 size);

/*
 * Set up @ex to run @prog against @m: frame and globals are calloc'd and
 * initialised with vt_globals_init(), the budget set to prog->budget,
 * each map's storage allocated with m->nvslots slots and initialised
 * with m->map_seed.
 */
void host_mock_exec_init(struct vt_exec *ex, const struct vt_prog *prog,
			 struct host_mock *m);
void host_mock_exec_free(struct vt_exec *ex);

#endif /* HOST_MOCK_H */
