/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * types_int.h - between types.c (the model, the source registry and what
 * is common to every source) and its backends: btf.c (kernel and module
 * BTF) and dwtypes.c (DWARF through libdw).  Each backend is one ops
 * table; its state hangs off struct type_source's `priv`, private to its
 * file.  Nothing outside types.c, btf.c and dwtypes.c includes this.
 */
#ifndef VTC_TYPES_INT_H
#define VTC_TYPES_INT_H

#include "types.h"

struct type_backend {
	/* Open @name (see types_open); 0, or -1 with @err filled. */
	int (*open)(struct type_source *s, char *err, size_t errlen);
	/* The type named exactly @name in @kind's namespace (CT_STRUCT,
	 * CT_UNION, CT_ENUM, CT_TYPEDEF or CT_INT for base types). */
	struct ctype *(*lookup)(struct type_source *s, enum ctype_kind kind,
				const char *name);
	/* Every struct/union/typedef name, for types_similar(): calls @fn
	 * once per name. */
	void (*each_name)(struct type_source *s,
			  void (*fn)(const char *name, void *arg), void *arg);
	struct ctype *(*function)(struct type_source *s, const char *name);
	struct ctype *(*tracepoint)(struct type_source *s, const char *name);
	bool (*variable)(struct type_source *s, const char *name,
			 struct ctype **type, uint64_t *addr, bool *percpu);
	/* Fill t->lazy/t->nlazy (members, enumerators or params by kind)
	 * and set t->loaded; -1 on a malformed source (then empty). */
	int (*load)(struct ctype *t);
	void (*close)(struct type_source *s);
};

extern const struct type_backend types_btf_backend;	/* btf.c */
extern const struct type_backend types_dwarf_backend;	/* dwtypes.c */

struct type_source {
	const struct type_backend *ops;
	char *name;			/* as opened: "kernel", "ext4", a path */
	struct type_source *base;	/* a module's vmlinux, else NULL */
	void *priv;			/* the backend's */
	struct type_source *next;	/* the registry (types.c) */
};

/*
 * A new struct ctype owned by the registry (freed by types_reset()),
 * zeroed but for src/id; NULL on allocation failure.  Backends create
 * each (source, id) once and return the same pointer afterwards.
 */
struct ctype *types_new(struct type_source *s, uint32_t id);

/* Copy of @str owned by the registry (freed by types_reset()). */
const char *types_strdup(const char *str);

/* @size zeroed bytes owned by the registry (freed by types_reset()):
 * the arrays load() hangs off t->lazy. */
void *types_alloc(size_t size);

#endif /* VTC_TYPES_INT_H */
