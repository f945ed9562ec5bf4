/*
 * The fake engine and helpers of the compat plugin tests (compat_test.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "compat_test.h"
#include "conf.h"
#include "ctl.h"
#include "daemon.h"
#include "engine.h"
#include "log.h"
#include "peer.h"
#include "testutil.h"

struct oakley_peer ct_peer;
struct oakley_phase1 ct_p1;
struct oakley_phase2 ct_p2 = { &ct_p1 };
char ct_err[2048];
char ct_plugin_dir[PATH_MAX];

static struct oakley_msg msg;

/* MD5("MS NT5 ISAKMPOAKLEY"), FACTS.md 1.1. */
static const char ms_nt5_hex[] = "1e2b516905991c7d7c96fcbfb587e461";

/* ---- The fake engine ---- */

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

static bool
e_phase1_initiator(const struct oakley_phase1 *p1)
{
	return p1->initiator;
}

static struct oakley_flags *
e_phase1_flags(struct oakley_phase1 *p1)
{
	return p1->flags;
}

static struct oakley_flags *
e_phase1_profile_flags(struct oakley_phase1 *p1)
{
	return p1->prof_flags;
}

static struct oakley_phase1 *
e_msg_phase1(struct oakley_msg *m)
{
	return m->p1;
}

static unsigned
e_msg_exchange(const struct oakley_msg *m)
{
	return m->exchange;
}

static unsigned
e_msg_number(const struct oakley_msg *m)
{
	return m->number;
}

static bool
e_msg_inbound(const struct oakley_msg *m)
{
	return m->inbound;
}

static const struct oakley_engine engine = {
	.peer_name = e_peer_name,
	.peer_flags = e_peer_flags,
	.phase1_peer = e_phase1_peer,
	.phase1_initiator = e_phase1_initiator,
	.phase1_flags = e_phase1_flags,
	.phase1_profile_flags = e_phase1_profile_flags,
	.msg_phase1 = e_msg_phase1,
	.msg_exchange = e_msg_exchange,
	.msg_number = e_msg_number,
	.msg_inbound = e_msg_inbound,
};

/* ---- Set-up ---- */

static void
link_plugin(const char *top, const char *name)
{
	char src[PATH_MAX + 64], dst[PATH_MAX];

	snprintf(src, sizeof(src), "%s/plugins/%s/%s.so", top, name, name);
	snprintf(dst, sizeof(dst), "plugins/%s.so", name);
	ATF_REQUIRE_MSG(access(src, R_OK) == 0, "%s is not built", src);
	(void)unlink(dst);
	ATF_REQUIRE_MSG(symlink(src, dst) == 0, "symlink %s: %s", dst,
	    strerror(errno));
}

/* ./plugins with both plugins, the host up with this engine. */
static void
host_setup(const atf_tc_t *tc, const struct oakley_engine *e)
{
	char rel[PATH_MAX + 16], top[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/../../..",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE(realpath(rel, top) != NULL);
	ATF_REQUIRE(mkdir("plugins", 0755) == 0 || errno == EEXIST);
	link_plugin(top, "compat_legacy");
	link_plugin(top, "compat_modern");
	ATF_REQUIRE(realpath("plugins", ct_plugin_dir) != NULL);

	log_init("oakleyd", true, LOG_LEVEL_WARN);
	ATF_REQUIRE_EQ(plugin_host_init(e, NULL), 0);
}

void
ct_setup(const atf_tc_t *tc)
{
	host_setup(tc, &engine);
	memset(&ct_peer, 0, sizeof(ct_peer));
	memset(&ct_p1, 0, sizeof(ct_p1));
	ct_peer.name = CT_PEER;
	ATF_REQUIRE((ct_peer.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((ct_p1.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((ct_p1.prof_flags = plugin_flags_new()) != NULL);
	ct_p1.peer = &ct_peer;
	ct_err[0] = '\0';
}

void
ct_teardown(void)
{
	plugin_host_fini();
	plugin_flags_free(ct_peer.flags);
	plugin_flags_free(ct_p1.flags);
	plugin_flags_free(ct_p1.prof_flags);
	ct_peer.flags = ct_p1.flags = ct_p1.prof_flags = NULL;
}

void
ct_load(const char *name)
{
	struct conf_plugin_block pb = { .name = (char *)name };

	ATF_REQUIRE_MSG(plugin_load(ct_plugin_dir, &pb, ct_err,
	    sizeof(ct_err)) == 0, "%s", ct_err);
}

static struct config *
conf_of(const char *text)
{
	struct config *cfg;

	cfg = conf_parse_string(text, "test.conf", ct_err, sizeof(ct_err));
	ATF_REQUIRE_MSG(cfg != NULL, "%s", ct_err);
	free(cfg->plugin_dir);
	ATF_REQUIRE((cfg->plugin_dir = strdup(ct_plugin_dir)) != NULL);
	return cfg;
}

int
ct_load_conf(const char *text)
{
	struct config *cfg = conf_of(text);
	int rc;

	rc = plugin_load_config(cfg, ct_err, sizeof(ct_err));
	conf_free(cfg);
	return rc;
}

void
ct_check_load(const atf_tc_t *tc, const char *name, const char *desc,
    const char *profile, const char *profile_desc, const char *other)
{
	struct plugin_info info;
	const struct oakley_profile_desc *pd;

	ct_setup(tc);
	ct_load(name);
	ATF_REQUIRE_EQ(plugin_info(0, &info), 0);
	ATF_CHECK_STREQ(info.name, name);
	ATF_CHECK_STREQ(info.description, desc);
	ATF_REQUIRE((pd = plugin_profile_lookup(profile)) != NULL);
	ATF_CHECK_STREQ(pd->description, profile_desc);
	ATF_CHECK(plugin_profile_lookup(other) == NULL);
	ATF_CHECK(plugin_profile_lookup(OAKLEY_PROFILE_AUTO) == NULL);
	ct_teardown();
	ATF_CHECK(plugin_profile_lookup(profile) == NULL);
}

void
ct_setup_both(const atf_tc_t *tc)
{
	ct_setup(tc);
	ct_load("compat_legacy");
	ct_load("compat_modern");
}

void
ct_setup_conf(const atf_tc_t *tc, const char *text)
{
	ct_setup(tc);
	ATF_REQUIRE_MSG(ct_load_conf(text) == 0, "%s", ct_err);
}

void
ct_check_conf_errors(const atf_tc_t *tc, const char *name,
    const char *profile, const struct ct_conf_error *e, size_t n)
{
	char want[sizeof(ct_err) + PATH_MAX];
	size_t i;

	for (i = 0; i < n; i++) {
		ct_setup(tc);
		ATF_CHECK_EQ(ct_load_conf(e[i].text), -1);
		snprintf(want, sizeof(want), "plugin '%s': %s/%s.so: bad "
		    "configuration: %s", name, ct_plugin_dir, name, e[i].tail);
		ATF_CHECK_STREQ(ct_err, want);
		ATF_CHECK(plugin_profile_lookup(profile) == NULL);
		ct_teardown();
	}
}

/* ---- Playing the engine ---- */

void
ct_ms_vid(uint32_t version, uint8_t out[CT_VID_LEN])
{
	ATF_REQUIRE_EQ(tu_hex_decode(ms_nt5_hex, out, 16), 16);
	out[16] = (uint8_t)(version >> 24);
	out[17] = (uint8_t)(version >> 16);
	out[18] = (uint8_t)(version >> 8);
	out[19] = (uint8_t)version;
}

void
ct_first_message(const uint8_t *const *vids, const size_t *lens,
    size_t count)
{
	size_t i;

	plugin_flags_free(ct_p1.flags);
	plugin_flags_free(ct_p1.prof_flags);
	ATF_REQUIRE((ct_p1.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((ct_p1.prof_flags = plugin_flags_new()) != NULL);
	msg.p1 = &ct_p1;
	msg.exchange = OAKLEY_EXCH_MAIN;
	msg.number = ct_p1.initiator ? 2 : 1;
	msg.inbound = true;
	for (i = 0; i < count; i++)
		plugin_run_vendor_id(&ct_p1, vids[i], lens[i]);
	ATF_CHECK_EQ(plugin_run_msg_parsed(&msg), 0);
}

void
ct_send_ms_vid(uint32_t version)
{
	uint8_t vid[CT_VID_LEN];
	const uint8_t *vids[1] = { vid };
	size_t lens[1] = { sizeof(vid) };

	ct_ms_vid(version, vid);
	ct_first_message(vids, lens, 1);
}

void
ct_check_auto_unchanged(void)
{
	struct oakley_profile prof;

	ATF_CHECK_EQ(ct_apply(OAKLEY_PROFILE_AUTO, 0, &prof), 0);
	ATF_CHECK_EQ(prof.n_phase1, 0);
	ATF_CHECK_EQ(prof.n_phase2, 0);
	ATF_CHECK_EQ(prof.idle_timeout, 0);
	ATF_CHECK_EQ(prof.quirks, 0);
}

const char *
ct_flag_str(const char *key)
{
	return plugin_flags_get_str(ct_p1.flags, key);
}

/* An integer flag of flags, -1 if unset. */
static int64_t
int_or_unset(const struct oakley_flags *flags, const char *key)
{
	int64_t v;

	if (plugin_flags_get_int(flags, key, &v) != 0)
		return -1;
	return v;
}

int64_t
ct_flag_int(const char *key)
{
	return int_or_unset(ct_p1.flags, key);
}

const char *
ct_mark_str(const char *key)
{
	return plugin_flags_get_str(ct_p1.prof_flags, key);
}

int64_t
ct_mark_int(const char *key)
{
	return int_or_unset(ct_p1.prof_flags, key);
}

const char *
ct_peer_flag_str(const char *key)
{
	return plugin_flags_get_str(ct_peer.flags, key);
}

void
ct_established(void)
{
	plugin_run_p1_established(&ct_p1);
}

static const char *
or_unset(const char *s)
{
	return s != NULL ? s : "(unset)";
}

void
ct_check_lands(uint32_t version, const char *want, const char *evidence,
    uint16_t mm_cipher)
{
	struct oakley_profile prof;
	char before[256];

	/* What the peer's record said before this phase 1. */
	snprintf(before, sizeof(before), "%s",
	    or_unset(ct_peer_flag_str(OAKLEY_FLAG_PROFILE_EVIDENCE)));
	ct_send_ms_vid(version);
	ATF_CHECK_STREQ(or_unset(ct_flag_str(OAKLEY_FLAG_PROFILE)), want);
	ATF_CHECK_STREQ(or_unset(ct_flag_str(OAKLEY_FLAG_PROFILE_EVIDENCE)),
	    evidence);
	ATF_CHECK_EQ(ct_flag_int("windows.version"), (int64_t)version);
	ATF_CHECK_EQ(ct_apply(OAKLEY_PROFILE_AUTO, 0, &prof), 0);
	ATF_CHECK_STREQ(or_unset(ct_mark_str("compat.profile")), want);
	ATF_REQUIRE(prof.n_phase1 >= 1);
	ATF_CHECK_EQ(prof.phase1[0].cipher, mm_cipher);
	/* The peer's record: only once the phase 1 is established. */
	ATF_CHECK_STREQ(or_unset(ct_peer_flag_str(
	    OAKLEY_FLAG_PROFILE_EVIDENCE)), before);
	ct_established();
	ATF_CHECK_STREQ(or_unset(ct_peer_flag_str(OAKLEY_FLAG_PROFILE)), want);
	ATF_CHECK_STREQ(or_unset(ct_peer_flag_str(
	    OAKLEY_FLAG_PROFILE_EVIDENCE)), evidence);
	ATF_CHECK(ct_peer_flag_str("compat.profile") == NULL);
}

int
ct_apply(const char *name, uint32_t from_config, struct oakley_profile *prof)
{
	/* As the core does: the last profile's notes go first. */
	plugin_flags_free(ct_p1.prof_flags);
	ATF_REQUIRE((ct_p1.prof_flags = plugin_flags_new()) != NULL);
	memset(prof, 0, sizeof(*prof));
	prof->from_config = from_config;
	return plugin_profile_apply(name, &ct_p1, prof, ct_err,
	    sizeof(ct_err));
}

void
ct_check_p1(const struct oakley_p1_proposal *p, uint16_t cipher,
    uint16_t keylen, uint16_t hash, uint16_t group, uint32_t lifetime)
{
	ATF_CHECK_EQ(p->cipher, cipher);
	ATF_CHECK_EQ(p->keylen, keylen);
	ATF_CHECK_EQ(p->hash, hash);
	ATF_CHECK_EQ(p->group, group);
	ATF_CHECK_EQ(p->lifetime, lifetime);
}

void
ct_check_p2(const struct oakley_p2_proposal *p, uint16_t cipher,
    uint16_t keylen, uint16_t auth, uint16_t pfs, uint32_t lifetime,
    uint64_t lifetime_kb)
{
	ATF_CHECK_EQ(p->cipher, cipher);
	ATF_CHECK_EQ(p->keylen, keylen);
	ATF_CHECK_EQ(p->auth, auth);
	ATF_CHECK_EQ(p->pfs_group, pfs);
	ATF_CHECK_EQ(p->lifetime, lifetime);
	ATF_CHECK_EQ(p->lifetime_kb, lifetime_kb);
}

void
ct_check_rest(const struct oakley_profile *p, uint32_t idle,
    uint32_t retransmit_ms, unsigned retransmit_count, uint32_t quirks)
{
	ATF_CHECK_EQ(p->idle_timeout, idle);
	ATF_CHECK_EQ(p->retransmit_ms, retransmit_ms);
	ATF_CHECK_EQ(p->retransmit_count, retransmit_count);
	ATF_CHECK_EQ(p->quirks, quirks);
}

void
ct_check_marks(const char *profile, int64_t natt_draft, int64_t backoff)
{
	ATF_CHECK_STREQ(or_unset(ct_mark_str("compat.profile")), profile);
	ATF_CHECK_EQ(ct_mark_int("natt.prefer_draft"), natt_draft);
	ATF_CHECK_EQ(ct_mark_int("compat.backoff"), backoff);
}

size_t
ct_vids_to_send(const struct oakley_vendor_id **out, size_t max)
{
	return plugin_vendor_ids_to_send(&ct_p1, out, max);
}

void
ct_check_sent(const atf_tc_t *tc, const char *name, const char *profile,
    const char *release, uint32_t version)
{
	const struct oakley_vendor_id *out[4];
	struct oakley_profile prof;
	uint8_t want[CT_VID_LEN];
	char conf[128];

	snprintf(conf, sizeof(conf), "plugin %s { send-vendor-id %s; }\n",
	    name, release);
	ct_setup_conf(tc, conf);
	ATF_CHECK_EQ(ct_vids_to_send(out, 4), 0);	/* not applied yet */
	ATF_REQUIRE_EQ(ct_apply(profile, 0, &prof), 0);
	ATF_REQUIRE_EQ(ct_vids_to_send(out, 4), 1);
	ct_ms_vid(version, want);
	ATF_CHECK_STREQ(out[0]->name, "MS NT5 ISAKMPOAKLEY");
	ATF_REQUIRE_EQ(out[0]->len, CT_VID_LEN);
	ATF_CHECK_MSG(memcmp(out[0]->bytes, want, CT_VID_LEN) == 0,
	    "%s: wrong bytes", release);
	ct_first_message(&out[0]->bytes, &out[0]->len, 1);
	ATF_CHECK_STREQ(or_unset(ct_flag_str(OAKLEY_FLAG_PROFILE)), profile);
	ct_teardown();
}

/* ---- oakleyd's own peers ---- */

static struct peer *show_peer;

static struct oakley_peer *
show_phase1_peer(struct oakley_phase1 *p1)
{
	(void)p1;
	return (struct oakley_peer *)(void *)show_peer;
}

void
ct_show_peers(const atf_tc_t *tc, const char *text, const char *name,
    int64_t version, char *out, size_t outlen)
{
	struct oakley_engine e = daemon_engine;
	struct oakley_profile prof;
	struct evbuffer *b;
	struct daemon d;
	size_t len;

	/* oakleyd's peer accessors, the fake phase 1 and messages. */
	e.phase1_peer = show_phase1_peer;
	e.phase1_initiator = engine.phase1_initiator;
	e.phase1_flags = engine.phase1_flags;
	e.phase1_profile_flags = engine.phase1_profile_flags;
	e.msg_phase1 = engine.msg_phase1;
	e.msg_exchange = engine.msg_exchange;
	e.msg_number = engine.msg_number;
	e.msg_inbound = engine.msg_inbound;
	host_setup(tc, &e);
	memset(&d, 0, sizeof(d));
	TAILQ_INIT(&d.peers);
	d.conf = conf_of(text);
	ATF_REQUIRE_MSG(plugin_load_config(d.conf, ct_err, sizeof(ct_err)) ==
	    0, "%s", ct_err);
	ATF_REQUIRE_EQ(peers_sync(&d.peers, d.conf, NULL), 0);
	ATF_REQUIRE((show_peer = peer_find(&d.peers, name)) != NULL);

	memset(&ct_p1, 0, sizeof(ct_p1));
	ATF_REQUIRE((ct_p1.flags = plugin_flags_new()) != NULL);
	ATF_REQUIRE((ct_p1.prof_flags = plugin_flags_new()) != NULL);
	if (version >= 0)
		ct_send_ms_vid((uint32_t)version);
	else
		ct_first_message(NULL, NULL, 0);
	memset(&prof, 0, sizeof(prof));
	ATF_CHECK_EQ(plugin_profile_apply(show_peer->conf->profile, &ct_p1,
	    &prof, ct_err, sizeof(ct_err)), 0);
	plugin_run_p1_established(&ct_p1);

	ATF_REQUIRE((b = evbuffer_new()) != NULL);
	ctl_show_peers(&d, false, b);
	len = evbuffer_get_length(b);
	ATF_REQUIRE(len < outlen);
	evbuffer_copyout(b, out, len);
	out[len] = '\0';
	evbuffer_free(b);

	plugin_host_fini();
	plugin_flags_free(ct_p1.flags);
	plugin_flags_free(ct_p1.prof_flags);
	ct_p1.flags = ct_p1.prof_flags = NULL;
	peers_free(&d.peers);
	conf_free(d.conf);
}
