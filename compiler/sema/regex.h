/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * regex.h - SystemTap's =~ / !~ regular expressions (POSIX ERE:
 * literals and escapes, '.', brackets with ranges, negation and
 * [:classes:], '*' '+' '?' '{m,n}', '|', groups, '^' and '$') compiled
 * at compile time to a DFA the VM runs in one pass over the string.
 *
 * The DFA reads BOS, the string's bytes, then EOS (two extra symbol
 * classes, so '^' and '$' are ordinary transitions); it starts in state
 * 0, and the string matches (anywhere, as =~ does) if the state after
 * EOS accepts.  Bounded: at most REGEX_MAX_NFA NFA states and
 * REGEX_MAX_DFA DFA states, else an error.
 */
#ifndef VTC_REGEX_H
#define VTC_REGEX_H

#include <stddef.h>
#include <stdint.h>

#define REGEX_MAX_NFA 1024
#define REGEX_MAX_DFA 256

struct regex_dfa {
	uint8_t classmap[256];	/* byte -> class < nclasses - 2 */
	uint16_t nclasses;	/* byte classes + BOS + EOS */
	uint16_t nstates;
	uint16_t *table;	/* nstates * nclasses next states, malloc'd */
	uint8_t *accept;	/* nstates flags, malloc'd */
};

/* Compile @re.  Returns 0, or -1 with a message in @err (and the byte
 * offset in @re at fault in *errpos). */
int regex_compile(const char *re, struct regex_dfa *dfa, char *err,
		  size_t errsize, size_t *errpos);
void regex_free(struct regex_dfa *dfa);

#endif /* VTC_REGEX_H */
