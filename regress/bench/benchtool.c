/*
 * benchtool: helpers of regress/bench/bench_ike.sh.
 *
 *	benchtool dh [SECONDS]	the reference: Diffie-Hellman operations
 *				per second of the built-in group 2 (1024-bit
 *				MODP) as OpenSSL computes them through the
 *				core's DH code (daemon/ike/dh.c, modp.c); an
 *				operation is a key generation (g^x) or a
 *				derivation ((g^y)^x), the two a main mode
 *				needs on each side.  Prints
 *				"dh_ops_per_second N".
 *	benchtool now		the monotonic clock, seconds with
 *				nanoseconds (portable date +%s.%N).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ike/dh.h"

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
dh_speed(double secs)
{
	const struct oakley_dh_group *g = dh_modp1024();
	uint8_t pub_a[DH_PUBLIC_MAX], pub_b[DH_PUBLIC_MAX];
	uint8_t secret[DH_PUBLIC_MAX];
	struct oakley_dh_key *a, *b;
	double start, t;
	unsigned long ops = 0;

	start = now_seconds();
	do {
		a = dh_keygen(g, pub_a, g->public_len);
		b = dh_keygen(g, pub_b, g->public_len);
		if (a == NULL || b == NULL ||
		    dh_derive(g, a, pub_b, g->public_len, secret,
		    g->public_len) != 0) {
			fprintf(stderr, "dhspeed: DH failed\n");
			return 1;
		}
		dh_key_free(g, a);
		dh_key_free(g, b);
		ops += 3;
		t = now_seconds() - start;
	} while (t < secs);
	printf("dh_ops_per_second %.0f\n", (double)ops / t);
	return 0;
}

int
main(int argc, char **argv)
{
	double secs;

	if (argc >= 2 && strcmp(argv[1], "now") == 0) {
		printf("%.6f\n", now_seconds());
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "dh") == 0) {
		secs = argc > 2 ? atof(argv[2]) : 1.0;
		return dh_speed(secs > 0 ? secs : 1.0);
	}
	fprintf(stderr, "usage: benchtool dh [SECONDS] | now\n");
	return 2;
}
