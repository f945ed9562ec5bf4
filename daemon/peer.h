/*
 * The peers oakleyd knows at run time: one struct peer per "peer" block
 * of the current configuration, with what the daemon records about it
 * (negotiation state, the last ACQUIRE, plugin flags).  SAs refer to
 * their peer by this handle, which is also the plugins' struct
 * oakley_peer.
 *
 * A reload keeps the struct peer (and so its SAs and flags) of every peer
 * whose settings did not change (conf_peer_equal); a changed or removed
 * peer loses its SAs and starts anew.
 */
#ifndef OAKLEY_PEER_H
#define OAKLEY_PEER_H

#include <sys/queue.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pfkey.h"

struct config;
struct conf_peer;
struct oakley_flags;
struct ike_peer;
struct sa_mgr;

enum peer_state {
	PEER_IDLE = 0,		/* nothing asked, or terminated */
	PEER_NEGOTIATING	/* a negotiation was asked for */
};

/* What started the latest negotiation (negotiate.c fills it in). */
enum ike_trigger {
	IKE_TRIGGER_NONE = 0,
	IKE_TRIGGER_ACQUIRE,	/* an SADB_ACQUIRE from the kernel */
	IKE_TRIGGER_INITIATE,	/* "oakleyctl initiate" */
	IKE_TRIGGER_REKEY	/* an SA's soft lifetime */
};

/* The request the IKE engine is to act on. */
struct ike_request {
	enum ike_trigger trigger;
	uint32_t	seq;		/* the ACQUIRE's sadb_msg_seq, else 0 */
	uint8_t		satype;		/* PFKEY_SATYPE_* */
	uint32_t	reqid;		/* from X_SA2, 0 if none */
	struct pfkey_addr src, dst;	/* the SA's endpoints */
	time_t		when;		/* wall clock */
	uint32_t	spi;		/* rekey: the SA that soft expired */
};

struct peer {
	TAILQ_ENTRY(peer) link;
	const struct conf_peer *conf;	/* in the daemon's current config */
	enum peer_state	state;
	struct ike_request request;	/* valid while negotiating */
	uint64_t	acquires;	/* kernel ACQUIREs for this peer */
	uint32_t	last_acquire_seq;	/* 0: none yet */
	time_t		last_acquire_time;
	unsigned	phase1_count;	/* established ISAKMP SAs (engine) */
	struct oakley_flags *flags;	/* plugin flags */
	struct ike_peer	*ike;		/* the IKE engine's state, or NULL */
};

TAILQ_HEAD(peer_list, peer);

const char *peer_state_name(enum peer_state);
const char *ike_trigger_name(enum ike_trigger);

struct peer *peer_find(const struct peer_list *, const char *name);
/* The phase-2 SAs the SA manager holds for this peer. */
size_t	peer_sa_count(const struct peer *, const struct sa_mgr *);

/*
 * Make the list follow cfg: unchanged peers keep their object (pointing
 * at cfg's conf_peer now), changed and removed ones have their SAs
 * deleted and are freed, new ones are created idle, all in cfg's order.
 * On ENOMEM nothing changed.  0 or ENOMEM.
 */
int	peers_sync(struct peer_list *, const struct config *cfg,
	    struct sa_mgr *);
/* Free every peer; their SAs are the SA manager's business. */
void	peers_free(struct peer_list *);

#endif /* OAKLEY_PEER_H */
