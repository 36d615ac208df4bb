/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * btf.h - kernel function signatures from the running kernel's BTF
 * (/sys/kernel/btf/vmlinux, or $VTRACE_BTF), so `$name` in a
 * kernel.function probe reads that parameter's register.  The BTF is
 * the "kernel" type source of types.h (btf.c is its backend).
 */
#ifndef VTC_BTF_H
#define VTC_BTF_H

#include "elfsyms.h"

/*
 * 1 with @out filled (the same shape as DWARF's, elf_proto_free() frees
 * it; each value's type is the kernel source's struct ctype, types.h,
 * valid until types_reset()) when the kernel's BTF describes function
 * @func ("MODULE:FUNC": the module's split BTF, /sys/kernel/btf/MODULE),
 * 0 when it does not (or there is no BTF), -1 on a malformed file.
 */
int btf_proto_read(const char *func, struct elf_proto *out);

#endif /* VTC_BTF_H */
