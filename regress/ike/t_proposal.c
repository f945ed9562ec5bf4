/*
 * Proposals (daemon/ike/proposal.c): the responder's choice among what
 * the peer offers (the first peer transform that matches one of ours),
 * what is never chosen (unknown attributes, missing DH groups, bundles,
 * the wrong mode), the check of the responder's answer, our offers as
 * SA payloads, lifetimes and RESPONDER-LIFETIME, and the message naming
 * the plugin of a missing group.  AES-GCM (RFC 4106): offered as
 * ESP_AES_GCM_16 with a Key Length and no Authentication Algorithm, chosen
 * only that way.  The profile as built for a phase 1 (MD5 only under a
 * profile that allows it) uses the world of ikeworld.h with test_plugin's
 * profile "test".
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "ike/dh.h"
#include "ike/ike.h"
#include "log.h"
#include "plugin.h"
#include "testutil.h"

#include "ikeworld.h"
#include "testutil.h"

static struct isakmp_msg msg;
static uint8_t wire[4096];
static size_t wire_len;
static const struct oakley_engine no_engine;

static void
host_up(void)
{
	log_init("t_proposal", true, LOG_LEVEL_ERR);
	ATF_REQUIRE_EQ(plugin_host_init(&no_engine, NULL), 0);
	ATF_REQUIRE_EQ(dh_register_builtin(), 0);
}

/* Build an SA payload from spec and decode it: the SA view. */
static const struct isakmp_sa *
decode_sa(const struct isakmp_sa_spec *spec)
{
	struct isakmp_builder b;
	struct isakmp_hdr h;
	struct isakmp_error err;
	const uint8_t *out;
	size_t len;

	memset(&h, 0, sizeof(h));
	h.exchange = ISAKMP_EXCH_IDPROT;
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, spec), 0);
	ATF_REQUIRE((out = isakmp_builder_finish(&b, &len)) != NULL);
	ATF_REQUIRE(len <= sizeof(wire));
	memcpy(wire, out, len);
	wire_len = len;
	isakmp_builder_free(&b);
	ATF_REQUIRE_MSG(isakmp_decode(wire, len, 0, &msg, &err) == 0, "%s",
	    err.reason);
	return &msg.payloads[0].u.sa;
}

#define A(t, v)	{ (t), ISAKMP_ATTR_INT, (v), NULL, 0 }
#define NA(a)	(sizeof(a) / sizeof((a)[0]))

/* Phase-1 transforms as a peer might send them. */
static const struct isakmp_attr_spec p1_aes256_sha1[] = {
	A(ISAKMP_ATTR_ENC, 7), A(ISAKMP_ATTR_KEY_LENGTH, 256),
	A(ISAKMP_ATTR_HASH, 2), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 2),
};
static const struct isakmp_attr_spec p1_aes128_sha256_long[] = {
	A(ISAKMP_ATTR_ENC, 7), A(ISAKMP_ATTR_KEY_LENGTH, 128),
	A(ISAKMP_ATTR_HASH, 4), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 2), A(ISAKMP_ATTR_LIFE_TYPE, 1),
	A(ISAKMP_ATTR_LIFE_DURATION, 86400),
};
static const struct isakmp_attr_spec p1_3des_sha1[] = {
	A(ISAKMP_ATTR_ENC, 5), A(ISAKMP_ATTR_HASH, 2), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 2),
};
static const struct isakmp_attr_spec p1_3des_sha1_prf[] = {
	A(ISAKMP_ATTR_ENC, 5), A(ISAKMP_ATTR_HASH, 2), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 2), A(ISAKMP_ATTR_PRF, 1),
};
static const struct isakmp_attr_spec p1_3des_sha1_g14[] = {
	A(ISAKMP_ATTR_ENC, 5), A(ISAKMP_ATTR_HASH, 2), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 14),
};
static const struct isakmp_attr_spec p1_3des_sha1_g19[] = {
	A(ISAKMP_ATTR_ENC, 5), A(ISAKMP_ATTR_HASH, 2), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 19),
};

static void
profile_p1(struct oakley_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->n_phase1 = 2;
	p->phase1[0] = (struct oakley_p1_proposal){ 5, 0, 2, 2, 28800 };
	p->phase1[1] = (struct oakley_p1_proposal){ 7, 128, 4, 2, 3600 };
}

static const struct isakmp_sa *
p1_offer(const struct isakmp_transform_spec *xf, size_t n)
{
	static struct isakmp_proposal_spec prop;
	static struct isakmp_sa_spec sa;

	prop = (struct isakmp_proposal_spec){ 1, ISAKMP_PROTO_ISAKMP, NULL, 0,
	    xf, n };
	sa = (struct isakmp_sa_spec){ ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, &prop, 1 };
	return decode_sa(&sa);
}

ATF_TC_WITHOUT_HEAD(p1_peer_order);
ATF_TC_BODY(p1_peer_order, tc)
{
	const struct isakmp_transform_spec xf[] = {
		{ 1, ISAKMP_XF_KEY_IKE, p1_aes256_sha1, NA(p1_aes256_sha1) },
		{ 2, ISAKMP_XF_KEY_IKE, p1_aes128_sha256_long,
		    NA(p1_aes128_sha256_long) },
		{ 3, ISAKMP_XF_KEY_IKE, p1_3des_sha1, NA(p1_3des_sha1) },
	};
	const struct isakmp_proposal *pp;
	const struct isakmp_transform *px;
	struct oakley_profile prof;
	struct ike_p1_alg alg;

	host_up();
	profile_p1(&prof);
	/* Ours prefer 3DES, but the peer's order decides: transform 2. */
	ATF_REQUIRE_EQ(ike_p1_choose(&prof, 1, p1_offer(xf, 3), &alg, &pp,
	    &px), 0);
	ATF_CHECK_EQ(px->num, 2);
	ATF_CHECK_EQ(pp->num, 1);
	ATF_CHECK_EQ(alg.cipher, 7);
	ATF_CHECK_EQ(alg.keylen, 128);
	ATF_CHECK_EQ(alg.hash, 4);
	ATF_CHECK_EQ(alg.group, 2);
	/* The peer asked for 86400 s, ours is 3600: the shorter wins. */
	ATF_CHECK_EQ(alg.lifetime, 3600);
	/* RSA signatures are not what these transforms offer. */
	ATF_CHECK_EQ(ike_p1_choose(&prof, 3, p1_offer(xf, 3), &alg, &pp,
	    &px), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(p1_never_chosen);
ATF_TC_BODY(p1_never_chosen, tc)
{
	const struct isakmp_transform_spec xf[] = {
		{ 1, ISAKMP_XF_KEY_IKE, p1_3des_sha1_prf,
		    NA(p1_3des_sha1_prf) },
		{ 2, ISAKMP_XF_KEY_IKE, p1_3des_sha1_g14,
		    NA(p1_3des_sha1_g14) },
		{ 3, ISAKMP_XF_KEY_IKE, p1_aes256_sha1, NA(p1_aes256_sha1) },
	};
	const struct isakmp_proposal *pp;
	const struct isakmp_transform *px;
	struct oakley_profile prof;
	struct ike_p1_alg alg;

	host_up();
	profile_p1(&prof);
	prof.phase1[1].group = 14;	/* ours: 3DES/g2 and AES128/g14 */
	/* An unknown attribute, a group nobody loaded, a cipher we lack. */
	ATF_CHECK_EQ(ike_p1_choose(&prof, 1, p1_offer(xf, 3), &alg, &pp,
	    &px), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	/* Without the attribute the same transform is fine. */
	ATF_CHECK_EQ(ike_p1_choose(&prof, 1, p1_offer((const struct
	    isakmp_transform_spec[]){ { 1, ISAKMP_XF_KEY_IKE, p1_3des_sha1,
	    NA(p1_3des_sha1) } }, 1), &alg, &pp, &px), 0);
	ATF_CHECK_EQ(alg.lifetime, 28800);
	plugin_host_fini();
}

/*
 * The missing group is a warning the admin needs, but an MM1 names it
 * in every transform, and anyone may send MM1s: one line, not three.
 */
static time_t fake_now = 1000;

static time_t
fake_clock(void)
{
	return fake_now;
}

ATF_TC_WITHOUT_HEAD(group_missing_once);
ATF_TC_BODY(group_missing_once, tc)
{
	const struct isakmp_transform_spec xf[] = {
		{ 1, ISAKMP_XF_KEY_IKE, p1_3des_sha1_g14,
		    NA(p1_3des_sha1_g14) },
		{ 2, ISAKMP_XF_KEY_IKE, p1_3des_sha1_g14,
		    NA(p1_3des_sha1_g14) },
		{ 3, ISAKMP_XF_KEY_IKE, p1_3des_sha1_g14,
		    NA(p1_3des_sha1_g14) },
		{ 4, ISAKMP_XF_KEY_IKE, p1_3des_sha1_g19,
		    NA(p1_3des_sha1_g19) },
	};
	const struct isakmp_proposal *pp;
	const struct isakmp_transform *px;
	struct oakley_profile prof;
	struct ike_p1_alg alg;
	char logs[4096];

	host_up();
	log_set_level(LOG_LEVEL_INFO);
	log_set_clock(fake_clock);
	profile_p1(&prof);
	tu_stderr_start();
	ATF_CHECK_EQ(ike_p1_choose(&prof, 1, p1_offer(xf, 4), &alg, &pp,
	    &px), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	ATF_CHECK_EQ(ike_p1_choose(&prof, 1, p1_offer(xf, 4), &alg, &pp,
	    &px), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	tu_stderr_end(logs, sizeof(logs));
	ATF_CHECK_EQ_MSG(tu_count(logs, "warning: DH group 14 (modp2048) is "
	    "provided by plugin dh2048, which is not loaded\n"), 1, "%s",
	    logs);
	/* Each group has its own second: 14 does not hide 19. */
	ATF_CHECK_EQ_MSG(tu_count(logs, "warning: DH group 19 (ecp256) is "
	    "provided by plugin dh_ecp, which is not loaded\n"), 1, "%s",
	    logs);
	/* A second later, once more. */
	fake_now++;
	tu_stderr_start();
	ATF_CHECK_EQ(ike_p1_choose(&prof, 1, p1_offer(xf, 4), &alg, &pp,
	    &px), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	tu_stderr_end(logs, sizeof(logs));
	ATF_CHECK_EQ_MSG(tu_count(logs, "warning: DH group 14 (modp2048) is "
	    "provided by plugin dh2048, which is not loaded\n"), 1, "%s",
	    logs);
	log_set_clock(NULL);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(group_missing_text);
ATF_TC_BODY(group_missing_text, tc)
{
	char buf[160];

	ike_group_missing(14, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 14 (modp2048) is provided by plugin "
	    "dh2048, which is not loaded");
	ike_group_missing(16, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 16 (modp4096) is provided by plugin "
	    "dh2048, which is not loaded");
	ike_group_missing(19, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 19 (ecp256) is provided by plugin "
	    "dh_ecp, which is not loaded");
	ike_group_missing(20, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 20 (ecp384) is provided by plugin "
	    "dh_ecp, which is not loaded");
	ike_group_missing(5, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 5 (modp1536) is not provided by "
	    "oakleyd or any loaded plugin");
	ike_group_missing(4242, buf, sizeof(buf));
	ATF_CHECK_STREQ(buf, "DH group 4242 is not provided by oakleyd or "
	    "any loaded plugin");
}

ATF_TC_WITHOUT_HEAD(p1_offer_and_answer);
ATF_TC_BODY(p1_offer_and_answer, tc)
{
	struct oakley_profile prof;
	struct ike_sa_store st;
	const struct isakmp_sa *sa;
	struct ike_p1_alg alg;

	host_up();
	profile_p1(&prof);
	ATF_REQUIRE_EQ(ike_p1_sa_spec(&prof, 1, &st), 0);
	sa = decode_sa(&st.sa);
	ATF_REQUIRE_EQ(sa->n_proposals, 1);
	ATF_REQUIRE_EQ(sa->proposals[0].n_transforms, 2);
	/* A responder answering with our second transform: accepted. */
	st.prop.transforms = &st.xforms[1];
	st.prop.n_transforms = 1;
	ATF_REQUIRE_EQ(ike_p1_accept(&prof, 1, decode_sa(&st.sa), &alg), 0);
	ATF_CHECK_EQ(alg.cipher, 7);
	ATF_CHECK_EQ(alg.hash, 4);
	ATF_CHECK_EQ(alg.lifetime, 3600);
	/* Two transforms in an answer: a malformed choice. */
	st.prop.transforms = st.xforms;
	st.prop.n_transforms = 2;
	ATF_CHECK_EQ(ike_p1_accept(&prof, 1, decode_sa(&st.sa), &alg),
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX);
	/* One proposal only when the profile says so (Vista and later). */
	prof.quirks = OAKLEY_QUIRK_P1_ONE_PROPOSAL;
	ATF_REQUIRE_EQ(ike_p1_sa_spec(&prof, 1, &st), 0);
	ATF_CHECK_EQ(st.prop.n_transforms, 1);
	/* A group that is not loaded is not offered. */
	prof.quirks = 0;
	prof.phase1[0].group = 14;
	ATF_REQUIRE_EQ(ike_p1_sa_spec(&prof, 1, &st), 0);
	ATF_CHECK_EQ(st.prop.n_transforms, 1);
	ATF_CHECK_EQ(st.xforms[0].attrs[0].value, 7);
	plugin_host_fini();
}

/* ---- Phase 2 ---- */

static const struct isakmp_attr_spec esp_aes256_sha256[] = {
	A(IPSEC_ATTR_LIFE_TYPE, 1), A(IPSEC_ATTR_LIFE_DURATION, 3600),
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 5),
	A(IPSEC_ATTR_KEY_LENGTH, 256),
};
static const struct isakmp_attr_spec esp_3des_sha1_transport[] = {
	A(IPSEC_ATTR_LIFE_TYPE, 1), A(IPSEC_ATTR_LIFE_DURATION, 28800),
	A(IPSEC_ATTR_LIFE_TYPE, 2), A(IPSEC_ATTR_LIFE_DURATION, 50000),
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 2),
};
static const struct isakmp_attr_spec esp_3des_sha1_tunnel[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 1), A(IPSEC_ATTR_AUTH_ALG, 2),
};
static const struct isakmp_attr_spec esp_3des_sha1_nomode[] = {
	A(IPSEC_ATTR_AUTH_ALG, 2),
};
static const uint8_t spi_a[4] = { 0x11, 0x22, 0x33, 0x44 };
static const uint8_t spi_b[4] = { 0x55, 0x66, 0x77, 0x88 };

static void
profile_p2(struct oakley_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->n_phase2 = 2;
	p->phase2[0] = (struct oakley_p2_proposal){ 12, 128, 2, 0, 3600, 0 };
	p->phase2[1] = (struct oakley_p2_proposal){ 3, 0, 2, 0, 3600,
	    100000 };
}

ATF_TC_WITHOUT_HEAD(p2_choice);
ATF_TC_BODY(p2_choice, tc)
{
	const struct isakmp_transform_spec ah_xf[] = {
		{ 1, 3, esp_3des_sha1_nomode, NA(esp_3des_sha1_nomode) },
	};
	const struct isakmp_transform_spec esp_xf[] = {
		{ 1, 12, esp_aes256_sha256, NA(esp_aes256_sha256) },
		{ 2, 3, esp_3des_sha1_transport, NA(esp_3des_sha1_transport) },
	};
	const struct isakmp_proposal_spec props[] = {
		{ 1, ISAKMP_PROTO_AH, spi_a, 4, ah_xf, 1 },
		{ 2, ISAKMP_PROTO_ESP, spi_b, 4, esp_xf, 2 },
	};
	const struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, props, 2 };
	struct oakley_profile prof;
	struct ike_p2_choice ch;

	host_up();
	profile_p2(&prof);
	ATF_REQUIRE_EQ(ike_p2_choose(&prof, decode_sa(&sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.prop->num, 2);
	ATF_CHECK(memcmp(ch.prop->spi, spi_b, 4) == 0);
	ATF_CHECK_EQ(ch.xf->num, 2);
	ATF_CHECK_EQ(ch.alg.cipher, 3);
	ATF_CHECK_EQ(ch.alg.auth, 2);
	ATF_CHECK_EQ(ch.alg.encap, 2);
	ATF_CHECK_EQ(ch.alg.life_s, 28800);
	ATF_CHECK_EQ(ch.alg.life_kb, 50000);
	ATF_CHECK_EQ(ch.our_life_s, 3600);
	ATF_CHECK_EQ(ch.our_life_kb, 100000);
	/* The same offer for a tunnel policy: nothing matches. */
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa), PFKEY_MODE_TUNNEL,
	    NULL, NULL, &ch), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(p2_modes_and_bundles);
ATF_TC_BODY(p2_modes_and_bundles, tc)
{
	const struct isakmp_transform_spec tun[] = {
		{ 1, 3, esp_3des_sha1_tunnel, NA(esp_3des_sha1_tunnel) },
	};
	const struct isakmp_transform_spec nomode[] = {
		{ 1, 3, esp_3des_sha1_nomode, NA(esp_3des_sha1_nomode) },
	};
	/* Proposal 1 twice: an AH+ESP bundle, which we do not take. */
	const struct isakmp_proposal_spec bundle[] = {
		{ 1, ISAKMP_PROTO_AH, spi_a, 4, nomode, 1 },
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, tun, 1 },
	};
	const struct isakmp_proposal_spec alone[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, tun, 1 },
	};
	const struct isakmp_proposal_spec plain[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, nomode, 1 },
	};
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, bundle, 2 };
	struct oakley_profile prof;
	struct ike_p2_choice ch;

	host_up();
	profile_p2(&prof);
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa), PFKEY_MODE_TUNNEL,
	    NULL, NULL, &ch), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	sa.proposals = alone;
	sa.n_proposals = 1;
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa), PFKEY_MODE_TUNNEL,
	    NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.encap, 1);
	/* No lifetime given: RFC 2407's 28800 s is applied by the engine,
	 * the choice reports none; no mode given: transport. */
	sa.proposals = plain;
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.life_s, 0);
	ATF_CHECK_EQ(ch.alg.encap, 2);
	/* The responder's answer must be one proposal, one transform. */
	ATF_CHECK_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	sa.proposals = bundle;
	sa.n_proposals = 2;
	ATF_CHECK_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TUNNEL, NULL, NULL, &ch), ISAKMP_N_BAD_PROPOSAL_SYNTAX);
	plugin_host_fini();
}

/* A NAT-T plugin rewriting the encapsulation attribute (3 -> 1). */
static int
encap_rewrite(void *arg, uint16_t *attr)
{
	(*(int *)arg)++;
	if (*attr == 3)
		*attr = 1;
	return 0;
}

ATF_TC_WITHOUT_HEAD(p2_encap_hook);
ATF_TC_BODY(p2_encap_hook, tc)
{
	static const struct isakmp_attr_spec udp_tunnel[] = {
		A(IPSEC_ATTR_ENCAP_MODE, 3), A(IPSEC_ATTR_AUTH_ALG, 2),
	};
	const struct isakmp_transform_spec xf[] = {
		{ 1, 3, udp_tunnel, NA(udp_tunnel) },
	};
	const struct isakmp_proposal_spec prop[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, xf, 1 },
	};
	const struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, prop, 1 };
	struct oakley_profile prof;
	struct ike_p2_choice ch;
	int calls = 0;

	host_up();
	profile_p2(&prof);
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa), PFKEY_MODE_TUNNEL,
	    NULL, NULL, &ch), ISAKMP_N_NO_PROPOSAL_CHOSEN);
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa), PFKEY_MODE_TUNNEL,
	    encap_rewrite, &calls, &ch), 0);
	ATF_CHECK_EQ(calls, 1);
	ATF_CHECK_EQ(ch.alg.encap, 1);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(p2_offer);
ATF_TC_BODY(p2_offer, tc)
{
	struct oakley_profile prof;
	struct ike_sa_store st;
	const struct isakmp_sa *sa;
	uint64_t s, kb;
	uint16_t group;

	host_up();
	profile_p2(&prof);
	prof.phase2[1].pfs_group = 2;	/* differs from the first: left out */
	ATF_REQUIRE_EQ(ike_p2_sa_spec(&prof, 0x01020304, 2, &st, &group), 0);
	ATF_CHECK_EQ(group, 0);
	sa = decode_sa(&st.sa);
	ATF_REQUIRE_EQ(sa->n_proposals, 1);
	ATF_CHECK_EQ(sa->proposals[0].protocol, ISAKMP_PROTO_ESP);
	ATF_CHECK(memcmp(sa->proposals[0].spi, "\x01\x02\x03\x04", 4) == 0);
	ATF_REQUIRE_EQ(sa->proposals[0].n_transforms, 1);
	ATF_CHECK_EQ(sa->proposals[0].transforms[0].id, 12);
	ATF_REQUIRE_EQ(ike_xf_lifetimes(&sa->proposals[0].transforms[0],
	    false, &s, &kb), 0);
	ATF_CHECK_EQ(s, 3600);
	ATF_CHECK_EQ(kb, 0);
	/* With PFS in the first, the group comes back and goes in. */
	prof.phase2[0].pfs_group = 2;
	ATF_REQUIRE_EQ(ike_p2_sa_spec(&prof, 1, 1, &st, &group), 0);
	ATF_CHECK_EQ(group, 2);
	ATF_CHECK_EQ(st.prop.n_transforms, 2);
	plugin_host_fini();
}

/* ---- AES-GCM ---- */

static const struct isakmp_attr_spec esp_gcm128[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_KEY_LENGTH, 128),
};
static const struct isakmp_attr_spec esp_gcm256[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_KEY_LENGTH, 256),
};
static const struct isakmp_attr_spec esp_gcm128_sha1[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 2),
	A(IPSEC_ATTR_KEY_LENGTH, 128),
};
static const struct isakmp_attr_spec esp_gcm_nolen[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2),
};
static const struct isakmp_attr_spec esp_aes128_noauth[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_KEY_LENGTH, 128),
};

/* Ours: AES-128-GCM-16 first, then AES-128-CBC with HMAC-SHA1. */
static void
profile_gcm(struct oakley_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->n_phase2 = 2;
	p->phase2[0] = (struct oakley_p2_proposal){ 20, 128, 0, 0, 3600, 0 };
	p->phase2[1] = (struct oakley_p2_proposal){ 12, 128, 2, 0, 3600, 0 };
}

/* Our offer on the wire: transform ID 20, Key Length, no auth attribute. */
ATF_TC_WITHOUT_HEAD(p2_gcm_offer);
ATF_TC_BODY(p2_gcm_offer, tc)
{
	static const char want_hex[] =
	    /* SA: last, length 76; DOI 1, SIT_IDENTITY_ONLY */
	    "00 00 004c 00000001 00000001"
	    /* proposal: last, length 64, #1, ESP, SPI size 4, 2 transforms */
	    "00 00 0040 01 03 04 02 01020304"
	    /* transform: more, length 24, #1, ESP_AES_GCM_16 (20) */
	    "03 00 0018 01 14 0000"
	    "8001 0001"		/* SA life type: seconds */
	    "8002 0e10"		/* SA life duration: 3600 */
	    "8004 0002"		/* encapsulation: transport */
	    "8006 0080"		/* key length: 128 (no auth algorithm) */
	    /* transform: last, length 28, #2, ESP_AES (12) */
	    "00 00 001c 02 0c 0000"
	    "8001 0001 8002 0e10 8004 0002"
	    "8005 0002"		/* auth: HMAC-SHA */
	    "8006 0080";
	uint8_t want[128];
	struct oakley_profile prof;
	struct ike_sa_store st;
	const struct isakmp_transform *xf;
	struct ike_p2_choice ch;
	uint16_t group;
	int n;

	host_up();
	profile_gcm(&prof);
	ATF_REQUIRE_EQ(ike_p2_sa_spec(&prof, 0x01020304, 2, &st, &group), 0);
	ATF_CHECK_EQ(group, 0);
	(void)decode_sa(&st.sa);
	n = tu_hex_decode(want_hex, want, sizeof(want));
	ATF_REQUIRE(n > 0);
	ATF_REQUIRE_EQ(wire_len, ISAKMP_HDR_LEN + (size_t)n);
	ATF_CHECK(memcmp(wire + ISAKMP_HDR_LEN, want, (size_t)n) == 0);
	/* Read back: the GCM transform has no Authentication Algorithm. */
	xf = &msg.payloads[0].u.sa.proposals[0].transforms[0];
	ATF_CHECK_EQ(xf->id, 20);
	ATF_CHECK_EQ(xf->n_attrs, 4);
	/* A responder answering with our first transform: accepted. */
	st.prop.n_transforms = 1;
	ATF_REQUIRE_EQ(ike_p2_accept(&prof, decode_sa(&st.sa), 0x01020304,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.cipher, 20);
	ATF_CHECK_EQ(ch.alg.keylen, 128);
	ATF_CHECK_EQ(ch.alg.auth, 0);
	/* What could not be installed is not offered: GCM with an auth
	 * algorithm (a plugin's profile might say so), CBC without. */
	prof.phase2[0].auth = 2;
	ATF_REQUIRE_EQ(ike_p2_sa_spec(&prof, 1, 2, &st, &group), 0);
	ATF_REQUIRE_EQ(st.prop.n_transforms, 1);
	ATF_CHECK_EQ(st.xforms[0].id, 12);
	prof.phase2[1].auth = 0;
	ATF_CHECK_EQ(ike_p2_sa_spec(&prof, 1, 2, &st, &group), -1);
	plugin_host_fini();
}

/* The responder takes GCM only with our key length and without auth. */
ATF_TC_WITHOUT_HEAD(p2_gcm_choice);
ATF_TC_BODY(p2_gcm_choice, tc)
{
	const struct isakmp_transform_spec xf[] = {
		{ 1, 20, esp_gcm128_sha1, NA(esp_gcm128_sha1) },
		{ 2, 20, esp_gcm256, NA(esp_gcm256) },
		{ 3, 20, esp_gcm_nolen, NA(esp_gcm_nolen) },
		{ 4, 12, esp_aes128_noauth, NA(esp_aes128_noauth) },
		{ 5, 20, esp_gcm128, NA(esp_gcm128) },
	};
	struct isakmp_proposal_spec prop[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, xf, NA(xf) },
	};
	const struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, prop, 1 };
	struct oakley_profile prof;
	struct ike_p2_choice ch;

	host_up();
	profile_gcm(&prof);
	/* GCM with HMAC-SHA1, GCM-256, GCM without a key length, AES-CBC
	 * without auth: none is ours; the last transform is. */
	ATF_REQUIRE_EQ(ike_p2_choose(&prof, decode_sa(&sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.xf->num, 5);
	ATF_CHECK_EQ(ch.alg.cipher, 20);
	ATF_CHECK_EQ(ch.alg.keylen, 128);
	ATF_CHECK_EQ(ch.alg.auth, 0);
	ATF_CHECK_EQ(ch.our_life_s, 3600);
	/* Without the last one, nothing. */
	prop[0].n_transforms = 4;
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch),
	    ISAKMP_N_NO_PROPOSAL_CHOSEN);
	/* A profile asking for GCM with an auth algorithm matches nothing
	 * either, even the same on the wire. */
	prof.phase2[0].auth = 2;
	prop[0].n_transforms = 1;
	ATF_CHECK_EQ(ike_p2_choose(&prof, decode_sa(&sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch),
	    ISAKMP_N_NO_PROPOSAL_CHOSEN);
	/* An answer of GCM with an auth algorithm is not accepted. */
	ATF_CHECK_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch),
	    ISAKMP_N_NO_PROPOSAL_CHOSEN);
	plugin_host_fini();
}

/*
 * The initiator installs no longer than it offered: the shorter of its
 * lifetimes and the responder's, for seconds and kilobytes (0: none).
 */
ATF_TC_WITHOUT_HEAD(p2_accept_lifetimes);
ATF_TC_BODY(p2_accept_lifetimes, tc)
{
	static const struct isakmp_attr_spec longer[] = {
		A(IPSEC_ATTR_LIFE_TYPE, 1), A(IPSEC_ATTR_LIFE_DURATION, 86400),
		A(IPSEC_ATTR_LIFE_TYPE, 2), A(IPSEC_ATTR_LIFE_DURATION, 900000),
		A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 2),
	};
	static const struct isakmp_attr_spec shorter[] = {
		A(IPSEC_ATTR_LIFE_TYPE, 1), A(IPSEC_ATTR_LIFE_DURATION, 600),
		A(IPSEC_ATTR_LIFE_TYPE, 2), A(IPSEC_ATTR_LIFE_DURATION, 5000),
		A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 2),
	};
	static const struct isakmp_attr_spec none[] = {
		A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 2),
	};
	struct isakmp_transform_spec xf = { 1, 3, longer, NA(longer) };
	const struct isakmp_proposal_spec prop[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, &xf, 1 },
	};
	const struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, prop, 1 };
	struct oakley_profile prof;
	struct ike_p2_choice ch;

	host_up();
	profile_p2(&prof);	/* ours, 3DES: 3600 s and 100000 KB */
	ATF_REQUIRE_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.life_s, 3600);
	ATF_CHECK_EQ(ch.alg.life_kb, 100000);
	/* Shorter answers are taken. */
	xf = (struct isakmp_transform_spec){ 1, 3, shorter, NA(shorter) };
	ATF_REQUIRE_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.life_s, 600);
	ATF_CHECK_EQ(ch.alg.life_kb, 5000);
	/* No lifetime in the answer: RFC 2407's 28800 s, then ours. */
	xf = (struct isakmp_transform_spec){ 1, 3, none, NA(none) };
	ATF_REQUIRE_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.life_s, 3600);
	ATF_CHECK_EQ(ch.alg.life_kb, 100000);
	/* We offered no byte limit: the responder's stands. */
	prof.phase2[1].lifetime_kb = 0;
	xf = (struct isakmp_transform_spec){ 1, 3, longer, NA(longer) };
	ATF_REQUIRE_EQ(ike_p2_accept(&prof, decode_sa(&sa), 0,
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), 0);
	ATF_CHECK_EQ(ch.alg.life_s, 3600);
	ATF_CHECK_EQ(ch.alg.life_kb, 900000);
	plugin_host_fini();
}

ATF_TC_WITHOUT_HEAD(lifetimes);
ATF_TC_BODY(lifetimes, tc)
{
	uint64_t f;

	/* Ours shorter: ours, and the responder says so. */
	ATF_CHECK(ike_life_merge(3600, 28800, &f));
	ATF_CHECK_EQ(f, 3600);
	/* Theirs shorter: theirs, nothing to say. */
	ATF_CHECK(!ike_life_merge(7200, 3600, &f));
	ATF_CHECK_EQ(f, 3600);
	ATF_CHECK(!ike_life_merge(3600, 3600, &f));
	ATF_CHECK_EQ(f, 3600);
	/* We have no limit: theirs. */
	ATF_CHECK(!ike_life_merge(0, 50000, &f));
	ATF_CHECK_EQ(f, 50000);
	/* They have none (kilobytes), we do: ours, and say so. */
	ATF_CHECK(ike_life_merge(100000, 0, &f));
	ATF_CHECK_EQ(f, 100000);
	ATF_CHECK(!ike_life_merge(0, 0, &f));
	ATF_CHECK_EQ(f, 0);
}

/* ---- MD5, for legacy peers only ---- */

static const char md5_and_sha1[] =
    "\tphase1 encryption 3des hash md5;\n"
    "\tphase1 encryption aes128 hash sha1;\n"
    "\tphase2 encryption 3des auth hmac-md5;\n"
    "\tphase2 encryption aes128 auth hmac-sha1;\n";
static const char md5_only[] =
    "\tphase1 encryption 3des hash md5;\n"
    "\tphase2 encryption 3des auth hmac-md5;\n";

/* The world's peer "old" with profile and these proposals. */
static void
md5_world(struct ikeworld *w, const atf_tc_t *tc, const char *profile,
    const char *proposals)
{
	char conf[2048];

	snprintf(conf, sizeof(conf), "plugin-dir \"%s/../plugins/test_plugin"
	    "\";\nplugin test_plugin { }\npeer old {\n\taddress "
	    IKEWORLD_PEER ";\n\tauth psk \"k\";\n\tprofile %s;\n%s}\n",
	    atf_tc_get_config_var(tc, "srcdir"), profile, proposals);
	log_init("t_proposal", true, LOG_LEVEL_INFO);
	ATF_REQUIRE_EQ(ikeworld_init(w, conf), 0);
}

/* The profile of a phase 1 with the peer, and what building it logged. */
static void
md5_build(struct ikeworld *w, struct oakley_profile *prof, char *logs,
    size_t len)
{
	tu_stderr_start();
	ATF_CHECK_EQ(ikeworld_profile(w, prof), 0);
	tu_stderr_end(logs, len);
}

static void
allow_md5(struct ikeworld *w)
{
	ATF_REQUIRE_EQ(plugin_flags_set_int(w->peer->flags, "test.quirks",
	    OAKLEY_QUIRK_MD5), 0);
}

ATF_TC(md5_needs_quirk);
ATF_TC_HEAD(md5_needs_quirk, tc)
{
	atf_tc_set_md_var(tc, "descr", "A profile without OAKLEY_QUIRK_MD5 "
	    "loses its MD5 proposals, with one warning naming the peer; with "
	    "the quirk they stay");
}
ATF_TC_BODY(md5_needs_quirk, tc)
{
	struct oakley_profile prof;
	struct ikeworld w;
	char logs[4096];

	md5_world(&w, tc, "test", md5_and_sha1);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_REQUIRE_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.phase1[0].hash, 2);
	ATF_REQUIRE_EQ(prof.n_phase2, 1);
	ATF_CHECK_EQ(prof.phase2[0].auth, 2);
	ATF_CHECK_EQ_MSG(tu_count(logs, "\n"), 1, "%s", logs);
	ATF_CHECK_MSG(strstr(logs, "warning: IKE: peer old: MD5 is for legacy "
	    "peers only (profile legacy, or auto choosing legacy): its MD5 "
	    "proposals are left out\n") != NULL, "%s", logs);
	allow_md5(&w);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_CHECK_STREQ(logs, "");
	ATF_REQUIRE_EQ(prof.n_phase1, 2);
	ATF_CHECK_EQ(prof.phase1[0].hash, 1);
	ATF_CHECK_EQ(prof.phase1[1].hash, 2);
	ATF_REQUIRE_EQ(prof.n_phase2, 2);
	ATF_CHECK_EQ(prof.phase2[0].auth, 1);
	ATF_CHECK_EQ(prof.phase2[1].auth, 2);
	ikeworld_free(&w);
}

static const struct isakmp_attr_spec p1_3des_md5[] = {
	A(ISAKMP_ATTR_ENC, 5), A(ISAKMP_ATTR_HASH, 1), A(ISAKMP_ATTR_AUTH, 1),
	A(ISAKMP_ATTR_GROUP_DESC, 2),
};
static const struct isakmp_attr_spec esp_3des_md5[] = {
	A(IPSEC_ATTR_ENCAP_MODE, 2), A(IPSEC_ATTR_AUTH_ALG, 1),
};

/* Whether a responder with prof takes the peer's MD5 offers. */
static void
md5_offers_taken(const struct oakley_profile *prof, int want)
{
	const struct isakmp_transform_spec p1xf[] = {
		{ 1, ISAKMP_XF_KEY_IKE, p1_3des_md5, NA(p1_3des_md5) },
	};
	const struct isakmp_transform_spec p2xf[] = {
		{ 1, 3, esp_3des_md5, NA(esp_3des_md5) },
	};
	const struct isakmp_proposal_spec p2prop[] = {
		{ 1, ISAKMP_PROTO_ESP, spi_b, 4, p2xf, 1 },
	};
	const struct isakmp_sa_spec p2sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, p2prop, 1 };
	const struct isakmp_proposal *pp;
	const struct isakmp_transform *px;
	struct ike_p2_choice ch;
	struct ike_p1_alg alg;

	ATF_CHECK_EQ(ike_p1_choose(prof, 1, p1_offer(p1xf, 1), &alg, &pp,
	    &px), want);
	ATF_CHECK_EQ(ike_p2_choose(prof, decode_sa(&p2sa),
	    PFKEY_MODE_TRANSPORT, NULL, NULL, &ch), want);
}

ATF_TC(md5_nothing_left);
ATF_TC_HEAD(md5_nothing_left, tc)
{
	atf_tc_set_md_var(tc, "descr", "Proposals that all use MD5, without "
	    "the quirk: nothing to offer, the peer's MD5 offers answered "
	    "NO-PROPOSAL-CHOSEN; with the quirk both work");
}
ATF_TC_BODY(md5_nothing_left, tc)
{
	struct oakley_profile prof;
	struct ike_sa_store st;
	struct ikeworld w;
	char logs[4096];
	uint16_t group;

	md5_world(&w, tc, "test", md5_only);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_CHECK_EQ(prof.n_phase1, 0);
	ATF_CHECK_EQ(prof.n_phase2, 0);
	ATF_CHECK_MSG(strstr(logs, "proposals are left out: no main-mode "
	    "proposal is left\n") != NULL, "%s", logs);
	ATF_CHECK_EQ(ike_p1_sa_spec(&prof, 1, &st), -1);
	ATF_CHECK_EQ(ike_p2_sa_spec(&prof, 1, 2, &st, &group), -1);
	md5_offers_taken(&prof, ISAKMP_N_NO_PROPOSAL_CHOSEN);
	allow_md5(&w);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_CHECK_EQ(ike_p1_sa_spec(&prof, 1, &st), 0);
	ATF_CHECK_EQ(ike_p2_sa_spec(&prof, 1, 2, &st, &group), 0);
	md5_offers_taken(&prof, 0);
	ikeworld_free(&w);
}

ATF_TC(md5_auto);
ATF_TC_HEAD(md5_auto, tc)
{
	atf_tc_set_md_var(tc, "descr", "profile auto: MD5 left out quietly "
	    "until a profile is chosen, kept once the chosen one allows it");
}
ATF_TC_BODY(md5_auto, tc)
{
	struct oakley_profile prof;
	struct ikeworld w;
	char logs[4096];

	md5_world(&w, tc, "auto", md5_and_sha1);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.n_phase2, 1);
	ATF_CHECK_STREQ(logs, "");
	/* A plugin chose "test", which allows MD5 for this peer. */
	ATF_REQUIRE_EQ(plugin_flags_set_str(w.peer->flags,
	    OAKLEY_FLAG_PROFILE, "test"), 0);
	allow_md5(&w);
	md5_build(&w, &prof, logs, sizeof(logs));
	ATF_CHECK_EQ(prof.n_phase1, 2);
	ATF_CHECK_EQ(prof.n_phase2, 2);
	ATF_CHECK_STREQ(logs, "");
	ikeworld_free(&w);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, p1_peer_order);
	ATF_TP_ADD_TC(tp, p1_never_chosen);
	ATF_TP_ADD_TC(tp, group_missing_once);
	ATF_TP_ADD_TC(tp, group_missing_text);
	ATF_TP_ADD_TC(tp, p1_offer_and_answer);
	ATF_TP_ADD_TC(tp, p2_choice);
	ATF_TP_ADD_TC(tp, p2_modes_and_bundles);
	ATF_TP_ADD_TC(tp, p2_encap_hook);
	ATF_TP_ADD_TC(tp, p2_offer);
	ATF_TP_ADD_TC(tp, p2_gcm_offer);
	ATF_TP_ADD_TC(tp, p2_gcm_choice);
	ATF_TP_ADD_TC(tp, p2_accept_lifetimes);
	ATF_TP_ADD_TC(tp, lifetimes);
	ATF_TP_ADD_TC(tp, md5_needs_quirk);
	ATF_TP_ADD_TC(tp, md5_nothing_left);
	ATF_TP_ADD_TC(tp, md5_auto);
	return atf_no_error();
}
