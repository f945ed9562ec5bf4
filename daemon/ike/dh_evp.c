/*
 * Keys and key agreement of the EVP_PKEY-backed DH groups; see
 * dh_evp.h.
 */
#include <stdlib.h>

#include <openssl/dh.h>

#include "dh_evp.h"

struct oakley_dh_key *
dh_evp_key_new(EVP_PKEY *pkey)
{
	struct oakley_dh_key *key;

	if ((key = calloc(1, sizeof(*key))) == NULL) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	key->pkey = pkey;
	return key;
}

void
dh_evp_key_free(const struct oakley_dh_group *g, struct oakley_dh_key *key)
{
	(void)g;
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

int
dh_evp_derive(struct oakley_dh_key *key, EVP_PKEY *peer, bool pad,
    uint8_t *secret, size_t secretlen)
{
	EVP_PKEY_CTX *ctx;
	size_t len = secretlen;
	int rc = -1;

	if (key == NULL || peer == NULL || secret == NULL)
		return -1;
	if ((ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL)) ==
	    NULL)
		return -1;
	if (EVP_PKEY_derive_init(ctx) > 0 &&
	    (!pad || EVP_PKEY_CTX_set_dh_pad(ctx, 1) > 0) &&
	    EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) > 0 &&
	    EVP_PKEY_derive(ctx, secret, &len) > 0 && len == secretlen)
		rc = 0;
	EVP_PKEY_CTX_free(ctx);
	return rc;
}
