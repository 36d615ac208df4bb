// SPDX-License-Identifier: GPL-2.0-only
/*
 * target.c - see target.h.  The child blocks reading a pipe: one byte
 * means exec, end of file (vtrace failed or died before START) means
 * exit 127 without running anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "target.h"

static pid_t child = -1;
static int go_fd = -1;		/* write end; closed once released */
static bool released, reaped;

/*
 * In the child: a command without shell syntax is split into words and
 * exec'ed itself (so target() is the command's pid, not a shell's);
 * anything else runs under sh -c.
 */
static void __attribute__((noreturn)) run(const char *cmd)
{
	wordexp_t we;

	if (!wordexp(cmd, &we, WRDE_NOCMD) && we.we_wordc > 0) {
		execvp(we.we_wordv[0], we.we_wordv);
		fprintf(stderr, "vtrace: -c: %s: %s\n", we.we_wordv[0],
			strerror(errno));
		_exit(127);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	fprintf(stderr, "vtrace: -c: /bin/sh: %s\n", strerror(errno));
	_exit(127);
}

pid_t target_spawn(const char *cmd)
{
	int p[2];
	char c;

	if (pipe2(p, O_CLOEXEC)) {
		fprintf(stderr, "vtrace: -c: pipe: %s\n", strerror(errno));
		return -1;
	}
	fflush(NULL);
	child = fork();
	if (child < 0) {
		fprintf(stderr, "vtrace: -c: fork: %s\n", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (child == 0) {
		ssize_t r;

		close(p[1]);
		c = 0;
		do
			r = read(p[0], &c, 1);
		while (r < 0 && errno == EINTR);
		if (r != 1 || c != 'x')
			_exit(127);
		run(cmd);
	}
	close(p[0]);
	go_fd = p[1];
	return child;
}

void target_release(void)
{
	if (go_fd < 0)
		return;
	if (write(go_fd, "x", 1) != 1)
		fprintf(stderr, "vtrace: -c: cannot start the command: %s\n",
			strerror(errno));
	close(go_fd);
	go_fd = -1;
	released = true;
}

bool target_done(void)
{
	int status;

	if (!released || reaped)
		return reaped;
	if (waitpid(child, &status, WNOHANG) == child)
		reaped = true;
	return reaped;
}

void target_cleanup(void)
{
	if (child <= 0 || reaped)
		return;
	if (!released) {
		if (go_fd >= 0)
			close(go_fd);	/* the child exits without exec */
		go_fd = -1;
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		reaped = true;
	}
}
