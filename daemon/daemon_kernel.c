/*
 * oakleyd and the kernel: the PF_KEY session's handlers (ACQUIRE to the
 * negotiation entry point, EXPIRE/DELETE/FLUSH to the SA manager, the SA
 * table reconciled after a reconnect) and the SA manager's ops table and
 * hooks.
 *
 * The "keys" argument of sa_install() and sa_add() is, in oakleyd, a
 * const struct pfkey_msg * carrying what the negotiation decided: the SA
 * extension's algorithms, replay window and flags, the key extensions,
 * and any NAT-T extensions.  The install op copies it and fills in the
 * type (UPDATE after GETSPI, else ADD), SA type, SPI, addresses, reqid
 * and the lifetimes the SA manager computed.  The update op (sa_update)
 * takes the same kind of message with the NAT-T extensions to change.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"
#include "kernel.h"
#include "ike/ike.h"
#include "log.h"
#include "negotiate.h"
#include "plugin.h"
#include "policy.h"
#include "sa.h"

/* ---- The SA manager's ops ---- */

static void
sa_msg_addresses(struct pfkey_msg *m, const struct sa *sa)
{
	m->sa.spi = sa->spi;
	PFKEY_SET(m, PFKEY_EXT_SA);
	m->addr_src = sa->src;
	m->addr_dst = sa->dst;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
}

static void
sa_msg_lifetimes(struct pfkey_msg *m, const struct sa *sa)
{
	if (sa->hard_seconds == 0 && sa->hard_kbytes == 0)
		return;
	m->life_hard.addtime = sa->hard_seconds;
	m->life_hard.bytes = sa->hard_kbytes * 1024;
	m->life_soft.addtime = sa->soft_seconds;
	m->life_soft.bytes = sa->soft_kbytes * 1024;
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_HARD);
	PFKEY_SET(m, PFKEY_EXT_LIFETIME_SOFT);
}

static int
dk_request(struct daemon *d, struct pfkey_msg *req, struct pfkey_msg *reply,
    const struct sa *sa, bool quiet_esrch)
{
	struct pfkey_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	if (d->kernel == NULL)
		return ENOTCONN;
	rc = kernel_request(d->kernel, req, reply, &err);
	if (rc != 0 && !(quiet_esrch && rc == ESRCH))
		log_warn("PF_KEY: %s of SA spi 0x%08x: %s",
		    pfkey_msg_type_name(req->type), sa->spi,
		    err.reason[0] != '\0' ? err.reason : strerror(rc));
	return rc;
}

static int
dk_install(void *arg, const struct sa *sa, const void *keys)
{
	struct pfkey_msg req, reply;
	int rc;

	if (keys == NULL)
		return EINVAL;
	req = *(const struct pfkey_msg *)keys;
	req.version = PFKEY_VERSION;
	req.type = sa->getspi ? PFKEY_UPDATE : PFKEY_ADD;
	req.satype = sa->satype;
	req.errnum = 0;
	req.seq = 0;
	req.pid = 0;
	sa_msg_addresses(&req, sa);
	req.sa.state = PFKEY_SASTATE_MATURE;
	if (sa->reqid != 0) {
		req.sa2.reqid = sa->reqid;
		PFKEY_SET(&req, PFKEY_EXT_X_SA2);
	}
	sa_msg_lifetimes(&req, sa);
	rc = dk_request(arg, &req, &reply, sa, false);
	pfkey_msg_clear(&req);
	pfkey_msg_clear(&reply);
	return rc;
}

static int
dk_delete(void *arg, const struct sa *sa, enum sa_reason reason)
{
	struct pfkey_msg req, reply;
	struct oakley_sa osa;
	int rc;

	pfkey_msg_init(&req, PFKEY_DELETE, sa->satype, 0, 0);
	sa_msg_addresses(&req, sa);
	if (sa->state != SA_STATE_LARVAL) {
		plugin_sa_init(&osa, &req, sa->peer, NULL,
		    sa->dir == SA_DIR_IN);
		plugin_run_sa_deleted(&osa);
	}
	rc = dk_request(arg, &req, &reply, sa,
	    reason == SA_REASON_KERNEL_HARD);
	pfkey_msg_clear(&reply);
	return rc;
}

static int
dk_get_current(void *arg, const struct sa *sa, struct pfkey_lifetime *cur)
{
	struct pfkey_msg req, reply;
	int rc;

	pfkey_msg_init(&req, PFKEY_GET, sa->satype, 0, 0);
	sa_msg_addresses(&req, sa);
	rc = dk_request(arg, &req, &reply, sa, false);
	if (rc == 0 && PFKEY_HAS(&reply, PFKEY_EXT_LIFETIME_CURRENT))
		*cur = reply.life_current;
	else if (rc == 0)
		rc = EINVAL;
	pfkey_msg_clear(&reply);
	return rc;
}

/*
 * UPDATE of a mature SA, as FreeBSD's key_update allows it: no keys (the
 * kernel refuses them), the lifetimes again (without them it would drop
 * the SA's; they count from the SA's creation, which the update keeps),
 * and the changes: the NAT-T extensions (all three of type, source and
 * destination port are required then).
 */
static int
dk_update(void *arg, const struct sa *sa, const void *changes)
{
	struct pfkey_msg req, reply;
	int rc;

	if (changes == NULL)
		return EINVAL;
	req = *(const struct pfkey_msg *)changes;
	req.version = PFKEY_VERSION;
	req.type = PFKEY_UPDATE;
	req.satype = sa->satype;
	req.errnum = 0;
	req.seq = 0;
	req.pid = 0;
	req.present &= ~((1u << PFKEY_EXT_KEY_AUTH) |
	    (1u << PFKEY_EXT_KEY_ENCRYPT) | (1u << PFKEY_EXT_LIFETIME_HARD) |
	    (1u << PFKEY_EXT_LIFETIME_SOFT));
	explicit_bzero(&req.key_auth, sizeof(req.key_auth));
	explicit_bzero(&req.key_encrypt, sizeof(req.key_encrypt));
	sa_msg_addresses(&req, sa);
	req.sa.state = PFKEY_SASTATE_MATURE;
	if (sa->reqid != 0) {
		req.sa2.reqid = sa->reqid;
		PFKEY_SET(&req, PFKEY_EXT_X_SA2);
	}
	sa_msg_lifetimes(&req, sa);
	rc = dk_request(arg, &req, &reply, sa, false);
	pfkey_msg_clear(&req);
	pfkey_msg_clear(&reply);
	return rc;
}

static const struct sa_ops dk_sa_ops = {
	.install = dk_install,
	.delete = dk_delete,
	.get_current = dk_get_current,
	.update = dk_update,
};

/* ---- The SA manager's hooks ---- */

static void
dk_rekey(void *arg, struct sa *sa)
{
	struct pfkey_msg m;
	struct oakley_sa osa;

	(void)arg;
	if (sa->peer == NULL)
		return;
	pfkey_msg_init(&m, PFKEY_EXPIRE, sa->satype, 0, 0);
	sa_msg_addresses(&m, sa);
	plugin_sa_init(&osa, &m, sa->peer, NULL, sa->dir == SA_DIR_IN);
	if (plugin_run_sa_expired(&osa, false) == OAKLEY_EXPIRE_NO_REKEY) {
		log_info("SA spi 0x%08x soft expired: a plugin says no rekey",
		    sa->spi);
		return;
	}
	ike_rekey(sa->peer, sa);
}

static void
dk_expired(void *arg, const struct sa *sa, enum sa_reason reason)
{
	struct daemon *d = arg;
	const struct peer *p = sa->peer;

	if (d->ike != NULL)
		ike_sa_expired(d->ike, sa, reason);
	log_info("SA spi 0x%08x%s%s expired (%s)", sa->spi,
	    p != NULL ? " of peer " : "", p != NULL ? p->conf->name : "",
	    sa_reason_name(reason));
}

static void
dk_idle(void *arg, struct sa *sa, uint64_t seconds)
{
	struct daemon *d = arg;

	log_info("SA spi 0x%08x idle for %llu s: deleted", sa->spi,
	    (unsigned long long)seconds);
	sa_remove(d->sa, sa, SA_REASON_REQUEST);
}

static const struct sa_hooks dk_sa_hooks = {
	.rekey = dk_rekey,
	.expire = dk_expired,
	.idle = dk_idle,
};

int
daemon_sa_start(struct daemon *d)
{
	struct sa_config sc;

	sa_config_defaults(&sc);
	sc.ops = &dk_sa_ops;
	sc.ops_arg = d;
	sc.hooks = &dk_sa_hooks;
	sc.hooks_arg = d;
	return sa_mgr_new(&sc, d->timers, &d->sa);
}

/* ---- Every SA of every peer, for FLUSH and resync ---- */

static size_t
sa_collect(struct daemon *d, struct sa ***out)
{
	struct peer *p;
	struct sa *sa, **v;
	size_t n = 0, total = d->sa != NULL ? sa_count(d->sa) : 0;

	*out = NULL;
	if (total == 0 || (v = calloc(total, sizeof(*v))) == NULL)
		return 0;
	TAILQ_FOREACH(p, &d->peers, link)
		for (sa = sa_first_by_peer(d->sa, p); sa != NULL && n < total;
		    sa = sa_next_by_peer(sa))
			v[n++] = sa;
	*out = v;
	return n;
}

/* ---- PF_KEY handlers ---- */

struct peer *
daemon_peer_for_acquire(struct daemon *d, const struct pfkey_msg *m)
{
	struct peer *p;

	TAILQ_FOREACH(p, &d->peers, link)
		if (policy_matches_acquire(p->conf, m))
			return p;
	TAILQ_FOREACH(p, &d->peers, link)
		if (policy_acquire_to_peer(p->conf, m))
			return p;
	return NULL;
}

static void
dk_acquire(void *arg, const struct pfkey_msg *m)
{
	struct daemon *d = arg;
	struct peer *p;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if ((p = daemon_peer_for_acquire(d, m)) != NULL) {
		ike_acquire(p, m);
		return;
	}
	pfkey_addr_ntop(&m->addr_src, src, sizeof(src));
	pfkey_addr_ntop(&m->addr_dst, dst, sizeof(dst));
	log_warn("ACQUIRE seq=%u for %s->%s: no peer for it; refused",
	    m->seq, src, dst);
	kernel_acquire_failed(d->kernel, m->seq, m->satype, ENOENT);
}

static void
dk_expire(void *arg, const struct pfkey_msg *m)
{
	struct daemon *d = arg;
	bool hard = PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD);
	int rc;

	rc = sa_kernel_expire(d->sa, m->satype, &m->addr_dst, m->sa.spi, hard);
	log_debug("PF_KEY: %s EXPIRE of SA spi 0x%08x: %s",
	    hard ? "hard" : "soft", m->sa.spi,
	    rc == 0 ? "handled" : strerror(rc));
}

static void
dk_sa_deleted(void *arg, const struct pfkey_msg *m)
{
	struct daemon *d = arg;
	struct sa *sa;

	sa = sa_lookup_spi(d->sa, m->satype, &m->addr_dst, m->sa.spi);
	if (sa == NULL)
		return;
	log_info("SA spi 0x%08x deleted by pid %u", m->sa.spi, m->pid);
	sa_remove(d->sa, sa, SA_REASON_KERNEL_HARD);
}

static void
dk_flushed(void *arg, uint8_t satype)
{
	struct daemon *d = arg;
	struct sa **v;
	size_t i, n, removed = 0;

	n = sa_collect(d, &v);
	for (i = 0; i < n; i++) {
		if (satype != PFKEY_SATYPE_UNSPEC && v[i]->satype != satype)
			continue;
		sa_remove(d->sa, v[i], SA_REASON_KERNEL_HARD);
		removed++;
	}
	free(v);
	log_info("PF_KEY: SADB flushed (%s): %zu SAs forgotten",
	    satype == PFKEY_SATYPE_UNSPEC ? "all" : pfkey_satype_name(satype),
	    removed);
}

static void
dk_spd_changed(void *arg, const struct pfkey_msg *m)
{
	(void)arg;
	log_info("PF_KEY: SPD changed by pid %u (%s)", m->pid,
	    pfkey_msg_type_name(m->type));
}

/* Is (satype, dst, spi) among the DUMP's SAs? */
static bool
dump_has(const struct pfkey_msg *dump, size_t n, const struct sa *sa)
{
	size_t i, len = sa->dst.family == AF_INET6 ? 16 : 4;

	for (i = 0; i < n; i++)
		if (dump[i].satype == sa->satype && dump[i].sa.spi == sa->spi &&
		    dump[i].addr_dst.family == sa->dst.family &&
		    memcmp(dump[i].addr_dst.addr, sa->dst.addr, len) == 0)
			return true;
	return false;
}

/* Decode the DUMP chain: only the keys are kept. */
static size_t
dump_decode(struct daemon *d, const struct pfkey_buf *chain,
    struct pfkey_msg **out)
{
	const struct pfkey_buf *b;
	struct pfkey_msg *v, m;
	struct pfkey_error err;
	size_t n = 0, len = pfkey_chain_length(chain);

	*out = NULL;
	if (len == 0 || (v = calloc(len, sizeof(*v))) == NULL)
		return 0;
	for (b = chain; b != NULL; b = b->next) {
		if (pfkey_msg_decode(b->data, b->len, kernel_dialect(d->kernel),
		    PFKEY_FROM_KERNEL, &m, &err) != 0)
			continue;
		pfkey_msg_init(&v[n], PFKEY_DUMP, m.satype, 0, 0);
		v[n].sa.spi = m.sa.spi;
		v[n].addr_dst = m.addr_dst;
		n++;
		pfkey_msg_clear(&m);
	}
	*out = v;
	return n;
}

static void
dk_resynced(void *arg, const struct pfkey_buf *chain)
{
	struct daemon *d = arg;
	struct pfkey_msg *dump;
	struct sa **v;
	size_t i, n, ndump, lost = 0;

	ndump = dump_decode(d, chain, &dump);
	n = sa_collect(d, &v);
	for (i = 0; i < n; i++) {
		if (dump_has(dump, ndump, v[i]))
			continue;
		log_info("SA spi 0x%08x: lost by the kernel; forgotten",
		    v[i]->spi);
		sa_remove(d->sa, v[i], SA_REASON_KERNEL_HARD);
		lost++;
	}
	free(v);
	free(dump);
	log_info("PF_KEY: resynchronised: %zu SAs in the kernel, %zu of ours "
	    "lost", ndump, lost);
}

static const struct kernel_handlers dk_handlers = {
	.acquire = dk_acquire,
	.expire = dk_expire,
	.sa_deleted = dk_sa_deleted,
	.flushed = dk_flushed,
	.spd_changed = dk_spd_changed,
	.resynced = dk_resynced,
};

int
daemon_kernel_open(struct daemon *d, char *err, size_t errlen)
{
	struct pfkey_error perr;
	const char *spec = d->conf->pfkey;

	memset(&perr, 0, sizeof(perr));
	if (spec == NULL)
		spec = CONF_DEFAULT_PFKEY;
	d->kernel = kernel_open(d->base, spec, &dk_handlers, d, &perr);
	if (d->kernel != NULL)
		return 0;
	snprintf(err, errlen, "PF_KEY %s: %s", spec,
	    perr.reason[0] != '\0' ? perr.reason : strerror(perr.code));
	return -1;
}
