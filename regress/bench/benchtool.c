/*
 * benchtool: the clock of regress/bench/bench_ike.sh.
 *
 *	benchtool now		the monotonic clock, seconds with
 *				nanoseconds (portable date +%s.%N).
 *
 * The Diffie-Hellman reference bench_ike.sh prints beside its figures is
 * bench_dh's (regress/bench/bench_dh.c), measured once a run.
 */
#include <stdio.h>
#include <string.h>

#include "timing.h"

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "now") == 0) {
		printf("%.6f\n", bench_now());
		return 0;
	}
	fprintf(stderr, "usage: benchtool now\n");
	return 2;
}
