/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * elfsyms.h - what the compiler reads from an ELF binary for user-space
 * probes: its functions (libelf: .symtab, else .dynsym) with their file
 * offsets, virtual address to file offset, and (libdw) the formal
 * parameters and return type of a function with debug info.
 */
#ifndef VTC_ELFSYMS_H
#define VTC_ELFSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A defined STT_FUNC symbol of size > 0. */
struct elf_func {
	char *name;
	uint64_t addr;		/* st_value */
	uint64_t size;
	uint64_t offset;	/* file offset of addr */
};

/* Sorted by name, one entry per name (the first symbol table order). */
struct elf_funcs {
	struct elf_func *v;
	size_t n;
	const char **names;	/* n names + NULL, for wildcards and hints */
	bool from_dynsym;	/* no .symtab: exported functions only */
};

/* 0, or -1 with a message in @err (not an ELF file, no symbols...). */
int elf_funcs_read(const char *path, struct elf_funcs *out, char *err,
		   size_t errlen);
void elf_funcs_free(struct elf_funcs *f);
const struct elf_func *elf_funcs_find(const struct elf_funcs *f,
				      const char *name);

/* The file offset of virtual address @vaddr (in a PT_LOAD segment). */
int elf_vaddr_offset(const char *path, uint64_t vaddr, uint64_t *off,
		     char *err, size_t errlen);

/*
 * How one value is read from the x86-64 SysV registers.  kind: 'i'
 * signed integer, 'u' unsigned, 'p' pointer, 'f' floating point (in an
 * XMM register), 'v' void (a return type only), 0 not readable
 * (aggregate, unknown type, or past the sixth integer register).
 */
struct ctype;

struct elf_value {
	char kind;
	uint8_t size;		/* bytes, 1..8 */
	int8_t argno;		/* parameter: 1..6 in DI SI DX CX R8 R9 */
	struct ctype *type;	/* the full type (types.h), NULL unknown */
};

struct elf_param {
	char *name;
	struct elf_value v;
};

/* A function's signature (DWARF or BTF); ret.kind 'v' when void. */
struct elf_proto {
	struct elf_param *params;
	size_t nparams;
	struct elf_value ret;
};

/*
 * 1 with @out filled when @path has DWARF for function @func, 0 when it
 * has none (no debug info, or not for that function), -1 on error.  The
 * values' full C types come from @path's type source (types_open), so
 * they live until types_reset().
 */
int elf_proto_read(const char *path, const char *func, struct elf_proto *out);
void elf_proto_free(struct elf_proto *p);

#endif /* VTC_ELFSYMS_H */
