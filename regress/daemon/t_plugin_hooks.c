/*
 * Plugin host: hook dispatch and registries (daemon/plugin_run.c,
 * plugin_reg.c, plugin_sa.c, plugin_timer.c), driven through the two
 * good test plugins, test_plugin then test_second.
 *
 * This file plays the IKE engine: it defines the opaque engine objects
 * (peer, phase 1, phase 2, message) and the accessor table.  The plugins
 * record every call in the peer's "test.trace" flag and are steered with
 * the peer's flags (see regress/plugins/test_plugin/test_plugin.c).  The
 * plugin directory comes from atf's "srcdir", as in t_plugin_load.
 */
#include <sys/socket.h>

#include <atf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "plugin.h"
#include "timer.h"

/* ---- A fake engine ---- */

struct oakley_peer {
	const char		*name;
	struct oakley_flags	*flags;
};

struct oakley_phase1 {
	struct oakley_peer	*peer;
	struct oakley_flags	*flags;
};

struct oakley_phase2 {
	struct oakley_phase1	*p1;
};

struct oakley_msg {
	struct oakley_phase1	*p1;
	uint8_t			 added_type;
	char			 added[16];
};

static const char *
e_peer_name(const struct oakley_peer *peer)
{
	return peer->name;
}

static struct oakley_flags *
e_peer_flags(struct oakley_peer *peer)
{
	return peer->flags;
}

static struct oakley_peer *
e_phase1_peer(struct oakley_phase1 *p1)
{
	return p1->peer;
}

static struct oakley_flags *
e_phase1_flags(struct oakley_phase1 *p1)
{
	return p1->flags;
}

static struct oakley_phase1 *
e_phase2_phase1(struct oakley_phase2 *p2)
{
	return p2->p1;
}

static struct oakley_phase1 *
e_msg_phase1(struct oakley_msg *m)
{
	return m->p1;
}

static int
e_msg_add_payload(struct oakley_msg *m, uint8_t type, const uint8_t *body,
    size_t len)
{
	if (len >= sizeof(m->added))
		return -1;
	m->added_type = type;
	memcpy(m->added, body, len);
	m->added[len] = '\0';
	return 0;
}

static const struct oakley_engine engine = {
	.peer_name = e_peer_name,
	.peer_flags = e_peer_flags,
	.phase1_peer = e_phase1_peer,
	.phase1_flags = e_phase1_flags,
	.phase2_phase1 = e_phase2_phase1,
	.msg_phase1 = e_msg_phase1,
	.msg_add_payload = e_msg_add_payload,
};

static struct oakley_peer peer;
static struct oakley_phase1 p1;
static struct oakley_phase2 p2;
static struct oakley_msg msg;

static uint64_t clock_now;
static struct timers *timers;

static uint64_t
fake_clock(void *arg)
{
	(void)arg;
	return clock_now;
}

static void
setup(const atf_tc_t *tc)
{
	char dir[1024], err[1024];
	struct conf_plugin_block first = { .name = (char *)"test_plugin" };
	struct conf_plugin_block second = { .name = (char *)"test_second" };

	snprintf(dir, sizeof(dir), "%s/../plugins/test_plugin",
	    atf_tc_get_config_var(tc, "srcdir"));
	log_init("oakleyd", true, LOG_LEVEL_WARN);
	ATF_REQUIRE((timers = timers_new(fake_clock, NULL)) != NULL);
	ATF_REQUIRE_EQ(plugin_host_init(&engine, timers), 0);
	ATF_REQUIRE_MSG(plugin_load(dir, &first, err, sizeof(err)) == 0,
	    "%s", err);
	ATF_REQUIRE_MSG(plugin_load(dir, &second, err, sizeof(err)) == 0,
	    "%s", err);
	peer.name = "p1";
	ATF_REQUIRE((peer.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((p1.flags = plugin_flags_new()) != NULL);
	p1.peer = &peer;
	p2.p1 = &p1;
	msg.p1 = &p1;
}

static void
teardown(void)
{
	plugin_host_fini();
	plugin_flags_free(peer.flags);
	plugin_flags_free(p1.flags);
	timers_free(timers);
}

static void
set(const char *key, int64_t value)
{
	ATF_REQUIRE_EQ(plugin_flags_set_int(peer.flags, key, value), 0);
}

/* An integer flag of flags, -1 if unset. */
static int64_t
flag_in(const struct oakley_flags *flags, const char *key)
{
	int64_t v = -1;

	plugin_flags_get_int(flags, key, &v);
	return v;
}

/* The peer's, where the plugins keep their state and traces. */
static int64_t
get(const char *key)
{
	return flag_in(peer.flags, key);
}

/* The trace so far, then cleared. */
static void
check_trace(const char *want)
{
	const char *got = plugin_flags_get_str(peer.flags, "test.trace");

	ATF_CHECK_STREQ(got != NULL ? got : "", want);
	plugin_flags_unset(peer.flags, "test.trace");
}

/* ---- Notify hooks ---- */

ATF_TC_WITHOUT_HEAD(notify_in_load_order);
ATF_TC_BODY(notify_in_load_order, tc)
{
	setup(tc);
	plugin_run_p1_started(&p1);
	check_trace("p1_started,second:p1_started");
	plugin_run_p1_established(&p1);
	plugin_run_p1_failed(&p1, OAKLEY_FAIL_NO_RESPONSE);
	plugin_run_p1_deleted(&p1);
	check_trace("p1_established,p1_failed:1,p1_deleted");
	plugin_run_p2_started(&p2);
	plugin_run_p2_established(&p2);
	plugin_run_p2_failed(&p2, OAKLEY_FAIL_TIMEOUT);
	plugin_run_p2_deleted(&p2);
	check_trace("p2_started,p2_established,p2_failed:2,p2_deleted");
	teardown();
}

ATF_TC_WITHOUT_HEAD(no_plugins_defaults);
ATF_TC_BODY(no_plugins_defaults, tc)
{
	uint32_t next = 500;
	uint16_t attr = 1;

	(void)tc;
	ATF_REQUIRE_EQ(plugin_host_init(&engine, NULL), 0);
	ATF_CHECK_EQ(plugin_run_retransmit(&p1, NULL, 1, &next),
	    OAKLEY_RETRANSMIT_DEFAULT);
	ATF_CHECK_EQ(next, 500);
	ATF_CHECK_EQ(plugin_run_p1_replace(&p1, &p1), OAKLEY_P1_DEFAULT);
	ATF_CHECK_EQ(plugin_run_bypass_expired(&peer, OAKLEY_DIR_IN, 5),
	    OAKLEY_BYPASS_DEFAULT);
	ATF_CHECK_EQ(plugin_run_msg_build(&msg), 0);
	ATF_CHECK_EQ(plugin_run_p2_encap(&p2, false, &attr), 0);
	ATF_CHECK_EQ(attr, 1);
	ATF_CHECK_EQ(plugin_run_payload(&msg, 20, (const uint8_t *)"x", 1), 1);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	ATF_CHECK_EQ(plugin_port_count(), 0);
	plugin_host_fini();
}

/* ---- Verdict hooks: the first answer other than DEFAULT wins ---- */

ATF_TC_WITHOUT_HEAD(retransmit_verdicts);
ATF_TC_BODY(retransmit_verdicts, tc)
{
	uint32_t next = 500;

	setup(tc);
	set("test.next_ms", 9999);	/* ignored: DEFAULT */
	ATF_CHECK_EQ(plugin_run_retransmit(&p1, NULL, 1, &next),
	    OAKLEY_RETRANSMIT_DEFAULT);
	ATF_CHECK_EQ(next, 500);
	check_trace("retransmit:p1:1,second:retransmit");

	set("test.verdict.retransmit", OAKLEY_RETRANSMIT_AFTER);
	set("test.next_ms", 3000);
	set("second.verdict.retransmit", OAKLEY_RETRANSMIT_GIVE_UP);
	ATF_CHECK_EQ(plugin_run_retransmit(&p1, &p2, 2, &next),
	    OAKLEY_RETRANSMIT_AFTER);
	ATF_CHECK_EQ(next, 3000);
	check_trace("retransmit:p2:2");

	set("test.verdict.retransmit", OAKLEY_RETRANSMIT_DEFAULT);
	set("second.verdict.retransmit", OAKLEY_RETRANSMIT_NEW_PHASE1);
	ATF_CHECK_EQ(plugin_run_retransmit(&p1, &p2, 3, &next),
	    OAKLEY_RETRANSMIT_NEW_PHASE1);
	check_trace("retransmit:p2:3,second:retransmit");

	/* Not a verdict: logged, counts as DEFAULT. */
	set("test.verdict.retransmit", 42);
	ATF_CHECK_EQ(plugin_run_retransmit(&p1, &p2, 4, &next),
	    OAKLEY_RETRANSMIT_NEW_PHASE1);
	check_trace("retransmit:p2:4,second:retransmit");
	teardown();
}

ATF_TC_WITHOUT_HEAD(other_verdicts);
ATF_TC_BODY(other_verdicts, tc)
{
	struct pfkey_msg m;
	struct oakley_sa sa;

	setup(tc);
	pfkey_msg_init(&m, PFKEY_EXPIRE, PFKEY_SATYPE_ESP, 0, 0);
	plugin_sa_init(&sa, &m, &peer, NULL, false);

	set("second.verdict.p1_replace", OAKLEY_P1_REPLACE_OLD);
	ATF_CHECK_EQ(plugin_run_p1_replace(&p1, &p1), OAKLEY_P1_REPLACE_OLD);
	set("test.verdict.p1_replace", OAKLEY_P1_KEEP_BOTH);
	ATF_CHECK_EQ(plugin_run_p1_replace(&p1, &p1), OAKLEY_P1_KEEP_BOTH);
	check_trace("p1_replace,second:p1_replace,p1_replace");

	ATF_CHECK_EQ(plugin_run_sa_idle(&sa, 45), OAKLEY_IDLE_DEFAULT);
	set("test.verdict.sa_idle", OAKLEY_IDLE_KEEP);
	set("second.verdict.sa_idle", OAKLEY_IDLE_DELETE);
	ATF_CHECK_EQ(plugin_run_sa_idle(&sa, 46), OAKLEY_IDLE_KEEP);
	check_trace("sa_idle:45,second:sa_idle,sa_idle:46");

	set("second.verdict.sa_expired", OAKLEY_EXPIRE_NO_REKEY);
	ATF_CHECK_EQ(plugin_run_sa_expired(&sa, false), OAKLEY_EXPIRE_NO_REKEY);
	check_trace("sa_expired:soft,second:sa_expired");

	set("test.verdict.bypass_expired", OAKLEY_BYPASS_EXTEND);
	ATF_CHECK_EQ(plugin_run_bypass_expired(&peer, OAKLEY_DIR_BOTH, 12),
	    OAKLEY_BYPASS_EXTEND);
	check_trace("bypass_expired:3:12");
	teardown();
}

/* ---- Edit hooks: all run in order until the first -1 ---- */

ATF_TC_WITHOUT_HEAD(edit_hooks);
ATF_TC_BODY(edit_hooks, tc)
{
	uint16_t attr;

	setup(tc);
	ATF_CHECK_EQ(plugin_run_msg_build(&msg), 0);
	ATF_CHECK_EQ(msg.added_type, 200);
	ATF_CHECK_STREQ(msg.added, "test");
	ATF_CHECK_EQ(plugin_run_msg_parsed(&msg), 0);
	check_trace("msg_build,second:msg_build,msg_parsed");

	set("test.fail.msg_build", 1);
	ATF_CHECK_EQ(plugin_run_msg_build(&msg), -1);
	check_trace("msg_build");
	set("second.fail.msg_build", 1);
	set("test.fail.msg_build", 0);
	ATF_CHECK_EQ(plugin_run_msg_build(&msg), -1);
	check_trace("msg_build,second:msg_build");

	/* Each plugin sees what the one before wrote. */
	attr = 1;
	ATF_CHECK_EQ(plugin_run_p2_encap(&p2, false, &attr), 0);
	ATF_CHECK_EQ(attr, 3);
	ATF_CHECK_EQ(plugin_run_p2_encap(&p2, true, &attr), 0);
	ATF_CHECK_EQ(attr, 1);
	check_trace("p2_encap:out,second:p2_encap:3,p2_encap:in,"
	    "second:p2_encap:1");
	teardown();
}

/* ---- SAs ---- */

ATF_TC_WITHOUT_HEAD(sa_install_and_life);
ATF_TC_BODY(sa_install_and_life, tc)
{
	struct pfkey_msg m;
	struct oakley_sa sa;
	char buf[64];

	setup(tc);
	pfkey_msg_init(&m, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 1, 1);
	ATF_REQUIRE_EQ(pfkey_addr_parse(&m.addr_src, "198.51.100.1"), 0);
	ATF_REQUIRE_EQ(pfkey_addr_parse(&m.addr_dst, "203.0.113.2"), 0);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	plugin_sa_init(&sa, &m, &peer, &p2, true);

	ATF_CHECK_EQ(plugin_run_sa_install(&sa), 0);
	ATF_CHECK(!sa.writable);
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_TYPE));
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_SPORT));
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_DPORT));
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_OAI));
	ATF_CHECK(!PFKEY_HAS(&m, PFKEY_EXT_X_NAT_T_OAR));
	ATF_CHECK_EQ(m.natt_type, PFKEY_NAT_T_ESPINUDP);
	ATF_CHECK_EQ(m.natt_sport, 4500);
	ATF_CHECK_EQ(m.natt_dport, 4500);
	ATF_CHECK_STREQ(pfkey_addr_ntop(&m.natt_oai, buf, sizeof(buf)),
	    "192.0.2.10");
	ATF_CHECK_EQ(m.natt_oai.prefixlen, 32);
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_LIFETIME_SOFT));
	ATF_CHECK(PFKEY_HAS(&m, PFKEY_EXT_LIFETIME_HARD));
	ATF_CHECK_EQ(m.life_soft.addtime, 2880);
	ATF_CHECK_EQ(m.life_hard.addtime, 3600);
	ATF_CHECK_EQ(sa.idle_timeout, 30);
	check_trace("sa_install,second:sa_install");

	plugin_run_sa_installed(&sa);
	plugin_run_sa_deleted(&sa);
	check_trace("sa_installed,sa_deleted");

	set("second.fail.sa_install", 1);
	ATF_CHECK_EQ(plugin_run_sa_install(&sa), -1);
	ATF_CHECK(!sa.writable);
	teardown();
}

/* ---- Registries ---- */

ATF_TC_WITHOUT_HEAD(vendor_ids);
ATF_TC_BODY(vendor_ids, tc)
{
	const struct oakley_vendor_id *out[4];
	const uint8_t *exact = (const uint8_t *)"oakleyd-test-vid";
	const uint8_t *nt5 = (const uint8_t *)"oakleyd-prefix16\0\0\0\10";

	setup(tc);
	ATF_REQUIRE_EQ(plugin_vendor_ids_to_send(&p1, out, 4), 1);
	ATF_CHECK_STREQ(out[0]->name, "test-exact");
	ATF_CHECK_EQ(out[0]->len, 16);
	ATF_CHECK_EQ(plugin_vendor_ids_to_send(&p1, out, 0), 0);
	set("test.no_vid", 1);
	ATF_CHECK_EQ(plugin_vendor_ids_to_send(&p1, out, 4), 0);

	/*
	 * Both plugins recognise the exact one, in load order.  Its flags
	 * go on the phase 1, and on the peer only once that phase 1 is
	 * established (the message was not authenticated).
	 */
	ATF_CHECK_EQ(plugin_run_vendor_id(&p1, exact, 16), 2);
	ATF_CHECK_EQ(flag_in(p1.flags, "test.vid_seen"), 1);
	ATF_CHECK_EQ(flag_in(p1.flags, "second.vid_seen"), 1);
	ATF_CHECK_EQ(get("test.vid_seen"), -1);
	ATF_CHECK_EQ(get("second.vid_seen"), -1);
	check_trace("vid:test-exact");
	plugin_run_p1_established(&p1);
	ATF_CHECK_EQ(get("test.vid_seen"), 1);
	ATF_CHECK_EQ(get("second.vid_seen"), 1);
	check_trace("p1_established");
	ATF_CHECK_EQ(plugin_run_vendor_id(&p1, exact, 15), 0);
	ATF_CHECK_EQ(plugin_run_vendor_id(&p1, exact, 17), 0);
	ATF_CHECK_STREQ(plugin_vendor_id_name(exact, 16), "test-exact");

	/* Prefix: 16 bytes compared, any version after. */
	ATF_CHECK_EQ(plugin_run_vendor_id(&p1, nt5, 20), 1);
	ATF_CHECK_EQ(get("test.vid_version"), 8);
	check_trace("vid:test-prefix:8");
	ATF_CHECK_EQ(plugin_run_vendor_id(&p1, nt5, 15), 0);
	ATF_CHECK(plugin_vendor_id_name((const uint8_t *)"nothing-known-xx",
	    16) == NULL);
	teardown();
}

ATF_TC_WITHOUT_HEAD(payload_handlers);
ATF_TC_BODY(payload_handlers, tc)
{
	setup(tc);
	ATF_CHECK_EQ(plugin_run_payload(&msg, 200, (const uint8_t *)"test", 4),
	    0);
	ATF_CHECK_EQ(plugin_run_payload(&msg, 200, (const uint8_t *)"nope", 4),
	    -1);
	ATF_CHECK_EQ(plugin_run_payload(&msg, 201, (const uint8_t *)"test", 4),
	    1);
	check_trace("payload:200:test,payload:200:nope");
	teardown();
}

ATF_TC_WITHOUT_HEAD(ports);
ATF_TC_BODY(ports, tc)
{
	const struct oakley_port *pt;
	size_t off = 99;

	setup(tc);
	ATF_REQUIRE_EQ(plugin_port_count(), 1);
	ATF_REQUIRE((pt = plugin_port_at(0)) != NULL);
	ATF_CHECK(plugin_port_at(1) == NULL);
	ATF_CHECK(plugin_port_lookup(4999) == pt);
	ATF_CHECK(plugin_port_lookup(500) == NULL);
	ATF_CHECK_EQ(pt->marker_len, 4);
	ATF_CHECK_EQ(pt->flags, OAKLEY_PORT_ESPINUDP);
	ATF_CHECK_EQ(plugin_port_classify(4999,
	    (const uint8_t *)"\0\0\0\0IKE", 7, &off), OAKLEY_PACKET_IKE);
	ATF_CHECK_EQ(off, 4);
	ATF_CHECK_EQ(plugin_port_classify(4999, (const uint8_t *)"\xff", 1,
	    &off), OAKLEY_PACKET_DROP);
	ATF_CHECK_EQ(plugin_port_classify(500, (const uint8_t *)"\xff", 1,
	    &off), OAKLEY_PACKET_IKE);
	ATF_CHECK_EQ(off, 0);
	teardown();
}

static struct oakley_dh_key *
builtin_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t len)
{
	(void)g;
	(void)pub;
	(void)len;
	return NULL;
}

ATF_TC_WITHOUT_HEAD(dh_groups);
ATF_TC_BODY(dh_groups, tc)
{
	static struct oakley_dh_group modp1024 = {
		.group = 2, .name = "modp1024", .bits = 1024,
		.public_len = 128, .keygen = builtin_keygen
	};
	const struct oakley_dh_group *g;
	struct oakley_dh_key *k;
	uint8_t pub[8], secret[8];

	setup(tc);
	ATF_CHECK_EQ(plugin_dh_register_builtin(&modp1024), 0);
	ATF_CHECK(plugin_dh_lookup(2) == &modp1024);
	modp1024.group = 99;	/* taken by test_plugin */
	ATF_CHECK_EQ(plugin_dh_register_builtin(&modp1024), -1);
	modp1024.group = 2;

	ATF_REQUIRE((g = plugin_dh_lookup(99)) != NULL);
	ATF_CHECK_STREQ(g->name, "test99");
	ATF_CHECK_EQ(g->bits, 64);
	ATF_REQUIRE_EQ(g->public_len, sizeof(pub));
	ATF_REQUIRE((k = g->keygen(g, pub, sizeof(pub))) != NULL);
	ATF_CHECK_EQ(pub[0], 7);
	ATF_CHECK_EQ(g->check_peer(g, pub, sizeof(pub)), 0);
	ATF_CHECK_EQ(g->derive(g, k, pub, sizeof(pub), secret,
	    sizeof(secret)), 0);
	ATF_CHECK_EQ(secret[7], 0);
	g->key_free(g, k);
	ATF_CHECK(plugin_dh_lookup(14) == NULL);
	teardown();
	ATF_CHECK(plugin_dh_lookup(2) == NULL);
}

ATF_TC_WITHOUT_HEAD(profiles);
ATF_TC_BODY(profiles, tc)
{
	struct oakley_profile prof;
	char err[256];

	setup(tc);
	ATF_REQUIRE(plugin_profile_lookup("test") != NULL);
	ATF_CHECK_STREQ(plugin_profile_lookup("test")->description,
	    "test profile");
	memset(&prof, 0, sizeof(prof));
	ATF_CHECK_EQ(plugin_profile_apply("test", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.quirks, OAKLEY_QUIRK_MS_STATUS);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.phase1[0].cipher, 5);
	ATF_CHECK_EQ(prof.phase1[0].lifetime, 28800);

	memset(&prof, 0, sizeof(prof));
	prof.from_config = OAKLEY_PROFILE_CONF_PHASE1;
	ATF_CHECK_EQ(plugin_profile_apply("test", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	check_trace("profile,profile");

	ATF_CHECK_EQ(plugin_profile_apply("nope", &p1, &prof, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "profile 'nope': no plugin provides it");
	set("test.fail.profile", 1);
	ATF_CHECK_EQ(plugin_profile_apply("test", &p1, &prof, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "profile 'test' (plugin test_plugin) failed for "
	    "peer 'p1'");
	teardown();
}

/*
 * "default" changes nothing; "auto" applies the profile the flag
 * "profile" of the phase 1, else of its peer, names, and nothing while
 * it is unset, "default" or unknown.
 */
ATF_TC_WITHOUT_HEAD(profile_auto);
ATF_TC_BODY(profile_auto, tc)
{
	struct oakley_profile prof;
	char err[256];

	setup(tc);
	memset(&prof, 0, sizeof(prof));
	ATF_CHECK_EQ(plugin_profile_apply("default", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	check_trace("");
	ATF_CHECK(plugin_profile_chosen(peer.flags) == NULL);

	ATF_REQUIRE_EQ(plugin_flags_set_str(peer.flags, OAKLEY_FLAG_PROFILE,
	    "test"), 0);
	ATF_CHECK_STREQ(plugin_profile_chosen(peer.flags), "test");
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	ATF_CHECK_EQ(prof.phase1[0].cipher, 5);
	check_trace("profile");
	set("test.fail.profile", 1);
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), -1);
	ATF_CHECK_STREQ(err, "profile 'test' (plugin test_plugin) failed for "
	    "peer 'p1'");
	set("test.fail.profile", 0);
	check_trace("profile");

	memset(&prof, 0, sizeof(prof));
	ATF_REQUIRE_EQ(plugin_flags_set_str(peer.flags, OAKLEY_FLAG_PROFILE,
	    "nope"), 0);
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(peer.flags, OAKLEY_FLAG_PROFILE,
	    "default"), 0);
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	check_trace("");

	/*
	 * The phase 1's own choice wins over the peer's: a phase 1 whose
	 * first message said "default" gets nothing, one that said "test"
	 * gets it whatever the peer's record says.
	 */
	ATF_REQUIRE_EQ(plugin_flags_set_str(peer.flags, OAKLEY_FLAG_PROFILE,
	    "test"), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(p1.flags, OAKLEY_FLAG_PROFILE,
	    "default"), 0);
	ATF_CHECK_STREQ(plugin_profile_chosen_p1(&p1), "default");
	memset(&prof, 0, sizeof(prof));
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	check_trace("");
	ATF_REQUIRE_EQ(plugin_flags_set_str(peer.flags, OAKLEY_FLAG_PROFILE,
	    "default"), 0);
	ATF_REQUIRE_EQ(plugin_flags_set_str(p1.flags, OAKLEY_FLAG_PROFILE,
	    "test"), 0);
	ATF_CHECK_EQ(plugin_profile_apply("auto", &p1, &prof, err,
	    sizeof(err)), 0);
	ATF_CHECK_EQ(prof.n_phase1, 1);
	check_trace("profile");
	/* Without its own choice, the peer's. */
	plugin_flags_unset(p1.flags, OAKLEY_FLAG_PROFILE);
	ATF_CHECK_STREQ(plugin_profile_chosen_p1(&p1), "default");
	teardown();
}

/* ---- Timers ---- */

ATF_TC_WITHOUT_HEAD(plugin_timers);
ATF_TC_BODY(plugin_timers, tc)
{
	setup(tc);
	set("test.timer_ms", 1000);
	plugin_run_p1_started(&p1);
	check_trace("p1_started,second:p1_started");
	ATF_CHECK_EQ(timers_run(timers, 999), 0);
	check_trace("");
	ATF_CHECK_EQ(timers_run(timers, 1000), 1);
	check_trace("timer");

	/* Armed again and left armed: the host frees it at unload. */
	clock_now = 1000;
	plugin_run_p1_started(&p1);
	ATF_CHECK_EQ(timers_count(timers), 1);
	plugin_host_fini();
	ATF_CHECK_EQ(timers_count(timers), 0);
	plugin_flags_free(peer.flags);
	timers_free(timers);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, notify_in_load_order);
	ATF_TP_ADD_TC(tp, no_plugins_defaults);
	ATF_TP_ADD_TC(tp, retransmit_verdicts);
	ATF_TP_ADD_TC(tp, other_verdicts);
	ATF_TP_ADD_TC(tp, edit_hooks);
	ATF_TP_ADD_TC(tp, sa_install_and_life);
	ATF_TP_ADD_TC(tp, vendor_ids);
	ATF_TP_ADD_TC(tp, payload_handlers);
	ATF_TP_ADD_TC(tp, ports);
	ATF_TP_ADD_TC(tp, dh_groups);
	ATF_TP_ADD_TC(tp, profiles);
	ATF_TP_ADD_TC(tp, profile_auto);
	ATF_TP_ADD_TC(tp, plugin_timers);
	return atf_no_error();
}
