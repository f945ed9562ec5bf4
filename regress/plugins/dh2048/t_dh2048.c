/*
 * The dh2048 plugin (plugins/dh2048), loaded through the real plugin host
 * from plugins/dh2048/dh2048.so, found from atf's "srcdir" (this
 * program's directory, regress/plugins/dh2048).
 *
 * The plugin's groups are used only through the descriptors the registry
 * returns.  Their primes are pinned without reading them: check_peer
 * accepts p - 2 and refuses p - 1 and p, where p is OpenSSL's
 * BN_get_rfc3526_prime_*() whose SHA-256 is checked against values
 * computed independently (Python, RFC 3526 formula 2^n - 2^(n-64) - 1 +
 * 2^64 (floor(2^k pi) + c), pi by Machin's formula; group 14's value is
 * also FACTS 5.2).  The generator is pinned by deriving with the peer
 * value 2, which must give the key's own public value g^x.
 */
#include <atf-c.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/evp.h>

#include "conf.h"
#include "ike/dh.h"
#include "log.h"
#include "plugin.h"
#include "testutil.h"

#define MAXLEN	512

static const struct oakley_engine no_engine;	/* the plugin calls none */
static char plugin_dir[PATH_MAX];
static char err[1024];

struct expect {
	uint16_t	 group;
	const char	*name;
	unsigned	 bits;
	BIGNUM		*(*prime)(BIGNUM *);
	const char	*prime_sha256;
};

static const struct expect groups[] = {
	{ 14, "modp2048", 2048, BN_get_rfc3526_prime_2048,
	  "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e" },
	{ 15, "modp3072", 3072, BN_get_rfc3526_prime_3072,
	  "48cf8b092fbce4359d9871abf74f98e25b6163379eaa15cd9087e800c6d1c55c" },
	{ 16, "modp4096", 4096, BN_get_rfc3526_prime_4096,
	  "4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33" }
};

static void
setup(const atf_tc_t *tc)
{
	tu_srcdir_path(atf_tc_get_config_var(tc, "srcdir"),
	    "../../../plugins/dh2048", plugin_dir, sizeof(plugin_dir));
	log_init("oakleyd", true, LOG_LEVEL_WARN);
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	ATF_REQUIRE_EQ(dh_register_builtin(), 0);
	err[0] = '\0';
}

static void
load(void)
{
	ATF_REQUIRE_MSG(tu_plugin_load(plugin_dir, "dh2048", err,
	    sizeof(err)) == 0, "%s", err);
}

/* Load "plugin dh2048 { ... }" as written in text; 0 or -1 (err). */
static int
load_conf(const char *text)
{
	return tu_plugin_load_conf(plugin_dir, text, err, sizeof(err));
}

static void
prime_bytes(const struct expect *e, uint8_t *p, size_t len)
{
	uint8_t md[32], want[32];
	unsigned int mdlen = 0;
	BIGNUM *bn;

	ATF_REQUIRE((bn = e->prime(NULL)) != NULL);
	ATF_REQUIRE_EQ(BN_bn2binpad(bn, p, (int)len), (int)len);
	BN_free(bn);
	ATF_REQUIRE(EVP_Digest(p, len, md, &mdlen, EVP_sha256(), NULL));
	ATF_REQUIRE_EQ(tu_hex_decode(e->prime_sha256, want, 32), 32);
	ATF_CHECK_MSG(memcmp(md, want, 32) == 0, "group %u: prime checksum",
	    (unsigned)e->group);
}

/* Keys agree, the generator is 2, and the range check is exact. */
static void
exercise(const struct expect *e)
{
	const struct oakley_dh_group *g = plugin_dh_lookup(e->group);
	struct oakley_dh_key *a, *b;
	uint8_t pa[MAXLEN], pb[MAXLEN], sa[MAXLEN], sb[MAXLEN];
	uint8_t p[MAXLEN], y[MAXLEN + 1], zero[MAXLEN];
	size_t len = e->bits / 8;

	ATF_REQUIRE_MSG(g != NULL, "group %u not registered",
	    (unsigned)e->group);
	ATF_CHECK_STREQ(g->name, e->name);
	ATF_CHECK_EQ(g->bits, e->bits);
	ATF_REQUIRE_EQ(g->public_len, len);

	ATF_REQUIRE((a = g->keygen(g, pa, len)) != NULL);
	ATF_REQUIRE((b = g->keygen(g, pb, len)) != NULL);
	ATF_CHECK(memcmp(pa, pb, len) != 0);
	ATF_REQUIRE_EQ(g->derive(g, a, pb, len, sa, len), 0);
	ATF_REQUIRE_EQ(g->derive(g, b, pa, len, sb, len), 0);
	ATF_CHECK_MSG(memcmp(sa, sb, len) == 0, "group %u: secrets differ",
	    (unsigned)e->group);
	/* Through the core's wrappers too. */
	ATF_REQUIRE_EQ(dh_derive(g, a, pb, len, sb, len), 0);
	ATF_CHECK(memcmp(sa, sb, len) == 0);
	ATF_CHECK(g->keygen(g, pb, len - 1) == NULL);
	ATF_CHECK_EQ(g->derive(g, a, pb, len, sb, len - 1), -1);

	/* y = 2 = g: the secret is the key's own public value. */
	memset(y, 0, sizeof(y));
	y[len - 1] = 2;
	ATF_REQUIRE_EQ(g->derive(g, a, y, len, sa, len), 0);
	ATF_CHECK_MSG(memcmp(sa, pa, len) == 0, "group %u: generator",
	    (unsigned)e->group);

	/* Range: 0, 1 refused; 2, p - 2 accepted; p - 1, p refused. */
	prime_bytes(e, p, len);
	memset(zero, 0, sizeof(zero));
	ATF_CHECK_EQ(g->check_peer(g, zero, len), -1);
	y[len - 1] = 1;
	ATF_CHECK_EQ(g->check_peer(g, y, len), -1);
	memset(sa, 0x55, len);
	ATF_CHECK_EQ(g->derive(g, a, y, len, sa, len), -1);
	ATF_CHECK(memcmp(sa, zero, len) == 0);
	y[len - 1] = 2;
	ATF_CHECK_EQ(g->check_peer(g, y, len), 0);
	memcpy(y, p, len);
	ATF_CHECK_EQ(g->check_peer(g, y, len), -1);		/* p */
	y[len - 1] -= 1;
	ATF_CHECK_EQ(g->check_peer(g, y, len), -1);		/* p - 1 */
	ATF_CHECK_EQ(g->derive(g, a, y, len, sa, len), -1);
	y[len - 1] -= 1;
	ATF_CHECK_EQ(g->check_peer(g, y, len), 0);		/* p - 2 */
	memset(y, 0xff, len);
	ATF_CHECK_EQ(g->check_peer(g, y, len), -1);
	/* Lengths. */
	ATF_CHECK_EQ(g->check_peer(g, pa, len - 1), -1);
	memset(y, 0, sizeof(y));
	memcpy(y + 1, pa, len);
	ATF_CHECK_EQ(g->check_peer(g, y, len + 1), -1);
	ATF_CHECK_EQ(g->derive(g, a, y, len + 1, sa, len), -1);

	g->key_free(g, a);
	g->key_free(g, b);
}

ATF_TC_WITHOUT_HEAD(without_plugin);
ATF_TC_BODY(without_plugin, tc)
{
	setup(tc);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	ATF_CHECK(plugin_dh_lookup(15) == NULL);
	ATF_CHECK(plugin_dh_lookup(16) == NULL);
	ATF_CHECK(plugin_dh_lookup(2) != NULL);		/* built in */
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(load_and_unload);
ATF_TC_BODY(load_and_unload, tc)
{
	struct plugin_info info;

	setup(tc);
	load();
	ATF_CHECK(plugin_is_loaded("dh2048"));
	ATF_REQUIRE_EQ(plugin_info(0, &info), 0);
	ATF_CHECK_STREQ(info.name, "dh2048");
	ATF_CHECK_STREQ(info.description,
	    "MODP Diffie-Hellman groups 14, 15 and 16 (RFC 3526)");
	ATF_CHECK(plugin_dh_lookup(14) != NULL);
	ATF_CHECK(plugin_dh_lookup(15) != NULL);
	ATF_CHECK(plugin_dh_lookup(16) != NULL);
	ATF_CHECK(dh_group(14) == plugin_dh_lookup(14));
	ATF_CHECK(plugin_dh_lookup(2) == dh_modp1024());
	ATF_CHECK(plugin_dh_lookup(17) == NULL);
	plugin_host_fini();
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
}

ATF_TC_WITHOUT_HEAD(group14);
ATF_TC_BODY(group14, tc)
{
	setup(tc);
	load();
	exercise(&groups[0]);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(group15);
ATF_TC_BODY(group15, tc)
{
	setup(tc);
	load();
	exercise(&groups[1]);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(group16);
ATF_TC_BODY(group16, tc)
{
	setup(tc);
	load();
	exercise(&groups[2]);
	plugin_host_fini();
}

/* "groups" picks what is registered. */
ATF_TC_WITHOUT_HEAD(config_groups);
ATF_TC_BODY(config_groups, tc)
{
	setup(tc);
	ATF_REQUIRE_MSG(load_conf("plugin dh2048 { groups modp2048; }\n") ==
	    0, "%s", err);
	ATF_CHECK(plugin_dh_lookup(14) != NULL);
	ATF_CHECK(plugin_dh_lookup(15) == NULL);
	ATF_CHECK(plugin_dh_lookup(16) == NULL);
	plugin_host_fini();

	setup(tc);
	ATF_REQUIRE_MSG(load_conf("plugin dh2048 { groups 16 modp3072; }\n")
	    == 0, "%s", err);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	ATF_CHECK(plugin_dh_lookup(15) != NULL);
	ATF_CHECK(plugin_dh_lookup(16) != NULL);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(config_errors);
ATF_TC_BODY(config_errors, tc)
{
	char want[PATH_MAX + 256];

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh2048 {\n\tgroups modp1536;\n}\n"),
	    -1);
	snprintf(want, sizeof(want), "plugin 'dh2048': %s/dh2048.so: bad "
	    "configuration: test.conf:2:9: unknown group 'modp1536' (expected "
	    "modp2048, modp3072, modp4096, 14, 15 or 16)", plugin_dir);
	ATF_CHECK_STREQ(err, want);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	plugin_host_fini();

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh2048 { group 14; }\n"), -1);
	ATF_CHECK_MSG(strstr(err, "unknown option 'group' (expected groups)")
	    != NULL, "%s", err);
	plugin_host_fini();

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh2048 { groups; }\n"), -1);
	ATF_CHECK_MSG(strstr(err, "groups needs at least one group") != NULL,
	    "%s", err);
	plugin_host_fini();

	setup(tc);
	ATF_CHECK_EQ(load_conf("plugin dh2048 { groups 14; groups 15; }\n"),
	    -1);
	ATF_CHECK_MSG(strstr(err, "groups given twice") != NULL, "%s", err);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	plugin_host_fini();
}

/* A group number already taken makes the plugin fail to load. */
static struct oakley_dh_key *
fake_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t len)
{
	(void)g;
	(void)pub;
	(void)len;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(group_taken);
ATF_TC_BODY(group_taken, tc)
{
	struct oakley_dh_group taken = *dh_modp1024();
	struct conf_plugin_block pb = { .name = (char *)"dh2048" };

	setup(tc);
	taken.group = 15;
	taken.keygen = fake_keygen;
	ATF_REQUIRE_EQ(plugin_dh_register_builtin(&taken), 0);
	ATF_CHECK_EQ(plugin_load(plugin_dir, &pb, err, sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, "DH group 15 is already registered by "
	    "oakleyd") != NULL, "%s", err);
	/* The host undid the plugin's group 14. */
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	ATF_CHECK(plugin_dh_lookup(15) == &taken);
	plugin_host_fini();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, without_plugin);
	ATF_TP_ADD_TC(tp, load_and_unload);
	ATF_TP_ADD_TC(tp, group14);
	ATF_TP_ADD_TC(tp, group15);
	ATF_TP_ADD_TC(tp, group16);
	ATF_TP_ADD_TC(tp, config_groups);
	ATF_TP_ADD_TC(tp, config_errors);
	ATF_TP_ADD_TC(tp, group_taken);
	return atf_no_error();
}
