/*
 * The natt plugin in main mode: NAT-D hashes (known answers computed
 * with Python's hashlib and again here with OpenSSL from the bytes RFC
 * 3947 3.2 names), NAT detection in the four cases (no NAT, initiator
 * behind a NAT, responder behind a NAT, both), the move to the NAT-T
 * ports, the AssumeUDPEncapsulationContextOnSendRule decisions, and
 * following a peer whose NAT mapping changed.
 *
 * Both ends run in this one plugin instance (natt_fake.c): the initiator
 * at 192.0.2.2, behind a NAT at 198.51.100.1 when i_nat; the responder at
 * 203.0.113.2, or at 192.0.2.130 behind a port-forwarding NAT at
 * 203.0.113.2 when r_nat.
 */
#include <sys/socket.h>

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "natt_fake.h"
#include "testutil.h"

static const uint8_t cky_i[8] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08 };
static const uint8_t cky_r[8] = { 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07,
    0x18 };

/* HASH(CKY-I | CKY-R | IP | Port) assembled by hand. */
static size_t
natd_expected(const EVP_MD *md, const char *ip, uint16_t port, uint8_t *out)
{
	struct oakley_addr a;
	uint8_t buf[64];
	unsigned int n = 0;
	size_t len = 0, alen;

	fake_addr(&a, ip, port);
	alen = a.family == AF_INET ? 4 : 16;
	memcpy(buf, cky_i, 8);
	memcpy(buf + 8, cky_r, 8);
	memcpy(buf + 16, a.addr, alen);
	len = 16 + alen;
	buf[len++] = (uint8_t)(port >> 8);
	buf[len++] = (uint8_t)port;
	ATF_REQUIRE(EVP_Digest(buf, len, out, &n, md, NULL));
	return n;
}

static void
check_natd(const struct fake_payload *p, uint8_t type, const EVP_MD *md,
    const char *ip, uint16_t port, const char *hex)
{
	uint8_t want[64], known[64];
	size_t n = natd_expected(md, ip, port, want);

	ATF_CHECK_EQ(p->type, type);
	ATF_REQUIRE_EQ(tu_hex_decode(hex, known, sizeof(known)), (int)n);
	ATF_CHECK_MSG(memcmp(want, known, n) == 0, "OpenSSL and Python "
	    "disagree for %s[%u]", ip, (unsigned)port);
	ATF_CHECK_EQ(p->len, n);
	ATF_CHECK_MSG(p->len == n && memcmp(p->body, known, n) == 0,
	    "NAT-D of %s[%u]", ip, (unsigned)port);
}

/* The initiator's main-mode message 3: NAT-D of where to, then from. */
static void
natd_kat(const atf_tc_t *tc, const EVP_MD *md, const char *hex_dst,
    const char *hex_src)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, md);
	fake_mm_vids(&n);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 3, &m), 0);
	ATF_REQUIRE_EQ(m.nadded, 2);
	check_natd(&m.added[0], 20, md, "203.0.113.2", 500, hex_dst);
	check_natd(&m.added[1], 20, md, "192.0.2.2", 500, hex_src);
	fake_net_free(&n);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(natd_hash_sha1);
ATF_TC_BODY(natd_hash_sha1, tc)
{
	natd_kat(tc, EVP_sha1(), "0fc4544cad8640b8bc22c8fcb4dc32eda2cea40c",
	    "b292bd5c16ab1ca097b0605acdf922a05fda88ee");
}

ATF_TC_WITHOUT_HEAD(natd_hash_md5);
ATF_TC_BODY(natd_hash_md5, tc)
{
	natd_kat(tc, EVP_md5(), "17a35e3f2e7c507e4c37ecba4e4563b0",
	    "9f310c5189bf8414a37ee0486804a543");
}

ATF_TC_WITHOUT_HEAD(natd_hash_sha256);
ATF_TC_BODY(natd_hash_sha256, tc)
{
	natd_kat(tc, EVP_sha256(),
	    "e4ee0536aca571a9bcff2a8a5e5d5919b1dbc1456af6d4018e60cd678924289c",
	    "3babbfc2c4fc62dd0e84846e9fb553ca9d334c3c9f74066f01b3ce1f166ef2c9");
}

/* IPv6 addresses, and the draft payload number 130. */
ATF_TC_WITHOUT_HEAD(natd_hash_ipv6_draft);
ATF_TC_BODY(natd_hash_ipv6_draft, tc)
{
	static const uint8_t draft02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e,
	    0xbb, 0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	fake_addr(&n.i1.local, "2001:db8:1::1", 500);
	fake_addr(&n.i1.remote, "2001:db8::2", 500);
	fake_addr(&n.r1.local, "2001:db8::2", 500);
	fake_addr(&n.r1.remote, "2001:db8:1::1", 500);
	/* A Windows XP responder: draft 02\n only. */
	ATF_CHECK_EQ(plugin_run_vendor_id(&n.i1, draft02n, 16), 1);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 3, &m), 0);
	ATF_REQUIRE_EQ(m.nadded, 2);
	check_natd(&m.added[0], 130, EVP_sha1(), "2001:db8::2", 500,
	    "d1ddc47f380541521747778c4abc49f144a0bfef");
	check_natd(&m.added[1], 130, EVP_sha1(), "2001:db8:1::1", 500,
	    "8444c514a24e35cfbbcba7e5b039574d135c25f8");
	fake_net_free(&n);
	fake_teardown();
}

/* No NAT-D at all without NAT-T, and none in other messages. */
ATF_TC_WITHOUT_HEAD(natd_only_when_negotiated);
ATF_TC_BODY(natd_only_when_negotiated, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	ATF_CHECK_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 3, &m), 0);
	ATF_CHECK_EQ(m.nadded, 0);
	fake_mm_vids(&n);
	ATF_CHECK_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 1, &m), 0);
	ATF_CHECK_EQ(m.nadded, 0);
	ATF_CHECK_EQ(fake_send(&n, false, OAKLEY_EXCH_MAIN, 2, &m), 0);
	ATF_CHECK_EQ(m.nadded, 0);
	ATF_CHECK_EQ(fake_send(&n, false, OAKLEY_EXCH_MAIN, 4, &m), 0);
	ATF_CHECK_EQ(m.nadded, 2);
	fake_net_free(&n);
	fake_teardown();
}

struct nat_case {
	bool		 i_nat, r_nat;
	const char	*i_sees, *r_sees;	/* natt.nat of each end */
	const char	*i_log;
};

static const struct nat_case nat_cases[] = {
	{ false, false, "none", "none", "peer server: NAT-T RFC 3947, no NAT "
	  "between us" },
	{ true, false, "local", "remote", "peer server: NAT-T RFC 3947, we are "
	  "behind a NAT" },
	{ false, true, "remote", "local", "peer server: NAT-T RFC 3947, the "
	  "peer is behind a NAT" },
	{ true, true, "both", "both", "peer server: NAT-T RFC 3947, both ends "
	  "are behind NATs" },
};

/* Detection, floating and where each end ends up talking to. */
static void
run_nat_case(const struct nat_case *c)
{
	struct fake_net n;
	bool nat = c->i_nat || c->r_nat;

	fake_net_init(&n, c->i_nat, c->r_nat, EVP_sha1());
	ATF_REQUIRE_EQ(fake_main_mode(&n), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.nat"), c->i_sees);
	ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.nat"), c->r_sees);
	ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.version"),
	    "RFC 3947");
	ATF_CHECK_MATCH(c->i_log, fake_log());
	/* Moved to 4500 from message 5 on, only with a NAT. */
	ATF_CHECK_EQ(n.i1.floats, nat ? 1 : 0);
	ATF_CHECK_EQ(n.r1.floats, nat ? 1 : 0);
	ATF_CHECK_EQ(n.i1.local.port, nat ? 4500 : 500);
	ATF_CHECK_EQ(n.i1.remote.port, nat ? 4500 : 500);
	ATF_CHECK_EQ(n.r1.local.port, nat ? 4500 : 500);
	/* The responder follows the initiator's NAT mapping of 4500. */
	ATF_CHECK_EQ(n.r1.remote.port, c->i_nat ? FAKE_NAT_PORT_FLOAT :
	    nat ? 4500 : 500);
	ATF_CHECK_EQ(n.r1.set_remotes, c->i_nat ? 1 : 0);
	ATF_CHECK_EQ(n.i1.set_remotes, 0);
	ATF_CHECK_EQ(fake_flag_int(n.rpeer.flags, "natt.remote_port"),
	    c->i_nat ? FAKE_NAT_PORT_FLOAT : nat ? 4500 : -1);
	/* Nothing was established yet when it moved: no SA refresh. */
	ATF_CHECK_EQ(n.rpeer.refreshes, 0);
	plugin_run_p1_deleted(&n.i1);
	plugin_run_p1_deleted(&n.r1);
	fake_net_free(&n);
}

ATF_TC_WITHOUT_HEAD(detect_none);
ATF_TC_BODY(detect_none, tc)
{
	fake_setup(tc, NULL);
	run_nat_case(&nat_cases[0]);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(detect_initiator_behind_nat);
ATF_TC_BODY(detect_initiator_behind_nat, tc)
{
	fake_setup(tc, NULL);
	run_nat_case(&nat_cases[1]);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(detect_responder_behind_nat);
ATF_TC_BODY(detect_responder_behind_nat, tc)
{
	fake_setup(tc, "plugin natt { "
	    "assume-udp-encapsulation-context-on-send-rule 1; }\n");
	run_nat_case(&nat_cases[2]);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(detect_both_behind_nat);
ATF_TC_BODY(detect_both_behind_nat, tc)
{
	fake_setup(tc, "plugin natt { "
	    "assume-udp-encapsulation-context-on-send-rule 2; }\n");
	run_nat_case(&nat_cases[3]);
	fake_teardown();
}

/* Bad or missing NAT-D. */
ATF_TC_WITHOUT_HEAD(natd_bad_input);
ATF_TC_BODY(natd_bad_input, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	fake_mm_vids(&n);
	/* A hash one byte short: the message is dropped. */
	ATF_REQUIRE_EQ(fake_build(&n, true, OAKLEY_EXCH_MAIN, 3, &m), 0);
	m.added[1].len = 19;
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), -1);
	ATF_CHECK_MATCH("peer client: NAT-D payload of 19 bytes, the "
	    "negotiated hash has 20; message dropped", fake_log());
	/* The draft number under RFC 3947: ignored, so no NAT-D seen. */
	m.added[0].type = m.added[1].type = 130;
	m.added[1].len = 20;
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), 0);
	ATF_CHECK_MATCH("peer client sent NAT-D as payload 130, but RFC 3947 "
	    "uses 20; ignored", fake_log());
	ATF_CHECK_MATCH("peer client announced RFC 3947 but sent no NAT-D: no "
	    "NAT traversal", fake_log());
	ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.nat"), "");
	/* Only the destination hash: the source matched none, so NAT. */
	m.added[0].type = 20;
	m.nadded = 1;
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.nat"), "remote");
	/* NAT-D in message 5 is not read. */
	m.nadded = 2;
	m.number = 5;
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), 0);
	ATF_CHECK_MATCH("peer client sent NAT-D in exchange 2 message 5; "
	    "ignored", fake_log());
	fake_net_free(&n);
	fake_teardown();
}

/* The initiator without NAT-D from the responder does not float. */
ATF_TC_WITHOUT_HEAD(no_natd_no_float);
ATF_TC_BODY(no_natd_no_float, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, true, false, EVP_sha1());
	fake_mm_vids(&n);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 3, NULL), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.nat"), "remote");
	ATF_REQUIRE_EQ(fake_build(&n, false, OAKLEY_EXCH_MAIN, 4, &m), 0);
	ATF_CHECK_EQ(m.nadded, 2);
	m.nadded = 0;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.nat"), "");
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 5, NULL), 0);
	ATF_CHECK_EQ(n.i1.floats, 0);
	ATF_CHECK_EQ(n.i1.local.port, 500);
	fake_net_free(&n);
	fake_teardown();
}

/*
 * AssumeUDPEncapsulationContextOnSendRule: 0 refuses a responder behind
 * a NAT, 1 allows it but not both ends behind NATs, 2 allows all.  The
 * initiator decides, before it moves to the NAT-T port (message 5).
 */
static void
policy_case(const atf_tc_t *tc, unsigned rule, bool i_nat, bool r_nat,
    const char *refusal)
{
	char conf[128];
	struct fake_net n;
	int rc;

	snprintf(conf, sizeof(conf), "plugin natt { "
	    "assume-udp-encapsulation-context-on-send-rule %u; }\n", rule);
	fake_setup(tc, conf);
	fake_net_init(&n, i_nat, r_nat, EVP_sha1());
	rc = fake_main_mode(&n);
	if (refusal == NULL) {
		ATF_CHECK_EQ_MSG(rc, 0, "rule %u, NAT %d %d", rule, i_nat,
		    r_nat);
		ATF_CHECK_EQ(n.i1.floats, i_nat || r_nat ? 1 : 0);
		ATF_CHECK_EQ(fake_flag_int(n.i1.flags, "natt.refused"), -1);
		ATF_CHECK(strstr(fake_log(), "refused") == NULL);
	} else {
		ATF_CHECK_EQ_MSG(rc, 5, "rule %u, NAT %d %d", rule, i_nat,
		    r_nat);
		ATF_CHECK_EQ(n.i1.floats, 0);
		ATF_CHECK_EQ(fake_flag_int(n.i1.flags, "natt.refused"), rule);
		ATF_CHECK_MATCH(refusal, fake_log());
	}
	fake_net_free(&n);
	fake_teardown();
}

#define REFUSED		"peer server: refused by "			\
			"assume-udp-encapsulation-context-on-send-rule "

ATF_TC_WITHOUT_HEAD(send_rule_0);
ATF_TC_BODY(send_rule_0, tc)
{
	policy_case(tc, 0, false, false, NULL);
	policy_case(tc, 0, true, false, NULL);
	policy_case(tc, 0, false, true, REFUSED "0: the responder \\(server\\) "
	    "is behind a NAT \\(1 or 2 allows it\\)");
	policy_case(tc, 0, true, true, REFUSED "0: the responder \\(server\\) "
	    "is behind a NAT \\(2 allows it\\)");
}

ATF_TC_WITHOUT_HEAD(send_rule_1);
ATF_TC_BODY(send_rule_1, tc)
{
	policy_case(tc, 1, false, false, NULL);
	policy_case(tc, 1, true, false, NULL);
	policy_case(tc, 1, false, true, NULL);
	policy_case(tc, 1, true, true, REFUSED "1: both ends are behind NATs "
	    "\\(2 allows it\\)");
}

ATF_TC_WITHOUT_HEAD(send_rule_2);
ATF_TC_BODY(send_rule_2, tc)
{
	policy_case(tc, 2, false, false, NULL);
	policy_case(tc, 2, true, false, NULL);
	policy_case(tc, 2, false, true, NULL);
	policy_case(tc, 2, true, true, NULL);
}

/* The responder does not apply the rule: behind a NAT with rule 0. */
ATF_TC_WITHOUT_HEAD(send_rule_responder);
ATF_TC_BODY(send_rule_responder, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, true, true, EVP_sha1());
	fake_mm_vids(&n);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_MAIN, 3, NULL), 0);
	ATF_REQUIRE_EQ(fake_send(&n, false, OAKLEY_EXCH_MAIN, 4, NULL), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.nat"), "both");
	/* An initiator with another rule floats and sends message 5. */
	ATF_REQUIRE_EQ(fake_engine.phase1_float(&n.i1), 0);
	fake_msg(&m, &n.i1, NULL, OAKLEY_EXCH_MAIN, 5, false);
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), 0);
	ATF_CHECK_EQ(n.r1.floats, 1);
	ATF_CHECK_EQ(n.r1.remote.port, FAKE_NAT_PORT_FLOAT);
	ATF_CHECK_EQ(fake_send(&n, false, OAKLEY_EXCH_MAIN, 6, NULL), 0);
	ATF_CHECK(strstr(fake_log(), "refused") == NULL);
	fake_net_free(&n);
	fake_teardown();
}

/*
 * The initiator's NAT forgets its mapping and picks a new port: the
 * responder's next authenticated message from it moves the phase 1 and
 * the SAs there.
 */
ATF_TC_WITHOUT_HEAD(follow_new_mapping);
ATF_TC_BODY(follow_new_mapping, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	fake_net_init(&n, true, false, EVP_sha1());
	ATF_REQUIRE_EQ(fake_main_mode(&n), 0);
	ATF_REQUIRE_EQ(n.r1.remote.port, FAKE_NAT_PORT_FLOAT);
	ATF_REQUIRE_EQ(n.r1.set_remotes, 1);

	/* Same mapping: nothing to do. */
	ATF_CHECK_EQ(fake_send(&n, true, OAKLEY_EXCH_INFO, 1, NULL), 0);
	ATF_CHECK_EQ(n.r1.set_remotes, 1);
	ATF_CHECK_EQ(n.rpeer.refreshes, 0);

	n.i_nat_float_port = 31999;
	ATF_CHECK_EQ(fake_send(&n, true, OAKLEY_EXCH_INFO, 1, NULL), 0);
	ATF_CHECK_EQ(n.r1.set_remotes, 2);
	ATF_CHECK_EQ(n.r1.remote.port, 31999);
	ATF_CHECK_EQ(fake_flag_int(n.rpeer.flags, "natt.remote_port"), 31999);
	ATF_CHECK_EQ(n.rpeer.refreshes, 1);
	ATF_CHECK_MATCH("peer client moved from 198.51.100.1\\[31002\\] to "
	    "198.51.100.1\\[31999\\]; following", fake_log());
	/* A quick mode from there again: already followed. */
	ATF_CHECK_EQ(fake_send(&n, true, OAKLEY_EXCH_QUICK, 1, NULL), 0);
	ATF_CHECK_EQ(n.r1.set_remotes, 2);
	ATF_CHECK_EQ(n.rpeer.refreshes, 1);
	/* The initiator never moved. */
	ATF_CHECK_EQ(fake_send(&n, false, OAKLEY_EXCH_INFO, 2, NULL), 0);
	ATF_CHECK_EQ(n.i1.set_remotes, 0);
	fake_net_free(&n);
	fake_teardown();
}

/* Without NAT-T in use a new source is not followed. */
ATF_TC_WITHOUT_HEAD(no_follow_without_natt);
ATF_TC_BODY(no_follow_without_natt, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	ATF_REQUIRE_EQ(fake_main_mode(&n), 0);
	fake_msg(&m, &n.i1, NULL, OAKLEY_EXCH_INFO, 1, false);
	m.src.port = 1234;
	ATF_CHECK_EQ(fake_deliver(&n, true, &m), 0);
	ATF_CHECK_EQ(n.r1.set_remotes, 0);
	ATF_CHECK_EQ(n.r1.remote.port, 500);
	ATF_CHECK_EQ(n.rpeer.refreshes, 0);
	fake_net_free(&n);
	fake_teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, natd_hash_sha1);
	ATF_TP_ADD_TC(tp, natd_hash_md5);
	ATF_TP_ADD_TC(tp, natd_hash_sha256);
	ATF_TP_ADD_TC(tp, natd_hash_ipv6_draft);
	ATF_TP_ADD_TC(tp, natd_only_when_negotiated);
	ATF_TP_ADD_TC(tp, detect_none);
	ATF_TP_ADD_TC(tp, detect_initiator_behind_nat);
	ATF_TP_ADD_TC(tp, detect_responder_behind_nat);
	ATF_TP_ADD_TC(tp, detect_both_behind_nat);
	ATF_TP_ADD_TC(tp, natd_bad_input);
	ATF_TP_ADD_TC(tp, no_natd_no_float);
	ATF_TP_ADD_TC(tp, send_rule_0);
	ATF_TP_ADD_TC(tp, send_rule_1);
	ATF_TP_ADD_TC(tp, send_rule_2);
	ATF_TP_ADD_TC(tp, send_rule_responder);
	ATF_TP_ADD_TC(tp, follow_new_mapping);
	ATF_TP_ADD_TC(tp, no_follow_without_natt);
	return atf_no_error();
}
