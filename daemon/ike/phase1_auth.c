/*
 * Phase-1 authentication: our identity (local-id, default the IP address
 * main mode runs on), the check of the peer's identity against
 * remote-id, SKEYID for the negotiated method and the proof of MM5/MM6:
 * HASH_I/HASH_R with a pre-shared key (RFC 2409 5.4).  RSA signatures
 * over X.509 certificates live in phase1_cert.c.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include <openssl/crypto.h>

#include "conf.h"
#include "ike.h"
#include "log.h"
#include "peer.h"

#define AUTH_PSK	1
#define AUTH_RSA_SIG	3

static int
id_name(uint8_t type, const char *name, uint8_t *body, size_t *len)
{
	size_t n = strlen(name);

	if (4 + n > *len)
		return -1;
	body[0] = type;
	body[1] = IPPROTO_UDP;
	body[2] = 500 >> 8;
	body[3] = 500 & 0xff;
	memcpy(body + 4, name, n);
	*len = 4 + n;
	return 0;
}

int
p1_auth_id(struct ike_p1 *p1, uint8_t *body, size_t *len)
{
	const struct conf_id *id = &p1->peer->conf->local_id;

	switch (id->type) {
	case CONF_ID_DEFAULT:
		if (p1->peer->conf->auth == CONF_AUTH_RSA)
			return p1_cert_subject_id(p1, body, len);
		return ike_id_from_addr(&p1->local, body, len);
	case CONF_ID_ADDRESS:
		return ike_id_from_addr(&id->addr, body, len);
	case CONF_ID_FQDN:
		return id_name(ISAKMP_ID_FQDN, id->name, body, len);
	case CONF_ID_USER_FQDN:
		return id_name(ISAKMP_ID_USER_FQDN, id->name, body, len);
	case CONF_ID_ASN1DN:
		return p1_cert_subject_id(p1, body, len);
	}
	return -1;
}

static bool
id_is(const struct isakmp_id *got, uint8_t type, const void *data,
    size_t len)
{
	return got->type == type && got->len == len &&
	    memcmp(got->data, data, len) == 0;
}

int
p1_auth_check_id(struct ike_p1 *p1, const struct isakmp_id *got)
{
	const struct conf_id *want = &p1->peer->conf->remote_id;
	const struct pfkey_addr *a = &want->addr;

	switch (want->type) {
	case CONF_ID_DEFAULT:
		return 0;
	case CONF_ID_ADDRESS:
		return id_is(got, a->family == AF_INET6 ? ISAKMP_ID_IPV6_ADDR :
		    ISAKMP_ID_IPV4_ADDR, a->addr, a->family == AF_INET6 ?
		    16 : 4) ? 0 : -1;
	case CONF_ID_FQDN:
		return id_is(got, ISAKMP_ID_FQDN, want->name,
		    strlen(want->name)) ? 0 : -1;
	case CONF_ID_USER_FQDN:
		return id_is(got, ISAKMP_ID_USER_FQDN, want->name,
		    strlen(want->name)) ? 0 : -1;
	case CONF_ID_ASN1DN:
		return p1_cert_check_dn(p1, got);
	}
	return -1;
}

int
p1_auth_skeyid(struct ike_p1 *p1)
{
	const struct conf_peer *cp = p1->peer->conf;

	if (p1->alg.auth == AUTH_PSK) {
		if (cp->psk == NULL || cp->psk_len == 0)
			return -1;
		return ike_skeyid_psk(p1->keys.prf,
		    IKE_CHUNK((const uint8_t *)cp->psk, cp->psk_len),
		    IKE_CHUNK_BUF(&p1->ni), IKE_CHUNK_BUF(&p1->nr),
		    &p1->keys.skeyid);
	}
	if (p1->alg.auth == AUTH_RSA_SIG)
		return ike_skeyid_sig(p1->keys.prf, IKE_CHUNK_BUF(&p1->ni),
		    IKE_CHUNK_BUF(&p1->nr), IKE_CHUNK_BUF(&p1->gxy),
		    &p1->keys.skeyid);
	return -1;
}

/* HASH_I (initiator's proof) or HASH_R, as the given side computes it. */
int
p1_auth_hash(struct ike_p1 *p1, bool of_initiator, uint8_t *out)
{
	struct ike_p1_keys *k = &p1->keys;

	if (of_initiator)
		return ike_hash_i(k->prf, IKE_CHUNK_BUF(&k->skeyid),
		    IKE_CHUNK_BUF(&p1->gxi), IKE_CHUNK_BUF(&p1->gxr),
		    p1->entry.icookie, p1->entry.rcookie,
		    IKE_CHUNK_BUF(&p1->sai_b), IKE_CHUNK_BUF(&p1->idi_b), out);
	return ike_hash_r(k->prf, IKE_CHUNK_BUF(&k->skeyid),
	    IKE_CHUNK_BUF(&p1->gxi), IKE_CHUNK_BUF(&p1->gxr),
	    p1->entry.icookie, p1->entry.rcookie, IKE_CHUNK_BUF(&p1->sai_b),
	    IKE_CHUNK_BUF(&p1->idr_b), out);
}

int
p1_auth_make(struct ike_p1 *p1, struct isakmp_builder *b)
{
	uint8_t h[IKE_HASH_MAX];
	int rc;

	if (p1_auth_hash(p1, p1->initiator, h) == -1)
		return -1;
	if (p1->alg.auth == AUTH_RSA_SIG)
		rc = p1_cert_sign(p1, b, h);
	else
		rc = isakmp_add_payload(b, ISAKMP_PT_HASH, h,
		    p1->keys.prf->len);
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}

int
p1_auth_verify(struct ike_p1 *p1, const struct isakmp_msg *m)
{
	const struct isakmp_payload *hp;
	uint8_t h[IKE_HASH_MAX];
	int rc = -1;

	if (p1_auth_hash(p1, !p1->initiator, h) == -1)
		return -1;
	if (p1->alg.auth == AUTH_RSA_SIG) {
		rc = p1_cert_verify(p1, m, h);
	} else {
		hp = isakmp_msg_find(m, ISAKMP_PT_HASH, NULL);
		if (hp != NULL && hp->len == p1->keys.prf->len &&
		    CRYPTO_memcmp(hp->body, h, hp->len) == 0)
			rc = 0;
	}
	OPENSSL_cleanse(h, sizeof(h));
	return rc;
}
