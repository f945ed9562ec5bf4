/*
 * Plugin host: the hook dispatchers the engine calls.  Each walks the
 * loaded plugins in load order and combines results as oakley/plugin.h
 * says: notify hooks all run; edit hooks all run until the first -1;
 * verdict hooks stop at the first answer other than *_DEFAULT.  A verdict
 * outside its enum is a plugin bug: it is logged and counts as DEFAULT.
 */
#include "log.h"
#include "plugin_priv.h"

static const struct oakley_hooks no_hooks;

static const struct oakley_hooks *
hooks_of(const struct oakley_host_priv *p)
{
	return p->hooks != NULL ? p->hooks : &no_hooks;
}

static bool
verdict_valid(const struct oakley_host_priv *p, const char *hook,
    unsigned verdict, unsigned max)
{
	if (verdict <= max)
		return true;
	log_warn("plugin %s: %s returned %u, not a verdict; ignored",
	    p->name, hook, verdict);
	return false;
}

/* ---- Phase 1 ---- */

void
plugin_run_p1_started(struct oakley_phase1 *p1)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p1_started != NULL)
			hooks_of(p)->p1_started(&p->host, p1);
}

void
plugin_run_p1_established(struct oakley_phase1 *p1)
{
	struct oakley_host_priv *p;

	plugin_vendor_id_flags_commit(p1);
	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p1_established != NULL)
			hooks_of(p)->p1_established(&p->host, p1);
}

void
plugin_run_p1_failed(struct oakley_phase1 *p1, enum oakley_failure why)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p1_failed != NULL)
			hooks_of(p)->p1_failed(&p->host, p1, why);
}

void
plugin_run_p1_deleted(struct oakley_phase1 *p1)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p1_deleted != NULL)
			hooks_of(p)->p1_deleted(&p->host, p1);
}

enum oakley_p1_replace
plugin_run_p1_replace(struct oakley_phase1 *new_p1,
    struct oakley_phase1 *old_p1)
{
	struct oakley_host_priv *p;
	enum oakley_p1_replace v;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->p1_replace == NULL)
			continue;
		v = hooks_of(p)->p1_replace(&p->host, new_p1, old_p1);
		if (v != OAKLEY_P1_DEFAULT &&
		    verdict_valid(p, "p1_replace", v, OAKLEY_P1_KEEP_BOTH))
			return v;
	}
	return OAKLEY_P1_DEFAULT;
}

/* ---- Phase 2 ---- */

void
plugin_run_p2_started(struct oakley_phase2 *p2)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p2_started != NULL)
			hooks_of(p)->p2_started(&p->host, p2);
}

void
plugin_run_p2_established(struct oakley_phase2 *p2)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p2_established != NULL)
			hooks_of(p)->p2_established(&p->host, p2);
}

void
plugin_run_p2_failed(struct oakley_phase2 *p2, enum oakley_failure why)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p2_failed != NULL)
			hooks_of(p)->p2_failed(&p->host, p2, why);
}

void
plugin_run_p2_deleted(struct oakley_phase2 *p2)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p2_deleted != NULL)
			hooks_of(p)->p2_deleted(&p->host, p2);
}

int
plugin_run_p2_encap(struct oakley_phase2 *p2, bool inbound, uint16_t *attr)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->p2_encap != NULL &&
		    hooks_of(p)->p2_encap(&p->host, p2, inbound, attr) != 0)
			return -1;
	return 0;
}

/* ---- Retransmission ---- */

enum oakley_retransmit
plugin_run_retransmit(struct oakley_phase1 *p1, struct oakley_phase2 *p2,
    unsigned sent, uint32_t *next_ms)
{
	struct oakley_host_priv *p;
	enum oakley_retransmit v;
	uint32_t ms;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->retransmit == NULL)
			continue;
		ms = *next_ms;
		v = hooks_of(p)->retransmit(&p->host, p1, p2, sent, &ms);
		if (v == OAKLEY_RETRANSMIT_DEFAULT ||
		    !verdict_valid(p, "retransmit", v,
		    OAKLEY_RETRANSMIT_NEW_PHASE1))
			continue;
		*next_ms = ms;
		return v;
	}
	return OAKLEY_RETRANSMIT_DEFAULT;
}

/* ---- Messages ---- */

int
plugin_run_msg_build(struct oakley_msg *m)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->msg_build != NULL &&
		    hooks_of(p)->msg_build(&p->host, m) != 0)
			return -1;
	return 0;
}

int
plugin_run_msg_parsed(struct oakley_msg *m)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->msg_parsed != NULL &&
		    hooks_of(p)->msg_parsed(&p->host, m) != 0)
			return -1;
	return 0;
}

/* ---- SAs ---- */

int
plugin_run_sa_install(struct oakley_sa *sa)
{
	struct oakley_host_priv *p;
	int rc = 0;

	sa->writable = true;
	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->sa_install != NULL &&
		    hooks_of(p)->sa_install(&p->host, sa) != 0) {
			rc = -1;
			break;
		}
	}
	sa->writable = false;
	return rc;
}

void
plugin_run_sa_installed(struct oakley_sa *sa)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->sa_installed != NULL)
			hooks_of(p)->sa_installed(&p->host, sa);
}

enum oakley_sa_expire
plugin_run_sa_expired(struct oakley_sa *sa, bool hard)
{
	struct oakley_host_priv *p;
	enum oakley_sa_expire v;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->sa_expired == NULL)
			continue;
		v = hooks_of(p)->sa_expired(&p->host, sa, hard);
		if (v != OAKLEY_EXPIRE_DEFAULT &&
		    verdict_valid(p, "sa_expired", v, OAKLEY_EXPIRE_NO_REKEY))
			return v;
	}
	return OAKLEY_EXPIRE_DEFAULT;
}

enum oakley_sa_idle
plugin_run_sa_idle(struct oakley_sa *sa, uint32_t idle_seconds)
{
	struct oakley_host_priv *p;
	enum oakley_sa_idle v;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->sa_idle == NULL)
			continue;
		v = hooks_of(p)->sa_idle(&p->host, sa, idle_seconds);
		if (v != OAKLEY_IDLE_DEFAULT &&
		    verdict_valid(p, "sa_idle", v, OAKLEY_IDLE_DELETE))
			return v;
	}
	return OAKLEY_IDLE_DEFAULT;
}

void
plugin_run_sa_deleted(struct oakley_sa *sa)
{
	struct oakley_host_priv *p;

	TAILQ_FOREACH(p, &plugin_all, link)
		if (hooks_of(p)->sa_deleted != NULL)
			hooks_of(p)->sa_deleted(&p->host, sa);
}

/* ---- Bypass policies ---- */

enum oakley_bypass
plugin_run_bypass_expired(struct oakley_peer *peer, unsigned dir,
    uint32_t idle_seconds)
{
	struct oakley_host_priv *p;
	enum oakley_bypass v;

	TAILQ_FOREACH(p, &plugin_all, link) {
		if (hooks_of(p)->bypass_expired == NULL)
			continue;
		v = hooks_of(p)->bypass_expired(&p->host, peer, dir,
		    idle_seconds);
		if (v != OAKLEY_BYPASS_DEFAULT &&
		    verdict_valid(p, "bypass_expired", v,
		    OAKLEY_BYPASS_REMOVE))
			return v;
	}
	return OAKLEY_BYPASS_DEFAULT;
}
