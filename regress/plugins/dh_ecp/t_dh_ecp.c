/*
 * The dh_ecp plugin (plugins/dh_ecp): groups 19 and 20 of RFC 5903.
 *
 * The plugin is loaded through the real plugin host from
 * plugins/dh_ecp/dh_ecp.so, found from atf's "srcdir" (this program's
 * directory), and used only through the descriptors the registry
 * returns.  The known-answer tests need a key with a given private
 * value, which the plugin ABI has no call for: this program compiles
 * plugins/dh_ecp/ecp.c in (ecp_key_import) and checks the plugin
 * against that copy as well.
 *
 * The vectors are those of RFC 5903 section 8 (8.1: 256-bit group,
 * 8.2: 384-bit group): the initiator's i and g^i, the responder's r and
 * g^r, and g^ir, each point as x then y.  They were checked here with
 * affine point arithmetic in Python, independent of OpenSSL: i G, r G
 * and i (r G) = r (i G) give exactly these coordinates.
 */
#include <atf-c.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>

#include "conf.h"
#include "dh_ecp/ecp.h"
#include "ike/dh.h"
#include "log.h"
#include "plugin.h"
#include "testutil.h"

static const struct oakley_engine no_engine;	/* the plugin calls none */
static char plugin_dir[PATH_MAX];
static char err[1024];

struct vector {
	uint16_t	 group;
	const char	*name;
	unsigned	 bits;
	const char	*curve;		/* OpenSSL's name */
	const char	*gx, *gy;	/* the base point (RFC 5903 3) */
	const char	*i, *gix, *giy;
	const char	*r, *grx, *gry;
	const char	*girx, *giry;
};

static const struct vector vectors[] = {
	{ 19, "ecp256", 256, "P-256",
	  "6B17D1F2 E12C4247 F8BCE6E5 63A440F2 77037D81 2DEB33A0 F4A13945"
	  "D898C296",
	  "4FE342E2 FE1A7F9B 8EE7EB4A 7C0F9E16 2BCE3357 6B315ECE CBB64068"
	  "37BF51F5",
	  "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57"
	  "862D1433",
	  "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37"
	  "72581180",
	  "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577"
	  "B8990BB3",
	  "C6EF9C5D 78AE012A 011164AC B397CE20 88685D8F 06BF9BE0 B283AB46"
	  "476BEE53",
	  "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755"
	  "4494BF63",
	  "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33"
	  "039872AB",
	  "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0"
	  "4B9442DE",
	  "522BDE0A F0D8585B 8DEF9C18 3B5AE38F 50235206 A8674ECB 5D98EDB2"
	  "0EB153A2" },
	{ 20, "ecp384", 384, "P-384",
	  "AA87CA22 BE8B0537 8EB1C71E F320AD74 6E1D3B62 8BA79B98 59F741E0"
	  "82542A38 5502F25D BF55296C 3A545E38 72760AB7",
	  "3617DE4A 96262C6F 5D9E98BF 9292DC29 F8F41DBD 289A147C E9DA3113"
	  "B5F0B8C0 0A60B1CE 1D7E819D 7A431D7C 90EA0E5F",
	  "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674"
	  "14DCE655 E35B5380 41E649EE 3FAEF896 783AB194",
	  "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72"
	  "B4C55EE6 DE3AC808 ACB4BDB4 C88732AE E95F41AA",
	  "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815"
	  "35A0F38E EB9FCFF3 C2C947DA E69B4C63 4573A81C",
	  "41CB0779 B4BDB85D 47846725 FBEC3C94 30FAB46C C8DC5060 855CC9BD"
	  "A0AA2942 E0308312 916B8ED2 960E4BD5 5A7448FC",
	  "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417"
	  "32BC509D 0D1AC43A 0336DEF9 6FDA41D0 774A3571",
	  "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68"
	  "759DD1FF F83FA401 42209DFF 5EAAD96D B9E6386C",
	  "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E"
	  "7156C5C4 D6031355 69B9E9D0 9CF5D4A2 70F59746",
	  "A2A9F38E F5CAFBE2 347CF7EC 24BDD5E6 24BC93BF A82771F4 0D1B65D0"
	  "6256A852 C983135D 4669F879 2F2C1D55 718AFBB4" }
};

/* The host with group 2 built in; plugin_dir: plugins/dh_ecp. */
static void
setup(const atf_tc_t *tc)
{
	tu_srcdir_path(atf_tc_get_config_var(tc, "srcdir"),
	    "../../../plugins/dh_ecp", plugin_dir, sizeof(plugin_dir));
	log_init("oakleyd", true, LOG_LEVEL_WARN);
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	ATF_REQUIRE_EQ(dh_register_builtin(), 0);
	err[0] = '\0';
}

static void
load(void)
{
	ATF_REQUIRE_MSG(tu_plugin_load(plugin_dir, "dh_ecp", err,
	    sizeof(err)) == 0, "%s", err);
}

/* Load "plugin dh_ecp { ... }" as written in text; 0 or -1 (err). */
static int
load_conf(const char *text)
{
	return tu_plugin_load_conf(plugin_dir, text, err, sizeof(err));
}

/* x || y of a vector's point into buf (2 * clen bytes). */
static void
point(const char *x, const char *y, uint8_t *buf, size_t clen)
{
	ATF_REQUIRE_EQ(tu_hex_decode(x, buf, clen), (int)clen);
	ATF_REQUIRE_EQ(tu_hex_decode(y, buf + clen, clen), (int)clen);
}

/* The registered descriptor of v's group, checked against v. */
static const struct oakley_dh_group *
registered(const struct vector *v)
{
	const struct oakley_dh_group *g = plugin_dh_lookup(v->group);

	ATF_REQUIRE_MSG(g != NULL, "group %u not registered",
	    (unsigned)v->group);
	ATF_CHECK_STREQ(g->name, v->name);
	ATF_CHECK_EQ(g->bits, v->bits);
	ATF_REQUIRE_EQ(g->public_len, 2 * (v->bits / 8));
	ATF_REQUIRE_EQ(dh_secret_len(g), v->bits / 8);
	return g;
}

/* The test's own copy of v's group (ecp.c compiled in). */
static const struct oakley_dh_group *
local(const struct vector *v)
{
	size_t k;

	for (k = 0; k < ECP_NGROUPS; k++)
		if (ecp_groups[k].dh.group == v->group)
			return &ecp_groups[k].dh;
	atf_tc_fail("group %u not in ecp_groups", (unsigned)v->group);
	return NULL;
}

/* A key with v's private value i (initiator) or r. */
static struct oakley_dh_key *
import(const struct vector *v, const char *priv, uint8_t *pub)
{
	const struct oakley_dh_group *g = local(v);
	uint8_t d[ECP_COORD_MAX];
	int n;

	ATF_REQUIRE((n = tu_hex_decode(priv, d, sizeof(d))) > 0);
	return ecp_key_import(g, d, (size_t)n, pub, g->public_len);
}

/* RFC 5903 8: g^i, g^r and the x coordinate of g^ir, both ways. */
static void
known_answer(const struct vector *v)
{
	const struct oakley_dh_group *g = local(v), *so;
	struct oakley_dh_key *ki, *kr, *a;
	size_t clen = v->bits / 8, plen = 2 * clen;
	uint8_t gi[ECP_PUBLIC_MAX], gr[ECP_PUBLIC_MAX], want[ECP_PUBLIC_MAX];
	uint8_t s[ECP_COORD_MAX], s2[ECP_COORD_MAX], pa[ECP_PUBLIC_MAX];

	ATF_REQUIRE_EQ(g->public_len, plen);
	ATF_REQUIRE((ki = import(v, v->i, gi)) != NULL);
	ATF_REQUIRE((kr = import(v, v->r, gr)) != NULL);
	point(v->gix, v->giy, want, clen);
	ATF_CHECK_MSG(memcmp(gi, want, plen) == 0, "group %u: g^i",
	    (unsigned)v->group);
	point(v->grx, v->gry, want, clen);
	ATF_CHECK_MSG(memcmp(gr, want, plen) == 0, "group %u: g^r",
	    (unsigned)v->group);

	/* The secret is the x coordinate of g^ir alone. */
	point(v->girx, v->giry, want, clen);
	memset(s, 0xaa, sizeof(s));
	ATF_REQUIRE_EQ(dh_derive(g, ki, gr, plen, s, clen), 0);
	ATF_CHECK_MSG(memcmp(s, want, clen) == 0, "group %u: g^ir (i)",
	    (unsigned)v->group);
	ATF_CHECK_EQ(s[clen], 0xaa);		/* nothing past x */
	ATF_REQUIRE_EQ(dh_derive(g, kr, gi, plen, s, clen), 0);
	ATF_CHECK_MSG(memcmp(s, want, clen) == 0, "group %u: g^ir (r)",
	    (unsigned)v->group);

	/*
	 * The loaded plugin: it takes the vectors' points, and a key of its
	 * own agrees with the imported one.
	 */
	so = registered(v);
	ATF_CHECK_EQ(so->check_peer(so, gi, plen), 0);
	ATF_CHECK_EQ(so->check_peer(so, gr, plen), 0);
	ATF_REQUIRE((a = so->keygen(so, pa, plen)) != NULL);
	ATF_REQUIRE_EQ(so->derive(so, a, gi, plen, s, clen), 0);
	ATF_REQUIRE_EQ(g->derive(g, ki, pa, plen, s2, clen), 0);
	ATF_CHECK_MSG(memcmp(s, s2, clen) == 0, "group %u: plugin and "
	    "imported key disagree", (unsigned)v->group);
	so->key_free(so, a);
	dh_key_free(g, ki);
	dh_key_free(g, kr);
}

/* (i r mod n) G is g^ir, y included. */
static void
shared_point(const struct vector *v)
{
	const struct oakley_dh_group *g = local(v);
	struct oakley_dh_key *k;
	size_t clen = v->bits / 8, plen = 2 * clen;
	uint8_t bi[ECP_COORD_MAX], br[ECP_COORD_MAX], ir[ECP_COORD_MAX];
	uint8_t pub[ECP_PUBLIC_MAX], want[ECP_PUBLIC_MAX];
	EC_GROUP *grp;
	BIGNUM *i, *r, *p;
	BN_CTX *bnctx;

	ATF_REQUIRE_EQ(tu_hex_decode(v->i, bi, clen), (int)clen);
	ATF_REQUIRE_EQ(tu_hex_decode(v->r, br, clen), (int)clen);
	ATF_REQUIRE((grp = EC_GROUP_new_by_curve_name(
	    EC_curve_nist2nid(v->curve))) != NULL);
	ATF_REQUIRE((bnctx = BN_CTX_new()) != NULL);
	ATF_REQUIRE((i = BN_bin2bn(bi, (int)clen, NULL)) != NULL);
	ATF_REQUIRE((r = BN_bin2bn(br, (int)clen, NULL)) != NULL);
	ATF_REQUIRE((p = BN_new()) != NULL);
	ATF_REQUIRE(BN_mod_mul(p, i, r, EC_GROUP_get0_order(grp), bnctx));
	ATF_REQUIRE_EQ(BN_bn2binpad(p, ir, (int)clen), (int)clen);
	ATF_REQUIRE((k = ecp_key_import(g, ir, clen, pub, plen)) != NULL);
	point(v->girx, v->giry, want, clen);
	ATF_CHECK_MSG(memcmp(pub, want, plen) == 0, "group %u: g^ir",
	    (unsigned)v->group);
	dh_key_free(g, k);
	BN_free(i);
	BN_free(r);
	BN_free(p);
	BN_CTX_free(bnctx);
	EC_GROUP_free(grp);
}

/* (x, p - y) of the point x || y, p the field's prime. */
static void
negate(const struct vector *v, const uint8_t *pt, uint8_t *out)
{
	size_t clen = v->bits / 8;
	EC_GROUP *grp;
	BIGNUM *p, *y;
	BN_CTX *bnctx;

	ATF_REQUIRE((grp = EC_GROUP_new_by_curve_name(
	    EC_curve_nist2nid(v->curve))) != NULL);
	ATF_REQUIRE((bnctx = BN_CTX_new()) != NULL);
	ATF_REQUIRE((p = BN_new()) != NULL);
	ATF_REQUIRE(EC_GROUP_get_curve(grp, p, NULL, NULL, bnctx));
	ATF_REQUIRE((y = BN_bin2bn(pt + clen, (int)clen, NULL)) != NULL);
	ATF_REQUIRE(BN_sub(y, p, y));
	memcpy(out, pt, clen);
	ATF_REQUIRE_EQ(BN_bn2binpad(y, out + clen, (int)clen), (int)clen);
	BN_free(p);
	BN_free(y);
	BN_CTX_free(bnctx);
	EC_GROUP_free(grp);
}

/*
 * Keys agree, the base point is G, and check_peer takes points of the
 * curve only, through the registered descriptor.
 */
static void
exercise(const struct vector *v)
{
	const struct oakley_dh_group *g = registered(v);
	struct oakley_dh_key *a, *b;
	size_t clen = v->bits / 8, plen = 2 * clen;
	uint8_t pa[ECP_PUBLIC_MAX], pb[ECP_PUBLIC_MAX], y[ECP_PUBLIC_MAX + 1];
	/* sb as long as a public value: a refused derive clears it all. */
	uint8_t sa[ECP_COORD_MAX], sb[ECP_PUBLIC_MAX], zero[ECP_PUBLIC_MAX];

	ATF_REQUIRE((a = g->keygen(g, pa, plen)) != NULL);
	ATF_REQUIRE((b = g->keygen(g, pb, plen)) != NULL);
	ATF_CHECK(memcmp(pa, pb, plen) != 0);
	ATF_CHECK_EQ(g->check_peer(g, pa, plen), 0);
	ATF_REQUIRE_EQ(g->derive(g, a, pb, plen, sa, clen), 0);
	ATF_REQUIRE_EQ(g->derive(g, b, pa, plen, sb, clen), 0);
	ATF_CHECK_MSG(memcmp(sa, sb, clen) == 0, "group %u: secrets differ",
	    (unsigned)v->group);
	/* Through the core's wrappers too. */
	ATF_REQUIRE_EQ(dh_derive(g, a, pb, plen, sb, clen), 0);
	ATF_CHECK(memcmp(sa, sb, clen) == 0);
	/* Lengths: the public value's, the secret's (x only). */
	ATF_CHECK(g->keygen(g, pb, plen - 1) == NULL);
	ATF_CHECK(g->keygen(g, pb, plen + 1) == NULL);
	ATF_CHECK_EQ(g->derive(g, a, pb, plen, sb, clen - 1), -1);
	ATF_CHECK_EQ(g->derive(g, a, pb, plen, sb, plen), -1);
	ATF_CHECK_EQ(dh_derive(g, a, pb, plen, sb, plen), -1);
	ATF_CHECK_EQ(g->check_peer(g, pb, plen - 1), -1);
	memset(y, 0, sizeof(y));
	memcpy(y + 1, pb, plen);
	ATF_CHECK_EQ(g->check_peer(g, y, plen + 1), -1);
	ATF_CHECK_EQ(g->derive(g, a, y, plen + 1, sb, clen), -1);
	ATF_CHECK_EQ(g->check_peer(g, NULL, plen), -1);

	/* Peer G: the secret is the x of the key's own public value. */
	point(v->gx, v->gy, y, clen);
	ATF_CHECK_EQ(g->check_peer(g, y, plen), 0);
	ATF_REQUIRE_EQ(g->derive(g, a, y, plen, sa, clen), 0);
	ATF_CHECK_MSG(memcmp(sa, pa, clen) == 0, "group %u: base point",
	    (unsigned)v->group);

	/* -A = (x, p - y) is a point of the curve too... */
	negate(v, pa, y);
	ATF_CHECK(memcmp(y, pa, plen) != 0);
	ATF_CHECK_EQ(g->check_peer(g, y, plen), 0);
	/* ...but (x, y + 1) or (x, y - 1) is not. */
	memcpy(y, pa, plen);
	y[plen - 1] ^= 0x01;
	ATF_CHECK_EQ(g->check_peer(g, y, plen), -1);
	memset(sa, 0x55, clen);
	ATF_CHECK_EQ(g->derive(g, a, y, plen, sa, clen), -1);
	memset(zero, 0, sizeof(zero));
	ATF_CHECK_MSG(memcmp(sa, zero, clen) == 0, "group %u: a refused "
	    "derive leaves its secret behind", (unsigned)v->group);
	ATF_CHECK_EQ(dh_derive(g, a, y, plen, sa, clen), -1);
	/* (0, 0), how x || y would spell the point at infinity. */
	ATF_CHECK_EQ(g->check_peer(g, zero, plen), -1);
	ATF_CHECK_EQ(g->derive(g, a, zero, plen, sa, clen), -1);
	/* Coordinates of all ones: beyond the field's prime. */
	memset(y, 0xff, plen);
	ATF_CHECK_EQ(g->check_peer(g, y, plen), -1);
	/* x of a point with a y that belongs to another x. */
	memcpy(y, pa, clen);
	memcpy(y + clen, pb + clen, clen);
	ATF_CHECK_EQ(g->check_peer(g, y, plen), -1);

	g->key_free(g, a);
	g->key_free(g, b);
	g->key_free(g, NULL);
}

ATF_TC_WITHOUT_HEAD(without_plugin);
ATF_TC_BODY(without_plugin, tc)
{
	setup(tc);
	ATF_CHECK(plugin_dh_lookup(19) == NULL);
	ATF_CHECK(plugin_dh_lookup(20) == NULL);
	ATF_CHECK(plugin_dh_lookup(2) != NULL);		/* built in */
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(load_and_unload);
ATF_TC_BODY(load_and_unload, tc)
{
	struct plugin_info info;

	setup(tc);
	load();
	ATF_CHECK(plugin_is_loaded("dh_ecp"));
	ATF_REQUIRE_EQ(plugin_info(0, &info), 0);
	ATF_CHECK_STREQ(info.name, "dh_ecp");
	ATF_CHECK_STREQ(info.description,
	    "ECP Diffie-Hellman groups 19 and 20 (RFC 5903)");
	ATF_CHECK(plugin_dh_lookup(19) != NULL);
	ATF_CHECK(plugin_dh_lookup(20) != NULL);
	ATF_CHECK(dh_group(19) == plugin_dh_lookup(19));
	ATF_CHECK(plugin_dh_lookup(21) == NULL);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	plugin_host_fini();
	ATF_CHECK(plugin_dh_lookup(19) == NULL);
}

ATF_TC_WITHOUT_HEAD(group19);
ATF_TC_BODY(group19, tc)
{
	setup(tc);
	load();
	exercise(&vectors[0]);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(group20);
ATF_TC_BODY(group20, tc)
{
	setup(tc);
	load();
	exercise(&vectors[1]);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(known_answer19);
ATF_TC_BODY(known_answer19, tc)
{
	setup(tc);
	load();
	known_answer(&vectors[0]);
	shared_point(&vectors[0]);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(known_answer20);
ATF_TC_BODY(known_answer20, tc)
{
	setup(tc);
	load();
	known_answer(&vectors[1]);
	shared_point(&vectors[1]);
	plugin_host_fini();
}

/* ecp_key_import takes 0 < d < n only. */
ATF_TC_WITHOUT_HEAD(import_range);
ATF_TC_BODY(import_range, tc)
{
	const struct oakley_dh_group *g = local(&vectors[0]);
	uint8_t d[ECP_COORD_MAX + 1], pub[ECP_PUBLIC_MAX], gen[64];
	struct oakley_dh_key *k;
	EC_GROUP *grp;

	(void)tc;
	memset(d, 0, sizeof(d));
	ATF_CHECK(ecp_key_import(g, d, 32, pub, 64) == NULL);	/* 0 */
	d[31] = 1;					/* 1: 1 G = G */
	ATF_REQUIRE((k = ecp_key_import(g, d, 32, pub, 64)) != NULL);
	point(vectors[0].gx, vectors[0].gy, gen, 32);
	ATF_CHECK(memcmp(pub, gen, 64) == 0);
	dh_key_free(g, k);
	ATF_REQUIRE((grp = EC_GROUP_new_by_curve_name(
	    EC_curve_nist2nid("P-256"))) != NULL);
	ATF_REQUIRE_EQ(BN_bn2binpad(EC_GROUP_get0_order(grp), d, 32), 32);
	EC_GROUP_free(grp);
	ATF_CHECK(ecp_key_import(g, d, 32, pub, 64) == NULL);	/* n */
	d[31] -= 1;
	ATF_REQUIRE((k = ecp_key_import(g, d, 32, pub, 64)) != NULL);
	dh_key_free(g, k);					/* n - 1 */
	ATF_CHECK(ecp_key_import(g, d, 33, pub, 64) == NULL);
	ATF_CHECK(ecp_key_import(g, d, 32, pub, 63) == NULL);
	ATF_CHECK(ecp_key_import(g, d, 0, pub, 64) == NULL);
}

/* "groups" picks what is registered. */
ATF_TC_WITHOUT_HEAD(config_groups);
ATF_TC_BODY(config_groups, tc)
{
	setup(tc);
	ATF_REQUIRE_MSG(load_conf("plugin dh_ecp { groups ecp256; }\n") == 0,
	    "%s", err);
	ATF_CHECK(plugin_dh_lookup(19) != NULL);
	ATF_CHECK(plugin_dh_lookup(20) == NULL);
	plugin_host_fini();

	setup(tc);
	ATF_REQUIRE_MSG(load_conf("plugin dh_ecp { groups 20; }\n") == 0,
	    "%s", err);
	ATF_CHECK(plugin_dh_lookup(19) == NULL);
	ATF_CHECK(plugin_dh_lookup(20) != NULL);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(config_errors);
ATF_TC_BODY(config_errors, tc)
{
	char want[PATH_MAX + 256];

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh_ecp {\n\tgroups ecp521;\n}\n"), -1);
	snprintf(want, sizeof(want), "plugin 'dh_ecp': %s/dh_ecp.so: bad "
	    "configuration: test.conf:2:9: unknown group 'ecp521' (expected "
	    "ecp256, ecp384, 19 or 20)", plugin_dir);
	ATF_CHECK_STREQ(err, want);
	ATF_CHECK(plugin_dh_lookup(19) == NULL);
	plugin_host_fini();

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh_ecp { curve P-256; }\n"), -1);
	ATF_CHECK_MSG(strstr(err, "unknown option 'curve' (expected groups)")
	    != NULL, "%s", err);
	plugin_host_fini();
}

/* dh2048 and dh_ecp side by side: five groups, no clash. */
ATF_TC_WITHOUT_HEAD(with_dh2048);
ATF_TC_BODY(with_dh2048, tc)
{
	char dir[PATH_MAX + 16];
	uint16_t n[] = { 2, 14, 15, 16, 19, 20 };
	size_t i;

	setup(tc);
	snprintf(dir, sizeof(dir), "%s/../dh2048", plugin_dir);
	ATF_REQUIRE_MSG(tu_plugin_load(dir, "dh2048", err, sizeof(err)) == 0,
	    "%s", err);
	load();
	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		ATF_CHECK_MSG(plugin_dh_lookup(n[i]) != NULL, "group %u",
		    (unsigned)n[i]);
	plugin_host_fini();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, without_plugin);
	ATF_TP_ADD_TC(tp, load_and_unload);
	ATF_TP_ADD_TC(tp, group19);
	ATF_TP_ADD_TC(tp, group20);
	ATF_TP_ADD_TC(tp, known_answer19);
	ATF_TP_ADD_TC(tp, known_answer20);
	ATF_TP_ADD_TC(tp, import_range);
	ATF_TP_ADD_TC(tp, config_groups);
	ATF_TP_ADD_TC(tp, config_errors);
	ATF_TP_ADD_TC(tp, with_dh2048);
	return atf_no_error();
}
