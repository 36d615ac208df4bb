/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli.h - pieces of the vtrace command shared between its files:
 * options, the traced session on /dev/vtrace, and record output.
 */
#ifndef VT_CLI_H
#define VT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "vt_vm.h"

struct cli_options {
	const char *script;	/* text of the script */
	const char *file_name;	/* for messages */
	int last_pass;		/* 1..5 */
	bool verbose;
	const char *device;	/* VT_DEVICE_PATH unless overridden */
	const char *folded;	/* --folded FILE, or NULL */
};

/* What a run saw; decides the exit status. */
struct run_result {
	unsigned long records;
	unsigned long errors;	/* fault records printed */
	unsigned long long drops;
	unsigned long long skipped;
	unsigned int stop_reason;	/* VT_STOP_*: why the module stopped */
	unsigned long long stop_detail;
};

/*
 * Load @img (already verified into @prog) on the device, run until exit(),
 * SIGINT or SIGTERM, stop, drain, report.  Returns 0 when the session ran
 * and ended normally, 1 otherwise (after a message on stderr).
 */
int session_run(const struct cli_options *opt, const void *img, size_t size,
		const struct vt_prog *prog, struct run_result *res);

/*
 * Print the records in @buf (@len bytes, as read from the device).
 * Returns the number of bytes consumed (whole records), or -1 on a
 * malformed record (after a message).  Sets *saw_exit on VT_REC_EXIT and
 * on VT_REC_STOPPED (whose reason goes to res->stop_reason).
 */
long output_records(const struct vt_prog *prog, const void *buf, size_t len,
		    FILE *out, struct run_result *res, bool *saw_exit);

#endif /* VT_CLI_H */
