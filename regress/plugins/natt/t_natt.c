/*
 * The natt plugin (plugins/natt) through the real plugin host: loading,
 * configuration, what it registers, the NAT-T vendor IDs of every
 * revision and the choice of the best common one, and the port-4500
 * packet filter.
 *
 * The vendor IDs are checked against MD5 of their strings computed here
 * with OpenSSL, and against the hex of FACTS 4.1 (computed with Python).
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "natt_fake.h"
#include "testutil.h"

struct rev {
	const char	*text;		/* whose MD5 is the vendor ID */
	const char	*md5;		/* FACTS 4.1 */
	const char	*name;		/* what the plugin calls it */
	bool		 usable;
};

static const struct rev revs[] = {
	{ "draft-ietf-ipsec-nat-t-ike-00", "4485152d18b6bbcd0be8a8469579ddcc",
	  "draft-ietf-ipsec-nat-t-ike-00", false },
	{ "draft-ietf-ipsec-nat-t-ike-01", "16f6ca16e4a4066d83821a0f0aeaa862",
	  "draft-ietf-ipsec-nat-t-ike-01", false },
	{ "draft-ietf-ipsec-nat-t-ike-02", "cd60464335df21f87cfdb2fc68b6a448",
	  "draft-ietf-ipsec-nat-t-ike-02", true },
	{ "draft-ietf-ipsec-nat-t-ike-02\n",
	  "90cb80913ebb696e086381b5ec427b1f",
	  "draft-ietf-ipsec-nat-t-ike-02\\n", true },
	{ "draft-ietf-ipsec-nat-t-ike-03", "7d9419a65310ca6f2c179d9215529d56",
	  "draft-ietf-ipsec-nat-t-ike-03", true },
	{ "RFC 3947", "4a131c81070358455c5728f20e95452f", "RFC 3947", true },
};
#define NREVS		(sizeof(revs) / sizeof(revs[0]))
#define R00	0
#define R01	1
#define R02	2
#define R02N	3
#define R03	4
#define RFC	5

static void
vid_of(size_t i, uint8_t vid[16])
{
	uint8_t want[16];
	unsigned int n = 0;

	ATF_REQUIRE(EVP_Digest(revs[i].text, strlen(revs[i].text), vid, &n,
	    EVP_md5(), NULL));
	ATF_REQUIRE_EQ(n, 16);
	ATF_REQUIRE_EQ(tu_hex_decode(revs[i].md5, want, 16), 16);
	ATF_REQUIRE_MSG(memcmp(vid, want, 16) == 0, "MD5 of %s",
	    revs[i].name);
}

/* A peer announces the revisions in mask to the phase 1 "to". */
static void
announce(struct oakley_phase1 *to, unsigned mask)
{
	uint8_t vid[16];
	size_t i;

	for (i = 0; i < NREVS; i++) {
		if ((mask & (1u << i)) == 0)
			continue;
		vid_of(i, vid);
		ATF_CHECK_EQ(plugin_run_vendor_id(to, vid, 16), 1);
	}
}

ATF_TC_WITHOUT_HEAD(load_and_registrations);
ATF_TC_BODY(load_and_registrations, tc)
{
	const struct oakley_port *pt;
	struct plugin_info info;
	struct fake_net n;
	struct oakley_msg m;
	uint8_t body[20];
	size_t i;

	fake_setup(tc, NULL);
	ATF_CHECK(plugin_is_loaded("natt"));
	ATF_REQUIRE_EQ(plugin_info(0, &info), 0);
	ATF_CHECK_STREQ(info.name, "natt");
	ATF_CHECK_STREQ(info.description,
	    "NAT traversal (RFC 3947, RFC 3948, drafts 02 and 03)");
	ATF_CHECK_MATCH("keepalive 20 s, "
	    "assume-udp-encapsulation-context-on-send-rule 0", fake_log());

	/* The NAT-T port: non-ESP marker, ESP-in-UDP on the socket. */
	ATF_CHECK_EQ(plugin_port_count(), 1);
	ATF_REQUIRE((pt = plugin_port_lookup(OAKLEY_PORT_NATT)) != NULL);
	ATF_CHECK_EQ(pt->port, 4500);
	ATF_CHECK_EQ(pt->flags, OAKLEY_PORT_ESPINUDP);
	ATF_REQUIRE_EQ(pt->marker_len, 4);
	ATF_CHECK(memcmp(pt->marker, "\0\0\0\0", 4) == 0);
	ATF_CHECK(plugin_port_lookup(500) == NULL);

	/* Handlers for NAT-D and NAT-OA, RFC and draft numbers. */
	fake_net_init(&n, false, false, EVP_sha1());
	fake_msg(&m, &n.r1, &n.r2, OAKLEY_EXCH_MAIN, 3, true);
	memset(body, 0, sizeof(body));
	ATF_CHECK_EQ(plugin_run_payload(&m, 20, body, 20), 0);
	ATF_CHECK_EQ(plugin_run_payload(&m, 130, body, 20), 0);
	ATF_CHECK_EQ(plugin_run_payload(&m, 21, body, 8), 0);
	ATF_CHECK_EQ(plugin_run_payload(&m, 131, body, 8), 0);
	for (i = 14; i < 20; i++)
		ATF_CHECK_EQ(plugin_run_payload(&m, (uint8_t)i, body, 8), 1);
	ATF_CHECK_EQ(plugin_run_payload(&m, 132, body, 8), 1);
	/* Without NAT-T announced these were ignored, and said so. */
	ATF_CHECK_MATCH("peer client sent NAT-D without announcing NAT-T; "
	    "ignored", fake_log());
	fake_net_free(&n);
	fake_teardown();
	ATF_CHECK(plugin_port_lookup(OAKLEY_PORT_NATT) == NULL);
}

ATF_TC_WITHOUT_HEAD(config);
ATF_TC_BODY(config, tc)
{
	fake_setup(tc, "plugin natt {\n\tkeepalive 45s;\n"
	    "\tassume-udp-encapsulation-context-on-send-rule 2;\n}\n");
	ATF_CHECK_MATCH("keepalive 45 s, "
	    "assume-udp-encapsulation-context-on-send-rule 2", fake_log());
	fake_teardown();

	fake_setup(tc, "plugin natt { keepalive 0; }\n");
	ATF_CHECK_MATCH("keepalive 0 s, "
	    "assume-udp-encapsulation-context-on-send-rule 0", fake_log());
	fake_teardown();

	/* Reloaded: the defaults again. */
	fake_setup(tc, "plugin natt { }\n");
	ATF_CHECK_MATCH("keepalive 20 s, "
	    "assume-udp-encapsulation-context-on-send-rule 0", fake_log());
	fake_teardown();
}

static void
config_error(const atf_tc_t *tc, const char *conf, const char *want)
{
	char err[1024];

	ATF_CHECK_EQ(fake_setup_err(tc, conf, err, sizeof(err)), -1);
	ATF_CHECK_MSG(strstr(err, want) != NULL, "got '%s', want '%s'", err,
	    want);
	ATF_CHECK_MSG(strstr(err, "plugin 'natt': ") == err, "%s", err);
	ATF_CHECK(plugin_port_lookup(OAKLEY_PORT_NATT) == NULL);
	fake_teardown();
}

/* The commented block of etc/oakleyd.conf.sample, uncommented, loads. */
ATF_TC_WITHOUT_HEAD(config_sample);
ATF_TC_BODY(config_sample, tc)
{
	char path[1024], line[256], conf[2048] = "";
	bool in = false;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/../../../etc/oakleyd.conf.sample",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE((fp = fopen(path, "r")) != NULL);
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (strcmp(line, "#plugin natt {\n") == 0)
			in = true;
		if (!in)
			continue;
		ATF_REQUIRE(line[0] == '#');
		ATF_REQUIRE(strlen(conf) + strlen(line) < sizeof(conf));
		strcat(conf, line + 1);
		if (strcmp(line, "#}\n") == 0)
			break;
	}
	fclose(fp);
	ATF_REQUIRE_MATCH("assume-udp-encapsulation-context-on-send-rule 0;",
	    conf);
	fake_setup(tc, conf);
	ATF_CHECK_MATCH("keepalive 20 s, "
	    "assume-udp-encapsulation-context-on-send-rule 0", fake_log());
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(config_errors);
ATF_TC_BODY(config_errors, tc)
{
	config_error(tc, "plugin natt {\n\tkeepalives 20;\n}\n",
	    "bad configuration: test.conf:2:9: unknown option 'keepalives' "
	    "(expected keepalive or "
	    "assume-udp-encapsulation-context-on-send-rule)");
	config_error(tc, "plugin natt {\n"
	    "\tassume-udp-encapsulation-context-on-send-rule 3;\n}\n",
	    "test.conf:2:55: value '3' out of range (0 to 2)");
	config_error(tc, "plugin natt { keepalive 2h; }\n",
	    "test.conf:1:25: value '2h' out of range (0 to 3600 seconds)");
	config_error(tc, "plugin natt { keepalive 10s; keepalive 20s; }\n",
	    "keepalive given twice");
	config_error(tc, "plugin natt { keepalive; }\n",
	    "keepalive takes one value");
	config_error(tc, "plugin natt { "
	    "assume-udp-encapsulation-context-on-send-rule 1 2; }\n",
	    "assume-udp-encapsulation-context-on-send-rule takes one value");
}

/* Every revision is recognised by its exact 16 bytes, and only by them. */
ATF_TC_WITHOUT_HEAD(vid_recognised);
ATF_TC_BODY(vid_recognised, tc)
{
	struct fake_net n;
	uint8_t vid[17];
	size_t i;

	fake_setup(tc, NULL);
	for (i = 0; i < NREVS; i++) {
		fake_net_init(&n, false, false, EVP_sha1());
		vid_of(i, vid);
		ATF_CHECK_STREQ(plugin_vendor_id_name(vid, 16), revs[i].name);
		ATF_CHECK_EQ(plugin_run_vendor_id(&n.r1, vid, 16), 1);
		ATF_CHECK_STREQ(fake_flag_str(n.r1.flags, "natt.version"),
		    revs[i].usable ? revs[i].name : "");
		/* Longer, shorter, one bit off: not recognised. */
		vid[16] = 0;
		ATF_CHECK_EQ(plugin_run_vendor_id(&n.i1, vid, 17), 0);
		ATF_CHECK_EQ(plugin_run_vendor_id(&n.i1, vid, 15), 0);
		vid[7] ^= 0x10;
		ATF_CHECK_EQ(plugin_run_vendor_id(&n.i1, vid, 16), 0);
		ATF_CHECK_STREQ(fake_flag_str(n.i1.flags, "natt.version"), "");
		plugin_run_p1_deleted(&n.r1);
		plugin_run_p1_deleted(&n.i1);
		fake_net_free(&n);
	}
	ATF_CHECK_MATCH("peer client announces NAT-T "
	    "draft-ietf-ipsec-nat-t-ike-00, which is not supported",
	    fake_log());
	ATF_CHECK_MATCH("peer client announces NAT-T "
	    "draft-ietf-ipsec-nat-t-ike-01, which is not supported",
	    fake_log());
	fake_teardown();
}

/* An initiator announces RFC 3947 and draft 02\n, in that order. */
ATF_TC_WITHOUT_HEAD(vid_initiator_sends);
ATF_TC_BODY(vid_initiator_sends, tc)
{
	const struct oakley_vendor_id *v[8];
	struct fake_net n;
	uint8_t want[16];

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	ATF_REQUIRE_EQ(plugin_vendor_ids_to_send(&n.i1, v, 8), 2);
	vid_of(RFC, want);
	ATF_CHECK_EQ(v[0]->len, 16);
	ATF_CHECK(memcmp(v[0]->bytes, want, 16) == 0);
	vid_of(R02N, want);
	ATF_CHECK_EQ(v[1]->len, 16);
	ATF_CHECK(memcmp(v[1]->bytes, want, 16) == 0);
	/* A responder that heard nothing announces nothing. */
	ATF_CHECK_EQ(plugin_vendor_ids_to_send(&n.r1, v, 8), 0);
	fake_net_free(&n);
	fake_teardown();
}

/* The best revision both know, and the responder echoes it alone. */
ATF_TC_WITHOUT_HEAD(vid_best_common);
ATF_TC_BODY(vid_best_common, tc)
{
	static const struct {
		unsigned	 mask;
		int		 best;		/* -1: none */
	} cases[] = {
		{ 1u << RFC, RFC },
		{ 1u << R02N, R02N },
		{ 1u << R02, R02 },
		{ 1u << R03, R03 },
		{ (1u << R02N) | (1u << RFC), RFC },	/* Windows Vista+ */
		{ (1u << R02) | (1u << R02N) | (1u << R03), R03 },
		{ (1u << R02) | (1u << R02N), R02N },
		{ (1u << R00) | (1u << R01), -1 },
		{ (1u << R01) | (1u << R02), R02 },
		{ 0x3f, RFC },
		{ 0, -1 },
	};
	const struct oakley_vendor_id *v[8];
	struct fake_net n;
	uint8_t want[16];
	size_t i, got;

	fake_setup(tc, NULL);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_net_init(&n, false, false, EVP_sha1());
		announce(&n.r1, cases[i].mask);
		ATF_CHECK_STREQ_MSG(fake_flag_str(n.r1.flags, "natt.version"),
		    cases[i].best < 0 ? "" : revs[cases[i].best].name,
		    "case %zu", i);
		got = plugin_vendor_ids_to_send(&n.r1, v, 8);
		if (cases[i].best < 0)
			ATF_CHECK_EQ_MSG(got, 0, "case %zu", i);
		else {
			ATF_CHECK_EQ_MSG(got, 1, "case %zu", i);
			vid_of((size_t)cases[i].best, want);
			ATF_CHECK_MSG(got == 1 &&
			    memcmp(v[0]->bytes, want, 16) == 0, "case %zu", i);
		}
		/* The initiator picks the same from the echo. */
		if (got == 1) {
			plugin_run_vendor_id(&n.i1, v[0]->bytes, v[0]->len);
			ATF_CHECK_STREQ(fake_flag_str(n.i1.flags,
			    "natt.version"), revs[cases[i].best].name);
		}
		plugin_run_p1_deleted(&n.r1);
		plugin_run_p1_deleted(&n.i1);
		fake_net_free(&n);
	}
	fake_teardown();
}

/*
 * natt.prefer_draft = 1 on the phase 1 (the compat_legacy profile set
 * it there): an initiator
 * announces draft 02\n alone; a responder picks the best draft the
 * initiator knows before RFC 3947, and RFC 3947 only without a draft.
 */
ATF_TC_WITHOUT_HEAD(vid_prefer_draft);
ATF_TC_BODY(vid_prefer_draft, tc)
{
	static const struct {
		unsigned	 mask;
		int		 best;
	} cases[] = {
		{ (1u << R02N) | (1u << RFC), R02N },	/* Windows Vista+ */
		{ (1u << R02) | (1u << R03) | (1u << RFC), R03 },
		{ (1u << R02) | (1u << RFC), R02 },
		{ 1u << RFC, RFC },
		{ (1u << R01) | (1u << RFC), RFC },	/* 01: never used */
	};
	const struct oakley_vendor_id *v[8];
	struct fake_net n;
	uint8_t want[16];
	size_t i;

	fake_setup(tc, NULL);
	fake_net_init(&n, false, false, EVP_sha1());
	ATF_REQUIRE_EQ(plugin_flags_set_int(n.i1.flags,
	    "natt.prefer_draft", 1), 0);
	ATF_REQUIRE_EQ(plugin_vendor_ids_to_send(&n.i1, v, 8), 1);
	vid_of(R02N, want);
	ATF_CHECK(memcmp(v[0]->bytes, want, 16) == 0);
	/* 0 is RFC 3947 first again. */
	ATF_REQUIRE_EQ(plugin_flags_set_int(n.i1.flags,
	    "natt.prefer_draft", 0), 0);
	ATF_CHECK_EQ(plugin_vendor_ids_to_send(&n.i1, v, 8), 2);
	fake_net_free(&n);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_net_init(&n, false, false, EVP_sha1());
		ATF_REQUIRE_EQ(plugin_flags_set_int(n.r1.flags,
		    "natt.prefer_draft", 1), 0);
		announce(&n.r1, cases[i].mask);
		ATF_CHECK_STREQ_MSG(fake_flag_str(n.r1.flags, "natt.version"),
		    revs[cases[i].best].name, "case %zu", i);
		ATF_CHECK_EQ_MSG(plugin_vendor_ids_to_send(&n.r1, v, 8), 1,
		    "case %zu", i);
		vid_of((size_t)cases[i].best, want);
		ATF_CHECK_MSG(memcmp(v[0]->bytes, want, 16) == 0, "case %zu",
		    i);
		plugin_run_p1_deleted(&n.r1);
		fake_net_free(&n);
	}
	fake_teardown();
}

ATF_TC_WITHOUT_HEAD(port_filter);
ATF_TC_BODY(port_filter, tc)
{
	uint8_t pkt[64];
	size_t off = 99;

	fake_setup(tc, NULL);
	/* A NAT-keepalive. */
	pkt[0] = 0xff;
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 1, &off),
	    OAKLEY_PACKET_DROP);
	/* IKE behind the non-ESP marker. */
	memset(pkt, 0, sizeof(pkt));
	memset(pkt + 4, 0x11, 16);
	pkt[4 + 17] = 0x10;		/* version 1.0 */
	pkt[4 + 18] = OAKLEY_EXCH_MAIN;
	pkt[4 + 27] = 32;		/* length 32 */
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 36, &off),
	    OAKLEY_PACKET_IKE);
	ATF_CHECK_EQ(off, 4);
	/* ESP in UDP: a non-zero SPI first; a runt. */
	pkt[0] = 0xc1;
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 36, &off),
	    OAKLEY_PACKET_DROP);
	pkt[0] = 0;
	pkt[3] = 1;
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 36, &off),
	    OAKLEY_PACKET_DROP);
	pkt[3] = 0;
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 3, &off),
	    OAKLEY_PACKET_DROP);
	ATF_CHECK_EQ(plugin_port_classify(4500, pkt, 0, &off),
	    OAKLEY_PACKET_DROP);
	/* Port 500 is not filtered. */
	ATF_CHECK_EQ(plugin_port_classify(500, pkt, 36, &off),
	    OAKLEY_PACKET_IKE);
	ATF_CHECK_EQ(off, 0);
	fake_teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, load_and_registrations);
	ATF_TP_ADD_TC(tp, config);
	ATF_TP_ADD_TC(tp, config_sample);
	ATF_TP_ADD_TC(tp, config_errors);
	ATF_TP_ADD_TC(tp, vid_recognised);
	ATF_TP_ADD_TC(tp, vid_initiator_sends);
	ATF_TP_ADD_TC(tp, vid_best_common);
	ATF_TP_ADD_TC(tp, vid_prefer_draft);
	ATF_TP_ADD_TC(tp, port_filter);
	return atf_no_error();
}
