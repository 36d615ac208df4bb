/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vt_vm.h - the VM's interface: load (parse + verify) an image, run a unit,
 * format printf output.  Shared by the kernel module and user space.
 *
 * Ownership: vm/ never allocates.  The caller owns the image bytes (which
 * must stay unchanged while a vt_prog refers to them), the globals storage
 * and the frame memory.  Everything the VM needs from its host comes
 * through the vt_host_* functions below, which the module implements for
 * real and the tests implement in user space.
 */
#ifndef VT_VM_H
#define VT_VM_H

#include "vt_compat.h"
#include "vt_isa.h"

/* A validated view of an image.  Filled by vt_prog_load(). */
struct vt_prog {
	const struct vt_image_hdr *hdr;
	const struct vt_insn *code;
	const struct vt_unit_desc *units;
	const s64 *consts;
	const char *strtab;
	const struct vt_global_desc *lglobals;
	const struct vt_global_desc *sglobals;
	const struct vt_probe_desc *probes;
	const struct vt_format_desc *formats;
	const struct vt_line_desc *lines;
	const u32 *usigs;	/* NULL, or nunits strtab offsets */
	const struct vt_handler_desc *handlers;
	const struct vt_dfa_desc *dfas;
	const u8 *dfadata;
	const struct vt_map_desc *maps;
	const struct vt_iter_desc *iters;
	const u32 *autoprint;
	u32 ncode, nunits, nconsts, strtab_size, nlglobals, nsglobals;
	u32 nprobes, nformats, nlines, nusigs, nhandlers, ndfas, ndfadata;
	u32 nmaps, niters, nautoprint;
	u32 scratch;		/* foreach scratch bytes (header) */
	u32 strsize;		/* string slot bytes */
	u32 budget;		/* instructions per firing */
	u32 maxerrors;		/* errors tolerated before the session stops */
	u32 frame_size;		/* frame memory one firing needs, bytes */
	u32 maxnesting;		/* function call depth (header) */
	u32 nstacks;		/* stack table entries (header), 0: none */
	u32 stack_off;		/* where the frames start in ex->frame */
	bool has_functions;	/* some unit has a signature */
	u64 load_steps;		/* work the load took (vt_prog_load) */
};

/*
 * Parse and verify an image of @size bytes.  Returns 0, or -1 with a
 * NUL-terminated message in @log (which may be NULL) naming the section,
 * unit and pc at fault, or VT_LOAD_STOPPED when vt_host_load_yield()
 * asked to stop.  Never reads outside [image, image + size).
 *
 * The work is linear in @size: it is counted in steps (one per table
 * entry, instruction or DFA table byte, each a bounded amount of work,
 * at most @size steps in all; prog->load_steps has the total), and
 * every VT_LOAD_YIELD_STEPS steps the loader calls vt_host_load_yield().
 */
int vt_prog_load(struct vt_prog *prog, const void *image, u32 size,
		 char *log, u32 log_size);

#define VT_LOAD_STOPPED		(-2)
#define VT_LOAD_YIELD_STEPS	4096u

/*
 * The loader's hook into its host, called with the steps done so far.
 * It runs in vt_prog_load()'s caller's context, never in probe context,
 * with no lock of the VM's held: the module reschedules here and returns
 * true (stop the load) when a fatal signal is pending.  Every program
 * that links vt_prog_load() defines it.
 */
bool vt_host_load_yield(u64 steps);

/* The strtab string at @off, or "" when @off is out of range. */
const char *vt_prog_str(const struct vt_prog *prog, u32 off);

/* Unit @u's signature: "" for a probe body (see VT_SECT_USIGS). */
static inline const char *vt_unit_sig(const struct vt_prog *prog, u32 u)
{
	return prog->usigs ? vt_prog_str(prog, prog->usigs[u]) : "";
}

/* The line entry covering @pc, or NULL. */
const struct vt_line_desc *vt_prog_line(const struct vt_prog *prog, u32 pc);

/*
 * Frame memory of one firing (ex->frame, prog->frame_size bytes):
 *
 *   call records   VT_CALLREC_BYTES x maxnesting, only when some unit is
 *                  a function (prog->stack_off bytes, else 0)
 *   stack          the first unit's frame, then up to maxnesting function
 *                  frames, each vt_unit_stack_bytes() (rounded up to 8)
 *   scratch        the header's foreach scratch, 8-aligned, last
 *
 * A unit's frame is nregs 64-bit registers (at most VT_UNIT_REGS_MAX),
 * then nslots string slots of strsize bytes (at most VT_UNIT_SLOTS_MAX).
 * Without functions the frames part is the largest unit's frame, not
 * rounded.  vt_frame_layout() computes it, for the compiler and the
 * loader alike; the compiler and the loader reject a program whose
 * frames exceed VT_FRAME_MAX.
 */
#define VT_CALLREC_BYTES	16	/* a suspended caller (interp.c) */

/* A unit's frame, and the bytes it takes on the stack. */
static inline u64 vt_unit_frame(u32 nregs, u32 nslots, u32 strsize)
{
	return (u64)nregs * 8 + (u64)nslots * strsize;
}

static inline u64 vt_unit_stack_bytes(u32 nregs, u32 nslots, u32 strsize)
{
	return (vt_unit_frame(nregs, nslots, strsize) + 7) & ~(u64)7;
}

/* Zero it, add every unit, then call vt_frame_layout(). */
struct vt_frame_layout {
	u64 unit_max;		/* largest unit frame, not rounded */
	u64 stack_max;		/* largest unit frame, rounded */
	u64 fn_max;		/* largest function frame, rounded */
	bool functions;		/* some unit is a function */
	u64 stack_off;		/* out: bytes of call records */
	u64 frames;		/* out: call records and stack */
	u64 size;		/* out: the whole frame memory */
};

void vt_frame_add_unit(struct vt_frame_layout *fl, u32 nregs, u32 nslots,
		       u32 strsize, bool function);
void vt_frame_layout(struct vt_frame_layout *fl, u32 maxnesting,
		     u32 scratch);

/* Everything one firing needs.  Set up by the host before vt_run(). */
struct vt_exec {
	const struct vt_prog *prog;
	void *host;		/* passed back to vt_host_* */
	s64 *lglobals;		/* prog->nlglobals entries */
	char *sglobals;		/* prog->nsglobals * strsize bytes */
	u8 *frame;		/* >= prog->frame_size bytes, 8-aligned: the
				 * call records, then the stack of frames */
	s64 budget;		/* instructions left; set to prog->budget */
	void *const *maps;	/* prog->nmaps storages (vm/map.h), each
				 * made by vt_map_init() with nvslots */
	void *stacks;		/* the stack table (vm/stack.h) made by
				 * vt_stacks_init() with header nstacks
				 * entries, or NULL when nstacks is 0 */
	u32 nvslots;		/* value slots per STAT entry */
	u32 vslot;		/* the one this firing updates (< nvslots):
				 * no other firing may use it meanwhile */
	/* Set when vt_run() returns a fault. */
	u32 fault_pc;
	s64 fault_detail;
	const char *fault_msg;	/* USER: error()'s message, in the frame;
				 * valid until the next vt_run() */
};

/*
 * Run unit @unit.  Returns VT_FAULT_NONE, or the fault that aborted the
 * firing (with ex->fault_pc set).  Output already committed stays.
 */
enum vt_fault vt_run(struct vt_exec *ex, u32 unit);

/* Initial values of the globals, from the image. */
void vt_globals_init(const struct vt_prog *prog, s64 *lglobals,
		     char *sglobals);

/*
 * Host interface.  Each call gets ex->host.  None may sleep or allocate:
 * they run in probe context (any context up to NMI).
 */
u64 vt_host_time_ns(void *host);		/* wall clock, ns */
u64 vt_host_pid(void *host);			/* tgid */
u64 vt_host_tid(void *host);			/* thread id */
u64 vt_host_cpu(void *host);
/* The address of the task_struct pid() describes (current, in a task). */
u64 vt_host_task(void *host);
/* Copy the current task's name into @buf (NUL-terminated, @size > 0). */
void vt_host_comm(void *host, char *buf, u32 size);
/*
 * Reserve @len payload bytes of an output record of @type, or NULL when
 * the buffer is full (the host counts the drop).  Every non-NULL
 * reservation is followed by vt_host_commit() before vt_run() returns.
 */
void *vt_host_reserve(void *host, u32 type, u32 len);
void vt_host_commit(void *host, void *payload);
void vt_host_exit(void *host);		/* exit(): stop the session soon */

/*
 * Probe context.  These are added as helpers come to need them; each
 * host implements every one that vm/ references.
 *
 * vt_host_read: copy @len bytes at @addr of the kernel (@user false) or
 * the current task's user (@user true) address space into @dst, without
 * faulting or sleeping.  Returns 0, or -1 if any byte is unreadable.
 */
int vt_host_read(void *host, void *dst, u64 addr, u32 len, bool user);
/* The index in prog->probes of the probe that is firing. */
u32 vt_host_probe(void *host);
/* Register @idx (VT_REG_* of vt_isa.h) of the probed context; 0 or -1. */
int vt_host_reg(void *host, u32 idx, u64 *val);
/* Copy @len bytes at @off of the firing's event record (tracepoints). */
int vt_host_event(void *host, void *dst, u32 off, u32 len);
/*
 * The kernel call stack of the probed context, innermost first (the
 * probed pc, then return addresses), at most VT_STACK_DEPTH frames,
 * without the host's own probe-handler frames: the count, and *@frames
 * pointing at them in host memory that stays valid until the firing
 * ends.  0 frames (e.g. a probe in user mode) is an empty stack.
 */
u32 vt_host_kstack(void *host, const u64 **frames);
/*
 * The user call stack of the current process the same way (the user
 * pc, then return addresses found by following frame pointers), read
 * without faulting; a frame that cannot be read ends it.  Valid until
 * the next vt_host_kstack/ustack call or the end of the firing.
 */
u32 vt_host_ustack(void *host, const u64 **frames);

/*
 * Maps.  The host allocates each map's storage once, before any firing:
 * vt_map_size() bytes (8-aligned, 0 if @m or @nvslots is out of range),
 * then vt_map_init() with @seed, the map's 128-bit hash key: random and
 * secret in the module (a script that cannot know it cannot choose keys
 * that collide), fixed in tests.  vm/map.h describes the layout, which
 * the snapshot ioctl copies out (in chunks, seed zeroed).
 *
 * vt_host_map_lock: take map @m's lock for one short operation (insert,
 * delete, a non-STAT read or write), spinning a bounded time; 0, or -1
 * if it stayed busy (the VM faults BUSY).  Never called with the lock
 * held, never from inside another map operation of the same firing.
 */
u64 vt_map_size(const struct vt_prog *prog, u32 m, u32 nvslots);
void vt_map_init(const struct vt_prog *prog, u32 m, void *mem, u32 nvslots,
		 const u64 seed[2]);
int vt_host_map_lock(void *host, u32 m);
void vt_host_map_unlock(void *host, u32 m);

/*
 * True when the firing has run too long (wall time).  The VM asks every
 * VT_TIME_POLL_UNITS budget units (at the first instruction dispatched
 * after that many were charged, whatever the instructions), and faults
 * TIME, which no try/catch handles.  So a firing overruns the host's cap
 * by at most VT_TIME_POLL_UNITS units plus one instruction.
 */
#define VT_TIME_POLL_UNITS	256
bool vt_host_time_up(void *host);

/*
 * printf formatting, shared by the CLI (output records), the VM's
 * SPRINTF (vt_format_frame) and the loader's messages (log.c).  @fmt is
 * a SystemTap format; the arguments follow the
 * signature string @sig ('l' long, 's' string).  Writes at most @size
 * bytes including a NUL; returns the length the full output would have.
 */
struct vt_fmt_arg {
	s64 l;
	const char *s;
	u32 slen;
};
u32 vt_format(char *out, u32 size, const char *fmt, const char *sig,
	      const struct vt_fmt_arg *args, u32 nargs);

#endif /* VT_VM_H */
