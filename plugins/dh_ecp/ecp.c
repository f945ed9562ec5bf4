/*
 * ECP Diffie-Hellman over OpenSSL 3 (EVP_PKEY "EC", ECDH), for the
 * dh_ecp plugin; see ecp.h.
 *
 * Keys and the key agreement are daemon/ike/dh_evp.c's, compiled in
 * too: a private key lives in its EVP_PKEY only, which OpenSSL clears
 * when it is freed.  A peer's public value becomes an EVP_PKEY through
 * EVP_PKEY_fromdata, which decodes the point (coordinates below the
 * field's prime, on the curve), and EVP_PKEY_public_check_quick, which
 * checks it again and refuses the point at infinity.  Both curves have
 * cofactor 1, so every other point of the curve is in the prime-order
 * group: there is no small subgroup to confine a key to, and the
 * order check of the full EVP_PKEY_public_check (a scalar
 * multiplication) would add nothing.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "ecp.h"
#include "ike/dh_evp.h"

#define ECP_GROUP(num, nm, nbits, crv) {				\
	.dh = {								\
		.group = (num),						\
		.name = (nm),						\
		.bits = (nbits),					\
		.public_len = 2 * (((nbits) + 7) / 8),			\
		.keygen = ecp_keygen,					\
		.derive = ecp_derive,					\
		.check_peer = ecp_check_peer,				\
		.key_free = dh_evp_key_free				\
	},								\
	.curve = (crv)							\
}

const struct ecp_group ecp_groups[ECP_NGROUPS] = {
	ECP_GROUP(19, "ecp256", 256, "P-256"),
	ECP_GROUP(20, "ecp384", 384, "P-384")
};

static const struct ecp_group *
ecp_of(const struct oakley_dh_group *g)
{
	return (const struct ecp_group *)g;
}

/* The length of one coordinate, and of the shared secret. */
static size_t
coord_len(const struct ecp_group *e)
{
	return OAKLEY_DH_SECRET_LEN(&e->dh);
}

/*
 * An EC EVP_PKEY on the group's curve with the public point x || y
 * (public_len bytes) and, if priv is not NULL, that private value; its
 * public point checked (on the curve, not at infinity).  NULL if any of
 * it fails.
 */
static EVP_PKEY *
ecp_pkey(const struct ecp_group *e, const uint8_t *xy, const BIGNUM *priv)
{
	uint8_t point[1 + ECP_PUBLIC_MAX];
	size_t len = e->dh.public_len;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL, *check = NULL;
	EVP_PKEY *pkey = NULL;

	if (len > ECP_PUBLIC_MAX)
		return NULL;
	point[0] = POINT_CONVERSION_UNCOMPRESSED;	/* SEC1 0x04 */
	memcpy(point + 1, xy, len);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    e->curve, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + len))
		goto out;
	if (priv != NULL &&
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, priv != NULL ? EVP_PKEY_KEYPAIR :
	    EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		pkey = NULL;
		goto out;
	}
	if ((check = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL)) == NULL ||
	    EVP_PKEY_public_check_quick(check) <= 0) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	EVP_PKEY_CTX_free(check);
	EVP_PKEY_CTX_free(ctx);
	/* A private value went into the builder's secure block. */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	return pkey;
}

/* Write the public point of pkey as x || y, publen bytes. */
static int
ecp_public(const struct ecp_group *e, EVP_PKEY *pkey, uint8_t *pub,
    size_t publen)
{
	size_t clen = coord_len(e);
	BIGNUM *x = NULL, *y = NULL;
	int rc = -1;

	if (publen != e->dh.public_len || publen != 2 * clen)
		return -1;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_X, &x) > 0 &&
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, &y) > 0 &&
	    BN_bn2binpad(x, pub, (int)clen) == (int)clen &&
	    BN_bn2binpad(y, pub + clen, (int)clen) == (int)clen)
		rc = 0;
	BN_free(x);
	BN_free(y);
	return rc;
}

struct oakley_dh_key *
ecp_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t publen)
{
	const struct ecp_group *e = ecp_of(g);
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	if (pub == NULL || publen != g->public_len)
		return NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_group_name(ctx, e->curve) <= 0 ||
	    EVP_PKEY_generate(ctx, &pkey) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	if (pkey == NULL)
		return NULL;
	if (ecp_public(e, pkey, pub, publen) == -1) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return dh_evp_key_new(pkey);
}

struct oakley_dh_key *
ecp_key_import(const struct oakley_dh_group *g, const uint8_t *priv,
    size_t privlen, uint8_t *pub, size_t publen)
{
	const struct ecp_group *e = ecp_of(g);
	uint8_t point[1 + ECP_PUBLIC_MAX];
	EC_GROUP *grp = NULL;
	EC_POINT *q = NULL;
	BIGNUM *d = NULL;
	BN_CTX *bnctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (priv == NULL || privlen == 0 || privlen > coord_len(e) ||
	    pub == NULL || publen != g->public_len || publen > ECP_PUBLIC_MAX)
		return NULL;
	if ((grp = EC_GROUP_new_by_curve_name(EC_curve_nist2nid(e->curve))) ==
	    NULL || (d = BN_secure_new()) == NULL ||
	    BN_bin2bn(priv, (int)privlen, d) == NULL ||
	    (bnctx = BN_CTX_secure_new()) == NULL ||
	    (q = EC_POINT_new(grp)) == NULL)
		goto out;
	BN_set_flags(d, BN_FLG_CONSTTIME);
	/* 0 < d < n, then Q = d G. */
	if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(grp)) >= 0 ||
	    !EC_POINT_mul(grp, q, d, NULL, NULL, bnctx) ||
	    EC_POINT_point2oct(grp, q, POINT_CONVERSION_UNCOMPRESSED, point,
	    sizeof(point), bnctx) != 1 + publen)
		goto out;
	if ((pkey = ecp_pkey(e, point + 1, d)) != NULL &&
	    ecp_public(e, pkey, pub, publen) == -1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	BN_clear_free(d);
	BN_CTX_free(bnctx);
	EC_POINT_free(q);
	EC_GROUP_free(grp);
	return pkey != NULL ? dh_evp_key_new(pkey) : NULL;
}

int
ecp_check_peer(const struct oakley_dh_group *g, const uint8_t *peer,
    size_t peerlen)
{
	EVP_PKEY *pkey;

	if (peer == NULL || peerlen != g->public_len)
		return -1;
	if ((pkey = ecp_pkey(ecp_of(g), peer, NULL)) == NULL)
		return -1;
	EVP_PKEY_free(pkey);
	return 0;
}

int
ecp_derive(const struct oakley_dh_group *g, struct oakley_dh_key *key,
    const uint8_t *peer, size_t peerlen, uint8_t *secret, size_t secretlen)
{
	const struct ecp_group *e = ecp_of(g);
	EVP_PKEY *peerkey = NULL;
	int rc = -1;

	if (secret == NULL)
		return -1;
	if (key == NULL || secretlen != coord_len(e) || peer == NULL ||
	    peerlen != g->public_len ||
	    (peerkey = ecp_pkey(e, peer, NULL)) == NULL)
		goto out;
	/*
	 * The peer's point was checked by ecp_pkey.  ECDH gives the x
	 * coordinate of d Q, left-padded to the field's length.
	 */
	rc = dh_evp_derive(key, peerkey, false, secret, secretlen);
out:
	if (rc == -1)
		OPENSSL_cleanse(secret, secretlen);
	EVP_PKEY_free(peerkey);
	return rc;
}
