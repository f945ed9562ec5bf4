/*
 * libpfkey helpers: struct pfkey_addr (parse, set, compare, print), the
 * name tables, and pfkey_msg_init/clear/error_reply.
 */
#include <sys/socket.h>
#include <errno.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"

static void
parses(const char *text, int family, const char *addr_hex, uint8_t prefix,
    uint16_t port)
{
	struct pfkey_addr a;
	uint8_t bin[16];
	size_t i, n = family == AF_INET ? 4 : 16;
	unsigned v;

	memset(&a, 0x55, sizeof(a));
	ATF_REQUIRE_EQ_MSG(pfkey_addr_parse(&a, text), 0, "parse \"%s\"", text);
	for (i = 0; i < n; i++) {
		ATF_REQUIRE(sscanf(addr_hex + 2 * i, "%2x", &v) == 1);
		bin[i] = (uint8_t)v;
	}
	ATF_CHECK_EQ_MSG(a.family, family, "%s: family %u", text, a.family);
	ATF_CHECK_MSG(memcmp(a.addr, bin, n) == 0, "%s: address bytes", text);
	ATF_CHECK_EQ_MSG(a.prefixlen, prefix, "%s: prefixlen %u", text,
	    a.prefixlen);
	ATF_CHECK_EQ_MSG(a.port, port, "%s: port %u", text, a.port);
	ATF_CHECK_EQ(a.proto, 0);
	ATF_CHECK_EQ(a.scope_id, 0);
	if (family == AF_INET)
		for (i = 4; i < 16; i++)
			ATF_CHECK_EQ(a.addr[i], 0);
}

static void
fails(const char *text)
{
	struct pfkey_addr a;

	memset(&a, 0x55, sizeof(a));
	errno = 0;
	ATF_CHECK_EQ_MSG(pfkey_addr_parse(&a, text), -1, "\"%s\" parsed",
	    text);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK_EQ_MSG(a.family, 0x55, "\"%s\": output touched", text);
}

ATF_TC_WITHOUT_HEAD(addr_parse_v4);
ATF_TC_BODY(addr_parse_v4, tc)
{
	(void)tc;
	parses("192.0.2.1", AF_INET, "c0000201", 32, 0);
	parses("192.0.2.0/24", AF_INET, "c0000200", 24, 0);
	parses("192.0.2.0/24[any]", AF_INET, "c0000200", 24, 0);
	parses("198.51.100.1[4500]", AF_INET, "c6336401", 32, 4500);
	parses("203.0.113.0/0[65535]", AF_INET, "cb007100", 0, 65535);
	parses("0.0.0.0/0", AF_INET, "00000000", 0, 0);
}

ATF_TC_WITHOUT_HEAD(addr_parse_v6);
ATF_TC_BODY(addr_parse_v6, tc)
{
	(void)tc;
	parses("2001:db8::1", AF_INET6, "20010db8000000000000000000000001", 128,
	    0);
	parses("2001:db8::/32[500]", AF_INET6,
	    "20010db8000000000000000000000000", 32, 500);
	parses("::/0[any]", AF_INET6, "00000000000000000000000000000000", 0, 0);
	parses("::ffff:192.0.2.1", AF_INET6,
	    "00000000000000000000ffffc0000201", 128, 0);
	parses("fe80::1/128[4500]", AF_INET6,
	    "fe800000000000000000000000000001", 128, 4500);
}

ATF_TC_WITHOUT_HEAD(addr_parse_errors);
ATF_TC_BODY(addr_parse_errors, tc)
{
	(void)tc;
	fails("");
	fails("/24");
	fails("[any]");
	fails("host.example.org");
	fails("192.0.2");
	fails("192.0.2.1.5");
	fails("192.0.2.256");
	fails("192.0.2.1/33");
	fails("2001:db8::/129");
	fails("192.0.2.1/");
	fails("192.0.2.1/-1");
	fails("192.0.2.1/24x");
	fails("192.0.2.1/99999999999999999999");
	fails("192.0.2.1[65536]");
	fails("192.0.2.1[]");
	fails("192.0.2.1[");
	fails("192.0.2.1[any");
	fails("192.0.2.1[ANY]");
	fails("192.0.2.1[500]x");
	fails("192.0.2.1[500]/24");
	fails("192.0.2.1 ");
	fails(" 192.0.2.1");
	fails("2001:db8:::1");
	fails("2001:db8::1%eth0");
	fails("0123456789012345678901234567890123456789012345678901234567890");
}

ATF_TC_WITHOUT_HEAD(addr_set_cmp_bits);
ATF_TC_BODY(addr_set_cmp_bits, tc)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	static const uint8_t v4b[4] = { 192, 0, 2, 2 };
	struct pfkey_addr a, b;

	(void)tc;
	pfkey_addr_set(&a, AF_INET, v4, 500, 32, 17);
	ATF_CHECK_EQ(a.family, AF_INET);
	ATF_CHECK_EQ(a.port, 500);
	ATF_CHECK_EQ(a.prefixlen, 32);
	ATF_CHECK_EQ(a.proto, 17);
	ATF_CHECK_EQ(pfkey_addr_bits(&a), 32);
	ATF_REQUIRE(pfkey_addr_parse(&b, "192.0.2.1[500]") == 0);
	ATF_CHECK(pfkey_addr_cmp(&a, &b) > 0);		/* proto 17 > 0 */
	b.proto = 17;
	ATF_CHECK_EQ(pfkey_addr_cmp(&a, &b), 0);
	pfkey_addr_set(&b, AF_INET, v4b, 500, 32, 17);
	ATF_CHECK_EQ(pfkey_addr_cmp(&a, &b), -1);
	ATF_CHECK_EQ(pfkey_addr_cmp(&b, &a), 1);
	b = a;
	b.prefixlen = 24;
	ATF_CHECK_EQ(pfkey_addr_cmp(&a, &b), 1);
	b = a;
	b.port = 4500;
	ATF_CHECK_EQ(pfkey_addr_cmp(&a, &b), -1);
	ATF_REQUIRE(pfkey_addr_parse(&b, "2001:db8::1") == 0);
	ATF_CHECK_EQ(pfkey_addr_bits(&b), 128);
	ATF_CHECK(pfkey_addr_cmp(&a, &b) != 0);
	ATF_CHECK_EQ(pfkey_addr_cmp(&a, &b), -pfkey_addr_cmp(&b, &a));
	b.family = AF_UNIX;
	ATF_CHECK_EQ(pfkey_addr_bits(&b), 0);
}

ATF_TC_WITHOUT_HEAD(addr_ntop);
ATF_TC_BODY(addr_ntop, tc)
{
	struct pfkey_addr a;
	char buf[64], tiny[4];

	(void)tc;
	ATF_REQUIRE(pfkey_addr_parse(&a, "192.0.2.0/24[500]") == 0);
	ATF_CHECK_STREQ(pfkey_addr_ntop(&a, buf, sizeof(buf)), "192.0.2.0");
	ATF_REQUIRE(pfkey_addr_parse(&a, "2001:db8:0:0::1/64") == 0);
	ATF_CHECK_STREQ(pfkey_addr_ntop(&a, buf, sizeof(buf)), "2001:db8::1");
	ATF_CHECK(pfkey_addr_ntop(&a, buf, sizeof(buf)) == buf);
	a.family = 0;
	ATF_CHECK_STREQ(pfkey_addr_ntop(&a, buf, sizeof(buf)), "?");
	ATF_REQUIRE(pfkey_addr_parse(&a, "198.51.100.100") == 0);
	ATF_CHECK_STREQ(pfkey_addr_ntop(&a, tiny, sizeof(tiny)), "?");
}

ATF_TC_WITHOUT_HEAD(names_msg_type);
ATF_TC_BODY(names_msg_type, tc)
{
	static const char *const want[] = { "unknown", "GETSPI", "UPDATE",
	    "ADD", "DELETE", "GET", "ACQUIRE", "REGISTER", "EXPIRE", "FLUSH",
	    "DUMP", "X_PROMISC", "X_PCHANGE", "X_SPDUPDATE", "X_SPDADD",
	    "X_SPDDELETE", "X_SPDGET", "X_SPDACQUIRE", "X_SPDDUMP",
	    "X_SPDFLUSH", "X_SPDSETIDX", "X_SPDEXPIRE", "X_SPDDELETE2" };
	unsigned i;

	(void)tc;
	for (i = 0; i <= PFKEY_MSG_MAX; i++)
		ATF_CHECK_STREQ(pfkey_msg_type_name(i), want[i]);
	ATF_CHECK_STREQ(pfkey_msg_type_name(23), "unknown");
	ATF_CHECK_STREQ(pfkey_msg_type_name(~0u), "unknown");
}

ATF_TC_WITHOUT_HEAD(names_satype);
ATF_TC_BODY(names_satype, tc)
{
	(void)tc;
	ATF_CHECK_STREQ(pfkey_satype_name(PFKEY_SATYPE_AH), "ah");
	ATF_CHECK_STREQ(pfkey_satype_name(PFKEY_SATYPE_ESP), "esp");
	ATF_CHECK_STREQ(pfkey_satype_name(PFKEY_SATYPE_IPCOMP), "ipcomp");
	ATF_CHECK_STREQ(pfkey_satype_name(PFKEY_SATYPE_UNSPEC), "unspec");
	ATF_CHECK_STREQ(pfkey_satype_name(1), "unknown");
	ATF_CHECK_STREQ(pfkey_satype_name(200), "unknown");
	ATF_CHECK_EQ(pfkey_satype_by_name("ah"), PFKEY_SATYPE_AH);
	ATF_CHECK_EQ(pfkey_satype_by_name("esp"), PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(pfkey_satype_by_name("ipcomp"), PFKEY_SATYPE_IPCOMP);
	ATF_CHECK_EQ(pfkey_satype_by_name("ESP"), -1);
	ATF_CHECK_EQ(pfkey_satype_by_name("esp-udp"), -1);
	ATF_CHECK_EQ(pfkey_satype_by_name(""), -1);
}

ATF_TC_WITHOUT_HEAD(names_ealg);
ATF_TC_BODY(names_ealg, tc)
{
	static const struct { const char *name; int num; } t[] = {
		{ "des-cbc", 2 }, { "3des-cbc", 3 }, { "cast128-cbc", 6 },
		{ "blowfish-cbc", 7 }, { "null", 11 }, { "aes-cbc", 12 },
		{ "aes-ctr", 13 }, { "aes-gcm-8", 18 }, { "aes-gcm-12", 19 },
		{ "aes-gcm-16", 20 }, { "camellia-cbc", 22 },
	};
	size_t i;

	(void)tc;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ATF_CHECK_EQ_MSG(pfkey_ealg_by_name(t[i].name), t[i].num,
		    "%s", t[i].name);
		ATF_CHECK_STREQ(pfkey_ealg_name((unsigned)t[i].num),
		    t[i].name);
	}
	ATF_CHECK_EQ(pfkey_ealg_by_name("rijndael-cbc"), PFKEY_EALG_AESCBC);
	ATF_CHECK_STREQ(pfkey_ealg_name(PFKEY_EALG_AESCBC), "aes-cbc");
	ATF_CHECK_STREQ(pfkey_ealg_name(99), "unknown");
	ATF_CHECK_EQ(pfkey_ealg_by_name("aes-gcm"), -1);
	ATF_CHECK_EQ(pfkey_ealg_by_name("hmac-sha1"), -1);
}

ATF_TC_WITHOUT_HEAD(names_aalg);
ATF_TC_BODY(names_aalg, tc)
{
	static const struct { const char *name; int num; } t[] = {
		{ "none", 0 }, { "hmac-md5", 2 }, { "hmac-sha1", 3 },
		{ "hmac-sha2-256", 5 }, { "hmac-sha2-384", 6 },
		{ "hmac-sha2-512", 7 }, { "hmac-ripemd160", 8 },
		{ "aes-xcbc-mac", 9 },
	};
	size_t i;

	(void)tc;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ATF_CHECK_EQ_MSG(pfkey_aalg_by_name(t[i].name), t[i].num,
		    "%s", t[i].name);
		ATF_CHECK_STREQ(pfkey_aalg_name((unsigned)t[i].num),
		    t[i].name);
	}
	ATF_CHECK_EQ(pfkey_aalg_by_name("null"), PFKEY_AALG_NONE);
	ATF_CHECK_STREQ(pfkey_aalg_name(4), "unknown");
	ATF_CHECK_EQ(pfkey_aalg_by_name("aes-cbc"), -1);
}

ATF_TC_WITHOUT_HEAD(names_state_ext);
ATF_TC_BODY(names_state_ext, tc)
{
	(void)tc;
	ATF_CHECK_STREQ(pfkey_state_name(PFKEY_SASTATE_LARVAL), "larval");
	ATF_CHECK_STREQ(pfkey_state_name(PFKEY_SASTATE_MATURE), "mature");
	ATF_CHECK_STREQ(pfkey_state_name(PFKEY_SASTATE_DYING), "dying");
	ATF_CHECK_STREQ(pfkey_state_name(PFKEY_SASTATE_DEAD), "dead");
	ATF_CHECK_STREQ(pfkey_state_name(4), "unknown");
	ATF_CHECK_STREQ(pfkey_ext_name(PFKEY_EXT_ADDRESS_SRC), "address_src");
	ATF_CHECK_STREQ(pfkey_ext_name(PFKEY_EXT_X_NAT_T_OAR), "x_nat_t_oar");
	ATF_CHECK_STREQ(pfkey_ext_name(PFKEY_EXT_X_NEW_ADDRESS_DST),
	    "x_new_address_dst");
	ATF_CHECK_STREQ(pfkey_ext_name(0), "unknown");
	ATF_CHECK_STREQ(pfkey_ext_name(PFKEY_EXT_MAX + 1), "unknown");
}

ATF_TC_WITHOUT_HEAD(msg_init_clear);
ATF_TC_BODY(msg_init_clear, tc)
{
	struct pfkey_msg m;
	const uint8_t *p = (const uint8_t *)&m;
	size_t i;

	(void)tc;
	memset(&m, 0xa5, sizeof(m));
	pfkey_msg_init(&m, PFKEY_GETSPI, PFKEY_SATYPE_ESP, 7, 4242);
	ATF_CHECK_EQ(m.version, PFKEY_VERSION);
	ATF_CHECK_EQ(m.type, PFKEY_GETSPI);
	ATF_CHECK_EQ(m.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(m.seq, 7);
	ATF_CHECK_EQ(m.pid, 4242);
	ATF_CHECK_EQ(m.errnum, 0);
	ATF_CHECK_EQ(m.present, 0);
	ATF_CHECK_EQ(m.key_auth.data[5], 0);
	memset(m.key_encrypt.data, 0xa5, sizeof(m.key_encrypt.data));
	pfkey_msg_clear(&m);
	for (i = 0; i < sizeof(m); i++)
		if (p[i] != 0)
			break;
	ATF_CHECK_EQ_MSG(i, sizeof(m), "byte %zu not cleared", i);
}

ATF_TC_WITHOUT_HEAD(msg_error_reply);
ATF_TC_BODY(msg_error_reply, tc)
{
	struct pfkey_msg req, reply;

	(void)tc;
	pfkey_msg_init(&req, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 99, 4242);
	req.key_auth.bits = 128;
	memset(req.key_auth.data, 0xa5, 16);
	PFKEY_SET(&req, PFKEY_EXT_KEY_AUTH);
	memset(&reply, 0xa5, sizeof(reply));
	pfkey_msg_error_reply(&req, ESRCH, &reply);
	ATF_CHECK_EQ(reply.version, PFKEY_VERSION);
	ATF_CHECK_EQ(reply.type, PFKEY_UPDATE);
	ATF_CHECK_EQ(reply.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(reply.errnum, ESRCH);
	ATF_CHECK_EQ(reply.seq, 99);
	ATF_CHECK_EQ(reply.pid, 4242);
	ATF_CHECK_EQ(reply.present, 0);
	ATF_CHECK_EQ(reply.key_auth.bits, 0);
	ATF_CHECK_EQ(reply.key_auth.data[0], 0);
	/* In place: the request becomes its own error reply. */
	pfkey_msg_error_reply(&req, EINVAL, &req);
	ATF_CHECK_EQ(req.type, PFKEY_UPDATE);
	ATF_CHECK_EQ(req.seq, 99);
	ATF_CHECK_EQ(req.errnum, EINVAL);
	ATF_CHECK_EQ(req.present, 0);
	ATF_CHECK_EQ(req.key_auth.data[0], 0);
}

ATF_TC_WITHOUT_HEAD(dialects);
ATF_TC_BODY(dialects, tc)
{
	(void)tc;
	ATF_CHECK(pfkey_dialect_by_name("freebsd") == &pfkey_dialect_freebsd);
	ATF_CHECK(pfkey_dialect_by_name("linux") == &pfkey_dialect_linux);
	ATF_CHECK(pfkey_dialect_by_name("openbsd") == NULL);
	ATF_CHECK_STREQ(pfkey_dialect_name(&pfkey_dialect_linux), "linux");
	ATF_CHECK(pfkey_dialect_native() != NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, addr_parse_v4);
	ATF_TP_ADD_TC(tp, addr_parse_v6);
	ATF_TP_ADD_TC(tp, addr_parse_errors);
	ATF_TP_ADD_TC(tp, addr_set_cmp_bits);
	ATF_TP_ADD_TC(tp, addr_ntop);
	ATF_TP_ADD_TC(tp, names_msg_type);
	ATF_TP_ADD_TC(tp, names_satype);
	ATF_TP_ADD_TC(tp, names_ealg);
	ATF_TP_ADD_TC(tp, names_aalg);
	ATF_TP_ADD_TC(tp, names_state_ext);
	ATF_TP_ADD_TC(tp, msg_init_clear);
	ATF_TP_ADD_TC(tp, msg_error_reply);
	ATF_TP_ADD_TC(tp, dialects);
	return atf_no_error();
}
