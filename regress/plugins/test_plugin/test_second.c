/*
 * test_second: a second plugin for the plugin host's tests, loaded after
 * test_plugin to show load order and how results combine.  It hooks a
 * few points, records "second:HOOK" in the peer's "test.trace" flag and
 * is steered by "second.verdict.HOOK", "second.fail.HOOK" and
 * "second.next_ms".  It also recognises test_plugin's exact vendor ID.
 */
#include <stdio.h>
#include <string.h>

#include "oakley/plugin.h"

static const struct oakley_host *host;
static const struct oakley_engine *engine;

static void
trace(struct oakley_peer *peer, const char *hook)
{
	struct oakley_flags *f = engine->peer_flags(peer);
	const char *old = host->flag_get_str(host, f, "test.trace");
	char buf[1024];

	if (old == NULL)
		snprintf(buf, sizeof(buf), "second:%s", hook);
	else
		snprintf(buf, sizeof(buf), "%s,second:%s", old, hook);
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

static int
edit(struct oakley_peer *peer, const char *hook)
{
	trace(peer, hook);
	return steer(peer, "second.fail.", hook) != 0 ? -1 : 0;
}

static void
s_p1_started(const struct oakley_host *h, struct oakley_phase1 *p1)
{
	(void)h;
	trace(engine->phase1_peer(p1), "p1_started");
}

static enum oakley_p1_replace
s_p1_replace(const struct oakley_host *h, struct oakley_phase1 *new_p1,
    struct oakley_phase1 *old_p1)
{
	struct oakley_peer *peer = engine->phase1_peer(new_p1);

	(void)h;
	(void)old_p1;
	trace(peer, "p1_replace");
	return (enum oakley_p1_replace)steer(peer, "second.verdict.",
	    "p1_replace");
}

static enum oakley_retransmit
s_retransmit(const struct oakley_host *h, struct oakley_phase1 *p1,
    struct oakley_phase2 *p2, unsigned sent, uint32_t *next_ms)
{
	struct oakley_peer *peer = engine->phase1_peer(p1);

	(void)h;
	(void)p2;
	(void)sent;
	trace(peer, "retransmit");
	*next_ms = (uint32_t)steer(peer, "second.", "next_ms");
	return (enum oakley_retransmit)steer(peer, "second.verdict.",
	    "retransmit");
}

static int
s_msg_build(const struct oakley_host *h, struct oakley_msg *m)
{
	(void)h;
	return edit(engine->phase1_peer(engine->msg_phase1(m)), "msg_build");
}

static int
s_p2_encap(const struct oakley_host *h, struct oakley_phase2 *p2,
    bool inbound, uint16_t *attr)
{
	char what[32];

	(void)h;
	snprintf(what, sizeof(what), "p2_encap:%u", (unsigned)*attr);
	(void)inbound;
	return edit(engine->phase1_peer(engine->phase2_phase1(p2)), what);
}

static int
s_sa_install(const struct oakley_host *h, struct oakley_sa *sa)
{
	if (edit(h->sa_peer(h, sa), "sa_install") != 0)
		return -1;
	return 0;
}

static enum oakley_sa_expire
s_sa_expired(const struct oakley_host *h, struct oakley_sa *sa, bool hard)
{
	struct oakley_peer *peer = h->sa_peer(h, sa);

	(void)hard;
	trace(peer, "sa_expired");
	return (enum oakley_sa_expire)steer(peer, "second.verdict.",
	    "sa_expired");
}

static enum oakley_sa_idle
s_sa_idle(const struct oakley_host *h, struct oakley_sa *sa, uint32_t idle)
{
	struct oakley_peer *peer = h->sa_peer(h, sa);

	(void)idle;
	trace(peer, "sa_idle");
	return (enum oakley_sa_idle)steer(peer, "second.verdict.", "sa_idle");
}

static enum oakley_bypass
s_bypass_expired(const struct oakley_host *h, struct oakley_peer *peer,
    unsigned dir, uint32_t idle)
{
	(void)h;
	(void)dir;
	(void)idle;
	trace(peer, "bypass_expired");
	return (enum oakley_bypass)steer(peer, "second.verdict.",
	    "bypass_expired");
}

static const struct oakley_hooks hooks = {
	.p1_started = s_p1_started,
	.p1_replace = s_p1_replace,
	.retransmit = s_retransmit,
	.msg_build = s_msg_build,
	.p2_encap = s_p2_encap,
	.sa_install = s_sa_install,
	.sa_expired = s_sa_expired,
	.sa_idle = s_sa_idle,
	.bypass_expired = s_bypass_expired,
};

static const struct oakley_vendor_id vid = {
	.name = "second-exact",
	.bytes = (const uint8_t *)"oakleyd-test-vid",
	.len = 16,
	.flags = OAKLEY_VID_RECOGNISE,
	.peer_flag = "second.vid_seen",
};

static int
second_init(const struct oakley_host *h, const struct oakley_conf_block *b)
{
	if (h->conf_first(h, b) != NULL) {
		h->conf_error(h, h->conf_first(h, b), "takes no options");
		return -1;
	}
	host = h;
	engine = h->engine;
	if (h->register_hooks(h, &hooks) != 0 ||
	    h->register_vendor_id(h, &vid) != 0)
		return -1;
	h->log(h, OAKLEY_LOG_INFO, "init");
	return 0;
}

static void
second_fini(const struct oakley_host *h)
{
	h->log(h, OAKLEY_LOG_INFO, "fini");
}

const struct oakley_plugin oakley_plugin = {
	.abi_version = OAKLEY_PLUGIN_ABI_VERSION,
	.name = "test_second",
	.version = "2.0",
	.description = "a second hook table, to test ordering",
	.init = second_init,
	.fini = second_fini,
};
