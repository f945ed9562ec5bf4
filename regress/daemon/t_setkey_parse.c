/*
 * Unit tests for oakleyctl's setkey-syntax parser (daemon/oakleyctl/
 * setkey_*.c): each command form must produce exactly the PF_KEY request
 * expected, and each class of mistake exactly the message expected,
 * line and column included.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>

#include <atf-c.h>

#include "oakleyctl/setkey.h"
#include "testutil.h"

#ifndef IPPROTO_IPCOMP
#define IPPROTO_IPCOMP	IPPROTO_COMP
#endif

#define EXT(e)	(1u << (e))

/* Parse text that must hold exactly one command. */
static void
parse_one(const char *text, struct setkey_cmd *cmd)
{
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd extra;
	int rc;

	setkey_init(&p, "t.conf", text, strlen(text));
	rc = setkey_next(&p, cmd, &err);
	ATF_REQUIRE_MSG(rc == 1, "'%s' did not parse: %s", text, err.text);
	rc = setkey_next(&p, &extra, &err);
	ATF_REQUIRE_MSG(rc == 0, "'%s': more than one command", text);
}

/* Parse text whose first command must fail with exactly this message. */
static void
parse_fails(const char *text, const char *message)
{
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd cmd;
	int rc;

	setkey_init(&p, "t.conf", text, strlen(text));
	rc = setkey_next(&p, &cmd, &err);
	ATF_REQUIRE_MSG(rc == -1, "'%s' parsed, expected: %s", text, message);
	ATF_CHECK_STREQ(err.text, message);
}

static void
check_addr(const struct pfkey_addr *a, const char *text, unsigned port,
    unsigned prefixlen, unsigned proto)
{
	uint8_t bin[16];
	int family = strchr(text, ':') != NULL ? AF_INET6 : AF_INET;

	ATF_REQUIRE_EQ(inet_pton(family, text, bin), 1);
	ATF_CHECK_EQ(a->family, family);
	ATF_CHECK_MSG(memcmp(a->addr, bin, family == AF_INET ? 4 : 16) == 0,
	    "address is not %s", text);
	ATF_CHECK_EQ(a->port, port);
	ATF_CHECK_EQ(a->prefixlen, prefixlen);
	ATF_CHECK_EQ(a->proto, proto);
}

static void
check_key(const struct pfkey_key *k, const char *hex)
{
	uint8_t want[PFKEY_KEY_MAX];
	int n;

	n = tu_hex_decode(hex, want, sizeof(want));
	ATF_REQUIRE(n >= 0);
	ATF_CHECK_EQ(k->bits, n * 8);
	ATF_CHECK(memcmp(k->data, want, (size_t)n) == 0);
}

ATF_TC_WITHOUT_HEAD(add_esp);
ATF_TC_BODY(add_esp, tc)
{
	struct setkey_cmd c;

	parse_one("add 192.0.2.1 192.0.2.2 esp 0x1000\n"
	    "\t-E aes-cbc 0x000102030405060708090a0b0c0d0e0f\n"
	    "\t-A hmac-sha1 0x101112131415161718191a1b1c1d1e1f20212223;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_ADD);
	ATF_CHECK_EQ(c.line, 1);
	ATF_CHECK_EQ(c.msg.version, PFKEY_VERSION);
	ATF_CHECK_EQ(c.msg.type, PFKEY_ADD);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(c.msg.present, EXT(PFKEY_EXT_SA) |
	    EXT(PFKEY_EXT_ADDRESS_SRC) | EXT(PFKEY_EXT_ADDRESS_DST) |
	    EXT(PFKEY_EXT_KEY_AUTH) | EXT(PFKEY_EXT_KEY_ENCRYPT) |
	    EXT(PFKEY_EXT_X_SA2));
	ATF_CHECK_EQ(c.msg.sa.spi, 0x1000);
	ATF_CHECK_EQ(c.msg.sa.state, PFKEY_SASTATE_MATURE);
	ATF_CHECK_EQ(c.msg.sa.replay, 0);
	ATF_CHECK_EQ(c.msg.sa.encrypt, PFKEY_EALG_AESCBC);
	ATF_CHECK_EQ(c.msg.sa.auth, PFKEY_AALG_SHA1HMAC);
	check_key(&c.msg.key_encrypt, "000102030405060708090a0b0c0d0e0f");
	check_key(&c.msg.key_auth, "101112131415161718191a1b1c1d1e1f20212223");
	check_addr(&c.msg.addr_src, "192.0.2.1", 0, 32, PFKEY_ULPROTO_ANY);
	check_addr(&c.msg.addr_dst, "192.0.2.2", 0, 32, PFKEY_ULPROTO_ANY);
	ATF_CHECK_EQ(c.msg.sa2.mode, PFKEY_MODE_ANY);
	ATF_CHECK_EQ(c.msg.sa2.reqid, 0);
	ATF_CHECK_EQ(c.msg.seq, 0);
	ATF_CHECK_EQ(c.msg.pid, 0);
	setkey_cmd_clear(&c);
	ATF_CHECK_EQ(c.msg.key_encrypt.data[1], 0);
	ATF_CHECK_EQ(c.msg.key_auth.bits, 0);
}

ATF_TC_WITHOUT_HEAD(add_extensions);
ATF_TC_BODY(add_extensions, tc)
{
	struct setkey_cmd c;

	parse_one("add -4 -n 10.0.0.1 10.0.0.2 esp 4096 -m transport -r 64 "
	    "-u 12 -f pad-option -f nocyclic-seq -lh 3600 -ls 2880 "
	    "-bh 1000000 -bs 800000\n"
	    "  -E 3des-cbc \"123456789012345678901234\" "
	    "-A hmac-md5 \"abcdefghijklmnop\";", &c);
	ATF_CHECK_EQ(c.msg.sa.spi, 4096);
	ATF_CHECK_EQ(c.msg.sa.replay, 64);
	ATF_CHECK_EQ(c.msg.sa2.mode, PFKEY_MODE_TRANSPORT);
	ATF_CHECK_EQ(c.msg.sa2.reqid, 12);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_LIFETIME_HARD));
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_LIFETIME_SOFT));
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_X_SA_REPLAY));
	ATF_CHECK_EQ(c.msg.life_hard.addtime, 3600);
	ATF_CHECK_EQ(c.msg.life_soft.addtime, 2880);
	ATF_CHECK_EQ(c.msg.life_hard.bytes, 1000000);
	ATF_CHECK_EQ(c.msg.life_soft.bytes, 800000);
	ATF_CHECK_EQ(c.msg.sa.encrypt, PFKEY_EALG_3DESCBC);
	ATF_CHECK_EQ(c.msg.sa.auth, PFKEY_AALG_MD5HMAC);
	ATF_CHECK_EQ(c.msg.key_encrypt.bits, 192);
	ATF_CHECK(memcmp(c.msg.key_encrypt.data, "123456789012345678901234",
	    24) == 0);
	ATF_CHECK_EQ(c.msg.key_auth.bits, 128);
	ATF_CHECK(memcmp(c.msg.key_auth.data, "abcdefghijklmnop", 16) == 0);
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(add_replay_large);
ATF_TC_BODY(add_replay_large, tc)
{
	struct setkey_cmd c;

	parse_one("add 10.0.0.1 10.0.0.2 esp 0x1001 -r 1024 -E null;", &c);
	ATF_CHECK_EQ(c.msg.sa.replay, 255);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_SA_REPLAY));
	ATF_CHECK_EQ(c.msg.sa_replay, 1024 * 8);	/* packets */
	ATF_CHECK_EQ(c.msg.sa.encrypt, PFKEY_EALG_NULL);
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_KEY_ENCRYPT));
	setkey_cmd_clear(&c);
}

/* The acceptance SA: ESP in UDP through a NAT, default ports. */
ATF_TC_WITHOUT_HEAD(add_natt_default_ports);
ATF_TC_BODY(add_natt_default_ports, tc)
{
	struct setkey_cmd c;

	parse_one("add 198.51.100.1 203.0.113.2 esp-udp 0xc1000001 "
	    "-m tunnel -u 7 -natoai 192.0.2.10\n"
	    "\t-E aes-cbc 0x0123456789abcdef0123456789abcdef\n"
	    "\t-A hmac-sha1 0x0123456789abcdef0123456789abcdef01234567;", &c);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(c.msg.sa.spi, 0xc1000001u);
	ATF_CHECK_EQ(c.msg.sa2.mode, PFKEY_MODE_TUNNEL);
	ATF_CHECK_EQ(c.msg.sa2.reqid, 7);
	check_addr(&c.msg.addr_src, "198.51.100.1", 4500, 32,
	    PFKEY_ULPROTO_ANY);
	check_addr(&c.msg.addr_dst, "203.0.113.2", 4500, 32,
	    PFKEY_ULPROTO_ANY);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_TYPE));
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_SPORT));
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_DPORT));
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_OAI));
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_OAR));
	ATF_CHECK_EQ(c.msg.natt_type, PFKEY_NAT_T_ESPINUDP);
	ATF_CHECK_EQ(c.msg.natt_sport, 4500);
	ATF_CHECK_EQ(c.msg.natt_dport, 4500);
	check_addr(&c.msg.natt_oai, "192.0.2.10", 0, 32, PFKEY_ULPROTO_ANY);
	check_key(&c.msg.key_encrypt, "0123456789abcdef0123456789abcdef");
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(add_natt_ports_oar);
ATF_TC_BODY(add_natt_ports_oar, tc)
{
	struct setkey_cmd c;

	parse_one("add 198.51.100.1[4501] 203.0.113.2[62000] esp-udp 0x2000 "
	    "-natoar 192.0.2.20 -natoai 192.0.2.10 -E aes-gcm-16 "
	    "0x000102030405060708090a0b0c0d0e0f10111213;", &c);
	ATF_CHECK_EQ(c.msg.natt_sport, 4501);
	ATF_CHECK_EQ(c.msg.natt_dport, 62000);
	ATF_CHECK_EQ(c.msg.addr_src.port, 4501);
	ATF_CHECK_EQ(c.msg.addr_dst.port, 62000);
	check_addr(&c.msg.natt_oai, "192.0.2.10", 0, 32, PFKEY_ULPROTO_ANY);
	check_addr(&c.msg.natt_oar, "192.0.2.20", 0, 32, PFKEY_ULPROTO_ANY);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_OAR));
	ATF_CHECK_EQ(c.msg.sa.encrypt, PFKEY_EALG_AESGCM16);
	ATF_CHECK_EQ(c.msg.sa.auth, PFKEY_AALG_NONE);
	ATF_CHECK_EQ(c.msg.key_encrypt.bits, 160);
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_KEY_AUTH));
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(add_ah_ipv6);
ATF_TC_BODY(add_ah_ipv6, tc)
{
	struct setkey_cmd c;

	parse_one("add -6 2001:db8::1 2001:db8::2 ah 0x2000 -A hmac-sha2-256 "
	    "0x000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f;", &c);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_AH);
	check_addr(&c.msg.addr_src, "2001:db8::1", 0, 128, PFKEY_ULPROTO_ANY);
	check_addr(&c.msg.addr_dst, "2001:db8::2", 0, 128, PFKEY_ULPROTO_ANY);
	ATF_CHECK_EQ(c.msg.sa.auth, PFKEY_AALG_SHA2_256);
	ATF_CHECK_EQ(c.msg.sa.encrypt, PFKEY_EALG_NONE);
	check_key(&c.msg.key_auth, "000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f");
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_KEY_ENCRYPT));
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(add_ipcomp);
ATF_TC_BODY(add_ipcomp, tc)
{
	struct setkey_cmd c;

	parse_one("add 10.0.0.1 10.0.0.2 ipcomp 0x3000 -C deflate;", &c);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_IPCOMP);
	ATF_CHECK_EQ(c.msg.sa.spi, 0x3000);
	ATF_CHECK_EQ(c.msg.sa.encrypt, SETKEY_CALG_DEFLATE);
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_KEY_ENCRYPT));
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_KEY_AUTH));
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(get_delete_deleteall);
ATF_TC_BODY(get_delete_deleteall, tc)
{
	struct setkey_cmd c;

	parse_one("get 10.0.0.1 10.0.0.2 esp 0x1000;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_GET);
	ATF_CHECK_EQ(c.msg.type, PFKEY_GET);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(c.msg.present, EXT(PFKEY_EXT_SA) |
	    EXT(PFKEY_EXT_ADDRESS_SRC) | EXT(PFKEY_EXT_ADDRESS_DST));
	ATF_CHECK_EQ(c.msg.sa.spi, 0x1000);
	check_addr(&c.msg.addr_dst, "10.0.0.2", 0, 32, PFKEY_ULPROTO_ANY);
	setkey_cmd_clear(&c);

	parse_one("delete 10.0.0.1 10.0.0.2 ah 300;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_DELETE);
	ATF_CHECK_EQ(c.msg.type, PFKEY_DELETE);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_AH);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_SA));
	ATF_CHECK_EQ(c.msg.sa.spi, 300);
	setkey_cmd_clear(&c);

	parse_one("deleteall 10.0.0.1 10.0.0.2 esp;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_DELETEALL);
	ATF_CHECK_EQ(c.msg.type, PFKEY_DELETE);
	ATF_CHECK_EQ(c.msg.present, EXT(PFKEY_EXT_ADDRESS_SRC) |
	    EXT(PFKEY_EXT_ADDRESS_DST));
	setkey_cmd_clear(&c);

	parse_one("delete 198.51.100.1 203.0.113.2[4501] esp-udp 7;", &c);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_ESP);
	ATF_CHECK_EQ(c.msg.addr_src.port, 4500);
	ATF_CHECK_EQ(c.msg.addr_dst.port, 4501);
	ATF_CHECK(!PFKEY_HAS(&c.msg, PFKEY_EXT_X_NAT_T_TYPE));
	setkey_cmd_clear(&c);
}

ATF_TC_WITHOUT_HEAD(flush_dump);
ATF_TC_BODY(flush_dump, tc)
{
	struct setkey_cmd c;

	parse_one("flush;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_FLUSH);
	ATF_CHECK_EQ(c.msg.type, PFKEY_FLUSH);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_UNSPEC);
	ATF_CHECK_EQ(c.msg.present, 0);
	parse_one("flush ah;", &c);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_AH);
	parse_one("dump esp ;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_DUMP);
	ATF_CHECK_EQ(c.msg.type, PFKEY_DUMP);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_ESP);
	parse_one("spdflush;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_SPDFLUSH);
	ATF_CHECK_EQ(c.msg.type, PFKEY_X_SPDFLUSH);
	parse_one("spddump;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_SPDDUMP);
	ATF_CHECK_EQ(c.msg.type, PFKEY_X_SPDDUMP);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_UNSPEC);
}

ATF_TC_WITHOUT_HEAD(spdadd_tunnel);
ATF_TC_BODY(spdadd_tunnel, tc)
{
	struct setkey_cmd c;
	const struct pfkey_ipsecrequest *r;

	parse_one("spdadd 192.0.2.0/24[any] 203.0.113.0/24[any] any\n"
	    "\t-P out ipsec esp/tunnel/198.51.100.1-203.0.113.2/require;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_SPDADD);
	ATF_CHECK_EQ(c.msg.type, PFKEY_X_SPDADD);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_UNSPEC);
	ATF_CHECK_EQ(c.msg.present, EXT(PFKEY_EXT_ADDRESS_SRC) |
	    EXT(PFKEY_EXT_ADDRESS_DST) | EXT(PFKEY_EXT_X_POLICY));
	check_addr(&c.msg.addr_src, "192.0.2.0", 0, 24, PFKEY_ULPROTO_ANY);
	check_addr(&c.msg.addr_dst, "203.0.113.0", 0, 24, PFKEY_ULPROTO_ANY);
	ATF_CHECK_EQ(c.msg.policy.dir, PFKEY_DIR_OUTBOUND);
	ATF_CHECK_EQ(c.msg.policy.type, PFKEY_POLICY_IPSEC);
	ATF_CHECK_EQ(c.msg.policy.scope, PFKEY_SCOPE_GLOBAL);
	ATF_REQUIRE_EQ(c.msg.policy.nreq, 1);
	r = &c.msg.policy.req[0];
	ATF_CHECK_EQ(r->proto, IPPROTO_ESP);
	ATF_CHECK_EQ(r->mode, PFKEY_MODE_TUNNEL);
	ATF_CHECK_EQ(r->level, PFKEY_LEVEL_REQUIRE);
	ATF_CHECK_EQ(r->reqid, 0);
	ATF_CHECK(r->has_endpoints);
	check_addr(&r->src, "198.51.100.1", 0, 32, 0);
	check_addr(&r->dst, "203.0.113.2", 0, 32, 0);
}

ATF_TC_WITHOUT_HEAD(spdadd_transport_requests);
ATF_TC_BODY(spdadd_transport_requests, tc)
{
	struct setkey_cmd c;
	const struct pfkey_policy *pol = &c.msg.policy;

	parse_one("spdadd 10.0.0.1[500] 10.0.0.2/32[any] udp -P in ipsec "
	    "ipcomp/transport//use esp/transport//unique:42 ah/transport "
	    "esp/transport//;", &c);
	check_addr(&c.msg.addr_src, "10.0.0.1", 500, 32, IPPROTO_UDP);
	check_addr(&c.msg.addr_dst, "10.0.0.2", 0, 32, IPPROTO_UDP);
	ATF_CHECK_EQ(pol->dir, PFKEY_DIR_INBOUND);
	ATF_REQUIRE_EQ(pol->nreq, 4);
	ATF_CHECK_EQ(pol->req[0].proto, IPPROTO_IPCOMP);
	ATF_CHECK_EQ(pol->req[0].level, PFKEY_LEVEL_USE);
	ATF_CHECK_EQ(pol->req[1].proto, IPPROTO_ESP);
	ATF_CHECK_EQ(pol->req[1].mode, PFKEY_MODE_TRANSPORT);
	ATF_CHECK_EQ(pol->req[1].level, PFKEY_LEVEL_UNIQUE);
	ATF_CHECK_EQ(pol->req[1].reqid, 42);
	ATF_CHECK(!pol->req[1].has_endpoints);
	ATF_CHECK_EQ(pol->req[2].proto, IPPROTO_AH);
	ATF_CHECK_EQ(pol->req[2].level, PFKEY_LEVEL_DEFAULT);
	ATF_CHECK_EQ(pol->req[3].level, PFKEY_LEVEL_DEFAULT);
}

ATF_TC_WITHOUT_HEAD(spdadd_actions);
ATF_TC_BODY(spdadd_actions, tc)
{
	static const struct {
		const char	*text;
		unsigned	dir, type, proto;
	} cases[] = {
		{ "spdadd 10.0.0.0/8 10.1.0.0/16 tcp -P out discard;",
		    PFKEY_DIR_OUTBOUND, PFKEY_POLICY_DISCARD, IPPROTO_TCP },
		{ "spdadd 10.0.0.0/8 10.1.0.0/16 icmp -P in none;",
		    PFKEY_DIR_INBOUND, PFKEY_POLICY_NONE, IPPROTO_ICMP },
		{ "spdadd 10.0.0.0/8 10.1.0.0/16 gre -P fwd bypass;",
		    SETKEY_DIR_FWD, PFKEY_POLICY_BYPASS, IPPROTO_GRE },
		{ "spdadd 10.0.0.0/8 10.1.0.0/16 132 -P out entrust;",
		    PFKEY_DIR_OUTBOUND, PFKEY_POLICY_ENTRUST, 132 },
		{ "spdadd -6 2001:db8::/32 ::/0 ipv6-icmp -P out bypass;",
		    PFKEY_DIR_OUTBOUND, PFKEY_POLICY_BYPASS, IPPROTO_ICMPV6 },
		{ "spdadd 2001:db8::/32 ::/0 icmp6 -P in bypass;",
		    PFKEY_DIR_INBOUND, PFKEY_POLICY_BYPASS, IPPROTO_ICMPV6 },
	};
	struct setkey_cmd c;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_one(cases[i].text, &c);
		ATF_CHECK_EQ_MSG(c.msg.policy.dir, cases[i].dir, "%s",
		    cases[i].text);
		ATF_CHECK_EQ_MSG(c.msg.policy.type, cases[i].type, "%s",
		    cases[i].text);
		ATF_CHECK_EQ_MSG(c.msg.addr_src.proto, cases[i].proto, "%s",
		    cases[i].text);
		ATF_CHECK_EQ(c.msg.addr_dst.proto, cases[i].proto);
		ATF_CHECK_EQ(c.msg.policy.nreq, 0);
	}
	check_addr(&c.msg.addr_src, "2001:db8::", 0, 32, IPPROTO_ICMPV6);
	check_addr(&c.msg.addr_dst, "::", 0, 0, IPPROTO_ICMPV6);
}

ATF_TC_WITHOUT_HEAD(spdupdate_spddelete);
ATF_TC_BODY(spdupdate_spddelete, tc)
{
	struct setkey_cmd c;

	parse_one("spdupdate 10.0.0.0/24 10.0.1.0/24 any -P out ipsec "
	    "esp/tunnel/192.0.2.1-192.0.2.2/unique:3;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_SPDUPDATE);
	ATF_CHECK_EQ(c.msg.type, PFKEY_X_SPDUPDATE);
	ATF_CHECK_EQ(c.msg.policy.req[0].reqid, 3);
	ATF_CHECK_EQ(c.msg.policy.req[0].level, PFKEY_LEVEL_UNIQUE);

	parse_one("spddelete 10.0.0.0/24 10.0.1.0/24 any -P out;", &c);
	ATF_CHECK_EQ(c.op, SETKEY_SPDDELETE);
	ATF_CHECK_EQ(c.msg.type, PFKEY_X_SPDDELETE);
	ATF_CHECK_EQ(c.msg.satype, PFKEY_SATYPE_UNSPEC);
	ATF_CHECK(PFKEY_HAS(&c.msg, PFKEY_EXT_X_POLICY));
	ATF_CHECK_EQ(c.msg.policy.dir, PFKEY_DIR_OUTBOUND);
	ATF_CHECK_EQ(c.msg.policy.nreq, 0);
	check_addr(&c.msg.addr_src, "10.0.0.0", 0, 24, PFKEY_ULPROTO_ANY);

	parse_one("spddelete 10.0.0.0/24 10.0.1.0/24 any -P in ipsec "
	    "esp/transport//require;", &c);
	ATF_CHECK_EQ(c.msg.policy.dir, PFKEY_DIR_INBOUND);
	ATF_CHECK_EQ(c.msg.policy.type, PFKEY_POLICY_IPSEC);
	ATF_CHECK_EQ(c.msg.policy.nreq, 1);
}

/* Comments, blank lines, empty commands; line numbers follow. */
ATF_TC_WITHOUT_HEAD(several_commands);
ATF_TC_BODY(several_commands, tc)
{
	const char *text = "# flush everything\nflush; # SAs\n\n;;"
	    "spdflush\n;\n  dump ah;";
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd c;

	setkey_init(&p, "t.conf", text, strlen(text));
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), 1);
	ATF_CHECK_EQ(c.op, SETKEY_FLUSH);
	ATF_CHECK_EQ(c.line, 2);
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), 1);
	ATF_CHECK_EQ(c.op, SETKEY_SPDFLUSH);
	ATF_CHECK_EQ(c.line, 4);
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), 1);
	ATF_CHECK_EQ(c.op, SETKEY_DUMP);
	ATF_CHECK_EQ(c.line, 6);
	ATF_CHECK_EQ(setkey_next(&p, &c, &err), 0);
	ATF_CHECK_EQ(setkey_next(&p, &c, &err), 0);
}

/* After an error the parser resumes after the next ';'. */
ATF_TC_WITHOUT_HEAD(error_recovery);
ATF_TC_BODY(error_recovery, tc)
{
	const char *text = "bogus 1 2 3;\nget 10.0.0.1 10.0.0.2 esp zz;\n"
	    "spdflush;";
	struct setkey_parser p;
	struct setkey_error err;
	struct setkey_cmd c;

	setkey_init(&p, "t.conf", text, strlen(text));
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), -1);
	ATF_CHECK_STREQ(err.text,
	    "t.conf:1:1: syntax error: unknown command 'bogus'");
	ATF_CHECK_EQ(err.line, 1);
	ATF_CHECK_EQ(err.col, 1);
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), -1);
	ATF_CHECK_STREQ(err.text, "t.conf:2:27: syntax error: expected SPI "
	    "(decimal or 0x hex), got 'zz'");
	ATF_REQUIRE_EQ(setkey_next(&p, &c, &err), 1);
	ATF_CHECK_EQ(c.op, SETKEY_SPDFLUSH);
	ATF_CHECK_EQ(c.line, 3);
	ATF_CHECK_EQ(setkey_next(&p, &c, &err), 0);
}

ATF_TC_WITHOUT_HEAD(error_missing_semicolon);
ATF_TC_BODY(error_missing_semicolon, tc)
{
	parse_fails("get 10.0.0.1 10.0.0.2 esp 0x1000\nflush;",
	    "t.conf:2:1: syntax error: expected ';', got 'flush'");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E null\nflush;",
	    "t.conf:2:1: syntax error: expected an option or ';', "
	    "got 'flush'");
	parse_fails("spdflush",
	    "t.conf:1:9: syntax error: expected ';', got end of input");
}

ATF_TC_WITHOUT_HEAD(error_unknown_command);
ATF_TC_BODY(error_unknown_command, tc)
{
	parse_fails("\n  frobnicate 10.0.0.1;",
	    "t.conf:2:3: syntax error: unknown command 'frobnicate'");
	parse_fails("\"add\";",
	    "t.conf:1:1: syntax error: expected a command, got a quoted "
	    "string");
}

ATF_TC_WITHOUT_HEAD(error_bad_address);
ATF_TC_BODY(error_bad_address, tc)
{
	parse_fails("get 10.0.0.300 10.0.0.2 esp 1;",
	    "t.conf:1:5: bad source address '10.0.0.300'");
	parse_fails("get 10.0.0.1 2001:db8:::1 esp 1;",
	    "t.conf:1:14: bad destination address '2001:db8:::1'");
	parse_fails("get 10.0.0.1 2001:db8::1 esp 1;",
	    "t.conf:1:14: source and destination address families differ");
	parse_fails("get -4 10.0.0.1 2001:db8::1 esp 1;",
	    "t.conf:1:17: destination address '2001:db8::1' is not an IPv4 "
	    "address (-4)");
	parse_fails("spdadd -6 10.0.0.0/8 ::/0 any -P out none;",
	    "t.conf:1:11: source range '10.0.0.0' is not an IPv6 address "
	    "(-6)");
	parse_fails("spdadd 10.0.0.0/33 10.0.0.0/8 any -P out none;",
	    "t.conf:1:17: prefix length 33 out of range for IPv4 (0 to 32)");
	parse_fails("spdadd 10.0.0.0/8[65536] 10.0.0.0/8 any -P out none;",
	    "t.conf:1:19: port '65536' out of range (0 to 65535)");
	parse_fails("spdadd 10.0.0.0/8[80 10.0.0.0/8 any -P out none;",
	    "t.conf:1:21: syntax error: expected ']' to close the port");
	parse_fails("add 10.0.0.1[any] 10.0.0.2 esp 1 -E null;",
	    "t.conf:1:14: syntax error: expected port, "
	    "got 'any'");
}

ATF_TC_WITHOUT_HEAD(error_hostname);
ATF_TC_BODY(error_hostname, tc)
{
	parse_fails("add 10.0.0.1 gw.example.net esp 0x1000 -E null;",
	    "t.conf:1:14: bad destination address 'gw.example.net': host "
	    "names are not resolved, give a numeric address");
	parse_fails("spdadd localhost/32 10.0.0.0/8 any -P out none;",
	    "t.conf:1:8: bad source range 'localhost': host names are not "
	    "resolved, give a numeric address");
}

ATF_TC_WITHOUT_HEAD(error_bad_spi);
ATF_TC_BODY(error_bad_spi, tc)
{
	parse_fails("get 10.0.0.1 10.0.0.2 esp 0x;",
	    "t.conf:1:27: syntax error: expected SPI (decimal or 0x hex), "
	    "got '0x'");
	parse_fails("get 10.0.0.1 10.0.0.2 esp 0x100000000;",
	    "t.conf:1:27: SPI '0x100000000' out of range (0 to 4294967295)");
	parse_fails("get 10.0.0.1 10.0.0.2 esp -5;",
	    "t.conf:1:27: syntax error: expected SPI (decimal or 0x hex), "
	    "got '-5'");
	parse_fails("get 10.0.0.1 10.0.0.2 esp;",
	    "t.conf:1:26: syntax error: expected SPI, got ';'");
}

ATF_TC_WITHOUT_HEAD(error_protocol);
ATF_TC_BODY(error_protocol, tc)
{
	parse_fails("get 10.0.0.1 10.0.0.2 tcp 1;",
	    "t.conf:1:23: syntax error: expected protocol (esp, esp-udp, ah "
	    "or ipcomp), got 'tcp'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 sctp -P out none;",
	    "t.conf:1:30: syntax error: expected upper-layer protocol (any, "
	    "icmp, tcp, udp, icmp6, gre or a number), got 'sctp'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 256 -P out none;",
	    "t.conf:1:30: upper-layer protocol number out of range (0 to 255)");
}

ATF_TC_WITHOUT_HEAD(error_unknown_algorithm);
ATF_TC_BODY(error_unknown_algorithm, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E aes-foo 0x00;",
	    "t.conf:1:32: syntax error: expected encryption algorithm, got "
	    "'aes-foo'");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-sha3 0x00;",
	    "t.conf:1:31: syntax error: expected authentication algorithm, "
	    "got 'hmac-sha3'");
	parse_fails("add 10.0.0.1 10.0.0.2 ipcomp 1 -C zip;",
	    "t.conf:1:35: syntax error: expected compression algorithm "
	    "(deflate, lzs or oui), got 'zip'");
}

ATF_TC_WITHOUT_HEAD(error_key_length);
ATF_TC_BODY(error_key_length, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc 0x0011223344556677;",
	    "t.conf:1:40: bad key length for aes-cbc: 64 bits, expected 128, "
	    "192 or 256");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E 3des-cbc \"short\";",
	    "t.conf:1:41: bad key length for 3des-cbc: 40 bits, expected 192");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-sha1 "
	    "\"0123456789abcdef\";",
	    "t.conf:1:41: bad key length for hmac-sha1: 128 bits, expected 160");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 "
	    "\"0123456789abcdef\";",
	    "t.conf:1:43: bad key length for aes-gcm-16: 128 bits, expected "
	    "160, 224 or 288");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E null \"x\";",
	    "t.conf:1:37: bad key length for null: 8 bits, expected 0");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-sha2-512 0x00112;",
	    "t.conf:1:45: key for hmac-sha2-512 has an odd number of hex "
	    "digits (5)");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-md5 0x0g;",
	    "t.conf:1:43: key for hmac-md5: bad hex digit");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-md5 deadbeef;",
	    "t.conf:1:40: syntax error: expected key for hmac-md5 (0x hex or "
	    "\"string\"), got 'deadbeef'");
}

ATF_TC_WITHOUT_HEAD(error_algorithm_combination);
ATF_TC_BODY(error_algorithm_combination, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -A hmac-md5 "
	    "\"0123456789abcdef\";",
	    "t.conf:1:23: esp needs an encryption algorithm (-E)");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -E null;",
	    "t.conf:1:31: ah takes only -A");
	parse_fails("add 10.0.0.1 10.0.0.2 ipcomp 1;",
	    "t.conf:1:23: ipcomp needs a compression algorithm (-C)");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E aes-gcm-16 "
	    "0x000102030405060708090a0b0c0d0e0f10111213 -A hmac-md5 "
	    "\"0123456789abcdef\";",
	    "t.conf:1:89: -A is not allowed with a combined-mode cipher");
}

ATF_TC_WITHOUT_HEAD(error_options);
ATF_TC_BODY(error_options, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -m tunnel -m transport;",
	    "t.conf:1:39: duplicate option -m");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -x 3;",
	    "t.conf:1:29: syntax error: unknown option '-x' for add");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -m beet;",
	    "t.conf:1:32: syntax error: expected mode (transport, tunnel or "
	    "any), got 'beet'");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -natoai 10.0.0.9 -E null;",
	    "t.conf:1:29: -natoai needs protocol esp-udp");
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -lh 1x;",
	    "t.conf:1:33: syntax error: expected lifetime in seconds "
	    "(decimal or 0x hex), got '1x'");
	parse_fails("add -4 -6 10.0.0.1 10.0.0.2 esp 1 -E null;",
	    "t.conf:1:8: -4 and -6 exclude each other");
}

ATF_TC_WITHOUT_HEAD(error_policy_direction);
ATF_TC_BODY(error_policy_direction, tc)
{
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P sideways none;",
	    "t.conf:1:37: syntax error: expected direction (in, out or fwd), "
	    "got 'sideways'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any out none;",
	    "t.conf:1:34: syntax error: expected '-P', got 'out'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out;",
	    "t.conf:1:40: syntax error: expected policy (discard, none, "
	    "bypass, entrust or ipsec), got ';'");
	parse_fails("spddelete 10.0.0.0/8 10.0.0.0/8 any -P;",
	    "t.conf:1:39: syntax error: expected direction (in, out or fwd), "
	    "got ';'");
}

ATF_TC_WITHOUT_HEAD(error_policy_request);
ATF_TC_BODY(error_policy_request, tc)
{
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport//sometimes;",
	    "t.conf:1:62: syntax error: expected level (default, use, "
	    "require, unique or unique:N), got 'sometimes'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport//unique:0;",
	    "t.conf:1:69: bad reqid in unique:N: expected 1 to 16383");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport//use:4;",
	    "t.conf:1:62: syntax error: expected level (default, use, "
	    "require, unique or unique:N), got 'use:4'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec;",
	    "t.conf:1:46: syntax error: expected a request "
	    "(protocol/mode/src-dst/level), got ';'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "gre/transport//use;",
	    "t.conf:1:47: syntax error: expected request protocol (esp, ah "
	    "or ipcomp), got 'gre'");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec esp;",
	    "t.conf:1:50: syntax error: expected mode (transport or tunnel), "
	    "got nothing");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/tunnel//require;",
	    "t.conf:1:58: syntax error: expected tunnel endpoints SRC-DST, "
	    "got nothing");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/tunnel/10.0.0.1-gw/require;",
	    "t.conf:1:67: bad tunnel destination address 'gw': host names "
	    "are not resolved, give a numeric address");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport/10.0.0.1-10.0.0.2/require;",
	    "t.conf:1:61: transport mode takes no tunnel endpoints");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport//require/x;",
	    "t.conf:1:69: syntax error: expected end of request after the "
	    "level");
	parse_fails("spdadd 10.0.0.0/8 10.0.0.0/8 any -P out ipsec "
	    "esp/transport esp/transport esp/transport esp/transport "
	    "esp/transport;",
	    "t.conf:1:103: too many requests (at most 4)");
}

ATF_TC_WITHOUT_HEAD(error_unterminated_string);
ATF_TC_BODY(error_unterminated_string, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-md5 \"0123456789;\n"
	    "flush;",
	    "t.conf:1:40: syntax error: unterminated string");
	parse_fails("add 10.0.0.1 10.0.0.2 ah 1 -A hmac-md5 \"abc",
	    "t.conf:1:40: syntax error: unterminated string");
}

/* A long hex word out of place may be a key: only its length is shown. */
ATF_TC_WITHOUT_HEAD(error_hides_keys);
ATF_TC_BODY(error_hides_keys, tc)
{
	parse_fails("add 10.0.0.1 10.0.0.2 esp 1 -E aes-cbc "
	    "0x000102030405060708090a0b0c0d0e0f "
	    "0x101112131415161718191a1b1c1d1e1f;",
	    "t.conf:1:75: syntax error: expected an option or ';', got a hex "
	    "string of 32 digits");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, add_esp);
	ATF_TP_ADD_TC(tp, add_extensions);
	ATF_TP_ADD_TC(tp, add_replay_large);
	ATF_TP_ADD_TC(tp, add_natt_default_ports);
	ATF_TP_ADD_TC(tp, add_natt_ports_oar);
	ATF_TP_ADD_TC(tp, add_ah_ipv6);
	ATF_TP_ADD_TC(tp, add_ipcomp);
	ATF_TP_ADD_TC(tp, get_delete_deleteall);
	ATF_TP_ADD_TC(tp, flush_dump);
	ATF_TP_ADD_TC(tp, spdadd_tunnel);
	ATF_TP_ADD_TC(tp, spdadd_transport_requests);
	ATF_TP_ADD_TC(tp, spdadd_actions);
	ATF_TP_ADD_TC(tp, spdupdate_spddelete);
	ATF_TP_ADD_TC(tp, several_commands);
	ATF_TP_ADD_TC(tp, error_recovery);
	ATF_TP_ADD_TC(tp, error_missing_semicolon);
	ATF_TP_ADD_TC(tp, error_unknown_command);
	ATF_TP_ADD_TC(tp, error_bad_address);
	ATF_TP_ADD_TC(tp, error_hostname);
	ATF_TP_ADD_TC(tp, error_bad_spi);
	ATF_TP_ADD_TC(tp, error_protocol);
	ATF_TP_ADD_TC(tp, error_unknown_algorithm);
	ATF_TP_ADD_TC(tp, error_key_length);
	ATF_TP_ADD_TC(tp, error_algorithm_combination);
	ATF_TP_ADD_TC(tp, error_options);
	ATF_TP_ADD_TC(tp, error_policy_direction);
	ATF_TP_ADD_TC(tp, error_policy_request);
	ATF_TP_ADD_TC(tp, error_unterminated_string);
	ATF_TP_ADD_TC(tp, error_hides_keys);
	return atf_no_error();
}
