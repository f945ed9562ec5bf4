/*
 * The negotiation entry point: where a request for SAs with a peer (a
 * kernel ACQUIRE, "oakleyctl initiate", a soft expiry) is recorded on the
 * peer for the IKE engine to act on, and where "oakleyctl terminate"
 * undoes it.
 *
 * Until the engine runs exchanges, a request stays on the peer (state
 * negotiating, struct ike_request) and is visible in "oakleyctl show
 * peers"; the engine takes it with ike_pending() and reports the end
 * with ike_finished().
 */
#ifndef OAKLEY_NEGOTIATE_H
#define OAKLEY_NEGOTIATE_H

#include <stdbool.h>
#include <stddef.h>

#include "peer.h"

struct kernel;
struct sa;
struct sa_mgr;

/*
 * Start (or join) a negotiation with peer for this ACQUIRE.  An ACQUIRE
 * from the kernel has pid 0; one with a pid was made by a process (key
 * manager ACQUIRE, see ike_initiate) and counts as an administrative
 * request, not as a kernel ACQUIRE.  0, or EINVAL for a message that is
 * not an ACQUIRE.
 */
int	ike_acquire(struct peer *, const struct pfkey_msg *acquire);
/* "oakleyctl initiate": an ACQUIRE-shaped request through ike_acquire. */
int	ike_initiate(struct peer *);
/* An SA of the peer reached its soft lifetime. */
void	ike_rekey(struct peer *, const struct sa *);

/*
 * The IKE engine registers here (daemon start-up).  request is called for
 * every ACQUIRE, initiate and rekey of a peer, also when it joins one
 * already in progress (the engine decides what is new); terminate before
 * "oakleyctl terminate" deletes the peer's SAs; peer_gone before a peer
 * is freed (reload, shut-down).
 */
struct ike_engine_ops {
	void	(*request)(void *arg, struct peer *,
		    const struct ike_request *);
	void	(*terminate)(void *arg, struct peer *);
	void	(*peer_gone)(void *arg, struct peer *);
};
void	ike_engine_set(const struct ike_engine_ops *, void *arg);
/* peer.c: a peer is about to be freed. */
void	ike_peer_gone(struct peer *);

/* For the engine: the request to act on, or NULL when idle. */
const struct ike_request *ike_pending(const struct peer *);
/* The negotiation ended (either way): the peer is idle again. */
void	ike_finished(struct peer *, bool established);

/*
 * "oakleyctl terminate": forget the request (a kernel ACQUIRE is answered
 * with a failure, so the next packet asks again), delete the peer's SAs
 * (kernel may be NULL); the peer is idle.  Returns the SAs deleted.
 */
size_t	ike_terminate(struct peer *, struct sa_mgr *, struct kernel *);

#endif /* OAKLEY_NEGOTIATE_H */
