/*
 * ISAKMP attributes (RFC 2408 3.3): the TV/TLV choice of the builder at
 * its boundaries, reading values of 1 to 8 bytes, lookups, and specs from
 * decoded attributes that re-encode to the same bytes.
 */
#include <stdint.h>
#include <string.h>

#include <atf-c.h>

#include "ike/isakmp.h"
#include "testutil.h"

#define ATTRS_AT	56	/* first attribute of the first transform */

static struct isakmp_msg msg;
static uint8_t wire[4096];
static size_t wire_len;

/* One SA, one ISAKMP proposal, one transform carrying attrs; decoded. */
static const struct isakmp_transform *
build(const struct isakmp_attr_spec *attrs, size_t n)
{
	struct isakmp_transform_spec xf = { 1, ISAKMP_XF_KEY_IKE, attrs, n };
	struct isakmp_proposal_spec p = { 1, ISAKMP_PROTO_ISAKMP, NULL, 0,
	    &xf, 1 };
	struct isakmp_sa_spec sa = { ISAKMP_DOI_IPSEC,
	    ISAKMP_SIT_IDENTITY_ONLY, &p, 1 };
	struct isakmp_hdr h = { .exchange = ISAKMP_EXCH_IDPROT };
	struct isakmp_builder b;
	struct isakmp_error err;
	const uint8_t *out;

	ATF_REQUIRE_EQ(isakmp_builder_init(&b, &h), 0);
	ATF_REQUIRE_EQ(isakmp_add_sa(&b, &sa), 0);
	out = isakmp_builder_finish(&b, &wire_len);
	ATF_REQUIRE(out != NULL && wire_len <= sizeof(wire));
	memcpy(wire, out, wire_len);
	isakmp_builder_free(&b);
	ATF_REQUIRE_MSG(isakmp_decode(wire, wire_len, 0, &msg, &err) == 0,
	    "%s", err.reason);
	return &msg.payloads[0].u.sa.proposals[0].transforms[0];
}

/* The attribute bytes of the built transform equal hex. */
static void
check_bytes(const char *hex)
{
	uint8_t expect[256];
	int n = tu_hex_decode(hex, expect, sizeof(expect));

	ATF_REQUIRE(n >= 0);
	ATF_REQUIRE_EQ_MSG(wire_len - ATTRS_AT, (size_t)n, "%zu bytes",
	    wire_len - ATTRS_AT);
	ATF_CHECK(memcmp(wire + ATTRS_AT, expect, (size_t)n) == 0);
}

/* One integer attribute: its bytes, its form, its value read back. */
static void
check_int(enum isakmp_attr_form form, uint64_t value, const char *hex,
    bool tv)
{
	struct isakmp_attr_spec a = { .type = ISAKMP_ATTR_LIFE_DURATION,
	    .form = form, .value = value };
	const struct isakmp_transform *t = build(&a, 1);
	uint64_t v;

	check_bytes(hex);
	ATF_REQUIRE_EQ(t->n_attrs, 1);
	ATF_CHECK_EQ(t->attrs[0].type, ISAKMP_ATTR_LIFE_DURATION);
	ATF_CHECK_EQ(t->attrs[0].tv, tv);
	ATF_REQUIRE_EQ(isakmp_attr_uint(&t->attrs[0], &v), 0);
	ATF_CHECK_EQ(v, value);
}

ATF_TC_WITHOUT_HEAD(life_duration);
ATF_TC_BODY(life_duration, tc)
{
	check_int(ISAKMP_ATTR_INT, 28800, "800c 7080", true);
	check_int(ISAKMP_ATTR_INT, 86400, "000c 0004 00015180", false);
}

ATF_TC_WITHOUT_HEAD(tv_bounds);
ATF_TC_BODY(tv_bounds, tc)
{
	check_int(ISAKMP_ATTR_INT, 0, "800c 0000", true);
	check_int(ISAKMP_ATTR_INT, 0xffff, "800c ffff", true);
}

ATF_TC_WITHOUT_HEAD(tlv4_bounds);
ATF_TC_BODY(tlv4_bounds, tc)
{
	check_int(ISAKMP_ATTR_INT, 0x10000, "000c 0004 00010000", false);
	check_int(ISAKMP_ATTR_INT, 0xffffffff, "000c 0004 ffffffff", false);
}

ATF_TC_WITHOUT_HEAD(tlv8_bounds);
ATF_TC_BODY(tlv8_bounds, tc)
{
	check_int(ISAKMP_ATTR_INT, 0x100000000ULL,
	    "000c 0008 0000000100000000", false);
	check_int(ISAKMP_ATTR_INT, UINT64_MAX, "000c 0008 ffffffffffffffff",
	    false);
}

ATF_TC_WITHOUT_HEAD(variable_form);
ATF_TC_BODY(variable_form, tc)
{
	check_int(ISAKMP_ATTR_VARIABLE, 1, "000c 0004 00000001", false);
	check_int(ISAKMP_ATTR_VARIABLE, 0, "000c 0004 00000000", false);
	check_int(ISAKMP_ATTR_VARIABLE, 0x123456789aULL,
	    "000c 0008 000000123456789a", false);
}

ATF_TC_WITHOUT_HEAD(bytes_form);
ATF_TC_BODY(bytes_form, tc)
{
	static const uint8_t prime[3] = { 0xaa, 0xbb, 0xcc };
	struct isakmp_attr_spec a[2] = {
		{ .type = ISAKMP_ATTR_GROUP_PRIME, .form = ISAKMP_ATTR_BYTES,
		    .data = prime, .len = 3 },
		{ .type = ISAKMP_ATTR_GROUP_PRIME, .form = ISAKMP_ATTR_BYTES },
	};
	const struct isakmp_transform *t = build(a, 2);
	uint64_t v;

	check_bytes("0006 0003 aabbcc 0006 0000");
	ATF_REQUIRE_EQ(t->n_attrs, 2);
	ATF_CHECK_EQ(t->attrs[0].len, 3);
	ATF_REQUIRE_EQ(isakmp_attr_uint(&t->attrs[0], &v), 0);
	ATF_CHECK_EQ(v, 0xaabbcc);
	ATF_CHECK_EQ(t->attrs[1].len, 0);
	ATF_CHECK_EQ(isakmp_attr_uint(&t->attrs[1], &v), -1);
}

/* Values of every length 1..8 read as integers; 9 bytes does not. */
ATF_TC_WITHOUT_HEAD(uint_lengths);
ATF_TC_BODY(uint_lengths, tc)
{
	static const uint8_t bytes[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct isakmp_attr a = { 1, false, 0, bytes };
	uint64_t v, want = 0;
	unsigned n;

	for (n = 1; n <= 8; n++) {
		want = want << 8 | bytes[n - 1];
		a.len = (uint16_t)n;
		ATF_REQUIRE_EQ(isakmp_attr_uint(&a, &v), 0);
		ATF_CHECK_EQ_MSG(v, want, "%u bytes", n);
	}
	ATF_CHECK_EQ(v, 0x0102030405060708ULL);
	a.len = 9;
	v = 42;
	ATF_CHECK_EQ(isakmp_attr_uint(&a, &v), -1);
	ATF_CHECK_EQ(v, 42);
	a.len = 0;
	ATF_CHECK_EQ(isakmp_attr_uint(&a, &v), -1);
}

ATF_TC_WITHOUT_HEAD(find);
ATF_TC_BODY(find, tc)
{
	struct isakmp_attr_spec a[3] = {
		{ .type = ISAKMP_ATTR_ENC, .value = 7 },
		{ .type = ISAKMP_ATTR_KEY_LENGTH, .value = 256 },
		{ .type = ISAKMP_ATTR_KEY_LENGTH, .value = 128 },
	};
	const struct isakmp_transform *t = build(a, 3);
	const struct isakmp_attr *f;
	uint64_t v;

	f = isakmp_attr_find(t, ISAKMP_ATTR_KEY_LENGTH);
	ATF_REQUIRE(f == &t->attrs[1]);
	ATF_REQUIRE_EQ(isakmp_attr_uint(f, &v), 0);
	ATF_CHECK_EQ(v, 256);
	ATF_CHECK(isakmp_attr_find(t, ISAKMP_ATTR_HASH) == NULL);
}

/* A decoded TLV of 2 bytes stays TLV; TVs stay TV: same bytes again. */
ATF_TC_WITHOUT_HEAD(to_spec_same_bytes);
ATF_TC_BODY(to_spec_same_bytes, tc)
{
	static const uint8_t two[2] = { 0x70, 0x80 };
	struct isakmp_attr_spec in[2] = {
		{ .type = ISAKMP_ATTR_LIFE_DURATION, .form = ISAKMP_ATTR_BYTES,
		    .data = two, .len = 2 },
		{ .type = ISAKMP_ATTR_ENC, .value = 5 },
	};
	struct isakmp_attr_spec out[2];
	struct isakmp_transform_spec xf;
	uint8_t first[sizeof(wire)];
	size_t first_len;
	const struct isakmp_transform *t = build(in, 2);

	memcpy(first, wire, wire_len);
	first_len = wire_len;
	check_bytes("000c 0002 7080 8001 0005");
	ATF_CHECK_EQ(isakmp_transform_to_spec(t, out, 1, &xf), -1);
	ATF_REQUIRE_EQ(isakmp_transform_to_spec(t, out, 2, &xf), 0);
	ATF_CHECK_EQ(xf.num, 1);
	ATF_CHECK_EQ(xf.id, ISAKMP_XF_KEY_IKE);
	ATF_REQUIRE_EQ(xf.n_attrs, 2);
	ATF_CHECK_EQ(out[0].form, ISAKMP_ATTR_BYTES);
	ATF_CHECK_EQ(out[0].len, 2);
	ATF_CHECK_EQ(out[1].form, ISAKMP_ATTR_INT);
	ATF_CHECK_EQ(out[1].value, 5);
	/* out points into wire, which build() overwrites: copy the value */
	memcpy(in, out, sizeof(in));
	in[0].data = two;
	build(in, 2);
	ATF_REQUIRE_EQ(wire_len, first_len);
	ATF_CHECK(memcmp(wire, first, wire_len) == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, life_duration);
	ATF_TP_ADD_TC(tp, tv_bounds);
	ATF_TP_ADD_TC(tp, tlv4_bounds);
	ATF_TP_ADD_TC(tp, tlv8_bounds);
	ATF_TP_ADD_TC(tp, variable_form);
	ATF_TP_ADD_TC(tp, bytes_form);
	ATF_TP_ADD_TC(tp, uint_lengths);
	ATF_TP_ADD_TC(tp, find);
	ATF_TP_ADD_TC(tp, to_spec_same_bytes);
	return atf_no_error();
}
