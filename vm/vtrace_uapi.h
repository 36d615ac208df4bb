/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * vtrace_uapi.h - the ABI between the vtrace compiler/CLI and the kernel
 * module: ioctl commands, the program image, and output records.
 *
 * Compatibility: the module and the CLI ship together, built from one
 * tree.  The loader accepts exactly VT_ABI_VERSION (no older, no newer),
 * and any incompatible change to the image, the records, the ioctls or
 * the map layout (vm/map.h) bumps it; there is no negotiation and no
 * compatibility layer.
 *
 * Invariants:
 *  - Every type here has a fixed width and explicit padding; the layout is
 *    the same for 32- and 64-bit user space.
 *  - An image is one contiguous blob: a header followed by sections.  Each
 *    section names its offset, element count and element size; the loader
 *    rejects an image whose element size differs from sizeof() here, whose
 *    sections overlap the header or run past the image, or whose version is
 *    not VT_ABI_VERSION.
 *  - String references are byte offsets into the STRTAB section; offset 0
 *    is always the empty string, and every string is NUL-terminated inside
 *    the section.
 *  - The instruction set (opcodes, helpers) lives in vt_isa.h and is part of
 *    the same ABI version.
 */
#ifndef VTRACE_UAPI_H
#define VTRACE_UAPI_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define VT_ABI_VERSION		4
#define VT_IMAGE_MAGIC		0x43525456u	/* "VTRC" little-endian */
#define VT_DEVICE_PATH		"/dev/vtrace"

/* Hard limits the loader enforces; the compiler stays below them. */
#define VT_IMAGE_MAX		(16u << 20)	/* bytes in one image */
#define VT_LOG_MAX		4096u		/* bytes of loader message */
#define VT_STRSIZE_MIN		16u		/* string slot bytes, incl. NUL */
#define VT_STRSIZE_MAX		4096u
#define VT_FRAME_MAX		(64u << 10)	/* registers + slots of a unit */
#define VT_UNIT_REGS_MAX	256		/* registers of one unit */
#define VT_UNIT_SLOTS_MAX	256		/* string slots of one unit */
#define VT_FORMAT_ARGS_MAX	32u
#define VT_STRING_MAX		4096u		/* bytes of one STRTAB string
						 * (format texts, constants,
						 * names), NUL excluded */
#define VT_NESTING_MAX		64u		/* script function call depth */
#define VT_MAP_KEYS_MAX		9u		/* keys of one associative array */
#define VT_MAP_ENTRIES_MAX	(1u << 20)	/* entries of one array */
#define VT_HIST_BUCKETS_MAX	256u		/* buckets of one histogram */
#define VT_SCRATCH_MAX		(1u << 20)	/* foreach scratch bytes */
#define VT_ITER_REC_BYTES	24u		/* scratch of one foreach: this
						 * + 4 per entry, 8-aligned */
#define VT_STACKS_MAX		(1u << 16)	/* entries of the stack table */
#define VT_STACK_DEPTH		64u		/* frames of one stored stack */

/* ---------------------------------------------------------------- image */

enum vt_section_id {
	VT_SECT_CODE,		/* struct vt_insn[] (see vt_isa.h) */
	VT_SECT_UNITS,		/* struct vt_unit_desc[]: code ranges */
	VT_SECT_CONSTS,		/* __s64[]: 64-bit constants */
	VT_SECT_STRTAB,		/* char[]: NUL-terminated strings */
	VT_SECT_LGLOBALS,	/* struct vt_global_desc[]: long globals */
	VT_SECT_SGLOBALS,	/* struct vt_global_desc[]: string globals */
	VT_SECT_PROBES,		/* struct vt_probe_desc[] */
	VT_SECT_FORMATS,	/* struct vt_format_desc[]: printf formats */
	VT_SECT_LINES,		/* struct vt_line_desc[]: pc -> file:line */
	VT_SECT_USIGS,		/* __u32[]: per unit, strtab: signature */
	VT_SECT_HANDLERS,	/* struct vt_handler_desc[]: try/catch */
	VT_SECT_DFAS,		/* struct vt_dfa_desc[]: regular expressions */
	VT_SECT_DFADATA,	/* __u8[]: their tables */
	VT_SECT_MAPS,		/* struct vt_map_desc[]: associative arrays
				 * and statistics */
	VT_SECT_ITERS,		/* struct vt_iter_desc[]: foreach sites */
	VT_SECT_AUTOPRINT,	/* __u32[]: globals the consumer prints at
				 * the end, VT_AUTOPRINT_*, in declaration
				 * order */
	VT_SECT_COUNT,
	VT_SECT_SLOTS = 16	/* fixed size of the header's section array */
};

struct vt_section {
	__u32 offset;		/* from the start of the image, 8-aligned */
	__u32 count;		/* elements */
	__u32 entsize;		/* bytes per element (1 for STRTAB) */
	__u32 reserved;		/* must be 0 */
};

struct vt_image_hdr {
	__u32 magic;		/* VT_IMAGE_MAGIC */
	__u16 version;		/* VT_ABI_VERSION */
	__u16 hdr_size;		/* sizeof(struct vt_image_hdr) */
	__u32 size;		/* bytes in the whole image */
	__u32 strsize;		/* string slot size: MAXSTRINGLEN + 1 */
	__u32 budget;		/* instructions one firing may execute */
	__u32 maxerrors;	/* errors tolerated; one more stops the session */
	__u32 maxnesting;	/* function call depth, <= VT_NESTING_MAX */
	__u32 scratch;		/* foreach scratch bytes per firing (8-aligned,
				 * <= VT_SCRATCH_MAX), part of the frame */
	__s32 target_pid;	/* target(): -x PID or -c CMD's pid, else 0 */
	__u32 nstacks;		/* entries of the stack table (vm/stack.h),
				 * <= VT_STACKS_MAX; 0: none, and no
				 * stack helper may be called */
	__u32 reserved[2];	/* must be 0 (and make the header 8-aligned) */
	struct vt_section sect[VT_SECT_SLOTS];	/* unused slots all 0 */
};

/*
 * A unit is a contiguous range of code run as one frame: a probe body or
 * a script function (a unit with a signature in USIGS, below).  UNITS is
 * sorted by code and the ranges are disjoint (gaps allowed): a pc
 * belongs to at most one unit.  Registers and string slots of the frame
 * start zeroed / empty on entry, except a function's parameters: its
 * long parameters are registers 0.., its string parameters slots 0.., in
 * declaration order.
 */
struct vt_unit_desc {
	__u32 code;		/* first instruction index in CODE */
	__u32 ncode;		/* instructions; the last one cannot fall through */
	__u16 nregs;		/* 64-bit registers, <= VT_UNIT_REGS_MAX */
	__u16 nslots;		/* string slots of strsize bytes,
				 * <= VT_UNIT_SLOTS_MAX */
	__u32 name;		/* strtab: for messages ("probe begin") */
};

/*
 * USIGS: absent (no functions), or one strtab offset per unit.  "" for a
 * probe body; a function's signature is its return kind ('v' none, 'l'
 * long, 's' string) and one 'l' or 's' per parameter: "lls" for
 * function f:long(a:long, b:string).
 */

/*
 * A try/catch handler: a fault (other than BUDGET, TIME and BUSY, which
 * end the firing) at a pc in [start, end) of one unit continues at
 * target (>= end, in the same unit), with the fault's text in string
 * slot `slot` (of that unit) when
 * VT_HANDLER_F_MSG is set.  HANDLERS is grouped by unit, in unit order
 * (the unit of a handler is the one holding start).  Within a unit's
 * group the first entry covering a pc wins, so inner handlers come
 * first.  A fault not handled in a function unwinds to its caller and is
 * looked up again at the CALL.
 */
#define VT_HANDLER_F_MSG	0x1u

struct vt_handler_desc {
	__u32 start;		/* absolute CODE index, first covered pc */
	__u32 end;		/* one past the last covered pc */
	__u32 target;		/* absolute CODE index of the catch block */
	__u16 slot;		/* message slot if VT_HANDLER_F_MSG */
	__u16 flags;		/* VT_HANDLER_F_* */
};

/*
 * A DFA for =~ (the MATCH opcode), its tables in DFADATA: classmap[256]
 * (byte -> class < nclasses - 2), table[nstates * nclasses] __u16 next
 * states (little-endian host order, read unaligned), accept[nstates]
 * (0 or 1), in that order, each DFA's after the previous DFA's.  Classes nclasses - 2 and - 1 are the symbols read before
 * and after the string (BOS, EOS).  Start state 0; the string matches
 * if the state after EOS accepts.
 */
struct vt_dfa_desc {
	__u32 classmap;		/* offset in DFADATA */
	__u32 table;		/* offset in DFADATA */
	__u32 accept;		/* offset in DFADATA */
	__u16 nstates;		/* >= 1 */
	__u16 nclasses;		/* >= 3 */
	__u32 pattern;		/* strtab: the regular expression */
	__u32 reserved;		/* must be 0 */
};

struct vt_global_desc {
	__u32 name;		/* strtab */
	__u32 reserved;		/* must be 0 */
	__s64 init;		/* long: initial value; string: strtab offset */
};

/*
 * An associative array, or a statistic (a scalar statistic is an array
 * with no keys and max_entries 1).  Keys: keysig holds one 'l' (long) or
 * 's' (string) per key, at most VT_MAP_KEYS_MAX.  Instructions that name
 * a map take its long keys from consecutive registers (format v) and its
 * string keys from consecutive slots (format q), each in keysig order.
 *
 * Storage (vm/map.h) is preallocated from max_entries; nothing is
 * allocated while probes fire.  Inserting into a full array is the fault
 * MAPFULL (detail: the map index), unless VT_MAP_F_WRAP is set: then the
 * oldest entry is replaced (SystemTap's "global a[N]%").
 *
 * A statistic (vkind STAT) keeps one struct vt_stat plus nbuckets
 * histogram counters per value slot; the host gives each CPU its own
 * slots (vt_exec.vslot), so `<<<` never takes a shared lock, and readers
 * (aggregate reads, VT_REC_HIST, the snapshot) merge the slots.
 */
enum vt_map_vkind {
	VT_MAPV_LONG,
	VT_MAPV_STRING,
	VT_MAPV_STAT,
};

enum vt_hist_kind {
	VT_HIST_NONE,
	VT_HIST_LOG,		/* nbuckets VT_HIST_LOG_BUCKETS, see below */
	VT_HIST_LINEAR,		/* hstart, hstop, hinterval; nbuckets =
				 * (hstop - hstart) / hinterval + 3: one
				 * underflow, the ranges, one overflow */
};

/*
 * @hist_log buckets: bucket VT_HIST_LOG_ZERO holds 0; ZERO + n (n >= 1)
 * holds values v with 2^(n-1) <= v < 2^n; ZERO - n the negative values
 * with 2^(n-1) <= -v < 2^n (INT64_MIN in ZERO - 64).
 */
#define VT_HIST_LOG_ZERO	64
#define VT_HIST_LOG_BUCKETS	129

#define VT_MAP_F_WRAP		0x1u	/* full: replace the oldest entry */
#define VT_MAP_STACKREF_VALUE	(1u << 31)	/* vt_map_desc.stackrefs */

/*
 * Stack references: what backtrace() and its family return, a long the
 * VM treats as any other and user space renders.  Bits 31..0: a stack
 * id of the session's stack table (vm/stack.h), 0 for an empty stack
 * (or one the full table dropped); bits 39..32: how it prints, an enum
 * vt_stack_mode.  Only user space reads the mode.
 */
#define VT_STACK_MODES(X)						\
	X(HEX,		"hex")	  /* backtrace(): "0x.. 0x.." */	\
	X(FULL,		"full")	  /* print_stack(): " 0x.. : sym+o/s [m]\n" */ \
	X(LINES,	"lines")  /* sprint_stack(): "sym+o/s [m]\n" */	\
	X(NAME,		"name")	  /* symname(): "sym" (or "0x..") */	\
	X(DATA,		"data")	  /* symdata(): "sym+o/s [m]" */	\
	X(CALLER,	"caller") /* caller(): "sym 0x.." */

enum vt_stack_mode {
#define VT_STACK_MODE_ENUM(name, text) VT_STACK_##name,
	VT_STACK_MODES(VT_STACK_MODE_ENUM)
#undef VT_STACK_MODE_ENUM
	VT_STACK_MODE_COUNT
};

/*
 * In a printf format's text, the conversion VT_FMT_STACK ('S', with the
 * flags, width and precision of %s) takes a long argument that is a
 * stack reference: user space prints its text as %s would.  Scripts
 * cannot write it (the compiler refuses %S); only the compiler emits it.
 */
#define VT_FMT_STACK		'S'

#define VT_STACKREF(id, mode)	((__s64)((__u64)(mode) << 32 | (__u32)(id)))
#define VT_STACKREF_ID(r)	((__u32)(__u64)(r))
#define VT_STACKREF_MODE(r)	((__u32)((__u64)(r) >> 32) & 0xffu)

struct vt_map_desc {
	__u32 name;		/* strtab: the global's name */
	__u32 keysig;		/* strtab: "" or 'l'/'s' per key */
	__u32 max_entries;	/* 1..VT_MAP_ENTRIES_MAX */
	__u8 vkind;		/* enum vt_map_vkind */
	__u8 hist;		/* enum vt_hist_kind; NONE unless STAT */
	__u16 flags;		/* VT_MAP_F_* */
	__u32 nbuckets;		/* histogram buckets, 0 if hist NONE */
	__u32 stackrefs;	/* which longs are stack references (below):
				 * bit i key i, VT_MAP_STACKREF_VALUE the
				 * value; only 'l' keys, a LONG value */
	__s64 hstart;		/* VT_HIST_LINEAR: lowest value, */
	__s64 hstop;		/* highest, */
	__s64 hinterval;	/* bucket width (> 0); else all 0 */
};

/*
 * One statistic value slot; nbuckets __s64 counters follow it.  Running
 * mean and squared deviations (Welford, integer): avg_s is the mean so
 * far, m2 the sum of squared deviations; @variance is m2 / (count - 1).
 * Slots are merged pairwise (Chan et al.).
 */
struct vt_stat {
	__s64 count;
	__s64 sum;
	__s64 min;
	__s64 max;
	__s64 avg_s;
	__s64 m2;
};

/* Aggregates read by SGET (its k: VT_AGG_K below). */
#define VT_AGGS(X)							\
	X(COUNT,	"count")					\
	X(SUM,		"sum")						\
	X(MIN,		"min")						\
	X(MAX,		"max")						\
	X(AVG,		"avg")						\
	X(VARIANCE,	"variance")

enum vt_agg {
#define VT_AGG_ENUM(name, text) VT_AGG_##name,
	VT_AGGS(VT_AGG_ENUM)
#undef VT_AGG_ENUM
	VT_AGG_COUNT_
};

/*
 * Packed 32-bit fields: a kind in bits 31..24, an index in bits 23..0.
 * Every packing and unpacking goes through the accessors below.
 */
#define VT_PACK_HI_SHIFT	24
#define VT_PACK_LO_MASK		0xffffffu
#define VT_PACK(hi, lo)		((__u32)(hi) << VT_PACK_HI_SHIFT |	\
				 ((__u32)(lo) & VT_PACK_LO_MASK))
#define VT_PACK_HI(v)		((__u32)(v) >> VT_PACK_HI_SHIFT)
#define VT_PACK_LO(v)		((__u32)(v) & VT_PACK_LO_MASK)

/* SGET's k (operand format n, vt_isa.h): enum vt_agg << 24 | MAPS index. */
#define VT_AGG_K(map, agg)	VT_PACK(agg, map)
#define VT_AGG_K_MAP(k)		VT_PACK_LO(k)
#define VT_AGG_K_AGG(k)		VT_PACK_HI(k)

/*
 * A foreach site.  ITINIT collects the live entries of map `map`, sorts
 * them and keeps the first `limit` (a register operand).  sort: 0 keeps
 * insertion order; 1..nkeys sorts by that key (1-based); VT_SORT_VALUE
 * by the value (a statistic: by aggregate `agg`).  dir: +1 ascending,
 * -1 descending (as an __s8); ties keep insertion order.
 */
#define VT_SORT_VALUE		0xffu

struct vt_iter_desc {
	__u32 map;		/* MAPS index */
	__u8 sort;		/* 0, 1..nkeys or VT_SORT_VALUE */
	__s8 dir;		/* +1, -1; 0 when sort is 0 */
	__u8 agg;		/* enum vt_agg when sorting a STAT by value */
	__u8 reserved;		/* must be 0 */
};

/* AUTOPRINT entries: kind << 24 | index (VT_PACK). */
#define VT_AUTOPRINT_LGLOBAL	0u	/* index into LGLOBALS */
#define VT_AUTOPRINT_SGLOBAL	1u	/* index into SGLOBALS */
#define VT_AUTOPRINT_MAP	2u	/* index into MAPS */
#define VT_AUTOPRINT(kind, index)	VT_PACK(kind, index)
#define VT_AUTOPRINT_KIND(e)		VT_PACK_HI(e)
#define VT_AUTOPRINT_INDEX(e)		VT_PACK_LO(e)

#define VT_PROBE_TYPES(X)						\
	X(BEGIN,	"begin")	/* once, at start, in the caller */	\
	X(END,		"end")		/* once, at stop, in the caller */	\
	X(KPROBE,	"kprobe")	/* target: kernel symbol */		\
	X(TIMER,	"timer")	/* period_ns, on one CPU */	\
	X(KRETPROBE,	"kretprobe")	/* target: kernel symbol, on return */ \
	X(TRACEPOINT,	"tracepoint")	/* target: "subsys:event"; event_id */ \
	X(PERF,		"perf")		/* event_id: VT_PERF_EVENT();	\
					 * period_ns: sample period, every CPU */ \
	X(UPROBE,	"uprobe")	/* target: binary path; offset: file \
					 * offset; pid: only that process if \
					 * > 0 */				\
	X(URETPROBE,	"uretprobe")	/* same, on return */		\
	X(PROC_BEGIN,	"process.begin") /* target: path or "" (any);	\
					 * pid as UPROBE; fires in the new \
					 * process after exec */	\
	X(PROC_END,	"process.end")	/* same filters, at process exit */ \
	X(ERROR,	"error")	/* at STOP instead of the end probes \
					 * when MAXERRORS stopped the session */ \
	X(RAW_TRACEPOINT, "raw_tracepoint") /* target: a vmlinux	\
					 * tracepoint's name ("sched_switch"); \
					 * its arguments 1-6 are int_arg(N).. */

enum vt_probe_type {
#define VT_PROBE_ENUM(name, text) VT_PROBE_##name,
	VT_PROBE_TYPES(VT_PROBE_ENUM)
#undef VT_PROBE_ENUM
	VT_PROBE_TYPE_COUNT
};

/*
 * The `how` word of the _deref helper (vt_isa.h): one read of 1, 2, 4 or
 * 8 bytes, sign- or zero-extended, of kernel or user (current task)
 * memory.  Built and taken apart only through these macros.  The helper
 * faults HELPER on any other value (VT_DEREF_VALID false): a size not 1,
 * 2, 4, 8 or a bit outside VT_DEREF_KNOWN.
 */
#define VT_DEREF_SIZE_MASK	0xfu
#define VT_DEREF_F_SIGNED	0x10u
#define VT_DEREF_F_USER		0x20u
#define VT_DEREF_KNOWN		(VT_DEREF_SIZE_MASK | VT_DEREF_F_SIGNED | \
				 VT_DEREF_F_USER)
#define VT_DEREF_HOW(size, is_signed, user)				\
	(((__u32)(size) & VT_DEREF_SIZE_MASK) |				\
	 ((is_signed) ? VT_DEREF_F_SIGNED : 0) |			\
	 ((user) ? VT_DEREF_F_USER : 0))
#define VT_DEREF_SIZE(h)	((__u32)((h) & VT_DEREF_SIZE_MASK))
#define VT_DEREF_SIGNED(h)	(((h) & VT_DEREF_F_SIGNED) != 0)
#define VT_DEREF_USER(h)	(((h) & VT_DEREF_F_USER) != 0)
#define VT_DEREF_VALID(h)						\
	(((__u64)(h) & ~(__u64)VT_DEREF_KNOWN) == 0 &&			\
	 (VT_DEREF_SIZE(h) == 1 || VT_DEREF_SIZE(h) == 2 ||		\
	  VT_DEREF_SIZE(h) == 4 || VT_DEREF_SIZE(h) == 8))

/* A PERF probe's event_id: perf_event_attr type << 24 | config. */
#define VT_PERF_EVENT(type, config)	VT_PACK(type, config)
#define VT_PERF_EVENT_TYPE(id)		VT_PACK_HI(id)
#define VT_PERF_EVENT_CONFIG(id)	VT_PACK_LO(id)

#define VT_PROBE_F_OPTIONAL	0x1u	/* a target that is absent is skipped */
#define VT_PROBE_F_WILDCARD	0x2u	/* matched by a wildcard: a target the
					 * kernel refuses is skipped, counted */
#define VT_PROBE_F_ARGS		0x4u	/* TRACEPOINT only: its unit reads the
					 * tracepoint's arguments 1-6 as
					 * int_arg(N)..; target "subsys:event"
					 * names a vmlinux tracepoint */

struct vt_probe_desc {
	__u32 type;		/* enum vt_probe_type */
	__u32 unit;		/* unit run on each firing */
	__u32 target;		/* strtab: symbol, event, ...; 0 if none */
	__u32 flags;		/* VT_PROBE_F_* */
	__u64 period_ns;	/* TIMER: > 0 */
	__u32 point;		/* strtab: the probe point as written */
	__u32 event_id;		/* TRACEPOINT: tracefs event ID; else 0 */
	__u64 offset;		/* UPROBE, URETPROBE: offset in the file;
				 * KPROBE: the function's address if user
				 * space knows it (the module checks it
				 * names target), else 0 */
	__s32 pid;		/* UPROBE..PROC_END: > 0 filters a process */
	__u32 reserved;		/* must be 0 */
};

/*
 * A printf format.  The format text is only used in user space; the
 * kernel reads the signature: one character per argument, 'l' for a long
 * taken from a register, 's' for a string taken from a slot.
 */
struct vt_format_desc {
	__u32 text;		/* strtab: the format string */
	__u32 sig;		/* strtab: argument kinds, e.g. "lsl" */
};

/*
 * Line table, sorted by pc.  An entry covers pcs from its own up to the
 * next entry's.  pc is an index into CODE.
 */
struct vt_line_desc {
	__u32 pc;
	__u32 file;		/* strtab */
	__u32 line;
	__u32 col;
};

/* ---------------------------------------------------------------- faults */

/* Why a firing was aborted; carried by VT_REC_ERROR records. */
#define VT_FAULTS(X)							\
	X(NONE,		"no error")					\
	X(DIVZERO,	"division by zero")				\
	X(OVERFLOW,	"arithmetic overflow")				\
	X(BUDGET,	"instruction budget exceeded (MAXACTION)")	\
	X(READ,		"unreadable address")				\
	X(HELPER,	"builtin function failed")				\
	X(NESTING,	"MAXNESTING exceeded")				\
	X(CONTEXT,	"not available in this probe (no registers, event or tracepoint arguments)") \
	X(MAPFULL,	"array full (MAXMAPENTRIES)") /* detail: map */ \
	X(EMPTYAGG,	"aggregate of an empty statistic") /* detail: map */ \
	X(BUSY,		"array locked too long by another CPU") /* map */ \
	X(SCRATCH,	"foreach nested too deep")			\
	X(BADITER,	"invalid foreach iterator or entry")		\
	X(TIME,		"time limit of one firing exceeded")		\
	X(USER,		"error() called")	/* the message follows */

enum vt_fault {
#define VT_FAULT_ENUM(name, text) VT_FAULT_##name,
	VT_FAULTS(VT_FAULT_ENUM)
#undef VT_FAULT_ENUM
	VT_FAULT_COUNT
};

/* --------------------------------------------------------------- records */

/*
 * read(2) on the device returns whole records, in timestamp order across
 * CPUs, each starting 8-aligned.  A buffer too small for the next record
 * gets -EINVAL when nothing was copied yet.
 */
enum vt_rec_type {
	VT_REC_PRINTF = 1,	/* __u32 format id, then the arguments */
	VT_REC_ERROR = 2,	/* struct vt_rec_error */
	VT_REC_EXIT = 3,	/* exit() was called; no payload */
	VT_REC_STOPPED = 4,	/* the module stopped firing: vt_rec_stopped */
	VT_REC_HIST = 5,	/* print(@hist_*(s)): struct vt_rec_hist */
};

/*
 * VT_REC_HIST payload: the merged slots of one statistic entry, then
 * nbuckets __s64 counters.  The consumer formats the histogram of kind
 * `hist` with the map's parameters.
 */
struct vt_rec_hist {
	__u32 map;		/* MAPS index */
	__u16 hist;		/* enum vt_hist_kind */
	__u16 reserved;
	__u32 nbuckets;
	__u32 reserved2;
	struct vt_stat stat;
};

struct vt_rec {
	__u32 size;		/* bytes, this header included, before padding */
	__u16 type;		/* enum vt_rec_type */
	__u16 cpu;
	__u64 ts;		/* ns, ring buffer clock */
	/* payload follows */
};

/*
 * VT_REC_PRINTF payload: __u32 format id, then for each signature char:
 * 'l' an __s64 (host order, unaligned), 's' a __u16 length and that many
 * bytes (no NUL).
 */

/*
 * Why a session stopped firing before user space called STOP.  The
 * session stays RUNNING (probes armed but idle) until STOP or close.
 */
#define VT_STOP_REASONS(X)						\
	X(NONE,		"running")					\
	X(EXIT,		"exit() called")				\
	X(MAXERRORS,	"too many errors")	/* detail: maxerrors */	\
	X(OVERLOAD,	"probe overhead too high") /* detail: percent */ \
	X(DEADMAN,	"output not read")	/* detail: seconds */

enum vt_stop_reason {
#define VT_STOP_ENUM(name, text) VT_STOP_##name,
	VT_STOP_REASONS(VT_STOP_ENUM)
#undef VT_STOP_ENUM
	VT_STOP_COUNT
};

/* VT_REC_STOPPED payload; emitted once, if the buffer has room. */
struct vt_rec_stopped {
	__u32 reason;		/* enum vt_stop_reason, not NONE or EXIT */
	__u32 reserved;
	__u64 detail;		/* see VT_STOP_REASONS */
};

/*
 * VT_REC_ERROR payload: struct vt_rec_error; for the fault USER the
 * message given to error() follows it (the record's size tells its
 * length, no NUL).
 */
struct vt_rec_error {
	__u32 pc;		/* CODE index of the faulting instruction */
	__u16 fault;		/* enum vt_fault */
	__u16 reserved;
	__s64 detail;		/* fault-specific: the address for READ */
};

/* ---------------------------------------------------------------- ioctls */

struct vt_load_req {
	__u64 image;		/* user pointer */
	__u64 log;		/* user pointer, may be 0 */
	__u32 image_size;
	__u32 log_size;		/* receives a NUL-terminated message */
};

enum vt_state {
	VT_STATE_EMPTY,		/* opened, nothing loaded */
	VT_STATE_LOADED,	/* verified, not running */
	VT_STATE_RUNNING,	/* probes armed */
	VT_STATE_STOPPED,	/* probes removed, end probes ran */
};

struct vt_cpu_status {
	__u64 fired;		/* firings that ran */
	__u64 drops;		/* records lost to a full buffer */
	__u64 errors;		/* firings aborted by a fault */
	__u64 skipped;		/* nested firings not run */
	__u64 max_firing_ns;	/* the longest firing (the VM run and its
				 * error record, interrupts off); in total:
				 * the longest on any CPU */
};

struct vt_status {
	__u32 state;		/* enum vt_state */
	__u32 ncpus;		/* possible CPUs; per-CPU entries filled */
	__u64 percpu;		/* user pointer to vt_cpu_status[], may be 0 */
	__u32 percpu_cap;	/* entries available at percpu */
	__u32 exit_requested;	/* exit() ran */
	struct vt_cpu_status total;
	__u32 failed_probe;	/* probe index START could not arm, or ~0 */
	__s32 failed_errno;	/* and why (negative errno), or 0 */
	__u32 stop_reason;	/* out: enum vt_stop_reason (in: ignored) */
	__u32 probes_skipped;	/* out: wildcard matches the kernel refused
				 * to probe (in: 0) */
	__u64 stop_detail;	/* out: see VT_STOP_REASONS (in: ignored) */
	/*
	 * in: user pointer to __u64[VT_STATUS_NCTX], may be 0: skipped
	 * firings per context (task, softirq, hardirq, NMI) summed over
	 * CPUs.  `skipped` above is their sum.
	 */
	__u64 ctx_skipped;
};

#define VT_STATUS_NCTX	4	/* contexts in ctx_skipped */

/*
 * SNAPSHOT: a copy of one map's storage (VT_SNAP_MAP, the layout of
 * vm/map.h, all value slots; per entry atomic, not one point in time:
 * map.h, "Snapshots"), of the stack table (VT_SNAP_STACKS: vm/stack.h's
 * layout; entries never change once their id is returned) or of the globals (VT_SNAP_GLOBALS: the __s64 long
 * globals, then the string globals, strsize bytes each).  Allowed once
 * START succeeded.  size: in, the bytes at buf; out, the bytes the copy
 * needs.  -ENOSPC (nothing copied) if that is more.
 */
enum vt_snap_what {
	VT_SNAP_MAP,
	VT_SNAP_GLOBALS,
	VT_SNAP_STACKS,		/* the stack table (vm/stack.h); index 0 */
};

struct vt_snapshot {
	__u32 what;		/* enum vt_snap_what */
	__u32 index;		/* VT_SNAP_MAP: MAPS index; else 0 */
	__u64 buf;		/* user pointer */
	__u64 size;		/* in/out, see above */
	__u32 nvslots;		/* out: value slots per entry in the copy */
	__u32 reserved;		/* must be 0 */
};

#define VT_IOC_MAGIC	0xB7
#define VT_IOC_LOAD	_IOW(VT_IOC_MAGIC, 1, struct vt_load_req)
#define VT_IOC_START	_IO(VT_IOC_MAGIC, 2)	/* arm probes, run begin */
#define VT_IOC_STOP	_IO(VT_IOC_MAGIC, 3)	/* disarm, run end */
#define VT_IOC_STATUS	_IOWR(VT_IOC_MAGIC, 4, struct vt_status)
#define VT_IOC_SNAPSHOT	_IOWR(VT_IOC_MAGIC, 5, struct vt_snapshot)

#endif /* VTRACE_UAPI_H */
