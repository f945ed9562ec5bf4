/*
 * The negotiation entry point (see negotiate.h): requests recorded on
 * the peer, their log lines, and terminate.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "kernel.h"
#include "log.h"
#include "negotiate.h"
#include "sa.h"

static const struct ike_engine_ops *engine_ops;
static void *engine_arg;

void
ike_engine_set(const struct ike_engine_ops *ops, void *arg)
{
	engine_ops = ops;
	engine_arg = arg;
}

void
ike_peer_gone(struct peer *p)
{
	if (engine_ops != NULL && engine_ops->peer_gone != NULL)
		engine_ops->peer_gone(engine_arg, p);
}

static void
engine_request(struct peer *p, const struct ike_request *r)
{
	if (engine_ops != NULL && engine_ops->request != NULL)
		engine_ops->request(engine_arg, p, r);
}

/* "192.0.2.1", or "any" for an address the kernel will choose. */
static const char *
addr_text(const struct pfkey_addr *a, char *buf, size_t len)
{
	if (a->family != AF_INET && a->family != AF_INET6) {
		snprintf(buf, len, "any");
		return buf;
	}
	return pfkey_addr_ntop(a, buf, len);
}

static void
request_fill(struct ike_request *r, enum ike_trigger trigger,
    const struct pfkey_msg *m)
{
	memset(r, 0, sizeof(*r));
	r->trigger = trigger;
	r->seq = m->seq;
	r->satype = m->satype;
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2))
		r->reqid = m->sa2.reqid;
	if (PFKEY_HAS(m, PFKEY_EXT_ADDRESS_SRC))
		r->src = m->addr_src;
	if (PFKEY_HAS(m, PFKEY_EXT_ADDRESS_DST))
		r->dst = m->addr_dst;
	r->when = time(NULL);
}

static void
request_record(struct peer *p, enum ike_trigger trigger,
    const struct pfkey_msg *m)
{
	request_fill(&p->request, trigger, m);
	p->state = PEER_NEGOTIATING;
}

int
ike_acquire(struct peer *p, const struct pfkey_msg *m)
{
	enum ike_trigger trigger;
	struct ike_request joined_req;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], what[32];
	bool joined = p->state == PEER_NEGOTIATING;

	if (m->type != PFKEY_ACQUIRE)
		return EINVAL;
	trigger = m->pid == 0 ? IKE_TRIGGER_ACQUIRE : IKE_TRIGGER_INITIATE;
	if (trigger == IKE_TRIGGER_ACQUIRE) {
		p->acquires++;
		p->last_acquire_seq = m->seq;
		p->last_acquire_time = time(NULL);
		snprintf(what, sizeof(what), "ACQUIRE seq=%u", m->seq);
	} else
		snprintf(what, sizeof(what), "initiate");
	addr_text(&m->addr_src, src, sizeof(src));
	addr_text(&m->addr_dst, dst, sizeof(dst));
	/* A kernel ACQUIRE replaces an administrative request: its seq is
	 * what the kernel waits to hear about. */
	if (joined && (trigger != IKE_TRIGGER_ACQUIRE ||
	    p->request.trigger == IKE_TRIGGER_ACQUIRE)) {
		if (trigger == IKE_TRIGGER_ACQUIRE)
			p->request.seq = m->seq;
		log_info("%s for %s->%s: negotiation with peer %s already "
		    "in progress", what, src, dst, p->conf->name);
		request_fill(&joined_req, trigger, m);
		engine_request(p, &joined_req);
		return 0;
	}
	request_record(p, trigger, m);
	log_info("%s for %s->%s: starting negotiation with peer %s", what,
	    src, dst, p->conf->name);
	engine_request(p, &p->request);
	return 0;
}

int
ike_initiate(struct peer *p)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, PFKEY_ACQUIRE, PFKEY_SATYPE_ESP, 0,
	    (uint32_t)getpid());
	m.addr_dst = p->conf->address;
	PFKEY_SET(&m, PFKEY_EXT_ADDRESS_DST);
	if (p->conf->local_address.family != 0) {
		m.addr_src = p->conf->local_address;
		PFKEY_SET(&m, PFKEY_EXT_ADDRESS_SRC);
	}
	return ike_acquire(p, &m);
}

void
ike_rekey(struct peer *p, const struct sa *sa)
{
	struct ike_request *r, joined_req;
	bool joined = p->state == PEER_NEGOTIATING;

	r = joined ? &joined_req : &p->request;
	memset(r, 0, sizeof(*r));
	r->trigger = IKE_TRIGGER_REKEY;
	r->satype = sa->satype;
	r->reqid = sa->reqid;
	r->src = sa->src;
	r->dst = sa->dst;
	r->spi = sa->spi;
	r->when = time(NULL);
	if (joined) {
		log_info("SA spi 0x%08x soft expired: negotiation with peer "
		    "%s already in progress", sa->spi, p->conf->name);
		engine_request(p, r);
		return;
	}
	p->state = PEER_NEGOTIATING;
	log_info("SA spi 0x%08x soft expired: starting rekey with peer %s",
	    sa->spi, p->conf->name);
	engine_request(p, r);
}

const struct ike_request *
ike_pending(const struct peer *p)
{
	return p->state == PEER_NEGOTIATING ? &p->request : NULL;
}

void
ike_finished(struct peer *p, bool established)
{
	log_debug("peer %s: negotiation %s", p->conf->name,
	    established ? "established" : "failed");
	memset(&p->request, 0, sizeof(p->request));
	p->state = PEER_IDLE;
}

size_t
ike_terminate(struct peer *p, struct sa_mgr *mgr, struct kernel *k)
{
	const struct ike_request *r;
	size_t n = 0;

	if (engine_ops != NULL && engine_ops->terminate != NULL)
		engine_ops->terminate(engine_arg, p);
	r = ike_pending(p);
	if (r != NULL && r->trigger == IKE_TRIGGER_ACQUIRE && k != NULL)
		kernel_acquire_failed(k, r->seq, r->satype, ECANCELED);
	if (mgr != NULL)
		n = sa_remove_peer(mgr, p, SA_REASON_REQUEST);
	memset(&p->request, 0, sizeof(p->request));
	p->state = PEER_IDLE;
	log_info("peer %s: terminated, %zu SAs deleted", p->conf->name, n);
	return n;
}
