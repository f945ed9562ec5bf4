/*
 * libpfkey encoder against hand-written wire bytes: a FreeBSD SPDADD with
 * a tunnel ipsecrequest, a FreeBSD ADD with NAT-T, and a Linux SPDADD
 * (16-byte ipsecrequest, 32-bit reqid, AF_INET6 = 10).  The same bytes
 * are decoded back and checked field by field.  Integers other than SPI
 * and ports are host order, written here little-endian; the tests are
 * skipped on big-endian hosts.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"
#include "testutil.h"

static uint8_t want[1024], got[1024];

static void
require_little_endian(void)
{
	const uint16_t one = 1;

	if (*(const uint8_t *)&one != 1)
		atf_tc_skip("byte strings are written for little-endian hosts");
}

static void
dump_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i]) {
			fprintf(stderr, "first difference at byte %zu: "
			    "got %02x, want %02x\n", i, a[i], b[i]);
			return;
		}
}

/* Encode m and compare with hex; returns the expected length. */
static size_t
check_encoding(const struct pfkey_msg *m, const struct pfkey_dialect *d,
    const char *hex)
{
	struct pfkey_error err;
	size_t n;
	int wn;

	require_little_endian();
	wn = tu_hex_decode(hex, want, sizeof(want));
	ATF_REQUIRE(wn > 0);
	ATF_REQUIRE_EQ_MSG(pfkey_msg_encode(m, d, got, sizeof(got), &n, &err),
	    0, "encode: %s", err.reason);
	ATF_CHECK_EQ_MSG(n, (size_t)wn, "encoded %zu bytes, want %d", n, wn);
	if (n == (size_t)wn && memcmp(got, want, n) != 0) {
		dump_diff(got, want, n);
		atf_tc_fail("encoding differs from the expected bytes");
	}
	return (size_t)wn;
}

static void
check_addr(const struct pfkey_addr *a, const char *text, uint8_t proto)
{
	struct pfkey_addr b;

	ATF_REQUIRE(pfkey_addr_parse(&b, text) == 0);
	b.proto = proto;
	ATF_CHECK_MSG(pfkey_addr_cmp(a, &b) == 0, "address is not %s", text);
}

#define FB_SPDADD_TUNNEL						\
	"02 0e 00 00 0f 00 00 00  05 00 00 00 92 10 00 00"		\
	/* address_src 192.0.2.0/24, proto any */			\
	"03 00 05 00 ff 18 00 00  10 02 00 00 c0 00 02 00"		\
	"00 00 00 00 00 00 00 00"					\
	/* address_dst 203.0.113.0/24 */				\
	"03 00 06 00 ff 18 00 00  10 02 00 00 cb 00 71 00"		\
	"00 00 00 00 00 00 00 00"					\
	/* x_policy: ipsec, out, scope global, id 0, priority 0 */	\
	"07 00 12 00 02 00 02 01  00 00 00 00 00 00 00 00"		\
	/* ipsecrequest: 40 bytes, esp, tunnel, require, reqid 7 */	\
	"28 00 32 00 02 02 07 00"					\
	"10 02 00 00 c6 33 64 01  00 00 00 00 00 00 00 00"		\
	"10 02 00 00 cb 00 71 02  00 00 00 00 00 00 00 00"

ATF_TC_WITHOUT_HEAD(freebsd_spdadd_tunnel);
ATF_TC_BODY(freebsd_spdadd_tunnel, tc)
{
	struct pfkey_msg m, d;
	struct pfkey_error err;
	struct pfkey_ipsecrequest *r;
	size_t n;

	(void)tc;
	pfkey_msg_init(&m, PFKEY_X_SPDADD, PFKEY_SATYPE_UNSPEC, 5, 4242);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_src, "192.0.2.0/24[any]") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_dst, "203.0.113.0/24") == 0);
	m.addr_src.proto = m.addr_dst.proto = PFKEY_ULPROTO_ANY;
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	m.policy.type = PFKEY_POLICY_IPSEC;
	m.policy.dir = PFKEY_DIR_OUTBOUND;
	m.policy.scope = PFKEY_SCOPE_GLOBAL;
	m.policy.nreq = 1;
	r = &m.policy.req[0];
	r->proto = IPPROTO_ESP;
	r->mode = PFKEY_MODE_TUNNEL;
	r->level = PFKEY_LEVEL_REQUIRE;
	r->reqid = 7;
	r->has_endpoints = true;
	ATF_REQUIRE(pfkey_addr_parse(&r->src, "198.51.100.1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&r->dst, "203.0.113.2") == 0);
	PFKEY_SET(&m, PFKEY_EXT_X_POLICY);
	n = check_encoding(&m, &pfkey_dialect_freebsd, FB_SPDADD_TUNNEL);

	ATF_REQUIRE_EQ(pfkey_msg_decode(want, n, &pfkey_dialect_freebsd,
	    PFKEY_TO_KERNEL, &d, &err), 0);
	ATF_CHECK_EQ(d.type, PFKEY_X_SPDADD);
	ATF_CHECK_EQ(d.seq, 5);
	ATF_CHECK_EQ(d.pid, 4242);
	check_addr(&d.addr_src, "192.0.2.0/24", 255);
	check_addr(&d.addr_dst, "203.0.113.0/24", 255);
	ATF_CHECK_EQ(d.policy.type, PFKEY_POLICY_IPSEC);
	ATF_CHECK_EQ(d.policy.dir, PFKEY_DIR_OUTBOUND);
	ATF_CHECK_EQ(d.policy.scope, PFKEY_SCOPE_GLOBAL);
	ATF_CHECK_EQ(d.policy.nreq, 1);
	ATF_CHECK_EQ(d.policy.req[0].proto, IPPROTO_ESP);
	ATF_CHECK_EQ(d.policy.req[0].mode, PFKEY_MODE_TUNNEL);
	ATF_CHECK_EQ(d.policy.req[0].level, PFKEY_LEVEL_REQUIRE);
	ATF_CHECK_EQ(d.policy.req[0].reqid, 7);
	ATF_CHECK(d.policy.req[0].has_endpoints);
	check_addr(&d.policy.req[0].src, "198.51.100.1", 0);
	check_addr(&d.policy.req[0].dst, "203.0.113.2", 0);
}

#define FB_ADD_NATT							\
	"02 03 00 03 1d 00 00 00  09 00 00 00 92 10 00 00"		\
	/* sa: spi c1000001, replay 32, mature, hmac-sha1, aes-cbc */	\
	"02 00 01 00 c1 00 00 01  20 01 03 0c 00 00 00 00"		\
	/* lifetime_hard: addtime 3600 */				\
	"04 00 03 00 00 00 00 00  00 00 00 00 00 00 00 00"		\
	"10 0e 00 00 00 00 00 00  00 00 00 00 00 00 00 00"		\
	/* address_src 198.51.100.1[4500] */				\
	"03 00 05 00 ff 20 00 00  10 02 11 94 c6 33 64 01"		\
	"00 00 00 00 00 00 00 00"					\
	/* address_dst 203.0.113.2[4500] */				\
	"03 00 06 00 ff 20 00 00  10 02 11 94 cb 00 71 02"		\
	"00 00 00 00 00 00 00 00"					\
	/* key_auth: 160 bits, padded to 24 bytes */			\
	"04 00 08 00 a0 00 00 00  01 02 03 04 05 06 07 08"		\
	"09 0a 0b 0c 0d 0e 0f 10  11 12 13 14 00 00 00 00"		\
	/* key_encrypt: 128 bits */					\
	"03 00 09 00 80 00 00 00  81 82 83 84 85 86 87 88"		\
	"89 8a 8b 8c 8d 8e 8f 90"					\
	/* x_sa2: tunnel, sequence 0, reqid 7 */			\
	"02 00 13 00 02 00 00 00  00 00 00 00 07 00 00 00"		\
	/* nat_t type 2 (esp-in-udp), sport 4500, dport 4500 (BE) */	\
	"01 00 14 00 02 00 00 00"					\
	"01 00 15 00 11 94 00 00"					\
	"01 00 16 00 11 94 00 00"					\
	/* nat_t_oai 192.0.2.10 */					\
	"03 00 17 00 00 20 00 00  10 02 00 00 c0 00 02 0a"		\
	"00 00 00 00 00 00 00 00"

static void
build_add_natt(struct pfkey_msg *m)
{
	unsigned i;

	pfkey_msg_init(m, PFKEY_ADD, PFKEY_SATYPE_ESP, 9, 4242);
	m->sa.spi = 0xc1000001;
	m->sa.replay = 32;
	m->sa.state = PFKEY_SASTATE_MATURE;
	m->sa.auth = PFKEY_AALG_SHA1HMAC;
	m->sa.encrypt = PFKEY_EALG_AESCBC;
	PFKEY_SET(m, PFKEY_EXT_SA);
	m->life_hard.addtime = 3600;
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_HARD);
	ATF_REQUIRE(pfkey_addr_parse(&m->addr_src, "198.51.100.1[4500]") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&m->addr_dst, "203.0.113.2[4500]") == 0);
	m->addr_src.proto = m->addr_dst.proto = PFKEY_ULPROTO_ANY;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	m->key_auth.bits = 160;
	for (i = 0; i < 20; i++)
		m->key_auth.data[i] = (uint8_t)(1 + i);
	m->key_encrypt.bits = 128;
	for (i = 0; i < 16; i++)
		m->key_encrypt.data[i] = (uint8_t)(0x81 + i);
	PFKEY_SET(m, PFKEY_EXT_KEY_AUTH);
	PFKEY_SET(m, PFKEY_EXT_KEY_ENCRYPT);
	m->sa2.mode = PFKEY_MODE_TUNNEL;
	m->sa2.reqid = 7;
	PFKEY_SET(m, PFKEY_EXT_X_SA2);
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = 4500;
	m->natt_dport = 4500;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	ATF_REQUIRE(pfkey_addr_parse(&m->natt_oai, "192.0.2.10") == 0);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAI);
}

ATF_TC_WITHOUT_HEAD(freebsd_add_natt);
ATF_TC_BODY(freebsd_add_natt, tc)
{
	struct pfkey_msg m, d;
	struct pfkey_error err;
	size_t n;

	(void)tc;
	build_add_natt(&m);
	n = check_encoding(&m, &pfkey_dialect_freebsd, FB_ADD_NATT);
	pfkey_msg_clear(&m);

	ATF_REQUIRE_EQ(pfkey_msg_decode(want, n, &pfkey_dialect_freebsd,
	    PFKEY_TO_KERNEL, &d, &err), 0);
	ATF_CHECK_EQ(d.sa.spi, 0xc1000001);
	ATF_CHECK_EQ(d.sa.replay, 32);
	ATF_CHECK_EQ(d.sa.state, PFKEY_SASTATE_MATURE);
	ATF_CHECK_EQ(d.sa.auth, PFKEY_AALG_SHA1HMAC);
	ATF_CHECK_EQ(d.sa.encrypt, PFKEY_EALG_AESCBC);
	ATF_CHECK_EQ(d.life_hard.addtime, 3600);
	check_addr(&d.addr_src, "198.51.100.1[4500]", 255);
	check_addr(&d.addr_dst, "203.0.113.2[4500]", 255);
	ATF_CHECK_EQ(d.key_auth.bits, 160);
	ATF_CHECK_EQ(d.key_auth.data[0], 0x01);
	ATF_CHECK_EQ(d.key_auth.data[19], 0x14);
	ATF_CHECK_EQ(d.key_auth.data[20], 0);
	ATF_CHECK_EQ(d.key_encrypt.bits, 128);
	ATF_CHECK_EQ(d.key_encrypt.data[15], 0x90);
	ATF_CHECK_EQ(d.sa2.mode, PFKEY_MODE_TUNNEL);
	ATF_CHECK_EQ(d.sa2.reqid, 7);
	ATF_CHECK_EQ(d.natt_type, 2);
	ATF_CHECK_EQ(d.natt_sport, 4500);
	ATF_CHECK_EQ(d.natt_dport, 4500);
	check_addr(&d.natt_oai, "192.0.2.10", 0);
	pfkey_msg_clear(&d);
}

/* On Linux the same ADD has NAT_T_OA as extension 23 too. */
ATF_TC_WITHOUT_HEAD(linux_add_natt_same_bytes);
ATF_TC_BODY(linux_add_natt_same_bytes, tc)
{
	struct pfkey_msg m;
	char hex[sizeof(FB_ADD_NATT)];
	char *p;

	(void)tc;
	build_add_natt(&m);
	/* Only the sockaddr families change: "10 02" becomes "02 00". */
	memcpy(hex, FB_ADD_NATT, sizeof(hex));
	while ((p = strstr(hex, "10 02 ")) != NULL)
		memcpy(p, "02 00 ", 6);
	check_encoding(&m, &pfkey_dialect_linux, hex);
	pfkey_msg_clear(&m);
}

#define LX_SPDADD_V6							\
	"02 0e 00 00 17 00 00 00  06 00 00 00 92 10 00 00"		\
	/* address_src 2001:db8:1::/48: u16 family 10, 4 bytes pad */	\
	"05 00 05 00 ff 30 00 00  0a 00 00 00 00 00 00 00"		\
	"20 01 0d b8 00 01 00 00  00 00 00 00 00 00 00 00"		\
	"00 00 00 00 00 00 00 00"					\
	"05 00 06 00 ff 30 00 00  0a 00 00 00 00 00 00 00"		\
	"20 01 0d b8 00 02 00 00  00 00 00 00 00 00 00 00"		\
	"00 00 00 00 00 00 00 00"					\
	/* x_policy: ipsec, in, no scope byte on Linux */		\
	"0b 00 12 00 02 00 01 00  00 00 00 00 00 00 00 00"		\
	/* ipsecrequest: 72 bytes, esp, tunnel, require, reqid 0x10000 */\
	"48 00 32 00 02 02 00 00  00 00 01 00 00 00 00 00"		\
	"0a 00 00 00 00 00 00 00  20 01 0d b8 00 00 00 00"		\
	"00 00 00 00 00 00 00 01  00 00 00 00"				\
	"0a 00 00 00 00 00 00 00  20 01 0d b8 00 00 00 00"		\
	"00 00 00 00 00 00 00 02  00 00 00 00"

ATF_TC_WITHOUT_HEAD(linux_spdadd_v6);
ATF_TC_BODY(linux_spdadd_v6, tc)
{
	struct pfkey_msg m, d;
	struct pfkey_error err;
	struct pfkey_ipsecrequest *r;
	size_t n;

	(void)tc;
	pfkey_msg_init(&m, PFKEY_X_SPDADD, PFKEY_SATYPE_UNSPEC, 6, 4242);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_src, "2001:db8:1::/48") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&m.addr_dst, "2001:db8:2::/48") == 0);
	m.addr_src.proto = m.addr_dst.proto = PFKEY_ULPROTO_ANY;
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	m.policy.type = PFKEY_POLICY_IPSEC;
	m.policy.dir = PFKEY_DIR_INBOUND;
	m.policy.nreq = 1;
	r = &m.policy.req[0];
	r->proto = IPPROTO_ESP;
	r->mode = PFKEY_MODE_TUNNEL;
	r->level = PFKEY_LEVEL_REQUIRE;
	r->reqid = 0x10000;
	r->has_endpoints = true;
	ATF_REQUIRE(pfkey_addr_parse(&r->src, "2001:db8::1") == 0);
	ATF_REQUIRE(pfkey_addr_parse(&r->dst, "2001:db8::2") == 0);
	PFKEY_SET(&m, PFKEY_EXT_X_POLICY);
	n = check_encoding(&m, &pfkey_dialect_linux, LX_SPDADD_V6);
	ATF_CHECK_EQ(n, 184);

	ATF_REQUIRE_EQ(pfkey_msg_decode(want, n, &pfkey_dialect_linux,
	    PFKEY_TO_KERNEL, &d, &err), 0);
	ATF_CHECK_EQ(d.addr_src.family, AF_INET6);
	ATF_CHECK_EQ(d.addr_src.prefixlen, 48);
	check_addr(&d.addr_dst, "2001:db8:2::/48", 255);
	ATF_CHECK_EQ(d.policy.dir, PFKEY_DIR_INBOUND);
	ATF_CHECK_EQ(d.policy.nreq, 1);
	ATF_CHECK_EQ(d.policy.req[0].reqid, 0x10000);
	check_addr(&d.policy.req[0].src, "2001:db8::1", 0);
	check_addr(&d.policy.req[0].dst, "2001:db8::2", 0);
	/* The same bytes are not a FreeBSD message (family 10 unknown). */
	ATF_CHECK_EQ(pfkey_msg_decode(want, n, &pfkey_dialect_freebsd,
	    PFKEY_TO_KERNEL, &d, &err), EAFNOSUPPORT);
}

/* A kernel error reply: header only, errno set, seq/pid/type echoed. */
ATF_TC_WITHOUT_HEAD(error_reply_bytes);
ATF_TC_BODY(error_reply_bytes, tc)
{
	struct pfkey_msg req, reply;

	(void)tc;
	pfkey_msg_init(&req, PFKEY_GETSPI, PFKEY_SATYPE_ESP, 0x01020304, 77);
	PFKEY_SET(&req, PFKEY_EXT_ADDRESS_SRC);
	pfkey_msg_error_reply(&req, 17 /* EEXIST */, &reply);
	ATF_CHECK_EQ(reply.present, 0);
	check_encoding(&reply, &pfkey_dialect_freebsd,
	    "02 01 11 03 02 00 00 00  04 03 02 01 4d 00 00 00");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, freebsd_spdadd_tunnel);
	ATF_TP_ADD_TC(tp, freebsd_add_natt);
	ATF_TP_ADD_TC(tp, linux_add_natt_same_bytes);
	ATF_TP_ADD_TC(tp, linux_spdadd_v6);
	ATF_TP_ADD_TC(tp, error_reply_bytes);
	return atf_no_error();
}
