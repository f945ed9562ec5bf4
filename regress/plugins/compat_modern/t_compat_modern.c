/*
 * The compat_modern plugin (plugins/compat_modern) through the real
 * plugin host, with the fake engine of regress/plugins/compat_test.c:
 * the modern MS NT5 ISAKMPOAKLEY versions landing in "modern" under
 * "profile auto", a Windows 7 main-mode message 1 as captured (FACTS.md
 * 1.2), what the profile applies, the vendor IDs it sends and
 * recognises, switching a peer between the profiles, and its
 * configuration errors.
 */
#include <atf-c.h>
#include <stdio.h>
#include <string.h>

#include "compat_test.h"
#include "testutil.h"

#define MODERN_QUIRKS	(OAKLEY_QUIRK_P1_ONE_PROPOSAL | OAKLEY_QUIRK_MS_STATUS)

ATF_TC_WITHOUT_HEAD(load);
ATF_TC_BODY(load, tc)
{
	ct_check_load(tc, "compat_modern",
	    "profile modern: Windows Vista, Server 2008, 7 and later peers",
	    "modern", "Windows Vista, Server 2008, 7, Server 2008 R2 and later",
	    "legacy");
}

/* ---- Each modern version of FACTS.md 1.2 lands in "modern" ---- */

ATF_TC_WITHOUT_HEAD(vid_v5_windows_vista);
ATF_TC_BODY(vid_v5_windows_vista, tc)
{
	ct_setup_both(tc);
	ct_check_lands(5, "modern",
	    "MS NT5 ISAKMPOAKLEY v5 (Windows Vista) -> modern", 7);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v6_windows_2008);
ATF_TC_BODY(vid_v6_windows_2008, tc)
{
	ct_setup_both(tc);
	ct_check_lands(6, "modern",
	    "MS NT5 ISAKMPOAKLEY v6 (Windows Server 2008) -> modern", 7);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v7_windows_7);
ATF_TC_BODY(vid_v7_windows_7, tc)
{
	ct_setup_both(tc);
	ct_check_lands(7, "modern",
	    "MS NT5 ISAKMPOAKLEY v7 (Windows 7) -> modern", 7);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v8_windows_2008_r2);
ATF_TC_BODY(vid_v8_windows_2008_r2, tc)
{
	ct_setup_both(tc);
	ct_check_lands(8, "modern",
	    "MS NT5 ISAKMPOAKLEY v8 (Windows Server 2008 R2) -> modern", 7);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_v9_windows_8);
ATF_TC_BODY(vid_v9_windows_8, tc)
{
	ct_setup_both(tc);
	ct_check_lands(9, "modern",
	    "MS NT5 ISAKMPOAKLEY v9 (Windows 8 or later) -> modern", 7);
	ct_teardown();
}

/* Suffix 00000010, ike-scan's "Windows-2012" (one source only). */
ATF_TC_WITHOUT_HEAD(vid_v16_windows_2012);
ATF_TC_BODY(vid_v16_windows_2012, tc)
{
	ct_setup_both(tc);
	ct_check_lands(0x10, "modern",
	    "MS NT5 ISAKMPOAKLEY v16 (Windows Server 2012, unconfirmed) -> "
	    "modern", 7);
	ct_teardown();
}

/*
 * Main-mode message 1 of a Windows 7 / 2008 R2 L2TP client, vendor IDs
 * in the order captured (FACTS.md 1.2), with compat_modern alone.
 */
ATF_TC_WITHOUT_HEAD(windows7_message1);
ATF_TC_BODY(windows7_message1, tc)
{
	static const char *const hex[] = {
	    "1e2b516905991c7d7c96fcbfb587e461 00000008",
	    "4a131c81070358455c5728f20e95452f",		/* RFC 3947 */
	    "90cb80913ebb696e086381b5ec427b1f",		/* draft-02\n */
	    "4048b7d56ebce88525e7de7f00d6c2d3",		/* FRAGMENTATION */
	    "fb1de3cdf341b7ea16b7e5be0855f120",		/* Negotiation Disc. */
	    "26244d38eddb61b3172a36e3d0cfb819",		/* Initial-Contact */
	    "e3a5966a76379fe707228231e5ce8652",		/* IKE CGA version 1 */
	};
	uint8_t buf[7][CT_VID_LEN];
	const uint8_t *vids[7];
	size_t lens[7], i;
	int n;

	ct_setup(tc);
	ct_load("compat_modern");
	for (i = 0; i < 7; i++) {
		n = tu_hex_decode(hex[i], buf[i], CT_VID_LEN);
		ATF_REQUIRE(n > 0);
		vids[i] = buf[i];
		lens[i] = (size_t)n;
	}
	ct_first_message(vids, lens, 7);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "modern");
	ATF_CHECK_STREQ(ct_flag_str("profile.evidence"),
	    "MS NT5 ISAKMPOAKLEY v8 (Windows Server 2008 R2) -> modern");
	ATF_CHECK_EQ(ct_flag_int("windows.version"), 8);
	ATF_CHECK_EQ(ct_flag_int("windows.nd_capable"), 1);
	ATF_CHECK_EQ(ct_flag_int("windows.cga"), 1);
	ATF_CHECK_EQ(ct_flag_int("windows.authip"), -1);
	ATF_CHECK_STREQ(plugin_vendor_id_name(buf[4], 16),
	    "MS-Negotiation Discovery Capable");
	ATF_CHECK_STREQ(plugin_vendor_id_name(buf[6], 16),
	    "IKE CGA version 1");
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(vid_authip);
ATF_TC_BODY(vid_authip, tc)
{
	uint8_t mamie[16];
	const uint8_t *vids[1] = { mamie };
	size_t lens[1] = { sizeof(mamie) };

	ct_setup(tc);
	ct_load("compat_modern");
	ATF_REQUIRE_EQ(tu_hex_decode("214ca4faffa7f32d6748e5303395ae83",
	    mamie, 16), 16);
	ct_first_message(vids, lens, 1);
	ATF_CHECK_EQ(ct_flag_int("windows.authip"), 1);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "default");
	ATF_CHECK_STREQ(plugin_vendor_id_name(mamie, 16), "MS-MamieExists");
	/* One byte short is not it. */
	ATF_CHECK_EQ(plugin_run_vendor_id(&ct_p1, mamie, 15), 0);
	ct_teardown();
}

/* Only compat_modern loaded: an XP peer's choice has no provider. */
ATF_TC_WITHOUT_HEAD(auto_without_legacy);
ATF_TC_BODY(auto_without_legacy, tc)
{
	ct_setup(tc);
	ct_load("compat_modern");
	ct_send_ms_vid(3);
	ATF_CHECK_STREQ(ct_flag_str("profile"), "legacy");
	ATF_CHECK_STREQ(ct_flag_str("profile.evidence"),
	    "MS NT5 ISAKMPOAKLEY v3 (Windows XP) -> legacy");
	ct_check_auto_unchanged();
	ATF_CHECK(ct_mark_str("compat.profile") == NULL);
	ct_teardown();
}

/*
 * From the vendor ID to "oakleyctl show peers", through oakleyd's peers:
 * a Windows 7 peer, and one that sent no MS vendor ID.
 */
ATF_TC_WITHOUT_HEAD(show_peers_auto);
ATF_TC_BODY(show_peers_auto, tc)
{
	static const char conf[] = "plugin compat_legacy;\n"
	    "plugin compat_modern;\n"
	    "peer win7 {\n\taddress 192.0.2.20;\n\tprofile auto;\n"
	    "\tauth psk \"x\";\n}\n";
	char out[2048];

	ct_show_peers(tc, conf, "win7", 7, out, sizeof(out));
	ATF_CHECK_STREQ(out,
	    "NAME  ADDRESS     PROFILE      STATE  ACQUIRES  LAST-SEQ  PHASE1  "
	    "PHASE2  FLAGS\n"
	    "win7  192.0.2.20  auto:modern  idle   0         -         0       "
	    "0       profile=\"modern\",profile.evidence=\"MS NT5 ISAKMPOAKLEY v7 "
	    "(Windows 7) -> modern\",windows.version=7\n");

	ct_show_peers(tc, conf, "win7", -1, out, sizeof(out));
	ATF_CHECK_STREQ(out,
	    "NAME  ADDRESS     PROFILE       STATE  ACQUIRES  LAST-SEQ  PHASE1  "
	    "PHASE2  FLAGS\n"
	    "win7  192.0.2.20  auto:default  idle   0         -         0       "
	    "0       profile=\"default\",profile.evidence=\"no MS NT5 "
	    "ISAKMPOAKLEY vendor ID -> default\"\n");
}

/* ---- What the profile applies ---- */

ATF_TC_WITHOUT_HEAD(profile_defaults);
ATF_TC_BODY(profile_defaults, tc)
{
	struct oakley_profile prof;
	uint32_t ms = 5;

	ct_setup(tc);
	ct_load("compat_modern");
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	/* One main-mode proposal: AES-CBC-256 / SHA-256 / group 14. */
	ATF_REQUIRE_EQ(prof.n_phase1, 1);
	ct_check_p1(&prof.phase1[0], 7, 256, 4, 14, 28800);
	/* ESP AES-256 / HMAC-SHA-256, then AES-128 / HMAC-SHA-1. */
	ATF_REQUIRE_EQ(prof.n_phase2, 2);
	ct_check_p2(&prof.phase2[0], 12, 256, 5, 0, 3600, 100000);
	ct_check_p2(&prof.phase2[1], 12, 128, 2, 0, 3600, 100000);
	ct_check_rest(&prof, 300, 0, 0, MODERN_QUIRKS);
	ct_check_marks("modern", 0, -1);
	ATF_CHECK_EQ(plugin_run_retransmit(&ct_p1, NULL, 1, &ms),
	    OAKLEY_RETRANSMIT_DEFAULT);
	ATF_CHECK_EQ(ms, 5);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(profile_settings);
ATF_TC_BODY(profile_settings, tc)
{
	struct oakley_profile prof;

	ct_setup_conf(tc, "plugin compat_modern {\n"
	    "\tmm-proposal aes128 sha1 modp1024;\n\tmm-lifetime 8h;\n"
	    "\tqm-lifetime 2h;\n\tqm-lifesize 200000KB;\n\tidle-time 3600;\n"
	    "\tpfs yes;\n}\n");
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	ATF_REQUIRE_EQ(prof.n_phase1, 1);
	ct_check_p1(&prof.phase1[0], 7, 128, 2, 2, 28800);
	ct_check_p2(&prof.phase2[0], 12, 256, 5, 2, 7200, 200000);
	ct_check_p2(&prof.phase2[1], 12, 128, 2, 2, 7200, 200000);
	ATF_CHECK_EQ(prof.idle_timeout, 3600);
	ct_teardown();

	ct_setup_conf(tc, "plugin compat_modern {\n"
	    "\tmm-proposal 3des sha384 ecp384;\n\tpfs yes;\n}\n");
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	ct_check_p1(&prof.phase1[0], 5, 0, 5, 20, 28800);
	ATF_CHECK_EQ(prof.phase2[0].pfs_group, 20);
	ct_teardown();

	ct_setup_conf(tc, "plugin compat_modern { mm-proposal aes192 sha256 19; }\n"
	    "peer winpeer {\n\taddress 192.0.2.20;\n\tauth psk \"x\";\n"
	    "\tcompat_modern { mm-proposal aes256 sha1 14; }\n}\n");
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	ct_check_p1(&prof.phase1[0], 7, 256, 2, 14, 28800);
	ct_peer.name = "other";
	ATF_REQUIRE_EQ(ct_apply("modern", 0, &prof), 0);
	ct_check_p1(&prof.phase1[0], 7, 192, 4, 19, 28800);
	ct_teardown();
}

ATF_TC_WITHOUT_HEAD(profile_from_config);
ATF_TC_BODY(profile_from_config, tc)
{
	struct oakley_profile prof;

	ct_setup(tc);
	ct_load("compat_modern");
	ATF_REQUIRE_EQ(ct_apply("modern", OAKLEY_PROFILE_CONF_PHASE2 |
	    OAKLEY_PROFILE_CONF_IDLE, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.n_phase2, 0);
	ATF_CHECK_EQ(prof.idle_timeout, 0);
	ATF_REQUIRE_EQ(ct_apply("modern", OAKLEY_PROFILE_CONF_PHASE1, &prof),
	    0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	ATF_CHECK_EQ(prof.n_phase2, 2);
	ATF_CHECK_EQ(prof.quirks, MODERN_QUIRKS);
	ct_teardown();
}

/* ---- The vendor ID it sends, byte for byte (FACTS.md 1.1) ---- */

ATF_TC_WITHOUT_HEAD(vid_sent);
ATF_TC_BODY(vid_sent, tc)
{
	ct_check_sent(tc, "compat_modern", "modern", "vista", 5);
	ct_check_sent(tc, "compat_modern", "modern", "win2008", 6);
	ct_check_sent(tc, "compat_modern", "modern", "win7", 7);
	ct_check_sent(tc, "compat_modern", "modern", "win2008r2", 8);
	ct_check_sent(tc, "compat_modern", "modern", "win8", 9);
	ct_check_sent(tc, "compat_modern", "modern", "7", 7);
}

/*
 * Both loaded, one peer: an XP answer makes it legacy, a Windows 7 one
 * modern; flags and the vendor ID sent follow.
 */
ATF_TC_WITHOUT_HEAD(auto_switches);
ATF_TC_BODY(auto_switches, tc)
{
	const struct oakley_vendor_id *out[4];

	ct_setup_conf(tc, "plugin compat_legacy { send-vendor-id winxp; }\n"
	    "plugin compat_modern { send-vendor-id win7; }\n");
	ct_check_lands(3, "legacy",
	    "MS NT5 ISAKMPOAKLEY v3 (Windows XP) -> legacy", 5);
	ct_check_marks("legacy", 1, 1);
	ATF_REQUIRE_EQ(ct_vids_to_send(out, 4), 1);
	ATF_CHECK_EQ(out[0]->bytes[19], 3);

	ct_check_lands(7, "modern",
	    "MS NT5 ISAKMPOAKLEY v7 (Windows 7) -> modern", 7);
	ct_check_marks("modern", 0, -1);
	ATF_REQUIRE_EQ(ct_vids_to_send(out, 4), 1);
	ATF_CHECK_EQ(out[0]->bytes[19], 7);

	/* A peer that then shows no MS vendor ID: its configuration. */
	ct_first_message(NULL, NULL, 0);
	ct_check_auto_unchanged();
	ct_teardown();
}

/* ---- Configuration errors: FILE:LINE:COL ---- */

static const struct ct_conf_error conf_errors[] = {
	{ "plugin compat_modern {\n\tgroup2048 yes;\n}\n",
	  "test.conf:2:9: unknown option 'group2048' (expected "
	  "send-vendor-id, mm-proposal, mm-lifetime, qm-lifetime, "
	  "qm-lifesize, idle-time or pfs)" },
	{ "plugin compat_modern { natt-draft yes; }\n",
	  "test.conf:1:24: unknown option 'natt-draft' (expected "
	  "send-vendor-id, mm-proposal, mm-lifetime, qm-lifetime, "
	  "qm-lifesize, idle-time or pfs)" },
	{ "plugin compat_modern { send-vendor-id win2003; }\n",
	  "test.conf:1:24: unknown Windows release 'win2003' for profile "
	  "modern (expected vista (5), win2008 (6), win7 (7), win2008r2 (8), "
	  "win8 (9) or no)" },
	{ "plugin compat_modern { send-vendor-id win2012; }\n",
	  "test.conf:1:24: unknown Windows release 'win2012' for profile "
	  "modern (expected vista (5), win2008 (6), win7 (7), win2008r2 (8), "
	  "win8 (9) or no)" },
	{ "plugin compat_modern { mm-proposal aes256 sha256; }\n",
	  "test.conf:1:24: expected 'mm-proposal ENCRYPTION HASH GROUP;'" },
	{ "plugin compat_modern { mm-proposal des sha1 14; }\n",
	  "test.conf:1:24: unknown encryption 'des' (expected 3des, aes128, "
	  "aes192 or aes256)" },
	{ "plugin compat_modern { mm-proposal aes128 md5 14; }\n",
	  "test.conf:1:24: unknown hash 'md5' (expected sha1, sha256 or "
	  "sha384)" },
	{ "plugin compat_modern {\n"
	  "\tmm-proposal aes128 sha1 modp1536;\n}\n",
	  "test.conf:2:9: unknown group 'modp1536' (expected modp1024, "
	  "modp2048, ecp256, ecp384, 2, 14, 19 or 20)" },
	{ "plugin compat_modern { qm-lifetime 3d; }\n",
	  "test.conf:1:36: unknown unit 'd' (expected s, m, h)" },
};

ATF_TC_WITHOUT_HEAD(config_errors);
ATF_TC_BODY(config_errors, tc)
{
	ct_check_conf_errors(tc, "compat_modern", "modern", conf_errors,
	    sizeof(conf_errors) / sizeof(conf_errors[0]));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, load);
	ATF_TP_ADD_TC(tp, vid_v5_windows_vista);
	ATF_TP_ADD_TC(tp, vid_v6_windows_2008);
	ATF_TP_ADD_TC(tp, vid_v7_windows_7);
	ATF_TP_ADD_TC(tp, vid_v8_windows_2008_r2);
	ATF_TP_ADD_TC(tp, vid_v9_windows_8);
	ATF_TP_ADD_TC(tp, vid_v16_windows_2012);
	ATF_TP_ADD_TC(tp, windows7_message1);
	ATF_TP_ADD_TC(tp, vid_authip);
	ATF_TP_ADD_TC(tp, auto_without_legacy);
	ATF_TP_ADD_TC(tp, show_peers_auto);
	ATF_TP_ADD_TC(tp, profile_defaults);
	ATF_TP_ADD_TC(tp, profile_settings);
	ATF_TP_ADD_TC(tp, profile_from_config);
	ATF_TP_ADD_TC(tp, vid_sent);
	ATF_TP_ADD_TC(tp, auto_switches);
	ATF_TP_ADD_TC(tp, config_errors);
	return atf_no_error();
}
