/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * stacks.h - the text of stack references (vtrace_uapi.h): backtrace()
 * and its family return a stack id of the session's stack table plus a
 * print mode; here, in user space, the id becomes frames (a copy of the
 * table, vm/stack.h) and the frames names (/proc/kallsyms, with the
 * module sizes of /proc/modules), once per distinct stack.
 *
 * One table per process (the CLI runs one session): stacks_source()
 * says where copies come from; a reference whose id the copy does not
 * hold yet makes a new copy (ids are published before any record that
 * carries them, so the new copy holds it).
 */
#ifndef VT_CLI_STACKS_H
#define VT_CLI_STACKS_H

#include <stdio.h>

#include "vt_vm.h"

/* A copy of the stack table (malloc'd, *@size bytes), or NULL. */
typedef void *(*stacks_fetch_fn)(void *ctx, u64 *size);

void stacks_source(stacks_fetch_fn fetch, void *ctx);
/* Forget the copy and the symbols. */
void stacks_reset(void);

/* The text of @ref in its mode, malloc'd; NULL when out of memory. */
char *stacks_text(s64 ref);

/*
 * A printf record's arguments with each VT_FMT_STACK conversion made a
 * %s of its reference's text: @text and @sig rewritten into @ftext and
 * @fsig (as long as theirs + 1), @args' entries replaced, the texts in
 * @owned (VT_FORMAT_ARGS_MAX, freed by stacks_free_texts).  Returns 0,
 * or -1 when out of memory.
 */
int stacks_printf_args(const char *text, const char *sig,
		       struct vt_fmt_arg *args, u32 nargs, char *ftext,
		       char *fsig, char **owned);
void stacks_free_texts(char **owned);

/*
 * The frames of @ref's stack by name, outermost first, ';' between them
 * (an address no symbol covers as 0xADDR); "" for the empty stack.
 * Malloc'd; NULL when out of memory.
 */
char *stacks_folded(s64 ref);

/*
 * Copy the table again and read the maps of the processes of the user
 * stacks new since the last call, while they may still run (usyms.h).
 */
void stacks_prefetch(void);

/* Stacks the table dropped (full), per the last copy; 0 without one. */
u64 stacks_drops(u32 *max);

#endif /* VT_CLI_STACKS_H */
