/*
 * PF_KEY v2 extension bodies: decode one extension into struct pfkey_msg
 * and encode it back, for every extension but the addresses
 * (pfkey_sockaddr.c) and the policy (pfkey_policy.c).
 *
 * The caller (pfkey.c) has already checked that the extension lies inside
 * the message and is at least pfkey_ext_fixed_len() bytes long; everything
 * variable (key bits, identity string, opaque bodies, proposal
 * combinations, supported algorithms) is checked here before it is read.
 * Reasons are given without the "extension N (name): " prefix, which the
 * caller adds.
 */
#include <errno.h>

#include "pfkey_wire.h"

#define SADB_COMB_LEN		72	/* sizeof(struct sadb_comb) */
#define SADB_ALG_LEN		8	/* sizeof(struct sadb_alg) */
#define SADB_SENS_LEN		16	/* sizeof(struct sadb_sens) */
#define SADB_KMPRIVATE_LEN	8	/* sizeof(struct sadb_x_kmprivate) */
#define OPAQUE_HDRLEN		4	/* sadb_ext before an opaque body */

/* Fixed (minimum) size in bytes of each extension, by internal id. */
static const uint8_t ext_fixed_len[PFKEY_EXT_MAX + 1] = {
	[PFKEY_EXT_SA] = 16,
	[PFKEY_EXT_LIFETIME_CURRENT] = 32,
	[PFKEY_EXT_LIFETIME_HARD] = 32,
	[PFKEY_EXT_LIFETIME_SOFT] = 32,
	[PFKEY_EXT_ADDRESS_SRC] = 8,
	[PFKEY_EXT_ADDRESS_DST] = 8,
	[PFKEY_EXT_ADDRESS_PROXY] = 8,
	[PFKEY_EXT_KEY_AUTH] = 8,
	[PFKEY_EXT_KEY_ENCRYPT] = 8,
	[PFKEY_EXT_IDENTITY_SRC] = 16,
	[PFKEY_EXT_IDENTITY_DST] = 16,
	[PFKEY_EXT_SENSITIVITY] = SADB_SENS_LEN,
	[PFKEY_EXT_PROPOSAL] = 8,
	[PFKEY_EXT_SUPPORTED_AUTH] = 8,
	[PFKEY_EXT_SUPPORTED_ENCRYPT] = 8,
	[PFKEY_EXT_SPIRANGE] = 16,
	[PFKEY_EXT_X_KMPRIVATE] = SADB_KMPRIVATE_LEN,
	[PFKEY_EXT_X_POLICY] = 16,
	[PFKEY_EXT_X_SA2] = 16,
	[PFKEY_EXT_X_NAT_T_TYPE] = 8,
	[PFKEY_EXT_X_NAT_T_SPORT] = 8,
	[PFKEY_EXT_X_NAT_T_DPORT] = 8,
	[PFKEY_EXT_X_NAT_T_OAI] = 8,
	[PFKEY_EXT_X_NAT_T_OAR] = 8,
	[PFKEY_EXT_X_NAT_T_FRAG] = 8,
	[PFKEY_EXT_X_SA_REPLAY] = 8,
	[PFKEY_EXT_X_NEW_ADDRESS_SRC] = 8,
	[PFKEY_EXT_X_NEW_ADDRESS_DST] = 8,
};

size_t
pfkey_ext_fixed_len(unsigned ext)
{
	if (ext == 0 || ext > PFKEY_EXT_MAX)
		return 0;
	return ext_fixed_len[ext];
}

static void
decode_sa(struct pfkey_sa *sa, const uint8_t *p)
{
	sa->spi = wire_get_be32(p + 4);
	sa->replay = p[8];
	sa->state = p[9];
	sa->auth = p[10];
	sa->encrypt = p[11];
	sa->flags = wire_get32(p + 12);
}

static int
encode_sa(const struct pfkey_sa *sa, unsigned wire, struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if ((p = pfkey_w_ext_begin(w, wire, 16, &start)) == NULL)
		return ENOBUFS;
	wire_put_be32(p + 4, sa->spi);
	p[8] = sa->replay;
	p[9] = sa->state;
	p[10] = sa->auth;
	p[11] = sa->encrypt;
	wire_put32(p + 12, sa->flags);
	return pfkey_w_ext_end(w, start);
}

static void
decode_lifetime(struct pfkey_lifetime *lt, const uint8_t *p)
{
	lt->allocations = wire_get32(p + 4);
	lt->bytes = wire_get64(p + 8);
	lt->addtime = wire_get64(p + 16);
	lt->usetime = wire_get64(p + 24);
}

static int
encode_lifetime(const struct pfkey_lifetime *lt, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if ((p = pfkey_w_ext_begin(w, wire, 32, &start)) == NULL)
		return ENOBUFS;
	wire_put32(p + 4, lt->allocations);
	wire_put64(p + 8, lt->bytes);
	wire_put64(p + 16, lt->addtime);
	wire_put64(p + 24, lt->usetime);
	return pfkey_w_ext_end(w, start);
}

static int
decode_key(struct pfkey_key *key, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	unsigned bits = wire_get16(p + 4);
	size_t nbytes = (bits + 7) / 8;

	if (nbytes > len - 8)
		return pfkey_fail(err, EINVAL, "key bits %u exceed the "
		    "extension's %zu bytes of key", bits, len - 8);
	if (nbytes > PFKEY_KEY_MAX)
		return pfkey_fail(err, EMSGSIZE, "key of %u bits longer than "
		    "%d", bits, PFKEY_KEY_MAX * 8);
	key->bits = (uint16_t)bits;
	memcpy(key->data, p + 8, nbytes);
	return 0;
}

static int
encode_key(const struct pfkey_key *key, unsigned wire, struct pfkey_writer *w)
{
	size_t nbytes = ((size_t)key->bits + 7) / 8, start;
	uint8_t *p;

	if (nbytes > PFKEY_KEY_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "key of %u bits longer "
		    "than %d", key->bits, PFKEY_KEY_MAX * 8);
	if ((p = pfkey_w_ext_begin(w, wire, 8, &start)) == NULL)
		return ENOBUFS;
	wire_put16(p + 4, key->bits);
	if ((p = pfkey_w_reserve(w, nbytes)) == NULL)
		return ENOBUFS;
	memcpy(p, key->data, nbytes);
	return pfkey_w_ext_end(w, start);
}

/* The string after sadb_ident ends at its first NUL or the extension. */
static int
decode_ident(struct pfkey_ident *id, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	size_t slen = strnlen((const char *)p + 16, len - 16);

	if (slen >= PFKEY_IDENT_MAX)
		return pfkey_fail(err, EMSGSIZE, "identity of %zu bytes longer "
		    "than %d", slen, PFKEY_IDENT_MAX - 1);
	id->type = wire_get16(p + 4);
	id->id = wire_get64(p + 8);
	id->len = (uint16_t)slen;
	memcpy(id->data, p + 16, slen);
	id->data[slen] = '\0';
	return 0;
}

static int
encode_ident(const struct pfkey_ident *id, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if (id->len >= PFKEY_IDENT_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "identity of %u bytes "
		    "longer than %d", id->len, PFKEY_IDENT_MAX - 1);
	if (memchr(id->data, '\0', id->len) != NULL)
		return pfkey_fail(w->err, EINVAL, "identity contains a NUL");
	if ((p = pfkey_w_ext_begin(w, wire, 16, &start)) == NULL)
		return ENOBUFS;
	wire_put16(p + 4, id->type);
	wire_put64(p + 8, id->id);
	if (id->len > 0) {
		/* The string is NUL-terminated on the wire. */
		if ((p = pfkey_w_reserve(w, (size_t)id->len + 1)) == NULL)
			return ENOBUFS;
		memcpy(p, id->data, id->len);
	}
	return pfkey_w_ext_end(w, start);
}

/*
 * Sensitivity and KMPRIVATE: everything after the 4-byte extension header
 * is kept as is.  Encode pads the body to the extension's fixed size and
 * to 8 bytes, so a decoded len always includes that padding.
 */
static int
decode_opaque(struct pfkey_opaque *o, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	size_t body = len - OPAQUE_HDRLEN;

	if (body > PFKEY_OPAQUE_MAX)
		return pfkey_fail(err, EMSGSIZE, "body of %zu bytes longer "
		    "than %d", body, PFKEY_OPAQUE_MAX);
	o->len = (uint16_t)body;
	memcpy(o->data, p + OPAQUE_HDRLEN, body);
	return 0;
}

static int
encode_opaque(const struct pfkey_opaque *o, unsigned wire, size_t fixed,
    struct pfkey_writer *w)
{
	size_t total = wire_align8((size_t)o->len + OPAQUE_HDRLEN), start;
	uint8_t *p;

	if (o->len > PFKEY_OPAQUE_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "body of %u bytes longer "
		    "than %d", o->len, PFKEY_OPAQUE_MAX);
	if (total < fixed)
		total = fixed;
	if (total - OPAQUE_HDRLEN > PFKEY_OPAQUE_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "body of %u bytes, padded "
		    "to %zu, longer than %d", o->len, total - OPAQUE_HDRLEN,
		    PFKEY_OPAQUE_MAX);
	if ((p = pfkey_w_ext_begin(w, wire, total, &start)) == NULL)
		return ENOBUFS;
	memcpy(p + OPAQUE_HDRLEN, o->data, o->len);
	return pfkey_w_ext_end(w, start);
}

static void
decode_comb(struct pfkey_comb *c, const uint8_t *p)
{
	c->auth = p[0];
	c->encrypt = p[1];
	c->flags = wire_get16(p + 2);
	c->auth_minbits = wire_get16(p + 4);
	c->auth_maxbits = wire_get16(p + 6);
	c->encrypt_minbits = wire_get16(p + 8);
	c->encrypt_maxbits = wire_get16(p + 10);
	c->soft_allocations = wire_get32(p + 16);
	c->hard_allocations = wire_get32(p + 20);
	c->soft_bytes = wire_get64(p + 24);
	c->hard_bytes = wire_get64(p + 32);
	c->soft_addtime = wire_get64(p + 40);
	c->hard_addtime = wire_get64(p + 48);
	c->soft_usetime = wire_get64(p + 56);
	c->hard_usetime = wire_get64(p + 64);
}

static void
encode_comb(const struct pfkey_comb *c, uint8_t *p)
{
	p[0] = c->auth;
	p[1] = c->encrypt;
	wire_put16(p + 2, c->flags);
	wire_put16(p + 4, c->auth_minbits);
	wire_put16(p + 6, c->auth_maxbits);
	wire_put16(p + 8, c->encrypt_minbits);
	wire_put16(p + 10, c->encrypt_maxbits);
	wire_put32(p + 16, c->soft_allocations);
	wire_put32(p + 20, c->hard_allocations);
	wire_put64(p + 24, c->soft_bytes);
	wire_put64(p + 32, c->hard_bytes);
	wire_put64(p + 40, c->soft_addtime);
	wire_put64(p + 48, c->hard_addtime);
	wire_put64(p + 56, c->soft_usetime);
	wire_put64(p + 64, c->hard_usetime);
}

static int
decode_proposal(struct pfkey_proposal *prop, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	size_t body = len - 8, n, i;

	if (body % SADB_COMB_LEN != 0)
		return pfkey_fail(err, EINVAL, "%zu bytes of combinations is "
		    "not a multiple of %d", body, SADB_COMB_LEN);
	n = body / SADB_COMB_LEN;
	if (n > PFKEY_COMB_MAX)
		return pfkey_fail(err, EMSGSIZE, "%zu combinations, more than "
		    "%d", n, PFKEY_COMB_MAX);
	prop->replay = p[4];
	prop->ncomb = (unsigned)n;
	for (i = 0; i < n; i++)
		decode_comb(&prop->comb[i], p + 8 + i * SADB_COMB_LEN);
	return 0;
}

static int
encode_proposal(const struct pfkey_proposal *prop, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start, i;
	uint8_t *p;

	if (prop->ncomb > PFKEY_COMB_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "%u combinations, more "
		    "than %d", prop->ncomb, PFKEY_COMB_MAX);
	if ((p = pfkey_w_ext_begin(w, wire, 8, &start)) == NULL)
		return ENOBUFS;
	p[4] = prop->replay;
	for (i = 0; i < prop->ncomb; i++) {
		if ((p = pfkey_w_reserve(w, SADB_COMB_LEN)) == NULL)
			return ENOBUFS;
		encode_comb(&prop->comb[i], p);
	}
	return pfkey_w_ext_end(w, start);
}

static int
decode_supported(struct pfkey_supported *sup, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	size_t n = (len - 8) / SADB_ALG_LEN, i;
	const uint8_t *a;

	if (n > PFKEY_ALG_MAX)
		return pfkey_fail(err, EMSGSIZE, "%zu algorithms, more than %d",
		    n, PFKEY_ALG_MAX);
	sup->count = (unsigned)n;
	for (i = 0; i < n; i++) {
		a = p + 8 + i * SADB_ALG_LEN;
		sup->alg[i].id = a[0];
		sup->alg[i].ivlen = a[1];
		sup->alg[i].minbits = wire_get16(a + 2);
		sup->alg[i].maxbits = wire_get16(a + 4);
	}
	return 0;
}

static int
encode_supported(const struct pfkey_supported *sup, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start, i;
	uint8_t *p;

	if (sup->count > PFKEY_ALG_MAX)
		return pfkey_fail(w->err, EMSGSIZE, "%u algorithms, more than "
		    "%d", sup->count, PFKEY_ALG_MAX);
	if (pfkey_w_ext_begin(w, wire, 8, &start) == NULL)
		return ENOBUFS;
	for (i = 0; i < sup->count; i++) {
		if ((p = pfkey_w_reserve(w, SADB_ALG_LEN)) == NULL)
			return ENOBUFS;
		p[0] = sup->alg[i].id;
		p[1] = sup->alg[i].ivlen;
		wire_put16(p + 2, sup->alg[i].minbits);
		wire_put16(p + 4, sup->alg[i].maxbits);
	}
	return pfkey_w_ext_end(w, start);
}

static int
encode_spirange(const struct pfkey_spirange *r, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if ((p = pfkey_w_ext_begin(w, wire, 16, &start)) == NULL)
		return ENOBUFS;
	wire_put32(p + 4, r->min);
	wire_put32(p + 8, r->max);
	return pfkey_w_ext_end(w, start);
}

static void
decode_sa2(struct pfkey_sa2 *sa2, const uint8_t *p)
{
	sa2->mode = p[4];
	sa2->sequence = wire_get32(p + 8);
	sa2->reqid = wire_get32(p + 12);
}

static int
encode_sa2(const struct pfkey_sa2 *sa2, unsigned wire, struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if ((p = pfkey_w_ext_begin(w, wire, 16, &start)) == NULL)
		return ENOBUFS;
	p[4] = sa2->mode;
	wire_put32(p + 8, sa2->sequence);
	wire_put32(p + 12, sa2->reqid);
	return pfkey_w_ext_end(w, start);
}

/* NAT-T type and ports are exactly one word (sadb_x_nat_t_type/_port). */
static int
check_one_word(size_t len, struct pfkey_error *err)
{
	if (len != 8)
		return pfkey_fail(err, EINVAL, "length %zu words, must be 1",
		    len / PFKEY_ALIGN);
	return 0;
}

/* One-word extensions carrying a single small value at offset 4. */
enum small_kind {
	SMALL_U8,
	SMALL_BE16,
	SMALL_U16,
	SMALL_U32
};

static uint32_t
decode_small(const uint8_t *p, enum small_kind kind)
{
	switch (kind) {
	case SMALL_U8:
		return p[4];
	case SMALL_BE16:
		return wire_get_be16(p + 4);
	case SMALL_U16:
		return wire_get16(p + 4);
	case SMALL_U32:
		return wire_get32(p + 4);
	}
	return 0;
}

static int
encode_small(uint32_t v, enum small_kind kind, unsigned wire,
    struct pfkey_writer *w)
{
	size_t start;
	uint8_t *p;

	if ((p = pfkey_w_ext_begin(w, wire, 8, &start)) == NULL)
		return ENOBUFS;
	switch (kind) {
	case SMALL_U8:
		p[4] = (uint8_t)v;
		break;
	case SMALL_BE16:
		wire_put_be16(p + 4, (uint16_t)v);
		break;
	case SMALL_U16:
		wire_put16(p + 4, (uint16_t)v);
		break;
	case SMALL_U32:
		wire_put32(p + 4, v);
		break;
	}
	return pfkey_w_ext_end(w, start);
}

static int
decode_natt(struct pfkey_msg *m, unsigned ext, const uint8_t *p, size_t len,
    struct pfkey_error *err)
{
	int rc;

	if ((rc = check_one_word(len, err)) != 0)
		return rc;
	if (ext == PFKEY_EXT_X_NAT_T_TYPE)
		m->natt_type = (uint8_t)decode_small(p, SMALL_U8);
	else if (ext == PFKEY_EXT_X_NAT_T_SPORT)
		m->natt_sport = (uint16_t)decode_small(p, SMALL_BE16);
	else
		m->natt_dport = (uint16_t)decode_small(p, SMALL_BE16);
	return 0;
}

int
pfkey_ext_decode(struct pfkey_msg *m, unsigned ext, const uint8_t *p,
    size_t len, const struct pfkey_dialect *d, struct pfkey_error *err)
{
	switch (ext) {
	case PFKEY_EXT_SA:
		decode_sa(&m->sa, p);
		return 0;
	case PFKEY_EXT_LIFETIME_CURRENT:
		decode_lifetime(&m->life_current, p);
		return 0;
	case PFKEY_EXT_LIFETIME_HARD:
		decode_lifetime(&m->life_hard, p);
		return 0;
	case PFKEY_EXT_LIFETIME_SOFT:
		decode_lifetime(&m->life_soft, p);
		return 0;
	case PFKEY_EXT_ADDRESS_SRC:
	case PFKEY_EXT_ADDRESS_DST:
	case PFKEY_EXT_ADDRESS_PROXY:
	case PFKEY_EXT_X_NAT_T_OAI:
	case PFKEY_EXT_X_NAT_T_OAR:
	case PFKEY_EXT_X_NEW_ADDRESS_SRC:
	case PFKEY_EXT_X_NEW_ADDRESS_DST:
		return pfkey_address_decode(pfkey_msg_addr(m, ext), p, len, d,
		    err);
	case PFKEY_EXT_KEY_AUTH:
		return decode_key(&m->key_auth, p, len, err);
	case PFKEY_EXT_KEY_ENCRYPT:
		return decode_key(&m->key_encrypt, p, len, err);
	case PFKEY_EXT_IDENTITY_SRC:
		return decode_ident(&m->ident_src, p, len, err);
	case PFKEY_EXT_IDENTITY_DST:
		return decode_ident(&m->ident_dst, p, len, err);
	case PFKEY_EXT_SENSITIVITY:
		return decode_opaque(&m->sensitivity, p, len, err);
	case PFKEY_EXT_X_KMPRIVATE:
		return decode_opaque(&m->kmprivate, p, len, err);
	case PFKEY_EXT_PROPOSAL:
		return decode_proposal(&m->proposal, p, len, err);
	case PFKEY_EXT_SUPPORTED_AUTH:
		return decode_supported(&m->supported_auth, p, len, err);
	case PFKEY_EXT_SUPPORTED_ENCRYPT:
		return decode_supported(&m->supported_encrypt, p, len, err);
	case PFKEY_EXT_SPIRANGE:
		m->spirange.min = wire_get32(p + 4);
		m->spirange.max = wire_get32(p + 8);
		return 0;
	case PFKEY_EXT_X_POLICY:
		return pfkey_policy_decode(&m->policy, p, len, d, err);
	case PFKEY_EXT_X_SA2:
		decode_sa2(&m->sa2, p);
		return 0;
	case PFKEY_EXT_X_NAT_T_TYPE:
	case PFKEY_EXT_X_NAT_T_SPORT:
	case PFKEY_EXT_X_NAT_T_DPORT:
		return decode_natt(m, ext, p, len, err);
	case PFKEY_EXT_X_NAT_T_FRAG:
		m->natt_frag = (uint16_t)decode_small(p, SMALL_U16);
		return 0;
	case PFKEY_EXT_X_SA_REPLAY:
		m->sa_replay = decode_small(p, SMALL_U32);
		return 0;
	}
	return pfkey_fail(err, EINVAL, "no decoder");
}

int
pfkey_ext_encode(const struct pfkey_msg *m, unsigned ext, unsigned wire,
    struct pfkey_writer *w, const struct pfkey_dialect *d)
{
	switch (ext) {
	case PFKEY_EXT_SA:
		return encode_sa(&m->sa, wire, w);
	case PFKEY_EXT_LIFETIME_CURRENT:
		return encode_lifetime(&m->life_current, wire, w);
	case PFKEY_EXT_LIFETIME_HARD:
		return encode_lifetime(&m->life_hard, wire, w);
	case PFKEY_EXT_LIFETIME_SOFT:
		return encode_lifetime(&m->life_soft, wire, w);
	case PFKEY_EXT_ADDRESS_SRC:
	case PFKEY_EXT_ADDRESS_DST:
	case PFKEY_EXT_ADDRESS_PROXY:
	case PFKEY_EXT_X_NAT_T_OAI:
	case PFKEY_EXT_X_NAT_T_OAR:
	case PFKEY_EXT_X_NEW_ADDRESS_SRC:
	case PFKEY_EXT_X_NEW_ADDRESS_DST:
		return pfkey_address_encode(pfkey_msg_addr_const(m, ext), wire,
		    w, d);
	case PFKEY_EXT_KEY_AUTH:
		return encode_key(&m->key_auth, wire, w);
	case PFKEY_EXT_KEY_ENCRYPT:
		return encode_key(&m->key_encrypt, wire, w);
	case PFKEY_EXT_IDENTITY_SRC:
		return encode_ident(&m->ident_src, wire, w);
	case PFKEY_EXT_IDENTITY_DST:
		return encode_ident(&m->ident_dst, wire, w);
	case PFKEY_EXT_SENSITIVITY:
		return encode_opaque(&m->sensitivity, wire, SADB_SENS_LEN, w);
	case PFKEY_EXT_X_KMPRIVATE:
		return encode_opaque(&m->kmprivate, wire, SADB_KMPRIVATE_LEN,
		    w);
	case PFKEY_EXT_PROPOSAL:
		return encode_proposal(&m->proposal, wire, w);
	case PFKEY_EXT_SUPPORTED_AUTH:
		return encode_supported(&m->supported_auth, wire, w);
	case PFKEY_EXT_SUPPORTED_ENCRYPT:
		return encode_supported(&m->supported_encrypt, wire, w);
	case PFKEY_EXT_SPIRANGE:
		return encode_spirange(&m->spirange, wire, w);
	case PFKEY_EXT_X_POLICY:
		return pfkey_policy_encode(&m->policy, wire, w, d);
	case PFKEY_EXT_X_SA2:
		return encode_sa2(&m->sa2, wire, w);
	case PFKEY_EXT_X_NAT_T_TYPE:
		return encode_small(m->natt_type, SMALL_U8, wire, w);
	case PFKEY_EXT_X_NAT_T_SPORT:
		return encode_small(m->natt_sport, SMALL_BE16, wire, w);
	case PFKEY_EXT_X_NAT_T_DPORT:
		return encode_small(m->natt_dport, SMALL_BE16, wire, w);
	case PFKEY_EXT_X_NAT_T_FRAG:
		return encode_small(m->natt_frag, SMALL_U16, wire, w);
	case PFKEY_EXT_X_SA_REPLAY:
		return encode_small(m->sa_replay, SMALL_U32, wire, w);
	}
	return pfkey_fail(w->err, EINVAL, "no encoder");
}
