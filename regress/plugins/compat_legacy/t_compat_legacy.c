/*
 * The compat_legacy plugin (plugins/compat_legacy) through the real
 * plugin host, with the fake engine of regress/plugins/compat_test.c:
 * the legacy MS NT5 ISAKMPOAKLEY versions landing in "legacy" under
 * "profile auto", what the profile applies, the vendor ID it sends, the
 * Windows backoff, and its configuration errors.  The numbers expected
 * are FACTS.md 1.2 and 8 and the IANA values of oakley/plugin.h.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "compat_test.h"
#include "testutil.h"

#define LEGACY_QUIRKS	(OAKLEY_QUIRK_MS_STATUS | OAKLEY_QUIRK_MD5)
#define ALL_FROM_CONFIG	(OAKLEY_PROFILE_CONF_PHASE1 | \
			 OAKLEY_PROFILE_CONF_PHASE2 | OAKLEY_PROFILE_CONF_IDLE | \
			 OAKLEY_PROFILE_CONF_RETRANSMIT)

ATF_TC_WITHOUT_HEAD(load);
ATF_TC_BODY(load, tc)
{
	ct_check_load(tc, "compat_legacy",
	    "profile legacy: Windows 2000, XP and Server 2003 peers",
	    "legacy", "Windows 2000, XP, Server 2003", "modern");
}

/* ---- Each legacy version of FACTS.md 1.2 lands in "legacy" ---- */

ATF_TC_WITHOUT_HEAD(vid_v2_windows_2000);
ATF_TC_BODY(vid_v2_windows_2000, tc)
{
	ct_setup_both(tc);
	ct_check_lands(2, "legacy",
	    "MS NT5 ISAKMPOAKLEY v2 (Windows 2000) -> legacy", 5);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v3_windows_xp);
ATF_TC_BODY(vid_v3_windows_xp, tc)
{
	ct_setup_both(tc);
	ct_check_lands(3, "legacy",
	    "MS NT5 ISAKMPOAKLEY v3 (Windows XP) -> legacy", 5);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v4_windows_2003_xp_sp2);
ATF_TC_BODY(vid_v4_windows_2003_xp_sp2, tc)
{
	ct_setup_both(tc);
	ct_check_lands(4, "legacy",
	    "MS NT5 ISAKMPOAKLEY v4 (Windows Server 2003 or XP SP2) -> legacy",
	    5);
	ct_teardown();
}

/* Versions in no table: below 2 legacy, above 4 modern. */
ATF_TC_WITHOUT_HEAD(vid_unknown_versions);
ATF_TC_BODY(vid_unknown_versions, tc)
{
	ct_setup_both(tc);
	ct_check_lands(0, "legacy",
	    "MS NT5 ISAKMPOAKLEY v0 (unknown release) -> legacy", 5);
	ct_check_lands(1, "legacy",
	    "MS NT5 ISAKMPOAKLEY v1 (unknown release) -> legacy", 5);
	ct_check_lands(10, "modern",
	    "MS NT5 ISAKMPOAKLEY v10 (unknown release) -> modern", 7);
	ct_check_lands(0x01000000, "modern",
	    "MS NT5 ISAKMPOAKLEY v16777216 (unknown release) -> modern", 7);
	ct_teardown();
}

/* Only compat_legacy loaded: a Vista peer's choice has no provider. */
ATF_TC_WITHOUT_HEAD(auto_without_modern);
ATF_TC_BODY(auto_without_modern, tc)
{
	ct_setup(tc);
	ct_load("compat_legacy");
	ct_send_ms_vid(5);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "modern");
	ct_check_auto_unchanged();
	ATF_CHECK(ct_mark_str("compat.profile") == NULL);
	/* The same plugin alone serves an XP peer. */
	ct_check_lands(3, "legacy",
	    "MS NT5 ISAKMPOAKLEY v3 (Windows XP) -> legacy", 5);
	ct_teardown();
}

/* A payload with the prefix but not 20 bytes long gives no version. */
ATF_TC_WITHOUT_HEAD(vid_malformed);
ATF_TC_BODY(vid_malformed, tc)
{
	uint8_t vid[CT_VID_LEN + 1];
	const uint8_t *vids[1] = { vid };
	size_t lens[1] = { 16 };

	ct_setup_both(tc);
	ct_check_lands(4, "legacy",
	    "MS NT5 ISAKMPOAKLEY v4 (Windows Server 2003 or XP SP2) -> legacy",
	    5);
	ct_ms_vid(4, vid);
	ct_first_message(vids, lens, 1);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "default");
	ATF_CHECK_STREQ(ct_flag_str("profile.evidence"),
	    "MS NT5 ISAKMPOAKLEY of 16 bytes, not 20 -> default");
	ATF_CHECK_EQ(ct_flag_int("windows.version"), -1);
	lens[0] = sizeof(vid);
	vid[CT_VID_LEN] = 0;
	ct_first_message(vids, lens, 1);
	ATF_CHECK_STREQ(ct_flag_str("profile.evidence"),
	    "MS NT5 ISAKMPOAKLEY of 21 bytes, not 20 -> default");
	ct_check_auto_unchanged();
	ct_teardown();
}

/* A first message without it: not Windows; later messages don't count. */
ATF_TC_WITHOUT_HEAD(no_vid);
ATF_TC_BODY(no_vid, tc)
{
	static const char other_hex[] = "4a131c81070358455c5728f20e95452f";
	uint8_t rfc3947[16];
	const uint8_t *vids[1] = { rfc3947 };
	size_t lens[1] = { sizeof(rfc3947) };
	struct oakley_msg m = { &ct_p1, OAKLEY_EXCH_MAIN, 2, true };

	ct_setup_both(tc);
	ct_check_lands(2, "legacy",
	    "MS NT5 ISAKMPOAKLEY v2 (Windows 2000) -> legacy", 5);
	ATF_REQUIRE_EQ(tu_hex_decode(other_hex, rfc3947, 16), 16);
	ct_first_message(vids, lens, 1);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "default");
	ATF_CHECK_STREQ(ct_flag_str("profile.evidence"),
	    "no MS NT5 ISAKMPOAKLEY vendor ID -> default");
	ATF_CHECK_EQ(ct_flag_int("windows.version"), -1);
	ct_check_auto_unchanged();

	/* As initiator the peer's first message is number 2. */
	ct_p1.initiator = true;
	ct_send_ms_vid(3);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "legacy");
	ct_first_message(NULL, NULL, 0);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "default");

	/*
	 * Only that message counts: not a later one, not our own, not a
	 * quick mode.
	 */
	ct_send_ms_vid(3);
	plugin_flags_unset(ct_p1.flags, "windows.vid");
	m.number = 4;
	ATF_CHECK_EQ(plugin_run_msg_parsed(&m), 0);
	m.number = 2;
	m.inbound = false;
	ATF_CHECK_EQ(plugin_run_msg_parsed(&m), 0);
	m.inbound = true;
	m.exchange = OAKLEY_EXCH_QUICK;
	ATF_CHECK_EQ(plugin_run_msg_parsed(&m), 0);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "legacy");
	m.exchange = OAKLEY_EXCH_AGGRESSIVE;
	ATF_CHECK_EQ(plugin_run_msg_parsed(&m), 0);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "default");
	ct_teardown();
}

/* From the vendor ID to "oakleyctl show peers", through oakleyd's peers. */
ATF_TC_WITHOUT_HEAD(show_peers_auto);
ATF_TC_BODY(show_peers_auto, tc)
{
	char out[2048];

	ct_show_peers(tc, "plugin compat_legacy;\nplugin compat_modern;\n"
	    "peer xp {\n\taddress 192.0.2.10;\n\tprofile auto;\n"
	    "\tauth psk \"x\";\n}\n", "xp", 3, out, sizeof(out));
	ATF_CHECK_STREQ(out,
	    "NAME  ADDRESS     PROFILE      STATE  ACQUIRES  LAST-SEQ  PHASE1  "
	    "PHASE2  FLAGS\n"
	    "xp    192.0.2.10  auto:legacy  idle   0         -         0       "
	    "0       profile=\"legacy\",profile.evidence=\"MS NT5 "
	    "ISAKMPOAKLEY v3 (Windows XP) -> legacy\",windows.version=3\n");
}

/* ---- What the profile applies ---- */

ATF_TC_WITHOUT_HEAD(profile_defaults);
ATF_TC_BODY(profile_defaults, tc)
{
	struct oakley_profile prof;

	ct_setup(tc);
	ct_load("compat_legacy");
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	/* Main mode 3DES / SHA-1 / group 2, 480 minutes. */
	ATF_REQUIRE_EQ(prof.n_phase1, 1);
	ct_check_p1(&prof.phase1[0], 5, 0, 2, 2, 28800);
	/* Quick mode ESP 3DES / HMAC-SHA-1, 1 h and 100,000 KB, no PFS. */
	ATF_REQUIRE_EQ(prof.n_phase2, 1);
	ct_check_p2(&prof.phase2[0], 3, 0, 2, 0, 3600, 100000);
	ct_check_rest(&prof, 300, 1000, 6, LEGACY_QUIRKS);
	ct_check_marks("legacy", 1, 1);
	/* "default" changes nothing. */
	ATF_REQUIRE_EQ(ct_apply("default", 0, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	ATF_CHECK_EQ(prof.quirks, 0);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(profile_group2048_pfs);
ATF_TC_BODY(profile_group2048_pfs, tc)
{
	struct oakley_profile prof;

	ct_setup_conf(tc, "plugin compat_legacy {\n\tgroup2048 yes;\n"
	    "\tpfs yes;\n}\n");
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_REQUIRE_EQ(prof.n_phase1, 2);
	ct_check_p1(&prof.phase1[0], 5, 0, 2, 14, 28800);
	ct_check_p1(&prof.phase1[1], 5, 0, 2, 2, 28800);
	ATF_REQUIRE_EQ(prof.n_phase2, 1);
	ct_check_p2(&prof.phase2[0], 3, 0, 2, 14, 3600, 100000);
	ct_teardown();
}

/* What the peer's configuration gives is kept. */
ATF_TC_WITHOUT_HEAD(profile_from_config);
ATF_TC_BODY(profile_from_config, tc)
{
	struct oakley_profile prof;

	ct_setup_conf(tc, "plugin compat_legacy { pfs yes; }\n");
	ATF_REQUIRE_EQ(ct_apply("legacy", ALL_FROM_CONFIG, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	ATF_CHECK_EQ(prof.n_phase2, 0);
	ct_check_rest(&prof, 0, 0, 0, LEGACY_QUIRKS);
	ct_check_marks("legacy", 1, -1);

	/* PFS follows the configured main mode's group. */
	memset(&prof, 0, sizeof(prof));
	prof.from_config = OAKLEY_PROFILE_CONF_PHASE1;
	prof.n_phase1 = 1;
	prof.phase1[0].group = 14;
	ATF_REQUIRE_EQ(plugin_profile_apply("legacy", &ct_p1, &prof, ct_err,
	    sizeof(ct_err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_REQUIRE_EQ(prof.n_phase2, 1);
	ATF_CHECK_EQ(prof.phase2[0].pfs_group, 14);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(profile_settings);
ATF_TC_BODY(profile_settings, tc)
{
	struct oakley_profile prof;

	ct_setup_conf(tc, "plugin compat_legacy {\n"
	    "\tmm-lifetime 240m;\n\tqm-lifetime 30m;\n\tqm-lifesize 50MB;\n"
	    "\tidle-time 10m;\n\tnatt-draft no;\n}\n");
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ct_check_p1(&prof.phase1[0], 5, 0, 2, 2, 14400);
	ct_check_p2(&prof.phase2[0], 3, 0, 2, 0, 1800, 51200);
	ATF_CHECK_EQ(prof.idle_timeout, 600);
	ATF_CHECK_EQ(ct_mark_int("natt.prefer_draft"), 0);
	ct_teardown();
}

/* A peer's own block starts from the plugin block. */
ATF_TC_WITHOUT_HEAD(profile_per_peer);
ATF_TC_BODY(profile_per_peer, tc)
{
	struct oakley_profile prof;

	ct_setup_conf(tc, "plugin compat_legacy { qm-lifetime 2h; }\n"
	    "peer winpeer {\n\taddress 192.0.2.10;\n\tauth psk \"x\";\n"
	    "\tcompat_legacy {\n\t\tgroup2048 yes;\n\t\tidle-time 900s;\n"
	    "\t}\n}\n");
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 2);
	ATF_CHECK_EQ(prof.phase1[0].group, 14);
	ATF_CHECK_EQ(prof.phase2[0].lifetime, 7200);
	ATF_CHECK_EQ(prof.idle_timeout, 900);

	ct_peer.name = "other";
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.phase1[0].group, 2);
	ATF_CHECK_EQ(prof.phase2[0].lifetime, 7200);
	ATF_CHECK_EQ(prof.idle_timeout, 300);
	ct_teardown();
}

/* ---- The vendor ID it sends, byte for byte (FACTS.md 1.1) ---- */

ATF_TC_WITHOUT_HEAD(vid_sent);
ATF_TC_BODY(vid_sent, tc)
{
	const struct oakley_vendor_id *out[4];
	struct oakley_profile prof;

	ct_check_sent(tc, "compat_legacy", "legacy", "win2000", 2);
	ct_check_sent(tc, "compat_legacy", "legacy", "winxp", 3);
	ct_check_sent(tc, "compat_legacy", "legacy", "win2003", 4);
	ct_check_sent(tc, "compat_legacy", "legacy", "2", 2);
	ct_check_sent(tc, "compat_legacy", "legacy", "4", 4);

	/* Not configured: nothing; another profile's peer: nothing. */
	ct_setup(tc);
	ct_load("compat_legacy");
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_CHECK_EQ(ct_vids_to_send(out, 4), 0);
	ct_teardown();
	ct_setup_conf(tc, "plugin compat_legacy { send-vendor-id win2003; }\n"
	    "plugin compat_modern;\n");
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	ATF_CHECK_EQ(ct_vids_to_send(out, 4), 0);
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_CHECK_EQ(ct_vids_to_send(out, 4), 1);
	ct_teardown();
}

/* ---- Retransmission: 1, 2, 4, 8, 16, 32 s (FACTS.md 8) ---- */

ATF_TC_WITHOUT_HEAD(backoff);
ATF_TC_BODY(backoff, tc)
{
	/* The wait after transmission sent + 1; the first is the interval. */
	static const uint32_t want[] = { 2000, 4000, 8000, 16000, 32000,
	    1000 };
	struct oakley_profile prof;
	uint32_t ms, total;
	unsigned sent;

	ct_setup(tc);
	ct_load("compat_legacy");
	ms = 77;
	ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, NULL, 1, &ms),
	    OAKLEY_RETRANSMIT_DEFAULT);			/* not applied */
	ATF_CHECK_EQ(ms, 77);
	ATF_REQUIRE_EQ(ct_apply("legacy", 0, &prof), 0);
	ATF_CHECK_EQ(prof.retransmit_ms, 1000);
	ATF_CHECK_EQ(prof.retransmit_count, 6);
	total = prof.retransmit_ms;
	for (sent = 1; sent <= 6; sent++) {
		ms = 0;
		ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, NULL, sent, &ms),
		    OAKLEY_RETRANSMIT_AFTER);
		ATF_CHECK_EQ_MSG(ms, want[sent - 1], "after %u: %u ms", sent,
		    ms);
		if (sent < 6)
			total += ms;
	}
	/* Seven transmissions, the last 63 s after the first. */
	ATF_CHECK_EQ(total, 63000);
	ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, NULL, 7, &ms),
	    OAKLEY_RETRANSMIT_DEFAULT);
	ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, &ct_p2, 1, &ms),
	    OAKLEY_RETRANSMIT_DEFAULT);
	/* A configured "retransmit" wins. */
	ATF_REQUIRE_EQ(ct_apply("legacy", OAKLEY_PROFILE_CONF_RETRANSMIT,
	    &prof), 0);
	ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, NULL, 1, &ms),
	    OAKLEY_RETRANSMIT_DEFAULT);
	ct_teardown();
}

/* ---- Configuration errors: FILE:LINE:COL ---- */

static const struct ct_conf_error conf_errors[] = {
	{ "plugin compat_legacy {\n\tgroup 14;\n}\n",
	  "test.conf:2:9: unknown option 'group' (expected send-vendor-id, "
	  "group2048, mm-lifetime, qm-lifetime, qm-lifesize, idle-time, "
	  "pfs or natt-draft)" },
	{ "plugin compat_legacy { mm-proposal aes128 sha1 "
	  "modp1024; }\n",
	  "test.conf:1:24: unknown option 'mm-proposal' (expected "
	  "send-vendor-id, group2048, mm-lifetime, qm-lifetime, "
	  "qm-lifesize, idle-time, pfs or natt-draft)" },
	{ "plugin compat_legacy {\n  send-vendor-id win7;\n"
	  "}\n",
	  "test.conf:2:3: unknown Windows release 'win7' for profile legacy "
	  "(expected win2000 (2), winxp (3), win2003 (4) or no)" },
	{ "plugin compat_legacy { send-vendor-id 5; }\n",
	  "test.conf:1:24: unknown Windows release '5' for profile legacy "
	  "(expected win2000 (2), winxp (3), win2003 (4) or no)" },
	{ "plugin compat_legacy { group2048 maybe; }\n",
	  "test.conf:1:34: expected yes or no, got 'maybe'" },
	{ "plugin compat_legacy { pfs; }\n",
	  "test.conf:1:24: expected 'pfs yes|no;'" },
	{ "plugin compat_legacy { mm-lifetime 1m; }\n",
	  "test.conf:1:36: value '1m' out of range (300 to 172800 seconds)" },
	{ "plugin compat_legacy { idle-time 2h; }\n",
	  "test.conf:1:34: value '2h' out of range (300 to 3600 seconds)" },
	{ "plugin compat_legacy { qm-lifesize 1MB; }\n",
	  "test.conf:1:24: qm-lifesize 1MB out of range (20480KB to "
	  "2147483647KB)" },
	{ "plugin compat_legacy {\n\tpfs no;\n\tpfs yes;\n"
	  "}\n", "test.conf:3:9: pfs given twice" },
};

ATF_TC_WITHOUT_HEAD(config_errors);
ATF_TC_BODY(config_errors, tc)
{
	ct_check_conf_errors(tc, "compat_legacy", "legacy", conf_errors,
	    sizeof(conf_errors) / sizeof(conf_errors[0]));
}

/* A peer's block: its own keys only, errors named after the peer. */
ATF_TC_WITHOUT_HEAD(config_errors_peer);
ATF_TC_BODY(config_errors_peer, tc)
{
	char want[sizeof(ct_err)];

	ct_setup(tc);
	ATF_CHECK_EQ(ct_load_conf("plugin compat_legacy;\n"
	    "peer winpeer {\n\taddress 192.0.2.10;\n\tauth psk \"x\";\n"
	    "\tcompat_legacy { send-vendor-id win2003; }\n}\n"), -1);
	ATF_CHECK_STREQ(ct_err, "plugin 'compat_legacy': peer 'winpeer': bad "
	    "configuration: test.conf:5:25: send-vendor-id belongs in the "
	    "plugin block, not in a peer's");
	ct_teardown();

	ct_setup(tc);
	ATF_CHECK_EQ(ct_load_conf("plugin compat_legacy;\n"
	    "peer winpeer {\n\taddress 192.0.2.10;\n\tauth psk \"x\";\n"
	    "\tcompat_legacy {\n\t\tqm-lifetime 1h 2h;\n\t}\n}\n"), -1);
	snprintf(want, sizeof(want), "plugin 'compat_legacy': peer 'winpeer': "
	    "bad configuration: test.conf:6:17: expected 'qm-lifetime "
	    "DURATION;'");
	ATF_CHECK_STREQ(ct_err, want);
	ct_teardown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, load);
	ATF_TP_ADD_TC(tp, vid_v2_windows_2000);
	ATF_TP_ADD_TC(tp, vid_v3_windows_xp);
	ATF_TP_ADD_TC(tp, vid_v4_windows_2003_xp_sp2);
	ATF_TP_ADD_TC(tp, vid_unknown_versions);
	ATF_TP_ADD_TC(tp, auto_without_modern);
	ATF_TP_ADD_TC(tp, vid_malformed);
	ATF_TP_ADD_TC(tp, no_vid);
	ATF_TP_ADD_TC(tp, show_peers_auto);
	ATF_TP_ADD_TC(tp, profile_defaults);
	ATF_TP_ADD_TC(tp, profile_group2048_pfs);
	ATF_TP_ADD_TC(tp, profile_from_config);
	ATF_TP_ADD_TC(tp, profile_settings);
	ATF_TP_ADD_TC(tp, profile_per_peer);
	ATF_TP_ADD_TC(tp, vid_sent);
	ATF_TP_ADD_TC(tp, backoff);
	ATF_TP_ADD_TC(tp, config_errors);
	ATF_TP_ADD_TC(tp, config_errors_peer);
	return atf_no_error();
}
