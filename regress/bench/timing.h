/*
 * The clock of the benchmarks: monotonic seconds, as a double.
 */
#ifndef OAKLEY_BENCH_TIMING_H
#define OAKLEY_BENCH_TIMING_H

#include <time.h>

static inline double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#endif /* OAKLEY_BENCH_TIMING_H */
