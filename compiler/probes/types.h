/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * types.h - C types by name, from the kernel's BTF (vmlinux and module
 * split BTF, no debuginfo needed) and from DWARF (user binaries and
 * libraries, through libdw), in one model, so the target-variable
 * language ($x->a[i], @cast, $x$) is written once over both.
 *
 * A type source is opened once per compilation and indexed lazily: the
 * name index is built on the first lookup, a struct's members are
 * converted on the first ctype_members() call.  Every struct ctype lives
 * until types_reset() (the driver's end of compilation), so pointers to
 * them may be kept in the AST.
 *
 * Qualifiers (const, volatile, restrict, BTF type tags) never appear: the
 * backends skip them.  A forward declaration ("struct file;" in a module's
 * BTF, an incomplete DWARF type) is completed by name from the same source
 * or, for a module, from vmlinux; one that stays incomplete is CT_FWD.
 */
#ifndef VTC_TYPES_H
#define VTC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ctype_kind {
	CT_VOID,	/* also the target of void * */
	CT_INT,		/* integers, _Bool and char: size, is_signed */
	CT_ENUM,	/* size, is_signed, ctype_enumerators() */
	CT_FLOAT,	/* size */
	CT_PTR,		/* ref: the pointee; size 8 */
	CT_ARRAY,	/* ref: the element; nelem (0: flexible or unknown) */
	CT_STRUCT,	/* size, ctype_members() */
	CT_UNION,	/* size, ctype_members() */
	CT_FUNC,	/* ref: return type (NULL void), ctype_params() */
	CT_TYPEDEF,	/* name, ref: the type it names */
	CT_FWD,		/* an incomplete struct or union: is_union */
};

struct type_source;

struct ctype {
	enum ctype_kind kind;
	const char *name;	/* tag, typedef or base name; "" anonymous */
	uint64_t size;		/* bytes; 0 for void, functions, CT_FWD */
	bool is_signed;		/* CT_INT, CT_ENUM */
	bool is_char;		/* CT_INT of size 1 spelled char/signed char/
				 * unsigned char: char[N] and char * are strings */
	bool is_union;		/* CT_FWD */
	struct ctype *ref;	/* see enum ctype_kind; NULL means void */
	uint64_t nelem;		/* CT_ARRAY */
	/* private to the backend that made it */
	struct type_source *src;
	uint32_t id;
	void *lazy;		/* members, enumerators or params, once read */
	size_t nlazy;
	bool loaded;
};

struct ctype_member {
	const char *name;	/* "" for an anonymous struct or union member */
	uint64_t bit_offset;	/* from the start of the enclosing type */
	uint32_t bit_size;	/* 0 unless a bitfield */
	struct ctype *type;
};

struct ctype_enumerator {
	const char *name;
	int64_t value;
};

struct ctype_param {
	const char *name;	/* "" when the source has none */
	struct ctype *type;
};

/*
 * Open a type source: "kernel" (or NULL) is vmlinux's BTF
 * ($VTRACE_BTF, else /sys/kernel/btf/vmlinux); a name without '/' is a
 * kernel module's split BTF (/sys/kernel/btf/NAME, base vmlinux;
 * $VTRACE_BTF_DIR replaces /sys/kernel/btf); a path is a user binary or
 * library with DWARF.  "kernel<linux/sched.h>" is "kernel" (the header
 * part only documents where the type lives).  The same name gives the
 * same source for the rest of the compilation.  NULL with a one-line
 * reason in @err that says what would make it work ("no BTF for the
 * running kernel: /sys/kernel/btf/vmlinux is missing (a kernel built
 * with CONFIG_DEBUG_INFO_BTF has it)", "/bin/ls has no DWARF (install
 * its -dbgsym package or build it with -g)").
 */
struct type_source *types_open(const char *module, char *err, size_t errlen);

/* The name the source was opened with ("kernel", "ext4", a path). */
const char *types_source_name(const struct type_source *s);

/*
 * A type by name: "struct task_struct", "union x", "enum y", a typedef
 * ("pid_t") or a base type ("unsigned int"); a bare tag ("task_struct")
 * is tried as struct, then union, then typedef, as @cast does.  A
 * pointer suffix ("struct file *", "char **") is accepted.  NULL when
 * the source has no such type.
 */
struct ctype *types_lookup(struct type_source *s, const char *name);

/*
 * Up to @max names of struct/union/typedef types of @s closest to @name,
 * for "did you mean"; fills @out, returns how many.
 */
size_t types_similar(struct type_source *s, const char *name,
		     const char **out, size_t max);

/* Function @name's prototype (CT_FUNC), NULL if the source has none. */
struct ctype *types_function(struct type_source *s, const char *name);

/*
 * Tracepoint @name's prototype from BTF's btf_trace_<name> typedef, the
 * leading `void *` (the probe's data) dropped: the arguments the
 * kernel's tracepoint_probe_register() callback receives.  NULL if none.
 */
struct ctype *types_tracepoint(struct type_source *s, const char *name);

/*
 * A global variable @name (DWARF: any global; BTF: the variables of its
 * DATASECs, i.e. per-CPU ones).  Fills @type and, where known, @addr
 * (link-time address; 0 when not known) and @percpu.  false if none.
 */
bool types_variable(struct type_source *s, const char *name,
		    struct ctype **type, uint64_t *addr, bool *percpu);

/* Forget every source (end of a compilation, or a test). */
void types_reset(void);

/* ------------------------------------------------------- on one type */

/* @t without typedefs (NULL stays NULL: void). */
struct ctype *ctype_strip(struct ctype *t);

/*
 * Members of a struct or union (after ctype_strip), in order.  A
 * malformed source may nest a struct in itself by value: a walk over
 * members that recurses bounds its depth.
 */
size_t ctype_members(struct ctype *t, const struct ctype_member **out);

/* Enumerators of an enum. */
size_t ctype_enumerators(struct ctype *t,
			 const struct ctype_enumerator **out);

/* Parameters of a CT_FUNC. */
size_t ctype_params(struct ctype *t, const struct ctype_param **out);

/*
 * Member @name of struct/union @t, looking into anonymous members as C
 * does: fills @m with the member, its bit_offset from the start of @t.
 * false if @t has no such member.
 */
bool ctype_find_member(struct ctype *t, const char *name,
		       struct ctype_member *m);

/* Size in bytes (typedefs followed; 8 for pointers; 0 if unknown). */
uint64_t ctype_sizeof(struct ctype *t);

/*
 * @t spelled as C does, into @buf: "struct file *", "char [16]",
 * "unsigned int", "pid_t" (typedef names kept).  Returns @buf.
 */
char *ctype_spell(const struct ctype *t, char *buf, size_t n);

#endif /* VTC_TYPES_H */
