/*
 * ACQUIRE in pfkeyemud: the kernel asking the key managers for an SA.
 *
 * An outbound packet that needs an SA it does not have sends ACQUIRE to
 * every socket registered for the SA type: addresses (the packet's hosts,
 * ports and protocol in transport mode, the tunnel endpoints in tunnel
 * mode), X_POLICY with the policy id, X_SA2 when the request has a reqid,
 * and a small PROPOSAL; its seq is a fresh acquire sequence number.  The
 * ACQUIRE stays pending for (SA type, endpoints, policy) and holds back
 * repeats until an SA for the endpoints is added, the key manager reports
 * failure (a bare-header ACQUIRE with that seq and errno set), or
 * EMU_BLOCKACQ_LIFETIME seconds of virtual time pass (FreeBSD
 * blockacq_lifetime).  A key manager may also send an ACQUIRE with
 * addresses and a proposal itself (FreeBSD key_acquire2): it is passed
 * on to the registered sockets unless an SA exists (EEXIST).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"
#include "log.h"

struct emu_acq {
	TAILQ_ENTRY(emu_acq) entry;
	uint32_t	seq;
	uint8_t		satype;
	struct pfkey_addr src, dst;	/* the SA's endpoints */
	uint32_t	policy_id;
	time_t		created;
};

static TAILQ_HEAD(, emu_acq) acqs = TAILQ_HEAD_INITIALIZER(acqs);
static unsigned	nacq;
static uint32_t	last_acq_seq;

static void
acq_remove(struct emu_acq *a)
{
	TAILQ_REMOVE(&acqs, a, entry);
	nacq--;
	free(a);
}

static struct emu_acq *
find_pending(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst, uint32_t policy_id)
{
	struct emu_acq *a;

	TAILQ_FOREACH(a, &acqs, entry)
		if (a->satype == satype && a->policy_id == policy_id &&
		    emu_addr_same_host(&a->src, src) &&
		    emu_addr_same_host(&a->dst, dst))
			return a;
	return NULL;
}

static int
acq_new(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst, uint32_t policy_id, uint32_t *seq)
{
	struct emu_acq *a;

	if (nacq >= EMU_MAX_ACQUIRES || (a = calloc(1, sizeof(*a))) == NULL)
		return ENOBUFS;
	if (++last_acq_seq == 0)
		last_acq_seq = 1;
	a->seq = last_acq_seq;
	a->satype = satype;
	emu_addr_host(&a->src, src, 0);
	emu_addr_host(&a->dst, dst, 0);
	a->policy_id = policy_id;
	a->created = emu_now();
	TAILQ_INSERT_TAIL(&acqs, a, entry);
	nacq++;
	*seq = a->seq;
	return 0;
}

static void
add_comb(struct pfkey_proposal *prop, uint8_t auth, uint16_t abits,
    uint8_t enc, uint16_t emin, uint16_t emax)
{
	struct pfkey_comb *cb = &prop->comb[prop->ncomb++];

	memset(cb, 0, sizeof(*cb));
	cb->auth = auth;
	cb->auth_minbits = cb->auth_maxbits = abits;
	cb->encrypt = enc;
	cb->encrypt_minbits = emin;
	cb->encrypt_maxbits = emax;
}

/* What the kernel would offer, strongest first. */
static void
set_proposal(struct pfkey_msg *m, uint8_t satype)
{
	struct pfkey_proposal *prop = &m->proposal;

	prop->replay = 32;
	prop->ncomb = 0;
	if (satype == PFKEY_SATYPE_ESP) {
		add_comb(prop, PFKEY_AALG_NONE, 0, PFKEY_EALG_AESGCM16, 160,
		    288);
		add_comb(prop, PFKEY_AALG_SHA2_256, 256, PFKEY_EALG_AESCBC,
		    128, 256);
		add_comb(prop, PFKEY_AALG_SHA1HMAC, 160, PFKEY_EALG_AESCBC,
		    128, 256);
	} else if (satype == PFKEY_SATYPE_AH) {
		add_comb(prop, PFKEY_AALG_SHA2_256, 256, PFKEY_EALG_NONE, 0, 0);
		add_comb(prop, PFKEY_AALG_SHA1HMAC, 160, PFKEY_EALG_NONE, 0, 0);
	} else
		return;
	PFKEY_SET(m, PFKEY_EXT_PROPOSAL);
}

static void
set_addresses(struct pfkey_msg *m, const struct pfkey_ipsecrequest *r,
    const struct pfkey_addr *sa_src, const struct pfkey_addr *sa_dst,
    const struct emu_flow *f)
{
	if (r->mode == PFKEY_MODE_TRANSPORT) {
		emu_addr_host(&m->addr_src, &f->src, f->src.port);
		emu_addr_host(&m->addr_dst, &f->dst, f->dst.port);
		m->addr_src.proto = m->addr_dst.proto = f->proto;
	} else {
		emu_addr_host(&m->addr_src, sa_src, 0);
		emu_addr_host(&m->addr_dst, sa_dst, 0);
	}
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_SRC);
	PFKEY_SET(m, PFKEY_EXT_ADDRESS_DST);
}

static void
send_acquire(const struct emu_policy *p, const struct pfkey_ipsecrequest *r,
    uint8_t satype, const struct pfkey_addr *sa_src,
    const struct pfkey_addr *sa_dst, const struct emu_flow *f, uint32_t seq)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, PFKEY_ACQUIRE, satype, seq, 0);
	set_addresses(&m, r, sa_src, sa_dst, f);
	m.policy.type = PFKEY_POLICY_IPSEC;
	m.policy.dir = p->pol.dir;
	m.policy.scope = PFKEY_SCOPE_GLOBAL;
	m.policy.id = p->id;
	m.policy.priority = p->pol.priority;
	PFKEY_SET(&m, PFKEY_EXT_X_POLICY);
	if (r->reqid != 0) {
		m.sa2.mode = r->mode;
		m.sa2.reqid = r->reqid;
		PFKEY_SET(&m, PFKEY_EXT_X_SA2);
	}
	set_proposal(&m, satype);
	server_send(NULL, &m, EMU_TO_REGISTERED, satype);
}

/*
 * Request req of policy p has no SA: 0 and *seq when an ACQUIRE went
 * out, EALREADY and *seq when one is pending, ENOBUFS when none can be.
 */
int
acquire_start(const struct emu_policy *p, unsigned req,
    const struct pfkey_addr *sa_src, const struct pfkey_addr *sa_dst,
    const struct emu_flow *f, uint32_t *seq)
{
	const struct pfkey_ipsecrequest *r = &p->pol.req[req];
	uint8_t satype = emu_proto_to_satype(r->proto);
	struct emu_acq *a;
	int error;

	if ((a = find_pending(satype, sa_src, sa_dst, p->id)) != NULL) {
		*seq = a->seq;
		return EALREADY;
	}
	if ((error = acq_new(satype, sa_src, sa_dst, p->id, seq)) != 0)
		return error;
	log_debug("ACQUIRE seq %u for policy %u", *seq, p->id);
	send_acquire(p, r, satype, sa_src, sa_dst, f, *seq);
	return 0;
}

void
acquire_failed(uint32_t seq)
{
	struct emu_acq *a;

	TAILQ_FOREACH(a, &acqs, entry)
		if (a->seq == seq) {
			log_debug("ACQUIRE seq %u failed", seq);
			acq_remove(a);
			return;
		}
}

void
acquire_sa_added(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst)
{
	struct emu_acq *a, *next;

	for (a = TAILQ_FIRST(&acqs); a != NULL; a = next) {
		next = TAILQ_NEXT(a, entry);
		if (a->satype == satype && emu_addr_same_host(&a->src, src) &&
		    emu_addr_same_host(&a->dst, dst))
			acq_remove(a);
	}
}

static bool
sa_exists(uint8_t satype, const struct pfkey_addr *src,
    const struct pfkey_addr *dst)
{
	return sadb_find_outbound(satype, src, dst, PFKEY_MODE_ANY, 0) !=
	    NULL;
}

/* An ACQUIRE from a key manager (the bare-header report is dispatch's). */
int
acquire_msg(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg m;
	uint32_t seq;
	int error;

	(void)c;
	if (!PFKEY_HAS(req, PFKEY_EXT_ADDRESS_SRC) ||
	    !PFKEY_HAS(req, PFKEY_EXT_ADDRESS_DST) ||
	    !PFKEY_HAS(req, PFKEY_EXT_PROPOSAL))
		return EINVAL;
	if (sa_exists(req->satype, &req->addr_src, &req->addr_dst))
		return EEXIST;
	if (find_pending(req->satype, &req->addr_src, &req->addr_dst, 0))
		return 0;
	error = acq_new(req->satype, &req->addr_src, &req->addr_dst, 0, &seq);
	if (error != 0)
		return error;
	pfkey_msg_init(&m, PFKEY_ACQUIRE, req->satype, seq, 0);
	m.present = req->present & ((1u << PFKEY_EXT_ADDRESS_SRC) |
	    (1u << PFKEY_EXT_ADDRESS_DST) | (1u << PFKEY_EXT_X_SA2) |
	    (1u << PFKEY_EXT_PROPOSAL));
	m.addr_src = req->addr_src;
	m.addr_dst = req->addr_dst;
	m.sa2 = req->sa2;
	m.proposal = req->proposal;
	server_send(NULL, &m, EMU_TO_REGISTERED, req->satype);
	return 0;
}

void
acquire_expire_run(void)
{
	struct emu_acq *a, *next;
	time_t now = emu_now();

	for (a = TAILQ_FIRST(&acqs); a != NULL; a = next) {
		next = TAILQ_NEXT(a, entry);
		if (now - a->created > EMU_BLOCKACQ_LIFETIME)
			acq_remove(a);
	}
}

unsigned
acquire_count(void)
{
	return nacq;
}

void
acquire_clear(void)
{
	while (TAILQ_FIRST(&acqs) != NULL)
		acq_remove(TAILQ_FIRST(&acqs));
}
