/*
 * ISAKMP decoder: one test per validation rule (isakmp.h).  Each feeds a
 * hand-written message and checks the exact error code, the notify type
 * RFC 2408 prescribes, the offset of the offending field and a piece of
 * the reason.  Messages are decoded from a heap copy of exactly their
 * size, so a read past the end shows under ASan.
 *
 * Offsets used below: the header is 28 bytes, so a first payload's body
 * starts at 32; an SA's first proposal at 40, its first transform (no
 * SPI) at 48 and that transform's first attribute at 56.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "ike/isakmp.h"
#include "testutil.h"

/* A header: cookies, next (%02x), 1.0, main mode, no flags, M-ID 0. */
#define COOKIES		"0102030405060708 0000000000000000"

/* A valid ISAKMP transform and the proposal holding it. */
#define XF_IKE		"00 00 0010 01 01 0000 800b 0001 800c 7080"
#define PROP_IKE	"00 00 0018 01 01 00 01 " XF_IKE
#define SA_HEAD		"00000001 00000001"
#define ESP_XF		"00 00 0008 01 0c 0000"

static struct isakmp_msg msg;
static uint8_t work[16384];

/* Decode n bytes of work from a heap copy of exactly that size. */
static int
decode_copy(size_t n, unsigned flags, struct isakmp_error *err)
{
	uint8_t *copy = malloc(n > 0 ? n : 1);
	int rc;

	ATF_REQUIRE(copy != NULL);
	memcpy(copy, work, n);
	rc = isakmp_decode(copy, n, flags, &msg, err);
	free(copy);
	return rc;
}

/* A whole message in hex, header included. */
static int
decode_raw(const char *hex, unsigned flags, struct isakmp_error *err)
{
	int n = tu_hex_decode(hex, work, sizeof(work));

	ATF_REQUIRE_MSG(n >= 0, "bad hex in test");
	return decode_copy((size_t)n, flags, err);
}

/* A header naming first, then the payloads in hex; length computed. */
static int
decode_payloads(uint8_t first, const char *hex, struct isakmp_error *err)
{
	static const uint8_t hdr[ISAKMP_HDR_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8,
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, ISAKMP_EXCH_IDPROT };
	int n = tu_hex_decode(hex, work + ISAKMP_HDR_LEN,
	    sizeof(work) - ISAKMP_HDR_LEN);
	size_t len;

	ATF_REQUIRE_MSG(n >= 0, "bad hex in test");
	len = ISAKMP_HDR_LEN + (size_t)n;
	memcpy(work, hdr, sizeof(hdr));
	work[16] = first;
	work[26] = (uint8_t)(len >> 8);
	work[27] = (uint8_t)len;
	return decode_copy(len, 0, err);
}

/* One payload of this type with this body (generic header computed). */
static int
decode_one(uint8_t type, const char *body, struct isakmp_error *err)
{
	char hex[8192];
	size_t len = strlen(body), digits = 0, i;

	for (i = 0; i < len; i++)
		if (body[i] != ' ')
			digits++;
	ATF_REQUIRE(digits % 2 == 0);
	snprintf(hex, sizeof(hex), "00 00 %04zx %s", 4 + digits / 2, body);
	return decode_payloads(type, hex, err);
}

/* A built message (an SA too large to write by hand). */
static int
decode_built(struct isakmp_builder *b, struct isakmp_error *err)
{
	const uint8_t *out;
	size_t len;

	out = isakmp_builder_finish(b, &len);
	ATF_REQUIRE(out != NULL);
	ATF_REQUIRE(len <= sizeof(work));
	memcpy(work, out, len);
	isakmp_builder_free(b);
	return decode_copy(len, 0, err);
}

static void
check_reject(int rc, const struct isakmp_error *err,
    enum isakmp_errcode code, uint16_t notify, size_t offset,
    const char *reason)
{
	ATF_CHECK_EQ(rc, -1);
	ATF_CHECK_EQ_MSG(err->code, code, "got %s, expected %s (%s)",
	    isakmp_error_name(err->code), isakmp_error_name(code),
	    err->reason);
	ATF_CHECK_EQ_MSG(err->notify, notify, "notify %u", err->notify);
	ATF_CHECK_EQ_MSG(err->offset, offset, "offset %zu", err->offset);
	ATF_CHECK_MSG(strstr(err->reason, reason) != NULL,
	    "reason \"%s\" lacks \"%s\"", err->reason, reason);
}

/* ---- Header ---- */

ATF_TC_WITHOUT_HEAD(hdr_short);
ATF_TC_BODY(hdr_short, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 10 02 00 00000000 000000", 0,
	    &err), &err, ISAKMP_E_HDR_SHORT, ISAKMP_N_PAYLOAD_MALFORMED, 0,
	    "message of 27 bytes is shorter than the 28-byte header");
	check_reject(decode_raw("", 0, &err), &err, ISAKMP_E_HDR_SHORT,
	    ISAKMP_N_PAYLOAD_MALFORMED, 0, "message of 0 bytes");
}

ATF_TC_WITHOUT_HEAD(hdr_major);
ATF_TC_BODY(hdr_major, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 20 02 00 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_MAJOR, ISAKMP_N_INVALID_MAJOR_VERSION, 17,
	    "major version 2, only 1 is supported");
}

ATF_TC_WITHOUT_HEAD(hdr_minor);
ATF_TC_BODY(hdr_minor, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 12 02 00 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_MINOR, ISAKMP_N_INVALID_MINOR_VERSION, 17,
	    "minor version 2");
}

ATF_TC_WITHOUT_HEAD(hdr_exchange);
ATF_TC_BODY(hdr_exchange, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 10 07 00 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_EXCHANGE, ISAKMP_N_INVALID_EXCHANGE_TYPE,
	    18, "exchange type 7 is reserved");
	check_reject(decode_raw(COOKIES "00 10 00 00 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_EXCHANGE, ISAKMP_N_INVALID_EXCHANGE_TYPE,
	    18, "exchange type 0 is reserved");
	check_reject(decode_raw(COOKIES "00 10 ef 00 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_EXCHANGE, ISAKMP_N_INVALID_EXCHANGE_TYPE,
	    18, "exchange type 239 is reserved");
}

ATF_TC_WITHOUT_HEAD(hdr_flags);
ATF_TC_BODY(hdr_flags, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 10 02 0a 00000000 0000001c", 0,
	    &err), &err, ISAKMP_E_HDR_FLAGS, ISAKMP_N_INVALID_FLAGS, 19,
	    "flags 0x0a: unknown bits 0x08");
}

ATF_TC_WITHOUT_HEAD(hdr_truncated);
ATF_TC_BODY(hdr_truncated, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 10 02 00 00000000 0000001d", 0,
	    &err), &err, ISAKMP_E_HDR_TRUNCATED,
	    ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24,
	    "length field says 29 bytes, only 28 received");
}

ATF_TC_WITHOUT_HEAD(hdr_excess);
ATF_TC_BODY(hdr_excess, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "00 10 02 00 00000000 0000001c"
	    "00000000", 0, &err), &err, ISAKMP_E_HDR_EXCESS,
	    ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 24,
	    "length field says 28 bytes, 32 received");
}

ATF_TC_WITHOUT_HEAD(encrypted);
ATF_TC_BODY(encrypted, tc)
{
	struct isakmp_error err;

	check_reject(decode_raw(COOKIES "08 10 05 01 01020304 00000020"
	    "0badcafe", 0, &err), &err, ISAKMP_E_ENCRYPTED, 0, 19,
	    "encrypted body: decrypt it first");
}

/* ---- Payload chain ---- */

ATF_TC_WITHOUT_HEAD(pl_truncated);
ATF_TC_BODY(pl_truncated, tc)
{
	struct isakmp_error err;

	check_reject(decode_payloads(ISAKMP_PT_VID, "0000", &err), &err,
	    ISAKMP_E_PL_TRUNCATED, ISAKMP_N_PAYLOAD_MALFORMED, 28,
	    "VID payload at offset 28: 2 bytes left, its header needs 4");
	check_reject(decode_payloads(ISAKMP_PT_VID, "", &err), &err,
	    ISAKMP_E_PL_TRUNCATED, ISAKMP_N_PAYLOAD_MALFORMED, 28,
	    "0 bytes left");
}

ATF_TC_WITHOUT_HEAD(pl_length);
ATF_TC_BODY(pl_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_payloads(ISAKMP_PT_VID, "00 00 0003 00", &err),
	    &err, ISAKMP_E_PL_LENGTH, ISAKMP_N_PAYLOAD_MALFORMED, 30,
	    "VID payload at offset 28: length 3 is below 4");
}

ATF_TC_WITHOUT_HEAD(pl_overrun);
ATF_TC_BODY(pl_overrun, tc)
{
	struct isakmp_error err;

	check_reject(decode_payloads(ISAKMP_PT_VID, "0d 00 0014 "
	    "00112233445566778899aabbccddeeff 00 00 0015 00112233445566778899"
	    "aabbccddeeff", &err), &err, ISAKMP_E_PL_OVERRUN,
	    ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 50,
	    "VID payload at offset 48: length 21, 20 bytes left");
}

ATF_TC_WITHOUT_HEAD(pl_trailing);
ATF_TC_BODY(pl_trailing, tc)
{
	struct isakmp_error err;

	check_reject(decode_payloads(ISAKMP_PT_VID, "00 00 0008 01020304 "
	    "deadbeef", &err), &err, ISAKMP_E_PL_TRAILING,
	    ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 36,
	    "4 bytes after the last payload");
	check_reject(decode_payloads(ISAKMP_PT_NONE, "00000000", &err), &err,
	    ISAKMP_E_PL_TRAILING, ISAKMP_N_UNEQUAL_PAYLOAD_LENGTHS, 28,
	    "4 bytes after the last payload");
}

ATF_TC_WITHOUT_HEAD(pl_short);
ATF_TC_BODY(pl_short, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_N, "00000001 01 00 60", &err),
	    &err, ISAKMP_E_PL_SHORT, ISAKMP_N_PAYLOAD_MALFORMED, 30,
	    "N payload at offset 28: body of 7 bytes, at least 8 needed");
	check_reject(decode_one(ISAKMP_PT_SA, "00000001 000000", &err), &err,
	    ISAKMP_E_PL_SHORT, ISAKMP_N_PAYLOAD_MALFORMED, 30,
	    "SA payload at offset 28: body of 7 bytes");
	check_reject(decode_one(ISAKMP_PT_ID, "010000", &err), &err,
	    ISAKMP_E_PL_SHORT, ISAKMP_N_PAYLOAD_MALFORMED, 30,
	    "ID payload at offset 28: body of 3 bytes, at least 4 needed");
	check_reject(decode_one(ISAKMP_PT_CERT, "", &err), &err,
	    ISAKMP_E_PL_SHORT, ISAKMP_N_PAYLOAD_MALFORMED, 30,
	    "CERT payload at offset 28: body of 0 bytes, at least 1 needed");
}

ATF_TC_WITHOUT_HEAD(pl_type);
ATF_TC_BODY(pl_type, tc)
{
	struct isakmp_error err;

	check_reject(decode_payloads(ISAKMP_PT_PROPOSAL, PROP_IKE, &err),
	    &err, ISAKMP_E_PL_TYPE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 16,
	    "PROPOSAL payload outside an SA payload");
	check_reject(decode_payloads(ISAKMP_PT_VID, "03 00 0004 " XF_IKE,
	    &err), &err, ISAKMP_E_PL_TYPE, ISAKMP_N_INVALID_PAYLOAD_TYPE, 28,
	    "TRANSFORM payload outside an SA payload");
}

ATF_TC_WITHOUT_HEAD(pl_count);
ATF_TC_BODY(pl_count, tc)
{
	struct isakmp_error err;
	char hex[65 * 11 + 1] = "";
	int i;

	for (i = 0; i < 64; i++)
		strcat(hex, "0d 00 0004 ");
	strcat(hex, "00 00 0004");
	check_reject(decode_payloads(ISAKMP_PT_VID, hex, &err), &err,
	    ISAKMP_E_PL_COUNT, ISAKMP_N_PAYLOAD_MALFORMED, 28 + 64 * 4,
	    "more than 64 payloads");
}

/* ---- SA ---- */

ATF_TC_WITHOUT_HEAD(sa_doi);
ATF_TC_BODY(sa_doi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, "00000002 00000001 " PROP_IKE,
	    &err), &err, ISAKMP_E_SA_DOI, ISAKMP_N_DOI_NOT_SUPPORTED, 32,
	    "SA: DOI 2 not supported");
	check_reject(decode_one(ISAKMP_PT_SA, "00000000 00000001 " PROP_IKE,
	    &err), &err, ISAKMP_E_SA_DOI, ISAKMP_N_DOI_NOT_SUPPORTED, 32,
	    "SA: DOI 0 not supported");
}

ATF_TC_WITHOUT_HEAD(sa_situation);
ATF_TC_BODY(sa_situation, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, "00000001 00000002 " PROP_IKE,
	    &err), &err, ISAKMP_E_SA_SITUATION,
	    ISAKMP_N_SITUATION_NOT_SUPPORTED, 36,
	    "SA: situation 0x2 not supported");
}

ATF_TC_WITHOUT_HEAD(sa_empty);
ATF_TC_BODY(sa_empty, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD, &err), &err,
	    ISAKMP_E_SA_EMPTY, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40,
	    "SA without a proposal");
}

ATF_TC_WITHOUT_HEAD(prop_length);
ATF_TC_BODY(prop_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0008 01", &err),
	    &err, ISAKMP_E_PROP_LENGTH, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40,
	    "proposal header needs 8 bytes, 5 left in the SA");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0019 01 01 00 01 "
	    XF_IKE, &err), &err, ISAKMP_E_PROP_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 42,
	    "proposal 1: length 25 with a 0-byte SPI, 24 bytes left in the SA");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 000b 01 03 04 01 "
	    "c10000", &err), &err, ISAKMP_E_PROP_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 42,
	    "proposal 1: length 11 with a 4-byte SPI");
}

ATF_TC_WITHOUT_HEAD(prop_next);
ATF_TC_BODY(prop_next, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD PROP_IKE PROP_IKE, &err),
	    &err, ISAKMP_E_PROP_NEXT, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40,
	    "proposal 1: next payload 0 with 24 bytes following");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "02 00 0018 01 01 00 01 "
	    XF_IKE, &err), &err, ISAKMP_E_PROP_NEXT,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40,
	    "proposal 1: next payload 2 with 0 bytes following");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "03 00 0018 01 01 00 01 "
	    XF_IKE PROP_IKE, &err), &err, ISAKMP_E_PROP_NEXT,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40,
	    "proposal 1: next payload 3 with 24 bytes following");
}

ATF_TC_WITHOUT_HEAD(prop_order);
ATF_TC_BODY(prop_order, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "02 00 0018 02 01 00 01 "
	    XF_IKE PROP_IKE, &err), &err, ISAKMP_E_PROP_ORDER,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 40 + 24 + 4,
	    "proposal 1 follows proposal 2");
}

ATF_TC_WITHOUT_HEAD(prop_protocol);
ATF_TC_BODY(prop_protocol, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0018 01 05 00 01 "
	    XF_IKE, &err), &err, ISAKMP_E_PROP_PROTOCOL,
	    ISAKMP_N_INVALID_PROTOCOL_ID, 45, "proposal 1: unknown protocol 5");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0018 01 00 00 01 "
	    XF_IKE, &err), &err, ISAKMP_E_PROP_PROTOCOL,
	    ISAKMP_N_INVALID_PROTOCOL_ID, 45, "proposal 1: unknown protocol 0");
}

ATF_TC_WITHOUT_HEAD(prop_spi);
ATF_TC_BODY(prop_spi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0010 01 03 00 01 "
	    ESP_XF, &err), &err, ISAKMP_E_PROP_SPI, ISAKMP_N_INVALID_SPI, 46,
	    "proposal 1: SPI size 0 is wrong for ESP");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0020 01 01 08 01 "
	    "0102030405060708 " XF_IKE, &err), &err, ISAKMP_E_PROP_SPI,
	    ISAKMP_N_INVALID_SPI, 46,
	    "proposal 1: SPI size 8 is wrong for ISAKMP");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0013 01 04 03 01 "
	    "010203 " ESP_XF, &err), &err, ISAKMP_E_PROP_SPI,
	    ISAKMP_N_INVALID_SPI, 46, "SPI size 3 is wrong for IPCOMP");
}

ATF_TC_WITHOUT_HEAD(prop_count);
ATF_TC_BODY(prop_count, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0018 01 01 00 02 "
	    XF_IKE, &err), &err, ISAKMP_E_PROP_COUNT,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 47,
	    "proposal 1 announces 2 transforms and has 1");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0008 01 01 00 00",
	    &err), &err, ISAKMP_E_PROP_COUNT, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 47,
	    "proposal 1 announces 0 transforms and has 0");
}

/* ---- Transforms and attributes ---- */

ATF_TC_WITHOUT_HEAD(xf_length);
ATF_TC_BODY(xf_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0010 01 01 00 01 "
	    "00 00 0007 01 01 0000", &err), &err, ISAKMP_E_XF_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 50,
	    "proposal 1: transform length 7, 8 bytes left");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0010 01 01 00 01 "
	    "00 00 0009 01 01 0000", &err), &err, ISAKMP_E_XF_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 50,
	    "proposal 1: transform length 9, 8 bytes left");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 000c 01 01 00 01 "
	    "00 00 0008", &err), &err, ISAKMP_E_XF_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 48,
	    "proposal 1: transform header needs 8 bytes, 4 left");
}

ATF_TC_WITHOUT_HEAD(xf_next);
ATF_TC_BODY(xf_next, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0018 01 01 00 02 "
	    "00 00 0008 01 01 0000 00 00 0008 02 01 0000", &err), &err,
	    ISAKMP_E_XF_NEXT, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 48,
	    "proposal 1: transform next payload 0 with 8 bytes following");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0010 01 01 00 01 "
	    "03 00 0008 01 01 0000", &err), &err, ISAKMP_E_XF_NEXT,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 48,
	    "proposal 1: transform next payload 3 with 0 bytes following");
}

ATF_TC_WITHOUT_HEAD(xf_id);
ATF_TC_BODY(xf_id, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0010 01 01 00 01 "
	    "00 00 0008 01 02 0000", &err), &err, ISAKMP_E_XF_ID,
	    ISAKMP_N_INVALID_TRANSFORM_ID, 53,
	    "proposal 1: transform ID 2 is invalid for ISAKMP");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0014 01 03 04 01 "
	    "c1000001 00 00 0008 01 00 0000", &err), &err, ISAKMP_E_XF_ID,
	    ISAKMP_N_INVALID_TRANSFORM_ID, 57,
	    "proposal 1: transform ID 0 is invalid for ESP");
}

ATF_TC_WITHOUT_HEAD(attr_length);
ATF_TC_BODY(attr_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0018 01 01 00 01 "
	    "00 00 0010 01 01 0000 000c 0008 00015180", &err), &err,
	    ISAKMP_E_ATTR_LENGTH, ISAKMP_N_BAD_PROPOSAL_SYNTAX, 58,
	    "transform 1: attribute 12 of 8 bytes, 4 left");
	check_reject(decode_one(ISAKMP_PT_SA, SA_HEAD "00 00 0012 01 01 00 01 "
	    "00 00 000a 01 01 0000 800b", &err), &err, ISAKMP_E_ATTR_LENGTH,
	    ISAKMP_N_BAD_PROPOSAL_SYNTAX, 56,
	    "transform 1: attribute header needs 4 bytes, 2 left");
}

/* An SA payload of one ISAKMP proposal with n_attrs TV attributes. */
static void
build_attrs_sa(struct isakmp_builder *b, size_t n_xf, size_t n_attrs,
    size_t n_prop)
{
	static struct isakmp_attr_spec attrs[64];
	static struct isakmp_transform_spec xf[256];
	static struct isakmp_proposal_spec prop[80];
	struct isakmp_hdr h = { .exchange = ISAKMP_EXCH_IDPROT };
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, prop, n_prop };
	size_t i;

	ATF_REQUIRE(n_attrs <= 64 && n_xf <= 256 && n_prop <= 80);
	for (i = 0; i < n_attrs; i++)
		attrs[i] = (struct isakmp_attr_spec){ .type = 1,
		    .value = i };
	for (i = 0; i < n_xf; i++)
		xf[i] = (struct isakmp_transform_spec){ (uint8_t)(i + 1),
		    ISAKMP_XF_KEY_IKE, attrs, n_attrs };
	for (i = 0; i < n_prop; i++)
		prop[i] = (struct isakmp_proposal_spec){ (uint8_t)(i + 1),
		    ISAKMP_PROTO_ISAKMP, NULL, 0, xf, n_xf };
	memcpy(h.icookie, "\1\2\3\4\5\6\7\10", 8);
	ATF_REQUIRE_EQ(isakmp_builder_init(b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_sa(b, &sa), 0);
}

ATF_TC_WITHOUT_HEAD(attr_count);
ATF_TC_BODY(attr_count, tc)
{
	struct isakmp_builder b;
	struct isakmp_error err;

	build_attrs_sa(&b, 1, 32, 1);
	ATF_CHECK_EQ(decode_built(&b, &err), 0);
	build_attrs_sa(&b, 1, 33, 1);
	check_reject(decode_built(&b, &err), &err, ISAKMP_E_ATTR_COUNT,
	    ISAKMP_N_ATTRIBUTES_NOT_SUPPORTED, 56 + 32 * 4,
	    "transform 1 has more than 32 attributes");
}

ATF_TC_WITHOUT_HEAD(limit_proposals);
ATF_TC_BODY(limit_proposals, tc)
{
	struct isakmp_builder b;
	struct isakmp_error err;

	build_attrs_sa(&b, 1, 0, 64);
	ATF_CHECK_EQ(decode_built(&b, &err), 0);
	ATF_CHECK_EQ(msg.payloads[0].u.sa.n_proposals, 64);
	build_attrs_sa(&b, 1, 0, 65);
	check_reject(decode_built(&b, &err), &err, ISAKMP_E_LIMIT_PROPOSALS,
	    ISAKMP_N_PAYLOAD_MALFORMED, 40 + 64 * 16,
	    "more than 64 proposals in the message");
}

ATF_TC_WITHOUT_HEAD(limit_transforms);
ATF_TC_BODY(limit_transforms, tc)
{
	struct isakmp_builder b;
	struct isakmp_error err;

	build_attrs_sa(&b, 128, 0, 2);
	ATF_CHECK_EQ(decode_built(&b, &err), 0);
	ATF_CHECK_EQ(msg.n_transforms, 256);
	build_attrs_sa(&b, 86, 0, 3);
	/* transform 257 is the 85th (index 84) of the third proposal */
	check_reject(decode_built(&b, &err), &err, ISAKMP_E_LIMIT_TRANSFORMS,
	    ISAKMP_N_PAYLOAD_MALFORMED, 40 + 2 * (8 + 86 * 8) + 8 + 84 * 8,
	    "more than 256 transforms in the message");
}

ATF_TC_WITHOUT_HEAD(limit_attrs);
ATF_TC_BODY(limit_attrs, tc)
{
	struct isakmp_builder b;
	struct isakmp_error err;

	build_attrs_sa(&b, 64, 32, 1);
	ATF_CHECK_EQ(decode_built(&b, &err), 0);
	ATF_CHECK_EQ(msg.n_attrs, 2048);
	build_attrs_sa(&b, 65, 32, 1);
	check_reject(decode_built(&b, &err), &err, ISAKMP_E_LIMIT_ATTRS,
	    ISAKMP_N_PAYLOAD_MALFORMED, 48 + 64 * (8 + 32 * 4) + 8,
	    "more than 2048 attributes in the message");
}

/* ---- ID, N, D ---- */

ATF_TC_WITHOUT_HEAD(id_length);
ATF_TC_BODY(id_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_ID, "01 11 01f4 c000020100", &err),
	    &err, ISAKMP_E_ID_LENGTH, ISAKMP_N_INVALID_ID_INFORMATION, 36,
	    "IPV4_ADDR ID with 5 bytes of data, 4 expected");
	check_reject(decode_one(ISAKMP_PT_ID, "06 00 0000 "
	    "20010db8000000000000000000000000", &err), &err,
	    ISAKMP_E_ID_LENGTH, ISAKMP_N_INVALID_ID_INFORMATION, 36,
	    "IPV6_ADDR_SUBNET ID with 16 bytes of data, 32 expected");
}

ATF_TC_WITHOUT_HEAD(n_doi);
ATF_TC_BODY(n_doi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_N, "00000002 01 00 6002", &err),
	    &err, ISAKMP_E_N_DOI, ISAKMP_N_DOI_NOT_SUPPORTED, 32,
	    "notify INITIAL-CONTACT: DOI 2 not supported");
}

ATF_TC_WITHOUT_HEAD(n_spi);
ATF_TC_BODY(n_spi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_N, "00000001 01 10 8d28 "
	    "0102030405060708", &err), &err, ISAKMP_E_N_SPI,
	    ISAKMP_N_PAYLOAD_MALFORMED, 37,
	    "notify R-U-THERE: SPI of 16 bytes, 8 left in the payload");
}

ATF_TC_WITHOUT_HEAD(d_doi);
ATF_TC_BODY(d_doi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_D, "00000003 03 04 0001 c1000001",
	    &err), &err, ISAKMP_E_D_DOI, ISAKMP_N_DOI_NOT_SUPPORTED, 32,
	    "delete: DOI 3 not supported");
}

ATF_TC_WITHOUT_HEAD(d_protocol);
ATF_TC_BODY(d_protocol, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_D, "00000001 09 04 0001 c1000001",
	    &err), &err, ISAKMP_E_D_PROTOCOL, ISAKMP_N_INVALID_PROTOCOL_ID, 36,
	    "delete: unknown protocol 9");
}

ATF_TC_WITHOUT_HEAD(d_spi);
ATF_TC_BODY(d_spi, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_D, "00000001 03 08 0001 "
	    "c1000001c1000002", &err), &err, ISAKMP_E_D_SPI,
	    ISAKMP_N_INVALID_SPI, 37, "delete: SPI size 8 is wrong for ESP");
	check_reject(decode_one(ISAKMP_PT_D, "00000001 01 00 0001", &err),
	    &err, ISAKMP_E_D_SPI, ISAKMP_N_INVALID_SPI, 37,
	    "delete: SPI size 0 is wrong for ISAKMP");
}

ATF_TC_WITHOUT_HEAD(d_empty);
ATF_TC_BODY(d_empty, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_D, "00000001 03 04 0000", &err),
	    &err, ISAKMP_E_D_EMPTY, ISAKMP_N_PAYLOAD_MALFORMED, 38,
	    "delete: no SPI");
}

ATF_TC_WITHOUT_HEAD(d_length);
ATF_TC_BODY(d_length, tc)
{
	struct isakmp_error err;

	check_reject(decode_one(ISAKMP_PT_D, "00000001 03 04 0002 c1000001",
	    &err), &err, ISAKMP_E_D_LENGTH, ISAKMP_N_PAYLOAD_MALFORMED, 38,
	    "delete: 2 SPIs of 4 bytes in 4 bytes");
	check_reject(decode_one(ISAKMP_PT_D, "00000001 03 04 0001 c100000100",
	    &err), &err, ISAKMP_E_D_LENGTH, ISAKMP_N_PAYLOAD_MALFORMED, 38,
	    "delete: 1 SPIs of 4 bytes in 5 bytes");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, hdr_short);
	ATF_TP_ADD_TC(tp, hdr_major);
	ATF_TP_ADD_TC(tp, hdr_minor);
	ATF_TP_ADD_TC(tp, hdr_exchange);
	ATF_TP_ADD_TC(tp, hdr_flags);
	ATF_TP_ADD_TC(tp, hdr_truncated);
	ATF_TP_ADD_TC(tp, hdr_excess);
	ATF_TP_ADD_TC(tp, encrypted);
	ATF_TP_ADD_TC(tp, pl_truncated);
	ATF_TP_ADD_TC(tp, pl_length);
	ATF_TP_ADD_TC(tp, pl_overrun);
	ATF_TP_ADD_TC(tp, pl_trailing);
	ATF_TP_ADD_TC(tp, pl_short);
	ATF_TP_ADD_TC(tp, pl_type);
	ATF_TP_ADD_TC(tp, pl_count);
	ATF_TP_ADD_TC(tp, sa_doi);
	ATF_TP_ADD_TC(tp, sa_situation);
	ATF_TP_ADD_TC(tp, sa_empty);
	ATF_TP_ADD_TC(tp, prop_length);
	ATF_TP_ADD_TC(tp, prop_next);
	ATF_TP_ADD_TC(tp, prop_order);
	ATF_TP_ADD_TC(tp, prop_protocol);
	ATF_TP_ADD_TC(tp, prop_spi);
	ATF_TP_ADD_TC(tp, prop_count);
	ATF_TP_ADD_TC(tp, xf_length);
	ATF_TP_ADD_TC(tp, xf_next);
	ATF_TP_ADD_TC(tp, xf_id);
	ATF_TP_ADD_TC(tp, attr_length);
	ATF_TP_ADD_TC(tp, attr_count);
	ATF_TP_ADD_TC(tp, limit_proposals);
	ATF_TP_ADD_TC(tp, limit_transforms);
	ATF_TP_ADD_TC(tp, limit_attrs);
	ATF_TP_ADD_TC(tp, id_length);
	ATF_TP_ADD_TC(tp, n_doi);
	ATF_TP_ADD_TC(tp, n_spi);
	ATF_TP_ADD_TC(tp, d_doi);
	ATF_TP_ADD_TC(tp, d_protocol);
	ATF_TP_ADD_TC(tp, d_spi);
	ATF_TP_ADD_TC(tp, d_empty);
	ATF_TP_ADD_TC(tp, d_length);
	return atf_no_error();
}
