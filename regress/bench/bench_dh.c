/*
 * Benchmark of Diffie-Hellman as the IKE engine does it: MODP group 2
 * (1024 bits, built into the core) and group 14 (2048 bits, from the
 * dh2048 plugin loaded through the plugin host), against OpenSSL used
 * directly, measured in the same run.
 *
 * One operation is what one side of a handshake does: make a key pair and
 * derive the shared secret from the peer's public value.  Operations run
 * in pairs, both sides of one exchange, and the two secrets must agree.
 *
 * Ours: dh_keygen and dh_derive of daemon/ike/dh.h, with what they cost in
 * oakleyd (the group's domain parameters built for every key, the peer's
 * public value range-checked and imported from its bytes).
 *
 * Reference: OpenSSL's EVP "DH" with the same prime, generator 2 and
 * private exponent length, the domain parameters built once, the peer's
 * key handed over as the EVP_PKEY it already is and not validated: the
 * DH operations per second OpenSSL can do, the ceiling for handshakes.
 * Also shown: the same with OpenSSL's default peer validation, which for
 * a group it knows the order q of (14, not 2) is a full-size y^q mod p,
 * the extra exponentiation dh2048 leaves out (a range check suffices for
 * a safe prime).
 *
 * Each half runs BENCH_ROUNDS times and the best round counts.  Prints
 * operations per second and the ratio ours/reference; it never judges the
 * figures.  With BENCH_RESULTS set (regress/bench/run.sh sets it), also
 * appends "dh.GROUP.ours OPS", "dh.GROUP.openssl OPS" and
 * "dh.GROUP.openssl-checked OPS" lines there.
 *
 *	bench_dh [dh2048 plugin directory]	(default plugins/dh2048)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "conf.h"
#include "ike/dh.h"
#include "log.h"
#include "plugin.h"
#include "timing.h"

#define BENCH_ROUNDS	3
#define PUB_MAX		256	/* bytes: 2048 bits */

struct bench_group {
	uint16_t	 number;
	const char	*name;
	BIGNUM		*(*prime)(BIGNUM *);
	int		 priv_bits;	/* as daemon/ike/dh.c, dh2048.c */
	int		 pairs;		/* exchanges per round */
};

static const struct bench_group groups[] = {
	{ 2, "modp1024", BN_get_rfc2409_prime_1024, 192, 1000 },
	{ 14, "modp2048", BN_get_rfc3526_prime_2048, 256, 150 },
};

static const struct oakley_engine no_engine;	/* dh2048 calls none */

/* One exchange through dh.h; 0, or -1 if anything fails or disagrees. */
static int
ours_pair(const struct oakley_dh_group *g)
{
	struct oakley_dh_key *a = NULL, *b = NULL;
	uint8_t pa[PUB_MAX], pb[PUB_MAX], sa[PUB_MAX], sb[PUB_MAX];
	size_t len = g->public_len, slen = dh_secret_len(g);
	int rc = -1;

	if ((a = dh_keygen(g, pa, len)) == NULL ||
	    (b = dh_keygen(g, pb, len)) == NULL)
		goto out;
	if (dh_derive(g, a, pb, len, sa, slen) != 0 ||
	    dh_derive(g, b, pa, len, sb, slen) != 0)
		goto out;
	rc = memcmp(sa, sb, slen) == 0 ? 0 : -1;
out:
	OPENSSL_cleanse(sa, sizeof(sa));
	OPENSSL_cleanse(sb, sizeof(sb));
	dh_key_free(g, a);
	dh_key_free(g, b);
	return rc;
}

/*
 * The domain parameters p, g = 2 as an EVP_PKEY, or NULL.  Written
 * against OpenSSL alone, like all of the reference, not with modp.c.
 */
static EVP_PKEY *
ref_params(const struct bench_group *bg)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *p = NULL, *g = NULL;

	if ((p = bg->prime(NULL)) == NULL || (g = BN_new()) == NULL ||
	    !BN_set_word(g, 2) || (bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEY_PARAMETERS,
	    params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	return pkey;
}

static EVP_PKEY *
ref_keygen(EVP_PKEY *params, int priv_bits)
{
	OSSL_PARAM set[2];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;

	set[0] = OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN,
	    &priv_bits);
	set[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_params(ctx, set) <= 0 ||
	    EVP_PKEY_keygen(ctx, &key) <= 0)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static int
ref_derive(EVP_PKEY *key, EVP_PKEY *peer, int validate, uint8_t *secret,
    size_t len)
{
	EVP_PKEY_CTX *ctx;
	size_t outlen = len;
	int rc = -1;

	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) != NULL &&
	    EVP_PKEY_derive_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_dh_pad(ctx, 1) > 0 &&
	    EVP_PKEY_derive_set_peer_ex(ctx, peer, validate) > 0 &&
	    EVP_PKEY_derive(ctx, secret, &outlen) > 0 && outlen == len)
		rc = 0;
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

/* One exchange with OpenSSL directly; 0 or -1. */
static int
ref_pair(EVP_PKEY *params, const struct bench_group *bg, int validate,
    size_t len)
{
	EVP_PKEY *a = NULL, *b = NULL;
	uint8_t sa[PUB_MAX], sb[PUB_MAX];
	int rc = -1;

	if ((a = ref_keygen(params, bg->priv_bits)) == NULL ||
	    (b = ref_keygen(params, bg->priv_bits)) == NULL)
		goto out;
	if (ref_derive(a, b, validate, sa, len) != 0 ||
	    ref_derive(b, a, validate, sb, len) != 0)
		goto out;
	rc = memcmp(sa, sb, len) == 0 ? 0 : -1;
out:
	OPENSSL_cleanse(sa, sizeof(sa));
	OPENSSL_cleanse(sb, sizeof(sb));
	EVP_PKEY_free(a);
	EVP_PKEY_free(b);
	return rc;
}

/* Best operations per second over BENCH_ROUNDS rounds, or -1. */
static double
run_ours(const struct oakley_dh_group *g, const struct bench_group *bg)
{
	double best = 0, start, secs;
	int round, i;

	for (round = 0; round < BENCH_ROUNDS; round++) {
		start = bench_now();
		for (i = 0; i < bg->pairs; i++)
			if (ours_pair(g) != 0)
				return -1;
		secs = bench_now() - start;
		if (2.0 * bg->pairs / secs > best)
			best = 2.0 * bg->pairs / secs;
	}
	return best;
}

static double
run_reference(const struct bench_group *bg, int validate, size_t len)
{
	EVP_PKEY *params;
	double best = 0, start, secs;
	int round, i;

	if ((params = ref_params(bg)) == NULL)
		return -1;
	for (round = 0; round < BENCH_ROUNDS; round++) {
		start = bench_now();
		for (i = 0; i < bg->pairs; i++)
			if (ref_pair(params, bg, validate, len) != 0) {
				EVP_PKEY_free(params);
				return -1;
			}
		secs = bench_now() - start;
		if (2.0 * bg->pairs / secs > best)
			best = 2.0 * bg->pairs / secs;
	}
	EVP_PKEY_free(params);
	return best;
}

static void
record(const char *key, double value)
{
	const char *path = getenv("BENCH_RESULTS");
	FILE *fp;

	if (path == NULL || *path == '\0' || (fp = fopen(path, "a")) == NULL)
		return;
	fprintf(fp, "%s %.1f\n", key, value);
	fclose(fp);
}

/* Group 2 is built in; 14 comes from the dh2048 plugin in dir. */
static int
load_groups(const char *dir)
{
	struct conf_plugin_block pb = { .name = (char *)"dh2048" };
	char path[PATH_MAX], err[1024];

	log_init("bench_dh", true, LOG_LEVEL_WARN);
	if (plugin_host_init(&no_engine, NULL) != 0 ||
	    dh_register_builtin() != 0) {
		fprintf(stderr, "bench_dh: cannot start the plugin host\n");
		return -1;
	}
	if (realpath(dir, path) == NULL) {
		printf("  (no %s: group 14 measured by the reference only)\n",
		    dir);
		return 0;
	}
	if (plugin_load(path, &pb, err, sizeof(err)) != 0)
		printf("  (%s: group 14 measured by the reference only)\n",
		    err);
	return 0;
}

static int
bench_group(const struct bench_group *bg)
{
	const struct oakley_dh_group *g = dh_group(bg->number);
	size_t len;
	double ours = -1, ref, checked;
	char key[64];
	BIGNUM *p;

	if ((p = bg->prime(NULL)) == NULL)
		return -1;
	len = (size_t)BN_num_bytes(p);
	BN_free(p);
	if (g != NULL && (g->public_len != len || len > PUB_MAX)) {
		fprintf(stderr, "bench_dh: group %u: %zu-byte values, "
		    "expected %zu\n", (unsigned)bg->number, g->public_len,
		    len);
		return -1;
	}
	if (g != NULL && (ours = run_ours(g, bg)) < 0) {
		fprintf(stderr, "bench_dh: group %u: an exchange through "
		    "dh.h failed\n", (unsigned)bg->number);
		return -1;
	}
	if ((ref = run_reference(bg, 0, len)) < 0 ||
	    (checked = run_reference(bg, 1, len)) < 0) {
		fprintf(stderr, "bench_dh: group %u: an OpenSSL exchange "
		    "failed\n", (unsigned)bg->number);
		return -1;
	}
	if (ours > 0) {
		printf("  %-8s ours %8.1f ops/s   reference %8.1f ops/s   "
		    "ratio ours/reference %.2f\n", bg->name, ours, ref,
		    ours / ref);
		snprintf(key, sizeof(key), "dh.%s.ours", bg->name);
		record(key, ours);
	} else
		printf("  %-8s ours        - ops/s   reference %8.1f ops/s\n",
		    bg->name, ref);
	printf("  %-8s OpenSSL with its default peer check %8.1f ops/s\n",
	    "", checked);
	snprintf(key, sizeof(key), "dh.%s.openssl", bg->name);
	record(key, ref);
	snprintf(key, sizeof(key), "dh.%s.openssl-checked", bg->name);
	record(key, checked);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t i;
	int rc = 0;

	printf("bench_dh: MODP Diffie-Hellman, one op = keygen + derive "
	    "(one side of an exchange), best of %d\n", BENCH_ROUNDS);
	printf("  ours: daemon/ike/dh.h (group 2 built in, 14 from "
	    "dh2048); reference: OpenSSL EVP directly,\n  same private "
	    "exponent length, parameters built once, peer not "
	    "validated\n");
	if (load_groups(argc > 1 ? argv[1] : "plugins/dh2048") != 0)
		return 1;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (bench_group(&groups[i]) != 0)
			rc = 1;
	plugin_host_fini();
	return rc;
}
