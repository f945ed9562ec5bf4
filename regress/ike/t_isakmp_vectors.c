/*
 * ISAKMP codec against hand-written messages (RFC 2408 3.1-3.6, 3.8,
 * 3.12-3.13, RFC 2407 4.5, 4.6.2, RFC 2409 5, 5.5): a main-mode message 1
 * and a quick-mode message 1 with its body in the clear.  The builder must
 * produce exactly these bytes and the decoder must read back every field.
 */
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "ike/isakmp.h"
#include "testutil.h"

/*
 * Main mode message 1: SA (IPsec DOI, identity only) with one ISAKMP
 * proposal of two transforms, then three VIDs (RFC 3947, draft-02\n, DPD).
 */
static const char mm1_hex[] =
	/* header: CKY-I, CKY-R 0, next SA, 1.0, main mode, no flags,
	   M-ID 0, length 180 */
	"0102030405060708 0000000000000000 01 10 02 00 00000000 000000b4"
	/* SA: next VID, length 92; DOI 1, SIT_IDENTITY_ONLY */
	"0d 00 005c 00000001 00000001"
	/* proposal: last, length 80, #1, ISAKMP, no SPI, 2 transforms */
	"00 00 0050 01 01 00 02"
	/* transform: more, length 40, #1, KEY_IKE */
	"03 00 0028 01 01 0000"
	"800b 0001"		/* life type: seconds */
	"000c 0004 00015180"	/* life duration: 86400, TLV */
	"8001 0007"		/* encryption: AES-CBC */
	"800e 0080"		/* key length: 128 */
	"8002 0002"		/* hash: SHA */
	"8003 0001"		/* auth: pre-shared key */
	"8004 000e"		/* group: 14 */
	/* transform: last, length 32, #2, KEY_IKE */
	"00 00 0020 02 01 0000"
	"800b 0001"		/* life type: seconds */
	"800c 7080"		/* life duration: 28800, TV */
	"8001 0005"		/* encryption: 3DES-CBC */
	"8002 0002"		/* hash: SHA */
	"8003 0001"		/* auth: pre-shared key */
	"8004 0002"		/* group: 2 */
	/* VID "RFC 3947" */
	"0d 00 0014 4a131c81070358455c5728f20e95452f"
	/* VID "draft-ietf-ipsec-nat-t-ike-02\n" */
	"0d 00 0014 90cb80913ebb696e086381b5ec427b1f"
	/* VID DPD 1.0 */
	"00 00 0014 afcad71368a1f1c96b8696fc77570100";

/*
 * Quick mode message 1 (E flag set, body shown decrypted, no padding):
 * HASH(1), SA with one ESP proposal and its SPI, Ni, KE, IDci, IDcr.
 * The KE value is the 128 bytes 0x00..0x7f (filled in by ke_hex()).
 */
static const char qm1_head_hex[] =
	/* header: cookies, next HASH, 1.0, quick mode, E, M-ID, length 304 */
	"0102030405060708 1112131415161718 08 10 20 01 9a2b3c4d 00000130"
	/* HASH: next SA, length 24, 20 bytes */
	"01 00 0018 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3"
	/* SA: next NONCE, length 68; DOI 1, SIT_IDENTITY_ONLY */
	"0a 00 0044 00000001 00000001"
	/* proposal: last, length 56, #1, ESP, SPI size 4, 1 transform */
	"00 00 0038 01 03 04 01 c1000001"
	/* transform: last, length 44, #1, ESP_AES */
	"00 00 002c 01 0c 0000"
	"8001 0001"		/* SA life type: seconds */
	"8002 0e10"		/* SA life duration: 3600 */
	"8001 0002"		/* SA life type: kilobytes */
	"0002 0004 0003d090"	/* SA life duration: 250000 KB, TLV */
	"8004 0001"		/* encapsulation: tunnel */
	"8005 0002"		/* auth: HMAC-SHA */
	"8006 0080"		/* key length: 128 */
	"8003 0002"		/* PFS group 2 */
	/* NONCE: next KE, length 20 */
	"04 00 0014 101112131415161718191a1b1c1d1e1f"
	/* KE: next ID, length 132 */
	"05 00 0084";
static const char qm1_tail_hex[] =
	/* IDci: next ID, 192.0.2.0/24 */
	"05 00 0010 04 00 0000 c0000200 ffffff00"
	/* IDcr: last, 203.0.113.0/24 */
	"00 00 0010 04 00 0000 cb007100 ffffff00";

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcky[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
    0x18 };
static const uint8_t vid_rfc3947[16] = { 0x4a, 0x13, 0x1c, 0x81, 0x07, 0x03,
    0x58, 0x45, 0x5c, 0x57, 0x28, 0xf2, 0x0e, 0x95, 0x45, 0x2f };
static const uint8_t vid_draft02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb,
    0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
static const uint8_t vid_dpd[16] = { 0xaf, 0xca, 0xd7, 0x13, 0x68, 0xa1,
    0xf1, 0xc9, 0x6b, 0x86, 0x96, 0xfc, 0x77, 0x57, 0x01, 0x00 };

static struct isakmp_msg msg;
static uint8_t expect[1024];

static size_t
hex(const char *h, uint8_t *out, size_t size)
{
	int n = tu_hex_decode(h, out, size);

	ATF_REQUIRE_MSG(n >= 0, "bad hex in test");
	return (size_t)n;
}

static size_t
mm1_bytes(void)
{
	return hex(mm1_hex, expect, sizeof(expect));
}

static size_t
qm1_bytes(void)
{
	size_t n = hex(qm1_head_hex, expect, sizeof(expect)), i;

	for (i = 0; i < 128; i++)
		expect[n++] = (uint8_t)i;
	return n + hex(qm1_tail_hex, expect + n, sizeof(expect) - n);
}

static const struct isakmp_attr_spec mm_t1_attrs[] = {
	{ .type = ISAKMP_ATTR_LIFE_TYPE, .value = ISAKMP_LIFE_SECONDS },
	{ .type = ISAKMP_ATTR_LIFE_DURATION, .value = 86400 },
	{ .type = ISAKMP_ATTR_ENC, .value = 7 },
	{ .type = ISAKMP_ATTR_KEY_LENGTH, .value = 128 },
	{ .type = ISAKMP_ATTR_HASH, .value = 2 },
	{ .type = ISAKMP_ATTR_AUTH, .value = 1 },
	{ .type = ISAKMP_ATTR_GROUP_DESC, .value = 14 },
};
static const struct isakmp_attr_spec mm_t2_attrs[] = {
	{ .type = ISAKMP_ATTR_LIFE_TYPE, .value = ISAKMP_LIFE_SECONDS },
	{ .type = ISAKMP_ATTR_LIFE_DURATION, .value = 28800 },
	{ .type = ISAKMP_ATTR_ENC, .value = 5 },
	{ .type = ISAKMP_ATTR_HASH, .value = 2 },
	{ .type = ISAKMP_ATTR_AUTH, .value = 1 },
	{ .type = ISAKMP_ATTR_GROUP_DESC, .value = 2 },
};
static const struct isakmp_transform_spec mm_xf[] = {
	{ 1, ISAKMP_XF_KEY_IKE, mm_t1_attrs, 7 },
	{ 2, ISAKMP_XF_KEY_IKE, mm_t2_attrs, 6 },
};
static const struct isakmp_proposal_spec mm_prop = {
	1, ISAKMP_PROTO_ISAKMP, NULL, 0, mm_xf, 2
};

static const uint8_t qm_spi[4] = { 0xc1, 0x00, 0x00, 0x01 };
static const struct isakmp_attr_spec qm_attrs[] = {
	{ .type = IPSEC_ATTR_LIFE_TYPE, .value = ISAKMP_LIFE_SECONDS },
	{ .type = IPSEC_ATTR_LIFE_DURATION, .value = 3600 },
	{ .type = IPSEC_ATTR_LIFE_TYPE, .value = ISAKMP_LIFE_KILOBYTES },
	{ .type = IPSEC_ATTR_LIFE_DURATION, .value = 250000 },
	{ .type = IPSEC_ATTR_ENCAP_MODE, .value = 1 },
	{ .type = IPSEC_ATTR_AUTH_ALG, .value = 2 },
	{ .type = IPSEC_ATTR_KEY_LENGTH, .value = 128 },
	{ .type = IPSEC_ATTR_GROUP_DESC, .value = 2 },
};
static const struct isakmp_transform_spec qm_xf = { 1, 12, qm_attrs, 8 };
static const struct isakmp_proposal_spec qm_prop = {
	1, ISAKMP_PROTO_ESP, qm_spi, 4, &qm_xf, 1
};
static const uint8_t idci_data[8] = { 192, 0, 2, 0, 255, 255, 255, 0 };
static const uint8_t idcr_data[8] = { 203, 0, 113, 0, 255, 255, 255, 0 };

static void
check_attr(const struct isakmp_transform *t, unsigned i, uint16_t type,
    bool tv, uint64_t value)
{
	uint64_t v;

	ATF_REQUIRE(i < t->n_attrs);
	ATF_CHECK_EQ(t->attrs[i].type, type);
	ATF_CHECK_EQ(t->attrs[i].tv, tv);
	ATF_REQUIRE_EQ(isakmp_attr_uint(&t->attrs[i], &v), 0);
	ATF_CHECK_EQ(v, value);
}

ATF_TC_WITHOUT_HEAD(mm1_build);
ATF_TC_BODY(mm1_build, tc)
{
	struct isakmp_hdr h = { .exchange = ISAKMP_EXCH_IDPROT };
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, &mm_prop, 1 };
	struct isakmp_builder b;
	const uint8_t *out;
	size_t n = mm1_bytes(), len;

	memcpy(h.icookie, icky, 8);
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, &sa), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, vid_rfc3947, 16),
	    0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, vid_draft02n, 16),
	    0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, vid_dpd, 16), 0);
	out = isakmp_builder_finish(&b, &len);
	ATF_REQUIRE(out != NULL);
	ATF_CHECK_EQ(len, 180);
	ATF_REQUIRE_EQ(len, n);
	ATF_CHECK(memcmp(out, expect, n) == 0);
	isakmp_builder_free(&b);
}

ATF_TC_WITHOUT_HEAD(mm1_decode);
ATF_TC_BODY(mm1_decode, tc)
{
	struct isakmp_error err;
	const struct isakmp_sa *sa;
	const struct isakmp_proposal *p;
	size_t n = mm1_bytes();

	ATF_REQUIRE_EQ(isakmp_decode(expect, n, 0, &msg, &err), 0);
	ATF_CHECK(memcmp(msg.hdr.icookie, icky, 8) == 0);
	ATF_CHECK_EQ(msg.hdr.exchange, ISAKMP_EXCH_IDPROT);
	ATF_CHECK_EQ(msg.hdr.length, 180);
	ATF_REQUIRE_EQ(msg.n_payloads, 4);
	ATF_CHECK_EQ(msg.payloads[0].type, ISAKMP_PT_SA);
	ATF_CHECK_EQ(msg.payloads[0].offset, 28);
	ATF_CHECK_EQ(msg.payloads[0].len, 88);
	ATF_CHECK(msg.payloads[0].body == expect + 32);
	sa = &msg.payloads[0].u.sa;
	ATF_CHECK_EQ(sa->doi, ISAKMP_DOI_IPSEC);
	ATF_CHECK_EQ(sa->situation, ISAKMP_SIT_IDENTITY_ONLY);
	ATF_REQUIRE_EQ(sa->n_proposals, 1);
	p = &sa->proposals[0];
	ATF_CHECK_EQ(p->num, 1);
	ATF_CHECK_EQ(p->protocol, ISAKMP_PROTO_ISAKMP);
	ATF_CHECK_EQ(p->spi_size, 0);
	ATF_CHECK(p->spi == NULL);
	ATF_REQUIRE_EQ(p->n_transforms, 2);
	ATF_CHECK_EQ(p->transforms[0].num, 1);
	ATF_CHECK_EQ(p->transforms[0].id, ISAKMP_XF_KEY_IKE);
	ATF_CHECK_EQ(p->transforms[0].n_attrs, 7);
	check_attr(&p->transforms[0], 1, ISAKMP_ATTR_LIFE_DURATION, false,
	    86400);
	check_attr(&p->transforms[0], 6, ISAKMP_ATTR_GROUP_DESC, true, 14);
	ATF_CHECK_EQ(p->transforms[1].num, 2);
	ATF_CHECK_EQ(p->transforms[1].n_attrs, 6);
	check_attr(&p->transforms[1], 1, ISAKMP_ATTR_LIFE_DURATION, true,
	    28800);
	check_attr(&p->transforms[1], 2, ISAKMP_ATTR_ENC, true, 5);
	ATF_CHECK_EQ(msg.payloads[1].type, ISAKMP_PT_VID);
	ATF_CHECK(memcmp(msg.payloads[1].body, vid_rfc3947, 16) == 0);
	ATF_CHECK(memcmp(msg.payloads[2].body, vid_draft02n, 16) == 0);
	ATF_CHECK(memcmp(msg.payloads[3].body, vid_dpd, 16) == 0);
	ATF_CHECK_EQ(msg.payloads[3].len, 16);
	ATF_CHECK_EQ(msg.end, 180);
	ATF_CHECK_EQ(msg.padding, 0);
}

/* Builds QM1 with a zero HASH, then fills the HASH in place. */
ATF_TC_WITHOUT_HEAD(qm1_build);
ATF_TC_BODY(qm1_build, tc)
{
	struct isakmp_hdr h = { .exchange = ISAKMP_EXCH_QUICK,
	    .flags = ISAKMP_FLAG_E, .msgid = 0x9a2b3c4d };
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, &qm_prop, 1 };
	struct isakmp_id idci = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, idci_data,
	    8 };
	struct isakmp_id idcr = { ISAKMP_ID_IPV4_ADDR_SUBNET, 0, 0, idcr_data,
	    8 };
	struct isakmp_builder b;
	uint8_t nonce[16], ke[128], *hash;
	const uint8_t *out, *rest;
	size_t n = qm1_bytes(), len, i;

	for (i = 0; i < 16; i++)
		nonce[i] = (uint8_t)(0x10 + i);
	for (i = 0; i < 128; i++)
		ke[i] = (uint8_t)i;
	memcpy(h.icookie, icky, 8);
	memcpy(h.rcookie, rcky, 8);
	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_HASH, NULL, 20), 0);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, &sa), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, nonce, 16), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_KE, ke, 128), 0);
	ATF_REQUIRE_EQ(isakmp_add_id(&b, &idci), 0);
	ATF_REQUIRE_EQ(isakmp_add_id(&b, &idcr), 0);
	rest = isakmp_builder_after(&b, 0, &len);
	ATF_REQUIRE(rest != NULL);
	ATF_CHECK_EQ(len, 304 - 28 - 24);
	ATF_CHECK(memcmp(rest, expect + 52, len) == 0);
	hash = isakmp_builder_body(&b, 0, &len);
	ATF_REQUIRE(hash != NULL);
	ATF_REQUIRE_EQ(len, 20);
	for (i = 0; i < 20; i++)
		hash[i] = (uint8_t)(0xa0 + i);
	out = isakmp_builder_finish(&b, &len);
	ATF_REQUIRE(out != NULL);
	ATF_REQUIRE_EQ(len, n);
	ATF_CHECK_EQ(len, 304);
	ATF_CHECK(memcmp(out, expect, n) == 0);
	isakmp_builder_free(&b);
}

static void
check_qm1_sa(const struct isakmp_payload *p)
{
	const struct isakmp_proposal *pr;
	const struct isakmp_transform *t;

	ATF_REQUIRE_EQ(p->type, ISAKMP_PT_SA);
	ATF_REQUIRE_EQ(p->u.sa.n_proposals, 1);
	pr = &p->u.sa.proposals[0];
	ATF_CHECK_EQ(pr->protocol, ISAKMP_PROTO_ESP);
	ATF_REQUIRE_EQ(pr->spi_size, 4);
	ATF_CHECK(memcmp(pr->spi, qm_spi, 4) == 0);
	ATF_REQUIRE_EQ(pr->n_transforms, 1);
	t = &pr->transforms[0];
	ATF_CHECK_EQ(t->id, 12);
	ATF_REQUIRE_EQ(t->n_attrs, 8);
	check_attr(t, 1, IPSEC_ATTR_LIFE_DURATION, true, 3600);
	check_attr(t, 3, IPSEC_ATTR_LIFE_DURATION, false, 250000);
	check_attr(t, 4, IPSEC_ATTR_ENCAP_MODE, true, 1);
	check_attr(t, 7, IPSEC_ATTR_GROUP_DESC, true, 2);
}

ATF_TC_WITHOUT_HEAD(qm1_decode);
ATF_TC_BODY(qm1_decode, tc)
{
	static const uint8_t order[6] = { ISAKMP_PT_HASH, ISAKMP_PT_SA,
	    ISAKMP_PT_NONCE, ISAKMP_PT_KE, ISAKMP_PT_ID, ISAKMP_PT_ID };
	struct isakmp_error err;
	const struct isakmp_id *id;
	const uint8_t *rest;
	size_t n = qm1_bytes(), len;
	unsigned i;

	ATF_REQUIRE_EQ(isakmp_decode(expect, n, ISAKMP_DECODE_PADDED, &msg,
	    &err), 0);
	ATF_CHECK_EQ(msg.hdr.msgid, 0x9a2b3c4d);
	ATF_CHECK_EQ(msg.hdr.flags, ISAKMP_FLAG_E);
	ATF_CHECK(memcmp(msg.hdr.rcookie, rcky, 8) == 0);
	ATF_REQUIRE_EQ(msg.n_payloads, 6);
	for (i = 0; i < 6; i++)
		ATF_CHECK_EQ(msg.payloads[i].type, order[i]);
	ATF_CHECK_EQ(msg.payloads[0].len, 20);
	check_qm1_sa(&msg.payloads[1]);
	ATF_CHECK_EQ(msg.payloads[2].len, 16);
	ATF_CHECK_EQ(msg.payloads[3].len, 128);
	ATF_CHECK_EQ(msg.payloads[3].body[127], 127);
	id = &msg.payloads[4].u.id;
	ATF_CHECK_EQ(id->type, ISAKMP_ID_IPV4_ADDR_SUBNET);
	ATF_REQUIRE_EQ(id->len, 8);
	ATF_CHECK(memcmp(id->data, idci_data, 8) == 0);
	ATF_CHECK(memcmp(msg.payloads[5].u.id.data, idcr_data, 8) == 0);
	ATF_CHECK_EQ(msg.padding, 0);
	rest = isakmp_msg_after(&msg, 0, &len);
	ATF_CHECK(rest == expect + 52);
	ATF_CHECK_EQ(len, 252);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, mm1_build);
	ATF_TP_ADD_TC(tp, mm1_decode);
	ATF_TP_ADD_TC(tp, qm1_build);
	ATF_TP_ADD_TC(tp, qm1_decode);
	return atf_no_error();
}
