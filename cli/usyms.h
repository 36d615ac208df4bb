/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * usyms.h - names of user-space addresses for stacks.c: the mapping of
 * the address in /proc/PID/maps (read once per process), the file
 * offset there, the ELF segment that loads it, and the covering function
 * of the file's .symtab or .dynsym (read once per file).  A process's
 * maps are read when first needed or noted (stacks_prefetch(), once a
 * second while the session runs); one that exited before has none, and
 * its addresses print as 0xADDR.
 */
#ifndef VT_CLI_USYMS_H
#define VT_CLI_USYMS_H

#include <stdint.h>

struct usym {
	const char *name;	/* the function, or NULL (then only path) */
	uint64_t off, size;	/* addr - its start, its size */
	const char *path;	/* the mapped file */
	uint64_t foff;		/* addr's offset in the file */
};

/* 0 and *@out when @addr is in a file mapping of @pid, else -1. */
int usyms_lookup(uint32_t pid, uint64_t addr, struct usym *out);
/* Read @pid's maps now (while it runs), if not read yet. */
void usyms_note(uint32_t pid);
void usyms_reset(void);

#endif /* VT_CLI_USYMS_H */
