/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * uprobe.h - the binaries of user-space probe points (uprobe.c is the
 * process providers of provider.h).
 */
#ifndef VTC_UPROBE_H
#define VTC_UPROBE_H

#include <stddef.h>

/*
 * The binary @spec names, as SystemTap finds it: with a '/', relative to
 * the working directory; else searched in $PATH (and the library
 * directories for a shared library).  Absolute, symlinks resolved, in
 * @buf; 0, or -1 when not found.
 */
int uprobe_find_binary(const char *spec, char *buf, size_t size);

struct probe_point;

/* The binary of a resolved process.function/.statement point (absolute),
 * NULL for any other point. */
const char *uprobe_point_binary(const struct probe_point *pt);

#endif /* VTC_UPROBE_H */
