/*
 * The SADB messages of pfkeyemud (RFC 2367 section 3.1 as FreeBSD's
 * key.c implements them): GETSPI, UPDATE, ADD, DELETE, GET, FLUSH, DUMP,
 * and the EXPIRE the kernel sends.  Each handler returns 0 once its
 * replies are sent, or an errno for dispatch.c to answer with.
 *
 * Who gets the reply: GETSPI, GET and DUMP the requester only; UPDATE,
 * ADD (both without keys), DELETE and FLUSH every socket; EXPIRE the
 * sockets registered for the SA type.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "emu.h"
#include "log.h"

#define EXT(e)		(1u << PFKEY_EXT_##e)
#define ADDR_SD		(EXT(ADDRESS_SRC) | EXT(ADDRESS_DST))
#define KEYS		(EXT(KEY_AUTH) | EXT(KEY_ENCRYPT))

/* A reply made of the request's header and some of its extensions. */
static void
reply_from_request(struct pfkey_msg *r, const struct pfkey_msg *req,
    uint32_t keep)
{
	*r = *req;
	r->errnum = 0;
	r->present &= keep;
	if ((keep & KEYS) == 0) {
		explicit_bzero(&r->key_auth, sizeof(r->key_auth));
		explicit_bzero(&r->key_encrypt, sizeof(r->key_encrypt));
	}
}

static void
send_and_wipe(struct emu_client *c, struct pfkey_msg *r, enum emu_dest dest,
    uint8_t satype)
{
	server_send(c, r, dest, satype);
	pfkey_msg_clear(r);
}

int
sadb_msg_getspi(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	struct emu_sa t;
	uint32_t min = EMU_SPI_MIN, max = EMU_SPI_MAX, spi;
	int error;

	if (PFKEY_HAS(req, PFKEY_EXT_SPIRANGE)) {
		min = req->spirange.min;
		max = req->spirange.max;
	}
	if (req->satype == PFKEY_SATYPE_IPCOMP && max > 0xffff)
		max = 0xffff;		/* IPComp CPIs are 16 bits */
	if (PFKEY_HAS(req, PFKEY_EXT_X_SA2) &&
	    req->sa2.mode > PFKEY_MODE_TUNNEL)
		return EINVAL;
	if ((error = sadb_new_spi(req->satype, &req->addr_dst, min, max,
	    &spi)) != 0)
		return error;
	memset(&t, 0, sizeof(t));
	t.satype = req->satype;
	t.sa.spi = spi;
	t.sa.state = PFKEY_SASTATE_LARVAL;
	emu_addr_host(&t.src, &req->addr_src, 0);
	emu_addr_host(&t.dst, &req->addr_dst, 0);
	if (PFKEY_HAS(req, PFKEY_EXT_X_SA2)) {
		t.sa2.mode = req->sa2.mode;
		t.sa2.reqid = req->sa2.reqid;
	}
	t.created = emu_now();
	t.seq = req->seq;
	t.pid = req->pid;
	if ((error = sadb_insert(&t, NULL)) != 0)
		return error;
	reply_from_request(&r, req, ADDR_SD);
	r.sa.spi = spi;
	r.sa.state = PFKEY_SASTATE_LARVAL;
	PFKEY_SET(&r, PFKEY_EXT_SA);
	send_and_wipe(c, &r, EMU_TO_SENDER, 0);
	return 0;
}

/* ADD/UPDATE reply: the request without its keys, to every socket. */
static void
reply_added(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;

	reply_from_request(&r, req, ~(uint32_t)(KEYS | EXT(SPIRANGE) |
	    EXT(PROPOSAL) | EXT(SUPPORTED_AUTH) | EXT(SUPPORTED_ENCRYPT)));
	send_and_wipe(c, &r, EMU_TO_ALL, 0);
}

int
sadb_msg_update(struct emu_client *c, const struct pfkey_msg *req)
{
	struct emu_sa *sa;
	int error;

	sa = sadb_find(req->satype, req->sa.spi, &req->addr_dst);
	if (sa == NULL || !emu_addr_same_host(&sa->src, &req->addr_src))
		return ESRCH;
	if (sa->sa.state != PFKEY_SASTATE_LARVAL) {
		if ((error = sadb_refill(sa, req)) != 0)
			return error;
		log_debug("SA spi 0x%08x updated in place (NAT-T %u -> %u)",
		    sa->sa.spi, sa->natt_sport, sa->natt_dport);
		reply_added(c, req);
		return 0;
	}
	if ((error = sadb_fill(sa, req)) != 0)
		return error;
	acquire_sa_added(sa->satype, &sa->src, &sa->dst);
	reply_added(c, req);
	return 0;
}

int
sadb_msg_add(struct emu_client *c, const struct pfkey_msg *req)
{
	struct emu_sa t, *sa;
	int error;

	if (req->sa.spi == 0)
		return EINVAL;
	if (sadb_find(req->satype, req->sa.spi, &req->addr_dst) != NULL)
		return EEXIST;
	memset(&t, 0, sizeof(t));
	t.satype = req->satype;
	t.seq = req->seq;
	t.pid = req->pid;
	error = sadb_fill(&t, req);
	if (error == 0)
		error = sadb_insert(&t, &sa);
	explicit_bzero(&t, sizeof(t));
	if (error != 0)
		return error;
	acquire_sa_added(sa->satype, &sa->src, &sa->dst);
	reply_added(c, req);
	return 0;
}

int
sadb_msg_delete(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	struct emu_sa *sa;
	unsigned n;

	if (!PFKEY_HAS(req, PFKEY_EXT_SA)) {
		n = sadb_delete_hosts(req->satype, &req->addr_src,
		    &req->addr_dst);
		log_debug("DELETE without SA: %u SAs removed", n);
		reply_from_request(&r, req, ADDR_SD);
		send_and_wipe(c, &r, EMU_TO_ALL, 0);
		return 0;
	}
	sa = sadb_find(req->satype, req->sa.spi, &req->addr_dst);
	if (sa == NULL || !emu_addr_same_host(&sa->src, &req->addr_src))
		return ESRCH;
	sadb_remove(sa);
	reply_from_request(&r, req, EXT(SA) | ADDR_SD);
	send_and_wipe(c, &r, EMU_TO_ALL, 0);
	return 0;
}

/* Everything the SA has, keys included (GET, DUMP). */
void
sadb_export(const struct emu_sa *sa, struct pfkey_msg *m)
{
	m->sa = sa->sa;
	m->sa2.mode = sa->sa2.mode;
	m->sa2.reqid = sa->sa2.reqid;
	m->sa2.sequence = 0;
	m->addr_src = sa->src;
	m->addr_dst = sa->dst;
	m->life_current.allocations = sa->allocations;
	m->life_current.bytes = sa->bytes;
	m->life_current.addtime = (uint64_t)sa->created;
	m->life_current.usetime = (uint64_t)sa->firstused;
	m->present |= EXT(SA) | EXT(X_SA2) | ADDR_SD | EXT(LIFETIME_CURRENT);
	m->life_hard = sa->hard;
	m->life_soft = sa->soft;
	m->key_auth = sa->key_auth;
	m->key_encrypt = sa->key_encrypt;
	m->ident_src = sa->ident_src;
	m->ident_dst = sa->ident_dst;
	m->natt_type = sa->natt_type;
	m->natt_sport = sa->natt_sport;
	m->natt_dport = sa->natt_dport;
	m->natt_oai = sa->natt_oai;
	m->natt_oar = sa->natt_oar;
	m->natt_frag = sa->natt_frag;
	m->sa_replay = sa->sa_replay;
	m->present |= sa->exts;
}

static const struct emu_sa *
find_requested(const struct pfkey_msg *req)
{
	const struct emu_sa *sa;

	sa = sadb_find(req->satype, req->sa.spi, &req->addr_dst);
	if (sa == NULL || !emu_addr_same_host(&sa->src, &req->addr_src))
		return NULL;
	return sa;
}

int
sadb_msg_get(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	const struct emu_sa *sa;

	if ((sa = find_requested(req)) == NULL)
		return ESRCH;
	pfkey_msg_init(&r, PFKEY_GET, sa->satype, req->seq, req->pid);
	sadb_export(sa, &r);
	send_and_wipe(c, &r, EMU_TO_SENDER, 0);
	return 0;
}

int
sadb_msg_flush(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;

	sadb_flush(req->satype);
	reply_from_request(&r, req, 0);
	send_and_wipe(c, &r, EMU_TO_ALL, 0);
	return 0;
}

/* One message per SA, larval ones included, seq counting down to 0. */
int
sadb_msg_dump(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;
	const struct emu_sa *sa;
	unsigned n;

	if ((n = sadb_count(req->satype)) == 0)
		return ENOENT;
	for (sa = sadb_first(); sa != NULL && n > 0; sa = sadb_next(sa)) {
		if (req->satype != PFKEY_SATYPE_UNSPEC &&
		    sa->satype != req->satype)
			continue;
		pfkey_msg_init(&r, PFKEY_DUMP, sa->satype, --n, req->pid);
		sadb_export(sa, &r);
		send_and_wipe(c, &r, EMU_TO_SENDER, 0);
	}
	return 0;
}

/* EXPIRE: SA, SA2, current and the passed lifetime, addresses. */
void
sadb_send_expire(const struct emu_sa *sa, bool hard)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, PFKEY_EXPIRE, sa->satype, sa->seq, 0);
	m.sa = sa->sa;
	m.sa2.mode = sa->sa2.mode;
	m.sa2.reqid = sa->sa2.reqid;
	m.addr_src = sa->src;
	m.addr_dst = sa->dst;
	m.life_current.allocations = sa->allocations;
	m.life_current.bytes = sa->bytes;
	m.life_current.addtime = (uint64_t)sa->created;
	m.life_current.usetime = (uint64_t)sa->firstused;
	m.present = EXT(SA) | EXT(X_SA2) | ADDR_SD | EXT(LIFETIME_CURRENT);
	if (hard) {
		m.life_hard = sa->hard;
		PFKEY_SET(&m, PFKEY_EXT_LIFETIME_HARD);
	} else {
		m.life_soft = sa->soft;
		PFKEY_SET(&m, PFKEY_EXT_LIFETIME_SOFT);
	}
	server_send(NULL, &m, EMU_TO_REGISTERED, sa->satype);
	pfkey_msg_clear(&m);
}
