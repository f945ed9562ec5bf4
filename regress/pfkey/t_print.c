/*
 * Golden-output tests for the setkey-style printers (pfkey/print*.c):
 * SAs as setkey -D prints them, policies as setkey -DP prints them, and
 * the -P monitor form.  TZ is UTC and "now" is fixed, so every line is
 * compared byte for byte, tabs and trailing blanks included.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <atf-c.h>

#include "pfkey.h"
#include "testutil.h"

#define T_CREATED	1795428000	/* Nov 23 10:00:00 2026 UTC */
#define T_LAST		(T_CREATED + 41)
#define T_NOW		(T_CREATED + 42)
#define T_NOV3		1793696707	/* Nov  3 09:05:07 2026 UTC */
#define T_IPPROTO_IPCOMP 108	/* IPPROTO_COMP on Linux */

typedef void (*printer_fn)(FILE *, const struct pfkey_msg *, time_t);

static void
utc(void)
{
	ATF_REQUIRE(setenv("TZ", "UTC", 1) == 0);
	tzset();
}

/* Run a printer into memory; the caller frees the text. */
static char *
render(printer_fn fn, const struct pfkey_msg *m, time_t now)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	fp = open_memstream(&text, &len);
	ATF_REQUIRE(fp != NULL);
	fn(fp, m, now);
	ATF_REQUIRE(fclose(fp) == 0);
	return text;
}

static void
check_output(printer_fn fn, const struct pfkey_msg *m, time_t now,
    const char *expected)
{
	char *got = render(fn, m, now);

	if (strcmp(got, expected) != 0) {
		fprintf(stderr, "--- expected\n%s--- got\n%s---\n", expected,
		    got);
		atf_tc_fail("output differs (see stderr)");
	}
	free(got);
}

static bool
starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
set_addr(struct pfkey_addr *a, const char *text, uint8_t prefixlen,
    uint16_t port, uint8_t proto)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, text, a->addr) == 1)
		a->family = AF_INET;
	else if (inet_pton(AF_INET6, text, a->addr) == 1)
		a->family = AF_INET6;
	else
		atf_tc_fail("bad test address %s", text);
	a->prefixlen = prefixlen;
	a->port = port;
	a->proto = proto;
}

static void
set_key(struct pfkey_key *k, const char *hex)
{
	int n;

	n = tu_hex_decode(hex, k->data, sizeof(k->data));
	ATF_REQUIRE(n > 0);
	k->bits = (uint16_t)(n * 8);
}

static void
msg_base(struct pfkey_msg *m, uint8_t type, uint8_t satype, uint32_t seq,
    uint32_t pid)
{
	memset(m, 0, sizeof(*m));
	m->version = PFKEY_VERSION;
	m->type = type;
	m->satype = satype;
	m->seq = seq;
	m->pid = pid;
}

static void
sa_addrs(struct pfkey_msg *m, const char *src, const char *dst)
{
	uint8_t bits = strchr(src, ':') != NULL ? 128 : 32;

	set_addr(&m->addr_src, src, bits, 0, PFKEY_ULPROTO_ANY);
	set_addr(&m->addr_dst, dst, bits, 0, PFKEY_ULPROTO_ANY);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
}

static void
sa_set(struct pfkey_msg *m, uint32_t spi, uint8_t state, uint8_t auth,
    uint8_t encrypt)
{
	m->sa.spi = spi;
	m->sa.state = state;
	m->sa.auth = auth;
	m->sa.encrypt = encrypt;
	PFKEY_SET(m, PFKEY_EXT_SA);
}

static void
sa2_set(struct pfkey_msg *m, uint8_t mode, uint32_t sequence, uint32_t reqid)
{
	m->sa2.mode = mode;
	m->sa2.sequence = sequence;
	m->sa2.reqid = reqid;
	PFKEY_SET(m, PFKEY_EXT_X_SA2);
}

/* The ESP tunnel SA with NAT-T (OAI and OAR) of most SA tests. */
static void
natt_sa(struct pfkey_msg *m)
{
	msg_base(m, PFKEY_DUMP, PFKEY_SATYPE_ESP, 1, 4242);
	m->reserved = 1;
	sa_addrs(m, "198.51.100.1", "203.0.113.2");
	sa_set(m, 0xc1000001, PFKEY_SASTATE_MATURE, PFKEY_AALG_SHA1HMAC,
	    PFKEY_EALG_AESCBC);
	m->sa.replay = 4;
	sa2_set(m, PFKEY_MODE_TUNNEL, 0, 7);
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = 4500;
	m->natt_dport = 4500;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	set_addr(&m->natt_oai, "192.0.2.10", 32, 0, 0);
	set_addr(&m->natt_oar, "10.0.0.5", 32, 0, 0);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAI);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_OAR);
	set_key(&m->key_encrypt, "00112233445566778899aabbccddeeff");
	set_key(&m->key_auth, "0123456789abcdef0123456789abcdef01234567");
	PFKEY_SET(m, PFKEY_EXT_KEY_ENCRYPT);
	PFKEY_SET(m, PFKEY_EXT_KEY_AUTH);
	m->life_current.allocations = 12;
	m->life_current.bytes = 10240;
	m->life_current.addtime = T_CREATED;
	m->life_current.usetime = T_LAST;
	m->life_hard.bytes = 1000000;
	m->life_hard.addtime = 3600;
	m->life_hard.usetime = 1800;
	m->life_hard.allocations = 100;
	m->life_soft.bytes = 800000;
	m->life_soft.addtime = 2880;
	m->life_soft.usetime = 1440;
	m->life_soft.allocations = 80;
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_CURRENT);
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_HARD);
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_SOFT);
}

static const char natt_sa_text[] =
    "198.51.100.1[4500] 203.0.113.2[4500]\n"
    "\tesp-udp mode=tunnel spi=3238002689(0xc1000001) reqid=7(0x00000007)\n"
    "\tNAT: OAI=192.0.2.10 OAR=10.0.0.5\n"
    "\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff\n"
    "\tA: hmac-sha1  01234567 89abcdef 01234567 89abcdef 01234567\n"
    "\tseq=0x00000000 replay=4 flags=0x00000000 state=mature \n"
    "\tcreated: Nov 23 10:00:00 2026\tcurrent: Nov 23 10:00:42 2026\n"
    "\tdiff: 42(s)\thard: 3600(s)\tsoft: 2880(s)\n"
    "\tlast: Nov 23 10:00:41 2026\thard: 1800(s)\tsoft: 1440(s)\n"
    "\tcurrent: 10240(bytes)\thard: 1000000(bytes)\tsoft: 800000(bytes)\n"
    "\tallocated: 12\thard: 100\tsoft: 80\n"
    "\tsadb_seq=1 pid=4242 refcnt=1\n";

ATF_TC_WITHOUT_HEAD(sa_esp_natt_tunnel);
ATF_TC_BODY(sa_esp_natt_tunnel, tc)
{
	struct pfkey_msg m;

	utc();
	natt_sa(&m);
	check_output(pfkey_print_sa, &m, T_NOW, natt_sa_text);
}

ATF_TC_WITHOUT_HEAD(sa_natt_oai_only);
ATF_TC_BODY(sa_natt_oai_only, tc)
{
	struct pfkey_msg m;
	char *got;

	utc();
	natt_sa(&m);
	m.present &= ~(1u << PFKEY_EXT_X_NAT_T_OAR);
	got = render(pfkey_print_sa, &m, T_NOW);
	ATF_CHECK(strstr(got, "\n\tNAT: OAI=192.0.2.10\n\tE: ") != NULL);
	free(got);

	/* No NAT-T type: no ports, plain "esp", no NAT: line at all. */
	natt_sa(&m);
	m.present &= ~(1u << PFKEY_EXT_X_NAT_T_TYPE);
	got = render(pfkey_print_sa, &m, T_NOW);
	ATF_CHECK_MSG(starts_with(got,
	    "198.51.100.1 203.0.113.2\n\tesp mode=tunnel "), "%s", got);
	ATF_CHECK(strstr(got, "NAT:") == NULL);
	free(got);
}

ATF_TC_WITHOUT_HEAD(sa_esp_transport);
ATF_TC_BODY(sa_esp_transport, tc)
{
	struct pfkey_msg m;

	utc();
	msg_base(&m, PFKEY_DUMP, PFKEY_SATYPE_ESP, 0, 0);
	sa_addrs(&m, "192.0.2.1", "192.0.2.2");
	sa_set(&m, 0x1234, PFKEY_SASTATE_DYING, PFKEY_AALG_SHA2_256,
	    PFKEY_EALG_AESCBC);
	m.sa.flags = 0x400;
	sa2_set(&m, PFKEY_MODE_TRANSPORT, 0x2a, 0);
	m.sa_replay = 1024;		/* packets: setkey shows 128 */
	PFKEY_SET(&m, PFKEY_EXT_X_SA_REPLAY);
	set_key(&m.key_encrypt, "000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f");
	set_key(&m.key_auth, "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
	    "e0e1e2e3e4e5e6e7e8e9eaebecedeeef");
	PFKEY_SET(&m, PFKEY_EXT_KEY_ENCRYPT);
	PFKEY_SET(&m, PFKEY_EXT_KEY_AUTH);
	m.life_current.addtime = T_NOV3;
	PFKEY_SET(&m, PFKEY_EXT_LIFETIME_CURRENT);

	check_output(pfkey_print_sa, &m, T_NOW,
	    "192.0.2.1 192.0.2.2\n"
	    "\tesp mode=transport spi=4660(0x00001234) reqid=0(0x00000000)\n"
	    "\tE: aes-cbc  00010203 04050607 08090a0b 0c0d0e0f 10111213"
	    " 14151617 18191a1b 1c1d1e1f\n"
	    "\tA: hmac-sha2-256  f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff e0e1e2e3"
	    " e4e5e6e7 e8e9eaeb ecedeeef\n"
	    "\tseq=0x0000002a replay=128 flags=0x00000400 state=dying \n"
	    "\tcreated: Nov  3 09:05:07 2026\tcurrent: Nov 23 10:00:42 2026\n"
	    "\tdiff: 1731335(s)\thard: 0(s)\tsoft: 0(s)\n"
	    "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n"
	    "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
	    "\tallocated: 0\thard: 0\tsoft: 0\n"
	    "\tsadb_seq=0 pid=0 refcnt=0\n");
}

/* AES-256-GCM as FreeBSD setkey shows it: key and salt (36 bytes) on the
 * E: line, which wraps after 32 bytes; no auth key, no A: line. */
ATF_TC_WITHOUT_HEAD(sa_esp_gcm);
ATF_TC_BODY(sa_esp_gcm, tc)
{
	struct pfkey_msg m;

	utc();
	msg_base(&m, PFKEY_DUMP, PFKEY_SATYPE_ESP, 0, 0);
	sa_addrs(&m, "192.0.2.1", "192.0.2.2");
	sa_set(&m, 0x5000, PFKEY_SASTATE_MATURE, PFKEY_AALG_NONE,
	    PFKEY_EALG_AESGCM16);
	sa2_set(&m, PFKEY_MODE_TUNNEL, 0, 7);
	set_key(&m.key_encrypt, "000102030405060708090a0b0c0d0e0f"
	    "101112131415161718191a1b1c1d1e1f" "a0a1a2a3");
	PFKEY_SET(&m, PFKEY_EXT_KEY_ENCRYPT);

	check_output(pfkey_print_sa, &m, T_NOW,
	    "192.0.2.1 192.0.2.2\n"
	    "\tesp mode=tunnel spi=20480(0x00005000) reqid=7(0x00000007)\n"
	    "\tE: aes-gcm-16  00010203 04050607 08090a0b 0c0d0e0f 10111213"
	    " 14151617 18191a1b 1c1d1e1f\n"
	    " a0a1a2a3\n"
	    "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n"
	    "\tsadb_seq=0 pid=0 refcnt=0\n");
}

/* AH: only the A: line (64-byte key wraps after 32 bytes), no E:. */
ATF_TC_WITHOUT_HEAD(sa_ah);
ATF_TC_BODY(sa_ah, tc)
{
	struct pfkey_msg m;

	utc();
	msg_base(&m, PFKEY_DUMP, PFKEY_SATYPE_AH, 3, 77);
	m.reserved = 2;
	sa_addrs(&m, "2001:db8::1", "2001:db8::2");
	sa_set(&m, 0xabcdef, PFKEY_SASTATE_MATURE, PFKEY_AALG_SHA2_512, 0);
	m.sa.replay = 8;
	sa2_set(&m, PFKEY_MODE_TRANSPORT, 0, 16385);
	set_key(&m.key_auth,
	    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
	PFKEY_SET(&m, PFKEY_EXT_KEY_AUTH);
	set_key(&m.key_encrypt, "ffffffff");	/* not ESP: never shown */
	PFKEY_SET(&m, PFKEY_EXT_KEY_ENCRYPT);

	check_output(pfkey_print_sa, &m, T_NOW,
	    "2001:db8::1 2001:db8::2\n"
	    "\tah mode=transport spi=11259375(0x00abcdef)"
	    " reqid=16385(0x00004001)\n"
	    "\tA: hmac-sha2-512  00010203 04050607 08090a0b 0c0d0e0f 10111213"
	    " 14151617 18191a1b 1c1d1e1f\n"
	    " 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637 38393a3b"
	    " 3c3d3e3f\n"
	    "\tseq=0x00000000 replay=8 flags=0x00000000 state=mature \n"
	    "\tsadb_seq=3 pid=77 refcnt=2\n");
}

ATF_TC_WITHOUT_HEAD(sa_larval);
ATF_TC_BODY(sa_larval, tc)
{
	struct pfkey_msg m;

	utc();
	msg_base(&m, PFKEY_DUMP, PFKEY_SATYPE_ESP, 0, 4242);
	m.reserved = 1;
	sa_addrs(&m, "203.0.113.2", "198.51.100.1");
	sa_set(&m, 0x0a0b0c0d, PFKEY_SASTATE_LARVAL, 0, 0);
	sa2_set(&m, PFKEY_MODE_ANY, 0, 0);
	m.life_current.addtime = T_CREATED;
	PFKEY_SET(&m, PFKEY_EXT_LIFETIME_CURRENT);

	check_output(pfkey_print_sa, &m, T_CREATED + 5,
	    "203.0.113.2 198.51.100.1\n"
	    "\tesp mode=any spi=168496141(0x0a0b0c0d) reqid=0(0x00000000)\n"
	    "\tseq=0x00000000 replay=0 flags=0x00000000 state=larval \n"
	    "\tcreated: Nov 23 10:00:00 2026\tcurrent: Nov 23 10:00:05 2026\n"
	    "\tdiff: 5(s)\thard: 0(s)\tsoft: 0(s)\n"
	    "\tlast:                     \thard: 0(s)\tsoft: 0(s)\n"
	    "\tcurrent: 0(bytes)\thard: 0(bytes)\tsoft: 0(bytes)\n"
	    "\tallocated: 0\thard: 0\tsoft: 0\n"
	    "\tsadb_seq=0 pid=4242 refcnt=1\n");
}

/* setkey -D names the first missing extension and stops. */
ATF_TC_WITHOUT_HEAD(sa_missing_extensions);
ATF_TC_BODY(sa_missing_extensions, tc)
{
	struct pfkey_msg m;

	utc();
	natt_sa(&m);
	m.present &= ~(1u << PFKEY_EXT_X_SA2);
	check_output(pfkey_print_sa, &m, T_NOW,
	    "198.51.100.1[4500] 203.0.113.2[4500]\nno SA2 extension.\n");
	m.present &= ~(1u << PFKEY_EXT_SA);
	check_output(pfkey_print_sa, &m, T_NOW,
	    "198.51.100.1[4500] 203.0.113.2[4500]\nno SA extension.\n");
	m.present &= ~(1u << PFKEY_EXT_ADDRESS_DST);
	check_output(pfkey_print_sa, &m, T_NOW,
	    "198.51.100.1\nno ADDRESS_DST extension.\n");
	m.present &= ~(1u << PFKEY_EXT_ADDRESS_SRC);
	check_output(pfkey_print_sa, &m, T_NOW,
	    "no ADDRESS_SRC extension.\n");
}

/* A policy: selector, type, scope and the common lifetimes. */
static void
policy_base(struct pfkey_msg *m, const char *src, uint8_t splen,
    uint16_t sport, const char *dst, uint8_t dplen, uint16_t dport,
    uint8_t proto)
{
	msg_base(m, PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC, 0, 4242);
	m->reserved = 1;
	set_addr(&m->addr_src, src, splen, sport, proto);
	set_addr(&m->addr_dst, dst, dplen, dport, proto);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	m->policy.scope = PFKEY_SCOPE_GLOBAL;
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
}

static void
policy_type(struct pfkey_msg *m, uint8_t dir, uint16_t type, uint32_t id)
{
	m->policy.dir = dir;
	m->policy.type = type;
	m->policy.id = id;
}

static void
add_request(struct pfkey_msg *m, uint16_t proto, uint8_t mode,
    uint8_t level, uint32_t reqid, const char *tsrc, const char *tdst)
{
	struct pfkey_ipsecrequest *r = &m->policy.req[m->policy.nreq++];

	r->proto = proto;
	r->mode = mode;
	r->level = level;
	r->reqid = reqid;
	if (tsrc == NULL)
		return;
	r->has_endpoints = true;
	set_addr(&r->src, tsrc, 0, 0, 0);
	set_addr(&r->dst, tdst, 0, 0, 0);
}

ATF_TC_WITHOUT_HEAD(policy_tunnel);
ATF_TC_BODY(policy_tunnel, tc)
{
	struct pfkey_msg m;

	utc();
	policy_base(&m, "192.0.2.0", 24, 0, "203.0.113.0", 24, 0,
	    PFKEY_ULPROTO_ANY);
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_IPSEC, 5);
	add_request(&m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, PFKEY_LEVEL_REQUIRE,
	    0, "198.51.100.1", "203.0.113.2");
	m.life_current.addtime = T_CREATED;
	m.life_current.usetime = T_LAST;
	PFKEY_SET(&m, PFKEY_EXT_LIFETIME_CURRENT);
	PFKEY_SET(&m, PFKEY_EXT_LIFETIME_HARD);

	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.0/24[any] 203.0.113.0/24[any] any\n"
	    "\tout ipsec\n"
	    "\tesp/tunnel/198.51.100.1-203.0.113.2/require\n"
	    "\tcreated: Nov 23 10:00:00 2026  lastused: Nov 23 10:00:41 2026\n"
	    "\tlifetime: 0(s) validtime: 0(s)\n"
	    "\tspid=5 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");
}

/* Host selectors with ports; two transport requests; no lifetimes. */
ATF_TC_WITHOUT_HEAD(policy_transport_require);
ATF_TC_BODY(policy_transport_require, tc)
{
	struct pfkey_msg m;

	utc();
	policy_base(&m, "192.0.2.1", 32, 0, "192.0.2.2", 32, 500,
	    IPPROTO_UDP);
	policy_type(&m, PFKEY_DIR_INBOUND, PFKEY_POLICY_IPSEC, 17);
	m.seq = 3;
	add_request(&m, IPPROTO_ESP, PFKEY_MODE_TRANSPORT,
	    PFKEY_LEVEL_REQUIRE, 0, NULL, NULL);
	add_request(&m, IPPROTO_AH, PFKEY_MODE_TRANSPORT, PFKEY_LEVEL_USE, 0,
	    NULL, NULL);
	m.life_hard.addtime = 600;
	m.life_hard.usetime = 60;
	PFKEY_SET(&m, PFKEY_EXT_LIFETIME_HARD);

	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.1[any] 192.0.2.2[500] udp\n"
	    "\tin ipsec\n"
	    "\tesp/transport//require\n"
	    "\tah/transport//use\n"
	    "\tlifetime: 600(s) validtime: 60(s)\n"
	    "\tspid=17 seq=3 pid=4242 scope=global \n"
	    "\trefcnt=1\n");
}

/* reqid: ":N" up to IPSEC_MANUAL_REQID_MAX, "#N" above it. */
ATF_TC_WITHOUT_HEAD(policy_unique_reqid);
ATF_TC_BODY(policy_unique_reqid, tc)
{
	struct pfkey_msg m;

	utc();
	policy_base(&m, "10.1.0.0", 16, 0, "10.2.0.0", 16, 0,
	    PFKEY_ULPROTO_ANY);
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_IPSEC, 9);
	add_request(&m, T_IPPROTO_IPCOMP, PFKEY_MODE_TUNNEL, PFKEY_LEVEL_USE,
	    16385, "198.51.100.1", "203.0.113.2");
	add_request(&m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, PFKEY_LEVEL_UNIQUE, 7,
	    "198.51.100.1", "203.0.113.2");
	add_request(&m, IPPROTO_AH, PFKEY_MODE_ANY, PFKEY_LEVEL_DEFAULT,
	    PFKEY_REQID_MAX, NULL, NULL);

	check_output(pfkey_print_policy, &m, T_NOW,
	    "10.1.0.0/16[any] 10.2.0.0/16[any] any\n"
	    "\tout ipsec\n"
	    "\tipcomp/tunnel/198.51.100.1-203.0.113.2/use#16385\n"
	    "\tesp/tunnel/198.51.100.1-203.0.113.2/unique:7\n"
	    "\tah/any//default:16383\n"
	    "\tspid=9 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");
}

/* Non-ipsec types print no requests, even if some are present. */
ATF_TC_WITHOUT_HEAD(policy_bypass_discard_none);
ATF_TC_BODY(policy_bypass_discard_none, tc)
{
	static const struct {
		uint8_t		 dir;
		uint16_t	 type;
		const char	*line;
	} cases[] = {
		{ PFKEY_DIR_INBOUND, PFKEY_POLICY_BYPASS, "\tin bypass\n" },
		{ PFKEY_DIR_OUTBOUND, PFKEY_POLICY_DISCARD, "\tout discard\n" },
		{ PFKEY_DIR_ANY, PFKEY_POLICY_NONE, "\tany none\n" },
		{ PFKEY_DIR_OUTBOUND, PFKEY_POLICY_ENTRUST, "\tout entrust\n" },
	};
	struct pfkey_msg m;
	char expected[512];
	size_t i;

	utc();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		policy_base(&m, "198.51.100.1", 32, 500, "203.0.113.2", 32,
		    500, IPPROTO_UDP);
		policy_type(&m, cases[i].dir, cases[i].type, 40 + i);
		add_request(&m, IPPROTO_ESP, PFKEY_MODE_TRANSPORT,
		    PFKEY_LEVEL_REQUIRE, 0, NULL, NULL);
		snprintf(expected, sizeof(expected),
		    "198.51.100.1[500] 203.0.113.2[500] udp\n%s"
		    "\tspid=%zu seq=0 pid=4242 scope=global \n"
		    "\trefcnt=1\n", cases[i].line, 40 + i);
		check_output(pfkey_print_policy, &m, T_NOW, expected);
	}
}

ATF_TC_WITHOUT_HEAD(policy_ipv6);
ATF_TC_BODY(policy_ipv6, tc)
{
	struct pfkey_msg m;

	utc();
	policy_base(&m, "2001:db8:1::", 48, 0, "2001:db8:2::1", 128, 443,
	    IPPROTO_TCP);
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_IPSEC, 21);
	add_request(&m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, PFKEY_LEVEL_REQUIRE,
	    0, "2001:db8::a", "2001:db8::b");
	check_output(pfkey_print_policy, &m, T_NOW,
	    "2001:db8:1::/48[any] 2001:db8:2::1[443] tcp\n"
	    "\tout ipsec\n"
	    "\tesp/tunnel/2001:db8::a-2001:db8::b/require\n"
	    "\tspid=21 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");

	/* ICMPv6: no [port]; type and code follow "icmp6". */
	policy_base(&m, "2001:db8::1", 128, 135, "2001:db8::2", 128, 0,
	    IPPROTO_ICMPV6);
	policy_type(&m, PFKEY_DIR_INBOUND, PFKEY_POLICY_BYPASS, 22);
	check_output(pfkey_print_policy, &m, T_NOW,
	    "2001:db8::1 2001:db8::2 icmp6 135,0\n"
	    "\tin bypass\n"
	    "\tspid=22 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");
	policy_base(&m, "::", 0, 0, "::", 0, 0, IPPROTO_ICMPV6);
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_BYPASS, 23);
	check_output(pfkey_print_policy, &m, T_NOW,
	    "::/0 ::/0 icmp6\n"
	    "\tout bypass\n"
	    "\tspid=23 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");
}

/* Upper-layer names: ip4 special case, table names, else the number. */
ATF_TC_WITHOUT_HEAD(policy_ulproto_names);
ATF_TC_BODY(policy_ulproto_names, tc)
{
	static const struct {
		uint8_t		 proto;
		const char	*name;
	} cases[] = {
		{ 4, "ip4" }, { 1, "icmp" }, { 47, "gre" }, { 132, "sctp" },
		{ 200, "200" },
	};
	struct pfkey_msg m;
	char expected[256];
	size_t i;

	utc();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		policy_base(&m, "192.0.2.1", 32, 0, "192.0.2.2", 32, 0,
		    cases[i].proto);
		policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_DISCARD, 1);
		snprintf(expected, sizeof(expected),
		    "192.0.2.1[any] 192.0.2.2[any] %s\n\tout discard\n"
		    "\tspid=1 seq=0 pid=4242 scope=global \n\trefcnt=1\n",
		    cases[i].name);
		check_output(pfkey_print_policy, &m, T_NOW, expected);
	}
}

/* Scopes: "ifnet" names the interface; unnamed scopes print a number. */
ATF_TC_WITHOUT_HEAD(policy_scope);
ATF_TC_BODY(policy_scope, tc)
{
	struct if_nameindex *ifs;
	struct pfkey_msg m;
	char expected[512];

	utc();
	ifs = if_nameindex();
	ATF_REQUIRE(ifs != NULL && ifs[0].if_name != NULL);

	policy_base(&m, "192.0.2.1", 32, 0, "192.0.2.2", 32, 0,
	    PFKEY_ULPROTO_ANY);
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_DISCARD, 2);
	m.policy.scope = PFKEY_SCOPE_IFNET;
	m.policy.priority = ifs[0].if_index;
	snprintf(expected, sizeof(expected),
	    "192.0.2.1[any] 192.0.2.2[any] any\n\tout discard\n"
	    "\tspid=2 seq=0 pid=4242 scope=ifnet ifname=%s\n\trefcnt=1\n",
	    ifs[0].if_name);
	if_freenameindex(ifs);
	check_output(pfkey_print_policy, &m, T_NOW, expected);

	m.policy.scope = PFKEY_SCOPE_ANY;
	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.1[any] 192.0.2.2[any] any\n\tout discard\n"
	    "\tspid=2 seq=0 pid=4242 scope=0 \n\trefcnt=1\n");
}

ATF_TC_WITHOUT_HEAD(policy_odd_input);
ATF_TC_BODY(policy_odd_input, tc)
{
	struct pfkey_msg m;

	utc();
	policy_base(&m, "192.0.2.1", 32, 0, "192.0.2.2", 32, 0,
	    IPPROTO_TCP);
	m.addr_dst.proto = IPPROTO_UDP;
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_IPSEC, 2);
	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.1[any] 192.0.2.2[any] upper layer protocol mismatched.\n");

	m.addr_dst.proto = IPPROTO_TCP;
	m.policy.dir = 7;
	m.policy.nreq = 0;
	add_request(&m, IPPROTO_TCP, 9, 8, 0, NULL, NULL);
	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.1[any] 192.0.2.2[any] tcp\n"
	    "\t(invalid direction 7) ipsec\n"
	    "\t(invalid protocol 6)/(invalid mode 9)//(invalid level 8)\n"
	    "\tspid=2 seq=0 pid=4242 scope=global \n"
	    "\trefcnt=1\n");

	m.present &= ~(1u << PFKEY_EXT_X_POLICY);
	check_output(pfkey_print_policy, &m, T_NOW,
	    "192.0.2.1[any] 192.0.2.2[any] tcp"
	    "no X_POLICY extension.\n");
}

ATF_TC_WITHOUT_HEAD(monitor_header);
ATF_TC_BODY(monitor_header, tc)
{
	struct pfkey_msg m;
	char expected[256];

	utc();
	msg_base(&m, PFKEY_X_SPDFLUSH, PFKEY_SATYPE_UNSPEC, 12, 4242);
	snprintf(expected, sizeof(expected),
	    "%s satype=unspec errno=0 seq=12 pid=4242\n",
	    pfkey_msg_type_name(PFKEY_X_SPDFLUSH));
	check_output(pfkey_print_msg, &m, T_NOW, expected);

	/* An error reply names the errno. */
	msg_base(&m, PFKEY_ADD, PFKEY_SATYPE_ESP, 12, 4242);
	m.errnum = EEXIST;
	snprintf(expected, sizeof(expected),
	    "%s satype=esp errno=%d (%s) seq=12 pid=4242\n",
	    pfkey_msg_type_name(PFKEY_ADD), EEXIST, strerror(EEXIST));
	check_output(pfkey_print_msg, &m, T_NOW, expected);
}

/* The monitor prints the SA body, even without SA2 (GETSPI replies). */
ATF_TC_WITHOUT_HEAD(monitor_sa);
ATF_TC_BODY(monitor_sa, tc)
{
	struct pfkey_msg m;
	char expected[2048];

	utc();
	natt_sa(&m);
	m.type = PFKEY_ADD;
	snprintf(expected, sizeof(expected), "%s satype=esp errno=0 seq=1 "
	    "pid=4242\n%s", pfkey_msg_type_name(PFKEY_ADD), natt_sa_text);
	check_output(pfkey_print_msg, &m, T_NOW, expected);

	msg_base(&m, PFKEY_GETSPI, PFKEY_SATYPE_ESP, 8, 99);
	sa_addrs(&m, "203.0.113.2", "198.51.100.1");
	sa_set(&m, 0x100, PFKEY_SASTATE_LARVAL, 0, 0);
	snprintf(expected, sizeof(expected),
	    "%s satype=esp errno=0 seq=8 pid=99\n"
	    "203.0.113.2 198.51.100.1\n"
	    "\tesp mode=any spi=256(0x00000100) reqid=0(0x00000000)\n"
	    "\tseq=0x00000000 replay=0 flags=0x00000000 state=larval \n"
	    "\tsadb_seq=8 pid=99 refcnt=0\n",
	    pfkey_msg_type_name(PFKEY_GETSPI));
	check_output(pfkey_print_msg, &m, T_NOW, expected);
}

/* ACQUIRE carries addresses and X_POLICY, no SA: the policy body. */
ATF_TC_WITHOUT_HEAD(monitor_policy);
ATF_TC_BODY(monitor_policy, tc)
{
	struct pfkey_msg m;
	char expected[1024];

	utc();
	policy_base(&m, "192.0.2.7", 32, 0, "203.0.113.9", 32, 0,
	    PFKEY_ULPROTO_ANY);
	m.type = PFKEY_ACQUIRE;
	m.satype = PFKEY_SATYPE_ESP;
	m.seq = 31;
	m.pid = 0;
	m.reserved = 0;
	policy_type(&m, PFKEY_DIR_OUTBOUND, PFKEY_POLICY_IPSEC, 5);
	snprintf(expected, sizeof(expected),
	    "%s satype=esp errno=0 seq=31 pid=0\n"
	    "192.0.2.7[any] 203.0.113.9[any] any\n"
	    "\tout ipsec\n"
	    "\tspid=5 seq=31 pid=0 scope=global \n"
	    "\trefcnt=0\n", pfkey_msg_type_name(PFKEY_ACQUIRE));
	check_output(pfkey_print_msg, &m, T_NOW, expected);
}

/* X_PROMISC: the wrapped message is decoded and printed after it. */
ATF_TC_WITHOUT_HEAD(monitor_promisc);
ATF_TC_BODY(monitor_promisc, tc)
{
	struct pfkey_msg inner, m;
	struct pfkey_error err;
	uint8_t wire[1024];
	size_t len = 0;
	char expected[2048];

	utc();
	msg_base(&inner, PFKEY_DELETE, PFKEY_SATYPE_ESP, 6, 555);
	sa_addrs(&inner, "192.0.2.1", "192.0.2.2");
	sa_set(&inner, 0x2000, PFKEY_SASTATE_MATURE, 0, 0);
	ATF_REQUIRE_MSG(pfkey_msg_encode(&inner, &pfkey_dialect_freebsd, wire,
	    sizeof(wire), &len, &err) == 0, "%s", err.reason);

	msg_base(&m, PFKEY_X_PROMISC, PFKEY_SATYPE_UNSPEC, 0, 0);
	m.inner = wire;
	m.inner_len = (uint16_t)len;
	snprintf(expected, sizeof(expected),
	    "%s satype=unspec errno=0 seq=0 pid=0 inner=%zu\n"
	    "inner: %s satype=esp errno=0 seq=6 pid=555\n"
	    "192.0.2.1 192.0.2.2\n"
	    "\tesp mode=any spi=8192(0x00002000) reqid=0(0x00000000)\n"
	    "\tseq=0x00000000 replay=0 flags=0x00000000 state=mature \n"
	    "\tsadb_seq=6 pid=555 refcnt=0\n",
	    pfkey_msg_type_name(PFKEY_X_PROMISC), len,
	    pfkey_msg_type_name(PFKEY_DELETE));
	check_output(pfkey_print_msg, &m, T_NOW, expected);

	/* Garbage inside: said so, with the decoder's reason. */
	memset(wire, 0xee, 16);
	m.inner_len = 16;
	{
		char *got = render(pfkey_print_msg, &m, T_NOW);

		ATF_CHECK_MSG(strstr(got, "\ninner: undecodable 16 bytes: ")
		    != NULL, "%s", got);
		free(got);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sa_esp_natt_tunnel);
	ATF_TP_ADD_TC(tp, sa_natt_oai_only);
	ATF_TP_ADD_TC(tp, sa_esp_transport);
	ATF_TP_ADD_TC(tp, sa_esp_gcm);
	ATF_TP_ADD_TC(tp, sa_ah);
	ATF_TP_ADD_TC(tp, sa_larval);
	ATF_TP_ADD_TC(tp, sa_missing_extensions);
	ATF_TP_ADD_TC(tp, policy_tunnel);
	ATF_TP_ADD_TC(tp, policy_transport_require);
	ATF_TP_ADD_TC(tp, policy_unique_reqid);
	ATF_TP_ADD_TC(tp, policy_bypass_discard_none);
	ATF_TP_ADD_TC(tp, policy_ipv6);
	ATF_TP_ADD_TC(tp, policy_ulproto_names);
	ATF_TP_ADD_TC(tp, policy_scope);
	ATF_TP_ADD_TC(tp, policy_odd_input);
	ATF_TP_ADD_TC(tp, monitor_header);
	ATF_TP_ADD_TC(tp, monitor_sa);
	ATF_TP_ADD_TC(tp, monitor_policy);
	ATF_TP_ADD_TC(tp, monitor_promisc);
	return atf_no_error();
}
