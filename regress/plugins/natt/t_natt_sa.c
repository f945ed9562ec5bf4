/*
 * The natt plugin in quick mode and at the kernel: the Encapsulation
 * Mode values (RFC 3947 3/4, drafts 61443/61444), NAT-OA payloads for
 * transport mode, the PF_KEY NAT-T extensions each SA gets (its own
 * direction's ports, the original addresses), SAs moved after the peer's
 * NAT mapping changed, and NAT-keepalives on the fake clock.
 *
 * The network of natt_fake.c: initiator 192.0.2.2 behind a NAT at
 * 198.51.100.1 (its port 4500 maps to 31002), responder 203.0.113.2.
 */
#include <sys/socket.h>

#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "natt_fake.h"
#include "pfkey.h"

static const uint8_t draft02n[16] = { 0x90, 0xcb, 0x80, 0x91, 0x3e, 0xbb,
    0x69, 0x6e, 0x08, 0x63, 0x81, 0xb5, 0xec, 0x42, 0x7b, 0x1f };

/* Main mode between the two ends; draft: the initiator hears 02\n only. */
static void
negotiate(struct fake_net *n, bool i_nat, bool r_nat, bool draft)
{
	fake_net_init(n, i_nat, r_nat, EVP_sha1());
	if (draft) {
		ATF_REQUIRE_EQ(plugin_run_vendor_id(&n->r1, draft02n, 16), 1);
		ATF_REQUIRE_EQ(plugin_run_vendor_id(&n->i1, draft02n, 16), 1);
	} else
		fake_mm_vids(n);
	ATF_REQUIRE_EQ(fake_mm_rest(n), 0);
}

static void
finish(struct fake_net *n)
{
	plugin_run_p1_deleted(&n->i1);
	plugin_run_p1_deleted(&n->r1);
	fake_net_free(n);
}

static uint16_t
encap(struct oakley_phase2 *p2, bool inbound, uint16_t attr)
{
	ATF_CHECK_EQ(plugin_run_p2_encap(p2, inbound, &attr), 0);
	return attr;
}

ATF_TC_WITHOUT_HEAD(encap_rfc);
ATF_TC_BODY(encap_rfc, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	ATF_CHECK_EQ(encap(&n.i2, false, 1), 3);	/* tunnel */
	ATF_CHECK_EQ(encap(&n.i2, false, 2), 4);	/* transport */
	ATF_CHECK_EQ(fake_flag_int(n.i2.flags, "natt.udp"), 1);
	ATF_CHECK_EQ(encap(&n.r2, true, 3), 1);
	ATF_CHECK_EQ(encap(&n.r2, true, 4), 2);
	ATF_CHECK_EQ(fake_flag_int(n.r2.flags, "natt.udp"), 1);
	/* Either numbering is understood when it arrives. */
	ATF_CHECK_EQ(encap(&n.r2, true, 61443), 1);
	ATF_CHECK_EQ(encap(&n.r2, true, 61444), 2);
	/* Plain modes and other values pass untouched. */
	ATF_CHECK_EQ(encap(&n.r2, true, 1), 1);
	ATF_CHECK_EQ(encap(&n.r2, true, 2), 2);
	ATF_CHECK_EQ(encap(&n.r2, true, 5), 5);
	ATF_CHECK_EQ(encap(&n.i2, false, 5), 5);
	finish(&n);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(encap_draft);
ATF_TC_BODY(encap_draft, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, true);
	ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.version"),
	    "draft-ietf-ipsec-nat-t-ike-02\\n");
	ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.nat"), "local");
	ATF_CHECK_EQ(encap(&n.i2, false, 1), 61443);
	ATF_CHECK_EQ(encap(&n.i2, false, 2), 61444);
	ATF_CHECK_EQ(encap(&n.r2, false, 1), 61443);
	ATF_CHECK_EQ(encap(&n.r2, true, 61443), 1);
	ATF_CHECK_EQ(encap(&n.r2, true, 61444), 2);
	finish(&n);
	fake_teardown();
}

/* No NAT: plain modes out, UDP-encapsulated ones not accepted in. */
ATF_TC_WITHOUT_HEAD(encap_without_nat);
ATF_TC_BODY(encap_without_nat, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	negotiate(&n, false, false, false);
	ATF_CHECK_EQ(encap(&n.i2, false, 1), 1);
	ATF_CHECK_EQ(encap(&n.i2, false, 2), 2);
	ATF_CHECK_EQ(encap(&n.r2, true, 3), 3);		/* the core refuses */
	ATF_CHECK_EQ(encap(&n.r2, true, 61444), 61444);
	ATF_CHECK_EQ(fake_flag_int(n.i2.flags, "natt.udp"), -1);
	ATF_CHECK_EQ(fake_flag_int(n.r2.flags, "natt.udp"), -1);
	ATF_CHECK_MATCH("peer client proposes UDP encapsulation \\(3\\) "
	    "without NAT traversal; refused", fake_log());
	finish(&n);
	fake_teardown();
}

static void
check_natoa(const struct fake_payload *p, uint8_t type, const char *ip)
{
	struct oakley_addr a;

	fake_addr(&a, ip, 0);
	ATF_CHECK_EQ(p->type, type);
	ATF_REQUIRE_EQ(p->len, 8);
	ATF_CHECK_EQ(p->body[0], 1);		/* ID_IPV4_ADDR */
	ATF_CHECK(p->body[1] == 0 && p->body[2] == 0 && p->body[3] == 0);
	ATF_CHECK_MSG(memcmp(p->body + 4, a.addr, 4) == 0, "NAT-OA %s", ip);
}

/* Quick mode 1 and 2 in UDP-encapsulated transport mode. */
static void
natoa_exchange(struct fake_net *n, uint8_t type)
{
	struct oakley_msg m;

	encap(&n->i2, false, 2);
	ATF_REQUIRE_EQ(fake_send(n, true, OAKLEY_EXCH_QUICK, 1, &m), 0);
	ATF_REQUIRE_EQ(m.nadded, 2);
	check_natoa(&m.added[0], type, "192.0.2.2");	/* NAT-OAi: itself */
	check_natoa(&m.added[1], type, "203.0.113.2");	/* NAT-OAr: as seen */
	ATF_CHECK_STREQ(fake_flag_str(n->r2.flags, "natt.oai"), "192.0.2.2");
	ATF_CHECK_STREQ(fake_flag_str(n->r2.flags, "natt.oar"),
	    "203.0.113.2");
	ATF_CHECK_EQ(fake_flag_int(n->r2.flags, "natt.oa_count"), -1);

	encap(&n->r2, true, type == 21 ? 4 : 61444);
	encap(&n->r2, false, 2);
	ATF_REQUIRE_EQ(fake_send(n, false, OAKLEY_EXCH_QUICK, 2, &m), 0);
	ATF_REQUIRE_EQ(m.nadded, 2);
	check_natoa(&m.added[0], type, "198.51.100.1");	/* as seen */
	check_natoa(&m.added[1], type, "203.0.113.2");	/* itself */
	ATF_CHECK_STREQ(fake_flag_str(n->i2.flags, "natt.oai"),
	    "198.51.100.1");
	ATF_CHECK_STREQ(fake_flag_str(n->i2.flags, "natt.oar"),
	    "203.0.113.2");
}

ATF_TC_WITHOUT_HEAD(natoa_transport);
ATF_TC_BODY(natoa_transport, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	natoa_exchange(&n, 21);
	finish(&n);

	negotiate(&n, true, false, true);
	natoa_exchange(&n, 131);
	finish(&n);
	fake_teardown();
}

/* Tunnel mode, or no NAT: no NAT-OA. */
ATF_TC_WITHOUT_HEAD(natoa_not_sent);
ATF_TC_BODY(natoa_not_sent, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	n.i2.mode = OAKLEY_MODE_TUNNEL;
	ATF_CHECK_EQ(encap(&n.i2, false, 1), 3);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_QUICK, 1, &m), 0);
	ATF_CHECK_EQ(m.nadded, 0);
	finish(&n);

	negotiate(&n, false, false, false);
	ATF_CHECK_EQ(encap(&n.i2, false, 2), 2);
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_QUICK, 1, &m), 0);
	ATF_CHECK_EQ(m.nadded, 0);
	finish(&n);
	fake_teardown();
}

/* A draft responder's single NAT-OA is its own address; bad ones. */
ATF_TC_WITHOUT_HEAD(natoa_received);
ATF_TC_BODY(natoa_received, tc)
{
	struct fake_net n;
	struct oakley_msg m;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, true);
	encap(&n.r2, false, 2);
	ATF_REQUIRE_EQ(fake_build(&n, false, OAKLEY_EXCH_QUICK, 2, &m), 0);
	ATF_REQUIRE_EQ(m.nadded, 2);
	m.added[0] = m.added[1];
	m.nadded = 1;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.i2.flags, "natt.oai"), "");
	ATF_CHECK_STREQ(fake_flag_str(n.i2.flags, "natt.oar"),
	    "203.0.113.2");
	/* ID type 2 (an FQDN would be 2): the message is dropped. */
	m.added[0].body[0] = 2;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), -1);
	m.added[0].body[0] = 1;
	m.added[0].len = 7;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), -1);
	ATF_CHECK_MATCH("peer server: malformed NAT-OA \\(7 bytes, ID type "
	    "1\\); message dropped", fake_log());
	m.added[0].len = 0;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), -1);
	/* IPv6. */
	m.added[0].body[0] = 5;
	m.added[0].len = 20;
	memset(m.added[0].body + 4, 0, 16);
	m.added[0].body[4] = 0x20;
	m.added[0].body[5] = 0x01;
	m.added[0].body[6] = 0x0d;
	m.added[0].body[7] = 0xb8;
	m.added[0].body[19] = 0x09;
	ATF_CHECK_EQ(fake_deliver(&n, false, &m), 0);
	ATF_CHECK_STREQ(fake_flag_str(n.i2.flags, "natt.oar"), "2001:db8::9");
	finish(&n);
	fake_teardown();
}

/* ---- SAs ---- */

static void
sa_msg(struct pfkey_msg *m, const char *src, const char *dst, uint32_t spi)
{
	pfkey_msg_init(m, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 1, 1);
	m->sa.spi = spi;
	PFKEY_SET(m, PFKEY_EXT_SA);
	ATF_REQUIRE_EQ(pfkey_addr_parse(&m->addr_src, src), 0);
	ATF_REQUIRE_EQ(pfkey_addr_parse(&m->addr_dst, dst), 0);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
}

static void
check_natt(const struct pfkey_msg *m, uint16_t sport, uint16_t dport,
    const char *oai, const char *oar)
{
	char buf[64];

	ATF_REQUIRE(PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE));
	ATF_CHECK(PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_SPORT));
	ATF_CHECK(PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_DPORT));
	ATF_CHECK_EQ(m->natt_type, PFKEY_NAT_T_ESPINUDP);
	ATF_CHECK_EQ(m->natt_sport, sport);
	ATF_CHECK_EQ(m->natt_dport, dport);
	ATF_CHECK_EQ(PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAI), oai != NULL);
	ATF_CHECK_EQ(PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_OAR), oar != NULL);
	if (oai != NULL)
		ATF_CHECK_STREQ(pfkey_addr_ntop(&m->natt_oai, buf,
		    sizeof(buf)), oai);
	if (oar != NULL)
		ATF_CHECK_STREQ(pfkey_addr_ntop(&m->natt_oar, buf,
		    sizeof(buf)), oar);
}

static void
install(struct pfkey_msg *m, struct oakley_peer *peer,
    struct oakley_phase2 *p2, bool inbound)
{
	struct oakley_sa sa;

	plugin_sa_init(&sa, m, peer, p2, inbound);
	ATF_CHECK_EQ(plugin_run_sa_install(&sa), 0);
}

/*
 * Transport mode through the initiator's NAT.  The responder's SAs carry
 * the NAT's port 31002 as source inbound and as destination outbound;
 * both ends' SAs carry the original addresses the peer sent.
 */
ATF_TC_WITHOUT_HEAD(sa_install_transport);
ATF_TC_BODY(sa_install_transport, tc)
{
	struct fake_net n;
	struct pfkey_msg m;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	natoa_exchange(&n, 21);

	sa_msg(&m, "198.51.100.1", "203.0.113.2", 0xc1000001);
	install(&m, &n.rpeer, &n.r2, true);
	check_natt(&m, FAKE_NAT_PORT_FLOAT, 4500, "192.0.2.2", "203.0.113.2");
	sa_msg(&m, "203.0.113.2", "198.51.100.1", 0xc1000002);
	install(&m, &n.rpeer, &n.r2, false);
	check_natt(&m, 4500, FAKE_NAT_PORT_FLOAT, "192.0.2.2", "203.0.113.2");

	sa_msg(&m, "203.0.113.2", "192.0.2.2", 0xc1000002);
	install(&m, &n.ipeer, &n.i2, true);
	check_natt(&m, 4500, 4500, "198.51.100.1", "203.0.113.2");
	sa_msg(&m, "192.0.2.2", "203.0.113.2", 0xc1000001);
	install(&m, &n.ipeer, &n.i2, false);
	check_natt(&m, 4500, 4500, "198.51.100.1", "203.0.113.2");
	finish(&n);
	fake_teardown();
}

/* Tunnel mode: ports, no original addresses. */
ATF_TC_WITHOUT_HEAD(sa_install_tunnel);
ATF_TC_BODY(sa_install_tunnel, tc)
{
	struct fake_net n;
	struct pfkey_msg m;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	n.r2.mode = OAKLEY_MODE_TUNNEL;
	ATF_CHECK_EQ(encap(&n.r2, true, 3), 1);
	sa_msg(&m, "198.51.100.1", "203.0.113.2", 0xc1000003);
	install(&m, &n.rpeer, &n.r2, true);
	check_natt(&m, FAKE_NAT_PORT_FLOAT, 4500, NULL, NULL);
	sa_msg(&m, "203.0.113.2", "198.51.100.1", 0xc1000004);
	install(&m, &n.rpeer, &n.r2, false);
	check_natt(&m, 4500, FAKE_NAT_PORT_FLOAT, NULL, NULL);
	finish(&n);
	fake_teardown();
}

/* Without UDP encapsulation the SA gets no NAT-T extension. */
ATF_TC_WITHOUT_HEAD(sa_install_plain);
ATF_TC_BODY(sa_install_plain, tc)
{
	struct fake_net n;
	struct pfkey_msg m;

	fake_setup(tc, NULL);
	negotiate(&n, false, false, false);
	ATF_CHECK_EQ(encap(&n.r2, true, 2), 2);
	sa_msg(&m, "192.0.2.2", "203.0.113.2", 0xc1000005);
	install(&m, &n.rpeer, &n.r2, true);
	ATF_CHECK(!PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_TYPE));
	ATF_CHECK(!PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_SPORT));
	/* Re-installed without a quick mode: still none. */
	install(&m, &n.rpeer, NULL, true);
	ATF_CHECK(!PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_TYPE));
	finish(&n);
	fake_teardown();
}

/*
 * The initiator's NAT remaps 4500 to 31999: the responder follows and
 * asks the engine to re-install the SAs, whose ports move along (no
 * quick mode any more: from the SA and the peer).
 */
ATF_TC_WITHOUT_HEAD(sa_refresh_after_remap);
ATF_TC_BODY(sa_refresh_after_remap, tc)
{
	struct fake_net n;
	struct pfkey_msg in, out;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	natoa_exchange(&n, 21);
	sa_msg(&in, "198.51.100.1", "203.0.113.2", 0xc1000001);
	install(&in, &n.rpeer, &n.r2, true);
	sa_msg(&out, "203.0.113.2", "198.51.100.1", 0xc1000002);
	install(&out, &n.rpeer, &n.r2, false);

	n.i_nat_float_port = 31999;
	ATF_REQUIRE_EQ(fake_send(&n, true, OAKLEY_EXCH_INFO, 1, NULL), 0);
	ATF_REQUIRE_EQ(n.rpeer.refreshes, 1);
	install(&in, &n.rpeer, NULL, true);
	check_natt(&in, 31999, 4500, "192.0.2.2", "203.0.113.2");
	install(&out, &n.rpeer, NULL, false);
	check_natt(&out, 4500, 31999, "192.0.2.2", "203.0.113.2");
	/* With its quick mode still there, from the phase 1 directly. */
	sa_msg(&in, "198.51.100.1", "203.0.113.2", 0xc1000009);
	install(&in, &n.rpeer, &n.r2, true);
	check_natt(&in, 31999, 4500, "192.0.2.2", "203.0.113.2");
	finish(&n);
	fake_teardown();
}

/* ---- Keepalives ---- */

static void
advance(uint64_t ms)
{
	fake_now += ms;
	timers_run(fake_timers, fake_now);
}

ATF_TC_WITHOUT_HEAD(keepalive_default);
ATF_TC_BODY(keepalive_default, tc)
{
	struct fake_net n;

	fake_setup(tc, NULL);
	negotiate(&n, true, false, false);
	advance(19999);
	ATF_CHECK_EQ(n.i1.sends, 0);
	advance(1);
	ATF_CHECK_EQ(n.i1.sends, 1);
	ATF_CHECK_EQ(n.i1.sent_len, 1);
	ATF_CHECK_EQ(n.i1.sent[0], 0xff);
	advance(20000);
	ATF_CHECK_EQ(n.i1.sends, 2);
	/* The responder is not behind a NAT: it sends none. */
	ATF_CHECK_EQ(n.r1.sends, 0);
	/* Gone with its phase 1. */
	plugin_run_p1_deleted(&n.i1);
	advance(60000);
	ATF_CHECK_EQ(n.i1.sends, 2);
	finish(&n);
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(keepalive_configured);
ATF_TC_BODY(keepalive_configured, tc)
{
	struct fake_net n;

	fake_setup(tc, "plugin natt {\n\tkeepalive 5s;\n"
	    "\tassume-udp-encapsulation-context-on-send-rule 2;\n}\n");
	negotiate(&n, true, true, false);
	advance(5000);
	ATF_CHECK_EQ(n.i1.sends, 1);
	ATF_CHECK_EQ(n.r1.sends, 1);		/* both behind NATs */
	ATF_CHECK_EQ(n.r1.sent[0], 0xff);
	advance(4999);
	ATF_CHECK_EQ(n.i1.sends, 1);
	advance(1);
	ATF_CHECK_EQ(n.i1.sends, 2);
	ATF_CHECK_EQ(n.r1.sends, 2);
	finish(&n);
	fake_teardown();

	fake_setup(tc, "plugin natt { keepalive 0; }\n");
	negotiate(&n, true, false, false);
	advance(3600 * 1000);
	ATF_CHECK_EQ(n.i1.sends, 0);
	finish(&n);
	fake_teardown();

	/* No NAT: none. */
	fake_setup(tc, NULL);
	negotiate(&n, false, false, false);
	advance(60000);
	ATF_CHECK_EQ(n.i1.sends, 0);
	ATF_CHECK_EQ(n.r1.sends, 0);
	finish(&n);
	fake_teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, encap_rfc);
	ATF_TP_ADD_TC(tp, encap_draft);
	ATF_TP_ADD_TC(tp, encap_without_nat);
	ATF_TP_ADD_TC(tp, natoa_transport);
	ATF_TP_ADD_TC(tp, natoa_not_sent);
	ATF_TP_ADD_TC(tp, natoa_received);
	ATF_TP_ADD_TC(tp, sa_install_transport);
	ATF_TP_ADD_TC(tp, sa_install_tunnel);
	ATF_TP_ADD_TC(tp, sa_install_plain);
	ATF_TP_ADD_TC(tp, sa_refresh_after_remap);
	ATF_TP_ADD_TC(tp, keepalive_default);
	ATF_TP_ADD_TC(tp, keepalive_configured);
	return atf_no_error();
}
