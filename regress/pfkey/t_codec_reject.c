/*
 * libpfkey decoder: one test per validation rule.  Each feeds hand-written
 * bytes and checks the exact errno and a piece of the reason.  Integers
 * are written little-endian (PF_KEY uses host order), so these tests are
 * skipped on big-endian hosts.
 */
#include <sys/socket.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"
#include "testutil.h"

#define FB	(&pfkey_dialect_freebsd)
#define LX	(&pfkey_dialect_linux)
#define TO	PFKEY_TO_KERNEL
#define FROM	PFKEY_FROM_KERNEL

/* Address extensions, 192.0.2.1 -> 192.0.2.2, proto any, /32. */
#define FB_SRC4	"0300 0500 ff20 0000  1002 0000 c0000201 0000000000000000"
#define FB_DST4	"0300 0600 ff20 0000  1002 0000 c0000202 0000000000000000"
#define LX_SRC4	"0300 0500 ff20 0000  0200 0000 c0000201 0000000000000000"
#define LX_DST4	"0300 0600 ff20 0000  0200 0000 c0000202 0000000000000000"
/* 2001:db8::2, /128, padded to 40 bytes. */
#define FB_DST6	"0500 0600 ff80 0000  1c1c 0000 00000000 " \
		"20010db8000000000000000000000002 00000000 00000000"
/* SA: spi c1000001, replay 32, mature, hmac-sha1, aes-cbc. */
#define FB_SA	"0200 0100 c1000001 20 01 03 0c 00000000"

static uint8_t msgbuf[PFKEY_BUFSIZE + 64];

static void
require_little_endian(void)
{
	const uint16_t one = 1;

	if (*(const uint8_t *)&one != 1)
		atf_tc_skip("byte strings are written for little-endian hosts");
}

/* Raw bytes, header included. */
static int
decode_raw(const char *hex, const struct pfkey_dialect *d,
    enum pfkey_direction dir, struct pfkey_msg *m, struct pfkey_error *err)
{
	int n;

	require_little_endian();
	n = tu_hex_decode(hex, msgbuf, sizeof(msgbuf));
	ATF_REQUIRE_MSG(n >= 0, "bad hex in test");
	return pfkey_msg_decode(msgbuf, (size_t)n, d, dir, m, err);
}

/* A header (seq 1, pid 4242, length computed) followed by body. */
static int
decode_body(const char *body, uint8_t type, const struct pfkey_dialect *d,
    enum pfkey_direction dir, struct pfkey_msg *m, struct pfkey_error *err)
{
	static const uint8_t hdr[16] = { 2, 0, 0, 3, 0, 0, 0, 0,
	    1, 0, 0, 0, 0x92, 0x10, 0, 0 };
	size_t len;
	int n;

	require_little_endian();
	n = tu_hex_decode(body, msgbuf + 16, sizeof(msgbuf) - 16);
	ATF_REQUIRE_MSG(n >= 0, "bad hex in test");
	len = 16 + (size_t)n;
	memcpy(msgbuf, hdr, sizeof(hdr));
	msgbuf[1] = type;
	msgbuf[4] = (uint8_t)(len / 8);
	msgbuf[5] = (uint8_t)(len / 8 >> 8);
	return pfkey_msg_decode(msgbuf, len, d, dir, m, err);
}

static void
check_error(int rc, const struct pfkey_error *err, int code,
    const char *reason)
{
	ATF_CHECK_EQ_MSG(rc, code, "rc %d (%s), want %d", rc, strerror(rc),
	    code);
	ATF_CHECK_EQ(err->code, code);
	ATF_CHECK_MSG(strstr(err->reason, reason) != NULL,
	    "reason \"%s\" lacks \"%s\"", err->reason, reason);
}

static void
reject_raw(const char *hex, const struct pfkey_dialect *d, int code,
    const char *reason)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	check_error(decode_raw(hex, d, TO, &m, &err), &err, code, reason);
	ATF_CHECK_EQ(m.present, 0);
}

static void
reject(const char *body, uint8_t type, const struct pfkey_dialect *d,
    enum pfkey_direction dir, int code, const char *reason)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	check_error(decode_body(body, type, d, dir, &m, &err), &err, code,
	    reason);
	ATF_CHECK_EQ(m.present, 0);
	ATF_CHECK_EQ(m.key_auth.bits, 0);
	ATF_CHECK_EQ(m.key_encrypt.bits, 0);
}

/* ---- the header ---- */

ATF_TC_WITHOUT_HEAD(short_header);
ATF_TC_BODY(short_header, tc)
{
	(void)tc;
	reject_raw("02 09 00 03 01 00 00 00", FB, EMSGSIZE,
	    "message of 8 bytes is shorter than the 16-byte header");
	reject_raw("", LX, EMSGSIZE, "message of 0 bytes");
}

ATF_TC_WITHOUT_HEAD(length_exceeds_read);
ATF_TC_BODY(length_exceeds_read, tc)
{
	(void)tc;
	reject_raw("02 09 00 03 03 00 00 00 01000000 92100000", FB, EMSGSIZE,
	    "sadb_msg_len 3 words (24 bytes) exceeds the 16 bytes read");
}

ATF_TC_WITHOUT_HEAD(length_mismatch);
ATF_TC_BODY(length_mismatch, tc)
{
	(void)tc;
	reject_raw("02 09 00 03 02 00 00 00 01000000 92100000 0000000000000000",
	    FB, EINVAL,
	    "sadb_msg_len 2 words (16 bytes) does not match the 24 bytes read");
	reject_raw("02 09 00 03 01 00 00 00 01000000 92100000", FB, EINVAL,
	    "sadb_msg_len 1 words is shorter than the header");
	reject_raw("02 09 00 03 00 00 00 00 01000000 92100000", LX, EINVAL,
	    "sadb_msg_len 0 words is shorter than the header");
}

ATF_TC_WITHOUT_HEAD(too_large);
ATF_TC_BODY(too_large, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	size_t len = PFKEY_BUFSIZE + 8;

	(void)tc;
	require_little_endian();
	memset(msgbuf, 0, len);
	msgbuf[0] = 2;
	msgbuf[1] = PFKEY_FLUSH;
	msgbuf[4] = (uint8_t)(len / 8);
	msgbuf[5] = (uint8_t)(len / 8 >> 8);
	check_error(pfkey_msg_decode(msgbuf, len, FB, TO, &m, &err), &err,
	    EMSGSIZE, "message of 65544 bytes exceeds the 65536-byte limit");
}

ATF_TC_WITHOUT_HEAD(bad_version);
ATF_TC_BODY(bad_version, tc)
{
	(void)tc;
	reject_raw("01 09 00 03 02 00 00 00 01000000 92100000", FB, EINVAL,
	    "version 1, expected 2");
	reject_raw("03 09 00 03 02 00 00 00 01000000 92100000", LX, EINVAL,
	    "version 3, expected 2");
}

ATF_TC_WITHOUT_HEAD(bad_type);
ATF_TC_BODY(bad_type, tc)
{
	(void)tc;
	reject_raw("02 00 00 03 02 00 00 00 01000000 92100000", FB, EINVAL,
	    "message type 0 out of range 1..22");
	reject_raw("02 17 00 03 02 00 00 00 01000000 92100000", FB, EINVAL,
	    "message type 23 out of range 1..22");
	reject_raw("02 ff 00 03 02 00 00 00 01000000 92100000", LX, EINVAL,
	    "message type 255 out of range");
}

/* A failed decode keeps the header (for the error reply), nothing else. */
ATF_TC_WITHOUT_HEAD(failure_keeps_header);
ATF_TC_BODY(failure_keeps_header, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	int rc;

	(void)tc;
	rc = decode_body(FB_SA FB_SRC4 FB_DST4
	    "0300 0800 a000 0000 1111111111111111 2222222222222222"
	    "0000 0900", PFKEY_ADD, FB, TO, &m, &err);
	ATF_CHECK_EQ(rc, EINVAL);
	ATF_CHECK_EQ(m.version, 2);
	ATF_CHECK_EQ(m.type, PFKEY_ADD);
	ATF_CHECK_EQ(m.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(m.seq, 1);
	ATF_CHECK_EQ(m.pid, 4242);
	ATF_CHECK_EQ(m.present, 0);
	ATF_CHECK_EQ(m.key_auth.bits, 0);
	ATF_CHECK_EQ(m.key_auth.data[0], 0);
	ATF_CHECK_EQ(m.sa.spi, 0);
}

/* ---- the extension walk ---- */

ATF_TC_WITHOUT_HEAD(ext_zero_length);
ATF_TC_BODY(ext_zero_length, tc)
{
	(void)tc;
	reject("0000 0500 00000000", PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 5 (address_src): zero length");
}

ATF_TC_WITHOUT_HEAD(ext_beyond_message);
ATF_TC_BODY(ext_beyond_message, tc)
{
	(void)tc;
	reject("0300 0500 ff20 0000 1002 0000 c0000201", PFKEY_GETSPI, FB, TO,
	    EINVAL,
	    "extension 5 (address_src): length 3 words exceeds message");
	reject(FB_SRC4
	    "0400 0600 ff20 0000  1002 0000 c0000202 0000000000000000",
	    PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 6 (address_dst): length 4 words exceeds message");
}

ATF_TC_WITHOUT_HEAD(ext_shorter_than_fixed);
ATF_TC_BODY(ext_shorter_than_fixed, tc)
{
	(void)tc;
	reject("0100 0100 c1000001", PFKEY_GET, FB, TO, EINVAL,
	    "extension 1 (sa): length 8 bytes shorter than its fixed size 16");
	reject("0200 0300 0000000000000000 00000000", PFKEY_ADD, LX, TO,
	    EINVAL, "extension 3 (lifetime_hard): length 16 bytes shorter "
	    "than its fixed size 32");
	reject("0100 1200 02000201", PFKEY_X_SPDGET, FB, TO, EINVAL,
	    "extension 18 (x_policy): length 8 bytes shorter than its fixed "
	    "size 16");
}

ATF_TC_WITHOUT_HEAD(ext_unknown);
ATF_TC_BODY(ext_unknown, tc)
{
	(void)tc;
	reject("0100 1d00 00000000", PFKEY_FLUSH, FB, TO, EINVAL,
	    "extension 29: unknown to the freebsd dialect");
	reject("0100 0000 00000000", PFKEY_FLUSH, FB, TO, EINVAL,
	    "extension 0: unknown to the freebsd dialect");
	/* 25 is NAT_T_FRAG on FreeBSD, KMADDRESS on Linux. */
	reject("0100 1900 00000000", PFKEY_FLUSH, LX, TO, EINVAL,
	    "extension 25: unknown to the linux dialect");
}

ATF_TC_WITHOUT_HEAD(ext_duplicate);
ATF_TC_BODY(ext_duplicate, tc)
{
	(void)tc;
	reject(FB_SRC4 FB_SRC4 FB_DST4, PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 5 (address_src): duplicate");
	reject(FB_SA FB_SA FB_SRC4 FB_DST4, PFKEY_GET, FB, TO, EINVAL,
	    "extension 1 (sa): duplicate");
}

/* ---- sockaddrs and addresses ---- */

ATF_TC_WITHOUT_HEAD(bad_family);
ATF_TC_BODY(bad_family, tc)
{
	(void)tc;
	reject("0300 0500 ff20 0000  1001 0000 c0000201 0000000000000000"
	    FB_DST4, PFKEY_GETSPI, FB, TO, EAFNOSUPPORT,
	    "extension 5 (address_src): sockaddr family 1 not supported");
	/* 28 is AF_INET6 on FreeBSD only. */
	reject(LX_SRC4
	    "0300 0600 ff20 0000  1c00 0000 c0000202 0000000000000000",
	    PFKEY_GETSPI, LX, TO, EAFNOSUPPORT,
	    "extension 6 (address_dst): sockaddr family 28 not supported");
}

ATF_TC_WITHOUT_HEAD(sockaddr_len_mismatch);
ATF_TC_BODY(sockaddr_len_mismatch, tc)
{
	(void)tc;
	reject("0300 0500 ff20 0000  1c02 0000 c0000201 0000000000000000"
	    FB_DST4, PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 5 (address_src): sockaddr length 28 does not match "
	    "family 2");
}

ATF_TC_WITHOUT_HEAD(sockaddr_exceeds_ext);
ATF_TC_BODY(sockaddr_exceeds_ext, tc)
{
	(void)tc;
	/* An IPv6 sockaddr (28 bytes) in a 4-word address extension. */
	reject("0400 0500 ff80 0000  0a00 0000 00000000 "
	    "20010db8000000000000000000000001", PFKEY_GETSPI, LX, TO, EINVAL,
	    "extension 5 (address_src): sockaddr of 28 bytes exceeds the 24 "
	    "bytes left");
	reject("0100 0500 ff20 0000", PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 5 (address_src): no room for a sockaddr");
}

ATF_TC_WITHOUT_HEAD(prefixlen_too_long);
ATF_TC_BODY(prefixlen_too_long, tc)
{
	(void)tc;
	reject("0300 0500 ff21 0000  1002 0000 c0000201 0000000000000000"
	    FB_DST4, PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 5 (address_src): prefixlen 33 longer than the 32-bit "
	    "address");
	reject("0500 0600 ff81 0000  1c1c 0000 00000000 "
	    "20010db8000000000000000000000002 00000000 00000000",
	    PFKEY_GETSPI, FB, TO, EINVAL,
	    "extension 6 (address_dst): prefixlen 129 longer than the 128-bit "
	    "address");
}

ATF_TC_WITHOUT_HEAD(family_mismatch);
ATF_TC_BODY(family_mismatch, tc)
{
	char want[80];

	(void)tc;
	snprintf(want, sizeof(want), "address_src family %d and address_dst "
	    "family %d differ", AF_INET, AF_INET6);
	reject(FB_SRC4 FB_DST6, PFKEY_GETSPI, FB, TO, EINVAL, want);
}

/* ---- keys, identities, opaque bodies, proposals, supported ---- */

ATF_TC_WITHOUT_HEAD(key_bits_over_ext);
ATF_TC_BODY(key_bits_over_ext, tc)
{
	(void)tc;
	reject(FB_SA FB_SRC4 FB_DST4 "0200 0900 0001 0000 0011223344556677",
	    PFKEY_ADD, FB, TO, EINVAL, "extension 9 (key_encrypt): key bits "
	    "256 exceed the extension's 8 bytes of key");
	reject(FB_SA FB_SRC4 FB_DST4 "0200 0800 4100 0000 0011223344556677",
	    PFKEY_ADD, FB, TO, EINVAL, "extension 8 (key_auth): key bits 65 "
	    "exceed the extension's 8 bytes of key");
}

/* Place n bytes of value v at msgbuf + 16 + off; returns off + n. */
static size_t
fill(size_t off, size_t n, uint8_t v)
{
	memset(msgbuf + 16 + off, v, n);
	return off + n;
}

/* Hex at msgbuf + 16 + off; returns the new offset. */
static size_t
put_hex(size_t off, const char *hex)
{
	int n = tu_hex_decode(hex, msgbuf + 16 + off,
	    sizeof(msgbuf) - 16 - off);

	ATF_REQUIRE(n >= 0);
	return off + (size_t)n;
}

static void
reject_built(size_t bodylen, uint8_t type, enum pfkey_direction dir,
    int code, const char *reason)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	size_t len = 16 + bodylen;

	require_little_endian();
	memset(msgbuf, 0, 16);
	msgbuf[0] = 2;
	msgbuf[1] = type;
	msgbuf[3] = PFKEY_SATYPE_ESP;
	msgbuf[4] = (uint8_t)(len / 8);
	msgbuf[5] = (uint8_t)(len / 8 >> 8);
	check_error(pfkey_msg_decode(msgbuf, len, FB, dir, &m, &err), &err,
	    code, reason);
	ATF_CHECK_EQ(m.present, 0);
	ATF_CHECK_EQ(m.key_encrypt.bits, 0);
}

ATF_TC_WITHOUT_HEAD(key_too_long);
ATF_TC_BODY(key_too_long, tc)
{
	size_t off;

	(void)tc;
	off = put_hex(0, FB_SA FB_SRC4 FB_DST4 "1200 0900 0804 0000");
	off = fill(off, 136, 0x5a);
	reject_built(off, PFKEY_ADD, TO, EMSGSIZE,
	    "extension 9 (key_encrypt): key of 1032 bits longer than 1024");
}

ATF_TC_WITHOUT_HEAD(identity_too_long);
ATF_TC_BODY(identity_too_long, tc)
{
	size_t off;

	(void)tc;
	off = put_hex(0, FB_SRC4 FB_DST4
	    "2300 0a00 0100 0000 0000000000000000");
	off = fill(off, 264, 'a');
	reject_built(off, PFKEY_ACQUIRE, FROM, EMSGSIZE,
	    "extension 10 (identity_src): identity of 264 bytes longer than "
	    "255");
}

ATF_TC_WITHOUT_HEAD(opaque_too_long);
ATF_TC_BODY(opaque_too_long, tc)
{
	size_t off;

	(void)tc;
	off = put_hex(0, FB_SA FB_SRC4 FB_DST4 "2100 0c00");
	off = fill(off, 260, 0x01);
	reject_built(off, PFKEY_ADD, TO, EMSGSIZE,
	    "extension 12 (sensitivity): body of 260 bytes longer than 256");
	off = put_hex(0, FB_SA FB_SRC4 FB_DST4 "2100 1100");
	off = fill(off, 260, 0x01);
	reject_built(off, PFKEY_ADD, TO, EMSGSIZE,
	    "extension 17 (x_kmprivate): body of 260 bytes longer than 256");
}

ATF_TC_WITHOUT_HEAD(proposal_bad_length);
ATF_TC_BODY(proposal_bad_length, tc)
{
	(void)tc;
	reject(FB_SRC4 FB_DST4 "0200 0d00 40000000 0000000000000000",
	    PFKEY_ACQUIRE, FB, FROM, EINVAL, "extension 13 (proposal): 8 bytes "
	    "of combinations is not a multiple of 72");
}

ATF_TC_WITHOUT_HEAD(proposal_too_many);
ATF_TC_BODY(proposal_too_many, tc)
{
	size_t off;

	(void)tc;
	/* 33 combinations: (8 + 33 * 72) / 8 = 298 words. */
	off = put_hex(0, FB_SRC4 FB_DST4 "2a01 0d00 40000000");
	off = fill(off, 33 * 72, 0);
	reject_built(off, PFKEY_ACQUIRE, FROM, EMSGSIZE,
	    "extension 13 (proposal): 33 combinations, more than 32");
}

ATF_TC_WITHOUT_HEAD(supported_too_many);
ATF_TC_BODY(supported_too_many, tc)
{
	size_t off;

	(void)tc;
	off = put_hex(0, "2200 0f00 00000000");
	off = fill(off, 33 * 8, 0);
	reject_built(off, PFKEY_REGISTER, FROM, EMSGSIZE,
	    "extension 15 (supported_encrypt): 33 algorithms, more than 32");
}

/* ---- X_POLICY and its ipsecrequests (FreeBSD: 8-byte requests) ---- */

#define FB_SPD	FB_SRC4 FB_DST4

ATF_TC_WITHOUT_HEAD(ipsecrequest_too_short);
ATF_TC_BODY(ipsecrequest_too_short, tc)
{
	(void)tc;
	reject(FB_SPD "0300 1200 0200 02 01 00000000 00000000"
	    "0400 3200 01 02 0000", PFKEY_X_SPDADD, FB, TO, EINVAL,
	    "extension 18 (x_policy): ipsecrequest 0: length 4 bytes shorter "
	    "than the 8-byte request");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_unaligned);
ATF_TC_BODY(ipsecrequest_unaligned, tc)
{
	(void)tc;
	reject(FB_SPD "0400 1200 0200 02 01 00000000 00000000"
	    "0c00 3200 01 02 0000 0000000000000000", PFKEY_X_SPDADD, FB, TO,
	    EINVAL, "ipsecrequest 0: length 12 bytes not a multiple of 8");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_exceeds_policy);
ATF_TC_BODY(ipsecrequest_exceeds_policy, tc)
{
	(void)tc;
	reject(FB_SPD "0400 1200 0200 02 01 00000000 00000000"
	    "0800 3200 01 02 0000 1000 3300 01 02 0000", PFKEY_X_SPDADD, FB,
	    TO, EINVAL,
	    "ipsecrequest 1: length 16 bytes exceeds the policy extension");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_leftover);
ATF_TC_BODY(ipsecrequest_leftover, tc)
{
	(void)tc;
	/* Linux requests are 16 bytes; 8 bytes cannot hold one. */
	reject(LX_SRC4 LX_DST4 "0300 1200 0200 02 00 00000000 00000000"
	    "0800 3200 01 02 0000", PFKEY_X_SPDADD, LX, TO, EINVAL,
	    "ipsecrequest 0: 8 bytes left, shorter than the 16-byte request");
	reject(LX_SRC4 LX_DST4 "0400 1200 0200 02 00 00000000 00000000"
	    "0800 3200 01 02 0000 0000000000000000", PFKEY_X_SPDADD, LX, TO,
	    EINVAL, "ipsecrequest 0: length 8 bytes shorter than the 16-byte "
	    "request");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_endpoint_families);
ATF_TC_BODY(ipsecrequest_endpoint_families, tc)
{
	(void)tc;
	reject(FB_SPD "0900 1200 0200 02 01 00000000 00000000"
	    "3800 3200 02 02 0000"
	    "1002 0000 c6336401 0000000000000000"
	    "1c1c 0000 00000000 20010db8000000000000000000000002 00000000"
	    "00000000", PFKEY_X_SPDADD, FB, TO, EINVAL,
	    "ipsecrequest 0: endpoint families");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_endpoint_length);
ATF_TC_BODY(ipsecrequest_endpoint_length, tc)
{
	(void)tc;
	reject(FB_SPD "0800 1200 0200 02 01 00000000 00000000"
	    "3000 3200 02 02 0000"
	    "1002 0000 c6336401 0000000000000000"
	    "1002 0000 cb007102 0000000000000000 0000000000000000",
	    PFKEY_X_SPDADD, FB, TO, EINVAL,
	    "ipsecrequest 0: length 48 bytes, endpoints fill 40");
	reject(FB_SPD "0500 1200 0200 02 01 00000000 00000000"
	    "1800 3200 02 02 0000"
	    "1002 0000 c6336401 0000000000000000",
	    PFKEY_X_SPDADD, FB, TO, EINVAL,
	    "ipsecrequest 0 destination: no room for a sockaddr");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_endpoint_family);
ATF_TC_BODY(ipsecrequest_endpoint_family, tc)
{
	(void)tc;
	reject(FB_SPD "0700 1200 0200 02 01 00000000 00000000"
	    "2800 3200 02 02 0000"
	    "1001 0000 c6336401 0000000000000000"
	    "1002 0000 cb007102 0000000000000000",
	    PFKEY_X_SPDADD, FB, TO, EAFNOSUPPORT,
	    "ipsecrequest 0 source: sockaddr family 1 not supported");
}

ATF_TC_WITHOUT_HEAD(ipsecrequest_too_many);
ATF_TC_BODY(ipsecrequest_too_many, tc)
{
	(void)tc;
	reject(FB_SPD "0700 1200 0200 02 01 00000000 00000000"
	    "0800 3200 01 02 0000 0800 3200 01 02 0000 0800 3200 01 02 0000"
	    "0800 3200 01 02 0000 0800 3200 01 02 0000",
	    PFKEY_X_SPDADD, FB, TO, EMSGSIZE,
	    "extension 18 (x_policy): more than 4 ipsecrequests");
}

/* ---- NAT-T ---- */

ATF_TC_WITHOUT_HEAD(natt_type_length);
ATF_TC_BODY(natt_type_length, tc)
{
	(void)tc;
	reject(FB_SA FB_SRC4 FB_DST4 "0200 1400 02000000 0000000000000000",
	    PFKEY_UPDATE, FB, TO, EINVAL,
	    "extension 20 (x_nat_t_type): length 2 words, must be 1");
}

ATF_TC_WITHOUT_HEAD(natt_port_length);
ATF_TC_BODY(natt_port_length, tc)
{
	(void)tc;
	reject(FB_SA FB_SRC4 FB_DST4 "0200 1500 11940000 0000000000000000",
	    PFKEY_UPDATE, FB, TO, EINVAL,
	    "extension 21 (x_nat_t_sport): length 2 words, must be 1");
	reject(FB_SA LX_SRC4 LX_DST4 "0200 1600 11940000 0000000000000000",
	    PFKEY_UPDATE, LX, TO, EINVAL,
	    "extension 22 (x_nat_t_dport): length 2 words, must be 1");
}

ATF_TC_WITHOUT_HEAD(natt_oa_is_address);
ATF_TC_BODY(natt_oa_is_address, tc)
{
	(void)tc;
	reject(FB_SA FB_SRC4 FB_DST4
	    "0300 1700 0020 0000  1005 0000 c000020a 0000000000000000",
	    PFKEY_UPDATE, FB, TO, EAFNOSUPPORT,
	    "extension 23 (x_nat_t_oai): sockaddr family 5 not supported");
	reject(FB_SA FB_SRC4 FB_DST4
	    "0300 1800 0021 0000  1002 0000 c000020a 0000000000000000",
	    PFKEY_UPDATE, FB, TO, EINVAL,
	    "extension 24 (x_nat_t_oar): prefixlen 33 longer");
}

/* X_PROMISC: the body is a copied message, kept as is. */
ATF_TC_WITHOUT_HEAD(promisc_inner);
ATF_TC_BODY(promisc_inner, tc)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	(void)tc;
	ATF_REQUIRE_EQ(decode_body("0102030405060708", PFKEY_X_PROMISC, FB,
	    FROM, &m, &err), 0);
	ATF_CHECK_EQ(m.inner_len, 8);
	ATF_CHECK(m.inner == msgbuf + 16);
	ATF_CHECK_EQ(m.present, 0);
	ATF_REQUIRE_EQ(decode_body("", PFKEY_X_PROMISC, LX, TO, &m, &err), 0);
	ATF_CHECK_EQ(m.inner_len, 0);
	ATF_CHECK(m.inner == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, short_header);
	ATF_TP_ADD_TC(tp, length_exceeds_read);
	ATF_TP_ADD_TC(tp, length_mismatch);
	ATF_TP_ADD_TC(tp, too_large);
	ATF_TP_ADD_TC(tp, bad_version);
	ATF_TP_ADD_TC(tp, bad_type);
	ATF_TP_ADD_TC(tp, failure_keeps_header);
	ATF_TP_ADD_TC(tp, ext_zero_length);
	ATF_TP_ADD_TC(tp, ext_beyond_message);
	ATF_TP_ADD_TC(tp, ext_shorter_than_fixed);
	ATF_TP_ADD_TC(tp, ext_unknown);
	ATF_TP_ADD_TC(tp, ext_duplicate);
	ATF_TP_ADD_TC(tp, bad_family);
	ATF_TP_ADD_TC(tp, sockaddr_len_mismatch);
	ATF_TP_ADD_TC(tp, sockaddr_exceeds_ext);
	ATF_TP_ADD_TC(tp, prefixlen_too_long);
	ATF_TP_ADD_TC(tp, family_mismatch);
	ATF_TP_ADD_TC(tp, key_bits_over_ext);
	ATF_TP_ADD_TC(tp, key_too_long);
	ATF_TP_ADD_TC(tp, identity_too_long);
	ATF_TP_ADD_TC(tp, opaque_too_long);
	ATF_TP_ADD_TC(tp, proposal_bad_length);
	ATF_TP_ADD_TC(tp, proposal_too_many);
	ATF_TP_ADD_TC(tp, supported_too_many);
	ATF_TP_ADD_TC(tp, ipsecrequest_too_short);
	ATF_TP_ADD_TC(tp, ipsecrequest_unaligned);
	ATF_TP_ADD_TC(tp, ipsecrequest_exceeds_policy);
	ATF_TP_ADD_TC(tp, ipsecrequest_leftover);
	ATF_TP_ADD_TC(tp, ipsecrequest_endpoint_families);
	ATF_TP_ADD_TC(tp, ipsecrequest_endpoint_length);
	ATF_TP_ADD_TC(tp, ipsecrequest_endpoint_family);
	ATF_TP_ADD_TC(tp, ipsecrequest_too_many);
	ATF_TP_ADD_TC(tp, natt_type_length);
	ATF_TP_ADD_TC(tp, natt_port_length);
	ATF_TP_ADD_TC(tp, natt_oa_is_address);
	ATF_TP_ADD_TC(tp, promisc_inner);
	return atf_no_error();
}
