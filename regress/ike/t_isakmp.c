/*
 * ISAKMP codec: encode -> decode round trips for every payload type, the
 * opaque handling of payloads the core does not know, the payload cap,
 * padding after a decrypted body, the lookup helpers, builder errors and
 * the name tables.
 */
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "ike/isakmp.h"
#include "testutil.h"

static struct isakmp_msg msg;
static uint8_t wire[70000];

static const uint8_t icky[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t rcky[8] = { 9, 10, 11, 12, 13, 14, 15, 16 };
static const uint8_t blob[20] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6,
    7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void
start(struct isakmp_builder *b, uint8_t exchange)
{
	struct isakmp_hdr h = { .exchange = exchange, .msgid = 0x01020304 };

	memcpy(h.icookie, icky, 8);
	memcpy(h.rcookie, rcky, 8);
	ATF_REQUIRE_EQ(isakmp_builder_init(b, &h), 0);
}

/* Finish, copy into wire (kept for the views), decode, free the builder. */
static void
finish_decode(struct isakmp_builder *b, unsigned n_payloads)
{
	struct isakmp_error err;
	const uint8_t *out;
	size_t len;

	out = isakmp_builder_finish(b, &len);
	ATF_REQUIRE(out != NULL);
	ATF_REQUIRE(len <= sizeof(wire));
	memcpy(wire, out, len);
	isakmp_builder_free(b);
	ATF_REQUIRE_MSG(isakmp_decode(wire, len, 0, &msg, &err) == 0,
	    "%s: %s", isakmp_error_name(err.code), err.reason);
	ATF_CHECK_EQ(msg.hdr.length, len);
	ATF_CHECK_EQ(msg.hdr.major, 1);
	ATF_CHECK_EQ(msg.hdr.minor, 0);
	ATF_CHECK_EQ(msg.hdr.msgid, 0x01020304);
	ATF_CHECK(memcmp(msg.hdr.rcookie, rcky, 8) == 0);
	ATF_REQUIRE_EQ(msg.n_payloads, n_payloads);
}

/* A payload that is only data (KE, HASH, SIG, NONCE, VID, opaque). */
static void
round_trip_data(uint8_t type)
{
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, type, blob, sizeof(blob)), 0);
	finish_decode(&b, 1);
	ATF_CHECK_EQ(msg.hdr.next, type);
	ATF_CHECK_EQ(msg.payloads[0].type, type);
	ATF_CHECK_EQ(msg.payloads[0].offset, 28);
	ATF_REQUIRE_EQ(msg.payloads[0].len, sizeof(blob));
	ATF_CHECK(memcmp(msg.payloads[0].body, blob, sizeof(blob)) == 0);
	ATF_CHECK(msg.payloads[0].body == wire + 32);
}

ATF_TC_WITHOUT_HEAD(rt_ke);
ATF_TC_BODY(rt_ke, tc) { round_trip_data(ISAKMP_PT_KE); }
ATF_TC_WITHOUT_HEAD(rt_hash);
ATF_TC_BODY(rt_hash, tc) { round_trip_data(ISAKMP_PT_HASH); }
ATF_TC_WITHOUT_HEAD(rt_sig);
ATF_TC_BODY(rt_sig, tc) { round_trip_data(ISAKMP_PT_SIG); }
ATF_TC_WITHOUT_HEAD(rt_nonce);
ATF_TC_BODY(rt_nonce, tc) { round_trip_data(ISAKMP_PT_NONCE); }
ATF_TC_WITHOUT_HEAD(rt_vid);
ATF_TC_BODY(rt_vid, tc) { round_trip_data(ISAKMP_PT_VID); }

ATF_TC_WITHOUT_HEAD(rt_sa);
ATF_TC_BODY(rt_sa, tc)
{
	static const uint8_t spi_ah[4] = { 0xa0, 0, 0, 1 };
	static const uint8_t spi_esp[4] = { 0xe0, 0, 0, 2 };
	static const struct isakmp_attr_spec a[] = {
		{ .type = IPSEC_ATTR_ENCAP_MODE, .value = 1 },
		{ .type = IPSEC_ATTR_AUTH_ALG, .value = 2 },
	};
	static const struct isakmp_transform_spec ah = { 1, 3, a, 2 };
	static const struct isakmp_transform_spec esp[] = {
		{ 1, 12, a, 2 }, { 2, 3, a, 1 },
	};
	static const struct isakmp_proposal_spec p[] = {
		{ 1, ISAKMP_PROTO_AH, spi_ah, 4, &ah, 1 },
		{ 1, ISAKMP_PROTO_ESP, spi_esp, 4, esp, 2 },
	};
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, p, 2 };
	const struct isakmp_sa *v;
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_QUICK);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, &sa), 0);
	finish_decode(&b, 1);
	v = &msg.payloads[0].u.sa;
	ATF_REQUIRE_EQ(v->n_proposals, 2);
	ATF_CHECK_EQ(v->proposals[0].num, 1);
	ATF_CHECK_EQ(v->proposals[0].protocol, ISAKMP_PROTO_AH);
	ATF_CHECK(memcmp(v->proposals[0].spi, spi_ah, 4) == 0);
	ATF_CHECK_EQ(v->proposals[0].n_transforms, 1);
	ATF_CHECK_EQ(v->proposals[0].transforms[0].id, 3);
	ATF_CHECK_EQ(v->proposals[1].num, 1);
	ATF_CHECK(memcmp(v->proposals[1].spi, spi_esp, 4) == 0);
	ATF_REQUIRE_EQ(v->proposals[1].n_transforms, 2);
	ATF_CHECK_EQ(v->proposals[1].transforms[0].n_attrs, 2);
	ATF_CHECK_EQ(v->proposals[1].transforms[1].num, 2);
	ATF_CHECK_EQ(v->proposals[1].transforms[1].n_attrs, 1);
	ATF_CHECK_EQ(msg.n_proposals, 2);
	ATF_CHECK_EQ(msg.n_transforms, 3);
	ATF_CHECK_EQ(msg.n_attrs, 5);
}

ATF_TC_WITHOUT_HEAD(rt_id);
ATF_TC_BODY(rt_id, tc)
{
	static const uint8_t fqdn[] = "vpn.example.org";
	struct isakmp_id id = { ISAKMP_ID_FQDN, 17, 500, fqdn, 15 };
	const struct isakmp_id *v;
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_REQUIRE_EQ(isakmp_add_id(&b, &id), 0);
	finish_decode(&b, 1);
	v = &msg.payloads[0].u.id;
	ATF_CHECK_EQ(v->type, ISAKMP_ID_FQDN);
	ATF_CHECK_EQ(v->protocol, 17);
	ATF_CHECK_EQ(v->port, 500);
	ATF_REQUIRE_EQ(v->len, 15);
	ATF_CHECK(memcmp(v->data, fqdn, 15) == 0);
	ATF_CHECK_EQ(msg.payloads[0].len, 19);
	ATF_CHECK(memcmp(msg.payloads[0].body, "\x02\x11\x01\xf4vpn", 7) == 0);
}

static void
round_trip_cert(uint8_t type)
{
	struct isakmp_cert c = { 4, blob, sizeof(blob) };
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_REQUIRE_EQ(isakmp_add_cert(&b, type, &c), 0);
	finish_decode(&b, 1);
	ATF_CHECK_EQ(msg.payloads[0].type, type);
	ATF_CHECK_EQ(msg.payloads[0].u.cert.encoding, 4);
	ATF_REQUIRE_EQ(msg.payloads[0].u.cert.len, sizeof(blob));
	ATF_CHECK(memcmp(msg.payloads[0].u.cert.data, blob, sizeof(blob)) == 0);
}

ATF_TC_WITHOUT_HEAD(rt_cert);
ATF_TC_BODY(rt_cert, tc) { round_trip_cert(ISAKMP_PT_CERT); }
ATF_TC_WITHOUT_HEAD(rt_cr);
ATF_TC_BODY(rt_cr, tc) { round_trip_cert(ISAKMP_PT_CR); }

/* DPD R-U-THERE: ISAKMP, SPI = the cookies, data = sequence number. */
ATF_TC_WITHOUT_HEAD(rt_notify);
ATF_TC_BODY(rt_notify, tc)
{
	static const uint8_t seq[4] = { 0, 0, 0x12, 0x34 };
	uint8_t spi[16];
	struct isakmp_notify n = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ISAKMP, 16,
	    ISAKMP_N_DPD_R_U_THERE, spi, seq, 4 };
	const struct isakmp_notify *v;
	struct isakmp_builder b;

	memcpy(spi, icky, 8);
	memcpy(spi + 8, rcky, 8);
	start(&b, ISAKMP_EXCH_INFO);
	ATF_REQUIRE_EQ(isakmp_add_notify(&b, &n), 0);
	finish_decode(&b, 1);
	v = &msg.payloads[0].u.notify;
	ATF_CHECK_EQ(v->doi, ISAKMP_DOI_IPSEC);
	ATF_CHECK_EQ(v->protocol, ISAKMP_PROTO_ISAKMP);
	ATF_CHECK_EQ(v->type, 36136);
	ATF_REQUIRE_EQ(v->spi_size, 16);
	ATF_CHECK(memcmp(v->spi, spi, 16) == 0);
	ATF_REQUIRE_EQ(v->data_len, 4);
	ATF_CHECK(memcmp(v->data, seq, 4) == 0);
	ATF_CHECK_EQ(msg.payloads[0].len, 28);
}

ATF_TC_WITHOUT_HEAD(rt_notify_no_spi);
ATF_TC_BODY(rt_notify_no_spi, tc)
{
	struct isakmp_notify n = { ISAKMP_DOI_ISAKMP, 0, 0,
	    ISAKMP_N_NO_PROPOSAL_CHOSEN, NULL, NULL, 0 };
	const struct isakmp_notify *v;
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_INFO);
	ATF_REQUIRE_EQ(isakmp_add_notify(&b, &n), 0);
	finish_decode(&b, 1);
	v = &msg.payloads[0].u.notify;
	ATF_CHECK_EQ(v->doi, 0);
	ATF_CHECK_EQ(v->type, ISAKMP_N_NO_PROPOSAL_CHOSEN);
	ATF_CHECK(v->spi == NULL);
	ATF_CHECK_EQ(v->data_len, 0);
	ATF_CHECK_EQ(msg.payloads[0].len, 8);
}

ATF_TC_WITHOUT_HEAD(rt_delete);
ATF_TC_BODY(rt_delete, tc)
{
	static const uint8_t spis[12] = { 0xc1, 0, 0, 1, 0xc1, 0, 0, 2, 0xc1,
	    0, 0, 3 };
	struct isakmp_delete d = { ISAKMP_DOI_IPSEC, ISAKMP_PROTO_ESP, 4, 3,
	    spis };
	const struct isakmp_delete *v;
	struct isakmp_builder b;

	start(&b, ISAKMP_EXCH_INFO);
	ATF_REQUIRE_EQ(isakmp_add_delete(&b, &d), 0);
	finish_decode(&b, 1);
	v = &msg.payloads[0].u.del;
	ATF_CHECK_EQ(v->protocol, ISAKMP_PROTO_ESP);
	ATF_CHECK_EQ(v->spi_size, 4);
	ATF_REQUIRE_EQ(v->count, 3);
	ATF_CHECK(memcmp(isakmp_delete_spi(v, 0), spis, 4) == 0);
	ATF_CHECK(memcmp(isakmp_delete_spi(v, 2), spis + 8, 4) == 0);
	ATF_CHECK(isakmp_delete_spi(v, 3) == NULL);
}

ATF_TC_WITHOUT_HEAD(rt_natd);
ATF_TC_BODY(rt_natd, tc) { round_trip_data(ISAKMP_PT_NATD); }
ATF_TC_WITHOUT_HEAD(rt_natd_draft);
ATF_TC_BODY(rt_natd_draft, tc) { round_trip_data(ISAKMP_PT_NATD_DRAFT); }
ATF_TC_WITHOUT_HEAD(rt_natoa);
ATF_TC_BODY(rt_natoa, tc) { round_trip_data(ISAKMP_PT_NATOA); }
ATF_TC_WITHOUT_HEAD(rt_natoa_draft);
ATF_TC_BODY(rt_natoa_draft, tc) { round_trip_data(ISAKMP_PT_NATOA_DRAFT); }

/* Unknown and private types stay (type, body), whatever the body holds. */
ATF_TC_WITHOUT_HEAD(unknown_opaque);
ATF_TC_BODY(unknown_opaque, tc)
{
	static const uint8_t odd[3] = { 0xff, 0x00, 0x7f };
	struct isakmp_builder b;
	unsigned i;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, 77, odd, 3), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_FRAG, NULL, 0), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, 255, blob, 8), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_ATTR, odd, 1), 0);
	finish_decode(&b, 4);
	ATF_CHECK_EQ(msg.payloads[0].type, 77);
	ATF_REQUIRE_EQ(msg.payloads[0].len, 3);
	ATF_CHECK(memcmp(msg.payloads[0].body, odd, 3) == 0);
	ATF_CHECK_EQ(msg.payloads[1].type, ISAKMP_PT_FRAG);
	ATF_CHECK_EQ(msg.payloads[1].len, 0);
	ATF_CHECK_EQ(msg.payloads[2].type, 255);
	ATF_CHECK_EQ(msg.payloads[2].offset, 28 + 7 + 4);
	ATF_CHECK_EQ(msg.payloads[3].type, ISAKMP_PT_ATTR);
	for (i = 0; i < 4; i++) {
		const uint8_t *z = (const uint8_t *)&msg.payloads[i].u;
		size_t j;

		for (j = 0; j < sizeof(msg.payloads[i].u); j++)
			ATF_CHECK_EQ_MSG(z[j], 0, "view of payload %u set", i);
	}
}

/* Every payload type in one message, in order, chained. */
ATF_TC_WITHOUT_HEAD(rt_all_types);
ATF_TC_BODY(rt_all_types, tc)
{
	static const uint8_t order[] = { ISAKMP_PT_HASH, ISAKMP_PT_KE,
	    ISAKMP_PT_ID, ISAKMP_PT_CERT, ISAKMP_PT_CR, ISAKMP_PT_SIG,
	    ISAKMP_PT_NONCE, ISAKMP_PT_N, ISAKMP_PT_D, ISAKMP_PT_VID,
	    ISAKMP_PT_NATD, ISAKMP_PT_NATOA };
	static const uint8_t addr[4] = { 192, 0, 2, 1 };
	static const uint8_t spi[4] = { 0xc1, 0, 0, 9 };
	struct isakmp_id id = { ISAKMP_ID_IPV4_ADDR, 0, 0, addr, 4 };
	struct isakmp_cert c = { 4, blob, 5 };
	struct isakmp_notify n = { 1, 3, 4, ISAKMP_N_RESPONDER_LIFETIME, spi,
	    blob, 8 };
	struct isakmp_delete d = { 1, 3, 4, 1, spi };
	struct isakmp_builder b;
	unsigned i;

	start(&b, ISAKMP_EXCH_INFO);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_HASH, blob, 20), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_KE, blob, 16), 0);
	ATF_REQUIRE_EQ(isakmp_add_id(&b, &id), 0);
	ATF_REQUIRE_EQ(isakmp_add_cert(&b, ISAKMP_PT_CERT, &c), 0);
	ATF_REQUIRE_EQ(isakmp_add_cert(&b, ISAKMP_PT_CR, &c), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_SIG, blob, 12), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NONCE, blob, 16), 0);
	ATF_REQUIRE_EQ(isakmp_add_notify(&b, &n), 0);
	ATF_REQUIRE_EQ(isakmp_add_delete(&b, &d), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, blob, 16), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NATD, blob, 20), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NATOA, blob, 8), 0);
	finish_decode(&b, 12);
	for (i = 0; i < 12; i++)
		ATF_CHECK_EQ(msg.payloads[i].type, order[i]);
	ATF_CHECK_EQ(msg.payloads[2].u.id.len, 4);
	ATF_CHECK_EQ(msg.payloads[7].u.notify.data_len, 8);
	ATF_CHECK_EQ(msg.payloads[8].u.del.count, 1);
	ATF_CHECK_EQ(msg.end, msg.raw_len);
}

/* 64 payloads decode; the 65th is refused (t_isakmp_reject:pl_count). */
ATF_TC_WITHOUT_HEAD(payload_cap);
ATF_TC_BODY(payload_cap, tc)
{
	struct isakmp_builder b;
	int i;

	start(&b, ISAKMP_EXCH_IDPROT);
	for (i = 0; i < ISAKMP_MAX_PAYLOADS; i++)
		ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, blob, 1),
		    0);
	finish_decode(&b, ISAKMP_MAX_PAYLOADS);
	start(&b, ISAKMP_EXCH_IDPROT);
	for (i = 0; i < ISAKMP_MAX_PAYLOADS; i++)
		ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, NULL, 0),
		    0);
	ATF_CHECK_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, NULL, 0), -1);
	ATF_CHECK_EQ(b.err.code, ISAKMP_E_BUILD_COUNT);
	isakmp_builder_free(&b);
}

/* A decrypted body: bytes after the last payload are padding. */
ATF_TC_WITHOUT_HEAD(padding);
ATF_TC_BODY(padding, tc)
{
	struct isakmp_error err;
	int n;

	/* header (E flag, length 47), VID of 4 bytes, 11 bytes of padding */
	n = tu_hex_decode("0102030405060708 090a0b0c0d0e0f10 0d 10 05 01 "
	    "01020304 0000002f 00 00 0008 aabbccdd 00000000 00000000 000007",
	    wire, sizeof(wire));
	ATF_REQUIRE_EQ(n, 47);
	ATF_REQUIRE_EQ(isakmp_decode(wire, 47, ISAKMP_DECODE_PADDED, &msg,
	    &err), 0);
	ATF_REQUIRE_EQ(msg.n_payloads, 1);
	ATF_CHECK_EQ(msg.payloads[0].len, 4);
	ATF_CHECK_EQ(msg.end, 36);
	ATF_CHECK_EQ(msg.padding, 11);
	/* the same without the E flag: padding is allowed only by flag */
	wire[19] = 0;
	ATF_REQUIRE_EQ(isakmp_decode(wire, 47, 0, &msg, &err), -1);
	ATF_CHECK_EQ(err.code, ISAKMP_E_PL_TRAILING);
	ATF_REQUIRE_EQ(isakmp_decode(wire, 47, ISAKMP_DECODE_PADDED, &msg,
	    &err), 0);
	ATF_CHECK_EQ(msg.padding, 11);
}

/* What the header rules let through. */
ATF_TC_WITHOUT_HEAD(header_accepts);
ATF_TC_BODY(header_accepts, tc)
{
	static const char *ok[] = {
		"11 02 00",	/* minor version 1 (pre-RFC drafts) */
		"10 f3 00",	/* private exchange 243 (AuthIP) */
		"10 01 06",	/* commit and authentication-only flags */
		"10 21 00",	/* new group mode */
		"10 06 00",	/* transaction */
	};
	struct isakmp_hdr h;
	struct isakmp_error err;
	char hex[128];
	size_t i;
	int n;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(hex, sizeof(hex), "%s %s 00 %s 00000000 0000001c",
		    "0102030405060708", "0000000000000000", ok[i]);
		n = tu_hex_decode(hex, wire, sizeof(wire));
		ATF_REQUIRE_EQ(n, 28);
		ATF_CHECK_EQ_MSG(isakmp_decode(wire, 28, 0, &msg, &err), 0,
		    "%s: %s", ok[i], err.reason);
		ATF_CHECK_EQ(isakmp_hdr_decode(wire, 28, &h, &err), 0);
	}
	ATF_CHECK_EQ(h.exchange, ISAKMP_EXCH_TRANSACTION);
	ATF_CHECK_EQ(msg.n_payloads, 0);
}

ATF_TC_WITHOUT_HEAD(hdr_encode);
ATF_TC_BODY(hdr_encode, tc)
{
	struct isakmp_hdr h = { .next = 8, .major = 1, .minor = 0,
	    .exchange = 32, .flags = 1, .msgid = 0xdeadbeef, .length = 76 };
	uint8_t out[28], expect[28];

	memcpy(h.icookie, icky, 8);
	memcpy(h.rcookie, rcky, 8);
	ATF_REQUIRE_EQ(tu_hex_decode("0102030405060708 090a0b0c0d0e0f10 "
	    "08 10 20 01 deadbeef 0000004c", expect, sizeof(expect)), 28);
	isakmp_hdr_encode(&h, out);
	ATF_CHECK(memcmp(out, expect, 28) == 0);
}

ATF_TC_WITHOUT_HEAD(find_count_after);
ATF_TC_BODY(find_count_after, tc)
{
	const struct isakmp_payload *p;
	const uint8_t *rest;
	struct isakmp_builder b;
	size_t len;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, blob, 4), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NATD, blob, 20), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, blob, 8), 0);
	ATF_REQUIRE_EQ(isakmp_add_payload(&b, ISAKMP_PT_NATD, blob, 20), 0);
	finish_decode(&b, 4);
	ATF_CHECK_EQ(isakmp_msg_count(&msg, ISAKMP_PT_VID), 2);
	ATF_CHECK_EQ(isakmp_msg_count(&msg, ISAKMP_PT_NATD), 2);
	ATF_CHECK_EQ(isakmp_msg_count(&msg, ISAKMP_PT_SA), 0);
	p = isakmp_msg_find(&msg, ISAKMP_PT_NATD, NULL);
	ATF_CHECK(p == &msg.payloads[1]);
	p = isakmp_msg_find(&msg, ISAKMP_PT_NATD, p);
	ATF_CHECK(p == &msg.payloads[3]);
	ATF_CHECK(isakmp_msg_find(&msg, ISAKMP_PT_NATD, p) == NULL);
	ATF_CHECK(isakmp_msg_find(&msg, ISAKMP_PT_SA, NULL) == NULL);
	rest = isakmp_msg_after(&msg, 1, &len);
	ATF_CHECK(rest == wire + 28 + 8 + 24);
	ATF_CHECK_EQ(len, 12 + 24);
	ATF_CHECK(isakmp_msg_after(&msg, 3, &len) == NULL);
	ATF_CHECK_EQ(len, 0);
	ATF_CHECK(isakmp_msg_after(&msg, 9, &len) == NULL);
}

ATF_TC_WITHOUT_HEAD(build_errors);
ATF_TC_BODY(build_errors, tc)
{
	static uint8_t big[ISAKMP_MAX_MSG];
	struct isakmp_attr_spec bad_attr = { .type = 0x8001, .value = 1 };
	struct isakmp_transform_spec xf = { 1, 1, &bad_attr, 1 };
	struct isakmp_proposal_spec p = { 1, 1, NULL, 0, &xf, 1 };
	struct isakmp_sa_spec sa = { 1, 1, &p, 1 };
	struct isakmp_cert c = { 4, blob, 4 };
	struct isakmp_builder b;
	size_t len;

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_CHECK_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, big,
	    ISAKMP_MAX_MSG - 28 - 4 + 1), -1);
	ATF_CHECK_EQ(b.err.code, ISAKMP_E_BUILD_TOO_BIG);
	ATF_CHECK(strstr(b.err.reason, "exceed 65535") != NULL);
	/* sticky: later adds fail, finish gives nothing, first error kept */
	ATF_CHECK_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, blob, 4), -1);
	ATF_CHECK(isakmp_builder_finish(&b, &len) == NULL);
	ATF_CHECK_EQ(len, 0);
	ATF_CHECK_EQ(b.err.code, ISAKMP_E_BUILD_TOO_BIG);
	isakmp_builder_free(&b);

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_CHECK_EQ(isakmp_add_payload(&b, ISAKMP_PT_VID, big,
	    ISAKMP_MAX_MSG - 28 - 4), 0);
	ATF_CHECK(isakmp_builder_finish(&b, &len) != NULL);
	ATF_CHECK_EQ(len, ISAKMP_MAX_MSG);
	isakmp_builder_free(&b);

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_CHECK_EQ(isakmp_add_sa(&b, &sa), -1);
	ATF_CHECK_EQ(b.err.code, ISAKMP_E_BUILD_VALUE);
	ATF_CHECK_EQ(b.err.notify, 0);
	isakmp_builder_free(&b);

	start(&b, ISAKMP_EXCH_IDPROT);
	ATF_CHECK_EQ(isakmp_add_cert(&b, ISAKMP_PT_VID, &c), -1);
	ATF_CHECK_EQ(b.err.code, ISAKMP_E_BUILD_VALUE);
	isakmp_builder_free(&b);

	start(&b, ISAKMP_EXCH_IDPROT);
	p.spi_size = 256;
	bad_attr.type = 1;
	ATF_CHECK_EQ(isakmp_add_sa(&b, &sa), -1);
	ATF_CHECK(strstr(b.err.reason, "above 255") != NULL);
	isakmp_builder_free(&b);
}

ATF_TC_WITHOUT_HEAD(builder_version);
ATF_TC_BODY(builder_version, tc)
{
	struct isakmp_hdr h = { .major = 1, .minor = 1, .exchange = 2 };
	struct isakmp_builder b;
	const uint8_t *out;
	size_t len;

	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	out = isakmp_builder_finish(&b, &len);
	ATF_REQUIRE(out != NULL);
	ATF_CHECK_EQ(len, 28);
	ATF_CHECK_EQ(out[17], 0x11);
	ATF_CHECK_EQ(out[16], 0);
	ATF_CHECK_EQ(out[27], 28);
	isakmp_builder_free(&b);
}

ATF_TC_WITHOUT_HEAD(names);
ATF_TC_BODY(names, tc)
{
	ATF_CHECK_STREQ(isakmp_payload_name(ISAKMP_PT_SA), "SA");
	ATF_CHECK_STREQ(isakmp_payload_name(ISAKMP_PT_NATD_DRAFT),
	    "NAT-D-DRAFT");
	ATF_CHECK_STREQ(isakmp_payload_name(ISAKMP_PT_NATOA), "NAT-OA");
	ATF_CHECK_STREQ(isakmp_payload_name(99), "unknown");
	ATF_CHECK_STREQ(isakmp_exchange_name(ISAKMP_EXCH_IDPROT),
	    "IDENTITY-PROTECTION");
	ATF_CHECK_STREQ(isakmp_exchange_name(ISAKMP_EXCH_QUICK), "QUICK");
	ATF_CHECK_STREQ(isakmp_exchange_name(244), "PRIVATE");
	ATF_CHECK_STREQ(isakmp_exchange_name(7), "unknown");
	ATF_CHECK_STREQ(isakmp_notify_name(14), "NO-PROPOSAL-CHOSEN");
	ATF_CHECK_STREQ(isakmp_notify_name(30), "UNEQUAL-PAYLOAD-LENGTHS");
	ATF_CHECK_STREQ(isakmp_notify_name(24578), "INITIAL-CONTACT");
	ATF_CHECK_STREQ(isakmp_notify_name(36137), "R-U-THERE-ACK");
	ATF_CHECK_STREQ(isakmp_notify_name(31), "unknown");
	ATF_CHECK_STREQ(isakmp_id_type_name(ISAKMP_ID_USER_FQDN),
	    "USER_FQDN");
	ATF_CHECK_STREQ(isakmp_protocol_name(ISAKMP_PROTO_ESP), "ESP");
	ATF_CHECK_STREQ(isakmp_protocol_name(0), "unknown");
	ATF_CHECK_STREQ(isakmp_error_name(ISAKMP_E_PROP_SPI), "PROP_SPI");
	ATF_CHECK_STREQ(isakmp_error_name(ISAKMP_E_MAX), "unknown");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rt_sa);
	ATF_TP_ADD_TC(tp, rt_ke);
	ATF_TP_ADD_TC(tp, rt_id);
	ATF_TP_ADD_TC(tp, rt_cert);
	ATF_TP_ADD_TC(tp, rt_cr);
	ATF_TP_ADD_TC(tp, rt_hash);
	ATF_TP_ADD_TC(tp, rt_sig);
	ATF_TP_ADD_TC(tp, rt_nonce);
	ATF_TP_ADD_TC(tp, rt_notify);
	ATF_TP_ADD_TC(tp, rt_notify_no_spi);
	ATF_TP_ADD_TC(tp, rt_delete);
	ATF_TP_ADD_TC(tp, rt_vid);
	ATF_TP_ADD_TC(tp, rt_natd);
	ATF_TP_ADD_TC(tp, rt_natd_draft);
	ATF_TP_ADD_TC(tp, rt_natoa);
	ATF_TP_ADD_TC(tp, rt_natoa_draft);
	ATF_TP_ADD_TC(tp, rt_all_types);
	ATF_TP_ADD_TC(tp, unknown_opaque);
	ATF_TP_ADD_TC(tp, payload_cap);
	ATF_TP_ADD_TC(tp, padding);
	ATF_TP_ADD_TC(tp, header_accepts);
	ATF_TP_ADD_TC(tp, hdr_encode);
	ATF_TP_ADD_TC(tp, find_count_after);
	ATF_TP_ADD_TC(tp, build_errors);
	ATF_TP_ADD_TC(tp, builder_version);
	ATF_TP_ADD_TC(tp, names);
	return atf_no_error();
}
