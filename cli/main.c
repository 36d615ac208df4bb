// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - the vtrace command: options, reading the script, running the
 * passes (1 parse, 2 resolve, 3 code, 4 verify, 5 run).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "aggfmt.h"
#include "cli.h"
#include "list.h"
#include "target.h"
#include "vtc.h"

#define VTRACE_VERSION "0.1"
#define TAPSET_DIRS_MAX 32

/* -I directories, then the defaults (tapset_defaults); NULL-terminated. */
static const char *tapset_dirs[TAPSET_DIRS_MAX + 3];
static int ntapset_dirs;

/*
 * The default tapset directories, after the -I ones: the source tree's
 * (BIN/../tapset, for build/vtrace) and the installed one
 * (BIN/../share/vtrace/tapset), BIN being the directory of the binary.
 */
static void tapset_defaults(void)
{
	static char tree[4096], installed[4096];
	char exe[4000];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return;
	exe[n] = 0;
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = 0;
	snprintf(tree, sizeof(tree), "%s/../tapset", exe);
	snprintf(installed, sizeof(installed), "%s/../share/vtrace/tapset",
		 exe);
	tapset_dirs[ntapset_dirs++] = tree;
	tapset_dirs[ntapset_dirs++] = installed;
	tapset_dirs[ntapset_dirs] = NULL;
}

/*
 * The loader's host hook (vm/vt_vm.h).  Pass 4 verifies in this process,
 * where SIGINT or SIGTERM ends the load with the process: go on; -p4
 * prints the work the load took (prog.load_steps).
 */
bool vt_host_load_yield(u64 steps)
{
	(void)steps;
	return false;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: vtrace [OPTIONS] FILE [ARGS...]\n"
"       vtrace [OPTIONS] -s FILE [ARGS...]\n"
"       vtrace [OPTIONS] -e 'SCRIPT' [ARGS...]\n"
"\n"
"Compile a tracing script, load it into the vtrace kernel module and print\n"
"what its probes report, until the script calls exit() or vtrace gets\n"
"SIGINT or SIGTERM; then the end probes run and vtrace exits.\n"
"\n"
"Options:\n"
"  -e SCRIPT     run SCRIPT given on the command line\n"
"  -s FILE       run the script in FILE (\"-\" reads standard input)\n"
"  -p N          stop after pass N and print its result:\n"
"                1 parse (script printed back), 2 resolve (with types),\n"
"                3 code (bytecode listing with source lines),\n"
"                4 verify (in user space), 5 run (default)\n"
"  -D NAME=VALUE set a limit: MAXACTION (instructions per firing),\n"
"                MAXSTRINGLEN, MAXNESTING (function calls), MAXERRORS,\n"
"                MAXMAPENTRIES (entries of an array without a size),\n"
"                MAXSTACKS (distinct stacks kept, backtrace())\n"
"  -v            report firings, errors, drops and skips at the end\n"
"  --folded FILE at the end, write every array keyed by a stack to FILE\n"
"                in the folded format of flame graphs (root;..;leaf N)\n"
"  -c CMD        run CMD (sh -c) once the probes are armed, stop when it\n"
"                exits; target() is its pid\n"
"  -x PID        target() is PID; process probes without a binary or\n"
"                pid apply to that process\n"
"  -I DIR        also look for tapset files in DIR (before the default\n"
"                directories; give it before -l to list DIR's aliases)\n"
"  -l PATTERN    list the probe points matching PATTERN (a glob:\n"
"                'kernel.trace(\"sched:*\")', 'syscall.*'); -L: with variables\n"
"  -h, --help    this text\n"
"  -V, --version print the version\n"
"\n"
"Exit status: 0 when the script ran and ended without errors, 1 otherwise.\n"
"See vtrace(1) and docs/ for the language and the probe points.\n");
}

/* Read all of @path ("-" for stdin) into a NUL-terminated buffer. */
static char *read_file(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t len = 0, cap = 4096;
	char *buf = NULL, *grown;
	size_t n;

	if (!f) {
		fprintf(stderr, "vtrace: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	while (buf) {
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len < cap - 1)
			break;
		cap *= 2;
		grown = realloc(buf, cap);
		if (!grown)
			free(buf);
		buf = grown;
	}
	if (!buf)
		fprintf(stderr, "vtrace: %s: out of memory\n", path);
	else if (ferror(f)) {
		fprintf(stderr, "vtrace: %s: read error\n", path);
		free(buf);
		buf = NULL;
	} else {
		buf[len] = '\0';
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

/* What -D NAME=VALUE and the script's arguments set for the compiler. */
static struct {
	uint32_t strsize, budget, maxnesting, maxerrors, maxmapentries;
	uint32_t maxstacks;
	const char *command;	/* -c */
	int32_t target_pid;	/* -x, or -c's child */
	const char *const *args;
	int nargs;
} settings = {
	.strsize = VTC_DEFAULT_STRSIZE,
	.budget = VTC_DEFAULT_BUDGET,
	.maxnesting = VTC_DEFAULT_MAXNESTING,
	.maxerrors = VTC_DEFAULT_MAXERRORS,
	.maxmapentries = VTC_DEFAULT_MAXMAPENTRIES,
	.maxstacks = VTC_DEFAULT_MAXSTACKS,
};

/*
 * The running kernel's configuration for CONFIG_* in %( %) conditions:
 * /boot/config-RELEASE, else /proc/config.gz; NULL if neither reads.
 */
static char *read_kconfig(const char *release)
{
	char path[512];
	FILE *f;
	char *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "/boot/config-%s", release);
	if (access(path, R_OK) == 0)
		return read_file(path);
	if (access("/proc/config.gz", R_OK))
		return NULL;
	f = popen("gzip -dc /proc/config.gz 2>/dev/null", "r");
	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = NULL;
	}
	pclose(f);
	return buf;
}

/* -D NAME=VALUE: SystemTap's limits that vtrace enforces. */
static int parse_define(const char *def)
{
	static const struct {
		const char *name;
		uint32_t *dst;
		long long min, max, add;
	} limits[] = {
		{ "MAXACTION", &settings.budget, 1, UINT32_MAX, 0 },
		{ "MAXSTRINGLEN", &settings.strsize, VT_STRSIZE_MIN - 1,
		  VT_STRSIZE_MAX - 1, 1 },
		{ "MAXNESTING", &settings.maxnesting, 1, VT_NESTING_MAX, 0 },
		{ "MAXMAPENTRIES", &settings.maxmapentries, 1,
		  VT_MAP_ENTRIES_MAX, 0 },
		{ "MAXERRORS", &settings.maxerrors, 0, UINT32_MAX - 1, 0 },
		{ "MAXSTACKS", &settings.maxstacks, 1, VT_STACKS_MAX, 0 },
	};
	const char *eq = strchr(def, '=');
	size_t len = eq ? (size_t)(eq - def) : strlen(def);
	long long v;
	char *end;

	for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		if (strlen(limits[i].name) != len ||
		    strncmp(limits[i].name, def, len))
			continue;
		errno = 0;
		v = eq ? strtoll(eq + 1, &end, 0) : -1;
		if (!eq || !eq[1] || *end || errno || v < limits[i].min ||
		    v > limits[i].max) {
			fprintf(stderr, "vtrace: -D %s: the value must be a "
				"number in [%lld, %lld]\n", limits[i].name,
				limits[i].min, limits[i].max);
			return -1;
		}
		*limits[i].dst = (uint32_t)(v + limits[i].add);
		return 0;
	}
	fprintf(stderr, "vtrace: -D %.*s: unknown setting (known: MAXACTION, "
		"MAXSTRINGLEN, MAXNESTING, MAXERRORS, MAXMAPENTRIES, "
		"MAXSTACKS)\n",
		(int)len, def);
	return -1;
}

static int parse_args(int argc, char **argv, struct cli_options *opt,
		      char **owned)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "folded", required_argument, NULL, 'F' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = NULL;
	char *end;
	int c;

	opt->last_pass = 5;
	opt->device = getenv("VTRACE_DEVICE");
	if (!opt->device)
		opt->device = VT_DEVICE_PATH;
	while ((c = getopt_long(argc, argv, "+e:s:p:D:vhVl:L:I:c:x:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'I':
			if (ntapset_dirs == TAPSET_DIRS_MAX) {
				fprintf(stderr, "vtrace: at most %d -I\n",
					TAPSET_DIRS_MAX);
				return -1;
			}
			tapset_dirs[ntapset_dirs++] = optarg;
			break;
		case 'e':
			opt->script = optarg;
			opt->file_name = "<command-line>";
			break;
		case 's':
			file = optarg;
			break;
		case 'p':
			opt->last_pass = (int)strtol(optarg, &end, 10);
			if (*end || opt->last_pass < 1 || opt->last_pass > 5) {
				fprintf(stderr, "vtrace: -p takes 1 to 5\n");
				return -1;
			}
			break;
		case 'v':
			opt->verbose = true;
			break;
		case 'F':
			opt->folded = optarg;
			break;
		case 'c':
			settings.command = optarg;
			break;
		case 'x':
			errno = 0;
			settings.target_pid = (int32_t)strtol(optarg, &end, 10);
			if (*end || errno || settings.target_pid <= 0 ||
			    (kill(settings.target_pid, 0) && errno == ESRCH)) {
				fprintf(stderr, "vtrace: -x %s: no such "
					"process\n", optarg);
				return -1;
			}
			break;
		case 'l':
		case 'L':
			tapset_defaults();
			exit(list_points(optarg, c == 'L', tapset_dirs));
		case 'D':
			if (parse_define(optarg))
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("vtrace %s (ABI %d)\n", VTRACE_VERSION,
			       VT_ABI_VERSION);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (!opt->script && !file && optind < argc)
		file = argv[optind++];
	if (opt->script && file) {
		fprintf(stderr, "vtrace: give either -e or a script file\n");
		return -1;
	}
	settings.args = (const char *const *)argv + optind;
	settings.nargs = argc - optind;
	if (file) {
		*owned = read_file(file);
		if (!*owned)
			return -1;
		opt->script = *owned;
		opt->file_name = strcmp(file, "-") ? file : "<stdin>";
	}
	if (!opt->script) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/*
 * VTRACE_IMAGE_OUT=FILE: also write the verified program image to FILE
 * (tests/kernel/ioctl_fuzz starts from such images).  0, or 1 after a
 * message.
 */
static int save_image(const void *data, size_t size)
{
	const char *path = getenv("VTRACE_IMAGE_OUT");
	FILE *f;
	int bad;

	if (!path || !*path)
		return 0;
	f = fopen(path, "wb");
	bad = !f || fwrite(data, 1, size, f) != size;
	if (f && fclose(f))
		bad = 1;
	if (bad)
		fprintf(stderr, "vtrace: cannot write %s: %s\n", path,
			strerror(errno));
	return bad;
}

int main(int argc, char **argv)
{
	struct cli_options opt = { 0 };
	struct vtc_image img = { 0 };
	struct run_result res = { 0 };
	char log[VT_LOG_MAX];
	struct vt_prog prog;
	char *owned = NULL, *kconfig = NULL;
	struct utsname uts;
	int ret = 1;

	memset(&uts, 0, sizeof(uts));
	if (parse_args(argc, argv, &opt, &owned))
		goto out;
	tapset_defaults();
	if (settings.command && settings.target_pid) {
		fprintf(stderr, "vtrace: give either -c or -x\n");
		goto out;
	}
	/* -c: the child exists (held) before compiling, for target() */
	if (settings.command && opt.last_pass == 5) {
		settings.target_pid = target_spawn(settings.command);
		if (settings.target_pid < 0)
			goto out;
	}
	if (uname(&uts) == 0)
		kconfig = read_kconfig(uts.release);
	struct vtc_options copt = {
		.file_name = opt.file_name,
		.source = opt.script,
		.last_pass = opt.last_pass <= 3 ? opt.last_pass : 0,
		.strsize = settings.strsize,
		.budget = settings.budget,
		.maxerrors = settings.maxerrors,
		.maxnesting = settings.maxnesting,
		.maxmapentries = settings.maxmapentries,
		.maxstacks = settings.maxstacks,
		.args = settings.args,
		.nargs = settings.nargs,
		.kernel_release = uts.release[0] ? uts.release : NULL,
		.arch = uts.machine[0] ? uts.machine : NULL,
		.kconfig = kconfig,
		.out = stdout,
		.err = stderr,
		.kernel_functions = list_kernel_functions,
		.tracefs = getenv("VTRACE_TRACEFS"),
		.tapset_dirs = tapset_dirs,
		.target_pid = settings.target_pid,
	};
	if (vtc_compile(&copt, &img))
		goto out;
	if (opt.last_pass <= 3) {
		ret = 0;
		goto out;
	}
	if (vt_prog_load(&prog, img.data, (uint32_t)img.size, log,
			 sizeof(log))) {
		fprintf(stderr, "vtrace: internal error: the compiled program "
			"does not verify: %s\n", log);
		goto out;
	}
	if (save_image(img.data, img.size))
		goto out;
	if (opt.folded && !aggfmt_has_stack_keys(&prog)) {
		fprintf(stderr, "vtrace: --folded: the script has no array "
			"keyed by a stack to write (s[backtrace()] <<< 1)\n");
		goto out;
	}
	if (opt.last_pass == 4) {
		printf("verified: %u probes, %u units, %u instructions, "
		       "%zu bytes, %llu load steps\n", prog.nprobes,
		       prog.nunits, prog.ncode, img.size,
		       (unsigned long long)prog.load_steps);
		ret = 0;
		goto out;
	}
	ret = session_run(&opt, img.data, img.size, &prog, &res);
out:
	target_cleanup();
	vtc_image_free(&img);
	free(owned);
	free(kconfig);
	return ret;
}
