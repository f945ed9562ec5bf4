/*
 * test_plugin: a plugin for the plugin host's own tests.  It registers one
 * of everything (every hook, DH group 99, two vendor IDs, a payload
 * handler for type 200, a socket filter on port 4999, the profile "test")
 * and records each call by appending "NAME" to the string flag
 * "test.trace" of the peer concerned, comma separated.
 *
 * The tests steer it through the peer's flags: "test.verdict.HOOK" is
 * the verdict a verdict hook returns, "test.fail.HOOK" = 1 makes an edit
 * hook fail, "test.next_ms" is what retransmit proposes, "test.no_vid"
 * = 1 keeps the vendor ID from being sent, "test.quirks" are OAKLEY_QUIRK_*
 * bits the profile adds.
 *
 * Configuration ("plugin test_plugin { ... }"):
 *	idle SECONDS;		5..60, the idle timeout sa_install sets (30)
 *	trace BOOL;		accepted and ignored
 *	fail-init;		init fails without giving a reason
 * Per peer ("peer P { test_plugin { mark N; } }"): mark 0..9.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oakley/plugin.h"

#define TEST_PAYLOAD_TYPE	200
#define TEST_PORT		4999
#define TEST_DH_GROUP		99
#define TEST_DH_LEN		8

static const struct oakley_host *host;
static const struct oakley_engine *engine;
static uint64_t idle_timeout = 30;
static struct oakley_timer *timer;

/* ---- Recording and steering through the peer's flags ---- */

static void
trace(struct oakley_peer *peer, const char *what)
{
	struct oakley_flags *f = engine->peer_flags(peer);
	const char *old = host->flag_get_str(host, f, "test.trace");
	char buf[1024];

	if (old == NULL)
		snprintf(buf, sizeof(buf), "%s", what);
	else
		snprintf(buf, sizeof(buf), "%s,%s", old, what);
	host->flag_set_str(host, f, "test.trace", buf);
}

static int64_t
steer(struct oakley_peer *peer, const char *prefix, const char *hook)
{
	char key[128];
	int64_t v;

	snprintf(key, sizeof(key), "%s%s", prefix, hook);
	if (host->flag_get_int(host, engine->peer_flags(peer), key, &v) == -1)
		return 0;
	return v;
}

static struct oakley_peer *
p1_peer(struct oakley_phase1 *p1)
{
	return engine->phase1_peer(p1);
}

static struct oakley_peer *
p2_peer(struct oakley_phase2 *p2)
{
	return engine->phase1_peer(engine->phase2_phase1(p2));
}

/* An edit hook: record, then fail if the test asked for it. */
static int
edit(struct oakley_peer *peer, const char *hook)
{
	trace(peer, hook);
	return steer(peer, "test.fail.", hook) != 0 ? -1 : 0;
}

/* ---- Hooks ---- */

static void
timer_fired(const struct oakley_host *h, void *arg)
{
	(void)h;
	trace(arg, "timer");
}

static void
t_p1_started(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	int64_t ms = steer(p1_peer(p1), "test.", "timer_ms");

	trace(p1_peer(p1), "p1_started");
	if (ms <= 0)
		return;
	if (timer == NULL)
		timer = h->timer_new(h, timer_fired, p1_peer(p1));
	h->timer_set(h, timer, (uint32_t)ms);
}

static void
t_p1_established(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	(void)h;
	trace(p1_peer(p1), "p1_established");
}

static void
t_p1_failed(const struct oakley_host *h, struct oakley_phase1 *p1,
    enum oakley_failure why)
{
	char what[32];

	(void)h;
	snprintf(what, sizeof(what), "p1_failed:%d", (int)why);
	trace(p1_peer(p1), what);
}

static void
t_p1_deleted(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	trace(p1_peer(p1), "p1_deleted");
	h->timer_free(h, timer);
	timer = NULL;
}

static enum oakley_p1_replace
t_p1_replace(const struct oakley_host *h, struct oakley_phase1 *new_p1,
    struct oakley_phase1 *old_p1)
{
	(void)h;
	(void)old_p1;
	trace(p1_peer(new_p1), "p1_replace");
	return (enum oakley_p1_replace)steer(p1_peer(new_p1), "test.verdict.",
	    "p1_replace");
}

static void
t_p2_started(const struct oakley_host *h, struct oakley_phase2 *p2)
{
	(void)h;
	trace(p2_peer(p2), "p2_started");
}

static void
t_p2_established(const struct oakley_host *h, struct oakley_phase2 *p2)
{
	(void)h;
	trace(p2_peer(p2), "p2_established");
}

static void
t_p2_failed(const struct oakley_host *h, struct oakley_phase2 *p2,
    enum oakley_failure why)
{
	char what[32];

	(void)h;
	snprintf(what, sizeof(what), "p2_failed:%d", (int)why);
	trace(p2_peer(p2), what);
}

static void
t_p2_deleted(const struct oakley_host *h, struct oakley_phase2 *p2)
{
	(void)h;
	trace(p2_peer(p2), "p2_deleted");
}

/* NAT-T style: tunnel 1 -> 3 outbound, 3 -> 1 inbound. */
static int
t_p2_encap(const struct oakley_host *h, struct oakley_phase2 *p2,
    bool inbound, uint16_t *attr)
{
	(void)h;
	if (edit(p2_peer(p2), inbound ? "p2_encap:in" : "p2_encap:out") != 0)
		return -1;
	if (!inbound && *attr == 1)
		*attr = 3;
	else if (inbound && *attr == 3)
		*attr = 1;
	return 0;
}

static enum oakley_retransmit
t_retransmit(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_phase2 *p2, unsigned sent, uint32_t *next_ms)
{
	struct oakley_peer *peer = p1_peer(p1);
	char what[32];

	(void)h;
	snprintf(what, sizeof(what), "retransmit:%s:%u",
	    p2 != NULL ? "p2" : "p1", sent);
	trace(peer, what);
	*next_ms = (uint32_t)steer(peer, "test.", "next_ms");
	return (enum oakley_retransmit)steer(peer, "test.verdict.",
	    "retransmit");
}

static int
t_msg_build(const struct oakley_host *h, struct oakley_msg *m)
{
	struct oakley_peer *peer = p1_peer(engine->msg_phase1(m));

	(void)h;
	if (edit(peer, "msg_build") != 0)
		return -1;
	return engine->msg_add_payload(m, TEST_PAYLOAD_TYPE,
	    (const uint8_t *)"test", 4);
}

static int
t_msg_parsed(const struct oakley_host *h, struct oakley_msg *m)
{
	(void)h;
	return edit(p1_peer(engine->msg_phase1(m)), "msg_parsed");
}

static int
t_sa_install(const struct oakley_host *h, struct oakley_sa *sa)
{
	struct oakley_natt natt = { .sport = 4500, .dport = 4500 };
	struct oakley_lifetime soft = { .addtime = 2880 };
	struct oakley_lifetime hard = { .addtime = 3600 };

	if (edit(h->sa_peer(h, sa), "sa_install") != 0)
		return -1;
	natt.oai.family = AF_INET;
	memcpy(natt.oai.addr, "\xc0\x00\x02\x0a", 4);	/* 192.0.2.10 */
	if (h->sa_set_natt(h, sa, &natt) != 0 ||
	    h->sa_set_lifetime(h, sa, OAKLEY_LIFETIME_SOFT, &soft) != 0 ||
	    h->sa_set_lifetime(h, sa, OAKLEY_LIFETIME_HARD, &hard) != 0)
		return -1;
	return h->sa_set_idle_timeout(h, sa, (uint32_t)idle_timeout);
}

static void
t_sa_installed(const struct oakley_host *h, struct oakley_sa *sa)
{
	trace(h->sa_peer(h, sa), "sa_installed");
}

static enum oakley_sa_expire
t_sa_expired(const struct oakley_host *h, struct oakley_sa *sa, bool hard)
{
	struct oakley_peer *peer = h->sa_peer(h, sa);

	trace(peer, hard ? "sa_expired:hard" : "sa_expired:soft");
	return (enum oakley_sa_expire)steer(peer, "test.verdict.",
	    "sa_expired");
}

static enum oakley_sa_idle
t_sa_idle(const struct oakley_host *h, struct oakley_sa *sa, uint32_t idle)
{
	struct oakley_peer *peer = h->sa_peer(h, sa);
	char what[32];

	snprintf(what, sizeof(what), "sa_idle:%u", idle);
	trace(peer, what);
	return (enum oakley_sa_idle)steer(peer, "test.verdict.", "sa_idle");
}

static void
t_sa_deleted(const struct oakley_host *h, struct oakley_sa *sa)
{
	trace(h->sa_peer(h, sa), "sa_deleted");
}

static enum oakley_bypass
t_bypass_expired(const struct oakley_host *h, struct oakley_peer *peer,
    unsigned dir, uint32_t idle)
{
	char what[32];

	(void)h;
	snprintf(what, sizeof(what), "bypass_expired:%u:%u", dir, idle);
	trace(peer, what);
	return (enum oakley_bypass)steer(peer, "test.verdict.",
	    "bypass_expired");
}

static int
t_peer_config(const struct oakley_host *h, const char *peer,
    const struct oakley_conf_block *b)
{
	const struct oakley_conf_stmt *s;
	uint64_t mark;

	(void)peer;
	for (s = h->conf_first(h, b); s != NULL; s = h->conf_next(h, s)) {
		if (strcmp(h->conf_key(h, s), "mark") != 0) {
			h->conf_error(h, s, "unknown option '%s'",
			    h->conf_key(h, s));
			return -1;
		}
		if (h->conf_number(h, s, 0, 0, 9, &mark) != 0)
			return -1;
	}
	return 0;
}

static const struct oakley_hooks hooks = {
	.p1_started = t_p1_started,
	.p1_established = t_p1_established,
	.p1_failed = t_p1_failed,
	.p1_deleted = t_p1_deleted,
	.p1_replace = t_p1_replace,
	.p2_started = t_p2_started,
	.p2_established = t_p2_established,
	.p2_failed = t_p2_failed,
	.p2_deleted = t_p2_deleted,
	.p2_encap = t_p2_encap,
	.retransmit = t_retransmit,
	.msg_build = t_msg_build,
	.msg_parsed = t_msg_parsed,
	.sa_install = t_sa_install,
	.sa_installed = t_sa_installed,
	.sa_expired = t_sa_expired,
	.sa_idle = t_sa_idle,
	.sa_deleted = t_sa_deleted,
	.bypass_expired = t_bypass_expired,
	.peer_config = t_peer_config,
};

/* ---- Registries ---- */

/* A toy group: the "public value" is the private byte repeated. */
struct oakley_dh_key {
	uint8_t		x;
};

static struct oakley_dh_key *
dh_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t publen)
{
	struct oakley_dh_key *k;

	if (publen != g->public_len || (k = malloc(sizeof(*k))) == NULL)
		return NULL;
	k->x = 7;
	memset(pub, k->x, publen);
	return k;
}

static int
dh_derive(const struct oakley_dh_group *g, struct oakley_dh_key *k,
    const uint8_t *peer, size_t peerlen, uint8_t *secret, size_t secretlen)
{
	size_t i;

	if (peerlen != g->public_len || secretlen != g->public_len)
		return -1;
	for (i = 0; i < secretlen; i++)
		secret[i] = (uint8_t)(peer[i] ^ k->x);
	return 0;
}

static int
dh_check_peer(const struct oakley_dh_group *g, const uint8_t *peer,
    size_t peerlen)
{
	return peerlen == g->public_len && peer[0] != 0 ? 0 : -1;
}

static void
dh_key_free(const struct oakley_dh_group *g, struct oakley_dh_key *k)
{
	(void)g;
	free(k);
}

static const struct oakley_dh_group dh_group = {
	.group = TEST_DH_GROUP,
	.name = "test99",
	.bits = TEST_DH_LEN * 8,
	.public_len = TEST_DH_LEN,
	.keygen = dh_keygen,
	.derive = dh_derive,
	.check_peer = dh_check_peer,
	.key_free = dh_key_free,
};

static bool
vid_should_send(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	(void)h;
	return steer(p1_peer(p1), "test.", "no_vid") == 0;
}

static void
vid_received(const struct oakley_host *h, struct oakley_phase1 *p1,
    const struct oakley_vendor_id *v, const uint8_t *payload, size_t len)
{
	char what[64];
	uint32_t version;

	if (v->match_len == 0) {
		snprintf(what, sizeof(what), "vid:%s", v->name);
	} else {
		version = (uint32_t)payload[len - 4] << 24 |
		    (uint32_t)payload[len - 3] << 16 |
		    (uint32_t)payload[len - 2] << 8 | payload[len - 1];
		snprintf(what, sizeof(what), "vid:%s:%u", v->name, version);
		h->flag_set_int(h, engine->peer_flags(p1_peer(p1)),
		    "test.vid_version", version);
	}
	trace(p1_peer(p1), what);
}

static const struct oakley_vendor_id vid_exact = {
	.name = "test-exact",
	.bytes = (const uint8_t *)"oakleyd-test-vid",
	.len = 16,
	.flags = OAKLEY_VID_SEND | OAKLEY_VID_RECOGNISE,
	.peer_flag = "test.vid_seen",
	.should_send = vid_should_send,
	.received = vid_received,
};

static const struct oakley_vendor_id vid_prefix = {
	.name = "test-prefix",
	.bytes = (const uint8_t *)"oakleyd-prefix16\0\0\0\1",
	.len = 20,
	.match_len = 16,
	.flags = OAKLEY_VID_RECOGNISE,
	.received = vid_received,
};

static int
payload_parse(const struct oakley_host *h, struct oakley_msg *m,
    uint8_t type, const uint8_t *body, size_t len)
{
	struct oakley_peer *peer = p1_peer(engine->msg_phase1(m));
	char what[64];

	(void)h;
	snprintf(what, sizeof(what), "payload:%u:%.*s", type, (int)len,
	    (const char *)body);
	trace(peer, what);
	return len == 4 && memcmp(body, "test", 4) == 0 ? 0 : -1;
}

static const struct oakley_payload_handler payload = {
	.type = TEST_PAYLOAD_TYPE,
	.name = "TEST",
	.parse = payload_parse,
};

/* Non-ESP-marker style: 4 zero bytes then IKE; 0xff alone is a keepalive. */
static enum oakley_packet
port_classify(const struct oakley_host *h, const uint8_t *pkt, size_t len,
    size_t *ike_offset)
{
	(void)h;
	if (len >= 4 && memcmp(pkt, "\0\0\0\0", 4) == 0) {
		*ike_offset = 4;
		return OAKLEY_PACKET_IKE;
	}
	return OAKLEY_PACKET_DROP;
}

static const struct oakley_port port = {
	.port = TEST_PORT,
	.flags = OAKLEY_PORT_ESPINUDP,
	.marker = (const uint8_t *)"\0\0\0\0",
	.marker_len = 4,
	.classify = port_classify,
};

static int
profile_apply(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_profile *prof)
{
	static const struct oakley_p1_proposal proposal = {
		.cipher = 5, .hash = 2, .group = 2, .lifetime = 28800
	};
	struct oakley_peer *peer = h->engine->phase1_peer(p1);

	trace(peer, "profile");
	prof->quirks |= OAKLEY_QUIRK_MS_STATUS |
	    (uint32_t)steer(peer, "test.", "quirks");
	if ((prof->from_config & OAKLEY_PROFILE_CONF_PHASE1) == 0) {
		prof->phase1[0] = proposal;
		prof->n_phase1 = 1;
	}
	return steer(peer, "test.fail.", "profile") != 0 ? -1 : 0;
}

static const struct oakley_profile_desc profile = {
	.name = "test",
	.description = "test profile",
	.apply = profile_apply,
};

/* ---- Life cycle ---- */

static int
test_configure(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	const struct oakley_conf_stmt *s;
	const char *key;
	bool flag;

	for (s = h->conf_first(h, b); s != NULL; s = h->conf_next(h, s)) {
		key = h->conf_key(h, s);
		if (strcmp(key, "idle") == 0) {
			if (h->conf_seconds(h, s, 0, 5, 60, &idle_timeout) != 0)
				return -1;
		} else if (strcmp(key, "trace") == 0) {
			if (h->conf_bool(h, s, 0, &flag) != 0)
				return -1;
		} else if (strcmp(key, "fail-init") == 0) {
			return -1;
		} else {
			h->conf_error(h, s, "unknown option '%s'", key);
			return -1;
		}
	}
	return 0;
}

static int
test_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	host = h;
	engine = h->engine;
	idle_timeout = 30;
	if (test_configure(h, b) != 0)
		return -1;
	if (h->register_hooks(h, &hooks) != 0 ||
	    h->register_dh_group(h, &dh_group) != 0 ||
	    h->register_vendor_id(h, &vid_exact) != 0 ||
	    h->register_vendor_id(h, &vid_prefix) != 0 ||
	    h->register_payload(h, &payload) != 0 ||
	    h->register_port(h, &port) != 0 ||
	    h->register_profile(h, &profile) != 0)
		return -1;
	h->log(h, OAKLEY_LOG_INFO, "init");
	return 0;
}

static void
test_fini(const struct oakley_host *h)
{
	h->log(h, OAKLEY_LOG_INFO, "fini");
	timer = NULL;
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "test_plugin",
	.version = "1.0",
	.description = "exercises every hook of the plugin ABI",
	.init = test_init,
	.fini = test_fini,
};
