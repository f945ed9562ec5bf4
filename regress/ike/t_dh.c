/*
 * DH group 2 (daemon/ike/dh.c over modp.c) and the group registry.
 *
 * Known answers were computed independently with Python integers:
 *
 *	p    = 2^1024 - 2^960 - 1 + 2^64 * (floor(2^894 pi) + 129093)
 *	       (RFC 2409 6.2; pi by Machin's formula; the SHA-256 of its
 *	       128 big-endian bytes equals FACTS 5.2)
 *	xi   = pat(24, 0x11), xr = pat(24, 0x22) as big-endian integers,
 *	       pat(n, s)[i] = (s + 13 i) mod 256
 *	g^xi = pow(2, xi, p), g^xr = pow(2, xr, p), g^xy = pow(g^xr, xi, p)
 *	lead = pow(267, xi, p): 267 is the smallest y > 1 for which y^xi
 *	       mod p has a zero top byte (the secret starts 00 b6 df 29)
 *
 * Values of 128 bytes are compared through their SHA-256.
 */
#include <atf-c.h>
#include <string.h>

#include <openssl/evp.h>

#include "ike/dh.h"
#include "ike/modp.h"
#include "log.h"
#include "plugin.h"
#include "testutil.h"

#define LEN	128

static const char prime_sha256[] =
    "3f35a3f5f6c4376a744acad409bb22f8d897f949d2311d885adaa890981b67a0";
static const char xi_hex[] = "111e2b3845525f6c798693a0adbac7d4e1eefb0815222f3c";
static const char xr_hex[] = "222f3c495663707d8a97a4b1becbd8e5f2ff0c192633404d";
static const char gxi_sha256[] =
    "b7442801c39d1031c22a6e7d6e30333dbfce85729a265bc294af6790e60630d0";
static const char gxi_first16[] = "15e57f22af2cfb72d6aeed04c4df53e0";
static const char gxr_sha256[] =
    "551b6fae0a928beef22fff77d9977c2f0a4863c5baebd15a96f20f03d2cbe3c8";
static const char gxy_sha256[] =
    "2655bcb4b89ef078626fbe95740a3a4df0f82fe096678daeffd75d15c580e123";
static const char lead_sha256[] =
    "28ee68d37a533026428535ec946af296e804f3b1e3e9a9c09d855ab2e00f0bed";

static void
check_sha256(const char *what, const uint8_t *data, size_t len,
    const char *want)
{
	uint8_t md[32], w[32];
	unsigned int mdlen = 0;

	ATF_REQUIRE(EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL));
	ATF_REQUIRE_EQ(tu_hex_decode(want, w, sizeof(w)), 32);
	ATF_CHECK_MSG(mdlen == 32 && memcmp(md, w, 32) == 0,
	    "%s: SHA-256 differs", what);
}

static struct oakley_dh_key *
import(const char *privhex, uint8_t *pub)
{
	const struct oakley_dh_group *g = dh_modp1024();
	uint8_t x[64];
	int n;

	ATF_REQUIRE((n = tu_hex_decode(privhex, x, sizeof(x))) > 0);
	return modp_key_import(g, x, (size_t)n, pub, LEN);
}

static void
prime(uint8_t *p)
{
	ATF_REQUIRE_EQ(modp_prime_bytes(dh_modp1024(), p, LEN), 0);
}

ATF_TC_WITHOUT_HEAD(descriptor);
ATF_TC_BODY(descriptor, tc)
{
	const struct oakley_dh_group *g = dh_modp1024();
	uint8_t p[LEN], want[16];

	ATF_CHECK_EQ(g->group, 2);
	ATF_CHECK_STREQ(g->name, "modp1024");
	ATF_CHECK_EQ(g->bits, 1024);
	ATF_CHECK_EQ(g->public_len, LEN);
	prime(p);
	check_sha256("prime", p, LEN, prime_sha256);
	ATF_REQUIRE_EQ(tu_hex_decode("FFFFFFFFFFFFFFFFC90FDAA22168C234", want,
	    16), 16);
	ATF_CHECK(memcmp(p, want, 16) == 0);
	ATF_REQUIRE_EQ(tu_hex_decode("49286651ECE65381FFFFFFFFFFFFFFFF", want,
	    16), 16);
	ATF_CHECK(memcmp(p + LEN - 16, want, 16) == 0);
}

/* Two random keys agree on a 128-byte secret. */
ATF_TC_WITHOUT_HEAD(keygen_derive);
ATF_TC_BODY(keygen_derive, tc)
{
	const struct oakley_dh_group *g = dh_modp1024();
	struct oakley_dh_key *a, *b;
	uint8_t pa[LEN], pb[LEN], sa[LEN], sb[LEN];

	ATF_REQUIRE((a = dh_keygen(g, pa, sizeof(pa))) != NULL);
	ATF_REQUIRE((b = dh_keygen(g, pb, sizeof(pb))) != NULL);
	ATF_CHECK(memcmp(pa, pb, LEN) != 0);
	ATF_CHECK_EQ(dh_check_peer(g, pa, LEN), 0);
	ATF_CHECK_EQ(dh_check_peer(g, pb, LEN), 0);
	ATF_REQUIRE_EQ(dh_derive(g, a, pb, LEN, sa, LEN), 0);
	ATF_REQUIRE_EQ(dh_derive(g, b, pa, LEN, sb, LEN), 0);
	ATF_CHECK(memcmp(sa, sb, LEN) == 0);
	/* The same key derives again (a key is not used up). */
	memset(sb, 0, sizeof(sb));
	ATF_REQUIRE_EQ(dh_derive(g, a, pb, LEN, sb, LEN), 0);
	ATF_CHECK(memcmp(sa, sb, LEN) == 0);
	/* Wrong buffer lengths. */
	ATF_CHECK_EQ(dh_derive(g, a, pb, LEN, sb, LEN - 1), -1);
	ATF_CHECK(dh_keygen(g, pb, LEN - 1) == NULL);
	ATF_CHECK(dh_keygen(g, pb, LEN + 1) == NULL);
	dh_key_free(g, a);
	dh_key_free(g, b);
	dh_key_free(g, NULL);
}

/* Fixed private keys: public values and g^xy against Python. */
ATF_TC_WITHOUT_HEAD(known_answer);
ATF_TC_BODY(known_answer, tc)
{
	const struct oakley_dh_group *g = dh_modp1024();
	struct oakley_dh_key *ki, *kr;
	uint8_t gxi[LEN], gxr[LEN], s1[LEN], s2[LEN], first[16];

	ATF_REQUIRE((ki = import(xi_hex, gxi)) != NULL);
	ATF_REQUIRE((kr = import(xr_hex, gxr)) != NULL);
	ATF_REQUIRE_EQ(tu_hex_decode(gxi_first16, first, 16), 16);
	ATF_CHECK(memcmp(gxi, first, 16) == 0);
	check_sha256("g^xi", gxi, LEN, gxi_sha256);
	check_sha256("g^xr", gxr, LEN, gxr_sha256);
	ATF_REQUIRE_EQ(dh_derive(g, ki, gxr, LEN, s1, LEN), 0);
	ATF_REQUIRE_EQ(dh_derive(g, kr, gxi, LEN, s2, LEN), 0);
	check_sha256("g^xy (i)", s1, LEN, gxy_sha256);
	check_sha256("g^xy (r)", s2, LEN, gxy_sha256);
	dh_key_free(g, ki);
	dh_key_free(g, kr);
}

/* A secret below 2^1016 keeps its leading zero byte (dh_pad). */
ATF_TC_WITHOUT_HEAD(secret_padding);
ATF_TC_BODY(secret_padding, tc)
{
	const struct oakley_dh_group *g = dh_modp1024();
	struct oakley_dh_key *k;
	uint8_t pub[LEN], peer[LEN], s[LEN], want[4];

	ATF_REQUIRE((k = import(xi_hex, pub)) != NULL);
	memset(peer, 0, sizeof(peer));
	peer[LEN - 2] = 0x01;		/* 267 = 0x010b */
	peer[LEN - 1] = 0x0b;
	memset(s, 0xaa, sizeof(s));
	ATF_REQUIRE_EQ(dh_derive(g, k, peer, LEN, s, LEN), 0);
	ATF_REQUIRE_EQ(tu_hex_decode("00b6df29", want, 4), 4);
	ATF_CHECK(memcmp(s, want, 4) == 0);
	check_sha256("padded secret", s, LEN, lead_sha256);

	/* Peer 2 = g: the secret is our own public value. */
	peer[LEN - 2] = 0;
	peer[LEN - 1] = 2;
	ATF_REQUIRE_EQ(dh_derive(g, k, peer, LEN, s, LEN), 0);
	ATF_CHECK(memcmp(s, pub, LEN) == 0);
	dh_key_free(g, k);
}

/* 1 < y < p - 1 and exactly 128 bytes, else refused. */
ATF_TC_WITHOUT_HEAD(check_peer);
ATF_TC_BODY(check_peer, tc)
{
	const struct oakley_dh_group *g = dh_modp1024();
	struct oakley_dh_key *k;
	uint8_t p[LEN], y[LEN + 1], pub[LEN], s[LEN], zero[LEN];

	prime(p);
	ATF_REQUIRE((k = dh_keygen(g, pub, LEN)) != NULL);
	memset(zero, 0, sizeof(zero));

	memset(y, 0, sizeof(y));				/* 0 */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), -1);
	y[LEN - 1] = 1;						/* 1 */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), -1);
	ATF_CHECK_EQ(g->check_peer(g, y, LEN), -1);
	memset(s, 0x55, sizeof(s));
	ATF_CHECK_EQ(dh_derive(g, k, y, LEN, s, LEN), -1);
	ATF_CHECK(memcmp(s, zero, LEN) == 0);		/* wiped */
	ATF_CHECK_EQ(g->derive(g, k, y, LEN, s, LEN), -1);
	y[LEN - 1] = 2;						/* 2 */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), 0);

	memcpy(y, p, LEN);					/* p */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), -1);
	y[LEN - 1] -= 1;					/* p - 1 */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), -1);
	ATF_CHECK_EQ(g->check_peer(g, y, LEN), -1);
	ATF_CHECK_EQ(dh_derive(g, k, y, LEN, s, LEN), -1);
	y[LEN - 1] -= 1;					/* p - 2 */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), 0);
	memset(y, 0xff, sizeof(y));				/* > p */
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN), -1);

	/* Wrong lengths, even with a valid value inside. */
	ATF_CHECK_EQ(dh_check_peer(g, pub, LEN - 1), -1);
	ATF_CHECK_EQ(g->check_peer(g, pub, LEN - 1), -1);
	memset(y, 0, sizeof(y));
	memcpy(y + 1, pub, LEN);
	ATF_CHECK_EQ(dh_check_peer(g, y, LEN + 1), -1);
	ATF_CHECK_EQ(dh_check_peer(g, pub, 0), -1);
	ATF_CHECK_EQ(dh_check_peer(g, NULL, LEN), -1);
	ATF_CHECK_EQ(dh_derive(g, k, y, LEN + 1, s, LEN), -1);
	dh_key_free(g, k);
}

/* The registry: group 2 once registered, nothing else without plugins. */
static const struct oakley_engine no_engine;

ATF_TC_WITHOUT_HEAD(registry);
ATF_TC_BODY(registry, tc)
{
	log_init("t_dh", true, LOG_LEVEL_WARN);
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	ATF_CHECK(dh_group(2) == NULL);
	ATF_REQUIRE_EQ(dh_register_builtin(), 0);
	ATF_CHECK(dh_group(2) == dh_modp1024());
	ATF_CHECK(plugin_dh_lookup(2) == dh_modp1024());
	ATF_CHECK_EQ(dh_register_builtin(), -1);	/* already there */
	ATF_CHECK(dh_group(1) == NULL);
	ATF_CHECK(dh_group(14) == NULL);
	ATF_CHECK(dh_group(0) == NULL);
	plugin_host_fini();
	ATF_CHECK(dh_group(2) == NULL);
	/* And again after a restart of the host (reload). */
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	ATF_REQUIRE_EQ(dh_register_builtin(), 0);
	ATF_CHECK(dh_group(2) == dh_modp1024());
	plugin_host_fini();
	/* The wrappers refuse a missing group. */
	ATF_CHECK(dh_keygen(NULL, NULL, 0) == NULL);
	ATF_CHECK_EQ(dh_check_peer(NULL, NULL, 0), -1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, descriptor);
	ATF_TP_ADD_TC(tp, keygen_derive);
	ATF_TP_ADD_TC(tp, known_answer);
	ATF_TP_ADD_TC(tp, secret_padding);
	ATF_TP_ADD_TC(tp, check_peer);
	ATF_TP_ADD_TC(tp, registry);
	return atf_no_error();
}
