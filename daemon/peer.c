/*
 * Run-time peers (see peer.h): creation, lookup and the reload merge.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "log.h"
#include "negotiate.h"
#include "peer.h"
#include "plugin.h"
#include "sa.h"

const char *
peer_state_name(enum peer_state state)
{
	switch (state) {
	case PEER_IDLE:
		return "idle";
	case PEER_NEGOTIATING:
		return "negotiating";
	}
	return "unknown";
}

const char *
ike_trigger_name(enum ike_trigger trigger)
{
	switch (trigger) {
	case IKE_TRIGGER_NONE:
		return "none";
	case IKE_TRIGGER_ACQUIRE:
		return "acquire";
	case IKE_TRIGGER_INITIATE:
		return "initiate";
	case IKE_TRIGGER_REKEY:
		return "rekey";
	}
	return "unknown";
}

static struct peer *
peer_new(const struct conf_peer *conf)
{
	struct peer *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->flags = plugin_flags_new()) == NULL) {
		free(p);
		return NULL;
	}
	p->conf = conf;
	p->state = PEER_IDLE;
	return p;
}

static void
peer_free(struct peer *p)
{
	ike_peer_gone(p);
	plugin_flags_free(p->flags);
	free(p);
}

struct peer *
peer_find(const struct peer_list *list, const char *name)
{
	struct peer *p;

	TAILQ_FOREACH(p, list, link)
		if (strcmp(p->conf->name, name) == 0)
			return p;
	return NULL;
}

size_t
peer_sa_count(const struct peer *p, const struct sa_mgr *mgr)
{
	const struct sa *sa;
	size_t n = 0;

	if (mgr == NULL)
		return 0;
	for (sa = sa_first_by_peer(mgr, p); sa != NULL;
	    sa = sa_next_by_peer(sa))
		n++;
	return n;
}

/* The old peer that cfg's peer continues, or NULL. */
static struct peer *
peer_kept(const struct peer_list *old, const struct conf_peer *cp)
{
	struct peer *p = peer_find(old, cp->name);

	if (p != NULL && conf_peer_equal(p->conf, cp))
		return p;
	return NULL;
}

/* Drop an old peer that has no place in the new list. */
static void
peer_retire(struct peer *p, bool changed, struct sa_mgr *mgr)
{
	size_t n = 0;

	if (mgr != NULL)
		n = sa_remove_peer(mgr, p, SA_REASON_PEER);
	log_info("peer %s %s; %zu SAs deleted", p->conf->name,
	    changed ? "changed" : "removed", n);
	peer_free(p);
}

int
peers_sync(struct peer_list *list, const struct config *cfg,
    struct sa_mgr *mgr)
{
	struct peer_list fresh = TAILQ_HEAD_INITIALIZER(fresh);
	struct peer_list kept = TAILQ_HEAD_INITIALIZER(kept);
	struct peer *p;
	size_t i;

	/* Allocate first: on failure the old list is untouched. */
	for (i = 0; i < cfg->npeers; i++) {
		if (peer_kept(list, &cfg->peers[i]) != NULL)
			continue;
		if ((p = peer_new(&cfg->peers[i])) == NULL) {
			peers_free(&fresh);
			return ENOMEM;
		}
		TAILQ_INSERT_TAIL(&fresh, p, link);
	}
	for (i = 0; i < cfg->npeers; i++) {
		if ((p = peer_kept(list, &cfg->peers[i])) != NULL) {
			TAILQ_REMOVE(list, p, link);
			p->conf = &cfg->peers[i];
		} else {
			p = TAILQ_FIRST(&fresh);
			TAILQ_REMOVE(&fresh, p, link);
		}
		TAILQ_INSERT_TAIL(&kept, p, link);
	}
	while ((p = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, p, link);
		peer_retire(p, conf_peer_by_name(cfg, p->conf->name) != NULL,
		    mgr);
	}
	TAILQ_CONCAT(list, &kept, link);
	return 0;
}

void
peers_free(struct peer_list *list)
{
	struct peer *p;

	while ((p = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, p, link);
		peer_free(p);
	}
}
