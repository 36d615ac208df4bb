/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * target.h - the traced command of -c CMD: started before the script is
 * compiled (target() is its pid), held on a pipe until the probes are
 * armed, then run (split into words like a shell would, or by sh -c
 * when it has shell syntax); the session ends when it exits.
 */
#ifndef VT_CLI_TARGET_H
#define VT_CLI_TARGET_H

#include <stdbool.h>
#include <sys/types.h>

/* Fork the held child; its pid, or -1 after a message. */
pid_t target_spawn(const char *cmd);

/* Let the child exec (after START succeeded); no-op without -c. */
void target_release(void);

/* The released child has exited (reaped); false without -c. */
bool target_done(void);

/* At the end: a child never released is killed and reaped. */
void target_cleanup(void);

#endif /* VT_CLI_TARGET_H */
