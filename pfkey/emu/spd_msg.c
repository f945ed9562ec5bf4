/*
 * The X_SPD* messages of pfkeyemud (FreeBSD key_spdadd and friends).
 *
 * X_SPDADD and X_SPDSETIDX add a policy (EEXIST if the selector and
 * direction exist), X_SPDUPDATE adds or replaces; all three accept the
 * policy types discard, none and ipsec (the latter with 1..4 requests of
 * ESP/AH/IPComp, transport or tunnel, tunnel with endpoints) and answer
 * every socket with the request, the new policy id filled in.
 * X_SPDDELETE (selector) and X_SPDDELETE2 (id) answer ESRCH when nothing
 * matches, X_SPDGET (id) ENOENT; X_SPDDUMP is like DUMP; X_SPDFLUSH
 * empties the SPD.  X_SPDEXPIRE goes to registered sockets.
 */
#include <errno.h>
#include <string.h>

#include "emu.h"

#define EXT(e)		(1u << PFKEY_EXT_##e)
#define ADDR_SD		(EXT(ADDRESS_SRC) | EXT(ADDRESS_DST))

static bool
valid_type(uint16_t type)
{
	return type == PFKEY_POLICY_DISCARD || type == PFKEY_POLICY_NONE ||
	    type == PFKEY_POLICY_IPSEC;
}

/* Direction, type and selector protocols: the checks before lookup. */
static int
check_selector(const struct pfkey_msg *req)
{
	const struct pfkey_policy *pol = &req->policy;

	if (pol->dir != PFKEY_DIR_INBOUND && pol->dir != PFKEY_DIR_OUTBOUND)
		return EINVAL;
	if (!valid_type(pol->type))
		return EINVAL;
	if (req->addr_src.proto != req->addr_dst.proto)
		return EINVAL;
	return 0;
}

/* FreeBSD key_msg2sp: one ipsecrequest; unique levels get a reqid. */
static int
check_request(struct pfkey_ipsecrequest *r)
{
	if (emu_proto_to_satype(r->proto) == 0)
		return EPROTONOSUPPORT;
	if (r->mode != PFKEY_MODE_TRANSPORT && r->mode != PFKEY_MODE_TUNNEL)
		return EINVAL;
	if (r->level > PFKEY_LEVEL_UNIQUE)
		return EINVAL;
	if (r->mode == PFKEY_MODE_TUNNEL && !r->has_endpoints)
		return EINVAL;
	if (r->level != PFKEY_LEVEL_UNIQUE) {
		r->reqid = 0;
		return 0;
	}
	if (r->reqid > PFKEY_REQID_MAX)
		r->reqid = 0;
	if (r->reqid == 0)
		r->reqid = spd_new_reqid();
	return 0;
}

static int
policy_from_request(struct emu_policy *t, const struct pfkey_msg *req)
{
	unsigned i;
	int error;

	memset(t, 0, sizeof(*t));
	t->src = req->addr_src;
	t->dst = req->addr_dst;
	t->pol = req->policy;
	t->pol.scope = PFKEY_SCOPE_GLOBAL;
	if (t->pol.type != PFKEY_POLICY_IPSEC)
		t->pol.nreq = 0;
	else if (t->pol.nreq == 0)
		return EINVAL;
	for (i = 0; i < t->pol.nreq; i++)
		if ((error = check_request(&t->pol.req[i])) != 0)
			return error;
	if (PFKEY_HAS(req, PFKEY_EXT_LIFETIME_HARD)) {
		t->lifetime = req->life_hard.addtime;
		t->validtime = req->life_hard.usetime;
	}
	t->created = t->lastused = emu_now();
	t->pid = req->pid;
	return 0;
}

static void
reply_from_request(struct pfkey_msg *r, const struct pfkey_msg *req,
    uint32_t keep)
{
	*r = *req;
	r->errnum = 0;
	r->present &= keep;
}

/* X_SPDADD, X_SPDUPDATE and X_SPDSETIDX. */
int
spd_msg_add(struct emu_client *c, const struct pfkey_msg *req)
{
	struct emu_policy t, *p, *old;
	struct pfkey_msg r;
	unsigned i;
	int error;

	if ((error = check_selector(req)) != 0)
		return error;
	old = spd_find(&req->addr_src, &req->addr_dst, req->policy.dir);
	if (old != NULL && req->type != PFKEY_X_SPDUPDATE)
		return EEXIST;
	if ((error = policy_from_request(&t, req)) != 0)
		return error;
	if (old != NULL)
		spd_remove(old);
	if ((error = spd_insert(&t, &p)) != 0)
		return error;
	reply_from_request(&r, req, ADDR_SD | EXT(X_POLICY) |
	    EXT(LIFETIME_HARD));
	r.policy.id = p->id;
	for (i = 0; i < p->pol.nreq && i < r.policy.nreq; i++)
		r.policy.req[i].reqid = p->pol.req[i].reqid;
	server_send(c, &r, EMU_TO_ALL, 0);
	return 0;
}

int
spd_msg_delete(struct emu_client *c, const struct pfkey_msg *req)
{
	struct emu_policy *p;
	struct pfkey_msg r;
	int error;

	if ((error = check_selector(req)) != 0)
		return error;
	p = spd_find(&req->addr_src, &req->addr_dst, req->policy.dir);
	if (p == NULL)
		return ESRCH;
	reply_from_request(&r, req, ADDR_SD | EXT(X_POLICY));
	r.policy.id = p->id;
	spd_remove(p);
	server_send(c, &r, EMU_TO_ALL, 0);
	return 0;
}

int
spd_msg_delete2(struct emu_client *c, const struct pfkey_msg *req)
{
	struct emu_policy *p;
	struct pfkey_msg r;

	if ((p = spd_find_id(req->policy.id)) == NULL)
		return ESRCH;
	spd_remove(p);
	reply_from_request(&r, req, EXT(X_POLICY));
	server_send(c, &r, EMU_TO_ALL, 0);
	return 0;
}

/* Addresses, the policy with its requests, current and hard lifetimes. */
void
spd_export(const struct emu_policy *p, struct pfkey_msg *m)
{
	m->addr_src = p->src;
	m->addr_dst = p->dst;
	m->policy = p->pol;
	m->life_current.addtime = (uint64_t)p->created;
	m->life_current.usetime = (uint64_t)p->lastused;
	m->life_hard.addtime = p->lifetime;
	m->life_hard.usetime = p->validtime;
	m->present |= ADDR_SD | EXT(X_POLICY) | EXT(LIFETIME_CURRENT) |
	    EXT(LIFETIME_HARD);
}

int
spd_msg_get(struct emu_client *c, const struct pfkey_msg *req)
{
	const struct emu_policy *p;
	struct pfkey_msg r;

	if ((p = spd_find_id(req->policy.id)) == NULL)
		return ENOENT;
	pfkey_msg_init(&r, PFKEY_X_SPDGET, 0, req->seq, req->pid);
	spd_export(p, &r);
	server_send(c, &r, EMU_TO_SENDER, 0);
	return 0;
}

int
spd_msg_dump(struct emu_client *c, const struct pfkey_msg *req)
{
	const struct emu_policy *p;
	struct pfkey_msg r;
	unsigned n;

	if ((n = spd_count()) == 0)
		return ENOENT;
	for (p = spd_first(); p != NULL && n > 0; p = spd_next(p)) {
		pfkey_msg_init(&r, PFKEY_X_SPDDUMP, 0, --n, req->pid);
		spd_export(p, &r);
		server_send(c, &r, EMU_TO_SENDER, 0);
	}
	return 0;
}

int
spd_msg_flush(struct emu_client *c, const struct pfkey_msg *req)
{
	struct pfkey_msg r;

	spd_flush();
	reply_from_request(&r, req, 0);
	server_send(c, &r, EMU_TO_ALL, 0);
	return 0;
}

void
spd_send_expire(const struct emu_policy *p)
{
	struct pfkey_msg m;

	pfkey_msg_init(&m, PFKEY_X_SPDEXPIRE, 0, 0, 0);
	spd_export(p, &m);
	server_send(NULL, &m, EMU_TO_REGISTERED, PFKEY_SATYPE_UNSPEC);
}
