/*
 * libpfkey codec round trips: for every message type, a representative
 * message is encoded in both dialects (freebsd, linux), decoded, compared
 * field by field with what was built, encoded again and compared byte for
 * byte with the first encoding.  Encoded lengths are checked exactly.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <string.h>

#include <atf-c.h>

#include "pfkey.h"
#include "testutil.h"

typedef void build_fn(struct pfkey_msg *, const struct pfkey_dialect *);

static bool
is_freebsd(const struct pfkey_dialect *d)
{
	return d == &pfkey_dialect_freebsd;
}

static void
put_addr(struct pfkey_msg *m, struct pfkey_addr *a, unsigned ext,
    const char *text, uint8_t proto)
{
	ATF_REQUIRE_EQ_MSG(pfkey_addr_parse(a, text), 0, "parse %s", text);
	a->proto = proto;
	PFKEY_SET(m, ext);
}

static void
put_sa(struct pfkey_msg *m, uint32_t spi, uint8_t state)
{
	m->sa.spi = spi;
	m->sa.replay = 32;
	m->sa.state = state;
	m->sa.auth = PFKEY_AALG_SHA1HMAC;
	m->sa.encrypt = PFKEY_EALG_AESCBC;
	m->sa.flags = PFKEY_SAFLAGS_PFS;
	PFKEY_SET(m, PFKEY_EXT_SA);
}

static void
put_sa2(struct pfkey_msg *m, uint8_t mode, uint32_t seq, uint32_t reqid)
{
	m->sa2.mode = mode;
	m->sa2.sequence = seq;
	m->sa2.reqid = reqid;
	PFKEY_SET(m, PFKEY_EXT_X_SA2);
}

static void
put_key(struct pfkey_msg *m, struct pfkey_key *k, unsigned ext,
    uint16_t bits, uint8_t first)
{
	unsigned i;

	k->bits = bits;
	for (i = 0; i < (bits + 7u) / 8; i++)
		k->data[i] = (uint8_t)(first + i);
	PFKEY_SET(m, ext);
}

static void
put_lifetime(struct pfkey_msg *m, struct pfkey_lifetime *lt, unsigned ext,
    uint32_t alloc, uint64_t bytes, uint64_t add, uint64_t use)
{
	lt->allocations = alloc;
	lt->bytes = bytes;
	lt->addtime = add;
	lt->usetime = use;
	PFKEY_SET(m, ext);
}

static void
put_ident(struct pfkey_msg *m, struct pfkey_ident *id, unsigned ext,
    uint16_t type, const char *text)
{
	id->type = type;
	id->id = 0x0102030405060708ULL;
	id->len = (uint16_t)strlen(text);
	memcpy(id->data, text, id->len);
	PFKEY_SET(m, ext);
}

/* NAT-T: type and ports everywhere, OAI everywhere, OAR/FRAG on FreeBSD. */
static void
put_natt(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	m->natt_type = PFKEY_NAT_T_ESPINUDP;
	m->natt_sport = 4500;
	m->natt_dport = 4501;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_TYPE);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_SPORT);
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_DPORT);
	put_addr(m, &m->natt_oai, PFKEY_EXT_X_NAT_T_OAI, "192.0.2.10", 0);
	if (!is_freebsd(d))
		return;
	put_addr(m, &m->natt_oar, PFKEY_EXT_X_NAT_T_OAR, "192.0.2.20", 0);
	m->natt_frag = 1400;
	PFKEY_SET(m, PFKEY_EXT_X_NAT_T_FRAG);
}

static void
put_policy(struct pfkey_msg *m, const struct pfkey_dialect *d, uint16_t type,
    uint8_t dir, uint32_t id)
{
	m->policy.type = type;
	m->policy.dir = dir;
	m->policy.id = id;
	m->policy.priority = 0x80000000u;
	m->policy.scope = is_freebsd(d) ? PFKEY_SCOPE_GLOBAL : 0;
	PFKEY_SET(m, PFKEY_EXT_X_POLICY);
}

static void
add_request(struct pfkey_msg *m, uint16_t proto, uint8_t mode,
    uint32_t reqid, const char *src, const char *dst)
{
	struct pfkey_ipsecrequest *r = &m->policy.req[m->policy.nreq++];

	r->proto = proto;
	r->mode = mode;
	r->level = PFKEY_LEVEL_REQUIRE;
	r->reqid = reqid;
	if (src == NULL)
		return;
	r->has_endpoints = true;
	ATF_REQUIRE(pfkey_addr_parse(&r->src, src) == 0);
	ATF_REQUIRE(pfkey_addr_parse(&r->dst, dst) == 0);
}

static void
put_proposal(struct pfkey_msg *m, unsigned n)
{
	struct pfkey_comb *c;
	unsigned i;

	m->proposal.replay = 64;
	m->proposal.ncomb = n;
	for (i = 0; i < n; i++) {
		c = &m->proposal.comb[i];
		c->auth = PFKEY_AALG_SHA2_256;
		c->encrypt = PFKEY_EALG_AESCBC;
		c->flags = (uint16_t)i;
		c->auth_minbits = 256;
		c->auth_maxbits = 256;
		c->encrypt_minbits = 128;
		c->encrypt_maxbits = 256;
		c->soft_allocations = 10 + i;
		c->hard_allocations = 20 + i;
		c->soft_bytes = 1000000ULL * (i + 1);
		c->hard_bytes = 2000000ULL * (i + 1);
		c->soft_addtime = 2880;
		c->hard_addtime = 3600;
		c->soft_usetime = 1440;
		c->hard_usetime = 1800;
	}
	PFKEY_SET(m, PFKEY_EXT_PROPOSAL);
}

static void
put_supported(struct pfkey_msg *m, struct pfkey_supported *s, unsigned ext,
    const uint8_t *ids, unsigned n)
{
	unsigned i;

	s->count = n;
	for (i = 0; i < n; i++) {
		s->alg[i].id = ids[i];
		s->alg[i].ivlen = (uint8_t)(i * 8);
		s->alg[i].minbits = (uint16_t)(64 * (i + 1));
		s->alg[i].maxbits = (uint16_t)(128 * (i + 1));
	}
	PFKEY_SET(m, ext);
}

/* ---- field-by-field comparison ---- */

static void
eq(const char *what, unsigned long long a, unsigned long long b)
{
	ATF_CHECK_MSG(a == b, "%s: built %llu, decoded %llu", what, a, b);
}

static void
eq_bytes(const char *what, const void *a, const void *b, size_t n)
{
	ATF_CHECK_MSG(memcmp(a, b, n) == 0, "%s: bytes differ", what);
}

static void
eq_addr(const char *what, const struct pfkey_addr *a,
    const struct pfkey_addr *b)
{
	eq(what, a->family, b->family);
	eq(what, a->prefixlen, b->prefixlen);
	eq(what, a->proto, b->proto);
	eq(what, a->port, b->port);
	eq(what, a->scope_id, b->scope_id);
	eq_bytes(what, a->addr, b->addr, sizeof(a->addr));
	eq(what, (unsigned long long)pfkey_addr_cmp(a, b), 0);
}

static void
eq_lifetime(const char *what, const struct pfkey_lifetime *a,
    const struct pfkey_lifetime *b)
{
	eq(what, a->allocations, b->allocations);
	eq(what, a->bytes, b->bytes);
	eq(what, a->addtime, b->addtime);
	eq(what, a->usetime, b->usetime);
}

static void
eq_key(const char *what, const struct pfkey_key *a, const struct pfkey_key *b)
{
	eq(what, a->bits, b->bits);
	eq_bytes(what, a->data, b->data, sizeof(a->data));
}

static void
eq_ident(const char *what, const struct pfkey_ident *a,
    const struct pfkey_ident *b)
{
	eq(what, a->type, b->type);
	eq(what, a->id, b->id);
	eq(what, a->len, b->len);
	eq_bytes(what, a->data, b->data, sizeof(a->data));
}

static void
eq_opaque(const char *what, const struct pfkey_opaque *a,
    const struct pfkey_opaque *b)
{
	eq(what, a->len, b->len);
	eq_bytes(what, a->data, b->data, sizeof(a->data));
}

static void
eq_comb(const struct pfkey_comb *a, const struct pfkey_comb *b)
{
	eq("comb auth", a->auth, b->auth);
	eq("comb encrypt", a->encrypt, b->encrypt);
	eq("comb flags", a->flags, b->flags);
	eq("comb auth_minbits", a->auth_minbits, b->auth_minbits);
	eq("comb auth_maxbits", a->auth_maxbits, b->auth_maxbits);
	eq("comb encrypt_minbits", a->encrypt_minbits, b->encrypt_minbits);
	eq("comb encrypt_maxbits", a->encrypt_maxbits, b->encrypt_maxbits);
	eq("comb soft_allocations", a->soft_allocations, b->soft_allocations);
	eq("comb hard_allocations", a->hard_allocations, b->hard_allocations);
	eq("comb soft_bytes", a->soft_bytes, b->soft_bytes);
	eq("comb hard_bytes", a->hard_bytes, b->hard_bytes);
	eq("comb soft_addtime", a->soft_addtime, b->soft_addtime);
	eq("comb hard_addtime", a->hard_addtime, b->hard_addtime);
	eq("comb soft_usetime", a->soft_usetime, b->soft_usetime);
	eq("comb hard_usetime", a->hard_usetime, b->hard_usetime);
}

static void
eq_supported(const char *what, const struct pfkey_supported *a,
    const struct pfkey_supported *b)
{
	unsigned i;

	eq(what, a->count, b->count);
	for (i = 0; i < PFKEY_ALG_MAX; i++) {
		eq(what, a->alg[i].id, b->alg[i].id);
		eq(what, a->alg[i].ivlen, b->alg[i].ivlen);
		eq(what, a->alg[i].minbits, b->alg[i].minbits);
		eq(what, a->alg[i].maxbits, b->alg[i].maxbits);
	}
}

static void
eq_policy(const struct pfkey_policy *a, const struct pfkey_policy *b)
{
	unsigned i;

	eq("policy type", a->type, b->type);
	eq("policy dir", a->dir, b->dir);
	eq("policy scope", a->scope, b->scope);
	eq("policy id", a->id, b->id);
	eq("policy priority", a->priority, b->priority);
	eq("policy nreq", a->nreq, b->nreq);
	for (i = 0; i < PFKEY_MAXREQ; i++) {
		eq("req proto", a->req[i].proto, b->req[i].proto);
		eq("req mode", a->req[i].mode, b->req[i].mode);
		eq("req level", a->req[i].level, b->req[i].level);
		eq("req reqid", a->req[i].reqid, b->req[i].reqid);
		eq("req has_endpoints", a->req[i].has_endpoints,
		    b->req[i].has_endpoints);
		eq_addr("req src", &a->req[i].src, &b->req[i].src);
		eq_addr("req dst", &a->req[i].dst, &b->req[i].dst);
	}
}

static void
eq_header(const struct pfkey_msg *a, const struct pfkey_msg *b)
{
	eq("version", a->version, b->version);
	eq("type", a->type, b->type);
	eq("errnum", a->errnum, b->errnum);
	eq("satype", a->satype, b->satype);
	eq("seq", a->seq, b->seq);
	eq("pid", a->pid, b->pid);
	eq("reserved", a->reserved, b->reserved);
	eq("present", a->present, b->present);
}

static void
eq_msg(const struct pfkey_msg *a, const struct pfkey_msg *b)
{
	unsigned i;

	eq_header(a, b);
	eq("sa spi", a->sa.spi, b->sa.spi);
	eq("sa replay", a->sa.replay, b->sa.replay);
	eq("sa state", a->sa.state, b->sa.state);
	eq("sa auth", a->sa.auth, b->sa.auth);
	eq("sa encrypt", a->sa.encrypt, b->sa.encrypt);
	eq("sa flags", a->sa.flags, b->sa.flags);
	eq_lifetime("life_current", &a->life_current, &b->life_current);
	eq_lifetime("life_hard", &a->life_hard, &b->life_hard);
	eq_lifetime("life_soft", &a->life_soft, &b->life_soft);
	eq_addr("addr_src", &a->addr_src, &b->addr_src);
	eq_addr("addr_dst", &a->addr_dst, &b->addr_dst);
	eq_addr("addr_proxy", &a->addr_proxy, &b->addr_proxy);
	eq_key("key_auth", &a->key_auth, &b->key_auth);
	eq_key("key_encrypt", &a->key_encrypt, &b->key_encrypt);
	eq_ident("ident_src", &a->ident_src, &b->ident_src);
	eq_ident("ident_dst", &a->ident_dst, &b->ident_dst);
	eq_opaque("sensitivity", &a->sensitivity, &b->sensitivity);
	eq("proposal replay", a->proposal.replay, b->proposal.replay);
	eq("proposal ncomb", a->proposal.ncomb, b->proposal.ncomb);
	for (i = 0; i < PFKEY_COMB_MAX; i++)
		eq_comb(&a->proposal.comb[i], &b->proposal.comb[i]);
	eq_supported("supported_auth", &a->supported_auth,
	    &b->supported_auth);
	eq_supported("supported_encrypt", &a->supported_encrypt,
	    &b->supported_encrypt);
	eq("spirange min", a->spirange.min, b->spirange.min);
	eq("spirange max", a->spirange.max, b->spirange.max);
	eq_opaque("kmprivate", &a->kmprivate, &b->kmprivate);
	eq_policy(&a->policy, &b->policy);
	eq("sa2 mode", a->sa2.mode, b->sa2.mode);
	eq("sa2 sequence", a->sa2.sequence, b->sa2.sequence);
	eq("sa2 reqid", a->sa2.reqid, b->sa2.reqid);
	eq("natt_type", a->natt_type, b->natt_type);
	eq("natt_sport", a->natt_sport, b->natt_sport);
	eq("natt_dport", a->natt_dport, b->natt_dport);
	eq_addr("natt_oai", &a->natt_oai, &b->natt_oai);
	eq_addr("natt_oar", &a->natt_oar, &b->natt_oar);
	eq("natt_frag", a->natt_frag, b->natt_frag);
	eq("sa_replay", a->sa_replay, b->sa_replay);
	eq_addr("new_addr_src", &a->new_addr_src, &b->new_addr_src);
	eq_addr("new_addr_dst", &a->new_addr_dst, &b->new_addr_dst);
	eq("inner_len", a->inner_len, b->inner_len);
	if (a->inner_len == b->inner_len && a->inner_len > 0)
		eq_bytes("inner", a->inner, b->inner, a->inner_len);
}

/* ---- the round trip ---- */

static uint8_t enc1[PFKEY_BUFSIZE], enc2[PFKEY_BUFSIZE];

static void
roundtrip_one(build_fn *build, const struct pfkey_dialect *d,
    enum pfkey_direction dir, size_t want_len)
{
	struct pfkey_msg m, got;
	struct pfkey_error err;
	size_t n1, n2;
	int rc;

	build(&m, d);
	rc = pfkey_msg_encode(&m, d, enc1, sizeof(enc1), &n1, &err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "%s: encode: %s", pfkey_dialect_name(d),
	    err.reason);
	ATF_CHECK_EQ_MSG(n1, want_len, "%s: encoded %zu bytes, want %zu",
	    pfkey_dialect_name(d), n1, want_len);
	ATF_CHECK_EQ(enc1[0], PFKEY_VERSION);
	ATF_CHECK_EQ(enc1[1], m.type);
	ATF_CHECK_EQ((size_t)(enc1[4] | enc1[5] << 8) * 8, n1);
	rc = pfkey_msg_decode(enc1, n1, d, dir, &got, &err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "%s: decode: %s", pfkey_dialect_name(d),
	    err.reason);
	eq_msg(&m, &got);
	rc = pfkey_msg_encode(&got, d, enc2, sizeof(enc2), &n2, &err);
	ATF_REQUIRE_EQ_MSG(rc, 0, "%s: re-encode: %s", pfkey_dialect_name(d),
	    err.reason);
	ATF_CHECK_EQ(n1, n2);
	ATF_CHECK_MSG(n1 == n2 && memcmp(enc1, enc2, n1) == 0,
	    "%s: re-encoding differs", pfkey_dialect_name(d));
	pfkey_msg_clear(&m);
	pfkey_msg_clear(&got);
}

static void
roundtrip(build_fn *build, enum pfkey_direction dir, size_t len_freebsd,
    size_t len_linux)
{
	roundtrip_one(build, &pfkey_dialect_freebsd, dir, len_freebsd);
	roundtrip_one(build, &pfkey_dialect_linux, dir, len_linux);
}

/* ---- one builder per message type ---- */

static void
build_getspi_req(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_GETSPI, PFKEY_SATYPE_ESP, 7, 4242);
	put_sa2(m, PFKEY_MODE_TUNNEL, 0, 7);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "203.0.113.2", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "198.51.100.1", 255);
	m->spirange.min = 0x100;
	m->spirange.max = 0x0fffffff;
	PFKEY_SET(m, PFKEY_EXT_SPIRANGE);
}

static void
build_getspi_reply(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_GETSPI, PFKEY_SATYPE_ESP, 7, 4242);
	put_sa(m, 0xc1000001, PFKEY_SASTATE_LARVAL);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "2001:db8::2", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "2001:db8::1", 255);
}

/* UPDATE: everything an SA can carry, NEW_ADDRESS on FreeBSD. */
static void
build_update(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_UPDATE, PFKEY_SATYPE_ESP, 8, 4242);
	put_sa(m, 0xc1000001, PFKEY_SASTATE_MATURE);
	put_sa2(m, PFKEY_MODE_TUNNEL, 0, 7);
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 0,
	    100000000, 3600, 0);
	put_lifetime(m, &m->life_soft, PFKEY_EXT_LIFETIME_SOFT, 0,
	    80000000, 2880, 0);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "198.51.100.1[4500]",
	    255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.2[4500]",
	    255);
	put_key(m, &m->key_auth, PFKEY_EXT_KEY_AUTH, 160, 0x01);
	put_key(m, &m->key_encrypt, PFKEY_EXT_KEY_ENCRYPT, 128, 0x81);
	put_ident(m, &m->ident_src, PFKEY_EXT_IDENTITY_SRC, 1, "192.0.2.1");
	put_ident(m, &m->ident_dst, PFKEY_EXT_IDENTITY_DST, 3,
	    "peer.example.org");
	put_natt(m, d);
	if (!is_freebsd(d))
		return;
	put_addr(m, &m->new_addr_src, PFKEY_EXT_X_NEW_ADDRESS_SRC,
	    "198.51.100.7[4500]", 255);
	put_addr(m, &m->new_addr_dst, PFKEY_EXT_X_NEW_ADDRESS_DST,
	    "203.0.113.9[4501]", 255);
}

/* ADD: IPv6 with sensitivity and KMPRIVATE. */
static void
build_add(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	unsigned i;

	(void)d;
	pfkey_msg_init(m, PFKEY_ADD, PFKEY_SATYPE_AH, 9, 4242);
	put_sa(m, 0x00001234, PFKEY_SASTATE_MATURE);
	m->sa.encrypt = PFKEY_EALG_NONE;
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 5, 0, 600, 60);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "2001:db8:1::1", 6);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "2001:db8:2::1", 6);
	m->addr_dst.scope_id = 3;
	put_key(m, &m->key_auth, PFKEY_EXT_KEY_AUTH, 256, 0x20);
	m->sensitivity.len = 12;
	for (i = 0; i < 12; i++)
		m->sensitivity.data[i] = (uint8_t)(0xa0 + i);
	PFKEY_SET(m, PFKEY_EXT_SENSITIVITY);
	m->kmprivate.len = 20;
	for (i = 0; i < 20; i++)
		m->kmprivate.data[i] = (uint8_t)(0x50 + i);
	PFKEY_SET(m, PFKEY_EXT_X_KMPRIVATE);
}

static void
build_delete(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_DELETE, PFKEY_SATYPE_ESP, 10, 4242);
	put_sa(m, 0xdeadbeef, PFKEY_SASTATE_MATURE);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "192.0.2.2", 255);
}

/* GET reply: the full SA record, with SA_REPLAY on FreeBSD. */
static void
build_get_reply(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_GET, PFKEY_SATYPE_ESP, 11, 4242);
	put_sa(m, 0xc1000002, PFKEY_SASTATE_DYING);
	put_sa2(m, PFKEY_MODE_TRANSPORT, 12345, 0x3fff);
	put_lifetime(m, &m->life_current, PFKEY_EXT_LIFETIME_CURRENT, 12,
	    10240, 1795424400, 1795424441);
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 0, 0, 3600, 0);
	put_lifetime(m, &m->life_soft, PFKEY_EXT_LIFETIME_SOFT, 0, 0, 2880, 0);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "198.51.100.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.2", 255);
	put_addr(m, &m->addr_proxy, PFKEY_EXT_ADDRESS_PROXY, "192.0.2.0/24",
	    0);
	put_key(m, &m->key_auth, PFKEY_EXT_KEY_AUTH, 512, 0x10);
	put_key(m, &m->key_encrypt, PFKEY_EXT_KEY_ENCRYPT, 1024, 0x7f);
	put_natt(m, d);
	if (!is_freebsd(d))
		return;
	m->sa_replay = 1024;
	PFKEY_SET(m, PFKEY_EXT_X_SA_REPLAY);
}

static void
build_acquire(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_ACQUIRE, PFKEY_SATYPE_ESP, 12, 0);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.0/24[any]",
	    255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.0/24[80]",
	    6);
	put_policy(m, d, PFKEY_POLICY_IPSEC, PFKEY_DIR_OUTBOUND, 5);
	put_sa2(m, PFKEY_MODE_TUNNEL, 0, 7);
	put_proposal(m, 2);
	put_ident(m, &m->ident_src, PFKEY_EXT_IDENTITY_SRC, 2, "2001:db8::/32");
}

static void
build_register_reply(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	static const uint8_t aalgs[] = { 2, 3, 5, 6, 7 };
	static const uint8_t ealgs[] = { 3, 11, 12, 13, 20, 22 };

	(void)d;
	pfkey_msg_init(m, PFKEY_REGISTER, PFKEY_SATYPE_ESP, 13, 4242);
	put_supported(m, &m->supported_auth, PFKEY_EXT_SUPPORTED_AUTH, aalgs,
	    5);
	put_supported(m, &m->supported_encrypt, PFKEY_EXT_SUPPORTED_ENCRYPT,
	    ealgs, 6);
}

static void
build_expire(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_EXPIRE, PFKEY_SATYPE_ESP, 0, 0);
	put_sa(m, 0xc1000003, PFKEY_SASTATE_DYING);
	put_sa2(m, PFKEY_MODE_TUNNEL, 77, 7);
	put_lifetime(m, &m->life_current, PFKEY_EXT_LIFETIME_CURRENT, 3,
	    4096, 1795424400, 1795424402);
	put_lifetime(m, &m->life_soft, PFKEY_EXT_LIFETIME_SOFT, 0, 0, 2880, 0);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "198.51.100.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.2", 255);
}

static void
build_flush(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_FLUSH, PFKEY_SATYPE_ESP, 14, 4242);
}

/* A DUMP reply is one SA record; seq counts down, reserved kept. */
static void
build_dump_reply(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	build_get_reply(m, d);
	m->type = PFKEY_DUMP;
	m->seq = 0;
	m->reserved = 0x1234;
	put_ident(m, &m->ident_src, PFKEY_EXT_IDENTITY_SRC, 1,
	    "198.51.100.1");
	put_ident(m, &m->ident_dst, PFKEY_EXT_IDENTITY_DST, 1, "203.0.113.2");
}

static uint8_t promisc_inner[512];

/* X_PROMISC from the kernel wraps a copy of another message. */
static void
build_promisc(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	struct pfkey_msg inner;
	struct pfkey_error err;
	size_t n;

	build_delete(&inner, d);
	ATF_REQUIRE(pfkey_msg_encode(&inner, d, promisc_inner,
	    sizeof(promisc_inner), &n, &err) == 0);
	pfkey_msg_init(m, PFKEY_X_PROMISC, 1, 15, 4242);
	m->inner = promisc_inner;
	m->inner_len = (uint16_t)n;
}

static void
build_pchange(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_PCHANGE, PFKEY_SATYPE_UNSPEC, 16, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "192.0.2.2", 255);
	put_policy(m, d, PFKEY_POLICY_NONE, PFKEY_DIR_INBOUND, 9);
}

/* SPDUPDATE: transport ESP then tunnel AH request, hard lifetime. */
static void
build_spdupdate(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDUPDATE, PFKEY_SATYPE_UNSPEC, 17, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.0/24[any]",
	    255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.0/24[any]",
	    255);
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 0, 0, 300, 0);
	put_policy(m, d, PFKEY_POLICY_IPSEC, PFKEY_DIR_OUTBOUND, 0);
	add_request(m, IPPROTO_ESP, PFKEY_MODE_TRANSPORT, 0, NULL, NULL);
	add_request(m, IPPROTO_AH, PFKEY_MODE_TUNNEL, 0x3fff,
	    "198.51.100.1[4500]", "203.0.113.2[4500]");
}

/* SPDADD: IPv6 selectors, IPv6 tunnel, plus an IPComp request. */
static void
build_spdadd(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDADD, PFKEY_SATYPE_UNSPEC, 18, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "2001:db8:1::/48",
	    255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "2001:db8:2::/48",
	    255);
	put_policy(m, d, PFKEY_POLICY_IPSEC, PFKEY_DIR_INBOUND, 0);
	add_request(m, IPPROTO_COMP, PFKEY_MODE_TUNNEL, 1, "2001:db8::1",
	    "2001:db8::2");
	add_request(m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, 2, "2001:db8::1",
	    "2001:db8::2");
}

static void
build_spddelete(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDDELETE, PFKEY_SATYPE_UNSPEC, 19, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "192.0.2.2", 255);
	put_policy(m, d, PFKEY_POLICY_DISCARD, PFKEY_DIR_INBOUND, 0);
}

static void
build_spdget(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDGET, PFKEY_SATYPE_UNSPEC, 20, 4242);
	put_policy(m, d, 0, 0, 0x1005);
	m->policy.priority = 0;
}

static void
build_spdacquire(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDACQUIRE, PFKEY_SATYPE_UNSPEC, 21, 0);
	put_policy(m, d, PFKEY_POLICY_IPSEC, PFKEY_DIR_OUTBOUND, 6);
}

/* SPDDUMP reply: the policy with its selectors and lifetimes. */
static void
build_spddump_reply(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDDUMP, PFKEY_SATYPE_UNSPEC, 0, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "192.0.2.0/24[any]",
	    255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.0/24[any]",
	    255);
	put_lifetime(m, &m->life_current, PFKEY_EXT_LIFETIME_CURRENT, 0, 0,
	    1795424400, 1795424441);
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 0, 0, 0, 0);
	put_policy(m, d, PFKEY_POLICY_IPSEC, PFKEY_DIR_OUTBOUND, 5);
	add_request(m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, 7, "198.51.100.1",
	    "203.0.113.2");
}

static void
build_spdflush(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	(void)d;
	pfkey_msg_init(m, PFKEY_X_SPDFLUSH, PFKEY_SATYPE_UNSPEC, 22, 4242);
}

static void
build_spdsetidx(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDSETIDX, PFKEY_SATYPE_UNSPEC, 23, 4242);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "10.0.0.0/8", 17);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "10.1.0.0/16[53]",
	    17);
	put_policy(m, d, PFKEY_POLICY_BYPASS, PFKEY_DIR_OUTBOUND, 0);
}

static void
build_spdexpire(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDEXPIRE, PFKEY_SATYPE_UNSPEC, 0, 0);
	put_addr(m, &m->addr_src, PFKEY_EXT_ADDRESS_SRC, "198.51.100.1", 255);
	put_addr(m, &m->addr_dst, PFKEY_EXT_ADDRESS_DST, "203.0.113.2", 255);
	put_lifetime(m, &m->life_current, PFKEY_EXT_LIFETIME_CURRENT, 0, 0,
	    1795424400, 0);
	put_lifetime(m, &m->life_hard, PFKEY_EXT_LIFETIME_HARD, 0, 0, 600, 0);
	put_policy(m, d, PFKEY_POLICY_BYPASS, PFKEY_DIR_INBOUND, 11);
}

static void
build_spddelete2(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	pfkey_msg_init(m, PFKEY_X_SPDDELETE2, PFKEY_SATYPE_UNSPEC, 24, 4242);
	put_policy(m, d, 0, 0, 0x1005);
}

/*
 * Expected lengths.  FreeBSD and Linux differ only in the ipsecrequest
 * size (8 vs 16 bytes) and in the FreeBSD-only extensions.
 */
#define ROUNDTRIP_TC(name, build, dir, lfb, llx)			\
	ATF_TC_WITHOUT_HEAD(name);					\
	ATF_TC_BODY(name, tc)						\
	{								\
		(void)tc;						\
		roundtrip(build, dir, lfb, llx);			\
	}

/* hdr 16 + sa2 16 + 2 * addr 24 + spirange 16 = 96 */
ROUNDTRIP_TC(rt_getspi_to_kernel, build_getspi_req, PFKEY_TO_KERNEL, 96, 96)
/* hdr 16 + sa 16 + 2 * addr 40 = 112 */
ROUNDTRIP_TC(rt_getspi_from_kernel, build_getspi_reply, PFKEY_FROM_KERNEL,
    112, 112)
/*
 * hdr 16, sa 16, sa2 16, 2 lifetimes 64, 2 addr 48, key 160b 32,
 * key 128b 24, ident 32 + 40, natt 3 * 8, oai 24 = 336 (Linux);
 * FreeBSD adds oar 24, frag 8, 2 new addresses 48 = 416.
 */
ROUNDTRIP_TC(rt_update, build_update, PFKEY_TO_KERNEL, 416, 336)
/* hdr 16, sa 16, life 32, 2 addr 80, key 40, sens 16, kmpriv 24 = 224 */
ROUNDTRIP_TC(rt_add, build_add, PFKEY_TO_KERNEL, 224, 224)
ROUNDTRIP_TC(rt_delete, build_delete, PFKEY_TO_KERNEL, 80, 80)
/*
 * hdr 16, sa 16, sa2 16, 3 lifetimes 96, 3 addr 72, key 512b 72,
 * key 1024b 136, natt 24, oai 24 = 472 (Linux);
 * FreeBSD adds oar 24, frag 8, sa_replay 8 = 512.
 */
ROUNDTRIP_TC(rt_get_reply, build_get_reply, PFKEY_FROM_KERNEL, 512, 472)
/* hdr 16, 2 addr 48, policy 16, sa2 16, proposal 8 + 144, ident 32 = 280 */
ROUNDTRIP_TC(rt_acquire, build_acquire, PFKEY_FROM_KERNEL, 280, 280)
/* hdr 16, supported 8 + 40, supported 8 + 48 = 120 */
ROUNDTRIP_TC(rt_register_reply, build_register_reply, PFKEY_FROM_KERNEL,
    120, 120)
/* hdr 16, sa 16, sa2 16, 2 lifetimes 64, 2 addr 48 = 160 */
ROUNDTRIP_TC(rt_expire, build_expire, PFKEY_FROM_KERNEL, 160, 160)
ROUNDTRIP_TC(rt_flush, build_flush, PFKEY_TO_KERNEL, 16, 16)
/* get reply + 2 idents of 32 */
ROUNDTRIP_TC(rt_dump_reply, build_dump_reply, PFKEY_FROM_KERNEL, 576, 536)
/* hdr 16 + the 80-byte DELETE */
ROUNDTRIP_TC(rt_promisc, build_promisc, PFKEY_FROM_KERNEL, 96, 96)
/* hdr 16, 2 addr 48, policy 16 = 80 */
ROUNDTRIP_TC(rt_pchange, build_pchange, PFKEY_TO_KERNEL, 80, 80)
/*
 * hdr 16, 2 addr 48, life 32, policy 16 + request (8 | 16) +
 * tunnel request (8 + 32 = 40 | 16 + 32 = 48) = 160 | 176
 */
ROUNDTRIP_TC(rt_spdupdate, build_spdupdate, PFKEY_TO_KERNEL, 160, 176)
/* hdr 16, 2 addr 80, policy 16 + 2 * (8 + 56 | 16 + 56) = 240 | 256 */
ROUNDTRIP_TC(rt_spdadd, build_spdadd, PFKEY_TO_KERNEL, 240, 256)
ROUNDTRIP_TC(rt_spddelete, build_spddelete, PFKEY_TO_KERNEL, 80, 80)
ROUNDTRIP_TC(rt_spdget, build_spdget, PFKEY_TO_KERNEL, 32, 32)
ROUNDTRIP_TC(rt_spdacquire, build_spdacquire, PFKEY_FROM_KERNEL, 32, 32)
/* hdr 16, 2 addr 48, 2 lifetimes 64, policy 16 + (40 | 48) */
ROUNDTRIP_TC(rt_spddump_reply, build_spddump_reply, PFKEY_FROM_KERNEL,
    184, 192)
ROUNDTRIP_TC(rt_spdflush, build_spdflush, PFKEY_TO_KERNEL, 16, 16)
ROUNDTRIP_TC(rt_spdsetidx, build_spdsetidx, PFKEY_TO_KERNEL, 80, 80)
/* hdr 16, 2 addr 48, 2 lifetimes 64, policy 16 = 144 */
ROUNDTRIP_TC(rt_spdexpire, build_spdexpire, PFKEY_FROM_KERNEL, 144, 144)
ROUNDTRIP_TC(rt_spddelete2, build_spddelete2, PFKEY_TO_KERNEL, 32, 32)

/* A proposal and supported lists filled to their limits survive. */
static void
build_full_limits(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	build_acquire(m, d);
	put_proposal(m, PFKEY_COMB_MAX);
	memset(m->ident_src.data, 'a', PFKEY_IDENT_MAX - 1);
	m->ident_src.len = PFKEY_IDENT_MAX - 1;
}

static void
build_full_supported(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	uint8_t ids[PFKEY_ALG_MAX];
	unsigned i;

	for (i = 0; i < PFKEY_ALG_MAX; i++)
		ids[i] = (uint8_t)(i + 1);
	build_register_reply(m, d);
	put_supported(m, &m->supported_auth, PFKEY_EXT_SUPPORTED_AUTH, ids,
	    PFKEY_ALG_MAX);
}

/* hdr 16, 2 addr 48, policy 16, sa2 16, proposal 8 + 32 * 72,
 * ident 16 + 256 = 2680 */
ROUNDTRIP_TC(rt_limits_proposal_ident, build_full_limits, PFKEY_FROM_KERNEL,
    2680, 2680)
/* hdr 16, supported 8 + 256, supported 56 = 336 */
ROUNDTRIP_TC(rt_limits_supported, build_full_supported, PFKEY_FROM_KERNEL,
    336, 336)

/* Four ipsecrequests (PFKEY_MAXREQ), mixed with and without endpoints. */
static void
build_maxreq(struct pfkey_msg *m, const struct pfkey_dialect *d)
{
	build_spddelete(m, d);
	m->policy.type = PFKEY_POLICY_IPSEC;
	add_request(m, IPPROTO_COMP, PFKEY_MODE_TRANSPORT, 1, NULL, NULL);
	add_request(m, IPPROTO_AH, PFKEY_MODE_TRANSPORT, 2, NULL, NULL);
	add_request(m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, 3, "192.0.2.1",
	    "192.0.2.2");
	add_request(m, IPPROTO_ESP, PFKEY_MODE_TUNNEL, 0, "2001:db8::1[500]",
	    "2001:db8::2[4500]");
}

/* 80 + 8 + 8 + 40 + 64 = 200 | 80 + 16 + 16 + 48 + 72 = 232 */
ROUNDTRIP_TC(rt_maxreq, build_maxreq, PFKEY_TO_KERNEL, 200, 232)

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, rt_getspi_to_kernel);
	ATF_TP_ADD_TC(tp, rt_getspi_from_kernel);
	ATF_TP_ADD_TC(tp, rt_update);
	ATF_TP_ADD_TC(tp, rt_add);
	ATF_TP_ADD_TC(tp, rt_delete);
	ATF_TP_ADD_TC(tp, rt_get_reply);
	ATF_TP_ADD_TC(tp, rt_acquire);
	ATF_TP_ADD_TC(tp, rt_register_reply);
	ATF_TP_ADD_TC(tp, rt_expire);
	ATF_TP_ADD_TC(tp, rt_flush);
	ATF_TP_ADD_TC(tp, rt_dump_reply);
	ATF_TP_ADD_TC(tp, rt_promisc);
	ATF_TP_ADD_TC(tp, rt_pchange);
	ATF_TP_ADD_TC(tp, rt_spdupdate);
	ATF_TP_ADD_TC(tp, rt_spdadd);
	ATF_TP_ADD_TC(tp, rt_spddelete);
	ATF_TP_ADD_TC(tp, rt_spdget);
	ATF_TP_ADD_TC(tp, rt_spdacquire);
	ATF_TP_ADD_TC(tp, rt_spddump_reply);
	ATF_TP_ADD_TC(tp, rt_spdflush);
	ATF_TP_ADD_TC(tp, rt_spdsetidx);
	ATF_TP_ADD_TC(tp, rt_spdexpire);
	ATF_TP_ADD_TC(tp, rt_spddelete2);
	ATF_TP_ADD_TC(tp, rt_limits_proposal_ident);
	ATF_TP_ADD_TC(tp, rt_limits_supported);
	ATF_TP_ADD_TC(tp, rt_maxreq);
	return atf_no_error();
}
