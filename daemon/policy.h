/*
 * From oakleyd.conf policies to the SPD entries oakleyd owns, and back
 * from an ACQUIRE to the peer it is for.
 *
 * Every "policy" of every peer becomes two kernel policies: an outbound
 * one (local -> remote, tunnel local -> peer) and an inbound one
 * (remote -> local, tunnel peer -> local), both ESP, with the policy's
 * upper-layer protocol, mode and level; a policy with a reqid gets level
 * unique and that reqid.
 */
#ifndef OAKLEY_POLICY_H
#define OAKLEY_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "kernel.h"

struct config;
struct conf_peer;
struct conf_policy;

/*
 * What the configuration parser cannot see alone: a tunnel without a
 * local endpoint, the same selector twice.  0, or -1 with
 * "FILE:LINE:COL: reason" in err.
 */
int	policy_check_config(const struct config *, char *err, size_t errlen);

/* The two kernel entries of one conf_policy. */
void	policy_outbound(const struct conf_policy *, struct kernel_policy *);
void	policy_inbound(const struct conf_policy *, struct kernel_policy *);

/*
 * Every peer's policies, in configuration order, outbound before
 * inbound: *out is allocated (NULL when there are none).  0 or ENOMEM.
 */
int	policy_build(const struct config *, struct kernel_policy **out,
	    size_t *n);

/*
 * Does this ACQUIRE come from one of the peer's outbound policies?
 * Matched by reqid (X_SA2), else by the tunnel endpoints (tunnel mode)
 * or by the selectors (transport mode: the packet's addresses, ports
 * and protocol).
 */
bool	policy_matches_acquire(const struct conf_peer *,
	    const struct pfkey_msg *acquire);
/* Weaker: the ACQUIRE's destination is the peer's address. */
bool	policy_acquire_to_peer(const struct conf_peer *,
	    const struct pfkey_msg *acquire);

#endif /* OAKLEY_POLICY_H */
