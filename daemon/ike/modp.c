/*
 * MODP Diffie-Hellman over OpenSSL 3 (EVP_PKEY "DH"), shared by oakleyd's
 * built-in group 2 and the dh2048 plugin; see modp.h.
 *
 * Domain parameters are built for each key from the group's prime and
 * g = 2 (EVP_PKEY_fromdata); there is no cached state, so nothing has to
 * be freed when a plugin unloads.  Public values and shared secrets are
 * big-endian and left-padded with zeros to the prime's length, as IKE
 * wants them (KE payload, g^xy in SKEYID).  A private key lives in its
 * EVP_PKEY only, which OpenSSL clears when it is freed.
 *
 * Peer values are checked for length and 1 < y < p - 1 only: these are
 * safe primes, so that rules out the small subgroup {1, p - 1} without
 * the full-size exponentiation a subgroup-order test would cost.
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "dh_evp.h"
#include "modp.h"

static const struct modp_group *
modp_of(const struct oakley_dh_group *g)
{
	return (const struct modp_group *)g;
}

/*
 * A DH EVP_PKEY over the group's p and g = 2 with what of pub and priv is
 * not NULL; selection is an EVP_PKEY_* selection.
 */
static EVP_PKEY *
modp_pkey(const struct modp_group *m, const BIGNUM *pub, const BIGNUM *priv,
    int selection)
{
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *p = NULL, *g = NULL;

	if ((p = m->prime(NULL)) == NULL || (g = BN_new()) == NULL ||
	    !BN_set_word(g, 2) || (bld = OSSL_PARAM_BLD_new()) == NULL)
		goto out;
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g))
		goto out;
	if (pub != NULL &&
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub))
		goto out;
	if (priv != NULL &&
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv))
		goto out;
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		goto out;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, selection, params) <= 0)
		pkey = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	/*
	 * A private exponent (a BN_secure_new) went into the builder's
	 * secure block, which OSSL_PARAM_free clears.
	 */
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p);
	BN_free(g);
	return pkey;
}

/* Write the public value of pkey, left-padded to public_len bytes. */
static int
modp_public(const struct modp_group *m, EVP_PKEY *pkey, uint8_t *pub,
    size_t publen)
{
	BIGNUM *y = NULL;
	int rc = -1;

	if (publen != m->dh.public_len)
		return -1;
	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, &y) > 0 &&
	    BN_bn2binpad(y, pub, (int)publen) == (int)publen)
		rc = 0;
	BN_free(y);
	return rc;
}

struct oakley_dh_key *
modp_keygen(const struct oakley_dh_group *g, uint8_t *pub, size_t publen)
{
	const struct modp_group *m = modp_of(g);
	OSSL_PARAM set[2];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *params, *pkey = NULL;
	int bits = m->priv_bits;

	if (publen != g->public_len)
		return NULL;
	if ((params = modp_pkey(m, NULL, NULL, EVP_PKEY_KEY_PARAMETERS)) ==
	    NULL)
		return NULL;
	set[0] = OSSL_PARAM_construct_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits);
	set[1] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL)) == NULL ||
	    EVP_PKEY_keygen_init(ctx) <= 0 ||
	    (bits > 0 && EVP_PKEY_CTX_set_params(ctx, set) <= 0) ||
	    EVP_PKEY_keygen(ctx, &pkey) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	if (pkey == NULL)
		return NULL;
	if (modp_public(m, pkey, pub, publen) == -1) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	return dh_evp_key_new(pkey);
}

struct oakley_dh_key *
modp_key_import(const struct oakley_dh_group *g, const uint8_t *priv,
    size_t privlen, uint8_t *pub, size_t publen)
{
	const struct modp_group *m = modp_of(g);
	BIGNUM *x = NULL, *y = NULL, *p = NULL, *two = NULL;
	BN_CTX *bnctx = NULL;
	EVP_PKEY *pkey = NULL;

	if (publen != g->public_len || privlen == 0 || privlen > publen)
		return NULL;
	if ((x = BN_secure_new()) == NULL || BN_bin2bn(priv, (int)privlen,
	    x) == NULL || (y = BN_new()) == NULL || (p = m->prime(NULL)) ==
	    NULL || (two = BN_new()) == NULL || !BN_set_word(two, 2) ||
	    (bnctx = BN_CTX_secure_new()) == NULL)
		goto out;
	BN_set_flags(x, BN_FLG_CONSTTIME);
	if (!BN_mod_exp(y, two, x, p, bnctx))
		goto out;
	if ((pkey = modp_pkey(m, y, x, EVP_PKEY_KEYPAIR)) == NULL)
		goto out;
	if (modp_public(m, pkey, pub, publen) == -1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
out:
	BN_clear_free(x);
	BN_free(y);
	BN_free(p);
	BN_free(two);
	BN_CTX_free(bnctx);
	return pkey != NULL ? dh_evp_key_new(pkey) : NULL;
}

int
modp_check_peer(const struct oakley_dh_group *g, const uint8_t *peer,
    size_t peerlen)
{
	const struct modp_group *m = modp_of(g);
	BIGNUM *y = NULL, *pm1 = NULL;
	int rc = -1;

	if (peer == NULL || peerlen != g->public_len)
		return -1;
	if ((y = BN_bin2bn(peer, (int)peerlen, NULL)) == NULL ||
	    (pm1 = m->prime(NULL)) == NULL || !BN_sub_word(pm1, 1))
		goto out;
	/* 1 < y < p - 1 */
	if (BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, pm1) < 0)
		rc = 0;
out:
	BN_free(y);
	BN_free(pm1);
	return rc;
}

int
modp_derive(const struct oakley_dh_group *g, struct oakley_dh_key *key,
    const uint8_t *peer, size_t peerlen, uint8_t *secret, size_t secretlen)
{
	const struct modp_group *m = modp_of(g);
	EVP_PKEY *peerkey = NULL;
	BIGNUM *y = NULL;
	int rc = -1;

	if (secret == NULL)
		return -1;
	if (key == NULL || secretlen != g->public_len ||
	    modp_check_peer(g, peer, peerlen) == -1)
		goto out;
	if ((y = BN_bin2bn(peer, (int)peerlen, NULL)) == NULL ||
	    (peerkey = modp_pkey(m, y, NULL, EVP_PKEY_PUBLIC_KEY)) == NULL)
		goto out;
	/* Range checked above; padded to the prime's length. */
	rc = dh_evp_derive(key, peerkey, true, secret, secretlen);
out:
	if (rc == -1)
		OPENSSL_cleanse(secret, secretlen);
	EVP_PKEY_free(peerkey);
	BN_free(y);
	return rc;
}

int
modp_prime_bytes(const struct oakley_dh_group *g, uint8_t *buf, size_t len)
{
	BIGNUM *p;
	int rc = -1;

	if (len != g->public_len || (p = modp_of(g)->prime(NULL)) == NULL)
		return -1;
	if (BN_bn2binpad(p, buf, (int)len) == (int)len)
		rc = 0;
	BN_free(p);
	return rc;
}
