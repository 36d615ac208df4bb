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
	_Alignas(8) unsigned char buf[HOST_MOCK_BUF];
};

/* Fixed values: time 1000000123, pid 4242, tid 4243, cpu 3, "mocktask". */
void host_mock_init(struct host_mock *m);

/* The @i-th committed record (header + payload), or NULL. */
const struct vt_rec *host_mock_record(const struct host_mock *m, u32 i);

/*
 * Set up @ex to run @prog against @m: frame and globals are calloc'd and
 * initialised with vt_globals_init(), the budget set to prog->budget.
 */
void host_mock_exec_init(struct vt_exec *ex, const struct vt_prog *prog,
			 struct host_mock *m);
void host_mock_exec_free(struct vt_exec *ex);

#endif /* HOST_MOCK_H */
