/*
 * oakleyd's PF_KEY session: REGISTER, the SPD entries we own, SA
 * installation requests, and dispatch of what the kernel tells us
 * (ACQUIRE, EXPIRE, DELETE, FLUSH, SPD changes).  When the socket fails
 * (pfkeyemud restarted, say) the session reconnects with backoff,
 * registers again, re-installs our policies and hands the SA table from a
 * DUMP to the owner so it can reconcile.
 */
#ifndef OAKLEY_KERNEL_H
#define OAKLEY_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pfkey.h"

struct event_base;
struct kernel;

/* One SPD entry oakleyd owns.  Selectors carry prefixlen and port. */
struct kernel_policy {
	struct pfkey_addr	src, dst;	/* selectors */
	uint8_t			ulproto;	/* PFKEY_ULPROTO_ANY or IPPROTO_* */
	uint8_t			dir;		/* PFKEY_DIR_INBOUND/OUTBOUND */
	uint16_t		ipsec_proto;	/* IPPROTO_ESP or IPPROTO_AH */
	uint8_t			mode;		/* PFKEY_MODE_TRANSPORT/TUNNEL */
	uint8_t			level;		/* PFKEY_LEVEL_* */
	uint32_t		reqid;		/* 0 unless level unique */
	struct pfkey_addr	tunnel_src, tunnel_dst;	/* tunnel only */
};

/* What the kernel tells us; any handler may be NULL. */
struct kernel_handlers {
	void	(*acquire)(void *arg, const struct pfkey_msg *);
	void	(*expire)(void *arg, const struct pfkey_msg *);
	void	(*sa_deleted)(void *arg, const struct pfkey_msg *);
	void	(*flushed)(void *arg, uint8_t satype);
	void	(*spd_changed)(void *arg, const struct pfkey_msg *);
	/* After a reconnect: every SA the kernel holds (a DUMP chain, may be
	 * NULL when empty); the chain is freed by the session afterwards. */
	void	(*resynced)(void *arg, const struct pfkey_buf *sadb);
};

#define KERNEL_BACKOFF_MIN_MS	50
#define KERNEL_BACKOFF_MAX_MS	1000

/* Open the transport and register for ESP and AH; on failure returns NULL
 * with the reason in err (the caller decides whether that is fatal). */
struct kernel *kernel_open(struct event_base *, const char *spec,
	    const struct kernel_handlers *, void *arg, struct pfkey_error *err);
/* Close; with remove_policies, delete the SPD entries we installed. */
void	kernel_close(struct kernel *, bool remove_policies);
bool	kernel_connected(const struct kernel *);
/* The wire dialect of the transport (to decode a resynced DUMP chain). */
const struct pfkey_dialect *kernel_dialect(const struct kernel *);

/*
 * Make our part of the SPD equal to policies[0..n): entries we own that
 * are not in the set are deleted, the others added or updated.  The set
 * is remembered and re-installed after a reconnect.
 */
int	kernel_set_policies(struct kernel *, const struct kernel_policy *,
	    size_t n, struct pfkey_error *);
size_t	kernel_policy_count(const struct kernel *);

/* One request/reply exchange on the session (GETSPI, UPDATE, ADD, GET,
 * DELETE...): pfkey_request plus dispatch of what arrived meanwhile. */
int	kernel_request(struct kernel *, struct pfkey_msg *req,
	    struct pfkey_msg *reply, struct pfkey_error *);

/* Key manager failure report for an ACQUIRE (header-only, errno set). */
int	kernel_acquire_failed(struct kernel *, uint32_t seq, uint8_t satype,
	    int errnum);

/* Fill an SPDADD/SPDUPDATE/SPDDELETE message for a policy. */
void	kernel_policy_msg(const struct kernel_policy *, uint8_t type,
	    struct pfkey_msg *);
bool	kernel_policy_same_selector(const struct kernel_policy *,
	    const struct kernel_policy *);

#endif /* OAKLEY_KERNEL_H */
