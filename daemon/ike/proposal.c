/*
 * Proposals: the effective profile of a peer (its configured proposals,
 * then the profile plugin's defaults), the SA payloads we offer, the
 * responder's choice among what the peer offers (the first peer
 * transform that matches one of ours, in the peer's order), the check of
 * the responder's answer, and lifetimes (RFC 2407 4.5, RFC 2409 App. A).
 *
 * Algorithm numbers are the IANA ones throughout (struct
 * oakley_profile): phase 1 cipher/hash/group are attributes 1, 2, 4;
 * phase 2 cipher is the ESP transform ID and auth the IPsec DOI
 * authentication algorithm.
 *
 * MD5 (the main-mode hash, quick-mode HMAC-MD5) is for legacy peers
 * only: the proposals using it are dropped from the profile of a peer
 * whose applied profile lacks OAKLEY_QUIRK_MD5, so they are neither
 * offered nor chosen.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"
#include "ike.h"
#include "ike/dh.h"
#include "log.h"
#include "peer.h"
#include "plugin.h"

#define ESP_ID_3DES	3
#define ESP_ID_AES	12
#define ESP_ID_AES_GCM16 20	/* RFC 4106 8.1: with Key Length, no auth */
#define P1_ENC_3DES	5
#define P1_ENC_AES	7
#define HASH_MD5	1
#define AUTH_HMAC_MD5	1
#define AUTH_HMAC_SHA1	2

/* IPsec DOI encapsulation modes. */
#define ENCAP_TUNNEL	1
#define ENCAP_TRANSPORT	2

/* ---- From the configuration ---- */

/* The configuration keeps AES-GCM out of phase 1 (conf_proposal.c). */
static void
enc_ids(enum conf_enc enc, bool esp, uint16_t *id, uint16_t *keylen)
{
	*keylen = 0;
	*id = esp ? ESP_ID_AES : P1_ENC_AES;
	switch (enc) {
	case CONF_ENC_3DES:
		*id = esp ? ESP_ID_3DES : P1_ENC_3DES;
		break;
	case CONF_ENC_AES128:
		*keylen = 128;
		break;
	case CONF_ENC_AES192:
		*keylen = 192;
		break;
	case CONF_ENC_AES256:
		*keylen = 256;
		break;
	case CONF_ENC_AES128GCM16:
		*id = ESP_ID_AES_GCM16;
		*keylen = 128;
		break;
	case CONF_ENC_AES192GCM16:
		*id = ESP_ID_AES_GCM16;
		*keylen = 192;
		break;
	case CONF_ENC_AES256GCM16:
		*id = ESP_ID_AES_GCM16;
		*keylen = 256;
		break;
	}
}

static uint16_t
hash_id(enum conf_hash h)
{
	switch (h) {
	case CONF_HASH_MD5:
		return HASH_MD5;
	case CONF_HASH_SHA1:
		return 2;
	case CONF_HASH_SHA256:
		return 4;
	case CONF_HASH_SHA384:
		return 5;
	case CONF_HASH_SHA512:
		return 6;
	}
	return 0;
}

static uint16_t
integ_id(enum conf_integ i)
{
	switch (i) {
	case CONF_INTEG_NONE:
		return 0;
	case CONF_INTEG_HMAC_MD5:
		return AUTH_HMAC_MD5;
	case CONF_INTEG_HMAC_SHA1:
		return AUTH_HMAC_SHA1;
	case CONF_INTEG_HMAC_SHA256:
		return 5;
	case CONF_INTEG_HMAC_SHA384:
		return 6;
	case CONF_INTEG_HMAC_SHA512:
		return 7;
	}
	return 0;
}

static void
profile_from_conf(const struct conf_peer *cp, struct oakley_profile *prof)
{
	const struct conf_phase1 *c1;
	const struct conf_phase2 *c2;
	size_t i;

	memset(prof, 0, sizeof(*prof));
	for (i = 0; i < cp->nphase1 && i < OAKLEY_PROFILE_PROPOSALS; i++) {
		c1 = &cp->phase1[i];
		enc_ids(c1->enc, false, &prof->phase1[i].cipher,
		    &prof->phase1[i].keylen);
		prof->phase1[i].hash = hash_id(c1->hash);
		prof->phase1[i].group = (uint16_t)c1->group;
		prof->phase1[i].lifetime = (uint32_t)c1->lifetime;
	}
	prof->n_phase1 = (unsigned)i;
	for (i = 0; i < cp->nphase2 && i < OAKLEY_PROFILE_PROPOSALS; i++) {
		c2 = &cp->phase2[i];
		enc_ids(c2->enc, true, &prof->phase2[i].cipher,
		    &prof->phase2[i].keylen);
		prof->phase2[i].auth = integ_id(c2->integ);
		prof->phase2[i].pfs_group = (uint16_t)c2->pfs_group;
		prof->phase2[i].lifetime = (uint32_t)c2->lifetime;
		prof->phase2[i].lifetime_kb = c2->lifetime_kb;
	}
	prof->n_phase2 = (unsigned)i;
	prof->retransmit_ms = (uint32_t)(cp->retransmit_interval * 1000);
	prof->retransmit_count = cp->retransmit_count;
	if (!cp->phase1_default)
		prof->from_config |= OAKLEY_PROFILE_CONF_PHASE1;
	if (!cp->phase2_default)
		prof->from_config |= OAKLEY_PROFILE_CONF_PHASE2;
	if (cp->retransmit_interval != CONF_DEFAULT_RETRANSMIT_INTERVAL ||
	    cp->retransmit_count != CONF_DEFAULT_RETRANSMIT_COUNT)
		prof->from_config |= OAKLEY_PROFILE_CONF_RETRANSMIT;
}

/* ---- MD5, for legacy peers only ---- */

/* Drop the proposals that use MD5; true if there were any. */
static bool
md5_drop(struct oakley_profile *prof)
{
	unsigned i, n1 = 0, n2 = 0;
	bool dropped;

	for (i = 0; i < prof->n_phase1; i++)
		if (prof->phase1[i].hash != HASH_MD5)
			prof->phase1[n1++] = prof->phase1[i];
	for (i = 0; i < prof->n_phase2; i++)
		if (prof->phase2[i].auth != AUTH_HMAC_MD5)
			prof->phase2[n2++] = prof->phase2[i];
	dropped = n1 != prof->n_phase1 || n2 != prof->n_phase2;
	prof->n_phase1 = n1;
	prof->n_phase2 = n2;
	return dropped;
}

/* "auto" before a plugin chose: the peer may still prove legacy. */
static bool
auto_undecided(struct ike_p1 *p1)
{
	return strcmp(p1->peer->conf->profile, OAKLEY_PROFILE_AUTO) == 0 &&
	    plugin_profile_chosen_p1(IKE_P1_HANDLE(p1)) == NULL;
}

/*
 * Without OAKLEY_QUIRK_MD5 the MD5 proposals go, with a warning at most
 * once a second for the peer (a debug line while "auto" has chosen
 * nothing).  A phase left without proposals fails where they are used:
 * nothing to offer, or NO-PROPOSAL-CHOSEN for whatever the peer offers.
 */
static void
profile_md5(struct ike_p1 *p1, struct oakley_profile *prof)
{
	const char *name = p1->peer->conf->name, *left;
	struct ike_peer *ip;

	if ((prof->quirks & OAKLEY_QUIRK_MD5) != 0 || !md5_drop(prof))
		return;
	left = prof->n_phase1 == 0 ? ": no main-mode proposal is left" :
	    prof->n_phase2 == 0 ? ": no quick-mode proposal is left" : "";
	if (auto_undecided(p1)) {
		log_debug("IKE: peer %s: MD5 proposals left out until profile "
		    "auto chooses one that allows them%s", name, left);
		return;
	}
	if ((ip = ike_peer_state(p1->peer)) != NULL &&
	    !log_once_a_second(&ip->md5_logged))
		return;
	log_warn("IKE: peer %s: MD5 is for legacy peers only (profile "
	    "legacy, or auto choosing legacy): its MD5 proposals are left "
	    "out%s", name, left);
}

int
ike_profile_build(struct ike_p1 *p1, struct oakley_profile *prof, char *err,
    size_t errlen)
{
	const struct conf_peer *cp = p1->peer->conf;

	profile_from_conf(cp, prof);
	if (cp->nphase1 > OAKLEY_PROFILE_PROPOSALS ||
	    cp->nphase2 > OAKLEY_PROFILE_PROPOSALS)
		log_warn("peer %s: only the first %d proposals of each phase "
		    "are offered", cp->name, OAKLEY_PROFILE_PROPOSALS);
	/* What the last profile noted goes with it. */
	plugin_flags_free(p1->prof_flags);
	if ((p1->prof_flags = plugin_flags_new()) == NULL) {
		snprintf(err, errlen, "profile '%s': %s", cp->profile,
		    strerror(ENOMEM));
		return -1;
	}
	if (plugin_profile_apply(cp->profile, IKE_P1_HANDLE(p1), prof, err,
	    errlen) != 0)
		return -1;
	if (prof->n_phase1 > OAKLEY_PROFILE_PROPOSALS)
		prof->n_phase1 = OAKLEY_PROFILE_PROPOSALS;
	if (prof->n_phase2 > OAKLEY_PROFILE_PROPOSALS)
		prof->n_phase2 = OAKLEY_PROFILE_PROPOSALS;
	profile_md5(p1, prof);
	return 0;
}

/*
 * "profile auto": the profile again, now that the peer's vendor IDs may
 * have named one for this phase 1 (plugin flag OAKLEY_FLAG_PROFILE of the
 * phase 1, else the peer's; see oakley/plugin.h).  Called by the
 * responder once MM1 was read and before it chooses a proposal, by the
 * initiator once MM2 was read, and before every quick mode.  Other
 * profiles do not change during a phase 1: nothing to do.  0, or -1
 * (logged) when the profile cannot be applied: the negotiation fails.
 */
int
ike_profile_refresh(struct ike_p1 *p1)
{
	const struct conf_peer *cp = p1->peer->conf;
	struct oakley_profile prof;
	const char *chosen;
	char err[256];

	if (strcmp(cp->profile, OAKLEY_PROFILE_AUTO) != 0)
		return 0;
	if (ike_profile_build(p1, &prof, err, sizeof(err)) != 0) {
		log_warn("IKE: peer %s: %s", cp->name, err);
		return -1;
	}
	chosen = plugin_profile_chosen_p1(IKE_P1_HANDLE(p1));
	log_debug("IKE: peer %s: profile auto: %s (%u main-mode, %u "
	    "quick-mode proposals)", cp->name, chosen != NULL ? chosen :
	    "nothing chosen yet", prof.n_phase1, prof.n_phase2);
	p1->prof = prof;
	return 0;
}

/* ---- Groups ---- */

/* Groups the core knows a plugin for, to say which one is missing. */
static const struct {
	uint16_t	 group;
	const char	*plugin;
} group_plugins[] = {
	{ 14, "dh2048" },
	{ 15, "dh2048" },
	{ 16, "dh2048" },
	{ 19, "dh_ecp" },
	{ 20, "dh_ecp" },
};

void
ike_group_missing(uint16_t group, char *buf, size_t len)
{
	const char *name = conf_group_name(group);
	char what[64];
	size_t i;

	if (name != NULL)
		snprintf(what, sizeof(what), "DH group %u (%s)", group, name);
	else
		snprintf(what, sizeof(what), "DH group %u", group);
	for (i = 0; i < sizeof(group_plugins) / sizeof(group_plugins[0]);
	    i++) {
		if (group_plugins[i].group != group)
			continue;
		snprintf(buf, len, "%s is provided by plugin %s, which is "
		    "not loaded", what, group_plugins[i].plugin);
		return;
	}
	snprintf(buf, len, "%s is not provided by oakleyd or any loaded "
	    "plugin", what);
}

/*
 * A group we can use; if not, and log, say which plugin would provide
 * it: a warning the admin needs, but once a second at most for each
 * group (the IANA groups are below 32; the rest share one), since every
 * transform of every MM1 may name it.
 */
#define GROUPS_LOGGED	32

static bool
group_usable(uint16_t group, bool log)
{
	static time_t last_log[GROUPS_LOGGED + 1];
	char why[160];

	if (group == 0 || dh_group(group) != NULL)
		return true;
	if (log && log_once_a_second(&last_log[group < GROUPS_LOGGED ?
	    group : GROUPS_LOGGED])) {
		ike_group_missing(group, why, sizeof(why));
		log_warn("%s", why);
	}
	return false;
}

/* ---- Lifetimes ---- */

int
ike_xf_lifetimes(const struct isakmp_transform *xf, bool p1,
    uint64_t *seconds, uint64_t *kbytes)
{
	uint16_t t_type = p1 ? ISAKMP_ATTR_LIFE_TYPE : IPSEC_ATTR_LIFE_TYPE;
	uint16_t t_dur = p1 ? ISAKMP_ATTR_LIFE_DURATION :
	    IPSEC_ATTR_LIFE_DURATION;
	uint64_t type = 0, v;
	unsigned i;

	*seconds = *kbytes = 0;
	for (i = 0; i < xf->n_attrs; i++) {
		const struct isakmp_attr *a = &xf->attrs[i];

		if (a->type == t_type) {
			if (isakmp_attr_uint(a, &type) == -1 ||
			    (type != ISAKMP_LIFE_SECONDS &&
			    type != ISAKMP_LIFE_KILOBYTES))
				return -1;
		} else if (a->type == t_dur) {
			if (type == 0 || isakmp_attr_uint(a, &v) == -1)
				return -1;
			if (type == ISAKMP_LIFE_SECONDS)
				*seconds = v;
			else
				*kbytes = v;
			type = 0;
		}
	}
	return 0;
}

bool
ike_life_merge(uint64_t ours, uint64_t theirs, uint64_t *final)
{
	if (ours == 0) {
		*final = theirs;
		return false;
	}
	if (theirs == 0 || ours < theirs) {
		*final = ours;
		return true;
	}
	*final = theirs;
	return false;
}

/*
 * Quick mode: for seconds and kilobytes each, the shorter of ours and
 * the peer's, 0 (no limit) being the longest; a peer that gave no
 * seconds has RFC 2407's 28800.  ch may hold alg.
 */
void
ike_p2_lifetimes(const struct ike_p2_choice *ch, struct ike_p2_alg *alg,
    bool *secs, bool *kb)
{
	uint64_t theirs_s = ch->alg.life_s != 0 ? ch->alg.life_s :
	    IKE_QM_DEFAULT_LIFE, theirs_kb = ch->alg.life_kb;

	*secs = ike_life_merge(ch->our_life_s, theirs_s, &alg->life_s);
	*kb = ike_life_merge(ch->our_life_kb, theirs_kb, &alg->life_kb);
}

/* ---- Phase 1 ---- */

static void
attr_int(struct isakmp_attr_spec *a, size_t *n, uint16_t type, uint64_t v)
{
	a[*n].type = type;
	a[*n].form = ISAKMP_ATTR_INT;
	a[*n].value = v;
	a[*n].data = NULL;
	a[*n].len = 0;
	(*n)++;
}

int
ike_p1_sa_spec(const struct oakley_profile *prof, uint16_t auth,
    struct ike_sa_store *st)
{
	const struct oakley_p1_proposal *p;
	struct isakmp_attr_spec *a;
	unsigned i, max = prof->n_phase1;
	size_t n, nx = 0;

	memset(st, 0, sizeof(*st));
	if ((prof->quirks & OAKLEY_QUIRK_P1_ONE_PROPOSAL) && max > 1)
		max = 1;
	for (i = 0; i < max; i++) {
		p = &prof->phase1[i];
		if (!group_usable(p->group, true))
			continue;
		a = st->attrs[nx];
		n = 0;
		attr_int(a, &n, ISAKMP_ATTR_ENC, p->cipher);
		if (p->keylen != 0)
			attr_int(a, &n, ISAKMP_ATTR_KEY_LENGTH, p->keylen);
		attr_int(a, &n, ISAKMP_ATTR_HASH, p->hash);
		attr_int(a, &n, ISAKMP_ATTR_AUTH, auth);
		attr_int(a, &n, ISAKMP_ATTR_GROUP_DESC, p->group);
		if (p->lifetime != 0) {
			attr_int(a, &n, ISAKMP_ATTR_LIFE_TYPE,
			    ISAKMP_LIFE_SECONDS);
			attr_int(a, &n, ISAKMP_ATTR_LIFE_DURATION, p->lifetime);
		}
		st->xforms[nx].num = (uint8_t)(nx + 1);
		st->xforms[nx].id = ISAKMP_XF_KEY_IKE;
		st->xforms[nx].attrs = a;
		st->xforms[nx].n_attrs = n;
		nx++;
	}
	if (nx == 0)
		return -1;
	st->prop.num = 1;
	st->prop.protocol = ISAKMP_PROTO_ISAKMP;
	st->prop.transforms = st->xforms;
	st->prop.n_transforms = nx;
	st->sa.doi = ISAKMP_DOI_IPSEC;
	st->sa.situation = ISAKMP_SIT_IDENTITY_ONLY;
	st->sa.proposals = &st->prop;
	st->sa.n_proposals = 1;
	return 0;
}

/* Where each known attribute of a transform goes. */
struct attr_slot {
	uint16_t	 type;
	uint16_t	*out;
};

/*
 * Every 16-bit attribute of xf into its slot; lifetimes are read apart
 * (ike_xf_lifetimes).  -1 for an attribute with no slot: we cannot take
 * what we do not understand.
 */
static int
xf_attrs(const struct isakmp_transform *xf, bool p1,
    const struct attr_slot *slots, size_t nslots)
{
	uint16_t t_type = p1 ? ISAKMP_ATTR_LIFE_TYPE : IPSEC_ATTR_LIFE_TYPE;
	uint16_t t_dur = p1 ? ISAKMP_ATTR_LIFE_DURATION :
	    IPSEC_ATTR_LIFE_DURATION;
	uint64_t v;
	unsigned i;
	size_t j;

	for (i = 0; i < xf->n_attrs; i++) {
		const struct isakmp_attr *a = &xf->attrs[i];

		if (a->type == t_type || a->type == t_dur)
			continue;
		if (isakmp_attr_uint(a, &v) == -1 || v > 0xffff)
			return -1;
		for (j = 0; j < nslots && slots[j].type != a->type; j++)
			continue;
		if (j == nslots)
			return -1;	/* custom groups, PRF, ESN, ... */
		*slots[j].out = (uint16_t)v;
	}
	return 0;
}

/* A phase-1 transform's values; -1 if it carries what we cannot take. */
static int
p1_xf_values(const struct isakmp_transform *xf, struct ike_p1_alg *alg)
{
	uint16_t group_type = 1;	/* MODP */
	const struct attr_slot slots[] = {
		{ ISAKMP_ATTR_ENC, &alg->cipher },
		{ ISAKMP_ATTR_HASH, &alg->hash },
		{ ISAKMP_ATTR_AUTH, &alg->auth },
		{ ISAKMP_ATTR_GROUP_DESC, &alg->group },
		{ ISAKMP_ATTR_GROUP_TYPE, &group_type },
		{ ISAKMP_ATTR_KEY_LENGTH, &alg->keylen },
	};

	memset(alg, 0, sizeof(*alg));
	if (xf->id != ISAKMP_XF_KEY_IKE ||
	    xf_attrs(xf, true, slots, sizeof(slots) / sizeof(slots[0])) ==
	    -1 || group_type != 1)
		return -1;
	return ike_xf_lifetimes(xf, true, &alg->lifetime, &alg->lifetime_kb);
}

static bool
p1_matches(const struct oakley_p1_proposal *p, uint16_t auth,
    const struct ike_p1_alg *alg)
{
	return p->cipher == alg->cipher && p->keylen == alg->keylen &&
	    p->hash == alg->hash && p->group == alg->group &&
	    auth == alg->auth && ike_cipher_by_p1(alg->cipher,
	    alg->keylen) != NULL && ike_hash_by_p1(alg->hash) != NULL;
}

/* Ours matching alg, or NULL; the lifetime merged into alg. */
static const struct oakley_p1_proposal *
p1_ours(const struct oakley_profile *prof, uint16_t auth,
    struct ike_p1_alg *alg)
{
	const struct oakley_p1_proposal *p;
	uint64_t life;
	unsigned i;

	for (i = 0; i < prof->n_phase1 && i < OAKLEY_PROFILE_PROPOSALS;
	    i++) {
		p = &prof->phase1[i];
		if (!p1_matches(p, auth, alg))
			continue;
		ike_life_merge(p->lifetime, alg->lifetime, &life);
		alg->lifetime = life != 0 ? life : IKE_P1_DEFAULT_LIFE;
		return p;
	}
	return NULL;
}

int
ike_p1_choose(const struct oakley_profile *prof, uint16_t auth,
    const struct isakmp_sa *sa, struct ike_p1_alg *out,
    const struct isakmp_proposal **pp, const struct isakmp_transform **px)
{
	const struct isakmp_proposal *prop;
	struct ike_p1_alg alg;
	unsigned i, j;

	for (i = 0; i < sa->n_proposals; i++) {
		prop = &sa->proposals[i];
		if (prop->protocol != ISAKMP_PROTO_ISAKMP)
			continue;
		for (j = 0; j < prop->n_transforms; j++) {
			if (p1_xf_values(&prop->transforms[j], &alg) == -1)
				continue;
			if (!group_usable(alg.group, true))
				continue;
			if (p1_ours(prof, auth, &alg) == NULL)
				continue;
			*out = alg;
			*pp = prop;
			*px = &prop->transforms[j];
			return 0;
		}
	}
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}

int
ike_p1_accept(const struct oakley_profile *prof, uint16_t auth,
    const struct isakmp_sa *sa, struct ike_p1_alg *out)
{
	struct ike_p1_alg alg;

	if (sa->n_proposals != 1 || sa->proposals[0].n_transforms != 1 ||
	    sa->proposals[0].protocol != ISAKMP_PROTO_ISAKMP)
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	if (p1_xf_values(&sa->proposals[0].transforms[0], &alg) == -1 ||
	    !group_usable(alg.group, false) ||
	    p1_ours(prof, auth, &alg) == NULL)
		return ISAKMP_N_NO_PROPOSAL_CHOSEN;
	*out = alg;
	return 0;
}

/* ---- Phase 2 ---- */

int
ike_p2_sa_spec(const struct oakley_profile *prof, uint32_t spi,
    uint16_t encap, struct ike_sa_store *st, uint16_t *group)
{
	const struct oakley_p2_proposal *p;
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *h;
	struct isakmp_attr_spec *a;
	unsigned i;
	size_t n, nx = 0;
	bool have_group = false;

	memset(st, 0, sizeof(*st));
	*group = 0;
	for (i = 0; i < prof->n_phase2 && i < OAKLEY_PROFILE_PROPOSALS;
	    i++) {
		p = &prof->phase2[i];
		if (!group_usable(p->pfs_group, true))
			continue;
		if (ike_esp_algs(p->cipher, p->keylen, p->auth, &c, &h) ==
		    -1) {
			log_warn("phase 2 proposal %u: ESP transform %u with "
			    "key length %u and auth %u cannot be installed: "
			    "not offered", i + 1, p->cipher, p->keylen,
			    p->auth);
			continue;
		}
		if (have_group && p->pfs_group != *group) {
			log_warn("phase 2 proposal %u has another PFS group "
			    "than the first: not offered", i + 1);
			continue;
		}
		have_group = true;
		*group = p->pfs_group;
		a = st->attrs[nx];
		n = 0;
		if (p->lifetime != 0) {
			attr_int(a, &n, IPSEC_ATTR_LIFE_TYPE,
			    ISAKMP_LIFE_SECONDS);
			attr_int(a, &n, IPSEC_ATTR_LIFE_DURATION, p->lifetime);
		}
		if (p->lifetime_kb != 0) {
			attr_int(a, &n, IPSEC_ATTR_LIFE_TYPE,
			    ISAKMP_LIFE_KILOBYTES);
			attr_int(a, &n, IPSEC_ATTR_LIFE_DURATION,
			    p->lifetime_kb);
		}
		if (p->pfs_group != 0)
			attr_int(a, &n, IPSEC_ATTR_GROUP_DESC, p->pfs_group);
		attr_int(a, &n, IPSEC_ATTR_ENCAP_MODE, encap);
		if (p->auth != 0)	/* none with AES-GCM */
			attr_int(a, &n, IPSEC_ATTR_AUTH_ALG, p->auth);
		if (p->keylen != 0)
			attr_int(a, &n, IPSEC_ATTR_KEY_LENGTH, p->keylen);
		st->xforms[nx].num = (uint8_t)(nx + 1);
		st->xforms[nx].id = (uint8_t)p->cipher;
		st->xforms[nx].attrs = a;
		st->xforms[nx].n_attrs = n;
		nx++;
	}
	if (nx == 0)
		return -1;
	ike_put32(st->spi, spi);
	st->prop.num = 1;
	st->prop.protocol = ISAKMP_PROTO_ESP;
	st->prop.spi = st->spi;
	st->prop.spi_size = 4;
	st->prop.transforms = st->xforms;
	st->prop.n_transforms = nx;
	st->sa.doi = ISAKMP_DOI_IPSEC;
	st->sa.situation = ISAKMP_SIT_IDENTITY_ONLY;
	st->sa.proposals = &st->prop;
	st->sa.n_proposals = 1;
	return 0;
}

static bool
encap_is_mode(uint16_t encap, uint8_t mode)
{
	if (mode == PFKEY_MODE_TUNNEL)
		return encap == ENCAP_TUNNEL;
	return encap == ENCAP_TRANSPORT;
}

/* An ESP transform's values; -1 if it carries what we cannot take. */
static int
p2_xf_values(const struct isakmp_transform *xf, ike_encap_fn *encap_fn,
    void *arg, struct ike_p2_alg *alg)
{
	const struct attr_slot slots[] = {
		{ IPSEC_ATTR_GROUP_DESC, &alg->group },
		{ IPSEC_ATTR_ENCAP_MODE, &alg->encap },
		{ IPSEC_ATTR_AUTH_ALG, &alg->auth },
		{ IPSEC_ATTR_KEY_LENGTH, &alg->keylen },
	};

	memset(alg, 0, sizeof(*alg));
	alg->cipher = xf->id;
	alg->encap = ENCAP_TRANSPORT;
	if (xf_attrs(xf, false, slots, sizeof(slots) / sizeof(slots[0])) ==
	    -1 || ike_xf_lifetimes(xf, false, &alg->life_s, &alg->life_kb) ==
	    -1)
		return -1;
	if (encap_fn != NULL && encap_fn(arg, &alg->encap) != 0)
		return -1;
	return 0;
}

static const struct oakley_p2_proposal *
p2_ours(const struct oakley_profile *prof, const struct ike_p2_alg *alg)
{
	const struct oakley_p2_proposal *p;
	const struct ike_cipher_alg *c;
	const struct ike_hash_alg *a;
	unsigned i;

	for (i = 0; i < prof->n_phase2 && i < OAKLEY_PROFILE_PROPOSALS;
	    i++) {
		p = &prof->phase2[i];
		if (p->cipher == alg->cipher && p->keylen == alg->keylen &&
		    p->auth == alg->auth && p->pfs_group == alg->group &&
		    ike_esp_algs(alg->cipher, alg->keylen, alg->auth, &c,
		    &a) == 0)
			return p;
	}
	return NULL;
}

/* Proposals sharing a number form one bundle (AH+ESP...): ESP alone only. */
static bool
proposal_alone(const struct isakmp_sa *sa, unsigned i)
{
	uint8_t num = sa->proposals[i].num;

	return (i == 0 || sa->proposals[i - 1].num != num) &&
	    (i + 1 == sa->n_proposals || sa->proposals[i + 1].num != num);
}

static int
p2_take(const struct oakley_profile *prof, const struct isakmp_proposal *prop,
    const struct isakmp_transform *xf, uint8_t mode, ike_encap_fn *encap_fn,
    void *arg, struct ike_p2_choice *out)
{
	const struct oakley_p2_proposal *ours;
	struct ike_p2_alg alg;

	if (p2_xf_values(xf, encap_fn, arg, &alg) == -1 ||
	    !encap_is_mode(alg.encap, mode) ||
	    !group_usable(alg.group, true) ||
	    (ours = p2_ours(prof, &alg)) == NULL)
		return -1;
	out->prop = prop;
	out->xf = xf;
	out->alg = alg;
	out->our_life_s = ours->lifetime;
	out->our_life_kb = ours->lifetime_kb;
	return 0;
}

int
ike_p2_choose(const struct oakley_profile *prof, const struct isakmp_sa *sa,
    uint8_t mode, ike_encap_fn *encap_fn, void *arg,
    struct ike_p2_choice *out)
{
	const struct isakmp_proposal *prop;
	unsigned i, j;

	for (i = 0; i < sa->n_proposals; i++) {
		prop = &sa->proposals[i];
		if (prop->protocol != ISAKMP_PROTO_ESP ||
		    prop->spi_size != 4 || !proposal_alone(sa, i))
			continue;
		for (j = 0; j < prop->n_transforms; j++)
			if (p2_take(prof, prop, &prop->transforms[j], mode,
			    encap_fn, arg, out) == 0)
				return 0;
	}
	return ISAKMP_N_NO_PROPOSAL_CHOSEN;
}

int
ike_p2_accept(const struct oakley_profile *prof, const struct isakmp_sa *sa,
    uint32_t our_spi, uint8_t mode, ike_encap_fn *encap_fn, void *arg,
    struct ike_p2_choice *out)
{
	const struct isakmp_proposal *prop;
	bool secs, kb;

	(void)our_spi;
	if (sa->n_proposals != 1)
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	prop = &sa->proposals[0];
	if (prop->protocol != ISAKMP_PROTO_ESP || prop->spi_size != 4 ||
	    prop->n_transforms != 1)
		return ISAKMP_N_BAD_PROPOSAL_SYNTAX;
	if (p2_take(prof, prop, &prop->transforms[0], mode, encap_fn, arg,
	    out) == -1)
		return ISAKMP_N_NO_PROPOSAL_CHOSEN;
	/* Never longer than we offered, whatever the responder says. */
	ike_p2_lifetimes(out, &out->alg, &secs, &kb);
	return 0;
}

/* ---- Answers ---- */

int
ike_add_chosen_sa(struct isakmp_builder *b, const struct isakmp_proposal *prop,
    const struct isakmp_transform *xf, const uint8_t *spi, size_t spi_size)
{
	struct isakmp_attr_spec attrs[ISAKMP_MAX_XFORM_ATTRS];
	struct isakmp_transform_spec xs;
	struct isakmp_proposal_spec ps;
	struct isakmp_sa_spec ss;

	if (isakmp_transform_to_spec(xf, attrs, ISAKMP_MAX_XFORM_ATTRS,
	    &xs) == -1)
		return -1;
	memset(&ps, 0, sizeof(ps));
	ps.num = prop->num;
	ps.protocol = prop->protocol;
	ps.spi = spi;
	ps.spi_size = spi_size;
	ps.transforms = &xs;
	ps.n_transforms = 1;
	memset(&ss, 0, sizeof(ss));
	ss.doi = ISAKMP_DOI_IPSEC;
	ss.situation = ISAKMP_SIT_IDENTITY_ONLY;
	ss.proposals = &ps;
	ss.n_proposals = 1;
	return isakmp_add_sa(b, &ss);
}
