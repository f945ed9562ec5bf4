/*
 * libpfkey encoder: what it refuses.  Each test checks the exact errno,
 * a piece of the reason, and that a failed encode leaves no length and no
 * key bytes behind.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"

#define FB	(&pfkey_dialect_freebsd)
#define LX	(&pfkey_dialect_linux)

static uint8_t buf[PFKEY_BUFSIZE];

static void
set_addr(struct pfkey_msg *m, struct pfkey_addr *a, unsigned ext,
    const char *text)
{
	ATF_REQUIRE(pfkey_addr_parse(a, text) == 0);
	PFKEY_SET(m, ext);
}

/* An ADD with SA, addresses and an auth key, valid in both dialects. */
static void
build_add(struct pfkey_msg *m)
{
	pfkey_msg_init(m, PFKEY_ADD, PFKEY_SATYPE_ESP, 1, 4242);
	m->sa.spi = 0x1000;
	PFKEY_SET(m, PFKEY_EXT_SA);
	set_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.1");
	set_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "192.0.2.2");
	m->key_auth.bits = 256;
	memset(m->key_auth.data, 0xa5, 32);
	PFKEY_SET(m, PFKEY_EXT_KEY_AUTH);
}

static void
build_spdadd(struct pfkey_msg *m)
{
	pfkey_msg_init(m, PFKEY_X_SPDADD, PFKEY_SATYPE_UNSPEC, 1, 4242);
	set_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.0/24");
	set_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "198.51.100.0/24");
	m->policy.type = PFKEY_POLICY_IPSEC;
	m->policy.dir = PFKEY_DIR_OUTBOUND;
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
}

static void
add_request(struct pfkey_msg *m, uint32_t reqid)
{
	struct pfkey_ipsecrequest *r = &m->policy.req[m->policy.nreq++];

	r->proto = IPPROTO_ESP;
	r->mode = PFKEY_MODE_TRANSPORT;
	r->level = PFKEY_LEVEL_REQUIRE;
	r->reqid = reqid;
}

static void
refuse(const struct pfkey_msg *m, const struct pfkey_dialect *d, int code,
    const char *reason)
{
	struct pfkey_error err;
	size_t n = 12345, i;
	int rc;

	memset(buf, 0xee, sizeof(buf));
	rc = pfkey_msg_encode(m, d, buf, sizeof(buf), &n, &err);
	ATF_CHECK_EQ_MSG(rc, code, "%s: rc %d (%s), want %d",
	    pfkey_dialect_name(d), rc, err.reason, code);
	ATF_CHECK_EQ(err.code, code);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_MSG(strstr(err.reason, reason) != NULL,
	    "reason \"%s\" lacks \"%s\"", err.reason, reason);
	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] == 0xa5)
			break;
	ATF_CHECK_MSG(i == sizeof(buf), "key byte left at offset %zu", i);
}

static void
encodes_to(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    size_t want)
{
	struct pfkey_error err;
	size_t n;

	ATF_CHECK_EQ_MSG(pfkey_msg_encode(m, d, buf, sizeof(buf), &n, &err),
	    0, "%s: %s", pfkey_dialect_name(d), err.reason);
	ATF_CHECK_EQ(n, want);
}

ATF_TC_WITHOUT_HEAD(linux_cannot_carry);
ATF_TC_BODY(linux_cannot_carry, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_add(&m);
	set_addr(&m, &m.natt_oar, PFKEY_EXT_X_NAT_T_OAR, "192.0.2.9");
	refuse(&m, LX, EINVAL,
	    "extension 24 (x_nat_t_oar): the linux dialect cannot carry it");
	encodes_to(&m, FB, 16 + 16 + 24 + 24 + 40 + 24);

	build_add(&m);
	m.sa_replay = 4096;
	PFKEY_SET(&m, PFKEY_EXT_X_SA_REPLAY);
	refuse(&m, LX, EINVAL,
	    "extension 26 (x_sa_replay): the linux dialect cannot carry it");

	build_add(&m);
	m.natt_frag = 1200;
	PFKEY_SET(&m, PFKEY_EXT_X_NAT_T_FRAG);
	refuse(&m, LX, EINVAL, "extension 25 (x_nat_t_frag): the linux");

	build_add(&m);
	m.type = PFKEY_UPDATE;
	set_addr(&m, &m.new_addr_dst, PFKEY_EXT_X_NEW_ADDRESS_DST,
	    "192.0.2.9");
	refuse(&m, LX, EINVAL, "extension 28 (x_new_address_dst): the linux");
}

ATF_TC_WITHOUT_HEAD(linux_no_scope);
ATF_TC_BODY(linux_no_scope, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_spdadd(&m);
	m.policy.scope = PFKEY_SCOPE_GLOBAL;
	refuse(&m, LX, EINVAL, "extension 18 (x_policy): scope 1: the linux "
	    "dialect has no policy scope");
	encodes_to(&m, FB, 80);
}

ATF_TC_WITHOUT_HEAD(freebsd_reqid_16bit);
ATF_TC_BODY(freebsd_reqid_16bit, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_spdadd(&m);
	add_request(&m, 70000);
	refuse(&m, FB, EINVAL, "ipsecrequest 0: reqid 70000 does not fit the "
	    "freebsd dialect's 16 bits");
	encodes_to(&m, LX, 96);
	m.policy.req[0].reqid = 65535;
	encodes_to(&m, FB, 88);
}

ATF_TC_WITHOUT_HEAD(too_many_requests);
ATF_TC_BODY(too_many_requests, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_spdadd(&m);
	add_request(&m, 1);
	add_request(&m, 2);
	add_request(&m, 3);
	add_request(&m, 4);
	encodes_to(&m, FB, 80 + 4 * 8);
	m.policy.nreq = 5;
	refuse(&m, FB, EMSGSIZE, "5 ipsecrequests, more than 4");
}

ATF_TC_WITHOUT_HEAD(request_endpoint_families);
ATF_TC_BODY(request_endpoint_families, tc)
{
	struct pfkey_msg m;
	struct pfkey_ipsecrequest *r;

	(void)tc;
	build_spdadd(&m);
	add_request(&m, 0);
	r = &m.policy.req[0];
	r->has_endpoints = true;
	ATF_REQUIRE(pfkey_addr_parse(&r->src, "192.0.2.1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&r->dst, "2001:db8::1") == 0);
	refuse(&m, FB, EINVAL, "ipsecrequest 0: endpoint families");
	r->dst.family = 0;
	r->src.family = 0;
	refuse(&m, LX, EAFNOSUPPORT,
	    "ipsecrequest source: sockaddr family 0 not supported");
}

ATF_TC_WITHOUT_HEAD(key_too_long);
ATF_TC_BODY(key_too_long, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_add(&m);
	m.key_encrypt.bits = PFKEY_KEY_MAX * 8 + 1;
	PFKEY_SET(&m, PFKEY_EXT_KEY_ENCRYPT);
	refuse(&m, FB, EMSGSIZE,
	    "extension 9 (key_encrypt): key of 1025 bits longer than 1024");
	m.key_encrypt.bits = PFKEY_KEY_MAX * 8;
	encodes_to(&m, LX, 16 + 16 + 48 + 40 + 8 + 128);
}

ATF_TC_WITHOUT_HEAD(address_checks);
ATF_TC_BODY(address_checks, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_add(&m);
	m.addr_src.prefixlen = 33;
	refuse(&m, FB, EINVAL, "extension 5 (address_src): prefixlen 33 "
	    "longer than the 32-bit address");
	build_add(&m);
	set_addr(&m, &m.addr_dst, PFKEY_EXT_ADDRESS_DST, "2001:db8::1");
	refuse(&m, LX, EINVAL, "address_src family");
	build_add(&m);
	m.addr_src.family = m.addr_dst.family = AF_UNIX;
	refuse(&m, FB, EAFNOSUPPORT,
	    "extension 5 (address_src): sockaddr family 1 not supported");
	build_add(&m);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_PROXY);	/* never set: family 0 */
	refuse(&m, FB, EAFNOSUPPORT,
	    "extension 7 (address_proxy): sockaddr family 0 not supported");
}

ATF_TC_WITHOUT_HEAD(header_checks);
ATF_TC_BODY(header_checks, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_add(&m);
	m.version = 1;
	refuse(&m, FB, EINVAL, "version 1, expected 2");
	build_add(&m);
	m.type = 0;
	refuse(&m, FB, EINVAL, "message type 0 out of range 1..22");
	m.type = 23;
	refuse(&m, LX, EINVAL, "message type 23 out of range 1..22");
	build_add(&m);
	m.present |= 1u << 29;
	refuse(&m, FB, EINVAL, "present has unknown bits 0x20000000");
	m.present = (m.present & ~(1u << 29)) | 1u;
	refuse(&m, FB, EINVAL, "present has unknown bits 0x00000001");
}

ATF_TC_WITHOUT_HEAD(fixed_limits);
ATF_TC_BODY(fixed_limits, tc)
{
	struct pfkey_msg m;

	(void)tc;
	build_add(&m);
	m.ident_src.len = PFKEY_IDENT_MAX;
	PFKEY_SET(&m, PFKEY_EXT_IDENTITY_SRC);
	refuse(&m, FB, EMSGSIZE, "extension 10 (identity_src): identity of "
	    "256 bytes longer than 255");
	build_add(&m);
	m.ident_dst.len = 3;
	memcpy(m.ident_dst.data, "a\0b", 3);
	PFKEY_SET(&m, PFKEY_EXT_IDENTITY_DST);
	refuse(&m, FB, EINVAL, "identity contains a NUL");
	build_add(&m);
	m.sensitivity.len = 254;	/* 4 + 254, padded: 260 > 256 */
	PFKEY_SET(&m, PFKEY_EXT_SENSITIVITY);
	refuse(&m, FB, EMSGSIZE, "extension 12 (sensitivity): body of 254 "
	    "bytes, padded to 260, longer than 256");
	m.sensitivity.len = 252;
	encodes_to(&m, FB, 16 + 16 + 24 + 24 + 40 + 256);
	build_add(&m);
	m.type = PFKEY_ACQUIRE;
	m.proposal.ncomb = PFKEY_COMB_MAX + 1;
	PFKEY_SET(&m, PFKEY_EXT_PROPOSAL);
	refuse(&m, FB, EMSGSIZE, "33 combinations, more than 32");
	pfkey_msg_init(&m, PFKEY_REGISTER, PFKEY_SATYPE_ESP, 1, 0);
	m.supported_auth.count = PFKEY_ALG_MAX + 1;
	PFKEY_SET(&m, PFKEY_EXT_SUPPORTED_AUTH);
	refuse(&m, LX, EMSGSIZE, "33 algorithms, more than 32");
}

/* Short opaque bodies are padded up to the extension's fixed size. */
ATF_TC_WITHOUT_HEAD(opaque_padding);
ATF_TC_BODY(opaque_padding, tc)
{
	struct pfkey_msg m, d;
	struct pfkey_error err;
	size_t n;

	(void)tc;
	build_add(&m);
	m.sensitivity.len = 3;
	memcpy(m.sensitivity.data, "\x01\x02\x03", 3);
	PFKEY_SET(&m, PFKEY_EXT_SENSITIVITY);
	ATF_REQUIRE_EQ(pfkey_msg_encode(&m, FB, buf, sizeof(buf), &n, &err),
	    0);
	ATF_CHECK_EQ(n, 16 + 16 + 24 + 24 + 40 + 16);
	ATF_REQUIRE_EQ(pfkey_msg_decode(buf, n, FB, PFKEY_TO_KERNEL, &d, &err),
	    0);
	ATF_CHECK_EQ(d.sensitivity.len, 12);
	ATF_CHECK_EQ(memcmp(d.sensitivity.data, "\x01\x02\x03\0\0\0", 6), 0);
}

ATF_TC_WITHOUT_HEAD(buffer_too_small);
ATF_TC_BODY(buffer_too_small, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	uint8_t small[100];
	size_t n = 1, i;

	(void)tc;
	build_add(&m);
	memset(small, 0xee, sizeof(small));
	ATF_CHECK_EQ(pfkey_msg_encode(&m, FB, small, sizeof(small), &n, &err),
	    ENOBUFS);
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_STREQ(err.reason, "extension 8 (key_auth): encode buffer "
	    "of 100 bytes too small");
	for (i = 0; i < sizeof(small); i++)
		ATF_CHECK_MSG(small[i] == 0 || small[i] == 0xee,
		    "byte %zu not wiped: %02x", i, small[i]);
	ATF_CHECK_EQ(pfkey_msg_encode(&m, FB, small, 8, &n, &err), ENOBUFS);
	ATF_CHECK_STREQ(err.reason, "encode buffer of 8 bytes too small");
	ATF_CHECK_EQ(pfkey_msg_encode(&m, FB, small, 0, &n, &err), ENOBUFS);
}

ATF_TC_WITHOUT_HEAD(promisc);
ATF_TC_BODY(promisc, tc)
{
	struct pfkey_msg m;
	uint8_t inner[16] = { 2, PFKEY_FLUSH, 0, 3, 2, 0 };

	(void)tc;
	pfkey_msg_init(&m, PFKEY_X_PROMISC, 1, 1, 4242);
	encodes_to(&m, FB, 16);
	m.inner = inner;
	m.inner_len = 16;
	encodes_to(&m, LX, 32);
	ATF_CHECK_EQ(memcmp(buf + 16, inner, 16), 0);
	ATF_CHECK_EQ(buf[4], 4);
	m.inner_len = 12;
	refuse(&m, FB, EINVAL, "X_PROMISC inner message of 12 bytes is not a "
	    "multiple of 8");
	m.inner = NULL;
	refuse(&m, FB, EINVAL, "X_PROMISC inner_len 12 without inner");
	m.inner_len = 0;
	PFKEY_SET(&m, PFKEY_EXT_SA);
	refuse(&m, FB, EINVAL, "X_PROMISC carries a copied message, not "
	    "extensions");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, linux_cannot_carry);
	ATF_TP_ADD_TC(tp, linux_no_scope);
	ATF_TP_ADD_TC(tp, freebsd_reqid_16bit);
	ATF_TP_ADD_TC(tp, too_many_requests);
	ATF_TP_ADD_TC(tp, request_endpoint_families);
	ATF_TP_ADD_TC(tp, key_too_long);
	ATF_TP_ADD_TC(tp, address_checks);
	ATF_TP_ADD_TC(tp, header_checks);
	ATF_TP_ADD_TC(tp, fixed_limits);
	ATF_TP_ADD_TC(tp, opaque_padding);
	ATF_TP_ADD_TC(tp, buffer_too_small);
	ATF_TP_ADD_TC(tp, promisc);
	return atf_no_error();
}
