/*
 * An ADD or UPDATE request into an SA, every check first (FreeBSD
 * key_setsaval and key_setnatt): SA flags, algorithms and keys (algs.c),
 * SA2 mode, NAT-T (ESP only, type UDP_ENCAP_ESPINUDP, both ports
 * non-zero, OAI/OAR IPv4).  Nothing changes unless everything passes.
 * The SA becomes mature and its creation time restarts, as the kernel's
 * does.  Without a NAT-T type, NAT-T ports alone are ignored.
 *
 * UPDATE of a mature (or dying) SA, sadb_refill, as FreeBSD's key_update
 * allows it: keys are refused (EINVAL); the lifetimes are replaced by
 * the request's, or dropped when it has none (key_updatelifetimes); the
 * NAT-T configuration is replaced when the request has a NAT-T type or
 * the SA had one (key_updateaddresses: type and both ports required,
 * ESP only), which is how an IKE daemon follows a peer whose NAT mapping
 * changed; the SA becomes mature again.  SPI, keys, replay state,
 * creation time and counters stay.  New addresses
 * (X_NEW_ADDRESS_SRC/DST) are not emulated (EINVAL); nor is FreeBSD's
 * check that the UPDATE comes from the process that created the SA.
 */
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "emu.h"

#define SA_FLAGS_MAX	0x0fff		/* FreeBSD SADB_KEY_FLAGS_MAX */
#define EXT(e)		(1u << PFKEY_EXT_##e)
#define NATT_EXTS	(EXT(X_NAT_T_TYPE) | EXT(X_NAT_T_SPORT) | \
			    EXT(X_NAT_T_DPORT) | EXT(X_NAT_T_OAI) | \
			    EXT(X_NAT_T_OAR) | EXT(X_NAT_T_FRAG))

static int
fill_natt_oa(struct emu_sa *t, const struct pfkey_msg *m, unsigned ext,
    const struct pfkey_addr *oa, struct pfkey_addr *out)
{
	if (!PFKEY_HAS(m, ext))
		return 0;
	if (oa->family != AF_INET)
		return EINVAL;
	emu_addr_host(out, oa, 0);
	t->exts |= 1u << ext;
	return 0;
}

static int
fill_natt(struct emu_sa *t, uint8_t satype, const struct pfkey_msg *m)
{
	int error;

	t->exts &= ~NATT_EXTS;
	if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
		return 0;
	if (satype != PFKEY_SATYPE_ESP ||
	    m->natt_type != PFKEY_NAT_T_ESPINUDP)
		return EINVAL;
	if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_SPORT) ||
	    !PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_DPORT) ||
	    m->natt_sport == 0 || m->natt_dport == 0)
		return EINVAL;
	t->natt_type = m->natt_type;
	t->natt_sport = m->natt_sport;
	t->natt_dport = m->natt_dport;
	t->exts |= EXT(X_NAT_T_TYPE) | EXT(X_NAT_T_SPORT) |
	    EXT(X_NAT_T_DPORT);
	if ((error = fill_natt_oa(t, m, PFKEY_EXT_X_NAT_T_OAI, &m->natt_oai,
	    &t->natt_oai)) != 0)
		return error;
	if ((error = fill_natt_oa(t, m, PFKEY_EXT_X_NAT_T_OAR, &m->natt_oar,
	    &t->natt_oar)) != 0)
		return error;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_FRAG)) {
		t->natt_frag = m->natt_frag;
		t->exts |= EXT(X_NAT_T_FRAG);
	}
	return 0;
}

/* Keys, lifetimes, identities, replay window: kept as given. */
static void
fill_optional(struct emu_sa *t, const struct pfkey_msg *m)
{
	t->exts &= NATT_EXTS;
	if (PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH) && m->key_auth.bits != 0) {
		t->key_auth = m->key_auth;
		t->exts |= EXT(KEY_AUTH);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT) && m->key_encrypt.bits != 0) {
		t->key_encrypt = m->key_encrypt;
		t->exts |= EXT(KEY_ENCRYPT);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD)) {
		t->hard = m->life_hard;
		t->exts |= EXT(LIFETIME_HARD);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_LIFETIME_SOFT)) {
		t->soft = m->life_soft;
		t->exts |= EXT(LIFETIME_SOFT);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_IDENTITY_SRC)) {
		t->ident_src = m->ident_src;
		t->exts |= EXT(IDENTITY_SRC);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_IDENTITY_DST)) {
		t->ident_dst = m->ident_dst;
		t->exts |= EXT(IDENTITY_DST);
	}
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA_REPLAY)) {
		t->sa_replay = m->sa_replay;
		t->exts |= EXT(X_SA_REPLAY);
	}
}

static int
fill_checked(struct emu_sa *t, const struct pfkey_msg *m)
{
	int error;

	if ((m->sa.flags & ~(uint32_t)SA_FLAGS_MAX) != 0)
		return EINVAL;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NEW_ADDRESS_SRC) ||
	    PFKEY_HAS(m, PFKEY_EXT_X_NEW_ADDRESS_DST))
		return EINVAL;		/* re-homing is not emulated */
	if ((error = algs_check(t->satype, &m->sa, m)) != 0)
		return error;
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2)) {
		if (m->sa2.mode > PFKEY_MODE_TUNNEL)
			return EINVAL;
		t->sa2.mode = m->sa2.mode;
		t->sa2.reqid = m->sa2.reqid;
	}
	if ((error = fill_natt(t, t->satype, m)) != 0)
		return error;
	fill_optional(t, m);
	t->sa.spi = m->sa.spi;
	t->sa.replay = m->sa.replay;
	t->sa.auth = m->sa.auth;
	t->sa.encrypt = m->sa.encrypt;
	t->sa.flags = m->sa.flags;
	t->sa.state = PFKEY_SASTATE_MATURE;
	emu_addr_host(&t->src, &m->addr_src,
	    PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE) ? m->natt_sport : 0);
	emu_addr_host(&t->dst, &m->addr_dst,
	    PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE) ? m->natt_dport : 0);
	t->created = emu_now();
	t->firstused = 0;
	t->bytes = 0;
	t->allocations = 0;
	return 0;
}

/* A mature SA's lifetimes: both or none (then the SA has none). */
static int
refill_lifetimes(struct emu_sa *t, const struct pfkey_msg *m)
{
	bool hard = PFKEY_HAS(m, PFKEY_EXT_LIFETIME_HARD);
	bool soft = PFKEY_HAS(m, PFKEY_EXT_LIFETIME_SOFT);

	if (hard != soft)
		return EINVAL;
	t->exts &= ~(EXT(LIFETIME_HARD) | EXT(LIFETIME_SOFT));
	memset(&t->hard, 0, sizeof(t->hard));
	memset(&t->soft, 0, sizeof(t->soft));
	if (!hard)
		return 0;
	t->hard = m->life_hard;
	t->soft = m->life_soft;
	t->exts |= EXT(LIFETIME_HARD) | EXT(LIFETIME_SOFT);
	return 0;
}

static int
refill_checked(struct emu_sa *t, const struct pfkey_msg *m)
{
	int error;

	if (PFKEY_HAS(m, PFKEY_EXT_KEY_AUTH) ||
	    PFKEY_HAS(m, PFKEY_EXT_KEY_ENCRYPT) ||
	    PFKEY_HAS(m, PFKEY_EXT_X_NEW_ADDRESS_SRC) ||
	    PFKEY_HAS(m, PFKEY_EXT_X_NEW_ADDRESS_DST))
		return EINVAL;
	if (PFKEY_HAS(m, PFKEY_EXT_X_SA2) &&
	    ((m->sa2.mode != 0 && m->sa2.mode != t->sa2.mode) ||
	    (m->sa2.reqid != 0 && m->sa2.reqid != t->sa2.reqid)))
		return ESRCH;		/* the SA index does not match */
	if ((error = refill_lifetimes(t, m)) != 0)
		return error;
	if (PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE) ||
	    (t->exts & EXT(X_NAT_T_TYPE)) != 0) {
		if (!PFKEY_HAS(m, PFKEY_EXT_X_NAT_T_TYPE))
			return EINVAL;
		if ((error = fill_natt(t, t->satype, m)) != 0)
			return error;
		t->src.port = t->natt_sport;
		t->dst.port = t->natt_dport;
	}
	t->sa.state = PFKEY_SASTATE_MATURE;
	return 0;
}

int
sadb_refill(struct emu_sa *sa, const struct pfkey_msg *m)
{
	struct emu_sa t;
	int error;

	if (sa->sa.state != PFKEY_SASTATE_MATURE &&
	    sa->sa.state != PFKEY_SASTATE_DYING)
		return ESRCH;
	t = *sa;
	error = refill_checked(&t, m);
	if (error == 0)
		*sa = t;
	explicit_bzero(&t, sizeof(t));
	return error;
}

int
sadb_fill(struct emu_sa *sa, const struct pfkey_msg *m)
{
	struct emu_sa t;
	int error;

	t = *sa;
	error = fill_checked(&t, m);
	if (error == 0)
		*sa = t;	/* t.entry is still sa's list linkage */
	explicit_bzero(&t, sizeof(t));
	return error;
}
