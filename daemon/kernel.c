/*
 * oakleyd's PF_KEY session (see kernel.h): registration, our SPD entries,
 * request/reply exchanges, dispatch of kernel messages, and reconnection
 * with backoff when the socket fails.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "kernel.h"
#include "log.h"

struct kernel {
	struct event_base		*base;
	char				*spec;
	struct pfkey_session		*session;
	struct event			*read_ev;	/* socket readable */
	struct event			*drain_ev;	/* queued messages */
	struct event			*retry_ev;	/* reconnect timer */
	int				 backoff_ms;
	const struct kernel_handlers	*handlers;
	void				*arg;
	struct kernel_policy		*policies;
	size_t				 npolicies;
};

static void	kernel_read_cb(evutil_socket_t, short, void *);
static void	kernel_retry_cb(evutil_socket_t, short, void *);
static void	kernel_disconnect(struct kernel *, const char *why);

static int
kernel_register(struct kernel *k, uint8_t satype, struct pfkey_error *err)
{
	struct pfkey_msg req, reply;
	int rc;

	pfkey_msg_init(&req, PFKEY_REGISTER, satype, 0, 0);
	rc = pfkey_request(k->session, &req, &reply, PFKEY_TIMEOUT_MS, err);
	pfkey_msg_clear(&reply);
	if (rc == EEXIST)
		rc = 0;		/* already registered on this socket */
	return rc;
}

static int
kernel_connect(struct kernel *k, struct pfkey_error *err)
{
	k->session = pfkey_open(k->spec, err);
	if (k->session == NULL)
		return err->code != 0 ? err->code : EIO;
	if (kernel_register(k, PFKEY_SATYPE_ESP, err) != 0 ||
	    kernel_register(k, PFKEY_SATYPE_AH, err) != 0) {
		pfkey_close(k->session);
		k->session = NULL;
		return err->code != 0 ? err->code : EIO;
	}
	k->read_ev = event_new(k->base, pfkey_fd(k->session),
	    EV_READ | EV_PERSIST, kernel_read_cb, k);
	if (k->read_ev == NULL || event_add(k->read_ev, NULL) != 0) {
		kernel_disconnect(k, "cannot watch the PF_KEY socket");
		err->code = ENOMEM;
		snprintf(err->reason, sizeof(err->reason),
		    "cannot watch the PF_KEY socket");
		return ENOMEM;
	}
	k->backoff_ms = KERNEL_BACKOFF_MIN_MS;
	return 0;
}

struct kernel *
kernel_open(struct event_base *base, const char *spec,
    const struct kernel_handlers *handlers, void *arg, struct pfkey_error *err)
{
	struct kernel *k;

	k = calloc(1, sizeof(*k));
	if (k == NULL || (k->spec = strdup(spec)) == NULL) {
		free(k);
		err->code = ENOMEM;
		snprintf(err->reason, sizeof(err->reason), "out of memory");
		return NULL;
	}
	k->base = base;
	k->handlers = handlers;
	k->arg = arg;
	k->drain_ev = event_new(base, -1, 0, kernel_read_cb, k);
	k->retry_ev = evtimer_new(base, kernel_retry_cb, k);
	if (k->drain_ev == NULL || k->retry_ev == NULL ||
	    kernel_connect(k, err) != 0) {
		kernel_close(k, false);
		return NULL;
	}
	log_info("PF_KEY: connected to %s, registered for esp and ah", spec);
	return k;
}

static void
kernel_delete_policies(struct kernel *k)
{
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	size_t i;

	for (i = 0; i < k->npolicies; i++) {
		kernel_policy_msg(&k->policies[i], PFKEY_X_SPDDELETE, &req);
		if (pfkey_request(k->session, &req, &reply, PFKEY_TIMEOUT_MS,
		    &err) != 0 && err.code != ESRCH)
			log_warn("PF_KEY: removing policy: %s", err.reason);
		pfkey_msg_clear(&reply);
	}
}

void
kernel_close(struct kernel *k, bool remove_policies)
{
	if (k == NULL)
		return;
	if (remove_policies && k->session != NULL)
		kernel_delete_policies(k);
	if (k->read_ev != NULL)
		event_free(k->read_ev);
	if (k->drain_ev != NULL)
		event_free(k->drain_ev);
	if (k->retry_ev != NULL)
		event_free(k->retry_ev);
	if (k->session != NULL)
		pfkey_close(k->session);
	free(k->policies);
	free(k->spec);
	free(k);
}

bool
kernel_connected(const struct kernel *k)
{
	return k->session != NULL;
}

const struct pfkey_dialect *
kernel_dialect(const struct kernel *k)
{
	if (k->session != NULL)
		return pfkey_session_dialect(k->session);
	if (strncmp(k->spec, "unix:", 5) == 0)
		return &pfkey_dialect_freebsd;
	return pfkey_dialect_native();
}

static void
kernel_schedule_retry(struct kernel *k)
{
	struct timeval tv;

	tv.tv_sec = k->backoff_ms / 1000;
	tv.tv_usec = (k->backoff_ms % 1000) * 1000;
	evtimer_add(k->retry_ev, &tv);
	k->backoff_ms *= 2;
	if (k->backoff_ms > KERNEL_BACKOFF_MAX_MS)
		k->backoff_ms = KERNEL_BACKOFF_MAX_MS;
}

static void
kernel_disconnect(struct kernel *k, const char *why)
{
	log_warn("PF_KEY: %s: %s; reconnecting", k->spec, why);
	if (k->read_ev != NULL) {
		event_free(k->read_ev);
		k->read_ev = NULL;
	}
	if (k->session != NULL)
		pfkey_close(k->session);
	k->session = NULL;
	kernel_schedule_retry(k);
}

static bool
kernel_transport_error(int rc)
{
	return rc == EPIPE || rc == ECONNRESET || rc == ENOTCONN;
}

/*
 * Install every policy of the set: one the kernel refuses is logged and
 * does not keep the others out.  Returns the first error; a transport
 * error ends the attempt and drops the session (the retry re-installs).
 */
static int
kernel_install_policies(struct kernel *k, struct pfkey_error *err)
{
	struct pfkey_msg req, reply;
	struct pfkey_error this_err;
	size_t i;
	int rc, first = 0;

	for (i = 0; i < k->npolicies && k->session != NULL; i++) {
		kernel_policy_msg(&k->policies[i], PFKEY_X_SPDUPDATE, &req);
		rc = pfkey_request(k->session, &req, &reply, PFKEY_TIMEOUT_MS,
		    &this_err);
		pfkey_msg_clear(&reply);
		if (rc == 0)
			continue;
		if (first == 0) {
			first = rc;
			*err = this_err;
		}
		if (kernel_transport_error(rc)) {
			kernel_disconnect(k, this_err.reason);
			break;
		}
		log_warn("PF_KEY: installing policy %zu of %zu: %s", i + 1,
		    k->npolicies, this_err.reason);
	}
	return first;
}

static void
kernel_resync(struct kernel *k)
{
	struct pfkey_buf *chain = NULL;
	struct pfkey_error err;

	if (pfkey_dump(k->session, PFKEY_DUMP, PFKEY_SATYPE_UNSPEC, &chain,
	    PFKEY_TIMEOUT_MS, &err) != 0) {
		if (kernel_transport_error(err.code))
			kernel_disconnect(k, err.reason);
		else
			log_warn("PF_KEY: SA dump after reconnect: %s",
			    err.reason);
		return;
	}
	if (k->handlers->resynced != NULL)
		k->handlers->resynced(k->arg, chain);
	pfkey_chain_free(chain);
}

static void
kernel_retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct kernel *k = arg;
	struct pfkey_error err;

	(void)fd;
	(void)what;
	if (kernel_connect(k, &err) != 0) {
		log_debug("PF_KEY: reconnect to %s: %s", k->spec, err.reason);
		kernel_schedule_retry(k);
		return;
	}
	(void)kernel_install_policies(k, &err);	/* each failure logged */
	if (k->session == NULL)
		return;		/* lost again; a retry is scheduled */
	kernel_resync(k);
	if (k->session == NULL)
		return;
	log_notice("PF_KEY: reconnected to %s, %zu policies re-installed",
	    k->spec, k->npolicies);
	if (pfkey_queued_count(k->session) > 0)
		event_active(k->drain_ev, 0, 0);
}

static void
kernel_dispatch(struct kernel *k, const struct pfkey_msg *m)
{
	const struct kernel_handlers *h = k->handlers;
	bool ours = m->pid == pfkey_session_pid(k->session);

	switch (m->type) {
	case PFKEY_ACQUIRE:
		if (m->errnum == 0 && h->acquire != NULL)
			h->acquire(k->arg, m);
		break;
	case PFKEY_EXPIRE:
		if (h->expire != NULL)
			h->expire(k->arg, m);
		break;
	case PFKEY_DELETE:
		if (!ours && m->errnum == 0 && h->sa_deleted != NULL)
			h->sa_deleted(k->arg, m);
		break;
	case PFKEY_FLUSH:
		if (!ours && m->errnum == 0 && h->flushed != NULL)
			h->flushed(k->arg, m->satype);
		break;
	case PFKEY_X_SPDADD:
	case PFKEY_X_SPDUPDATE:
	case PFKEY_X_SPDDELETE:
	case PFKEY_X_SPDDELETE2:
	case PFKEY_X_SPDFLUSH:
	case PFKEY_X_SPDEXPIRE:
		if (!ours && m->errnum == 0 && h->spd_changed != NULL)
			h->spd_changed(k->arg, m);
		break;
	default:
		log_debug("PF_KEY: ignoring %s from pid %u",
		    pfkey_msg_type_name(m->type), m->pid);
		break;
	}
}

static void
kernel_handle_buf(struct kernel *k, const struct pfkey_buf *buf)
{
	struct pfkey_msg m;
	struct pfkey_error err;

	if (pfkey_msg_decode(buf->data, buf->len,
	    pfkey_session_dialect(k->session), PFKEY_FROM_KERNEL, &m,
	    &err) != 0) {
		log_warn("PF_KEY: dropping malformed message from the kernel: "
		    "%s", err.reason);
		return;
	}
	kernel_dispatch(k, &m);
	pfkey_msg_clear(&m);
}

/* Read everything queued or readable now; bounded per wake-up. */
static void
kernel_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct kernel *k = arg;
	struct pfkey_buf *buf;
	struct pfkey_error err;
	int budget, rc;

	(void)fd;
	(void)what;
	for (budget = 0; budget < 256 && k->session != NULL; budget++) {
		rc = pfkey_recv(k->session, &buf, 0, &err);
		if (rc == ETIMEDOUT)
			return;
		if (rc != 0) {
			kernel_disconnect(k, err.reason);
			return;
		}
		kernel_handle_buf(k, buf);
		pfkey_chain_free(buf);
	}
	if (k->session != NULL)
		event_active(k->drain_ev, 0, 0);	/* more next round */
}

int
kernel_request(struct kernel *k, struct pfkey_msg *req,
    struct pfkey_msg *reply, struct pfkey_error *err)
{
	int rc;

	if (k->session == NULL) {
		err->code = ENOTCONN;
		snprintf(err->reason, sizeof(err->reason),
		    "PF_KEY: not connected to %s", k->spec);
		return ENOTCONN;
	}
	rc = pfkey_request(k->session, req, reply, PFKEY_TIMEOUT_MS, err);
	if (kernel_transport_error(rc))
		kernel_disconnect(k, err->reason);
	else if (pfkey_queued_count(k->session) > 0)
		event_active(k->drain_ev, 0, 0);
	return rc;
}

int
kernel_acquire_failed(struct kernel *k, uint32_t seq, uint8_t satype,
    int errnum)
{
	struct pfkey_msg m;
	struct pfkey_error err;
	int rc;

	if (k->session == NULL)
		return ENOTCONN;
	pfkey_msg_init(&m, PFKEY_ACQUIRE, satype, seq,
	    pfkey_session_pid(k->session));
	m.errnum = (uint8_t)errnum;
	rc = pfkey_send(k->session, &m, &err);
	if (rc != 0)
		log_warn("PF_KEY: reporting ACQUIRE failure: %s", err.reason);
	return rc;
}

void
kernel_policy_msg(const struct kernel_policy *p, uint8_t type,
    struct pfkey_msg *m)
{
	struct pfkey_ipsecrequest *r;

	pfkey_msg_init(m, type, PFKEY_SATYPE_UNSPEC, 0, 0);
	m->addr_src = p->src;
	m->addr_src.proto = p->ulproto;
	m->addr_dst = p->dst;
	m->addr_dst.proto = p->ulproto;
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
	m->policy.type = PFKEY_POLICY_IPSEC;
	m->policy.dir = p->dir;
	m->policy.scope = PFKEY_SCOPE_GLOBAL;
	m->policy.nreq = 1;
	r = &m->policy.req[0];
	r->proto = p->ipsec_proto;
	r->mode = p->mode;
	r->level = p->level;
	r->reqid = p->reqid;
	if (p->mode == PFKEY_MODE_TUNNEL) {
		r->has_endpoints = true;
		r->src = p->tunnel_src;
		r->dst = p->tunnel_dst;
	}
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
}

bool
kernel_policy_same_selector(const struct kernel_policy *a,
    const struct kernel_policy *b)
{
	return a->dir == b->dir && a->ulproto == b->ulproto &&
	    pfkey_addr_cmp(&a->src, &b->src) == 0 &&
	    a->src.prefixlen == b->src.prefixlen &&
	    pfkey_addr_cmp(&a->dst, &b->dst) == 0 &&
	    a->dst.prefixlen == b->dst.prefixlen;
}

static bool
kernel_policy_in_set(const struct kernel_policy *p,
    const struct kernel_policy *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kernel_policy_same_selector(p, &set[i]))
			return true;
	return false;
}

static void
kernel_delete_obsolete(struct kernel *k, const struct kernel_policy *set,
    size_t n)
{
	struct pfkey_msg req, reply;
	struct pfkey_error err;
	size_t i;

	for (i = 0; i < k->npolicies; i++) {
		if (kernel_policy_in_set(&k->policies[i], set, n))
			continue;
		kernel_policy_msg(&k->policies[i], PFKEY_X_SPDDELETE, &req);
		if (kernel_request(k, &req, &reply, &err) != 0 &&
		    err.code != ESRCH)
			log_warn("PF_KEY: removing policy: %s", err.reason);
		pfkey_msg_clear(&reply);
	}
}

int
kernel_set_policies(struct kernel *k, const struct kernel_policy *set,
    size_t n, struct pfkey_error *err)
{
	struct kernel_policy *copy = NULL;

	if (n > 0) {
		copy = calloc(n, sizeof(*copy));
		if (copy == NULL) {
			err->code = ENOMEM;
			snprintf(err->reason, sizeof(err->reason),
			    "out of memory");
			return ENOMEM;
		}
		memcpy(copy, set, n * sizeof(*copy));
	}
	if (k->session != NULL)
		kernel_delete_obsolete(k, set, n);
	free(k->policies);
	k->policies = copy;
	k->npolicies = n;
	if (k->session == NULL)
		return 0;	/* installed when the session comes back */
	return kernel_install_policies(k, err);
}

size_t
kernel_policy_count(const struct kernel *k)
{
	return k->npolicies;
}
