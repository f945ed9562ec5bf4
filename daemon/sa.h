/*
 * The phase-2 SA manager: every IPsec SA oakleyd negotiated, its lifetimes
 * and the timers that act on them.
 *
 * The manager never talks PF_KEY itself; it calls an ops table (kernel.c in
 * the daemon, a fake in the tests) to install an SA, delete one and read its
 * current lifetime (SADB_GET).  What it tells the rest of oakleyd goes
 * through a hooks table: soft expiry (rekey), hard expiry, idle.
 *
 * Life of an SA:
 *
 *   sa_larval_add()  records an inbound SA the kernel created with GETSPI,
 *                    on behalf of a negotiation (state LARVAL);
 *   sa_install()     fills it in the kernel (ops->install: UPDATE) and
 *                    starts its lifetime timers (state MATURE);
 *   sa_add()         records and installs an SA in one step (ops->install:
 *                    ADD, e.g. outbound), optionally for a negotiation;
 *   sa_update()      changes an installed SA in place (ops->update: the
 *                    NAT-T ports after the peer's NAT mapping changed);
 *   sa_negotiation_commit()  the negotiation succeeded: its installed SAs
 *                    are kept, its still-larval ones (SPIs of proposals the
 *                    peer did not choose) are deleted;
 *   sa_negotiation_abort()   the negotiation failed: every SA it recorded,
 *                    larval or installed, is deleted from the kernel, so a
 *                    negotiation that fails halfway leaves nothing behind;
 *   soft expiry      state DYING, hooks->rekey;
 *   hard expiry      ops->delete, hooks->expire (not for a larval SA),
 *                    the SA is freed.
 *
 * Soft and hard expiry come both from the manager's own timers and from the
 * kernel's SADB_EXPIRE (sa_kernel_expire); whichever comes first acts, the
 * other is a no-op.  ops->delete is never called twice for an SA; every SA
 * that reached the kernel (GETSPI or a successful install) gets exactly one
 * when it leaves the manager, unless sa_mgr_free without flush keeps it.
 *
 * Lifetimes are in seconds (and kilobytes); the timers run on the clock of
 * the struct timers given to sa_mgr_new, in milliseconds: the soft deadline
 * is installed_ms + soft_seconds * 1000, the hard one likewise.
 *
 * Soft lifetime rule (seconds and kilobytes alike, integer arithmetic):
 *
 *	top    = floor(hard * soft_percent / 100)
 *	bottom = ceil(hard * (soft_percent - jitter_percent) / 100)
 *	soft   = top - (random() % (top - bottom + 1))
 *
 * and at least 1 when hard is non-zero.  One draw per non-zero hard
 * lifetime, seconds first, and none when top == bottom.  With the defaults
 * (80, 10; 80 is KAME's PFKEY_SOFT_LIFETIME_RATE) soft lies in
 * [0.7 hard, 0.8 hard], so the two ends of an SA do not start rekeying at
 * the same moment.  random() is config.random if set, else a splitmix64
 * generator seeded with config.seed (0: a seed from getentropy()).
 *
 * Callbacks: ops must not call back into the manager.  Hooks may: a hook can
 * remove its SA or others, add SAs, start negotiations.  The SA given to
 * hooks->expire is already out of every table and is freed when the hook
 * returns.
 *
 * Functions returning int return 0 or an errno value.
 */
#ifndef OAKLEY_SA_H
#define OAKLEY_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pfkey.h"
#include "timer.h"

enum sa_dir {
	SA_DIR_IN = 0,
	SA_DIR_OUT = 1
};

enum sa_state {
	SA_STATE_LARVAL = 0,	/* GETSPI done, not yet installed */
	SA_STATE_MATURE,	/* installed */
	SA_STATE_DYING,		/* soft lifetime reached, rekey asked */
	SA_STATE_DEAD		/* being removed (inside hooks->expire) */
};

/* Why an SA leaves the manager; given to ops->delete and hooks->expire. */
enum sa_reason {
	SA_REASON_HARD_TIMER = 0,	/* the manager's hard lifetime timer */
	SA_REASON_KERNEL_HARD,		/* SADB_EXPIRE hard from the kernel */
	SA_REASON_ABORT,		/* its negotiation failed */
	SA_REASON_UNUSED,		/* larval SA left over at commit */
	SA_REASON_PEER,			/* sa_remove_peer: INITIAL-CONTACT */
	SA_REASON_REQUEST,		/* sa_remove, e.g. an ISAKMP DELETE */
	SA_REASON_SHUTDOWN		/* sa_mgr_free with flush */
};

struct sa;
struct sa_mgr;
struct sa_idle;

struct sa_ops {
	/* Put the SA in the kernel: UPDATE if sa->getspi, else ADD. */
	int	(*install)(void *arg, const struct sa *, const void *keys);
	/*
	 * Remove it from the kernel.  Also called after a hard EXPIRE from
	 * the kernel (reason SA_REASON_KERNEL_HARD), when the kernel has
	 * normally unlinked it already: ESRCH is then expected.
	 */
	int	(*delete)(void *arg, const struct sa *, enum sa_reason);
	/* SADB_GET: the SA's CURRENT lifetime (bytes, addtime, usetime). */
	int	(*get_current)(void *arg, const struct sa *,
		    struct pfkey_lifetime *current);
	/*
	 * Change an installed SA in place (sa_update): UPDATE of the mature
	 * SA with the changes (NAT-T ports) and its lifetimes, no keys.
	 * NULL: not supported.
	 */
	int	(*update)(void *arg, const struct sa *, const void *changes);
};

struct sa_hooks {
	void	(*rekey)(void *arg, struct sa *);	/* soft expiry */
	void	(*expire)(void *arg, const struct sa *, enum sa_reason);
	void	(*idle)(void *arg, struct sa *, uint64_t idle_seconds);
};

struct sa_config {
	unsigned	soft_percent;	/* 1..100, default 80 */
	unsigned	jitter_percent;	/* 0..soft_percent, default 10 */
	uint64_t	seed;		/* jitter generator; 0: getentropy() */
	uint64_t	(*random)(void *arg);	/* overrides the generator */
	void		*random_arg;
	const struct sa_ops *ops;
	void		*ops_arg;
	const struct sa_hooks *hooks;	/* NULL, or NULL members: none */
	void		*hooks_arg;
};

/* What the caller knows of an SA when it records one. */
struct sa_params {
	enum sa_dir	dir;
	uint8_t		satype;		/* PFKEY_SATYPE_* */
	uint32_t	spi;		/* host order */
	struct pfkey_addr src, dst;
	uint32_t	reqid;		/* 0: none */
	void		*peer;		/* opaque peer handle, NULL: none */
	uint64_t	hard_seconds;	/* 0: no time limit */
	uint64_t	hard_kbytes;	/* 0: no volume limit; at most
					   SA_KBYTES_MAX is kept */
};

/* The largest volume limit whose bytes (PF_KEY's unit) fit 64 bits. */
#define SA_KBYTES_MAX	(UINT64_MAX / 1024)

#define SA_INDEX_COUNT	4

/* Private to sa.c: one hash chain an SA belongs to. */
struct sa_link {
	struct sa	*next;
	struct sa	**pprev;
};

/* Read the public fields; change an SA only through the functions below. */
struct sa {
	struct pfkey_addr src, dst;
	uint32_t	spi;
	uint32_t	reqid;
	uint8_t		satype;
	uint8_t		dir;		/* enum sa_dir */
	uint8_t		state;		/* enum sa_state */
	bool		getspi;		/* from sa_larval_add: kernel has it */
	void		*peer;
	uint64_t	nego_id;	/* 0 when not (any more) negotiating */
	uint64_t	hard_seconds, soft_seconds;	/* 0: none */
	uint64_t	hard_kbytes, soft_kbytes;	/* 0: none */
	uint64_t	installed_ms;	/* timers clock at sa_install */

	/* private */
	struct sa_mgr	*mgr;
	struct sa_link	link[SA_INDEX_COUNT];
	struct timer	lifetime_timer;	/* soft, then hard */
	struct sa_idle	*idle;
};

void	sa_config_defaults(struct sa_config *);
/* config.ops is required; the manager keeps pointers, not copies. */
int	sa_mgr_new(const struct sa_config *, struct timers *,
	    struct sa_mgr **);
/*
 * Frees every SA.  Larval SAs and SAs of unfinished negotiations are
 * deleted from the kernel (SA_REASON_ABORT); the others too when flush is
 * true (SA_REASON_SHUTDOWN).  No hook is called.
 */
void	sa_mgr_free(struct sa_mgr *, bool flush);

/* Recording and installing (nego_id 0 = outside any negotiation). */
int	sa_larval_add(struct sa_mgr *, uint64_t nego_id,
	    const struct sa_params *, struct sa **);
int	sa_set_hard_lifetime(struct sa *, uint64_t seconds, uint64_t kbytes);
int	sa_install(struct sa_mgr *, struct sa *, const void *keys);
int	sa_add(struct sa_mgr *, uint64_t nego_id, const struct sa_params *,
	    const void *keys, struct sa **);
int	sa_negotiation_commit(struct sa_mgr *, uint64_t nego_id);
/*
 * Change an installed (mature or dying) SA in the kernel, keeping its
 * SPI, keys, lifetimes and timers: ops->update.  EINVAL for another
 * state, EOPNOTSUPP without ops->update.
 */
int	sa_update(struct sa_mgr *, struct sa *, const void *changes);
/* Returns the number of SAs deleted. */
size_t	sa_negotiation_abort(struct sa_mgr *, uint64_t nego_id);

/* Removing. */
int	sa_remove(struct sa_mgr *, struct sa *, enum sa_reason);
size_t	sa_remove_peer(struct sa_mgr *, void *peer, enum sa_reason);

/*
 * SADB_EXPIRE from the kernel.  0 if it acted, ENOENT for an SA the
 * manager does not know (already gone), EALREADY for a soft expiry of an
 * SA that is not mature (already dying, or still larval).
 */
int	sa_kernel_expire(struct sa_mgr *, uint8_t satype,
	    const struct pfkey_addr *dst, uint32_t spi, bool hard);

/*
 * Idle check: every idle_seconds the manager reads the SA's byte counter
 * (ops->get_current); when it has not moved since the previous reading,
 * the watch ends and hooks->idle is called.  A new call replaces the
 * previous watch.  Fails if the first reading fails.
 */
int	sa_idle_watch(struct sa_mgr *, struct sa *, uint64_t idle_seconds);
void	sa_idle_unwatch(struct sa_mgr *, struct sa *);

/* Lookups.  Several SAs can share a reqid or a peer: iterate with _next. */
struct sa *sa_lookup_spi(const struct sa_mgr *, uint8_t satype,
	    const struct pfkey_addr *dst, uint32_t spi);
struct sa *sa_first_by_reqid(const struct sa_mgr *, uint32_t reqid);
struct sa *sa_next_by_reqid(const struct sa *);
struct sa *sa_first_by_peer(const struct sa_mgr *, const void *peer);
struct sa *sa_next_by_peer(const struct sa *);
size_t	sa_count(const struct sa_mgr *);

/* Reqids for policies: unique in 1..PFKEY_REQID_MAX, oldest freed reused. */
int	sa_reqid_alloc(struct sa_mgr *, uint32_t *reqid);
int	sa_reqid_free(struct sa_mgr *, uint32_t reqid);

/* Bytes the manager uses: SAs, hash tables, reqid allocator, idle watches. */
size_t	sa_mgr_memory(const struct sa_mgr *);
const char *sa_reason_name(enum sa_reason);
const char *sa_state_name(enum sa_state);

#endif /* OAKLEY_SA_H */
